//! Diagnostics for the editor: the analysis's own, converted (same codes,
//! spans, messages and hints as `track2 check`), and pushed per file with
//! `textDocument/publishDiagnostics`.
//!
//! A file can belong to several ledgers (a shared file of declarations
//! included by two), so what the editor is sent for a file is the union of
//! what each ledger found there; a ledger that stops finding anything in a
//! file, or is closed, clears its part, and a file left with nothing is
//! sent an empty list. A file is sent its diagnostics only when they, or the
//! version of the document they were found in, changed.

use std::collections::{BTreeMap, HashMap};

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, PublishDiagnosticsParams, Url,
};

use super::convert::{self, Walker};
use super::session::LedgerId;
use super::snapshot::LedgerSnapshot;
use crate::diagnostic::{Diagnostic, Severity};
use crate::position::Encoding;
use crate::source::FileId;

/// One file's diagnostics from one ledger, and the version of the document
/// they were found in (when it is open).
pub struct FileDiagnostics {
    pub version: Option<i32>,
    pub diagnostics: Vec<lsp_types::Diagnostic>,
}

/// Every file of the snapshot, each with its diagnostics, if any.
pub fn of_snapshot(snapshot: &LedgerSnapshot, encoding: Encoding) -> HashMap<Url, FileDiagnostics> {
    let mut found: HashMap<Url, FileDiagnostics> = HashMap::new();
    for (_, entry) in snapshot.files() {
        if let Some(uri) = &entry.uri {
            found.entry(uri.clone()).or_insert(FileDiagnostics {
                version: entry.version,
                diagnostics: Vec::new(),
            });
        }
    }
    let diagnostics = &snapshot.analysis().diagnostics;
    // In report order: file by file, each in order of position, which is
    // what the walker needs.
    let mut at = 0;
    while at < diagnostics.len() {
        let file = diagnostics[at].location.file;
        let end = at + diagnostics[at..].partition_point(|diagnostic| diagnostic.location.file == file);
        if let Some(uri) = snapshot.uri(file) {
            let mut walker = Walker::new(snapshot.source(file), encoding);
            let converted = diagnostics[at..end]
                .iter()
                .map(|diagnostic| to_lsp(snapshot, diagnostic, &mut walker, encoding));
            if let Some(entry) = found.get_mut(uri) {
                entry.diagnostics.extend(converted);
            }
        }
        at = end;
    }
    found
}

/// One diagnostic as the protocol has it; `walker` is over its file.
pub fn to_lsp(
    snapshot: &LedgerSnapshot,
    diagnostic: &Diagnostic,
    walker: &mut Walker<'_>,
    encoding: Encoding,
) -> lsp_types::Diagnostic {
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .filter_map(|related| {
            let uri = snapshot.uri(related.location.file)?;
            let file = snapshot.source(related.location.file);
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: uri.clone(),
                    range: convert::range(file, related.location.span, encoding),
                },
                message: related.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: walker.range(diagnostic.location.span),
        severity: Some(match diagnostic.severity() {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_owned())),
        code_description: None,
        source: Some("track2".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The diagnostics of `file` in the snapshot, converted: for code actions,
/// which name the diagnostics they fix.
pub fn of_file(
    snapshot: &LedgerSnapshot,
    file: FileId,
    encoding: Encoding,
) -> Vec<(&Diagnostic, lsp_types::Diagnostic)> {
    let mut walker = Walker::new(snapshot.source(file), encoding);
    snapshot
        .analysis()
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.location.file == file)
        .map(|diagnostic| (diagnostic, to_lsp(snapshot, diagnostic, &mut walker, encoding)))
        .collect()
}

/// What has been sent to the editor, per file, and what each ledger found.
#[derive(Default)]
pub struct Published {
    files: HashMap<Url, Sent>,
}

#[derive(Default)]
struct Sent {
    /// Each ledger's diagnostics in this file, by ledger.
    found: BTreeMap<LedgerId, Vec<lsp_types::Diagnostic>>,
    version: Option<i32>,
    /// What the editor was last sent, if anything.
    last: Option<(Option<i32>, Vec<lsp_types::Diagnostic>)>,
}

impl Published {
    /// Records what `ledger` now finds, file by file (every file it reads,
    /// with or without diagnostics), and returns what to send.
    pub fn update(&mut self, ledger: LedgerId, fresh: HashMap<Url, FileDiagnostics>) -> Vec<PublishDiagnosticsParams> {
        let mut touched: Vec<Url> = Vec::new();
        for (uri, sent) in &mut self.files {
            if !fresh.contains_key(uri) && sent.found.remove(&ledger).is_some() {
                touched.push(uri.clone());
            }
        }
        for (uri, file) in fresh {
            let sent = self.files.entry(uri.clone()).or_default();
            sent.found.insert(ledger, file.diagnostics);
            sent.version = file.version;
            touched.push(uri);
        }
        self.send(touched)
    }

    /// Forgets what `ledger` found: it is no longer open.
    pub fn forget(&mut self, ledger: LedgerId) -> Vec<PublishDiagnosticsParams> {
        let touched: Vec<Url> = self
            .files
            .iter_mut()
            .filter_map(|(uri, sent)| sent.found.remove(&ledger).map(|_| uri.clone()))
            .collect();
        self.send(touched)
    }

    fn send(&mut self, mut touched: Vec<Url>) -> Vec<PublishDiagnosticsParams> {
        touched.sort();
        touched.dedup();
        let mut out = Vec::new();
        for uri in touched {
            let Some(sent) = self.files.get_mut(&uri) else { continue };
            let mut union: Vec<lsp_types::Diagnostic> = Vec::new();
            for diagnostics in sent.found.values() {
                for diagnostic in diagnostics {
                    if !union.contains(diagnostic) {
                        union.push(diagnostic.clone());
                    }
                }
            }
            let next = (sent.version, union);
            if sent.last.as_ref() != Some(&next) {
                out.push(PublishDiagnosticsParams {
                    uri: uri.clone(),
                    diagnostics: next.1.clone(),
                    version: next.0,
                });
                sent.last = Some(next);
            }
            if sent.found.is_empty() {
                self.files.remove(&uri);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(message: &str) -> lsp_types::Diagnostic {
        lsp_types::Diagnostic {
            message: message.to_owned(),
            ..lsp_types::Diagnostic::default()
        }
    }

    fn fresh(entries: &[(&Url, &[&str])]) -> HashMap<Url, FileDiagnostics> {
        entries
            .iter()
            .map(|(uri, messages)| {
                (
                    (*uri).clone(),
                    FileDiagnostics {
                        version: None,
                        diagnostics: messages.iter().map(|message| diagnostic(message)).collect(),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_file_is_sent_the_union_of_its_ledgers_and_cleared_when_fixed() {
        let shared = Url::parse("file:///l/shared.track2").unwrap();
        let own = Url::parse("file:///l/a.track2").unwrap();
        let mut published = Published::default();
        let sent = published.update(LedgerId(1), fresh(&[(&shared, &["x"]), (&own, &[])]));
        assert_eq!(sent.len(), 2, "every file of the ledger is sent once");
        let sent = published.update(LedgerId(2), fresh(&[(&shared, &["x", "y"])]));
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].diagnostics, [diagnostic("x"), diagnostic("y")]);
        // Nothing changed: nothing is sent.
        assert!(
            published
                .update(LedgerId(1), fresh(&[(&shared, &["x"]), (&own, &[])]))
                .is_empty()
        );
        // Fixed in one ledger, still there in the other; then that one is
        // closed: cleared.
        assert!(
            published
                .update(LedgerId(1), fresh(&[(&shared, &[]), (&own, &[])]))
                .is_empty()
        );
        let sent = published.forget(LedgerId(2));
        assert_eq!(sent.len(), 1);
        assert!(sent[0].diagnostics.is_empty());
    }
}
