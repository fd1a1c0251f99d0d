//! Every report in every output, against `tests/fixtures/reports.track2`,
//! whose figures were worked out by hand (the comments show the working).
//! JSON goes through `serde_json` and CSV through the `csv` crate, so the
//! outputs are checked as data, not only as text; table and Markdown
//! layouts are pinned by snapshots.
//!
//! Visible and held, as of 2026-01-01: r1, r2, h1, w1, y1, c1, p1 (seven).
//! p0 is planned; s1 is private and e1 under embargo until 2026-06: withheld.

use std::process::Output;

use serde_json::{Value, json};

use crate::support::{self, AS_OF};

const LEDGER: &str = "tests/fixtures/reports.track2";

/// A run on the fixture, as of the tests' day.
fn track2(args: &[&str]) -> Output {
    let mut args = args.to_vec();
    args.extend([LEDGER, "--as-of", AS_OF]);
    support::run(&args)
}

fn stdout(args: &[&str]) -> String {
    let mut args = args.to_vec();
    args.extend([LEDGER, "--as-of", AS_OF]);
    support::stdout(&args)
}

/// The JSON document: its `query` object and the report.
fn json_document(args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["--output", "json"]);
    serde_json::from_str(&stdout(&args)).expect("one JSON document")
}

/// The report in the JSON document, without the `query` that every
/// document carries (tested on its own): the list of rows, for a report
/// that is one.
fn json(args: &[&str]) -> Value {
    let mut document = json_document(args);
    let Some(fields) = document.as_object_mut() else {
        return document;
    };
    fields.remove("query");
    match fields.get("rows") {
        Some(_) if fields.len() == 1 => fields.remove("rows").expect("just seen"),
        _ => document,
    }
}

/// The CSV output as records, header first, through the `csv` crate.
fn csv(args: &[&str]) -> Vec<Vec<String>> {
    let mut args = args.to_vec();
    args.extend(["--output", "csv"]);
    let text = stdout(&args);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|record| record.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect()
}

fn rows(records: &[&[&str]]) -> Vec<Vec<String>> {
    records
        .iter()
        .map(|record| record.iter().map(|cell| (*cell).to_owned()).collect())
        .collect()
}

// Directions, in report order: bilateral by count, then joint, then online.
// AM -> AZ: r2, c1, p1; people 2 + 2 + 2.   AZ -> AM: r1, y1; people 4 + 1.
// AM + AZ -> NL: h1 (written `AZ + AM`); 2.  AZ -> online: w1; 1.
#[test]
fn directions() {
    assert_eq!(
        json(&["report", "directions"]),
        json!([
            {"from": "AM", "from_parties": ["AM"], "to": "AZ", "kind": "bilateral", "count": 3, "seats": {"count": 6, "approximate": false, "unknown_parts": 0}},
            {"from": "AZ", "from_parties": ["AZ"], "to": "AM", "kind": "bilateral", "count": 2, "seats": {"count": 5, "approximate": false, "unknown_parts": 0}},
            {"from": "AM + AZ", "from_parties": ["AM", "AZ"], "to": "NL", "kind": "joint", "count": 1, "seats": {"count": 2, "approximate": false, "unknown_parts": 0}},
            {"from": "AZ", "from_parties": ["AZ"], "to": "online", "kind": "online", "count": 1, "seats": {"count": 1, "approximate": false, "unknown_parts": 0}},
        ])
    );
    assert_eq!(
        csv(&["report", "directions"]),
        rows(&[
            &[
                "from",
                "to",
                "kind",
                "count",
                "seats",
                "seats_approximate",
                "seats_unknown_parts"
            ],
            &["AM", "AZ", "bilateral", "3", "6", "false", "0"],
            &["AZ", "AM", "bilateral", "2", "5", "false", "0"],
            &["AM + AZ", "NL", "joint", "1", "2", "false", "0"],
            &["AZ", "online", "online", "1", "1", "false", "0"],
        ])
    );
    insta::assert_snapshot!("directions_table", stdout(&["report", "directions"]));
    insta::assert_snapshot!(
        "directions_markdown",
        stdout(&["report", "directions", "--output", "markdown"])
    );
}

// dialogue: r1 (AZ→AM), r2 and c1 (AM→AZ).  forum: h1 (joint), y1 (AZ→AM),
// p1 (AM→AZ).  seminar: w1 (online). Ties in count go by id.
#[test]
fn formats() {
    // Only the directions that occur: a regional ledger has thousands.
    assert_eq!(
        json(&["report", "formats"]),
        json!([
            {"id": "dialogue", "name": "Structured dialogue", "count": 3, "by_direction": {"AM -> AZ": 2, "AZ -> AM": 1}},
            {"id": "forum", "name": "Forum", "count": 3, "by_direction": {"AM -> AZ": 1, "AZ -> AM": 1, "AM + AZ -> NL": 1}},
            {"id": "seminar", "name": "Seminar", "count": 1, "by_direction": {"AZ -> online": 1}},
        ])
    );
    // Long and tidy: one row per format and direction that occurs.
    assert_eq!(
        csv(&["report", "formats"]),
        rows(&[
            &["format", "name", "direction", "count"],
            &["dialogue", "Structured dialogue", "AM -> AZ", "2"],
            &["dialogue", "Structured dialogue", "AZ -> AM", "1"],
            &["forum", "Forum", "AM -> AZ", "1"],
            &["forum", "Forum", "AZ -> AM", "1"],
            &["forum", "Forum", "AM + AZ -> NL", "1"],
            &["seminar", "Seminar", "AZ -> online", "1"],
        ])
    );
    insta::assert_snapshot!("formats_table", stdout(&["report", "formats"]));
    insta::assert_snapshot!(
        "formats_markdown",
        stdout(&["report", "formats", "--output", "markdown"])
    );
}

// Tracks: r1 and r2 are 1.5; the other five default to 2.
// Sponsors: gov-am and gov-az on r1, r2; eu on h1, c1; none on w1, y1, p1.
// Series: pb on r1, r2; none on the other five.
// Tags: visit on r1, r2; multilateral on h1; none on four.
#[test]
fn tracks_sponsors_series_and_tags() {
    let totals = |report: &str| -> Vec<(Value, Value)> {
        json(&["report", report])
            .as_array()
            .unwrap()
            .iter()
            .map(|row| (row["id"].clone(), row["count"].clone()))
            .collect()
    };
    assert_eq!(totals("tracks"), [(json!("1.5"), json!(2)), (json!("2"), json!(5))]);
    assert_eq!(
        totals("sponsors"),
        [
            (Value::Null, json!(3)),
            (json!("eu"), json!(2)),
            (json!("gov-am"), json!(2)),
            (json!("gov-az"), json!(2))
        ]
    );
    assert_eq!(totals("series"), [(Value::Null, json!(5)), (json!("pb"), json!(2))]);
    assert_eq!(
        totals("tags"),
        [
            (Value::Null, json!(4)),
            (json!("visit"), json!(2)),
            (json!("multilateral"), json!(1))
        ]
    );
    // w1 is AZ -> online; y1 AZ -> AM and p1 AM -> AZ: none has a sponsor.
    let sponsors = csv(&["report", "sponsors"]);
    assert_eq!(sponsors[0], ["sponsor", "name", "direction", "count"]);
    assert_eq!(
        sponsors[1..4],
        rows(&[
            &["", "(no sponsor)", "AM -> AZ", "1"],
            &["", "(no sponsor)", "AZ -> AM", "1"],
            &["", "(no sponsor)", "AZ -> online", "1"],
        ])
    );
    assert_eq!(sponsors[4][..2], ["eu", "European Union"]);
    for kind in ["tracks", "sponsors", "series", "tags"] {
        insta::assert_snapshot!(format!("{kind}_table"), stdout(&["report", kind]));
        insta::assert_snapshot!(
            format!("{kind}_markdown"),
            stdout(&["report", kind, "--output", "markdown"])
        );
    }
}

// By month from January (r1) to October (p1), gaps included; y1, dated by
// its year only, has a row of its own after the months of 2025.
#[test]
fn timeline() {
    let months: Vec<(String, u64)> = json(&["report", "timeline"])
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["period"].as_str().unwrap().to_owned(),
                row["count"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("2025-01", 1),
        ("2025-02", 1),
        ("2025-03", 1),
        ("2025-04", 0),
        ("2025-05", 1),
        ("2025-06", 0),
        ("2025-07", 1),
        ("2025-08", 0),
        ("2025-09", 0),
        ("2025-10", 1),
        ("2025 (month unknown)", 1),
    ];
    assert_eq!(months, expected.map(|(period, count)| (period.to_owned(), count)));
    // Long and tidy: a row per quarter and direction that occurs.
    let quarters = csv(&["report", "timeline", "--by", "quarter"]);
    assert_eq!(quarters[0], ["period", "start", "end", "direction", "count"]);
    let mut quarter_totals: Vec<(String, u64)> = Vec::new();
    for row in &quarters[1..] {
        let count: u64 = row[4].parse().unwrap();
        match quarter_totals.last_mut() {
            Some((period, total)) if *period == row[0] => *total += count,
            _ => quarter_totals.push((row[0].clone(), count)),
        }
    }
    assert_eq!(
        quarter_totals,
        [
            ("2025-Q1", 3),
            ("2025-Q2", 1),
            ("2025-Q3", 1),
            ("2025-Q4", 1),
            ("2025 (quarter unknown)", 1)
        ]
        .map(|(period, total)| (period.to_owned(), total))
    );
    // An empty period keeps a row, with no direction.
    let months = csv(&["report", "timeline"]);
    assert!(months.contains(&rows(&[&["2025-04", "2025-04-01", "2025-04-30", "", "0"]])[0]));
    let years = json(&["report", "timeline", "--by", "year"]);
    assert_eq!(years[0]["period"], "2025");
    assert_eq!(years[0]["count"], 7);
    assert_eq!(
        (years[0]["start"].as_str(), years[0]["end"].as_str()),
        (Some("2025-01-01"), Some("2025-12-31"))
    );
    // A filter's range widens the timeline, so empty months at the ends show.
    let widened = json(&["report", "timeline", "--since", "2024-11-15", "--until", "2025-02-01"]);
    let periods: Vec<&str> = widened
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["period"].as_str().unwrap())
        .collect();
    assert_eq!(
        periods,
        ["2024-11", "2024-12", "2025-01", "2025-02", "2025 (month unknown)"]
    );
    insta::assert_snapshot!("timeline_table", stdout(&["report", "timeline"]));
    insta::assert_snapshot!(
        "timeline_markdown",
        stdout(&["report", "timeline", "--by", "quarter", "--output", "markdown"])
    );
}

// Named: a1 met at r1, took part in r2, h1, p1. z1 took part in r1 and y1
// (dated 2025, so it starts first), was met at r2. z2 in r1 and h1.
// a2 in r2, z3 in w1. Not named: a1 and a2 at c1 (Chatham House), a3 at p1
// (private): `participant (AM)`, two engagements, three appearances; z2 met
// at c1: `participant (AZ)`. Counted, not named: `+2 AZ` at r1.
#[test]
fn participants() {
    let document = json(&["report", "participants"]);
    let report = &document["rows"];
    let summary: Vec<(Value, &str, u64, u64, u64, &str, &str)> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["person"].clone(),
                row["name"].as_str().unwrap(),
                row["engagements"].as_u64().unwrap(),
                row["as_participant"].as_u64().unwrap(),
                row["as_met"].as_u64().unwrap(),
                row["first"].as_str().unwrap(),
                row["last"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (json!("a1"), "Anna A", 4, 3, 1, "2025-01-10", "2025-10-10"),
            (json!("z1"), "Zaur D", 3, 2, 1, "2025", "2025-02-14..2025-02-15"),
            (json!("z2"), "Zeynab E", 2, 2, 0, "2025-01-10", "2025-03"),
            (Value::Null, "participant (AM)", 2, 3, 0, "2025-07-07", "2025-10-10"),
            (
                json!("a2"),
                "Aram B",
                1,
                1,
                0,
                "2025-02-14..2025-02-15",
                "2025-02-14..2025-02-15"
            ),
            (json!("z3"), "Zohra F", 1, 1, 0, "2025-05-20", "2025-05-20"),
            (Value::Null, "participant (AZ)", 1, 0, 1, "2025-07-07", "2025-07-07"),
        ]
    );
    assert_eq!(report[1]["org"], "Caspian Think Tank");
    // The seats no name fills, per party: the `+N PARTY` counts.
    assert_eq!(
        document["unnamed"],
        json!([{"party": "AZ", "engagements": 1, "seats": {"count": 2, "approximate": false, "unknown_parts": 0}}])
    );
    let records = csv(&["report", "participants"]);
    assert_eq!(
        records[0],
        [
            "person",
            "name",
            "party",
            "org",
            "engagements",
            "participant",
            "met",
            "first",
            "last"
        ]
    );
    assert_eq!(records[4][..5], ["", "participant (AM)", "AM", "", "2"]);
    assert_eq!(records[8][..6], ["", "counted, not named (AZ)", "AZ", "", "1", "2"]);
    insta::assert_snapshot!("participants_table", stdout(&["report", "participants"]));
    insta::assert_snapshot!(
        "participants_markdown",
        stdout(&["report", "participants", "--output", "markdown"])
    );
}

// AM and AZ: AM -> AZ r2, c1, p1; AZ -> AM r1, y1: balance +1.
// r2 returns r1 by its link, 35 days on. Nothing else pairs: only visits of
// one series are taken as returns of each other, and r2, the last round of
// the Peace Bridge here, is itself not yet returned; nor are y1 (dated from
// 2025-01-01), c1 and p1, which belong to no series.
#[test]
fn reciprocity() {
    let report = json(&["report", "reciprocity"]);
    assert_eq!(
        report["pairs"],
        json!([{"a": "AM", "b": "AZ", "a_to_b": 3, "b_to_a": 2, "balance": 1}])
    );
    let exchanges: Vec<(&str, &str, i64, bool, bool)> = report["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|exchange| {
            (
                exchange["visit"]["id"].as_str().unwrap(),
                exchange["returned_by"]["id"].as_str().unwrap(),
                exchange["lag_days"].as_i64().unwrap(),
                exchange["approximate"].as_bool().unwrap(),
                exchange["explicit"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(exchanges, [("r1", "r2", 35, false, true)]);
    let unreturned: Vec<&str> = report["unreturned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|visit| visit["id"].as_str().unwrap())
        .collect();
    assert_eq!(unreturned, ["y1", "r2", "c1", "p1"]);
    let records = csv(&["report", "reciprocity"]);
    assert_eq!(records.len(), 6, "a header, one exchange and four visits not returned");
    assert_eq!(
        records[1][3..9],
        ["r1", "Round 1", "2025-02-14..2025-02-15", "r2", "Round 2", "35"]
    );
    assert_eq!(records[5][3], "p1");
    assert_eq!(records[5][5], "");
    insta::assert_snapshot!("reciprocity_table", stdout(&["report", "reciprocity"]));
    insta::assert_snapshot!(
        "reciprocity_markdown",
        stdout(&["report", "reciprocity", "--output", "markdown"])
    );
}

// Seven engagements from 2025 (y1, dated by its year alone) to 2025 (y1
// again, whose year ends last), five people named on the visiting sides
// (a1, a2, z1, z2, z3; a3 is private: a seat, not a name), 14 seats (4 + 2 + 2 + 1 + 1 + 2 + 2),
// two withheld.
#[test]
fn summary() {
    let report = json(&["summary"]);
    assert_eq!(report["engagements"], 7);
    assert_eq!(report["people"], 5);
    assert_eq!(
        report["seats"],
        json!({"count": 14, "approximate": false, "unknown_parts": 0})
    );
    assert_eq!(report["withheld"], 2);
    // The span as written: y1 says only 2025, so no day is made up.
    assert_eq!(
        (report["first"].as_str(), report["last"].as_str()),
        (Some("2025"), Some("2025"))
    );
    assert_eq!(report["directions"][0]["count"], 3);
    assert_eq!(report["top_formats"][0]["id"], "dialogue");
    assert_eq!(report["reciprocity"][0]["balance"], 1);
    assert_eq!(json(&["report", "summary"]), report);
    let records = csv(&["summary"]);
    assert!(records.contains(&vec!["overview".into(), "withheld".into(), "2".into()]));
    assert!(records.contains(&vec!["direction".into(), "AM -> AZ".into(), "3".into()]));
    insta::assert_snapshot!("summary_table", stdout(&["summary"]));
    insta::assert_snapshot!("summary_markdown", stdout(&["summary", "--output", "markdown"]));
}

/// How many engagements a filtered directions report counts in all.
fn total(filters: &[&str]) -> u64 {
    let mut args = vec!["report", "directions"];
    args.extend(filters);
    json(&args)
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["count"].as_u64().unwrap())
        .sum()
}

#[test]
fn filters() {
    assert_eq!(total(&[]), 7);
    // h1 (March), w1 (May 20) and y1 (all of 2025) overlap March to June.
    assert_eq!(total(&["--since", "2025-03-01", "--until", "2025-06-30"]), 3);
    // A month or a year stands for its first day in --since, its last in --until.
    assert_eq!(total(&["--since", "2025-03", "--until", "2025-06"]), 3);
    assert_eq!(total(&["--since", "2025-05", "--until", "2025-05"]), 2, "w1, and y1");
    assert_eq!(total(&["--until", "2025-02"]), 3, "r1, r2, and y1");
    assert_eq!(total(&["--since", "2026"]), 0, "p0 is planned, not held");
    assert_eq!(
        total(&["--since", "2025-10-10"]),
        2,
        "p1, and y1 which runs to the end of 2025"
    );
    assert_eq!(total(&["--from", "AM"]), 4, "r2, h1 (joint), c1, p1");
    assert_eq!(total(&["--to", "online"]), 1);
    assert_eq!(total(&["--to", "AM"]), 2);
    assert_eq!(total(&["--format", "forum"]), 3);
    assert_eq!(total(&["--track", "1.5"]), 2);
    assert_eq!(total(&["--sponsor", "eu"]), 2);
    assert_eq!(total(&["--series", "pb"]), 2);
    assert_eq!(total(&["--tag", "visit"]), 2);
    assert_eq!(total(&["--tag", "no-such-tag"]), 0);
    assert_eq!(total(&["--status", "planned"]), 1);
    assert_eq!(total(&["--status", "all"]), 8);
    assert_eq!(total(&["--status", "held", "--status", "planned"]), 8);
    assert_eq!(total(&["--from", "AZ", "--to", "AM", "--format", "dialogue"]), 1);
    // Every report takes the filters.
    let formats = json(&["report", "formats", "--from", "AZ", "--to", "AM"]);
    assert_eq!(formats.as_array().unwrap().len(), 2);
    let timeline = json(&["report", "timeline", "--by", "year", "--sponsor", "eu"]);
    assert_eq!(timeline[0]["count"], 2);
    let participants = json(&["report", "participants", "--series", "pb"]);
    assert_eq!(participants["rows"][0]["person"], "a1");
    let reciprocity = json(&["report", "reciprocity", "--until", "2025-03-01"]);
    assert_eq!(reciprocity["pairs"][0]["a_to_b"], 1);
}

#[test]
fn unknown_names_in_filters_are_usage_errors() {
    let output = track2(&["report", "directions", "--from", "AX"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("did you mean `AM`?"), "{stderr}");
    assert_eq!(track2(&["report", "directions", "--track", "3"]).status.code(), Some(2));
    for date in ["2025-02-30", "2025-13", "25-01", "2025-01-01..2025-01-02"] {
        let output = track2(&["report", "directions", "--since", date]);
        assert_eq!(output.status.code(), Some(2), "--since {date}");
        assert!(String::from_utf8_lossy(&output.stderr).contains(date), "--since {date}");
    }
    assert_eq!(
        track2(&["report", "directions", "--status", "done"]).status.code(),
        Some(2)
    );
}

#[test]
fn an_invalid_ledger_gives_diagnostics_not_a_table() {
    let output = support::run(&["summary", "tests/fixtures/broken.track2", "--as-of", AS_OF]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("undeclared-format"));
    assert!(stderr.ends_with("error: the ledger has 8 errors; fix them (see `track2 check`) before reporting\n"));
}

#[test]
fn min_count_suppresses_small_cells() {
    assert_eq!(
        json(&["report", "directions", "--min-count", "3"]),
        json!([
            {"from": "AM", "from_parties": ["AM"], "to": "AZ", "kind": "bilateral", "count": 3, "seats": {"count": 6, "approximate": false, "unknown_parts": 0}},
            {"from": "AZ", "from_parties": ["AZ"], "to": "AM", "kind": "bilateral", "count": "<3", "seats": {"count": 5, "approximate": false, "unknown_parts": 0}},
            {"from": "AM + AZ", "from_parties": ["AM", "AZ"], "to": "NL", "kind": "joint", "count": "<3", "seats": {"count": "<3", "approximate": false, "unknown_parts": 0}},
            {"from": "AZ", "from_parties": ["AZ"], "to": "online", "kind": "online", "count": "<3", "seats": {"count": "<3", "approximate": false, "unknown_parts": 0}},
        ])
    );
    let reciprocity = json(&["report", "reciprocity", "--min-count", "3"]);
    assert_eq!(reciprocity["pairs"][0]["b_to_a"], "<3");
    assert_eq!(
        reciprocity["pairs"][0]["balance"],
        Value::Null,
        "the balance would give the suppressed count away"
    );
    assert!(stdout(&["report", "directions", "--min-count", "3"]).contains("<3"));
}

#[test]
fn export_round_trips_through_csv_and_json() {
    let records = csv(&["export"]);
    let header = &records[0];
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    // All statuses by default: the seven held engagements and the planned p0.
    assert_eq!(records.len(), 1 + 8);
    let ids: Vec<&str> = records[1..].iter().map(|row| row[column("id")].as_str()).collect();
    // By first day (`2025` is 2025-01-01), then in ledger order.
    assert_eq!(ids, ["y1", "r1", "r2", "h1", "w1", "c1", "p1", "p0"]);
    let row = |id: &str| {
        records[1..]
            .iter()
            .find(|row| row[column("id")] == id)
            .unwrap_or_else(|| panic!("no row {id}"))
    };
    let r1 = row("r1");
    assert_eq!(r1[column("participants")], "z1;z2;+2 AZ");
    assert_eq!(r1[column("sponsors")], "gov-am;gov-az");
    assert_eq!(r1[column("track")], "1.5");
    let h1 = row("h1");
    assert_eq!(
        (h1[column("from")].as_str(), h1[column("to")].as_str()),
        ("AZ;AM", "NL")
    );
    assert_eq!(
        (h1[column("precision")].as_str(), h1[column("start")].as_str()),
        ("month", "2025-03-01")
    );
    let c1 = row("c1");
    // A cell that begins with `+` would be a formula in a spreadsheet, so
    // it gets a `'` in front (see the README's CSV section).
    assert_eq!(
        (
            c1[column("participants")].as_str(),
            c1[column("withheld_participants")].as_str()
        ),
        ("", "'+2 AM")
    );

    let document = json(&["export"]);
    let engagements = document["engagements"].as_array().unwrap();
    let json_ids: Vec<&str> = engagements.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(json_ids, ids, "JSON and CSV list engagements in the same order");
    assert_eq!(engagements[2]["reciprocates"], "r1");
    assert_eq!(engagements[1]["participants"][2], json!({"party": "AZ", "count": 2}));
    let held = json(&["export", "--status", "held"]);
    assert_eq!(held["engagements"].as_array().unwrap().len(), 7);
}

#[test]
fn export_joins_free_text_lists_with_line_breaks() {
    let records = {
        let output = support::run(&["export", "ledgers", "--output", "csv", "--as-of", AS_OF]);
        let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
        let header = reader.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        (header, rows)
    };
    let (header, rows) = records;
    let notes = header.iter().position(|h| h == "notes").unwrap();
    let budget = header.iter().position(|h| h == "x-budget").unwrap();
    let pb2 = rows.iter().find(|row| &row[0] == "pb-2").unwrap();
    let pb2_notes: Vec<&str> = pb2[notes].split('\n').collect();
    assert_eq!(pb2_notes.len(), 4);
    assert!(
        pb2_notes[1].contains("FlyOne; the Armenian government"),
        "a `;` inside a note stays inside it"
    );
    assert_eq!(&pb2[budget], "AMD 17.5 million");
}

/// The README's worked example (issue 12's five events) is the ledger in
/// `examples/`, valid without a warning; `cli::readme_examples_are_real_output`
/// runs its commands. What a researcher pastes: a caption that names the
/// exclusion, every held engagement but the Track 1 summit, the Chatham
/// House meeting without names, approximate and unknown seats marked.
#[test]
fn the_readme_worked_example_is_the_example_ledger() {
    let readme = std::fs::read_to_string(support::root().join("README.md")).unwrap();
    let section = readme
        .split("### A worked example")
        .nth(1)
        .expect("the README has a worked example");
    let ledger = section
        .split("```track2\n")
        .nth(1)
        .and_then(|block| block.split("```").next())
        .expect("the worked example shows its ledger");
    let file = std::fs::read_to_string(support::root().join("examples/briefing.track2")).unwrap();
    assert_eq!(
        ledger, file,
        "README's worked example differs from examples/briefing.track2"
    );

    let check = support::run(&["check", "examples/briefing.track2", "--as-of", AS_OF]);
    assert_eq!(check.status.code(), Some(0));
    assert!(
        support::text(&check.stderr).contains("no problems"),
        "{}",
        support::text(&check.stderr)
    );

    let table = support::stdout(&[
        "report",
        "engagements",
        "examples/briefing.track2",
        "--exclude-track",
        "1",
        "--output",
        "markdown",
        "--as-of",
        AS_OF,
    ]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        "Held engagements, not track 1 — examples/briefing.track2, as of 2026-01-01"
    );
    let rows: Vec<&str> = lines.iter().copied().filter(|line| line.starts_with("| 20")).collect();
    assert_eq!(rows.len(), 4, "{table}");
    assert!(!table.contains("summit"), "{table}");
    assert!(rows[0].starts_with("| 2025-03 | AM + AZ → DE |"), "{}", rows[0]);
    assert!(rows[0].contains("| +≈6 AM, +≈6 AZ | ≈12 |"), "{}", rows[0]);
    assert!(rows[3].contains("| +? AZ, +? AM | ? |"), "{}", rows[3]);
    // Private placeholder names never reach the table.
    assert!(!table.contains("expert 1"), "{table}");

    let summary: Value = serde_json::from_str(&support::stdout(&[
        "summary",
        "examples/briefing.track2",
        "--exclude-track",
        "1",
        "--output",
        "json",
        "--as-of",
        AS_OF,
    ]))
    .unwrap();
    assert_eq!(summary["engagements"], 4);
    assert_eq!(
        summary["people"], 0,
        "private and Chatham House people are seats, not names"
    );
    assert_eq!(
        summary["seats"],
        json!({"count": 22, "approximate": true, "unknown_parts": 2})
    );
    assert_eq!(
        (summary["first"].as_str(), summary["last"].as_str()),
        (Some("2025-03"), Some("2025-12"))
    );
}

// Tracks: r1, r2 are 1.5, the other five 2. Formats: dialogue r1, r2, c1;
// forum h1, y1, p1; seminar w1. Hosts: AZ for r2, c1, p1; AM for r1, y1; NL
// for h1; online for w1.
#[test]
fn filters_repeat_and_have_an_exclusion_form() {
    assert_eq!(total(&["--track", "1.5", "--track", "2"]), 7);
    assert_eq!(total(&["--exclude-track", "1.5"]), 5);
    // Track 2 but no forum: c1 and w1.
    assert_eq!(total(&["--track", "2", "--exclude-format", "forum"]), 2);
    assert_eq!(total(&["--to", "AM", "--to", "NL"]), 3);
    assert_eq!(total(&["--exclude-to", "online", "--exclude-to", "AZ"]), 3);
    assert_eq!(total(&["--exclude-sponsor", "eu"]), 5);
    assert_eq!(total(&["--tag", "visit", "--tag", "multilateral"]), 3);
    assert_eq!(total(&["--exclude-series", "pb"]), 5);
    // p0 is the one planned engagement.
    assert_eq!(total(&["--status", "all", "--exclude-status", "held"]), 1);
    let output = track2(&["report", "directions", "--exclude-format", "forums"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = support::text(&output.stderr);
    assert!(
        stderr.contains("--exclude-format: the ledger declares no `forums`; did you mean `forum`?"),
        "{stderr}"
    );
    // The filters share one heading in --help.
    let help = support::stdout(&["report", "directions", "--help"]);
    let heading = help.find("Filters (each repeats").expect("a heading for the filters");
    assert!(help[heading..].contains("--exclude-track <N>"), "{help}");
}

// a1: met at r1, took part in r2, h1, p1, and in c1 under the Chatham House
// Rule, where no output may say so. a3 is private.
#[test]
fn person_finds_where_someone_took_part_or_was_met() {
    assert_eq!(total(&["--person", "a1"]), 4);
    assert_eq!(total(&["--person", "a1", "--person", "z3"]), 5);
    assert_eq!(total(&["--exclude-person", "a1"]), 3);
    let titles: Vec<String> = json(&["report", "engagements", "--person", "a1"])
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(titles, ["r1", "r2", "h1", "p1"]);
    // A private person is unknown, and never offered as "did you mean".
    let output = track2(&["report", "directions", "--person", "a3x"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = support::text(&output.stderr);
    assert!(stderr.contains("the ledger declares no `a3x`"), "{stderr}");
    assert!(!stderr.contains("`a3`"), "{stderr}");
    let output = track2(&["report", "directions", "--person", "a3"]);
    assert_eq!(output.status.code(), Some(2));
    // Internally, with the private records shown, they are found.
    assert_eq!(
        json_document(&["report", "engagements", "--person", "a3", "--include-private"])["rows"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Export takes the filter too.
    let export: Value = serde_json::from_str(&support::stdout(&[
        "export", LEDGER, "--as-of", AS_OF, "--person", "z3",
    ]))
    .unwrap();
    assert_eq!(export["engagements"].as_array().unwrap().len(), 1);
}

#[test]
fn outputs_say_what_they_count() {
    let args = [
        "report",
        "directions",
        "--track",
        "1.5",
        "--exclude-format",
        "forum",
        "--since",
        "2025-01",
        "--until",
        "2025-03",
    ];
    let caption = "Held engagements, 2025-01 – 2025-03, not format Forum, track 1.5 — tests/fixtures/reports.track2, as of 2026-01-01";
    assert_eq!(stdout(&args).lines().next(), Some(caption));
    let mut markdown = args.to_vec();
    markdown.extend(["--output", "markdown"]);
    assert_eq!(stdout(&markdown).lines().next(), Some(caption));
    let query = &json_document(&args)["query"];
    assert_eq!(query["caption"], caption);
    assert_eq!(query["since"], "2025-01");
    assert_eq!(query["until"], "2025-03");
    assert_eq!(query["track"], json!({"any_of": ["1.5"], "none_of": []}));
    assert_eq!(query["format"], json!({"any_of": [], "none_of": ["forum"]}));
    assert_eq!(query["status"], json!({"any_of": ["held"], "none_of": []}));
    assert_eq!(
        (query["min_count"].as_u64(), query["include_private"].as_bool()),
        (Some(1), Some(false))
    );
}

#[test]
fn nothing_to_show_is_said_in_words() {
    for report in [
        "directions",
        "formats",
        "timeline",
        "participants",
        "reciprocity",
        "engagements",
    ] {
        let text = stdout(&["report", report, "--since", "2030"]);
        assert_eq!(
            text,
            "Held engagements, since 2030 — tests/fixtures/reports.track2, as of 2026-01-01\n\nNo engagements match.\n",
            "{report}"
        );
    }
    // The summary still has something to say: what is withheld.
    let markdown = stdout(&["summary", "--since", "2030", "--output", "markdown"]);
    assert!(markdown.contains("| span | no engagements |\n"), "{markdown}");
    assert_eq!(json(&["report", "directions", "--since", "2030"]), json!([]));
    // Peace Bridge went once each way: a balance of `0`, not `+0`.
    let reciprocity = stdout(&["report", "reciprocity", "--series", "pb"]);
    assert!(
        reciprocity.contains("AM ↔ AZ      1      1        0\n"),
        "{reciprocity}"
    );
}

// In date order (the first day a date could mean; y1, dated 2025, first),
// names in the table, ids beside them in CSV and JSON; at c1 (Chatham House)
// nobody is named, at p1 the private a3 is counted with AM.
#[test]
fn engagements_list_one_row_each_for_a_briefing() {
    let rows = json(&["report", "engagements"]);
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["y1", "r1", "r2", "h1", "w1", "c1", "p1"]);
    let r1 = &rows[1];
    assert_eq!(r1["date"], "2025-01-10");
    assert_eq!(r1["direction"], "AZ -> AM");
    assert_eq!(r1["format_name"], "Structured dialogue");
    assert_eq!(
        r1["sponsors"][0],
        json!({"id": "gov-am", "name": "Government of Armenia"})
    );
    assert_eq!(
        r1["participants"],
        json!([{"id": "z1", "name": "Zaur D"}, {"id": "z2", "name": "Zeynab E"}])
    );
    assert_eq!(
        r1["counted"],
        json!([{"party": "AZ", "count": 2, "approximate": false}])
    );
    assert_eq!(r1["seats"]["count"], 4);
    assert_eq!(rows[5]["participants"], json!([]));
    assert_eq!(
        rows[5]["counted"],
        json!([{"party": "AM", "count": 2, "approximate": false}])
    );
    assert_eq!(rows[6]["participants"], json!([{"id": "a1", "name": "Anna A"}]));
    let records = csv(&["report", "engagements"]);
    assert_eq!(records[0][..4], ["id", "date", "direction", "title"]);
    assert_eq!(records[2][0], "r1");
    assert_eq!(records[2][12], "Zaur D, Zeynab E, +2 AZ");
    let table = stdout(&["report", "engagements"]);
    assert!(table.contains("Closed meeting"), "{table}");
    assert!(!table.contains("Arsen"), "{table}");
    // A list shows each engagement: nothing for --min-count to withhold.
    assert_eq!(
        track2(&["report", "engagements", "--min-count", "3"]).status.code(),
        Some(2)
    );
}

#[test]
fn wide_tables_fit_the_terminal() {
    let narrow = |width: &str, args: &[&str]| {
        let mut all = args.to_vec();
        all.extend([LEDGER, "--as-of", AS_OF]);
        let output = support::track2(&all).env("COLUMNS", width).output().unwrap();
        assert!(output.status.success());
        support::text(&output.stdout)
    };
    let formats = narrow("60", &["report", "formats"]);
    assert!(
        formats.lines().skip(1).all(|line| line.chars().count() <= 60),
        "{formats}"
    );
    // Too wide to shorten: one row per format and direction.
    assert!(formats.contains("direction"), "{formats}");
    assert!(formats.contains("AM + AZ → NL"), "{formats}");
    // The list, too wide for its columns, becomes a block per engagement.
    let list = narrow("100", &["report", "engagements"]);
    assert!(list.lines().skip(1).all(|line| line.chars().count() <= 100), "{list}");
    assert!(list.contains("\nparticipants  Zaur D, Zeynab E, +2 AZ\n"), "{list}");
    // Markdown and CSV stay complete, whatever the width.
    assert_eq!(
        narrow("60", &["report", "formats", "--output", "markdown"]),
        stdout(&["report", "formats", "--output", "markdown"])
    );
}
