//! Somebody as a report that lists people may show them: by name, or as one
//! of their party's people the output may not name. The reports of people
//! (participants, network, roster) group by it, so one person withheld in
//! several engagements is one "unnamed" entry per party, never a name.

use crate::model::{PartyIndex, PersonIndex};
use crate::privacy::Shown;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Who {
    Named(PersonIndex),
    /// People of this party (or of none) that the output may not name.
    Unnamed(Option<PartyIndex>),
}

impl Who {
    /// Who a name-bearing entry of a side is; `None` for a count of people
    /// the ledger never named (`+N PARTY`), which no list of people holds.
    pub(crate) fn of(shown: Shown) -> Option<Who> {
        match shown {
            Shown::Person(person) => Some(Who::Named(person)),
            Shown::Withheld { party, .. } => Some(Who::Unnamed(party)),
            Shown::Unnamed { .. } => None,
        }
    }
}
