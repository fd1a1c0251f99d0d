//! Wires command-line arguments to the library. This is the only code that
//! reads the environment, looks at the terminal, prints or exits.

mod check;
mod fmt;
mod output;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use track2::LoadOptions;

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
    Export(report::ExportArgs),
}

/// Which ledger to read, and as of which day; shared by every command.
#[derive(Args)]
pub struct LedgerArgs {
    /// Files or directories (every `*.track2` below). Default: $TRACK2_LEDGER, else ./ledgers.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The day to check dates against instead of today (YYYY-MM-DD).
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

pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("`{text}` is not a day in the form YYYY-MM-DD"))
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
        Command::Export(args) => report::run_export(&args, &terminal),
    };
    ExitCode::from(outcome as u8)
}

impl LedgerArgs {
    /// The paths to read: as given, else `$TRACK2_LEDGER`, else `./ledgers`.
    fn resolve_paths(&self, terminal: &Terminal) -> Result<Vec<PathBuf>, String> {
        if !self.paths.is_empty() {
            return Ok(self.paths.clone());
        }
        if let Some(ledger) = &terminal.ledger_env {
            return Ok(vec![ledger.clone()]);
        }
        let default = PathBuf::from("ledgers");
        if default.exists() {
            Ok(vec![default])
        } else {
            Err("no ledger to read: name a file or directory, set TRACK2_LEDGER, or run where ./ledgers is".into())
        }
    }

    fn as_of(&self, terminal: &Terminal) -> NaiveDate {
        self.as_of.unwrap_or(terminal.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
