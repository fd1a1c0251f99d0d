//! Whether a file may be read at all: it must resolve within the ledger's
//! root, be a regular file, and fit the size limit. A file that may not is
//! a [`FileRefusal`], which becomes a diagnostic where the file was named.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::fs::{FileSystem, ReadError, describe_size};
use crate::source::{FileId, Span};

/// Why one file of the ledger was not read: a diagnostic to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRefusal {
    pub code: Code,
    pub message: String,
    pub help: Option<String>,
}

impl FileRefusal {
    pub(super) fn new(code: Code, message: String) -> FileRefusal {
        FileRefusal {
            code,
            message,
            help: None,
        }
    }

    pub(super) fn with_help(mut self, help: &str) -> FileRefusal {
        self.help.get_or_insert_with(|| help.to_owned());
        self
    }

    pub(super) fn at(self, file: FileId, span: Span) -> Diagnostic {
        Diagnostic::new(self.code, file, span, self.message).with_optional_help(self.help)
    }
}

/// The canonical path of `path`, if it lies within `root`; `subject` names
/// it in messages (``included file `a.track2` ``, `` `a.track2` ``).
/// A path that does not exist is judged by where it would be: the part that
/// exists is resolved and the rest put back as written, so that an include
/// of a missing file outside the root is `include-outside-root` like one of
/// a file that exists there, and the answer says nothing about what exists
/// outside the root.
pub fn resolve_within_root(
    fs: &dyn FileSystem,
    path: &Path,
    subject: &str,
    root: &Path,
) -> Result<PathBuf, FileRefusal> {
    let outside = || {
        FileRefusal::new(
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
                Err(FileRefusal::new(
                    Code::IncludeNotFound,
                    format!("{subject} does not exist"),
                ))
            }
        }
        Err(error) => Err(FileRefusal::new(
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
pub fn read_regular_file(
    fs: &dyn FileSystem,
    canonical: &Path,
    subject: &str,
    limit: u64,
) -> Result<Vec<u8>, FileRefusal> {
    fs.read(canonical, limit).map_err(|error| match error {
        ReadError::NotARegularFile(kind) => FileRefusal::new(
            Code::NotARegularFile,
            format!(
                "{subject} is {}, not a regular file; it was not opened",
                kind.describe()
            ),
        )
        .with_help("a ledger is made of regular files only: a FIFO or a device could block or never end"),
        ReadError::TooLarge { limit } => FileRefusal::new(
            Code::FileTooLarge,
            format!("{subject} is larger than the size limit of {}", describe_size(limit)),
        )
        .with_help("split it into several files joined by `include`, or raise the limit (--max-file-size)"),
        ReadError::Io(error) => FileRefusal::new(Code::IncludeUnreadable, format!("cannot read {subject}: {error}")),
    })
}

/// A file whose text would not fit 32-bit spans once decoded.
pub(super) fn too_large(name: &str, error: ReadError) -> FileRefusal {
    FileRefusal::new(Code::FileTooLarge, format!("`{name}` cannot be read: {error}"))
        .with_help("split it into several files joined by `include`")
}
