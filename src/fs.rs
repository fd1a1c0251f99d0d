//! The file system, as the loader sees it: the one place the library reads
//! from disk.
//!
//! The loader asks through [`FileSystem`], so that another view of the files
//! can stand in for the disk: a language server lays an editor's unsaved
//! buffers over it, `track2 diff` reads a git revision as a [`Snapshot`],
//! and tests can build any tree they like. [`Disk`] is the real thing.
//!
//! A ledger may come from a stranger's pull request, so every read here is
//! defensive: only a regular file is opened (a FIFO would block forever, a
//! device would never end), it is opened without blocking and checked again
//! once open (so that a swap between the check and the open is caught), and
//! no more than a given number of bytes is read from it, even if it grows.
//! Whether a path lies inside the ledger's root is the loader's rule, not
//! this module's.

mod snapshot;

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

pub use snapshot::{Blobs, MAX_LINKS, Snapshot, TreeError};

/// What a path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    File,
    Directory,
    /// Only seen when links are not followed ([`FileSystem::read_dir`]).
    Symlink,
    Fifo,
    Socket,
    CharDevice,
    BlockDevice,
    Unknown,
}

impl FileKind {
    fn of(file_type: std::fs::FileType) -> FileKind {
        if file_type.is_file() {
            return FileKind::File;
        }
        if file_type.is_dir() {
            return FileKind::Directory;
        }
        if file_type.is_symlink() {
            return FileKind::Symlink;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return FileKind::Fifo;
            }
            if file_type.is_socket() {
                return FileKind::Socket;
            }
            if file_type.is_char_device() {
                return FileKind::CharDevice;
            }
            if file_type.is_block_device() {
                return FileKind::BlockDevice;
            }
        }
        FileKind::Unknown
    }

    /// What the path is, for a message: "a directory", "a named pipe (FIFO)".
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::File => "a regular file",
            FileKind::Directory => "a directory",
            FileKind::Symlink => "a symbolic link",
            FileKind::Fifo => "a named pipe (FIFO)",
            FileKind::Socket => "a socket",
            FileKind::CharDevice => "a character device",
            FileKind::BlockDevice => "a block device",
            FileKind::Unknown => "an entry of another kind (such as a git submodule)",
        }
    }
}

/// What is at a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metadata {
    pub kind: FileKind,
    /// The size in bytes (meaningful for a regular file only).
    pub len: u64,
}

/// One entry of a directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    /// The directory's path joined with the entry's name.
    pub path: PathBuf,
    /// What the entry itself is: a link is [`FileKind::Symlink`], not followed.
    pub kind: FileKind,
}

/// Why a file's bytes were not read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    /// The path is not a regular file; it was not opened for reading, or was
    /// closed unread when it turned out not to be one once open.
    NotARegularFile(FileKind),
    /// The file holds more than `limit` bytes; at most `limit + 1` were read.
    TooLarge {
        limit: u64,
    },
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> ReadError {
        ReadError::Io(error)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(error) => write!(formatter, "{error}"),
            ReadError::NotARegularFile(kind) => write!(formatter, "it is {}, not a regular file", kind.describe()),
            ReadError::TooLarge { limit } => {
                write!(
                    formatter,
                    "it is larger than the size limit of {}",
                    describe_size(*limit)
                )
            }
        }
    }
}

/// `1 GiB`, `512 MiB`, `1000 bytes`: a size as a limit is usually given.
pub fn describe_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit && bytes % unit == 0 {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} bytes")
}

/// The file system as the loader reads it. `Sync`, so that one view can be
/// shared by the threads of a language server.
pub trait FileSystem: Sync {
    /// The absolute path with every link followed and every `.` and `..`
    /// resolved, like `std::fs::canonicalize`.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;

    /// What is at `path`, links followed.
    fn metadata(&self, path: &Path) -> io::Result<Metadata>;

    /// The entries of a directory, in no particular order, each with its
    /// kind as it is, links not followed.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>>;

    /// The bytes of a regular file, links followed, refusing anything that
    /// is not one without reading from it, and refusing a file of more than
    /// `limit` bytes.
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError>;

    /// The bytes of a pipe, terminal or file that the person running track2
    /// named (`/dev/stdin`, `<(…)`), read once to its end, at most `limit`
    /// bytes. Unlike [`FileSystem::read`], this waits for a pipe's writer,
    /// as `cat` does. A directory is refused.
    fn read_stream(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError>;
}

/// The real file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct Disk;

impl FileSystem for Disk {
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        let metadata = std::fs::metadata(path)?;
        Ok(Metadata {
            kind: FileKind::of(metadata.file_type()),
            len: metadata.len(),
        })
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        std::fs::read_dir(path)?
            .map(|entry| {
                let entry = entry?;
                Ok(DirEntry {
                    path: entry.path(),
                    kind: FileKind::of(entry.file_type()?),
                })
            })
            .collect()
    }

    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        // The type first: opening a FIFO for reading blocks until a writer
        // comes, and a device may never end.
        let before = self.metadata(path)?;
        if before.kind != FileKind::File {
            return Err(ReadError::NotARegularFile(before.kind));
        }
        if before.len > limit {
            return Err(ReadError::TooLarge { limit });
        }
        // Without blocking, so that a FIFO swapped in since the check cannot
        // hold the open; then the open handle is checked again, which no
        // later swap can change.
        let file = open_for_reading(path, true)?;
        let opened = file.metadata()?;
        let kind = FileKind::of(opened.file_type());
        if kind != FileKind::File {
            return Err(ReadError::NotARegularFile(kind));
        }
        if opened.len() > limit {
            return Err(ReadError::TooLarge { limit });
        }
        read_regular(file, opened.len(), limit)
    }

    fn read_stream(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let file = open_for_reading(path, false)?;
        let opened = file.metadata()?;
        if opened.is_dir() {
            return Err(ReadError::NotARegularFile(FileKind::Directory));
        }
        // A pipe's length means nothing; a redirected file's is a good guess.
        let expected = if opened.is_file() { opened.len() } else { 64 << 10 };
        read_at_most(file, limit, expected)
    }
}

/// Opens `path` read-only; with `nonblocking`, a FIFO or device does not
/// hold the open. `O_NOCTTY`: a terminal opened here never becomes the
/// process's controlling terminal.
fn open_for_reading(path: &Path, nonblocking: bool) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = libc::O_NOCTTY;
        if nonblocking {
            flags |= libc::O_NONBLOCK;
        }
        options.custom_flags(flags);
    }
    #[cfg(not(unix))]
    let _ = nonblocking;
    options.open(path)
}

/// Files from this size up are read by several threads, each into its own
/// part of the buffer. Most of what reading into fresh memory costs is the
/// kernel clearing and mapping a page for every 4 KiB; a memory map of the
/// page cache had no such cost, and this shares it among the cores
/// (BENCHMARKS.md has the figures).
const PARALLEL_READ_FROM: u64 = 8 << 20;

/// The `size` bytes of a regular file (no more than `limit`), then whatever
/// it grew by meanwhile, up to the limit.
#[cfg(unix)]
fn read_regular(mut file: std::fs::File, size: u64, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::{Seek, SeekFrom};
    use std::os::unix::fs::FileExt;
    // The size first: asking how many cores there are reads cgroup files,
    // which would cost more than reading a small file.
    if size < PARALLEL_READ_FROM {
        return read_at_most(file, limit, size);
    }
    let threads = crate::parallel::threads();
    if threads < 2 {
        return read_at_most(file, limit, size);
    }
    let size = usize::try_from(size).map_err(|_| ReadError::TooLarge { limit })?;
    // Zeroed memory from the allocator is fresh pages, not a pass of writes.
    let mut bytes = vec![0; size];
    advise_huge_pages(&mut bytes);
    let piece = size.div_ceil(threads);
    std::thread::scope(|scope| {
        let file = &file;
        let readers: Vec<_> = bytes
            .chunks_mut(piece)
            .enumerate()
            .map(|(index, part)| scope.spawn(move || file.read_exact_at(part, (index * piece) as u64)))
            .collect();
        readers
            .into_iter()
            .try_for_each(|reader| reader.join().expect("a reading thread does not panic"))
    })?;
    // A file that grew since its size was taken: the rest, to the limit.
    file.seek(SeekFrom::Start(size as u64))?;
    let room = limit.saturating_sub(size as u64).saturating_add(1);
    file.take(room).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Asks the kernel to back `buffer`, not yet touched, with 2 MiB pages
/// where it can: a page fault, each clearing and mapping fresh memory, then
/// comes once per 2 MiB instead of once per 4 KiB, which was most of what
/// reading a large file cost beyond the copy (BENCHMARKS.md, "Reading into
/// owned memory"). Advice only: where the kernel has no such pages, or
/// declines, nothing changes.
#[cfg(target_os = "linux")]
fn advise_huge_pages(buffer: &mut [u8]) {
    const HUGE_PAGE: usize = 2 << 20;
    let start = buffer.as_mut_ptr() as usize;
    let first = start.next_multiple_of(HUGE_PAGE);
    let end = (start + buffer.len()) / HUGE_PAGE * HUGE_PAGE;
    if first < end {
        // SAFETY: the range lies within `buffer`, which this function
        // borrows mutably; `MADV_HUGEPAGE` changes how its pages are backed,
        // never what they hold.
        unsafe {
            libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
fn advise_huge_pages(_buffer: &mut [u8]) {}

#[cfg(not(unix))]
fn read_regular(file: std::fs::File, size: u64, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_at_most(file, limit, size)
}

/// Reads to the end, but never more than `limit + 1` bytes: one more than
/// allowed is how a file that grew past the limit while being read is told
/// from one that ends exactly at it.
fn read_at_most(file: impl Read, limit: u64, expected: u64) -> Result<Vec<u8>, ReadError> {
    let capacity = expected.min(limit).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(usize::MAX));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_described_in_binary_units() {
        assert_eq!(describe_size(1 << 30), "1 GiB");
        assert_eq!(describe_size(512 << 20), "512 MiB");
        assert_eq!(describe_size(1000), "1000 bytes");
    }

    #[test]
    fn reads_a_regular_file_within_the_limit() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("a.track2");
        std::fs::write(&path, "party AM Armenia\n").unwrap();
        assert_eq!(Disk.read(&path, 17).unwrap(), b"party AM Armenia\n");
        assert!(matches!(Disk.read(&path, 16), Err(ReadError::TooLarge { limit: 16 })));
    }

    #[test]
    fn a_directory_is_not_read() {
        let directory = tempfile::tempdir().unwrap();
        assert!(matches!(
            Disk.read(directory.path(), 1 << 20),
            Err(ReadError::NotARegularFile(FileKind::Directory))
        ));
        assert!(matches!(
            Disk.read_stream(directory.path(), 1 << 20),
            Err(ReadError::NotARegularFile(FileKind::Directory))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_not_read_and_a_stream_stops_at_the_limit() {
        let zero = Path::new("/dev/zero");
        if !zero.exists() {
            return;
        }
        assert!(matches!(
            Disk.read(zero, 1 << 20),
            Err(ReadError::NotARegularFile(FileKind::CharDevice))
        ));
        assert!(matches!(
            Disk.read_stream(zero, 1000),
            Err(ReadError::TooLarge { limit: 1000 })
        ));
    }

    #[test]
    fn a_large_file_read_in_parts_is_read_whole() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("large.track2");
        let text: Vec<u8> = (0..PARALLEL_READ_FROM + 12_345)
            .map(|index| (index % 251) as u8)
            .collect();
        std::fs::write(&path, &text).unwrap();
        assert_eq!(Disk.read(&path, 1 << 30).unwrap(), text);
        assert!(matches!(
            Disk.read(&path, PARALLEL_READ_FROM),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_growing_reader_stops_one_byte_past_the_limit() {
        let endless = std::io::repeat(b'x');
        assert!(matches!(
            read_at_most(endless, 10, 0),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert_eq!(read_at_most(&b"0123456789"[..], 10, 10).unwrap().len(), 10);
    }

    #[test]
    fn directory_entries_are_not_followed() {
        let directory = tempfile::tempdir().unwrap();
        std::fs::write(directory.path().join("a.track2"), "").unwrap();
        std::fs::create_dir(directory.path().join("sub")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("sub", directory.path().join("link")).unwrap();
        let mut entries = Disk.read_dir(directory.path()).unwrap();
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        let kinds: Vec<FileKind> = entries.iter().map(|entry| entry.kind).collect();
        #[cfg(unix)]
        assert_eq!(kinds, [FileKind::File, FileKind::Symlink, FileKind::Directory]);
        #[cfg(not(unix))]
        assert_eq!(kinds, [FileKind::File, FileKind::Directory]);
    }
}
