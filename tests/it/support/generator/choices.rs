//! Where the generator's choices come from: a seeded PRNG, or a tape of
//! bytes that proptest draws and shrinks.
//!
//! Every choice is a number in `0..n`, and the generator lists its options
//! plainest first, so that 0 is always the plainest: no optional field, the
//! first party, a one-space blank, LF. A tape past its end answers 0, and
//! proptest shrinks a tape towards zeros, so a failing case shrinks towards
//! the plainest ledger that still fails.

use std::cell::Cell;
use std::rc::Rc;

/// A source of choices. Cheap to split into another stream (see
/// [`Choices::split`]).
pub enum Choices {
    Seeded(Rng),
    Tape(Tape),
}

impl Choices {
    /// A PRNG stream fixed by `seed` on every platform.
    pub fn seeded(seed: u64) -> Choices {
        Choices::Seeded(Rng(seed))
    }

    /// Choices read from `bytes`; 0 past their end.
    pub fn tape(bytes: &[u8]) -> Choices {
        Choices::Tape(Tape {
            bytes: bytes.into(),
            at: Rc::new(Cell::new(0)),
        })
    }

    /// Another stream, for a part of the ledger whose choices should not
    /// shift when another part's do. A PRNG seeds a new one from itself; a
    /// tape goes on reading where it is, sharing its place with this one, so
    /// that every byte of the tape is read once, in the order of use.
    pub fn split(&mut self) -> Choices {
        match self {
            Choices::Seeded(rng) => Choices::Seeded(Rng(rng.next_u64())),
            Choices::Tape(tape) => Choices::Tape(Tape {
                bytes: Rc::clone(&tape.bytes),
                at: Rc::clone(&tape.at),
            }),
        }
    }

    /// A number in `0..n`; `n` must not be 0.
    pub fn below(&mut self, n: usize) -> usize {
        match self {
            Choices::Seeded(rng) => rng.below(n),
            Choices::Tape(tape) => tape.below(n),
        }
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True about `per_mille` times in a thousand; false is the plainer
    /// answer. Never (0) and always (1000) cost no choice.
    pub fn chance(&mut self, per_mille: usize) -> bool {
        if per_mille == 0 || per_mille >= 1000 {
            return per_mille >= 1000;
        }
        match self {
            // As the generator has always drawn it: the seeded ledgers of
            // BENCHMARKS.md depend on this sequence.
            Choices::Seeded(rng) => rng.below(1000) < per_mille,
            // One byte, so a tape goes far; 0 is false.
            Choices::Tape(tape) => {
                let byte = tape.next_byte() as usize;
                255 - byte < (per_mille * 256).div_ceil(1000)
            }
        }
    }

    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }

    /// A random order of `items`; the identity when every choice is 0.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in 1..items.len() {
            let other = index - self.below(index + 1);
            items.swap(index, other);
        }
    }
}

/// splitmix64: tiny, fast, and good enough to make text look varied.
pub struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// Bytes read in order, shared by every stream split from one tape.
pub struct Tape {
    bytes: Rc<[u8]>,
    at: Rc<Cell<usize>>,
}

impl Tape {
    fn next_byte(&mut self) -> u8 {
        let at = self.at.get();
        self.at.set(at + 1);
        self.bytes.get(at).copied().unwrap_or(0)
    }

    /// As many bytes as `n` needs, little-endian, modulo `n`. A choice with
    /// one option reads nothing.
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "a choice among no options");
        if n == 1 {
            return 0;
        }
        let bytes = match n {
            0..=256 => 1,
            257..=65_536 => 2,
            _ => 4,
        };
        let mut value = 0usize;
        for index in 0..bytes {
            value |= (self.next_byte() as usize) << (8 * index);
        }
        value % n
    }
}
