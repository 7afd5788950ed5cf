//! The training-rule checks. Each rule is one small function from the days and sessions
//! to findings; `audit` runs them all and sorts the findings by date.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::classify::{Class, Thresholds};
use crate::days::{day_after, Classified, Day};
use crate::journal::Planned;
use crate::load::Week;
use crate::report::table::Table;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// One rule broken on one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub date: NaiveDate,
    /// Stable rule id, e.g. `back_to_back_hard`.
    pub rule: &'static str,
    pub severity: Severity,
    /// `file#index` of the session concerned, when one is.
    pub session: Option<String>,
    pub found: String,
    pub todo: String,
}

/// Thresholds of the audit rules (defaults in the README with their sources).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AuditConfig {
    /// A hard session on a morning this sore (0–10) breaks "hard while sore".
    pub sore_for_hard: f64,
    /// Soreness at or above this…
    pub sore_persist: f64,
    /// …on this many consecutive days is soreness past 72 h.
    pub sore_persist_days: usize,
    /// Sleep under this many hours the night after a hard day is short.
    pub short_sleep_h: f64,
    /// Weekly volume may grow by this share at most.
    pub volume_jump: f64,
    /// Weeks under this many hours are not judged for volume jumps.
    pub volume_min_h: f64,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            sore_for_hard: 6.0,
            sore_persist: 4.0,
            sore_persist_days: 4,
            short_sleep_h: 7.0,
            volume_jump: 0.10,
            volume_min_h: 2.0,
        }
    }
}

/// Session id used in findings.
pub fn session_id(c: &Classified) -> String {
    format!("{}#{}", c.session.file, c.session.index)
}

/// Why a session was meant to be easy (or recovery), if it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeantEasy {
    /// The journal's `planned` column said easy or recovery.
    Planned(Planned),
    /// The workout or session name says easy / recovery / Z1 / Z2.
    Named(String),
    /// It is the day after a hard day.
    DayAfterHard(NaiveDate),
}

impl MeantEasy {
    /// Recovery (stricter limit) rather than easy.
    pub fn is_recovery(&self) -> bool {
        match self {
            MeantEasy::Planned(p) => *p == Planned::Recovery,
            MeantEasy::Named(n) => n.to_lowercase().contains("recovery"),
            MeantEasy::DayAfterHard(_) => false,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            MeantEasy::Planned(p) => format!("planned {p} in the journal"),
            MeantEasy::Named(n) => format!("named \"{n}\""),
            MeantEasy::DayAfterHard(d) => format!("the day after a hard day ({d})"),
        }
    }
}

/// Does a workout or session name mark the session as easy?
pub fn name_says_easy(name: &str) -> bool {
    let n = name.to_lowercase();
    ["easy", "recovery", "z1", "z2"]
        .iter()
        .any(|w| n.contains(w))
}

/// Why session `i` was meant to be easy, if it was.
pub fn meant_easy(days: &[Day], sessions: &[Classified], i: usize) -> Option<MeantEasy> {
    let s = &sessions[i].session;
    let day = days.iter().find(|d| d.date == s.local_date)?;
    if let Some(p @ (Planned::Easy | Planned::Recovery)) = day.planned {
        return Some(MeantEasy::Planned(p));
    }
    if let Some(name) = s.name.as_deref().filter(|n| name_says_easy(n)) {
        return Some(MeantEasy::Named(name.to_string()));
    }
    let yesterday = day_after(days, day.date, -1)?;
    yesterday
        .is_hard()
        .then_some(MeantEasy::DayAfterHard(yesterday.date))
}

/// Rule 1: a session meant to be easy that was hard, or meant as recovery with more
/// above-band time than active recovery allows.
pub fn easy_day_not_easy(days: &[Day], sessions: &[Classified], t: &Thresholds) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, c) in sessions.iter().enumerate() {
        let Some(why) = meant_easy(days, sessions, i) else {
            continue;
        };
        let v = &c.verdict;
        let too_much_for_recovery = why.is_recovery()
            && v.class != Class::Unknown
            && (v.above_min >= t.recovery_above_min || v.above_share >= t.recovery_above_share);
        if v.class != Class::Hard && !too_much_for_recovery {
            continue;
        }
        let limit = if v.class == Class::Hard {
            format!(
                "an easy session stays under {:.0} min and {:.0} % above the band",
                t.hard_above_min,
                t.hard_above_share * 100.0
            )
        } else {
            format!(
                "recovery stays under {:.0} min and {:.0} % above the band",
                t.recovery_above_min,
                t.recovery_above_share * 100.0
            )
        };
        out.push(Finding {
            date: c.session.local_date,
            rule: "easy_day_not_easy",
            severity: Severity::Medium,
            session: Some(session_id(c)),
            found: format!(
                "{} meant to be easy ({}) was {}",
                c.session.label(),
                why.describe(),
                v.reason
            ),
            todo: format!("slow down on easy days: {limit}; keep heart rate at or under the band"),
        });
    }
    out
}

fn hard_sessions(day: &Day, sessions: &[Classified]) -> Vec<usize> {
    day.sessions
        .iter()
        .copied()
        .filter(|&i| sessions[i].verdict.class == Class::Hard)
        .collect()
}

fn first_hard_id(day: &Day, sessions: &[Classified]) -> Option<String> {
    hard_sessions(day, sessions)
        .first()
        .map(|&i| session_id(&sessions[i]))
}

/// Rule 2: hard sessions on two consecutive local dates.
pub fn back_to_back_hard(days: &[Day], sessions: &[Classified]) -> Vec<Finding> {
    days.windows(2)
        .filter(|w| w[0].is_hard() && w[1].is_hard())
        .map(|w| Finding {
            date: w[1].date,
            rule: "back_to_back_hard",
            severity: Severity::High,
            session: first_hard_id(&w[1], sessions),
            found: format!("hard days on {} and {}", w[0].date, w[1].date),
            todo: "never two hard days in a row: make the day after a hard day easy, active recovery or rest".into(),
        })
        .collect()
}

/// Rule 3: a full Monday–Sunday week with a session every day.
pub fn no_rest_day(weeks: &[Week]) -> Vec<Finding> {
    weeks
        .iter()
        .filter(|w| w.days == 7 && w.rest_days == 0)
        .map(|w| Finding {
            date: w.start + Duration::days(6),
            rule: "no_rest_day",
            severity: Severity::Medium,
            session: None,
            found: format!(
                "the week of {} had a session every day ({} sessions)",
                w.start, w.sessions
            ),
            todo: "take one full rest day a week".into(),
        })
        .collect()
}

/// Rule 4: weekly timer hours more than the allowed share above the previous week.
pub fn volume_jump(weeks: &[Week], cfg: &AuditConfig) -> Vec<Finding> {
    weeks
        .windows(2)
        .filter(|w| {
            w[0].days == 7
                && w[0].hours >= cfg.volume_min_h
                && w[1].hours >= cfg.volume_min_h
                && w[1].hours > w[0].hours * (1.0 + cfg.volume_jump)
        })
        .map(|w| Finding {
            date: w[1].start,
            rule: "volume_jump",
            severity: Severity::Medium,
            session: None,
            found: format!(
                "the week of {} had {:.1} h, {:.0} % more than the {:.1} h of the week before",
                w[1].start,
                w[1].hours,
                (w[1].hours / w[0].hours - 1.0) * 100.0,
                w[0].hours
            ),
            todo: format!(
                "raise weekly volume by {:.0} % at most",
                cfg.volume_jump * 100.0
            ),
        })
        .collect()
}

/// Rule 5: a hard day followed neither the next day nor the one after by rest, active
/// recovery or an easy session (days with only unknown sessions are not judged).
pub fn no_recovery_after_hard(days: &[Day], sessions: &[Classified]) -> Vec<Finding> {
    let recovers = |d: &Day| matches!(d.class, None | Some(Class::Easy | Class::ActiveRecovery));
    days.iter()
        .filter(|d| d.is_hard())
        .filter_map(|d| {
            let next = day_after(days, d.date, 1)?;
            let after = day_after(days, d.date, 2)?;
            if recovers(next) || recovers(after) || next.class == Some(Class::Unknown) {
                return None;
            }
            Some(Finding {
                date: d.date,
                rule: "no_recovery_after_hard",
                severity: Severity::High,
                session: first_hard_id(d, sessions),
                found: format!(
                    "hard day {} was followed by {} and {} without rest, recovery or an easy session",
                    d.date,
                    next.class.map_or("rest".into(), |c| c.to_string()),
                    after.class.map_or("rest".into(), |c| c.to_string())
                ),
                todo: "follow a hard day with active recovery within 24 h, or rest or an easy session within 48 h".into(),
            })
        })
        .collect()
}

/// Rule 6a: a hard session on a morning with soreness at or above the limit.
pub fn hard_while_sore(days: &[Day], sessions: &[Classified], cfg: &AuditConfig) -> Vec<Finding> {
    days.iter()
        .filter(|d| d.is_hard() && d.soreness.is_some_and(|s| s >= cfg.sore_for_hard))
        .map(|d| Finding {
            date: d.date,
            rule: "hard_while_sore",
            severity: Severity::High,
            session: first_hard_id(d, sessions),
            found: format!(
                "hard session on a morning with soreness {:.0}/10",
                d.soreness.unwrap_or_default()
            ),
            todo:
                "when sore, keep to easy or active recovery; a hard session is not fine when sore"
                    .into(),
        })
        .collect()
}

/// Rule 6b: soreness at or above the limit on enough consecutive days (past 72 h):
/// one finding per stretch, naming the hard session that started it.
pub fn soreness_past_72h(days: &[Day], sessions: &[Classified], cfg: &AuditConfig) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let sore = |d: &Day| d.soreness.is_some_and(|s| s >= cfg.sore_persist);
        if !sore(&days[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < days.len() && sore(&days[i]) {
            i += 1;
        }
        let run = i - start;
        if run < cfg.sore_persist_days {
            continue;
        }
        let first = &days[start];
        // The hard day that started it: morning soreness comes from before that day, so
        // the last hard day up to 3 days before the stretch, else its first day.
        let cause = [1, 2, 3, 0]
            .into_iter()
            .filter_map(|back| day_after(days, first.date, -back))
            .find(|d| d.is_hard());
        let cause_text = match cause {
            Some(d) => format!(
                " after the hard session of {} ({})",
                d.date,
                first_hard_id(d, sessions).unwrap_or_default()
            ),
            None => String::new(),
        };
        out.push(Finding {
            date: days[start + cfg.sore_persist_days - 1].date,
            rule: "soreness_past_72h",
            severity: Severity::High,
            session: cause.and_then(|d| first_hard_id(d, sessions)),
            found: format!(
                "soreness {:.0}+ on {run} days in a row from {}{cause_text}",
                cfg.sore_persist, first.date
            ),
            todo: "soreness past 72 h means back off: rest or recover until it eases; see a professional if it persists".into(),
        });
    }
    out
}

/// Rule 6c: under the sleep limit the night after a hard day.
pub fn short_sleep_after_hard(
    days: &[Day],
    sessions: &[Classified],
    cfg: &AuditConfig,
) -> Vec<Finding> {
    days.iter()
        .filter(|d| d.is_hard())
        .filter_map(|d| {
            let next = day_after(days, d.date, 1)?;
            let sleep = next.sleep_hours?;
            (sleep < cfg.short_sleep_h).then(|| Finding {
                date: next.date,
                rule: "short_sleep_after_hard",
                severity: Severity::Low,
                session: first_hard_id(d, sessions),
                found: format!(
                    "{sleep:.1} h of sleep the night after the hard day {} (from the {})",
                    d.date,
                    next.sources.sleep_hours.map_or("journal", |s| s.as_str())
                ),
                todo: format!("sleep {:.0}–8 h, more after hard days", cfg.short_sleep_h),
            })
        })
        .collect()
}

/// Every rule, findings sorted by date then rule.
pub fn audit(
    days: &[Day],
    weeks: &[Week],
    sessions: &[Classified],
    t: &Thresholds,
    cfg: &AuditConfig,
) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(easy_day_not_easy(days, sessions, t));
    out.extend(back_to_back_hard(days, sessions));
    out.extend(no_rest_day(weeks));
    out.extend(volume_jump(weeks, cfg));
    out.extend(no_recovery_after_hard(days, sessions));
    out.extend(hard_while_sore(days, sessions, cfg));
    out.extend(soreness_past_72h(days, sessions, cfg));
    out.extend(short_sleep_after_hard(days, sessions, cfg));
    out.sort_by(|a, b| (a.date, a.rule, &a.session).cmp(&(b.date, b.rule, &b.session)));
    out
}

/// Every rule id, in the order the README lists them.
pub const RULES: &[&str] = &[
    "easy_day_not_easy",
    "back_to_back_hard",
    "no_rest_day",
    "volume_jump",
    "no_recovery_after_hard",
    "hard_while_sore",
    "soreness_past_72h",
    "short_sleep_after_hard",
];

/// `audit.csv`.
pub fn audit_table(findings: &[Finding]) -> Table {
    Table::new()
        .text("date", findings.iter().map(|f| Some(f.date.to_string())))
        .text("rule", findings.iter().map(|f| Some(f.rule.to_string())))
        .text(
            "severity",
            findings
                .iter()
                .map(|f| Some(f.severity.as_str().to_string())),
        )
        .text("session", findings.iter().map(|f| f.session.clone()))
        .text("found", findings.iter().map(|f| Some(f.found.clone())))
        .text("todo", findings.iter().map(|f| Some(f.todo.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::days::weeks;

    fn run(
        sessions: Vec<crate::session::Session>,
        j: Option<&crate::journal::Journal>,
    ) -> Vec<Finding> {
        let (c, days) = build_days(sessions, j);
        let w = weeks(&days);
        audit(
            &days,
            &w,
            &c,
            &Thresholds::default(),
            &AuditConfig::default(),
        )
    }

    fn rules(findings: &[Finding]) -> Vec<(String, &'static str)> {
        findings
            .iter()
            .map(|f| (f.date.to_string(), f.rule))
            .collect()
    }

    #[test]
    fn a_well_built_week_breaks_no_rule() {
        // Mon rest, Tue hard, Wed recovery, Thu easy, Fri rest, Sat hard, Sun easy.
        let s = vec![
            hard("2026-03-03"),
            recovery("2026-03-04"),
            easy("2026-03-05"),
            hard("2026-03-07"),
            easy("2026-03-08"),
        ];
        assert_eq!(rules(&run(s, None)), vec![]);
    }

    #[test]
    fn two_hard_days_in_a_row_are_back_to_back_and_the_second_was_meant_easy() {
        let f = run(
            vec![hard("2026-03-03"), hard("2026-03-04"), easy("2026-03-05")],
            None,
        );
        assert_eq!(
            rules(&f),
            vec![
                ("2026-03-04".into(), "back_to_back_hard"),
                ("2026-03-04".into(), "easy_day_not_easy"),
            ]
        );
        assert!(
            f[1].found.contains("the day after a hard day (2026-03-03)"),
            "{}",
            f[1].found
        );
    }

    #[test]
    fn an_easy_named_session_run_hard_is_flagged_with_its_name() {
        let s = vec![session("2026-03-05", 50.0, 25.0, Some("Easy Run"))];
        let f = run(s, None);
        assert_eq!(rules(&f), vec![("2026-03-05".into(), "easy_day_not_easy")]);
        assert!(f[0].found.contains("named \"Easy Run\""));
        assert_eq!(f[0].session.as_deref(), Some("2026-03-05.fit#0"));
    }

    #[test]
    fn a_planned_recovery_with_six_minutes_above_is_too_much() {
        let j = journal(vec![entry("2026-03-05", 1.0, 8.0, Some(Planned::Recovery))]);
        let f = run(vec![session("2026-03-05", 40.0, 6.0, None)], Some(&j));
        assert_eq!(rules(&f), vec![("2026-03-05".into(), "easy_day_not_easy")]);
        // 4 minutes (10 %) is still over the 5 % share.
        let f = run(vec![session("2026-03-05", 40.0, 4.0, None)], Some(&j));
        assert_eq!(f.len(), 1);
        let f = run(vec![session("2026-03-05", 40.0, 1.0, None)], Some(&j));
        assert!(f.is_empty());
    }

    #[test]
    fn a_week_with_a_session_every_day_has_no_rest_day() {
        let s = (2..=8).map(|d| easy(&format!("2026-03-{d:02}"))).collect();
        let f = run(s, None);
        assert_eq!(rules(&f), vec![("2026-03-08".into(), "no_rest_day")]);
        // A partial week is not judged.
        let s = (2..=7).map(|d| easy(&format!("2026-03-{d:02}"))).collect();
        assert!(run(s, None).is_empty());
    }

    #[test]
    fn volume_may_grow_ten_percent_a_week() {
        // Week 1: 4 × 60 min = 4 h. Week 2: 4 × 66 min = 4.4 h (exactly +10 %): fine.
        let mut s: Vec<_> = ["02", "04", "06", "08"]
            .iter()
            .map(|d| easy(&format!("2026-03-{d}")))
            .collect();
        let week2 = |m: f64| -> Vec<_> {
            ["10", "12", "13", "15"]
                .iter()
                .map(|d| session(&format!("2026-03-{d}"), m, 1.0, None))
                .collect()
        };
        let mut ok = s.clone();
        ok.extend(week2(66.0));
        assert!(run(ok, None).is_empty());
        s.extend(week2(67.0));
        assert_eq!(
            rules(&run(s, None)),
            vec![("2026-03-09".into(), "volume_jump")]
        );
    }

    #[test]
    fn weeks_under_two_hours_are_not_judged_for_volume() {
        let mut s = vec![easy("2026-03-02")];
        s.extend([easy("2026-03-10"), recovery("2026-03-12")]);
        assert!(run(s, None).iter().all(|f| f.rule != "volume_jump"));
    }

    #[test]
    fn three_hard_days_in_a_row_leave_the_first_without_recovery() {
        let f = run(
            vec![hard("2026-03-03"), hard("2026-03-04"), hard("2026-03-05")],
            None,
        );
        let r = rules(&f);
        assert!(
            r.contains(&("2026-03-03".into(), "no_recovery_after_hard")),
            "{r:?}"
        );
        assert_eq!(
            r.iter().filter(|x| x.1 == "no_recovery_after_hard").count(),
            1
        );
        assert_eq!(r.iter().filter(|x| x.1 == "back_to_back_hard").count(), 2);
    }

    #[test]
    fn a_hard_day_at_the_end_of_the_data_is_not_judged_for_recovery() {
        let f = run(vec![easy("2026-03-03"), hard("2026-03-04")], None);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn hard_on_a_sore_morning_is_flagged_from_six() {
        let j = journal(vec![
            entry("2026-03-03", 6.0, 8.0, None),
            entry("2026-03-07", 5.0, 8.0, None),
        ]);
        let f = run(vec![hard("2026-03-03"), hard("2026-03-07")], Some(&j));
        assert_eq!(rules(&f), vec![("2026-03-03".into(), "hard_while_sore")]);
    }

    #[test]
    fn four_sore_days_in_a_row_name_the_hard_session_that_started_them() {
        let j = journal(
            ["2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07"]
                .iter()
                .map(|d| entry(d, 4.0, 8.0, None))
                .collect(),
        );
        let f = run(vec![hard("2026-03-03"), recovery("2026-03-04")], Some(&j));
        assert_eq!(rules(&f), vec![("2026-03-07".into(), "soreness_past_72h")]);
        assert!(
            f[0].found.contains("after the hard session of 2026-03-03"),
            "{}",
            f[0].found
        );
        assert_eq!(f[0].session.as_deref(), Some("2026-03-03.fit#0"));
        // Three days is within the normal 24–72 h.
        let j3 = journal(j.entries[..3].to_vec());
        assert!(run(vec![hard("2026-03-03"), recovery("2026-03-04")], Some(&j3)).is_empty());
    }

    #[test]
    fn under_seven_hours_after_a_hard_day_is_short_sleep() {
        let j = journal(vec![
            entry("2026-03-04", 2.0, 6.9, None),
            entry("2026-03-08", 2.0, 7.0, None),
        ]);
        let f = run(
            vec![
                hard("2026-03-03"),
                recovery("2026-03-04"),
                hard("2026-03-07"),
                easy("2026-03-08"),
            ],
            Some(&j),
        );
        assert_eq!(
            rules(&f),
            vec![("2026-03-04".into(), "short_sleep_after_hard")]
        );
    }

    #[test]
    fn findings_are_sorted_by_date_and_deterministic() {
        let s = || {
            vec![
                hard("2026-03-05"),
                hard("2026-03-06"),
                hard("2026-03-03"),
                hard("2026-03-04"),
            ]
        };
        let a = run(s(), None);
        assert_eq!(a, run(s(), None));
        assert!(a.windows(2).all(|w| w[0].date <= w[1].date));
    }
}
