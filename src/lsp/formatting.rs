//! Formatting a document, or the part of it a range touches: the same
//! code as `track2 fmt` ([`crate::format`]), so the editor and the command
//! line never disagree. A document with a syntax error is not formatted
//! (no edits), as `track2 fmt` leaves such a file untouched.
//!
//! The answer is the changed lines only, not the whole text: the editor
//! keeps the cursor, folds and marks of every line that did not change.

use std::time::Duration;

use lsp_server::ResponseError;
use lsp_types::{DocumentFormattingParams, DocumentRangeFormattingParams, TextEdit};
use similar::{Algorithm, TextDiff};

use super::convert::{self, Walker};
use super::session::Session;
use super::text::line_at;
use crate::format;
use crate::parser;
use crate::position::Encoding;
use crate::source::{FileId, SourceFile, Span};

pub fn format_document(
    session: &Session,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, ResponseError> {
    let Some(context) = session.context(&params.text_document.uri) else {
        return Ok(None);
    };
    let file = context.document.file();
    Ok(format::format_text(file.text())
        .ok()
        .map(|formatted| edits(file, 0..file.text().len(), &formatted, context.encoding)))
}

/// Formats the blocks the range touches, and nothing else. They are
/// formatted as a text of their own: the canonical form of a run of whole
/// blocks does not depend on what is around it.
pub fn format_range(
    session: &Session,
    params: DocumentRangeFormattingParams,
) -> Result<Option<Vec<TextEdit>>, ResponseError> {
    let Some(context) = session.context(&params.text_document.uri) else {
        return Ok(None);
    };
    let file = context.document.file();
    let text = file.text();
    if format::format_text(text).is_err() {
        return Ok(None);
    }
    let wanted = convert::span(file, params.range, context.encoding);
    let Some(region) = touched_blocks(text, wanted) else {
        return Ok(Some(Vec::new()));
    };
    Ok(format::format_text(&text[region.clone()])
        .ok()
        .map(|formatted| edits(file, region, &formatted, context.encoding)))
}

/// The whole lines from the first block the span touches to the last.
fn touched_blocks(text: &str, wanted: Span) -> Option<std::ops::Range<usize>> {
    let (document, _) = parser::parse(FileId(0), text);
    let line_of = |offset: usize| line_at(text, offset);
    let (first, last) = (line_of(wanted.start as usize).start, line_of(wanted.end as usize).end);
    let mut region: Option<std::ops::Range<usize>> = None;
    for block in document.blocks() {
        let extent = block.extent(text);
        let lines = line_of(extent.start as usize).start..line_of(extent.end as usize).end;
        if lines.start <= last && first <= lines.end {
            let start = region.as_ref().map_or(lines.start, |region| region.start);
            region = Some(start..lines.end);
        }
    }
    // With its line ending: the formatter ends what it writes with one.
    region.map(|region| {
        let end = memchr::memchr(b'\n', &text.as_bytes()[region.end..])
            .map_or(text.len(), |newline| region.end + newline + 1);
        region.start..end
    })
}

/// Where each line of `text` starts, as the diff counts lines (each ends
/// after its `\n`), and the end of the text.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        memchr::memchr_iter(b'\n', text.as_bytes())
            .map(|newline| newline + 1)
            .filter(|&start| start < text.len()),
    );
    if !text.is_empty() {
        starts.push(text.len());
    }
    starts
}

/// The edits that turn the `region` of `file`'s text into `formatted`: one
/// per run of changed lines.
fn edits(file: &SourceFile, region: std::ops::Range<usize>, formatted: &str, encoding: Encoding) -> Vec<TextEdit> {
    let old = &file.text()[region.clone()];
    if old == formatted {
        return Vec::new();
    }
    // Bounded: past the deadline the diff is coarser, never wrong.
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(Duration::from_millis(500))
        .diff_lines(old, formatted);
    let old_starts = line_starts(old);
    let new_starts = line_starts(formatted);
    let at = |starts: &[usize], line: usize| starts[line.min(starts.len() - 1)];
    let mut walker = Walker::new(file, encoding);
    let mut out = Vec::new();
    for group in diff.grouped_ops(0) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let start = region.start + at(&old_starts, first.old_range().start);
        let end = region.start + at(&old_starts, last.old_range().end);
        let new_text =
            formatted[at(&new_starts, first.new_range().start)..at(&new_starts, last.new_range().end)].to_owned();
        out.push(TextEdit {
            range: lsp_types::Range {
                start: walker.position(start),
                end: walker.position(end),
            },
            new_text,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies edits given in order, from the last, as an editor would.
    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let file = SourceFile::new("t", None, text.to_owned());
        let mut out = text.to_owned();
        for edit in edits.iter().rev() {
            let span = convert::span(&file, edit.range, Encoding::Utf16);
            out.replace_range(span.range(), &edit.new_text);
        }
        out
    }

    #[test]
    fn only_changed_lines_are_edited_and_the_result_is_canonical() {
        let text =
            "party AM  Armenia\n\n\nparty AZ Azərbaycan\n2025-10-21 AZ->AM Talks 🕊\n  participants:a,b\n  format: f\n";
        let file = SourceFile::new("t", None, text.to_owned());
        let formatted = format::format_text(text).unwrap();
        let edits = edits(&file, 0..text.len(), &formatted, Encoding::Utf16);
        assert_eq!(apply(text, &edits), formatted);
        // Not one edit of the whole text: the canonical last line is kept.
        assert!(edits.len() >= 2, "{edits:?}");
        assert!(
            edits
                .iter()
                .all(|edit| !(edit.range.start.line..edit.range.end.line).contains(&6)),
            "{edits:?}"
        );
        // A range on the engagement changes nothing above it.
        let at = text.find("participants").unwrap();
        let region = touched_blocks(text, Span::new(at, at + 3)).unwrap();
        assert_eq!(
            &text[region.clone()],
            "2025-10-21 AZ->AM Talks 🕊\n  participants:a,b\n  format: f\n"
        );
        let formatted = format::format_text(&text[region.clone()]).unwrap();
        let applied = apply(text, &super::edits(&file, region, &formatted, Encoding::Utf16));
        assert_eq!(
            applied,
            "party AM  Armenia\n\n\nparty AZ Azərbaycan\n2025-10-21 AZ -> AM Talks 🕊\n  format: f\n  participants: a, b\n"
        );
    }

    #[test]
    fn line_starts_count_as_the_diff_does() {
        assert_eq!(line_starts(""), [0]);
        assert_eq!(line_starts("a\nb\n"), [0, 2, 4]);
        assert_eq!(line_starts("a\r\nb"), [0, 3, 4]);
    }
}
