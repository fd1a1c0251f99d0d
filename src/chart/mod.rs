//! Charts as hand-written SVG: pure functions from small chart-data types
//! to markup, one file per kind of chart. Reports turn themselves into
//! chart data through [`crate::report::Report::chart`], a few lines each;
//! nothing here knows a report's structure, the ledger or the view, so a
//! chart can draw only what a report (made through the privacy view) holds.
//!
//! Every chart is an `<svg role="img">` with a `<title>`, a `<desc>` that
//! states the finding in words, and a `<title>` on every mark (a tooltip
//! with no JavaScript); every mark has the class `mark`. A count withheld by
//! `--min-count` ([`Amount`] without an exact value) is drawn as a hatched
//! stub labelled `<N`, never with a length that would give it away.

pub mod bars;
pub mod dumbbell;
pub mod heatmap;
pub mod marks;
pub mod network;
pub mod palette;
pub mod roster;
pub mod scale;
pub mod spans;
pub mod svg;
pub mod text;
pub mod timeline;

use crate::report::Count;
use palette::Palette;
use svg::Element;

/// A number as a chart may draw it: exact, or withheld by `--min-count`
/// and known only by its label (`<3`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    exact: Option<u64>,
    label: String,
}

impl Amount {
    pub fn exact(value: u64) -> Amount {
        Amount {
            exact: Some(value),
            label: value.to_string(),
        }
    }

    /// The value, or `None` when it may not be shown.
    pub fn value(&self) -> Option<u64> {
        self.exact
    }

    /// `3`, or `<3`.
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn is_suppressed(&self) -> bool {
        self.exact.is_none()
    }

    pub fn is_zero(&self) -> bool {
        self.exact == Some(0)
    }
}

/// The only way from a report's count to a chart: a suppressed count keeps
/// its `<N` label and loses its value.
impl From<Count> for Amount {
    fn from(count: Count) -> Amount {
        Amount {
            exact: (!count.is_suppressed()).then(|| count.value()),
            label: count.to_string(),
        }
    }
}

/// `items` joined with commas, at most `max` of them, then "and N more
/// `noun`": a description read aloud must stay short whatever the ledger.
pub fn listing(items: &[String], max: usize, noun: &str) -> String {
    let mut listed = items[..items.len().min(max)].join(", ");
    if items.len() > max {
        listed.push_str(&format!(" and {} more {noun}", items.len() - max));
    }
    listed
}

/// Any chart a report can draw.
#[derive(Clone, Debug)]
pub enum Chart {
    Heatmap(heatmap::Heatmap),
    Bars(bars::Bars),
    Timeline(timeline::Timeline),
    Dumbbell(dumbbell::Dumbbells),
    Spans(spans::Spans),
    Network(network::Network),
    Roster(roster::Roster),
}

/// How a chart is drawn in its page.
#[derive(Clone, Debug)]
pub struct Style {
    /// Direction colours shared by every chart of the page.
    pub palette: Palette,
    /// The prefix of every id in the chart, unique in the page.
    pub id: String,
    /// Draw the title inside the SVG: a chart on its own (`--output svg`)
    /// has no caption around it.
    pub standalone: bool,
    /// Made with `--include-private`: the chart says so at its top.
    pub confidential: bool,
}

impl Style {
    pub fn standalone(palette: Palette, confidential: bool) -> Style {
        Style {
            palette,
            id: "chart".to_owned(),
            standalone: true,
            confidential,
        }
    }

    /// The id of the hatch pattern that fills suppressed marks.
    pub fn hatch(&self) -> String {
        format!("url(#{}-hatch)", self.id)
    }
}

/// A chart's body, laid out: its size and its marks, before the frame.
pub struct Drawing {
    pub width: f64,
    pub height: f64,
    pub body: Element,
}

impl Chart {
    fn kind(&self) -> &'static str {
        match self {
            Chart::Heatmap(_) => "heatmap",
            Chart::Bars(_) => "bars",
            Chart::Timeline(_) => "timeline",
            Chart::Dumbbell(_) => "dumbbell",
            Chart::Spans(_) => "spans",
            Chart::Network(_) => "network",
            Chart::Roster(_) => "roster",
        }
    }

    /// What the chart shows, as its caption's heading.
    pub fn title(&self) -> &str {
        match self {
            Chart::Heatmap(chart) => &chart.title,
            Chart::Bars(chart) => &chart.title,
            Chart::Timeline(chart) => &chart.title,
            Chart::Dumbbell(chart) => &chart.title,
            Chart::Spans(chart) => &chart.title,
            Chart::Network(chart) => &chart.title,
            Chart::Roster(chart) => &chart.title,
        }
    }

    /// What the chart shows, in words: its `<desc>` and its caption.
    pub fn finding(&self) -> String {
        match self {
            Chart::Heatmap(chart) => chart.finding(),
            Chart::Bars(chart) => chart.finding(),
            Chart::Timeline(chart) => chart.finding(),
            Chart::Dumbbell(chart) => chart.finding(),
            Chart::Spans(chart) => chart.finding(),
            Chart::Network(chart) => chart.finding(),
            Chart::Roster(chart) => chart.finding(),
        }
    }

    /// Whether there is nothing to draw: no engagement, visit or person.
    fn is_empty(&self) -> bool {
        match self {
            Chart::Heatmap(chart) => chart.cells.is_empty(),
            Chart::Bars(chart) => chart.rows.is_empty(),
            Chart::Timeline(chart) => chart.periods.is_empty(),
            Chart::Dumbbell(chart) => chart.visits.is_empty(),
            Chart::Spans(chart) => chart.people.is_empty(),
            Chart::Network(chart) => chart.nodes.is_empty(),
            Chart::Roster(chart) => chart.rounds.is_empty() || chart.people.is_empty(),
        }
    }

    fn draw(&self, style: &Style) -> Drawing {
        if self.is_empty() {
            // An empty chart says so in words rather than draw bare axes.
            let finding = self.finding();
            return Drawing {
                width: text::width(&finding, marks::FONT_SIZE) + 4.0,
                height: 24.0,
                body: Element::new("g").child(marks::note(0.0, 16.0, &finding, marks::Anchor::Start)),
            };
        }
        match self {
            Chart::Heatmap(chart) => chart.draw(style),
            Chart::Bars(chart) => chart.draw(style),
            Chart::Timeline(chart) => chart.draw(style),
            Chart::Dumbbell(chart) => chart.draw(style),
            Chart::Spans(chart) => chart.draw(style),
            Chart::Network(chart) => chart.draw(style),
            Chart::Roster(chart) => chart.draw(style),
        }
    }

    /// The chart as one `<svg>` element: title, description, the hatch
    /// pattern, an optional heading and confidential banner, then the marks.
    pub fn to_svg(&self, style: &Style) -> String {
        self.to_svg_sized(style).0
    }

    /// [`Chart::to_svg`] and the chart's natural width in pixels: a page
    /// shows it at most this wide, so that its text is never enlarged.
    pub fn to_svg_sized(&self, style: &Style) -> (String, f64) {
        let drawing = self.draw(style);
        let title_id = format!("{}-title", style.id);
        let desc_id = format!("{}-desc", style.id);
        let mut top = 0.0;
        let mut header = Vec::new();
        if style.confidential {
            top += 18.0;
            header.push(
                Element::new("text")
                    .attr("class", "confidential")
                    .num("x", 0.0)
                    .num("y", top - 5.0)
                    .attr("fill", "#b00020")
                    .attr("font-weight", "bold")
                    .num("font-size", 12.0)
                    .text(crate::report::CONFIDENTIAL_WARNING),
            );
        }
        if style.standalone {
            top += 24.0;
            header.push(
                Element::new("text")
                    .attr("class", "heading")
                    .num("x", 0.0)
                    .num("y", top - 7.0)
                    .attr("fill", palette::INK)
                    .attr("font-weight", "bold")
                    .num("font-size", 15.0)
                    .text(self.title()),
            );
        }
        let width = drawing.width.max(if style.confidential {
            text::width(crate::report::CONFIDENTIAL_WARNING, 12.0)
        } else {
            0.0
        });
        let height = drawing.height + top;
        let hatch = Element::new("pattern")
            .attr("id", format!("{}-hatch", style.id))
            .attr("patternUnits", "userSpaceOnUse")
            .num("width", 6.0)
            .num("height", 6.0)
            .attr("patternTransform", "rotate(45)")
            .child(
                Element::new("rect")
                    .num("width", 6.0)
                    .num("height", 6.0)
                    .attr("fill", "#ffffff"),
            )
            .child(
                Element::new("line")
                    .num("x1", 0.0)
                    .num("y1", 0.0)
                    .num("x2", 0.0)
                    .num("y2", 6.0)
                    .attr("stroke", palette::SUPPRESSED)
                    .num("stroke-width", 2.5),
            );
        let mut root = Element::new("svg")
            .attr("xmlns", "http://www.w3.org/2000/svg")
            .attr("class", format!("chart chart-{}", self.kind()))
            .num("width", width)
            .num("height", height)
            .attr("viewBox", format!("0 0 {} {}", svg::number(width), svg::number(height)))
            .attr("role", "img")
            .attr("aria-labelledby", format!("{title_id} {desc_id}"))
            .attr("font-family", marks::FONT_FAMILY)
            .num("font-size", marks::FONT_SIZE)
            .child(Element::new("title").attr("id", title_id).text(if style.confidential {
                format!("CONFIDENTIAL — {}", self.title())
            } else {
                self.title().to_owned()
            }))
            .child(Element::new("desc").attr("id", desc_id).text(self.finding()))
            .child(Element::new("defs").child(hatch));
        root.extend(header);
        root.push(
            Element::new("g")
                .attr("transform", format!("translate(0,{})", svg::number(top)))
                .child(drawing.body),
        );
        (root.render(), width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ReportOptions;

    #[test]
    fn long_listings_are_cut() {
        let items: Vec<String> = (1..=5).map(|n| n.to_string()).collect();
        assert_eq!(listing(&items, 5, "pairs"), "1, 2, 3, 4, 5");
        assert_eq!(listing(&items, 2, "pairs"), "1, 2 and 3 more pairs");
    }

    #[test]
    fn a_suppressed_count_keeps_only_its_label() {
        let options = ReportOptions {
            min_count: 3,
            ..ReportOptions::new(chrono::NaiveDate::MIN)
        };
        let amount = Amount::from(Count::new(2, options));
        assert_eq!((amount.value(), amount.label()), (None, "<3"));
        let amount = Amount::from(Count::new(4, options));
        assert_eq!((amount.value(), amount.label()), (Some(4), "4"));
        assert!(Amount::from(Count::new(0, options)).is_zero());
    }
}
