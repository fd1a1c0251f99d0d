//! Properties of the formatter over ledgers nobody wrote by hand.
//!
//! Ledgers are generated from a model (parties, orgs, persons, formats,
//! series, engagements, includes) and printed with random blanks, tabs,
//! indents, field order, blank lines and comment lines, in LF or CRLF, with
//! or without a BOM and a final line ending. For each, formatting must
//! succeed, be idempotent, keep the meaning (the model as JSON and the codes
//! of every diagnostic), keep every comment attached to what it preceded,
//! and produce text that looks canonical line by line. The same properties
//! are checked on real files mutated at random whenever they still parse.
//!
//! Generation reads a tape of random bytes, so that proptest shrinks a
//! failure towards a tape of zeros: the plainest ledger that still fails.
//! Case counts are bounded so that CI stays fast; raise `PROPTEST_CASES` to
//! search longer locally.

use std::collections::BTreeMap;

use proptest::prelude::*;
use track2::export::LedgerDocument;
use track2::format::format_text;
use track2::loader;
use track2::parser;
use track2::source::FileId;
use track2::syntax::{BlockLine, Item};

use crate::support::{cases as cases_or, options};

/// 512 cases per property unless `PROPTEST_CASES` says otherwise.
fn cases() -> u32 {
    cases_or(512)
}

// Generation ----------------------------------------------------------------

/// Choices read from random bytes; past the end every choice is 0, the
/// plainest option.
struct Tape<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Tape<'_> {
    /// A number in `0..n`.
    fn choose(&mut self, n: usize) -> usize {
        let byte = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        byte as usize % n
    }

    /// True about once in `n` times.
    fn one_in(&mut self, n: usize) -> bool {
        n > 0 && self.choose(n) == n - 1
    }

    fn pick<'p>(&mut self, options: &[&'p str]) -> &'p str {
        options[self.choose(options.len())]
    }

    /// At least one blank; the plainest is one space.
    fn blanks(&mut self) -> &'static str {
        self.pick(&[" ", "  ", "\t", " \t ", "   ", "\t\t"])
    }

    /// Any blanks, maybe none.
    fn blanks0(&mut self) -> &'static str {
        self.pick(&["", " ", "  ", "\t", " \t"])
    }

    /// Some of `items`, in a random order, each at most once.
    fn subset<'p>(&mut self, items: &[&'p str], max: usize) -> Vec<&'p str> {
        let mut pool: Vec<&str> = items.to_vec();
        let count = self.choose(max.min(pool.len()) + 1);
        (0..count).map(|_| pool.remove(self.choose(pool.len()))).collect()
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in (1..items.len()).rev() {
            items.swap(index, self.choose(index + 1));
        }
    }
}

const PARTIES: &[(&str, &str)] = &[
    ("AM", "Armenia"),
    ("AZ", "Azerbaijan"),
    ("NL", "The  Netherlands"),
    ("GE", "Georgia"),
    ("CH", "Swiss Confederation"),
];
const TEXTS: &[&str] = &[
    "Yerevan",
    "Baku, Old City  hall #2",
    "Հայաստան–Azərbaycan",
    "a: colon, and a comma",
    "trailing text # not a comment",
];
const DATES: &[&str] = &["2025-10-21", "2025", "2025-10", "2025-10-21..2025-10-23", "2024-02-29"];
const COMMENTS: &[&str] = &[
    "note",
    "wikidata: Q1",
    "TODO: check the date",
    "  inner  spacing\tkept",
    "#",
    "Հայերեն",
];

/// One block as lines: the header, then `(key, value)` fields.
struct BlockPlan {
    header: String,
    fields: Vec<(String, String)>,
}

/// Prints an id list with random blanks around the commas.
fn list(tape: &mut Tape, items: &[String]) -> String {
    let mut text = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            text.push_str(tape.blanks0());
            text.push(',');
            text.push_str(tape.blanks0());
        }
        text.push_str(item);
    }
    text
}

fn declaration(tape: &mut Tape, keyword: &str, id: &str, name: &str) -> String {
    format!("{keyword}{}{id}{}{name}", tape.blanks(), tape.blanks())
}

fn custom_fields(tape: &mut Tape, fields: &mut Vec<(String, String)>) {
    for _ in 0..tape.choose(3) {
        let key = tape.pick(&["x-a", "x-budget", "x-1"]);
        fields.push((key.to_owned(), tape.pick(TEXTS).to_owned()));
    }
}

/// The blocks of a ledger drawn from the tape; references mostly resolve,
/// but nothing forces them to: a semantic error is fine for the formatter.
fn plan(tape: &mut Tape) -> Vec<BlockPlan> {
    let mut blocks = Vec::new();
    let parties: Vec<&str> = PARTIES[..1 + tape.choose(PARTIES.len())].iter().map(|p| p.0).collect();
    for &(id, name) in &PARTIES[..parties.len()] {
        let mut fields = Vec::new();
        if tape.one_in(2) {
            fields.push(("wikidata".to_owned(), format!("Q{}", 100 + tape.choose(200))));
        }
        custom_fields(tape, &mut fields);
        blocks.push(BlockPlan {
            header: declaration(tape, "party", id, name),
            fields,
        });
    }
    let orgs: Vec<String> = (0..tape.choose(3)).map(|index| format!("org-{index}")).collect();
    for org in &orgs {
        let mut fields = Vec::new();
        if tape.one_in(2) {
            fields.push(("party".to_owned(), tape.pick(&parties).to_owned()));
        }
        if tape.one_in(2) {
            fields.push((
                "kind".to_owned(),
                tape.pick(&["ngo", "think-tank", "government"]).to_owned(),
            ));
        }
        custom_fields(tape, &mut fields);
        blocks.push(BlockPlan {
            header: declaration(tape, "org", org, "An  organisation"),
            fields,
        });
    }
    let persons: Vec<String> = (0..tape.choose(4)).map(|index| format!("person.{index}")).collect();
    for person in &persons {
        let mut fields = vec![("party".to_owned(), tape.pick(&parties).to_owned())];
        if !orgs.is_empty() && tape.one_in(2) {
            fields.push(("org".to_owned(), orgs[tape.choose(orgs.len())].clone()));
        }
        if tape.one_in(2) {
            fields.push(("role".to_owned(), tape.pick(TEXTS).to_owned()));
        }
        for _ in 0..tape.choose(3) {
            fields.push(("alias".to_owned(), tape.pick(TEXTS).to_owned()));
        }
        if tape.one_in(3) {
            fields.push(("private".to_owned(), "yes".to_owned()));
        }
        custom_fields(tape, &mut fields);
        blocks.push(BlockPlan {
            header: declaration(tape, "person", person, "Rusif   Huseynov"),
            fields,
        });
    }
    let formats = ["dialogue", "forum"];
    for format in &formats[..1 + tape.choose(2)] {
        let mut fields = Vec::new();
        custom_fields(tape, &mut fields);
        blocks.push(BlockPlan {
            header: declaration(tape, "format", format, "A format"),
            fields,
        });
    }
    if tape.one_in(2) {
        blocks.push(BlockPlan {
            header: declaration(tape, "series", "peace-bridge", "Peace Bridge"),
            fields: Vec::new(),
        });
    }
    for index in 0..tape.choose(5) {
        blocks.push(engagement(tape, index, &parties, &orgs, &persons));
    }
    tape.shuffle(&mut blocks);
    blocks
}

fn engagement(tape: &mut Tape, index: usize, parties: &[&str], orgs: &[String], persons: &[String]) -> BlockPlan {
    let mut origin = tape.subset(parties, 2);
    if origin.is_empty() {
        origin.push(parties[0]);
    }
    let destination = match parties.iter().find(|party| !origin.contains(party)) {
        Some(party) if !tape.one_in(4) => *party,
        _ => "online",
    };
    let mut header = format!("{}{}", tape.pick(DATES), tape.blanks());
    for (position, party) in origin.iter().enumerate() {
        if position > 0 {
            header.push_str(&format!("{}+{}", tape.blanks0(), tape.blanks0()));
        }
        header.push_str(party);
    }
    header.push_str(&format!(
        "{}->{}{destination}{}Round {index}{}",
        tape.blanks0(),
        tape.blanks0(),
        tape.blanks(),
        tape.pick(&["", ",  in Yerevan", ": #2 of the series"])
    ));
    let mut fields = vec![("format".to_owned(), tape.pick(&["dialogue", "forum"]).to_owned())];
    let mut optional = |tape: &mut Tape, key: &str, value: String| {
        if tape.one_in(2) {
            fields.push((key.to_owned(), value));
        }
    };
    optional(tape, "id", format!("e{index}"));
    let track = tape.pick(&["1", "1.5", "2"]).to_owned();
    optional(tape, "track", track);
    optional(tape, "series", "peace-bridge".to_owned());
    optional(tape, "reciprocates", "e0".to_owned());
    let status = tape.pick(&["held", "planned", "postponed"]).to_owned();
    optional(tape, "status", status);
    optional(tape, "confidential", "chatham-house".to_owned());
    let embargo = tape.pick(DATES).to_owned();
    optional(tape, "embargo", embargo);
    let venue = tape.pick(TEXTS).to_owned();
    optional(tape, "venue", venue);
    let org_ids: Vec<&str> = orgs.iter().map(String::as_str).collect();
    let sponsors: Vec<String> = tape.subset(&org_ids, 3).into_iter().map(str::to_owned).collect();
    if !sponsors.is_empty() {
        let value = list(tape, &sponsors);
        fields.push(("sponsors".to_owned(), value));
    }
    let person_ids: Vec<&str> = persons.iter().map(String::as_str).collect();
    let mut participants: Vec<String> = tape.subset(&person_ids, 3).into_iter().map(str::to_owned).collect();
    for party in &origin {
        if tape.one_in(2) {
            participants.push(format!("+{}{}{party}", 1 + tape.choose(12), tape.blanks()));
        }
    }
    if !participants.is_empty() {
        let value = list(tape, &participants);
        fields.push(("participants".to_owned(), value));
    }
    let met: Vec<String> = tape.subset(&person_ids, 2).into_iter().map(str::to_owned).collect();
    if !met.is_empty() {
        let value = list(tape, &met);
        fields.push(("met".to_owned(), value));
    }
    for source in 0..tape.choose(3) {
        fields.push(("source".to_owned(), format!("https://example.org/{index}#{source}")));
    }
    for _ in 0..tape.choose(3) {
        fields.push(("note".to_owned(), tape.pick(TEXTS).to_owned()));
    }
    let tags: Vec<String> = tape
        .subset(&["multilateral", "mutual-visit", "direct.flight"], 3)
        .into_iter()
        .map(str::to_owned)
        .collect();
    if !tags.is_empty() {
        let value = list(tape, &tags);
        fields.push(("tags".to_owned(), value));
    }
    custom_fields(tape, &mut fields);
    tape.shuffle(&mut fields);
    BlockPlan { header, fields }
}

/// Prints blocks with random blank lines, comment lines and includes between
/// and inside them, all in the chosen line ending.
fn print(tape: &mut Tape, blocks: &[BlockPlan]) -> String {
    let ending = if tape.one_in(2) { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = Vec::new();
    let mut comments = 0;
    let mut noise = |tape: &mut Tape, lines: &mut Vec<String>| {
        for _ in 0..tape.choose(4) {
            if tape.one_in(2) {
                comments += 1;
                let indent = tape.pick(&["", "", "  ", "\t", " "]);
                let text = tape.pick(COMMENTS);
                lines.push(format!("{indent}# c{comments} {text}{}", tape.blanks0()));
            } else {
                lines.push(tape.blanks0().to_owned());
            }
        }
    };
    for block in blocks {
        noise(tape, &mut lines);
        if tape.one_in(6) {
            lines.push(format!(
                "include{}\"more  files/x.track2\"{}",
                tape.blanks(),
                tape.blanks0()
            ));
            noise(tape, &mut lines);
        }
        lines.push(format!("{}{}", block.header, tape.blanks0()));
        for (key, value) in &block.fields {
            if tape.one_in(3) {
                noise(tape, &mut lines);
            }
            lines.push(format!(
                "{}{key}{}:{}{value}{}",
                tape.blanks(),
                tape.blanks0(),
                tape.blanks0(),
                tape.blanks0()
            ));
        }
    }
    noise(tape, &mut lines);
    let mut text = String::new();
    if tape.one_in(4) {
        text.push('\u{feff}');
    }
    text.push_str(&lines.join(ending));
    if !lines.is_empty() && !tape.one_in(5) {
        text.push_str(ending);
    }
    text
}

fn generated_ledger(bytes: &[u8]) -> String {
    let mut tape = Tape { bytes, at: 0 };
    let blocks = plan(&mut tape);
    print(&mut tape, &blocks)
}

// Properties ----------------------------------------------------------------

/// The model as JSON, and the codes of every diagnostic, sorted: what the
/// text means, whatever its layout.
fn meaning(text: &str) -> (serde_json::Value, Vec<&'static str>) {
    let loaded = loader::load_bytes("generated.track2", text.as_bytes().to_vec()).unwrap();
    let analysis = track2::check(&loaded, &options());
    let model = serde_json::to_value(LedgerDocument::new(&analysis.ledger)).unwrap();
    let mut codes: Vec<_> = analysis.diagnostics.iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    (model, codes)
}

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
    prop_assert!(
        meaning(input) == meaning(&output),
        "the meaning changed\ninput: {input:?}\noutput: {output:?}"
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
    fn generated_ledgers_format_well(tape in proptest::collection::vec(any::<u8>(), 0..1500)) {
        let input = generated_ledger(&tape);
        assert_formats_well(&input)?;
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
fn the_plainest_generated_ledger_is_valid() {
    let input = generated_ledger(&[]);
    let (_, codes) = meaning(&input);
    assert!(codes.is_empty(), "{codes:?} in {input:?}");
    assert!(format_text(&input).is_ok());
}

#[test]
fn generated_ledgers_cover_what_they_should() {
    // Over a few tapes, the generator reaches comments inside blocks,
    // CRLF, a BOM, joint delegations, counts and reordered fields.
    let mut seen = [false; 5];
    for seed in 0..200u32 {
        let tape: Vec<u8> = (0..1500u32)
            .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed.wrapping_mul(40_503)) >> 13) as u8)
            .collect();
        let input = generated_ledger(&tape);
        seen[0] |= input.contains("\n  # c") || input.contains("\n\t# c");
        seen[1] |= input.contains("\r\n");
        seen[2] |= input.starts_with('\u{feff}');
        seen[3] |= input.contains('+');
        seen[4] |= format_text(&input).is_ok_and(|output| output != input);
    }
    assert_eq!(seen, [true; 5]);
}
