//! Pieces several charts draw the same way: labels, a time axis, legend
//! keys and the stub that stands for a count withheld by `--min-count`.

use chrono::NaiveDate;

use super::palette;
use super::scale::{self, Linear};
use super::svg::Element;

/// System fonts only: nothing is downloaded, and a page looks native.
pub const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif";
pub const FONT_SIZE: f64 = 12.0;
pub const SMALL: f64 = 11.0;

/// How wide the stub of a suppressed count is: the same for every such
/// count, so that its length says nothing.
pub const STUB: f64 = 8.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A line of text whose baseline is at `y`.
pub fn label(x: f64, y: f64, content: &str, anchor: Anchor) -> Element {
    let element = Element::new("text").num("x", x).num("y", y);
    let element = match anchor {
        Anchor::Start => element,
        _ => element.attr("text-anchor", anchor.as_str()),
    };
    element.attr("fill", palette::INK).text(content)
}

/// A smaller, grey label: ticks and secondary text.
pub fn note(x: f64, y: f64, content: &str, anchor: Anchor) -> Element {
    label(x, y, content, anchor)
        .attr("fill", palette::MUTED)
        .num("font-size", SMALL)
}

pub fn line(x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str) -> Element {
    Element::new("line")
        .num("x1", x1)
        .num("y1", y1)
        .num("x2", x2)
        .num("y2", y2)
        .attr("stroke", stroke)
}

pub fn rect(x: f64, y: f64, width: f64, height: f64, fill: &str) -> Element {
    Element::new("rect")
        .num("x", x)
        .num("y", y)
        .num("width", width.max(0.0))
        .num("height", height.max(0.0))
        .attr("fill", fill)
}

/// A time axis along `y` over `scale`'s range, its ticks labelled by
/// [`scale::time_ticks`].
pub fn time_axis(scale: &Linear, first: NaiveDate, last: NaiveDate, y: f64, (left, right): (f64, f64)) -> Element {
    let mut axis = Element::new("g").attr("class", "axis");
    axis.push(line(left, y, right, y, palette::RULE));
    for (tick, text) in scale::time_ticks(first, last, right - left) {
        let x = scale.map(scale::day_number(tick));
        axis.push(line(x, y, x, y + 4.0, palette::MUTED));
        axis.push(note(x, y + 16.0, &text, Anchor::Middle));
    }
    axis
}

/// A key of a legend: a swatch (square, or circle when `round`, hollow when
/// not `filled`) and its text. Returns the key and its width.
pub fn legend_key(x: f64, y: f64, colour: &str, text: &str, round: bool, filled: bool) -> (Element, f64) {
    let mut key = Element::new("g").attr("class", "legend");
    let swatch = if round {
        Element::new("circle")
            .num("cx", x + 5.0)
            .num("cy", y - 4.0)
            .num("r", 4.5)
    } else {
        Element::new("rect")
            .num("x", x)
            .num("y", y - 9.0)
            .num("width", 10.0)
            .num("height", 10.0)
    };
    let swatch = if filled {
        swatch.attr("fill", colour)
    } else {
        swatch
            .attr("fill", "#ffffff")
            .attr("stroke", colour)
            .num("stroke-width", 2.0)
    };
    key.push(swatch);
    key.push(label(x + 15.0, y, text, Anchor::Start));
    (key, 15.0 + super::text::width(text, FONT_SIZE) + 16.0)
}

/// The stub that stands for a suppressed count: hatched, of a fixed size.
pub fn stub(x: f64, y: f64, height: f64, hatch: &str) -> Element {
    rect(x, y, STUB, height, hatch)
        .attr("stroke", palette::SUPPRESSED)
        .num("stroke-width", 0.75)
}

/// At most this many keys in a legend.
pub const MAX_KEYS: usize = 16;

/// One key of a [`legend`].
pub struct Key<'a> {
    pub colour: &'a str,
    pub text: &'a str,
    /// A circle rather than a square.
    pub round: bool,
    /// Hollow when false: the shape says what the colour cannot.
    pub filled: bool,
}

/// One filled round key per party, in the colours every chart of people
/// gives the parties (their order in `parties`).
pub fn party_keys(parties: &[String]) -> Vec<Key<'_>> {
    parties
        .iter()
        .enumerate()
        .map(|(index, party)| Key {
            colour: palette::party(index),
            text: party,
            round: true,
            filled: true,
        })
        .collect()
}

/// Keys in a row from `y`, wrapped to `width`. Returns the legend and the
/// baseline of its last line.
pub fn legend(keys: &[Key<'_>], width: f64, y: f64) -> (Element, f64) {
    let mut legend = Element::new("g");
    let (mut x, mut y) = (0.0, y);
    // A legend of hundreds of keys helps nobody; the marks keep their labels.
    for key in keys.iter().take(MAX_KEYS) {
        let (_, key_width) = legend_key(x, y, key.colour, key.text, key.round, key.filled);
        if x > 0.0 && x + key_width > width {
            x = 0.0;
            y += 18.0;
        }
        let (element, key_width) = legend_key(x, y, key.colour, key.text, key.round, key.filled);
        legend.push(element);
        x += key_width;
    }
    (legend, y)
}
