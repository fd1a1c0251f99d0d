//! `report participants`: each person, how often, in which role, and when.
//! People who may not be named (private persons, anyone at a Chatham House
//! engagement) are counted together per party under a placeholder, which
//! keeps the totals right without a row that points at one person.

use std::collections::BTreeMap;

use serde::Serialize;

use chrono::NaiveDate;

use super::{Count, Report, ReportOptions};
use crate::chart::Chart;
use crate::chart::spans::{SpanRow, Spans};
use crate::date::DateSpec;
use crate::model::{EngagementIndex, Participant, PartyIndex, PersonIndex};
use crate::privacy::View;
use crate::table::{Column, Table};

#[derive(Clone, Debug, Serialize)]
pub struct ParticipantRow {
    /// The person's id; `null` on a placeholder row.
    pub person: Option<String>,
    /// The display name, or a placeholder such as `participant (AZ)`.
    pub name: String,
    pub party: Option<String>,
    pub org: Option<String>,
    /// Engagements this person (or placeholder) took part in, either role.
    pub engagements: Count,
    pub as_participant: Count,
    pub as_met: Count,
    /// The date of the first and the last of those engagements, as written.
    pub first: String,
    pub last: String,
    /// The first day of each of those engagements, for the chart's marks.
    #[serde(skip)]
    pub days: Vec<NaiveDate>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct ParticipantsReport {
    pub rows: Vec<ParticipantRow>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Named(PersonIndex),
    Unnamed(Option<PartyIndex>),
}

#[derive(Default)]
struct PersonTally {
    engagements: Vec<EngagementIndex>,
    as_participant: u64,
    as_met: u64,
    first: Option<(DateSpec, EngagementIndex)>,
    last: Option<(DateSpec, EngagementIndex)>,
}

pub fn participants(view: &View<'_, '_>, options: ReportOptions) -> ParticipantsReport {
    let ledger = view.ledger;
    let mut tallies: BTreeMap<Who, PersonTally> = BTreeMap::new();
    for &index in &view.engagements {
        let engagement = ledger.engagement(index);
        let participants = engagement.participants().filter_map(|participant| match participant {
            Participant::Person(person) => Some((person, true)),
            Participant::Unnamed { .. } => None,
        });
        let met = engagement.met().iter().map(|&person| (person, false));
        for (person, participating) in participants.chain(met) {
            let who = if view.names(engagement, person) {
                Who::Named(person)
            } else {
                Who::Unnamed(ledger.person(person).party)
            };
            let tally = tallies.entry(who).or_default();
            if participating {
                tally.as_participant += 1;
            } else {
                tally.as_met += 1;
            }
            if tally.engagements.last() != Some(&index) {
                tally.engagements.push(index);
            }
            let key = (engagement.date().first_day(), index);
            if tally.first.is_none_or(|(date, first)| key < (date.first_day(), first)) {
                tally.first = Some((engagement.date(), index));
            }
            if tally.last.is_none_or(|(date, last)| key > (date.first_day(), last)) {
                tally.last = Some((engagement.date(), index));
            }
        }
    }
    let mut rows: Vec<(u64, ParticipantRow)> = tallies
        .into_iter()
        .map(|(who, tally)| {
            let date_text = |slot: Option<(DateSpec, EngagementIndex)>| {
                slot.map_or_else(String::new, |(_, index)| {
                    ledger.engagement(index).date_text().to_owned()
                })
            };
            let (person, name, party, org) = match who {
                Who::Named(index) => {
                    let person = ledger.person(index);
                    (
                        Some(person.id.to_owned()),
                        person.name.to_owned(),
                        person.party.map(|party| ledger.party(party).id.to_owned()),
                        person.org.map(|org| ledger.org(org).name.to_owned()),
                    )
                }
                Who::Unnamed(party) => (
                    None,
                    view.placeholder(party),
                    party.map(|party| ledger.party(party).id.to_owned()),
                    None,
                ),
            };
            let engagements = tally.engagements.len() as u64;
            let row = ParticipantRow {
                person,
                name,
                party,
                org,
                engagements: Count::new(engagements, options),
                as_participant: Count::new(tally.as_participant, options),
                as_met: Count::new(tally.as_met, options),
                first: date_text(tally.first),
                last: date_text(tally.last),
                days: tally
                    .engagements
                    .iter()
                    .map(|&index| ledger.engagement(index).date().first_day())
                    .collect(),
            };
            (engagements, row)
        })
        .collect();
    rows.sort_by(|(a_count, a), (b_count, b)| {
        b_count
            .cmp(a_count)
            .then_with(|| a.person.is_none().cmp(&b.person.is_none()))
            .then_with(|| a.name.cmp(&b.name))
    });
    ParticipantsReport {
        rows: rows.into_iter().map(|(_, row)| row).collect(),
    }
}

impl ParticipantsReport {
    /// Span bars of these rows, titled `title`.
    pub fn spans(&self, title: &str) -> Spans {
        let day = |text: &str| DateSpec::parse(text).ok().map(DateSpec::first_day);
        let mut parties: Vec<String> = self.rows.iter().filter_map(|row| row.party.clone()).collect();
        parties.sort();
        parties.dedup();
        let people = self
            .rows
            .iter()
            .filter_map(|row| {
                let engagements = crate::chart::Amount::from(row.engagements);
                Some(SpanRow {
                    name: row.name.clone(),
                    party: row.party.clone(),
                    // A mark per engagement would count what the number withholds.
                    marks: if engagements.is_suppressed() {
                        Vec::new()
                    } else {
                        row.days.clone()
                    },
                    engagements,
                    first: (day(&row.first)?, row.first.clone()),
                    last: (day(&row.last)?, row.last.clone()),
                })
            })
            .collect();
        Spans {
            title: title.to_owned(),
            parties,
            people,
        }
    }
}

impl Report for ParticipantsReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("reports serialise")
    }

    fn chart(&self) -> Option<Chart> {
        Some(Chart::Spans(self.spans("Participants, first to last engagement")))
    }

    fn tables(&self) -> Vec<Table> {
        let mut table = self.csv_table();
        table.title = Some("Participants".into());
        vec![table]
    }

    fn csv_table(&self) -> Table {
        let columns = vec![
            Column::text("person"),
            Column::text("name"),
            Column::text("party"),
            Column::text("org"),
            Column::number("engagements"),
            Column::number("participant"),
            Column::number("met"),
            Column::text("first"),
            Column::text("last"),
        ];
        let mut table = Table::new(None, columns);
        for row in &self.rows {
            table.push(vec![
                row.person.clone().unwrap_or_default(),
                row.name.clone(),
                row.party.clone().unwrap_or_default(),
                row.org.clone().unwrap_or_default(),
                row.engagements.to_string(),
                row.as_participant.to_string(),
                row.as_met.to_string(),
                row.first.clone(),
                row.last.clone(),
            ]);
        }
        table
    }
}
