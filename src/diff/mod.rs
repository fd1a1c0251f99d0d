//! `track2 diff`: what a change does to the record, for a reviewer who
//! would otherwise read a text diff. Engagements and declarations added,
//! removed and changed (with each changed field old → new, and lists as
//! `+added −removed`), and the effect on the count of each direction.
//!
//! Engagements are matched by `id`, else by what makes two engagements the
//! same (GRAMMAR.md §5.2: date as written, visiting parties, host, title).
//! Both sides are seen through a privacy view: what an output may not show
//! is compared too, but only counted ("1 withheld engagement added").
//!
//! This file compares; `tables.rs` lays a comparison out for a reader, and
//! `textconv.rs` is the other face of reviewing a change, the form of a
//! file `git diff` compares.

mod tables;
mod textconv;

pub use textconv::textconv;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::export::{ExportDocument, ExportedEngagement, ParticipantRecord};
use crate::model::{Arrow, Direction, EngagementIndex, Ledger};
use crate::privacy::{self, View};

/// One field's change: a text value old → new, or a list's items added and
/// removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
}

impl FieldChange {
    /// `participants: +a −b` or `venue: Baku → Yerevan`.
    pub fn describe(&self) -> String {
        if self.old.is_some() || self.new.is_some() {
            let side = |value: &Option<String>| value.clone().unwrap_or_else(|| "(none)".to_owned());
            return format!("{}: {} → {}", self.field, side(&self.old), side(&self.new));
        }
        let items: Vec<String> = self
            .added
            .iter()
            .map(|item| format!("+{item}"))
            .chain(self.removed.iter().map(|item| format!("−{item}")))
            .collect();
        format!("{}: {}", self.field, items.join(" "))
    }
}

/// An engagement, as a change names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EngagementName {
    pub id: Option<String>,
    pub date: String,
    /// `AZ -> AM`.
    pub direction: String,
    pub title: String,
    /// `AZ → AM`, for people.
    #[serde(skip)]
    display_direction: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EngagementChange {
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// The engagement as it is after the change (before, if removed).
    pub engagement: EngagementName,
    pub fields: Vec<FieldChange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeclarationChange {
    pub change: &'static str,
    /// `party`, `org`, `person`, `format` or `series`.
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub fields: Vec<FieldChange>,
}

/// How many engagements of one direction there were, and are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DirectionCount {
    /// `AZ -> AM`.
    pub direction: String,
    pub before: usize,
    pub after: usize,
    /// `AZ → AM`, for people.
    #[serde(skip)]
    display_direction: String,
}

/// Changes a public output may only count.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WithheldChanges {
    pub engagements_added: usize,
    pub engagements_removed: usize,
    pub engagements_changed: usize,
    /// Declarations of people and orgs the view does not disclose.
    pub declarations_changed: usize,
}

impl WithheldChanges {
    fn is_empty(&self) -> bool {
        *self == WithheldChanges::default()
    }
}

/// What changed between two ledgers.
#[derive(Clone, Debug, Serialize)]
pub struct LedgerDiff {
    pub engagements: Vec<EngagementChange>,
    pub declarations: Vec<DeclarationChange>,
    pub withheld: WithheldChanges,
    /// Every direction with engagements on either side, in report order.
    pub directions: Vec<DirectionCount>,
    pub before: usize,
    pub after: usize,
}

/// The changes from `old` to `new`, each seen through its view.
pub fn diff(old: &View<'_, '_>, new: &View<'_, '_>) -> LedgerDiff {
    let old_document = ExportDocument::new(old);
    let new_document = ExportDocument::new(new);
    let mut diff = LedgerDiff {
        engagements: engagement_changes(old, new),
        declarations: declaration_changes(&old_document, &new_document, (old.ledger, new.ledger)),
        withheld: WithheldChanges::default(),
        directions: direction_counts(old, new),
        before: old.engagements.len(),
        after: new.engagements.len(),
    };
    diff.withheld = withheld_changes(old, new, &old_document, &new_document);
    diff
}

/// What makes an engagement the same one on both sides: its `id`, else its
/// date as written, visiting parties (as a set), host and title.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Identity {
    Id(String),
    Header(String, Vec<String>, String, String),
}

fn key_of(ledger: &Ledger<'_>, index: EngagementIndex) -> Identity {
    let engagement = ledger.engagement(index);
    if let Some(id) = engagement.id() {
        return Identity::Id(id.to_owned());
    }
    let mut origin: Vec<String> = engagement
        .origin()
        .iter()
        .map(|&party| ledger.party(party).id.to_owned())
        .collect();
    origin.sort();
    Identity::Header(
        engagement.date_text().to_owned(),
        origin,
        ledger.destination_id(engagement.destination()).to_owned(),
        engagement.title().to_owned(),
    )
}

fn name_of(ledger: &Ledger<'_>, index: EngagementIndex) -> EngagementName {
    let engagement = ledger.engagement(index);
    EngagementName {
        id: engagement.id().map(str::to_owned),
        date: engagement.date_text().to_owned(),
        direction: Direction::of(engagement).label(ledger, Arrow::Ascii),
        title: engagement.title().to_owned(),
        display_direction: Direction::of(engagement).label(ledger, Arrow::Unicode),
    }
}

/// The fields of an engagement as a reviewer reads them: text, or a list.
fn fields_of(view: &View<'_, '_>, index: EngagementIndex) -> BTreeMap<String, FieldValue> {
    let exported = ExportedEngagement::new(view, index);
    let record = &exported.record;
    let text = |value: Option<&str>| FieldValue::Text(value.map(str::to_owned));
    let list = |items: &[&str]| FieldValue::List(items.iter().map(|item| (*item).to_owned()).collect());
    let counts = |counts: &[crate::export::WithheldCount<'_>]| {
        FieldValue::List(
            counts
                .iter()
                .map(|count| format!("+{} {}", count.count, count.party.unwrap_or("?")))
                .collect(),
        )
    };
    let mut fields = BTreeMap::new();
    let mut insert = |key: &str, value: FieldValue| fields.insert(key.to_owned(), value);
    insert("date", text(Some(record.date)));
    insert("from", list(&record.from));
    insert("to", text(Some(record.to)));
    insert("title", text(Some(record.title)));
    insert("format", text(record.format));
    insert("track", text(Some(record.track.as_str())));
    insert("series", text(record.series));
    insert("reciprocates", text(record.reciprocates));
    insert("status", text(Some(record.status.as_str())));
    insert("confidential", text(record.confidential.map(|c| c.as_str())));
    insert("embargo", FieldValue::Text(record.embargo.clone()));
    insert("venue", text(record.venue));
    insert("sponsors", list(&record.sponsors));
    insert(
        "participants",
        FieldValue::List(record.participants.iter().map(ParticipantRecord::as_item).collect()),
    );
    insert("participants (unnamed)", counts(&exported.withheld_participants));
    insert("met", list(&record.met));
    insert("met (unnamed)", counts(&exported.withheld_met));
    insert("sources", list(&record.sources));
    insert("notes", list(&record.notes));
    insert("tags", list(&record.tags));
    for (key, values) in &record.extra {
        insert(key, list(values));
    }
    fields
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum FieldValue {
    Text(Option<String>),
    List(Vec<String>),
}

fn field_changes(old: &BTreeMap<String, FieldValue>, new: &BTreeMap<String, FieldValue>) -> Vec<FieldChange> {
    let keys: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let empty_list = FieldValue::List(Vec::new());
    let mut changes = Vec::new();
    for key in keys {
        let before = old.get(key).unwrap_or(&empty_list);
        let after = new.get(key).unwrap_or(&empty_list);
        if before == after {
            continue;
        }
        let mut change = FieldChange {
            field: key.clone(),
            old: None,
            new: None,
            added: Vec::new(),
            removed: Vec::new(),
        };
        match (before, after) {
            (FieldValue::List(before), FieldValue::List(after)) => {
                change.added = after.iter().filter(|item| !before.contains(item)).cloned().collect();
                change.removed = before.iter().filter(|item| !after.contains(item)).cloned().collect();
                if change.added.is_empty() && change.removed.is_empty() {
                    // The same items in another order.
                    change.old = Some(before.join(", "));
                    change.new = Some(after.join(", "));
                }
            }
            (FieldValue::Text(before), FieldValue::Text(after)) => {
                change.old = before.clone();
                change.new = after.clone();
            }
            _ => unreachable!("a field keeps its kind"),
        }
        changes.push(change);
    }
    changes
}

fn engagement_changes(old: &View<'_, '_>, new: &View<'_, '_>) -> Vec<EngagementChange> {
    let keyed = |view: &View<'_, '_>| -> BTreeMap<Identity, EngagementIndex> {
        view.engagements
            .iter()
            .map(|&index| (key_of(view.ledger, index), index))
            .collect()
    };
    let (before, after) = (keyed(old), keyed(new));
    let mut changes = Vec::new();
    // In the order of the new ledger, then what was removed, in the old.
    for &index in &new.engagements {
        let key = key_of(new.ledger, index);
        match before.get(&key) {
            None => changes.push(EngagementChange {
                change: "added",
                engagement: name_of(new.ledger, index),
                fields: Vec::new(),
            }),
            Some(&was) => {
                let fields = field_changes(&fields_of(old, was), &fields_of(new, index));
                if !fields.is_empty() {
                    changes.push(EngagementChange {
                        change: "changed",
                        engagement: name_of(new.ledger, index),
                        fields,
                    });
                }
            }
        }
    }
    for &index in &old.engagements {
        if !after.contains_key(&key_of(old.ledger, index)) {
            changes.push(EngagementChange {
                change: "removed",
                engagement: name_of(old.ledger, index),
                fields: Vec::new(),
            });
        }
    }
    changes
}

/// Each declaration by (kind, id), with its display name and its fields.
type DeclarationTable = BTreeMap<(&'static str, String), (String, BTreeMap<String, FieldValue>)>;

/// The declarations a document lists.
fn declarations_of(document: &ExportDocument<'_>) -> DeclarationTable {
    let text = |value: Option<&str>| FieldValue::Text(value.map(str::to_owned));
    let mut declarations = BTreeMap::new();
    let mut add = |kind, id: &str, name: &str, fields: Vec<(&'static str, FieldValue)>| {
        let mut fields: BTreeMap<String, FieldValue> =
            fields.into_iter().map(|(key, value)| (key.to_owned(), value)).collect();
        fields.insert("name".to_owned(), text(Some(name)));
        declarations.insert((kind, id.to_owned()), (name.to_owned(), fields));
    };
    for party in &document.parties {
        add("party", party.id, party.name, vec![("wikidata", text(party.wikidata))]);
    }
    for org in &document.orgs {
        let kind = org.kind.map(|kind| kind.as_str());
        add(
            "org",
            org.id,
            org.name,
            vec![
                ("party", text(org.party)),
                ("kind", text(kind)),
                ("wikidata", text(org.wikidata)),
            ],
        );
    }
    for person in &document.persons {
        let aliases = FieldValue::List(person.aliases.iter().map(|alias| (*alias).to_owned()).collect());
        add(
            "person",
            person.id,
            person.name,
            vec![
                ("party", text(person.party)),
                ("org", text(person.org)),
                ("role", text(person.role)),
                ("aliases", aliases),
                ("wikidata", text(person.wikidata)),
            ],
        );
    }
    for format in &document.formats {
        add("format", format.id, format.name, Vec::new());
    }
    for series in &document.series {
        add("series", series.id, series.name, Vec::new());
    }
    declarations
}

/// Declarations added, removed and changed, among those each side's view
/// discloses. A declaration both ledgers have is never "added" because a
/// change named its person for the first time (or "removed" because the
/// last engagement naming them went).
fn declaration_changes(
    old: &ExportDocument<'_>,
    new: &ExportDocument<'_>,
    declared: (&Ledger<'_>, &Ledger<'_>),
) -> Vec<DeclarationChange> {
    let (before, after) = (declarations_of(old), declarations_of(new));
    let in_ledger = |ledger: &Ledger<'_>, kind: &str, id: &str| match kind {
        "party" => ledger.parties.iter().any(|d| d.id == id),
        "org" => ledger.orgs.iter().any(|d| d.id == id),
        "person" => ledger.persons.iter().any(|d| d.id == id),
        "format" => ledger.formats.iter().any(|d| d.id == id),
        _ => ledger.series.iter().any(|d| d.id == id),
    };
    let mut changes = Vec::new();
    for ((kind, id), (name, fields)) in &after {
        let change = match before.get(&(*kind, id.clone())) {
            None if in_ledger(declared.0, kind, id) => None,
            None => Some(("added", Vec::new())),
            Some((_, was)) => Some(("changed", field_changes(was, fields))).filter(|(_, changes)| !changes.is_empty()),
        };
        if let Some((change, fields)) = change {
            changes.push(DeclarationChange {
                change,
                kind,
                id: id.clone(),
                name: name.clone(),
                fields,
            });
        }
    }
    for ((kind, id), (name, _)) in &before {
        if !after.contains_key(&(*kind, id.clone())) && !in_ledger(declared.1, kind, id) {
            changes.push(DeclarationChange {
                change: "removed",
                kind,
                id: id.clone(),
                name: name.clone(),
                fields: Vec::new(),
            });
        }
    }
    changes
}

/// What changed that the views do not show: withheld engagements compared
/// whole, and people and orgs neither side discloses. Only counted.
fn withheld_changes(
    old: &View<'_, '_>,
    new: &View<'_, '_>,
    old_document: &ExportDocument<'_>,
    new_document: &ExportDocument<'_>,
) -> WithheldChanges {
    let mut changes = WithheldChanges::default();
    if old.reveal || new.reveal {
        return changes;
    }
    let withheld = |view: &View<'_, '_>| -> BTreeMap<Identity, String> {
        let ledger = view.ledger;
        ledger
            .engagements()
            .filter(|&engagement| privacy::is_withheld(engagement, view.as_of()))
            .map(|engagement| {
                let whole = serde_json::to_string(&crate::export::EngagementRecord::new(ledger, engagement))
                    .expect("records serialise");
                (key_of(ledger, engagement.index()), whole)
            })
            .collect()
    };
    let (before, after) = (withheld(old), withheld(new));
    for (key, record) in &after {
        match before.get(key) {
            None => changes.engagements_added += 1,
            Some(was) if was != record => changes.engagements_changed += 1,
            Some(_) => {}
        }
    }
    changes.engagements_removed = before.keys().filter(|key| !after.contains_key(key)).count();
    // People and orgs neither side shows: compared whole, only counted.
    let whole = |ledger: &Ledger<'_>| -> BTreeMap<(&'static str, String), String> {
        let everything = crate::export::LedgerDocument::new(ledger);
        let json = |record: &dyn erased::Record| record.json();
        everything
            .persons
            .iter()
            .map(|person| (("person", person.id.to_owned()), json(person)))
            .chain(
                everything
                    .orgs
                    .iter()
                    .map(|org| (("org", org.id.to_owned()), json(org))),
            )
            .collect()
    };
    let shown = |document: &ExportDocument<'_>| -> std::collections::BTreeSet<(&'static str, String)> {
        document
            .persons
            .iter()
            .map(|person| ("person", person.id.to_owned()))
            .chain(document.orgs.iter().map(|org| ("org", org.id.to_owned())))
            .collect()
    };
    let (old_whole, new_whole) = (whole(old.ledger), whole(new.ledger));
    let (old_shown, new_shown) = (shown(old_document), shown(new_document));
    let keys: std::collections::BTreeSet<&(&'static str, String)> = old_whole.keys().chain(new_whole.keys()).collect();
    changes.declarations_changed = keys
        .into_iter()
        .filter(|key| !old_shown.contains(*key) && !new_shown.contains(*key))
        .filter(|key| old_whole.get(*key) != new_whole.get(*key))
        .count();
    changes
}

/// Records compared as their JSON text.
mod erased {
    pub trait Record {
        fn json(&self) -> String;
    }

    impl<T: serde::Serialize> Record for T {
        fn json(&self) -> String {
            serde_json::to_string(self).expect("records serialise")
        }
    }
}

fn direction_counts(old: &View<'_, '_>, new: &View<'_, '_>) -> Vec<DirectionCount> {
    let mut counts: BTreeMap<Direction, (usize, usize, String, String)> = BTreeMap::new();
    let mut count = |view: &View<'_, '_>, after: bool| {
        for engagement in view.iter() {
            let direction = Direction::of(engagement);
            // Directions are compared by their labels: party indices differ
            // between the two ledgers.
            let label = direction.label(view.ledger, Arrow::Ascii);
            let display = direction.label(view.ledger, Arrow::Unicode);
            let entry = counts.entry(direction).or_insert((0, 0, label, display));
            if after {
                entry.1 += 1;
            } else {
                entry.0 += 1;
            }
        }
    };
    count(old, false);
    count(new, true);
    let mut by_label: BTreeMap<String, (usize, usize, String)> = BTreeMap::new();
    for (before, after, label, display) in counts.into_values() {
        let entry = by_label.entry(label).or_insert((0, 0, display));
        entry.0 += before;
        entry.1 += after;
    }
    by_label
        .into_iter()
        .map(|(direction, (before, after, display_direction))| DirectionCount {
            direction,
            before,
            after,
            display_direction,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Filter;
    use crate::privacy::Disclosure;
    use crate::report::Report;

    const BEFORE: &str = "party AM Armenia\nparty AZ Azerbaijan\nformat d Dialogue\n\
        person a A\n  party: AZ\nperson b B\n  party: AZ\nperson s Secret\n  party: AZ\n  private: yes\n\
        2025-10-21 AZ -> AM First round\n  id: r1\n  format: d\n  participants: a, s\n";

    fn diff_of(before: &str, after: &str, reveal: bool) -> LedgerDiff {
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let options = crate::AnalysisOptions { as_of };
        let old = crate::loader::load_bytes("a.track2", before.as_bytes().to_vec()).unwrap();
        let new = crate::loader::load_bytes("a.track2", after.as_bytes().to_vec()).unwrap();
        let (old, new) = (crate::check(&old, &options), crate::check(&new, &options));
        assert!(old.diagnostics.is_empty() && new.diagnostics.is_empty());
        let disclosure = Disclosure { reveal, as_of };
        let old = View::new(&old.ledger, disclosure, &Filter::default());
        let new = View::new(&new.ledger, disclosure, &Filter::default());
        diff(&old, &new)
    }

    #[test]
    fn an_added_round_and_a_changed_participant() {
        let after = BEFORE.replace("participants: a, s", "participants: b, s")
            + "2025-11-21 AM -> AZ Second round\n  id: r2\n  format: d\n  reciprocates: r1\n";
        let diff = diff_of(BEFORE, &after, false);
        let changes: Vec<(&str, &str, Vec<String>)> = diff
            .engagements
            .iter()
            .map(|c| {
                (
                    c.change,
                    c.engagement.title.as_str(),
                    c.fields.iter().map(FieldChange::describe).collect(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            [
                ("changed", "First round", vec!["participants: +b −a".to_owned()]),
                ("added", "Second round", vec![]),
            ]
        );
        // The private participant is neither named nor counted as changed.
        let text = crate::table::to_terminal(&diff.tables());
        assert!(!text.contains("Secret") && !text.contains(" s"), "{text}");
        assert_eq!(
            diff.directions
                .iter()
                .find(|d| d.direction == "AM -> AZ")
                .map(|d| (d.before, d.after)),
            Some((0, 1))
        );
    }

    #[test]
    fn withheld_engagements_are_only_counted() {
        let after = format!(
            "{BEFORE}2025-12-01 AZ -> AM Quiet talks\n  format: d\n  confidential: private\n  venue: Nowhere\n"
        );
        let diff = diff_of(BEFORE, &after, false);
        assert!(diff.engagements.is_empty());
        assert_eq!(diff.withheld.engagements_added, 1);
        let json = serde_json::to_string(&diff.to_json()).unwrap();
        assert!(!json.contains("Quiet") && !json.contains("Nowhere"), "{json}");
        let revealed = diff_of(BEFORE, &after, true);
        assert_eq!(revealed.engagements[0].engagement.title, "Quiet talks");
    }

    #[test]
    fn a_renamed_person_is_a_changed_declaration() {
        let after = BEFORE.replace("person a A\n", "person a Anna A\n");
        let diff = diff_of(BEFORE, &after, false);
        assert_eq!(diff.declarations.len(), 1);
        assert_eq!(diff.declarations[0].fields[0].describe(), "name: A → Anna A");
        // A private person's change is counted, not shown.
        let after = BEFORE.replace("person s Secret\n", "person s Very Secret\n");
        let diff = diff_of(BEFORE, &after, false);
        assert!(diff.declarations.is_empty());
        assert_eq!(diff.withheld.declarations_changed, 1);
    }

    #[test]
    fn textconv_puts_each_block_on_one_line() {
        let text = "# People\nparty AM   Armenia\n\n2025 AM -> AZ T\n  participants: a,b\n  format: d\n";
        assert_eq!(
            textconv(text).unwrap(),
            "# People\nparty AM Armenia\n2025 AM -> AZ T | format: d | participants: a, b\n"
        );
    }
}
