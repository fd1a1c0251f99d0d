//! `track2 fmt` (issue 4; not written yet).

use clap::Args;

use super::{Outcome, Terminal};

#[derive(Args)]
pub struct FmtArgs {}

pub fn run(_args: &FmtArgs, _terminal: &Terminal) -> Outcome {
    super::output::fatal("`fmt` is not implemented yet");
    Outcome::Failure
}
