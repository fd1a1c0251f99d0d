//! The file system as the editor sees it: the text of every open document
//! laid over the disk, so that the ledger is checked as it is on screen,
//! unsaved includes and declarations in other open files included.
//!
//! Everything but an open document's text comes from [`Disk`], with all of
//! its defences: only regular files, bounded reads, links resolved by the
//! operating system. A document is found by its canonical path, which is
//! what the loader reads by; one that exists only in the editor (a new
//! file not yet saved) is found by its path as written.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use super::convert;
use crate::fs::{DirEntry, Disk, FileKind, FileSystem, Metadata, ReadError};

pub struct Overlay<'d> {
    /// Each open document's text, by canonical path.
    buffers: HashMap<&'d Path, &'d str>,
}

impl<'d> Overlay<'d> {
    pub fn new(buffers: impl IntoIterator<Item = (&'d Path, &'d str)>) -> Overlay<'d> {
        Overlay {
            buffers: buffers.into_iter().collect(),
        }
    }

    /// The open document at `path`, if there is one.
    fn buffer(&self, path: &Path) -> Option<&'d str> {
        if self.buffers.is_empty() {
            return None;
        }
        if let Some(text) = self.buffers.get(convert::lexical(path).as_path()) {
            return Some(text);
        }
        let canonical = Disk.canonicalize(path).ok()?;
        self.buffers.get(canonical.as_path()).copied()
    }
}

impl FileSystem for Overlay<'_> {
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        match Disk.canonicalize(path) {
            Err(error) if error.kind() == io::ErrorKind::NotFound && path.is_absolute() => {
                let written = convert::lexical(path);
                if self.buffers.contains_key(written.as_path()) {
                    Ok(written)
                } else {
                    Err(error)
                }
            }
            result => result,
        }
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        match self.buffer(path) {
            Some(text) => Ok(Metadata {
                kind: FileKind::File,
                len: text.len() as u64,
            }),
            None => Disk.metadata(path),
        }
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let mut entries = Disk.read_dir(path)?;
        // A new file not yet saved belongs to its directory already.
        if let Ok(directory) = Disk.canonicalize(path) {
            for buffer in self.buffers.keys() {
                let unsaved = buffer.parent() == Some(directory.as_path())
                    && !entries.iter().any(|entry| entry.path.file_name() == buffer.file_name());
                if unsaved && Disk.metadata(buffer).is_err() {
                    if let Some(name) = buffer.file_name() {
                        entries.push(DirEntry {
                            path: path.join(name),
                            kind: FileKind::File,
                        });
                    }
                }
            }
        }
        Ok(entries)
    }

    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        match self.buffer(path) {
            Some(text) if text.len() as u64 > limit => Err(ReadError::TooLarge { limit }),
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => Disk.read(path, limit),
        }
    }

    fn read_stream(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        Disk.read_stream(path, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{self, LoadOptions};

    #[test]
    fn open_documents_replace_the_disk_and_unsaved_files_join_their_directory() {
        let directory = tempfile::tempdir().unwrap();
        let root = directory.path().canonicalize().unwrap();
        std::fs::write(root.join("a.track2"), "include \"b.track2\"\nparty AM Armenia\n").unwrap();
        std::fs::write(root.join("b.track2"), "party AZ Azerbaijan\n").unwrap();
        let edited = root.join("b.track2");
        let unsaved = root.join("c.track2");
        let overlay = Overlay::new([
            (edited.as_path(), "party AZ Azərbaycan\n"),
            (unsaved.as_path(), "party GE Georgia\n"),
        ]);
        let loaded = loader::load(&overlay, std::slice::from_ref(&root), &LoadOptions::default()).unwrap();
        let texts: Vec<&str> = loaded.sources.iter().map(|(_, file)| file.text()).collect();
        assert_eq!(
            texts,
            [
                "include \"b.track2\"\nparty AM Armenia\n",
                "party AZ Azərbaycan\n",
                "party GE Georgia\n"
            ]
        );
        assert!(loaded.diagnostics.is_empty());
        // A buffer larger than the limit is refused like a file.
        assert!(matches!(
            overlay.read(&edited, 4),
            Err(ReadError::TooLarge { limit: 4 })
        ));
    }
}
