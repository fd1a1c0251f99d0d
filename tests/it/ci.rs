//! The CI and git integration as a ledger repository meets it: a repository
//! made by `track2 init` and committed with git, whose pre-commit hooks
//! (from this repository's `.pre-commit-hooks.yaml`) and GitHub Action
//! (`action.yml`, used by the workflow `init` writes) are read as YAML and
//! run for real, as shell scripts, with the `track2` under test on `PATH`.
//!
//! What is not run, because it needs the network or GitHub itself: the
//! action's `Install track2` step (a `cargo install` of this repository,
//! minutes of compiling; the binary under test stands in for it) and its
//! `uses:` steps (`actions/cache`). `pre-commit try-repo` is not run either:
//! with `language: rust` it builds track2 from scratch, which CI has no time
//! for; the hooks' entries are run here as pre-commit runs them.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;
use yaml_rust2::{Yaml, YamlLoader};

use crate::support::{git, root, text, track2_in};

/// The day every test commit is made, so that `as-of: commit` is fixed.
const COMMIT_DATE: &str = "2026-01-01T12:00:00+00:00";

fn yaml_file(path: &Path) -> Yaml {
    let source = fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let mut documents =
        YamlLoader::load_from_str(&source).unwrap_or_else(|error| panic!("{} is not YAML: {error}", path.display()));
    assert_eq!(documents.len(), 1, "{} holds one document", path.display());
    documents.remove(0)
}

fn string<'y>(yaml: &'y Yaml, key: &str) -> Option<&'y str> {
    yaml[key].as_str()
}

/// `PATH` with the directory of the binary under test first.
fn path_with_track2() -> std::ffi::OsString {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_track2"));
    let mut paths = vec![binary.parent().unwrap().to_path_buf()];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).unwrap()
}

fn commit_all(repository: &Path, message: &str, date: &str) {
    git(repository, &["add", "-A"], date);
    git(repository, &["commit", "-q", "-m", message], date);
}

/// What the issue asks of a new user: `track2 init`, then `git init && git
/// add -A && git commit`.
fn new_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let output = track2_in(dir.path(), &["init"]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    git(dir.path(), &["init", "-q", "-b", "main"], COMMIT_DATE);
    commit_all(dir.path(), "Start a track2 ledger", COMMIT_DATE);
    dir
}

fn example(repository: &Path) -> PathBuf {
    repository.join("ledgers/example.track2")
}

fn append(path: &Path, text: &str) {
    let mut content = fs::read_to_string(path).unwrap();
    content.push_str(text);
    fs::write(path, content).unwrap();
}

/// What a run of a hook or the action printed, and how it ended.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn bash(script: &str, directory: &Path, environment: &[(String, String)]) -> Ran {
    // As GitHub runs a `shell: bash` step.
    let output = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(directory)
        .env("PATH", path_with_track2())
        .env("NO_COLOR", "1")
        .env_remove("TRACK2_LEDGER")
        .envs(environment.iter().map(|(key, value)| (key, value)))
        .output()
        .expect("bash runs");
    Ran {
        code: output.status.code(),
        stdout: text(&output.stdout),
        stderr: text(&output.stderr),
    }
}

// pre-commit ---------------------------------------------------------------

/// This repository's hooks, by id.
fn hooks() -> HashMap<String, Yaml> {
    let hooks = yaml_file(&root().join(".pre-commit-hooks.yaml"));
    hooks
        .as_vec()
        .expect("a list of hooks")
        .iter()
        .map(|hook| {
            (
                string(hook, "id").expect("every hook has an id").to_owned(),
                hook.clone(),
            )
        })
        .collect()
}

/// Runs a hook as pre-commit does on `git commit -a`: its entry, followed
/// by the tracked files its `files` pattern matches unless `pass_filenames`
/// is false. (pre-commit matches with Python's `re.search`, which the
/// `regex` crate agrees with on these patterns.)
fn run_hook(hook: &Yaml, repository: &Path) -> Ran {
    let entry = string(hook, "entry").expect("an entry");
    let mut command = entry.to_owned();
    if hook["pass_filenames"].as_bool() != Some(false) {
        let pattern = Regex::new(string(hook, "files").unwrap_or("")).expect("the pattern compiles");
        let listed = Command::new("git")
            .args(["ls-files"])
            .current_dir(repository)
            .output()
            .unwrap();
        for file in text(&listed.stdout).lines().filter(|file| pattern.is_match(file)) {
            command.push_str(&format!(" '{file}'"));
        }
    }
    bash(&command, repository, &[])
}

#[test]
fn the_hooks_are_declared_as_pre_commit_needs() {
    let hooks = hooks();
    let check = &hooks["track2-check"];
    assert_eq!(string(check, "entry"), Some("track2 check"));
    assert_eq!(string(check, "language"), Some("rust"));
    assert_eq!(
        check["pass_filenames"].as_bool(),
        Some(false),
        "the whole ledger, not the files changed"
    );
    let pattern = Regex::new(string(check, "files").unwrap()).unwrap();
    for (file, runs) in [
        ("ledgers/a.track2", true),
        ("track2.toml", true),
        ("sub/track2.toml", true),
        ("README.md", false),
        ("my-track2.toml", false),
    ] {
        assert_eq!(pattern.is_match(file), runs, "track2-check on a change to {file}");
    }
    let fmt = &hooks["track2-fmt"];
    assert_eq!(string(fmt, "entry"), Some("track2 fmt --check"));
    assert_eq!(string(fmt, "language"), Some("rust"));
    assert_eq!(string(fmt, "files"), Some(r"\.track2$"));
    for hook in hooks.values() {
        assert!(string(hook, "name").is_some(), "pre-commit requires a name");
    }
}

#[test]
fn the_pre_commit_configuration_of_a_new_repository_runs_the_hooks() {
    let repository = new_repository();
    let configuration = yaml_file(&repository.path().join(".pre-commit-config.yaml"));
    let repos = configuration["repos"].as_vec().unwrap();
    assert_eq!(repos.len(), 1);
    assert_eq!(string(&repos[0], "repo"), Some(env!("CARGO_PKG_REPOSITORY")));
    assert_eq!(string(&repos[0], "rev"), Some(concat!("v", env!("CARGO_PKG_VERSION"))));
    let hooks = hooks();
    let ids: Vec<&str> = repos[0]["hooks"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|hook| string(hook, "id").unwrap())
        .collect();
    assert_eq!(ids, ["track2-check", "track2-fmt"]);

    for id in &ids {
        let ran = run_hook(&hooks[*id], repository.path());
        assert_eq!(
            ran.code,
            Some(0),
            "{id} on a new repository: {}{}",
            ran.stdout,
            ran.stderr
        );
    }
    let ran = run_hook(&hooks["track2-check"], repository.path());
    assert_eq!(ran.stderr, "ok: 1 file, 1 engagement, no problems\n");

    // A mistake in the ledger stops the commit, with the place and a hint.
    append(
        &example(repository.path()),
        "\n2025-07-01 AZ -> AM Second roundtable\n  format: rountable\n",
    );
    let ran = run_hook(&hooks["track2-check"], repository.path());
    assert_eq!(ran.code, Some(1));
    assert!(ran.stderr.contains("undeclared-format"), "{}", ran.stderr);
    assert!(ran.stderr.contains("ledgers/example.track2:"), "{}", ran.stderr);
    assert!(ran.stderr.contains("did you mean `roundtable`?"), "{}", ran.stderr);

    // So does a file out of canonical form, named.
    fs::write(
        example(repository.path()),
        "party AM Armenia\n\n\n\nparty AZ Azerbaijan\nformat f F\n",
    )
    .unwrap();
    let ran = run_hook(&hooks["track2-fmt"], repository.path());
    assert_eq!(ran.code, Some(1));
    assert_eq!(ran.stdout, "would reformat: ledgers/example.track2\n");
}

// The GitHub Action ----------------------------------------------------------

/// What a run of the action's steps left behind.
struct ActionRun {
    /// The exit status of the last step run.
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// What was written to `$GITHUB_STEP_SUMMARY`.
    summary: String,
    /// Each step's outputs, by step id.
    outputs: HashMap<String, HashMap<String, String>>,
}

/// Runs the `run:` steps of `action.yml` in `repository` as the runner
/// would: in order, each with its `env:` (expressions evaluated), a fresh
/// `$GITHUB_OUTPUT`, and the same `$GITHUB_STEP_SUMMARY`; a failing step
/// stops the rest. `inputs` are the `with:` of the calling workflow.
fn run_action(repository: &Path, inputs: &HashMap<String, String>) -> ActionRun {
    run_action_in(repository, inputs, &HashMap::new())
}

/// [`run_action`] with the `github` context of the event: an expression
/// `github.…` is its value in `github`, or empty, as GitHub evaluates a
/// property the event does not have (`github.event.pull_request.base.sha`
/// on a push).
fn run_action_in(repository: &Path, inputs: &HashMap<String, String>, github: &HashMap<&str, String>) -> ActionRun {
    let action = yaml_file(&root().join("action.yml"));
    assert_eq!(string(&action["runs"], "using"), Some("composite"));
    let declared = action["inputs"].as_hash().expect("inputs");
    let mut values = HashMap::new();
    for (name, input) in declared {
        let name = name.as_str().unwrap().to_owned();
        let default = string(input, "default").unwrap_or("").to_owned();
        values.insert(name, default);
    }
    for (name, value) in inputs {
        assert!(
            values.contains_key(name),
            "the workflow passes `{name}`, which action.yml does not declare"
        );
        values.insert(name.clone(), value.clone());
    }

    let scratch = tempfile::tempdir().unwrap();
    let summary_file = scratch.path().join("step-summary.md");
    fs::write(&summary_file, "").unwrap();
    let mut run = ActionRun {
        code: Some(0),
        stdout: String::new(),
        stderr: String::new(),
        summary: String::new(),
        outputs: HashMap::new(),
    };
    let expression = Regex::new(r"\$\{\{\s*(.*?)\s*\}\}").unwrap();
    for (index, step) in action["runs"]["steps"].as_vec().unwrap().iter().enumerate() {
        let id = string(step, "id").unwrap_or("").to_owned();
        if string(step, "uses").is_some() {
            continue; // actions/cache: GitHub's service, not ours to run.
        }
        if id == "install" {
            // `cargo install` of this repository: network and minutes of
            // compiling. The binary under test is on PATH in its stead.
            continue;
        }
        assert!(
            step["if"].is_badvalue(),
            "step {id} is conditional, which this runner does not model"
        );
        assert_eq!(string(step, "shell"), Some("bash"), "composite steps name their shell");
        let script = string(step, "run").expect("a run step");
        assert!(
            !script.contains("${{"),
            "step {id} pastes an expression into its script; pass it through env"
        );
        let output_file = scratch.path().join(format!("output-{index}"));
        fs::write(&output_file, "").unwrap();
        let mut environment = vec![
            ("GITHUB_ACTION_PATH".to_owned(), root().display().to_string()),
            ("GITHUB_OUTPUT".to_owned(), output_file.display().to_string()),
            (
                "GITHUB_PATH".to_owned(),
                scratch.path().join("path").display().to_string(),
            ),
            ("GITHUB_STEP_SUMMARY".to_owned(), summary_file.display().to_string()),
            ("RUNNER_OS".to_owned(), "Linux".to_owned()),
            ("RUNNER_ARCH".to_owned(), "X64".to_owned()),
            ("HOME".to_owned(), scratch.path().display().to_string()),
        ];
        if let Some(env) = step["env"].as_hash() {
            for (key, value) in env {
                let value = value.as_str().expect("env values are strings");
                let evaluated = expression.replace_all(value, |captures: &regex::Captures<'_>| {
                    let path = &captures[1];
                    if let Some(name) = path.strip_prefix("inputs.") {
                        values[name].clone()
                    } else if path.starts_with("github.") {
                        github.get(path).cloned().unwrap_or_default()
                    } else {
                        panic!("step {id}: an expression this runner does not model: {path}")
                    }
                });
                environment.push((key.as_str().unwrap().to_owned(), evaluated.into_owned()));
            }
        }
        let ran = bash(script, repository, &environment);
        run.stdout.push_str(&ran.stdout);
        run.stderr.push_str(&ran.stderr);
        let outputs = fs::read_to_string(&output_file).unwrap();
        run.outputs.insert(
            id,
            outputs
                .lines()
                .filter_map(|line| line.split_once('='))
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .collect(),
        );
        run.code = ran.code;
        if ran.code != Some(0) {
            break;
        }
    }
    run.summary = fs::read_to_string(&summary_file).unwrap();
    run
}

/// The `with:` of the workflow's step that uses the action.
fn workflow_inputs(repository: &Path) -> HashMap<String, String> {
    let workflow = yaml_file(&repository.join(".github/workflows/track2.yml"));
    let steps = workflow["jobs"]["check"]["steps"].as_vec().expect("the job's steps");
    let uses: Vec<&str> = steps.iter().filter_map(|step| string(step, "uses")).collect();
    let action = env!("CARGO_PKG_REPOSITORY").trim_start_matches("https://github.com/");
    assert_eq!(
        uses,
        [
            "actions/checkout@v4".to_owned(),
            format!("{action}@v{}", env!("CARGO_PKG_VERSION"))
        ]
    );
    let with = &steps[1]["with"];
    with.as_hash()
        .expect("the action's inputs")
        .iter()
        .map(|(key, value)| {
            let value = match value {
                Yaml::Boolean(flag) => flag.to_string(),
                other => other.as_str().expect("a string").to_owned(),
            };
            (key.as_str().unwrap().to_owned(), value)
        })
        .collect()
}

#[test]
fn the_workflow_of_a_new_repository_passes_and_summarises_the_ledger() {
    let repository = new_repository();
    let workflow = yaml_file(&repository.path().join(".github/workflows/track2.yml"));
    assert!(
        !workflow["on"]["pull_request"].is_badvalue(),
        "it runs on pull requests"
    );
    let inputs = workflow_inputs(repository.path());
    assert_eq!(inputs["as-of"], "commit");
    assert_eq!(inputs["strict"], "true");

    let run = run_action(repository.path(), &inputs);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert_eq!(run.outputs["check"]["errors"], "0");
    assert_eq!(run.outputs["check"]["warnings"], "0");
    assert!(run.outputs["version"]["key"].starts_with("track2-Linux-X64-"));
    assert!(
        run.stdout.contains("track2 check: errors: 0, warnings: 0 in all"),
        "{}",
        run.stdout
    );
    assert!(run.summary.starts_with("## track2\n"), "{}", run.summary);
    assert!(run.summary.contains("**Errors: 0. Warnings: 0.**"), "{}", run.summary);
    assert!(
        run.summary.contains("Every file is in canonical form."),
        "{}",
        run.summary
    );
    // `track2 summary --output markdown` of the one example engagement.
    assert!(run.summary.contains("| engagements | 1 |"), "{}", run.summary);
    assert!(
        run.summary.contains("| as of | 2026-01-01 |"),
        "the commit's date: {}",
        run.summary
    );
}

#[test]
fn a_broken_ledger_fails_the_workflow_with_annotations_and_a_count() {
    let repository = new_repository();
    // Twelve undeclared people: more than the ten annotations GitHub shows.
    let people: Vec<String> = (1..=12).map(|n| format!("expert-{n}")).collect();
    append(
        &example(repository.path()),
        &format!(
            "\n2025-07-01 AZ -> AM Second roundtable\n  format: roundtable\n  participants: {}\n",
            people.join(", ")
        ),
    );
    commit_all(repository.path(), "Add the second roundtable", COMMIT_DATE);
    let run = run_action(repository.path(), &workflow_inputs(repository.path()));
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert_eq!(run.outputs["check"]["errors"], "12");
    let annotations: Vec<&str> = run.stdout.lines().filter(|line| line.starts_with("::error ")).collect();
    assert_eq!(annotations.len(), 12);
    assert!(
        annotations[0].starts_with("::error file=ledgers/example.track2,line=30,col=17,"),
        "{}",
        annotations[0]
    );
    assert!(annotations[0].contains("title=undeclared-person::undeclared person `expert-1`"));
    assert!(run.summary.contains("**Errors: 12. Warnings: 0.**"), "{}", run.summary);
    assert!(run.summary.contains("first 10 annotations"), "{}", run.summary);
    // Neither fmt nor the summary runs on a ledger with errors.
    assert!(
        run.summary.contains("checked once the ledger has no errors"),
        "{}",
        run.summary
    );
    assert!(!run.summary.contains("| engagements |"), "{}", run.summary);
}

#[test]
fn a_file_out_of_canonical_form_fails_the_workflow() {
    let repository = new_repository();
    let path = example(repository.path());
    let text = fs::read_to_string(&path).unwrap().replace("AZ -> AM", "AZ->AM");
    fs::write(&path, text).unwrap();
    commit_all(repository.path(), "Squeeze the direction", COMMIT_DATE);
    let run = run_action(repository.path(), &workflow_inputs(repository.path()));
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert_eq!(run.outputs["check"]["errors"], "0");
    assert!(
        run.stdout.contains("would reformat: ledgers/example.track2"),
        "{}",
        run.stdout
    );
    assert!(run.summary.contains("not in canonical form"), "{}", run.summary);
    // The ledger itself is fine, so its summary is still there.
    assert!(run.summary.contains("| engagements | 1 |"), "{}", run.summary);
}

#[test]
fn as_of_commit_judges_planned_dates_by_the_commit_not_the_calendar() {
    let repository = new_repository();
    append(
        &example(repository.path()),
        "\n2025-12-15 AM -> AZ Planned return visit\n  format: roundtable\n  status: planned\n",
    );
    // Committed before the planned day: the check stays green whenever it
    // runs, because it compares with the commit's date.
    commit_all(repository.path(), "Plan the return visit", "2025-12-01T09:00:00+00:00");
    let inputs = workflow_inputs(repository.path());
    let run = run_action(repository.path(), &inputs);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(run.summary.contains("| as of | 2025-12-01 |"), "{}", run.summary);

    // A commit after the planned day finds the visit still planned.
    fs::write(repository.path().join("notes.txt"), "later\n").unwrap();
    commit_all(repository.path(), "Later", COMMIT_DATE);
    let run = run_action(repository.path(), &inputs);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert_eq!(run.outputs["check"]["warnings"], "1");
    assert!(run.stdout.contains("title=planned-in-past"), "{}", run.stdout);

    // A fixed day, and no strictness, are inputs too.
    let mut fixed = inputs.clone();
    fixed.insert("as-of".into(), "2025-12-01".into());
    assert_eq!(run_action(repository.path(), &fixed).code, Some(0));
    let mut lenient = inputs;
    lenient.insert("strict".into(), "false".into());
    let run = run_action(repository.path(), &lenient);
    assert_eq!(run.code, Some(0));
    assert!(run.summary.contains("**Errors: 0. Warnings: 1.**"), "{}", run.summary);
}

#[test]
fn the_action_reads_the_paths_it_is_given() {
    let repository = new_repository();
    let records = repository.path().join("records");
    fs::create_dir(&records).unwrap();
    fs::rename(example(repository.path()), records.join("a.track2")).unwrap();
    fs::remove_dir(repository.path().join("ledgers")).unwrap();
    commit_all(repository.path(), "Move the ledger", COMMIT_DATE);
    let mut inputs = workflow_inputs(repository.path());

    // track2.toml still names ledgers/, which is gone: a usage error.
    let run = run_action(repository.path(), &inputs);
    assert_eq!(run.code, Some(2), "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("cannot read `ledgers`"), "{}", run.stderr);
    assert!(run.summary.contains("could not run"), "{}", run.summary);

    inputs.insert("paths".into(), "records\n".into());
    let run = run_action(repository.path(), &inputs);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(run.summary.contains("| engagements | 1 |"), "{}", run.summary);

    // An input is data, never shell: no glob is expanded, nothing is run.
    inputs.insert("paths".into(), "rec* $(touch pwned)".into());
    assert_eq!(run_action(repository.path(), &inputs).code, Some(2));
    assert!(!repository.path().join("pwned").exists());
}

#[test]
fn on_a_pull_request_the_summary_says_what_it_changes_in_the_record() {
    let repository = new_repository();
    let base = git_output(repository.path(), &["rev-parse", "HEAD"]);
    append(
        &example(repository.path()),
        "\n2025-07-01 AZ -> AM Second roundtable\n  format: roundtable\n",
    );
    commit_all(repository.path(), "Add the second roundtable", COMMIT_DATE);
    let inputs = workflow_inputs(repository.path());

    // A push: no base, no comparison.
    let run = run_action(repository.path(), &inputs);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        !run.summary.contains("What this pull request changes"),
        "{}",
        run.summary
    );

    let pull_request = HashMap::from([("github.event.pull_request.base.sha", base.clone())]);
    let run = run_action_in(repository.path(), &inputs, &pull_request);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let changes = run
        .summary
        .split_once("### What this pull request changes\n\n")
        .map(|(_, changes)| changes)
        .unwrap_or_else(|| panic!("no comparison: {}", run.summary));
    // `track2 diff BASE HEAD --output markdown`, as the README shows it.
    let expected = track2_in(
        repository.path(),
        &["diff", &base, "HEAD", "--output", "markdown", "--as-of", "2026-01-01"],
    )
    .output()
    .unwrap();
    assert_eq!(changes, text(&expected.stdout));
    assert!(
        changes.contains("| added | 2025-07-01 | AZ → AM | Second roundtable |"),
        "{changes}"
    );

    // A base that is not a commit name is never handed to git or track2.
    let hostile = HashMap::from([("github.event.pull_request.base.sha", "--output=pwned".to_owned())]);
    let run = run_action_in(repository.path(), &inputs, &hostile);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.summary.contains("No comparison: the base is not a commit name."),
        "{}",
        run.summary
    );
    assert!(!repository.path().join("pwned").exists());
}

/// What git printed, trimmed.
fn git_output(repository: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(repository)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", text(&output.stderr));
    text(&output.stdout).trim().to_owned()
}

/// The one line the README and `.gitattributes` give to turn the driver on.
const TEXTCONV_CONFIG: &str = "git config diff.track2.textconv \"track2 diff --textconv\"";

#[test]
fn git_diff_with_the_documented_driver_shows_whole_records() {
    let repository = new_repository();
    // The command is written the same in the README and in the
    // `.gitattributes` that `track2 init` writes: run it as a user would.
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains(TEXTCONV_CONFIG), "the README shows `{TEXTCONV_CONFIG}`");
    let attributes = fs::read_to_string(repository.path().join(".gitattributes")).unwrap();
    assert!(attributes.contains(TEXTCONV_CONFIG), "{attributes}");
    let ran = bash(TEXTCONV_CONFIG, repository.path(), &[]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);

    let path = example(repository.path());
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("venue: Yerevan", "venue: Gyumri");
    fs::write(&path, text).unwrap();
    let ran = bash(
        "git -c core.pager=cat diff --no-color --unified=0",
        repository.path(),
        &[
            ("GIT_CONFIG_GLOBAL".to_owned(), "/dev/null".to_owned()),
            ("GIT_CONFIG_NOSYSTEM".to_owned(), "1".to_owned()),
        ],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    // One changed line each side: the whole engagement, its header first.
    let changed: Vec<&str> = ran
        .stdout
        .lines()
        .filter(|line| {
            (line.starts_with('-') || line.starts_with('+')) && !line.starts_with("---") && !line.starts_with("+++")
        })
        .collect();
    assert_eq!(changed.len(), 2, "{}", ran.stdout);
    assert!(
        changed[0].starts_with("-2025-06-12 AZ -> AM Example: expert roundtable on border communities | ")
            && changed[0].contains("venue: Yerevan"),
        "{}",
        ran.stdout
    );
    assert!(
        changed[1].starts_with("+2025-06-12 AZ -> AM") && changed[1].contains("venue: Gyumri"),
        "{}",
        ran.stdout
    );
}
