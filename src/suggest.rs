//! "Did you mean": the nearest known name to a misspelt one.

/// The longest name, in characters, for which a suggestion is sought.
pub const MAX_LEN: usize = 64;

/// The candidate nearest to `unknown` by Levenshtein distance, if it is within
/// `max(2, len / 3)` edits and fewer than `len` (`len` in characters of
/// `unknown`): a suggestion keeps something of what was typed, so `3` does not
/// suggest `1`. Ties go to the candidate that comes first, so callers pass
/// candidates in ledger order.
///
/// No suggestion is made for a name longer than [`MAX_LEN`] characters:
/// nobody mistypes one that long, and the distance costs the product of the
/// two lengths, so a file of huge ids would otherwise take quadratic time.
pub fn nearest<'c>(unknown: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    // Bytes first: at most four per character, so this rules out a huge
    // name before a single character of it is counted.
    if unknown.len() > 4 * MAX_LEN {
        return None;
    }
    let candidates: Vec<&'c str> = candidates.into_iter().collect();
    // `az` for `AZ` is the likeliest slip of all, whatever the distance to
    // other ids of two letters.
    if let Some(same) = candidates
        .iter()
        .find(|candidate| **candidate != unknown && candidate.eq_ignore_ascii_case(unknown))
    {
        return Some(same);
    }
    let unknown_chars: Vec<char> = unknown.chars().collect();
    let unknown_len = unknown_chars.len();
    if unknown_len > MAX_LEN {
        return None;
    }
    let limit = (unknown_len / 3).max(2).min(unknown_len.saturating_sub(1));
    let mut best: Option<(usize, &str)> = None;
    let mut row = Vec::with_capacity(unknown_len + 1);
    for candidate in candidates {
        // The distance is at least the difference in length: skip the
        // quadratic comparison when that alone rules the candidate out.
        let candidate_len = candidate.chars().count();
        if candidate_len.abs_diff(unknown_len) > limit || candidate == unknown {
            continue;
        }
        // Only a candidate nearer than the best so far can replace it, so
        // ties go to the first.
        let within = best.map_or(limit, |(best_distance, _)| best_distance.saturating_sub(1));
        if let Some(distance) = levenshtein_within(&unknown_chars, candidate, within, &mut row) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The Levenshtein distance (in characters) from `from` to `to`, if it is
/// at most `limit`. A ledger with thousands of unknown names compares each
/// with every declared id of its kind, so this stops as soon as a whole row
/// of the table exceeds `limit`, and reuses `row` instead of allocating.
fn levenshtein_within(from: &[char], to: &str, limit: usize, row: &mut Vec<usize>) -> Option<usize> {
    // row[i]: the distance from from[..i] to the prefix of `to` read so far.
    row.clear();
    row.extend(0..=from.len());
    for (j, to_char) in to.chars().enumerate() {
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
            return None;
        }
    }
    let distance = row[from.len()];
    (distance <= limit).then_some(distance)
}

/// The hint for a misspelt name, in the one wording every check uses.
pub fn did_you_mean<'c>(unknown: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    nearest(unknown, candidates).map(|candidate| format!("did you mean `{candidate}`?"))
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
                        levenshtein_within(&from_chars, to, limit, &mut row),
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
        let started = std::time::Instant::now();
        assert_eq!(nearest(&huge, candidates.iter().map(String::as_str)), None);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn the_limit_grows_with_length() {
        // 12 characters allow 4 edits.
        assert_eq!(nearest("abcdefghijkl", ["abcdefghwxyz"]), Some("abcdefghwxyz"));
        assert_eq!(nearest("abcdefghijkl", ["abcdefgvwxyz"]), None);
    }
}
