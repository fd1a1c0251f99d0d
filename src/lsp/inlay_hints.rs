//! Inlay hints: a person's name after each use of their id, so that a list
//! of participants reads as people. The client packages turn them off by
//! default: they double the width of a long list.

use lsp_server::ResponseError;
use lsp_types::{InlayHint, InlayHintLabel, InlayHintParams};

use super::convert::{self, Walker};
use super::session::Session;
use crate::index::{Namespace, Role};
use crate::syntax::DeclarationKind;

pub fn inlay_hints(session: &Session, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>, ResponseError> {
    if !session.settings.inlay_hints {
        return Ok(Some(Vec::new()));
    }
    let Some(context) = session.context(&params.text_document.uri) else {
        return Ok(None);
    };
    let Some((snapshot, file)) = context.analysed else {
        return Ok(None);
    };
    let source = snapshot.source(file);
    let wanted = convert::span(source, params.range, context.encoding);
    let ledger = &snapshot.analysis().ledger;
    let mut walker = Walker::new(source, context.encoding);
    let hints = snapshot
        .index()
        .all_references()
        .iter()
        .filter(|reference| {
            reference.location.file == file
                && reference.namespace == Namespace::Declaration(DeclarationKind::Person)
                && reference.role != Role::Redeclared
                && reference.location.span.start >= wanted.start
                && reference.location.span.end <= wanted.end
        })
        .filter_map(|reference| {
            let person = ledger.persons.get(reference.target? as usize)?;
            Some(InlayHint {
                position: walker.position(reference.location.span.end as usize),
                label: InlayHintLabel::String(person.name.to_owned()),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
        })
        .collect();
    Ok(Some(hints))
}
