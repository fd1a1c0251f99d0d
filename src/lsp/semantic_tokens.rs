//! Semantic tokens: the editor colours each token by what it is, beyond
//! what a TextMate grammar can tell: a person's id apart from an org's, a
//! declared id apart from a use. Dates, keywords, keys, names, titles,
//! values and comments come from the parse of the document; what an id in
//! a value names comes from the index.

use lsp_server::ResponseError;
use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
    SemanticTokensParams, SemanticTokensRangeParams, SemanticTokensRangeResult, SemanticTokensResult,
};

use super::convert::{self, Walker};
use super::session::{DocumentContext, Session};
use crate::index::Namespace;
use crate::parser;
use crate::schema::{self, BlockKind, ValueKind};
use crate::source::{FileId, Span};
use crate::syntax::{Block, BlockLine, DeclarationKind, Header, Host, Item};

/// The token types, in the legend's order: a token's type is its index.
const TYPES: [SemanticTokenType; 14] = [
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::CLASS,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::TYPE,
    SemanticTokenType::ENUM,
    SemanticTokenType::EVENT,
    SemanticTokenType::DECORATOR,
    SemanticTokenType::KEYWORD,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::NUMBER,
    SemanticTokenType::STRING,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
];

/// Indices into [`TYPES`].
mod kind {
    pub const PARTY: u32 = 0;
    pub const ORG: u32 = 1;
    pub const PERSON: u32 = 2;
    pub const FORMAT: u32 = 3;
    pub const SERIES: u32 = 4;
    pub const ENGAGEMENT: u32 = 5;
    pub const TAG: u32 = 6;
    pub const KEYWORD: u32 = 7;
    pub const KEY: u32 = 8;
    pub const VALUE: u32 = 9;
    pub const DATE: u32 = 10;
    pub const TEXT: u32 = 11;
    pub const COMMENT: u32 = 12;
    pub const OPERATOR: u32 = 13;
}

/// The one modifier, bit 0: the id is declared here.
const DECLARATION: u32 = 1;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

fn of_namespace(namespace: Namespace) -> u32 {
    match namespace {
        Namespace::Declaration(declared) => of_declaration(declared),
        Namespace::Engagement => kind::ENGAGEMENT,
        Namespace::Tag => kind::TAG,
    }
}

fn of_declaration(declared: DeclarationKind) -> u32 {
    match declared {
        DeclarationKind::Party => kind::PARTY,
        DeclarationKind::Org => kind::ORG,
        DeclarationKind::Person => kind::PERSON,
        DeclarationKind::Format => kind::FORMAT,
        DeclarationKind::Series => kind::SERIES,
    }
}

/// A token before encoding: its bytes, type and modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Token {
    span: Span,
    kind: u32,
    modifiers: u32,
}

pub fn full(session: &Session, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>, ResponseError> {
    let Some(context) = session.context(&params.text_document.uri) else {
        return Ok(None);
    };
    let tokens = tokens(&context);
    Ok(Some(SemanticTokensResult::Tokens(encode(&context, &tokens))))
}

pub fn range(
    session: &Session,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>, ResponseError> {
    let Some(context) = session.context(&params.text_document.uri) else {
        return Ok(None);
    };
    let wanted = convert::span(context.document.file(), params.range, context.encoding);
    let tokens: Vec<Token> = tokens(&context)
        .into_iter()
        .filter(|token| token.span.end >= wanted.start && token.span.start <= wanted.end)
        .collect();
    Ok(Some(SemanticTokensRangeResult::Tokens(encode(&context, &tokens))))
}

/// Every token of the document, in order.
fn tokens(context: &DocumentContext<'_>) -> Vec<Token> {
    let text = context.document.text();
    let (document, _) = parser::parse(FileId(0), text);
    // What each id in a value names, from the index, in order of place.
    let references: Vec<(Span, Namespace)> = match context.analysed {
        Some((snapshot, file)) => snapshot
            .index()
            .all_references()
            .iter()
            .filter(|reference| reference.location.file == file)
            .map(|reference| (reference.location.span, reference.namespace))
            .collect(),
        None => Vec::new(),
    };
    let mut tokens = Vec::new();
    let mut push = |span: Span, kind: u32, modifiers: u32| {
        if !span.is_empty() {
            tokens.push(Token { span, kind, modifiers });
        }
    };
    for item in &document.items {
        match item {
            Item::Blank => {}
            Item::Comment(span) => push(*span, kind::COMMENT, 0),
            Item::Include(include) => {
                push(
                    Span::new(
                        include.line.start as usize,
                        include.line.start as usize + "include".len(),
                    ),
                    kind::KEYWORD,
                    0,
                );
                push(include.quoted, kind::TEXT, 0);
            }
            Item::Block(block) => block_tokens(text, block, &references, &mut push),
        }
    }
    // Comments inside a block are handed over with their block; the
    // protocol wants the tokens in order of place.
    tokens.sort_by_key(|token| token.span);
    tokens.dedup_by(|later, earlier| later.span.start < earlier.span.end);
    tokens
}

fn block_tokens(text: &str, block: &Block, references: &[(Span, Namespace)], push: &mut impl FnMut(Span, u32, u32)) {
    let kind = match &block.header {
        Header::Declaration(header) => {
            push(header.keyword, kind::KEYWORD, 0);
            push(header.id, of_declaration(header.kind), DECLARATION);
            push(header.name, kind::TEXT, 0);
            Some(BlockKind::Declaration(header.kind))
        }
        Header::Engagement(header) => {
            push(header.date, kind::DATE, 0);
            for party in &header.origin {
                push(*party, kind::PARTY, 0);
            }
            let between = Span::new(
                header.origin.last().map_or(header.date.end, |party| party.end) as usize,
                header.destination.span().start as usize,
            );
            if let Some(arrow) = text[between.range()].find("->") {
                let at = between.start as usize + arrow;
                push(Span::new(at, at + 2), kind::OPERATOR, 0);
            }
            match header.destination {
                Host::Party(span) => push(span, kind::PARTY, 0),
                Host::Online(span) | Host::Unknown(span) => push(span, kind::VALUE, 0),
            }
            push(header.title, kind::TEXT, 0);
            Some(BlockKind::Engagement)
        }
        Header::Invalid => None,
    };
    for line in &block.lines {
        match line {
            BlockLine::Comment(span) => push(*span, kind::COMMENT, 0),
            BlockLine::Blank => {}
            BlockLine::Field(field) => {
                push(field.key, kind::KEY, 0);
                let key = &text[field.key.range()];
                let value = kind
                    .and_then(|kind| schema::field_slot(kind, key).map(|slot| schema::fields(kind)[slot].value))
                    .unwrap_or(ValueKind::Text);
                match value {
                    ValueKind::Text | ValueKind::Url | ValueKind::Wikidata => push(field.value, kind::TEXT, 0),
                    ValueKind::Date => push(field.value, kind::DATE, 0),
                    ValueKind::Choice(_) => push(field.value, kind::VALUE, 0),
                    ValueKind::Id if kind == Some(BlockKind::Engagement) && key == "id" => {
                        push(field.value, kind::ENGAGEMENT, DECLARATION);
                    }
                    ValueKind::Id | ValueKind::IdList | ValueKind::Participants => {
                        let first = references.partition_point(|(span, _)| span.start < field.value.start);
                        for (span, namespace) in &references[first..] {
                            if span.start > field.value.end {
                                break;
                            }
                            push(*span, of_namespace(*namespace), 0);
                        }
                    }
                }
            }
        }
    }
}

/// The tokens as the protocol sends them: each relative to the one before,
/// in the negotiated encoding.
fn encode(context: &DocumentContext<'_>, tokens: &[Token]) -> SemanticTokens {
    let file = context.document.file();
    let mut walker = Walker::new(file, context.encoding);
    let mut data = Vec::with_capacity(tokens.len());
    let (mut line, mut column) = (0, 0);
    for token in tokens {
        let start = walker.position(token.span.start as usize);
        let length = convert::columns(file.slice(token.span), context.encoding);
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 {
            start.character - column
        } else {
            start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: token.kind,
            token_modifiers_bitset: token.modifiers,
        });
        line = start.line;
        column = start.character;
    }
    SemanticTokens { result_id: None, data }
}
