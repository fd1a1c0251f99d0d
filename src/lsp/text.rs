//! Reading the text around a cursor when it does not parse yet: the line
//! it is on, the word under it, and the block a half-typed field line
//! belongs to. Completion works on text being typed, which is broken more
//! often than not; these never fail and never slice inside a character.

use std::ops::Range;

use crate::parser;
use crate::schema::BlockKind;
use crate::source::Span;
use crate::syntax::{BLANKS, DeclarationKind};

/// The byte range of the line holding `offset`, without its line ending.
pub fn line_at(text: &str, offset: usize) -> Range<usize> {
    let offset = floor(text, offset);
    let start = memchr::memrchr(b'\n', &text.as_bytes()[..offset]).map_or(0, |newline| newline + 1);
    let mut end = memchr::memchr(b'\n', &text.as_bytes()[offset..]).map_or(text.len(), |newline| offset + newline);
    if end > start && text.as_bytes()[end - 1] == b'\r' {
        end -= 1;
    }
    start..end.max(offset)
}

/// `offset` moved back to a character boundary, and into the text.
pub fn floor(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-')
}

/// The run of id characters (letters, digits, `.`, `_`, `-`) that the
/// cursor at `offset` is in or just after, within `line`; an empty span at
/// the cursor when there is none. As in an id, a `-` that starts `->` ends
/// the word.
pub fn word_at(text: &str, offset: usize, line: Range<usize>) -> Span {
    let bytes = text.as_bytes();
    let offset = floor(text, offset).clamp(line.start, line.end);
    let mut start = offset;
    while start > line.start && is_word_byte(bytes[start - 1]) && !is_arrow_dash(bytes, start - 1) {
        start -= 1;
    }
    let mut end = offset;
    while end < line.end && is_word_byte(bytes[end]) && !is_arrow_dash(bytes, end) {
        end += 1;
    }
    Span::new(start, end)
}

fn is_arrow_dash(bytes: &[u8], at: usize) -> bool {
    bytes[at] == b'-' && bytes.get(at + 1) == Some(&b'>')
}

/// The kind of block a header line starts, read from its first word.
pub fn block_kind(header: &str) -> Option<BlockKind> {
    let first = header.bytes().next()?;
    if first.is_ascii_digit() {
        return Some(BlockKind::Engagement);
    }
    let word = &header[..parser::id_length(header)];
    DeclarationKind::from_keyword(word).map(BlockKind::Declaration)
}

/// Whether a line starts a new top-level item: anything but a blank line,
/// a field line (indented) or a comment.
fn is_top_level(line: &str) -> bool {
    line.bytes()
        .next()
        .is_some_and(|byte| !matches!(byte, b' ' | b'\t' | b'#' | b'\r'))
}

/// The header line above the field line that starts at `line_start`, which
/// it belongs to (blank and comment lines in between do not end a block).
pub fn header_above(text: &str, line_start: usize) -> Option<Range<usize>> {
    let mut end = line_start;
    while end > 0 {
        let line = line_at(text, end - 1);
        if is_top_level(&text[line.clone()]) {
            return Some(line);
        }
        end = line.start;
    }
    None
}

/// The field lines of the block whose header line is `header`: each line's
/// range, up to the next top-level line.
pub fn field_lines(text: &str, header: &Range<usize>) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = header.end;
    while let Some(newline) = memchr::memchr(b'\n', &text.as_bytes()[start..]) {
        start += newline + 1;
        if start >= text.len() {
            break;
        }
        let line = line_at(text, start);
        let content = &text[line.clone()];
        if is_top_level(content) {
            break;
        }
        if content.trim_start_matches(BLANKS).starts_with('#') {
            continue;
        }
        if !content.trim_matches(BLANKS).is_empty() {
            lines.push(line.clone());
        }
        start = line.end;
    }
    lines
}

/// The key of a field line, if it has one followed by `:`.
pub fn key_of(line: &str) -> Option<&str> {
    let indented = line.trim_start_matches(BLANKS);
    let length = parser::id_length(indented);
    let rest = indented[length..].trim_start_matches(BLANKS);
    (length > 0 && rest.starts_with(':')).then(|| &indented[..length])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_words_around_a_cursor() {
        let text = "2025 AM->AZ Talks\r\n  participants: ani-a, b\n";
        assert_eq!(line_at(text, 3), 0..17);
        assert_eq!(&text[line_at(text, 30)], "  participants: ani-a, b");
        let header = line_at(text, 0);
        // `AM` stops before the arrow; at the cursor after it, it is the word.
        assert_eq!(word_at(text, 7, header.clone()), Span::new(5, 7));
        assert_eq!(word_at(text, 9, header.clone()), Span::new(9, 11));
        let field = line_at(text, 30);
        let at = text.find("ani").unwrap();
        assert_eq!(word_at(text, at + 2, field.clone()), Span::new(at, at + 5));
        // Nothing under a blank: an empty span at the cursor.
        let blank = text.find(", b").unwrap() + 1;
        assert_eq!(word_at(text, blank + 1, field), Span::new(blank + 1, blank + 2));
        // Never inside a character.
        assert_eq!(line_at("Հ\nx", 1), 0..2);
    }

    #[test]
    fn a_field_line_finds_its_header_across_comments_and_blanks() {
        let text = "party AM A\n\nperson p P\n  party: AM\n# note\n\n  or\n2025 AM -> AZ T\n";
        let at = text.find("  or").unwrap();
        let header = header_above(text, at).unwrap();
        assert_eq!(&text[header.clone()], "person p P");
        assert_eq!(
            block_kind(&text[header.clone()]),
            Some(BlockKind::Declaration(DeclarationKind::Person))
        );
        let keys: Vec<Option<&str>> = field_lines(text, &header)
            .into_iter()
            .map(|l| key_of(&text[l]))
            .collect();
        assert_eq!(keys, [Some("party"), None]);
        assert_eq!(block_kind("2025 AM -> AZ T"), Some(BlockKind::Engagement));
        assert_eq!(block_kind("include \"x\""), None);
        assert_eq!(header_above("  x: y\n", 0), None);
    }
}
