//! `report reciprocity`: for each pair of parties, visits each way, and each
//! visit paired with the visit that returned it.
//!
//! Only bilateral visits (`A -> B`) take part, and each can be both the
//! return of one visit and a visit returned by another, so that a chain of
//! rounds A → B → A → B pairs each step. A `reciprocates:` link always pairs.
//! Otherwise a visit is taken as the return of the oldest visit the other
//! way that is not returned yet, started strictly earlier, and belongs to the
//! same series: the next round of a dialogue, never an unrelated event that
//! happens to follow. What is left over is listed as not yet returned.
//!
//! Under `--min-count`, single visits are not listed: counting the rows of
//! a list would give away the counts the option withholds.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use super::{Count, Report, ReportOptions};
use crate::chart::Chart;
use crate::chart::dumbbell::{Dumbbells, ReturnMark, VisitMark};
use crate::date::{DateSpec, Precision};
use crate::model::{Engagement, EngagementIndex, Ledger, PartyIndex};
use crate::privacy::View;
use crate::table::{Column, Table};

#[derive(Clone, Debug)]
pub struct PairRow {
    /// The two parties, in declaration order.
    pub a: String,
    pub b: String,
    pub a_to_b: Count,
    pub b_to_a: Count,
}

impl PairRow {
    /// Visits `a -> b` minus visits `b -> a`: positive when `b` owes
    /// visits. `None` when either count is withheld by `--min-count`, which
    /// the difference would otherwise give away.
    pub fn balance(&self) -> Option<i64> {
        let withheld = self.a_to_b.is_suppressed() || self.b_to_a.is_suppressed();
        (!withheld).then(|| self.a_to_b.value() as i64 - self.b_to_a.value() as i64)
    }

    /// The balance as a table shows it: `+1`, `-2`, `0`, or `?` when
    /// withheld.
    pub fn balance_text(&self) -> String {
        match self.balance() {
            None => "?".to_owned(),
            Some(0) => "0".to_owned(),
            Some(balance) => format!("{balance:+}"),
        }
    }
}

impl Serialize for PairRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut row = serializer.serialize_struct("PairRow", 5)?;
        row.serialize_field("a", &self.a)?;
        row.serialize_field("b", &self.b)?;
        row.serialize_field("a_to_b", &self.a_to_b)?;
        row.serialize_field("b_to_a", &self.b_to_a)?;
        row.serialize_field("balance", &self.balance())?;
        row.end()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct VisitRow {
    pub id: Option<String>,
    pub date: String,
    pub from: String,
    pub to: String,
    pub title: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Exchange {
    pub visit: VisitRow,
    pub returned_by: VisitRow,
    /// Days from the start of the visit to the start of its return.
    pub lag_days: i64,
    /// Whether either date is a month or a year, so that the lag counts from
    /// the first day of that month or year.
    pub approximate: bool,
    /// Whether a `reciprocates:` link made the pair.
    pub explicit: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReciprocityReport {
    pub pairs: Vec<PairRow>,
    /// `None` under `--min-count`: see the module's comment.
    pub exchanges: Option<Vec<Exchange>>,
    pub unreturned: Option<Vec<VisitRow>>,
}

fn visit(ledger: &Ledger<'_>, engagement: Engagement<'_, '_>) -> VisitRow {
    VisitRow {
        id: engagement.id().map(str::to_owned),
        date: engagement.date_text().to_owned(),
        from: ledger.party(engagement.origin()[0]).id.to_owned(),
        to: ledger.destination_id(engagement.destination()).to_owned(),
        title: engagement.title().to_owned(),
    }
}

/// The two ends of a bilateral visit.
fn ends(engagement: Engagement<'_, '_>) -> Option<(PartyIndex, PartyIndex)> {
    engagement.bilateral_ends()
}

/// Visits each way between each pair of parties, without pairing them:
/// what the summary shows, counted without listing a single visit.
pub fn balances(view: &View<'_, '_>, options: ReportOptions) -> Vec<PairRow> {
    let mut counts: rustc_hash::FxHashMap<(PartyIndex, PartyIndex), (u64, u64)> = Default::default();
    for engagement in view.iter() {
        if let Some((from, to)) = ends(engagement) {
            let count = counts.entry((from.min(to), from.max(to))).or_default();
            if from < to {
                count.0 += 1;
            } else {
                count.1 += 1;
            }
        }
    }
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort_unstable_by_key(|(pair, _)| *pair);
    counts
        .into_iter()
        .map(|((a, b), (a_to_b, b_to_a))| pair_row(view.ledger, a, b, a_to_b, b_to_a, options))
        .collect()
}

fn pair_row(
    ledger: &Ledger<'_>,
    a: PartyIndex,
    b: PartyIndex,
    a_to_b: u64,
    b_to_a: u64,
    options: ReportOptions,
) -> PairRow {
    PairRow {
        a: ledger.party(a).id.to_owned(),
        b: ledger.party(b).id.to_owned(),
        a_to_b: Count::new(a_to_b, options),
        b_to_a: Count::new(b_to_a, options),
    }
}

pub fn reciprocity(view: &View<'_, '_>, options: ReportOptions) -> ReciprocityReport {
    let ledger = view.ledger;
    // Visits of each unordered pair, in date order (ledger order on a tie).
    let mut by_pair: BTreeMap<(PartyIndex, PartyIndex), Vec<EngagementIndex>> = BTreeMap::new();
    for &index in &view.engagements {
        if let Some((from, to)) = ends(ledger.engagement(index)) {
            by_pair.entry((from.min(to), from.max(to))).or_default().push(index);
        }
    }
    let start = |index: EngagementIndex| ledger.engagement(index).date().first_day();
    let mut pairs = Vec::new();
    let mut exchanges = Vec::new();
    let mut unreturned = Vec::new();
    for ((a, b), mut visits) in by_pair {
        let a_to_b = visits
            .iter()
            .filter(|&&i| ends(ledger.engagement(i)) == Some((a, b)))
            .count() as u64;
        let b_to_a = visits.len() as u64 - a_to_b;
        pairs.push(pair_row(ledger, a, b, a_to_b, b_to_a, options));
        visits.sort_by_key(|&index| (start(index), index));

        let pairs = pair_visits(ledger, &visits);
        let returned: rustc_hash::FxHashSet<EngagementIndex> = pairs.iter().map(|&(visit, _, _)| visit).collect();
        for (outbound, inbound, explicit) in pairs {
            let (there, back) = (ledger.engagement(outbound), ledger.engagement(inbound));
            let approximate = [there, back]
                .iter()
                .any(|e| matches!(e.date().precision(), Precision::Month | Precision::Year));
            exchanges.push(Exchange {
                visit: visit(ledger, there),
                returned_by: visit(ledger, back),
                lag_days: (back.date().first_day() - there.date().first_day()).num_days(),
                approximate,
                explicit,
            });
        }
        unreturned.extend(
            visits
                .iter()
                .filter(|index| !returned.contains(index))
                .map(|&index| visit(ledger, ledger.engagement(index))),
        );
    }
    // The pairs' counts lie on no line of their own: the balance, their
    // difference, is left out whenever either is withheld.
    let listed = options.min_count <= 1;
    ReciprocityReport {
        pairs,
        exchanges: listed.then_some(exchanges),
        unreturned: listed.then_some(unreturned),
    }
}

/// The visits of one pair of parties (in date order, ledger order on a
/// tie) paired as (visit, its return, whether a `reciprocates:` link made
/// the pair). Each visit is returned at most once and returns at most one.
fn pair_visits(ledger: &Ledger<'_>, visits: &[EngagementIndex]) -> Vec<(EngagementIndex, EngagementIndex, bool)> {
    let position_of: rustc_hash::FxHashMap<EngagementIndex, usize> = visits
        .iter()
        .enumerate()
        .map(|(position, &index)| (index, position))
        .collect();
    let mut returned = vec![false; visits.len()];
    let mut returns = vec![false; visits.len()];
    let mut pairs = Vec::new();
    // Links first: what the ledger says outweighs any inference.
    for (position, &index) in visits.iter().enumerate() {
        let Some(target) = ledger.engagement(index).reciprocates() else {
            continue;
        };
        // The link was checked when the ledger was read; the target may
        // still be outside this view (filtered out or withheld).
        if let Some(&target_position) = position_of.get(&target) {
            if !returned[target_position] {
                returned[target_position] = true;
                returns[position] = true;
                pairs.push((target, index, true));
            }
        }
    }
    // Then, in date order and within a series, each visit that returns
    // nothing yet returns the oldest earlier visit the other way that is
    // still waiting.
    let start = |index: EngagementIndex| ledger.engagement(index).date().first_day();
    let mut waiting: rustc_hash::FxHashMap<(crate::model::SeriesIndex, PartyIndex), VecDeque<usize>> =
        Default::default();
    for (position, &index) in visits.iter().enumerate() {
        let engagement = ledger.engagement(index);
        let (Some(series), Some((from, to))) = (engagement.series(), ends(engagement)) else {
            continue;
        };
        if !returns[position] {
            let other_way = waiting.entry((series, to)).or_default();
            while other_way.front().is_some_and(|&earlier| returned[earlier]) {
                other_way.pop_front();
            }
            if let Some(&earlier) = other_way
                .front()
                .filter(|&&earlier| start(visits[earlier]) < start(index))
            {
                other_way.pop_front();
                returned[earlier] = true;
                returns[position] = true;
                pairs.push((visits[earlier], index, false));
            }
        }
        if !returned[position] {
            waiting.entry((series, from)).or_default().push_back(position);
        }
    }
    pairs.sort_by_key(|&(visit, back, _)| (start(visit), visit, start(back)));
    pairs
}

fn visit_cells(visit: &VisitRow) -> [String; 3] {
    [
        visit.date.clone(),
        format!("{} → {}", visit.from, visit.to),
        visit.title.clone(),
    ]
}

impl Report for ReciprocityReport {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("reports serialise")
    }

    fn chart(&self) -> Option<Chart> {
        // Dates come as the ledger writes them; a valid ledger's all parse.
        let day = |visit: &VisitRow| DateSpec::parse(&visit.date).ok().map(DateSpec::first_day);
        let direction = |visit: &VisitRow| format!("{} → {}", visit.from, visit.to);
        let returned = self.exchanges.iter().flatten().filter_map(|exchange| {
            let back = &exchange.returned_by;
            Some(VisitMark {
                title: exchange.visit.title.clone(),
                direction: direction(&exchange.visit),
                date: day(&exchange.visit)?,
                date_text: exchange.visit.date.clone(),
                returned: Some(ReturnMark {
                    title: back.title.clone(),
                    direction: direction(back),
                    date: day(back)?,
                    date_text: back.date.clone(),
                    lag_days: exchange.lag_days,
                    approximate: exchange.approximate,
                }),
            })
        });
        let unreturned = self.unreturned.iter().flatten().filter_map(|visit| {
            Some(VisitMark {
                title: visit.title.clone(),
                direction: direction(visit),
                date: day(visit)?,
                date_text: visit.date.clone(),
                returned: None,
            })
        });
        let mut visits: Vec<VisitMark> = returned.chain(unreturned).collect();
        visits.sort_by_key(|visit| visit.date);
        Some(Chart::Dumbbell(Dumbbells {
            title: "Visits and their returns".to_owned(),
            balances: self
                .pairs
                .iter()
                .map(|pair| {
                    vec![
                        (format!("{} → {}", pair.a, pair.b), pair.a_to_b.into()),
                        (format!("{} → {}", pair.b, pair.a), pair.b_to_a.into()),
                    ]
                })
                .collect(),
            visits,
        }))
    }

    fn tables(&self) -> Vec<Table> {
        let title = match self.exchanges {
            Some(_) => "Visits between each pair of parties",
            None => "Visits between each pair of parties (single visits are not listed under --min-count)",
        };
        let mut pairs = Table::new(
            Some(title),
            vec![
                Column::text("pair"),
                Column::number("a → b"),
                Column::number("b → a"),
                Column::number("balance"),
            ],
        );
        for pair in &self.pairs {
            pairs.push(vec![
                format!("{} ↔ {}", pair.a, pair.b),
                pair.a_to_b.to_string(),
                pair.b_to_a.to_string(),
                pair.balance_text(),
            ]);
        }
        let mut exchanges = Table::new(
            Some("Visits and their returns"),
            vec![
                Column::text("date"),
                Column::text("visit"),
                Column::text("title"),
                Column::text("returned"),
                Column::text("by"),
                Column::number("lag (days)"),
            ],
        );
        for exchange in self.exchanges.iter().flatten() {
            let [date, direction, title] = visit_cells(&exchange.visit);
            let lag = if exchange.approximate {
                format!("≈{}", exchange.lag_days)
            } else {
                exchange.lag_days.to_string()
            };
            exchanges.push(vec![
                date,
                direction,
                title,
                exchange.returned_by.date.clone(),
                exchange.returned_by.title.clone(),
                lag,
            ]);
        }
        let mut unreturned = Table::new(
            Some("Visits not yet returned"),
            vec![Column::text("date"), Column::text("visit"), Column::text("title")],
        );
        for visit in self.unreturned.iter().flatten() {
            unreturned.push(visit_cells(visit).into());
        }
        // A table without rows says nothing a reader needs: "not yet
        // returned", empty, is left out.
        vec![pairs, exchanges, unreturned]
    }

    /// One row per visit: paired ones with their return, then the rest.
    fn csv_table(&self) -> Table {
        let mut table = Table::new(
            None,
            vec![
                Column::text("date"),
                Column::text("from"),
                Column::text("to"),
                Column::text("id"),
                Column::text("title"),
                Column::text("returned_date"),
                Column::text("returned_id"),
                Column::text("returned_title"),
                Column::number("lag_days"),
                Column::text("approximate"),
                Column::text("explicit"),
            ],
        );
        let visit_columns = |visit: &VisitRow| {
            vec![
                visit.date.clone(),
                visit.from.clone(),
                visit.to.clone(),
                visit.id.clone().unwrap_or_default(),
                visit.title.clone(),
            ]
        };
        for exchange in self.exchanges.iter().flatten() {
            let mut row = visit_columns(&exchange.visit);
            row.extend([
                exchange.returned_by.date.clone(),
                exchange.returned_by.id.clone().unwrap_or_default(),
                exchange.returned_by.title.clone(),
                exchange.lag_days.to_string(),
                exchange.approximate.to_string(),
                exchange.explicit.to_string(),
            ]);
            table.push(row);
        }
        for visit in self.unreturned.iter().flatten() {
            let mut row = visit_columns(visit);
            row.extend(std::iter::repeat_n(String::new(), 6));
            table.push(row);
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Filter;
    use crate::privacy::Disclosure;

    /// (visit, its return, explicit) by id, and the ids not yet returned.
    fn pairs_of(text: &str) -> (Vec<(String, String, bool)>, Vec<String>) {
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let loaded = crate::loader::load_bytes("t.track2", text.as_bytes().to_vec()).unwrap();
        let analysis = crate::check(&loaded, &crate::AnalysisOptions { as_of });
        assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
        let view = View::new(
            &analysis.ledger,
            Disclosure { reveal: false, as_of },
            &Filter::default(),
        );
        let report = reciprocity(&view, ReportOptions::new(as_of));
        let id = |visit: &VisitRow| visit.id.clone().unwrap_or_default();
        (
            report
                .exchanges
                .iter()
                .flatten()
                .map(|exchange| (id(&exchange.visit), id(&exchange.returned_by), exchange.explicit))
                .collect(),
            report.unreturned.iter().flatten().map(id).collect(),
        )
    }

    const DECLARATIONS: &str = "party AM A\nparty AZ B\nformat f F\nseries pb Peace Bridge\nseries other Other\n";

    #[test]
    fn a_chain_of_linked_rounds_pairs_each_step() {
        let text = format!(
            "{DECLARATIONS}2025-10-21 AZ -> AM One\n  id: pb-1\n  format: f\n  series: pb\n\
             2025-11-21 AM -> AZ Two\n  id: pb-2\n  format: f\n  series: pb\n  reciprocates: pb-1\n\
             2025-12-13 AZ -> AM Three\n  id: pb-3\n  format: f\n  series: pb\n  reciprocates: pb-2\n"
        );
        let (pairs, unreturned) = pairs_of(&text);
        let owned = |a: &str, b: &str| (a.to_owned(), b.to_owned(), true);
        assert_eq!(pairs, [owned("pb-1", "pb-2"), owned("pb-2", "pb-3")]);
        assert_eq!(unreturned, ["pb-3"]);
    }

    #[test]
    fn rounds_of_a_series_pair_without_links() {
        let text = format!(
            "{DECLARATIONS}2025-01 AZ -> AM One\n  id: s1\n  format: f\n  series: pb\n\
             2025-03 AM -> AZ Two\n  id: s2\n  format: f\n  series: pb\n\
             2025-05 AZ -> AM Three\n  id: s3\n  format: f\n  series: pb\n"
        );
        let (pairs, unreturned) = pairs_of(&text);
        let inferred = |a: &str, b: &str| (a.to_owned(), b.to_owned(), false);
        assert_eq!(pairs, [inferred("s1", "s2"), inferred("s2", "s3")]);
        assert_eq!(unreturned, ["s3"]);
    }

    #[test]
    fn unrelated_visits_are_never_taken_for_returns() {
        // A security forum in Baku and a seminar in Yerevan three days later:
        // two events, not a visit and its return; nor two series.
        let text = format!(
            "{DECLARATIONS}2025-09-19 AM -> AZ Security forum in Baku\n  id: f\n  format: f\n\
             2025-09-22 AZ -> AM Seminar in Yerevan\n  id: s\n  format: f\n\
             2025-10-01 AM -> AZ Round one\n  id: o1\n  format: f\n  series: other\n\
             2025-10-20 AZ -> AM Round one, other side\n  id: p1\n  format: f\n  series: pb\n"
        );
        let (pairs, unreturned) = pairs_of(&text);
        assert!(pairs.is_empty(), "{pairs:?}");
        assert_eq!(unreturned, ["f", "s", "o1", "p1"]);
    }
}
