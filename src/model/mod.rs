//! The meaning of a ledger: declarations and engagements with every
//! reference resolved to an index. Strings borrow from the source text, and
//! engagements are stored compactly as spans into it ([`engagement`]), so
//! building the model copies none of it.
//!
//! A model comes with the diagnostics of the analysis that built it; only a
//! model without errors is complete (every `format` resolved, every date
//! valid). Reports refuse a ledger with errors, so they never see a hole.

mod direction;
mod engagement;

pub use direction::{Arrow, Direction, DirectionKind};
pub(crate) use engagement::{Chunk, EngagementDraft, Engagements};
pub use engagement::{Engagement, ExtraField, Headcount, Participant, Participants};

use crate::source::{Location, SourceMap};

macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(transparent)]
        pub struct $name(pub u32);

        impl $name {
            pub fn get(self) -> usize {
                self.0 as usize
            }
        }

        // SAFETY: `#[repr(transparent)]` over `u32`, as the trait requires.
        unsafe impl WordIndex for $name {}
    )*};
}

/// An index stored as one 32-bit word.
///
/// # Safety
/// Only for `#[repr(transparent)]` wrappers of `u32`: engagement lists are
/// stored as words and read back as slices of these types.
pub(crate) unsafe trait WordIndex {}

index_type! {
    /// A party's place in [`Ledger::parties`].
    PartyIndex;
    /// An org's place in [`Ledger::orgs`].
    OrgIndex;
    /// A person's place in [`Ledger::persons`].
    PersonIndex;
    /// A format's place in [`Ledger::formats`].
    FormatIndex;
    /// A series' place in [`Ledger::series`].
    SeriesIndex;
    /// An engagement's place in [`Ledger::engagements`].
    EngagementIndex;
}

/// An enumeration written as fixed words in the ledger.
macro_rules! keyword_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$variant_doc:meta])* $variant:ident = $word:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$variant_doc])* $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            pub const WORDS: &'static [&'static str] = &[$($word,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)*
                }
            }

            pub fn parse(word: &str) -> Option<$name> {
                match word {
                    $($word => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(self.as_str())
            }
        }
    };
}

keyword_enum! {
    OrgKind {
        Government = "government",
        ThinkTank = "think-tank",
        Ngo = "ngo",
        University = "university",
        Media = "media",
        International = "international",
        Other = "other",
    }
}

keyword_enum! {
    /// Track 1 is official diplomacy, track 2 unofficial; track 1.5 mixes
    /// officials and unofficial experts, or has governments' support.
    Track {
        One = "1",
        OneAndHalf = "1.5",
        Two = "2",
    }
}

keyword_enum! {
    Status {
        Held = "held",
        Planned = "planned",
        Postponed = "postponed",
        Cancelled = "cancelled",
    }
}

keyword_enum! {
    Confidentiality {
        /// Names of participants and those met are withheld from public outputs.
        ChathamHouse = "chatham-house",
        /// The whole engagement is withheld from public outputs.
        Private = "private",
    }
}

#[derive(Clone, Debug)]
pub struct Party<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub wikidata: Option<&'a str>,
    pub extra: Vec<ExtraField<'a>>,
    /// The declaration's header line.
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct Org<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub party: Option<PartyIndex>,
    pub kind: Option<OrgKind>,
    pub wikidata: Option<&'a str>,
    pub extra: Vec<ExtraField<'a>>,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct Person<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub party: Option<PartyIndex>,
    pub org: Option<OrgIndex>,
    pub role: Option<&'a str>,
    pub aliases: Vec<&'a str>,
    /// Kept out of public outputs: see the README's section on confidentiality.
    pub private: bool,
    pub wikidata: Option<&'a str>,
    pub extra: Vec<ExtraField<'a>>,
    pub location: Location,
}

/// A format or a series: a named kind of engagement, or a named sequence.
#[derive(Clone, Debug)]
pub struct Label<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub extra: Vec<ExtraField<'a>>,
    pub location: Location,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Destination {
    Party(PartyIndex),
    Online,
    /// `?`: the host is not known or not fixed yet. Its own column in every
    /// report, never a party.
    Unknown,
}

/// The meaning of a ledger: its declarations, in ledger order, and its
/// engagements, which point into `sources` (see [`Engagement`]).
#[derive(Debug)]
pub struct Ledger<'a> {
    pub sources: &'a SourceMap,
    pub parties: Vec<Party<'a>>,
    pub orgs: Vec<Org<'a>>,
    pub persons: Vec<Person<'a>>,
    pub formats: Vec<Label<'a>>,
    pub series: Vec<Label<'a>>,
    pub(crate) engagements: Engagements,
}

impl<'a> Ledger<'a> {
    /// A ledger with no declarations and no engagements yet.
    pub fn new(sources: &'a SourceMap) -> Ledger<'a> {
        Ledger {
            sources,
            parties: Vec::new(),
            orgs: Vec::new(),
            persons: Vec::new(),
            formats: Vec::new(),
            series: Vec::new(),
            engagements: Engagements::default(),
        }
    }

    /// The ids declared of `kind`, in ledger order.
    pub fn declared_ids(&self, kind: crate::syntax::DeclarationKind) -> Vec<&'a str> {
        use crate::syntax::DeclarationKind;
        match kind {
            DeclarationKind::Party => self.parties.iter().map(|d| d.id).collect(),
            DeclarationKind::Org => self.orgs.iter().map(|d| d.id).collect(),
            DeclarationKind::Person => self.persons.iter().map(|d| d.id).collect(),
            DeclarationKind::Format => self.formats.iter().map(|d| d.id).collect(),
            DeclarationKind::Series => self.series.iter().map(|d| d.id).collect(),
        }
    }

    /// How many engagements the model holds.
    pub fn engagement_count(&self) -> usize {
        self.engagements.len()
    }

    /// Every engagement the model holds, in ledger order.
    pub fn engagements(&self) -> impl ExactSizeIterator<Item = Engagement<'_, 'a>> + '_ {
        (0..self.engagements.len() as u32).map(|index| Engagement::new(self, EngagementIndex(index)))
    }

    pub fn party(&self, index: PartyIndex) -> &Party<'a> {
        &self.parties[index.get()]
    }

    pub fn org(&self, index: OrgIndex) -> &Org<'a> {
        &self.orgs[index.get()]
    }

    pub fn person(&self, index: PersonIndex) -> &Person<'a> {
        &self.persons[index.get()]
    }

    pub fn format(&self, index: FormatIndex) -> &Label<'a> {
        &self.formats[index.get()]
    }

    pub fn series_of(&self, index: SeriesIndex) -> &Label<'a> {
        &self.series[index.get()]
    }

    pub fn engagement(&self, index: EngagementIndex) -> Engagement<'_, 'a> {
        Engagement::new(self, index)
    }

    /// The id of a destination: a party id, or `online`.
    pub fn destination_id(&self, destination: Destination) -> &'a str {
        match destination {
            Destination::Party(party) => self.party(party).id,
            Destination::Online => "online",
            Destination::Unknown => "?",
        }
    }
}
