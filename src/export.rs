//! The ledger's meaning as one JSON document (GRAMMAR.md §7): what the
//! conformance corpus compares implementations by, and what `export` writes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::date::Precision;
use crate::model::{Confidentiality, Engagement, ExtraField, Ledger, OrgKind, Participant, Status, Track};

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
    Person { person: &'a str },
    Unnamed { party: &'a str, count: u32 },
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

fn extra<'a>(fields: &[ExtraField<'a>]) -> Extra<'a> {
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
                .engagements
                .iter()
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
    pub fn new(ledger: &Ledger<'a>, engagement: &Engagement<'a>) -> EngagementRecord<'a> {
        EngagementRecord {
            id: engagement.id,
            date: engagement.date_text,
            precision: engagement.date.precision(),
            start: engagement.date.first_day().to_string(),
            end: engagement.date.last_day().to_string(),
            from: engagement.origin.iter().map(|&party| ledger.party(party).id).collect(),
            to: ledger.destination_id(engagement.destination),
            title: engagement.title,
            format: engagement.format.map(|format| ledger.format(format).id),
            track: engagement.track,
            series: engagement.series.map(|series| ledger.series_of(series).id),
            reciprocates: engagement.reciprocates.and_then(|target| ledger.engagement(target).id),
            status: engagement.status,
            confidential: engagement.confidential,
            embargo: engagement.embargo.map(|date| date.to_string()),
            venue: engagement.venue,
            sponsors: engagement.sponsors.iter().map(|&org| ledger.org(org).id).collect(),
            participants: engagement
                .participants
                .iter()
                .map(|participant| match *participant {
                    Participant::Person(person) => ParticipantRecord::Person {
                        person: ledger.person(person).id,
                    },
                    Participant::Unnamed { party, count } => ParticipantRecord::Unnamed {
                        party: ledger.party(party).id,
                        count,
                    },
                })
                .collect(),
            met: engagement.met.iter().map(|&person| ledger.person(person).id).collect(),
            sources: engagement.sources.clone(),
            notes: engagement.notes.clone(),
            tags: engagement.tags.clone(),
            extra: extra(&engagement.extra),
        }
    }
}
