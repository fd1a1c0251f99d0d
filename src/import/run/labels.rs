//! Names of the declarations an import reuses but never makes: a party, a
//! format, a series, each by id or (with names) by name, with "did you
//! mean" when none is found and a report when one name fits several.

use super::Run;
use super::cell::{CellValue, one_line};
use crate::import::directory::{ExistingDeclarations, Found};
use crate::import::names::match_key;
use crate::import::problem::{ImportCode, quote};
use crate::import::rules::References;
use crate::suggest;

impl Run<'_> {
    /// A party by id or name (`online` is not one: the caller handles it).
    pub(super) fn party(&mut self, value: &CellValue, text: &str) -> Option<String> {
        let mapped = one_line(self.mapped(&value.field, text));
        let directory = self.directory;
        let parties = &directory.parties;
        if let Some(index) = parties.by_id(&mapped) {
            return Some(parties.get(index).id.clone());
        }
        if self.rules.references == References::Names {
            match parties.by_name(&mapped) {
                Found::One(index) => return Some(parties.get(index).id.clone()),
                Found::Several(indices) => {
                    self.ambiguous(value, &mapped, parties, &indices);
                    return None;
                }
                Found::None => {}
            }
        }
        let help = nearest_declared(parties, &mapped, self.rules.references).map_or_else(
            || {
                format!(
                    "name a declared party, or map this spelling under [values.{}]",
                    value.field.key()
                )
            },
            |hint| format!("{hint} If not, map this spelling under [values.{}]", value.field.key()),
        );
        self.report(
            &value.field.clone(),
            value.at,
            ImportCode::UnknownParty,
            format!("unknown party {}", quote(&mapped)),
            Some(help),
        );
        None
    }

    pub(super) fn ambiguous(
        &mut self,
        value: &CellValue,
        text: &str,
        declarations: &ExistingDeclarations,
        indices: &[usize],
    ) {
        let ids: Vec<String> = indices
            .iter()
            .map(|&index| format!("`{}`", declarations.get(index).id))
            .collect();
        self.report(
            &value.field.clone(),
            value.at,
            ImportCode::AmbiguousName,
            format!("{} is the name of {}", quote(text), ids.join(" and ")),
            Some(format!(
                "write the id instead, or map the name to one id under [values.{}]",
                value.field.key()
            )),
        );
    }

    /// A format or series, by id or name: the import never declares one.
    pub(super) fn label(&mut self, value: &CellValue, label: LabelKind) -> Option<String> {
        let mapped = one_line(self.mapped(&value.field, &value.text));
        let directory = self.directory;
        let (declarations, code, what) = match label {
            LabelKind::Format => (&directory.formats, ImportCode::UnknownFormat, "format"),
            LabelKind::Series => (&directory.series, ImportCode::UnknownSeries, "series"),
        };
        if let Some(index) = declarations.by_id(&mapped) {
            return Some(declarations.get(index).id.clone());
        }
        if self.rules.references == References::Names {
            match declarations.by_name(&mapped) {
                Found::One(index) => return Some(declarations.get(index).id.clone()),
                Found::Several(indices) => {
                    self.ambiguous(value, &mapped, declarations, &indices);
                    return None;
                }
                Found::None => {}
            }
        }
        let map = format!(
            "map it under [values.{0}] (`{1} = \"ID\"`), or declare `{0} ID NAME` in the ledger",
            value.field.key(),
            toml::Value::String(mapped.clone())
        );
        let help = match nearest_declared(declarations, &mapped, self.rules.references) {
            Some(hint) => format!("{hint} If not, {map}"),
            None => map,
        };
        self.report(
            &value.field.clone(),
            value.at,
            code,
            format!("unknown {what} {}", quote(&mapped)),
            Some(help),
        );
        None
    }
}

/// The declarations an import names but never makes, besides parties.
#[derive(Clone, Copy)]
pub(super) enum LabelKind {
    Format,
    Series,
}

/// The first declaration a lookup found, if any.
pub(super) fn first(found: &Found) -> Option<usize> {
    match found {
        Found::One(index) => Some(*index),
        Found::Several(indices) => indices.first().copied(),
        Found::None => None,
    }
}

/// "did you mean" for an unknown name of a kind: the nearest id, or the
/// nearest name (by key) with its id.
pub(super) fn nearest_declared(
    declarations: &ExistingDeclarations,
    text: &str,
    references: References,
) -> Option<String> {
    if let Some(id) = suggest::nearest(text, declarations.ids()) {
        return Some(format!("did you mean `{id}`?"));
    }
    if references == References::Ids {
        return None;
    }
    let key = match_key(text);
    let near = suggest::nearest(&key, declarations.keys().iter().map(|(key, _)| key.as_str()))?;
    let declared = declarations.get(first(&declarations.by_name(near))?);
    Some(format!("did you mean {} (`{}`)?", quote(&declared.name), declared.id))
}
