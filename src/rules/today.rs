//! The forward question: for one date, should the athlete rest, recover, go easy or go
//! hard? Every rule family says what it allows on that date; the most cautious answer
//! wins, and every reason that held is listed.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::{
    easy, hard, hrv, layoff, rest, resting_hr, sleep, sleep_debt, soreness, volume, Advice, Ctx,
    Forward, Reason, RuleConfig,
};
use crate::zones::Band;

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
    /// Warnings about the answer as a whole (e.g. no data for months).
    pub warnings: Vec<String>,
    /// The newest day with any data (a session, soreness, sleep or resting HR) up to the
    /// date answered: how old what the answer rests on is.
    pub data_until: Option<NaiveDate>,
}

/// The date a report answers for: the day after the last day with data. (`today` and `plan`
/// answer for this morning instead, the athlete's local date now.)
pub fn default_date(days: &[crate::days::Day]) -> Option<NaiveDate> {
    days.last().map(|d| d.date + Duration::days(1))
}

/// The newest day up to `date` with any data: a session, soreness, sleep or resting HR.
pub fn data_until(days: &[crate::days::Day], date: NaiveDate) -> Option<NaiveDate> {
    days.iter()
        .rev()
        .filter(|d| d.date <= date && !d.projected)
        .find(|d| {
            !d.sessions.is_empty()
                || d.soreness.is_some()
                || d.sleep_hours.is_some()
                || d.resting_hr.is_some()
        })
        .map(|d| d.date)
}

/// Days without data after which the answer rests on defaults, not on the athlete.
pub const STALE_DAYS: i64 = 14;

/// Answers for `date` from the days (which may end before it).
pub fn today(ctx: &Ctx, date: NaiveDate) -> Answer {
    let mut f = Forward::default();
    soreness::allows(ctx, date, &mut f);
    hard::allows(ctx, date, &mut f);
    easy::allows(ctx, date, &mut f);
    sleep::allows(ctx, date, &mut f);
    hrv::allows(ctx, date, &mut f);
    resting_hr::allows(ctx, date, &mut f);
    sleep_debt::allows(ctx, date, &mut f);
    rest::allows(ctx, date, &mut f);
    volume::allows(ctx, date, &mut f);
    layoff::allows(ctx, date, &mut f);
    let mut a = verdict(ctx.cfg, ctx.band, date, f, stale_warning(ctx, date));
    a.data_until = data_until(ctx.days, date);
    a
}

fn stale_warning(ctx: &Ctx, date: NaiveDate) -> Vec<String> {
    let last = ctx
        .days
        .iter()
        .rev()
        .find(|d| !d.sessions.is_empty() || d.soreness.is_some());
    match last {
        Some(d) if (date - d.date).num_days() > STALE_DAYS => vec![format!(
            "no data for {} days (the last is {}); the answer rests on defaults, not on how you are now",
            (date - d.date).num_days() - 1,
            d.date
        )],
        None => vec!["no sessions or soreness at all; the answer rests on defaults".into()],
        _ => Vec::new(),
    }
}

/// The most cautious advice among the reasons wins; the tightest cap applies.
pub fn verdict(
    cfg: &RuleConfig,
    band: Band,
    date: NaiveDate,
    f: Forward,
    warnings: Vec<String>,
) -> Answer {
    let mut reasons = f.reasons;
    // Most cautious first, then in rule-book order; the sort is stable.
    reasons.sort_by_key(|r| (r.advice, super::rank(r.rule)));
    let recommendation = reasons.first().map_or(Advice::HardOk, |r| r.advice);
    let cap = reasons
        .iter()
        .filter_map(|r| r.max_minutes)
        .reduce(f64::min);
    let max_minutes = match recommendation {
        Advice::Rest => Some(0.0),
        Advice::ActiveRecovery => {
            Some(cap.map_or(cfg.recovery_max_min, |c| c.min(cfg.recovery_max_min)))
        }
        _ => cap,
    };
    let recommendation = if max_minutes.is_some_and(|m| m < 1.0) {
        Advice::Rest
    } else {
        recommendation
    };
    Answer {
        date,
        recommendation,
        band: format!("{}-{}", band.low, band.high),
        max_minutes: max_minutes.map(|m| m.floor()),
        reasons,
        missing: f.missing,
        warnings,
        data_until: None,
    }
}

/// The answer as text for the terminal and the summary.
pub fn lines(a: &Answer, band: Band) -> Vec<String> {
    lines_with(a, band, &Advice::word)
}

/// [`lines`] with the recommendation word written by `word` (the terminal colours it).
pub fn lines_with(a: &Answer, band: Band, word: &dyn Fn(Advice) -> String) -> Vec<String> {
    let mut out = vec![format!(
        "For {} ({}): {} — {}.",
        a.date,
        a.date.format("%A"),
        word(a.recommendation),
        a.recommendation.meaning(band, a.max_minutes)
    )];
    for w in &a.warnings {
        out.push(format!("warning: {w}"));
    }
    match a.data_until {
        Some(d) if d == a.date => out.push(format!("data: up to this morning ({d})")),
        Some(d) => {
            let n = (a.date - d).num_days();
            out.push(format!(
                "data: up to {d}, {n} day{} before {}{}",
                if n == 1 { "" } else { "s" },
                a.date,
                if n == 1 {
                    " (nothing logged this morning yet)"
                } else {
                    "; log this morning's soreness and sleep for an answer about today"
                }
            ))
        }
        None => out.push("data: none up to this date".into()),
    }
    for r in &a.reasons {
        out.push(format!("{}: {}", r.rule, r.text));
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
    use crate::rules::testing::World;

    pub(crate) fn answer(
        sessions: Vec<crate::session::Session>,
        entries: Vec<JournalEntry>,
        on: &str,
    ) -> Answer {
        let j = journal(entries);
        let w = World::new(sessions, Some(&j));
        today(&w.ctx(), date(on))
    }

    fn rules(a: &Answer) -> Vec<&'static str> {
        a.reasons.iter().map(|r| r.rule).collect()
    }

    #[test]
    fn the_most_cautious_rule_wins_after_a_hard_saturday_ending_six_days_of_sessions() {
        // Mon–Fri easy, Sat hard: Sunday has three reasons; rest is the most cautious.
        let mut s: Vec<_> = (2..=6).map(|d| easy(&format!("2026-03-{d:02}"))).collect();
        s.push(hard("2026-03-07"));
        let a = answer(s, vec![entry("2026-03-08", 1.0, 8.5, None)], "2026-03-08");
        assert_eq!(a.recommendation, Advice::Rest, "{:?}", a.reasons);
        assert_eq!(a.max_minutes, Some(0.0));
        assert_eq!(a.reasons[0].advice, Advice::Rest);
        let r = rules(&a);
        assert!(
            r.contains(&"no_rest_day") && r.contains(&"no_recovery_after_hard"),
            "{r:?}"
        );
    }

    #[test]
    fn a_hard_session_yesterday_means_active_recovery_and_short_sleep_is_listed_too() {
        let a = answer(
            vec![easy("2026-03-01"), hard("2026-03-03")],
            vec![entry("2026-03-04", 2.0, 6.5, None)],
            "2026-03-04",
        );
        assert_eq!(a.recommendation, Advice::ActiveRecovery);
        assert_eq!(a.reasons[0].rule, "no_recovery_after_hard");
        assert!(rules(&a).contains(&"short_sleep_after_hard"));
        assert!(a.reasons[0]
            .text
            .starts_with("hard session yesterday (2026-03-03, 30 min above 140 bpm)"));
        assert_eq!(a.max_minutes, Some(45.0));
    }

    #[test]
    fn otherwise_hard_is_ok_48_h_after_the_last_hard_session() {
        let s = vec![hard("2026-03-02"), recovery("2026-03-03")];
        let a = answer(s, vec![entry("2026-03-04", 1.0, 8.0, None)], "2026-03-04");
        assert_eq!(a.recommendation, Advice::HardOk);
        assert_eq!(rules(&a), vec!["back_to_back_hard"]);
        assert!(a.missing.is_empty());
        assert!(a.warnings.is_empty());
    }

    #[test]
    fn missing_data_is_named_not_guessed() {
        let a = answer(
            vec![easy("2026-03-02")],
            vec![entry("2026-03-02", 1.0, 8.0, None)],
            "2026-03-05",
        );
        assert_eq!(a.missing.len(), 2, "{:?}", a.missing);
        assert!(
            a.missing[0].starts_with("no soreness logged for 2026-03-05"),
            "{:?}",
            a.missing
        );
        assert_eq!(a.recommendation, Advice::HardOk);
    }

    #[test]
    fn an_answer_months_after_the_data_says_it_rests_on_defaults() {
        let a = answer(
            vec![easy("2026-03-02")],
            vec![entry("2026-03-02", 1.0, 8.0, None)],
            "2026-08-24",
        );
        assert_eq!(a.warnings.len(), 1);
        assert!(
            a.warnings[0].starts_with("no data for 174 days"),
            "{:?}",
            a.warnings
        );
    }

    #[test]
    fn a_cap_under_a_minute_is_rest() {
        let cfg = RuleConfig::default();
        let mut f = Forward::default();
        f.reasons.push(
            Reason::new(
                "volume_jump",
                Advice::HardOk,
                "x".into(),
                serde_json::json!({}),
            )
            .capped(0.4),
        );
        let a = verdict(&cfg, Band::default(), date("2026-03-02"), f, vec![]);
        assert_eq!(a.recommendation, Advice::Rest);
    }
}
