//! From × to: who travels to whom, one cell per pair with its count printed
//! in it and shaded in one sequential hue.

use super::marks::{self, Anchor};
use super::svg::Element;
use super::{Amount, Drawing, Style, palette, text};

/// At most this many rows and columns are drawn; the table has them all.
pub const MAX_SIDE: usize = 24;

#[derive(Clone, Debug)]
pub struct Heatmap {
    pub title: String,
    /// Visiting sides (`AZ`, `AM + AZ`), in report order.
    pub origins: Vec<String>,
    /// Hosts (`AM`, `online`), in report order.
    pub destinations: Vec<String>,
    /// The pairs with engagements, as (origin, destination, count) with
    /// indices into `origins` and `destinations`; any other pair is empty.
    /// A list rather than a grid: many visiting sides times many hosts must
    /// not cost their product.
    pub cells: Vec<(usize, usize, Amount)>,
}

const CELL_HEIGHT: f64 = 34.0;
const HEADER: f64 = 46.0;

impl Heatmap {
    /// Every pair with engagements, the largest first: "AZ → AM 3, AM → AZ 1".
    pub fn finding(&self) -> String {
        let mut pairs: Vec<(String, &Amount)> = self
            .cells
            .iter()
            .filter(|(_, _, amount)| !amount.is_zero())
            .filter_map(|(o, d, amount)| {
                let pair = format!("{} → {}", self.origins.get(*o)?, self.destinations.get(*d)?);
                Some((pair, amount))
            })
            .collect();
        if pairs.is_empty() {
            return "No engagements.".to_owned();
        }
        pairs.sort_by_key(|(_, amount)| std::cmp::Reverse(amount.value()));
        let listed: Vec<String> = pairs
            .iter()
            .map(|(pair, amount)| format!("{pair} {}", amount.label()))
            .collect();
        format!("Engagements from × to: {}.", super::listing(&listed, 8, "pairs"))
    }

    pub fn draw(&self, style: &Style) -> Drawing {
        let origins = &self.origins[..self.origins.len().min(MAX_SIDE)];
        let destinations = &self.destinations[..self.destinations.len().min(MAX_SIDE)];
        let row_labels = text::widest(origins.iter().map(String::as_str), marks::FONT_SIZE) * 1.1;
        let left = (row_labels + 16.0).max(56.0);
        let cell_width =
            (text::widest(destinations.iter().map(String::as_str), marks::FONT_SIZE) * 1.1 + 16.0).max(56.0);
        let max = self
            .cells
            .iter()
            .filter_map(|(_, _, amount)| amount.value())
            .max()
            .unwrap_or(0)
            .max(1);
        let drawn: std::collections::HashMap<(usize, usize), &Amount> = self
            .cells
            .iter()
            .filter(|(o, d, _)| *o < origins.len() && *d < destinations.len())
            .map(|(o, d, amount)| ((*o, *d), amount))
            .collect();
        let mut body = Element::new("g");
        body.push(marks::note(left, 14.0, "to →", Anchor::Start));
        body.push(marks::note(left - 8.0, HEADER - 12.0, "from ↓", Anchor::End));
        for (d, destination) in destinations.iter().enumerate() {
            let x = left + cell_width * (d as f64 + 0.5);
            body.push(marks::label(x, HEADER - 12.0, destination, Anchor::Middle).attr("font-weight", "bold"));
        }
        for (o, origin) in origins.iter().enumerate() {
            let y = HEADER + CELL_HEIGHT * o as f64;
            body.push(
                marks::label(left - 8.0, y + CELL_HEIGHT / 2.0 + 4.0, origin, Anchor::End).attr("font-weight", "bold"),
            );
            for (d, destination) in destinations.iter().enumerate() {
                let x = left + cell_width * d as f64;
                let amount = drawn.get(&(o, d)).copied();
                body.push(cell_mark(style, amount, (origin, destination), (x, y, cell_width), max));
            }
        }
        let mut height = HEADER + CELL_HEIGHT * origins.len() as f64 + 6.0;
        if origins.len() < self.origins.len() || destinations.len() < self.destinations.len() {
            height += 16.0;
            body.push(marks::note(
                0.0,
                height - 4.0,
                &format!("The first {MAX_SIDE} rows and columns; the table has them all."),
                Anchor::Start,
            ));
        }
        Drawing {
            width: left + cell_width * destinations.len() as f64 + 2.0,
            height,
            body,
        }
    }
}

/// One cell: shaded by its count, the count printed in it; hatched when
/// the count is withheld; grey with a dot when empty.
fn cell_mark(
    style: &Style,
    amount: Option<&Amount>,
    (origin, destination): (&str, &str),
    (x, y, width): (f64, f64, f64),
    max: u64,
) -> Element {
    let pair = format!("{origin} → {destination}");
    let inset = |element: Element| element.attr("stroke", "#ffffff").num("stroke-width", 2.0);
    match amount {
        None => Element::new("g")
            .attr("class", "cell empty")
            .child(inset(marks::rect(x, y, width, CELL_HEIGHT, "#f4f4f4")))
            .child(marks::note(
                x + width / 2.0,
                y + CELL_HEIGHT / 2.0 + 4.0,
                "·",
                Anchor::Middle,
            ))
            .titled(format!("{pair}: none")),
        Some(amount) => {
            let (fill, ink, tooltip) = match amount.value() {
                Some(value) => {
                    let share = value as f64 / max as f64;
                    let noun = if value == 1 { "engagement" } else { "engagements" };
                    (
                        palette::sequential(share),
                        palette::ink_on(share),
                        format!("{pair}: {value} {noun}"),
                    )
                }
                None => (
                    style.hatch(),
                    palette::INK,
                    format!("{pair}: {} engagements (withheld: too few to show)", amount.label()),
                ),
            };
            let mut number = marks::label(
                x + width / 2.0,
                y + CELL_HEIGHT / 2.0 + 5.0,
                amount.label(),
                Anchor::Middle,
            )
            .attr("fill", ink)
            .attr("font-weight", "bold")
            .num("font-size", 14.0);
            if amount.is_suppressed() {
                // Legible over the hatching.
                number = number
                    .attr("stroke", "#ffffff")
                    .num("stroke-width", 3.0)
                    .attr("paint-order", "stroke");
            }
            Element::new("g")
                .attr("class", "mark cell")
                .attr("data-from", origin)
                .attr("data-to", destination)
                .attr("data-value", amount.label())
                .child(inset(marks::rect(x, y, width, CELL_HEIGHT, &fill)))
                .child(number)
                .titled(tooltip)
        }
    }
}
