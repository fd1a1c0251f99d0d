//! A row made into an engagement: its header (date, direction, title), its
//! single values, its lists of names and tags, and its texts, each noted
//! with the column it came from.

use std::collections::HashMap;

use super::Run;
use super::cell::{At, lines, one_line};
use super::declare::PersonOrOrg;
use super::labels::LabelKind;
use crate::import::names::{match_key, slug};
use crate::import::problem::{ImportCode, Problem, quote};
use crate::import::records::{ImportedEngagement, ImportedRecord, Made, SheetOrigin};
use crate::import::rules::{Hide, ImportField, References};
use crate::import::source::SheetRow;
use crate::model::{Confidentiality, Status};

impl Run<'_> {
    /// Reads one row into an engagement, or reports why it cannot be one.
    pub(super) fn engagement(&mut self, row: &SheetRow) -> Option<Made> {
        let problems_before = self.problems.len();
        let hide = self.is_private(row);
        let mut origin = SheetOrigin {
            row: row.number,
            column: None,
            columns: HashMap::new(),
        };
        let mut record = ImportedEngagement {
            date: String::new(),
            from: Vec::new(),
            to: String::new(),
            title: String::new(),
            fields: Vec::new(),
        };
        // The header: date, direction, title.
        if let Some(value) = self.required(row, &ImportField::Date) {
            note_origin(&mut origin, "date", value.at);
            if let Some(date) = self.date(&value) {
                record.date = date;
            }
        }
        if let Some(value) = self.required(row, &ImportField::From) {
            note_origin(&mut origin, "from", value.at);
            for item in self.items(&value.text) {
                if let Some(party) = self.party(&value, &item) {
                    if record.from.contains(&party) {
                        continue;
                    }
                    record.from.push(party);
                }
            }
        }
        if let Some(value) = self.required(row, &ImportField::To) {
            note_origin(&mut origin, "to", value.at);
            let text = one_line(&value.text);
            if match_key(self.mapped(&ImportField::To, &text)) == "online" {
                record.to = "online".into();
            } else if let Some(party) = self.party(&value, &text) {
                record.to = party;
            }
        }
        if let Some(value) = self.required(row, &ImportField::Title) {
            note_origin(&mut origin, "title", value.at);
            record.title = one_line(&value.text);
        }
        if let Some(value) = self.required(row, &ImportField::Format) {
            note_origin(&mut origin, "format", value.at);
            if let Some(format) = self.label(&value, LabelKind::Format) {
                record.fields.push(("format".into(), format));
            }
        }

        // Single values.
        for field in [ImportField::Id, ImportField::Reciprocates] {
            if let Some(value) = self.value(row, &field) {
                note_origin(&mut origin, field.key(), value.at);
                let text = one_line(self.mapped(&field, &value.text));
                if crate::parser::is_id(&text) {
                    record.fields.push((field.key().into(), text));
                } else {
                    let message = format!("{} is not an id", quote(&text));
                    let help = Some("an id is a letter, then letters, digits, `.`, `_` or `-`".to_owned());
                    self.report(&field, value.at, ImportCode::NotAnId, message, help);
                }
            }
        }
        if let Some(value) = self.value(row, &ImportField::Track) {
            note_origin(&mut origin, "track", value.at);
            if let Some(track) = self.track(&value) {
                // Track 2 is the ledger's default, and it writes none.
                if track != "2" {
                    record.fields.push(("track".into(), track));
                }
            }
        }
        if let Some(value) = self.value(row, &ImportField::Series) {
            note_origin(&mut origin, "series", value.at);
            if let Some(series) = self.label(&value, LabelKind::Series) {
                record.fields.push(("series".into(), series));
            }
        }
        if let Some(value) = self.value(row, &ImportField::Status) {
            note_origin(&mut origin, "status", value.at);
            if let Some(status) = self.word(&value, Status::WORDS) {
                if status != Status::Held.as_str() {
                    record.fields.push(("status".into(), status));
                }
            }
        }
        let confidential = match self.value(row, &ImportField::Confidential) {
            Some(value) => {
                note_origin(&mut origin, "confidential", value.at);
                self.word(&value, Confidentiality::WORDS)
            }
            None => None,
        };
        let confidential = if hide == Some(Hide::Engagement) {
            Some(Confidentiality::Private.as_str().to_owned())
        } else {
            confidential
        };
        if let Some(confidential) = confidential {
            record.fields.push(("confidential".into(), confidential));
        }
        if let Some(value) = self.value(row, &ImportField::Embargo) {
            note_origin(&mut origin, "embargo", value.at);
            if let Some(date) = self.date(&value) {
                record.fields.push(("embargo".into(), date));
            }
        }
        if let Some(value) = self.value(row, &ImportField::Venue) {
            note_origin(&mut origin, "venue", value.at);
            record
                .fields
                .push(("venue".into(), one_line(self.mapped(&ImportField::Venue, &value.text))));
        }

        // Lists.
        let visiting = match record.from.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        };
        let private_people = hide == Some(Hide::People);
        if let Some(value) = self.value(row, &ImportField::Sponsors) {
            note_origin(&mut origin, "sponsors", value.at);
            let mut ids = Vec::new();
            for item in self.items(&value.text) {
                if let Some(id) = self.declared(&value, &item, PersonOrOrg::Org, None, false) {
                    ids.push(id);
                }
            }
            if !ids.is_empty() {
                record.fields.push(("sponsors".into(), ids.join(", ")));
            }
        }
        for (field, as_participant) in [(ImportField::Participants, true), (ImportField::Met, false)] {
            let Some(value) = self.value(row, &field) else {
                continue;
            };
            note_origin(&mut origin, field.key(), value.at);
            let mut items = Vec::new();
            for item in self.items(&value.text) {
                let mapped = self.mapped(&field, &item).to_owned();
                if as_participant && mapped.starts_with('+') {
                    if let Some(count) = self.count(&value, &mapped) {
                        items.push(count);
                    }
                    continue;
                }
                let party = if as_participant {
                    Some(visiting.as_deref())
                } else {
                    None
                };
                if let Some(id) = self.declared(&value, &item, PersonOrOrg::Person, party, private_people) {
                    items.push(id);
                }
            }
            if !items.is_empty() {
                record.fields.push((field.key().into(), items.join(", ")));
            }
        }
        if let Some(value) = self.value(row, &ImportField::Tags) {
            note_origin(&mut origin, "tags", value.at);
            let mut tags = Vec::new();
            for item in self.items(&value.text) {
                let mapped = self.mapped(&ImportField::Tags, &item);
                // With ids, a tag is kept exactly; a tag written as words
                // becomes an id.
                let tag = if self.rules.references == References::Ids {
                    crate::parser::is_id(mapped).then(|| mapped.to_owned())
                } else {
                    slug(mapped)
                };
                match tag {
                    Some(tag) => tags.push(tag),
                    None => {
                        let message = format!("the tag {} has no letters or digits to make an id of", quote(&item));
                        self.report(&ImportField::Tags, value.at, ImportCode::NotAnId, message, None);
                    }
                }
            }
            if !tags.is_empty() {
                record.fields.push(("tags".into(), tags.join(", ")));
            }
        }

        // Texts, one per line of the cell.
        let mut text_fields = vec![ImportField::Source, ImportField::Note];
        text_fields.extend(
            self.columns
                .iter()
                .filter(|(field, _)| matches!(field, ImportField::Custom(_)))
                .map(|(field, _)| field.clone()),
        );
        text_fields.extend(
            self.rules
                .constants
                .keys()
                .filter(|field| matches!(field, ImportField::Custom(_)))
                .cloned(),
        );
        for field in text_fields {
            if let Some(value) = self.value(row, &field) {
                note_origin(&mut origin, field.key(), value.at);
                for line in lines(&value.text) {
                    record.fields.push((field.key().into(), line.to_owned()));
                }
            }
        }

        // A near match is a warning: the row is still an engagement.
        if self.problems[problems_before..].iter().any(Problem::is_error) {
            return None;
        }
        Some(Made {
            record: ImportedRecord::Engagement(record),
            origin,
        })
    }
}

/// Records where an engagement's field was read from.
fn note_origin(origin: &mut SheetOrigin, key: &str, at: At) {
    if let At::Cell { column, .. } = at {
        origin.columns.insert(key.to_owned(), column);
    }
}
