//! Diagnostics as text: for a person at a terminal ([`human`]), for programs
//! ([`json`]), for GitHub Actions annotations ([`github`]) and as the one-line
//! `FILE:LINE:COL:` form of compilers, for editors ([`gnu`]). Each renderer is
//! a small function over the one [`Diagnostic`](crate::diagnostic::Diagnostic)
//! type; none of them knows whether it writes to a terminal: the caller says
//! whether to use colour and how wide the output may be.

pub mod github;
pub mod gnu;
pub mod human;
pub mod json;

use crate::source::{Location, Position, SourceMap};

/// Where a location is, as a person counts: file name, start and end.
struct Place<'s> {
    file: &'s str,
    start: Position,
    /// Exclusive: the position just after the last character.
    end: Position,
}

fn place(sources: &SourceMap, location: Location) -> Place<'_> {
    let file = sources.get(location.file);
    Place {
        file: file.name(),
        start: file.position(location.span.start as usize),
        end: file.position(location.span.end as usize),
    }
}
