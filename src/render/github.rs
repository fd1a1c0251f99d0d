//! `--format github`: one workflow command per diagnostic, which GitHub
//! Actions turns into an annotation on the pull request's diff.

use std::fmt::Write as _;

use super::place;
use crate::diagnostic::{Diagnostic, Severity};
use crate::escape;
use crate::source::SourceMap;

/// One `::error …::message` or `::warning …::message` line per diagnostic.
/// A hint follows the message on a second line of the annotation.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let at = place(sources, diagnostic.location);
        let command = match diagnostic.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Control characters from the ledger are escaped before the runner's
        // own escaping: `%0A` would still end the annotation's line in the
        // log, and ESC would colour or rewrite it.
        let mut message = escape::text(&diagnostic.message).into_owned();
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(&escape::text(help));
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&escape::text(at.file)),
            at.start.line,
            at.start.column,
            at.end.line,
            at.end.column,
            escape_property(diagnostic.code.as_str()),
            escape_data(&message),
        )
        .expect("writing to a String cannot fail");
    }
    out
}

/// Escapes a message the way the Actions runner's `escapeData` does.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value the way the runner's `escapeProperty` does.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_from_the_ledger_starts_a_line_or_acts_on_the_log() {
        use crate::diagnostic::Code;
        use crate::source::{SourceFile, Span};
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new(
            "a\n::warning title=x::Forged.track2",
            None,
            "party AM A\n".to_owned(),
        ));
        let diagnostic = Diagnostic::new(
            Code::ControlCharacter,
            file,
            Span::new(9, 10),
            "x\r\n::error::Forged \u{1b}[2J %0A",
        )
        .with_help("y\n::stop-commands::t");
        let out = render(&[diagnostic], &sources);
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(out.starts_with("::error file="), "{out}");
        assert!(!out.trim_end().chars().any(char::is_control), "{out:?}");
        assert!(
            out.contains("%25 0A") || out.contains("%250A"),
            "a literal %0A stays literal: {out}"
        );
    }

    #[test]
    fn escapes_as_the_runner_does() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("C:\\a,b.track2"), "C%3A\\a%2Cb.track2");
    }
}
