//! Starts `track2 lsp` for `.track2` files: the `track2` on the PATH of the
//! worktree's shell, the way Zed finds other command-line servers.

use zed_extension_api::{self as zed, LanguageServerId, Result, Worktree};

struct Track2Extension;

impl zed::Extension for Track2Extension {
    fn new() -> Self {
        Track2Extension
    }

    fn language_server_command(&mut self, _server: &LanguageServerId, worktree: &Worktree) -> Result<zed::Command> {
        let command = worktree.which("track2").ok_or_else(|| {
            "track2 is not on the PATH: install it (`cargo install --path .` in its repository), \
             then restart the language server"
                .to_string()
        })?;
        Ok(zed::Command {
            command,
            args: vec!["lsp".into()],
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(Track2Extension);
