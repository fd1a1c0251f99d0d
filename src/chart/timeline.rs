//! Engagements per period: one small multiple per direction, on one scale,
//! with the total on top when there is more than one direction. Each panel
//! is labelled with its direction, so colour is never the only cue.

use super::marks::{self, Anchor};
use super::scale::{Band, Linear};
use super::svg::Element;
use super::{Amount, Drawing, Style, palette, text};

#[derive(Clone, Debug)]
pub struct Timeline {
    pub title: String,
    /// `2025-09`, `2025-Q3`, `2025 (month unknown)`…, in order.
    pub periods: Vec<String>,
    /// The directions, in report order.
    pub series: Vec<String>,
    /// `values[series][period]`.
    pub values: Vec<Vec<Amount>>,
    /// One per period.
    pub totals: Vec<Amount>,
}

const PANEL: f64 = 54.0;
const PANEL_GAP: f64 = 14.0;
const TOP: f64 = 16.0;

impl Timeline {
    /// "2025-09 to 2025-11: AZ → AM 3, AM → AZ 1; the busiest period is
    /// 2025-11 (2)." A direction's total is given only when none of its
    /// counts is withheld, since adding up the others would mislead.
    pub fn finding(&self) -> String {
        let (Some(first), Some(last)) = (self.periods.first(), self.periods.last()) else {
            return "No engagements.".to_owned();
        };
        let per_series: Vec<String> = self
            .series
            .iter()
            .zip(&self.values)
            .map(
                |(series, values)| match values.iter().map(Amount::value).sum::<Option<u64>>() {
                    Some(sum) => format!("{series} {sum}"),
                    None => format!("{series} (some counts withheld)"),
                },
            )
            .collect();
        let busiest = self
            .periods
            .iter()
            .zip(&self.totals)
            .filter_map(|(period, total)| total.value().map(|value| (value, period)))
            .fold(None, |best: Option<(u64, &String)>, (value, period)| match best {
                Some((top, _)) if top >= value => best,
                _ => Some((value, period)),
            });
        let mut finding = if first == last {
            format!("{first}: {}", per_series.join(", "))
        } else {
            format!("{first} to {last}: {}", per_series.join(", "))
        };
        if let Some((value, period)) = busiest.filter(|(value, _)| *value > 0) {
            if self.periods.len() > 1 {
                finding.push_str(&format!("; the busiest period is {period} ({value})"));
            }
        }
        finding.push('.');
        finding
    }

    pub fn draw(&self, style: &Style) -> Drawing {
        if self.periods.is_empty() {
            let body = Element::new("g").child(marks::note(0.0, 14.0, "No engagements.", Anchor::Start));
            return Drawing {
                width: 200.0,
                height: 22.0,
                body,
            };
        }
        let mut panels: Vec<(String, Option<usize>, &[Amount])> = Vec::new();
        if self.series.len() > 1 {
            panels.push(("all".to_owned(), None, &self.totals));
        }
        for (index, (series, values)) in self.series.iter().zip(&self.values).enumerate() {
            panels.push((series.clone(), Some(index), values));
        }
        let left =
            (text::widest(panels.iter().map(|(name, _, _)| name.as_str()), marks::FONT_SIZE) * 1.1 + 16.0).max(60.0);
        let plot = (self.periods.len() as f64 * 38.0).clamp(220.0, 600.0);
        let band = Band::new(self.periods.len(), (left, left + plot), 0.25);
        let max = panels
            .iter()
            .flat_map(|(_, _, values)| values.iter().filter_map(Amount::value))
            .max()
            .unwrap_or(1)
            .max(1);
        let y_scale = Linear::new((0.0, max as f64), (0.0, PANEL - 14.0));
        let mut body = Element::new("g");
        let mut top = TOP;
        for (name, series, values) in &panels {
            let colour = match series {
                Some(index) => style.palette.direction(name, *index),
                None => palette::MUTED,
            };
            let baseline = top + PANEL;
            let mut panel = Element::new("g").attr("class", "panel");
            panel.push(marks::label(left - 10.0, baseline - 4.0, name, Anchor::End).attr("font-weight", "bold"));
            panel.push(marks::line(left, baseline, left + plot, baseline, palette::RULE));
            for (period_index, (period, amount)) in self.periods.iter().zip(values.iter()).enumerate() {
                if amount.is_zero() {
                    continue;
                }
                let x = band.position(period_index);
                let (bar, height) = match amount.value() {
                    Some(value) => {
                        let height = y_scale.map(value as f64);
                        (marks::rect(x, baseline - height, band.width(), height, colour), height)
                    }
                    None => (
                        marks::rect(x, baseline - marks::STUB, band.width(), marks::STUB, &style.hatch())
                            .attr("stroke", palette::SUPPRESSED)
                            .num("stroke-width", 0.75),
                        marks::STUB,
                    ),
                };
                let mut mark = Element::new("g")
                    .attr("class", "mark bar")
                    .attr("data-series", name.as_str())
                    .attr("data-period", period.as_str())
                    .attr("data-value", amount.label())
                    .child(bar);
                if band.width() >= text::width(amount.label(), marks::SMALL) - 2.0 {
                    mark.push(
                        marks::label(
                            x + band.width() / 2.0,
                            baseline - height - 3.0,
                            amount.label(),
                            Anchor::Middle,
                        )
                        .num("font-size", marks::SMALL),
                    );
                }
                panel.push(mark.titled(format!("{period}, {name}: {}", amount.label())));
            }
            body.push(panel);
            top += PANEL + PANEL_GAP;
        }
        // Period labels under the last panel, thinned out so that they
        // never overlap.
        let label_width = text::widest(self.periods.iter().map(String::as_str), marks::SMALL) + 8.0;
        let every = (label_width / band.step()).ceil().max(1.0) as usize;
        let axis_y = top - PANEL_GAP + 14.0;
        for (index, period) in self.periods.iter().enumerate().step_by(every) {
            let x = band.position(index) + band.width() / 2.0;
            body.push(marks::note(x, axis_y, period, Anchor::Middle));
        }
        Drawing {
            width: left + plot + label_width / 2.0,
            height: axis_y + 6.0,
            body,
        }
    }
}
