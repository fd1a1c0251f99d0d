//! `track2 diff`: what a change does to the record. Two ledgers are read in
//! full, each must check, and the library compares them through the privacy
//! view; `--textconv FILE` is the driver `git diff` calls for `*.track2`.

use std::path::PathBuf;

use clap::Args;
use track2::filter::Filter;
use track2::privacy::{Disclosure, View};
use track2::render::human::HumanRenderer;
use track2::{AnalysisOptions, Keep, Tally, loader, report};

use super::output::{self, plural};
use super::report::ReportOutput;
use super::{Outcome, Terminal, parse_day};

#[derive(Args)]
pub struct DiffArgs {
    /// The ledger before: a file or directory.
    #[arg(value_name = "OLD", required_unless_present = "textconv")]
    old: Option<PathBuf>,
    /// The ledger after: a file or directory.
    #[arg(value_name = "NEW", required_unless_present = "textconv")]
    new: Option<PathBuf>,
    /// Print FILE with one line per block, for `git diff` (a textconv driver;
    /// see the README). Shows the file as written, private records included.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["old", "new"])]
    textconv: Option<PathBuf>,
    /// How to print the changes.
    #[arg(long, short, value_enum, default_value_t = ReportOutput::Table)]
    output: ReportOutput,
    /// Show changes to private and embargoed records too. The output says it is confidential.
    #[arg(long)]
    include_private: bool,
    /// The day embargoes and date checks compare with (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    as_of: Option<chrono::NaiveDate>,
}

pub fn run(args: &DiffArgs, terminal: &Terminal) -> Outcome {
    if let Some(file) = &args.textconv {
        return textconv(file);
    }
    let (Some(old), Some(new)) = (&args.old, &args.new) else {
        output::fatal("give the ledger before and after: `track2 diff OLD NEW`");
        return Outcome::Failure;
    };
    let as_of = args.as_of.unwrap_or(terminal.today);
    let options = AnalysisOptions { as_of };
    let load = |path: &PathBuf| {
        loader::load(
            &track2::Disk,
            std::slice::from_ref(path),
            &track2::LoadOptions::default(),
        )
    };
    let (old_loaded, new_loaded) = match (load(old), load(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(error), _) | (_, Err(error)) => {
            output::fatal(&error.to_string());
            return Outcome::Failure;
        }
    };
    let old_analysis = track2::analyze(&old_loaded, &options, Keep::Ledger);
    let new_analysis = track2::analyze(&new_loaded, &options, Keep::Ledger);
    // Half a ledger cannot be compared: name the side that does not check.
    for (side, loaded, analysis) in [
        ("before", &old_loaded, &old_analysis),
        ("after", &new_loaded, &new_analysis),
    ] {
        let errors = Tally::of(&analysis.diagnostics).errors;
        if errors > 0 {
            let renderer = HumanRenderer::new(terminal.color, terminal.width);
            let mut text = String::new();
            for diagnostic in analysis.diagnostics.iter().filter(|d| d.is_error()) {
                text.push_str(&renderer.render(diagnostic, &loaded.sources));
                text.push('\n');
            }
            text.push_str(&format!(
                "error: the ledger {side} the change has {}; fix them before comparing\n",
                plural(errors, "error")
            ));
            let _ = output::stderr(&text);
            return Outcome::Invalid;
        }
    }
    let disclosure = Disclosure::new(args.include_private, as_of, terminal.today);
    let everything = Filter::default();
    let old_view = View::new(&old_analysis.ledger, disclosure, &everything);
    let new_view = View::new(&new_analysis.ledger, disclosure, &everything);
    let diff = track2::diff::diff(&old_view, &new_view);
    let text = output::render_report(&diff, args.output.into(), args.include_private);
    match output::stdout(&text) {
        Ok(()) => Outcome::Success,
        Err(error) => {
            output::fatal(&format!("cannot write the changes: {error}"));
            Outcome::Failure
        }
    }
}

fn textconv(file: &PathBuf) -> Outcome {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => {
            output::fatal(&format!("cannot read `{}`: {error}", file.display()));
            return Outcome::Failure;
        }
    };
    // A file git cannot show as blocks is shown as it is, so that `git diff`
    // still works on a file with syntax errors.
    let text = String::from_utf8_lossy(&bytes);
    let shown = track2::diff::textconv(&text).unwrap_or_else(|_| text.into_owned());
    match output::stdout(&shown) {
        Ok(()) => Outcome::Success,
        Err(error) => {
            output::fatal(&format!("cannot write: {error}"));
            Outcome::Failure
        }
    }
}
