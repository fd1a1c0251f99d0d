//! `track2 show ID`: an id's declaration and every place it is used.

use clap::Args;

use super::report::{Refusal, ReportOutput, with_analysis};
use super::{LedgerArgs, Outcome, Terminal};
use track2::Keep;
use track2::filter::Filter;
use track2::privacy::{Disclosure, View};

#[derive(Args)]
pub struct ShowArgs {
    /// The id of a person, party, org, format, series, engagement or tag.
    id: String,
    #[command(flatten)]
    ledger: LedgerArgs,
    /// How to print it.
    #[arg(long, short, value_enum, default_value_t = ReportOutput::Table)]
    output: ReportOutput,
    /// Show private people and withheld engagements too. The output says it is confidential.
    #[arg(long)]
    include_private: bool,
}

pub fn run(args: &ShowArgs, terminal: &Terminal) -> Outcome {
    with_analysis(&args.ledger, Keep::Index, terminal, None, |analysis, as_of, _| {
        let disclosure = Disclosure::new(args.include_private, as_of, terminal.today);
        let view = View::new(&analysis.ledger, disclosure, &Filter::default());
        let index = analysis.index.as_ref().expect("Keep::Index builds the index");
        match track2::show::show(&view, index, &args.id) {
            Ok(shown) => Ok(super::output::render_report(&shown, args.output.into(), view.reveal)),
            Err(unknown) => Err(Refusal {
                message: unknown.to_string(),
                outcome: Outcome::Invalid,
            }),
        }
    })
}
