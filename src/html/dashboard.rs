//! What `summary --output html` shows: a dashboard of the view in one page.
//! The key figures, then who visits whom (heatmap), when (timeline), whether
//! visits are returned (dumbbells), who keeps coming back (span bars of the
//! people in more than one engagement), and the top formats and sponsors.
//! Every figure is drawn from a report built over the same view, and keeps
//! that report's tables beside it.

use chrono::Datelike;

use super::Section;
use crate::privacy::View;
use crate::report::participants::ParticipantsReport;
use crate::report::timeline::Period;
use crate::report::{Report, ReportOptions, breakdown, participants, reciprocity, summary, timeline};
use crate::table::Table;

/// The dashboard's key figures and sections, and the direction order its
/// charts colour by.
pub struct Dashboard {
    pub figures: Vec<(String, String)>,
    pub sections: Vec<Section>,
    pub palette_order: Vec<String>,
}

pub fn dashboard(view: &View<'_, '_>, options: ReportOptions) -> Dashboard {
    let summary = summary::summary(view, options);
    let palette_order = summary.directions.palette_order();
    let period = period_for(summary.first_day.as_deref(), summary.last_day.as_deref());
    let timeline = timeline::timeline(view, ReportOptions { period, ..options });
    let reciprocity = reciprocity::reciprocity(view, options);
    let mut people = participants::participants(view, options);
    // Named people only, and only where the count may be shown: keeping a
    // row because its withheld count is 2 would tell that it is 2.
    people
        .rows
        .retain(|row| row.person.is_some() && row.engagements.value() > 1 && !row.engagements.is_suppressed());
    let people = ParticipantsReport { rows: people.rows };
    let summary_tables = summary.tables();
    let summary_table = |title: &str| -> Vec<Table> {
        summary_tables
            .iter()
            .filter(|table| table.title.as_deref() == Some(title))
            .cloned()
            .collect()
    };
    let mut figures = vec![
        ("engagements".to_owned(), summary.engagements.to_string()),
        ("participants".to_owned(), summary.participants.to_string()),
    ];
    if let (Some(first), Some(last)) = (&summary.first_day, &summary.last_day) {
        figures.push(("from first to last day".to_owned(), format!("{first} – {last}")));
    }
    let visits = reciprocity.exchanges.len() + reciprocity.unreturned.len();
    if visits > 0 {
        figures.push((
            "visits returned".to_owned(),
            format!("{} of {visits}", reciprocity.exchanges.len()),
        ));
    }
    figures.push(("withheld".to_owned(), summary.withheld.to_string()));
    let mut people_table = people.tables();
    for table in &mut people_table {
        table.title = Some("People in more than one engagement".to_owned());
    }
    let sections = vec![
        Section {
            chart: summary.directions.chart(),
            tables: summary.directions.tables(),
            fold_tables: true,
            full_width: false,
        },
        Section {
            chart: timeline.chart(),
            tables: timeline.tables(),
            fold_tables: true,
            full_width: false,
        },
        Section {
            chart: reciprocity.chart(),
            tables: reciprocity.tables(),
            fold_tables: true,
            full_width: false,
        },
        Section {
            chart: Some(crate::chart::Chart::Spans(
                people.spans("People in more than one engagement"),
            )),
            tables: people_table,
            fold_tables: true,
            full_width: false,
        },
        Section {
            chart: Some(crate::chart::Chart::Bars(breakdown::bars(
                "Top formats",
                &summary.top_formats,
                &summary.top_directions,
                summary.options,
            ))),
            tables: summary_table("Top formats"),
            fold_tables: true,
            full_width: false,
        },
        Section {
            chart: Some(crate::chart::Chart::Bars(breakdown::bars(
                "Top sponsors",
                &summary.top_sponsors,
                &summary.top_directions,
                summary.options,
            ))),
            tables: summary_table("Top sponsors"),
            fold_tables: true,
            full_width: false,
        },
    ];
    Dashboard {
        figures,
        sections,
        palette_order,
    }
}

/// Months for up to two years, quarters up to eight, years beyond: about
/// as many bars as fit across a page.
fn period_for(first: Option<&str>, last: Option<&str>) -> Period {
    let day = |text: Option<&str>| text.and_then(|text| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok());
    let (Some(first), Some(last)) = (day(first), day(last)) else {
        return Period::Month;
    };
    let months = (last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32 + 1;
    match months {
        ..=24 => Period::Month,
        25..=96 => Period::Quarter,
        _ => Period::Year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_period_fits_the_span() {
        assert_eq!(period_for(Some("2025-09-22"), Some("2025-11-22")), Period::Month);
        assert_eq!(period_for(Some("2020-01-01"), Some("2025-11-22")), Period::Quarter);
        assert_eq!(period_for(Some("1990-01-01"), Some("2025-11-22")), Period::Year);
        assert_eq!(period_for(None, None), Period::Month);
    }
}
