//! Human output: miette's graphical report, one per diagnostic, with the
//! source line, a label under the exact span, and the hint.
//!
//! miette is not handed the file itself but an *excerpt*: the few lines the
//! report shows, each made fit for a terminal, and the spans moved to match.
//! Three reasons:
//!
//! - miette's own `SourceCode` for `str` scans the text from the start for
//!   every diagnostic, which is quadratic when a large file has many errors;
//! - a line of a megabyte would be printed whole, and a column past 65,535
//!   makes miette panic ("Formatting argument out of range"), so a long line
//!   is shown as a window around the spans, elided at both ends as rustc
//!   does, while the header still gives the real line and column;
//! - a control character in the ledger would act on the terminal, so every
//!   one but the tab is shown escaped (`\x1b`), as are the message, labels,
//!   hint and file name.

use std::collections::BTreeSet;
use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

use crate::diagnostic::{Diagnostic, Severity};
use crate::escape;
use crate::source::{FileId, Location, Position, SourceFile, SourceMap, Span};

pub struct HumanRenderer {
    handler: GraphicalReportHandler,
}

impl HumanRenderer {
    /// `width` is the column at which text wraps.
    pub fn new(color: bool, width: usize) -> HumanRenderer {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(width)
            .with_links(false)
            .with_urls(false)
            .with_context_lines(CONTEXT_LINES);
        HumanRenderer { handler }
    }

    /// The report for one diagnostic, ending in a newline.
    pub fn render(&self, diagnostic: &Diagnostic, sources: &SourceMap) -> String {
        let report = MietteReport::new(diagnostic, sources);
        let mut out = String::new();
        self.handler
            .render_report(&mut out, &report)
            .expect("rendering to a String cannot fail");
        out
    }
}

/// Lines shown above and below each label.
const CONTEXT_LINES: usize = 1;

/// A line of at most this many bytes is shown whole.
const WHOLE_LINE_BYTES: usize = 240;

/// About how many bytes of a longer line are shown around its labels.
const WINDOW_BYTES: usize = 160;

/// How far before a label a window starts when the labels on a line are too
/// far apart to fit one window together.
const LEAD_BYTES: usize = 24;

/// A span over more lines than this is shown on its first line only.
const MAX_SPAN_LINES: usize = 8;

/// What stands for the part of a line that is not shown.
const ELISION: &str = "…";

/// One line of an excerpt: which line of the file it shows, where it
/// stands in the excerpt's text, and how its bytes map to the file's.
struct ExcerptLine {
    /// 0-based line of the file.
    line: usize,
    /// The byte range of its text in the excerpt, without the final `\n`.
    start: usize,
    end: usize,
    /// The part of the file's line shown: a byte range of the file.
    window: std::ops::Range<usize>,
    /// The length of the elision in front, if the window does not start at
    /// the line's start.
    lead: usize,
}

/// The part of one file that a report shows, made fit for a terminal; the
/// spans of its labels are offsets into `text`.
struct Excerpt<'s> {
    file: &'s SourceFile,
    name: String,
    text: String,
    lines: Vec<ExcerptLine>,
    /// Each label's span in the excerpt, with where it starts in the file.
    labels: Vec<(SourceSpan, Position)>,
}

impl<'s> Excerpt<'s> {
    /// The excerpt of `file` that shows every span of `spans`, with their
    /// context lines.
    fn new(file: &'s SourceFile, spans: &[Span]) -> Excerpt<'s> {
        let text = file.text();
        let last_line = file.line_count() - 1;
        // Each span clamped to the file, and to its first lines if it runs
        // over many.
        let spans: Vec<Span> = spans
            .iter()
            .map(|span| {
                let start = (span.start as usize).min(text.len());
                let end = (span.end as usize).clamp(start, text.len());
                let first = file.line_index(start);
                let end = if file.line_index(end) > first + MAX_SPAN_LINES {
                    file.line_range(first).end.max(start)
                } else {
                    end
                };
                Span::new(start, end)
            })
            .collect();
        let mut shown = BTreeSet::new();
        for span in &spans {
            let first = file.line_index(span.start as usize);
            let last = file.line_index(span.end as usize);
            shown.extend(first.saturating_sub(CONTEXT_LINES)..=(last + CONTEXT_LINES).min(last_line));
        }
        // The empty "line" after a final line break is not shown as context,
        // as miette does not show it for a whole file.
        if file.line_range(last_line).is_empty()
            && last_line > 0
            && !spans
                .iter()
                .any(|span| span.end as usize >= file.line_range(last_line).start)
        {
            shown.remove(&last_line);
        }
        let mut excerpt = Excerpt {
            file,
            name: escape::text(file.name()).into_owned(),
            text: String::new(),
            lines: Vec::with_capacity(shown.len()),
            labels: Vec::with_capacity(spans.len()),
        };
        for line in shown {
            let range = file.line_range(line);
            // The labels' parts on this line decide what of it is shown.
            let focus = spans
                .iter()
                .filter(|span| (span.start as usize) <= range.end && (span.end as usize) >= range.start)
                .map(|span| (span.start as usize).max(range.start)..(span.end as usize).min(range.end))
                .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end));
            let window = window(text, range.clone(), focus);
            excerpt.push_line(line, range, window);
        }
        excerpt.labels = spans
            .iter()
            .map(|span| {
                let start = excerpt.map(span.start as usize);
                let end = excerpt.map(span.end as usize).max(start);
                (SourceSpan::from(start..end), file.position(span.start as usize))
            })
            .collect();
        excerpt
    }

    fn push_line(&mut self, line: usize, range: std::ops::Range<usize>, window: std::ops::Range<usize>) {
        let source = &self.file.text()[window.clone()];
        let start = self.text.len();
        let lead = if window.start > range.start {
            self.text.push_str(ELISION);
            ELISION.len()
        } else {
            0
        };
        self.text.push_str(&escape::source_line(source));
        if window.end < range.end {
            self.text.push_str(ELISION);
        }
        let end = self.text.len();
        self.text.push('\n');
        self.lines.push(ExcerptLine {
            line,
            start,
            end,
            window,
            lead,
        });
    }

    /// Where a byte offset of the file stands in the excerpt: within its
    /// line's window, or at the window's edge if the window does not reach
    /// it.
    fn map(&self, offset: usize) -> usize {
        let line = self.file.line_index(offset);
        let index = self.lines.partition_point(|shown| shown.line < line);
        let Some(shown) = self.lines.get(index).filter(|shown| shown.line == line) else {
            return self.lines.last().map_or(0, |shown| shown.end);
        };
        let offset = offset.clamp(shown.window.start, shown.window.end);
        let before = &self.file.text()[shown.window.start..offset];
        shown.start + shown.lead + before.chars().map(escape::source_line_len).sum::<usize>()
    }

    /// The index of the excerpt line holding an excerpt offset.
    fn line_at(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|shown| shown.end < offset)
            .min(self.lines.len().saturating_sub(1))
    }
}

/// The byte range of a line to show: all of a short line; of a long one, a
/// window around `focus` (the labels' part of the line), on character
/// boundaries.
fn window(text: &str, line: std::ops::Range<usize>, focus: Option<std::ops::Range<usize>>) -> std::ops::Range<usize> {
    if line.len() <= WHOLE_LINE_BYTES {
        return line;
    }
    let focus = focus.unwrap_or(line.start..line.start);
    let (start, end) = if focus.len() <= WINDOW_BYTES {
        let slack = WINDOW_BYTES - focus.len();
        let start = focus.start.saturating_sub(slack / 2).max(line.start);
        let end = (start + WINDOW_BYTES).min(line.end);
        (end.saturating_sub(WINDOW_BYTES).max(line.start).min(start), end)
    } else {
        let start = focus.start.saturating_sub(LEAD_BYTES).max(line.start);
        (start, (start + WINDOW_BYTES).min(line.end))
    };
    floor_char_boundary(text, start)..floor_char_boundary(text, end)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() || self.lines.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_at(start);
        let last = self.line_at(end.saturating_sub(1).max(start)).max(first);
        // Context extends over lines of the excerpt that follow one another
        // in the file: a gap is where one label's context ends.
        let mut context_first = first;
        for _ in 0..context_lines_before {
            match context_first.checked_sub(1) {
                Some(previous) if self.lines[previous].line + 1 == self.lines[context_first].line => {
                    context_first = previous;
                }
                _ => break,
            }
        }
        let mut context_last = last;
        for _ in 0..context_lines_after {
            match self.lines.get(context_last + 1) {
                Some(next) if next.line == self.lines[context_last].line + 1 => context_last += 1,
                _ => break,
            }
        }
        // Like miette's own sources: without context the data starts at the
        // span, and the column is where the span starts on its line; here it
        // is the column in the file, not in the excerpt.
        let (data_start, column) = if context_lines_before == 0 {
            let column = self
                .labels
                .iter()
                .find(|(label, _)| label.offset() == start)
                .map_or(0, |(_, position)| position.column - 1);
            (start, column)
        } else {
            (self.lines[context_first].start, 0)
        };
        let data_end = (self.lines[context_last].end + 1).max(end);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[data_start..data_end],
            SourceSpan::from(data_start..data_end),
            self.lines[context_first].line,
            column,
            context_last - context_first + 1,
        )))
    }
}

/// One diagnostic dressed for miette: the primary span, the related places in
/// the same file as extra labels, and those in other files as advice below.
struct MietteReport<'s> {
    diagnostic: &'s Diagnostic,
    message: String,
    help: Option<String>,
    /// The primary label, then one per related place in the same file.
    label_texts: Vec<Option<String>>,
    excerpt: Excerpt<'s>,
    elsewhere: Vec<Advice<'s>>,
}

impl<'s> MietteReport<'s> {
    fn new(diagnostic: &'s Diagnostic, sources: &'s SourceMap) -> MietteReport<'s> {
        let file = diagnostic.location.file;
        let same_file = |related: &&crate::diagnostic::Related| related.location.file == file;
        let spans: Vec<Span> = std::iter::once(diagnostic.location.span)
            .chain(
                diagnostic
                    .related
                    .iter()
                    .filter(same_file)
                    .map(|related| related.location.span),
            )
            .collect();
        let label_texts = std::iter::once(diagnostic.label.as_deref().map(display))
            .chain(
                diagnostic
                    .related
                    .iter()
                    .filter(same_file)
                    .map(|related| Some(display(&related.message))),
            )
            .collect();
        let elsewhere = diagnostic
            .related
            .iter()
            .filter(|related| related.location.file != file)
            .map(|related| Advice::new(&related.message, related.location, sources))
            .collect();
        MietteReport {
            diagnostic,
            message: display(&diagnostic.message),
            help: diagnostic.help.as_deref().map(display),
            label_texts,
            excerpt: Excerpt::new(sources.get(file), &spans),
            elsewhere,
        }
    }
}

/// Text from a diagnostic, ready for a terminal: control characters escaped,
/// and a very long text (a message quoting a huge id) cut in the middle, so
/// that wrapping it stays cheap.
fn display(text: &str) -> String {
    const MAX_CHARS: usize = 400;
    let escaped = escape::text(text);
    if escaped.len() <= MAX_CHARS {
        return escaped.into_owned();
    }
    let head = floor_char_boundary(&escaped, MAX_CHARS / 2);
    let tail = floor_char_boundary(&escaped, escaped.len() - MAX_CHARS / 2);
    format!("{}{ELISION}{}", &escaped[..head], &escaped[tail.max(head)..])
}

impl fmt::Debug for MietteReport<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, formatter)
    }
}

impl fmt::Display for MietteReport<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for MietteReport<'_> {}

impl miette::Diagnostic for MietteReport<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity() {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_deref().map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.excerpt)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self
            .excerpt
            .labels
            .iter()
            .zip(&self.label_texts)
            .enumerate()
            .map(|(index, ((span, _), text))| {
                if index == 0 {
                    LabeledSpan::new_primary_with_span(text.clone(), *span)
                } else {
                    LabeledSpan::new_with_span(text.clone(), *span)
                }
            });
        Some(Box::new(labels))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.elsewhere.is_empty() {
            return None;
        }
        Some(Box::new(
            self.elsewhere.iter().map(|advice| advice as &dyn miette::Diagnostic),
        ))
    }
}

/// A place in another file that a diagnostic refers to.
struct Advice<'s> {
    message: String,
    excerpt: Excerpt<'s>,
}

impl<'s> Advice<'s> {
    fn new(message: &str, location: Location, sources: &'s SourceMap) -> Advice<'s> {
        let file: FileId = location.file;
        Advice {
            message: display(message),
            excerpt: Excerpt::new(sources.get(file), &[location.span]),
        }
    }
}

impl fmt::Debug for Advice<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl fmt::Display for Advice<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for Advice<'_> {}

impl miette::Diagnostic for Advice<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.excerpt)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (span, _) = self.excerpt.labels[0];
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
            None, span,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    fn render(text: &str, span: Span) -> String {
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new("a.track2", None, text.to_owned()));
        let diagnostic = Diagnostic::new(Code::MalformedLine, file, span, "a message");
        HumanRenderer::new(false, 100).render(&diagnostic, &sources)
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let text = "party AM Armenia\nparty AZ Azerbaijan\n";
        let out = render(text, Span::new(23, 25));
        assert!(out.contains("[a.track2:2:7]"), "{out}");
        assert!(out.contains("party AZ Azerbaijan"), "{out}");
        assert!(out.contains("party AM Armenia"), "{out}");
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_with_the_real_column() {
        // A column past 65,535 made miette panic.
        let line = format!("  note: {}\ry", "x".repeat(200_000));
        let text = format!("party AM Armenia\n{line}\n");
        let at = text.len() - 3;
        let out = render(&text, Span::new(at, at + 1));
        assert!(out.contains(&format!("[a.track2:2:{}]", line.len() - 1)), "{out}");
        assert!(out.lines().all(|line| line.chars().count() < 300), "{out}");
        assert!(out.contains("…xxxx"), "{out}");
        assert!(out.contains("\\r"), "the stray `\\r` is shown escaped: {out}");
    }

    #[test]
    fn a_window_in_the_middle_is_elided_at_both_ends() {
        let text = format!("{}Հ{}\n", "a".repeat(100_000), "b".repeat(100_000));
        let out = render(&text, Span::new(100_000, 100_002));
        assert!(out.contains("[a.track2:1:100001]"), "{out}");
        let shown = out.lines().find(|line| line.contains('Հ')).expect("the line is shown");
        assert!(shown.contains("…aaa") && shown.contains("bbb…"), "{shown}");
    }

    #[test]
    fn control_characters_are_escaped_everywhere() {
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new(
            "a\u{1b}[2J.track2",
            None,
            "party AM Arm\u{1b}]0;pwned\u{7}enia\n".to_owned(),
        ));
        let diagnostic = Diagnostic::new(Code::ControlCharacter, file, Span::new(12, 13), "bad \u{1b}[31m")
            .with_label("here \u{9b}")
            .with_help("help \u{7}");
        let out = HumanRenderer::new(false, 100).render(&diagnostic, &sources);
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(out.contains("Arm\\x1b]0;pwned\\x07enia"), "{out}");
        assert!(out.contains("a\\x1b[2J.track2:1:13"), "{out}");
    }

    #[test]
    fn an_empty_file_can_be_pointed_at() {
        let out = render("", Span::point(0));
        assert!(out.contains("[a.track2:1:1]"), "{out}");
    }

    #[test]
    fn a_very_long_message_is_cut_in_the_middle() {
        let long = format!("undeclared person `{}`", "x".repeat(60_000));
        assert!(display(&long).chars().count() <= 401);
        assert!(display(&long).starts_with("undeclared person `xxx"));
        assert!(display(&long).ends_with("xxx`"));
    }
}
