//! Counts split by direction: the cross-tables of `formats`, `tracks`,
//! `sponsors`, `series`, `tags` and `timeline`. Cells are kept sparse (only
//! the directions that occur in a row), so a regional ledger of forty
//! parties and thousands of directions costs what its engagements cost.
//!
//! A person cannot read thousands of columns: the terminal and Markdown
//! layouts show the busiest directions and fold the rest into `other`. CSV
//! is long and tidy (one row per value × direction that occurs) and JSON
//! lists each row's directions that occur, so nothing is lost there.

use std::collections::BTreeMap;
use std::hash::Hash;

use rustc_hash::FxHashMap;

use super::{Count, ReportOptions};
use crate::model::{Arrow, Direction, Ledger};
use crate::table::Column;

/// The most direction columns a wide layout shows before folding the rest
/// into `other`.
pub const MAX_DIRECTION_COLUMNS: usize = 8;

/// A row's counts per direction: (column, count), by column, only those
/// that occur.
#[derive(Clone, Debug, Default)]
pub struct DirectionCells {
    cells: Vec<(u32, u64)>,
}

impl DirectionCells {
    pub fn total(&self) -> u64 {
        self.cells.iter().map(|(_, count)| count).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.cells.iter().map(|&(column, count)| (column as usize, count))
    }

    /// Keyed by direction as the ledger writes it (`AZ -> AM`), only the
    /// directions that occur: what JSON carries.
    pub fn by_label(&self, labels: &DirectionLabels, options: ReportOptions) -> BTreeMap<String, Count> {
        self.iter()
            .map(|(column, count)| (labels.data[column].clone(), Count::new(count, options)))
            .collect()
    }
}

/// Counts engagements by a row key and a direction column, sparsely: one
/// hash-table entry per cell that occurs, whatever the number of columns.
pub struct CellCounter<K> {
    cells: FxHashMap<(K, u32), u64>,
    column_totals: Vec<u64>,
}

impl<K: Hash + Eq + Copy> CellCounter<K> {
    pub fn new(columns: usize) -> CellCounter<K> {
        CellCounter {
            cells: FxHashMap::default(),
            column_totals: vec![0; columns],
        }
    }

    pub fn add(&mut self, key: K, column: usize) {
        *self.cells.entry((key, column as u32)).or_default() += 1;
        self.column_totals[column] += 1;
    }

    /// Each row's cells, by column, and each column's total.
    pub fn finish(self) -> (FxHashMap<K, DirectionCells>, Vec<u64>) {
        let mut rows: FxHashMap<K, DirectionCells> = FxHashMap::default();
        for ((key, column), count) in self.cells {
            rows.entry(key).or_default().cells.push((column, count));
        }
        for row in rows.values_mut() {
            row.cells.sort_unstable();
        }
        (rows, self.column_totals)
    }
}

/// The directions of a cross-table, each labelled for data and for people,
/// and which of them the wide layout shows.
#[derive(Clone, Debug, Default)]
pub struct DirectionLabels {
    /// `AZ -> AM`, for CSV and JSON.
    pub data: Vec<String>,
    /// `AZ → AM`, for the terminal and Markdown.
    pub display: Vec<String>,
    /// The columns the wide layout shows, in report order.
    shown: Vec<usize>,
    /// Whether the other columns are folded into one.
    folded: bool,
}

impl DirectionLabels {
    /// Labels for `directions`; `totals` (per direction) decide which the
    /// wide layout shows when there are too many.
    pub fn new(ledger: &Ledger<'_>, directions: &[Direction], totals: &[u64]) -> DirectionLabels {
        let (shown, folded) = if directions.len() <= MAX_DIRECTION_COLUMNS {
            ((0..directions.len()).collect(), false)
        } else {
            let mut busiest: Vec<usize> = (0..directions.len()).collect();
            busiest.sort_by_key(|&column| (std::cmp::Reverse(totals[column]), column));
            busiest.truncate(MAX_DIRECTION_COLUMNS - 1);
            busiest.sort_unstable();
            (busiest, true)
        };
        DirectionLabels {
            data: directions.iter().map(|d| d.label(ledger, Arrow::Ascii)).collect(),
            display: directions.iter().map(|d| d.label(ledger, Arrow::Unicode)).collect(),
            shown,
            folded,
        }
    }

    /// The wide layout's direction columns.
    pub fn columns(&self) -> impl Iterator<Item = Column> + '_ {
        self.shown_labels().into_iter().map(Column::number)
    }

    /// The wide layout's direction columns as people read them, `other`
    /// last when the rest are folded.
    pub fn shown_labels(&self) -> Vec<String> {
        self.shown
            .iter()
            .map(|&column| self.display[column].clone())
            .chain(self.folded.then(|| "other".to_owned()))
            .collect()
    }

    /// A row's counts in the wide layout, zero where a direction does not
    /// occur, the folded directions summed into `other`.
    pub fn wide_counts(&self, cells: &DirectionCells, options: ReportOptions) -> Vec<Count> {
        let mut shown = vec![0; self.shown.len()];
        let mut other = 0;
        for (column, count) in cells.iter() {
            match self.shown.binary_search(&column) {
                Ok(at) => shown[at] = count,
                Err(_) => other += count,
            }
        }
        shown
            .into_iter()
            .chain(self.folded.then_some(other))
            .map(|count| Count::new(count, options))
            .collect()
    }

    /// [`DirectionLabels::wide_counts`] as the cells of a table.
    pub fn wide_cells(&self, cells: &DirectionCells, options: ReportOptions) -> Vec<String> {
        self.wide_counts(cells, options).iter().map(Count::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_sorted_and_sparse() {
        let mut counter = CellCounter::new(6);
        for (key, column) in [('a', 5), ('a', 1), ('b', 5), ('a', 5), ('a', 3)] {
            counter.add(key, column);
        }
        let (rows, totals) = counter.finish();
        assert_eq!(rows[&'a'].iter().collect::<Vec<_>>(), [(1, 1), (3, 1), (5, 2)]);
        assert_eq!(rows[&'a'].total(), 4);
        assert_eq!(totals, [0, 1, 0, 1, 0, 3]);
    }

    #[test]
    fn too_many_directions_fold_into_other() {
        let labels = DirectionLabels {
            data: (0..12).map(|n| format!("d{n}")).collect(),
            display: (0..12).map(|n| format!("d{n}")).collect(),
            shown: vec![0, 2],
            folded: true,
        };
        let cells = DirectionCells {
            cells: vec![(0, 1), (1, 1), (2, 2), (7, 1)],
        };
        let options = ReportOptions::new(chrono::NaiveDate::MIN);
        assert_eq!(labels.wide_cells(&cells, options), ["1", "2", "2"]);
        let headers: Vec<String> = labels.columns().map(|column| column.header).collect();
        assert_eq!(headers, ["d0", "d2", "other"]);
    }
}
