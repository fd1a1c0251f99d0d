//! Shell completion scripts and manual pages: generated from the command
//! line's definition, they must render and know every command.

use std::fs;

use crate::support::{run, stdout, text};

/// The commands `track2 --help` lists, read from its output so that a new
/// command is checked without editing this test.
fn commands() -> Vec<String> {
    let help = stdout(&["--help"]);
    let listed: Vec<String> = help
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect();
    assert!(listed.len() >= 8, "{help}");
    listed
}

#[test]
fn every_shell_gets_a_script_that_knows_every_command() {
    let commands = commands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        assert!(script.len() > 1000, "{shell}: {script}");
        for command in &commands {
            assert!(script.contains(command.as_str()), "{shell} lacks {command}");
        }
        // Values clap knows are completed too, where the shell's generator
        // writes them (PowerShell's and Elvish's complete flags only).
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(script.contains("sarif"), "{shell} lacks check's formats");
        }
    }
    let output = run(&["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2), "an unknown shell is a usage error");
}

#[test]
fn the_bash_script_is_valid_bash() {
    let script = stdout(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("track2.bash");
    fs::write(&path, script).unwrap();
    let output = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
}

#[test]
fn the_manual_page_lists_every_command() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH track2 1"), "{page}");
    for command in commands() {
        assert!(
            page.contains(&format!("track2\\-{command}(1)")),
            "the page lacks {command}:\n{page}"
        );
    }
}

#[test]
fn man_writes_one_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    let output = run(&["man", "--dir", pages.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let mut expected: Vec<String> = commands().iter().map(|command| format!("track2-{command}.1")).collect();
    expected.push("track2.1".into());
    expected.sort();
    let mut written: Vec<String> = fs::read_dir(&pages)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, expected);
    let check = fs::read_to_string(pages.join("track2-check.1")).unwrap();
    assert!(check.contains("\\-\\-output"), "{check}");
    // The old name still works, but is not taught.
    assert!(!check.contains("\\-\\-format"), "{check}");
}
