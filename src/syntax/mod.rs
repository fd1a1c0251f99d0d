//! The syntax tree of one file, as written: every token is a [`Span`] into the
//! file's text, so the tree owns no strings and any check can point at
//! exactly what it is about.
//!
//! The tree keeps comments and blank lines in order, which is what lets the
//! formatter rewrite a file without losing anything. What a field *means*
//! (a list, a date, a reference) is decided later, by the analyzer.

mod list;

pub use list::{CountItem, CountMarker, ListItem, count_item, list_items};

use smallvec::SmallVec;

use crate::date::DateSpec;
use crate::source::{FileId, Span};

/// What the grammar calls blanks (GRAMMAR.md §1): a space or a tab, nothing
/// else. Values are trimmed of these, and only of these.
pub const BLANKS: [char; 2] = [' ', '\t'];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LineEnding {
    #[default]
    Lf,
    CrLf,
}

impl LineEnding {
    /// The ending of the first line of `text` that has one; LF for a text
    /// without: what the parser finds, known before parsing.
    pub fn of(text: &str) -> LineEnding {
        let bytes = text.as_bytes();
        match memchr::memchr(b'\n', bytes) {
            Some(newline) if newline > 0 && bytes[newline - 1] == b'\r' => LineEnding::CrLf,
            _ => LineEnding::Lf,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Document {
    pub file: FileId,
    pub has_bom: bool,
    /// The ending of the first line that has one; LF for a file without.
    pub line_ending: LineEnding,
    pub items: Vec<Item>,
}

impl Document {
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.items.iter().filter_map(|item| match item {
            Item::Block(block) => Some(block),
            _ => None,
        })
    }

    pub fn includes(&self) -> impl Iterator<Item = &Include> {
        self.items.iter().filter_map(|item| match item {
            Item::Include(include) => Some(include),
            _ => None,
        })
    }
}

/// A top-level line or block, in file order.
#[derive(Clone, Debug)]
pub enum Item {
    /// One or more blank lines in a row.
    Blank,
    /// A comment line; the span runs from `#` to the last non-blank character.
    Comment(Span),
    Include(Include),
    Block(Block),
}

#[derive(Clone, Debug)]
pub struct Include {
    /// The whole directive, for diagnostics about the line.
    pub line: Span,
    /// The path between the quotes.
    pub path: Span,
    /// The path with its quotes.
    pub quoted: Span,
}

#[derive(Clone, Debug)]
pub struct Block {
    pub header: Header,
    /// The header line's content, without indentation or line ending.
    pub header_line: Span,
    pub lines: Vec<BlockLine>,
}

impl Block {
    /// The block from its header to the end of its last line, trailing
    /// blanks included: what an editor folds, and where a cursor is inside
    /// the block (a cursor after `sponsors: a, ` is still in it).
    pub fn extent(&self, text: &str) -> Span {
        let content = self.content_extent();
        let trailing = text[content.end as usize..]
            .bytes()
            .take_while(|byte| matches!(byte, b' ' | b'\t'))
            .count();
        Span {
            start: content.start,
            end: content.end + trailing as u32,
        }
    }

    /// The block from its header to the end of its last field or comment.
    fn content_extent(&self) -> Span {
        let end = self
            .lines
            .iter()
            .filter_map(|line| match line {
                BlockLine::Field(field) => Some(field.value.end.max(field.key.end)),
                BlockLine::Comment(span) => Some(span.end),
                BlockLine::Blank => None,
            })
            .max()
            .unwrap_or(0)
            .max(self.header_line.end);
        Span {
            start: self.header_line.start,
            end,
        }
    }

    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.lines.iter().filter_map(|line| match line {
            BlockLine::Field(field) => Some(field),
            _ => None,
        })
    }
}

#[derive(Clone, Debug)]
pub enum BlockLine {
    Field(Field),
    /// An indented or unindented comment inside the block.
    Comment(Span),
    /// One or more blank lines in a row inside the block.
    Blank,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub key: Span,
    /// The value trimmed of blanks; empty only after an `empty-value` error.
    pub value: Span,
}

#[derive(Clone, Debug)]
pub enum Header {
    Declaration(DeclarationHeader),
    Engagement(EngagementHeader),
    /// A header too broken to mean anything. Its field lines are kept, so
    /// that they are not reported a second time as lines outside a block.
    Invalid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeclarationKind {
    Party,
    Org,
    Person,
    Format,
    Series,
}

impl DeclarationKind {
    pub const ALL: [DeclarationKind; 5] = [
        DeclarationKind::Party,
        DeclarationKind::Org,
        DeclarationKind::Person,
        DeclarationKind::Format,
        DeclarationKind::Series,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            DeclarationKind::Party => "party",
            DeclarationKind::Org => "org",
            DeclarationKind::Person => "person",
            DeclarationKind::Format => "format",
            DeclarationKind::Series => "series",
        }
    }

    pub fn from_keyword(word: &str) -> Option<DeclarationKind> {
        DeclarationKind::ALL.into_iter().find(|kind| kind.keyword() == word)
    }
}

#[derive(Clone, Debug)]
pub struct DeclarationHeader {
    pub kind: DeclarationKind,
    pub keyword: Span,
    pub id: Span,
    /// Empty only after a `missing-name` error.
    pub name: Span,
}

#[derive(Clone, Debug)]
pub struct EngagementHeader {
    pub date: Span,
    /// `None` after an `invalid-date` error: the engagement is still read, so
    /// that its fields are checked too.
    pub date_value: Option<DateSpec>,
    /// Inline up to two parties: no allocation for the usual visit.
    pub origin: SmallVec<[Span; 2]>,
    pub destination: Host,
    /// Empty only after a `missing-title` error.
    pub title: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    Party(Span),
    Online(Span),
    /// `?`: the host is not known or not fixed yet.
    Unknown(Span),
}

impl Host {
    pub fn span(self) -> Span {
        match self {
            Host::Party(span) | Host::Online(span) | Host::Unknown(span) => span,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LineEnding;

    #[test]
    fn a_files_line_ending_is_its_first_lines() {
        assert_eq!(LineEnding::of("a\r\nb\n"), LineEnding::CrLf);
        assert_eq!(LineEnding::of("a\nb\r\n"), LineEnding::Lf);
        assert_eq!(LineEnding::of("\r\n"), LineEnding::CrLf);
        // A lone `\r` ends no line; a BOM is not one.
        assert_eq!(LineEnding::of("a\rb\n"), LineEnding::Lf);
        assert_eq!(LineEnding::of("\u{feff}\n"), LineEnding::Lf);
        assert_eq!(LineEnding::of("no newline"), LineEnding::Lf);
        assert_eq!(LineEnding::of(""), LineEnding::Lf);
    }
}
