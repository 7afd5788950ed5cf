//! The rule book: each coaching rule once, with its thresholds and its source, able to
//! answer two questions about a date:
//!
//! - backward, "was it broken on this day?" — the audit ([`audit`]);
//! - forward, "what does it allow on this day?" — `today` ([`today`]) and, later, `plan`.
//!
//! One file per rule family holds both answers, so they cannot drift apart: the thresholds
//! come from one [`RuleConfig`] (`[rules]` in `recovery.toml`).

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::classify::Classified;
use crate::classify::{Class, Thresholds};
use crate::days::Day;
use crate::load::Week;
use crate::zones::Band;

pub mod audit;
pub mod easy;
pub mod hard;
pub mod hrv;
pub mod layoff;
pub mod plan;
pub mod rest;
pub mod resting_hr;
pub mod sleep;
pub mod sleep_debt;
pub mod soreness;
pub mod today;
pub mod volume;

pub use audit::{audit, pairs, rule_counts, sessions_breaking};
pub use easy::{meant_easy, name_says_easy, MeantEasy};
pub use today::{default_date, lines, today, Answer};

// ---- What the rule families and both questions share -------------------------------

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

    /// The word as the text outputs show it: `REST`, `ACTIVE RECOVERY`, `EASY`, `HARD OK`.
    pub fn word(self) -> String {
        self.as_str().to_uppercase().replace('_', " ")
    }

    /// What it means, in words.
    pub fn meaning(self, band: Band, max_min: Option<f64>) -> String {
        let within = max_min.map_or(String::new(), |m| format!(", at most {m:.0} min"));
        match self {
            Advice::Rest => "a full rest day: passive recovery, a gentle walk at most".into(),
            Advice::ActiveRecovery => format!(
                "active recovery{within} with heart rate inside {band}, breathing conversational"
            ),
            Advice::Easy => format!(
                "easy{within}: keep heart rate at or under {} bpm",
                band.high
            ),
            Advice::HardOk => format!("a hard session fits today{within}"),
        }
    }
}

/// One reason that held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// The rule's id, as in `audit.csv` (see [`super::RULES`]).
    pub rule: &'static str,
    pub text: String,
    /// The numbers behind it.
    pub values: serde_json::Value,
    /// What this rule alone allows.
    #[serde(skip)]
    pub advice: Advice,
    /// The longest session this rule allows, minutes, when it limits it.
    #[serde(skip)]
    pub max_minutes: Option<f64>,
}

impl Reason {
    pub fn new(
        rule: &'static str,
        advice: Advice,
        text: String,
        values: serde_json::Value,
    ) -> Reason {
        Reason {
            rule,
            text,
            values,
            advice,
            max_minutes: None,
        }
    }

    pub fn capped(mut self, minutes: f64) -> Reason {
        self.max_minutes = Some(minutes.max(0.0));
        self
    }
}

/// What the rules said about one date, before the verdict.
#[derive(Debug, Default)]
pub struct Forward {
    pub reasons: Vec<Reason>,
    /// Data that was missing, and which rules it left unchecked.
    pub missing: Vec<String>,
}

// ---- The rules ------------------------------------------------------------------------

/// One coaching rule: its stable id (used in `audit.csv`, `today`'s reasons and the
/// settings), what it says, where it comes from, and whether breaking it is a matter of
/// the training chosen on the day (the obey-`today` test checks exactly those).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub says: &'static str,
    pub source: &'static str,
    /// Broken by what the athlete trained that day (not by soreness or sleep themselves).
    pub judges_training: bool,
    /// Asked backward by the audit too (some rules only advise forward).
    pub audited: bool,
}

/// Every rule, most severe first (the order decides which rule names an event).
pub const RULES: &[Rule] = &[
    Rule {
        id: "soreness_past_72h",
        says: "soreness still at or above the sore level, and not easing, more than 72 h after a hard session means back off",
        source: "DOMS peaks 24–72 h after a hard session and lasts 3–5 days; past 72 h, back off",
        judges_training: false,
        audited: true,
    },
    Rule {
        id: "back_to_back_hard",
        says: "never two hard days in a row: 48 h from one hard day to the next",
        source: "coaching practice: never two hard days back to back; alternate hard and easy",
        judges_training: true,
        audited: true,
    },
    Rule {
        id: "hard_while_sore",
        says: "no hard session on a sore morning; easy or active recovery is fine when sore",
        source: "coaching practice: an easy or active-recovery session is fine when sore, a hard one is not",
        judges_training: true,
        audited: true,
    },
    Rule {
        id: "no_recovery_after_hard",
        says: "active recovery (or rest) within 24 h of a hard session, and rest, recovery or easy within 48 h",
        source: "coaching practice: active recovery comes within 24 h of a hard session",
        judges_training: true,
        audited: true,
    },
    Rule {
        id: "no_rest_day",
        says: "one full rest day each Monday–Sunday week, and never more than the streak limit of days in a row with sessions",
        source: "coaching practice: one full rest day a week",
        judges_training: true,
        audited: true,
    },
    Rule {
        id: "volume_jump",
        says: "weekly hours at most the ramp share above the steadier of last week and the mean of the 4 weeks before",
        source: "coaching practice: raise volume gradually, about 10 % a week at most",
        judges_training: true,
        audited: true,
    },
    Rule {
        id: "easy_day_not_easy",
        says: "a session meant to be easy (planned, named, or the day after a hard day) stays easy",
        source: "polarised training: easy days easy so hard days can be hard",
        judges_training: true,
        audited: true,
    },
    Rule {
        id: "short_sleep_after_hard",
        says: "sleep 7–8 h, more after hard days; short sleep means easy at most",
        source: "coaching practice: sleep 7–8 h, more after hard days",
        judges_training: false,
        audited: true,
    },
    Rule {
        id: "layoff_return",
        says: "after two weeks or more without training, the first sessions back are easy and the week starts from half the usual hours, growing by the ramp share a week",
        source: "coaching practice: raise volume gradually (about 10 % a week at most); fitness lost in a break is rebuilt, not resumed",
        judges_training: true,
        audited: false,
    },
    Rule {
        id: "hrv_below_normal",
        says: "the 7-day mean of ln rMSSD under the athlete's normal band (60-day mean ± 0.5 SD) means easy at most; rest or active recovery when also sore or on a second morning running",
        source: "Plews et al. 2012–2013, Kiviniemi et al. 2007, as HRV4Training documents it: ln rMSSD's 7-day mean against a normal band of ± 0.5 SD (the smallest worthwhile change)",
        judges_training: true,
        audited: true,
    },
    Rule {
        id: "resting_hr_up",
        says: "resting heart rate above its 60-day baseline by the larger of 1 SD and 3 bpm on two mornings running means easy at most",
        source: "a raised morning resting heart rate, against the athlete's own baseline, is a common sign of incomplete recovery or illness (Buchheit 2014)",
        judges_training: false,
        audited: false,
    },
    Rule {
        id: "sleep_debt",
        says: "a sleep debt over 5 h in the last 7 nights (need 7.5 h a night, more after hard days) means easy at most",
        source: "coaching practice: 7–9 h for athletes, more after hard days; sleep restriction accumulates (Van Dongen et al. 2003)",
        judges_training: false,
        audited: false,
    },
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Position of a rule in [`RULES`] (lower is more severe); unknown ids last.
pub fn rank(id: &str) -> usize {
    RULES.iter().position(|r| r.id == id).unwrap_or(RULES.len())
}

/// The thresholds of every rule (`[rules]` in `recovery.toml`; defaults and their
/// sources in the README).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuleConfig {
    /// Soreness (0–10) from which a morning counts as sore: no hard session, easy at most.
    pub sore: f64,
    /// Soreness from which the only advice is rest.
    pub very_sore: f64,
    /// Soreness still at or above `sore` this many hours after a hard session, and not
    /// easing, is soreness past 72 h.
    pub sore_past_h: f64,
    /// DOMS from one hard session is looked for up to this many days after it.
    pub doms_days: i64,
    /// Sleep under this many hours is short.
    pub sleep_h: f64,
    /// After a hard day, sleep under this many hours is short.
    pub sleep_after_hard_h: f64,
    /// Resting HR counts as elevated only above its baseline mean by at least this many
    /// bpm (the floor under `rhr_sd` × SD, so a very steady athlete's wobble is not a signal).
    pub rhr_rise: f64,
    /// Resting HR above its baseline mean by this many SDs is elevated.
    pub rhr_sd: f64,
    /// Days before the morning the resting-HR baseline reaches back.
    pub rhr_baseline_days: i64,
    /// Readings the resting-HR baseline needs.
    pub rhr_min_readings: usize,
    /// Days the HRV normal band reaches back (this morning included).
    pub hrv_baseline_days: i64,
    /// Days in the rolling HRV mean compared with the band.
    pub hrv_mean_days: i64,
    /// Readings the band needs in `hrv_baseline_days`.
    pub hrv_min_readings: usize,
    /// Readings the rolling mean needs in `hrv_mean_days`.
    pub hrv_min_recent: usize,
    /// The band's low edge: baseline mean minus this many SDs of the daily ln values.
    pub hrv_band_low_sd: f64,
    /// The band's high edge: baseline mean plus this many SDs.
    pub hrv_band_high_sd: f64,
    /// Hours of sleep needed a night (more after a hard day: `sleep_after_hard_h − sleep_h`).
    pub sleep_need_h: f64,
    /// Nights the sleep debt sums over.
    pub sleep_debt_nights: i64,
    /// Sleep debt over this many hours means easy at most.
    pub sleep_debt_h: f64,
    /// Days in a row with sessions after which a rest day is due.
    pub streak_days: usize,
    /// Weekly hours may exceed the baseline by this share.
    pub volume_jump: f64,
    /// Weeks (and baselines) under this many hours are not judged for volume.
    pub volume_min_h: f64,
    /// Weeks averaged into the volume baseline.
    pub volume_baseline_weeks: usize,
    /// Hours from one hard session to the next.
    pub hard_gap_h: f64,
    /// Longest active-recovery session, minutes.
    pub recovery_max_min: f64,
    /// Days in a row with under `layoff_active_min` minutes of training that make a layoff.
    pub layoff_days: i64,
    /// A day with less training than this (minutes: a short walk or commute) does not end a
    /// layoff.
    pub layoff_active_min: f64,
    /// The first week back holds this share of the usual weekly hours.
    pub return_share: f64,
    /// Sessions back from a layoff that are easy at most.
    pub return_easy_sessions: u32,
}

impl Default for RuleConfig {
    fn default() -> Self {
        RuleConfig {
            sore: 4.0,
            very_sore: 7.0,
            sore_past_h: 72.0,
            doms_days: 7,
            sleep_h: 7.0,
            sleep_after_hard_h: 8.0,
            rhr_rise: 3.0,
            rhr_sd: 1.0,
            rhr_baseline_days: 60,
            rhr_min_readings: 30,
            hrv_baseline_days: 60,
            hrv_mean_days: 7,
            hrv_min_readings: 14,
            hrv_min_recent: 3,
            hrv_band_low_sd: 0.5,
            hrv_band_high_sd: 0.5,
            sleep_need_h: 7.5,
            sleep_debt_nights: 7,
            sleep_debt_h: 5.0,
            streak_days: 6,
            volume_jump: 0.10,
            volume_min_h: 2.0,
            volume_baseline_weeks: 4,
            hard_gap_h: 48.0,
            recovery_max_min: 45.0,
            layoff_days: 14,
            layoff_active_min: 15.0,
            return_share: 0.5,
            return_easy_sessions: 3,
        }
    }
}

/// What every rule looks at: the days (one per local date, contiguous), the classified
/// sessions the days point into, the weeks, and the settings.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub days: &'a [Day],
    pub sessions: &'a [Classified],
    pub weeks: &'a [Week],
    pub thresholds: &'a Thresholds,
    pub cfg: &'a RuleConfig,
    pub band: Band,
}

impl<'a> Ctx<'a> {
    /// The day on `date`, if the data covers it.
    pub fn day(&self, date: NaiveDate) -> Option<&'a Day> {
        let first = self.days.first()?.date;
        usize::try_from((date - first).num_days())
            .ok()
            .and_then(|i| self.days.get(i))
            .filter(|d| d.date == date)
    }

    /// The day `n` days before `date` (negative: after).
    pub fn before(&self, date: NaiveDate, n: i64) -> Option<&'a Day> {
        self.day(date - Duration::days(n))
    }

    /// Was `date` a hard day?
    pub fn is_hard(&self, date: NaiveDate) -> bool {
        self.day(date).is_some_and(Day::is_hard)
    }

    /// The last hard day strictly before `date`, looking back at most `max_days`.
    pub fn last_hard_before(&self, date: NaiveDate, max_days: i64) -> Option<&'a Day> {
        (1..=max_days).find_map(|k| self.before(date, k).filter(|d| d.is_hard()))
    }

    /// Minutes above the band in the day's hard sessions.
    pub fn hard_minutes(&self, day: &Day) -> f64 {
        day.sessions
            .iter()
            .map(|&i| &self.sessions[i].verdict)
            .filter(|v| v.class == Class::Hard)
            .map(|v| v.above_min)
            .sum()
    }

    /// `file#index` of the day's first hard session.
    pub fn first_hard_id(&self, day: &Day) -> Option<String> {
        day.sessions
            .iter()
            .find(|&&i| self.sessions[i].verdict.class == Class::Hard)
            .map(|&i| session_id(&self.sessions[i]))
    }
}

/// The readiness figures of every day, each with the readiness rules (HRV, resting HR,
/// sleep debt) that lowered that morning's advice.
pub fn readiness(ctx: &Ctx) -> Vec<crate::readiness::DayReadiness> {
    let mut out = crate::readiness::by_day(ctx.days, hrv::METRIC, ctx.cfg);
    for r in &mut out {
        let mut f = Forward::default();
        hrv::allows(ctx, r.date, &mut f);
        resting_hr::allows(ctx, r.date, &mut f);
        sleep_debt::allows(ctx, r.date, &mut f);
        r.lowered_by = f.reasons.iter().map(|x| x.rule).collect();
    }
    out
}

/// Session id used in findings: `file#index`.
pub fn session_id(c: &Classified) -> String {
    format!("{}#{}", c.session.file, c.session.index)
}

/// Rounds to one decimal for the JSON values.
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builds a [`Ctx`] from fixture sessions and journal rows for the rule tests.
    use super::*;
    use crate::days::fixtures::build_days;
    use crate::days::weeks;
    use crate::journal::Journal;
    use crate::session::Session;

    pub struct World {
        pub classified: Vec<Classified>,
        pub days: Vec<Day>,
        pub weeks: Vec<Week>,
        pub thresholds: Thresholds,
        pub cfg: RuleConfig,
    }

    impl World {
        pub fn new(sessions: Vec<Session>, journal: Option<&Journal>) -> World {
            let (classified, days) = build_days(sessions, journal);
            let weeks = weeks(&days);
            World {
                classified,
                days,
                weeks,
                thresholds: Thresholds::default(),
                cfg: RuleConfig::default(),
            }
        }

        pub fn ctx(&self) -> Ctx<'_> {
            Ctx {
                days: &self.days,
                sessions: &self.classified,
                weeks: &self.weeks,
                thresholds: &self.thresholds,
                cfg: &self.cfg,
                band: Band::default(),
            }
        }
    }
}
