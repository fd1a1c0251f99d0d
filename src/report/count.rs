//! Counts as outputs show them, and how small ones are kept from singling
//! anyone out (`--min-count N`).
//!
//! A count from 1 to N−1 is *suppressed*: shown as `<N`. That alone is not
//! enough: with `total 4, AM → AZ 3, AZ → AM <3`, the hidden count is 4 − 3.
//! So, as statistical agencies do (secondary suppression), within each line
//! of figures that add up (a row and its total, a column and its total, two
//! places showing one number) another figure is *hidden*, shown as `x`,
//! until no line has exactly one figure missing: then none can be worked out
//! by adding or subtracting along a line.
//!
//! A report registers every figure it prints, and the lines they lie on, in
//! [`Figures`]; outputs made of several reports (the summary, its page)
//! register them all in one, so that a line running from one part to another
//! is protected too.

use serde::{Serialize, Serializer};

use super::ReportOptions;

/// A count as outputs show it: the number, `<N` when it is too small to
/// publish under `--min-count N`, or `x` when it is hidden so that a
/// suppressed one cannot be worked out from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    value: u64,
    min: u64,
    hidden: bool,
}

impl Count {
    pub fn new(value: u64, options: ReportOptions) -> Count {
        Count {
            value,
            min: options.min_count,
            hidden: false,
        }
    }

    /// The true value, for ordering rows and for sums; never printed when
    /// suppressed or hidden.
    pub fn value(self) -> u64 {
        self.value
    }

    /// Too small to show.
    fn is_small(self) -> bool {
        self.value > 0 && self.value < self.min
    }

    /// Whether the output does not show the number: too small, or hidden.
    pub fn is_suppressed(self) -> bool {
        self.hidden || self.is_small()
    }

    /// This count, hidden: shown as `x`.
    pub fn hidden(self) -> Count {
        Count { hidden: true, ..self }
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_small() {
            write!(formatter, "<{}", self.min)
        } else if self.hidden {
            formatter.write_str("x")
        } else {
            write!(formatter, "{}", self.value)
        }
    }
}

/// A number in JSON, or the string `"<N"` or `"x"` when not shown.
impl Serialize for Count {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_suppressed() {
            serializer.collect_str(self)
        } else {
            serializer.serialize_u64(self.value)
        }
    }
}

/// A figure registered in [`Figures`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Figure(u32);

/// Every figure of one output and the lines they lie on, protected together
/// by [`Figures::protect`].
///
/// A figure is either printed (a count of a report, hidden in place if it
/// must be) or *off the page*: a number this output does not print but a
/// reader can know anyway, such as the engagements per direction beside a
/// table of formats by direction (the directions report prints them), or
/// what the rows a summary leaves out add up to. An off-page figure counts
/// as known unless it is itself too small to show, and is never the one
/// hidden, since hiding it would hide nothing.
#[derive(Default)]
pub struct Figures<'r> {
    printed: Vec<Option<&'r mut Count>>,
    counts: Vec<Count>,
    /// Each line's figures, one after another; `line_ends[i]` is where
    /// line `i` ends in `members`.
    members: Vec<u32>,
    line_ends: Vec<usize>,
}

impl<'r> Figures<'r> {
    pub fn new() -> Figures<'r> {
        Figures::default()
    }

    /// A figure the output prints.
    pub fn add(&mut self, count: &'r mut Count) -> Figure {
        self.counts.push(*count);
        self.printed.push(Some(count));
        Figure(self.counts.len() as u32 - 1)
    }

    /// A figure a reader may know without this output printing it.
    pub fn off_page(&mut self, value: u64, options: ReportOptions) -> Figure {
        self.counts.push(Count::new(value, options));
        self.printed.push(None);
        Figure(self.counts.len() as u32 - 1)
    }

    /// A figure another output prints as `count` shows it: missing there
    /// when it is suppressed or hidden there.
    pub fn off_page_as(&mut self, count: Count) -> Figure {
        self.counts.push(count);
        self.printed.push(None);
        Figure(self.counts.len() as u32 - 1)
    }

    /// Figures that add up, or equal one another: from any of them but one,
    /// the last can be worked out. A line of fewer than two figures is no
    /// line and is left out.
    pub fn line(&mut self, figures: impl IntoIterator<Item = Figure>) {
        let start = self.members.len();
        self.members.extend(figures.into_iter().map(|Figure(at)| at));
        if self.members.len() - start < 2 {
            self.members.truncate(start);
        } else {
            self.line_ends.push(self.members.len());
        }
    }

    /// Hides figures until no line has exactly one figure not shown (see
    /// [`protect`]), and writes the printed ones back.
    pub fn protect(mut self) {
        let printable: Vec<bool> = self.printed.iter().map(Option::is_some).collect();
        protect_lines(&mut self.counts, &printable, &self.members, &self.line_ends);
        for (printed, count) in self.printed.into_iter().zip(self.counts) {
            if let Some(printed) = printed {
                *printed = count;
            }
        }
    }
}

/// Hides counts among `counts` until no line (a set of indices into
/// `counts` whose figures add up: a total and its parts) has exactly one
/// count not shown. Every count may be hidden.
pub fn protect(counts: &mut [Count], lines: &[Vec<usize>]) {
    let members: Vec<u32> = lines.iter().flatten().map(|&at| at as u32).collect();
    let mut line_ends = Vec::with_capacity(lines.len());
    let mut end = 0;
    for line in lines {
        end += line.len();
        line_ends.push(end);
    }
    protect_lines(counts, &vec![true; counts.len()], &members, &line_ends);
}

/// In a line with exactly one count not shown, the smallest shown count
/// that is not zero and may be hidden is hidden (a zero tells nothing of
/// the others when it is the only other figure, so failing that, the
/// smallest of any). Lines share counts, so hiding one can leave another
/// line with one missing; that line is handled in turn.
///
/// Linear in the size of the lines: a line is looked at when it first has
/// exactly one count missing (or at the start), and a count, once hidden,
/// stays hidden, so it never has exactly one missing again.
fn protect_lines(counts: &mut [Count], hideable: &[bool], members: &[u32], line_ends: &[usize]) {
    let line = |index: usize| {
        let start = if index == 0 { 0 } else { line_ends[index - 1] };
        &members[start..line_ends[index]]
    };
    // The lines each count lies on, in the same flat form.
    let mut starts = vec![0usize; counts.len() + 1];
    for &at in members {
        starts[at as usize + 1] += 1;
    }
    for at in 0..counts.len() {
        starts[at + 1] += starts[at];
    }
    let mut lines_of = vec![0u32; members.len()];
    let mut filled = starts.clone();
    for index in 0..line_ends.len() {
        for &at in line(index) {
            lines_of[filled[at as usize]] = index as u32;
            filled[at as usize] += 1;
        }
    }
    let mut missing: Vec<u32> = (0..line_ends.len())
        .map(|index| {
            line(index)
                .iter()
                .filter(|&&at| counts[at as usize].is_suppressed())
                .count() as u32
        })
        .collect();
    let mut work: Vec<usize> = (0..line_ends.len()).filter(|&index| missing[index] == 1).collect();
    while let Some(index) = work.pop() {
        if missing[index] != 1 {
            continue;
        }
        let shown = line(index)
            .iter()
            .map(|&at| at as usize)
            .filter(|&at| hideable[at] && !counts[at].is_suppressed());
        let choice = shown
            .clone()
            .filter(|&at| counts[at].value > 0)
            .min_by_key(|&at| (counts[at].value, at))
            .or_else(|| shown.min_by_key(|&at| (counts[at].value, at)));
        // With nothing that may be hidden, the line stays as it is: only
        // off-page figures are left, and they are known anyway.
        let Some(at) = choice else { continue };
        counts[at] = counts[at].hidden();
        for &other in &lines_of[starts[at]..starts[at + 1]] {
            let other = other as usize;
            missing[other] += 1;
            if missing[other] == 1 {
                work.push(other);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn options(min: u64) -> ReportOptions {
        ReportOptions {
            min_count: min,
            ..ReportOptions::new(NaiveDate::MIN)
        }
    }

    fn counts(values: &[u64], min: u64) -> Vec<Count> {
        values.iter().map(|&value| Count::new(value, options(min))).collect()
    }

    fn shown(counts: &[Count]) -> Vec<String> {
        counts.iter().map(Count::to_string).collect()
    }

    fn assert_protected(counts: &[Count], lines: &[Vec<usize>]) {
        for line in lines {
            let missing = line.iter().filter(|&&at| counts[at].is_suppressed()).count();
            assert_ne!(missing, 1, "{line:?} in {:?}", shown(counts));
        }
    }

    #[test]
    fn small_counts_are_suppressed_but_zero_is_not() {
        assert_eq!(shown(&counts(&[0, 1, 2, 3], 3)), ["0", "<3", "<3", "3"]);
        let json = |count: Count| serde_json::to_string(&count).unwrap();
        assert_eq!(json(counts(&[2], 3)[0]), "\"<3\"");
        assert_eq!(json(counts(&[5], 3)[0]), "5");
        assert_eq!(json(counts(&[5], 3)[0].hidden()), "\"x\"");
    }

    #[test]
    fn a_lone_suppressed_count_takes_another_with_it() {
        // total 4 = AM → AZ 3 + AZ → AM 1: 4 − 3 would tell the 1.
        let mut row = counts(&[4, 3, 1], 3);
        protect(&mut row, &[vec![0, 1, 2]]);
        assert_eq!(shown(&row), ["4", "x", "<3"]);
    }

    #[test]
    fn zeros_are_not_hidden_while_another_count_can_be() {
        let mut row = counts(&[9, 0, 1, 8], 3);
        protect(&mut row, &[vec![0, 1, 2, 3]]);
        assert_eq!(shown(&row), ["9", "0", "<3", "x"]);
        // With only a zero beside it, the total goes.
        let mut row = counts(&[1, 0, 1], 3);
        protect(&mut row, &[vec![0, 1, 2]]);
        assert_eq!(shown(&row), ["<3", "0", "<3"]);
        let mut row = counts(&[5, 0, 1, 4], 3);
        protect(&mut row, &[vec![0, 1, 2, 3]]);
        assert_eq!(shown(&row), ["5", "0", "<3", "x"]);
    }

    #[test]
    fn hiding_in_one_line_spreads_to_the_lines_it_shares() {
        // A 2 × 2 table with totals: rows (0,1,2), (3,4,5); columns (6,1,4),
        // (7,2,5); grand total 8 over the row totals.
        let mut table = counts(&[5, 4, 1, 7, 3, 4, 7, 5, 12], 2);
        let lines = [
            vec![0, 1, 2],
            vec![3, 4, 5],
            vec![6, 1, 4],
            vec![7, 2, 5],
            vec![8, 0, 3],
        ];
        protect(&mut table, &lines);
        assert_protected(&table, &lines);
    }

    #[test]
    fn off_page_figures_are_known_but_never_hidden() {
        // A column of a table (3 + 1) whose total, 4, another report prints.
        let mut cells = counts(&[3, 1], 3);
        let [three, one] = &mut cells[..] else { unreachable!() };
        let mut figures = Figures::new();
        let total = figures.off_page(4, options(3));
        let (three, one) = (figures.add(three), figures.add(one));
        figures.line([total, three, one]);
        figures.protect();
        assert_eq!(shown(&cells), ["x", "<3"]);
    }

    #[test]
    fn a_line_of_one_figure_is_no_line() {
        let mut cells = counts(&[1], 3);
        let mut figures = Figures::new();
        let only = figures.add(&mut cells[0]);
        figures.line([only]);
        figures.protect();
        assert_eq!(shown(&cells), ["<3"]);
    }

    /// A chain of lines, each sharing a count with the next: hiding travels
    /// down the whole chain, in time linear in its length.
    #[test]
    fn a_long_chain_is_protected_in_linear_time() {
        let length = 200_000;
        // Lines (i, i + 1) over counts that are all 5, but the last is 1:
        // a pass over the lines in order would hide one count per pass.
        let mut values = vec![5; length];
        values[length - 1] = 1;
        let mut chain = counts(&values, 3);
        let lines: Vec<Vec<usize>> = (0..length - 1).map(|at| vec![at, at + 1]).collect();
        let started = std::time::Instant::now();
        protect(&mut chain, &lines);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_protected(&chain, &lines);
        assert!(chain.iter().all(|count| count.is_suppressed()));
    }
}
