//! "Did you mean": the nearest known name to a misspelt one.

/// The candidate nearest to `unknown` by Levenshtein distance, if it is within
/// `max(2, len / 3)` edits and fewer than `len` (`len` in characters of
/// `unknown`): a suggestion keeps something of what was typed, so `3` does not
/// suggest `1`. Ties go to the candidate that comes first, so callers pass
/// candidates in ledger order.
pub fn nearest<'c>(unknown: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let unknown_len = unknown.chars().count();
    let limit = (unknown_len / 3).max(2).min(unknown_len.saturating_sub(1));
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        // The distance is at least the difference in length: skip the
        // quadratic comparison when that alone rules the candidate out.
        let candidate_len = candidate.chars().count();
        if candidate_len.abs_diff(unknown_len) > limit || candidate == unknown {
            continue;
        }
        let distance = strsim::levenshtein(unknown, candidate);
        if distance <= limit && best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
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
    fn ties_go_to_the_first_candidate() {
        assert_eq!(nearest("AB", ["AC", "AD"]), Some("AC"));
    }

    #[test]
    fn the_limit_grows_with_length() {
        // 12 characters allow 4 edits.
        assert_eq!(nearest("abcdefghijkl", ["abcdefghwxyz"]), Some("abcdefghwxyz"));
        assert_eq!(nearest("abcdefghijkl", ["abcdefgvwxyz"]), None);
    }
}
