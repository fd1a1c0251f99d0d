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
        let file = crate::escape::text(at.file);
        let (line, column) = (at.start.line, at.start.column);
        writeln!(
            out,
            "{file}:{line}:{column}: {}: {} [{}]",
            diagnostic.severity().as_str(),
            crate::escape::text(&diagnostic.message),
            diagnostic.code,
        )
        .expect("writing to a String cannot fail");
        if let Some(help) = &diagnostic.help {
            writeln!(out, "{file}:{line}:{column}: note: {}", crate::escape::text(help))
                .expect("writing to a String cannot fail");
        }
        for related in &diagnostic.related {
            let at = place(sources, related.location);
            writeln!(
                out,
                "{}:{}:{}: note: {}",
                crate::escape::text(at.file),
                at.start.line,
                at.start.column,
                crate::escape::text(&related.message),
            )
            .expect("writing to a String cannot fail");
        }
    }
    out
}
