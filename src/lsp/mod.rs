//! `track2 lsp`: the language server, over a connection the binary hands
//! it (standard input and output). The same library as `track2 check`, so
//! an editor shows exactly the problems the checker reports, as the user
//! types.
//!
//! Built on `lsp-server` (rust-analyzer's synchronous transport: plain
//! threads and channels) and `lsp-types` 0.95. One thread runs
//! [`main_loop`]: it applies edits to the [`session`], analyses ledgers
//! when the typing pauses, and answers requests from the latest analysis,
//! one message at a time, in the order they came. ARCHITECTURE.md has the
//! whole picture.
//!
//! One file per family of requests, each a function from the session's
//! state to the protocol's answer: [`completion`], [`hover`],
//! [`navigation`] (definition, references, rename, links), [`symbols`],
//! [`folding`], [`semantic_tokens`], [`inlay_hints`], [`formatting`] and
//! [`code_actions`].

mod capabilities;
mod code_actions;
mod completion;
mod convert;
mod diagnostics;
mod document;
mod folding;
mod formatting;
mod hover;
mod inlay_hints;
mod main_loop;
mod navigation;
mod overlay;
mod project;
mod semantic_tokens;
mod session;
mod snapshot;
mod symbols;
mod text;

use chrono::NaiveDate;
use lsp_server::{Connection, ProtocolError};

/// What the binary tells the server.
#[derive(Clone, Copy, Debug)]
pub struct ServerOptions {
    /// Today, asked each time a ledger is analysed (a server may run past
    /// midnight), for ledgers whose track2.toml fixes no day.
    pub today: fn() -> NaiveDate,
}

/// How the conversation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// `shutdown`, then `exit`: the process exits with 0.
    Shutdown,
    /// `exit` without `shutdown`, or the client went away: with 1, as the
    /// protocol asks.
    Abandoned,
}

/// Runs the server on `connection` until the client ends it.
pub fn serve(connection: &Connection, options: ServerOptions) -> Result<Ending, ProtocolError> {
    let (id, params) = connection.initialize_start()?;
    // A client that sends something other than the protocol's parameters
    // gets the defaults rather than no server.
    let params: lsp_types::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = convert::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_deref()),
    );
    let settings = capabilities::settings(&params);
    let result = lsp_types::InitializeResult {
        capabilities: capabilities::server(encoding),
        server_info: Some(lsp_types::ServerInfo {
            name: "track2".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    // Plain data with string keys: serialising it cannot fail.
    let result = serde_json::to_value(result).unwrap_or(serde_json::Value::Null);
    connection.initialize_finish(id, result)?;
    let session = session::Session::new(encoding, settings, options.today);
    main_loop::run(connection, session, capabilities::watches_files(&params))
}

/// The message a panic carried, for the log.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic without a message".to_owned()
    }
}
