//! Realistic synthetic ledgers, for measuring track2 at sizes no real ledger
//! has yet (issue 6).
//!
//! ```sh
//! cargo run --release --example synthetic -- --entries 1000000 --out /tmp/1m.track2
//! cargo run --release --example synthetic -- --entries 100000 --errors 10000 --out /tmp/e.track2
//! cargo run --release --example synthetic -- --entries 100000 --files 8 --out /tmp/ledger-dir
//! ```
//!
//! The same seed always gives the same bytes. Without `--errors` the ledger
//! is valid: `track2 check PATH --as-of 2026-01-01` reports nothing (every
//! date is before 2026-01-01). With `--errors K`, K engagements carry one
//! fault each, and a sidecar in the conformance corpus's format
//! (`grammar/tests/README.md`) lists them as `LINE:COL CODE`, or
//! `FILE:LINE:COL CODE` for several files: `PATH.errors` beside the file or
//! directory. `--files F` writes a directory of F files instead of one file;
//! the declarations open the first.
//!
//! What the ledger holds, so that every code path of a real one is taken:
//! a dozen parties, a few thousand persons and orgs (fewer for small
//! ledgers) with `party`, `org`, `role`, `alias`, `private`, `wikidata` and
//! `x-` fields; formats and series; engagements dated 1990 to 2025 at every
//! precision, bilateral, joint and online, using every field kind (`id`,
//! `format`, `track`, `series`, `reciprocates` naming an earlier visit in the
//! opposite direction, `status`, `confidential`, `embargo`, `venue`,
//! `sponsors`, `participants` with `+N PARTY` counts, `met`, `source`,
//! `note`, `tags`, `x-`), some non-ASCII text, comments and blank lines;
//! about 180 bytes per engagement on average. Fields are written in the
//! schema's canonical order, as the formatter would leave them.
//!
//! The benchmarks include this file as a module (`benches/throughput.rs`),
//! so the generator lives in one place. Its tests (`cargo test --example
//! synthetic`, also run by `cargo test`) check the generated ledgers with
//! track2 itself.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

/// What to generate.
#[derive(Clone, Debug)]
pub struct Config {
    /// How many engagements.
    pub entries: usize,
    pub seed: u64,
    /// How many engagements carry one injected fault (at most `entries`).
    pub errors: usize,
    /// How many files the ledger is split into (at least 1).
    pub files: usize,
}

impl Config {
    pub fn new(entries: usize) -> Config {
        Config {
            entries,
            seed: 1,
            errors: 0,
            files: 1,
        }
    }
}

pub struct GeneratedFile {
    pub name: String,
    pub text: String,
}

/// A fault injected on purpose: where track2 must report it, and as what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InjectedError {
    /// Index into [`Generated::files`].
    pub file: usize,
    /// 1-based.
    pub line: usize,
    /// 1-based, in Unicode scalar values.
    pub column: usize,
    pub code: &'static str,
}

pub struct Generated {
    pub files: Vec<GeneratedFile>,
    /// In report order: by file, then position.
    pub errors: Vec<InjectedError>,
    pub engagements: usize,
    pub declarations: usize,
}

impl Generated {
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|file| file.text.len()).sum()
    }

    /// The injected errors as the conformance corpus writes them: `LINE:COL
    /// CODE`, with `FILE:` in front when the ledger has several files.
    pub fn sidecar(&self) -> String {
        let mut out = String::new();
        for error in &self.errors {
            if self.files.len() > 1 {
                out.push_str(&self.files[error.file].name);
                out.push(':');
            }
            writeln!(out, "{}:{} {}", error.line, error.column, error.code).expect("writing to a String");
        }
        out
    }
}

// The random source ---------------------------------------------------------

/// splitmix64: tiny, fast, and good enough to make text look varied. Its
/// sequence is fixed by the seed on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be 0.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True `per_mille` times in a thousand.
    pub fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }

    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }
}

// The world the ledger describes ---------------------------------------------

struct PartyInfo {
    id: &'static str,
    name: &'static str,
    wikidata: &'static str,
    first_names: &'static [&'static str],
    surname_endings: &'static [&'static str],
    cities: &'static [&'static str],
}

const PARTIES: &[PartyInfo] = &[
    PartyInfo {
        id: "AM",
        name: "Armenia",
        wikidata: "Q399",
        first_names: &[
            "Areg", "Anna", "Armen", "Boris", "Lilit", "Naira", "Narek", "Samvel", "Tigran", "Gayane",
        ],
        surname_endings: &["yan", "ian"],
        cities: &["Yerevan", "Gyumri", "Dilijan", "Vanadzor"],
    },
    PartyInfo {
        id: "AZ",
        name: "Azerbaijan",
        wikidata: "Q227",
        first_names: &[
            "Farhad", "Rusif", "Kamala", "Ramil", "Dilara", "Zaur", "Murad", "Leyla", "Aynur", "Elchin",
        ],
        surname_endings: &["ov", "ova", "li", "zade"],
        cities: &["Baku", "Ganja", "Şəki", "Shusha"],
    },
    PartyInfo {
        id: "GE",
        name: "Georgia",
        wikidata: "Q230",
        first_names: &["Nino", "Giorgi", "Tamar", "Levan", "Ana", "David", "Salome", "Irakli"],
        surname_endings: &["shvili", "dze", "ia", "ava"],
        cities: &["Tbilisi", "Batumi", "Kutaisi"],
    },
    PartyInfo {
        id: "TR",
        name: "Türkiye",
        wikidata: "Q43",
        first_names: &["Ayşe", "Mehmet", "Elif", "Emre", "Zeynep", "Burak", "Selin", "Can"],
        surname_endings: &["oğlu", "er", "can", "ay"],
        cities: &["Ankara", "İstanbul", "İzmir", "Kars"],
    },
    PartyInfo {
        id: "RU",
        name: "Russia",
        wikidata: "Q159",
        first_names: &["Sergei", "Olga", "Dmitry", "Irina", "Pavel", "Alexei", "Maria"],
        surname_endings: &["ov", "ova", "in", "ina", "sky"],
        cities: &["Moscow", "Saint Petersburg", "Sochi"],
    },
    PartyInfo {
        id: "IR",
        name: "Iran",
        wikidata: "Q794",
        first_names: &["Reza", "Maryam", "Ali", "Sara", "Hossein", "Leila", "Mehdi", "Nasrin"],
        surname_endings: &["i", "zadeh", "nejad", "pour"],
        cities: &["Tehran", "Tabriz", "Isfahan"],
    },
    PartyInfo {
        id: "US",
        name: "United States",
        wikidata: "Q30",
        first_names: &["John", "Emily", "Michael", "Sarah", "David", "Laura", "James", "Rachel"],
        surname_endings: &["son", "er", "s", "man"],
        cities: &["Washington", "New York", "Boston"],
    },
    PartyInfo {
        id: "FR",
        name: "France",
        wikidata: "Q142",
        first_names: &[
            "Claire", "Jean", "Sophie", "Pierre", "Camille", "Luc", "Marie", "Thomas",
        ],
        surname_endings: &["eau", "ier", "and", "et"],
        cities: &["Paris", "Strasbourg", "Lyon"],
    },
    PartyInfo {
        id: "DE",
        name: "Germany",
        wikidata: "Q183",
        first_names: &["Anna", "Jonas", "Katrin", "Lukas", "Sabine", "Felix", "Julia", "Tobias"],
        surname_endings: &["mann", "er", "berg", "hoff"],
        cities: &["Berlin", "Munich", "Hamburg"],
    },
    PartyInfo {
        id: "CH",
        name: "Switzerland",
        wikidata: "Q39",
        first_names: &["Urs", "Regula", "Beat", "Corinne", "Reto", "Martina"],
        surname_endings: &["li", "egger", "er"],
        cities: &["Geneva", "Bern", "Zürich", "Lausanne"],
    },
    PartyInfo {
        id: "NL",
        name: "Netherlands",
        wikidata: "Q55",
        first_names: &["Sanne", "Joost", "Fleur", "Bram", "Eva", "Pieter"],
        surname_endings: &["sma", "stra", "man", "ink"],
        cities: &["The Hague", "Amsterdam", "Utrecht"],
    },
    PartyInfo {
        id: "KZ",
        name: "Kazakhstan",
        wikidata: "Q232",
        first_names: &["Aigerim", "Nurlan", "Dana", "Yerlan", "Madina", "Askar"],
        surname_endings: &["ov", "ova", "uly", "kyzy"],
        cities: &["Astana", "Almaty"],
    },
];

const SYLLABLES: &[&str] = &[
    "ka", "ri", "mo", "sa", "ne", "lu", "ta", "vo", "di", "ra", "ze", "mi", "go", "ba", "ha", "ser", "kor", "nal",
    "bek", "tur", "dar", "van", "mel", "sul", "ar", "gri", "pet", "ros",
];

/// Format id, display name, and the word titles use for it.
const FORMATS: &[(&str, &str, &str)] = &[
    ("dialogue", "Structured bilateral dialogue", "Dialogue"),
    ("seminar", "Seminar", "Seminar"),
    ("forum", "International conference or forum", "Forum"),
    ("workshop", "Expert workshop", "Workshop"),
    ("roundtable", "Roundtable", "Roundtable"),
    ("visit", "Study visit", "Study visit"),
    ("webinar", "Online seminar", "Webinar"),
    ("consultation", "Closed-door consultation", "Consultation"),
];

const TOPICS: &[&str] = &[
    "regional connectivity",
    "border delimitation",
    "humanitarian demining",
    "missing persons",
    "water security",
    "trade and transit",
    "energy cooperation",
    "media and peace",
    "youth exchange",
    "confidence building",
    "cultural heritage",
    "climate adaptation",
    "refugee return",
    "economic recovery",
    "historical memory",
    "security guarantees",
];

const SERIES_WORDS: &[(&str, &str)] = &[
    ("peace", "Peace"),
    ("caucasus", "Caucasus"),
    ("black-sea", "Black Sea"),
    ("caspian", "Caspian"),
    ("bridge", "Bridge"),
    ("neighbours", "Neighbours"),
    ("horizons", "Horizons"),
    ("crossroads", "Crossroads"),
];

const SERIES_KINDS: &[(&str, &str)] = &[
    ("dialogue", "Dialogue"),
    ("initiative", "Initiative"),
    ("platform", "Platform"),
    ("process", "Process"),
    ("track", "Track"),
];

const ROLES: &[&str] = &[
    "Director",
    "Senior Fellow",
    "Researcher",
    "Deputy Minister",
    "Member of Parliament",
    "Journalist",
    "Programme Manager",
    "Professor",
    "Adviser to the President",
    "Analyst",
];

/// Word of an org's name, and the kind it implies.
const INSTITUTIONS: &[(&str, &str)] = &[
    ("Center for Strategic Studies", "think-tank"),
    ("Institute for Peace Research", "think-tank"),
    ("Policy Foundation", "think-tank"),
    ("State University", "university"),
    ("Peacebuilding Initiative", "ngo"),
    ("Civil Society Network", "ngo"),
    ("Herald", "media"),
    ("Ministry of Foreign Affairs", "government"),
    ("Parliamentary Committee on Foreign Relations", "government"),
    ("Heritage Society", "other"),
];

const INTERNATIONAL: &[&str] = &[
    "Council for Regional Dialogue",
    "Mediation Support Unit",
    "Conflict Resolution Fund",
    "Forum of Parliaments",
    "Commission on Missing Persons",
];

const NOTES: &[&str] = &[
    "Closed-door format; no statement was issued.",
    "Participants agreed to meet again within six months.",
    "Reported by both sides' media on the same day.",
    "The date of the second day is not confirmed.",
    "Funded by a third-party donor; the amount is not public.",
    "Some participants joined online.",
    "A joint statement was published afterwards.",
    "The organisers did not publish a list of participants.",
    "Delegates discussed the draft agreement article by article.",
    "Press coverage names one more participant, unconfirmed.",
];

const TAGS: &[&str] = &[
    "mutual-visit",
    "multilateral",
    "parliamentary",
    "youth",
    "media",
    "women-peace-security",
    "connectivity",
    "humanitarian",
    "academic",
    "direct-flight",
    "speakers",
    "closed-door",
    "joint-statement",
    "follow-up",
    "first-contact",
];

const OUTLETS: &[&str] = &[
    "https://news.az/news/",
    "https://armenpress.am/eng/news/",
    "https://civil.ge/archives/",
    "https://oc-media.org/",
    "https://eurasianet.org/",
    "https://jam-news.net/",
    "https://www.azatutyun.am/a/",
    "https://report.az/en/foreign-politics/",
    "https://caliber.az/en/post/",
    "https://www.trend.az/azerbaijan/",
];

const COMMENTS: &[&str] = &[
    "# Dates from the organiser's report; the press gives the same.",
    "# Reported late; the list of participants may be incomplete.",
    "# Two sources disagree on the venue; the organiser's is recorded.",
    "# TODO: find a second source.",
];

/// The engagements' dates run over these days.
fn first_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date")
}

/// Late enough to leave room for a range of up to three days in 2025.
fn last_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 20).expect("a date")
}

/// Lower-case ASCII for an id: `Ayşe Kar-oğlu` becomes `ayse-kar-oglu`.
fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let folded = match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            ' ' | '-' => '-',
            'ş' | 'Ş' => 's',
            'ə' | 'Ə' => 'e',
            'ü' | 'Ü' => 'u',
            'ö' | 'Ö' => 'o',
            'ç' | 'Ç' => 'c',
            'ğ' | 'Ğ' => 'g',
            'ı' | 'İ' => 'i',
            _ => continue,
        };
        if !(folded == '-' && out.ends_with('-')) {
            out.push(folded);
        }
    }
    out
}

/// `base`, or `base-2`, `base-3`… whichever is not taken yet.
fn unique(base: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| taken.insert(id.clone()))
        .expect("some suffix is free")
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct Org {
    id: String,
}

struct Person {
    id: String,
}

struct Series {
    id: String,
    name: String,
    sides: (usize, usize),
    format: usize,
    rounds: usize,
}

struct World {
    orgs: Vec<Org>,
    /// Per party, the indices of its orgs.
    orgs_of: Vec<Vec<usize>>,
    persons: Vec<Person>,
    /// Per party, the indices of its persons.
    persons_of: Vec<Vec<usize>>,
    /// Persons with no party, who may take part in anything.
    unaffiliated: Vec<usize>,
    person_ids: HashSet<String>,
    series: Vec<Series>,
}

/// Where lines go: one file's text and its line count.
struct Sink {
    text: String,
    /// Lines written so far; the next line is `lines + 1`.
    lines: usize,
}

impl Sink {
    fn line(&mut self, line: &str) -> usize {
        self.text.push_str(line);
        self.text.push('\n');
        self.lines += 1;
        self.lines
    }

    fn blank(&mut self) {
        self.line("");
    }
}

// Declarations -----------------------------------------------------------------

fn declare(rng: &mut Rng, entries: usize, out: &mut Sink) -> (World, usize) {
    let person_count = (entries / 100).clamp(200, 4000);
    let org_count = person_count / 4;
    let series_count = (entries / 2000).clamp(8, 500);
    let mut declarations = 0;
    let mut line = String::new();

    out.line("# Parties.");
    out.blank();
    for (index, party) in PARTIES.iter().enumerate() {
        out.line(&format!("party {} {}", party.id, party.name));
        out.line(&format!("  wikidata: {}", party.wikidata));
        if index % 5 == 0 {
            out.line(&format!("  x-iso2: {}", party.id));
        }
        out.blank();
        declarations += 1;
    }

    out.line("# Organisations.");
    out.blank();
    let mut taken = HashSet::new();
    let mut orgs = Vec::with_capacity(org_count);
    let mut orgs_of = vec![Vec::new(); PARTIES.len()];
    for index in 0..org_count {
        let international = rng.chance(120);
        let party = rng.below(PARTIES.len());
        let info = &PARTIES[party];
        let (name, kind, id_base) = if international {
            let what = rng.pick(INTERNATIONAL);
            let name = format!(
                "{} {what}",
                rng.pick(&["European", "Eurasian", "Global", "Nordic", "Regional"])
            );
            let initials: String = name.split(' ').filter_map(|word| word.chars().next()).collect();
            (name, "international", slug(&initials))
        } else {
            let city = rng.pick(info.cities);
            let (what, kind) = *rng.pick(INSTITUTIONS);
            let initials: String = what.split(' ').filter_map(|word| word.chars().next()).collect();
            (
                format!("{city} {what}"),
                kind,
                format!("{}-{}", slug(city), slug(&initials)),
            )
        };
        let id = unique(id_base, &mut taken);
        out.line(&format!("org {id} {name}"));
        if !international {
            out.line(&format!("  party: {}", info.id));
            orgs_of[party].push(index);
        }
        if rng.chance(900) {
            out.line(&format!("  kind: {kind}"));
        }
        if rng.chance(60) {
            out.line(&format!("  wikidata: Q{}", 1_000_000 + rng.below(90_000_000)));
        }
        if rng.chance(20) {
            out.line(&format!("  x-founded: {}", 1950 + rng.below(70)));
        }
        out.blank();
        orgs.push(Org { id });
        declarations += 1;
    }

    out.line("# People.");
    out.blank();
    let mut person_ids = HashSet::new();
    let mut persons = Vec::with_capacity(person_count);
    let mut persons_of = vec![Vec::new(); PARTIES.len()];
    let mut unaffiliated = Vec::new();
    for index in 0..person_count {
        let party = rng.below(PARTIES.len());
        let info = &PARTIES[party];
        let first = *rng.pick(info.first_names);
        let surname = capitalized(&format!(
            "{}{}{}",
            rng.pick(SYLLABLES),
            rng.pick(SYLLABLES),
            rng.pick(info.surname_endings)
        ));
        let name = format!("{first} {surname}");
        let id = unique(slug(&name), &mut person_ids);
        out.line(&format!("person {id} {name}"));
        if rng.chance(50) {
            unaffiliated.push(index);
        } else {
            out.line(&format!("  party: {}", info.id));
            persons_of[party].push(index);
            if rng.chance(600) && !orgs_of[party].is_empty() {
                let org = *rng.pick(&orgs_of[party]);
                out.line(&format!("  org: {}", orgs[org].id));
            }
        }
        if rng.chance(400) {
            out.line(&format!("  role: {}", rng.pick(ROLES)));
        }
        for _ in 0..[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2][rng.below(13)] {
            out.line(&format!(
                "  alias: {first} {}",
                surname.replacen('a', "e", 1 + rng.below(2))
            ));
        }
        if rng.chance(20) {
            out.line("  private: yes");
        }
        if rng.chance(40) {
            out.line(&format!("  wikidata: Q{}", 1_000_000 + rng.below(90_000_000)));
        }
        if rng.chance(10) {
            line.clear();
            write!(
                line,
                "  x-orcid: 0000-000{}-{:04}-{:04}",
                rng.below(10),
                rng.below(10_000),
                rng.below(10_000)
            )
            .expect("writing to a String");
            out.line(&line);
        }
        out.blank();
        persons.push(Person { id });
        declarations += 1;
    }

    out.line("# Formats and series.");
    out.blank();
    for (id, name, _) in FORMATS {
        out.line(&format!("format {id} {name}"));
        out.blank();
        declarations += 1;
    }
    let mut series_ids = HashSet::new();
    let mut series = Vec::with_capacity(series_count);
    for _ in 0..series_count {
        let (word_id, word) = *rng.pick(SERIES_WORDS);
        let (kind_id, kind) = *rng.pick(SERIES_KINDS);
        let id = unique(format!("{word_id}-{kind_id}"), &mut series_ids);
        let a = rng.below(PARTIES.len());
        let b = (a + 1 + rng.below(PARTIES.len() - 1)) % PARTIES.len();
        let name = format!("{}–{} {word} {kind}", PARTIES[a].name, PARTIES[b].name);
        out.line(&format!("series {id} {name}"));
        if rng.chance(100) {
            out.line(&format!("  x-founded: {}", 1990 + rng.below(30)));
        }
        series.push(Series {
            id,
            name,
            sides: (a, b),
            format: rng.below(FORMATS.len()),
            rounds: 0,
        });
        out.blank();
        declarations += 1;
    }

    let world = World {
        orgs,
        orgs_of,
        persons,
        persons_of,
        unaffiliated,
        person_ids,
        series,
    };
    (world, declarations)
}

// Engagements -------------------------------------------------------------------

/// The faults `--errors` injects: each gives exactly one diagnostic, whose
/// place is known when the line is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    UndeclaredPerson,
    UndeclaredFormat,
    InvalidDate,
    UnknownField,
    InvalidValue,
    MissingField,
    UndeclaredParty,
    InvalidUrl,
    DuplicateListItem,
    EmptyListItem,
    MissingColon,
    DuplicateEntryId,
}

const FAULTS: &[Fault] = &[
    Fault::UndeclaredPerson,
    Fault::UndeclaredFormat,
    Fault::InvalidDate,
    Fault::UnknownField,
    Fault::InvalidValue,
    Fault::MissingField,
    Fault::UndeclaredParty,
    Fault::InvalidUrl,
    Fault::DuplicateListItem,
    Fault::EmptyListItem,
    Fault::MissingColon,
    Fault::DuplicateEntryId,
];

impl Fault {
    fn code(self) -> &'static str {
        match self {
            Fault::UndeclaredPerson => "undeclared-person",
            Fault::UndeclaredFormat => "undeclared-format",
            Fault::InvalidDate => "invalid-date",
            Fault::UnknownField => "unknown-field",
            Fault::InvalidValue => "invalid-value",
            Fault::MissingField => "missing-field",
            Fault::UndeclaredParty => "undeclared-party",
            Fault::InvalidUrl => "invalid-url",
            Fault::DuplicateListItem => "duplicate-list-item",
            Fault::EmptyListItem => "empty-list-item",
            Fault::MissingColon => "missing-colon",
            Fault::DuplicateEntryId => "duplicate-entry-id",
        }
    }
}

enum Participant {
    Person(usize),
    Count(usize, usize),
}

/// One engagement, decided in full before it is written.
#[derive(Default)]
struct Plan {
    date: String,
    /// Days from the common era of the first possible day.
    first_day: i32,
    origin: Vec<usize>,
    /// `None` for `online`.
    destination: Option<usize>,
    title: String,
    id: Option<String>,
    format: usize,
    track: Option<&'static str>,
    series: Option<usize>,
    reciprocates: Option<String>,
    status: Option<&'static str>,
    confidential: Option<&'static str>,
    embargo: Option<String>,
    venue: Option<String>,
    sponsors: Vec<usize>,
    participants: Vec<Participant>,
    met: Vec<usize>,
    sources: Vec<String>,
    notes: Vec<&'static str>,
    tags: Vec<&'static str>,
    extra: Vec<(&'static str, String)>,
    /// Write a comment line inside the block, before the fields.
    inner_comment: Option<&'static str>,
}

impl Plan {
    fn is_bilateral(&self) -> bool {
        self.origin.len() == 1 && self.destination.is_some()
    }
}

struct Engagements<'w> {
    rng: Rng,
    world: &'w mut World,
    entries: usize,
    /// Hashes of (date, origin, destination, title), to keep engagements
    /// from being `duplicate-engagement`s of one another.
    keys: HashSet<u64>,
    /// The last bilateral visit with an id per (origin, destination), and
    /// its first day: what a visit the other way may reciprocate.
    last_visit: HashMap<(usize, usize), (String, i32)>,
    last_id: Option<String>,
    year: i32,
    line: String,
}

/// `n` distinct items of `pool`, or fewer when the pool is smaller.
fn distinct<T: Copy + PartialEq>(rng: &mut Rng, pool: &[T], n: usize) -> Vec<T> {
    let mut chosen = Vec::with_capacity(n);
    for _ in 0..n.min(pool.len()) * 3 {
        if chosen.len() == n.min(pool.len()) {
            break;
        }
        let item = *rng.pick(pool);
        if !chosen.contains(&item) {
            chosen.push(item);
        }
    }
    chosen
}

impl Engagements<'_> {
    fn plan(&mut self, index: usize, fault: Option<Fault>) -> Plan {
        let rng = &mut self.rng;
        let mut plan = Plan::default();
        let (start, end) = (first_date(), last_date());
        let span = (end - start).num_days() as u64;
        let offset = if self.entries > 1 {
            index as u64 * span / (self.entries as u64 - 1)
        } else {
            0
        };
        let day = start + chrono::Days::new(offset);

        // Who went where, and under which title.
        let in_series = fault != Some(Fault::UndeclaredParty) && rng.chance(200);
        let topic = *rng.pick(TOPICS);
        if in_series {
            let which = rng.below(self.world.series.len());
            let series = &mut self.world.series[which];
            series.rounds += 1;
            let (a, b) = series.sides;
            let (from, to) = if series.rounds % 2 == 1 { (a, b) } else { (b, a) };
            plan.origin = vec![from];
            plan.destination = Some(to);
            plan.format = series.format;
            plan.series = Some(which);
            plan.title = format!("{}, round {}", series.name, series.rounds);
        } else {
            let shape = if fault == Some(Fault::UndeclaredParty) {
                0
            } else {
                rng.below(100)
            };
            let first = rng.below(PARTIES.len());
            let second = (first + 1 + rng.below(PARTIES.len() - 1)) % PARTIES.len();
            match shape {
                0..80 => {
                    plan.origin = vec![first];
                    plan.destination = Some(second);
                }
                80..90 => {
                    let third = (0..PARTIES.len())
                        .map(|step| (second + 1 + step) % PARTIES.len())
                        .find(|&party| party != first && party != second)
                        .expect("a dozen parties");
                    plan.origin = vec![first, second];
                    plan.destination = Some(third);
                }
                _ => {
                    plan.origin = if rng.chance(300) {
                        vec![first, second]
                    } else {
                        vec![first]
                    };
                    plan.destination = None;
                }
            }
            plan.format = match plan.destination {
                None => FORMATS.iter().position(|f| f.0 == "webinar").expect("webinar"),
                Some(_) => rng.below(FORMATS.len()),
            };
            let noun = FORMATS[plan.format].2;
            plan.title = match (plan.destination, rng.below(3)) {
                (None, _) => format!("{noun} on {topic} (online)"),
                (Some(to), 0) => format!("{noun} on {topic} in {}", rng.pick(PARTIES[to].cities)),
                (Some(to), 1) => format!(
                    "{}–{} {} on {topic}",
                    PARTIES[plan.origin[0]].name,
                    PARTIES[to].name,
                    noun.to_lowercase()
                ),
                (Some(to), _) => format!("{} {noun}: {topic}", rng.pick(PARTIES[to].cities)),
            };
        }

        // The date, at every precision.
        let (date, first_day) = match rng.below(100) {
            0..70 => (day.format("%Y-%m-%d").to_string(), day),
            70..90 => {
                let last = day + chrono::Days::new(rng.between(1, 3) as u64);
                (format!("{}..{}", day.format("%Y-%m-%d"), last.format("%Y-%m-%d")), day)
            }
            90..97 => (
                day.format("%Y-%m").to_string(),
                day.with_day(1).expect("the first of a month"),
            ),
            _ => (
                day.format("%Y").to_string(),
                NaiveDate::from_ymd_opt(day.year(), 1, 1).expect("a new year"),
            ),
        };
        plan.date = match fault {
            // No 30 February in any year.
            Some(Fault::InvalidDate) => format!("{}-02-30", day.year()),
            _ => date,
        };
        plan.first_day = first_day.num_days_from_ce();

        // No two engagements share date, direction and title.
        let key = |plan: &Plan| {
            let mut hasher = DefaultHasher::new();
            let mut origin = plan.origin.clone();
            origin.sort_unstable();
            (&plan.date, origin, plan.destination, &plan.title).hash(&mut hasher);
            hasher.finish()
        };
        if !self.keys.insert(key(&plan)) {
            let title = plan.title.clone();
            for session in 2.. {
                plan.title = format!("{title}, session {session}");
                if self.keys.insert(key(&plan)) {
                    break;
                }
            }
        }

        // The fields.
        let bilateral = plan.is_bilateral();
        if plan.series.is_some() || (bilateral && rng.chance(300)) || rng.chance(100) {
            plan.id = Some(match plan.series {
                Some(series) => format!("{}-{}", self.world.series[series].id, self.world.series[series].rounds),
                None => {
                    let from = PARTIES[plan.origin[0]].id.to_ascii_lowercase();
                    let to = plan
                        .destination
                        .map_or("online".to_owned(), |to| PARTIES[to].id.to_ascii_lowercase());
                    format!("{from}-{to}-{index}")
                }
            });
        }
        plan.track = match rng.below(100) {
            0..25 => Some("1.5"),
            25..35 => Some("2"),
            35..40 => Some("1"),
            _ => None,
        };
        if let (Some(to), true) = (plan.destination, bilateral) {
            let from = plan.origin[0];
            let chance = if plan.series.is_some() { 150 } else { 50 };
            if let Some((id, first_day)) = self.last_visit.get(&(to, from)) {
                if *first_day < plan.first_day && fault.is_none() && rng.chance(chance) {
                    plan.reciprocates = Some(id.clone());
                }
            }
        }
        plan.status = match rng.below(100) {
            0..6 => Some("held"),
            6..10 => Some("cancelled"),
            10..12 => Some("postponed"),
            _ => None,
        };
        plan.confidential = match rng.below(1000) {
            0..25 => Some("chatham-house"),
            25..30 => Some("private"),
            _ => None,
        };
        if rng.chance(10) {
            plan.embargo = Some(format!("{}", 2026 + rng.below(10)));
        }
        if rng.chance(400) {
            plan.venue = Some(match plan.destination {
                Some(to) => {
                    let city = *rng.pick(PARTIES[to].cities);
                    if rng.chance(200) {
                        format!(
                            "{city}, {} Hotel",
                            rng.pick(&["Marriott", "Radisson", "Hyatt", "Grand"])
                        )
                    } else {
                        city.to_owned()
                    }
                }
                None => "Zoom".to_owned(),
            });
        }
        if rng.chance(200) {
            let pool: Vec<usize> = plan
                .origin
                .iter()
                .chain(plan.destination.iter())
                .flat_map(|&party| self.world.orgs_of[party].iter().copied())
                .collect();
            let count = rng.between(1, 2);
            plan.sponsors = distinct(rng, &pool, count);
        }
        if rng.chance(350) || fault == Some(Fault::UndeclaredPerson) {
            let pool: Vec<usize> = plan
                .origin
                .iter()
                .flat_map(|&party| self.world.persons_of[party].iter().copied())
                .collect();
            let people = rng.between(1, 4);
            plan.participants = distinct(rng, &pool, people)
                .into_iter()
                .map(Participant::Person)
                .collect();
            if rng.chance(30) && !self.world.unaffiliated.is_empty() {
                let person = *rng.pick(&self.world.unaffiliated);
                plan.participants.push(Participant::Person(person));
            }
            if rng.chance(250) || plan.participants.is_empty() {
                plan.participants
                    .push(Participant::Count(rng.between(1, 12), *rng.pick(&plan.origin)));
            }
        }
        if let (true, Some(to)) = (rng.chance(150), plan.destination) {
            let count = rng.between(1, 3);
            plan.met = distinct(rng, &self.world.persons_of[to], count);
        }
        if rng.chance(250) || fault == Some(Fault::InvalidUrl) {
            for _ in 0..if rng.chance(150) { 2 } else { 1 } {
                plan.sources.push(format!(
                    "{}{}-{}",
                    rng.pick(OUTLETS),
                    slug(topic),
                    100_000 + rng.below(900_000)
                ));
            }
        }
        if rng.chance(120) {
            let count = if rng.chance(200) { 2 } else { 1 };
            plan.notes = distinct(rng, NOTES, count);
        }
        if rng.chance(250) || matches!(fault, Some(Fault::DuplicateListItem | Fault::EmptyListItem)) {
            let count = rng.between(1, 3);
            plan.tags = distinct(rng, TAGS, count);
        }
        if rng.chance(30) {
            plan.extra
                .push(("x-budget", format!("EUR {}", 1000 * rng.between(5, 500))));
        }
        if rng.chance(10) {
            plan.extra
                .push(("x-language", rng.pick(&["English", "Russian", "Türkçe"]).to_string()));
        }
        if rng.chance(5) {
            plan.inner_comment = Some("  # Fields below are from the second source.");
        }
        if matches!(fault, Some(Fault::UnknownField | Fault::MissingColon)) && plan.venue.is_none() {
            plan.venue = Some(
                plan.destination
                    .map_or("Zoom".into(), |to| PARTIES[to].cities[0].to_owned()),
            );
        }
        if fault == Some(Fault::InvalidValue) {
            plan.track = Some("3");
        }
        if fault == Some(Fault::DuplicateEntryId) {
            plan.id = self.last_id.clone();
        }
        plan
    }

    /// Writes one engagement block; returns the fault's line and column.
    fn write(&mut self, plan: &Plan, fault: Option<Fault>, out: &mut Sink) -> Option<(usize, usize)> {
        let mut at = None;
        let column = |line: &str, byte: usize| line[..byte].chars().count() + 1;
        let line = &mut self.line;
        let world = &*self.world;

        // The header.
        line.clear();
        line.push_str(&plan.date);
        line.push(' ');
        for (index, &party) in plan.origin.iter().enumerate() {
            if index > 0 {
                line.push_str(" + ");
            }
            line.push_str(PARTIES[party].id);
        }
        line.push_str(" -> ");
        let destination_at = line.len();
        match plan.destination {
            Some(to) => line.push_str(PARTIES[to].id),
            None => line.push_str("online"),
        }
        if fault == Some(Fault::UndeclaredParty) {
            // `AZ` becomes `AZX`: a slip that names no party.
            line.push('X');
        }
        line.push(' ');
        line.push_str(&plan.title);
        let header = out.line(line);
        match fault {
            Some(Fault::InvalidDate | Fault::MissingField) => at = Some((header, 1)),
            Some(Fault::UndeclaredParty) => at = Some((header, column(line, destination_at))),
            _ => {}
        }
        if let Some(comment) = plan.inner_comment {
            out.line(comment);
        }

        // The fields, in canonical order.
        if let Some(id) = &plan.id {
            let number = field(out, line, "id", id);
            if fault == Some(Fault::DuplicateEntryId) {
                at = Some((number, 7));
            }
        }
        let format = FORMATS[plan.format].0;
        match fault {
            Some(Fault::MissingField) => {}
            Some(Fault::UndeclaredFormat) => {
                // Two letters swapped: `dialogue` becomes `dailogue`.
                let mut typo: Vec<char> = format.chars().collect();
                typo.swap(1, 2);
                let typo: String = typo.into_iter().collect();
                at = Some((field(out, line, "format", &typo), 11));
            }
            _ => {
                field(out, line, "format", format);
            }
        }
        if let Some(track) = plan.track {
            let number = field(out, line, "track", track);
            if fault == Some(Fault::InvalidValue) {
                at = Some((number, 10));
            }
        }
        if let Some(series) = plan.series {
            field(out, line, "series", &world.series[series].id);
        }
        if let Some(target) = &plan.reciprocates {
            field(out, line, "reciprocates", target);
        }
        if let Some(status) = plan.status {
            field(out, line, "status", status);
        }
        if let Some(confidential) = plan.confidential {
            field(out, line, "confidential", confidential);
        }
        if let Some(embargo) = &plan.embargo {
            field(out, line, "embargo", embargo);
        }
        if let Some(venue) = &plan.venue {
            match fault {
                Some(Fault::UnknownField) => at = Some((field(out, line, "venu", venue), 3)),
                Some(Fault::MissingColon) => {
                    line.clear();
                    line.push_str("  venue ");
                    line.push_str(venue);
                    at = Some((out.line(line), 3));
                }
                _ => {
                    field(out, line, "venue", venue);
                }
            }
        }
        if !plan.sponsors.is_empty() {
            list(
                line,
                "sponsors",
                plan.sponsors.iter().map(|&org| world.orgs[org].id.as_str()),
            );
            out.line(line);
        }
        if !plan.participants.is_empty() {
            let mut typo = None;
            if fault == Some(Fault::UndeclaredPerson) {
                let last = plan
                    .participants
                    .iter()
                    .rev()
                    .find_map(|participant| match participant {
                        Participant::Person(person) => Some(world.persons[*person].id.as_str()),
                        Participant::Count(..) => None,
                    })
                    .unwrap_or("someone");
                // A slip of one letter, as a person would make.
                let mut candidate = last.replacen('a', "e", 1);
                while candidate == last || world.person_ids.contains(&candidate) {
                    candidate.push('h');
                }
                typo = Some(candidate);
            }
            let texts: Vec<String> = plan
                .participants
                .iter()
                .map(|participant| match *participant {
                    Participant::Person(person) => world.persons[person].id.clone(),
                    Participant::Count(count, party) => format!("+{count} {}", PARTIES[party].id),
                })
                .chain(typo)
                .collect();
            let starts = list(line, "participants", texts.iter().map(String::as_str));
            let number = out.line(line);
            if fault == Some(Fault::UndeclaredPerson) {
                at = Some((number, column(line, *starts.last().expect("the typo"))));
            }
        }
        if !plan.met.is_empty() {
            list(
                line,
                "met",
                plan.met.iter().map(|&person| world.persons[person].id.as_str()),
            );
            out.line(line);
        }
        for (index, source) in plan.sources.iter().enumerate() {
            if index == 0 && fault == Some(Fault::InvalidUrl) {
                at = Some((field(out, line, "source", &source.replacen("https", "htps", 1)), 11));
            } else {
                field(out, line, "source", source);
            }
        }
        for note in &plan.notes {
            field(out, line, "note", note);
        }
        if !plan.tags.is_empty() {
            let mut tags = plan.tags.clone();
            match fault {
                Some(Fault::DuplicateListItem) => tags.push(tags[0]),
                Some(Fault::EmptyListItem) => tags.insert(1, ""),
                _ => {}
            }
            let starts = list(line, "tags", tags.iter().copied());
            let number = out.line(line.trim_end());
            match fault {
                Some(Fault::DuplicateListItem) => {
                    at = Some((number, column(line, *starts.last().expect("the repeat"))));
                }
                // Just after the comma before the empty item.
                Some(Fault::EmptyListItem) => at = Some((number, column(line, starts[1] - 1))),
                _ => {}
            }
        }
        for (key, value) in &plan.extra {
            field(out, line, key, value);
        }
        at
    }
}

/// Writes `  key: value`; returns its line number.
fn field(out: &mut Sink, line: &mut String, key: &str, value: &str) -> usize {
    line.clear();
    line.push_str("  ");
    line.push_str(key);
    line.push_str(": ");
    line.push_str(value);
    out.line(line)
}

/// Puts `  key: a, b, c` in `line`; returns where each item starts.
fn list<'i>(line: &mut String, key: &str, items: impl Iterator<Item = &'i str>) -> Vec<usize> {
    line.clear();
    line.push_str("  ");
    line.push_str(key);
    line.push_str(": ");
    let mut starts = Vec::new();
    for (index, item) in items.enumerate() {
        if index > 0 {
            line.push_str(", ");
        }
        starts.push(line.len());
        line.push_str(item);
    }
    starts
}

/// Generates a ledger as `config` says. Deterministic in the config.
pub fn generate(config: &Config) -> Generated {
    let files = config.files.max(1);
    let errors = config.errors.min(config.entries);
    let mut rng = Rng::new(config.seed);
    let mut sinks: Vec<Sink> = (0..files)
        .map(|_| Sink {
            text: String::with_capacity(config.entries / files * 190 + 4096),
            lines: 0,
        })
        .collect();
    let header = format!(
        "# A synthetic ledger from examples/synthetic.rs: seed {}, {} engagements, {} injected errors.",
        config.seed, config.entries, errors
    );
    for sink in &mut sinks {
        sink.line(&header);
        sink.blank();
    }
    let (mut world, declarations) = declare(&mut rng, config.entries, &mut sinks[0]);
    let mut engagements = Engagements {
        rng: Rng::new(rng.next_u64()),
        world: &mut world,
        entries: config.entries,
        keys: HashSet::with_capacity(config.entries),
        last_visit: HashMap::new(),
        last_id: None,
        year: 0,
        line: String::new(),
    };
    let mut injected = Vec::with_capacity(errors);
    let mut fault_rng = Rng::new(rng.next_u64());
    let mut current_file = 0;
    for index in 0..config.entries {
        let file = index * files / config.entries;
        let out = &mut sinks[file];
        // Exactly `errors` faults, spread evenly.
        let faulty = errors > 0 && index * errors / config.entries != (index + 1) * errors / config.entries;
        let mut fault = faulty.then(|| *fault_rng.pick(FAULTS));
        if fault == Some(Fault::DuplicateEntryId) && engagements.last_id.is_none() {
            fault = Some(Fault::UnknownField);
        }
        let plan = engagements.plan(index, fault);
        let year = plan.date[..4].parse().expect("a year");
        if year != engagements.year || file != current_file {
            current_file = file;
            engagements.year = year;
            out.line(&format!("# {year}"));
            out.blank();
        }
        if engagements.rng.chance(15) {
            let comment = *engagements.rng.pick(COMMENTS);
            out.line(comment);
        }
        let at = engagements.write(&plan, fault, out);
        out.blank();
        if let (Some(fault), Some((line, column))) = (fault, at) {
            injected.push(InjectedError {
                file,
                line,
                column,
                code: fault.code(),
            });
        }
        // Only a faultless engagement is something later ones may name.
        if let (None, Some(id)) = (fault, &plan.id) {
            engagements.last_id = Some(id.clone());
            if let (true, Some(to)) = (plan.is_bilateral(), plan.destination) {
                engagements
                    .last_visit
                    .insert((plan.origin[0], to), (id.clone(), plan.first_day));
            }
        }
    }
    let files = sinks
        .into_iter()
        .enumerate()
        .map(|(index, mut sink)| {
            // One line ending at the end, as `track2 fmt` leaves a file.
            sink.text.truncate(sink.text.trim_end_matches('\n').len() + 1);
            GeneratedFile {
                name: format!("ledger-{:04}.track2", index + 1),
                text: sink.text,
            }
        })
        .collect();
    Generated {
        files,
        errors: injected,
        engagements: config.entries,
        declarations,
    }
}

// The command ------------------------------------------------------------------

const USAGE: &str = "usage: synthetic --entries N [--seed S] [--errors K] [--files F] --out PATH\n\
     writes PATH (a file, or a directory of F files when F > 1) and, with --errors, PATH.errors";

fn parse_args(args: impl Iterator<Item = String>) -> Result<(Config, PathBuf), String> {
    let mut config = Config::new(0);
    let mut entries = None;
    let mut out = None;
    let mut args = args;
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |text: String| {
            text.replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("`{text}` is not a number"))
        };
        match flag.as_str() {
            "--entries" => entries = Some(number(value()?)? as usize),
            "--seed" => config.seed = number(value()?)?,
            "--errors" => config.errors = number(value()?)? as usize,
            "--files" => config.files = (number(value()?)? as usize).max(1),
            "--out" => out = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    config.entries = entries.ok_or_else(|| format!("--entries is required\n{USAGE}"))?;
    let out = out.ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    if config.errors > config.entries {
        return Err(format!(
            "--errors {} exceeds --entries {}",
            config.errors, config.entries
        ));
    }
    Ok((config, out))
}

/// `PATH.errors` beside a file or directory: `a/b.track2` gives `a/b.errors`.
pub fn sidecar_path(out: &Path) -> PathBuf {
    if out.extension().is_some_and(|extension| extension == "track2") {
        out.with_extension("errors")
    } else {
        let mut name = out.as_os_str().to_owned();
        name.push(".errors");
        PathBuf::from(name)
    }
}

fn write(generated: &Generated, out: &Path) -> std::io::Result<()> {
    if let [file] = generated.files.as_slice() {
        std::fs::write(out, &file.text)?;
    } else {
        std::fs::create_dir_all(out)?;
        for file in &generated.files {
            std::fs::write(out.join(&file.name), &file.text)?;
        }
    }
    let sidecar = sidecar_path(out);
    if generated.errors.is_empty() {
        match std::fs::remove_file(&sidecar) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
    } else {
        std::fs::write(sidecar, generated.sidecar())?;
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    let (config, out) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::from(2);
        }
    };
    let generated = generate(&config);
    if let Err(error) = write(&generated, &out) {
        eprintln!("synthetic: cannot write {}: {error}", out.display());
        return std::process::ExitCode::FAILURE;
    }
    let bytes = generated.bytes();
    eprintln!(
        "wrote {}: {} file(s), {bytes} bytes, {} engagements ({:.0} bytes each), {} declarations, {} injected errors",
        out.display(),
        generated.files.len(),
        generated.engagements,
        bytes as f64 / generated.engagements.max(1) as f64,
        generated.declarations,
        generated.errors.len(),
    );
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use track2::{AnalysisOptions, loader};

    fn as_of() -> AnalysisOptions {
        AnalysisOptions {
            as_of: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        }
    }

    /// What track2 reports on a generated ledger, as sidecar lines.
    fn reported(generated: &Generated) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger");
        write(generated, &path).unwrap();
        let loaded = loader::load(
            &track2::Disk,
            std::slice::from_ref(&path),
            &track2::LoadOptions::default(),
        )
        .unwrap();
        let analysis = track2::check(&loaded, &as_of());
        analysis
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let file = loaded.sources.get(diagnostic.location.file);
                let position = file.position(diagnostic.location.span.start as usize);
                let place = format!("{}:{} {}", position.line, position.column, diagnostic.code);
                if generated.files.len() == 1 {
                    place
                } else {
                    let name = Path::new(file.name())
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    format!("{name}:{place}")
                }
            })
            .collect()
    }

    #[test]
    fn a_generated_ledger_is_valid() {
        let generated = generate(&Config::new(3000));
        let loaded = loader::load_bytes("synthetic.track2", generated.files[0].text.clone().into_bytes()).unwrap();
        let analysis = track2::check(&loaded, &as_of());
        assert!(
            analysis.diagnostics.is_empty(),
            "{:?}",
            &analysis.diagnostics[..5.min(analysis.diagnostics.len())]
        );
        assert_eq!(analysis.ledger.engagements.len(), 3000);
        // Reciprocations were written and held.
        assert!(analysis.ledger.engagements.iter().any(|e| e.reciprocates.is_some()));
    }

    #[test]
    fn a_ledger_in_several_files_is_valid() {
        let config = Config {
            files: 3,
            ..Config::new(2000)
        };
        let generated = generate(&config);
        assert_eq!(generated.files.len(), 3);
        assert!(reported(&generated).is_empty());
    }

    #[test]
    fn injected_errors_are_reported_where_the_sidecar_says() {
        for files in [1, 2] {
            let config = Config {
                errors: 240,
                files,
                seed: 7,
                ..Config::new(2400)
            };
            let generated = generate(&config);
            assert_eq!(generated.errors.len(), 240);
            let expected: Vec<String> = generated.sidecar().lines().map(str::to_owned).collect();
            assert_eq!(reported(&generated), expected);
            // Every kind of fault was tried.
            for fault in FAULTS {
                assert!(
                    generated.errors.iter().any(|error| error.code == fault.code()),
                    "{fault:?}"
                );
            }
        }
    }

    #[test]
    fn a_generated_ledger_is_in_canonical_form() {
        let config = Config {
            files: 2,
            ..Config::new(1000)
        };
        for file in generate(&config).files {
            let formatted = track2::format::format_text(&file.text).expect("no syntax errors");
            assert!(formatted == file.text, "`track2 fmt` would change {}", file.name);
        }
    }

    #[test]
    fn the_seed_decides_the_bytes() {
        let text = |seed| {
            generate(&Config {
                seed,
                ..Config::new(500)
            })
            .files[0]
                .text
                .clone()
        };
        assert_eq!(text(3), text(3));
        assert_ne!(text(3), text(4));
    }

    #[test]
    fn engagements_average_150_to_200_bytes() {
        let generated = generate(&Config::new(20_000));
        let declarations: usize = generated.files[0].text.split("\n# 1990").next().unwrap().len();
        let per_engagement = (generated.bytes() - declarations) / generated.engagements;
        assert!(
            (150..=200).contains(&per_engagement),
            "{per_engagement} bytes per engagement"
        );
    }

    #[test]
    fn every_field_kind_is_used() {
        let text = &generate(&Config::new(5000)).files[0].text;
        for key in [
            "id",
            "format",
            "track",
            "series",
            "reciprocates",
            "status",
            "confidential",
            "embargo",
            "venue",
            "sponsors",
            "participants",
            "met",
            "source",
            "note",
            "tags",
            "x-budget",
            "party",
            "org",
            "role",
            "alias",
            "private",
            "wikidata",
            "kind",
        ] {
            assert!(text.contains(&format!("\n  {key}: ")), "no `{key}` field");
        }
        assert!(text.contains(" + "), "no joint engagement");
        assert!(text.contains("-> online"), "no online engagement");
        assert!(text.contains(", +"), "no count of participants");
        assert!(text.contains("\n  # "), "no comment inside a block");
    }

    #[test]
    fn arguments() {
        let args = |line: &str| parse_args(line.split(' ').map(str::to_owned));
        let (config, out) = args("--entries 1_000 --seed 9 --errors 10 --files 2 --out /tmp/x").unwrap();
        assert_eq!(
            (config.entries, config.seed, config.errors, config.files),
            (1000, 9, 10, 2)
        );
        assert_eq!(out, PathBuf::from("/tmp/x"));
        assert!(args("--entries 5 --errors 6 --out x").is_err());
        assert!(args("--out x").is_err());
        assert_eq!(sidecar_path(Path::new("/tmp/a.track2")), PathBuf::from("/tmp/a.errors"));
        assert_eq!(sidecar_path(Path::new("/tmp/dir")), PathBuf::from("/tmp/dir.errors"));
    }
}
