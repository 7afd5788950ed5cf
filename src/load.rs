//! Training load: Banister TRIMP per session, and per day the acute and chronic
//! exponentially weighted load, form, the 7:28 acute:chronic ratio; per week volume,
//! load, Foster monotony and strain.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::session::HrHistogram;

/// Banister's weighting by sex (the exponential that keeps hard minutes from counting
/// like easy ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 0.64·e^(1.92·x)
    #[default]
    Male,
    /// 0.86·e^(1.67·x)
    Female,
}

/// What TRIMP needs about the athlete.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Athlete {
    pub hr_max: f64,
    pub hr_rest: f64,
    pub sex: Sex,
}

/// Default resting heart rate when none is configured.
pub const DEFAULT_HR_REST: f64 = 60.0;
/// Percentile of all valid heart-rate time used to estimate HRmax (a spike is not a max).
pub const HR_MAX_PERCENTILE: f64 = 0.995;

/// HRmax estimated from all sessions' heart rate: the 99.5th percentile of the time.
pub fn estimate_hr_max(all: &HrHistogram) -> Option<f64> {
    all.percentile(HR_MAX_PERCENTILE).map(f64::from)
}

/// Banister TRIMP summed per bpm of the histogram (so per sample, not from the average):
/// minutes × x × a·e^(b·x), x = heart-rate reserve fraction clamped to 0–1.
pub fn trimp(hr: &HrHistogram, a: &Athlete) -> f64 {
    let (k, b) = match a.sex {
        Sex::Male => (0.64, 1.92),
        Sex::Female => (0.86, 1.67),
    };
    let reserve = a.hr_max - a.hr_rest;
    if reserve <= 0.0 {
        return 0.0;
    }
    hr.iter()
        .map(|(bpm, s)| {
            let x = ((bpm as f64 - a.hr_rest) / reserve).clamp(0.0, 1.0);
            s as f64 / 60.0 * x * k * (b * x).exp()
        })
        .sum()
}

/// Time constants of the exponentially weighted loads, in days.
pub const ACUTE_DAYS: f64 = 7.0;
pub const CHRONIC_DAYS: f64 = 42.0;

/// One day's load figures.
#[derive(Debug, Clone, PartialEq)]
pub struct DayLoad {
    pub date: NaiveDate,
    pub load: f64,
    /// Acute load: EWMA with α = 2/(7+1).
    pub acute: f64,
    /// Chronic load: EWMA with α = 2/(42+1).
    pub chronic: f64,
    /// Chronic minus acute (positive: fresher than your usual).
    pub form: f64,
    /// Mean load of the last 7 days over the mean of the last 28 (from day 28 on).
    pub acwr: Option<f64>,
}

/// Daily loads from `first` to `last` (inclusive); days missing from `loads` are rest
/// days with load 0. Both EWMAs start at 0 on the first day.
pub fn daily(first: NaiveDate, last: NaiveDate, loads: &dyn Fn(NaiveDate) -> f64) -> Vec<DayLoad> {
    let a_acute = 2.0 / (ACUTE_DAYS + 1.0);
    let a_chronic = 2.0 / (CHRONIC_DAYS + 1.0);
    let mut out: Vec<DayLoad> = Vec::new();
    let (mut acute, mut chronic) = (0.0, 0.0);
    let mut date = first;
    while date <= last {
        let load = loads(date);
        acute += a_acute * (load - acute);
        chronic += a_chronic * (load - chronic);
        let n = out.len() + 1;
        let acwr = (n >= 28)
            .then(|| {
                let sum = |days: usize| -> f64 {
                    out.iter().rev().take(days - 1).map(|d| d.load).sum::<f64>() + load
                };
                let chronic_mean = sum(28) / 28.0;
                (chronic_mean > 0.0).then(|| (sum(7) / 7.0) / chronic_mean)
            })
            .flatten();
        out.push(DayLoad {
            date,
            load,
            acute,
            chronic,
            form: chronic - acute,
            acwr,
        });
        date += Duration::days(1);
    }
    out
}

/// One Monday–Sunday week.
#[derive(Debug, Clone, PartialEq)]
pub struct Week {
    /// The Monday.
    pub start: NaiveDate,
    /// Timer hours.
    pub hours: f64,
    pub load: f64,
    /// Mean daily load over its standard deviation (rest days count as 0).
    pub monotony: Option<f64>,
    /// Weekly load × monotony.
    pub strain: Option<f64>,
    /// Days of the week inside the data period.
    pub days: usize,
    pub sessions: usize,
    pub rest_days: usize,
}

/// The Monday of `d`'s week.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// Per-week figures from per-day `(date, load, timer hours, sessions)`, days in order.
pub fn weekly(days: &[(NaiveDate, f64, f64, usize)]) -> Vec<Week> {
    let mut out: Vec<Week> = Vec::new();
    let mut loads: Vec<Vec<f64>> = Vec::new();
    for &(date, load, hours, sessions) in days {
        let start = week_start(date);
        if out.last().map(|w| w.start) != Some(start) {
            out.push(Week {
                start,
                hours: 0.0,
                load: 0.0,
                monotony: None,
                strain: None,
                days: 0,
                sessions: 0,
                rest_days: 0,
            });
            loads.push(Vec::new());
        }
        let w = out.last_mut().expect("a week was just pushed");
        w.hours += hours;
        w.load += load;
        w.days += 1;
        w.sessions += sessions;
        if sessions == 0 {
            w.rest_days += 1;
        }
        loads.last_mut().expect("pushed with the week").push(load);
    }
    for (w, l) in out.iter_mut().zip(&loads) {
        // Foster's monotony is over the 7 days of a week; partial weeks get none.
        if l.len() == 7 {
            if let Some(sd) = crate::stats::sd(l).filter(|&sd| sd > 0.0) {
                let mean = w.load / 7.0;
                w.monotony = Some(mean / sd);
                w.strain = Some(w.load * mean / sd);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn trimp_matches_a_hand_computed_value() {
        // 30 min at 150 bpm, HRmax 190, HRrest 60: x = 90/130 = 0.6923
        // TRIMP = 30 × 0.6923 × 0.64 × e^(1.92 × 0.6923) = 50.220
        let mut h = HrHistogram::default();
        h.add(150, 1800);
        let a = Athlete {
            hr_max: 190.0,
            hr_rest: 60.0,
            sex: Sex::Male,
        };
        assert!(
            (trimp(&h, &a) - 50.220_146).abs() < 1e-5,
            "{}",
            trimp(&h, &a)
        );
        // Women: 30 × 0.6923 × 0.86 × e^(1.67 × 0.6923) = 56.758
        let f = Athlete {
            sex: Sex::Female,
            ..a
        };
        assert!(
            (trimp(&h, &f) - 56.758_394).abs() < 1e-5,
            "{}",
            trimp(&h, &f)
        );
    }

    #[test]
    fn trimp_is_per_sample_not_from_the_average() {
        // Half at 100, half at 180 (average 140) weighs more than all at 140.
        let a = Athlete {
            hr_max: 190.0,
            hr_rest: 60.0,
            sex: Sex::Male,
        };
        let mut split = HrHistogram::default();
        split.add(100, 900);
        split.add(180, 900);
        let mut flat = HrHistogram::default();
        flat.add(140, 1800);
        assert!(trimp(&split, &a) > trimp(&flat, &a));
    }

    #[test]
    fn ewma_loads_follow_a_hand_worked_ten_day_example() {
        // Loads 100, 0, 50, 0, 0, 80, 0, 0, 0, 120; α7 = 0.25, α42 = 2/43.
        let loads = [100.0, 0.0, 50.0, 0.0, 0.0, 80.0, 0.0, 0.0, 0.0, 120.0];
        let first = d("2026-03-02");
        let days = daily(first, d("2026-03-11"), &|date| {
            loads[(date - first).num_days() as usize]
        });
        // Acute by hand: 25, 18.75, 26.5625, 19.921875, 14.94140625, 31.2060546875,
        // 23.404541015625, 17.55340576171875, 13.165054321289062, 39.87379074096680
        let acute = [
            25.0,
            18.75,
            26.5625,
            19.921875,
            14.94140625,
            31.2060546875,
            23.404541015625,
            17.55340576171875,
            13.165054321289062,
            39.8737907409668,
        ];
        for (day, want) in days.iter().zip(acute) {
            assert!(
                (day.acute - want).abs() < 1e-9,
                "{} {}",
                day.date,
                day.acute
            );
        }
        // Chronic day 1 = 100 × 2/43 = 4.651162…; day 2 = 4.651162 × 41/43 = 4.434829…
        assert!((days[0].chronic - 4.651_162_790_697_675).abs() < 1e-9);
        assert!((days[1].chronic - 4.434_829_637_641_969).abs() < 1e-9);
        assert!((days[1].form - (days[1].chronic - days[1].acute)).abs() < 1e-12);
        assert!(
            days.iter().all(|d| d.acwr.is_none()),
            "no ratio before day 28"
        );
    }

    #[test]
    fn the_acute_chronic_ratio_compares_7_and_28_day_means() {
        // 21 days of 10, then 7 days of 20: 7-day mean 20, 28-day mean 12.5 → 1.6.
        let first = d("2026-03-02");
        let days = daily(first, d("2026-03-29"), &|date| {
            if (date - first).num_days() < 21 {
                10.0
            } else {
                20.0
            }
        });
        assert_eq!(days.len(), 28);
        assert!((days[27].acwr.unwrap() - 1.6).abs() < 1e-12);
    }

    #[test]
    fn monotony_and_strain_follow_foster() {
        // Loads 100,0,100,0,100,0,100: mean 57.142857, sample sd 53.452248
        // monotony 1.069045, strain 400 × 1.069045 = 427.618
        let days: Vec<_> = (0..7)
            .map(|i| {
                let date = d("2026-03-02") + Duration::days(i);
                let load = if i % 2 == 0 { 100.0 } else { 0.0 };
                (date, load, load / 100.0, usize::from(load > 0.0))
            })
            .collect();
        let w = &weekly(&days)[0];
        assert_eq!(w.start, d("2026-03-02"));
        assert_eq!((w.sessions, w.rest_days), (4, 3));
        assert!((w.monotony.unwrap() - 1.069_044_968).abs() < 1e-6);
        assert!((w.strain.unwrap() - 427.617_987).abs() < 1e-3);
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(d("2026-03-08")), d("2026-03-02"));
        assert_eq!(week_start(d("2026-03-02")), d("2026-03-02"));
    }
}
