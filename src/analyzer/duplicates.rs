//! Things that must not be recorded twice across the whole ledger (GRAMMAR.md
//! §5.2): two engagements with one `id`, and two engagements with the same
//! date, direction and title. Each is reported at the later occurrence,
//! with the first as a second location.

use super::engagement::{EngagementKey, EntryIds, EntryTarget, engagement_key};
use super::header_at;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::EngagementIndex;
use crate::source::{Location, SourceMap};

/// Every reader's engagement ids, in ledger order, each table with where
/// its reader's engagements start in the model.
pub(super) struct EntryTables<'a> {
    tables: Vec<(EntryIds<'a>, u32)>,
}

impl<'a> EntryTables<'a> {
    /// Joins the readers' tables, reporting each id given again, in a
    /// later table or in the same one, against the first in the ledger.
    pub fn join(tables: Vec<(EntryIds<'a>, u32)>, diagnostics: &mut Vec<Diagnostic>) -> EntryTables<'a> {
        let joined = EntryTables { tables };
        for (at, (ids, _)) in joined.tables.iter().enumerate() {
            let earlier = EntryTables::first_in(&joined.tables[..at]);
            for (&id, target) in &ids.firsts {
                if let Some(first) = earlier(id) {
                    diagnostics.push(duplicate_entry_id(id, target.location, first.location));
                }
            }
            for &(id, later) in &ids.repeats {
                let first = earlier(id).or_else(|| ids.firsts.get(id).copied());
                let first = first.expect("a repeat follows a first");
                diagnostics.push(duplicate_entry_id(id, later, first.location));
            }
        }
        joined
    }

    /// A lookup of the first engagement with an id among `tables`, its
    /// index shifted into the model.
    fn first_in<'t>(tables: &'t [(EntryIds<'a>, u32)]) -> impl Fn(&str) -> Option<EntryTarget> + 't {
        move |id| {
            tables.iter().find_map(|(ids, offset)| {
                ids.firsts.get(id).map(|&target| EntryTarget {
                    engagement: target.engagement.map(|index| EngagementIndex(index.0 + offset)),
                    ..target
                })
            })
        }
    }

    /// The first engagement with `id` in the ledger.
    pub fn get(&self, id: &str) -> Option<EntryTarget> {
        EntryTables::first_in(&self.tables)(id)
    }

    /// Every engagement id, in ledger order: the candidates of "did you mean".
    pub fn ids_in_order(&self) -> Vec<&'a str> {
        let mut ids: Vec<(Location, &'a str)> = self
            .tables
            .iter()
            .flat_map(|(ids, _)| ids.firsts.iter().map(|(id, target)| (target.location, *id)))
            .collect();
        ids.sort_unstable();
        let mut seen = rustc_hash::FxHashSet::default();
        ids.into_iter()
            .map(|(_, id)| id)
            .filter(|id| seen.insert(*id))
            .collect()
    }
}

fn duplicate_entry_id(id: &str, later: Location, earlier: Location) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateEntryId,
        later.file,
        later.span,
        format!("the engagement id `{id}` is used twice"),
    )
    .with_label("used again here")
    .with_related(earlier, "first used here")
    .with_help("give each engagement its own id")
}

/// Reports every engagement that repeats an earlier one's date, direction
/// and title. `runs` are the readers' keys, each run sorted; keys with equal
/// hashes are compared by their texts, read again from their headers.
pub(super) fn report_duplicate_engagements(
    runs: Vec<Vec<EngagementKey>>,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut group: Vec<Location> = Vec::new();
    let mut group_hash = None;
    for key in merge_sorted(runs) {
        if group_hash != Some(key.hash) {
            report_group(&group, sources, diagnostics);
            group.clear();
            group_hash = Some(key.hash);
        }
        group.push(key.header);
    }
    report_group(&group, sources, diagnostics);
}

/// The engagements of one hash, in ledger order: each that has the same key
/// as an earlier one is a duplicate of the first with that key.
fn report_group(group: &[Location], sources: &SourceMap, diagnostics: &mut Vec<Diagnostic>) {
    if group.len() < 2 {
        return;
    }
    let headers: Vec<_> = group
        .iter()
        .map(|&location| header_at(sources, location).map(|header| (location, header)))
        .collect();
    for (at, later) in headers.iter().enumerate() {
        let Some((later_location, later_header)) = later else {
            continue;
        };
        let later_key = engagement_key(sources.get(later_location.file).text(), later_header);
        let first = headers[..at]
            .iter()
            .flatten()
            .find(|(location, header)| engagement_key(sources.get(location.file).text(), header) == later_key);
        if let Some((earlier, _)) = first {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateEngagement,
                    later_location.file,
                    later_header.date,
                    "an engagement with this date, direction and title is already recorded",
                )
                .with_label("recorded again here")
                .with_related(*earlier, "first recorded here")
                .with_help("remove the copy, or tell the two apart in the title"),
            );
        }
    }
}

/// The items of sorted `runs`, in order.
fn merge_sorted(runs: Vec<Vec<EngagementKey>>) -> impl Iterator<Item = EngagementKey> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut runs: Vec<std::vec::IntoIter<EngagementKey>> = runs.into_iter().map(Vec::into_iter).collect();
    let mut heads: BinaryHeap<Reverse<(EngagementKey, usize)>> = runs
        .iter_mut()
        .enumerate()
        .filter_map(|(at, run)| run.next().map(|key| Reverse((key, at))))
        .collect();
    std::iter::from_fn(move || {
        let Reverse((key, at)) = heads.pop()?;
        if let Some(next) = runs[at].next() {
            heads.push(Reverse((next, at)));
        }
        Some(key)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    fn key(hash: u64, start: usize) -> EngagementKey {
        EngagementKey {
            hash,
            header: Location {
                file: FileId(0),
                span: Span::new(start, start + 1),
            },
        }
    }

    #[test]
    fn sorted_runs_merge_in_order() {
        let runs = vec![vec![key(1, 0), key(3, 5)], vec![key(1, 2), key(2, 9)], vec![]];
        let merged: Vec<_> = merge_sorted(runs)
            .map(|key| (key.hash, key.header.span.start))
            .collect();
        assert_eq!(merged, [(1, 0), (1, 2), (2, 9), (3, 5)]);
    }
}
