//! `track2 import`: a spreadsheet of engagements into ledger records.
//!
//! The pipeline: [`source`] reads the sheet into rows of text cells;
//! [`rules`] (or [`guess`]) says which column gives which field; the run
//! (`run/`) makes each row an engagement, its dates read by [`dates`] and its names matched
//! against the ledger's declarations ([`directory`]) or made into new ones
//! with ids from [`names`]; [`records`] writes them in canonical form. Every
//! problem is a [`problem::Problem`] at its cell.
//!
//! The caller then checks the text together with the ledger
//! (`loader::load_with_extra`) and turns the ledger's diagnostics of it into
//! problems at their cells with [`Import::ledger_problem`]; only a result
//! without errors is written. Nothing here reads a file or prints.

pub mod dates;
pub mod directory;
pub mod guess;
pub mod names;
pub mod problem;
pub mod records;
pub mod rules;
mod run;
pub mod source;
mod summary;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use directory::Directory;
use problem::{Problem, ProblemCode, ProblemPlace};
use records::{ImportedText, Made};
use rules::Rules;
use run::Run;
use source::Sheet;

pub use summary::{NearMatch, SkippedRow, Summary};

/// How an import runs.
#[derive(Clone, Copy, Debug)]
pub struct ImportOptions {
    /// How many name comparisons near matches may cost in all. A sheet of
    /// some thousand new names is searched in full; a hostile one of a
    /// million is not, and the summary says how many names went unsearched,
    /// so that the import stays linear in the size of the sheet.
    pub near_match_budget: usize,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            near_match_budget: 1_000_000,
        }
    }
}

/// What an import made of a sheet.
#[derive(Debug)]
pub struct Import {
    /// The sheet's and the rules' problems, in report order.
    pub problems: Vec<Problem>,
    /// New declarations, then engagements, in the order written.
    pub records: Vec<Made>,
    /// The records as canonical ledger text.
    pub written: ImportedText,
    pub summary: Summary,
    /// Each column's name, for messages.
    headers: Vec<String>,
}

impl Import {
    /// Whether the sheet and the rules gave no error (warnings allowed).
    pub fn is_clean(&self) -> bool {
        !self.problems.iter().any(Problem::is_error)
    }

    /// A ledger diagnostic of the generated text (read as the last file of
    /// `sources`), as a problem at the cell that produced the record.
    pub fn ledger_problem(&self, diagnostic: &Diagnostic, sources: &SourceMap) -> Problem {
        let offset = diagnostic.location.span.start as usize;
        let place = match self.written.locate(&self.records, offset) {
            Some((row, Some(column))) if row > 0 => ProblemPlace::Cell {
                row,
                column,
                header: self.headers.get(column - 1).cloned().unwrap_or_default(),
            },
            Some((row, None)) if row > 0 => ProblemPlace::Row(row),
            _ => ProblemPlace::Sheet,
        };
        let mut help = diagnostic.help.clone();
        for related in &diagnostic.related {
            let file = sources.get(related.location.file);
            let position = file.position(related.location.span.start as usize);
            let elsewhere = if related.location.file == diagnostic.location.file {
                "in the import".to_owned()
            } else {
                format!("at {}:{}:{}", file.name(), position.line, position.column)
            };
            let note = format!("{} {elsewhere}", related.message);
            help = Some(match help {
                Some(help) => format!("{help}; {note}"),
                None => note,
            });
        }
        Problem {
            code: ProblemCode::Ledger(diagnostic.code),
            place,
            message: diagnostic.message.clone(),
            help,
        }
    }

    /// The column names of the sheet, as read.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }
}

/// The index in `sheet.rows` of the row of column names: row `number` if
/// given, else the first row that is neither blank nor a `#` comment (as
/// `export --include-private` writes above its header).
pub fn header_index(sheet: &Sheet, number: Option<usize>) -> Option<usize> {
    match number {
        Some(number) => sheet.rows.iter().position(|row| row.number == number),
        None => sheet
            .rows
            .iter()
            .position(|row| !row.is_blank() && !row.cell(1).trim_start().starts_with('#')),
    }
}

/// Rules guessed from the sheet's header, if it has one.
pub fn guess_rules(sheet: &Sheet) -> Option<guess::Guess> {
    let header = header_index(sheet, None)?;
    let mut guess = guess::guess(&sheet.rows[header], &sheet.rows[header + 1..]);
    guess.rules.delimiter = sheet.delimiter;
    Some(guess)
}

/// Reads `sheet` by `rules` into records that may join the ledger whose
/// declarations are `directory`.
pub fn import(sheet: &Sheet, rules: &Rules, directory: &Directory) -> Import {
    import_with(sheet, rules, directory, ImportOptions::default())
}

/// [`import`] with options other than the default ones.
pub fn import_with(sheet: &Sheet, rules: &Rules, directory: &Directory, options: ImportOptions) -> Import {
    let mut run = Run::new(sheet, rules, directory, options);
    run.read(sheet);
    run.finish()
}
