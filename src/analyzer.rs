//! From syntax to meaning: reads every field by the schema, resolves every
//! reference, and checks the rules that span several blocks or files.
//!
//! It works in passes, each linear in the size of the ledger:
//! 1. parse the declaration blocks (found by [`parser::outline`]) and
//!    register every id, so that a declaration may come after its use;
//! 2. read the declarations' fields;
//! 3. parse every file once, block by block, reading each engagement as it
//!    comes; no syntax tree of a whole file is ever held;
//! 4. check `reciprocates`, which may point at an engagement further on.
//!
//! Each check reports and goes on; the model keeps whatever could be read, so
//! that one mistake does not hide the next. When the caller only wants the
//! diagnostics ([`Keep::Diagnostics`]), engagements are checked and dropped,
//! and memory stays close to the size of the text.

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHasher};
use smallvec::SmallVec;

use crate::date::DateSpec;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{
    Confidentiality, Destination, Engagement, EngagementIndex, ExtraField, FormatIndex, Label, Ledger, Org, OrgIndex,
    OrgKind, Participant, Party, PartyIndex, Person, PersonIndex, SeriesIndex, Status, Track,
};
use crate::parser::{self, Outline, Sink, is_id};
use crate::schema::{self, BlockKind, MAX_FIELDS, ValueKind};
use crate::source::{FileId, Location, SourceMap, Span};
use crate::suggest;
use crate::syntax::{self, Block, DeclarationHeader, DeclarationKind, EngagementHeader, Field, Header};

#[derive(Clone, Copy, Debug)]
pub struct AnalysisOptions {
    /// "Today" for the date checks, so that a result can be reproduced.
    pub as_of: NaiveDate,
}

/// What the analysis keeps besides the diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The whole model, for reports and exports.
    Ledger,
    /// Declarations only: engagements are checked, counted and dropped.
    Diagnostics,
    /// Declarations, and only the engagements marked `confidential:` or
    /// `embargo:`: every engagement that can make a value private, which is
    /// what masking a public output needs, at nearly the cost of
    /// [`Keep::Diagnostics`]. `privacy` decides what they withhold.
    Confidential,
}

impl Keep {
    fn keeps(self, confidential: Option<Confidentiality>, embargo: Option<DateSpec>) -> bool {
        match self {
            Keep::Ledger => true,
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
}

/// How many threads engagements are read on, and from what size on.
#[derive(Clone, Copy, Debug)]
pub struct Parallelism {
    pub threads: usize,
    /// Ledgers smaller than this are read on one thread.
    pub from_bytes: usize,
}

impl Parallelism {
    /// One thread per core for ledgers large enough to gain from it.
    pub fn auto() -> Parallelism {
        Parallelism {
            threads: crate::parallel::threads(),
            from_bytes: crate::parallel::PARALLEL_FROM,
        }
    }
}

pub fn analyze<'a>(
    sources: &'a SourceMap,
    outlines: &[Outline],
    options: &AnalysisOptions,
    keep: Keep,
) -> Analysis<'a> {
    analyze_in(sources, outlines, options, keep, Parallelism::auto())
}

/// [`analyze`] with the parallelism given: the result is the same whatever
/// it is (the conformance tests hold it to that); only the time differs.
pub fn analyze_in<'a>(
    sources: &'a SourceMap,
    outlines: &[Outline],
    options: &AnalysisOptions,
    keep: Keep,
    parallelism: Parallelism,
) -> Analysis<'a> {
    let mut analyzer = Analyzer {
        sources,
        options: *options,
        keep,
        ledger: Ledger::default(),
        diagnostics: Vec::new(),
        declared: Default::default(),
        entry_ids: FxHashMap::default(),
        later_entry_ids: Vec::new(),
        engagement_keys: FxHashMap::default(),
        pending_reciprocations: Vec::new(),
        engagements_read: 0,
    };
    let mut declarations = DeclarationBlocks::default();
    for (file, source) in sources.iter() {
        declarations.file = file;
        for range in &outlines[file.0 as usize].declarations {
            // The full parse below reports anything wrong in these blocks.
            parser::parse_into(file, source.text(), range.clone(), &mut declarations, &mut Vec::new());
        }
    }
    for (file, block) in &declarations.blocks {
        if let Header::Declaration(header) = &block.header {
            analyzer.declare(*file, block, header);
        }
    }
    for (file, block) in &declarations.blocks {
        if let Header::Declaration(header) = &block.header {
            analyzer.read_declaration(*file, block, header);
        }
    }
    drop(declarations);
    let groups = work_groups(sources, parallelism);
    if groups.len() <= 1 {
        for (file, range) in groups.into_iter().flatten() {
            analyzer.read_engagements(file, range);
        }
    } else {
        // Engagements are independent of each other until `reciprocates` and
        // the duplicate checks, which the merge redoes across groups: each
        // group is read on its own thread, against the same declarations.
        let workers: Vec<Analyzer<'a>> = std::thread::scope(|scope| {
            let handles: Vec<_> = groups
                .into_iter()
                .map(|group| {
                    let mut worker = analyzer.fork();
                    scope.spawn(move || {
                        for (file, range) in group {
                            worker.read_engagements(file, range);
                        }
                        worker
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().expect("a reading thread does not panic"))
                .collect()
        });
        let count = workers.len();
        for (index, worker) in workers.into_iter().enumerate() {
            analyzer.absorb(worker, index + 1 == count);
        }
    }
    analyzer.check_reciprocations();
    Analysis {
        kept: keep,
        ledger: analyzer.ledger,
        diagnostics: analyzer.diagnostics,
        engagements_read: analyzer.engagements_read,
    }
}

/// Records `later` under `hash` in `keys`, or returns the location recorded
/// there before: the caller then compares the two keys' texts.
fn record_engagement_key(keys: &mut FxHashMap<u64, Location>, hash: u64, later: Location) -> Option<Location> {
    match keys.entry(hash) {
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(later);
            None
        }
        std::collections::hash_map::Entry::Occupied(slot) => Some(*slot.get()),
    }
}

/// The first engagement with `id`: in `first`, else in the first of the
/// `later` tables that has it, its index shifted by that table's offset.
fn find_entry_target(
    first: &FxHashMap<&str, EntryTarget>,
    later: &[(FxHashMap<&str, EntryTarget>, u32)],
    id: &str,
) -> Option<EntryTarget> {
    if let Some(&target) = first.get(id) {
        return Some(target);
    }
    later.iter().find_map(|(table, offset)| {
        table.get(id).map(|&target| EntryTarget {
            engagement: target.engagement.map(|index| EngagementIndex(index.0 + offset)),
            ..target
        })
    })
}

type WorkUnit = (FileId, std::ops::Range<usize>);

/// The ledger cut into at most `parallelism.threads` groups of about equal size, each a
/// run of whole files and file pieces in ledger order. Large files are cut
/// at header lines, so that every piece parses alone exactly as it does
/// within the whole file.
fn work_groups(sources: &SourceMap, parallelism: Parallelism) -> Vec<Vec<WorkUnit>> {
    let threads = parallelism.threads;
    let total: usize = sources.iter().map(|(_, source)| source.text().len()).sum();
    let whole = |(file, source): (FileId, &crate::source::SourceFile)| (file, 0..source.text().len());
    if threads <= 1 || total < parallelism.from_bytes {
        return vec![sources.iter().map(whole).collect()];
    }
    let target = total.div_ceil(threads);
    let mut units = Vec::new();
    for (file, source) in sources.iter() {
        let text = source.text().as_bytes();
        let mut start = 0;
        while text.len() - start > target {
            let Some(cut) = next_header_line(text, start + target) else {
                break;
            };
            units.push((file, start..cut));
            start = cut;
        }
        units.push((file, start..text.len()));
    }
    let mut groups: Vec<Vec<WorkUnit>> = vec![Vec::new()];
    let mut size = 0;
    for unit in units {
        if size >= target && groups.len() < threads {
            groups.push(Vec::new());
            size = 0;
        }
        size += unit.1.len();
        groups.last_mut().expect("there is a group").push(unit);
    }
    groups
}

/// The start of the first line after `from` that begins a block: a date or
/// a letter in its first column.
fn next_header_line(text: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let newline = memchr::memchr(b'\n', &text[at..])?;
        let line = at + newline + 1;
        if text.get(line).is_some_and(u8::is_ascii_alphanumeric) {
            return Some(line);
        }
        at = line;
    }
}

/// Collects the declaration blocks of the outline's ranges.
#[derive(Default)]
struct DeclarationBlocks {
    file: FileId,
    blocks: Vec<(FileId, Block)>,
}

impl Sink for DeclarationBlocks {
    fn block(&mut self, block: &Block) {
        if matches!(block.header, Header::Declaration(_)) {
            self.blocks.push((self.file, block.clone()));
        }
    }
}

/// Reads each engagement block as the parser completes it.
struct EngagementReader<'r, 'a> {
    analyzer: &'r mut Analyzer<'a>,
    file: FileId,
}

impl Sink for EngagementReader<'_, '_> {
    fn block(&mut self, block: &Block) {
        if let Header::Engagement(header) = &block.header {
            self.analyzer.read_engagement(self.file, block, header);
        }
    }
}

/// What `reciprocates` needs to know of an engagement, kept small because one
/// is kept for every engagement with an `id`.
#[derive(Clone, Copy, Debug)]
struct Visit {
    first_day: NaiveDate,
    /// The visiting and the host party of a bilateral visit; `None` for a
    /// joint or online engagement.
    ends: Option<(PartyIndex, PartyIndex)>,
    /// The header line, for messages and labels.
    header: Location,
}

/// Where an engagement `id` was declared, and what is known of the
/// engagement: nothing if its date or direction is broken.
#[derive(Clone, Copy)]
struct EntryTarget {
    visit: Option<Visit>,
    engagement: Option<EngagementIndex>,
    location: Location,
}

struct PendingReciprocation<'a> {
    visit: Visit,
    engagement: Option<EngagementIndex>,
    target_id: &'a str,
    location: Location,
}

struct Analyzer<'a> {
    sources: &'a SourceMap,
    options: AnalysisOptions,
    keep: Keep,
    ledger: Ledger<'a>,
    diagnostics: Vec<Diagnostic>,
    /// Per declaration kind: id to index in the ledger's list of that kind.
    declared: [FxHashMap<&'a str, u32>; 5],
    /// Engagement ids read on this thread, or in the first group.
    entry_ids: FxHashMap<&'a str, EntryTarget>,
    /// The tables of the groups after the first, in ledger order, each with
    /// where its engagements start in the merged list. They are kept apart
    /// rather than merged, which would copy them into a table grown anew;
    /// [`Analyzer::entry_target`] looks in each in turn.
    later_entry_ids: Vec<(FxHashMap<&'a str, EntryTarget>, u32)>,
    /// A hash of what makes two engagements the same (date text, visiting
    /// parties, host, title) to the first one's header line. Hashes are
    /// compared first and texts only when they match, so the table holds no
    /// strings.
    engagement_keys: FxHashMap<u64, Location>,
    pending_reciprocations: Vec<PendingReciprocation<'a>>,
    engagements_read: usize,
}

fn kind_slot(kind: DeclarationKind) -> usize {
    kind as usize
}

fn undeclared_code(kind: DeclarationKind) -> Code {
    match kind {
        DeclarationKind::Party => Code::UndeclaredParty,
        DeclarationKind::Org => Code::UndeclaredOrg,
        DeclarationKind::Person => Code::UndeclaredPerson,
        DeclarationKind::Format => Code::UndeclaredFormat,
        DeclarationKind::Series => Code::UndeclaredSeries,
    }
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

/// One item of a comma-separated list, or the place of an empty one.
enum ListItem<'a> {
    Item(&'a str, Span),
    Empty(Span),
}

/// Splits the list `text`, whose span is `value`, at commas, trimming the
/// blanks around each item. An empty item is given as the point just after
/// the comma before it (or the value's start).
fn split_list(text: &str, value: Span) -> impl Iterator<Item = ListItem<'_>> {
    let mut start = 0;
    text.split(',').map(move |raw| {
        let raw_start = value.start as usize + start;
        start += raw.len() + 1;
        let item = raw.trim_matches([' ', '\t']);
        if item.is_empty() {
            return ListItem::Empty(Span::point(raw_start));
        }
        let item_start = raw_start + (raw.len() - raw.trim_start_matches([' ', '\t']).len());
        ListItem::Item(item, Span::new(item_start, item_start + item.len()))
    })
}

/// Lists read from one field: on the stack for the usual few items, so that
/// checking an engagement allocates nothing it does not keep.
type Items<T> = SmallVec<[T; 8]>;

/// Marks a custom `x-…` field in [`BlockFields::all`].
const CUSTOM: u8 = u8::MAX;
/// Marks a key the block does not take (already reported).
const UNKNOWN: u8 = u8::MAX - 1;

/// The fields of one block by schema slot: the first occurrence of each,
/// and every field with its slot, for repeatable and custom keys.
struct BlockFields<'b> {
    kind: BlockKind,
    slots: [Option<&'b Field>; MAX_FIELDS],
    all: SmallVec<[(u8, &'b Field); 16]>,
}

impl<'b> BlockFields<'b> {
    fn get(&self, slot: usize) -> Option<&'b Field> {
        self.slots[slot]
    }

    /// Every field with the given slot (or [`CUSTOM`]), in file order.
    fn with_slot(&self, slot: u8) -> impl Iterator<Item = &'b Field> + '_ {
        self.all
            .iter()
            .filter(move |(known, _)| *known == slot)
            .map(|(_, field)| *field)
    }
}

impl<'a> Analyzer<'a> {
    fn text(&self, file: FileId, span: Span) -> &'a str {
        self.sources.get(file).slice(span)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn ids_of(&self, kind: DeclarationKind) -> Vec<&'a str> {
        match kind {
            DeclarationKind::Party => self.ledger.parties.iter().map(|d| d.id).collect(),
            DeclarationKind::Org => self.ledger.orgs.iter().map(|d| d.id).collect(),
            DeclarationKind::Person => self.ledger.persons.iter().map(|d| d.id).collect(),
            DeclarationKind::Format => self.ledger.formats.iter().map(|d| d.id).collect(),
            DeclarationKind::Series => self.ledger.series.iter().map(|d| d.id).collect(),
        }
    }

    /// Parses `range` of `file` and reads each engagement in it.
    fn read_engagements(&mut self, file: FileId, range: std::ops::Range<usize>) {
        let text = self.sources.get(file).text();
        let mut diagnostics = Vec::new();
        let mut engagements = EngagementReader { analyzer: self, file };
        parser::parse_into(file, text, range, &mut engagements, &mut diagnostics);
        self.diagnostics.append(&mut diagnostics);
    }

    /// A fresh analyzer for another thread: the same declarations, nothing
    /// read yet.
    fn fork(&self) -> Analyzer<'a> {
        let ledger = Ledger {
            engagements: Vec::new(),
            ..self.ledger.clone()
        };
        Analyzer {
            sources: self.sources,
            options: self.options,
            keep: self.keep,
            ledger,
            diagnostics: Vec::new(),
            declared: self.declared.clone(),
            entry_ids: FxHashMap::default(),
            later_entry_ids: Vec::new(),
            engagement_keys: FxHashMap::default(),
            pending_reciprocations: Vec::new(),
            engagements_read: 0,
        }
    }

    /// Takes over what `worker` read, after everything read so far, and
    /// checks its ids and engagements against those for duplicates.
    /// `last` says that no worker comes after this one.
    fn absorb(&mut self, mut worker: Analyzer<'a>, last: bool) {
        if self.engagements_read == 0 {
            // Nothing read yet to compare with: take the tables as they are,
            // rather than building them again (and holding both meanwhile).
            std::mem::swap(&mut self.entry_ids, &mut worker.entry_ids);
            std::mem::swap(&mut self.engagement_keys, &mut worker.engagement_keys);
        }
        let offset = self.ledger.engagements.len() as u32;
        // Appending a large list of engagements is a long copy: it runs on
        // another core while the tables merge here.
        let base = std::mem::take(&mut self.ledger.engagements);
        let more = std::mem::take(&mut worker.ledger.engagements);
        self.ledger.engagements = std::thread::scope(|scope| {
            let appended = scope.spawn(move || {
                if base.is_empty() {
                    more
                } else {
                    let mut base = base;
                    base.extend(more);
                    base
                }
            });
            self.merge_tables(worker, offset, last);
            appended.join().expect("appending does not panic")
        });
    }

    /// The part of [`Analyzer::absorb`] that checks the worker's ids and
    /// duplicate keys against those read before, keeps its id table, and
    /// takes over its diagnostics and pending links; `offset` is where the
    /// worker's engagements start in the merged list.
    fn merge_tables(&mut self, worker: Analyzer<'a>, offset: u32, last: bool) {
        let shift = |index: Option<EngagementIndex>| index.map(|index| EngagementIndex(index.0 + offset));
        self.engagements_read += worker.engagements_read;
        let mut worker_diagnostics = worker.diagnostics;
        // Where the worker's first of some id or engagement turns out to be
        // a repeat itself, the worker's later repeats name the true first.
        let mut first_is_earlier: FxHashMap<Location, Location> = FxHashMap::default();
        // The worker's ids are distinct from each other and all later than
        // those read so far. Its duplicate keys merge on a second core while
        // its ids are looked up here in the tables before it; what repeats
        // is reported afterwards.
        let (repeated_ids, repeated_keys) = std::thread::scope(|scope| {
            let engagement_keys = &mut self.engagement_keys;
            let worker_keys = worker.engagement_keys;
            let keys = scope.spawn(move || {
                if last {
                    // Nothing is compared with the keys after the last
                    // worker's: look them up, and save growing the table.
                    return worker_keys
                        .into_iter()
                        .filter_map(|(hash, later)| engagement_keys.get(&hash).map(|&earlier| (earlier, later)))
                        .collect();
                }
                engagement_keys.reserve(worker_keys.len());
                worker_keys
                    .into_iter()
                    .filter_map(|(hash, later)| {
                        record_engagement_key(engagement_keys, hash, later).map(|earlier| (earlier, later))
                    })
                    .collect::<Vec<_>>()
            });
            let (first, later) = (&self.entry_ids, &self.later_entry_ids);
            let repeated_ids: Vec<_> = worker
                .entry_ids
                .iter()
                .filter_map(|(&id, target)| {
                    find_entry_target(first, later, id).map(|earlier| (id, target.location, earlier.location))
                })
                .collect();
            (repeated_ids, keys.join().expect("merging keys does not panic"))
        });
        for (id, later, earlier) in repeated_ids {
            self.report_duplicate_entry_id(id, later, earlier);
            first_is_earlier.insert(later, earlier);
        }
        // A repeated id stays in the worker's table too; lookups find the
        // first use, in an earlier table, before it.
        self.later_entry_ids.push((worker.entry_ids, offset));
        for (earlier, later) in repeated_keys {
            if self.report_if_duplicate_engagement(earlier, later) {
                first_is_earlier.insert(later, earlier);
            }
        }
        if !first_is_earlier.is_empty() {
            for diagnostic in &mut worker_diagnostics {
                if matches!(diagnostic.code, Code::DuplicateEntryId | Code::DuplicateEngagement) {
                    for related in &mut diagnostic.related {
                        if let Some(&earlier) = first_is_earlier.get(&related.location) {
                            related.location = earlier;
                        }
                    }
                }
            }
        }
        self.diagnostics.extend(worker_diagnostics);
        self.pending_reciprocations
            .extend(
                worker
                    .pending_reciprocations
                    .into_iter()
                    .map(|pending| PendingReciprocation {
                        engagement: shift(pending.engagement),
                        ..pending
                    }),
            );
    }

    // Pass 1 -----------------------------------------------------------------

    fn declare(&mut self, file: FileId, block: &Block, header: &DeclarationHeader) {
        let id = self.text(file, header.id);
        let name = self.text(file, header.name);
        let location = Location {
            file,
            span: block.header_line,
        };
        let names = &mut self.declared[kind_slot(header.kind)];
        if let Some(&earlier) = names.get(id) {
            let earlier = self.declaration_location(header.kind, earlier);
            let keyword = header.kind.keyword();
            self.report(
                Diagnostic::new(
                    Code::DuplicateDeclaration,
                    file,
                    header.id,
                    format!("the {keyword} `{id}` is declared twice"),
                )
                .with_label("declared again here")
                .with_related(earlier, "first declared here")
                .with_help(format!("remove one declaration, or give this {keyword} another id")),
            );
            return;
        }
        let index = match header.kind {
            DeclarationKind::Party => push(
                &mut self.ledger.parties,
                Party {
                    id,
                    name,
                    wikidata: None,
                    extra: Vec::new(),
                    location,
                },
            ),
            DeclarationKind::Org => push(
                &mut self.ledger.orgs,
                Org {
                    id,
                    name,
                    party: None,
                    kind: None,
                    wikidata: None,
                    extra: Vec::new(),
                    location,
                },
            ),
            DeclarationKind::Person => push(
                &mut self.ledger.persons,
                Person {
                    id,
                    name,
                    party: None,
                    org: None,
                    role: None,
                    aliases: Vec::new(),
                    private: false,
                    wikidata: None,
                    extra: Vec::new(),
                    location,
                },
            ),
            DeclarationKind::Format => push(
                &mut self.ledger.formats,
                Label {
                    id,
                    name,
                    extra: Vec::new(),
                    location,
                },
            ),
            DeclarationKind::Series => push(
                &mut self.ledger.series,
                Label {
                    id,
                    name,
                    extra: Vec::new(),
                    location,
                },
            ),
        };
        self.declared[kind_slot(header.kind)].insert(id, index);
    }

    fn declaration_location(&self, kind: DeclarationKind, index: u32) -> Location {
        let index = index as usize;
        match kind {
            DeclarationKind::Party => self.ledger.parties[index].location,
            DeclarationKind::Org => self.ledger.orgs[index].location,
            DeclarationKind::Person => self.ledger.persons[index].location,
            DeclarationKind::Format => self.ledger.formats[index].location,
            DeclarationKind::Series => self.ledger.series[index].location,
        }
    }

    // Pass 2: fields -----------------------------------------------------------

    fn collect_fields<'b>(&mut self, file: FileId, block: &'b Block, kind: BlockKind) -> BlockFields<'b> {
        let specs = schema::fields(kind);
        let mut fields = BlockFields {
            kind,
            slots: [None; MAX_FIELDS],
            all: SmallVec::new(),
        };
        for field in block.fields() {
            let key = self.text(file, field.key);
            if schema::is_custom_key(key) {
                fields.all.push((CUSTOM, field));
                continue;
            }
            let Some(slot) = schema::field_slot(kind, key) else {
                fields.all.push((UNKNOWN, field));
                let known = specs.iter().map(|spec| spec.key);
                let help = suggest::did_you_mean(key, known).unwrap_or_else(|| match specs {
                    [] => "this block takes only custom `x-…` fields".to_owned(),
                    _ => format!(
                        "allowed here: {}, and custom `x-…` fields",
                        specs
                            .iter()
                            .map(|spec| format!("`{}`", spec.key))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
                self.report(
                    Diagnostic::new(Code::UnknownField, file, field.key, format!("unknown field `{key}`"))
                        .with_help(help),
                );
                continue;
            };
            fields.all.push((slot as u8, field));
            match fields.slots[slot] {
                Some(first) if !specs[slot].repeatable => {
                    self.report(
                        Diagnostic::new(Code::RepeatedField, file, field.key, format!("`{key}` is given twice"))
                            .with_label("given again here")
                            .with_related(Location { file, span: first.key }, "first given here")
                            .with_help(format!(
                                "`{key}` takes one value; lists are written on one line, separated by commas"
                            )),
                    );
                }
                Some(_) => {}
                None => fields.slots[slot] = Some(field),
            }
        }
        fields
    }

    /// Every value of a repeatable field, in file order.
    fn all_values(&self, file: FileId, fields: &BlockFields<'_>, slot: usize) -> Items<(&'a str, Span)> {
        fields
            .with_slot(slot as u8)
            .filter(|field| !field.value.is_empty())
            .map(|field| (self.text(file, field.value), field.value))
            .collect()
    }

    fn extra_fields(&self, file: FileId, fields: &BlockFields<'_>) -> Vec<ExtraField<'a>> {
        fields
            .with_slot(CUSTOM)
            .filter(|field| !field.value.is_empty())
            .map(|field| ExtraField {
                key: self.text(file, field.key),
                value: self.text(file, field.value),
            })
            .collect()
    }

    /// The value of a single-valued field; `None` when absent or empty (an
    /// empty value was reported by the parser).
    fn value(&self, file: FileId, fields: &BlockFields<'_>, slot: usize) -> Option<(&'a str, Span)> {
        fields
            .get(slot)
            .filter(|field| !field.value.is_empty())
            .map(|field| (self.text(file, field.value), field.value))
    }

    fn id_value(&mut self, file: FileId, fields: &BlockFields<'_>, slot: usize) -> Option<(&'a str, Span)> {
        let (text, span) = self.value(file, fields, slot)?;
        if is_id(text) {
            Some((text, span))
        } else {
            self.invalid_id(file, span, text);
            None
        }
    }

    fn invalid_id(&mut self, file: FileId, span: Span, text: &str) {
        self.report(
            Diagnostic::new(Code::InvalidId, file, span, format!("`{text}` is not an id"))
                .with_help("ids start with a letter and go on with letters, digits, `.`, `_` or `-`; lists are separated by commas"),
        );
    }

    fn reference(&mut self, file: FileId, fields: &BlockFields<'_>, slot: usize, kind: DeclarationKind) -> Option<u32> {
        let (text, span) = self.id_value(file, fields, slot)?;
        self.resolve(file, span, text, kind)
    }

    /// The index of the declaration `id` names, or a diagnostic saying it
    /// names none, with the nearest declared id as a hint.
    fn resolve(&mut self, file: FileId, span: Span, id: &str, kind: DeclarationKind) -> Option<u32> {
        if let Some(&index) = self.declared[kind_slot(kind)].get(id) {
            return Some(index);
        }
        let keyword = kind.keyword();
        let candidates = self.ids_of(kind);
        let help = suggest::did_you_mean(id, candidates.iter().copied())
            .unwrap_or_else(|| format!("declare it: `{keyword} {id} Display name`"));
        self.report(
            Diagnostic::new(
                undeclared_code(kind),
                file,
                span,
                format!("undeclared {keyword} `{id}`"),
            )
            .with_help(help),
        );
        None
    }

    fn choice(&mut self, file: FileId, fields: &BlockFields<'_>, slot: usize) -> Option<&'a str> {
        let (text, span) = self.value(file, fields, slot)?;
        let spec = &schema::fields(fields.kind)[slot];
        let key = spec.key;
        let ValueKind::Choice(words) = spec.value else {
            unreachable!("`{key}` is not a choice")
        };
        if words.contains(&text) {
            return Some(text);
        }
        let allowed = words
            .iter()
            .map(|word| format!("`{word}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match suggest::nearest(text, words.iter().copied()) {
            Some(word) => format!("did you mean `{word}`? allowed: {allowed}"),
            None => format!("allowed: {allowed}"),
        };
        self.report(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                span,
                format!("`{text}` is not a valid `{key}`"),
            )
            .with_help(help),
        );
        None
    }

    fn wikidata(&mut self, file: FileId, fields: &BlockFields<'_>, slot: usize) -> Option<&'a str> {
        let (text, span) = self.value(file, fields, slot)?;
        let valid = text.len() > 1 && text.starts_with('Q') && text[1..].bytes().all(|b| b.is_ascii_digit());
        if valid {
            return Some(text);
        }
        self.report(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                span,
                format!("`{text}` is not a Wikidata item id"),
            )
            .with_help("write the item id, `Q` and digits, e.g. `Q399`"),
        );
        None
    }

    fn date_value(&mut self, file: FileId, fields: &BlockFields<'_>, slot: usize) -> Option<DateSpec> {
        let (text, span) = self.value(file, fields, slot)?;
        match DateSpec::parse(text) {
            Ok(date) => Some(date),
            Err(error) => {
                self.report(Diagnostic::new(
                    Code::InvalidDate,
                    file,
                    span,
                    format!("`{text}`: {}", error.describe()),
                ));
                None
            }
        }
    }

    /// Reports an empty item of a list (see [`split_list`]).
    fn report_empty_item(&mut self, file: FileId, point: Span) {
        self.report(
            Diagnostic::new(Code::EmptyListItem, file, point, "an empty item in a list")
                .with_help("remove the extra comma"),
        );
    }

    fn report_duplicate_item(&mut self, file: FileId, span: Span, first: Span, item: &str) {
        self.report(
            Diagnostic::new(Code::DuplicateListItem, file, span, format!("`{item}` is listed twice"))
                .with_label("listed again here")
                .with_related(Location { file, span: first }, "first listed here")
                .with_help("list each item once"),
        );
    }

    /// A list of ids, each checked to be one and to appear once, into `ids`.
    /// Lists are written into the caller's buffer rather than returned:
    /// moving a small vector copies all its inline slots, which showed in
    /// profiles of large ledgers.
    fn id_list(&mut self, file: FileId, fields: &BlockFields<'_>, slot: usize, ids: &mut Items<(&'a str, Span)>) {
        self.each_list_item(file, fields, slot, |this, item, span| {
            if !is_id(item) {
                this.invalid_id(file, span, item);
            } else if let Some(&(_, first)) = ids.iter().find(|(earlier, _)| *earlier == item) {
                this.report_duplicate_item(file, span, first, item);
            } else {
                ids.push((item, span));
            }
        });
    }

    /// Calls `each` with every item of the list in field `slot`, in order,
    /// having reported any empty item: what every list field reads alike.
    fn each_list_item(
        &mut self,
        file: FileId,
        fields: &BlockFields<'_>,
        slot: usize,
        mut each: impl FnMut(&mut Self, &'a str, Span),
    ) {
        let Some((text, value)) = self.value(file, fields, slot) else {
            return;
        };
        for item in split_list(text, value) {
            match item {
                ListItem::Empty(point) => self.report_empty_item(file, point),
                ListItem::Item(item, span) => each(self, item, span),
            }
        }
    }

    /// A list of references to declarations of `kind`, resolved, into `resolved`.
    fn reference_list(
        &mut self,
        file: FileId,
        fields: &BlockFields<'_>,
        slot: usize,
        kind: DeclarationKind,
        resolved: &mut Items<(u32, Span)>,
    ) {
        let mut ids = Items::new();
        self.id_list(file, fields, slot, &mut ids);
        for &(id, span) in &ids {
            if let Some(index) = self.resolve(file, span, id, kind) {
                resolved.push((index, span));
            }
        }
    }

    fn read_declaration(&mut self, file: FileId, block: &Block, header: &DeclarationHeader) {
        let fields = self.collect_fields(file, block, BlockKind::Declaration(header.kind));
        let id = self.text(file, header.id);
        let index = self.declared[kind_slot(header.kind)][id] as usize;
        // A duplicate declaration's fields are still checked, then dropped.
        let is_first = self.declaration_location(header.kind, index as u32).span == block.header_line
            && self.declaration_location(header.kind, index as u32).file == file;
        let extra = self.extra_fields(file, &fields);
        match header.kind {
            DeclarationKind::Party => {
                let wikidata = self.wikidata(file, &fields, slot::PARTY_WIKIDATA);
                if is_first {
                    let party = &mut self.ledger.parties[index];
                    party.wikidata = wikidata;
                    party.extra = extra;
                }
            }
            DeclarationKind::Org => {
                let party = self
                    .reference(file, &fields, slot::ORG_PARTY, DeclarationKind::Party)
                    .map(PartyIndex);
                let kind = self.choice(file, &fields, slot::ORG_KIND).and_then(OrgKind::parse);
                let wikidata = self.wikidata(file, &fields, slot::ORG_WIKIDATA);
                if is_first {
                    let org = &mut self.ledger.orgs[index];
                    (org.party, org.kind, org.wikidata, org.extra) = (party, kind, wikidata, extra);
                }
            }
            DeclarationKind::Person => {
                let party = self
                    .reference(file, &fields, slot::PERSON_PARTY, DeclarationKind::Party)
                    .map(PartyIndex);
                let org = self
                    .reference(file, &fields, slot::PERSON_ORG, DeclarationKind::Org)
                    .map(OrgIndex);
                let role = self.value(file, &fields, slot::PERSON_ROLE).map(|(text, _)| text);
                let aliases = self
                    .all_values(file, &fields, slot::PERSON_ALIAS)
                    .into_iter()
                    .map(|(text, _)| text)
                    .collect();
                let private = self.choice(file, &fields, slot::PERSON_PRIVATE).is_some();
                let wikidata = self.wikidata(file, &fields, slot::PERSON_WIKIDATA);
                if is_first {
                    let person = &mut self.ledger.persons[index];
                    (person.party, person.org, person.role, person.aliases) = (party, org, role, aliases);
                    (person.private, person.wikidata, person.extra) = (private, wikidata, extra);
                }
            }
            DeclarationKind::Format | DeclarationKind::Series => {
                if is_first {
                    let list = match header.kind {
                        DeclarationKind::Format => &mut self.ledger.formats,
                        _ => &mut self.ledger.series,
                    };
                    list[index].extra = extra;
                }
            }
        }
    }

    fn read_engagement(&mut self, file: FileId, block: &Block, header: &EngagementHeader) {
        let fields = self.collect_fields(file, block, BlockKind::Engagement);
        let location = Location {
            file,
            span: block.header_line,
        };
        self.engagements_read += 1;
        let origin: SmallVec<[Option<PartyIndex>; 2]> = header
            .origin
            .iter()
            .map(|&span| {
                let id = self.text(file, span);
                self.resolve(file, span, id, DeclarationKind::Party).map(PartyIndex)
            })
            .collect();
        let destination = match header.destination {
            syntax::Destination::Online(_) => Some(Destination::Online),
            syntax::Destination::Party(span) => {
                let id = self.text(file, span);
                self.resolve(file, span, id, DeclarationKind::Party)
                    .map(|index| Destination::Party(PartyIndex(index)))
            }
        };
        let date_text = self.text(file, header.date);
        let title = self.text(file, header.title);
        self.check_duplicate_engagement(file, block.header_line, header);

        let id = self.id_value(file, &fields, slot::ID);
        let format = match fields.get(slot::FORMAT) {
            Some(_) => self
                .reference(file, &fields, slot::FORMAT, DeclarationKind::Format)
                .map(FormatIndex),
            None => {
                self.report(
                    Diagnostic::new(Code::MissingField, file, header.date, "the engagement has no `format`")
                        .with_label("this engagement")
                        .with_help("add a line `  format: ID` naming a declared format"),
                );
                None
            }
        };
        let track = self
            .choice(file, &fields, slot::TRACK)
            .and_then(Track::parse)
            .unwrap_or(Track::Two);
        let series = self
            .reference(file, &fields, slot::SERIES, DeclarationKind::Series)
            .map(SeriesIndex);
        let reciprocates = self.id_value(file, &fields, slot::RECIPROCATES);
        let status = self
            .choice(file, &fields, slot::STATUS)
            .and_then(Status::parse)
            .unwrap_or(Status::Held);
        let confidential = self
            .choice(file, &fields, slot::CONFIDENTIAL)
            .and_then(Confidentiality::parse);
        let embargo = self.date_value(file, &fields, slot::EMBARGO);
        let venue = self.value(file, &fields, slot::VENUE).map(|(text, _)| text);
        let mut sponsors = Items::new();
        self.reference_list(file, &fields, slot::SPONSORS, DeclarationKind::Org, &mut sponsors);
        let mut participants = Items::new();
        self.participants(file, &fields, &origin, &mut participants);
        let mut met = Items::new();
        self.reference_list(file, &fields, slot::MET, DeclarationKind::Person, &mut met);
        let sources = self.sources_of(file, &fields);
        let notes = self.all_values(file, &fields, slot::NOTE);
        let mut tags = Items::new();
        self.id_list(file, &fields, slot::TAGS, &mut tags);
        let extra = self.extra_fields(file, &fields);
        if let Some(date) = header.date_value {
            self.check_date_against_status(file, header.date, date, status);
        }

        let origin: Option<crate::model::Few<PartyIndex>> = origin.into_iter().collect();
        let visit = match (header.date_value, &origin, destination) {
            (Some(date), Some(origin), Some(destination)) => Some(Visit {
                first_day: date.first_day(),
                ends: match (origin.as_slice(), destination) {
                    ([from], Destination::Party(to)) => Some((*from, to)),
                    _ => None,
                },
                header: location,
            }),
            _ => None,
        };
        let engagement = match (header.date_value, origin, destination) {
            (Some(date), Some(origin), Some(destination)) if self.keep.keeps(confidential, embargo) => {
                let index = EngagementIndex(self.ledger.engagements.len() as u32);
                self.ledger.engagements.push(Engagement {
                    id: id.map(|(text, _)| text),
                    date_text,
                    date,
                    origin,
                    destination,
                    title,
                    format,
                    track,
                    series,
                    reciprocates: None,
                    status,
                    confidential,
                    embargo,
                    venue,
                    sponsors: sponsors.iter().map(|&(index, _)| OrgIndex(index)).collect(),
                    participants: participants.iter().map(|&(participant, _)| participant).collect(),
                    met: met.iter().map(|&(index, _)| PersonIndex(index)).collect(),
                    sources: sources.iter().copied().collect(),
                    notes: notes.into_iter().map(|(text, _)| text).collect(),
                    tags: tags.iter().map(|&(tag, _)| tag).collect(),
                    extra,
                    location,
                });
                Some(index)
            }
            _ => None,
        };
        if let Some((id, span)) = id {
            self.register_entry_id(file, span, id, visit, engagement);
        }
        if let (Some(visit), Some((target_id, span))) = (visit, reciprocates) {
            self.pending_reciprocations.push(PendingReciprocation {
                visit,
                engagement,
                target_id,
                location: Location { file, span },
            });
        }
    }

    fn report_duplicate_entry_id(&mut self, id: &str, later: Location, earlier: Location) {
        self.report(
            Diagnostic::new(
                Code::DuplicateEntryId,
                later.file,
                later.span,
                format!("the engagement id `{id}` is used twice"),
            )
            .with_label("used again here")
            .with_related(earlier, "first used here")
            .with_help("give each engagement its own id"),
        );
    }

    fn register_entry_id(
        &mut self,
        file: FileId,
        span: Span,
        id: &'a str,
        visit: Option<Visit>,
        engagement: Option<EngagementIndex>,
    ) {
        let location = Location { file, span };
        if let Some(earlier) = self.entry_ids.get(id) {
            let earlier = earlier.location;
            self.report_duplicate_entry_id(id, location, earlier);
            return;
        }
        self.entry_ids.insert(
            id,
            EntryTarget {
                visit,
                engagement,
                location,
            },
        );
    }

    fn sources_of(&mut self, file: FileId, fields: &BlockFields<'_>) -> Items<&'a str> {
        let mut sources = Items::new();
        for (url, span) in self.all_values(file, fields, slot::SOURCE) {
            let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
            if rest.is_some_and(|rest| !rest.is_empty() && !rest.contains([' ', '\t'])) {
                sources.push(url);
            } else {
                self.report(
                    Diagnostic::new(Code::InvalidUrl, file, span, format!("`{url}` is not an http(s) URL")).with_help(
                        "a source is one `http://` or `https://` address without blanks; give each source its own line",
                    ),
                );
            }
        }
        sources
    }

    /// Reads `participants`: person ids and `+N PARTY` counts. Warns about
    /// anyone whose party is not on the visiting side.
    fn participants(
        &mut self,
        file: FileId,
        fields: &BlockFields<'_>,
        origin: &[Option<PartyIndex>],
        participants: &mut Items<(Participant, Span)>,
    ) {
        let origin_known = origin.iter().all(Option::is_some);
        self.each_list_item(file, fields, slot::PARTICIPANTS, |this, item, span| {
            let participant = if item.starts_with('+') {
                this.count(file, span, item)
            } else if !is_id(item) {
                this.invalid_id(file, span, item);
                None
            } else {
                this.resolve(file, span, item, DeclarationKind::Person)
                    .map(|index| Participant::Person(PersonIndex(index)))
            };
            let Some(participant) = participant else { return };
            let same = |other: &Participant| match (participant, *other) {
                (Participant::Unnamed { party, .. }, Participant::Unnamed { party: other, .. }) => party == other,
                (a, b) => a == b,
            };
            if let Some(&(_, first)) = participants.iter().find(|(other, _)| same(other)) {
                this.report_duplicate_item(file, span, first, item);
                return;
            }
            if origin_known {
                this.check_participant_side(file, span, participant, origin);
            }
            participants.push((participant, span));
        });
    }

    /// Reads `+N PARTY`.
    fn count(&mut self, file: FileId, span: Span, item: &'a str) -> Option<Participant> {
        let digits_end = 1 + item[1..].bytes().take_while(u8::is_ascii_digit).count();
        let digits = &item[1..digits_end];
        let after = &item[digits_end..];
        let party = after.trim_start_matches([' ', '\t']);
        let count = digits.parse::<u32>().ok().filter(|&count| count >= 1);
        let shaped = !digits.is_empty() && party.len() < after.len() && is_id(party);
        let (Some(count), true) = (count, shaped) else {
            self.report(
                Diagnostic::new(
                    Code::InvalidCount,
                    file,
                    span,
                    format!("`{item}` is not a count of participants"),
                )
                .with_help("write unnamed participants as `+N PARTY` with N at least 1, e.g. `+3 AZ`"),
            );
            return None;
        };
        let party_start = span.start as usize + (item.len() - party.len());
        let party_span = Span::new(party_start, party_start + party.len());
        let party = self.resolve(file, party_span, party, DeclarationKind::Party)?;
        Some(Participant::Unnamed {
            party: PartyIndex(party),
            count,
        })
    }

    fn check_participant_side(
        &mut self,
        file: FileId,
        span: Span,
        participant: Participant,
        origin: &[Option<PartyIndex>],
    ) {
        let party = match participant {
            Participant::Person(person) => match self.ledger.person(person).party {
                Some(party) => party,
                None => return,
            },
            Participant::Unnamed { party, .. } => party,
        };
        if origin.contains(&Some(party)) {
            return;
        }
        // Worded only now: this runs for every participant of every
        // engagement, and formatting showed in profiles.
        let who = match participant {
            Participant::Person(person) => format!("`{}`", self.ledger.person(person).id),
            Participant::Unnamed { count, .. } => format!("`+{count} {}`", self.ledger.party(party).id),
        };
        let party_id = self.ledger.party(party).id;
        self.report(
            Diagnostic::new(
                Code::ParticipantNotInOrigin,
                file,
                span,
                format!("participant {who} is from `{party_id}`, which is not on the visiting side"),
            )
            .with_help("hosts and officials met belong in `met:`; or add the party to the visiting side"),
        );
    }

    fn check_date_against_status(&mut self, file: FileId, span: Span, date: DateSpec, status: Status) {
        let as_of = self.options.as_of;
        match status {
            Status::Held if date.first_day() > as_of => self.report(
                Diagnostic::new(
                    Code::HeldInFuture,
                    file,
                    span,
                    format!("marked as held, but `{date}` is after {as_of}"),
                )
                .with_help("if it has not happened yet, add `status: planned`"),
            ),
            Status::Planned if date.last_day() < as_of => self.report(
                Diagnostic::new(
                    Code::PlannedInPast,
                    file,
                    span,
                    format!("still planned, but `{date}` is before {as_of}"),
                )
                .with_help("set `status:` to what happened: held, postponed or cancelled"),
            ),
            _ => {}
        }
    }

    /// What makes two engagements the same: the date as written, the set of
    /// visiting parties, the host and the title, read from a header.
    fn engagement_key(
        &self,
        file: FileId,
        header: &EngagementHeader,
    ) -> (&'a str, SmallVec<[&'a str; 2]>, &'a str, &'a str) {
        let mut origin: SmallVec<[&'a str; 2]> = header.origin.iter().map(|&span| self.text(file, span)).collect();
        origin.sort_unstable();
        origin.dedup();
        (
            self.text(file, header.date),
            origin,
            self.text(file, header.destination.span()),
            self.text(file, header.title),
        )
    }

    fn check_duplicate_engagement(&mut self, file: FileId, header_line: Span, header: &EngagementHeader) {
        use std::hash::{Hash, Hasher};
        let key = self.engagement_key(file, header);
        let mut hasher = FxHasher::default();
        key.hash(&mut hasher);
        let later = Location {
            file,
            span: header_line,
        };
        self.merge_engagement_key(hasher.finish(), later);
    }

    /// Records the engagement whose header is at `later` under its key's
    /// `hash`, or reports it as a duplicate of the one recorded before.
    fn merge_engagement_key(&mut self, hash: u64, later: Location) {
        if let Some(earlier) = record_engagement_key(&mut self.engagement_keys, hash, later) {
            self.report_if_duplicate_engagement(earlier, later);
        }
    }

    /// Reports the engagement at `later` as a duplicate of the one at
    /// `earlier`, whose key has the same hash, if their keys are equal.
    fn report_if_duplicate_engagement(&mut self, earlier: Location, later: Location) -> bool {
        // Equal hashes: compare the texts, read again from both headers.
        let (Some(earlier_header), Some(later_header)) = (self.header_at(earlier), self.header_at(later)) else {
            return false;
        };
        if self.engagement_key(earlier.file, &earlier_header) != self.engagement_key(later.file, &later_header) {
            return false;
        }
        self.report(
            Diagnostic::new(
                Code::DuplicateEngagement,
                later.file,
                later_header.date,
                "an engagement with this date, direction and title is already recorded",
            )
            .with_label("recorded again here")
            .with_related(earlier, "first recorded here")
            .with_help("remove the copy, or tell the two apart in the title"),
        );
        true
    }

    /// The engagement header of the line at `location`, parsed again.
    fn header_at(&self, location: Location) -> Option<EngagementHeader> {
        struct FirstHeader(Option<EngagementHeader>);
        impl Sink for FirstHeader {
            fn block(&mut self, block: &Block) {
                if let (None, Header::Engagement(header)) = (&self.0, &block.header) {
                    self.0 = Some(header.clone());
                }
            }
        }
        let text = self.sources.get(location.file).text();
        let mut first = FirstHeader(None);
        let range = location.span.start as usize..location.span.end as usize;
        parser::parse_into(location.file, text, range, &mut first, &mut Vec::new());
        first.0
    }

    /// `FROM -> TO` as the header at `location` writes it, for messages.
    fn direction_text(&self, location: Location) -> String {
        self.header_at(location).map_or_else(String::new, |header| {
            let origin: Vec<&str> = header
                .origin
                .iter()
                .map(|&span| self.text(location.file, span))
                .collect();
            format!(
                "{} -> {}",
                origin.join(" + "),
                self.text(location.file, header.destination.span())
            )
        })
    }

    // Pass 4 -------------------------------------------------------------------

    /// The first engagement with `id`, in whichever group's table it is.
    fn entry_target(&self, id: &str) -> Option<EntryTarget> {
        find_entry_target(&self.entry_ids, &self.later_entry_ids, id)
    }

    fn check_reciprocations(&mut self) {
        // Engagement ids in ledger order, for hints: made only if needed.
        let mut ids_in_order: Option<Vec<&'a str>> = None;
        for pending in std::mem::take(&mut self.pending_reciprocations) {
            let Location { file, span } = pending.location;
            let target_id = pending.target_id;
            let Some(target) = self.entry_target(target_id) else {
                let ids = ids_in_order.get_or_insert_with(|| {
                    let mut ids: Vec<(Location, &'a str)> = std::iter::once(&self.entry_ids)
                        .chain(self.later_entry_ids.iter().map(|(table, _)| table))
                        .flatten()
                        .map(|(id, target)| (target.location, *id))
                        .collect();
                    ids.sort_unstable();
                    let mut ids: Vec<&'a str> = ids.into_iter().map(|(_, id)| id).collect();
                    // An id used twice in different groups is in two tables.
                    let mut seen = rustc_hash::FxHashSet::default();
                    ids.retain(|id| seen.insert(*id));
                    ids
                });
                let help = suggest::did_you_mean(target_id, ids.iter().copied())
                    .unwrap_or_else(|| "name the `id:` of an earlier engagement".into());
                self.report(
                    Diagnostic::new(
                        Code::UndeclaredEntry,
                        file,
                        span,
                        format!("no engagement has the id `{target_id}`"),
                    )
                    .with_help(help),
                );
                continue;
            };
            let Some(target_visit) = target.visit else {
                // Its date or direction is broken, which was reported there.
                continue;
            };
            let target_engagement = target.engagement;
            match self.reciprocation_fault(pending.visit, target_visit) {
                None => {
                    if let (Some(this), Some(that)) = (pending.engagement, target_engagement) {
                        self.ledger.engagements[this.get()].reciprocates = Some(that);
                    }
                }
                Some(fault) => self.report(
                    Diagnostic::new(
                        Code::InvalidReciprocation,
                        file,
                        span,
                        format!("this cannot reciprocate `{target_id}`: {fault}"),
                    )
                    .with_related(target_visit.header, "the engagement named")
                    .with_help(
                        "`reciprocates:` names an earlier visit in the opposite direction: `A -> B` is returned by `B -> A`",
                    ),
                ),
            }
        }
    }

    fn reciprocation_fault(&self, this: Visit, that: Visit) -> Option<String> {
        let Some((that_from, that_to)) = that.ends else {
            return Some(format!(
                "it is `{}`; joint and online engagements cannot be reciprocated",
                self.direction_text(that.header)
            ));
        };
        let Some((this_from, this_to)) = this.ends else {
            return Some(format!(
                "this is `{}`; a joint or online engagement reciprocates nothing",
                self.direction_text(this.header)
            ));
        };
        if (this_from, this_to) != (that_to, that_from) {
            return Some(format!(
                "it is `{}` and this is `{}`, not the opposite direction",
                self.direction_text(that.header),
                self.direction_text(this.header)
            ));
        }
        if this.first_day <= that.first_day {
            return Some(format!(
                "it starts on {}, and this does not start later ({})",
                that.first_day, this.first_day
            ));
        }
        None
    }
}

fn push<T>(list: &mut Vec<T>, item: T) -> u32 {
    list.push(item);
    list.len() as u32 - 1
}
