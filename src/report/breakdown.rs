//! `report formats|tracks|sponsors|series|tags`: how many engagements have
//! each value, split by direction.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Count, Direction, Report, ReportOptions, directions_of};
use crate::model::{Engagement, Ledger, Track};
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

    /// The values `engagement` has in this dimension: `None` stands for
    /// "none" (no sponsor, no series, no tag). An engagement with two
    /// sponsors counts once under each.
    fn values<'a>(self, ledger: &Ledger<'a>, engagement: &Engagement<'a>) -> Vec<Option<Value>> {
        let one = |value: Option<Value>| vec![value];
        match self {
            Dimension::Format => one(engagement.format.map(|format| {
                let format = ledger.format(format);
                (format.id.to_owned(), format.name.to_owned())
            })),
            Dimension::Track => one(Some((
                engagement.track.as_str().to_owned(),
                track_name(engagement.track).to_owned(),
            ))),
            Dimension::Series => one(engagement.series.map(|series| {
                let series = ledger.series_of(series);
                (series.id.to_owned(), series.name.to_owned())
            })),
            Dimension::Sponsor if engagement.sponsors.is_empty() => vec![None],
            Dimension::Sponsor => engagement
                .sponsors
                .iter()
                .map(|&org| {
                    let org = ledger.org(org);
                    Some((org.id.to_owned(), org.name.to_owned()))
                })
                .collect(),
            Dimension::Tag if engagement.tags.is_empty() => vec![None],
            Dimension::Tag => engagement
                .tags
                .iter()
                .map(|&tag| Some((tag.to_owned(), tag.to_owned())))
                .collect(),
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
    let ledger = view.ledger;
    let directions = directions_of(view.iter());
    // Keyed by (id, name) so rows keep one order whatever the counts.
    let mut counts: BTreeMap<Option<Value>, (u64, Vec<u64>)> = BTreeMap::new();
    for engagement in view.iter() {
        let column = directions
            .iter()
            .position(|direction| *direction == Direction::of(engagement))
            .expect("every engagement's direction is a column");
        for value in dimension.values(ledger, engagement) {
            let entry = counts.entry(value).or_insert_with(|| (0, vec![0; directions.len()]));
            entry.0 += 1;
            entry.1[column] += 1;
        }
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
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

impl Report for BreakdownReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("reports serialise")
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
