//! `track2 check`.

use clap::{Args, ValueEnum};

use super::output::{self, plural};
use super::{LedgerArgs, Outcome, Terminal};
use track2::privacy;
use track2::render::{github, human::HumanRenderer, json};
use track2::{AnalysisOptions, Disk, Keep, Tally, loader};

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    ledger: LedgerArgs,
    /// Fail on warnings too.
    #[arg(long)]
    strict: bool,
    /// How to report: for a person, for programs, or as GitHub annotations.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    format: DiagnosticFormat,
    /// Do not mask private names in JSON and GitHub output.
    #[arg(long)]
    include_private: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiagnosticFormat {
    Human,
    Json,
    Github,
}

pub fn run(args: &CheckArgs, terminal: &Terminal) -> Outcome {
    let paths = match args.ledger.resolve_paths(terminal) {
        Ok(paths) => paths,
        Err(message) => {
            output::fatal(&message);
            return Outcome::Failure;
        }
    };
    let loaded = match loader::load(&Disk, &paths, &args.ledger.reading.load_options()) {
        Ok(loaded) => loaded,
        Err(error) => {
            output::fatal(&error.to_string());
            return Outcome::Failure;
        }
    };
    let options = AnalysisOptions {
        as_of: args.ledger.as_of(terminal),
    };
    // Engagements are checked and dropped, not kept: memory stays close to
    // the size of the ledger's text. JSON and GitHub output end up in CI
    // logs, which may be public, so they keep the confidential engagements
    // too, for masking; the human report is for the person editing the
    // file, who knows it anyway.
    let keep = match args.format {
        DiagnosticFormat::Human => Keep::Diagnostics,
        DiagnosticFormat::Json | DiagnosticFormat::Github => Keep::Confidential,
    };
    let analysis = track2::analyze(&loaded, &options, keep);
    let diagnostics = &analysis.diagnostics;
    let tally = Tally::of(diagnostics);
    let failed = tally.errors > 0 || (args.strict && tally.warnings > 0);

    let public = || {
        if args.include_private {
            return diagnostics.clone();
        }
        privacy::public_diagnostics(&loaded, &options, &analysis)
    };
    let written = match args.format {
        DiagnosticFormat::Json => output::stdout(&json::render(&public(), &loaded.sources)),
        DiagnosticFormat::Github => output::stdout(&github::render(&public(), &loaded.sources)),
        DiagnosticFormat::Human => {
            let renderer = HumanRenderer::new(terminal.color, terminal.width);
            let mut text = String::new();
            for diagnostic in diagnostics {
                text.push_str(&renderer.render(diagnostic, &loaded.sources));
                text.push('\n');
            }
            let files = plural(loaded.sources.len(), "file");
            let engagements = plural(analysis.engagements_read, "engagement");
            let summary = match (tally.errors, tally.warnings) {
                (0, 0) => format!("ok: {files}, {engagements}, no problems\n"),
                (0, warnings) if !failed => format!("ok: {files}, {engagements}, {}\n", plural(warnings, "warning")),
                (errors, warnings) => {
                    let strict = if errors == 0 { " (--strict)" } else { "" };
                    format!(
                        "error: {}, {} in {files}{strict}\n",
                        plural(errors, "error"),
                        plural(warnings, "warning")
                    )
                }
            };
            text.push_str(&summary);
            output::stderr(&text)
        }
    };
    if let Err(error) = written {
        output::fatal(&format!("cannot write the report: {error}"));
        return Outcome::Failure;
    }
    // The process ends here: giving millions of small allocations back one
    // by one would take longer than checking them (see BENCHMARKS.md).
    std::mem::forget(analysis);
    std::mem::forget(loaded);
    if failed { Outcome::Invalid } else { Outcome::Success }
}
