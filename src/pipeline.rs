//! The stages after ingest, wired in order: classify → load → days (with the journal) →
//! audit → analysis. Pure: sessions, journal and settings in, an [`Outcome`] out.

use crate::analysis::{self, Analysis};
use crate::config::Settings;
use crate::days::{self, Classified, Day};
use crate::ingest::exports::Wellness;
use crate::journal::Journal;
use crate::load::{self, Athlete, Week};
use crate::rules::{self, Ctx, Finding, MeantEasy};
use crate::session::Session;

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
    /// HRmax was estimated (or a default), not set by the athlete: say how to set it.
    pub hr_max_estimated: bool,
}

impl Outcome {
    /// A line for `today` and `plan` when HRmax was not set: loads (and so the volume
    /// and load figures behind the advice) rest on an estimate.
    pub fn hr_max_note(&self) -> Option<String> {
        self.hr_max_estimated.then(|| {
            format!(
                "no HRmax set: {:.0} bpm is {}; set yours with hr_max in recovery.toml or --hr-max",
                self.hr_max, self.hr_max_source
            )
        })
    }

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
    let max = load::hr_max(s.hr_max, &sessions, s.hr_rest);
    let (hr_max, hr_max_source) = (max.bpm, max.describe());
    let athlete = Athlete {
        hr_max,
        hr_rest: s.hr_rest,
        sex: s.sex,
    };
    let classified = days::classify_all(sessions, s.band, &s.thresholds, &athlete);
    let undated = days::classify_all(undated, s.band, &s.thresholds, &athlete);
    let days = days::build(&classified, journal, watch, &s.thresholds);
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
        hr_max_estimated: max.is_estimated(),
    }
}
