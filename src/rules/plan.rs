//! The week ahead: one of `today`'s four words for each of the next days, from the same
//! rule book, walked forward day by day over a hypothetical future in which the athlete
//! follows the plan and their soreness follows their own measured curve.
//!
//! Day one is exactly `today`'s answer. Each later day is `today`'s answer on the days so
//! far (real, then planned), with soreness projected; the plan then adds what only a
//! plan needs: the athlete's habit of hard days a week, and where the week's rest day goes.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

use super::today::{today, Answer};
use super::{round1, Ctx};
use super::{Advice, Reason};
use crate::classify::Classified;
use crate::classify::{Class, Classification};
use crate::days::Day;
use crate::load::week_start;
use crate::session::Session;

/// The longest plan.
pub const MAX_DAYS: u32 = 28;
/// Hard days with soreness logged after them needed to trust the athlete's own curve.
pub const MIN_CURVE_HARD_DAYS: usize = 5;

/// The athlete's soreness after hard days: mean soreness on the morning of day 0…5 after
/// a hard day, and from how many hard days (the analysis measures it).
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub mean: Vec<Option<f64>>,
    pub hard_days: usize,
}

/// One planned day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDay {
    pub date: NaiveDate,
    pub recommendation: Advice,
    /// The longest session that fits, minutes (`0` on rest days; none when unlimited).
    pub max_minutes: Option<f64>,
    /// The heart rate not to go above, bpm (none on a hard day).
    pub hr_ceiling: Option<u8>,
    /// The soreness expected that morning (logged on day one when there is a value).
    pub soreness: Option<f64>,
    /// The session length the plan assumes for the day, minutes (your usual length for
    /// that kind of session, within `max_minutes`); 0 on rest days.
    pub minutes: f64,
    pub reasons: Vec<Reason>,
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub from: NaiveDate,
    pub days: Vec<PlanDay>,
    /// What the plan takes as given (the soreness curve used, session lengths, sleep).
    pub assumptions: Vec<String>,
    /// Data that was missing on day one, and which rules it left unchecked.
    pub missing: Vec<String>,
    /// Warnings about the plan as a whole (e.g. no data for months).
    pub warnings: Vec<String>,
    /// The soreness curve in one sentence, with its n.
    pub curve: String,
}

/// What the athlete usually does, from the 4 full weeks before the plan.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Habit {
    hard_per_week: usize,
    minutes: [f64; 3], // hard, easy, active recovery
    hard_above_min: f64,
}

fn habit(ctx: &Ctx, from: NaiveDate) -> (Habit, String) {
    let monday = week_start(from);
    let mut counts: Vec<usize> = (1..=4)
        .filter_map(|k| {
            let start = monday - Duration::days(7 * k);
            let days: Vec<&Day> = (0..7)
                .filter_map(|i| ctx.day(start + Duration::days(i)))
                .collect();
            (days.len() == 7).then(|| days.iter().filter(|d| d.is_hard()).count())
        })
        .collect();
    counts.sort_unstable();
    // The upper median: with 4 weeks of 1, 2, 2, 2 hard days the habit is 2.
    let hard_per_week = match counts.len() {
        0 => 2,
        n => counts[n / 2],
    };
    let since = from - Duration::days(28);
    let median_minutes = |class: Class, fallback: f64| -> f64 {
        let mut v: Vec<f64> = ctx
            .sessions
            .iter()
            .filter(|c| c.verdict.class == class)
            .filter(|c| c.session.local_date >= since && c.session.local_date < from)
            .map(|c| c.session.timer_s / 60.0)
            .collect();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            fallback
        } else {
            v[v.len() / 2].round()
        }
    };
    let mut above: Vec<f64> = ctx
        .sessions
        .iter()
        .filter(|c| c.verdict.class == Class::Hard && c.session.local_date >= since)
        .filter(|c| c.session.local_date < from)
        .map(|c| c.verdict.above_min)
        .collect();
    above.sort_by(f64::total_cmp);
    let h = Habit {
        hard_per_week,
        minutes: [
            median_minutes(Class::Hard, 60.0),
            median_minutes(Class::Easy, 60.0),
            median_minutes(Class::ActiveRecovery, 30.0),
        ],
        hard_above_min: above.get(above.len() / 2).copied().unwrap_or(30.0),
    };
    let text = format!(
        "your habit: {} hard day{} a week (the median of the {} full weeks before); sessions of {:.0} min hard, {:.0} min easy, {:.0} min active recovery (medians of the last 28 days, 60/60/30 when none)",
        h.hard_per_week,
        if h.hard_per_week == 1 { "" } else { "s" },
        counts.len(),
        h.minutes[0],
        h.minutes[1],
        h.minutes[2]
    );
    (h, text)
}

/// Projects the morning soreness of `date`.
struct Projection<'c> {
    curve: Option<&'c Curve>,
    /// Soreness points lost per day when easing.
    rate: f64,
    /// The last logged soreness on or before the plan's first day.
    last: Option<(NaiveDate, f64)>,
    sore: f64,
}

impl Projection<'_> {
    fn after_hard(&self, k: i64) -> f64 {
        match self.curve {
            Some(c) => c.mean.get(k as usize).copied().flatten().unwrap_or(0.0),
            // The seed: sore until 72 h after a hard session, then under the sore level.
            None if (1..=3).contains(&k) => self.sore,
            None => 0.0,
        }
    }

    fn at(&self, date: NaiveDate, hard_days: &[NaiveDate]) -> f64 {
        let from_hard = hard_days
            .iter()
            .map(|&h| (date - h).num_days())
            .filter(|k| (1..=5).contains(k))
            .map(|k| self.after_hard(k))
            .fold(0.0, f64::max);
        let easing = self
            .last
            .map(|(d, s)| s - self.rate * (date - d).num_days() as f64)
            .unwrap_or(0.0);
        round1(from_hard.max(easing).max(0.0))
    }
}

/// A synthetic session of the planned kind for the hypothetical days.
fn planned_session(date: NaiveDate, advice: Advice, minutes: f64, h: &Habit) -> Classified {
    let (class, above) = match advice {
        Advice::HardOk => (Class::Hard, h.hard_above_min.min(minutes)),
        Advice::Easy => (Class::Easy, 0.0),
        _ => (Class::ActiveRecovery, 0.0),
    };
    Classified {
        session: Session {
            file: format!("plan {date}"),
            local_date: date,
            timer_s: minutes * 60.0,
            elapsed_s: minutes * 60.0,
            ..Session::default()
        },
        verdict: Classification {
            class,
            reason: "planned".into(),
            above_min: above,
            above_share: if minutes > 0.0 { above / minutes } else { 0.0 },
        },
        trimp: 0.0,
        load_source: crate::load::LoadSource::SportDefault,
    }
}

/// The plan for `days` days from `from`.
pub fn plan(ctx: &Ctx, from: NaiveDate, days: u32, curve: Option<&Curve>) -> Plan {
    let cfg = ctx.cfg;
    let days = days.clamp(1, MAX_DAYS) as i64;
    let first = today(ctx, from);
    let (habit, habit_text) = habit(ctx, from);
    let mut assumptions = vec![habit_text];

    let trusted = curve.filter(|c| c.hard_days >= MIN_CURVE_HARD_DAYS);
    let (rate, curve_text) = match trusted {
        Some(c) => {
            let back = (1..c.mean.len()).find(|&k| c.mean[k].is_some_and(|m| m < cfg.sore));
            let peak = (0..c.mean.len())
                .filter_map(|k| c.mean[k].map(|m| (k, m)))
                .fold(None, |b: Option<(usize, f64)>, x| match b {
                    Some(b) if b.1 >= x.1 => Some(b),
                    _ => Some(x),
                });
            let tail = c.mean.last().copied().flatten();
            let rate = match (peak, tail) {
                (Some((p, m)), Some(t)) if p < c.mean.len() - 1 => {
                    ((m - t) / (c.mean.len() - 1 - p) as f64).max(0.5)
                }
                _ => 1.0,
            };
            let text = match back {
                Some(k) => format!(
                    "your soreness after hard days is back under {:.0} by day {k} ({} hard days), easing about {rate:.1} a day from its peak",
                    cfg.sore, c.hard_days
                ),
                None => format!(
                    "your soreness after hard days stays at {:.0}+ through day 5 on average ({} hard days), easing about {rate:.1} a day",
                    cfg.sore, c.hard_days
                ),
            };
            assumptions.push(format!(
                "soreness projected from {text}; not scaled to each hard session's load (the sample of hard days is too small to fit that reliably)"
            ));
            (rate, text)
        }
        None => {
            let n = curve.map_or(0, |c| c.hard_days);
            let text = format!(
                "only {n} hard days with soreness logged after them (under {MIN_CURVE_HARD_DAYS}): the seed rule is used — sore until 72 h after a hard session, easing 1 point a day"
            );
            assumptions.push(text.clone());
            (1.0, text)
        }
    };
    assumptions.push(
        "sleep and resting heart rate on the planned days are assumed normal (the plan cannot know them)"
            .into(),
    );

    let proj = Projection {
        curve: trusted,
        rate,
        last: ctx
            .days
            .iter()
            .rev()
            .filter(|d| d.date <= from)
            .find_map(|d| d.soreness.map(|s| (d.date, s))),
        sore: cfg.sore,
    };

    // The hypothetical world: the real days before the plan, then the planned days.
    let mut hyp_days: Vec<Day> = ctx.days.iter().filter(|d| d.date < from).cloned().collect();
    let mut hyp_sessions: Vec<Classified> = ctx.sessions.to_vec();
    let mut hard_days: Vec<NaiveDate> = hyp_days
        .iter()
        .filter(|d| d.is_hard() && d.date >= from - Duration::days(6))
        .map(|d| d.date)
        .collect();
    let template = ctx
        .days
        .iter()
        .find(|d| d.date <= from)
        .or(ctx.days.first())
        .cloned();
    let mut out = Vec::new();
    let mut next_hard_fit: Option<NaiveDate> = None;

    for k in 0..days {
        let date = from + Duration::days(k);
        let real = ctx.day(date);
        let mut day = match template.clone() {
            Some(t) => t,
            None => break, // no data at all: nothing to plan from
        };
        day.date = date;
        day.recorded = true;
        day.projected = k > 0;
        day.sessions = Vec::new();
        day.class = None;
        day.above_min = 0.0;
        day.timer_h = 0.0;
        day.planned = real.and_then(|d| d.planned);
        if k == 0 {
            day.soreness = real.and_then(|d| d.soreness);
            day.sleep_hours = real.and_then(|d| d.sleep_hours);
            day.resting_hr = real.and_then(|d| d.resting_hr);
            day.hrv_ms = real.and_then(|d| d.hrv_ms);
            day.hrv_sdnn_ms = real.and_then(|d| d.hrv_sdnn_ms);
        } else {
            day.soreness = Some(proj.at(date, &hard_days));
            day.sleep_hours = None;
            day.resting_hr = None;
            day.hrv_ms = None;
            day.hrv_sdnn_ms = None;
        }
        let soreness = day.soreness;
        hyp_days.push(day);

        let answer: Answer = if k == 0 {
            first.clone()
        } else {
            let weeks = crate::days::weeks(&hyp_days);
            let hyp = Ctx {
                days: &hyp_days,
                sessions: &hyp_sessions,
                weeks: &weeks,
                ..*ctx
            };
            today(&hyp, date)
        };
        let mut word = answer.recommendation;
        let mut reasons = answer.reasons.clone();
        let mut cap = answer.max_minutes;

        // Day one is exactly today's answer; the plan's own constraints start on day two.
        if k > 0 {
            // Soreness on a planned day is a projection: say so where it decides.
            for r in reasons
                .iter_mut()
                .filter(|r| r.rule.starts_with("sore") || r.rule == "hard_while_sore")
            {
                r.text = format!("projected {}", r.text);
            }
            let monday = week_start(date);
            let week: Vec<&Day> = hyp_days
                .iter()
                .filter(|d| d.date >= monday && d.date < date)
                .collect();
            let hard_this_week = week.iter().filter(|d| d.is_hard()).count();
            if word == Advice::HardOk && hard_this_week >= habit.hard_per_week {
                word = Advice::Easy;
                reasons.insert(
                    0,
                    Reason::new(
                        "hard_days_habit",
                        Advice::Easy,
                        format!(
                            "this week already has {hard_this_week} hard day{}, your habit is {}: easy",
                            if hard_this_week == 1 { "" } else { "s" },
                            habit.hard_per_week
                        ),
                        serde_json::json!({"hard_this_week": hard_this_week, "habit": habit.hard_per_week}),
                    ),
                );
            }
            let rested = week.iter().any(|d| d.is_rest());
            let whole_week_known = week.len() as i64 == (date - monday).num_days();
            let saturday_before_unrested_sunday =
                date.weekday() == Weekday::Sat && whole_week_known;
            // The week's rest day goes where recovery is due anyway (the day after a hard
            // day: rest also satisfies recovery within 24 h), else on Saturday when the
            // week so far had none (so that it comes before Sunday), else on Sunday.
            let recovery_due = reasons.iter().any(|r| r.rule == "no_recovery_after_hard");
            if !rested
                && word != Advice::Rest
                && word != Advice::HardOk
                && (recovery_due
                    || saturday_before_unrested_sunday
                    || date.weekday() == Weekday::Sun)
            {
                word = Advice::Rest;
                reasons.insert(
                    0,
                    Reason::new(
                        "no_rest_day",
                        Advice::Rest,
                        format!(
                            "no rest day yet in the week of {monday}: this is its rest day{}",
                            if recovery_due {
                                " (rest also satisfies recovery within 24 h)"
                            } else {
                                ""
                            }
                        ),
                        serde_json::json!({"week_start": monday.to_string()}),
                    ),
                );
            }
            if word == Advice::Rest {
                cap = Some(0.0);
            }
        }
        if word == Advice::HardOk && next_hard_fit.is_none() && k > 0 {
            next_hard_fit = Some(date);
        }

        // Follow the plan in the hypothetical world.
        let mut planned_minutes = 0.0;
        if word != Advice::Rest {
            let usual = match word {
                Advice::HardOk => habit.minutes[0],
                Advice::Easy => habit.minutes[1],
                _ => habit.minutes[2],
            };
            let minutes = cap.map_or(usual, |c| c.min(usual));
            if minutes >= 1.0 {
                planned_minutes = minutes;
                hyp_sessions.push(planned_session(date, word, minutes, &habit));
                let i = hyp_sessions.len() - 1;
                let d = hyp_days.last_mut().expect("pushed above");
                d.sessions = vec![i];
                d.class = Some(hyp_sessions[i].verdict.class);
                d.above_min = hyp_sessions[i].verdict.above_min;
                d.timer_h = minutes / 60.0;
                if word == Advice::HardOk {
                    hard_days.push(date);
                }
            }
        }
        out.push(PlanDay {
            date,
            recommendation: word,
            max_minutes: cap,
            hr_ceiling: match word {
                Advice::Rest | Advice::HardOk => None,
                _ => Some(ctx.band.high),
            },
            soreness,
            minutes: planned_minutes,
            reasons,
        });
    }
    let curve_sentence = match next_hard_fit {
        Some(d) => format!("{curve_text}; hard fits again on {} ({d})", d.format("%A")),
        None if out
            .first()
            .is_some_and(|d| d.recommendation == Advice::HardOk) =>
        {
            format!("{curve_text}; hard fits today")
        }
        None => format!("{curve_text}; no hard day fits in these {days} days"),
    };
    Plan {
        from,
        days: out,
        assumptions,
        missing: first.missing,
        warnings: first.warnings,
        curve: curve_sentence,
    }
}

/// The plan as text for the terminal and the summary.
pub fn lines(p: &Plan) -> Vec<String> {
    lines_with(p, &Advice::word)
}

/// [`lines`] with each day's recommendation word written by `word` (the terminal colours it).
pub fn lines_with(p: &Plan, word: &dyn Fn(Advice) -> String) -> Vec<String> {
    let mut out = vec![format!(
        "Plan for {} days from {} ({}): {}.",
        p.days.len(),
        p.from,
        p.from.format("%A"),
        p.curve
    )];
    for w in &p.warnings {
        out.push(format!("warning: {w}"));
    }
    for d in &p.days {
        let limit = match (d.recommendation, d.max_minutes, d.hr_ceiling) {
            (Advice::Rest, _, _) => String::new(),
            (_, Some(m), Some(c)) => format!(" ≤ {m:.0} min, HR ≤ {c}"),
            (_, None, Some(c)) => format!(", HR ≤ {c}"),
            (_, Some(m), None) => format!(" ≤ {m:.0} min"),
            (_, None, None) => String::new(),
        };
        let why = d
            .reasons
            .iter()
            .find(|r| r.advice == d.recommendation)
            .or(d.reasons.first())
            .map_or(String::new(), |r| format!(" — {}", r.text));
        out.push(format!(
            "{} {}  {}{limit}{why}",
            d.date.format("%a"),
            d.date,
            word(d.recommendation),
        ));
    }
    for a in &p.assumptions {
        out.push(format!("assumes: {a}"));
    }
    for m in &p.missing {
        out.push(format!("missing: {m}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::rules::testing::World;

    fn words(p: &Plan) -> Vec<&'static str> {
        p.days.iter().map(|d| d.recommendation.as_str()).collect()
    }

    #[test]
    fn with_under_five_hard_days_the_seed_72_h_rule_keeps_hard_away_for_three_days() {
        let j = journal(vec![entry("2026-03-04", 1.0, 8.0, None)]);
        let w = World::new(vec![easy("2026-03-02"), hard("2026-03-03")], Some(&j));
        let curve = Curve {
            mean: vec![
                Some(1.0),
                Some(5.0),
                Some(3.0),
                Some(1.0),
                Some(0.0),
                Some(0.0),
            ],
            hard_days: 4,
        };
        let p = plan(&w.ctx(), date("2026-03-04"), 4, Some(&curve));
        assert!(
            p.assumptions[1].contains("the seed rule"),
            "{:?}",
            p.assumptions
        );
        // Wed recovery (today); Thu "sore" by the seed with a hard day within 48 h: recovery;
        // Fri sore: easy; Sat, 72 h+ after the hard day: hard.
        assert_eq!(
            words(&p),
            vec!["active_recovery", "active_recovery", "easy", "hard_ok"]
        );
        assert_eq!(p.days[1].soreness, Some(4.0));
    }

    #[test]
    fn the_athletes_own_curve_decides_when_hard_fits_again() {
        let j = journal(vec![entry("2026-03-04", 1.0, 8.0, None)]);
        let w = World::new(vec![easy("2026-03-02"), hard("2026-03-03")], Some(&j));
        let curve = Curve {
            mean: vec![
                Some(1.0),
                Some(5.0),
                Some(3.0),
                Some(1.0),
                Some(0.0),
                Some(0.0),
            ],
            hard_days: 6,
        };
        let p = plan(&w.ctx(), date("2026-03-04"), 3, Some(&curve));
        // Back under 4 by day 2 after the hard day: Thursday (48 h) fits; Friday, the day
        // after it in a week without rest so far, is the week's rest day.
        assert_eq!(words(&p), vec!["active_recovery", "hard_ok", "rest"]);
        assert!(
            p.curve.contains("back under 4 by day 2 (6 hard days)"),
            "{}",
            p.curve
        );
        assert!(
            p.curve.contains("hard fits again on Thursday"),
            "{}",
            p.curve
        );
    }

    #[test]
    fn a_week_without_rest_gets_its_rest_day_before_sunday_and_hard_days_keep_to_the_habit() {
        // Four full weeks with one hard day each (Tuesdays), then Mon–Thu of sessions.
        let mut s = Vec::new();
        for wk in 0..4 {
            let monday = date("2026-02-02") + Duration::days(7 * wk);
            s.push(hard(&(monday + Duration::days(1)).to_string()));
            for k in [2, 3, 5] {
                s.push(easy(&(monday + Duration::days(k)).to_string()));
            }
        }
        for k in 0..4 {
            s.push(easy(&(date("2026-03-02") + Duration::days(k)).to_string()));
        }
        let w = World::new(s, None);
        let p = plan(&w.ctx(), date("2026-03-06"), 3, None); // Fri, Sat, Sun
        assert!(
            p.assumptions[0].starts_with("your habit: 1 hard day a week"),
            "{:?}",
            p.assumptions
        );
        let hard = p
            .days
            .iter()
            .filter(|d| d.recommendation == Advice::HardOk)
            .count();
        assert!(hard <= 1, "{:?}", words(&p));
        assert!(
            p.days
                .iter()
                .any(|d| d.recommendation == Advice::Rest && d.date < date("2026-03-08")),
            "rest before Sunday: {:?}",
            words(&p)
        );
    }
}
