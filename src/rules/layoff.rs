//! Return from a layoff: after two weeks or more with (almost) no training, the first
//! sessions back are easy and the week's hours start from half the athlete's own usual,
//! growing by the ramp share a week — fitness lost in a break is not there on the first
//! day back.

use chrono::{Duration, NaiveDate};

use super::{round1, Advice, Ctx, Forward, Reason};
use crate::load::week_start;

/// A break found before a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Layoff {
    /// The first and last day of the break.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The athlete's weekly hours over the 4 weeks before it.
    pub usual_h: f64,
    /// Days with training since the break, before the date asked about.
    pub days_back: usize,
    /// Hours trained since the break in the date's Monday–Sunday week, before it.
    pub week_done_h: f64,
    /// The hours the date's week may hold.
    pub week_limit_h: f64,
}

/// Days before the pre-break baseline that count (4 weeks).
const BASELINE_DAYS: i64 = 28;

/// The layoff that `date` is coming back from, if any: a run of at least `layoff_days`
/// days with under `layoff_active_min` minutes of training, after days the data recorded,
/// ending at most `layoff_days` days before `date` (or still going on). Days after the
/// data's end count as days without training: nothing says otherwise.
pub fn layoff(ctx: &Ctx, date: NaiveDate) -> Option<Layoff> {
    let cfg = ctx.cfg;
    let first = ctx.days.iter().find(|d| d.recorded)?.date;
    if date <= first {
        return None;
    }
    let active = |d: NaiveDate| {
        ctx.day(d)
            .is_some_and(|x| x.timer_h * 60.0 >= cfg.layoff_active_min)
    };
    // Back from the day before `date`: the days back in training, then the break.
    let mut day = date - Duration::days(1);
    let mut days_back = 0;
    while day >= first && active(day) {
        days_back += 1;
        day -= Duration::days(1);
    }
    let to = day;
    while day >= first && !active(day) {
        day -= Duration::days(1);
    }
    let from = day + Duration::days(1);
    let length = (to - from).num_days() + 1;
    // A break only counts with training recorded before it, and while the return lasts.
    if length < cfg.layoff_days || day < first || (date - to).num_days() - 1 > cfg.layoff_days {
        return None;
    }
    let base_from = (from - Duration::days(BASELINE_DAYS)).max(first);
    let base_days = (from - base_from).num_days();
    if base_days < 7 {
        return None;
    }
    let base_h: f64 = (1..=base_days)
        .filter_map(|k| ctx.day(from - Duration::days(k)))
        .map(|d| d.timer_h)
        .sum();
    let usual_h = base_h * 7.0 / base_days as f64;
    if usual_h <= 0.0 {
        return None;
    }
    let monday = week_start(date);
    let week_done_h: f64 = (0..(date - monday).num_days())
        .filter_map(|k| ctx.day(monday + Duration::days(k)))
        .filter(|d| d.date > to)
        .map(|d| d.timer_h)
        .sum::<f64>()
        // An empty sum is −0.0, which would print as "-0.0 h done".
        + 0.0;
    // Week one back (the week of the first day back) at the return share, then the ramp.
    let weeks_back = ((monday - week_start(to + Duration::days(1))).num_days() / 7).max(0);
    let week_limit_h = usual_h * cfg.return_share * (1.0 + cfg.volume_jump).powi(weeks_back as i32);
    Some(Layoff {
        from,
        to,
        usual_h,
        days_back,
        week_done_h,
        week_limit_h,
    })
}

/// Forward: coming back from a layoff, easy for the first sessions back, and the week
/// within the return limit.
pub fn allows(ctx: &Ctx, date: NaiveDate, out: &mut Forward) {
    let Some(l) = layoff(ctx, date) else {
        return;
    };
    let cfg = ctx.cfg;
    let length = (l.to - l.from).num_days() + 1;
    let left_min = ((l.week_limit_h - l.week_done_h) * 60.0).max(0.0);
    let still_off = l.days_back == 0 && (date - l.to).num_days() == 1;
    let advice = if (l.days_back as u32) < cfg.return_easy_sessions {
        Advice::Easy
    } else {
        Advice::HardOk
    };
    let gap = if still_off {
        format!("{length} days with no training ({} – {})", l.from, l.to)
    } else {
        format!(
            "a {length}-day break ({} – {}), {} day{} back",
            l.from,
            l.to,
            l.days_back,
            if l.days_back == 1 { "" } else { "s" }
        )
    };
    let easy = if advice == Advice::Easy {
        format!(
            "easy at most for the first {} sessions back; ",
            cfg.return_easy_sessions
        )
    } else {
        String::new()
    };
    out.reasons.push(
        Reason::new(
            "layoff_return",
            advice,
            format!(
                "coming back from {gap}: {easy}at most {left_min:.0} min more this week ({:.1} h: {:.0} % of your usual {:.1} h a week before the break, +{:.0} % a week from there; {:.1} h done)",
                l.week_limit_h,
                cfg.return_share * 100.0,
                l.usual_h,
                cfg.volume_jump * 100.0,
                l.week_done_h
            ),
            serde_json::json!({
                "from": l.from.to_string(),
                "to": l.to.to_string(),
                "days": length,
                "days_back": l.days_back,
                "usual_h": round1(l.usual_h),
                "week_limit_h": round1(l.week_limit_h),
                "week_done_h": round1(l.week_done_h),
            }),
        )
        .capped(left_min),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::rules::testing::World;

    /// Six weeks of an easy hour every day but Monday, from 2026-03-02 (a Monday): 6 h a week.
    fn six_weeks() -> Vec<crate::session::Session> {
        (0..42)
            .map(|k| date("2026-03-02") + Duration::days(k))
            .filter(|d| d.format("%a").to_string() != "Mon")
            .map(|d| session(&d.to_string(), 60.0, 0.0, None))
            .collect()
    }

    fn reason(s: Vec<crate::session::Session>, on: &str) -> Option<Reason> {
        let w = World::new(s, None);
        let mut f = Forward::default();
        allows(&w.ctx(), date(on), &mut f);
        f.reasons.into_iter().next()
    }

    #[test]
    fn three_weeks_off_means_easy_with_half_the_usual_week_named_by_its_gap() {
        // Last session Sunday 2026-04-12; 21 days off; asked on Monday 2026-05-04.
        let r = reason(six_weeks(), "2026-05-04").expect("a layoff");
        assert_eq!(r.advice, Advice::Easy);
        // Usual: 24 h over the 4 weeks before the break = 6 h a week; half of it: 180 min.
        assert_eq!(r.max_minutes, Some(180.0));
        assert!(
            r.text
                .starts_with("coming back from 21 days with no training (2026-04-13 – 2026-05-03)"),
            "{}",
            r.text
        );
    }

    #[test]
    fn the_first_sessions_back_count_against_the_week_and_then_hard_fits_within_it() {
        let mut s = six_weeks();
        // Back on Mon–Wed 2026-05-04..06 with an hour each.
        for d in ["2026-05-04", "2026-05-05", "2026-05-06"] {
            s.push(session(d, 60.0, 0.0, None));
        }
        let r = reason(s.clone(), "2026-05-06").expect("still returning");
        assert_eq!(r.advice, Advice::Easy, "two sessions back");
        assert_eq!(r.max_minutes, Some(60.0), "3 h - 2 h done");
        let r = reason(s, "2026-05-07").expect("still returning");
        assert_eq!(r.advice, Advice::HardOk, "three sessions back");
        assert_eq!(r.max_minutes, Some(0.0), "the week's 3 h are used up");
    }

    #[test]
    fn a_short_break_or_no_history_is_no_layoff() {
        // 13 days off.
        assert!(reason(six_weeks(), "2026-04-26").is_none());
        // Two weeks after the break ended, the return is over.
        let mut s = six_weeks();
        for k in 0..15 {
            let d = date("2026-05-04") + Duration::days(k);
            s.push(session(&d.to_string(), 60.0, 0.0, None));
        }
        assert!(reason(s, "2026-05-19").is_none());
        // Nothing before the break to compare with.
        assert!(reason(vec![easy("2026-03-02")], "2026-03-30").is_none());
    }

    #[test]
    fn a_short_walk_does_not_end_a_layoff() {
        let mut s = six_weeks();
        s.push(session("2026-04-20", 10.0, 0.0, None));
        let r = reason(s, "2026-05-04").expect("a layoff");
        assert!(r.text.contains("21 days with no training"), "{}", r.text);
    }
}
