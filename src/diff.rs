//! `track2 diff`: what a change does to the record, for a reviewer who
//! would otherwise read a text diff. Engagements and declarations added,
//! removed and changed (with each changed field old → new, and lists as
//! `+added −removed`), and the effect on the count of each direction.
//!
//! Engagements are matched by `id`, else by what makes two engagements the
//! same (GRAMMAR.md §5.2: date as written, visiting parties, host, title).
//! Both sides are seen through a privacy view: what an output may not show
//! is compared too, but only counted ("1 withheld engagement added").

use std::collections::BTreeMap;

use serde::Serialize;

use crate::export::{ExportDocument, ExportedEngagement, ParticipantRecord};
use crate::model::{Arrow, Direction, EngagementIndex, Ledger};
use crate::privacy::{self, View};
use crate::report::Report;
use crate::table::{Column, Table};

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
enum EngagementKey {
    Id(String),
    Header(String, Vec<String>, String, String),
}

fn key_of(ledger: &Ledger<'_>, index: EngagementIndex) -> EngagementKey {
    let engagement = ledger.engagement(index);
    if let Some(id) = engagement.id() {
        return EngagementKey::Id(id.to_owned());
    }
    let mut origin: Vec<String> = engagement
        .origin()
        .iter()
        .map(|&party| ledger.party(party).id.to_owned())
        .collect();
    origin.sort();
    EngagementKey::Header(
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
fn fields_of(view: &View<'_, '_>, index: EngagementIndex) -> BTreeMap<String, Value> {
    let exported = ExportedEngagement::new(view, index);
    let record = &exported.record;
    let text = |value: Option<&str>| Value::Text(value.map(str::to_owned));
    let list = |items: &[&str]| Value::List(items.iter().map(|item| (*item).to_owned()).collect());
    let counts = |counts: &[crate::export::WithheldCount<'_>]| {
        Value::List(
            counts
                .iter()
                .map(|count| format!("+{} {}", count.count, count.party.unwrap_or("?")))
                .collect(),
        )
    };
    let mut fields = BTreeMap::new();
    let mut insert = |key: &str, value: Value| fields.insert(key.to_owned(), value);
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
    insert("embargo", Value::Text(record.embargo.clone()));
    insert("venue", text(record.venue));
    insert("sponsors", list(&record.sponsors));
    insert(
        "participants",
        Value::List(record.participants.iter().map(ParticipantRecord::as_item).collect()),
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
enum Value {
    Text(Option<String>),
    List(Vec<String>),
}

fn field_changes(old: &BTreeMap<String, Value>, new: &BTreeMap<String, Value>) -> Vec<FieldChange> {
    let keys: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let empty_list = Value::List(Vec::new());
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
            (Value::List(before), Value::List(after)) => {
                change.added = after.iter().filter(|item| !before.contains(item)).cloned().collect();
                change.removed = before.iter().filter(|item| !after.contains(item)).cloned().collect();
                if change.added.is_empty() && change.removed.is_empty() {
                    // The same items in another order.
                    change.old = Some(before.join(", "));
                    change.new = Some(after.join(", "));
                }
            }
            (Value::Text(before), Value::Text(after)) => {
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
    let keyed = |view: &View<'_, '_>| -> BTreeMap<EngagementKey, EngagementIndex> {
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
type Declarations = BTreeMap<(&'static str, String), (String, BTreeMap<String, Value>)>;

/// The declarations a document lists.
fn declarations_of(document: &ExportDocument<'_>) -> Declarations {
    let text = |value: Option<&str>| Value::Text(value.map(str::to_owned));
    let mut declarations = BTreeMap::new();
    let mut add = |kind, id: &str, name: &str, fields: Vec<(&'static str, Value)>| {
        let mut fields: BTreeMap<String, Value> =
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
        let aliases = Value::List(person.aliases.iter().map(|alias| (*alias).to_owned()).collect());
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
    let withheld = |view: &View<'_, '_>| -> BTreeMap<EngagementKey, String> {
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

impl LedgerDiff {
    pub fn is_empty(&self) -> bool {
        self.engagements.is_empty() && self.declarations.is_empty() && self.withheld.is_empty()
    }

    fn tally(&self, change: &str) -> usize {
        self.engagements.iter().filter(|c| c.change == change).count()
    }
}

impl Report for LedgerDiff {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("reports serialise")
    }

    fn tables(&self) -> Vec<Table> {
        let mut tables = Vec::new();
        let summary = format!(
            "Engagements: {} added, {} removed, {} changed ({} before, {} after)",
            self.tally("added"),
            self.tally("removed"),
            self.tally("changed"),
            self.before,
            self.after
        );
        let mut engagements = Table::new(
            Some(&summary),
            ["change", "date", "direction", "title", "what changed"]
                .into_iter()
                .map(Column::text)
                .collect(),
        );
        for change in &self.engagements {
            let what: Vec<String> = change.fields.iter().map(FieldChange::describe).collect();
            engagements.push(vec![
                change.change.to_owned(),
                change.engagement.date.clone(),
                change.engagement.display_direction.clone(),
                change.engagement.title.clone(),
                what.join("; "),
            ]);
        }
        tables.push(engagements);
        if !self.declarations.is_empty() {
            let mut declarations = Table::new(
                Some("Declarations"),
                ["change", "kind", "id", "name", "what changed"]
                    .into_iter()
                    .map(Column::text)
                    .collect(),
            );
            for change in &self.declarations {
                let what: Vec<String> = change.fields.iter().map(FieldChange::describe).collect();
                declarations.push(vec![
                    change.change.to_owned(),
                    change.kind.to_owned(),
                    change.id.clone(),
                    change.name.clone(),
                    what.join("; "),
                ]);
            }
            tables.push(declarations);
        }
        let moved: Vec<&DirectionCount> = self.directions.iter().filter(|d| d.before != d.after).collect();
        if !moved.is_empty() {
            let mut directions = Table::new(
                Some("Engagements per direction"),
                vec![
                    Column::text("direction"),
                    Column::number("before"),
                    Column::number("after"),
                ],
            );
            for count in moved {
                directions.push(vec![
                    count.display_direction.clone(),
                    count.before.to_string(),
                    count.after.to_string(),
                ]);
            }
            tables.push(directions);
        }
        if !self.withheld.is_empty() {
            let mut withheld = Table::new(
                Some("Withheld records (counted only)"),
                vec![Column::text("change"), Column::number("count")],
            );
            let w = &self.withheld;
            for (label, count) in [
                ("withheld engagements added", w.engagements_added),
                ("withheld engagements removed", w.engagements_removed),
                ("withheld engagements changed", w.engagements_changed),
                ("undisclosed declarations changed", w.declarations_changed),
            ] {
                if count > 0 {
                    withheld.push(vec![label.to_owned(), count.to_string()]);
                }
            }
            tables.push(withheld);
        }
        tables
    }

    fn csv_table(&self) -> Table {
        let mut table = Table::new(
            None,
            [
                "change",
                "id",
                "date",
                "direction",
                "title",
                "field",
                "old",
                "new",
                "added",
                "removed",
            ]
            .into_iter()
            .map(Column::text)
            .collect(),
        );
        for change in &self.engagements {
            let name = &change.engagement;
            let row = |field: Option<&FieldChange>| {
                vec![
                    change.change.to_owned(),
                    name.id.clone().unwrap_or_default(),
                    name.date.clone(),
                    name.direction.clone(),
                    name.title.clone(),
                    field.map(|f| f.field.clone()).unwrap_or_default(),
                    field.and_then(|f| f.old.clone()).unwrap_or_default(),
                    field.and_then(|f| f.new.clone()).unwrap_or_default(),
                    field.map(|f| f.added.join(";")).unwrap_or_default(),
                    field.map(|f| f.removed.join(";")).unwrap_or_default(),
                ]
            };
            if change.fields.is_empty() {
                table.push(row(None));
            }
            for field in &change.fields {
                table.push(row(Some(field)));
            }
        }
        table
    }
}

/// A file as `git diff` should compare it (a git textconv driver): one line
/// per block, its header and then its fields in canonical order (`key:
/// value` joined by ` | `), each comment on a line of its own. A change to
/// an engagement then shows as that engagement's line, whatever the layout.
/// The file is shown as written, private records included: like `fmt
/// --diff`, this is for the person editing the ledger.
pub fn textconv(text: &str) -> Result<String, Vec<crate::Diagnostic>> {
    let canonical = crate::format::format_text(text)?;
    let mut out = String::with_capacity(canonical.len());
    let mut block = String::new();
    let flush = |block: &mut String, out: &mut String| {
        if !block.is_empty() {
            out.push_str(block);
            out.push('\n');
            block.clear();
        }
    };
    for line in canonical.trim_start_matches('\u{feff}').lines() {
        let line = line.trim_end_matches('\r');
        if let Some(field) = line.strip_prefix("  ") {
            if field.starts_with('#') {
                flush(&mut block, &mut out);
                out.push_str(field);
                out.push('\n');
            } else {
                block.push_str(" | ");
                block.push_str(field);
            }
        } else if line.is_empty() {
            flush(&mut block, &mut out);
        } else if line.starts_with('#') || line.starts_with("include ") {
            flush(&mut block, &mut out);
            out.push_str(line);
            out.push('\n');
        } else {
            flush(&mut block, &mut out);
            block.push_str(line);
        }
    }
    flush(&mut block, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Filter;
    use crate::privacy::Disclosure;

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
