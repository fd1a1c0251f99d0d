//! `report directions`: who travelled where, how often, and how many people.

use serde::Serialize;

use rustc_hash::FxHashMap;

use super::by_direction::Margins;
use super::count::{Figure, Figures};
use super::seats::{SeatTally, Seats};
use super::{Count, DirectionColumns, Report, ReportOptions};
use crate::chart::Chart;
use crate::chart::heatmap::Heatmap;
use crate::model::{Arrow, Destination, Direction, DirectionKind, PartyIndex};
use crate::privacy::View;
use crate::table::{Column, Table};

/// One direction. Its JSON is an object of the array the report prints.
#[derive(Clone, Debug, Serialize)]
pub struct DirectionRow {
    /// The visiting side as written in reports: `AZ`, or `AM + AZ`.
    pub from: String,
    pub from_parties: Vec<String>,
    /// The host party's id, or `online`.
    pub to: String,
    pub kind: DirectionKind,
    pub count: Count,
    /// People on the visiting side, each time they came: named
    /// participants and `+N` counts.
    pub seats: Seats,
    #[serde(skip)]
    pub display: String,
    #[serde(skip)]
    direction: Direction,
}

#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct DirectionsReport {
    pub rows: Vec<DirectionRow>,
}

pub fn directions(view: &View<'_, '_>, options: ReportOptions) -> DirectionsReport {
    let mut report = directions_with(view, &DirectionColumns::of(view), options);
    if options.min_count > 1 {
        // The engagements and seats in all are the summary's; a reader
        // may know them.
        let mut figures = Figures::new();
        let engagements = figures.off_page(report.rows.iter().map(|row| row.count.value()).sum(), options);
        let seats = figures.off_page(report.rows.iter().map(|row| row.seats.count.value()).sum(), options);
        report.register(&mut figures, engagements, seats);
        figures.protect();
    }
    report
}

/// [`directions`] with the directions of the view already worked out, its
/// counts not yet protected: the caller protects them with the rest of the
/// output the table is part of.
pub fn directions_with(view: &View<'_, '_>, columns: &DirectionColumns, options: ReportOptions) -> DirectionsReport {
    let ledger = view.ledger;
    let mut totals = vec![(0, SeatTally::default()); columns.directions.len()];
    for (engagement, &column) in view.iter().zip(&columns.columns) {
        totals[column].0 += 1;
        totals[column].1.add(SeatTally::of_participants(engagement));
    }
    let mut directions: Vec<(Direction, (u64, SeatTally))> = columns.directions.iter().cloned().zip(totals).collect();
    directions.sort_by(|(a, (a_count, _)), (b, (b_count, _))| row_order((a, *a_count), (b, *b_count)));
    let rows = directions
        .into_iter()
        .map(|(direction, (count, seats))| DirectionRow {
            from: direction.origin_label(ledger),
            from_parties: direction
                .origin
                .iter()
                .map(|&p| ledger.party(p).id.to_owned())
                .collect(),
            to: ledger.destination_id(direction.destination).to_owned(),
            kind: direction.kind(),
            count: Count::new(count, options),
            seats: seats.seats(options),
            display: direction.label(ledger, Arrow::Unicode),
            direction,
        })
        .collect();
    DirectionsReport { rows }
}

/// The order of the report's rows: bilateral, joint, online; the most
/// engagements first.
fn row_order(a: (&Direction, u64), b: (&Direction, u64)) -> std::cmp::Ordering {
    (a.0.kind(), std::cmp::Reverse(a.1))
        .cmp(&(b.0.kind(), std::cmp::Reverse(b.1)))
        .then_with(|| a.0.report_order(b.0))
}

/// The engagements of each direction as `report directions` shows them
/// under `--min-count`, `totals[i]` being those of `directions[i]`.
///
/// Another report whose columns add up to these figures takes them as its
/// margins: a margin the directions report hides (to protect a smaller
/// one) must count as missing there too, or that report's cells would add
/// up to it and give it away.
pub fn shown_counts(directions: &[Direction], totals: &[u64], options: ReportOptions) -> Vec<Count> {
    let mut counts: Vec<Count> = totals.iter().map(|&total| Count::new(total, options)).collect();
    if options.min_count <= 1 {
        return counts;
    }
    // Protected as `directions` protects them: in the report's row order,
    // which breaks ties, with the engagements in all beside them.
    let mut order: Vec<usize> = (0..directions.len()).collect();
    order.sort_by(|&a, &b| row_order((&directions[a], totals[a]), (&directions[b], totals[b])));
    let mut in_order: Vec<Count> = order.iter().map(|&at| counts[at]).collect();
    {
        let mut figures = Figures::new();
        let engagements = figures.off_page(totals.iter().sum(), options);
        let mut line = vec![engagements];
        line.extend(in_order.iter_mut().map(|count| figures.add(count)));
        figures.line(line);
        figures.protect();
    }
    for (&at, count) in order.iter().zip(in_order) {
        counts[at] = count;
    }
    counts
}

impl DirectionsReport {
    /// Registers every count and the lines they make: the directions add
    /// up to `engagements`, and their seats to `seats`. Returns the margins
    /// a cross-table of the same engagements adds up to.
    pub fn register<'r>(&'r mut self, figures: &mut Figures<'r>, engagements: Figure, seats: Figure) -> Margins {
        let mut by_direction: FxHashMap<Direction, Figure> = FxHashMap::default();
        let mut counts = vec![engagements];
        let mut people = vec![seats];
        for row in &mut self.rows {
            let count = figures.add(&mut row.count);
            by_direction.insert(row.direction.clone(), count);
            counts.push(count);
            people.push(figures.add(&mut row.seats.count));
        }
        figures.line(counts);
        figures.line(people);
        Margins {
            engagements,
            by_direction,
        }
    }

    /// The bilateral direction `from -> to`, if it is among the rows.
    pub fn bilateral(&self, from: &str, to: &str) -> Option<Direction> {
        self.rows
            .iter()
            .find(|row| row.kind == DirectionKind::Bilateral && row.from == from && row.to == to)
            .map(|row| row.direction.clone())
    }

    /// The rows and columns of the from × to matrix: visiting sides and
    /// destinations, both in the parties' declaration order (joint sides
    /// after single parties, `online` last).
    fn axes(&self) -> (Vec<&str>, Vec<&str>) {
        let mut origins: Vec<(usize, &[PartyIndex], &str)> = self
            .rows
            .iter()
            .map(|row| {
                (
                    row.direction.origin.len(),
                    row.direction.origin.as_slice(),
                    row.from.as_str(),
                )
            })
            .collect();
        origins.sort();
        origins.dedup();
        let origins: Vec<&str> = origins.into_iter().map(|(_, _, label)| label).collect();
        let mut destinations: Vec<(Destination, &str)> = self
            .rows
            .iter()
            .map(|row| (row.direction.destination, row.to.as_str()))
            .collect();
        destinations.sort();
        destinations.dedup();
        let destinations: Vec<&str> = destinations.into_iter().map(|(_, label)| label).collect();
        (origins, destinations)
    }

    /// From × to: one row per visiting side, one column per destination.
    pub fn matrix(&self) -> Table {
        let (origins, destinations) = self.axes();
        let columns = std::iter::once(Column::text("from/to"))
            .chain(destinations.iter().map(|&to| Column::number(to)))
            .collect();
        let mut table = Table::new(Some("Engagements, from × to"), columns);
        // Looked up, not searched: a regional ledger has thousands of
        // origins (each joint delegation is one) and of directions, and a
        // scan of the rows per cell made this table cubic in them.
        let count_of: FxHashMap<(&str, &str), &DirectionRow> = self
            .rows
            .iter()
            .map(|row| ((row.from.as_str(), row.to.as_str()), row))
            .collect();
        for origin in origins {
            let mut cells = vec![origin.to_owned()];
            for &destination in &destinations {
                let cell = count_of
                    .get(&(origin, destination))
                    .map_or_else(|| "·".to_owned(), |row| row.count.to_string());
                cells.push(cell);
            }
            table.push(cells);
        }
        table
    }

    /// The directions as every chart of a page colours them: in report
    /// order (bilateral, joint, online; then by party), `AZ → AM`.
    pub fn palette_order(&self) -> Vec<String> {
        let mut rows: Vec<&DirectionRow> = self.rows.iter().collect();
        rows.sort_by(|a, b| a.direction.report_order(&b.direction));
        rows.into_iter().map(|row| row.display.clone()).collect()
    }

    fn list(&self, title: Option<&str>, label: impl Fn(&DirectionRow) -> String) -> Table {
        let columns = vec![
            Column::text("direction"),
            Column::text("kind"),
            Column::number("engagements"),
            Column::number("seats"),
        ];
        let mut table = Table::new(title, columns);
        for row in &self.rows {
            table.push(vec![
                label(row),
                row.kind.as_str().to_owned(),
                row.count.to_string(),
                row.seats.to_string(),
            ]);
        }
        table
    }
}

impl Report for DirectionsReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("reports serialise")
    }

    fn tables(&self) -> Vec<Table> {
        vec![self.matrix(), self.list(Some("Directions"), |row| row.display.clone())]
    }

    fn chart(&self) -> Option<Chart> {
        let (origins, destinations) = self.axes();
        let origin_of: std::collections::HashMap<&str, usize> = origins
            .iter()
            .enumerate()
            .map(|(index, label)| (*label, index))
            .collect();
        let destination_of: std::collections::HashMap<&str, usize> = destinations
            .iter()
            .enumerate()
            .map(|(index, label)| (*label, index))
            .collect();
        let cells = self
            .rows
            .iter()
            .map(|row| {
                (
                    origin_of[row.from.as_str()],
                    destination_of[row.to.as_str()],
                    row.count.into(),
                )
            })
            .collect();
        Some(Chart::Heatmap(Heatmap {
            title: "Engagements, from × to".to_owned(),
            origins: origins.into_iter().map(str::to_owned).collect(),
            destinations: destinations.into_iter().map(str::to_owned).collect(),
            cells,
        }))
    }

    fn csv_table(&self) -> Table {
        let mut table = Table::new(
            None,
            vec![
                Column::text("from"),
                Column::text("to"),
                Column::text("kind"),
                Column::number("count"),
                Column::number("seats"),
                Column::text("seats_approximate"),
                Column::number("seats_unknown_parts"),
            ],
        );
        // The seats split into their parts, so that the column stays a
        // number a program can add up.
        for row in &self.rows {
            table.push(vec![
                row.from.clone(),
                row.to.clone(),
                row.kind.as_str().to_owned(),
                row.count.to_string(),
                row.seats.count.to_string(),
                row.seats.approximate.to_string(),
                row.seats.unknown_parts.to_string(),
            ]);
        }
        table
    }
}
