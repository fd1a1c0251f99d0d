//! `track2 man`: manual pages, generated from the command line's definition
//! like `--help`, so the two always agree.
//!
//! Without arguments it prints track2(1), which lists every command, for
//! `track2 man | man -l -`. With `--dir` it writes one page per command
//! (`track2.1`, `track2-check.1`, …) for a package to install under
//! `share/man/man1`.

use std::fs;
use std::io;
use std::path::PathBuf;

use clap::Args;

use super::output;
use super::{Outcome, shown};

#[derive(Args)]
pub struct ManArgs {
    /// Write one page per command into this directory (created if missing)
    /// instead of printing track2(1).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn run(args: &ManArgs) -> Outcome {
    let written = match &args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(super::command())
                .render(&mut page)
                .and_then(|()| output::write_all(io::stdout().lock(), &String::from_utf8_lossy(&page)))
        }
        Some(dir) => fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(super::command(), dir)),
    };
    match written {
        Ok(()) => Outcome::Success,
        Err(error) => {
            let place = args
                .dir
                .as_deref()
                .map(shown)
                .unwrap_or_else(|| "standard output".into());
            output::fatal(&format!("cannot write the manual to `{place}`: {error}"));
            Outcome::Failure
        }
    }
}
