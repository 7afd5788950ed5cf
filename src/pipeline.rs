//! The stages after ingest, wired in order: classify → load → days (with the journal) →
//! audit → analysis. Pure: sessions, journal and settings in, an [`Outcome`] out.

use crate::analysis::{self, Analysis};
use crate::config::Settings;
use crate::days::{self, Classified, Day};
use crate::ingest::exports::Wellness;
use crate::journal::Journal;
use crate::load::{self, Athlete, Week};
use crate::rules::{self, Ctx, Finding, MeantEasy};
use crate::session::{HrHistogram, Session};

/// Everything the reports show.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The dated sessions: everything below rests on them.
    pub classified: Vec<Classified>,
    /// Sessions without a trustworthy date (`Session::undated`): listed in the sessions
    /// table, left out of the days, the audit, `today` and the charts.
    pub undated: Vec<Classified>,
    pub days: Vec<Day>,
    pub weeks: Vec<Week>,
    pub findings: Vec<Finding>,
    pub analysis: Analysis,
    /// Sessions meant to be easy (index into `classified`) and why.
    pub meant_easy: Vec<(usize, MeantEasy)>,
    /// HRmax used for TRIMP, and where it came from.
    pub hr_max: f64,
    pub hr_max_source: String,
}

impl Outcome {
    /// The athlete's soreness curve after hard days, as the plan uses it.
    pub fn curve(&self) -> rules::plan::Curve {
        let c = &self.analysis.curve;
        rules::plan::Curve {
            mean: c.points.iter().map(|p| p.mean).collect(),
            // Hard days with soreness logged the morning after.
            hard_days: c.points.get(1).map_or(0, |p| p.n),
        }
    }

    /// What the rule book looks at, for `today` (and `plan`).
    pub fn ctx<'a>(&'a self, s: &'a Settings) -> Ctx<'a> {
        Ctx {
            days: &self.days,
            sessions: &self.classified,
            weeks: &self.weeks,
            thresholds: &s.thresholds,
            cfg: &s.rules,
            band: s.band,
        }
    }
}

/// HRmax when nothing is configured and there is no heart rate at all.
const FALLBACK_HR_MAX: f64 = 190.0;

/// Runs the stages after ingest.
pub fn run(
    sessions: Vec<Session>,
    journal: Option<&Journal>,
    watch: Option<&Wellness>,
    s: &Settings,
) -> Outcome {
    // The one place undated sessions leave the pipeline.
    let (sessions, undated): (Vec<Session>, Vec<Session>) =
        sessions.into_iter().partition(|x| x.undated.is_none());
    let (hr_max, hr_max_source) = match s.hr_max {
        Some(m) => (m, "configured".to_string()),
        None => {
            let mut all = HrHistogram::default();
            for x in &sessions {
                all.merge(&x.hr);
            }
            match load::estimate_hr_max(&all) {
                Some(m) if m > s.hr_rest + 20.0 => (
                    m,
                    format!(
                        "estimated: the {:.1}th percentile of all heart-rate time",
                        load::HR_MAX_PERCENTILE * 100.0
                    ),
                ),
                _ => (
                    FALLBACK_HR_MAX,
                    "a default (too little heart rate to estimate)".into(),
                ),
            }
        }
    };
    let athlete = Athlete {
        hr_max,
        hr_rest: s.hr_rest,
        sex: s.sex,
    };
    let classified = days::classify_all(sessions, s.band, &s.thresholds, &athlete);
    let undated = days::classify_all(undated, s.band, &s.thresholds, &athlete);
    let days = days::build(&classified, journal, watch);
    let weeks = days::weeks(&days);
    let findings = rules::audit(&Ctx {
        days: &days,
        sessions: &classified,
        weeks: &weeks,
        thresholds: &s.thresholds,
        cfg: &s.rules,
        band: s.band,
    });
    let analysis = analysis::analyse(&days, s.rules.sore);
    let meant_easy = (0..classified.len())
        .filter_map(|i| rules::meant_easy(&days, &classified, i).map(|m| (i, m)))
        .collect();
    Outcome {
        classified,
        undated,
        days,
        weeks,
        findings,
        analysis,
        meant_easy,
        hr_max,
        hr_max_source,
    }
}
