//! Dates as spreadsheets write them, read at the precision written:
//! `21.10.2025` is a day, `Oct 2025` a month, `21–22 Oct 2025` and
//! `21-22.10.2025` ranges of days; nothing invents a day.
//!
//! A sheet's day form is a chrono format (`%d.%m.%Y`, `%d/%m/%Y`,
//! `%b %d, %Y`). Months and ranges are read with the same format, less the
//! parts a cell leaves out: `%m.%Y` for `10.2025`; `%d` on the left of
//! `21–22.10.2025`, its month and year taken from the right. Month names in
//! English, Azerbaijani, Russian and Armenian are read by turning them into
//! English ones first.

use chrono::NaiveDate;
use chrono::format::{Parsed, StrftimeItems};

use crate::date::{DateError, DateSpec};

/// Forms tried after the rules' own, in this order.
pub const BUILT_IN_FORMATS: &[&str] = &["%d.%m.%Y", "%d %b %Y", "%b %d, %Y", "%d-%b-%Y"];

/// Why a cell is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateProblem {
    /// No form reads it.
    Unreadable,
    /// `3/4/2025` with no day form that says which number is the day.
    Ambiguous,
    /// The right shape, but no such day (`30.02.2025`, `32.10.2025`).
    NotInCalendar,
    /// A range that ends before it starts.
    Backwards,
    /// `Oct–Nov 2025`: the ledger's ranges join days.
    MonthRange,
}

/// The forms a sheet's dates are read with: the rules' formats first, then
/// the built-in ones.
#[derive(Clone, Debug)]
pub struct DateForms {
    formats: Vec<DayFormat>,
}

impl DateForms {
    /// `formats` are the rules' own, tried before the built-in ones. A format
    /// without a day, a month or a year is refused: it names the one that
    /// is missing.
    pub fn new(formats: &[String]) -> Result<DateForms, String> {
        let mut parsed = Vec::new();
        for format in formats {
            parsed.push(DayFormat::new(format)?);
        }
        for format in BUILT_IN_FORMATS {
            parsed.push(DayFormat::new(format).expect("built-in formats are complete"));
        }
        Ok(DateForms { formats: parsed })
    }

    /// Reads `cell` as a date of any precision.
    pub fn parse(&self, cell: &str) -> Result<DateSpec, DateProblem> {
        // Nothing longer is a date, and a cap keeps the tries below bounded.
        const LONGEST: usize = 100;
        let text = normalise(cell);
        if text.is_empty() || text.chars().count() > LONGEST {
            return Err(DateProblem::Unreadable);
        }
        match DateSpec::parse(&text) {
            Ok(date) => return Ok(date),
            Err(DateError::NotInCalendar { .. }) => return Err(DateProblem::NotInCalendar),
            Err(DateError::Reversed) => return Err(DateProblem::Backwards),
            Err(DateError::Shape | DateError::DashedRange | DateError::RangeOfNonDays) => {}
        }
        let mut problem = DateProblem::Unreadable;
        for format in &self.formats {
            match format.read(&text, Parts::DAY_MONTH_YEAR) {
                Read::Date(parts) => return parts.day_spec().ok_or(DateProblem::NotInCalendar),
                Read::OutOfRange => problem = DateProblem::NotInCalendar,
                Read::No => {}
            }
            if let Read::Date(parts) = format.read(&text, Parts::MONTH_YEAR) {
                return parts.month_spec().ok_or(DateProblem::NotInCalendar);
            }
        }
        if problem == DateProblem::Unreadable {
            for (left, right) in range_splits(&text) {
                for format in &self.formats {
                    match format.read_range(left, right) {
                        Some(Ok(date)) => return Ok(date),
                        Some(Err(found)) => problem = found,
                        None => {}
                    }
                }
            }
        }
        if problem == DateProblem::Unreadable && is_slashed_numbers(&text) {
            return Err(DateProblem::Ambiguous);
        }
        Err(problem)
    }
}

/// What a date is made of, as far as a cell gives it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Date {
    day: Option<u32>,
    month: Option<u32>,
    year: Option<i32>,
}

impl Date {
    fn day_spec(self) -> Option<DateSpec> {
        self.naive().map(DateSpec::Day)
    }

    fn naive(self) -> Option<NaiveDate> {
        let year = self.year.filter(|year| (1..=9999).contains(year))?;
        NaiveDate::from_ymd_opt(year, self.month?, self.day?)
    }

    fn month_spec(self) -> Option<DateSpec> {
        let year = self.year.filter(|year| (1..=9999).contains(year))?;
        let month = self.month.filter(|month| (1..=12).contains(month))?;
        Some(DateSpec::Month { year, month })
    }

    /// Fills what this side of a range leaves out from the other side.
    fn completed_from(self, other: Date) -> Date {
        Date {
            day: self.day,
            month: self.month.or(other.month),
            year: self.year.or(other.year),
        }
    }
}

/// Which parts of a day format a cell is read with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Parts {
    day: bool,
    month: bool,
    year: bool,
}

impl Parts {
    const DAY_MONTH_YEAR: Parts = Parts::of(true, true, true);
    const DAY_MONTH: Parts = Parts::of(true, true, false);
    const DAY: Parts = Parts::of(true, false, false);
    const DAY_YEAR: Parts = Parts::of(true, false, true);
    const MONTH_YEAR: Parts = Parts::of(false, true, true);
    const MONTH: Parts = Parts::of(false, true, false);

    const fn of(day: bool, month: bool, year: bool) -> Parts {
        Parts { day, month, year }
    }

    fn keeps(self, component: Component) -> bool {
        match component {
            Component::Day => self.day,
            Component::Month => self.month,
            Component::Year => self.year,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Component {
    Day,
    Month,
    Year,
}

/// One piece of a chrono format: a specifier of a date's component, or the
/// literal text between them.
#[derive(Clone, Debug)]
enum Piece {
    Spec(Component, String),
    Literal(String),
}

/// A day format, cut into pieces so that it can also read a cell that leaves
/// a part out.
#[derive(Clone, Debug)]
struct DayFormat {
    pieces: Vec<Piece>,
}

enum Read {
    Date(Date),
    /// The shape fitted but a number was out of range (`32.10.2025`).
    OutOfRange,
    No,
}

impl DayFormat {
    fn new(format: &str) -> Result<DayFormat, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut characters = format.chars();
        while let Some(character) = characters.next() {
            if character != '%' {
                literal.push(character);
                continue;
            }
            let Some(spec) = characters.next() else {
                return Err(format!("`{format}` ends in a lone `%`"));
            };
            let component = match spec {
                'd' | 'e' => Component::Day,
                'm' | 'b' | 'B' | 'h' => Component::Month,
                'Y' | 'y' => Component::Year,
                '%' => {
                    literal.push('%');
                    continue;
                }
                other => {
                    return Err(format!(
                        "`%{other}` in `{format}` is not a part of a day: use %d, %m (or %b, %B) and %Y (or %y)"
                    ));
                }
            };
            if !literal.is_empty() {
                pieces.push(Piece::Literal(std::mem::take(&mut literal)));
            }
            pieces.push(Piece::Spec(component, format!("%{spec}")));
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        for (component, name) in [
            (Component::Day, "a day (%d)"),
            (Component::Month, "a month (%m or %b)"),
            (Component::Year, "a year (%Y)"),
        ] {
            let count = pieces
                .iter()
                .filter(|piece| matches!(piece, Piece::Spec(found, _) if *found == component))
                .count();
            if count != 1 {
                return Err(format!("`{format}` must have exactly one {name}"));
            }
        }
        Ok(DayFormat { pieces })
    }

    /// The chrono format for the parts kept: each specifier left out takes
    /// one literal beside it along (the one after it, or before it when it
    /// comes last), so that `%d.%m.%Y` less the year is `%d.%m` and
    /// `%b %d, %Y` less the day is `%b %Y`.
    fn format_for(&self, parts: Parts) -> String {
        let mut kept: Vec<&Piece> = Vec::new();
        let mut index = 0;
        while index < self.pieces.len() {
            let piece = &self.pieces[index];
            index += 1;
            match piece {
                Piece::Spec(component, _) if !parts.keeps(*component) => {
                    if matches!(self.pieces.get(index), Some(Piece::Literal(_))) {
                        index += 1;
                    } else if matches!(kept.last(), Some(Piece::Literal(_))) {
                        kept.pop();
                    }
                }
                other => kept.push(other),
            }
        }
        kept.iter()
            .map(|piece| match piece {
                Piece::Spec(_, spec) => spec.clone(),
                Piece::Literal(text) => text.replace('%', "%%"),
            })
            .collect()
    }

    fn read(&self, text: &str, parts: Parts) -> Read {
        let format = self.format_for(parts);
        let mut parsed = Parsed::new();
        match chrono::format::parse(&mut parsed, text, StrftimeItems::new(&format)) {
            Ok(()) => {}
            Err(error) if error.kind() == chrono::format::ParseErrorKind::OutOfRange => return Read::OutOfRange,
            Err(_) => return Read::No,
        }
        let year = parsed.year().or_else(|| {
            parsed
                .year_mod_100()
                .map(|year| if year < 70 { 2000 + year } else { 1900 + year })
        });
        let date = Date {
            day: parsed.day(),
            month: parsed.month(),
            year,
        };
        let complete = (!parts.day || date.day.is_some())
            && (!parts.month || date.month.is_some())
            && (!parts.year || date.year.is_some());
        if complete { Read::Date(date) } else { Read::No }
    }

    /// `left` and `right` as the two ends of a range in this format, the
    /// left one perhaps without its month and year (`21–22 Oct 2025`), the
    /// right one perhaps without its month (`Oct 21–22, 2025`). `None` when
    /// the format does not read them.
    fn read_range(&self, left: &str, right: &str) -> Option<Result<DateSpec, DateProblem>> {
        let read = |text: &str, tries: &[Parts]| {
            tries.iter().find_map(|&parts| match self.read(text, parts) {
                Read::Date(date) => Some(date),
                _ => None,
            })
        };
        let end = read(right, &[Parts::DAY_MONTH_YEAR, Parts::DAY_YEAR]);
        let start = read(left, &[Parts::DAY_MONTH_YEAR, Parts::DAY_MONTH, Parts::DAY]);
        let (Some(start), Some(end)) = (start, end) else {
            let months =
                read(right, &[Parts::MONTH_YEAR]).is_some() && read(left, &[Parts::MONTH_YEAR, Parts::MONTH]).is_some();
            return months.then_some(Err(DateProblem::MonthRange));
        };
        let end = end.completed_from(start);
        let start = start.completed_from(end);
        let (Some(first), Some(last)) = (start.naive(), end.naive()) else {
            return Some(Err(DateProblem::NotInCalendar));
        };
        Some(if last < first {
            Err(DateProblem::Backwards)
        } else {
            Ok(DateSpec::Range(first, last))
        })
    }
}

/// Every way of cutting `text` at a range's dash (`..`, `–`, `—` or `-`)
/// into two non-empty ends.
fn range_splits(text: &str) -> Vec<(&str, &str)> {
    let mut splits = Vec::new();
    for (at, character) in text.char_indices() {
        let width = match character {
            '–' | '—' | '-' => character.len_utf8(),
            '.' if text[at + 1..].starts_with('.') => 2,
            _ => continue,
        };
        let (left, right) = (text[..at].trim(), text[at + width..].trim());
        if !left.is_empty() && !right.is_empty() {
            splits.push((left, right));
        }
    }
    splits
}

/// `3/4/2025`: numbers that only a day form can tell apart.
fn is_slashed_numbers(text: &str) -> bool {
    let parts: Vec<&str> = text.split('/').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// The cell's text with blanks collapsed, month names in English, and the
/// words that only say "year" (`г.`) dropped.
fn normalise(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell.trim();
    while let Some(character) = rest.chars().next() {
        if character.is_alphabetic() {
            let end = rest
                .char_indices()
                .find(|(_, c)| !c.is_alphabetic())
                .map_or(rest.len(), |(at, _)| at);
            let word = &rest[..end];
            rest = &rest[end..];
            let lower = word.to_lowercase();
            if let Some(month) = month_number(&lower) {
                out.push_str(ENGLISH_MONTHS[month as usize - 1]);
                // `Oct.` is an abbreviation, not a separator.
                rest = rest.strip_prefix('.').unwrap_or(rest);
            } else if matches!(lower.as_str(), "г" | "года" | "год") {
                rest = rest.strip_prefix('.').unwrap_or(rest);
                while out.ends_with(' ') {
                    out.pop();
                }
            } else {
                out.push_str(word);
            }
            continue;
        }
        rest = &rest[character.len_utf8()..];
        if character.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(character);
        }
    }
    out.trim().to_owned()
}

const ENGLISH_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The month a lower-case word names, in any of the languages read.
fn month_number(word: &str) -> Option<u32> {
    const NAMES: [&[&str]; 12] = [
        &[
            "january",
            "jan",
            "yanvar",
            "январь",
            "января",
            "янв",
            "հունվար",
            "հունվարի",
        ],
        &[
            "february",
            "feb",
            "fevral",
            "февраль",
            "февраля",
            "фев",
            "փետրվար",
            "փետրվարի",
        ],
        &["march", "mar", "mart", "март", "марта", "мар", "մարտ", "մարտի"],
        &["april", "apr", "aprel", "апрель", "апреля", "апр", "ապրիլ", "ապրիլի"],
        &["may", "май", "мая", "մայիս", "մայիսի"],
        &["june", "jun", "iyun", "июнь", "июня", "июн", "հունիս", "հունիսի"],
        &["july", "jul", "iyul", "июль", "июля", "июл", "հուլիս", "հուլիսի"],
        &[
            "august",
            "aug",
            "avqust",
            "август",
            "августа",
            "авг",
            "օգոստոս",
            "օգոստոսի",
        ],
        &[
            "september",
            "sep",
            "sept",
            "sentyabr",
            "сентябрь",
            "сентября",
            "сен",
            "сент",
            "սեպտեմբեր",
            "սեպտեմբերի",
        ],
        &[
            "october",
            "oct",
            "oktyabr",
            "октябрь",
            "октября",
            "окт",
            "հոկտեմբեր",
            "հոկտեմբերի",
        ],
        &[
            "november",
            "nov",
            "noyabr",
            "ноябрь",
            "ноября",
            "ноя",
            "նոյեմբեր",
            "նոյեմբերի",
        ],
        &[
            "december",
            "dec",
            "dekabr",
            "декабрь",
            "декабря",
            "дек",
            "դեկտեմբեր",
            "դեկտեմբերի",
        ],
    ];
    NAMES
        .iter()
        .position(|names| names.contains(&word))
        .map(|index| index as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn parse(cell: &str) -> Result<String, DateProblem> {
        DateForms::new(&[]).unwrap().parse(cell).map(|date| date.to_string())
    }

    fn parse_with(format: &str, cell: &str) -> Result<String, DateProblem> {
        DateForms::new(&[format.to_owned()])
            .unwrap()
            .parse(cell)
            .map(|date| date.to_string())
    }

    #[test]
    fn the_ledgers_own_forms_are_read_as_they_are() {
        for text in ["2025-10-21", "2025-10", "2025", "2025-10-21..2025-10-22"] {
            assert_eq!(parse(text).as_deref(), Ok(text));
        }
        assert_eq!(parse("2025-02-30"), Err(DateProblem::NotInCalendar));
    }

    #[test]
    fn days_keep_their_precision() {
        assert_eq!(parse("21.10.2025").as_deref(), Ok("2025-10-21"));
        assert_eq!(parse("1.2.2025").as_deref(), Ok("2025-02-01"));
        assert_eq!(parse("21 Oct 2025").as_deref(), Ok("2025-10-21"));
        assert_eq!(parse("21 October 2025").as_deref(), Ok("2025-10-21"));
        assert_eq!(parse("October 21, 2025").as_deref(), Ok("2025-10-21"));
        assert_eq!(parse("21-Oct-2025").as_deref(), Ok("2025-10-21"));
        assert_eq!(parse(" 21  Oct.  2025 ").as_deref(), Ok("2025-10-21"));
    }

    #[test]
    fn months_stay_months() {
        assert_eq!(parse("Oct 2025").as_deref(), Ok("2025-10"));
        assert_eq!(parse("October 2025").as_deref(), Ok("2025-10"));
        assert_eq!(parse("10.2025").as_deref(), Ok("2025-10"));
        assert_eq!(parse("oktyabr 2025").as_deref(), Ok("2025-10"));
        assert_eq!(parse("Октябрь 2025").as_deref(), Ok("2025-10"));
        assert_eq!(parse("հոկտեմբեր 2025").as_deref(), Ok("2025-10"));
    }

    #[test]
    fn ranges_take_what_one_end_leaves_out_from_the_other() {
        assert_eq!(parse("21–22 Oct 2025").as_deref(), Ok("2025-10-21..2025-10-22"));
        assert_eq!(parse("21-22 Oct 2025").as_deref(), Ok("2025-10-21..2025-10-22"));
        assert_eq!(parse("21-22.10.2025").as_deref(), Ok("2025-10-21..2025-10-22"));
        assert_eq!(parse("30 Oct – 2 Nov 2025").as_deref(), Ok("2025-10-30..2025-11-02"));
        assert_eq!(parse("30.12.2025–02.01.2026").as_deref(), Ok("2025-12-30..2026-01-02"));
        assert_eq!(parse("Oct 21–22, 2025").as_deref(), Ok("2025-10-21..2025-10-22"));
        assert_eq!(parse("21–22 октября 2025 г.").as_deref(), Ok("2025-10-21..2025-10-22"));
        assert_eq!(parse("21-22 հոկտեմբերի 2025").as_deref(), Ok("2025-10-21..2025-10-22"));
    }

    #[test]
    fn what_is_not_a_date_says_why() {
        assert_eq!(parse("32.10.2025"), Err(DateProblem::NotInCalendar));
        assert_eq!(parse("30.02.2025"), Err(DateProblem::NotInCalendar));
        assert_eq!(parse("22–21 Oct 2025"), Err(DateProblem::Backwards));
        assert_eq!(parse("Oct–Nov 2025"), Err(DateProblem::MonthRange));
        assert_eq!(parse("3/4/2025"), Err(DateProblem::Ambiguous));
        for cell in [
            "",
            "TBD",
            "soon",
            "21.10",
            "Octember 2025",
            "2025-1-5",
            "???",
            "=TODAY()",
        ] {
            assert_eq!(parse(cell), Err(DateProblem::Unreadable), "{cell:?}");
        }
        let long = "1-".repeat(10_000);
        assert_eq!(parse(&long), Err(DateProblem::Unreadable));
    }

    #[test]
    fn the_rules_day_form_settles_slashes() {
        assert_eq!(parse_with("%d/%m/%Y", "3/4/2025").as_deref(), Ok("2025-04-03"));
        assert_eq!(parse_with("%m/%d/%Y", "3/4/2025").as_deref(), Ok("2025-03-04"));
        assert_eq!(parse_with("%m/%d/%Y", "4/2025").as_deref(), Ok("2025-04"));
        assert_eq!(
            parse_with("%d/%m/%Y", "21-22/10/2025").as_deref(),
            Ok("2025-10-21..2025-10-22")
        );
        assert_eq!(parse_with("%d/%m/%y", "21/10/25").as_deref(), Ok("2025-10-21"));
    }

    #[test]
    fn formats_without_a_part_are_refused() {
        assert!(DateForms::new(&["%m.%Y".to_owned()]).is_err());
        assert!(DateForms::new(&["%d.%m.%Y %H:%M".to_owned()]).is_err());
        assert!(DateForms::new(&["%d.%m.%Y%".to_owned()]).is_err());
    }

    #[test]
    fn formats_less_a_part() {
        let format = DayFormat::new("%d.%m.%Y").unwrap();
        assert_eq!(format.format_for(Parts::DAY_MONTH), "%d.%m");
        assert_eq!(format.format_for(Parts::MONTH_YEAR), "%m.%Y");
        assert_eq!(format.format_for(Parts::DAY), "%d");
        let format = DayFormat::new("%b %d, %Y").unwrap();
        assert_eq!(format.format_for(Parts::DAY_YEAR), "%d, %Y");
        assert_eq!(format.format_for(Parts::DAY_MONTH), "%b %d");
        assert_eq!(format.format_for(Parts::MONTH_YEAR), "%b %Y");
        assert_eq!(format.format_for(Parts::MONTH), "%b");
        let _ = day("2025-01-01");
    }
}
