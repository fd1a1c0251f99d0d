//! Between the protocol's places and the ledger's: a position in the
//! negotiated encoding and a byte offset, a span and a range, a URI and a
//! path. Every feature converts through here, so that the encoding is
//! decided once.
//!
//! Converting one offset counts from the start of its line, which is
//! linear in the line's length; a request that answers with many ranges
//! (every reference, every semantic token of a file whose whole ledger is one
//! line) converts them in order with a [`Walker`], so that the work stays
//! linear in the file however the text is laid out.

use std::path::{Component, Path, PathBuf};

use lsp_types::{PositionEncodingKind, Url};

use crate::position::{self, Encoding, LineColumn};
use crate::source::{SourceFile, Span};

/// The encoding the client and the server agreed on at `initialize`:
/// UTF-8 when the client offers it (no conversion of columns at all),
/// else UTF-16, which every client understands.
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
    let offers = |kind: &PositionEncodingKind| offered.is_some_and(|offered| offered.contains(kind));
    if offers(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// The protocol's name of an encoding.
pub fn encoding_kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

pub fn to_position(place: LineColumn) -> lsp_types::Position {
    lsp_types::Position {
        line: place.line,
        character: place.column,
    }
}

/// The position of byte `offset` of `file`.
pub fn position(file: &SourceFile, offset: usize, encoding: Encoding) -> lsp_types::Position {
    to_position(position::line_column(file, offset, encoding))
}

/// The range of `span` in `file`.
pub fn range(file: &SourceFile, span: Span, encoding: Encoding) -> lsp_types::Range {
    lsp_types::Range {
        start: position(file, span.start as usize, encoding),
        end: position(file, span.end as usize, encoding),
    }
}

/// The byte offset of a position the client sent: clamped to the file,
/// and to a character's start, whatever the client asks.
pub fn offset(file: &SourceFile, place: lsp_types::Position, encoding: Encoding) -> usize {
    position::offset(
        file,
        LineColumn {
            line: place.line,
            column: place.character,
        },
        encoding,
    )
}

/// The byte range of a range the client sent, its ends in order.
pub fn span(file: &SourceFile, range: lsp_types::Range, encoding: Encoding) -> Span {
    let start = offset(file, range.start, encoding);
    let end = offset(file, range.end, encoding);
    Span::new(start.min(end), start.max(end))
}

/// Converts offsets of one file given in increasing order, each from where
/// the last one was. An offset before the last is converted on its own.
pub struct Walker<'f> {
    file: &'f SourceFile,
    encoding: Encoding,
    /// Where the walk stands: a character boundary, its line and column.
    offset: usize,
    line: usize,
    column: u32,
}

impl<'f> Walker<'f> {
    pub fn new(file: &'f SourceFile, encoding: Encoding) -> Walker<'f> {
        Walker {
            file,
            encoding,
            offset: 0,
            line: 0,
            column: 0,
        }
    }

    pub fn position(&mut self, offset: usize) -> lsp_types::Position {
        let text = self.file.text();
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            return position(self.file, offset, self.encoding);
        }
        let line = self.file.line_index(offset);
        if line != self.line {
            self.line = line;
            self.offset = self.file.line_range(line).start;
            self.column = 0;
        }
        if self.line == 0 && self.offset == 0 && text.starts_with('\u{feff}') {
            // The byte-order mark is no column, as in `position`.
            if offset < 3 {
                return lsp_types::Position { line: 0, character: 0 };
            }
            self.offset = 3;
        }
        let bytes = text.as_bytes();
        for c in text[self.offset..offset].chars() {
            let before_newline = c == '\r' && bytes.get(self.offset + 1) == Some(&b'\n');
            if !before_newline {
                self.column += width(c, self.encoding);
            }
            self.offset += c.len_utf8();
        }
        lsp_types::Position {
            line: self.line as u32,
            character: self.column,
        }
    }

    pub fn range(&mut self, span: Span) -> lsp_types::Range {
        let start = self.position(span.start as usize);
        let end = self.position(span.end as usize);
        lsp_types::Range { start, end }
    }
}

fn width(c: char, encoding: Encoding) -> u32 {
    match encoding {
        Encoding::Utf8 => c.len_utf8() as u32,
        Encoding::Utf16 => c.len_utf16() as u32,
        Encoding::Utf32 => 1,
    }
}

/// How many columns `text` takes in `encoding`: the length of a token that
/// does not cross a line.
pub fn columns(text: &str, encoding: Encoding) -> u32 {
    match encoding {
        Encoding::Utf8 => text.len() as u32,
        Encoding::Utf16 => text.encode_utf16().count() as u32,
        Encoding::Utf32 => text.chars().count() as u32,
    }
}

/// The path of a `file:` URI, with `.` and `..` resolved by name: the
/// editor names a file by its path as written, and so does the server.
pub fn path_of(uri: &Url) -> Option<PathBuf> {
    if uri.scheme() != "file" {
        return None;
    }
    uri.to_file_path().ok().map(|path| lexical(&path))
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &Path) -> Option<Url> {
    Url::from_file_path(lexical(path)).ok()
}

/// `path` with `.` dropped and `name/..` cancelled, by name alone.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.track2", None, text.to_owned())
    }

    #[test]
    fn utf8_is_chosen_when_offered_else_utf16() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(negotiate(Some(&[PositionEncodingKind::UTF32])), Encoding::Utf16);
        assert_eq!(negotiate(None), Encoding::Utf16);
    }

    /// The walker agrees with the one-off conversion at every offset, in
    /// order, of text with a BOM, CRLF, Armenian, Azerbaijani and an emoji.
    #[test]
    fn the_walker_agrees_with_single_conversions() {
        let text = "\u{feff}party AM Հայաստան\r\nparty AZ Azərbaycan\n2025 AM -> AZ 🕊 talks\r\n\nx\r";
        let source = file(text);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let mut walker = Walker::new(&source, encoding);
            for offset in 0..=text.len() + 2 {
                let mut boundary = offset.min(text.len());
                while !text.is_char_boundary(boundary) {
                    boundary -= 1;
                }
                assert_eq!(
                    walker.position(offset),
                    position(&source, boundary, encoding),
                    "{encoding:?} at {offset}"
                );
            }
            // Backwards is converted on its own.
            assert_eq!(walker.position(5), position(&source, 5, encoding));
        }
    }

    #[test]
    fn lengths_are_counted_in_the_encoding() {
        assert_eq!(columns("Հայ🕊", Encoding::Utf8), 10);
        assert_eq!(columns("Հայ🕊", Encoding::Utf16), 5);
        assert_eq!(columns("Հայ🕊", Encoding::Utf32), 4);
    }

    #[test]
    fn paths_and_uris_round_trip_by_name() {
        let uri = Url::parse("file:///tmp/a/../ledgers/2025%20a.track2").unwrap();
        assert_eq!(path_of(&uri), Some(PathBuf::from("/tmp/ledgers/2025 a.track2")));
        assert_eq!(
            uri_of(Path::new("/tmp/x/./../ledgers/b.track2")).unwrap().as_str(),
            "file:///tmp/ledgers/b.track2"
        );
        assert_eq!(path_of(&Url::parse("untitled:Untitled-1").unwrap()), None);
    }
}
