//! Soreness: no hard session on a sore morning (easy or active recovery is fine when
//! sore), and soreness that has not eased more than 72 h after a hard session means back
//! off. Soreness is logged for the morning: it comes from the days before.

use chrono::NaiveDate;

use super::{Advice, Ctx, Finding, Forward, Reason, Severity};
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

/// Days of logged soreness at or above the sore level after which the advice adds that it
/// is time to see a professional.
pub const SEE_PROFESSIONAL_DAYS: i64 = 7;

/// How far back an unlogged morning takes the last soreness logged (48 h).
pub const CARRY_DAYS: i64 = 2;

/// The morning soreness that holds for `date`: logged that morning, else the last logged in
/// the [`CARRY_DAYS`] before (never on a planned, projected day). Gives the day it was
/// logged.
pub fn soreness_for(ctx: &Ctx, date: NaiveDate) -> Option<(NaiveDate, f64)> {
    let today = ctx.day(date);
    if let Some(s) = today.and_then(|d| d.soreness) {
        return Some((date, s));
    }
    if today.is_some_and(|d| d.projected) {
        return None;
    }
    (1..=CARRY_DAYS).find_map(|k| {
        ctx.before(date, k)
            .and_then(|d| d.soreness.map(|s| (d.date, s)))
    })
}

/// Soreness that holds on the morning of `date`.
struct Holding<'a> {
    /// The soreness that morning.
    s: f64,
    /// The last hard day before, if the data has one.
    hard: Option<&'a Day>,
    /// The soreness logged on the morning before, since the hard day.
    earlier: Option<f64>,
    /// The first morning of this run of sore mornings (unlogged days of up to 48 h do not
    /// end it).
    since: NaiveDate,
}

impl Holding<'_> {
    fn easing(&self) -> bool {
        self.earlier.is_some_and(|e| self.s < e)
    }

    fn days_held(&self, date: NaiveDate) -> i64 {
        (date - self.since).num_days() + 1
    }
}

/// Soreness past 72 h on the morning of `date`, with soreness `s`: at or above the sore
/// level, and the last hard session more than `sore_past_h` before — however long ago (a
/// soreness that holds is never forgotten), or none at all when the data reaches back
/// that far.
fn holding<'a>(ctx: &Ctx<'a>, date: NaiveDate, s: f64) -> Option<Holding<'a>> {
    let cfg = ctx.cfg;
    if s < cfg.sore {
        return None;
    }
    let first = ctx.days.first()?.date;
    let back = (date - first).num_days();
    let hard = ctx.last_hard_before(date, back);
    let hours = (date - hard.map_or(first, |h| h.date)).num_days() as f64 * 24.0;
    if hours <= cfg.sore_past_h {
        return None;
    }
    let since_hard = hard.map_or(back, |h| (date - h.date).num_days());
    let earlier = (1..since_hard)
        .filter_map(|k| ctx.before(date, k).and_then(|d| d.soreness))
        .next();
    // The run of sore mornings back from `date`, after the hard day.
    let mut since = date;
    let mut gap = 0;
    for k in 1..since_hard {
        let Some(d) = ctx.before(date, k) else { break };
        match d.soreness {
            Some(v) if v >= cfg.sore => {
                since = d.date;
                gap = 0;
            }
            Some(_) => break,
            None => {
                gap += 1;
                if gap > CARRY_DAYS {
                    break;
                }
            }
        }
    }
    Some(Holding {
        s,
        hard,
        earlier,
        since,
    })
}

fn holding_text(h: &Holding, date: NaiveDate, ctx: &Ctx) -> String {
    let s = h.s;
    let trend = match h.earlier {
        Some(e) if s > e => format!(", up from {e:.0}"),
        Some(e) if s < e => format!(", easing from {e:.0}"),
        Some(_) => ", not easing".to_string(),
        None => String::new(),
    };
    let after = match h.hard {
        Some(hard) => format!(
            "about {} h after the hard session of {} ({})",
            (date - hard.date).num_days() * 24,
            hard.date,
            ctx.first_hard_id(hard).unwrap_or_default()
        ),
        None => "with no hard session in the data to explain it".to_string(),
    };
    let held = h.days_held(date);
    let run = if held > 1 {
        format!(
            "; at or above {:.0} since {} ({held} days)",
            ctx.cfg.sore, h.since
        )
    } else {
        String::new()
    };
    format!("soreness {s:.0}/10{trend} {after}{run}")
}

/// The words for soreness that has held a week or more.
fn professional(held: i64) -> String {
    format!(" It has held for {held} days: time to see a professional (a physiotherapist or a doctor) before training again")
}

/// Backward: soreness past 72 h, once per run of sore mornings (the first morning it
/// shows and is not easing), and again on the morning the run reaches a week.
pub fn past_72h_broken(ctx: &Ctx) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut seen: Vec<NaiveDate> = Vec::new();
    let mut week_seen: Vec<NaiveDate> = Vec::new();
    for d in ctx.days {
        let Some(s) = d.soreness else { continue };
        let Some(h) = holding(ctx, d.date, s) else {
            continue;
        };
        let session = h.hard.and_then(|hard| ctx.first_hard_id(hard));
        let held = h.days_held(d.date);
        if !h.easing()
            && !seen.contains(&h.since)
            && !seen
                .iter()
                .any(|x| h.hard.is_some_and(|hard| *x == hard.date))
        {
            seen.push(h.since);
            if let Some(hard) = h.hard {
                seen.push(hard.date);
            }
            out.push(Finding::one(
                d.date,
                "soreness_past_72h",
                Severity::High,
                session.clone(),
                holding_text(&h, d.date, ctx),
                PAST_72H_TODO.into(),
            ));
        } else if held >= SEE_PROFESSIONAL_DAYS && !week_seen.contains(&h.since) {
            week_seen.push(h.since);
            out.push(Finding::one(
                d.date,
                "soreness_past_72h",
                Severity::High,
                session,
                format!("{}.{}", holding_text(&h, d.date, ctx), professional(held)),
                PAST_72H_TODO.into(),
            ));
        }
    }
    out
}

/// Forward: very sore means rest, sore means easy (active recovery with a hard day in the
/// last 48 h); soreness past 72 h means rest, or active recovery while it eases, for as
/// long as it holds. An unlogged morning takes the last soreness logged within 48 h; with
/// none, a sore morning logged before that still keeps hard away.
pub fn allows(ctx: &Ctx, date: NaiveDate, out: &mut Forward) {
    let cfg = ctx.cfg;
    let Some((logged, s)) = soreness_for(ctx, date) else {
        let last = ctx
            .days
            .iter()
            .rev()
            .filter(|d| d.date < date && (date - d.date).num_days() <= cfg.doms_days)
            .find_map(|d| d.soreness.map(|s| (d.date, s)));
        if let Some((d, s)) = last.filter(|(_, s)| *s >= cfg.sore) {
            out.reasons.push(Reason::new(
                "hard_while_sore",
                Advice::Easy,
                format!(
                    "no soreness logged since {d}, when it was {s:.0}/10: easy at most until this morning's soreness is logged"
                ),
                serde_json::json!({"soreness": s, "logged": d.to_string()}),
            ));
        }
        out.missing.push(format!(
            "no soreness logged for {date} or the 48 h before: the soreness rules (hard_while_sore, soreness_past_72h) not checked; log this morning's soreness"
        ));
        return;
    };
    let from = if logged == date {
        "today".to_string()
    } else {
        out.missing.push(format!(
            "no soreness logged for {date}: {s:.0}/10 from {logged} is used (the last logged within 48 h); log this morning's to update the advice"
        ));
        format!("on {logged} (the last logged)")
    };
    if let Some(h) = holding(ctx, date, s) {
        let held = h.days_held(date);
        let (advice, todo) = if h.easing() {
            (
                Advice::ActiveRecovery,
                "active recovery at most while it eases",
            )
        } else {
            (Advice::Rest, "rest")
        };
        out.reasons.push(Reason::new(
            "soreness_past_72h",
            advice,
            format!(
                "{}: {todo}; soreness past 72 h, or sharp and localised pain, is a reason to back off the plan and to see a professional if it persists.{}",
                holding_text(&h, date, ctx),
                if held >= SEE_PROFESSIONAL_DAYS { professional(held) } else { String::new() }
            ),
            serde_json::json!({
                "soreness": s,
                "earlier": h.earlier,
                "hard_day": h.hard.map(|d| d.date.to_string()),
                "since": h.since.to_string(),
                "days_held": held,
            }),
        ));
    }
    if s >= cfg.very_sore {
        out.reasons.push(Reason::new(
            "hard_while_sore",
            Advice::Rest,
            format!(
                "soreness {s:.0}/10 {from} (≥ {:.0}): rest; sharp or localised pain is a reason to back off and to see a professional if it persists",
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
                "soreness {s:.0}/10 {from}{extra}: {} at most — easy or recovery sessions are fine when sore, a hard one is not",
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
