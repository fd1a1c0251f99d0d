//! The HTML pages in a real browser: headless Chromium loads each page from
//! `file://`, and
//! - through `--dump-dom` of a copy of the page with a measuring script
//!   added (the page itself has none), the test counts the marks rendered
//!   in each chart against the marks written, and checks that no mark is
//!   empty, no label is cut off by its chart's edge and no two labels
//!   overlap;
//! - `--screenshot` keeps a PNG of each page, for a person to look at, and
//!   `--print-to-pdf` prints it (one run of the browser does both); then
//!   `pdfinfo` and `pdftotext` (poppler) check the number of A4 pages and
//!   that no figure is cut across two of them.
//!
//! Everything is kept under `target/browser/`. Without Chromium the test
//! is skipped with a message, unless `CI=true`, where it fails: `.ci/run`
//! installs Chromium and poppler. With `UPDATE_SCREENSHOTS=1` the summary's
//! screenshot is also written to `docs/summary.png`, which the README shows.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};
use serde_json::Value;

use crate::support::{self, AS_OF};

const CHROMIUM: &str = "/usr/bin/chromium";

/// How wide the browser window is, in CSS pixels: a laptop screen.
const WINDOW_WIDTH: u32 = 1100;

/// A page to load: its file name, the command that makes it, how many
/// charts it has, and the most A4 pages it may print on.
struct Page {
    name: &'static str,
    args: &'static [&'static str],
    charts: usize,
    max_pages: usize,
}

const PAGES: &[Page] = &[
    Page {
        name: "summary",
        args: &["summary", "ledgers"],
        charts: 6,
        max_pages: 2,
    },
    Page {
        name: "directions",
        args: &["report", "directions", "ledgers"],
        charts: 1,
        max_pages: 1,
    },
    Page {
        name: "formats",
        args: &["report", "formats", "ledgers"],
        charts: 1,
        max_pages: 1,
    },
    Page {
        name: "tracks",
        args: &["report", "tracks", "ledgers"],
        charts: 1,
        max_pages: 1,
    },
    Page {
        name: "sponsors",
        args: &["report", "sponsors", "ledgers"],
        charts: 1,
        max_pages: 1,
    },
    Page {
        name: "series",
        args: &["report", "series", "ledgers"],
        charts: 1,
        max_pages: 1,
    },
    Page {
        name: "tags",
        args: &["report", "tags", "ledgers"],
        charts: 1,
        max_pages: 1,
    },
    Page {
        name: "timeline",
        args: &["report", "timeline", "ledgers"],
        charts: 1,
        max_pages: 1,
    },
    Page {
        name: "participants",
        args: &["report", "participants", "ledgers"],
        charts: 1,
        max_pages: 2,
    },
    Page {
        name: "reciprocity",
        args: &["report", "reciprocity", "ledgers"],
        charts: 1,
        max_pages: 1,
    },
    Page {
        name: "network",
        args: &["report", "network", "ledgers"],
        charts: 1,
        max_pages: 4,
    },
    Page {
        name: "roster",
        args: &["report", "roster", "ledgers", "--series", "peace-bridge"],
        charts: 1,
        max_pages: 2,
    },
    // The fixture: joint and online directions, a count withheld by
    // --min-count, placeholders, and the confidential banner.
    Page {
        name: "fixture-summary",
        args: &["summary", "tests/fixtures/reports.track2", "--min-count", "2"],
        charts: 6,
        max_pages: 3,
    },
    Page {
        name: "fixture-network-revealed",
        args: &[
            "report",
            "network",
            "tests/fixtures/reports.track2",
            "--include-private",
        ],
        charts: 1,
        max_pages: 2,
    },
];

/// Added to a copy of each page: measures what the browser laid out and
/// leaves it as JSON in `<pre id="track2-measure">`, which `--dump-dom`
/// prints. Labels turned by a transform (the network's, the roster's
/// column headings) are checked against the chart's edges only, since
/// their boxes are not their shapes.
const MEASURE: &str = r#"<script>
(() => {
  const report = { scrollWidth: document.documentElement.scrollWidth,
                   height: document.documentElement.scrollHeight, charts: [] };
  const label = (element) => (element.querySelector('title') || element).textContent.trim().slice(0, 80);
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.getBoundingClientRect();
    const chart = { title: svg.querySelector('title').textContent, natural: Number(svg.getAttribute('width')),
                    width: box.width, marks: 0, empty: [], clipped: [], overlaps: [] };
    for (const mark of svg.querySelectorAll('.mark')) {
      const b = mark.getBoundingClientRect();
      chart.marks += 1;
      if (b.width <= 0 && b.height <= 0) chart.empty.push(label(mark));
    }
    const texts = [...svg.querySelectorAll('text')]
      .filter((t) => t.textContent.trim() !== '')
      .map((t) => ({ text: t.textContent, box: t.getBoundingClientRect(), turned: t.hasAttribute('transform') }));
    for (const t of texts) {
      const b = t.box;
      if (b.left < box.left - 0.5 || b.right > box.right + 0.5 || b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5) {
        chart.clipped.push(t.text);
      }
    }
    const flat = texts.filter((t) => !t.turned);
    for (let i = 0; i < flat.length; i++) {
      for (let j = i + 1; j < flat.length; j++) {
        const a = flat[i].box, b = flat[j].box;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 3) chart.overlaps.push(flat[i].text + ' | ' + flat[j].text);
      }
    }
    report.charts.push(chart);
  }
  const pre = document.createElement('pre');
  pre.id = 'track2-measure';
  pre.hidden = true;
  pre.textContent = JSON.stringify(report);
  document.body.appendChild(pre);
})();
</script>"#;

fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true")
}

/// Chromium, or `None` (with a message) where it is missing and this is
/// not CI.
fn chromium() -> Option<&'static Path> {
    let path = Path::new(CHROMIUM);
    if path.exists() {
        return Some(path);
    }
    assert!(
        !is_ci(),
        "{CHROMIUM} is missing: .ci/run installs it (apt-get install chromium)"
    );
    eprintln!("browser test skipped: no Chromium at {CHROMIUM} (apt-get install chromium to run it)");
    None
}

/// Whether poppler's `pdfinfo` and `pdftotext` are here.
fn poppler() -> bool {
    let found = ["pdfinfo", "pdftotext"].iter().all(|tool| {
        Command::new(tool)
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    });
    assert!(found || !is_ci(), "poppler-utils is missing: .ci/run installs it");
    if !found {
        eprintln!("PDF checks skipped: no pdfinfo/pdftotext (apt-get install poppler-utils to run them)");
    }
    found
}

/// Where the pages, screenshots and PDFs are kept.
fn output_directory() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .to_path_buf();
    let directory = target.join("browser");
    std::fs::create_dir_all(&directory).unwrap();
    directory
}

/// Runs `command`, killing it after `limit`; its standard output.
fn run_with_limit(mut command: Command, limit: Duration) -> String {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).ok();
        text
    });
    let start = Instant::now();
    loop {
        match child.try_wait().unwrap() {
            Some(status) => {
                assert!(status.success(), "{command:?} failed: {status}");
                break;
            }
            None if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{command:?} took longer than {limit:?}");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    reader.join().unwrap()
}

/// Chromium in headless mode with a profile of its own, as the brief for
/// CI machines asks: no network, no first-run, no sync.
fn browser(chromium: &Path, profile: &Path, args: &[String]) -> String {
    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args);
    run_with_limit(command, Duration::from_secs(120))
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the page says its figures are: each chart's title and the last
/// label drawn in it, to find on the printed page.
fn figures(page: &str) -> Vec<(String, String)> {
    let document = Html::parse_document(page);
    let figure = Selector::parse("figure").unwrap();
    let title = Selector::parse("figcaption h2").unwrap();
    let text = Selector::parse("svg text").unwrap();
    document
        .select(&figure)
        .map(|figure| {
            let heading: String = figure.select(&title).next().unwrap().text().collect();
            let last = figure
                .select(&text)
                .filter(|text| text.value().attr("transform").is_none())
                .map(|text| text.text().collect::<String>())
                .filter(|text| text.chars().filter(|c| c.is_alphanumeric()).count() >= 3)
                .last()
                .unwrap_or_default();
            (collapse(&heading), collapse(&last))
        })
        .collect()
}

/// Everything the test checks on one page; panics on the first failure.
fn check(chromium: &Path, directory: &Path, page: &Page, with_pdf_checks: bool) {
    let html_path = directory.join(format!("{}.html", page.name));
    let mut args: Vec<&str> = page.args.to_vec();
    let file = html_path.to_str().unwrap();
    args.extend(["--as-of", AS_OF, "--output", "html", "-O", file]);
    let made = support::run(&args);
    assert!(
        made.status.success(),
        "{}: {}",
        page.name,
        String::from_utf8_lossy(&made.stderr)
    );
    let html = std::fs::read_to_string(&html_path).unwrap();
    let written = Html::parse_document(&html)
        .select(&Selector::parse("svg .mark").unwrap())
        .count();

    let profile = tempfile::tempdir().unwrap();
    let measured_path = directory.join(format!("{}.measure.html", page.name));
    std::fs::write(&measured_path, html.replace("</body>", &format!("{MEASURE}</body>"))).unwrap();
    let dom = browser(
        chromium,
        profile.path(),
        &[
            format!("--window-size={WINDOW_WIDTH},900"),
            "--dump-dom".to_owned(),
            url(&measured_path),
        ],
    );
    let document = Html::parse_document(&dom);
    let measure: String = document
        .select(&Selector::parse("pre#track2-measure").unwrap())
        .next()
        .unwrap_or_else(|| panic!("{}: the measuring script did not run", page.name))
        .text()
        .collect();
    let measure: Value = serde_json::from_str(&measure).unwrap();
    let charts = measure["charts"].as_array().unwrap();
    assert_eq!(charts.len(), page.charts, "{}: charts rendered", page.name);
    let rendered: u64 = charts.iter().map(|chart| chart["marks"].as_u64().unwrap()).sum();
    assert_eq!(
        rendered as usize, written,
        "{}: marks rendered against marks written",
        page.name
    );
    assert!(written > 0, "{}", page.name);
    for chart in charts {
        let context = format!("{} / {}", page.name, chart["title"]);
        for problem in ["empty", "clipped", "overlaps"] {
            assert_eq!(chart[problem], serde_json::json!([]), "{context}: {problem}");
        }
        let (width, natural) = (chart["width"].as_f64().unwrap(), chart["natural"].as_f64().unwrap());
        assert!(width <= natural + 0.5, "{context}: enlarged from {natural} to {width}");
        assert!(width >= natural * 0.75, "{context}: shrunk from {natural} to {width}");
    }
    assert!(
        measure["scrollWidth"].as_u64().unwrap() <= u64::from(WINDOW_WIDTH),
        "{}: the page is wider than the window",
        page.name
    );

    // The whole page in one picture, and printed on A4 (the page's @page
    // rule), by one run of the browser.
    let height = measure["height"].as_u64().unwrap().clamp(600, 8000);
    let png = directory.join(format!("{}.png", page.name));
    let pdf = directory.join(format!("{}.pdf", page.name));
    browser(
        chromium,
        profile.path(),
        &[
            format!("--window-size={WINDOW_WIDTH},{height}"),
            format!("--screenshot={}", png.display()),
            "--no-pdf-header-footer".to_owned(),
            format!("--print-to-pdf={}", pdf.display()),
            url(&html_path),
        ],
    );
    assert!(
        std::fs::metadata(&png).unwrap().len() > 1000,
        "{}: no screenshot",
        page.name
    );
    assert!(std::fs::metadata(&pdf).unwrap().len() > 1000, "{}: no PDF", page.name);
    if !with_pdf_checks {
        return;
    }
    let info = run_with_limit(
        {
            let mut command = Command::new("pdfinfo");
            command.arg(&pdf);
            command
        },
        Duration::from_secs(30),
    );
    let pages: usize = info
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse().ok())
        .expect("pdfinfo gives the page count");
    assert!(
        (1..=page.max_pages).contains(&pages),
        "{}: printed on {pages} pages, at most {} expected",
        page.name,
        page.max_pages
    );
    let size = info
        .lines()
        .find(|line| line.starts_with("Page size:"))
        .unwrap_or_default();
    assert!(size.ends_with("(A4)"), "{}: not A4: {size}", page.name);
    let texts: Vec<String> = (1..=pages)
        .map(|number| {
            let mut command = Command::new("pdftotext");
            command
                .args(["-f", &number.to_string(), "-l", &number.to_string()])
                .arg(&pdf)
                .arg("-");
            collapse(&run_with_limit(command, Duration::from_secs(30)))
        })
        .collect();
    for (title, last) in figures(&html) {
        let first_page = texts
            .iter()
            .position(|text| text.contains(&title))
            .unwrap_or_else(|| panic!("{}: `{title}` is not in the PDF", page.name));
        assert!(
            texts[first_page].contains(&last),
            "{}: figure `{title}` is cut: `{last}` is not on its page {}",
            page.name,
            first_page + 1
        );
    }
    if page.args.contains(&"--include-private") {
        assert!(texts[0].starts_with("CONFIDENTIAL"), "{}: {}", page.name, texts[0]);
    }
}

#[test]
fn pages_render_print_and_hold_every_chart_in_chromium() {
    let Some(chromium) = chromium() else {
        return;
    };
    let with_pdf_checks = poppler();
    let directory = output_directory();
    // Two pages at a time: Chromium is several processes, and the machine
    // has two cores.
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(page) = PAGES.get(index) else { break };
                        check(chromium, &directory, page, with_pdf_checks);
                    }
                })
            })
            .collect();
        for worker in workers {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    if std::env::var("UPDATE_SCREENSHOTS").is_ok_and(|value| value == "1") {
        let docs = support::root().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::copy(directory.join("summary.png"), docs.join("summary.png")).unwrap();
    }
    eprintln!("browser pages, screenshots and PDFs: {}", directory.display());
}
