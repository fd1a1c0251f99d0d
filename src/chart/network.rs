//! Who met whom: people on a circle, grouped by party (a deterministic
//! layout: the same ledger draws the same picture), a curve between two
//! people for the engagements they shared, wider for more.

use std::f64::consts::PI;

use super::marks::{self, Anchor};
use super::svg::Element;
use super::{Amount, Drawing, Style, palette, text};

/// At most this many people are drawn (those linked to the most others);
/// the table lists every pair.
pub const MAX_NODES: usize = 60;

#[derive(Clone, Debug)]
pub struct Network {
    pub title: String,
    /// Parties in the order their groups go round the circle.
    pub parties: Vec<String>,
    /// People (or placeholders such as `participant (AZ)`).
    pub nodes: Vec<NetworkNode>,
    pub edges: Vec<Link>,
}

#[derive(Clone, Debug)]
pub struct NetworkNode {
    pub name: String,
    pub party: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Link {
    /// Indices into `nodes`.
    pub a: usize,
    pub b: usize,
    /// Engagements the two shared, in either role.
    pub shared: Amount,
}

const LABEL_ROOM: f64 = 150.0;

impl Network {
    /// How many others each person is linked to.
    fn degrees(&self) -> Vec<usize> {
        let mut degrees = vec![0; self.nodes.len()];
        for link in &self.edges {
            if let Some(degree) = degrees.get_mut(link.a) {
                *degree += 1;
            }
            if let Some(degree) = degrees.get_mut(link.b) {
                *degree += 1;
            }
        }
        degrees
    }

    fn who(&self, node: usize) -> String {
        let person = &self.nodes[node];
        match &person.party {
            Some(party) if !person.name.ends_with(&format!("({party})")) => format!("{} ({party})", person.name),
            _ => person.name.clone(),
        }
    }

    /// "13 people of 2 parties; 40 pairs shared an engagement; the most
    /// linked: Rusif Huseynov (AZ), to 10 others."
    pub fn finding(&self) -> String {
        if self.nodes.is_empty() {
            return "Nobody.".to_owned();
        }
        let people = if self.nodes.len() == 1 { "person" } else { "people" };
        let parties = if self.parties.len() == 1 { "party" } else { "parties" };
        let pairs = if self.edges.len() == 1 { "pair" } else { "pairs" };
        let mut finding = format!(
            "{} {people} of {} {parties}; {} {pairs} shared an engagement",
            self.nodes.len(),
            self.parties.len(),
            self.edges.len()
        );
        let degrees = self.degrees();
        let most = degrees
            .iter()
            .enumerate()
            .fold(None, |best: Option<(usize, usize)>, (node, &degree)| match best {
                Some((_, top)) if top >= degree => best,
                _ => Some((node, degree)),
            });
        if let Some((node, degree)) = most.filter(|(_, degree)| *degree > 0) {
            let others = if degree == 1 { "other" } else { "others" };
            finding.push_str(&format!("; the most linked: {}, to {degree} {others}", self.who(node)));
        }
        finding.push('.');
        finding
    }

    /// The people drawn: all, or the most linked when there are too many,
    /// in circle order (by party, then as given).
    fn drawn(&self) -> Vec<usize> {
        let degrees = self.degrees();
        let mut chosen: Vec<usize> = (0..self.nodes.len()).collect();
        if chosen.len() > MAX_NODES {
            chosen.sort_by_key(|&node| (std::cmp::Reverse(degrees[node]), node));
            chosen.truncate(MAX_NODES);
        }
        let group = |node: usize| {
            self.nodes[node]
                .party
                .as_ref()
                .and_then(|party| self.parties.iter().position(|known| known == party))
                .unwrap_or(self.parties.len())
        };
        chosen.sort_by_key(|&node| (group(node), node));
        chosen
    }

    pub fn draw(&self, _style: &Style) -> Drawing {
        let drawn = self.drawn();
        let group_of = |node: usize| {
            self.nodes[node]
                .party
                .as_ref()
                .and_then(|party| self.parties.iter().position(|known| known == party))
        };
        // One empty slot between party groups, so that the groups show.
        let mut slots = Vec::with_capacity(drawn.len());
        let mut slot = 0usize;
        for (position, &node) in drawn.iter().enumerate() {
            if position > 0 && group_of(node) != group_of(drawn[position - 1]) {
                slot += 1;
            }
            slots.push(slot);
            slot += 1;
        }
        let total_slots =
            (slot + usize::from(drawn.len() > 1 && group_of(drawn[0]) != group_of(drawn[drawn.len() - 1]))).max(1);
        let step = 2.0 * PI / total_slots as f64;
        // Room along the circle for a label of 11 px at each slot.
        let radius = (13.0 * total_slots as f64 / (2.0 * PI)).max(150.0);
        let label_room =
            text::widest(drawn.iter().map(|&node| self.nodes[node].name.as_str()), marks::SMALL).min(LABEL_ROOM);
        let mut keys: Vec<marks::Key<'_>> = marks::party_keys(&self.parties);
        if drawn.iter().any(|&node| group_of(node).is_none()) {
            keys.push(marks::Key {
                colour: palette::OTHER,
                text: "no party",
                round: true,
                filled: true,
            });
        }
        let side = 2.0 * (radius + 16.0 + label_room) + 8.0;
        let (legend, legend_bottom) = marks::legend(&keys, side, 12.0);
        let centre = (side / 2.0, legend_bottom + 8.0 + side / 2.0);
        let position = |slot: usize, distance: f64| {
            let angle = -PI / 2.0 + step * slot as f64;
            (
                centre.0 + distance * angle.cos(),
                centre.1 + distance * angle.sin(),
                angle,
            )
        };
        let mut body = Element::new("g");
        body.push(legend);
        if drawn.is_empty() {
            body.push(marks::note(0.0, legend_bottom + 24.0, "Nobody.", Anchor::Start));
            return Drawing {
                width: 240.0,
                height: legend_bottom + 32.0,
                body,
            };
        }
        let slot_of: std::collections::HashMap<usize, usize> =
            drawn.iter().copied().zip(slots.iter().copied()).collect();
        let mut links = Element::new("g").attr("class", "links").attr("fill", "none");
        for link in &self.edges {
            let (Some(&a), Some(&b)) = (slot_of.get(&link.a), slot_of.get(&link.b)) else {
                continue;
            };
            let (x1, y1, _) = position(a, radius);
            let (x2, y2, _) = position(b, radius);
            // A curve bent towards the centre keeps the chords apart.
            let (cx, cy) = (
                (x1 + x2) / 2.0 + (centre.0 - (x1 + x2) / 2.0) * 0.45,
                (y1 + y2) / 2.0 + (centre.1 - (y1 + y2) / 2.0) * 0.45,
            );
            let path = format!(
                "M{} {} Q{} {} {} {}",
                super::svg::number(x1),
                super::svg::number(y1),
                super::svg::number(cx),
                super::svg::number(cy),
                super::svg::number(x2),
                super::svg::number(y2)
            );
            let curve = Element::new("path").attr("d", path);
            let curve = match link.shared.value() {
                Some(shared) => curve
                    .attr("stroke", "#5f6b7a")
                    .num("stroke-opacity", 0.45)
                    .num("stroke-width", (1.2 * shared as f64).clamp(1.2, 9.0)),
                None => curve
                    .attr("stroke", palette::SUPPRESSED)
                    .num("stroke-width", 1.0)
                    .attr("stroke-dasharray", "3 3"),
            };
            let noun = if link.shared.value() == Some(1) {
                "engagement"
            } else {
                "engagements"
            };
            links.push(
                Element::new("g")
                    .attr("class", "mark link")
                    .attr("data-value", link.shared.label())
                    .child(curve)
                    .titled(format!(
                        "{} and {}: {} shared {noun}",
                        self.who(link.a),
                        self.who(link.b),
                        link.shared.label()
                    )),
            );
        }
        body.push(links);
        let degrees = self.degrees();
        for (&node, &slot) in drawn.iter().zip(&slots) {
            let (x, y, angle) = position(slot, radius);
            let colour = group_of(node).map_or(palette::OTHER, palette::party);
            let (lx, ly, _) = position(slot, radius + 10.0);
            let mut degrees_of_angle = angle.to_degrees();
            let anchor = if angle.cos() < -1e-9 {
                // Left half: turn the text round so that it reads left to right.
                degrees_of_angle += 180.0;
                Anchor::End
            } else {
                Anchor::Start
            };
            let name = text::fit(&self.nodes[node].name, label_room, marks::SMALL);
            let others = if degrees[node] == 1 { "other" } else { "others" };
            body.push(
                Element::new("g")
                    .attr("class", "mark node")
                    .child(
                        Element::new("circle")
                            .num("cx", x)
                            .num("cy", y)
                            .num("r", 5.5)
                            .attr("fill", colour)
                            .attr("stroke", "#ffffff")
                            .num("stroke-width", 1.5),
                    )
                    .child(
                        marks::label(lx, ly, &name, anchor)
                            .attr("dy", "0.35em")
                            .num("font-size", marks::SMALL)
                            .attr(
                                "transform",
                                format!(
                                    "rotate({} {} {})",
                                    super::svg::number(degrees_of_angle),
                                    super::svg::number(lx),
                                    super::svg::number(ly)
                                ),
                            ),
                    )
                    .titled(format!("{}: linked to {} {others}", self.who(node), degrees[node])),
            );
        }
        // Each party's name inside the circle, by the middle of its group:
        // the grouping does not rest on colour alone.
        for (group, party) in self.parties.iter().enumerate() {
            let members: Vec<usize> = drawn
                .iter()
                .zip(&slots)
                .filter(|(node, _)| group_of(**node) == Some(group))
                .map(|(_, &slot)| slot)
                .collect();
            if let (Some(first), Some(last)) = (members.first(), members.last()) {
                let middle = (first + last) as f64 / 2.0;
                let angle = -PI / 2.0 + step * middle;
                let distance = radius - 26.0;
                body.push(
                    marks::label(
                        centre.0 + distance * angle.cos(),
                        centre.1 + distance * angle.sin(),
                        party,
                        Anchor::Middle,
                    )
                    .attr("class", "party")
                    .attr("dy", "0.35em")
                    .attr("font-weight", "bold")
                    .attr("stroke", "#ffffff")
                    .num("stroke-width", 3.0)
                    .attr("paint-order", "stroke"),
                );
            }
        }
        let mut height = centre.1 + side / 2.0;
        if drawn.len() < self.nodes.len() {
            height += 14.0;
            body.push(marks::note(
                0.0,
                height - 4.0,
                &format!(
                    "The {MAX_NODES} most linked of {} people; the table lists every pair.",
                    self.nodes.len()
                ),
                Anchor::Start,
            ));
        }
        Drawing {
            width: side,
            height,
            body,
        }
    }
}
