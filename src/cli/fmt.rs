//! `track2 fmt`: rewrites files in the canonical form of GRAMMAR.md §8, or
//! with `--check` only says which would change. The formatting itself is the
//! library's (`track2::format`); this module reads, writes and reports.
//!
//! Files are formatted one by one, exactly the ones named or found below a
//! named directory; includes are not followed. A file with a syntax error, or
//! bytes that are not UTF-8, is reported as `check` reports it and left alone.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::output::{self, plural};
use super::{LedgerArgs, Outcome, Terminal};
use track2::render::human::HumanRenderer;
use track2::source::FileId;
use track2::{format, loader, parser};

#[derive(Args)]
pub struct FmtArgs {
    /// Files or directories (every `*.track2` below), or `-` alone to format
    /// standard input to standard output. Default: $TRACK2_LEDGER, else the
    /// paths of the nearest track2.toml, else ./ledgers.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Change nothing; list the files that are not in canonical form, and
    /// exit with 1 if there are any.
    #[arg(long)]
    check: bool,
    /// With --check, also print what would change, as a unified diff.
    #[arg(long, requires = "check")]
    diff: bool,
}

/// The name standard input goes by in messages.
const STDIN_NAME: &str = "<stdin>";

/// What happened to the files so far; decides the exit status.
#[derive(Default)]
struct FileTally {
    /// Files that are not canonical (under `--check`) or were rewritten.
    changed: usize,
    /// Files left alone because of syntax errors.
    unformattable: usize,
    /// Files that could not be read or written.
    failed: usize,
}

impl FileTally {
    fn outcome(&self, check: bool) -> Outcome {
        if self.failed > 0 {
            Outcome::Failure
        } else if self.unformattable > 0 || (check && self.changed > 0) {
            Outcome::Invalid
        } else {
            Outcome::Success
        }
    }
}

pub fn run(args: &FmtArgs, terminal: &Terminal) -> Outcome {
    if args.paths.iter().any(|path| path == Path::new("-")) {
        if args.paths.len() > 1 {
            output::fatal("`-` (standard input) must be the only path");
            return Outcome::Failure;
        }
        return run_on_stdin(args, terminal);
    }
    // The same default ledger as `check`, track2.toml included; `fmt` has no
    // use for `--as-of`.
    let ledger = LedgerArgs {
        paths: args.paths.clone(),
        as_of: None,
    };
    let paths = match ledger.resolve(terminal) {
        Ok(ledger) => ledger.paths,
        Err(message) => {
            output::fatal(&message);
            return Outcome::Failure;
        }
    };
    // Every named path is resolved before any file is touched, so that a
    // typo in one path does not leave the others half done.
    let files = match files_to_format(&paths) {
        Ok(files) => files,
        Err(message) => {
            output::fatal(&message);
            return Outcome::Failure;
        }
    };
    let renderer = HumanRenderer::new(terminal.color, terminal.width);
    let mut tally = FileTally::default();
    for file in &files {
        format_file(file, args, &renderer, &mut tally);
    }
    report_summary(&tally, args.check);
    tally.outcome(args.check)
}

/// The files named and those below the directories named, each once, in
/// the order given.
fn files_to_format(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        let metadata = fs::metadata(path).map_err(|error| format!("cannot read `{}`: {error}", path.display()))?;
        let found = if metadata.is_dir() {
            loader::ledger_files(path).map_err(|error| error.to_string())?
        } else {
            vec![path.clone()]
        };
        for file in found {
            let canonical =
                fs::canonicalize(&file).map_err(|error| format!("cannot read `{}`: {error}", file.display()))?;
            if seen.insert(canonical) {
                files.push(file);
            }
        }
    }
    Ok(files)
}

/// What reading and formatting one input gave.
enum Formatted {
    /// The input and its canonical form.
    Text { original: String, formatted: String },
    /// Syntax errors, already reported.
    Unformattable,
    /// The input could not be read, already reported.
    Failed,
}

/// Decodes and formats `bytes`, or reports on stderr why it cannot be.
fn format_bytes(name: &str, bytes: Vec<u8>, renderer: &HumanRenderer) -> Formatted {
    let loaded = match loader::load_bytes(name, bytes) {
        Ok(loaded) => loaded,
        Err(error) => {
            output::fatal(&error.to_string());
            return Formatted::Failed;
        }
    };
    // A file is formatted alone and its includes are not followed, so every
    // diagnostic here is bytes that are not UTF-8 or a syntax error.
    let source = loaded.sources.get(FileId(0));
    let (document, syntax_errors) = parser::parse(FileId(0), source.text());
    if !loaded.diagnostics.is_empty() || !syntax_errors.is_empty() {
        let mut diagnostics = loaded.diagnostics;
        diagnostics.extend(syntax_errors);
        track2::diagnostic::sort(&mut diagnostics);
        let mut text = String::new();
        for diagnostic in &diagnostics {
            text.push_str(&renderer.render(diagnostic, &loaded.sources));
            text.push('\n');
        }
        let _ = output::stderr(&text);
        return Formatted::Unformattable;
    }
    let formatted = format::format_document(&document, source.text());
    Formatted::Text {
        original: source.text().to_owned(),
        formatted,
    }
}

fn format_file(path: &Path, args: &FmtArgs, renderer: &HumanRenderer, tally: &mut FileTally) {
    let name = path.display().to_string();
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            output::fatal(&format!("cannot read `{name}`: {error}"));
            tally.failed += 1;
            return;
        }
    };
    let (original, formatted) = match format_bytes(&name, bytes, renderer) {
        Formatted::Text { original, formatted } => (original, formatted),
        Formatted::Unformattable => {
            tally.unformattable += 1;
            return;
        }
        Formatted::Failed => {
            tally.failed += 1;
            return;
        }
    };
    if original == formatted {
        return;
    }
    if args.check {
        tally.changed += 1;
        report_change(&name, &original, &formatted, args.diff);
        return;
    }
    // An unchanged file is never written, so its modification time stays.
    match replace_file(path, formatted.as_bytes()) {
        Ok(()) => tally.changed += 1,
        Err(error) => {
            output::fatal(&format!("cannot write `{name}`: {error}; it is left as it was"));
            tally.failed += 1;
        }
    }
}

fn run_on_stdin(args: &FmtArgs, terminal: &Terminal) -> Outcome {
    let mut bytes = Vec::new();
    if let Err(error) = io::stdin().lock().read_to_end(&mut bytes) {
        output::fatal(&format!("cannot read standard input: {error}"));
        return Outcome::Failure;
    }
    let renderer = HumanRenderer::new(terminal.color, terminal.width);
    let (original, formatted) = match format_bytes(STDIN_NAME, bytes, &renderer) {
        Formatted::Text { original, formatted } => (original, formatted),
        // Nothing on stdout: an editor piping its buffer through us must not
        // mistake an empty or partial output for the formatted text.
        Formatted::Unformattable => return Outcome::Invalid,
        Formatted::Failed => return Outcome::Failure,
    };
    if args.check {
        if original == formatted {
            return Outcome::Success;
        }
        report_change(STDIN_NAME, &original, &formatted, args.diff);
        return Outcome::Invalid;
    }
    if let Err(error) = output::stdout(&formatted) {
        output::fatal(&format!("cannot write the formatted text: {error}"));
        return Outcome::Failure;
    }
    Outcome::Success
}

/// `would reformat: NAME` on stdout, then the diff if asked for.
fn report_change(name: &str, original: &str, formatted: &str, diff: bool) {
    let mut text = format!("would reformat: {name}\n");
    if diff {
        text.push_str(&unified_diff(name, original, formatted));
    }
    let _ = output::stdout(&text);
}

/// A unified diff that `patch -p0` applies from the directory `track2` ran in.
fn unified_diff(name: &str, original: &str, formatted: &str) -> String {
    similar::TextDiff::from_lines(original, formatted)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string()
}

fn report_summary(tally: &FileTally, check: bool) {
    let mut text = String::new();
    if tally.unformattable > 0 {
        text.push_str(&format!(
            "error: {} left untouched: fix the syntax errors above, then format again\n",
            plural(tally.unformattable, "file")
        ));
    }
    if check && tally.changed > 0 {
        text.push_str(&format!(
            "error: {} not in canonical form; run `track2 fmt` to rewrite {}\n",
            plural(tally.changed, "file"),
            if tally.changed == 1 { "it" } else { "them" }
        ));
    }
    if !text.is_empty() {
        let _ = output::stderr(&text);
    }
}

/// Replaces the contents of the file at `path`, all at once or not at all.
pub(super) fn replace_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    replace_file_with(path, |file| file.write_all(contents))
}

/// Writes a temporary file beside the original with `write`, then renames it
/// over the original. Until the rename, the original is untouched; if
/// anything fails, the temporary file is removed and the original stays as
/// it was. The new file takes the original's permissions (and, on Unix, its
/// owner and group when allowed). A link is written through, not replaced.
fn replace_file_with(path: &Path, write: impl FnOnce(&mut fs::File) -> io::Result<()>) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let metadata = fs::metadata(&target)?;
    if metadata.permissions().readonly() {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only"));
    }
    let directory = target.parent().unwrap_or(Path::new("."));
    let mut temporary = tempfile::Builder::new()
        .prefix(".track2-fmt-")
        .suffix(".tmp")
        .tempfile_in(directory)?;
    write(temporary.as_file_mut())?;
    temporary.as_file().sync_all()?;
    temporary.as_file().set_permissions(metadata.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Best effort: only root may give a file away. Failing to keep the
        // owner is no reason to refuse to format.
        let _ = std::os::unix::fs::fchown(temporary.as_file(), Some(metadata.uid()), Some(metadata.gid()));
    }
    temporary.persist(&target).map_err(|error| error.error)?;
    // Make the rename itself durable; not every platform can sync a directory.
    if let Ok(directory) = fs::File::open(directory) {
        let _ = directory.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(directory: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(directory)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_that_fails_halfway_leaves_the_original_intact() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("a.track2");
        let original = b"party AM    Armenia\n".to_vec();
        fs::write(&path, &original).unwrap();
        let error = replace_file_with(&path, |file| {
            file.write_all(b"party AM")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(error.to_string(), "disk full");
        assert_eq!(fs::read(&path).unwrap(), original);
        assert_eq!(entries(directory.path()), ["a.track2"], "the temporary file is removed");
    }

    #[test]
    fn a_rewrite_keeps_permissions_and_links() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("a.track2");
        fs::write(&path, "party AM    Armenia\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
            let link = directory.path().join("link.track2");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            replace_file(&link, b"party AM Armenia\n").unwrap();
            assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        #[cfg(not(unix))]
        replace_file(&path, b"party AM Armenia\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "party AM Armenia\n");
    }

    #[test]
    fn a_read_only_file_is_not_replaced() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("a.track2");
        fs::write(&path, "party AM    Armenia\n").unwrap();
        let mut permissions = fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&path, permissions).unwrap();
        assert!(replace_file(&path, b"party AM Armenia\n").is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "party AM    Armenia\n");
    }

    #[test]
    fn diffs_name_the_file_on_both_sides() {
        let diff = unified_diff("a.track2", "party AM  Armenia\n", "party AM Armenia\n");
        assert_eq!(
            diff,
            "--- a.track2\n+++ a.track2\n@@ -1 +1 @@\n-party AM  Armenia\n+party AM Armenia\n"
        );
    }
}
