//! Numbers of people, which a ledger may know only roughly: `+~6 AM` is
//! about six people, `+? AM` some people, how many not known. A total that
//! includes such a part says so, so that a reader never takes a guess for
//! a count: `≈14` is about 14, `14+` is 14 and some more not counted, and
//! `≈14+` both. JSON keeps the parts apart:
//! `{"count": 14, "approximate": true, "unknown_parts": 1}`.
//!
//! A *seat* is one person at one engagement: a person at two engagements
//! fills two seats, so seats add up along any line of a report, as counts
//! of engagements do.

use serde::Serialize;

use super::{Count, ReportOptions};
use crate::model::{Engagement, Headcount, Participant};

/// Seats as they are added up: the number written, and what it includes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeatTally {
    pub number: u64,
    /// Some part was written `+~N`.
    pub approximate: bool,
    /// How many parts were written `+?`.
    pub unknown_parts: u64,
}

impl SeatTally {
    /// The visiting side of `engagement`: each named participant is one
    /// seat, and each `+N PARTY` adds what it says.
    pub fn of_participants(engagement: Engagement<'_, '_>) -> SeatTally {
        let mut tally = SeatTally::default();
        for participant in engagement.participants() {
            match participant {
                Participant::Person(_) => tally.number += 1,
                Participant::Unnamed { count, .. } => tally.add_headcount(count),
            }
        }
        tally
    }

    pub fn add_headcount(&mut self, headcount: Headcount) {
        match headcount {
            Headcount::Exact(number) => self.number += u64::from(number),
            Headcount::About(number) => {
                self.number += u64::from(number);
                self.approximate = true;
            }
            Headcount::Unknown => self.unknown_parts += 1,
        }
    }

    pub fn add(&mut self, other: SeatTally) {
        self.number += other.number;
        self.approximate |= other.approximate;
        self.unknown_parts += other.unknown_parts;
    }

    pub fn seats(self, options: ReportOptions) -> Seats {
        Seats {
            count: Count::new(self.number, options),
            approximate: self.approximate,
            unknown_parts: self.unknown_parts,
        }
    }
}

/// Seats as an output shows them: `≈14+`, or `<3` and `x` like any count
/// when `--min-count` withholds the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Seats {
    pub count: Count,
    pub approximate: bool,
    pub unknown_parts: u64,
}

impl std::fmt::Display for Seats {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A withheld number keeps its `<3` or `x` alone: `≈<3` would read
        // as a number that is known to be small.
        if self.count.is_suppressed() {
            return write!(formatter, "{}", self.count);
        }
        // Only people of unknown number: `0+` would read as a misprint.
        if self.count.value() == 0 && self.unknown_parts > 0 {
            return formatter.write_str("?");
        }
        if self.approximate {
            formatter.write_str("≈")?;
        }
        write!(formatter, "{}", self.count)?;
        if self.unknown_parts > 0 {
            formatter.write_str("+")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(headcounts: &[Headcount], min: u64) -> String {
        let mut tally = SeatTally::default();
        for &headcount in headcounts {
            tally.add_headcount(headcount);
        }
        let options = ReportOptions {
            min_count: min,
            ..ReportOptions::new(chrono::NaiveDate::MIN)
        };
        tally.seats(options).to_string()
    }

    #[test]
    fn totals_say_what_they_include() {
        assert_eq!(shown(&[Headcount::Exact(12), Headcount::Exact(2)], 1), "14");
        assert_eq!(shown(&[Headcount::Exact(8), Headcount::About(6)], 1), "≈14");
        assert_eq!(shown(&[Headcount::Exact(14), Headcount::Unknown], 1), "14+");
        assert_eq!(
            shown(&[Headcount::About(8), Headcount::Exact(6), Headcount::Unknown], 1),
            "≈14+"
        );
        assert_eq!(shown(&[Headcount::Unknown], 1), "?");
    }

    #[test]
    fn a_withheld_number_is_shown_as_any_count() {
        assert_eq!(shown(&[Headcount::About(2)], 3), "<3");
        let options = ReportOptions::new(chrono::NaiveDate::MIN);
        let seats = SeatTally {
            number: 14,
            approximate: true,
            unknown_parts: 1,
        }
        .seats(options);
        assert_eq!(
            serde_json::to_value(seats).unwrap(),
            serde_json::json!({"count": 14, "approximate": true, "unknown_parts": 1})
        );
    }
}
