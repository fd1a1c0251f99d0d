//! What editors read: `check --format gnu`, the TextMate grammar of the VS
//! Code package, and the Vim and Emacs files of `editors/`, each loaded in
//! the real editor.
//!
//! The editor tests run `vim` and `emacs` when they are installed and say
//! that they skip otherwise; under `CI=true` (where `.ci/run` installs them)
//! a missing editor fails instead, so that CI cannot pass by skipping.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use track2::schema::{self, BlockKind, ValueKind};
use track2::syntax::DeclarationKind;

use crate::support::{AS_OF, root, run, text};

const BROKEN: &str = "tests/fixtures/broken.track2";

/// A ledger with Armenian text before the columns of its diagnostics: where
/// characters, bytes and screen columns differ.
const ARMENIAN: &str = "party AM Հայաստան\nparty AZ Azərbaycan\nformat f F\n\
                        2025 AZ -> AM Բարեւ\n  format: f\n  participants: Բարեւ, x\n";

fn as_of() -> String {
    format!("--as-of={AS_OF}")
}

/// `check`'s output for `path` in `format`.
fn check(path: &str, format: &str) -> String {
    let output = run(&["check", path, &as_of(), "--format", format]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(text(&output.stderr), "");
    text(&output.stdout)
}

// ---------------------------------------------------------------------------
// check --format gnu

#[test]
fn gnu_output() {
    let gnu = check(BROKEN, "gnu");
    insta::assert_snapshot!("check_broken_gnu", gnu);
    // The README's example is three of these lines.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let example: String = gnu
        .lines()
        .skip_while(|line| !line.contains("[duplicate-entry-id]"))
        .take(3)
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(
        readme.contains(&format!("```\n{example}```")),
        "README's gnu example:\n{example}"
    );
}

#[test]
fn gnu_lines_agree_with_json() {
    let gnu = check(BROKEN, "gnu");
    let json: Value = serde_json::from_str(&check(BROKEN, "json")).unwrap();
    let mut expected = Vec::new();
    for diagnostic in json["diagnostics"].as_array().unwrap() {
        let at = |d: &Value| format!("{}:{}:{}", d["file"].as_str().unwrap(), d["line"], d["column"]);
        expected.push(format!(
            "{}: {}: {} [{}]",
            at(diagnostic),
            diagnostic["severity"].as_str().unwrap(),
            diagnostic["message"].as_str().unwrap(),
            diagnostic["code"].as_str().unwrap()
        ));
        if let Some(help) = diagnostic["help"].as_str() {
            expected.push(format!("{}: note: {help}", at(diagnostic)));
        }
        for related in diagnostic["related"].as_array().unwrap() {
            expected.push(format!(
                "{}: note: {}",
                at(related),
                related["message"].as_str().unwrap()
            ));
        }
    }
    assert_eq!(gnu.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn gnu_columns_count_characters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("script.track2");
    std::fs::write(&path, ARMENIAN).unwrap();
    let path = path.to_str().unwrap();
    let gnu = check(path, "gnu");
    let starts: Vec<_> = gnu
        .lines()
        .filter(|line| !line.contains(": note: "))
        .map(|line| line.strip_prefix(path).unwrap().split(": ").next().unwrap())
        .collect();
    assert_eq!(starts, [":6:17", ":6:24"]);
}

#[test]
fn gnu_masks_private_names_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("masked.track2");
    // a3 is private and sits on the wrong side: the warning would name them.
    std::fs::write(
        &path,
        "party AM Armenia\nparty AZ Azerbaijan\nformat f F\nperson a3 Arsen C\n  party: AM\n  private: yes\n\
         2025 AZ -> AM Visit\n  format: f\n  participants: a3\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let output = run(&["check", path, &as_of(), "--format=gnu"]);
    assert_eq!(output.status.code(), Some(0));
    let masked = text(&output.stdout);
    assert!(masked.contains("participant `[withheld]` is from `AM`"), "{masked}");
    assert!(!masked.contains("a3"), "{masked}");
    let output = run(&["check", path, &as_of(), "--format=gnu", "--include-private"]);
    assert!(text(&output.stdout).contains("participant `a3` is from `AM`"));
}

/// A file name or a message holding a line break or a terminal escape still
/// gives exactly one line per diagnostic, with nothing raw in it.
#[test]
fn gnu_keeps_one_diagnostic_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let name = "two\nlines\u{1b}[31m.track2";
    let path = dir.path().join(name);
    // The unknown key quotes a control character back in its message.
    std::fs::write(&path, "party AM Armenia\n  x\u{7f}y: z\n").unwrap();
    let output = run(&["check", path.to_str().unwrap(), &as_of(), "--format=gnu"]);
    assert_eq!(output.status.code(), Some(1));
    let gnu = text(&output.stdout);
    assert!(!gnu.contains('\u{1b}') && !gnu.contains('\u{7f}'), "{gnu:?}");
    let lines: Vec<_> = gnu.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(line.contains("two\\nlines\\u{1b}[31m.track2:2:"), "{line:?}");
    }
    let json: Value = serde_json::from_slice(&run(&["check", path.to_str().unwrap(), "--format=json"]).stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let notes: usize = diagnostics
        .iter()
        .map(|d| usize::from(!d["help"].is_null()) + d["related"].as_array().unwrap().len())
        .sum();
    assert_eq!(lines.len(), diagnostics.len() + notes);
}

// ---------------------------------------------------------------------------
// The TextMate grammar (VS Code)

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

fn block_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Declaration(declaration) => declaration.keyword(),
        BlockKind::Engagement => "engagement",
    }
}

fn block_kinds() -> impl Iterator<Item = BlockKind> {
    DeclarationKind::ALL
        .into_iter()
        .map(BlockKind::Declaration)
        .chain([BlockKind::Engagement])
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

// ---------------------------------------------------------------------------
// Editors run for real

/// The editor's command if it is installed. Otherwise the test is skipped
/// with a message, except under `CI=true`, where it fails.
fn editor(program: &str, version_flag: &str) -> Option<&'static str> {
    let found = Command::new(program)
        .arg(version_flag)
        .output()
        .is_ok_and(|output| output.status.success());
    if found {
        return Some(Box::leak(program.to_owned().into_boxed_str()));
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "`{program}` is not installed; .ci/run must install it"
    );
    eprintln!("skipped: `{program}` is not installed");
    None
}

/// A Vim string literal for `text` (single quotes, which take no escapes).
fn vim_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Runs `script` in `vim -u NONE` from the repository root with
/// `editors/vim` first on the runtime path; returns what it wrote with
/// `s:Say(...)`, and every error message Vim gave.
fn run_vim(vim: &str, script: &str) -> Vec<String> {
    run_vim_with(vim, script, &[])
}

/// [`run_vim`] with more environment variables.
fn run_vim_with(vim: &str, script: &str, environment: &[(&str, &std::ffi::OsStr)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let path = dir.path().join("script.vim");
    let runtime = root().join("editors/vim");
    let full = format!(
        "let s:out = []\n\
         function! s:Say(...)\n  call add(s:out, join(a:000, ' '))\nendfunction\n\
         let &runtimepath = {runtime} . ',' . &runtimepath\n\
         filetype plugin on\nsyntax on\n\
         try\n{script}\ncatch\n  call s:Say('exception', v:exception, v:throwpoint)\nendtry\n\
         call s:Say('errmsg', v:errmsg)\n\
         call writefile(s:out, {out})\nqa!\n",
        runtime = vim_string(runtime.to_str().unwrap()),
        out = vim_string(out.to_str().unwrap()),
    );
    std::fs::write(&path, full).unwrap();
    let output = Command::new(vim)
        .args(["-Nu", "NONE", "-i", "NONE", "-n", "-es", "-S"])
        .arg(&path)
        .current_dir(root())
        .envs(environment.iter().copied())
        .env("NO_COLOR", "1")
        .env_remove("TRACK2_LEDGER")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let said = std::fs::read_to_string(&out)
        .unwrap_or_else(|_| panic!("vim wrote nothing: {}{}", text(&output.stdout), text(&output.stderr)));
    let lines: Vec<String> = said.lines().map(str::to_owned).collect();
    assert_eq!(
        lines.last().map(String::as_str),
        Some("errmsg "),
        "Vim gave an error: {lines:#?}"
    );
    assert!(!lines.iter().any(|line| line.starts_with("exception")), "{lines:#?}");
    lines
}

/// A ledger with every key of every block, every enumerated value and every
/// kind of header, and the syntax group expected at each probed token.
struct VimSample {
    text: String,
    /// Line, byte column (both 1-based) and the group expected there.
    probes: Vec<(usize, usize, String)>,
}

impl VimSample {
    fn new() -> VimSample {
        VimSample {
            text: String::new(),
            probes: Vec::new(),
        }
    }

    /// Adds `line`, probing each `(token, group)`: the first occurrence of
    /// `token` in the line, after the previous token.
    fn line(&mut self, line: &str, probes: &[(&str, &str)]) {
        let number = self.text.lines().count() + 1;
        let mut from = 0;
        for (token, group) in probes {
            let at = from + line[from..].find(token).unwrap_or_else(|| panic!("{token} in {line}"));
            self.probes.push((number, at + 1, (*group).to_owned()));
            from = at + token.len();
        }
        self.text.push_str(line);
        self.text.push('\n');
    }
}

/// What a value of each kind looks like, and its group in Vim.
fn vim_values(key: &str, value: ValueKind) -> Vec<(&'static str, String)> {
    match value {
        ValueKind::Text => vec![("Հայաստան Azərbaycan", "track2Text".into())],
        ValueKind::Id => vec![("peace-bridge_2.0", "track2Reference".into())],
        ValueKind::IdList => vec![("gov-am", "track2ListItem".into())],
        ValueKind::Participants => vec![
            ("rusif-huseynov", "track2ListItem".into()),
            ("+4 AZ", "track2Count".into()),
        ],
        ValueKind::Url => vec![("https://example.org/a?b#c", "track2Url".into())],
        ValueKind::Date => vec![
            ("2026-06", "track2DateValue".into()),
            ("2026-01-15..2026-02-01", "track2DateValue".into()),
        ],
        ValueKind::Choice(words) => words
            .iter()
            .map(|word| (*word, format!("track2Choice_{key}")))
            .collect(),
        ValueKind::Wikidata => vec![("Q399", "track2Wikidata".into())],
    }
}

fn vim_sample() -> VimSample {
    let mut sample = VimSample::new();
    sample.line("# A comment.", &[("#", "track2Comment")]);
    sample.line(
        "include \"people.track2\"",
        &[("include", "track2Include"), ("\"people", "track2IncludePath")],
    );
    for kind in block_kinds() {
        match kind {
            BlockKind::Declaration(declaration) => sample.line(
                &format!("{} some-id.1_x Հայաստան", declaration.keyword()),
                &[
                    (declaration.keyword(), "track2Declaration"),
                    ("some-id.1_x", "track2DeclaredId"),
                    ("Հայաստան", "track2Name"),
                ],
            ),
            BlockKind::Engagement => sample.line(
                "2025-10-21..2025-10-22 AM + AZ -> NL Բարեւ, Azərbaycan",
                &[
                    ("2025", "track2Date"),
                    ("AM", "track2Party"),
                    ("+", "track2Joint"),
                    ("AZ", "track2Party"),
                    ("->", "track2Arrow"),
                    ("NL", "track2Destination"),
                    ("Բարեւ", "track2Title"),
                ],
            ),
        }
        for spec in schema::fields(kind) {
            for (value, group) in vim_values(spec.key, spec.value) {
                let line = format!("  {}: {value}", spec.key);
                let value_group = group.as_str();
                sample.line(&line, &[(spec.key, "key"), (value, value_group)]);
            }
        }
        sample.line("  x-budget: AMD 17.5 million", &[("x-budget", "track2CustomKey")]);
        sample.line("  venu: Yerevan", &[("venu", "track2UnknownKey")]);
        sample.line("", &[]);
    }
    sample.line(
        "2025 AM->online Call",
        &[
            ("2025", "track2Date"),
            ("AM", "track2Party"),
            ("->", "track2Arrow"),
            ("online", "track2Online"),
            ("Call", "track2Title"),
        ],
    );
    sample.line("  wikidata: Q1", &[("wikidata", "track2UnknownKey")]);
    sample.line("2025 AM -> onlineforum Call", &[("onlineforum", "track2Destination")]);
    sample.line("  track: 3", &[("3", "track2BadValue")]);
    sample.line("  status: private", &[("private", "track2BadValue")]);
    sample.line(
        "  sponsors: a, 3b, c",
        &[
            ("a", "track2ListItem"),
            ("3b", "track2ListBadItem"),
            ("c", "track2ListItem"),
        ],
    );
    sample.line("  format dialogue", &[("format", "track2FieldWithoutColon")]);
    sample.line("-party AM Armenia", &[("-", "track2MalformedLine")]);
    sample
}

/// Vim's filetype, options and syntax groups on a sample of every token: the
/// files load without an error, and the syntax knows every key the schema
/// has (a new key coloured as unknown fails here).
#[test]
fn vim_files_load_and_colour_every_token() {
    let Some(vim) = editor("vim", "--version") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sample = vim_sample();
    let path = dir.path().join("sample.track2");
    std::fs::write(&path, &sample.text).unwrap();
    let mut script = format!(
        "execute 'edit ' . fnameescape({})\n",
        vim_string(path.to_str().unwrap())
    );
    script.push_str(
        "call s:Say('filetype', &filetype)\n\
         call s:Say('syntax', b:current_syntax)\n\
         call s:Say('commentstring', &commentstring)\n\
         call s:Say('formatprg', &formatprg)\n\
         call s:Say('iskeyword', &iskeyword)\n\
         call s:Say('makeprg', &makeprg)\n\
         call s:Say('compiler', b:current_compiler)\n\
         call s:Say('unknown key links to', synIDattr(synIDtrans(hlID('track2UnknownKey')), 'name'))\n\
         call s:Say('comment links to', synIDattr(synIDtrans(hlID('track2Comment')), 'name'))\n",
    );
    // The word under the cursor in the middle of an id is the whole id.
    let (id_line, id_text) = sample
        .text
        .lines()
        .enumerate()
        .find(|(_, line)| line.contains("rusif-huseynov"))
        .unwrap();
    let id_column = id_text.find("huseynov").unwrap() + 1;
    script.push_str(&format!(
        "call cursor({}, {id_column})\ncall s:Say('word', expand('<cword>'))\n",
        id_line + 1
    ));
    for (line, column, _) in &sample.probes {
        script.push_str(&format!(
            "call s:Say('at', {line}, {column}, synIDattr(synID({line}, {column}, 1), 'name'))\n"
        ));
    }
    let said = run_vim(vim, &script);
    let settings = &said[..10];
    assert_eq!(
        settings,
        [
            "filetype track2",
            "syntax track2",
            "commentstring # %s",
            "formatprg track2 fmt -",
            "iskeyword @,48-57,_,-,.,192-255",
            "makeprg track2 check --format gnu",
            "compiler track2",
            "unknown key links to Error",
            "comment links to Comment",
            "word rusif-huseynov",
        ]
    );
    let mut wrong = Vec::new();
    for ((line, column, expected), got) in sample.probes.iter().zip(&said[10..]) {
        let group = got.rsplit(' ').next().unwrap();
        let text_line = sample.text.lines().nth(line - 1).unwrap();
        let fine = if expected == "key" {
            group.starts_with("track2") && group.contains("Key") && group != "track2UnknownKey"
        } else {
            group == expected
        };
        if !fine {
            wrong.push(format!("{line}:{column} `{text_line}`: {group}, expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(said.len(), 10 + sample.probes.len() + 1);
}

/// `:make` runs `check --format gnu` and its errorformat reads one quickfix
/// entry per diagnostic, at the line and column JSON gives, with the hint
/// and related notes after the message; a jump to each lands on the right
/// character, after Armenian text too.
#[test]
fn vim_make_fills_the_quickfix_list() {
    let Some(vim) = editor("vim", "--version") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let armenian = dir.path().join("armenian.track2");
    std::fs::write(&armenian, ARMENIAN).unwrap();
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_track2"));
    let search_path = std::env::join_paths(
        std::iter::once(binary.parent().unwrap().to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    for ledger in [PathBuf::from(BROKEN), armenian] {
        let ledger = ledger.to_str().unwrap();
        let json: Value = serde_json::from_str(&check(ledger, "json")).unwrap();
        let diagnostics = json["diagnostics"].as_array().unwrap();
        let script = format!(
            "compiler track2\n\
             execute 'silent make!' shellescape({ledger}, 1) '--as-of={AS_OF}'\n\
             for s:entry in getqflist()\n  \
               call s:Say(s:entry.valid, bufname(s:entry.bufnr), s:entry.lnum, s:entry.col, s:entry.vcol, s:entry.type, \
                 substitute(s:entry.text, '\\n', ' | ', 'g'))\n\
             endfor\n\
             for s:index in range(1, len(getqflist()))\n  \
               silent execute 'cc' s:index\n  \
               call s:Say('cursor', line('.'), charcol('.'))\n\
             endfor\n",
            ledger = vim_string(ledger),
        );
        let said = run_vim_with(vim, &script, &[("PATH", search_path.as_os_str())]);
        assert_eq!(said.len(), 2 * diagnostics.len() + 1, "{said:#?}");
        let entries = &said[..diagnostics.len()];
        let cursors = &said[diagnostics.len()..said.len() - 1];
        for ((diagnostic, entry), cursor) in diagnostics.iter().zip(entries).zip(cursors) {
            let kind = if diagnostic["severity"] == "error" { "E" } else { "W" };
            let mut message = format!(
                "{} [{}]",
                diagnostic["message"].as_str().unwrap(),
                diagnostic["code"].as_str().unwrap()
            );
            if let Some(help) = diagnostic["help"].as_str() {
                message.push_str(&format!(" | {help}"));
            }
            for related in diagnostic["related"].as_array().unwrap() {
                message.push_str(&format!(" | {}", related["message"].as_str().unwrap()));
            }
            let expected = format!(
                "1 {} {} {} 1 {kind} {message}",
                diagnostic["file"].as_str().unwrap(),
                diagnostic["line"],
                diagnostic["column"]
            );
            assert_eq!(entry, &expected);
            assert_eq!(
                cursor,
                &format!("cursor {} {}", diagnostic["line"], diagnostic["column"])
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Emacs

/// Runs `forms` in `emacs --batch -Q` with `track2-mode` loaded, from the
/// repository root; returns what they printed with `princ`.
fn run_emacs(emacs: &str, forms: &str) -> String {
    let mode = root().join("editors/emacs/track2-mode.el");
    let output = Command::new(emacs)
        .args(["--batch", "-Q", "-l"])
        .arg(&mode)
        .arg("--eval")
        .arg(format!("(progn {forms})"))
        .current_dir(root())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "emacs failed: {}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stdout)
}

/// The mode loads, is chosen for `.track2` files, fontifies every kind of
/// token with its face, lists declarations and engagements in imenu, and
/// knows `#` comments; `compile` reads gnu lines as errors and warnings.
#[test]
fn emacs_mode_loads_and_fontifies() {
    let Some(emacs) = editor("emacs", "--version") else {
        return;
    };
    let sample = root().join("editors/vscode/test/samples/engagements.track2");
    let declarations = root().join("editors/vscode/test/samples/declarations.track2");
    let forms = format!(
        r##"
        (find-file {sample:?})
        (font-lock-ensure)
        (princ (format "mode %s\n" major-mode))
        (princ (format "comment-start %S\n" comment-start))
        (dolist (probe '(("2025-10-21..2025-10-22" . nil) ("AZ -> AM" . nil) ("->" . nil)
                         ("Peace Bridge, first" . nil) ("  id" . 2) ("pb-1" . nil)
                         ("chatham-house" . nil) ("+4" . nil) ("https://" . nil)
                         ("x-budget" . 2) ("include" . nil) ("\"people" . nil) ("online" . nil)
                         ("Sülh" . nil) ("+ AZ -> NL" . nil) ("held" . nil)
                         ("rusif-huseynov, +4" . nil)))
          (goto-char (point-min))
          (search-forward (car probe))
          (goto-char (+ (match-beginning 0) (or (cdr probe) 0)))
          (princ (format "face %s %S\n" (car probe) (get-text-property (point) 'face))))
        (goto-char (point-min))
        (search-forward "# SYNTAX")
        (princ (format "in-comment %S\n" (nth 4 (syntax-ppss))))
        (require 'imenu)
        (dolist (file (list {sample:?} {declarations:?}))
          (find-file file)
          (princ (format "imenu %S\n"
                   (mapcar (lambda (group) (cons (car group) (mapcar #'car (cdr group))))
                           (funcall imenu-create-index-function)))))
        ;; Emacs 29 has Eglot built in; an older one may have none, so the
        ;; entry is checked as Eglot's loading would add it.
        (defvar eglot-server-programs nil)
        (unless (featurep 'eglot) (provide 'eglot))
        (princ (format "eglot %S\n" (assoc 'track2-mode eglot-server-programs)))
        (with-temp-buffer
          (insert "a.track2:16:17: error: undeclared person `x` [undeclared-person]\na.track2:16:17: note: did you mean `y`?\na.track2:3:1: warning: w [held-in-future]\n")
          (compilation-mode)
          (let ((inhibit-read-only t))
            (compilation-parse-errors (point-min) (point-max)))
          (goto-char (point-min))
          (let (found)
            (while (not (eobp))
              (let ((message (get-text-property (point) 'compilation-message)))
                (when message
                  (push (format "%d:%d/%d"
                                (compilation--loc->line (compilation--message->loc message))
                                (compilation--loc->col (compilation--message->loc message))
                                (compilation--message->type message))
                        found)))
              (forward-line 1))
            (princ (format "compile %S\n" (reverse found)))))
        "##,
        sample = sample.to_str().unwrap(),
        declarations = declarations.to_str().unwrap(),
    );
    let printed = run_emacs(emacs, &forms);
    insta::assert_snapshot!("emacs_fontification", printed);
}

/// The mode's lists of keys and enumerated values are the schema's.
#[test]
fn emacs_mode_knows_the_schemas_keys_and_values() {
    let Some(emacs) = editor("emacs", "--version") else {
        return;
    };
    let printed = run_emacs(
        emacs,
        r#"(dolist (block track2-field-keys)
             (princ (format "%s:%s\n" (car block) (mapconcat #'symbol-name (cdr block) " "))))
           (dolist (enumeration track2-enumerations)
             (princ (format "%s=%s\n" (car enumeration) (mapconcat #'identity (cdr enumeration) " "))))
           (princ (format "directives %s\n" (mapconcat #'identity track2-directives " ")))"#,
    );
    let mut expected = String::new();
    let mut enumerations = String::new();
    for kind in block_kinds() {
        let keys: Vec<_> = schema::fields(kind).iter().map(|spec| spec.key).collect();
        expected.push_str(&format!("{}:{}\n", block_name(kind), keys.join(" ")));
        for spec in schema::fields(kind) {
            if let ValueKind::Choice(words) = spec.value {
                enumerations.push_str(&format!("{}={}\n", spec.key, words.join(" ")));
            }
        }
    }
    expected.push_str(&enumerations);
    let directives: Vec<_> = DeclarationKind::ALL.map(DeclarationKind::keyword).to_vec();
    expected.push_str(&format!("directives {} include\n", directives.join(" ")));
    assert_eq!(printed, expected);
}

// ---------------------------------------------------------------------------
// Helix and Zed

/// A TOML file of `editors/` as JSON, read by Python's `tomllib`.
fn toml(python: &str, path: &str) -> Value {
    let output = Command::new(python)
        .args([
            "-c",
            "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))",
        ])
        .arg(root().join(path))
        .output()
        .unwrap();
    assert!(output.status.success(), "{path}: {}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Helix's and Zed's files are TOML holding the entries each editor reads:
/// the file type, the comment token and `track2 lsp`.
#[test]
fn helix_and_zed_files_start_the_server() {
    let Some(python) = editor("python3", "--version") else {
        return;
    };
    let helix = toml(python, "editors/helix/languages.toml");
    let language = &helix["language"][0];
    assert_eq!(language["name"], "track2");
    assert_eq!(language["file-types"], serde_json::json!(["track2"]));
    assert_eq!(language["comment-token"], "#");
    assert_eq!(language["language-servers"], serde_json::json!(["track2"]));
    assert_eq!(
        language["formatter"],
        serde_json::json!({"command": "track2", "args": ["fmt", "-"]})
    );
    assert_eq!(
        helix["language-server"]["track2"],
        serde_json::json!({"command": "track2", "args": ["lsp"]})
    );

    let zed = toml(python, "editors/zed/extension.toml");
    assert_eq!(zed["id"], "track2");
    assert_eq!(
        zed["language_servers"]["track2"]["languages"],
        serde_json::json!(["track2"])
    );
    let config = toml(python, "editors/zed/languages/track2/config.toml");
    assert_eq!(config["name"], "track2");
    assert_eq!(config["path_suffixes"], serde_json::json!(["track2"]));
    assert_eq!(config["line_comments"], serde_json::json!(["# "]));
    let extension = std::fs::read_to_string(root().join("editors/zed/src/lib.rs")).unwrap();
    assert!(extension.contains(r#"worktree.which("track2")"#) && extension.contains(r#"vec!["lsp".into()]"#));
}

/// `M-x track2-format-buffer` gives what `track2 fmt -` gives, and leaves a
/// buffer with a syntax error as it is.
#[test]
fn emacs_formats_through_track2_fmt() {
    let Some(emacs) = editor("emacs", "--version") else {
        return;
    };
    let messy = "party AM   Armenia\nformat f F\n2025 AM+AZ->NL  Title\n\tformat:f\n";
    let mut fmt = crate::support::track2(&["fmt", "-"]);
    let canonical = {
        use std::io::Write as _;
        let mut child = fmt
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(messy.as_bytes()).unwrap();
        text(&child.wait_with_output().unwrap().stdout)
    };
    assert_ne!(canonical, messy);
    let broken = "party AM\n  wikidata Q1\n";
    let forms = format!(
        r#"(setq track2-program {program:?})
           (dolist (text (list {messy:?} {broken:?}))
             (with-temp-buffer
               (insert text)
               (track2-mode)
               (track2-format-buffer)
               (princ (buffer-string))
               (princ "--\n")))"#,
        program = env!("CARGO_BIN_EXE_track2"),
    );
    assert_eq!(run_emacs(emacs, &forms), format!("{canonical}--\n{broken}--\n"));
}

/// Every `.track2` file below `directory`.
fn ledger_files(directory: &std::path::Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            ledger_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "track2") {
            found.push(path);
        }
    }
}

/// Vim marks nothing as an error in any valid ledger: the conformance
/// corpus (CRLF, BOM, tabs, every field) and the real ledgers.
#[test]
fn vim_marks_nothing_in_valid_ledgers() {
    let Some(vim) = editor("vim", "--version") else {
        return;
    };
    let mut files = Vec::new();
    ledger_files(&root().join("grammar/tests/valid"), &mut files);
    ledger_files(&root().join("ledgers"), &mut files);
    assert!(files.len() > 20);
    let list = files
        .iter()
        .map(|file| vim_string(file.to_str().unwrap()))
        .collect::<Vec<_>>()
        .join(", ");
    let script = format!(
        "for s:file in [{list}]\n  \
           execute 'edit ' . fnameescape(s:file)\n  \
           for s:line in range(1, line('$'))\n    \
             for s:column in range(1, len(getline(s:line)))\n      \
               if synIDattr(synIDtrans(synID(s:line, s:column, 1)), 'name') ==# 'Error'\n        \
                 call s:Say(fnamemodify(s:file, ':.') . ':' . s:line . ':' . s:column, synIDattr(synID(s:line, s:column, 1), 'name'))\n        \
                 break\n      \
               endif\n    \
             endfor\n  \
           endfor\n  \
           call s:Say('read', &filetype)\n\
         endfor\n"
    );
    let said = run_vim(vim, &script);
    let marked: Vec<_> = said
        .iter()
        .filter(|line| !line.starts_with("read ") && !line.starts_with("errmsg"))
        .collect();
    assert!(marked.is_empty(), "{marked:#?}");
    assert_eq!(said.iter().filter(|line| *line == "read track2").count(), files.len());
}

/// Emacs marks nothing as a mistake in any valid ledger.
#[test]
fn emacs_marks_nothing_in_valid_ledgers() {
    let Some(emacs) = editor("emacs", "--version") else {
        return;
    };
    let mut files = Vec::new();
    ledger_files(&root().join("grammar/tests/valid"), &mut files);
    ledger_files(&root().join("ledgers"), &mut files);
    let list: Vec<_> = files
        .iter()
        .map(|file| format!("{:?}", file.to_str().unwrap()))
        .collect();
    let forms = format!(
        r#"(dolist (file (list {}))
             (with-current-buffer (find-file-noselect file)
               (font-lock-ensure)
               (goto-char (point-min))
               (let ((match (text-property-search-forward 'face 'font-lock-warning-face t)))
                 (when match
                   (princ (format "%s:%d %s\n" file (line-number-at-pos (prop-match-beginning match))
                                  (buffer-substring (prop-match-beginning match) (prop-match-end match))))))
               (princ (format "read %s\n" major-mode))))"#,
        list.join(" ")
    );
    let printed = run_emacs(emacs, &forms);
    let marked: Vec<_> = printed.lines().filter(|line| !line.starts_with("read ")).collect();
    assert!(marked.is_empty(), "{marked:#?}");
    assert_eq!(
        printed.lines().filter(|line| *line == "read track2-mode").count(),
        files.len()
    );
}

/// The codes whose fault shows on its line alone, without the rest of the
/// ledger or the calendar: every editor marks each of them on its line.
const LEXICAL_CODES: &[&str] = &[
    "empty-list-item",
    "field-outside-block",
    "invalid-count",
    "invalid-url",
    "invalid-value",
    "malformed-direction",
    "malformed-field",
    "malformed-include",
    "malformed-line",
    "missing-colon",
    "unknown-directive",
    "unknown-field",
];

/// The single-file invalid cases of the corpus, each with the lines of its
/// lexical faults (1-based) and their codes.
fn lexical_cases() -> Vec<(PathBuf, Vec<(usize, String)>)> {
    let directory = root().join("grammar/tests/invalid");
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(&directory).unwrap() {
        let errors = entry.unwrap().path();
        let ledger = errors.with_extension("track2");
        if errors.extension().is_none_or(|extension| extension != "errors") || !ledger.is_file() {
            continue;
        }
        let faults: Vec<(usize, String)> = std::fs::read_to_string(&errors)
            .unwrap()
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .filter_map(|line| {
                let (position, code) = line.trim().split_once(' ')?;
                let line: usize = position.split(':').next()?.parse().ok()?;
                LEXICAL_CODES.contains(&code).then(|| (line, code.to_owned()))
            })
            .collect();
        if !faults.is_empty() {
            cases.push((ledger, faults));
        }
    }
    cases.sort();
    cases
}

/// Vim marks every lexical fault of the invalid corpus on its line.
#[test]
fn vim_marks_every_mistake_visible_on_its_line() {
    let Some(vim) = editor("vim", "--version") else {
        return;
    };
    let cases = lexical_cases();
    let seen: BTreeSet<&str> = cases
        .iter()
        .flat_map(|(_, faults)| faults.iter().map(|(_, code)| code.as_str()))
        .collect();
    assert_eq!(seen, LEXICAL_CODES.iter().copied().collect(), "each code has a case");
    let list = cases
        .iter()
        .map(|(file, _)| vim_string(file.to_str().unwrap()))
        .collect::<Vec<_>>()
        .join(", ");
    let script = format!(
        "for s:file in [{list}]\n  \
           execute 'edit ' . fnameescape(s:file)\n  \
           for s:line in range(1, line('$'))\n    \
             for s:column in range(1, max([1, len(getline(s:line))]))\n      \
               if synIDattr(synIDtrans(synID(s:line, s:column, 1)), 'name') ==# 'Error'\n        \
                 call s:Say(s:file, s:line)\n        \
                 break\n      \
               endif\n    \
             endfor\n  \
           endfor\n\
         endfor\n"
    );
    let said: BTreeSet<String> = run_vim(vim, &script).into_iter().collect();
    let mut missed = Vec::new();
    for (file, faults) in &cases {
        for (line, code) in faults {
            if !said.contains(&format!("{} {line}", file.to_str().unwrap())) {
                missed.push(format!("{}:{line} {code}", file.file_name().unwrap().to_str().unwrap()));
            }
        }
    }
    assert!(missed.is_empty(), "{missed:#?}");
}

/// Vim colours a line deep in a long file, queried first, by the block it is
/// in: it starts parsing at the nearest block header above (the sync
/// patterns; how fast that is, is measured in the report, not here).
#[test]
fn vim_syncs_on_block_headers() {
    let Some(vim) = editor("vim", "--version") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.track2");
    let mut ledger = String::from("party AM Armenia\nparty AZ Azerbaijan\nformat f F\n");
    for day in 0..3000 {
        ledger.push_str(&format!(
            "\n2025 AZ -> AM Visit {day}\n  format: f\n  note: A long block.\n\n  participants: +3 AZ\n"
        ));
    }
    ledger.push_str("\nperson p P\n  kind: government\n  private: yes\n");
    std::fs::write(&path, &ledger).unwrap();
    let lines = ledger.lines().count();
    let script = format!(
        "execute 'edit ' . fnameescape({path})\n\
         call s:Say(synIDattr(synID({participants}, 3, 1), 'name'))\n\
         call s:Say(synIDattr(synID({kind}, 3, 1), 'name'))\n\
         call s:Say(synIDattr(synID({private}, 3, 1), 'name'))\n",
        path = vim_string(path.to_str().unwrap()),
        participants = lines - 4,
        kind = lines - 1,
        private = lines,
    );
    let said = run_vim(vim, &script);
    assert_eq!(said[..3], ["track2ListKey", "track2UnknownKey", "track2Key_private"]);
}
