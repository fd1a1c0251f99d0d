//! Realistic synthetic ledgers, for measuring track2 at sizes no real ledger
//! has yet.
//!
//! ```sh
//! cargo run --release --example synthetic -- --entries 1000000 --out /tmp/1m.track2
//! cargo run --release --example synthetic -- --entries 100000 --errors 10000 --out /tmp/e.track2
//! cargo run --release --example synthetic -- --entries 100000 --files 8 --out /tmp/ledger-dir
//! cargo run --release --example synthetic -- --entries 100000 --shape regional --out /tmp/r.track2
//! ```
//!
//! The same seed always gives the same bytes. Without `--errors` the ledger
//! is valid: `track2 check PATH --as-of 2026-01-01` reports nothing. With
//! `--errors K`, K engagements carry one fault each, and a sidecar in the
//! conformance corpus's format (`grammar/tests/README.md`) lists them as
//! `LINE:COL CODE`, or `FILE:LINE:COL CODE` for several files: `PATH.errors`
//! beside the file or directory. `--files F` writes a directory of F files
//! instead of one file; the declarations open the first. `--shape regional`
//! writes 40 parties, joint delegations of up to four and 2,000 orgs instead
//! of the dozen parties of the default `bilateral` shape; `--layout noisy`
//! writes what the formatter would tidy.
//!
//! This is the command line only: the generator is
//! `tests/it/support/generator/`, shared with the property tests and the
//! benchmarks, and tested in `tests/it/generator.rs`.

#[allow(dead_code, unused_imports)]
#[path = "../tests/it/support/generator/mod.rs"]
mod generator;

use std::process::ExitCode;

fn main() -> ExitCode {
    let command = match generator::Command::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let generated = generator::generate(&command.config);
    if let Err(error) = generator::write(&generated, &command.out) {
        eprintln!("synthetic: cannot write {}: {error}", command.out.display());
        return ExitCode::FAILURE;
    }
    let bytes = generated.bytes();
    eprintln!(
        "wrote {}: {} file(s), {bytes} bytes, {} engagements ({:.0} bytes each), {} declarations, {} injected errors",
        command.out.display(),
        generated.files.len(),
        generated.engagements,
        bytes as f64 / generated.engagements.max(1) as f64,
        generated.declarations,
        generated.errors.len(),
    );
    ExitCode::SUCCESS
}
