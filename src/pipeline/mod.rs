//! One athlete, from inputs to one [`Outcome`]: read the activities and the journal
//! ([`read`]), then the stages after ingest, wired in order: classify → load → days (with
//! the journal) → audit → readiness → analysis → today's answer and the plan. Every report,
//! command and team row only reads the outcome; nothing is computed twice.

use anyhow::Result;
use chrono::NaiveDate;

use crate::analysis::{self, Analysis};
use crate::classify::{self, Classified};
use crate::config::Settings;
use crate::days::{self, Day};
use crate::ingest::exports::Wellness;
use crate::journal::Journal;
use crate::load::{self, HeartProfile, Sex, Week};
use crate::rules::plan::Plan;
use crate::rules::{self, Answer, Ctx, Finding, MeantEasy};
use crate::session::Session;
use crate::zones::Band;

mod read;

pub use read::{read_inputs, read_journal, Inputs, InputsRead, JournalIn};

/// Everything the reports show.
#[derive(Debug)]
pub struct Outcome {
    /// What was read (empty when the stages were given sessions directly).
    pub inputs: InputsRead,
    /// The dated sessions: everything below rests on them.
    pub classified: Vec<Classified>,
    /// Sessions without a trustworthy date (`Session::undated`): listed in the sessions
    /// table, left out of the days, the audit, `today` and the charts.
    pub undated: Vec<Classified>,
    pub days: Vec<Day>,
    pub weeks: Vec<Week>,
    pub findings: Vec<Finding>,
    /// Each day's HRV band, resting-HR baseline, sleep debt, and the readiness rules that
    /// lowered its advice.
    pub readiness: Vec<crate::readiness::DayReadiness>,
    pub analysis: Analysis,
    /// Sessions meant to be easy (index into `classified`) and why.
    pub meant_easy: Vec<(usize, MeantEasy)>,
    /// HRmax used for TRIMP, and where it came from.
    pub hr_max: f64,
    pub hr_max_source: String,
    /// HRmax was estimated (or a default), not set by the athlete: say how to set it.
    pub hr_max_estimated: bool,
    /// HRrest used for TRIMP (and `band = "auto"`), and where it came from.
    pub hr_rest: f64,
    pub hr_rest_source: String,
    /// HRrest is the default: nothing configured and no resting HR logged.
    pub hr_rest_default: bool,
    /// TRIMP's weighting, and whether the athlete set it.
    pub sex: Sex,
    pub sex_configured: bool,
    /// The band the sessions were judged by, and how it was chosen (`band = "auto"` is
    /// resolved here, from the HRmax and HRrest above).
    pub band: Band,
    pub band_source: String,
    /// `band = "auto"` could not be resolved (no heart rate to estimate HRmax from): the
    /// commands refuse it as a usage error.
    pub band_error: Option<String>,
    /// How sessions without heart rate were given a load.
    pub load_estimate: load::LoadEstimate,
    /// The date `today` answers and the plan starts: the settings' date (this morning, for
    /// the `today` and `plan` commands), else the day after the data; none without data.
    pub answer_date: Option<NaiveDate>,
    /// `today`'s answer for [`Outcome::answer_date`], computed once for every reader.
    pub today: Option<Answer>,
    /// The plan from [`Outcome::answer_date`] over the settings' days (its day one is
    /// `today`'s answer).
    pub plan: Option<Plan>,
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

    /// Lines for `today` and `plan` naming every default the loads rest on: HRmax not set,
    /// HRrest neither set nor logged, the TRIMP weighting by sex not set.
    pub fn profile_notes(&self) -> Vec<String> {
        let mut out: Vec<String> = self.hr_max_note().into_iter().collect();
        if self.hr_rest_default {
            out.push(format!(
                "no resting heart rate set or logged: HRrest {:.0} bpm is a default; log resting_hr in the journal, or set hr_rest in recovery.toml or --hr-rest",
                self.hr_rest
            ));
        }
        if !self.sex_configured {
            out.push(
                "no sex set: loads use Banister's male weighting (0.64·e^1.92x) by default; set sex = \"female\" in recovery.toml or --sex female for the female one (0.86·e^1.67x)".into(),
            );
        }
        out
    }

    /// The load line of the summary: HRmax, HRrest and the weighting, each with its source.
    pub fn load_line(&self) -> String {
        let weighting = match self.sex {
            Sex::Male => "male weighting 0.64·e^1.92x",
            Sex::Female => "female weighting 0.86·e^1.67x",
        };
        format!(
            "Load is Banister TRIMP with HRmax {:.0} bpm ({}), HRrest {:.0} bpm ({}) and the {weighting} ({}).",
            self.hr_max,
            self.hr_max_source,
            self.hr_rest,
            self.hr_rest_source,
            if self.sex_configured {
                "configured"
            } else {
                "the default: set sex in recovery.toml or --sex"
            }
        )
    }

    /// Where the band's top sits in the athlete's heart-rate reserve, when that is outside
    /// 60–80 %: one line for `analyze`, with the flag to try. `None` when it fits, or when
    /// the band was already scaled to the athlete.
    pub fn band_fit_note(&self) -> Option<String> {
        let reserve = self.hr_max - self.hr_rest;
        if reserve <= 0.0 || self.hr_max_source.starts_with("a default") {
            return None;
        }
        let share = (f64::from(self.band.high) - self.hr_rest) / reserve;
        if (0.6..=0.8).contains(&share) || self.band_source.starts_with("auto") {
            return None;
        }
        let scaled = crate::classify::band_from_reserve(self.hr_max, self.hr_rest);
        Some(format!(
            "the band's top of {} bpm is {:.0} % of your heart-rate reserve (HRmax {:.0}, HRrest {:.0}), {} the 60–80 % it is meant to sit in; `--band auto` (or band = \"auto\" in recovery.toml) scales the band to you: {scaled}",
            self.band.high,
            share * 100.0,
            self.hr_max,
            self.hr_rest,
            if share < 0.6 { "under" } else { "over" }
        ))
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
            band: self.band,
        }
    }
}

/// One athlete's run: reads the inputs and the journal, then runs the stages. Lines for
/// the user are pushed onto `say` in order (also when it fails: the warnings before).
pub fn run(inputs: &Inputs, s: &Settings, say: &mut Vec<String>) -> Result<Outcome> {
    let mut report = read_inputs(inputs, s, say)?;
    // With the watch's sleep, a journal of soreness alone is enough.
    let require_sleep = report.wellness.nights.is_empty();
    let (journal, journal_line, journal_problems) =
        read_journal(&inputs.journal, require_sleep, say);
    let problems = report.has_problems() || journal_problems;
    let ingest_line = report.summary_line();
    let sessions = std::mem::take(&mut report.sessions);
    let mut outcome = analyse(sessions, journal.as_ref(), Some(&report.wellness), s);
    if let Some(e) = &outcome.band_error {
        return Err(crate::config::ConfigError::BandAuto(e.clone()).into());
    }
    outcome.inputs = InputsRead {
        report,
        journal,
        journal_line,
        ingest_line,
        problems,
    };
    Ok(outcome)
}

/// Runs the stages after ingest: sessions, journal, the watch's own days and settings in.
pub fn analyse(
    sessions: Vec<Session>,
    journal: Option<&Journal>,
    watch: Option<&Wellness>,
    s: &Settings,
) -> Outcome {
    // The one place undated sessions leave the pipeline.
    let (sessions, undated): (Vec<Session>, Vec<Session>) =
        sessions.into_iter().partition(|x| x.undated.is_none());
    let mornings = resting_mornings(journal, watch);
    let (hr_rest, hr_rest_source, hr_rest_default) =
        match (s.hr_rest, load::measured_hr_rest(&mornings)) {
            (Some(v), _) => (v, "configured".to_string(), false),
            (None, Some((v, n, first, last))) => (
                v,
                format!(
                "the median resting HR of the last {} days of data: {n} mornings, {first} – {last}",
                load::HR_REST_DAYS
            ),
                false,
            ),
            (None, None) => (
                load::DEFAULT_HR_REST,
                "a default: no resting heart rate set or logged".to_string(),
                true,
            ),
        };
    let max = load::hr_max(s.hr_max, &sessions, hr_rest);
    let (hr_max, hr_max_source) = (max.bpm, max.describe());
    let (band, band_source, band_error) = if s.band_auto {
        if max.source == load::HrMaxSource::Default {
            (
                s.band,
                s.band_source.clone(),
                Some("--band auto needs heart rate to estimate HRmax from, and no session has any; set hr_max (and hr_rest) in recovery.toml or --hr-max, or give the band as LOW-HIGH".to_string()),
            )
        } else {
            let b = crate::classify::band_from_reserve(hr_max, hr_rest);
            (
                b,
                format!("auto: 120–140 bpm scaled to your heart-rate reserve (Karvonen) from HRmax {hr_max:.0} and HRrest {hr_rest:.0}"),
                None,
            )
        }
    } else {
        (s.band, s.band_source.clone(), None)
    };
    let athlete = HeartProfile {
        hr_max,
        hr_rest,
        sex: s.sex,
    };
    let mut classified = classify::classify_all(sessions, band, &s.thresholds, &athlete);
    let load_estimate = estimate_loads(&mut classified, journal);
    let undated = classify::classify_all(undated, band, &s.thresholds, &athlete);
    let days = days::build(&classified, journal, watch, band, &s.thresholds);
    let weeks = days::weeks(&days);
    let ctx = Ctx {
        days: &days,
        sessions: &classified,
        weeks: &weeks,
        thresholds: &s.thresholds,
        cfg: &s.rules,
        band,
    };
    let findings = rules::audit(&ctx);
    let readiness = rules::readiness(&ctx);
    let hrv_vs_baseline = readiness
        .iter()
        .filter_map(|r| Some((r.date, (r.hrv_ln_7d? - r.hrv_baseline?) * 100.0)))
        .collect();
    let analysis = analysis::analyse_with(&days, s.rules.sore, &hrv_vs_baseline);
    let meant_easy = (0..classified.len())
        .filter_map(|i| rules::meant_easy(&days, &classified, i).map(|m| (i, m)))
        .collect();
    let mut o = Outcome {
        inputs: InputsRead::default(),
        classified,
        undated,
        days,
        weeks,
        findings,
        readiness,
        analysis,
        meant_easy,
        hr_max,
        hr_max_source,
        hr_max_estimated: max.is_estimated(),
        hr_rest,
        hr_rest_source,
        hr_rest_default,
        sex: s.sex,
        sex_configured: s.sex_configured,
        band,
        band_source,
        band_error,
        load_estimate,
        answer_date: None,
        today: None,
        plan: None,
    };
    o.answer_date = s.answer_date.or_else(|| rules::default_date(&o.days));
    if let Some(date) = o.answer_date {
        let ctx = o.ctx(s);
        let today = rules::today(&ctx, date);
        let plan = rules::plan::plan(&ctx, date, s.plan_days, Some(&o.curve()));
        (o.today, o.plan) = (Some(today), Some(plan));
    }
    o
}

/// Gives sessions without usable heart rate a load (session RPE, else the sport's rate):
/// a swim or a strength session is never zero load. RPE comes from the file or the
/// export's list, else from the journal's `rpe` for that day.
fn estimate_loads(classified: &mut [Classified], journal: Option<&Journal>) -> load::LoadEstimate {
    let day_rpe: std::collections::BTreeMap<chrono::NaiveDate, f64> = journal
        .map(|j| {
            j.entries
                .iter()
                .filter_map(|e| e.rpe.map(|r| (e.date, r)))
                .collect()
        })
        .unwrap_or_default();
    let inputs: Vec<load::LoadInput> = classified
        .iter()
        .map(|c| load::LoadInput {
            sport: c.session.sport.clone(),
            minutes: c.session.timer_s / 60.0,
            trimp: c.trimp,
            has_hr: c.verdict.class != crate::classify::Class::Unknown,
            rpe: c
                .session
                .rpe
                .or_else(|| day_rpe.get(&c.session.local_date).copied()),
        })
        .collect();
    let (loads, estimate) = load::estimate_loads(&inputs);
    for (c, (load, source)) in classified.iter_mut().zip(loads) {
        c.trimp = load;
        c.load_source = source;
    }
    estimate
}

/// Every morning's resting heart rate, the journal's winning over the watch's.
fn resting_mornings(
    journal: Option<&Journal>,
    watch: Option<&Wellness>,
) -> Vec<(chrono::NaiveDate, f64)> {
    let mut by_date: std::collections::BTreeMap<chrono::NaiveDate, f64> = watch
        .map(|w| w.resting_hr.iter().map(|d| (d.date, d.value)).collect())
        .unwrap_or_default();
    for e in journal.map(|j| j.entries.as_slice()).unwrap_or_default() {
        if let Some(v) = e.resting_hr {
            by_date.insert(e.date, v);
        }
    }
    by_date.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{self, Overrides};
    use crate::days::fixtures::{self, hard, journal, session};

    #[test]
    fn a_swim_without_heart_rate_takes_its_load_from_the_journals_rpe_never_zero() {
        let s = config::settings(&Overrides::default()).expect("default settings");
        // Three runs with heart rate and RPE scale session RPE; a swim with none.
        let mut sessions: Vec<Session> = ["2026-03-02", "2026-03-04", "2026-03-06"]
            .iter()
            .map(|d| {
                let mut x = hard(d);
                x.rpe = Some(7.0);
                x
            })
            .collect();
        let mut swim = session("2026-03-08", 40.0, 0.0, None);
        swim.sport = "swimming".into();
        swim.hr = Default::default();
        sessions.push(swim.clone());
        let mut e = fixtures::entry("2026-03-08", 1.0, 8.0, None);
        e.rpe = Some(5.0);
        let o = analyse(sessions.clone(), Some(&journal(vec![e])), None, &s);
        let swim_out = o.classified.last().unwrap();
        assert_eq!(swim_out.load_source, load::LoadSource::SessionRpe);
        // The runs' TRIMP per RPE·min × 5 × 40.
        let run0 = &o.classified[0];
        let k = run0.trimp / (7.0 * 60.0);
        assert!(
            (swim_out.trimp - k * 5.0 * 40.0).abs() < 1e-6,
            "{}",
            swim_out.trimp
        );
        assert_eq!(o.load_estimate.by_rpe, 1);

        // Without any RPE: the sport's default rate, never zero.
        let plain: Vec<Session> = vec![hard("2026-03-02"), swim];
        let o = analyse(plain, None, None, &s);
        let swim_out = o.classified.last().unwrap();
        assert_eq!(swim_out.load_source, load::LoadSource::SportDefault);
        assert!(
            (swim_out.trimp - 0.9 * 40.0).abs() < 1e-9,
            "{}",
            swim_out.trimp
        );
        let day = o.days.last().unwrap();
        assert!(day.load.load > 0.0);
    }
}
