//! `report participants`: each person, how often, in which role, and when.
//! People who may not be named (private persons, anyone at a Chatham House
//! engagement) are counted together per party under a placeholder, which
//! keeps the totals right without a row that points at one person. People
//! the ledger never names (`+N PARTY`) get a line per party: how many
//! engagements, and how many seats.

use super::who::Who;
use std::collections::BTreeMap;

use serde::Serialize;

use chrono::NaiveDate;

use super::count::Figures;
use super::seats::{SeatTally, Seats};
use super::{Count, Report, ReportOptions};
use crate::chart::Chart;
use crate::chart::spans::{SpanRow, Spans};
use crate::date::DateSpec;
use crate::model::{EngagementIndex, Participant, PartyIndex};
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

/// People the ledger counts without naming (`+N PARTY`), per party.
#[derive(Clone, Debug, Serialize)]
pub struct UnnamedRow {
    pub party: String,
    /// Engagements with such a count for this party.
    pub engagements: Count,
    pub seats: Seats,
}

#[derive(Clone, Debug, Serialize)]
pub struct ParticipantsReport {
    pub rows: Vec<ParticipantRow>,
    pub unnamed: Vec<UnnamedRow>,
    /// Seats of the visiting sides in all, which the summary prints.
    #[serde(skip)]
    seats: u64,
    #[serde(skip)]
    options: ReportOptions,
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
    let mut report = participants_unprotected(view, options);
    if options.min_count > 1 {
        let mut figures = Figures::new();
        report.register(&mut figures, true);
        figures.protect();
    }
    report
}

/// [`participants`], its counts not yet protected: the caller protects
/// them with the rest of the output the table is part of.
pub fn participants_unprotected(view: &View<'_, '_>, options: ReportOptions) -> ParticipantsReport {
    let ledger = view.ledger;
    let mut tallies: BTreeMap<Who, PersonTally> = BTreeMap::new();
    // Per party (by index): engagements with a `+N` count, and the seats.
    let mut unnamed: BTreeMap<PartyIndex, (u64, SeatTally)> = BTreeMap::new();
    let mut seats = 0;
    for &index in &view.engagements {
        let engagement = ledger.engagement(index);
        seats += SeatTally::of_participants(engagement).number;
        let mut counted: Vec<PartyIndex> = Vec::new();
        for participant in engagement.participants() {
            if let Participant::Unnamed { party, count } = participant {
                let (engagements, tally) = unnamed.entry(party).or_default();
                if !counted.contains(&party) {
                    counted.push(party);
                    *engagements += 1;
                }
                tally.add_headcount(count);
            }
        }
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
        unnamed: unnamed
            .into_iter()
            .map(|(party, (engagements, tally))| UnnamedRow {
                party: ledger.party(party).id.to_owned(),
                engagements: Count::new(engagements, options),
                seats: tally.seats(options),
            })
            .collect(),
        seats,
        options,
    }
}

impl ParticipantsReport {
    /// Registers every count and the lines they make: a person's
    /// engagements are those as participant and those as met (unless they
    /// were both in one); and, when `all_rows` (the report is whole), the
    /// seats of every row and party add up to the seats in all, which the
    /// summary prints.
    pub fn register<'r>(&'r mut self, figures: &mut Figures<'r>, all_rows: bool) {
        let mut seats = vec![figures.off_page(self.seats, self.options)];
        for row in &mut self.rows {
            let adds_up = row.engagements.value() == row.as_participant.value() + row.as_met.value();
            let engagements = figures.add(&mut row.engagements);
            let as_participant = figures.add(&mut row.as_participant);
            let as_met = figures.add(&mut row.as_met);
            if adds_up {
                figures.line([engagements, as_participant, as_met]);
            }
            seats.push(as_participant);
        }
        for row in &mut self.unnamed {
            figures.add(&mut row.engagements);
            seats.push(figures.add(&mut row.seats.count));
        }
        if all_rows {
            figures.line(seats);
        }
    }

    /// Keeps only the rows `keep` says, and no line of unnamed seats: what
    /// the summary's page shows of people.
    pub fn retain(&mut self, keep: impl FnMut(&ParticipantRow) -> bool) {
        self.rows.retain(keep);
        self.unnamed.clear();
    }

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
        // A line per party for the people counted, not named: their seats
        // stand where a person's engagements as participant do.
        for row in &self.unnamed {
            table.push(vec![
                String::new(),
                format!("counted, not named ({})", row.party),
                row.party.clone(),
                String::new(),
                row.engagements.to_string(),
                row.seats.to_string(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        table
    }
}
