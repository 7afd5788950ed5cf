//! The forward answer: for one date, should the athlete rest, recover, go easy or go
//! hard — from the same rules the audit checks, with every reason that led there.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

use crate::days::{Classified, Day};
use crate::load::week_start;
use crate::zones::Band;

/// The recommendation, from most to least cautious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Advice {
    Rest,
    ActiveRecovery,
    Easy,
    HardOk,
}

impl Advice {
    pub fn as_str(self) -> &'static str {
        match self {
            Advice::Rest => "rest",
            Advice::ActiveRecovery => "active_recovery",
            Advice::Easy => "easy",
            Advice::HardOk => "hard_ok",
        }
    }

    /// What it means, in words.
    pub fn meaning(self, band: Band, max_min: f64) -> String {
        match self {
            Advice::Rest => "a full rest day: passive recovery, a gentle walk at most".into(),
            Advice::ActiveRecovery => format!(
                "active recovery: at most {max_min:.0} min with heart rate inside {band}, breathing conversational"
            ),
            Advice::Easy => format!("easy: keep heart rate at or under {} bpm", band.high),
            Advice::HardOk => "a hard session fits today".into(),
        }
    }
}

/// Thresholds of the rules (defaults in the README with their sources).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TodayConfig {
    /// Rule 1: soreness at or above this today means rest.
    pub sore_rest: f64,
    /// Rule 1: soreness at or above this on each of the last `sore_days` days after a
    /// hard session (past 72 h) means rest.
    pub sore_persist: f64,
    pub sore_days: usize,
    /// Rule 3: soreness from this up means easy at most.
    pub sore_easy: f64,
    /// Rule 4: sleep under this, or under `short_sleep_after_hard_h` after a hard day.
    pub short_sleep_h: f64,
    pub short_sleep_after_hard_h: f64,
    /// Rule 4: resting HR this far above its own 7-day mean.
    pub rhr_rise: f64,
    /// Rule 5: this many days in a row with sessions means rest.
    pub streak_days: usize,
    /// Rule 6: weekly volume may grow by this share.
    pub volume_jump: f64,
    /// Rule 7: hours since the last hard session before another.
    pub hard_gap_h: f64,
    /// Longest active-recovery session, minutes.
    pub recovery_max_min: f64,
}

impl Default for TodayConfig {
    fn default() -> Self {
        TodayConfig {
            sore_rest: 7.0,
            sore_persist: 4.0,
            sore_days: 4,
            sore_easy: 4.0,
            short_sleep_h: 7.0,
            short_sleep_after_hard_h: 8.0,
            rhr_rise: 5.0,
            streak_days: 6,
            volume_jump: 0.10,
            hard_gap_h: 48.0,
            recovery_max_min: 45.0,
        }
    }
}

/// One reason that held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// Rule number 1–7.
    pub rule: u8,
    pub text: String,
    /// The numbers behind it.
    pub values: serde_json::Value,
    /// What this rule alone would recommend.
    #[serde(skip)]
    pub advice: Advice,
}

/// The answer for one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub date: NaiveDate,
    pub recommendation: Advice,
    /// `"120-140"`.
    pub band: String,
    /// Longest session advised, minutes (`0` for rest, none when unlimited).
    pub max_minutes: Option<f64>,
    pub reasons: Vec<Reason>,
    /// Data that was missing, and which rules it left unchecked.
    pub missing: Vec<String>,
}

/// The date answered when none is given: the day after the last day with data.
pub fn default_date(days: &[Day]) -> Option<NaiveDate> {
    days.last().map(|d| d.date + Duration::days(1))
}

fn day_on(days: &[Day], date: NaiveDate) -> Option<&Day> {
    let first = days.first()?.date;
    usize::try_from((date - first).num_days())
        .ok()
        .and_then(|i| days.get(i))
}

fn hard_minutes(day: &Day, sessions: &[Classified]) -> f64 {
    day.sessions
        .iter()
        .map(|&i| &sessions[i].verdict)
        .filter(|v| v.class == crate::classify::Class::Hard)
        .map(|v| v.above_min)
        .sum()
}

/// Answers for `date` from the days (which may end before it).
pub fn today(
    date: NaiveDate,
    days: &[Day],
    sessions: &[Classified],
    band: Band,
    cfg: &TodayConfig,
) -> Answer {
    let d = |n: i64| day_on(days, date - Duration::days(n));
    let mut reasons: Vec<Reason> = Vec::new();
    let mut missing = Vec::new();
    let soreness = d(0).and_then(|x| x.soreness);
    let hard_within = |n: i64| (1..=n).find_map(|k| d(k).filter(|x| x.is_hard()).map(|x| (k, x)));

    // Rule 1: very sore, or sore past 72 h after a hard session.
    match soreness {
        Some(s) if s >= cfg.sore_rest => reasons.push(Reason {
            rule: 1,
            text: format!(
                "soreness {s:.0}/10 today (≥ {:.0}): rest; sharp or localised pain is a reason to back off and to see a professional if it persists",
                cfg.sore_rest
            ),
            values: serde_json::json!({"soreness": s}),
            advice: Advice::Rest,
        }),
        None => missing.push(format!("no soreness logged for {date}: rules 1 (today) and 3 not checked")),
        _ => {}
    }
    let end = if soreness.is_some() { 0 } else { 1 };
    let run: Vec<Option<f64>> = (end..end + cfg.sore_days as i64)
        .map(|k| d(k).and_then(|x| x.soreness))
        .collect();
    if run.iter().all(|s| s.is_some_and(|s| s >= cfg.sore_persist)) {
        let first_day = date - Duration::days(end + cfg.sore_days as i64 - 1);
        let cause = (1..=3)
            .filter_map(|k| day_on(days, first_day - Duration::days(k)))
            .find(|x| x.is_hard());
        if let Some(h) = cause {
            let vals: Vec<f64> = run.iter().rev().flatten().copied().collect();
            reasons.push(Reason {
                rule: 1,
                text: format!(
                    "soreness {:.0}+ on each of the last {} days after the hard session of {} (past 72 h without easing): rest; soreness past 72 h, or sharp and localised pain, is a reason to back off the plan and to see a professional if it persists",
                    cfg.sore_persist, cfg.sore_days, h.date
                ),
                values: serde_json::json!({"soreness": vals, "hard_day": h.date.to_string()}),
                advice: Advice::Rest,
            });
        }
    }

    // Rule 2: a hard session yesterday.
    if let Some(y) = d(1).filter(|x| x.is_hard()) {
        let above = hard_minutes(y, sessions);
        reasons.push(Reason {
            rule: 2,
            text: format!(
                "hard session yesterday ({}, {above:.0} min above {} bpm): active recovery within 24 h",
                y.date, band.high
            ),
            values: serde_json::json!({"date": y.date.to_string(), "above_min": round1(above)}),
            advice: Advice::ActiveRecovery,
        });
    }

    // Rule 3: moderately sore.
    if let Some(s) = soreness.filter(|&s| s >= cfg.sore_easy && s < cfg.sore_rest) {
        let recent = hard_within(2);
        let (advice, extra) = match recent {
            Some((_, h)) => (
                Advice::ActiveRecovery,
                format!(" and a hard day within 48 h ({})", h.date),
            ),
            None => (Advice::Easy, String::new()),
        };
        reasons.push(Reason {
            rule: 3,
            text: format!(
                "soreness {s:.0}/10 today{extra}: {} at most — easy or recovery sessions are fine when sore, a hard one is not",
                advice.as_str().replace('_', " ")
            ),
            values: serde_json::json!({"soreness": s}),
            advice,
        });
    }

    // Rule 4: short sleep, or resting HR up.
    let today_day = d(0);
    let sleep = today_day.and_then(|x| x.sleep_hours);
    let hard_yesterday = d(1).is_some_and(|x| x.is_hard());
    match sleep {
        Some(h) => {
            let limit = if hard_yesterday {
                cfg.short_sleep_after_hard_h
            } else {
                cfg.short_sleep_h
            };
            if h < limit {
                reasons.push(Reason {
                    rule: 4,
                    text: format!(
                        "{h:.1} h of sleep last night (under {limit:.0} h{}): easy at most",
                        if hard_yesterday {
                            " after a hard day"
                        } else {
                            ""
                        }
                    ),
                    values: serde_json::json!({"sleep_hours": round1(h), "limit": limit}),
                    advice: Advice::Easy,
                });
            }
        }
        None => missing.push(format!(
            "no sleep logged for the night before {date}: rule 4 (sleep) not checked"
        )),
    }
    let rhr_today = today_day.and_then(|x| x.resting_hr);
    let week: Vec<f64> = (1..=7)
        .filter_map(|k| d(k).and_then(|x| x.resting_hr))
        .collect();
    if let (Some(r), Some(mean)) = (rhr_today, crate::stats::mean(&week)) {
        if week.len() >= 3 && r >= mean + cfg.rhr_rise {
            reasons.push(Reason {
                rule: 4,
                text: format!(
                    "resting heart rate {r:.0} bpm, {:.0} above its 7-day mean of {mean:.0}: easy at most",
                    r - mean
                ),
                values: serde_json::json!({"resting_hr": r, "mean_7d": round1(mean)}),
                advice: Advice::Easy,
            });
        }
    }

    // Rule 5: a rest day is due.
    let monday = week_start(date);
    let week_days: Vec<&Day> = (0..(date - monday).num_days())
        .filter_map(|k| day_on(days, monday + Duration::days(k)))
        .collect();
    let no_rest_this_week = week_days.len() as i64 == (date - monday).num_days()
        && week_days.iter().all(|x| !x.is_rest());
    if date.weekday() == Weekday::Sun && no_rest_this_week {
        reasons.push(Reason {
            rule: 5,
            text: "no rest day yet this week and today is Sunday: take one full rest day a week"
                .into(),
            values: serde_json::json!({"week_start": monday.to_string()}),
            advice: Advice::Rest,
        });
    }
    let streak = (1..)
        .take_while(|&k| d(k).is_some_and(|x| !x.is_rest()))
        .count();
    if streak >= cfg.streak_days {
        reasons.push(Reason {
            rule: 5,
            text: format!("{streak} days in a row with sessions: rest today"),
            values: serde_json::json!({"days_in_a_row": streak}),
            advice: Advice::Rest,
        });
    }

    // Rule 6: this week's volume already past last week's by more than the allowed share.
    let hours = |from: NaiveDate, n: i64| -> f64 {
        (0..n)
            .filter_map(|k| day_on(days, from + Duration::days(k)))
            .map(|x| x.timer_h)
            .sum()
    };
    let this_week = hours(monday, (date - monday).num_days());
    let last_week = hours(monday - Duration::days(7), 7);
    if last_week > 0.0 && this_week > last_week * (1.0 + cfg.volume_jump) {
        reasons.push(Reason {
            rule: 6,
            text: format!(
                "this week already has {this_week:.1} h, more than {:.0} % above last week's {last_week:.1} h: easy at most, and short",
                cfg.volume_jump * 100.0
            ),
            values: serde_json::json!({"this_week_h": round1(this_week), "last_week_h": round1(last_week)}),
            advice: Advice::Easy,
        });
    }

    // Rule 7: hard only when the last hard session is 48 h ago or more.
    let last_hard = (1..=60).find_map(|k| d(k).filter(|x| x.is_hard()).map(|x| (k, x.date)));
    let gap_days = (cfg.hard_gap_h / 24.0).ceil() as i64;
    let rule7 = match last_hard {
        Some((k, when)) if k < gap_days => Reason {
            rule: 7,
            text: format!(
                "last hard session {when}, under {:.0} h ago: easy",
                cfg.hard_gap_h
            ),
            values: serde_json::json!({"last_hard": when.to_string()}),
            advice: Advice::Easy,
        },
        Some((_, when)) => Reason {
            rule: 7,
            text: format!(
                "last hard session {when}, at least {:.0} h ago: a hard session fits",
                cfg.hard_gap_h
            ),
            values: serde_json::json!({"last_hard": when.to_string()}),
            advice: Advice::HardOk,
        },
        None => Reason {
            rule: 7,
            text: "no hard session in the last 60 days: a hard session fits".into(),
            values: serde_json::json!({}),
            advice: Advice::HardOk,
        },
    };
    if reasons.is_empty() {
        reasons.push(rule7);
    }
    reasons.sort_by_key(|r| r.rule);
    // The first rule that holds decides; every other reason is still listed.
    let first_rule = reasons.first().map_or(7, |r| r.rule);
    let recommendation = reasons
        .iter()
        .filter(|r| r.rule == first_rule)
        .map(|r| r.advice)
        .min()
        .unwrap_or(Advice::HardOk);
    let max_minutes = match recommendation {
        Advice::Rest => Some(0.0),
        Advice::ActiveRecovery => Some(cfg.recovery_max_min),
        Advice::Easy if reasons.iter().any(|r| r.rule == 6) => Some(cfg.recovery_max_min),
        _ => None,
    };
    Answer {
        date,
        recommendation,
        band: format!("{}-{}", band.low, band.high),
        max_minutes,
        reasons,
        missing,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The answer as text for the terminal and the summary.
pub fn lines(a: &Answer, band: Band, cfg: &TodayConfig) -> Vec<String> {
    let mut out = vec![format!(
        "For {} ({}): {} — {}.",
        a.date,
        a.date.format("%A"),
        a.recommendation.as_str().to_uppercase().replace('_', " "),
        a.recommendation
            .meaning(band, a.max_minutes.unwrap_or(cfg.recovery_max_min))
    )];
    for r in &a.reasons {
        out.push(format!("rule {}: {}", r.rule, r.text));
    }
    for m in &a.missing {
        out.push(format!("missing: {m}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::journal::JournalEntry;

    fn answer(
        sessions: Vec<crate::session::Session>,
        entries: Vec<JournalEntry>,
        on: &str,
    ) -> Answer {
        let j = journal(entries);
        let (c, days) = build_days(sessions, Some(&j));
        today(
            date(on),
            &days,
            &c,
            Band::default(),
            &TodayConfig::default(),
        )
    }

    fn rules(a: &Answer) -> Vec<u8> {
        a.reasons.iter().map(|r| r.rule).collect()
    }

    #[test]
    fn very_sore_today_means_rest_with_the_advice_to_see_a_professional() {
        let a = answer(
            vec![easy("2026-03-02")],
            vec![entry("2026-03-04", 7.0, 8.0, None)],
            "2026-03-04",
        );
        assert_eq!(a.recommendation, Advice::Rest);
        assert_eq!(rules(&a), vec![1]);
        assert!(a.reasons[0].text.contains("see a professional"));
    }

    #[test]
    fn soreness_past_72h_after_a_hard_session_means_rest() {
        let e = ["2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07"]
            .iter()
            .map(|d| entry(d, 4.0, 8.0, None))
            .collect();
        let a = answer(vec![hard("2026-03-03")], e, "2026-03-07");
        assert_eq!(a.recommendation, Advice::Rest);
        assert!(
            a.reasons[0]
                .text
                .contains("after the hard session of 2026-03-03"),
            "{:?}",
            a.reasons
        );
    }

    #[test]
    fn a_hard_session_yesterday_means_active_recovery_and_short_sleep_is_listed_too() {
        // Rules 2 and 4 both hold: rule 2 decides, both reasons are listed.
        let a = answer(
            vec![easy("2026-03-01"), hard("2026-03-03")],
            vec![entry("2026-03-04", 2.0, 6.5, None)],
            "2026-03-04",
        );
        assert_eq!(a.recommendation, Advice::ActiveRecovery);
        assert_eq!(rules(&a), vec![2, 4]);
        assert!(a.reasons[0]
            .text
            .starts_with("hard session yesterday (2026-03-03, 30 min above 140 bpm)"));
        assert_eq!(a.max_minutes, Some(45.0));
    }

    #[test]
    fn moderate_soreness_means_easy_or_recovery_after_a_recent_hard_day() {
        let a = answer(
            vec![easy("2026-03-01")],
            vec![entry("2026-03-04", 5.0, 8.0, None)],
            "2026-03-04",
        );
        assert_eq!((a.recommendation, rules(&a)), (Advice::Easy, vec![3]));
        let a = answer(
            vec![hard("2026-03-02")],
            vec![entry("2026-03-04", 5.0, 8.0, None)],
            "2026-03-04",
        );
        assert_eq!(
            (a.recommendation, rules(&a)),
            (Advice::ActiveRecovery, vec![3])
        );
    }

    #[test]
    fn short_sleep_or_raised_resting_hr_means_easy() {
        let a = answer(
            vec![easy("2026-03-01")],
            vec![entry("2026-03-04", 1.0, 6.9, None)],
            "2026-03-04",
        );
        assert_eq!((a.recommendation, rules(&a)), (Advice::Easy, vec![4]));
        let mut e: Vec<_> = (1..=7)
            .map(|k| {
                let mut x = entry(&format!("2026-03-{k:02}"), 1.0, 8.0, None);
                x.resting_hr = Some(50.0);
                x
            })
            .collect();
        let mut t = entry("2026-03-08", 1.0, 8.0, None);
        t.resting_hr = Some(55.0);
        e.push(t);
        let a = answer(vec![easy("2026-03-01")], e, "2026-03-08");
        assert_eq!(a.recommendation, Advice::Easy);
        assert!(
            a.reasons[0]
                .text
                .starts_with("resting heart rate 55 bpm, 5 above"),
            "{:?}",
            a.reasons
        );
    }

    #[test]
    fn a_sunday_without_a_rest_day_this_week_means_rest() {
        let s = (2..=7)
            .map(|d| recovery(&format!("2026-03-{d:02}")))
            .collect();
        let a = answer(s, vec![entry("2026-03-08", 1.0, 8.0, None)], "2026-03-08");
        assert_eq!(a.recommendation, Advice::Rest);
        assert_eq!(rules(&a), vec![5, 5], "{:?}", a.reasons);
    }

    #[test]
    fn a_volume_jump_this_week_means_easy_and_short() {
        // Last week 1 h; this week already 2 h by Wednesday.
        let s = vec![easy("2026-02-24"), easy("2026-03-02"), easy("2026-03-03")];
        let a = answer(s, vec![entry("2026-03-04", 1.0, 8.0, None)], "2026-03-04");
        assert_eq!((a.recommendation, rules(&a)), (Advice::Easy, vec![6]));
        assert_eq!(a.max_minutes, Some(45.0));
    }

    #[test]
    fn otherwise_hard_is_ok_48_h_after_the_last_hard_session() {
        let s = vec![hard("2026-03-02"), recovery("2026-03-03")];
        let a = answer(
            s.clone(),
            vec![entry("2026-03-04", 1.0, 8.0, None)],
            "2026-03-04",
        );
        assert_eq!((a.recommendation, rules(&a)), (Advice::HardOk, vec![7]));
        assert!(a.missing.is_empty());
    }

    #[test]
    fn missing_data_is_named_not_guessed() {
        let a = answer(
            vec![easy("2026-03-02")],
            vec![entry("2026-03-02", 1.0, 8.0, None)],
            "2026-03-05",
        );
        assert_eq!(a.missing.len(), 2);
        assert!(a.missing[0]
            .starts_with("no soreness logged for 2026-03-05: rules 1 (today) and 3 not checked"));
        assert_eq!(a.recommendation, Advice::HardOk);
    }
}
