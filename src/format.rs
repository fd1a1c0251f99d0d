//! The canonical form of a `.track2` file (GRAMMAR.md §8), behind
//! `track2 fmt`: text in, text out. It knows nothing of files or terminals.
//!
//! The formatter works on the lossless syntax tree, so it rebuilds each line
//! from its tokens and copies every comment, name, title and text value byte
//! for byte. It only ever changes blanks, line endings, blank lines and the
//! order of the fields in a block (each moving with the comments above it):
//! nothing that the parser reads as meaning.

pub mod diff;

use crate::diagnostic::Diagnostic;
use crate::parser::{self, Sink};
use crate::schema::{self, BlockKind, ValueKind};
use crate::source::{FileId, Span};
use crate::syntax::{self, BLANKS, Block, BlockLine, Field, Header, LineEnding, ListItem};

/// The indent of field lines and of comments inside a block.
const INDENT: &str = "  ";

/// The canonical form of `text`, or the parser's diagnostics when it has any.
///
/// A file with a syntax error is never formatted: what the parser could not
/// read, the formatter cannot promise to keep. Semantic errors (an undeclared
/// id, an unknown field) do not stop it, because one file of a ledger may
/// rightly refer to ids declared in another.
///
/// Each item is formatted as the parser completes it, so that no syntax
/// tree of the file is held: the text and its canonical form are all the
/// memory it takes.
pub fn format_text(text: &str) -> Result<String, Vec<Diagnostic>> {
    format_streaming(text, String::with_capacity(text.len() + text.len() / 8 + 8))
}

/// Whether `text` is already in canonical form (or the parser's
/// diagnostics): [`format_text`] compared with `text` as it goes, without
/// keeping the canonical form, for `fmt --check`.
pub fn is_formatted(text: &str) -> Result<bool, Vec<Diagnostic>> {
    let comparison = format_streaming(
        text,
        Comparison {
            original: text,
            matched: 0,
            differs: false,
        },
    )?;
    Ok(!comparison.differs && comparison.matched == text.len())
}

fn format_streaming<O: Output>(text: &str, out: O) -> Result<O, Vec<Diagnostic>> {
    let mut formatter = Formatter::new(text, LineEnding::of(text), out);
    let mut diagnostics = Vec::new();
    parser::parse_into(FileId(0), text, 0..text.len(), &mut formatter, &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(formatter.writer.out)
}

/// The top-level items of a file, in order, made canonical as the parser
/// hands them over.
struct Formatter<'t, O> {
    writer: Writer<'t, O>,
    previous: Option<TopLevel>,
    blank_before: bool,
}

impl<'t, O: Output> Formatter<'t, O> {
    fn new(text: &'t str, ending: LineEnding, mut out: O) -> Formatter<'t, O> {
        if text.starts_with('\u{feff}') {
            out.push_str("\u{feff}");
        }
        Formatter {
            writer: Writer {
                text,
                ending: ending.as_str(),
                out,
                list: String::new(),
            },
            previous: None,
            blank_before: false,
        }
    }

    /// The blank line, if any, before an item of kind `next`.
    fn begin(&mut self, next: TopLevel) {
        if self
            .previous
            .is_some_and(|previous| blank_line_between(previous, next, self.blank_before))
        {
            self.writer.end_line();
        }
        self.previous = Some(next);
        self.blank_before = false;
    }
}

impl<O: Output> Sink for Formatter<'_, O> {
    fn block(&mut self, block: &Block) {
        self.begin(TopLevel::Block);
        self.writer.block(block);
    }

    fn include(&mut self, include: &syntax::Include) {
        self.begin(TopLevel::Include);
        self.writer.push("include ");
        self.writer.push_span(include.quoted);
        self.writer.end_line();
    }

    fn comment(&mut self, span: Span) {
        // An indented comment right under a block is the block's own last
        // line (a note, a field commented out), though the parser leaves it
        // at top level because no field follows it.
        if self.previous == Some(TopLevel::Block) && !self.blank_before && is_indented(self.writer.text, span) {
            self.writer.comment(INDENT, span);
            return;
        }
        self.begin(TopLevel::Comment);
        self.writer.comment("", span);
    }

    fn blank(&mut self) {
        self.blank_before = true;
    }
}

/// Where formatted text goes: kept, or only compared with the input.
trait Output {
    fn push_str(&mut self, part: &str);
}

impl Output for String {
    fn push_str(&mut self, part: &str) {
        String::push_str(self, part);
    }
}

/// Formatted text checked against `original` as it is made; nothing kept.
struct Comparison<'t> {
    original: &'t str,
    /// How much of `original` the formatted text has matched so far.
    matched: usize,
    differs: bool,
}

impl Output for Comparison<'_> {
    fn push_str(&mut self, part: &str) {
        if self.differs {
            return;
        }
        if self.original.as_bytes()[self.matched..].starts_with(part.as_bytes()) {
            self.matched += part.len();
        } else {
            self.differs = true;
        }
    }
}

/// What a top-level line is part of, for the blank lines between them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TopLevel {
    Comment,
    Include,
    Block,
}

/// Whether one blank line separates two top-level items, given whether the
/// input had at least one there. Blocks always stand apart, except from the
/// comment lines directly above them; comments and includes keep one blank
/// line where the author left any.
fn blank_line_between(previous: TopLevel, next: TopLevel, blank_in_input: bool) -> bool {
    match (previous, next) {
        (TopLevel::Block, _) => true,
        (TopLevel::Comment, TopLevel::Block) => blank_in_input,
        (TopLevel::Include, TopLevel::Block) => true,
        (TopLevel::Comment | TopLevel::Include, TopLevel::Comment | TopLevel::Include) => blank_in_input,
    }
}

/// Whether the comment at `span` stood after blanks on its line. A comment
/// span starts at its `#`, so anything just before it on the line is a blank.
fn is_indented(text: &str, span: Span) -> bool {
    text[..span.start as usize].ends_with(BLANKS)
}

/// Where a field goes in its block: the schema's fields in the schema's
/// order, then keys the schema does not know (an `unknown-field` error, kept
/// rather than dropped), then custom `x-…` keys. The sort is stable, so
/// fields with one rank keep their order.
fn rank(kind: Option<BlockKind>, key: &str) -> (u8, usize) {
    let Some(kind) = kind else {
        return (0, 0);
    };
    match schema::field_slot(kind, key) {
        Some(slot) => (0, slot),
        None if schema::is_custom_key(key) => (2, 0),
        None => (1, 0),
    }
}

fn block_kind(header: &Header) -> Option<BlockKind> {
    match header {
        Header::Declaration(header) => Some(BlockKind::Declaration(header.kind)),
        Header::Engagement(_) => Some(BlockKind::Engagement),
        Header::Invalid => None,
    }
}

/// Whether the field `key` of a `kind` block holds a comma-separated list.
fn is_list(kind: Option<BlockKind>, key: &str) -> bool {
    let Some(kind) = kind else {
        return false;
    };
    schema::field_slot(kind, key).is_some_and(|slot| {
        matches!(
            schema::fields(kind)[slot].value,
            ValueKind::IdList | ValueKind::Participants
        )
    })
}

/// A field with the comment lines directly above it, which move with it.
struct FieldWithComments<'d> {
    rank: (u8, usize),
    /// The block lines from the first of its comments up to the field.
    comments: &'d [BlockLine],
    field: &'d Field,
}

struct Writer<'t, O> {
    text: &'t str,
    ending: &'static str,
    out: O,
    /// A list value being made canonical, reused from field to field.
    list: String,
}

impl<O: Output> Writer<'_, O> {
    fn push(&mut self, part: &str) {
        self.out.push_str(part);
    }

    fn push_span(&mut self, span: Span) {
        self.out.push_str(&self.text[span.range()]);
    }

    fn end_line(&mut self) {
        self.out.push_str(self.ending);
    }

    /// A comment line: its text from `#` to its last non-blank character is
    /// never changed, only its indent.
    fn comment(&mut self, indent: &str, span: Span) {
        self.push(indent);
        self.push_span(span);
        self.end_line();
    }

    fn block(&mut self, block: &Block) {
        self.header(block);
        let kind = block_kind(&block.header);
        let mut entries = Vec::new();
        let mut first_comment = 0;
        for (index, line) in block.lines.iter().enumerate() {
            if let BlockLine::Field(field) = line {
                entries.push(FieldWithComments {
                    rank: rank(kind, &self.text[field.key.range()]),
                    comments: &block.lines[first_comment..index],
                    field,
                });
                first_comment = index + 1;
            }
        }
        entries.sort_by_key(|entry| entry.rank);
        for entry in &entries {
            self.block_comments(entry.comments);
            self.field(kind, entry.field);
        }
        // Comments with no field after them follow only a broken field line,
        // which the parser reports; keep them all the same.
        self.block_comments(&block.lines[first_comment..]);
    }

    /// The comments among `lines`; blank lines inside a block are dropped.
    fn block_comments(&mut self, lines: &[BlockLine]) {
        for line in lines {
            if let BlockLine::Comment(span) = line {
                self.comment(INDENT, *span);
            }
        }
    }

    /// A header rebuilt from its parts, one space between them.
    fn header(&mut self, block: &Block) {
        match &block.header {
            Header::Declaration(header) => {
                self.push(header.kind.keyword());
                self.push(" ");
                self.push_span(header.id);
                if !header.name.is_empty() {
                    self.push(" ");
                    self.push_span(header.name);
                }
            }
            Header::Engagement(header) => {
                self.push_span(header.date);
                self.push(" ");
                for (index, &party) in header.origin.iter().enumerate() {
                    if index > 0 {
                        self.push(" + ");
                    }
                    self.push_span(party);
                }
                self.push(" -> ");
                self.push_span(header.destination.span());
                if !header.title.is_empty() {
                    self.push(" ");
                    self.push_span(header.title);
                }
            }
            Header::Invalid => self.push_span(block.header_line),
        }
        self.end_line();
    }

    fn field(&mut self, kind: Option<BlockKind>, field: &Field) {
        let key = &self.text[field.key.range()];
        let value = &self.text[field.value.range()];
        self.push(INDENT);
        self.push(key);
        self.push(":");
        if !value.is_empty() {
            self.push(" ");
            if is_list(kind, key) {
                self.list(value);
            } else {
                self.push(value);
            }
        }
        self.end_line();
    }

    /// `a, b, c`: each item trimmed, one space after each comma. Items are
    /// never reordered; an empty item (an error the analyzer reports) stays
    /// an empty item.
    fn list(&mut self, value: &str) {
        let mut list = std::mem::take(&mut self.list);
        list.clear();
        for (index, item) in syntax::list_items(value, Span::default()).enumerate() {
            if index > 0 {
                list.push_str(", ");
            }
            match item {
                ListItem::Empty(_) => {}
                ListItem::Item(item, span) => match syntax::count_item(item, span) {
                    Some(count) => list.push_str(&count.canonical()),
                    None => list.push_str(item),
                },
            }
        }
        // After a trailing comma the space would end the line.
        self.push(list.trim_end_matches(' '));
        self.list = list;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(text: &str) -> String {
        format_text(text).unwrap_or_else(|diagnostics| panic!("{text:?} does not parse: {diagnostics:?}"))
    }

    #[test]
    fn headers_are_rebuilt_with_single_spaces() {
        assert_eq!(format("party AM    Armenia\n"), "party AM Armenia\n");
        assert_eq!(
            format("person\tx \t Name  with  inner   blanks \n"),
            "person x Name  with  inner   blanks\n"
        );
        assert_eq!(
            format("2025-10 AM+AZ->NL Talks  in The Hague #3\n  format: f\n"),
            "2025-10 AM + AZ -> NL Talks  in The Hague #3\n  format: f\n"
        );
        assert_eq!(format("2025   AM ->online   Call\n"), "2025 AM -> online Call\n");
    }

    #[test]
    fn fields_take_the_canonical_indent_and_one_space_after_the_colon() {
        assert_eq!(
            format("party AM Armenia\n\t wikidata \t:Q399  \n"),
            "party AM Armenia\n  wikidata: Q399\n"
        );
        // Free text keeps its inner blanks.
        assert_eq!(
            format("person x X\n  role:   Deputy \t Director \n"),
            "person x X\n  role: Deputy \t Director\n"
        );
    }

    #[test]
    fn fields_follow_the_schema_order_then_unknown_keys_then_custom_keys() {
        let text = "2025 AM -> AZ T\n  x-b: 1\n  note: n1\n  bogus: ?\n  x-a: 2\n  format: f\n  note: n2\n  id: e\n";
        assert_eq!(
            format(text),
            "2025 AM -> AZ T\n  id: e\n  format: f\n  note: n1\n  note: n2\n  bogus: ?\n  x-b: 1\n  x-a: 2\n"
        );
    }

    #[test]
    fn comments_move_with_the_field_below_them() {
        let text = "person x X\n  # about the role\n  role: R\n# about the party\n\n  party: AM\n";
        assert_eq!(
            format(text),
            "person x X\n  # about the party\n  party: AM\n  # about the role\n  role: R\n"
        );
    }

    #[test]
    fn lists_and_counts() {
        let text = "2025 AM -> AZ T\n  participants: a ,b,\t+3 \t AM,+2AM , +0 AM\n  tags:x,y\n  note: a ,b\n";
        assert_eq!(
            format(text),
            "2025 AM -> AZ T\n  participants: a, b, +3 AM, +2AM, +0 AM\n  note: a ,b\n  tags: x, y\n"
        );
        // Empty items are errors for the analyzer, but never lost.
        assert_eq!(
            format("2025 AM -> AZ T\n  tags: a,,b,\n"),
            "2025 AM -> AZ T\n  tags: a, , b,\n"
        );
        assert_eq!(format("2025 AM -> AZ T\n  tags: ,\n"), "2025 AM -> AZ T\n  tags: ,\n");
        // A key the block does not take is not read as a list.
        assert_eq!(
            format("party AM Armenia\n  tags: a ,b\n"),
            "party AM Armenia\n  tags: a ,b\n"
        );
    }

    #[test]
    fn blocks_are_one_blank_line_apart_and_comments_stay_glued() {
        let text = "\n\n# section\n\n\n# about AM\nparty AM Armenia\nparty AZ Azerbaijan\n# about NL\n\n\nparty NL Netherlands\n\n\n";
        assert_eq!(
            format(text),
            "# section\n\n# about AM\nparty AM Armenia\n\nparty AZ Azerbaijan\n\n# about NL\n\nparty NL Netherlands\n"
        );
    }

    #[test]
    fn an_indented_comment_under_a_block_stays_in_it() {
        let text =
            "party AM Armenia\n  wikidata: Q399\n  # wikidata: Q1\n# about AZ\nparty AZ Azerbaijan\n  # trailing\n";
        assert_eq!(
            format(text),
            "party AM Armenia\n  wikidata: Q399\n  # wikidata: Q1\n\n# about AZ\nparty AZ Azerbaijan\n  # trailing\n"
        );
        // Once a blank line stands between them, it is a top-level comment.
        assert_eq!(
            format("party AM Armenia\n\n  # loose\nparty AZ Azerbaijan\n"),
            "party AM Armenia\n\n# loose\nparty AZ Azerbaijan\n"
        );
    }

    #[test]
    fn includes() {
        assert_eq!(
            format("include   \"a b.track2\"  \ninclude \"c.track2\"\n\n\ninclude \"d.track2\"\nparty AM Armenia\n"),
            "include \"a b.track2\"\ninclude \"c.track2\"\n\ninclude \"d.track2\"\n\nparty AM Armenia\n"
        );
    }

    #[test]
    fn line_endings_and_the_bom_are_kept() {
        assert_eq!(
            format("\u{feff}party AM  Armenia\r\n\r\n\r\n  # c\r\nparty AZ Azerbaijan"),
            "\u{feff}party AM Armenia\r\n\r\n# c\r\nparty AZ Azerbaijan\r\n"
        );
        // The first line ending decides.
        assert_eq!(format("# a\r\n# b\n# c"), "# a\r\n# b\r\n# c\r\n");
    }

    #[test]
    fn empty_and_blank_files() {
        assert_eq!(format(""), "");
        assert_eq!(format("\n \t\n\n"), "");
        assert_eq!(format("\u{feff}"), "\u{feff}");
        assert_eq!(format("\u{feff}\r\n\r\n"), "\u{feff}");
    }

    #[test]
    fn syntax_errors_stop_the_formatter() {
        let diagnostics = format_text("party AM Armenia\n  wikidata Q399\n").unwrap_err();
        assert_eq!(diagnostics[0].code, crate::Code::MissingColon);
    }

    #[test]
    fn semantic_errors_do_not() {
        assert_eq!(
            format("2025 AM -> AZ  T\n  format: nowhere\n  format: twice\n"),
            "2025 AM -> AZ T\n  format: nowhere\n  format: twice\n"
        );
    }

    #[test]
    fn formatting_is_idempotent_on_these_examples() {
        for text in [
            "party AM Armenia\n  # x\n\n\n# y\n  # z\nparty AZ A\n",
            "\u{feff}# a\r\n\r\ninclude \"x\"\r\n2025 AM->AZ T\r\n  tags: a ,, b ,\r\n",
        ] {
            let once = format(text);
            assert_eq!(format(&once), once, "from {text:?}");
        }
    }
}
