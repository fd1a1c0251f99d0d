//! Reading a block's fields by the schema: which key is which, given once or
//! repeated, and each value read as its kind says (a choice among words, a
//! date, an id, a list, a URL). Every problem is reported where it stands;
//! what could not be read is `None`, so that checking goes on.

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::date::DateSpec;
use crate::diagnostic::{Code, Diagnostic};
use crate::parser::is_id;
use crate::schema::{self, BlockKind, MAX_FIELDS, ValueKind};
use crate::source::{FileId, Location, Span};
use crate::suggest;
use crate::syntax::{BLANKS, Block, Field, ListItem, list_items};

/// Lists read from one field: on the stack for the usual few items, so that
/// checking an engagement allocates nothing it does not keep.
pub(super) type Items<T> = SmallVec<[T; 8]>;

/// Marks a custom `x-…` field in [`BlockFields::all`].
const CUSTOM: u8 = u8::MAX;
/// Marks a key the block does not take (already reported).
const UNKNOWN: u8 = u8::MAX - 1;

/// Lists longer than this are checked for repeats with a hash table: a
/// linear search per item would make a list of 100,000 tags quadratic.
const SCAN_REPEATS_UP_TO: usize = 16;

/// The fields of one block by schema slot: the first occurrence of each,
/// and every field with its slot, for repeatable and custom keys.
pub(super) struct BlockFields<'b> {
    kind: BlockKind,
    slots: [Option<&'b Field>; MAX_FIELDS],
    all: SmallVec<[(u8, &'b Field); 16]>,
}

impl<'b> BlockFields<'b> {
    pub fn get(&self, slot: usize) -> Option<&'b Field> {
        self.slots[slot]
    }

    /// Every field with the given slot (or [`CUSTOM`]), in file order.
    fn with_slot(&self, slot: u8) -> impl Iterator<Item = &'b Field> + '_ {
        self.all
            .iter()
            .filter(move |(known, _)| *known == slot)
            .map(|(_, field)| *field)
    }
}

/// Reads the fields of blocks of one file, reporting into `diagnostics`.
pub(super) struct FieldReader<'r, 'a> {
    pub file: FileId,
    pub text: &'a str,
    pub diagnostics: &'r mut Vec<Diagnostic>,
}

impl<'a> FieldReader<'_, 'a> {
    pub fn slice(&self, span: Span) -> &'a str {
        &self.text[span.range()]
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn at(&self, span: Span) -> Location {
        Location { file: self.file, span }
    }

    /// The fields of `block`, each key checked against the block's schema:
    /// unknown keys and single-valued keys given twice are reported.
    pub fn collect<'b>(&mut self, block: &'b Block, kind: BlockKind) -> BlockFields<'b> {
        let specs = schema::fields(kind);
        let mut fields = BlockFields {
            kind,
            slots: [None; MAX_FIELDS],
            all: SmallVec::new(),
        };
        for field in block.fields() {
            let key = self.slice(field.key);
            if schema::is_custom_key(key) {
                fields.all.push((CUSTOM, field));
                continue;
            }
            let Some(slot) = schema::field_slot(kind, key) else {
                fields.all.push((UNKNOWN, field));
                self.report_unknown_field(field.key, key, specs);
                continue;
            };
            fields.all.push((slot as u8, field));
            match fields.slots[slot] {
                Some(first) if !specs[slot].repeatable => self.report(
                    Diagnostic::new(
                        Code::RepeatedField,
                        self.file,
                        field.key,
                        format!("`{key}` is given twice"),
                    )
                    .with_label("given again here")
                    .with_related(self.at(first.key), "first given here")
                    .with_help(format!(
                        "`{key}` takes one value; lists are written on one line, separated by commas"
                    )),
                ),
                Some(_) => {}
                None => fields.slots[slot] = Some(field),
            }
        }
        fields
    }

    fn report_unknown_field(&mut self, at: Span, key: &str, specs: &[schema::FieldSpec]) {
        let known = specs.iter().map(|spec| spec.key);
        let help = suggest::did_you_mean(key, known).unwrap_or_else(|| match specs {
            [] => "this block takes only custom `x-…` fields".to_owned(),
            _ => format!(
                "allowed here: {}, and custom `x-…` fields",
                specs
                    .iter()
                    .map(|spec| format!("`{}`", spec.key))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        self.report(
            Diagnostic::new(Code::UnknownField, self.file, at, format!("unknown field `{key}`")).with_help(help),
        );
    }

    /// The value of a single-valued field; `None` when absent or empty (an
    /// empty value was reported by the parser).
    pub fn value(&self, fields: &BlockFields<'_>, slot: usize) -> Option<(&'a str, Span)> {
        fields
            .get(slot)
            .filter(|field| !field.value.is_empty())
            .map(|field| (self.slice(field.value), field.value))
    }

    /// Every value of a repeatable field, in file order.
    pub fn all_values(&self, fields: &BlockFields<'_>, slot: usize) -> Items<(&'a str, Span)> {
        fields
            .with_slot(slot as u8)
            .filter(|field| !field.value.is_empty())
            .map(|field| (self.slice(field.value), field.value))
            .collect()
    }

    /// The custom `x-…` fields, as key and value spans, in file order.
    pub fn extra_fields(&self, fields: &BlockFields<'_>) -> Items<(Span, Span)> {
        fields
            .with_slot(CUSTOM)
            .filter(|field| !field.value.is_empty())
            .map(|field| (field.key, field.value))
            .collect()
    }

    pub fn id_value(&mut self, fields: &BlockFields<'_>, slot: usize) -> Option<(&'a str, Span)> {
        let (text, span) = self.value(fields, slot)?;
        if is_id(text) {
            Some((text, span))
        } else {
            self.invalid_id(span, text);
            None
        }
    }

    pub fn invalid_id(&mut self, span: Span, text: &str) {
        self.report(
            Diagnostic::new(Code::InvalidId, self.file, span, format!("`{text}` is not an id")).with_help(
                "ids start with a letter and go on with letters, digits, `.`, `_` or `-`; lists are separated by commas",
            ),
        );
    }

    /// A field whose value is one of a fixed set of words.
    pub fn choice(&mut self, fields: &BlockFields<'_>, slot: usize) -> Option<&'a str> {
        let (text, span) = self.value(fields, slot)?;
        let spec = &schema::fields(fields.kind)[slot];
        let key = spec.key;
        let ValueKind::Choice(words) = spec.value else {
            unreachable!("`{key}` is not a choice")
        };
        if words.contains(&text) {
            return Some(text);
        }
        let allowed = words
            .iter()
            .map(|word| format!("`{word}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match suggest::nearest(text, words.iter().copied()) {
            Some(word) => format!("did you mean `{word}`? allowed: {allowed}"),
            None => format!("allowed: {allowed}"),
        };
        self.report(
            Diagnostic::new(
                Code::InvalidValue,
                self.file,
                span,
                format!("`{text}` is not a valid `{key}`"),
            )
            .with_help(help),
        );
        None
    }

    pub fn wikidata(&mut self, fields: &BlockFields<'_>, slot: usize) -> Option<&'a str> {
        let (text, span) = self.value(fields, slot)?;
        let valid = text.len() > 1 && text.starts_with('Q') && text[1..].bytes().all(|b| b.is_ascii_digit());
        if valid {
            return Some(text);
        }
        self.report(
            Diagnostic::new(
                Code::InvalidValue,
                self.file,
                span,
                format!("`{text}` is not a Wikidata item id"),
            )
            .with_help("write the item id, `Q` and digits, e.g. `Q399`"),
        );
        None
    }

    pub fn date(&mut self, fields: &BlockFields<'_>, slot: usize) -> Option<DateSpec> {
        let (text, span) = self.value(fields, slot)?;
        match DateSpec::parse(text) {
            Ok(date) => Some(date),
            Err(error) => {
                self.report(Diagnostic::new(
                    Code::InvalidDate,
                    self.file,
                    span,
                    format!("`{text}`: {}", error.describe()),
                ));
                None
            }
        }
    }

    /// Every `source:`: an http(s) URL without blanks.
    pub fn urls(&mut self, fields: &BlockFields<'_>, slot: usize, urls: &mut Items<Span>) {
        for (url, span) in self.all_values(fields, slot) {
            let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
            if rest.is_some_and(|rest| !rest.is_empty() && !rest.contains(BLANKS)) {
                urls.push(span);
            } else {
                self.report(
                    Diagnostic::new(
                        Code::InvalidUrl,
                        self.file,
                        span,
                        format!("`{url}` is not an http(s) URL"),
                    )
                    .with_help(
                        "a source is one `http://` or `https://` address without blanks; give each source its own line",
                    ),
                );
            }
        }
    }

    /// Calls `each` with every item of the list in field `slot`, in order,
    /// having reported any empty item: what every list field reads alike.
    pub fn each_list_item(
        &mut self,
        fields: &BlockFields<'_>,
        slot: usize,
        mut each: impl FnMut(&mut Self, &'a str, Span),
    ) {
        let Some((text, value)) = self.value(fields, slot) else {
            return;
        };
        for item in list_items(text, value) {
            match item {
                ListItem::Empty(point) => self.report(
                    Diagnostic::new(Code::EmptyListItem, self.file, point, "an empty item in a list")
                        .with_help("remove the extra comma"),
                ),
                ListItem::Item(item, span) => each(self, item, span),
            }
        }
    }

    /// A list of ids, each checked to be one and to appear once, into `ids`.
    /// Lists are written into the caller's buffer rather than returned:
    /// moving a small vector copies all its inline slots, which showed in
    /// profiles of large ledgers.
    pub fn id_list(&mut self, fields: &BlockFields<'_>, slot: usize, ids: &mut Items<(&'a str, Span)>) {
        let mut repeats = Repeats::default();
        self.each_list_item(fields, slot, |this, item, span| {
            if !is_id(item) {
                this.invalid_id(span, item);
            } else if let Some(first) = repeats.first_of(item, span, ids, |(earlier, _)| *earlier) {
                this.report_repeated_item(span, first, item);
            } else {
                ids.push((item, span));
            }
        });
    }

    pub fn report_repeated_item(&mut self, span: Span, first: Span, item: &str) {
        self.report(
            Diagnostic::new(
                Code::DuplicateListItem,
                self.file,
                span,
                format!("`{item}` is listed twice"),
            )
            .with_label("listed again here")
            .with_related(self.at(first), "first listed here")
            .with_help("list each item once"),
        );
    }
}

/// Finds an item listed earlier in the same list: by scanning while the
/// list is short, by a hash table once it is long, so that a list of any
/// length is read in linear time.
pub(super) struct Repeats<K> {
    seen: Option<FxHashMap<K, Span>>,
}

impl<K> Default for Repeats<K> {
    fn default() -> Repeats<K> {
        Repeats { seen: None }
    }
}

impl<K: std::hash::Hash + Eq + Copy> Repeats<K> {
    /// The span of the first item among `earlier` whose key (`key_of`) is
    /// `key`, or `None` after noting `key` at `span` as a first. `earlier`
    /// holds the items kept so far, which are all distinct.
    pub fn first_of<T: HasSpan>(
        &mut self,
        key: K,
        span: Span,
        earlier: &[T],
        key_of: impl Fn(&T) -> K,
    ) -> Option<Span> {
        if self.seen.is_none() && earlier.len() < SCAN_REPEATS_UP_TO {
            return earlier.iter().find(|item| key_of(item) == key).map(HasSpan::span);
        }
        let seen = self
            .seen
            .get_or_insert_with(|| earlier.iter().map(|item| (key_of(item), item.span())).collect());
        match seen.entry(key) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(span);
                None
            }
        }
    }
}

/// An item of a list buffer, with the span it was read from.
pub(super) trait HasSpan {
    fn span(&self) -> Span;
}

impl<T> HasSpan for (T, Span) {
    fn span(&self) -> Span {
        self.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser;
    use crate::source::FileId;

    fn diagnostics_of(text: &str, read: impl Fn(&mut FieldReader<'_, '_>, &BlockFields<'_>)) -> Vec<&'static str> {
        let (document, syntax) = parser::parse(FileId(0), text);
        assert!(syntax.is_empty(), "{syntax:?}");
        let block = document.blocks().next().unwrap();
        let mut diagnostics = Vec::new();
        let mut reader = FieldReader {
            file: FileId(0),
            text,
            diagnostics: &mut diagnostics,
        };
        let fields = reader.collect(block, BlockKind::Engagement);
        read(&mut reader, &fields);
        diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn unknown_and_repeated_keys() {
        let codes = diagnostics_of("2025 AM -> AZ T\n  venu: x\n  venue: a\n  venue: b\n", |_, _| {});
        assert_eq!(codes, ["unknown-field", "repeated-field"]);
    }

    #[test]
    fn choices_and_dates() {
        let text = "2025 AM -> AZ T\n  track: 3\n  embargo: 2025-13\n";
        let codes = diagnostics_of(text, |reader, fields| {
            use crate::schema::slot;
            assert_eq!(reader.choice(fields, slot(BlockKind::Engagement, "track")), None);
            assert_eq!(reader.date(fields, slot(BlockKind::Engagement, "embargo")), None);
        });
        assert_eq!(codes, ["invalid-value", "invalid-date"]);
    }

    #[test]
    fn repeats_in_a_long_list_are_found_in_linear_time() {
        let tags: Vec<String> = (0..20_000).map(|i| format!("t{i}")).collect();
        let text = format!("2025 AM -> AZ T\n  tags: {}, t7, t19999\n", tags.join(", "));
        let codes = diagnostics_of(&text, |reader, fields| {
            let mut ids = Items::new();
            reader.id_list(fields, crate::schema::slot(BlockKind::Engagement, "tags"), &mut ids);
            assert_eq!(ids.len(), 20_000);
        });
        assert_eq!(codes, ["duplicate-list-item", "duplicate-list-item"]);
    }

    #[test]
    fn a_repeat_of_an_early_item_is_found_after_the_table_starts() {
        let mut repeats = Repeats::default();
        let mut items: Vec<(u32, Span)> = Vec::new();
        for i in 0..40u32 {
            let span = Span::new(i as usize, i as usize + 1);
            assert_eq!(repeats.first_of(i, span, &items, |(item, _)| *item), None);
            items.push((i, span));
        }
        let again = Span::new(99, 100);
        assert_eq!(
            repeats.first_of(3, again, &items, |(item, _)| *item),
            Some(Span::new(3, 4))
        );
        assert_eq!(
            repeats.first_of(39, again, &items, |(item, _)| *item),
            Some(Span::new(39, 40))
        );
    }
}
