//! `summary`: the one-screen overview a newcomer sees first.
//!
//! Its sections are one output: the engagements in all are the sum of the
//! directions, the seats in all the sum of their seats, a pair's visits
//! each way the counts of two directions, and the formats (each engagement
//! has one, or none) add up to the engagements of each direction. So
//! `--min-count` protects them together ([`SummaryReport::register`]).

use serde::Serialize;

use super::breakdown::{BreakdownReport, Dimension, breakdown_with};
use super::by_direction::Margins;
use super::count::Figures;
use super::directions::{DirectionsReport, directions_with};
use super::reciprocity::{PairRow, balances};
use super::seats::{SeatTally, Seats};
use super::{Count, DirectionColumns, Report, ReportOptions};
use crate::date::DateSpec;
use crate::model::{Direction, Participant};
use crate::privacy::View;
use crate::table::{Column, Table};

/// How many formats and sponsors the summary lists.
const TOP: usize = 5;

#[derive(Clone, Debug)]
pub struct SummaryReport {
    pub as_of: String,
    /// The earliest date of a counted engagement and the latest, as the
    /// ledger writes them (a day, a month or a year): no day is invented.
    pub first: Option<String>,
    pub last: Option<String>,
    pub engagements: Count,
    /// Distinct people named on the visiting sides, as this output may
    /// name them.
    pub people: Count,
    /// Seats on the visiting sides: every named participant and every
    /// `+N` count, a person at two engagements twice.
    pub seats: Seats,
    /// Engagements of the whole ledger kept out of every output as private
    /// or embargoed: only their number, whatever the filters.
    pub withheld: usize,
    pub directions: DirectionsReport,
    pub top_formats: BreakdownReport,
    pub top_sponsors: BreakdownReport,
    pub reciprocity: Vec<PairRow>,
}

pub fn summary(view: &View<'_, '_>, options: ReportOptions) -> SummaryReport {
    let mut report = summary_unprotected(view, options);
    if options.min_count > 1 {
        let mut figures = Figures::new();
        report.register(&mut figures);
        figures.protect();
    }
    report
}

/// [`summary`], its counts not yet protected: the caller protects them
/// with the rest of the output the summary is part of (its page).
pub fn summary_unprotected(view: &View<'_, '_>, options: ReportOptions) -> SummaryReport {
    // The directions of a million engagements are worked out once, not once
    // per table.
    let columns = DirectionColumns::of(view);
    let top = |dimension| {
        let mut report = breakdown_with(view, &columns, dimension, options);
        report.keep_top(TOP);
        report
    };
    // The tables are independent: on a large ledger, half are made on
    // another core.
    let split = view.engagements.len() >= crate::parallel::PARALLEL_FROM_ENGAGEMENTS && crate::parallel::threads() > 1;
    let other_half = || (top(Dimension::Sponsor), balances(view, options));
    let (top_sponsors, reciprocity, top_formats, directions, span, people, seats) = std::thread::scope(|scope| {
        let other = split.then(|| scope.spawn(other_half));
        let top_formats = top(Dimension::Format);
        let directions = directions_with(view, &columns, options);
        let span = DateSpan::of(view);
        let mut named = vec![false; view.ledger.persons.len()];
        let mut seats = SeatTally::default();
        for engagement in view.iter() {
            seats.add(SeatTally::of_participants(engagement));
            // Only people this output may name: a private person, or
            // anyone at a Chatham House meeting, is a seat but no name, and
            // counting them apart would tell when one came twice.
            for participant in engagement.participants() {
                if let Participant::Person(person) = participant {
                    if view.names(engagement, person) {
                        named[person.0 as usize] = true;
                    }
                }
            }
        }
        let people = named.into_iter().filter(|&named| named).count() as u64;
        let (top_sponsors, reciprocity) = match other {
            Some(handle) => handle.join().expect("a summary thread does not panic"),
            None => other_half(),
        };
        (top_sponsors, reciprocity, top_formats, directions, span, people, seats)
    });
    SummaryReport {
        as_of: options.as_of.to_string(),
        first: span.as_ref().map(|span| span.first.clone()),
        last: span.map(|span| span.last),
        engagements: Count::new(view.engagements.len() as u64, options),
        people: Count::new(people, options),
        seats: seats.seats(options),
        withheld: view.withheld,
        directions,
        top_formats,
        top_sponsors,
        reciprocity,
    }
}

/// The first and the last date of a view's engagements, as written.
struct DateSpan {
    first: String,
    last: String,
}

impl DateSpan {
    fn of(view: &View<'_, '_>) -> Option<DateSpan> {
        let mut first: Option<DateSpec> = None;
        let mut last: Option<DateSpec> = None;
        for engagement in view.iter() {
            let date = engagement.date();
            if first.is_none_or(|first| date.first_day() < first.first_day()) {
                first = Some(date);
            }
            if last.is_none_or(|last| date.last_day() > last.last_day()) {
                last = Some(date);
            }
        }
        Some(DateSpan {
            first: start_as_written(first?),
            last: end_as_written(last?),
        })
    }
}

/// Where a date starts, at the precision it is written: a range's first
/// day, or the day, month or year itself.
fn start_as_written(date: DateSpec) -> String {
    match date {
        DateSpec::Range(first, _) => first.to_string(),
        other => other.to_string(),
    }
}

/// Where a date ends, at the precision it is written.
fn end_as_written(date: DateSpec) -> String {
    match date {
        DateSpec::Range(_, last) => last.to_string(),
        other => other.to_string(),
    }
}

impl SummaryReport {
    /// Registers every figure of the summary and the lines they make
    /// across its sections (see the module's comment). Returns the margins
    /// a cross-table of the same engagements (a timeline) adds up to.
    pub fn register<'r>(&'r mut self, figures: &mut Figures<'r>) -> Margins {
        // Which direction each pair's visits are, found before the counts
        // are lent out.
        let bilateral: Vec<[Option<Direction>; 2]> = self
            .reciprocity
            .iter()
            .map(|pair| {
                [
                    self.directions.bilateral(&pair.a, &pair.b),
                    self.directions.bilateral(&pair.b, &pair.a),
                ]
            })
            .collect();
        let engagements = figures.add(&mut self.engagements);
        let seats = figures.add(&mut self.seats.count);
        figures.add(&mut self.people);
        let margins = self.directions.register(figures, engagements, seats);
        self.top_formats.register(figures, Some(&margins));
        self.top_sponsors.register(figures, None);
        for (pair, directions) in self.reciprocity.iter_mut().zip(bilateral) {
            for (count, direction) in [&mut pair.a_to_b, &mut pair.b_to_a].into_iter().zip(directions) {
                let count = figures.add(count);
                if let Some(same) = direction.and_then(|direction| margins.by_direction.get(&direction)) {
                    figures.line([count, *same]);
                }
            }
        }
        margins
    }

    fn overview(&self) -> Vec<(&'static str, String)> {
        let span = match (&self.first, &self.last) {
            (Some(first), Some(last)) if first == last => first.clone(),
            (Some(first), Some(last)) => format!("{first} – {last}"),
            _ => "no engagements".to_owned(),
        };
        vec![
            ("span", span),
            ("engagements", self.engagements.to_string()),
            ("named people", self.people.to_string()),
            ("seats", self.seats.to_string()),
            ("withheld", self.withheld.to_string()),
            ("as of", self.as_of.clone()),
        ]
    }

    fn top_table(title: &str, noun: &str, report: &BreakdownReport) -> Table {
        let mut table = Table::new(
            Some(title),
            vec![Column::text(noun), Column::text("name"), Column::number("total")],
        );
        for row in &report.rows {
            table.push(vec![
                row.id.clone().unwrap_or_default(),
                row.name.clone(),
                row.count.to_string(),
            ]);
        }
        table
    }
}

impl Report for SummaryReport {
    fn to_json(&self) -> serde_json::Value {
        #[derive(Serialize)]
        struct Json<'s> {
            as_of: &'s str,
            first: &'s Option<String>,
            last: &'s Option<String>,
            engagements: Count,
            people: Count,
            seats: Seats,
            withheld: usize,
            directions: &'s DirectionsReport,
            top_formats: serde_json::Value,
            top_sponsors: serde_json::Value,
            reciprocity: &'s [PairRow],
        }
        serde_json::to_value(Json {
            as_of: &self.as_of,
            first: &self.first,
            last: &self.last,
            engagements: self.engagements,
            people: self.people,
            seats: self.seats,
            withheld: self.withheld,
            directions: &self.directions,
            top_formats: self.top_formats.rows_json(),
            top_sponsors: self.top_sponsors.rows_json(),
            reciprocity: &self.reciprocity,
        })
        .expect("reports serialise")
    }

    fn tables(&self) -> Vec<Table> {
        let mut overview = Table::new(Some("Summary"), vec![Column::text("figure"), Column::text("value")]);
        for (key, value) in self.overview() {
            overview.push(vec![key.to_owned(), value]);
        }
        let mut balance = Table::new(
            Some("Reciprocity"),
            vec![
                Column::text("pair"),
                Column::number("a → b"),
                Column::number("b → a"),
                Column::number("balance"),
            ],
        );
        for pair in &self.reciprocity {
            balance.push(vec![
                format!("{} ↔ {}", pair.a, pair.b),
                pair.a_to_b.to_string(),
                pair.b_to_a.to_string(),
                pair.balance_text(),
            ]);
        }
        vec![
            overview,
            self.directions.matrix(),
            Self::top_table("Top formats", "format", &self.top_formats),
            Self::top_table("Top sponsors", "sponsor", &self.top_sponsors),
            balance,
        ]
    }

    /// Flat `section, key, value` rows, one figure each.
    fn csv_table(&self) -> Table {
        let mut table = Table::new(
            None,
            vec![Column::text("section"), Column::text("key"), Column::text("value")],
        );
        let mut push = |section: &str, key: String, value: String| table.push(vec![section.to_owned(), key, value]);
        push("overview", "first".into(), self.first.clone().unwrap_or_default());
        push("overview", "last".into(), self.last.clone().unwrap_or_default());
        push("overview", "engagements".into(), self.engagements.to_string());
        push("overview", "people".into(), self.people.to_string());
        push("overview", "seats".into(), self.seats.count.to_string());
        push(
            "overview",
            "seats_approximate".into(),
            self.seats.approximate.to_string(),
        );
        push(
            "overview",
            "seats_unknown_parts".into(),
            self.seats.unknown_parts.to_string(),
        );
        push("overview", "withheld".into(), self.withheld.to_string());
        push("overview", "as_of".into(), self.as_of.clone());
        for row in &self.directions.rows {
            push(
                "direction",
                format!("{} -> {}", row.from, row.to),
                row.count.to_string(),
            );
        }
        for row in &self.top_formats.rows {
            push("format", row.id.clone().unwrap_or_default(), row.count.to_string());
        }
        for row in &self.top_sponsors.rows {
            push("sponsor", row.id.clone().unwrap_or_default(), row.count.to_string());
        }
        for pair in &self.reciprocity {
            let balance = pair.balance().map_or_else(String::new, |balance| balance.to_string());
            push("balance", format!("{} <-> {}", pair.a, pair.b), balance);
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_keeps_the_precision_written() {
        let date = |text| DateSpec::parse(text).unwrap();
        assert_eq!(start_as_written(date("2024-05")), "2024-05");
        assert_eq!(end_as_written(date("2025")), "2025");
        assert_eq!(start_as_written(date("2025-10-21..2025-10-22")), "2025-10-21");
        assert_eq!(end_as_written(date("2025-10-21..2025-10-22")), "2025-10-22");
    }
}
