//! HRV against the athlete's own normal band (Plews, Kiviniemi; as HRV4Training documents
//! it): the 7-day mean of ln rMSSD under the band means easy at most; under it on a sore
//! morning, or on a second morning running, rest or active recovery.

use chrono::{Duration, NaiveDate};

use super::{round1, Advice, Ctx, Finding, Forward, Reason, Severity};
use crate::readiness::{self, HrvGap, HrvMetric, HrvState};

/// The metric the rule reads: rMSSD (journal `hrv_ms`, Garmin's overnight HRV). An SDNN
/// source keeps its own baseline and never enters this one.
pub const METRIC: HrvMetric = HrvMetric::Rmssd;

pub const ID: &str = "hrv_below_normal";

const TODO: &str = "while the 7-day HRV mean is under its normal band, easy at most; rest or active recovery when sore or on the second day";

/// "3.95 (52 ms)": an ln value with the ms it stands for.
fn ln_ms(x: f64) -> String {
    format!("{x:.2} ({:.0} ms)", x.exp())
}

fn describe(s: &HrvState) -> String {
    format!(
        "7-day mean of ln {} {} under its normal band {}–{} ({} readings in the last 7 days, {} in the band's 60)",
        s.metric.label(),
        ln_ms(s.mean_7d),
        ln_ms(s.low),
        ln_ms(s.high),
        s.recent,
        s.baseline
    )
}

/// The state on `date` when it is a real morning (never a planned one).
fn state(ctx: &Ctx, date: NaiveDate) -> Result<HrvState, HrvGap> {
    if ctx.day(date).is_some_and(|d| d.projected) {
        return Err(HrvGap::None);
    }
    readiness::hrv(ctx.days, date, METRIC, ctx.cfg)
}

/// Backward: a hard session on a morning whose 7-day HRV mean was under the band.
pub fn broken(ctx: &Ctx) -> Vec<Finding> {
    ctx.days
        .iter()
        .filter(|d| d.is_hard() && !d.projected)
        .filter_map(|d| {
            let s = state(ctx, d.date).ok().filter(HrvState::below)?;
            Some(Finding::one(
                d.date,
                ID,
                Severity::Medium,
                ctx.first_hard_id(d),
                format!("hard session with the {}", describe(&s)),
                TODO.into(),
            ))
        })
        .collect()
}

/// Forward: under the band, easy at most; with a sore morning or on the second morning
/// running, active recovery at most (or rest). Too few readings: says what is missing.
pub fn allows(ctx: &Ctx, date: NaiveDate, out: &mut Forward) {
    let s = match state(ctx, date) {
        Ok(s) => s,
        Err(HrvGap::None) => return,
        Err(HrvGap::TooFew { baseline, recent }) => {
            let mut short = Vec::new();
            if baseline.0 < baseline.1 {
                short.push(format!(
                    "{} readings in the {} days to {date} ({} needed for the normal band)",
                    baseline.0, ctx.cfg.hrv_baseline_days, baseline.1
                ));
            }
            if recent.0 < recent.1 {
                short.push(format!(
                    "{} in the last {} days ({} needed for the rolling mean)",
                    recent.0, ctx.cfg.hrv_mean_days, recent.1
                ));
            }
            out.missing.push(format!(
                "HRV ({}): {}: the HRV rule ({ID}) not checked",
                METRIC.label(),
                short.join(" and ")
            ));
            return;
        }
    };
    if !s.below() {
        return;
    }
    let sore = super::soreness::soreness_for(ctx, date).filter(|(_, v)| *v >= ctx.cfg.sore);
    let yesterday = state(ctx, date - Duration::days(1))
        .ok()
        .filter(HrvState::below);
    let (advice, why) = match (sore, yesterday) {
        (Some((_, v)), _) => (
            Advice::ActiveRecovery,
            format!(" with soreness {v:.0}/10: active recovery at most, or rest"),
        ),
        (None, Some(_)) => (
            Advice::ActiveRecovery,
            " for a second morning running: active recovery at most, or rest".to_string(),
        ),
        (None, None) => (Advice::Easy, ": easy at most".to_string()),
    };
    out.reasons.push(Reason::new(
        ID,
        advice,
        format!("{}{why}", describe(&s)),
        serde_json::json!({
            "metric": s.metric.label(),
            "ln_mean_7d": (s.mean_7d * 1000.0).round() / 1000.0,
            "band_low": (s.low * 1000.0).round() / 1000.0,
            "band_high": (s.high * 1000.0).round() / 1000.0,
            "mean_7d_ms": round1(s.mean_7d.exp()),
            "readings_7d": s.recent,
            "readings_baseline": s.baseline,
            "second_day": yesterday.is_some(),
            "soreness": sore.map(|(_, v)| v),
        }),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::journal::JournalEntry;
    use crate::rules::testing::World;

    /// 28 mornings at 62–68 ms from 2026-03-01, then `tail` (ms), soreness 1 except `sore`.
    fn world(
        tail: &[f64],
        sore: Option<(usize, f64)>,
        sessions: Vec<crate::session::Session>,
    ) -> World {
        let mut v: Vec<f64> = (0..28).map(|i| 65.0 + [-3.0, 0.0, 3.0][i % 3]).collect();
        v.extend_from_slice(tail);
        let rows: Vec<JournalEntry> = v
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let d = date("2026-03-01") + Duration::days(i as i64);
                let s = sore.filter(|(k, _)| *k == i).map_or(1.0, |(_, s)| s);
                let mut e = entry(&d.to_string(), s, 8.0, None);
                e.hrv_ms = Some(*h);
                e
            })
            .collect();
        World::new(sessions, Some(&journal(rows)))
    }

    fn advise(w: &World, i: i64) -> Forward {
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-01") + Duration::days(i), &mut f);
        f
    }

    #[test]
    fn a_normal_week_says_nothing_and_low_mornings_lower_the_advice_step_by_step() {
        let w = world(&[65.0, 45.0, 45.0, 45.0], None, vec![easy("2026-03-01")]);
        assert!(advise(&w, 28).reasons.is_empty());
        let advices: Vec<Vec<Advice>> = (29..=31)
            .map(|i| advise(&w, i).reasons.iter().map(|r| r.advice).collect())
            .collect();
        // The first morning under the band: easy; the next ones: second day running.
        assert_eq!(
            advices,
            vec![
                vec![Advice::Easy],
                vec![Advice::ActiveRecovery],
                vec![Advice::ActiveRecovery]
            ]
        );
        let r = &advise(&w, 30).reasons[0];
        assert_eq!(r.rule, "hrv_below_normal");
        assert!(
            r.text.contains("ln rMSSD") && r.text.contains("second morning running"),
            "{}",
            r.text
        );
    }

    #[test]
    fn under_the_band_on_a_sore_morning_is_active_recovery_at_once() {
        let w = world(
            &[45.0, 45.0, 45.0],
            Some((30, 5.0)),
            vec![easy("2026-03-01")],
        );
        let f = advise(&w, 30);
        assert_eq!(f.reasons[0].advice, Advice::ActiveRecovery);
        assert!(f.reasons[0].text.contains("soreness 5/10"));
    }

    #[test]
    fn too_few_readings_is_named_in_missing_and_not_judged() {
        let rows: Vec<JournalEntry> = (0..5)
            .map(|i| {
                let d = date("2026-03-01") + Duration::days(i);
                let mut e = entry(&d.to_string(), 1.0, 8.0, None);
                e.hrv_ms = Some(40.0);
                e
            })
            .collect();
        let w = World::new(vec![easy("2026-03-01")], Some(&journal(rows)));
        let f = advise(&w, 4);
        assert!(f.reasons.is_empty());
        assert_eq!(
            f.missing,
            vec!["HRV (rMSSD): 5 readings in the 60 days to 2026-03-05 (14 needed for the normal band): the HRV rule (hrv_below_normal) not checked"]
        );
    }

    #[test]
    fn the_audit_finds_a_hard_session_on_a_morning_under_the_band_and_not_before() {
        let w = world(
            &[45.0, 45.0, 45.0],
            None,
            vec![hard("2026-03-26"), hard("2026-03-31")],
        );
        let f = broken(&w.ctx());
        let dates: Vec<String> = f.iter().map(|f| f.date.to_string()).collect();
        assert_eq!(dates, vec!["2026-03-31"]);
        assert_eq!(f[0].rule, "hrv_below_normal");
        assert!(
            f[0].found
                .starts_with("hard session with the 7-day mean of ln rMSSD"),
            "{}",
            f[0].found
        );
    }
}
