//! The `track2` binary as a user and a CI job meet it: exit codes, and
//! snapshots of what it prints in each output format.
//!
//! Snapshots live in `tests/it/snapshots/`; after an intended change, review and
//! accept them with `cargo insta review` (or `INSTA_UPDATE=always cargo test`
//! and read the diff).

use std::io::Read;
use std::path::PathBuf;
use std::process::Stdio;

use crate::support::{root, run, text, track2};

const AS_OF: &str = "--as-of=2026-01-01";
const BROKEN: &str = "tests/fixtures/broken.track2";
const WARNINGS: &str = "tests/fixtures/warnings.track2";

#[test]
fn the_bundled_ledgers_are_valid() {
    let output = run(&["check", "ledgers", AS_OF]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "");
    insta::assert_snapshot!("check_ledgers_human", text(&output.stderr));
}

#[test]
fn without_a_path_it_reads_ledgers_or_the_environment() {
    let output = run(&["check", AS_OF]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stderr).starts_with("ok: 5 files"));

    let output = track2(&["check", AS_OF]).env("TRACK2_LEDGER", BROKEN).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("broken.track2"));
}

#[test]
fn human_output_shows_every_problem_with_its_source_line() {
    let output = run(&["check", BROKEN, AS_OF]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    insta::assert_snapshot!("check_broken_human", text(&output.stderr));
}

#[test]
fn json_output() {
    let output = run(&["check", BROKEN, AS_OF, "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stderr), "");
    let stdout = text(&output.stdout);
    let document: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
    assert_eq!(document["errors"], 8);
    assert_eq!(document["warnings"], 1);
    insta::assert_snapshot!("check_broken_json", stdout);
}

#[test]
fn json_columns_count_characters_not_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("script.track2");
    let ledger = "party AM Հայաստան\nparty AZ Azərbaycan\nformat f F\n\
                  2025 AZ -> AM Բարեւ\n  format: f\n  participants: Բարեւ, x\n";
    std::fs::write(&path, ledger).unwrap();
    let output = run(&["check", path.to_str().unwrap(), AS_OF, "--format", "json"]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<_> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["end_column"].as_u64().unwrap(),
            )
        })
        .collect();
    // `Բարեւ` is five characters in ten bytes: `x` is at character 24, byte 29.
    assert_eq!(found, [("invalid-id", 6, 17, 22), ("undeclared-person", 6, 24, 25)]);
}

#[test]
fn github_output() {
    let output = run(&["check", BROKEN, AS_OF, "--format=github"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    let annotations: Vec<&str> = stdout.lines().collect();
    // One annotation per diagnostic, so that the check below cannot pass on
    // an empty output.
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["check", BROKEN, AS_OF, "--format=json"]).stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap().len();
    assert!(diagnostics > 5);
    assert_eq!(annotations.len(), diagnostics);
    assert!(
        annotations
            .iter()
            .all(|line| line.starts_with("::error file=") || line.starts_with("::warning file="))
    );
    insta::assert_snapshot!("check_broken_github", stdout);
}

#[test]
fn warnings_fail_only_under_strict() {
    let output = run(&["check", WARNINGS, AS_OF]);
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stderr).ends_with("ok: 1 file, 2 engagements, 2 warnings\n"));

    let output = run(&["check", WARNINGS, AS_OF, "--strict"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).ends_with("error: 0 errors, 2 warnings in 1 file (--strict)\n"));

    let output = run(&["check", WARNINGS, AS_OF, "--strict", "--format=json"]);
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["diagnostics"][0]["severity"], "warning");
}

#[test]
fn as_of_decides_what_is_in_the_future() {
    let output = run(&["check", WARNINGS, "--as-of=2100-01-01", "--format=json"]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["warnings"], 1, "{document}");
}

#[test]
fn usage_and_unreadable_paths_exit_2() {
    let output = run(&["check", "no/such/ledger.track2"]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!("check_missing_path", text(&output.stderr));

    let output = run(&["check", "--format", "xml", BROKEN]);
    assert_eq!(output.status.code(), Some(2));

    let output = run(&["check", "--as-of", "2025-13-01", BROKEN]);
    assert_eq!(output.status.code(), Some(2));
    // What is wrong with the day, said once (clap quotes the value).
    assert_eq!(
        text(&output.stderr).lines().next(),
        Some("error: invalid value '2025-13-01' for '--as-of <DATE>': there is no month 13")
    );
    let output = run(&["check", "--as-of", "2025-10", BROKEN]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("': expected a day, YYYY-MM-DD\n"));

    let output = track2(&["check"]).current_dir(std::env::temp_dir()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no ledger to read"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // Enough errors that the JSON is far larger than a pipe's buffer.
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("many.track2");
    let mut ledger = String::from("party AM Armenia\nparty AZ Azerbaijan\nformat f F\n");
    for day in 0..3000 {
        ledger.push_str(&format!("2025 AM -> AZ Visit {day}\n  format: g\n"));
    }
    std::fs::write(&path, ledger).unwrap();
    let mut child = track2(&["check", path.to_str().unwrap(), "--format=json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_bytes = [0; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first_bytes).unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(text(&output.stderr), "");
}

#[test]
fn crlf_bom_and_tabs_are_read_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windows.track2");
    std::fs::write(
        &path,
        "\u{feff}party AM Armenia\r\nparty AZ Azerbaijan\r\nformat f F\r\n2025 AM -> AZ T\r\n\t format: g\r\n",
    )
    .unwrap();
    let output = run(&["check", path.to_str().unwrap(), AS_OF, "--format=json"]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostic = &document["diagnostics"][0];
    assert_eq!(diagnostic["code"], "undeclared-format");
    assert_eq!(
        (diagnostic["line"].as_u64(), diagnostic["column"].as_u64()),
        (Some(5), Some(11))
    );
    assert_eq!(diagnostic["end_column"], 12);
}

/// Every README example that starts with `$ track2 …` shows what that
/// command prints on the bundled ledgers, so the README cannot drift.
#[test]
fn readme_examples_are_real_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut examples = 0;
    for block in readme.split("```").skip(1).step_by(2) {
        let block = block
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
            .trim_start_matches('\n');
        let Some(command) = block.lines().next().and_then(|line| line.strip_prefix("$ track2 ")) else {
            continue;
        };
        let expected: String = block.lines().skip(1).map(|line| format!("{line}\n")).collect();
        let args: Vec<&str> = command.split_whitespace().collect();
        let output = run(&args);
        assert_eq!(output.status.code(), Some(0), "{command}: {}", text(&output.stderr));
        // CSV ends its records in CRLF (RFC 4180); the README shows plain lines.
        let actual = text(&output.stdout).replace("\r\n", "\n");
        assert_eq!(actual, expected, "README example `track2 {command}` is out of date");
        examples += 1;
    }
    assert!(examples >= 5, "found only {examples} README examples");
}
