//! Training load: Banister TRIMP per session; per day the Performance Management Chart's
//! acute and chronic load (impulse-response form), form, and the uncoupled acute:chronic
//! ratio; per week volume, load, Foster monotony and strain; HRmax from the sessions' own
//! maxima.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::session::{HrHistogram, Session};

/// Banister's weighting by sex (the exponential that keeps hard minutes from counting
/// like easy ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 0.64·e^(1.92·x)
    #[default]
    Male,
    /// 0.86·e^(1.67·x)
    Female,
}

/// What TRIMP needs about the athlete.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeartProfile {
    pub hr_max: f64,
    pub hr_rest: f64,
    pub sex: Sex,
}

/// Default resting heart rate when none is configured and none is logged.
pub const DEFAULT_HR_REST: f64 = 60.0;
/// Days back from the newest morning whose resting heart rates make the measured HRrest.
pub const HR_REST_DAYS: i64 = 28;
/// Mornings with a resting heart rate needed in those days to measure HRrest.
pub const HR_REST_MIN_MORNINGS: usize = 3;

/// The athlete's HRrest measured from the mornings' resting heart rates (date, bpm, in
/// any order): the median of the last [`HR_REST_DAYS`] days ending at the newest morning.
/// Gives (bpm, mornings used, first, last); `None` under [`HR_REST_MIN_MORNINGS`].
pub fn measured_hr_rest(
    mornings: &[(NaiveDate, f64)],
) -> Option<(f64, usize, NaiveDate, NaiveDate)> {
    let newest = mornings.iter().map(|m| m.0).max()?;
    let from = newest - Duration::days(HR_REST_DAYS - 1);
    let mut recent: Vec<(NaiveDate, f64)> = mornings
        .iter()
        .copied()
        .filter(|(d, v)| *d >= from && v.is_finite())
        .collect();
    if recent.len() < HR_REST_MIN_MORNINGS {
        return None;
    }
    recent.sort_by_key(|m| m.0);
    let mut v: Vec<f64> = recent.iter().map(|m| m.1).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    Some((median, n, recent[0].0, recent[n - 1].0))
}
/// A session's peak must be held this long (at or above it, in total) to count: one
/// record's spike is not a maximum.
pub const HR_PEAK_HOLD_S: u64 = 5;
/// HRmax when nothing is configured and too little heart rate is recorded to estimate it.
pub const FALLBACK_HR_MAX: f64 = 190.0;

/// Where the HRmax used for TRIMP came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HrMaxSource {
    /// `hr_max` in the settings file or `--hr-max`.
    Configured,
    /// Estimated from the sessions' peaks (see [`estimate_hr_max`]); `sessions` had a peak.
    Estimated { sessions: usize },
    /// [`FALLBACK_HR_MAX`]: fewer than two sessions with a peak.
    Default,
}

/// The HRmax used for TRIMP and where it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HrMax {
    pub bpm: f64,
    pub source: HrMaxSource,
}

impl HrMax {
    /// True unless the athlete set it: the summary and `today` then say how to set it.
    pub fn is_estimated(&self) -> bool {
        self.source != HrMaxSource::Configured
    }

    /// Where it came from, in words.
    pub fn describe(&self) -> String {
        match self.source {
            HrMaxSource::Configured => "configured".into(),
            HrMaxSource::Estimated { sessions } => format!(
                "estimated: the highest heart rate held at least {HR_PEAK_HOLD_S} s in at least two of {sessions} sessions"
            ),
            HrMaxSource::Default => {
                "a default: too few sessions with heart rate to estimate it".into()
            }
        }
    }
}

/// The highest heart rate a session held: the highest bpm with at least
/// [`HR_PEAK_HOLD_S`] seconds at or above it.
pub fn session_peak(hr: &HrHistogram) -> Option<u8> {
    let mut held = 0u64;
    let bpms: Vec<(u8, u32)> = hr.iter().collect();
    for &(bpm, s) in bpms.iter().rev() {
        held += u64::from(s);
        if held >= HR_PEAK_HOLD_S {
            return Some(bpm);
        }
    }
    None
}

/// HRmax estimated from session peaks: the highest value reached by at least two sessions
/// (the second-highest peak), so one session's strap spike cannot set it. Adding files can
/// only raise it, and only when a new session comes near the top: past loads do not drift
/// with every file the way a percentile of all heart-rate time does. `None` with fewer than
/// two peaks.
pub fn estimate_hr_max(peaks: impl IntoIterator<Item = u8>) -> Option<f64> {
    let mut p: Vec<u8> = peaks.into_iter().collect();
    p.sort_unstable_by(|a, b| b.cmp(a));
    p.get(1).map(|&b| f64::from(b))
}

/// The HRmax to use: the configured one, else the estimate when it lies over 20 bpm above
/// rest, else [`FALLBACK_HR_MAX`].
pub fn hr_max(configured: Option<f64>, sessions: &[Session], hr_rest: f64) -> HrMax {
    if let Some(bpm) = configured {
        return HrMax {
            bpm,
            source: HrMaxSource::Configured,
        };
    }
    let peaks: Vec<u8> = sessions
        .iter()
        .filter_map(|s| session_peak(&s.hr))
        .collect();
    match estimate_hr_max(peaks.iter().copied()) {
        Some(bpm) if bpm > hr_rest + 20.0 => HrMax {
            bpm,
            source: HrMaxSource::Estimated {
                sessions: peaks.len(),
            },
        },
        _ => HrMax {
            bpm: FALLBACK_HR_MAX,
            source: HrMaxSource::Default,
        },
    }
}

/// Banister TRIMP summed per bpm of the histogram (so per sample, not from the average):
/// minutes × x × a·e^(b·x), x = heart-rate reserve fraction clamped to 0–1.
pub fn trimp(hr: &HrHistogram, a: &HeartProfile) -> f64 {
    let (k, b) = match a.sex {
        Sex::Male => (0.64, 1.92),
        Sex::Female => (0.86, 1.67),
    };
    let reserve = a.hr_max - a.hr_rest;
    if reserve <= 0.0 {
        return 0.0;
    }
    hr.iter()
        .map(|(bpm, s)| {
            let x = ((bpm as f64 - a.hr_rest) / reserve).clamp(0.0, 1.0);
            s as f64 / 60.0 * x * k * (b * x).exp()
        })
        .sum()
}

/// Where a session's load came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadSource {
    /// Banister TRIMP from its heart rate.
    #[default]
    HeartRate,
    /// Foster's session RPE (RPE × minutes), scaled to TRIMP through the athlete's own
    /// sessions that have both.
    SessionRpe,
    /// No heart rate and no usable RPE: minutes × a TRIMP-per-minute rate for the sport
    /// (the athlete's own, else [`SPORT_TRIMP_PER_MIN`]).
    SportDefault,
}

impl LoadSource {
    pub fn as_str(self) -> &'static str {
        match self {
            LoadSource::HeartRate => "heart_rate",
            LoadSource::SessionRpe => "session_rpe",
            LoadSource::SportDefault => "sport_default",
        }
    }
}

/// TRIMP per minute for a session without heart rate or RPE, by sport, when the athlete
/// has no session of that sport with heart rate: about an easy effort's rate (an hour at
/// 55–65 % of heart-rate reserve is 40–60 TRIMP), lower for the sports whose heart rate
/// stays low. Any other sport: [`OTHER_TRIMP_PER_MIN`].
pub const SPORT_TRIMP_PER_MIN: &[(&str, f64)] = &[
    ("walking", 0.4),
    ("yoga", 0.3),
    ("strength_training", 0.6),
    ("training", 0.6),
    ("swimming", 0.9),
    ("running", 1.0),
    ("cycling", 0.9),
];
/// TRIMP per minute for a sport not in [`SPORT_TRIMP_PER_MIN`].
pub const OTHER_TRIMP_PER_MIN: f64 = 0.8;
/// Sessions with both heart rate and RPE needed to scale session RPE to TRIMP.
pub const SRPE_MIN_SESSIONS: usize = 3;

/// One session as the load estimate sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadInput {
    pub sport: String,
    pub minutes: f64,
    /// TRIMP from heart rate (0 without any).
    pub trimp: f64,
    /// Its heart rate covers the session well enough to classify it.
    pub has_hr: bool,
    /// Perceived effort 0–10, from the file, the export's list or the journal.
    pub rpe: Option<f64>,
}

/// How sessions without heart rate were given a load, for the summary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadEstimate {
    /// TRIMP per RPE·minute, the median over the athlete's sessions with both, and how many.
    pub srpe_scale: Option<(f64, usize)>,
    /// Sessions given a load by session RPE and by the sport default.
    pub by_rpe: usize,
    pub by_default: usize,
}

impl LoadEstimate {
    /// One sentence, or `None` when every session had heart rate.
    pub fn describe(&self) -> Option<String> {
        if self.by_rpe + self.by_default == 0 {
            return None;
        }
        let scale = match self.srpe_scale {
            Some((k, n)) => format!(
                "session RPE × minutes × {k:.3} TRIMP (your median over {n} sessions with both heart rate and RPE)"
            ),
            None => format!(
                "session RPE could not be scaled (fewer than {SRPE_MIN_SESSIONS} sessions with both heart rate and RPE)"
            ),
        };
        Some(format!(
            "{} sessions without heart rate were given a load: {} by {scale}, {} by minutes × the TRIMP per minute of your own sessions of that sport with heart rate, else a stated default per sport",
            self.by_rpe + self.by_default,
            self.by_rpe,
            self.by_default
        ))
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Loads for sessions whose heart rate cannot give one (`has_hr` false): session RPE scaled
/// to TRIMP through the athlete's own sessions with both (Foster's RPE × minutes; needs
/// [`SRPE_MIN_SESSIONS`]), else minutes × the TRIMP per minute of the athlete's own sessions
/// of that sport with heart rate, else of [`SPORT_TRIMP_PER_MIN`]. Never zero for a session
/// with minutes; never lower than the TRIMP its partial heart rate gave. Sessions with heart
/// rate keep their TRIMP. Returns each session's load and source, and the summary.
pub fn estimate_loads(sessions: &[LoadInput]) -> (Vec<(f64, LoadSource)>, LoadEstimate) {
    let both: Vec<f64> = sessions
        .iter()
        .filter(|s| s.has_hr && s.trimp > 0.0 && s.minutes > 0.0)
        .filter_map(|s| {
            s.rpe
                .filter(|r| *r > 0.0)
                .map(|r| s.trimp / (r * s.minutes))
        })
        .collect();
    let n = both.len();
    let k = (n >= SRPE_MIN_SESSIONS).then(|| median(both)).flatten();
    let own_rate = |sport: &str| {
        median(
            sessions
                .iter()
                .filter(|s| s.has_hr && s.sport == sport && s.minutes > 0.0 && s.trimp > 0.0)
                .map(|s| s.trimp / s.minutes)
                .collect(),
        )
    };
    let mut est = LoadEstimate {
        srpe_scale: k.map(|k| (k, n)),
        ..LoadEstimate::default()
    };
    let out = sessions
        .iter()
        .map(|s| {
            if s.has_hr {
                return (s.trimp, LoadSource::HeartRate);
            }
            let minutes = s.minutes.max(0.0);
            let (load, source) = match (k, s.rpe) {
                (Some(k), Some(r)) => (k * r * minutes, LoadSource::SessionRpe),
                _ => {
                    let rate = own_rate(&s.sport).unwrap_or_else(|| {
                        SPORT_TRIMP_PER_MIN
                            .iter()
                            .find(|(sport, _)| *sport == s.sport)
                            .map_or(OTHER_TRIMP_PER_MIN, |(_, r)| *r)
                    });
                    (rate * minutes, LoadSource::SportDefault)
                }
            };
            match source {
                LoadSource::SessionRpe => est.by_rpe += 1,
                _ => est.by_default += 1,
            }
            (load.max(s.trimp), source)
        })
        .collect();
    (out, est)
}

/// Time constants τ of the Performance Management Chart's loads, in days.
pub const ACUTE_DAYS: f64 = 7.0;
pub const CHRONIC_DAYS: f64 = 42.0;
/// Days of the uncoupled ratio's acute window and of its whole window (acute days 1–7
/// against chronic days 8–28).
pub const ACWR_ACUTE_DAYS: usize = 7;
pub const ACWR_WINDOW_DAYS: usize = 28;

/// The daily weight of an exponentially weighted load with time constant `tau` days in the
/// impulse-response form (Banister; GoldenCheetah's PMC): α = 1 − e^(−1/τ).
pub fn pmc_alpha(tau: f64) -> f64 {
    1.0 - (-1.0 / tau).exp()
}

/// One day's load figures.
#[derive(Debug, Clone, PartialEq)]
pub struct DayLoad {
    pub date: NaiveDate,
    pub load: f64,
    /// Acute load (ATL): exponentially weighted, τ = 7 days, α = 1 − e^(−1/7).
    pub acute: f64,
    /// Chronic load (CTL): exponentially weighted, τ = 42 days, α = 1 − e^(−1/42).
    pub chronic: f64,
    /// Form (TSB): yesterday's chronic minus yesterday's acute load, as TrainingPeaks and
    /// GoldenCheetah show it — the freshness you start the day with, before its own load
    /// (positive: fresher than your usual).
    pub form: f64,
    /// Uncoupled acute:chronic ratio: the mean load of the last 7 days (today included) over
    /// the mean of the 21 days before them; from day 28 after the first activity on.
    pub acwr: Option<f64>,
    /// Inside the first [`SEED_DAYS`] days from the first activity: acute and chronic load
    /// start from those days' mean load (the seed), so they are estimates there.
    pub ramp_in: bool,
}

/// Days whose mean daily load seeds the acute and chronic loads.
pub const SEED_DAYS: usize = 28;

/// Daily loads from `first` (the first recorded activity) to `last` (inclusive); days
/// missing from `loads` are rest days with load 0.
///
/// Both averages start from the mean daily load of the first [`SEED_DAYS`] days (all of
/// them when there are fewer), not from 0: started from 0, the chronic load (τ = 42 d)
/// needs months to reach an athlete's usual level, and form reads strongly negative all
/// that time for an athlete who simply kept training. Seeded, a steady athlete's form is
/// about 0 from the first day. The first [`SEED_DAYS`] days are marked `ramp_in`.
pub fn daily(first: NaiveDate, last: NaiveDate, loads: &dyn Fn(NaiveDate) -> f64) -> Vec<DayLoad> {
    let a_acute = pmc_alpha(ACUTE_DAYS);
    let a_chronic = pmc_alpha(CHRONIC_DAYS);
    let all: Vec<(NaiveDate, f64)> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|d| (d, loads(d)))
        .collect();
    let seed_n = all.len().min(SEED_DAYS);
    let seed = if seed_n == 0 {
        0.0
    } else {
        all[..seed_n].iter().map(|x| x.1).sum::<f64>() / seed_n as f64
    };
    let mut out: Vec<DayLoad> = Vec::with_capacity(all.len());
    let (mut acute, mut chronic) = (seed, seed);
    for (date, load) in all {
        let form = chronic - acute;
        acute += a_acute * (load - acute);
        chronic += a_chronic * (load - chronic);
        let n = out.len() + 1;
        let acwr = (n >= ACWR_WINDOW_DAYS)
            .then(|| {
                // The last 28 loads, oldest first, today last.
                let window: Vec<f64> = out[n - ACWR_WINDOW_DAYS..]
                    .iter()
                    .map(|d| d.load)
                    .chain([load])
                    .collect();
                let split = ACWR_WINDOW_DAYS - ACWR_ACUTE_DAYS;
                let chronic_mean = window[..split].iter().sum::<f64>() / split as f64;
                let acute_mean = window[split..].iter().sum::<f64>() / ACWR_ACUTE_DAYS as f64;
                (chronic_mean > 0.0).then(|| acute_mean / chronic_mean)
            })
            .flatten();
        out.push(DayLoad {
            date,
            load,
            acute,
            chronic,
            form,
            acwr,
            ramp_in: n <= SEED_DAYS,
        });
    }
    out
}

/// One Monday–Sunday week.
#[derive(Debug, Clone, PartialEq)]
pub struct Week {
    /// The Monday.
    pub start: NaiveDate,
    /// Timer hours.
    pub hours: f64,
    pub load: f64,
    /// Foster's monotony: mean daily load over its sample standard deviation (divisor
    /// n − 1 = 6; rest days count as 0), capped at [`MONOTONY_MAX`]; seven equal loads
    /// (SD 0) are the most monotonous week and get the cap. `None` for a partial week or a
    /// week without load.
    pub monotony: Option<f64>,
    /// Weekly load × monotony.
    pub strain: Option<f64>,
    /// Days of the week from the first activity on.
    pub days: usize,
    pub sessions: usize,
    pub rest_days: usize,
}

/// The Monday of `d`'s week.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// The highest monotony reported: where the standard deviation is 0 (seven equal loads)
/// mean/SD is infinite; 10 is five times Foster's warning level of 2.
pub const MONOTONY_MAX: f64 = 10.0;

/// Per-week figures from per-day `(date, load, timer hours, sessions, rest day)`, days in
/// order; pass only the days from the first activity on. A rest day may hold a short walk
/// (see `Day::is_rest`).
pub fn weekly(days: &[(NaiveDate, f64, f64, usize, bool)]) -> Vec<Week> {
    let mut out: Vec<Week> = Vec::new();
    let mut loads: Vec<Vec<f64>> = Vec::new();
    for &(date, load, hours, sessions, rest) in days {
        let start = week_start(date);
        if out.last().map(|w| w.start) != Some(start) {
            out.push(Week {
                start,
                hours: 0.0,
                load: 0.0,
                monotony: None,
                strain: None,
                days: 0,
                sessions: 0,
                rest_days: 0,
            });
            loads.push(Vec::new());
        }
        let w = out.last_mut().expect("a week was just pushed");
        w.hours += hours;
        w.load += load;
        w.days += 1;
        w.sessions += sessions;
        if rest {
            w.rest_days += 1;
        }
        loads.last_mut().expect("pushed with the week").push(load);
    }
    for (w, l) in out.iter_mut().zip(&loads) {
        // Foster's monotony is over the 7 days of a week; partial weeks get none.
        if l.len() == 7 && w.load > 0.0 {
            if let Some(sd) = crate::stats::sd(l) {
                let mean = w.load / 7.0;
                let monotony = if sd > 0.0 {
                    (mean / sd).min(MONOTONY_MAX)
                } else {
                    MONOTONY_MAX
                };
                w.monotony = Some(monotony);
                w.strain = Some(w.load * monotony);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input(sport: &str, minutes: f64, trimp: f64, has_hr: bool, rpe: Option<f64>) -> LoadInput {
        LoadInput {
            sport: sport.into(),
            minutes,
            trimp,
            has_hr,
            rpe,
        }
    }

    #[test]
    fn a_session_without_heart_rate_gets_session_rpe_scaled_by_the_athletes_own_sessions() {
        // Three runs with both: TRIMP / (RPE × min) = 60/(5·60)=0.2, 80/(4·50)=0.4,
        // 90/(6·50)=0.3 → median 0.3. A 40-min swim at RPE 7: 0.3 × 7 × 40 = 84.
        let s = vec![
            input("running", 60.0, 60.0, true, Some(5.0)),
            input("running", 50.0, 80.0, true, Some(4.0)),
            input("running", 50.0, 90.0, true, Some(6.0)),
            input("swimming", 40.0, 0.0, false, Some(7.0)),
        ];
        let (loads, est) = estimate_loads(&s);
        assert_eq!(loads[0], (60.0, LoadSource::HeartRate));
        assert!((loads[3].0 - 84.0).abs() < 1e-9, "{:?}", loads[3]);
        assert_eq!(loads[3].1, LoadSource::SessionRpe);
        assert_eq!(est.srpe_scale.map(|x| x.1), Some(3));
        assert_eq!((est.by_rpe, est.by_default), (1, 0));
        assert!(est.describe().unwrap().contains("× 0.300 TRIMP"));
    }

    #[test]
    fn without_rpe_or_a_scale_the_sport_rate_is_used_never_zero() {
        // Two runs with heart rate: 1.2 and 1.0 TRIMP/min → the athlete's own running rate
        // 1.1; a 30-min run without heart rate: 33. A 45-min strength session (no own
        // rate): 0.6 × 45 = 27. RPE on it cannot be scaled with two sessions only.
        let s = vec![
            input("running", 50.0, 60.0, true, Some(5.0)),
            input("running", 50.0, 50.0, true, Some(4.0)),
            input("running", 30.0, 0.0, false, None),
            input("strength_training", 45.0, 0.0, false, Some(6.0)),
            input("kayaking", 60.0, 0.0, false, None),
        ];
        let (loads, est) = estimate_loads(&s);
        assert!((loads[2].0 - 33.0).abs() < 1e-9, "{:?}", loads[2]);
        assert!((loads[3].0 - 27.0).abs() < 1e-9, "{:?}", loads[3]);
        assert!((loads[4].0 - 48.0).abs() < 1e-9, "{:?}", loads[4]);
        assert!(loads.iter().all(|l| l.0 > 0.0));
        assert_eq!(est.srpe_scale, None);
        assert_eq!(est.by_default, 3);
    }

    #[test]
    fn a_partial_heart_rate_keeps_the_higher_of_its_trimp_and_the_estimate() {
        let s = vec![input("running", 10.0, 30.0, false, None)];
        let (loads, _) = estimate_loads(&s);
        assert_eq!(loads[0], (30.0, LoadSource::SportDefault));
    }

    #[test]
    fn hr_rest_is_the_median_of_the_last_28_days_of_mornings() {
        // 40 days back is outside; the last 28 days hold 50, 46, 48, 47: median 47.5.
        let m = [
            (d("2026-01-01"), 70.0),
            (d("2026-02-01"), 50.0),
            (d("2026-02-10"), 46.0),
            (d("2026-02-09"), 48.0),
            (d("2026-02-05"), 47.0),
        ];
        let (bpm, n, first, last) = measured_hr_rest(&m).unwrap();
        assert_eq!(bpm, 47.5);
        assert_eq!((n, first, last), (4, d("2026-02-01"), d("2026-02-10")));
        // Two mornings are not enough.
        assert!(measured_hr_rest(&m[..2]).is_none());
        assert!(measured_hr_rest(&[]).is_none());
    }

    #[test]
    fn trimp_matches_a_hand_computed_value() {
        // 30 min at 150 bpm, HRmax 190, HRrest 60: x = 90/130 = 0.6923
        // TRIMP = 30 × 0.6923 × 0.64 × e^(1.92 × 0.6923) = 50.220
        let mut h = HrHistogram::default();
        h.add(150, 1800);
        let a = HeartProfile {
            hr_max: 190.0,
            hr_rest: 60.0,
            sex: Sex::Male,
        };
        assert!(
            (trimp(&h, &a) - 50.220_146).abs() < 1e-5,
            "{}",
            trimp(&h, &a)
        );
        // Women: 30 × 0.6923 × 0.86 × e^(1.67 × 0.6923) = 56.758
        let f = HeartProfile {
            sex: Sex::Female,
            ..a
        };
        assert!(
            (trimp(&h, &f) - 56.758_394).abs() < 1e-5,
            "{}",
            trimp(&h, &f)
        );
    }

    #[test]
    fn trimp_is_per_sample_not_from_the_average() {
        // Half at 100, half at 180 (average 140) weighs more than all at 140.
        let a = HeartProfile {
            hr_max: 190.0,
            hr_rest: 60.0,
            sex: Sex::Male,
        };
        let mut split = HrHistogram::default();
        split.add(100, 900);
        split.add(180, 900);
        let mut flat = HrHistogram::default();
        flat.add(140, 1800);
        assert!(trimp(&split, &a) > trimp(&flat, &a));
    }

    #[test]
    fn pmc_loads_follow_a_hand_worked_ten_day_example_seeded_from_the_mean() {
        // Loads 100, 0, 50, 0, 0, 80, 0, 0, 0, 120 (mean 35: the seed, fewer than 28 days);
        // α7 = 1 − e^(−1/7), α42 = 1 − e^(−1/42); x ← x + α·(load − x) from 35, and form
        // = yesterday's chronic − yesterday's acute (worked in Python, float64).
        assert!((pmc_alpha(7.0) - 0.133_122_100_249_818_4).abs() < 1e-15);
        assert!((pmc_alpha(42.0) - 0.023_528_313_347_756_735).abs() < 1e-15);
        let loads = [100.0, 0.0, 50.0, 0.0, 0.0, 80.0, 0.0, 0.0, 0.0, 120.0];
        let first = d("2026-03-02");
        let days = daily(first, d("2026-03-11"), &|date| {
            loads[(date - first).num_days() as usize]
        });
        let want = [
            (43.6529365162382, 36.529340367604185, 0.0),
            (37.84176592512458, 35.669866601048334, -7.1235961486340145),
            (39.4602955805009, 36.007030469974026, -2.171899324076243),
            (34.20725815634599, 35.15984577435425, -3.4532651105268712),
            (29.65351610678548, 34.33259390571644, 0.9525876180082591),
            (36.355745782843854, 35.407070946082, 4.679077798930962),
            (31.5159925480832, 34.57400228613633, -0.9486748367618532),
            (27.32051742862474, 33.760534326662054, 3.0580097380531264),
            (23.683552768614447, 32.96620589623665, 6.440016898037314),
            (36.5054005126573, 35.01396427575414, 9.282653127622204),
        ];
        for (day, (acute, chronic, form)) in days.iter().zip(want) {
            assert!(
                (day.acute - acute).abs() < 1e-9,
                "{} {}",
                day.date,
                day.acute
            );
            assert!(
                (day.chronic - chronic).abs() < 1e-9,
                "{} {}",
                day.date,
                day.chronic
            );
            assert!((day.form - form).abs() < 1e-9, "{} {}", day.date, day.form);
            assert!(
                day.ramp_in,
                "all ten days are inside the 28-day seed window"
            );
        }
        assert!(
            days.iter().all(|d| d.acwr.is_none()),
            "no ratio before day 28"
        );
    }

    #[test]
    fn a_steady_load_reads_as_that_load_with_zero_form_from_the_first_day() {
        // Seeded with the steady load itself, acute and chronic stay at it: no months of
        // negative form for an athlete who simply kept training.
        let first = d("2026-01-05");
        let days = daily(first, first + Duration::days(99), &|_| 50.0);
        for day in &days {
            assert!((day.chronic - 50.0).abs() < 1e-9 && (day.acute - 50.0).abs() < 1e-9);
            assert!(day.form.abs() < 1e-9);
        }
        assert!(days[27].ramp_in && !days[28].ramp_in);
        // The same steady load gives a ratio of exactly 1.
        assert!((days[27].acwr.unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(days[26].acwr, None);
    }

    #[test]
    fn after_the_seed_window_the_loads_decay_towards_a_new_level_at_their_time_constants() {
        // 28 days of 40 (seed 40), then 100 days of 0: chronic = 40·(1 − α42)^n.
        let first = d("2026-01-05");
        let days = daily(first, first + Duration::days(127), &|date| {
            if (date - first).num_days() < 28 {
                40.0
            } else {
                0.0
            }
        });
        let n = 100.0;
        let expect = 40.0 * (-n / 42.0_f64).exp();
        assert!(
            (days[127].chronic - expect).abs() < 1e-9,
            "{}",
            days[127].chronic
        );
    }

    #[test]
    fn the_uncoupled_ratio_compares_the_last_7_days_with_the_21_before() {
        // 21 days of 10, then 7 days of 20: acute mean 20, chronic (days 8–28 back) 10 → 2.0.
        // The coupled 7:28 ratio would read 20/12.5 = 1.6, the acute week inside its own base.
        let first = d("2026-03-02");
        let days = daily(first, d("2026-03-29"), &|date| {
            if (date - first).num_days() < 21 {
                10.0
            } else {
                20.0
            }
        });
        assert_eq!(days.len(), 28);
        assert!((days[27].acwr.unwrap() - 2.0).abs() < 1e-12);
        // No load in the 21 days before: no ratio, not infinity.
        let days = daily(first, d("2026-03-29"), &|date| {
            if (date - first).num_days() < 21 {
                0.0
            } else {
                20.0
            }
        });
        assert_eq!(days[27].acwr, None);
    }

    fn week_of(loads: [f64; 7]) -> Week {
        let days: Vec<_> = (0..7)
            .map(|i| {
                let date = d("2026-03-02") + Duration::days(i as i64);
                (
                    date,
                    loads[i],
                    loads[i] / 100.0,
                    usize::from(loads[i] > 0.0),
                    loads[i] == 0.0,
                )
            })
            .collect();
        weekly(&days).remove(0)
    }

    #[test]
    fn monotony_and_strain_follow_foster() {
        // Loads 100,0,100,0,100,0,100: mean 57.142857, sample sd (n − 1) 53.452248
        // monotony 1.069045, strain 400 × 1.069045 = 427.618
        let w = week_of([100.0, 0.0, 100.0, 0.0, 100.0, 0.0, 100.0]);
        assert_eq!(w.start, d("2026-03-02"));
        assert_eq!((w.sessions, w.rest_days), (4, 3));
        assert!((w.monotony.unwrap() - 1.069_044_968).abs() < 1e-6);
        assert!((w.strain.unwrap() - 427.617_987).abs() < 1e-3);
    }

    #[test]
    fn seven_equal_loads_are_the_most_monotonous_week_not_a_missing_one() {
        let w = week_of([60.0; 7]);
        assert_eq!(w.monotony, Some(MONOTONY_MAX));
        assert_eq!(w.strain, Some(420.0 * MONOTONY_MAX));
        // Nearly equal loads reach the same cap instead of a value in the thousands.
        let w = week_of([60.0, 60.0, 60.0, 60.0, 60.0, 60.0, 60.1]);
        assert_eq!(w.monotony, Some(MONOTONY_MAX));
        // A week without any load has no monotony to speak of.
        assert_eq!(week_of([0.0; 7]).monotony, None);
    }

    /// A histogram with `(bpm, seconds)`.
    fn hist(points: &[(u8, u32)]) -> HrHistogram {
        let mut h = HrHistogram::default();
        for &(b, s) in points {
            h.add(b, s);
        }
        h
    }

    #[test]
    fn a_session_peak_is_held_for_five_seconds() {
        // A 2-s spike at 220 and 3 s at 185 make 5 s at or above 185.
        assert_eq!(
            session_peak(&hist(&[(140, 600), (185, 3), (220, 2)])),
            Some(185)
        );
        assert_eq!(session_peak(&hist(&[(140, 600), (181, 5)])), Some(181));
        assert_eq!(session_peak(&hist(&[(150, 4)])), None);
        assert_eq!(session_peak(&HrHistogram::default()), None);
    }

    #[test]
    fn hr_max_is_the_highest_peak_seen_in_two_sessions_and_only_rises_with_more_files() {
        assert_eq!(estimate_hr_max([176, 188, 181]), Some(181.0));
        assert_eq!(estimate_hr_max([181, 181]), Some(181.0));
        assert_eq!(estimate_hr_max([181]), None, "one session is not enough");
        // Adding easy sessions never lowers it (a percentile of all time would drop).
        let mut peaks = vec![176, 188, 181];
        let before = estimate_hr_max(peaks.clone());
        peaks.extend([150, 152, 149, 151]);
        assert_eq!(estimate_hr_max(peaks), before);
    }

    #[test]
    fn the_hr_max_in_use_says_where_it_came_from() {
        use crate::days::fixtures::session;
        let mut a = session("2026-03-02", 60.0, 10.0, None);
        a.hr.add(183, 30);
        let mut b = session("2026-03-03", 60.0, 10.0, None);
        b.hr.add(185, 30);
        let easy = session("2026-03-04", 60.0, 0.0, None);
        let m = hr_max(None, &[a.clone(), b, easy.clone()], 60.0);
        assert_eq!(m.bpm, 183.0);
        assert!(m.is_estimated());
        assert_eq!(
            m.describe(),
            "estimated: the highest heart rate held at least 5 s in at least two of 3 sessions"
        );
        let m = hr_max(Some(195.0), &[a.clone()], 60.0);
        assert_eq!((m.bpm, m.is_estimated()), (195.0, false));
        let m = hr_max(None, &[a], 60.0);
        assert_eq!(m.source, HrMaxSource::Default);
        assert_eq!(m.bpm, FALLBACK_HR_MAX);
        assert!(
            m.is_estimated(),
            "a default is not the athlete's own either"
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(d("2026-03-08")), d("2026-03-02"));
        assert_eq!(week_start(d("2026-03-02")), d("2026-03-02"));
    }
}
