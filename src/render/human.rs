//! Human output: miette's graphical report, one per diagnostic, with the
//! source line, a label under the exact span, and the hint.
//!
//! miette's own `SourceCode` for `str` scans the text from the start for every
//! diagnostic, which is quadratic when a large file has many errors. Here the
//! source is read through the line index built when the file was loaded.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, Location, SourceFile, SourceMap};

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
            .with_urls(false);
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

/// A [`SourceFile`] as miette reads it.
struct IndexedSource<'s> {
    file: &'s SourceFile,
}

impl SourceCode for IndexedSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = self.file;
        let text = file.text();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = file.line_index(start);
        let last_line = file.line_index(end.saturating_sub(1).max(start));
        let context_first = first_line.saturating_sub(context_lines_before);
        let context_last = (last_line + context_lines_after).min(file.line_count() - 1);
        // Like miette's own sources: without context the data starts at the
        // span, and the column is where the span starts on its line.
        let (data_start, column) = if context_lines_before == 0 {
            (start, file.position(start).column - 1)
        } else {
            (file.line_range(context_first).start, 0)
        };
        let data_end = if context_last + 1 < file.line_count() {
            file.line_range(context_last + 1).start
        } else {
            text.len()
        };
        let data_end = data_end.max(end);
        Ok(Box::new(MietteSpanContents::new_named(
            file.name().to_owned(),
            &text.as_bytes()[data_start..data_end],
            SourceSpan::from(data_start..data_end),
            context_first,
            column,
            context_last - context_first + 1,
        )))
    }
}

/// One diagnostic dressed for miette: the primary span, the related places in
/// the same file as extra labels, and those in other files as advice below.
struct MietteReport<'s> {
    diagnostic: &'s Diagnostic,
    source: IndexedSource<'s>,
    elsewhere: Vec<Advice<'s>>,
}

impl<'s> MietteReport<'s> {
    fn new(diagnostic: &'s Diagnostic, sources: &'s SourceMap) -> MietteReport<'s> {
        let file = diagnostic.location.file;
        let elsewhere = diagnostic
            .related
            .iter()
            .filter(|related| related.location.file != file)
            .map(|related| Advice {
                message: &related.message,
                location: related.location,
                source: IndexedSource {
                    file: sources.get(related.location.file),
                },
            })
            .collect();
        MietteReport {
            diagnostic,
            source: IndexedSource {
                file: sources.get(file),
            },
            elsewhere,
        }
    }

    fn file(&self) -> FileId {
        self.diagnostic.location.file
    }
}

fn source_span(location: Location) -> SourceSpan {
    SourceSpan::from(location.span.range())
}

impl fmt::Debug for MietteReport<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, formatter)
    }
}

impl fmt::Display for MietteReport<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.diagnostic.message)
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
        self.diagnostic
            .help
            .as_deref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary =
            LabeledSpan::new_primary_with_span(self.diagnostic.label.clone(), source_span(self.diagnostic.location));
        let same_file = self
            .diagnostic
            .related
            .iter()
            .filter(|related| related.location.file == self.file())
            .map(|related| LabeledSpan::new_with_span(Some(related.message.clone()), source_span(related.location)));
        Some(Box::new(std::iter::once(primary).chain(same_file)))
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
    message: &'s str,
    location: Location,
    source: IndexedSource<'s>,
}

impl fmt::Debug for Advice<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.message)
    }
}

impl fmt::Display for Advice<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.message)
    }
}

impl std::error::Error for Advice<'_> {}

impl miette::Diagnostic for Advice<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
            None,
            source_span(self.location),
        ))))
    }
}
