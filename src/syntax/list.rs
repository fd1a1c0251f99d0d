//! The inside of a list value, `a, b, +3 AM`: where its items are, and the
//! shape of a count of unnamed people. One reading, shared by the analyzer
//! (which checks the items), the formatter (which rewrites them) and the
//! language server (which finds the item under a cursor).

use super::BLANKS;
use crate::source::Span;

/// One item of a comma-separated list, or the place of an empty one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListItem<'t> {
    /// The item, trimmed of blanks, and its span.
    Item(&'t str, Span),
    /// An empty item (`a, , b` or a trailing comma): the point just after
    /// the comma before it, or the value's start.
    Empty(Span),
}

/// The items of the list `text`, whose span in the file is `value`, split
/// at commas and trimmed of blanks.
pub fn list_items(text: &str, value: Span) -> impl Iterator<Item = ListItem<'_>> {
    let mut start = 0;
    text.split(',').map(move |raw| {
        let raw_start = value.start as usize + start;
        start += raw.len() + 1;
        let item = raw.trim_matches(BLANKS);
        if item.is_empty() {
            return ListItem::Empty(Span::point(raw_start));
        }
        let item_start = raw_start + (raw.len() - raw.trim_start_matches(BLANKS).len());
        ListItem::Item(item, Span::new(item_start, item_start + item.len()))
    })
}

/// What a count says of the number of people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountMarker {
    /// `+6 AM`.
    Exact,
    /// `+~6 AM`: about six.
    About,
    /// `+? AM`: some, number unknown.
    Unknown,
}

/// A list item shaped like a count of unnamed people: `+N PARTY`, `+~N PARTY`
/// or `+? PARTY`, with at least one blank before the party. Whether N is at
/// least 1 and the party is declared is for the analyzer to judge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountItem<'t> {
    pub marker: CountMarker,
    /// The digits as written; empty for an unknown count.
    pub digits: &'t str,
    pub party: &'t str,
    pub party_span: Span,
}

impl CountItem<'_> {
    /// The count as the canonical form writes it: `+6 AM`, `+~6 AM`, `+? AM`.
    pub fn canonical(&self) -> String {
        let marker = match self.marker {
            CountMarker::Exact => "",
            CountMarker::About => "~",
            CountMarker::Unknown => "?",
        };
        format!("+{marker}{} {}", self.digits, self.party)
    }
}

/// The count `item` (whose span is `span`), or `None` if it is not shaped
/// like one. Items starting with `+` that are not counts are malformed.
pub fn count_item(item: &str, span: Span) -> Option<CountItem<'_>> {
    let rest = item.strip_prefix('+')?;
    let (marker, rest) = if let Some(rest) = rest.strip_prefix('~') {
        (CountMarker::About, rest)
    } else if let Some(rest) = rest.strip_prefix('?') {
        (CountMarker::Unknown, rest)
    } else {
        (CountMarker::Exact, rest)
    };
    let digit_count = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, after) = rest.split_at(digit_count);
    let party = after.trim_start_matches(BLANKS);
    let has_number = marker != CountMarker::Unknown;
    let shaped = digits.is_empty() != has_number && party.len() < after.len() && crate::parser::is_id(party);
    if !shaped {
        return None;
    }
    let party_start = span.start as usize + (item.len() - party.len());
    Some(CountItem {
        marker,
        digits,
        party,
        party_span: Span::new(party_start, party_start + party.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Vec<ListItem<'_>> {
        list_items(text, Span::new(10, 10 + text.len())).collect()
    }

    #[test]
    fn items_are_trimmed_and_placed() {
        assert_eq!(
            items("a,  b ,c"),
            [
                ListItem::Item("a", Span::new(10, 11)),
                ListItem::Item("b", Span::new(14, 15)),
                ListItem::Item("c", Span::new(17, 18)),
            ]
        );
    }

    #[test]
    fn empty_items_point_after_their_comma() {
        assert_eq!(
            items("a, ,b,"),
            [
                ListItem::Item("a", Span::new(10, 11)),
                ListItem::Empty(Span::point(12)),
                ListItem::Item("b", Span::new(14, 15)),
                ListItem::Empty(Span::point(16)),
            ]
        );
    }

    #[test]
    fn counts_of_every_kind() {
        let count = |text: &'static str| count_item(text, Span::new(0, text.len()));
        let exact = count("+3  AZ").unwrap();
        assert_eq!(
            (exact.marker, exact.digits, exact.party),
            (CountMarker::Exact, "3", "AZ")
        );
        assert_eq!(exact.party_span, Span::new(4, 6));
        assert_eq!(exact.canonical(), "+3 AZ");
        assert_eq!(count("+~6 AM").unwrap().canonical(), "+~6 AM");
        assert_eq!(count("+?\tAM").unwrap().canonical(), "+? AM");
        // `+0 AM` is shaped like a count; N = 0 is the analyzer's to refuse.
        assert_eq!(count("+0 AM").unwrap().digits, "0");
        for malformed in ["+ AM", "+3AM", "+~ AM", "+?3 AM", "+3 1x", "3 AM", "+~", "+"] {
            assert_eq!(count(malformed), None, "{malformed}");
        }
    }
}
