//! One activity met twice becomes one session: the same recording reached twice (a folder
//! and the zip holding it, a re-saved copy), or one workout recorded by two devices (a watch
//! and a bike computer started seconds apart).
//!
//! Two recordings are one workout when their sports are compatible (the same, or one of them
//! generic or unknown) and their time windows overlap by at least half of the shorter one:
//! the rule Strava uses to refuse a duplicate upload. Sessions of one file (the legs of a
//! multisport file) are never merged, and neither are undated ones (their times are not
//! dates). Of the copies of one activity the kept one is, in order: by format FIT, then
//! TCX, then GPX, then an Apple Health workout (FIT has the timer's pauses and laps, TCX laps
//! and the sport, a GPX often neither; an Apple Health workout's heart rate is sampled every
//! ~5 s, not every second), then the one with the most valid heart-rate seconds, the longer one, the
//! earlier start; only between otherwise equal copies (the same file reached twice) does
//! the order of reading decide: the first is kept. So the choice never depends on the
//! order of the paths, for copies of the same start as for overlapping recordings.
//! Asked to keep duplicates, nothing is merged at all.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use crate::session::{Session, SourceFormat};

/// A session left out because another session is the same activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub file: String,
    pub session: usize,
    pub kept_file: String,
    pub kept_session: usize,
    /// Why the two are one activity, and why the other one was kept.
    pub why: Match,
}

/// How a duplicate matched the session that was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The same start second and sport: one recording reached twice.
    SameStart,
    /// Another recording of the same workout: the windows overlap by `overlap_s` of the
    /// shorter one's `shorter_s` seconds.
    Overlap {
        sport: String,
        overlap_s: i64,
        shorter_s: i64,
        kept_because: Preference,
    },
}

/// Why the kept recording won.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preference {
    /// Its format comes first (FIT, then TCX, then GPX): it is this one.
    Format(SourceFormat),
    /// It has more seconds of valid heart rate.
    MoreHr { kept_s: u64, dropped_s: u64 },
    /// Same heart-rate seconds; it is longer.
    Longer { kept_s: i64, dropped_s: i64 },
    /// Equal on all of those; it started earlier.
    Earlier,
    /// Equal in every way; it was read first.
    Tie,
}

impl Duplicate {
    /// One stderr line: the dropped file, the kept file and why they matched.
    pub fn line(&self) -> String {
        match &self.why {
            Match::SameStart => format!(
                "{} session {}: same activity as {} session {} (same start and sport); counted once",
                self.file, self.session, self.kept_file, self.kept_session
            ),
            Match::Overlap {
                sport,
                overlap_s,
                shorter_s,
                kept_because,
            } => {
                let because = match kept_because {
                    Preference::Format(f) => format!("it is the {} recording", format_name(*f)),
                    Preference::MoreHr { kept_s, dropped_s } => {
                        format!("it has more heart rate ({kept_s} s against {dropped_s} s)")
                    }
                    Preference::Longer { kept_s, dropped_s } => {
                        format!("it is longer ({kept_s} s against {dropped_s} s)")
                    }
                    Preference::Earlier => "it started first (otherwise equal)".to_string(),
                    Preference::Tie => "it was read first (otherwise equal)".to_string(),
                };
                format!(
                    "{} session {}: same {} workout as {} session {}, recorded twice \
                     (their times overlap {} of the shorter one's {}); kept that one because \
                     {because}; counted once (--keep-duplicates keeps both)",
                    self.file,
                    self.session,
                    if sport.is_empty() { "unknown-sport" } else { sport },
                    self.kept_file,
                    self.kept_session,
                    duration(*overlap_s),
                    duration(*shorter_s),
                )
            }
        }
    }
}

fn format_name(f: SourceFormat) -> &'static str {
    match f {
        SourceFormat::Fit => "FIT",
        SourceFormat::Tcx => "TCX",
        SourceFormat::Gpx => "GPX",
        SourceFormat::AppleHealth => "Apple Health",
    }
}

/// The order of preference between formats, best first.
fn format_rank(f: SourceFormat) -> u8 {
    match f {
        SourceFormat::Fit => 0,
        SourceFormat::Tcx => 1,
        SourceFormat::Gpx => 2,
        SourceFormat::AppleHealth => 3,
    }
}

fn duration(s: i64) -> String {
    if s < 120 {
        format!("{s} s")
    } else {
        format!("{} min", (s + 30) / 60)
    }
}

/// Removes duplicates from `sessions` (in the order the files were read): the same start
/// and sport, and overlapping recordings of one workout, are one session, and the best
/// copy is kept whatever the order. With `keep_all` (`--keep-duplicates`) every copy is
/// kept. Returns the sessions kept, in their input order, and the ones left out.
pub fn dedupe(sessions: Vec<Session>, keep_all: bool) -> (Vec<Session>, Vec<Duplicate>) {
    if keep_all {
        return (sessions, Vec::new());
    }
    let (sessions, mut duplicates) = overlapping(sessions);
    // What the overlap rule leaves: sessions of no length, sessions of one file.
    let (sessions, same) = same_start(sessions);
    duplicates.extend(same);
    (sessions, duplicates)
}

/// The best session of each (start, sport) is kept.
fn same_start(sessions: Vec<Session>) -> (Vec<Session>, Vec<Duplicate>) {
    let mut order: Vec<usize> = (0..sessions.len()).collect();
    // A stable sort: equal sessions stay in read order.
    order.sort_by(|&a, &b| better(&sessions[a], &sessions[b]));
    let mut seen: HashMap<(DateTime<Utc>, &str), usize> = HashMap::new();
    let mut dropped: Vec<Option<Duplicate>> = vec![None; sessions.len()];
    for i in order {
        let s = &sessions[i];
        if s.undated.is_some() {
            continue;
        }
        match seen.get(&(s.start_utc, s.sport.as_str())) {
            Some(&k) => {
                dropped[i] = Some(Duplicate {
                    file: s.file.clone(),
                    session: s.index,
                    kept_file: sessions[k].file.clone(),
                    kept_session: sessions[k].index,
                    why: Match::SameStart,
                })
            }
            None => {
                seen.insert((s.start_utc, s.sport.as_str()), i);
            }
        }
    }
    split(sessions, dropped)
}

/// The sessions not dropped, and the duplicates, each in input order.
fn split(
    sessions: Vec<Session>,
    dropped: Vec<Option<Duplicate>>,
) -> (Vec<Session>, Vec<Duplicate>) {
    let mut kept = Vec::with_capacity(sessions.len());
    let mut duplicates = Vec::new();
    for (s, d) in sessions.into_iter().zip(dropped) {
        match d {
            Some(d) => duplicates.push(d),
            None => kept.push(s),
        }
    }
    (kept, duplicates)
}

/// Sports that say nothing about the activity: they match any sport.
fn is_generic(sport: &str) -> bool {
    matches!(sport, "" | "generic" | "all" | "unknown")
}

/// Same sport, or one of them generic or unknown.
pub fn compatible(a: &str, b: &str) -> bool {
    a == b || is_generic(a) || is_generic(b)
}

/// Longest pause a window may hold beyond the timer time: a recording left running (or
/// paused) for days says nothing about when the workout was. `27-days-activity.fit` in the
/// corpus has 2 h of timer time over 28 days of elapsed time, and would otherwise swallow
/// every ride of those weeks.
const MAX_PAUSED_S: f64 = 12.0 * 3600.0;

/// The session's window in whole seconds: start to start + elapsed time, but no more than
/// 12 h past the timer time.
fn window(s: &Session) -> (i64, i64) {
    let start = s.start_utc.timestamp();
    let timer = if s.timer_s.is_finite() {
        s.timer_s.max(0.0)
    } else {
        0.0
    };
    let len = s.elapsed_s.max(s.timer_s).min(timer + MAX_PAUSED_S);
    let len = if len.is_finite() && len > 0.0 {
        len.round() as i64
    } else {
        0
    };
    (start, start + len)
}

/// Seconds two windows share, and the shorter one's length, when they are one workout
/// (overlap at least half of the shorter one, and more than nothing).
pub fn same_workout(a: (i64, i64), b: (i64, i64)) -> Option<(i64, i64)> {
    let overlap = a.1.min(b.1) - a.0.max(b.0);
    let shorter = (a.1 - a.0).min(b.1 - b.0);
    (overlap > 0 && 2 * overlap >= shorter).then_some((overlap, shorter))
}

/// Orders sessions best first: FIT, then TCX, then GPX; most heart rate, longest, then
/// the earliest start (a stable sort keeps the read order for the rest: the copy given
/// first is kept).
fn better(a: &Session, b: &Session) -> std::cmp::Ordering {
    let (wa, wb) = (window(a), window(b));
    format_rank(a.format)
        .cmp(&format_rank(b.format))
        .then(b.hr_s().cmp(&a.hr_s()))
        .then((wb.1 - wb.0).cmp(&(wa.1 - wa.0)))
        .then(a.start_utc.cmp(&b.start_utc))
}

fn preference(kept: &Session, dropped: &Session) -> Preference {
    let (wk, wd) = (window(kept), window(dropped));
    if kept.format != dropped.format {
        Preference::Format(kept.format)
    } else if kept.hr_s() != dropped.hr_s() {
        Preference::MoreHr {
            kept_s: kept.hr_s(),
            dropped_s: dropped.hr_s(),
        }
    } else if wk.1 - wk.0 != wd.1 - wd.0 {
        Preference::Longer {
            kept_s: wk.1 - wk.0,
            dropped_s: wd.1 - wd.0,
        }
    } else if kept.start_utc != dropped.start_utc {
        Preference::Earlier
    } else {
        Preference::Tie
    }
}

/// Keeps, best first, every session that is not the same workout as one already kept.
fn overlapping(sessions: Vec<Session>) -> (Vec<Session>, Vec<Duplicate>) {
    let mut order: Vec<usize> = (0..sessions.len())
        .filter(|&i| sessions[i].undated.is_none())
        .collect();
    // A stable sort: equal sessions stay in read order.
    order.sort_by(|&a, &b| better(&sessions[a], &sessions[b]));
    // Kept sessions by start; any window that can overlap [s, e) starts after s - longest.
    let mut kept_by_start: BTreeMap<(i64, usize), usize> = BTreeMap::new();
    let mut longest = 0i64;
    let mut dropped: Vec<Option<Duplicate>> = vec![None; sessions.len()];
    for i in order {
        let s = &sessions[i];
        let w = window(s);
        let mut best: Option<(i64, i64, usize)> = None;
        for (_, &k) in kept_by_start.range((w.0 - longest, 0)..(w.1, 0)) {
            let other = &sessions[k];
            if other.file == s.file || !compatible(&other.sport, &s.sport) {
                continue;
            }
            if let Some((overlap, shorter)) = same_workout(window(other), w) {
                // The kept session it shares the most time with.
                if best.is_none_or(|(o, _, _)| overlap > o) {
                    best = Some((overlap, shorter, k));
                }
            }
        }
        match best {
            Some((overlap_s, shorter_s, k)) => {
                let kept = &sessions[k];
                let sport = if is_generic(&kept.sport) {
                    s.sport.clone()
                } else {
                    kept.sport.clone()
                };
                let why = if kept.start_utc == s.start_utc && kept.sport == s.sport {
                    Match::SameStart
                } else {
                    Match::Overlap {
                        sport,
                        overlap_s,
                        shorter_s,
                        kept_because: preference(kept, s),
                    }
                };
                dropped[i] = Some(Duplicate {
                    file: s.file.clone(),
                    session: s.index,
                    kept_file: kept.file.clone(),
                    kept_session: kept.index,
                    why,
                });
            }
            None => {
                kept_by_start.insert((w.0, i), i);
                longest = longest.max(w.1 - w.0);
            }
        }
    }
    split(sessions, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn session(file: &str, sport: &str, start_s: i64, len_s: f64, hr_s: u32) -> Session {
        let mut s = Session {
            file: file.into(),
            sport: sport.into(),
            start_utc: Utc.timestamp_opt(1_780_000_000 + start_s, 0).unwrap(),
            elapsed_s: len_s,
            timer_s: len_s,
            ..Session::default()
        };
        s.hr.add(130, hr_s);
        s
    }

    /// `dedupe`'s second argument: merge duplicates (the default), or keep every copy.
    const MERGE: bool = false;
    const KEEP_ALL: bool = true;

    fn files(sessions: &[Session]) -> Vec<&str> {
        sessions.iter().map(|s| s.file.as_str()).collect()
    }

    #[test]
    fn overlap_must_reach_half_of_the_shorter_window() {
        // Table: window a, window b, one workout?
        let cases = [
            ((0, 3600), (23, 3623), true),   // two devices, 23 s apart
            ((0, 3600), (1800, 5400), true), // exactly half
            ((0, 3600), (1801, 5401), false),
            ((0, 3600), (3720, 5520), false), // brick: run 2 min after the ride
            ((0, 3600), (3600, 5400), false), // touching
            ((0, 7200), (600, 1200), true),   // a short recording inside a long one
            ((0, 0), (0, 3600), false),       // a session of no length matches nothing
        ];
        for (a, b, want) in cases {
            assert_eq!(same_workout(a, b).is_some(), want, "{a:?} {b:?}");
            assert_eq!(same_workout(b, a).is_some(), want, "{b:?} {a:?}");
        }
        assert_eq!(same_workout((0, 3600), (23, 3623)), Some((3577, 3600)));
    }

    #[test]
    fn a_recording_left_running_for_weeks_does_not_swallow_later_workouts() {
        let mut left_on = session("27-days.fit", "cycling", 0, 2_412_583.0, 7373);
        left_on.timer_s = 7373.0;
        let ride = session("ride.fit", "cycling", 21 * 86_400, 1044.0, 0);
        let (kept, dups) = dedupe(vec![left_on, ride], MERGE);
        assert!(dups.is_empty(), "{dups:?}");
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn sports_match_when_equal_or_when_one_is_generic() {
        assert!(compatible("cycling", "cycling"));
        assert!(compatible("cycling", "generic"));
        assert!(compatible("", "running"));
        assert!(!compatible("cycling", "running"));
        assert!(!compatible("transition", "running"));
    }

    #[test]
    fn a_second_device_keeps_the_recording_with_more_heart_rate() {
        let watch = session("watch.fit", "cycling", 0, 3600.0, 3000);
        let bike = session("edge.fit", "cycling", 23, 3600.0, 3500);
        let (kept, dups) = dedupe(vec![watch, bike], MERGE);
        assert_eq!(files(&kept), ["edge.fit"]);
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].file, "watch.fit");
        assert_eq!(dups[0].kept_file, "edge.fit");
        let line = dups[0].line();
        assert!(line.contains("same cycling workout as edge.fit"), "{line}");
        assert!(
            line.contains("overlap 60 min of the shorter one's 60 min"),
            "{line}"
        );
        assert!(
            line.contains("more heart rate (3500 s against 3000 s)"),
            "{line}"
        );
    }

    #[test]
    fn fit_wins_over_gpx_even_with_less_heart_rate() {
        let mut gpx = session("ride.gpx", "cycling", 0, 3600.0, 3600);
        gpx.format = SourceFormat::Gpx;
        let fit = session("ride.fit", "generic", 10, 3500.0, 100);
        let (kept, dups) = dedupe(vec![gpx, fit], MERGE);
        assert_eq!(files(&kept), ["ride.fit"]);
        assert_eq!(
            dups[0].why,
            Match::Overlap {
                sport: "cycling".into(),
                overlap_s: 3500,
                shorter_s: 3500,
                kept_because: Preference::Format(SourceFormat::Fit)
            }
        );
    }

    #[test]
    fn equal_heart_rate_keeps_the_longer_and_full_ties_do_not_depend_on_order() {
        let a = session("a.fit", "running", 0, 3600.0, 0);
        let b = session("b.fit", "running", 5, 3700.0, 0);
        let (kept, _) = dedupe(vec![a.clone(), b.clone()], MERGE);
        assert_eq!(files(&kept), ["b.fit"]);
        let c = session("c.fit", "running", 2, 3600.0, 0);
        let (k1, _) = dedupe(vec![a.clone(), c.clone()], MERGE);
        let (k2, d2) = dedupe(vec![c, a], MERGE);
        assert_eq!(files(&k1), files(&k2));
        assert_eq!(files(&k1), ["a.fit"], "the earlier start");
        assert!(matches!(
            d2[0].why,
            Match::Overlap {
                kept_because: Preference::Earlier,
                ..
            }
        ));
    }

    #[test]
    fn three_devices_leave_one_session() {
        let watch = session("watch.fit", "cycling", 0, 3600.0, 3400);
        let edge = session("edge.fit", "cycling", 40, 3550.0, 3550);
        let phone = session("phone.fit", "generic", -60, 3700.0, 0);
        let (kept, dups) = dedupe(vec![watch, edge, phone], MERGE);
        assert_eq!(files(&kept), ["edge.fit"]);
        assert_eq!(dups.len(), 2);
        assert!(dups.iter().all(|d| d.kept_file == "edge.fit"));
    }

    #[test]
    fn bricks_warm_ups_multisport_legs_and_undated_sessions_stay_separate() {
        let ride = session("ride.fit", "cycling", 0, 3600.0, 3600);
        let run = session("run.fit", "running", 3720, 1800.0, 1800);
        let warm_up = session("warmup.fit", "running", -1200, 900.0, 900);
        let race = session("race.fit", "running", 0, 2400.0, 2400);
        // The legs of one multisport file never merge, even where a generic leg overlaps.
        let mut leg0 = session("tri.fit", "cycling", 20_000, 3600.0, 0);
        let mut leg1 = session("tri.fit", "generic", 21_000, 1800.0, 0);
        leg0.index = 0;
        leg1.index = 1;
        let mut undated = session("virb.fit", "running", 10, 2400.0, 2400);
        undated.undated = Some("device clock never set".into());
        let all = vec![ride, run, warm_up, race, leg0, leg1, undated];
        let (kept, dups) = dedupe(all.clone(), MERGE);
        assert!(dups.is_empty(), "{dups:?}");
        assert_eq!(kept.len(), all.len());
    }

    #[test]
    fn an_identical_copy_is_named_as_the_same_start_and_the_first_read_is_kept() {
        let a = session("activities/x.fit", "running", 0, 3600.0, 3600);
        let b = session("export.zip/x.fit", "running", 0, 3600.0, 3600);
        let (kept, dups) = dedupe(vec![a, b], MERGE);
        assert_eq!(files(&kept), ["activities/x.fit"]);
        assert_eq!(dups[0].why, Match::SameStart);
    }

    #[test]
    fn keeping_duplicates_keeps_every_copy_of_both_kinds_in_read_order() {
        let a = session("watch.fit", "cycling", 0, 3600.0, 3000);
        let b = session("edge.fit", "cycling", 23, 3600.0, 3500);
        let copy = session("copy/watch.fit", "cycling", 0, 3600.0, 3000);
        let (kept, dups) = dedupe(vec![a, b, copy], KEEP_ALL);
        assert_eq!(files(&kept), ["watch.fit", "edge.fit", "copy/watch.fit"]);
        assert!(dups.is_empty(), "{dups:?}");
    }

    #[test]
    fn tcx_wins_over_gpx_even_with_less_heart_rate_and_says_so() {
        let mut gpx = session("connect.gpx", "", 0, 3600.0, 3600);
        gpx.format = SourceFormat::Gpx;
        let mut tcx = session("forerunner.tcx", "running", 5, 3400.0, 3300);
        tcx.format = SourceFormat::Tcx;
        for order in [vec![gpx.clone(), tcx.clone()], vec![tcx, gpx]] {
            let (kept, dups) = dedupe(order, MERGE);
            assert_eq!(files(&kept), ["forerunner.tcx"]);
            let line = dups[0].line();
            assert!(
                line.contains("kept that one because it is the TCX recording;"),
                "{line}"
            );
        }
    }

    #[test]
    fn copies_of_one_start_keep_the_best_format_whatever_the_order() {
        // Sessions of no length fall through to the same-start rule.
        let mut gpx = session("a.gpx", "running", 0, 0.0, 0);
        gpx.format = SourceFormat::Gpx;
        let mut tcx = session("a.tcx", "running", 0, 0.0, 0);
        tcx.format = SourceFormat::Tcx;
        let fit = session("a.fit", "running", 0, 0.0, 0);
        for order in [
            vec![gpx.clone(), tcx.clone(), fit.clone()],
            vec![tcx.clone(), gpx.clone(), fit.clone()],
            vec![fit, tcx, gpx],
        ] {
            let (kept, dups) = dedupe(order, MERGE);
            assert_eq!(files(&kept), ["a.fit"]);
            assert!(dups
                .iter()
                .all(|d| d.why == Match::SameStart && d.kept_file == "a.fit"));
        }
    }
}
