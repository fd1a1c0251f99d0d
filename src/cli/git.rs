//! The commit a ledger is at, for the header of an HTML report: found by
//! reading `.git/HEAD` and the ref it names, upward from the ledger's
//! directory. No `git` process is spawned (it may not be installed, and a
//! report must not depend on one), and every read is bounded, since a
//! repository's files are as untrusted as the ledger.
//!
//! Uncommitted changes are not detected: the commit says which history the
//! ledger comes from, not that the file is exactly as committed.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How much of `HEAD`, a ref or a `.git` file is read: far more than any holds.
const SMALL_FILE: u64 = 4 * 1024;
/// How much of `packed-refs` is read.
const PACKED_REFS: u64 = 4 * 1024 * 1024;
/// How many directories up from the ledger are searched.
const MAX_DEPTH: usize = 64;

/// The full hash of the commit checked out in the repository holding
/// `path`, if it is in one and the commit can be read.
pub fn commit_of(path: &Path) -> Option<String> {
    let start = std::fs::canonicalize(path).ok()?;
    let start = if start.is_dir() {
        start
    } else {
        start.parent()?.to_path_buf()
    };
    let directory = start
        .ancestors()
        .take(MAX_DEPTH)
        .find(|dir| dir.join(".git").exists())?;
    let git_dir = git_dir(&directory.join(".git"))?;
    let head = read_bounded(&git_dir.join("HEAD"), SMALL_FILE)?;
    let head = head.trim();
    match head.strip_prefix("ref:") {
        None => hash(head),
        Some(reference) => resolve(&git_dir, reference.trim()),
    }
}

/// The repository directory: `.git` itself, or where a worktree's or a
/// submodule's `.git` file points (`gitdir: …`).
fn git_dir(dot_git: &Path) -> Option<PathBuf> {
    if dot_git.is_dir() {
        return Some(dot_git.to_path_buf());
    }
    let text = read_bounded(dot_git, SMALL_FILE)?;
    let target = text.trim().strip_prefix("gitdir:")?.trim();
    let target = Path::new(target);
    Some(if target.is_absolute() {
        target.to_path_buf()
    } else {
        dot_git.parent()?.join(target)
    })
}

/// A ref's commit: a loose ref in the worktree's or the common directory,
/// else a line of `packed-refs`.
fn resolve(git_dir: &Path, reference: &str) -> Option<String> {
    let safe = reference.starts_with("refs/")
        && !reference
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        && !reference.contains('\\');
    if !safe {
        return None;
    }
    let common = match read_bounded(&git_dir.join("commondir"), SMALL_FILE) {
        Some(text) => git_dir.join(text.trim()),
        None => git_dir.to_path_buf(),
    };
    for base in [git_dir, common.as_path()] {
        if let Some(text) = read_bounded(&base.join(reference), SMALL_FILE) {
            return hash(text.trim());
        }
    }
    let packed = read_bounded(&common.join("packed-refs"), PACKED_REFS)?;
    packed.lines().find_map(|line| {
        let (hash_text, name) = line.split_once(' ')?;
        (name.trim() == reference).then(|| hash(hash_text)).flatten()
    })
}

/// `text` if it is a SHA-1 or SHA-256 object name.
fn hash(text: &str) -> Option<String> {
    let valid = matches!(text.len(), 40 | 64) && text.bytes().all(|byte| byte.is_ascii_hexdigit());
    valid.then(|| text.to_ascii_lowercase())
}

fn read_bounded(path: &Path, limit: u64) -> Option<String> {
    let mut text = String::new();
    File::open(path).ok()?.take(limit).read_to_string(&mut text).ok()?;
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

    fn repository() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join(".git/refs/heads")).unwrap();
        std::fs::create_dir_all(root.path().join("ledgers")).unwrap();
        std::fs::write(root.path().join("ledgers/a.track2"), "").unwrap();
        root
    }

    #[test]
    fn a_branch_is_followed_to_its_commit() {
        let root = repository();
        std::fs::write(root.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(root.path().join(".git/refs/heads/main"), format!("{COMMIT}\n")).unwrap();
        assert_eq!(
            commit_of(&root.path().join("ledgers/a.track2")).as_deref(),
            Some(COMMIT)
        );
        assert_eq!(commit_of(&root.path().join("ledgers")).as_deref(), Some(COMMIT));
    }

    #[test]
    fn packed_refs_and_detached_heads_are_read() {
        let root = repository();
        std::fs::write(root.path().join(".git/HEAD"), "ref: refs/heads/packed\n").unwrap();
        std::fs::write(
            root.path().join(".git/packed-refs"),
            format!("# pack-refs with: peeled\n{COMMIT} refs/heads/packed\n"),
        )
        .unwrap();
        assert_eq!(commit_of(root.path()).as_deref(), Some(COMMIT));
        std::fs::write(root.path().join(".git/HEAD"), format!("{COMMIT}\n")).unwrap();
        assert_eq!(commit_of(root.path()).as_deref(), Some(COMMIT));
    }

    #[test]
    fn a_worktree_file_points_at_its_git_directory() {
        let root = repository();
        let worktree = root.path().join(".git/worktrees/w");
        std::fs::create_dir_all(&worktree).unwrap();
        std::fs::write(worktree.join("HEAD"), "ref: refs/heads/w\n").unwrap();
        std::fs::write(worktree.join("commondir"), "../..\n").unwrap();
        std::fs::write(root.path().join(".git/refs/heads/w"), format!("{COMMIT}\n")).unwrap();
        let checkout = root.path().join("checkout");
        std::fs::create_dir_all(&checkout).unwrap();
        std::fs::write(checkout.join(".git"), format!("gitdir: {}\n", worktree.display())).unwrap();
        assert_eq!(commit_of(&checkout).as_deref(), Some(COMMIT));
    }

    #[test]
    fn nothing_is_made_up() {
        let root = repository();
        std::fs::write(root.path().join(".git/HEAD"), "ref: refs/heads/../../../etc/passwd\n").unwrap();
        assert_eq!(commit_of(root.path()), None);
        std::fs::write(root.path().join(".git/HEAD"), "not a hash\n").unwrap();
        assert_eq!(commit_of(root.path()), None);
        std::fs::write(root.path().join(".git/HEAD"), "ref: refs/heads/missing\n").unwrap();
        assert_eq!(commit_of(root.path()), None);
    }
}
