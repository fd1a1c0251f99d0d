//! The ledger generator (`support/generator/`), held to what it promises
//! by track2 itself: its valid ledgers check clean and are in canonical
//! form, every injected fault is reported where its sidecar says in either
//! layout, the seed decides the bytes (and the bilateral shape keeps those
//! BENCHMARKS.md was measured on), and each shape is the shape it says.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use track2::loader;

use crate::support::generator::{
    Command, Config, Fault, Generated, Layout, Shape, generate, generate_from_tape, sidecar_path, write,
};
use crate::support::{cases, corpus_lines, options};

/// What track2 reports on a generated ledger written to disk, as sidecar
/// lines.
fn reported(generated: &Generated) -> Vec<String> {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("ledger");
    write(generated, &path).unwrap();
    let loaded = loader::load(
        &track2::Disk,
        std::slice::from_ref(&path),
        &track2::LoadOptions::default(),
    )
    .unwrap();
    let diagnostics = track2::check(&loaded, &options()).diagnostics;
    let relative_to = (generated.files.len() > 1).then_some(path.as_path());
    corpus_lines(&loaded, &diagnostics, relative_to)
}

fn sidecar_lines(generated: &Generated) -> Vec<String> {
    generated.sidecar().lines().map(str::to_owned).collect()
}

#[test]
fn generated_ledgers_of_every_shape_are_valid() {
    for (shape, entries) in [(Shape::Bilateral, 3000), (Shape::Regional, 3000), (Shape::Small, 40)] {
        let generated = generate(&Config {
            shape,
            ..Config::new(entries)
        });
        let loaded = loader::load_bytes("synthetic.track2", generated.text().as_bytes().to_vec()).unwrap();
        let analysis = track2::check(&loaded, &options());
        assert!(
            analysis.diagnostics.is_empty(),
            "{shape:?}: {:?}",
            &analysis.diagnostics[..5.min(analysis.diagnostics.len())]
        );
        assert_eq!(analysis.ledger.engagement_count(), entries);
        // Reciprocations were written and held.
        assert!(
            analysis.ledger.engagements().any(|e| e.reciprocates().is_some()),
            "{shape:?}"
        );
    }
}

#[test]
fn a_ledger_in_several_files_is_valid() {
    let generated = generate(&Config {
        files: 3,
        ..Config::new(2000)
    });
    assert_eq!(generated.files.len(), 3);
    assert!(reported(&generated).is_empty());
}

#[test]
fn injected_errors_are_reported_where_the_sidecar_says() {
    for (shape, files) in [(Shape::Bilateral, 1), (Shape::Bilateral, 2), (Shape::Regional, 1)] {
        let generated = generate(&Config {
            shape,
            errors: 240,
            files,
            seed: 7,
            ..Config::new(2400)
        });
        assert_eq!(generated.errors.len(), 240);
        assert_eq!(reported(&generated), sidecar_lines(&generated));
        // Every kind of fault was tried.
        for fault in Fault::ALL {
            assert!(
                generated.errors.iter().any(|error| error.code == fault.code()),
                "{shape:?}: {fault:?}"
            );
        }
    }
}

/// A ledger of at least 8 MiB on disk is mapped, not read (src/loader.rs);
/// the mapped text must give what the same bytes read into memory give.
/// Comment lines make up the size, as a ledger that size would take most of
/// a minute to check in a debug build.
#[test]
fn a_mapped_ledger_reads_as_the_same_bytes_in_memory() {
    let mut generated = generate(&Config {
        errors: 100,
        ..Config::new(1000)
    });
    let text = &mut generated.files[0].text;
    let line = format!(
        "# {}\n",
        "Padding, so that the file is large enough to be mapped. ".repeat(16)
    );
    while text.len() < 8 << 20 {
        text.push_str(&line);
    }
    let from_disk = reported(&generated);
    assert_eq!(from_disk, sidecar_lines(&generated));
    let loaded = loader::load_bytes("ledger", generated.text().as_bytes().to_vec()).unwrap();
    let diagnostics = track2::check(&loaded, &options()).diagnostics;
    assert_eq!(corpus_lines(&loaded, &diagnostics, None), from_disk);
}

#[test]
fn generated_ledgers_are_in_canonical_form() {
    for (shape, entries, files) in [
        (Shape::Bilateral, 1000, 2),
        (Shape::Regional, 1000, 1),
        (Shape::Small, 40, 1),
    ] {
        let generated = generate(&Config {
            shape,
            files,
            ..Config::new(entries)
        });
        for file in generated.files {
            let formatted = track2::format::format_text(&file.text).expect("no syntax errors");
            assert!(
                formatted == file.text,
                "`track2 fmt` would change {shape:?} {}",
                file.name
            );
        }
    }
}

#[test]
fn the_seed_decides_the_bytes() {
    let text = |seed| {
        generate(&Config {
            seed,
            ..Config::new(500)
        })
        .text()
        .to_owned()
    };
    assert_eq!(text(3), text(3));
    assert_ne!(text(3), text(4));
}

/// FNV-1a, a hash whose value no Rust release changes.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The bilateral shape writes the bytes that `examples/synthetic.rs` wrote
/// before the generator moved here, which BENCHMARKS.md's figures were
/// measured on. The hashes are of that program's output for the same
/// arguments; a change of the bilateral shape's bytes must say so there.
#[test]
fn the_bilateral_shape_keeps_its_bytes() {
    // `--entries 3000`
    let valid = generate(&Config::new(3000));
    assert_eq!(valid.bytes(), 586_137);
    assert_eq!(fnv1a(valid.text().as_bytes()), 0xebc6_17e5_699b_4ae4);
    // `--entries 2400 --errors 240 --seed 7`: the ledger, then the sidecar.
    let faulty = generate(&Config {
        errors: 240,
        seed: 7,
        ..Config::new(2400)
    });
    let bytes = [faulty.text(), &faulty.sidecar()].concat();
    assert_eq!(fnv1a(bytes.as_bytes()), 0x20be_c4cd_0c6d_494a);
    // `--entries 2000 --files 3`: the three files in order.
    let split = generate(&Config {
        files: 3,
        ..Config::new(2000)
    });
    let bytes: String = split.files.iter().map(|file| file.text.as_str()).collect();
    assert_eq!(fnv1a(bytes.as_bytes()), 0xbd52_aca7_5ced_7815);
}

#[test]
fn engagements_average_150_to_200_bytes() {
    let generated = generate(&Config::new(10_000));
    let declarations: usize = generated.text().split("\n# 1990").next().unwrap().len();
    let per_engagement = (generated.bytes() - declarations) / generated.engagements;
    assert!(
        (150..=200).contains(&per_engagement),
        "{per_engagement} bytes per engagement"
    );
}

#[test]
fn every_field_kind_is_used() {
    let generated = generate(&Config::new(5000));
    let text = generated.text();
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

/// The engagement headers' directions, as written.
fn directions(text: &str) -> BTreeSet<&str> {
    text.lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_digit()))
        .map(|header| {
            let (_, rest) = header.split_once(' ').unwrap();
            let arrow = rest.find(" -> ").unwrap();
            let host_end = rest[arrow + 4..].find(' ').unwrap();
            &rest[..arrow + 4 + host_end]
        })
        .collect()
}

/// The regional shape is what issue 10 measures reports on: forty parties,
/// joint delegations of up to four, many sponsoring orgs, and far more
/// directions than the bilateral shape.
#[test]
fn the_regional_shape_has_many_parties_directions_and_sponsors() {
    let regional = generate(&Config {
        shape: Shape::Regional,
        ..Config::new(5000)
    });
    let text = regional.text();
    assert_eq!(text.matches("\nparty ").count(), 40);
    let regional = directions(text);
    let bilateral = directions(generate(&Config::new(5000)).text()).len();
    assert!(regional.len() > 2 * bilateral, "{} against {bilateral}", regional.len());
    let largest = regional
        .iter()
        .map(|direction| direction.matches(" + ").count() + 1)
        .max();
    assert_eq!(largest, Some(4));
    let sponsored: BTreeSet<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("  sponsors: "))
        .flat_map(|sponsors| sponsors.split(", "))
        .collect();
    assert!(sponsored.len() > 150, "{} orgs sponsor", sponsored.len());
    // One org per 50 engagements, from 200 to 2,000 (at 100k).
    assert_eq!(text.matches("\norg ").count(), 200);
}

#[test]
fn the_plainest_small_ledger_is_valid_and_canonical() {
    let config = Config {
        shape: Shape::Small,
        layout: Layout::Noisy,
        ..Config::new(3)
    };
    let generated = generate_from_tape(&config, &[]);
    let text = generated.text();
    assert_eq!(
        track2::format::format_text(text).as_deref(),
        Ok(text),
        "a tape of zeros is canonical"
    );
    let loaded = loader::load_bytes("plain.track2", text.as_bytes().to_vec()).unwrap();
    assert!(track2::check(&loaded, &options()).diagnostics.is_empty(), "{text}");
    assert!(generated.secrets.is_empty() && generated.withheld == 0);
}

#[test]
fn arguments() {
    let args = |line: &str| Command::parse(line.split(' ').map(str::to_owned));
    let command =
        args("--entries 1_000 --seed 9 --errors 10 --files 2 --shape regional --layout noisy --out /tmp/x").unwrap();
    let config = &command.config;
    assert_eq!(
        (config.entries, config.seed, config.errors, config.files),
        (1000, 9, 10, 2)
    );
    assert_eq!((config.shape, config.layout), (Shape::Regional, Layout::Noisy));
    assert_eq!(command.out, PathBuf::from("/tmp/x"));
    let defaults = args("--entries 5 --out x").unwrap().config;
    assert_eq!(
        (defaults.shape, defaults.layout, defaults.seed),
        (Shape::Bilateral, Layout::Canonical, 1)
    );
    assert!(args("--entries 5 --errors 6 --out x").is_err());
    assert!(args("--out x").is_err());
    assert!(args("--entries 5 --shape global --out x").is_err());
    assert_eq!(sidecar_path(Path::new("/tmp/a.track2")), PathBuf::from("/tmp/a.errors"));
    assert_eq!(sidecar_path(Path::new("/tmp/dir")), PathBuf::from("/tmp/dir.errors"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    /// Whatever the tape, a small ledger's faults are reported exactly where
    /// the sidecar says, in the noisy layout too, and nothing else is.
    #[test]
    fn faults_are_reported_where_the_sidecar_says_in_any_layout(
        entries in 0..8usize,
        errors in 0..4usize,
        noisy in any::<bool>(),
        tape in proptest::collection::vec(any::<u8>(), 0..1500),
    ) {
        let config = Config {
            shape: Shape::Small,
            errors,
            layout: if noisy { Layout::Noisy } else { Layout::Canonical },
            ..Config::new(entries)
        };
        let generated = generate_from_tape(&config, &tape);
        prop_assert_eq!(generated.errors.len(), errors.min(entries));
        let loaded = loader::load_bytes("ledger.track2", generated.text().as_bytes().to_vec()).unwrap();
        let diagnostics = track2::check(&loaded, &options()).diagnostics;
        prop_assert_eq!(
            corpus_lines(&loaded, &diagnostics, None),
            sidecar_lines(&generated),
            "in\n{}",
            generated.text()
        );
    }
}
