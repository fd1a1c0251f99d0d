//! The declarations an import may reuse: the existing ledger's parties,
//! orgs, persons, formats and series, looked up by id and by the key of
//! their names, aliases and ids (see [`super::names`]).

use std::collections::HashMap;

use super::names::match_key;
use crate::model::Ledger;

/// One declaration already in the ledger, as much of it as matching needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingDeclaration {
    pub id: String,
    pub name: String,
    /// A person marked `private: yes`.
    pub private: bool,
}

/// What a name or id finds among the declarations of one kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    One(usize),
    /// Several declarations have a name with this key: the name cannot say
    /// which one it means.
    Several(Vec<usize>),
    None,
}

/// The ledger's declarations of one kind, in ledger order.
#[derive(Clone, Debug, Default)]
pub struct ExistingDeclarations {
    pub entries: Vec<ExistingDeclaration>,
    by_id: HashMap<String, usize>,
    by_key: HashMap<String, Vec<usize>>,
    /// Every name and alias key with its declaration, in ledger order: the
    /// candidates of a near match.
    keys: Vec<(String, usize)>,
}

impl ExistingDeclarations {
    fn add(&mut self, declared: ExistingDeclaration, aliases: &[&str]) {
        let index = self.entries.len();
        self.by_id.entry(declared.id.clone()).or_insert(index);
        // The id is matched like a name too, so that `Seminar` finds
        // `format seminar …` and `az` finds `party AZ …`.
        let names = [declared.name.as_str(), declared.id.as_str()];
        for name in names.into_iter().chain(aliases.iter().copied()) {
            let key = match_key(name);
            if key.is_empty() {
                continue;
            }
            let indices = self.by_key.entry(key.clone()).or_default();
            if !indices.contains(&index) {
                indices.push(index);
                self.keys.push((key, index));
            }
        }
        self.entries.push(declared);
    }

    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The declaration whose name or alias has the key of `name`.
    pub fn by_name(&self, name: &str) -> Found {
        match self.by_key.get(&match_key(name)).map(Vec::as_slice) {
            None | Some([]) => Found::None,
            Some([one]) => Found::One(*one),
            Some(several) => Found::Several(several.to_vec()),
        }
    }

    /// Name and alias keys with their declarations, for near matches.
    pub fn keys(&self) -> &[(String, usize)] {
        &self.keys
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|declared| declared.id.as_str())
    }

    pub fn get(&self, index: usize) -> &ExistingDeclaration {
        &self.entries[index]
    }
}

/// Every declaration of the ledger an import joins.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    pub parties: ExistingDeclarations,
    pub orgs: ExistingDeclarations,
    pub persons: ExistingDeclarations,
    pub formats: ExistingDeclarations,
    pub series: ExistingDeclarations,
}

impl Directory {
    /// The declarations of `ledger`. Only declarations are read, so a
    /// ledger analysed without its engagements will do.
    pub fn of(ledger: &Ledger<'_>) -> Directory {
        let mut directory = Directory::default();
        let declared = |id: &str, name: &str, private| ExistingDeclaration {
            id: id.to_owned(),
            name: name.to_owned(),
            private,
        };
        for party in &ledger.parties {
            directory.parties.add(declared(party.id, party.name, false), &[]);
        }
        for org in &ledger.orgs {
            directory.orgs.add(declared(org.id, org.name, false), &[]);
        }
        for person in &ledger.persons {
            directory
                .persons
                .add(declared(person.id, person.name, person.private), &person.aliases);
        }
        for format in &ledger.formats {
            directory.formats.add(declared(format.id, format.name, false), &[]);
        }
        for series in &ledger.series {
            directory.series.add(declared(series.id, series.name, false), &[]);
        }
        directory
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_id_name_and_alias_ignoring_case_and_diacritics() {
        let text = "party AZ Azerbaijan\n\
                    person dilara-afandiyeva Dilara Afandiyeva\n  alias: Dilara Efendiyeva\n\
                    person ali-1 Ali Aliyev\n\
                    person ali-2 Ali Əliyev\n";
        let loaded = crate::loader::load_bytes("d.track2", text.as_bytes().to_vec()).unwrap();
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let analysis = crate::validate(&loaded, &crate::AnalysisOptions { as_of });
        let directory = Directory::of(&analysis.ledger);
        assert_eq!(directory.parties.by_name("AZERBAIJAN"), Found::One(0));
        assert_eq!(directory.persons.by_name("Dilara Əfəndiyeva"), Found::One(0));
        assert_eq!(directory.persons.by_id("ali-2"), Some(2));
        assert_eq!(directory.parties.by_name("az"), Found::One(0));
        assert_eq!(directory.persons.by_name("ali aliyev"), Found::Several(vec![1, 2]));
        assert_eq!(directory.persons.by_name("Ali Veliyev"), Found::None);
    }
}
