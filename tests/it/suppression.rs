//! `--min-count` cannot be undone by arithmetic (issue 11). Over generated
//! ledgers and minimums from 2 to 5, every report's JSON is read back, its
//! lines of figures that add up are rebuilt from that JSON alone (a row and
//! its total, a column and the engagements of its direction, a person's
//! engagements as participant and as met, ...), and no line may have
//! exactly one figure missing: that figure would be the others' difference.
//! And every figure shown must be the figure `--min-count 1` shows.
//!
//! Figures a reader finds in another report take part as that report
//! shows them at the same minimum: the engagements per direction as
//! `report directions` prints them, the engagements and seats in all as
//! `summary` does.
//!
//! Case counts are bounded so that CI stays fast; raise `PROPTEST_CASES` to
//! search longer locally.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use serde_json::Value;

use crate::support::{AS_OF, cases, track2_in};

/// The reports whose counts `--min-count` withholds.
const REPORTS: [&[&str]; 11] = [
    &["report", "directions"],
    &["report", "formats"],
    &["report", "tracks"],
    &["report", "series"],
    &["report", "sponsors"],
    &["report", "tags"],
    &["report", "timeline"],
    &["report", "participants"],
    &["report", "network"],
    &["report", "reciprocity"],
    &["summary"],
];

const DIRECTIONS: [(&str, &[&str]); 7] = [
    ("AM -> AZ", &["AM"]),
    ("AZ -> AM", &["AZ"]),
    ("AM -> GE", &["AM"]),
    ("AZ -> GE", &["AZ"]),
    ("GE -> AM", &["GE"]),
    ("AM + AZ -> NL", &["AM", "AZ"]),
    ("AZ -> online", &["AZ"]),
];

const DECLARATIONS: &str = "party AM Armenia\nparty AZ Azerbaijan\nparty GE Georgia\nparty NL Netherlands\n\
org eu European Union\norg osf Open Society\n\
person a1 Anna A\n  party: AM\nperson a2 Aram B\n  party: AM\n\
person z1 Zaur D\n  party: AZ\nperson z2 Zeynab E\n  party: AZ\nperson g1 Giorgi G\n  party: GE\n\
format dialogue Dialogue\nformat forum Forum\nformat seminar Seminar\n\
series pb Peace Bridge\n\n";

/// One generated engagement: indices into the choices above.
#[derive(Clone, Debug)]
struct Planned {
    direction: usize,
    month: u32,
    format: usize,
    track: usize,
    sponsor: Option<usize>,
    series: bool,
    tag: Option<usize>,
    /// Bit mask over the visiting parties' two people.
    named: u8,
    counted: Option<u8>,
    met: bool,
}

fn planned() -> impl Strategy<Value = Planned> {
    (
        0..DIRECTIONS.len(),
        1u32..=6,
        0usize..3,
        0usize..3,
        proptest::option::of(0usize..2),
        any::<bool>(),
        proptest::option::of(0usize..2),
        0u8..4,
        proptest::option::of(1u8..4),
        any::<bool>(),
    )
        .prop_map(
            |(direction, month, format, track, sponsor, series, tag, named, counted, met)| Planned {
                direction,
                month,
                format,
                track,
                sponsor,
                series,
                tag,
                named,
                counted,
                met,
            },
        )
}

fn people_of(party: &str) -> &'static [&'static str] {
    match party {
        "AM" => &["a1", "a2"],
        "AZ" => &["z1", "z2"],
        "GE" => &["g1"],
        _ => &[],
    }
}

fn ledger(plans: &[Planned]) -> String {
    let mut text = DECLARATIONS.to_owned();
    for (index, plan) in plans.iter().enumerate() {
        let (direction, origin) = DIRECTIONS[plan.direction];
        text.push_str(&format!(
            "2025-{:02}-{:02} {direction} Meeting {index}\n",
            plan.month,
            1 + index % 28
        ));
        text.push_str(&format!(
            "  format: {}\n",
            ["dialogue", "forum", "seminar"][plan.format]
        ));
        text.push_str(&format!("  track: {}\n", ["1", "1.5", "2"][plan.track]));
        if let Some(sponsor) = plan.sponsor {
            text.push_str(&format!("  sponsors: {}\n", ["eu", "osf"][sponsor]));
        }
        if plan.series {
            text.push_str("  series: pb\n");
        }
        if let Some(tag) = plan.tag {
            text.push_str(&format!("  tags: {}\n", ["visit", "youth"][tag]));
        }
        let mut participants: Vec<String> = origin
            .iter()
            .flat_map(|party| people_of(party).iter())
            .enumerate()
            .filter(|(at, _)| plan.named & (1 << (at % 2)) != 0)
            .map(|(_, person)| (*person).to_owned())
            .collect();
        if let Some(counted) = plan.counted {
            participants.push(format!("+{counted} {}", origin[0]));
        }
        if !participants.is_empty() {
            text.push_str(&format!("  participants: {}\n", participants.join(", ")));
        }
        let host = direction.rsplit(" -> ").next().unwrap_or("");
        if plan.met {
            if let Some(person) = people_of(host).first() {
                text.push_str(&format!("  met: {person}\n"));
            }
        }
        text.push('\n');
    }
    text
}

/// A report's JSON, without the query (which names the minimum).
fn report(directory: &Path, args: &[&str], min_count: u64) -> Value {
    let min_count = min_count.to_string();
    let mut all = args.to_vec();
    all.extend([
        "ledger.track2",
        "--as-of",
        AS_OF,
        "--output",
        "json",
        "--min-count",
        &min_count,
    ]);
    let output = track2_in(directory, &all).output().expect("the binary runs");
    assert!(
        output.status.success(),
        "{all:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut document: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    document.as_object_mut().expect("an object").remove("query");
    document
}

/// A figure as the output shows it: the number, or `None` when withheld.
fn shown(value: &Value) -> Option<i64> {
    value.as_i64()
}

/// The lines of one report's JSON, by name.
struct Lines {
    lines: Vec<(String, Vec<Option<i64>>)>,
}

impl Lines {
    fn push(&mut self, name: String, figures: Vec<Option<i64>>) {
        if figures.len() >= 2 {
            self.lines.push((name, figures));
        }
    }

    /// Rows that add up to their totals; and when the rows partition the
    /// engagements, columns that add up to their direction's margin and
    /// totals that add up to all engagements.
    fn cross_table(&mut self, name: &str, rows: &Value, partitions: bool, margins: &Margins) {
        let rows = rows.as_array().expect("rows");
        let mut columns: BTreeMap<String, Vec<Option<i64>>> = BTreeMap::new();
        let mut totals = vec![margins.engagements];
        for (at, row) in rows.iter().enumerate() {
            let cells = row["by_direction"].as_object().expect("by_direction");
            let mut line = vec![shown(&row["count"])];
            for (direction, cell) in cells {
                line.push(shown(cell));
                columns.entry(direction.clone()).or_default().push(shown(cell));
            }
            self.push(format!("{name} row {at}"), line);
            totals.push(shown(&row["count"]));
        }
        if partitions {
            self.push(format!("{name} totals"), totals);
            for (direction, mut line) in columns {
                line.push(margins.by_direction[&direction]);
                self.push(format!("{name} column {direction}"), line);
            }
        }
    }

    fn reciprocity(&mut self, pairs: &Value) {
        for pair in pairs.as_array().expect("pairs") {
            // The balance is a difference: shown, it gives either side away.
            if !pair["balance"].is_null() {
                self.push(
                    format!("balance {pair}"),
                    vec![shown(&pair["a_to_b"]), shown(&pair["b_to_a"]), shown(&pair["balance"])],
                );
            }
        }
    }
}

struct Margins {
    engagements: Option<i64>,
    by_direction: BTreeMap<String, Option<i64>>,
    seats: Option<i64>,
}

impl Margins {
    /// The margins as a reader finds them at `--min-count N`: the
    /// engagements per direction in `report directions`, the engagements and
    /// seats in all in `summary`.
    fn of(directions: &Value, summary: &Value) -> Margins {
        let rows = directions["rows"].as_array().expect("rows");
        Margins {
            engagements: shown(&summary["engagements"]),
            by_direction: rows
                .iter()
                .map(|row| {
                    let label = format!("{} -> {}", row["from"].as_str().unwrap(), row["to"].as_str().unwrap());
                    (label, shown(&row["count"]))
                })
                .collect(),
            seats: shown(&summary["seats"]["count"]),
        }
    }
}

/// Every line of `kind`'s JSON `document` (at `--min-count N`); `whole`
/// is the same report at `--min-count 1`.
fn lines_of(kind: &str, document: &Value, whole: &Value, margins: &Margins) -> Lines {
    let mut lines = Lines { lines: Vec::new() };
    match kind {
        "directions" => {
            let rows = document["rows"].as_array().unwrap();
            let mut counts: Vec<Option<i64>> = rows.iter().map(|row| shown(&row["count"])).collect();
            counts.push(margins.engagements);
            lines.push("directions".into(), counts);
            let mut seats: Vec<Option<i64>> = rows.iter().map(|row| shown(&row["seats"]["count"])).collect();
            seats.push(margins.seats);
            lines.push("seats".into(), seats);
        }
        "formats" | "tracks" | "series" | "timeline" => lines.cross_table(kind, &document["rows"], true, margins),
        "sponsors" | "tags" => lines.cross_table(kind, &document["rows"], false, margins),
        "participants" => {
            let rows = document["rows"].as_array().unwrap();
            let mut seats = vec![margins.seats];
            for (at, row) in rows.iter().enumerate() {
                let whole_row = &whole["rows"][at];
                let adds_up = whole_row["engagements"].as_u64()
                    == Some(whole_row["as_participant"].as_u64().unwrap() + whole_row["as_met"].as_u64().unwrap());
                if adds_up {
                    lines.push(
                        format!("participant {at}"),
                        vec![
                            shown(&row["engagements"]),
                            shown(&row["as_participant"]),
                            shown(&row["as_met"]),
                        ],
                    );
                }
                seats.push(shown(&row["as_participant"]));
            }
            for row in document["unnamed"].as_array().into_iter().flatten() {
                seats.push(shown(&row["seats"]["count"]));
            }
            lines.push("participant seats".into(), seats);
        }
        "network" => {
            for (at, link) in document["links"].as_array().unwrap().iter().enumerate() {
                let whole_link = &whole["links"][at];
                let adds_up = whole_link["engagements"].as_u64()
                    == Some(whole_link["met"].as_u64().unwrap() + whole_link["together"].as_u64().unwrap());
                if adds_up {
                    lines.push(
                        format!("link {at}"),
                        vec![
                            shown(&link["engagements"]),
                            shown(&link["met"]),
                            shown(&link["together"]),
                        ],
                    );
                }
            }
        }
        "reciprocity" => lines.reciprocity(&document["pairs"]),
        "summary" => {
            // The summary's sections are one output: its own directions are
            // the margins of its formats, printed beside them.
            let directions = document["directions"].as_array().unwrap();
            let mut counts: Vec<Option<i64>> = directions.iter().map(|row| shown(&row["count"])).collect();
            counts.push(shown(&document["engagements"]));
            lines.push("summary directions".into(), counts);
            let mut seats: Vec<Option<i64>> = directions.iter().map(|row| shown(&row["seats"]["count"])).collect();
            seats.push(shown(&document["seats"]["count"]));
            lines.push("summary seats".into(), seats);
            let on_page = Margins {
                engagements: shown(&document["engagements"]),
                by_direction: directions
                    .iter()
                    .map(|row| {
                        let label = format!("{} -> {}", row["from"].as_str().unwrap(), row["to"].as_str().unwrap());
                        (label, shown(&row["count"]))
                    })
                    .collect(),
                seats: shown(&document["seats"]["count"]),
            };
            // Three formats: the top five are every row.
            lines.cross_table("summary formats", &document["top_formats"], true, &on_page);
            lines.cross_table("summary sponsors", &document["top_sponsors"], false, &on_page);
            lines.reciprocity(&document["reciprocity"]);
        }
        other => panic!("no lines known for {other}"),
    }
    lines
}

/// Every figure `at_min` shows is the figure `whole` shows; a withheld one
/// is `<N` only when it is below N, and `x` in place of a number.
fn assert_same_where_shown(at_min: &Value, whole: &Value, min_count: u64, path: &str) {
    match (at_min, whole) {
        (Value::Object(fields), Value::Object(whole_fields)) => {
            // `by_direction` holds the directions that occur; under a
            // minimum, a zero cell hidden beside withheld ones shows as `x`.
            let zero = Value::from(0);
            for (key, value) in fields {
                let whole_value = match whole_fields.get(key) {
                    Some(whole_value) => whole_value,
                    None if path.ends_with(".by_direction") => &zero,
                    None => panic!("{path}.{key}: not in the --min-count 1 output"),
                };
                assert_same_where_shown(value, whole_value, min_count, &format!("{path}.{key}"));
            }
        }
        (Value::Array(items), Value::Array(whole_items)) => {
            assert_eq!(items.len(), whole_items.len(), "{path}: as many items");
            for (at, (item, whole_item)) in items.iter().zip(whole_items).enumerate() {
                assert_same_where_shown(item, whole_item, min_count, &format!("{path}[{at}]"));
            }
        }
        (Value::String(text), Value::Number(number)) if text.starts_with('<') => {
            let number = number.as_u64().unwrap();
            assert_eq!(text, &format!("<{min_count}"), "{path}");
            assert!(
                number > 0 && number < min_count,
                "{path}: <{min_count} stands for {number}"
            );
        }
        (Value::String(text), Value::Number(_)) => assert_eq!(text, "x", "{path}"),
        // A balance is left out when either side is withheld, and under a
        // minimum no single visit is listed.
        (Value::Null, _)
            if path.ends_with(".balance") || path.ends_with("exchanges") || path.ends_with("unreturned") => {}
        (value, whole_value) => assert_eq!(value, whole_value, "{path}"),
    }
}

/// Runs every report on `text` at `min_count` and checks both properties.
fn check(text: &str, min_count: u64) {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("ledger.track2"), text).unwrap();
    let margins = Margins::of(
        &report(directory.path(), &["report", "directions"], min_count),
        &report(directory.path(), &["summary"], min_count),
    );
    for args in REPORTS {
        let kind = args.last().unwrap();
        let whole = report(directory.path(), args, 1);
        let at_min = report(directory.path(), args, min_count);
        assert_same_where_shown(&at_min, &whole, min_count, kind);
        for (name, line) in lines_of(kind, &at_min, &whole, &margins).lines {
            let missing = line.iter().filter(|figure| figure.is_none()).count();
            assert_ne!(
                missing, 1,
                "{kind} --min-count {min_count}: {name} has one figure withheld, the others' difference: {line:?}\n{text}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(24), ..ProptestConfig::default() })]

    #[test]
    fn min_count_cannot_be_undone_by_adding_or_subtracting(
        plans in proptest::collection::vec(planned(), 1..24),
        min_count in 2u64..=5,
    ) {
        check(&ledger(&plans), min_count);
    }
}

/// Issue 11's example: with 3 AM → AZ and 1 AZ → AM, one format, `report
/// formats --min-count 3` printed the total 4 beside 3 and `<3`.
#[test]
fn the_issue_example_gives_nothing_away() {
    let mut text = DECLARATIONS.to_owned();
    for (day, direction) in ["AM -> AZ", "AM -> AZ", "AM -> AZ", "AZ -> AM"].iter().enumerate() {
        text.push_str(&format!(
            "2025-03-{:02} {direction} Round {day}\n  format: dialogue\n\n",
            day + 1
        ));
    }
    check(&text, 3);
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("ledger.track2"), &text).unwrap();
    let formats = report(directory.path(), &["report", "formats"], 3);
    let row = &formats["rows"][0];
    assert_eq!(row["by_direction"]["AZ -> AM"], "<3");
    // The total, or AM → AZ, is hidden with it: 4 − 3 must not be printed.
    assert!(row["count"] == "x" || row["by_direction"]["AM -> AZ"] == "x", "{row}");
}

/// A count hidden as `x` is drawn as a `<N` one is: a hatched stub of one
/// size, never a bar of its true length.
#[test]
fn hidden_counts_are_drawn_as_stubs() {
    let output = crate::support::run(&[
        "report",
        "formats",
        "tests/fixtures/reports.track2",
        "--as-of",
        AS_OF,
        "--min-count",
        "2",
        "--output",
        "svg",
    ]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let document = roxmltree::Document::parse(&text).unwrap();
    let stub = |value: &str| -> Vec<(String, String)> {
        document
            .descendants()
            .filter(|node| node.attribute("data-value") == Some(value))
            .filter_map(|node| node.descendants().find(|child| child.has_tag_name("rect")))
            .map(|rect| {
                (
                    rect.attribute("fill").unwrap_or_default().to_owned(),
                    rect.attribute("width").unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let hidden = stub("x");
    let small = stub("<2");
    assert!(!hidden.is_empty() && !small.is_empty(), "{text}");
    for (fill, width) in &hidden {
        assert!(fill.starts_with("url(#"), "hatched: {fill}");
        assert_eq!(width, &small[0].1, "one size for every withheld count");
    }
}
