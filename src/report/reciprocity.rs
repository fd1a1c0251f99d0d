//! `report reciprocity`: for each pair of parties, visits each way, and each
//! visit paired with the visit that returned it.
//!
//! Only bilateral visits (`A -> B`) take part. A `reciprocates:` link pairs
//! two visits explicitly. The rest are paired in date order: a visit returns
//! the oldest visit the other way that is still unreturned and started
//! strictly earlier. What is left over is listed as unreturned.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use super::{Count, Report, ReportOptions};
use crate::chart::Chart;
use crate::chart::dumbbell::{Dumbbells, ReturnMark, VisitMark};
use crate::date::{DateSpec, Precision};
use crate::model::{Destination, Engagement, EngagementIndex, Ledger, PartyIndex};
use crate::privacy::View;
use crate::table::{Column, Table};

#[derive(Clone, Debug, Serialize)]
pub struct PairRow {
    /// The two parties, in declaration order.
    pub a: String,
    pub b: String,
    pub a_to_b: Count,
    pub b_to_a: Count,
    /// Visits `a -> b` minus visits `b -> a`: positive when `b` owes visits.
    /// `null` when either count is suppressed by `--min-count`, which the
    /// difference would otherwise give away.
    pub balance: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Visit {
    pub id: Option<String>,
    pub date: String,
    pub from: String,
    pub to: String,
    pub title: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Exchange {
    pub visit: Visit,
    pub returned_by: Visit,
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
    pub exchanges: Vec<Exchange>,
    pub unreturned: Vec<Visit>,
}

fn visit(ledger: &Ledger<'_>, engagement: &Engagement<'_>) -> Visit {
    Visit {
        id: engagement.id.map(str::to_owned),
        date: engagement.date_text.to_owned(),
        from: ledger.party(engagement.origin[0]).id.to_owned(),
        to: ledger.destination_id(engagement.destination).to_owned(),
        title: engagement.title.to_owned(),
    }
}

/// The two ends of a bilateral visit.
fn ends(engagement: &Engagement<'_>) -> Option<(PartyIndex, PartyIndex)> {
    match (engagement.origin.as_slice(), engagement.destination) {
        ([from], Destination::Party(to)) => Some((*from, to)),
        _ => None,
    }
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
    let (a_to_b, b_to_a) = (Count::new(a_to_b, options), Count::new(b_to_a, options));
    let suppressed = a_to_b.is_suppressed() || b_to_a.is_suppressed();
    PairRow {
        a: ledger.party(a).id.to_owned(),
        b: ledger.party(b).id.to_owned(),
        a_to_b,
        b_to_a,
        balance: (!suppressed).then(|| a_to_b.value() as i64 - b_to_a.value() as i64),
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
    let start = |index: EngagementIndex| ledger.engagement(index).date.first_day();
    let mut report = ReciprocityReport {
        pairs: Vec::new(),
        exchanges: Vec::new(),
        unreturned: Vec::new(),
    };
    for ((a, b), mut visits) in by_pair {
        let a_to_b = visits
            .iter()
            .filter(|&&i| ends(ledger.engagement(i)) == Some((a, b)))
            .count() as u64;
        let b_to_a = visits.len() as u64 - a_to_b;
        report.pairs.push(pair_row(ledger, a, b, a_to_b, b_to_a, options));
        visits.sort_by_key(|&index| (start(index), index));

        let mut pairs: Vec<(EngagementIndex, EngagementIndex, bool)> = Vec::new();
        let mut paired = vec![false; visits.len()];
        let position_of: rustc_hash::FxHashMap<EngagementIndex, usize> = visits
            .iter()
            .enumerate()
            .map(|(position, &index)| (index, position))
            .collect();
        for (position, &index) in visits.iter().enumerate() {
            let Some(target) = ledger.engagement(index).reciprocates else {
                continue;
            };
            // The link was checked when the ledger was read; the target may
            // still be outside this view (filtered out or withheld).
            if let Some(&target_position) = position_of.get(&target) {
                if !paired[target_position] && !paired[position] {
                    paired[target_position] = true;
                    paired[position] = true;
                    pairs.push((target, index, true));
                }
            }
        }
        let mut waiting: [VecDeque<EngagementIndex>; 2] = Default::default();
        for (position, &index) in visits.iter().enumerate() {
            if paired[position] {
                continue;
            }
            let side = usize::from(ends(ledger.engagement(index)) != Some((a, b)));
            let returns = waiting[1 - side]
                .front()
                .copied()
                .filter(|&earlier| start(earlier) < start(index));
            match returns {
                Some(earlier) => {
                    waiting[1 - side].pop_front();
                    pairs.push((earlier, index, false));
                }
                None => waiting[side].push_back(index),
            }
        }
        for (outbound, inbound, explicit) in pairs {
            let (there, back) = (ledger.engagement(outbound), ledger.engagement(inbound));
            let approximate = [there, back]
                .iter()
                .any(|e| matches!(e.date.precision(), Precision::Month | Precision::Year));
            report.exchanges.push(Exchange {
                visit: visit(ledger, there),
                returned_by: visit(ledger, back),
                lag_days: (back.date.first_day() - there.date.first_day()).num_days(),
                approximate,
                explicit,
            });
        }
        let mut unreturned: Vec<EngagementIndex> = waiting.into_iter().flatten().collect();
        unreturned.sort_by_key(|&index| (start(index), index));
        report.unreturned.extend(
            unreturned
                .into_iter()
                .map(|index| visit(ledger, ledger.engagement(index))),
        );
    }
    report
}

fn visit_cells(visit: &Visit) -> [String; 3] {
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
        let day = |visit: &Visit| DateSpec::parse(&visit.date).ok().map(DateSpec::first_day);
        let direction = |visit: &Visit| format!("{} → {}", visit.from, visit.to);
        let returned = self.exchanges.iter().filter_map(|exchange| {
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
        let unreturned = self.unreturned.iter().filter_map(|visit| {
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
        let mut pairs = Table::new(
            Some("Visits between each pair of parties"),
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
                pair.balance
                    .map_or_else(|| "?".to_owned(), |balance| format!("{balance:+}")),
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
        for exchange in &self.exchanges {
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
        for visit in &self.unreturned {
            unreturned.push(visit_cells(visit).into());
        }
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
        let visit_columns = |visit: &Visit| {
            vec![
                visit.date.clone(),
                visit.from.clone(),
                visit.to.clone(),
                visit.id.clone().unwrap_or_default(),
                visit.title.clone(),
            ]
        };
        for exchange in &self.exchanges {
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
        for visit in &self.unreturned {
            let mut row = visit_columns(visit);
            row.extend(std::iter::repeat_n(String::new(), 6));
            table.push(row);
        }
        table
    }
}
