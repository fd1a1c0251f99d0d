//! The integration tests: one crate, so that an edit in `src/` relinks one
//! test binary. Each module tests one face of track2; `support` holds what
//! they share (running the binary, the corpus, the as-of date).

mod support;

mod cli;
mod conformance;
mod fmt;
mod fmt_properties;
mod hostile;
mod privacy;
mod properties;
mod reports;
