//! What formatting changes in a file, as `track2 fmt --diff` shows it: a
//! unified diff of the lines whose text changes, and one line for each run
//! of lines whose only change is their line ending.
//!
//! A block pasted from a Windows editor brings CRLF endings into an LF file
//! (or the other way round); the canonical form gives every line the file's
//! ending (GRAMMAR.md §8), and a plain line diff would then show each of
//! those lines removed and added again, identical to the eye. So lines are
//! compared by their text alone, and a change of ending is said in words:
//! `line endings: CRLF → LF, lines 12–31`.

use std::fmt::Write;
use std::ops::Range;
use std::time::Instant;

use similar::udiff::UnifiedHunkHeader;
use similar::{Algorithm, DiffOp, DiffTag};

/// Lines of unchanged text shown around each change, as `diff -u` does.
const CONTEXT: usize = 3;

/// How a line ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineBreak {
    Lf,
    CrLf,
    /// The last line of a file that does not end with a line break.
    Missing,
}

impl LineBreak {
    fn as_str(self) -> &'static str {
        match self {
            LineBreak::Lf => "\n",
            LineBreak::CrLf => "\r\n",
            LineBreak::Missing => "",
        }
    }

    fn name(self) -> &'static str {
        match self {
            LineBreak::Lf => "LF",
            LineBreak::CrLf => "CRLF",
            LineBreak::Missing => "(none)",
        }
    }
}

/// One line: its text without the ending, and the ending.
#[derive(Clone, Copy, Debug)]
struct Line<'t> {
    text: &'t str,
    ending: LineBreak,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = match rest.find('\n') {
            Some(end) => (&rest[..end], &rest[end + 1..]),
            None => {
                lines.push(Line {
                    text: rest,
                    ending: LineBreak::Missing,
                });
                break;
            }
        };
        lines.push(match line.strip_suffix('\r') {
            Some(text) => Line {
                text,
                ending: LineBreak::CrLf,
            },
            None => Line {
                text: line,
                ending: LineBreak::Lf,
            },
        });
        rest = next;
    }
    lines
}

/// The change from `original` to `formatted` for a person to read: a
/// unified diff headed `--- NAME` / `+++ NAME` of the lines whose text
/// changes (each line printed as it is in its file, so that `patch -p0`
/// applies it when no ending changes), then one `line endings: …` line per
/// run of lines whose text is the same and whose ending changes, numbered
/// as in `original`. `deadline` bounds the search for the smallest diff
/// (past it, a larger diff that is just as correct).
pub fn unified(name: &str, original: &str, formatted: &str, deadline: Option<Instant>) -> String {
    let (old, new) = (lines(original), lines(formatted));
    let old_text: Vec<&str> = old.iter().map(|line| line.text).collect();
    let new_text: Vec<&str> = new.iter().map(|line| line.text).collect();
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &old_text, &new_text, deadline);

    let mut out = String::new();
    let endings = ending_changes(&ops, &old, &new);
    let hunks: Vec<Vec<DiffOp>> = similar::group_diff_ops(ops, CONTEXT)
        .into_iter()
        .filter(|hunk| hunk.iter().any(|op| op.tag() != DiffTag::Equal))
        .collect();
    if !hunks.is_empty() {
        let _ = writeln!(out, "--- {name}\n+++ {name}");
    }
    for hunk in &hunks {
        let _ = writeln!(out, "{}", UnifiedHunkHeader::new(hunk));
        for op in hunk {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            match tag {
                // Unchanged text is shown as in the original, so that the
                // context matches the file a patch is applied to.
                DiffTag::Equal => push_lines(&mut out, ' ', &old[old_range]),
                DiffTag::Delete => push_lines(&mut out, '-', &old[old_range]),
                DiffTag::Insert => push_lines(&mut out, '+', &new[new_range]),
                DiffTag::Replace => {
                    push_lines(&mut out, '-', &old[old_range]);
                    push_lines(&mut out, '+', &new[new_range]);
                }
            }
        }
    }
    for (lines, from, to) in endings {
        let place = if lines.len() == 1 {
            format!("line {}", lines.start + 1)
        } else {
            format!("lines {}–{}", lines.start + 1, lines.end)
        };
        let _ = writeln!(out, "line endings: {} → {}, {place}", from.name(), to.name());
    }
    out
}

fn push_lines(out: &mut String, sign: char, lines: &[Line<'_>]) {
    for line in lines {
        out.push(sign);
        out.push_str(line.text);
        out.push_str(line.ending.as_str());
        if line.ending == LineBreak::Missing {
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
}

/// Runs of lines (0-based, in the original) whose text is unchanged and
/// whose ending changes the same way.
fn ending_changes(ops: &[DiffOp], old: &[Line<'_>], new: &[Line<'_>]) -> Vec<(Range<usize>, LineBreak, LineBreak)> {
    let mut runs: Vec<(Range<usize>, LineBreak, LineBreak)> = Vec::new();
    for op in ops {
        let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        else {
            continue;
        };
        for offset in 0..len {
            let (before, after) = (old[old_index + offset].ending, new[new_index + offset].ending);
            if before == after {
                continue;
            }
            let line = old_index + offset;
            match runs.last_mut() {
                Some((range, from, to)) if range.end == line && *from == before && *to == after => range.end += 1,
                _ => runs.push((line..line + 1, before, after)),
            }
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(original: &str, formatted: &str) -> String {
        unified("a.track2", original, formatted, None)
    }

    #[test]
    fn a_change_of_text_is_a_unified_diff() {
        assert_eq!(
            diff(
                "party AM    Armenia\nparty AZ Azerbaijan\n",
                "party AM Armenia\n\nparty AZ Azerbaijan\n"
            ),
            "--- a.track2\n+++ a.track2\n@@ -1,2 +1,3 @@\n-party AM    Armenia\n+party AM Armenia\n+\n party AZ Azerbaijan\n"
        );
    }

    #[test]
    fn a_pasted_crlf_block_is_one_line_of_its_own() {
        let original = "# a\n# b\r\n# c\r\n# d\r\n# e\n";
        let formatted = "# a\n# b\n# c\n# d\n# e\n";
        assert_eq!(diff(original, formatted), "line endings: CRLF → LF, lines 2–4\n");
        // A line ending in LF among CRLF ones, in a CRLF file.
        assert_eq!(
            diff("# a\r\n# b\n# c\r\n", "# a\r\n# b\r\n# c\r\n"),
            "line endings: LF → CRLF, line 2\n"
        );
    }

    #[test]
    fn changes_of_text_and_of_endings_are_told_apart() {
        let original = "party AM  Armenia\n# one\r\n# two\r\nparty AZ Azerbaijan\n";
        let formatted = "party AM Armenia\n# one\n# two\nparty AZ Azerbaijan\n";
        assert_eq!(
            diff(original, formatted),
            concat!(
                "--- a.track2\n+++ a.track2\n@@ -1,4 +1,4 @@\n",
                "-party AM  Armenia\n+party AM Armenia\n",
                // Context as in the original: a patch still applies.
                " # one\r\n # two\r\n party AZ Azerbaijan\n",
                "line endings: CRLF → LF, lines 2–3\n",
            )
        );
    }

    #[test]
    fn a_missing_final_line_break() {
        assert_eq!(diff("# a\n# b", "# a\n# b\n"), "line endings: (none) → LF, line 2\n");
        assert_eq!(
            diff("# a\n#  b", "# a\n# b\n"),
            "--- a.track2\n+++ a.track2\n@@ -1,2 +1,2 @@\n # a\n-#  b\n\\ No newline at end of file\n+# b\n"
        );
    }

    #[test]
    fn the_same_text_gives_nothing() {
        assert_eq!(diff("# a\r\n", "# a\r\n"), "");
        assert_eq!(diff("", ""), "");
    }
}
