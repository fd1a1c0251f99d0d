//! The world a ledger describes: its parties, orgs, persons, formats and
//! series, drawn once and written as declaration blocks before the
//! engagements that name them.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::choices::Choices;
use super::layout::{Block, Field, Header};
use super::shape::{Profile, Sizes};
use super::vocabulary::{
    FORMATS, INSTITUTIONS, INTERNATIONAL, PARTIES, PartyInfo, ROLES, SERIES_KINDS, SERIES_WORDS, SYLLABLES,
    capitalized, slug, unique,
};

pub struct Org {
    pub id: String,
    pub name: String,
}

pub struct Person {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub aliases: Vec<String>,
    pub org: Option<usize>,
    pub private: bool,
}

pub struct Series {
    pub id: String,
    pub name: String,
    /// The two parties it alternates between; the same party twice when the
    /// ledger has only one, and then no engagement is in the series.
    pub sides: (usize, usize),
    /// Index into `World::formats`.
    pub format: usize,
    pub rounds: usize,
}

pub struct World {
    pub parties: &'static [PartyInfo],
    pub orgs: Vec<Org>,
    /// Per party, the indices of its orgs.
    pub orgs_of: Vec<Vec<usize>>,
    pub persons: Vec<Person>,
    /// Per party, the indices of its persons.
    pub persons_of: Vec<Vec<usize>>,
    /// Persons with no party, who may take part in anything.
    pub unaffiliated: Vec<usize>,
    pub person_ids: HashSet<String>,
    pub series: Vec<Series>,
    /// Indices into `vocabulary::FORMATS` of the declared formats.
    pub formats: Vec<usize>,
}

/// A top-level line or block, in the order the canonical layout writes it.
pub enum TopLevel {
    Comment(String),
    Blank,
    Block(Block),
}

/// Awkward text the formatter must keep as it is: inner runs of blanks, a
/// `#` that is no comment, colons and commas in a value, other scripts.
pub const AWKWARD: &[&str] = &[
    "",
    ", Baku, Old City  hall #2",
    " Հայաստան–Azərbaycan",
    " a: colon, and a comma",
    " trailing text # not a comment",
];

/// Custom `x-` fields of a block of the small shape.
pub fn custom_fields(choices: &mut Choices, fields: &mut Vec<Field>) {
    for _ in 0..choices.below(3) {
        let key = *choices.pick(&["x-a", "x-budget", "x-1"]);
        let value = format!("custom{}", choices.pick(AWKWARD));
        fields.push(Field::text(key, value.trim_start_matches([' ', ','])));
    }
}

/// Draws the world and its declaration blocks; returns them and how many
/// declarations there are.
pub fn declare(choices: &mut Choices, profile: &Profile, sizes: &Sizes) -> (World, Vec<TopLevel>, usize) {
    let parties = &PARTIES[..sizes.parties];
    let mut out = Vec::new();
    let mut declarations = 0;
    let mut block = |out: &mut Vec<TopLevel>, keyword, id: String, name: String, fields: Vec<Field>| {
        out.push(TopLevel::Block(Block {
            header: Header::Declaration { keyword, id, name },
            inner_comments: Vec::new(),
            fields,
            mark: None,
        }));
        out.push(TopLevel::Blank);
        declarations += 1;
    };
    let section = |out: &mut Vec<TopLevel>, title: &str| {
        out.push(TopLevel::Comment(format!("# {title}")));
        out.push(TopLevel::Blank);
    };

    section(&mut out, "Parties.");
    for (index, party) in parties.iter().enumerate() {
        let mut fields = Vec::new();
        let mut name = party.name.to_owned();
        if profile.tokens {
            name.push_str(choices.pick::<&str>(&["", " of  the Region"]));
            if choices.chance(500) {
                fields.push(Field::text("wikidata", party.wikidata));
            }
            custom_fields(choices, &mut fields);
        } else {
            fields.push(Field::text("wikidata", party.wikidata));
            if index % 5 == 0 {
                fields.push(Field::text("x-iso2", party.id));
            }
        }
        block(&mut out, "party", party.id.to_owned(), name, fields);
    }

    section(&mut out, "Organisations.");
    let mut taken = HashSet::new();
    let mut orgs = Vec::with_capacity(sizes.orgs);
    let mut orgs_of = vec![Vec::new(); parties.len()];
    for index in 0..sizes.orgs {
        let mut fields = Vec::new();
        // The name to declare, and the name as an `Org` keeps it: in the
        // small shape, only its token.
        let (id, declared, name) = if profile.tokens {
            let name = format!("Org{index}q");
            let declared = format!("{name}{}", choices.pick(&["", "  organisation", " — Центр"]));
            if choices.chance(500) {
                let party = choices.below(parties.len());
                fields.push(Field::text("party", parties[party].id));
                orgs_of[party].push(index);
            }
            if choices.chance(profile.org_kind) {
                let (_, kind) = *choices.pick(INSTITUTIONS);
                fields.push(Field::text("kind", kind));
            }
            if choices.chance(profile.org_wikidata) {
                fields.push(Field::text("wikidata", format!("Q{}", 1 + choices.below(1000))));
            }
            custom_fields(choices, &mut fields);
            (format!("org_{index}q"), declared, name)
        } else {
            let international = choices.chance(profile.org_international);
            let party = choices.below(parties.len());
            let info = &parties[party];
            let (name, kind, id_base) = if international {
                let what = choices.pick(INTERNATIONAL);
                let name = format!(
                    "{} {what}",
                    choices.pick(&["European", "Eurasian", "Global", "Nordic", "Regional"])
                );
                let initials: String = name.split(' ').filter_map(|word| word.chars().next()).collect();
                (name, "international", slug(&initials))
            } else {
                let city = choices.pick(info.cities);
                let (what, kind) = *choices.pick(INSTITUTIONS);
                let initials: String = what.split(' ').filter_map(|word| word.chars().next()).collect();
                (
                    format!("{city} {what}"),
                    kind,
                    format!("{}-{}", slug(city), slug(&initials)),
                )
            };
            let id = unique(id_base, &mut taken);
            if !international {
                fields.push(Field::text("party", info.id));
                orgs_of[party].push(index);
            }
            if choices.chance(profile.org_kind) {
                fields.push(Field::text("kind", kind));
            }
            if choices.chance(profile.org_wikidata) {
                fields.push(Field::text(
                    "wikidata",
                    format!("Q{}", 1_000_000 + choices.below(90_000_000)),
                ));
            }
            if choices.chance(profile.org_founded) {
                fields.push(Field::text("x-founded", format!("{}", 1950 + choices.below(70))));
            }
            (id, name.clone(), name)
        };
        block(&mut out, "org", id.clone(), declared, fields);
        orgs.push(Org { id, name });
    }

    section(&mut out, "People.");
    let mut person_ids = HashSet::new();
    let mut persons = Vec::with_capacity(sizes.persons);
    let mut persons_of = vec![Vec::new(); parties.len()];
    let mut unaffiliated = Vec::new();
    for index in 0..sizes.persons {
        let (person, name, fields) = if profile.tokens {
            token_person(
                choices,
                profile,
                index,
                parties,
                &orgs,
                &mut persons_of,
                &mut unaffiliated,
            )
        } else {
            let mut people = People {
                ids: &mut person_ids,
                of_party: &mut persons_of,
                unaffiliated: &mut unaffiliated,
            };
            realistic_person(choices, profile, index, parties, (&orgs, &orgs_of), &mut people)
        };
        person_ids.insert(person.id.clone());
        block(&mut out, "person", person.id.clone(), name, fields);
        persons.push(person);
    }

    section(&mut out, "Formats and series.");
    for (id, name, _) in &FORMATS[..sizes.formats] {
        let mut fields = Vec::new();
        if profile.tokens {
            custom_fields(choices, &mut fields);
        }
        block(&mut out, "format", (*id).to_owned(), (*name).to_owned(), fields);
    }
    let mut series_ids = HashSet::new();
    let mut series = Vec::with_capacity(sizes.series);
    for _ in 0..sizes.series {
        let mut fields = Vec::new();
        let (word_id, word) = *choices.pick(SERIES_WORDS);
        let (kind_id, kind) = *choices.pick(SERIES_KINDS);
        let id = unique(format!("{word_id}-{kind_id}"), &mut series_ids);
        let a = choices.below(parties.len());
        let b = match parties.len() {
            1 => 0,
            n => (a + 1 + choices.below(n - 1)) % n,
        };
        let name = format!("{}–{} {word} {kind}", parties[a].name, parties[b].name);
        if choices.chance(profile.series_founded) {
            fields.push(Field::text("x-founded", format!("{}", 1990 + choices.below(30))));
        }
        let format = choices.below(sizes.formats);
        block(&mut out, "series", id.clone(), name.clone(), fields);
        series.push(Series {
            id,
            name,
            sides: (a, b),
            format,
            rounds: 0,
        });
    }

    let world = World {
        parties,
        orgs,
        orgs_of,
        persons,
        persons_of,
        unaffiliated,
        person_ids,
        series,
        formats: (0..sizes.formats).collect(),
    };
    (world, out, declarations)
}

/// Where persons are registered as they are drawn.
struct People<'w> {
    ids: &'w mut HashSet<String>,
    of_party: &'w mut [Vec<usize>],
    unaffiliated: &'w mut Vec<usize>,
}

/// A person with a name from their party's people, as the bilateral and
/// regional shapes have them; with the name to declare and the fields.
fn realistic_person(
    choices: &mut Choices,
    profile: &Profile,
    index: usize,
    parties: &[PartyInfo],
    (orgs, orgs_of): (&[Org], &[Vec<usize>]),
    people: &mut People,
) -> (Person, String, Vec<Field>) {
    let mut fields = Vec::new();
    let party = choices.below(parties.len());
    let info = &parties[party];
    let first = *choices.pick(info.first_names);
    let surname = capitalized(&format!(
        "{}{}{}",
        choices.pick(SYLLABLES),
        choices.pick(SYLLABLES),
        choices.pick(info.surname_endings)
    ));
    let name = format!("{first} {surname}");
    let id = unique(slug(&name), people.ids);
    let mut org = None;
    if choices.chance(profile.person_unaffiliated) {
        people.unaffiliated.push(index);
    } else {
        fields.push(Field::text("party", info.id));
        people.of_party[party].push(index);
        if choices.chance(profile.person_org) && !orgs_of[party].is_empty() {
            let chosen = *choices.pick(&orgs_of[party]);
            fields.push(Field::text("org", orgs[chosen].id.clone()));
            org = Some(chosen);
        }
    }
    let mut role = None;
    if choices.chance(profile.person_role) {
        let text = choices.pick(ROLES).to_string();
        fields.push(Field::text("role", text.clone()));
        role = Some(text);
    }
    let mut aliases = Vec::new();
    for _ in 0..[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2][choices.below(13)] {
        let alias = format!("{first} {}", surname.replacen('a', "e", 1 + choices.below(2)));
        fields.push(Field::text("alias", alias.clone()));
        aliases.push(alias);
    }
    let private = choices.chance(profile.person_private);
    if private {
        fields.push(Field::text("private", "yes"));
    }
    if choices.chance(profile.person_wikidata) {
        fields.push(Field::text(
            "wikidata",
            format!("Q{}", 1_000_000 + choices.below(90_000_000)),
        ));
    }
    if choices.chance(profile.person_orcid) {
        let mut orcid = String::new();
        write!(
            orcid,
            "0000-000{}-{:04}-{:04}",
            choices.below(10),
            choices.below(10_000),
            choices.below(10_000)
        )
        .expect("writing to a String");
        fields.push(Field::text("x-orcid", orcid));
    }
    let person = Person {
        id,
        name: name.clone(),
        role,
        aliases,
        org,
        private,
    };
    (person, name, fields)
}

/// A person of the small shape: every text a token that no other text
/// contains, and only the token kept in the `Person`, since that is what a
/// search for it looks for.
fn token_person(
    choices: &mut Choices,
    profile: &Profile,
    index: usize,
    parties: &[PartyInfo],
    orgs: &[Org],
    persons_of: &mut [Vec<usize>],
    unaffiliated: &mut Vec<usize>,
) -> (Person, String, Vec<Field>) {
    let mut fields = Vec::new();
    let declared = format!("Person{index}q{}", choices.pick(&["", "   Huseynov", " Հայ"]));
    if choices.chance(profile.person_unaffiliated) {
        unaffiliated.push(index);
    } else {
        let party = choices.below(parties.len());
        fields.push(Field::text("party", parties[party].id));
        persons_of[party].push(index);
    }
    let mut org = None;
    if !orgs.is_empty() && choices.chance(profile.person_org) {
        let chosen = choices.below(orgs.len());
        fields.push(Field::text("org", orgs[chosen].id.clone()));
        org = Some(chosen);
    }
    let mut role = None;
    if choices.chance(profile.person_role) {
        let text = format!("Role{index}q{}", choices.pick(AWKWARD));
        fields.push(Field::text("role", text));
        role = Some(format!("Role{index}q"));
    }
    let aliases: Vec<String> = (0..choices.below(3)).map(|n| format!("Alias{index}x{n}q")).collect();
    for alias in &aliases {
        fields.push(Field::text("alias", alias.clone()));
    }
    let private = choices.chance(profile.person_private);
    if private {
        fields.push(Field::text("private", "yes"));
    }
    if choices.chance(profile.person_wikidata) {
        fields.push(Field::text("wikidata", format!("Q{}", 1 + choices.below(1000))));
    }
    custom_fields(choices, &mut fields);
    let person = Person {
        id: format!("per.{index}q"),
        name: format!("Person{index}q"),
        role,
        aliases,
        org,
        private,
    };
    (person, declared, fields)
}
