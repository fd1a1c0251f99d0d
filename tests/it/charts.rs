//! Charts and HTML pages, read as structure: SVG through `roxmltree` (an XML
//! parser: a chart that is not well-formed XML fails here) and HTML through
//! `scraper` (an HTML5 parser, as a browser reads it). The figures they
//! should show were worked out by hand from `tests/fixtures/reports.track2`
//! (see `reports.rs`) and `ledgers/`.
//!
//! Also the two reports that came with the charts, `network` and `roster`,
//! in every output.

use std::process::Output;

use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};

use crate::privacy::FIXTURE_SECRETS;
use crate::support::{self, AS_OF};

const FIXTURE: &str = "tests/fixtures/reports.track2";
const LEDGERS: &str = "ledgers";

/// Every report kind with the arguments it needs.
const KINDS: &[&[&str]] = &[
    &["report", "directions"],
    &["report", "formats"],
    &["report", "tracks"],
    &["report", "sponsors"],
    &["report", "series"],
    &["report", "tags"],
    &["report", "timeline"],
    &["report", "timeline", "--by", "quarter"],
    &["report", "participants"],
    &["report", "reciprocity"],
    &["report", "network"],
    &["report", "summary"],
    &["summary"],
];

fn run(ledger: &str, args: &[&str]) -> Output {
    let mut args = args.to_vec();
    args.extend([ledger, "--as-of", AS_OF]);
    support::run(&args)
}

fn stdout(ledger: &str, args: &[&str]) -> String {
    let mut args = args.to_vec();
    args.extend([ledger, "--as-of", AS_OF]);
    support::stdout(&args)
}

/// The roster's series in each ledger.
fn roster_args(ledger: &str) -> Vec<&'static str> {
    let series = if ledger == FIXTURE { "pb" } else { "peace-bridge" };
    vec!["report", "roster", "--series", series]
}

/// Every kind's arguments for `ledger`, the roster included.
fn kinds(ledger: &str) -> Vec<Vec<&'static str>> {
    let mut kinds: Vec<Vec<&str>> = KINDS.iter().map(|kind| kind.to_vec()).collect();
    kinds.push(roster_args(ledger));
    kinds
}

fn with<'a>(args: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    args.iter().chain(extra).copied().collect()
}

fn svg(ledger: &str, args: &[&str]) -> String {
    stdout(ledger, &with(args, &["--output", "svg"]))
}

fn html(ledger: &str, args: &[&str]) -> String {
    stdout(ledger, &with(args, &["--output", "html"]))
}

fn has_class(node: roxmltree::Node<'_, '_>, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|classes| classes.split(' ').any(|c| c == class))
}

/// The marks of kind `class` in an SVG document.
fn marks<'a, 'input>(document: &'a roxmltree::Document<'input>, class: &str) -> Vec<roxmltree::Node<'a, 'input>> {
    document
        .descendants()
        .filter(|node| has_class(*node, "mark") && has_class(*node, class))
        .collect()
}

fn title_of(node: roxmltree::Node<'_, '_>) -> String {
    node.children()
        .find(|child| child.has_tag_name("title"))
        .and_then(|title| title.text())
        .unwrap_or_default()
        .to_owned()
}

fn selector(text: &str) -> Selector {
    Selector::parse(text).unwrap()
}

// The heatmap ---------------------------------------------------------------

/// (from, to, count) of every heatmap cell with engagements.
fn heatmap_cells(ledger: &str) -> Vec<(String, String, String)> {
    let text = svg(ledger, &["report", "directions"]);
    let document = roxmltree::Document::parse(&text).expect("well-formed SVG");
    let mut cells: Vec<(String, String, String)> = marks(&document, "cell")
        .into_iter()
        .map(|cell| {
            let attribute = |name| cell.attribute(name).unwrap().to_owned();
            let shown: String = cell
                .descendants()
                .filter(|node| node.has_tag_name("text"))
                .filter_map(|node| node.text())
                .collect();
            assert_eq!(shown, attribute("data-value"), "the count is printed in the cell");
            assert!(!title_of(cell).is_empty());
            (attribute("data-from"), attribute("data-to"), attribute("data-value"))
        })
        .collect();
    cells.sort();
    cells
}

#[test]
fn heatmap_cells_are_the_from_to_pairs_with_their_counts() {
    let expected = |cells: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        cells
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect()
    };
    // As reports.rs works them out: AM -> AZ r2, c1, p1; AZ -> AM r1, y1;
    // AM + AZ -> NL h1; AZ -> online w1.
    assert_eq!(
        heatmap_cells(FIXTURE),
        expected(&[
            ("AM", "AZ", "3"),
            ("AM + AZ", "NL", "1"),
            ("AZ", "AM", "2"),
            ("AZ", "online", "1"),
        ])
    );
    assert_eq!(
        heatmap_cells(LEDGERS),
        expected(&[("AM", "AZ", "1"), ("AZ", "AM", "3")])
    );
    let text = svg(LEDGERS, &["report", "directions"]);
    let document = roxmltree::Document::parse(&text).unwrap();
    let desc = document.descendants().find(|n| n.has_tag_name("desc")).unwrap();
    assert_eq!(desc.text(), Some("Engagements from × to: AZ → AM 3, AM → AZ 1."));
}

// The dumbbells -------------------------------------------------------------

#[test]
fn one_dumbbell_per_reciprocated_visit_with_its_lag() {
    for ledger in [FIXTURE, LEDGERS] {
        let report: Value =
            serde_json::from_str(&stdout(ledger, &["report", "reciprocity", "--output", "json"])).unwrap();
        // A lag counted from the first day of a month or year is marked ≈.
        let mut lags: Vec<String> = report["exchanges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|exchange| {
                let sign = if exchange["approximate"] == true { "≈" } else { "" };
                format!("{sign}{}", exchange["lag_days"])
            })
            .collect();
        lags.sort();
        let text = svg(ledger, &["report", "reciprocity"]);
        let document = roxmltree::Document::parse(&text).unwrap();
        let mut drawn: Vec<String> = marks(&document, "exchange")
            .into_iter()
            .map(|mark| {
                let lag = mark.attribute("data-lag").unwrap().to_owned();
                let approximate = title_of(mark).contains('≈');
                let lag = if approximate { format!("≈{lag}") } else { lag };
                let label: Vec<&str> = mark
                    .descendants()
                    .filter(|n| n.has_tag_name("text"))
                    .filter_map(|n| n.text())
                    .collect();
                assert!(label.contains(&format!("{lag} days").as_str()), "{label:?}");
                assert_eq!(mark.children().filter(|n| n.has_tag_name("circle")).count(), 2);
                lag
            })
            .collect();
        drawn.sort();
        assert_eq!(drawn, lags, "{ledger}");
        let unreturned = marks(&document, "unreturned");
        assert_eq!(unreturned.len(), report["unreturned"].as_array().unwrap().len());
        for mark in unreturned {
            let circle = mark.children().find(|n| n.has_tag_name("circle")).unwrap();
            assert_eq!(
                circle.attribute("fill"),
                Some("#ffffff"),
                "a visit not returned is hollow"
            );
        }
    }
    // The Peace Bridge: the visit to Yerevan returned in Baku 31 days later.
    let text = svg(LEDGERS, &["report", "reciprocity"]);
    let document = roxmltree::Document::parse(&text).unwrap();
    let exchange = &marks(&document, "exchange")[0];
    assert_eq!(exchange.attribute("data-lag"), Some("31"));
    assert!(title_of(*exchange).starts_with("Peace Bridge, first round in Yerevan"));
    let desc = document.descendants().find(|n| n.has_tag_name("desc")).unwrap();
    assert_eq!(
        desc.text(),
        Some("AZ → AM 3, AM → AZ 1; 1 of 4 visits returned, after 31 days.")
    );
}

// Every page ----------------------------------------------------------------

/// Checks an HTML page as a reader and a screen reader meet it: each chart
/// an `<svg role="img">` labelled by its own title and description, every
/// mark with a tooltip, and the data table beside it. Returns how many
/// charts the page has.
fn check_page(page: &str, context: &str) -> usize {
    let document = Html::parse_document(page);
    assert_eq!(
        document.errors,
        Vec::<std::borrow::Cow<'_, str>>::new(),
        "{context}: HTML parse errors"
    );
    let svgs: Vec<ElementRef<'_>> = document.select(&selector("svg")).collect();
    for svg in &svgs {
        assert_eq!(svg.value().attr("role"), Some("img"), "{context}");
        let labelled_by: Vec<&str> = svg.value().attr("aria-labelledby").unwrap().split(' ').collect();
        assert_eq!(labelled_by.len(), 2, "{context}");
        for (id, tag) in labelled_by.iter().zip(["title", "desc"]) {
            let found = svg
                .select(&selector(&format!("{tag}#{id}")))
                .next()
                .unwrap_or_else(|| panic!("{context}: no <{tag} id={id}>"));
            assert!(
                !found.text().collect::<String>().trim().is_empty(),
                "{context}: empty <{tag}>"
            );
        }
        for mark in svg.select(&selector(".mark")) {
            let title = mark
                .children()
                .filter_map(ElementRef::wrap)
                .find(|child| child.value().name() == "title")
                .unwrap_or_else(|| panic!("{context}: a mark without a <title>"));
            assert!(!title.text().collect::<String>().is_empty());
        }
        let section = svg
            .ancestors()
            .filter_map(ElementRef::wrap)
            .find(|element| element.value().name() == "section")
            .unwrap_or_else(|| panic!("{context}: a chart outside a section"));
        assert!(
            section.select(&selector("table")).next().is_some(),
            "{context}: a chart without its table"
        );
        let figure = svg.parent().and_then(ElementRef::wrap).unwrap();
        assert_eq!(figure.value().name(), "figure", "{context}");
        assert!(figure.select(&selector("figcaption")).next().is_some(), "{context}");
    }
    // Nothing is fetched: no script, no stylesheet link, no remote source.
    assert!(
        document
            .select(&selector("script, link, img, iframe, object"))
            .next()
            .is_none(),
        "{context}"
    );
    for element in document.select(&selector("*")) {
        for (name, value) in element.value().attrs() {
            if matches!(name, "src" | "href" | "xlink:href") {
                assert!(value.starts_with('#'), "{context}: {name}={value}");
            }
            assert!(
                !value.contains("url(") || value.starts_with("url(#"),
                "{context}: {name}={value}"
            );
        }
    }
    for style in document.select(&selector("style")) {
        let css: String = style.text().collect();
        assert!(!css.contains("url(") && !css.contains("@import"), "{context}");
    }
    svgs.len()
}

#[test]
fn every_chart_has_a_title_a_description_and_its_table() {
    for ledger in [FIXTURE, LEDGERS] {
        for kind in kinds(ledger) {
            let page = html(ledger, &kind);
            let charts = check_page(&page, &format!("{kind:?} on {ledger}"));
            // The summary's page is the dashboard, whichever way it is asked for.
            let expected = match kind.as_slice() {
                ["summary"] | ["report", "summary"] => 6,
                _ => 1,
            };
            assert_eq!(charts, expected, "{kind:?} on {ledger}");
            if kind != ["summary"] && kind != ["report", "summary"] {
                let chart = svg(ledger, &kind);
                let document = roxmltree::Document::parse(&chart).expect("well-formed SVG");
                let root = document.root_element();
                assert_eq!(root.attribute("role"), Some("img"));
                assert!(root.children().any(|n| n.has_tag_name("title")));
                assert!(root.children().any(|n| n.has_tag_name("desc")));
            }
        }
    }
}

#[test]
fn the_same_ledger_and_flags_give_the_same_bytes() {
    for kind in kinds(LEDGERS) {
        assert_eq!(html(LEDGERS, &kind), html(LEDGERS, &kind), "{kind:?}");
    }
    assert_eq!(
        svg(FIXTURE, &["report", "network"]),
        svg(FIXTURE, &["report", "network"])
    );
}

#[test]
fn no_withheld_string_reaches_a_chart_or_a_page() {
    let mut outputs = Vec::new();
    for kind in kinds(FIXTURE) {
        for status in ["held", "all"] {
            outputs.push(html(FIXTURE, &with(&kind, &["--status", status])));
            if kind.len() > 1 && kind[1] != "summary" {
                outputs.push(svg(FIXTURE, &with(&kind, &["--status", status])));
            }
            outputs.push(html(FIXTURE, &with(&kind, &["--status", status, "--min-count", "2"])));
        }
    }
    for output in &outputs {
        for secret in FIXTURE_SECRETS {
            assert!(!output.contains(secret), "`{secret}` leaked into:\n{output}");
        }
        assert!(!output.contains("CONFIDENTIAL"));
    }
    // Revealed, the same pages name them, so the search above can fail; and
    // every page and chart says it is confidential.
    let revealed = html(
        FIXTURE,
        &["report", "participants", "--status", "all", "--include-private"],
    );
    assert!(revealed.contains("Arsen C") && revealed.contains("Nameless Observer"));
    let document = Html::parse_document(&revealed);
    let banner = document.select(&selector("body > p.confidential")).next().unwrap();
    assert!(banner.text().collect::<String>().starts_with("CONFIDENTIAL"));
    let chart = svg(FIXTURE, &["report", "network", "--include-private"]);
    assert!(chart.starts_with("<!-- CONFIDENTIAL"));
    assert!(chart.contains("Arsen C"));
    roxmltree::Document::parse(&chart).expect("the comment keeps the SVG well-formed");
}

#[test]
fn suppressed_counts_are_drawn_without_their_length() {
    // With --min-count 3 the fixture's counts of 1 and 2 are `<3`.
    let text = svg(FIXTURE, &["report", "formats", "--min-count", "3"]);
    let document = roxmltree::Document::parse(&text).unwrap();
    let bars = marks(&document, "bar");
    assert!(!bars.is_empty());
    let stub_widths: Vec<&str> = bars
        .iter()
        .filter(|bar| bar.attribute("data-value") == Some("<3"))
        .map(|bar| {
            let rect = bar.children().find(|n| n.has_tag_name("rect")).unwrap();
            assert!(rect.attribute("fill").unwrap().starts_with("url(#"), "hatched");
            rect.attribute("width").unwrap()
        })
        .collect();
    assert!(!stub_widths.is_empty());
    assert!(
        stub_widths.iter().all(|width| *width == stub_widths[0]),
        "{stub_widths:?}"
    );
    // No exact count below the minimum is printed or drawn anywhere.
    for node in document.descendants() {
        if let Some(value) = node.attribute("data-value") {
            assert!(value == "<3" || value.parse::<u64>().unwrap() >= 3, "{value}");
        }
        if node.has_tag_name("text") {
            let text = node.text().unwrap_or_default();
            assert!(text != "1" && text != "2", "{text}");
        }
    }
    // The heatmap and the timeline hatch them too, and say so in words.
    let heatmap = svg(FIXTURE, &["report", "directions", "--min-count", "3"]);
    assert!(heatmap.contains("AZ → AM &lt;3"), "the description gives the label");
    let timeline = svg(FIXTURE, &["report", "timeline", "--min-count", "3"]);
    let document = roxmltree::Document::parse(&timeline).unwrap();
    for bar in marks(&document, "bar") {
        assert_eq!(bar.attribute("data-value"), Some("<3"));
    }
}

#[test]
fn ledger_text_is_escaped_in_charts_and_pages() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("hostile.track2");
    std::fs::write(
        &path,
        "party AM A\nparty AZ B\nformat f <b>F</b>\norg o Org \"quoted\" & <script>alert(1)</script>\n\
         person p </text><script>x</script>\u{202e}\n  party: AM\n\
         2025-01-01 AM -> AZ ]]><svg onload=alert(1)> title\n  format: f\n  sponsors: o\n  participants: p\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    for kind in [
        vec!["report", "formats"],
        vec!["report", "sponsors"],
        vec!["report", "participants"],
        vec!["report", "network"],
        vec!["report", "reciprocity"],
        vec!["summary"],
    ] {
        let page = html(path, &kind);
        assert!(!page.contains("<script"), "{kind:?}");
        assert!(!page.contains("<svg onload"), "{kind:?}");
        check_page(&page, &format!("{kind:?}"));
        if kind != ["summary"] {
            let chart = svg(path, &kind);
            roxmltree::Document::parse(&chart).unwrap_or_else(|error| panic!("{kind:?}: {error}\n{chart}"));
        }
    }
}

// The command line ------------------------------------------------------------

#[test]
fn svg_needs_a_report_with_one_chart_and_roster_needs_a_series() {
    for args in [
        &["summary", "--output", "svg"][..],
        &["report", "summary", "--output", "svg"][..],
        &["report", "roster"][..],
    ] {
        let output = run(FIXTURE, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(
            message.contains("--output html") || message.contains("--series"),
            "{message}"
        );
    }
}

#[test]
fn output_file_holds_what_stdout_would() {
    let directory = tempfile::tempdir().unwrap();
    let file = directory.path().join("summary.html");
    let output = run(LEDGERS, &["summary", "--output", "html", "-O", file.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), html(LEDGERS, &["summary"]));
    // Written again over the old file, and nothing else left behind.
    let output = run(LEDGERS, &["report", "tags", "--output-file", file.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("\nEngagements by tag\n")
    );
    assert_eq!(std::fs::read_dir(directory.path()).unwrap().count(), 1);
    let missing = directory.path().join("no/such/dir/x.html");
    let output = run(LEDGERS, &["summary", "-O", missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_header_names_the_ledger_the_commit_the_day_and_the_filters() {
    let directory = tempfile::tempdir().unwrap();
    let git = directory.path().join(".git");
    std::fs::create_dir_all(git.join("refs/heads")).unwrap();
    std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
    let commit = "89abcdef0123456789abcdef0123456789abcdef";
    std::fs::write(git.join("refs/heads/main"), format!("{commit}\n")).unwrap();
    std::fs::copy(support::root().join(FIXTURE), directory.path().join("l.track2")).unwrap();
    let output = support::track2_in(
        directory.path(),
        &[
            "report", "timeline", "l.track2", "--as-of", AS_OF, "--by", "quarter", "--from", "AZ", "--output", "html",
        ],
    )
    .output()
    .unwrap();
    let page = String::from_utf8(output.stdout).unwrap();
    let document = Html::parse_document(&page);
    let meta: String = document
        .select(&selector("header .meta"))
        .next()
        .unwrap()
        .text()
        .collect();
    for expected in ["l.track2", commit, AS_OF, "--from AZ", "--status held", "--by quarter"] {
        assert!(meta.contains(expected), "`{expected}` missing from {meta}");
    }
}

// The dashboard -----------------------------------------------------------------

#[test]
fn the_summary_page_is_a_dashboard_of_the_2025_engagements() {
    let page = html(LEDGERS, &["summary"]);
    let document = Html::parse_document(&page);
    let figures: Vec<String> = document
        .select(&selector("ul.figures li"))
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(
        figures,
        [
            "4 engagements",
            "12 named people",
            "13 seats",
            "2025-09-22 – 2025-11-22 from first to last",
            "1 of 4 visits returned",
            "0 withheld"
        ]
    );
    let titles: Vec<String> = document
        .select(&selector("figcaption h2"))
        .map(|h2| h2.text().collect())
        .collect();
    assert_eq!(
        titles,
        [
            "Engagements, from × to",
            "Engagements over time",
            "Visits and their returns",
            "People in more than one engagement",
            "Top formats",
            "Top sponsors"
        ]
    );
    let findings: Vec<String> = document
        .select(&selector("figcaption p"))
        .map(|p| p.text().collect())
        .collect();
    assert_eq!(findings[0], "Engagements from × to: AZ → AM 3, AM → AZ 1.");
    assert_eq!(
        findings[2],
        "AZ → AM 3, AM → AZ 1; 1 of 4 visits returned, after 31 days."
    );
    // Both rounds of the Peace Bridge: the five Azerbaijani visitors of
    // round one less Dilara Afandiyeva, met in Baku; the five Armenians met
    // in Yerevan, visiting in Baku. Rusif Huseynov was also at the Orbeli Forum.
    let people: Vec<String> = document
        .select(&selector("#section-4 svg .mark.span title"))
        .map(|title| title.text().collect::<String>())
        .collect();
    let names: Vec<&str> = people.iter().map(|title| title.split(" (").next().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Rusif Huseynov",
            "Areg Kochinyan",
            "Boris Navasardyan",
            "Farhad Mammadov",
            "Kamala Mammadova",
            "Naira Sultanyan",
            "Narek Minasyan",
            "Ramil Iskandarli",
            "Samvel Meliksetyan"
        ]
    );
    assert!(people[0].ends_with("3 engagements, 2025-10-21..2025-10-22 to 2025-11-21..2025-11-22"));
    // The timeline: a bar for each month with engagements, per direction.
    let bars: Vec<(String, String, String)> = document
        .select(&selector("#section-2 svg .mark.bar"))
        .map(|bar| {
            let attribute = |name| bar.value().attr(name).unwrap().to_owned();
            (
                attribute("data-series"),
                attribute("data-period"),
                attribute("data-value"),
            )
        })
        .filter(|(series, _, _)| series != "all")
        .collect();
    let expected: Vec<(String, String, String)> = [
        ("AM → AZ", "2025-11", "1"),
        ("AZ → AM", "2025-09", "1"),
        ("AZ → AM", "2025-10", "1"),
        ("AZ → AM", "2025-11", "1"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(bars, expected);
}

// The network and roster reports ------------------------------------------------

/// Worked out by hand from the fixture, held engagements, nothing revealed:
/// r1 links z1, z2 (visiting) with a1 (met); r2 links a1, a2 with z1; h1
/// links a1 and z2 on one side; w1 and y1 have one person each; at c1
/// (Chatham House) a1 and a2 count as `participant (AM)`, met by z2 as
/// `participant (AZ)`; at p1 a1 sits beside the private a3, `participant (AM)`.
#[test]
fn network_links_the_people_who_shared_an_engagement() {
    let report: Value = serde_json::from_str(&stdout(FIXTURE, &["report", "network", "--output", "json"])).unwrap();
    let people: Vec<&str> = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|person| person["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        people,
        [
            "Anna A",
            "Aram B",
            "participant (AM)",
            "Zaur D",
            "Zeynab E",
            "Zohra F",
            "participant (AZ)"
        ]
    );
    assert_eq!(
        report["links"],
        json!([
            {"a": 0, "b": 3, "engagements": 2, "met": 2, "together": 0},
            {"a": 0, "b": 4, "engagements": 2, "met": 1, "together": 1},
            {"a": 0, "b": 1, "engagements": 1, "met": 0, "together": 1},
            {"a": 0, "b": 2, "engagements": 1, "met": 0, "together": 1},
            {"a": 1, "b": 3, "engagements": 1, "met": 1, "together": 0},
            {"a": 2, "b": 6, "engagements": 1, "met": 1, "together": 0},
            {"a": 3, "b": 4, "engagements": 1, "met": 0, "together": 1},
        ])
    );
    assert_eq!(report["too_large"], 0);
    let csv = stdout(FIXTURE, &["report", "network", "--output", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("person,party,other,other_party,engagements,met,together")
    );
    assert_eq!(lines.next(), Some("Anna A,AM,Zaur D,AZ,2,2,0"));
    // The chart: a node per person, a link per pair, wider for more.
    let text = svg(FIXTURE, &["report", "network"]);
    let document = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(marks(&document, "node").len(), 7);
    let links = marks(&document, "link");
    assert_eq!(links.len(), 7);
    let width = |link: &roxmltree::Node<'_, '_>| -> f64 {
        let path = link.children().find(|n| n.has_tag_name("path")).unwrap();
        path.attribute("stroke-width").unwrap().parse().unwrap()
    };
    assert!(width(&links[0]) > width(&links[6]));
    assert_eq!(title_of(links[0]), "Anna A (AM) and Zaur D (AZ): 2 shared engagements");
    // Under --min-count 2 a link of one is `<2`: drawn dashed, its width fixed.
    let text = svg(FIXTURE, &["report", "network", "--min-count", "2"]);
    let document = roxmltree::Document::parse(&text).unwrap();
    let suppressed: Vec<_> = marks(&document, "link")
        .into_iter()
        .filter(|link| link.attribute("data-value") == Some("<2"))
        .collect();
    assert_eq!(suppressed.len(), 5);
    assert!(suppressed.iter().all(|link| width(link) == 1.0));
}

#[test]
fn roster_shows_who_took_part_in_each_round() {
    let table = stdout(FIXTURE, &["report", "roster", "--series", "pb"]);
    assert_eq!(
        table,
        "Held engagements, series Peace Bridge — tests/fixtures/reports.track2, as of 2026-01-01\n\
         \n\
         Who took part in each round of Peace Bridge\n\
         person    party  r1           r2\n\
         ────────  ─────  ───────────  ───────────\n\
         Anna A    AM     met          participant\n\
         Zaur D    AZ     participant  met\n\
         Zeynab E  AZ     participant  ·\n\
         Aram B    AM     ·            participant\n"
    );
    let csv = stdout(FIXTURE, &["report", "roster", "--series", "pb", "--output", "csv"]);
    assert_eq!(
        csv,
        "person,party,r1,r2\r\nAnna A,AM,met,participant\r\nZaur D,AZ,participant,met\r\n\
         Zeynab E,AZ,participant,\r\nAram B,AM,,participant\r\n"
    );
    let report: Value = serde_json::from_str(&stdout(
        FIXTURE,
        &["report", "roster", "--series", "pb", "--output", "json"],
    ))
    .unwrap();
    assert_eq!(report["series"], "Peace Bridge");
    assert_eq!(report["people"][3]["rounds"], json!([null, "participant"]));
    // The ledgers: nine people in both rounds of the Peace Bridge.
    let text = svg(LEDGERS, &["report", "roster", "--series", "peace-bridge"]);
    let document = roxmltree::Document::parse(&text).unwrap();
    let desc = document.descendants().find(|n| n.has_tag_name("desc")).unwrap();
    assert_eq!(
        desc.text(),
        Some("2 rounds, 13 people; 9 took part in more than one round.")
    );
    let attended = marks(&document, "attended");
    assert_eq!(attended.len(), 9 * 2 + 4);
    assert_eq!(
        attended
            .iter()
            .filter(|mark| mark.attribute("data-role") == Some("met"))
            .count(),
        12
    );
}

#[test]
fn large_engagements_and_long_series_are_bounded() {
    // One engagement of 3,000 named people: 4.5 million pairs if linked.
    let mut text = String::from("party AM A\nparty AZ B\nformat f F\nseries s S\n");
    let people: Vec<String> = (0..3000).map(|n| format!("p{n}")).collect();
    for person in &people {
        text.push_str(&format!("person {person} Person {person}\n  party: AM\n"));
    }
    text.push_str(&format!(
        "2025-01-01 AM -> AZ Crowd\n  format: f\n  participants: {}\n",
        people.join(", ")
    ));
    // And a series of 130 rounds, one person each.
    for round in 0..130 {
        let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(round);
        text.push_str(&format!(
            "{day} AZ -> AM Round {round}\n  format: f\n  series: s\n  participants: p{round}\n"
        ));
    }
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("large.track2");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    let started = std::time::Instant::now();
    let network: Value = serde_json::from_str(&stdout(path, &["report", "network", "--output", "json"])).unwrap();
    assert_eq!(network["too_large"], 1);
    assert_eq!(network["people"].as_array().unwrap().len(), 3000);
    let page = html(path, &["report", "network"]);
    assert!(page.contains("1 engagement of more than 100 people adds no links"));
    let roster: Value = serde_json::from_str(&stdout(
        path,
        &["report", "roster", "--series", "s", "--output", "json"],
    ))
    .unwrap();
    assert_eq!(roster["rounds"].as_array().unwrap().len(), 100);
    assert_eq!(roster["earlier_rounds_left_out"], 30);
    assert_eq!(roster["rounds"][0]["title"], "Round 30");
    // The network chart draws the most linked people only, and says so.
    let chart = svg(path, &["report", "network"]);
    let document = roxmltree::Document::parse(&chart).unwrap();
    assert_eq!(marks(&document, "node").len(), track2::chart::network::MAX_NODES);
    assert!(chart.contains("most linked of 3000 people"));
    // Generous for a debug build on a busy machine; quadratic work would
    // take minutes.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

// Any text ------------------------------------------------------------------

/// A valid ledger whose names, titles and venues are `texts`: three people
/// of two parties in a series of visits both ways. Titles start with a word,
/// since a title starting with `+` would read as part of the direction.
fn ledger_of(texts: &[String]) -> String {
    let text = |n: usize| texts[n % texts.len()].clone();
    let mut ledger = format!(
        "party AM {}\nparty AZ {}\nformat f {}\nseries s {}\norg o {}\n",
        text(0),
        text(1),
        text(2),
        text(3),
        text(4)
    );
    for n in 0..3 {
        let party = if n == 2 { "AZ" } else { "AM" };
        ledger.push_str(&format!(
            "person p{n} {}\n  party: {party}\n  role: {}\n",
            text(5 + n),
            text(8 + n)
        ));
    }
    for n in 0..4 {
        let direction = if n % 2 == 0 { "AM -> AZ" } else { "AZ -> AM" };
        let (visitors, met) = if n % 2 == 0 { ("p0, p1", "p2") } else { ("p2", "p0") };
        ledger.push_str(&format!(
            "2025-0{}-1{n} {direction} Visit {}\n  format: f\n  series: s\n  sponsors: o\n  venue: {}\n  \
             participants: {visitors}\n  met: {met}\n  tags: t{n}\n",
            n + 1,
            text(11 + n),
            text(15 + n)
        ));
    }
    ledger
}

/// Every report of `ledger` as an HTML page and an SVG chart.
fn pages_and_charts(ledger: &str) -> Vec<(String, String)> {
    use track2::filter::FilterSpec;
    use track2::privacy::{Disclosure, View};
    use track2::report::{self, Kind, ReportOptions};
    let loaded = track2::loader::load_bytes("any.track2", ledger.as_bytes().to_vec()).unwrap();
    let analysis = track2::check(&loaded, &support::options());
    assert!(
        analysis.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}\n{ledger}",
        analysis.diagnostics
    );
    let as_of = support::as_of();
    let view = View::filtered(
        &analysis.ledger,
        Disclosure { reveal: false, as_of },
        &FilterSpec::default(),
    )
    .unwrap();
    Kind::ALL
        .iter()
        .map(|&kind| {
            let built = report::build(kind, &view, ReportOptions::new(as_of));
            (
                report::render(built.as_ref(), report::Output::Html, false),
                report::render(built.as_ref(), report::Output::Svg, false),
            )
        })
        .collect()
}

proptest::proptest! {
    // Failures are kept beside this file, as privacy.rs's are.
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: support::cases(48),
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions")
        )),
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Whatever the ledger's text holds (markup, quotes, right-to-left
    /// marks; a control character is an error the ledger cannot pass), every chart is
    /// well-formed XML and every page parses as HTML without an error.
    #[test]
    fn any_text_gives_well_formed_charts_and_pages(
        texts in proptest::collection::vec("[^\\p{Cc}]{0,10}[^\\p{Cc} #]", 19..20)
    ) {
        let texts: Vec<String> = texts.into_iter().map(|text| text.trim_matches([' ', '\t']).to_owned()).collect();
        proptest::prop_assume!(texts.iter().all(|text| !text.is_empty()));
        for (page, chart) in pages_and_charts(&ledger_of(&texts)) {
            let document = Html::parse_document(&page);
            proptest::prop_assert!(document.errors.is_empty(), "{:?}", document.errors);
            if !chart.is_empty() {
                if let Err(error) = roxmltree::Document::parse(&chart) {
                    proptest::prop_assert!(false, "{}\n{}", error, chart);
                }
            }
        }
    }
}
