//! The records an import makes, as ledger text in canonical form, and the
//! way back from a place in that text to the cell it came from.
//!
//! The text goes through [`crate::format`], so it is exactly what
//! `track2 fmt` would write: appending it to a canonical file keeps the file
//! canonical.

use std::collections::HashMap;

use crate::format;
use crate::schema::{self, BlockKind};

/// A new `person` declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedPerson {
    pub id: String,
    pub name: String,
    pub party: Option<String>,
    pub private: bool,
}

/// A new `org` declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedOrg {
    pub id: String,
    pub name: String,
}

/// A new engagement: its header's parts and its fields as `key: value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedEngagement {
    pub date: String,
    pub from: Vec<String>,
    pub to: String,
    pub title: String,
    pub fields: Vec<(String, String)>,
}

/// A record an import makes from a row: a new declaration or an engagement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportedRecord {
    Person(ImportedPerson),
    Org(ImportedOrg),
    Engagement(ImportedEngagement),
}

/// Where in the sheet a record came from: its row, and the column each of its keys was
/// read from (`date`, `from`, `to` and `title` for the header's parts).
/// `column` is where the whole record points: the name of a declaration,
/// or none for an engagement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SheetOrigin {
    pub row: usize,
    pub column: Option<usize>,
    pub columns: HashMap<String, usize>,
}

/// A record with where it came from.
#[derive(Clone, Debug)]
pub struct Made {
    pub record: ImportedRecord,
    pub origin: SheetOrigin,
}

/// The records as text, and where each one starts in it.
#[derive(Clone, Debug, Default)]
pub struct ImportedText {
    pub text: String,
    /// The byte offset of each record's first line, in record order.
    starts: Vec<usize>,
}

/// Writes `records` in canonical form, one block each, in order.
pub fn write(records: &[Made]) -> ImportedText {
    let mut text = String::new();
    for made in records {
        if !text.is_empty() {
            text.push('\n');
        }
        write_record(&made.record, &mut text);
    }
    // The text is written in canonical form already; formatting it is what
    // guarantees that, and costs one pass. Were the formatter to refuse it,
    // the ledger check that follows reports why, at the record's row.
    let text = format::format_text(&text).unwrap_or(text);
    let starts = block_starts(&text);
    ImportedText { text, starts }
}

fn write_record(record: &ImportedRecord, out: &mut String) {
    match record {
        ImportedRecord::Person(person) => {
            out.push_str(&format!("person {} {}\n", person.id, person.name));
            if let Some(party) = &person.party {
                out.push_str(&format!("  party: {party}\n"));
            }
            if person.private {
                out.push_str("  private: yes\n");
            }
        }
        ImportedRecord::Org(org) => out.push_str(&format!("org {} {}\n", org.id, org.name)),
        ImportedRecord::Engagement(engagement) => {
            out.push_str(&format!(
                "{} {} -> {} {}\n",
                engagement.date,
                engagement.from.join(" + "),
                engagement.to,
                engagement.title
            ));
            let mut fields: Vec<&(String, String)> = engagement.fields.iter().collect();
            // Stable: repeated keys (notes, sources) keep the sheet's order.
            fields.sort_by_key(|(key, _)| schema::field_slot(BlockKind::Engagement, key).unwrap_or(usize::MAX));
            for (key, value) in fields {
                out.push_str(&format!("  {key}: {value}\n"));
            }
        }
    }
}

/// The offsets of the lines that start a block: those that are neither
/// blank nor indented. The text has no comments or includes.
fn block_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with(|c: char| !c.is_whitespace()) {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
}

impl ImportedText {
    /// The row and column of the cell behind the byte `offset` of the text,
    /// given the records it was written from: the column of the field on
    /// that line, or of the header's part the offset falls in.
    pub fn locate(&self, records: &[Made], offset: usize) -> Option<(usize, Option<usize>)> {
        let block = self.starts.partition_point(|&start| start <= offset).checked_sub(1)?;
        let made = records.get(block)?;
        let origin = &made.origin;
        let line_start = self.text[..offset.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |at| at + 1);
        let line_end = self.text[line_start..]
            .find('\n')
            .map_or(self.text.len(), |at| line_start + at);
        let line = &self.text[line_start..line_end];
        let key = if line_start == self.starts[block] {
            match &made.record {
                ImportedRecord::Engagement(engagement) => Some(header_part(engagement, offset - line_start)),
                _ => None,
            }
        } else {
            line.trim_start().split(':').next().map(str::trim)
        };
        let column = key.and_then(|key| origin.columns.get(key).copied()).or(origin.column);
        Some((origin.row, column))
    }
}

/// Which part of an engagement's header line the byte `at` falls in.
fn header_part(engagement: &ImportedEngagement, at: usize) -> &'static str {
    let date_end = engagement.date.len();
    let from_end = date_end + 1 + engagement.from.join(" + ").len();
    let to_end = from_end + " -> ".len() + engagement.to.len();
    if at < date_end {
        "date"
    } else if at < from_end + 1 {
        "from"
    } else if at < to_end {
        "to"
    } else {
        "title"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn made(record: ImportedRecord, row: usize, columns: &[(&str, usize)], column: Option<usize>) -> Made {
        Made {
            record,
            origin: SheetOrigin {
                row,
                column,
                columns: columns
                    .iter()
                    .map(|(key, column)| ((*key).to_owned(), *column))
                    .collect(),
            },
        }
    }

    fn records() -> Vec<Made> {
        vec![
            made(
                ImportedRecord::Person(ImportedPerson {
                    id: "areg-kochinyan".into(),
                    name: "Արեգ Քոչինյան".into(),
                    party: Some("AM".into()),
                    private: true,
                }),
                2,
                &[],
                Some(6),
            ),
            made(
                ImportedRecord::Engagement(ImportedEngagement {
                    date: "2025-10-21".into(),
                    from: vec!["AM".into(), "AZ".into()],
                    to: "NL".into(),
                    title: "Dialogue".into(),
                    fields: vec![
                        ("note".into(), "second".into()),
                        ("participants".into(), "areg-kochinyan".into()),
                        ("format".into(), "dialogue".into()),
                        ("note".into(), "third".into()),
                    ],
                }),
                2,
                &[
                    ("date", 1),
                    ("from", 2),
                    ("to", 3),
                    ("title", 4),
                    ("format", 5),
                    ("participants", 6),
                    ("note", 7),
                ],
                None,
            ),
        ]
    }

    #[test]
    fn writes_canonical_text() {
        let written = write(&records());
        assert_eq!(
            written.text,
            "person areg-kochinyan Արեգ Քոչինյան\n  party: AM\n  private: yes\n\n\
             2025-10-21 AM + AZ -> NL Dialogue\n  format: dialogue\n  participants: areg-kochinyan\n  note: second\n  note: third\n"
        );
        assert_eq!(format::format_text(&written.text).unwrap(), written.text);
    }

    #[test]
    fn finds_the_cell_behind_each_place() {
        let records = records();
        let written = write(&records);
        let at = |needle: &str| written.text.find(needle).unwrap();
        assert_eq!(written.locate(&records, at("party: AM")), Some((2, Some(6))));
        assert_eq!(written.locate(&records, at("2025-10-21")), Some((2, Some(1))));
        assert_eq!(written.locate(&records, at("AZ -> NL")), Some((2, Some(2))));
        assert_eq!(written.locate(&records, at("NL Dia")), Some((2, Some(3))));
        assert_eq!(written.locate(&records, at("Dialogue\n")), Some((2, Some(4))));
        assert_eq!(
            written.locate(&records, at("areg-kochinyan\n  note")),
            Some((2, Some(6)))
        );
        assert_eq!(written.locate(&records, at("third")), Some((2, Some(7))));
    }
}
