//! Wires command-line arguments to the library. This is the only code that
//! reads the environment, looks at the terminal, prints or exits.

mod check;
mod completions;
mod diff;
mod export;
mod fmt;
mod git;
mod import;
mod init;
mod lsp;
mod man;
mod output;
mod report;
mod revision;
mod show;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, CommandFactory, Parser, Subcommand};
use track2::config::{self, AsOf};
use track2::escape;
use track2::{Disk, LoadError, LoadOptions, Loaded, loader};

pub use output::Terminal;

#[derive(Parser)]
#[command(
    name = "track2",
    version,
    about = "Validate and summarise a ledger of Track 2 diplomacy"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a ledger and report every problem in it.
    Check(check::CheckArgs),
    /// Rewrite files in the canonical form.
    Fmt(fmt::FmtArgs),
    /// The one-screen overview of a ledger.
    Summary(report::SummaryArgs),
    /// One summary table: directions, formats, timeline, reciprocity, …
    Report(report::ReportArgs),
    /// Every engagement with all its fields, as JSON or CSV.
    Export(export::ExportArgs),
    /// An id's declaration and every place it is used (a person's history).
    Show(show::ShowArgs),
    /// What a change does to the record: engagements and declarations added,
    /// removed and changed.
    Diff(diff::DiffArgs),
    /// Set up a ledger repository: track2.toml, a starter ledger, CI and editor files.
    Init(init::InitArgs),
    /// Print the completion script for a shell.
    Completions(completions::CompletionsArgs),
    /// Print the manual page, or write one page per command into a directory.
    Man(man::ManArgs),
    /// Bring a spreadsheet of engagements (CSV, XLSX, ODS) into the ledger.
    Import(import::ImportArgs),
    /// The language server, over standard input and output, for editors.
    Lsp(lsp::LspArgs),
}

/// The command line's definition, for completion scripts and manual pages.
fn command() -> clap::Command {
    Cli::command()
}

/// Which ledger to read, and as of which day; shared by every command.
#[derive(Args)]
pub struct LedgerArgs {
    /// Files or directories (every `*.track2` below). Default: $TRACK2_LEDGER,
    /// else the paths of the nearest track2.toml, else ./ledgers.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The day to check dates against (YYYY-MM-DD). Default: track2.toml's
    /// as-of, else today.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub as_of: Option<NaiveDate>,
    #[command(flatten)]
    pub reading: ReadingArgs,
}

/// Where a ledger may be read from, and how much of each file: every
/// command that reads a ledger takes these.
#[derive(Args, Clone)]
pub struct ReadingArgs {
    /// No file outside this directory is read, through an include, `..` or a
    /// link. Default: the directory named, or the directory of the file named.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// The largest file read: bytes, or with a suffix K, M or G (powers of 1024).
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "1G")]
    pub max_file_size: u64,
}

impl ReadingArgs {
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            root: self.root.clone(),
            max_file_size: self.max_file_size,
        }
    }
}

/// `1000`, `64K`, `512M`, `1G` (also `1GiB`, `1g`): powers of 1024, as
/// ripgrep's `--max-filesize` reads them.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("`{text}` is not a size: give bytes, or a number and K, M or G")),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|number| number.checked_mul(1 << shift))
        .ok_or_else(|| format!("`{text}` is not a size: give bytes, or a number and K, M or G"))
}

/// The ledger a command reads, once the command line, the environment and
/// track2.toml have each had their say.
pub struct ResolvedLedger {
    pub paths: Vec<PathBuf>,
    pub as_of: NaiveDate,
    /// The root nothing outside of is read, and the size limit.
    pub load_options: LoadOptions,
}

/// `--as-of` and other options that take one day. clap quotes the value
/// before the message, so the message only says what was expected.
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    match track2::date::DateSpec::parse(text) {
        Ok(track2::date::DateSpec::Day(day)) => Ok(day),
        Err(track2::date::DateError::NotInCalendar { why, .. }) => Err(why),
        _ => Err(format!("expected a day, YYYY-MM-DD{}", day_first_hint(text))),
    }
}

/// What a date option expects, in one sentence, for any value that is not
/// a date at all (`31.10.2025`, `yesterday`).
pub fn expected_date(text: &str) -> String {
    format!(
        "expected a day (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY){}",
        day_first_hint(text)
    )
}

/// `; for 31 October 2025, write 2025-10-31` when the value is a day written
/// day first with dots (`31.10.2025`), as much of Europe writes it; the
/// order of a date with slashes is a guess, so none is offered for it.
fn day_first_hint(text: &str) -> String {
    let parts: Vec<&str> = text.split('.').collect();
    let [day, month, year] = parts[..] else {
        return String::new();
    };
    let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (Some(day), Some(month), Some(year)) = (number(day, 1..=2), number(month, 1..=2), number(year, 4..=4)) else {
        return String::new();
    };
    match NaiveDate::from_ymd_opt(year as i32, month, day) {
        Some(date) => format!("; for {}, write {date}", date.format("%-d %B %Y")),
        None => String::new(),
    }
}

/// What a command's run means for the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The ledger is valid.
    Success = 0,
    /// The ledger has problems.
    Invalid = 1,
    /// The command could not do what was asked: bad usage, unreadable input.
    Failure = 2,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let terminal = Terminal::capture();
    let outcome = match cli.command {
        Command::Check(args) => check::run(&args, &terminal),
        Command::Fmt(args) => fmt::run(&args, &terminal),
        Command::Summary(args) => report::run_summary(&args, &terminal),
        Command::Report(args) => report::run_report(&args, &terminal),
        Command::Export(args) => export::run(&args, &terminal),
        Command::Show(args) => show::run(&args, &terminal),
        Command::Diff(args) => diff::run(&args, &terminal),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Import(args) => import::run(&args, &terminal),
        Command::Lsp(args) => lsp::run(&args),
    };
    ExitCode::from(outcome as u8)
}

impl LedgerArgs {
    /// Which ledger to read, by this precedence: paths on the command line,
    /// then `$TRACK2_LEDGER`, then the `paths` of the nearest track2.toml
    /// (from the current directory up), then `./ledgers`; `--as-of`, then
    /// track2.toml's `as-of`, then today. A track2.toml that cannot be read
    /// is an error even when the paths come from elsewhere: a project file
    /// silently ignored would check by other rules than the team agreed.
    fn resolve(&self, terminal: &Terminal) -> Result<ResolvedLedger, String> {
        let config = match &terminal.current_dir {
            Some(directory) => config::discover(directory).map_err(|error| error.to_string())?,
            None => None,
        };
        // track2.toml's root governs the ledger it names; `--root` beats it.
        let mut root = self.reading.root.clone();
        let paths = if !self.paths.is_empty() {
            self.paths.clone()
        } else if let Some(ledger) = &terminal.ledger_env {
            vec![ledger.clone()]
        } else if let Some(config) = &config {
            root = root.or_else(|| Some(config.root.clone()));
            config.paths.clone()
        } else {
            let default = PathBuf::from(config::DEFAULT_PATH);
            if !default.exists() {
                return Err("no ledger to read: name a file or directory, set TRACK2_LEDGER, \
                            add a track2.toml (`track2 init`), or run where ./ledgers is"
                    .into());
            }
            vec![default]
        };
        let as_of = match (self.as_of, config.as_ref().map(|config| config.as_of)) {
            (Some(day), _) | (None, Some(AsOf::Day(day))) => day,
            (None, Some(AsOf::Today) | None) => terminal.today,
        };
        Ok(ResolvedLedger {
            paths,
            as_of,
            load_options: LoadOptions {
                root,
                max_file_size: self.reading.max_file_size,
            },
        })
    }
}

/// Reads the ledger's files, confined to its root.
fn load(ledger: &ResolvedLedger) -> Result<Loaded, LoadError> {
    loader::load(&Disk, &ledger.paths, &ledger.load_options)
}

/// A path for a message on the terminal: control characters escaped.
fn shown(path: &std::path::Path) -> String {
    escape::path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own consistency checks over every command and argument, which
    /// otherwise run only when a command is parsed in a debug build.
    #[test]
    fn the_command_line_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert!(parse_size("1T").is_err());
        assert!(parse_size("G").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
