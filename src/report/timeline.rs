//! `report timeline`: engagements per month, quarter or year, by direction.
//! Every period between the first and the last is listed, zero included, so
//! a gap shows. An engagement counts in the period it starts in; one dated
//! less precisely than the period (a year, in a monthly timeline) counts in a
//! row of its own, such as `2025 (month unknown)`: no day is invented.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::by_direction::{
    CellCounter, DirectionCells, DirectionLabels, Margins, SparseCounts, partition_lines, register_rows,
};
use super::count::Figures;
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
    #[serde(skip)]
    cells: DirectionCells,
}

#[derive(Clone, Debug)]
pub struct TimelineReport {
    pub rows: Vec<TimelineRow>,
    labels: DirectionLabels,
    /// Engagements per direction (per column of `labels`).
    column_totals: Vec<u64>,
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
    let mut report = timeline_unprotected(view, options);
    if options.min_count > 1 {
        let mut figures = Figures::new();
        let margins = Margins::off_page(&mut figures, &report.labels, &report.column_totals, options);
        report.register(&mut figures, &margins);
        figures.protect();
    }
    report
}

/// [`timeline`], its counts not yet protected: the caller protects them
/// with the rest of the output the table is part of.
pub fn timeline_unprotected(view: &View<'_, '_>, options: ReportOptions) -> TimelineReport {
    let (period, since, until) = (options.period, options.since, options.until);
    let ledger = view.ledger;
    let DirectionColumns { directions, columns } = DirectionColumns::of(view);
    let mut counter = CellCounter::new(directions.len());
    for (engagement, &column) in view.iter().zip(&columns) {
        counter.add(period.slot(engagement.date()), column);
    }
    let (cells, totals) = counter.finish();
    let mut counts: BTreeMap<Slot, SparseCounts> = cells.into_iter().collect();
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
        .map(|(slot, counts)| {
            let (start, end) = bounds(period, slot);
            TimelineRow {
                period: period.label(slot),
                start: start.to_string(),
                end: end.to_string(),
                count: Count::new(counts.total(), options),
                cells: DirectionCells::new(&counts, &labels, options),
            }
        })
        .collect();
    TimelineReport {
        rows,
        labels,
        column_totals: totals,
    }
}

impl TimelineReport {
    /// Registers every count and the lines they make: each period adds up
    /// to its total, each direction to its margin, and the periods to all
    /// engagements, since each engagement counts in exactly one period.
    pub fn register<'r>(&'r mut self, figures: &mut Figures<'r>, margins: &Margins) {
        let labels = &self.labels;
        let rows = register_rows(
            figures,
            self.rows.iter_mut().map(|row| (&mut row.count, &mut row.cells)),
            labels,
        );
        partition_lines(figures, &rows, None, margins, labels);
    }

    /// One row per period and direction that occurs, and a row with an
    /// empty direction for each period without engagements, so that the
    /// gaps stay visible; directions as the ledger writes them for data,
    /// with arrows for people.
    fn long_table(&self, title: Option<&str>, for_people: bool) -> Table {
        let mut columns = vec![Column::text("period")];
        if !for_people {
            columns.extend([Column::text("start"), Column::text("end")]);
        }
        columns.extend([Column::text("direction"), Column::number("count")]);
        let directions = if for_people {
            &self.labels.display
        } else {
            &self.labels.data
        };
        let mut table = Table::new(title, columns);
        let dates = |row: &TimelineRow| {
            if for_people {
                Vec::new()
            } else {
                vec![row.start.clone(), row.end.clone()]
            }
        };
        for row in &self.rows {
            let mut cells = row.cells.long().peekable();
            if cells.peek().is_none() {
                let mut line = vec![row.period.clone()];
                line.extend(dates(row));
                line.extend([String::new(), "0".into()]);
                table.push(line);
            }
            for (column, count) in cells {
                let mut line = vec![row.period.clone()];
                line.extend(dates(row));
                line.extend([directions[column].clone(), count.to_string()]);
                table.push(line);
            }
        }
        table
    }
}

impl Report for TimelineReport {
    /// A timeline widened by `--since` and `--until` has rows even without
    /// engagements; it is empty when every period counts none.
    fn is_empty(&self) -> bool {
        self.rows.iter().all(|row| row.count.value() == 0)
    }

    /// The rows, each with `by_direction` keyed as the ledger writes
    /// directions, holding the directions that occur.
    fn to_json(&self) -> serde_json::Value {
        #[derive(Serialize)]
        struct TimelineJsonRow<'r> {
            #[serde(flatten)]
            row: &'r TimelineRow,
            by_direction: BTreeMap<String, Count>,
        }
        let rows: Vec<TimelineJsonRow<'_>> = self
            .rows
            .iter()
            .map(|row| TimelineJsonRow {
                row,
                by_direction: row.cells.by_label(&self.labels),
            })
            .collect();
        serde_json::to_value(rows).expect("reports serialise")
    }

    fn chart(&self) -> Option<Chart> {
        let values: Vec<Vec<Count>> = self.rows.iter().map(|row| row.cells.wide(&self.labels)).collect();
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
        let title = "Engagements over time";
        let mut table = Table::new(Some(title), columns);
        for row in &self.rows {
            let mut cells = vec![row.period.clone(), row.count.to_string()];
            cells.extend(row.cells.wide_cells(&self.labels));
            table.push(cells);
        }
        table.long_form = Some(Box::new(self.long_table(Some(title), true)));
        vec![table]
    }

    /// Long: one row per period and direction that occurs (see
    /// [`TimelineReport::long_table`]).
    fn csv_table(&self) -> Table {
        self.long_table(None, false)
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
