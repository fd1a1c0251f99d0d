//! `report network`: who met whom. Two people are linked by every
//! engagement they were both in: one on the visiting side and the other
//! among those met (`met`), or both on the same side (`together`).
//!
//! People are named only as the view allows, exactly as in `report
//! participants`: someone who may not be named in an engagement counts
//! under a placeholder per party, `participant (AM)`. People written only as
//! `+N PARTY` are not people the ledger names, and are left out.

use super::who::Who;
use std::collections::BTreeMap;

use serde::Serialize;

use super::count::Figures;
use super::{Count, Report, ReportOptions};
use crate::chart::Chart;
use crate::chart::network::{Link, Network, NetworkNode};
use crate::model::Engagement;
use crate::privacy::View;
use crate::table::{Column, Table};

/// An engagement with more people than this (both sides) adds no links:
/// its pairs grow with the square of its size, so a single hostile line
/// could otherwise cost minutes. The report says how many were left out.
pub const MAX_PEOPLE_FOR_LINKS: usize = 100;

#[derive(Clone, Debug, Serialize)]
pub struct NetworkPerson {
    /// The person's id; `null` on a placeholder.
    pub person: Option<String>,
    /// The display name, or a placeholder such as `participant (AZ)`.
    pub name: String,
    pub party: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NetworkLink {
    /// Indices into `people`.
    pub a: usize,
    pub b: usize,
    /// Engagements both were in.
    pub engagements: Count,
    /// Of those, the ones where one was visiting and the other was met.
    pub met: Count,
    /// And the ones where both were on the same side.
    pub together: Count,
}

#[derive(Clone, Debug, Serialize)]
pub struct NetworkReport {
    pub people: Vec<NetworkPerson>,
    pub links: Vec<NetworkLink>,
    /// Engagements with more than [`MAX_PEOPLE_FOR_LINKS`] people, which add
    /// people but no links.
    pub too_large: usize,
}

/// The people of `engagement` as the view shows them, each once, with
/// whether they were on the visiting side.
fn people_of(view: &View<'_, '_>, engagement: Engagement<'_, '_>) -> Vec<(Who, bool)> {
    let mut people: Vec<(Who, bool)> = Vec::new();
    let sides = [(view.participants(engagement), true), (view.met(engagement), false)];
    for (shown, visiting) in sides {
        for person in shown {
            let Some(who) = Who::of(person) else {
                continue;
            };
            // Somebody listed on both sides counts as visiting.
            if !people.iter().any(|(known, _)| *known == who) {
                people.push((who, visiting));
            }
        }
    }
    people
}

pub fn network(view: &View<'_, '_>, options: ReportOptions) -> NetworkReport {
    let ledger = view.ledger;
    let mut seen: BTreeMap<Who, ()> = BTreeMap::new();
    // (met, together) per pair, the pair ordered.
    let mut pairs: rustc_hash::FxHashMap<(Who, Who), (u64, u64)> = Default::default();
    let mut too_large = 0;
    for engagement in view.iter() {
        let people = people_of(view, engagement);
        for (who, _) in &people {
            seen.insert(*who, ());
        }
        if people.len() > MAX_PEOPLE_FOR_LINKS {
            too_large += 1;
            continue;
        }
        for (i, &(a, a_visiting)) in people.iter().enumerate() {
            for &(b, b_visiting) in &people[i + 1..] {
                let pair = if a < b { (a, b) } else { (b, a) };
                let tally = pairs.entry(pair).or_default();
                if a_visiting == b_visiting {
                    tally.1 += 1;
                } else {
                    tally.0 += 1;
                }
            }
        }
    }
    let describe = |who: Who| match who {
        Who::Named(index) => {
            let person = ledger.person(index);
            NetworkPerson {
                person: Some(person.id.to_owned()),
                name: person.name.to_owned(),
                party: person.party.map(|party| ledger.party(party).id.to_owned()),
            }
        }
        Who::Unnamed(party) => NetworkPerson {
            person: None,
            name: view.placeholder(party),
            party: party.map(|party| ledger.party(party).id.to_owned()),
        },
    };
    let party_of = |who: Who| match who {
        Who::Named(index) => ledger.person(index).party,
        Who::Unnamed(party) => party,
    };
    // People by party (in declaration order, none last), then named before
    // placeholders, then by name.
    let mut people: Vec<(Who, NetworkPerson)> = seen.into_keys().map(|who| (who, describe(who))).collect();
    people.sort_by(|(a_who, a), (b_who, b)| {
        (
            party_of(*a_who).is_none(),
            party_of(*a_who),
            a.person.is_none(),
            &a.name,
        )
            .cmp(&(
                party_of(*b_who).is_none(),
                party_of(*b_who),
                b.person.is_none(),
                &b.name,
            ))
    });
    let position: rustc_hash::FxHashMap<Who, usize> = people
        .iter()
        .enumerate()
        .map(|(position, (who, _))| (*who, position))
        .collect();
    let mut links: Vec<(u64, NetworkLink)> = pairs
        .into_iter()
        .map(|((a, b), (met, together))| {
            let (a, b) = (position[&a], position[&b]);
            let (a, b) = (a.min(b), a.max(b));
            let link = NetworkLink {
                a,
                b,
                engagements: Count::new(met + together, options),
                met: Count::new(met, options),
                together: Count::new(together, options),
            };
            (met + together, link)
        })
        .collect();
    links.sort_by(|(a_count, a), (b_count, b)| b_count.cmp(a_count).then((a.a, a.b).cmp(&(b.a, b.b))));
    let mut links: Vec<NetworkLink> = links.into_iter().map(|(_, link)| link).collect();
    if options.min_count > 1 {
        // A pair's engagements are those where one met the other and those
        // where they were together.
        let mut figures = Figures::new();
        for link in &mut links {
            let line = [
                figures.add(&mut link.engagements),
                figures.add(&mut link.met),
                figures.add(&mut link.together),
            ];
            figures.line(line);
        }
        figures.protect();
    }
    NetworkReport {
        people: people.into_iter().map(|(_, person)| person).collect(),
        links,
        too_large,
    }
}

impl NetworkReport {
    fn title(&self) -> String {
        match self.too_large {
            0 => "Who met whom".to_owned(),
            1 => format!("Who met whom (1 engagement of more than {MAX_PEOPLE_FOR_LINKS} people adds no links)"),
            n => format!("Who met whom ({n} engagements of more than {MAX_PEOPLE_FOR_LINKS} people add no links)"),
        }
    }
}

impl Report for NetworkReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("reports serialise")
    }

    fn tables(&self) -> Vec<Table> {
        let mut table = self.csv_table();
        table.title = Some(self.title());
        vec![table]
    }

    /// The edge list: one row per pair, the most shared first.
    fn csv_table(&self) -> Table {
        let mut table = Table::new(
            None,
            vec![
                Column::text("person"),
                Column::text("party"),
                Column::text("other"),
                Column::text("other_party"),
                Column::number("engagements"),
                Column::number("met"),
                Column::number("together"),
            ],
        );
        for link in &self.links {
            let (a, b) = (&self.people[link.a], &self.people[link.b]);
            table.push(vec![
                a.name.clone(),
                a.party.clone().unwrap_or_default(),
                b.name.clone(),
                b.party.clone().unwrap_or_default(),
                link.engagements.to_string(),
                link.met.to_string(),
                link.together.to_string(),
            ]);
        }
        table
    }

    fn chart(&self) -> Option<Chart> {
        // People are grouped by party, so each party's first member is
        // where it starts.
        let mut parties: Vec<String> = Vec::new();
        for party in self.people.iter().filter_map(|person| person.party.as_ref()) {
            if parties.last() != Some(party) {
                parties.push(party.clone());
            }
        }
        Some(Chart::Network(Network {
            title: self.title(),
            parties,
            nodes: self
                .people
                .iter()
                .map(|person| NetworkNode {
                    name: person.name.clone(),
                    party: person.party.clone(),
                })
                .collect(),
            edges: self
                .links
                .iter()
                .map(|link| Link {
                    a: link.a,
                    b: link.b,
                    shared: link.engagements.into(),
                })
                .collect(),
        }))
    }
}
