//! Properties of the parser and checker over inputs nobody wrote by hand:
//! random bytes, and real ledgers mutated at random. Whatever the input, the
//! checker must not panic, every span it produces must lie within the file on
//! character boundaries, and every renderer must accept every diagnostic.
//!
//! The inputs are also hostile: lines that include a canary file outside
//! the ledger's root, by a relative path, an absolute one, a link to it and
//! a link to its directory, are mixed in. The file is read from disk inside
//! a temporary root, through the library and through every command of the
//! binary, and the canary's content must never appear in any output, nor
//! a raw control character in an output for a person.
//!
//! Case counts are bounded so that CI stays fast; raise `PROPTEST_CASES` to
//! search longer locally.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use track2::loader;
use track2::render::{github, human::HumanRenderer, json};
use track2::source::{SourceFile, Span};
use track2::syntax::{BlockLine, Document, Header, Item};

use crate::support::{cases as cases_or, options, track2_in};

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
    // Also formatted, as `fmt` would (its own properties are in
    // fmt_properties.rs): whatever the text, formatting must not panic.
    let _ = track2::format::format_text(&String::from_utf8_lossy(&bytes));
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

/// What the canary file holds: if any of it is ever read, its first line is
/// a declaration a report would list and its second a syntax error whose
/// line a human report would show.
const CANARY: &str = "CANARY-5e1b7";

/// A temporary directory: `root/` where the ledger under test is written,
/// and `outside/canary.track2` beside it, with links to it from the root.
struct Sandbox {
    directory: tempfile::TempDir,
}

impl Sandbox {
    fn get() -> &'static Sandbox {
        static SANDBOX: OnceLock<Sandbox> = OnceLock::new();
        SANDBOX.get_or_init(|| {
            let directory = tempfile::tempdir().unwrap();
            let outside = directory.path().join("outside");
            std::fs::create_dir_all(&outside).unwrap();
            std::fs::create_dir_all(directory.path().join("root")).unwrap();
            std::fs::write(
                outside.join("canary.track2"),
                format!("party ZZ {CANARY}\n{CANARY} is not a line of a ledger\n"),
            )
            .unwrap();
            #[cfg(unix)]
            {
                let root = directory.path().join("root");
                std::os::unix::fs::symlink("../outside/canary.track2", root.join("link.track2")).unwrap();
                std::os::unix::fs::symlink("../outside", root.join("dirlink")).unwrap();
            }
            Sandbox { directory }
        })
    }

    fn root(&self) -> PathBuf {
        self.directory.path().join("root")
    }

    /// Lines that try to reach the canary, every way a ledger could.
    fn hostile_lines(&self) -> Vec<String> {
        let absolute = self.directory.path().join("outside/canary.track2");
        [
            "../outside/canary.track2".to_owned(),
            absolute.display().to_string(),
            "link.track2".to_owned(),
            "dirlink/canary.track2".to_owned(),
            "./../root/../outside/canary.track2".to_owned(),
            "/proc/self/environ".to_owned(),
        ]
        .iter()
        .map(|path| format!("include \"{path}\"\n"))
        .collect()
    }

    /// Writes `bytes` as `name` in the root, with hostile lines put in at
    /// the line starts `placements` pick, and returns its path.
    fn write(&self, name: &str, mut bytes: Vec<u8>, placements: &[(usize, usize)]) -> PathBuf {
        let lines = self.hostile_lines();
        for &(at, line) in placements {
            let at = at % (bytes.len() + 1);
            let start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            bytes.splice(start..start, lines[line % lines.len()].bytes());
        }
        let path = self.root().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

fn assert_no_canary(output: &str, what: &str) {
    assert!(
        !output.contains(CANARY),
        "{what}: the canary outside the root was read:\n{output}"
    );
}

/// Loads the file at `path` from disk as the binary would, and renders
/// every diagnostic in every format: nothing from outside the root shows.
fn check_from_disk(path: &Path) {
    let loaded = loader::load(&track2::Disk, &[path.to_path_buf()], &track2::LoadOptions::default())
        .expect("a file in the root is readable");
    let analysis = track2::check(&loaded, &options());
    let renderer = HumanRenderer::new(false, 80);
    let mut human = String::new();
    for diagnostic in &analysis.diagnostics {
        human.push_str(&renderer.render(diagnostic, &loaded.sources));
    }
    assert!(!human.chars().any(|c| c.is_control() && c != '\n'), "{human:?}");
    assert_no_canary(&human, "human");
    assert_no_canary(&json::render(&analysis.diagnostics, &loaded.sources), "json");
    assert_no_canary(&github::render(&analysis.diagnostics, &loaded.sources), "github");
    for (_, file) in loaded.sources.iter() {
        assert_no_canary(file.text(), "a file read");
    }
}

/// Every command and output of the binary on the file `name` of the root.
const COMMANDS: &[&[&str]] = &[
    &["check"],
    &["check", "--format", "json"],
    &["check", "--format", "github"],
    &["fmt", "--check", "--diff"],
    &["summary"],
    &["report", "directions", "--output", "markdown"],
    &["report", "participants", "--output", "csv"],
    &["report", "reciprocity", "--output", "json"],
    &["report", "timeline", "--by", "quarter"],
    &["export", "--output", "csv"],
    &["export", "--output", "json"],
    &["fmt"],
];

fn run_every_command(name: &str) {
    let root = Sandbox::get().root();
    for command in COMMANDS {
        let mut args = command.to_vec();
        args.extend([name, "--as-of", crate::support::AS_OF]);
        if args[0] == "fmt" {
            args.truncate(args.len() - 2);
        }
        let output = crate::hostile::finish(track2_in(&root, &args), None);
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.status.code().is_some_and(|code| code <= 2),
            "{args:?} ended with {:?}:\n{printed}",
            output.status
        );
        assert_no_canary(&printed, &format!("{args:?}"));
        // JSON escapes its own; every other output is for a person or a
        // spreadsheet. A diff shows CRLF line ends as written.
        assert!(
            !printed
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
            "{args:?}: a raw control character:\n{printed:?}"
        );
    }
}

/// Raw bytes, or the seed ledger mutated: either, with hostile lines.
fn hostile_input() -> impl Strategy<Value = (Vec<u8>, Vec<(usize, usize)>)> {
    let bytes = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        proptest::collection::vec(mutation(), 1..8).prop_map(|mutations| {
            let mut text = seed_ledger().into_bytes();
            for mutation in &mutations {
                apply(&mut text, mutation);
            }
            text
        }),
    ];
    (bytes, proptest::collection::vec((any::<usize>(), any::<usize>()), 0..4))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases_or(256), ..ProptestConfig::default() })]

    #[test]
    fn nothing_outside_the_root_is_read_whatever_the_file(input in hostile_input()) {
        let (bytes, placements) = input;
        let path = Sandbox::get().write("library-case.track2", bytes, &placements);
        check_from_disk(&path);
    }
}

proptest! {
    // Each case runs the binary a dozen times: fewer cases.
    #![proptest_config(ProptestConfig { cases: cases_or(16), ..ProptestConfig::default() })]

    #[test]
    fn every_command_survives_hostile_files(input in hostile_input()) {
        let (bytes, placements) = input;
        Sandbox::get().write("binary-case.track2", bytes, &placements);
        run_every_command("binary-case.track2");
    }
}

/// The seed with every hostile line in it: still nothing leaks, through
/// every command.
#[test]
fn the_seed_with_every_hostile_line_leaks_nothing() {
    let sandbox = Sandbox::get();
    let placements: Vec<(usize, usize)> = (0..sandbox.hostile_lines().len()).map(|line| (0, line)).collect();
    let path = sandbox.write("every-line.track2", seed_ledger().into_bytes(), &placements);
    check_from_disk(&path);
    run_every_command("every-line.track2");
}

#[test]
fn the_unmutated_seed_is_valid() {
    let loaded = loader::load_bytes("seed.track2", seed_ledger().into_bytes()).unwrap();
    let analysis = track2::check(&loaded, &options());
    assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
}
