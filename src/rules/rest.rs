//! Rest: one full rest day each Monday–Sunday week, and a rest day after `streak_days`
//! days in a row with sessions (a week boundary does not reset the body). A short easy walk
//! or commute does not break a rest day (`Day::is_rest`).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::{Advice, Ctx, Finding, Forward, Reason, Severity};
use crate::load::week_start;

const TODO: &str = "take one full rest day a week";

/// Days in a row with sessions that end on the day before `date`.
fn streak_before(ctx: &Ctx, date: NaiveDate) -> usize {
    (1..)
        .take_while(|&k| {
            ctx.before(date, k)
                .is_some_and(|x| x.recorded && !x.is_rest())
        })
        .count()
}

/// Backward: a full week with a session every day (dated its Sunday), and the first day
/// past the streak limit of each run of days with sessions.
pub fn broken(ctx: &Ctx) -> Vec<Finding> {
    let mut out: Vec<Finding> = ctx
        .weeks
        .iter()
        .filter(|w| w.days == 7 && w.rest_days == 0)
        .map(|w| {
            Finding::one(
                w.start + Duration::days(6),
                "no_rest_day",
                Severity::Medium,
                None,
                format!(
                    "the week of {} had a session every day ({} sessions)",
                    w.start, w.sessions
                ),
                TODO.into(),
            )
        })
        .collect();
    let limit = ctx.cfg.streak_days;
    for d in ctx.days.iter().filter(|d| d.recorded && !d.is_rest()) {
        if streak_before(ctx, d.date) == limit {
            out.push(Finding::one(
                d.date,
                "no_rest_day",
                Severity::Medium,
                None,
                format!("{} days in a row with sessions up to {}", limit + 1, d.date),
                format!("rest after at most {limit} days in a row with sessions"),
            ));
        }
    }
    out
}

/// Forward: rest on a Sunday that ends a week without rest, and after `streak_days` days
/// in a row with sessions.
pub fn allows(ctx: &Ctx, date: NaiveDate, out: &mut Forward) {
    let monday = week_start(date);
    let before: Vec<_> = (0..(date - monday).num_days())
        .filter_map(|k| ctx.day(monday + Duration::days(k)))
        .collect();
    let whole = before.len() as i64 == (date - monday).num_days();
    // Days with sessions: a journal-only day before the first activity is no rest day,
    // but it is no training day either.
    if date.weekday() == Weekday::Sun && whole && before.iter().all(|x| x.recorded && !x.is_rest())
    {
        out.reasons.push(Reason::new(
            "no_rest_day",
            Advice::Rest,
            "no rest day yet this week and today is Sunday: take one full rest day a week".into(),
            serde_json::json!({"week_start": monday.to_string()}),
        ));
    }
    let streak = streak_before(ctx, date);
    if streak >= ctx.cfg.streak_days {
        out.reasons.push(Reason::new(
            "no_rest_day",
            Advice::Rest,
            format!("{streak} days in a row with sessions: rest today"),
            serde_json::json!({"days_in_a_row": streak}),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::rules::testing::World;

    fn dates(f: &[Finding]) -> Vec<String> {
        f.iter().map(|f| f.date.to_string()).collect()
    }

    #[test]
    fn a_week_with_a_session_every_day_has_no_rest_day_and_a_partial_week_is_not_judged() {
        let s = (2..=8).map(|d| easy(&format!("2026-03-{d:02}"))).collect();
        let f = broken(&World::new(s, None).ctx());
        // The Sunday of the week, and the 7th day in a row: the same date.
        assert_eq!(dates(&f), vec!["2026-03-08", "2026-03-08"]);
        let s = (2..=7).map(|d| easy(&format!("2026-03-{d:02}"))).collect();
        assert!(broken(&World::new(s, None).ctx()).is_empty());
    }

    #[test]
    fn seven_days_in_a_row_across_a_week_boundary_are_one_too_many() {
        // Wed 4th to Tue 10th: both weeks have a rest day, the run has none.
        let s = (4..=10).map(|d| easy(&format!("2026-03-{d:02}"))).collect();
        assert_eq!(
            dates(&broken(&World::new(s, None).ctx())),
            vec!["2026-03-10"]
        );
    }

    #[test]
    fn forward_a_sunday_without_a_rest_day_this_week_means_rest() {
        let s = (2..=7)
            .map(|d| recovery(&format!("2026-03-{d:02}")))
            .collect();
        let w = World::new(s, None);
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-08"), &mut f);
        assert_eq!(f.reasons.len(), 2, "{:?}", f.reasons);
        assert!(f.reasons.iter().all(|r| r.advice == Advice::Rest));
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-07"), &mut f);
        assert!(f.reasons.is_empty(), "five days in a row before Saturday");
    }
}
