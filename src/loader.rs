//! Reading a ledger from disk: the paths the user named, the directories
//! walked, and every `include` followed, each file read and parsed once.
//!
//! Problems with a path the user named (it does not exist, it cannot be read)
//! are a [`LoadError`]: the command cannot do what was asked. Problems found
//! by following the ledger itself (a missing include, a cycle, bytes that are
//! not UTF-8) are diagnostics like any other.

use std::collections::HashSet;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::parallel;
use crate::parser;
use crate::parser::Directives;
use crate::source::{self, FileId, Location, MAX_FILE_SIZE, MappedText, SourceFile, SourceMap, SourceText, Span};
use crate::syntax::{Block, Include};

/// The extension that makes a file part of a ledger directory.
pub const EXTENSION: &str = "track2";

/// Every file of a ledger, read but not yet parsed, with what was found
/// while reading them. The analyzer parses each file once, block by block.
pub struct Loaded {
    pub sources: SourceMap,
    /// Where each file's includes and declarations are, in the order of
    /// `sources`.
    pub directives: Vec<Directives>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug)]
pub enum LoadError {
    /// A path named by the user could not be read.
    Unreadable { path: PathBuf, error: io::Error },
    /// A file named by the user is too large for the 32-bit spans.
    TooLarge { path: PathBuf },
}

impl fmt::Display for LoadError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Unreadable { path, error } => {
                write!(formatter, "cannot read `{}`: {error}", path.display())
            }
            LoadError::TooLarge { path } => write!(
                formatter,
                "`{}` is 4 GiB or larger; split it into several files joined by `include`",
                path.display()
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads the ledger made of `paths`: files as they are, directories as every
/// `*.track2` file below them in sorted order, and every file they include.
pub fn load(paths: &[PathBuf]) -> Result<Loaded, LoadError> {
    let mut loader = Loader::default();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|error| LoadError::Unreadable {
            path: path.clone(),
            error,
        })?;
        let files = if metadata.is_dir() {
            let mut files = Vec::new();
            collect_ledger_files(path, &mut files).map_err(|(path, error)| LoadError::Unreadable { path, error })?;
            files
        } else {
            vec![path.clone()]
        };
        for file in files {
            loader.load_named(&file)?;
        }
    }
    Ok(loader.finish())
}

/// Reads bytes that did not come from disk (standard input, a test) as one
/// file named `name`. Its includes are not followed.
pub fn load_bytes(name: &str, bytes: Vec<u8>) -> Result<Loaded, LoadError> {
    let Some((text, invalid)) = decode_within_limit(bytes) else {
        return Err(LoadError::TooLarge {
            path: PathBuf::from(name),
        });
    };
    let mut loader = Loader::default();
    loader.add_file(name.to_owned(), None, text, invalid);
    Ok(loader.finish())
}

/// Reads the ledger made of `paths` as [`load`] does, then `bytes` as one
/// more file named `name`, read last and with its includes not followed:
/// for checking text that is not on disk yet (what `track2 import` is about
/// to write) together with the ledger it joins.
pub fn load_with_extra(paths: &[PathBuf], name: &str, bytes: Vec<u8>) -> Result<Loaded, LoadError> {
    let Loaded {
        sources,
        directives,
        diagnostics,
    } = load(paths)?;
    let Some((text, invalid)) = decode_within_limit(bytes) else {
        return Err(LoadError::TooLarge {
            path: PathBuf::from(name),
        });
    };
    let mut loader = Loader {
        sources,
        directives,
        diagnostics,
        seen: HashSet::new(),
    };
    loader.add_file(name.to_owned(), None, text, invalid);
    Ok(loader.finish())
}

type Decoded = (SourceText, Vec<source::InvalidUtf8>);

/// Files at least this large are mapped rather than read: no copy, and no
/// fresh pages for the kernel to clear.
const MAP_AT_SIZE: u64 = 8 << 20;

/// Reads a file's text, or `None` if it is too large for 32-bit spans.
///
/// Mapping a file that another program truncates while track2 runs makes
/// the process fail with a bus error; ripgrep and others accept the same
/// trade for large files, and a ledger is not edited during a check.
fn read_source(path: &Path) -> std::io::Result<Option<Decoded>> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size >= MAP_AT_SIZE && size < MAX_FILE_SIZE as u64 {
        // SAFETY: the map is only read, and see above on truncation.
        let map = unsafe { memmap2::Mmap::map(&file)? };
        return Ok(match MappedText::new(map) {
            Ok(text) => Some((SourceText::Mapped(text), Vec::new())),
            Err(map) => decode_within_limit(map.to_vec()),
        });
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    std::io::Read::read_to_end(&mut &file, &mut bytes)?;
    Ok(decode_within_limit(bytes))
}

/// Where the includes and declarations of `text` are, found on every core
/// for a large file.
fn directives_of(text: &str) -> Directives {
    let pieces = parallel::text_pieces(text.as_bytes());
    if pieces.len() <= 1 {
        return parser::directives(text);
    }
    let parts = parallel::map(pieces, |piece| parser::directives_in(text, piece));
    parser::join_directives(text, parts)
}

/// The path and quoted path of each include it is handed.
struct IncludeCollector(Vec<(Span, Span)>);

impl parser::Sink for IncludeCollector {
    fn block(&mut self, _block: &Block) {}

    fn include(&mut self, include: &Include) {
        self.0.push((include.path, include.quoted));
    }
}

/// Decodes a file, or `None` if its text would not fit 32-bit spans.
/// The check follows decoding because decoding can grow the text: each
/// invalid byte becomes a three-byte replacement character.
fn decode_within_limit(bytes: Vec<u8>) -> Option<Decoded> {
    if bytes.len() >= MAX_FILE_SIZE {
        return None;
    }
    let (text, invalid) = source::decode_utf8(bytes);
    (text.len() < MAX_FILE_SIZE).then_some((SourceText::Owned(text), invalid))
}

/// Every `*.track2` file below `directory`, in the order [`load`] reads them,
/// without reading them: for commands that work file by file (`track2 fmt`).
pub fn ledger_files(directory: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut files = Vec::new();
    collect_ledger_files(directory, &mut files).map_err(|(path, error)| LoadError::Unreadable { path, error })?;
    Ok(files)
}

/// Every `*.track2` file below `directory`, sorted by path. Links to
/// directories are not followed, so a link cannot make the walk endless.
fn collect_ledger_files(directory: &Path, files: &mut Vec<PathBuf>) -> Result<(), (PathBuf, io::Error)> {
    let entries = std::fs::read_dir(directory).map_err(|error| (directory.to_path_buf(), error))?;
    let mut entries = entries
        .map(|entry| entry.map(|entry| (entry.path(), entry.file_type())))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| (directory.to_path_buf(), error))?;
    entries.sort_by(|(a, _), (b, _)| a.cmp(b));
    for (path, file_type) in entries {
        let file_type = file_type.map_err(|error| (path.clone(), error))?;
        if file_type.is_dir() {
            collect_ledger_files(&path, files)?;
        } else if path.extension().is_some_and(|extension| extension == EXTENSION) {
            files.push(path);
        }
    }
    Ok(())
}

#[derive(Default)]
struct Loader {
    sources: SourceMap,
    directives: Vec<Directives>,
    diagnostics: Vec<Diagnostic>,
    /// Canonical paths of the files read so far.
    seen: HashSet<PathBuf>,
}

impl Loader {
    fn finish(self) -> Loaded {
        Loaded {
            sources: self.sources,
            directives: self.directives,
            diagnostics: self.diagnostics,
        }
    }

    /// A file the user named (directly or through a directory).
    fn load_named(&mut self, path: &Path) -> Result<(), LoadError> {
        let unreadable = |error| LoadError::Unreadable {
            path: path.to_path_buf(),
            error,
        };
        let canonical = std::fs::canonicalize(path).map_err(unreadable)?;
        if self.seen.contains(&canonical) {
            return Ok(());
        }
        let Some(decoded) = read_source(path).map_err(unreadable)? else {
            return Err(LoadError::TooLarge {
                path: path.to_path_buf(),
            });
        };
        let mut chain = Vec::new();
        self.add_and_follow(path.display().to_string(), path, canonical, decoded, &mut chain);
        Ok(())
    }

    /// Registers one decoded file, then follows its includes.
    /// `chain` holds the canonical paths of the files that include this one.
    fn add_and_follow(
        &mut self,
        name: String,
        path: &Path,
        canonical: PathBuf,
        decoded: Decoded,
        chain: &mut Vec<PathBuf>,
    ) {
        self.seen.insert(canonical.clone());
        let (text, invalid) = decoded;
        let file = self.add_file(name, Some(path.to_path_buf()), text, invalid);
        chain.push(canonical);
        // Only the include lines are parsed here; a malformed one is reported
        // when the analyzer parses the whole file.
        let mut includes = IncludeCollector(Vec::new());
        let text = self.sources.get(file).text();
        for range in &self.directives[file.0 as usize].includes {
            parser::parse_into(file, text, range.clone(), &mut includes, &mut Vec::new());
        }
        for (path_span, quoted) in includes.0 {
            self.follow_include(file, path_span, quoted, chain);
        }
        chain.pop();
    }

    fn add_file(
        &mut self,
        name: String,
        path: Option<PathBuf>,
        text: SourceText,
        invalid: Vec<source::InvalidUtf8>,
    ) -> FileId {
        let file = self.sources.add(SourceFile::new(name, path, text));
        let source = self.sources.get(file);
        report_invalid_utf8(file, source, &invalid, &mut self.diagnostics);
        self.directives.push(directives_of(source.text()));
        file
    }

    fn follow_include(&mut self, from: FileId, path_span: Span, quoted: Span, chain: &mut Vec<PathBuf>) {
        let including = self.sources.get(from);
        let relative = Path::new(including.slice(path_span));
        let base = |path: Option<&Path>| path.and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
        let target = base(including.path()).join(relative);
        let name = base(Some(Path::new(including.name())))
            .join(relative)
            .display()
            .to_string();
        let at = Location {
            file: from,
            span: quoted,
        };
        let report = |code, message: String| Diagnostic::new(code, at.file, at.span, message);

        let canonical = match std::fs::canonicalize(&target) {
            Ok(canonical) => canonical,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                self.diagnostics.push(
                    report(Code::IncludeNotFound, format!("included file `{name}` does not exist"))
                        .with_help("the path is relative to the directory of the file that includes it"),
                );
                return;
            }
            Err(error) => {
                self.diagnostics.push(report(
                    Code::IncludeUnreadable,
                    format!("cannot read included file `{name}`: {error}"),
                ));
                return;
            }
        };
        if chain.contains(&canonical) {
            let cycle: Vec<String> = chain
                .iter()
                .skip_while(|path| **path != canonical)
                .chain([&canonical])
                .map(|path| {
                    path.file_name()
                        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
                })
                .collect();
            self.diagnostics.push(
                report(
                    Code::IncludeCycle,
                    format!("`{name}` includes itself: {}", cycle.join(" -> ")),
                )
                .with_help("remove one of the includes that close the cycle"),
            );
            return;
        }
        if self.seen.contains(&canonical) {
            return;
        }
        let decoded = match read_source(&target) {
            Ok(decoded) => decoded,
            Err(error) => {
                self.diagnostics.push(report(
                    Code::IncludeUnreadable,
                    format!("cannot read included file `{name}`: {error}"),
                ));
                return;
            }
        };
        let Some(decoded) = decoded else {
            self.diagnostics.push(report(
                Code::IncludeUnreadable,
                format!("included file `{name}` is 4 GiB or larger"),
            ));
            return;
        };
        self.add_and_follow(name, &target, canonical, decoded, chain);
    }
}

/// One diagnostic per line that holds bytes which are not UTF-8: a binary
/// file would otherwise bury everything else under thousands of them.
fn report_invalid_utf8(
    file: FileId,
    source: &SourceFile,
    invalid: &[source::InvalidUtf8],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut last_line = None;
    for run in invalid {
        let line = source.line_index(run.decoded_offset);
        if last_line == Some(line) {
            continue;
        }
        last_line = Some(line);
        let span = Span::new(
            run.decoded_offset,
            run.decoded_offset + char::REPLACEMENT_CHARACTER.len_utf8(),
        );
        let what = if run.byte_len == 1 {
            "a byte that is not UTF-8".to_owned()
        } else {
            format!("{} bytes that are not UTF-8", run.byte_len)
        };
        diagnostics.push(
            Diagnostic::new(
                Code::InvalidUtf8,
                file,
                span,
                format!("{what}, at byte offset {}", run.byte_offset),
            )
            .with_help("save the file as UTF-8"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

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
        let loaded = load(&[dir.path().to_path_buf()]).unwrap();
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
        let loaded = load(&[dir.path().join("a.track2")]).unwrap();
        let a = dir.path().join("a.track2").display().to_string();
        let b = dir.path().join("b.track2").display().to_string();
        assert_eq!(codes(&loaded), [(b, "include-cycle"), (a, "include-not-found")]);
    }

    #[test]
    fn extra_bytes_are_read_last_as_one_more_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.track2"), "party AM Armenia\n").unwrap();
        let extra = b"include \"gone.track2\"\nparty AZ Azerbaijan\n".to_vec();
        let loaded = load_with_extra(&[dir.path().to_path_buf()], "new.track2", extra).unwrap();
        let names: Vec<_> = loaded.sources.iter().map(|(_, f)| f.name().to_owned()).collect();
        assert_eq!(
            names,
            [dir.path().join("a.track2").display().to_string(), "new.track2".into()]
        );
        assert!(
            loaded.diagnostics.is_empty(),
            "the extra file's includes are not followed"
        );
    }

    #[test]
    fn a_missing_named_path_is_a_load_error() {
        let error = load(&[PathBuf::from("/nonexistent/ledger.track2")]).err().unwrap();
        assert!(matches!(error, LoadError::Unreadable { .. }));
    }

    #[test]
    fn invalid_utf8_is_reported_once_per_line() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("a.track2"),
            b"party AM Arm\xff\xfeenia\xff\nparty AZ \xc3\n",
        )
        .unwrap();
        let loaded = load(&[dir.path().join("a.track2")]).unwrap();
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
