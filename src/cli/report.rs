//! `track2 summary`, `track2 report KIND` and `track2 export`: read and
//! check the ledger, refuse it if it has errors, then render a report of
//! what the privacy view lets through.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::git;
use super::output::{self, plural};
use super::{LedgerArgs, Outcome, Terminal, load};
use track2::chart::palette::Palette;
use track2::date::DateSpec;
use track2::filter::{Filter, FilterSpec};
use track2::model::{Ledger, Status, Track};
use track2::privacy::{Disclosure, View};
use track2::render::human::HumanRenderer;
use track2::report::timeline::Period;
use track2::report::{self, Framing, Kind, Output, Query, ReportOptions};
use track2::{Analysis, AnalysisOptions, Keep, Tally, html};

/// The help heading of the options that pick engagements.
const FILTERS: &str = "Filters (each repeats: any of the values given; --exclude-… drops them)";

/// Which engagements to count, and what may be shown of them.
#[derive(Args)]
pub struct ViewArgs {
    #[command(flatten)]
    ledger: LedgerArgs,
    /// Only engagements that could fall on or after this date: a day
    /// (YYYY-MM-DD), or from the first day of a month (YYYY-MM) or year (YYYY).
    #[arg(long, value_name = "DATE", value_parser = parse_bound, help_heading = FILTERS)]
    since: Option<DateSpec>,
    /// Only engagements that could fall on or before this date: a day
    /// (YYYY-MM-DD), or to the last day of a month (YYYY-MM) or year (YYYY).
    #[arg(long, value_name = "DATE", value_parser = parse_bound, help_heading = FILTERS)]
    until: Option<DateSpec>,
    /// Only engagements whose visiting side includes this party.
    #[arg(long, value_name = "PARTY", help_heading = FILTERS)]
    from: Vec<String>,
    /// Leave out engagements whose visiting side includes this party.
    #[arg(long, value_name = "PARTY", help_heading = FILTERS)]
    exclude_from: Vec<String>,
    /// Only engagements hosted by this party (or `online`, or `?`).
    #[arg(long, value_name = "PARTY", help_heading = FILTERS)]
    to: Vec<String>,
    /// Leave out engagements hosted by this party (or `online`, or `?`).
    #[arg(long, value_name = "PARTY", help_heading = FILTERS)]
    exclude_to: Vec<String>,
    /// Only engagements of this format.
    #[arg(long, value_name = "ID", help_heading = FILTERS)]
    format: Vec<String>,
    /// Leave out engagements of this format.
    #[arg(long, value_name = "ID", help_heading = FILTERS)]
    exclude_format: Vec<String>,
    /// Only engagements on this track: 1, 1.5 or 2.
    #[arg(long, value_name = "N", value_parser = parse_track, help_heading = FILTERS)]
    track: Vec<Track>,
    /// Leave out engagements on this track.
    #[arg(long, value_name = "N", value_parser = parse_track, help_heading = FILTERS)]
    exclude_track: Vec<Track>,
    /// Only engagements this org sponsored.
    #[arg(long, value_name = "ID", help_heading = FILTERS)]
    sponsor: Vec<String>,
    /// Leave out engagements this org sponsored.
    #[arg(long, value_name = "ID", help_heading = FILTERS)]
    exclude_sponsor: Vec<String>,
    /// Only engagements of this series.
    #[arg(long, value_name = "ID", help_heading = FILTERS)]
    series: Vec<String>,
    /// Leave out engagements of this series.
    #[arg(long, value_name = "ID", help_heading = FILTERS)]
    exclude_series: Vec<String>,
    /// Only engagements with this tag.
    #[arg(long, value_name = "ID", help_heading = FILTERS)]
    tag: Vec<String>,
    /// Leave out engagements with this tag.
    #[arg(long, value_name = "ID", help_heading = FILTERS)]
    exclude_tag: Vec<String>,
    /// Only engagements this person took part in or was met at.
    #[arg(long, value_name = "ID", help_heading = FILTERS)]
    person: Vec<String>,
    /// Leave out engagements this person took part in or was met at.
    #[arg(long, value_name = "ID", help_heading = FILTERS)]
    exclude_person: Vec<String>,
    /// Only engagements with this status, or `all`. Reports count held
    /// engagements unless told otherwise; export writes all.
    #[arg(long, value_name = "STATUS", value_parser = parse_status, help_heading = FILTERS)]
    status: Vec<StatusChoice>,
    /// Leave out engagements with this status.
    #[arg(long, value_name = "STATUS", value_parser = parse_one_status, help_heading = FILTERS)]
    exclude_status: Vec<Status>,
    /// Show private and embargoed records. The output says it is confidential.
    #[arg(long)]
    include_private: bool,
}

/// A day, a month or a year, as the ledger writes them; not a range.
/// `--since 2025-09` means from September's first day, as hledger's `-b`
/// does, and `--until 2025-11` up to and including November's last: a
/// report "for September to November" is then two plain flags.
fn parse_bound(text: &str) -> Result<DateSpec, String> {
    match DateSpec::parse(text) {
        Ok(DateSpec::Range(..)) => Err("that is a range; give its first day to --since and its last to --until".into()),
        Ok(date) => Ok(date),
        Err(track2::date::DateError::NotInCalendar { why, .. }) => Err(why),
        Err(_) => Err(super::expected_date(text)),
    }
}

#[derive(Clone, Copy, Debug)]
enum StatusChoice {
    One(Status),
    All,
}

fn parse_status(text: &str) -> Result<StatusChoice, String> {
    if text == "all" {
        return Ok(StatusChoice::All);
    }
    Status::parse(text)
        .map(StatusChoice::One)
        .ok_or_else(|| format!("`{text}` is not a status: use {}, or all", Status::WORDS.join(", ")))
}

fn parse_one_status(text: &str) -> Result<Status, String> {
    Status::parse(text).ok_or_else(|| format!("`{text}` is not a status: use {}", Status::WORDS.join(", ")))
}

fn parse_track(text: &str) -> Result<Track, String> {
    Track::parse(text).ok_or_else(|| format!("`{text}` is not a track: use 1, 1.5 or 2"))
}

impl ViewArgs {
    /// The filters in force, as the flags that set them, for a page's header.
    fn describe(&self, default_statuses: &[Status]) -> Vec<String> {
        let spec = self.filter_spec(default_statuses);
        let mut flags = Vec::new();
        let mut flag = |name: &str, values: Vec<String>| {
            flags.extend(values.into_iter().map(|value| format!("--{name} {value}")));
        };
        flag("since", spec.since.iter().map(DateSpec::to_string).collect());
        flag("until", spec.until.iter().map(DateSpec::to_string).collect());
        let tracks = |tracks: &[Track]| tracks.iter().map(|track| track.as_str().to_owned()).collect();
        for (name, values) in [
            ("from", spec.from),
            ("exclude-from", spec.exclude_from),
            ("to", spec.to),
            ("exclude-to", spec.exclude_to),
            ("format", spec.format),
            ("exclude-format", spec.exclude_format),
            ("track", tracks(&spec.track)),
            ("exclude-track", tracks(&spec.exclude_track)),
            ("sponsor", spec.sponsor),
            ("exclude-sponsor", spec.exclude_sponsor),
            ("series", spec.series),
            ("exclude-series", spec.exclude_series),
            ("tag", spec.tag),
            ("exclude-tag", spec.exclude_tag),
            ("person", spec.person),
            ("exclude-person", spec.exclude_person),
        ] {
            flag(name, values);
        }
        if spec.statuses.is_empty() {
            flags.push("--status all".to_owned());
        }
        for status in &spec.statuses {
            flags.push(format!("--status {}", status.as_str()));
        }
        for status in &spec.exclude_statuses {
            flags.push(format!("--exclude-status {}", status.as_str()));
        }
        if self.include_private {
            flags.push("--include-private".to_owned());
        }
        flags
    }

    /// A range that ends before it starts is a mistake on the command line,
    /// not an empty report: said before anything is read.
    fn check_range(&self) -> Result<(), String> {
        match (self.since, self.until) {
            (Some(since), Some(until)) if since.first_day() > until.last_day() => Err(format!(
                "--since {} is after --until {}: the range is empty; swap them?",
                since.first_day(),
                until.last_day()
            )),
            _ => Ok(()),
        }
    }

    fn filter_spec(&self, default_statuses: &[Status]) -> FilterSpec {
        let statuses = if self.status.iter().any(|choice| matches!(choice, StatusChoice::All)) {
            Vec::new()
        } else if self.status.is_empty() {
            default_statuses.to_vec()
        } else {
            self.status
                .iter()
                .filter_map(|choice| match choice {
                    StatusChoice::One(status) => Some(*status),
                    StatusChoice::All => None,
                })
                .collect()
        };
        FilterSpec {
            since: self.since,
            until: self.until,
            from: self.from.clone(),
            exclude_from: self.exclude_from.clone(),
            to: self.to.clone(),
            exclude_to: self.exclude_to.clone(),
            format: self.format.clone(),
            exclude_format: self.exclude_format.clone(),
            track: self.track.clone(),
            exclude_track: self.exclude_track.clone(),
            sponsor: self.sponsor.clone(),
            exclude_sponsor: self.exclude_sponsor.clone(),
            series: self.series.clone(),
            exclude_series: self.exclude_series.clone(),
            tag: self.tag.clone(),
            exclude_tag: self.exclude_tag.clone(),
            person: self.person.clone(),
            exclude_person: self.exclude_person.clone(),
            statuses,
            exclude_statuses: self.exclude_status.clone(),
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportOutput {
    /// Aligned columns for a terminal.
    Table,
    /// A GitHub-flavoured Markdown table.
    Markdown,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// JSON (schema in the README).
    Json,
    /// One self-contained HTML page: charts and tables, printable.
    Html,
    /// The report's chart alone, as SVG.
    Svg,
}

impl From<ReportOutput> for Output {
    fn from(output: ReportOutput) -> Output {
        match output {
            ReportOutput::Table => Output::Table,
            ReportOutput::Markdown => Output::Markdown,
            ReportOutput::Csv => Output::Csv,
            ReportOutput::Json => Output::Json,
            ReportOutput::Html => Output::Html,
            ReportOutput::Svg => Output::Svg,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ReportKind {
    /// Engagements per direction: a from × to matrix and a list.
    Directions,
    /// Engagements per format, by direction.
    Formats,
    /// Engagements per track, by direction.
    Tracks,
    /// Engagements per sponsor, by direction.
    Sponsors,
    /// Engagements per series, by direction.
    Series,
    /// Engagements per tag, by direction.
    Tags,
    /// Engagements per period, by direction.
    Timeline,
    /// Each person: how often, in which role, first and last date.
    Participants,
    /// Visits each way between pairs of parties, and their returns.
    Reciprocity,
    /// The one-screen overview.
    Summary,
    /// Who met whom: every pair of people who shared an engagement.
    Network,
    /// Who took part in each round of a series (needs --series ID).
    Roster,
    /// One row per engagement, by date: for a briefing.
    Engagements,
}

impl From<ReportKind> for Kind {
    fn from(kind: ReportKind) -> Kind {
        match kind {
            ReportKind::Directions => Kind::Directions,
            ReportKind::Formats => Kind::Formats,
            ReportKind::Tracks => Kind::Tracks,
            ReportKind::Sponsors => Kind::Sponsors,
            ReportKind::Series => Kind::Series,
            ReportKind::Tags => Kind::Tags,
            ReportKind::Timeline => Kind::Timeline,
            ReportKind::Participants => Kind::Participants,
            ReportKind::Reciprocity => Kind::Reciprocity,
            ReportKind::Summary => Kind::Summary,
            ReportKind::Network => Kind::Network,
            ReportKind::Roster => Kind::Roster,
            ReportKind::Engagements => Kind::Engagements,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum PeriodArg {
    Month,
    Quarter,
    Year,
}

impl From<PeriodArg> for Period {
    fn from(period: PeriodArg) -> Period {
        match period {
            PeriodArg::Month => Period::Month,
            PeriodArg::Quarter => Period::Quarter,
            PeriodArg::Year => Period::Year,
        }
    }
}

/// What every report command shares: the view and how to print.
#[derive(Args)]
pub struct ReportCommonArgs {
    #[command(flatten)]
    view: ViewArgs,
    /// How to print the report.
    #[arg(long, short, value_enum, default_value_t = ReportOutput::Table)]
    output: ReportOutput,
    /// Show counts below N as `<N`, so that a small cell cannot single anyone out.
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_count: u64,
    /// Write the output to FILE (all at once, or not at all) instead of
    /// standard output.
    #[arg(long, short = 'O', value_name = "FILE")]
    output_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct ReportArgs {
    /// Which report.
    #[arg(value_enum)]
    kind: ReportKind,
    /// The period of the timeline.
    #[arg(long, value_enum, default_value_t = PeriodArg::Month)]
    by: PeriodArg,
    #[command(flatten)]
    common: ReportCommonArgs,
}

#[derive(Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    common: ReportCommonArgs,
}

/// Loads and checks the ledger of `args`, keeping what `keep` says, then
/// hands the analysis to `use_analysis`, which returns the text to print or
/// a message saying why it cannot. A ledger with errors is refused with
/// check's diagnostics: a report of an invalid ledger would be half right.
pub fn with_analysis(
    args: &LedgerArgs,
    keep: Keep,
    terminal: &Terminal,
    destination: Option<&Path>,
    use_analysis: impl FnOnce(&Analysis<'_>, NaiveDate, &[PathBuf]) -> Result<String, Refusal>,
) -> Outcome {
    let ledger = match args.resolve(terminal) {
        Ok(ledger) => ledger,
        Err(message) => {
            output::fatal(&message);
            return Outcome::Failure;
        }
    };
    let loaded = match load(&ledger) {
        Ok(loaded) => loaded,
        Err(error) => {
            output::fatal(&error.to_string());
            return Outcome::Failure;
        }
    };
    let as_of = ledger.as_of;
    let analysis = track2::analyze(&loaded, &AnalysisOptions { as_of }, keep);
    let tally = Tally::of(&analysis.diagnostics);
    if tally.errors > 0 {
        let renderer = HumanRenderer::new(terminal.color, terminal.width);
        let mut text = String::new();
        for diagnostic in analysis.diagnostics.iter().filter(|d| d.is_error()) {
            text.push_str(&renderer.render(diagnostic, &loaded.sources));
            text.push('\n');
        }
        text.push_str(&format!(
            "error: the ledger has {}; fix them (see `track2 check`) before reporting\n",
            plural(tally.errors, "error")
        ));
        let _ = output::stderr(&text);
        return Outcome::Invalid;
    }
    if tally.warnings > 0 {
        output::note(&format!(
            "{}; `track2 check` shows them",
            plural(tally.warnings, "warning")
        ));
    }
    let text = match use_analysis(&analysis, as_of, &ledger.paths) {
        Ok(text) => text,
        Err(refusal) => {
            output::fatal(&refusal.message);
            return refusal.outcome;
        }
    };
    // The process ends here: the model's many small allocations need not be
    // given back one by one (see BENCHMARKS.md).
    std::mem::forget(analysis);
    std::mem::forget(loaded);
    let written = match destination {
        Some(path) => write_file(path, &text).map_err(|error| format!("cannot write {}: {error}", path.display())),
        None => output::stdout(&text).map_err(|error| format!("cannot write the report: {error}")),
    };
    match written {
        Ok(()) => Outcome::Success,
        Err(message) => {
            output::fatal(&message);
            Outcome::Failure
        }
    }
}

/// Why an output cannot be made, and the exit status that says so.
pub struct Refusal {
    pub message: String,
    pub outcome: Outcome,
}

impl Refusal {
    /// A usage error: an option names what the ledger does not have.
    pub fn usage(message: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            outcome: Outcome::Failure,
        }
    }
}

/// [`with_analysis`] for the outputs made from a view of the whole model.
pub fn with_view(
    args: &ViewArgs,
    default_statuses: &[Status],
    terminal: &Terminal,
    destination: Option<&Path>,
    use_view: impl FnOnce(&View<'_, '_>, &Filter<'_>, NaiveDate, &[PathBuf]) -> String,
) -> Outcome {
    if let Err(message) = args.check_range() {
        output::fatal(&message);
        return Outcome::Failure;
    }
    with_analysis(
        &args.ledger,
        Keep::Ledger,
        terminal,
        destination,
        |analysis, as_of, paths| {
            let (view, filter) =
                view_of(&analysis.ledger, args, default_statuses, as_of, terminal.today).map_err(Refusal::usage)?;
            Ok(use_view(&view, &filter, as_of, paths))
        },
    )
}

/// Writes `text` to a temporary file beside `path`, then renames it over
/// `path`: a reader never sees half a report, and a failed write leaves the
/// old file as it was. An existing file keeps its permissions; a new one is
/// readable by all (0644 on Unix), as a report to be shared should be.
fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".track2-report-")
        .suffix(".tmp")
        .tempfile_in(directory)?;
    temporary.write_all(text.as_bytes())?;
    temporary.as_file().sync_all()?;
    match std::fs::metadata(path) {
        Ok(metadata) => temporary.as_file().set_permissions(metadata.permissions())?,
        Err(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                temporary
                    .as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o644))?;
            }
        }
    }
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

fn view_of<'l, 'a>(
    ledger: &'l Ledger<'a>,
    args: &ViewArgs,
    default_statuses: &[Status],
    as_of: NaiveDate,
    today: NaiveDate,
) -> Result<(View<'l, 'a>, Filter<'a>), String> {
    let disclosure = Disclosure::new(args.include_private, as_of, today);
    View::filtered_by(ledger, disclosure, &args.filter_spec(default_statuses)).map_err(|error| error.to_string())
}

pub fn run_report(args: &ReportArgs, terminal: &Terminal) -> Outcome {
    run(args.kind.into(), args.by.into(), &args.common, terminal)
}

pub fn run_summary(args: &SummaryArgs, terminal: &Terminal) -> Outcome {
    run(Kind::Summary, Period::Month, &args.common, terminal)
}

fn run(kind: Kind, period: Period, common: &ReportCommonArgs, terminal: &Terminal) -> Outcome {
    let output: Output = common.output.into();
    // Usage errors first, before the ledger is read.
    if output == Output::Svg && kind == Kind::Summary {
        output::fatal(
            "the summary draws several charts, not one: use --output html for its page, \
             or `report directions --output svg` (or another report) for one chart",
        );
        return Outcome::Failure;
    }
    if output == Output::Svg && !kind.has_chart() {
        output::fatal("the list of engagements draws no chart: use --output html for a page of it");
        return Outcome::Failure;
    }
    if kind == Kind::Roster && common.view.series.is_empty() {
        output::fatal("report roster needs --series ID: the series whose rounds to list");
        return Outcome::Failure;
    }
    if !kind.counts() && common.min_count > 1 {
        output::fatal(
            "--min-count withholds small counts, but `report engagements` lists each engagement: \
             drop --min-count, or use a report that counts (`report directions`, `summary`, …)",
        );
        return Outcome::Failure;
    }
    let destination = common.output_file.as_deref();
    // A table fits the terminal it is shown in; written to a file, it is
    // whole.
    let width = match destination {
        Some(_) => None,
        None => terminal.stdout_width,
    };
    with_view(
        &common.view,
        &[Status::Held],
        terminal,
        destination,
        |view, filter, as_of, paths| {
            let options = ReportOptions {
                min_count: common.min_count,
                period,
                as_of,
                since: filter.since(),
                until: filter.until(),
            };
            if output == Output::Html {
                let mut filters = common.view.describe(&[Status::Held]);
                if kind == Kind::Timeline {
                    filters.push(format!("--by {}", period_name(period)));
                }
                if common.min_count > 1 {
                    filters.push(format!("--min-count {}", common.min_count));
                }
                let page = html::Page {
                    title: page_title(kind).to_owned(),
                    ledger: Some(ledger_name(paths)),
                    commit: paths.first().and_then(|path| git::commit_of(path)),
                    as_of: Some(as_of.to_string()),
                    filters,
                    confidential: view.reveal,
                    palette: Palette::new(report::directions::directions(view, options).palette_order()),
                    figures: Vec::new(),
                };
                return html_page(kind, view, options, page);
            }
            let query = Query::new(
                ledger_name(paths),
                filter.describe(view.ledger),
                options,
                view.reveal,
                !view.engagements.is_empty(),
            );
            let report = report::build(kind, view, options);
            let framing = Framing {
                reveal: view.reveal,
                query: Some(&query),
                width,
            };
            output::render_framed_report(report.as_ref(), output, framing)
        },
    )
}

/// A report's HTML page; for the summary, the dashboard.
fn html_page(kind: Kind, view: &View<'_, '_>, options: ReportOptions, mut page: html::Page) -> String {
    if kind == Kind::Summary {
        let dashboard = html::dashboard::dashboard(view, options);
        page.figures = dashboard.figures;
        page.palette = Palette::new(dashboard.palette_order);
        return html::render(&page, &dashboard.sections);
    }
    let report = report::build(kind, view, options);
    html::render(&page, &html::report_sections(report.as_ref()))
}

fn page_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Directions => "Directions",
        Kind::Formats => "Formats",
        Kind::Tracks => "Tracks",
        Kind::Sponsors => "Sponsors",
        Kind::Series => "Series",
        Kind::Tags => "Tags",
        Kind::Timeline => "Timeline",
        Kind::Participants => "Participants",
        Kind::Reciprocity => "Reciprocity",
        Kind::Summary => "Summary",
        Kind::Network => "Network",
        Kind::Roster => "Roster",
        Kind::Engagements => "Engagements",
    }
}

fn period_name(period: Period) -> &'static str {
    match period {
        Period::Month => "month",
        Period::Quarter => "quarter",
        Period::Year => "year",
    }
}

/// The ledger's paths as given, for a page's header.
fn ledger_name(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|path| path.display().to_string()).collect();
    names.join(", ")
}
