//! A document the editor has open: its text as the editor holds it, which
//! may differ from the disk, and the version the editor gave it. The
//! editor sends changes, not whole texts; they are applied here, their
//! ranges read in the negotiated encoding.

use std::path::PathBuf;

use lsp_types::{TextDocumentContentChangeEvent, Url};

use super::convert;
use crate::fs::FileSystem;
use crate::position::Encoding;
use crate::source::SourceFile;

pub struct OpenDocument {
    pub uri: Url,
    pub version: i32,
    /// The text, with its line index for converting positions.
    file: SourceFile,
    /// The file the document is, for a `file:` URI: as the editor names
    /// it, and with every link followed (how the loader will meet it).
    pub path: Option<PathBuf>,
    pub canonical: Option<PathBuf>,
}

impl OpenDocument {
    pub fn new(uri: Url, version: i32, text: String, fs: &dyn FileSystem) -> OpenDocument {
        let path = convert::path_of(&uri);
        // A file not yet saved has no canonical path on disk: it is known
        // by its name until it is.
        let canonical = path
            .as_ref()
            .map(|path| fs.canonicalize(path).unwrap_or_else(|_| path.clone()));
        OpenDocument {
            file: source(&uri, text),
            uri,
            version,
            path,
            canonical,
        }
    }

    pub fn text(&self) -> &str {
        self.file.text()
    }

    pub fn file(&self) -> &SourceFile {
        &self.file
    }

    /// Applies the editor's changes in order: a change with a range replaces
    /// that range (clamped to the text), one without replaces the whole.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32, encoding: Encoding) {
        for change in changes {
            let text = match change.range {
                None => change.text,
                Some(range) => {
                    let span = convert::span(&self.file, range, encoding);
                    let old = self.file.text();
                    let mut text = String::with_capacity(old.len() - span.len() + change.text.len());
                    text.push_str(&old[..span.start as usize]);
                    text.push_str(&change.text);
                    text.push_str(&old[span.end as usize..]);
                    text
                }
            };
            self.file = source(&self.uri, text);
        }
        self.version = version;
    }
}

/// The text as a source file. A text of 4 GiB or more cannot be held with
/// 32-bit spans; it is cut short rather than refused, so that the server
/// goes on (the loader reports such a file on disk as too large).
fn source(uri: &Url, mut text: String) -> SourceFile {
    let limit = crate::source::MAX_FILE_SIZE - 1;
    if text.len() > limit {
        let mut end = limit;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    SourceFile::new(uri.as_str(), None, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::Disk;
    use lsp_types::{Position, Range};

    fn change(start: (u32, u32), end: (u32, u32), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position::new(start.0, start.1),
                end: Position::new(end.0, end.1),
            }),
            range_length: None,
            text: text.to_owned(),
        }
    }

    fn document(text: &str) -> OpenDocument {
        let uri = Url::parse("file:///tmp/ledger/a.track2").unwrap();
        OpenDocument::new(uri, 1, text.to_owned(), &Disk)
    }

    #[test]
    fn changes_are_applied_in_the_negotiated_encoding() {
        // "Հ" is one UTF-16 unit and two bytes; "🕊" two units and four bytes.
        let mut utf16 = document("party AM Հայ 🕊 x\n");
        utf16.apply(vec![change((0, 16), (0, 17), "y")], 2, Encoding::Utf16);
        assert_eq!(utf16.text(), "party AM Հայ 🕊 y\n");
        assert_eq!(utf16.version, 2);
        let mut utf8 = document("party AM Հայ 🕊 x\n");
        utf8.apply(vec![change((0, 21), (0, 22), "y")], 2, Encoding::Utf8);
        assert_eq!(utf8.text(), "party AM Հայ 🕊 y\n");
    }

    #[test]
    fn several_changes_apply_one_after_another_and_past_the_end_is_clamped() {
        let mut doc = document("party AM Armenia\n");
        doc.apply(
            vec![
                change((0, 0), (0, 5), "org"),
                change((0, 16), (0, 99), " Republic"),
                change((9, 0), (9, 9), "party AZ Azərbaycan\n"),
            ],
            3,
            Encoding::Utf16,
        );
        assert_eq!(doc.text(), "org AM Armenia Republic\nparty AZ Azərbaycan\n");
        doc.apply(
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "whole".into(),
            }],
            4,
            Encoding::Utf16,
        );
        assert_eq!(doc.text(), "whole");
    }
}
