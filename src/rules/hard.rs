//! Hard days: never two in a row (48 h from one to the next), and active recovery (or
//! rest) within 24 h of one.

use chrono::{Duration, NaiveDate};

use super::{round1, Advice, Ctx, Finding, Forward, Reason, Severity};
use crate::classify::Class;
use crate::days::Day;

const BACK_TO_BACK_TODO: &str =
    "never two hard days in a row: make the day after a hard day easy, active recovery or rest";
const RECOVERY_TODO: &str = "follow a hard day with active recovery or rest within 24 h, and rest, recovery or an easy session within 48 h";

/// Backward: hard days on two consecutive dates (under the 48 h gap).
pub fn back_to_back_broken(ctx: &Ctx) -> Vec<Finding> {
    let gap_days = gap_days(ctx);
    ctx.days
        .iter()
        .filter(|d| d.is_hard())
        .filter_map(|d| {
            let prev = ctx.last_hard_before(d.date, gap_days - 1)?;
            Some(Finding::one(
                d.date,
                "back_to_back_hard",
                Severity::High,
                ctx.first_hard_id(d),
                format!("hard days on {} and {}", prev.date, d.date),
                BACK_TO_BACK_TODO.into(),
            ))
        })
        .collect()
}

/// Whole days that make the hard-to-hard gap (48 h → 2: a hard day two dates later is fine).
fn gap_days(ctx: &Ctx) -> i64 {
    ((ctx.cfg.hard_gap_h / 24.0).ceil() as i64).max(1)
}

/// Backward: a hard day followed, on the next day and the one after, by neither rest,
/// active recovery nor an easy session. Dated on the second day, when it is known; a
/// day with only unknown sessions is not judged.
pub fn recovery_broken(ctx: &Ctx) -> Vec<Finding> {
    let recovers = |d: &Day| matches!(d.class, None | Some(Class::Easy | Class::ActiveRecovery));
    ctx.days
        .iter()
        .filter(|d| d.is_hard())
        .filter_map(|d| {
            let next = ctx.before(d.date, -1)?;
            let after = ctx.before(d.date, -2)?;
            if recovers(next) || recovers(after) || next.class == Some(Class::Unknown) {
                return None;
            }
            Some(Finding::one(
                after.date,
                "no_recovery_after_hard",
                Severity::High,
                ctx.first_hard_id(d),
                format!(
                    "hard day {} was followed by {} and {} without rest, recovery or an easy session",
                    d.date,
                    next.class.map_or("rest".into(), |c| c.to_string()),
                    after.class.map_or("rest".into(), |c| c.to_string())
                ),
                RECOVERY_TODO.into(),
            ))
        })
        .collect()
}

/// Forward: after a hard day, active recovery (or rest) within 24 h; a hard session only
/// 48 h after the last one.
pub fn allows(ctx: &Ctx, date: NaiveDate, out: &mut Forward) {
    let band = ctx.band;
    if let Some(y) = ctx.before(date, 1).filter(|x| x.is_hard()) {
        let above = ctx.hard_minutes(y);
        out.reasons.push(Reason::new(
            "no_recovery_after_hard",
            Advice::ActiveRecovery,
            format!(
                "hard session yesterday ({}, {above:.0} min above {} bpm): active recovery or rest within 24 h",
                y.date, band.high
            ),
            serde_json::json!({"date": y.date.to_string(), "above_min": round1(above)}),
        ));
    }
    let gap = ctx.cfg.hard_gap_h;
    let reason = match ctx.last_hard_before(date, 60) {
        Some(h) if (date - h.date) < Duration::days(gap_days(ctx)) => Reason::new(
            "back_to_back_hard",
            Advice::Easy,
            format!(
                "last hard session {}, under {gap:.0} h ago: no hard session today",
                h.date
            ),
            serde_json::json!({"last_hard": h.date.to_string()}),
        ),
        Some(h) => Reason::new(
            "back_to_back_hard",
            Advice::HardOk,
            format!(
                "last hard session {}, at least {gap:.0} h ago: a hard session fits",
                h.date
            ),
            serde_json::json!({"last_hard": h.date.to_string()}),
        ),
        None => Reason::new(
            "back_to_back_hard",
            Advice::HardOk,
            "no hard session in the last 60 days: a hard session fits".into(),
            serde_json::json!({}),
        ),
    };
    out.reasons.push(reason);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::rules::testing::World;

    fn broken(s: Vec<crate::session::Session>) -> Vec<(String, &'static str)> {
        let w = World::new(s, None);
        let ctx = w.ctx();
        let mut f = back_to_back_broken(&ctx);
        f.extend(recovery_broken(&ctx));
        f.iter().map(|f| (f.date.to_string(), f.rule)).collect()
    }

    #[test]
    fn hard_days_two_dates_apart_are_fine_and_consecutive_ones_are_not() {
        assert!(broken(vec![hard("2026-03-03"), hard("2026-03-05")]).is_empty());
        assert_eq!(
            broken(vec![hard("2026-03-03"), hard("2026-03-04")]),
            vec![("2026-03-04".into(), "back_to_back_hard")]
        );
    }

    #[test]
    fn three_hard_days_in_a_row_leave_the_first_without_recovery() {
        let r = broken(vec![
            hard("2026-03-03"),
            hard("2026-03-04"),
            hard("2026-03-05"),
        ]);
        assert_eq!(
            r,
            vec![
                ("2026-03-04".into(), "back_to_back_hard"),
                ("2026-03-05".into(), "back_to_back_hard"),
                ("2026-03-05".into(), "no_recovery_after_hard"),
            ]
        );
    }

    #[test]
    fn a_hard_day_at_the_end_of_the_data_is_not_judged_for_recovery() {
        assert!(broken(vec![easy("2026-03-03"), hard("2026-03-04")]).is_empty());
    }

    #[test]
    fn rest_or_easy_within_48_h_is_recovery() {
        assert!(broken(vec![
            hard("2026-03-03"),
            hard("2026-03-05"),
            easy("2026-03-06")
        ])
        .is_empty());
    }

    #[test]
    fn the_day_after_a_hard_day_allows_active_recovery_and_the_day_after_that_hard() {
        let w = World::new(vec![hard("2026-03-03")], None);
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-04"), &mut f);
        let advice: Vec<_> = f.reasons.iter().map(|r| (r.rule, r.advice)).collect();
        assert_eq!(
            advice,
            vec![
                ("no_recovery_after_hard", Advice::ActiveRecovery),
                ("back_to_back_hard", Advice::Easy)
            ]
        );
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-05"), &mut f);
        assert_eq!(f.reasons.len(), 1);
        assert_eq!(f.reasons[0].advice, Advice::HardOk);
    }
}
