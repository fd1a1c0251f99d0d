//! `track2 show ID`: an id's declaration and every use, through the
//! privacy view.

use serde_json::Value;

use crate::support::{self, AS_OF, run, stdout, text};

const FIXTURE: &str = "tests/fixtures/reports.track2";

fn show_json(args: &[&str]) -> Value {
    let mut args = [&["show"], args, &["--as-of", AS_OF, "--output", "json"]].concat();
    args.retain(|arg| !arg.is_empty());
    serde_json::from_str(&stdout(&args)).expect("one JSON document")
}

/// (file:line:column, role, date) of each use of the first match.
fn uses(json: &Value) -> Vec<(String, String, String)> {
    json["matches"][0]["uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|use_| {
            (
                format!("{}:{}:{}", use_["file"].as_str().unwrap(), use_["line"], use_["column"]),
                use_["role"].as_str().unwrap().to_owned(),
                use_["engagement"]["date"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_persons_history_in_the_bundled_ledgers() {
    let json = show_json(&["rusif-huseynov", "ledgers"]);
    let person = &json["matches"][0];
    assert_eq!(person["kind"], "person");
    assert_eq!(person["declaration"]["name"], "Rusif Huseynov");
    assert_eq!(person["declaration"]["file"], "ledgers/people.track2");
    // Each use points at the id itself, in date order.
    let places = uses(&json);
    assert_eq!(places.len(), 3, "{places:?}");
    let dates: Vec<&str> = places.iter().map(|(_, _, date)| date.as_str()).collect();
    assert_eq!(
        dates,
        ["2025-10-21..2025-10-22", "2025-11-04", "2025-11-21..2025-11-22"]
    );
    let ledger = std::fs::read_to_string(support::root().join("ledgers/2025.track2")).unwrap();
    for (place, _, _) in &places {
        let mut parts = place.rsplitn(3, ':');
        let column: usize = parts.next().unwrap().parse().unwrap();
        let line: usize = parts.next().unwrap().parse().unwrap();
        let text_at: String = ledger.lines().nth(line - 1).unwrap().chars().skip(column - 1).collect();
        assert!(text_at.starts_with("rusif-huseynov"), "{place}: {text_at}");
    }
    assert_eq!(places[2].1, "met");
    let table = stdout(&["show", "rusif-huseynov", "ledgers", "--as-of", AS_OF]);
    assert!(table.contains("ledgers/2025.track2:26:34  participant"), "{table}");
}

#[test]
fn uses_in_withheld_or_chatham_house_engagements_are_left_out() {
    // a1 is named in r1 (met), r2, h1, p1; c1 is Chatham House.
    let json = show_json(&["a1", FIXTURE]);
    let dates: Vec<String> = uses(&json).into_iter().map(|(_, _, date)| date).collect();
    assert_eq!(dates, ["2025-01-10", "2025-02-14..2025-02-15", "2025-03", "2025-10-10"]);
    let revealed = show_json(&["a1", FIXTURE, "--include-private"]);
    assert_eq!(uses(&revealed).len(), 5);
    assert_eq!(revealed["confidential"], true);
    // z1 takes part in s1, which is private.
    let z1: Vec<String> = uses(&show_json(&["z1", FIXTURE]))
        .into_iter()
        .map(|(_, _, d)| d)
        .collect();
    assert!(!z1.contains(&"2025-08-08".to_owned()), "{z1:?}");
}

#[test]
fn private_people_and_withheld_engagements_are_unknown_ids() {
    for id in ["a3", "s1", "e1", "quiet"] {
        let output = run(&["show", id, FIXTURE, "--as-of", AS_OF]);
        assert_eq!(output.status.code(), Some(1), "{id}");
        assert!(output.stdout.is_empty());
        let stderr = text(&output.stderr);
        assert!(stderr.contains(&format!("no `{id}`")), "{stderr}");
        assert!(!stderr.contains("Arsen") && !stderr.contains("Secret"), "{stderr}");
    }
    // "Did you mean" never names what is withheld: `a4` is nearest to a3,
    // which is private, so a public id is suggested or none.
    let stderr = text(&run(&["show", "s2", FIXTURE, "--as-of", AS_OF]).stderr);
    assert!(!stderr.contains("`s1`"), "{stderr}");
    let revealed = show_json(&["a3", FIXTURE, "--include-private"]);
    assert_eq!(revealed["matches"][0]["declaration"]["name"], "Arsen C");
}

#[test]
fn an_unknown_id_gets_did_you_mean() {
    let output = run(&["show", "rusif-huseinov", "ledgers", "--as-of", AS_OF]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("did you mean `rusif-huseynov`?"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn one_id_may_name_several_things() {
    // `pb` is a series; `visit` a tag.
    let series = show_json(&["pb", FIXTURE]);
    assert_eq!(series["matches"][0]["kind"], "series");
    assert_eq!(uses(&series).len(), 2);
    let tag = show_json(&["visit", FIXTURE]);
    assert_eq!(tag["matches"][0]["kind"], "tag");
    assert_eq!(tag["matches"][0]["declaration"], Value::Null);
    assert_eq!(uses(&tag).len(), 2);
}
