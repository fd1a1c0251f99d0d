//! Properties of the parser and checker over inputs nobody wrote by hand:
//! random bytes, and real ledgers mutated at random. Whatever the input, the
//! checker must not panic, every span it produces must lie within the file on
//! character boundaries, and every renderer must accept every diagnostic.
//!
//! Case counts are bounded so that CI stays fast; raise `PROPTEST_CASES` to
//! search longer locally.

use proptest::prelude::*;
use track2::loader;
use track2::render::{github, human::HumanRenderer, json};
use track2::source::{SourceFile, Span};
use track2::syntax::{BlockLine, Document, Header, Item};

use crate::support::{cases as cases_or, options};

/// 1,024 cases per property unless `PROPTEST_CASES` says otherwise.
fn cases() -> u32 {
    cases_or(1024)
}

fn assert_in_bounds(file: &SourceFile, span: Span, what: &str) {
    let text = file.text();
    assert!(span.start <= span.end, "{what}: reversed span {span:?}");
    assert!(
        span.end as usize <= text.len(),
        "{what}: span {span:?} past the end ({})",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start as usize),
        "{what}: {span:?} starts inside a character"
    );
    assert!(
        text.is_char_boundary(span.end as usize),
        "{what}: {span:?} ends inside a character"
    );
}

fn assert_tree_in_bounds(file: &SourceFile, document: &Document) {
    for item in &document.items {
        match item {
            Item::Blank => {}
            Item::Comment(span) => assert_in_bounds(file, *span, "comment"),
            Item::Include(include) => {
                for span in [include.line, include.path, include.quoted] {
                    assert_in_bounds(file, span, "include");
                }
            }
            Item::Block(block) => {
                assert_in_bounds(file, block.header_line, "header line");
                match &block.header {
                    Header::Declaration(header) => {
                        for span in [header.keyword, header.id, header.name] {
                            assert_in_bounds(file, span, "declaration header");
                        }
                    }
                    Header::Engagement(header) => {
                        let destination = header.destination.span();
                        for span in header
                            .origin
                            .iter()
                            .copied()
                            .chain([header.date, destination, header.title])
                        {
                            assert_in_bounds(file, span, "engagement header");
                        }
                    }
                    Header::Invalid => {}
                }
                for line in &block.lines {
                    match line {
                        BlockLine::Field(field) => {
                            assert_in_bounds(file, field.key, "field key");
                            assert_in_bounds(file, field.value, "field value");
                        }
                        BlockLine::Comment(span) => assert_in_bounds(file, *span, "block comment"),
                        BlockLine::Blank => {}
                    }
                }
            }
        }
    }
}

/// Checks `bytes` as a ledger and renders every diagnostic in every format.
fn check_everything(bytes: Vec<u8>) {
    let loaded = loader::load_bytes("fuzz.track2", bytes).expect("small inputs fit");
    let file = loaded.sources.get(track2::source::FileId(0));
    let (document, _) = track2::parser::parse(track2::source::FileId(0), file.text());
    assert_tree_in_bounds(file, &document);
    let analysis = track2::check(&loaded, &options());
    for diagnostic in &analysis.diagnostics {
        assert_in_bounds(file, diagnostic.location.span, diagnostic.code.as_str());
        for related in &diagnostic.related {
            assert_in_bounds(file, related.location.span, "related");
        }
    }
    let renderer = HumanRenderer::new(false, 80);
    for diagnostic in &analysis.diagnostics {
        let text = renderer.render(diagnostic, &loaded.sources);
        assert!(text.contains(diagnostic.code.as_str()));
    }
    let document: serde_json::Value =
        serde_json::from_str(&json::render(&analysis.diagnostics, &loaded.sources)).unwrap();
    assert_eq!(
        document["diagnostics"].as_array().unwrap().len(),
        analysis.diagnostics.len()
    );
    let annotations = github::render(&analysis.diagnostics, &loaded.sources);
    assert_eq!(annotations.lines().count(), analysis.diagnostics.len());
}

/// A real ledger to mutate: every bundled file, one after the other.
fn seed_ledger() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ledgers");
    let mut paths: Vec<_> = std::fs::read_dir(root).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect()
}

/// Fragments that matter to the grammar, so mutations reach deep paths.
const FRAGMENTS: &[&str] = &[
    "\n",
    "\r",
    "\r\n",
    " ",
    "\t",
    "#",
    ":",
    ",",
    ", ,",
    "+",
    "+3 AZ",
    "+0 AM",
    "->",
    "..",
    "-",
    "\u{feff}",
    "Հայ",
    "ə",
    "\u{fffd}",
    "0",
    "2025",
    "2025-02-30",
    "2025-10-21..2025-10-20",
    "party ",
    "person x X\n",
    "org ",
    "include \"x.track2\"\n",
    "  format: ",
    "  reciprocates: pb-1\n",
    "  participants: ",
    "online",
    "AM",
    "AZ",
    "  x-custom: v\n",
    "\"",
    "  status: planned\n",
    "  embargo: 2030\n",
];

#[derive(Debug, Clone)]
enum Mutation {
    Insert { at: usize, fragment: usize },
    Delete { at: usize, length: usize },
    DuplicateLine { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..FRAGMENTS.len()).prop_map(|(at, fragment)| Mutation::Insert { at, fragment }),
        (any::<usize>(), 1..40usize).prop_map(|(at, length)| Mutation::Delete { at, length }),
        any::<usize>().prop_map(|at| Mutation::DuplicateLine { at }),
    ]
}

fn apply(text: &mut Vec<u8>, mutation: &Mutation) {
    let len = text.len().max(1);
    match *mutation {
        Mutation::Insert { at, fragment } => {
            let at = at % len;
            text.splice(at..at, FRAGMENTS[fragment].bytes());
        }
        Mutation::Delete { at, length } => {
            let at = at % len;
            let end = (at + length).min(text.len());
            text.drain(at.min(end)..end);
        }
        Mutation::DuplicateLine { at } => {
            let at = at % len;
            let start = text[..at.min(text.len())]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let end = text[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(text.len(), |p| start + p + 1);
            let line = text[start..end].to_vec();
            text.splice(start..start, line);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_everything(bytes);
    }

    #[test]
    fn random_text_from_grammar_fragments_never_panics(
        fragments in proptest::collection::vec(0..FRAGMENTS.len(), 0..80)
    ) {
        let text: String = fragments.iter().map(|&index| FRAGMENTS[index]).collect();
        check_everything(text.into_bytes());
    }

    #[test]
    fn mutated_ledgers_never_panic(mutations in proptest::collection::vec(mutation(), 1..12)) {
        let mut text = seed_ledger().into_bytes();
        for mutation in &mutations {
            apply(&mut text, mutation);
        }
        check_everything(text);
    }
}

#[test]
fn the_unmutated_seed_is_valid() {
    let loaded = loader::load_bytes("seed.track2", seed_ledger().into_bytes()).unwrap();
    let analysis = track2::check(&loaded, &options());
    assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
}
