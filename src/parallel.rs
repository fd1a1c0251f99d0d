//! Doing one job on every core: the few places where a large ledger is cut
//! into pieces that are worked on side by side, and how it is cut.

use std::ops::Range;

/// The most threads any job uses.
const MAX_THREADS: usize = 8;

/// Below this many bytes work stays on one thread: starting more costs more
/// than they save.
pub const PARALLEL_FROM: usize = 512 << 10;

/// How many threads to use: one per core the process may run on.
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
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

/// `work` applied to every piece, each on its own thread, results in order.
pub fn map_pieces<T: Send>(pieces: Vec<Range<usize>>, work: impl Fn(Range<usize>) -> T + Sync) -> Vec<T> {
    if pieces.len() <= 1 {
        return pieces.into_iter().map(work).collect();
    }
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .into_iter()
            .map(|piece| scope.spawn(move || work(piece)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a worker thread does not panic"))
            .collect()
    })
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
}
