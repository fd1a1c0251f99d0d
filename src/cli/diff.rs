//! `track2 diff`: what a change does to the record. Each side is a git
//! revision (read through git, see `revision.rs`), the working tree, or a
//! ledger on disk; each is read in full and must check, and the library
//! compares them through the privacy view. `--textconv FILE` is the driver
//! `git diff` calls for `*.track2`.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use track2::config::{self, AsOf};
use track2::filter::Filter;
use track2::fs::{FileKind, FileSystem};
use track2::privacy::{Disclosure, View};
use track2::render::human::HumanRenderer;
use track2::{AnalysisOptions, Disk, Keep, Loaded, Tally, escape, loader};

use super::output::{self, plural};
use super::revision::{CatFile, Repository};
use super::{Outcome, ReadingArgs, Terminal, parse_day};

#[derive(Args)]
pub struct DiffArgs {
    /// The ledger before the change: a git revision (default HEAD), or a
    /// ledger file or directory.
    #[arg(value_name = "OLD")]
    old: Option<OsString>,
    /// The ledger after: a git revision, or a ledger file or directory.
    /// Default: the working tree.
    #[arg(value_name = "NEW")]
    new: Option<OsString>,
    /// After `--`: the files and directories that form the ledger on both
    /// sides. Default: each side's track2.toml, else ledgers/.
    #[arg(value_name = "PATH", last = true)]
    paths: Vec<PathBuf>,
    /// Print FILE with one line per block, for `git diff` (a textconv driver;
    /// see the README). Shows the file as written, private records included.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["old", "new", "paths"])]
    textconv: Option<PathBuf>,
    /// How to print the changes.
    #[arg(long, short, value_enum, default_value_t = DiffOutput::Table)]
    output: DiffOutput,
    /// Show changes to private and embargoed records too. The output says it is confidential.
    #[arg(long)]
    include_private: bool,
    /// The day embargoes and date checks compare with (YYYY-MM-DD). Default:
    /// the as-of of NEW's track2.toml, else today.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    as_of: Option<NaiveDate>,
    #[command(flatten)]
    reading: ReadingArgs,
}

/// The outputs of a report that a comparison has: every one but `svg`, since
/// a comparison has no chart to draw.
#[derive(Clone, Copy, ValueEnum)]
enum DiffOutput {
    /// Aligned columns for a terminal.
    Table,
    /// GitHub-flavoured Markdown, for a pull request or a step summary.
    Markdown,
    /// RFC 4180 CSV with a header row: the engagements that changed.
    Csv,
    /// JSON (schema in the README).
    Json,
    /// One self-contained HTML page of the tables, printable.
    Html,
}

impl From<DiffOutput> for track2::report::Output {
    fn from(output: DiffOutput) -> track2::report::Output {
        use track2::report::Output;
        match output {
            DiffOutput::Table => Output::Table,
            DiffOutput::Markdown => Output::Markdown,
            DiffOutput::Csv => Output::Csv,
            DiffOutput::Json => Output::Json,
            DiffOutput::Html => Output::Html,
        }
    }
}

/// One side of the comparison, as the command line names it.
enum Side {
    /// A git revision, as typed.
    Revision(String),
    /// The files as they are now, read as a revision's would be.
    WorkingTree,
    /// A ledger file or directory on disk.
    Path(PathBuf),
}

impl Side {
    /// An argument that names a file or directory is that ledger; anything
    /// else is a revision, which git judges.
    fn of(argument: &OsStr) -> Result<Side, String> {
        let path = Path::new(argument);
        if path.exists() {
            return Ok(Side::Path(path.to_path_buf()));
        }
        argument
            .to_str()
            .map(|revision| Side::Revision(revision.to_owned()))
            .ok_or_else(|| format!("`{}` is neither a file nor a revision", escape::path(path)))
    }

    /// `HEAD~1`, `working tree`, `ledgers/a.track2`: what the side is, for
    /// messages.
    fn describe(&self) -> String {
        match self {
            Side::Revision(revision) => escape::text(revision).into_owned(),
            Side::WorkingTree => "working tree".to_owned(),
            Side::Path(path) => escape::path(path),
        }
    }
}

pub fn run(args: &DiffArgs, terminal: &Terminal) -> Outcome {
    if let Some(file) = &args.textconv {
        return textconv(file, &args.reading);
    }
    match compare(args, terminal) {
        Ok(outcome) => outcome,
        Err(message) => {
            output::fatal(&message);
            Outcome::Failure
        }
    }
}

/// Everything but the textconv driver; `Err` is a usage error or a side that
/// cannot be read at all (exit 2).
fn compare(args: &DiffArgs, terminal: &Terminal) -> Result<Outcome, String> {
    let old = match &args.old {
        Some(argument) => Side::of(argument)?,
        None => Side::Revision("HEAD".to_owned()),
    };
    let new = match (&args.new, &old) {
        (Some(argument), _) => Side::of(argument)?,
        (None, Side::Path(_)) => {
            return Err(
                "name the ledger after the change too: `track2 diff OLD NEW`; to compare \
                 HEAD with the working tree for some files, `track2 diff -- PATH`"
                    .into(),
            );
        }
        (None, _) => Side::WorkingTree,
    };
    if matches!((&old, &new), (Side::Path(_), Side::Path(_))) && !args.paths.is_empty() {
        return Err(
            "the paths after `--` choose the ledger within revisions; OLD and NEW are \
                    ledgers on disk already"
                .into(),
        );
    }
    // git is asked only when a side is one of its revisions.
    let needs_git = [&old, &new].iter().any(|side| !matches!(side, Side::Path(_)));
    let repository = match (&terminal.current_dir, needs_git) {
        (_, false) => None,
        (Some(current), true) => Some(Repository::discover(current)?),
        (None, true) => return Err("the current directory cannot be read".into()),
    };
    let objects = match (
        &repository,
        [&old, &new].iter().any(|side| matches!(side, Side::Revision(_))),
    ) {
        (Some(repository), true) => Some(CatFile::start(repository)?),
        _ => None,
    };

    let (old_ledger, old_as_of) = read_side("OLD", &old, args, repository.as_ref(), objects.as_ref())?;
    let (new_ledger, new_as_of) = read_side("NEW", &new, args, repository.as_ref(), objects.as_ref())?;
    let as_of = match args.as_of.map(AsOf::Day).or(new_as_of).or(old_as_of) {
        Some(AsOf::Day(day)) => day,
        Some(AsOf::Today) | None => terminal.today,
    };
    drop(objects);

    let options = AnalysisOptions { as_of };
    let old_analysis = track2::analyze(&old_ledger, &options, Keep::Ledger);
    let new_analysis = track2::analyze(&new_ledger, &options, Keep::Ledger);
    // Half a ledger cannot be compared: name the side that does not check.
    for (label, side, loaded, analysis) in [
        ("OLD", &old, &old_ledger, &old_analysis),
        ("NEW", &new, &new_ledger, &new_analysis),
    ] {
        let errors = Tally::of(&analysis.diagnostics).errors;
        if errors > 0 {
            let renderer = HumanRenderer::new(terminal.color, terminal.width);
            let mut text = String::new();
            for diagnostic in analysis.diagnostics.iter().filter(|d| d.is_error()) {
                text.push_str(&renderer.render(diagnostic, &loaded.sources));
                text.push('\n');
            }
            let place = match side {
                Side::Revision(revision) => format!(" (the files as they are at {})", escape::text(revision)),
                _ => String::new(),
            };
            text.push_str(&output::error_line(&format!(
                "{label} ({}) has {}{place}; a ledger that does not check cannot be compared",
                side.describe(),
                plural(errors, "error")
            )));
            let _ = output::stderr(&text);
            return Ok(Outcome::Invalid);
        }
    }
    let disclosure = Disclosure::new(args.include_private, as_of, terminal.today);
    let everything = Filter::default();
    let old_view = View::new(&old_analysis.ledger, disclosure, &everything);
    let new_view = View::new(&new_analysis.ledger, disclosure, &everything);
    let diff = track2::diff::diff(&old_view, &new_view);
    let text = output::render_report(&diff, args.output.into(), args.include_private);
    match output::stdout(&text) {
        Ok(()) => Ok(Outcome::Success),
        Err(error) => Err(format!("cannot write the changes: {error}")),
    }
}

/// Reads one side (`label` is `OLD` or `NEW`): the ledger, and the as-of
/// day its track2.toml gives.
fn read_side(
    label: &str,
    side: &Side,
    args: &DiffArgs,
    repository: Option<&Repository>,
    objects: Option<&CatFile>,
) -> Result<(Loaded, Option<AsOf>), String> {
    let failed = |error: String| format!("cannot read {label} ({}): {error}", side.describe());
    match side {
        Side::Path(path) => {
            let loaded = loader::load(&Disk, std::slice::from_ref(path), &args.reading.load_options())
                .map_err(|error| failed(error.to_string()))?;
            Ok((loaded, None))
        }
        Side::WorkingTree => {
            let repository = repository.expect("a working tree is read in a repository");
            read_tree(&Disk, repository, args).map_err(failed)
        }
        Side::Revision(revision) => {
            let repository = repository.expect("a revision is read in a repository");
            let objects = objects.expect("a revision's files are read through git");
            let commit = repository
                .commit(revision)
                .map_err(|error| format!("{label}: {error}"))?;
            let snapshot = repository.snapshot(&commit, objects).map_err(failed)?;
            read_tree(&snapshot, repository, args).map_err(failed)
        }
    }
}

/// The ledger of one tree (a revision, or the working tree), chosen alike
/// on both sides so that they compare: the paths after `--`, else the
/// tree's own track2.toml (the nearest from the current directory up to
/// the repository's top), else `ledgers`. `$TRACK2_LEDGER` describes this
/// machine's ledger, not a commit's, and is not read here.
fn read_tree(fs: &dyn FileSystem, repository: &Repository, args: &DiffArgs) -> Result<(Loaded, Option<AsOf>), String> {
    let project = project_file(fs, repository)?;
    let mut options = args.reading.load_options();
    let paths = if !args.paths.is_empty() {
        args.paths.clone()
    } else if let Some(project) = &project {
        options.root = options.root.or_else(|| Some(project.root.clone()));
        project.paths.clone()
    } else {
        let default = PathBuf::from(config::DEFAULT_PATH);
        if fs.metadata(&default).is_err() {
            return Err(
                "it has no track2.toml from the current directory up, and no ./ledgers; \
                        name the ledger's files: `track2 diff OLD NEW -- PATH...`"
                    .into(),
            );
        }
        vec![default]
    };
    let loaded = loader::load(fs, &paths, &options).map_err(|error| error.to_string())?;
    Ok((loaded, project.map(|project| project.as_of)))
}

/// The nearest track2.toml of the tree, from the current directory up to
/// the repository's top, read as `config::discover` reads one on disk.
fn project_file(fs: &dyn FileSystem, repository: &Repository) -> Result<Option<config::Config>, String> {
    let mut reach = PathBuf::new();
    for directory in repository.current.ancestors() {
        if !directory.starts_with(&repository.top) {
            break;
        }
        let candidate = directory.join(config::FILE_NAME);
        if fs
            .metadata(&candidate)
            .is_ok_and(|metadata| metadata.kind == FileKind::File)
        {
            let name = reach.join(config::FILE_NAME);
            let bytes = fs
                .read(&candidate, config::MAX_SIZE)
                .map_err(|error| format!("cannot read `{}`: {error}", escape::path(&name)))?;
            let text = String::from_utf8(bytes).map_err(|_| format!("`{}` is not UTF-8 text", escape::path(&name)))?;
            return config::parse(&text, &reach)
                .map(Some)
                .map_err(|error| error.to_string());
        }
        reach.push("..");
    }
    Ok(None)
}

fn textconv(file: &Path, reading: &ReadingArgs) -> Outcome {
    // Bounded and regular files only, as every ledger file is read; git
    // hands the driver a temporary copy, or the working tree's file.
    let bytes = match Disk.read(file, reading.load_options().limit()) {
        Ok(bytes) => bytes,
        Err(error) => {
            output::fatal(&format!("cannot read `{}`: {error}", escape::path(file)));
            return Outcome::Failure;
        }
    };
    // A file git cannot show as blocks is shown as it is, so that `git diff`
    // still works on a file with syntax errors.
    let text = String::from_utf8_lossy(&bytes);
    let shown = track2::diff::textconv(&text).unwrap_or_else(|_| text.into_owned());
    match output::stdout(&shown) {
        Ok(()) => Outcome::Success,
        Err(error) => {
            output::fatal(&format!("cannot write: {error}"));
            Outcome::Failure
        }
    }
}
