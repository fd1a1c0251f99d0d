//! `track2 init`: what it writes, that the result checks clean, and that it
//! never overwrites or writes through a link.

use std::fs;
use std::path::Path;

use crate::support::{AS_OF, text, track2_in};

/// The files a new repository gets, in the order init reports them.
const WRITTEN: [&str; 6] = [
    "track2.toml",
    "ledgers/example.track2",
    ".github/workflows/track2.yml",
    ".pre-commit-config.yaml",
    ".gitattributes",
    ".editorconfig",
];

fn init(directory: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    let output = track2_in(directory, &all).output().unwrap();
    (output.status.code(), text(&output.stdout), text(&output.stderr))
}

#[test]
fn a_new_repository_checks_clean_and_is_in_canonical_form() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = init(dir.path(), &["repo"]);
    assert_eq!(code, Some(0), "{stderr}");
    let repository = dir.path().join("repo");
    for file in WRITTEN {
        assert!(stdout.contains(&format!("created  {file}\n")), "{stdout}");
        let written = fs::read_to_string(repository.join(file)).unwrap();
        assert!(!written.contains('%'), "{file} has a placeholder left:\n{written}");
    }
    assert!(stdout.contains("Created 6 files in `repo`."), "{stdout}");

    // With no path: track2.toml's ledger, as of today and as of a fixed day.
    for args in [&["check"][..], &["check", "--strict", "--as-of", AS_OF][..]] {
        let output = track2_in(&repository, args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert_eq!(text(&output.stderr), "ok: 1 file, 1 engagement, no problems\n");
    }
    let output = track2_in(&repository, &["fmt", "--check"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "the starter ledger is in canonical form");
    let output = track2_in(&repository, &["summary", "--as-of", AS_OF]).output().unwrap();
    assert!(
        text(&output.stdout).contains("engagements   1"),
        "{}",
        text(&output.stdout)
    );

    assert_eq!(
        fs::read_to_string(repository.join(".gitattributes"))
            .unwrap()
            .lines()
            .filter(|line| !line.starts_with('#'))
            .collect::<Vec<_>>(),
        ["*.track2 text eol=lf diff=track2"]
    );
}

#[test]
fn existing_files_are_kept_and_named() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".gitattributes"), "* text=auto\n").unwrap();
    fs::create_dir(dir.path().join("ledgers")).unwrap();
    fs::write(dir.path().join("ledgers/2025.track2"), "party AM Armenia\n").unwrap();
    let (code, stdout, _) = init(dir.path(), &[]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("skipped  .gitattributes: it exists; left as it is\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("skipped  ledgers/example.track2: `ledgers/` already holds a ledger\n"),
        "the example's declarations would collide with the ledger's: {stdout}"
    );
    assert!(stdout.contains("Created 4 files in this directory."), "{stdout}");
    assert_eq!(
        fs::read_to_string(dir.path().join(".gitattributes")).unwrap(),
        "* text=auto\n"
    );
    assert!(!dir.path().join("ledgers/example.track2").exists());

    // A second run creates nothing and changes nothing.
    let before = fs::read_to_string(dir.path().join("track2.toml")).unwrap();
    let (code, stdout, _) = init(dir.path(), &[]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("Created no files in this directory."), "{stdout}");
    assert_eq!(fs::read_to_string(dir.path().join("track2.toml")).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn links_are_neither_followed_nor_replaced() {
    use std::os::unix::fs::symlink;

    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let repository = dir.path();
    // A dangling link where a file goes, and a directory on the way that
    // is a link to somewhere else.
    symlink(outside.path().join("editorconfig"), repository.join(".editorconfig")).unwrap();
    symlink(outside.path(), repository.join(".github")).unwrap();
    let (code, stdout, _) = init(repository, &[]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("skipped  .editorconfig: it exists; left as it is\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "skipped  .github/workflows/track2.yml: `.github` is a symbolic link, which init does not write through\n"
        ),
        "{stdout}"
    );
    assert_eq!(
        fs::read_dir(outside.path()).unwrap().count(),
        0,
        "nothing written outside"
    );
}

#[test]
fn a_file_is_not_a_directory_to_set_up() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("plain"), "").unwrap();
    let (code, stdout, stderr) = init(dir.path(), &["plain"]);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    assert_eq!(stderr, "error: `plain` is not a directory\n");
}
