//! One analysis of one ledger, kept until the ledger changes: the files as
//! they were read (disk and open documents), the model, the index and the
//! diagnostics. Requests are answered from it without reading anything.
//!
//! The analysis borrows its strings from the loaded files, so the two are
//! kept together in one self-referential cell (`self_cell`): nothing is
//! copied out of the ledger to keep it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lsp_types::Url;
use self_cell::self_cell;

use super::convert;
use super::document::OpenDocument;
use super::overlay::Overlay;
use super::project::LedgerKey;
use crate::fs::FileSystem;
use crate::index::Index;
use crate::loader::{self, LoadError, Loaded};
use crate::source::{FileId, SourceFile};
use crate::{Analysis, AnalysisOptions, Keep};

self_cell!(
    struct Analysed {
        owner: Loaded,
        #[covariant]
        dependent: Analysis,
    }
);

/// Where a file of the snapshot is, for the editor.
pub struct FileEntry {
    /// How the loader met it, every link followed.
    pub canonical: Option<PathBuf>,
    /// The URI diagnostics and locations name it by: the open document's
    /// own when the file is open, so that the editor recognises it.
    pub uri: Option<Url>,
    /// The version of the open document that was read, if it was one.
    pub version: Option<i32>,
}

pub struct LedgerSnapshot {
    analysed: Analysed,
    files: Vec<FileEntry>,
}

impl LedgerSnapshot {
    /// Reads and analyses the ledger `key` as the editor shows it.
    pub fn analyse(
        key: &LedgerKey,
        as_of: NaiveDate,
        documents: &HashMap<Url, OpenDocument>,
    ) -> Result<LedgerSnapshot, LoadError> {
        let overlay = Overlay::new(
            documents
                .values()
                .filter_map(|document| Some((document.canonical.as_deref()?, document.text()))),
        );
        let loaded = match &key.buffer {
            Some(uri) => {
                let text = documents.get(uri).map_or("", OpenDocument::text);
                loader::load_bytes(uri.as_str(), text.as_bytes().to_vec())?
            }
            None => loader::load(&overlay, &key.paths, &key.load_options())?,
        };
        let by_canonical: HashMap<&Path, &OpenDocument> = documents
            .values()
            .filter_map(|document| Some((document.canonical.as_deref()?, document)))
            .collect();
        let files = loaded
            .sources
            .iter()
            .map(|(_, file)| match (&key.buffer, file.path()) {
                (Some(uri), _) => FileEntry {
                    canonical: None,
                    uri: Some(uri.clone()),
                    version: documents.get(uri).map(|document| document.version),
                },
                (None, path) => entry(&overlay, &by_canonical, path, file),
            })
            .collect();
        let options = AnalysisOptions { as_of };
        let analysed = Analysed::new(loaded, |loaded| crate::analyze(loaded, &options, Keep::Index));
        Ok(LedgerSnapshot { analysed, files })
    }

    pub fn loaded(&self) -> &Loaded {
        self.analysed.borrow_owner()
    }

    pub fn analysis(&self) -> &Analysis<'_> {
        self.analysed.borrow_dependent()
    }

    pub fn index(&self) -> &Index<'_> {
        self.analysis()
            .index
            .as_ref()
            .expect("the server always analyses with Keep::Index")
    }

    pub fn source(&self, file: FileId) -> &SourceFile {
        self.loaded().sources.get(file)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &FileEntry)> {
        self.files
            .iter()
            .enumerate()
            .map(|(index, entry)| (FileId(index as u32), entry))
    }

    pub fn uri(&self, file: FileId) -> Option<&Url> {
        self.files.get(file.0 as usize)?.uri.as_ref()
    }

    /// The file of the ledger that the document is, if the ledger reads it.
    pub fn file_of(&self, document: &OpenDocument) -> Option<FileId> {
        self.files()
            .find(|(_, entry)| {
                entry.uri.as_ref() == Some(&document.uri)
                    || (entry.canonical.is_some() && entry.canonical == document.canonical)
            })
            .map(|(file, _)| file)
    }

    /// Whether the file at `canonical` is one of the ledger's.
    pub fn reads(&self, canonical: &Path) -> bool {
        self.files
            .iter()
            .any(|entry| entry.canonical.as_deref() == Some(canonical))
    }
}

fn entry(
    overlay: &Overlay<'_>,
    open: &HashMap<&Path, &OpenDocument>,
    path: Option<&Path>,
    file: &SourceFile,
) -> FileEntry {
    // A file met in a directory but not read has no path; its name is the
    // path it was met at.
    let path = path.map(Path::to_path_buf).or_else(|| {
        let named = PathBuf::from(file.name());
        named.is_absolute().then_some(named)
    });
    let Some(path) = path else {
        return FileEntry {
            canonical: None,
            uri: None,
            version: None,
        };
    };
    let canonical = overlay.canonicalize(&path).ok();
    match canonical.as_deref().and_then(|canonical| open.get(canonical)) {
        Some(document) => FileEntry {
            canonical,
            uri: Some(document.uri.clone()),
            version: Some(document.version),
        },
        None => FileEntry {
            canonical,
            uri: convert::uri_of(&path),
            version: None,
        },
    }
}
