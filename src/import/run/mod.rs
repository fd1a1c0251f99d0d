//! The run of an import: one pass over the sheet's rows, reading each into
//! an engagement and the new declarations it names, with every problem at
//! its cell. Its parts: [`columns`] finds the header and the column of each
//! field; [`cell`] reads a cell into a cleaned value; [`engagement`] makes
//! a row into an engagement; [`values`] and [`labels`] read a value as a
//! date, a word, or a party, format or series; [`declare`] finds or makes
//! persons and orgs, and [`near_match`] reports new names close to others.

mod cell;
mod columns;
mod declare;
mod engagement;
mod labels;
mod near_match;
mod values;

use std::collections::HashSet;

use super::dates::DateForms;
use super::directory::Directory;
use super::names::match_key;
use super::problem::{self, ImportCode, Problem, ProblemPlace, quote};
use super::records::{self, Made};
use super::rules::{Hide, ImportField, Rules};
use super::source::{Sheet, SheetRow};
use super::summary::{SkippedRow, Summary};
use super::{Import, ImportOptions};
use cell::At;
use declare::NewDeclarations;

/// An import under way: what the rows have given so far.
pub(super) struct Run<'r> {
    rules: &'r Rules,
    directory: &'r Directory,
    problems: Vec<Problem>,
    headers: Vec<String>,
    /// The column of each field read from the sheet.
    columns: Vec<(ImportField, usize)>,
    /// The column of the private rule, and of each skip rule.
    private_column: Option<usize>,
    skip_columns: Vec<Option<usize>>,
    /// Cells holding a spreadsheet error.
    errors: HashSet<(usize, usize)>,
    /// Constants already reported, so that a bad one is reported once, not
    /// once per row.
    reported_constants: HashSet<ImportField>,
    date_forms: DateForms,
    persons: NewDeclarations,
    orgs: NewDeclarations,
    persons_reused: HashSet<usize>,
    orgs_reused: HashSet<usize>,
    near_budget: usize,
    summary: Summary,
    engagements: Vec<Made>,
}

impl<'r> Run<'r> {
    pub(super) fn new(sheet: &Sheet, rules: &'r Rules, directory: &'r Directory, options: ImportOptions) -> Run<'r> {
        Run {
            rules,
            directory,
            problems: Vec::new(),
            headers: Vec::new(),
            columns: Vec::new(),
            private_column: None,
            skip_columns: Vec::new(),
            errors: sheet.errors.iter().copied().collect(),
            reported_constants: HashSet::new(),
            date_forms: DateForms::new(&rules.date_formats).unwrap_or_else(|_| DateForms::new(&[]).expect("built-in")),
            persons: NewDeclarations::new(directory.persons.ids()),
            orgs: NewDeclarations::new(directory.orgs.ids()),
            persons_reused: HashSet::new(),
            orgs_reused: HashSet::new(),
            near_budget: options.near_match_budget,
            summary: Summary::default(),
            engagements: Vec::new(),
        }
    }

    /// Reads every row below the header, if the columns can be found.
    pub(super) fn read(&mut self, sheet: &Sheet) {
        let Some(header) = self.header(sheet) else {
            return;
        };
        if !self.map_columns(&sheet.rows[header]) {
            return;
        }
        for row in &sheet.rows[header + 1..] {
            self.summary.rows_read += 1;
            if let Some(reason) = self.skip_reason(row) {
                self.summary.rows_skipped.push(SkippedRow {
                    row: row.number,
                    reason,
                });
                continue;
            }
            if let Some(made) = self.engagement(row) {
                self.engagements.push(made);
            }
        }
    }
}

impl Run<'_> {
    fn place(&self, at: At) -> ProblemPlace {
        match at {
            At::Cell { row, column } => ProblemPlace::Cell {
                row,
                column,
                header: self.headers.get(column - 1).cloned().unwrap_or_default(),
            },
            At::Constant(Some((line, column))) => ProblemPlace::Rules { line, column },
            At::Constant(None) => ProblemPlace::Sheet,
        }
    }

    /// Reports a problem with a value; one with a constant only once.
    fn report(&mut self, value_field: &ImportField, at: At, code: ImportCode, message: String, help: Option<String>) {
        if matches!(at, At::Constant(_)) && !self.reported_constants.insert(value_field.clone()) {
            return;
        }
        let problem = Problem::new(code, self.place(at), message).with_optional_help(help);
        self.problems.push(problem);
    }

    /// Why a row is skipped, if it is.
    fn skip_reason(&self, row: &SheetRow) -> Option<String> {
        if row.is_blank() {
            return Some("blank".into());
        }
        if self.rules.skip_rows.contains(&row.number) {
            return Some("listed under [skip] rows".into());
        }
        for (skip, column) in self.rules.skip_when.iter().zip(&self.skip_columns) {
            let cell = row.cell((*column)?);
            if skip.values.contains(&match_key(cell)) {
                return Some(format!("{} is {}", quote(&skip.column.value), quote(cell.trim())));
            }
        }
        None
    }

    fn is_private(&self, row: &SheetRow) -> Option<Hide> {
        let private = self.rules.private.as_ref()?;
        let column = self.private_column?;
        (match_key(row.cell(column)) == private.value).then_some(private.hide)
    }

    /// The records, the declarations first, and the summary of the run.
    pub(super) fn finish(mut self) -> Import {
        let mut records = self.declaration_records();
        self.summary.engagements_made = self.engagements.len();
        self.summary.persons_made = self.persons.made.len();
        self.summary.orgs_made = self.orgs.made.len();
        self.summary.persons_reused = self.persons_reused.len();
        self.summary.orgs_reused = self.orgs_reused.len();
        records.append(&mut self.engagements);
        let written = records::write(&records);
        problem::sort(&mut self.problems);
        Import {
            problems: self.problems,
            records,
            written,
            summary: self.summary,
            headers: self.headers,
        }
    }
}
