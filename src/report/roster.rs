//! `report roster --series ID`: who stays across the rounds of a series.
//! One row per person, one column per round (each engagement of the view,
//! in date order), marking whether they took part on the visiting side or
//! among those met. People are sorted by their first round.
//!
//! People are named only as the view allows, exactly as in `report
//! participants`: someone who may not be named in a round counts under a
//! placeholder per party, `participant (AM)`, marked in every round where
//! any such person of that party took part.

use super::who::Who;
use std::collections::BTreeMap;

use serde::Serialize;

use super::{Report, ReportOptions};
use crate::chart::Chart;
use crate::chart::roster::{Roster, RosterRole, RosterRow, Round};
use crate::model::EngagementIndex;
use crate::privacy::View;
use crate::table::{Column, Table};

/// A roster shows at most this many rounds, the latest; the title says so.
/// A grid of every person by every round grows with the square of the
/// ledger, which no reader needs and no input may force.
pub const MAX_ROUNDS: usize = 100;

#[derive(Clone, Debug, Serialize)]
pub struct RosterRound {
    pub id: Option<String>,
    pub date: String,
    pub title: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RosterPerson {
    /// The person's id; `null` on a placeholder row.
    pub person: Option<String>,
    pub name: String,
    pub party: Option<String>,
    /// One per round: `"participant"`, `"met"` or `null`.
    pub rounds: Vec<Option<RosterRole>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RosterReport {
    /// The series' name when every round belongs to one series.
    pub series: Option<String>,
    pub rounds: Vec<RosterRound>,
    pub people: Vec<RosterPerson>,
    /// Rounds of the view left out: all but the latest [`MAX_ROUNDS`].
    pub earlier_rounds_left_out: usize,
}

pub fn roster(view: &View<'_, '_>, _options: ReportOptions) -> RosterReport {
    let ledger = view.ledger;
    let mut rounds: Vec<EngagementIndex> = view.engagements.clone();
    rounds.sort_by_key(|&index| (ledger.engagement(index).date().first_day(), index));
    let left_out = rounds.len().saturating_sub(MAX_ROUNDS);
    let rounds = rounds.split_off(left_out);
    let mut roles: BTreeMap<Who, Vec<Option<RosterRole>>> = BTreeMap::new();
    for (column, &index) in rounds.iter().enumerate() {
        let engagement = ledger.engagement(index);
        let sides = [
            (view.participants(engagement), RosterRole::Participant),
            (view.met(engagement), RosterRole::Met),
        ];
        for (shown, role) in sides {
            for person in shown {
                let Some(who) = Who::of(person) else {
                    continue;
                };
                let cells = roles.entry(who).or_insert_with(|| vec![None; rounds.len()]);
                // On both sides of one round, a person counts as visiting.
                if cells[column].is_none() {
                    cells[column] = Some(role);
                }
            }
        }
    }
    let series = {
        let mut all = rounds.iter().map(|&index| ledger.engagement(index).series());
        let first = all.next().flatten();
        first
            .filter(|&series| all.all(|other| other == Some(series)))
            .map(|series| ledger.series_of(series).name.to_owned())
    };
    let mut people: Vec<(usize, usize, RosterPerson)> = roles
        .into_iter()
        .map(|(who, cells)| {
            let (person, name, party) = match who {
                Who::Named(index) => {
                    let person = ledger.person(index);
                    (Some(person.id.to_owned()), person.name.to_owned(), person.party)
                }
                Who::Unnamed(party) => (None, view.placeholder(party), party),
            };
            let first = cells.iter().position(Option::is_some).unwrap_or(cells.len());
            let attended = cells.iter().filter(|cell| cell.is_some()).count();
            let row = RosterPerson {
                person,
                name,
                party: party.map(|party| ledger.party(party).id.to_owned()),
                rounds: cells,
            };
            (first, attended, row)
        })
        .collect();
    // By first round; then those who came most often; placeholders after
    // named people; then by party and name.
    people.sort_by(|(a_first, a_count, a), (b_first, b_count, b)| {
        a_first
            .cmp(b_first)
            .then(b_count.cmp(a_count))
            .then(a.person.is_none().cmp(&b.person.is_none()))
            .then_with(|| a.party.cmp(&b.party))
            .then_with(|| a.name.cmp(&b.name))
    });
    RosterReport {
        series,
        rounds: rounds
            .iter()
            .map(|&index| {
                let engagement = ledger.engagement(index);
                RosterRound {
                    id: engagement.id().map(str::to_owned),
                    date: engagement.date_text().to_owned(),
                    title: engagement.title().to_owned(),
                }
            })
            .collect(),
        people: people.into_iter().map(|(_, _, row)| row).collect(),
        earlier_rounds_left_out: left_out,
    }
}

impl RosterReport {
    fn title(&self) -> String {
        let mut title = match &self.series {
            Some(series) => format!("Who took part in each round of {series}"),
            None => "Who took part in each round".to_owned(),
        };
        if self.earlier_rounds_left_out > 0 {
            title.push_str(&format!(
                " (the latest {MAX_ROUNDS}; {} earlier rounds left out)",
                self.earlier_rounds_left_out
            ));
        }
        title
    }

    /// The grid, `absent` in the cells of rounds a person missed.
    fn grid(&self, title: Option<String>, absent: &'static str) -> Table {
        let columns = [Column::text("person"), Column::text("party")]
            .into_iter()
            .chain(
                self.rounds
                    .iter()
                    .map(|round| Column::text(round.id.clone().unwrap_or_else(|| round.date.clone()))),
            )
            .collect();
        let mut table = Table::new(None, columns);
        table.title = title;
        for person in &self.people {
            let cells = [person.name.clone(), person.party.clone().unwrap_or_default()]
                .into_iter()
                .chain(
                    person
                        .rounds
                        .iter()
                        .map(|role| role.map_or(absent, RosterRole::as_str).to_owned()),
                )
                .collect();
            table.push(cells);
        }
        table
    }
}

impl Report for RosterReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("reports serialise")
    }

    fn tables(&self) -> Vec<Table> {
        vec![self.grid(Some(self.title()), "·")]
    }

    fn csv_table(&self) -> Table {
        self.grid(None, "")
    }

    fn chart(&self) -> Option<Chart> {
        let mut parties: Vec<String> = self.people.iter().filter_map(|person| person.party.clone()).collect();
        parties.sort();
        parties.dedup();
        Some(Chart::Roster(Roster {
            title: self.title(),
            parties,
            rounds: self
                .rounds
                .iter()
                .map(|round| Round {
                    date: round.date.clone(),
                    title: round.title.clone(),
                })
                .collect(),
            people: self
                .people
                .iter()
                .map(|person| RosterRow {
                    name: person.name.clone(),
                    party: person.party.clone(),
                    cells: person.rounds.clone(),
                })
                .collect(),
        }))
    }
}
