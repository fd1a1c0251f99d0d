//! What `track2 import` reports: a problem at a spreadsheet cell (or in the
//! rules file), with a stable code, a message and a hint.
//!
//! Import codes are a namespace of their own, documented in
//! `grammar/IMPORT.md`; they are never ledger codes. A ledger diagnostic of
//! the generated text keeps its ledger code (GRAMMAR.md §5.4) and is moved to
//! the cell that produced the record.

use crate::diagnostic::{Code, Severity};

macro_rules! import_codes {
    ($($variant:ident = $name:literal, $severity:ident;)*) => {
        /// A stable name for each import rule; `grammar/IMPORT.md` documents
        /// them all. Codes are never renamed or reused.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ImportCode {
            $($variant,)*
        }

        impl ImportCode {
            pub const ALL: &'static [ImportCode] = &[$(ImportCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ImportCode::$variant => $name,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(ImportCode::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

import_codes! {
    UnreadableSheet = "unreadable-sheet", Error;
    NotUtf8 = "not-utf8", Error;
    NoSuchSheet = "no-such-sheet", Error;
    NoHeader = "no-header", Error;
    InvalidRules = "invalid-rules", Error;
    UnknownRulesKey = "unknown-rules-key", Error;
    UnknownColumn = "unknown-column", Error;
    AmbiguousColumn = "ambiguous-column", Error;
    UnmappedField = "unmapped-field", Error;
    ColumnAndConstant = "column-and-constant", Error;
    MissingValue = "missing-value", Error;
    UnreadableDate = "unreadable-date", Error;
    AmbiguousDate = "ambiguous-date", Error;
    DateNotInCalendar = "date-not-in-calendar", Error;
    BackwardsDateRange = "backwards-date-range", Error;
    MonthRange = "month-range", Error;
    UnknownParty = "unknown-party", Error;
    UnknownFormat = "unknown-format", Error;
    UnknownSeries = "unknown-series", Error;
    UnknownPerson = "unknown-person", Error;
    UnknownOrg = "unknown-org", Error;
    UnknownValue = "unknown-value", Error;
    NotAnId = "not-an-id", Error;
    BadCount = "bad-count", Error;
    AmbiguousName = "ambiguous-name", Error;
    NameWithoutLetters = "name-without-letters", Error;
    ControlCharacterInCell = "control-character-in-cell", Error;
    SpreadsheetError = "spreadsheet-error", Error;
    PrivatePersonPublic = "private-person-public", Error;
    NearMatch = "near-match", Warning;
}

/// An import code, or the ledger code of a diagnostic of the generated text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemCode {
    Import(ImportCode),
    Ledger(Code),
}

impl ProblemCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::Import(code) => code.as_str(),
            ProblemCode::Ledger(code) => code.as_str(),
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            ProblemCode::Import(code) => code.severity(),
            ProblemCode::Ledger(code) => code.severity(),
        }
    }
}

/// Where an import problem is: a cell, a row, the sheet, or the rules
/// file. Rows and columns are 1-based and count as the spreadsheet does:
/// row 1 is the sheet's first row, whatever it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemPlace {
    /// A cell of the sheet; `header` is its column's name, for messages.
    Cell { row: usize, column: usize, header: String },
    /// A whole row of the sheet.
    Row(usize),
    /// The sheet as a whole (it cannot be read, it has no header).
    Sheet,
    /// A place in the rules file, 1-based, the column in characters.
    Rules { line: usize, column: usize },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: ProblemCode,
    pub place: ProblemPlace,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(code: ImportCode, place: ProblemPlace, message: impl Into<String>) -> Problem {
        Problem {
            code: ProblemCode::Import(code),
            place,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub fn with_optional_help(mut self, help: Option<String>) -> Problem {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.code.severity() == Severity::Error
    }

    /// The row the problem is in, if it is in one row of the sheet.
    pub fn row(&self) -> Option<usize> {
        match self.place {
            ProblemPlace::Cell { row, .. } | ProblemPlace::Row(row) => Some(row),
            ProblemPlace::Sheet | ProblemPlace::Rules { .. } => None,
        }
    }
}

/// Puts problems in report order: the rules file first, then the sheet as a
/// whole, then by row and column. Stable, so problems at one cell keep the
/// order in which they were found.
pub fn sort(problems: &mut [Problem]) {
    problems.sort_by_key(|problem| match problem.place {
        ProblemPlace::Rules { line, column } => (0, line, column),
        ProblemPlace::Sheet => (1, 0, 0),
        ProblemPlace::Row(row) => (2, row, 0),
        ProblemPlace::Cell { row, column, .. } => (2, row, column),
    });
}

/// The spreadsheet's name for a 1-based column number: `A`, …, `Z`, `AA`.
pub fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut rest = column;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(b'A' + digit as u8);
        rest = (rest - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// A cell's text as a message may quote it: control characters escaped, and
/// long text cut, so that no cell can flood or drive the terminal or a log.
pub fn quote(text: &str) -> String {
    const LONGEST: usize = 60;
    let cut = text.char_indices().nth(LONGEST).map(|(at, _)| at);
    match cut {
        Some(at) => format!("`{}…`", escape(&text[..at])),
        None => format!("`{}`", escape(text)),
    }
}

/// `text` with every character that could drive a terminal or reorder what
/// it shows written as an escape (`\x1b`): for file names, headers and
/// anything else that came from outside and is printed.
pub fn escape(text: &str) -> String {
    crate::escape::text(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_codes_are_kebab_case_unique_and_never_ledger_codes() {
        let mut names: Vec<_> = ImportCode::ALL.iter().map(|code| code.as_str()).collect();
        assert!(names.iter().all(|name| {
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        }));
        for name in &names {
            assert_eq!(Code::from_name(name), None, "`{name}` is a ledger code");
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ImportCode::ALL.len());
    }

    #[test]
    fn every_import_code_is_documented() {
        let documentation = include_str!("../../grammar/IMPORT.md");
        for code in ImportCode::ALL {
            let row = format!("| `{}` | {} |", code.as_str(), code.severity().as_str());
            assert!(documentation.contains(&row), "IMPORT.md lacks {row}");
        }
    }

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        let letters: Vec<_> = [1, 2, 26, 27, 52, 53, 702, 703].map(column_letters).into();
        assert_eq!(letters, ["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn quoting_escapes_control_characters_and_cuts_long_text() {
        assert_eq!(quote("a\u{1b}[31mb\n"), "`a\\x1b[31mb\\n`");
        assert_eq!(quote("x\u{202e}y"), "`x\\u{202e}y`");
        let long = "a".repeat(1000);
        assert_eq!(quote(&long), format!("`{}…`", "a".repeat(60)));
    }
}
