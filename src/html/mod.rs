//! Reports as one self-contained HTML page: inline CSS, inline SVG, no
//! script, nothing fetched, so that it opens from `file://`, prints on A4
//! and is the same bytes for the same ledger and flags (it can be committed
//! and diffed). maud writes the markup and escapes every value in it; the
//! charts come from [`crate::chart`], already escaped.
//!
//! A page is a header (the ledger, its commit, the as-of day, the filters,
//! and the confidential banner when private records are shown) and a list
//! of [`Section`]s, each a chart in a `<figure>` with its caption and the
//! tables it was drawn from.

pub mod dashboard;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::chart::palette::Palette;
use crate::chart::{Chart, Style};
use crate::report::{CONFIDENTIAL_WARNING, Report};
use crate::table::{self, Table};

/// Text from the ledger (or anywhere) in a page: escaped as in an SVG,
/// which also replaces the characters HTML does not allow in text (NUL and
/// other controls) with U+FFFD, so that no value can make a page that
/// browsers must repair. maud's own escaping leaves those through.
pub struct Text<'t>(pub &'t str);

impl maud::Render for Text<'_> {
    fn render_to(&self, buffer: &mut String) {
        crate::chart::svg::escape_into(self.0, buffer);
    }
}

/// What a page says about where its figures come from.
#[derive(Clone, Debug, Default)]
pub struct Page {
    /// The page's heading; the first chart's title when empty.
    pub title: String,
    /// The ledger's paths as given.
    pub ledger: Option<String>,
    /// The commit of the repository the ledger is in, if any.
    pub commit: Option<String>,
    pub as_of: Option<String>,
    /// The filters in force, each as `--since 2025-09-01`.
    pub filters: Vec<String>,
    /// Made with `--include-private`: a banner at the top says so.
    pub confidential: bool,
    /// Direction colours shared by every chart of the page.
    pub palette: Palette,
    /// Key figures shown large under the header: (what, value).
    pub figures: Vec<(String, String)>,
}

impl Page {
    /// A page that knows nothing of its ledger: what
    /// [`crate::report::render`] makes.
    pub fn bare(confidential: bool) -> Page {
        Page {
            confidential,
            ..Page::default()
        }
    }
}

/// One figure of a page and its data.
#[derive(Clone, Debug)]
pub struct Section {
    pub chart: Option<Chart>,
    pub tables: Vec<Table>,
    /// Tables behind a "Data" disclosure, as on the dashboard, where the
    /// charts come first; a report's own page shows them open.
    pub fold_tables: bool,
    /// The whole width of the page, as on a report's own page; on the
    /// dashboard, narrow charts share a row.
    pub full_width: bool,
}

/// A report's page: its chart and all its tables.
pub fn report_sections(report: &dyn Report) -> Vec<Section> {
    vec![Section {
        chart: report.chart(),
        tables: report.tables(),
        fold_tables: false,
        full_width: true,
    }]
}

/// Charts at most this wide share a row with another on a screen (a
/// column of a 1040-pixel page)...
const HALF_WIDTH: f64 = 500.0;
/// ...and these on paper too (a column of A4 less margins), so that a
/// printed chart is never shrunk by much.
const NARROW_WIDTH: f64 = 330.0;

/// The whole page as text.
pub fn render(page: &Page, sections: &[Section]) -> String {
    let title = if page.title.is_empty() {
        sections
            .iter()
            .find_map(|section| section.chart.as_ref().map(|chart| chart.title().to_owned()))
            .or_else(|| sections.first()?.tables.first()?.title.clone())
            .unwrap_or_else(|| "track2 report".to_owned())
    } else {
        page.title.clone()
    };
    let document_title = match &page.ledger {
        Some(ledger) => format!("{title} — {ledger}"),
        None => title.clone(),
    };
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(GENERATOR);
                title { @if page.confidential { "CONFIDENTIAL — " } (Text(&document_title)) }
                style { (PreEscaped(CSS)) }
            }
            body {
                @if page.confidential {
                    p.confidential role="alert" { (CONFIDENTIAL_WARNING) }
                }
                div.page {
                    (header(page, &title))
                    main {
                        @if !page.figures.is_empty() {
                            ul.figures aria-label="Key figures" {
                                @for (what, value) in &page.figures {
                                    li { span.value { (Text(value)) } " " span.what { (Text(what)) } }
                                }
                            }
                        }
                        div.sections {
                            @for (index, section) in sections.iter().enumerate() {
                                (section_markup(page, section, index + 1))
                            }
                        }
                    }
                    footer {
                        "Made by " (GENERATOR) " from the ledger. This page needs no network and no script; "
                        "every chart's data is in the table beside it."
                    }
                }
            }
        }
    };
    let mut text = markup.into_string();
    text.push('\n');
    text
}

const GENERATOR: &str = concat!("track2 ", env!("CARGO_PKG_VERSION"));

fn header(page: &Page, title: &str) -> Markup {
    html! {
        header {
            h1 { (Text(title)) }
            dl.meta {
                @if let Some(ledger) = &page.ledger {
                    div { dt { "Ledger" } dd { code { (Text(ledger)) } } }
                }
                @if let Some(commit) = &page.commit {
                    div { dt { "Commit" } dd { code { (Text(commit)) } } }
                }
                @if let Some(as_of) = &page.as_of {
                    div { dt { "As of" } dd { (Text(as_of)) } }
                }
                @if page.ledger.is_some() || !page.filters.is_empty() {
                    div {
                        dt { "Filters" }
                        dd {
                            @if page.filters.is_empty() {
                                "none"
                            } @else {
                                @for (index, filter) in page.filters.iter().enumerate() {
                                    @if index > 0 { " " }
                                    code { (Text(filter)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn section_markup(page: &Page, section: &Section, number: usize) -> Markup {
    let style = Style {
        palette: page.palette.clone(),
        id: format!("chart-{number}"),
        standalone: false,
        confidential: false,
    };
    let drawn = section.chart.as_ref().map(|chart| chart.to_svg_sized(&style));
    let width = drawn.as_ref().map_or(f64::INFINITY, |(_, width)| *width);
    let (wide, narrow) = (
        section.full_width || width > HALF_WIDTH,
        !section.full_width && width <= NARROW_WIDTH,
    );
    let tables = PreEscaped(table::to_html(&section.tables));
    html! {
        section.wide[wide].narrow[narrow] id=(format!("section-{number}")) {
            @if let (Some(chart), Some((svg, _))) = (&section.chart, drawn) {
                figure {
                    figcaption {
                        h2 { (Text(chart.title())) }
                        p { (Text(&chart.finding())) }
                    }
                    (PreEscaped(svg))
                }
            }
            @if !section.tables.is_empty() {
                @if section.fold_tables {
                    details.data {
                        summary { "Data" }
                        div.tables { (tables) }
                    }
                } @else {
                    div.tables { (tables) }
                }
            }
        }
    }
}

/// The page's style: system fonts, a two-column grid of figures on wide
/// screens, and print rules for A4 that never cut a figure in two.
const CSS: &str = r#"
:root { color-scheme: light; --ink: #1a1a1a; --muted: #595959; --rule: #d0d0d0; --faint: #f4f4f4; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
.page { max-width: 1040px; margin: 0 auto; padding: 1.5rem 1.75rem 2.5rem; }
.confidential { margin: 0; padding: .6rem 1.75rem; background: #b00020; color: #fff; font-weight: 700; }
header { border-bottom: 2px solid var(--ink); padding-bottom: .6rem; margin-bottom: 1.2rem; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: 0 0 .4rem; }
h2 { font-size: 1.05rem; line-height: 1.3; margin: 0; }
.meta { display: flex; flex-wrap: wrap; gap: .15rem 1.5rem; margin: 0; font-size: .9rem; color: var(--muted); }
.meta div { display: flex; gap: .4rem; }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: .92em; }
.figures { display: flex; flex-wrap: wrap; gap: .75rem; list-style: none; margin: 0 0 1.4rem; padding: 0; }
.figures li { flex: 1 1 auto; border: 1px solid var(--rule); border-radius: 6px; padding: .45rem .9rem; }
.figures .value { display: block; font-size: 1.45rem; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
.figures .what { color: var(--muted); font-size: .85rem; }
.sections { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1.6rem 2rem; align-items: start; }
section { min-width: 0; }
section.wide { grid-column: 1 / -1; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { margin-bottom: .5rem; }
figcaption p { margin: .15rem 0 0; color: var(--muted); font-size: .92rem; }
svg.chart { display: block; max-width: 100%; height: auto; }
.tables { overflow-x: auto; }
table { border-collapse: collapse; margin: .9rem 0 0; font-size: .85rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
th, td { padding: .22rem .65rem .22rem 0; border-bottom: 1px solid #e6e6e6; text-align: left; vertical-align: top;
  white-space: nowrap; }
th.wrap, td.wrap { white-space: normal; min-width: 12rem; }
thead th { border-bottom: 1.5px solid var(--rule); color: var(--muted); font-weight: 600; }
tbody th { font-weight: 600; }
.num { text-align: right; }
tr { break-inside: avoid; }
details.data { margin-top: .5rem; font-size: .9rem; }
details.data summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 2rem; padding-top: .6rem; border-top: 1px solid var(--rule); color: var(--muted); font-size: .8rem; }
@media (max-width: 760px) { .sections { grid-template-columns: minmax(0, 1fr); } .page { padding: 1rem; } }
@page { size: A4; margin: 12mm 12mm 14mm; }
@media print {
  body { font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  .confidential { padding: .4rem .6rem; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .sections { gap: 1rem 1.4rem; }
  section:not(.narrow) { grid-column: 1 / -1; }
  figure, .figures, header { break-inside: avoid; }
  h2, caption { break-after: avoid; }
  svg.chart { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  details.data:not([open]) { display: none; }
}
"#;
