//! What editors read: `check --format gnu`, the TextMate grammar of the VS
//! Code package, and the Vim, Emacs, Helix and Zed files of `editors/`,
//! each loaded in the real editor where one can run here. One module per
//! editor; what they share is here.
//!
//! The editor tests run `vim` and `emacs` when they are installed and say
//! that they skip otherwise; under `CI=true` (where `.ci/run` installs them)
//! a missing editor fails instead, so that CI cannot pass by skipping.

mod emacs;
mod gnu;
mod helix_and_zed;
mod textmate;
mod vim;

use std::path::PathBuf;
use std::process::Command;

use track2::schema::BlockKind;
use track2::syntax::DeclarationKind;

use crate::support::{AS_OF, run, text};

const BROKEN: &str = "tests/fixtures/broken.track2";

/// A ledger with Armenian text before the columns of its diagnostics: where
/// characters, bytes and screen columns differ.
const ARMENIAN: &str = "party AM Հայաստան\nparty AZ Azərbaycan\nformat f F\n\
                        2025 AZ -> AM Բարեւ\n  format: f\n  participants: Բարեւ, x\n";

fn as_of() -> String {
    format!("--as-of={AS_OF}")
}

/// `check`'s output for `path` in `format`.
fn check(path: &str, format: &str) -> String {
    let output = run(&["check", path, &as_of(), "--format", format]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(text(&output.stderr), "");
    text(&output.stdout)
}

fn block_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Declaration(declaration) => declaration.keyword(),
        BlockKind::Engagement => "engagement",
    }
}

fn block_kinds() -> impl Iterator<Item = BlockKind> {
    DeclarationKind::ALL
        .into_iter()
        .map(BlockKind::Declaration)
        .chain([BlockKind::Engagement])
}

/// The editor's command if it is installed. Otherwise the test is skipped
/// with a message, except under `CI=true`, where it fails.
fn editor(program: &str, version_flag: &str) -> Option<&'static str> {
    let found = Command::new(program)
        .arg(version_flag)
        .output()
        .is_ok_and(|output| output.status.success());
    if found {
        return Some(Box::leak(program.to_owned().into_boxed_str()));
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "`{program}` is not installed; .ci/run must install it"
    );
    eprintln!("skipped: `{program}` is not installed");
    None
}

/// Every `.track2` file below `directory`.
fn ledger_files(directory: &std::path::Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            ledger_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "track2") {
            found.push(path);
        }
    }
}
