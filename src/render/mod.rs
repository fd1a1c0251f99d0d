//! Diagnostics as text: for a person at a terminal ([`human`]), for programs
//! ([`json`]), for GitHub Actions annotations ([`github`]), as the one-line
//! `FILE:LINE:COL:` form of compilers, for editors ([`gnu`]), and for the
//! code-review tools that read files of results: GitHub code scanning
//! ([`sarif`]) and GitLab Code Quality ([`gitlab`]). Each renderer is a small
//! function over the one [`Diagnostic`](crate::diagnostic::Diagnostic) type;
//! none of them knows whether it writes to a terminal: the caller says whether
//! to use colour and how wide the output may be.

pub mod github;
pub mod gitlab;
pub mod gnu;
pub mod human;
pub mod json;
pub mod rules;
pub mod sarif;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Component, Path};

use crate::diagnostic::Diagnostic;
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

/// A file name as code-review tools match it against the repository: its
/// components joined with `/` whatever the platform, without `./`. A name
/// given relative to the repository's root (as `track2 check` run there
/// gives them) is then the path those tools know the file by.
fn repository_path(name: &str) -> String {
    let path = Path::new(name);
    let mut out = String::with_capacity(name.len());
    for component in path.components() {
        let part = match component {
            Component::CurDir => continue,
            Component::RootDir => {
                out.push('/');
                continue;
            }
            Component::Prefix(prefix) => prefix.as_os_str().to_string_lossy(),
            Component::ParentDir => Cow::Borrowed(".."),
            Component::Normal(part) => part.to_string_lossy(),
        };
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&part);
    }
    out
}

/// One fingerprint per diagnostic, which stays the same from run to run
/// while the problem stays: code-review tools match results between runs by
/// it, to keep an alert's history and not to report a problem twice.
///
/// It is made of the code, the file and the message, and of how many
/// diagnostics with those three came before it, so two alike problems in
/// one file still differ. Line numbers are left out, so that a line added
/// above a problem does not make it a new one. The message is the one the
/// output prints (masked, for a public output): a fingerprint of the
/// unmasked text could be checked against guessed names.
fn fingerprints(diagnostics: &[Diagnostic], sources: &SourceMap) -> Vec<String> {
    let mut seen: HashMap<(&str, &str, &str), u32> = HashMap::new();
    diagnostics
        .iter()
        .map(|diagnostic| {
            let file = sources.get(diagnostic.location.file).name();
            let key = (diagnostic.code.as_str(), file, diagnostic.message.as_str());
            let occurrence = seen.entry(key).or_insert(0);
            *occurrence += 1;
            let mut hash = Fnv128::new();
            for part in [key.0, &repository_path(key.1), key.2, &occurrence.to_string()] {
                hash.write(part.as_bytes());
                // A separator no part contains, so that ("ab", "c") and
                // ("a", "bc") differ.
                hash.write(&[0xff]);
            }
            format!("{:032x}", hash.finish())
        })
        .collect()
}

/// FNV-1a with 128 bits: small, with no dependency, and its value is fixed by
/// its definition, unlike the standard library's hashers, which may change
/// between Rust releases and would change every fingerprint with them.
struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Fnv128 {
        Fnv128(Self::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u128::from(byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn finish(&self) -> u128 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_paths_use_slashes_and_no_dot() {
        assert_eq!(repository_path("./ledgers/2025.track2"), "ledgers/2025.track2");
        assert_eq!(repository_path("ledgers//a.track2"), "ledgers/a.track2");
        assert_eq!(repository_path("../ledgers/a.track2"), "../ledgers/a.track2");
        assert_eq!(repository_path("/srv/a.track2"), "/srv/a.track2");
    }

    #[test]
    fn fnv_128_matches_its_published_vectors() {
        // From the FNV reference (draft-eastlake-fnv): FNV-1a 128 of "" and "a".
        assert_eq!(Fnv128::new().finish(), 0x6c62272e07bb014262b821756295c58d);
        let mut hash = Fnv128::new();
        hash.write(b"a");
        assert_eq!(hash.finish(), 0xd228cb696f1a8caf78912b704e4a8964);
    }
}
