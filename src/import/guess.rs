//! Rules guessed from a sheet's header, for a first run without a rules
//! file: each column whose name is a field's name or a usual synonym gives
//! that field, and a column of `3/4/2025` dates gets the day form its
//! numbers allow. The guess is printed so the user can keep and edit it.

use super::names::match_key;
use super::rules::{ImportField, Rules, Setting};
use super::source::SheetRow;

/// Header names (by key) that give each field, beside the field's own key.
const SYNONYMS: &[(ImportField, &[&str])] = &[
    (ImportField::Date, &["dates", "when", "day", "event date"]),
    (
        ImportField::From,
        &["origin", "visiting side", "visitors", "from party", "delegation from"],
    ),
    (
        ImportField::To,
        &["host", "destination", "to party", "hosted by", "host country"],
    ),
    (
        ImportField::Title,
        &["event", "name", "meeting", "event name", "subject", "description"],
    ),
    (ImportField::Id, &["entry id", "code"]),
    (ImportField::Format, &["type", "kind", "event type", "formats"]),
    (ImportField::Track, &["tracks"]),
    (ImportField::Series, &["programme", "program"]),
    (ImportField::Status, &["state"]),
    (ImportField::Confidential, &["confidentiality", "privacy"]),
    (ImportField::Venue, &["place", "location", "city"]),
    (
        ImportField::Sponsors,
        &[
            "sponsor",
            "funded by",
            "funders",
            "organisers",
            "organizers",
            "organiser",
            "organizer",
        ],
    ),
    (
        ImportField::Participants,
        &["participant", "attendees", "delegation", "delegates", "people", "who"],
    ),
    (
        ImportField::Met,
        &["met with", "hosts", "officials met", "counterparts"],
    ),
    (
        ImportField::Source,
        &["sources", "link", "links", "url", "urls", "reference", "references"],
    ),
    (ImportField::Note, &["notes", "comment", "comments", "remarks"]),
    (ImportField::Tags, &["tag", "keywords", "labels"]),
];

/// What the guess found: the rules, and the columns it did not use.
#[derive(Clone, Debug)]
pub struct Guess {
    pub rules: Rules,
    pub unused: Vec<String>,
}

/// Guesses rules from the header row, and the day form from the date
/// column's cells.
pub fn guess(header: &SheetRow, rows: &[SheetRow]) -> Guess {
    let mut rules = Rules::default();
    let mut unused = Vec::new();
    for (index, name) in header.cells.iter().enumerate() {
        let trimmed = name.trim();
        if trimmed.is_empty() {
            continue;
        }
        match field_for(trimmed) {
            Some(field) if !rules.columns.contains_key(&field) => {
                rules
                    .columns
                    .insert(field.clone(), Setting::guessed(trimmed.to_owned()));
                if field == ImportField::Date {
                    rules.date_formats.extend(day_form(rows, index + 1));
                }
            }
            _ => unused.push(trimmed.to_owned()),
        }
    }
    Guess { rules, unused }
}

/// The field a header names, if any.
fn field_for(header: &str) -> Option<ImportField> {
    if let Some(field) = ImportField::from_key(header) {
        return Some(field);
    }
    let key = match_key(header);
    if let Some(field) = ImportField::ALL.iter().find(|field| field.key() == key) {
        return Some(field.clone());
    }
    SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(field, _)| field.clone())
}

/// `%d/%m/%Y` or `%m/%d/%Y` when some cell of the column has numbers
/// joined by `/` that only one of the two reads: a first number above 12
/// is a day, a second one above 12 too.
fn day_form(rows: &[SheetRow], column: usize) -> Option<String> {
    for row in rows {
        let parts: Vec<&str> = row.cell(column).trim().split('/').collect();
        let [first, second, year] = parts.as_slice() else {
            continue;
        };
        let number = |text: &str| text.parse::<u32>().ok();
        let (Some(first), Some(second), Some(_)) = (number(first), number(second), number(year)) else {
            continue;
        };
        if first > 12 && second <= 12 {
            return Some("%d/%m/%Y".into());
        }
        if second > 12 && first <= 12 {
            return Some("%m/%d/%Y".into());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: usize, cells: &[&str]) -> SheetRow {
        SheetRow {
            number,
            cells: cells.iter().map(|cell| (*cell).to_owned()).collect(),
        }
    }

    #[test]
    fn maps_usual_header_names() {
        let header = row(
            1,
            &[
                "Date",
                "From",
                "Host",
                "Event",
                "Type",
                "Participants",
                "Notes",
                "x-budget",
                "Contact",
                "date",
            ],
        );
        let guess = guess(&header, &[]);
        let columns: Vec<(&str, &str)> = guess
            .rules
            .columns
            .iter()
            .map(|(field, column)| (field.key(), column.value.as_str()))
            .collect();
        assert_eq!(
            columns,
            [
                ("date", "Date"),
                ("from", "From"),
                ("to", "Host"),
                ("title", "Event"),
                ("format", "Type"),
                ("participants", "Participants"),
                ("note", "Notes"),
                ("x-budget", "x-budget"),
            ]
        );
        assert_eq!(guess.unused, ["Contact", "date"]);
    }

    #[test]
    fn export_headers_map_to_their_fields() {
        let header = row(
            1,
            &["id", "date", "precision", "from", "sources", "notes", "withheld_met"],
        );
        let guess = guess(&header, &[]);
        assert_eq!(guess.rules.columns[&ImportField::Source].value, "sources");
        assert_eq!(guess.rules.columns[&ImportField::Note].value, "notes");
        assert_eq!(guess.unused, ["precision", "withheld_met"]);
    }

    #[test]
    fn a_date_column_settles_its_day_form_when_it_can() {
        let header = row(1, &["Date"]);
        let rows = [row(2, &["3/4/2025"]), row(3, &["21/10/2025"])];
        assert_eq!(guess(&header, &rows).rules.date_formats, ["%d/%m/%Y"]);
        let rows = [row(2, &["10/21/2025"])];
        assert_eq!(guess(&header, &rows).rules.date_formats, ["%m/%d/%Y"]);
        let rows = [row(2, &["3/4/2025"])];
        assert!(guess(&header, &rows).rules.date_formats.is_empty());
    }
}
