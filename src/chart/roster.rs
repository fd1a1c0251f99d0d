//! Who stays across the rounds of a series: people × rounds, a filled
//! marker where the person took part (a circle on the visiting side, a
//! square among those met), a faint dot where they did not.

use super::marks::{self, Anchor};
use super::svg::Element;
use super::{Drawing, Style, palette, text};

/// At most this many people and rounds are drawn; the table has them all.
pub const MAX_ROWS: usize = 80;
pub const MAX_ROUNDS: usize = 60;

#[derive(Clone, Debug)]
pub struct Roster {
    pub title: String,
    /// Parties in the order their colours are given.
    pub parties: Vec<String>,
    pub rounds: Vec<Round>,
    /// In order of first round.
    pub people: Vec<RosterRow>,
}

#[derive(Clone, Debug)]
pub struct Round {
    /// The date as the ledger writes it.
    pub date: String,
    pub title: String,
}

#[derive(Clone, Debug)]
pub struct RosterRow {
    pub name: String,
    pub party: Option<String>,
    /// One per round.
    pub cells: Vec<Option<RosterRole>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RosterRole {
    /// On the visiting side.
    Participant,
    /// Among those the visitors met.
    Met,
}

impl RosterRole {
    pub fn as_str(self) -> &'static str {
        match self {
            RosterRole::Participant => "participant",
            RosterRole::Met => "met",
        }
    }
}

const ROW: f64 = 22.0;
const COLUMN: f64 = 30.0;
const LABELS: f64 = 210.0;
const HEADER_TEXT: f64 = 280.0;

impl RosterRow {
    fn who(&self) -> String {
        match &self.party {
            Some(party) if !self.name.ends_with(&format!("({party})")) => format!("{} ({party})", self.name),
            _ => self.name.clone(),
        }
    }

    fn attended(&self) -> usize {
        self.cells.iter().filter(|cell| cell.is_some()).count()
    }
}

impl Roster {
    /// "2 rounds, 11 people; 9 took part in more than one round, 9 in every round."
    pub fn finding(&self) -> String {
        if self.rounds.is_empty() {
            return "No rounds.".to_owned();
        }
        let rounds = if self.rounds.len() == 1 { "round" } else { "rounds" };
        let people = if self.people.len() == 1 { "person" } else { "people" };
        let mut finding = format!("{} {rounds}, {} {people}", self.rounds.len(), self.people.len());
        if self.rounds.len() > 1 {
            let several = self.people.iter().filter(|row| row.attended() > 1).count();
            let every = self
                .people
                .iter()
                .filter(|row| row.attended() == self.rounds.len())
                .count();
            finding.push_str(&format!("; {several} took part in more than one round"));
            if self.rounds.len() > 2 {
                finding.push_str(&format!(", {every} in every round"));
            }
        }
        finding.push('.');
        finding
    }

    pub fn draw(&self, _style: &Style) -> Drawing {
        let rounds = &self.rounds[..self.rounds.len().min(MAX_ROUNDS)];
        let people = &self.people[..self.people.len().min(MAX_ROWS)];
        let headers: Vec<String> = rounds
            .iter()
            .map(|round| {
                // The first day is enough to tell rounds apart; the whole
                // date is in the tooltip and the table.
                let day = round.date.split("..").next().unwrap_or(&round.date);
                text::fit(&format!("{day} {}", round.title), HEADER_TEXT, marks::SMALL)
            })
            .collect();
        // Column headings slant up to the right at 45°: they need as much
        // height as their width.
        let header_height =
            text::widest(headers.iter().map(String::as_str), marks::SMALL) * std::f64::consts::FRAC_1_SQRT_2 + 16.0;
        let mut keys: Vec<marks::Key<'_>> = marks::party_keys(&self.parties);
        keys.push(marks::Key {
            colour: palette::MUTED,
            text: "visiting side",
            round: true,
            filled: true,
        });
        keys.push(marks::Key {
            colour: palette::MUTED,
            text: "met",
            round: false,
            filled: true,
        });
        let width = LABELS + COLUMN * rounds.len() as f64 + HEADER_TEXT * std::f64::consts::FRAC_1_SQRT_2 + 10.0;
        let (legend, legend_bottom) = marks::legend(&keys, width, 12.0);
        let mut body = Element::new("g").child(legend);
        let grid_top = legend_bottom + 8.0 + header_height;
        for (index, (round, header)) in rounds.iter().zip(&headers).enumerate() {
            let x = LABELS + COLUMN * (index as f64 + 0.5);
            let y = grid_top - 8.0;
            body.push(
                marks::note(x, y, header, Anchor::Start)
                    .attr(
                        "transform",
                        format!("rotate(-45 {} {})", super::svg::number(x), super::svg::number(y)),
                    )
                    .child(Element::new("title").text(format!("{} · {}", round.date, round.title))),
            );
        }
        for (row_index, row) in people.iter().enumerate() {
            let top = grid_top + ROW * row_index as f64;
            let middle = top + ROW / 2.0;
            if row_index % 2 == 0 {
                body.push(marks::rect(
                    0.0,
                    top,
                    LABELS + COLUMN * rounds.len() as f64,
                    ROW,
                    "#f7f7f7",
                ));
            }
            body.push(marks::label(
                6.0,
                middle + 4.0,
                &text::fit(&row.who(), LABELS - 14.0, marks::FONT_SIZE),
                Anchor::Start,
            ));
            let colour = row
                .party
                .as_ref()
                .and_then(|party| self.parties.iter().position(|known| known == party))
                .map_or(palette::OTHER, palette::party);
            for (index, (round, cell)) in rounds.iter().zip(&row.cells).enumerate() {
                let x = LABELS + COLUMN * (index as f64 + 0.5);
                match cell {
                    None => body.push(
                        Element::new("circle")
                            .num("cx", x)
                            .num("cy", middle)
                            .num("r", 1.5)
                            .attr("fill", palette::RULE),
                    ),
                    Some(role) => {
                        let shape = match role {
                            RosterRole::Participant => {
                                Element::new("circle").num("cx", x).num("cy", middle).num("r", 6.5)
                            }
                            RosterRole::Met => marks::rect(x - 6.0, middle - 6.0, 12.0, 12.0, colour),
                        };
                        body.push(
                            Element::new("g")
                                .attr("class", "mark attended")
                                .attr("data-role", role.as_str())
                                .child(shape.attr("fill", colour))
                                .titled(format!(
                                    "{}: {} at {} · {}",
                                    row.who(),
                                    role.as_str(),
                                    round.date,
                                    round.title
                                )),
                        );
                    }
                }
            }
        }
        let mut height = grid_top + ROW * people.len() as f64 + 8.0;
        if people.len() < self.people.len() || rounds.len() < self.rounds.len() {
            height += 14.0;
            body.push(marks::note(
                0.0,
                height - 4.0,
                &format!(
                    "The first {} of {} people and {} of {} rounds; the table has them all.",
                    people.len(),
                    self.people.len(),
                    rounds.len(),
                    self.rounds.len()
                ),
                Anchor::Start,
            ));
        }
        Drawing { width, height, body }
    }
}
