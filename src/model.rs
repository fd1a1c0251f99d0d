//! The meaning of a ledger: declarations and engagements with every
//! reference resolved to an index. Strings borrow from the source text, so
//! building the model copies none of it.
//!
//! A model comes with the diagnostics of the analysis that built it; only a
//! model without errors is complete (every `format` resolved, every date
//! valid). Reports refuse a ledger with errors, so they never see a hole.

use crate::date::DateSpec;
use crate::source::Location;

macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            pub fn get(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

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

/// A custom `x-…` field, kept as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtraField<'a> {
    pub key: &'a str,
    pub value: &'a str,
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Participant {
    Person(PersonIndex),
    /// `+N PARTY`: people who took part but are not named.
    Unnamed {
        party: PartyIndex,
        count: u32,
    },
}

/// A list that is short in almost every engagement: its first items are
/// stored in place, so that a million engagements do not mean millions of
/// small allocations. It dereferences to a slice.
pub type Few<T> = smallvec::SmallVec<[T; 2]>;

/// Like [`Few`] for texts, which are larger: one in place.
pub type Texts<'a> = smallvec::SmallVec<[&'a str; 1]>;

#[derive(Clone, Debug)]
pub struct Engagement<'a> {
    pub id: Option<&'a str>,
    /// The date as written, which is also what duplicates are compared by.
    pub date_text: &'a str,
    pub date: DateSpec,
    /// The visiting side: one party, or several for a joint delegation or a
    /// meeting on third-country ground.
    pub origin: Few<PartyIndex>,
    pub destination: Destination,
    pub title: &'a str,
    /// Always present in a ledger without errors.
    pub format: Option<FormatIndex>,
    pub track: Track,
    pub series: Option<SeriesIndex>,
    pub reciprocates: Option<EngagementIndex>,
    pub status: Status,
    pub confidential: Option<Confidentiality>,
    pub embargo: Option<DateSpec>,
    pub venue: Option<&'a str>,
    pub sponsors: Few<OrgIndex>,
    pub participants: Few<Participant>,
    pub met: Few<PersonIndex>,
    pub sources: Texts<'a>,
    pub notes: Texts<'a>,
    pub tags: Texts<'a>,
    /// Usually empty, which costs no allocation.
    pub extra: Vec<ExtraField<'a>>,
    /// The engagement's header line.
    pub location: Location,
}

impl Engagement<'_> {
    /// Whether this is a visit from one party to another: neither joint nor
    /// online. Only such visits can reciprocate or be reciprocated.
    pub fn is_bilateral_visit(&self) -> bool {
        self.origin.len() == 1 && matches!(self.destination, Destination::Party(_))
    }
}

#[derive(Clone, Debug, Default)]
pub struct Ledger<'a> {
    pub parties: Vec<Party<'a>>,
    pub orgs: Vec<Org<'a>>,
    pub persons: Vec<Person<'a>>,
    pub formats: Vec<Label<'a>>,
    pub series: Vec<Label<'a>>,
    pub engagements: Vec<Engagement<'a>>,
}

impl<'a> Ledger<'a> {
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

    pub fn engagement(&self, index: EngagementIndex) -> &Engagement<'a> {
        &self.engagements[index.get()]
    }

    /// The id of a destination: a party id, or `online`.
    pub fn destination_id(&self, destination: Destination) -> &'a str {
        match destination {
            Destination::Party(party) => self.party(party).id,
            Destination::Online => "online",
        }
    }
}
