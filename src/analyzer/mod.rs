//! From syntax to meaning: reads every field by the schema, resolves every
//! reference, and checks the rules that span several blocks or files.
//!
//! It works in passes, each linear in the size of the ledger:
//! 1. [`declarations`]: parse the declaration blocks (found by the loader's
//!    [`parser::Directives`]), register every id so that a declaration may
//!    come after its use, then read their fields;
//! 2. [`engagement`]: parse every file once, block by block, reading each
//!    engagement as it comes, on one thread per core for a large ledger
//!    (no syntax tree of a whole file is ever held);
//! 3. [`duplicates`]: engagement ids and engagements recorded twice, across
//!    everything the threads read;
//! 4. [`reciprocity`]: `reciprocates:` links, which may name an engagement
//!    further on;
//! 5. [`hints`]: "did you mean" for every name that names nothing, once per
//!    distinct name and within a bounded amount of work.
//!
//! Each check reports and goes on; the model keeps whatever could be read, so
//! that one mistake does not hide the next. What is kept besides the
//! diagnostics is the caller's choice ([`Keep`]).

mod declarations;
mod duplicates;
mod engagement;
mod fields;
mod hints;
mod reciprocity;

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::index::{Index, IndexBuilder};
use crate::model::{Confidentiality, EngagementIndex, Engagements, Ledger};
use crate::parallel::{self, Parallelism};
use crate::parser::{self, Directives, Sink};
use crate::privacy::{WithheldBlock, withheld_by_fields};
use crate::source::{FileId, Location, SourceMap};
use crate::syntax::{Block, DeclarationKind, EngagementHeader, Header};
use declarations::Declarations;
use duplicates::EntryTables;
use engagement::{EngagementReader, PendingLink};

#[derive(Clone, Copy, Debug)]
pub struct AnalysisOptions {
    /// "Today" for the date checks, so that a result can be reproduced.
    pub as_of: NaiveDate,
}

/// What the analysis keeps besides the diagnostics, from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Keep {
    /// Declarations only: engagements are checked, counted and dropped.
    Diagnostics,
    /// Declarations, and only the engagements marked `confidential:` or
    /// `embargo:`: every engagement that can make a value private, which is
    /// what masking a public output needs, at nearly the cost of
    /// [`Keep::Diagnostics`]. `privacy` decides what they withhold.
    Confidential,
    /// The whole model, for reports and exports.
    Ledger,
    /// The whole model and its [`Index`]: every declaration and every use
    /// of an id, with where it is. For editors and `track2 show`.
    Index,
}

impl Keep {
    fn keeps(self, confidential: Option<Confidentiality>, embargo: Option<crate::date::DateSpec>) -> bool {
        match self {
            Keep::Ledger | Keep::Index => true,
            Keep::Diagnostics => false,
            Keep::Confidential => confidential.is_some() || embargo.is_some(),
        }
    }
}

pub struct Analysis<'a> {
    /// Under [`Keep::Diagnostics`], the declarations without engagements;
    /// under [`Keep::Confidential`], with only the confidential ones.
    pub ledger: Ledger<'a>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many engagements were read, kept or not.
    pub engagements_read: usize,
    /// Which engagements `ledger` holds.
    pub kept: Keep,
    /// Under [`Keep::Index`], where everything is.
    pub index: Option<Index<'a>>,
    /// From [`Keep::Confidential`] on, every block whose fields withhold it
    /// from public outputs, so that they can say nothing of what is in it.
    pub withheld_blocks: Vec<WithheldBlock>,
}

pub fn analyze<'a>(
    sources: &'a SourceMap,
    directives: &[Directives],
    options: &AnalysisOptions,
    keep: Keep,
) -> Analysis<'a> {
    analyze_in(sources, directives, options, keep, Parallelism::auto())
}

/// [`analyze`] with the parallelism given: the result is the same whatever
/// it is (the conformance tests hold it to that); only the time differs.
pub fn analyze_in<'a>(
    sources: &'a SourceMap,
    directives: &[Directives],
    options: &AnalysisOptions,
    keep: Keep,
    parallelism: Parallelism,
) -> Analysis<'a> {
    let mut diagnostics = Vec::new();
    let mut index = (keep == Keep::Index).then(IndexBuilder::default);
    let blocks = declaration_blocks(sources, directives);
    let declarations = Declarations::read(sources, &blocks, &mut diagnostics, index.as_mut());
    let mut withheld_blocks = Vec::new();
    if keep >= Keep::Confidential {
        for (file, block) in &blocks {
            let text = sources.get(*file).text();
            let person = matches!(&block.header, Header::Declaration(header) if header.kind == DeclarationKind::Person);
            if let Some(until) = person.then(|| withheld_by_fields(text, block)).flatten() {
                withheld_blocks.push(WithheldBlock {
                    extent: Location {
                        file: *file,
                        span: block.extent(text),
                    },
                    until,
                });
            }
        }
    }
    drop(blocks);

    let groups = parallel::work_groups(sources, parallelism);
    let read_group = |group: Vec<(FileId, std::ops::Range<usize>)>| {
        let mut reader = EngagementReader::new(&declarations, sources, *options, keep);
        for (file, range) in group {
            reader.read_range(file, range);
        }
        // Sorted here, on the reader's own thread; the runs are merged below.
        duplicates::sort_by_hash(&mut reader.keys);
        reader
    };
    let readers = parallel::map(groups, read_group);

    let mut engagements = Engagements::default();
    let mut tables = Vec::with_capacity(readers.len());
    let mut runs = Vec::with_capacity(readers.len());
    let mut links: Vec<PendingLink<'a>> = Vec::new();
    let mut engagements_read = 0;
    for reader in readers {
        let offset = engagements.append(reader.chunk);
        let shift = |index: Option<EngagementIndex>| index.map(|index| EngagementIndex(index.0 + offset));
        diagnostics.extend(reader.diagnostics);
        withheld_blocks.extend(reader.withheld_blocks);
        tables.push((reader.entry_ids, offset));
        runs.push(reader.keys);
        links.extend(reader.links.into_iter().map(|link| PendingLink {
            engagement: shift(link.engagement),
            ..link
        }));
        if let (Some(index), Some(read)) = (&mut index, reader.index) {
            index.absorb(read, offset);
        }
        engagements_read += reader.read;
    }
    let entries = EntryTables::join(tables, &mut diagnostics);
    duplicates::report_duplicate_engagements(runs, sources, &mut diagnostics);
    let mut ledger = Ledger {
        sources,
        parties: declarations.parties,
        orgs: declarations.orgs,
        persons: declarations.persons,
        formats: declarations.formats,
        series: declarations.series,
        engagements,
    };
    reciprocity::check_links(links, &entries, &mut ledger, index.as_mut(), &mut diagnostics);
    hints::add(sources, &ledger, || entries.ids_in_order(), &mut diagnostics);
    Analysis {
        ledger,
        diagnostics,
        engagements_read,
        kept: keep,
        index: index.map(IndexBuilder::finish),
        withheld_blocks,
    }
}

/// The declaration blocks of every file, in ledger order, parsed from the
/// ranges the loader found. Anything wrong in them is reported when the
/// whole file is parsed.
fn declaration_blocks(sources: &SourceMap, directives: &[Directives]) -> Vec<(FileId, Block)> {
    struct Collect<'v> {
        file: FileId,
        blocks: &'v mut Vec<(FileId, Block)>,
    }
    impl Sink for Collect<'_> {
        fn block(&mut self, block: &Block) {
            if matches!(block.header, Header::Declaration(_)) {
                self.blocks.push((self.file, block.clone()));
            }
        }
    }
    let mut blocks = Vec::new();
    for (file, source) in sources.iter() {
        for range in &directives[file.0 as usize].declarations {
            let mut collect = Collect {
                file,
                blocks: &mut blocks,
            };
            parser::parse_into(file, source.text(), range.clone(), &mut collect, &mut Vec::new());
        }
    }
    blocks
}

/// The engagement header of the line at `location`, parsed again: checks
/// that compare engagements keep only where their headers are.
fn header_at(sources: &SourceMap, location: Location) -> Option<EngagementHeader> {
    struct FirstHeader(Option<EngagementHeader>);
    impl Sink for FirstHeader {
        fn block(&mut self, block: &Block) {
            if let (None, Header::Engagement(header)) = (&self.0, &block.header) {
                self.0 = Some(header.clone());
            }
        }
    }
    let text = sources.get(location.file).text();
    let mut first = FirstHeader(None);
    parser::parse_into(location.file, text, location.span.range(), &mut first, &mut Vec::new());
    first.0
}

/// Schema slots of the keys the analyzer reads, found at compile time, so
/// that reading a field is an index and never a string comparison.
mod slot {
    use crate::schema::{BlockKind, slot};
    use crate::syntax::DeclarationKind::{Org, Party, Person};

    const ENGAGEMENT: BlockKind = BlockKind::Engagement;
    pub const ID: usize = slot(ENGAGEMENT, "id");
    pub const FORMAT: usize = slot(ENGAGEMENT, "format");
    pub const TRACK: usize = slot(ENGAGEMENT, "track");
    pub const SERIES: usize = slot(ENGAGEMENT, "series");
    pub const RECIPROCATES: usize = slot(ENGAGEMENT, "reciprocates");
    pub const STATUS: usize = slot(ENGAGEMENT, "status");
    pub const CONFIDENTIAL: usize = slot(ENGAGEMENT, "confidential");
    pub const EMBARGO: usize = slot(ENGAGEMENT, "embargo");
    pub const VENUE: usize = slot(ENGAGEMENT, "venue");
    pub const SPONSORS: usize = slot(ENGAGEMENT, "sponsors");
    pub const PARTICIPANTS: usize = slot(ENGAGEMENT, "participants");
    pub const MET: usize = slot(ENGAGEMENT, "met");
    pub const SOURCE: usize = slot(ENGAGEMENT, "source");
    pub const NOTE: usize = slot(ENGAGEMENT, "note");
    pub const TAGS: usize = slot(ENGAGEMENT, "tags");
    pub const PARTY_WIKIDATA: usize = slot(BlockKind::Declaration(Party), "wikidata");
    pub const ORG_PARTY: usize = slot(BlockKind::Declaration(Org), "party");
    pub const ORG_KIND: usize = slot(BlockKind::Declaration(Org), "kind");
    pub const ORG_WIKIDATA: usize = slot(BlockKind::Declaration(Org), "wikidata");
    pub const PERSON_PARTY: usize = slot(BlockKind::Declaration(Person), "party");
    pub const PERSON_ORG: usize = slot(BlockKind::Declaration(Person), "org");
    pub const PERSON_ROLE: usize = slot(BlockKind::Declaration(Person), "role");
    pub const PERSON_ALIAS: usize = slot(BlockKind::Declaration(Person), "alias");
    pub const PERSON_PRIVATE: usize = slot(BlockKind::Declaration(Person), "private");
    pub const PERSON_WIKIDATA: usize = slot(BlockKind::Declaration(Person), "wikidata");
}
