//! Scales: from data (counts, days, categories) to positions on the page,
//! and the ticks an axis labels.

use chrono::{Datelike, NaiveDate};

/// A linear map from a domain of values to a range of positions.
#[derive(Clone, Copy, Debug)]
pub struct Linear {
    domain: (f64, f64),
    range: (f64, f64),
}

impl Linear {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Linear {
        Linear { domain, range }
    }

    /// The position of `value`. A domain of one point maps everything to
    /// the middle of the range rather than dividing by zero.
    pub fn map(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 {
            return (r0 + r1) / 2.0;
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// Equal bands for categories (periods, rows), with a gap between them.
#[derive(Clone, Copy, Debug)]
pub struct Band {
    start: f64,
    step: f64,
    width: f64,
}

impl Band {
    /// `count` bands over `start..end`; `padding` is the share of each step
    /// left empty (0 for none, 0.2 for a fifth).
    pub fn new(count: usize, (start, end): (f64, f64), padding: f64) -> Band {
        let step = if count == 0 { 0.0 } else { (end - start) / count as f64 };
        Band {
            start: start + step * padding / 2.0,
            step,
            width: step * (1.0 - padding),
        }
    }

    pub fn position(&self, index: usize) -> f64 {
        self.start + self.step * index as f64
    }

    pub fn width(&self) -> f64 {
        self.width
    }

    pub fn step(&self) -> f64 {
        self.step
    }
}

/// Round ticks for an axis of counts from 0 to at least `max`: steps of 1,
/// 2 or 5 times a power of ten, about `wanted` of them. The last tick is
/// the axis's end.
pub fn count_ticks(max: u64, wanted: u64) -> Vec<u64> {
    let max = max.max(1);
    let wanted = wanted.max(1);
    let mut step = 1u64;
    'search: loop {
        for factor in [1, 2, 5] {
            let candidate = step.saturating_mul(factor);
            if max.div_ceil(candidate) <= wanted {
                step = candidate;
                break 'search;
            }
        }
        if step > u64::MAX / 10 {
            break;
        }
        step *= 10;
    }
    let end = max.div_ceil(step).saturating_mul(step);
    (0..=end / step).map(|n| n * step).collect()
}

/// Days as numbers, for a linear time scale.
pub fn day_number(day: NaiveDate) -> f64 {
    f64::from(day.num_days_from_ce())
}

/// First days of months between `first` and `last`, every `k`th month so
/// that there are at most `wanted`: the ticks of a time axis.
pub fn month_ticks(first: NaiveDate, last: NaiveDate, wanted: usize) -> Vec<NaiveDate> {
    let months = |day: NaiveDate| i64::from(day.year()) * 12 + i64::from(day.month0());
    let (start, end) = (months(first), months(last));
    let span = (end - start + 1).max(1) as usize;
    let every = span.div_ceil(wanted.max(1)).max(1);
    let every = [1, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|&step| step >= every)
        .unwrap_or(every);
    let mut ticks = Vec::new();
    let mut month = start;
    // A tick on the first month that is a multiple of the step, so that
    // quarterly ticks fall on quarters and yearly ones on January.
    while month.rem_euclid(every as i64) != 0 {
        month += 1;
    }
    while month <= end + 1 {
        let year = month.div_euclid(12) as i32;
        let day = NaiveDate::from_ymd_opt(year, month.rem_euclid(12) as u32 + 1, 1);
        if let Some(day) = day.filter(|day| *day >= first && *day <= last) {
            ticks.push(day);
        }
        month += every as i64;
    }
    ticks
}

/// The ticks of a time axis `room` pixels long between `first` and `last`,
/// with their labels: the 1st and 15th of each month (`2025-10-15`) when
/// three or more fit, else months (`2025-10`) when two or more fall in the
/// span, else every few days; never closer than a label's width.
pub fn time_ticks(first: NaiveDate, last: NaiveDate, room: f64) -> Vec<(NaiveDate, String)> {
    let fit = (room / 76.0).floor().max(1.0) as usize;
    let label = |day: NaiveDate| (day, day.format("%Y-%m-%d").to_string());
    // A short span only: the search stops after a few months of days.
    let halves: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|day| *day <= last)
        .filter(|day| day.day() == 1 || day.day() == 15)
        .take(fit + 1)
        .collect();
    if halves.len() >= 3 && halves.len() <= fit {
        return halves.into_iter().map(label).collect();
    }
    let months = month_ticks(first, last, (room / 58.0).floor().max(1.0) as usize);
    if months.len() >= 2 {
        return months
            .into_iter()
            .map(|day| (day, day.format("%Y-%m").to_string()))
            .collect();
    }
    let span = (last - first).num_days().max(0) as usize;
    let every = span.div_ceil(fit).max(1);
    first
        .iter_days()
        .step_by(every)
        .take_while(|day| *day <= last)
        .take(fit + 1)
        .map(label)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_ticks_are_round() {
        assert_eq!(count_ticks(3, 4), [0, 1, 2, 3]);
        assert_eq!(count_ticks(7, 4), [0, 2, 4, 6, 8]);
        assert_eq!(count_ticks(0, 4), [0, 1]);
        assert_eq!(count_ticks(130, 5), [0, 50, 100, 150]);
        assert!(count_ticks(u64::MAX, 4).len() <= 6);
    }

    #[test]
    fn linear_and_band() {
        let scale = Linear::new((0.0, 10.0), (100.0, 200.0));
        assert_eq!(scale.map(5.0), 150.0);
        assert_eq!(Linear::new((3.0, 3.0), (0.0, 10.0)).map(3.0), 5.0);
        let band = Band::new(4, (0.0, 100.0), 0.2);
        assert_eq!(band.step(), 25.0);
        assert_eq!(band.width(), 20.0);
        assert_eq!(band.position(1), 27.5);
    }

    #[test]
    fn short_spans_get_day_ticks() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let ticks = time_ticks(day(2025, 10, 10), day(2025, 11, 30), 360.0);
        let labels: Vec<&str> = ticks.iter().map(|(_, label)| label.as_str()).collect();
        assert_eq!(labels, ["2025-10-15", "2025-11-01", "2025-11-15"]);
        assert!(time_ticks(day(2025, 10, 10), day(2025, 10, 12), 360.0).len() >= 2);
        let long = time_ticks(day(2020, 1, 1), day(2025, 1, 1), 360.0);
        assert!(long.len() <= 6 && long[0].1.len() == 7, "{long:?}");
        let months: Vec<String> = time_ticks(day(2025, 9, 12), day(2025, 12, 1), 360.0)
            .into_iter()
            .map(|(_, label)| label)
            .collect();
        assert_eq!(months, ["2025-10", "2025-11", "2025-12"]);
    }

    #[test]
    fn month_ticks_fall_on_round_months() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            month_ticks(day(2025, 9, 15), day(2025, 12, 31), 6),
            [day(2025, 10, 1), day(2025, 11, 1), day(2025, 12, 1)]
        );
        let yearly = month_ticks(day(2000, 1, 1), day(2030, 1, 1), 8);
        assert!(yearly.len() <= 8 && yearly.iter().all(|d| d.month() == 1), "{yearly:?}");
    }
}
