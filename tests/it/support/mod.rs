//! What the integration tests share: where the repository is, how the
//! binary and git are run, the as-of date every test reads the ledger at,
//! how many cases a property test tries, the one ledger generator, and what
//! a ledger means whatever its layout.

// The generator also serves `examples/synthetic.rs` and the benchmarks,
// which use parts of it that no test does.
#[allow(dead_code)]
pub mod generator;
pub mod meaning;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use track2::{AnalysisOptions, Diagnostic, Loaded};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The conformance corpus, `grammar/tests/`.
pub fn corpus() -> PathBuf {
    root().join("grammar/tests")
}

/// The day every test reads a ledger as of, so that no result depends on
/// when the tests run; generated ledgers are valid on it.
pub const AS_OF: &str = generator::AS_OF;

pub fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").expect("a day")
}

pub fn options() -> AnalysisOptions {
    AnalysisOptions { as_of: as_of() }
}

/// The binary, run in `directory` with a fixed environment: no colour, no
/// default ledger from the caller's shell.
pub fn track2_in(directory: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_track2"));
    command
        .args(args)
        .current_dir(directory)
        .env("NO_COLOR", "1")
        .env_remove("TRACK2_LEDGER")
        .env_remove("COLUMNS");
    command
}

/// The binary, run from the repository root (see [`track2_in`]).
pub fn track2(args: &[&str]) -> Command {
    track2_in(root(), args)
}

/// What the binary printed and how it exited, run from the repository root.
pub fn run(args: &[&str]) -> Output {
    track2(args).output().expect("the binary runs")
}

/// Output that must be UTF-8, as a string.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

/// Standard output of a run that must succeed.
pub fn stdout(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    text(&output.stdout)
}

/// git in `repository`, isolated from the user's configuration, with fixed
/// names and dates; panics if it fails.
pub fn git(repository: &Path, args: &[&str], date: &str) {
    let output = Command::new("git")
        .args(args)
        .current_dir(repository)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", text(&output.stderr));
}

/// How many cases a property test tries: `default` unless `PROPTEST_CASES`
/// says otherwise (raise it to search longer locally; CI keeps the default).
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}

/// `diagnostics` as the conformance corpus writes them (`grammar/tests/README.md`):
/// `LINE:COL CODE`, or `FILE:LINE:COL CODE` with FILE relative to `directory`
/// when the ledger is a directory of files. In the order given.
pub fn corpus_lines(loaded: &Loaded, diagnostics: &[Diagnostic], directory: Option<&Path>) -> Vec<String> {
    diagnostics
        .iter()
        .map(|diagnostic| {
            let file = loaded.sources.get(diagnostic.location.file);
            let position = file.position(diagnostic.location.span.start as usize);
            let place = format!("{}:{} {}", position.line, position.column, diagnostic.code);
            match directory {
                Some(directory) => {
                    let relative = Path::new(file.name())
                        .strip_prefix(directory)
                        .expect("the files of a directory lie below it");
                    format!("{}:{place}", relative.display())
                }
                None => place,
            }
        })
        .collect()
}
