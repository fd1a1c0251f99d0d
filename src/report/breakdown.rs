//! `report formats|tracks|sponsors|series|tags`: how many engagements have
//! each value, split by direction.

use std::collections::BTreeMap;

use serde::Serialize;

use super::by_direction::{CellCounter, DirectionCells, DirectionLabels};
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

#[derive(Clone, Debug, Serialize)]
pub struct BreakdownRow {
    /// The id (the track's number for tracks, the tag itself for tags);
    /// `null` for engagements without a value.
    pub id: Option<String>,
    pub name: String,
    pub count: Count,
    /// Keyed by direction as the ledger writes it, `AZ -> AM`: only the
    /// directions that occur.
    pub by_direction: BTreeMap<String, Count>,
    #[serde(skip)]
    cells: DirectionCells,
}

#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct BreakdownReport {
    pub rows: Vec<BreakdownRow>,
    #[serde(skip)]
    dimension: Dimension,
    #[serde(skip)]
    labels: DirectionLabels,
    #[serde(skip)]
    options: ReportOptions,
}

pub fn breakdown(view: &View<'_, '_>, dimension: Dimension, options: ReportOptions) -> BreakdownReport {
    breakdown_with(view, &DirectionColumns::of(view), dimension, options)
}

/// [`breakdown`] with the directions of the view already worked out.
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
    let mut rows: Vec<(Option<Value>, DirectionCells)> = cells
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
            .map(|(key, cells)| {
                let (id, name) = match key {
                    Some((id, name)) => (Some(id), name),
                    None => (None, format!("(no {})", dimension.noun())),
                };
                BreakdownRow {
                    id,
                    name,
                    count: Count::new(cells.total(), options),
                    by_direction: cells.by_label(&labels, options),
                    cells,
                }
            })
            .collect(),
        dimension,
        labels,
        options,
    }
}

/// Bars of `rows`, whose counts by direction are in the order of `series`
/// (the view's directions, as [`BreakdownReport`] and the summary count
/// them).
pub fn bars(title: &str, rows: &[BreakdownRow], labels: &DirectionLabels, options: ReportOptions) -> Bars {
    Bars {
        title: title.to_owned(),
        series: labels.shown_labels(),
        rows: rows
            .iter()
            .map(|row| BarRow {
                label: row.name.clone(),
                id: row.id.clone(),
                total: row.count.into(),
                values: labels
                    .wide_counts(&row.cells, options)
                    .into_iter()
                    .map(Into::into)
                    .collect(),
            })
            .collect(),
    }
}

impl BreakdownReport {
    /// The directions the rows are split by.
    pub fn labels(&self) -> &DirectionLabels {
        &self.labels
    }
}

impl Report for BreakdownReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("reports serialise")
    }

    fn chart(&self) -> Option<Chart> {
        Some(Chart::Bars(bars(
            self.dimension.title(),
            &self.rows,
            &self.labels,
            self.options,
        )))
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
            cells.extend(self.labels.wide_cells(&row.cells, self.options));
            table.push(cells);
        }
        vec![table]
    }

    /// Long: one row per value and direction that occurs.
    fn csv_table(&self) -> Table {
        let noun = self.dimension.noun();
        let columns = vec![
            Column::text(noun),
            Column::text("name"),
            Column::text("direction"),
            Column::number("count"),
        ];
        let mut table = Table::new(None, columns);
        for row in &self.rows {
            for (column, count) in row.cells.iter() {
                table.push(vec![
                    row.id.clone().unwrap_or_default(),
                    row.name.clone(),
                    self.labels.data[column].clone(),
                    Count::new(count, self.options).to_string(),
                ]);
            }
        }
        table
    }
}
