//! Persons and orgs a row names: found among the ledger's declarations by
//! id or name, or, with names, declared anew: one new declaration per
//! distinct name, its party guessed from the rows that name it.

use std::collections::HashMap;

use super::Run;
use super::cell::{At, CellValue, one_line};
use crate::import::directory::Found;
use crate::import::names::{IdAllocator, match_key, slug};
use crate::import::problem::{ImportCode, quote};
use crate::import::records::{ImportedOrg, ImportedPerson, ImportedRecord, Made, SheetOrigin};
use crate::import::rules::References;
use crate::suggest;

/// New declarations of one kind, by the key of the name that made them.
pub(super) struct NewDeclarations {
    pub(super) made: Vec<NewDeclaration>,
    pub(super) by_key: HashMap<String, usize>,
    ids: IdAllocator,
}

/// A declaration the import makes for a name the ledger lacks, at the cell
/// that first wrote the name.
pub(super) struct NewDeclaration {
    pub(super) id: String,
    /// The name as first written.
    pub(super) name: String,
    pub(super) key: String,
    party: PartyGuess,
    private: bool,
    row: usize,
    column: usize,
}

/// The party of a new person: that of the visiting side of every row that
/// names them as a participant and whose visiting side is one party, when
/// all of those agree. A joint delegation says nothing of one person's party.
#[derive(Clone, Debug, PartialEq, Eq)]
enum PartyGuess {
    Unknown,
    One(String),
    Mixed,
}

impl PartyGuess {
    fn add(&mut self, party: Option<&str>) {
        let Some(party) = party else {
            return;
        };
        *self = match std::mem::replace(self, PartyGuess::Mixed) {
            PartyGuess::Unknown => PartyGuess::One(party.to_owned()),
            PartyGuess::One(known) if known == party => PartyGuess::One(known),
            PartyGuess::One(_) | PartyGuess::Mixed => PartyGuess::Mixed,
        };
    }
}

impl NewDeclarations {
    pub(super) fn new<'i>(taken: impl IntoIterator<Item = &'i str>) -> NewDeclarations {
        NewDeclarations {
            made: Vec::new(),
            by_key: HashMap::new(),
            ids: IdAllocator::with_taken(taken),
        }
    }
}

/// Which declarations a list names, in the two cases that differ.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PersonOrOrg {
    Person,
    Org,
}

impl Run<'_> {
    /// A person or an org by id or name; in names mode, one that matches
    /// nothing is declared anew. `visiting` is the party of the visiting
    /// side for a participant (`Some(None)` if it is not one party).
    pub(super) fn declared(
        &mut self,
        value: &CellValue,
        item: &str,
        kind: PersonOrOrg,
        visiting: Option<Option<&str>>,
        private_people: bool,
    ) -> Option<String> {
        let mapped = one_line(self.mapped(&value.field, item));
        let directory = self.directory;
        let declarations = match kind {
            PersonOrOrg::Person => &directory.persons,
            PersonOrOrg::Org => &directory.orgs,
        };
        let found = match declarations.by_id(&mapped) {
            Some(index) => Found::One(index),
            None if self.rules.references == References::Names => declarations.by_name(&mapped),
            None => Found::None,
        };
        match found {
            Found::One(index) => {
                let declared = declarations.get(index);
                let id = declared.id.clone();
                if kind == PersonOrOrg::Person && private_people && !declared.private {
                    self.report(
                        &value.field.clone(),
                        value.at,
                        ImportCode::PrivatePersonPublic,
                        format!(
                            "the row is private, but {} is the declared person `{id}`, who is not",
                            quote(&mapped)
                        ),
                        Some(format!(
                            "add `private: yes` to `{id}` in the ledger, or take the row out"
                        )),
                    );
                    return None;
                }
                match kind {
                    PersonOrOrg::Person => self.persons_reused.insert(index),
                    PersonOrOrg::Org => self.orgs_reused.insert(index),
                };
                return Some(id);
            }
            Found::Several(indices) => {
                self.ambiguous(value, &mapped, declarations, &indices);
                return None;
            }
            Found::None => {}
        }
        if self.rules.references == References::Ids {
            let (code, what) = match kind {
                PersonOrOrg::Person => (ImportCode::UnknownPerson, "person"),
                PersonOrOrg::Org => (ImportCode::UnknownOrg, "org"),
            };
            let help = suggest::did_you_mean(&mapped, declarations.ids());
            self.report(
                &value.field.clone(),
                value.at,
                code,
                format!("no {what} is declared with the id {}", quote(&mapped)),
                help,
            );
            return None;
        }
        self.make(value, &mapped, kind, visiting, private_people)
    }

    /// A new declaration for a name no declaration has, or the one an
    /// earlier row made for it.
    fn make(
        &mut self,
        value: &CellValue,
        name: &str,
        kind: PersonOrOrg,
        visiting: Option<Option<&str>>,
        private: bool,
    ) -> Option<String> {
        let key = match_key(name);
        let made = match kind {
            PersonOrOrg::Person => &mut self.persons,
            PersonOrOrg::Org => &mut self.orgs,
        };
        if let Some(&index) = made.by_key.get(&key) {
            let declaration = &mut made.made[index];
            if let Some(party) = visiting {
                declaration.party.add(party);
            }
            declaration.private |= private;
            return Some(declaration.id.clone());
        }
        let Some(base) = slug(name) else {
            self.report(
                &value.field.clone(),
                value.at,
                ImportCode::NameWithoutLetters,
                format!("{} has no letters track2 can make an id of", quote(name)),
                Some("declare them in the ledger with an id, and this spelling as an alias".into()),
            );
            return None;
        };
        let id = made.ids.allocate(&base);
        let (row, column) = match value.at {
            At::Cell { row, column } => (row, column),
            At::Constant(_) => (0, 0),
        };
        let mut party = PartyGuess::Unknown;
        if let Some(visiting) = visiting {
            party.add(visiting);
        }
        let index = made.made.len();
        made.made.push(NewDeclaration {
            id: id.clone(),
            name: name.to_owned(),
            key: key.clone(),
            party,
            private,
            row,
            column,
        });
        made.by_key.insert(key.clone(), index);
        self.near_match(value, name, &key, &id, kind, index);
        Some(id)
    }

    /// The new declarations as records, the orgs first, each at the cell
    /// whose name made it.
    pub(super) fn declaration_records(&self) -> Vec<Made> {
        let mut records = Vec::new();
        for org in &self.orgs.made {
            records.push(Made {
                record: ImportedRecord::Org(ImportedOrg {
                    id: org.id.clone(),
                    name: one_line(&org.name),
                }),
                origin: declaration_origin(org),
            });
        }
        for person in &self.persons.made {
            let party = match &person.party {
                PartyGuess::One(party) => Some(party.clone()),
                PartyGuess::Unknown | PartyGuess::Mixed => None,
            };
            records.push(Made {
                record: ImportedRecord::Person(ImportedPerson {
                    id: person.id.clone(),
                    name: one_line(&person.name),
                    party,
                    private: person.private,
                }),
                origin: declaration_origin(person),
            });
        }
        records
    }
}

fn declaration_origin(declaration: &NewDeclaration) -> SheetOrigin {
    SheetOrigin {
        row: declaration.row,
        column: Some(declaration.column),
        columns: HashMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_persons_party_is_the_visiting_side_when_it_is_one() {
        let mut guess = PartyGuess::Unknown;
        guess.add(Some("AZ"));
        guess.add(Some("AZ"));
        assert_eq!(guess, PartyGuess::One("AZ".into()));
        guess.add(Some("AM"));
        assert_eq!(guess, PartyGuess::Mixed);
        let mut joint = PartyGuess::Unknown;
        joint.add(None);
        assert_eq!(joint, PartyGuess::Unknown, "a joint delegation says nothing");
        joint.add(Some("AM"));
        joint.add(None);
        assert_eq!(joint, PartyGuess::One("AM".into()));
    }
}
