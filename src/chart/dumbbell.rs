//! Reciprocity: one row per visit, a dumbbell from the visit to the visit
//! that returned it, labelled with the lag in days; a hollow marker for a
//! visit not yet returned.

use chrono::NaiveDate;

use super::marks::{self, Anchor};
use super::scale::{self, Linear};
use super::svg::Element;
use super::{Amount, Drawing, Style, palette, text};

/// At most this many visits are drawn, the latest; the table has them all.
pub const MAX_ROWS: usize = 40;

#[derive(Clone, Debug)]
pub struct Dumbbells {
    pub title: String,
    /// Per pair of parties, the visits each way: `[("AZ → AM", 3), ("AM → AZ", 1)]`.
    pub balances: Vec<Vec<(String, Amount)>>,
    /// In date order.
    pub visits: Vec<VisitMark>,
}

#[derive(Clone, Debug)]
pub struct VisitMark {
    pub title: String,
    /// `AZ → AM`.
    pub direction: String,
    /// Where the date is drawn: its first day.
    pub date: NaiveDate,
    /// The date as the ledger writes it.
    pub date_text: String,
    pub returned: Option<ReturnMark>,
}

#[derive(Clone, Debug)]
pub struct ReturnMark {
    pub title: String,
    pub direction: String,
    pub date: NaiveDate,
    pub date_text: String,
    pub lag_days: i64,
    /// A month or a year on either side: the lag counts from its first day.
    pub approximate: bool,
}

const ROW: f64 = 38.0;
const PLOT: f64 = 340.0;
const LABELS: f64 = 320.0;

impl ReturnMark {
    fn lag(&self) -> String {
        let days = if self.lag_days.abs() == 1 { "day" } else { "days" };
        let sign = if self.approximate { "≈" } else { "" };
        format!("{sign}{} {days}", self.lag_days)
    }
}

impl Dumbbells {
    /// "AZ → AM 3, AM → AZ 1; 1 of 4 visits returned, after 31 days."
    pub fn finding(&self) -> String {
        if self.visits.is_empty() && self.balances.is_empty() {
            return "No visits from one party to another.".to_owned();
        }
        let pairs: Vec<String> = self
            .balances
            .iter()
            .map(|pair| {
                let mut pair: Vec<&(String, Amount)> = pair.iter().collect();
                pair.sort_by_key(|(_, amount)| std::cmp::Reverse(amount.value()));
                let each: Vec<String> = pair
                    .iter()
                    .map(|(direction, amount)| format!("{direction} {}", amount.label()))
                    .collect();
                each.join(", ")
            })
            .collect();
        let mut parts = vec![super::listing(&pairs, 3, "pairs of parties")];
        parts.retain(|part| !part.is_empty());
        let lags: Vec<String> = self
            .visits
            .iter()
            .filter_map(|visit| visit.returned.as_ref())
            .map(|returned| {
                let sign = if returned.approximate { "≈" } else { "" };
                format!("{sign}{}", returned.lag_days)
            })
            .collect();
        let total = self.visits.len();
        let returned = match lags.len() {
            0 => format!("none of {total} visits returned yet"),
            1 => format!(
                "1 of {total} visit{} returned, after {} days",
                if total == 1 { "" } else { "s" },
                lags[0]
            ),
            n if n <= 6 => {
                let (last, rest) = lags.split_last().expect("several lags");
                format!(
                    "{n} of {total} visits returned, after {} and {last} days",
                    rest.join(", ")
                )
            }
            n => format!("{n} of {total} visits returned"),
        };
        parts.push(returned);
        let mut finding = parts.join("; ");
        finding.push('.');
        finding
    }

    pub fn draw(&self, style: &Style) -> Drawing {
        let visits = &self.visits[self.visits.len().saturating_sub(MAX_ROWS)..];
        let mut body = Element::new("g");
        // Keys: each direction's colour, then what a hollow marker means.
        let mut directions: Vec<&str> = Vec::new();
        for visit in visits {
            for direction in std::iter::once(&visit.direction).chain(visit.returned.as_ref().map(|r| &r.direction)) {
                if !directions.contains(&direction.as_str()) {
                    directions.push(direction);
                }
            }
        }
        let mut keys: Vec<marks::Key<'_>> = directions
            .iter()
            .enumerate()
            .map(|(index, direction)| marks::Key {
                colour: style.palette.direction(direction, index),
                text: direction,
                round: true,
                filled: true,
            })
            .collect();
        keys.push(marks::Key {
            colour: palette::MUTED,
            text: "not returned yet",
            round: true,
            filled: false,
        });
        let width = LABELS + PLOT + 120.0;
        let (legend, legend_bottom) = marks::legend(&keys, width, 12.0);
        body.push(legend);
        if visits.is_empty() {
            body.push(marks::note(
                0.0,
                legend_bottom + 24.0,
                "No visits from one party to another.",
                Anchor::Start,
            ));
            return Drawing {
                width,
                height: legend_bottom + 32.0,
                body,
            };
        }
        let first = visits.iter().map(|visit| visit.date).min().expect("visits");
        let last = visits
            .iter()
            .map(|visit| visit.returned.as_ref().map_or(visit.date, |r| r.date.max(visit.date)))
            .max()
            .expect("visits");
        // Ten days of room either side, so that no marker sits on an edge.
        let (low, high) = (first - chrono::Duration::days(10), last + chrono::Duration::days(10));
        let scale = Linear::new(
            (scale::day_number(low), scale::day_number(high)),
            (LABELS, LABELS + PLOT),
        );
        let x_of = |day: NaiveDate| scale.map(scale::day_number(day));
        let mut top = legend_bottom + 14.0;
        for (index, visit) in visits.iter().enumerate() {
            let middle = top + ROW / 2.0 + 4.0;
            if index % 2 == 0 {
                body.push(marks::rect(0.0, top, width, ROW, "#f7f7f7"));
            }
            body.push(
                marks::label(
                    6.0,
                    top + 15.0,
                    &text::fit(&visit.title, (LABELS - 16.0) / 1.1, marks::FONT_SIZE),
                    Anchor::Start,
                )
                .attr("font-weight", "bold"),
            );
            body.push(marks::note(
                6.0,
                top + 30.0,
                &text::fit(
                    &format!("{} · {}", visit.direction, visit.date_text),
                    LABELS - 16.0,
                    marks::SMALL,
                ),
                Anchor::Start,
            ));
            let colour_of = |direction: &str| {
                let index = directions.iter().position(|known| *known == direction).unwrap_or(0);
                style.palette.direction(direction, index)
            };
            let colour = colour_of(&visit.direction);
            let x = x_of(visit.date);
            let dot = |x: f64, fill: &str| {
                Element::new("circle")
                    .num("cx", x)
                    .num("cy", middle)
                    .num("r", 6.5)
                    .attr("fill", fill)
            };
            let mark = match &visit.returned {
                Some(returned) => {
                    let back = x_of(returned.date);
                    let back_colour = colour_of(&returned.direction);
                    Element::new("g")
                        .attr("class", "mark exchange")
                        .attr("data-lag", returned.lag_days.to_string())
                        .child(marks::line(x, middle, back, middle, "#9a9a9a").num("stroke-width", 3.0))
                        .child(dot(x, colour))
                        .child(dot(back, back_colour))
                        .child(
                            marks::label((x + back) / 2.0, middle - 9.0, &returned.lag(), Anchor::Middle)
                                .num("font-size", marks::SMALL)
                                .attr("font-weight", "bold"),
                        )
                        .titled(format!(
                            "{} ({}, {}), returned by {} ({}, {}) after {}",
                            visit.title,
                            visit.direction,
                            visit.date_text,
                            returned.title,
                            returned.direction,
                            returned.date_text,
                            returned.lag()
                        ))
                }
                None => Element::new("g")
                    .attr("class", "mark unreturned")
                    .child(dot(x, "#ffffff").attr("stroke", colour).num("stroke-width", 2.5))
                    .child(marks::note(x + 12.0, middle + 4.0, "not returned yet", Anchor::Start))
                    .titled(format!(
                        "{} ({}, {}): not returned yet",
                        visit.title, visit.direction, visit.date_text
                    )),
            };
            body.push(mark);
            top += ROW;
        }
        let axis = top + 4.0;
        body.push(marks::time_axis(&scale, low, high, axis, (LABELS, LABELS + PLOT)));
        let mut height = axis + 24.0;
        if visits.len() < self.visits.len() {
            height += 14.0;
            body.push(marks::note(
                0.0,
                height - 4.0,
                &format!(
                    "The latest {MAX_ROWS} of {} visits; the table has them all.",
                    self.visits.len()
                ),
                Anchor::Start,
            ));
        }
        Drawing { width, height, body }
    }
}
