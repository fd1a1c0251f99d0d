//! The environment the binary runs in, captured once, and writing that
//! treats a closed pipe (`track2 check | head`) as the reader's choice.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use chrono::NaiveDate;

/// What the binary learns from the process environment, in one place.
pub struct Terminal {
    /// Colour on standard error: a terminal, and `NO_COLOR` unset or empty.
    pub color: bool,
    /// The width at which human output wraps.
    pub width: usize,
    /// The width a table on standard output must fit: `$COLUMNS` when set,
    /// else the terminal's when standard output is one; `None` (no limit)
    /// when it goes to a pipe or a file, which should get every column.
    pub stdout_width: Option<usize>,
    /// `$TRACK2_LEDGER`, the default ledger.
    pub ledger_env: Option<PathBuf>,
    pub today: NaiveDate,
    /// Where track2.toml is looked for, walking up; `None` if the current
    /// directory cannot be known (it was removed).
    pub current_dir: Option<PathBuf>,
}

/// Wrap width when standard error is not a terminal: fixed, so that output in
/// CI logs and tests does not depend on the machine.
const DEFAULT_WIDTH: usize = 100;

impl Terminal {
    pub fn capture() -> Terminal {
        let stderr_is_terminal = io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let width = if stderr_is_terminal {
            terminal_size::terminal_size_of(io::stderr())
                .map_or(DEFAULT_WIDTH, |(terminal_size::Width(width), _)| usize::from(width))
        } else {
            DEFAULT_WIDTH
        };
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|columns| columns.trim().parse::<usize>().ok())
            .filter(|&columns| columns > 0);
        let stdout_width = columns.or_else(|| {
            io::stdout()
                .is_terminal()
                .then(|| terminal_size::terminal_size_of(io::stdout()))
                .flatten()
                .map(|(terminal_size::Width(width), _)| usize::from(width))
        });
        Terminal {
            color: stderr_is_terminal && !no_color,
            width,
            stdout_width,
            ledger_env: std::env::var_os("TRACK2_LEDGER")
                .filter(|value| !value.is_empty())
                .map(PathBuf::from),
            today: chrono::Local::now().date_naive(),
            current_dir: std::env::current_dir().ok(),
        }
    }
}

/// Writes all of `text`; a reader that went away is not an error, but
/// anything else that loses output is (a full disk, a closed descriptor).
pub fn write_all(mut out: impl Write, text: &str) -> io::Result<()> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        result => result,
    }
}

pub fn stdout(text: &str) -> io::Result<()> {
    if closed_at_start(Stream::Stdout) {
        return Err(io::Error::other("standard output is closed"));
    }
    write_all(io::stdout().lock(), text)
}

pub fn stderr(text: &str) -> io::Result<()> {
    if closed_at_start(Stream::Stderr) {
        return Err(io::Error::other("standard error is closed"));
    }
    write_all(io::stderr().lock(), text)
}

#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

/// Whether the stream was closed when the process started (`track2 summary
/// >&-`): writes would then vanish without an error, and the run would look
/// like a success. Rust's runtime puts `/dev/null` on a standard descriptor
/// it finds closed, before `main`, so the descriptors are looked at earlier
/// still, by [`record_closed_streams`]. (Telling the runtime's `/dev/null`
/// by its read-write mode, as was done before, failed every run whose
/// caller discards output that way: Python's `subprocess.DEVNULL`, Go's
/// `exec` with no output set.)
fn closed_at_start(stream: Stream) -> bool {
    let bit = match stream {
        Stream::Stdout => STDOUT_CLOSED,
        Stream::Stderr => STDERR_CLOSED,
    };
    CLOSED_AT_START.load(std::sync::atomic::Ordering::Relaxed) & bit != 0
}

const STDOUT_CLOSED: u8 = 1;
const STDERR_CLOSED: u8 = 2;

/// Which of [`STDOUT_CLOSED`] and [`STDERR_CLOSED`] held at start.
static CLOSED_AT_START: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Notes which standard outputs are closed. Run as a constructor, before
/// `main` and so before Rust's runtime fills the closed ones in.
#[cfg(unix)]
extern "C" fn record_closed_streams() {
    let mut closed = 0;
    for (descriptor, bit) in [(1, STDOUT_CLOSED), (2, STDERR_CLOSED)] {
        // SAFETY: F_GETFD reads the descriptor's flags and changes nothing;
        // a closed descriptor gives -1.
        if unsafe { libc::fcntl(descriptor, libc::F_GETFD) } == -1 {
            closed |= bit;
        }
    }
    CLOSED_AT_START.store(closed, std::sync::atomic::Ordering::Relaxed);
}

/// The constructor's entry: ELF systems run `.init_array`, Apple's
/// `__mod_init_func`, before `main`.
#[cfg(all(unix, not(target_vendor = "apple")))]
#[used]
#[unsafe(link_section = ".init_array")]
static RECORD_CLOSED_STREAMS: extern "C" fn() = record_closed_streams;

#[cfg(target_vendor = "apple")]
#[used]
#[unsafe(link_section = "__DATA,__mod_init_func")]
static RECORD_CLOSED_STREAMS: extern "C" fn() = record_closed_streams;

/// A message about the command itself (not about the ledger), on stderr.
/// `error:` is the one prefix every error message of track2 starts with,
/// as clap's usage errors and the ledger's summaries do: a script or a
/// person looks for one word.
pub fn fatal(message: &str) {
    let _ = stderr(&error_line(message));
}

/// `error: MESSAGE` and a line break, for a message written with others
/// (after the diagnostics it sums up): the one place the prefix is spelt.
pub fn error_line(message: &str) -> String {
    format!("error: {message}\n")
}

/// Something the user should know that is neither an error nor the output
/// itself, on stderr.
pub fn note(message: &str) {
    let _ = stderr(&format!("note: {message}\n"));
}

/// `report` as text in `format`, having said on stderr what the output
/// cannot carry at its top (a CSV table made with `--include-private`
/// starts with its header, so its warning goes here).
pub fn render_report(report: &dyn track2::report::Report, format: track2::report::Output, reveal: bool) -> String {
    let framing = track2::report::Framing {
        reveal,
        ..track2::report::Framing::default()
    };
    render_framed_report(report, format, framing)
}

/// [`render_report`] with a caption, a query and a width.
pub fn render_framed_report(
    report: &dyn track2::report::Report,
    format: track2::report::Output,
    framing: track2::report::Framing<'_>,
) -> String {
    if let Some(notice) = track2::report::stderr_notice(format, framing.reveal) {
        let _ = stderr(&format!("{notice}\n"));
    }
    track2::report::render_framed(report, format, framing)
}

/// `1 error`, `2 errors`.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
