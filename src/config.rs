//! `track2.toml`, the project file: which files form the ledger, the
//! directory nothing is read from outside of, and the day date checks
//! compare with. `grammar/CONFIG.md` specifies it.
//!
//! The file is found by walking up from a starting directory that the caller
//! names (the binary passes the current directory; a language server would
//! pass the directory of the file being edited). Its paths are relative to
//! the file's own directory, not to where the command runs, so one
//! repository checks the same from any of its subdirectories.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use toml::de::{DeTable, DeValue};

use crate::escape;
use crate::suggest;

/// The project file's name.
pub const FILE_NAME: &str = "track2.toml";

/// The largest project file read. It holds three settings; anything much
/// larger is a mistake, and is refused before it is read whole.
pub const MAX_SIZE: u64 = 1 << 20;

/// The keys a project file may have, in the order the specification gives.
pub const KEYS: [&str; 3] = ["paths", "root", "as-of"];

/// The ledger when the file does not say: the directory `ledgers` beside it.
pub const DEFAULT_PATH: &str = "ledgers";

/// A project file, read, with its paths as they are reached from the
/// directory discovery started in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The file itself, for messages.
    pub file: PathBuf,
    /// The files and directories that form the ledger.
    pub paths: Vec<PathBuf>,
    /// The directory nothing outside of is read or written.
    pub root: PathBuf,
    pub as_of: AsOf,
}

/// The day date checks compare with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsOf {
    /// The day the command runs.
    Today,
    /// A fixed day, so that a check's result does not change with the
    /// calendar.
    Day(NaiveDate),
}

#[derive(Debug)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    Unreadable { file: PathBuf, error: io::Error },
    /// The file is larger than [`MAX_SIZE`].
    TooLarge { file: PathBuf },
    /// The file is not UTF-8, which TOML requires.
    NotUtf8 { file: PathBuf },
    /// `root` leads, through a link, above the file's own directory.
    RootOutside { file: PathBuf, root: PathBuf },
    /// The file is not valid TOML, or not a valid project file.
    Invalid {
        file: PathBuf,
        /// 1-based.
        line: usize,
        /// 1-based, in characters.
        column: usize,
        message: String,
        help: Option<String>,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |file: &Path| escape::path(file);
        match self {
            ConfigError::Unreadable { file, error } => write!(formatter, "cannot read `{}`: {error}", name(file)),
            ConfigError::TooLarge { file } => write!(
                formatter,
                "`{}` is larger than {} KiB: a project file holds a few settings",
                name(file),
                MAX_SIZE / 1024
            ),
            ConfigError::NotUtf8 { file } => write!(formatter, "`{}` is not UTF-8 text", name(file)),
            ConfigError::RootOutside { file, root } => write!(
                formatter,
                "`{}`: `root` (`{}`) leads through a link out of the file's directory: \
                 a project file can narrow what is read, never widen it; give --root on the command line",
                name(file),
                name(root)
            ),
            ConfigError::Invalid {
                file,
                line,
                column,
                message,
                help,
            } => {
                write!(formatter, "{}:{line}:{column}: {message}", name(file))?;
                if let Some(help) = help {
                    write!(formatter, "\n  help: {help}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// The nearest project file in `start` or a directory above it, read; `None`
/// when there is none up to the file-system root. Paths in the result are
/// relative to `start` when the file's are relative (`../ledgers` for a file
/// one directory up), so `start` should be absolute for the walk to reach
/// the root, as the current directory is.
///
/// Something named `track2.toml` that is not a regular file (a directory, a
/// pipe) is passed over: reading a pipe would wait for ever.
pub fn discover(start: &Path) -> Result<Option<Config>, ConfigError> {
    let mut reach = PathBuf::new();
    for directory in start.ancestors() {
        let candidate = directory.join(FILE_NAME);
        if fs::metadata(&candidate).is_ok_and(|metadata| metadata.is_file()) {
            let file = reach.join(FILE_NAME);
            let text = read_bounded(&candidate, &file)?;
            let config = parse(&text, &reach)?;
            // `parse` judged `root` by its name; a link committed where it
            // points could still lead above the file's directory.
            let within = |directory: &Path| {
                match (fs::canonicalize(directory), fs::canonicalize(start.join(&config.root))) {
                    (Ok(directory), Ok(root)) => root.starts_with(directory),
                    // A root that does not exist is the loader's to report.
                    _ => true,
                }
            };
            if !within(directory) {
                return Err(ConfigError::RootOutside {
                    file,
                    root: config.root,
                });
            }
            return Ok(Some(config));
        }
        reach.push("..");
    }
    Ok(None)
}

/// Reads at most [`MAX_SIZE`] bytes of `path`; `file` is its name in errors.
fn read_bounded(path: &Path, file: &Path) -> Result<String, ConfigError> {
    let unreadable = |error| ConfigError::Unreadable {
        file: file.to_owned(),
        error,
    };
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|opened| opened.take(MAX_SIZE + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_SIZE {
        return Err(ConfigError::TooLarge { file: file.to_owned() });
    }
    String::from_utf8(bytes).map_err(|_| ConfigError::NotUtf8 { file: file.to_owned() })
}

/// Reads the text of a project file that sits in `directory` (as reached from
/// where discovery started; empty for that directory itself).
pub fn parse(text: &str, directory: &Path) -> Result<Config, ConfigError> {
    let file = directory.join(FILE_NAME);
    let invalid = |span: Range<usize>, message: String, help: Option<String>| {
        let (line, column) = line_and_column(text, span.start);
        ConfigError::Invalid {
            file: file.clone(),
            line,
            column,
            message,
            help,
        }
    };
    let table = DeTable::parse(text).map_err(|error| {
        let message = error.message().trim_end().to_owned();
        invalid(error.span().unwrap_or(0..0), message, None)
    })?;
    // The table is sorted by key; problems are reported in the file's order.
    let mut entries: Vec<_> = table.get_ref().iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);

    let mut paths = None;
    let mut root = None;
    let mut as_of = AsOf::Today;
    for (key, value) in entries {
        let span = value.span();
        match key.get_ref().as_ref() {
            "paths" => {
                let DeValue::Array(items) = value.get_ref() else {
                    return Err(invalid(
                        span,
                        "`paths` must be a list".into(),
                        Some(PATHS_EXAMPLE.into()),
                    ));
                };
                if items.is_empty() {
                    let message = "`paths` is empty: name at least one file or directory".into();
                    return Err(invalid(span, message, Some(PATHS_EXAMPLE.into())));
                }
                let mut found = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(path) if !path.is_empty() => found.push((path.to_string(), item.span())),
                        _ => {
                            let message = "each item of `paths` is a file or directory name, as a string".into();
                            return Err(invalid(item.span(), message, Some(PATHS_EXAMPLE.into())));
                        }
                    }
                }
                paths = Some(found);
            }
            "root" => match value.get_ref() {
                DeValue::String(path) if !path.is_empty() => root = Some((path.to_string(), span)),
                _ => {
                    let message = "`root` is a directory name, as a string".into();
                    return Err(invalid(span, message, Some("for example: root = \".\"".into())));
                }
            },
            "as-of" => as_of = read_as_of(value.get_ref()).map_err(|(message, help)| invalid(span, message, help))?,
            other => {
                let message = format!("unknown key `{}` in {FILE_NAME}", escape::text(other));
                let help = suggest::did_you_mean(other, KEYS)
                    .unwrap_or_else(|| "the keys are `paths`, `root` and `as-of`".to_owned());
                return Err(invalid(key.span(), message, Some(help)));
            }
        }
    }

    // The project file comes with the ledger, from whoever wrote the pull
    // request: it may narrow what is read, never widen it. A root above the
    // file's own directory (`..`, `/`) would let an include reach the
    // runner's files; reading above it takes `--root` on the command line.
    if let Some((path, span)) = &root {
        if Path::new(path).has_root() || !is_within(Path::new("."), Path::new(path)) {
            let message = format!(
                "`root` is `{}`, which is not this file's directory or one below it",
                escape::text(path)
            );
            let help = "a project file can narrow what is read, never widen it: to read files above \
                        this directory, give --root on the command line";
            return Err(invalid(span.clone(), message, Some(help.into())));
        }
    }
    let root = root.map_or_else(|| ".".to_owned(), |(path, _)| path);
    let paths = paths.unwrap_or_else(|| vec![(DEFAULT_PATH.to_owned(), 0..0)]);
    for (path, span) in &paths {
        if !is_within(Path::new(&root), Path::new(path)) {
            let message = format!(
                "`{}` is outside the root `{}`: nothing outside it is read",
                escape::text(path),
                escape::text(&root)
            );
            let help = "move the ledger under the root, or set `root` to a directory that holds it";
            return Err(invalid(span.clone(), message, Some(help.into())));
        }
    }
    Ok(Config {
        paths: paths
            .iter()
            .map(|(path, _)| reached(directory, Path::new(path)))
            .collect(),
        root: reached(directory, Path::new(&root)),
        as_of,
        file,
    })
}

const PATHS_EXAMPLE: &str = "for example: paths = [\"ledgers\", \"archive/2024.track2\"]";

/// `as-of`: `"today"`, a day as a string, or a day as a TOML local date.
fn read_as_of(value: &DeValue<'_>) -> Result<AsOf, (String, Option<String>)> {
    let expected = || "`as-of` is \"today\" or a day, such as \"2026-01-01\"".to_owned();
    match value {
        DeValue::String(text) if text == "today" => Ok(AsOf::Today),
        DeValue::String(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            // chrono takes a year of any width; the ledger's days have four digits.
            Ok(day) if text.len() == 10 => Ok(AsOf::Day(day)),
            _ => Err((expected(), suggest::did_you_mean(text, ["today"]))),
        },
        DeValue::Datetime(datetime) => match (datetime.date, datetime.time, datetime.offset) {
            (Some(date), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(date.year), u32::from(date.month), u32::from(date.day))
                    .map(AsOf::Day)
                    .ok_or_else(|| (expected(), None))
            }
            _ => Err((
                expected(),
                Some("a day has no time of day: as-of = 2026-01-01".to_owned()),
            )),
        },
        _ => Err((expected(), None)),
    }
}

/// `path` as reached from where discovery started: `directory` joined with
/// it, without `.` components, and `.` rather than nothing.
fn reached(directory: &Path, path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in directory.join(path).components() {
        if component != Component::CurDir {
            out.push(component);
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// Whether `path` lies in `root`, judged from the names alone (both relative
/// to one directory). Links are the loader's to judge when it reads; this
/// catches the plain mistake where the file can point at it. A relative path
/// and an absolute one cannot be compared by name, and pass.
fn is_within(root: &Path, path: &Path) -> bool {
    if root.is_absolute() != path.is_absolute() {
        return true;
    }
    // Both are put below a stand-in for the directory they are relative to,
    // deeper than all their `..` together can climb, so that `..` cancels a
    // name in every case; the stand-in's names hold a NUL, which no real
    // name can.
    let climbs = root
        .components()
        .chain(path.components())
        .filter(|component| *component == Component::ParentDir)
        .count();
    let base: PathBuf = (0..=climbs).map(|level| format!("\0{level}")).collect();
    let (root, path) = (base.join(root), base.join(path));
    lexical(&path).starts_with(&lexical(&root))
}

/// The components of `path` with `.` dropped and `name/..` cancelled.
fn lexical(path: &Path) -> Vec<Component<'_>> {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                // Above the file-system root is the root.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => parts.push(component),
            },
            other => parts.push(other),
        }
    }
    parts
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let line = before.matches('\n').count() + 1;
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn parsed(text: &str) -> Config {
        parse(text, Path::new("")).unwrap()
    }

    /// The error's place and text, as the user sees them.
    fn error(text: &str) -> String {
        parse(text, Path::new("")).unwrap_err().to_string()
    }

    #[test]
    fn an_empty_file_means_the_defaults() {
        let config = parsed("# nothing set\n");
        assert_eq!(config.paths, [PathBuf::from("ledgers")]);
        assert_eq!(config.root, PathBuf::from("."));
        assert_eq!(config.as_of, AsOf::Today);
        assert_eq!(config.file, PathBuf::from("track2.toml"));
    }

    #[test]
    fn every_key_is_read() {
        let config = parsed("paths = [\"ledgers\", \"./extra/a.track2\"]\nroot = \".\"\nas-of = \"2026-01-01\"\n");
        assert_eq!(
            config.paths,
            [PathBuf::from("ledgers"), PathBuf::from("extra/a.track2")]
        );
        assert_eq!(config.as_of, AsOf::Day(day("2026-01-01")));
        assert_eq!(parsed("as-of = 2026-01-01").as_of, AsOf::Day(day("2026-01-01")));
        assert_eq!(parsed("as-of = \"today\"").as_of, AsOf::Today);
    }

    #[test]
    fn paths_are_relative_to_the_file_not_to_the_start() {
        let config = parse("paths = [\"ledgers\"]\nroot = \".\"\n", Path::new("../..")).unwrap();
        assert_eq!(config.paths, [PathBuf::from("../../ledgers")]);
        assert_eq!(config.root, PathBuf::from("../.."));
        assert_eq!(config.file, PathBuf::from("../../track2.toml"));
        let config = parse("root = \"records\"\npaths = [\"records/2025\"]\n", Path::new("..")).unwrap();
        assert_eq!(config.paths, [PathBuf::from("../records/2025")]);
        assert_eq!(config.root, PathBuf::from("../records"));
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line_and_the_nearest_key() {
        assert_eq!(
            error("root = \".\"\npahts = [\"ledgers\"]\n"),
            "track2.toml:2:1: unknown key `pahts` in track2.toml\n  help: did you mean `paths`?"
        );
        assert_eq!(
            error("[ledger]\nfiles = 1\n"),
            "track2.toml:1:2: unknown key `ledger` in track2.toml\n  help: the keys are `paths`, `root` and `as-of`"
        );
        assert_eq!(
            error("as_of = \"today\""),
            "track2.toml:1:1: unknown key `as_of` in track2.toml\n  help: did you mean `as-of`?"
        );
    }

    #[test]
    fn the_first_problem_in_the_file_is_reported() {
        // `zzz` sorts after `aaa`, but comes first in the file.
        assert!(error("zzz = 1\naaa = 2\n").starts_with("track2.toml:1:1: unknown key `zzz`"));
    }

    #[test]
    fn values_of_the_wrong_kind_are_refused_where_they_are() {
        assert!(error("paths = \"ledgers\"").starts_with("track2.toml:1:9: `paths` must be a list"));
        assert!(error("paths = []").starts_with("track2.toml:1:9: `paths` is empty"));
        assert!(error("paths = [\"a\", 3]").starts_with("track2.toml:1:15: each item of `paths`"));
        assert!(error("paths = [\"\"]").starts_with("track2.toml:1:10: each item of `paths`"));
        assert!(error("root = 1").starts_with("track2.toml:1:8: `root` is a directory name"));
        assert!(error("as-of = \"tomorrow\"").starts_with("track2.toml:1:9: `as-of` is \"today\" or a day"));
        assert!(error("as-of = \"tody\"").ends_with("help: did you mean `today`?"));
        assert!(error("as-of = \"2026-02-30\"").contains("`as-of` is"));
        assert!(error("as-of = \"26-01-01\"").contains("`as-of` is"));
        assert!(error("as-of = 2026-01-01T10:00:00").contains("no time of day"));
    }

    #[test]
    fn toml_syntax_errors_keep_their_place() {
        let message = error("paths = [\"ledgers\"\nroot = \".\"\n");
        assert!(message.starts_with("track2.toml:"), "{message}");
        let message = error("paths = 1\npaths = 2\n");
        assert!(message.starts_with("track2.toml:2:"), "{message}");
    }

    #[test]
    fn paths_outside_the_root_are_refused() {
        assert_eq!(
            error("paths = [\"ledgers\", \"../elsewhere\"]\n"),
            "track2.toml:1:21: `../elsewhere` is outside the root `.`: nothing outside it is read\n  \
             help: move the ledger under the root, or set `root` to a directory that holds it"
        );
        assert!(parse("paths = [\"a/../b\", \"x/../y\"]\nroot = \"a/..\"", Path::new("")).is_ok());
        assert!(error("paths = [\"a/../../b\"]").contains("outside the root"));
        assert!(error("root = \"sub\"").contains("`ledgers` is outside the root `sub`"));
    }

    #[test]
    fn a_root_above_the_file_is_refused() {
        for root in ["..", "/", "a/../..", "/etc"] {
            let message = error(&format!("root = \"{root}\"\npaths = [\"/\"]\n"));
            assert!(message.starts_with("track2.toml:1:8: `root` is"), "{root}: {message}");
        }
        assert!(parse("root = \"sub\"\npaths = [\"sub/l\"]", Path::new("")).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn discovery_refuses_a_root_that_links_above_the_file() {
        let top = tempfile::tempdir().unwrap();
        let project = top.path().join("project");
        fs::create_dir_all(project.join("ledgers")).unwrap();
        std::os::unix::fs::symlink("..", project.join("up")).unwrap();
        fs::write(
            project.join(FILE_NAME),
            "root = \"up\"\npaths = [\"up/project/ledgers\"]\n",
        )
        .unwrap();
        assert!(matches!(discover(&project), Err(ConfigError::RootOutside { .. })));
        fs::write(project.join(FILE_NAME), "root = \"ledgers\"\n").unwrap();
        assert!(discover(&project).is_ok());
    }

    #[test]
    fn keys_and_values_quoted_in_messages_cannot_drive_a_terminal() {
        let message = error("\"pa\\u001b[31mths\" = 1");
        assert!(message.contains("`pa\\x1b[31mths`"), "{message}");
        assert!(!message.contains('\u{1b}'));
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_and_column("ab\nԱբc", 7), (2, 3));
        assert_eq!(line_and_column("ab", 99), (1, 3));
    }

    #[test]
    fn discovery_walks_up_to_the_nearest_file() {
        let top = tempfile::tempdir().unwrap();
        let inner = top.path().join("a/b");
        fs::create_dir_all(&inner).unwrap();
        fs::write(top.path().join(FILE_NAME), "paths = [\"records\"]\n").unwrap();
        let config = discover(&inner).unwrap().unwrap();
        assert_eq!(config.paths, [PathBuf::from("../../records")]);
        assert_eq!(config.file, PathBuf::from("../../track2.toml"));

        // A nearer file wins; a directory of that name is passed over.
        fs::write(top.path().join("a").join(FILE_NAME), "as-of = \"2026-01-01\"\n").unwrap();
        fs::create_dir(inner.join(FILE_NAME)).unwrap();
        let config = discover(&inner).unwrap().unwrap();
        assert_eq!(config.paths, [PathBuf::from("../ledgers")]);
        assert_eq!(config.as_of, AsOf::Day(day("2026-01-01")));
    }

    #[test]
    fn discovery_without_a_file_finds_nothing() {
        let top = tempfile::tempdir().unwrap();
        // A temporary directory may sit below a stray track2.toml on some
        // machine; only a result from inside it would be wrong.
        if let Some(config) = discover(top.path()).unwrap() {
            assert!(config.file.starts_with(".."));
        }
    }

    #[test]
    fn discovery_refuses_a_large_or_binary_file() {
        let top = tempfile::tempdir().unwrap();
        let path = top.path().join(FILE_NAME);
        fs::write(&path, vec![b'#'; MAX_SIZE as usize + 1]).unwrap();
        assert!(matches!(discover(top.path()), Err(ConfigError::TooLarge { .. })));
        fs::write(&path, b"root = \"\xff\"").unwrap();
        assert!(matches!(discover(top.path()), Err(ConfigError::NotUtf8 { .. })));
    }
}
