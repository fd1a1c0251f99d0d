//! What an import did, for the summary on standard error (or as JSON):
//! rows read and skipped, declarations reused and made, and the new names
//! near an existing one.

use serde::Serialize;

/// What the import did, for the summary on standard error.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Rows below the header, skipped ones included.
    pub rows_read: usize,
    pub engagements_made: usize,
    pub persons_reused: usize,
    pub persons_made: usize,
    pub orgs_reused: usize,
    pub orgs_made: usize,
    pub near_matches: Vec<NearMatch>,
    /// New names not compared with the others: see [`super::ImportOptions`].
    pub names_not_searched: usize,
    pub rows_skipped: Vec<SkippedRow>,
}

/// A name that matched no declaration but is close to one: made into a new
/// declaration, and reported for a person to decide.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct NearMatch {
    pub row: usize,
    pub column: usize,
    /// The name as the sheet writes it.
    pub written: String,
    /// The name it is near, and that name's id.
    pub near: String,
    pub near_id: String,
    /// The id the import made for `written`.
    pub made_id: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SkippedRow {
    pub row: usize,
    pub reason: String,
}
