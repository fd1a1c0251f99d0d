//! The outputs code-review tools read: `check --format sarif` (GitHub code
//! scanning), validated against the official SARIF 2.1.0 schema vendored in
//! `tests/it/schemas/`, and `check --format gitlab` (GitLab Code Quality).
//! Both must place every diagnostic where the JSON output does, keep their
//! fingerprints from run to run, and mask private names as `json` does.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;
use track2::render::{gitlab, json, sarif};
use track2::{Code, loader};

use crate::support::{AS_OF, corpus, options, root, text, track2_in};

const BROKEN: &str = "tests/fixtures/broken.track2";

/// A validator for the official schema, format checks (`uri`, …) included.
fn sarif_schema() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/it/schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, document: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
}

/// `track2 check ARGS --as-of …` from `directory`: exit code and stdout.
fn check_in(directory: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["check", "--as-of", AS_OF];
    all.extend_from_slice(args);
    let output = track2_in(directory, &all).output().unwrap();
    (output.status.code(), text(&output.stdout))
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("one JSON document")
}

#[test]
fn the_schema_is_enforced() {
    // A check that would pass anything would prove nothing below.
    let validator = sarif_schema();
    assert!(!validator.is_valid(&serde_json::json!({"version": "2.0.0", "runs": []})));
    assert!(!validator.is_valid(&serde_json::json!({"version": "2.1.0", "runs": [{"tool": {}}]})));
    assert!(validator.is_valid(&serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}}, "results": []}]
    })));
}

#[test]
fn sarif_output_is_valid_and_complete() {
    let (code, stdout) = check_in(root(), &[BROKEN, "--format", "sarif"]);
    assert_eq!(code, Some(1), "exit status as for every format");
    let document = parse(&stdout);
    assert_valid_sarif(&sarif_schema(), &document, "broken.track2's report");

    let run = &document["runs"][0];
    assert_eq!(document["runs"].as_array().unwrap().len(), 1);
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|rule| rule["id"].as_str().unwrap()).collect();
    let codes: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(ids, codes, "one rule per code, the code as its id");
    for rule in rules {
        let description = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(!description.is_empty() && !description.contains("see 5.3"), "{rule}");
        let summary = rule["shortDescription"]["text"].as_str().unwrap();
        assert!(!summary.is_empty() && !summary.starts_with("See "), "{rule}");
        assert!(
            rule["help"]["text"]
                .as_str()
                .unwrap()
                .contains("The diagnostic points at")
        );
    }
    let held = rules.iter().find(|rule| rule["id"] == "held-in-future").unwrap();
    assert!(
        held["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Status held and the first possible day"),
        "{held}"
    );

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 9, "8 errors and 1 warning, as in JSON");
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(result["ruleId"], rules[index]["id"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], BROKEN);
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    }
    let levels: Vec<&str> = results.iter().map(|r| r["level"].as_str().unwrap()).collect();
    assert_eq!(levels.iter().filter(|&&level| level == "warning").count(), 1);
}

#[test]
fn a_clean_ledger_has_a_valid_empty_report() {
    let (code, stdout) = check_in(root(), &["ledgers", "--format", "sarif"]);
    assert_eq!(code, Some(0));
    let document = parse(&stdout);
    assert_valid_sarif(&sarif_schema(), &document, "the bundled ledgers' report");
    assert_eq!(document["runs"][0]["results"], serde_json::json!([]));
    let (code, stdout) = check_in(root(), &["ledgers", "--format", "gitlab"]);
    assert_eq!((code, parse(&stdout)), (Some(0), serde_json::json!([])));
}

/// Every invalid case of the corpus: SARIF valid against the schema, and
/// SARIF and GitLab placing each diagnostic where JSON does.
#[test]
fn every_invalid_case_is_placed_alike_in_sarif_gitlab_and_json() {
    let validator = sarif_schema();
    // Relative to the repository (the tests' working directory), as a user
    // at its root names files.
    let invalid = corpus().join("invalid");
    let invalid = invalid.strip_prefix(root()).unwrap();
    let mut cases: Vec<_> = std::fs::read_dir(invalid)
        .unwrap()
        .map(|entry| invalid.join(entry.unwrap().file_name()))
        .filter(|path| path.is_dir() || path.extension().is_some_and(|e| e == "track2"))
        .collect();
    cases.sort();
    assert!(cases.len() > 40, "the corpus is where it should be");
    let mut failures = Vec::new();
    for case in &cases {
        let loaded = loader::load(
            &track2::Disk,
            std::slice::from_ref(case),
            &track2::LoadOptions::default(),
        )
        .unwrap();
        let diagnostics = track2::check(&loaded, &options()).diagnostics;
        let from_json: Vec<String> = parse(&json::render(&diagnostics, &loaded.sources))["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let file = d["file"].as_str().unwrap().trim_start_matches("./");
                format!(
                    "{file}:{}:{}-{}:{} {}",
                    d["line"], d["column"], d["end_line"], d["end_column"], d["code"]
                )
            })
            .collect();

        let document = parse(&sarif::render(&diagnostics, &loaded.sources));
        if !validator.is_valid(&document) {
            failures.push(format!("{}: SARIF does not validate", case.display()));
        }
        let from_sarif: Vec<String> = document["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| {
                let location = &result["locations"][0]["physicalLocation"];
                let region = &location["region"];
                format!(
                    "{}:{}:{}-{}:{} \"{}\"",
                    location["artifactLocation"]["uri"].as_str().unwrap(),
                    region["startLine"],
                    region["startColumn"],
                    region["endLine"],
                    region["endColumn"],
                    result["ruleId"].as_str().unwrap()
                )
            })
            .collect();

        let issues = parse(&gitlab::render(&diagnostics, &loaded.sources));
        let from_json_lines: Vec<String> = from_json
            .iter()
            .map(|place| {
                let (file_line, code) = place.split_once(' ').unwrap();
                let mut parts = file_line.split(':');
                format!("{}:{} {code}", parts.next().unwrap(), parts.next().unwrap())
            })
            .collect();
        let from_gitlab: Vec<String> = issues
            .as_array()
            .unwrap()
            .iter()
            .map(|issue| {
                format!(
                    "{}:{} \"{}\"",
                    issue["location"]["path"].as_str().unwrap(),
                    issue["location"]["lines"]["begin"],
                    issue["check_name"].as_str().unwrap()
                )
            })
            .collect();
        let fingerprints: HashSet<&str> = issues
            .as_array()
            .unwrap()
            .iter()
            .map(|issue| issue["fingerprint"].as_str().unwrap())
            .collect();

        if from_sarif != from_json || from_gitlab != from_json_lines || fingerprints.len() != diagnostics.len() {
            failures.push(format!(
                "{}:\n  json:   {from_json:?}\n  sarif:  {from_sarif:?}\n  gitlab: {from_gitlab:?}\n  \
                 distinct fingerprints: {} of {}",
                case.display(),
                fingerprints.len(),
                diagnostics.len()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The fingerprints of a report, in order.
fn sarif_fingerprints(stdout: &str) -> Vec<String> {
    parse(stdout)["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| result["partialFingerprints"]["track2/v1"].as_str().unwrap().to_owned())
        .collect()
}

fn gitlab_fingerprints(stdout: &str) -> Vec<String> {
    parse(stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|issue| issue["fingerprint"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn fingerprints_are_unique_and_survive_lines_moving() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = "party AM Armenia\nparty AZ Azerbaijan\nformat f F\n\
                  2025 AZ -> AM One\n  format: f\n  participants: nobody\n\
                  2025 AZ -> AM Two\n  format: f\n  participants: nobody\n";
    std::fs::write(dir.path().join("l.track2"), ledger).unwrap();
    let run = |format: &str| check_in(dir.path(), &["l.track2", "--format", format]).1;

    let sarif_first = sarif_fingerprints(&run("sarif"));
    let gitlab_first = gitlab_fingerprints(&run("gitlab"));
    assert_eq!(sarif_first.len(), 2, "the same problem twice in one file");
    assert_ne!(sarif_first[0], sarif_first[1], "two alike problems still differ");
    assert_eq!(
        sarif_fingerprints(&run("sarif")),
        sarif_first,
        "the same from run to run"
    );
    assert_eq!(gitlab_first, sarif_first, "one fingerprint per problem in both formats");

    // Lines added above move the problems, which stay the same problems.
    std::fs::write(dir.path().join("l.track2"), format!("# A comment.\n\n{ledger}")).unwrap();
    assert_eq!(sarif_fingerprints(&run("sarif")), sarif_first);
    assert_eq!(gitlab_fingerprints(&run("gitlab")), gitlab_first);
}

#[test]
fn gitlab_output_maps_severities_and_paths() {
    let (code, stdout) = check_in(root(), &["./tests/fixtures/broken.track2", "--format", "gitlab"]);
    assert_eq!(code, Some(1));
    let issues = parse(&stdout);
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 9);
    for issue in issues {
        assert_eq!(issue["location"]["path"], BROKEN, "relative, without ./");
        let code = Code::from_name(issue["check_name"].as_str().unwrap()).expect("a known code");
        let expected = match code.severity() {
            track2::Severity::Error => "major",
            track2::Severity::Warning => "minor",
        };
        assert_eq!(issue["severity"], expected);
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(!issue["description"].as_str().unwrap().is_empty());
    }
}

#[test]
fn sarif_and_gitlab_mask_private_names_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    // a3 is private and on the wrong side: a warning quotes them.
    std::fs::write(
        dir.path().join("masked.track2"),
        "party AM Armenia\nparty AZ Azerbaijan\nformat f F\nperson a3 Arsen C\n  party: AM\n  private: yes\n\
         2025 AZ -> AM Visit\n  format: f\n  participants: a3\n",
    )
    .unwrap();
    for format in ["sarif", "gitlab"] {
        let (_, masked) = check_in(dir.path(), &["masked.track2", "--format", format]);
        assert!(masked.contains("participant `[withheld]`"), "{format}: {masked}");
        assert!(!masked.contains("a3"), "{format}: {masked}");
        let (_, revealed) = check_in(dir.path(), &["masked.track2", "--format", format, "--include-private"]);
        assert!(revealed.contains("participant `a3`"), "{format}: {revealed}");
    }
}
