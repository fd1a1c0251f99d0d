//! The header row, and the column each field, the private rule and each
//! skip rule read from: by the header's exact name, or else by its key.

use super::Run;
use crate::import::header_index;
use crate::import::names::match_key;
use crate::import::problem::{self, ImportCode, Problem, ProblemPlace, quote};
use crate::import::rules::{ImportField, Setting};
use crate::import::source::{Sheet, SheetRow};
use crate::suggest;

impl Run<'_> {
    /// The index of the header row in `sheet.rows`.
    pub(super) fn header(&mut self, sheet: &Sheet) -> Option<usize> {
        let found = header_index(sheet, self.rules.header_row);
        if found.is_none() {
            let message = match self.rules.header_row {
                Some(number) => format!("the sheet has no row {number} to read the column names from"),
                None => "the sheet is empty: it has no row of column names".to_owned(),
            };
            self.problems
                .push(Problem::new(ImportCode::NoHeader, ProblemPlace::Sheet, message));
        }
        found
    }

    /// Finds the column of every field, private rule and skip rule; reports
    /// those that name no column and the fields no rule gives. False if the
    /// rows cannot be read.
    pub(super) fn map_columns(&mut self, header: &SheetRow) -> bool {
        let rules = self.rules;
        self.headers = header.cells.iter().map(|cell| cell.trim().to_owned()).collect();
        let before = self.problems.len();
        for (field, setting) in &rules.columns {
            if let Some(column) = self.column_of(setting) {
                self.columns.push((field.clone(), column));
            }
        }
        // A column named as a custom key is read as that key.
        for (index, name) in self.headers.iter().enumerate() {
            if let Some(field @ ImportField::Custom(_)) = ImportField::from_key(name) {
                let given = rules.columns.contains_key(&field) || rules.constants.contains_key(&field);
                if !given {
                    self.columns.push((field, index + 1));
                }
            }
        }
        if let Some(private) = &rules.private {
            self.private_column = self.column_of(&private.column);
        }
        for skip in &rules.skip_when {
            let column = self.column_of(&skip.column);
            self.skip_columns.push(column);
        }
        for field in ImportField::REQUIRED {
            if !rules.columns.contains_key(field) && !rules.constants.contains_key(field) {
                self.problems.push(
                    Problem::new(
                        ImportCode::UnmappedField,
                        ProblemPlace::Sheet,
                        format!("no column or constant gives `{}`, which every engagement needs", field.key()),
                    )
                    .with_help(format!(
                        "in the rules, name its column under [columns] (`{0} = \"COLUMN\"`) or give it under [constants] (`{0} = \"…\"`)",
                        field.key()
                    )),
                );
            }
        }
        self.problems.len() == before
    }

    /// The column a rule names, by its header: exactly, or else by key if
    /// only one header has it.
    fn column_of(&mut self, setting: &Setting<String>) -> Option<usize> {
        let wanted = setting.value.trim();
        let exact: Vec<usize> = (0..self.headers.len()).filter(|&i| self.headers[i] == wanted).collect();
        let found = if exact.is_empty() {
            let key = match_key(wanted);
            (0..self.headers.len())
                .filter(|&i| !key.is_empty() && match_key(&self.headers[i]) == key)
                .collect()
        } else {
            exact
        };
        match found.as_slice() {
            [one] => Some(one + 1),
            [] => {
                let help =
                    suggest::did_you_mean(wanted, self.headers.iter().map(String::as_str)).unwrap_or_else(|| {
                        let names: Vec<String> = self
                            .headers
                            .iter()
                            .filter(|h| !h.is_empty())
                            .map(|h| quote(h))
                            .collect();
                        format!("the columns are {}", names.join(", "))
                    });
                self.problems.push(
                    Problem::new(
                        ImportCode::UnknownColumn,
                        setting.place(),
                        format!("the sheet has no column {}", quote(wanted)),
                    )
                    .with_help(help),
                );
                None
            }
            several => {
                let letters: Vec<String> = several.iter().map(|i| problem::column_letters(i + 1)).collect();
                self.problems.push(
                    Problem::new(
                        ImportCode::AmbiguousColumn,
                        setting.place(),
                        format!(
                            "{} columns are named {}: {}",
                            several.len(),
                            quote(wanted),
                            letters.join(", ")
                        ),
                    )
                    .with_help("rename all but one in the sheet's header"),
                );
                None
            }
        }
    }
}
