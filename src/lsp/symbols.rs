//! Symbols: one per block of a document (an outline: declarations by id
//! and name, engagements by date and title), and every declaration and
//! engagement of the open ledgers for a workspace-wide search.

use lsp_server::ResponseError;
use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, Location, SymbolInformation, SymbolKind,
    WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use super::convert::{self, Walker};
use super::session::Session;
use crate::parser;
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::{DeclarationKind, EngagementHeader, Header};

/// How many symbols a workspace search returns at most: enough to find
/// anything by typing a little more, few enough to send at once.
const MOST_WORKSPACE_SYMBOLS: usize = 1_000;

fn kind_of(declaration: DeclarationKind) -> SymbolKind {
    match declaration {
        DeclarationKind::Party => SymbolKind::NAMESPACE,
        DeclarationKind::Org => SymbolKind::CLASS,
        DeclarationKind::Person => SymbolKind::OBJECT,
        DeclarationKind::Format => SymbolKind::ENUM,
        DeclarationKind::Series => SymbolKind::ARRAY,
    }
}

/// `AZ -> AM`, `AM + AZ -> NL`, as the header writes it.
fn direction(file: &SourceFile, header: &EngagementHeader) -> String {
    let origin: Vec<&str> = header.origin.iter().map(|&party| file.slice(party)).collect();
    format!("{} -> {}", origin.join(" + "), file.slice(header.destination.span()))
}

pub fn document_symbols(
    session: &Session,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, ResponseError> {
    let Some(context) = session.context(&params.text_document.uri) else {
        return Ok(None);
    };
    let file = context.document.file();
    let text = file.text();
    let (document, _) = parser::parse(FileId(0), text);
    let mut walker = Walker::new(file, context.encoding);
    let mut symbols = Vec::new();
    for block in document.blocks() {
        let (name, detail, kind, selection) = match &block.header {
            Header::Declaration(header) => {
                let id = file.slice(header.id);
                let name = if id.is_empty() { header.kind.keyword() } else { id };
                (
                    name.to_owned(),
                    format!("{} · {}", header.kind.keyword(), file.slice(header.name)),
                    kind_of(header.kind),
                    if id.is_empty() { header.keyword } else { header.id },
                )
            }
            Header::Engagement(header) => (
                format!("{} {}", file.slice(header.date), file.slice(header.title))
                    .trim_end()
                    .to_owned(),
                direction(file, header),
                SymbolKind::EVENT,
                header.date,
            ),
            Header::Invalid => continue,
        };
        let extent = block.extent(text);
        let start = walker.position(extent.start as usize);
        let selection_range = walker.range(selection);
        let end = walker.position(extent.end as usize);
        #[allow(deprecated)]
        symbols.push(DocumentSymbol {
            name,
            detail: Some(detail),
            kind,
            tags: None,
            deprecated: None,
            range: lsp_types::Range { start, end },
            selection_range,
            children: None,
        });
    }
    Ok(Some(DocumentSymbolResponse::Nested(symbols)))
}

/// Whether every character of `query` appears in `text` in order, ignoring
/// case: `rhus` finds `rusif-huseynov`.
fn matches(query: &[char], text: &str) -> bool {
    let mut wanted = query.iter().peekable();
    for c in text.chars().flat_map(char::to_lowercase) {
        if wanted.peek() == Some(&&c) {
            wanted.next();
        }
    }
    wanted.peek().is_none()
}

pub fn workspace_symbols(
    session: &Session,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>, ResponseError> {
    let query: Vec<char> = params.query.chars().flat_map(char::to_lowercase).collect();
    let encoding = session.encoding;
    let mut found: Vec<SymbolInformation> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    'ledgers: for snapshot in session.snapshots() {
        let ledger = &snapshot.analysis().ledger;
        let index = snapshot.index();
        let mut add = |name: String, kind: SymbolKind, container: String, place: crate::source::Location| {
            let Some(uri) = snapshot.uri(place.file) else {
                return true;
            };
            if !seen.insert((uri.clone(), place.span)) {
                return true;
            }
            #[allow(deprecated)]
            found.push(SymbolInformation {
                name,
                kind,
                tags: None,
                deprecated: None,
                location: Location {
                    uri: uri.clone(),
                    range: convert::range(snapshot.source(place.file), place.span, encoding),
                },
                container_name: Some(container),
            });
            found.len() < MOST_WORKSPACE_SYMBOLS
        };
        for kind in DeclarationKind::ALL {
            let named: Vec<(&str, &str)> = match kind {
                DeclarationKind::Party => ledger.parties.iter().map(|d| (d.id, d.name)).collect(),
                DeclarationKind::Org => ledger.orgs.iter().map(|d| (d.id, d.name)).collect(),
                DeclarationKind::Person => ledger.persons.iter().map(|d| (d.id, d.name)).collect(),
                DeclarationKind::Format => ledger.formats.iter().map(|d| (d.id, d.name)).collect(),
                DeclarationKind::Series => ledger.series.iter().map(|d| (d.id, d.name)).collect(),
            };
            for ((id, name), site) in named.into_iter().zip(index.declarations(kind)) {
                if (matches(&query, id) || matches(&query, name))
                    && !add(
                        id.to_owned(),
                        kind_of(kind),
                        format!("{} · {name}", kind.keyword()),
                        site.id,
                    )
                {
                    break 'ledgers;
                }
            }
        }
        for engagement in ledger.engagements() {
            let title = engagement.title();
            let id = engagement.id().unwrap_or("");
            if !(matches(&query, title) || matches(&query, id) || matches(&query, engagement.date_text())) {
                continue;
            }
            let place = engagement.location();
            let header = crate::source::Location {
                file: place.file,
                span: Span::new(
                    place.span.start as usize,
                    place.span.start as usize + engagement.date_text().len(),
                ),
            };
            let name = format!("{} {title}", engagement.date_text());
            if !add(name, SymbolKind::EVENT, id.to_owned(), header) {
                break 'ledgers;
            }
        }
    }
    Ok(Some(WorkspaceSymbolResponse::Flat(found)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_match_in_order_ignoring_case() {
        let query: Vec<char> = "rhus".chars().collect();
        assert!(matches(&query, "rusif-huseynov"));
        assert!(!matches(&query, "huseynov-rusif"));
        assert!(matches(&[], "anything"));
        let query: Vec<char> = "azər".chars().collect();
        assert!(matches(&query, "Azərbaycan"));
    }
}
