//! What an output was asked for: the ledger, the day it is read as of, and
//! every filter in force. A table pasted into a briefing loses the command
//! that made it, so Markdown and terminal output open with it as a caption
//! line, and JSON carries it as a `query` object: both made here, from the
//! filter as resolved, once.

use serde::Serialize;

use super::ReportOptions;
use crate::filter::Described;

#[derive(Clone, Debug, Serialize)]
pub struct Query {
    /// `Held engagements, 2025-09 – 2025-11, track 1.5 — ledgers, as of
    /// 2026-01-01`.
    pub caption: String,
    /// The ledger's paths, as given.
    pub ledger: String,
    pub as_of: String,
    #[serde(flatten)]
    pub filters: Described,
    pub min_count: u64,
    pub include_private: bool,
    /// Whether any engagement passed the filters, for "no engagements
    /// match" rather than an empty table. Not their number: under
    /// `--min-count` that number may be withheld.
    #[serde(skip)]
    pub matched: bool,
}

impl Query {
    pub fn new(ledger: String, filters: Described, options: ReportOptions, reveal: bool, matched: bool) -> Query {
        let mut caption = filters.noun.clone();
        for words in &filters.words {
            caption.push_str(", ");
            caption.push_str(words);
        }
        if options.min_count > 1 {
            caption.push_str(&format!(", counts below {} withheld", options.min_count));
        }
        if reveal {
            caption.push_str(", private records included");
        }
        caption.push_str(&format!(" — {ledger}, as of {}", options.as_of));
        Query {
            caption,
            ledger,
            as_of: options.as_of.to_string(),
            filters,
            min_count: options.min_count,
            include_private: reveal,
            matched,
        }
    }
}
