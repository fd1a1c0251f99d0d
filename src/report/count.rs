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

/// Hides counts among `counts` until no line (a set of indices into
/// `counts` whose figures add up: a total and its parts) has exactly one
/// count not shown. In such a line, the smallest shown count that is not
/// zero is hidden (a zero tells nothing of the others when it is the only
/// other figure, so failing that, the smallest of any). Lines may share
/// counts; the loop ends because a count, once hidden, stays hidden.
pub fn protect(counts: &mut [Count], lines: &[Vec<usize>]) {
    loop {
        let mut changed = false;
        for line in lines {
            let missing = line.iter().filter(|&&at| counts[at].is_suppressed()).count();
            if missing != 1 {
                continue;
            }
            let shown = line.iter().copied().filter(|&at| !counts[at].is_suppressed());
            let choice = shown
                .clone()
                .filter(|&at| counts[at].value > 0)
                .min_by_key(|&at| (counts[at].value, at))
                .or_else(|| shown.min_by_key(|&at| (counts[at].value, at)));
            if let Some(at) = choice {
                counts[at] = counts[at].hidden();
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn counts(values: &[u64], min: u64) -> Vec<Count> {
        let options = ReportOptions {
            min_count: min,
            ..ReportOptions::new(NaiveDate::MIN)
        };
        values.iter().map(|&value| Count::new(value, options)).collect()
    }

    fn shown(counts: &[Count]) -> Vec<String> {
        counts.iter().map(Count::to_string).collect()
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
        for line in &lines {
            let missing = line.iter().filter(|&&at| table[at].is_suppressed()).count();
            assert_ne!(missing, 1, "{line:?} in {:?}", shown(&table));
        }
    }
}
