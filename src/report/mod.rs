//! Summary tables over a [`View`] of a valid ledger: what `track2 summary`
//! and `track2 report KIND` print. Each report is a plain data structure that
//! serialises to JSON and lays itself out as [`Table`]s; choosing between
//! terminal, Markdown, CSV and JSON is [`render`]'s job.
//!
//! Reports see only what the view lets through, so they never need to think
//! about privacy; they only have to go through the view's accessors.

pub mod breakdown;
pub mod by_direction;
pub mod count;
pub mod directions;
pub mod engagements;
pub mod network;
pub mod participants;
pub mod query;
pub mod reciprocity;
pub mod roster;
pub mod seats;
pub mod summary;
pub mod timeline;
mod who;

use chrono::NaiveDate;

pub use count::{Count, protect};
pub use query::Query;

use crate::model::Direction;
use crate::privacy::View;
use crate::table::{self, Table};

/// Options every report takes besides the view.
#[derive(Clone, Copy, Debug)]
pub struct ReportOptions {
    /// Counts from 1 to `min_count - 1` are shown as `<min_count`, so that a
    /// small cell cannot single a person out. 0 or 1 shows every count.
    pub min_count: u64,
    /// The period of a timeline.
    pub period: timeline::Period,
    /// The day the ledger is read as of, which the summary states.
    pub as_of: NaiveDate,
    /// The filter's range, which widens a timeline to show empty periods.
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl ReportOptions {
    pub fn new(as_of: NaiveDate) -> ReportOptions {
        ReportOptions {
            min_count: 1,
            period: timeline::Period::Month,
            as_of,
            since: None,
            until: None,
        }
    }
}

/// Every report `track2 report` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Directions,
    Formats,
    Tracks,
    Sponsors,
    Series,
    Tags,
    Timeline,
    Participants,
    Reciprocity,
    Summary,
    Network,
    Roster,
    Engagements,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Directions,
        Kind::Formats,
        Kind::Tracks,
        Kind::Sponsors,
        Kind::Series,
        Kind::Tags,
        Kind::Timeline,
        Kind::Participants,
        Kind::Reciprocity,
        Kind::Summary,
        Kind::Network,
        Kind::Roster,
        Kind::Engagements,
    ];

    /// Whether the report draws one chart, which `--output svg` writes.
    /// The summary draws several, on its HTML page; the list of
    /// engagements none.
    pub fn has_chart(self) -> bool {
        !matches!(self, Kind::Summary | Kind::Engagements)
    }

    /// Whether the report counts anything `--min-count` could withhold; a
    /// list of engagements shows each one.
    pub fn counts(self) -> bool {
        self != Kind::Engagements
    }
}

/// The report of `kind` over `view`.
pub fn build(kind: Kind, view: &View<'_, '_>, options: ReportOptions) -> Box<dyn Report> {
    use breakdown::{Dimension, breakdown};
    match kind {
        Kind::Directions => Box::new(directions::directions(view, options)),
        Kind::Formats => Box::new(breakdown(view, Dimension::Format, options)),
        Kind::Tracks => Box::new(breakdown(view, Dimension::Track, options)),
        Kind::Sponsors => Box::new(breakdown(view, Dimension::Sponsor, options)),
        Kind::Series => Box::new(breakdown(view, Dimension::Series, options)),
        Kind::Tags => Box::new(breakdown(view, Dimension::Tag, options)),
        Kind::Timeline => Box::new(timeline::timeline(view, options)),
        Kind::Participants => Box::new(participants::participants(view, options)),
        Kind::Reciprocity => Box::new(reciprocity::reciprocity(view, options)),
        Kind::Summary => Box::new(summary::summary(view, options)),
        Kind::Network => Box::new(network::network(view, options)),
        Kind::Roster => Box::new(roster::roster(view, options)),
        Kind::Engagements => Box::new(engagements::engagements(view, options)),
    }
}

/// What every report can do: be JSON, and be tables.
pub trait Report {
    fn to_json(&self) -> serde_json::Value;
    /// The tables of the terminal and Markdown layouts, in order.
    fn tables(&self) -> Vec<Table>;
    /// The one table that stands for the report in CSV.
    fn csv_table(&self) -> Table;
    /// The chart that stands for the report (`--output svg`, and its HTML
    /// page), drawn from what the report holds and nothing else.
    fn chart(&self) -> Option<crate::chart::Chart> {
        None
    }
    /// Whether there is nothing to show: every table without rows.
    fn is_empty(&self) -> bool {
        self.tables().iter().all(|table| table.rows.is_empty())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Table,
    Markdown,
    Csv,
    Json,
    /// A self-contained page: the chart and the tables.
    Html,
    /// The chart alone; nothing for a report without one.
    Svg,
}

/// The first line of any output made with `--include-private`.
pub const CONFIDENTIAL_WARNING: &str = "CONFIDENTIAL: includes private records (--include-private); do not publish";

/// How an output is framed besides its format.
#[derive(Clone, Copy, Debug, Default)]
pub struct Framing<'q> {
    /// Made with `--include-private`: the output says it is confidential.
    pub reveal: bool,
    /// What the output was asked for: a caption line in the terminal and
    /// Markdown, a `query` object in JSON.
    pub query: Option<&'q Query>,
    /// The terminal's width, which a table laid out for it fits.
    pub width: Option<usize>,
}

/// The report as text in `output`. With `reveal`, the output says that it
/// holds confidential data: on its first line, in its JSON (a field
/// `"confidential": true` on the document, or on each row of an array), or
/// in CSV as a last column `confidential`, `yes` on every row. CSV stays
/// one table with its header first, which is what pandas and
/// `csv.DictReader` read: a notice line above it would be taken for the
/// header, so the caller says it elsewhere (see [`stderr_notice`]).
pub fn render(report: &dyn Report, output: Output, reveal: bool) -> String {
    render_framed(
        report,
        output,
        Framing {
            reveal,
            ..Framing::default()
        },
    )
}

/// [`render`], framed: with a query, the terminal and Markdown layouts open
/// with its caption and say "No engagements match." rather than print
/// headers without rows, tables without rows are left out, and JSON is an
/// object holding the query (`{"query": …, "rows": […]}` for a report that
/// is a list of rows).
pub fn render_framed(report: &dyn Report, output: Output, framing: Framing<'_>) -> String {
    let reveal = framing.reveal;
    let mut text = match (output, reveal) {
        (Output::Table, true) => format!("{CONFIDENTIAL_WARNING}\n\n"),
        (Output::Markdown, true) => format!("> **{CONFIDENTIAL_WARNING}**\n\n"),
        // An XML comment may not hold `--`, which the warning names.
        (Output::Svg, true) => "<!-- CONFIDENTIAL: includes private records; do not publish -->\n".to_owned(),
        _ => String::new(),
    };
    match output {
        Output::Table | Output::Markdown => {
            let layout = |tables: &[Table]| match output {
                Output::Table => table::to_terminal_within(tables, framing.width),
                _ => table::to_markdown(tables),
            };
            if let Some(query) = framing.query {
                text.push_str(&match output {
                    Output::Table => table::terminal_line(&query.caption),
                    _ => table::markdown_line(&query.caption),
                });
                text.push('\n');
                if report.is_empty() {
                    let message = match query.matched {
                        false => "No engagements match.",
                        true => "Nothing to show for the engagements that match.",
                    };
                    text.push_str(message);
                    text.push('\n');
                    return text;
                }
            }
            let mut tables = report.tables();
            if framing.query.is_some() {
                tables.retain(|table| !table.rows.is_empty());
            }
            text.push_str(&layout(&tables));
        }
        Output::Csv => {
            let mut table = report.csv_table();
            if reveal {
                mark_confidential_rows(&mut table);
            }
            text.push_str(&table::to_csv(&table));
        }
        Output::Json => {
            let mut json = report.to_json();
            if let Some(query) = framing.query {
                json = with_query(json, query);
            }
            if reveal {
                mark_confidential(&mut json);
            }
            // A valid ledger holds no control character, but JSON would pass
            // DEL and C1 through raw if one ever got in: escaped, it means
            // the same.
            text.push_str(&crate::escape::json(
                serde_json::to_string_pretty(&json).expect("reports serialise"),
            ));
            text.push('\n');
        }
        Output::Html => text.push_str(&crate::html::render(
            &crate::html::Page::bare(reveal),
            &crate::html::report_sections(report),
        )),
        Output::Svg => {
            if let Some(chart) = report.chart() {
                let palette = crate::chart::palette::Palette::default();
                text.push_str(&chart.to_svg(&crate::chart::Style::standalone(palette, reveal)));
                text.push('\n');
            }
        }
    }
    text
}

/// What must be said beside an output that cannot say it in itself: a CSV
/// table made with `--include-private` carries the warning in a column,
/// which a reader skimming a terminal misses.
pub fn stderr_notice(output: Output, reveal: bool) -> Option<&'static str> {
    (reveal && output == Output::Csv).then_some(CONFIDENTIAL_WARNING)
}

/// The CSV form of `"confidential": true` on each row.
fn mark_confidential_rows(table: &mut table::Table) {
    table.columns.push(table::Column::text("confidential"));
    for row in &mut table.rows {
        row.push("yes".to_owned());
    }
}

/// `json` with `query` as its first field; a list of rows becomes the
/// field `rows`.
fn with_query(json: serde_json::Value, query: &Query) -> serde_json::Value {
    let mut document = serde_json::Map::new();
    document.insert("query".into(), serde_json::to_value(query).expect("a query serialises"));
    match json {
        serde_json::Value::Object(fields) => document.extend(fields),
        rows => {
            document.insert("rows".into(), rows);
        }
    }
    serde_json::Value::Object(document)
}

fn mark_confidential(json: &mut serde_json::Value) {
    match json {
        serde_json::Value::Object(map) => {
            map.insert("confidential".into(), true.into());
        }
        serde_json::Value::Array(rows) => {
            for row in rows {
                mark_confidential(row);
            }
        }
        _ => {}
    }
}

/// The distinct directions of a view's engagements, in report order, and
/// the column of each engagement's direction: computed once, so that a
/// report does not compare directions per engagement.
pub struct DirectionColumns {
    pub directions: Vec<Direction>,
    /// One per engagement of the view, in the view's order.
    pub columns: Vec<usize>,
}

impl DirectionColumns {
    pub fn of(view: &View<'_, '_>) -> DirectionColumns {
        DirectionColumns::in_pieces(view, crate::parallel::engagement_pieces(view.engagements.len()))
    }

    /// Numbered in `pieces` (one per core for a large view): each piece
    /// numbers the directions it meets, then the numbers are made one.
    fn in_pieces(view: &View<'_, '_>, pieces: Vec<std::ops::Range<usize>>) -> DirectionColumns {
        let count = view.engagements.len();
        let ledger = view.ledger;
        let numbered = crate::parallel::map(pieces, |piece| {
            let mut seen: rustc_hash::FxHashMap<Direction, usize> = Default::default();
            let columns: Vec<usize> = view.engagements[piece]
                .iter()
                .map(|&index| {
                    let next = seen.len();
                    *seen.entry(Direction::of(ledger.engagement(index))).or_insert(next)
                })
                .collect();
            (seen, columns)
        });
        let mut seen: rustc_hash::FxHashMap<Direction, usize> = Default::default();
        let mut columns: Vec<usize> = Vec::with_capacity(count);
        for (local, local_columns) in numbered {
            let mut global = vec![0; local.len()];
            for (direction, number) in local {
                let next = seen.len();
                global[number] = *seen.entry(direction).or_insert(next);
            }
            columns.extend(local_columns.into_iter().map(|number| global[number]));
        }
        let mut directions: Vec<(Direction, usize)> = seen.into_iter().collect();
        directions.sort_by(|(a, _), (b, _)| a.report_order(b));
        let mut renumber = vec![0; directions.len()];
        for (sorted, (_, first_seen)) in directions.iter().enumerate() {
            renumber[*first_seen] = sorted;
        }
        for column in &mut columns {
            *column = renumber[*column];
        }
        DirectionColumns {
            directions: directions.into_iter().map(|(direction, _)| direction).collect(),
            columns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_numbered_in_pieces_are_numbered_as_a_whole() {
        use crate::filter::Filter;
        use crate::privacy::Disclosure;
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/reports.track2")).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let loaded = crate::loader::load_bytes("t.track2", text.into_bytes()).unwrap();
        let analysis = crate::check(&loaded, &crate::AnalysisOptions { as_of });
        let view = View::new(&analysis.ledger, Disclosure { reveal: true, as_of }, &Filter::default());
        let count = view.engagements.len();
        let whole = DirectionColumns::in_pieces(&view, std::iter::once(0..count).collect());
        for threads in 2..=count {
            let cut = DirectionColumns::in_pieces(&view, crate::parallel::index_pieces(count, threads, 0));
            assert_eq!(cut.directions, whole.directions);
            assert_eq!(cut.columns, whole.columns);
        }
    }
}
