//! Who travelled where: the direction of an engagement as reports group by
//! it. The one place that decides whether an engagement is bilateral, joint
//! or online, and that writes a direction as text.

use serde::Serialize;
use smallvec::SmallVec;

use super::{Destination, Engagement, Ledger, PartyIndex};

/// How an engagement's direction is classified in reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DirectionKind {
    /// One party visiting another.
    Bilateral,
    /// A joint delegation, or both sides meeting on third-country ground.
    Joint,
    Online,
    /// A host not yet fixed (`-> ?`).
    UnknownHost,
}

impl DirectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DirectionKind::Bilateral => "bilateral",
            DirectionKind::Joint => "joint",
            DirectionKind::Online => "online",
            DirectionKind::UnknownHost => "unknown-host",
        }
    }
}

/// How a direction's arrow is written: as the ledger writes it (for data:
/// CSV, JSON), or as people read it (terminal, Markdown, charts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrow {
    /// `AZ -> AM`.
    Ascii,
    /// `AZ → AM`.
    Unicode,
}

impl Arrow {
    fn as_str(self) -> &'static str {
        match self {
            Arrow::Ascii => " -> ",
            Arrow::Unicode => " → ",
        }
    }
}

/// A direction as reports group by it: the visiting parties in declaration
/// order (so `AZ + AM -> NL` and `AM + AZ -> NL` are one direction) and the
/// destination.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Direction {
    pub origin: SmallVec<[PartyIndex; 2]>,
    pub destination: Destination,
}

impl Direction {
    pub fn of(engagement: Engagement<'_, '_>) -> Direction {
        let mut origin: SmallVec<[PartyIndex; 2]> = engagement.origin().iter().copied().collect();
        origin.sort_unstable();
        Direction {
            origin,
            destination: engagement.destination(),
        }
    }

    pub fn kind(&self) -> DirectionKind {
        match self.destination {
            Destination::Online => DirectionKind::Online,
            Destination::Unknown => DirectionKind::UnknownHost,
            Destination::Party(_) if self.origin.len() == 1 => DirectionKind::Bilateral,
            Destination::Party(_) => DirectionKind::Joint,
        }
    }

    /// The visiting side, `AM + AZ`.
    pub fn origin_label(&self, ledger: &Ledger<'_>) -> String {
        let ids: Vec<&str> = self.origin.iter().map(|&party| ledger.party(party).id).collect();
        ids.join(" + ")
    }

    /// `AZ -> AM` or `AZ → AM`.
    pub fn label(&self, ledger: &Ledger<'_>, arrow: Arrow) -> String {
        format!(
            "{}{}{}",
            self.origin_label(ledger),
            arrow.as_str(),
            ledger.destination_id(self.destination)
        )
    }

    /// The order directions are listed in: bilateral, joint, online; then by
    /// the parties' declaration order.
    pub fn report_order(&self, other: &Direction) -> std::cmp::Ordering {
        (self.kind(), self).cmp(&(other.kind(), other))
    }
}
