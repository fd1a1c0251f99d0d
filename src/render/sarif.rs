//! `--format sarif`: SARIF 2.1.0, the format GitHub code scanning and other
//! review tools import. One run; the driver lists every code as a rule,
//! described from GRAMMAR.md §5.4 ([`super::rules`]); each result points
//! at its file relative to the repository's root, with columns counted in
//! Unicode code points as everywhere else in track2.

use serde_json::{Value, json};

use super::rules::{self, DOCUMENTATION_URL};
use super::{fingerprints, place, repository_path};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::{Location, SourceMap};

/// The schema the document declares, where editors and validators find it.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base that relative paths are resolved against: by convention, the
/// root of the repository being analysed.
const SOURCE_ROOT: &str = "%SRCROOT%";

/// The key of the fingerprint track2 computes; versioned, so that a change
/// in how it is computed can take a new key instead of breaking history.
const FINGERPRINT_KEY: &str = "track2/v1";

/// The SARIF log for `diagnostics`, pretty-printed, with a final newline.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let fingerprints = fingerprints(diagnostics, sources);
    let results: Vec<Value> = diagnostics
        .iter()
        .zip(fingerprints)
        .map(|(diagnostic, fingerprint)| result(diagnostic, sources, &fingerprint))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "track2",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_HOMEPAGE"),
                    "rules": rules::rules().iter().map(rule).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    // Escaped as every JSON output is: read in a CI log, a bidirectional
    // override from the ledger would reorder the line it is on.
    let mut text = crate::escape::json(serde_json::to_string_pretty(&log).expect("a SARIF log always serialises"));
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rule(rule: &rules::Rule) -> Value {
    let summary = sentence(&rule.summary);
    let description = sentence(&rule.description);
    let mut help = description.clone();
    if let Some(points_at) = &rule.points_at {
        help.push_str(&format!("\n\nThe diagnostic points at {points_at}."));
    }
    json!({
        "id": rule.code.as_str(),
        "shortDescription": { "text": rules::plain(&summary) },
        "fullDescription": {
            "text": rules::plain(&description),
            "markdown": description,
        },
        "help": {
            "text": format!("{}\n\nSee GRAMMAR.md §5.4: {DOCUMENTATION_URL}", rules::plain(&help)),
            "markdown": format!("{help}\n\nSee [GRAMMAR.md §5.4]({DOCUMENTATION_URL})."),
        },
        "helpUri": DOCUMENTATION_URL,
        "defaultConfiguration": { "level": level(rule.code.severity()) },
    })
}

/// The specification's lower-case fragment ("a key not allowed in the
/// block") as a sentence, for a tool that shows it on its own.
fn sentence(fragment: &str) -> String {
    let mut characters = fragment.chars();
    let mut out: String = match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

fn result(diagnostic: &Diagnostic, sources: &SourceMap, fingerprint: &str) -> Value {
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<Value> = diagnostic
        .related
        .iter()
        .enumerate()
        .map(|(index, related)| {
            let mut location = physical_location(sources, related.location);
            location["id"] = json!(index);
            location["message"] = json!({ "text": related.message });
            location
        })
        .collect();
    let mut result = json!({
        "ruleId": diagnostic.code.as_str(),
        "ruleIndex": rule_index(diagnostic.code),
        "level": level(diagnostic.severity()),
        "message": { "text": message },
        "locations": [physical_location(sources, diagnostic.location)],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
    });
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    result
}

/// The code's place in `tool.driver.rules`, which lists [`Code::ALL`].
fn rule_index(code: Code) -> usize {
    Code::ALL
        .iter()
        .position(|&other| other == code)
        .expect("every code is in Code::ALL")
}

/// `{"physicalLocation": …}` for a location: the file as a URI reference
/// and the region, with an exclusive end column as SARIF defines it.
fn physical_location(sources: &SourceMap, location: Location) -> Value {
    let at = place(sources, location);
    json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(at.file),
            "region": {
                "startLine": at.start.line,
                "startColumn": at.start.column,
                "endLine": at.end.line,
                "endColumn": at.end.column,
            }
        }
    })
}

/// A relative file name becomes a relative URI against the source root; an
/// absolute one a `file:` URI. Both are percent-encoded, since a name may
/// hold spaces, `%`, `#` or letters outside ASCII.
fn artifact_location(file: &str) -> Value {
    let path = repository_path(file);
    if path.starts_with('/') || std::path::Path::new(file).is_absolute() {
        let rooted = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        json!({ "uri": format!("file://{}", encode_path(&rooted, true)) })
    } else {
        json!({ "uri": encode_path(&path, false), "uriBaseId": SOURCE_ROOT })
    }
}

/// Percent-encodes a path for a URI, keeping `/` and the characters a path
/// segment may hold as they are. A `:` is encoded in a relative reference,
/// where it would read as a scheme, and kept in a `file:` URI's drive letter.
fn encode_path(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'/' | b'-' | b'.' | b'_' | b'~' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')'
            )
            || matches!(byte, b'*' | b'+' | b',' | b';' | b'=' | b'@')
            || (keep_colon && byte == b':');
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            artifact_location("./ledgers/2025.track2"),
            json!({"uri": "ledgers/2025.track2", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("ledgers/a b%#.track2"),
            json!({"uri": "ledgers/a%20b%25%23.track2", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("ledgers/Երևան:1.track2")["uri"],
            "ledgers/%D4%B5%D6%80%D6%87%D5%A1%D5%B6%3A1.track2"
        );
        assert_eq!(
            artifact_location("/srv/l.track2"),
            json!({"uri": "file:///srv/l.track2"})
        );
    }

    #[test]
    fn rule_indices_follow_the_rule_list() {
        for (index, &code) in Code::ALL.iter().enumerate() {
            assert_eq!(rule_index(code), index);
        }
    }
}
