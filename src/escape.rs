//! Text from a ledger, or a file name, made safe for where it is shown.
//!
//! A ledger may come from anyone who can open a pull request, and so may the
//! names of its files. Shown raw, a control character in either acts on
//! whatever displays it: `ESC ] 0 ;` retitles a terminal, `ESC [ 2 J` clears
//! it, a line break followed by `::warning::` becomes a GitHub workflow
//! command, and a cell that starts with `=` is a formula in a spreadsheet.
//! Every output for a person goes through the functions here, so that each
//! rule is written once.
//!
//! Escaping is for display, not for reading back: a backslash is left as it
//! is, so `\n` in the output may stand for a line break or for the two
//! characters themselves. What matters is that nothing acts.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

/// Whether `c` is a control character: C0 (U+0000–U+001F), DEL (U+007F)
/// or C1 (U+0080–U+009F), the characters terminals act on.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// Whether `c` must not be shown raw: a control character, a line or
/// paragraph separator (U+2028, U+2029, which end a line where a reader
/// expects one), or a bidirectional mark, override or isolate (U+200E,
/// U+200F, U+202A–U+202E, U+2066–U+2069), which make a line display in an
/// order other than the one it has.
pub fn is_unsafe(c: char) -> bool {
    is_control(c)
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character ([`is_unsafe`]) written as an escape:
/// `\n`, `\r`, `\t`, `\x1b` for the rest of C0 and DEL, `\u{85}` for C1
/// and the others. Text without one is returned as it is, without a copy.
pub fn text(text: &str) -> Cow<'_, str> {
    escape_controls(text, is_unsafe)
}

/// Like [`text`], but a tab is kept: a tab is a blank in a ledger, and a
/// source line shown under a diagnostic keeps its layout (miette expands it).
pub fn source_line(text: &str) -> Cow<'_, str> {
    escape_controls(text, |c| c != '\t' && is_unsafe(c))
}

/// How many bytes [`source_line`] turns `c` into.
pub fn source_line_len(c: char) -> usize {
    if c != '\t' && is_unsafe(c) {
        escaped_len(c)
    } else {
        c.len_utf8()
    }
}

fn escape_controls(text: &str, escaped: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

fn escaped_len(c: char) -> usize {
    match c {
        '\n' | '\r' | '\t' => 2,
        c if (c as u32) < 0x80 => 4,
        // `\u{80}` to `\u{9f}`, and `\u{2028}` and the like.
        c => 4 + format!("{:x}", c as u32).len(),
    }
}

/// A path as a person should see it: control characters escaped as in
/// [`text`], and bytes that are not UTF-8 as `\xff` (as `ls` quotes names),
/// never replaced by U+FFFD, which would hide which name it is.
pub fn path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(&text(chunk.valid()));
            for byte in chunk.invalid() {
                let _ = write!(out, "\\x{byte:02x}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        text(&path.to_string_lossy()).into_owned()
    }
}

/// A JSON document with DEL and the C1 controls written as `\u007f` to
/// `\u009f`. JSON requires only C0 to be escaped, so serializers leave the
/// rest raw, and a JSON report printed to a terminal or a CI log would carry
/// them; escaped, the document means exactly the same. Outside strings JSON
/// is ASCII, so every such character is inside one.
///
/// The other characters [`is_unsafe`] names (U+2028, bidirectional
/// overrides) are written as `\u2028` and the like too: printed raw, a
/// bidirectional override in a title reorders the rest of its line in a
/// terminal or a CI log, as it does anywhere else.
pub fn json(document: String) -> String {
    if !document.chars().any(is_unsafe) {
        return document;
    }
    let mut out = String::with_capacity(document.len() + 16);
    for c in document.chars() {
        if is_unsafe(c) && c != '\n' {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A CSV cell that a spreadsheet will not run: text that begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return gets a `'` in front, as OWASP
/// advises against CSV injection. Only for text taken from the ledger: a
/// number track2 computes (a negative balance) must stay a number.
///
/// The first character that counts is the first one after any blanks and
/// quotes: spreadsheets differ in what they strip from the front of a cell
/// before they look for a formula (` =1+1`, `"=1+1`), and a `'` in front of
/// those is as harmless as in front of any text.
pub fn spreadsheet_text(cell: &str) -> Cow<'_, str> {
    let start = cell.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\u{feff}'));
    let start = if start.is_empty() { cell } else { start };
    if start.starts_with(['=', '+', '-', '@', '\t', '\r']) || cell.starts_with(['\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell of a GitHub-flavoured Markdown table: `|` would end the cell and
/// a line break the table; `<` would open an HTML tag (`<img>`,
/// `<details>`), `[` a link or an image, `` ` `` a code span in which the
/// other escapes stop working, `*`, `_` and `~` emphasis. Each is written
/// with a backslash, which Markdown shows as the character itself; a line
/// break as `<br>`, and control characters as in [`text`].
pub fn markdown(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len() + 8);
    for c in cell.chars() {
        match c {
            '\\' | '|' | '<' | '>' | '[' | ']' | '`' | '*' | '_' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    text(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_shows_ledger_text_as_text() {
        assert_eq!(
            markdown("a|b <img src=x> [x](javascript:y) `c` *d* ~e~"),
            "a\\|b \\<img src=x\\> \\[x\\](javascript:y) \\`c\\` \\*d\\* \\~e\\~"
        );
        assert_eq!(markdown("AZ → AM, 2025-09"), "AZ → AM, 2025-09");
        assert_eq!(markdown("x\u{202e}\ny"), "x\\u{202e}<br>y");
    }

    #[test]
    fn json_escapes_bidirectional_overrides_and_separators() {
        let document = serde_json::to_string(&serde_json::json!({"m": "a\u{202e}b\u{2028}c"})).unwrap();
        let escaped = json(document);
        assert_eq!(escaped, r#"{"m":"a\u202eb\u2028c"}"#);
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["m"], "a\u{202e}b\u{2028}c");
    }

    #[test]
    fn separators_and_bidirectional_marks_are_escaped_too() {
        assert_eq!(
            text("C1 \u{9b} and \u{2028}\u{2029}"),
            "C1 \\u{9b} and \\u{2028}\\u{2029}"
        );
        assert_eq!(text("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
        let plain = "undeclared person `Բարեւ` in C:\\ledgers\\2025.track2";
        assert!(matches!(text(plain), Cow::Borrowed(borrowed) if borrowed == plain));
        assert_eq!(source_line_len('\u{202e}'), "\\u{202e}".len());
    }

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(text("Yerevan"), "Yerevan");
        assert!(matches!(text("Հայաստան"), Cow::Borrowed(_)));
        assert_eq!(text("a\u{1b}]0;pwned\u{7}b\u{1b}[2J"), "a\\x1b]0;pwned\\x07b\\x1b[2J");
        assert_eq!(text("x\n::warning::Forged"), "x\\n::warning::Forged");
        assert_eq!(text("\u{7f}\u{85}\u{9b}\t\r\0"), "\\x7f\\u{85}\\u{9b}\\t\\r\\x00");
    }

    #[test]
    fn source_lines_keep_their_tabs() {
        assert_eq!(source_line("\tnote: a\u{1b}b"), "\tnote: a\\x1bb");
    }

    #[test]
    fn escaped_lengths_agree_with_the_escapes() {
        for c in [
            '\n', '\r', '\t', '\0', '\u{1b}', '\u{7f}', '\u{80}', '\u{9f}', 'a', 'ə', 'Հ',
        ] {
            let mut one = [0; 4];
            let alone: &str = c.encode_utf8(&mut one);
            assert_eq!(source_line(alone).len(), source_line_len(c), "{c:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn paths_show_bytes_that_are_not_utf8_and_controls() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let name = Path::new(OsStr::from_bytes(b"ledgers/a\xff\nb.track2"));
        assert_eq!(path(name), "ledgers/a\\xff\\nb.track2");
        assert_eq!(path(Path::new("ledgers/ə.track2")), "ledgers/ə.track2");
    }

    #[test]
    fn json_escapes_every_control_character_and_means_the_same() {
        let document = serde_json::to_string_pretty(&serde_json::json!({"m": "a\u{7f}b\u{9b}c\u{1b}"})).unwrap();
        let escaped = json(document.clone());
        assert!(!escaped.chars().any(|c| is_control(c) && c != '\n'), "{escaped:?}");
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["m"], "a\u{7f}b\u{9b}c\u{1b}");
        assert_eq!(json("{\n  \"a\": 1\n}".to_owned()), "{\n  \"a\": 1\n}");
    }

    #[test]
    fn formulas_are_defused_and_plain_text_kept() {
        for formula in ["=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(spreadsheet_text(formula), format!("'{formula}"));
        }
        for hidden in [" =1+1", "\"=1+1", "'@SUM(A1)", "\u{a0}-1", " \" +1"] {
            assert_eq!(spreadsheet_text(hidden), format!("'{hidden}"));
        }
        assert_eq!(spreadsheet_text("\"quoted\""), "\"quoted\"");
        assert_eq!(spreadsheet_text("Peace Bridge"), "Peace Bridge");
        assert_eq!(spreadsheet_text(""), "");
    }
}
