//! `track2.toml` as the binary honours it: found from any subdirectory,
//! its paths relative to itself, and the precedence of the command line,
//! `$TRACK2_LEDGER`, the file and `./ledgers`.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::support::{text, track2_in};

/// A ledger with one engagement still planned on 2025-12-15: a warning
/// after that day, nothing before.
const PLANNED: &str = "party AM Armenia\n\nparty AZ Azerbaijan\n\nformat f F\n\n\
                       2025-12-15 AZ -> AM Planned\n  format: f\n  status: planned\n";

/// A repository whose track2.toml names `records/` and fixes the day.
fn repository(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("records")).unwrap();
    fs::create_dir_all(dir.path().join("deep/inside")).unwrap();
    fs::write(dir.path().join("records/planned.track2"), PLANNED).unwrap();
    fs::write(dir.path().join("track2.toml"), config).unwrap();
    dir
}

/// `check --format json` in `directory`: exit code, the files and codes.
fn check_json(directory: &Path, args: &[&str]) -> (Option<i32>, Vec<String>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = track2_in(directory, &all).output().unwrap();
    let document: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}{}", text(&output.stdout), text(&output.stderr)));
    let found = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {}", d["file"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    (output.status.code(), found)
}

#[test]
fn the_file_is_found_from_any_subdirectory() {
    let repository = repository("paths = [\"records\"]\nas-of = \"2026-01-01\"\n");
    let (code, found) = check_json(repository.path(), &[]);
    assert_eq!(code, Some(0));
    assert_eq!(found, ["records/planned.track2 planned-in-past"]);
    // Paths are relative to the file, and file names to where one stands.
    let (_, found) = check_json(&repository.path().join("deep/inside"), &[]);
    assert_eq!(found, ["../../records/planned.track2 planned-in-past"]);
    let output = track2_in(&repository.path().join("deep"), &["check", "--strict"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "as-of from the file: the warning fails --strict"
    );
}

#[test]
fn the_command_line_and_the_environment_come_first() {
    let repository = repository("paths = [\"records\"]\nas-of = \"2026-01-01\"\n");
    fs::write(repository.path().join("other.track2"), "party AM Armenia\n").unwrap();
    // --as-of beats the file's as-of.
    let (code, found) = check_json(repository.path(), &["--as-of", "2025-12-01"]);
    assert_eq!((code, found), (Some(0), vec![]));
    // Paths on the command line beat the file's; its as-of still holds.
    let (_, found) = check_json(repository.path(), &["other.track2"]);
    assert_eq!(found, Vec::<String>::new());
    // So does $TRACK2_LEDGER.
    let output = track2_in(repository.path(), &["check", "--format", "json"])
        .env("TRACK2_LEDGER", "other.track2")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(!text(&output.stdout).contains("planned.track2"));
}

#[test]
fn without_paths_the_file_means_ledgers() {
    let repository = repository("as-of = 2025-12-01\n");
    fs::rename(repository.path().join("records"), repository.path().join("ledgers")).unwrap();
    let (code, found) = check_json(&repository.path().join("deep"), &[]);
    assert_eq!((code, found), (Some(0), vec![]), "as-of as a TOML date");
}

#[test]
fn every_command_that_reads_a_ledger_honours_it() {
    let repository = repository("paths = [\"records\"]\nas-of = \"2026-01-01\"\n");
    let inside = repository.path().join("deep/inside");
    let output = track2_in(&inside, &["fmt", "--check"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let output = track2_in(&inside, &["summary", "--status", "all", "--output", "json"])
        .output()
        .unwrap();
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["as_of"], "2026-01-01");
    assert_eq!(summary["engagements"], 1);
    let output = track2_in(&inside, &["export", "--output", "csv"]).output().unwrap();
    assert!(text(&output.stdout).contains("Planned"));
    let output = track2_in(&inside, &["report", "directions", "--status", "planned"])
        .output()
        .unwrap();
    assert!(text(&output.stdout).contains("AZ → AM"), "{}", text(&output.stdout));
}

#[test]
fn a_broken_file_is_an_error_with_its_place_and_a_hint() {
    let repository = repository("paths = [\"records\"]\npahts = [\"x\"]\n");
    let output = track2_in(&repository.path().join("deep"), &["check", "records"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "even with paths given: the file is the team's agreement"
    );
    assert_eq!(
        text(&output.stderr),
        "error: ../track2.toml:2:1: unknown key `pahts` in track2.toml\n  help: did you mean `paths`?\n"
    );
    fs::write(repository.path().join("track2.toml"), "paths = [\"../outside\"]\n").unwrap();
    let output = track2_in(repository.path(), &["check"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("`../outside` is outside the root `.`"),
        "{}",
        text(&output.stderr)
    );
}
