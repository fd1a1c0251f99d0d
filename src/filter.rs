//! Which engagements a report counts: the `--since`, `--from`, `--status` …
//! options, checked against the ledger before use.
//!
//! Every option but the dates repeats, meaning any of the values given
//! (`--track 1 --track 2`), and has an exclusion form that drops
//! engagements with any of its values (`--exclude-track 1`).

use std::borrow::Cow;

use serde::Serialize;

use crate::date::DateSpec;
use crate::model::{
    Confidentiality, Destination, Engagement, FormatIndex, Ledger, OrgIndex, Participant, PartyIndex, PersonIndex,
    SeriesIndex, Status, Track,
};
use crate::privacy::View;
use crate::suggest;

/// The options as the user wrote them; ids are resolved by [`Filter::resolve`].
#[derive(Clone, Debug, Default)]
pub struct FilterSpec {
    /// A day, a month or a year: from its first day.
    pub since: Option<DateSpec>,
    /// A day, a month or a year: to its last day.
    pub until: Option<DateSpec>,
    pub from: Vec<String>,
    pub exclude_from: Vec<String>,
    pub to: Vec<String>,
    pub exclude_to: Vec<String>,
    pub format: Vec<String>,
    pub exclude_format: Vec<String>,
    pub track: Vec<Track>,
    pub exclude_track: Vec<Track>,
    pub sponsor: Vec<String>,
    pub exclude_sponsor: Vec<String>,
    pub series: Vec<String>,
    pub exclude_series: Vec<String>,
    pub tag: Vec<String>,
    pub exclude_tag: Vec<String>,
    /// Engagements where the person is a participant or among those met.
    pub person: Vec<String>,
    pub exclude_person: Vec<String>,
    /// Empty means every status.
    pub statuses: Vec<Status>,
    pub exclude_statuses: Vec<Status>,
}

/// Values an engagement must have one of (none given: any), and values it
/// must have none of.
#[derive(Clone, Debug, Serialize)]
pub struct Choice<T> {
    pub any_of: Vec<T>,
    pub none_of: Vec<T>,
}

// By hand: a derived `Default` would ask it of `T` too.
impl<T> Default for Choice<T> {
    fn default() -> Choice<T> {
        Choice {
            any_of: Vec::new(),
            none_of: Vec::new(),
        }
    }
}

impl<T> Choice<T> {
    /// Whether an engagement that `has` some values passes.
    fn admits(&self, has: impl Fn(&T) -> bool) -> bool {
        (self.any_of.is_empty() || self.any_of.iter().any(&has)) && !self.none_of.iter().any(&has)
    }

    fn is_empty(&self) -> bool {
        self.any_of.is_empty() && self.none_of.is_empty()
    }

    fn map<U>(&self, f: impl Fn(&T) -> U) -> Choice<U> {
        Choice {
            any_of: self.any_of.iter().map(&f).collect(),
            none_of: self.none_of.iter().map(&f).collect(),
        }
    }
}

/// A filter whose ids name declarations of this ledger.
#[derive(Clone, Debug, Default)]
pub struct Filter<'a> {
    since: Option<DateSpec>,
    until: Option<DateSpec>,
    from: Choice<PartyIndex>,
    to: Choice<Destination>,
    format: Choice<FormatIndex>,
    track: Choice<Track>,
    sponsor: Choice<OrgIndex>,
    series: Choice<SeriesIndex>,
    /// As the ledger writes it, or as typed when no engagement has it.
    tag: Choice<Cow<'a, str>>,
    person: Choice<PersonIndex>,
    status: Choice<Status>,
    /// Whether people may be found where the view does not name them.
    reveal: bool,
}

/// An option naming something the ledger does not declare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    pub option: &'static str,
    pub name: String,
    pub suggestion: Option<String>,
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "--{}: the ledger declares no `{}`", self.option, self.name)?;
        if let Some(suggestion) = &self.suggestion {
            write!(formatter, "; did you mean `{suggestion}`?")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownName {}

/// The place of the item named `name` among those `shown` lets an output
/// name. An item the output may not name is unknown, and never suggested:
/// accepting it, or offering it as "did you mean", would tell that it exists.
fn find<'l, T>(
    option: &'static str,
    name: &str,
    items: &'l [T],
    id: impl Fn(&'l T) -> &'l str,
    shown: impl Fn(usize) -> bool,
) -> Result<u32, UnknownName> {
    let known = || items.iter().enumerate().filter(|(index, _)| shown(*index));
    match known().find(|(_, item)| id(item) == name) {
        Some((index, _)) => Ok(index as u32),
        None => Err(UnknownName {
            option,
            name: name.to_owned(),
            suggestion: suggest::nearest(name, known().map(|(_, item)| id(item))).map(str::to_owned),
        }),
    }
}

/// [`find`] for every name of an option and of its exclusion form.
fn find_all<'l, T, I>(
    option: (&'static str, &'static str),
    names: (&[String], &[String]),
    items: &'l [T],
    id: impl Fn(&'l T) -> &'l str + Copy,
    shown: impl Fn(usize) -> bool + Copy,
    index: impl Fn(u32) -> I + Copy,
) -> Result<Choice<I>, UnknownName> {
    let resolve = |option, names: &[String]| {
        names
            .iter()
            .map(|name| find(option, name, items, id, shown).map(index))
            .collect::<Result<Vec<I>, UnknownName>>()
    };
    Ok(Choice {
        any_of: resolve(option.0, names.0)?,
        none_of: resolve(option.1, names.1)?,
    })
}

impl<'a> Filter<'a> {
    /// Resolves the ids of `spec` among those `view` may name. A tag needs
    /// no declaration: any tag is accepted, and one that no engagement has
    /// matches nothing. A person resolves only if the view discloses them.
    pub fn resolve(spec: &FilterSpec, view: &View<'_, 'a>) -> Result<Filter<'a>, UnknownName> {
        let ledger = view.ledger;
        let every = |_| true;
        let tag = |tag: &String| -> Cow<'a, str> {
            match ledger
                .engagements()
                .flat_map(|engagement| engagement.tags())
                .find(|known| known == tag)
            {
                Some(known) => Cow::Borrowed(known),
                None => Cow::Owned(tag.clone()),
            }
        };
        let destination = |option, name: &String| match name.as_str() {
            "online" => Ok(Destination::Online),
            "?" => Ok(Destination::Unknown),
            name => {
                find(option, name, &ledger.parties, |p| p.id, every).map(|index| Destination::Party(PartyIndex(index)))
            }
        };
        let destinations = |option, names: &[String]| -> Result<Vec<Destination>, UnknownName> {
            names.iter().map(|name| destination(option, name)).collect()
        };
        Ok(Filter {
            since: spec.since,
            until: spec.until,
            from: find_all(
                ("from", "exclude-from"),
                (&spec.from, &spec.exclude_from),
                &ledger.parties,
                |p| p.id,
                every,
                PartyIndex,
            )?,
            to: Choice {
                any_of: destinations("to", &spec.to)?,
                none_of: destinations("exclude-to", &spec.exclude_to)?,
            },
            format: find_all(
                ("format", "exclude-format"),
                (&spec.format, &spec.exclude_format),
                &ledger.formats,
                |f| f.id,
                every,
                FormatIndex,
            )?,
            track: Choice {
                any_of: spec.track.clone(),
                none_of: spec.exclude_track.clone(),
            },
            sponsor: find_all(
                ("sponsor", "exclude-sponsor"),
                (&spec.sponsor, &spec.exclude_sponsor),
                &ledger.orgs,
                |o| o.id,
                |org| view.is_org_disclosed(OrgIndex(org as u32)),
                OrgIndex,
            )?,
            series: find_all(
                ("series", "exclude-series"),
                (&spec.series, &spec.exclude_series),
                &ledger.series,
                |s| s.id,
                every,
                SeriesIndex,
            )?,
            tag: Choice {
                any_of: spec.tag.iter().map(tag).collect(),
                none_of: spec.exclude_tag.iter().map(tag).collect(),
            },
            person: find_all(
                ("person", "exclude-person"),
                (&spec.person, &spec.exclude_person),
                &ledger.persons,
                |p| p.id,
                |person| view.is_person_disclosed(PersonIndex(person as u32)),
                PersonIndex,
            )?,
            status: Choice {
                any_of: spec.statuses.clone(),
                none_of: spec.exclude_statuses.clone(),
            },
            reveal: view.reveal,
        })
    }

    /// The first day `--since` allows.
    pub fn since(&self) -> Option<chrono::NaiveDate> {
        self.since.map(DateSpec::first_day)
    }

    /// The last day `--until` allows.
    pub fn until(&self) -> Option<chrono::NaiveDate> {
        self.until.map(DateSpec::last_day)
    }

    /// Whether `engagement` passes every option. Dates overlap: an engagement
    /// counts when any day it could mean lies within `--since..--until`.
    pub fn matches(&self, engagement: Engagement<'_, '_>) -> bool {
        engagement.date().overlaps(self.since(), self.until())
            && self.from.admits(|party| engagement.origin().contains(party))
            && self.to.admits(|to| engagement.destination() == *to)
            && self.format.admits(|format| engagement.format() == Some(*format))
            && self.track.admits(|track| engagement.track() == *track)
            && self.sponsor.admits(|org| engagement.sponsors().contains(org))
            && self.series.admits(|series| engagement.series() == Some(*series))
            && self.tag.admits(|tag| engagement.tags().any(|known| known == tag))
            && self.person.admits(|&person| self.names(engagement, person))
            && self.status.admits(|status| engagement.status() == *status)
    }

    /// Whether `engagement` names `person`, as a participant or among those
    /// met, where an output may say so: a Chatham House engagement names
    /// nobody, so finding a person there would tell that they came.
    fn names(&self, engagement: Engagement<'_, '_>, person: PersonIndex) -> bool {
        (self.reveal || engagement.confidential() != Some(Confidentiality::ChathamHouse))
            && (engagement.participants().any(|p| p == Participant::Person(person))
                || engagement.met().contains(&person))
    }

    /// The filters in force, in words for a caption and as ids for JSON.
    pub fn describe(&self, ledger: &Ledger<'_>) -> Described {
        let party = |party: &PartyIndex| ledger.party(*party).id.to_owned();
        let destination = |to: &Destination| ledger.destination_id(*to).to_owned();
        let format = |format: &FormatIndex| ledger.format(*format).id.to_owned();
        let org = |org: &OrgIndex| ledger.org(*org).id.to_owned();
        let series = |series: &SeriesIndex| ledger.series_of(*series).id.to_owned();
        let person = |person: &PersonIndex| ledger.person(*person).id.to_owned();
        let mut words = Vec::new();
        match (self.since, self.until) {
            (Some(since), Some(until)) if since == until => words.push(since.to_string()),
            (Some(since), Some(until)) => words.push(format!("{} – {}", since, until)),
            (Some(since), None) => words.push(format!("since {since}")),
            (None, Some(until)) => words.push(format!("until {until}")),
            (None, None) => {}
        }
        let mut say = |noun: &str, choice: Choice<String>| {
            if !choice.any_of.is_empty() {
                words.push(format!("{noun} {}", either(&choice.any_of)));
            }
            if !choice.none_of.is_empty() {
                words.push(format!("not {noun} {}", either(&choice.none_of)));
            }
        };
        let names = |choice: &Choice<String>, name: &dyn Fn(&str) -> String| choice.map(|id| name(id));
        let from = self.from.map(party);
        let to = self.to.map(destination);
        let formats = self.format.map(format);
        let tracks = self.track.map(|track| track.as_str().to_owned());
        let sponsors = self.sponsor.map(org);
        let series_ids = self.series.map(series);
        let tags = self.tag.map(|tag| tag.to_string());
        let people = self.person.map(person);
        say("from", from.clone());
        say("to", to.clone());
        say(
            "format",
            names(&formats, &|id| {
                label_name(id, ledger.formats.iter().map(|f| (f.id, f.name)))
            }),
        );
        say("track", tracks.clone());
        say(
            "sponsored by",
            names(&sponsors, &|id| {
                label_name(id, ledger.orgs.iter().map(|o| (o.id, o.name)))
            }),
        );
        say(
            "series",
            names(&series_ids, &|id| {
                label_name(id, ledger.series.iter().map(|s| (s.id, s.name)))
            }),
        );
        say("tagged", tags.clone());
        say(
            "with",
            names(&people, &|id| {
                label_name(id, ledger.persons.iter().map(|p| (p.id, p.name)))
            }),
        );
        let statuses = self.status.map(|status| status.as_str().to_owned());
        let noun = if statuses.any_of.is_empty() {
            "Engagements".to_owned()
        } else {
            let mut noun = format!("{} engagements", both(&statuses.any_of));
            noun[..1].make_ascii_uppercase();
            noun
        };
        if !statuses.none_of.is_empty() {
            words.push(format!("not {}", either(&statuses.none_of)));
        }
        Described {
            noun,
            words,
            since: self.since.map(|date| date.to_string()),
            until: self.until.map(|date| date.to_string()),
            from,
            to,
            format: formats,
            track: tracks,
            sponsor: sponsors,
            series: series_ids,
            tag: tags,
            person: people,
            status: statuses,
        }
    }

    /// Whether any option but the status is in force.
    pub fn narrows(&self) -> bool {
        self.since.is_some()
            || self.until.is_some()
            || !(self.from.is_empty()
                && self.to.is_empty()
                && self.format.is_empty()
                && self.track.is_empty()
                && self.sponsor.is_empty()
                && self.series.is_empty()
                && self.tag.is_empty()
                && self.person.is_empty())
    }
}

/// The display name of the declaration `id` among `labels` (id, name).
fn label_name<'n>(id: &str, mut labels: impl Iterator<Item = (&'n str, &'n str)>) -> String {
    labels
        .find(|(known, _)| *known == id)
        .map_or_else(|| id.to_owned(), |(_, name)| name.to_owned())
}

/// `a`, `a or b`, `a, b or c`.
fn either(values: &[String]) -> String {
    joined(values, " or ")
}

/// `a`, `a and b`, `a, b and c`.
fn both(values: &[String]) -> String {
    joined(values, " and ")
}

fn joined(values: &[String], last: &str) -> String {
    match values {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., final_value] => format!("{}{last}{final_value}", rest.join(", ")),
    }
}

/// The filters in force: as words, for a caption (`Held engagements`,
/// `2025-09 – 2025-11`, `track 1.5`, `not track 1`), and as the ids and
/// dates given, for JSON.
#[derive(Clone, Debug, Serialize)]
pub struct Described {
    /// What is counted: `Held engagements`, `Engagements`.
    #[serde(skip)]
    pub noun: String,
    /// Each filter but the status's choice, in words.
    #[serde(skip)]
    pub words: Vec<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub from: Choice<String>,
    pub to: Choice<String>,
    pub format: Choice<String>,
    pub track: Choice<String>,
    pub sponsor: Choice<String>,
    pub series: Choice<String>,
    pub tag: Choice<String>,
    pub person: Choice<String>,
    pub status: Choice<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        let values = |values: &[&str]| values.iter().map(|value| (*value).to_owned()).collect::<Vec<_>>();
        assert_eq!(either(&values(&["1"])), "1");
        assert_eq!(either(&values(&["1", "2"])), "1 or 2");
        assert_eq!(
            both(&values(&["held", "planned", "postponed"])),
            "held, planned and postponed"
        );
    }

    #[test]
    fn a_choice_admits_any_of_and_none_of() {
        let choice = Choice {
            any_of: vec![1, 2],
            none_of: vec![3],
        };
        assert!(choice.admits(|&value| value == 1));
        assert!(!choice.admits(|&value| value == 4));
        assert!(!choice.admits(|&value| value == 1 || value == 3));
        let none: Choice<i32> = Choice::default();
        assert!(none.admits(|_| false));
    }
}
