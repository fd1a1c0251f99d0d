//! `report formats|tracks|sponsors|series|tags`: how many engagements have
//! each value, split by direction.

use std::collections::BTreeMap;

use serde::Serialize;

use super::by_direction::{
    CellCounter, DirectionCells, DirectionLabels, Margins, SparseCounts, partition_lines, register_rows,
};
use super::count::Figures;
use super::{Count, DirectionColumns, Report, ReportOptions};
use crate::chart::Chart;
use crate::chart::bars::{BarRow, Bars};
use crate::model::{Engagement, FormatIndex, Ledger, OrgIndex, SeriesIndex, Track};
use crate::privacy::View;
use crate::table::{Column, Table};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    Format,
    Track,
    Sponsor,
    Series,
    Tag,
}

impl Dimension {
    pub fn noun(self) -> &'static str {
        match self {
            Dimension::Format => "format",
            Dimension::Track => "track",
            Dimension::Sponsor => "sponsor",
            Dimension::Series => "series",
            Dimension::Tag => "tag",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Dimension::Format => "Engagements by format",
            Dimension::Track => "Engagements by track",
            Dimension::Sponsor => "Engagements by sponsor",
            Dimension::Series => "Engagements by series",
            Dimension::Tag => "Engagements by tag",
        }
    }

    /// Calls `count` with each value `engagement` has in this dimension:
    /// `None` stands for "none" (no sponsor, no series, no tag). An
    /// engagement with two sponsors counts once under each.
    fn for_each_value<'a>(self, engagement: Engagement<'_, 'a>, mut count: impl FnMut(Option<ValueKey<'a>>)) {
        match self {
            Dimension::Format => count(engagement.format().map(ValueKey::Format)),
            Dimension::Track => count(Some(ValueKey::Track(engagement.track()))),
            Dimension::Series => count(engagement.series().map(ValueKey::Series)),
            Dimension::Sponsor if engagement.sponsors().is_empty() => count(None),
            Dimension::Sponsor => engagement
                .sponsors()
                .iter()
                .for_each(|&org| count(Some(ValueKey::Sponsor(org)))),
            Dimension::Tag if engagement.tags().len() == 0 => count(None),
            Dimension::Tag => engagement.tags().for_each(|tag| count(Some(ValueKey::Tag(tag)))),
        }
    }
}

/// A value as counted: an index or the text itself, made into an id and a
/// name only for the rows of the report.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum ValueKey<'a> {
    Format(FormatIndex),
    Track(Track),
    Sponsor(OrgIndex),
    Series(SeriesIndex),
    Tag(&'a str),
}

impl ValueKey<'_> {
    fn id_and_name(self, ledger: &Ledger<'_>) -> Value {
        match self {
            ValueKey::Format(format) => {
                let format = ledger.format(format);
                (format.id.to_owned(), format.name.to_owned())
            }
            ValueKey::Track(track) => (track.as_str().to_owned(), track_name(track).to_owned()),
            ValueKey::Sponsor(org) => {
                let org = ledger.org(org);
                (org.id.to_owned(), org.name.to_owned())
            }
            ValueKey::Series(series) => {
                let series = ledger.series_of(series);
                (series.id.to_owned(), series.name.to_owned())
            }
            ValueKey::Tag(tag) => (tag.to_owned(), tag.to_owned()),
        }
    }
}

/// A value of a dimension: its id and display name.
type Value = (String, String);

fn track_name(track: Track) -> &'static str {
    match track {
        Track::One => "Track 1 (official)",
        Track::OneAndHalf => "Track 1.5 (officials and experts, or state-supported)",
        Track::Two => "Track 2 (unofficial)",
    }
}

#[derive(Clone, Debug)]
pub struct BreakdownRow {
    /// The id (the track's number for tracks, the tag itself for tags);
    /// `None` for engagements without a value.
    pub id: Option<String>,
    pub name: String,
    pub count: Count,
    pub cells: DirectionCells,
}

#[derive(Clone, Debug)]
pub struct BreakdownReport {
    pub rows: Vec<BreakdownRow>,
    dimension: Dimension,
    labels: DirectionLabels,
    /// Engagements per direction (per column of `labels`).
    column_totals: Vec<u64>,
    /// What the rows left out by [`BreakdownReport::keep_top`] add up to:
    /// in all, and per column.
    left_out: Option<(u64, Vec<u64>)>,
    options: ReportOptions,
}

pub fn breakdown(view: &View<'_, '_>, dimension: Dimension, options: ReportOptions) -> BreakdownReport {
    let mut report = breakdown_with(view, &DirectionColumns::of(view), dimension, options);
    report.protect();
    report
}

/// [`breakdown`] with the directions of the view already worked out, its
/// counts not yet protected: the caller protects them with the rest of the
/// output the table is part of.
pub fn breakdown_with(
    view: &View<'_, '_>,
    columns: &DirectionColumns,
    dimension: Dimension,
    options: ReportOptions,
) -> BreakdownReport {
    let ledger = view.ledger;
    let mut counter = CellCounter::new(columns.directions.len());
    for (engagement, &column) in view.iter().zip(&columns.columns) {
        dimension.for_each_value(engagement, |value| counter.add(value, column));
    }
    let (cells, totals) = counter.finish();
    // Keyed by (id, name) so rows keep one order whatever the counts.
    let mut rows: Vec<(Option<Value>, SparseCounts)> = cells
        .into_iter()
        .map(|(key, cells)| (key.map(|key| key.id_and_name(ledger)), cells))
        .collect();
    rows.sort_by(|(a, _), (b, _)| a.cmp(b));
    match dimension {
        // Tracks read best in their own order, 1, 1.5, 2.
        Dimension::Track => {}
        _ => rows.sort_by(|(a_key, a), (b_key, b)| {
            b.total()
                .cmp(&a.total())
                .then_with(|| a_key.is_none().cmp(&b_key.is_none()))
                .then_with(|| a_key.cmp(b_key))
        }),
    }
    let labels = DirectionLabels::new(ledger, &columns.directions, &totals);
    BreakdownReport {
        rows: rows
            .into_iter()
            .map(|(key, counts)| {
                let (id, name) = match key {
                    Some((id, name)) => (Some(id), name),
                    None => (None, format!("(no {})", dimension.noun())),
                };
                BreakdownRow {
                    id,
                    name,
                    count: Count::new(counts.total(), options),
                    cells: DirectionCells::new(&counts, &labels, options),
                }
            })
            .collect(),
        dimension,
        labels,
        column_totals: totals,
        left_out: None,
        options,
    }
}

/// Bars of `rows`, whose counts by direction are laid out as `labels` says
/// (the view's directions, as [`BreakdownReport`] and the summary count
/// them).
pub fn bars(title: &str, rows: &[BreakdownRow], labels: &DirectionLabels) -> Bars {
    Bars {
        title: title.to_owned(),
        series: labels.shown_labels(),
        rows: rows
            .iter()
            .map(|row| BarRow {
                label: row.name.clone(),
                id: row.id.clone(),
                total: row.count.into(),
                values: row.cells.wide(labels).into_iter().map(Into::into).collect(),
            })
            .collect(),
    }
}

impl BreakdownReport {
    /// The directions the rows are split by.
    pub fn labels(&self) -> &DirectionLabels {
        &self.labels
    }

    /// Keeps the first `count` rows that have a value (a summary's top
    /// five: "(no sponsor)" is a fact, but not a top sponsor), and what the
    /// others add up to, which a reader can work out from the totals.
    pub fn keep_top(&mut self, count: usize) {
        let mut kept = 0;
        let mut left_out = (0, vec![0; self.column_totals.len()]);
        self.rows.retain(|row| {
            let keep = row.id.is_some() && kept < count;
            if keep {
                kept += 1;
            } else {
                left_out.0 += row.count.value();
                for (column, count) in row.cells.long() {
                    left_out.1[column] += count.value();
                }
            }
            keep
        });
        self.left_out = Some(left_out);
    }

    /// Whether each engagement counts in exactly one row, so that the
    /// columns add up to the engagements per direction.
    fn partitions(&self) -> bool {
        matches!(self.dimension, Dimension::Format | Dimension::Track | Dimension::Series)
    }

    /// Registers every count and the lines they make: each row adds up to
    /// its total; and when the rows partition the engagements, each column
    /// to `margins`.
    pub fn register<'r>(&'r mut self, figures: &mut Figures<'r>, margins: Option<&Margins>) {
        let partitions = self.partitions();
        let labels = &self.labels;
        let rows = register_rows(
            figures,
            self.rows.iter_mut().map(|row| (&mut row.count, &mut row.cells)),
            labels,
        );
        if let (true, Some(margins)) = (partitions, margins) {
            let rest = self.left_out.as_ref().map(|(total, columns)| {
                let total = figures.off_page(*total, self.options);
                let columns = columns
                    .iter()
                    .enumerate()
                    .filter(|(_, count)| **count > 0)
                    .map(|(column, &count)| (column, figures.off_page(count, self.options)))
                    .collect();
                (total, columns)
            });
            partition_lines(figures, &rows, rest, margins, labels);
        }
    }

    /// Protects the counts of the report on its own, with the engagements
    /// per direction as its margins: `report directions` prints them.
    fn protect(&mut self) {
        if self.options.min_count <= 1 {
            return;
        }
        let mut figures = Figures::new();
        let margins = Margins::off_page(&mut figures, &self.labels, &self.column_totals, self.options);
        self.register(&mut figures, Some(&margins));
        figures.protect();
    }

    /// The rows as JSON: `by_direction` keyed as the ledger writes
    /// directions, holding the directions that occur.
    pub fn rows_json(&self) -> serde_json::Value {
        rows_json(&self.rows, &self.labels)
    }
}

/// `rows` as JSON, their directions labelled by `labels`.
pub fn rows_json(rows: &[BreakdownRow], labels: &DirectionLabels) -> serde_json::Value {
    #[derive(Serialize)]
    struct BreakdownJsonRow<'r> {
        id: &'r Option<String>,
        name: &'r str,
        count: Count,
        by_direction: BTreeMap<String, Count>,
    }
    let rows: Vec<BreakdownJsonRow<'_>> = rows
        .iter()
        .map(|row| BreakdownJsonRow {
            id: &row.id,
            name: &row.name,
            count: row.count,
            by_direction: row.cells.by_label(labels),
        })
        .collect();
    serde_json::to_value(rows).expect("reports serialise")
}

impl Report for BreakdownReport {
    fn to_json(&self) -> serde_json::Value {
        self.rows_json()
    }

    fn chart(&self) -> Option<Chart> {
        Some(Chart::Bars(bars(self.dimension.title(), &self.rows, &self.labels)))
    }

    /// Wide: one column per direction (the busiest, when there are many).
    fn tables(&self) -> Vec<Table> {
        let noun = self.dimension.noun();
        let columns = [Column::text(noun), Column::text("name"), Column::number("total")]
            .into_iter()
            .chain(self.labels.columns())
            .collect();
        let mut table = Table::new(Some(self.dimension.title()), columns);
        for row in &self.rows {
            let mut cells = vec![
                row.id.clone().unwrap_or_default(),
                row.name.clone(),
                row.count.to_string(),
            ];
            cells.extend(row.cells.wide_cells(&self.labels));
            table.push(cells);
        }
        table.long_form = Some(Box::new(self.long_table(Some(self.dimension.title()), true)));
        vec![table]
    }

    /// Long: one row per value and direction that occurs.
    fn csv_table(&self) -> Table {
        self.long_table(None, false)
    }
}

impl BreakdownReport {
    /// One row per value and direction that occurs; directions as the
    /// ledger writes them for data, with arrows for people.
    fn long_table(&self, title: Option<&str>, for_people: bool) -> Table {
        let noun = self.dimension.noun();
        let columns = vec![
            Column::text(noun),
            Column::text("name"),
            Column::text("direction"),
            Column::number("count"),
        ];
        let directions = if for_people {
            &self.labels.display
        } else {
            &self.labels.data
        };
        let mut table = Table::new(title, columns);
        for row in &self.rows {
            for (column, count) in row.cells.long() {
                table.push(vec![
                    row.id.clone().unwrap_or_default(),
                    row.name.clone(),
                    directions[column].clone(),
                    count.to_string(),
                ]);
            }
        }
        table
    }
}
