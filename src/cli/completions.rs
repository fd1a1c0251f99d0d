//! `track2 completions SHELL`: the completion script for a shell, generated
//! from the command line's definition, so it can never offer a flag that
//! `track2` does not take.
//!
//! Completion is static: commands, flags, and the values clap knows (output
//! formats, report kinds, shells). Completing ledger ids (`--from AM`,
//! `--person`) would need clap's dynamic completion, which is still behind
//! its `unstable-dynamic` feature; the README says so.

use std::io;

use clap::Args;
use clap_complete::Shell;

use super::Outcome;
use super::output;

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for.
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> Outcome {
    let mut command = super::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "track2", &mut script);
    match output::write_all(io::stdout().lock(), &String::from_utf8_lossy(&script)) {
        Ok(()) => Outcome::Success,
        Err(error) => {
            output::fatal(&format!("cannot write the script: {error}"));
            Outcome::Failure
        }
    }
}
