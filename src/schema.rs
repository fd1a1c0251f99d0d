//! Which fields each kind of block takes, what their values are, and in what
//! order the formatter writes them. One table, read by the analyzer and the
//! formatter alike, so the two can never disagree.

use crate::model::{Confidentiality, OrgKind, Status, Track};
use crate::syntax::DeclarationKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Declaration(DeclarationKind),
    Engagement,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Free text.
    Text,
    /// One id; the reference it makes, if any, is resolved by the analyzer.
    Id,
    /// Comma-separated ids.
    IdList,
    /// Comma-separated person ids and `+N PARTY` counts.
    Participants,
    /// An `http://` or `https://` URL.
    Url,
    /// A date of any precision.
    Date,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// A Wikidata item id, `Q` and digits.
    Wikidata,
}

#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    pub key: &'static str,
    pub value: ValueKind,
    pub repeatable: bool,
}

const fn single(key: &'static str, value: ValueKind) -> FieldSpec {
    FieldSpec {
        key,
        value,
        repeatable: false,
    }
}

const fn repeatable(key: &'static str, value: ValueKind) -> FieldSpec {
    FieldSpec {
        key,
        value,
        repeatable: true,
    }
}

const PARTY_FIELDS: &[FieldSpec] = &[single("wikidata", ValueKind::Wikidata)];

const ORG_FIELDS: &[FieldSpec] = &[
    single("party", ValueKind::Id),
    single("kind", ValueKind::Choice(OrgKind::WORDS)),
    single("wikidata", ValueKind::Wikidata),
];

const PERSON_FIELDS: &[FieldSpec] = &[
    single("party", ValueKind::Id),
    single("org", ValueKind::Id),
    single("role", ValueKind::Text),
    repeatable("alias", ValueKind::Text),
    single("private", ValueKind::Choice(&["yes"])),
    single("wikidata", ValueKind::Wikidata),
];

const ENGAGEMENT_FIELDS: &[FieldSpec] = &[
    single("id", ValueKind::Id),
    single("format", ValueKind::Id),
    single("track", ValueKind::Choice(Track::WORDS)),
    single("series", ValueKind::Id),
    single("reciprocates", ValueKind::Id),
    single("status", ValueKind::Choice(Status::WORDS)),
    single("confidential", ValueKind::Choice(Confidentiality::WORDS)),
    single("embargo", ValueKind::Date),
    single("venue", ValueKind::Text),
    single("sponsors", ValueKind::IdList),
    single("participants", ValueKind::Participants),
    single("met", ValueKind::IdList),
    repeatable("source", ValueKind::Url),
    repeatable("note", ValueKind::Text),
    single("tags", ValueKind::IdList),
];

/// The fields a block takes, in canonical order. Custom `x-…` fields are
/// accepted everywhere besides these, and written after them.
pub const fn fields(kind: BlockKind) -> &'static [FieldSpec] {
    match kind {
        BlockKind::Declaration(DeclarationKind::Party) => PARTY_FIELDS,
        BlockKind::Declaration(DeclarationKind::Org) => ORG_FIELDS,
        BlockKind::Declaration(DeclarationKind::Person) => PERSON_FIELDS,
        BlockKind::Declaration(DeclarationKind::Format | DeclarationKind::Series) => &[],
        BlockKind::Engagement => ENGAGEMENT_FIELDS,
    }
}

/// The position of `key` in `fields(kind)`.
pub fn field_slot(kind: BlockKind, key: &str) -> Option<usize> {
    fields(kind).iter().position(|spec| spec.key == key)
}

/// The position of `key` in `fields(kind)`, for constants: evaluated at
/// compile time, where a key missing from the schema stops the build.
pub const fn slot(kind: BlockKind, key: &str) -> usize {
    let specs = fields(kind);
    let mut index = 0;
    while index < specs.len() {
        if const_eq(specs[index].key.as_bytes(), key.as_bytes()) {
            return index;
        }
        index += 1;
    }
    panic!("no such key in the schema")
}

const fn const_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

/// `x-` followed by at least one character: free metadata, repeatable.
pub fn is_custom_key(key: &str) -> bool {
    key.len() > 2 && key.starts_with("x-")
}

/// Whether `key` is a field of some block, or a custom `x-…` key: a line
/// starting with it has lost its indent rather than named a directive.
pub fn is_key_of_any_block(key: &str) -> bool {
    is_custom_key(key)
        || DeclarationKind::ALL
            .into_iter()
            .map(BlockKind::Declaration)
            .chain([BlockKind::Engagement])
            .any(|kind| field_slot(kind, key).is_some())
}

/// The most fields any block kind has; sizes per-block lookup arrays.
pub const MAX_FIELDS: usize = ENGAGEMENT_FIELDS.len();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_block_has_more_fields_than_the_lookup_arrays_hold() {
        let kinds = DeclarationKind::ALL
            .into_iter()
            .map(BlockKind::Declaration)
            .chain([BlockKind::Engagement]);
        for kind in kinds {
            assert!(fields(kind).len() <= MAX_FIELDS);
        }
    }

    #[test]
    fn only_the_documented_keys_repeat() {
        let repeating: Vec<_> = [BlockKind::Declaration(DeclarationKind::Person), BlockKind::Engagement]
            .into_iter()
            .flat_map(fields)
            .filter(|spec| spec.repeatable)
            .map(|spec| spec.key)
            .collect();
        assert_eq!(repeating, ["alias", "source", "note"]);
    }

    #[test]
    fn custom_keys_need_a_name() {
        assert!(is_custom_key("x-budget"));
        assert!(!is_custom_key("x-"));
        assert!(!is_custom_key("xbudget"));
    }
}
