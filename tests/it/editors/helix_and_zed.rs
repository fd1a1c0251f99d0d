//! Helix's `languages.toml` and Zed's extension, read as TOML.

use std::process::Command;

use serde_json::Value;

use super::editor;
use crate::support::{root, text};

/// A TOML file of `editors/` as JSON, read by Python's `tomllib`.
fn toml(python: &str, path: &str) -> Value {
    let output = Command::new(python)
        .args([
            "-c",
            "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))",
        ])
        .arg(root().join(path))
        .output()
        .unwrap();
    assert!(output.status.success(), "{path}: {}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Helix's and Zed's files are TOML holding the entries each editor reads:
/// the file type, the comment token and `track2 lsp`.
#[test]
fn helix_and_zed_files_start_the_server() {
    let Some(python) = editor("python3", "--version") else {
        return;
    };
    let helix = toml(python, "editors/helix/languages.toml");
    let language = &helix["language"][0];
    assert_eq!(language["name"], "track2");
    assert_eq!(language["file-types"], serde_json::json!(["track2"]));
    assert_eq!(language["comment-token"], "#");
    assert_eq!(language["language-servers"], serde_json::json!(["track2"]));
    assert_eq!(
        language["formatter"],
        serde_json::json!({"command": "track2", "args": ["fmt", "-"]})
    );
    assert_eq!(
        helix["language-server"]["track2"],
        serde_json::json!({"command": "track2", "args": ["lsp"]})
    );

    let zed = toml(python, "editors/zed/extension.toml");
    assert_eq!(zed["id"], "track2");
    assert_eq!(
        zed["language_servers"]["track2"]["languages"],
        serde_json::json!(["track2"])
    );
    let config = toml(python, "editors/zed/languages/track2/config.toml");
    assert_eq!(config["name"], "track2");
    assert_eq!(config["path_suffixes"], serde_json::json!(["track2"]));
    assert_eq!(config["line_comments"], serde_json::json!(["# "]));
    let extension = std::fs::read_to_string(root().join("editors/zed/src/lib.rs")).unwrap();
    assert!(extension.contains(r#"worktree.which("track2")"#) && extension.contains(r#"vec!["lsp".into()]"#));
}
