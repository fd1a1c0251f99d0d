//! The integration tests: one crate, so that an edit in `src/` relinks one
//! test binary. Each module tests one face of track2; `support` holds what
//! they share (running the binary, the corpus, the as-of date, the one
//! ledger generator, and what a ledger means whatever its layout).

mod support;

mod browser;
mod charts;
mod ci;
mod cli;
mod completions;
mod config;
mod conformance;
mod diff;
mod editors;
mod fmt;
mod fmt_properties;
mod generator;
mod hostile;
mod import;
mod index;
mod init;
mod lsp;
mod privacy;
mod properties;
mod reports;
mod sarif;
mod show;
mod suppression;
