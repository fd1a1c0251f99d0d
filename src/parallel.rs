//! Doing one job on every core: how a large ledger, or a long list of
//! engagements, is cut into pieces worked on side by side, and from what
//! size on that pays. Every threshold of the crate is here, so that one
//! measurement can tune them all (BENCHMARKS.md).

use std::ops::Range;

use crate::source::{FileId, SourceMap};

/// The most threads any job uses.
const MAX_THREADS: usize = 8;

/// Below this many bytes of text, work stays on one thread: starting more
/// costs more than they save.
pub const PARALLEL_FROM_BYTES: usize = 512 << 10;

/// Below this many engagements, a pass over the model's engagements (the
/// privacy view, a report's counting) stays on one thread.
pub const PARALLEL_FROM_ENGAGEMENTS: usize = 50_000;

/// How many threads to use: one per core the process may run on.
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
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
            threads: threads(),
            from_bytes: PARALLEL_FROM_BYTES,
        }
    }
}

/// `bytes` cut into at most `parts` ranges of about equal size, each cut
/// just after a `\n`, so that every range starts at a line start (and, the
/// cut byte being ASCII, on a character boundary).
pub fn line_pieces(bytes: &[u8], parts: usize) -> Vec<Range<usize>> {
    let target = bytes.len().div_ceil(parts.max(1)).max(1);
    let mut pieces = Vec::with_capacity(parts);
    let mut start = 0;
    while bytes.len() - start > target {
        let Some(newline) = memchr::memchr(b'\n', &bytes[start + target..]) else {
            break;
        };
        let cut = start + target + newline + 1;
        pieces.push(start..cut);
        start = cut;
    }
    pieces.push(start..bytes.len());
    pieces
}

/// The pieces a text of `len` bytes is worked on in: one per core from
/// [`PARALLEL_FROM_BYTES`] on, else the whole.
pub fn text_pieces(bytes: &[u8]) -> Vec<Range<usize>> {
    if bytes.len() < PARALLEL_FROM_BYTES {
        return std::iter::once(0..bytes.len()).collect();
    }
    line_pieces(bytes, threads())
}

/// `0..count` cut into `threads` ranges of about equal length when `count`
/// is at least `from`, else left whole.
pub fn index_pieces(count: usize, threads: usize, from: usize) -> Vec<Range<usize>> {
    if count < from || threads <= 1 || count == 0 {
        return std::iter::once(0..count).collect();
    }
    let size = count.div_ceil(threads);
    (0..count)
        .step_by(size)
        .map(|start| start..(start + size).min(count))
        .collect()
}

/// The pieces a pass over `count` engagements is worked on in: one per core
/// from [`PARALLEL_FROM_ENGAGEMENTS`] on, else the whole.
pub fn engagement_pieces(count: usize) -> Vec<Range<usize>> {
    index_pieces(count, threads(), PARALLEL_FROM_ENGAGEMENTS)
}

/// `work` applied to every item, each on its own thread (the first on this
/// one), results in order. One item is worked on here, without a thread.
pub fn map<I: Send, T: Send>(items: Vec<I>, work: impl Fn(I) -> T + Sync) -> Vec<T> {
    if items.len() <= 1 {
        return items.into_iter().map(work).collect();
    }
    let work = &work;
    std::thread::scope(|scope| {
        let mut items = items.into_iter();
        let first = items.next().expect("at least two items");
        let handles: Vec<_> = items.map(|item| scope.spawn(move || work(item))).collect();
        let mut results = Vec::with_capacity(handles.len() + 1);
        results.push(work(first));
        results.extend(
            handles
                .into_iter()
                .map(|handle| handle.join().expect("a worker thread does not panic")),
        );
        results
    })
}

/// A unit of reading: a range of one file.
pub type WorkUnit = (FileId, Range<usize>);

/// The ledger cut into at most `parallelism.threads` groups of about equal
/// size, each a run of whole files and file pieces in ledger order. Large
/// files are cut at header lines, so that every piece parses alone exactly as
/// it does within the whole file.
pub fn work_groups(sources: &SourceMap, parallelism: Parallelism) -> Vec<Vec<WorkUnit>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_pieces_cover_the_range() {
        assert_eq!(index_pieces(10, 3, 0), [0..4, 4..8, 8..10]);
        assert_eq!(index_pieces(10, 3, 11), Vec::from_iter(std::iter::once(0..10)));
        assert_eq!(index_pieces(0, 3, 0), Vec::from_iter(std::iter::once(0..0)));
    }

    #[test]
    fn pieces_cover_the_text_and_start_at_lines() {
        let text = b"aaaa\nbb\ncccccc\nd\n\neeee";
        for parts in 1..8 {
            let pieces = line_pieces(text, parts);
            assert_eq!(pieces.first().unwrap().start, 0);
            assert_eq!(pieces.last().unwrap().end, text.len());
            for pair in pieces.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
                assert_eq!(text[pair[1].start - 1], b'\n');
            }
        }
    }

    #[test]
    fn results_keep_the_order_of_the_items() {
        let squares = map((0..7).collect(), |n: u64| n * n);
        assert_eq!(squares, [0, 1, 4, 9, 16, 25, 36]);
    }

    #[test]
    fn groups_cut_at_header_lines() {
        let mut sources = SourceMap::new();
        let text = "party A X\n2025 A -> B T\n  format: f\n2025 A -> B U\n  format: f\n".repeat(200);
        sources.add(crate::source::SourceFile::new("t", None, text.clone()));
        let groups = work_groups(
            &sources,
            Parallelism {
                threads: 3,
                from_bytes: 0,
            },
        );
        assert!(groups.len() > 1);
        for (_, range) in groups.iter().flatten() {
            assert!(range.start == 0 || text.as_bytes()[range.start].is_ascii_alphanumeric());
        }
    }
}
