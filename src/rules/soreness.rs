//! Soreness: no hard session on a sore morning (easy or active recovery is fine when
//! sore), and soreness that has not eased more than 72 h after a hard session means back
//! off. Soreness is logged for the morning: it comes from the days before.

use chrono::NaiveDate;

use super::audit::{Finding, Severity};
use super::today::{Advice, Forward, Reason};
use super::Ctx;
use crate::days::Day;

const SORE_TODO: &str =
    "when sore, keep to easy or active recovery; a hard session is not fine when sore";
const PAST_72H_TODO: &str = "soreness past 72 h means back off: rest or recover until it eases; see a professional if it persists";

/// Backward: a hard day on a morning at or above the sore level.
pub fn hard_while_sore_broken(ctx: &Ctx) -> Vec<Finding> {
    let cfg = ctx.cfg;
    ctx.days
        .iter()
        .filter(|d| d.is_hard())
        .filter_map(|d| {
            let s = d.soreness.filter(|&s| s >= cfg.sore)?;
            let severity = if s >= cfg.very_sore {
                Severity::High
            } else {
                Severity::Medium
            };
            Some(Finding::one(
                d.date,
                "hard_while_sore",
                severity,
                ctx.first_hard_id(d),
                format!("hard session on a morning with soreness {s:.0}/10"),
                SORE_TODO.into(),
            ))
        })
        .collect()
}

/// Soreness past 72 h on the morning of `date`: at or above the sore level, the last hard
/// day more than `sore_past_h` before (and within `doms_days`), and not lower than the
/// last soreness logged since that hard day. Gives the hard day and the earlier value.
fn past_72h<'a>(ctx: &Ctx<'a>, date: NaiveDate) -> Option<(&'a Day, f64, Option<f64>)> {
    let cfg = ctx.cfg;
    let s = ctx.day(date)?.soreness.filter(|&s| s >= cfg.sore)?;
    let hard = ctx.last_hard_before(date, cfg.doms_days)?;
    let days = (date - hard.date).num_days();
    if (days as f64) * 24.0 <= cfg.sore_past_h {
        return None;
    }
    let earlier = (1..days)
        .filter_map(|k| ctx.before(date, k).and_then(|d| d.soreness))
        .next();
    if earlier.is_some_and(|e| s < e) {
        return None; // easing
    }
    Some((hard, s, earlier))
}

fn past_72h_text(hard: &Day, s: f64, earlier: Option<f64>, date: NaiveDate, ctx: &Ctx) -> String {
    let hours = (date - hard.date).num_days() * 24;
    let trend = match earlier {
        Some(e) if s > e => format!(", up from {e:.0}"),
        Some(_) => ", not easing".to_string(),
        None => String::new(),
    };
    format!(
        "soreness {s:.0}/10{trend} about {hours} h after the hard session of {} ({})",
        hard.date,
        ctx.first_hard_id(hard).unwrap_or_default()
    )
}

/// Backward: soreness past 72 h, once per hard session (the first morning it shows).
pub fn past_72h_broken(ctx: &Ctx) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut seen: Vec<NaiveDate> = Vec::new();
    for d in ctx.days {
        let Some((hard, s, earlier)) = past_72h(ctx, d.date) else {
            continue;
        };
        if seen.contains(&hard.date) {
            continue;
        }
        seen.push(hard.date);
        out.push(Finding::one(
            d.date,
            "soreness_past_72h",
            Severity::High,
            ctx.first_hard_id(hard),
            past_72h_text(hard, s, earlier, d.date, ctx),
            PAST_72H_TODO.into(),
        ));
    }
    out
}

/// Forward: very sore means rest, sore means easy (active recovery with a hard day in the
/// last 48 h), soreness past 72 h means rest.
pub fn allows(ctx: &Ctx, date: NaiveDate, out: &mut Forward) {
    let cfg = ctx.cfg;
    let Some(s) = ctx.day(date).and_then(|d| d.soreness) else {
        out.missing.push(format!(
            "no soreness logged for {date}: the soreness rules (hard_while_sore, soreness_past_72h) not checked"
        ));
        return;
    };
    if let Some((hard, s, earlier)) = past_72h(ctx, date) {
        out.reasons.push(Reason::new(
            "soreness_past_72h",
            Advice::Rest,
            format!(
                "{}: rest; soreness past 72 h, or sharp and localised pain, is a reason to back off the plan and to see a professional if it persists",
                past_72h_text(hard, s, earlier, date, ctx)
            ),
            serde_json::json!({"soreness": s, "earlier": earlier, "hard_day": hard.date.to_string()}),
        ));
    }
    if s >= cfg.very_sore {
        out.reasons.push(Reason::new(
            "hard_while_sore",
            Advice::Rest,
            format!(
                "soreness {s:.0}/10 today (≥ {:.0}): rest; sharp or localised pain is a reason to back off and to see a professional if it persists",
                cfg.very_sore
            ),
            serde_json::json!({"soreness": s}),
        ));
    } else if s >= cfg.sore {
        let recent = (1..=2).find_map(|k| ctx.before(date, k).filter(|d| d.is_hard()));
        let (advice, extra) = match recent {
            Some(h) => (
                Advice::ActiveRecovery,
                format!(" and a hard day within 48 h ({})", h.date),
            ),
            None => (Advice::Easy, String::new()),
        };
        out.reasons.push(Reason::new(
            "hard_while_sore",
            advice,
            format!(
                "soreness {s:.0}/10 today{extra}: {} at most — easy or recovery sessions are fine when sore, a hard one is not",
                advice.as_str().replace('_', " ")
            ),
            serde_json::json!({"soreness": s}),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::rules::testing::World;

    fn sore_on(days: &[(&str, f64)]) -> crate::journal::Journal {
        journal(days.iter().map(|(d, s)| entry(d, *s, 8.0, None)).collect())
    }

    #[test]
    fn hard_on_a_sore_morning_is_flagged_from_the_sore_level_and_high_when_very_sore() {
        let j = sore_on(&[
            ("2026-03-03", 7.0),
            ("2026-03-07", 4.0),
            ("2026-03-10", 3.0),
        ]);
        let w = World::new(
            vec![hard("2026-03-03"), hard("2026-03-07"), hard("2026-03-10")],
            Some(&j),
        );
        let f = hard_while_sore_broken(&w.ctx());
        let got: Vec<_> = f.iter().map(|f| (f.date.to_string(), f.severity)).collect();
        assert_eq!(
            got,
            vec![
                ("2026-03-03".into(), Severity::High),
                ("2026-03-07".into(), Severity::Medium)
            ]
        );
    }

    #[test]
    fn soreness_is_past_72h_from_the_fourth_morning_and_only_when_not_easing() {
        // Hard on the 3rd; 4+ on the 4th–7th: the 7th (96 h) is past 72 h and not easing.
        let j = sore_on(&[
            ("2026-03-04", 5.0),
            ("2026-03-05", 5.0),
            ("2026-03-06", 4.0),
            ("2026-03-07", 4.0),
        ]);
        let w = World::new(vec![hard("2026-03-03"), recovery("2026-03-04")], Some(&j));
        let f = past_72h_broken(&w.ctx());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].date.to_string(), "2026-03-07");
        assert!(
            f[0].found.contains("after the hard session of 2026-03-03"),
            "{}",
            f[0].found
        );
        assert_eq!(f[0].session.as_deref(), Some("2026-03-03.fit#0"));
        // Easing on the 7th (4 after 5) is no finding; three days is within 24–72 h.
        let j = sore_on(&[("2026-03-06", 5.0), ("2026-03-07", 4.0)]);
        assert!(past_72h_broken(&World::new(vec![hard("2026-03-03")], Some(&j)).ctx()).is_empty());
        let j = sore_on(&[
            ("2026-03-04", 6.0),
            ("2026-03-05", 6.0),
            ("2026-03-06", 6.0),
        ]);
        assert!(past_72h_broken(&World::new(vec![hard("2026-03-03")], Some(&j)).ctx()).is_empty());
    }

    #[test]
    fn an_unlogged_day_is_missing_data_not_the_end_of_the_run() {
        // 5 on the 5th, nothing on the 6th, 5 on the 7th: still not easing.
        let j = sore_on(&[("2026-03-05", 5.0), ("2026-03-07", 5.0)]);
        let f = past_72h_broken(&World::new(vec![hard("2026-03-03")], Some(&j)).ctx());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].date.to_string(), "2026-03-07");
    }

    #[test]
    fn soreness_on_the_morning_of_the_hard_session_does_not_start_the_count() {
        // Sore the morning of a hard day counts against the hard day before it, not this one.
        let j = sore_on(&[("2026-03-03", 5.0), ("2026-03-06", 5.0)]);
        assert!(past_72h_broken(&World::new(vec![hard("2026-03-03")], Some(&j)).ctx()).is_empty());
    }

    #[test]
    fn forward_very_sore_rests_sore_goes_easy_and_recovers_after_a_recent_hard_day() {
        let advice = |s: Vec<crate::session::Session>, sore: f64| {
            let j = sore_on(&[("2026-03-04", sore)]);
            let w = World::new(s, Some(&j));
            let mut f = Forward::default();
            allows(&w.ctx(), date("2026-03-04"), &mut f);
            f.reasons.iter().map(|r| r.advice).collect::<Vec<_>>()
        };
        assert_eq!(advice(vec![easy("2026-03-01")], 7.0), vec![Advice::Rest]);
        assert_eq!(advice(vec![easy("2026-03-01")], 5.0), vec![Advice::Easy]);
        assert_eq!(
            advice(vec![hard("2026-03-02")], 5.0),
            vec![Advice::ActiveRecovery]
        );
        assert_eq!(advice(vec![easy("2026-03-01")], 3.0), vec![]);
    }

    #[test]
    fn forward_soreness_past_72h_after_a_hard_session_means_rest() {
        let j = sore_on(&[("2026-03-06", 4.0), ("2026-03-07", 4.0)]);
        let w = World::new(vec![hard("2026-03-03")], Some(&j));
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-07"), &mut f);
        assert_eq!(f.reasons[0].rule, "soreness_past_72h");
        assert_eq!(f.reasons[0].advice, Advice::Rest);
        assert!(f.reasons[0]
            .text
            .contains("after the hard session of 2026-03-03"));
    }
}
