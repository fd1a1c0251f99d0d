//! A ledger as it is at a git revision, read through git itself and handed
//! to the library as a [`Snapshot`]: `git ls-tree` lists the tree once, and
//! `git cat-file --batch` gives the contents of the files the loader reads.
//! Nothing is checked out and nothing is written.
//!
//! git is run directly, never through a shell: every argument is its own
//! `argv` entry, a revision comes after `--end-of-options` (and one starting
//! with `-` is refused before git is asked), `core.fsmonitor` is off so
//! that a repository's configuration cannot start a program, no pager is
//! started, and git may not prompt. What git prints is escaped before it
//! reaches the terminal.

use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use track2::escape;
use track2::fs::{Blobs, ReadError, Snapshot};

/// The longest link target read: `PATH_MAX` on Linux.
const MAX_LINK_TARGET: u64 = 4096;

/// `git` with the options every call here needs.
fn git(directory: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(directory)
        .args(["--no-pager", "-c", "core.fsmonitor=false"])
        .env("GIT_TERMINAL_PROMPT", "0")
        // Reading must not take the index lock another git is waiting for.
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null());
    command
}

/// Runs `command` to its end; its standard output, or a message.
fn run(mut command: Command, what: &str) -> Result<Vec<u8>, String> {
    let output = command
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .output()
        .map_err(|error| format!("cannot run git to {what}: {error}"))?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git could not {what}: {}", escape::text(said.trim())));
    }
    Ok(output.stdout)
}

#[cfg(unix)]
fn path_of(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_of(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// The repository the current directory is in.
pub struct Repository {
    /// Its top level, canonical.
    pub top: PathBuf,
    /// The current directory, canonical: where relative paths start.
    pub current: PathBuf,
}

impl Repository {
    /// The repository holding `current_dir`, or a message saying there is none.
    pub fn discover(current_dir: &Path) -> Result<Repository, String> {
        let mut command = git(current_dir);
        command.args(["rev-parse", "--show-toplevel"]);
        let not_a_repository = || {
            "this directory is not in a git repository, so OLD and NEW cannot be revisions; \
             to compare two ledgers on disk, name them: `track2 diff OLD-PATH NEW-PATH`"
                .to_owned()
        };
        let output = command
            .stderr(Stdio::null())
            .stdout(Stdio::piped())
            .output()
            .map_err(|error| format!("cannot run git to read revisions: {error}"))?;
        if !output.status.success() {
            return Err(not_a_repository());
        }
        let mut top = output.stdout;
        if top.last() == Some(&b'\n') {
            top.pop();
        }
        let canonical = |path: &Path| {
            std::fs::canonicalize(path).map_err(|error| format!("cannot read `{}`: {error}", escape::path(path)))
        };
        Ok(Repository {
            top: canonical(&path_of(&top))?,
            current: canonical(current_dir)?,
        })
    }

    /// The commit `revision` names (`HEAD~1`, `main`, a hash).
    pub fn commit(&self, revision: &str) -> Result<String, String> {
        let shown = escape::text(revision);
        if revision.is_empty() || revision.starts_with('-') {
            return Err(format!(
                "`{shown}` is not a revision: a revision does not start with `-`"
            ));
        }
        let mut command = git(&self.top);
        command.args(["rev-parse", "--verify", "--quiet", "--end-of-options"]);
        command.arg(format!("{revision}^{{commit}}"));
        let output = command
            .stderr(Stdio::null())
            .stdout(Stdio::piped())
            .output()
            .map_err(|error| format!("cannot run git to read revisions: {error}"))?;
        let commit = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        if !output.status.success() || !is_object_id(&commit) {
            return Err(format!(
                "`{shown}` is not a commit of this repository (see `git log --oneline`)"
            ));
        }
        Ok(commit)
    }

    /// The tree of `commit` as a snapshot whose files are read from `blobs`.
    pub fn snapshot<'b>(&self, commit: &str, blobs: &'b CatFile) -> Result<Snapshot<'b>, String> {
        let mut command = git(&self.top);
        command.args(["ls-tree", "-r", "-z", "-l", "--full-tree", "--end-of-options", commit]);
        let listing = run(command, "list the files of the revision")?;
        let mut snapshot = Snapshot::new(self.top.clone(), self.current.clone(), blobs);
        for record in listing.split(|&byte| byte == 0).filter(|record| !record.is_empty()) {
            let entry = TreeEntry::parse(record)
                .ok_or_else(|| "git listed a revision's files in a form not understood".to_owned())?;
            let added = match (entry.mode, entry.kind) {
                (b"120000", b"blob") => {
                    let target = blobs
                        .read(entry.object, MAX_LINK_TARGET)
                        .map_err(|error| format!("cannot read a link of the revision: {error}"))?;
                    snapshot.add_symlink(&entry.path, &path_of(&target))
                }
                (_, b"blob") => snapshot.add_file(&entry.path, entry.size.unwrap_or(u64::MAX), entry.object),
                _ => snapshot.add_other(&entry.path),
            };
            added.map_err(|error| format!("cannot read the revision's files: {error}"))?;
        }
        Ok(snapshot)
    }
}

/// One record of `git ls-tree -r -z -l`: `MODE TYPE OBJECT SIZE\tPATH`.
struct TreeEntry<'r> {
    mode: &'r [u8],
    kind: &'r [u8],
    object: &'r str,
    /// `None` where git gives `-` (a submodule).
    size: Option<u64>,
    path: PathBuf,
}

impl<'r> TreeEntry<'r> {
    fn parse(record: &'r [u8]) -> Option<TreeEntry<'r>> {
        let tab = record.iter().position(|&byte| byte == b'\t')?;
        let (info, path) = (&record[..tab], &record[tab + 1..]);
        let mut fields = info.split(|&byte| byte == b' ').filter(|field| !field.is_empty());
        let (mode, kind, object, size) = (fields.next()?, fields.next()?, fields.next()?, fields.next()?);
        let object = std::str::from_utf8(object).ok().filter(|object| is_object_id(object))?;
        let size = std::str::from_utf8(size).ok()?;
        Some(TreeEntry {
            mode,
            kind,
            object,
            size: size.parse().ok(),
            path: path_of(path),
        })
    }
}

/// A SHA-1 or SHA-256 object name.
fn is_object_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// One `git cat-file --batch`, shared by the snapshots of a run: a request
/// is an object name on a line, the answer its header and its bytes.
pub struct CatFile {
    batch: Mutex<Batch>,
}

struct Batch {
    child: Child,
    input: Option<ChildStdin>,
    output: BufReader<ChildStdout>,
}

impl CatFile {
    pub fn start(repository: &Repository) -> Result<CatFile, String> {
        let mut command = git(&repository.top);
        command
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = command
            .spawn()
            .map_err(|error| format!("cannot run git to read revisions: {error}"))?;
        let input = child.stdin.take();
        let output = BufReader::new(child.stdout.take().expect("stdout is piped"));
        Ok(CatFile {
            batch: Mutex::new(Batch { child, input, output }),
        })
    }
}

impl Blobs for CatFile {
    fn read(&self, id: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        if !is_object_id(id) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not an object name").into());
        }
        // A panic elsewhere while holding the lock leaves the stream where
        // it was: between two answers, or broken, which the next read tells.
        let mut batch = self.batch.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let Batch { input, output, .. } = &mut *batch;
        let input = input
            .as_mut()
            .ok_or_else(|| io::Error::other("git cat-file has stopped"))?;
        writeln!(input, "{id}")?;
        input.flush()?;
        // `OBJECT TYPE SIZE`, or `NAME missing`: short, but read bounded.
        let mut header = Vec::new();
        output.by_ref().take(256).read_until(b'\n', &mut header)?;
        let header = String::from_utf8_lossy(&header);
        let mut fields = header.split_whitespace();
        let (Some(_), Some(kind), Some(size)) = (fields.next(), fields.next(), fields.next()) else {
            return Err(io::Error::new(io::ErrorKind::NotFound, format!("git has no object {id}")).into());
        };
        let size: u64 = size
            .parse()
            .map_err(|_| io::Error::other("git cat-file answered in a form not understood"))?;
        if size > limit {
            // The answer is skipped, so that the next one is read from its
            // start; nothing of it is kept.
            io::copy(&mut output.by_ref().take(size + 1), &mut io::sink())?;
            return Err(ReadError::TooLarge { limit });
        }
        let mut bytes = Vec::with_capacity(size as usize);
        output.by_ref().take(size).read_to_end(&mut bytes)?;
        let mut newline = [0u8; 1];
        output.read_exact(&mut newline)?;
        if bytes.len() as u64 != size || newline != *b"\n" {
            return Err(io::Error::other("git cat-file ended its answer early").into());
        }
        if kind != "blob" {
            return Err(io::Error::other(format!("object {id} is a {kind}, not a file")).into());
        }
        Ok(bytes)
    }
}

impl Drop for CatFile {
    fn drop(&mut self) {
        let batch = self.batch.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner());
        // The end of its input ends git's loop.
        batch.input.take();
        let _ = batch.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_records_are_read_with_their_sizes() {
        let record = b"100644 blob 0123456789abcdef0123456789abcdef01234567     123\tledgers/a b.track2";
        let entry = TreeEntry::parse(record).unwrap();
        assert_eq!(entry.mode, b"100644");
        assert_eq!(entry.kind, b"blob");
        assert_eq!(entry.size, Some(123));
        assert_eq!(entry.path, Path::new("ledgers/a b.track2"));
        let module = b"160000 commit 0123456789abcdef0123456789abcdef01234567       -\tvendor";
        assert_eq!(TreeEntry::parse(module).unwrap().size, None);
        assert!(TreeEntry::parse(b"100644 blob nothex 1\ta").is_none());
        assert!(TreeEntry::parse(b"no tab here").is_none());
    }

    #[test]
    fn a_revision_that_looks_like_an_option_is_refused_before_git_runs() {
        // No repository is needed: the refusal comes first.
        let nowhere = Repository {
            top: PathBuf::from("/nonexistent"),
            current: PathBuf::from("/nonexistent"),
        };
        for hostile in ["--output=/tmp/x", "-c", ""] {
            let message = nowhere.commit(hostile).unwrap_err();
            assert!(message.contains("is not a revision"), "{message}");
        }
    }
}
