//! `--format gitlab`: a GitLab Code Quality report, the JSON array of
//! issues a merge request shows beside its diff (a subset of the Code
//! Climate format). Errors are `major`, warnings `minor`; each issue has a
//! fingerprint that is unique in the report and stable between runs, which
//! GitLab needs to tell new problems from those already on the target
//! branch.

use serde::Serialize;

use super::{fingerprints, place, repository_path};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// The Code Quality report for `diagnostics`, pretty-printed, with a final
/// newline.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let issues: Vec<Issue> = diagnostics
        .iter()
        .zip(fingerprints(diagnostics, sources))
        .map(|(diagnostic, fingerprint)| {
            let at = place(sources, diagnostic.location);
            let description = match &diagnostic.help {
                Some(help) => format!("{} (help: {help})", diagnostic.message),
                None => diagnostic.message.clone(),
            };
            Issue {
                description,
                check_name: diagnostic.code.as_str(),
                fingerprint,
                severity: severity(diagnostic.severity()),
                location: IssueLocation {
                    path: repository_path(at.file),
                    lines: Lines { begin: at.start.line },
                },
            }
        })
        .collect();
    // Escaped as every JSON output is: read in a CI log, a bidirectional
    // override from the ledger would reorder the line it is on.
    let mut text = crate::escape::json(serde_json::to_string_pretty(&issues).expect("a report always serialises"));
    text.push('\n');
    text
}

/// Code Quality's scale is info, minor, major, critical, blocker. An error
/// makes the ledger invalid, which is major; nothing in a ledger is a
/// blocker or critical in the sense of a security flaw.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
    }
}
