//! Volume: weekly hours may rise at most `volume_jump` (10 %) above a steady baseline,
//! the higher of last week and the mean of the `volume_baseline_weeks` weeks before. A
//! return from a lighter week is no ramp; a real build still is. Weeks and baselines
//! under `volume_min_h` are not judged.

use chrono::{Duration, NaiveDate};

use super::{round1, Advice, Ctx, Finding, Forward, Reason, Severity};
use crate::load::week_start;

/// The baseline for the week starting `monday`: (baseline, last week, mean), or `None`
/// when last week is not a full week of data or the baseline is under the floor.
pub fn baseline(ctx: &Ctx, monday: NaiveDate) -> Option<(f64, f64, f64)> {
    let full = |k: i64| {
        let start = monday - Duration::days(7 * k);
        ctx.weeks.iter().find(|w| w.start == start && w.days == 7)
    };
    let last = full(1)?.hours;
    let earlier: Vec<f64> = (1..=ctx.cfg.volume_baseline_weeks as i64)
        .map_while(full)
        .map(|w| w.hours)
        .collect();
    let mean = earlier.iter().sum::<f64>() / earlier.len() as f64;
    let base = last.max(mean);
    (base >= ctx.cfg.volume_min_h).then_some((base, last, mean))
}

fn limit(ctx: &Ctx, base: f64) -> f64 {
    base * (1.0 + ctx.cfg.volume_jump)
}

fn describe(ctx: &Ctx, base: f64, last: f64, mean: f64) -> String {
    format!(
        "{:.1} h: {:.0} % above the baseline of {base:.1} h, the higher of last week's {last:.1} h and the {}-week mean of {mean:.1} h",
        limit(ctx, base),
        ctx.cfg.volume_jump * 100.0,
        ctx.cfg.volume_baseline_weeks
    )
}

/// Backward: the first day on which a week's running total of hours passed its limit.
pub fn broken(ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for w in ctx.weeks {
        let Some((base, last, mean)) = baseline(ctx, w.start) else {
            continue;
        };
        let mut total = 0.0;
        for k in 0..7 {
            let Some(d) = ctx.day(w.start + Duration::days(k)) else {
                continue;
            };
            total += d.timer_h;
            if total > limit(ctx, base) + 1e-9 && total >= ctx.cfg.volume_min_h {
                out.push(Finding::one(
                    d.date,
                    "volume_jump",
                    Severity::Medium,
                    None,
                    format!(
                        "the week of {} reached {total:.1} h by {}, over its limit of {}",
                        w.start,
                        d.date,
                        describe(ctx, base, last, mean)
                    ),
                    format!(
                        "raise weekly volume by {:.0} % at most",
                        ctx.cfg.volume_jump * 100.0
                    ),
                ));
                break;
            }
        }
    }
    out
}

/// Sessions longer than this are rare: a cap above it is not worth a reason.
const CAP_WORTH_SAYING_MIN: f64 = 180.0;

/// Forward: what is left of this week's limit caps today's session; nothing left means rest.
pub fn allows(ctx: &Ctx, date: NaiveDate, out: &mut Forward) {
    let monday = week_start(date);
    let Some((base, last, mean)) = baseline(ctx, monday) else {
        return;
    };
    let so_far: f64 = (0..(date - monday).num_days())
        .filter_map(|k| ctx.day(monday + Duration::days(k)))
        .map(|d| d.timer_h)
        .sum();
    let left_min = (limit(ctx, base) - so_far) * 60.0;
    let values = serde_json::json!({
        "this_week_h": round1(so_far),
        "limit_h": round1(limit(ctx, base)),
        "last_week_h": round1(last),
        "mean_h": round1(mean),
    });
    if left_min < 1.0 {
        out.reasons.push(Reason::new(
            "volume_jump",
            Advice::Rest,
            format!(
                "this week already has {so_far:.1} h, at its limit of {}: rest",
                describe(ctx, base, last, mean)
            ),
            values,
        ));
    } else if left_min < CAP_WORTH_SAYING_MIN {
        out.reasons.push(
            Reason::new(
                "volume_jump",
                Advice::HardOk,
                format!(
                    "this week has {so_far:.1} h of its limit of {}: at most {left_min:.0} min today",
                    describe(ctx, base, last, mean)
                ),
                values,
            )
            .capped(left_min),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::rules::testing::World;

    fn four_weeks(minutes: [f64; 4]) -> Vec<crate::session::Session> {
        // Four sessions a week (Mon, Wed, Fri, Sun) from Monday 2026-03-02.
        let mut s = Vec::new();
        for (w, m) in minutes.iter().enumerate() {
            for d in [0, 2, 4, 6] {
                let day = date("2026-03-02") + Duration::days(7 * w as i64 + d);
                s.push(session(&day.to_string(), *m, 1.0, None));
            }
        }
        s
    }

    fn found(s: Vec<crate::session::Session>) -> Vec<String> {
        broken(&World::new(s, None).ctx())
            .iter()
            .map(|f| f.date.to_string())
            .collect()
    }

    #[test]
    fn ten_percent_above_the_baseline_is_fine_and_more_is_a_jump_dated_when_it_happened() {
        // 4 h, then 4.4 h (exactly +10 %): fine; 4 × 67 min = 4.47 h: over on the Sunday.
        assert!(found(four_weeks([60.0, 66.0, 0.0, 0.0])[..8].to_vec()).is_empty());
        assert_eq!(
            found(four_weeks([60.0, 67.0, 0.0, 0.0])[..8].to_vec()),
            vec!["2026-03-15"]
        );
    }

    #[test]
    fn a_return_from_a_lighter_week_is_no_ramp_but_a_real_build_is() {
        // 4 h, 4 h, 4 h, 2.4 h (a recovery week), then 3.93 h: against last week alone
        // that is +64 %; the baseline is max(2.4, mean 3.6) = 3.6 h, limit 3.96 h.
        let mut s = four_weeks([60.0, 60.0, 60.0, 36.0]);
        for d in [0, 2, 4, 6] {
            let day = date("2026-03-30") + Duration::days(d);
            s.push(session(&day.to_string(), 59.0, 1.0, None));
        }
        assert!(
            found(s).is_empty(),
            "3.93 h after a recovery week is within 3.96 h"
        );
        // A build of +15 % every week is found every week.
        let f = found(four_weeks([60.0, 69.0, 79.35, 91.25]));
        assert_eq!(f.len(), 3, "{f:?}");
    }

    #[test]
    fn weeks_under_two_hours_are_not_judged_for_volume() {
        assert!(found(four_weeks([20.0, 29.0, 0.0, 0.0])[..8].to_vec()).is_empty());
    }

    #[test]
    fn forward_what_is_left_of_the_week_caps_the_session_and_nothing_left_means_rest() {
        let s = four_weeks([60.0, 60.0, 0.0, 0.0])[..6].to_vec(); // week 2: Mon, Wed = 2 h
        let w = World::new(s, None);
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-13"), &mut f); // Friday: 4.4 − 2 = 2.4 h left
        assert_eq!(f.reasons[0].max_minutes.map(|m| m.round()), Some(144.0));
        assert_eq!(f.reasons[0].advice, Advice::HardOk);
        let s = four_weeks([60.0, 100.0, 0.0, 0.0])[..7].to_vec(); // Mon, Wed, Fri = 5 h
        let w = World::new(s, None);
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-15"), &mut f);
        assert_eq!(f.reasons[0].advice, Advice::Rest);
        let s = four_weeks([60.0, 80.0, 0.0, 0.0])[..7].to_vec(); // 4 h by Sunday: 24 min left
        let w = World::new(s, None);
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-15"), &mut f);
        assert_eq!(f.reasons[0].max_minutes.map(|m| m.round()), Some(24.0));
    }
}
