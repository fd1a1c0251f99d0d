//! "Did you mean": the nearest known name to a misspelt one.

/// The longest name, in characters, for which a suggestion is sought.
pub const MAX_LEN: usize = 64;

/// The candidate nearest to `unknown` by Levenshtein distance, if it is within
/// `max(2, len / 3)` edits and fewer than `len` (`len` in characters of
/// `unknown`): a suggestion keeps something of what was typed, so `3` does not
/// suggest `1`. A candidate that differs only in ASCII case comes first,
/// whatever the distance to others (`az` for `AZ` is the likeliest slip of
/// all). Ties go to the candidate that comes first, so callers pass
/// candidates in ledger order.
///
/// No suggestion is made for a name longer than [`MAX_LEN`] characters:
/// nobody mistypes one that long, and the distance costs the product of the
/// two lengths, so a file of huge ids would otherwise take quadratic time.
///
/// For many names against the same candidates, make one [`Suggester`].
pub fn nearest<'c>(unknown: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    Suggester::new(candidates).nearest(unknown)
}

/// The hint for a misspelt name, in the one wording every check uses.
pub fn did_you_mean<'c>(unknown: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    nearest(unknown, candidates).map(hint)
}

/// The words of a "did you mean" hint for `candidate`.
pub fn hint(candidate: &str) -> String {
    format!("did you mean `{candidate}`?")
}

/// The work, in cells of the distance table, that one [`Suggester`] spends
/// on all its names together: about a quarter of a second. A ledger that
/// misspells names by the thousand against thousands of declarations gets
/// hints for as many as fit (in the order asked), and then none, so that the
/// time to check it stays linear in its size.
pub const WORK_BUDGET: u64 = 256 << 20;

/// Candidates arranged for many lookups: grouped by length in characters,
/// since a candidate whose length differs by more than the limit cannot be
/// near, and indexed by their ASCII-lowercase form for the case rule.
pub struct Suggester<'c> {
    /// `by_length[n]`: the candidates of `n` characters, with their position
    /// among all candidates (for ties) and their [`letters`], in order.
    /// Longer candidates than any name that gets a suggestion can reach are
    /// left out.
    by_length: Vec<Vec<(usize, &'c str, u64)>>,
    /// The first two distinct candidates of each ASCII-lowercase form: the
    /// second is the answer when the name asked about is the first.
    folded: rustc_hash::FxHashMap<String, (&'c str, Option<&'c str>)>,
    /// Distance-table cells still to spend.
    budget: u64,
}

/// The longest candidate any name within [`MAX_LEN`] can be near to.
const MAX_CANDIDATE_LEN: usize = MAX_LEN + MAX_LEN / 3;

impl<'c> Suggester<'c> {
    pub fn new(candidates: impl IntoIterator<Item = &'c str>) -> Suggester<'c> {
        let mut by_length: Vec<Vec<(usize, &'c str, u64)>> = Vec::new();
        let mut folded = rustc_hash::FxHashMap::default();
        for (position, candidate) in candidates.into_iter().enumerate() {
            if candidate.len() > 4 * MAX_CANDIDATE_LEN {
                continue;
            }
            let same_but_case = folded
                .entry(candidate.to_ascii_lowercase())
                .or_insert((candidate, None));
            if same_but_case.0 != candidate && same_but_case.1.is_none() {
                same_but_case.1 = Some(candidate);
            }
            let length = candidate.chars().count();
            if length > MAX_CANDIDATE_LEN {
                continue;
            }
            if by_length.len() <= length {
                by_length.resize_with(length + 1, Vec::new);
            }
            by_length[length].push((position, candidate, letters(candidate.chars())));
        }
        Suggester {
            by_length,
            folded,
            budget: WORK_BUDGET,
        }
    }

    /// [`nearest`] among this suggester's candidates, or `None` once the
    /// work budget is spent.
    pub fn nearest(&mut self, unknown: &str) -> Option<&'c str> {
        // Bytes first: at most four per character, so this rules out a huge
        // name before a single character of it is counted.
        if unknown.len() > 4 * MAX_LEN {
            return None;
        }
        if let Some(&(first, second)) = self.folded.get(&unknown.to_ascii_lowercase()) {
            if first != unknown {
                return Some(first);
            }
            if let Some(second) = second {
                return Some(second);
            }
        }
        let unknown_chars: Vec<char> = unknown.chars().collect();
        let unknown_len = unknown_chars.len();
        if unknown_len > MAX_LEN {
            return None;
        }
        let limit = (unknown_len / 3).max(2).min(unknown_len.saturating_sub(1));
        // Only candidates whose length is within `limit` of the name's.
        let shortest = unknown_len.saturating_sub(limit);
        let buckets = self
            .by_length
            .iter()
            .skip(shortest)
            .take(unknown_len + limit + 1 - shortest);
        let unknown_letters = letters(unknown_chars.iter().copied());
        let mut best: Option<(usize, usize, &'c str)> = None;
        let mut row = Vec::with_capacity(unknown_len + 1);
        for bucket in buckets {
            for &(position, candidate, candidate_letters) in bucket {
                // Looking costs a little even when the letters rule it out,
                // so that many names against many candidates stay bounded.
                if self.budget == 0 {
                    return None;
                }
                self.budget -= 1;
                if candidate == unknown {
                    continue;
                }
                // Only a nearer candidate, or one as near that comes first,
                // can replace the best so far.
                let within = match best {
                    None => limit,
                    Some((distance, best_position, _)) if position < best_position => distance,
                    Some((distance, _, _)) => match distance.checked_sub(1) {
                        Some(within) => within,
                        None => continue,
                    },
                };
                // One edit changes which letters a name has in at most two
                // places, so names whose letters differ in more than twice
                // `within` places are too far apart: most are, and this costs
                // one instruction instead of a table.
                if (unknown_letters ^ candidate_letters).count_ones() as usize > 2 * within {
                    continue;
                }
                // The most this comparison can cost: a comparison is never
                // begun that the budget could not finish.
                if self.budget < (unknown_len * MAX_CANDIDATE_LEN) as u64 {
                    return None;
                }
                let (distance, cells) = levenshtein_within(&unknown_chars, candidate, within, &mut row);
                self.budget -= cells;
                if let Some(distance) = distance {
                    best = Some((distance, position, candidate));
                }
            }
        }
        best.map(|(_, _, candidate)| candidate)
    }
}

/// Which letters a name has, each character hashed to one of 64 bits.
fn letters(name: impl Iterator<Item = char>) -> u64 {
    name.fold(0, |set, c| set | 1 << (u32::from(c) % 64))
}

/// The Levenshtein distance (in characters) from `from` to `to`, if it is
/// at most `limit`, and the number of cells of the table it computed. A
/// ledger with thousands of unknown names compares each with every declared
/// id of its kind, so this stops as soon as a whole row of the table exceeds
/// `limit`, and reuses `row` instead of allocating.
fn levenshtein_within(from: &[char], to: &str, limit: usize, row: &mut Vec<usize>) -> (Option<usize>, u64) {
    // row[i]: the distance from from[..i] to the prefix of `to` read so far.
    row.clear();
    row.extend(0..=from.len());
    let cells = |rows: usize| (rows * from.len()) as u64;
    let mut to_len = 0;
    for (j, to_char) in to.chars().enumerate() {
        to_len = j + 1;
        let mut diagonal = row[0];
        row[0] = j + 1;
        let mut row_min = row[0];
        for (i, &from_char) in from.iter().enumerate() {
            let substitution = diagonal + usize::from(from_char != to_char);
            diagonal = row[i + 1];
            let cell = substitution.min(diagonal + 1).min(row[i] + 1);
            row[i + 1] = cell;
            row_min = row_min.min(cell);
        }
        // Every later cell is at least the smallest of this row.
        if row_min > limit {
            return (None, cells(j + 1));
        }
    }
    let distance = row[from.len()];
    ((distance <= limit).then_some(distance), cells(to_len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_within_the_limit() {
        let ids = ["rusif-huseynov", "farhad-mammadov"];
        assert_eq!(nearest("rusif-huseinov", ids), Some("rusif-huseynov"));
        assert_eq!(nearest("zaur-shiriyev", ids), None);
    }

    #[test]
    fn short_names_allow_two_edits() {
        assert_eq!(nearest("AX", ["AM", "AZ"]), Some("AM"));
        assert_eq!(nearest("XYZ", ["AM"]), None);
        assert_eq!(nearest("org", ["org"]), None, "an exact match is not a suggestion");
    }

    #[test]
    fn a_suggestion_keeps_something_of_what_was_typed() {
        assert_eq!(nearest("3", ["1", "1.5", "2"]), None);
        assert_eq!(nearest("AX", ["AM"]), Some("AM"));
    }

    #[test]
    fn a_difference_of_case_comes_first() {
        assert_eq!(nearest("az", ["AM", "AZ"]), Some("AZ"));
        assert_eq!(
            nearest("Rusif-Huseynov", ["rusif-huseinov", "rusif-huseynov"]),
            Some("rusif-huseynov")
        );
    }

    #[test]
    fn ties_go_to_the_first_candidate() {
        assert_eq!(nearest("AB", ["AC", "AD"]), Some("AC"));
    }

    #[test]
    fn ties_go_to_the_first_candidate_whatever_its_length() {
        // `abcde` and `abce` are both one edit from `abcd`; the first wins
        // though the other's length is looked at first.
        assert_eq!(nearest("abcd", ["abcde", "abce"]), Some("abcde"));
        assert_eq!(nearest("abcd", ["abce", "abcde"]), Some("abce"));
    }

    #[test]
    fn a_suggester_stops_suggesting_when_its_budget_is_spent() {
        let mut suggester = Suggester::new(["rusif-huseynov", "farhad-mammadov"]);
        assert_eq!(suggester.nearest("rusif-huseinov"), Some("rusif-huseynov"));
        suggester.budget = 10;
        assert_eq!(suggester.nearest("farhad-mamadov"), None);
        // The case rule costs nothing and still holds.
        assert_eq!(suggester.nearest("Farhad-Mammadov"), Some("farhad-mammadov"));
    }

    #[test]
    fn the_bounded_distance_agrees_with_strsim() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "kitten",
            "sitting",
            "rusif-huseynov",
            "rusif-huseinov",
            "farhad-mammadov",
            "Ermənistan",
            "Հայաստան",
            "Հայաստաn",
            "topchubashov",
            "topcubashov",
            "AM",
            "AZ",
            "gov-am",
            "gov-az",
        ];
        let mut row = Vec::new();
        for from in words {
            let from_chars: Vec<char> = from.chars().collect();
            for to in words {
                let exact = strsim::levenshtein(from, to);
                for limit in 0..8 {
                    let expected = (exact <= limit).then_some(exact);
                    assert_eq!(
                        levenshtein_within(&from_chars, to, limit, &mut row).0,
                        expected,
                        "{from} -> {to} within {limit}"
                    );
                }
            }
        }
    }

    #[test]
    fn no_suggestion_for_a_name_beyond_the_limit() {
        let declared = "a".repeat(MAX_LEN);
        let typo = format!("{}b", "a".repeat(MAX_LEN - 1));
        assert_eq!(nearest(&typo, [declared.as_str()]), Some(declared.as_str()));
        let long = format!("{declared}b");
        assert_eq!(nearest(&long, [declared.as_str()]), None);
        // A huge name is dismissed at once, however many candidates there are.
        let huge = "x".repeat(60_000);
        let candidates: Vec<String> = (0..100).map(|index| format!("{huge}{index}")).collect();
        assert_eq!(nearest(&huge, candidates.iter().map(String::as_str)), None);
    }

    #[test]
    fn the_limit_grows_with_length() {
        // 12 characters allow 4 edits.
        assert_eq!(nearest("abcdefghijkl", ["abcdefghwxyz"]), Some("abcdefghwxyz"));
        assert_eq!(nearest("abcdefghijkl", ["abcdefgvwxyz"]), None);
    }

    #[test]
    fn a_name_among_the_candidates_is_offered_its_other_case() {
        assert_eq!(nearest("B", ["B", "b"]), Some("b"));
        assert_eq!(nearest("b", ["B", "b"]), Some("B"));
    }

    /// The rule of [`nearest`] written the slow, obvious way.
    fn nearest_by_hand<'c>(unknown: &str, candidates: &[&'c str]) -> Option<&'c str> {
        if let Some(same) = candidates
            .iter()
            .find(|c| **c != unknown && c.eq_ignore_ascii_case(unknown))
        {
            return Some(same);
        }
        let length = unknown.chars().count();
        if length > MAX_LEN {
            return None;
        }
        let limit = (length / 3).max(2).min(length.saturating_sub(1));
        let mut best: Option<(usize, &str)> = None;
        for candidate in candidates.iter().copied().filter(|c| *c != unknown) {
            let distance = strsim::levenshtein(unknown, candidate);
            if distance <= limit && best.is_none_or(|(nearest, _)| distance < nearest) {
                best = Some((distance, candidate));
            }
        }
        best.map(|(_, candidate)| candidate)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn the_suggester_agrees_with_the_rule_written_by_hand(
            unknown in "[abcAB-]{0,9}",
            candidates in proptest::collection::vec("[abcAB-]{0,9}", 0..12),
        ) {
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(nearest(&unknown, candidates.iter().copied()), nearest_by_hand(&unknown, &candidates));
        }
    }
}
