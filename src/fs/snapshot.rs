//! A tree of files as it was at one moment, held in memory: a git revision
//! for `track2 diff HEAD~1 HEAD`, or any tree a test builds.
//!
//! The tree (paths, kinds, sizes, link targets) is in memory; the contents
//! of a file are asked of a [`Blobs`] store when the loader reads it, so a
//! repository's pictures and archives are never fetched for a ledger that
//! does not include them. The binary's store is `git cat-file --batch`; the
//! library runs no process.
//!
//! The snapshot keeps the promises [`Disk`](super::Disk) keeps, since a
//! revision is as untrusted as a working tree: only a regular file is read,
//! never more than the limit (checked against the size the tree gives before
//! the store is asked, and against what the store returns), and links are
//! followed as the kernel follows them (at most [`MAX_LINKS`] of them per
//! path; one that leads out of the tree resolves to where it points, where
//! nothing is said to exist), so that the loader's root confinement judges
//! a canonical path exactly as on disk, and nothing outside the tree is
//! ever read, from the revision or from the disk.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::{DirEntry, FileKind, FileSystem, Metadata, ReadError};

/// How many links one path may pass through, as Linux allows (`ELOOP`).
pub const MAX_LINKS: usize = 40;

/// Where a snapshot's file contents come from. `Sync`, as every
/// [`FileSystem`] is.
pub trait Blobs: Sync {
    /// The contents of the object `id`, refusing one of more than `limit`
    /// bytes.
    fn read(&self, id: &str, limit: u64) -> Result<Vec<u8>, ReadError>;
}

/// A store in memory, by id: for tests and small trees.
impl Blobs for HashMap<String, Vec<u8>> {
    fn read(&self, id: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        let bytes = self
            .get(id)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no object {id}")))?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge { limit });
        }
        Ok(bytes.clone())
    }
}

/// What a path of the tree is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    Directory,
    File {
        len: u64,
        blob: String,
    },
    Symlink(PathBuf),
    /// Anything else a tree can hold (a git submodule): never read.
    Other,
    /// A path outside the tree (where a link leads out of it): the tree
    /// says nothing of what is there, and nothing there is read.
    Outside,
}

/// What every path outside the tree is.
static OUTSIDE: Entry = Entry::Outside;

/// A tree of files, rooted at an absolute path.
pub struct Snapshot<'b> {
    /// The absolute path the tree stands at (a repository's top level), so
    /// that paths and the loader's root look as they do on disk.
    top: PathBuf,
    /// Where relative paths start: the current directory, inside `top`.
    current: PathBuf,
    /// Every path of the tree, relative to `top`; "" is `top` itself.
    entries: HashMap<PathBuf, Entry>,
    /// Each directory's entries by name, sorted.
    children: HashMap<PathBuf, BTreeMap<OsString, FileKind>>,
    blobs: &'b dyn Blobs,
}

/// Why a path could not be added to a [`Snapshot`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeError {
    /// Not a plain relative path (`/a`, `a/../b`, empty).
    NotRelative(PathBuf),
    /// The path, or a directory above it, is already something else.
    Conflict(PathBuf),
}

impl std::fmt::Display for TreeError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TreeError::NotRelative(path) => write!(
                formatter,
                "`{}` is not a path within the tree",
                crate::escape::path(path)
            ),
            TreeError::Conflict(path) => {
                write!(formatter, "`{}` is in the tree twice", crate::escape::path(path))
            }
        }
    }
}

impl std::error::Error for TreeError {}

impl<'b> Snapshot<'b> {
    /// An empty tree at `top` (absolute), with relative paths starting from
    /// `current` (absolute; `top` or a directory below it).
    pub fn new(top: PathBuf, current: PathBuf, blobs: &'b dyn Blobs) -> Snapshot<'b> {
        let mut snapshot = Snapshot {
            top,
            current,
            entries: HashMap::new(),
            children: HashMap::new(),
            blobs,
        };
        snapshot.entries.insert(PathBuf::new(), Entry::Directory);
        snapshot.children.insert(PathBuf::new(), BTreeMap::new());
        snapshot
    }

    /// A regular file of `len` bytes at `path` (relative to the top), whose
    /// contents are the object `blob` of the store.
    pub fn add_file(&mut self, path: &Path, len: u64, blob: &str) -> Result<(), TreeError> {
        self.add(
            path,
            Entry::File {
                len,
                blob: blob.to_owned(),
            },
        )
    }

    /// A symbolic link at `path` to `target`, as the link holds it.
    pub fn add_symlink(&mut self, path: &Path, target: &Path) -> Result<(), TreeError> {
        self.add(path, Entry::Symlink(target.to_path_buf()))
    }

    /// Something at `path` that is neither a file, a directory nor a link
    /// (a submodule): listed, never read.
    pub fn add_other(&mut self, path: &Path) -> Result<(), TreeError> {
        self.add(path, Entry::Other)
    }

    fn add(&mut self, path: &Path, entry: Entry) -> Result<(), TreeError> {
        let plain = !path.as_os_str().is_empty() && path.components().all(|part| matches!(part, Component::Normal(_)));
        if !plain {
            return Err(TreeError::NotRelative(path.to_path_buf()));
        }
        // The directories above it, made as needed.
        let mut directory = PathBuf::new();
        let mut parts = path.components().peekable();
        while let Some(part) = parts.next() {
            let name = part.as_os_str().to_owned();
            let child = directory.join(&name);
            if parts.peek().is_none() {
                if self.entries.contains_key(&child) {
                    return Err(TreeError::Conflict(child));
                }
                let kind = match &entry {
                    Entry::Directory => FileKind::Directory,
                    Entry::File { .. } => FileKind::File,
                    Entry::Symlink(_) => FileKind::Symlink,
                    Entry::Other | Entry::Outside => FileKind::Unknown,
                };
                self.children.entry(directory).or_default().insert(name, kind);
                self.entries.insert(child, entry);
                return Ok(());
            }
            match self.entries.get(&child) {
                Some(Entry::Directory) => {}
                Some(_) => return Err(TreeError::Conflict(child)),
                None => {
                    self.entries.insert(child.clone(), Entry::Directory);
                    self.children.insert(child.clone(), BTreeMap::new());
                    self.children
                        .entry(directory)
                        .or_default()
                        .insert(name, FileKind::Directory);
                }
            }
            directory = child;
        }
        Ok(())
    }

    /// `path` made absolute from the current directory.
    fn absolute(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.current.join(path)
        }
    }

    /// The entry at an absolute path with no link in it, if the tree has
    /// one. The directories above the top exist too, as on disk, and
    /// everything else outside the top is [`Entry::Outside`].
    fn entry(&self, absolute: &Path) -> Option<&Entry> {
        match absolute.strip_prefix(&self.top) {
            Ok(relative) => self.entries.get(relative),
            Err(_) if self.top.starts_with(absolute) => Some(&Entry::Directory),
            Err(_) => Some(&OUTSIDE),
        }
    }

    /// The canonical path of `path` and what is there: every link followed,
    /// every `.` and `..` resolved, as `realpath` does.
    fn resolve(&self, path: &Path) -> io::Result<(PathBuf, &Entry)> {
        let not_found = || io::Error::new(io::ErrorKind::NotFound, "no such file or directory in the revision");
        // The components still to walk, the next one last.
        let mut pending: Vec<OsString> = Vec::new();
        push_components(&mut pending, &self.absolute(path));
        let mut resolved = PathBuf::from("/");
        let mut links = 0;
        while let Some(part) = pending.pop() {
            if part == ".." {
                resolved.pop();
                continue;
            }
            if part == "." || part.is_empty() {
                continue;
            }
            let candidate = resolved.join(&part);
            match self.entry(&candidate).ok_or_else(not_found)? {
                Entry::Symlink(target) => {
                    links += 1;
                    if links > MAX_LINKS {
                        return Err(io::Error::other("too many levels of symbolic links"));
                    }
                    let target = if target.is_absolute() {
                        target.clone()
                    } else {
                        resolved.join(target)
                    };
                    resolved = PathBuf::from("/");
                    push_components(&mut pending, &target);
                }
                // Outside the tree the path is resolved as written: a link
                // that leads out of the revision gets the canonical path it
                // would have on disk, so that the loader refuses it as
                // outside the root, as it would on disk, and the disk
                // itself is never looked at.
                Entry::Directory | Entry::Outside => resolved = candidate,
                Entry::File { .. } | Entry::Other => {
                    // Only the last component may be something other than
                    // a directory.
                    if pending.iter().any(|part| part != "." && !part.is_empty()) {
                        return Err(io::Error::new(io::ErrorKind::NotADirectory, "not a directory"));
                    }
                    resolved = candidate;
                }
            }
        }
        let entry = self.entry(&resolved).ok_or_else(not_found)?;
        Ok((resolved, entry))
    }
}

/// What is said of a path outside the tree: that the revision does not
/// hold it, which is all the snapshot knows.
fn outside() -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, "outside the revision's tree")
}

/// Pushes the components of an absolute `path` so that popping gives them
/// in order.
fn push_components(pending: &mut Vec<OsString>, path: &Path) {
    let start = pending.len();
    for component in path.components() {
        match component {
            Component::Normal(part) => pending.push(part.to_owned()),
            Component::ParentDir => pending.push("..".into()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    pending[start..].reverse();
}

impl FileSystem for Snapshot<'_> {
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.resolve(path).map(|(canonical, _)| canonical)
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        let (_, entry) = self.resolve(path)?;
        Ok(match entry {
            Entry::Outside => return Err(outside()),
            Entry::Directory => Metadata {
                kind: FileKind::Directory,
                len: 0,
            },
            Entry::File { len, .. } => Metadata {
                kind: FileKind::File,
                len: *len,
            },
            Entry::Symlink(_) => unreachable!("links are followed"),
            Entry::Other => Metadata {
                kind: FileKind::Unknown,
                len: 0,
            },
        })
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let (canonical, entry) = self.resolve(path)?;
        if *entry == Entry::Outside {
            return Err(outside());
        }
        if *entry != Entry::Directory {
            return Err(io::Error::new(io::ErrorKind::NotADirectory, "not a directory"));
        }
        let relative = canonical.strip_prefix(&self.top).map_err(|_| {
            // A directory above the top: the tree holds nothing of it but
            // the way down, which a walk has no business in.
            io::Error::new(io::ErrorKind::PermissionDenied, "outside the revision's tree")
        })?;
        let children = self.children.get(relative).map(BTreeMap::iter).into_iter().flatten();
        Ok(children
            .map(|(name, kind)| DirEntry {
                path: path.join(name),
                kind: *kind,
            })
            .collect())
    }

    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let (_, entry) = self.resolve(path)?;
        let (len, blob) = match entry {
            Entry::File { len, blob } => (*len, blob),
            Entry::Directory => return Err(ReadError::NotARegularFile(FileKind::Directory)),
            Entry::Symlink(_) => unreachable!("links are followed"),
            Entry::Other => return Err(ReadError::NotARegularFile(FileKind::Unknown)),
            Entry::Outside => return Err(outside().into()),
        };
        if len > limit {
            return Err(ReadError::TooLarge { limit });
        }
        let bytes = self.blobs.read(blob, limit)?;
        // The store is as untrusted as the tree: the limit holds whatever
        // it returns.
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge { limit });
        }
        Ok(bytes)
    }

    /// A revision holds no pipes or terminals: a stream is read as a file.
    fn read_stream(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        self.read(path, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> HashMap<String, Vec<u8>> {
        HashMap::from([
            ("a".to_owned(), b"party AM Armenia\n".to_vec()),
            ("b".to_owned(), b"include \"../a.track2\"\n".to_vec()),
            ("big".to_owned(), vec![b'#'; 100]),
        ])
    }

    fn tree(blobs: &HashMap<String, Vec<u8>>) -> Snapshot<'_> {
        let mut tree = Snapshot::new(PathBuf::from("/repo"), PathBuf::from("/repo/sub"), blobs);
        tree.add_file(Path::new("a.track2"), 17, "a").unwrap();
        tree.add_file(Path::new("sub/b.track2"), 21, "b").unwrap();
        tree.add_file(Path::new("sub/big.track2"), 100, "big").unwrap();
        tree.add_symlink(Path::new("sub/link.track2"), Path::new("../a.track2"))
            .unwrap();
        tree.add_symlink(Path::new("sub/away"), Path::new("/etc/passwd"))
            .unwrap();
        tree.add_symlink(Path::new("loop"), Path::new("loop")).unwrap();
        tree.add_other(Path::new("module")).unwrap();
        tree
    }

    #[test]
    fn paths_resolve_as_on_disk() {
        let blobs = store();
        let tree = tree(&blobs);
        assert_eq!(
            tree.canonicalize(Path::new("b.track2")).unwrap(),
            Path::new("/repo/sub/b.track2")
        );
        assert_eq!(
            tree.canonicalize(Path::new("link.track2")).unwrap(),
            Path::new("/repo/a.track2")
        );
        assert_eq!(
            tree.canonicalize(Path::new("./../sub/.")).unwrap(),
            Path::new("/repo/sub")
        );
        assert_eq!(tree.canonicalize(Path::new("/")).unwrap(), Path::new("/"));
        assert_eq!(tree.canonicalize(Path::new("..")).unwrap(), Path::new("/repo"));
        // A link out of the tree resolves where it points, as on disk,
        // but nothing there is said to exist, let alone read.
        assert_eq!(tree.canonicalize(Path::new("away")).unwrap(), Path::new("/etc/passwd"));
        assert_eq!(
            tree.metadata(Path::new("away")).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
        assert!(tree.read(Path::new("away"), 1 << 20).is_err());
        assert!(tree.read_dir(Path::new("/etc")).is_err());
        assert!(tree.canonicalize(Path::new("/repo/loop")).is_err());
        assert!(tree.canonicalize(Path::new("b.track2/x")).is_err());
        assert_eq!(
            tree.canonicalize(Path::new("missing")).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    #[test]
    fn directories_list_their_entries_unfollowed() {
        let blobs = store();
        let tree = tree(&blobs);
        let entries = tree.read_dir(Path::new(".")).unwrap();
        let listed: Vec<(PathBuf, FileKind)> = entries.into_iter().map(|entry| (entry.path, entry.kind)).collect();
        assert_eq!(
            listed,
            [
                (PathBuf::from("./away"), FileKind::Symlink),
                (PathBuf::from("./b.track2"), FileKind::File),
                (PathBuf::from("./big.track2"), FileKind::File),
                (PathBuf::from("./link.track2"), FileKind::Symlink),
            ]
        );
        assert_eq!(tree.metadata(Path::new("/repo")).unwrap().kind, FileKind::Directory);
        assert!(tree.read_dir(Path::new("b.track2")).is_err());
    }

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let blobs = store();
        let tree = tree(&blobs);
        assert_eq!(
            tree.read(Path::new("link.track2"), 1000).unwrap(),
            b"party AM Armenia\n"
        );
        assert!(matches!(
            tree.read(Path::new("big.track2"), 99),
            Err(ReadError::TooLarge { limit: 99 })
        ));
        assert!(matches!(
            tree.read(Path::new("/repo/module"), 1000),
            Err(ReadError::NotARegularFile(FileKind::Unknown))
        ));
        assert!(matches!(
            tree.read(Path::new("."), 1000),
            Err(ReadError::NotARegularFile(FileKind::Directory))
        ));
        // A store that returns more than the tree said is held to the limit.
        let mut lying = Snapshot::new(PathBuf::from("/repo"), PathBuf::from("/repo"), &blobs);
        lying.add_file(Path::new("small.track2"), 1, "big").unwrap();
        assert!(matches!(
            lying.read(Path::new("small.track2"), 10),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_tree_is_built_of_plain_relative_paths() {
        let blobs = store();
        let mut tree = tree(&blobs);
        for bad in ["", "/abs", "a/../b", "./a"] {
            assert_eq!(
                tree.add_file(Path::new(bad), 1, "a"),
                Err(TreeError::NotRelative(PathBuf::from(bad)))
            );
        }
        assert!(matches!(
            tree.add_file(Path::new("a.track2/under"), 1, "a"),
            Err(TreeError::Conflict(_))
        ));
        assert!(matches!(
            tree.add_file(Path::new("sub"), 1, "a"),
            Err(TreeError::Conflict(_))
        ));
    }

    #[test]
    fn the_loader_reads_a_ledger_from_a_tree_and_confines_it() {
        let blobs = store();
        let tree = tree(&blobs);
        let options = crate::LoadOptions::default();
        let loaded = crate::loader::load(&tree, &[PathBuf::from("b.track2")], &options).unwrap();
        // `../a.track2` lies outside the root, the directory named.
        let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["include-outside-root"]);
        let options = crate::LoadOptions {
            root: Some(PathBuf::from("..")),
            ..options
        };
        let loaded = crate::loader::load(&tree, &[PathBuf::from("b.track2")], &options).unwrap();
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        assert_eq!(loaded.sources.len(), 2);
    }
}
