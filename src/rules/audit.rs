//! The backward question: which rules were broken, day by day. Each rule family
//! reports its own breaks; [`audit`] merges the breaks of one day into one finding (one
//! event: a hard day after a hard day breaks several rules at once, and is one thing to
//! change), named after its most severe rule, with every rule it broke listed.

use chrono::NaiveDate;
use serde::Serialize;

use super::{easy, hard, hrv, rank, rest, sleep, soreness, volume, Ctx};
use crate::days::{Classified, Day};
use crate::journal::Planned;

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

/// One event: the rules broken on one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub date: NaiveDate,
    /// The most severe rule broken, e.g. `back_to_back_hard`.
    pub rule: &'static str,
    /// Every rule broken that day, most severe first (`rule` is the first).
    pub rules: Vec<&'static str>,
    pub severity: Severity,
    /// `file#index` of the session concerned, when one is.
    pub session: Option<String>,
    /// Each rule with the session that broke it, when a session did: a day can hold
    /// several sessions, and `session` names only the first.
    #[serde(skip)]
    pub broken_by: Vec<(&'static str, String)>,
    pub found: String,
    pub todo: String,
}

impl Finding {
    /// A finding of one rule; [`audit`] merges those of a day.
    pub fn one(
        date: NaiveDate,
        rule: &'static str,
        severity: Severity,
        session: Option<String>,
        found: String,
        todo: String,
    ) -> Finding {
        Finding {
            date,
            rule,
            rules: vec![rule],
            severity,
            broken_by: session.iter().map(|s| (rule, s.clone())).collect(),
            session,
            found,
            todo,
        }
    }
}

/// The audit as (date, rule) pairs: an event is listed under every rule it holds, not
/// only the one that names it. Every output that counts or marks rules reads this.
pub fn pairs(findings: &[Finding]) -> Vec<(NaiveDate, &'static str)> {
    findings
        .iter()
        .flat_map(|f| f.rules.iter().map(move |r| (f.date, *r)))
        .collect()
}

/// Per audited rule, in the rule book's order: how many events hold it (every rule
/// listed, zeros included).
pub fn rule_counts(findings: &[Finding]) -> Vec<(&'static str, usize)> {
    let pairs = pairs(findings);
    super::RULES
        .iter()
        .filter(|r| r.audited)
        .map(|r| (r.id, pairs.iter().filter(|(_, id)| *id == r.id).count()))
        .collect()
}

/// The sessions (`file#index`) that broke `rule`, whichever rule names their event.
pub fn sessions_breaking(findings: &[Finding], rule: &str) -> std::collections::BTreeSet<String> {
    findings
        .iter()
        .flat_map(|f| f.broken_by.iter())
        .filter(|(r, _)| *r == rule)
        .map(|(_, s)| s.clone())
        .collect()
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
    let yesterday = crate::days::day_after(days, day.date, -1)?;
    yesterday
        .is_hard()
        .then_some(MeantEasy::DayAfterHard(yesterday.date))
}

/// Every rule's breaks, one per rule and date, sorted by date then rule.
pub fn breaks(ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(easy::broken(ctx));
    out.extend(hard::back_to_back_broken(ctx));
    out.extend(hard::recovery_broken(ctx));
    out.extend(soreness::hard_while_sore_broken(ctx));
    out.extend(soreness::past_72h_broken(ctx));
    out.extend(rest::broken(ctx));
    out.extend(volume::broken(ctx));
    out.extend(sleep::broken(ctx));
    out.extend(hrv::broken(ctx));
    out.sort_by(|a, b| (a.date, rank(a.rule), &a.session).cmp(&(b.date, rank(b.rule), &b.session)));
    out
}

/// The audit: one finding per date on which any rule was broken, sorted by date.
pub fn audit(ctx: &Ctx) -> Vec<Finding> {
    merge(breaks(ctx))
}

/// Merges the breaks of one date into one finding: the most severe rule names it, every
/// rule is listed, the texts are joined.
pub fn merge(mut breaks: Vec<Finding>) -> Vec<Finding> {
    breaks.sort_by(|a, b| {
        (
            a.date,
            std::cmp::Reverse(a.severity),
            rank(a.rule),
            &a.session,
        )
            .cmp(&(
                b.date,
                std::cmp::Reverse(b.severity),
                rank(b.rule),
                &b.session,
            ))
    });
    let mut out: Vec<Finding> = Vec::new();
    for f in breaks {
        match out.last_mut() {
            Some(last) if last.date == f.date => {
                if !last.rules.contains(&f.rule) {
                    last.rules.push(f.rule);
                }
                if last.session.is_none() {
                    last.session = f.session;
                }
                last.broken_by.extend(f.broken_by);
                last.found = format!("{}; {}", last.found, f.found);
                if !last.todo.contains(&f.todo) {
                    last.todo = format!("{}; {}", last.todo, f.todo);
                }
            }
            _ => out.push(f),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::rules::testing::World;

    fn run(
        sessions: Vec<crate::session::Session>,
        j: Option<&crate::journal::Journal>,
    ) -> Vec<Finding> {
        audit(&World::new(sessions, j).ctx())
    }

    fn ids(findings: &[Finding]) -> Vec<(String, Vec<&'static str>)> {
        findings
            .iter()
            .map(|f| (f.date.to_string(), f.rules.clone()))
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
        assert_eq!(ids(&run(s, None)), vec![]);
    }

    #[test]
    fn a_hard_day_after_a_hard_day_is_one_finding_naming_every_rule_it_breaks() {
        let f = run(
            vec![hard("2026-03-03"), hard("2026-03-04"), easy("2026-03-05")],
            None,
        );
        assert_eq!(
            ids(&f),
            vec![(
                "2026-03-04".into(),
                vec!["back_to_back_hard", "easy_day_not_easy"]
            )]
        );
        assert_eq!(f[0].rule, "back_to_back_hard");
        assert_eq!(f[0].severity, Severity::High);
        assert!(
            f[0].found.contains("the day after a hard day (2026-03-03)"),
            "{}",
            f[0].found
        );
        assert!(
            f[0].todo.starts_with("never two hard days in a row"),
            "{}",
            f[0].todo
        );
        assert!(
            f[0].todo.contains("; slow down on easy days"),
            "{}",
            f[0].todo
        );
    }

    #[test]
    fn merged_findings_are_sorted_by_date_and_deterministic() {
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
        assert!(a.windows(2).all(|w| w[0].date < w[1].date));
    }
}
