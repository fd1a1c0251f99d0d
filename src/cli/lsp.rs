//! `track2 lsp`: the language server on standard input and output. The
//! server is the library's (`track2::lsp`); this wires the process's
//! streams to it and tells it what day it is.

use clap::Args;
use lsp_server::Connection;
use track2::lsp::{Ending, ServerOptions, serve};

use super::{Outcome, output};

#[derive(Args)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport, and the
    /// default; accepted because many clients pass it).
    #[arg(long)]
    stdio: bool,
}

pub fn run(_args: &LspArgs) -> Outcome {
    let (connection, io_threads) = Connection::stdio();
    let options = ServerOptions {
        today: || chrono::Local::now().date_naive(),
    };
    let ending = serve(&connection, options);
    // The writer thread ends once every sender is gone, after the last
    // message is written.
    drop(connection);
    if let Err(error) = io_threads.join() {
        output::fatal(&format!("track2 lsp: {error}"));
        return Outcome::Failure;
    }
    match ending {
        Ok(Ending::Shutdown) => Outcome::Success,
        Ok(Ending::Abandoned) => Outcome::Invalid,
        Err(error) => {
            output::fatal(&format!("track2 lsp: {error}"));
            Outcome::Failure
        }
    }
}
