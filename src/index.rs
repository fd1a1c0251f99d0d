//! The index: where every declaration is, where every engagement `id` is,
//! and every place an id is used, with what it resolved to. Built by the
//! analysis when asked ([`crate::Keep::Index`]); what the language server,
//! `track2 show` and exact privacy masking stand on.
//!
//! Like rust-analyzer's source map, it answers both ways: from a place in a
//! file to what is there ([`Index::symbol_at`], [`Index::cursor_at`]) and
//! from a symbol to every place it is declared and used
//! ([`Index::definition`], [`Index::references`]).

use rustc_hash::FxHashMap;

use crate::model::EngagementIndex;
use crate::parser;
use crate::schema::{self, BlockKind, ValueKind};
use crate::source::{FileId, Location, SourceMap, Span};
use crate::syntax::{self, Block, BlockLine, DeclarationKind, Header, ListItem};

/// The kinds of things an id can name. Declarations have a namespace each
/// (a party and a person may share an id); engagement ids have theirs; tags
/// are not declared, so a tag is its own text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Namespace {
    Declaration(DeclarationKind),
    Engagement,
    Tag,
}

/// One thing an id names: a declaration, an engagement, or a tag, by its
/// place in the model (declarations and engagements) or in the index's list
/// of tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol {
    pub namespace: Namespace,
    pub index: u32,
}

/// What a use of an id says about what it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A party on the visiting side of a direction.
    Origin,
    /// The host party of a direction.
    Host,
    Format,
    Series,
    Reciprocates,
    Sponsor,
    Participant,
    Met,
    /// The party of a count of unnamed people, `+3 AZ`.
    Counted,
    Tag,
    /// The `party:` of an org or a person.
    PartyOf,
    /// The `org:` of a person.
    OrgOf,
    /// The id of a second declaration of something already declared.
    Redeclared,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Origin => "origin",
            Role::Host => "host",
            Role::Format => "format",
            Role::Series => "series",
            Role::Reciprocates => "reciprocates",
            Role::Sponsor => "sponsor",
            Role::Participant => "participant",
            Role::Met => "met",
            Role::Counted => "counted",
            Role::Tag => "tag",
            Role::PartyOf => "party",
            Role::OrgOf => "org",
            Role::Redeclared => "declared again",
        }
    }
}

/// One use of an id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The id as written.
    pub location: Location,
    pub namespace: Namespace,
    /// What it names; `None` when nothing of that name is declared.
    pub target: Option<u32>,
    pub role: Role,
    /// The engagement it is in, when the model keeps that engagement.
    pub engagement: Option<EngagementIndex>,
}

impl Reference {
    pub fn symbol(&self) -> Option<Symbol> {
        self.target.map(|index| Symbol {
            namespace: self.namespace,
            index,
        })
    }
}

/// Where something is declared: its id and its whole block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Site {
    pub id: Location,
    pub block: Location,
}

/// What a block of a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockContent {
    /// A declaration; its symbol when it is the first of its id.
    Declaration(DeclarationKind, Option<u32>),
    /// An engagement; its index when the model keeps it.
    Engagement(Option<EngagementIndex>),
    /// A header too broken to say what it is.
    Invalid,
}

/// A block of a file, from its header to its last field or comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockSite {
    pub location: Location,
    pub content: BlockContent,
}

/// What is under a cursor, read from the syntax of the block around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub block: BlockSite,
    pub part: Part,
}

/// A part of a block. Every span is a range of the file; a cursor at either
/// end of a token is on it, so that completion can replace what is typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// The keyword of a declaration.
    Keyword(Span),
    /// The id a declaration declares.
    DeclaredId(DeclarationKind, Span),
    /// A declaration's display name.
    Name(Span),
    Date(Span),
    /// A party of the visiting side, the `n`th.
    Origin(usize, Span),
    /// The host party or `online`.
    Destination(Span),
    Title(Span),
    /// A field's key.
    Key(Span),
    /// A field's value, or the item of a list value under the cursor (an
    /// empty span between commas when the item is empty).
    Value {
        key: Span,
        value: Span,
        item: Span,
    },
    /// Somewhere else in the block: a blank or comment line, the indent of
    /// a field line.
    Elsewhere,
}

/// The index of one analysed ledger.
#[derive(Debug, Default)]
pub struct Index<'a> {
    /// Per declaration kind, the site of each declaration in the model's
    /// list of that kind.
    declarations: [Vec<Site>; 5],
    /// The site of each engagement the model keeps: its `id:` value (or its
    /// date when it has none) and its block.
    engagements: Vec<Site>,
    tags: Vec<&'a str>,
    references: Vec<Reference>,
    /// For each symbol, its references, as indices into `references`.
    by_symbol: FxHashMap<Symbol, Vec<u32>>,
    blocks: Vec<BlockSite>,
}

impl<'a> Index<'a> {
    /// Where `symbol` is declared: the id of its declaration, or of an
    /// engagement's `id:` field. Tags are not declared.
    pub fn definition(&self, symbol: Symbol) -> Option<Site> {
        let index = symbol.index as usize;
        match symbol.namespace {
            Namespace::Declaration(kind) => self.declarations[kind as usize].get(index).copied(),
            Namespace::Engagement => self.engagements.get(index).copied(),
            Namespace::Tag => None,
        }
    }

    /// Every use of `symbol`, in ledger order.
    pub fn references(&self, symbol: Symbol) -> impl Iterator<Item = &Reference> + '_ {
        self.by_symbol
            .get(&symbol)
            .into_iter()
            .flatten()
            .map(|&at| &self.references[at as usize])
    }

    /// Every use of every id, in ledger order.
    pub fn all_references(&self) -> &[Reference] {
        &self.references
    }

    /// The text of a tag symbol.
    pub fn tag(&self, index: u32) -> &'a str {
        self.tags[index as usize]
    }

    /// The tag symbol of `text`, if any engagement has that tag.
    pub fn tag_symbol(&self, text: &str) -> Option<Symbol> {
        self.tags.iter().position(|tag| *tag == text).map(|index| Symbol {
            namespace: Namespace::Tag,
            index: index as u32,
        })
    }

    /// The use of an id at `offset` of `file`, if one is there.
    pub fn reference_at(&self, file: FileId, offset: usize) -> Option<&Reference> {
        let after = self.references.partition_point(|reference| {
            (reference.location.file, reference.location.span.start as usize) <= (file, offset)
        });
        self.references[..after]
            .iter()
            .rev()
            .take_while(|reference| reference.location.file == file)
            .find(|reference| reference.location.span.touches(offset))
    }

    /// What the id at `offset` of `file` names: a use of it, or its
    /// declaration, or an engagement's `id:`.
    pub fn symbol_at(&self, file: FileId, offset: usize) -> Option<Symbol> {
        if let Some(reference) = self.reference_at(file, offset) {
            return reference.symbol();
        }
        let on = |site: &Site| site.id.file == file && site.id.span.touches(offset);
        for kind in DeclarationKind::ALL {
            if let Some(index) = self.declarations[kind as usize].iter().position(on) {
                return Some(Symbol {
                    namespace: Namespace::Declaration(kind),
                    index: index as u32,
                });
            }
        }
        self.engagements.iter().position(on).map(|index| Symbol {
            namespace: Namespace::Engagement,
            index: index as u32,
        })
    }

    /// The block of `file` that holds `offset`.
    pub fn block_at(&self, file: FileId, offset: usize) -> Option<&BlockSite> {
        let after = self
            .blocks
            .partition_point(|block| (block.location.file, block.location.span.start as usize) <= (file, offset));
        self.blocks[..after]
            .last()
            .filter(|block| block.location.file == file && block.location.span.touches(offset))
    }

    /// Every block of every file, in ledger order.
    pub fn blocks(&self) -> &[BlockSite] {
        &self.blocks
    }

    /// The site of every declaration of `kind`, in the model's order.
    pub fn declarations(&self, kind: DeclarationKind) -> &[Site] {
        &self.declarations[kind as usize]
    }

    /// The site of every engagement the model keeps.
    pub fn engagements(&self) -> &[Site] {
        &self.engagements
    }

    /// What is under the cursor at `offset` of `file`: the block it is in
    /// and the part of it, read again from the block's text.
    pub fn cursor_at(&self, sources: &SourceMap, file: FileId, offset: usize) -> Option<Cursor> {
        let block = *self.block_at(file, offset)?;
        let text = sources.get(file).text();
        let syntax = parse_block(file, text, block.location.span)?;
        Some(Cursor {
            block,
            part: part_at(text, &syntax, offset),
        })
    }
}

/// The block of `text` that starts at `extent`'s start, parsed alone.
fn parse_block(file: FileId, text: &str, extent: Span) -> Option<Block> {
    struct First(Option<Block>);
    impl parser::Sink for First {
        fn block(&mut self, block: &Block) {
            if self.0.is_none() {
                self.0 = Some(block.clone());
            }
        }
    }
    let end = text[extent.end as usize..]
        .find('\n')
        .map_or(text.len(), |newline| extent.end as usize + newline);
    let mut first = First(None);
    parser::parse_into(file, text, extent.start as usize..end, &mut first, &mut Vec::new());
    first.0
}

fn part_at(text: &str, block: &Block, offset: usize) -> Part {
    if block.header_line.touches(offset) {
        return header_part(block, offset);
    }
    for line in &block.lines {
        let BlockLine::Field(field) = line else { continue };
        if field.key.touches(offset) {
            return Part::Key(field.key);
        }
        let value_start = field.value.start as usize;
        // Right after `key:` is the value's place, even before it is typed.
        let line_end = text[value_start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |n| value_start + n);
        let after_colon = text[field.key.end as usize..value_start].contains(':');
        if after_colon && offset >= field.key.end as usize && offset <= line_end.max(field.value.end as usize) {
            let key = &text[field.key.range()];
            let item = if is_list_key(block, key) {
                list_item_at(text, field.value, offset)
            } else {
                field.value
            };
            return Part::Value {
                key: field.key,
                value: field.value,
                item,
            };
        }
    }
    Part::Elsewhere
}

fn header_part(block: &Block, offset: usize) -> Part {
    match &block.header {
        Header::Declaration(header) => {
            if header.keyword.touches(offset) {
                Part::Keyword(header.keyword)
            } else if header.id.touches(offset) {
                Part::DeclaredId(header.kind, header.id)
            } else {
                Part::Name(header.name)
            }
        }
        Header::Engagement(header) => {
            if header.date.touches(offset) {
                return Part::Date(header.date);
            }
            if let Some(at) = header.origin.iter().position(|party| party.touches(offset)) {
                return Part::Origin(at, header.origin[at]);
            }
            if header.destination.span().touches(offset) {
                return Part::Destination(header.destination.span());
            }
            Part::Title(header.title)
        }
        Header::Invalid => Part::Elsewhere,
    }
}

fn is_list_key(block: &Block, key: &str) -> bool {
    let kind = match &block.header {
        Header::Declaration(header) => BlockKind::Declaration(header.kind),
        Header::Engagement(_) => BlockKind::Engagement,
        Header::Invalid => return false,
    };
    schema::field_slot(kind, key).is_some_and(|slot| {
        matches!(
            schema::fields(kind)[slot].value,
            ValueKind::IdList | ValueKind::Participants
        )
    })
}

/// The list item of `value` under `offset`, or the empty span where one
/// would be typed.
fn list_item_at(text: &str, value: Span, offset: usize) -> Span {
    if value.is_empty() || offset > value.end as usize {
        return Span::point(offset);
    }
    let mut item_start = value.start as usize;
    for item in syntax::list_items(&text[value.range()], value) {
        let span = match item {
            ListItem::Item(_, span) | ListItem::Empty(span) => span,
        };
        if span.touches(offset) {
            return span;
        }
        item_start = span.end as usize;
        if offset < item_start {
            break;
        }
    }
    Span::point(offset.max(item_start).min(value.end as usize))
}

/// Collects an index as the analysis reads the ledger. Each reading thread
/// fills its own; they are joined in ledger order.
#[derive(Debug, Default)]
pub(crate) struct IndexBuilder<'a> {
    pub declarations: [Vec<Site>; 5],
    pub engagements: Vec<Site>,
    tags: FxHashMap<&'a str, u32>,
    tag_list: Vec<&'a str>,
    pub references: Vec<Reference>,
    pub blocks: Vec<BlockSite>,
}

impl<'a> IndexBuilder<'a> {
    pub fn reference(&mut self, reference: Reference) {
        self.references.push(reference);
    }

    /// The symbol of the tag `text`, made on first use.
    pub fn tag(&mut self, text: &'a str) -> u32 {
        let next = self.tag_list.len() as u32;
        *self.tags.entry(text).or_insert_with(|| {
            self.tag_list.push(text);
            next
        })
    }

    /// Appends what a later reading thread built, whose engagements start
    /// at `offset` in the model.
    pub fn absorb(&mut self, later: IndexBuilder<'a>, offset: u32) {
        let shift = |index: EngagementIndex| EngagementIndex(index.0 + offset);
        let tag_map: Vec<u32> = later.tag_list.iter().map(|tag| self.tag(tag)).collect();
        self.engagements.extend(later.engagements);
        self.references
            .extend(later.references.into_iter().map(|mut reference| {
                reference.engagement = reference.engagement.map(shift);
                match reference.namespace {
                    Namespace::Engagement => reference.target = reference.target.map(|index| index + offset),
                    Namespace::Tag => reference.target = reference.target.map(|tag| tag_map[tag as usize]),
                    Namespace::Declaration(_) => {}
                }
                reference
            }));
        self.blocks.extend(later.blocks.into_iter().map(|mut block| {
            if let BlockContent::Engagement(index) = &mut block.content {
                *index = index.map(shift);
            }
            block
        }));
    }

    pub fn finish(mut self) -> Index<'a> {
        let location = |reference: &Reference| reference.location;
        self.references.sort_by_key(location);
        self.blocks.sort_by_key(|block| block.location);
        let mut by_symbol: FxHashMap<Symbol, Vec<u32>> = FxHashMap::default();
        for (at, reference) in self.references.iter().enumerate() {
            if let Some(symbol) = reference.symbol() {
                by_symbol.entry(symbol).or_default().push(at as u32);
            }
        }
        Index {
            declarations: self.declarations,
            engagements: self.engagements,
            tags: self.tag_list,
            references: self.references,
            by_symbol,
            blocks: self.blocks,
        }
    }
}
