//! Pure rules: a session and the band to hard / easy / active recovery, with a reason a
//! user can check.

use std::fmt;

use serde::Serialize;

use crate::load::{self, HeartProfile};
use crate::session::Session;
use crate::zones::Band;

/// A session's class. `Unknown` when it has too little heart rate to judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Unknown,
    ActiveRecovery,
    Easy,
    Hard,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Hard => "hard",
            Class::Easy => "easy",
            Class::ActiveRecovery => "active_recovery",
            Class::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The classification thresholds (defaults and their reasons are in the README).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Share of timer time that must have valid heart rate to classify at all.
    pub min_hr_coverage: f64,
    /// Hard from this many minutes above the band…
    pub hard_above_min: f64,
    /// …or from this share of the heart-rate time above it…
    pub hard_above_share: f64,
    /// …with at least this many minutes above (so a 2-minute file with 1 minute above is
    /// not a hard session).
    pub hard_share_min_above_min: f64,
    /// Active recovery lasts at most this many minutes of timer time…
    pub recovery_max_min: f64,
    /// …with less than this share above the band…
    pub recovery_above_share: f64,
    /// …and less than this many minutes above it.
    pub recovery_above_min: f64,
    /// A day whose sessions are only a walk or commute under the band, this many minutes
    /// at most in all, is still a rest day.
    pub rest_day_max_min: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_hr_coverage: 0.5,
            hard_above_min: 20.0,
            hard_above_share: 0.20,
            hard_share_min_above_min: 5.0,
            recovery_max_min: 45.0,
            recovery_above_share: 0.05,
            recovery_above_min: 5.0,
            rest_day_max_min: 30.0,
        }
    }
}

/// How one session was classified, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub class: Class,
    /// One line, e.g. `hard: 34 min (41 %) above 140 bpm`.
    pub reason: String,
    /// Minutes above the band.
    pub above_min: f64,
    /// Share of the heart-rate time above the band (0–1).
    pub above_share: f64,
}

/// The sport FIT gives the transition legs of a multisport file (swim → bike → run).
pub const TRANSITION_SPORT: &str = "transition";

/// Whether minutes above the band and their share make hard: at least `hard_above_min`, or
/// at least `hard_above_share` with at least `hard_share_min_above_min` minutes. Used for a
/// session and for a day's summed minutes.
pub fn is_hard(above_min: f64, above_share: f64, t: &Thresholds) -> bool {
    above_min >= t.hard_above_min
        || (above_share >= t.hard_above_share && above_min >= t.hard_share_min_above_min)
}

/// Classifies one session by its time above the band. A multisport transition is no
/// session of its own for the rules: `unknown`, while its load still counts for the day.
pub fn classify(s: &Session, band: Band, t: &Thresholds) -> Classification {
    let hr_s = s.hr_s() as f64;
    let (_, _, above_s) = s.hr.split(band.low, band.high);
    let above_min = above_s as f64 / 60.0;
    let above_share = if hr_s > 0.0 {
        above_s as f64 / hr_s
    } else {
        0.0
    };
    let timer_min = s.timer_s / 60.0;
    let coverage = if s.timer_s > 0.0 {
        hr_s / s.timer_s
    } else {
        0.0
    };
    let verdict = |class, reason| Classification {
        class,
        reason,
        above_min,
        above_share,
    };
    if s.sport == TRANSITION_SPORT {
        return verdict(
            Class::Unknown,
            "unknown: multisport transition: part of the race day".into(),
        );
    }
    if hr_s == 0.0 {
        return verdict(Class::Unknown, "unknown: no heart rate recorded".into());
    }
    if coverage < t.min_hr_coverage {
        return verdict(
            Class::Unknown,
            format!(
                "unknown: heart rate on {:.0} % of the {:.0} min timer time (needs {:.0} %)",
                coverage * 100.0,
                timer_min,
                t.min_hr_coverage * 100.0
            ),
        );
    }
    let above = format!(
        "{:.0} min ({:.0} %) above {} bpm",
        above_min,
        above_share * 100.0,
        band.high
    );
    if is_hard(above_min, above_share, t) {
        return verdict(Class::Hard, format!("hard: {above}"));
    }
    if timer_min <= t.recovery_max_min
        && above_share < t.recovery_above_share
        && above_min < t.recovery_above_min
    {
        return verdict(
            Class::ActiveRecovery,
            format!("active recovery: {timer_min:.0} min, {above}"),
        );
    }
    let why_not_recovery = if timer_min > t.recovery_max_min {
        format!("longer than {:.0} min", t.recovery_max_min)
    } else {
        "too much above the band for recovery".to_string()
    };
    verdict(
        Class::Easy,
        format!("easy: {timer_min:.0} min, {above} ({why_not_recovery})"),
    )
}

/// The band for an athlete's own heart rates: the same share of heart-rate reserve that
/// 120–140 bpm is for a maximum of 190 and a resting rate of 60.
pub fn band_from_reserve(hr_max: f64, hr_rest: f64) -> Band {
    let share = |bpm: f64| (bpm - 60.0) / (190.0 - 60.0);
    let at = |s: f64| {
        (hr_rest + s * (hr_max - hr_rest))
            .round()
            .clamp(30.0, 240.0) as u8
    };
    Band {
        low: at(share(120.0)),
        high: at(share(140.0)),
    }
}

/// A session with its class, reason and load.
#[derive(Debug, Clone)]
pub struct Classified {
    pub session: Session,
    pub verdict: Classification,
    /// The session's load in TRIMP units: from its heart rate, else estimated (see
    /// `load_source`).
    pub trimp: f64,
    pub load_source: load::LoadSource,
}

/// Classifies every session and computes its TRIMP.
pub fn classify_all(
    sessions: Vec<Session>,
    band: Band,
    t: &Thresholds,
    athlete: &HeartProfile,
) -> Vec<Classified> {
    sessions
        .into_iter()
        .map(|session| {
            let verdict = classify(&session, band, t);
            let trimp = load::trimp(&session.hr, athlete);
            Classified {
                session,
                verdict,
                trimp,
                load_source: load::LoadSource::HeartRate,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::HrHistogram;

    /// A session with `minutes` of timer time: `above` minutes at 150 bpm, the rest at 130.
    fn session(minutes: f64, above: f64) -> Session {
        crate::days::fixtures::session("2026-03-02", minutes, above, None)
    }

    fn class_of(minutes: f64, above: f64) -> Class {
        classify(
            &session(minutes, above),
            Band::default(),
            &Thresholds::default(),
        )
        .class
    }

    #[test]
    fn the_threshold_edges_fall_where_the_readme_says() {
        let cases = [
            // (timer min, min above, expected)
            (200.0, 20.0, Class::Hard), // exactly 20 min above (10 %)
            (200.0, 19.9, Class::Easy), // just under 20 min, 9.95 %
            (50.0, 10.0, Class::Hard),  // exactly 20 % above
            (50.0, 9.9, Class::Easy),   // 19.8 %
            (25.0, 5.0, Class::Hard),   // 20 % with exactly 5 min above
            (24.0, 4.9, Class::Easy),   // 20.4 % but under 5 min above
            (2.0, 1.0, Class::Easy),    // 50 % of a 2-min file: 1 min is not hard
            (45.0, 0.0, Class::ActiveRecovery), // exactly 45 min, nothing above
            (45.5, 0.0, Class::Easy),   // longer than 45 min
            (40.0, 2.0, Class::Easy),   // exactly 5 % above is not recovery
            (40.0, 1.9, Class::ActiveRecovery), // 4.75 %
            (100.0, 4.0, Class::Easy),  // long, 4 %
        ];
        for (minutes, above, want) in cases {
            assert_eq!(
                class_of(minutes, above),
                want,
                "{minutes} min, {above} above"
            );
        }
    }

    #[test]
    fn under_five_minutes_above_is_needed_for_recovery_even_under_five_percent() {
        // 5 min above in a 45 min session is 11 %: over both limits.
        assert_eq!(class_of(45.0, 5.0), Class::Easy);
        // With a looser share the 5-minute rule alone decides.
        let t = Thresholds {
            recovery_above_share: 0.5,
            ..Thresholds::default()
        };
        let v = classify(&session(45.0, 5.0), Band::default(), &t);
        assert_eq!(v.class, Class::Easy);
        let v = classify(&session(45.0, 4.9), Band::default(), &t);
        assert_eq!(v.class, Class::ActiveRecovery);
    }

    #[test]
    fn a_short_file_mostly_above_the_band_is_not_hard_without_five_minutes_above() {
        let v = classify(&session(6.0, 4.0), Band::default(), &Thresholds::default());
        assert_eq!(v.class, Class::Easy, "{}", v.reason);
        assert_eq!(
            v.reason,
            "easy: 6 min, 4 min (67 %) above 140 bpm (too much above the band for recovery)"
        );
        let t = Thresholds {
            hard_share_min_above_min: 0.0,
            ..Thresholds::default()
        };
        assert_eq!(
            classify(&session(6.0, 4.0), Band::default(), &t).class,
            Class::Hard,
            "without the floor the share alone decides"
        );
    }

    #[test]
    fn a_multisport_transition_is_part_of_the_race_day_not_a_hard_session() {
        // Like the 69-s transition of a triathlon file: all of it above the band.
        let mut s = session(1.15, 1.15);
        s.sport = TRANSITION_SPORT.into();
        let v = classify(&s, Band::default(), &Thresholds::default());
        assert_eq!(v.class, Class::Unknown);
        assert_eq!(
            v.reason,
            "unknown: multisport transition: part of the race day"
        );
        assert!(v.above_min > 1.0, "its minutes are still measured");
    }

    #[test]
    fn too_little_heart_rate_is_unknown_with_the_reason() {
        let mut s = session(60.0, 30.0);
        s.timer_s = 121.0 * 60.0;
        let v = classify(&s, Band::default(), &Thresholds::default());
        assert_eq!(v.class, Class::Unknown);
        assert_eq!(
            v.reason,
            "unknown: heart rate on 50 % of the 121 min timer time (needs 50 %)"
        );
        s.hr = HrHistogram::default();
        let v = classify(&s, Band::default(), &Thresholds::default());
        assert_eq!(v.reason, "unknown: no heart rate recorded");
    }

    #[test]
    fn the_reason_states_the_numbers() {
        let v = classify(
            &session(83.0, 34.0),
            Band::default(),
            &Thresholds::default(),
        );
        assert_eq!(v.reason, "hard: 34 min (41 %) above 140 bpm");
        let v = classify(&session(30.0, 0.0), Band::default(), &Thresholds::default());
        assert_eq!(
            v.reason,
            "active recovery: 30 min, 0 min (0 %) above 140 bpm"
        );
    }

    #[test]
    fn the_reserve_band_reproduces_120_140_for_190_and_60() {
        assert_eq!(
            band_from_reserve(190.0, 60.0),
            Band {
                low: 120,
                high: 140
            }
        );
        // A fitter athlete: max 200, rest 45 → 117–140.
        assert_eq!(
            band_from_reserve(200.0, 45.0),
            Band {
                low: 117,
                high: 140
            }
        );
        assert_eq!(
            band_from_reserve(180.0, 50.0),
            Band {
                low: 110,
                high: 130
            }
        );
    }
}
