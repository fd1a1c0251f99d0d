//! What `summary --output html` shows: a dashboard of the view in one page.
//! The key figures, then who visits whom (heatmap), when (timeline), whether
//! visits are returned (dumbbells), who keeps coming back (span bars of the
//! people in more than one engagement), and the top formats and sponsors.
//! Every figure is drawn from a report built over the same view, and keeps
//! that report's tables beside it.

use chrono::Datelike;

use super::Section;
use crate::date::DateSpec;
use crate::privacy::View;
use crate::report::count::Figures;
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
    // The page is one output: the timeline's periods add up to the
    // summary's engagements, per direction too, so `--min-count` protects
    // them together.
    let mut summary = summary::summary_unprotected(view, options);
    let period = period_for(summary.first.as_deref(), summary.last.as_deref());
    let mut timeline = timeline::timeline_unprotected(view, ReportOptions { period, ..options });
    if options.min_count > 1 {
        let mut figures = Figures::new();
        let margins = summary.register(&mut figures);
        timeline.register(&mut figures, &margins);
        figures.protect();
    }
    let palette_order = summary.directions.palette_order();
    let mut reciprocity = reciprocity::reciprocity(view, options);
    // The same pairs as the summary's, protected with them.
    reciprocity.pairs = summary.reciprocity.clone();
    let mut people = participants::participants(view, options);
    // Named people only, and only where the count may be shown: keeping a
    // row because its withheld count is 2 would tell that it is 2.
    people.retain(|row| row.person.is_some() && row.engagements.value() > 1 && !row.engagements.is_suppressed());
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
        ("named people".to_owned(), summary.people.to_string()),
        ("seats".to_owned(), summary.seats.to_string()),
    ];
    if let (Some(first), Some(last)) = (&summary.first, &summary.last) {
        figures.push(("from first to last".to_owned(), format!("{first} – {last}")));
    }
    if let (Some(exchanges), Some(unreturned)) = (&reciprocity.exchanges, &reciprocity.unreturned) {
        let visits = exchanges.len() + unreturned.len();
        if visits > 0 {
            figures.push(("visits returned".to_owned(), format!("{} of {visits}", exchanges.len())));
        }
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
                &summary.top_formats.rows,
                summary.top_formats.labels(),
            ))),
            tables: summary_table("Top formats"),
            fold_tables: true,
            full_width: false,
        },
        Section {
            chart: Some(crate::chart::Chart::Bars(breakdown::bars(
                "Top sponsors",
                &summary.top_sponsors.rows,
                summary.top_sponsors.labels(),
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
    let date = |text: Option<&str>| text.and_then(|text| DateSpec::parse(text).ok());
    let (Some(first), Some(last)) = (date(first).map(DateSpec::first_day), date(last).map(DateSpec::last_day)) else {
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
        assert_eq!(period_for(Some("2024-05"), Some("2025")), Period::Month);
        assert_eq!(period_for(Some("2020-01-01"), Some("2025-11-22")), Period::Quarter);
        assert_eq!(period_for(Some("1990-01-01"), Some("2025-11-22")), Period::Year);
        assert_eq!(period_for(None, None), Period::Month);
    }
}
