//! Source files, byte spans into them, and the line index that turns a byte
//! offset into the line and column a person sees.
//!
//! Spans stay byte ranges everywhere; lines and columns are computed only when
//! something is reported, from an index built once per file.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// A half-open byte range in one file's text. Offsets are `u32` to keep the
/// syntax tree small; the loader refuses files of 4 GiB or more.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The span stored as two words, `start` and `end`.
    pub(crate) fn from_words(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// Whether `offset` lies within the span, its end included: a cursor
    /// just after a token is still on it.
    pub fn touches(self, offset: usize) -> bool {
        self.start as usize <= offset && offset <= self.end as usize
    }

    /// An empty span at `offset`, for pointing at where something is missing.
    pub fn point(offset: usize) -> Span {
        Span::new(offset, offset)
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// Which file of a [`SourceMap`] something lives in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A place in the ledger: a span in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub file: FileId,
    pub span: Span,
}

/// A 1-based line and column; the column counts Unicode scalar values and
/// never counts the byte-order mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

const BOM: &str = "\u{feff}";

/// The largest file whose offsets fit a [`Span`].
pub const MAX_FILE_SIZE: usize = u32::MAX as usize;

pub struct SourceFile {
    /// The path as the user should see it: as given on the command line, or
    /// joined to the including file's directory.
    name: String,
    /// Where the file was read from, when it was read from disk.
    path: Option<PathBuf>,
    /// Owned, never mapped: a `&str` over a map of a file that another
    /// program truncates or rewrites would be undefined behaviour (a bus
    /// error, or text that is no longer UTF-8). BENCHMARKS.md has the cost.
    text: String,
    /// Byte offset of the start of every line; the first is always 0. Built
    /// on first use: a valid ledger never needs it.
    line_starts: std::sync::OnceLock<Vec<u32>>,
    /// How many characters precede every [`CHECKPOINT_EVERY`]th byte, so that
    /// the column of an offset far into a very long line is found without
    /// counting from the line's start every time. Built on first use, and
    /// only for such a line.
    char_checkpoints: std::sync::OnceLock<Vec<u32>>,
}

/// Columns further than this many bytes into a line are counted from the
/// nearest checkpoint: thousands of diagnostics on one line of hundreds of
/// megabytes would otherwise count the same characters thousands of times.
const CHECKPOINT_EVERY: usize = 4096;

impl SourceFile {
    /// `text` must be shorter than [`MAX_FILE_SIZE`].
    pub fn new(name: impl Into<String>, path: Option<PathBuf>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        assert!(text.len() < MAX_FILE_SIZE, "source text exceeds 4 GiB");
        SourceFile {
            name: name.into(),
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
            char_checkpoints: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text().as_bytes()).map(|newline| newline as u32 + 1))
                .collect()
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn slice(&self, span: Span) -> &str {
        &self.text()[span.range()]
    }

    pub fn has_bom(&self) -> bool {
        self.text().starts_with(BOM)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// The 0-based line holding `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts()
            .partition_point(|&start| start as usize <= offset)
            .saturating_sub(1)
    }

    /// The byte range of 0-based `line`, without its line ending.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let text = self.text();
        let line_starts = self.line_starts();
        let start = line_starts[line] as usize;
        let mut end = line_starts.get(line + 1).map_or(text.len(), |&next| next as usize - 1);
        if end > start && text.as_bytes()[end - 1] == b'\r' && end < text.len() {
            end -= 1;
        }
        start..end
    }

    /// The line and column of a byte offset. Offsets inside a multi-byte
    /// character count as that character.
    pub fn position(&self, offset: usize) -> Position {
        let text = self.text();
        let offset = offset.min(text.len());
        let line = self.line_index(offset);
        let line_start = self.line_starts()[line] as usize;
        let mut column = self.chars_between(line_start, offset) + 1;
        if line == 0 && self.has_bom() && offset >= BOM.len() {
            column -= 1;
        }
        Position { line: line + 1, column }
    }

    /// How many characters the bytes `start..end` hold.
    fn chars_between(&self, start: usize, end: usize) -> usize {
        if end - start <= CHECKPOINT_EVERY {
            return count_chars(&self.text.as_bytes()[start..end]);
        }
        self.chars_before(end) - self.chars_before(start)
    }

    fn chars_before(&self, offset: usize) -> usize {
        let checkpoints = self.char_checkpoints.get_or_init(|| {
            let mut before = 0;
            let mut checkpoints = vec![0];
            for chunk in self.text.as_bytes().chunks(CHECKPOINT_EVERY) {
                before += count_chars(chunk) as u32;
                checkpoints.push(before);
            }
            checkpoints
        });
        let checkpoint = offset / CHECKPOINT_EVERY;
        checkpoints[checkpoint] as usize + count_chars(&self.text.as_bytes()[checkpoint * CHECKPOINT_EVERY..offset])
    }
}

fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| !is_utf8_continuation(byte)).count()
}

fn is_utf8_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

/// Every file of one ledger, in the order they were read.
#[derive(Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl std::fmt::Debug for SourceMap {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_list()
            .entries(self.files.iter().map(SourceFile::name))
            .finish()
    }
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The text of file `id`, the map given up for it: a large file's text
    /// is moved out, not copied.
    pub fn into_text(mut self, id: FileId) -> String {
        std::mem::take(&mut self.files[id.0 as usize].text)
    }

    pub fn slice(&self, location: Location) -> &str {
        self.get(location.file).slice(location.span)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(index, file)| (FileId(index as u32), file))
    }
}

/// A maximal run of bytes that are not UTF-8, found while decoding.
#[derive(Debug, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Where the run starts in the original bytes.
    pub byte_offset: usize,
    /// How many bytes the run has.
    pub byte_len: usize,
    /// Where its replacement character (U+FFFD) stands in the decoded text.
    pub decoded_offset: usize,
}

/// Decodes bytes as UTF-8, replacing each invalid run by U+FFFD so that
/// checking can go on past it. Valid input is taken over without a copy.
pub fn decode_utf8(bytes: Vec<u8>) -> (String, Vec<InvalidUtf8>) {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return (text, Vec::new()),
        Err(error) => error.into_bytes(),
    };
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut invalid = Vec::new();
    let mut byte_offset = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        byte_offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            invalid.push(InvalidUtf8 {
                byte_offset,
                byte_len: chunk.invalid().len(),
                decoded_offset: text.len(),
            });
            text.push(char::REPLACEMENT_CHARACTER);
            byte_offset += chunk.invalid().len();
        }
    }
    (text, invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("test.track2", None, text.to_owned())
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let source = file("ab\nՀայ x\n");
        assert_eq!(source.position(0), Position { line: 1, column: 1 });
        assert_eq!(source.position(3), Position { line: 2, column: 1 });
        // "Հայ" is three characters of two bytes each.
        assert_eq!(source.position(3 + 6 + 1), Position { line: 2, column: 5 });
    }

    #[test]
    fn the_bom_is_not_a_column() {
        let source = file("\u{feff}party AM Armenia\n");
        assert_eq!(source.position(3), Position { line: 1, column: 1 });
        assert_eq!(source.position(9), Position { line: 1, column: 7 });
    }

    #[test]
    fn line_ranges_exclude_crlf() {
        let source = file("a\r\nbc\r\n\r");
        assert_eq!(source.line_range(0), 0..1);
        assert_eq!(source.line_range(1), 3..5);
        // A lone `\r` at the very end is content, not a line ending.
        assert_eq!(source.line_range(2), 7..8);
    }

    #[test]
    fn position_at_end_of_file() {
        let source = file("ab\n");
        assert_eq!(source.position(3), Position { line: 2, column: 1 });
        assert_eq!(source.position(99), Position { line: 2, column: 1 });
    }

    #[test]
    fn columns_far_into_a_long_line_count_from_checkpoints() {
        // A line of 10,000 two-byte characters and a few more ASCII ones,
        // after a short line: the count must agree with a plain one.
        let text = format!("ab\n{}xyz", "ə".repeat(10_000));
        let source = file(&text);
        for offset in [3, 4097, 8193, 3 + 20_000, 3 + 20_002, text.len()] {
            let plain = text[3..offset].chars().count() + 1;
            assert_eq!(
                source.position(offset),
                Position { line: 2, column: plain },
                "at {offset}"
            );
        }
    }

    #[test]
    fn decoding_replaces_each_invalid_run_once() {
        let (text, invalid) = decode_utf8(b"a\xff\xfeb\xc3".to_vec());
        assert_eq!(text, "a\u{fffd}\u{fffd}b\u{fffd}");
        assert_eq!(invalid.len(), 3);
        assert_eq!(invalid[0].byte_offset, 1);
        assert_eq!(invalid[1].decoded_offset, 4);
        assert_eq!(invalid[2].byte_offset, 4);
    }

    #[test]
    fn valid_utf8_decodes_without_reports() {
        let (text, invalid) = decode_utf8("Azərbaycan".as_bytes().to_vec());
        assert_eq!(text, "Azərbaycan");
        assert!(invalid.is_empty());
    }
}
