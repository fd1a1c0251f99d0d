//! `--format gnu`: one line per diagnostic in the form compilers print
//! (the GNU coding standards' `FILE:LINE:COLUMN: MESSAGE`), which Vim's
//! `errorformat`, Emacs's `compile`, and most editors' problem matchers read
//! without configuration.
//!
//! ```text
//! ledgers/2025.track2:16:17: error: undeclared person `rusif-huseinov` [undeclared-person]
//! ledgers/2025.track2:16:17: note: did you mean `rusif-huseynov`?
//! ```
//!
//! A hint follows on a `note:` line at the same place, and every related
//! location (the earlier of two duplicates) on a `note:` line at its own
//! place, as GCC and Clang print theirs: a tool that knows the convention
//! attaches notes to the diagnostic above, and one that does not still shows
//! them as lines of their own.

use std::fmt::Write as _;

use super::place;
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// The lines for `diagnostics`, each ending in a newline.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let at = place(sources, diagnostic.location);
        let file = one_line(at.file);
        let (line, column) = (at.start.line, at.start.column);
        writeln!(
            out,
            "{file}:{line}:{column}: {}: {} [{}]",
            diagnostic.severity().as_str(),
            one_line(&diagnostic.message),
            diagnostic.code,
        )
        .expect("writing to a String cannot fail");
        if let Some(help) = &diagnostic.help {
            writeln!(out, "{file}:{line}:{column}: note: {}", one_line(help)).expect("writing to a String cannot fail");
        }
        for related in &diagnostic.related {
            let at = place(sources, related.location);
            writeln!(
                out,
                "{}:{}:{}: note: {}",
                one_line(at.file),
                at.start.line,
                at.start.column,
                one_line(&related.message),
            )
            .expect("writing to a String cannot fail");
        }
    }
    out
}

/// `text` with every character that could break the line or drive a
/// terminal written as an escape, so that one diagnostic stays one line
/// whatever a ledger's text or a file's name holds: control characters
/// (`\n`, `\r`, `\t`, others as `\u{1b}`) and the Unicode line and paragraph
/// separators, which some editors treat as line breaks. A backslash is left
/// as it is, so that Windows paths stay readable.
///
/// Private to this renderer until the shared escaping module lands.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    let needs_escape = |character: char| character.is_control() || matches!(character, '\u{2028}' | '\u{2029}');
    if !text.chars().any(needs_escape) {
        return text.into();
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            _ if needs_escape(character) => {
                write!(escaped, "\\u{{{:x}}}", u32::from(character)).expect("writing to a String cannot fail")
            }
            _ => escaped.push(character),
        }
    }
    escaped.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "undeclared person `Բարեւ` in C:\\ledgers\\2025.track2";
        assert!(matches!(one_line(text), std::borrow::Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn line_breaks_and_terminal_controls_are_escaped() {
        assert_eq!(one_line("a\nb\r\nc\td"), "a\\nb\\r\\nc\\td");
        assert_eq!(one_line("\u{1b}[31mred\u{7}"), "\\u{1b}[31mred\\u{7}");
        assert_eq!(
            one_line("C1 \u{9b} and \u{2028}\u{2029}"),
            "C1 \\u{9b} and \\u{2028}\\u{2029}"
        );
    }
}
