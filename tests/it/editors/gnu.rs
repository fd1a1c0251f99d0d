//! `check --format gnu`: the lines, their agreement with JSON, columns,
//! masking and escaping.

use serde_json::Value;

use super::{ARMENIAN, BROKEN, as_of, check};
use crate::support::{root, run, text};

#[test]
fn gnu_output() {
    let gnu = check(BROKEN, "gnu");
    // Snapshots of every module live in tests/it/snapshots/.
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("check_broken_gnu", gnu);
    });
    // The README's example is three of these lines.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let example: String = gnu
        .lines()
        .skip_while(|line| !line.contains("[duplicate-entry-id]"))
        .take(3)
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(
        readme.contains(&format!("```\n{example}```")),
        "README's gnu example:\n{example}"
    );
}

#[test]
fn gnu_lines_agree_with_json() {
    let gnu = check(BROKEN, "gnu");
    let json: Value = serde_json::from_str(&check(BROKEN, "json")).unwrap();
    let mut expected = Vec::new();
    for diagnostic in json["diagnostics"].as_array().unwrap() {
        let at = |d: &Value| format!("{}:{}:{}", d["file"].as_str().unwrap(), d["line"], d["column"]);
        expected.push(format!(
            "{}: {}: {} [{}]",
            at(diagnostic),
            diagnostic["severity"].as_str().unwrap(),
            diagnostic["message"].as_str().unwrap(),
            diagnostic["code"].as_str().unwrap()
        ));
        if let Some(help) = diagnostic["help"].as_str() {
            expected.push(format!("{}: note: {help}", at(diagnostic)));
        }
        for related in diagnostic["related"].as_array().unwrap() {
            expected.push(format!(
                "{}: note: {}",
                at(related),
                related["message"].as_str().unwrap()
            ));
        }
    }
    assert_eq!(gnu.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn gnu_columns_count_characters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("script.track2");
    std::fs::write(&path, ARMENIAN).unwrap();
    let path = path.to_str().unwrap();
    let gnu = check(path, "gnu");
    let starts: Vec<_> = gnu
        .lines()
        .filter(|line| !line.contains(": note: "))
        .map(|line| line.strip_prefix(path).unwrap().split(": ").next().unwrap())
        .collect();
    assert_eq!(starts, [":6:17", ":6:24"]);
}

#[test]
fn gnu_masks_private_names_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("masked.track2");
    // a3 is private and sits on the wrong side: the warning would name them.
    std::fs::write(
        &path,
        "party AM Armenia\nparty AZ Azerbaijan\nformat f F\nperson a3 Arsen C\n  party: AM\n  private: yes\n\
         2025 AZ -> AM Visit\n  format: f\n  participants: a3\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let output = run(&["check", path, &as_of(), "--format=gnu"]);
    assert_eq!(output.status.code(), Some(0));
    let masked = text(&output.stdout);
    assert!(masked.contains("participant `[withheld]` is from `AM`"), "{masked}");
    assert!(!masked.contains("a3"), "{masked}");
    let output = run(&["check", path, &as_of(), "--format=gnu", "--include-private"]);
    assert!(text(&output.stdout).contains("participant `a3` is from `AM`"));
}

/// A file name or a message holding a line break or a terminal escape still
/// gives exactly one line per diagnostic, with nothing raw in it.
#[test]
fn gnu_keeps_one_diagnostic_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let name = "two\nlines\u{1b}[31m.track2";
    let path = dir.path().join(name);
    // The unknown key quotes a control character back in its message.
    std::fs::write(&path, "party AM Armenia\n  x\u{7f}y: z\n").unwrap();
    let output = run(&["check", path.to_str().unwrap(), &as_of(), "--format=gnu"]);
    assert_eq!(output.status.code(), Some(1));
    let gnu = text(&output.stdout);
    assert!(!gnu.contains('\u{1b}') && !gnu.contains('\u{7f}'), "{gnu:?}");
    let lines: Vec<_> = gnu.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(line.contains("two\\nlines\\x1b[31m.track2:2:"), "{line:?}");
    }
    let json: Value = serde_json::from_slice(&run(&["check", path.to_str().unwrap(), "--format=json"]).stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let notes: usize = diagnostics
        .iter()
        .map(|d| usize::from(!d["help"].is_null()) + d["related"].as_array().unwrap().len())
        .sum();
    assert_eq!(lines.len(), diagnostics.len() + notes);
}
