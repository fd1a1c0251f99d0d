//! Engagements: each decided in full (a [`Plan`]), then made a block with
//! its injected fault, if any, marked where it will be reported.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::{Datelike, NaiveDate};

use super::choices::Choices;
use super::faults::Fault;
use super::layout::{Block, Field, Header, Mark};
use super::shape::Profile;
use super::vocabulary::{FORMATS, NOTES, OUTLETS, TAGS, TOPICS, first_date, last_date, slug};
use super::world::{AWKWARD, World, custom_fields};

pub enum Participant {
    Person(usize),
    Count(usize, usize),
}

/// How public an engagement is (README, "Confidential records").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secrecy {
    Public,
    ChathamHouse,
    /// `confidential: private`, or an embargo not over on the as-of day:
    /// absent from every public output.
    Withheld,
}

/// One engagement, decided in full before it is written.
#[derive(Default)]
pub struct Plan {
    pub date: String,
    /// Days from the common era of the first possible day.
    pub first_day: i32,
    pub origin: Vec<usize>,
    /// `None` for `online`.
    pub destination: Option<usize>,
    pub title: String,
    pub id: Option<String>,
    /// Index into `World::formats`.
    pub format: usize,
    pub track: Option<&'static str>,
    pub series: Option<usize>,
    pub reciprocates: Option<String>,
    pub status: Option<&'static str>,
    pub confidential: Option<&'static str>,
    pub embargo: Option<String>,
    pub venue: Option<String>,
    pub sponsors: Vec<usize>,
    pub participants: Vec<Participant>,
    pub met: Vec<usize>,
    pub sources: Vec<String>,
    pub notes: Vec<String>,
    pub tags: Vec<&'static str>,
    pub extra: Vec<Field>,
    /// A comment line inside the block, before the fields.
    pub inner_comment: Option<&'static str>,
    /// The distinctive tokens of its texts (title, id, venue, notes), in
    /// the small shape: what no public output may show of a withheld one.
    pub tokens: Vec<String>,
}

impl Plan {
    pub fn is_bilateral(&self) -> bool {
        self.origin.len() == 1 && self.destination.is_some()
    }

    /// Whether public outputs show it, and name its people, on the as-of
    /// day: embargoes of the bilateral and regional shapes all end after it;
    /// the small shape's `2025-12` is over.
    pub fn secrecy(&self) -> Secrecy {
        let embargoed = self.embargo.as_deref().is_some_and(|embargo| embargo != EMBARGO_OVER);
        match self.confidential {
            Some("private") => Secrecy::Withheld,
            _ if embargoed => Secrecy::Withheld,
            Some("chatham-house") => Secrecy::ChathamHouse,
            _ => Secrecy::Public,
        }
    }
}

/// An embargo that ended before the as-of day of every generated ledger.
const EMBARGO_OVER: &str = "2025-12";

pub struct Engagements<'w> {
    pub choices: Choices,
    pub profile: &'static Profile,
    pub world: &'w mut World,
    pub entries: usize,
    /// Hashes of (date, origin, destination, title), to keep engagements
    /// from being `duplicate-engagement`s of one another.
    pub keys: HashSet<u64>,
    /// The last bilateral visit with an id per (origin, destination), and
    /// its first day: what a visit the other way may reciprocate.
    pub last_visit: HashMap<(usize, usize), (String, i32)>,
    pub last_id: Option<String>,
}

/// `n` distinct items of `pool`, or fewer when the pool is smaller.
fn distinct<T: Copy + PartialEq>(choices: &mut Choices, pool: &[T], n: usize) -> Vec<T> {
    let mut chosen = Vec::with_capacity(n);
    for _ in 0..n.min(pool.len()) * 3 {
        if chosen.len() == n.min(pool.len()) {
            break;
        }
        let item = *choices.pick(pool);
        if !chosen.contains(&item) {
            chosen.push(item);
        }
    }
    chosen
}

impl Engagements<'_> {
    /// Decides engagement `index`, with `fault` in it if given.
    pub fn plan(&mut self, index: usize, fault: Option<Fault>) -> Plan {
        let profile = self.profile;
        let tokens = profile.tokens;
        let choices = &mut self.choices;
        let parties = self.world.parties;
        let mut plan = Plan::default();
        let (start, end) = (first_date(profile.first_year), last_date());
        let span = (end - start).num_days() as u64;
        let offset = if self.entries > 1 {
            index as u64 * span / (self.entries as u64 - 1)
        } else {
            0
        };
        let day = start + chrono::Days::new(offset);

        // Who went where, and under which title.
        let in_series = fault != Some(Fault::UndeclaredParty)
            && parties.len() > 1
            && !self.world.series.is_empty()
            && choices.chance(profile.in_series);
        let topic = *choices.pick(TOPICS);
        if in_series {
            let which = choices.below(self.world.series.len());
            let series = &mut self.world.series[which];
            series.rounds += 1;
            let (a, b) = series.sides;
            let (from, to) = if series.rounds % 2 == 1 { (a, b) } else { (b, a) };
            plan.origin = vec![from];
            plan.destination = Some(to);
            plan.format = series.format;
            plan.series = Some(which);
            plan.title = format!("{}, round {}", series.name, series.rounds);
        } else {
            let shape = if fault == Some(Fault::UndeclaredParty) {
                0
            } else {
                choices.below(100)
            };
            let count = parties.len();
            let first = choices.below(count);
            let second = match count {
                1 => first,
                _ => (first + 1 + choices.below(count - 1)) % count,
            };
            match shape {
                _ if count == 1 => {
                    plan.origin = vec![first];
                    plan.destination = None;
                }
                shape if shape < profile.bilateral_until => {
                    plan.origin = vec![first];
                    plan.destination = Some(second);
                }
                shape if shape < profile.joint_until && count > 2 => {
                    if profile.joint_largest == 2 {
                        let third = (0..count)
                            .map(|step| (second + 1 + step) % count)
                            .find(|&party| party != first && party != second)
                            .expect("three parties");
                        plan.origin = vec![first, second];
                        plan.destination = Some(third);
                    } else {
                        let size = choices.between(2, profile.joint_largest.min(count - 1));
                        let mut origin = vec![first];
                        while origin.len() <= size {
                            let rest: Vec<usize> = (0..count).filter(|party| !origin.contains(party)).collect();
                            origin.push(*choices.pick(&rest));
                        }
                        // The last party drawn hosts the others.
                        plan.destination = origin.pop();
                        plan.origin = origin;
                    }
                }
                _ => {
                    plan.origin = if choices.chance(profile.online_pair) {
                        vec![first, second]
                    } else {
                        vec![first]
                    };
                    plan.origin.dedup();
                    plan.destination = None;
                }
            }
            let formats = &self.world.formats;
            plan.format = match plan.destination {
                None => match formats.iter().position(|&f| FORMATS[f].0 == "webinar") {
                    Some(webinar) => webinar,
                    None => choices.below(formats.len()),
                },
                Some(_) => choices.below(formats.len()),
            };
            let noun = FORMATS[formats[plan.format]].2;
            plan.title = match (plan.destination, choices.below(3)) {
                (None, _) => format!("{noun} on {topic} (online)"),
                (Some(to), 0) => format!("{noun} on {topic} in {}", choices.pick(parties[to].cities)),
                (Some(to), 1) => format!(
                    "{}–{} {} on {topic}",
                    parties[plan.origin[0]].name,
                    parties[to].name,
                    noun.to_lowercase()
                ),
                (Some(to), _) => format!("{} {noun}: {topic}", choices.pick(parties[to].cities)),
            };
        }
        if tokens {
            let title = format!("Title{index}q");
            plan.title = format!("{title}{}", choices.pick(&["", ",  in Yerevan", ": #2 of the series"]));
            plan.tokens.push(title);
        }

        // The date, at every precision.
        let (date, first_day) = match choices.below(100) {
            0..70 => (day.format("%Y-%m-%d").to_string(), day),
            70..90 => {
                let last = day + chrono::Days::new(choices.between(1, 3) as u64);
                (format!("{}..{}", day.format("%Y-%m-%d"), last.format("%Y-%m-%d")), day)
            }
            90..97 => (
                day.format("%Y-%m").to_string(),
                day.with_day(1).expect("the first of a month"),
            ),
            _ => (
                day.format("%Y").to_string(),
                NaiveDate::from_ymd_opt(day.year(), 1, 1).expect("a new year"),
            ),
        };
        plan.date = match fault {
            // No 30 February in any year.
            Some(Fault::InvalidDate) => format!("{}-02-30", day.year()),
            _ => date,
        };
        plan.first_day = first_day.num_days_from_ce();

        // No two engagements share date, direction and title.
        let key = |plan: &Plan| {
            let mut hasher = DefaultHasher::new();
            let mut origin = plan.origin.clone();
            origin.sort_unstable();
            (&plan.date, origin, plan.destination, &plan.title).hash(&mut hasher);
            hasher.finish()
        };
        if !self.keys.insert(key(&plan)) {
            let title = plan.title.clone();
            for session in 2.. {
                plan.title = format!("{title}, session {session}");
                if self.keys.insert(key(&plan)) {
                    break;
                }
            }
        }

        // The fields.
        let bilateral = plan.is_bilateral();
        if plan.series.is_some()
            || (bilateral && choices.chance(profile.id_bilateral))
            || choices.chance(profile.id_other)
        {
            plan.id = Some(match plan.series {
                _ if tokens => format!("ent-{index}q"),
                Some(series) => format!("{}-{}", self.world.series[series].id, self.world.series[series].rounds),
                None => {
                    let from = parties[plan.origin[0]].id.to_ascii_lowercase();
                    let to = plan
                        .destination
                        .map_or("online".to_owned(), |to| parties[to].id.to_ascii_lowercase());
                    format!("{from}-{to}-{index}")
                }
            });
        }
        plan.track = match choices.below(100) {
            0..25 => Some("1.5"),
            25..35 => Some("2"),
            35..40 => Some("1"),
            _ => None,
        };
        if let (Some(to), true) = (plan.destination, bilateral) {
            let from = plan.origin[0];
            let chance = if plan.series.is_some() {
                profile.reciprocates_in_series
            } else {
                profile.reciprocates_other
            };
            if let Some((id, first_day)) = self.last_visit.get(&(to, from)) {
                if *first_day < plan.first_day && fault.is_none() && choices.chance(chance) {
                    plan.reciprocates = Some(id.clone());
                }
            }
        }
        plan.status = match choices.below(100) {
            0..6 => Some("held"),
            6..10 => Some("cancelled"),
            10..12 => Some("postponed"),
            _ => None,
        };
        plan.confidential = match choices.below(1000) {
            n if n < profile.chatham_until => Some("chatham-house"),
            n if n < profile.private_until => Some("private"),
            _ => None,
        };
        if choices.chance(profile.embargo) {
            plan.embargo = Some(if choices.chance(profile.embargo_over) {
                EMBARGO_OVER.to_owned()
            } else {
                format!("{}", 2026 + choices.below(10))
            });
        }
        if choices.chance(profile.venue) {
            plan.venue = Some(match plan.destination {
                _ if tokens => {
                    let venue = format!("Venue{index}q");
                    let awkward = match fault {
                        // A colon would make `venue Venue` a field of key
                        // `venue Venue…`, not a missing colon.
                        Some(Fault::MissingColon) => "",
                        _ => choices.pick(AWKWARD),
                    };
                    plan.tokens.push(venue.clone());
                    format!("{venue}{awkward}")
                }
                Some(to) => {
                    let city = *choices.pick(parties[to].cities);
                    if choices.chance(profile.hotel) {
                        format!(
                            "{city}, {} Hotel",
                            choices.pick(&["Marriott", "Radisson", "Hyatt", "Grand"])
                        )
                    } else {
                        city.to_owned()
                    }
                }
                None => "Zoom".to_owned(),
            });
        }
        if choices.chance(profile.sponsors) {
            let pool: Vec<usize> = plan
                .origin
                .iter()
                .chain(plan.destination.iter())
                .flat_map(|&party| self.world.orgs_of[party].iter().copied())
                .collect();
            let count = choices.between(1, profile.most_sponsors);
            plan.sponsors = distinct(choices, &pool, count);
        }
        if choices.chance(profile.participants) || fault == Some(Fault::UndeclaredPerson) {
            let pool: Vec<usize> = plan
                .origin
                .iter()
                .flat_map(|&party| self.world.persons_of[party].iter().copied())
                .collect();
            let people = choices.between(1, 4);
            plan.participants = distinct(choices, &pool, people)
                .into_iter()
                .map(Participant::Person)
                .collect();
            if choices.chance(profile.unaffiliated_participant) && !self.world.unaffiliated.is_empty() {
                let person = *choices.pick(&self.world.unaffiliated);
                plan.participants.push(Participant::Person(person));
            }
            if choices.chance(profile.count) || plan.participants.is_empty() {
                plan.participants
                    .push(Participant::Count(choices.between(1, 12), *choices.pick(&plan.origin)));
            }
        }
        if let (true, Some(to)) = (choices.chance(profile.met), plan.destination) {
            let count = choices.between(1, 3);
            plan.met = distinct(choices, &self.world.persons_of[to], count);
        }
        if choices.chance(profile.sources) || fault == Some(Fault::InvalidUrl) {
            for _ in 0..if choices.chance(profile.second_source) { 2 } else { 1 } {
                plan.sources.push(format!(
                    "{}{}-{}",
                    choices.pick(OUTLETS),
                    slug(topic),
                    100_000 + choices.below(900_000)
                ));
            }
        }
        if choices.chance(profile.notes) {
            let count = if choices.chance(profile.second_note) { 2 } else { 1 };
            plan.notes = if tokens {
                (0..count)
                    .map(|n| {
                        let note = format!("Note{index}x{n}q");
                        plan.tokens.push(note.clone());
                        format!("{note}{}", choices.pick(AWKWARD))
                    })
                    .collect()
            } else {
                distinct(choices, NOTES, count).into_iter().map(str::to_owned).collect()
            };
        }
        if choices.chance(profile.tags) || matches!(fault, Some(Fault::DuplicateListItem | Fault::EmptyListItem)) {
            let count = choices.between(1, 3);
            plan.tags = distinct(choices, TAGS, count);
        }
        if tokens {
            custom_fields(choices, &mut plan.extra);
        } else {
            if choices.chance(profile.budget) {
                let budget = format!("EUR {}", 1000 * choices.between(5, 500));
                plan.extra.push(Field::text("x-budget", budget));
            }
            if choices.chance(profile.language) {
                let language = *choices.pick(&["English", "Russian", "Türkçe"]);
                plan.extra.push(Field::text("x-language", language));
            }
        }
        if choices.chance(profile.inner_comment) {
            plan.inner_comment = Some("# Fields below are from the second source.");
        }
        if matches!(fault, Some(Fault::UnknownField | Fault::MissingColon)) && plan.venue.is_none() {
            plan.venue = Some(
                plan.destination
                    .map_or("Zoom".into(), |to| parties[to].cities[0].to_owned()),
            );
        }
        if fault == Some(Fault::InvalidValue) {
            plan.track = Some("3");
        }
        if fault == Some(Fault::DuplicateEntryId) {
            plan.id = self.last_id.clone();
        }
        if let (true, Some(id)) = (tokens, &plan.id) {
            plan.tokens.push(id.clone());
        }
        plan
    }

    /// The block of `plan`, its fields in canonical order, with `fault`
    /// written in and marked.
    pub fn block(&self, plan: &Plan, fault: Option<Fault>) -> Block {
        let world = &*self.world;
        let parties = world.parties;
        let mut mark = None;
        let mut fields: Vec<Field> = Vec::new();
        let mut destination = match plan.destination {
            Some(to) => parties[to].id.to_owned(),
            None => "online".to_owned(),
        };
        match fault {
            // `AZ` becomes `AZX`: a slip that names no party.
            Some(Fault::UndeclaredParty) => {
                destination.push('X');
                mark = Some(Mark::Destination);
            }
            Some(Fault::InvalidDate | Fault::MissingField) => mark = Some(Mark::HeaderStart),
            _ => {}
        }
        let header = Header::Engagement {
            date: plan.date.clone(),
            origin: plan.origin.iter().map(|&party| parties[party].id).collect(),
            destination,
            title: plan.title.clone(),
        };

        if let Some(id) = &plan.id {
            if fault == Some(Fault::DuplicateEntryId) {
                mark = Some(Mark::Value(fields.len()));
            }
            fields.push(Field::text("id", id.clone()));
        }
        let format = FORMATS[world.formats[plan.format]].0;
        match fault {
            Some(Fault::MissingField) => {}
            Some(Fault::UndeclaredFormat) => {
                // Two letters swapped: `dialogue` becomes `dailogue`.
                let mut typo: Vec<char> = format.chars().collect();
                typo.swap(1, 2);
                mark = Some(Mark::Value(fields.len()));
                fields.push(Field::text("format", typo.into_iter().collect::<String>()));
            }
            _ => fields.push(Field::text("format", format)),
        }
        if let Some(track) = plan.track {
            if fault == Some(Fault::InvalidValue) {
                mark = Some(Mark::Value(fields.len()));
            }
            fields.push(Field::text("track", track));
        }
        if let Some(series) = plan.series {
            fields.push(Field::text("series", world.series[series].id.clone()));
        }
        if let Some(target) = &plan.reciprocates {
            fields.push(Field::text("reciprocates", target.clone()));
        }
        if let Some(status) = plan.status {
            fields.push(Field::text("status", status));
        }
        if let Some(confidential) = plan.confidential {
            fields.push(Field::text("confidential", confidential));
        }
        if let Some(embargo) = &plan.embargo {
            fields.push(Field::text("embargo", embargo.clone()));
        }
        if let Some(venue) = &plan.venue {
            let mut field = Field::text("venue", venue.clone());
            match fault {
                Some(Fault::UnknownField) => field.key = "venu",
                Some(Fault::MissingColon) => field.colon = false,
                _ => {}
            }
            if matches!(fault, Some(Fault::UnknownField | Fault::MissingColon)) {
                mark = Some(Mark::Key(fields.len()));
            }
            fields.push(field);
        }
        if !plan.sponsors.is_empty() {
            let items = plan.sponsors.iter().map(|&org| world.orgs[org].id.clone()).collect();
            fields.push(Field::list("sponsors", items));
        }
        if !plan.participants.is_empty() {
            let mut items: Vec<String> = plan
                .participants
                .iter()
                .map(|participant| match *participant {
                    Participant::Person(person) => world.persons[person].id.clone(),
                    Participant::Count(count, party) => format!("+{count} {}", parties[party].id),
                })
                .collect();
            if fault == Some(Fault::UndeclaredPerson) {
                let last = plan
                    .participants
                    .iter()
                    .rev()
                    .find_map(|participant| match participant {
                        Participant::Person(person) => Some(world.persons[*person].id.as_str()),
                        Participant::Count(..) => None,
                    })
                    .unwrap_or("someone");
                // A slip of one letter, as a person would make.
                let mut typo = last.replacen('a', "e", 1);
                while typo == last || world.person_ids.contains(&typo) {
                    typo.push('h');
                }
                mark = Some(Mark::Item(fields.len(), items.len()));
                items.push(typo);
            }
            fields.push(Field::list("participants", items));
        }
        if !plan.met.is_empty() {
            let items = plan
                .met
                .iter()
                .map(|&person| world.persons[person].id.clone())
                .collect();
            fields.push(Field::list("met", items));
        }
        for (index, source) in plan.sources.iter().enumerate() {
            if index == 0 && fault == Some(Fault::InvalidUrl) {
                mark = Some(Mark::Value(fields.len()));
                fields.push(Field::text("source", source.replacen("https", "htps", 1)));
            } else {
                fields.push(Field::text("source", source.clone()));
            }
        }
        for note in &plan.notes {
            fields.push(Field::text("note", note.clone()));
        }
        if !plan.tags.is_empty() {
            let mut tags: Vec<String> = plan.tags.iter().map(|&tag| tag.to_owned()).collect();
            match fault {
                Some(Fault::DuplicateListItem) => {
                    tags.push(tags[0].clone());
                    mark = Some(Mark::Item(fields.len(), tags.len() - 1));
                }
                Some(Fault::EmptyListItem) => {
                    tags.insert(1, String::new());
                    mark = Some(Mark::AfterComma(fields.len(), 1));
                }
                _ => {}
            }
            fields.push(Field::list("tags", tags));
        }
        for extra in &plan.extra {
            let super::layout::Value::Text(value) = &extra.value else {
                unreachable!("custom fields hold text")
            };
            fields.push(Field::text(extra.key, value.clone()));
        }
        Block {
            header,
            inner_comments: plan.inner_comment.into_iter().collect(),
            fields,
            mark,
        }
    }
}
