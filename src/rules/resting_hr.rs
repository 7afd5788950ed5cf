//! Resting heart rate against the athlete's own baseline: the 60 days before the morning
//! (at least 30 readings), as mean and SD. Elevated (above the mean by the larger of
//! `rhr_sd` SDs and `rhr_rise` bpm) on two mornings running means easy at most.
//!
//! This replaces the older rule (5 bpm over the 7-day mean): a week's mean follows a bad
//! week up and hides it, and 5 bpm means more for a steady athlete than for a noisy one.

use chrono::{Duration, NaiveDate};

use super::{round1, Advice, Ctx, Forward, Reason};
use crate::readiness;

pub const ID: &str = "resting_hr_up";

/// Forward: elevated this morning and the one before: easy at most.
pub fn allows(ctx: &Ctx, date: NaiveDate, out: &mut Forward) {
    let cfg = ctx.cfg;
    let today = ctx.day(date);
    if !today.is_some_and(|d| !d.projected && d.resting_hr.is_some()) {
        return;
    }
    let Some(s) = readiness::resting_hr(ctx.days, date, cfg) else {
        out.missing.push(format!(
            "resting heart rate: fewer than {} readings in the {} days before {date}, so no baseline yet: the resting-HR rule ({ID}) not checked",
            cfg.rhr_min_readings, cfg.rhr_baseline_days
        ));
        return;
    };
    let yesterday = ctx
        .day(date - Duration::days(1))
        .filter(|d| !d.projected)
        .and_then(|_| readiness::resting_hr(ctx.days, date - Duration::days(1), cfg))
        .filter(readiness::RhrState::elevated);
    let (Some(r), Some(y)) = (s.today.filter(|_| s.elevated()), yesterday) else {
        return;
    };
    let y_r = y.today.unwrap_or_default();
    out.reasons.push(Reason::new(
        ID,
        Advice::Easy,
        format!(
            "resting heart rate {r:.0} bpm this morning and {y_r:.0} yesterday, both above {:.0} (baseline {:.1} ± {:.1} bpm over {} mornings; elevated is over the larger of {} SD and {:.0} bpm): easy at most",
            s.limit, s.mean, s.sd, s.n, cfg.rhr_sd, cfg.rhr_rise
        ),
        serde_json::json!({
            "resting_hr": r,
            "yesterday": y_r,
            "baseline_mean": round1(s.mean),
            "baseline_sd": round1(s.sd),
            "limit": round1(s.limit),
        }),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::journal::JournalEntry;
    use crate::rules::testing::World;

    /// 30 mornings at 48/52 from 2026-03-01 (mean 50, SD 2.03: limit 53), then `tail`.
    fn world(tail: &[f64]) -> World {
        let mut v: Vec<f64> = (0..30)
            .map(|i| if i % 2 == 0 { 48.0 } else { 52.0 })
            .collect();
        v.extend_from_slice(tail);
        let rows: Vec<JournalEntry> = v
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let d = date("2026-03-01") + Duration::days(i as i64);
                let mut e = entry(&d.to_string(), 1.0, 8.0, None);
                e.resting_hr = Some(*r);
                e
            })
            .collect();
        World::new(vec![easy("2026-03-01")], Some(&journal(rows)))
    }

    fn reasons(w: &World, i: i64) -> Vec<Reason> {
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-01") + Duration::days(i), &mut f);
        f.reasons
    }

    #[test]
    fn one_raised_morning_is_not_enough_two_running_mean_easy() {
        let w = world(&[56.0, 56.0]);
        assert!(reasons(&w, 30).is_empty());
        let r = reasons(&w, 31);
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].rule, r[0].advice), ("resting_hr_up", Advice::Easy));
        assert!(
            r[0].text
                .starts_with("resting heart rate 56 bpm this morning and 56 yesterday"),
            "{}",
            r[0].text
        );
    }

    #[test]
    fn a_raised_morning_after_a_normal_one_or_a_rise_under_the_floor_is_not_elevated() {
        // 53 is not above the limit of 53 (50 + max(2.03, 3)).
        assert!(reasons(&world(&[53.0, 53.0]), 31).is_empty());
        assert!(reasons(&world(&[50.0, 58.0]), 31).is_empty());
    }
}
