//! What the server offers at `initialize`, and what it reads of the
//! client's capabilities and options.

use std::time::Duration;

use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions, DocumentLinkOptions,
    FoldingRangeProviderCapability, HoverProviderCapability, InitializeParams, OneOf, RenameOptions, SaveOptions,
    SemanticTokensFullOptions, SemanticTokensOptions, SemanticTokensServerCapabilities, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
    WorkDoneProgressOptions,
};

use super::convert;
use super::semantic_tokens;
use super::session::Settings;
use crate::position::Encoding;

/// Characters after which the editor asks for completions without a word
/// being typed: the blank after `participants:` or `->`, a list's comma,
/// an include's quote and path separator, a count's `+`.
pub const COMPLETION_TRIGGERS: [&str; 5] = [" ", ",", "\"", "/", "+"];

pub fn server(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            will_save: None,
            will_save_wait_until: None,
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(COMPLETION_TRIGGERS.iter().map(|c| (*c).to_owned()).collect()),
            resolve_provider: Some(false),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic_tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: Some(true),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        inlay_hint_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        ..ServerCapabilities::default()
    }
}

/// The client's wishes: `initializationOptions` (`{"inlayHints":
/// {"enabled": false}, "diagnosticDelay": 150}`, both optional) and whether
/// it takes snippets.
pub fn settings(params: &InitializeParams) -> Settings {
    let mut settings = Settings::default();
    let options = params.initialization_options.as_ref();
    if let Some(enabled) = options
        .and_then(|options| options.pointer("/inlayHints/enabled"))
        .and_then(serde_json::Value::as_bool)
    {
        settings.inlay_hints = enabled;
    }
    if let Some(delay) = options
        .and_then(|options| options.get("diagnosticDelay"))
        .and_then(serde_json::Value::as_u64)
    {
        // Bounded: a typo of a few zeros must not silence the server.
        settings.diagnostic_delay = Duration::from_millis(delay.min(5_000));
    }
    settings.snippets = params
        .capabilities
        .text_document
        .as_ref()
        .and_then(|text| text.completion.as_ref())
        .and_then(|completion| completion.completion_item.as_ref())
        .and_then(|item| item.snippet_support)
        .unwrap_or(false);
    settings
}

/// Whether the client watches files for the server when asked to
/// (`workspace/didChangeWatchedFiles` with dynamic registration).
pub fn watches_files(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|workspace| workspace.did_change_watched_files.as_ref())
        .and_then(|watched| watched.dynamic_registration)
        .unwrap_or(false)
}
