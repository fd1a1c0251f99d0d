//! Which engagements a report counts: the `--since`, `--from`, `--status` …
//! options, checked against the ledger before use.

use chrono::NaiveDate;

use crate::model::{Destination, Engagement, FormatIndex, OrgIndex, PartyIndex, SeriesIndex, Status, Track};
use crate::privacy::View;
use crate::suggest;

/// The options as the user wrote them; ids are resolved by [`Filter::resolve`].
#[derive(Clone, Debug, Default)]
pub struct FilterSpec {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub format: Option<String>,
    pub track: Option<Track>,
    pub sponsor: Option<String>,
    pub series: Option<String>,
    pub tag: Option<String>,
    /// Empty means every status.
    pub statuses: Vec<Status>,
}

/// A filter whose ids name declarations of this ledger.
#[derive(Clone, Debug, Default)]
pub struct Filter<'a> {
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
    from: Option<PartyIndex>,
    to: Option<Destination>,
    format: Option<FormatIndex>,
    track: Option<Track>,
    sponsor: Option<OrgIndex>,
    series: Option<SeriesIndex>,
    tag: Option<&'a str>,
    statuses: Vec<Status>,
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
    name: Option<&str>,
    items: &'l [T],
    id: impl Fn(&'l T) -> &'l str,
    shown: impl Fn(usize) -> bool,
) -> Result<Option<u32>, UnknownName> {
    let Some(name) = name else { return Ok(None) };
    let known = || items.iter().enumerate().filter(|(index, _)| shown(*index));
    match known().find(|(_, item)| id(item) == name) {
        Some((index, _)) => Ok(Some(index as u32)),
        None => Err(UnknownName {
            option,
            name: name.to_owned(),
            suggestion: suggest::nearest(name, known().map(|(_, item)| id(item))).map(str::to_owned),
        }),
    }
}

impl<'a> Filter<'a> {
    /// Resolves the ids of `spec` among those `view` may name. A tag needs
    /// no declaration: any tag is accepted, and one that no engagement has
    /// matches nothing.
    pub fn resolve(spec: &FilterSpec, view: &View<'_, 'a>) -> Result<Filter<'a>, UnknownName> {
        let ledger = view.ledger;
        let every = |_| true;
        let tag = spec.tag.as_deref().map(|tag| {
            ledger
                .engagements()
                .flat_map(|engagement| engagement.tags())
                .find(|known| *known == tag)
                .unwrap_or("\0no such tag")
        });
        let to = match spec.to.as_deref() {
            Some("online") => Some(Destination::Online),
            Some("?") => Some(Destination::Unknown),
            other => {
                find("to", other, &ledger.parties, |p| p.id, every)?.map(|index| Destination::Party(PartyIndex(index)))
            }
        };
        Ok(Filter {
            since: spec.since,
            until: spec.until,
            from: find("from", spec.from.as_deref(), &ledger.parties, |p| p.id, every)?.map(PartyIndex),
            to,
            format: find("format", spec.format.as_deref(), &ledger.formats, |f| f.id, every)?.map(FormatIndex),
            track: spec.track,
            sponsor: find(
                "sponsor",
                spec.sponsor.as_deref(),
                &ledger.orgs,
                |o| o.id,
                |org| view.is_org_disclosed(OrgIndex(org as u32)),
            )?
            .map(OrgIndex),
            series: find("series", spec.series.as_deref(), &ledger.series, |s| s.id, every)?.map(SeriesIndex),
            tag,
            statuses: spec.statuses.clone(),
        })
    }

    pub fn since(&self) -> Option<NaiveDate> {
        self.since
    }

    pub fn until(&self) -> Option<NaiveDate> {
        self.until
    }

    /// Whether `engagement` passes every option. Dates overlap: an engagement
    /// counts when any day it could mean lies within `--since..--until`.
    pub fn matches(&self, engagement: Engagement<'_, '_>) -> bool {
        engagement.date().overlaps(self.since, self.until)
            && self.from.is_none_or(|party| engagement.origin().contains(&party))
            && self.to.is_none_or(|to| engagement.destination() == to)
            && self.format.is_none_or(|format| engagement.format() == Some(format))
            && self.track.is_none_or(|track| engagement.track() == track)
            && self.sponsor.is_none_or(|org| engagement.sponsors().contains(&org))
            && self.series.is_none_or(|series| engagement.series() == Some(series))
            && self.tag.is_none_or(|tag| engagement.tags().any(|known| known == tag))
            && (self.statuses.is_empty() || self.statuses.contains(&engagement.status()))
    }
}
