//! What moves with what: soreness and sleep against hard days and load, as plain structs
//! with n, effect and uncertainty, and a sentence a runner understands. No I/O.
//!
//! Days are not independent: soreness carries over from one day to the next and load has a
//! weekly cycle. So the intervals and p-values come from a moving-block bootstrap over days
//! (7-day blocks, [`stats::BOOTSTRAP`]), the family of comparisons gets Benjamini–Hochberg
//! q-values, and a finding is called clear only where q < 0.05. The textbook intervals that
//! assume independent days are kept beside them in `correlations.csv`.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::classify::Class;
use crate::days::{day_after, Day};
use crate::stats::{self, BootInterval, BOOTSTRAP};

/// Fewer pairs than this give "not enough data" instead of a number.
pub const MIN_PAIRS: usize = 8;
/// Under this many pairs (or hard days) a finding is called exploratory.
pub const EXPLORATORY_BELOW: usize = 25;
/// A finding is "clear" when its Benjamini–Hochberg q-value is under this.
pub const CLEAR_Q: f64 = 0.05;
/// Days before a control day that must hold no hard day.
pub const CONTROL_QUIET_DAYS: usize = 3;

/// How the interval of `correlations.csv` was made.
pub const BOOTSTRAP_INTERVAL: &str =
    "moving-block bootstrap, 7-day blocks, 2000 resamples, seed 2026, percentile";

/// One measured relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// Stable id, e.g. `soreness_day2_after_hard`.
    pub id: String,
    /// What was compared, e.g. "soreness 2 days after a hard day vs after quiet days".
    pub what: String,
    /// `mean_difference`, `spearman`, `pearson` or `partial_spearman`.
    pub method: &'static str,
    /// Pairs (correlations) or days in the first group (differences).
    pub n: usize,
    /// Days in the comparison group (differences only).
    pub n_other: Option<usize>,
    pub effect: Option<f64>,
    /// The 95 % interval of [`Relation::interval`].
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// How `ci_low`/`ci_high` and `p_value` were made: the block bootstrap, or (too few
    /// days for two blocks) the textbook method with independent days assumed.
    pub interval: String,
    /// The textbook 95 % interval that assumes independent days (Welch; Fisher z; Bonett &
    /// Wright's for Spearman), for comparison.
    pub ci_low_independent: Option<f64>,
    pub ci_high_independent: Option<f64>,
    pub p_value: Option<f64>,
    /// Benjamini–Hochberg q-value over all relations with a p-value.
    pub q_value: Option<f64>,
    /// The finding in plain words.
    pub text: String,
}

/// Mean soreness on one day after hard days.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    pub day: u32,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub n: usize,
}

/// The soreness curve after hard days.
#[derive(Debug, Clone, PartialEq)]
pub struct SorenessCurve {
    pub points: Vec<CurvePoint>,
    /// Day (0–5) with the highest mean soreness, among days with at least [`MIN_PAIRS`]
    /// hard days logged.
    pub peak_day: Option<u32>,
    /// Hard days with soreness logged on day 4, and how many of them were still at 4+.
    pub beyond_72h: (usize, usize),
    pub text: String,
}

/// Everything the analysis found.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub relations: Vec<Relation>,
    pub curve: SorenessCurve,
    /// Load on day d and soreness on day d+1, for the scatter chart.
    pub load_vs_next_soreness: Vec<(f64, f64)>,
    /// Sleep (night before) and soreness that morning, for the scatter chart.
    pub sleep_vs_soreness: Vec<(f64, f64)>,
}

fn ordinal(n: i64) -> &'static str {
    match n {
        1 => "1st",
        2 => "2nd",
        3 => "3rd",
        _ => "next",
    }
}

/// Per day (aligned with `days`), the value of `f` on that day with its group: `true` when
/// the day `k` days before was hard; `false` when none of the 3 days before was hard and all
/// of them are known (recorded, and not days whose only sessions are `unknown`); else `None`.
fn after_hard_vs_quiet(
    days: &[Day],
    k: usize,
    f: impl Fn(&Day) -> Option<f64>,
) -> Vec<Option<(bool, f64)>> {
    (0..days.len())
        .map(|i| {
            let v = f(&days[i])?;
            if i >= k && days[i - k].is_hard() {
                return Some((true, v));
            }
            let quiet = i >= CONTROL_QUIET_DAYS
                && (1..=CONTROL_QUIET_DAYS).all(|j| {
                    let d = &days[i - j];
                    d.recorded && !d.is_hard() && d.class != Some(Class::Unknown)
                });
            quiet.then_some((false, v))
        })
        .collect()
}

/// The two groups' values, hard first.
fn groups(
    series: &[Option<(bool, f64)>],
    idx: impl Iterator<Item = usize>,
) -> (Vec<f64>, Vec<f64>) {
    let (mut hard, mut other) = (Vec::new(), Vec::new());
    for (g, v) in idx.filter_map(|i| series[i]) {
        if g {
            hard.push(v);
        } else {
            other.push(v);
        }
    }
    (hard, other)
}

/// The bootstrap interval of a statistic over day indices, where it is defined.
fn bootstrap(n_days: usize, stat: impl Fn(&[usize]) -> Option<f64> + Sync) -> Option<BootInterval> {
    stats::block_bootstrap(n_days, &BOOTSTRAP, stat)
}

fn blank(id: &str, what: String, method: &'static str, n: usize) -> Relation {
    Relation {
        id: id.to_string(),
        what,
        method,
        n,
        n_other: None,
        effect: None,
        ci_low: None,
        ci_high: None,
        interval: String::new(),
        ci_low_independent: None,
        ci_high_independent: None,
        p_value: None,
        q_value: None,
        text: String::new(),
    }
}

/// Fills the interval and p-value from the bootstrap where it ran, else from the
/// independent-days method named `fallback`.
fn with_interval(
    r: Relation,
    boot: Option<BootInterval>,
    independent: (Option<f64>, Option<f64>, f64),
    fallback: &str,
) -> Relation {
    let (lo, hi, p) = independent;
    match boot {
        Some(b) => Relation {
            ci_low: Some(b.low),
            ci_high: Some(b.high),
            p_value: Some(b.p_value),
            interval: BOOTSTRAP_INTERVAL.to_string(),
            ci_low_independent: lo,
            ci_high_independent: hi,
            ..r
        },
        None => Relation {
            ci_low: lo,
            ci_high: hi,
            p_value: Some(p),
            interval: format!(
                "{fallback} (independent days assumed: too few days for the bootstrap)"
            ),
            ci_low_independent: lo,
            ci_high_independent: hi,
            ..r
        },
    }
}

/// After-hard against quiet days, with a sentence made later by [`word`].
fn difference(id: &str, what: String, days: &[Day], series: &[Option<(bool, f64)>]) -> Relation {
    let (hard, other) = groups(series, 0..series.len());
    let base = Relation {
        n_other: Some(other.len()),
        ..blank(id, what, "mean_difference", hard.len())
    };
    if hard.len() < MIN_PAIRS || other.len() < MIN_PAIRS {
        return Relation {
            text: format!(
                "Not enough data for {}: {} hard days and {} quiet days logged (needs {MIN_PAIRS} of each).",
                base.what,
                hard.len(),
                other.len()
            ),
            ..base
        };
    }
    let Some(m) = stats::mean_difference(&hard, &other) else {
        return Relation {
            text: format!(
                "No spread in the values for {}: nothing to compare.",
                base.what
            ),
            ..base
        };
    };
    let boot = bootstrap(days.len(), |idx| {
        let (h, o) = groups(series, idx.iter().copied());
        (h.len() >= 2 && o.len() >= 2)
            .then(|| stats::mean(&h).zip(stats::mean(&o)).map(|(a, b)| a - b))
            .flatten()
    });
    with_interval(
        Relation {
            effect: Some(m.diff),
            ..base
        },
        boot,
        (Some(m.ci_low), Some(m.ci_high), m.p_value),
        "Welch t",
    )
}

fn strength(r: f64) -> &'static str {
    match r.abs() {
        x if x < 0.1 => "hardly any",
        x if x < 0.3 => "a weak",
        x if x < 0.5 => "a moderate",
        _ => "a strong",
    }
}

/// A correlation over pairs aligned with the days (`None` where a value is missing).
fn correlation(
    id: &str,
    what: &str,
    method: &'static str,
    days: usize,
    series: &[Option<(f64, f64)>],
) -> Relation {
    let pairs: Vec<(f64, f64)> = series.iter().flatten().copied().collect();
    let base = blank(id, what.to_string(), method, pairs.len());
    if pairs.len() < MIN_PAIRS {
        return Relation {
            text: format!(
                "Not enough data for {what}: {} days with both values (needs {MIN_PAIRS}).",
                pairs.len()
            ),
            ..base
        };
    }
    let r_of = |pairs: &[(f64, f64)]| {
        let (x, y): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
        if method == "spearman" {
            stats::spearman(&x, &y)
        } else {
            stats::pearson(&x, &y)
        }
    };
    let Some(c) = r_of(&pairs) else {
        return Relation {
            text: format!("No spread in the values for {what}: no correlation to measure."),
            ..base
        };
    };
    let boot = bootstrap(days, |idx| {
        let p: Vec<(f64, f64)> = idx.iter().filter_map(|&i| series[i]).collect();
        r_of(&p).map(|c| c.r)
    });
    let fallback = if method == "spearman" {
        "Fisher z with Bonett–Wright's standard error"
    } else {
        "Fisher z"
    };
    with_interval(
        Relation {
            n: c.n,
            effect: Some(c.r),
            ..base
        },
        boot,
        (c.ci_low, c.ci_high, c.p_value),
        fallback,
    )
}

/// The partial Spearman correlation of `x` and `y` controlling for `z`, per day.
fn partial(id: &str, what: &str, days: usize, series: &[Option<(f64, f64, f64)>]) -> Relation {
    let triples: Vec<(f64, f64, f64)> = series.iter().flatten().copied().collect();
    let base = blank(id, what.to_string(), "partial_spearman", triples.len());
    let r_of = |t: &[(f64, f64, f64)]| {
        let x: Vec<f64> = t.iter().map(|v| v.0).collect();
        let y: Vec<f64> = t.iter().map(|v| v.1).collect();
        let z: Vec<f64> = t.iter().map(|v| v.2).collect();
        stats::partial(&x, &y, &z, true)
    };
    if triples.len() < MIN_PAIRS {
        return Relation {
            text: format!(
                "Not enough data for {what}: {} days with all three values (needs {MIN_PAIRS}).",
                triples.len()
            ),
            ..base
        };
    }
    let Some(c) = r_of(&triples) else {
        return Relation {
            text: format!("No spread in the values for {what}: no correlation to measure."),
            ..base
        };
    };
    let boot = bootstrap(days, |idx| {
        let t: Vec<(f64, f64, f64)> = idx.iter().filter_map(|&i| series[i]).collect();
        r_of(&t).map(|c| c.r)
    });
    with_interval(
        Relation {
            effect: Some(c.r),
            ..base
        },
        boot,
        (c.ci_low, c.ci_high, c.p_value),
        "Fisher z",
    )
}

fn days_text(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// A p-value as people read it.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Per day d (aligned with `days`), `x` on day d and `y` on day d+lag where both are known.
fn lagged(
    days: &[Day],
    lag: i64,
    x: impl Fn(&Day) -> Option<f64>,
    y: impl Fn(&Day) -> Option<f64>,
) -> Vec<Option<(f64, f64)>> {
    days.iter()
        .map(|d| Some((x(d)?, y(day_after(days, d.date, lag)?)?)))
        .collect()
}

/// The soreness curve: mean soreness on day 0…5 after each hard day.
pub fn soreness_curve(days: &[Day], persist: f64) -> SorenessCurve {
    let hard: Vec<&Day> = days.iter().filter(|d| d.is_hard()).collect();
    let points: Vec<CurvePoint> = (0..=5)
        .map(|k| {
            let v: Vec<f64> = hard
                .iter()
                .filter_map(|d| day_after(days, d.date, k)?.soreness)
                .collect();
            CurvePoint {
                day: k as u32,
                mean: stats::mean(&v),
                sd: stats::sd(&v),
                n: v.len(),
            }
        })
        .collect();
    // A peak is only named from days with enough hard days behind them.
    let peak_day = points
        .iter()
        .filter(|p| p.n >= MIN_PAIRS)
        .filter_map(|p| p.mean.map(|m| (p.day, m)))
        .fold(None, |best: Option<(u32, f64)>, (d, m)| match best {
            Some((_, bm)) if bm >= m => best,
            _ => Some((d, m)),
        })
        .map(|(d, _)| d);
    let day4: Vec<f64> = hard
        .iter()
        .filter_map(|d| day_after(days, d.date, 4)?.soreness)
        .collect();
    let beyond = (day4.len(), day4.iter().filter(|&&s| s >= persist).count());
    let most = points.iter().map(|p| p.n).max().unwrap_or(0);
    let text = match peak_day {
        _ if hard.is_empty() => "No hard days: no soreness curve.".to_string(),
        None if most == 0 => "No soreness logged after hard days.".to_string(),
        None => format!(
            "Not enough data for the soreness curve: at most {most} hard days with soreness logged after them (needs {MIN_PAIRS})."
        ),
        Some(peak) => {
            let p = &points[peak as usize];
            let exploratory = if p.n < EXPLORATORY_BELOW {
                format!("Exploratory ({} hard days): a", p.n)
            } else {
                "A".to_string()
            };
            format!(
                "{exploratory}fter a hard day soreness peaked on day {peak} ({} h after) at {:.1}/10 on average ({} hard days); it was still {persist:.0}+ beyond 72 h after {} of {} hard days.",
                peak * 24,
                p.mean.unwrap_or_default(),
                p.n,
                beyond.1,
                beyond.0
            )
        }
    };
    SorenessCurve {
        points,
        peak_day,
        beyond_72h: beyond,
        text,
    }
}

/// The sentence of a relation once its q-value is known: "clear" wording only where
/// q < 0.05, "exploratory" under 25 pairs or hard days.
fn word(r: &mut Relation, k: i64) {
    let (Some(effect), Some(q)) = (r.effect, r.q_value) else {
        return;
    };
    let clear = q < CLEAR_Q;
    let ci = match (r.ci_low, r.ci_high) {
        (Some(l), Some(h)) if r.method == "mean_difference" => format!("95 % CI {l:.1} to {h:.1}"),
        (Some(l), Some(h)) => format!("95 % CI {l:.2} to {h:.2}"),
        _ => String::new(),
    };
    let stats = format!("{ci}, q = {q:.3}, n = {}", r.n);
    let sentence = match r.id.as_str() {
        id if id.starts_with("soreness_day") => {
            let more = if effect >= 0.0 { "sorer" } else { "less sore" };
            if clear {
                format!(
                    "On the {} day after a hard session you were {:.1} points {more} than after quiet days ({stats} hard days).",
                    ordinal(k),
                    effect.abs()
                )
            } else {
                format!(
                    "No clear difference in soreness on the {} day after a hard session ({:+.1} points against quiet days, {stats} hard days).",
                    ordinal(k),
                    effect
                )
            }
        }
        "sleep_after_hard" => {
            let more = if effect >= 0.0 { "more" } else { "less" };
            if clear {
                format!("The night after a hard day you slept {:.1} h {more} than after quiet days ({stats} hard days).", effect.abs())
            } else {
                format!("No clear difference in sleep the night after a hard day ({effect:+.1} h against quiet days, {stats} hard days).")
            }
        }
        "hrv_7d_after_hard" => {
            let more = if effect >= 0.0 { "higher" } else { "lower" };
            if clear {
                format!("The morning after a hard day your 7-day HRV mean stood {:.1} % {more} against its baseline than after quiet days ({stats} hard days).", effect.abs())
            } else {
                format!("No clear difference in the 7-day HRV mean against its baseline the morning after a hard day ({effect:+.1} % against quiet days, {stats} hard days).")
            }
        }
        "load_vs_hrv_7d_lag1_spearman" => {
            let direction = if effect >= 0.0 { "higher" } else { "lower" };
            if clear {
                format!(
                    "{} link: more load (TRIMP) 1 day before went with a {direction} 7-day HRV mean against its baseline (ρ = {effect:.2}, {stats}).",
                    capitalise(strength(effect))
                )
            } else {
                format!(
                    "No clear link between {} (ρ = {effect:.2}, {stats}).",
                    r.what
                )
            }
        }
        id if id.ends_with("_after_hard") => {
            let (name, unit) = if id.starts_with("hrv") {
                ("HRV", "ms")
            } else {
                ("resting heart rate", "bpm")
            };
            let more = if effect >= 0.0 { "higher" } else { "lower" };
            if clear {
                format!("The morning after a hard day your {name} was {:.1} {unit} {more} than after quiet days ({stats} hard days).", effect.abs())
            } else {
                format!("No clear difference in {name} the morning after a hard day ({effect:+.1} {unit} against quiet days, {stats} hard days).")
            }
        }
        _ => {
            let symbol = match r.method {
                "spearman" => "ρ",
                "partial_spearman" => "partial ρ",
                _ => "r",
            };
            let link = link_words(&r.id);
            let direction = if effect >= 0.0 { "more" } else { "less" };
            if clear {
                format!(
                    "{} link: {link} went with {direction} soreness ({symbol} = {effect:.2}, {stats}).",
                    capitalise(strength(effect))
                )
            } else {
                format!(
                    "No clear link between {} ({symbol} = {effect:.2}, {stats}).",
                    r.what
                )
            }
        }
    };
    r.text = if r.n < EXPLORATORY_BELOW {
        format!("Exploratory (n = {}): {sentence}", r.n)
    } else {
        sentence
    };
}

/// The cause side of a correlation's sentence.
fn link_words(id: &str) -> String {
    if id.starts_with("sleep") {
        "more sleep the night before".into()
    } else if id.contains("partial") {
        "more load (TRIMP), at the same soreness that day,".into()
    } else if id.contains("lag2") {
        "more load (TRIMP) 2 days before".into()
    } else {
        "more load (TRIMP) 1 day before".into()
    }
}

/// Runs every comparison over the daily table (no HRV baseline rows).
pub fn analyse(days: &[Day], sore_persist: f64) -> Analysis {
    analyse_with(days, sore_persist, &BTreeMap::new())
}

/// Runs every comparison over the daily table; `hrv_vs_baseline` holds, by date, the 7-day
/// mean of ln HRV minus its 60-day baseline, × 100 (about a percentage), for the HRV rows.
pub fn analyse_with(
    days: &[Day],
    sore_persist: f64,
    hrv_vs_baseline: &BTreeMap<NaiveDate, f64>,
) -> Analysis {
    let mut relations = Vec::new();
    let mut lags = Vec::new();
    let n = days.len();
    let soreness = |d: &Day| d.soreness;
    for k in 1..=3 {
        let series = after_hard_vs_quiet(days, k, soreness);
        relations.push(difference(
            &format!("soreness_day{k}_after_hard"),
            format!(
                "soreness {} after a hard day vs quiet days (no hard day in the 3 days before)",
                days_text(k as i64)
            ),
            days,
            &series,
        ));
        lags.push(k as i64);
    }
    // Load is known only inside the recorded activity span.
    let load = |d: &Day| d.recorded.then_some(d.load.load);
    let load_next = lagged(days, 1, load, soreness);
    for (lag, series) in [(1, load_next.clone()), (2, lagged(days, 2, load, soreness))] {
        for method in ["spearman", "pearson"] {
            relations.push(correlation(
                &format!("load_vs_soreness_lag{lag}_{method}"),
                &format!("daily load and soreness {} later", days_text(lag)),
                method,
                n,
                &series,
            ));
            lags.push(lag);
        }
        if lag == 1 {
            // A sore athlete trains less, and soreness persists: hold today's soreness fixed.
            let triples: Vec<Option<(f64, f64, f64)>> = days
                .iter()
                .zip(&load_next)
                .map(|(d, p)| {
                    let (l, next) = (*p)?;
                    Some((l, next, d.soreness?))
                })
                .collect();
            relations.push(partial(
                "load_vs_soreness_lag1_partial_spearman",
                "daily load and soreness 1 day later, at the same soreness on the day of the load",
                n,
                &triples,
            ));
            lags.push(1);
        }
    }
    let sleep_series = lagged(days, 0, |d| d.sleep_hours, soreness);
    let sleep_note = crate::days::sleep_source_note(days);
    let mut notes = vec![None; relations.len()];
    for method in ["spearman", "pearson"] {
        relations.push(correlation(
            &format!("sleep_vs_soreness_{method}"),
            "sleep hours (night before) and soreness",
            method,
            n,
            &sleep_series,
        ));
        lags.push(0);
        notes.push(Some(sleep_note.clone()));
    }
    let series = after_hard_vs_quiet(days, 1, |d| d.sleep_hours);
    relations.push(difference(
        "sleep_after_hard",
        "sleep the night after a hard day vs after quiet days".into(),
        days,
        &series,
    ));
    lags.push(1);
    notes.push(Some(sleep_note));
    for (id, name, f) in [
        (
            "resting_hr_after_hard",
            "resting heart rate",
            (|d: &Day| d.resting_hr) as fn(&Day) -> Option<f64>,
        ),
        ("hrv_after_hard", "HRV", |d: &Day| d.hrv_ms),
    ] {
        let series = after_hard_vs_quiet(days, 1, f);
        if series.iter().all(Option::is_none) {
            continue;
        }
        relations.push(difference(
            id,
            format!("{name} the morning after a hard day vs after quiet days"),
            days,
            &series,
        ));
        lags.push(1);
        notes.push(None);
    }
    if !hrv_vs_baseline.is_empty() {
        let hrv7 = |d: &Day| hrv_vs_baseline.get(&d.date).copied();
        let series = after_hard_vs_quiet(days, 1, hrv7);
        relations.push(difference(
            "hrv_7d_after_hard",
            "7-day mean of ln HRV against its 60-day baseline (× 100, about %) the morning after a hard day vs after quiet days".into(),
            days,
            &series,
        ));
        lags.push(1);
        notes.push(None);
        let series = lagged(days, 1, load, hrv7);
        relations.push(correlation(
            "load_vs_hrv_7d_lag1_spearman",
            "daily load and the 7-day mean of ln HRV against its baseline 1 day later",
            "spearman",
            n,
            &series,
        ));
        lags.push(1);
        notes.push(None);
    }
    let q = stats::benjamini_hochberg(&relations.iter().map(|r| r.p_value).collect::<Vec<_>>());
    notes.resize(relations.len(), None);
    for ((r, q), (k, note)) in relations.iter_mut().zip(q).zip(lags.into_iter().zip(notes)) {
        r.q_value = q;
        word(r, k);
        if let Some(note) = note {
            r.text = format!("{} ({note}.)", r.text.trim_end_matches('.'));
        }
    }
    Analysis {
        relations,
        curve: soreness_curve(days, sore_persist),
        load_vs_next_soreness: load_next.into_iter().flatten().collect(),
        sleep_vs_soreness: sleep_series.into_iter().flatten().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use chrono::{Datelike, Duration};

    /// Ten weeks from Monday 2026-03-02: a hard run every Tuesday, easy runs on Thursday and
    /// Saturday; soreness 5, 6, 4 on the three days after each hard day and 1.5, 2 or 2.5 on
    /// the others (by day number).
    fn weeks_with_pattern() -> Vec<Day> {
        let mut sessions = Vec::new();
        let mut entries = Vec::new();
        let start = date("2026-03-02");
        let mut sore = std::collections::BTreeMap::new();
        for w in 0..10 {
            let tue = start + Duration::days(w * 7 + 1);
            sessions.push(hard(&tue.to_string()));
            sessions.push(easy(&(tue + Duration::days(2)).to_string()));
            sessions.push(easy(&(tue + Duration::days(4)).to_string()));
            for (k, s) in [(1, 5.0), (2, 6.0), (3, 4.0)] {
                sore.insert(tue + Duration::days(k), s);
            }
        }
        for i in 0..70 {
            let d = start + Duration::days(i);
            let normal = [1.5, 2.0, 2.5][i as usize % 3];
            let s = sore.get(&d).copied().unwrap_or(normal);
            entries.push(entry(&d.to_string(), s, 7.5, None));
        }
        let j = journal(entries);
        build_days(sessions, Some(&j)).1
    }

    #[test]
    fn the_hrv_baseline_rows_carry_bootstrap_intervals_and_q_values_like_the_others() {
        let days = weeks_with_pattern();
        // The 7-day HRV mean 5 % under its baseline the morning after each hard Tuesday, at
        // the baseline (−1, 0 or +1 by day number, mean 0) otherwise.
        let map: BTreeMap<NaiveDate, f64> = days
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let after_hard = i > 0 && days[i - 1].is_hard();
                (
                    d.date,
                    if after_hard {
                        -5.0
                    } else {
                        (i % 3) as f64 - 1.0
                    },
                )
            })
            .collect();
        let a = analyse_with(&days, 4.0, &map);
        let row = a
            .relations
            .iter()
            .find(|r| r.id == "hrv_7d_after_hard")
            .expect("the HRV row");
        // 10 hard Tuesdays; quiet days hold −1, 0, +1 evenly enough that the difference is
        // about −5.
        assert_eq!(row.n, 10);
        let effect = row.effect.expect("an effect");
        assert!((-5.5..-4.5).contains(&effect), "{effect}");
        assert!(row.ci_high.expect("an interval") < 0.0, "{row:?}");
        assert!(row.q_value.is_some() && row.p_value.is_some());
        assert!(row.text.contains("7-day HRV mean stood"), "{}", row.text);
        let load = a
            .relations
            .iter()
            .find(|r| r.id == "load_vs_hrv_7d_lag1_spearman")
            .expect("the load row");
        assert!(load.effect.expect("an effect") < 0.0, "{load:?}");
        assert!(load.q_value.is_some());
        // Without a baseline there are no HRV-baseline rows.
        assert!(analyse(&days, 4.0)
            .relations
            .iter()
            .all(|r| !r.id.contains("hrv_7d")));
    }

    #[test]
    fn the_planted_soreness_after_hard_days_comes_out() {
        let a = analyse(&weeks_with_pattern(), 4.0);
        let day2 = a
            .relations
            .iter()
            .find(|r| r.id == "soreness_day2_after_hard")
            .unwrap();
        assert!(day2.effect.unwrap() >= 3.5, "{day2:?}");
        assert!(day2.ci_low.unwrap() > 0.0, "{day2:?}");
        assert!(day2.q_value.unwrap() < CLEAR_Q, "{day2:?}");
        assert_eq!(day2.interval, BOOTSTRAP_INTERVAL);
        assert_eq!(
            day2.text,
            format!(
                "Exploratory (n = 10): On the 2nd day after a hard session you were {:.1} points sorer than after quiet days (95 % CI {:.1} to {:.1}, q = {:.3}, n = 10 hard days).",
                day2.effect.unwrap(),
                day2.ci_low.unwrap(),
                day2.ci_high.unwrap(),
                day2.q_value.unwrap()
            )
        );
        assert_eq!(a.curve.peak_day, Some(2));
        assert!(
            a.curve.text.contains("peaked on day 2 (48 h after)"),
            "{}",
            a.curve.text
        );
        // The bootstrap is seeded: a second run gives the same numbers.
        assert_eq!(a, analyse(&weeks_with_pattern(), 4.0));
    }

    #[test]
    fn fewer_than_eight_pairs_say_not_enough_data() {
        let days: Vec<Day> = weeks_with_pattern().into_iter().take(7).collect();
        let a = analyse(&days, 4.0);
        let r = a
            .relations
            .iter()
            .find(|r| r.id == "load_vs_soreness_lag1_spearman")
            .unwrap();
        assert!(r.text.starts_with("Not enough data"), "{}", r.text);
        assert_eq!(r.effect, None);
    }

    #[test]
    fn after_hard_days_are_compared_with_days_that_had_no_hard_day_in_the_3_before() {
        let days = weeks_with_pattern();
        let series = after_hard_vs_quiet(&days, 1, |d| d.soreness);
        for (d, item) in days.iter().zip(&series) {
            match item {
                Some((true, v)) => {
                    assert_eq!(d.date.weekday(), chrono::Weekday::Wed);
                    assert_eq!(*v, 5.0);
                }
                Some((false, _)) => assert!(
                    matches!(
                        d.date.weekday(),
                        chrono::Weekday::Sat
                            | chrono::Weekday::Sun
                            | chrono::Weekday::Mon
                            | chrono::Weekday::Tue
                    ),
                    "{} is within 3 days of a hard Tuesday",
                    d.date
                ),
                None => {}
            }
        }
        // The hard group is every Wednesday; the difference is theirs minus the quiet days'.
        let (hard, quiet) = groups(&series, 0..series.len());
        assert_eq!(hard.len(), 10);
        let m = stats::mean_difference(&hard, &quiet).unwrap();
        let mean_quiet = quiet.iter().sum::<f64>() / quiet.len() as f64;
        assert!((m.diff - (5.0 - mean_quiet)).abs() < 1e-12);
    }

    #[test]
    fn days_after_an_unknown_only_day_or_an_unrecorded_day_are_no_control() {
        let mut no_hr = easy("2026-03-10");
        no_hr.hr = crate::session::HrHistogram::default();
        let entries: Vec<_> = (0..20)
            .map(|i| {
                entry(
                    &(date("2026-03-01") + Duration::days(i)).to_string(),
                    2.0,
                    8.0,
                    None,
                )
            })
            .collect();
        let j = journal(entries);
        let (_, days) = build_days(
            vec![easy("2026-03-03"), no_hr, easy("2026-03-18")],
            Some(&j),
        );
        assert_eq!(days[9].class, Some(Class::Unknown));
        let series = after_hard_vs_quiet(&days, 1, |d| d.soreness);
        let control: Vec<String> = days
            .iter()
            .zip(&series)
            .filter(|(_, s)| matches!(s, Some((false, _))))
            .map(|(d, _)| d.date.to_string())
            .collect();
        // 03-01 and 03-02 are before the first activity: unknown, like 03-10.
        for day in [
            "2026-03-04",
            "2026-03-05",
            "2026-03-11",
            "2026-03-12",
            "2026-03-13",
        ] {
            assert!(!control.contains(&day.to_string()), "{day} in {control:?}");
        }
        for day in ["2026-03-06", "2026-03-09", "2026-03-10", "2026-03-14"] {
            assert!(
                control.contains(&day.to_string()),
                "{day} missing from {control:?}"
            );
        }
    }

    #[test]
    fn the_soreness_curve_names_no_peak_from_a_single_hard_day() {
        let entries: Vec<_> = (0..10)
            .map(|i| {
                let d = date("2026-03-02") + Duration::days(i);
                entry(&d.to_string(), if i == 2 { 7.0 } else { 2.0 }, 8.0, None)
            })
            .collect();
        let j = journal(entries);
        let (_, days) = build_days(vec![hard("2026-03-02"), easy("2026-03-11")], Some(&j));
        let c = soreness_curve(&days, 4.0);
        assert_eq!(c.peak_day, None);
        assert_eq!(
            c.text,
            "Not enough data for the soreness curve: at most 1 hard days with soreness logged after them (needs 8)."
        );
    }

    fn relation(id: &str, method: &'static str, n: usize, effect: f64, q: f64) -> Relation {
        Relation {
            effect: Some(effect),
            ci_low: Some(effect - 0.2),
            ci_high: Some(effect + 0.2),
            q_value: Some(q),
            ..blank(id, "daily load and soreness 1 day later".into(), method, n)
        }
    }

    #[test]
    fn clear_wording_needs_q_under_0_05_and_small_samples_are_exploratory() {
        let cases = [
            (30, 0.35, 0.01, "A moderate link: more load (TRIMP) 1 day before went with more soreness (ρ = 0.35, 95 % CI 0.15 to 0.55, q = 0.010, n = 30)."),
            (30, 0.35, 0.08, "No clear link between daily load and soreness 1 day later (ρ = 0.35, 95 % CI 0.15 to 0.55, q = 0.080, n = 30)."),
            (20, 0.35, 0.01, "Exploratory (n = 20): A moderate link: more load (TRIMP) 1 day before went with more soreness (ρ = 0.35, 95 % CI 0.15 to 0.55, q = 0.010, n = 20)."),
        ];
        for (n, effect, q, want) in cases {
            let mut r = relation("load_vs_soreness_lag1_spearman", "spearman", n, effect, q);
            word(&mut r, 1);
            assert_eq!(r.text, want);
        }
        let mut r = relation("soreness_day1_after_hard", "mean_difference", 30, 0.4, 0.2);
        word(&mut r, 1);
        assert_eq!(
            r.text,
            "No clear difference in soreness on the 1st day after a hard session (+0.4 points against quiet days, 95 % CI 0.2 to 0.6, q = 0.200, n = 30 hard days)."
        );
    }

    #[test]
    fn load_to_next_day_soreness_is_also_given_at_the_same_soreness_today() {
        let a = analyse(&weeks_with_pattern(), 4.0);
        let p = a
            .relations
            .iter()
            .find(|r| r.id == "load_vs_soreness_lag1_partial_spearman")
            .unwrap();
        assert_eq!(p.method, "partial_spearman");
        assert!(p.effect.is_some() && p.q_value.is_some(), "{p:?}");
        let every_p: Vec<_> = a.relations.iter().filter(|r| r.p_value.is_some()).collect();
        assert!(every_p
            .iter()
            .all(|r| r.q_value.unwrap() >= r.p_value.unwrap()));
    }
}
