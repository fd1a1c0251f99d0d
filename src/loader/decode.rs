//! A file's bytes made text: UTF-8 checked on every core for a large file,
//! invalid bytes replaced and reported once per line, and the places of its
//! includes and declarations found.

use crate::diagnostic::{Code, Diagnostic};
use crate::parallel;
use crate::parser::{self, Directives};
use crate::source::{self, FileId, MAX_FILE_SIZE, SourceFile, Span};

type Decoded = (String, Vec<source::InvalidUtf8>);

/// Decodes a file, or `None` if its text would not fit 32-bit spans.
/// The check follows decoding because decoding can grow the text: each
/// invalid byte becomes a three-byte replacement character.
pub(super) fn decode_within_limit(bytes: Vec<u8>) -> Option<Decoded> {
    if bytes.len() >= MAX_FILE_SIZE {
        return None;
    }
    let (text, invalid) = decode(bytes);
    (text.len() < MAX_FILE_SIZE).then_some((text, invalid))
}

/// [`source::decode_utf8`], with a large file checked on every core first:
/// cut at line ends, which are ASCII, every piece is UTF-8 exactly when the
/// whole is, and the common case (valid) then costs no second pass.
fn decode(bytes: Vec<u8>) -> Decoded {
    let pieces = parallel::text_pieces(&bytes);
    if pieces.len() > 1 {
        let valid = parallel::map(pieces, |piece| std::str::from_utf8(&bytes[piece]).is_ok());
        if valid.into_iter().all(|valid| valid) {
            // SAFETY: every piece is UTF-8 and the pieces are cut after a
            // `\n`, so the whole is UTF-8. The bytes are owned: nothing else
            // can change them.
            return (unsafe { String::from_utf8_unchecked(bytes) }, Vec::new());
        }
    }
    source::decode_utf8(bytes)
}

/// Where the includes and declarations of `text` are, found on every core
/// for a large file.
pub(super) fn directives_of(text: &str) -> Directives {
    let pieces = parallel::text_pieces(text.as_bytes());
    if pieces.len() <= 1 {
        return parser::directives(text);
    }
    let parts = parallel::map(pieces, |piece| parser::directives_in(text, piece));
    parser::join_directives(text, parts)
}

/// One diagnostic per line that holds bytes which are not UTF-8: a binary
/// file would otherwise bury everything else under thousands of them.
pub(super) fn report_invalid_utf8(
    file: FileId,
    source: &SourceFile,
    invalid: &[source::InvalidUtf8],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut last_line = None;
    for run in invalid {
        let line = source.line_index(run.decoded_offset);
        if last_line == Some(line) {
            continue;
        }
        last_line = Some(line);
        let span = Span::new(
            run.decoded_offset,
            run.decoded_offset + char::REPLACEMENT_CHARACTER.len_utf8(),
        );
        let what = if run.byte_len == 1 {
            "a byte that is not UTF-8".to_owned()
        } else {
            format!("{} bytes that are not UTF-8", run.byte_len)
        };
        diagnostics.push(
            Diagnostic::new(
                Code::InvalidUtf8,
                file,
                span,
                format!("{what}, at byte offset {}", run.byte_offset),
            )
            .with_help("save the file as UTF-8"),
        );
    }
}
