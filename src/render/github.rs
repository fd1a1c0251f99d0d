//! `--format github`: one workflow command per diagnostic, which GitHub
//! Actions turns into an annotation on the pull request's diff.

use std::fmt::Write as _;

use super::place;
use crate::diagnostic::{Diagnostic, Severity};
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
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(at.file),
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
    fn escapes_as_the_runner_does() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("C:\\a,b.track2"), "C%3A\\a%2Cb.track2");
    }
}
