//! `track2 show ID`: the index's face on the command line. For an id, its
//! declaration and every place it is used, each with the engagement it is
//! in; for a person, that is their history, in date order.
//!
//! Through the privacy view like every output: a private person, an org
//! known only through private people and a withheld engagement are unknown
//! ids unless revealed, and a use inside a withheld or Chatham House
//! engagement is left out.

use serde::Serialize;

use crate::index::{BlockContent, Index, Namespace, Reference, Role, Symbol};
use crate::model::{Arrow, Direction, EngagementIndex, Ledger, OrgIndex, PersonIndex};
use crate::privacy::View;
use crate::report::Report;
use crate::source::{Location, SourceMap};
use crate::suggest;
use crate::syntax::DeclarationKind;
use crate::table::{Column, Table};

/// A place in the ledger as a person reads it.
#[derive(Clone, Debug, Serialize)]
pub struct UsePlace {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl UsePlace {
    fn of(sources: &SourceMap, location: Location) -> UsePlace {
        let file = sources.get(location.file);
        let position = file.position(location.span.start as usize);
        UsePlace {
            file: file.name().to_owned(),
            line: position.line,
            column: position.column,
        }
    }

    fn text(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The engagement a use is in.
#[derive(Clone, Debug, Serialize)]
pub struct EngagementSummary {
    pub id: Option<String>,
    pub date: String,
    /// `AZ -> AM`, as the ledger writes it.
    pub direction: String,
    pub title: String,
    /// `AZ → AM`, for people.
    #[serde(skip)]
    display_direction: String,
}

/// One place an id is used.
#[derive(Clone, Debug, Serialize)]
pub struct Use {
    #[serde(flatten)]
    pub place: UsePlace,
    /// `participant`, `met`, `sponsor`, `format`, `series`, `reciprocates`,
    /// `origin`, `host`, `counted`, `tag`, `party`, `org`.
    pub role: &'static str,
    pub engagement: Option<EngagementSummary>,
    /// For a use in a declaration (a person's `party:`), that declaration:
    /// `person rusif-huseynov`.
    pub declaration: Option<String>,
}

/// What the ledger declares for an id, and where.
#[derive(Clone, Debug, Serialize)]
pub struct Declared {
    #[serde(flatten)]
    pub place: UsePlace,
    pub name: String,
    pub party: Option<String>,
    pub org: Option<String>,
    pub role: Option<String>,
    pub aliases: Vec<String>,
}

/// One thing the id names.
#[derive(Clone, Debug, Serialize)]
pub struct Referent {
    /// `person`, `party`, `org`, `format`, `series`, `engagement` or `tag`.
    pub kind: &'static str,
    pub id: String,
    /// `null` for a tag, which is not declared.
    pub declaration: Option<Declared>,
    pub uses: Vec<Use>,
}

/// Everything the id names (a party and a person may share one).
#[derive(Clone, Debug, Serialize)]
pub struct ShowReport {
    pub id: String,
    pub matches: Vec<Referent>,
}

/// An id that names nothing the view discloses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownId {
    pub id: String,
    pub suggestion: Option<String>,
}

impl std::fmt::Display for UnknownId {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "the ledger has no `{}`", self.id)?;
        if let Some(suggestion) = &self.suggestion {
            write!(formatter, "; did you mean `{suggestion}`?")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownId {}

/// What `view` may show of `id`, found through `index`.
pub fn show(view: &View<'_, '_>, index: &Index<'_>, id: &str) -> Result<ShowReport, UnknownId> {
    let ledger = view.ledger;
    let visible = Visibility::new(view, index);
    let matches: Vec<Referent> = symbols_named(ledger, index, id)
        .into_iter()
        .filter(|&symbol| visible.symbol(symbol))
        .map(|symbol| shown(view, index, &visible, symbol, id))
        .collect();
    if matches.is_empty() {
        let disclosed = disclosed_ids(view, &visible);
        return Err(UnknownId {
            id: id.to_owned(),
            suggestion: suggest::nearest(id, disclosed.iter().copied()).map(str::to_owned),
        });
    }
    Ok(ShowReport {
        id: id.to_owned(),
        matches,
    })
}

const KINDS: [DeclarationKind; 5] = [
    DeclarationKind::Person,
    DeclarationKind::Party,
    DeclarationKind::Org,
    DeclarationKind::Format,
    DeclarationKind::Series,
];

/// Every symbol whose id is `id`, people first.
fn symbols_named(ledger: &Ledger<'_>, index: &Index<'_>, id: &str) -> Vec<Symbol> {
    let mut symbols: Vec<Symbol> = KINDS
        .into_iter()
        .filter_map(|kind| {
            declared_ids(ledger, kind)
                .position(|declared| declared == id)
                .map(|at| Symbol {
                    namespace: Namespace::Declaration(kind),
                    index: at as u32,
                })
        })
        .collect();
    if let Some(engagement) = ledger.engagements().find(|engagement| engagement.id() == Some(id)) {
        symbols.push(Symbol {
            namespace: Namespace::Engagement,
            index: engagement.index().0,
        });
    }
    symbols.extend(index.tag_symbol(id));
    symbols
}

fn declared_ids<'l>(ledger: &'l Ledger<'_>, kind: DeclarationKind) -> Box<dyn Iterator<Item = &'l str> + 'l> {
    match kind {
        DeclarationKind::Party => Box::new(ledger.parties.iter().map(|d| d.id)),
        DeclarationKind::Org => Box::new(ledger.orgs.iter().map(|d| d.id)),
        DeclarationKind::Person => Box::new(ledger.persons.iter().map(|d| d.id)),
        DeclarationKind::Format => Box::new(ledger.formats.iter().map(|d| d.id)),
        DeclarationKind::Series => Box::new(ledger.series.iter().map(|d| d.id)),
    }
}

/// What the view lets `show` name.
struct Visibility<'v, 'l, 'a> {
    view: &'v View<'l, 'a>,
    index: &'v Index<'a>,
    /// Which engagements the view holds.
    engagements: Vec<bool>,
}

impl<'v, 'l, 'a> Visibility<'v, 'l, 'a> {
    fn new(view: &'v View<'l, 'a>, index: &'v Index<'a>) -> Visibility<'v, 'l, 'a> {
        let mut engagements = vec![false; view.ledger.engagement_count()];
        for &engagement in &view.engagements {
            engagements[engagement.get()] = true;
        }
        Visibility {
            view,
            index,
            engagements,
        }
    }

    fn engagement(&self, engagement: EngagementIndex) -> bool {
        self.engagements[engagement.get()]
    }

    fn symbol(&self, symbol: Symbol) -> bool {
        match symbol.namespace {
            Namespace::Declaration(DeclarationKind::Person) => self.view.is_person_disclosed(PersonIndex(symbol.index)),
            Namespace::Declaration(DeclarationKind::Org) => self.view.is_org_disclosed(OrgIndex(symbol.index)),
            Namespace::Declaration(_) => true,
            Namespace::Engagement => self.engagement(EngagementIndex(symbol.index)),
            // A tag is known if a shown engagement has it.
            Namespace::Tag => self.index.references(symbol).any(|reference| self.reference(reference)),
        }
    }

    /// Whether a use may be shown: it is in a shown engagement and does not
    /// name someone that engagement may not name; or it is in the
    /// declaration of something the view discloses.
    fn reference(&self, reference: &Reference) -> bool {
        if let Some(engagement) = reference.engagement {
            if !self.engagement(engagement) {
                return false;
            }
            return match (reference.role, reference.target) {
                (Role::Participant | Role::Met, Some(person)) => self
                    .view
                    .names(self.view.ledger.engagement(engagement), PersonIndex(person)),
                _ => true,
            };
        }
        let Some(block) = self
            .index
            .block_at(reference.location.file, reference.location.span.start as usize)
        else {
            return false;
        };
        match block.content {
            BlockContent::Declaration(kind, Some(at)) => self.symbol(Symbol {
                namespace: Namespace::Declaration(kind),
                index: at,
            }),
            // A use in a block the model does not keep (a repeated
            // declaration, a broken header): nothing to disclose it by.
            _ => self.view.reveal,
        }
    }
}

fn shown(
    view: &View<'_, '_>,
    index: &Index<'_>,
    visible: &Visibility<'_, '_, '_>,
    symbol: Symbol,
    id: &str,
) -> Referent {
    let ledger = view.ledger;
    let sources = ledger.sources;
    let kind = match symbol.namespace {
        Namespace::Declaration(kind) => kind.keyword(),
        Namespace::Engagement => "engagement",
        Namespace::Tag => "tag",
    };
    let declaration = index
        .definition(symbol)
        .map(|site| declared(ledger, symbol, UsePlace::of(sources, site.id)));
    let mut uses: Vec<(Option<chrono::NaiveDate>, Location, Use)> = index
        .references(symbol)
        .filter(|reference| visible.reference(reference))
        .map(|reference| {
            let engagement = reference.engagement.map(|at| ledger.engagement(at));
            let declaration = match index.block_at(reference.location.file, reference.location.span.start as usize) {
                Some(block) if reference.engagement.is_none() => match block.content {
                    BlockContent::Declaration(kind, Some(at)) => {
                        let id = declared_ids(ledger, kind).nth(at as usize).unwrap_or_default();
                        Some(format!("{} {id}", kind.keyword()))
                    }
                    _ => None,
                },
                _ => None,
            };
            let use_ = Use {
                declaration,
                place: UsePlace::of(sources, reference.location),
                role: reference.role.as_str(),
                engagement: engagement.map(|engagement| {
                    let direction = Direction::of(engagement);
                    EngagementSummary {
                        id: engagement.id().map(str::to_owned),
                        date: engagement.date_text().to_owned(),
                        direction: direction.label(ledger, Arrow::Ascii),
                        title: engagement.title().to_owned(),
                        display_direction: direction.label(ledger, Arrow::Unicode),
                    }
                }),
            };
            (engagement.map(|e| e.date().first_day()), reference.location, use_)
        })
        .collect();
    // A history reads in date order; uses outside engagements come last.
    uses.sort_by_key(|(date, location, _)| (date.is_none(), *date, *location));
    Referent {
        kind,
        id: id.to_owned(),
        declaration,
        uses: uses.into_iter().map(|(_, _, use_)| use_).collect(),
    }
}

fn declared(ledger: &Ledger<'_>, symbol: Symbol, place: UsePlace) -> Declared {
    let at = symbol.index as usize;
    let mut declared = Declared {
        place,
        name: String::new(),
        party: None,
        org: None,
        role: None,
        aliases: Vec::new(),
    };
    let party_id = |party: Option<crate::model::PartyIndex>| party.map(|party| ledger.party(party).id.to_owned());
    match symbol.namespace {
        Namespace::Declaration(DeclarationKind::Person) => {
            let person = &ledger.persons[at];
            declared.name = person.name.to_owned();
            declared.party = party_id(person.party);
            declared.org = person.org.map(|org| ledger.org(org).id.to_owned());
            declared.role = person.role.map(str::to_owned);
            declared.aliases = person.aliases.iter().map(|alias| (*alias).to_owned()).collect();
        }
        Namespace::Declaration(DeclarationKind::Org) => {
            let org = &ledger.orgs[at];
            declared.name = org.name.to_owned();
            declared.party = party_id(org.party);
        }
        Namespace::Declaration(DeclarationKind::Party) => declared.name = ledger.parties[at].name.to_owned(),
        Namespace::Declaration(DeclarationKind::Format) => declared.name = ledger.formats[at].name.to_owned(),
        Namespace::Declaration(DeclarationKind::Series) => declared.name = ledger.series[at].name.to_owned(),
        Namespace::Engagement => declared.name = ledger.engagement(EngagementIndex(symbol.index)).title().to_owned(),
        Namespace::Tag => {}
    }
    declared
}

/// Every id the view discloses, in ledger order: the candidates of "did
/// you mean", which must never suggest what the view withholds.
fn disclosed_ids<'l>(view: &View<'l, '_>, visible: &Visibility<'_, '_, '_>) -> Vec<&'l str> {
    let ledger = view.ledger;
    let mut ids = Vec::new();
    for kind in KINDS {
        for (at, id) in declared_ids(ledger, kind).enumerate() {
            let symbol = Symbol {
                namespace: Namespace::Declaration(kind),
                index: at as u32,
            };
            if visible.symbol(symbol) {
                ids.push(id);
            }
        }
    }
    ids.extend(view.iter().filter_map(|engagement| engagement.id()));
    ids
}

impl Report for ShowReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("reports serialise")
    }

    fn tables(&self) -> Vec<Table> {
        let mut tables = Vec::new();
        for shown in &self.matches {
            let mut declaration = Table::new(
                Some(&format!("{} {}", shown.kind, shown.id)),
                vec![Column::text("field"), Column::text("value")],
            );
            if let Some(declared) = &shown.declaration {
                declaration.push(vec!["declared at".into(), declared.place.text()]);
                declaration.push(vec!["name".into(), declared.name.clone()]);
                for (field, value) in [
                    ("party", &declared.party),
                    ("org", &declared.org),
                    ("role", &declared.role),
                ] {
                    if let Some(value) = value {
                        declaration.push(vec![field.into(), value.clone()]);
                    }
                }
                for alias in &declared.aliases {
                    declaration.push(vec!["alias".into(), alias.clone()]);
                }
            }
            declaration.push(vec!["uses".into(), shown.uses.len().to_string()]);
            tables.push(declaration);
            if shown.uses.is_empty() {
                continue;
            }
            let mut uses = Table::new(
                Some("Used in"),
                vec![
                    Column::text("place"),
                    Column::text("role"),
                    Column::text("date"),
                    Column::text("direction"),
                    Column::text("title"),
                ],
            );
            for use_ in &shown.uses {
                let (date, direction, title) = match &use_.engagement {
                    Some(engagement) => (
                        engagement.date.clone(),
                        engagement.display_direction.clone(),
                        engagement.title.clone(),
                    ),
                    None => (
                        String::new(),
                        String::new(),
                        use_.declaration.clone().unwrap_or_default(),
                    ),
                };
                uses.push(vec![use_.place.text(), use_.role.to_owned(), date, direction, title]);
            }
            tables.push(uses);
        }
        tables
    }

    /// One row per use.
    fn csv_table(&self) -> Table {
        let mut table = Table::new(
            None,
            [
                "kind",
                "id",
                "file",
                "line",
                "column",
                "role",
                "date",
                "direction",
                "title",
            ]
            .into_iter()
            .map(Column::text)
            .collect(),
        );
        for shown in &self.matches {
            for use_ in &shown.uses {
                let engagement = use_.engagement.as_ref();
                table.push(vec![
                    shown.kind.to_owned(),
                    shown.id.clone(),
                    use_.place.file.clone(),
                    use_.place.line.to_string(),
                    use_.place.column.to_string(),
                    use_.role.to_owned(),
                    engagement.map_or_else(String::new, |e| e.date.clone()),
                    engagement.map_or_else(String::new, |e| e.direction.clone()),
                    engagement.map_or_else(String::new, |e| e.title.clone()),
                ]);
            }
        }
        table
    }
}
