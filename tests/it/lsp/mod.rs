//! `track2 lsp` driven as an editor drives it: the real binary, spoken to
//! in JSON-RPC over its standard input and output ([`client`]). Each test
//! starts its own server on a scratch project and ends it with
//! `shutdown`/`exit`, so that a test also shows the server survived
//! everything it was sent.

mod client;

use std::fs;
use std::path::Path;

use serde_json::{Value, json};

use crate::support::{text, track2_in};
use client::{Client, uri};

/// Parties, a format and two persons whose names are written in Azerbaijani
/// and Armenian.
const PEOPLE: &str = "\
party AM Armenia

party AZ Azerbaijan

format dialogue Structured dialogue

person farhad-mammadov Fərhad Məmmədov
  party: AZ

person areg-kochinyan Արեգ Քոչինյան
  party: AM
";

/// One engagement whose title holds a dove (U+1F54A, outside the Basic
/// Multilingual Plane: 4 bytes in UTF-8, 2 units in UTF-16) and Armenian,
/// and a misspelt participant (line 5, characters 16..30).
const MAIN: &str = "\
include \"people.track2\"

2025-10-21 AZ -> AM Barış 🕊 Երևան
  id: pb-1
  format: dialogue
  participants: farhad-mammadv
  met: areg-kochinyan
";

/// A scratch directory holding `files`.
fn scratch(files: &[(&str, &str)]) -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        let path = directory.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
    directory
}

/// A project whose `track2.toml` names `main.track2` as the ledger and
/// fixes the day, so that no check depends on when the test runs.
fn project() -> tempfile::TempDir {
    scratch(&[
        ("track2.toml", "paths = [\"main.track2\"]\nas-of = 2026-01-01\n"),
        ("people.track2", PEOPLE),
        ("main.track2", MAIN),
    ])
}

/// `track2 lsp` started in `directory` and initialised offering `encodings`.
fn server(directory: &Path, encodings: &[&str], options: Value) -> Client {
    let mut client = Client::start(track2_in(directory, &["lsp"]));
    client.initialize(encodings, options);
    client
}

fn position(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn document(uri: &str) -> Value {
    json!({"textDocument": {"uri": uri}})
}

fn range(start: [u32; 2], end: [u32; 2]) -> Value {
    json!({"start": {"line": start[0], "character": start[1]}, "end": {"line": end[0], "character": end[1]}})
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap())
        .collect()
}

/// Applies `edits` (with UTF-8 positions: character = byte in the line) to
/// `text`, as an editor that negotiated UTF-8 does.
fn apply(text: &str, edits: &Value) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + character
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut text = text.to_owned();
    for (start, end, new_text) in edits {
        text.replace_range(start..end, new_text);
    }
    text
}

#[test]
fn utf8_is_chosen_when_offered_else_utf16_and_the_exit_status_follows_shutdown() {
    let directory = project();
    let mut client = Client::start(track2_in(directory.path(), &["lsp"]));
    let result = client.initialize(&["utf-16", "utf-8"], Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(result["serverInfo"]["name"], "track2");
    let status = client.shutdown();
    assert!(status.success(), "shutdown then exit ends with 0, not {status:?}");

    let mut client = Client::start(track2_in(directory.path(), &["lsp"]));
    let result = client.initialize(&[], Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    // `exit` without `shutdown`: the protocol asks for status 1.
    client.notify("exit", Value::Null);
    assert_eq!(client.wait().code(), Some(1));
}

#[test]
fn diagnostics_follow_typing_and_match_track2_check() {
    let directory = project();
    let main = uri(&directory.path().join("main.track2"));
    let mut client = server(directory.path(), &["utf-8"], Value::Null);
    client.open(&main, 1, MAIN);
    let diagnostics = client.diagnostics(&main, Some(1));
    assert_eq!(codes(&diagnostics), ["undeclared-person"]);
    assert_eq!(diagnostics[0]["range"], range([5, 16], [5, 30]));
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `farhad-mammadov`?")
    );

    // The checker, run on the same project (found through the same
    // track2.toml), reports the same code at the same place.
    let output = track2_in(directory.path(), &["check", "--format", "gnu"])
        .output()
        .unwrap();
    let gnu = text(&output.stdout);
    assert!(
        gnu.contains("main.track2:6:17: error: undeclared person `farhad-mammadv` [undeclared-person]"),
        "{gnu}"
    );

    // Two edits typed quickly, 30 ms apart: within the pause, so one
    // analysis, tagged with the last version.
    client.change(&main, 2, [[5, 29], [5, 29]], "x");
    std::thread::sleep(std::time::Duration::from_millis(30));
    client.change(&main, 3, [[5, 29], [5, 30]], "o");
    let diagnostics = client.diagnostics(&main, Some(3));
    assert!(diagnostics.is_empty(), "fixed: {diagnostics:?}");
    let alone = client.unclaimed().iter().any(|message| {
        message["method"] == "textDocument/publishDiagnostics" && message["params"]["version"] == json!(2)
    });
    assert!(!alone, "version 2 was analysed alone, before the pause was over");

    // Breaking it again publishes again, in the same file.
    client.change(&main, 4, [[4, 10], [4, 18]], "dialog");
    assert_eq!(codes(&client.diagnostics(&main, Some(4))), ["undeclared-format"]);
    client.notify("textDocument/didClose", document(&main));
    // Closed, the file is read from disk again: the disk's text is still
    // misspelt, but nobody has the file open, so its problems are cleared.
    client.wait_for(|message| {
        message["method"] == "textDocument/publishDiagnostics"
            && message["params"]["uri"] == main
            && message["params"]["diagnostics"] == json!([])
    });
    assert!(client.shutdown().success());
}

#[test]
fn an_unsaved_buffer_is_part_of_a_ledger_of_several_files() {
    // Found through the `ledgers/` directory: every file in it is read.
    let directory = scratch(&[
        ("ledgers/people.track2", PEOPLE),
        (
            "ledgers/2025.track2",
            "2025-10-21 AZ -> AM Peace Bridge\n  format: dialogue\n  met: narek-minasyan\n",
        ),
    ]);
    let engagements = uri(&directory.path().join("ledgers/2025.track2"));
    let people = uri(&directory.path().join("ledgers/people.track2"));
    let mut client = server(directory.path(), &["utf-8"], Value::Null);
    let on_disk = fs::read_to_string(directory.path().join("ledgers/2025.track2")).unwrap();
    client.open(&engagements, 1, &on_disk);
    assert_eq!(codes(&client.diagnostics(&engagements, Some(1))), ["undeclared-person"]);

    // Narek is declared in the other file, but only in the editor.
    client.open(&people, 1, PEOPLE);
    let end = PEOPLE.lines().count() as u32;
    client.change(
        &people,
        2,
        [[end, 0], [end, 0]],
        "\nperson narek-minasyan Narek Minasyan\n  party: AM\n",
    );
    assert!(client.diagnostics(&engagements, None).is_empty());
    // A problem in the unsaved file is published on that file, with the
    // first declaration as related information.
    let end = end + 3;
    client.change(
        &people,
        3,
        [[end, 0], [end, 0]],
        "\nperson narek-minasyan Narek\n  party: AM\n",
    );
    let diagnostics = client.diagnostics(&people, Some(3));
    assert_eq!(codes(&diagnostics), ["duplicate-declaration"]);
    assert_eq!(diagnostics[0]["range"]["start"]["line"], end + 1);
    let related = &diagnostics[0]["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], people);
    assert_eq!(related["range"]["start"]["line"], end - 2);

    // Going to the definition from the saved file lands in the buffer.
    let definition = client.request("textDocument/definition", position(&engagements, 2, 8));
    assert_eq!(definition["uri"], people);
    assert_eq!(definition["range"], range([end - 2, 7], [end - 2, 21]));
    // Nothing was written to disk.
    assert_eq!(
        fs::read_to_string(directory.path().join("ledgers/people.track2")).unwrap(),
        PEOPLE
    );
    assert!(client.shutdown().success());
}

#[test]
fn completion_hover_definition_references_and_rename_across_files() {
    let directory = project();
    let main = uri(&directory.path().join("main.track2"));
    let people = uri(&directory.path().join("people.track2"));
    let mut client = server(directory.path(), &["utf-8"], Value::Null);
    client.open(&main, 1, MAIN);

    // In the middle of the misspelt id: every person, each replacing the
    // whole token, the closest first.
    let completion = client.request("textDocument/completion", position(&main, 5, 20));
    let items = completion["items"].as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|item| item["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["farhad-mammadov", "areg-kochinyan"]);
    assert_eq!(items[0]["detail"], "Fərhad Məmmədov · AZ");
    for item in items {
        assert_eq!(item["textEdit"]["range"], range([5, 16], [5, 30]));
    }
    // After `format: `, the declared formats.
    let completion = client.request("textDocument/completion", position(&main, 4, 10));
    let labels: Vec<&str> = completion["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["dialogue"]);

    let hover = client.request("textDocument/hover", position(&main, 6, 10));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("Արեգ Քոչինյան"), "{shown}");
    assert!(shown.contains("Used in 1 engagement"), "{shown}");
    let hover = client.request("textDocument/hover", position(&main, 2, 3));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("Tuesday 21 October 2025"), "{shown}");
    assert!(shown.contains("from Azerbaijan to Armenia"), "{shown}");

    let declaration = json!({"uri": people, "range": range([9, 7], [9, 21])});
    let definition = client.request("textDocument/definition", position(&main, 6, 10));
    assert_eq!(definition, declaration);
    let mut params = position(&main, 6, 10);
    params["context"] = json!({"includeDeclaration": true});
    let references = client.request("textDocument/references", params);
    assert_eq!(
        references,
        json!([{"uri": main, "range": range([6, 7], [6, 21])}, declaration])
    );
    // The include is a link to its file.
    let links = client.request("textDocument/documentLink", document(&main));
    assert_eq!(links[0]["target"], people);
    assert_eq!(links[0]["range"], range([0, 9], [0, 22]));

    let prepared = client.request("textDocument/prepareRename", position(&main, 6, 10));
    assert_eq!(prepared["placeholder"], "areg-kochinyan");
    let rename = |client: &mut Client, name: &str| {
        let mut params = position(&main, 6, 10);
        params["newName"] = json!(name);
        client.call("textDocument/rename", params)
    };
    let renamed = rename(&mut client, "areg-k");
    let changes = &renamed["result"]["changes"];
    assert_eq!(
        changes[&main],
        json!([{"range": range([6, 7], [6, 21]), "newText": "areg-k"}])
    );
    assert_eq!(
        changes[&people],
        json!([{"range": range([9, 7], [9, 21]), "newText": "areg-k"}])
    );
    // A new id that is taken, or not an id, is refused with a reason.
    for refused in ["farhad-mammadov", "Areg K"] {
        let answer = rename(&mut client, refused);
        assert!(
            answer["error"]["message"].as_str().unwrap().contains(refused),
            "{answer}"
        );
    }
    // A date is not an id: nothing to rename there.
    let prepared = client.call("textDocument/prepareRename", position(&main, 2, 3));
    assert!(
        prepared["result"].is_null() || prepared.get("error").is_some(),
        "{prepared}"
    );
    assert!(client.shutdown().success());
}

/// Positions in the title after the dove, in each encoding: where the
/// editor's `character` lands depends on how the dove is counted.
#[test]
fn positions_past_armenian_azerbaijani_and_an_emoji_in_each_encoding() {
    // The header is "2025-10-21 AZ -> AM " (20 units in any encoding), then
    // the title "Barış 🕊 Երևան". "Barış " is 8 bytes or 6 UTF-16 units, the
    // dove 4 or 2, " Երևան" 11 or 6.
    // A client that offers only UTF-32 gets UTF-16, the protocol's default.
    for (offered, after_dove, line_end) in [
        ("utf-8", 20 + 8 + 4, 20 + 8 + 4 + 11),
        ("utf-16", 20 + 6 + 2, 20 + 6 + 2 + 6),
        ("utf-32", 20 + 6 + 2, 20 + 6 + 2 + 6),
    ] {
        let directory = project();
        let main = uri(&directory.path().join("main.track2"));
        let mut client = Client::start(track2_in(directory.path(), &["lsp"]));
        let result = client.initialize(&[offered], Value::Null);
        let negotiated = if offered == "utf-8" { "utf-8" } else { "utf-16" };
        assert_eq!(result["capabilities"]["positionEncoding"], negotiated);
        client.open(&main, 1, MAIN);
        client.diagnostics(&main, Some(1));
        // The header's hover covers the whole line, counted in the encoding.
        let hover = client.request("textDocument/hover", position(&main, 2, 0));
        assert_eq!(hover["range"], range([2, 0], [2, line_end]), "{offered}");
        // An edit right after the dove lands there.
        client.change(&main, 2, [[2, after_dove], [2, after_dove]], "!");
        client.diagnostics(&main, Some(2));
        let symbols = client.request("textDocument/documentSymbol", document(&main));
        assert_eq!(symbols[0]["name"], "2025-10-21 Barış 🕊! Երևան", "{offered}");
        // A position inside the dove (between its UTF-16 units, or inside
        // its bytes), or past the end of the line or of the file, is
        // clamped rather than refused.
        for (line, character) in [(2, 20 + 6 + 1), (2, 20 + 8 + 2), (2, 500), (90, 3)] {
            for method in [
                "textDocument/hover",
                "textDocument/completion",
                "textDocument/definition",
            ] {
                let answer = client.call(method, position(&main, line, character));
                assert!(
                    answer.get("error").is_none(),
                    "{offered} {method} {line}:{character}: {answer}"
                );
            }
        }
        assert!(client.shutdown().success());
    }
}

/// The semantic tokens of a document, decoded: (line, start, length, type).
fn tokens(client: &mut Client, uri: &str, legend: &Value) -> Vec<(u64, u64, u64, String)> {
    let data = client.request("textDocument/semanticTokens/full", document(uri))["data"].clone();
    let data: Vec<u64> = data.as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
    assert_eq!(data.len() % 5, 0);
    let (mut line, mut start) = (0, 0);
    data.chunks(5)
        .map(|token| {
            if token[0] > 0 {
                start = 0;
            }
            line += token[0];
            start += token[1];
            let kind = legend["tokenTypes"][token[3] as usize].as_str().unwrap().to_owned();
            (line, start, token[2], kind)
        })
        .collect()
}

#[test]
fn symbols_folding_tokens_hints_and_links() {
    let directory = project();
    let main = uri(&directory.path().join("main.track2"));
    let people = uri(&directory.path().join("people.track2"));
    let mut client = Client::start(track2_in(directory.path(), &["lsp"]));
    let result = client.initialize(&["utf-8"], Value::Null);
    let legend = result["capabilities"]["semanticTokensProvider"]["legend"].clone();
    client.open(&main, 1, MAIN);
    client.open(&people, 1, PEOPLE);

    let symbols = client.request("textDocument/documentSymbol", document(&main));
    assert_eq!(symbols.as_array().unwrap().len(), 1);
    assert_eq!(symbols[0]["name"], "2025-10-21 Barış 🕊 Երևան");
    assert_eq!(symbols[0]["detail"], "AZ -> AM");
    let symbols = client.request("textDocument/documentSymbol", document(&people));
    assert_eq!(symbols.as_array().unwrap().len(), 5, "one per block: {symbols}");
    let found = client.request("workspace/symbol", json!({"query": "areg"}));
    assert_eq!(found[0]["name"], "areg-kochinyan");
    assert_eq!(found[0]["location"]["uri"], people);

    let folds = client.request("textDocument/foldingRange", document(&main));
    assert_eq!(folds, json!([{"startLine": 2, "endLine": 6, "kind": "region"}]));
    let folds = client.request("textDocument/foldingRange", document(&people));
    assert_eq!(
        folds.as_array().unwrap().len(),
        2,
        "the two persons span lines: {folds}"
    );

    let tokens = tokens(&mut client, &main, &legend);
    let first: Vec<_> = tokens.iter().take(3).cloned().collect();
    assert_eq!(
        first,
        [
            (0, 0, 7, "keyword".to_owned()),
            (0, 8, 15, "string".to_owned()),
            (2, 0, 10, "number".to_owned())
        ]
    );
    // Every line of the engagement has tokens.
    for line in 2..=6 {
        assert!(tokens.iter().any(|token| token.0 == line), "line {line}: {tokens:?}");
    }

    let everywhere = json!({"textDocument": {"uri": main}, "range": range([0, 0], [9, 0])});
    let hints = client.request("textDocument/inlayHint", everywhere.clone());
    assert_eq!(
        hints,
        json!([{"position": {"line": 6, "character": 21}, "label": "Արեգ Քոչինյան", "paddingLeft": true}])
    );
    assert!(client.shutdown().success());

    // Off when the client's options say so.
    let mut client = server(directory.path(), &["utf-8"], json!({"inlayHints": {"enabled": false}}));
    client.open(&main, 1, MAIN);
    let hints = client.request("textDocument/inlayHint", everywhere);
    assert!(hints.as_array().is_none_or(Vec::is_empty), "{hints}");
    assert!(client.shutdown().success());
}

#[test]
fn formatting_is_track2_fmt_and_leaves_a_broken_file_alone() {
    let messy = "include   \"people.track2\"\n\n\n2025-10-21   AZ ->  AM   Peace Bridge\n  id:    pb-1\n  format:   dialogue\n\n2025-10-22 AZ -> AM   Second round\n  format:  dialogue\n";
    let directory = project();
    fs::write(directory.path().join("main.track2"), messy).unwrap();
    let main = uri(&directory.path().join("main.track2"));
    let mut client = server(directory.path(), &["utf-8"], Value::Null);
    client.open(&main, 1, messy);
    let options = json!({"tabSize": 2, "insertSpaces": true});

    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": main}, "options": options}),
    );
    let formatted = apply(messy, &edits);
    let output = track2_in(directory.path(), &["fmt", "-"])
        .stdin(fs::File::open(directory.path().join("main.track2")).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(formatted, text(&output.stdout));
    assert_ne!(formatted, messy);

    // A range in the second engagement formats that block only.
    let edits = client.request(
        "textDocument/rangeFormatting",
        json!({"textDocument": {"uri": main}, "range": range([8, 2], [8, 4]), "options": options}),
    );
    let partly = apply(messy, &edits);
    assert!(
        partly.starts_with("include   \"people.track2\"\n\n\n2025-10-21   AZ ->  AM"),
        "{partly}"
    );
    assert!(
        partly.ends_with("2025-10-22 AZ -> AM Second round\n  format: dialogue\n"),
        "{partly}"
    );

    // A syntax error: `track2 fmt` refuses the file, and so does the server.
    client.change(&main, 2, [[4, 4], [4, 5]], "");
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": main}, "options": options}),
    );
    assert!(edits.as_array().is_none_or(Vec::is_empty), "{edits}");
    assert!(client.shutdown().success());
}

/// Replaces the whole document, as a client that sends full text does.
fn replace_all(client: &mut Client, uri: &str, version: i64, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
    );
}

#[test]
fn quick_fixes_repair_the_engagement_one_by_one() {
    let broken = "include \"people.track2\"\n\n2025-10-21 AZ -> AM Peace Bridge\n  participants: farhad-mammadv, areg-kochinyan\n";
    let directory = project();
    let main = uri(&directory.path().join("main.track2"));
    let people = uri(&directory.path().join("people.track2"));
    let mut client = server(directory.path(), &["utf-8"], Value::Null);
    client.open(&main, 1, broken);
    let mut diagnostics = client.diagnostics(&main, Some(1));
    let mut sorted = codes(&diagnostics);
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        ["missing-field", "participant-not-in-origin", "undeclared-person"]
    );

    let actions = |client: &mut Client, diagnostics: &[Value]| {
        client.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": main},
                "range": range([2, 0], [4, 0]),
                "context": {"diagnostics": diagnostics}
            }),
        )
    };
    let offered = actions(&mut client, &diagnostics);
    let titles: Vec<&str> = offered
        .as_array()
        .unwrap()
        .iter()
        .map(|action| action["title"].as_str().unwrap())
        .collect();
    for title in [
        "Replace with `farhad-mammadov`",
        "Declare person `farhad-mammadv` in people.track2",
        "Move `areg-kochinyan` to `met:`",
        "Add `format: dialogue`",
    ] {
        assert!(titles.contains(&title), "{title} in {titles:?}");
    }
    // The declaration goes into the file that declares persons.
    let declare = offered
        .as_array()
        .unwrap()
        .iter()
        .find(|action| action["title"].as_str().unwrap().starts_with("Declare"))
        .unwrap();
    let declared = apply(PEOPLE, &declare["edit"]["changes"][&people]);
    assert!(
        declared.ends_with("\nperson farhad-mammadv Farhad Mammadv\n"),
        "{declared}"
    );

    // Apply the fixes that stay in this file, one per round, until the
    // server has nothing left to report.
    let mut text = broken.to_owned();
    let mut version = 1;
    for title in ["Replace with", "Move", "Add `format"] {
        let offered = actions(&mut client, &diagnostics);
        let action = offered
            .as_array()
            .unwrap()
            .iter()
            .find(|action| action["title"].as_str().unwrap().starts_with(title))
            .unwrap_or_else(|| panic!("{title} in {offered}"))
            .clone();
        text = apply(&text, &action["edit"]["changes"][&main]);
        version += 1;
        replace_all(&mut client, &main, version, &text);
        diagnostics = client.diagnostics(&main, Some(version));
    }
    assert!(diagnostics.is_empty(), "{diagnostics:?}\n{text}");
    assert_eq!(
        text,
        "include \"people.track2\"\n\n2025-10-21 AZ -> AM Peace Bridge\n  format: dialogue\n  participants: farhad-mammadov\n  met: areg-kochinyan\n"
    );
    assert!(client.shutdown().success());
}

/// Every request the server answers about a document.
fn every_request(uri: &str, line: u32, character: u32) -> Vec<(&'static str, Value)> {
    let at = position(uri, line, character);
    let around = json!({"textDocument": {"uri": uri}, "range": range([0, 0], [line, character])});
    let mut with_context = at.clone();
    with_context["context"] = json!({"includeDeclaration": true});
    let mut renamed = at.clone();
    renamed["newName"] = json!("renamed");
    let mut ranged = around.clone();
    ranged["options"] = json!({"tabSize": 2, "insertSpaces": true});
    let mut actions = around.clone();
    actions["context"] = json!({"diagnostics": []});
    vec![
        ("textDocument/completion", at.clone()),
        ("textDocument/hover", at.clone()),
        ("textDocument/definition", at.clone()),
        ("textDocument/references", with_context),
        ("textDocument/prepareRename", at.clone()),
        ("textDocument/rename", renamed),
        ("textDocument/documentLink", document(uri)),
        ("textDocument/documentSymbol", document(uri)),
        ("textDocument/foldingRange", document(uri)),
        ("textDocument/semanticTokens/full", document(uri)),
        ("textDocument/semanticTokens/range", around.clone()),
        ("textDocument/inlayHint", around),
        (
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": ranged["options"]}),
        ),
        ("textDocument/rangeFormatting", ranged),
        ("textDocument/codeAction", actions),
    ]
}

#[test]
fn hostile_text_and_requests_get_answers_and_the_server_carries_on() {
    let directory = scratch(&[
        ("bad.track2", ""),
        ("main.track2", "include \"gone.track2\"\ninclude \"bad.track2\"\n"),
    ]);
    fs::write(directory.path().join("bad.track2"), b"party AM Arm\xffenia\n").unwrap();
    let main = uri(&directory.path().join("main.track2"));
    let bad = uri(&directory.path().join("bad.track2"));
    let mut client = server(directory.path(), &["utf-16"], Value::Null);
    client.open(&main, 1, "include \"gone.track2\"\ninclude \"bad.track2\"\n");
    assert_eq!(codes(&client.diagnostics(&main, Some(1))), ["include-not-found"]);
    assert_eq!(codes(&client.diagnostics(&bad, None)), ["invalid-utf8"]);

    // Half-typed text, asked everything at every position (and one past
    // the end of each line).
    let half_typed = [
        "2025-1",
        "2025-10-21 AZ -",
        "2025-10-21 AZ + +3 -> ",
        "2025-10-21..2025 AZ -> AM x\n  participants: ,, \n  met:",
        "person \n  party: \n  alias:",
        "include \"",
        "  participants: a\n\u{1F54A}\u{0000}\r",
    ];
    for (version, text) in half_typed.iter().enumerate() {
        let version = version as i64 + 2;
        replace_all(&mut client, &main, version, text);
        for (line, content) in text.split('\n').enumerate() {
            for character in 0..=content.encode_utf16().count() as u32 + 1 {
                for (method, params) in every_request(&main, line as u32, character) {
                    let answer = client.call(method, params);
                    if let Some(error) = answer.get("error") {
                        // Refusing a rename is an answer; an internal
                        // error is a caught panic, a bug.
                        assert_ne!(
                            error["code"], -32603,
                            "{method} on {text:?} at {line}:{character}: {answer}"
                        );
                    }
                }
            }
        }
    }

    // Not a method the server knows, parameters that are not the protocol's,
    // a document that was never opened.
    assert_eq!(
        client.call("textDocument/unheardOf", json!({}))["error"]["code"],
        -32601
    );
    assert_eq!(
        client.call("textDocument/hover", json!({"nonsense": 1}))["error"]["code"],
        -32602
    );
    let unopened = uri(&directory.path().join("never-opened.track2"));
    for (method, params) in every_request(&unopened, 0, 0) {
        let answer = client.call(method, params);
        assert!(
            answer.get("error").is_none_or(|error| error["code"] != -32603),
            "{method}: {answer}"
        );
    }
    // Still serving.
    replace_all(&mut client, &main, 100, "party AM Armenia\n");
    assert!(client.diagnostics(&main, Some(100)).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn ledgers_side_by_side_in_one_workspace_stay_apart() {
    let config = "paths = [\"main.track2\"]\nas-of = 2026-01-01\n";
    let directory = scratch(&[
        ("armenia/track2.toml", config),
        (
            "armenia/main.track2",
            "party AM Armenia\n\nperson ani Ani\n  party: AM\n",
        ),
        ("azerbaijan/track2.toml", config),
        (
            "azerbaijan/main.track2",
            "party AZ Azerbaijan\n\nperson aysel Aysel\n  party: AZ\n\nformat visit Visit\n\n2025-10-21 AZ -> online Call\n  format: visit\n  participants: ani\n",
        ),
    ]);
    let armenia = uri(&directory.path().join("armenia/main.track2"));
    let azerbaijan = uri(&directory.path().join("azerbaijan/main.track2"));
    let mut client = server(directory.path(), &["utf-8"], Value::Null);
    client.open(
        &armenia,
        1,
        &fs::read_to_string(directory.path().join("armenia/main.track2")).unwrap(),
    );
    let text = fs::read_to_string(directory.path().join("azerbaijan/main.track2")).unwrap();
    client.open(&azerbaijan, 1, &text);
    assert!(client.diagnostics(&armenia, Some(1)).is_empty());
    // Ani is declared only in the other ledger.
    assert_eq!(codes(&client.diagnostics(&azerbaijan, Some(1))), ["undeclared-person"]);
    let completion = client.request("textDocument/completion", position(&azerbaijan, 9, 16));
    let labels: Vec<&str> = completion["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["aysel"]);
    assert!(client.shutdown().success());
}
