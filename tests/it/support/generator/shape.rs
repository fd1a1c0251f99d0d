//! What kind of ledger to generate: how large its world is, how its
//! delegations are made up, and how often each optional thing occurs.

use super::choices::Choices;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A dozen parties, mostly bilateral visits, joint delegations of two:
    /// the shape the generator has always had, and BENCHMARKS.md measures.
    Bilateral,
    /// A regional or global record: 40 parties, joint delegations of two
    /// to four, up to 2,000 orgs and many sponsors, so that there are
    /// thousands of distinct directions.
    Regional,
    /// A handful of declarations and engagements, with every optional thing
    /// likely and every text a distinctive token (see `Generated::secrets`):
    /// what property tests need, from a short tape.
    Small,
}

impl Shape {
    pub const ALL: &'static [Shape] = &[Shape::Bilateral, Shape::Regional, Shape::Small];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Bilateral => "bilateral",
            Shape::Regional => "regional",
            Shape::Small => "small",
        }
    }

    pub fn from_name(name: &str) -> Option<Shape> {
        Shape::ALL.iter().copied().find(|shape| shape.name() == name)
    }

    pub(super) fn profile(self) -> &'static Profile {
        match self {
            Shape::Bilateral => &BILATERAL,
            Shape::Regional => &REGIONAL,
            Shape::Small => &SMALL,
        }
    }
}

/// How large the world of a ledger of `entries` engagements is.
pub(super) struct Sizes {
    pub parties: usize,
    pub orgs: usize,
    pub persons: usize,
    pub series: usize,
    /// How many of `vocabulary::FORMATS`, from the first.
    pub formats: usize,
}

impl Sizes {
    pub fn of(shape: Shape, entries: usize, choices: &mut Choices) -> Sizes {
        match shape {
            Shape::Bilateral => {
                let persons = (entries / 100).clamp(200, 4000);
                Sizes {
                    parties: 12,
                    orgs: persons / 4,
                    persons,
                    series: (entries / 2000).clamp(8, 500),
                    formats: 8,
                }
            }
            Shape::Regional => Sizes {
                parties: 40,
                orgs: (entries / 50).clamp(200, 2000),
                persons: (entries / 25).clamp(400, 8000),
                series: (entries / 1000).clamp(8, 1000),
                formats: 8,
            },
            Shape::Small => Sizes {
                parties: 1 + choices.below(5),
                orgs: choices.below(4),
                persons: choices.below(8),
                series: choices.below(2),
                formats: 1 + choices.below(2),
            },
        }
    }
}

/// How often each optional thing occurs, in thousandths, and a few counts.
/// The bilateral shape's numbers are those the generator has always used.
pub(super) struct Profile {
    /// Every text a distinctive token, decorated with awkward characters.
    pub tokens: bool,
    /// Engagements run from the first day of this year to 2025-12-20.
    pub first_year: i32,
    pub org_international: usize,
    pub org_kind: usize,
    pub org_wikidata: usize,
    pub org_founded: usize,
    pub person_unaffiliated: usize,
    pub person_org: usize,
    pub person_role: usize,
    pub person_private: usize,
    pub person_wikidata: usize,
    pub person_orcid: usize,
    pub series_founded: usize,
    pub in_series: usize,
    /// Of a hundred engagements outside a series: below this, bilateral;
    /// below `joint_until`, a joint delegation; the rest online.
    pub bilateral_until: usize,
    pub joint_until: usize,
    /// The largest joint delegation; 2 keeps the bilateral shape's rule (the
    /// host is the next party after the two).
    pub joint_largest: usize,
    pub online_pair: usize,
    pub id_bilateral: usize,
    pub id_other: usize,
    pub reciprocates_in_series: usize,
    pub reciprocates_other: usize,
    /// Of a thousand: below this, Chatham House; below `private_until`,
    /// private.
    pub chatham_until: usize,
    pub private_until: usize,
    pub embargo: usize,
    /// An embargo already over on the as-of day.
    pub embargo_over: usize,
    pub venue: usize,
    pub hotel: usize,
    pub sponsors: usize,
    pub most_sponsors: usize,
    pub participants: usize,
    pub unaffiliated_participant: usize,
    pub count: usize,
    pub met: usize,
    pub sources: usize,
    pub second_source: usize,
    pub notes: usize,
    pub second_note: usize,
    pub tags: usize,
    pub budget: usize,
    pub language: usize,
    pub inner_comment: usize,
    pub comment_above: usize,
}

const BILATERAL: Profile = Profile {
    tokens: false,
    first_year: 1990,
    org_international: 120,
    org_kind: 900,
    org_wikidata: 60,
    org_founded: 20,
    person_unaffiliated: 50,
    person_org: 600,
    person_role: 400,
    person_private: 20,
    person_wikidata: 40,
    person_orcid: 10,
    series_founded: 100,
    in_series: 200,
    bilateral_until: 80,
    joint_until: 90,
    joint_largest: 2,
    online_pair: 300,
    id_bilateral: 300,
    id_other: 100,
    reciprocates_in_series: 150,
    reciprocates_other: 50,
    chatham_until: 25,
    private_until: 30,
    embargo: 10,
    embargo_over: 0,
    venue: 400,
    hotel: 200,
    sponsors: 200,
    most_sponsors: 2,
    participants: 350,
    unaffiliated_participant: 30,
    count: 250,
    met: 150,
    sources: 250,
    second_source: 150,
    notes: 120,
    second_note: 200,
    tags: 250,
    budget: 30,
    language: 10,
    inner_comment: 5,
    comment_above: 15,
};

/// Like the bilateral shape, but delegations are often joint and of up to
/// four parties, and half the engagements name sponsors.
const REGIONAL: Profile = Profile {
    bilateral_until: 78,
    joint_until: 90,
    joint_largest: 4,
    sponsors: 500,
    most_sponsors: 3,
    ..BILATERAL
};

/// One year, so that a monthly timeline stays short.
const SMALL: Profile = Profile {
    tokens: true,
    first_year: 2025,
    org_kind: 500,
    org_wikidata: 300,
    org_founded: 200,
    person_unaffiliated: 200,
    person_org: 500,
    person_role: 500,
    person_private: 300,
    person_wikidata: 200,
    person_orcid: 100,
    series_founded: 300,
    in_series: 150,
    bilateral_until: 60,
    joint_until: 80,
    id_bilateral: 500,
    id_other: 500,
    reciprocates_in_series: 500,
    reciprocates_other: 500,
    chatham_until: 250,
    private_until: 400,
    embargo: 200,
    embargo_over: 500,
    venue: 500,
    sponsors: 500,
    participants: 700,
    unaffiliated_participant: 200,
    count: 300,
    met: 500,
    sources: 400,
    second_source: 300,
    notes: 400,
    second_note: 300,
    tags: 400,
    budget: 200,
    language: 200,
    inner_comment: 150,
    comment_above: 150,
    ..BILATERAL
};
