//! Where the cursor is, for completion: on an id of some kind, a field key,
//! a value of an enumerated field, an include path, or the start of a line.
//! Read from the text around the cursor, since a line being typed rarely
//! parses.

use super::super::text::{self, field_lines, header_above, key_of, line_at, word_at};
use crate::index::Namespace;
use crate::parser;
use crate::schema::{self, BlockKind, FieldSpec, ValueKind};
use crate::source::Span;
use crate::syntax::{BLANKS, DeclarationKind};

/// What the cursor is on, and the word that an item replaces.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum CompletionSite {
    /// An id of a kind; `exclude` are the ids beside it that would make a
    /// duplicate (the other items of a list, the other parties of a
    /// direction).
    Id {
        namespace: Namespace,
        token: Span,
        exclude: Vec<String>,
        /// Parties whose people come first: the visiting side for
        /// `participants`, the host for `met`.
        prefer: Vec<String>,
    },
    /// The host of a direction: a party, `online` or `?`.
    Destination {
        token: Span,
        exclude: Vec<String>,
    },
    Key {
        kind: BlockKind,
        token: Span,
        present: Vec<String>,
        has_colon: bool,
    },
    Choice {
        words: &'static [&'static str],
        token: Span,
    },
    IncludePath {
        token: Span,
    },
    /// The start of a top-level line: a keyword or a new engagement.
    LineStart {
        token: Span,
    },
    Nothing,
}

/// What a field refers to, as the analyzer resolves it (GRAMMAR.md §4.1
/// and §4.2); the test below holds the two together.
pub(super) fn referenced(kind: BlockKind, key: &str) -> Option<Namespace> {
    use DeclarationKind::{Format, Org, Party, Person, Series};
    let declaration = Namespace::Declaration;
    match (kind, key) {
        (BlockKind::Engagement, "format") => Some(declaration(Format)),
        (BlockKind::Engagement, "series") => Some(declaration(Series)),
        (BlockKind::Engagement, "reciprocates") => Some(Namespace::Engagement),
        (BlockKind::Engagement, "sponsors") => Some(declaration(Org)),
        (BlockKind::Engagement, "participants" | "met") => Some(declaration(Person)),
        (BlockKind::Engagement, "tags") => Some(Namespace::Tag),
        (BlockKind::Declaration(Person | Org), "party") => Some(declaration(Party)),
        (BlockKind::Declaration(Person), "org") => Some(declaration(Org)),
        _ => None,
    }
}

pub(super) fn place_at(text: &str, offset: usize) -> CompletionSite {
    let offset = text::floor(text, offset);
    let line = line_at(text, offset);
    let content = &text[line.clone()];
    match content.bytes().next() {
        None => CompletionSite::LineStart {
            token: Span::point(offset),
        },
        Some(b' ' | b'\t') => field_place(text, offset, line),
        Some(byte) if byte.is_ascii_digit() => header_place(text, offset, line),
        Some(byte) if byte.is_ascii_alphabetic() => directive_place(text, offset, line),
        Some(_) => CompletionSite::Nothing,
    }
}

fn field_place(text: &str, offset: usize, line: std::ops::Range<usize>) -> CompletionSite {
    let content = &text[line.clone()];
    let indent_end = line.start + (content.len() - content.trim_start_matches(BLANKS).len());
    if content[indent_end - line.start..].starts_with('#') {
        return CompletionSite::Nothing;
    }
    let Some(header) = header_above(text, line.start) else {
        return CompletionSite::Nothing;
    };
    let Some(kind) = text::block_kind(&text[header.clone()]) else {
        return CompletionSite::Nothing;
    };
    let colon = content[indent_end - line.start..].find(':').map(|at| indent_end + at);
    if colon.is_none_or(|colon| offset <= colon) {
        if offset < indent_end {
            return CompletionSite::Nothing;
        }
        let token = word_at(text, offset, line.clone());
        let present = field_lines(text, &header)
            .into_iter()
            .filter(|other| *other != line)
            .filter_map(|other| key_of(&text[other]).map(str::to_owned))
            .collect();
        return CompletionSite::Key {
            kind,
            token: Span::new(token.start.max(indent_end as u32) as usize, token.end as usize),
            present,
            has_colon: colon.is_some(),
        };
    }
    let colon = colon.unwrap_or(line.end);
    let key = text[indent_end..colon].trim_matches(BLANKS);
    let Some(spec) = schema::field_slot(kind, key).map(|slot| schema::fields(kind)[slot]) else {
        return CompletionSite::Nothing;
    };
    let value = colon + 1..line.end;
    value_place(text, offset, kind, spec, value, &text[header])
}

fn value_place(
    text: &str,
    offset: usize,
    kind: BlockKind,
    spec: FieldSpec,
    value: std::ops::Range<usize>,
    header: &str,
) -> CompletionSite {
    let word = word_at(text, offset, value.clone());
    match spec.value {
        ValueKind::Choice(words) => CompletionSite::Choice { words, token: word },
        ValueKind::Id => match referenced(kind, spec.key) {
            Some(namespace) => CompletionSite::Id {
                namespace,
                token: word,
                exclude: Vec::new(),
                prefer: Vec::new(),
            },
            None => CompletionSite::Nothing,
        },
        ValueKind::IdList | ValueKind::Participants => {
            let Some(namespace) = referenced(kind, spec.key) else {
                return CompletionSite::Nothing;
            };
            let list = &text[value.clone()];
            let cursor = offset - value.start;
            let item_start = list[..cursor].rfind(',').map_or(0, |comma| comma + 1);
            let item_end = list[cursor..].find(',').map_or(list.len(), |comma| cursor + comma);
            let item = list[item_start..item_end].trim_start_matches(BLANKS);
            let others = |keep: &dyn Fn(&str) -> Option<String>| -> Vec<String> {
                list.split(',')
                    .map(|other| other.trim_matches(BLANKS))
                    .filter(|other| !other.is_empty() && *other != list[item_start..item_end].trim_matches(BLANKS))
                    .filter_map(keep)
                    .collect()
            };
            let (origin, host) = direction_of(header);
            if spec.value == ValueKind::Participants && item.starts_with('+') {
                // A count, `+3 AZ`: the party comes after the number and a blank.
                let item_offset = value.start + item_start + (list[item_start..item_end].len() - item.len());
                let number_end = item_offset + 1 + item[1..].find(BLANKS).unwrap_or(item.len() - 1);
                if offset <= number_end {
                    return CompletionSite::Nothing;
                }
                let counted = |other: &str| {
                    other
                        .strip_prefix('+')
                        .and_then(|count| count.rsplit(BLANKS).next())
                        .map(str::to_owned)
                };
                return CompletionSite::Id {
                    namespace: Namespace::Declaration(DeclarationKind::Party),
                    token: word,
                    exclude: others(&counted),
                    prefer: origin,
                };
            }
            let prefer = match spec.key {
                "participants" => origin,
                "met" => host.into_iter().collect(),
                _ => Vec::new(),
            };
            CompletionSite::Id {
                namespace,
                token: word,
                exclude: others(&|other| (!other.starts_with('+')).then(|| other.to_owned())),
                prefer,
            }
        }
        ValueKind::Text | ValueKind::Url | ValueKind::Date | ValueKind::Wikidata => CompletionSite::Nothing,
    }
}

/// The visiting parties and the host of an engagement header, as written,
/// read loosely so that a header being typed still says what it can.
fn direction_of(header: &str) -> (Vec<String>, Option<String>) {
    if !header.starts_with(|c: char| c.is_ascii_digit()) {
        return (Vec::new(), None);
    }
    let after_date = header.find(BLANKS).map_or("", |blank| &header[blank..]);
    let (origin, rest) = match after_date.find("->") {
        Some(arrow) => (&after_date[..arrow], Some(&after_date[arrow + 2..])),
        None => (after_date, None),
    };
    let origin = origin
        .split('+')
        .map(|party| party.trim_matches(BLANKS))
        .filter(|party| parser::is_id(party))
        .map(str::to_owned)
        .collect();
    let host = rest.and_then(|rest| {
        let rest = rest.trim_start_matches(BLANKS);
        let length = parser::id_length(rest);
        (length > 0).then(|| rest[..length].to_owned())
    });
    (origin, host)
}

fn header_place(text: &str, offset: usize, line: std::ops::Range<usize>) -> CompletionSite {
    let content = &text[line.clone()];
    let date_end = line.start + content.find(BLANKS).unwrap_or(content.len());
    if offset <= date_end {
        // Typing a date at the start of a line: a new engagement, if the
        // line holds nothing else yet.
        return if date_end == line.end {
            CompletionSite::LineStart {
                token: Span::new(line.start, date_end),
            }
        } else {
            CompletionSite::Nothing
        };
    }
    let word = word_at(text, offset, line.clone());
    let (origin, host) = direction_of(content);
    let arrow = content[date_end - line.start..].find("->").map(|at| date_end + at);
    match arrow {
        Some(arrow) if offset >= arrow + 2 => {
            let rest = &text[arrow + 2..line.end];
            let destination_start = arrow + 2 + (rest.len() - rest.trim_start_matches(BLANKS).len());
            let length = match text.as_bytes()[destination_start..line.end].first() {
                Some(b'?') => 1,
                _ => parser::id_length(&text[destination_start..line.end]),
            };
            if offset > destination_start + length {
                return CompletionSite::Nothing;
            }
            let token = if offset < destination_start {
                Span::point(offset)
            } else {
                Span::new(destination_start, destination_start + length)
            };
            CompletionSite::Destination { token, exclude: origin }
        }
        Some(arrow) if offset > arrow => CompletionSite::Nothing,
        _ => {
            let current = &text[word.range()];
            let exclude = origin
                .into_iter()
                .filter(|party| party != current)
                .chain(host)
                .collect();
            CompletionSite::Id {
                namespace: Namespace::Declaration(DeclarationKind::Party),
                token: word,
                exclude,
                prefer: Vec::new(),
            }
        }
    }
}

fn directive_place(text: &str, offset: usize, line: std::ops::Range<usize>) -> CompletionSite {
    let content = &text[line.clone()];
    let first = parser::id_length(content);
    if offset <= line.start + first {
        return CompletionSite::LineStart {
            token: Span::new(line.start, line.start + first),
        };
    }
    if &content[..first] != "include" {
        return CompletionSite::Nothing;
    }
    let Some(open) = content.find('"').map(|at| line.start + at + 1) else {
        return CompletionSite::Nothing;
    };
    if offset < open {
        return CompletionSite::Nothing;
    }
    let close = text[open..line.end].find('"').map_or(line.end, |at| open + at);
    if offset > close {
        return CompletionSite::Nothing;
    }
    CompletionSite::IncludePath {
        token: Span::new(open, close),
    }
}
