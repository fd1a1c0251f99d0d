//! Horizontal bars: one group per value (a format, a sponsor…), one bar per
//! direction in it, each labelled with its count and its direction.

use super::marks::{self, Anchor};
use super::scale::Linear;
use super::svg::Element;
use super::{Amount, Drawing, Style, palette, text};

/// At most this many rows are drawn; the table has them all.
pub const MAX_ROWS: usize = 30;
/// With more directions than this, each row is one bar, its total.
pub const MAX_SERIES: usize = 8;

#[derive(Clone, Debug)]
pub struct Bars {
    pub title: String,
    /// The directions, in report order: the bars of each row.
    pub series: Vec<String>,
    pub rows: Vec<BarRow>,
}

#[derive(Clone, Debug)]
pub struct BarRow {
    /// The value's display name.
    pub label: String,
    /// The value as the ledger writes it, for the tooltip.
    pub id: Option<String>,
    pub total: Amount,
    /// One per series.
    pub values: Vec<Amount>,
}

const BAR: f64 = 14.0;
const GAP: f64 = 4.0;
const ROW_PADDING: f64 = 12.0;
const PLOT: f64 = 150.0;
const LABELS: f64 = 250.0;

impl Bars {
    /// The rows, largest first as the report orders them: "Structured
    /// bilateral dialogue 2 (AM → AZ 1, AZ → AM 1); Forum 1 (AZ → AM); …".
    pub fn finding(&self) -> String {
        if self.rows.is_empty() {
            return "No engagements.".to_owned();
        }
        let shown = 6;
        let mut parts: Vec<String> = self
            .rows
            .iter()
            .take(shown)
            .map(|row| {
                let split: Vec<(&String, &Amount)> = self
                    .series
                    .iter()
                    .zip(&row.values)
                    .filter(|(_, amount)| !amount.is_zero())
                    .collect();
                match split.as_slice() {
                    [] => format!("{} {}", row.label, row.total.label()),
                    [(series, _)] => format!("{} {} ({series})", row.label, row.total.label()),
                    several => {
                        let each: Vec<String> = several
                            .iter()
                            .map(|(series, amount)| format!("{series} {}", amount.label()))
                            .collect();
                        let each = super::listing(&each, 4, "directions");
                        format!("{} {} ({each})", row.label, row.total.label())
                    }
                }
            })
            .collect();
        if self.rows.len() > shown {
            parts.push(format!("and {} more", self.rows.len() - shown));
        }
        format!("{}.", parts.join("; "))
    }

    pub fn draw(&self, style: &Style) -> Drawing {
        let rows = &self.rows[..self.rows.len().min(MAX_ROWS)];
        let left = (text::widest(rows.iter().map(|row| row.label.as_str()), marks::FONT_SIZE) + 14.0).min(LABELS);
        let tail = text::widest(self.series.iter().map(String::as_str), marks::SMALL) + 40.0;
        let max = rows
            .iter()
            .flat_map(|row| {
                let drawn = if self.series.len() <= MAX_SERIES {
                    row.values.iter()
                } else {
                    std::slice::from_ref(&row.total).iter()
                };
                drawn.filter_map(Amount::value)
            })
            .max()
            .unwrap_or(1)
            .max(1);
        let scale = Linear::new((0.0, max as f64), (left, left + PLOT));
        let mut body = Element::new("g");
        // The legend: which colour is which direction.
        let width = left + PLOT + tail;
        let by_direction = self.series.len() <= MAX_SERIES;
        let all = format!("all {} directions", self.series.len());
        let keys: Vec<marks::Key<'_>> = if by_direction {
            self.series
                .iter()
                .enumerate()
                .map(|(index, series)| marks::Key {
                    colour: style.palette.direction(series, index),
                    text: series,
                    round: false,
                    filled: true,
                })
                .collect()
        } else {
            vec![marks::Key {
                colour: palette::MUTED,
                text: &all,
                round: false,
                filled: true,
            }]
        };
        let (legend, y) = marks::legend(&keys, width, 12.0);
        body.push(legend);
        let mut top = y + 14.0;
        for row in rows {
            // With many directions, one bar per row for the total: a bar per
            // direction would be hundreds; the table splits them.
            let bars: Vec<(usize, &String, &Amount)> = if by_direction {
                self.series
                    .iter()
                    .zip(&row.values)
                    .enumerate()
                    .filter(|(_, (_, amount))| !amount.is_zero())
                    .map(|(index, (series, amount))| (index, series, amount))
                    .collect()
            } else {
                vec![(usize::MAX, &all, &row.total)]
            };
            let count = bars.len().max(1) as f64;
            let height = count * BAR + (count - 1.0) * GAP;
            body.push(marks::line(0.0, top, width, top, palette::RULE));
            let tooltip_name = match &row.id {
                Some(id) if id != &row.label => format!("{} ({id})", row.label),
                _ => row.label.clone(),
            };
            body.push(
                marks::label(
                    left - 10.0,
                    top + ROW_PADDING / 2.0 + BAR - 3.0,
                    &text::fit(&row.label, left - 14.0, marks::FONT_SIZE),
                    Anchor::End,
                )
                .child(Element::new("title").text(format!("{tooltip_name}: {} in all", row.total.label()))),
            );
            let mut y = top + ROW_PADDING / 2.0;
            for (index, series, amount) in bars {
                let colour = if by_direction {
                    style.palette.direction(series, index)
                } else {
                    palette::MUTED
                };
                let tooltip = format!("{tooltip_name}, {series}: {}", amount.label());
                let (bar, end) = match amount.value() {
                    Some(value) => {
                        let end = scale.map(value as f64);
                        (marks::rect(left, y, end - left, BAR, colour), end)
                    }
                    None => (marks::stub(left, y, BAR, &style.hatch()), left + marks::STUB),
                };
                let mut mark = Element::new("g")
                    .attr("class", "mark bar")
                    .attr("data-series", series.as_str())
                    .attr("data-value", amount.label())
                    .child(bar)
                    .child(
                        marks::label(end + 5.0, y + BAR - 3.0, amount.label(), Anchor::Start)
                            .attr("font-weight", "bold"),
                    );
                mark.push(marks::note(
                    end + 10.0 + text::bold_width(amount.label(), marks::FONT_SIZE),
                    y + BAR - 3.0,
                    series,
                    Anchor::Start,
                ));
                body.push(mark.titled(tooltip));
                y += BAR + GAP;
            }
            top += height + ROW_PADDING;
        }
        body.push(marks::line(0.0, top, width, top, palette::RULE));
        let mut height = top + 4.0;
        if rows.len() < self.rows.len() {
            height += 16.0;
            body.push(marks::note(
                0.0,
                height - 4.0,
                &format!(
                    "The first {MAX_ROWS} of {} rows; the table has them all.",
                    self.rows.len()
                ),
                Anchor::Start,
            ));
        }
        Drawing { width, height, body }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::palette::Palette;

    fn bars(directions: usize) -> Bars {
        Bars {
            title: "t".into(),
            series: (0..directions).map(|n| format!("D{n} → X")).collect(),
            rows: vec![BarRow {
                label: "Forum".into(),
                id: Some("forum".into()),
                total: Amount::exact(directions as u64),
                values: (0..directions).map(|_| Amount::exact(1)).collect(),
            }],
        }
    }

    #[test]
    fn a_bar_per_direction_or_the_total_when_there_are_many() {
        let style = Style::standalone(Palette::default(), false);
        let few = bars(2).draw(&style).body.render();
        assert_eq!(few.matches("class=\"mark bar\"").count(), 2);
        let many = bars(MAX_SERIES + 1).draw(&style).body.render();
        assert_eq!(many.matches("class=\"mark bar\"").count(), 1);
        assert!(many.contains("data-value=\"9\"") && many.contains("all 9 directions"));
    }

    #[test]
    fn the_finding_names_the_directions_of_each_row() {
        assert_eq!(bars(1).finding(), "Forum 1 (D0 → X).");
        assert_eq!(bars(2).finding(), "Forum 2 (D0 → X 1, D1 → X 1).");
        assert!(bars(9).finding().ends_with("and 5 more directions)."));
    }
}
