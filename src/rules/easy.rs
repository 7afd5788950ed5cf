//! Easy days easy: a session meant to be easy (planned easy or recovery in the journal,
//! named easy/recovery/Z1/Z2, or the day after a hard day) must not be hard, and one meant
//! as recovery must stay inside active recovery's limits.

use chrono::NaiveDate;

use super::{Advice, Ctx, Finding, Forward, Reason, Severity};
use crate::classify::Class;
use crate::classify::Classified;
use crate::days::Day;
use crate::journal::Planned;

/// Backward: a session meant to be easy that was hard, or meant as recovery with more
/// time above the band than active recovery allows.
pub fn broken(ctx: &Ctx) -> Vec<Finding> {
    let t = ctx.thresholds;
    let mut out = Vec::new();
    for (i, c) in ctx.sessions.iter().enumerate() {
        if c.session.undated.is_some() {
            continue;
        }
        let Some(why) = meant_easy(ctx.days, ctx.sessions, i) else {
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
                "an easy session stays under {:.0} min above the band, and under {:.0} % of its time once that is {:.0} min or more",
                t.hard_above_min,
                t.hard_above_share * 100.0,
                t.hard_share_min_above_min
            )
        } else {
            format!(
                "recovery stays under {:.0} min and {:.0} % above the band",
                t.recovery_above_min,
                t.recovery_above_share * 100.0
            )
        };
        out.push(Finding::one(
            c.session.local_date,
            "easy_day_not_easy",
            Severity::Medium,
            Some(super::session_id(c)),
            format!(
                "{} meant to be easy ({}) was {}",
                c.session.label(),
                why.describe(),
                v.reason
            ),
            format!("slow down on easy days: {limit}; keep heart rate at or under the band"),
        ));
    }
    out
}

/// Forward: the journal's plan for the day holds (an easy plan stays easy).
pub fn allows(ctx: &Ctx, date: NaiveDate, out: &mut Forward) {
    let Some(planned) = ctx.day(date).and_then(|d| d.planned) else {
        return;
    };
    let advice = match planned {
        Planned::Rest => Advice::Rest,
        Planned::Recovery => Advice::ActiveRecovery,
        Planned::Easy => Advice::Easy,
        Planned::Hard => return,
    };
    out.reasons.push(Reason::new(
        "easy_day_not_easy",
        advice,
        format!("you planned {planned} for today in the journal: keep to it"),
        serde_json::json!({"planned": planned.to_string()}),
    ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::rules::testing::World;

    fn found(s: Vec<crate::session::Session>, j: Option<&crate::journal::Journal>) -> Vec<Finding> {
        broken(&World::new(s, j).ctx())
    }

    #[test]
    fn an_easy_named_session_run_hard_is_flagged_with_its_name() {
        let f = found(
            vec![session("2026-03-05", 50.0, 25.0, Some("Easy Run"))],
            None,
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].found.contains("named \"Easy Run\""));
        assert_eq!(f[0].session.as_deref(), Some("2026-03-05.fit#0"));
    }

    #[test]
    fn a_planned_recovery_with_six_minutes_above_is_too_much() {
        let j = journal(vec![entry("2026-03-05", 1.0, 8.0, Some(Planned::Recovery))]);
        assert_eq!(
            found(vec![session("2026-03-05", 40.0, 6.0, None)], Some(&j)).len(),
            1
        );
        // 4 minutes (10 %) is still over the 5 % share.
        assert_eq!(
            found(vec![session("2026-03-05", 40.0, 4.0, None)], Some(&j)).len(),
            1
        );
        assert!(found(vec![session("2026-03-05", 40.0, 1.0, None)], Some(&j)).is_empty());
    }

    #[test]
    fn forward_a_planned_recovery_day_allows_active_recovery() {
        let j = journal(vec![entry("2026-03-05", 1.0, 8.0, Some(Planned::Recovery))]);
        let w = World::new(vec![easy("2026-03-01")], Some(&j));
        let mut f = Forward::default();
        allows(&w.ctx(), date("2026-03-05"), &mut f);
        assert_eq!(f.reasons[0].advice, Advice::ActiveRecovery);
    }
}
