//! Sleep: 7–8 h, more after hard days; short sleep means easy at most. (Resting heart rate
//! has its own family, `resting_hr.rs`; the week's sleep, `sleep_debt.rs`.)

use chrono::NaiveDate;

use super::{round1, Advice, Ctx, Finding, Forward, Reason, Severity};

/// Hours of sleep needed the night before `date`: more after a hard day.
fn need(ctx: &Ctx, date: NaiveDate) -> (f64, bool) {
    let after_hard = ctx.before(date, 1).is_some_and(|d| d.is_hard());
    let h = if after_hard {
        ctx.cfg.sleep_after_hard_h
    } else {
        ctx.cfg.sleep_h
    };
    (h, after_hard)
}

/// Backward: the night after a hard day under `sleep_h`: short by any measure, when it
/// mattered most. (Forward asks for `sleep_after_hard_h` after a hard day; the day after
/// a hard day is active recovery anyway, so the two never disagree on what to do.)
pub fn broken(ctx: &Ctx) -> Vec<Finding> {
    let limit = ctx.cfg.sleep_h;
    ctx.days
        .iter()
        .filter_map(|next| {
            let (_, after_hard) = need(ctx, next.date);
            let sleep = next.sleep_hours.filter(|&s| after_hard && s < limit)?;
            let hard = ctx.before(next.date, 1)?;
            Some(Finding::one(
                next.date,
                "short_sleep_after_hard",
                Severity::Low,
                ctx.first_hard_id(hard),
                format!(
                    "{sleep:.1} h of sleep the night after the hard day {} (from the {})",
                    hard.date,
                    next.sources.sleep_hours.map_or("journal", |s| s.as_str())
                ),
                format!(
                    "sleep {:.0}–{:.0} h, more after hard days",
                    ctx.cfg.sleep_h, ctx.cfg.sleep_after_hard_h
                ),
            ))
        })
        .collect()
}

/// The sleep that holds for the morning of `date`: last night's, else the last night logged
/// within 48 h (never on a planned, projected day). Gives the morning it was logged.
fn sleep_for(ctx: &Ctx, date: NaiveDate) -> Option<(NaiveDate, f64)> {
    let today = ctx.day(date);
    if let Some(h) = today.and_then(|d| d.sleep_hours) {
        return Some((date, h));
    }
    if today.is_some_and(|d| d.projected) {
        return None;
    }
    (1..=super::soreness::CARRY_DAYS).find_map(|k| {
        ctx.before(date, k)
            .and_then(|d| d.sleep_hours.map(|h| (d.date, h)))
    })
}

/// Forward: short sleep last night means easy at most. An unlogged
/// night takes the last night logged within 48 h, and says so.
pub fn allows(ctx: &Ctx, date: NaiveDate, out: &mut Forward) {
    match sleep_for(ctx, date) {
        Some((logged, h)) => {
            let (limit, after_hard) = need(ctx, date);
            let night = if logged == date {
                "last night".to_string()
            } else {
                out.missing.push(format!(
                    "no sleep logged for the night before {date}: {h:.1} h logged on {logged} is used (the last within 48 h)"
                ));
                format!("the night before {logged} (the last logged)")
            };
            if h < limit {
                out.reasons.push(Reason::new(
                    "short_sleep_after_hard",
                    Advice::Easy,
                    format!(
                        "{h:.1} h of sleep {night} (under {limit:.0} h{}): easy at most",
                        if after_hard { " after a hard day" } else { "" }
                    ),
                    serde_json::json!({"sleep_hours": round1(h), "limit": limit}),
                ));
            }
        }
        None => out.missing.push(format!(
            "no sleep logged for the night before {date}: the sleep rule not checked"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::rules::testing::World;

    #[test]
    fn under_seven_hours_after_a_hard_day_is_short_sleep() {
        let j = journal(vec![
            entry("2026-03-04", 2.0, 6.9, None),
            entry("2026-03-06", 2.0, 6.0, None),
            entry("2026-03-08", 2.0, 8.0, None),
        ]);
        let s = vec![
            hard("2026-03-03"),
            recovery("2026-03-04"),
            easy("2026-03-05"),
            hard("2026-03-07"),
            easy("2026-03-08"),
        ];
        let f = broken(&World::new(s, Some(&j)).ctx());
        let got: Vec<_> = f.iter().map(|f| f.date.to_string()).collect();
        assert_eq!(
            got,
            vec!["2026-03-04"],
            "6 h after an easy day is not judged backward"
        );
    }

    #[test]
    fn forward_short_sleep_means_easy() {
        let j = journal(vec![entry("2026-03-04", 1.0, 6.9, None)]);
        let w = World::new(vec![easy("2026-03-01")], Some(&j));
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-04"), &mut f);
        assert_eq!(f.reasons[0].advice, Advice::Easy);
    }
}
