//! The stages after ingest, wired in order: classify → load → days (with the journal) →
//! audit → analysis. Pure: sessions, journal and settings in, an [`Outcome`] out.

use crate::analysis::{self, Analysis};
use crate::audit::{self, Finding, MeantEasy};
use crate::config::Settings;
use crate::days::{self, Classified, Day};
use crate::ingest::wellness::Wellness;
use crate::journal::Journal;
use crate::load::{self, Athlete, Week};
use crate::session::Session;

/// Everything the reports show.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub classified: Vec<Classified>,
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

/// Runs the stages after ingest.
pub fn analyze(
    sessions: Vec<Session>,
    journal: Option<&Journal>,
    watch: Option<&Wellness>,
    s: &Settings,
) -> Outcome {
    let max = load::hr_max(s.hr_max, &sessions, s.hr_rest);
    let (hr_max, hr_max_source) = (max.bpm, max.describe());
    let athlete = Athlete {
        hr_max,
        hr_rest: s.hr_rest,
        sex: s.sex,
    };
    let classified = days::classify_all(sessions, s.band, &s.thresholds, &athlete);
    let days = days::build(&classified, journal, watch, &s.thresholds);
    let weeks = days::weeks(&days);
    let findings = audit::audit(&days, &weeks, &classified, &s.thresholds, &s.audit);
    let analysis = analysis::analyse(&days, s.audit.sore_persist);
    let meant_easy = (0..classified.len())
        .filter_map(|i| audit::meant_easy(&days, &classified, i).map(|m| (i, m)))
        .collect();
    Outcome {
        classified,
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
