//! `track2 export`: every engagement the view lets through, with all its
//! fields, as one JSON document or one CSV table.

use clap::{Args, ValueEnum};

use super::report::{ViewArgs, with_view};
use super::{Outcome, Terminal, output};
use track2::export;
use track2::report::CONFIDENTIAL_WARNING;

#[derive(Clone, Copy, ValueEnum)]
enum ExportOutput {
    Json,
    Csv,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    view: ViewArgs,
    /// JSON (one document, with the declarations) or CSV (one row per engagement).
    #[arg(long, short, value_enum, default_value_t = ExportOutput::Json)]
    output: ExportOutput,
}

pub fn run(args: &ExportArgs, terminal: &Terminal) -> Outcome {
    // Every status by default: an export is the record, not a report of
    // what happened.
    with_view(&args.view, &[], terminal, None, |view, _, _, _| {
        let document = export::ExportDocument::new(view);
        match args.output {
            ExportOutput::Json => {
                let mut text =
                    track2::escape::json(serde_json::to_string_pretty(&document).expect("an export serialises"));
                text.push('\n');
                text
            }
            ExportOutput::Csv => {
                // The table itself says it with its `includes_private`
                // column; a line above the header would break every reader
                // of CSV, so the warning goes to stderr.
                if view.reveal {
                    let _ = output::stderr(&format!("{CONFIDENTIAL_WARNING}\n"));
                }
                export::to_csv(&document)
            }
        }
    })
}
