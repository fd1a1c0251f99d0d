//! A cell read into a cleaned value: from its column or the rules'
//! constant, without a spreadsheet's formula quote, refused if it holds a
//! spreadsheet error or a character no ledger text may hold.

use super::Run;
use crate::import::problem::{ImportCode, quote};
use crate::import::rules::ImportField;
use crate::import::source::SheetRow;

/// Where a value was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum At {
    Cell {
        row: usize,
        column: usize,
    },
    /// A constant of the rules, at its place in the rules file if it has one.
    Constant(Option<(usize, usize)>),
}

/// A value of one field of one row, cleaned: from its cell, or from the
/// rules' constant for the field.
pub(super) struct CellValue {
    pub(super) text: String,
    pub(super) at: At,
    pub(super) field: ImportField,
}

impl Run<'_> {
    /// The cleaned value of `field` in `row`, from its column or its
    /// constant; `None` when it is empty or cannot be read (reported).
    pub(super) fn value(&mut self, row: &SheetRow, field: &ImportField) -> Option<CellValue> {
        let (raw, at) = if let Some(&(_, column)) = self.columns.iter().find(|(f, _)| f == field) {
            if self.errors.contains(&(row.number, column)) {
                let at = At::Cell {
                    row: row.number,
                    column,
                };
                let message = format!("the cell holds the spreadsheet error {}", quote(row.cell(column)));
                let help = Some("fix the formula, or replace it by its value".to_owned());
                self.report(field, at, ImportCode::SpreadsheetError, message, help);
                return None;
            }
            (
                row.cell(column).to_owned(),
                At::Cell {
                    row: row.number,
                    column,
                },
            )
        } else if let Some(constant) = self.rules.constants.get(field) {
            (constant.value.clone(), At::Constant(constant.at))
        } else {
            return None;
        };
        let text = unescape_formula(&raw);
        if let Some(bad) = text.chars().find(|&c| is_unsafe(c)) {
            let message = format!("the cell holds the control character {}", bad.escape_unicode());
            let help = Some("remove it from the sheet: no ledger text may hold it".to_owned());
            self.report(field, at, ImportCode::ControlCharacterInCell, message, help);
            return None;
        }
        if text.trim().is_empty() {
            return None;
        }
        Some(CellValue {
            text: text.to_owned(),
            at,
            field: field.clone(),
        })
    }

    /// A value's text mapped by the rules' value map for its field.
    pub(super) fn mapped<'v>(&'v self, field: &ImportField, text: &'v str) -> &'v str {
        self.rules.mapped(field, text).unwrap_or(text)
    }

    /// A value every engagement needs: reported when empty.
    pub(super) fn required(&mut self, row: &SheetRow, field: &ImportField) -> Option<CellValue> {
        let value = self.value(row, field);
        if value.is_none() {
            if let Some(&(_, column)) = self.columns.iter().find(|(f, _)| f == field) {
                let at = At::Cell {
                    row: row.number,
                    column,
                };
                let cell = row.cell(column);
                // A cell that could not be read is reported already.
                if cell.trim().is_empty() {
                    let message = format!("the `{}` of an engagement is empty", field.key());
                    self.report(field, at, ImportCode::MissingValue, message, None);
                }
            }
        }
        value
    }

    /// The items of a list cell: split at the separator and at line breaks.
    pub(super) fn items(&self, text: &str) -> Vec<String> {
        text.split(['\n', '\r'])
            .flat_map(|line| line.split(self.rules.list_separator.as_str()))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// A cell's text without the `'` that a CSV export puts before a leading
/// `=`, `+`, `-` or `@` so that spreadsheets do not read it as a formula.
fn unescape_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// Characters no ledger text may hold: control characters other than the
/// line breaks and tabs a cell may have, and the marks that reorder a line.
fn is_unsafe(character: char) -> bool {
    !matches!(character, '\t' | '\n' | '\r') && crate::escape::is_unsafe(character)
}

/// A cell's lines joined by one space: a ledger value is one line.
pub(super) fn one_line(text: &str) -> String {
    lines(text).collect::<Vec<_>>().join(" ")
}

/// A cell's non-empty lines, trimmed.
pub(super) fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r']).map(str::trim).filter(|line| !line.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_before_a_formula_character_is_dropped() {
        assert_eq!(unescape_formula("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unescape_formula("'+3 AZ"), "+3 AZ");
        assert_eq!(unescape_formula("'-"), "-");
        assert_eq!(unescape_formula("'@home"), "@home");
        assert_eq!(unescape_formula("'quoted'"), "'quoted'");
        assert_eq!(unescape_formula("=raw"), "=raw");
    }
}
