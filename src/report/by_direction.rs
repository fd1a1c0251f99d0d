//! Counts split by direction: the cross-tables of `formats`, `tracks`,
//! `sponsors`, `series`, `tags` and `timeline`. Cells are kept sparse (only
//! the directions that occur in a row), so a regional ledger of forty
//! parties and thousands of directions costs what its engagements cost.
//!
//! A person cannot read thousands of columns: the terminal and Markdown
//! layouts show the busiest directions and fold the rest into `other`. CSV
//! is long and tidy (one row per value × direction that occurs) and JSON
//! lists each row's directions that occur, so nothing is lost there.
//!
//! Every cell an output shows is a [`Count`] held in [`DirectionCells`], so
//! that `--min-count` protects each one once, whatever the layout.

use std::collections::BTreeMap;
use std::hash::Hash;

use rustc_hash::FxHashMap;

use super::count::{Figure, Figures};
use super::{Count, ReportOptions};
use crate::model::{Arrow, Direction, Ledger};
use crate::table::Column;

/// The most direction columns a wide layout shows before folding the rest
/// into `other`.
pub const MAX_DIRECTION_COLUMNS: usize = 8;

/// A row's true counts per direction: (column, count), by column, only
/// those that occur.
#[derive(Clone, Debug, Default)]
pub struct SparseCounts {
    cells: Vec<(u32, u64)>,
}

impl SparseCounts {
    pub fn total(&self) -> u64 {
        self.cells.iter().map(|(_, count)| count).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.cells.iter().map(|&(column, count)| (column as usize, count))
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
    pub fn finish(self) -> (FxHashMap<K, SparseCounts>, Vec<u64>) {
        let mut rows: FxHashMap<K, SparseCounts> = FxHashMap::default();
        for ((key, column), count) in self.cells {
            rows.entry(key).or_default().cells.push((column, count));
        }
        for row in rows.values_mut() {
            row.cells.sort_unstable();
        }
        (rows, self.column_totals)
    }
}

/// A row's counts per direction as outputs show them: every direction
/// that occurs, and every column the wide layout shows (zero where none
/// occurs), by column; and, when directions are folded, `other`.
#[derive(Clone, Debug, Default)]
pub struct DirectionCells {
    cells: Vec<(u32, Count)>,
    other: Option<Count>,
}

/// Where a row's cells were registered in [`Figures`].
pub struct RowFigures {
    /// (column, figure), by column.
    cells: Vec<(u32, Figure)>,
    other: Option<Figure>,
}

impl DirectionCells {
    pub fn new(counts: &SparseCounts, labels: &DirectionLabels, options: ReportOptions) -> DirectionCells {
        let mut cells: Vec<(u32, Count)> = Vec::with_capacity(counts.cells.len() + labels.shown.len());
        let mut other = 0;
        let mut shown = labels.shown.iter().peekable();
        for &(column, count) in &counts.cells {
            while let Some(&&before) = shown.peek().filter(|&&&shown| shown < column as usize) {
                cells.push((before as u32, Count::new(0, options)));
                shown.next();
            }
            if shown.peek() == Some(&&(column as usize)) {
                shown.next();
            } else {
                other += count;
            }
            cells.push((column, Count::new(count, options)));
        }
        cells.extend(shown.map(|&column| (column as u32, Count::new(0, options))));
        DirectionCells {
            cells,
            other: labels.folded.then(|| Count::new(other, options)),
        }
    }

    /// The true total of the row.
    pub fn total(&self) -> u64 {
        self.cells.iter().map(|(_, count)| count.value()).sum()
    }

    /// The cells JSON and CSV carry, by column: the directions that occur,
    /// and any cell hidden by `--min-count` (which a reader must not take
    /// for a zero).
    pub fn long(&self) -> impl Iterator<Item = (usize, Count)> + '_ {
        self.cells
            .iter()
            .filter(|(_, count)| count.value() > 0 || count.is_suppressed())
            .map(|&(column, count)| (column as usize, count))
    }

    /// Keyed by direction as the ledger writes it (`AZ -> AM`): what JSON
    /// carries.
    pub fn by_label(&self, labels: &DirectionLabels) -> BTreeMap<String, Count> {
        self.long()
            .map(|(column, count)| (labels.data[column].clone(), count))
            .collect()
    }

    /// A row's counts in the wide layout: one per shown column, then
    /// `other` when directions are folded.
    pub fn wide(&self, labels: &DirectionLabels) -> Vec<Count> {
        labels
            .shown
            .iter()
            .map(|&column| {
                let at = self
                    .cells
                    .binary_search_by_key(&(column as u32), |&(column, _)| column)
                    .expect("every shown column has a cell");
                self.cells[at].1
            })
            .chain(self.other)
            .collect()
    }

    /// [`DirectionCells::wide`] as the cells of a table.
    pub fn wide_cells(&self, labels: &DirectionLabels) -> Vec<String> {
        self.wide(labels).iter().map(Count::to_string).collect()
    }

    /// Registers the cells, and the lines they make with the row's
    /// `total`: the total is the sum of the cells, and `other` the sum of
    /// the cells it folds.
    pub fn register<'r>(
        &'r mut self,
        figures: &mut Figures<'r>,
        total: Figure,
        labels: &DirectionLabels,
    ) -> RowFigures {
        let cells: Vec<(u32, Figure)> = self
            .cells
            .iter_mut()
            .map(|(column, count)| (*column, figures.add(count)))
            .collect();
        figures.line(std::iter::once(total).chain(cells.iter().map(|&(_, figure)| figure)));
        let other = self.other.as_mut().map(|other| {
            let other = figures.add(other);
            let folded = cells
                .iter()
                .filter(|(column, _)| !labels.is_shown(*column as usize))
                .map(|&(_, figure)| figure);
            figures.line(std::iter::once(other).chain(folded));
            other
        });
        RowFigures { cells, other }
    }
}

/// What a cross-table's columns add up to: the engagements in all, and
/// per direction. Known from other outputs when not printed beside the
/// table (the summary prints them; so does `report directions`).
pub struct Margins {
    pub engagements: Figure,
    pub by_direction: FxHashMap<Direction, Figure>,
}

impl Margins {
    /// Margins off the page: the column totals of a table whose rows
    /// partition the engagements, as `report directions` shows them (see
    /// [`super::directions::shown_counts`]).
    pub fn off_page(
        figures: &mut Figures<'_>,
        labels: &DirectionLabels,
        totals: &[u64],
        options: ReportOptions,
    ) -> Margins {
        let shown = super::directions::shown_counts(&labels.directions, totals, options);
        Margins {
            engagements: figures.off_page(totals.iter().sum(), options),
            by_direction: labels
                .directions
                .iter()
                .zip(shown)
                .map(|(direction, count)| (direction.clone(), figures.off_page_as(count)))
                .collect(),
        }
    }
}

/// Registers each row of a table of counts by direction: its total, its
/// cells, and the line they make. What every such table (breakdowns and the
/// timeline) registers before its columns.
pub fn register_rows<'r>(
    figures: &mut Figures<'r>,
    rows: impl Iterator<Item = (&'r mut Count, &'r mut DirectionCells)>,
    labels: &DirectionLabels,
) -> Vec<(Figure, RowFigures)> {
    rows.map(|(count, cells)| {
        let total = figures.add(count);
        (total, cells.register(figures, total, labels))
    })
    .collect()
}

/// The lines of a table whose rows partition the engagements (each
/// engagement counts in exactly one row: formats with `(no format)`,
/// tracks, series with `(no series)`, timeline periods): each column adds
/// up to its direction's margin, the row totals to all engagements, and
/// the `other` column to the directions it folds. `rest` stands for rows
/// left out of the table (a summary's top five): their totals, and their
/// cells per column, off the page.
pub fn partition_lines(
    figures: &mut Figures<'_>,
    rows: &[(Figure, RowFigures)],
    rest: Option<(Figure, FxHashMap<usize, Figure>)>,
    margins: &Margins,
    labels: &DirectionLabels,
) {
    let (rest_total, rest_cells) = match rest {
        Some((total, cells)) => (Some(total), cells),
        None => (None, FxHashMap::default()),
    };
    figures.line(
        std::iter::once(margins.engagements)
            .chain(rows.iter().map(|(total, _)| *total))
            .chain(rest_total),
    );
    let mut columns: Vec<Vec<Figure>> = vec![Vec::new(); labels.directions.len()];
    for (_, row) in rows {
        for &(column, figure) in &row.cells {
            columns[column as usize].push(figure);
        }
    }
    let mut other_line: Vec<Figure> = rows.iter().filter_map(|(_, row)| row.other).collect();
    for (column, mut line) in columns.into_iter().enumerate() {
        let Some(&margin) = margins.by_direction.get(&labels.directions[column]) else {
            continue;
        };
        line.push(margin);
        line.extend(rest_cells.get(&column).copied());
        if labels.folded && !labels.is_shown(column) {
            other_line.push(margin);
            other_line.extend(rest_cells.get(&column).copied());
        }
        figures.line(line);
    }
    if labels.folded {
        figures.line(other_line);
    }
}

/// The directions of a cross-table, each labelled for data and for people,
/// and which of them the wide layout shows.
#[derive(Clone, Debug, Default)]
pub struct DirectionLabels {
    pub directions: Vec<Direction>,
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
            directions: directions.to_vec(),
            data: directions.iter().map(|d| d.label(ledger, Arrow::Ascii)).collect(),
            display: directions.iter().map(|d| d.label(ledger, Arrow::Unicode)).collect(),
            shown,
            folded,
        }
    }

    fn is_shown(&self, column: usize) -> bool {
        self.shown.binary_search(&column).is_ok()
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(directions: usize, shown: Vec<usize>, folded: bool) -> DirectionLabels {
        DirectionLabels {
            directions: Vec::new(),
            data: (0..directions).map(|n| format!("d{n}")).collect(),
            display: (0..directions).map(|n| format!("d{n}")).collect(),
            shown,
            folded,
        }
    }

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
        let labels = labels(12, vec![0, 2, 9], true);
        let counts = SparseCounts {
            cells: vec![(0, 1), (1, 1), (2, 2), (7, 1)],
        };
        let options = ReportOptions::new(chrono::NaiveDate::MIN);
        let cells = DirectionCells::new(&counts, &labels, options);
        assert_eq!(cells.wide_cells(&labels), ["1", "2", "0", "2"]);
        // The shown column without engagements is no direction that occurs.
        let long: Vec<usize> = cells.long().map(|(column, _)| column).collect();
        assert_eq!(long, [0, 1, 2, 7]);
        assert_eq!(cells.total(), 5);
        let headers: Vec<String> = labels.columns().map(|column| column.header).collect();
        assert_eq!(headers, ["d0", "d2", "d9", "other"]);
    }

    #[test]
    fn a_hidden_zero_is_carried_so_that_it_is_not_read_as_zero() {
        let labels = labels(2, vec![0, 1], false);
        let counts = SparseCounts { cells: vec![(0, 4)] };
        let options = ReportOptions::new(chrono::NaiveDate::MIN);
        let mut cells = DirectionCells::new(&counts, &labels, options);
        cells.cells[1].1 = cells.cells[1].1.hidden();
        assert_eq!(cells.by_label(&labels).keys().collect::<Vec<_>>(), ["d0", "d1"]);
    }
}
