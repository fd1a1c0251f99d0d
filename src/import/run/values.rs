//! A value read as one of the forms the ledger knows: a date, a track, one
//! of a closed set of words (a status, a confidentiality), or a count of
//! people who took part unnamed.

use super::Run;
use super::cell::{CellValue, one_line};
use crate::import::dates::DateProblem;
use crate::import::names::slug;
use crate::import::problem::{ImportCode, quote};
use crate::import::rules::ImportField;
use crate::suggest;

impl Run<'_> {
    pub(super) fn date(&mut self, value: &CellValue) -> Option<String> {
        let text = one_line(self.mapped(&value.field, &value.text));
        let problem = match self.date_forms.parse(&text) {
            Ok(date) => return Some(date.to_string()),
            Err(problem) => problem,
        };
        let forms = "a day as 21.10.2025, 2025-10-21 or 21 Oct 2025; a month as Oct 2025 or 2025-10; \
                     a year as 2025; a range as 21–22 Oct 2025 or 21-22.10.2025";
        let (code, message, help) = match problem {
            DateProblem::Unreadable => (
                ImportCode::UnreadableDate,
                format!("{} is not a date", quote(&text)),
                format!("write {forms}, or set the sheet's day form with `date_format` under [sheet]"),
            ),
            DateProblem::Ambiguous => (
                ImportCode::AmbiguousDate,
                format!("{} could be a day first or a month first", quote(&text)),
                "set `date_format = \"%d/%m/%Y\"` (or \"%m/%d/%Y\") under [sheet]".to_owned(),
            ),
            DateProblem::NotInCalendar => (
                ImportCode::DateNotInCalendar,
                format!("{} is not a day of the calendar", quote(&text)),
                "check the day and the month".to_owned(),
            ),
            DateProblem::Backwards => (
                ImportCode::BackwardsDateRange,
                format!("the range {} ends before it starts", quote(&text)),
                "swap its ends".to_owned(),
            ),
            DateProblem::MonthRange => (
                ImportCode::MonthRange,
                format!("{} is a range of months", quote(&text)),
                "a ledger's ranges join two days: record the first month, the year, or the days if known".to_owned(),
            ),
        };
        self.report(&value.field.clone(), value.at, code, message, Some(help));
        None
    }

    pub(super) fn track(&mut self, value: &CellValue) -> Option<String> {
        let mapped = one_line(self.mapped(&value.field, &value.text));
        let lower = mapped.to_lowercase();
        let number = lower.strip_prefix("track").unwrap_or(&lower).trim().replace(',', ".");
        if crate::model::Track::parse(&number).is_some() {
            return Some(number);
        }
        self.report(
            &value.field.clone(),
            value.at,
            ImportCode::UnknownValue,
            format!("{} is not a track", quote(&mapped)),
            Some("a track is 1, 1.5 or 2 (`Track 1.5` will do)".into()),
        );
        None
    }

    /// One of `words`, written in any case, with blanks for dashes.
    pub(super) fn word(&mut self, value: &CellValue, words: &[&str]) -> Option<String> {
        let mapped = one_line(self.mapped(&value.field, &value.text));
        let written = slug(&mapped).unwrap_or_default();
        if let Some(word) = words.iter().find(|word| **word == written) {
            return Some((*word).to_owned());
        }
        let help = suggest::did_you_mean(&written, words.iter().copied())
            .unwrap_or_else(|| format!("use one of {}", words.join(", ")));
        self.report(
            &value.field.clone(),
            value.at,
            ImportCode::UnknownValue,
            format!("{} is not a `{}`", quote(&mapped), value.field.key()),
            Some(format!("{help} (or map it under [values.{}])", value.field.key())),
        );
        None
    }

    /// `+N PARTY`: people who took part but are not named.
    pub(super) fn count(&mut self, value: &CellValue, item: &str) -> Option<String> {
        let rest = &item[1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (number, after) = rest.split_at(digits);
        let party = after.trim();
        let count = number.parse::<u32>().ok().filter(|&count| count > 0);
        let separated = after.starts_with([' ', '\t']) && !party.is_empty();
        let (Some(count), true) = (count, separated) else {
            self.report(
                &value.field.clone(),
                value.at,
                ImportCode::BadCount,
                format!("{} is not a count of people", quote(item)),
                Some("write `+N PARTY`, N from 1: `+3 AZ`".into()),
            );
            return None;
        };
        let count_value = CellValue {
            text: party.to_owned(),
            at: value.at,
            field: ImportField::From,
        };
        let party = self.party(&count_value, party)?;
        Some(format!("+{count} {party}"))
    }
}
