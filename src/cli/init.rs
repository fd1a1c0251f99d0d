//! `track2 init [DIR]`: a ready ledger repository. The project file, a
//! starter ledger that checks clean, a GitHub workflow using track2's action,
//! a pre-commit configuration, `.gitattributes` and `.editorconfig`.
//!
//! The files are templates under `src/cli/init/`, built in, so that they can
//! be read and reviewed as the files they become. Nothing that exists is
//! overwritten: a file is created only if nothing is at its path (not even a
//! dangling symbolic link), and a directory on the way that is a symbolic
//! link is not written through, so `init` never writes outside DIR.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use track2::loader;

use super::output::{self, plural};
use super::{Outcome, shown};

#[derive(Args)]
pub struct InitArgs {
    /// The repository's directory, created if missing.
    #[arg(value_name = "DIR", default_value = ".")]
    directory: PathBuf,
}

/// A file `init` writes: its path in the repository ('/'-separated) and text.
struct Template {
    path: &'static str,
    text: &'static str,
}

/// Where the starter ledger goes; skipped when the directory already holds
/// a ledger, which the example's declarations would collide with.
const EXAMPLE: &str = "ledgers/example.track2";

const TEMPLATES: &[Template] = &[
    Template {
        path: "track2.toml",
        text: include_str!("init/track2.toml"),
    },
    Template {
        path: EXAMPLE,
        text: include_str!("init/example.track2"),
    },
    Template {
        path: ".github/workflows/track2.yml",
        text: include_str!("init/workflow.yml"),
    },
    Template {
        path: ".pre-commit-config.yaml",
        text: include_str!("init/pre-commit-config.yaml"),
    },
    Template {
        path: ".gitattributes",
        text: include_str!("init/gitattributes"),
    },
    Template {
        path: ".editorconfig",
        text: include_str!("init/editorconfig"),
    },
];

/// A template's text with the project's address and this release filled in,
/// so that the workflow and the hooks pin the track2 that wrote them.
fn fill(template: &str) -> String {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let action = repository.trim_start_matches("https://github.com/");
    template
        .replace("%REPOSITORY%", repository)
        .replace("%ACTION%", action)
        .replace("%VERSION%", concat!("v", env!("CARGO_PKG_VERSION")))
}

/// What became of one template.
enum TemplateOutcome {
    Created,
    Skipped(String),
}

pub fn run(args: &InitArgs) -> Outcome {
    let directory = &args.directory;
    match fs::metadata(directory) {
        Ok(metadata) if !metadata.is_dir() => {
            output::fatal(&format!("`{}` is not a directory", shown(directory)));
            return Outcome::Failure;
        }
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if let Err(error) = fs::create_dir_all(directory) {
                output::fatal(&format!("cannot create `{}`: {error}", shown(directory)));
                return Outcome::Failure;
            }
        }
        Err(error) => {
            output::fatal(&format!("cannot read `{}`: {error}", shown(directory)));
            return Outcome::Failure;
        }
    }

    let mut report = String::new();
    let mut created = 0;
    let mut failed = false;
    for template in TEMPLATES {
        let outcome = if template.path == EXAMPLE && has_ledger(&directory.join("ledgers")) {
            Ok(TemplateOutcome::Skipped("`ledgers/` already holds a ledger".into()))
        } else {
            write_template(directory, template)
        };
        match outcome {
            Ok(TemplateOutcome::Created) => {
                created += 1;
                report.push_str(&format!("created  {}\n", template.path));
            }
            Ok(TemplateOutcome::Skipped(reason)) => report.push_str(&format!("skipped  {}: {reason}\n", template.path)),
            Err(error) => {
                failed = true;
                report.push_str(&format!("failed   {}: {error}\n", template.path));
            }
        }
    }
    let place = if directory == Path::new(".") {
        "this directory".to_owned()
    } else {
        format!("`{}`", shown(directory))
    };
    let count = if created == 0 {
        "no files".to_owned()
    } else {
        plural(created, "file")
    };
    report.push_str(&format!("\nCreated {count} in {place}."));
    report.push_str(" Next:\n  git init && git add -A && git commit -m \"Start a track2 ledger\"\n  track2 check\n");
    if let Err(error) = output::stdout(&report) {
        output::fatal(&format!("cannot write the report: {error}"));
        return Outcome::Failure;
    }
    if failed { Outcome::Failure } else { Outcome::Success }
}

/// Whether `directory` already has `*.track2` files.
fn has_ledger(directory: &Path) -> bool {
    directory.is_dir() && loader::ledger_files(directory).is_ok_and(|files| !files.is_empty())
}

/// Creates `template` under `directory`, with the directories on its way.
fn write_template(directory: &Path, template: &Template) -> io::Result<TemplateOutcome> {
    let mut path = directory.to_path_buf();
    let mut parts = template.path.split('/').peekable();
    while let Some(part) = parts.next() {
        path.push(part);
        if parts.peek().is_none() {
            break;
        }
        match fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Ok(TemplateOutcome::Skipped(format!(
                    "`{}` is a symbolic link, which init does not write through",
                    shown(path.strip_prefix(directory).unwrap_or(&path))
                )));
            }
            Ok(metadata) if !metadata.is_dir() => {
                return Ok(TemplateOutcome::Skipped(format!(
                    "`{}` is not a directory",
                    shown(path.strip_prefix(directory).unwrap_or(&path))
                )));
            }
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => fs::create_dir(&path)?,
            Err(error) => return Err(error),
        }
    }
    // `create_new` fails on anything at the path, a symbolic link included,
    // so an existing file is never replaced and a link never followed.
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            return Ok(TemplateOutcome::Skipped("it exists; left as it is".into()));
        }
        Err(error) => return Err(error),
    };
    file.write_all(fill(template.text).as_bytes())?;
    Ok(TemplateOutcome::Created)
}
