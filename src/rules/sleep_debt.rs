//! Sleep debt: the shortfall under the athlete's need over the last 7 nights (7.5 h a
//! night, plus the extra the sleep rule asks after a hard day). Over `sleep_debt_h` hours
//! of debt means easy at most.

use chrono::NaiveDate;

use super::{round1, Advice, Ctx, Forward, Reason};
use crate::readiness;

pub const ID: &str = "sleep_debt";

/// Forward: a debt over the limit means easy at most; the reason gives the debt in hours.
pub fn allows(ctx: &Ctx, date: NaiveDate, out: &mut Forward) {
    let cfg = ctx.cfg;
    if ctx.day(date).is_some_and(|d| d.projected) {
        return;
    }
    let Some((debt, nights)) = readiness::sleep_debt(ctx.days, date, cfg) else {
        return;
    };
    if debt <= cfg.sleep_debt_h {
        return;
    }
    out.reasons.push(Reason::new(
        ID,
        Advice::Easy,
        format!(
            "sleep debt {debt:.1} h over the last {} nights ({nights} logged; need {:.1} h a night, {:.1} h after a hard day): over {:.0} h, easy at most",
            cfg.sleep_debt_nights,
            cfg.sleep_need_h,
            cfg.sleep_need_h + (cfg.sleep_after_hard_h - cfg.sleep_h).max(0.0),
            cfg.sleep_debt_h
        ),
        serde_json::json!({"sleep_debt_h": round1(debt), "nights": nights, "limit_h": cfg.sleep_debt_h}),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::rules::testing::World;

    fn debt_world(hours: f64) -> World {
        let rows = (1..=7)
            .map(|k| entry(&format!("2026-03-{k:02}"), 1.0, hours, None))
            .collect();
        World::new(vec![easy("2026-03-01")], Some(&journal(rows)))
    }

    #[test]
    fn a_week_of_short_nights_over_five_hours_of_debt_means_easy_and_says_the_hours() {
        // 7 nights at 6.5 h: 7 × 1.0 = 7 h of debt.
        let w = debt_world(6.5);
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-07"), &mut f);
        assert_eq!(f.reasons.len(), 1);
        assert_eq!(f.reasons[0].advice, Advice::Easy);
        assert!(
            f.reasons[0]
                .text
                .starts_with("sleep debt 7.0 h over the last 7 nights"),
            "{}",
            f.reasons[0].text
        );
        // 7 nights at 6.9 h: 4.2 h, under the limit.
        let w = debt_world(6.9);
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-07"), &mut f);
        assert!(f.reasons.is_empty());
    }
}
