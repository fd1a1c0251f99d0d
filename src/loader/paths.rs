//! Which files a ledger is made of: the paths named, each directory walked
//! to its `*.track2` files in sorted order, each with the root it must stay
//! in. Nothing is read here.

use std::path::{Component, Path, PathBuf};

use super::{EXTENSION, LoadError, LoadOptions};
use crate::escape;
use crate::fs::{FileKind, FileSystem};

/// Where a file of the ledger was found, which decides how it is read and
/// how a problem with it is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Named on the command line: a problem is a [`LoadError`].
    Named,
    /// Found below a named directory: a problem is a diagnostic for its path.
    Walked,
    /// A pipe, terminal or redirected file the user named (`-`,
    /// `/dev/stdin`, `/dev/fd/N`): read once as it is. It has no directory
    /// of its own, so its includes are relative to the current directory.
    Stream,
}

/// One file of a ledger, found but not yet read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerPath {
    /// Where to read it.
    pub path: PathBuf,
    /// How to show it: as given, joined to the directory walked, escaped.
    pub name: String,
    /// The root it and its includes must lie in, canonical.
    pub root: PathBuf,
    pub origin: Origin,
}

/// The files `paths` stand for, in the order [`load`] reads them, without
/// reading them: for commands that work file by file (`track2 fmt`).
pub fn ledger_paths(
    fs: &dyn FileSystem,
    paths: &[PathBuf],
    options: &LoadOptions,
) -> Result<Vec<LedgerPath>, LoadError> {
    let fixed_root = match &options.root {
        Some(root) => Some(fs.canonicalize(root).map_err(|error| LoadError::Unreadable {
            path: escape::path(root),
            error: error.into(),
        })?),
        None => None,
    };
    let canonical = |path: &Path| {
        fs.canonicalize(path).map_err(|error| LoadError::Unreadable {
            path: escape::path(path),
            error: error.into(),
        })
    };
    // The root of a named path is derived from it: the directory named, or
    // the directory of the file named, with links followed. A name written
    // below the current directory (`ledgers`, as a CI job names it) must
    // keep its root there: a pull request can commit a link in its place
    // (`ledgers -> /`), and a root that followed it would let an include
    // reach any file of the runner.
    let derived_root = |named: &Path, directory: &Path| {
        let root = canonical(directory)?;
        if stays_below_current(named) && !root.starts_with(canonical(Path::new("."))?) {
            return Err(LoadError::OutsideRoot {
                path: escape::path(named),
            });
        }
        Ok(root)
    };
    let mut found = Vec::new();
    for path in paths {
        if is_stream_name(path) {
            let root = match &fixed_root {
                Some(root) => root.clone(),
                None => canonical(Path::new("."))?,
            };
            let (path, name) = if path == Path::new("-") {
                (PathBuf::from("/dev/stdin"), STDIN_NAME.to_owned())
            } else {
                (path.clone(), escape::path(path))
            };
            found.push(LedgerPath {
                path,
                name,
                root,
                origin: Origin::Stream,
            });
            continue;
        }
        let metadata = fs.metadata(path).map_err(|error| LoadError::Unreadable {
            path: escape::path(path),
            error: error.into(),
        })?;
        if metadata.kind == FileKind::Directory {
            let root = match &fixed_root {
                // Not walked at all if it leads out of the root: the walk
                // would list a tree the ledger has no business in (a link
                // to `/` is the whole disk), each file then refused.
                Some(root) if !canonical(path)?.starts_with(root) => {
                    return Err(LoadError::OutsideRoot {
                        path: escape::path(path),
                    });
                }
                Some(root) => root.clone(),
                None => derived_root(path, path)?,
            };
            let files = walk(fs, path)?;
            if files.is_empty() {
                return Err(LoadError::NoLedgerFiles {
                    directory: escape::path(path),
                });
            }
            found.extend(files.into_iter().map(|file| LedgerPath {
                name: escape::path(&file),
                path: file,
                root: root.clone(),
                origin: Origin::Walked,
            }));
        } else {
            let root = match &fixed_root {
                Some(root) => root.clone(),
                None => derived_root(path, directory_of(path))?,
            };
            found.push(LedgerPath {
                path: path.clone(),
                name: escape::path(path),
                root,
                origin: Origin::Named,
            });
        }
    }
    Ok(found)
}

/// The name standard input goes by in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether the user named one of the process's own descriptors: `-`,
/// `/dev/stdin`, or what a shell hands out for `<(…)`. These are read as
/// they are, wherever they lead; no pull request can put a file there.
fn is_stream_name(path: &Path) -> bool {
    path == Path::new("-")
        || path == Path::new("/dev/stdin")
        || path.starts_with("/dev/fd")
        || path.starts_with("/proc/self/fd")
}

/// Whether `path` is written as a place below the current directory:
/// relative, and never climbing with `..`.
fn stays_below_current(path: &Path) -> bool {
    path.is_relative() && !path.components().any(|component| component == Component::ParentDir)
}

/// The directory a path is in, `.` for a bare name.
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Every `*.track2` file below `directory`, in the order [`load`] reads them,
/// without reading them: for tests and tools that want the plain list.
pub fn ledger_files(directory: &Path) -> Result<Vec<PathBuf>, LoadError> {
    walk(&crate::fs::Disk, directory)
}

/// Every `*.track2` entry below `directory`, sorted by path, depth first.
/// Links are not followed here: a link to a directory is not walked, so a
/// link cannot make the walk endless or lead it out of the root, and a link
/// named `*.track2` is listed for the reader to resolve and confine.
fn walk(fs: &dyn FileSystem, directory: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let sorted_entries = |directory: &Path| {
        let mut entries = fs.read_dir(directory).map_err(|error| LoadError::Unreadable {
            path: escape::path(directory),
            error: error.into(),
        })?;
        // Reversed, so that popping from the end gives them in order.
        entries.sort_by(|a, b| b.path.cmp(&a.path));
        Ok::<_, LoadError>(entries)
    };
    let mut files = Vec::new();
    // The directories being listed, innermost last: an explicit stack, so
    // that a deep tree cannot exhaust the call stack.
    let mut pending = vec![sorted_entries(directory)?];
    while let Some(entries) = pending.last_mut() {
        let Some(entry) = entries.pop() else {
            pending.pop();
            continue;
        };
        if entry.kind == FileKind::Directory {
            pending.push(sorted_entries(&entry.path)?);
        } else if entry.path.extension().is_some_and(|extension| extension == EXTENSION) {
            files.push(entry.path);
        }
    }
    Ok(files)
}
