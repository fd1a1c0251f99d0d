//! `reciprocates:` links, checked once every engagement id of the ledger is
//! known (a link may name an engagement further on, in another file): the
//! target exists, and the two are opposite bilateral visits in date order
//! (GRAMMAR.md §5.3). A valid link is stored in the model.

use super::duplicates::EntryTables;
use super::engagement::{PendingLink, Visit};
use super::header_at;
use crate::diagnostic::{Code, Diagnostic};
use crate::index::{IndexBuilder, Namespace, Reference, Role};
use crate::model::Ledger;
use crate::source::{Location, SourceMap};

/// Checks every link; each link's `engagement` is already an index of
/// `ledger`. Records each link in `index`, when there is one.
pub(super) fn check_links(
    links: Vec<PendingLink<'_>>,
    entries: &EntryTables<'_>,
    ledger: &mut Ledger<'_>,
    mut index: Option<&mut IndexBuilder<'_>>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let sources = ledger.sources;
    for link in links {
        let Location { file, span } = link.location;
        let target = entries.get(link.target_id);
        if let Some(index) = index.as_deref_mut() {
            index.reference(Reference {
                location: link.location,
                namespace: Namespace::Engagement,
                target: target
                    .and_then(|target| target.engagement)
                    .map(|engagement| engagement.0),
                role: Role::Reciprocates,
                engagement: link.engagement,
            });
        }
        let Some(target) = target else {
            // Its hint is added once the whole ledger is read.
            diagnostics.push(Diagnostic::new(
                Code::UndeclaredEntry,
                file,
                span,
                format!("no engagement has the id `{}`", link.target_id),
            ));
            continue;
        };
        let Some(target_visit) = target.visit else {
            // Its date or direction is broken, which was reported there.
            continue;
        };
        match fault(sources, link.visit, target_visit) {
            None => {
                if let (Some(this), Some(that)) = (link.engagement, target.engagement) {
                    ledger.engagements.set_reciprocates(this, that);
                }
            }
            Some(fault) => diagnostics.push(
                Diagnostic::new(
                    Code::InvalidReciprocation,
                    file,
                    span,
                    format!("this cannot reciprocate `{}`: {fault}", link.target_id),
                )
                .with_related(target_visit.header, "the engagement named")
                .with_help(
                    "`reciprocates:` names an earlier visit in the opposite direction: `A -> B` is returned by `B -> A`",
                ),
            ),
        }
    }
}

/// Why `this` cannot return `that`, or `None` if it can.
fn fault(sources: &SourceMap, this: Visit, that: Visit) -> Option<String> {
    let Some((that_from, that_to)) = that.ends else {
        return Some(format!(
            "it is `{}`; joint and online engagements cannot be reciprocated",
            direction_text(sources, that.header)
        ));
    };
    let Some((this_from, this_to)) = this.ends else {
        return Some(format!(
            "this is `{}`; a joint or online engagement reciprocates nothing",
            direction_text(sources, this.header)
        ));
    };
    if (this_from, this_to) != (that_to, that_from) {
        return Some(format!(
            "it is `{}` and this is `{}`, not the opposite direction",
            direction_text(sources, that.header),
            direction_text(sources, this.header)
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

/// `FROM -> TO` as the header at `location` writes it, for messages.
fn direction_text(sources: &SourceMap, location: Location) -> String {
    let text = sources.get(location.file).text();
    header_at(sources, location).map_or_else(String::new, |header| {
        let origin: Vec<&str> = header.origin.iter().map(|&span| &text[span.range()]).collect();
        format!("{} -> {}", origin.join(" + "), &text[header.destination.span().range()])
    })
}
