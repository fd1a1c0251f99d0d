//! The declarations of a ledger: every id registered first, so that a
//! declaration may come after its use, then every declaration's fields read.
//! Afterwards the registry is shared, read-only, by every thread that reads
//! engagements, and resolves their references.

use rustc_hash::FxHashMap;

use super::fields::FieldReader;
use super::hints::undeclared_code;
use super::slot;
use crate::diagnostic::{Code, Diagnostic};
use crate::index::{BlockContent, BlockSite, IndexBuilder, Namespace, Reference, Role, Site};
use crate::model::{Label, OrgIndex, OrgKind, Party, PartyIndex, Person};
use crate::source::{FileId, Location, SourceMap};
use crate::syntax::{Block, DeclarationHeader, DeclarationKind};

/// Every declaration of the ledger, by kind, in ledger order.
pub(crate) struct Declarations<'a> {
    pub parties: Vec<Party<'a>>,
    pub orgs: Vec<crate::model::Org<'a>>,
    pub persons: Vec<Person<'a>>,
    pub formats: Vec<Label<'a>>,
    pub series: Vec<Label<'a>>,
    /// Per kind: id to the declaration's place in its list.
    ids: [FxHashMap<&'a str, u32>; 5],
}

impl<'a> Declarations<'a> {
    /// Registers and reads every declaration block of `blocks` (each with
    /// its file), reporting duplicates and bad fields, and recording sites
    /// and references in `index` when there is one.
    pub fn read(
        sources: &'a SourceMap,
        blocks: &[(FileId, Block)],
        diagnostics: &mut Vec<Diagnostic>,
        mut index: Option<&mut IndexBuilder<'a>>,
    ) -> Declarations<'a> {
        let mut declarations = Declarations {
            parties: Vec::new(),
            orgs: Vec::new(),
            persons: Vec::new(),
            formats: Vec::new(),
            series: Vec::new(),
            ids: Default::default(),
        };
        // Registered first, so that a declaration may name one further on.
        let mut firsts = Vec::with_capacity(blocks.len());
        for (file, block) in blocks {
            let crate::syntax::Header::Declaration(header) = &block.header else {
                continue;
            };
            let first = declarations.declare(sources, *file, block, header, diagnostics);
            firsts.push(first);
            if let Some(index) = index.as_deref_mut() {
                record_site(
                    index,
                    &declarations,
                    *file,
                    block,
                    header,
                    sources.get(*file).text(),
                    first,
                );
            }
        }
        let mut firsts = firsts.into_iter();
        for (file, block) in blocks {
            let crate::syntax::Header::Declaration(header) = &block.header else {
                continue;
            };
            let first = firsts.next().expect("one per declaration");
            let mut reader = FieldReader {
                file: *file,
                text: sources.get(*file).text(),
                diagnostics,
            };
            declarations.read_fields(&mut reader, block, header, first, index.as_deref_mut());
        }
        declarations
    }

    /// Registers one declaration: its place in its list, or `None` when its
    /// id is declared already, which is reported.
    fn declare(
        &mut self,
        sources: &'a SourceMap,
        file: FileId,
        block: &Block,
        header: &DeclarationHeader,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<u32> {
        let source = sources.get(file);
        let id = source.slice(header.id);
        let name = source.slice(header.name);
        let location = Location {
            file,
            span: block.header_line,
        };
        if let Some(&earlier) = self.ids[header.kind as usize].get(id) {
            let keyword = header.kind.keyword();
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateDeclaration,
                    file,
                    header.id,
                    format!("the {keyword} `{id}` is declared twice"),
                )
                .with_label("declared again here")
                .with_related(self.location(header.kind, earlier), "first declared here")
                .with_help(format!("remove one declaration, or give this {keyword} another id")),
            );
            return None;
        }
        let index = self.len(header.kind) as u32;
        match header.kind {
            DeclarationKind::Party => self.parties.push(Party {
                id,
                name,
                wikidata: None,
                extra: Vec::new(),
                location,
            }),
            DeclarationKind::Org => self.orgs.push(crate::model::Org {
                id,
                name,
                party: None,
                kind: None,
                wikidata: None,
                extra: Vec::new(),
                location,
            }),
            DeclarationKind::Person => self.persons.push(Person {
                id,
                name,
                party: None,
                org: None,
                role: None,
                aliases: Vec::new(),
                private: false,
                wikidata: None,
                extra: Vec::new(),
                location,
            }),
            DeclarationKind::Format => self.formats.push(Label {
                id,
                name,
                extra: Vec::new(),
                location,
            }),
            DeclarationKind::Series => self.series.push(Label {
                id,
                name,
                extra: Vec::new(),
                location,
            }),
        }
        self.ids[header.kind as usize].insert(id, index);
        Some(index)
    }

    fn len(&self, kind: DeclarationKind) -> usize {
        match kind {
            DeclarationKind::Party => self.parties.len(),
            DeclarationKind::Org => self.orgs.len(),
            DeclarationKind::Person => self.persons.len(),
            DeclarationKind::Format => self.formats.len(),
            DeclarationKind::Series => self.series.len(),
        }
    }

    /// The header line of a declaration.
    pub fn location(&self, kind: DeclarationKind, index: u32) -> Location {
        let index = index as usize;
        match kind {
            DeclarationKind::Party => self.parties[index].location,
            DeclarationKind::Org => self.orgs[index].location,
            DeclarationKind::Person => self.persons[index].location,
            DeclarationKind::Format => self.formats[index].location,
            DeclarationKind::Series => self.series[index].location,
        }
    }

    pub fn lookup(&self, kind: DeclarationKind, id: &str) -> Option<u32> {
        self.ids[kind as usize].get(id).copied()
    }

    /// The declaration `id` names, or a diagnostic at `at` saying it names
    /// none (its hint is added once the whole ledger is read: see
    /// [`super::hints`]).
    pub fn resolve(
        &self,
        kind: DeclarationKind,
        id: &str,
        at: Location,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<u32> {
        if let Some(index) = self.lookup(kind, id) {
            return Some(index);
        }
        diagnostics.push(Diagnostic::new(
            undeclared_code(kind),
            at.file,
            at.span,
            format!("undeclared {} `{id}`", kind.keyword()),
        ));
        None
    }

    /// Reads a declaration's fields into its record; a repeated
    /// declaration's fields are checked, then dropped.
    fn read_fields(
        &mut self,
        reader: &mut FieldReader<'_, 'a>,
        block: &Block,
        header: &DeclarationHeader,
        first: Option<u32>,
        mut index: Option<&mut IndexBuilder<'a>>,
    ) {
        let fields = reader.collect(block, crate::schema::BlockKind::Declaration(header.kind));
        let extra = reader
            .extra_fields(&fields)
            .into_iter()
            .map(|(key, value)| crate::model::ExtraField {
                key: reader.slice(key),
                value: reader.slice(value),
            })
            .collect();
        let mut reference = |reader: &mut FieldReader<'_, 'a>, slot: usize, kind: DeclarationKind, role: Role| {
            let (text, span) = reader.id_value(&fields, slot)?;
            let at = Location {
                file: reader.file,
                span,
            };
            let target = self.resolve(kind, text, at, reader.diagnostics);
            if let Some(index) = index.as_deref_mut() {
                index.reference(Reference {
                    location: at,
                    namespace: Namespace::Declaration(kind),
                    target,
                    role,
                    engagement: None,
                });
            }
            target
        };
        match header.kind {
            DeclarationKind::Party => {
                let wikidata = reader.wikidata(&fields, slot::PARTY_WIKIDATA);
                if let Some(first) = first {
                    let party = &mut self.parties[first as usize];
                    (party.wikidata, party.extra) = (wikidata, extra);
                }
            }
            DeclarationKind::Org => {
                let party = reference(reader, slot::ORG_PARTY, DeclarationKind::Party, Role::PartyOf).map(PartyIndex);
                let kind = reader.choice(&fields, slot::ORG_KIND).and_then(OrgKind::parse);
                let wikidata = reader.wikidata(&fields, slot::ORG_WIKIDATA);
                if let Some(first) = first {
                    let org = &mut self.orgs[first as usize];
                    (org.party, org.kind, org.wikidata, org.extra) = (party, kind, wikidata, extra);
                }
            }
            DeclarationKind::Person => {
                let party =
                    reference(reader, slot::PERSON_PARTY, DeclarationKind::Party, Role::PartyOf).map(PartyIndex);
                let org = reference(reader, slot::PERSON_ORG, DeclarationKind::Org, Role::OrgOf).map(OrgIndex);
                let role = reader.value(&fields, slot::PERSON_ROLE).map(|(text, _)| text);
                let aliases = reader
                    .all_values(&fields, slot::PERSON_ALIAS)
                    .into_iter()
                    .map(|(text, _)| text)
                    .collect();
                let private = reader.choice(&fields, slot::PERSON_PRIVATE).is_some();
                let wikidata = reader.wikidata(&fields, slot::PERSON_WIKIDATA);
                if let Some(first) = first {
                    let person = &mut self.persons[first as usize];
                    (person.party, person.org, person.role, person.aliases) = (party, org, role, aliases);
                    (person.private, person.wikidata, person.extra) = (private, wikidata, extra);
                }
            }
            DeclarationKind::Format | DeclarationKind::Series => {
                if let Some(first) = first {
                    let list = match header.kind {
                        DeclarationKind::Format => &mut self.formats,
                        _ => &mut self.series,
                    };
                    list[first as usize].extra = extra;
                }
            }
        }
    }
}

/// The index's record of a declaration block: its site when it is the
/// first of its id, or a reference to that first when it repeats it.
fn record_site<'a>(
    index: &mut IndexBuilder<'a>,
    declarations: &Declarations<'a>,
    file: FileId,
    block: &Block,
    header: &DeclarationHeader,
    text: &str,
    first: Option<u32>,
) {
    let kind = header.kind;
    let id = &text[header.id.range()];
    let id_location = Location { file, span: header.id };
    let block_location = Location {
        file,
        span: block.extent(text),
    };
    match first {
        Some(_) => index.declarations[kind as usize].push(Site {
            id: id_location,
            block: block_location,
        }),
        None => index.reference(Reference {
            location: id_location,
            namespace: Namespace::Declaration(kind),
            target: declarations.lookup(kind, id),
            role: Role::Redeclared,
            engagement: None,
        }),
    }
    index.blocks.push(BlockSite {
        location: block_location,
        content: BlockContent::Declaration(kind, first),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser;
    use crate::source::{SourceFile, Span};

    fn read(text: &str) -> (Vec<String>, Vec<&'static str>) {
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new("t.track2", None, text.to_owned()));
        let sources: &'static SourceMap = Box::leak(Box::new(sources));
        let (document, _) = parser::parse(file, sources.get(file).text());
        let blocks: Vec<(FileId, Block)> = document.blocks().map(|block| (file, block.clone())).collect();
        let mut diagnostics = Vec::new();
        let declarations = Declarations::read(sources, &blocks, &mut diagnostics, None);
        let persons = declarations
            .persons
            .iter()
            .map(|person| {
                let party = person.party.map_or("-", |party| declarations.parties[party.get()].id);
                format!("{} of {party}", person.id)
            })
            .collect();
        (persons, diagnostics.iter().map(|d| d.code.as_str()).collect())
    }

    #[test]
    fn a_declaration_may_name_one_further_on() {
        let (persons, codes) = read("person p P\n  party: AM\nparty AM Armenia\n");
        assert_eq!(persons, ["p of AM"]);
        assert!(codes.is_empty(), "{codes:?}");
    }

    #[test]
    fn the_first_of_two_declarations_counts() {
        let (persons, codes) = read("party AM A\nparty AZ B\nperson p P\n  party: AM\nperson p Q\n  party: AZX\n");
        assert_eq!(persons, ["p of AM"]);
        // The repeat's fields are still checked.
        assert_eq!(codes, ["duplicate-declaration", "undeclared-party"]);
    }

    #[test]
    fn unknown_ids_are_reported_where_they_are_used() {
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new("t.track2", None, "party AM Armenia\n".to_owned()));
        let (document, _) = parser::parse(file, sources.get(file).text());
        let blocks: Vec<(FileId, Block)> = document.blocks().map(|block| (file, block.clone())).collect();
        let mut diagnostics = Vec::new();
        let declarations = Declarations::read(&sources, &blocks, &mut diagnostics, None);
        let at = Location {
            file,
            span: Span::new(0, 2),
        };
        assert_eq!(
            declarations.resolve(DeclarationKind::Party, "AX", at, &mut diagnostics),
            None
        );
        assert_eq!(diagnostics[0].code, Code::UndeclaredParty);
        assert_eq!(diagnostics[0].location, at);
    }
}
