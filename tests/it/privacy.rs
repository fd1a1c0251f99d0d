//! Confidential records never reach a public output unless asked for.
//!
//! Golden tests run the binary on `tests/fixtures/reports.track2`, where
//! s1 is `confidential: private`, e1 is under embargo until 2026-06, c1 is
//! Chatham House and a3 (Arsen C, of the Quiet Foundation) is a private
//! person. The property test generates ledgers with private persons,
//! Chatham House and withheld engagements, renders every report in every
//! output, the export and the check output, and searches them for any
//! private string.

use std::collections::BTreeSet;

use std::process::Output;

use proptest::prelude::*;
use serde_json::Value;
use track2::export::{self, ExportDocument};
use track2::filter::{Filter, FilterSpec};
use track2::model::Status;
use track2::privacy::{self, Disclosure, View};
use track2::render::{github, json};
use track2::report::{self, Kind, ReportOptions};
use track2::{AnalysisOptions, Keep, loader};

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
    let mut rows: Vec<(String, u64)> = json_of(&args)
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
        revealed["participants"].as_u64().unwrap() - public["participants"].as_u64().unwrap(),
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
    let csv = stdout(&["report", "timeline", LEDGER, "--include-private", "--output", "csv"]);
    assert!(csv.starts_with("# CONFIDENTIAL"));
    let rows = json_of(&["report", "directions", LEDGER, "--include-private", "--output", "json"]);
    assert!(rows.as_array().unwrap().iter().all(|row| row["confidential"] == true));
    let summary = json_of(&["summary", LEDGER, "--include-private", "--output", "json"]);
    assert_eq!(summary["confidential"], true);
    let export = json_of(&["export", LEDGER, "--include-private"]);
    assert_eq!(export["confidential"], true);
    assert!(stdout(&["export", LEDGER, "--include-private", "--output", "csv"]).starts_with("# CONFIDENTIAL"));
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

/// A person of a generated ledger and where they may appear.
#[derive(Clone, Debug)]
struct GeneratedPerson {
    party: Option<usize>,
    private: bool,
    /// Appears only in Chatham House engagements (or withheld ones).
    chatham_only: bool,
}

#[derive(Clone, Debug)]
enum Secrecy {
    Public,
    ChathamHouse,
    Private,
    /// Embargoed until after the as-of date.
    Embargoed,
    /// Embargoed until before the as-of date: public again.
    EmbargoOver,
}

#[derive(Clone, Debug)]
struct GeneratedEngagement {
    direction: usize,
    month: u32,
    secrecy: Secrecy,
    participants: Vec<usize>,
    met: Vec<usize>,
    sponsor: Option<usize>,
}

const PARTIES: [&str; 3] = ["AM", "AZ", "NL"];
const DIRECTIONS: [&str; 4] = ["AM -> AZ", "AZ -> AM", "AM + AZ -> NL", "AZ -> online"];

fn person_strategy() -> impl Strategy<Value = GeneratedPerson> {
    (proptest::option::of(0..2usize), any::<bool>(), any::<bool>()).prop_map(|(party, private, chatham_only)| {
        GeneratedPerson {
            party,
            private,
            chatham_only: chatham_only && !private,
        }
    })
}

fn engagement_strategy(persons: usize) -> impl Strategy<Value = GeneratedEngagement> {
    let secrecy = prop_oneof![
        3 => Just(Secrecy::Public),
        2 => Just(Secrecy::ChathamHouse),
        1 => Just(Secrecy::Private),
        1 => Just(Secrecy::Embargoed),
        1 => Just(Secrecy::EmbargoOver),
    ];
    (
        0..DIRECTIONS.len(),
        1..=12u32,
        secrecy,
        proptest::collection::btree_set(0..persons, 0..4),
        proptest::collection::btree_set(0..persons, 0..3),
        proptest::option::of(0..3usize),
    )
        .prop_map(
            |(direction, month, secrecy, participants, met, sponsor)| GeneratedEngagement {
                direction,
                month,
                secrecy,
                participants: participants.into_iter().collect(),
                met: met.into_iter().collect(),
                sponsor,
            },
        )
}

fn ledger_strategy() -> impl Strategy<Value = (Vec<GeneratedPerson>, Vec<GeneratedEngagement>)> {
    proptest::collection::vec(person_strategy(), 1..8).prop_flat_map(|persons| {
        let count = persons.len();
        (
            Just(persons),
            proptest::collection::vec(engagement_strategy(count), 1..10),
        )
    })
}

/// Distinctive text for person or engagement `n`: no token is a substring of
/// another, so a search for one cannot be satisfied by its neighbour.
fn token(kind: &str, n: usize) -> String {
    format!("{kind}{n}q")
}

/// The ledger's text, and the strings no public output may contain.
fn render_ledger(persons: &[GeneratedPerson], engagements: &[GeneratedEngagement]) -> (String, Vec<String>) {
    let mut text = String::from("party AM Armenia\nparty AZ Azerbaijan\nparty NL Netherlands\nformat f Format\n");
    for org in 0..3 {
        text.push_str(&format!("org {} Public Org {org}\n", token("puborg", org)));
    }
    let mut secrets = Vec::new();
    // Engagements a person may appear in without being a secret.
    let plain = |secrecy: &Secrecy| matches!(secrecy, Secrecy::Public | Secrecy::EmbargoOver);
    for (n, person) in persons.iter().enumerate() {
        let (id, name, role, alias) = (token("per", n), token("Name", n), token("Role", n), token("Alias", n));
        text.push_str(&format!("person {id} {name}\n  role: {role}\n  alias: {alias}\n"));
        if let Some(party) = person.party {
            text.push_str(&format!("  party: {}\n", PARTIES[party]));
        }
        if person.private {
            let org = token("privorg", n);
            text.push_str(&format!("  org: {org}\n  private: yes\n"));
            text.push_str(&format!("org {org} {}\n", token("PrivateOrgName", n)));
            secrets.extend([name.clone(), role.clone(), alias.clone(), token("PrivateOrgName", n)]);
        }
        let named_in_public = engagements
            .iter()
            .any(|e| plain(&e.secrecy) && (e.participants.contains(&n) || e.met.contains(&n)));
        if person.chatham_only && !named_in_public {
            secrets.extend([name, role, alias]);
        }
    }
    for (n, engagement) in engagements.iter().enumerate() {
        let title = token("Title", n);
        text.push_str(&format!(
            "2025-{:02}-10 {} {title}\n  id: {}\n  format: f\n  venue: {}\n  note: {}\n",
            engagement.month,
            DIRECTIONS[engagement.direction],
            token("ent", n),
            token("Venue", n),
            token("Note", n),
        ));
        match engagement.secrecy {
            Secrecy::Public => {}
            Secrecy::ChathamHouse => text.push_str("  confidential: chatham-house\n"),
            Secrecy::Private => text.push_str("  confidential: private\n"),
            Secrecy::Embargoed => text.push_str("  embargo: 2026-06\n"),
            Secrecy::EmbargoOver => text.push_str("  embargo: 2025-12\n"),
        }
        if matches!(engagement.secrecy, Secrecy::Private | Secrecy::Embargoed) {
            secrets.extend([title, token("ent", n), token("Venue", n), token("Note", n)]);
        }
        // A Chatham-only person appears in no public engagement.
        let allowed = |p: &&usize| !plain(&engagement.secrecy) || !persons[**p].chatham_only;
        let participants: Vec<String> = engagement
            .participants
            .iter()
            .filter(allowed)
            .map(|&p| token("per", p))
            .collect();
        let met: Vec<String> = engagement
            .met
            .iter()
            .filter(allowed)
            .filter(|p| !engagement.participants.contains(p))
            .map(|&p| token("per", p))
            .collect();
        if !participants.is_empty() {
            text.push_str(&format!("  participants: {}\n", participants.join(", ")));
        }
        if !met.is_empty() {
            text.push_str(&format!("  met: {}\n", met.join(", ")));
        }
        if let Some(sponsor) = engagement.sponsor {
            text.push_str(&format!("  sponsors: {}\n", token("puborg", sponsor)));
        }
    }
    (text, secrets)
}

/// Every public output for `text`: every report in every format, with the
/// default status and with all, the export in both formats, and the masked
/// check output in JSON and GitHub form.
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
        let filter = Filter::resolve(&spec, &analysis.ledger).unwrap();
        let view = View::new(&analysis.ledger, disclosure, &filter);
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
                let public = privacy::public_diagnostics(&loaded, &options, &confidential);
                assert_eq!(
                    public,
                    privacy::mask(&analysis.diagnostics, &view.sensitive_strings()),
                    "masking from the confidential engagements masks what the whole ledger does"
                );
                public
            };
            outputs.push(json::render(&masked, &loaded.sources));
            outputs.push(github::render(&masked, &loaded.sources));
        }
    }
    outputs
}

fn cases() -> u32 {
    support::cases(256)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn no_private_string_reaches_a_public_output((persons, engagements) in ledger_strategy()) {
        let (text, secrets) = render_ledger(&persons, &engagements);
        let outputs = public_outputs(&text, false);
        for secret in &secrets {
            for output in &outputs {
                prop_assert!(!output.contains(secret.as_str()), "`{}` leaked into\n{}\nfrom\n{}", secret, output, text);
            }
        }
        // Revealing shows every secret that the ledger actually uses, so the
        // search above is not vacuous.
        let revealed = public_outputs(&text, true).concat();
        for secret in secrets.iter().filter(|secret| secret.starts_with("Title")) {
            prop_assert!(revealed.contains(secret.as_str()), "`{}` missing when revealed", secret);
        }
    }
}
