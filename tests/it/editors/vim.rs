//! Vim and Neovim's files, loaded in `vim -u NONE`: options, syntax groups
//! on every token, `:make` into the quickfix list, the corpus, syncing.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use track2::schema::{self, BlockKind, ValueKind};

use super::{ARMENIAN, BROKEN, block_kinds, check, editor, ledger_files};
use crate::support::{AS_OF, root, text};

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
            "makeprg track2 check --output gnu",
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

/// `:make` runs `check --output gnu` and its errorformat reads one quickfix
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
