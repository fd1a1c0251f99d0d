//! The index conformance section (`grammar/tests/index/`): for every valid
//! case of the corpus, every use of an id, its role, what it names and
//! where that is declared, as `.index` files beside nothing else; and the
//! index's own promises, checked on each case whatever its expectation:
//! every use resolves, to a declaration with the same id, `references` of a
//! symbol are exactly its uses, and asking at any character of a use or of a
//! declared id finds that symbol.
//!
//! `UPDATE_EXPECT=1` writes the `.index` files of cases that have none yet.

use std::fs;
use std::path::{Path, PathBuf};

use track2::index::{Index, Namespace, Reference, Symbol};
use track2::source::{Location, SourceMap};
use track2::syntax::DeclarationKind;
use track2::{Keep, loader};

use crate::support::{corpus, options};

/// The valid cases: `*.track2` files and directories, sorted.
fn valid_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus().join("valid"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() || path.extension().is_some_and(|e| e == "track2"))
        .collect();
    cases.sort();
    cases
}

fn expectation(case: &Path) -> PathBuf {
    let name = case.file_stem().unwrap().to_string_lossy().into_owned();
    corpus().join("index").join(format!("{name}.index"))
}

/// `LINE:COL`, or `FILE:LINE:COL` for a case that is a directory.
fn place(case: &Path, sources: &SourceMap, location: Location) -> String {
    let file = sources.get(location.file);
    let position = file.position(location.span.start as usize);
    if case.is_dir() {
        let relative = Path::new(file.name()).strip_prefix(case).unwrap();
        format!("{}:{}:{}", relative.display(), position.line, position.column)
    } else {
        format!("{}:{}", position.line, position.column)
    }
}

fn namespace_word(namespace: Namespace) -> &'static str {
    match namespace {
        Namespace::Declaration(kind) => kind.keyword(),
        Namespace::Engagement => "engagement",
        Namespace::Tag => "tag",
    }
}

/// One line per use: `PLACE ROLE KIND ID -> DECLARED-AT` (no arrow for a tag).
fn lines(case: &Path, sources: &SourceMap, index: &Index<'_>) -> Vec<String> {
    index
        .all_references()
        .iter()
        .map(|reference| {
            let id = sources.slice(reference.location);
            let mut line = format!(
                "{} {} {} {id}",
                place(case, sources, reference.location),
                reference.role.as_str().replace(' ', "-"),
                namespace_word(reference.namespace),
            );
            if let Some(site) = reference.symbol().and_then(|symbol| index.definition(symbol)) {
                line.push_str(&format!(" -> {}", place(case, sources, site.id)));
            }
            line
        })
        .collect()
}

/// The index's promises on one valid case; every broken one is listed.
fn promises(sources: &SourceMap, index: &Index<'_>) -> Vec<String> {
    let mut broken = Vec::new();
    for reference in index.all_references() {
        let text = sources.slice(reference.location);
        let Some(symbol) = reference.symbol() else {
            broken.push(format!("`{text}` resolves to nothing in a valid ledger"));
            continue;
        };
        match index.definition(symbol) {
            Some(site) if reference.namespace != Namespace::Engagement => {
                let declared = sources.slice(site.id);
                if declared != text {
                    broken.push(format!("`{text}` resolves to a declaration of `{declared}`"));
                }
            }
            Some(_) | None => {}
        }
        let span = reference.location.span;
        for offset in [span.start, (span.start + span.end) / 2, span.end] {
            let found = index.symbol_at(reference.location.file, offset as usize);
            if found != Some(symbol) {
                broken.push(format!(
                    "at {offset} in `{text}`: symbol_at gives {found:?}, not {symbol:?}"
                ));
            }
        }
    }
    let mut symbols: Vec<Symbol> = index.all_references().iter().filter_map(Reference::symbol).collect();
    symbols.sort();
    symbols.dedup();
    for symbol in symbols {
        let expected: Vec<&Reference> = index
            .all_references()
            .iter()
            .filter(|reference| reference.symbol() == Some(symbol))
            .collect();
        let found: Vec<&Reference> = index.references(symbol).collect();
        if found != expected {
            broken.push(format!("references({symbol:?}) are not its uses"));
        }
    }
    for kind in DeclarationKind::ALL {
        for (at, site) in index.declarations(kind).iter().enumerate() {
            let symbol = Symbol {
                namespace: Namespace::Declaration(kind),
                index: at as u32,
            };
            if index.symbol_at(site.id.file, site.id.span.start as usize) != Some(symbol) {
                broken.push(format!(
                    "symbol_at the declared id `{}` misses it",
                    sources.slice(site.id)
                ));
            }
        }
    }
    broken
}

#[test]
fn index_conformance() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let cases = valid_cases();
    assert!(cases.len() > 20, "the corpus has its valid cases");
    for case in &cases {
        let loaded = loader::load(
            &track2::Disk,
            std::slice::from_ref(case),
            &track2::LoadOptions::default(),
        )
        .unwrap();
        let analysis = track2::analyze(&loaded, &options(), Keep::Index);
        let name = case.file_name().unwrap().to_string_lossy();
        let index = analysis.index.as_ref().expect("Keep::Index builds one");
        for broken in promises(&loaded.sources, index) {
            failures.push(format!("{name}: {broken}"));
        }
        let actual = lines(case, &loaded.sources, index);
        let path = expectation(case);
        match fs::read_to_string(&path) {
            Ok(expected) => {
                let expected: Vec<&str> = expected.lines().filter(|line| !line.starts_with('#')).collect();
                if expected != actual {
                    failures.push(format!(
                        "{name}: the index differs from {}:\nexpected:\n{}\nactual:\n{}",
                        path.display(),
                        expected.join("\n"),
                        actual.join("\n")
                    ));
                }
            }
            Err(_) if update => {
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(&path, actual.iter().map(|line| format!("{line}\n")).collect::<String>()).unwrap();
            }
            Err(_) => failures.push(format!("{name}: no {} (UPDATE_EXPECT=1 writes it)", path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_cursor_on_a_list_item_names_the_item() {
    use track2::index::Part;
    let text = "party AM A\nparty AZ B\nformat f F\nperson p P\n  party: AZ\n\
                2025 AZ -> AM Talk\n  format: f\n  participants: p,  +2 AZ, \n";
    let loaded = loader::load_bytes("t.track2", text.as_bytes().to_vec()).unwrap();
    let analysis = track2::analyze(&loaded, &options(), Keep::Index);
    let index = analysis.index.as_ref().unwrap();
    let file = track2::source::FileId(0);
    let at = |needle: &str, delta: usize| text.find(needle).unwrap() + delta;
    let cursor = |offset| index.cursor_at(&loaded.sources, file, offset).unwrap().part;
    let item_text = |part: Part| match part {
        Part::Value { item, .. } => text[item.range()].to_owned(),
        other => panic!("{other:?}"),
    };
    assert_eq!(item_text(cursor(at("p,", 1))), "p");
    assert_eq!(item_text(cursor(at("+2 AZ", 3))), "+2 AZ");
    // After the trailing comma, an item is being typed: an empty span there.
    assert_eq!(item_text(cursor(text.len() - 1)), "");
    assert!(matches!(cursor(at("AZ -> AM", 0)), Part::Origin(0, _)));
    assert!(matches!(cursor(at("-> AM", 3)), Part::Destination(_)));
    assert!(matches!(cursor(at("participants", 2)), Part::Key(_)));
}
