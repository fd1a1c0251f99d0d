//! Reading engagements: each block checked field by field as the parser
//! completes it, its references resolved against the declarations, and, when
//! the caller keeps the model, stored. One reader runs per thread over its
//! share of the ledger; what must be compared across the whole ledger
//! (duplicates, `reciprocates`) is collected here and checked after the
//! readers are joined.

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHasher};
use smallvec::SmallVec;

use super::declarations::Declarations;
use super::fields::{BlockFields, FieldReader, Items, Repeats};
use super::{AnalysisOptions, Keep, slot};
use crate::date::DateSpec;
use crate::diagnostic::{Code, Diagnostic};
use crate::index::{BlockContent, BlockSite, IndexBuilder, Namespace, Reference, Role, Site};
use crate::model::{
    Chunk, Confidentiality, Destination, EngagementDraft, EngagementIndex, FormatIndex, Headcount, OrgIndex,
    Participant, PartyIndex, PersonIndex, SeriesIndex, Status, Track,
};
use crate::parser::{self, Sink, is_id};
use crate::schema::BlockKind;
use crate::source::{FileId, Location, SourceMap, Span};
use crate::syntax::{self, Block, CountMarker, DeclarationKind, EngagementHeader, Header};

/// What `reciprocates` needs to know of an engagement, kept small because one
/// is kept for every engagement with an `id`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Visit {
    pub first_day: NaiveDate,
    /// The visiting and the host party of a bilateral visit; `None` for a
    /// joint or online engagement.
    pub ends: Option<(PartyIndex, PartyIndex)>,
    /// The header line, for messages and labels.
    pub header: Location,
}

/// Where an engagement `id` was first given, and what is known of the
/// engagement: nothing if its date or direction is broken.
#[derive(Clone, Copy, Debug)]
pub(super) struct EntryTarget {
    pub location: Location,
    pub visit: Option<Visit>,
    /// Its place in the reader's chunk, when kept.
    pub engagement: Option<EngagementIndex>,
}

/// The engagement ids one reader met: the first of each, and every repeat.
#[derive(Default)]
pub(super) struct EntryIds<'a> {
    pub firsts: FxHashMap<&'a str, EntryTarget>,
    pub repeats: Vec<(&'a str, Location)>,
}

/// A `reciprocates:` link, checked once every engagement id is known.
pub(super) struct PendingLink<'a> {
    pub visit: Visit,
    /// The engagement holding the link, when kept (in the reader's chunk).
    pub engagement: Option<EngagementIndex>,
    pub target_id: &'a str,
    pub location: Location,
}

/// What makes two engagements the same (GRAMMAR.md §5.2), hashed, with the
/// header line: texts are compared only between headers whose hashes match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct EngagementKey {
    pub hash: u64,
    pub header: Location,
}

/// Reads the engagements of its share of the ledger.
pub(super) struct EngagementReader<'d, 'a> {
    declarations: &'d Declarations<'a>,
    sources: &'a SourceMap,
    options: AnalysisOptions,
    keep: Keep,
    pub chunk: Chunk,
    pub diagnostics: Vec<Diagnostic>,
    pub keys: Vec<EngagementKey>,
    pub entry_ids: EntryIds<'a>,
    pub links: Vec<PendingLink<'a>>,
    pub index: Option<IndexBuilder<'a>>,
    /// Engagement blocks that no public output may show (see
    /// [`crate::privacy::WithheldBlock`]), from [`Keep::Confidential`] on.
    pub withheld_blocks: Vec<crate::privacy::WithheldBlock>,
    /// How many engagements were read, kept or not.
    pub read: usize,
}

impl<'d, 'a> EngagementReader<'d, 'a> {
    pub fn new(
        declarations: &'d Declarations<'a>,
        sources: &'a SourceMap,
        options: AnalysisOptions,
        keep: Keep,
    ) -> EngagementReader<'d, 'a> {
        EngagementReader {
            declarations,
            sources,
            options,
            keep,
            chunk: Chunk::default(),
            diagnostics: Vec::new(),
            keys: Vec::new(),
            entry_ids: EntryIds::default(),
            links: Vec::new(),
            index: (keep == Keep::Index).then(IndexBuilder::default),
            withheld_blocks: Vec::new(),
            read: 0,
        }
    }

    /// Parses `range` of `file` and reads each engagement in it.
    pub fn read_range(&mut self, file: FileId, range: std::ops::Range<usize>) {
        let text = self.sources.get(file).text();
        let mut syntax_diagnostics = Vec::new();
        parser::parse_into(
            file,
            text,
            range,
            &mut BlockReader { reader: self, file },
            &mut syntax_diagnostics,
        );
        self.diagnostics.append(&mut syntax_diagnostics);
    }

    fn reference(&mut self, reference: Reference) {
        if let Some(index) = &mut self.index {
            index.reference(reference);
        }
    }

    /// A reference to a declaration, resolved (or reported) and indexed.
    fn resolve(&mut self, kind: DeclarationKind, id: &str, at: Location, role: Role) -> Option<u32> {
        let target = self.declarations.resolve(kind, id, at, &mut self.diagnostics);
        self.reference(Reference {
            location: at,
            namespace: Namespace::Declaration(kind),
            target,
            role,
            engagement: None,
        });
        target
    }

    fn read_engagement(&mut self, file: FileId, block: &Block, header: &EngagementHeader) {
        let source = self.sources.get(file);
        let at = |span: Span| Location { file, span };
        let location = at(block.header_line);
        self.read += 1;
        let first_reference = self.index.as_ref().map_or(0, |index| index.references.len());

        let origin: SmallVec<[Option<PartyIndex>; 2]> = header
            .origin
            .iter()
            .map(|&span| {
                self.resolve(DeclarationKind::Party, source.slice(span), at(span), Role::Origin)
                    .map(PartyIndex)
            })
            .collect();
        let destination = match header.destination {
            syntax::Host::Online(_) => Some(Destination::Online),
            syntax::Host::Unknown(_) => Some(Destination::Unknown),
            syntax::Host::Party(span) => self
                .resolve(DeclarationKind::Party, source.slice(span), at(span), Role::Host)
                .map(|index| Destination::Party(PartyIndex(index))),
        };
        self.keys.push(EngagementKey {
            hash: key_hash(source.text(), header),
            header: location,
        });

        let mut diagnostics = std::mem::take(&mut self.diagnostics);
        let mut fields = FieldReader {
            file,
            text: source.text(),
            diagnostics: &mut diagnostics,
        };
        let read = self.read_fields(&mut fields, block, header, &origin);
        self.diagnostics = diagnostics;
        if let Some(date) = header.date_value {
            self.check_date_against_status(file, header.date, date, read.status);
        }

        let origin: Option<SmallVec<[PartyIndex; 2]>> = origin.into_iter().collect();
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
        let engagement = match (header.date_value, &origin, destination) {
            (Some(date), Some(origin), Some(destination)) if self.keep.keeps(read.confidential, read.embargo) => {
                let draft = EngagementDraft {
                    location,
                    title: header.title,
                    id: read.id.map(|(_, span)| span),
                    venue: read.venue,
                    date,
                    embargo: read.embargo,
                    origin,
                    destination,
                    format: read.format,
                    series: read.series,
                    track: read.track,
                    status: read.status,
                    confidential: read.confidential,
                    sponsors: &read.sponsors,
                    participants: &read.participants,
                    met: &read.met,
                    tags: &read.tags,
                    sources: &read.sources,
                    notes: &read.notes,
                    extra: &read.extra,
                };
                Some(EngagementIndex(self.chunk.push(&draft)))
            }
            _ => None,
        };
        if let Some(index) = &mut self.index {
            for reference in &mut index.references[first_reference..] {
                reference.engagement = engagement;
            }
            let extent = at(block.extent(source.text()));
            if engagement.is_some() {
                let id = read.id.map_or(at(header.date), |(_, span)| at(span));
                index.engagements.push(Site { id, block: extent });
            }
            index.blocks.push(BlockSite {
                location: extent,
                content: BlockContent::Engagement(engagement),
            });
        }
        if let Some((id, span)) = read.id {
            self.register_entry_id(id, at(span), visit, engagement);
        }
        if let (Some(visit), Some((target_id, span))) = (visit, read.reciprocates) {
            self.links.push(PendingLink {
                visit,
                engagement,
                target_id,
                location: at(span),
            });
        }
    }

    /// Every field of an engagement, checked and resolved.
    fn read_fields(
        &mut self,
        reader: &mut FieldReader<'_, 'a>,
        block: &Block,
        header: &EngagementHeader,
        origin: &[Option<PartyIndex>],
    ) -> EngagementFields<'a> {
        let fields = reader.collect(block, BlockKind::Engagement);
        let id = reader.id_value(&fields, slot::ID);
        let format = match fields.get(slot::FORMAT) {
            Some(_) => self
                .field_reference(reader, &fields, slot::FORMAT, DeclarationKind::Format, Role::Format)
                .map(FormatIndex),
            None => {
                reader.report(
                    Diagnostic::new(
                        Code::MissingField,
                        reader.file,
                        header.date,
                        "the engagement has no `format`",
                    )
                    .with_label("this engagement")
                    .with_help("add a line `  format: ID` naming a declared format"),
                );
                None
            }
        };
        let track = reader
            .choice(&fields, slot::TRACK)
            .and_then(Track::parse)
            .unwrap_or(Track::Two);
        let series = self
            .field_reference(reader, &fields, slot::SERIES, DeclarationKind::Series, Role::Series)
            .map(SeriesIndex);
        let reciprocates = reader.id_value(&fields, slot::RECIPROCATES);
        let status = reader
            .choice(&fields, slot::STATUS)
            .and_then(Status::parse)
            .unwrap_or(Status::Held);
        let confidential = reader
            .choice(&fields, slot::CONFIDENTIAL)
            .and_then(Confidentiality::parse);
        let embargo = reader.date(&fields, slot::EMBARGO);
        let venue = reader.value(&fields, slot::VENUE).map(|(_, span)| span);
        let mut read = EngagementFields {
            id,
            format,
            track,
            series,
            reciprocates,
            status,
            confidential,
            embargo,
            venue,
            sponsors: Items::new(),
            participants: Items::new(),
            met: Items::new(),
            tags: Items::new(),
            sources: Items::new(),
            notes: Items::new(),
            extra: reader.extra_fields(&fields),
        };
        let sponsors = self.reference_list(reader, &fields, slot::SPONSORS, DeclarationKind::Org, Role::Sponsor);
        read.sponsors.extend(sponsors.into_iter().map(OrgIndex));
        self.participants(reader, &fields, origin, &mut read.participants);
        let met = self.reference_list(reader, &fields, slot::MET, DeclarationKind::Person, Role::Met);
        read.met.extend(met.into_iter().map(PersonIndex));
        reader.urls(&fields, slot::SOURCE, &mut read.sources);
        read.notes
            .extend(reader.all_values(&fields, slot::NOTE).into_iter().map(|(_, span)| span));
        let mut tags = Items::new();
        reader.id_list(&fields, slot::TAGS, &mut tags);
        for &(tag, span) in &tags {
            read.tags.push(span);
            if let Some(index) = &mut self.index {
                let target = Some(index.tag(tag));
                index.reference(Reference {
                    location: Location {
                        file: reader.file,
                        span,
                    },
                    namespace: Namespace::Tag,
                    target,
                    role: Role::Tag,
                    engagement: None,
                });
            }
        }
        read
    }

    /// The declaration a single-valued id field names.
    fn field_reference(
        &mut self,
        reader: &mut FieldReader<'_, 'a>,
        fields: &BlockFields<'_>,
        slot: usize,
        kind: DeclarationKind,
        role: Role,
    ) -> Option<u32> {
        let (text, span) = reader.id_value(fields, slot)?;
        let at = Location {
            file: reader.file,
            span,
        };
        let target = self.declarations.resolve(kind, text, at, reader.diagnostics);
        self.reference(Reference {
            location: at,
            namespace: Namespace::Declaration(kind),
            target,
            role,
            engagement: None,
        });
        target
    }

    /// A list of references to declarations of `kind`, resolved.
    fn reference_list(
        &mut self,
        reader: &mut FieldReader<'_, 'a>,
        fields: &BlockFields<'_>,
        slot: usize,
        kind: DeclarationKind,
        role: Role,
    ) -> Items<u32> {
        let mut ids = Items::new();
        reader.id_list(fields, slot, &mut ids);
        let mut resolved = Items::new();
        for &(id, span) in &ids {
            let at = Location {
                file: reader.file,
                span,
            };
            let target = self.declarations.resolve(kind, id, at, reader.diagnostics);
            self.reference(Reference {
                location: at,
                namespace: Namespace::Declaration(kind),
                target,
                role,
                engagement: None,
            });
            resolved.extend(target);
        }
        resolved
    }

    /// Reads `participants`: person ids and counts of unnamed people. Warns
    /// about anyone whose party is not on the visiting side.
    fn participants(
        &mut self,
        reader: &mut FieldReader<'_, 'a>,
        fields: &BlockFields<'_>,
        origin: &[Option<PartyIndex>],
        participants: &mut Items<Participant>,
    ) {
        let origin_known = origin.iter().all(Option::is_some);
        // Sorted, so that each participant's party is found by binary
        // search: a scan per participant would be quadratic for a visiting
        // side of thousands of parties.
        let mut origin_sorted: SmallVec<[Option<PartyIndex>; 2]> = origin.iter().copied().collect();
        origin_sorted.sort_unstable();
        let mut spans: Items<(ParticipantKey, Span)> = Items::new();
        let mut repeats = Repeats::default();
        reader.each_list_item(fields, slot::PARTICIPANTS, |reader, item, span| {
            let participant = if item.starts_with('+') {
                self.count(reader, span, item)
            } else if !is_id(item) {
                reader.invalid_id(span, item);
                None
            } else {
                let at = Location {
                    file: reader.file,
                    span,
                };
                let target = self
                    .declarations
                    .resolve(DeclarationKind::Person, item, at, reader.diagnostics);
                self.reference(Reference {
                    location: at,
                    namespace: Namespace::Declaration(DeclarationKind::Person),
                    target,
                    role: Role::Participant,
                    engagement: None,
                });
                target.map(|index| Participant::Person(PersonIndex(index)))
            };
            let Some(participant) = participant else { return };
            let key = ParticipantKey::of(participant);
            if let Some(first) = repeats.first_of(key, span, &spans, |(key, _)| *key) {
                reader.report_repeated_item(span, first, item);
                return;
            }
            if origin_known {
                self.check_participant_side(reader, span, participant, &origin_sorted);
            }
            spans.push((key, span));
            participants.push(participant);
        });
    }

    /// Reads a count of unnamed people: `+N PARTY`, `+~N PARTY`, `+? PARTY`.
    fn count(&mut self, reader: &mut FieldReader<'_, 'a>, span: Span, item: &'a str) -> Option<Participant> {
        let shape = syntax::count_item(item, span);
        let count = shape.and_then(|count| match count.marker {
            CountMarker::Unknown => Some(Headcount::Unknown),
            CountMarker::Exact => count.digits.parse().ok().filter(|&n| n >= 1).map(Headcount::Exact),
            CountMarker::About => count.digits.parse().ok().filter(|&n| n >= 1).map(Headcount::About),
        });
        let (Some(shape), Some(count)) = (shape, count) else {
            reader.report(
                Diagnostic::new(
                    Code::InvalidCount,
                    reader.file,
                    span,
                    format!("`{item}` is not a count of participants"),
                )
                .with_help(
                    "write unnamed participants as `+N PARTY` with N at least 1 (`+3 AZ`), `+~N PARTY` for about N, or `+? PARTY` when the number is not known",
                ),
            );
            return None;
        };
        let at = Location {
            file: reader.file,
            span: shape.party_span,
        };
        let party = self
            .declarations
            .resolve(DeclarationKind::Party, shape.party, at, reader.diagnostics);
        self.reference(Reference {
            location: at,
            namespace: Namespace::Declaration(DeclarationKind::Party),
            target: party,
            role: Role::Counted,
            engagement: None,
        });
        Some(Participant::Unnamed {
            party: PartyIndex(party?),
            count,
        })
    }

    fn check_participant_side(
        &self,
        reader: &mut FieldReader<'_, 'a>,
        span: Span,
        participant: Participant,
        // Sorted.
        origin: &[Option<PartyIndex>],
    ) {
        let declarations = self.declarations;
        let party = match participant {
            Participant::Person(person) => match declarations.persons[person.get()].party {
                Some(party) => party,
                None => return,
            },
            Participant::Unnamed { party, .. } => party,
        };
        if origin.binary_search(&Some(party)).is_ok() {
            return;
        }
        // Worded only now: this runs for every participant of every
        // engagement, and formatting showed in profiles.
        let who = match participant {
            Participant::Person(person) => format!("`{}`", declarations.persons[person.get()].id),
            Participant::Unnamed { .. } => format!("`{}`", reader.slice(span)),
        };
        let party_id = declarations.parties[party.get()].id;
        reader.report(
            Diagnostic::new(
                Code::ParticipantNotInOrigin,
                reader.file,
                span,
                format!("participant {who} is from `{party_id}`, which is not on the visiting side"),
            )
            .with_help("hosts and officials met belong in `met:`; or add the party to the visiting side"),
        );
    }

    fn check_date_against_status(&mut self, file: FileId, span: Span, date: DateSpec, status: Status) {
        let as_of = self.options.as_of;
        let diagnostic = match status {
            Status::Held if date.first_day() > as_of => Diagnostic::new(
                Code::HeldInFuture,
                file,
                span,
                format!("marked as held, but `{date}` is after {as_of}"),
            )
            .with_help("if it has not happened yet, add `status: planned`"),
            Status::Planned if date.last_day() < as_of => Diagnostic::new(
                Code::PlannedInPast,
                file,
                span,
                format!("still planned, but `{date}` is before {as_of}"),
            )
            .with_help("set `status:` to what happened: held, postponed or cancelled"),
            _ => return,
        };
        self.diagnostics.push(diagnostic);
    }

    fn register_entry_id(
        &mut self,
        id: &'a str,
        location: Location,
        visit: Option<Visit>,
        engagement: Option<EngagementIndex>,
    ) {
        match self.entry_ids.firsts.entry(id) {
            std::collections::hash_map::Entry::Occupied(_) => self.entry_ids.repeats.push((id, location)),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(EntryTarget {
                    location,
                    visit,
                    engagement,
                });
            }
        }
    }

    /// Notes an engagement block, broken header or not, that its fields
    /// withhold from public outputs.
    fn note_if_withheld(&mut self, file: FileId, block: &Block) {
        if self.keep < Keep::Confidential || matches!(block.header, Header::Declaration(_)) {
            return;
        }
        let text = self.sources.get(file).text();
        let engagement = matches!(block.header, Header::Engagement(_))
            || text[block.header_line.range()].starts_with(|c: char| c.is_ascii_digit());
        if let Some(until) = engagement
            .then(|| crate::privacy::withheld_by_fields(text, block))
            .flatten()
        {
            self.withheld_blocks.push(crate::privacy::WithheldBlock {
                extent: Location {
                    file,
                    span: block.extent(text),
                },
                until,
            });
        }
    }

    /// A block whose header is too broken to read: for the index only, its
    /// references are still recorded (silently: the broken header was
    /// reported, and one mistake is reported once), so that an editor keeps
    /// knowing what the block refers to while its header is being typed.
    fn read_broken_block(&mut self, file: FileId, block: &Block) {
        let Some(index) = &mut self.index else { return };
        let extent = Location {
            file,
            span: block.extent(self.sources.get(file).text()),
        };
        index.blocks.push(BlockSite {
            location: extent,
            content: BlockContent::Invalid,
        });
        let source = self.sources.get(file);
        if !source
            .slice(block.header_line)
            .starts_with(|c: char| c.is_ascii_digit())
        {
            return;
        }
        let mut discarded = Vec::new();
        let mut reader = FieldReader {
            file,
            text: source.text(),
            diagnostics: &mut discarded,
        };
        let fields = reader.collect(block, BlockKind::Engagement);
        let declarations = self.declarations;
        let lists = [
            (slot::SPONSORS, DeclarationKind::Org, Role::Sponsor),
            (slot::PARTICIPANTS, DeclarationKind::Person, Role::Participant),
            (slot::MET, DeclarationKind::Person, Role::Met),
        ];
        let singles = [
            (slot::FORMAT, DeclarationKind::Format, Role::Format),
            (slot::SERIES, DeclarationKind::Series, Role::Series),
        ];
        let mut found = Vec::new();
        for (slot, kind, role) in singles {
            if let Some((text, span)) = reader.value(&fields, slot).filter(|(text, _)| is_id(text)) {
                found.push((kind, role, text, span));
            }
        }
        for (slot, kind, role) in lists {
            reader.each_list_item(&fields, slot, |_, item, span| {
                if is_id(item) {
                    found.push((kind, role, item, span));
                }
            });
        }
        for (kind, role, text, span) in found {
            index.reference(Reference {
                location: Location { file, span },
                namespace: Namespace::Declaration(kind),
                target: declarations.lookup(kind, text),
                role,
                engagement: None,
            });
        }
    }
}

/// The fields of one engagement as read, before they are stored.
struct EngagementFields<'a> {
    id: Option<(&'a str, Span)>,
    format: Option<FormatIndex>,
    track: Track,
    series: Option<SeriesIndex>,
    reciprocates: Option<(&'a str, Span)>,
    status: Status,
    confidential: Option<Confidentiality>,
    embargo: Option<DateSpec>,
    venue: Option<Span>,
    sponsors: Items<OrgIndex>,
    participants: Items<Participant>,
    met: Items<PersonIndex>,
    tags: Items<Span>,
    sources: Items<Span>,
    notes: Items<Span>,
    extra: Items<(Span, Span)>,
}

/// Two participants are the same item if they are the same person, or both
/// counts of one party, whatever their numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum ParticipantKey {
    Person(PersonIndex),
    Counted(PartyIndex),
}

impl ParticipantKey {
    fn of(participant: Participant) -> ParticipantKey {
        match participant {
            Participant::Person(person) => ParticipantKey::Person(person),
            Participant::Unnamed { party, .. } => ParticipantKey::Counted(party),
        }
    }
}

/// The hash of what makes two engagements the same: the date as written,
/// the set of visiting parties, the host and the title.
fn key_hash(text: &str, header: &EngagementHeader) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = FxHasher::default();
    engagement_key(text, header).hash(&mut hasher);
    hasher.finish()
}

/// What makes two engagements the same, read from a header.
pub(super) fn engagement_key<'t>(
    text: &'t str,
    header: &EngagementHeader,
) -> (&'t str, SmallVec<[&'t str; 2]>, &'t str, &'t str) {
    let mut origin: SmallVec<[&str; 2]> = header.origin.iter().map(|&span| &text[span.range()]).collect();
    origin.sort_unstable();
    origin.dedup();
    (
        &text[header.date.range()],
        origin,
        &text[header.destination.span().range()],
        &text[header.title.range()],
    )
}

/// Hands each completed block to the reader.
struct BlockReader<'r, 'd, 'a> {
    reader: &'r mut EngagementReader<'d, 'a>,
    file: FileId,
}

impl Sink for BlockReader<'_, '_, '_> {
    fn block(&mut self, block: &Block) {
        self.reader.note_if_withheld(self.file, block);
        match &block.header {
            Header::Engagement(header) => self.reader.read_engagement(self.file, block, header),
            Header::Invalid => self.reader.read_broken_block(self.file, block),
            Header::Declaration(_) => {}
        }
    }
}
