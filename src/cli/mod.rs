//! Wires command-line arguments to the library. This is the only code that
//! reads the environment, looks at the terminal, prints or exits.

mod check;
mod completions;
mod diff;
mod fmt;
mod git;
mod import;
mod init;
mod man;
mod output;
mod report;
mod show;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, CommandFactory, Parser, Subcommand};
use track2::config::{self, AsOf, Config};
use track2::render::printable;
use track2::{LoadError, Loaded, loader};

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
}

/// The ledger a command reads, once the command line, the environment and
/// track2.toml have each had their say.
pub struct ResolvedLedger {
    pub paths: Vec<PathBuf>,
    pub as_of: NaiveDate,
    /// The directory nothing outside of is read: track2.toml's `root`.
    #[expect(
        dead_code,
        reason = "the loader's root confinement (another branch) reads it in `load`; remove this when it does"
    )]
    pub root: Option<PathBuf>,
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
        Command::Show(args) => show::run(&args, &terminal),
        Command::Diff(args) => diff::run(&args, &terminal),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Import(args) => import::run(&args, &terminal),
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
        let paths = if !self.paths.is_empty() {
            self.paths.clone()
        } else if let Some(ledger) = &terminal.ledger_env {
            vec![ledger.clone()]
        } else if let Some(config) = &config {
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
            root: config.map(|Config { root, .. }| root),
        })
    }
}

/// Reads the ledger's files.
///
/// HOOK for the loader's `--root` confinement, which another branch adds:
/// pass `ledger.root` (track2.toml's `root`; a `--root` flag beats it) to the
/// loader here, and drop the `expect(dead_code)` on `ResolvedLedger::root`.
fn load(ledger: &ResolvedLedger) -> Result<Loaded, LoadError> {
    loader::load(&ledger.paths)
}

/// A path for a message on the terminal: control characters escaped.
fn shown(path: &std::path::Path) -> String {
    printable(&path.display().to_string()).into_owned()
}

#[cfg(test)]
mod tests {
    /// clap's own consistency checks over every command and argument, which
    /// otherwise run only when a command is parsed in a debug build.
    #[test]
    fn the_command_line_is_consistent() {
        super::command().debug_assert();
    }
}
