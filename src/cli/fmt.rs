//! `track2 fmt`: rewrites files in the canonical form of GRAMMAR.md §8, or
//! with `--check` only says which would change. The formatting itself is the
//! library's (`track2::format`); this module reads, writes and reports.
//!
//! Files are formatted one by one, exactly the ones named or found below a
//! named directory; includes are not followed. A file with a syntax error, or
//! bytes that are not UTF-8, is reported as `check` reports it and left alone.
//!
//! The files are the user's, and a pull request may have put links among
//! them: a file is found and confined exactly as `check` finds it (the
//! loader's root, only regular files, the size limit), and written only at
//! the place it resolved to, inside the root. A rewrite keeps the file's
//! inode when other names share it (hard links), its owner, group and every
//! mode bit, and is refused if the file changed since it was read.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::output::{self, plural};
use super::{LedgerArgs, Outcome, ReadingArgs, Terminal};
use track2::diagnostic::Diagnostic;
use track2::loader::{FileRefusal, LedgerPath, Origin};
use track2::render::human::HumanRenderer;
use track2::source::{FileId, SourceFile, SourceMap, Span};
use track2::{Disk, format, loader};

#[derive(Args)]
pub struct FmtArgs {
    /// Files or directories (every `*.track2` below), or `-` alone to format
    /// standard input to standard output. Default: $TRACK2_LEDGER, else ./ledgers.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Change nothing; list the files that are not in canonical form, and
    /// exit with 1 if there are any.
    #[arg(long)]
    check: bool,
    /// Change nothing; print what would change, as a unified diff (implies
    /// --check). A change of line endings only is one line, `line endings:
    /// CRLF → LF, lines 12–31`.
    #[arg(long)]
    diff: bool,
    #[command(flatten)]
    reading: ReadingArgs,
}

impl FmtArgs {
    /// Whether files are only compared, not written: `--diff` shows what
    /// `--check` finds, and has no meaning for a rewrite.
    fn checking(&self) -> bool {
        self.check || self.diff
    }
}

/// What happened to the files so far; decides the exit status.
#[derive(Default)]
struct FileTally {
    /// Files that are not canonical (under `--check`) or were rewritten.
    changed: usize,
    /// Files left alone because of syntax errors, or refused by the
    /// loader's rules (a link out of the root, a FIFO).
    unformattable: usize,
    /// Files that could not be read or written, or changed meanwhile.
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
    // The same default ledger as `check`; `fmt` has no use for `--as-of`.
    let ledger = LedgerArgs {
        paths: args.paths.clone(),
        as_of: None,
        reading: args.reading.clone(),
    };
    let ledger = match ledger.resolve(terminal) {
        Ok(ledger) => ledger,
        Err(message) => {
            output::fatal(&message);
            return Outcome::Failure;
        }
    };
    // Every named path is resolved before any file is touched, so that a
    // typo in one path does not leave the others half done.
    let files = match loader::ledger_paths(&Disk, &ledger.paths, &ledger.load_options) {
        Ok(files) => files,
        Err(error) => {
            output::fatal(&error.to_string());
            return Outcome::Failure;
        }
    };
    let renderer = HumanRenderer::new(terminal.color, terminal.width);
    let mut tally = FileTally::default();
    let mut seen = HashSet::new();
    for file in &files {
        format_file(file, args, &renderer, &mut seen, &mut tally);
    }
    report_summary(&tally, args.checking());
    tally.outcome(args.checking())
}

/// What reading and formatting one input gave.
enum Formatted {
    /// The input and its canonical form.
    Text { original: String, formatted: String },
    /// Whether the input is in canonical form, when only that was asked.
    Canonical(bool),
    /// Syntax errors, already reported.
    Unformattable,
    /// The input could not be read, already reported.
    Failed,
}

/// Decodes and formats `bytes`, or reports on stderr why it cannot be.
/// With `compare_only`, the canonical form is compared with the input as it
/// is made and not kept (`--check` without `--diff`), so that memory stays
/// that of the input.
fn format_bytes(name: &str, bytes: Vec<u8>, renderer: &HumanRenderer, compare_only: bool) -> Formatted {
    let (sources, decoding) = match loader::decode_bytes(name, bytes) {
        Ok(decoded) => decoded,
        Err(error) => {
            output::fatal(&error.to_string());
            return Formatted::Failed;
        }
    };
    // A file is formatted alone and its includes are not followed, so every
    // diagnostic here is bytes that are not UTF-8 or a syntax error.
    let text = sources.get(FileId(0)).text();
    let syntax_errors = if !decoding.is_empty() {
        // Bytes that are not UTF-8 make the file unformattable; its syntax
        // errors are reported with them.
        format::format_text(text).err().unwrap_or_default()
    } else if compare_only {
        match format::is_formatted(text) {
            Ok(canonical) => return Formatted::Canonical(canonical),
            Err(errors) => errors,
        }
    } else {
        match format::format_text(text) {
            Ok(formatted) => {
                return Formatted::Text {
                    original: sources.into_text(FileId(0)),
                    formatted,
                };
            }
            Err(errors) => errors,
        }
    };
    let mut diagnostics = decoding;
    diagnostics.extend(syntax_errors);
    track2::diagnostic::sort(&mut diagnostics);
    report_diagnostics(&diagnostics, &sources, renderer);
    Formatted::Unformattable
}

fn report_diagnostics(diagnostics: &[Diagnostic], sources: &SourceMap, renderer: &HumanRenderer) {
    let mut text = String::new();
    for diagnostic in diagnostics {
        text.push_str(&renderer.render(diagnostic, sources));
        text.push('\n');
    }
    let _ = output::stderr(&text);
}

/// A file the loader's rules refuse, reported as `check` reports it: a
/// diagnostic at the start of the file's (unread) path.
fn report_refusal(name: &str, refusal: FileRefusal, renderer: &HumanRenderer) {
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new(name, None, String::new()));
    let diagnostic =
        Diagnostic::new(refusal.code, file, Span::point(0), refusal.message).with_optional_help(refusal.help);
    report_diagnostics(&[diagnostic], &sources, renderer);
}

fn format_file(
    found: &LedgerPath,
    args: &FmtArgs,
    renderer: &HumanRenderer,
    seen: &mut HashSet<PathBuf>,
    tally: &mut FileTally,
) {
    let name = found.name.as_str();
    if found.origin == Origin::Stream {
        output::fatal(&format!(
            "cannot format `{name}` in place: it is not a file; format standard input with `track2 fmt -`"
        ));
        tally.failed += 1;
        return;
    }
    // A refusal of a file the user named is a failure of the command, as
    // for `check`; one of a file met while walking is the ledger's fault.
    let refuse = |refusal: FileRefusal, tally: &mut FileTally| {
        if found.origin == Origin::Named {
            output::fatal(&refusal.message);
            tally.failed += 1;
        } else {
            report_refusal(name, refusal, renderer);
            tally.unformattable += 1;
        }
    };
    let subject = format!("`{name}`");
    let target = match loader::resolve_within_root(&Disk, &found.path, &subject, &found.root) {
        Ok(target) => target,
        Err(refusal) => return refuse(refusal, tally),
    };
    if !seen.insert(target.clone()) {
        return;
    }
    // What the file was before it was read; checked again before writing.
    let before = match Version::of(&target) {
        Ok(version) => version,
        Err(error) => {
            output::fatal(&format!("cannot read `{name}`: {error}"));
            tally.failed += 1;
            return;
        }
    };
    let bytes = match loader::read_regular_file(&Disk, &target, &subject, args.reading.load_options().limit()) {
        Ok(bytes) => bytes,
        Err(refusal) => return refuse(refusal, tally),
    };
    if bytes.len() as u64 != before.len {
        output::fatal(&format!("`{name}` changed while formatting; left as it is"));
        tally.failed += 1;
        return;
    }
    let (original, formatted) = match format_bytes(name, bytes, renderer, args.checking() && !args.diff) {
        Formatted::Text { original, formatted } => (original, formatted),
        Formatted::Canonical(true) => return,
        Formatted::Canonical(false) => {
            tally.changed += 1;
            if let Err(error) = report_change(name, None) {
                output::fatal(&format!("cannot write the report: {error}"));
                tally.failed += 1;
            }
            return;
        }
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
    if args.checking() {
        tally.changed += 1;
        if let Err(error) = report_change(name, args.diff.then_some((&original, &formatted))) {
            output::fatal(&format!("cannot write the report: {error}"));
            tally.failed += 1;
        }
        return;
    }
    // An unchanged file is never written, so its modification time stays.
    match replace_file(&target, formatted.as_bytes(), &before) {
        Ok(()) => {
            tally.changed += 1;
            // Said on stderr, so that a rewrite is never silent, and
            // standard output stays what `--check` lists.
            let _ = output::stderr(&format!("reformatted: {name}\n"));
        }
        Err(ReplaceError::Changed) => {
            output::fatal(&format!("`{name}` changed while formatting; left as it is"));
            tally.failed += 1;
        }
        Err(ReplaceError::Io(error)) => {
            output::fatal(&format!("cannot write `{name}`: {error}; it is left as it was"));
            tally.failed += 1;
        }
    }
}

fn run_on_stdin(args: &FmtArgs, terminal: &Terminal) -> Outcome {
    // Bounded like any file: `track2 fmt - < /dev/zero` stops at the limit.
    let limit = args.reading.load_options().limit();
    let mut bytes = Vec::new();
    if let Err(error) = io::stdin().lock().take(limit + 1).read_to_end(&mut bytes) {
        output::fatal(&format!("cannot read standard input: {error}"));
        return Outcome::Failure;
    }
    if bytes.len() as u64 > limit {
        output::fatal(&format!(
            "standard input is larger than the size limit of {}",
            track2::fs::describe_size(limit)
        ));
        return Outcome::Failure;
    }
    let renderer = HumanRenderer::new(terminal.color, terminal.width);
    let (original, formatted) = match format_bytes(loader::STDIN_NAME, bytes, &renderer, args.checking() && !args.diff)
    {
        Formatted::Text { original, formatted } => (original, formatted),
        Formatted::Canonical(true) => return Outcome::Success,
        Formatted::Canonical(false) => {
            if let Err(error) = report_change(loader::STDIN_NAME, None) {
                output::fatal(&format!("cannot write the report: {error}"));
                return Outcome::Failure;
            }
            return Outcome::Invalid;
        }
        // Nothing on stdout: an editor piping its buffer through us must not
        // mistake an empty or partial output for the formatted text.
        Formatted::Unformattable => return Outcome::Invalid,
        Formatted::Failed => return Outcome::Failure,
    };
    if args.checking() {
        if original == formatted {
            return Outcome::Success;
        }
        if let Err(error) = report_change(loader::STDIN_NAME, args.diff.then_some((&original, &formatted))) {
            output::fatal(&format!("cannot write the report: {error}"));
            return Outcome::Failure;
        }
        return Outcome::Invalid;
    }
    if let Err(error) = output::stdout(&formatted) {
        output::fatal(&format!("cannot write the formatted text: {error}"));
        return Outcome::Failure;
    }
    Outcome::Success
}

/// `would reformat: NAME` on stdout, then the diff of the original and
/// formatted texts if asked for. `name` is already escaped; the diff shows
/// the text as written, which a file with a control character never reaches
/// (it is a syntax error).
fn report_change(name: &str, diff: Option<(&str, &str)>) -> io::Result<()> {
    let mut text = format!("would reformat: {name}\n");
    if let Some((original, formatted)) = diff {
        text.push_str(&unified_diff(name, original, formatted));
    }
    output::stdout(&text)
}

/// How long the diff may look for the smallest set of changes. Myers'
/// algorithm takes time proportional to the size times the number of
/// changes, so a file whose every line changes is quadratic (a 2.7 MB file
/// took three minutes); past this, similar finishes with a larger diff that
/// is just as correct, in linear time.
const DIFF_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// The change for a person to read; where no line ending changes, a
/// unified diff that `patch -p0` applies from the directory `track2` ran in.
fn unified_diff(name: &str, original: &str, formatted: &str) -> String {
    let deadline = std::time::Instant::now() + DIFF_TIMEOUT;
    format::diff::unified(name, original, formatted, Some(deadline))
}

fn report_summary(tally: &FileTally, check: bool) {
    let mut text = String::new();
    if tally.unformattable > 0 {
        text.push_str(&output::error_line(&format!(
            "{} left untouched: fix the problems above, then format again",
            plural(tally.unformattable, "file")
        )));
    }
    if check && tally.changed > 0 {
        text.push_str(&output::error_line(&format!(
            "{} not in canonical form; run `track2 fmt` to rewrite {}",
            plural(tally.changed, "file"),
            if tally.changed == 1 { "it" } else { "them" }
        )));
    }
    if !text.is_empty() {
        let _ = output::stderr(&text);
    }
}

/// What identifies one version of a file: the inode it is, its size and its
/// modification time. Any write by another program (an editor saving in
/// place, or by renaming a new file over it) changes one of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Version {
    device: u64,
    inode: u64,
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Version {
    pub(super) fn of(path: &Path) -> io::Result<Version> {
        Ok(Version::from_metadata(&fs::metadata(path)?))
    }

    fn from_metadata(metadata: &fs::Metadata) -> Version {
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt;
            (metadata.dev(), metadata.ino())
        };
        #[cfg(not(unix))]
        let (device, inode) = (0, 0);
        Version {
            device,
            inode,
            len: metadata.len(),
            modified: metadata.modified().ok(),
        }
    }
}

#[derive(Debug)]
pub(super) enum ReplaceError {
    /// The file is not the version that was read: someone wrote it meanwhile.
    Changed,
    Io(io::Error),
}

impl From<io::Error> for ReplaceError {
    fn from(error: io::Error) -> ReplaceError {
        ReplaceError::Io(error)
    }
}

/// Replaces the contents of the file at `path` (a regular file, links
/// resolved), if it is still the version `read`.
///
/// A new file renamed over the old one is all or nothing: a crash leaves
/// either version, never half of each. But it is a new inode, so it is used
/// only when nothing is lost by that: the file has no other hard link, and
/// the new file could be given the old one's owner, group and every mode
/// bit (setgid included). Otherwise the file is rewritten in place, which
/// keeps all of that but could be left half written by a crash or a full
/// disk; a formatter's output can be made again, and keeping the links and
/// permissions someone set up matters more.
pub(super) fn replace_file(path: &Path, contents: &[u8], read: &Version) -> Result<(), ReplaceError> {
    replace_file_with(path, read, |file| file.write_all(contents))
}

fn replace_file_with(
    path: &Path,
    read: &Version,
    write: impl Fn(&mut fs::File) -> io::Result<()>,
) -> Result<(), ReplaceError> {
    let metadata = fs::metadata(path)?;
    if Version::from_metadata(&metadata) != *read {
        return Err(ReplaceError::Changed);
    }
    if metadata.permissions().readonly() {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only").into());
    }
    if has_other_links(&metadata) {
        return write_in_place(path, read, &metadata, write);
    }
    let directory = path.parent().unwrap_or(Path::new("."));
    let mut temporary = tempfile::Builder::new()
        .prefix(".track2-fmt-")
        .suffix(".tmp")
        .tempfile_in(directory)?;
    write(temporary.as_file_mut())?;
    temporary.as_file().sync_all()?;
    if !take_over_ownership_and_mode(temporary.as_file(), &metadata) {
        // Dropping the temporary file removes it.
        drop(temporary);
        return write_in_place(path, read, &metadata, write);
    }
    // Checked again at the last moment: a write since the first check would
    // otherwise be lost under the rename.
    if Version::of(path)? != *read {
        return Err(ReplaceError::Changed);
    }
    temporary.persist(path).map_err(|error| error.error)?;
    // Make the rename itself durable; not every platform can sync a directory.
    if let Ok(directory) = fs::File::open(directory) {
        let _ = directory.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn has_other_links(metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    metadata.nlink() > 1
}

#[cfg(not(unix))]
fn has_other_links(_metadata: &fs::Metadata) -> bool {
    false
}

/// Gives `file` the owner, group and mode of `original`, and says whether
/// all of them took. The owner first: changing it clears setuid and setgid,
/// so the mode must come after.
#[cfg(unix)]
fn take_over_ownership_and_mode(file: &fs::File, original: &fs::Metadata) -> bool {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let wanted_mode = original.mode() & 0o7777;
    // Only root may give a file away; a failure shows in the check below.
    let _ = std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid()));
    if file.set_permissions(fs::Permissions::from_mode(wanted_mode)).is_err() {
        return false;
    }
    file.metadata().is_ok_and(|now| {
        now.uid() == original.uid() && now.gid() == original.gid() && now.mode() & 0o7777 == wanted_mode
    })
}

#[cfg(not(unix))]
fn take_over_ownership_and_mode(file: &fs::File, original: &fs::Metadata) -> bool {
    file.set_permissions(original.permissions()).is_ok()
}

/// Rewrites the file where it is: same inode, owner, group and mode.
fn write_in_place(
    path: &Path,
    read: &Version,
    before: &fs::Metadata,
    write: impl Fn(&mut fs::File) -> io::Result<()>,
) -> Result<(), ReplaceError> {
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    // The open handle is the file that will be written: check it, not the
    // path, which another program could have renamed something onto.
    if Version::from_metadata(&file.metadata()?) != *read {
        return Err(ReplaceError::Changed);
    }
    // Write first, then cut: the file is never shorter than what is in it.
    write(&mut file)?;
    let end = io::Seek::stream_position(&mut file)?;
    file.set_len(end)?;
    file.sync_all()?;
    // A write by someone other than root clears setgid on a group-executable
    // file, as a change of owner does; put the mode back.
    if file.metadata()?.permissions() != before.permissions() {
        file.set_permissions(before.permissions())?;
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

    fn scratch_file(contents: &str) -> (tempfile::TempDir, PathBuf, Version) {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("a.track2");
        fs::write(&path, contents).unwrap();
        let version = Version::of(&path).unwrap();
        (directory, path, version)
    }

    #[test]
    fn a_write_that_fails_halfway_leaves_the_original_intact() {
        let (directory, path, read) = scratch_file("party AM    Armenia\n");
        let error = replace_file_with(&path, &read, |file| {
            file.write_all(b"party AM")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(
            matches!(&error, ReplaceError::Io(error) if error.to_string() == "disk full"),
            "{error:?}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "party AM    Armenia\n");
        assert_eq!(entries(directory.path()), ["a.track2"], "the temporary file is removed");
    }

    #[cfg(unix)]
    #[test]
    fn a_rewrite_keeps_every_mode_bit() {
        use std::os::unix::fs::PermissionsExt;
        for mode in [0o640, 0o2755, 0o4750, 0o1777] {
            let (_directory, path, _) = scratch_file("party AM    Armenia\n");
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
            let read = Version::of(&path).unwrap();
            replace_file(&path, b"party AM Armenia\n", &read).unwrap();
            assert_eq!(fs::read_to_string(&path).unwrap(), "party AM Armenia\n");
            let now = fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
            assert_eq!(now, mode, "{mode:o} became {now:o}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_file_with_hard_links_keeps_its_inode() {
        use std::os::unix::fs::MetadataExt;
        let (directory, path, _) = scratch_file("party AM    Armenia\n");
        let other = directory.path().join("other-name.track2");
        fs::hard_link(&path, &other).unwrap();
        let read = Version::of(&path).unwrap();
        replace_file(&path, b"party AM Armenia\n", &read).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().ino(), read.inode);
        assert_eq!(fs::read_to_string(&other).unwrap(), "party AM Armenia\n");
        // Shorter than before: what was left of the old text is cut off.
        let read = Version::of(&path).unwrap();
        replace_file(&path, b"x\n", &read).unwrap();
        assert_eq!(fs::read_to_string(&other).unwrap(), "x\n");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_left_as_it_is() {
        let (_directory, path, read) = scratch_file("party AM    Armenia\n");
        // An editor appends a line meanwhile.
        fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"party AZ Azerbaijan\n")
            .unwrap();
        let error = replace_file(&path, b"party AM Armenia\n", &read).unwrap_err();
        assert!(matches!(error, ReplaceError::Changed), "{error:?}");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "party AM    Armenia\nparty AZ Azerbaijan\n"
        );
    }

    #[test]
    fn a_read_only_file_is_not_replaced() {
        let (_directory, path, _) = scratch_file("party AM    Armenia\n");
        let mut permissions = fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&path, permissions).unwrap();
        let read = Version::of(&path).unwrap();
        assert!(replace_file(&path, b"party AM Armenia\n", &read).is_err());
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
