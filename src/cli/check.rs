//! `track2 check`.

use clap::{Args, ValueEnum};

use super::output::{self, plural};
use super::{LedgerArgs, Outcome, Terminal, load};
use track2::privacy;
use track2::render::{github, gitlab, gnu, human::HumanRenderer, json, sarif};
use track2::{AnalysisOptions, Keep, Tally};

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    ledger: LedgerArgs,
    /// Fail on warnings too.
    #[arg(long)]
    strict: bool,
    /// How to report: for a person, for programs, as GitHub annotations, or
    /// one line per diagnostic as compilers print (for editors), or as a file
    /// for code-review tools (SARIF, GitLab Code Quality).
    // `--format` was this option's name before every command's output
    // option became `-o/--output`; CI lines, hooks and editors' compiler
    // files written then keep working through the hidden alias.
    #[arg(short, long, value_enum, alias = "format", default_value_t = DiagnosticFormat::Human)]
    output: DiagnosticFormat,
    /// Do not mask private names in JSON, GitHub, SARIF and GitLab output.
    #[arg(long)]
    include_private: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiagnosticFormat {
    /// For a person: each problem with its source line (on stderr).
    Human,
    /// One JSON document (GRAMMAR.md §6).
    Json,
    /// GitHub Actions workflow commands, which annotate the diff.
    Github,
    /// `FILE:LINE:COL: error: MESSAGE [CODE]`, for Vim, Emacs and other editors.
    Gnu,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitLab Code Quality JSON, for merge requests.
    Gitlab,
}

pub fn run(args: &CheckArgs, terminal: &Terminal) -> Outcome {
    let ledger = match args.ledger.resolve(terminal) {
        Ok(ledger) => ledger,
        Err(message) => {
            output::fatal(&message);
            return Outcome::Failure;
        }
    };
    let loaded = match load(&ledger) {
        Ok(loaded) => loaded,
        Err(error) => {
            output::fatal(&error.to_string());
            return Outcome::Failure;
        }
    };
    let options = AnalysisOptions { as_of: ledger.as_of };
    // Engagements are checked and dropped, not kept: memory stays close to
    // the size of the ledger's text. The machine-read outputs end up in CI
    // logs and review tools, which may be public, so they keep the
    // confidential engagements too, for masking; the human report is for
    // the person editing the file, who knows it anyway.
    let keep = match args.output {
        DiagnosticFormat::Human => Keep::Diagnostics,
        DiagnosticFormat::Json
        | DiagnosticFormat::Github
        | DiagnosticFormat::Gnu
        | DiagnosticFormat::Sarif
        | DiagnosticFormat::Gitlab => Keep::Confidential,
    };
    let analysis = track2::analyze(&loaded, &options, keep);
    let diagnostics = &analysis.diagnostics;
    let tally = Tally::of(diagnostics);
    let failed = tally.errors > 0 || (args.strict && tally.warnings > 0);

    let public = || {
        if args.include_private {
            return diagnostics.clone();
        }
        let disclosure = privacy::Disclosure::new(false, options.as_of, terminal.today);
        privacy::public_diagnostics(&loaded, disclosure, &analysis)
    };
    let written = match args.output {
        DiagnosticFormat::Json => output::stdout(&json::render(&public(), &loaded.sources)),
        DiagnosticFormat::Github => output::stdout(&github::render(&public(), &loaded.sources)),
        DiagnosticFormat::Gnu => output::stdout(&gnu::render(&public(), &loaded.sources)),
        DiagnosticFormat::Sarif => output::stdout(&sarif::render(&public(), &loaded.sources)),
        DiagnosticFormat::Gitlab => output::stdout(&gitlab::render(&public(), &loaded.sources)),
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
                    output::error_line(&format!(
                        "{}, {} in {files}{strict}",
                        plural(errors, "error"),
                        plural(warnings, "warning")
                    ))
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
