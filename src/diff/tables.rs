//! A comparison as a reviewer reads it: a summary line, then a table of
//! engagements, declarations, withheld records and direction counts, each
//! only when something in it changed.

use super::{DirectionCount, FieldChange, LedgerDiff};
use crate::report::Report;
use crate::table::{Column, Table};

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
