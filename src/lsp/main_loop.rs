//! The loop: one message at a time, in order, on one thread (as
//! rust-analyzer's `main_loop` and ruff's server do on the same crate).
//!
//! Notifications change the session; a ledger they change is analysed once
//! the editor has been quiet for the pause, and every message already
//! waiting is handled before that, so that queued edits are all in the
//! analysis. Requests are answered at once, from an analysis of the text
//! as it is (see [`Session::make_current`]). A panic while answering is
//! caught: the request gets an error, the log says why, and the server
//! carries on with the next message.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use lsp_server::{
    Connection, ErrorCode, Message, Notification, ProtocolError, Request, RequestId, Response, ResponseError,
};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentLinkRequest, DocumentSymbolRequest, FoldingRangeRequest, Formatting,
    GotoDefinition, HoverRequest, InlayHintRequest, PrepareRenameRequest, RangeFormatting, References,
    RegisterCapability, Rename, Request as _, SemanticTokensFullRequest, SemanticTokensRangeRequest, Shutdown,
    WorkspaceSymbolRequest,
};
use lsp_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, MessageType, Registration,
    RegistrationParams, Url,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::session::Session;
use super::{
    Ending, code_actions, completion, folding, formatting, hover, inlay_hints, navigation, panic_message,
    semantic_tokens, symbols,
};

pub fn run(connection: &Connection, mut session: Session, watch_files: bool) -> Result<Ending, ProtocolError> {
    match serve_messages(connection, &mut session, watch_files)? {
        Ok(ending) => Ok(ending),
        // The client stopped reading: nobody is left to answer.
        Err(Gone) => Ok(Ending::Abandoned),
    }
}

/// The client's side of the connection is closed.
struct Gone;

fn serve_messages(
    connection: &Connection,
    session: &mut Session,
    watch_files: bool,
) -> Result<Result<Ending, Gone>, ProtocolError> {
    let session = &mut *session;
    if watch_files {
        if let Err(gone) = send(connection, watch_request()) {
            return Ok(Err(gone));
        }
    }
    // After `shutdown` the server answers nothing but waits for `exit`.
    // (`Connection::handle_shutdown` would treat any other message in
    // between as a protocol error, such as the client's late answer to the
    // request to watch files.)
    let mut shut_down = false;
    loop {
        let message = match connection.receiver.try_recv() {
            Ok(message) => message,
            Err(disconnected) if disconnected.is_disconnected() => return Ok(Ok(Ending::Abandoned)),
            // Nothing waiting: analyse what is due, or wait for a message
            // or for the next ledger to fall due.
            Err(_) => match session.next_due().filter(|_| !shut_down) {
                Some(due) if due <= Instant::now() => {
                    session.analyse_due();
                    if let Err(gone) = flush(connection, session) {
                        return Ok(Err(gone));
                    }
                    continue;
                }
                Some(due) => match connection
                    .receiver
                    .recv_timeout(due.saturating_duration_since(Instant::now()))
                {
                    Ok(message) => message,
                    Err(waited) if waited.is_timeout() => continue,
                    Err(_) => return Ok(Ok(Ending::Abandoned)),
                },
                None => match connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return Ok(Ok(Ending::Abandoned)),
                },
            },
        };
        let sent = match message {
            Message::Request(request) if shut_down => send(
                connection,
                Response::new_err(
                    request.id,
                    ErrorCode::InvalidRequest as i32,
                    "the server is shutting down".to_owned(),
                )
                .into(),
            ),
            Message::Request(request) if request.method == Shutdown::METHOD => {
                shut_down = true;
                send(connection, Response::new_ok(request.id, Value::Null).into())
            }
            Message::Request(request) => {
                let response = handle_request(session, request);
                // Diagnostics of an analysis the request asked for go first.
                flush(connection, session).and_then(|()| send(connection, response.into()))
            }
            Message::Notification(notification) => {
                if notification.method == lsp_types::notification::Exit::METHOD {
                    return Ok(Ok(if shut_down { Ending::Shutdown } else { Ending::Abandoned }));
                }
                handle_notification(session, notification);
                flush(connection, session)
            }
            // The answer to the request to watch files: nothing to do.
            Message::Response(_) => Ok(()),
        };
        if let Err(gone) = sent {
            return Ok(Err(gone));
        }
    }
}

fn send(connection: &Connection, message: Message) -> Result<(), Gone> {
    connection.sender.send(message).map_err(|_| Gone)
}

fn flush(connection: &Connection, session: &mut Session) -> Result<(), Gone> {
    for message in session.take_outbox() {
        send(connection, message)?;
    }
    Ok(())
}

/// Asks the client to tell the server when a ledger file or a project file
/// changes on disk.
fn watch_request() -> Message {
    let watchers = ["**/*.track2", "**/track2.toml"]
        .into_iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob.to_owned()),
            kind: None,
        })
        .collect();
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let params = RegistrationParams {
        registrations: vec![Registration {
            id: "track2-watch-files".to_owned(),
            method: DidChangeWatchedFiles::METHOD.to_owned(),
            register_options: serde_json::to_value(options).ok(),
        }],
    };
    Request::new(
        RequestId::from("track2-watch-files".to_owned()),
        RegisterCapability::METHOD.to_owned(),
        params,
    )
    .into()
}

fn handle_notification(session: &mut Session, notification: Notification) {
    let method = notification.method.clone();
    let handled = catch_unwind(AssertUnwindSafe(|| match method.as_str() {
        DidOpenTextDocument::METHOD => {
            if let Some(params) = params::<lsp_types::DidOpenTextDocumentParams>(notification.params) {
                let document = params.text_document;
                session.open(document.uri, document.version, document.text);
            }
        }
        DidChangeTextDocument::METHOD => {
            if let Some(params) = params::<lsp_types::DidChangeTextDocumentParams>(notification.params) {
                let document = params.text_document;
                session.change(&document.uri, params.content_changes, document.version);
            }
        }
        DidCloseTextDocument::METHOD => {
            if let Some(params) = params::<lsp_types::DidCloseTextDocumentParams>(notification.params) {
                session.close(&params.text_document.uri);
            }
        }
        DidChangeWatchedFiles::METHOD => session.files_changed(),
        _ => {}
    }));
    if let Err(panic) = handled {
        let message = format!("{method} failed: {}; please report this", panic_message(&*panic));
        session.log(MessageType::ERROR, message);
    }
}

fn params<P: DeserializeOwned>(value: Value) -> Option<P> {
    serde_json::from_value(value).ok()
}

/// Answers one request; a panic inside becomes an error response.
fn handle_request(session: &mut Session, request: Request) -> Response {
    let method = request.method.clone();
    catching(session, request.id.clone(), &method, |session| {
        dispatch(session, request)
    })
}

fn catching(
    session: &mut Session,
    id: RequestId,
    method: &str,
    answer: impl FnOnce(&mut Session) -> Result<Value, ResponseError>,
) -> Response {
    match catch_unwind(AssertUnwindSafe(|| answer(&mut *session))) {
        Ok(answer) => Response {
            id,
            response_result: answer,
        },
        Err(panic) => {
            let why = panic_message(&*panic);
            session.log(
                MessageType::ERROR,
                format!("{method} failed: {why}; please report this"),
            );
            Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("track2 could not answer {method}: {why}"),
            )
        }
    }
}

fn dispatch(session: &mut Session, request: Request) -> Result<Value, ResponseError> {
    match request.method.as_str() {
        Completion::METHOD => on::<Completion>(session, request, completion::complete),
        HoverRequest::METHOD => on::<HoverRequest>(session, request, hover::hover),
        GotoDefinition::METHOD => on::<GotoDefinition>(session, request, navigation::definition),
        References::METHOD => on::<References>(session, request, navigation::references),
        PrepareRenameRequest::METHOD => on::<PrepareRenameRequest>(session, request, navigation::prepare_rename),
        Rename::METHOD => on::<Rename>(session, request, navigation::rename),
        DocumentLinkRequest::METHOD => on::<DocumentLinkRequest>(session, request, navigation::document_links),
        DocumentSymbolRequest::METHOD => on::<DocumentSymbolRequest>(session, request, symbols::document_symbols),
        WorkspaceSymbolRequest::METHOD => on::<WorkspaceSymbolRequest>(session, request, symbols::workspace_symbols),
        FoldingRangeRequest::METHOD => on::<FoldingRangeRequest>(session, request, folding::folding_ranges),
        SemanticTokensFullRequest::METHOD => on::<SemanticTokensFullRequest>(session, request, semantic_tokens::full),
        SemanticTokensRangeRequest::METHOD => {
            on::<SemanticTokensRangeRequest>(session, request, semantic_tokens::range)
        }
        InlayHintRequest::METHOD => on::<InlayHintRequest>(session, request, inlay_hints::inlay_hints),
        Formatting::METHOD => on::<Formatting>(session, request, formatting::format_document),
        RangeFormatting::METHOD => on::<RangeFormatting>(session, request, formatting::format_range),
        CodeActionRequest::METHOD => on::<CodeActionRequest>(session, request, code_actions::code_actions),
        _ => Err(error(
            ErrorCode::MethodNotFound,
            format!("track2 does not answer {}", request.method),
        )),
    }
}

/// An error response.
pub fn error(code: ErrorCode, message: impl Into<String>) -> ResponseError {
    ResponseError {
        code: code as i32,
        message: message.into(),
        data: None,
    }
}

/// Reads the parameters, brings the analysis of the document's ledger up
/// to date, and answers.
fn on<R>(
    session: &mut Session,
    request: Request,
    handler: fn(&Session, R::Params) -> Result<R::Result, ResponseError>,
) -> Result<Value, ResponseError>
where
    R: lsp_types::request::Request,
    R::Params: AboutDocument,
{
    let params: R::Params = serde_json::from_value(request.params)
        .map_err(|why| error(ErrorCode::InvalidParams, format!("invalid parameters: {why}")))?;
    session.make_current(params.document());
    let result = handler(session, params)?;
    // Plain data: serialising it cannot fail.
    Ok(serde_json::to_value(result).unwrap_or(Value::Null))
}

/// The document a request is about; `None` for one about the workspace.
pub trait AboutDocument {
    fn document(&self) -> Option<&Url>;
}

macro_rules! about_document {
    ($($params:ty => |$p:ident| $uri:expr;)*) => {$(
        impl AboutDocument for $params {
            fn document(&self) -> Option<&Url> {
                let $p = self;
                $uri
            }
        }
    )*};
}

about_document! {
    lsp_types::CompletionParams => |p| Some(&p.text_document_position.text_document.uri);
    lsp_types::HoverParams => |p| Some(&p.text_document_position_params.text_document.uri);
    lsp_types::GotoDefinitionParams => |p| Some(&p.text_document_position_params.text_document.uri);
    lsp_types::ReferenceParams => |p| Some(&p.text_document_position.text_document.uri);
    lsp_types::TextDocumentPositionParams => |p| Some(&p.text_document.uri);
    lsp_types::RenameParams => |p| Some(&p.text_document_position.text_document.uri);
    lsp_types::DocumentLinkParams => |p| Some(&p.text_document.uri);
    lsp_types::DocumentSymbolParams => |p| Some(&p.text_document.uri);
    lsp_types::WorkspaceSymbolParams => |_p| None;
    lsp_types::FoldingRangeParams => |p| Some(&p.text_document.uri);
    lsp_types::SemanticTokensParams => |p| Some(&p.text_document.uri);
    lsp_types::SemanticTokensRangeParams => |p| Some(&p.text_document.uri);
    lsp_types::InlayHintParams => |p| Some(&p.text_document.uri);
    lsp_types::DocumentFormattingParams => |p| Some(&p.text_document.uri);
    lsp_types::DocumentRangeFormattingParams => |p| Some(&p.text_document.uri);
    lsp_types::CodeActionParams => |p| Some(&p.text_document.uri);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::position::Encoding;

    #[test]
    fn a_panic_while_answering_is_an_error_response_and_a_log_line() {
        let mut session = Session::new(Encoding::Utf16, Default::default(), || {
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
        });
        let response = catching(&mut session, RequestId::from(7), "textDocument/hover", |_| {
            panic!("a bug in a handler")
        });
        let error = response.response_result.expect_err("an error response");
        assert_eq!(error.code, ErrorCode::InternalError as i32);
        assert!(error.message.contains("a bug in a handler"), "{}", error.message);
        let logged = session.take_outbox();
        assert_eq!(logged.len(), 1);
        let Message::Notification(log) = &logged[0] else {
            panic!("a notification")
        };
        assert_eq!(log.method, "window/logMessage");
        // The session answers the next request as usual.
        let response = catching(&mut session, RequestId::from(8), "x", |_| Ok(Value::Bool(true)));
        assert_eq!(response.response_result.unwrap(), Value::Bool(true));
    }
}
