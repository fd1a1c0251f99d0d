//! Throughput of track2 on synthetic ledgers (issue 6): each phase at 10k,
//! 100k and 1M engagements, in bytes/s and engagements/s.
//!
//! ```sh
//! cargo bench --bench throughput                  # everything, about 8 minutes
//! cargo bench --bench throughput -- validate      # one group
//! TRACK2_BENCH_SIZES=10k,100k cargo bench         # skip the 1M ledger
//! TRACK2_BENCH_SHAPE=regional TRACK2_BENCH_SIZES=10k cargo bench -- report
//! ```
//!
//! Groups:
//! - `load`: bytes to a `Loaded` ledger (UTF-8 check, outline of includes
//!   and declarations), as `loader::load_bytes` does; the file read is not
//!   included, and nothing is parsed yet.
//! - `validate`: `track2::validate` on the loaded ledger, what `track2
//!   check` runs: every block parsed and checked, engagements dropped.
//! - `analyze`: `track2::check` on the loaded ledger, what reports and
//!   export start from: the same work, keeping the whole model.
//! - `check`: `load` and `validate`, end to end in memory, dropping
//!   everything (the binary leaves that to the end of the process).
//! - `report`: `summary` and `report directions|sponsors|timeline` on the
//!   analysed model, as the commands print them (loading and analysis not
//!   included).
//! - `fmt`: the canonical form of the whole file (`track2 fmt` less the
//!   file read and write); the generated ledgers are already canonical.
//! - `render`: 10,000 diagnostics (a 100k ledger with 10,000 injected
//!   errors) as human, JSON and GitHub output.
//!
//! Inputs are generated in-process by the generator of the tests
//! (`tests/it/support/generator/`, seed 1), the same as `cargo run --example
//! synthetic`, so a number here can be reproduced with the binary on the
//! file that command writes. Its `bilateral` shape unless
//! `TRACK2_BENCH_SHAPE` names another (`regional`: 40 parties, thousands of
//! directions). `BENCHMARKS.md` records the results.

#[allow(dead_code, unused_imports)]
#[path = "../tests/it/support/generator/mod.rs"]
mod generator;

use std::cell::OnceCell;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};
use track2::filter::FilterSpec;
use track2::model::{Ledger, Status};
use track2::privacy::{Disclosure, View};
use track2::render::{github, human::HumanRenderer, json};
use track2::report::{self, Kind, Output, ReportOptions};
use track2::{AnalysisOptions, loader};

/// One generated ledger.
struct Input {
    label: &'static str,
    entries: usize,
    bytes: Vec<u8>,
}

const SIZES: &[(&str, usize)] = &[("10k", 10_000), ("100k", 100_000), ("1M", 1_000_000)];

type ReportFn = fn(&Ledger<'_>) -> String;

/// The reports measured on each valid ledger: a name and a function from the
/// model to the text the command prints. Add a report here to measure it.
const REPORTS: &[(&str, ReportFn)] = &[
    ("summary", |ledger| report_text(ledger, Kind::Summary)),
    ("directions", |ledger| report_text(ledger, Kind::Directions)),
    ("sponsors", |ledger| report_text(ledger, Kind::Sponsors)),
    ("timeline", |ledger| report_text(ledger, Kind::Timeline)),
];

/// What `track2 summary` or `track2 report KIND` prints, after the check:
/// held engagements, nothing private revealed, as a terminal table.
fn report_text(ledger: &Ledger<'_>, kind: Kind) -> String {
    let as_of = options().as_of;
    let spec = FilterSpec {
        statuses: vec![Status::Held],
        ..FilterSpec::default()
    };
    let view = View::filtered(ledger, Disclosure { reveal: false, as_of }, &spec).expect("the filter names no ids");
    let report = report::build(kind, &view, ReportOptions::new(as_of));
    report::render(report.as_ref(), Output::Table, false)
}

fn options() -> AnalysisOptions {
    AnalysisOptions {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
    }
}

/// The sizes named in `TRACK2_BENCH_SIZES` (comma-separated labels), or all,
/// in the shape named in `TRACK2_BENCH_SHAPE`, or the bilateral one.
fn inputs() -> Vec<Input> {
    let wanted = std::env::var("TRACK2_BENCH_SIZES").ok();
    let shape = match std::env::var("TRACK2_BENCH_SHAPE") {
        Ok(name) => generator::Shape::from_name(&name).unwrap_or_else(|| panic!("no shape `{name}`")),
        Err(_) => generator::Shape::Bilateral,
    };
    SIZES
        .iter()
        .filter(|(label, _)| {
            wanted
                .as_deref()
                .is_none_or(|wanted| wanted.split(',').any(|w| w.trim() == *label))
        })
        .map(|&(label, entries)| Input {
            label,
            entries,
            bytes: generate(generator::Config {
                shape,
                ..generator::Config::new(entries)
            }),
        })
        .collect()
}

fn generate(config: generator::Config) -> Vec<u8> {
    let generated = generator::generate(&config);
    let [file] = <[generator::GeneratedFile; 1]>::try_from(generated.files)
        .ok()
        .expect("one file");
    file.text.into_bytes()
}

/// Samples that fit a few minutes in all: a 1M run takes seconds, so it
/// gets criterion's minimum of ten samples, one run each.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, input: &Input) {
    group.throughput(Throughput::ElementsAndBytes {
        elements: input.entries as u64,
        bytes: input.bytes.len() as u64,
    });
    if input.entries >= 1_000_000 {
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(20));
    } else if input.entries >= 100_000 {
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
    } else {
        group
            .sample_size(20)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
    }
}

fn load(bytes: Vec<u8>) -> loader::Loaded {
    loader::load_bytes("synthetic.track2", bytes).expect("a generated ledger fits")
}

fn bench_load(c: &mut Criterion, inputs: &[Input]) {
    let mut group = c.benchmark_group("load");
    for input in inputs {
        configure(&mut group, input);
        group.bench_with_input(BenchmarkId::from_parameter(input.label), input, |b, input| {
            b.iter_batched(|| input.bytes.clone(), load, BatchSize::PerIteration);
        });
    }
    group.finish();
}

fn bench_validate(c: &mut Criterion, inputs: &[Input]) {
    bench_analysis(c, inputs, "validate", track2::validate);
}

fn bench_analyze(c: &mut Criterion, inputs: &[Input]) {
    bench_analysis(c, inputs, "analyze", track2::check);
}

type AnalysisFn = for<'a> fn(&'a loader::Loaded, &AnalysisOptions) -> track2::Analysis<'a>;

/// One analysis of each loaded ledger, its result dropped outside the timing.
fn bench_analysis(c: &mut Criterion, inputs: &[Input], name: &str, analysis: AnalysisFn) {
    let mut group = c.benchmark_group(name);
    let options = options();
    for input in inputs {
        // Loaded on first use, so that a filtered-out size costs nothing.
        let loaded = OnceCell::new();
        configure(&mut group, input);
        group.bench_function(BenchmarkId::from_parameter(input.label), |b| {
            let loaded = loaded.get_or_init(|| load(input.bytes.clone()));
            b.iter_with_large_drop(|| analysis(loaded, &options));
        });
    }
    group.finish();
}

fn bench_check(c: &mut Criterion, inputs: &[Input]) {
    let mut group = c.benchmark_group("check");
    let options = options();
    for input in inputs {
        configure(&mut group, input);
        group.bench_with_input(BenchmarkId::from_parameter(input.label), input, |b, input| {
            b.iter_batched(
                || input.bytes.clone(),
                |bytes| {
                    let loaded = load(bytes);
                    let analysis = track2::validate(&loaded, &options);
                    assert!(analysis.diagnostics.is_empty(), "a generated ledger is valid");
                    analysis.engagements_read
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn bench_reports(c: &mut Criterion, inputs: &[Input]) {
    let mut group = c.benchmark_group("report");
    let options = options();
    for input in inputs {
        let loaded = OnceCell::new();
        let analysis = OnceCell::new();
        configure(&mut group, input);
        for &(name, report) in REPORTS {
            group.bench_function(BenchmarkId::new(name, input.label), |b| {
                let loaded = loaded.get_or_init(|| load(input.bytes.clone()));
                let ledger = &analysis.get_or_init(|| track2::check(loaded, &options)).ledger;
                b.iter_with_large_drop(|| report(ledger));
            });
        }
    }
    group.finish();
}

fn bench_fmt(c: &mut Criterion, inputs: &[Input]) {
    let mut group = c.benchmark_group("fmt");
    for input in inputs {
        let text = std::str::from_utf8(&input.bytes).expect("generated text is UTF-8");
        configure(&mut group, input);
        group.bench_with_input(BenchmarkId::from_parameter(input.label), text, |b, text| {
            b.iter_with_large_drop(|| track2::format::format_text(text).expect("no syntax errors"));
        });
    }
    group.finish();
}

const RENDERED_ERRORS: usize = 10_000;

/// Rendering 10,000 diagnostics: the check itself is not measured here.
fn bench_render(c: &mut Criterion) {
    let loaded = OnceCell::new();
    let analysis = OnceCell::new();
    let diagnostics = || {
        let loaded = loaded.get_or_init(|| {
            load(generate(generator::Config {
                errors: RENDERED_ERRORS,
                ..generator::Config::new(100_000)
            }))
        });
        let analysis = analysis.get_or_init(|| track2::check(loaded, &options()));
        assert_eq!(analysis.diagnostics.len(), RENDERED_ERRORS, "one per injected error");
        (&analysis.diagnostics, &loaded.sources)
    };
    let mut group = c.benchmark_group("render-10k-errors");
    group
        .throughput(Throughput::Elements(RENDERED_ERRORS as u64))
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("human", |b| {
        let (diagnostics, sources) = diagnostics();
        let renderer = HumanRenderer::new(false, 100);
        b.iter(|| {
            let mut text = String::new();
            for diagnostic in diagnostics {
                text.push_str(&renderer.render(diagnostic, sources));
                text.push('\n');
            }
            text
        });
    });
    group.bench_function("json", |b| {
        let (diagnostics, sources) = diagnostics();
        b.iter(|| json::render(diagnostics, sources));
    });
    group.bench_function("github", |b| {
        let (diagnostics, sources) = diagnostics();
        b.iter(|| github::render(diagnostics, sources));
    });
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let inputs = inputs();
    bench_load(&mut criterion, &inputs);
    bench_validate(&mut criterion, &inputs);
    bench_analyze(&mut criterion, &inputs);
    bench_check(&mut criterion, &inputs);
    bench_reports(&mut criterion, &inputs);
    bench_fmt(&mut criterion, &inputs);
    bench_render(&mut criterion);
    criterion.final_summary();
}
