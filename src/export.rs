//! The ledger's meaning as one JSON document (GRAMMAR.md §7), which the
//! conformance corpus compares implementations by; and `export`, which is the
//! same document (or CSV) seen through a privacy [`View`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::date::Precision;
use crate::escape;
use crate::model::{
    Confidentiality, Engagement, EngagementIndex, ExtraField, Headcount, Ledger, OrgIndex, OrgKind, Participant,
    PartyIndex, PersonIndex, Status, Track,
};
use crate::privacy::{self, Shown, View};

#[derive(Serialize)]
pub struct LedgerDocument<'a> {
    pub parties: Vec<PartyRecord<'a>>,
    pub orgs: Vec<OrgRecord<'a>>,
    pub persons: Vec<PersonRecord<'a>>,
    pub formats: Vec<LabelRecord<'a>>,
    pub series: Vec<LabelRecord<'a>>,
    pub engagements: Vec<EngagementRecord<'a>>,
}

type Extra<'a> = BTreeMap<&'a str, Vec<&'a str>>;

#[derive(Serialize)]
pub struct PartyRecord<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub wikidata: Option<&'a str>,
    pub extra: Extra<'a>,
}

#[derive(Serialize)]
pub struct OrgRecord<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub party: Option<&'a str>,
    pub kind: Option<OrgKind>,
    pub wikidata: Option<&'a str>,
    pub extra: Extra<'a>,
}

#[derive(Serialize)]
pub struct PersonRecord<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub party: Option<&'a str>,
    pub org: Option<&'a str>,
    pub role: Option<&'a str>,
    pub aliases: Vec<&'a str>,
    pub private: bool,
    pub wikidata: Option<&'a str>,
    pub extra: Extra<'a>,
}

#[derive(Serialize)]
pub struct LabelRecord<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub extra: Extra<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum ParticipantRecord<'a> {
    Person {
        person: &'a str,
    },
    /// `+N PARTY` is `{"party", "count"}`; `+~N PARTY` adds
    /// `"approximate": true`; `+? PARTY` has `"count": null`.
    Unnamed {
        party: &'a str,
        count: Option<u32>,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        approximate: bool,
    },
}

impl<'a> ParticipantRecord<'a> {
    fn unnamed(party: &'a str, count: Headcount) -> ParticipantRecord<'a> {
        ParticipantRecord::Unnamed {
            party,
            count: count.number(),
            approximate: matches!(count, Headcount::About(_)),
        }
    }

    /// The participant as a list item of the ledger: an id, or a count in
    /// canonical form (`+3 AZ`, `+~6 AM`, `+? AM`).
    pub fn as_item(&self) -> String {
        match self {
            ParticipantRecord::Person { person } => (*person).to_owned(),
            ParticipantRecord::Unnamed {
                party,
                count: Some(count),
                approximate,
            } => format!("+{}{count} {party}", if *approximate { "~" } else { "" }),
            ParticipantRecord::Unnamed { party, count: None, .. } => format!("+? {party}"),
        }
    }
}

#[derive(Serialize)]
pub struct EngagementRecord<'a> {
    pub id: Option<&'a str>,
    pub date: &'a str,
    pub precision: Precision,
    pub start: String,
    pub end: String,
    pub from: Vec<&'a str>,
    pub to: &'a str,
    pub title: &'a str,
    pub format: Option<&'a str>,
    pub track: Track,
    pub series: Option<&'a str>,
    pub reciprocates: Option<&'a str>,
    pub status: Status,
    pub confidential: Option<Confidentiality>,
    pub embargo: Option<String>,
    pub venue: Option<&'a str>,
    pub sponsors: Vec<&'a str>,
    pub participants: Vec<ParticipantRecord<'a>>,
    pub met: Vec<&'a str>,
    pub sources: Vec<&'a str>,
    pub notes: Vec<&'a str>,
    pub tags: Vec<&'a str>,
    pub extra: Extra<'a>,
}

fn extra<'a, 'f>(fields: impl IntoIterator<Item = &'f ExtraField<'a>>) -> Extra<'a>
where
    'a: 'f,
{
    let mut map = Extra::new();
    for field in fields {
        map.entry(field.key).or_default().push(field.value);
    }
    map
}

impl<'a> LedgerDocument<'a> {
    /// Every declaration and every engagement of `ledger`, in ledger order.
    pub fn new(ledger: &Ledger<'a>) -> LedgerDocument<'a> {
        LedgerDocument {
            parties: ledger
                .parties
                .iter()
                .map(|party| PartyRecord {
                    id: party.id,
                    name: party.name,
                    wikidata: party.wikidata,
                    extra: extra(&party.extra),
                })
                .collect(),
            orgs: ledger
                .orgs
                .iter()
                .map(|org| OrgRecord {
                    id: org.id,
                    name: org.name,
                    party: org.party.map(|party| ledger.party(party).id),
                    kind: org.kind,
                    wikidata: org.wikidata,
                    extra: extra(&org.extra),
                })
                .collect(),
            persons: ledger
                .persons
                .iter()
                .map(|person| PersonRecord {
                    id: person.id,
                    name: person.name,
                    party: person.party.map(|party| ledger.party(party).id),
                    org: person.org.map(|org| ledger.org(org).id),
                    role: person.role,
                    aliases: person.aliases.clone(),
                    private: person.private,
                    wikidata: person.wikidata,
                    extra: extra(&person.extra),
                })
                .collect(),
            formats: ledger.formats.iter().map(label).collect(),
            series: ledger.series.iter().map(label).collect(),
            engagements: ledger
                .engagements()
                .map(|engagement| EngagementRecord::new(ledger, engagement))
                .collect(),
        }
    }
}

fn label<'a>(label: &crate::model::Label<'a>) -> LabelRecord<'a> {
    LabelRecord {
        id: label.id,
        name: label.name,
        extra: extra(&label.extra),
    }
}

impl<'a> EngagementRecord<'a> {
    pub fn new(ledger: &Ledger<'a>, engagement: Engagement<'_, 'a>) -> EngagementRecord<'a> {
        let date = engagement.date();
        EngagementRecord {
            id: engagement.id(),
            date: engagement.date_text(),
            precision: date.precision(),
            start: date.first_day().to_string(),
            end: date.last_day().to_string(),
            from: engagement
                .origin()
                .iter()
                .map(|&party| ledger.party(party).id)
                .collect(),
            to: ledger.destination_id(engagement.destination()),
            title: engagement.title(),
            format: engagement.format().map(|format| ledger.format(format).id),
            track: engagement.track(),
            series: engagement.series().map(|series| ledger.series_of(series).id),
            reciprocates: engagement
                .reciprocates()
                .and_then(|target| ledger.engagement(target).id()),
            status: engagement.status(),
            confidential: engagement.confidential(),
            embargo: engagement.embargo().map(|date| date.to_string()),
            venue: engagement.venue(),
            sponsors: engagement.sponsors().iter().map(|&org| ledger.org(org).id).collect(),
            participants: engagement
                .participants()
                .map(|participant| match participant {
                    Participant::Person(person) => ParticipantRecord::Person {
                        person: ledger.person(person).id,
                    },
                    Participant::Unnamed { party, count } => ParticipantRecord::unnamed(ledger.party(party).id, count),
                })
                .collect(),
            met: engagement
                .met()
                .iter()
                .map(|&person| ledger.person(person).id)
                .collect(),
            sources: engagement.sources().collect(),
            notes: engagement.notes().collect(),
            tags: engagement.tags().collect(),
            extra: extra(&engagement.extra().collect::<Vec<_>>()),
        }
    }
}

/// People an export may not name, counted per party.
#[derive(Clone, Debug, Serialize)]
pub struct WithheldCount<'a> {
    /// `null` for people declared without a party.
    pub party: Option<&'a str>,
    pub count: u32,
}

/// An engagement as `export` writes it: the model's record, less whoever
/// the view may not name, who are counted instead.
#[derive(Serialize)]
pub struct ExportedEngagement<'a> {
    #[serde(flatten)]
    pub record: EngagementRecord<'a>,
    pub withheld_participants: Vec<WithheldCount<'a>>,
    pub withheld_met: Vec<WithheldCount<'a>>,
    /// Only under `--include-private`: whether this row holds anything a
    /// public export would not (the engagement is withheld, or names people
    /// it would count instead), so that a reader can drop exactly those
    /// rows. Not `confidential`, which is the engagement's own field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub includes_private: Option<bool>,
}

/// The document `export --output json` writes (README, "Export").
#[derive(Serialize)]
pub struct ExportDocument<'a> {
    /// True only under `--include-private`: the document names people and
    /// engagements that must not be published.
    pub confidential: bool,
    /// Engagements of the whole ledger left out as private or embargoed.
    pub withheld: usize,
    pub parties: Vec<PartyRecord<'a>>,
    pub orgs: Vec<OrgRecord<'a>>,
    pub persons: Vec<PersonRecord<'a>>,
    pub formats: Vec<LabelRecord<'a>>,
    pub series: Vec<LabelRecord<'a>>,
    pub engagements: Vec<ExportedEngagement<'a>>,
}

impl<'a> ExportDocument<'a> {
    /// What `view` lets through: its engagements, and only the persons and
    /// orgs it discloses.
    pub fn new(view: &View<'_, 'a>) -> ExportDocument<'a> {
        let ledger = view.ledger;
        let everything = LedgerDocument::new(ledger);
        let keep = |disclosed: &dyn Fn(usize) -> bool, len: usize| (0..len).map(disclosed).collect::<Vec<bool>>();
        let persons = keep(
            &|index| view.is_person_disclosed(PersonIndex(index as u32)),
            ledger.persons.len(),
        );
        let orgs = keep(
            &|index| view.is_org_disclosed(OrgIndex(index as u32)),
            ledger.orgs.len(),
        );
        ExportDocument {
            confidential: view.reveal,
            withheld: view.withheld,
            parties: everything.parties,
            orgs: everything
                .orgs
                .into_iter()
                .zip(orgs)
                .filter(|(_, keep)| *keep)
                .map(|(org, _)| org)
                .collect(),
            persons: everything
                .persons
                .into_iter()
                .zip(persons)
                .filter(|(_, keep)| *keep)
                .map(|(person, _)| person)
                .collect(),
            formats: everything.formats,
            series: everything.series,
            engagements: exported_engagements(view),
        }
    }
}

/// The engagements of `view`, sorted by date (their first possible day),
/// then in ledger order: the order a reader of a spreadsheet expects, and
/// the one `report engagements` lists them in. Under `--include-private`,
/// each says whether it holds what a public export would not, found by
/// making the public row too and comparing: privacy is decided by the
/// view alone, never again here.
fn exported_engagements<'a>(view: &View<'_, 'a>) -> Vec<ExportedEngagement<'a>> {
    let ledger = view.ledger;
    let mut order = view.engagements.clone();
    order.sort_by_key(|&index| (ledger.engagement(index).date().first_day(), index));
    let public = view.reveal.then(|| {
        let disclosure = privacy::Disclosure {
            reveal: false,
            as_of: view.as_of(),
        };
        View::new(ledger, disclosure, &crate::filter::Filter::default())
    });
    order
        .into_iter()
        .map(|index| {
            let mut exported = ExportedEngagement::new(view, index);
            if let Some(public) = &public {
                let withheld = privacy::is_withheld(ledger.engagement(index), public.as_of());
                let masked = || {
                    let json = |row: &ExportedEngagement<'_>| serde_json::to_value(row).expect("rows serialise");
                    json(&ExportedEngagement::new(public, index)) != json(&exported)
                };
                exported.includes_private = Some(withheld || masked());
            }
            exported
        })
        .collect()
}

impl<'a> ExportedEngagement<'a> {
    pub fn new(view: &View<'_, 'a>, index: EngagementIndex) -> ExportedEngagement<'a> {
        let ledger = view.ledger;
        let engagement = ledger.engagement(index);
        let mut record = EngagementRecord::new(ledger, engagement);
        let withheld_count = |party: Option<PartyIndex>, count| WithheldCount {
            party: party.map(|party| ledger.party(party).id),
            count,
        };
        let mut withheld_participants = Vec::new();
        record.participants = view
            .participants(engagement)
            .into_iter()
            .filter_map(|shown| match shown {
                Shown::Person(person) => Some(ParticipantRecord::Person {
                    person: ledger.person(person).id,
                }),
                Shown::Unnamed { party, count } => Some(ParticipantRecord::unnamed(ledger.party(party).id, count)),
                Shown::Withheld { party, count } => {
                    withheld_participants.push(withheld_count(party, count));
                    None
                }
            })
            .collect();
        let mut withheld_met = Vec::new();
        record.met = view
            .met(engagement)
            .into_iter()
            .filter_map(|shown| match shown {
                Shown::Person(person) => Some(ledger.person(person).id),
                Shown::Withheld { party, count } => {
                    withheld_met.push(withheld_count(party, count));
                    None
                }
                Shown::Unnamed { .. } => None,
            })
            .collect();
        // A link to a withheld engagement would name it.
        let target_withheld = engagement
            .reciprocates()
            .is_some_and(|target| !view.reveal && privacy::is_withheld(ledger.engagement(target), view.as_of()));
        if target_withheld {
            record.reciprocates = None;
        }
        ExportedEngagement {
            record,
            withheld_participants,
            withheld_met,
            includes_private: None,
        }
    }
}

/// The last column of `export --output csv --include-private`: `yes` on a
/// row that holds what a public export would not (see
/// [`ExportedEngagement::includes_private`]).
pub const INCLUDES_PRIVATE: &str = "includes_private";

/// `export --output csv`: one row per engagement. Lists of ids are joined
/// with `;`; lists of free text (sources, notes), which may hold `;`, with a
/// line break. Each `x-…` key of the ledger gets a column of its own. Every
/// cell is text, so every one that a spreadsheet would run as a formula
/// (`=…`, `+3 AZ;…`) gets a `'` in front ([`escape::spreadsheet_text`]).
pub fn to_csv(document: &ExportDocument<'_>) -> String {
    let extra_keys: std::collections::BTreeSet<&str> = document
        .engagements
        .iter()
        .flat_map(|engagement| engagement.record.extra.keys().copied())
        .collect();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = [
        "id",
        "date",
        "precision",
        "start",
        "end",
        "from",
        "to",
        "title",
        "format",
        "track",
        "series",
        "reciprocates",
        "status",
        "confidential",
        "embargo",
        "venue",
        "sponsors",
        "participants",
        "withheld_participants",
        "met",
        "withheld_met",
        "sources",
        "notes",
        "tags",
    ];
    writer
        .write_record(
            header
                .iter()
                .copied()
                .chain(extra_keys.iter().copied())
                .chain(document.confidential.then_some(INCLUDES_PRIVATE))
                .map(|name| escape::spreadsheet_text(name).into_owned()),
        )
        .expect("writing to memory cannot fail");
    let counts = |counts: &[WithheldCount<'_>]| {
        counts
            .iter()
            .map(|withheld| format!("+{} {}", withheld.count, withheld.party.unwrap_or("?")))
            .collect::<Vec<_>>()
            .join(";")
    };
    for engagement in &document.engagements {
        let record = &engagement.record;
        let participants: Vec<String> = record.participants.iter().map(ParticipantRecord::as_item).collect();
        let mut row: Vec<String> = vec![
            record.id.unwrap_or_default().to_owned(),
            record.date.to_owned(),
            record.precision.as_str().to_owned(),
            record.start.clone(),
            record.end.clone(),
            record.from.join(";"),
            record.to.to_owned(),
            record.title.to_owned(),
            record.format.unwrap_or_default().to_owned(),
            record.track.as_str().to_owned(),
            record.series.unwrap_or_default().to_owned(),
            record.reciprocates.unwrap_or_default().to_owned(),
            record.status.as_str().to_owned(),
            record.confidential.map_or("", |c| c.as_str()).to_owned(),
            record.embargo.clone().unwrap_or_default(),
            record.venue.unwrap_or_default().to_owned(),
            record.sponsors.join(";"),
            participants.join(";"),
            counts(&engagement.withheld_participants),
            record.met.join(";"),
            counts(&engagement.withheld_met),
            record.sources.join("\n"),
            record.notes.join("\n"),
            record.tags.join(";"),
        ];
        row.extend(extra_keys.iter().map(|key| {
            record
                .extra
                .get(key)
                .map(|values| values.join("\n"))
                .unwrap_or_default()
        }));
        if let Some(includes_private) = engagement.includes_private {
            row.push(if includes_private { "yes" } else { "no" }.to_owned());
        }
        let row = row.iter().map(|cell| escape::spreadsheet_text(cell).into_owned());
        writer.write_record(row).expect("writing to memory cannot fail");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory cannot fail")).expect("CSV of UTF-8 is UTF-8")
}
