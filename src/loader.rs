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

use std::collections::HashSet;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::escape;
use crate::fs::{FileSystem, Kind, ReadError, describe_size};
use crate::parallel;
use crate::parser;
use crate::parser::Directives;
use crate::source::{self, FileId, MAX_FILE_SIZE, SourceFile, SourceMap, Span};
use crate::syntax::{Block, Include};

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

/// Why one file of the ledger was not read: a diagnostic to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: Code,
    pub message: String,
    pub help: Option<String>,
}

impl Refusal {
    fn new(code: Code, message: String) -> Refusal {
        Refusal {
            code,
            message,
            help: None,
        }
    }

    fn with_help(mut self, help: &str) -> Refusal {
        self.help.get_or_insert_with(|| help.to_owned());
        self
    }

    fn at(self, file: FileId, span: Span) -> Diagnostic {
        Diagnostic::new(self.code, file, span, self.message).with_optional_help(self.help)
    }
}

/// Reads the ledger made of `paths`: files as they are, directories as every
/// `*.track2` file below them in sorted order, and every file they include.
pub fn load(fs: &dyn FileSystem, paths: &[PathBuf], options: &LoadOptions) -> Result<Loaded, LoadError> {
    let found = ledger_paths(fs, paths, options)?;
    let mut loader = Loader {
        fs,
        limit: options.limit(),
        sources: SourceMap::new(),
        directives: Vec::new(),
        diagnostics: Vec::new(),
        seen: HashSet::new(),
    };
    for ledger_path in &found {
        loader.load_path(ledger_path)?;
    }
    Ok(loader.finish())
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
    let found = ledger_paths(fs, paths, options)?;
    let mut loader = Loader {
        fs,
        limit: options.limit(),
        sources: SourceMap::new(),
        directives: Vec::new(),
        diagnostics: Vec::new(),
        seen: HashSet::new(),
    };
    for ledger_path in &found {
        loader.load_path(ledger_path)?;
    }
    loader
        .add_file(name.to_owned(), None, bytes)
        .map_err(|error| LoadError::Unreadable {
            path: escape::text(name).into_owned(),
            error,
        })?;
    Ok(loader.finish())
}

/// Reads bytes that did not come from disk (standard input, a test) as one
/// file named `name`. Its includes are not followed.
pub fn load_bytes(name: &str, bytes: Vec<u8>) -> Result<Loaded, LoadError> {
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
    let directives = vec![directives_of(sources.get(file).text())];
    Ok(Loaded {
        sources,
        directives,
        diagnostics,
    })
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
        if metadata.kind == Kind::Directory {
            let root = match &fixed_root {
                Some(root) => root.clone(),
                None => canonical(path)?,
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
                None => canonical(directory_of(path))?,
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
        if entry.kind == Kind::Directory {
            pending.push(sorted_entries(&entry.path)?);
        } else if entry.path.extension().is_some_and(|extension| extension == EXTENSION) {
            files.push(entry.path);
        }
    }
    Ok(files)
}

/// The canonical path of `path`, if it lies within `root`; `subject` names
/// it in messages (``included file `a.track2` ``, `` `a.track2` ``).
/// A path that does not exist is judged by where it would be: the part that
/// exists is resolved and the rest put back as written, so that an include
/// of a missing file outside the root is `include-outside-root` like one of
/// a file that exists there, and the answer says nothing about what exists
/// outside the root.
pub fn resolve_within_root(fs: &dyn FileSystem, path: &Path, subject: &str, root: &Path) -> Result<PathBuf, Refusal> {
    let outside = || {
        Refusal::new(
            Code::IncludeOutsideRoot,
            format!("{subject} lies outside the ledger's root; it was not read"),
        )
        .with_help(
            "a ledger reads only files below its root (the directory named, the directory \
             of the file named, or --root): remove the link or the `..`, or widen the root",
        )
    };
    match fs.canonicalize(path) {
        Ok(canonical) if canonical.starts_with(root) => Ok(canonical),
        Ok(_) => Err(outside()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if resolves_outside(fs, path, root) {
                Err(outside())
            } else {
                Err(Refusal::new(Code::IncludeNotFound, format!("{subject} does not exist")))
            }
        }
        Err(error) => Err(Refusal::new(
            Code::IncludeUnreadable,
            format!("cannot read {subject}: {error}"),
        )),
    }
}

/// Whether a path that does not exist would lie outside `root`: its longest
/// prefix that exists, resolved, then the rest of it as written.
fn resolves_outside(fs: &dyn FileSystem, path: &Path, root: &Path) -> bool {
    let components: Vec<Component<'_>> = path.components().collect();
    for existing in (0..=components.len()).rev() {
        let prefix: PathBuf = components[..existing].iter().collect();
        let prefix = if prefix.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            prefix
        };
        let Ok(mut resolved) = fs.canonicalize(&prefix) else {
            continue;
        };
        for component in &components[existing..] {
            match component {
                Component::ParentDir => {
                    resolved.pop();
                }
                Component::Normal(part) => resolved.push(part),
                _ => {}
            }
        }
        return !resolved.starts_with(root);
    }
    true
}

/// The bytes of the regular file at `canonical` (named in messages by
/// `subject`), at most `limit` of them; anything else is refused without
/// being read from.
pub fn read_regular_file(fs: &dyn FileSystem, canonical: &Path, subject: &str, limit: u64) -> Result<Vec<u8>, Refusal> {
    fs.read(canonical, limit).map_err(|error| match error {
        ReadError::NotARegularFile(kind) => Refusal::new(
            Code::NotARegularFile,
            format!(
                "{subject} is {}, not a regular file; it was not opened",
                kind.describe()
            ),
        )
        .with_help("a ledger is made of regular files only: a FIFO or a device could block or never end"),
        ReadError::TooLarge { limit } => Refusal::new(
            Code::FileTooLarge,
            format!("{subject} is larger than the size limit of {}", describe_size(limit)),
        )
        .with_help("split it into several files joined by `include`, or raise the limit (--max-file-size)"),
        ReadError::Io(error) => Refusal::new(Code::IncludeUnreadable, format!("cannot read {subject}: {error}")),
    })
}

type Decoded = (String, Vec<source::InvalidUtf8>);

/// Decodes a file, or `None` if its text would not fit 32-bit spans.
/// The check follows decoding because decoding can grow the text: each
/// invalid byte becomes a three-byte replacement character.
fn decode_within_limit(bytes: Vec<u8>) -> Option<Decoded> {
    if bytes.len() >= MAX_FILE_SIZE {
        return None;
    }
    let (text, invalid) = decode(bytes);
    (text.len() < MAX_FILE_SIZE).then_some((text, invalid))
}

/// [`source::decode_utf8`], with a large file checked on every core first:
/// cut at line ends, which are ASCII, every piece is UTF-8 exactly when the
/// whole is, and the common case (valid) then costs no second pass.
fn decode(bytes: Vec<u8>) -> Decoded {
    let pieces = parallel::text_pieces(&bytes);
    if pieces.len() > 1 {
        let valid = parallel::map(pieces, |piece| std::str::from_utf8(&bytes[piece]).is_ok());
        if valid.into_iter().all(|valid| valid) {
            // SAFETY: every piece is UTF-8 and the pieces are cut after a
            // `\n`, so the whole is UTF-8. The bytes are owned: nothing else
            // can change them.
            return (unsafe { String::from_utf8_unchecked(bytes) }, Vec::new());
        }
    }
    source::decode_utf8(bytes)
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

struct Loader<'f> {
    fs: &'f dyn FileSystem,
    limit: u64,
    sources: SourceMap,
    directives: Vec<Directives>,
    diagnostics: Vec<Diagnostic>,
    /// Canonical paths of the files read so far.
    seen: HashSet<PathBuf>,
}

/// A file on the include chain whose includes are being followed.
struct Frame {
    file: FileId,
    /// `None` for a stream, which no include can name.
    canonical: Option<PathBuf>,
    /// The path and quoted path of each of its includes, and the next one.
    includes: Vec<(Span, Span)>,
    next: usize,
}

/// An include that checked out: the file read, ready to be followed.
struct Reached {
    file: FileId,
    canonical: PathBuf,
}

impl Loader<'_> {
    fn finish(self) -> Loaded {
        Loaded {
            sources: self.sources,
            directives: self.directives,
            diagnostics: self.diagnostics,
        }
    }

    /// Reads one file the user named or a walk found, then its includes.
    fn load_path(&mut self, found: &LedgerPath) -> Result<(), LoadError> {
        let unreadable = |error: ReadError| LoadError::Unreadable {
            path: found.name.clone(),
            error,
        };
        match found.origin {
            Origin::Stream => {
                let bytes = self.fs.read_stream(&found.path, self.limit).map_err(unreadable)?;
                // A stream has no directory: its includes resolve from the
                // current directory, which `path: None` stands for.
                let file = self.add_file(found.name.clone(), None, bytes).map_err(unreadable)?;
                self.follow_includes(file, None, &found.root);
            }
            Origin::Named => {
                let canonical = self
                    .fs
                    .canonicalize(&found.path)
                    .map_err(|error| unreadable(error.into()))?;
                if !canonical.starts_with(&found.root) {
                    return Err(LoadError::OutsideRoot {
                        path: found.name.clone(),
                    });
                }
                if self.seen.contains(&canonical) {
                    return Ok(());
                }
                // A named FIFO is read as the stream it is: the user asked.
                let kind = self
                    .fs
                    .metadata(&canonical)
                    .map_err(|error| unreadable(error.into()))?
                    .kind;
                let bytes = if kind == Kind::File {
                    self.fs.read(&canonical, self.limit)
                } else {
                    self.fs.read_stream(&canonical, self.limit)
                }
                .map_err(unreadable)?;
                let file = self
                    .add_file(found.name.clone(), Some(found.path.clone()), bytes)
                    .map_err(unreadable)?;
                self.seen.insert(canonical.clone());
                self.follow_includes(file, Some(canonical), &found.root);
            }
            Origin::Walked => {
                let subject = format!("`{}`", found.name);
                let read = resolve_within_root(self.fs, &found.path, &subject, &found.root).and_then(|canonical| {
                    if self.seen.contains(&canonical) {
                        return Ok(None);
                    }
                    let bytes = read_regular_file(self.fs, &canonical, &subject, self.limit)?;
                    Ok(Some((canonical, bytes)))
                });
                match read {
                    Ok(None) => {}
                    Ok(Some((canonical, bytes))) => {
                        match self.add_file(found.name.clone(), Some(found.path.clone()), bytes) {
                            Ok(file) => {
                                self.seen.insert(canonical.clone());
                                self.follow_includes(file, Some(canonical), &found.root);
                            }
                            Err(error) => self.refuse_walked(&found.name, too_large(&found.name, error)),
                        }
                    }
                    Err(refusal) => {
                        let refusal = match refusal.code {
                            Code::IncludeNotFound => refusal.with_help("it is a link to a file that does not exist"),
                            _ => refusal,
                        };
                        self.refuse_walked(&found.name, refusal);
                    }
                }
            }
        }
        Ok(())
    }

    /// A file found by walking that was not read: a diagnostic for its
    /// path, on an empty stand-in, so that every output can point at it.
    fn refuse_walked(&mut self, name: &str, refusal: Refusal) {
        let file = self.sources.add(SourceFile::new(name, None, String::new()));
        self.directives.push(Directives::default());
        self.diagnostics.push(refusal.at(file, Span::point(0)));
    }

    /// Decodes and registers one file; `Err` if its text is too large.
    fn add_file(&mut self, name: String, path: Option<PathBuf>, bytes: Vec<u8>) -> Result<FileId, ReadError> {
        let Some((text, invalid)) = decode_within_limit(bytes) else {
            return Err(ReadError::TooLarge {
                limit: MAX_FILE_SIZE as u64 - 1,
            });
        };
        let file = self.sources.add(SourceFile::new(name, path, text));
        let source = self.sources.get(file);
        report_invalid_utf8(file, source, &invalid, &mut self.diagnostics);
        self.directives.push(directives_of(source.text()));
        Ok(file)
    }

    /// The path and quoted path of every include of `file`. Only the
    /// include lines are parsed here; a malformed one is reported when the
    /// analyzer parses the whole file.
    fn includes_of(&self, file: FileId) -> Vec<(Span, Span)> {
        let mut includes = IncludeCollector(Vec::new());
        let text = self.sources.get(file).text();
        for range in &self.directives[file.0 as usize].includes {
            parser::parse_into(file, text, range.clone(), &mut includes, &mut Vec::new());
        }
        includes.0
    }

    /// Follows the includes of `file`, depth first in the order of their
    /// lines, with an explicit stack: the chain of files being followed,
    /// and beside it the set of their canonical paths, so that a cycle is
    /// found in constant time per include.
    fn follow_includes(&mut self, file: FileId, canonical: Option<PathBuf>, root: &Path) {
        let mut on_chain: HashSet<PathBuf> = canonical.iter().cloned().collect();
        let mut chain = vec![Frame {
            includes: self.includes_of(file),
            file,
            canonical,
            next: 0,
        }];
        while let Some(frame) = chain.last_mut() {
            let Some(&(path, quoted)) = frame.includes.get(frame.next) else {
                if let Some(canonical) = chain.pop().and_then(|frame| frame.canonical) {
                    on_chain.remove(&canonical);
                }
                continue;
            };
            frame.next += 1;
            let from = frame.file;
            let Some(reached) = self.include(from, path, quoted, root, &chain, &on_chain) else {
                continue;
            };
            on_chain.insert(reached.canonical.clone());
            chain.push(Frame {
                includes: self.includes_of(reached.file),
                file: reached.file,
                canonical: Some(reached.canonical),
                next: 0,
            });
        }
    }

    /// Checks and reads one include of `from`; `None` if it is not to be
    /// followed (reported, or already read).
    fn include(
        &mut self,
        from: FileId,
        path: Span,
        quoted: Span,
        root: &Path,
        chain: &[Frame],
        on_chain: &HashSet<PathBuf>,
    ) -> Option<Reached> {
        let including = self.sources.get(from);
        let written = Path::new(including.slice(path));
        let name = escape::path(&parent_of(Path::new(including.name())).join(written));
        let target = including.path().map_or(PathBuf::new(), parent_of).join(written);
        let mut refuse = |refusal: Refusal| {
            self.diagnostics.push(refusal.at(from, quoted));
            None
        };
        // Refused before anything is asked of the file system: whether an
        // absolute path exists is none of the ledger's business.
        if written.has_root() || written.components().any(|c| matches!(c, Component::Prefix(_))) {
            return refuse(
                Refusal::new(
                    Code::IncludeOutsideRoot,
                    format!("`{}` is an absolute path; it was not read", escape::path(written)),
                )
                .with_help("an include is relative to the directory of the file that includes it, and stays within the ledger's root"),
            );
        }
        if chain.len() > MAX_INCLUDE_DEPTH {
            return refuse(
                Refusal::new(
                    Code::IncludeTooDeep,
                    format!(
                        "`{name}` would be included {} deep; the limit is {MAX_INCLUDE_DEPTH}",
                        chain.len()
                    ),
                )
                .with_help("include the file from higher up the chain, or name it on the command line"),
            );
        }
        let subject = format!("included file `{name}`");
        let canonical = match resolve_within_root(self.fs, &target, &subject, root) {
            Ok(canonical) => canonical,
            Err(refusal) => {
                return refuse(refusal.with_help("the path is relative to the directory of the file that includes it"));
            }
        };
        if on_chain.contains(&canonical) {
            let file_name = |path: &Path| {
                path.file_name()
                    .map_or_else(|| escape::path(path), |n| escape::path(Path::new(n)))
            };
            let cycle: Vec<String> = chain
                .iter()
                .filter_map(|frame| frame.canonical.as_deref())
                .skip_while(|path| **path != canonical)
                .chain([canonical.as_path()])
                .map(file_name)
                .collect();
            return refuse(
                Refusal::new(
                    Code::IncludeCycle,
                    format!("`{name}` includes itself: {}", cycle.join(" -> ")),
                )
                .with_help("remove one of the includes that close the cycle"),
            );
        }
        if self.seen.contains(&canonical) {
            return None;
        }
        let bytes = match read_regular_file(self.fs, &canonical, &subject, self.limit) {
            Ok(bytes) => bytes,
            Err(refusal) => return refuse(refusal),
        };
        match self.add_file(name.clone(), Some(target), bytes) {
            Ok(file) => {
                self.seen.insert(canonical.clone());
                Some(Reached { file, canonical })
            }
            Err(error) => {
                self.diagnostics.push(too_large(&name, error).at(from, quoted));
                None
            }
        }
    }
}

/// The parent of a path, empty for a bare name (so that joining to it
/// leaves a relative path relative).
fn parent_of(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// A file whose text would not fit 32-bit spans once decoded.
fn too_large(name: &str, error: ReadError) -> Refusal {
    Refusal::new(Code::FileTooLarge, format!("`{name}` cannot be read: {error}"))
        .with_help("split it into several files joined by `include`")
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
