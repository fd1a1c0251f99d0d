//! Headers: the first line of a block, read into its parts. A declaration
//! (`person ID Name`), an engagement (`DATE FROM -> TO Title`) and an include
//! (`include "path"`); each fault gets its own message at its own place.

use nom::bytes::complete::{tag, take_till, take_while1};
use nom::character::complete::char;
use nom::combinator::recognize;
use nom::sequence::preceded;
use nom::{IResult, Parser as _};
use rustc_hash::FxHashSet;
use smallvec::SmallVec;

use super::{Parser, State, blanks0, id, is_blank, is_id, token};
use crate::date::{DateError, DateSpec};
use crate::diagnostic::Code;
use crate::source::Span;
use crate::syntax::{DeclarationHeader, DeclarationKind, EngagementHeader, Header, Host, Include};

impl<'t> Parser<'t, '_> {
    pub(super) fn declaration_header(&mut self, kind: DeclarationKind, keyword: &'t str, rest: &'t str) -> Header {
        let keyword = self.span(keyword);
        let after_keyword = rest.trim_start_matches(is_blank);
        let (id, after_id) = token(after_keyword);
        if id.is_empty() {
            let point = self.end_of_content(rest);
            self.error(
                Code::InvalidId,
                point,
                format!("expected an id after `{}`", kind.keyword()),
            )
            .help = Some(format!("declare as `{} ID Display name`", kind.keyword()));
            return Header::Invalid;
        }
        let id_span = self.span(id);
        if !is_id(id) {
            self.error(Code::InvalidId, id_span, format!("`{id}` is not an id"))
                .help = Some("ids start with a letter and go on with letters, digits, `.`, `_` or `-`".into());
            return Header::Invalid;
        }
        if kind == DeclarationKind::Party && id == "online" {
            self.error(Code::ReservedId, id_span, "`online` cannot be a party id")
                .help = Some("`-> online` means a meeting held online; choose another id".into());
            return Header::Invalid;
        }
        let name = after_id.trim_matches(is_blank);
        let name = if name.is_empty() {
            let point = self.end_of_content(after_id);
            self.error(
                Code::MissingName,
                point,
                format!("the {} `{id}` has no name", kind.keyword()),
            )
            .help = Some(format!(
                "write the display name after the id: `{} {id} Display name`",
                kind.keyword()
            ));
            point
        } else {
            self.span(name)
        };
        Header::Declaration(DeclarationHeader {
            kind,
            keyword,
            id: id_span,
            name,
        })
    }

    pub(super) fn include(&mut self, line: &'t str, rest: &'t str) {
        let quoted = (
            take_while1(is_blank),
            recognize((char('"'), take_till(|c| c == '"'), char('"'))),
            blanks0,
        )
            .parse(rest);
        let line_span = self.span(line.trim_end_matches(is_blank));
        match quoted {
            Ok(("", (_, quoted, _))) if quoted.len() > 2 => {
                let quoted_span = self.span(quoted);
                let path = Span::new(quoted_span.start as usize + 1, quoted_span.end as usize - 1);
                self.sink.include(&Include {
                    line: line_span,
                    path,
                    quoted: quoted_span,
                });
                self.emitted = true;
                self.last_was_blank = false;
                self.state = State::AfterInclude;
            }
            _ => {
                self.error(
                    Code::MalformedInclude,
                    line_span,
                    "an include must be `include \"PATH\"`",
                )
                .help = Some("the path is quoted and relative to this file's directory".into());
                // Fields under a broken include are not reported again.
                self.open_block(Header::Invalid, line);
            }
        }
    }

    pub(super) fn engagement_header(&mut self, line: &'t str) -> Header {
        let (date, after_date) = token(line);
        let date_span = self.span(date);
        if let Some(after_range) = self.spaced_dash_range(date, after_date) {
            return self.after_date(date_span, None, after_range);
        }
        let date_value = match DateSpec::parse(date) {
            Ok(value) => Some(value),
            Err(error) => {
                let code = match error {
                    DateError::Reversed => Code::ReversedDateRange,
                    _ => Code::InvalidDate,
                };
                // A bad day within a range is pointed at, not the whole range.
                let span = error.part().map_or(date_span, |part| {
                    Span::new(
                        date_span.start as usize + part.start,
                        date_span.start as usize + part.end,
                    )
                });
                let help = match error {
                    DateError::DashedRange => Some("write the range as `2025-10-21..2025-10-22`"),
                    _ => None,
                };
                self.error(code, span, format!("`{date}`: {}", error.describe())).help = help.map(str::to_owned);
                None
            }
        };
        self.after_date(date_span, date_value, after_date)
    }

    /// `2025-10-21 – 2025-10-22`: a range written with a dash between
    /// blanks, which would otherwise read as a broken direction. Reported
    /// as the date it is meant to be; returns the rest of the line.
    fn spaced_dash_range(&mut self, date: &'t str, after_date: &'t str) -> Option<&'t str> {
        let rest = after_date.trim_start_matches(is_blank);
        let dash = ["–", "—", "-"]
            .into_iter()
            .find(|dash| rest.starts_with(dash) && !rest.starts_with("->"))?;
        let after_dash = &rest[dash.len()..];
        let (end, after_range) = token(after_dash.trim_start_matches(is_blank));
        let both_days = matches!(DateSpec::parse(date), Ok(DateSpec::Day(_)))
            && matches!(DateSpec::parse(end), Ok(DateSpec::Day(_)));
        if !both_days || after_dash.len() == after_dash.trim_start_matches(is_blank).len() && dash == "-" {
            return None;
        }
        let span = self.span(date).to(self.span(end));
        self.error(
            Code::InvalidDate,
            span,
            format!("`{}`: {}", &self.text[span.range()], DateError::DashedRange.describe()),
        )
        .help = Some(format!("write the range as `{date}..{end}`"));
        Some(after_range)
    }

    /// The rest of an engagement header, after its date.
    fn after_date(&mut self, date_span: Span, date_value: Option<DateSpec>, after_date: &'t str) -> Header {
        let direction = after_date.trim_start_matches(is_blank);
        let (origin, destination, after_direction) = match self.direction(direction) {
            Ok(parsed) => parsed,
            Err(()) => return Header::Invalid,
        };
        let title = after_direction.trim_matches(is_blank);
        let title = if title.is_empty() {
            let point = self.end_of_content(after_direction);
            self.error(Code::MissingTitle, point, "the engagement has no title")
                .help = Some("write a title after the direction: `DATE FROM -> TO Title`".into());
            point
        } else {
            self.span(title)
        };
        Header::Engagement(EngagementHeader {
            date: date_span,
            date_value,
            origin,
            destination,
            title,
        })
    }

    /// Reads `FROM -> TO` and reports the first thing wrong with it.
    #[allow(clippy::type_complexity)]
    fn direction(&mut self, input: &'t str) -> Result<(SmallVec<[Span; 2]>, Host, &'t str), ()> {
        let start = self.offset(input);
        let fail = |parser: &mut Self, at: &str, message: &str| {
            let (bad, _) = token(at);
            let end = parser.offset(at) + bad.len().max(1).min(at.len());
            let span = Span::new(start, end.max(start));
            parser
                .error(
                    Code::MalformedDirection,
                    span,
                    format!("malformed direction: {message}"),
                )
                .help =
                Some("write the direction as `FROM -> TO`, e.g. `AZ -> AM`, `AM + AZ -> NL`, `AM -> online` or `AM + AZ -> ?`".into());
            Err(())
        };
        let Ok((mut rest, first)) = id(input) else {
            if input.starts_with('?') {
                return fail(
                    self,
                    input,
                    "the visiting side must be known; `?` stands only for a host not yet fixed",
                );
            }
            return fail(self, input, "expected the id of the visiting party");
        };
        let mut origin: SmallVec<[Span; 2]> = smallvec::smallvec![self.span(first)];
        loop {
            let plus: IResult<&str, &str> = preceded(blanks0, tag("+")).parse(rest);
            let Ok((after_plus, _)) = plus else { break };
            let after_plus = after_plus.trim_start_matches(is_blank);
            let Ok((after_party, party)) = id(after_plus) else {
                return fail(self, after_plus, "expected a party id after `+`");
            };
            origin.push(self.span(party));
            rest = after_party;
        }
        let arrow: IResult<&str, &str> = preceded(blanks0, tag("->")).parse(rest);
        let Ok((after_arrow, _)) = arrow else {
            let at = rest.trim_start_matches(is_blank);
            return fail(self, at, "expected `->` after the visiting party");
        };
        let after_arrow = after_arrow.trim_start_matches(is_blank);
        let unknown_host = after_arrow.strip_prefix('?').map(|after| (after, &after_arrow[..1]));
        let Some((after_destination, destination)) = unknown_host.or_else(|| id(after_arrow).ok()) else {
            return fail(
                self,
                after_arrow,
                "expected the id of the host party, `online`, or `?` for a host not yet fixed, after `->`",
            );
        };
        if !(after_destination.is_empty() || after_destination.starts_with(is_blank)) {
            return fail(
                self,
                after_destination,
                "expected a blank and the title after the host party",
            );
        }
        if after_destination.trim_start_matches(is_blank).starts_with('+') {
            return fail(
                self,
                after_destination.trim_start_matches(is_blank),
                "the host side is one party; only the visiting side may join parties with `+`",
            );
        }
        let destination_span = self.span(destination);
        let destination = match destination {
            "online" => Host::Online(destination_span),
            "?" => Host::Unknown(destination_span),
            _ => Host::Party(destination_span),
        };
        self.check_direction_parties(&origin, destination);
        Ok((origin, destination, after_destination))
    }

    fn check_direction_parties(&mut self, origin: &[Span], destination: Host) {
        let text = self.text;
        // A scan of the parties before each one for the usual two or three;
        // a set for a direction of many, where the scan would be quadratic.
        // The set is filled only then (an empty one does not allocate): one
        // per header would cost every engagement an allocation.
        let many = origin.len() > FEW_PARTIES;
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        for (index, &party) in origin.iter().enumerate() {
            let name = &text[party.range()];
            let repeated = if many {
                !seen.insert(name)
            } else {
                origin[..index].iter().any(|&earlier| &text[earlier.range()] == name)
            };
            if repeated {
                self.error(
                    Code::RepeatedOriginParty,
                    party,
                    format!("`{name}` is named twice on the visiting side"),
                )
                .help = Some("name each party once".into());
            }
        }
        if let Host::Party(host) = destination {
            let name = &text[host.range()];
            let visiting = if many {
                seen.contains(name)
            } else {
                origin.iter().any(|&party| &text[party.range()] == name)
            };
            if visiting {
                self.error(
                    Code::DestinationInOrigin,
                    host,
                    format!("`{name}` is both a visiting and the host party"),
                )
                .help = Some("a meeting on one party's ground has that party as host only, e.g. `AZ -> AM`".into());
            }
        }
    }
}

/// Up to how many visiting parties a direction is checked by scanning.
const FEW_PARTIES: usize = 8;

#[cfg(test)]
mod tests {
    use super::super::tests::{codes, only_block, parse_text};
    use crate::diagnostic::Code;
    use crate::source::Span;
    use crate::syntax::{Header, Host};

    #[test]
    fn parses_an_engagement_header_without_blanks() {
        let text = "2025-10 AM+AZ->NL Talks in The Hague #3\n";
        let (document, diagnostics) = parse_text(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let Header::Engagement(header) = &only_block(&document).header else {
            panic!()
        };
        let origin: Vec<_> = header.origin.iter().map(|s| &text[s.range()]).collect();
        assert_eq!(origin, ["AM", "AZ"]);
        assert_eq!(header.destination, Host::Party(Span::new(15, 17)));
        assert_eq!(&text[header.title.range()], "Talks in The Hague #3");
    }

    #[test]
    fn online_is_a_destination() {
        let (document, _) = parse_text("2025 AM -> online Webinar\n");
        let Header::Engagement(header) = &only_block(&document).header else {
            panic!()
        };
        assert!(matches!(header.destination, Host::Online(_)));
    }

    #[test]
    fn a_range_written_with_a_dash_is_one_date_error() {
        let (document, diagnostics) = parse_text("2025-10-21 – 2025-10-22 AZ -> AM Talks\n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, Code::InvalidDate);
        assert_eq!(diagnostics[0].location.span, Span::new(0, 25));
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("write the range as `2025-10-21..2025-10-22`")
        );
        // The rest of the header is still read.
        let Header::Engagement(header) = &only_block(&document).header else {
            panic!()
        };
        assert_eq!(header.origin.len(), 1);
        assert_eq!(codes("2025-10-21–2025-10-22 AZ -> AM T\n"), [(0, "invalid-date")]);
    }

    #[test]
    fn a_bad_day_in_a_range_is_pointed_at() {
        let (_, diagnostics) = parse_text("2025-11-01..2025-11-31 AZ -> AM T\n");
        assert_eq!(diagnostics[0].location.span, Span::new(12, 22));
        assert!(
            diagnostics[0].message.contains("November 2025 has 30 days"),
            "{}",
            diagnostics[0].message
        );
    }

    #[test]
    fn a_host_not_yet_fixed_is_a_question_mark() {
        let (document, diagnostics) = parse_text("2026 AM + AZ -> ? Third round\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let Header::Engagement(header) = &only_block(&document).header else {
            panic!()
        };
        assert_eq!(header.destination, Host::Unknown(Span::new(16, 17)));
        assert_eq!(codes("2026 ? -> AM T\n"), [(5, "malformed-direction")]);
        assert_eq!(codes("2026 AM -> ? + AZ T\n"), [(5, "malformed-direction")]);
        assert_eq!(codes("2026 AM -> ?x T\n"), [(5, "malformed-direction")]);
    }

    #[test]
    fn direction_errors() {
        assert_eq!(codes("2025 AM AZ Title\n"), [(5, "malformed-direction")]);
        // `Title` is read as the host party, so the title is what is missing.
        assert_eq!(codes("2025 AM -> Title\n"), [(16, "missing-title")]);
        assert_eq!(codes("2025 AM -> \n"), [(5, "malformed-direction")]);
        assert_eq!(codes("2025 AM + -> AZ T\n"), [(5, "malformed-direction")]);
        assert_eq!(codes("2025 AM -> AZ, T\n"), [(5, "malformed-direction")]);
        assert_eq!(codes("2025 AM -> AZ + NL T\n"), [(5, "malformed-direction")]);
        assert_eq!(codes("2025 AM + AM -> AZ T\n"), [(10, "repeated-origin-party")]);
        assert_eq!(codes("2025 AM + AZ -> AZ T\n"), [(16, "destination-in-origin")]);
    }

    #[test]
    fn date_errors_keep_the_engagement() {
        let text = "2025-02-30 AM -> AZ T\n  format: x\n";
        let (document, diagnostics) = parse_text(text);
        assert_eq!(diagnostics[0].code, Code::InvalidDate);
        let Header::Engagement(header) = &only_block(&document).header else {
            panic!()
        };
        assert_eq!(header.date_value, None);
        assert_eq!(
            codes("2025-10-22..2025-10-21 AM -> AZ T\n"),
            [(0, "reversed-date-range")]
        );
    }

    #[test]
    fn includes() {
        let text = "include \"a b.track2\"\n  x: y\ninclude a.track2\n";
        let (document, diagnostics) = parse_text(text);
        let include = document.includes().next().unwrap();
        assert_eq!(&text[include.path.range()], "a b.track2");
        let found: Vec<_> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(found, ["field-outside-block", "malformed-include"]);
        assert_eq!(codes("include \"\"\n"), [(0, "malformed-include")]);
        assert_eq!(codes("include\n"), [(0, "malformed-include")]);
    }

    #[test]
    fn reserved_online() {
        assert_eq!(codes("party online Online\n"), [(6, "reserved-id")]);
    }
}
