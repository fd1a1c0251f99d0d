//! `track2 fmt`: the formatter's golden corpus in `grammar/tests/fmt/` (see
//! its README), the conformance corpus and the bundled ledgers run through
//! the formatter, and the command as a user and a CI job meet it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use track2::format::format_text;
use track2::loader;

use crate::support::meaning::Meaning;
use crate::support::{corpus, root, text, track2_in};

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn format(text: &str) -> Result<String, String> {
    format_text(text).map_err(|diagnostics| {
        let codes: Vec<_> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        format!("syntax errors: {codes:?}")
    })
}

/// A readable account of how `actual` differs from `expected`, with line
/// endings and tabs made visible.
fn difference(expected: &str, actual: &str) -> String {
    let visible = |text: &str| text.replace('\t', "→").replace('\r', "␍").replace('\u{feff}', "<BOM>");
    similar::TextDiff::from_lines(&visible(expected), &visible(actual))
        .unified_diff()
        .header("expected", "actual")
        .to_string()
}

/// `input` must format to `expected`, which must itself be canonical, and
/// both must mean the same.
fn check_case(name: &str, input: &str, expected: &str) -> Result<(), String> {
    let actual = format(input).map_err(|error| format!("{name}: {error}"))?;
    if actual != expected {
        return Err(format!("{name}:\n{}", difference(expected, &actual)));
    }
    let again = format(expected).map_err(|error| format!("{name}, expected output: {error}"))?;
    if again != expected {
        return Err(format!(
            "{name}: the expected output is not canonical:\n{}",
            difference(expected, &again)
        ));
    }
    let (before, after) = (Meaning::of_text(input), Meaning::of_text(expected));
    if before != after {
        return Err(format!(
            "{name}: the formatted text means something else:\nbefore: {before:#?}\nafter: {after:#?}"
        ));
    }
    Ok(())
}

fn report(failures: Vec<String>, cases: usize) {
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

const FORMATTED: &str = ".formatted.track2";

fn files_below(directory: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_below(&path, suffix));
        } else if path.to_string_lossy().ends_with(suffix) {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn golden_corpus() {
    let directory = corpus().join("fmt");
    let inputs: Vec<PathBuf> = fs::read_dir(&directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.to_string_lossy();
            name.ends_with(".track2") && !name.ends_with(FORMATTED)
        })
        .collect();
    assert!(inputs.len() >= 10, "the golden corpus is nearly empty");
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|input| {
            let name = input.file_name().unwrap().to_string_lossy().into_owned();
            let expected_path = input.with_extension("formatted.track2");
            let Ok(expected) = fs::read_to_string(&expected_path) else {
                return Some(format!("{name}: no {}; write it by hand", expected_path.display()));
            };
            check_case(&name, &read(input), &expected).err()
        })
        .collect();
    report(failures, inputs.len());
}

/// `fmt/valid/NAME.formatted.track2` is what the conformance case
/// `valid/NAME.track2` becomes: the deliberately odd files stay odd there.
#[test]
fn what_the_odd_conformance_cases_become() {
    let mirror = corpus().join("fmt/valid");
    let expectations = files_below(&mirror, FORMATTED);
    assert!(!expectations.is_empty());
    let failures: Vec<String> = expectations
        .iter()
        .filter_map(|expected_path| {
            let relative = expected_path.strip_prefix(&mirror).unwrap().to_string_lossy();
            let input = corpus().join("valid").join(relative.replace(FORMATTED, ".track2"));
            if !input.exists() {
                return Some(format!("{relative}: no conformance case {}", input.display()));
            }
            check_case(&relative, &read(&input), &read(expected_path)).err()
        })
        .collect();
    report(failures, expectations.len());
}

/// Copies `from` (a file or a directory) to `to`, formatting every ledger
/// file on the way, and checks that each formatted file is canonical. A file
/// the formatter refuses is copied as it is, and its error returned.
fn copy_formatted(from: &Path, to: &Path, failures: &mut Vec<String>) {
    if from.is_dir() {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_formatted(&entry.path(), &to.join(entry.file_name()), failures);
        }
        return;
    }
    let bytes = fs::read(from).unwrap();
    let Ok(text) = String::from_utf8(bytes.clone()) else {
        failures.push(format!("{}: not UTF-8, which the formatter refuses", from.display()));
        fs::write(to, bytes).unwrap();
        return;
    };
    let formatted = match format(&text) {
        Ok(formatted) => formatted,
        Err(error) => {
            failures.push(format!("{}: {error}", from.display()));
            text
        }
    };
    if format(&formatted).as_deref() != Ok(formatted.as_str()) {
        failures.push(format!("{}: formatting twice changes it again", from.display()));
    }
    fs::write(to, formatted).unwrap();
}

/// The conformance cases in `directory`: files and directories, sorted.
fn cases_in(directory: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() || path.extension().is_some_and(|e| e == "track2"))
        .collect();
    cases.sort();
    cases
}

/// What a case means, its files named relative to the case (a directory)
/// or to the directory it is in (a file), so that a copy elsewhere compares.
fn meaning_of_case(case: &Path) -> Meaning {
    let loaded = loader::load(&track2::Disk, &[case.to_path_buf()], &track2::LoadOptions::default()).unwrap();
    let directory = if case.is_dir() { case } else { case.parent().unwrap() };
    Meaning::of(&loaded, Some(directory))
}

/// Every valid conformance case, formatted file by file, is still valid,
/// means the same, and is formatted for good.
#[test]
fn every_valid_case_keeps_its_meaning() {
    let cases = cases_in(&corpus().join("valid"));
    let scratch = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let copy = scratch.path().join(case.file_name().unwrap());
        copy_formatted(case, &copy, &mut failures);
        let before = meaning_of_case(case);
        let after = meaning_of_case(&copy);
        if !after.diagnostics.is_empty() {
            failures.push(format!(
                "{}: formatted, it has diagnostics {:#?}",
                case.display(),
                after.diagnostics
            ));
        } else if before != after {
            failures.push(format!("{}: formatted, its model differs", case.display()));
        }
    }
    report(failures, cases.len());
}

/// Every invalid conformance case that the formatter takes (no syntax
/// error: GRAMMAR.md §8.1) gives, formatted, the same diagnostics in full:
/// code, message, hint and related messages, each at the same token of the
/// same block (GRAMMAR.md §8.7). Cases with a syntax error are left out.
#[test]
fn every_invalid_case_that_formats_keeps_its_diagnostics() {
    let cases = cases_in(&corpus().join("invalid"));
    let scratch = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in &cases {
        let copy = scratch.path().join(case.file_name().unwrap());
        let mut refused = Vec::new();
        copy_formatted(case, &copy, &mut refused);
        if !refused.is_empty() {
            continue;
        }
        compared += 1;
        let (before, after) = (meaning_of_case(case), meaning_of_case(&copy));
        if before != after {
            failures.push(format!(
                "{}: formatted, it means something else:\nbefore: {:#?}\nafter: {:#?}",
                case.display(),
                before.diagnostics,
                after.diagnostics
            ));
        }
    }
    // Most faults of meaning have a case; if the formatter refused them all,
    // the comparison above would compare nothing.
    assert!(compared >= 40, "only {compared} invalid cases format");
    report(failures, compared);
}

#[test]
fn the_bundled_ledgers_are_canonical() {
    let files = loader::ledger_files(&root().join("ledgers")).unwrap();
    assert!(!files.is_empty());
    for file in files {
        let text = read(&file);
        let formatted = format(&text).unwrap();
        assert!(
            formatted == text,
            "{} is not in canonical form; run `track2 fmt ledgers`:\n{}",
            file.display(),
            difference(&text, &formatted)
        );
    }
}

// The command -------------------------------------------------------------

fn run(args: &[&str], directory: &Path) -> Output {
    track2_in(directory, args).output().expect("the binary runs")
}

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = track2_in(root(), args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command refused before it reads stdin closes the pipe early; that is
    // the refusal under test, not a failure to write.
    match child.stdin.take().unwrap().write_all(stdin) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
        result => result.unwrap(),
    }
    child.wait_with_output().unwrap()
}

const MESSY: &str = "party AM    Armenia\nparty AZ Azerbaijan\n";
const TIDY: &str = "party AM Armenia\n\nparty AZ Azerbaijan\n";
/// A syntax error (`missing-colon`) and nothing else wrong.
const BROKEN: &str = "party AM    Armenia\n  wikidata Q399\n";

/// A scratch directory holding `files`.
fn scratch(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        let path = directory.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
    directory
}

#[test]
fn fmt_rewrites_files_and_directories_in_place() {
    let directory = scratch(&[
        ("a.track2", MESSY.as_bytes()),
        ("sub/b.track2", MESSY.as_bytes()),
        ("sub/notes.txt", MESSY.as_bytes()),
        ("other.ledger", MESSY.as_bytes()),
    ]);
    let output = run(&["fmt", "sub", "other.ledger"], directory.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "");
    // Every file rewritten is named, on stderr; nothing else is said.
    assert_eq!(
        text(&output.stderr),
        "reformatted: sub/b.track2\nreformatted: other.ledger\n"
    );
    let contents = |name: &str| read(&directory.path().join(name));
    assert_eq!(contents("sub/b.track2"), TIDY);
    // A file named on the command line is formatted whatever its extension.
    assert_eq!(contents("other.ledger"), TIDY);
    // Directories contribute only their `*.track2` files; unnamed files stay.
    assert_eq!(contents("sub/notes.txt"), MESSY);
    assert_eq!(contents("a.track2"), MESSY);
}

#[test]
fn a_canonical_file_is_not_written() {
    let directory = scratch(&[("a.track2", TIDY.as_bytes())]);
    let path = directory.path().join("a.track2");
    let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(long_ago)
        .unwrap();
    let output = run(&["fmt", "a.track2"], directory.path());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), long_ago);
}

#[test]
fn check_lists_what_would_change_and_changes_nothing() {
    let directory = scratch(&[("messy.track2", MESSY.as_bytes()), ("tidy.track2", TIDY.as_bytes())]);
    let output = run(&["fmt", "--check", "."], directory.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "would reformat: ./messy.track2\n");
    assert_eq!(
        text(&output.stderr),
        "error: 1 file not in canonical form; run `track2 fmt` to rewrite it\n"
    );
    assert_eq!(read(&directory.path().join("messy.track2")), MESSY);

    let output = run(&["fmt", "--check", "tidy.track2"], directory.path());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(text(&output.stderr), "");
}

#[test]
fn check_with_diff_prints_a_unified_diff() {
    let directory = scratch(&[("messy.track2", MESSY.as_bytes())]);
    let output = run(&["fmt", "--check", "--diff", "messy.track2"], directory.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stdout),
        concat!(
            "would reformat: messy.track2\n",
            "--- messy.track2\n",
            "+++ messy.track2\n",
            "@@ -1,2 +1,3 @@\n",
            "-party AM    Armenia\n",
            "+party AM Armenia\n",
            "+\n",
            " party AZ Azerbaijan\n",
        )
    );
    assert_eq!(read(&directory.path().join("messy.track2")), MESSY);

    // `--diff` alone shows the same and changes nothing: a diff is a check.
    let alone = run(&["fmt", "--diff", "messy.track2"], directory.path());
    assert_eq!(alone.status.code(), Some(1));
    assert_eq!(alone.stdout, output.stdout);
    assert_eq!(read(&directory.path().join("messy.track2")), MESSY);
}

#[test]
fn a_pasted_block_of_crlf_lines_is_one_line_of_the_diff() {
    // An LF file into which a block from a Windows editor was pasted: the
    // canonical form gives it LF endings, and the text changes elsewhere.
    let pasted = "party AM    Armenia\n\nparty AZ Azerbaijan\r\n\r\nformat d Dialogue\r\n\r\nformat f Forum\n";
    let directory = scratch(&[("pasted.track2", pasted.as_bytes())]);
    let output = run(&["fmt", "--diff", "pasted.track2"], directory.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stdout),
        concat!(
            "would reformat: pasted.track2\n",
            "--- pasted.track2\n",
            "+++ pasted.track2\n",
            "@@ -1,4 +1,4 @@\n",
            "-party AM    Armenia\n",
            "+party AM Armenia\n",
            " \n",
            " party AZ Azerbaijan\r\n",
            " \r\n",
            "line endings: CRLF → LF, lines 3–6\n",
        )
    );
    let output = run(&["fmt", "pasted.track2"], directory.path());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        read(&directory.path().join("pasted.track2")),
        "party AM Armenia\n\nparty AZ Azerbaijan\n\nformat d Dialogue\n\nformat f Forum\n"
    );
}

#[test]
fn the_bundled_ledgers_pass_the_ci_gate() {
    let output = run(&["fmt", "--check", "--diff"], root());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(text(&output.stdout), "");
}

#[test]
fn without_a_path_it_formats_ledgers_or_the_environment() {
    let directory = scratch(&[
        ("ledgers/a.track2", MESSY.as_bytes()),
        ("elsewhere.track2", MESSY.as_bytes()),
    ]);
    let output = run(&["fmt"], directory.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(read(&directory.path().join("ledgers/a.track2")), TIDY);

    let output = track2_in(directory.path(), &["fmt", "--check"])
        .env("TRACK2_LEDGER", "elsewhere.track2")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "would reformat: elsewhere.track2\n");
}

#[test]
fn stdin_is_formatted_to_stdout() {
    let output = run_with_stdin(&["fmt", "-"], MESSY.as_bytes());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), TIDY);

    let output = run_with_stdin(&["fmt", "--check", "-"], MESSY.as_bytes());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "would reformat: <stdin>\n");

    let output = run_with_stdin(&["fmt", "--check", "-"], TIDY.as_bytes());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), "");

    // With a syntax error nothing reaches stdout, so an editor piping its
    // buffer through `fmt -` keeps the buffer.
    let output = run_with_stdin(&["fmt", "-"], BROKEN.as_bytes());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    assert!(text(&output.stderr).contains("missing-colon"));

    let output = run_with_stdin(&["fmt", "-", "ledgers"], MESSY.as_bytes());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("must be the only path"));
}

#[test]
fn a_file_with_syntax_errors_is_left_untouched_and_reported_as_check_does() {
    let directory = scratch(&[("broken.track2", BROKEN.as_bytes()), ("messy.track2", MESSY.as_bytes())]);
    let output = run(&["fmt", "broken.track2", "messy.track2"], directory.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(read(&directory.path().join("broken.track2")), BROKEN);
    // The other file is still formatted.
    assert_eq!(read(&directory.path().join("messy.track2")), TIDY);

    let checked = run(&["check", "broken.track2"], directory.path());
    let checked = text(&checked.stderr);
    let diagnostics = checked.strip_suffix("error: 1 error, 0 warnings in 1 file\n").unwrap();
    assert!(diagnostics.contains("missing-colon"));
    assert_eq!(
        text(&output.stderr),
        format!(
            "{diagnostics}reformatted: messy.track2\n\
             error: 1 file left untouched: fix the problems above, then format again\n"
        )
    );
}

#[test]
fn a_file_that_is_not_utf8_is_left_untouched() {
    let bytes: &[u8] = b"party AM    Arm\xffenia\n";
    let directory = scratch(&[("latin1.track2", bytes)]);
    let output = run(&["fmt", "latin1.track2"], directory.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("invalid-utf8"));
    assert_eq!(fs::read(directory.path().join("latin1.track2")).unwrap(), bytes);
}

#[test]
fn an_unreadable_named_path_stops_everything_before_any_write() {
    let directory = scratch(&[("messy.track2", MESSY.as_bytes())]);
    let output = run(&["fmt", "messy.track2", "no/such.track2"], directory.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("cannot read `no/such.track2`"));
    assert_eq!(read(&directory.path().join("messy.track2")), MESSY);
}

#[cfg(unix)]
#[test]
fn a_rewrite_keeps_the_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let directory = scratch(&[("a.track2", MESSY.as_bytes())]);
    let path = directory.path().join("a.track2");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o604)).unwrap();
    let output = run(&["fmt", "a.track2"], directory.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(read(&path), TIDY);
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o604);
}

/// A write that cannot be done leaves the original byte for byte. A read-only
/// file is refused whoever runs the test; a read-only directory stops
/// ordinary users only (the library-level test in `src/cli/fmt.rs` fails a
/// write halfway for everyone).
#[test]
fn a_failing_write_leaves_the_original_intact() {
    let directory = scratch(&[
        ("read-only.track2", MESSY.as_bytes()),
        ("dir/a.track2", MESSY.as_bytes()),
    ]);
    let path = directory.path().join("read-only.track2");
    let mut permissions = fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).unwrap();
    let output = run(&["fmt", "read-only.track2"], directory.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("cannot write `read-only.track2`"));
    assert_eq!(fs::read(&path).unwrap(), MESSY.as_bytes());

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = directory.path().join("dir");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
        let permissions_work = fs::write(locked.join("probe"), "").is_err();
        if permissions_work {
            let output = run(&["fmt", "dir/a.track2"], directory.path());
            assert_eq!(output.status.code(), Some(2));
            assert!(text(&output.stderr).contains("cannot write `dir/a.track2`"));
        } else {
            eprintln!("running as a user whom permissions do not stop: skipping the read-only directory");
        }
        assert_eq!(fs::read(locked.join("a.track2")).unwrap(), MESSY.as_bytes());
        let names: Vec<_> = fs::read_dir(&locked).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(
            names.iter().all(|name| name == "a.track2" || name == "probe"),
            "{names:?}"
        );
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    }
}
