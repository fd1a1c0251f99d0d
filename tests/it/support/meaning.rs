//! What a ledger means, whatever its layout: the model, and every diagnostic
//! in full with its place described by content rather than by line and
//! column. GRAMMAR.md §8.7 promises that formatting keeps both: "the same
//! model and the same diagnostics, at moved positions".
//!
//! Messages, labels and hints are compared with each run of blanks made one
//! space. A place is the file, the ordinal of the top-level item (block or
//! include) the line belongs to, the line's text and the span's text with
//! blanks removed, and how many non-blank characters of the line come
//! before the span. Formatting changes blanks, blank lines and the order of
//! fields within a block, none of which this sees; a formatter that moved a
//! field to another block, changed a character, or shifted a span within its
//! line changes a place.

use std::path::Path;

use track2::export::LedgerDocument;
use track2::{Diagnostic, Loaded};

use super::options;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The file's name relative to the ledger's directory, or as loaded.
    pub file: String,
    /// How many block headers and includes start at or before the line.
    pub item: usize,
    pub line: String,
    pub before: usize,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PlacedDiagnostic {
    pub code: &'static str,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
    pub place: Place,
    pub related: Vec<(String, Place)>,
}

/// The model as JSON, and the diagnostics placed, sorted (fields move, so
/// report order within a block does).
#[derive(Debug, PartialEq)]
pub struct Meaning {
    pub model: serde_json::Value,
    pub diagnostics: Vec<PlacedDiagnostic>,
}

impl Meaning {
    /// What the loaded ledger means; file names, in places and messages,
    /// are taken relative to `directory` when given, so that a ledger and
    /// its formatted copy in another directory compare.
    pub fn of(loaded: &Loaded, directory: Option<&Path>) -> Meaning {
        let analysis = track2::check(loaded, &options());
        let model = serde_json::to_value(LedgerDocument::new(&analysis.ledger)).expect("the model serialises");
        let mut diagnostics: Vec<PlacedDiagnostic> = analysis
            .diagnostics
            .iter()
            .map(|diagnostic| placed(loaded, diagnostic, directory))
            .collect();
        diagnostics.sort();
        Meaning { model, diagnostics }
    }

    /// What `text`, read alone as one file, means.
    pub fn of_text(text: &str) -> Meaning {
        let loaded = track2::loader::load_bytes("ledger.track2", text.as_bytes().to_vec()).expect("a small text");
        Meaning::of(&loaded, None)
    }
}

fn placed(loaded: &Loaded, diagnostic: &Diagnostic, directory: Option<&Path>) -> PlacedDiagnostic {
    let place = |location: track2::source::Location| {
        let file = loaded.sources.get(location.file);
        let name = match directory {
            Some(directory) => Path::new(file.name())
                .strip_prefix(directory)
                .unwrap_or(Path::new(file.name()))
                .display()
                .to_string(),
            None => file.name().to_owned(),
        };
        place_in(&name, file.text(), location.span.range())
    };
    // Messages about includes name paths, which differ between a ledger
    // and its copy in another directory by the directory alone.
    let prefix = directory.map(|directory| format!("{}/", directory.display()));
    let text = |text: &str| {
        let text = match &prefix {
            Some(prefix) => text.replace(prefix.as_str(), ""),
            None => text.to_owned(),
        };
        blanks_collapsed(&text)
    };
    PlacedDiagnostic {
        code: diagnostic.code.as_str(),
        message: text(&diagnostic.message),
        label: diagnostic.label.as_deref().map(text),
        help: diagnostic.help.as_deref().map(text),
        place: place(diagnostic.location),
        related: diagnostic
            .related
            .iter()
            .map(|related| (text(&related.message), place(related.location)))
            .collect(),
    }
}

/// `text` with each run of blanks one space. A message may quote a token
/// whose inner blanks the formatter rightly changes: `+0\tAZ` is written
/// `+0 AZ` (GRAMMAR.md §8.3), and `invalid-count` quotes it either way.
fn blanks_collapsed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, word) in text.split([' ', '\t']).filter(|word| !word.is_empty()).enumerate() {
        if index > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn without_blanks(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, ' ' | '\t' | '\r')).collect()
}

/// The place of the byte range `span` of `text`.
fn place_in(file: &str, text: &str, span: std::ops::Range<usize>) -> Place {
    let body_start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let line_start = text[..span.start]
        .rfind('\n')
        .map_or(body_start, |at| at + 1)
        .max(body_start);
    let line_end = text[span.start..].find('\n').map_or(text.len(), |at| span.start + at);
    // Top-level items start with a letter or a digit (GRAMMAR.md §2):
    // headers and includes. Comments, fields and blank lines do not.
    let item = text[body_start..line_end.min(text.len())]
        .split('\n')
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphanumeric()))
        .count();
    let end = span.end.min(line_end.max(span.start));
    Place {
        file: file.to_owned(),
        item,
        line: without_blanks(&text[line_start..line_end]),
        before: without_blanks(&text[line_start..span.start]).chars().count(),
        text: without_blanks(&text[span.start..end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_ignores_blanks_and_counts_items() {
        let text = "\u{feff}party AM A\n\n# c\n2025 AM->  AZ  T\n  participants: x ,\ty\n";
        let y = text.rfind('y').unwrap();
        let place = place_in("f", text, y..y + 1);
        assert_eq!(
            place,
            Place {
                file: "f".into(),
                item: 2,
                line: "participants:x,y".into(),
                before: 15,
                text: "y".into(),
            }
        );
        let formatted = "\u{feff}party AM A\n\n# c\n2025 AM -> AZ T\n  participants: x, y\n";
        let y = formatted.rfind('y').unwrap();
        assert_eq!(place_in("f", formatted, y..y + 1), place);
    }
}
