//! `summary`: the one-screen overview a newcomer sees first.

use serde::Serialize;

use super::breakdown::{BreakdownRow, Dimension, breakdown_with};
use super::by_direction::DirectionLabels;
use super::directions::{DirectionsReport, directions_with};
use super::reciprocity::{PairRow, balances};
use super::{Count, DirectionColumns, Report, ReportOptions, participant_count};
use crate::privacy::View;
use crate::table::{Column, Table};

/// How many formats and sponsors the summary lists.
const TOP: usize = 5;

#[derive(Clone, Debug, Serialize)]
pub struct SummaryReport {
    pub as_of: String,
    /// The first and last day any counted engagement could mean.
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub engagements: Count,
    pub participants: Count,
    /// Engagements of the whole ledger kept out of every output as private
    /// or embargoed: only their number, whatever the filters.
    pub withheld: usize,
    pub directions: DirectionsReport,
    pub top_formats: Vec<BreakdownRow>,
    pub top_sponsors: Vec<BreakdownRow>,
    pub reciprocity: Vec<PairRow>,
    /// The directions the top formats and sponsors are split by.
    #[serde(skip)]
    pub top_directions: DirectionLabels,
    #[serde(skip)]
    pub options: ReportOptions,
}

pub fn summary(view: &View<'_, '_>, options: ReportOptions) -> SummaryReport {
    // The directions of a million engagements are worked out once, not once
    // per table.
    let columns = DirectionColumns::of(view);
    let top = |dimension| {
        let mut report = breakdown_with(view, &columns, dimension, options);
        // "(no sponsor)" is a fact, but not a top sponsor.
        report.rows.retain(|row| row.id.is_some());
        report.rows.truncate(TOP);
        report
    };
    // The tables are independent: on a large ledger, half are made on
    // another core.
    let split = view.engagements.len() >= crate::parallel::PARALLEL_FROM_ENGAGEMENTS && crate::parallel::threads() > 1;
    let other_half = || (top(Dimension::Sponsor), balances(view, options));
    let (top_sponsors, reciprocity, top_formats, directions, span, participants) = std::thread::scope(|scope| {
        let other = split.then(|| scope.spawn(other_half));
        let top_formats = top(Dimension::Format);
        let directions = directions_with(view, &columns, options);
        let mut span: Option<(chrono::NaiveDate, chrono::NaiveDate)> = None;
        let mut participants = 0;
        for engagement in view.iter() {
            let (first, last) = (engagement.date().first_day(), engagement.date().last_day());
            span = Some(span.map_or((first, last), |(low, high)| (low.min(first), high.max(last))));
            participants += participant_count(engagement);
        }
        let (top_sponsors, reciprocity) = match other {
            Some(handle) => handle.join().expect("a summary thread does not panic"),
            None => other_half(),
        };
        (top_sponsors, reciprocity, top_formats, directions, span, participants)
    });
    SummaryReport {
        as_of: options.as_of.to_string(),
        first_day: span.map(|(first, _)| first.to_string()),
        last_day: span.map(|(_, last)| last.to_string()),
        engagements: Count::new(view.engagements.len() as u64, options),
        participants: Count::new(participants, options),
        withheld: view.withheld,
        directions,
        top_directions: top_formats.labels().clone(),
        top_formats: top_formats.rows,
        top_sponsors: top_sponsors.rows,
        reciprocity,
        options,
    }
}

impl SummaryReport {
    fn overview(&self) -> Vec<(&'static str, String)> {
        let span = match (&self.first_day, &self.last_day) {
            (Some(first), Some(last)) => format!("{first} – {last}"),
            _ => "no engagements".to_owned(),
        };
        vec![
            ("span", span),
            ("engagements", self.engagements.to_string()),
            ("participants", self.participants.to_string()),
            ("withheld", self.withheld.to_string()),
            ("as of", self.as_of.clone()),
        ]
    }

    fn top_table(title: &str, noun: &str, rows: &[BreakdownRow]) -> Table {
        let mut table = Table::new(
            Some(title),
            vec![Column::text(noun), Column::text("name"), Column::number("total")],
        );
        for row in rows {
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
        serde_json::to_value(self).expect("reports serialise")
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
                pair.balance
                    .map_or_else(|| "?".to_owned(), |balance| format!("{balance:+}")),
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
        push(
            "overview",
            "first_day".into(),
            self.first_day.clone().unwrap_or_default(),
        );
        push("overview", "last_day".into(), self.last_day.clone().unwrap_or_default());
        push("overview", "engagements".into(), self.engagements.to_string());
        push("overview", "participants".into(), self.participants.to_string());
        push("overview", "withheld".into(), self.withheld.to_string());
        push("overview", "as_of".into(), self.as_of.clone());
        for row in &self.directions.rows {
            push(
                "direction",
                format!("{} -> {}", row.from, row.to),
                row.count.to_string(),
            );
        }
        for row in &self.top_formats {
            push("format", row.id.clone().unwrap_or_default(), row.count.to_string());
        }
        for row in &self.top_sponsors {
            push("sponsor", row.id.clone().unwrap_or_default(), row.count.to_string());
        }
        for pair in &self.reciprocity {
            let balance = pair.balance.map_or_else(String::new, |balance| balance.to_string());
            push("balance", format!("{} <-> {}", pair.a, pair.b), balance);
        }
        table
    }
}
