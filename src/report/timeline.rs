//! `report timeline`: engagements per month, quarter or year, by direction.
//! Every period between the first and the last is listed, zero included, so
//! a gap shows. An engagement counts in the period it starts in; one dated
//! less precisely than the period (a year, in a monthly timeline) counts in a
//! row of its own, such as `2025 (month unknown)`: no day is invented.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::by_direction::{CellCounter, DirectionCells, DirectionLabels};
use super::{Count, DirectionColumns, Report, ReportOptions};
use crate::chart::Chart;
use crate::chart::timeline::Timeline;
use crate::date::{DateSpec, Precision};
use crate::privacy::View;
use crate::table::{Column, Table};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Month,
    Quarter,
    Year,
}

/// A row of the timeline: a period, or a year's engagements dated too
/// coarsely to place in one of its periods. Rows sort by year, and within a
/// year the unplaced row comes after the periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Slot {
    /// A year and the period's number within it (month 1–12, quarter 1–4, 1 for a year).
    Period {
        year: i32,
        number: u32,
    },
    Unplaced {
        year: i32,
    },
}

impl Slot {
    fn sort_key(self) -> (i32, u32) {
        match self {
            Slot::Period { year, number } => (year, number),
            Slot::Unplaced { year } => (year, u32::MAX),
        }
    }
}

impl PartialOrd for Slot {
    fn partial_cmp(&self, other: &Slot) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Slot {
    fn cmp(&self, other: &Slot) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl Period {
    fn number(self, date: NaiveDate) -> u32 {
        match self {
            Period::Month => date.month(),
            Period::Quarter => (date.month() - 1) / 3 + 1,
            Period::Year => 1,
        }
    }

    fn periods_per_year(self) -> u32 {
        match self {
            Period::Month => 12,
            Period::Quarter => 4,
            Period::Year => 1,
        }
    }

    fn slot(self, date: DateSpec) -> Slot {
        let start = date.first_day();
        let placeable = match date.precision() {
            Precision::Day | Precision::Range | Precision::Month => true,
            Precision::Year => self == Period::Year,
        };
        if placeable {
            Slot::Period {
                year: start.year(),
                number: self.number(start),
            }
        } else {
            Slot::Unplaced { year: start.year() }
        }
    }

    fn label(self, slot: Slot) -> String {
        match (self, slot) {
            (Period::Month, Slot::Period { year, number }) => format!("{year:04}-{number:02}"),
            (Period::Quarter, Slot::Period { year, number }) => format!("{year:04}-Q{number}"),
            (Period::Year, Slot::Period { year, .. }) => format!("{year:04}"),
            (Period::Month, Slot::Unplaced { year }) => format!("{year:04} (month unknown)"),
            (_, Slot::Unplaced { year }) => format!("{year:04} (quarter unknown)"),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TimelineRow {
    /// `2025-09`, `2025-Q3`, `2025`, or `2025 (month unknown)`.
    pub period: String,
    /// The first and last day of the period; for an unplaced row, of its year.
    pub start: String,
    pub end: String,
    pub count: Count,
    /// Keyed by direction as the ledger writes it: only those that occur.
    pub by_direction: BTreeMap<String, Count>,
    #[serde(skip)]
    cells: DirectionCells,
}

#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct TimelineReport {
    pub rows: Vec<TimelineRow>,
    #[serde(skip)]
    labels: DirectionLabels,
    #[serde(skip)]
    options: ReportOptions,
}

fn bounds(period: Period, slot: Slot) -> (NaiveDate, NaiveDate) {
    let day = |year, month, day| NaiveDate::from_ymd_opt(year, month, day).expect("a real day");
    match slot {
        Slot::Unplaced { year } => (day(year, 1, 1), day(year, 12, 31)),
        Slot::Period { year, number } => {
            let months = 12 / period.periods_per_year();
            let first_month = (number - 1) * months + 1;
            let start = day(year, first_month, 1);
            let end = DateSpec::Month {
                year,
                month: first_month + months - 1,
            }
            .last_day();
            (start, end)
        }
    }
}

/// `options.since` and `options.until` widen the timeline to the filter's
/// range, so that a report for a year lists all its months even if some are
/// empty.
pub fn timeline(view: &View<'_, '_>, options: ReportOptions) -> TimelineReport {
    let (period, since, until) = (options.period, options.since, options.until);
    let ledger = view.ledger;
    let DirectionColumns { directions, columns } = DirectionColumns::of(view);
    let mut counter = CellCounter::new(directions.len());
    for (engagement, &column) in view.iter().zip(&columns) {
        counter.add(period.slot(engagement.date()), column);
    }
    let (cells, totals) = counter.finish();
    let mut counts: BTreeMap<Slot, DirectionCells> = cells.into_iter().collect();
    let placed = counts.keys().filter_map(|slot| match *slot {
        Slot::Period { year, number } => Some((year, number)),
        Slot::Unplaced { .. } => None,
    });
    let edge = |date: Option<NaiveDate>| date.map(|date| (date.year(), period.number(date)));
    let first = placed.clone().min().into_iter().chain(edge(since)).min();
    let last = placed.max().into_iter().chain(edge(until)).max();
    if let (Some(first), Some(last)) = (first, last) {
        let (mut year, mut number) = first;
        while (year, number) <= last {
            counts.entry(Slot::Period { year, number }).or_default();
            number += 1;
            if number > period.periods_per_year() {
                (year, number) = (year + 1, 1);
            }
        }
    }
    let labels = DirectionLabels::new(ledger, &directions, &totals);
    let rows = counts
        .into_iter()
        .map(|(slot, cells)| {
            let (start, end) = bounds(period, slot);
            TimelineRow {
                period: period.label(slot),
                start: start.to_string(),
                end: end.to_string(),
                count: Count::new(cells.total(), options),
                by_direction: cells.by_label(&labels, options),
                cells,
            }
        })
        .collect();
    TimelineReport { rows, labels, options }
}

impl Report for TimelineReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("reports serialise")
    }

    fn chart(&self) -> Option<Chart> {
        let values: Vec<Vec<Count>> = self
            .rows
            .iter()
            .map(|row| self.labels.wide_counts(&row.cells, self.options))
            .collect();
        Some(Chart::Timeline(Timeline {
            title: "Engagements over time".to_owned(),
            periods: self.rows.iter().map(|row| row.period.clone()).collect(),
            values: (0..self.labels.shown_labels().len())
                .map(|column| values.iter().map(|row| row[column].into()).collect())
                .collect(),
            series: self.labels.shown_labels(),
            totals: self.rows.iter().map(|row| row.count.into()).collect(),
        }))
    }

    /// Wide: one column per direction (the busiest, when there are many).
    fn tables(&self) -> Vec<Table> {
        let columns = [Column::text("period"), Column::number("total")]
            .into_iter()
            .chain(self.labels.columns())
            .collect();
        let mut table = Table::new(Some("Engagements over time"), columns);
        for row in &self.rows {
            let mut cells = vec![row.period.clone(), row.count.to_string()];
            cells.extend(self.labels.wide_cells(&row.cells, self.options));
            table.push(cells);
        }
        vec![table]
    }

    /// Long: one row per period and direction that occurs, and a row with
    /// an empty direction for each period without engagements, so that the
    /// gaps stay visible.
    fn csv_table(&self) -> Table {
        let columns = vec![
            Column::text("period"),
            Column::text("start"),
            Column::text("end"),
            Column::text("direction"),
            Column::number("count"),
        ];
        let mut table = Table::new(None, columns);
        for row in &self.rows {
            let mut cells = row.cells.iter().peekable();
            if cells.peek().is_none() {
                table.push(vec![
                    row.period.clone(),
                    row.start.clone(),
                    row.end.clone(),
                    String::new(),
                    "0".into(),
                ]);
            }
            for (column, count) in cells {
                table.push(vec![
                    row.period.clone(),
                    row.start.clone(),
                    row.end.clone(),
                    self.labels.data[column].clone(),
                    Count::new(count, self.options).to_string(),
                ]);
            }
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(period: Period, date: &str) -> String {
        period.label(period.slot(DateSpec::parse(date).unwrap()))
    }

    #[test]
    fn dates_fall_in_the_period_they_start_in() {
        assert_eq!(slot(Period::Month, "2025-10-30..2025-11-02"), "2025-10");
        assert_eq!(slot(Period::Quarter, "2025-09"), "2025-Q3");
        assert_eq!(slot(Period::Quarter, "2025-10-01"), "2025-Q4");
        assert_eq!(slot(Period::Year, "2025-10"), "2025");
    }

    #[test]
    fn coarse_dates_get_a_row_of_their_own() {
        assert_eq!(slot(Period::Month, "2025"), "2025 (month unknown)");
        assert_eq!(slot(Period::Quarter, "2025"), "2025 (quarter unknown)");
        assert_eq!(slot(Period::Month, "2025-09"), "2025-09");
    }

    #[test]
    fn unplaced_rows_sort_after_their_year_and_before_the_next() {
        let mut slots = vec![
            Slot::Period { year: 2025, number: 1 },
            Slot::Unplaced { year: 2024 },
            Slot::Unplaced { year: 2025 },
            Slot::Period { year: 2024, number: 12 },
        ];
        slots.sort();
        assert_eq!(
            slots,
            [
                Slot::Period { year: 2024, number: 12 },
                Slot::Unplaced { year: 2024 },
                Slot::Period { year: 2025, number: 1 },
                Slot::Unplaced { year: 2025 },
            ]
        );
    }

    #[test]
    fn period_bounds() {
        let q3 = Slot::Period { year: 2025, number: 3 };
        assert_eq!(
            bounds(Period::Quarter, q3),
            (
                NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
                NaiveDate::from_ymd_opt(2025, 9, 30).unwrap()
            )
        );
        let february = Slot::Period { year: 2024, number: 2 };
        assert_eq!(
            bounds(Period::Month, february).1,
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
    }
}
