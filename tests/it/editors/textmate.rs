//! The VS Code package's TextMate grammar names every keyword, key and
//! enumerated value of `track2::schema` (its scopes are tested on samples by
//! `vscode-tmgrammar-test`, in `editors/vscode/test/`).

use std::collections::BTreeSet;

use serde_json::Value;
use track2::schema::{self, ValueKind};
use track2::syntax::DeclarationKind;

use super::{block_kinds, block_name};
use crate::support::root;

fn textmate_grammar() -> Value {
    let path = root().join("editors/vscode/syntaxes/track2.tmLanguage.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).expect("the grammar is JSON")
}

/// Every `match` and `begin` regex in `rule` and the rules it holds.
fn regexes<'g>(rule: &'g Value, found: &mut Vec<&'g str>) {
    match rule {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("match" | "begin", Value::String(regex)) => found.push(regex),
                    _ => regexes(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| regexes(item, found)),
        _ => {}
    }
}

/// The grammar's field rules start `^([ \t]+)(KEYS)`, KEYS an alternation
/// of literal keys; this reads KEYS.
fn key_alternation(regex: &str) -> Option<Vec<&str>> {
    let keys = regex.strip_prefix(r"^([ \t]+)(")?;
    let keys = &keys[..keys.find(')')?];
    Some(keys.split('|').collect())
}

/// The known keys of one block kind's field rules, and the rule of each.
fn grammar_keys(grammar: &Value, block: &str) -> Vec<(String, Value)> {
    let rules = grammar["repository"][format!("{block}-fields")]["patterns"]
        .as_array()
        .unwrap_or_else(|| panic!("the grammar has no `{block}-fields` rules"));
    let mut keys = Vec::new();
    for rule in rules {
        let regex = rule["match"].as_str().unwrap();
        let alternation = key_alternation(regex).unwrap_or_else(|| panic!("not a field rule: {regex}"));
        for key in alternation {
            keys.push((key.to_owned(), rule.clone()));
        }
    }
    keys
}

#[test]
fn the_textmate_grammar_colours_every_keyword() {
    let grammar = textmate_grammar();
    let mut all = Vec::new();
    regexes(&grammar, &mut all);
    let keywords = DeclarationKind::ALL.map(DeclarationKind::keyword);
    for keyword in keywords.iter().copied().chain(["include"]) {
        let head = format!("^({keyword})");
        assert!(
            all.iter().any(|regex| regex.starts_with(&head)),
            "no rule of the TextMate grammar starts a `{keyword}` line"
        );
    }
    // And each declaration block is a rule of the top level.
    let top: Vec<_> = grammar["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["include"].as_str().unwrap())
        .collect();
    for keyword in keywords {
        assert!(top.contains(&format!("#{keyword}-block").as_str()), "{keyword}");
    }
    assert!(top.contains(&"#engagement-block") && top.contains(&"#include"));
}

/// Each block's rules name exactly the keys `track2::schema` gives it, so
/// that a field added to the schema without colours fails here.
#[test]
fn the_textmate_grammar_colours_exactly_the_schemas_keys() {
    let grammar = textmate_grammar();
    for kind in block_kinds() {
        let block = block_name(kind);
        let in_grammar: BTreeSet<String> = grammar_keys(&grammar, block).into_iter().map(|(key, _)| key).collect();
        let in_schema: BTreeSet<String> = schema::fields(kind).iter().map(|spec| spec.key.to_owned()).collect();
        assert_eq!(in_grammar, in_schema, "the keys of `{block}` blocks");
        let patterns: Vec<_> = grammar["repository"][format!("{block}-block")]["patterns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|rule| rule["include"].as_str().unwrap())
            .collect();
        assert_eq!(
            patterns,
            [
                "#comment",
                &format!("#{block}-fields"),
                "#custom-field",
                "#unknown-field",
                "#malformed-field"
            ],
            "`{block}` blocks take their own keys, then `x-` keys, then mark the rest"
        );
    }
    let custom = &grammar["repository"]["custom-field"];
    assert_eq!(custom["captures"]["2"]["name"], "variable.other.custom-key.track2");
    let unknown = &grammar["repository"]["unknown-field"];
    assert_eq!(unknown["captures"]["2"]["name"], "invalid.illegal.unknown-key.track2");
}

/// Every enumerated value of the schema is coloured as one, under its key.
#[test]
fn the_textmate_grammar_colours_every_enumerated_value() {
    let grammar = textmate_grammar();
    let mut checked = 0;
    for kind in block_kinds() {
        let keys = grammar_keys(&grammar, block_name(kind));
        for spec in schema::fields(kind) {
            let ValueKind::Choice(words) = spec.value else {
                continue;
            };
            let (_, rule) = keys.iter().find(|(key, _)| key == spec.key).unwrap();
            let value = &rule["captures"]["4"]["patterns"][0];
            assert_eq!(value["name"], format!("constant.language.{}.track2", spec.key));
            let regex = value["match"].as_str().unwrap();
            let alternation = regex
                .strip_prefix("(?:")
                .and_then(|rest| rest.strip_suffix(")$"))
                .unwrap_or_else(|| panic!("`{}` values: {regex}", spec.key));
            let in_grammar: Vec<String> = alternation.split('|').map(|word| word.replace(r"\.", ".")).collect();
            assert_eq!(in_grammar, words, "the values of `{}`", spec.key);
            checked += 1;
        }
    }
    // track, status, confidential, kind and private.
    assert_eq!(checked, 5);
}
