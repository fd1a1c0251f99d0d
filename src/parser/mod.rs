//! The parser: text in, syntax items and diagnostics out. It never fails and
//! never stops early: a broken line becomes a diagnostic and parsing goes on
//! with the next one, so a run reports every syntax error at once.
//!
//! Items are handed to a [`Sink`] as each is complete, so a large file is
//! never held as a tree: the checker looks at one block at a time, and only
//! the formatter collects a whole [`Document`] (with [`parse`]).
//!
//! The file is cut into lines with `memchr`, once, and each line is parsed on
//! its own slice of the text, so the work is linear in the size of the file.
//! Small `nom` parsers read the tokens inside a line; the order of the steps
//! is spelt out by hand so that each failure gets its own message.

mod directives;
mod header;

pub use directives::{Directives, directives, directives_in, join_directives};

use nom::IResult;
use nom::bytes::complete::take_while;

use crate::diagnostic::{Code, Diagnostic};
use crate::escape;
use crate::source::{FileId, Span};
use crate::suggest;
use crate::syntax::{Block, BlockLine, DeclarationKind, Document, Field, Header, Include, Item, LineEnding};

/// What the parser hands its items to, in file order.
pub trait Sink {
    /// A complete block. The parser reuses the block's buffers afterwards:
    /// keep a clone if you need it later.
    fn block(&mut self, block: &Block);
    fn include(&mut self, _include: &Include) {}
    fn comment(&mut self, _span: Span) {}
    /// One or more blank lines at top level (never first, never twice in a row).
    fn blank(&mut self) {}
}

/// Parses one file's text into a whole [`Document`]. `text` is what the file
/// holds (BOM included), so that every span is a byte range of the file.
pub fn parse(file: FileId, text: &str) -> (Document, Vec<Diagnostic>) {
    let mut collector = DocumentBuilder { items: Vec::new() };
    let mut diagnostics = Vec::new();
    parse_into(file, text, 0..text.len(), &mut collector, &mut diagnostics);
    let document = Document {
        file,
        has_bom: text.starts_with('\u{feff}'),
        line_ending: LineEnding::of(text),
        items: collector.items,
    };
    (document, diagnostics)
}

struct DocumentBuilder {
    items: Vec<Item>,
}

impl Sink for DocumentBuilder {
    fn block(&mut self, block: &Block) {
        self.items.push(Item::Block(block.clone()));
    }

    fn include(&mut self, include: &Include) {
        self.items.push(Item::Include(include.clone()));
    }

    fn comment(&mut self, span: Span) {
        self.items.push(Item::Comment(span));
    }

    fn blank(&mut self) {
        self.items.push(Item::Blank);
    }
}

/// Parses the lines of `text` within `range` (which starts at a line start,
/// or at 0 for the whole file) and hands each item to `sink`. The file's
/// line ending is [`LineEnding::of`] its text.
pub fn parse_into(
    file: FileId,
    text: &str,
    range: std::ops::Range<usize>,
    sink: &mut dyn Sink,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut parser = Parser {
        file,
        text,
        sink,
        open: None,
        spare_lines: Vec::new(),
        pending: Vec::new(),
        state: State::TopLevel,
        emitted: false,
        last_was_blank: false,
        diagnostics,
    };
    parser.parse_lines(range);
    parser.close_block();
    parser.flush_pending_to_top_level();
}

/// Whether a byte may be, or start, a control character: a byte below 0x20
/// other than a tab, `\r` (which has its own code) or `\n`, DEL, or 0xC2,
/// which starts every C1 control (and some common letters, such as `«`, so
/// it is only a hint).
fn may_be_control(byte: u8) -> bool {
    ((byte < 0x20) & (byte != b'\t') & (byte != b'\r') & (byte != b'\n')) | (byte == 0x7f) | (byte == 0xc2)
}

/// The offset of the first byte from `from` on that [`may_be_control`],
/// or `bytes.len()`. Blocks of 64 bytes are judged without an early exit,
/// so that the scan vectorises: nearly every file has no such byte, and
/// one pass over the whole text then replaces a check of every line.
fn next_suspect(bytes: &[u8], from: usize) -> usize {
    const BLOCK: usize = 64;
    if from >= bytes.len() {
        return bytes.len();
    }
    let mut at = from;
    while let Some(block) = bytes.get(at..at + BLOCK) {
        if block.iter().fold(false, |found, &byte| found | may_be_control(byte)) {
            break;
        }
        at += BLOCK;
    }
    bytes[at..]
        .iter()
        .position(|&byte| may_be_control(byte))
        .map_or(bytes.len(), |offset| at + offset)
}

/// Space and tab. A lone `\r` is an error of its own; treating it as a blank
/// afterwards keeps it from causing a second, misleading error on its line.
fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\r'
}

fn blanks0(input: &str) -> IResult<&str, &str> {
    take_while(is_blank)(input)
}

/// The length of the id at the start of `input`, 0 if there is none. An id
/// never takes the `-` of a following `->`, so `AM->AZ` reads as `AM`, `->`, `AZ`.
pub fn id_length(input: &str) -> usize {
    let bytes = input.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return 0;
    }
    let mut length = 1;
    while let Some(&byte) = bytes.get(length) {
        let continues = match byte {
            b'-' => bytes.get(length + 1) != Some(&b'>'),
            _ => byte.is_ascii_alphanumeric() || byte == b'.' || byte == b'_',
        };
        if !continues {
            break;
        }
        length += 1;
    }
    length
}

/// Whether all of `text` is one id.
pub fn is_id(text: &str) -> bool {
    !text.is_empty() && id_length(text) == text.len()
}

fn id(input: &str) -> IResult<&str, &str> {
    match id_length(input) {
        0 => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Alpha,
        ))),
        length => Ok((&input[length..], &input[..length])),
    }
}

/// A run of characters up to the next blank: a token to judge as a whole.
fn token(input: &str) -> (&str, &str) {
    let end = input.find(is_blank).unwrap_or(input.len());
    (&input[..end], &input[end..])
}

enum State {
    TopLevel,
    /// The last item is a block that field lines belong to.
    InBlock,
    /// Right after an `include`, which takes no fields.
    AfterInclude,
}

/// Comments and blank lines whose place is not yet known: they belong to the
/// open block if a field line follows, and precede the next block otherwise.
enum Trivia {
    Comment(Span),
    Blank,
}

struct Parser<'t, 's> {
    file: FileId,
    text: &'t str,
    sink: &'s mut dyn Sink,
    /// The block field lines go to, until the next header.
    open: Option<Block>,
    /// A cleared buffer from the last block, reused for the next.
    spare_lines: Vec<BlockLine>,
    pending: Vec<Trivia>,
    state: State,
    /// Whether any top-level item was handed on, and whether the last was a
    /// blank: top-level blanks are never first and never repeated.
    emitted: bool,
    last_was_blank: bool,
    diagnostics: &'s mut Vec<Diagnostic>,
}

impl<'t> Parser<'t, '_> {
    fn offset(&self, part: &str) -> usize {
        part.as_ptr() as usize - self.text.as_ptr() as usize
    }

    fn span(&self, part: &str) -> Span {
        let start = self.offset(part);
        Span::new(start, start + part.len())
    }

    /// An empty span just after the last non-blank character of `line`.
    fn end_of_content(&self, line: &str) -> Span {
        let content = line.trim_end_matches(is_blank);
        Span::point(self.offset(content) + content.len())
    }

    fn error(&mut self, code: Code, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::new(code, self.file, span, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn parse_lines(&mut self, range: std::ops::Range<usize>) {
        let text = self.text;
        let bytes = &text.as_bytes()[..range.end];
        let mut start = if range.start == 0 && text.starts_with('\u{feff}') {
            3
        } else {
            range.start
        };
        // Where the next byte that may be a control character stands: the
        // lines before it need no look for one.
        let mut suspect = next_suspect(bytes, start);
        while start <= bytes.len() {
            // One scan finds both the line's end and any `\r` on the way.
            let mut end = bytes.len();
            let mut newline = None;
            for at in memchr::memchr2_iter(b'\n', b'\r', &bytes[start..]) {
                let at = start + at;
                if bytes[at] == b'\n' {
                    newline = Some(at);
                    end = at;
                    break;
                }
                if bytes.get(at + 1) == Some(&b'\n') {
                    continue;
                }
                self.error(
                    Code::LoneCarriageReturn,
                    Span::new(at, at + 1),
                    "a carriage return (`\\r`) that does not end a line",
                )
                .help = Some("lines end in `\\n` or `\\r\\n`; remove the stray `\\r`".into());
            }
            if newline.is_some() && end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
            if suspect < end {
                self.report_control_characters(&text[start..end]);
            }
            if start < end || newline.is_some() {
                self.parse_line(&text[start..end]);
            }
            match newline {
                Some(newline) => start = newline + 1,
                None => break,
            }
            if suspect < start {
                suspect = next_suspect(bytes, start);
            }
        }
    }

    /// One diagnostic at the first control character of a line (other than
    /// a tab, and a `\r`, which has its own code), saying how many it holds:
    /// a binary file would otherwise bury everything under them.
    fn report_control_characters(&mut self, line: &str) {
        let mut found = line
            .char_indices()
            .filter(|&(_, c)| c != '\t' && c != '\r' && escape::is_control(c));
        let Some((at, first)) = found.next() else { return };
        let more = found.count();
        let start = self.offset(line) + at;
        let what = if more == 0 {
            format!("a control character ({})", escape::text(&first.to_string()))
        } else {
            format!(
                "{} control characters, the first {}",
                more + 1,
                escape::text(&first.to_string())
            )
        };
        self.error(
            Code::ControlCharacter,
            Span::new(start, start + first.len_utf8()),
            format!("{what}; a ledger holds no control characters but the tab"),
        )
        .help = Some("remove it: shown raw, it could act on a terminal, a CI log or a spreadsheet".into());
    }

    fn parse_line(&mut self, line: &'t str) {
        let content = line.trim_start_matches(is_blank);
        if content.trim_end_matches(is_blank).is_empty() {
            self.pending.push(Trivia::Blank);
            return;
        }
        if content.starts_with('#') {
            let comment = self.span(content.trim_end_matches(is_blank));
            self.pending.push(Trivia::Comment(comment));
            return;
        }
        if content.len() != line.len() {
            self.field_line(content);
            return;
        }
        self.flush_pending_to_top_level();
        let first = line.as_bytes()[0];
        if first.is_ascii_digit() {
            let header = self.engagement_header(line);
            self.open_block(header, line);
        } else if first.is_ascii_alphabetic() {
            self.directive(line);
        } else {
            let (bad, _) = token(line);
            let span = self.span(bad);
            self.error(
                Code::MalformedLine,
                span,
                "a line must start with a keyword, a date, a blank (for a field) or `#` (for a comment)",
            );
            self.open_block(Header::Invalid, line);
        }
    }

    fn open_block(&mut self, header: Header, line: &str) {
        let header_line = self.span(line.trim_end_matches(is_blank));
        self.open = Some(Block {
            header,
            header_line,
            lines: std::mem::take(&mut self.spare_lines),
        });
        self.state = State::InBlock;
    }

    /// Hands the open block on, and keeps its buffer for the next one.
    fn close_block(&mut self) {
        if let Some(mut block) = self.open.take() {
            self.sink.block(&block);
            self.emitted = true;
            self.last_was_blank = false;
            block.lines.clear();
            self.spare_lines = block.lines;
        }
    }

    /// Trivia before a header or at the end of the file stand at top level,
    /// after the block they follow.
    fn flush_pending_to_top_level(&mut self) {
        self.close_block();
        // Taken and given back, so that its buffer is reused.
        let mut pending = std::mem::take(&mut self.pending);
        for trivia in pending.drain(..) {
            match trivia {
                Trivia::Comment(span) => {
                    self.sink.comment(span);
                    self.emitted = true;
                    self.last_was_blank = false;
                }
                Trivia::Blank => {
                    if self.emitted && !self.last_was_blank {
                        self.sink.blank();
                        self.last_was_blank = true;
                    }
                }
            }
        }
        self.pending = pending;
    }

    fn field_line(&mut self, content: &'t str) {
        let field = self.field(content);
        match self.state {
            State::InBlock => {
                let block = self.open.as_mut().expect("InBlock always has an open block");
                for trivia in self.pending.drain(..) {
                    block.lines.push(match trivia {
                        Trivia::Comment(span) => BlockLine::Comment(span),
                        Trivia::Blank => BlockLine::Blank,
                    });
                }
                if let Some(field) = field {
                    block.lines.push(BlockLine::Field(field));
                }
            }
            State::TopLevel | State::AfterInclude => {
                let after_include = matches!(self.state, State::AfterInclude);
                self.flush_pending_to_top_level();
                let (start, _) = token(content);
                let span = self.span(start);
                let diagnostic = self.error(Code::FieldOutsideBlock, span, "a field line with no block above it");
                diagnostic.help = Some(if after_include {
                    "`include` takes no fields; put fields under a declaration or engagement header".into()
                } else {
                    "field lines are indented and belong to the header line above them".into()
                });
            }
        }
    }

    /// Reads `key: value` from a field line without its indent.
    fn field(&mut self, content: &'t str) -> Option<Field> {
        let key_length = id_length(content);
        let after_key = content[key_length..].trim_start_matches(is_blank);
        if key_length > 0 && after_key.starts_with(':') {
            let key = self.span(&content[..key_length]);
            let value = after_key[1..].trim_matches(is_blank);
            let value = if value.is_empty() {
                self.error(Code::EmptyValue, key, "a field with an empty value").help =
                    Some("write a value after the `:`, or remove the line".into());
                Span::point(self.offset(after_key) + 1)
            } else {
                self.span(value)
            };
            return Some(Field { key, value });
        }
        let line = content.trim_end_matches(is_blank);
        match content.find(':') {
            Some(colon) => {
                let span = self.span(content[..colon].trim_end_matches(is_blank));
                let span = if span.is_empty() {
                    Span::new(span.start as usize, span.start as usize + 1)
                } else {
                    span
                };
                self.error(Code::MalformedField, span, "a field key must be an id").help =
                    Some("keys start with a letter and go on with letters, digits, `.`, `_` or `-`".into());
            }
            None => {
                let span = self.span(line);
                self.error(Code::MissingColon, span, "a field line without `:`").help =
                    Some("write fields as `key: value`".into());
            }
        }
        None
    }

    fn directive(&mut self, line: &'t str) {
        let word_length = line
            .bytes()
            .take_while(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'))
            .count();
        let word = &line[..word_length];
        let rest = &line[word_length..];
        let ends_word = rest.is_empty() || rest.starts_with(is_blank);
        if word == "include" && ends_word {
            self.include(line, rest);
            return;
        }
        match DeclarationKind::from_keyword(word).filter(|_| ends_word) {
            Some(kind) => {
                let header = self.declaration_header(kind, word, rest);
                self.open_block(header, line);
            }
            None if crate::schema::is_key_of_any_block(word) => {
                // `venue: Yerevan` at column 1: a field that lost its indent.
                let value = rest.trim_start_matches(is_blank);
                let value = value.strip_prefix(':').unwrap_or(value).trim_matches(is_blank);
                let span = self.span(word);
                self.error(
                    Code::UnknownDirective,
                    span,
                    format!("`{word}` is a field, but it is not indented under a block"),
                )
                .help = Some(format!(
                    "field lines are indented under the header of their block: `  {word}: {value}`"
                ));
                self.open_block(Header::Invalid, line);
            }
            None => {
                let (bad, _) = token(line);
                let span = self.span(bad);
                let keywords = DeclarationKind::ALL
                    .iter()
                    .map(|kind| kind.keyword())
                    .chain(["include"]);
                let help = suggest::did_you_mean(bad, keywords).unwrap_or_else(|| {
                    "a line starting with a letter is one of `party`, `org`, `person`, `format`, `series`, `include`".into()
                });
                self.error(Code::UnknownDirective, span, format!("unknown directive `{bad}`"))
                    .help = Some(help);
                self.open_block(Header::Invalid, line);
            }
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn parse_text(text: &str) -> (Document, Vec<Diagnostic>) {
        parse(FileId(0), text)
    }

    pub(super) fn codes(text: &str) -> Vec<(u32, &'static str)> {
        parse_text(text)
            .1
            .iter()
            .map(|d| (d.location.span.start, d.code.as_str()))
            .collect()
    }

    pub(super) fn only_block(document: &Document) -> &Block {
        let mut blocks = document.blocks();
        let block = blocks.next().expect("a block");
        assert!(blocks.next().is_none());
        block
    }

    #[test]
    fn ids_stop_before_an_arrow() {
        assert_eq!(id_length("AM->AZ"), 2);
        assert_eq!(id_length("peace-bridge"), 12);
        assert_eq!(id_length("a.b_c-d x"), 7);
        assert_eq!(id_length("1AM"), 0);
        assert_eq!(id_length("a-"), 2);
    }

    #[test]
    fn parses_a_declaration_with_fields() {
        let text = "person rusif-huseynov Rusif Huseynov\n  party: AZ\n  alias:  Rusif Huseinov \n";
        let (document, diagnostics) = parse_text(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let block = only_block(&document);
        let Header::Declaration(header) = &block.header else {
            panic!()
        };
        assert_eq!(header.kind, DeclarationKind::Person);
        assert_eq!(&text[header.id.range()], "rusif-huseynov");
        assert_eq!(&text[header.name.range()], "Rusif Huseynov");
        let fields: Vec<_> = block
            .fields()
            .map(|f| (&text[f.key.range()], &text[f.value.range()]))
            .collect();
        assert_eq!(fields, [("party", "AZ"), ("alias", "Rusif Huseinov")]);
    }

    #[test]
    fn comments_before_a_field_belong_to_the_block() {
        let text = "party AM Armenia\n# about wikidata\n\n  wikidata: Q399\n# about AZ\nparty AZ Azerbaijan\n";
        let (document, diagnostics) = parse_text(text);
        assert!(diagnostics.is_empty());
        let Item::Block(first) = &document.items[0] else {
            panic!()
        };
        assert!(matches!(first.lines[0], BlockLine::Comment(_)));
        assert!(matches!(first.lines[1], BlockLine::Blank));
        assert!(matches!(first.lines[2], BlockLine::Field(_)));
        assert!(matches!(document.items[1], Item::Comment(_)));
        assert!(matches!(document.items[2], Item::Block(_)));
    }

    #[test]
    fn crlf_and_bom_are_not_content() {
        let text = "\u{feff}party AM Armenia\r\n  wikidata: Q399\r\n";
        let (document, diagnostics) = parse_text(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(document.has_bom);
        assert_eq!(document.line_ending, LineEnding::CrLf);
        let block = only_block(&document);
        assert_eq!(&text[block.header_line.range()], "party AM Armenia");
        let field = block.fields().next().unwrap();
        assert_eq!(&text[field.value.range()], "Q399");
    }

    #[test]
    fn reports_every_broken_line_in_one_run() {
        let text = "  party: AM\n-oops\nparty 1A One\nperosn x X\nparty AM\n";
        assert_eq!(
            codes(text),
            [
                (2, "field-outside-block"),
                (12, "malformed-line"),
                (24, "invalid-id"),
                (31, "unknown-directive"),
                (50, "missing-name"),
            ]
        );
    }

    #[test]
    fn field_errors() {
        let text = "party AM Armenia\n  wikidata\n  1x: y\n  note:\n";
        assert_eq!(
            codes(text),
            [(19, "missing-colon"), (30, "malformed-field"), (38, "empty-value")]
        );
    }

    #[test]
    fn control_characters_are_reported_once_per_line_where_the_first_stands() {
        assert_eq!(codes("party AM Arm\u{1b}]0;x\u{7}enia\n"), [(12, "control-character")]);
        assert_eq!(codes("party AM \u{85}Armenia\n"), [(9, "control-character")]);
        assert_eq!(codes("party AM Armenia\u{7f}\n"), [(16, "control-character")]);
        assert_eq!(
            codes("party AM Armenia\n  x-note: a\u{0}b\n"),
            [(28, "control-character")]
        );
        // A tab is a blank, `«` shares its first byte with C1 controls, and a
        // lone `\r` keeps its own code.
        assert!(codes("party AM\tArmenia «Ա»\n").is_empty());
        assert_eq!(codes("party AM Arm\renia\n"), [(12, "lone-carriage-return")]);
        let (_, diagnostics) = parse(FileId(0), "party AM \u{1b}[2J\u{1b}[H\n");
        assert!(
            diagnostics[0]
                .message
                .starts_with("2 control characters, the first \\x1b")
        );
    }

    #[test]
    fn control_characters_are_found_on_every_line_past_clean_text_and_letters_that_share_their_first_byte() {
        let clean = "party AM Armenia «Հայաստան»\n  x-note: a long clean line of more than sixty-four bytes, to skip\n";
        let text = format!("{clean}{clean}party AZ \u{7}\n  x-a: \u{1b}\n{clean}  x-b: «»\u{85}");
        let at = |needle: &str| text.find(needle).unwrap() as u32;
        assert_eq!(
            codes(&text),
            [
                (at("\u{7}"), "control-character"),
                (at("\u{1b}"), "control-character"),
                (at("\u{85}"), "control-character")
            ]
        );
    }

    #[test]
    fn lone_carriage_returns_are_reported_where_they_stand() {
        assert_eq!(codes("party AM Arm\renia\n"), [(12, "lone-carriage-return")]);
        assert_eq!(codes("party AM Armenia\r"), [(16, "lone-carriage-return")]);
        assert!(codes("party AM Armenia\r\n").is_empty());
    }

    #[test]
    fn a_field_that_lost_its_indent_is_told_so() {
        let (_, diagnostics) = parse_text("2025 AM -> AZ T\nvenue: Yerevan\n");
        assert_eq!(diagnostics[0].code, Code::UnknownDirective);
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("field lines are indented under the header of their block: `  venue: Yerevan`")
        );
        assert_eq!(diagnostics[0].location.span, Span::new(16, 21));
    }

    #[test]
    fn a_broken_header_swallows_its_fields() {
        assert_eq!(codes("perosn x X\n  party: AM\n"), [(0, "unknown-directive")]);
    }

    #[test]
    fn empty_and_blank_files() {
        assert!(codes("").is_empty());
        assert!(codes("\n\n \t\n").is_empty());
        assert!(codes("\u{feff}").is_empty());
    }
}
