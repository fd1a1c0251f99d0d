//! Properties of the formatter over ledgers nobody wrote by hand.
//!
//! Ledgers come from the one generator (`support/generator/`), small shape,
//! noisy layout: random blanks, tabs, indents, field order, blank lines,
//! comment lines and includes, declarations strewn among engagements, in LF
//! or CRLF, with or without a BOM and a final line ending, and with faults of
//! meaning injected so that there are diagnostics to keep. For each,
//! formatting must succeed, be idempotent, keep the meaning (the model and
//! every diagnostic in full, at its moved place: `support/meaning.rs`), keep
//! every comment attached to what it preceded, and produce text that looks
//! canonical line by line. The same properties are checked on real files
//! mutated at random whenever they still parse.
//!
//! The generator reads a tape of random bytes, so that proptest shrinks a
//! failure towards a tape of zeros: the plainest ledger that still fails.
//! Case counts are bounded so that CI stays fast; raise `PROPTEST_CASES` to
//! search longer locally.

use std::collections::BTreeMap;

use proptest::prelude::*;
use track2::format::{format_text, is_formatted};
use track2::loader;
use track2::parser;
use track2::source::FileId;
use track2::syntax::{BlockLine, Item};

use crate::support::cases as cases_or;
use crate::support::generator::{Config, Fault, Generated, Layout, Shape, generate_from_tape};
use crate::support::meaning::Meaning;

/// 512 cases per property unless `PROPTEST_CASES` says otherwise.
fn cases() -> u32 {
    cases_or(512)
}

/// A small noisy ledger of `entries` engagements, `errors` of them with a
/// fault the formatter must keep, every choice read from `tape`.
fn generated_ledger(entries: usize, errors: usize, tape: &[u8]) -> Generated {
    let config = Config {
        shape: Shape::Small,
        layout: Layout::Noisy,
        errors,
        faults: Fault::OF_MEANING,
        ..Config::new(entries)
    };
    generate_from_tape(&config, tape)
}

// Properties ----------------------------------------------------------------

/// What a comment is attached to. Top-level comments stand before the
/// `n`-th non-comment item; comments inside a block precede one field (its
/// key, and which occurrence of that key in the block it is).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Anchor {
    BeforeItem(usize),
    Field {
        block: usize,
        key: String,
        occurrence: usize,
    },
    EndOfBlock(usize),
}

/// Every comment's text, grouped by what it is attached to, in order.
///
/// The order of all comments in a file is not kept when fields move (a
/// comment above `venue` follows one above `format` once `format` goes
/// first); the order within each attachment is, and that is what this holds.
fn comments_by_anchor(text: &str) -> BTreeMap<Anchor, Vec<&str>> {
    let (document, _) = parser::parse(FileId(0), text);
    let mut anchors: BTreeMap<Anchor, Vec<&str>> = BTreeMap::new();
    let mut items_before = 0;
    for item in &document.items {
        match item {
            Item::Blank => {}
            Item::Comment(span) => anchors
                .entry(Anchor::BeforeItem(items_before))
                .or_default()
                .push(&text[span.range()]),
            Item::Include(_) => items_before += 1,
            Item::Block(block) => {
                let mut pending = Vec::new();
                let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
                for line in &block.lines {
                    match line {
                        BlockLine::Blank => {}
                        BlockLine::Comment(span) => pending.push(&text[span.range()]),
                        BlockLine::Field(field) => {
                            let key = &text[field.key.range()];
                            let occurrence = seen.entry(key).or_default();
                            *occurrence += 1;
                            let anchor = Anchor::Field {
                                block: items_before,
                                key: key.to_owned(),
                                occurrence: *occurrence,
                            };
                            if !pending.is_empty() {
                                anchors.entry(anchor).or_default().append(&mut pending);
                            }
                        }
                    }
                }
                if !pending.is_empty() {
                    anchors.insert(Anchor::EndOfBlock(items_before), pending);
                }
                items_before += 1;
            }
        }
    }
    anchors
}

/// What canonical text looks like line by line (GRAMMAR.md §8).
fn assert_looks_canonical(input: &str, output: &str) {
    let had_bom = input.starts_with('\u{feff}');
    assert_eq!(output.starts_with('\u{feff}'), had_bom, "the BOM is kept as found");
    let body = output.strip_prefix('\u{feff}').unwrap_or(output);
    if body.is_empty() {
        return;
    }
    let ending = if body.split('\n').next().unwrap().ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    assert!(body.ends_with(ending), "a single final line ending");
    let lines: Vec<&str> = body[..body.len() - ending.len()].split(ending).collect();
    let mut previous_blank = true;
    for line in &lines {
        assert!(
            !line.contains('\r') && !line.contains('\n'),
            "mixed line endings: {line:?}"
        );
        assert_eq!(line.trim_end_matches([' ', '\t']), *line, "trailing blanks: {line:?}");
        let blank = line.is_empty();
        assert!(!(blank && previous_blank), "a leading or doubled blank line");
        previous_blank = blank;
        if line.starts_with([' ', '\t']) {
            assert!(
                line.starts_with("  ") && !line[2..].starts_with([' ', '\t']),
                "indent other than two spaces: {line:?}"
            );
        }
    }
    assert!(!previous_blank, "a blank line at the end");
}

/// Every property, for one input that the parser accepts.
fn assert_formats_well(input: &str) -> Result<(), TestCaseError> {
    let output = format_text(input)
        .map_err(|diagnostics| TestCaseError::fail(format!("formatting failed: {diagnostics:?}\ninput: {input:?}")))?;
    let again = format_text(&output).map_err(|_| TestCaseError::fail("the output does not parse"))?;
    prop_assert_eq!(&again, &output, "not idempotent; input: {:?}", input);
    // `fmt --check` compares as it formats, keeping nothing: it must say
    // what comparing the kept output says, for the input and the output.
    prop_assert_eq!(is_formatted(input), Ok(output == input), "input: {:?}", input);
    prop_assert_eq!(is_formatted(&output), Ok(true), "output: {:?}", &output);
    let (before, after) = (Meaning::of_text(input), Meaning::of_text(&output));
    prop_assert!(
        before == after,
        "the meaning changed\ninput: {input:?}\noutput: {output:?}\nbefore: {before:#?}\nafter: {after:#?}"
    );
    prop_assert_eq!(
        comments_by_anchor(input),
        comments_by_anchor(&output),
        "comments lost or moved\ninput: {:?}\noutput: {:?}",
        input,
        &output
    );
    assert_looks_canonical(input, &output);
    Ok(())
}

/// Real files to mutate: the bundled ledgers and the golden corpus, read once.
fn seeds() -> &'static [String] {
    static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = loader::ledger_files(&root.join("ledgers")).unwrap();
        paths.extend(loader::ledger_files(&root.join("grammar/tests/fmt")).unwrap());
        paths
            .iter()
            .map(|path| std::fs::read_to_string(path).unwrap())
            .collect()
    })
}

/// Fragments that matter to the layout, so that mutations keep many files
/// parseable while moving their blanks, comments and line endings about.
const FRAGMENTS: &[&str] = &[
    "\n",
    "\r\n",
    " ",
    "\t",
    "# ",
    "\n# c\n",
    "\n  # c\n",
    "\n\n",
    ",",
    " , ",
    "+2 AZ",
    "  x-k: v\n",
    "  note: n\n",
    "\u{feff}",
    "->",
    "+",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn generated_ledgers_format_well(
        entries in 0..6usize,
        errors in 0..3usize,
        tape in proptest::collection::vec(any::<u8>(), 0..1500),
    ) {
        let generated = generated_ledger(entries, errors, &tape);
        let input = generated.text();
        // Every comment the generator wrote is one the parser sees, so that
        // comparing them by anchor below compares them all.
        let mut seen: Vec<&str> = comments_by_anchor(input).into_values().flatten().collect();
        let mut planted: Vec<&str> = generated.comments.iter().map(String::as_str).collect();
        seen.sort_unstable();
        planted.sort_unstable();
        prop_assert_eq!(seen, planted);
        assert_formats_well(input)?;
    }

    #[test]
    fn mutated_files_that_still_parse_format_well(
        seed in any::<proptest::sample::Index>(),
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0..FRAGMENTS.len() + 1), 1..6),
    ) {
        let seeds = seeds();
        let mut text = seeds[seed.index(seeds.len())].clone();
        for (at, fragment) in edits {
            let mut at = at.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match FRAGMENTS.get(fragment) {
                Some(fragment) => text.insert_str(at, fragment),
                // One past the fragments: delete the character there.
                None if at < text.len() => {
                    text.remove(at);
                }
                None => {}
            }
        }
        // Most mutations break the syntax, and such files are never
        // formatted (tests/it/fmt.rs covers that); the rest must format well.
        if parser::parse(FileId(0), &text).1.is_empty() {
            assert_formats_well(&text)?;
        }
    }
}

#[test]
fn the_plainest_generated_ledger_is_valid_and_canonical() {
    let generated = generated_ledger(3, 0, &[]);
    let input = generated.text();
    assert!(Meaning::of_text(input).diagnostics.is_empty(), "{input:?}");
    assert_eq!(format_text(input).as_deref(), Ok(input));
}

#[test]
fn generated_ledgers_cover_what_they_should() {
    // Over a few tapes, the generator reaches comments inside blocks, CRLF,
    // a BOM, includes, joint delegations, counts, diagnostics to keep, and
    // text that formatting changes.
    let mut seen = [false; 8];
    for seed in 0..200u32 {
        let tape: Vec<u8> = (0..1500u32)
            .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed.wrapping_mul(40_503)) >> 13) as u8)
            .collect();
        let generated = generated_ledger(5, 1, &tape);
        let input = generated.text();
        seen[0] |= input.contains("\n  # c") || input.contains("\n\t# c");
        seen[1] |= input.contains("\r\n");
        seen[2] |= input.starts_with('\u{feff}');
        seen[3] |= input.contains("\ninclude");
        seen[4] |= input
            .lines()
            .any(|line| line.starts_with(char::is_numeric) && line.contains('+'));
        seen[5] |= input.contains(", +") || input.contains(",+");
        seen[6] |= !Meaning::of_text(input).diagnostics.is_empty();
        seen[7] |= format_text(input).is_ok_and(|output| output != input);
    }
    assert_eq!(seen, [true; 8]);
}
