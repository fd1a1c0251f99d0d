//! `track2 diff` as a reviewer meets it: two revisions of a ledger
//! repository, read through git (a real repository in a temporary
//! directory), the working tree, or two ledgers on disk; through the
//! privacy view; and what it does with a revision that does not exist, one
//! that looks like an option, a side that does not check, and a link that
//! leads out of the tree.

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support::{AS_OF, git, root, text, track2_in};

const DAY_ONE: &str = "2026-01-01T12:00:00+00:00";
const DAY_TWO: &str = "2026-01-02T12:00:00+00:00";

/// The second Peace Bridge round, as `ledgers/2025.track2` records it.
fn second_round() -> String {
    let ledger = fs::read_to_string(root().join("ledgers/2025.track2")).unwrap();
    let start = ledger
        .find("2025-11-21..2025-11-22 AM -> AZ Peace Bridge")
        .expect("the bundled ledger holds the second round");
    let end = ledger[start..].find("\n\n").map_or(ledger.len(), |end| start + end + 1);
    ledger[start..end].to_owned()
}

/// A ledger repository whose first commit is the bundled ledger without
/// the second Peace Bridge round.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ledgers = dir.path().join("ledgers");
    fs::create_dir(&ledgers).unwrap();
    for entry in fs::read_dir(root().join("ledgers")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, ledgers.join(path.file_name().unwrap())).unwrap();
    }
    let year = ledgers.join("2025.track2");
    let text = fs::read_to_string(&year).unwrap().replace(&second_round(), "");
    fs::write(&year, text.trim_end().to_owned() + "\n").unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"], DAY_ONE);
    commit_all(dir.path(), "The first round", DAY_ONE);
    dir
}

fn commit_all(repository: &Path, message: &str, date: &str) {
    git(repository, &["add", "-A"], date);
    git(repository, &["commit", "-q", "-m", message], date);
}

/// The change under review: the second round is added, and a participant
/// of both rounds is renamed (a corrected transliteration).
fn add_the_second_round_and_rename(repository: &Path) {
    let year = repository.join("ledgers/2025.track2");
    let text = fs::read_to_string(&year).unwrap() + "\n" + &second_round();
    fs::write(&year, text).unwrap();
    let people = repository.join("ledgers/people.track2");
    let text = fs::read_to_string(&people).unwrap();
    assert!(text.contains("person samvel-meliksetyan Samvel Meliksetyan\n"));
    fs::write(
        &people,
        text.replace(
            "person samvel-meliksetyan Samvel Meliksetyan\n",
            "person samvel-meliksetyan Samvel Meliksetian\n",
        ),
    )
    .unwrap();
}

fn diff(repository: &Path, args: &[&str]) -> Output {
    let mut all = vec!["diff", "--as-of", AS_OF];
    all.extend(args);
    track2_in(repository, &all).output().expect("the binary runs")
}

fn success(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    text(&output.stdout)
}

#[test]
fn a_commit_that_adds_a_round_and_renames_a_participant() {
    let repository = repository();
    add_the_second_round_and_rename(repository.path());
    commit_all(repository.path(), "The second round", DAY_TWO);
    let table = success(&diff(repository.path(), &["HEAD~1", "HEAD"]));
    insta::assert_snapshot!("diff_revisions_table", table);
    // The README shows this very output.
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("HEAD~1 HEAD` shows it:\n\n```\n{table}```\n")),
        "the README's example of `track2 diff HEAD~1 HEAD` is out of date"
    );
    let markdown = success(&diff(repository.path(), &["HEAD~1", "HEAD", "--output", "markdown"]));
    insta::assert_snapshot!("diff_revisions_markdown", markdown);

    // Exactly that change, and nothing else.
    let json: Value =
        serde_json::from_str(&success(&diff(repository.path(), &["HEAD~1", "HEAD", "-o", "json"]))).unwrap();
    let engagements = json["engagements"].as_array().unwrap();
    assert_eq!(engagements.len(), 1);
    assert_eq!(engagements[0]["change"], "added");
    assert_eq!(engagements[0]["engagement"]["id"], "pb-2");
    let declarations = json["declarations"].as_array().unwrap();
    assert_eq!(declarations.len(), 1);
    assert_eq!(declarations[0]["id"], "samvel-meliksetyan");
    assert_eq!(
        declarations[0]["fields"],
        serde_json::json!([{"field": "name", "old": "Samvel Meliksetyan", "new": "Samvel Meliksetian"}])
    );
    assert_eq!((json["before"].as_u64(), json["after"].as_u64()), (Some(3), Some(4)));
    // The same change, the other way round.
    let back: Value =
        serde_json::from_str(&success(&diff(repository.path(), &["HEAD", "HEAD~1", "-o", "json"]))).unwrap();
    assert_eq!(back["engagements"][0]["change"], "removed");
}

#[test]
fn by_default_head_is_compared_with_the_working_tree() {
    let repository = repository();
    // Nothing changed yet: nothing to show, and success.
    let json: Value = serde_json::from_str(&success(&diff(repository.path(), &["-o", "json"]))).unwrap();
    assert_eq!(json["engagements"], serde_json::json!([]));
    assert_eq!(json["declarations"], serde_json::json!([]));

    add_the_second_round_and_rename(repository.path());
    let uncommitted = success(&diff(repository.path(), &[]));
    assert!(
        uncommitted.contains("Peace Bridge, second round in Baku"),
        "{uncommitted}"
    );
    assert!(
        uncommitted.contains("name: Samvel Meliksetyan → Samvel Meliksetian"),
        "{uncommitted}"
    );
    // One revision is compared with the working tree too.
    assert_eq!(success(&diff(repository.path(), &["HEAD"])), uncommitted);

    // Once committed, HEAD~1 against the working tree says the same.
    commit_all(repository.path(), "The second round", DAY_TWO);
    assert_eq!(success(&diff(repository.path(), &["HEAD~1"])), uncommitted);
    assert_eq!(success(&diff(repository.path(), &["HEAD~1", "HEAD"])), uncommitted);
}

#[test]
fn each_side_reads_its_own_ledger_and_paths_after_the_separator_choose_it() {
    let repository = repository();
    add_the_second_round_and_rename(repository.path());
    commit_all(repository.path(), "The second round", DAY_TWO);
    // The ledger moves to records/, which a new track2.toml names: HEAD~1
    // is read from its ledgers/, HEAD from its track2.toml.
    git(repository.path(), &["mv", "ledgers", "records"], DAY_TWO);
    fs::write(repository.path().join("track2.toml"), "paths = [\"records\"]\n").unwrap();
    commit_all(repository.path(), "Move the ledger", DAY_TWO);
    let json = |directory: &Path, args: &[&str]| -> Value {
        // Before the paths: after `--` everything is a path.
        let mut all = vec!["-o", "json"];
        all.extend(args);
        serde_json::from_str(&success(&diff(directory, &all))).unwrap()
    };
    let moved = json(repository.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(moved["engagements"], serde_json::json!([]), "the same ledger, moved");
    assert_eq!(moved["declarations"], serde_json::json!([]));
    // From a subdirectory track2.toml is found upward, as for `check`.
    let here = json(&repository.path().join("records"), &["HEAD"]);
    assert_eq!(here["after"].as_u64(), Some(4));

    // Named paths, relative to the current directory, on both sides.
    let people = json(
        repository.path(),
        &[
            "HEAD~2",
            "HEAD~1",
            "--",
            "ledgers/parties.track2",
            "ledgers/organisations.track2",
            "ledgers/people.track2",
        ],
    );
    // Only those files were read: no engagement on either side, so the
    // renamed person, named by no engagement shown, is counted, not shown.
    assert_eq!(
        (people["before"].as_u64(), people["after"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(people["engagements"], serde_json::json!([]));
    assert_eq!(people["declarations"], serde_json::json!([]));
    assert_eq!(people["withheld"]["declarations_changed"], 1);
    let output = diff(repository.path(), &["HEAD~1", "HEAD", "--", "records"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: cannot read OLD (HEAD~1): cannot read `records`: no such file or directory in the revision\n"
    );
}

#[test]
fn a_revision_that_does_not_exist_is_a_usage_error() {
    let repository = repository();
    let output = diff(repository.path(), &["HEAD~5", "HEAD"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(
        text(&output.stderr),
        "error: OLD: `HEAD~5` is not a commit of this repository (see `git log --oneline`)\n"
    );
    // A blob or a tree is not a commit either.
    let output = diff(repository.path(), &["HEAD:ledgers", "HEAD"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("`HEAD:ledgers` is not a commit"));

    let elsewhere = tempfile::tempdir().unwrap();
    let output = diff(elsewhere.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).starts_with("error: this directory is not in a git repository"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_revision_that_looks_like_an_option_never_reaches_git_as_one() {
    let repository = repository();
    // What `git rev-parse` or `git ls-tree` would run, were it an option.
    let pwned = repository.path().join("pwned");
    for hostile in [
        "--upload-pack=touch pwned",
        "--output=pwned",
        "-c core.pager=touch pwned",
    ] {
        let output = diff(repository.path(), &[hostile, "HEAD"]);
        assert_eq!(output.status.code(), Some(2), "{hostile}");
        assert_eq!(text(&output.stdout), "");
        let output = diff(repository.path(), &["HEAD", hostile]);
        assert_eq!(output.status.code(), Some(2), "{hostile}");
        // After `--` it is a path of the ledger, looked for in the tree.
        let output = diff(repository.path(), &["HEAD", "HEAD", "--", hostile]);
        assert_eq!(output.status.code(), Some(2), "{hostile}");
        assert!(
            text(&output.stderr).contains("cannot read OLD (HEAD)"),
            "{}",
            text(&output.stderr)
        );
    }
    assert!(!pwned.exists());
    assert!(!repository.path().join("--output=pwned").exists());
}

#[test]
fn a_side_that_does_not_check_is_named_and_nothing_is_compared() {
    let repository = repository();
    let year = repository.path().join("ledgers/2025.track2");
    let broken = fs::read_to_string(&year).unwrap()
        + "\n2025-12 AM -> AZ Nobody declared\n  format: dialogue\n  participants: no-such-person\n";
    fs::write(&year, broken).unwrap();
    let output = diff(repository.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    let stderr = text(&output.stderr);
    assert!(stderr.contains("undeclared-person"), "{stderr}");
    assert!(
        stderr.ends_with("error: NEW (working tree) has 1 error; a ledger that does not check cannot be compared\n"),
        "{stderr}"
    );
    commit_all(repository.path(), "A broken record", DAY_TWO);
    fs::write(
        &year,
        fs::read_to_string(&year)
            .unwrap()
            .replace("no-such-person", "areg-kochinyan"),
    )
    .unwrap();
    let output = diff(repository.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).ends_with(
            "error: OLD (HEAD) has 1 error (the files as they are at HEAD); \
             a ledger that does not check cannot be compared\n"
        ),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn withheld_records_are_counted_not_shown() {
    let repository = repository();
    let year = repository.path().join("ledgers/2025.track2");
    let secret =
        "\n2025-12-01 AZ -> AM Quiet talks in Dilijan\n  format: dialogue\n  confidential: private\n  venue: Dilijan\n";
    fs::write(&year, fs::read_to_string(&year).unwrap() + secret).unwrap();
    commit_all(repository.path(), "A private meeting", DAY_TWO);
    for output in ["table", "markdown", "json", "csv"] {
        let shown = success(&diff(repository.path(), &["HEAD~1", "HEAD", "-o", output]));
        assert!(
            !shown.contains("Quiet") && !shown.contains("Dilijan"),
            "{output}: {shown}"
        );
    }
    let table = success(&diff(repository.path(), &["HEAD~1", "HEAD"]));
    let withheld = table
        .lines()
        .find(|line| line.starts_with("withheld engagements added"));
    assert_eq!(
        withheld.map(|line| line.split_whitespace().last()),
        Some(Some("1")),
        "{table}"
    );
    let revealed = diff(repository.path(), &["HEAD~1", "HEAD", "--include-private"]);
    let shown = success(&revealed);
    assert!(shown.starts_with("CONFIDENTIAL"), "{shown}");
    assert!(shown.contains("Quiet talks in Dilijan"), "{shown}");
}

#[cfg(unix)]
#[test]
fn a_link_in_a_revision_that_leads_out_of_the_tree_is_not_followed() {
    let repository = repository();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("secret.track2");
    fs::write(&target, "party XX Not part of this ledger\n").unwrap();
    std::os::unix::fs::symlink(&target, repository.path().join("ledgers/link.track2")).unwrap();
    commit_all(repository.path(), "A link out", DAY_TWO);
    fs::remove_file(repository.path().join("ledgers/link.track2")).unwrap();
    // HEAD holds the link; the working tree does not.
    let output = diff(repository.path(), &["HEAD", "HEAD~1"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("include-outside-root"), "{stderr}");
    assert!(!stderr.contains("Not part of this ledger"), "{stderr}");
}

#[test]
fn two_ledgers_on_disk_are_compared_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let before = "party AM Armenia\n\nparty AZ Azerbaijan\n\nformat d Dialogue\n";
    let after = format!("{before}\n2025-10-21 AZ -> AM First round\n  format: d\n");
    fs::write(dir.path().join("before.track2"), before).unwrap();
    fs::write(dir.path().join("after.track2"), after).unwrap();
    // No git repository is needed for two paths.
    let json: Value = serde_json::from_str(&success(&diff(
        dir.path(),
        &["before.track2", "after.track2", "-o", "json"],
    )))
    .unwrap();
    assert_eq!(json["engagements"][0]["change"], "added");
    let output = diff(dir.path(), &["before.track2"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("name the ledger after the change too"));
}
