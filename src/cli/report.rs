//! `track2 summary`, `track2 report KIND` and `track2 export`: read and
//! check the ledger, refuse it if it has errors, then render a report of
//! what the privacy view lets through.

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::output::{self, plural};
use super::{LedgerArgs, Outcome, Terminal};
use track2::date::DateSpec;
use track2::filter::{Filter, FilterSpec};
use track2::model::{Ledger, Status, Track};
use track2::privacy::{Disclosure, View};
use track2::render::human::HumanRenderer;
use track2::report::timeline::Period;
use track2::report::{self, Kind, Output, ReportOptions};
use track2::{AnalysisOptions, Disk, Tally, escape, export, loader};

/// Which engagements to count, and what may be shown of them.
#[derive(Args)]
pub struct ViewArgs {
    #[command(flatten)]
    ledger: LedgerArgs,
    /// Only engagements that could fall on or after this date: a day
    /// (YYYY-MM-DD), or from the first day of a month (YYYY-MM) or year (YYYY).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    since: Option<NaiveDate>,
    /// Only engagements that could fall on or before this date: a day
    /// (YYYY-MM-DD), or to the last day of a month (YYYY-MM) or year (YYYY).
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    until: Option<NaiveDate>,
    /// Only engagements whose visiting side includes this party.
    #[arg(long, value_name = "PARTY")]
    from: Option<String>,
    /// Only engagements hosted by this party (or `online`).
    #[arg(long, value_name = "PARTY")]
    to: Option<String>,
    /// Only engagements of this format.
    #[arg(long, value_name = "ID")]
    format: Option<String>,
    /// Only engagements on this track.
    #[arg(long, value_name = "N", value_parser = parse_track)]
    track: Option<Track>,
    /// Only engagements this org sponsored.
    #[arg(long, value_name = "ID")]
    sponsor: Option<String>,
    /// Only engagements of this series.
    #[arg(long, value_name = "ID")]
    series: Option<String>,
    /// Only engagements with this tag.
    #[arg(long, value_name = "ID")]
    tag: Option<String>,
    /// Only engagements with this status; repeat for several, or `all`.
    /// Reports count held engagements unless told otherwise; export writes all.
    #[arg(long, value_name = "STATUS", value_parser = parse_status)]
    status: Vec<StatusChoice>,
    /// Show private and embargoed records. The output says it is confidential.
    #[arg(long)]
    include_private: bool,
}

/// `--since 2025-09` means from September's first day, as hledger's `-b`
/// does: a report "for September to November" is then two plain flags.
fn parse_since(text: &str) -> Result<NaiveDate, String> {
    parse_bound(text).map(DateSpec::first_day)
}

/// `--until 2025-11` means up to and including November's last day.
fn parse_until(text: &str) -> Result<NaiveDate, String> {
    parse_bound(text).map(DateSpec::last_day)
}

/// A day, a month or a year, as the ledger writes them; not a range.
fn parse_bound(text: &str) -> Result<DateSpec, String> {
    match DateSpec::parse(text) {
        Ok(DateSpec::Range(..)) => Err(format!("`{text}` is a range: give its ends to --since and --until")),
        Ok(date) => Ok(date),
        Err(error) => Err(format!(
            "`{text}`: {}; expected YYYY-MM-DD, YYYY-MM or YYYY",
            error.describe()
        )),
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

fn parse_track(text: &str) -> Result<Track, String> {
    Track::parse(text).ok_or_else(|| format!("`{text}` is not a track: use 1, 1.5 or 2"))
}

impl ViewArgs {
    /// A range that ends before it starts is a mistake on the command line,
    /// not an empty report: said before anything is read.
    fn check_range(&self) -> Result<(), String> {
        match (self.since, self.until) {
            (Some(since), Some(until)) if since > until => Err(format!(
                "--since {since} is after --until {until}: the range is empty; swap them?"
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
            to: self.to.clone(),
            format: self.format.clone(),
            track: self.track,
            sponsor: self.sponsor.clone(),
            series: self.series.clone(),
            tag: self.tag.clone(),
            statuses,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportOutput {
    /// Aligned columns for a terminal.
    Table,
    /// A GitHub-flavoured Markdown table.
    Markdown,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// JSON (schema in the README).
    Json,
}

impl From<ReportOutput> for Output {
    fn from(output: ReportOutput) -> Output {
        match output {
            ReportOutput::Table => Output::Table,
            ReportOutput::Markdown => Output::Markdown,
            ReportOutput::Csv => Output::Csv,
            ReportOutput::Json => Output::Json,
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

#[derive(Clone, Copy, ValueEnum)]
enum ExportOutput {
    Json,
    Csv,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    view: ViewArgs,
    /// JSON (one document, with the declarations) or CSV (one row per engagement).
    #[arg(long, short, value_enum, default_value_t = ExportOutput::Json)]
    output: ExportOutput,
}

/// Loads and checks the ledger of `args`, then hands the view to `use_view`.
/// A ledger with errors is refused with check's diagnostics: a report of an
/// invalid ledger would be half right.
fn with_view(
    args: &ViewArgs,
    default_statuses: &[Status],
    terminal: &Terminal,
    use_view: impl FnOnce(&View<'_, '_>, NaiveDate) -> String,
) -> Outcome {
    if let Err(message) = args.check_range() {
        output::fatal(&message);
        return Outcome::Failure;
    }
    let paths = match args.ledger.resolve_paths(terminal) {
        Ok(paths) => paths,
        Err(message) => {
            output::fatal(&message);
            return Outcome::Failure;
        }
    };
    let loaded = match loader::load(&Disk, &paths, &args.ledger.reading.load_options()) {
        Ok(loaded) => loaded,
        Err(error) => {
            output::fatal(&error.to_string());
            return Outcome::Failure;
        }
    };
    let as_of = args.ledger.as_of(terminal);
    let analysis = track2::check(&loaded, &AnalysisOptions { as_of });
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
        let note = format!(
            "track2: note: {}; `track2 check` shows them\n",
            plural(tally.warnings, "warning")
        );
        let _ = output::stderr(&note);
    }
    let text = match view_of(&analysis.ledger, args, default_statuses, as_of) {
        Ok(view) => use_view(&view, as_of),
        Err(message) => {
            output::fatal(&message);
            return Outcome::Failure;
        }
    };
    // The process ends here: the model's many small allocations need not be
    // given back one by one (see BENCHMARKS.md).
    std::mem::forget(analysis);
    std::mem::forget(loaded);
    match output::stdout(&text) {
        Ok(()) => Outcome::Success,
        Err(error) => {
            output::fatal(&format!("cannot write the report: {error}"));
            Outcome::Failure
        }
    }
}

fn view_of<'l, 'a>(
    ledger: &'l Ledger<'a>,
    args: &ViewArgs,
    default_statuses: &[Status],
    as_of: NaiveDate,
) -> Result<View<'l, 'a>, String> {
    let filter = Filter::resolve(&args.filter_spec(default_statuses), ledger).map_err(|error| error.to_string())?;
    let disclosure = Disclosure {
        reveal: args.include_private,
        as_of,
    };
    Ok(View::new(ledger, disclosure, &filter))
}

pub fn run_report(args: &ReportArgs, terminal: &Terminal) -> Outcome {
    run(args.kind.into(), args.by.into(), &args.common, terminal)
}

pub fn run_summary(args: &SummaryArgs, terminal: &Terminal) -> Outcome {
    run(Kind::Summary, Period::Month, &args.common, terminal)
}

fn run(kind: Kind, period: Period, common: &ReportCommonArgs, terminal: &Terminal) -> Outcome {
    with_view(&common.view, &[Status::Held], terminal, |view, as_of| {
        let options = ReportOptions {
            min_count: common.min_count,
            period,
            as_of,
            since: common.view.since,
            until: common.view.until,
        };
        let report = report::build(kind, view, options);
        let text = report::render(report.as_ref(), common.output.into(), view.reveal);
        // A valid ledger holds no control character, but JSON would pass
        // DEL and C1 through raw if one ever got in: escaped, it means the same.
        match common.output {
            ReportOutput::Json => escape::json(text),
            _ => text,
        }
    })
}

pub fn run_export(args: &ExportArgs, terminal: &Terminal) -> Outcome {
    with_view(&args.view, &[], terminal, |view, _| {
        let document = export::ExportDocument::new(view);
        match args.output {
            ExportOutput::Json => {
                let mut text = escape::json(serde_json::to_string_pretty(&document).expect("an export serialises"));
                text.push('\n');
                text
            }
            ExportOutput::Csv => {
                let csv = export::to_csv(&document);
                if view.reveal {
                    format!("# {}\r\n{csv}", report::CONFIDENTIAL_WARNING)
                } else {
                    csv
                }
            }
        }
    })
}
