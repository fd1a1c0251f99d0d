//! Dates at the precision they were written: a day, a range of days, a month
//! or a year. Nothing here invents a day that was not written; the first and
//! last possible day are derived only when a rule needs to compare.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateSpec {
    Day(NaiveDate),
    Range(NaiveDate, NaiveDate),
    Month { year: i32, month: u32 },
    Year(i32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Range,
    Month,
    Year,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Range => "range",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `DAY..DAY`.
    Shape,
    /// Two days joined by a dash (`2025-10-21–2025-10-22`, with an en dash,
    /// an em dash or a hyphen) where a range is written with `..`.
    DashedRange,
    /// The right shape, but no such day or month (`2025-02-30`, `2025-13`).
    NotInCalendar {
        /// The bytes of the text at fault: within a range, the day that is.
        at: std::ops::Range<usize>,
        /// Why, in words: "November 2025 has 30 days".
        why: String,
    },
    /// A range whose ends are not both days.
    RangeOfNonDays,
    /// A range that ends before it starts.
    Reversed,
}

impl DateError {
    pub fn describe(&self) -> String {
        match self {
            DateError::Shape => {
                "not a date: expected `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`".to_owned()
            }
            DateError::DashedRange => "a range of days is written with `..`, as `2025-10-21..2025-10-22`".to_owned(),
            DateError::NotInCalendar { why, .. } => format!("not a date in the calendar: {why}"),
            DateError::RangeOfNonDays => "a date range joins two days (`YYYY-MM-DD..YYYY-MM-DD`)".to_owned(),
            DateError::Reversed => "the date range ends before it starts".to_owned(),
        }
    }

    /// The bytes of the date's text that the error is about, when it is a
    /// part of it (the bad day of a range).
    pub fn part(&self) -> Option<std::ops::Range<usize>> {
        match self {
            DateError::NotInCalendar { at, .. } => Some(at.clone()),
            _ => None,
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateSpec {
    pub fn parse(text: &str) -> Result<DateSpec, DateError> {
        // A byte search: `split_once("..")` builds a substring searcher on
        // every call, which shows in profiles of large ledgers.
        let range = memchr::memchr(b'.', text.as_bytes())
            .filter(|&dot| text.as_bytes().get(dot + 1) == Some(&b'.'))
            .map(|dot| (&text[..dot], &text[dot + 2..]));
        if let Some((start, end)) = range {
            let end_offset = start.len() + 2;
            let start = parse_single(start)?;
            let end = parse_single(end).map_err(|error| match error {
                DateError::NotInCalendar { at, why } => DateError::NotInCalendar {
                    at: at.start + end_offset..at.end + end_offset,
                    why,
                },
                other => other,
            })?;
            return match (start, end) {
                (DateSpec::Day(start), DateSpec::Day(end)) if end < start => Err(DateError::Reversed),
                (DateSpec::Day(start), DateSpec::Day(end)) => Ok(DateSpec::Range(start, end)),
                _ => Err(DateError::RangeOfNonDays),
            };
        }
        parse_single(text).map_err(|error| match error {
            DateError::Shape if is_dashed_range(text) => DateError::DashedRange,
            other => other,
        })
    }

    pub fn precision(self) -> Precision {
        match self {
            DateSpec::Day(_) => Precision::Day,
            DateSpec::Range(..) => Precision::Range,
            DateSpec::Month { .. } => Precision::Month,
            DateSpec::Year(_) => Precision::Year,
        }
    }

    /// The earliest day the date could mean.
    pub fn first_day(self) -> NaiveDate {
        match self {
            DateSpec::Day(day) | DateSpec::Range(day, _) => day,
            DateSpec::Month { year, month } => ymd(year, month, 1),
            DateSpec::Year(year) => ymd(year, 1, 1),
        }
    }

    /// The latest day the date could mean.
    pub fn last_day(self) -> NaiveDate {
        match self {
            DateSpec::Day(day) | DateSpec::Range(_, day) => day,
            DateSpec::Month { year, month } => {
                let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
                ymd(next_year, next_month, 1)
                    .pred_opt()
                    .expect("a month has a last day")
            }
            DateSpec::Year(year) => ymd(year, 12, 31),
        }
    }

    /// Whether the date could fall within `[since, until]`, both inclusive.
    pub fn overlaps(self, since: Option<NaiveDate>, until: Option<NaiveDate>) -> bool {
        since.is_none_or(|since| self.last_day() >= since) && until.is_none_or(|until| self.first_day() <= until)
    }
}

impl std::fmt::Display for DateSpec {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            DateSpec::Day(day) => write!(formatter, "{}", day.format("%Y-%m-%d")),
            DateSpec::Range(start, end) => {
                write!(formatter, "{}..{}", start.format("%Y-%m-%d"), end.format("%Y-%m-%d"))
            }
            DateSpec::Month { year, month } => write!(formatter, "{year:04}-{month:02}"),
            DateSpec::Year(year) => write!(formatter, "{year:04}"),
        }
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("validated when parsed")
}

fn parse_single(text: &str) -> Result<DateSpec, DateError> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = bytes.get(range)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0, |value, digit| value * 10 + u32::from(digit - b'0')))
    };
    let dash = |index: usize| bytes.get(index) == Some(&b'-');
    let year = digits(0..4).ok_or(DateError::Shape)? as i32;
    let not_in_calendar = |why: String| DateError::NotInCalendar { at: 0..text.len(), why };
    match bytes.len() {
        4 => Ok(DateSpec::Year(year)),
        7 if dash(4) => {
            let month = digits(5..7).ok_or(DateError::Shape)?;
            if (1..=12).contains(&month) {
                Ok(DateSpec::Month { year, month })
            } else {
                Err(not_in_calendar(format!("there is no month {month:02}")))
            }
        }
        10 if dash(4) && dash(7) => {
            let month = digits(5..7).ok_or(DateError::Shape)?;
            let day = digits(8..10).ok_or(DateError::Shape)?;
            if !(1..=12).contains(&month) {
                return Err(not_in_calendar(format!("there is no month {month:02}")));
            }
            NaiveDate::from_ymd_opt(year, month, day)
                .map(DateSpec::Day)
                .ok_or_else(|| {
                    let days = DateSpec::Month { year, month }.last_day().day();
                    let name = MONTHS[month as usize - 1];
                    not_in_calendar(if day == 0 {
                        "there is no day 00".to_owned()
                    } else {
                        format!("{name} {year:04} has {days} days")
                    })
                })
        }
        _ => Err(DateError::Shape),
    }
}

/// Whether `text` is two days joined by a dash (`-`, `–` or `—`): the
/// usual way to write a range outside track2.
fn is_dashed_range(text: &str) -> bool {
    [("–", 3), ("—", 3), ("-", 1)].iter().any(|&(dash, width)| {
        text.len() == 20 + width && text.is_char_boundary(10) && text[10..].starts_with(dash) && {
            let (start, end) = (&text[..10], &text[10 + width..]);
            parse_single(start).is_ok() && parse_single(end).is_ok()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_every_precision() {
        assert_eq!(DateSpec::parse("2025-10-21"), Ok(DateSpec::Day(day("2025-10-21"))));
        assert_eq!(
            DateSpec::parse("2025-10-21..2025-10-22"),
            Ok(DateSpec::Range(day("2025-10-21"), day("2025-10-22")))
        );
        assert_eq!(DateSpec::parse("2025-09"), Ok(DateSpec::Month { year: 2025, month: 9 }));
        assert_eq!(DateSpec::parse("2025"), Ok(DateSpec::Year(2025)));
    }

    #[test]
    fn rejects_what_is_not_in_the_calendar() {
        let why = |text| match DateSpec::parse(text) {
            Err(DateError::NotInCalendar { why, at }) => (why, at),
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(why("2025-02-30"), ("February 2025 has 28 days".into(), 0..10));
        assert_eq!(why("2024-02-30").0, "February 2024 has 29 days");
        assert_eq!(why("2025-13").0, "there is no month 13");
        assert_eq!(why("2025-00-10").0, "there is no month 00");
        assert_eq!(why("2025-11-00").0, "there is no day 00");
        // Within a range, the day at fault.
        assert_eq!(
            why("2025-11-01..2025-11-31"),
            ("November 2025 has 30 days".into(), 12..22)
        );
        assert_eq!(why("2025-11-31..2025-11-22").1, 0..10);
        assert_eq!(
            DateSpec::parse("2024-02-29").map(DateSpec::precision),
            Ok(Precision::Day)
        );
    }

    #[test]
    fn rejects_wrong_shapes() {
        for text in [
            "",
            "25",
            "2025-1-05",
            "2025/10/21",
            "2025-10-21x",
            "+025",
            "2025-10-",
            "2025..",
            "20255",
        ] {
            assert!(DateSpec::parse(text).is_err(), "{text:?} parsed");
        }
    }

    #[test]
    fn a_range_with_a_dash_is_told_how_to_write_it() {
        for text in [
            "2025-10-21–2025-10-22",
            "2025-10-21—2025-10-22",
            "2025-10-21-2025-10-22",
        ] {
            assert_eq!(DateSpec::parse(text), Err(DateError::DashedRange), "{text}");
        }
        assert_eq!(DateSpec::parse("2025-10-21–x"), Err(DateError::Shape));
    }

    #[test]
    fn ranges_join_two_days_in_order() {
        assert_eq!(DateSpec::parse("2025-10..2025-11"), Err(DateError::RangeOfNonDays));
        assert_eq!(DateSpec::parse("2025-10-22..2025-10-21"), Err(DateError::Reversed));
        assert!(DateSpec::parse("2025-10-21..2025-10-21").is_ok());
    }

    #[test]
    fn first_and_last_days() {
        let february = DateSpec::parse("2024-02").unwrap();
        assert_eq!(february.first_day(), day("2024-02-01"));
        assert_eq!(february.last_day(), day("2024-02-29"));
        let december = DateSpec::parse("2025-12").unwrap();
        assert_eq!(december.last_day(), day("2025-12-31"));
        let year = DateSpec::parse("2025").unwrap();
        assert_eq!(
            (year.first_day(), year.last_day()),
            (day("2025-01-01"), day("2025-12-31"))
        );
    }

    #[test]
    fn displays_as_written() {
        for text in ["2025-10-21", "2025-10-21..2025-10-22", "2025-09", "2025", "0999-01"] {
            assert_eq!(DateSpec::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn overlap_is_inclusive() {
        let october = DateSpec::parse("2025-10").unwrap();
        assert!(october.overlaps(Some(day("2025-10-31")), None));
        assert!(!october.overlaps(Some(day("2025-11-01")), None));
        assert!(october.overlaps(None, Some(day("2025-10-01"))));
        assert!(!october.overlaps(None, Some(day("2025-09-30"))));
    }
}
