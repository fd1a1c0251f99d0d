//! Runs the conformance corpus in `grammar/tests/` (see its README): every
//! valid case must produce no diagnostic and the model in its `.json`; every
//! invalid case exactly the `LINE:COLUMN CODE` lines of its `.errors`, in
//! their order, which must be report order (GRAMMAR.md §6: by file in ledger
//! order, then position).
//!
//! All cases run, and every failure is listed at the end, so that one run
//! shows everything a change broke. `UPDATE_EXPECT=1` writes the `.json` of
//! valid cases that have none yet.

use std::fs;
use std::path::{Path, PathBuf};

use track2::export::LedgerDocument;
use track2::{Code, loader};

use crate::support::{self, AS_OF, corpus, corpus_lines, options, root};

/// The cases in `dir`: `*.track2` files and directories, sorted.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() || path.extension().is_some_and(|e| e == "track2"))
        .collect();
    cases.sort();
    cases
}

fn expectation(case: &Path, extension: &str) -> PathBuf {
    case.with_extension(extension)
}

/// The diagnostics of a case as `.errors` lines, in the order reported, and
/// the case's files in ledger order (relative to the case when it is a
/// directory).
fn actual_errors(case: &Path) -> (Vec<String>, Vec<String>) {
    let loaded = loader::load(&track2::Disk, &[case.to_path_buf()], &track2::LoadOptions::default())
        .expect("corpus files are readable");
    let analysis = track2::check(&loaded, &options());
    let directory = case.is_dir().then_some(case);
    let files = loaded
        .sources
        .iter()
        .map(|(_, file)| match directory {
            Some(directory) => Path::new(file.name())
                .strip_prefix(directory)
                .expect("files of a case lie below it")
                .display()
                .to_string(),
            None => String::new(),
        })
        .collect();
    (corpus_lines(&loaded, &analysis.diagnostics, directory), files)
}

/// Where an `.errors` line is, as report order ranks it: the file's place in
/// ledger order, then line and column. `None` for a line that names a file
/// not in the ledger or is not `[FILE:]LINE:COL CODE`.
fn report_rank(line: &str, files: &[String]) -> Option<(usize, u32, u32)> {
    let (place, _code) = line.rsplit_once(' ')?;
    let mut parts = place.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line_number = parts.next()?.parse().ok()?;
    let file = parts.next().unwrap_or("");
    let file = files.iter().position(|name| name == file)?;
    Some((file, line_number, column))
}

/// The lines in runs of one place each, every run sorted: GRAMMAR.md §6
/// orders diagnostics by file and position and leaves the order of two at
/// one place open, so only that is free.
fn runs_by_place(lines: &[String]) -> Vec<Vec<&str>> {
    let mut runs: Vec<Vec<&str>> = Vec::new();
    let place = |line: &str| line.rsplit_once(' ').map_or(line, |(place, _)| place).to_owned();
    for line in lines {
        match runs.last_mut() {
            Some(run) if place(run[0]) == place(line) => run.push(line),
            _ => runs.push(vec![line]),
        }
    }
    for run in &mut runs {
        run.sort_unstable();
    }
    runs
}

fn expected_errors(path: &Path) -> Result<Vec<String>, String> {
    let text = fs::read_to_string(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    for line in &lines {
        let code = line.rsplit(' ').next().unwrap_or_default();
        if Code::from_name(code).is_none() {
            return Err(format!("{}: `{line}` names no known code", path.display()));
        }
    }
    Ok(lines)
}

fn check_invalid(case: &Path) -> Result<(), String> {
    let expected = expected_errors(&expectation(case, "errors"))?;
    let (actual, files) = actual_errors(case);
    if expected.is_empty() {
        return Err(format!(
            "{}: an invalid case must expect at least one diagnostic",
            case.display()
        ));
    }
    // The expectation itself must be in report order, so that comparing in
    // order below holds the checker to that order.
    let ranks: Vec<_> = expected.iter().map(|line| report_rank(line, &files)).collect();
    if let Some(line) = expected.iter().zip(&ranks).find(|(_, rank)| rank.is_none()) {
        return Err(format!(
            "{}: `{}` is not [FILE:]LINE:COL CODE with a FILE of the case ({files:?})",
            case.display(),
            line.0
        ));
    }
    if !ranks.is_sorted() {
        return Err(format!(
            "{}: the .errors lines are not in report order (by file in ledger order {files:?}, then position): {expected:?}",
            case.display()
        ));
    }
    if runs_by_place(&expected) == runs_by_place(&actual) {
        return Ok(());
    }
    Err(format!(
        "{}:\n  expected: {expected:?}\n  actual:   {actual:?}",
        case.display()
    ))
}

fn check_valid(case: &Path) -> Result<(), String> {
    let loaded = loader::load(&track2::Disk, &[case.to_path_buf()], &track2::LoadOptions::default())
        .expect("corpus files are readable");
    let analysis = track2::check(&loaded, &options());
    if !analysis.diagnostics.is_empty() {
        return Err(format!(
            "{}: expected no diagnostics, got {:?}",
            case.display(),
            actual_errors(case).0
        ));
    }
    let mut model = serde_json::to_string_pretty(&LedgerDocument::new(&analysis.ledger)).unwrap();
    model.push('\n');
    let expected_path = expectation(case, "json");
    match fs::read_to_string(&expected_path) {
        Ok(expected) => {
            let expected: serde_json::Value = serde_json::from_str(&expected)
                .map_err(|error| format!("{}: not JSON: {error}", expected_path.display()))?;
            let actual: serde_json::Value = serde_json::from_str(&model).unwrap();
            if expected == actual {
                Ok(())
            } else {
                Err(format!(
                    "{}: the model differs from {}; actual:\n{model}",
                    case.display(),
                    expected_path.display()
                ))
            }
        }
        Err(_) if std::env::var_os("UPDATE_EXPECT").is_some() => {
            fs::write(&expected_path, model).unwrap();
            Ok(())
        }
        Err(_) => Err(format!(
            "{}: no {}; run with UPDATE_EXPECT=1 to write it, then review it",
            case.display(),
            expected_path.display()
        )),
    }
}

#[test]
fn conformance_corpus() {
    let valid = cases(&corpus().join("valid"));
    let invalid = cases(&corpus().join("invalid"));
    assert!(!valid.is_empty() && !invalid.is_empty(), "the corpus is empty");
    let failures: Vec<String> = valid
        .iter()
        .map(|case| check_valid(case))
        .chain(invalid.iter().map(|case| check_invalid(case)))
        .filter_map(Result::err)
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        valid.len() + invalid.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_code_has_an_invalid_case() {
    let invalid = corpus().join("invalid");
    let mut covered = std::collections::HashSet::new();
    for case in cases(&invalid) {
        if let Ok(lines) = expected_errors(&expectation(&case, "errors")) {
            for line in lines {
                covered.insert(line.rsplit(' ').next().unwrap().to_owned());
            }
        }
    }
    // Some codes need a link, a FIFO or a file over the size limit, which
    // no corpus file can be: tests/it/hostile.rs builds those cases in a
    // temporary directory, and lists the codes it covers.
    covered.extend(crate::hostile::CODES_COVERED_HERE.iter().map(|code| code.to_string()));
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| !covered.contains(code.as_str()))
        .map(|code| code.as_str())
        .collect();
    assert!(missing.is_empty(), "codes without an invalid case: {missing:?}");
}

/// Every case gives the same diagnostics and the same model when its
/// engagements are read on several threads, cut into pieces as small as
/// the cutting allows, as when read on one.
#[test]
fn parallel_reading_changes_nothing() {
    use track2::analyzer::{Keep, analyze_in};
    use track2::parallel::Parallelism;
    let run = |case: &Path, threads: usize| {
        let loaded = loader::load(&track2::Disk, &[case.to_path_buf()], &track2::LoadOptions::default()).unwrap();
        let parallelism = Parallelism { threads, from_bytes: 0 };
        let analysis = analyze_in(
            &loaded.sources,
            &loaded.directives,
            &options(),
            Keep::Ledger,
            parallelism,
        );
        let mut diagnostics: Vec<String> = analysis
            .diagnostics
            .iter()
            .map(|d| format!("{:?} {} {:?}", d.location, d.code, d.related))
            .collect();
        diagnostics.sort();
        let model = serde_json::to_value(LedgerDocument::new(&analysis.ledger)).unwrap();
        (diagnostics, model, analysis.engagements_read)
    };
    let mut compared = 0;
    for case in cases(&corpus().join("valid"))
        .into_iter()
        .chain(cases(&corpus().join("invalid")))
    {
        let sequential = run(&case, 1);
        for threads in [2, 3, 7] {
            assert_eq!(
                run(&case, threads),
                sequential,
                "{} on {threads} threads",
                case.display()
            );
        }
        compared += 1;
    }
    assert!(compared > 100);
}

/// What `check --format json|github|human` shows of each diagnostic of every
/// invalid case: the same file, line, column and code as the library
/// reports (which `conformance_corpus` holds to the `.errors` files), so
/// every rule fires at the right place in all three formats.
#[test]
fn every_format_shows_each_diagnostic_where_the_corpus_says() {
    use track2::render::{github, human::HumanRenderer, json};

    let mut failures = Vec::new();
    for case in cases(&corpus().join("invalid")) {
        let loaded = loader::load(
            &track2::Disk,
            std::slice::from_ref(&case),
            &track2::LoadOptions::default(),
        )
        .expect("corpus files are readable");
        let diagnostics = track2::check(&loaded, &options()).diagnostics;
        let expected: Vec<String> = diagnostics
            .iter()
            .map(|diagnostic| {
                let file = loaded.sources.get(diagnostic.location.file);
                let position = file.position(diagnostic.location.span.start as usize);
                format!(
                    "{}:{}:{} {}",
                    file.name(),
                    position.line,
                    position.column,
                    diagnostic.code
                )
            })
            .collect();

        let document: serde_json::Value =
            serde_json::from_str(&json::render(&diagnostics, &loaded.sources)).expect("JSON output parses");
        let from_json: Vec<String> = document["diagnostics"]
            .as_array()
            .expect("a list of diagnostics")
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{} {}",
                    d["file"].as_str().unwrap(),
                    d["line"],
                    d["column"],
                    d["code"].as_str().unwrap()
                )
            })
            .collect();

        let from_github: Vec<String> = github::render(&diagnostics, &loaded.sources)
            .lines()
            .map(|line| {
                let properties = line
                    .split_once(' ')
                    .and_then(|(_, rest)| rest.split_once("::"))
                    .map_or("", |(properties, _)| properties);
                let property = |key: &str| {
                    properties
                        .split(',')
                        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
                        .unwrap_or("?")
                        .replace("%3A", ":")
                        .replace("%2C", ",")
                        .replace("%25", "%")
                };
                format!(
                    "{}:{}:{} {}",
                    property("file"),
                    property("line"),
                    property("col"),
                    property("title")
                )
            })
            .collect();

        let renderer = HumanRenderer::new(false, 100);
        let human_misses: Vec<&String> = diagnostics
            .iter()
            .zip(&expected)
            .filter(|(diagnostic, place)| {
                let text = renderer.render(diagnostic, &loaded.sources);
                let (at, code) = place.rsplit_once(' ').unwrap();
                !(text.contains(&format!("[{at}]")) && text.contains(code))
            })
            .map(|(_, place)| place)
            .collect();

        if from_json != expected || from_github != expected || !human_misses.is_empty() {
            failures.push(format!(
                "{}:\n  library: {expected:?}\n  json:    {from_json:?}\n  github:  {from_github:?}\n  human misses: {human_misses:?}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Report order across files is ledger order, not the sorted order of the
/// paths: a file's includes come right after it (GRAMMAR.md §5.5, §6). The
/// corpus's directory cases expect one diagnostic each, so this fixture is
/// where the order between files, and between passes within a file, is held:
/// in the library and in `check`'s JSON.
#[test]
fn report_order_is_ledger_order_then_position() {
    let case = root().join("tests/fixtures/report-order");
    let (actual, files) = actual_errors(&case);
    assert_eq!(files, ["a.track2", "sub/c.track2", "b.track2"]);
    check_invalid(&case).unwrap();
    let expected = expected_errors(&expectation(&case, "errors")).unwrap();
    assert_eq!(actual, expected, "no two diagnostics share a place here");

    let output = support::run(&[
        "check",
        "tests/fixtures/report-order",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    let from_json: Vec<String> = document["diagnostics"]
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            let file = file.strip_prefix("tests/fixtures/report-order/").unwrap_or(file);
            format!("{file}:{}:{} {}", d["line"], d["column"], d["code"].as_str().unwrap())
        })
        .collect();
    assert_eq!(from_json, expected);
}
