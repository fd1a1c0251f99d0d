//! How long each person has been involved: a bar from their first to their
//! last engagement, a mark at each engagement, the count at the end.

use chrono::NaiveDate;

use super::marks::{self, Anchor};
use super::scale::{self, Linear};
use super::svg::Element;
use super::{Amount, Drawing, Style, palette, text};

/// At most this many people are drawn; the table has them all.
pub const MAX_ROWS: usize = 40;

#[derive(Clone, Debug)]
pub struct Spans {
    pub title: String,
    /// Parties in the order their colours are given.
    pub parties: Vec<String>,
    pub people: Vec<SpanRow>,
}

#[derive(Clone, Debug)]
pub struct SpanRow {
    /// A name, or a placeholder such as `participant (AZ)`.
    pub name: String,
    pub party: Option<String>,
    pub engagements: Amount,
    /// The first and the last engagement: where the bar is drawn (first
    /// days), and their dates as the ledger writes them.
    pub first: (NaiveDate, String),
    pub last: (NaiveDate, String),
    /// Each engagement's first day. Empty when the count is withheld: a
    /// mark per engagement would give the number away.
    pub marks: Vec<NaiveDate>,
}

const ROW: f64 = 22.0;
const PLOT: f64 = 360.0;
const LABELS: f64 = 220.0;

impl SpanRow {
    fn days(&self) -> i64 {
        (self.last.0 - self.first.0).num_days()
    }

    fn who(&self) -> String {
        match &self.party {
            Some(party) if !self.name.ends_with(&format!("({party})")) => format!("{} ({party})", self.name),
            _ => self.name.clone(),
        }
    }
}

impl Spans {
    /// "13 people; 9 in more than one engagement; the longest involved:
    /// Rusif Huseynov, 2025-10-21..2025-10-22 to 2025-11-21..2025-11-22."
    pub fn finding(&self) -> String {
        if self.people.is_empty() {
            return "Nobody.".to_owned();
        }
        let several = self
            .people
            .iter()
            .filter(|person| person.engagements.value().is_some_and(|count| count > 1))
            .count();
        let people = if self.people.len() == 1 { "person" } else { "people" };
        let mut finding = if several == self.people.len() {
            format!("{} {people}, each in more than one engagement", self.people.len())
        } else {
            format!("{} {people}; {several} in more than one engagement", self.people.len())
        };
        let longest = self.people.iter().filter(|person| person.days() > 0).fold(
            None,
            |best: Option<&SpanRow>, person| match best {
                Some(best) if best.days() >= person.days() => Some(best),
                _ => Some(person),
            },
        );
        if let Some(person) = longest {
            finding.push_str(&format!(
                "; the longest involved: {}, {} to {} ({} days)",
                person.who(),
                person.first.1,
                person.last.1,
                person.days()
            ));
        }
        finding.push('.');
        finding
    }

    pub fn draw(&self, style: &Style) -> Drawing {
        let people = &self.people[..self.people.len().min(MAX_ROWS)];
        let width = LABELS + PLOT + 50.0;
        let mut body = Element::new("g");
        let keys: Vec<marks::Key<'_>> = marks::party_keys(&self.parties);
        let (legend, legend_bottom) = marks::legend(&keys, width, 12.0);
        body.push(legend);
        let Some(first) = people.iter().map(|person| person.first.0).min() else {
            body.push(marks::note(0.0, legend_bottom + 24.0, "Nobody.", Anchor::Start));
            return Drawing {
                width,
                height: legend_bottom + 32.0,
                body,
            };
        };
        let last = people.iter().map(|person| person.last.0).max().unwrap_or(first);
        let (low, high) = (first - chrono::Duration::days(7), last + chrono::Duration::days(7));
        let scale = Linear::new(
            (scale::day_number(low), scale::day_number(high)),
            (LABELS, LABELS + PLOT),
        );
        let x_of = |day: NaiveDate| scale.map(scale::day_number(day));
        let mut top = legend_bottom + 12.0;
        for (index, person) in people.iter().enumerate() {
            let middle = top + ROW / 2.0;
            if index % 2 == 0 {
                body.push(marks::rect(0.0, top, width, ROW, "#f7f7f7"));
            }
            let colour = person
                .party
                .as_ref()
                .and_then(|party| self.parties.iter().position(|known| known == party))
                .map_or(palette::OTHER, palette::party);
            body.push(marks::label(
                6.0,
                middle + 4.0,
                &text::fit(&person.who(), LABELS - 16.0, marks::FONT_SIZE),
                Anchor::Start,
            ));
            let (start, end) = (x_of(person.first.0), x_of(person.last.0));
            let mut mark = Element::new("g")
                .attr("class", "mark span")
                .attr("data-value", person.engagements.label());
            if person.engagements.is_suppressed() {
                mark.push(
                    marks::rect(start - 4.0, middle - 5.0, end - start + 8.0, 10.0, &style.hatch())
                        .attr("stroke", palette::SUPPRESSED)
                        .num("stroke-width", 0.75),
                );
            } else {
                mark.push(
                    marks::rect(start - 4.0, middle - 4.0, end - start + 8.0, 8.0, colour)
                        .num("rx", 4.0)
                        .num("opacity", 0.35),
                );
                for day in &person.marks {
                    mark.push(
                        Element::new("circle")
                            .num("cx", x_of(*day))
                            .num("cy", middle)
                            .num("r", 4.5)
                            .attr("fill", colour)
                            .attr("stroke", "#ffffff")
                            .num("stroke-width", 1.5),
                    );
                }
            }
            mark.push(
                marks::label(
                    LABELS + PLOT + 12.0,
                    middle + 4.0,
                    person.engagements.label(),
                    Anchor::Start,
                )
                .attr("font-weight", "bold"),
            );
            let noun = if person.engagements.value() == Some(1) {
                "engagement"
            } else {
                "engagements"
            };
            let when = if person.first.1 == person.last.1 {
                person.first.1.clone()
            } else {
                format!("{} to {}", person.first.1, person.last.1)
            };
            body.push(mark.titled(format!(
                "{}: {} {noun}, {when}",
                person.who(),
                person.engagements.label()
            )));
            top += ROW;
        }
        let axis = top + 4.0;
        body.push(marks::time_axis(&scale, low, high, axis, (LABELS, LABELS + PLOT)));
        let mut height = axis + 24.0;
        if people.len() < self.people.len() {
            height += 14.0;
            body.push(marks::note(
                0.0,
                height - 4.0,
                &format!(
                    "The first {MAX_ROWS} of {} people; the table has them all.",
                    self.people.len()
                ),
                Anchor::Start,
            ));
        }
        Drawing { width, height, body }
    }
}
