//! Hover: on an id, what it names (the declaration's name, party, org,
//! role and aliases) and how many engagements use it; on an engagement's
//! header, its date in words and its direction.

use std::collections::HashSet;

use chrono::Datelike;
use lsp_server::ResponseError;
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::convert;
use super::navigation::{Occurrence, occurrence_at};
use super::session::Session;
use super::snapshot::LedgerSnapshot;
use crate::date::DateSpec;
use crate::index::{BlockContent, Namespace};
use crate::model::{Destination, Engagement, EngagementIndex, Ledger};
use crate::syntax::DeclarationKind;

pub fn hover(session: &Session, params: HoverParams) -> Result<Option<Hover>, ResponseError> {
    let at = params.text_document_position_params;
    let Some(context) = session.context(&at.text_document.uri) else {
        return Ok(None);
    };
    let Some((snapshot, file)) = context.analysed else {
        return Ok(None);
    };
    let source = snapshot.source(file);
    let offset = convert::offset(source, at.position, context.encoding);
    let index = snapshot.index();
    let (text, span) = if let Some(occurrence) = occurrence_at(index, file, offset) {
        (describe(snapshot, &occurrence), occurrence.location.span)
    } else {
        // Anywhere else on an engagement's header line: the engagement.
        let Some(block) = index.block_at(file, offset) else {
            return Ok(None);
        };
        let BlockContent::Engagement(Some(engagement)) = block.content else {
            return Ok(None);
        };
        let line = super::text::line_at(source.text(), block.location.span.start as usize);
        if offset > line.end {
            return Ok(None);
        }
        let ledger = &snapshot.analysis().ledger;
        let span = crate::source::Span::new(line.start, line.end);
        (engagement_summary(ledger, ledger.engagement(engagement)), span)
    };
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(convert::range(source, span, context.encoding)),
    }))
}

fn describe(snapshot: &LedgerSnapshot, occurrence: &Occurrence) -> String {
    let ledger = &snapshot.analysis().ledger;
    let index = snapshot.index();
    let written = snapshot.loaded().sources.slice(occurrence.location);
    let Some(symbol) = occurrence.symbol else {
        return match occurrence.namespace {
            Namespace::Declaration(kind) => format!("undeclared {} `{written}`", kind.keyword()),
            _ => format!("no engagement has the id `{written}`"),
        };
    };
    let engagements: HashSet<EngagementIndex> = index
        .references(symbol)
        .filter_map(|reference| reference.engagement)
        .collect();
    let used = match engagements.len() {
        0 => "Used in no engagement.".to_owned(),
        1 => "Used in 1 engagement.".to_owned(),
        many => format!("Used in {many} engagements."),
    };
    let at = symbol.index as usize;
    let party = |party: Option<crate::model::PartyIndex>| {
        party.map(|party| {
            let party = ledger.party(party);
            format!("`{}` ({})", party.id, markdown(party.name))
        })
    };
    let mut lines: Vec<String> = Vec::new();
    match symbol.namespace {
        Namespace::Declaration(DeclarationKind::Party) => {
            let declared = &ledger.parties[at];
            lines.push(format!("**{}** · party `{}`", markdown(declared.name), declared.id));
            lines.push(used);
        }
        Namespace::Declaration(DeclarationKind::Org) => {
            let declared = &ledger.orgs[at];
            lines.push(format!("**{}** · org `{}`", markdown(declared.name), declared.id));
            let facts: Vec<String> = [
                party(declared.party).map(|party| format!("party: {party}")),
                declared.kind.map(|kind| format!("kind: {kind}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !facts.is_empty() {
                lines.push(facts.join(" · "));
            }
            lines.push(used);
        }
        Namespace::Declaration(DeclarationKind::Person) => {
            let declared = &ledger.persons[at];
            lines.push(format!("**{}** · person `{}`", markdown(declared.name), declared.id));
            let facts: Vec<String> = [
                party(declared.party).map(|party| format!("party: {party}")),
                declared.org.map(|org| {
                    let org = ledger.org(org);
                    format!("org: `{}` ({})", org.id, markdown(org.name))
                }),
                declared.role.map(|role| format!("role: {}", markdown(role))),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !facts.is_empty() {
                lines.push(facts.join(" · "));
            }
            if !declared.aliases.is_empty() {
                let aliases: Vec<String> = declared.aliases.iter().map(|alias| markdown(alias)).collect();
                lines.push(format!("also known as: {}", aliases.join(", ")));
            }
            if declared.private {
                lines.push("private: kept out of public outputs".to_owned());
            }
            lines.push(used);
        }
        Namespace::Declaration(kind @ (DeclarationKind::Format | DeclarationKind::Series)) => {
            let declared = if kind == DeclarationKind::Format {
                &ledger.formats[at]
            } else {
                &ledger.series[at]
            };
            lines.push(format!(
                "**{}** · {} `{}`",
                markdown(declared.name),
                kind.keyword(),
                declared.id
            ));
            lines.push(used);
        }
        Namespace::Engagement => {
            if at < ledger.engagement_count() {
                lines.push(engagement_summary(
                    ledger,
                    ledger.engagement(EngagementIndex(at as u32)),
                ));
            }
            let reciprocated = index.references(symbol).count();
            if reciprocated > 0 {
                lines.push(format!("Named by {reciprocated} `reciprocates:`."));
            }
        }
        Namespace::Tag => {
            lines.push(format!("tag `{}`", index.tag(symbol.index)));
            lines.push(used);
        }
    }
    lines.join("\n\n")
}

/// The engagement's title, its date in words and its direction.
fn engagement_summary(ledger: &Ledger<'_>, engagement: Engagement<'_, '_>) -> String {
    let id = engagement.id().map_or(String::new(), |id| format!(" · `{id}`"));
    format!(
        "**{}**{id}\n\n{}\n\n{}",
        markdown(engagement.title()),
        date_in_words(engagement.date()),
        direction_in_words(ledger, engagement)
    )
}

/// `Tuesday 21 October 2025`, `21–22 October 2025 (2 days)`, `October 2025
/// (the day is not recorded)`.
pub fn date_in_words(date: DateSpec) -> String {
    match date {
        DateSpec::Day(day) => day.format("%A %-d %B %Y").to_string(),
        DateSpec::Range(start, end) => {
            let days = (end - start).num_days() + 1;
            let first = if start.year() != end.year() {
                start.format("%-d %B %Y – ")
            } else if start.month() != end.month() {
                start.format("%-d %B – ")
            } else {
                start.format("%-d–")
            };
            format!("{first}{} ({days} days)", end.format("%-d %B %Y"))
        }
        DateSpec::Month { .. } => format!("{} (the day is not recorded)", date.first_day().format("%B %Y")),
        DateSpec::Year(year) => format!("{year} (the month is not recorded)"),
    }
}

/// `AZ → AM: from Azerbaijan to Armenia`.
fn direction_in_words(ledger: &Ledger<'_>, engagement: Engagement<'_, '_>) -> String {
    let origin: Vec<&str> = engagement
        .origin()
        .iter()
        .map(|&party| ledger.party(party).id)
        .collect();
    let names: Vec<String> = engagement
        .origin()
        .iter()
        .map(|&party| markdown(ledger.party(party).name))
        .collect();
    let from = match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    let destination = engagement.destination();
    let (to, words) = match destination {
        Destination::Party(host) => {
            let host = ledger.party(host);
            (host.id, format!("from {from} to {}", markdown(host.name)))
        }
        Destination::Online => ("online", format!("{from}, online")),
        Destination::Unknown => ("?", format!("from {from}, the host not fixed yet")),
    };
    format!("`{} → {to}`: {words}", origin.join(" + "))
}

/// Text from the ledger, shown as Markdown: its punctuation escaped, so
/// that a name with `_` or `*` is shown as written.
fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_in_words() {
        assert_eq!(
            date_in_words(DateSpec::Day(day("2025-10-21"))),
            "Tuesday 21 October 2025"
        );
        assert_eq!(
            date_in_words(DateSpec::Range(day("2025-10-21"), day("2025-10-22"))),
            "21–22 October 2025 (2 days)"
        );
        assert_eq!(
            date_in_words(DateSpec::Range(day("2025-10-30"), day("2025-11-02"))),
            "30 October – 2 November 2025 (4 days)"
        );
        assert_eq!(
            date_in_words(DateSpec::Range(day("2025-12-30"), day("2026-01-02"))),
            "30 December 2025 – 2 January 2026 (4 days)"
        );
        assert_eq!(
            date_in_words(DateSpec::Month { year: 2025, month: 9 }),
            "September 2025 (the day is not recorded)"
        );
        assert_eq!(date_in_words(DateSpec::Year(2025)), "2025 (the month is not recorded)");
    }

    #[test]
    fn ledger_text_is_shown_as_written() {
        assert_eq!(markdown("Q&A *live* [1]"), "Q\\&A \\*live\\* \\[1\\]");
        assert_eq!(markdown("Հայաստան"), "Հայաստան");
    }
}
