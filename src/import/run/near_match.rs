//! A new name close to a declared one, or to one an earlier row made: still
//! made anew, but reported as a warning and in the summary, for a person to
//! decide whether the two are one. The search has a budget, so that a
//! hostile sheet of a million names stays linear.

use super::Run;
use super::cell::{At, CellValue};
use super::declare::PersonOrOrg;
use super::labels::first;
use crate::import::problem::{ImportCode, Problem, quote};
use crate::import::summary::NearMatch;
use crate::suggest;

impl Run<'_> {
    /// Reports a new name close to a declared one or to an earlier new one.
    pub(super) fn near_match(
        &mut self,
        value: &CellValue,
        name: &str,
        key: &str,
        id: &str,
        kind: PersonOrOrg,
        index: usize,
    ) {
        let directory = self.directory;
        let declarations = match kind {
            PersonOrOrg::Person => &directory.persons,
            PersonOrOrg::Org => &directory.orgs,
        };
        let cost = declarations.keys().len() + index;
        if cost > self.near_budget {
            self.summary.names_not_searched += 1;
            return;
        }
        self.near_budget -= cost;
        let made = match kind {
            PersonOrOrg::Person => &self.persons,
            PersonOrOrg::Org => &self.orgs,
        };
        let candidates = declarations
            .keys()
            .iter()
            .map(|(key, _)| key.as_str())
            .chain(made.made[..index].iter().map(|made| made.key.as_str()));
        let Some(near_key) = suggest::nearest(key, candidates) else {
            return;
        };
        let (near_name, near_id, declared) = match first(&declarations.by_name(near_key)) {
            Some(found) => {
                let declared = declarations.get(found);
                (declared.name.clone(), declared.id.clone(), true)
            }
            None => {
                let earlier = &made.made[made.by_key[near_key]];
                (earlier.name.clone(), earlier.id.clone(), false)
            }
        };
        let At::Cell { row, column } = value.at else {
            return;
        };
        let help = match (kind, declared) {
            (PersonOrOrg::Person, true) => format!(
                "made `{id}`; if they are one person, add `alias: {name}` to `{near_id}` in the ledger, or map the name under [values.{}], and import again",
                value.field.key()
            ),
            (PersonOrOrg::Org, true) => format!(
                "made `{id}`; if they are one org, map the name to `{near_id}` under [values.{}] and import again",
                value.field.key()
            ),
            (_, false) => format!("made `{id}` and `{near_id}`; if they are one, write the name one way in the sheet"),
        };
        let problem = Problem::new(
            ImportCode::NearMatch,
            self.place(value.at),
            format!(
                "{} matches no declaration, but is near {} (`{near_id}`)",
                quote(name),
                quote(&near_name)
            ),
        )
        .with_help(help);
        self.problems.push(problem);
        self.summary.near_matches.push(NearMatch {
            row,
            column,
            written: name.to_owned(),
            near: near_name,
            near_id,
            made_id: id.to_owned(),
        });
    }
}
