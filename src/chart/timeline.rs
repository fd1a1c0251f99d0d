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

/// At most this many directions get a panel of their own.
pub const MAX_PANELS: usize = 8;

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
        let per_series = super::listing(&per_series, 6, "directions");
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
            format!("{first}: {per_series}")
        } else {
            format!("{first} to {last}: {per_series}")
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
        // With many directions, the busiest only: hundreds of panels would
        // show nothing. They are ranked by what may be shown; a withheld
        // count adds nothing to its direction's rank.
        let mut ranked: Vec<(u64, usize)> = self
            .values
            .iter()
            .enumerate()
            .map(|(index, values)| (values.iter().filter_map(Amount::value).sum(), index))
            .collect();
        if ranked.len() > MAX_PANELS {
            ranked.sort_by_key(|&(sum, index)| (std::cmp::Reverse(sum), index));
            ranked.truncate(MAX_PANELS);
            ranked.sort_by_key(|&(_, index)| index);
        }
        for &(_, index) in &ranked {
            panels.push((self.series[index].clone(), Some(index), &self.values[index]));
        }
        let left =
            (text::widest(panels.iter().map(|(name, _, _)| name.as_str()), marks::FONT_SIZE) * 1.1 + 16.0).max(60.0);
        let plot = (self.periods.len() as f64 * 38.0).clamp(220.0, 600.0);
        let band = Band::new(self.periods.len(), (left, left + plot), 0.25);
        // The directions share one scale, so that their panels compare; the
        // total has its own, or it would flatten them.
        let scale_of = |values: &mut dyn Iterator<Item = &Amount>| {
            let max = values.filter_map(Amount::value).max().unwrap_or(1).max(1);
            Linear::new((0.0, max as f64), (0.0, PANEL - 14.0))
        };
        let directions_scale = scale_of(
            &mut panels
                .iter()
                .filter(|(_, series, _)| series.is_some())
                .flat_map(|(_, _, values)| values.iter()),
        );
        let total_scale = scale_of(&mut self.totals.iter());
        let mut body = Element::new("g");
        let mut top = TOP;
        for (name, series, values) in &panels {
            let y_scale = if series.is_some() {
                directions_scale
            } else {
                total_scale
            };
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
        let mut height = axis_y + 6.0;
        if ranked.len() < self.series.len() {
            height += 16.0;
            body.push(marks::note(
                0.0,
                height - 4.0,
                &format!(
                    "The {MAX_PANELS} busiest of {} directions; the table has them all.",
                    self.series.len()
                ),
                Anchor::Start,
            ));
        }
        Drawing {
            width: left + plot + label_width / 2.0,
            height,
            body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::palette::Palette;

    fn timeline(directions: usize) -> Timeline {
        Timeline {
            title: "t".into(),
            periods: vec!["2025-01".into(), "2025-02".into()],
            series: (0..directions).map(|n| format!("D{n} → X")).collect(),
            values: (0..directions as u64)
                .map(|n| vec![Amount::exact(n), Amount::exact(1)])
                .collect(),
            totals: vec![Amount::exact(99), Amount::exact(99)],
        }
    }

    #[test]
    fn many_directions_get_panels_for_the_busiest_only() {
        let style = Style::standalone(Palette::default(), false);
        let drawn = timeline(20).draw(&style).body.render();
        assert_eq!(drawn.matches("class=\"panel\"").count(), MAX_PANELS + 1);
        assert!(drawn.contains("D19 → X") && !drawn.contains("D3 → X"));
        assert!(drawn.contains("The 8 busiest of 20 directions"));
        let few = timeline(3).draw(&style).body.render();
        assert_eq!(few.matches("class=\"panel\"").count(), 4);
    }

    #[test]
    fn the_finding_lists_a_few_directions_and_the_busiest_period() {
        assert_eq!(
            timeline(2).finding(),
            "2025-01 to 2025-02: D0 → X 1, D1 → X 2; the busiest period is 2025-01 (99)."
        );
        assert!(timeline(20).finding().contains("and 14 more directions"));
    }
}
