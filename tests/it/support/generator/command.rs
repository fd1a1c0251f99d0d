//! The command line of `examples/synthetic.rs`, here so that the tests can
//! hold it to what it promises: its arguments, and the files it writes.

use std::path::{Path, PathBuf};

use super::{Config, Generated, Layout, Shape};

pub const USAGE: &str = "usage: synthetic --entries N [--shape bilateral|regional|small] [--seed S] [--errors K]\n\
     \x20                [--files F] [--layout canonical|noisy] --out PATH\n\
     writes PATH (a file, or a directory of F files when F > 1) and, with --errors, PATH.errors";

/// What the command was asked for.
#[derive(Debug)]
pub struct Command {
    pub config: Config,
    pub out: PathBuf,
}

impl Command {
    /// Reads the arguments after the program's name; the error is a message
    /// for the user.
    pub fn parse(args: impl Iterator<Item = String>) -> Result<Command, String> {
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
                "--shape" => {
                    let name = value()?;
                    config.shape = Shape::from_name(&name).ok_or_else(|| format!("no shape `{name}`\n{USAGE}"))?;
                }
                "--layout" => {
                    config.layout = match value()?.as_str() {
                        "canonical" => Layout::Canonical,
                        "noisy" => Layout::Noisy,
                        other => return Err(format!("no layout `{other}`\n{USAGE}")),
                    }
                }
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
        Ok(Command { config, out })
    }
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

/// Writes the ledger to `out` (a file, or a directory of files), the files
/// it includes, and its sidecar beside it, or removes a stale sidecar.
pub fn write(generated: &Generated, out: &Path) -> std::io::Result<()> {
    let directory = if let [file] = generated.files.as_slice() {
        std::fs::write(out, &file.text)?;
        out.parent().unwrap_or(Path::new("."))
    } else {
        std::fs::create_dir_all(out)?;
        for file in &generated.files {
            std::fs::write(out.join(&file.name), &file.text)?;
        }
        out
    };
    for file in &generated.included {
        let path = directory.join(&file.name);
        std::fs::create_dir_all(path.parent().expect("a file in a directory"))?;
        std::fs::write(path, &file.text)?;
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
