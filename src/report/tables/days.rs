//! `days.csv`: one row per calendar day, the sessions, journal and watch values joined on it,
//! with the day's readiness figures.

use crate::days::{Day, Provenance};
use crate::readiness::DayReadiness;
use crate::report::tables::Table;

/// `days.csv`.
pub fn days_table(days: &[Day], readiness: &[DayReadiness]) -> Table {
    // One readiness row per day, by date (an empty list leaves the columns empty).
    let by_date: std::collections::BTreeMap<_, &DayReadiness> =
        readiness.iter().map(|x| (x.date, x)).collect();
    let of = |d: &Day| by_date.get(&d.date).copied();
    let r = |f: fn(&DayReadiness) -> Option<f64>| {
        days.iter().map(|d| of(d).and_then(f)).collect::<Vec<_>>()
    };
    Table::new()
        .text("date", days.iter().map(|d| Some(d.date.to_string())))
        .int(
            "sessions",
            days.iter().map(|d| Some(d.sessions.len() as i64)),
        )
        .text(
            "class",
            days.iter().map(|d| {
                Some(match (d.class, d.recorded) {
                    (Some(c), _) => c.to_string(),
                    (None, true) => "rest".to_string(),
                    (None, false) => "unrecorded".to_string(),
                })
            }),
        )
        .float("above_min", 1, days.iter().map(|d| Some(d.above_min)))
        .float("timer_h", 2, days.iter().map(|d| Some(d.timer_h)))
        .float("load", 1, recorded(days, |d| d.load.load))
        .float("acute", 1, recorded(days, |d| d.load.acute))
        .float("chronic", 1, recorded(days, |d| d.load.chronic))
        .float("form", 1, recorded(days, |d| d.load.form))
        .float("acwr_uncoupled", 2, days.iter().map(|d| d.load.acwr))
        .text(
            "load_ramp_in",
            days.iter()
                .map(|d| d.recorded.then(|| d.load.ramp_in.to_string())),
        )
        .float("soreness", 1, days.iter().map(|d| d.soreness))
        .float("sleep_hours", 2, days.iter().map(|d| d.sleep_hours))
        .int(
            "sleep_quality",
            days.iter().map(|d| d.sleep_quality.map(i64::from)),
        )
        .float("resting_hr", 0, days.iter().map(|d| d.resting_hr))
        .float("hrv_ms", 0, days.iter().map(|d| d.hrv_ms))
        .text(
            "planned",
            days.iter()
                .map(|d| d.planned.map(|p| p.as_str().to_string())),
        )
        .text(
            "rest_day",
            days.iter()
                .map(|d| d.recorded.then(|| d.is_rest().to_string())),
        )
        .float("sleep_score", 0, days.iter().map(|d| d.sleep_score))
        .text(
            "sleep_hours_source",
            days.iter().map(|d| src(d.sources.sleep_hours)),
        )
        .text(
            "sleep_score_source",
            days.iter().map(|d| src(d.sources.sleep_score)),
        )
        .text(
            "resting_hr_source",
            days.iter().map(|d| src(d.sources.resting_hr)),
        )
        .text("hrv_ms_source", days.iter().map(|d| src(d.sources.hrv_ms)))
        .text(
            "hrv_metric",
            days.iter()
                .map(|d| of(d).and_then(|x| x.hrv_metric.map(str::to_string))),
        )
        .float("hrv_ln_7d", 3, r(|x| x.hrv_ln_7d))
        .float("hrv_band_low", 3, r(|x| x.hrv_band_low))
        .float("hrv_band_high", 3, r(|x| x.hrv_band_high))
        .float("rhr_baseline", 1, r(|x| x.rhr_baseline))
        .float("rhr_baseline_sd", 2, r(|x| x.rhr_baseline_sd))
        .float("sleep_debt_h", 2, r(|x| x.sleep_debt_h))
        .float("hrv_sdnn_ms", 0, days.iter().map(|d| d.hrv_sdnn_ms))
}

/// A load figure of each day, missing before the first activity.
fn recorded<'a>(
    days: &'a [Day],
    f: impl Fn(&Day) -> f64 + 'a,
) -> impl Iterator<Item = Option<f64>> + 'a {
    days.iter().map(move |d| d.recorded.then(|| f(d)))
}

fn src(s: Option<Provenance>) -> Option<String> {
    s.map(|s| s.as_str().to_string())
}
