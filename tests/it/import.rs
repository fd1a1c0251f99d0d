//! `track2 import`: the fixture sheet of thirty engagements (CSV, XLSX and
//! ODS) into the bundled ledger, a sheet with mistakes, `--into`, the guess,
//! hostile sheets, and the round trip from `export --output csv` back to the
//! same model, on the bundled ledger and on generated ones.

use std::fs;
use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::Value;

use crate::support::{cases, options, root, run, text, track2, track2_in};
use track2::export::LedgerDocument;
use track2::import::directory::Directory;
use track2::import::rules::{self, Rules};
use track2::import::source::{self, ReadOptions};
use track2::loader;

const FIXTURES: &str = "tests/fixtures/import";
const RULES: &str = "tests/fixtures/import/engagements.rules.toml";
const EXPORT_RULES: &str = "grammar/import/export.rules.toml";
const AS_OF_ARG: &str = "--as-of=2026-01-01";

/// A copy of the bundled ledger in a temporary directory, to write into.
fn ledger_copy() -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(root().join("ledgers")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, directory.path().join(path.file_name().unwrap())).unwrap();
    }
    directory
}

/// The model of a ledger as JSON, after checking that it has no error.
fn model(paths: &[PathBuf]) -> Value {
    let loaded = loader::load(&track2::Disk, paths, &track2::LoadOptions::default()).unwrap();
    let analysis = track2::check(&loaded, &options());
    let errors: Vec<_> = analysis.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    serde_json::to_value(LedgerDocument::new(&analysis.ledger)).unwrap()
}

fn import_fixture(sheet: &str) -> std::process::Output {
    let path = format!("{FIXTURES}/{sheet}");
    run(&["import", &path, "--rules", RULES, AS_OF_ARG, "ledgers"])
}

#[test]
fn the_fixture_sheet_becomes_records_that_check_clean_with_the_ledger() {
    let output = import_fixture("engagements.csv");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let records = text(&output.stdout);
    insta::assert_snapshot!("import_fixture_records", records);

    // Thirty engagements, every one checked together with ledgers/.
    assert_eq!(records.lines().filter(|line| line.starts_with("20")).count(), 30);
    let ledger = ledger_copy();
    fs::write(ledger.path().join("imported.track2"), &records).unwrap();
    let document = model(&[ledger.path().to_path_buf()]);
    assert_eq!(document["engagements"].as_array().unwrap().len(), 34);

    // Declared people are reused whatever the script or spelling: no new
    // declaration for them, their ids in the records.
    for (written, id) in [
        ("Rusif Hüseynov", "rusif-huseynov"),
        ("Zaur Şiriyev", "zaur-shiriyev"),
        ("Kamalə Məmmədova", "kamala-mammadova"),
        ("Dilara Efendiyeva", "dilara-afandiyeva"),
        ("Արեգ Քոչինյան", "areg-kochinyan"),
        ("Բորիս Նավասարդյան", "boris-navasardyan"),
    ] {
        assert!(!records.contains(written), "{written} was declared anew");
        assert!(records.contains(id), "{id} is not reused");
    }
    assert!(records.contains("person tigran-pordzyan Տիգրան Փորձյան\n  party: AM\n"));
    assert!(records.contains("person leyla-numunali Leyla Nümunəli\n  party: AZ\n"));
    assert!(records.contains("org fictional-dialogue-fund Fictional Dialogue Fund\n"));
    assert!(
        records.contains(
            "2025-05 AM -> AZ Fictional off-record consultation\n  format: dialogue\n  confidential: private\n"
        )
    );
    assert!(records.contains("2024-03-21..2024-03-22 AM + AZ -> CH Fictional trilateral workshop in Geneva\n"));

    // The near matches are reported with both spellings, not merged.
    assert!(
        stderr.contains("import: 30 rows read, 30 engagements made; people: 15 reused, 7 new; orgs: 4 reused, 1 new")
    );
    assert!(stderr.contains("2 near matches to review"));
    assert!(
        stderr.contains("`Ramil İsgəndərli` (made `ramil-isgandarli`) is near `Ramil Iskandarli` (`ramil-iskandarli`)")
    );
    assert!(stderr.contains("`Leila Numunali` (made `leila-numunali`) is near `Leyla Nümunəli` (`leyla-numunali`)"));
}

#[test]
fn the_same_sheet_as_xlsx_or_ods_gives_the_same_records() {
    let csv = import_fixture("engagements.csv");
    for workbook in ["engagements.xlsx", "engagements.ods"] {
        let output = import_fixture(workbook);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert_eq!(text(&output.stdout), text(&csv.stdout), "{workbook}");
        let stderr = text(&output.stderr).replace(workbook, "engagements.csv");
        assert_eq!(stderr, text(&csv.stderr), "{workbook}");
    }
}

#[test]
fn a_workbooks_sheet_is_chosen_by_name() {
    let path = format!("{FIXTURES}/engagements.xlsx");
    let output = run(&[
        "import",
        &path,
        "--sheet",
        "Engagements",
        "--rules",
        RULES,
        AS_OF_ARG,
        "ledgers",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let output = run(&[
        "import", &path, "--sheet", "Visits", "--rules", RULES, AS_OF_ARG, "ledgers",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[no-such-sheet]: the workbook has no sheet `Visits`"),
        "{stderr}"
    );
    assert!(stderr.contains("help: its sheets are `Engagements`"), "{stderr}");
}

#[test]
fn the_workbook_is_what_its_script_makes() {
    // The committed workbooks are the script's output for the committed
    // CSV: rerun it into a temporary copy only when Python is there.
    let Ok(status) = std::process::Command::new("python3").arg("--version").output() else {
        return;
    };
    if !status.status.success() {
        return;
    }
    let directory = tempfile::tempdir().unwrap();
    for name in ["engagements.csv", "make_workbooks.py"] {
        fs::copy(root().join(FIXTURES).join(name), directory.path().join(name)).unwrap();
    }
    let made = std::process::Command::new("python3")
        .arg(directory.path().join("make_workbooks.py"))
        .status()
        .unwrap();
    assert!(made.success());
    for name in ["engagements.xlsx", "engagements.ods"] {
        assert_eq!(
            fs::read(directory.path().join(name)).unwrap(),
            fs::read(root().join(FIXTURES).join(name)).unwrap(),
            "{name} differs from what make_workbooks.py writes"
        );
    }
}

#[test]
fn a_bad_sheet_lists_every_problem_at_its_cell_and_writes_nothing() {
    let ledger = ledger_copy();
    let into = ledger.path().join("2025.track2");
    let before = fs::read(&into).unwrap();
    let sheet = root().join(FIXTURES).join("bad.csv");
    let output = track2(&[
        "import",
        sheet.to_str().unwrap(),
        "--rules",
        RULES,
        AS_OF_ARG,
        "--into",
        into.to_str().unwrap(),
        "--format",
        "json",
        ledger.path().to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(fs::read(&into).unwrap(), before, "nothing is written");
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, u64, u64)> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert!(d["file"].as_str().unwrap().ends_with("bad.csv"));
            assert!(d["help"].is_string() || d["code"] == "missing-value", "{d}");
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("date-not-in-calendar", 2, 1),
        ("unknown-party", 3, 2),
        ("month-range", 4, 1),
        ("unknown-party", 4, 3),
        ("bad-count", 4, 9),
        ("missing-value", 5, 4),
        // A ledger diagnostic of the generated text, at the cell it came from.
        ("invalid-url", 6, 11),
    ];
    let expected: Vec<(String, u64, u64)> = expected
        .iter()
        .map(|(code, row, column)| ((*code).to_owned(), *row, *column))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(document["errors"], 7);
    assert_eq!(document["records"], Value::Null);
    assert_eq!(document["written_to"], Value::Null);
}

#[test]
fn human_output_names_the_cell_and_its_column() {
    let output = run(&[
        "import",
        "tests/fixtures/import/bad.csv",
        "--rules",
        RULES,
        AS_OF_ARG,
        "ledgers",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    insta::assert_snapshot!("import_bad_human", text(&output.stderr));
}

#[test]
fn into_appends_atomically_and_the_ledger_stays_valid() {
    let ledger = ledger_copy();
    let into = ledger.path().join("2025.track2");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&into, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let before = fs::read_to_string(&into).unwrap();
    let sheet = root().join(FIXTURES).join("engagements.csv");
    let rules = root().join(RULES);
    let output = track2_in(
        ledger.path(),
        &[
            "import",
            sheet.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
            AS_OF_ARG,
            "--into",
            "2025.track2",
            ".",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "", "records go to the file, not stdout");
    assert!(text(&output.stderr).contains("appended to 2025.track2"));
    let after = fs::read_to_string(&into).unwrap();
    let records = text(&import_fixture("engagements.csv").stdout);
    assert_eq!(after, format!("{before}\n{records}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&into).unwrap().permissions().mode() & 0o777, 0o640);
    }
    let check = track2_in(ledger.path(), &["check", AS_OF_ARG, "."]).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let fmt = track2_in(ledger.path(), &["fmt", "--check", "."]).output().unwrap();
    assert_eq!(fmt.status.code(), Some(0), "the appended file stays canonical");

    // The same sheet again would duplicate every engagement: refused, at
    // the rows, and the file is left as it is.
    let again = track2_in(
        ledger.path(),
        &[
            "import",
            sheet.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
            AS_OF_ARG,
            "--into",
            "2025.track2",
            ".",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(again.status.code(), Some(1));
    let stderr = text(&again.stderr);
    assert!(stderr.contains("error[duplicate-engagement]"), "{stderr}");
    assert!(stderr.contains("row 2, column A (Date)"), "{stderr}");
    assert_eq!(fs::read_to_string(&into).unwrap(), after);
}

#[test]
fn into_creates_a_new_file_only_inside_the_ledger() {
    let ledger = ledger_copy();
    let sheet = root().join(FIXTURES).join("engagements.csv");
    let rules = root().join(RULES);
    let import_into = |into: &str| {
        track2_in(
            ledger.path(),
            &[
                "import",
                sheet.to_str().unwrap(),
                "--rules",
                rules.to_str().unwrap(),
                AS_OF_ARG,
                "--into",
                into,
                ".",
            ],
        )
        .output()
        .unwrap()
    };
    let outside = tempfile::tempdir().unwrap();
    for into in [
        outside.path().join("new.track2").to_str().unwrap().to_owned(),
        "new.txt".to_owned(),
    ] {
        let output = import_into(&into);
        assert_eq!(output.status.code(), Some(2), "{into}");
        assert!(text(&output.stderr).starts_with("error:"));
    }
    assert!(!outside.path().join("new.track2").exists());

    let output = import_into("2024.track2");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let written = fs::read_to_string(ledger.path().join("2024.track2")).unwrap();
    assert_eq!(written, text(&import_fixture("engagements.csv").stdout));
    assert_eq!(
        model(&[ledger.path().to_path_buf()])["engagements"]
            .as_array()
            .unwrap()
            .len(),
        34
    );
}

#[test]
fn without_rules_the_guess_is_printed_and_used() {
    let directory = tempfile::tempdir().unwrap();
    let sheet = directory.path().join("visits.csv");
    fs::write(
        &sheet,
        "Date;From;Host;Event;Type;Who;Comments;Budget\n\
         21/10/2025;Azerbaijan;Armenia;Fictional visit;dialogue;Rusif Hüseynov;A note;10\n\
         3/4/2025;AZ;AM;Fictional second visit;Forum;;;\n",
    )
    .unwrap();
    let output = run(&["import", sheet.to_str().unwrap(), AS_OF_ARG, "ledgers"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("delimiter = \";\"\n"), "{stderr}");
    assert!(stderr.contains("date_format = \"%d/%m/%Y\"\n"), "{stderr}");
    assert!(stderr.contains("to = \"Host\"\n"), "{stderr}");
    assert!(stderr.contains("# Columns not used: `Budget`"), "{stderr}");
    assert_eq!(
        text(&output.stdout),
        "2025-10-21 AZ -> AM Fictional visit\n  format: dialogue\n  participants: rusif-huseynov\n  note: A note\n\n\
         2025-04-03 AZ -> AM Fictional second visit\n  format: forum\n"
    );
    // What the guess printed is a rules file that reads back.
    let printed = &stderr[stderr.find("[sheet]").unwrap()..];
    let printed = &printed[..printed.find("# Columns").unwrap()];
    assert!(rules::parse(printed).is_ok());
}

#[test]
fn utf16_tab_separated_text_as_excel_saves_it() {
    let directory = tempfile::tempdir().unwrap();
    let sheet = directory.path().join("unicode.txt");
    let mut bytes = vec![0xff, 0xfe];
    let content = "Date\tFrom\tTo\tTitle\tFormat\tParticipants\r\n\
                   21–22 Oct 2025\tAzərbaycan\tArmenia\tFictional \u{201c}tab\u{201d} visit\tdialogue\tZaur Şiriyev\r\n";
    for unit in content.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    fs::write(&sheet, bytes).unwrap();
    let rules = directory.path().join("rules.toml");
    fs::write(&rules, "[values.from]\n\"Azərbaycan\" = \"AZ\"\n[columns]\ndate = \"Date\"\nfrom = \"From\"\nto = \"To\"\ntitle = \"Title\"\nformat = \"Format\"\nparticipants = \"Participants\"\n").unwrap();
    let output = run(&[
        "import",
        sheet.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        AS_OF_ARG,
        "ledgers",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "2025-10-21..2025-10-22 AZ -> AM Fictional \u{201c}tab\u{201d} visit\n  format: dialogue\n  participants: zaur-shiriyev\n"
    );
}

#[test]
fn private_rows_hide_people_or_the_engagement() {
    let directory = tempfile::tempdir().unwrap();
    let sheet = directory.path().join("private.csv");
    fs::write(
        &sheet,
        "Date,From,To,Title,Format,Participants,Hidden\n\
         2025-03,AZ,AM,Fictional closed meeting,dialogue,Leyla Nümunəli,names\n\
         2025-04,AZ,AM,Fictional secret meeting,dialogue,Elvin Nümunəzadə,all\n\
         2025-05,AZ,AM,Fictional open meeting,dialogue,Elvin Nümunəzadə,\n",
    )
    .unwrap();
    let rules_text = |hide: &str, value: &str| {
        format!(
            "[columns]\ndate = \"Date\"\nfrom = \"From\"\nto = \"To\"\ntitle = \"Title\"\nformat = \"Format\"\n\
             participants = \"Participants\"\n[private]\ncolumn = \"Hidden\"\nvalue = \"{value}\"\nhide = \"{hide}\"\n"
        )
    };
    let rules = directory.path().join("rules.toml");
    fs::write(&rules, rules_text("people", "names")).unwrap();
    let output = run(&[
        "import",
        sheet.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        AS_OF_ARG,
        "ledgers",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let records = text(&output.stdout);
    assert!(
        records.contains("person leyla-numunali Leyla Nümunəli\n  party: AZ\n  private: yes\n"),
        "{records}"
    );
    assert!(
        records.contains("person elvin-numunazada Elvin Nümunəzadə\n  party: AZ\n\n"),
        "{records}"
    );
    assert!(!records.contains("confidential"));

    fs::write(&rules, rules_text("engagement", "all")).unwrap();
    let output = run(&[
        "import",
        sheet.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        AS_OF_ARG,
        "ledgers",
    ]);
    let records = text(&output.stdout);
    assert!(
        records.contains("2025-04 AZ -> AM Fictional secret meeting\n  format: dialogue\n  confidential: private\n")
    );
    assert_eq!(records.matches("confidential").count(), 1);

    // A declared person who is public cannot be made private by a sheet.
    fs::write(
        &sheet,
        "Date,From,To,Title,Format,Participants,Hidden\n2025-03,AZ,AM,Fictional closed meeting,dialogue,Rusif Huseynov,names\n",
    )
    .unwrap();
    fs::write(&rules, rules_text("people", "names")).unwrap();
    let output = run(&[
        "import",
        sheet.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        AS_OF_ARG,
        "ledgers",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("error[private-person-public]"));
}

#[test]
fn rules_problems_point_into_the_rules_file() {
    let directory = tempfile::tempdir().unwrap();
    let rules = directory.path().join("rules.toml");
    fs::write(&rules, "[sheet]\nlist_separater = \";\"\n[columns]\ndate = \"Datum\"\n").unwrap();
    let sheet = root().join(FIXTURES).join("engagements.csv");
    let output = run(&[
        "import",
        sheet.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "ledgers",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[unknown-rules-key]: unknown key `list_separater`"),
        "{stderr}"
    );
    assert!(stderr.contains("rules.toml:2:1"), "{stderr}");
    assert!(stderr.contains("help: did you mean `list_separator`?"), "{stderr}");

    fs::write(&rules, "[columns]\ndate = \"Datum\"\n").unwrap();
    let output = run(&[
        "import",
        sheet.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "ledgers",
    ]);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[unknown-column]: the sheet has no column `Datum`"),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `Date`?"), "{stderr}");
    assert!(stderr.contains("error[unmapped-field]"), "{stderr}");
}

#[test]
fn cells_escaped_against_formulas_are_read_as_written() {
    let directory = tempfile::tempdir().unwrap();
    let sheet = directory.path().join("escaped.csv");
    fs::write(
        &sheet,
        "date,from,to,title,format,participants\n2025-10,AZ,AM,'=Fictional formula-looking title,dialogue,'+2 AZ\n",
    )
    .unwrap();
    let output = run(&["import", sheet.to_str().unwrap(), AS_OF_ARG, "ledgers"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "2025-10 AZ -> AM =Fictional formula-looking title\n  format: dialogue\n  participants: +2 AZ\n"
    );
}

#[test]
fn hostile_cells_are_reported_escaped_and_never_panic() {
    let directory = tempfile::tempdir().unwrap();
    let sheet = directory.path().join("hostile.csv");
    let huge = "x".repeat(10 << 20);
    let long_name = "y".repeat(1 << 20);
    let content = format!(
        "date,from,to,title,format,participants\n\
         2025-10,AZ,AM,\"Fictional \x1b[31mred\x1b[0m title\",dialogue,\n\
         2025-10,AZ,AM,Fictional huge {huge},dialogue,{long_name}\n\
         2025-10,AZ,AM,Fictional question marks,dialogue,???\n\
         2025-10,AZ,AM,Fictional twins,dialogue,Ali Nümunə;Ali Numuna!;ALI-NUMUNA;Ali Numunə 2\n\
         =1+1,AZ,AM,=HYPERLINK(\"x\"),dialogue,@SUM(A1)\n"
    );
    fs::write(&sheet, content).unwrap();
    let output = run(&["import", sheet.to_str().unwrap(), AS_OF_ARG, "ledgers"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(!stderr.contains('\x1b'), "a control character reached the terminal");
    assert!(stderr.contains("error[control-character-in-cell]"), "{stderr}");
    assert!(stderr.contains("\\u{1b}"), "{stderr}");
    assert!(stderr.contains("error[name-without-letters]: `???`"), "{stderr}");
    assert!(
        stderr.contains("error[unreadable-date]: `=1+1` is not a date"),
        "{stderr}"
    );
    assert!(
        stderr.len() < 20_000,
        "a huge cell is quoted short: {} bytes",
        stderr.len()
    );
    // Names that romanise alike are one person, in any row; `Ali Numunə 2`
    // is another, whose id does not collide.
    let twins = directory.path().join("twins.csv");
    fs::write(
        &twins,
        "date,from,to,title,format,participants\n\
         2025-10,AZ,AM,Fictional twins,dialogue,Ali Nümunə;Ali Numunə 2\n\
         2025-11,AZ,AM,Fictional twins again,dialogue,ALI-NUMUNA!\n",
    )
    .unwrap();
    let output = run(&["import", twins.to_str().unwrap(), AS_OF_ARG, "ledgers"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let records = text(&output.stdout);
    assert!(records.contains("person ali-numuna Ali Nümunə\n"), "{records}");
    assert!(records.contains("person ali-numuna-2 Ali Numunə 2\n"), "{records}");
    assert!(
        records.contains("  participants: ali-numuna, ali-numuna-2\n"),
        "{records}"
    );
    assert!(
        records.contains("again\n  format: dialogue\n  participants: ali-numuna\n"),
        "{records}"
    );
}

#[test]
fn rows_of_new_names_cost_linear_time() {
    // The library alone, on rows of distinct new names: the near-match
    // budget runs out, and the rest is linear. `IMPORT_ROWS=1000000` with
    // `--release` measures a million.
    let rows: usize = std::env::var("IMPORT_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let mut csv = String::from("date,from,to,title,format,participants\n");
    for index in 0..rows {
        csv.push_str(&format!(
            "2025-10,AZ,AM,Fictional meeting {index},dialogue,Person {index}\n"
        ));
    }
    let sheet = source::read(csv.as_bytes(), &ReadOptions::default()).unwrap();
    let rules: Rules = rules::parse(
        "[columns]\ndate = \"date\"\nfrom = \"from\"\nto = \"to\"\ntitle = \"title\"\nformat = \"format\"\nparticipants = \"participants\"\n",
    )
    .unwrap();
    let loaded = loader::load(
        &track2::Disk,
        &[root().join("ledgers")],
        &track2::LoadOptions::default(),
    )
    .unwrap();
    let analysis = track2::validate(&loaded, &options());
    let directory = Directory::of(&analysis.ledger);
    let started = std::time::Instant::now();
    // A small budget, so that it runs out here as it would on a million.
    let options = track2::import::ImportOptions {
        near_match_budget: 20_000,
    };
    let import = track2::import::import_with(&sheet, &rules, &directory, options);
    eprintln!("rows {rows}: {:?}", started.elapsed());
    assert!(import.is_clean());
    assert_eq!(import.summary.engagements_made, rows);
    assert_eq!(import.summary.persons_made, rows);
    assert!(import.summary.names_not_searched > 0, "the near-match budget ran out");
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

#[test]
fn the_export_of_the_bundled_ledger_imports_back_to_the_same_model() {
    let exported = run(&["export", "--output", "csv", "--include-private", AS_OF_ARG, "ledgers"]);
    assert!(exported.status.success());
    let directory = tempfile::tempdir().unwrap();
    let declarations = directory.path().join("declarations");
    fs::create_dir(&declarations).unwrap();
    for name in [
        "formats.track2",
        "organisations.track2",
        "parties.track2",
        "people.track2",
    ] {
        fs::copy(root().join("ledgers").join(name), declarations.join(name)).unwrap();
    }
    let csv = directory.path().join("engagements.csv");
    fs::write(&csv, &exported.stdout).unwrap();
    let imported = run(&[
        "import",
        csv.to_str().unwrap(),
        "--rules",
        EXPORT_RULES,
        AS_OF_ARG,
        declarations.to_str().unwrap(),
    ]);
    assert_eq!(imported.status.code(), Some(0), "{}", text(&imported.stderr));
    fs::write(declarations.join("2025.track2"), &imported.stdout).unwrap();
    assert_eq!(model(&[declarations]), model(&[root().join("ledgers")]));
}

/// A generated ledger: its declarations and its engagements, as two files.
#[derive(Clone, Debug)]
struct Generated {
    declarations: String,
    engagements: String,
}

const PERSONS: [(&str, &str, &str); 5] = [
    ("anna", "Anna Fictional", "AM"),
    ("bahar", "Bahar Nümunəli", "AZ"),
    ("gor", "Գոռ Օրինակյան", "AM"),
    ("kamran", "Kamran \"Test\" Sample", "AZ"),
    ("lena", "Lena, Example", "CH"),
];

fn generated_ledger() -> impl Strategy<Value = Generated> {
    let text = "[A-Za-z][A-Za-z0-9 ,;.'\"()&/–əüՀայ-]{0,24}";
    let date = prop_oneof![
        (2020..2025i32, 1..=12u32, 1..=28u32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (2020..2025i32, 1..=12u32, 1..=20u32, 0..8u32)
            .prop_map(|(y, m, d, n)| format!("{y}-{m:02}-{d:02}..{y}-{m:02}-{:02}", d + n)),
        (2020..2025i32, 1..=12u32).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (2020..2025i32).prop_map(|y| y.to_string()),
    ];
    let engagement = (
        date,
        prop_oneof![
            Just("AZ -> AM"),
            Just("AM -> AZ"),
            Just("AM + AZ -> CH"),
            Just("AZ -> online")
        ],
        text,
        (
            proptest::option::of(prop_oneof![Just("1"), Just("1.5"), Just("2")]),
            proptest::option::of(prop_oneof![Just("planned"), Just("cancelled"), Just("held")]),
            proptest::option::of(prop_oneof![Just("chatham-house"), Just("private")]),
            proptest::option::of(Just("2030")),
            proptest::option::of(text),
        ),
        (
            proptest::sample::subsequence(&["gov-am", "think-1"][..], 0..=2),
            proptest::sample::subsequence(&["anna", "bahar", "gor", "kamran", "lena"][..], 0..=3),
            proptest::option::of(1..5u32),
            proptest::sample::subsequence(&["anna", "gor", "lena"][..], 0..=2),
            proptest::collection::vec(text, 0..3),
            proptest::sample::subsequence(&["mutual-visit", "Tag_2.0"][..], 0..=2),
            proptest::collection::vec(text, 0..2),
            any::<bool>(),
        ),
    );
    proptest::collection::vec(engagement, 1..8).prop_map(|engagements| {
        let mut declarations = String::from(
            "party AM Armenia\n\nparty AZ Azerbaijan\n\nparty CH Switzerland\n\n\
             org gov-am Government of Armenia\n  party: AM\n\norg think-1 Fictional Think Tank\n\n\
             format dialogue Dialogue\n\nseries rounds Fictional rounds\n",
        );
        for (id, name, party) in PERSONS {
            declarations.push_str(&format!("\nperson {id} {name}\n  party: {party}\n"));
        }
        let mut text = String::new();
        for (index, (date, direction, title, singles, lists)) in engagements.into_iter().enumerate() {
            let (track, status, confidential, embargo, venue) = singles;
            let (sponsors, participants, count, met, notes, tags, budget, in_series) = lists;
            text.push_str(&format!(
                "\n{date} {direction} {title} {index}\n  id: e{index}\n  format: dialogue\n"
            ));
            let mut field = |key: &str, value: Option<String>| {
                if let Some(value) = value {
                    text.push_str(&format!("  {key}: {value}\n"));
                }
            };
            field("track", track.map(str::to_owned));
            field("series", in_series.then(|| "rounds".to_owned()));
            field("status", status.map(str::to_owned));
            field("confidential", confidential.map(str::to_owned));
            field("embargo", embargo.map(str::to_owned));
            field(
                "venue",
                venue.map(|venue| venue.trim().to_owned()).filter(|v| !v.is_empty()),
            );
            field("sponsors", (!sponsors.is_empty()).then(|| sponsors.join(", ")));
            let mut named: Vec<String> = participants.iter().map(|id| (*id).to_owned()).collect();
            if let Some(count) = count {
                named.push(format!("+{count} AZ"));
            }
            field("participants", (!named.is_empty()).then(|| named.join(", ")));
            let met: Vec<&str> = met.into_iter().filter(|id| !participants.contains(id)).collect();
            field("met", (!met.is_empty()).then(|| met.join(", ")));
            field("source", Some(format!("https://example.org/fictional/{index}?a=1;b=2")));
            for note in notes {
                field("note", Some(note.trim().to_owned()).filter(|note| !note.is_empty()));
            }
            field("tags", (!tags.is_empty()).then(|| tags.join(", ")));
            for value in budget {
                field(
                    "x-budget",
                    Some(value.trim().to_owned()).filter(|value| !value.is_empty()),
                );
            }
        }
        Generated {
            declarations,
            engagements: text,
        }
    })
}

/// Exports `ledger` to CSV and imports it into its declarations alone.
fn round_trip(ledger: &Generated) -> (Value, Value) {
    let directory = tempfile::tempdir().unwrap();
    let original = directory.path().join("original");
    let copy = directory.path().join("copy");
    for path in [&original, &copy] {
        fs::create_dir(path).unwrap();
        fs::write(path.join("a-declarations.track2"), &ledger.declarations).unwrap();
    }
    fs::write(original.join("b-engagements.track2"), &ledger.engagements).unwrap();
    let exported = run(&[
        "export",
        "--output",
        "csv",
        "--include-private",
        AS_OF_ARG,
        original.to_str().unwrap(),
    ]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let csv = directory.path().join("export.csv");
    fs::write(&csv, &exported.stdout).unwrap();
    let imported = run(&[
        "import",
        csv.to_str().unwrap(),
        "--rules",
        EXPORT_RULES,
        AS_OF_ARG,
        copy.to_str().unwrap(),
    ]);
    assert_eq!(imported.status.code(), Some(0), "{}", text(&imported.stderr));
    fs::write(copy.join("b-engagements.track2"), &imported.stdout).unwrap();
    // The export lists engagements by date, then in ledger order, and the
    // copy is written in that order; the original, put in the same order,
    // must mean the same.
    (in_export_order(model(&[original])), model(&[copy]))
}

/// `model` with its engagements sorted as `export` sorts them: by first
/// day (ISO dates sort as text), a stable sort keeping ledger order.
fn in_export_order(mut model: Value) -> Value {
    if let Some(engagements) = model["engagements"].as_array_mut() {
        engagements.sort_by(|a, b| a["start"].as_str().cmp(&b["start"].as_str()));
    }
    model
}

fn assert_round_trip(ledger: &Generated) -> Result<(), TestCaseError> {
    let (original, copy) = round_trip(ledger);
    prop_assert_eq!(original, copy);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(24), ..ProptestConfig::default() })]

    #[test]
    fn generated_ledgers_round_trip_through_export_and_import(ledger in generated_ledger()) {
        assert_round_trip(&ledger)?;
    }
}
