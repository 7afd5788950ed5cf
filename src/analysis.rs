//! What moves with what: soreness and sleep against hard days and load, as plain structs
//! with n, effect and uncertainty, and a sentence a runner understands. No I/O.

use crate::days::{day_after, Day};
use crate::report::table::Table;
use crate::stats;

/// Fewer pairs than this give "not enough data" instead of a number.
pub const MIN_PAIRS: usize = 8;

/// One measured relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// Stable id, e.g. `soreness_day2_after_hard`.
    pub id: String,
    /// What was compared, e.g. "soreness 2 days after a hard day vs after other days".
    pub what: String,
    /// `mean_difference`, `spearman` or `pearson`.
    pub method: &'static str,
    /// Pairs (correlations) or days in the first group (differences).
    pub n: usize,
    /// Days in the comparison group (differences only).
    pub n_other: Option<usize>,
    pub effect: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
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
    /// Day (0–5) with the highest mean soreness.
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

/// Values of `f` on day d+k, split by whether day d was hard.
fn after_hard_vs_other(
    days: &[Day],
    k: i64,
    f: impl Fn(&Day) -> Option<f64>,
) -> (Vec<f64>, Vec<f64>) {
    let (mut hard, mut other) = (Vec::new(), Vec::new());
    for d in days {
        let Some(v) = day_after(days, d.date, k).and_then(&f) else {
            continue;
        };
        if d.is_hard() {
            hard.push(v);
        } else {
            other.push(v);
        }
    }
    (hard, other)
}

fn difference(
    id: &str,
    what: String,
    hard: &[f64],
    other: &[f64],
    words: impl Fn(f64, String) -> String,
) -> Relation {
    let base = Relation {
        id: id.to_string(),
        what,
        method: "mean_difference",
        n: hard.len(),
        n_other: Some(other.len()),
        effect: None,
        ci_low: None,
        ci_high: None,
        p_value: None,
        text: String::new(),
    };
    if hard.len() < MIN_PAIRS || other.len() < MIN_PAIRS {
        return Relation {
            text: format!(
                "Not enough data for {}: {} hard days and {} other days logged (needs {MIN_PAIRS} of each).",
                base.what,
                hard.len(),
                other.len()
            ),
            ..base
        };
    }
    match stats::mean_difference(hard, other) {
        Some(m) => {
            let ci = format!(
                "95 % CI {:.1} to {:.1}, {} hard days",
                m.ci_low, m.ci_high, m.n_a
            );
            Relation {
                effect: Some(m.diff),
                ci_low: Some(m.ci_low),
                ci_high: Some(m.ci_high),
                p_value: Some(m.p_value),
                text: words(m.diff, ci),
                ..base
            }
        }
        None => Relation {
            text: format!(
                "No spread in the values for {}: nothing to compare.",
                base.what
            ),
            ..base
        },
    }
}

fn strength(r: f64) -> &'static str {
    match r.abs() {
        x if x < 0.1 => "hardly any",
        x if x < 0.3 => "a weak",
        x if x < 0.5 => "a moderate",
        _ => "a strong",
    }
}

fn correlation(
    id: &str,
    what: &str,
    method: &'static str,
    pairs: &[(f64, f64)],
    link: &str,
) -> Relation {
    let (x, y): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    let base = Relation {
        id: id.to_string(),
        what: what.to_string(),
        method,
        n: pairs.len(),
        n_other: None,
        effect: None,
        ci_low: None,
        ci_high: None,
        p_value: None,
        text: String::new(),
    };
    if pairs.len() < MIN_PAIRS {
        return Relation {
            text: format!(
                "Not enough data for {what}: {} days with both values (needs {MIN_PAIRS}).",
                pairs.len()
            ),
            ..base
        };
    }
    let c = if method == "spearman" {
        stats::spearman(&x, &y)
    } else {
        stats::pearson(&x, &y)
    };
    let Some(c) = c else {
        return Relation {
            text: format!("No spread in the values for {what}: no correlation to measure."),
            ..base
        };
    };
    let symbol = if method == "spearman" { "ρ" } else { "r" };
    let ci = match (c.ci_low, c.ci_high) {
        (Some(l), Some(h)) => format!(", 95 % CI {l:.2} to {h:.2}"),
        _ => String::new(),
    };
    let clear = matches!((c.ci_low, c.ci_high), (Some(l), Some(h)) if l > 0.0 || h < 0.0);
    let direction = if c.r >= 0.0 { "more" } else { "less" };
    let text = if clear {
        format!(
            "{} link: {link} went with {direction} soreness ({symbol} = {:.2}{ci}, {}, n = {}).",
            capitalise(strength(c.r)),
            c.r,
            p_text(c.p_value),
            c.n
        )
    } else {
        format!(
            "No clear link between {what} ({symbol} = {:.2}{ci}, {}, n = {}).",
            c.r,
            p_text(c.p_value),
            c.n
        )
    };
    Relation {
        n: c.n,
        effect: Some(c.r),
        ci_low: c.ci_low,
        ci_high: c.ci_high,
        p_value: Some(c.p_value),
        text,
        ..base
    }
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

/// Pairs of `x` on day d and `y` on day d+lag, where both are known.
fn lagged(
    days: &[Day],
    lag: i64,
    x: impl Fn(&Day) -> Option<f64>,
    y: impl Fn(&Day) -> Option<f64>,
) -> Vec<(f64, f64)> {
    days.iter()
        .filter_map(|d| Some((x(d)?, y(day_after(days, d.date, lag)?)?)))
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
    let peak_day = points
        .iter()
        .filter(|p| p.n > 0)
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
    let text = match (peak_day, points.iter().map(|p| p.n).max().unwrap_or(0)) {
        (_, n) if n < MIN_PAIRS.min(hard.len().max(1)) || hard.is_empty() => format!(
            "Not enough data for the soreness curve: {} hard days with soreness logged after them.",
            n
        ),
        (Some(peak), _) => {
            let p = &points[peak as usize];
            format!(
                "After a hard day soreness peaked on day {peak} ({} h after) at {:.1}/10 on average ({} hard days); it was still {persist:.0}+ beyond 72 h after {} of {} hard days.",
                peak * 24,
                p.mean.unwrap_or_default(),
                p.n,
                beyond.1,
                beyond.0
            )
        }
        _ => "No soreness logged after hard days.".to_string(),
    };
    SorenessCurve {
        points,
        peak_day,
        beyond_72h: beyond,
        text,
    }
}

/// Runs every comparison over the daily table.
pub fn analyse(days: &[Day], sore_persist: f64) -> Analysis {
    let mut relations = Vec::new();
    let soreness = |d: &Day| d.soreness;
    for k in 1..=3 {
        let (hard, other) = after_hard_vs_other(days, k, soreness);
        relations.push(difference(
            &format!("soreness_day{k}_after_hard"),
            format!("soreness {} after a hard day vs after other days", days_text(k)),
            &hard,
            &other,
            |diff, ci| {
                let more = if diff >= 0.0 { "sorer" } else { "less sore" };
                format!(
                    "On the {} day after a hard session you were {:.1} points {more} than after other days ({ci}).",
                    ordinal(k),
                    diff.abs()
                )
            },
        ));
    }
    let load = |d: &Day| Some(d.load.load);
    let load_next = lagged(days, 1, load, soreness);
    for (lag, pairs) in [(1, load_next.clone()), (2, lagged(days, 2, load, soreness))] {
        for method in ["spearman", "pearson"] {
            relations.push(correlation(
                &format!("load_vs_soreness_lag{lag}_{method}"),
                &format!("daily load and soreness {} later", days_text(lag)),
                method,
                &pairs,
                &format!("more load (TRIMP) {} before", days_text(lag)),
            ));
        }
    }
    let sleep_pairs = lagged(days, 0, |d| d.sleep_hours, soreness);
    let sleep_note = crate::days::sleep_source_note(days);
    for method in ["spearman", "pearson"] {
        let mut r = correlation(
            &format!("sleep_vs_soreness_{method}"),
            "sleep hours (night before) and soreness",
            method,
            &sleep_pairs,
            "more sleep the night before",
        );
        r.text = format!("{} ({sleep_note}.)", r.text.trim_end_matches('.'));
        relations.push(r);
    }
    let (hard, other) = after_hard_vs_other(days, 1, |d| d.sleep_hours);
    let mut sleep_after = difference(
        "sleep_after_hard",
        "sleep the night after a hard day vs after other days".into(),
        &hard,
        &other,
        |diff, ci| {
            let more = if diff >= 0.0 { "more" } else { "less" };
            format!(
                "The night after a hard day you slept {:.1} h {more} than after other days ({ci}).",
                diff.abs()
            )
        },
    );
    sleep_after.text = format!("{} ({sleep_note}.)", sleep_after.text.trim_end_matches('.'));
    relations.push(sleep_after);
    for (id, name, f) in [
        (
            "resting_hr_after_hard",
            "resting heart rate",
            (|d: &Day| d.resting_hr) as fn(&Day) -> Option<f64>,
        ),
        ("hrv_after_hard", "HRV", |d: &Day| d.hrv_ms),
    ] {
        let (hard, other) = after_hard_vs_other(days, 1, f);
        if hard.is_empty() && other.is_empty() {
            continue;
        }
        let unit = if id.starts_with("hrv") { "ms" } else { "bpm" };
        relations.push(difference(
            id,
            format!("{name} the morning after a hard day vs after other days"),
            &hard,
            &other,
            |diff, ci| {
                let more = if diff >= 0.0 { "higher" } else { "lower" };
                format!(
                    "The morning after a hard day your {name} was {:.1} {unit} {more} than after other days ({ci}).",
                    diff.abs()
                )
            },
        ));
    }
    Analysis {
        relations,
        curve: soreness_curve(days, sore_persist),
        load_vs_next_soreness: load_next,
        sleep_vs_soreness: sleep_pairs,
    }
}

/// `correlations.csv`.
pub fn correlations_table(a: &Analysis) -> Table {
    let r = &a.relations;
    Table::new()
        .text("id", r.iter().map(|x| Some(x.id.clone())))
        .text("what", r.iter().map(|x| Some(x.what.clone())))
        .text("method", r.iter().map(|x| Some(x.method.to_string())))
        .int("n", r.iter().map(|x| Some(x.n as i64)))
        .int("n_other", r.iter().map(|x| x.n_other.map(|n| n as i64)))
        .float("effect", 3, r.iter().map(|x| x.effect))
        .float("ci_low", 3, r.iter().map(|x| x.ci_low))
        .float("ci_high", 3, r.iter().map(|x| x.ci_high))
        // Text, so that a tiny p-value keeps its digits instead of rounding to 0.
        .text(
            "p_value",
            r.iter().map(|x| {
                x.p_value.map(|p| {
                    if p != 0.0 && p < 1e-4 {
                        format!("{p:.3e}")
                    } else {
                        format!("{p:.4}")
                    }
                })
            }),
        )
        .text("finding", r.iter().map(|x| Some(x.text.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;

    /// Eight weeks of Tue/Sat hard days with soreness 2 on normal days and 5, 6, 4 on
    /// the three days after each hard day.
    fn weeks_with_pattern() -> Vec<Day> {
        let mut sessions = Vec::new();
        let mut entries = Vec::new();
        let start = date("2026-03-02");
        let mut sore = std::collections::BTreeMap::new();
        for w in 0..8 {
            for hard_day in [1, 5] {
                let d = start + chrono::Duration::days(w * 7 + hard_day);
                sessions.push(hard(&d.to_string()));
                for (k, s) in [(1, 5.0), (2, 6.0), (3, 4.0)] {
                    sore.insert(d + chrono::Duration::days(k), s);
                }
            }
        }
        for i in 0..56 {
            let d = start + chrono::Duration::days(i);
            let s = sore.get(&d).copied().unwrap_or(2.0);
            entries.push(entry(&d.to_string(), s, 7.5, None));
        }
        let j = journal(entries);
        build_days(sessions, Some(&j)).1
    }

    #[test]
    fn the_planted_soreness_after_hard_days_comes_out() {
        let a = analyse(&weeks_with_pattern(), 4.0);
        let day2 = a
            .relations
            .iter()
            .find(|r| r.id == "soreness_day2_after_hard")
            .unwrap();
        assert!(day2.effect.unwrap() >= 1.5, "{day2:?}");
        assert!(
            day2.text
                .starts_with("On the 2nd day after a hard session you were"),
            "{}",
            day2.text
        );
        assert_eq!(a.curve.peak_day, Some(2));
        assert!(
            a.curve.text.contains("peaked on day 2 (48 h after)"),
            "{}",
            a.curve.text
        );
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
    fn the_difference_matches_a_hand_worked_welch_example() {
        // Soreness the day after: hard days all 5 (16 of them), other days mostly 2.
        let days = weeks_with_pattern();
        let (hard, other) = after_hard_vs_other(&days, 1, |d| d.soreness);
        assert_eq!(hard.len(), 16);
        assert!(hard.iter().all(|&s| s == 5.0));
        let m = stats::mean_difference(&hard, &other).unwrap();
        let mean_other = other.iter().sum::<f64>() / other.len() as f64;
        assert!((m.diff - (5.0 - mean_other)).abs() < 1e-12);
    }
}
