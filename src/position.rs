//! Positions in a file as programs count them: a 0-based line and a column
//! in UTF-8 bytes, UTF-16 code units (what the Language Server Protocol
//! speaks unless told otherwise) or Unicode scalar values (what track2's own
//! outputs count, 1-based, in [`crate::source::Position`]).
//!
//! A byte-order mark is never a column, in any encoding: editors show the
//! text without it. Lines end at `\n`; a `\r` before it belongs to no column
//! a cursor can stand on, so a column past the end of a line's content is
//! clamped to it.

use crate::source::SourceFile;

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// How many columns `c` takes.
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// A 0-based line and column, the column counted in some [`Encoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    pub line: u32,
    pub column: u32,
}

const BOM: char = '\u{feff}';

/// The content of 0-based `line` (without its line ending, without a BOM),
/// and the byte offset where that content starts.
fn line_content(file: &SourceFile, line: usize) -> (usize, &str) {
    let range = file.line_range(line);
    let mut start = range.start;
    if line == 0 && file.text()[start..].starts_with(BOM) {
        start += BOM.len_utf8();
    }
    (start, &file.text()[start..range.end.max(start)])
}

/// The line and column of byte `offset` of `file`. An offset inside a
/// character counts as that character's start; past the end, the end.
pub fn line_column(file: &SourceFile, offset: usize, encoding: Encoding) -> LineColumn {
    let offset = offset.min(file.text().len());
    let line = file.line_index(offset);
    let (start, content) = line_content(file, line);
    let upto = offset.saturating_sub(start).min(content.len());
    let column = content
        .char_indices()
        .take_while(|&(at, c)| at + c.len_utf8() <= upto)
        .map(|(_, c)| encoding.width(c))
        .sum::<usize>();
    LineColumn {
        line: line as u32,
        column: column as u32,
    }
}

/// The byte offset of `position` in `file`. A line past the last is the
/// end of the file; a column past the end of its line is the line's end; a
/// column inside a character (half of a UTF-16 surrogate pair, a byte in the
/// middle of a UTF-8 sequence) is that character's start.
pub fn offset(file: &SourceFile, position: LineColumn, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= file.line_count() {
        return file.text().len();
    }
    let (start, content) = line_content(file, line);
    let mut column = 0;
    for (at, c) in content.char_indices() {
        let next = column + encoding.width(c);
        if next > position.column as usize {
            return start + at;
        }
        column = next;
    }
    start + content.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.track2", None, text.to_owned())
    }

    /// Every place a cursor can stand maps to a position and back.
    fn round_trip(text: &str, encoding: Encoding) {
        let file = file(text);
        let bom = if text.starts_with(BOM) { BOM.len_utf8() } else { 0 };
        for offset in (bom..=text.len()).filter(|&at| text.is_char_boundary(at)) {
            let inside_crlf = text[..offset].ends_with('\r') && text[offset..].starts_with('\n');
            if inside_crlf {
                continue;
            }
            let position = line_column(&file, offset, encoding);
            assert_eq!(
                super::offset(&file, position, encoding),
                offset,
                "{text:?} at {offset} ({position:?})"
            );
        }
    }

    #[test]
    fn armenian_and_azerbaijani_text() {
        // "Հայ" is three characters of two bytes (one UTF-16 unit) each.
        let file = file("party AM Հայաստան\nparty AZ Azərbaycan\n");
        let after_hay = 9 + 6;
        assert_eq!(
            line_column(&file, after_hay, Encoding::Utf8),
            LineColumn { line: 0, column: 15 }
        );
        assert_eq!(
            line_column(&file, after_hay, Encoding::Utf16),
            LineColumn { line: 0, column: 12 }
        );
        assert_eq!(
            line_column(&file, after_hay, Encoding::Utf32),
            LineColumn { line: 0, column: 12 }
        );
        // "ə" is two bytes, one unit.
        let text = file.text();
        let after_schwa = text.find("rbaycan").unwrap();
        assert_eq!(
            line_column(&file, after_schwa, Encoding::Utf16),
            LineColumn { line: 1, column: 12 }
        );
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            round_trip(text, encoding);
        }
    }

    #[test]
    fn an_emoji_outside_the_basic_plane_is_two_utf16_units() {
        let text = "2025 AM -> AZ Talks 🕊 here\n";
        let file = file(text);
        let after = text.find(" here").unwrap();
        assert_eq!(line_column(&file, after, Encoding::Utf16).column, 22);
        assert_eq!(line_column(&file, after, Encoding::Utf32).column, 21);
        assert_eq!(line_column(&file, after, Encoding::Utf8).column, 24);
        // The middle of the surrogate pair is the emoji's start.
        let dove = text.find('🕊').unwrap();
        assert_eq!(offset(&file, LineColumn { line: 0, column: 21 }, Encoding::Utf16), dove);
        round_trip(text, Encoding::Utf16);
    }

    #[test]
    fn crlf_and_a_bom_are_not_columns() {
        let text = "\u{feff}party AM A\r\nparty AZ B\r\n";
        let file = file(text);
        assert_eq!(
            line_column(&file, 3, Encoding::Utf16),
            LineColumn { line: 0, column: 0 }
        );
        assert_eq!(
            line_column(&file, 9, Encoding::Utf16),
            LineColumn { line: 0, column: 6 }
        );
        // Past the end of a line's content is its end, before the `\r`.
        assert_eq!(offset(&file, LineColumn { line: 0, column: 99 }, Encoding::Utf16), 13);
        assert_eq!(offset(&file, LineColumn { line: 1, column: 0 }, Encoding::Utf8), 15);
        assert_eq!(
            offset(&file, LineColumn { line: 9, column: 0 }, Encoding::Utf8),
            text.len()
        );
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            round_trip(text, encoding);
        }
    }
}
