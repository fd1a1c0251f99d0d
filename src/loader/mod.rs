//! Reading a ledger: the paths the user named, the directories walked, and
//! every `include` followed, each file read once, through a [`FileSystem`].
//!
//! Problems with a path the user named (it does not exist, it cannot be read)
//! are a [`LoadError`]: the command cannot do what was asked. Problems found
//! by following the ledger itself (a missing include, a cycle, a link out of
//! the root, bytes that are not UTF-8) are diagnostics like any other.
//!
//! A ledger may come from a stranger's pull request, so what it can make
//! track2 read is confined (GRAMMAR.md §4.5):
//!
//! - Every file lies below a *root*: `--root`, else the directory named, else
//!   the directory of the file named. An include, or a file met while
//!   walking a directory, that resolves outside it (through `..` or links)
//!   is `include-outside-root`, and is never opened; so is an absolute
//!   include path, which is refused before the file system is asked anything.
//! - Only regular files are read, at most `max_file_size` bytes each
//!   ([`FileSystem::read`]); the one exception is a pipe or terminal the
//!   person running track2 named (`-`, `/dev/stdin`, `<(…)`), read once.
//! - Includes nest at most [`MAX_INCLUDE_DEPTH`] deep, and are followed with
//!   an explicit stack, so that no ledger can exhaust the call stack.
//!
//! The parts: `paths` turns what was named into the files to read,
//! `confine` decides whether a file may be read at all, `decode` turns its
//! bytes into text, and `reader` reads the files and follows their includes.

mod confine;
mod decode;
mod paths;
mod reader;

use std::fmt;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::escape;
use crate::fs::{FileSystem, ReadError};
use crate::parser::Directives;
use crate::source::{FileId, MAX_FILE_SIZE, SourceFile, SourceMap};

pub use confine::{FileRefusal, read_regular_file, resolve_within_root};
pub use paths::{LedgerPath, Origin, STDIN_NAME, ledger_files, ledger_paths};

use decode::{decode_within_limit, directives_of, report_invalid_utf8};
use reader::Reader;

/// The extension that makes a file part of a ledger directory.
pub const EXTENSION: &str = "track2";

/// The largest file read unless told otherwise: far above any real ledger
/// (a million engagements is 189 MB), far below what would exhaust memory.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1 << 30;

/// How deep includes may nest: a file named or found in a directory is at
/// depth 0, a file it includes at depth 1, and so on.
pub const MAX_INCLUDE_DEPTH: usize = 64;

/// How to read a ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadOptions {
    /// The directory nothing may be read from outside of. `None`: each
    /// named directory is its own root, and a named file's directory is its.
    pub root: Option<PathBuf>,
    /// The largest file read, in bytes. Whatever is asked, no file of
    /// 4 GiB or more is read: spans are 32-bit.
    pub max_file_size: u64,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            root: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

impl LoadOptions {
    /// The size limit in force: the one asked for, within what spans allow.
    pub fn limit(&self) -> u64 {
        self.max_file_size.min(MAX_FILE_SIZE as u64 - 1)
    }
}

/// Every file of a ledger, read but not yet parsed, with what was found
/// while reading them. The analyzer parses each file once, block by block.
pub struct Loaded {
    pub sources: SourceMap,
    /// Where each file's includes and declarations are, in the order of
    /// `sources`.
    pub directives: Vec<Directives>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a ledger could not be read at all. Every path in it is escaped for
/// display ([`escape::path`]).
#[derive(Debug)]
pub enum LoadError {
    /// A path named by the user (or the root) could not be read.
    Unreadable { path: String, error: ReadError },
    /// A file named by the user resolves outside its root: through a link
    /// out of its directory, or outside `--root`.
    OutsideRoot { path: String },
    /// A directory named by the user holds no `*.track2` file: a CI job
    /// pointed at the wrong folder must fail, not pass on nothing.
    NoLedgerFiles { directory: String },
}

impl fmt::Display for LoadError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Unreadable { path, error } => write!(formatter, "cannot read `{path}`: {error}"),
            LoadError::OutsideRoot { path } => write!(
                formatter,
                "`{path}` lies outside its root (through a link, or outside --root); \
                 name a wider root with --root if that is intended"
            ),
            LoadError::NoLedgerFiles { directory } => {
                write!(formatter, "no ledger files under {directory} (no *.{EXTENSION} file)")
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads the ledger made of `paths`: files as they are, directories as every
/// `*.track2` file below them in sorted order, and every file they include.
pub fn load(fs: &dyn FileSystem, paths: &[PathBuf], options: &LoadOptions) -> Result<Loaded, LoadError> {
    Ok(read_ledger(fs, paths, options)?.finish())
}

/// Reads the ledger made of `paths` as [`load`] does, then `bytes` as one
/// more file named `name`, read last and with its includes not followed:
/// for checking text that is not on disk yet (what `track2 import` is about
/// to write) together with the ledger it joins.
pub fn load_with_extra(
    fs: &dyn FileSystem,
    paths: &[PathBuf],
    options: &LoadOptions,
    name: &str,
    bytes: Vec<u8>,
) -> Result<Loaded, LoadError> {
    let mut reader = read_ledger(fs, paths, options)?;
    reader
        .add_file(name.to_owned(), None, bytes)
        .map_err(|error| LoadError::Unreadable {
            path: escape::text(name).into_owned(),
            error,
        })?;
    Ok(reader.finish())
}

/// Every file of the ledger made of `paths`, read, and kept open for more.
fn read_ledger<'f>(fs: &'f dyn FileSystem, paths: &[PathBuf], options: &LoadOptions) -> Result<Reader<'f>, LoadError> {
    let mut reader = Reader::new(fs, options);
    for ledger_path in &ledger_paths(fs, paths, options)? {
        reader.load_path(ledger_path)?;
    }
    Ok(reader)
}

/// Reads bytes that did not come from disk (standard input, a test) as one
/// file named `name`. Its includes are not followed.
pub fn load_bytes(name: &str, bytes: Vec<u8>) -> Result<Loaded, LoadError> {
    let (sources, diagnostics) = decode_bytes(name, bytes)?;
    let directives = vec![directives_of(sources.get(FileId(0)).text())];
    Ok(Loaded {
        sources,
        directives,
        diagnostics,
    })
}

/// Bytes decoded as the text of one file named `name` (file 0 of the map),
/// with a diagnostic for each line that was not UTF-8; nothing else is
/// looked for in it. What the formatter, which takes each file alone,
/// needs of the loader.
pub fn decode_bytes(name: &str, bytes: Vec<u8>) -> Result<(SourceMap, Vec<Diagnostic>), LoadError> {
    let Some((text, invalid)) = decode_within_limit(bytes) else {
        return Err(LoadError::Unreadable {
            path: escape::text(name).into_owned(),
            error: ReadError::TooLarge {
                limit: MAX_FILE_SIZE as u64 - 1,
            },
        });
    };
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let file = sources.add(SourceFile::new(name, None, text));
    report_invalid_utf8(file, sources.get(file), &invalid, &mut diagnostics);
    Ok((sources, diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::fs::Disk;
    use std::fs;

    fn load_from_disk(paths: &[PathBuf]) -> Result<Loaded, LoadError> {
        load(&Disk, paths, &LoadOptions::default())
    }

    fn codes(loaded: &Loaded) -> Vec<(String, &'static str)> {
        loaded
            .diagnostics
            .iter()
            .map(|d| (loaded.sources.get(d.location.file).name().to_owned(), d.code.as_str()))
            .collect()
    }

    #[test]
    fn walks_directories_in_sorted_order_and_reads_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("b.track2"), "include \"sub/a.track2\"\n").unwrap();
        fs::write(dir.path().join("sub/a.track2"), "party AM Armenia\n").unwrap();
        fs::write(dir.path().join("a.track2"), "party AZ Azerbaijan\n").unwrap();
        fs::write(dir.path().join("notes.txt"), "not a ledger").unwrap();
        let loaded = load_from_disk(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<_> = loaded.sources.iter().map(|(_, f)| f.name().to_owned()).collect();
        let root = dir.path().display().to_string();
        assert_eq!(
            names,
            [
                format!("{root}/a.track2"),
                format!("{root}/b.track2"),
                format!("{root}/sub/a.track2")
            ]
        );
        assert!(loaded.diagnostics.is_empty());
    }

    #[test]
    fn missing_includes_and_cycles_are_diagnostics() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("a.track2"),
            "include \"b.track2\"\ninclude \"gone.track2\"\n",
        )
        .unwrap();
        fs::write(dir.path().join("b.track2"), "include \"a.track2\"\n").unwrap();
        let loaded = load_from_disk(&[dir.path().join("a.track2")]).unwrap();
        let a = dir.path().join("a.track2").display().to_string();
        let b = dir.path().join("b.track2").display().to_string();
        assert_eq!(codes(&loaded), [(b, "include-cycle"), (a, "include-not-found")]);
        assert!(
            loaded.diagnostics[0]
                .message
                .ends_with("a.track2 -> b.track2 -> a.track2")
        );
    }

    #[test]
    fn a_missing_named_path_is_a_load_error() {
        let error = load_from_disk(&[PathBuf::from("/nonexistent/ledger.track2")])
            .err()
            .unwrap();
        assert!(matches!(error, LoadError::Unreadable { .. }));
    }

    #[test]
    fn a_directory_without_ledger_files_is_a_load_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "").unwrap();
        let error = load_from_disk(&[dir.path().to_path_buf()]).err().unwrap();
        assert!(matches!(error, LoadError::NoLedgerFiles { .. }));
        assert!(error.to_string().starts_with("no ledger files under "));
    }

    #[test]
    fn includes_stay_within_the_root() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("ledger")).unwrap();
        fs::write(dir.path().join("secret.track2"), "party XX Secret\n").unwrap();
        fs::write(
            dir.path().join("ledger/a.track2"),
            "include \"../secret.track2\"\ninclude \"/etc/hostname\"\ninclude \"../missing/../../x.track2\"\n",
        )
        .unwrap();
        let loaded = load_from_disk(&[dir.path().join("ledger")]).unwrap();
        let found: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(found, ["include-outside-root"; 3]);
        assert_eq!(loaded.sources.len(), 1, "nothing outside the root was read");
        // With a wider root, the same include is read.
        let options = LoadOptions {
            root: Some(dir.path().to_path_buf()),
            ..LoadOptions::default()
        };
        let loaded = load(&Disk, &[dir.path().join("ledger")], &options).unwrap();
        assert_eq!(loaded.sources.len(), 2);
    }

    #[test]
    fn a_long_chain_of_includes_stops_at_the_depth_limit() {
        let dir = tempfile::tempdir().unwrap();
        for index in 0..100 {
            fs::write(
                dir.path().join(format!("{index:03}.track2")),
                format!("include \"{:03}.track2\"\n", index + 1),
            )
            .unwrap();
        }
        let loaded = load_from_disk(&[dir.path().join("000.track2")]).unwrap();
        assert_eq!(loaded.sources.len(), MAX_INCLUDE_DEPTH + 1);
        let found: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(found, ["include-too-deep"]);
        let at = loaded.sources.get(loaded.diagnostics[0].location.file).name();
        assert!(at.ends_with("064.track2"), "{at}");
    }

    #[test]
    fn invalid_utf8_is_reported_once_per_line() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("a.track2"),
            b"party AM Arm\xff\xfeenia\xff\nparty AZ \xc3\n",
        )
        .unwrap();
        let loaded = load_from_disk(&[dir.path().join("a.track2")]).unwrap();
        let found: Vec<_> = loaded
            .diagnostics
            .iter()
            .map(|d| (d.code, d.location.span.start))
            .collect();
        // Line 1 decodes to 12 + 3 × 3 + 4 bytes; line 2 starts at 26.
        assert_eq!(found, [(Code::InvalidUtf8, 12), (Code::InvalidUtf8, 35)]);
        assert!(loaded.diagnostics[0].message.contains("byte offset 12"));
    }
}
