//! track2: a plain-text ledger of Track 2 and Track 1.5 diplomacy.
//!
//! The library reads `.track2` files, checks them, and turns them into
//! reports; it never prints, never exits and never reads the environment.
//! The `track2` binary does those three. `ARCHITECTURE.md` maps the modules.
//!
//! ```
//! use track2::{AnalysisOptions, check, loader};
//!
//! let text = "party AM Armenia\nparty AZ Azerbaijan\nformat forum Forum\n\
//!             2025-11-04 AZ -> AM Orbeli Forum\n  format: forum\n";
//! let loaded = loader::load_bytes("example.track2", text.as_bytes().to_vec()).unwrap();
//! let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
//! let analysis = check(&loaded, &AnalysisOptions { as_of });
//! assert!(analysis.diagnostics.is_empty());
//! assert_eq!(analysis.ledger.engagement(track2::model::EngagementIndex(0)).title(), "Orbeli Forum");
//! ```
//!
//! Asked to keep the [`index`], the analysis also remembers where every id
//! is declared and used, which is what `track2 show` and the language
//! server answer from: here, what is under a cursor on the `AZ` of the
//! engagement's header, where it is declared, and every place it is used.
//!
//! ```
//! use track2::index::Role;
//! use track2::{AnalysisOptions, Keep, analyze, loader};
//!
//! let text = "party AM Armenia\nparty AZ Azerbaijan\nformat forum Forum\n\
//!             2025-11-04 AZ -> AM Orbeli Forum\n  format: forum\n";
//! let loaded = loader::load_bytes("example.track2", text.as_bytes().to_vec()).unwrap();
//! let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
//! let analysis = analyze(&loaded, &AnalysisOptions { as_of }, Keep::Index);
//! let index = analysis.index.as_ref().unwrap();
//! let file = loaded.sources.iter().next().unwrap().0;
//!
//! let cursor = text.find("AZ ->").unwrap();
//! let azerbaijan = index.symbol_at(file, cursor).unwrap();
//! let declared = index.definition(azerbaijan).unwrap();
//! assert_eq!(&text[declared.id.span.start as usize..declared.id.span.end as usize], "AZ");
//! assert_eq!(loaded.sources.get(file).position(declared.id.span.start as usize).line, 2);
//! let roles: Vec<Role> = index.references(azerbaijan).map(|used| used.role).collect();
//! assert_eq!(roles, [Role::Origin]);
//! ```

pub mod analyzer;
pub mod chart;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod escape;
pub mod export;
pub mod filter;
pub mod format;
pub mod fs;
pub mod html;
pub mod import;
pub mod index;
pub mod loader;
pub mod lsp;
pub mod model;
pub mod parallel;
pub mod parser;
pub mod position;
pub mod privacy;
pub mod render;
pub mod report;
pub mod schema;
pub mod show;
pub mod source;
pub mod suggest;
pub mod syntax;
pub mod table;

pub use analyzer::{Analysis, AnalysisOptions, Keep};
pub use diagnostic::{Code, Diagnostic, Severity, Tally};
pub use fs::{Disk, FileSystem};
pub use loader::{LoadError, LoadOptions, Loaded};

/// The model of a loaded ledger with everything found wrong in it: the
/// problems met while reading files and those found by the analysis, in
/// report order. What reports and exports start from.
pub fn check<'a>(loaded: &'a Loaded, options: &AnalysisOptions) -> Analysis<'a> {
    analyze(loaded, options, Keep::Ledger)
}

/// Like [`check`], but the engagements are checked and dropped, not kept:
/// what `track2 check` needs, in memory close to the size of the text.
pub fn validate<'a>(loaded: &'a Loaded, options: &AnalysisOptions) -> Analysis<'a> {
    analyze(loaded, options, Keep::Diagnostics)
}

/// [`check`] or [`validate`], or anything between, as `keep` says.
pub fn analyze<'a>(loaded: &'a Loaded, options: &AnalysisOptions, keep: Keep) -> Analysis<'a> {
    let mut analysis = analyzer::analyze(&loaded.sources, &loaded.directives, options, keep);
    analysis.diagnostics.extend(loaded.diagnostics.iter().cloned());
    diagnostic::sort(&mut analysis.diagnostics);
    analysis
}
