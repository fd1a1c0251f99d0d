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
/// and title. `runs` are the readers' keys, in ledger order of the readers,
/// each sorted by [`sort_by_hash`]; keys with equal hashes are compared by
/// their texts, read again from their headers.
pub(super) fn report_duplicate_engagements(
    runs: Vec<Vec<EngagementKey>>,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut group: Vec<Location> = Vec::new();
    let mut group_hash = None;
    let mut report = |group: &mut Vec<Location>| {
        if group.len() > 1 {
            // Nearly every group is one key; the rare collision or copy is
            // put in ledger order here rather than ordering every key.
            group.sort_unstable();
            report_group(group, sources, diagnostics);
        }
        group.clear();
    };
    for key in merge_by_hash(runs) {
        if group_hash != Some(key.hash) {
            report(&mut group);
            group_hash = Some(key.hash);
        }
        group.push(key.header);
    }
    report(&mut group);
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

/// The keys of `runs`, each sorted by hash, merged in order of hash; on a
/// tie the earlier run's key comes first. The runs are one per reading
/// thread, at most a handful, so the least head is found by looking at each.
fn merge_by_hash(runs: Vec<Vec<EngagementKey>>) -> impl Iterator<Item = EngagementKey> {
    let mut runs: Vec<_> = runs.into_iter().map(|run| run.into_iter().peekable()).collect();
    std::iter::from_fn(move || {
        let mut least: Option<(usize, u64)> = None;
        for (at, run) in runs.iter_mut().enumerate() {
            if let Some(key) = run.peek()
                && least.is_none_or(|(_, hash)| key.hash < hash)
            {
                least = Some((at, key.hash));
            }
        }
        runs[least?.0].next()
    })
}

/// Sorts `keys` by hash: a least-significant-digit radix sort, six passes
/// of 11 bits over a scratch buffer. The hashes are what it orders, and
/// they are uniform, so that linear passes beat comparing (a comparison
/// sort of a million keys showed in profiles of `check`). Stable: keys of
/// one hash keep their order.
pub(super) fn sort_by_hash(keys: &mut Vec<EngagementKey>) {
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    const PASSES: usize = u64::BITS.div_ceil(BITS) as usize;
    let digit = |hash: u64, pass: usize| (hash >> (pass as u32 * BITS)) as usize & (BUCKETS - 1);
    let Some(&first) = keys.first() else { return };
    let mut counts = vec![[0usize; BUCKETS]; PASSES];
    for key in keys.iter() {
        for (pass, count) in counts.iter_mut().enumerate() {
            count[digit(key.hash, pass)] += 1;
        }
    }
    let mut scratch = vec![first; keys.len()];
    for (pass, count) in counts.iter_mut().enumerate() {
        // A digit every key shares orders nothing.
        if count.contains(&keys.len()) {
            continue;
        }
        let mut next = 0;
        for slot in count.iter_mut() {
            (*slot, next) = (next, next + *slot);
        }
        for key in keys.iter() {
            let slot = &mut count[digit(key.hash, pass)];
            scratch[*slot] = *key;
            *slot += 1;
        }
        std::mem::swap(keys, &mut scratch);
    }
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
    fn runs_merge_by_hash_and_the_earlier_run_first_on_a_tie() {
        let runs = vec![vec![key(1, 0), key(3, 5)], vec![key(1, 2), key(2, 9)], vec![]];
        let merged: Vec<_> = merge_by_hash(runs)
            .map(|key| (key.hash, key.header.span.start))
            .collect();
        assert_eq!(merged, [(1, 0), (1, 2), (2, 9), (3, 5)]);
    }

    #[test]
    fn keys_sorted_by_hash_keep_their_order_within_a_hash() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut keys: Vec<EngagementKey> = (0..5_000)
            .map(|start| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // Few distinct hashes, spread over all 64 bits, so that
                // groups are common and every pass has work.
                key(state % 97 * 0x0123_4567_89ab_cdef, start)
            })
            .collect();
        let mut expected = keys.clone();
        expected.sort_by_key(|key| key.hash);
        sort_by_hash(&mut keys);
        assert_eq!(keys, expected);
        sort_by_hash(&mut Vec::new());
    }
}
