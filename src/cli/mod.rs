//! Wires command-line arguments to the library. This is the only code that
//! reads the environment, looks at the terminal, prints or exits.

mod check;
mod fmt;
mod git;
mod output;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

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
