//! Moving around the ledger by its ids: go to definition, find references,
//! rename (with `prepareRename`), and include lines as links. Every kind of
//! id works alike, across every file of the ledger, because the index
//! records every declaration and every use with where it is.

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_server::{ErrorCode, ResponseError};
use lsp_types::{
    DocumentLink, DocumentLinkParams, GotoDefinitionParams, GotoDefinitionResponse, Location, PrepareRenameResponse,
    ReferenceParams, RenameParams, TextDocumentPositionParams, TextEdit, Url, WorkspaceEdit,
};

use super::convert::{self, Walker};
use super::main_loop::error;
use super::session::{DocumentContext, Session};
use super::snapshot::LedgerSnapshot;
use crate::index::{Index, Namespace, Symbol};
use crate::parser;
use crate::source::{FileId, Location as Place};
use crate::syntax::DeclarationKind;

/// An id under the cursor: where it is written, what kind of thing it
/// names, and what it names (nothing for an undeclared one).
pub struct Occurrence {
    pub location: Place,
    pub namespace: Namespace,
    pub symbol: Option<Symbol>,
}

/// The id at `offset` of `file`: a use of one, or a declared id, or an
/// engagement's `id:` (its date, when it has none).
pub fn occurrence_at(index: &Index<'_>, file: FileId, offset: usize) -> Option<Occurrence> {
    if let Some(reference) = index.reference_at(file, offset) {
        return Some(Occurrence {
            location: reference.location,
            namespace: reference.namespace,
            symbol: reference.symbol(),
        });
    }
    let symbol = index.symbol_at(file, offset)?;
    let site = index.definition(symbol)?;
    Some(Occurrence {
        location: site.id,
        namespace: symbol.namespace,
        symbol: Some(symbol),
    })
}

/// The document's ledger, its file in it, and the offset of `position`.
fn analysed_at<'s>(
    context: &DocumentContext<'s>,
    position: lsp_types::Position,
) -> Option<(&'s LedgerSnapshot, FileId, usize)> {
    let (snapshot, file) = context.analysed?;
    let offset = convert::offset(snapshot.source(file), position, context.encoding);
    Some((snapshot, file, offset))
}

fn location(snapshot: &LedgerSnapshot, place: Place, encoding: crate::position::Encoding) -> Option<Location> {
    Some(Location {
        uri: snapshot.uri(place.file)?.clone(),
        range: convert::range(snapshot.source(place.file), place.span, encoding),
    })
}

pub fn definition(
    session: &Session,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, ResponseError> {
    let at = params.text_document_position_params;
    let Some(context) = session.context(&at.text_document.uri) else {
        return Ok(None);
    };
    if let Some(target) = include_at(&context, at.position) {
        return Ok(Some(GotoDefinitionResponse::Scalar(Location {
            uri: target,
            range: lsp_types::Range::default(),
        })));
    }
    let Some((snapshot, file, offset)) = analysed_at(&context, at.position) else {
        return Ok(None);
    };
    let index = snapshot.index();
    let site = occurrence_at(index, file, offset)
        .and_then(|occurrence| occurrence.symbol)
        .and_then(|symbol| index.definition(symbol));
    Ok(site
        .and_then(|site| location(snapshot, site.id, context.encoding))
        .map(GotoDefinitionResponse::Scalar))
}

pub fn references(session: &Session, params: ReferenceParams) -> Result<Option<Vec<Location>>, ResponseError> {
    let at = params.text_document_position;
    let Some(context) = session.context(&at.text_document.uri) else {
        return Ok(None);
    };
    let Some((snapshot, file, offset)) = analysed_at(&context, at.position) else {
        return Ok(None);
    };
    let index = snapshot.index();
    let Some(symbol) = occurrence_at(index, file, offset).and_then(|occurrence| occurrence.symbol) else {
        return Ok(None);
    };
    let mut places: Vec<Place> = Vec::new();
    if params.context.include_declaration {
        places.extend(index.definition(symbol).map(|site| site.id));
    }
    places.extend(index.references(symbol).map(|reference| reference.location));
    Ok(Some(locations(snapshot, places, context.encoding)))
}

/// Locations of `places`, each file's converted in one pass.
fn locations(snapshot: &LedgerSnapshot, mut places: Vec<Place>, encoding: crate::position::Encoding) -> Vec<Location> {
    places.sort();
    places.dedup();
    let mut out = Vec::with_capacity(places.len());
    let mut walker: Option<(FileId, Walker<'_>)> = None;
    for place in places {
        let Some(uri) = snapshot.uri(place.file) else { continue };
        if walker.as_ref().is_none_or(|(file, _)| *file != place.file) {
            walker = Some((place.file, Walker::new(snapshot.source(place.file), encoding)));
        }
        if let Some((_, walker)) = walker.as_mut() {
            out.push(Location {
                uri: uri.clone(),
                range: walker.range(place.span),
            });
        }
    }
    out
}

/// Why the id under the cursor cannot be renamed, or what it is.
fn renameable(snapshot: &LedgerSnapshot, file: FileId, offset: usize) -> Result<(Symbol, Place), ResponseError> {
    let index = snapshot.index();
    let Some(occurrence) = occurrence_at(index, file, offset) else {
        return Err(error(ErrorCode::RequestFailed, "there is no id here to rename"));
    };
    let written = snapshot.loaded().sources.slice(occurrence.location);
    let Some(symbol) = occurrence.symbol else {
        return Err(error(
            ErrorCode::RequestFailed,
            format!("`{written}` is not declared, so there is nothing to rename; declare it first"),
        ));
    };
    if !parser::is_id(written) {
        // An engagement without an `id:` is found by its date.
        return Err(error(
            ErrorCode::RequestFailed,
            "this engagement has no `id:` to rename",
        ));
    }
    Ok((symbol, occurrence.location))
}

pub fn prepare_rename(
    session: &Session,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, ResponseError> {
    let Some(context) = session.context(&params.text_document.uri) else {
        return Ok(None);
    };
    let Some((snapshot, file, offset)) = analysed_at(&context, params.position) else {
        return Ok(None);
    };
    let (_, place) = renameable(snapshot, file, offset)?;
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: convert::range(snapshot.source(file), place.span, context.encoding),
        placeholder: snapshot.loaded().sources.slice(place).to_owned(),
    }))
}

pub fn rename(session: &Session, params: RenameParams) -> Result<Option<WorkspaceEdit>, ResponseError> {
    let at = params.text_document_position;
    let Some(context) = session.context(&at.text_document.uri) else {
        return Ok(None);
    };
    let Some((snapshot, file, offset)) = analysed_at(&context, at.position) else {
        return Ok(None);
    };
    let (symbol, place) = renameable(snapshot, file, offset)?;
    let old = snapshot.loaded().sources.slice(place);
    let new = params.new_name.as_str();
    if new != old {
        refuse_new_name(snapshot, symbol.namespace, new)?;
    }
    let index = snapshot.index();
    let mut places: Vec<Place> = index.definition(symbol).map(|site| site.id).into_iter().collect();
    places.extend(index.references(symbol).map(|reference| reference.location));
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for location in locations(snapshot, places, context.encoding) {
        changes.entry(location.uri).or_default().push(TextEdit {
            range: location.range,
            new_text: new.to_owned(),
        });
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }))
}

/// A new id must be an id, may not be a reserved word, and may not be
/// taken: renaming onto a declared id would silently merge two people.
fn refuse_new_name(snapshot: &LedgerSnapshot, namespace: Namespace, new: &str) -> Result<(), ResponseError> {
    let refuse = |message: String| Err(error(ErrorCode::RequestFailed, message));
    if !parser::is_id(new) {
        return refuse(format!(
            "`{new}` is not an id: an id starts with a letter (A-Z, a-z) and holds only letters, digits, `.`, `_` and `-`"
        ));
    }
    let ledger = &snapshot.analysis().ledger;
    let index = snapshot.index();
    let taken = match namespace {
        Namespace::Declaration(kind) => {
            if kind == DeclarationKind::Party && new == "online" {
                return refuse("`online` is reserved: it means an engagement held online, never a party".into());
            }
            let ids: Vec<&str> = match kind {
                DeclarationKind::Party => ledger.parties.iter().map(|d| d.id).collect(),
                DeclarationKind::Org => ledger.orgs.iter().map(|d| d.id).collect(),
                DeclarationKind::Person => ledger.persons.iter().map(|d| d.id).collect(),
                DeclarationKind::Format => ledger.formats.iter().map(|d| d.id).collect(),
                DeclarationKind::Series => ledger.series.iter().map(|d| d.id).collect(),
            };
            ids.iter().position(|id| *id == new).map(|at| {
                let site = index.declarations(kind)[at];
                format!(
                    "a {} `{new}` is declared already, at {}",
                    kind.keyword(),
                    place_name(snapshot, site.id)
                )
            })
        }
        Namespace::Engagement => ledger
            .engagements()
            .find(|engagement| engagement.id() == Some(new))
            .map(|engagement| {
                format!(
                    "an engagement has the id `{new}` already, at {}",
                    place_name(snapshot, engagement.location())
                )
            }),
        Namespace::Tag => index
            .tag_symbol(new)
            .map(|_| format!("the tag `{new}` is used already; renaming would merge the two tags")),
    };
    match taken {
        Some(message) => refuse(message),
        None => Ok(()),
    }
}

/// `ledgers/people.track2:14`, for a message.
fn place_name(snapshot: &LedgerSnapshot, place: Place) -> String {
    let file = snapshot.source(place.file);
    format!("{}:{}", file.name(), file.position(place.span.start as usize).line)
}

pub fn document_links(
    session: &Session,
    params: DocumentLinkParams,
) -> Result<Option<Vec<DocumentLink>>, ResponseError> {
    let Some(context) = session.context(&params.text_document.uri) else {
        return Ok(None);
    };
    let file = context.document.file();
    let (document, _) = parser::parse(FileId(0), file.text());
    let mut walker = Walker::new(file, context.encoding);
    let links = document
        .includes()
        .filter_map(|include| {
            let target = include_target(&context, file.slice(include.path))?;
            Some(DocumentLink {
                range: walker.range(include.path),
                tooltip: Some(format!("open {}", file.slice(include.path))),
                target: Some(target),
                data: None,
            })
        })
        .collect();
    Ok(Some(links))
}

/// The file an include of `written` in the document names, if it exists.
fn include_target(context: &DocumentContext<'_>, written: &str) -> Option<Url> {
    // An absolute include is never read (GRAMMAR.md §4.5): no link either.
    if std::path::Path::new(written).has_root() {
        return None;
    }
    let directory = context.document.path.as_ref()?.parent()?;
    let target: PathBuf = directory.join(written);
    if !target.is_file() {
        return None;
    }
    convert::uri_of(&target)
}

/// The target of the include whose path is under `position`.
fn include_at(context: &DocumentContext<'_>, position: lsp_types::Position) -> Option<Url> {
    struct Includes(Vec<crate::syntax::Include>);
    impl parser::Sink for Includes {
        fn block(&mut self, _block: &crate::syntax::Block) {}
        fn include(&mut self, include: &crate::syntax::Include) {
            self.0.push(include.clone());
        }
    }
    let file = context.document.file();
    let offset = convert::offset(file, position, context.encoding);
    let line = super::text::line_at(file.text(), offset);
    if !file.text()[line.clone()].starts_with("include") {
        return None;
    }
    let mut includes = Includes(Vec::new());
    parser::parse_into(FileId(0), file.text(), line, &mut includes, &mut Vec::new());
    let include = includes.0.pop()?;
    if !include.quoted.touches(offset) {
        return None;
    }
    include_target(context, file.slice(include.path))
}
