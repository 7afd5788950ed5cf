//! The backward question: which rules were broken, day by day. Each rule family
//! reports its own breaks; [`audit`] merges the breaks of one day into one finding (one
//! event: a hard day after a hard day breaks several rules at once, and is one thing to
//! change), named after its most severe rule, with every rule it broke listed.

use chrono::NaiveDate;

use super::{easy, hard, hrv, rank, rest, sleep, soreness, volume, Ctx, Finding};

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
    use crate::rules::Severity;

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
