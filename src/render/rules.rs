//! What each diagnostic code means, as GRAMMAR.md §5.4 documents it, for the
//! outputs that describe their rules (SARIF's `tool.driver.rules`).
//!
//! The specification is the one place a code is described: its table is
//! read here, from the copy of GRAMMAR.md built into the library, rather
//! than written out a second time in the code where the two could drift.
//! `diagnostic.rs`'s tests already hold that every code has its row.

use crate::diagnostic::Code;

const GRAMMAR: &str = include_str!("../../grammar/GRAMMAR.md");

/// Where the rules are documented, for people following a link from a tool.
pub const DOCUMENTATION_URL: &str = concat!(
    env!("CARGO_PKG_REPOSITORY"),
    "/blob/main/grammar/GRAMMAR.md#54-severity-and-codes"
);

/// One code's documentation, in GRAMMAR.md's Markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: Code,
    /// When the code is raised: the table's "raised when" cell, or the first
    /// sentence of §5.3's rule where the cell refers to it.
    pub summary: String,
    /// The whole rule: §5.3's text where the table refers to it, else the
    /// summary.
    pub description: String,
    /// What the diagnostic's span covers, from the second table of §5.4.
    pub points_at: Option<String>,
}

/// Every code's rule, in the order of [`Code::ALL`].
pub fn rules() -> Vec<Rule> {
    let codes_section = section("### 5.4");
    let consistency = section("### 5.3");
    Code::ALL
        .iter()
        .map(|&code| {
            let name = code.as_str();
            let summary = codes_section
                .iter()
                .filter_map(|line| table_cells(line))
                .find(|cells| cells.len() == 3 && cells[0] == format!("`{name}`"))
                .map_or_else(|| name.to_owned(), |cells| cells[2].to_owned());
            // A row that refers to §5.3 is summed up by the first sentence
            // of the rule there: a summary has to stand on its own.
            let (summary, description) = match consistency_rule(&consistency, name) {
                Some(rule) if summary.starts_with("see 5.3") => {
                    let first = rule.split_once(". ").map_or(rule.as_str(), |(first, _)| first);
                    (first.trim_end_matches('.').to_owned(), rule.clone())
                }
                _ => (summary.clone(), summary),
            };
            let points_at = codes_section
                .iter()
                .filter_map(|line| table_cells(line))
                .filter(|cells| cells.len() == 2)
                .find_map(|cells| span_of(cells[0], cells[1], name));
            Rule {
                code,
                summary,
                description,
                points_at,
            }
        })
        .collect()
}

/// Markdown of the specification as plain text: without the backticks.
pub fn plain(markdown: &str) -> String {
    markdown.replace('`', "")
}

/// The lines of the section whose heading starts with `heading`, up to the
/// next heading.
fn section(heading: &str) -> Vec<&'static str> {
    GRAMMAR
        .lines()
        .skip_while(|line| !line.starts_with(heading))
        .skip(1)
        .take_while(|line| !line.starts_with('#'))
        .collect()
}

/// The cells of a Markdown table row, trimmed; `None` for other lines.
fn table_cells(line: &str) -> Option<Vec<&str>> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    Some(inner.split('|').map(str::trim).collect())
}

/// From a row of the span table: `place` (and the code's own note) if
/// `codes` lists `code`, or a pattern such as `undeclared-*` that covers it.
fn span_of(place: &str, codes: &str, code: &str) -> Option<String> {
    split_top_level(codes).into_iter().find_map(|item| {
        let item = item.trim();
        let listed = item.strip_prefix('`')?;
        let (listed, note) = listed.split_once('`')?;
        let covers = match listed.strip_suffix('*') {
            Some(prefix) => code.starts_with(prefix),
            None => listed == code,
        };
        if !covers {
            return None;
        }
        let note = note.trim();
        Some(if note.is_empty() {
            place.to_owned()
        } else {
            format!("{place} {note}")
        })
    })
}

/// `text` split at the commas that are not inside parentheses.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (index, character) in text.char_indices() {
        match character {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items
}

/// §5.3's text for `code`: from just after "`code` (severity):" or
/// "`code`:" to where the next code's text starts, or the bullet ends.
fn consistency_rule(lines: &[&str], code: &str) -> Option<String> {
    // Bullets are "- " lines with their indented continuation lines.
    let mut bullets: Vec<String> = Vec::new();
    for line in lines {
        if let Some(start) = line.strip_prefix("- ") {
            bullets.push(start.to_owned());
        } else if let (Some(bullet), false) = (bullets.last_mut(), line.trim().is_empty()) {
            bullet.push(' ');
            bullet.push_str(line.trim());
        }
    }
    let starts = |bullet: &str, name: &str| -> Option<(usize, usize)> {
        ["` (warning):", "` (error):", "`:"].iter().find_map(|ending| {
            let pattern = format!("`{name}{ending}");
            bullet.find(&pattern).map(|at| (at, at + pattern.len()))
        })
    };
    bullets.iter().find_map(|bullet| {
        let (_, text_start) = starts(bullet, code)?;
        let text_end = Code::ALL
            .iter()
            .filter_map(|other| starts(bullet, other.as_str()))
            .map(|(at, _)| at)
            .filter(|&at| at > text_start)
            .min()
            .unwrap_or(bullet.len());
        Some(bullet[text_start..text_end].trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(code: Code) -> Rule {
        rules().into_iter().find(|rule| rule.code == code).unwrap()
    }

    #[test]
    fn every_code_has_a_description_and_a_place() {
        for rule in rules() {
            assert_ne!(rule.summary, rule.code.as_str(), "{} has no row", rule.code);
            assert!(!rule.summary.starts_with("see "), "{}: {}", rule.code, rule.summary);
            assert!(
                !rule.description.starts_with("see "),
                "{}: {}",
                rule.code,
                rule.description
            );
            assert!(rule.points_at.is_some(), "{} is in no row of the span table", rule.code);
        }
    }

    #[test]
    fn rows_are_read_as_written() {
        let undeclared = rule(Code::UndeclaredPerson);
        assert_eq!(undeclared.summary, "a reference to a person never declared");
        assert_eq!(
            undeclared.points_at.as_deref(),
            Some("the id, value or list item at fault (a party in a direction is its id in the header)")
        );
        let empty = rule(Code::EmptyListItem);
        assert_eq!(
            empty.points_at.as_deref(),
            Some("an empty span where text is missing (just after the comma before it, or the value's start)")
        );
    }

    #[test]
    fn references_to_the_consistency_rules_are_followed() {
        let held = rule(Code::HeldInFuture);
        assert_eq!(
            held.summary,
            "status `held` and the first possible day of the date is after the as-of date"
        );
        assert!(held.description.starts_with("status `held` and the first possible day"));
        assert!(!held.description.contains("planned-in-past"), "{}", held.description);
        let planned = rule(Code::PlannedInPast);
        assert!(
            planned.description.starts_with("status `planned`"),
            "{}",
            planned.description
        );
        assert!(
            rule(Code::InvalidReciprocation)
                .description
                .starts_with("`reciprocates: X` holds only")
        );
    }

    #[test]
    fn the_link_points_at_the_repository() {
        assert!(DOCUMENTATION_URL.starts_with("https://github.com/"));
    }
}
