//! The one generator of ledgers nobody wrote by hand, for the property
//! tests, the benchmarks and `examples/synthetic.rs`.
//!
//! What it writes, so that every code path of a real ledger is taken:
//! parties, orgs and persons with `party`, `org`, `role`, `alias`,
//! `private`, `wikidata` and `x-` fields; formats and series; engagements
//! at every date precision, bilateral, joint and online, using every field
//! kind (`id`, `format`, `track`, `series`, `reciprocates` naming an earlier
//! visit the other way, `status`, `confidential`, `embargo`, `venue`,
//! `sponsors`, `participants` with `+N PARTY` counts, `met`, `source`,
//! `note`, `tags`, `x-`), non-ASCII text, comments and blank lines. Three
//! [`Shape`]s: the bilateral one BENCHMARKS.md measures, a regional one with
//! thousands of directions, and a small one for property tests.
//!
//! Choices come from a seeded PRNG or from a proptest tape of bytes
//! ([`Choices`]); the same choices always give the same bytes. A valid
//! ledger checks clean as of [`AS_OF`]; `Config::errors` injects that many
//! faults, each reported at a known `LINE:COL CODE` ([`Generated::sidecar`]),
//! in either [`Layout`].
//!
//! `examples/synthetic.rs` and `benches/throughput.rs` include this module
//! by path, so it depends on nothing but `chrono`.

mod choices;
mod command;
mod disclosure;
mod engagements;
mod faults;
mod layout;
mod shape;
mod vocabulary;
mod world;

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;

pub use choices::Choices;
pub use command::{Command, sidecar_path, write};
pub use faults::Fault;
pub use layout::Layout;
pub use shape::Shape;

use disclosure::Disclosure;
use engagements::Engagements;
use layout::{Sink, Writer};
use shape::Sizes;
use vocabulary::COMMENTS;
use world::TopLevel;

/// The day generated ledgers are valid on: every date is before it, and
/// every embargo but the small shape's `2025-12` ends after it.
pub const AS_OF: &str = "2026-01-01";

/// What to generate.
#[derive(Clone, Debug)]
pub struct Config {
    pub shape: Shape,
    /// How many engagements.
    pub entries: usize,
    /// The PRNG's seed, for [`generate`].
    pub seed: u64,
    /// How many engagements carry one injected fault (at most `entries`).
    pub errors: usize,
    /// The faults to inject, drawn at random. `UnknownField` stands in for a
    /// `DuplicateEntryId` before any id exists, so it is always possible.
    pub faults: &'static [Fault],
    /// How many files the ledger is split into (at least 1); the
    /// declarations open the first.
    pub files: usize,
    pub layout: Layout,
}

impl Config {
    /// A valid bilateral ledger of `entries` engagements in canonical form,
    /// seed 1, in one file.
    pub fn new(entries: usize) -> Config {
        Config {
            shape: Shape::Bilateral,
            entries,
            seed: 1,
            errors: 0,
            faults: Fault::ALL,
            files: 1,
            layout: Layout::Canonical,
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
    /// Files that include lines name, relative to `files`; they hold only
    /// a comment. `write` writes them too; read from bytes, a ledger's
    /// includes are not followed.
    pub included: Vec<GeneratedFile>,
    /// In report order: by file, then position.
    pub errors: Vec<InjectedError>,
    pub engagements: usize,
    pub declarations: usize,
    /// How many engagements public outputs leave out as of [`AS_OF`].
    pub withheld: usize,
    /// Texts that no public output may contain as of [`AS_OF`], unless
    /// private records are asked for. Only the small shape plants them: its
    /// texts are distinctive tokens, which no other text contains, while in
    /// the other shapes two people may share a name.
    pub secrets: Vec<String>,
    /// Every comment line, from `#` to its last non-blank character.
    pub comments: Vec<String>,
}

impl Generated {
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|file| file.text.len()).sum()
    }

    /// The text of a ledger of one file.
    pub fn text(&self) -> &str {
        match self.files.as_slice() {
            [file] => &file.text,
            files => panic!("a ledger of {} files, not one", files.len()),
        }
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

/// Generates a ledger as `config` says, from its seed.
pub fn generate(config: &Config) -> Generated {
    let header = match config.shape {
        Shape::Bilateral => format!(
            "# A synthetic ledger from examples/synthetic.rs: seed {}, {} engagements, {} injected errors.",
            config.seed,
            config.entries,
            config.errors.min(config.entries)
        ),
        shape => format!(
            "# A synthetic ledger from examples/synthetic.rs: {} shape, seed {}, {} engagements, {} injected errors.",
            shape.name(),
            config.seed,
            config.entries,
            config.errors.min(config.entries)
        ),
    };
    generate_from(config, Choices::seeded(config.seed), &header)
}

/// Generates a ledger as `config` says (but for its seed), every choice read
/// from `tape`: all zeros give the plainest ledger of the shape.
pub fn generate_from_tape(config: &Config, tape: &[u8]) -> Generated {
    let header = format!(
        "# A {} ledger from a tape: {} engagements, {} injected errors.",
        config.shape.name(),
        config.entries,
        config.errors.min(config.entries)
    );
    generate_from(config, Choices::tape(tape), &header)
}

fn generate_from(config: &Config, mut choices: Choices, header: &str) -> Generated {
    let files = config.files.max(1);
    let errors = config.errors.min(config.entries);
    let profile = config.shape.profile();
    let mut writer = Writer::new(config.layout, &mut choices);
    let sizes = Sizes::of(config.shape, config.entries, &mut choices);
    let mut sinks: Vec<Sink> = (0..files)
        .map(|_| Sink {
            text: String::with_capacity(config.entries / files * 190 + 4096),
            lines: 0,
        })
        .collect();
    for sink in &mut sinks {
        writer.comment(sink, header);
        writer.blank(sink);
    }
    let (mut world, declared, declarations) = world::declare(&mut choices, profile, &sizes);
    // In the noisy layout declarations are strewn among the engagements
    // (a reference may come before its declaration); in canonical form they
    // all come first.
    let mut pending: VecDeque<TopLevel> = declared.into();
    if config.layout == Layout::Canonical {
        write_top_level(&mut writer, &mut sinks[0], pending.drain(..));
    }
    let mut engagements = Engagements {
        choices: choices.split(),
        profile,
        world: &mut world,
        entries: config.entries,
        keys: HashSet::with_capacity(config.entries),
        last_visit: HashMap::new(),
        last_id: None,
    };
    let mut disclosure = Disclosure::new(engagements.world);
    let mut injected = Vec::with_capacity(errors);
    let mut fault_choices = choices.split();
    let mut current_file = 0;
    let mut year = 0;
    for index in 0..config.entries {
        let file = index * files / config.entries;
        let out = &mut sinks[file];
        // Exactly `errors` faults, spread evenly.
        let faulty = errors > 0 && index * errors / config.entries != (index + 1) * errors / config.entries;
        let mut fault = faulty.then(|| *fault_choices.pick(config.faults));
        if fault == Some(Fault::DuplicateEntryId) && engagements.last_id.is_none() {
            fault = Some(Fault::UnknownField);
        }
        let plan = engagements.plan(index, fault);
        let flushed = writer.how_many_now(pending.len());
        write_top_level(&mut writer, out, pending.drain(..flushed));
        let plan_year = plan.date[..4].parse().expect("a year");
        if plan_year != year || file != current_file {
            current_file = file;
            year = plan_year;
            writer.comment(out, &format!("# {year}"));
            writer.blank(out);
        }
        writer.noise_before_block(out);
        if engagements.choices.chance(profile.comment_above) {
            let comment = *engagements.choices.pick(COMMENTS);
            writer.comment(out, comment);
        }
        let block = engagements.block(&plan, fault);
        let at = writer.block(out, &block);
        writer.blank(out);
        if let (Some(fault), Some((line, column))) = (fault, at) {
            injected.push(InjectedError {
                file,
                line,
                column,
                code: fault.code(),
            });
        }
        disclosure.note(&plan);
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
    let last = sinks.last_mut().expect("at least one file");
    write_top_level(&mut writer, last, pending.drain(..));
    let (withheld, secrets) = match profile.tokens {
        true => disclosure.secrets(&world),
        false => (disclosure.withheld(), Vec::new()),
    };
    let files = sinks
        .into_iter()
        .enumerate()
        .map(|(index, sink)| GeneratedFile {
            name: format!("ledger-{:04}.track2", index + 1),
            text: writer.finish(sink),
        })
        .collect();
    let included = match writer.included {
        true => vec![GeneratedFile {
            name: layout::INCLUDED.to_owned(),
            text: "# What the generated ledger includes: nothing but this comment.\n".to_owned(),
        }],
        false => Vec::new(),
    };
    Generated {
        files,
        included,
        errors: injected,
        engagements: config.entries,
        declarations,
        withheld,
        secrets,
        comments: writer.comments,
    }
}

fn write_top_level(writer: &mut Writer, sink: &mut Sink, items: impl Iterator<Item = TopLevel>) {
    for item in items {
        match item {
            TopLevel::Comment(text) => writer.comment(sink, &text),
            TopLevel::Blank => writer.blank(sink),
            TopLevel::Block(block) => {
                writer.noise_before_block(sink);
                writer.block(sink, &block);
            }
        }
    }
}
