//! Sleep, resting heart rate, HRV, activity names and perceived effort from Garmin account
//! exports and Strava archives: each file's path and bytes in, day and activity records out.
//!
//! One file per source reads its formats ([`garmin`]: JSON, [`strava`]: `activities.csv`);
//! this module knows which file is which, collects what they read, counts what was left out
//! and keeps one copy of each day. Joining the activities to FIT sessions is
//! [`super::join`]'s.
//!
//! Pure: no file system, no clock. The caller walks folders and archives (and un-gzips) as it
//! does for FIT files, passes every file [`classify_path`] knows to [`Wellness::add_file`],
//! then calls [`Wellness::finish`] once.
//!
//! # Recognised files
//!
//! A file is known by its name and the folder it sits in (the last two path components), so
//! `DI_CONNECT/` may sit anywhere: at the top of the export zip, under the UUID-named folder
//! of an unpacked export, inside a zip inside a zip. Names and folders are compared without
//! regard to case, `\` counts as `/`, and a trailing `.gz` is allowed (the caller passes the
//! decompressed bytes).
//!
//! | kind | folder | file name | read from each entry |
//! |---|---|---|---|
//! | [`GarminSleep`](WellnessKind::GarminSleep) | `DI-Connect-Wellness` | `*sleepData.json` | `calendarDate` (the date of waking); `deepSleepSeconds` + `lightSleepSeconds` + `remSleepSeconds` as the night's sleep; `sleepScores.overallScore` or `sleepScores.overall.value`; `sleepStartTimestampGMT`, `sleepEndTimestampGMT` |
//! | [`GarminRestingHr`](WellnessKind::GarminRestingHr) | `DI-Connect-Aggregator` | `UDSFile*.json` | `calendarDate`, `restingHeartRate` |
//! | [`GarminHrv`](WellnessKind::GarminHrv) | `DI-Connect-Wellness` | `*healthStatusData.json` | `calendarDate`, the `value` of the `metrics` entry whose `type` is `HRV` |
//! | [`GarminActivities`](WellnessKind::GarminActivities) | `DI-Connect-Fitness` | `*summarizedActivities.json` | `activityId`; `name` (or `activityName`); `activityType` (text, or an object's `typeKey`); the start from `beginTimestamp`, else `startTimeGmt`; `directWorkoutRpe` (or `workoutRpe`) / 10; `directWorkoutFeel` (or `workoutFeel`) |
//! | [`StravaActivities`](WellnessKind::StravaActivities) | any | `activities.csv` | `Filename`, `Activity ID`, `Activity Name`, `Activity Type`, `Perceived Exertion` |
//!
//! Garmin times are UTC: ISO text (`2026-01-14T22:00:00.0`, with or without fraction, `T` or
//! space, an optional offset), or a number or digit string of epoch milliseconds (epoch
//! seconds when below 10^11, which as milliseconds would be 1973). The activities file is
//! `[{"summarizedActivitiesExport": [...]}]`; a plain list of activities is read too. A
//! `calendarDate` may also be an object `{"date": ...}`. The Strava header repeats names
//! (`Distance`, `Elapsed Time`, …): each column is found by position, the first with the
//! name wins. Text that is not UTF-8 is read lossily.
//!
//! # What is skipped
//!
//! - Every other file, silently: it is not ours.
//! - A known file that cannot be read as what its name promises (not JSON, wrong top level,
//!   a CSV without `Filename`, still gzip-compressed): one line in [`Wellness::problems`]
//!   naming the file and what was expected; nothing from it is used, the other files are.
//! - Entries without a readable `calendarDate`, with a negative duration or more than 24 h of
//!   sleep, with an implausible value (resting heart rate outside 20–150 bpm, HRV outside
//!   1–300 ms), activities with none of id, start and name: left out. A score, time, id,
//!   name, type, RPE (Garmin 10–100, Strava 1–10) or feel (0–100) that cannot be read only
//!   loses that value. Either way the file gets one line counting them with the first
//!   reason, and the rest is used.
//! - Silently, because real exports are full of them: nights whose deep, light and REM
//!   seconds are all null or all zero (the watch was not worn: not a night), days without a
//!   resting heart rate or an HRV metric (null or 0), RPE 0 (the question was not answered),
//!   Strava rows with an empty `Filename` (manual entries: there is no file to join).
//! - Not read at all: `awakeSleepSeconds` and `unmeasurableSeconds` (not sleep),
//!   `sleepWindowConfirmationType`, the HRV baseline and status, `startTimeLocal` (a wall
//!   clock of unknown zone), Strava's `Activity Date` (its zone is not stated; Strava rows
//!   join by file instead).
//!
//! # Duplicates
//!
//! Garmin splits its files by date range (`2025-11-05_2026-02-13_12345678_sleepData.json`,
//! `UDSFile_2025-11-05_2026-02-13.json`) and the ranges can overlap. The same night or day
//! is kept once: from the file whose range in its name ends (then starts) later; a file
//! without a range loses to one with; then the later file name, then the later entry. A
//! Garmin activity met twice (same `activityId`) is kept once by the same rule. Strava rows
//! are all kept: each joins the files beside its own `activities.csv`, and the FIT reader
//! already counts a session met twice once.

mod garmin;
mod strava;

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::fmt::Display;

use chrono::{DateTime, NaiveDate, Utc};

use garmin::{
    each_entry, garmin_activity, garmin_activity_list, hrv, json_list, night, resting_hr,
};
use strava::strava_activities;

/// The kinds of file read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WellnessKind {
    /// `DI-Connect-Wellness/*sleepData.json`: one object a night.
    GarminSleep,
    /// `DI-Connect-Aggregator/UDSFile*.json`: daily summaries holding the resting heart rate.
    GarminRestingHr,
    /// `DI-Connect-Wellness/*healthStatusData.json`: overnight HRV among other metrics.
    GarminHrv,
    /// `DI-Connect-Fitness/*summarizedActivities.json`: names, types, starts, RPE and feel.
    GarminActivities,
    /// A Strava archive's `activities.csv`: names, types and perceived exertion by file.
    StravaActivities,
}

impl WellnessKind {
    /// What a file of this kind holds, for the line that says it did not.
    fn expected(self) -> &'static str {
        match self {
            WellnessKind::GarminSleep => {
                "a Garmin sleepData JSON list of nights (calendarDate, deepSleepSeconds, ...)"
            }
            WellnessKind::GarminRestingHr => {
                "a Garmin UDSFile JSON list of days (calendarDate, restingHeartRate)"
            }
            WellnessKind::GarminHrv => {
                "a Garmin healthStatusData JSON list of days (calendarDate, metrics)"
            }
            WellnessKind::GarminActivities => {
                "a Garmin summarizedActivities JSON file ([{\"summarizedActivitiesExport\": [...]}])"
            }
            WellnessKind::StravaActivities => {
                "a Strava activities.csv with a header line naming a Filename column"
            }
        }
    }
}

/// Which kind a file is, from its path label inside the input (for example
/// `export.zip/DI_CONNECT/DI-Connect-Wellness/x_sleepData.json`); `None`: not ours.
pub fn classify_path(path: &str) -> Option<WellnessKind> {
    let path = path.replace('\\', "/").to_ascii_lowercase();
    let mut parts = path.rsplit('/').filter(|p| !p.is_empty());
    let name = parts.next()?;
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let folder = parts.next().unwrap_or("");
    match folder {
        "di-connect-wellness" if name.ends_with("sleepdata.json") => {
            Some(WellnessKind::GarminSleep)
        }
        "di-connect-wellness" if name.ends_with("healthstatusdata.json") => {
            Some(WellnessKind::GarminHrv)
        }
        "di-connect-aggregator" if name.starts_with("udsfile") && name.ends_with(".json") => {
            Some(WellnessKind::GarminRestingHr)
        }
        "di-connect-fitness" if name.ends_with("summarizedactivities.json") => {
            Some(WellnessKind::GarminActivities)
        }
        _ if name == "activities.csv" => Some(WellnessKind::StravaActivities),
        _ => None,
    }
}

/// One night of sleep as the watch measured it.
#[derive(Debug, Clone, PartialEq)]
pub struct Night {
    /// The date of waking (Garmin's `calendarDate`): the morning a journal row is about.
    pub date: NaiveDate,
    /// Deep + light + REM; time awake and unmeasurable time are not sleep.
    pub sleep_hours: f64,
    /// Garmin's overall sleep score, 0–100.
    pub score: Option<f64>,
    pub start_utc: Option<DateTime<Utc>>,
    pub end_utc: Option<DateTime<Utc>>,
    /// Path label of the file it came from.
    pub source_file: String,
}

/// One value for one day: resting heart rate (bpm) or overnight HRV (ms).
#[derive(Debug, Clone, PartialEq)]
pub struct DayValue {
    pub date: NaiveDate,
    pub value: f64,
    /// Path label of the file it came from.
    pub source_file: String,
}

/// What one Apple Health export (`export.xml`, read by `ingest::apple`) holds for the day
/// table: [`Wellness::add_apple`] takes it.
#[derive(Debug, Default, Clone)]
pub struct AppleDays {
    pub nights: Vec<Night>,
    pub resting_hr: Vec<DayValue>,
    /// HRV as Apple measures it: SDNN, never rMSSD.
    pub hrv_sdnn: Vec<DayValue>,
}

/// What an export says about one activity, to be joined to a FIT session: Garmin's by start
/// time ([`match_activities`]), Strava's by file ([`match_files`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityNote {
    /// [`WellnessKind::GarminActivities`] or [`WellnessKind::StravaActivities`].
    pub kind: WellnessKind,
    /// Garmin `activityId` or Strava `Activity ID`, as text.
    pub id: Option<String>,
    /// Garmin's start; `None` for Strava rows, which join by file.
    pub start_utc: Option<DateTime<Utc>>,
    /// Strava's `Filename` as written, relative to the archive (`activities/123.fit.gz`).
    pub file: Option<String>,
    pub name: Option<String>,
    /// As the export writes it (Garmin `running`, Strava `Run`).
    pub activity_type: Option<String>,
    /// Perceived effort, 1–10 (Garmin's 10–100 divided by 10).
    pub rpe: Option<f64>,
    /// Garmin's "how did you feel", 0 (very weak) to 100 (very strong).
    pub feel: Option<f64>,
    /// Path label of the file it came from.
    pub source_file: String,
}

/// Everything read from the wellness files of one run.
#[derive(Debug, Clone, Default)]
pub struct Wellness {
    /// One per date after [`Wellness::finish`], by date.
    pub nights: Vec<Night>,
    /// Resting heart rate in bpm, one per date after [`Wellness::finish`], by date.
    pub resting_hr: Vec<DayValue>,
    /// Overnight HRV in ms, one per date after [`Wellness::finish`], by date.
    pub hrv: Vec<DayValue>,
    /// HRV as SDNN in ms (Apple Health), one per date after [`Wellness::finish`]: another
    /// measure than `hrv` (rMSSD), never mixed with it.
    pub hrv_sdnn: Vec<DayValue>,
    /// Garmin activities by start, then Strava rows by file, after [`Wellness::finish`].
    pub activities: Vec<ActivityNote>,
    /// One line per file that could not be read, or was read only in part.
    pub problems: Vec<String>,
    /// Path labels of the known files that were read (wholly or in part), in input order.
    pub files_read: Vec<String>,
}

impl Wellness {
    /// Reads one file if [`classify_path`] knows it; does nothing otherwise. Problems are
    /// collected in [`Wellness::problems`]; nothing in the bytes can make this panic.
    pub fn add_file(&mut self, path: &str, bytes: &[u8]) {
        let Some(kind) = classify_path(path) else {
            return;
        };
        let mut issues = Issues::default();
        match self.read(kind, path, bytes, &mut issues) {
            Ok(()) => {
                self.files_read.push(path.to_string());
                if let Some(line) = issues.line(path) {
                    self.problems.push(line);
                }
            }
            Err(e) => self.problems.push(format!(
                "{path}: {e}; expected {}; skipped",
                kind.expected()
            )),
        }
    }

    fn read(
        &mut self,
        kind: WellnessKind,
        path: &str,
        bytes: &[u8],
        issues: &mut Issues,
    ) -> Result<(), FileError> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            return Err(FileError::Gzipped);
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        // Parse the whole file before adding anything, so a file that fails adds nothing.
        match kind {
            WellnessKind::GarminSleep => {
                let nights = each_entry(json_list(bytes)?, issues, |e| night(e, path));
                self.nights.extend(nights);
            }
            WellnessKind::GarminRestingHr => {
                let days = each_entry(json_list(bytes)?, issues, |e| resting_hr(e, path));
                self.resting_hr.extend(days);
            }
            WellnessKind::GarminHrv => {
                let days = each_entry(json_list(bytes)?, issues, |e| hrv(e, path));
                self.hrv.extend(days);
            }
            WellnessKind::GarminActivities => {
                let notes = each_entry(garmin_activity_list(bytes)?, issues, |e| {
                    garmin_activity(e, path)
                });
                self.activities.extend(notes);
            }
            WellnessKind::StravaActivities => {
                self.activities
                    .extend(strava_activities(bytes, path, issues)?);
            }
        }
        Ok(())
    }

    /// Adds what an Apple Health export (`export.xml`, read by `ingest::apple`) holds.
    pub fn add_apple(&mut self, path: &str, days: AppleDays) {
        self.nights.extend(days.nights);
        self.resting_hr.extend(days.resting_hr);
        self.hrv_sdnn.extend(days.hrv_sdnn);
        self.files_read.push(path.to_string());
    }

    /// Keeps one night, resting heart rate and HRV per date and one copy of each activity
    /// (see the module notes on duplicates), and sorts everything by date. Idempotent.
    pub fn finish(&mut self) {
        self.nights = keep_latest(
            std::mem::take(&mut self.nights),
            |n| n.date,
            |n| &n.source_file,
        );
        self.resting_hr = keep_latest(
            std::mem::take(&mut self.resting_hr),
            |d| d.date,
            |d| &d.source_file,
        );
        self.hrv = keep_latest(
            std::mem::take(&mut self.hrv),
            |d| d.date,
            |d| &d.source_file,
        );
        self.hrv_sdnn = keep_latest(
            std::mem::take(&mut self.hrv_sdnn),
            |d| d.date,
            |d| &d.source_file,
        );
        // Only Garmin activities with an id can be recognised twice; every other note is
        // its own key.
        let activities = std::mem::take(&mut self.activities);
        let mut notes = keep_latest(
            activities.into_iter().enumerate().collect(),
            |(i, a)| match (&a.id, a.kind) {
                (Some(id), WellnessKind::GarminActivities) => (Some(id.clone()), 0),
                _ => (None, *i),
            },
            |(_, a)| &a.source_file,
        );
        // Garmin by start, those without a start after them, then Strava by file.
        notes.sort_by_cached_key(|(_, n)| {
            let text = (n.file.clone(), n.source_file.clone(), n.id.clone());
            (n.start_utc.is_none(), n.start_utc, n.kind, text)
        });
        self.activities = notes.into_iter().map(|(_, a)| a).collect();
    }
}

// ---------------------------------------------------------------------------------------
// Problems: a file that cannot be used at all, and entries that were left out or cut short.

#[derive(Debug, thiserror::Error)]
enum FileError {
    #[error("still gzip-compressed (decompress it before passing it here)")]
    Gzipped,
    #[error("not valid JSON ({0})")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Shape(&'static str),
    #[error("not readable as CSV ({0})")]
    Csv(#[from] csv::Error),
}

/// Entries of one file that were left out or read without a bad value: counted, the first
/// one named, so a file with a thousand bad entries still makes one line.
#[derive(Debug, Default)]
struct Issues {
    entries: usize,
    skipped: usize,
    partly: usize,
    first: Option<String>,
}

impl Issues {
    fn note(&mut self, at: &str, why: impl Display) {
        if self.first.is_none() {
            self.first = Some(format!("{at}: {why}"));
        }
    }

    fn line(&self, path: &str) -> Option<String> {
        let first = self.first.as_deref()?;
        let mut what = Vec::new();
        if self.skipped > 0 {
            what.push(format!(
                "{} of {} entries left out",
                self.skipped, self.entries
            ));
        }
        if self.partly > 0 {
            what.push(format!("{} read without a bad value", self.partly));
        }
        Some(format!(
            "{path}: {} (first: {first}); the rest is used",
            what.join(", ")
        ))
    }
}

/// What became of one entry.
enum Read<T> {
    /// Used (perhaps without a value that was bad: see the problems).
    Used(T, Vec<String>),
    /// Nothing to use, and nothing wrong (an all-null night, a day without the value).
    Empty,
    /// Left out for a reason worth a line.
    Bad(String),
}

// ---------------------------------------------------------------------------------------
// Duplicates.

/// Which copy of a record wins: the later date range in the file name, then the later file
/// name, then the later position in input order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    /// (end, start) of the range in the file name.
    range: Option<(NaiveDate, NaiveDate)>,
    file: String,
    position: usize,
}

/// The dates in a file name: `2025-11-05_2026-02-13_1_sleepData.json` covers 11-05 to 02-13
/// (returned as end, start); a single date covers that day.
fn name_range(path: &str) -> Option<(NaiveDate, NaiveDate)> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let dates: Vec<NaiveDate> = (0..name.len())
        .filter_map(|i| name.get(i..i + 10))
        .filter(|s| looks_like_date(s))
        .filter_map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .collect();
    match dates.as_slice() {
        [] => None,
        [one] => Some((*one, *one)),
        [start, end, ..] => Some((*end, *start)),
    }
}

fn looks_like_date(s: &str) -> bool {
    s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// One record per key, the best ranked copy, in key order.
fn keep_latest<T, K: Ord>(
    items: Vec<T>,
    key: impl Fn(&T) -> K,
    source: impl Fn(&T) -> &String,
) -> Vec<T> {
    let mut best: BTreeMap<K, (Rank, T)> = BTreeMap::new();
    for (position, item) in items.into_iter().enumerate() {
        let file = source(&item);
        let rank = Rank {
            range: name_range(file),
            file: file.clone(),
            position,
        };
        match best.entry(key(&item)) {
            Entry::Vacant(e) => {
                e.insert((rank, item));
            }
            Entry::Occupied(mut e) => {
                if rank > e.get().0 {
                    e.insert((rank, item));
                }
            }
        }
    }
    best.into_values().map(|(_, item)| item).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const WELLNESS: &str = "export.zip/DI_CONNECT/DI-Connect-Wellness";
    const FITNESS: &str = "export.zip/DI_CONNECT/DI-Connect-Fitness";
    const AGGREGATOR: &str = "export.zip/DI_CONNECT/DI-Connect-Aggregator";

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test dates are valid")
    }

    pub(crate) fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("test times are valid")
            .with_timezone(&Utc)
    }

    /// The export read from `(path, text)` files, as the join tests use it too.
    pub(crate) fn read(files: &[(&str, &str)]) -> Wellness {
        let mut w = Wellness::default();
        for (path, text) in files {
            w.add_file(path, text.as_bytes());
        }
        w.finish();
        w
    }

    /// One activity on one line: id, start or file, name/type, rpe, feel.
    fn describe(a: &ActivityNote) -> String {
        let or_dash = |x: Option<f64>| x.map_or("-".to_string(), |x| x.to_string());
        format!(
            "{} {} {}/{} rpe {} feel {}",
            a.id.as_deref().unwrap_or("-"),
            a.start_utc
                .map(|t| t.to_string())
                .or(a.file.clone())
                .unwrap_or("-".to_string()),
            a.name.as_deref().unwrap_or("-"),
            a.activity_type.as_deref().unwrap_or("-"),
            or_dash(a.rpe),
            or_dash(a.feel)
        )
    }

    #[test]
    fn paths_are_classified_by_file_name_and_folder_wherever_the_export_sits() {
        use WellnessKind::*;
        let table: [(&str, Option<WellnessKind>); 16] = [
            (
                "export.zip/DI_CONNECT/DI-Connect-Wellness/2025-11-05_2026-02-13_1_sleepData.json",
                Some(GarminSleep),
            ),
            (
                "/home/a/Downloads/3f2a9c/DI_CONNECT/DI-Connect-Wellness/x_sleepData.json",
                Some(GarminSleep),
            ),
            (
                "outer.zip/inner.zip/DI-Connect-Wellness/x_sleepData.json",
                Some(GarminSleep),
            ),
            (
                "C:\\export\\DI_CONNECT\\DI-Connect-Wellness\\x_sleepData.json",
                Some(GarminSleep),
            ),
            (
                "e/DI_CONNECT/DI-CONNECT-WELLNESS/X_SLEEPDATA.JSON",
                Some(GarminSleep),
            ),
            (
                "e/DI_CONNECT/DI-Connect-Wellness/x_sleepData.json.gz",
                Some(GarminSleep),
            ),
            (
                "e/DI_CONNECT/DI-Connect-Wellness/x_healthStatusData.json",
                Some(GarminHrv),
            ),
            (
                "e/DI_CONNECT/DI-Connect-Aggregator/UDSFile_2025-11-05_2026-02-13.json",
                Some(GarminRestingHr),
            ),
            (
                "e/DI_CONNECT/DI-Connect-Fitness/me@x.org_0_summarizedActivities.json",
                Some(GarminActivities),
            ),
            (
                "strava_export_123.zip/activities.csv",
                Some(StravaActivities),
            ),
            ("activities.csv", Some(StravaActivities)),
            // Right name, wrong folder; right folder, unknown file; not ours at all.
            ("e/DI_CONNECT/DI-Connect-Fitness/x_sleepData.json", None),
            ("e/DI_CONNECT/DI-Connect-Wellness/x_stressData.json", None),
            (
                "e/DI_CONNECT/DI-Connect-Aggregator/HydrationLogFile_2026.json",
                None,
            ),
            ("strava.zip/activities/1234567.fit.gz", None),
            ("", None),
        ];
        for (path, expected) in table {
            assert_eq!(classify_path(path), expected, "{path}");
        }
    }

    #[test]
    fn date_ranges_are_read_from_garmin_file_names() {
        let table = [
            (
                "x/2025-11-05_2026-02-13_12345678_sleepData.json",
                Some((date("2026-02-13"), date("2025-11-05"))),
            ),
            (
                "x/UDSFile_2025-11-05_2026-02-13.json",
                Some((date("2026-02-13"), date("2025-11-05"))),
            ),
            (
                "x/2026-02-13_sleepData.json",
                Some((date("2026-02-13"), date("2026-02-13"))),
            ),
            ("2026-01-01_2026-12-31/x_sleepData.json", None),
            ("x/2026-13-45_2026-02-30_sleepData.json", None),
            ("x/12345678_sleepData.json", None),
        ];
        for (path, expected) in table {
            assert_eq!(name_range(path), expected, "{path}");
        }
    }

    #[test]
    fn a_sleep_export_gives_deep_light_and_rem_as_the_nights_sleep() {
        let json = r#"[
          {"calendarDate": "2026-01-15",
           "sleepStartTimestampGMT": "2026-01-14T22:00:00.0",
           "sleepEndTimestampGMT": "2026-01-15T06:30:00.0",
           "deepSleepSeconds": 5400, "lightSleepSeconds": 16200, "remSleepSeconds": 7200,
           "awakeSleepSeconds": 1800, "unmeasurableSeconds": 0,
           "sleepWindowConfirmationType": "ENHANCED_CONFIRMED_FINAL",
           "sleepScores": {"overallScore": 82, "qualityScore": 75}}
        ]"#;
        let w = read(&[(
            &format!("{WELLNESS}/2026-01-01_2026-01-31_1_sleepData.json"),
            json,
        )]);
        assert_eq!(w.problems, Vec::<String>::new());
        assert_eq!(w.nights.len(), 1);
        let n = &w.nights[0];
        assert_eq!(n.date, date("2026-01-15"));
        // (5400 + 16200 + 7200) s = 28800 s = 8 h; the 30 min awake are not sleep.
        assert_eq!(n.sleep_hours, 8.0);
        assert_eq!(n.score, Some(82.0));
        assert_eq!(n.start_utc, Some(utc("2026-01-14T22:00:00Z")));
        assert_eq!(n.end_utc, Some(utc("2026-01-15T06:30:00Z")));
        assert!(n.source_file.ends_with("_sleepData.json"));
        assert_eq!(w.files_read.len(), 1);
    }

    #[test]
    fn a_sleep_dump_with_epoch_milliseconds_and_nested_scores_reads_the_same() {
        let json = r#"[{"calendarDate": "2026-01-15",
            "sleepStartTimestampGMT": 1768428000000, "sleepEndTimestampGMT": 1768458600000,
            "deepSleepSeconds": 5400, "lightSleepSeconds": 16200, "remSleepSeconds": 7200,
            "sleepScores": {"overall": {"value": 82, "qualifierKey": "GOOD"}}}]"#;
        let w = read(&[(&format!("{WELLNESS}/dump_sleepData.json"), json)]);
        assert_eq!(w.problems, Vec::<String>::new());
        let n = &w.nights[0];
        assert_eq!((n.sleep_hours, n.score), (8.0, Some(82.0)));
        assert_eq!(n.start_utc, Some(utc("2026-01-14T22:00:00Z")));
        assert_eq!(n.end_utc, Some(utc("2026-01-15T06:30:00Z")));
    }

    #[test]
    fn nulls_and_missing_keys_count_as_nothing_and_all_null_nights_are_not_nights() {
        let json = r#"[
          {"calendarDate": "2026-01-10", "deepSleepSeconds": null, "lightSleepSeconds": null,
           "remSleepSeconds": null, "awakeSleepSeconds": null, "sleepScores": null,
           "sleepWindowConfirmationType": "UNCONFIRMED"},
          {"calendarDate": "2026-01-11", "deepSleepSeconds": 0, "lightSleepSeconds": 0,
           "remSleepSeconds": 0, "unmeasurableSeconds": 25200},
          {"calendarDate": "2026-01-12"},
          {"calendarDate": "2026-01-13", "deepSleepSeconds": 3600, "lightSleepSeconds": 18000,
           "remSleepSeconds": null, "sleepStartTimestampGMT": null},
          {"calendarDate": "2026-01-14", "lightSleepSeconds": 23400}
        ]"#;
        let w = read(&[(&format!("{WELLNESS}/x_sleepData.json"), json)]);
        assert_eq!(
            w.problems,
            Vec::<String>::new(),
            "not worn is not a problem"
        );
        let got: Vec<(NaiveDate, f64, Option<f64>)> = w
            .nights
            .iter()
            .map(|n| (n.date, n.sleep_hours, n.score))
            .collect();
        // 3600 + 18000 = 21600 s = 6 h; 23400 s = 6.5 h.
        assert_eq!(
            got,
            vec![
                (date("2026-01-13"), 6.0, None),
                (date("2026-01-14"), 6.5, None)
            ]
        );
        assert_eq!(w.nights[0].start_utc, None);
    }

    #[test]
    fn the_same_night_in_two_files_is_kept_from_the_later_date_range() {
        let early = r#"[
          {"calendarDate": "2026-01-09", "deepSleepSeconds": 3600, "lightSleepSeconds": 18000},
          {"calendarDate": "2026-01-10", "deepSleepSeconds": 3600, "lightSleepSeconds": 14400}
        ]"#;
        let late = r#"[
          {"calendarDate": "2026-01-10", "deepSleepSeconds": 3600, "lightSleepSeconds": 25200},
          {"calendarDate": "2026-01-11", "deepSleepSeconds": 3600, "lightSleepSeconds": 21600}
        ]"#;
        let early_path = format!("{WELLNESS}/2025-12-01_2026-01-10_1_sleepData.json");
        let late_path = format!("{WELLNESS}/2026-01-10_2026-02-20_1_sleepData.json");
        // Whichever order the files come in, the later range wins the shared night.
        for files in [
            [(early_path.as_str(), early), (late_path.as_str(), late)],
            [(late_path.as_str(), late), (early_path.as_str(), early)],
        ] {
            let w = read(&files);
            let got: Vec<(NaiveDate, f64, &str)> = w
                .nights
                .iter()
                .map(|n| (n.date, n.sleep_hours, n.source_file.as_str()))
                .collect();
            assert_eq!(
                got,
                vec![
                    (date("2026-01-09"), 6.0, early_path.as_str()),
                    (date("2026-01-10"), 8.0, late_path.as_str()),
                    (date("2026-01-11"), 7.0, late_path.as_str()),
                ]
            );
        }
    }

    #[test]
    fn within_one_file_the_later_entry_for_a_night_wins_and_finish_is_idempotent() {
        let json = r#"[
          {"calendarDate": "2026-01-10", "lightSleepSeconds": 3600},
          {"calendarDate": "2026-01-09", "lightSleepSeconds": 7200},
          {"calendarDate": "2026-01-10", "lightSleepSeconds": 10800}
        ]"#;
        let mut w = read(&[(&format!("{WELLNESS}/x_sleepData.json"), json)]);
        let hours = |w: &Wellness| w.nights.iter().map(|n| n.sleep_hours).collect::<Vec<_>>();
        assert_eq!(hours(&w), vec![2.0, 3.0]);
        w.finish();
        assert_eq!(hours(&w), vec![2.0, 3.0]);
    }

    #[test]
    fn bad_sleep_entries_make_one_line_for_the_file_and_the_rest_is_used() {
        let json = r#"[
          {"calendarDate": "soon", "deepSleepSeconds": 3600},
          {"deepSleepSeconds": 3600},
          "not an object",
          {"calendarDate": "2026-01-12", "deepSleepSeconds": -5},
          {"calendarDate": "2026-01-13", "deepSleepSeconds": 3600,
           "sleepScores": {"overallScore": 140}, "sleepStartTimestampGMT": "whenever"},
          {"calendarDate": {"date": "2026-01-14"}, "lightSleepSeconds": 7200}
        ]"#;
        let path = format!("{WELLNESS}/x_sleepData.json");
        let w = read(&[(&path, json)]);
        let dates: Vec<NaiveDate> = w.nights.iter().map(|n| n.date).collect();
        assert_eq!(dates, vec![date("2026-01-13"), date("2026-01-14")]);
        assert_eq!(w.nights[0].score, None);
        assert_eq!(w.nights[0].start_utc, None);
        assert_eq!(
            w.problems,
            vec![format!(
                "{path}: 4 of 6 entries left out, 1 read without a bad value (first: entry 1: \
                 calendarDate \"soon\" is not a date (expected YYYY-MM-DD)); the rest is used"
            )]
        );
        assert_eq!(w.files_read, vec![path]);
    }

    #[test]
    fn a_known_file_that_does_not_parse_is_one_line_and_the_other_files_are_used() {
        let good = r#"[{"calendarDate": "2026-01-10", "restingHeartRate": 48}]"#;
        let bad_path = format!("{WELLNESS}/2026-01-01_2026-01-31_1_sleepData.json");
        let w = read(&[
            (bad_path.as_str(), "[{\"calendarDate\": \"2026-01-10\", "),
            (
                &format!("{AGGREGATOR}/UDSFile_2026-01-01_2026-01-31.json"),
                good,
            ),
            (&format!("{WELLNESS}/x_healthStatusData.json"), "42"),
        ]);
        assert_eq!(w.resting_hr.len(), 1);
        assert_eq!(w.problems.len(), 2, "{:?}", w.problems);
        assert!(
            w.problems[0].starts_with(&format!("{bad_path}: not valid JSON (EOF while parsing")),
            "{}",
            w.problems[0]
        );
        assert!(
            w.problems[0].ends_with("; expected a Garmin sleepData JSON list of nights (calendarDate, deepSleepSeconds, ...); skipped"),
            "{}",
            w.problems[0]
        );
        assert!(w.problems[1].contains("x_healthStatusData.json: the top level is neither a list nor an object; expected a Garmin healthStatusData"));
        assert_eq!(w.files_read.len(), 1);
    }

    #[test]
    fn unknown_files_are_ignored_silently_and_gzip_bytes_are_a_problem() {
        let mut w = Wellness::default();
        w.add_file(
            "export.zip/DI_CONNECT/DI-Connect-Wellness/x_stressData.json",
            b"{",
        );
        w.add_file("notes.txt", b"\x00\x01");
        assert!(w.problems.is_empty() && w.files_read.is_empty());
        w.add_file(
            &format!("{WELLNESS}/x_sleepData.json.gz"),
            &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0],
        );
        assert_eq!(w.problems.len(), 1);
        assert!(
            w.problems[0].contains("still gzip-compressed"),
            "{}",
            w.problems[0]
        );
    }

    #[test]
    fn no_truncation_or_garbage_makes_a_reader_panic() {
        let files = [
            (
                format!("{WELLNESS}/x_sleepData.json"),
                r#"[{"calendarDate": "2026-01-15", "sleepStartTimestampGMT": "2026-01-14T22:00:00.0",
                    "deepSleepSeconds": 5400, "sleepScores": {"overall": {"value": 82}}}]"#,
            ),
            (
                format!("{AGGREGATOR}/UDSFile_1.json"),
                r#"[{"calendarDate": {"date": "2026-01-10"}, "restingHeartRate": 48}]"#,
            ),
            (
                format!("{WELLNESS}/x_healthStatusData.json"),
                r#"[{"calendarDate": "2026-01-10", "metrics": [{"type": "HRV", "value": 62}]}]"#,
            ),
            (
                format!("{FITNESS}/x_summarizedActivities.json"),
                r#"[{"summarizedActivitiesExport": [{"activityId": 1, "beginTimestamp": 1e12,
                    "activityType": {"typeKey": "running"}, "directWorkoutRpe": 70}]}]"#,
            ),
            (
                "s/activities.csv".to_string(),
                "Activity ID,Activity Name,Filename,Perceived Exertion\n1,\"A, b\",activities/1.fit,7\n",
            ),
        ];
        let mut w = Wellness::default();
        let mut noise = 0x2545_f491_4f6c_dd1d_u64;
        for (path, text) in &files {
            let bytes = text.as_bytes();
            for end in 0..=bytes.len() {
                w.add_file(path, &bytes[..end]);
            }
            for _ in 0..200 {
                // xorshift: garbage of every length up to 64 bytes.
                let garbage: Vec<u8> = (0..noise % 64)
                    .map(|_| {
                        noise ^= noise << 13;
                        noise ^= noise >> 7;
                        noise ^= noise << 17;
                        (noise >> 24) as u8
                    })
                    .collect();
                w.add_file(path, &garbage);
            }
        }
        w.finish();
        assert_eq!(w.nights.len(), 1);
        assert_eq!(w.resting_hr.len(), 1);
        assert_eq!(w.hrv.len(), 1);
        assert!(!w.problems.is_empty());
    }

    #[test]
    fn a_byte_order_mark_before_json_is_ignored() {
        let json = "\u{feff}[{\"calendarDate\": \"2026-01-10\", \"restingHeartRate\": 47}]";
        let w = read(&[(&format!("{AGGREGATOR}/UDSFile_1.json"), json)]);
        assert_eq!(w.problems, Vec::<String>::new());
        assert_eq!(w.resting_hr[0].value, 47.0);
    }

    #[test]
    fn resting_heart_rate_skips_days_without_one_and_keeps_the_later_range() {
        let early = r#"[
          {"calendarDate": "2026-01-09", "restingHeartRate": 50, "totalSteps": 8000},
          {"calendarDate": "2026-01-10", "restingHeartRate": 52},
          {"calendarDate": "2026-01-11", "restingHeartRate": null},
          {"calendarDate": "2026-01-12", "restingHeartRate": 0},
          {"calendarDate": "2026-01-13"}
        ]"#;
        let late = r#"[{"calendarDate": "2026-01-10", "restingHeartRate": 49.0},
                       {"calendarDate": "2026-01-14", "restingHeartRate": 260}]"#;
        let late_path = format!("{AGGREGATOR}/UDSFile_2026-01-10_2026-02-20.json");
        let w = read(&[
            (&late_path, late),
            (
                &format!("{AGGREGATOR}/UDSFile_2025-12-01_2026-01-10.json"),
                early,
            ),
        ]);
        let got: Vec<(NaiveDate, f64)> = w.resting_hr.iter().map(|d| (d.date, d.value)).collect();
        assert_eq!(
            got,
            vec![(date("2026-01-09"), 50.0), (date("2026-01-10"), 49.0)]
        );
        assert_eq!(
            w.problems,
            vec![format!(
                "{late_path}: 1 of 2 entries left out (first: entry 2: restingHeartRate 260 is \
                 not a resting heart rate (expected 20-150 bpm)); the rest is used"
            )]
        );
    }

    #[test]
    fn hrv_is_the_value_of_the_hrv_metric_where_there_is_one() {
        let json = r#"[
          {"calendarDate": "2026-01-10", "metrics": [
             {"type": "HR", "value": 48},
             {"type": "HRV", "value": 62, "baselineLowerLimit": 55, "baselineUpperLimit": 70,
              "status": "IN_RANGE"}]},
          {"calendarDate": "2026-01-11", "metrics": [{"type": "SPO2", "value": 96}]},
          {"calendarDate": "2026-01-12", "metrics": [{"type": "HRV", "value": null}]},
          {"calendarDate": "2026-01-13"},
          {"calendarDate": "2026-01-14", "metrics": [{"type": "hrv", "value": 58.5}]}
        ]"#;
        let w = read(&[(&format!("{WELLNESS}/x_healthStatusData.json"), json)]);
        assert_eq!(w.problems, Vec::<String>::new());
        let got: Vec<(NaiveDate, f64)> = w.hrv.iter().map(|d| (d.date, d.value)).collect();
        assert_eq!(
            got,
            vec![(date("2026-01-10"), 62.0), (date("2026-01-14"), 58.5)]
        );
    }

    #[test]
    fn garmin_activities_are_read_from_the_summarized_activities_wrapper() {
        let json = r#"[{"summarizedActivitiesExport": [
          {"activityId": 21000000001, "name": "Intervals 6x4min", "activityType": "running",
           "beginTimestamp": 1768428000000, "startTimeLocal": 1768431600000,
           "directWorkoutRpe": 70, "directWorkoutFeel": 50},
          {"activityId": 21000000002, "name": "Endurance Ride",
           "activityType": {"typeId": 2, "typeKey": "cycling"},
           "startTimeGmt": "2026-01-15T09:00:00.0", "directWorkoutRpe": 0},
          {"activityId": 21000000003, "activityName": "Easy Run", "activityType": "running",
           "startTimeGmt": 1768554000000, "workoutRpe": 30, "workoutFeel": 75}
        ]}]"#;
        let w = read(&[(&format!("{FITNESS}/me_0_summarizedActivities.json"), json)]);
        assert_eq!(w.problems, Vec::<String>::new());
        let got: Vec<String> = w.activities.iter().map(describe).collect();
        assert_eq!(
            got,
            [
                "21000000001 2026-01-14 22:00:00 UTC Intervals 6x4min/running rpe 7 feel 50",
                "21000000002 2026-01-15 09:00:00 UTC Endurance Ride/cycling rpe - feel -",
                "21000000003 2026-01-16 09:00:00 UTC Easy Run/running rpe 3 feel 75",
            ]
        );
        assert!(w
            .activities
            .iter()
            .all(|a| a.kind == WellnessKind::GarminActivities && a.file.is_none()));
    }

    #[test]
    fn an_unwrapped_activity_list_reads_too_and_bad_values_only_lose_themselves() {
        let json = r#"[
          {"activityId": 1, "name": "Run", "beginTimestamp": 1768428000000,
           "directWorkoutRpe": 5, "directWorkoutFeel": 130, "activityType": 7},
          {"activityId": 1.0e0, "beginTimestamp": "at dawn"},
          {"summarizedActivitiesExport": null},
          {"totalSteps": 100}
        ]"#;
        let path = format!("{FITNESS}/me_1_summarizedActivities.json");
        let w = read(&[(&path, json)]);
        assert_eq!(w.activities.len(), 1, "two copies of activity 1 are one");
        let a = &w.activities[0];
        assert_eq!(
            (a.rpe, a.feel, a.activity_type.as_deref()),
            (None, None, None)
        );
        assert_eq!(
            w.problems,
            vec![format!(
                "{path}: 1 of 3 entries left out, 2 read without a bad value (first: entry 1: \
                 activityType 7 left out (expected text or an object with typeKey)); the rest is used"
            )]
        );
    }

    #[test]
    fn the_same_garmin_activity_in_two_files_is_kept_once() {
        let one = r#"[{"summarizedActivitiesExport": [
            {"activityId": 5, "name": "Old name", "beginTimestamp": 1768428000000}]}]"#;
        let two = r#"[{"summarizedActivitiesExport": [
            {"activityId": 5, "name": "New name", "beginTimestamp": 1768428000000},
            {"activityId": 6, "name": "Other", "beginTimestamp": 1768429000000}]}]"#;
        let w = read(&[
            (&format!("{FITNESS}/me_1_summarizedActivities.json"), two),
            (&format!("{FITNESS}/me_0_summarizedActivities.json"), one),
        ]);
        let names: Vec<&str> = w
            .activities
            .iter()
            .filter_map(|a| a.name.as_deref())
            .collect();
        assert_eq!(names, vec!["New name", "Other"], "the later file name wins");
    }

    #[test]
    fn summarized_activities_that_are_not_a_list_are_a_problem() {
        let path = format!("{FITNESS}/me_0_summarizedActivities.json");
        let w = read(&[(&path, r#"[{"summarizedActivitiesExport": {"a": 1}}]"#)]);
        assert!(w.activities.is_empty());
        assert_eq!(
            w.problems,
            vec![format!(
                "{path}: summarizedActivitiesExport is not a list; expected a Garmin \
                 summarizedActivities JSON file ([{{\"summarizedActivitiesExport\": [...]}}]); skipped"
            )]
        );
    }

    const STRAVA_HEADER: &str = "Activity ID,Activity Date,Activity Name,Activity Type,\
        Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,\
        Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,\
        Moving Time,Distance,Max Speed,Perceived Exertion,Prefer Perceived Exertion,Commute";

    #[test]
    fn strava_rows_are_read_by_position_where_header_names_repeat() {
        let csv = format!(
            "{STRAVA_HEADER}\n\
             101,\"Sep 1, 2026, 4:25:13 PM\",Intervals,Run,\"6x4, hard\",3700,10.2,181,120,false,,,activities/101.fit.gz,70,,3700,3600,10200,5.1,8.0,true,false\n\
             102,\"Sep 2, 2026, 5:00:00 AM\",Recovery Jog,Run,,1800,4.1,130,12,false,,,activities/102.fit.gz,70,,1800,1800,4100,3.0,,false,false\n\
             103,\"Sep 3, 2026, 5:00:00 AM\",Yoga,Yoga,,1800,0,,,false,,,,70,,1800,1800,0,0,3,false,false\n\
             104,\"Sep 4, 2026, 5:00:00 AM\",Short row\n"
        );
        let path = "strava_export_123.zip/activities.csv";
        let w = read(&[(path, &csv)]);
        assert_eq!(w.problems, Vec::<String>::new());
        let got: Vec<String> = w.activities.iter().map(describe).collect();
        // Yoga has no file (a manual entry); the short row has no Filename field at all.
        assert_eq!(
            got,
            [
                "101 activities/101.fit.gz Intervals/Run rpe 8 feel -",
                "102 activities/102.fit.gz Recovery Jog/Run rpe - feel -",
            ]
        );
        assert!(w
            .activities
            .iter()
            .all(|a| a.start_utc.is_none() && a.kind == WellnessKind::StravaActivities));
    }

    #[test]
    fn a_strava_name_that_is_not_utf8_is_read_lossily() {
        let mut bytes = b"\xEF\xBB\xBFActivity ID,Activity Name,Activity Type,Filename\n".to_vec();
        bytes.extend_from_slice(b"7,Morgenlauf am See \xe4\xf6,Run,activities/7.fit\n");
        let mut w = Wellness::default();
        w.add_file("s/activities.csv", &bytes);
        w.finish();
        assert_eq!(w.problems, Vec::<String>::new());
        assert_eq!(
            w.activities[0].name.as_deref(),
            Some("Morgenlauf am See \u{fffd}\u{fffd}")
        );
        assert_eq!(
            w.activities[0].id.as_deref(),
            Some("7"),
            "the BOM is not in the name"
        );
    }

    #[test]
    fn a_strava_csv_without_a_filename_column_is_a_problem_and_bad_exertion_is_left_out() {
        let w = read(&[("a/activities.csv", "Activity ID,Activity Name\n1,Run\n")]);
        assert_eq!(
            w.problems,
            vec![
                "a/activities.csv: no Filename column; expected a Strava activities.csv with \
                  a header line naming a Filename column; skipped"
                    .to_string()
            ]
        );
        let w = read(&[("b/activities.csv", "")]);
        assert!(w.problems[0].starts_with("b/activities.csv: empty: no header line"));
        let csv = "Filename,Perceived Exertion\nactivities/1.fit,11\nactivities/2.fit,4\n";
        let w = read(&[("c/activities.csv", csv)]);
        let rpe: Vec<Option<f64>> = w.activities.iter().map(|a| a.rpe).collect();
        assert_eq!(rpe, vec![None, Some(4.0)]);
        assert_eq!(
            w.problems,
            vec![
                "c/activities.csv: 1 read without a bad value (first: line 2: Perceived \
                  Exertion \"11\" left out (expected 1-10)); the rest is used"
                    .to_string()
            ]
        );
    }

    #[test]
    fn everything_is_sorted_by_date_after_finish() {
        let sleep = r#"[{"calendarDate": "2026-01-12", "lightSleepSeconds": 3600},
                        {"calendarDate": "2026-01-10", "lightSleepSeconds": 3600}]"#;
        let acts = r#"[{"summarizedActivitiesExport": [
            {"activityId": 2, "beginTimestamp": 1768500000000},
            {"activityId": 3},
            {"activityId": 1, "beginTimestamp": 1768400000000}]}]"#;
        let w = read(&[
            ("s/activities.csv", "Filename\nactivities/9.fit\n"),
            (&format!("{FITNESS}/me_0_summarizedActivities.json"), acts),
            (&format!("{WELLNESS}/x_sleepData.json"), sleep),
        ]);
        let dates: Vec<NaiveDate> = w.nights.iter().map(|n| n.date).collect();
        assert_eq!(dates, vec![date("2026-01-10"), date("2026-01-12")]);
        let ids: Vec<Option<&str>> = w.activities.iter().map(|a| a.id.as_deref()).collect();
        // Garmin by start, then Garmin without a start, then Strava by file.
        assert_eq!(ids, vec![Some("1"), Some("2"), Some("3"), None]);
    }
}
