//! The `track2` command: argument parsing, files, terminal and exit codes.
//! Everything else is the library's.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
