//! Which ledger a document belongs to, found without any configuration, in
//! the order the issue gives: the nearest `track2.toml` (the ledger the
//! command line would check there), else the nearest `ledgers/` directory,
//! else the files that include this one, else the file alone.
//!
//! A candidate counts only if reading it reaches the document: a scratch
//! file beside a project is not silently checked as part of it. So every
//! candidate is loaded (through the editor's overlay, so an include typed a
//! moment ago counts) and asked whether the document is among its files.
//! Several documents of one ledger find the same [`LedgerKey`], and share
//! one analysis; documents of different ledgers in one workspace each get
//! their own, side by side.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lsp_types::Url;

use crate::config::{self, AsOf, ConfigError};
use crate::fs::{FileKind, FileSystem};
use crate::loader::{self, LoadOptions, Loaded};

/// What a ledger is read from: the paths the loader is given, and its root.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LedgerKey {
    pub paths: Vec<PathBuf>,
    pub root: Option<PathBuf>,
    /// A document with no file (VS Code's `untitled:`): the ledger is its
    /// text alone, and `paths` is empty.
    pub buffer: Option<Url>,
}

impl LedgerKey {
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            root: self.root.clone(),
            ..LoadOptions::default()
        }
    }
}

/// A ledger as discovery found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub key: LedgerKey,
    /// The day date checks compare with, when track2.toml fixes one.
    pub as_of: Option<NaiveDate>,
    pub found_by: FoundBy,
}

/// Why a document's ledger is what it is: said in the server's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FoundBy {
    Config(PathBuf),
    LedgersDirectory(PathBuf),
    IncludedBy(PathBuf),
    Alone,
}

impl std::fmt::Display for FoundBy {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FoundBy::Config(file) => write!(formatter, "the paths of {}", file.display()),
            FoundBy::LedgersDirectory(directory) => write!(formatter, "the directory {}", directory.display()),
            FoundBy::IncludedBy(file) => write!(formatter, "the files {} includes", file.display()),
            FoundBy::Alone => formatter.write_str("the file alone and what it includes"),
        }
    }
}

/// The outcome of discovery: the project, and a `track2.toml` that was
/// found but could not be read (reported to the user, then passed over).
pub struct Discovery {
    pub project: Project,
    pub config_error: Option<ConfigError>,
}

/// How many `*.track2` files are looked at when searching for one that
/// includes the document, and how many directories up: a document opened
/// in a home directory must not make the server read the whole disk.
const MAX_INCLUDERS_SCANNED: usize = 200;
const MAX_LEVELS_UP: usize = 3;

/// The ledger of a document that is no file: its text alone.
pub fn unsaved(uri: &Url) -> Project {
    Project {
        key: LedgerKey {
            paths: Vec::new(),
            root: None,
            buffer: Some(uri.clone()),
        },
        as_of: None,
        found_by: FoundBy::Alone,
    }
}

/// The ledger of the file at `path` (absolute), whose canonical path is
/// `canonical`.
pub fn discover(fs: &dyn FileSystem, path: &Path, canonical: &Path) -> Discovery {
    let directory = path.parent().unwrap_or(Path::new("/"));
    let (config, config_error) = match config::discover(directory) {
        Ok(config) => (config, None),
        Err(error) => (None, Some(error)),
    };
    let as_of = config.as_ref().and_then(|config| match config.as_of {
        AsOf::Day(day) => Some(day),
        AsOf::Today => None,
    });
    let project = |key: LedgerKey, found_by: FoundBy| Project { key, as_of, found_by };
    let reaches = |key: &LedgerKey| reaches(fs, key, canonical);

    if let Some(config) = &config {
        let key = LedgerKey {
            paths: config.paths.iter().map(|p| absolute(directory, p)).collect(),
            root: Some(absolute(directory, &config.root)),
            buffer: None,
        };
        if reaches(&key) {
            return Discovery {
                project: project(key, FoundBy::Config(absolute(directory, &config.file))),
                config_error,
            };
        }
    }
    if let Some(ledgers) = nearest_ledgers_directory(fs, directory) {
        let key = LedgerKey {
            paths: vec![ledgers.clone()],
            root: None,
            buffer: None,
        };
        if reaches(&key) {
            return Discovery {
                project: project(key, FoundBy::LedgersDirectory(ledgers)),
                config_error,
            };
        }
    }
    if let Some((includer, key)) = includer(fs, directory, path, canonical) {
        return Discovery {
            project: project(key, FoundBy::IncludedBy(includer)),
            config_error,
        };
    }
    let key = LedgerKey {
        paths: vec![path.to_path_buf()],
        root: None,
        buffer: None,
    };
    Discovery {
        project: project(key, FoundBy::Alone),
        config_error,
    }
}

fn absolute(directory: &Path, path: &Path) -> PathBuf {
    super::convert::lexical(&directory.join(path))
}

/// Whether the ledger `key` reads the file whose canonical path is
/// `canonical`.
pub fn reaches(fs: &dyn FileSystem, key: &LedgerKey, canonical: &Path) -> bool {
    loader::load(fs, &key.paths, &key.load_options()).is_ok_and(|loaded| holds(fs, &loaded, canonical))
}

fn holds(fs: &dyn FileSystem, loaded: &Loaded, canonical: &Path) -> bool {
    loaded.sources.iter().any(|(_, file)| {
        file.path()
            .is_some_and(|path| fs.canonicalize(path).is_ok_and(|found| found == canonical))
    })
}

/// The nearest directory named `ledgers` that holds `directory`, or else
/// the nearest `ledgers` directory beside one of its ancestors (a
/// repository's `ledgers/`, for a file elsewhere in it).
fn nearest_ledgers_directory(fs: &dyn FileSystem, directory: &Path) -> Option<PathBuf> {
    for ancestor in directory.ancestors() {
        if ancestor.file_name().is_some_and(|name| name == config::DEFAULT_PATH) {
            return Some(ancestor.to_path_buf());
        }
        let beside = ancestor.join(config::DEFAULT_PATH);
        if fs
            .metadata(&beside)
            .is_ok_and(|metadata| metadata.kind == FileKind::Directory)
        {
            return Some(beside);
        }
    }
    None
}

/// A file near the document that includes it, directly or through other
/// files, and the ledger that file heads: of several, the one that reads
/// the most files, which is the top of the include tree.
fn includer(fs: &dyn FileSystem, directory: &Path, path: &Path, canonical: &Path) -> Option<(PathBuf, LedgerKey)> {
    let mut scanned = 0;
    let mut best: Option<(usize, PathBuf, LedgerKey)> = None;
    for ancestor in directory.ancestors().take(MAX_LEVELS_UP + 1) {
        let Ok(mut entries) = fs.read_dir(ancestor) else {
            continue;
        };
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        for entry in entries {
            let is_ledger_file = entry.kind == FileKind::File
                && entry
                    .path
                    .extension()
                    .is_some_and(|extension| extension == loader::EXTENSION);
            if !is_ledger_file || entry.path == path {
                continue;
            }
            scanned += 1;
            if scanned > MAX_INCLUDERS_SCANNED {
                return best.map(|(_, file, key)| (file, key));
            }
            // Only a file with an include line can reach another: a cheap
            // look before the file is read as a ledger.
            let Ok(bytes) = fs.read(&entry.path, loader::DEFAULT_MAX_FILE_SIZE) else {
                continue;
            };
            if memchr::memmem::find(&bytes, b"include").is_none() {
                continue;
            }
            let key = LedgerKey {
                paths: vec![entry.path.clone()],
                root: Some(ancestor.to_path_buf()),
                buffer: None,
            };
            let Ok(loaded) = loader::load(fs, &key.paths, &key.load_options()) else {
                continue;
            };
            let files = loaded.sources.len();
            if holds(fs, &loaded, canonical) && best.as_ref().is_none_or(|(most, ..)| files > *most) {
                best = Some((files, entry.path, key));
            }
        }
        if best.is_some() {
            break;
        }
    }
    best.map(|(_, file, key)| (file, key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::Disk;
    use std::fs;

    fn found(path: &Path) -> Project {
        let canonical = path.canonicalize().unwrap();
        discover(&Disk, path, &canonical).project
    }

    #[test]
    fn a_track2_toml_names_the_ledger() {
        let top = tempfile::tempdir().unwrap();
        let top = top.path().canonicalize().unwrap();
        fs::create_dir_all(top.join("records/2025")).unwrap();
        fs::write(
            top.join("track2.toml"),
            "paths = [\"records\"]\nas-of = \"2026-01-01\"\n",
        )
        .unwrap();
        fs::write(top.join("records/2025/a.track2"), "party AM Armenia\n").unwrap();
        let project = found(&top.join("records/2025/a.track2"));
        assert_eq!(project.key.paths, [top.join("records")]);
        assert_eq!(project.key.root, Some(top.clone()));
        assert_eq!(project.as_of, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(project.found_by, FoundBy::Config(top.join("track2.toml")));
    }

    #[test]
    fn a_ledgers_directory_then_an_includer_then_the_file_alone() {
        let top = tempfile::tempdir().unwrap();
        let top = top.path().canonicalize().unwrap();
        fs::create_dir_all(top.join("ledgers/people")).unwrap();
        fs::write(top.join("ledgers/people/p.track2"), "party AM Armenia\n").unwrap();
        let project = found(&top.join("ledgers/people/p.track2"));
        assert_eq!(project.key.paths, [top.join("ledgers")]);

        // Beside the ledgers directory, not in it: not part of it.
        fs::create_dir(top.join("notes")).unwrap();
        fs::write(top.join("notes/main.track2"), "include \"sub/part.track2\"\n").unwrap();
        fs::create_dir(top.join("notes/sub")).unwrap();
        fs::write(top.join("notes/sub/part.track2"), "party AZ Azerbaijan\n").unwrap();
        let project = found(&top.join("notes/sub/part.track2"));
        assert_eq!(project.found_by, FoundBy::IncludedBy(top.join("notes/main.track2")));
        assert_eq!(project.key.paths, [top.join("notes/main.track2")]);

        fs::write(top.join("notes/scratch.track2"), "party GE Georgia\n").unwrap();
        let project = found(&top.join("notes/scratch.track2"));
        assert_eq!(project.found_by, FoundBy::Alone);
        assert_eq!(project.key.paths, [top.join("notes/scratch.track2")]);
    }
}
