//! `report formats|tracks|sponsors|series|tags`: how many engagements have
//! each value, split by direction.

use std::collections::BTreeMap;

use serde::Serialize;

use rustc_hash::FxHashMap;

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
    fn for_each_value<'a>(self, engagement: &Engagement<'a>, mut count: impl FnMut(Option<ValueKey<'a>>)) {
        match self {
            Dimension::Format => count(engagement.format.map(ValueKey::Format)),
            Dimension::Track => count(Some(ValueKey::Track(engagement.track))),
            Dimension::Series => count(engagement.series.map(ValueKey::Series)),
            Dimension::Sponsor if engagement.sponsors.is_empty() => count(None),
            Dimension::Sponsor => engagement
                .sponsors
                .iter()
                .for_each(|&org| count(Some(ValueKey::Sponsor(org)))),
            Dimension::Tag if engagement.tags.is_empty() => count(None),
            Dimension::Tag => engagement.tags.iter().for_each(|&tag| count(Some(ValueKey::Tag(tag)))),
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

/// How many engagements have a value: in all, and per direction column.
type Tally = (u64, Vec<u64>);

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
    /// Keyed by direction as the ledger writes it, `AZ -> AM`; every
    /// direction of the report is present, zero included.
    pub by_direction: BTreeMap<String, Count>,
    #[serde(skip)]
    cells: Vec<Count>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct BreakdownReport {
    pub rows: Vec<BreakdownRow>,
    #[serde(skip)]
    dimension: Dimension,
    #[serde(skip)]
    direction_labels: Vec<String>,
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
    let DirectionColumns { directions, columns } = columns;
    let mut counts: FxHashMap<Option<ValueKey<'_>>, (u64, Vec<u64>)> = FxHashMap::default();
    for (engagement, &column) in view.iter().zip(columns) {
        dimension.for_each_value(engagement, |value| {
            let entry = counts.entry(value).or_insert_with(|| (0, vec![0; directions.len()]));
            entry.0 += 1;
            entry.1[column] += 1;
        });
    }
    // Keyed by (id, name) so rows keep one order whatever the counts.
    let mut rows: Vec<(Option<Value>, Tally)> = counts
        .into_iter()
        .map(|(key, counts)| (key.map(|key| key.id_and_name(ledger)), counts))
        .collect();
    rows.sort_by(|(a, _), (b, _)| a.cmp(b));
    match dimension {
        // Tracks read best in their own order, 1, 1.5, 2.
        Dimension::Track => {}
        _ => rows.sort_by(|(a_key, (a, _)), (b_key, (b, _))| {
            b.cmp(a)
                .then_with(|| a_key.is_none().cmp(&b_key.is_none()))
                .then_with(|| a_key.cmp(b_key))
        }),
    }
    let data_labels: Vec<String> = directions.iter().map(|d| d.data_label(ledger)).collect();
    BreakdownReport {
        rows: rows
            .into_iter()
            .map(|(key, (count, by_direction))| {
                let cells: Vec<Count> = by_direction.iter().map(|&n| Count::new(n, options)).collect();
                let (id, name) = match key {
                    Some((id, name)) => (Some(id), name),
                    None => (None, format!("(no {})", dimension.noun())),
                };
                BreakdownRow {
                    id,
                    name,
                    count: Count::new(count, options),
                    by_direction: data_labels.iter().cloned().zip(cells.iter().copied()).collect(),
                    cells,
                }
            })
            .collect(),
        dimension,
        direction_labels: directions.iter().map(|d| d.display_label(ledger)).collect(),
    }
}

impl BreakdownReport {
    fn table(&self, title: Option<&str>, labels: &[String]) -> Table {
        let noun = self.dimension.noun();
        let columns = [Column::text(noun), Column::text("name"), Column::number("total")]
            .into_iter()
            .chain(labels.iter().map(|label| Column::number(label.as_str())))
            .collect();
        let mut table = Table::new(title, columns);
        for row in &self.rows {
            let cells = [
                row.id.clone().unwrap_or_default(),
                row.name.clone(),
                row.count.to_string(),
            ]
            .into_iter()
            .chain(row.cells.iter().map(Count::to_string))
            .collect();
            table.push(cells);
        }
        table
    }
}

/// Bars of `rows`, whose counts by direction are in the order of `series`
/// (the view's directions, as [`BreakdownReport`] and the summary count
/// them).
pub fn bars(title: &str, rows: &[BreakdownRow], series: &[String]) -> Bars {
    Bars {
        title: title.to_owned(),
        series: series.to_vec(),
        rows: rows
            .iter()
            .map(|row| BarRow {
                label: row.name.clone(),
                id: row.id.clone(),
                total: row.count.into(),
                values: row.cells.iter().map(|&count| count.into()).collect(),
            })
            .collect(),
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
            &self.direction_labels,
        )))
    }

    fn tables(&self) -> Vec<Table> {
        vec![self.table(Some(self.dimension.title()), &self.direction_labels)]
    }

    fn csv_table(&self) -> Table {
        let labels: Vec<String> = self
            .direction_labels
            .iter()
            .map(|label| label.replace(" → ", " -> "))
            .collect();
        self.table(None, &labels)
    }
}
