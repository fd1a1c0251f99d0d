//! `report engagements`: one row per engagement, for a briefing. Sorted by
//! date (the first day a date could mean), then in ledger order; the date
//! as written, names rather than ids, and the people as the view may show
//! them: named participants by name, everyone else counted per party.
//!
//! A list shows each engagement, so there is nothing for `--min-count` to
//! withhold: the command line refuses the two together.

use serde::Serialize;

use super::seats::{SeatTally, Seats};
use super::{Report, ReportOptions};
use crate::model::{Arrow, Direction, Headcount, PartyIndex};
use crate::privacy::{Shown, View};
use crate::table::{Column, Table};

#[derive(Clone, Debug, Serialize)]
pub struct EngagementRow {
    pub id: Option<String>,
    /// As written: a day, a range, a month or a year.
    pub date: String,
    /// `AZ -> AM`, the visiting parties in declaration order.
    pub direction: String,
    pub title: String,
    pub format: Option<String>,
    pub format_name: Option<String>,
    pub track: String,
    pub series: Option<String>,
    pub venue: Option<String>,
    pub sponsors: Vec<Named>,
    /// Participants the output may name, in the order written.
    pub participants: Vec<Named>,
    /// Everyone else on the visiting side, counted per party.
    pub counted: Vec<Counted>,
    pub seats: Seats,
    pub status: String,
    #[serde(skip)]
    display_direction: String,
}

/// A declaration as a row shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// People of one party on the visiting side who are not named: counted in
/// the ledger (`+3 AZ`, `+~6 AM`, `+? AM`), or named there but not in this
/// output.
#[derive(Clone, Debug, Serialize)]
pub struct Counted {
    pub party: Option<String>,
    /// `null` for `+?`: some people, how many not known.
    pub count: Option<u64>,
    pub approximate: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct EngagementsReport {
    pub rows: Vec<EngagementRow>,
}

pub fn engagements(view: &View<'_, '_>, options: ReportOptions) -> EngagementsReport {
    let ledger = view.ledger;
    let mut order: Vec<_> = view.engagements.clone();
    order.sort_by_key(|&index| (ledger.engagement(index).date().first_day(), index));
    let rows = order
        .into_iter()
        .map(|index| {
            let engagement = ledger.engagement(index);
            let direction = Direction::of(engagement);
            let shown = view.participants(engagement);
            let mut participants = Vec::new();
            // Per party, in order of first appearance: the number counted
            // and whether it is approximate; `+?` parts stay apart, since
            // they have no number to add.
            let mut numbered: Vec<(Option<PartyIndex>, u64, bool)> = Vec::new();
            let mut unknown: Vec<Option<PartyIndex>> = Vec::new();
            let mut add = |party: Option<PartyIndex>, number: u64, approximate: bool| match numbered
                .iter_mut()
                .find(|(known, _, _)| *known == party)
            {
                Some((_, total, about)) => {
                    *total += number;
                    *about |= approximate;
                }
                None => numbered.push((party, number, approximate)),
            };
            for person in shown {
                match person {
                    Shown::Person(person) => {
                        let person = ledger.person(person);
                        participants.push(Named {
                            id: person.id.to_owned(),
                            name: person.name.to_owned(),
                        });
                    }
                    Shown::Unnamed { party, count } => match count {
                        Headcount::Exact(number) => add(Some(party), u64::from(number), false),
                        Headcount::About(number) => add(Some(party), u64::from(number), true),
                        Headcount::Unknown => unknown.push(Some(party)),
                    },
                    Shown::Withheld { party, count } => add(party, u64::from(count), false),
                }
            }
            let party_id = |party: Option<PartyIndex>| party.map(|party| ledger.party(party).id.to_owned());
            let counted = numbered
                .into_iter()
                .map(|(party, number, approximate)| Counted {
                    party: party_id(party),
                    count: Some(number),
                    approximate,
                })
                .chain(unknown.into_iter().map(|party| Counted {
                    party: party_id(party),
                    count: None,
                    approximate: false,
                }))
                .collect();
            let format = engagement.format().map(|format| ledger.format(format));
            EngagementRow {
                id: engagement.id().map(str::to_owned),
                date: engagement.date_text().to_owned(),
                direction: direction.label(ledger, Arrow::Ascii),
                title: engagement.title().to_owned(),
                format: format.map(|format| format.id.to_owned()),
                format_name: format.map(|format| format.name.to_owned()),
                track: engagement.track().as_str().to_owned(),
                series: engagement.series().map(|series| ledger.series_of(series).id.to_owned()),
                venue: engagement.venue().map(str::to_owned),
                sponsors: engagement
                    .sponsors()
                    .iter()
                    .map(|&org| {
                        let org = ledger.org(org);
                        Named {
                            id: org.id.to_owned(),
                            name: org.name.to_owned(),
                        }
                    })
                    .collect(),
                participants,
                counted,
                seats: SeatTally::of_participants(engagement).seats(options),
                status: engagement.status().as_str().to_owned(),
                display_direction: direction.label(ledger, Arrow::Unicode),
            }
        })
        .collect();
    EngagementsReport { rows }
}

impl Counted {
    /// `+3 AZ`, `+≈6 AM`, `+? AM`.
    fn text(&self) -> String {
        let number = match (self.count, self.approximate) {
            (None, _) => "?".to_owned(),
            (Some(count), false) => count.to_string(),
            (Some(count), true) => format!("≈{count}"),
        };
        match &self.party {
            Some(party) => format!("+{number} {party}"),
            None => format!("+{number}"),
        }
    }
}

impl EngagementRow {
    /// The participants by name, then those counted: `Rusif Huseynov,
    /// Farhad Mammadov, +3 AZ`.
    fn people(&self) -> String {
        let names = self.participants.iter().map(|person| person.name.clone());
        let counted = self.counted.iter().map(Counted::text);
        names.chain(counted).collect::<Vec<_>>().join(", ")
    }

    fn sponsor_names(&self) -> String {
        let names: Vec<&str> = self.sponsors.iter().map(|org| org.name.as_str()).collect();
        names.join(", ")
    }
}

impl Report for EngagementsReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("reports serialise")
    }

    fn tables(&self) -> Vec<Table> {
        let columns = vec![
            Column::text("date"),
            Column::text("direction"),
            Column::text("title"),
            Column::text("format"),
            Column::text("track"),
            Column::text("venue"),
            Column::text("sponsors"),
            Column::text("participants"),
            Column::number("seats"),
            Column::text("status"),
        ];
        let headers: Vec<String> = columns.iter().map(|column| column.header.clone()).collect();
        let mut table = Table::new(Some("Engagements"), columns);
        // In a terminal too narrow for the columns, each engagement is a
        // block of `field  value` lines instead.
        let mut blocks = Table::new(Some("Engagements"), vec![Column::text("field"), Column::text("value")]);
        for (index, row) in self.rows.iter().enumerate() {
            let cells = vec![
                row.date.clone(),
                row.display_direction.clone(),
                row.title.clone(),
                row.format_name.clone().unwrap_or_default(),
                row.track.clone(),
                row.venue.clone().unwrap_or_default(),
                row.sponsor_names(),
                row.people(),
                row.seats.to_string(),
                row.status.clone(),
            ];
            if index > 0 {
                blocks.push(vec![String::new(), String::new()]);
            }
            for (header, cell) in headers.iter().zip(&cells) {
                if !cell.is_empty() {
                    blocks.push(vec![header.clone(), cell.clone()]);
                }
            }
            table.push(cells);
        }
        table.long_form = Some(Box::new(blocks));
        vec![table]
    }

    /// As the table, with ids beside the names and the seats in parts.
    fn csv_table(&self) -> Table {
        let columns = vec![
            Column::text("id"),
            Column::text("date"),
            Column::text("direction"),
            Column::text("title"),
            Column::text("format"),
            Column::text("format_name"),
            Column::text("track"),
            Column::text("series"),
            Column::text("venue"),
            Column::text("sponsors"),
            Column::text("sponsor_names"),
            Column::text("participants"),
            Column::text("participant_names"),
            Column::number("seats"),
            Column::text("seats_approximate"),
            Column::number("seats_unknown_parts"),
            Column::text("status"),
        ];
        let mut table = Table::new(None, columns);
        for row in &self.rows {
            let ids: Vec<String> = row
                .participants
                .iter()
                .map(|person| person.id.clone())
                .chain(row.counted.iter().map(Counted::text))
                .collect();
            let sponsor_ids: Vec<&str> = row.sponsors.iter().map(|org| org.id.as_str()).collect();
            table.push(vec![
                row.id.clone().unwrap_or_default(),
                row.date.clone(),
                row.direction.clone(),
                row.title.clone(),
                row.format.clone().unwrap_or_default(),
                row.format_name.clone().unwrap_or_default(),
                row.track.clone(),
                row.series.clone().unwrap_or_default(),
                row.venue.clone().unwrap_or_default(),
                sponsor_ids.join(";"),
                row.sponsor_names(),
                ids.join(";"),
                row.people(),
                row.seats.count.to_string(),
                row.seats.approximate.to_string(),
                row.seats.unknown_parts.to_string(),
                row.status.clone(),
            ]);
        }
        table
    }
}
