//! `--format json`: one document, stable and documented in GRAMMAR.md §6.

use serde::Serialize;

use super::place;
use crate::diagnostic::{Diagnostic, Tally};
use crate::escape;
use crate::source::SourceMap;

#[derive(Serialize)]
struct JsonDocument<'d> {
    diagnostics: Vec<JsonDiagnostic<'d>>,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'d> {
    severity: &'static str,
    code: &'static str,
    message: &'d str,
    file: &'d str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'d str>,
    related: Vec<JsonRelated<'d>>,
}

#[derive(Serialize)]
struct JsonRelated<'d> {
    file: &'d str,
    line: usize,
    column: usize,
    message: &'d str,
}

/// The JSON document for `diagnostics`, pretty-printed, with a final newline.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let tally = Tally::of(diagnostics);
    let report = JsonDocument {
        diagnostics: diagnostics
            .iter()
            .map(|diagnostic| {
                let at = place(sources, diagnostic.location);
                JsonDiagnostic {
                    severity: diagnostic.severity().as_str(),
                    code: diagnostic.code.as_str(),
                    message: &diagnostic.message,
                    file: at.file,
                    line: at.start.line,
                    column: at.start.column,
                    end_line: at.end.line,
                    end_column: at.end.column,
                    help: diagnostic.help.as_deref(),
                    related: diagnostic
                        .related
                        .iter()
                        .map(|related| {
                            let at = place(sources, related.location);
                            JsonRelated {
                                file: at.file,
                                line: at.start.line,
                                column: at.start.column,
                                message: &related.message,
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
        errors: tally.errors,
        warnings: tally.warnings,
    };
    let mut text = escape::json(serde_json::to_string_pretty(&report).expect("a report always serialises"));
    text.push('\n');
    text
}
