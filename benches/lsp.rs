//! How fast `track2 lsp` answers on a large ledger (issue 13): 10,000
//! engagements in 20 files, p50 and p95 of
//! - diagnostics after a one-character edit: from sending `didChange` to
//!   receiving the `publishDiagnostics` of that version;
//! - completion of a participant id;
//! - go to definition of a participant id, declared in another file.
//!
//! ```sh
//! cargo bench --bench lsp                          # 10,000 engagements, 200 rounds
//! TRACK2_LSP_ENTRIES=100000 TRACK2_LSP_ROUNDS=50 cargo bench --bench lsp
//! ```
//!
//! The release binary is started and spoken to over its standard input and
//! output, with the client of the integration tests: the figures include
//! the JSON-RPC round trip, as an editor sees them. The server is asked for
//! no pause before analysing (`diagnosticDelay: 0`): the ~150 ms it waits
//! for typing to stop is on purpose and would only be added to every
//! figure. The ledger is the tests' generator's (seed 1), as a `ledgers/`
//! directory the server finds by itself. BENCHMARKS.md records a run.

#[allow(dead_code, unused_imports)]
#[path = "../tests/it/support/generator/mod.rs"]
mod generator;

#[allow(dead_code)]
#[path = "../tests/it/lsp/client.rs"]
mod client;

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

fn main() {
    // `cargo bench` passes `--bench`; a filter is not supported.
    let entries = number("TRACK2_LSP_ENTRIES", 10_000);
    let rounds = number("TRACK2_LSP_ROUNDS", 200);
    let mut config = generator::Config::new(entries);
    config.files = 20;
    let generated = generator::generate(&config);
    let directory = tempfile::tempdir().expect("a scratch directory");
    let ledgers = directory.path().join("ledgers");
    generator::write(&generated, &ledgers).expect("the ledger is written");
    let bytes: usize = generated.files.iter().map(|file| file.text.len()).sum();

    // The last file: engagements only, the declarations are in the first.
    let file = generated.files.last().expect("20 files");
    let path = ledgers.join(&file.name);
    let uri = client::uri(&path);
    let (line, character) = participant(&file.text).expect("an engagement with participants");

    let mut command = Command::new(env!("CARGO_BIN_EXE_track2"));
    command.arg("lsp").current_dir(directory.path());
    let mut client = client::Client::start(command);
    client.initialize(&["utf-16"], json!({"diagnosticDelay": 0}));
    let started = Instant::now();
    client.open(&uri, 0, &file.text);
    let first = client.diagnostics(&uri, Some(0));
    assert!(first.is_empty(), "the generated ledger is valid: {first:?}");
    println!(
        "track2 lsp: {} engagements in {} files ({:.1} MB); first analysis {:.0} ms; {rounds} rounds",
        generated.engagements,
        generated.files.len(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64() * 1e3,
    );

    // Typing a character at the end of a title and deleting it again: the
    // diagnostics stay empty, and each version is analysed.
    let header = header_line(&file.text, line);
    let title_end = file
        .text
        .lines()
        .nth(header)
        .map_or(0, |text| text.encode_utf16().count()) as u32;
    let header = header as u32;
    let mut edits = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let version = round as i64 + 1;
        let started = Instant::now();
        if round % 2 == 0 {
            client.change(&uri, version, [[header, title_end], [header, title_end]], "x");
        } else {
            client.change(&uri, version, [[header, title_end], [header, title_end + 1]], "");
        }
        let diagnostics = client.diagnostics(&uri, Some(version));
        edits.push(started.elapsed());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }
    let at = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let completions = timed(rounds, || {
        let answer = client.request("textDocument/completion", at.clone());
        assert!(!answer["items"].as_array().is_none_or(Vec::is_empty), "{answer}");
    });
    let definitions = timed(rounds, || {
        let answer = client.request("textDocument/definition", at.clone());
        assert!(answer["uri"].as_str().is_some_and(|target| target != uri), "{answer}");
    });
    assert!(client.shutdown().success());

    println!();
    println!("| request | p50 | p95 | max |");
    println!("|---|---|---|---|");
    for (label, mut times) in [
        ("diagnostics after a one-character edit", edits),
        ("completion of a participant", completions),
        ("go to definition (another file)", definitions),
    ] {
        times.sort_unstable();
        println!(
            "| {label} | {} | {} | {} |",
            millis(percentile(&times, 50)),
            millis(percentile(&times, 95)),
            millis(*times.last().expect("rounds > 0")),
        );
    }
}

fn number(variable: &str, default: usize) -> usize {
    std::env::var(variable)
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|value| *value > 0)
        .unwrap_or(default)
}

fn timed(rounds: usize, mut request: impl FnMut()) -> Vec<Duration> {
    (0..rounds)
        .map(|_| {
            let started = Instant::now();
            request();
            started.elapsed()
        })
        .collect()
}

/// The `p`th percentile of sorted `times` (nearest rank).
fn percentile(times: &[Duration], p: usize) -> Duration {
    let rank = (times.len() * p).div_ceil(100).max(1);
    times[rank - 1]
}

fn millis(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1e3)
}

/// The 0-based line and UTF-16 column of the first character of the first
/// participant id in `text` (not a `+N PARTY` count).
fn participant(text: &str) -> Option<(u32, u32)> {
    text.lines().enumerate().find_map(|(number, line)| {
        let value = line.strip_prefix("  participants: ")?;
        value.chars().next().filter(|first| first.is_ascii_alphabetic())?;
        Some((number as u32, "  participants: ".len() as u32 + 1))
    })
}

/// The header line of the engagement whose field is on line `field`.
fn header_line(text: &str, field: u32) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    (0..=field as usize)
        .rev()
        .find(|number| lines[*number].starts_with(|first: char| first.is_ascii_digit()))
        .expect("a field under a header")
}
