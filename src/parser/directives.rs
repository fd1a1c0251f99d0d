//! Where a file's directives are: its `include` lines and its declaration
//! blocks, found by looking only at the first bytes of its lines, which is
//! much cheaper than parsing it. The loader follows includes and the
//! analyzer reads declarations first, so that an id may be used before the
//! line that declares it.

use crate::syntax::DeclarationKind;

/// Where the directives of a file are, found by looking only at the first
/// bytes of its lines: much cheaper than parsing it.
#[derive(Clone, Debug, Default)]
pub struct Directives {
    /// The lines that start with `include`.
    pub includes: Vec<std::ops::Range<usize>>,
    /// Each declaration block: its header line up to the next line that
    /// starts a new item.
    pub declarations: Vec<std::ops::Range<usize>>,
    /// Whether the last declaration ran to the end of the outlined range,
    /// so that what follows the range may still belong to it.
    open_at_end: bool,
}

/// Finds the include lines and declaration blocks of `text`, so that they
/// can be read before the rest of the file: includes say which files form the
/// ledger, declarations what the ids mean. Each range parses on its own with
/// [`parse_into`]; anything wrong in them is reported by the full parse.
pub fn directives(text: &str) -> Directives {
    let (mut directives, _) = directives_in(text, 0..text.len());
    close_last_declaration(&mut directives, text.len());
    directives
}

/// The outline of the lines in `range` (which starts at a line start), and
/// the start of its first line that begins a new item. A declaration still
/// open at the end of the range is left with its end at `range.end`: the
/// next range's first item may have to close it (see [`join_directives`]).
pub fn directives_in(text: &str, range: std::ops::Range<usize>) -> (Directives, Option<usize>) {
    let bytes = &text.as_bytes()[..range.end];
    let first = if range.start == 0 && text.starts_with('\u{feff}') {
        3
    } else {
        range.start
    };
    let line_starts =
        std::iter::once(first).chain(memchr::memchr_iter(b'\n', &bytes[first..]).map(|newline| first + newline + 1));
    let mut outline = Directives::default();
    let mut open_declaration: Option<usize> = None;
    let mut first_item = None;
    for start in line_starts {
        let Some(&byte) = bytes.get(start) else { continue };
        // Blank, field and comment lines go on whatever block is open.
        if matches!(byte, b' ' | b'\t' | b'\r' | b'\n' | b'#') {
            continue;
        }
        first_item.get_or_insert(start);
        if let Some(open) = open_declaration.take() {
            outline.declarations.push(open..start);
        }
        let rest = &bytes[start..];
        let word_then_blank = |word: &[u8]| {
            rest.starts_with(word) && matches!(rest.get(word.len()), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
        };
        if word_then_blank(b"include") {
            let end = memchr::memchr(b'\n', rest).map_or(bytes.len(), |newline| start + newline);
            outline.includes.push(start..end);
        } else if DeclarationKind::ALL
            .iter()
            .any(|kind| word_then_blank(kind.keyword().as_bytes()))
        {
            open_declaration = Some(start);
        }
    }
    if let Some(open) = open_declaration {
        outline.declarations.push(open..range.end);
        outline.open_at_end = true;
    }
    (outline, first_item)
}

fn close_last_declaration(outline: &mut Directives, end: usize) {
    if outline.open_at_end {
        if let Some(last) = outline.declarations.last_mut() {
            last.end = end;
        }
        outline.open_at_end = false;
    }
}

/// Joins the outlines of consecutive ranges that together cover `text`,
/// each with the start of its first item, into the outline of the whole.
pub fn join_directives(text: &str, parts: Vec<(Directives, Option<usize>)>) -> Directives {
    let mut whole = Directives::default();
    for (part, first_item) in parts {
        // A declaration open at the end of the last part runs to this
        // part's first item; if it has none, on through this part.
        if whole.open_at_end {
            match first_item {
                Some(start) => close_last_declaration(&mut whole, start),
                None => {
                    whole.includes.extend(part.includes);
                    continue;
                }
            }
        }
        whole.includes.extend(part.includes);
        whole.declarations.extend(part.declarations);
        whole.open_at_end = part.open_at_end;
    }
    close_last_declaration(&mut whole, text.len());
    whole
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directives_eq(a: &Directives, b: &Directives) -> bool {
        a.includes == b.includes && a.declarations == b.declarations
    }

    #[test]
    fn directives_of_pieces_join_into_those_of_the_whole() {
        let texts = [
            "\u{feff}party AM A\n  wikidata: Q1\n\n# c\n  x-a: b\nperson p P\n  party: AM\n2025 AM -> AZ T\n  format: f\ninclude \"x\"\norg o O\n",
            "person p P\n\n  party: AM\n\n\n  org: o\n",
            "2025 AM -> AZ T\ninclude \"a\"\n  bad: field\nformat f F",
        ];
        for text in texts {
            let whole = directives(text);
            let starts: Vec<usize> = std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|n| n + 1))
                .filter(|&start| start < text.len())
                .collect();
            for &first in &starts[1..] {
                for &second in starts.iter().filter(|&&start| start > first) {
                    for cuts in [vec![0, first, text.len()], vec![0, first, second, text.len()]] {
                        let parts = cuts
                            .windows(2)
                            .map(|pair| directives_in(text, pair[0]..pair[1]))
                            .collect();
                        let joined = join_directives(text, parts);
                        assert!(
                            directives_eq(&joined, &whole),
                            "{text:?} cut at {cuts:?}: {joined:?} != {whole:?}"
                        );
                    }
                }
            }
        }
    }
}
