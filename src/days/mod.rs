//! The daily table: classified sessions and the journal joined on the athlete's local
//! date, one row per day from the first to the last day with data.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::classify::{self, Class, Classified, Thresholds};
use crate::ingest::exports::Wellness;
use crate::journal::{Journal, JournalEntry, Planned};
use crate::load::{self, DayLoad};
use crate::zones::Band;

mod sources;

pub use sources::{describe_sources, disagreements, sleep_source_note, source_lines};

/// One local date.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub date: NaiveDate,
    /// Indices into the classified sessions, in start order.
    pub sessions: Vec<usize>,
    /// The day's class: `hard` when the day's summed minutes above the band (and their share
    /// of the day's heart-rate time) meet the hard thresholds, else the hardest session's
    /// class; `None` on a rest day and before the first activity.
    pub class: Option<Class>,
    /// Minutes above the band, summed over the day's sessions.
    pub above_min: f64,
    /// On or after the first recorded activity. Before it a day with no session is not a
    /// rest day but unknown: no watch data says what happened.
    pub recorded: bool,
    pub timer_h: f64,
    pub load: DayLoad,
    pub soreness: Option<f64>,
    pub sleep_hours: Option<f64>,
    pub sleep_quality: Option<u8>,
    /// The watch's sleep score, 0–100.
    pub sleep_score: Option<f64>,
    pub resting_hr: Option<f64>,
    pub hrv_ms: Option<f64>,
    /// HRV as SDNN in ms (Apple Health's measure), from the watch only: a different measure
    /// from `hrv_ms` (rMSSD, Garmin's and the journal's), kept apart and never mixed into its
    /// baseline.
    pub hrv_sdnn_ms: Option<f64>,
    pub planned: Option<Planned>,
    /// Its sessions are only a short easy walk or commute: together at most
    /// `Thresholds::rest_day_max_min` minutes with heart rate under the band (or, without
    /// heart rate, a walk or a commute by its sport or name). It still counts as a rest day.
    pub light: bool,
    /// A day the plan imagines (`plan`), not one that happened: its soreness is a
    /// projection, and its sleep and resting HR are unknown rather than missing.
    pub projected: bool,
    /// Where each signal of the day came from (journal wins over watch).
    pub sources: DaySources,
}

/// Where a day's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Provenance {
    /// The athlete's journal (wins: the athlete may have corrected the watch).
    Journal,
    /// An account export (Garmin's sleep, resting HR and HRV files).
    Watch,
}

impl Provenance {
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Journal => "journal",
            Provenance::Watch => "watch",
        }
    }
}

/// The source of each signal on one day, `None` where there is no value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DaySources {
    pub sleep_hours: Option<Provenance>,
    pub sleep_score: Option<Provenance>,
    pub resting_hr: Option<Provenance>,
    pub hrv_ms: Option<Provenance>,
    pub hrv_sdnn_ms: Option<Provenance>,
}

/// Watch values by date, from an account export.
#[derive(Debug, Default)]
struct WatchDays {
    sleep: BTreeMap<NaiveDate, (f64, Option<f64>)>,
    resting_hr: BTreeMap<NaiveDate, f64>,
    hrv: BTreeMap<NaiveDate, f64>,
    hrv_sdnn: BTreeMap<NaiveDate, f64>,
}

impl WatchDays {
    fn from(w: Option<&Wellness>) -> Self {
        let Some(w) = w else {
            return WatchDays::default();
        };
        WatchDays {
            sleep: w
                .nights
                .iter()
                .map(|n| (n.date, (n.sleep_hours, n.score)))
                .collect(),
            resting_hr: w.resting_hr.iter().map(|d| (d.date, d.value)).collect(),
            hrv: w.hrv.iter().map(|d| (d.date, d.value)).collect(),
            hrv_sdnn: w.hrv_sdnn.iter().map(|d| (d.date, d.value)).collect(),
        }
    }

    fn dates(&self) -> impl Iterator<Item = &NaiveDate> {
        self.sleep
            .keys()
            .chain(self.resting_hr.keys())
            .chain(self.hrv.keys())
            .chain(self.hrv_sdnn.keys())
    }
}

/// The journal's value if logged, else the watch's, with its source.
fn pick(journal: Option<f64>, watch: Option<f64>) -> (Option<f64>, Option<Provenance>) {
    match (journal, watch) {
        (Some(j), _) => (Some(j), Some(Provenance::Journal)),
        (None, Some(w)) => (Some(w), Some(Provenance::Watch)),
        (None, None) => (None, None),
    }
}

impl Day {
    /// A day on or after the first activity with no training: no session, or only a short
    /// walk or commute under the band (`light`).
    pub fn is_rest(&self) -> bool {
        self.recorded && (self.sessions.is_empty() || self.light)
    }
    pub fn is_hard(&self) -> bool {
        self.class == Some(Class::Hard)
    }
}

/// Are these sessions only a short easy walk or commute? Together at most
/// `t.rest_day_max_min` minutes, and each either under the band (under a minute in or above
/// it) or, without heart rate, a walk or a commute by its sport or name.
pub fn is_light(sessions: &[&Classified], band: Band, t: &Thresholds) -> bool {
    if sessions.is_empty() {
        return false;
    }
    let minutes: f64 = sessions.iter().map(|c| c.session.timer_s).sum::<f64>() / 60.0;
    minutes <= t.rest_day_max_min
        && sessions.iter().all(|c| {
            if c.verdict.class != Class::Unknown {
                let (_, inside, above) = c.session.hr.split(band.low, band.high);
                (inside + above) < 60
            } else {
                let name = c.session.name.as_deref().unwrap_or("").to_lowercase();
                c.session.sport == "walking" || name.contains("walk") || name.contains("commute")
            }
        })
}

/// The class of a day with these sessions: hard when their summed minutes above the band
/// and share of the heart-rate time meet `t` (two 15-minute efforts make a hard day), else
/// the hardest session's class; `None` without sessions.
pub fn day_class(sessions: &[&Classified], t: &Thresholds) -> Option<Class> {
    let hardest = sessions.iter().map(|c| c.verdict.class).max()?;
    let above_min: f64 = sessions.iter().map(|c| c.verdict.above_min).sum();
    let hr_min: f64 = sessions
        .iter()
        .map(|c| c.session.hr_s() as f64)
        .sum::<f64>()
        / 60.0;
    let share = if hr_min > 0.0 {
        above_min / hr_min
    } else {
        0.0
    };
    if classify::is_hard(above_min, share, t) {
        Some(Class::Hard)
    } else {
        Some(hardest)
    }
}

/// Builds the daily table. Days run from the first to the last date with a session, a
/// journal row or a watch value (all are data); an empty input gives no days. Loads start on
/// the first recorded activity: a journal-only day before it is `recorded: false`, not a
/// rest day with load 0. Sleep, resting HR and HRV come
/// from the journal where logged, else from the watch.
pub fn build(
    sessions: &[Classified],
    journal: Option<&Journal>,
    watch: Option<&Wellness>,
    band: Band,
    t: &Thresholds,
) -> Vec<Day> {
    let mut by_date: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (i, c) in sessions.iter().enumerate() {
        by_date.entry(c.session.local_date).or_default().push(i);
    }
    let entries: BTreeMap<NaiveDate, &JournalEntry> = journal
        .map(|j| j.entries.iter().map(|e| (e.date, e)).collect())
        .unwrap_or_default();
    let wd = WatchDays::from(watch);
    let first = by_date
        .keys()
        .chain(entries.keys())
        .chain(wd.dates())
        .min()
        .copied();
    let last = by_date
        .keys()
        .chain(entries.keys())
        .chain(wd.dates())
        .max()
        .copied();
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let load_on = |d: NaiveDate| -> f64 {
        by_date
            .get(&d)
            .map_or(0.0, |ix| ix.iter().map(|&i| sessions[i].trimp).sum())
    };
    // From the first activity on; a journal day after the last activity stays a rest day, so
    // that `today`, asked days after the last file, still sees the rest since.
    let loads: BTreeMap<NaiveDate, DayLoad> = by_date
        .keys()
        .next()
        .map(|a| load::daily(*a, last, &load_on))
        .unwrap_or_default()
        .into_iter()
        .map(|l| (l.date, l))
        .collect();
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|date| {
            let recorded = loads.contains_key(&date);
            let l = loads.get(&date).cloned().unwrap_or(DayLoad {
                date,
                load: 0.0,
                acute: 0.0,
                chronic: 0.0,
                form: 0.0,
                acwr: None,
                ramp_in: false,
            });
            let ix = by_date.get(&date).cloned().unwrap_or_default();
            let day_sessions: Vec<&Classified> = ix.iter().map(|&i| &sessions[i]).collect();
            let e = entries.get(&date);
            let watch_sleep = wd.sleep.get(&date);
            let (sleep_hours, sleep_src) =
                pick(e.and_then(|e| e.sleep_hours), watch_sleep.map(|s| s.0));
            let (sleep_score, score_src) = pick(None, watch_sleep.and_then(|s| s.1));
            let (resting_hr, rhr_src) = pick(
                e.and_then(|e| e.resting_hr),
                wd.resting_hr.get(&date).copied(),
            );
            let (hrv_ms, hrv_src) = pick(e.and_then(|e| e.hrv_ms), wd.hrv.get(&date).copied());
            let (hrv_sdnn_ms, sdnn_src) = pick(None, wd.hrv_sdnn.get(&date).copied());
            Day {
                date,
                class: day_class(&day_sessions, t),
                recorded,
                above_min: ix
                    .iter()
                    .map(|&i| sessions[i].verdict.above_min)
                    .sum::<f64>()
                    + 0.0,
                timer_h: ix.iter().map(|&i| sessions[i].session.timer_s).sum::<f64>() / 3600.0
                    + 0.0,
                sessions: ix,
                load: l,
                soreness: e.and_then(|e| e.soreness),
                sleep_hours,
                sleep_quality: e.and_then(|e| e.sleep_quality),
                sleep_score,
                resting_hr,
                hrv_ms,
                hrv_sdnn_ms,
                planned: e.and_then(|e| e.planned),
                light: is_light(&day_sessions, band, t),
                projected: false,
                sources: DaySources {
                    sleep_hours: sleep_src,
                    sleep_score: score_src,
                    resting_hr: rhr_src,
                    hrv_ms: hrv_src,
                    hrv_sdnn_ms: sdnn_src,
                },
            }
        })
        .collect()
}

/// The day `n` days after `date` in `days`, if inside the period.
pub fn day_after(days: &[Day], date: NaiveDate, n: i64) -> Option<&Day> {
    let first = days.first()?.date;
    let i = (date + Duration::days(n) - first).num_days();
    usize::try_from(i).ok().and_then(|i| days.get(i))
}

/// `weeks.csv` and the weekly figures behind it, from the first activity on.
pub fn weeks(days: &[Day]) -> Vec<load::Week> {
    let rows: Vec<_> = days
        .iter()
        .filter(|d| d.recorded)
        .map(|d| {
            (
                d.date,
                d.load.load,
                d.timer_h,
                d.sessions.len(),
                d.is_rest(),
            )
        })
        .collect();
    load::weekly(&rows)
}

/// Hand-built weeks for the tests of the rules that read days.
#[cfg(test)]
pub mod fixtures {
    use super::*;
    use crate::classify::classify_all;
    use crate::journal::JournalEntry;
    use crate::load::HeartProfile;
    use crate::load::Sex;
    use crate::session::{HrHistogram, LocalDateSource, Session};
    use chrono::{TimeZone, Utc};

    pub fn date(s: &str) -> NaiveDate {
        s.parse().expect("test dates are valid")
    }

    /// A session on `day`: `minutes` long with `above` minutes at 150 bpm, the rest at 130.
    pub fn session(day: &str, minutes: f64, above: f64, name: Option<&str>) -> Session {
        let mut hr = HrHistogram::default();
        hr.add(150, (above * 60.0).round() as u32);
        hr.add(130, ((minutes - above) * 60.0).round() as u32);
        let d = date(day);
        Session {
            file: format!("{day}.fit"),
            index: 0,
            sport: "running".into(),
            sub_sport: String::new(),
            start_utc: Utc.from_utc_datetime(&d.and_hms_opt(7, 0, 0).expect("valid time")),
            local_date: d,
            utc_offset_s: None,
            local_date_source: LocalDateSource::Utc,
            timer_s: minutes * 60.0,
            elapsed_s: minutes * 60.0,
            distance_m: None,
            manufacturer: String::new(),
            product: String::new(),
            name: name.map(str::to_string),
            rpe: None,
            feel: None,
            pauses: 0,
            hr,
            ..Session::default()
        }
    }

    pub fn hard(day: &str) -> Session {
        session(day, 60.0, 30.0, None)
    }
    /// A walk of `minutes` at 100 bpm, under the band.
    pub fn walk(day: &str, minutes: f64) -> Session {
        let mut s = session(day, minutes, 0.0, Some("Walk"));
        s.sport = "walking".into();
        s.hr = HrHistogram::default();
        s.hr.add(100, (minutes * 60.0).round() as u32);
        s
    }
    pub fn easy(day: &str) -> Session {
        session(day, 60.0, 2.0, None)
    }
    pub fn recovery(day: &str) -> Session {
        session(day, 30.0, 0.0, None)
    }

    /// A journal row: date, soreness, sleep hours, planned.
    pub fn entry(day: &str, soreness: f64, sleep: f64, planned: Option<Planned>) -> JournalEntry {
        JournalEntry {
            line: 0,
            date: date(day),
            soreness: Some(soreness),
            sleep_hours: Some(sleep),
            sleep_quality: None,
            resting_hr: None,
            hrv_ms: None,
            rpe: None,
            planned,
            notes: String::new(),
        }
    }

    pub fn journal(entries: Vec<JournalEntry>) -> Journal {
        Journal {
            label: "journal.csv".into(),
            entries,
            problems: Vec::new(),
            warnings: Vec::new(),
            rows_left_out: 0,
            values_left_out: 0,
            has_sleep_column: true,
        }
    }

    /// Classified sessions and their days with default settings.
    pub fn build_days(
        sessions: Vec<Session>,
        journal: Option<&Journal>,
    ) -> (Vec<Classified>, Vec<Day>) {
        let athlete = HeartProfile {
            hr_max: 190.0,
            hr_rest: 60.0,
            sex: Sex::Male,
        };
        let c = classify_all(sessions, Band::default(), &Thresholds::default(), &athlete);
        let days = build(&c, journal, None, Band::default(), &Thresholds::default());
        (c, days)
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use crate::classify::classify_all;

    #[test]
    fn a_short_walk_under_the_band_is_still_a_rest_day_and_a_long_or_brisk_one_is_not() {
        let mut brisk = walk("2026-03-05", 20.0);
        brisk.hr.add(125, 120); // two minutes inside the band
        let (_, days) = build_days(
            vec![
                hard("2026-03-02"),
                walk("2026-03-03", 25.0),
                walk("2026-03-04", 45.0),
                brisk,
            ],
            None,
        );
        let rest: Vec<bool> = days.iter().map(Day::is_rest).collect();
        assert_eq!(rest, vec![false, true, false, false]);
        // A rest day with a walk still counts its session and its load.
        assert_eq!(days[1].sessions.len(), 1);
        let weeks = weeks(&days);
        assert_eq!(weeks[0].rest_days, 1);
    }

    #[test]
    fn days_run_from_the_first_to_the_last_date_with_rest_days_between() {
        let j = journal(vec![entry("2026-03-06", 2.0, 8.0, None)]);
        let (_, days) = build_days(vec![hard("2026-03-02"), easy("2026-03-04")], Some(&j));
        assert_eq!(days.len(), 5);
        assert!(days[0].is_hard());
        assert!(days[1].is_rest() && days[1].load.load == 0.0);
        assert_eq!(days[2].class, Some(Class::Easy));
        assert_eq!(days[4].soreness, Some(2.0));
    }

    #[test]
    fn the_journal_wins_over_the_watch_and_every_value_names_its_source() {
        use crate::ingest::exports::{DayValue, Night};
        let night = |d: &str, h: f64| Night {
            date: date(d),
            sleep_hours: h,
            score: Some(80.0),
            start_utc: None,
            end_utc: None,
            source_file: "x_sleepData.json".into(),
        };
        let w = Wellness {
            nights: vec![night("2026-03-02", 6.0), night("2026-03-03", 7.0)],
            resting_hr: vec![DayValue {
                date: date("2026-03-03"),
                value: 58.0,
                source_file: "UDSFile.json".into(),
            }],
            ..Wellness::default()
        };
        let j = journal(vec![entry("2026-03-02", 3.0, 8.0, None)]);
        let c = classify_all(
            vec![easy("2026-03-02")],
            Band::default(),
            &Thresholds::default(),
            &crate::load::HeartProfile {
                hr_max: 190.0,
                hr_rest: 60.0,
                sex: crate::load::Sex::Male,
            },
        );
        let days = build(
            &c,
            Some(&j),
            Some(&w),
            Band::default(),
            &Thresholds::default(),
        );
        assert_eq!(days.len(), 2, "the watch's day extends the period");
        assert_eq!(days[0].sleep_hours, Some(8.0));
        assert_eq!(days[0].sources.sleep_hours, Some(Provenance::Journal));
        assert_eq!(days[0].sources.sleep_score, Some(Provenance::Watch));
        assert_eq!(days[1].sleep_hours, Some(7.0));
        assert_eq!(days[1].sources.sleep_hours, Some(Provenance::Watch));
        assert_eq!(days[1].resting_hr, Some(58.0));
        assert_eq!(
            disagreements(Some(&j), Some(&w)),
            (1, 0),
            "8 h vs 6 h differ by over an hour"
        );
        assert_eq!(
            source_lines(&days)[0],
            "sleep hours: journal on 1 days (2026-03-02 – 2026-03-02), watch on 1 days (2026-03-03 – 2026-03-03)"
        );
    }

    #[test]
    fn two_fifteen_minute_efforts_on_one_day_make_a_hard_day() {
        // Each session alone: 15 of 60 min above (25 %, but under 20 min) is hard by share;
        // with 15 of 90 min (17 %) each is easy, yet the day has 30 min above.
        let (c, days) = build_days(
            vec![
                session("2026-03-02", 90.0, 15.0, None),
                session("2026-03-02", 90.0, 15.0, None),
            ],
            None,
        );
        assert!(c.iter().all(|s| s.verdict.class == Class::Easy));
        assert_eq!(days[0].class, Some(Class::Hard));
        assert!((days[0].above_min - 30.0).abs() < 1e-9);
    }

    #[test]
    fn short_bits_above_the_band_do_not_make_a_hard_day() {
        // A 2-min file with 1 min above and an easy hour: 3 min above in all.
        let (_, days) = build_days(
            vec![session("2026-03-02", 2.0, 1.0, None), easy("2026-03-02")],
            None,
        );
        assert_eq!(days[0].class, Some(Class::Easy));
    }

    #[test]
    fn days_before_the_first_activity_are_unrecorded_not_rest_days() {
        let j = journal(vec![
            entry("2026-02-27", 2.0, 8.0, None),
            entry("2026-03-06", 2.0, 8.0, None),
        ]);
        let (_, days) = build_days(vec![hard("2026-03-02"), easy("2026-03-04")], Some(&j));
        assert_eq!(days.len(), 8);
        let first = &days[0];
        assert!(!first.recorded && !first.is_rest() && first.class.is_none());
        assert!(days[1..=2].iter().all(|d| !d.recorded));
        assert!(days[3].recorded && days[3].is_hard());
        // The loads start on the first activity, not 3 days earlier, from the mean of the
        // days from it on (the seed).
        let a = crate::load::pmc_alpha(crate::load::ACUTE_DAYS);
        let seed = days[3..].iter().map(|d| d.load.load).sum::<f64>() / 5.0;
        assert!((days[3].load.acute - (seed + a * (days[3].load.load - seed))).abs() < 1e-9);
        assert!(days[4].is_rest());
        // After the last activity the journal's days are rest days: `today` counts on them.
        assert!(days[7].recorded && days[7].is_rest());
        let t = crate::report::tables::days::days_table(&days, &[]);
        let mut buf = Vec::new();
        t.write_csv(&mut buf).expect("writes to memory");
        let csv = String::from_utf8(buf).expect("utf-8");
        let cells: Vec<&str> = csv
            .lines()
            .nth(1)
            .expect("a first day")
            .split(',')
            .collect();
        assert_eq!(cells[2], "unrecorded");
        assert_eq!(
            &cells[5..=10],
            &["", "", "", "", "", ""],
            "no load figures: {cells:?}"
        );
        assert_eq!(cells[18], "", "rest_day unknown");
        // The week of the journal-only Friday–Sunday is left out; 03-02 to 03-06 remain.
        let w = &weeks(&days)[0];
        assert_eq!((w.start, w.days), (date("2026-03-02"), 5));
    }

    #[test]
    fn the_class_of_a_day_is_its_hardest_session() {
        let (_, days) = build_days(vec![recovery("2026-03-02"), hard("2026-03-02")], None);
        assert_eq!(days.len(), 1);
        assert_eq!(days[0].class, Some(Class::Hard));
        assert_eq!(days[0].sessions.len(), 2);
    }

    #[test]
    fn days_csv_has_the_documented_columns() {
        let (_, days) = build_days(vec![easy("2026-03-02")], None);
        let t = crate::report::tables::days::days_table(&days, &[]);
        let names: Vec<_> = t.columns.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "date",
                "sessions",
                "class",
                "above_min",
                "timer_h",
                "load",
                "acute",
                "chronic",
                "form",
                "acwr_uncoupled",
                "load_ramp_in",
                "soreness",
                "sleep_hours",
                "sleep_quality",
                "resting_hr",
                "hrv_ms",
                "planned",
                "rest_day",
                "sleep_score",
                "sleep_hours_source",
                "sleep_score_source",
                "resting_hr_source",
                "hrv_ms_source",
                "hrv_metric",
                "hrv_ln_7d",
                "hrv_band_low",
                "hrv_band_high",
                "rhr_baseline",
                "rhr_baseline_sd",
                "sleep_debt_h",
                "hrv_sdnn_ms"
            ]
        );
    }
}
