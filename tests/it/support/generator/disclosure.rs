//! What public outputs may show of a generated ledger, worked out from the
//! plans by the rules of README.md ("Confidential records"), so that a test
//! knows what they must never show.

use super::engagements::{Participant, Plan, Secrecy};
use super::world::World;

pub struct Disclosure {
    /// Per person: named in an engagement that is shown and not under the
    /// Chatham House rule.
    named: Vec<bool>,
    /// Per org: sponsors an engagement that is shown.
    sponsors_shown: Vec<bool>,
    withheld: usize,
    /// The tokens of withheld engagements.
    withheld_tokens: Vec<String>,
}

impl Disclosure {
    pub fn new(world: &World) -> Disclosure {
        Disclosure {
            named: vec![false; world.persons.len()],
            sponsors_shown: vec![false; world.orgs.len()],
            withheld: 0,
            withheld_tokens: Vec::new(),
        }
    }

    pub fn note(&mut self, plan: &Plan) {
        let secrecy = plan.secrecy();
        if secrecy == Secrecy::Withheld {
            self.withheld += 1;
            self.withheld_tokens.extend(plan.tokens.iter().cloned());
            return;
        }
        for &org in &plan.sponsors {
            self.sponsors_shown[org] = true;
        }
        if secrecy == Secrecy::Public {
            let participants = plan.participants.iter().filter_map(|participant| match participant {
                Participant::Person(person) => Some(*person),
                Participant::Count(..) => None,
            });
            for person in participants.chain(plan.met.iter().copied()) {
                self.named[person] = true;
            }
        }
    }

    /// How many engagements are withheld.
    pub fn withheld(&self) -> usize {
        self.withheld
    }

    /// How many engagements are withheld, and the texts no public output may
    /// hold: everything of a person who is private or named in no shown
    /// engagement, the name and id of an org known only through such
    /// people, and the texts of withheld engagements.
    pub fn secrets(self, world: &World) -> (usize, Vec<String>) {
        let mut secrets = self.withheld_tokens;
        let listed = |person: usize| self.named[person] && !world.persons[person].private;
        for (index, person) in world.persons.iter().enumerate() {
            if !listed(index) {
                secrets.push(person.id.clone());
                secrets.push(person.name.clone());
                secrets.extend(person.role.iter().cloned());
                secrets.extend(person.aliases.iter().cloned());
            }
        }
        for (index, org) in world.orgs.iter().enumerate() {
            let mut members = (0..world.persons.len()).filter(|&person| world.persons[person].org == Some(index));
            let mut listed_members = members.clone().filter(|&person| listed(person));
            let known_only_through_the_unlisted = members.next().is_some() && listed_members.next().is_none();
            if known_only_through_the_unlisted && !self.sponsors_shown[index] {
                secrets.push(org.id.clone());
                secrets.push(org.name.clone());
            }
        }
        (self.withheld, secrets)
    }
}
