//! From syntax to meaning: reads every field by the schema, resolves every
//! reference, and checks the rules that span several blocks or files.
//!
//! It works in three passes over the documents, each linear in their size:
//! 1. register every declaration, so that one may come after its use;
//! 2. read the fields of declarations, then of engagements, resolving ids;
//! 3. check `reciprocates`, which may point at an engagement further on.
//!
//! Each check reports and goes on; the model keeps whatever could be read, so
//! that one mistake does not hide the next.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::date::DateSpec;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{
    Confidentiality, Destination, Engagement, EngagementIndex, ExtraField, FormatIndex, Label, Ledger, Org, OrgIndex,
    OrgKind, Participant, Party, PartyIndex, Person, PersonIndex, SeriesIndex, Status, Track,
};
use crate::parser::is_id;
use crate::schema::{self, BlockKind, MAX_FIELDS, ValueKind};
use crate::source::{FileId, Location, SourceMap, Span};
use crate::suggest;
use crate::syntax::{self, Block, DeclarationHeader, DeclarationKind, Document, EngagementHeader, Field, Header};

#[derive(Clone, Copy, Debug)]
pub struct AnalysisOptions {
    /// "Today" for the date checks, so that a result can be reproduced.
    pub as_of: NaiveDate,
}

pub struct Analysis<'a> {
    pub ledger: Ledger<'a>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn analyze<'a>(sources: &'a SourceMap, documents: &[Document], options: &AnalysisOptions) -> Analysis<'a> {
    let mut analyzer = Analyzer {
        sources,
        options: *options,
        ledger: Ledger::default(),
        diagnostics: Vec::new(),
        declared: Default::default(),
        entry_ids: HashMap::new(),
        entry_id_order: Vec::new(),
        engagement_keys: HashMap::new(),
        pending_reciprocations: Vec::new(),
    };
    for document in documents {
        for block in document.blocks() {
            if let Header::Declaration(header) = &block.header {
                analyzer.declare(document.file, block, header);
            }
        }
    }
    for document in documents {
        for block in document.blocks() {
            if let Header::Declaration(header) = &block.header {
                analyzer.read_declaration(document.file, block, header);
            }
        }
    }
    for document in documents {
        for block in document.blocks() {
            if let Header::Engagement(header) = &block.header {
                analyzer.read_engagement(document.file, block, header);
            }
        }
    }
    analyzer.check_reciprocations();
    Analysis {
        ledger: analyzer.ledger,
        diagnostics: analyzer.diagnostics,
    }
}

/// Where an engagement `id` was declared, and the engagement if it made it
/// into the model (one with an invalid date or direction does not).
struct EntryTarget {
    engagement: Option<EngagementIndex>,
    location: Location,
}

struct PendingReciprocation<'a> {
    engagement: EngagementIndex,
    target_id: &'a str,
    location: Location,
}

/// What makes two engagements the same one written twice.
#[derive(PartialEq, Eq, Hash)]
struct EngagementKey<'a> {
    date: &'a str,
    origin: Vec<&'a str>,
    destination: &'a str,
    title: &'a str,
}

struct Analyzer<'a> {
    sources: &'a SourceMap,
    options: AnalysisOptions,
    ledger: Ledger<'a>,
    diagnostics: Vec<Diagnostic>,
    /// Per declaration kind: id to index in the ledger's list of that kind.
    declared: [HashMap<&'a str, u32>; 5],
    entry_ids: HashMap<&'a str, EntryTarget>,
    entry_id_order: Vec<&'a str>,
    engagement_keys: HashMap<EngagementKey<'a>, Location>,
    pending_reciprocations: Vec<PendingReciprocation<'a>>,
}

fn kind_slot(kind: DeclarationKind) -> usize {
    kind as usize
}

fn undeclared_code(kind: DeclarationKind) -> Code {
    match kind {
        DeclarationKind::Party => Code::UndeclaredParty,
        DeclarationKind::Org => Code::UndeclaredOrg,
        DeclarationKind::Person => Code::UndeclaredPerson,
        DeclarationKind::Format => Code::UndeclaredFormat,
        DeclarationKind::Series => Code::UndeclaredSeries,
    }
}

/// The fields of one block, looked up by schema slot. Single-valued fields
/// keep their first occurrence; repeatable ones are found by scanning the
/// block again, which is cheaper than allocating a list per block.
struct BlockFields<'b> {
    block: &'b Block,
    kind: BlockKind,
    slots: [Option<&'b Field>; MAX_FIELDS],
}

impl<'b> BlockFields<'b> {
    fn get(&self, key: &str) -> Option<&'b Field> {
        schema::field_slot(self.kind, key).and_then(|slot| self.slots[slot])
    }
}

impl<'a> Analyzer<'a> {
    fn text(&self, file: FileId, span: Span) -> &'a str {
        self.sources.get(file).slice(span)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn ids_of(&self, kind: DeclarationKind) -> Vec<&'a str> {
        match kind {
            DeclarationKind::Party => self.ledger.parties.iter().map(|d| d.id).collect(),
            DeclarationKind::Org => self.ledger.orgs.iter().map(|d| d.id).collect(),
            DeclarationKind::Person => self.ledger.persons.iter().map(|d| d.id).collect(),
            DeclarationKind::Format => self.ledger.formats.iter().map(|d| d.id).collect(),
            DeclarationKind::Series => self.ledger.series.iter().map(|d| d.id).collect(),
        }
    }

    // Pass 1 -----------------------------------------------------------------

    fn declare(&mut self, file: FileId, block: &Block, header: &DeclarationHeader) {
        let id = self.text(file, header.id);
        let name = self.text(file, header.name);
        let location = Location {
            file,
            span: block.header_line,
        };
        let names = &mut self.declared[kind_slot(header.kind)];
        if let Some(&earlier) = names.get(id) {
            let earlier = self.declaration_location(header.kind, earlier);
            let keyword = header.kind.keyword();
            self.report(
                Diagnostic::new(
                    Code::DuplicateDeclaration,
                    file,
                    header.id,
                    format!("the {keyword} `{id}` is declared twice"),
                )
                .with_label("declared again here")
                .with_related(earlier, "first declared here")
                .with_help(format!("remove one declaration, or give this {keyword} another id")),
            );
            return;
        }
        let index = match header.kind {
            DeclarationKind::Party => push(
                &mut self.ledger.parties,
                Party {
                    id,
                    name,
                    wikidata: None,
                    extra: Vec::new(),
                    location,
                },
            ),
            DeclarationKind::Org => push(
                &mut self.ledger.orgs,
                Org {
                    id,
                    name,
                    party: None,
                    kind: None,
                    wikidata: None,
                    extra: Vec::new(),
                    location,
                },
            ),
            DeclarationKind::Person => push(
                &mut self.ledger.persons,
                Person {
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
                },
            ),
            DeclarationKind::Format => push(
                &mut self.ledger.formats,
                Label {
                    id,
                    name,
                    extra: Vec::new(),
                    location,
                },
            ),
            DeclarationKind::Series => push(
                &mut self.ledger.series,
                Label {
                    id,
                    name,
                    extra: Vec::new(),
                    location,
                },
            ),
        };
        self.declared[kind_slot(header.kind)].insert(id, index);
    }

    fn declaration_location(&self, kind: DeclarationKind, index: u32) -> Location {
        let index = index as usize;
        match kind {
            DeclarationKind::Party => self.ledger.parties[index].location,
            DeclarationKind::Org => self.ledger.orgs[index].location,
            DeclarationKind::Person => self.ledger.persons[index].location,
            DeclarationKind::Format => self.ledger.formats[index].location,
            DeclarationKind::Series => self.ledger.series[index].location,
        }
    }

    // Pass 2: fields -----------------------------------------------------------

    fn collect_fields<'b>(&mut self, file: FileId, block: &'b Block, kind: BlockKind) -> BlockFields<'b> {
        let specs = schema::fields(kind);
        let mut fields = BlockFields {
            block,
            kind,
            slots: [None; MAX_FIELDS],
        };
        for field in block.fields() {
            let key = self.text(file, field.key);
            if schema::is_custom_key(key) {
                continue;
            }
            let Some(slot) = schema::field_slot(kind, key) else {
                let known = specs.iter().map(|spec| spec.key);
                let help = suggest::did_you_mean(key, known).unwrap_or_else(|| match specs {
                    [] => "this block takes only custom `x-…` fields".to_owned(),
                    _ => format!(
                        "allowed here: {}, and custom `x-…` fields",
                        specs
                            .iter()
                            .map(|spec| format!("`{}`", spec.key))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
                self.report(
                    Diagnostic::new(Code::UnknownField, file, field.key, format!("unknown field `{key}`"))
                        .with_help(help),
                );
                continue;
            };
            match fields.slots[slot] {
                Some(first) if !specs[slot].repeatable => {
                    self.report(
                        Diagnostic::new(Code::RepeatedField, file, field.key, format!("`{key}` is given twice"))
                            .with_label("given again here")
                            .with_related(Location { file, span: first.key }, "first given here")
                            .with_help(format!(
                                "`{key}` takes one value; lists are written on one line, separated by commas"
                            )),
                    );
                }
                Some(_) => {}
                None => fields.slots[slot] = Some(field),
            }
        }
        fields
    }

    /// Every value of a repeatable field, in file order.
    fn all_values(&self, file: FileId, fields: &BlockFields<'_>, key: &str) -> Vec<(&'a str, Span)> {
        fields
            .block
            .fields()
            .filter(|field| !field.value.is_empty() && self.text(file, field.key) == key)
            .map(|field| (self.text(file, field.value), field.value))
            .collect()
    }

    fn extra_fields(&self, file: FileId, block: &Block) -> Vec<ExtraField<'a>> {
        block
            .fields()
            .filter(|field| !field.value.is_empty())
            .map(|field| ExtraField {
                key: self.text(file, field.key),
                value: self.text(file, field.value),
            })
            .filter(|field| schema::is_custom_key(field.key))
            .collect()
    }

    /// The value of a single-valued field; `None` when absent or empty (an
    /// empty value was reported by the parser).
    fn value(&self, file: FileId, fields: &BlockFields<'_>, key: &str) -> Option<(&'a str, Span)> {
        fields
            .get(key)
            .filter(|field| !field.value.is_empty())
            .map(|field| (self.text(file, field.value), field.value))
    }

    fn id_value(&mut self, file: FileId, fields: &BlockFields<'_>, key: &str) -> Option<(&'a str, Span)> {
        let (text, span) = self.value(file, fields, key)?;
        if is_id(text) {
            Some((text, span))
        } else {
            self.invalid_id(file, span, text);
            None
        }
    }

    fn invalid_id(&mut self, file: FileId, span: Span, text: &str) {
        self.report(
            Diagnostic::new(Code::InvalidId, file, span, format!("`{text}` is not an id"))
                .with_help("ids start with a letter and go on with letters, digits, `.`, `_` or `-`; lists are separated by commas"),
        );
    }

    fn reference(&mut self, file: FileId, fields: &BlockFields<'_>, key: &str, kind: DeclarationKind) -> Option<u32> {
        let (text, span) = self.id_value(file, fields, key)?;
        self.resolve(file, span, text, kind)
    }

    /// The index of the declaration `id` names, or a diagnostic saying it
    /// names none, with the nearest declared id as a hint.
    fn resolve(&mut self, file: FileId, span: Span, id: &str, kind: DeclarationKind) -> Option<u32> {
        if let Some(&index) = self.declared[kind_slot(kind)].get(id) {
            return Some(index);
        }
        let keyword = kind.keyword();
        let candidates = self.ids_of(kind);
        let help = suggest::did_you_mean(id, candidates.iter().copied())
            .unwrap_or_else(|| format!("declare it: `{keyword} {id} Display name`"));
        self.report(
            Diagnostic::new(
                undeclared_code(kind),
                file,
                span,
                format!("undeclared {keyword} `{id}`"),
            )
            .with_help(help),
        );
        None
    }

    fn choice(&mut self, file: FileId, fields: &BlockFields<'_>, key: &str) -> Option<&'a str> {
        let (text, span) = self.value(file, fields, key)?;
        let spec = schema::fields(fields.kind)
            .iter()
            .find(|spec| spec.key == key)
            .expect("choice fields are in the schema");
        let ValueKind::Choice(words) = spec.value else {
            unreachable!("`{key}` is not a choice")
        };
        if words.contains(&text) {
            return Some(text);
        }
        let allowed = words
            .iter()
            .map(|word| format!("`{word}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match suggest::nearest(text, words.iter().copied()) {
            Some(word) => format!("did you mean `{word}`? allowed: {allowed}"),
            None => format!("allowed: {allowed}"),
        };
        self.report(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                span,
                format!("`{text}` is not a valid `{key}`"),
            )
            .with_help(help),
        );
        None
    }

    fn wikidata(&mut self, file: FileId, fields: &BlockFields<'_>) -> Option<&'a str> {
        let (text, span) = self.value(file, fields, "wikidata")?;
        let valid = text.len() > 1 && text.starts_with('Q') && text[1..].bytes().all(|b| b.is_ascii_digit());
        if valid {
            return Some(text);
        }
        self.report(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                span,
                format!("`{text}` is not a Wikidata item id"),
            )
            .with_help("write the item id, `Q` and digits, e.g. `Q399`"),
        );
        None
    }

    fn date_value(&mut self, file: FileId, fields: &BlockFields<'_>, key: &str) -> Option<DateSpec> {
        let (text, span) = self.value(file, fields, key)?;
        match DateSpec::parse(text) {
            Ok(date) => Some(date),
            Err(error) => {
                self.report(Diagnostic::new(
                    Code::InvalidDate,
                    file,
                    span,
                    format!("`{text}`: {}", error.describe()),
                ));
                None
            }
        }
    }

    /// Splits a list value at commas; reports empty items, items that are not
    /// ids (unless `accepts` takes them) and repeated items.
    fn list_items(&mut self, file: FileId, value: Span) -> Vec<(&'a str, Span)> {
        let text = self.text(file, value);
        let mut items = Vec::new();
        let mut start = 0;
        for raw in text.split(',') {
            let raw_start = value.start as usize + start;
            start += raw.len() + 1;
            let item = raw.trim_matches(|c| c == ' ' || c == '\t');
            if item.is_empty() {
                self.report(
                    Diagnostic::new(
                        Code::EmptyListItem,
                        file,
                        Span::point(raw_start),
                        "an empty item in a list",
                    )
                    .with_help("remove the extra comma"),
                );
                continue;
            }
            let item_start = raw_start + (raw.len() - raw.trim_start_matches([' ', '\t']).len());
            let span = Span::new(item_start, item_start + item.len());
            items.push((item, span));
        }
        items
    }

    fn report_duplicate_item(&mut self, file: FileId, span: Span, first: Span, item: &str) {
        self.report(
            Diagnostic::new(Code::DuplicateListItem, file, span, format!("`{item}` is listed twice"))
                .with_label("listed again here")
                .with_related(Location { file, span: first }, "first listed here")
                .with_help("list each item once"),
        );
    }

    /// A list of ids, each checked to be one and to appear once.
    fn id_list(&mut self, file: FileId, fields: &BlockFields<'_>, key: &str) -> Vec<(&'a str, Span)> {
        let Some((_, value)) = self.value(file, fields, key) else {
            return Vec::new();
        };
        let mut ids: Vec<(&'a str, Span)> = Vec::new();
        for (item, span) in self.list_items(file, value) {
            if !is_id(item) {
                self.invalid_id(file, span, item);
            } else if let Some(&(_, first)) = ids.iter().find(|(earlier, _)| *earlier == item) {
                self.report_duplicate_item(file, span, first, item);
            } else {
                ids.push((item, span));
            }
        }
        ids
    }

    fn reference_list(
        &mut self,
        file: FileId,
        fields: &BlockFields<'_>,
        key: &str,
        kind: DeclarationKind,
    ) -> Vec<(u32, Span)> {
        self.id_list(file, fields, key)
            .into_iter()
            .filter_map(|(id, span)| self.resolve(file, span, id, kind).map(|index| (index, span)))
            .collect()
    }

    fn read_declaration(&mut self, file: FileId, block: &Block, header: &DeclarationHeader) {
        let fields = self.collect_fields(file, block, BlockKind::Declaration(header.kind));
        let id = self.text(file, header.id);
        let index = self.declared[kind_slot(header.kind)][id] as usize;
        // A duplicate declaration's fields are still checked, then dropped.
        let is_first = self.declaration_location(header.kind, index as u32).span == block.header_line
            && self.declaration_location(header.kind, index as u32).file == file;
        let extra = self.extra_fields(file, block);
        match header.kind {
            DeclarationKind::Party => {
                let wikidata = self.wikidata(file, &fields);
                if is_first {
                    let party = &mut self.ledger.parties[index];
                    party.wikidata = wikidata;
                    party.extra = extra;
                }
            }
            DeclarationKind::Org => {
                let party = self
                    .reference(file, &fields, "party", DeclarationKind::Party)
                    .map(PartyIndex);
                let kind = self.choice(file, &fields, "kind").and_then(OrgKind::parse);
                let wikidata = self.wikidata(file, &fields);
                if is_first {
                    let org = &mut self.ledger.orgs[index];
                    (org.party, org.kind, org.wikidata, org.extra) = (party, kind, wikidata, extra);
                }
            }
            DeclarationKind::Person => {
                let party = self
                    .reference(file, &fields, "party", DeclarationKind::Party)
                    .map(PartyIndex);
                let org = self.reference(file, &fields, "org", DeclarationKind::Org).map(OrgIndex);
                let role = self.value(file, &fields, "role").map(|(text, _)| text);
                let aliases = self
                    .all_values(file, &fields, "alias")
                    .into_iter()
                    .map(|(text, _)| text)
                    .collect();
                let private = self.choice(file, &fields, "private").is_some();
                let wikidata = self.wikidata(file, &fields);
                if is_first {
                    let person = &mut self.ledger.persons[index];
                    (person.party, person.org, person.role, person.aliases) = (party, org, role, aliases);
                    (person.private, person.wikidata, person.extra) = (private, wikidata, extra);
                }
            }
            DeclarationKind::Format | DeclarationKind::Series => {
                if is_first {
                    let list = match header.kind {
                        DeclarationKind::Format => &mut self.ledger.formats,
                        _ => &mut self.ledger.series,
                    };
                    list[index].extra = extra;
                }
            }
        }
    }

    fn read_engagement(&mut self, file: FileId, block: &Block, header: &EngagementHeader) {
        let fields = self.collect_fields(file, block, BlockKind::Engagement);
        let location = Location {
            file,
            span: block.header_line,
        };
        let origin_ids: Vec<&'a str> = header.origin.iter().map(|&span| self.text(file, span)).collect();
        let origin: Vec<Option<PartyIndex>> = header
            .origin
            .iter()
            .zip(&origin_ids)
            .map(|(&span, id)| self.resolve(file, span, id, DeclarationKind::Party).map(PartyIndex))
            .collect();
        let destination = match header.destination {
            syntax::Destination::Online(_) => Some(Destination::Online),
            syntax::Destination::Party(span) => {
                let id = self.text(file, span);
                self.resolve(file, span, id, DeclarationKind::Party)
                    .map(|index| Destination::Party(PartyIndex(index)))
            }
        };
        let date_text = self.text(file, header.date);
        let title = self.text(file, header.title);
        self.check_duplicate_engagement(file, block, header, &origin_ids, title, date_text);

        let id = self.id_value(file, &fields, "id");
        let format = match fields.get("format") {
            Some(_) => self
                .reference(file, &fields, "format", DeclarationKind::Format)
                .map(FormatIndex),
            None => {
                self.report(
                    Diagnostic::new(Code::MissingField, file, header.date, "the engagement has no `format`")
                        .with_label("this engagement")
                        .with_help("add a line `  format: ID` naming a declared format"),
                );
                None
            }
        };
        let track = self
            .choice(file, &fields, "track")
            .and_then(Track::parse)
            .unwrap_or(Track::Two);
        let series = self
            .reference(file, &fields, "series", DeclarationKind::Series)
            .map(SeriesIndex);
        let reciprocates = self.id_value(file, &fields, "reciprocates");
        let status = self
            .choice(file, &fields, "status")
            .and_then(Status::parse)
            .unwrap_or(Status::Held);
        let confidential = self
            .choice(file, &fields, "confidential")
            .and_then(Confidentiality::parse);
        let embargo = self.date_value(file, &fields, "embargo");
        let venue = self.value(file, &fields, "venue").map(|(text, _)| text);
        let sponsors = self.reference_list(file, &fields, "sponsors", DeclarationKind::Org);
        let participants = self.participants(file, &fields, &origin);
        let met = self.reference_list(file, &fields, "met", DeclarationKind::Person);
        let sources = self.sources_of(file, &fields);
        let notes = self
            .all_values(file, &fields, "note")
            .into_iter()
            .map(|(text, _)| text)
            .collect();
        let tags = self
            .id_list(file, &fields, "tags")
            .into_iter()
            .map(|(tag, _)| tag)
            .collect();
        let extra = self.extra_fields(file, block);
        if let Some(date) = header.date_value {
            self.check_date_against_status(file, header.date, date, status);
        }

        let origin: Option<Vec<PartyIndex>> = origin.into_iter().collect();
        let engagement = match (header.date_value, origin, destination) {
            (Some(date), Some(origin), Some(destination)) => {
                let index = EngagementIndex(self.ledger.engagements.len() as u32);
                self.ledger.engagements.push(Engagement {
                    id: id.map(|(text, _)| text),
                    date_text,
                    date,
                    origin,
                    destination,
                    title,
                    format,
                    track,
                    series,
                    reciprocates: None,
                    status,
                    confidential,
                    embargo,
                    venue,
                    sponsors: sponsors.into_iter().map(|(index, _)| OrgIndex(index)).collect(),
                    participants,
                    met: met.into_iter().map(|(index, _)| PersonIndex(index)).collect(),
                    sources,
                    notes,
                    tags,
                    extra,
                    location,
                });
                Some(index)
            }
            _ => None,
        };
        if let Some((id, span)) = id {
            self.register_entry_id(file, span, id, engagement);
        }
        if let (Some(engagement), Some((target_id, span))) = (engagement, reciprocates) {
            self.pending_reciprocations.push(PendingReciprocation {
                engagement,
                target_id,
                location: Location { file, span },
            });
        }
    }

    fn register_entry_id(&mut self, file: FileId, span: Span, id: &'a str, engagement: Option<EngagementIndex>) {
        let location = Location { file, span };
        if let Some(earlier) = self.entry_ids.get(id) {
            let earlier = earlier.location;
            self.report(
                Diagnostic::new(
                    Code::DuplicateEntryId,
                    file,
                    span,
                    format!("the engagement id `{id}` is used twice"),
                )
                .with_label("used again here")
                .with_related(earlier, "first used here")
                .with_help("give each engagement its own id"),
            );
            return;
        }
        self.entry_ids.insert(id, EntryTarget { engagement, location });
        self.entry_id_order.push(id);
    }

    fn sources_of(&mut self, file: FileId, fields: &BlockFields<'_>) -> Vec<&'a str> {
        let mut sources = Vec::new();
        for (url, span) in self.all_values(file, fields, "source") {
            let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
            if rest.is_some_and(|rest| !rest.is_empty() && !rest.contains([' ', '\t'])) {
                sources.push(url);
            } else {
                self.report(
                    Diagnostic::new(Code::InvalidUrl, file, span, format!("`{url}` is not an http(s) URL")).with_help(
                        "a source is one `http://` or `https://` address without blanks; give each source its own line",
                    ),
                );
            }
        }
        sources
    }

    /// Reads `participants`: person ids and `+N PARTY` counts. Warns about
    /// anyone whose party is not on the visiting side.
    fn participants(
        &mut self,
        file: FileId,
        fields: &BlockFields<'_>,
        origin: &[Option<PartyIndex>],
    ) -> Vec<Participant> {
        let Some((_, value)) = self.value(file, fields, "participants") else {
            return Vec::new();
        };
        let origin_known = origin.iter().all(Option::is_some);
        let mut participants: Vec<(Participant, Span)> = Vec::new();
        for (item, span) in self.list_items(file, value) {
            let participant = if item.starts_with('+') {
                self.count(file, span, item)
            } else if !is_id(item) {
                self.invalid_id(file, span, item);
                None
            } else {
                self.resolve(file, span, item, DeclarationKind::Person)
                    .map(|index| Participant::Person(PersonIndex(index)))
            };
            let Some(participant) = participant else { continue };
            let same = |other: &Participant| match (participant, *other) {
                (Participant::Unnamed { party, .. }, Participant::Unnamed { party: other, .. }) => party == other,
                (a, b) => a == b,
            };
            if let Some(&(_, first)) = participants.iter().find(|(other, _)| same(other)) {
                self.report_duplicate_item(file, span, first, item);
                continue;
            }
            if origin_known {
                self.check_participant_side(file, span, participant, origin);
            }
            participants.push((participant, span));
        }
        participants.into_iter().map(|(participant, _)| participant).collect()
    }

    /// Reads `+N PARTY`.
    fn count(&mut self, file: FileId, span: Span, item: &'a str) -> Option<Participant> {
        let digits_end = 1 + item[1..].bytes().take_while(u8::is_ascii_digit).count();
        let digits = &item[1..digits_end];
        let after = &item[digits_end..];
        let party = after.trim_start_matches([' ', '\t']);
        let count = digits.parse::<u32>().ok().filter(|&count| count >= 1);
        let shaped = !digits.is_empty() && party.len() < after.len() && is_id(party);
        let (Some(count), true) = (count, shaped) else {
            self.report(
                Diagnostic::new(
                    Code::InvalidCount,
                    file,
                    span,
                    format!("`{item}` is not a count of participants"),
                )
                .with_help("write unnamed participants as `+N PARTY` with N at least 1, e.g. `+3 AZ`"),
            );
            return None;
        };
        let party_start = span.start as usize + (item.len() - party.len());
        let party_span = Span::new(party_start, party_start + party.len());
        let party = self.resolve(file, party_span, party, DeclarationKind::Party)?;
        Some(Participant::Unnamed {
            party: PartyIndex(party),
            count,
        })
    }

    fn check_participant_side(
        &mut self,
        file: FileId,
        span: Span,
        participant: Participant,
        origin: &[Option<PartyIndex>],
    ) {
        let (party, who) = match participant {
            Participant::Person(person) => {
                let person = self.ledger.person(person);
                match person.party {
                    Some(party) => (party, format!("`{}`", person.id)),
                    None => return,
                }
            }
            Participant::Unnamed { party, count } => (party, format!("`+{count} {}`", self.ledger.party(party).id)),
        };
        if origin.contains(&Some(party)) {
            return;
        }
        let party_id = self.ledger.party(party).id;
        self.report(
            Diagnostic::new(
                Code::ParticipantNotInOrigin,
                file,
                span,
                format!("participant {who} is from `{party_id}`, which is not on the visiting side"),
            )
            .with_help("hosts and officials met belong in `met:`; or add the party to the visiting side"),
        );
    }

    fn check_date_against_status(&mut self, file: FileId, span: Span, date: DateSpec, status: Status) {
        let as_of = self.options.as_of;
        match status {
            Status::Held if date.first_day() > as_of => self.report(
                Diagnostic::new(
                    Code::HeldInFuture,
                    file,
                    span,
                    format!("marked as held, but `{date}` is after {as_of}"),
                )
                .with_help("if it has not happened yet, add `status: planned`"),
            ),
            Status::Planned if date.last_day() < as_of => self.report(
                Diagnostic::new(
                    Code::PlannedInPast,
                    file,
                    span,
                    format!("still planned, but `{date}` is before {as_of}"),
                )
                .with_help("set `status:` to what happened: held, postponed or cancelled"),
            ),
            _ => {}
        }
    }

    fn check_duplicate_engagement(
        &mut self,
        file: FileId,
        block: &Block,
        header: &EngagementHeader,
        origin: &[&'a str],
        title: &'a str,
        date: &'a str,
    ) {
        let mut origin = origin.to_vec();
        origin.sort_unstable();
        let destination = self.text(file, header.destination.span());
        let key = EngagementKey {
            date,
            origin,
            destination,
            title,
        };
        let location = Location {
            file,
            span: block.header_line,
        };
        if let Some(&earlier) = self.engagement_keys.get(&key) {
            self.report(
                Diagnostic::new(
                    Code::DuplicateEngagement,
                    file,
                    header.date,
                    "an engagement with this date, direction and title is already recorded",
                )
                .with_label("recorded again here")
                .with_related(earlier, "first recorded here")
                .with_help("remove the copy, or tell the two apart in the title"),
            );
        } else {
            self.engagement_keys.insert(key, location);
        }
    }

    // Pass 3 -------------------------------------------------------------------

    fn check_reciprocations(&mut self) {
        for pending in std::mem::take(&mut self.pending_reciprocations) {
            let Location { file, span } = pending.location;
            let target_id = pending.target_id;
            let Some(target) = self.entry_ids.get(target_id) else {
                let help = suggest::did_you_mean(target_id, self.entry_id_order.iter().copied())
                    .unwrap_or_else(|| "name the `id:` of an earlier engagement".into());
                self.report(
                    Diagnostic::new(
                        Code::UndeclaredEntry,
                        file,
                        span,
                        format!("no engagement has the id `{target_id}`"),
                    )
                    .with_help(help),
                );
                continue;
            };
            let Some(target_index) = target.engagement else {
                // Its date or direction is broken, which was reported there.
                continue;
            };
            match self.reciprocation_fault(pending.engagement, target_index) {
                None => self.ledger.engagements[pending.engagement.get()].reciprocates = Some(target_index),
                Some(fault) => {
                    let target_header = self.ledger.engagement(target_index).location;
                    self.report(
                        Diagnostic::new(Code::InvalidReciprocation, file, span, format!("this cannot reciprocate `{target_id}`: {fault}"))
                            .with_related(target_header, "the engagement named")
                            .with_help("`reciprocates:` names an earlier visit in the opposite direction: `A -> B` is returned by `B -> A`"),
                    );
                }
            }
        }
    }

    fn reciprocation_fault(&self, engagement: EngagementIndex, target: EngagementIndex) -> Option<String> {
        let this = self.ledger.engagement(engagement);
        let that = self.ledger.engagement(target);
        let ledger = &self.ledger;
        let direction = |e: &Engagement<'_>| {
            let origin: Vec<&str> = e.origin.iter().map(|&p| ledger.party(p).id).collect();
            format!("{} -> {}", origin.join(" + "), ledger.destination_id(e.destination))
        };
        if !that.is_bilateral_visit() {
            return Some(format!(
                "it is `{}`; joint and online engagements cannot be reciprocated",
                direction(that)
            ));
        }
        if !this.is_bilateral_visit() {
            return Some(format!(
                "this is `{}`; a joint or online engagement reciprocates nothing",
                direction(this)
            ));
        }
        let reversed = this.destination == Destination::Party(that.origin[0])
            && that.destination == Destination::Party(this.origin[0]);
        if !reversed {
            return Some(format!(
                "it is `{}` and this is `{}`, not the opposite direction",
                direction(that),
                direction(this)
            ));
        }
        if this.date.first_day() <= that.date.first_day() {
            return Some(format!(
                "it starts on {}, and this does not start later ({})",
                that.date.first_day(),
                this.date.first_day()
            ));
        }
        None
    }
}

fn push<T>(list: &mut Vec<T>, item: T) -> u32 {
    list.push(item);
    list.len() as u32 - 1
}
