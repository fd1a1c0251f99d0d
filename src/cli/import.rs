//! `track2 import`: reads the ledger, the rules and the sheet; has the
//! library make the records and check them together with the ledger; then
//! prints every problem at its cell, or writes the records (to standard
//! output, or appended to a file of the ledger) and a summary.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::output::{self, plural};
use super::{LedgerArgs, Outcome, Terminal};
use track2::diagnostic::Severity;
use track2::fs::{FileSystem, ReadError};
use track2::import::directory::Directory;
use track2::import::problem::{Problem, ProblemPlace, column_letters, escape, quote};
use track2::import::rules;
use track2::import::source::{self, ReadOptions};
use track2::import::{self as importer, Import, Summary};
use track2::render::{human::HumanRenderer, json};
use track2::{AnalysisOptions, Disk, Tally, loader};

#[derive(Args)]
pub struct ImportArgs {
    /// The spreadsheet: CSV (any delimiter, UTF-8 or UTF-16), XLSX, XLS or ODS.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    ledger: LedgerArgs,
    /// The rules file (TOML). Without it, the rules are guessed from the
    /// header and printed, to be saved and edited.
    #[arg(long, value_name = "RULES")]
    rules: Option<PathBuf>,
    /// Append the records to this file of the ledger (or create it, as a
    /// new `.track2` file in a ledger directory), atomically, and only if
    /// everything checks. Default: print them.
    #[arg(long, value_name = "FILE")]
    into: Option<PathBuf>,
    /// Which sheet of a workbook; default the rules' `[sheet] name`, else the first.
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// How to report problems: for a person, or as one JSON document.
    // Hidden alias: the option's name before every command's output option
    // became `-o/--output`.
    #[arg(short, long, value_enum, alias = "format", default_value_t = ProblemFormat::Human)]
    output: ProblemFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ProblemFormat {
    Human,
    Json,
}

/// The names files go by in what is printed.
struct Names {
    sheet: String,
    rules: Option<String>,
}

pub fn run(args: &ImportArgs, terminal: &Terminal) -> Outcome {
    let ledger = match args.ledger.resolve(terminal) {
        Ok(ledger) => ledger,
        Err(message) => return fail(&message),
    };
    let paths = ledger.paths.clone();
    let options = AnalysisOptions { as_of: ledger.as_of };
    let loaded = match super::load(&ledger) {
        Ok(loaded) => loaded,
        Err(error) => return fail(&error.to_string()),
    };
    let target = match &args.into {
        Some(into) => match IntoFile::new(into, &paths, &loaded) {
            Ok(target) => Some(target),
            Err(message) => return fail(&message),
        },
        None => None,
    };
    // Only the declarations are needed to match names; engagements are
    // checked and dropped.
    let analysis = track2::validate(&loaded, &options);
    if Tally::of(&analysis.diagnostics).errors > 0 {
        return refuse_invalid_ledger(args, terminal, &analysis.diagnostics, &loaded.sources);
    }
    let directory = Directory::of(&analysis.ledger);
    drop(analysis);

    let names = Names {
        sheet: args.file.display().to_string(),
        rules: args.rules.as_ref().map(|path| path.display().to_string()),
    };
    let mut rules = match &args.rules {
        Some(path) => match read_named(path, MAX_RULES_SIZE.min(ledger.load_options.limit())).and_then(|bytes| {
            String::from_utf8(bytes)
                .map_err(|_| ReadError::Io(io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text")))
        }) {
            Ok(text) => match rules::parse(&text) {
                Ok(rules) => Some(rules),
                Err(problems) => return report_problems(args, &names, &problems, None, None),
            },
            Err(error) => {
                return fail(&format!(
                    "cannot read `{}`: {error}",
                    escape(&path.display().to_string())
                ));
            }
        },
        None => None,
    };
    let bytes = match read_named(&args.file, ledger.load_options.limit()) {
        Ok(bytes) => bytes,
        Err(error) => return fail(&format!("cannot read `{}`: {error}", escape(&names.sheet))),
    };
    let read_options = ReadOptions {
        delimiter: rules.as_ref().and_then(|rules| rules.delimiter),
        sheet: args
            .sheet
            .clone()
            .or_else(|| rules.as_ref().and_then(|rules| rules.sheet.clone())),
    };
    let sheet = match source::read(&bytes, &read_options) {
        Ok(sheet) => sheet,
        Err(problem) => return report_problems(args, &names, &[problem], None, None),
    };
    drop(bytes);
    let rules = match rules.take() {
        Some(rules) => rules,
        None => {
            let guessed = importer::guess_rules(&sheet).map(|guess| {
                print_guess(&guess);
                guess.rules
            });
            guessed.unwrap_or_default()
        }
    };

    let import = importer::import(&sheet, &rules, &directory);
    drop(sheet);
    let mut problems = import.problems.clone();
    if !import.written.text.is_empty() {
        let name = target
            .as_ref()
            .map_or_else(|| "<import>".to_owned(), |target| target.path.display().to_string());
        let bytes = import.written.text.as_bytes().to_vec();
        let combined = match loader::load_with_extra(&Disk, &paths, &ledger.load_options, &name, bytes) {
            Ok(combined) => combined,
            Err(error) => return fail(&error.to_string()),
        };
        let generated = combined.sources.iter().last().map(|(file, _)| file);
        let analysis = track2::validate(&combined, &options);
        problems.extend(
            analysis
                .diagnostics
                .iter()
                .filter(|diagnostic| Some(diagnostic.location.file) == generated)
                .map(|diagnostic| import.ledger_problem(diagnostic, &combined.sources)),
        );
        track2::import::problem::sort(&mut problems);
    }
    let clean = !problems.iter().any(Problem::is_error);
    let mut written_to = None;
    if clean && !import.written.text.is_empty() {
        if let Some(target) = &target {
            if let Err(message) = target.append(&import.written.text) {
                return fail(&message);
            }
            written_to = Some(target.path.display().to_string());
        }
    }
    let records = (clean && target.is_none()).then_some(import.written.text.as_str());
    report_problems(args, &names, &problems, Some((&import, records)), written_to.as_deref())
}

fn fail(message: &str) -> Outcome {
    output::fatal(&escape(message));
    Outcome::Failure
}

/// The ledger has errors: an import cannot be checked against it.
fn refuse_invalid_ledger(
    args: &ImportArgs,
    terminal: &Terminal,
    diagnostics: &[track2::Diagnostic],
    sources: &track2::source::SourceMap,
) -> Outcome {
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    let note = output::error_line(&format!(
        "the ledger has {}; fix them (see `track2 check`) before importing into it",
        plural(errors.len(), "error")
    ));
    match args.output {
        ProblemFormat::Json => {
            let _ = output::stdout(&json::render(&errors, sources));
            let _ = output::stderr(&note);
        }
        ProblemFormat::Human => {
            let renderer = HumanRenderer::new(terminal.color, terminal.width);
            let mut text = String::new();
            for diagnostic in &errors {
                text.push_str(&renderer.render(diagnostic, sources));
                text.push('\n');
            }
            text.push_str(&note);
            let _ = output::stderr(&text);
        }
    }
    Outcome::Invalid
}

/// The guessed rules, on standard error, ready to be saved and edited.
fn print_guess(guess: &importer::guess::Guess) {
    let mut text = String::from(
        "note: no --rules given; these rules were guessed from the header. \
         Save them to a file, edit them, and pass it with --rules:\n\n",
    );
    text.push_str(&rules::to_toml(&guess.rules));
    if !guess.unused.is_empty() {
        let unused: Vec<String> = guess.unused.iter().map(|name| quote(name)).collect();
        text.push_str(&format!("# Columns not used: {}\n", unused.join(", ")));
    }
    text.push('\n');
    let _ = output::stderr(&text);
}

/// Prints the problems (and the records and the summary when there is an
/// import), and decides the exit status.
fn report_problems(
    args: &ImportArgs,
    names: &Names,
    problems: &[Problem],
    import: Option<(&Import, Option<&str>)>,
    written_to: Option<&str>,
) -> Outcome {
    let errors = problems.iter().filter(|problem| problem.is_error()).count();
    let warnings = problems.len() - errors;
    let result = match args.output {
        ProblemFormat::Json => {
            let document = JsonReport {
                diagnostics: problems
                    .iter()
                    .map(|problem| JsonProblem::new(problem, names))
                    .collect(),
                errors,
                warnings,
                summary: import.map(|(import, _)| &import.summary),
                records: import.and_then(|(_, records)| records),
                written_to,
            };
            let mut text = track2::escape::json(serde_json::to_string_pretty(&document).expect("a report serialises"));
            text.push('\n');
            output::stdout(&text)
        }
        ProblemFormat::Human => {
            let mut text = String::new();
            for problem in problems {
                text.push_str(&render_human(problem, names));
            }
            if let Some((import, _)) = import {
                text.push_str(&summary(&import.summary, written_to));
            }
            if errors > 0 {
                text.push_str(&output::error_line(&format!(
                    "{}, {}; nothing was written",
                    plural(errors, "error"),
                    plural(warnings, "warning")
                )));
            }
            let records = import.and_then(|(_, records)| records).unwrap_or("");
            output::stdout(records).and_then(|()| output::stderr(&text))
        }
    };
    if let Err(error) = result {
        output::fatal(&format!("cannot write the report: {error}"));
        return Outcome::Failure;
    }
    if errors > 0 { Outcome::Invalid } else { Outcome::Success }
}

/// One problem for a person:
///
/// ```text
/// error[unknown-party]: unknown party `Azerbajan`
///   --> sheet.csv, row 5, column C (From)
///   help: did you mean `Azerbaijan` (`AZ`)?
/// ```
fn render_human(problem: &Problem, names: &Names) -> String {
    let severity = match problem.code.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let sheet = escape(&names.sheet);
    let place = match &problem.place {
        ProblemPlace::Cell { row, column, header } => {
            let header = if header.is_empty() {
                String::new()
            } else {
                format!(" ({})", escape(&truncate(header)))
            };
            format!("{sheet}, row {row}, column {}{header}", column_letters(*column))
        }
        ProblemPlace::Row(row) => format!("{sheet}, row {row}"),
        ProblemPlace::Sheet => sheet,
        ProblemPlace::Rules { line, column } => {
            let rules = names.rules.as_deref().map_or_else(|| "the rules".to_owned(), escape);
            format!("{rules}:{line}:{column}")
        }
    };
    let mut text = format!(
        "{severity}[{}]: {}\n  --> {place}\n",
        problem.code.as_str(),
        escape(&problem.message)
    );
    if let Some(help) = &problem.help {
        text.push_str(&format!("  help: {}\n", escape(help)));
    }
    text.push('\n');
    text
}

/// A header as a place shows it: at most 40 characters.
fn truncate(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The summary on standard error.
fn summary(summary: &Summary, written_to: Option<&str>) -> String {
    const LISTED: usize = 20;
    let mut text = format!(
        "import: {} read, {} made; people: {} reused, {} new; orgs: {} reused, {} new\n",
        plural(summary.rows_read, "row"),
        plural(summary.engagements_made, "engagement"),
        summary.persons_reused,
        summary.persons_made,
        summary.orgs_reused,
        summary.orgs_made,
    );
    if !summary.near_matches.is_empty() {
        let count = summary.near_matches.len();
        let noun = if count == 1 { "near match" } else { "near matches" };
        text.push_str(&format!("  {count} {noun} to review:\n"));
        for near in summary.near_matches.iter().take(LISTED) {
            text.push_str(&format!(
                "    row {}, column {}: {} (made `{}`) is near {} (`{}`)\n",
                near.row,
                column_letters(near.column),
                quote(&near.written),
                near.made_id,
                quote(&near.near),
                near.near_id
            ));
        }
        if summary.near_matches.len() > LISTED {
            text.push_str(&format!("    … and {} more\n", summary.near_matches.len() - LISTED));
        }
    }
    if summary.names_not_searched > 0 {
        text.push_str(&format!(
            "  {} not compared for near matches: too many new names\n",
            plural(summary.names_not_searched, "name")
        ));
    }
    if !summary.rows_skipped.is_empty() {
        let skipped = summary.rows_skipped.len();
        text.push_str(&format!(
            "  {skipped} {} skipped:\n",
            if skipped == 1 { "row" } else { "rows" }
        ));
        for skipped in summary.rows_skipped.iter().take(LISTED) {
            text.push_str(&format!("    row {}: {}\n", skipped.row, escape(&skipped.reason)));
        }
        if summary.rows_skipped.len() > LISTED {
            text.push_str(&format!("    … and {} more\n", summary.rows_skipped.len() - LISTED));
        }
    }
    if let Some(path) = written_to {
        text.push_str(&format!("  appended to {}\n", escape(path)));
    }
    text
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonProblem<'a>>,
    errors: usize,
    warnings: usize,
    summary: Option<&'a Summary>,
    /// The records, when they were printed rather than written to a file.
    records: Option<&'a str>,
    written_to: Option<&'a str>,
}

/// A problem with the field names of `check --output json`: `line` is the
/// row (the rules file's line), `column` the column number; both are `null`
/// for a problem with the whole sheet.
#[derive(Serialize)]
struct JsonProblem<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    help: Option<&'a str>,
    related: [(); 0],
}

impl<'a> JsonProblem<'a> {
    fn new(problem: &'a Problem, names: &'a Names) -> JsonProblem<'a> {
        let (file, line, column) = match &problem.place {
            ProblemPlace::Cell { row, column, .. } => (names.sheet.as_str(), Some(*row), Some(*column)),
            ProblemPlace::Row(row) => (names.sheet.as_str(), Some(*row), None),
            ProblemPlace::Sheet => (names.sheet.as_str(), None, None),
            ProblemPlace::Rules { line, column } => (names.rules.as_deref().unwrap_or(""), Some(*line), Some(*column)),
        };
        JsonProblem {
            severity: problem.code.severity().as_str(),
            code: problem.code.as_str(),
            message: &problem.message,
            file,
            line,
            column,
            end_line: line,
            end_column: column.map(|column| column + 1),
            help: problem.help.as_deref(),
            related: [],
        }
    }
}

/// The largest rules file read: a few hundred lines of TOML at most.
const MAX_RULES_SIZE: u64 = 16 << 20;

/// A file the user named: read as `cat` reads it (a pipe is waited for),
/// but never past `limit`, so that `/dev/zero` or a growing file cannot
/// fill the memory.
fn read_named(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    Disk.read_stream(path, limit)
}

/// The file `--into` names, checked to be part of the ledger.
struct IntoFile {
    path: PathBuf,
    /// The file's bytes as the ledger was read, if it exists; `None` for a
    /// new file.
    existing: Option<Vec<u8>>,
}

impl IntoFile {
    /// `into` if it is one of the ledger's files, or a new `.track2` file in
    /// one of its directories: anything else would not be read with the
    /// ledger, so the check of the import would not hold for it.
    fn new(into: &Path, paths: &[PathBuf], loaded: &track2::Loaded) -> Result<IntoFile, String> {
        let shown = into.display().to_string();
        if into.exists() {
            let canonical = fs::canonicalize(into).map_err(|error| format!("cannot read `{shown}`: {error}"))?;
            let in_ledger = loaded
                .sources
                .iter()
                .filter_map(|(_, file)| file.path())
                .any(|path| fs::canonicalize(path).is_ok_and(|path| path == canonical));
            if !in_ledger {
                return Err(format!(
                    "`{shown}` is not a file of the ledger: name one the ledger reads, or a new .track2 file in a ledger directory"
                ));
            }
            let existing = fs::read(into).map_err(|error| format!("cannot read `{shown}`: {error}"))?;
            return Ok(IntoFile {
                path: into.to_path_buf(),
                existing: Some(existing),
            });
        }
        if into.extension().is_none_or(|extension| extension != loader::EXTENSION) {
            return Err(format!(
                "`{shown}` does not exist, and a new file of a ledger ends in .track2"
            ));
        }
        let parent = match into.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let parent = fs::canonicalize(&parent).map_err(|error| format!("cannot create `{shown}`: {error}"))?;
        let inside = paths
            .iter()
            .filter(|path| path.is_dir())
            .filter_map(|path| fs::canonicalize(path).ok())
            .any(|directory| parent.starts_with(directory));
        if !inside {
            return Err(format!(
                "`{shown}` does not exist and is not inside a ledger directory, so the ledger would not read it"
            ));
        }
        Ok(IntoFile {
            path: into.to_path_buf(),
            existing: None,
        })
    }

    /// Appends `records` (a new file: writes them), through a temporary
    /// file renamed over the target, so that a failure leaves it as it was.
    fn append(&self, records: &str) -> Result<(), String> {
        let shown = self.path.display().to_string();
        let Some(existing) = &self.existing else {
            return create_new(&self.path, records.as_bytes())
                .map_err(|error| format!("cannot create `{shown}`: {error}; nothing was written"));
        };
        // The version first: a change after it is caught by the replace.
        let version = super::fmt::Version::of(&self.path).map_err(|error| format!("cannot read `{shown}`: {error}"))?;
        let now = fs::read(&self.path).map_err(|error| format!("cannot read `{shown}`: {error}"))?;
        if &now != existing {
            return Err(format!(
                "`{shown}` changed while importing; nothing was written: run the import again"
            ));
        }
        let mut contents = now;
        contents.extend_from_slice(appended(&contents, records).as_bytes());
        super::fmt::replace_file(&self.path, &contents, &version).map_err(|error| match error {
            super::fmt::ReplaceError::Changed => {
                format!("`{shown}` changed while importing; nothing was written: run the import again")
            }
            super::fmt::ReplaceError::Io(error) => format!("cannot write `{shown}`: {error}; it is left as it was"),
        })
    }
}

/// What to add after `existing` so that the records follow it as blocks of
/// their own, in the file's line ending.
fn appended(existing: &[u8], records: &str) -> String {
    let crlf = existing
        .iter()
        .position(|&byte| byte == b'\n')
        .is_some_and(|at| at > 0 && existing[at - 1] == b'\r');
    let ending = if crlf { "\r\n" } else { "\n" };
    let content = existing.strip_prefix("\u{feff}".as_bytes()).unwrap_or(existing);
    let blank = content.iter().all(|byte| byte.is_ascii_whitespace());
    let mut text = String::new();
    if !blank {
        if !content.ends_with(b"\n") {
            text.push_str(ending);
        }
        text.push_str(ending);
    }
    if crlf {
        text.push_str(&records.replace('\n', "\r\n"));
    } else {
        text.push_str(records);
    }
    text
}

/// Writes a new file all at once: a temporary file beside it, renamed to
/// its name only if nothing is there by then.
fn create_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".track2-import-").suffix(".tmp");
    // A ledger file is as readable as any file the user creates: 0666 less
    // the umask, not a temporary file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(directory)?;
    temporary.write_all(contents)?;
    temporary.as_file().sync_all()?;
    temporary.persist_noclobber(path).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appended_records_follow_a_blank_line_in_the_files_line_ending() {
        assert_eq!(appended(b"", "a\n"), "a\n");
        assert_eq!(appended("\u{feff}".as_bytes(), "a\n"), "a\n");
        assert_eq!(appended(b"x\n", "a\n"), "\na\n");
        assert_eq!(appended(b"x", "a\n"), "\n\na\n");
        assert_eq!(appended(b"x\r\ny\r\n", "a\n  b: c\n"), "\r\na\r\n  b: c\r\n");
    }
}
