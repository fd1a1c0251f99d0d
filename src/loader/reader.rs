//! Reading the files of a ledger and following their includes, each file
//! once, with an explicit stack so that no chain of includes can exhaust
//! the call stack, and a set beside it so that a cycle is found in constant
//! time per include.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use super::confine::too_large;
use super::decode::{decode_within_limit, directives_of, report_invalid_utf8};
use super::{
    FileRefusal, LedgerPath, LoadError, LoadOptions, Loaded, MAX_INCLUDE_DEPTH, Origin, read_regular_file,
    resolve_within_root,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::escape;
use crate::fs::{FileKind, FileSystem, ReadError};
use crate::parser::{self, Directives};
use crate::source::{FileId, MAX_FILE_SIZE, SourceFile, SourceMap, Span};
use crate::syntax::{Block, Include};

/// The path and quoted path of each include it is handed.
struct IncludeCollector(Vec<(Span, Span)>);

impl parser::Sink for IncludeCollector {
    fn block(&mut self, _block: &Block) {}

    fn include(&mut self, include: &Include) {
        self.0.push((include.path, include.quoted));
    }
}

/// The files read so far, and what was found reading them.
pub(super) struct Reader<'f> {
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

impl<'f> Reader<'f> {
    pub(super) fn new(fs: &'f dyn FileSystem, options: &LoadOptions) -> Reader<'f> {
        Reader {
            fs,
            limit: options.limit(),
            sources: SourceMap::new(),
            directives: Vec::new(),
            diagnostics: Vec::new(),
            seen: HashSet::new(),
        }
    }

    pub(super) fn finish(self) -> Loaded {
        Loaded {
            sources: self.sources,
            directives: self.directives,
            diagnostics: self.diagnostics,
        }
    }

    /// Reads one file the user named or a walk found, then its includes.
    pub(super) fn load_path(&mut self, found: &LedgerPath) -> Result<(), LoadError> {
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
                let bytes = if kind == FileKind::File {
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
    fn refuse_walked(&mut self, name: &str, refusal: FileRefusal) {
        let file = self.sources.add(SourceFile::new(name, None, String::new()));
        self.directives.push(Directives::default());
        self.diagnostics.push(refusal.at(file, Span::point(0)));
    }

    /// Decodes and registers one file; `Err` if its text is too large.
    pub(super) fn add_file(
        &mut self,
        name: String,
        path: Option<PathBuf>,
        bytes: Vec<u8>,
    ) -> Result<FileId, ReadError> {
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
        let mut refuse = |refusal: FileRefusal| {
            self.diagnostics.push(refusal.at(from, quoted));
            None
        };
        // Refused before anything is asked of the file system: whether an
        // absolute path exists is none of the ledger's business.
        if written.has_root() || written.components().any(|c| matches!(c, Component::Prefix(_))) {
            return refuse(
                FileRefusal::new(
                    Code::IncludeOutsideRoot,
                    format!("`{}` is an absolute path; it was not read", escape::path(written)),
                )
                .with_help("an include is relative to the directory of the file that includes it, and stays within the ledger's root"),
            );
        }
        if chain.len() > MAX_INCLUDE_DEPTH {
            return refuse(
                FileRefusal::new(
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
                FileRefusal::new(
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
