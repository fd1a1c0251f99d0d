//! Engagements as the model keeps them.
//!
//! A million engagements must fit beside their text in little more memory
//! than the text itself, so an engagement is stored as a fixed record of 72
//! bytes that points into the text by [`Span`]s, and its lists (the visiting
//! parties, sponsors, participants, those met, tags, sources, notes, custom
//! fields) are packed one after another into an array of 32-bit words shared
//! by a chunk of engagements. Nothing is allocated per engagement.
//!
//! Readers never see the packing: [`Engagement`] is a view that decodes
//! each field on request, typed (`&[PartyIndex]`, `&'a str`, [`Participant`]).
//! The analyzer builds records from an [`EngagementDraft`].

use chrono::NaiveDate;

use super::{
    Confidentiality, Destination, EngagementIndex, FormatIndex, Ledger, OrgIndex, PartyIndex, PersonIndex, SeriesIndex,
    Status, Track,
};
use crate::date::{DateSpec, Precision};
use crate::source::{FileId, Location, Span};

/// People on the visiting side who are counted, not named (`+N PARTY`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Headcount {
    /// `+6 AM`: six people.
    Exact(u32),
    /// `+~6 AM`: about six.
    About(u32),
    /// `+? AM`: some, how many is not known.
    Unknown,
}

impl Headcount {
    /// The number written, if any: what totals add up.
    pub fn number(self) -> Option<u32> {
        match self {
            Headcount::Exact(n) | Headcount::About(n) => Some(n),
            Headcount::Unknown => None,
        }
    }
}

/// Somebody on the visiting side of an engagement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Participant {
    Person(PersonIndex),
    /// `+N PARTY`: people who took part but are not named.
    Unnamed {
        party: PartyIndex,
        count: Headcount,
    },
}

/// A custom `x-…` field, kept as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtraField<'a> {
    pub key: &'a str,
    pub value: &'a str,
}

/// Everything the analyzer read of one valid engagement, to be stored. The
/// lists are borrowed from the reader's buffers.
pub(crate) struct EngagementDraft<'d> {
    pub location: Location,
    pub title: Span,
    pub id: Option<Span>,
    pub venue: Option<Span>,
    pub date: DateSpec,
    pub embargo: Option<DateSpec>,
    pub origin: &'d [PartyIndex],
    pub destination: Destination,
    pub format: Option<FormatIndex>,
    pub series: Option<SeriesIndex>,
    pub track: Track,
    pub status: Status,
    pub confidential: Option<Confidentiality>,
    pub sponsors: &'d [OrgIndex],
    pub participants: &'d [Participant],
    pub met: &'d [PersonIndex],
    pub tags: &'d [Span],
    pub sources: &'d [Span],
    pub notes: &'d [Span],
    /// Each custom field's key and value.
    pub extra: &'d [(Span, Span)],
}

/// The lists of an engagement, in the order they are packed.
#[derive(Clone, Copy)]
enum List {
    Origin,
    Sponsors,
    Participants,
    Met,
    Tags,
    Sources,
    Notes,
    Extra,
}

const LISTS: usize = 8;

/// Absent index fields are stored as this value.
const NONE: u32 = u32::MAX;
/// `destination` of an online engagement.
const ONLINE: u32 = u32::MAX - 1;
/// `destination` of an engagement whose host is not fixed.
const UNKNOWN_HOST: u32 = u32::MAX - 2;

const HAS_ID: u8 = 1;
const HAS_VENUE: u8 = 2;
const HAS_EMBARGO: u8 = 4;
/// The list lengths did not fit 16 bits: they are the record's first
/// [`LISTS`] words instead (a hostile ledger; never a real one).
const LONG_LISTS: u8 = 8;

/// The top two bits of a participant's first word: a person's index, or a
/// count of unnamed people of a party (then followed by the number, except
/// for an unknown count).
const TAG_SHIFT: u32 = 30;
const TAG_PERSON: u32 = 0;
const TAG_UNKNOWN: u32 = 1;
const TAG_EXACT: u32 = 2;
const TAG_ABOUT: u32 = 3;
const INDEX_MASK: u32 = (1 << TAG_SHIFT) - 1;

/// One engagement's fixed part. 72 bytes; its lists are `words[words..]`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StoredEngagement {
    file: FileId,
    header: Span,
    title: Span,
    date: DateSpec,
    destination: u32,
    format: u32,
    series: u32,
    reciprocates: u32,
    track: Track,
    status: Status,
    confidential: Option<Confidentiality>,
    flags: u8,
    /// Where this engagement's words start in its chunk.
    words: u32,
    /// How many words each list takes, unless [`LONG_LISTS`].
    lengths: [u16; LISTS],
}

/// Engagements read by one thread, in ledger order, and their words.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    records: Vec<StoredEngagement>,
    words: Vec<u32>,
}

impl Chunk {
    /// Stores `draft`; returns its place in this chunk.
    pub(crate) fn push(&mut self, draft: &EngagementDraft<'_>) -> u32 {
        let start = self.words.len();
        let mut lengths = [0usize; LISTS];
        lengths[List::Origin as usize] = draft.origin.len();
        lengths[List::Sponsors as usize] = draft.sponsors.len();
        lengths[List::Participants as usize] = draft.participants.iter().map(|p| participant_words(*p)).sum();
        lengths[List::Met as usize] = draft.met.len();
        lengths[List::Tags as usize] = 2 * draft.tags.len();
        lengths[List::Sources as usize] = 2 * draft.sources.len();
        lengths[List::Notes as usize] = 2 * draft.notes.len();
        lengths[List::Extra as usize] = 4 * draft.extra.len();
        let long = lengths.iter().any(|&length| length > usize::from(u16::MAX));
        let mut flags = 0;
        if long {
            flags |= LONG_LISTS;
            self.words.extend(lengths.iter().map(|&length| length as u32));
        }
        self.words.extend(draft.origin.iter().map(|party| party.0));
        self.words.extend(draft.sponsors.iter().map(|org| org.0));
        for participant in draft.participants {
            match *participant {
                Participant::Person(person) => self.words.push(TAG_PERSON << TAG_SHIFT | person.0),
                Participant::Unnamed { party, count } => match count {
                    Headcount::Exact(n) => self.words.extend([TAG_EXACT << TAG_SHIFT | party.0, n]),
                    Headcount::About(n) => self.words.extend([TAG_ABOUT << TAG_SHIFT | party.0, n]),
                    Headcount::Unknown => self.words.push(TAG_UNKNOWN << TAG_SHIFT | party.0),
                },
            }
        }
        self.words.extend(draft.met.iter().map(|person| person.0));
        for spans in [draft.tags, draft.sources, draft.notes] {
            self.words.extend(spans.iter().flat_map(|span| [span.start, span.end]));
        }
        for (key, value) in draft.extra {
            self.words.extend([key.start, key.end, value.start, value.end]);
        }
        if let Some(id) = draft.id {
            flags |= HAS_ID;
            self.words.extend([id.start, id.end]);
        }
        if let Some(venue) = draft.venue {
            flags |= HAS_VENUE;
            self.words.extend([venue.start, venue.end]);
        }
        if let Some(embargo) = draft.embargo {
            flags |= HAS_EMBARGO;
            self.words.extend(encode_date(embargo));
        }
        let short = |length: usize| if long { 0 } else { length as u16 };
        self.records.push(StoredEngagement {
            file: draft.location.file,
            header: draft.location.span,
            title: draft.title,
            date: draft.date,
            destination: match draft.destination {
                Destination::Party(party) => party.0,
                Destination::Online => ONLINE,
                Destination::Unknown => UNKNOWN_HOST,
            },
            format: draft.format.map_or(NONE, |format| format.0),
            series: draft.series.map_or(NONE, |series| series.0),
            reciprocates: NONE,
            track: draft.track,
            status: draft.status,
            confidential: draft.confidential,
            flags,
            words: u32::try_from(start).expect("a chunk's words fit 32 bits, as its text does"),
            lengths: lengths.map(short),
        });
        self.records.len() as u32 - 1
    }

    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }
}

/// Every kept engagement: the chunks read by each thread, in ledger order.
/// Chunks are joined without copying their records.
#[derive(Debug, Default)]
pub(crate) struct Engagements {
    chunks: Vec<(u32, Chunk)>,
    count: u32,
}

impl Engagements {
    /// Appends `chunk`'s engagements after those held; returns the index of
    /// its first.
    pub(crate) fn append(&mut self, chunk: Chunk) -> u32 {
        let first = self.count;
        if chunk.len() > 0 {
            self.count += chunk.len() as u32;
            self.chunks.push((first, chunk));
        }
        first
    }

    pub(crate) fn len(&self) -> usize {
        self.count as usize
    }

    fn locate(&self, index: EngagementIndex) -> (&Chunk, usize) {
        let at = self.chunks.partition_point(|(first, _)| *first <= index.0) - 1;
        let (first, chunk) = &self.chunks[at];
        (chunk, (index.0 - first) as usize)
    }

    pub(crate) fn set_reciprocates(&mut self, index: EngagementIndex, target: EngagementIndex) {
        let at = self.chunks.partition_point(|(first, _)| *first <= index.0) - 1;
        let (first, chunk) = &mut self.chunks[at];
        chunk.records[(index.0 - *first) as usize].reciprocates = target.0;
    }
}

/// One engagement of a [`Ledger`], read field by field.
#[derive(Clone, Copy)]
pub struct Engagement<'l, 'a> {
    ledger: &'l Ledger<'a>,
    index: EngagementIndex,
    record: &'l StoredEngagement,
    words: &'l [u32],
}

impl std::fmt::Debug for Engagement<'_, '_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Engagement")
            .field("index", &self.index)
            .field("date", &self.date_text())
            .field("title", &self.title())
            .finish_non_exhaustive()
    }
}

impl<'l, 'a> Engagement<'l, 'a> {
    pub(crate) fn new(ledger: &'l Ledger<'a>, index: EngagementIndex) -> Engagement<'l, 'a> {
        let (chunk, at) = ledger.engagements.locate(index);
        let record = &chunk.records[at];
        let end = chunk
            .records
            .get(at + 1)
            .map_or(chunk.words.len(), |next| next.words as usize);
        Engagement {
            ledger,
            index,
            record,
            words: &chunk.words[record.words as usize..end],
        }
    }

    pub fn index(self) -> EngagementIndex {
        self.index
    }

    /// The header line.
    pub fn location(self) -> Location {
        Location {
            file: self.record.file,
            span: self.record.header,
        }
    }

    fn text(self, span: Span) -> &'a str {
        self.ledger.sources.get(self.record.file).slice(span)
    }

    /// How many words each list takes, and the words from the first list on.
    fn layout(self) -> ([usize; LISTS], &'l [u32]) {
        if self.record.flags & LONG_LISTS != 0 {
            let (lengths, words) = self.words.split_at(LISTS);
            (std::array::from_fn(|i| lengths[i] as usize), words)
        } else {
            (self.record.lengths.map(usize::from), self.words)
        }
    }

    /// The words of `list`.
    fn list(self, list: List) -> &'l [u32] {
        let (lengths, words) = self.layout();
        let start: usize = lengths[..list as usize].iter().sum();
        &words[start..start + lengths[list as usize]]
    }

    /// The words after the lists: the optional id, venue and embargo, in
    /// that order, each present as its flag says.
    fn optional(self) -> &'l [u32] {
        let (lengths, words) = self.layout();
        &words[lengths.iter().sum::<usize>()..]
    }

    pub fn id(self) -> Option<&'a str> {
        (self.record.flags & HAS_ID != 0).then(|| {
            let words = self.optional();
            self.text(Span::from_words(words[0], words[1]))
        })
    }

    /// The date as written: the header's first token, whose length the
    /// precision fixes (`2025`, `2025-09`, `2025-10-21`, or a range of two).
    pub fn date_text(self) -> &'a str {
        let length = match self.record.date.precision() {
            Precision::Year => 4,
            Precision::Month => 7,
            Precision::Day => 10,
            Precision::Range => 22,
        };
        let start = self.record.header.start;
        self.text(Span {
            start,
            end: start + length,
        })
    }

    pub fn date(self) -> DateSpec {
        self.record.date
    }

    /// The visiting side: one party, or several for a joint delegation or a
    /// meeting on third-country ground, in the order written.
    pub fn origin(self) -> &'l [PartyIndex] {
        cast(self.list(List::Origin))
    }

    pub fn destination(self) -> Destination {
        match self.record.destination {
            ONLINE => Destination::Online,
            UNKNOWN_HOST => Destination::Unknown,
            party => Destination::Party(PartyIndex(party)),
        }
    }

    pub fn title(self) -> &'a str {
        self.text(self.record.title)
    }

    /// Always present in a ledger without errors.
    pub fn format(self) -> Option<FormatIndex> {
        optional_index(self.record.format).map(FormatIndex)
    }

    pub fn track(self) -> Track {
        self.record.track
    }

    pub fn series(self) -> Option<SeriesIndex> {
        optional_index(self.record.series).map(SeriesIndex)
    }

    pub fn reciprocates(self) -> Option<EngagementIndex> {
        optional_index(self.record.reciprocates).map(EngagementIndex)
    }

    pub fn status(self) -> Status {
        self.record.status
    }

    pub fn confidential(self) -> Option<Confidentiality> {
        self.record.confidential
    }

    pub fn embargo(self) -> Option<DateSpec> {
        if self.record.flags & HAS_EMBARGO == 0 {
            return None;
        }
        let words = self.optional();
        let skip =
            2 * usize::from(self.record.flags & HAS_ID != 0) + 2 * usize::from(self.record.flags & HAS_VENUE != 0);
        Some(decode_date(&words[skip..skip + 3]))
    }

    pub fn venue(self) -> Option<&'a str> {
        if self.record.flags & HAS_VENUE == 0 {
            return None;
        }
        let words = self.optional();
        let skip = 2 * usize::from(self.record.flags & HAS_ID != 0);
        Some(self.text(Span::from_words(words[skip], words[skip + 1])))
    }

    pub fn sponsors(self) -> &'l [OrgIndex] {
        cast(self.list(List::Sponsors))
    }

    /// The visiting side's people, named and counted, in the order written.
    pub fn participants(self) -> Participants<'l> {
        Participants {
            words: self.list(List::Participants),
        }
    }

    /// Hosts and officials met.
    pub fn met(self) -> &'l [PersonIndex] {
        cast(self.list(List::Met))
    }

    fn texts(self, list: List) -> impl ExactSizeIterator<Item = &'a str> + 'l {
        self.list(list)
            .chunks_exact(2)
            .map(move |pair| self.text(Span::from_words(pair[0], pair[1])))
    }

    pub fn tags(self) -> impl ExactSizeIterator<Item = &'a str> + 'l {
        self.texts(List::Tags)
    }

    pub fn sources(self) -> impl ExactSizeIterator<Item = &'a str> + 'l {
        self.texts(List::Sources)
    }

    pub fn notes(self) -> impl ExactSizeIterator<Item = &'a str> + 'l {
        self.texts(List::Notes)
    }

    /// Custom `x-…` fields, in the order written.
    pub fn extra(self) -> impl ExactSizeIterator<Item = ExtraField<'a>> + 'l {
        self.list(List::Extra).chunks_exact(4).map(move |words| ExtraField {
            key: self.text(Span::from_words(words[0], words[1])),
            value: self.text(Span::from_words(words[2], words[3])),
        })
    }

    /// Whether this is a visit from one party to another: neither joint nor
    /// online. Only such visits can reciprocate or be reciprocated.
    pub fn is_bilateral_visit(self) -> bool {
        self.bilateral_ends().is_some()
    }

    /// The visiting and the host party of a bilateral visit.
    pub fn bilateral_ends(self) -> Option<(PartyIndex, PartyIndex)> {
        match (self.origin(), self.destination()) {
            ([from], Destination::Party(to)) => Some((*from, to)),
            _ => None,
        }
    }
}

/// How many words a participant takes.
fn participant_words(participant: Participant) -> usize {
    match participant {
        Participant::Person(_)
        | Participant::Unnamed {
            count: Headcount::Unknown,
            ..
        } => 1,
        Participant::Unnamed { .. } => 2,
    }
}

fn optional_index(word: u32) -> Option<u32> {
    (word != NONE).then_some(word)
}

/// A list of words as the index type it holds.
fn cast<T: super::WordIndex>(words: &[u32]) -> &[T] {
    // SAFETY: `WordIndex` types are `#[repr(transparent)]` over `u32`, so a
    // slice of `u32` is a slice of them, with the same length and alignment.
    unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<T>(), words.len()) }
}

/// The participants of an engagement, decoded from their words.
#[derive(Clone)]
pub struct Participants<'l> {
    words: &'l [u32],
}

impl Iterator for Participants<'_> {
    type Item = Participant;

    fn next(&mut self) -> Option<Participant> {
        let (&first, rest) = self.words.split_first()?;
        let index = first & INDEX_MASK;
        let (participant, rest) = match first >> TAG_SHIFT {
            TAG_PERSON => (Participant::Person(PersonIndex(index)), rest),
            TAG_UNKNOWN => (
                Participant::Unnamed {
                    party: PartyIndex(index),
                    count: Headcount::Unknown,
                },
                rest,
            ),
            tag => {
                let (&n, rest) = rest.split_first().expect("a count is followed by its number");
                let count = if tag == TAG_EXACT {
                    Headcount::Exact(n)
                } else {
                    Headcount::About(n)
                };
                (
                    Participant::Unnamed {
                        party: PartyIndex(index),
                        count,
                    },
                    rest,
                )
            }
        };
        self.words = rest;
        Some(participant)
    }
}

fn encode_date(date: DateSpec) -> [u32; 3] {
    let day = |date: NaiveDate| chrono::Datelike::num_days_from_ce(&date) as u32;
    match date {
        DateSpec::Day(day_) => [0, day(day_), 0],
        DateSpec::Range(start, end) => [1, day(start), day(end)],
        DateSpec::Month { year, month } => [2, year as u32, month],
        DateSpec::Year(year) => [3, year as u32, 0],
    }
}

fn decode_date(words: &[u32]) -> DateSpec {
    let day = |word: u32| NaiveDate::from_num_days_from_ce_opt(word as i32).expect("encoded from a date");
    match words[0] {
        0 => DateSpec::Day(day(words[1])),
        1 => DateSpec::Range(day(words[1]), day(words[2])),
        2 => DateSpec::Month {
            year: words[1] as i32,
            month: words[2],
        },
        _ => DateSpec::Year(words[1] as i32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_engagement_stays_small() {
        assert_eq!(std::mem::size_of::<StoredEngagement>(), 72);
    }

    #[test]
    fn dates_survive_the_words() {
        for text in ["2025", "0999-02", "2024-02-29", "2025-10-21..2025-10-22"] {
            let date = DateSpec::parse(text).unwrap();
            assert_eq!(decode_date(&encode_date(date)), date);
        }
    }

    #[test]
    fn participants_survive_the_words() {
        let participants = [
            Participant::Person(PersonIndex(7)),
            Participant::Unnamed {
                party: PartyIndex(2),
                count: Headcount::Exact(4_000_000_000),
            },
            Participant::Unnamed {
                party: PartyIndex(3),
                count: Headcount::Unknown,
            },
            Participant::Unnamed {
                party: PartyIndex(0),
                count: Headcount::About(6),
            },
            Participant::Person(PersonIndex(INDEX_MASK)),
        ];
        let mut chunk = Chunk::default();
        chunk.push(&EngagementDraft {
            participants: &participants,
            ..draft()
        });
        let words = &chunk.words[..];
        let decoded: Vec<_> = Participants { words }.collect();
        assert_eq!(decoded, participants);
    }

    pub(super) fn draft() -> EngagementDraft<'static> {
        EngagementDraft {
            location: Location {
                file: FileId(0),
                span: Span::new(0, 10),
            },
            title: Span::new(0, 0),
            id: None,
            venue: None,
            date: DateSpec::Year(2025),
            embargo: None,
            origin: &[],
            destination: Destination::Online,
            format: None,
            series: None,
            track: Track::Two,
            status: Status::Held,
            confidential: None,
            sponsors: &[],
            participants: &[],
            met: &[],
            tags: &[],
            sources: &[],
            notes: &[],
            extra: &[],
        }
    }
}
