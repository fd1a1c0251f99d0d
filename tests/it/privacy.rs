//! Confidential records never reach a public output unless asked for.
//!
//! Golden tests run the binary on `tests/fixtures/reports.track2`, where
//! s1 is `confidential: private`, e1 is under embargo until 2026-06, c1 is
//! Chatham House and a3 (Arsen C, of the Quiet Foundation) is a private
//! person. The property test takes ledgers of the one generator (small
//! shape) with private persons, Chatham House, private and embargoed
//! engagements, renders every report in every output, the export and the
//! check output, and searches them for every text the generator knows must
//! stay private.

use std::collections::BTreeSet;

use std::process::Output;

use proptest::prelude::*;
use serde_json::Value;
use track2::export::{self, ExportDocument};
use track2::filter::FilterSpec;
use track2::model::Status;
use track2::privacy::{self, Disclosure, View};
use track2::render::{github, gitlab, json, sarif};
use track2::report::{self, Kind, ReportOptions};
use track2::{AnalysisOptions, Keep, loader};

use crate::support::generator::{Config, Generated, Layout, Shape, generate_from_tape};
use crate::support::{self, AS_OF};

const LEDGER: &str = "tests/fixtures/reports.track2";

/// A run as of the tests' day.
fn run(args: &[&str]) -> Output {
    let mut args = args.to_vec();
    args.extend(["--as-of", AS_OF]);
    support::run(&args)
}

fn stdout(args: &[&str]) -> String {
    let mut args = args.to_vec();
    args.extend(["--as-of", AS_OF]);
    support::stdout(&args)
}

fn json_of(args: &[&str]) -> Value {
    serde_json::from_str(&stdout(args)).unwrap()
}

/// What the fixture must never show without `--include-private`; the chart
/// tests search their pages for the same strings.
pub(crate) const FIXTURE_SECRETS: &[&str] = &[
    "Arsen C",
    "A. C.",
    "Adviser",
    "Quiet Foundation",
    "Secret meeting",
    "Stepanakert",
    "Secret venue",
    "Nobody may know",
    "Embargoed visit",
    "Ganja",
    "Nameless Observer",
];

#[test]
fn no_public_output_of_the_fixture_holds_a_secret() {
    let mut outputs = Vec::new();
    for kind in [
        "directions",
        "formats",
        "tracks",
        "sponsors",
        "series",
        "tags",
        "timeline",
        "participants",
        "reciprocity",
        "summary",
    ] {
        for output in ["table", "markdown", "csv", "json"] {
            for status in ["held", "all"] {
                outputs.push(stdout(&[
                    "report", kind, LEDGER, "--output", output, "--status", status,
                ]));
            }
        }
    }
    outputs.push(stdout(&["summary", LEDGER]));
    for output in ["json", "csv"] {
        outputs.push(stdout(&["export", LEDGER, "--output", output]));
    }
    for output in &outputs {
        for secret in FIXTURE_SECRETS {
            assert!(!output.contains(secret), "`{secret}` leaked into:\n{output}");
        }
    }
    // The same commands reveal them when asked, so the search above can fail.
    let revealed = stdout(&["export", LEDGER, "--include-private"]);
    for secret in FIXTURE_SECRETS {
        assert!(revealed.contains(secret), "`{secret}` missing from the revealed export");
    }
}

/// Engagements per direction, as `(from -> to, count)`.
fn directions(extra: &[&str]) -> Vec<(String, u64)> {
    let mut args = vec!["report", "directions", LEDGER, "--output", "json"];
    args.extend(extra);
    let mut rows: Vec<(String, u64)> = json_of(&args)["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let direction = format!("{} -> {}", row["from"].as_str().unwrap(), row["to"].as_str().unwrap());
            (direction, row["count"].as_u64().unwrap())
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn revealing_adds_exactly_the_withheld_engagements() {
    // s1 is AZ -> AM and e1 is AM -> AZ; nothing else changes.
    assert_eq!(
        directions(&[]),
        [
            ("AM + AZ -> NL".into(), 1),
            ("AM -> AZ".into(), 3),
            ("AZ -> AM".into(), 2),
            ("AZ -> online".into(), 1)
        ]
    );
    assert_eq!(
        directions(&["--include-private"]),
        [
            ("AM + AZ -> NL".into(), 1),
            ("AM -> AZ".into(), 4),
            ("AZ -> AM".into(), 3),
            ("AZ -> online".into(), 1)
        ]
    );
    let public = json_of(&["summary", LEDGER, "--output", "json"]);
    let revealed = json_of(&["summary", LEDGER, "--output", "json", "--include-private"]);
    assert_eq!(
        (public["engagements"].as_u64(), public["withheld"].as_u64()),
        (Some(7), Some(2))
    );
    assert_eq!(
        (revealed["engagements"].as_u64(), revealed["withheld"].as_u64()),
        (Some(9), Some(0))
    );
    // s1 has two participants and e1 one.
    assert_eq!(
        revealed["seats"]["count"].as_u64().unwrap() - public["seats"]["count"].as_u64().unwrap(),
        3
    );
    // Filters do not change the withheld count: it must not narrow onto one.
    let filtered = json_of(&[
        "summary",
        LEDGER,
        "--output",
        "json",
        "--since",
        "2025-08-08",
        "--until",
        "2025-08-08",
    ]);
    assert_eq!(filtered["withheld"], 2);
    // An embargo lifts once its last day has passed.
    let after_embargo: Value =
        serde_json::from_slice(&support::run(&["summary", LEDGER, "--output", "json", "--as-of", "2026-07-01"]).stdout)
            .unwrap();
    assert_eq!(
        after_embargo["withheld"], 1,
        "e1's embargo (2026-06) is over; s1 stays private"
    );
}

#[test]
fn chatham_house_and_private_people_are_counted_not_named() {
    let export = json_of(&["export", LEDGER]);
    let engagement = |id: &str| {
        export["engagements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()
            .clone()
    };
    let c1 = engagement("c1");
    assert_eq!(c1["participants"], serde_json::json!([]));
    assert_eq!(
        c1["withheld_participants"],
        serde_json::json!([{"party": "AM", "count": 2}])
    );
    assert_eq!(c1["withheld_met"], serde_json::json!([{"party": "AZ", "count": 1}]));
    assert_eq!(c1["title"], "Closed meeting", "the engagement itself is shown");
    let p1 = engagement("p1");
    assert_eq!(p1["participants"], serde_json::json!([{"person": "a1"}]));
    assert_eq!(
        p1["withheld_participants"],
        serde_json::json!([{"party": "AM", "count": 1}])
    );
    let persons: BTreeSet<&str> = export["persons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(persons, BTreeSet::from(["a1", "a2", "z1", "z2", "z3"]));
    let orgs: Vec<&str> = export["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        orgs,
        ["gov-am", "gov-az", "eu", "think"],
        "quiet is known only through a3"
    );
}

#[test]
fn revealed_outputs_say_so() {
    let table = stdout(&["report", "directions", LEDGER, "--include-private"]);
    assert!(table.starts_with("CONFIDENTIAL: includes private records"));
    let markdown = stdout(&["report", "formats", LEDGER, "--include-private", "--output", "markdown"]);
    assert!(markdown.starts_with("> **CONFIDENTIAL"));
    // CSV stays one table, header first: the warning goes to stderr, and a
    // column says it on every row.
    let csv = run(&["report", "timeline", LEDGER, "--include-private", "--output", "csv"]);
    let table = String::from_utf8(csv.stdout).unwrap();
    assert!(
        table.starts_with("period,start,end,direction,count,confidential\r\n"),
        "{table}"
    );
    assert!(table.lines().skip(1).all(|row| row.ends_with(",yes")), "{table}");
    assert!(String::from_utf8(csv.stderr).unwrap().starts_with("CONFIDENTIAL"));
    let document = json_of(&["report", "directions", LEDGER, "--include-private", "--output", "json"]);
    assert_eq!(document["confidential"], true);
    assert_eq!(document["query"]["include_private"], true);
    // Four directions once s1 and e1 are shown.
    assert_eq!(document["rows"].as_array().unwrap().len(), 4);
    let summary = json_of(&["summary", LEDGER, "--include-private", "--output", "json"]);
    assert_eq!(summary["confidential"], true);
    let export = json_of(&["export", LEDGER, "--include-private"]);
    assert_eq!(export["confidential"], true);
    let csv = run(&["export", LEDGER, "--include-private", "--output", "csv"]);
    assert!(String::from_utf8(csv.stdout).unwrap().starts_with("id,date,"));
    assert!(String::from_utf8(csv.stderr).unwrap().starts_with("CONFIDENTIAL"));
    // Without the flag nothing claims to be confidential.
    let public = stdout(&["report", "directions", LEDGER, "--output", "json"]);
    assert!(!public.contains("confidential"));
    assert_eq!(json_of(&["export", LEDGER])["confidential"], false);
}

#[test]
fn check_masks_private_names_in_json_and_github_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("masked.track2");
    // a3 is private and sits on the wrong side: a warning names them.
    std::fs::write(
        &path,
        "party AM Armenia\nparty AZ Azerbaijan\nformat f F\nperson a3 Arsen C\n  party: AM\n  private: yes\n\
         2025 AZ -> AM Visit\n  format: f\n  participants: a3\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let json = String::from_utf8(run(&["check", path, "--format", "json"]).stdout).unwrap();
    assert!(json.contains("participant `[withheld]` is from `AM`"), "{json}");
    assert!(!json.contains("a3"));
    let github = String::from_utf8(run(&["check", path, "--format", "github"]).stdout).unwrap();
    assert!(github.contains("[withheld]") && !github.contains("a3"), "{github}");
    let human = String::from_utf8(run(&["check", path]).stderr).unwrap();
    assert!(
        human.contains("participant `a3`"),
        "the human report is for the file's own editor"
    );
    let revealed = String::from_utf8(run(&["check", path, "--format", "json", "--include-private"]).stdout).unwrap();
    assert!(revealed.contains("participant `a3`"));
}

// Property test --------------------------------------------------------------

/// A small ledger of the one generator, every choice read from `tape`: its
/// texts are distinctive tokens, and it knows which of them no public output
/// may show (`Generated::secrets`).
fn generated_ledger(entries: usize, noisy: bool, tape: &[u8]) -> Generated {
    let config = Config {
        shape: Shape::Small,
        layout: if noisy { Layout::Noisy } else { Layout::Canonical },
        ..Config::new(entries)
    };
    generate_from_tape(&config, tape)
}

/// Every public output for `text`: every report in every format, with the
/// default status and with all, the export in both formats, and the masked
/// check output in JSON, GitHub, SARIF and GitLab form.
fn public_outputs(text: &str, reveal: bool) -> Vec<String> {
    let as_of = support::as_of();
    let loaded = loader::load_bytes("generated.track2", text.as_bytes().to_vec()).unwrap();
    let options = AnalysisOptions { as_of };
    let analysis = track2::check(&loaded, &options);
    assert!(
        analysis.diagnostics.iter().all(|d| !d.is_error()),
        "the generator wrote an invalid ledger: {:?}\n{text}",
        analysis.diagnostics
    );
    let disclosure = Disclosure { reveal, as_of };
    let mut outputs = Vec::new();
    for statuses in [vec![Status::Held], vec![]] {
        let spec = FilterSpec {
            statuses,
            ..FilterSpec::default()
        };
        let view = View::filtered(&analysis.ledger, disclosure, &spec).unwrap();
        for kind in Kind::ALL {
            let built = report::build(kind, &view, ReportOptions::new(as_of));
            for output in [
                report::Output::Table,
                report::Output::Markdown,
                report::Output::Csv,
                report::Output::Json,
                // Its charts are the ones `--output svg` writes, inline.
                report::Output::Html,
            ] {
                outputs.push(report::render(built.as_ref(), output, reveal));
            }
        }
        let document = ExportDocument::new(&view);
        outputs.push(serde_json::to_string(&document).unwrap());
        outputs.push(export::to_csv(&document));
        if spec.statuses.is_empty() {
            let masked = if reveal {
                analysis.diagnostics.clone()
            } else {
                // What `check --format json|github` does: keep only the
                // confidential engagements, and mask from them.
                let confidential = track2::analyze(&loaded, &options, Keep::Confidential);
                let disclosure = privacy::Disclosure::new(false, options.as_of, options.as_of);
                let public = privacy::public_diagnostics(&loaded, disclosure, &confidential);
                assert_eq!(
                    public,
                    privacy::public_diagnostics(&loaded, disclosure, &analysis),
                    "masking from the confidential engagements masks what the whole ledger does"
                );
                public
            };
            outputs.push(json::render(&masked, &loaded.sources));
            outputs.push(github::render(&masked, &loaded.sources));
            outputs.push(sarif::render(&masked, &loaded.sources));
            outputs.push(gitlab::render(&masked, &loaded.sources));
        }
    }
    outputs
}

/// How many engagements `summary` says are withheld, in JSON.
fn withheld_in_summary(text: &str, reveal: bool) -> Value {
    let as_of = support::as_of();
    let loaded = loader::load_bytes("generated.track2", text.as_bytes().to_vec()).unwrap();
    let analysis = track2::check(&loaded, &AnalysisOptions { as_of });
    let view = View::filtered(&analysis.ledger, Disclosure { reveal, as_of }, &FilterSpec::default()).unwrap();
    let summary = report::build(Kind::Summary, &view, ReportOptions::new(as_of));
    let json: Value = serde_json::from_str(&report::render(summary.as_ref(), report::Output::Json, reveal)).unwrap();
    json["withheld"].clone()
}

fn cases() -> u32 {
    support::cases(256)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn no_private_string_reaches_a_public_output(
        entries in 1..10usize,
        noisy in any::<bool>(),
        tape in proptest::collection::vec(any::<u8>(), 0..1500),
    ) {
        let generated = generated_ledger(entries, noisy, &tape);
        let text = generated.text();
        let outputs = public_outputs(text, false);
        for secret in &generated.secrets {
            for output in &outputs {
                prop_assert!(!output.contains(secret.as_str()), "`{}` leaked into\n{}\nfrom\n{}", secret, output, text);
            }
        }
        // Revealing shows every secret, so the search above can fail.
        let revealed = public_outputs(text, true).concat();
        for secret in &generated.secrets {
            prop_assert!(revealed.contains(secret.as_str()), "`{}` missing when revealed from\n{}", secret, text);
        }
        prop_assert_eq!(withheld_in_summary(text, false), serde_json::json!(generated.withheld));
        prop_assert_eq!(withheld_in_summary(text, true), serde_json::json!(0));
    }
}

/// Over a few tapes, the generator plants every kind of secret: the texts
/// of withheld engagements, people who are private or named in no shown
/// engagement, and orgs known only through such people; and ledgers with
/// none, whose outputs are searched for nothing. The property above is
/// only as strong as this variety.
#[test]
fn generated_ledgers_plant_every_kind_of_secret() {
    let kinds = [
        "Title", "Venue", "Note", "ent-", "Person", "per.", "Role", "Alias", "Org", "org_",
    ];
    let mut seen = BTreeSet::new();
    let mut without_secrets = 0;
    let mut withheld = 0;
    for seed in 0..100u32 {
        let tape: Vec<u8> = (0..1500u32)
            .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed.wrapping_mul(40_503)) >> 13) as u8)
            .collect();
        let generated = generated_ledger(8, seed % 2 == 0, &tape);
        for secret in &generated.secrets {
            seen.extend(kinds.iter().filter(|kind| secret.starts_with(**kind)));
        }
        without_secrets += usize::from(generated.secrets.is_empty());
        withheld += generated.withheld;
    }
    assert_eq!(seen, kinds.iter().collect(), "kinds of secret planted");
    assert!(without_secrets > 0, "no ledger without secrets");
    assert!(withheld > 10, "{withheld} engagements withheld in all");
}

/// A ledger with an engagement under an embargo that lasts long after any
/// run of these tests.
const FAR_EMBARGO: &str = "party AM Armenia\nparty AZ Azerbaijan\nformat f Forum\n\
    2025-03-01 AM -> AZ Open talks\n  format: f\n\
    2025-04-01 AZ -> AM Talks under embargo in Shusha\n  format: f\n  embargo: 2099\n";

#[test]
fn a_later_as_of_date_lifts_no_embargo() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("l.track2");
    std::fs::write(&path, FAR_EMBARGO).unwrap();
    let path = path.to_str().unwrap();
    for as_of in ["2026-01-01", "2100-01-01", "2999-12-31"] {
        let csv = support::stdout(&["export", path, "--output", "csv", "--as-of", as_of]);
        assert!(
            !csv.contains("Shusha"),
            "--as-of {as_of} showed the embargoed engagement:\n{csv}"
        );
        let summary: Value = serde_json::from_str(&support::stdout(&[
            "summary", path, "--output", "json", "--as-of", as_of,
        ]))
        .unwrap();
        assert_eq!(summary["withheld"], 1, "--as-of {as_of}");
    }
    let revealed = support::stdout(&["export", path, "--output", "csv", "--include-private"]);
    assert!(revealed.contains("Shusha"));
}

#[test]
fn filters_neither_suggest_nor_accept_what_is_not_disclosed() {
    // `quiet` is the org of a3 alone, a private person: nothing discloses it.
    let typo = run(&["report", "sponsors", LEDGER, "--sponsor", "quieet"]);
    assert_eq!(typo.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&typo.stderr);
    assert!(!stderr.contains("quiet`"), "{stderr}");
    let exact = run(&["report", "sponsors", LEDGER, "--sponsor", "quiet"]);
    assert_eq!(exact.status.code(), Some(2), "accepting it would say it exists");
    // A disclosed org is still found, and suggested.
    let near = run(&["report", "sponsors", LEDGER, "--sponsor", "govam"]);
    assert!(String::from_utf8_lossy(&near.stderr).contains("did you mean `gov-am`?"));
    let revealed = run(&["report", "sponsors", LEDGER, "--sponsor", "quiet", "--include-private"]);
    assert_eq!(revealed.status.code(), Some(0));
}

#[test]
fn diagnostics_in_withheld_records_say_only_where_they_are() {
    let ledger = "party AM Armenia\nparty AZ Azerbaijan\nformat f Forum\n\
        person ivan Ivan Secretov\n  party: AZ\n  private: yes\n  role: Envoy of Secretovia\n  org: secretovia-fund\n\
        2099-01-01 AZ -> AM Talks in Secret Valley\n  format: f\n  confidential: private\n  met: minister-secretov\n  \
        source: https://intranet/minutes with Ivan Secretov\n\
        2025-05 AM -> AZ Open talks\n  format: f\n  participants: +2 AM\n  met: minister-open\n";
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("l.track2");
    std::fs::write(&path, ledger).unwrap();
    let path = path.to_str().unwrap();
    let secrets = ["Secretov", "Secret Valley", "intranet", "secretovia", "2099"];
    for format in ["json", "github", "gnu", "sarif", "gitlab"] {
        let output = run(&["check", path, "--format", format]);
        assert_eq!(output.status.code(), Some(1), "{format}");
        let text = String::from_utf8(output.stdout).unwrap();
        for secret in secrets {
            assert!(!text.contains(secret), "--format {format} shows `{secret}`:\n{text}");
        }
    }
    // Each keeps its code and place, and says where it is not.
    let json: Value =
        serde_json::from_str(&String::from_utf8(run(&["check", path, "--format", "json"]).stdout).unwrap()).unwrap();
    let found: Vec<(String, u64, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let withheld = privacy::WITHHELD_PROBLEM.to_owned();
    assert_eq!(
        found,
        [
            ("undeclared-org".to_owned(), 8, withheld.clone()),
            ("held-in-future".to_owned(), 9, withheld.clone()),
            ("undeclared-person".to_owned(), 12, withheld.clone()),
            ("invalid-url".to_owned(), 13, withheld),
            (
                "undeclared-person".to_owned(),
                17,
                "undeclared person `minister-open`".to_owned()
            ),
        ]
    );
    // The person editing the file, and --include-private, see everything.
    let human = String::from_utf8(run(&["check", path]).stderr).unwrap();
    assert!(human.contains("minister-secretov") && human.contains("intranet"));
    let revealed = String::from_utf8(run(&["check", path, "--format", "json", "--include-private"]).stdout).unwrap();
    assert!(revealed.contains("minister-secretov"));
}
