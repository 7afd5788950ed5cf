//! The Garmin account export: the same athlete as Garmin's "Export your data" writes it.

use super::*;

// The Garmin account export: the same athlete as Garmin's "Export your data" writes it.

/// The account's user profile number, in Garmin's file names and daily summaries.
pub(crate) const GARMIN_USER: u64 = 12_345_678;
/// The account name Garmin puts in the activities file name.
pub(crate) const GARMIN_EMAIL: &str = "athlete@example.org";
/// The first activity's id; later ones count up, as Garmin's do.
pub(crate) const FIRST_ACTIVITY_ID: u64 = 21_473_650_000;
/// The night before this morning the watch was on its charger: an all-null sleep entry and
/// no resting heart rate that day (the journal has no row either).
pub(crate) const WATCH_OFF: (u32, u32) = (11, 1);
/// The first sleep file ends on the first date, the second starts on the second: the
/// nights in between are in both.
pub(crate) const SLEEP_OVERLAP: ((u32, u32), (u32, u32)) = ((10, 9), (10, 1));
/// Light sleep missing from the first file's copies of the overlapping nights: they are the
/// watch's unconfirmed first guesses, which the later file replaces.
pub(crate) const STALE_SHORTFALL_S: u32 = 1800;
/// The time on every zip entry: the morning after the period, so nothing reads the clock.
pub(crate) const EXPORT_TIME: (u16, u8, u8, u8, u8, u8) = (2026, 11, 9, 7, 0, 0);

/// What the export says about one FIT session.
pub(crate) struct ExportSession {
    pub(crate) date: NaiveDate,
    pub(crate) name: &'static str,
    pub(crate) shape: Shape,
    /// Recorded by the watch (which asks for RPE and feel), not the bike computer.
    pub(crate) watch: bool,
    /// FIT timestamp of the session's start.
    pub(crate) start: u32,
    pub(crate) elapsed_s: f64,
    pub(crate) distance_m: f64,
}

impl ExportSession {
    pub(crate) fn new(outing: &Outing, leg: &Leg, session: &fitwrite::Session) -> Self {
        ExportSession {
            date: outing.date,
            name: leg.name,
            shape: leg.shape,
            watch: outing.device == Device::Watch,
            start: session.start_time,
            elapsed_s: session.total_elapsed_time_s,
            distance_m: session.total_distance_m,
        }
    }

    pub(crate) fn start_ms(&self) -> i64 {
        (i64::from(self.start) + fitwrite::FIT_EPOCH_UNIX) * 1000
    }

    /// The answer to the watch's "how hard was it" (Garmin's 10–100 scale).
    pub(crate) fn rpe(&self) -> Option<u32> {
        let rpe = match self.shape {
            Shape::RecoveryJog => 20,
            Shape::EasyRun { .. } | Shape::EasyRide { .. } => 30,
            Shape::BrickRun => 40,
            // The athlete knows the "easy" run was not easy.
            Shape::EasyRunTooHard => 60,
            Shape::Intervals | Shape::ProgressionRun => 70,
            Shape::TempoRun | Shape::TempoRide => 80,
        };
        self.watch.then_some(rpe)
    }
}

/// A GMT time as Garmin writes it: ISO text in exports, epoch milliseconds in API dumps.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum GarminTime {
    Iso(String),
    Millis(i64),
}

impl GarminTime {
    pub(crate) fn new(unix: i64, iso: bool) -> Self {
        if iso {
            let t = DateTime::from_timestamp(unix, 0).expect("times inside the period");
            GarminTime::Iso(format!("{}.0", t.format("%Y-%m-%dT%H:%M:%S")))
        } else {
            GarminTime::Millis(unix * 1000)
        }
    }
}

/// `overallScore` in exports, `overall.value` in API dumps.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum SleepScores {
    Export {
        #[serde(rename = "overallScore")]
        overall_score: u32,
    },
    Api {
        overall: ScoreValue,
    },
}

#[derive(Serialize)]
pub(crate) struct ScoreValue {
    pub(crate) value: u32,
    #[serde(rename = "qualifierKey")]
    pub(crate) qualifier_key: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SleepJson {
    #[serde(rename = "userProfilePK")]
    pub(crate) user_profile_pk: u64,
    pub(crate) calendar_date: String,
    #[serde(rename = "sleepStartTimestampGMT")]
    pub(crate) sleep_start_timestamp_gmt: Option<GarminTime>,
    #[serde(rename = "sleepEndTimestampGMT")]
    pub(crate) sleep_end_timestamp_gmt: Option<GarminTime>,
    pub(crate) sleep_window_confirmation_type: &'static str,
    pub(crate) deep_sleep_seconds: Option<u32>,
    pub(crate) light_sleep_seconds: Option<u32>,
    pub(crate) rem_sleep_seconds: Option<u32>,
    pub(crate) awake_sleep_seconds: Option<u32>,
    pub(crate) unmeasurable_seconds: Option<u32>,
    pub(crate) sleep_scores: Option<SleepScores>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DailySummaryJson {
    #[serde(rename = "userProfilePK")]
    pub(crate) user_profile_pk: u64,
    pub(crate) calendar_date: String,
    pub(crate) resting_heart_rate: Option<u8>,
    pub(crate) min_heart_rate: Option<u8>,
}

#[derive(Serialize)]
pub(crate) struct ActivitiesJson {
    #[serde(rename = "summarizedActivitiesExport")]
    pub(crate) activities: Vec<ActivityJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ActivityJson {
    pub(crate) activity_id: u64,
    pub(crate) name: &'static str,
    pub(crate) activity_type: &'static str,
    pub(crate) sport_type: &'static str,
    pub(crate) begin_timestamp: i64,
    pub(crate) start_time_gmt: i64,
    /// Berlin wall clock written as if it were UTC, as Garmin does: not a start time.
    pub(crate) start_time_local: i64,
    /// Milliseconds, as Garmin writes it.
    pub(crate) duration: f64,
    /// Centimetres, as Garmin writes it.
    pub(crate) distance: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) direct_workout_rpe: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) direct_workout_feel: Option<u32>,
}

/// The watch's view of the night ending on the morning of `row.date`: deep + light + REM
/// add up to the journal's sleep hours.
pub(crate) fn sleep_json(row: &JournalRow, iso: bool, stale: bool) -> SleepJson {
    let calendar_date = row.date.format("%Y-%m-%d").to_string();
    if is_day(row.date, WATCH_OFF) {
        return SleepJson {
            user_profile_pk: GARMIN_USER,
            calendar_date,
            sleep_start_timestamp_gmt: None,
            sleep_end_timestamp_gmt: None,
            sleep_window_confirmation_type: "UNCONFIRMED",
            deep_sleep_seconds: None,
            light_sleep_seconds: None,
            rem_sleep_seconds: None,
            awake_sleep_seconds: None,
            unmeasurable_seconds: None,
            sleep_scores: None,
        };
    }
    let mut rng = rng_for(row.date, 7);
    let asleep = (row.sleep_hours * 3600.0).round() as u32;
    let minutes = |share: f64| (f64::from(asleep) * share / 60.0).round() as u32 * 60;
    let deep = minutes(rng.range(0.15, 0.21));
    let rem = minutes(rng.range(0.19, 0.25));
    let shortfall = if stale { STALE_SHORTFALL_S } else { 0 };
    let light = asleep - deep - rem - shortfall;
    let awake = rng.int(4, 25) * 60;
    let bedtime = (row.date - Duration::days(1))
        .and_time(NaiveTime::from_hms_opt(22, 30, 0).expect("a real time"))
        + Duration::minutes(i64::from(rng.int(0, 45)));
    let start = Berlin
        .from_local_datetime(&bedtime)
        .single()
        .expect("clocks never change at bedtime")
        .timestamp();
    let end = start + i64::from(deep + light + rem + awake);
    let score = (20.0 + 6.0 * row.sleep_hours + 5.0 * f64::from(row.sleep_quality))
        .round()
        .min(100.0) as u32;
    let sleep_scores = if iso {
        SleepScores::Export {
            overall_score: score,
        }
    } else {
        let qualifier_key = match score {
            90.. => "EXCELLENT",
            80..=89 => "GOOD",
            60..=79 => "FAIR",
            _ => "POOR",
        };
        SleepScores::Api {
            overall: ScoreValue {
                value: score,
                qualifier_key,
            },
        }
    };
    SleepJson {
        user_profile_pk: GARMIN_USER,
        calendar_date,
        sleep_start_timestamp_gmt: Some(GarminTime::new(start, iso)),
        sleep_end_timestamp_gmt: Some(GarminTime::new(end, iso)),
        sleep_window_confirmation_type: if stale {
            "UNCONFIRMED"
        } else {
            "ENHANCED_CONFIRMED_FINAL"
        },
        deep_sleep_seconds: Some(deep),
        light_sleep_seconds: Some(light),
        rem_sleep_seconds: Some(rem),
        awake_sleep_seconds: Some(awake),
        unmeasurable_seconds: Some(0),
        sleep_scores: Some(sleep_scores),
    }
}

pub(crate) fn activity_json(
    index: usize,
    session: &ExportSession,
    days: &[JournalRow],
) -> ActivityJson {
    let (activity_type, sport_type) = match session.shape.discipline() {
        Discipline::Run => ("running", "RUNNING"),
        Discipline::Ride => ("road_biking", "CYCLING"),
    };
    // How the athlete felt: from the morning's soreness.
    let soreness = days
        .iter()
        .find(|r| r.date == session.date)
        .expect("a row for every day of the period")
        .soreness;
    let feel = match soreness {
        0..=2 => 75,
        3..=5 => 50,
        _ => 25,
    };
    let start = session.start_ms();
    ActivityJson {
        activity_id: FIRST_ACTIVITY_ID + 7 * index as u64,
        name: session.name,
        activity_type,
        sport_type,
        begin_timestamp: start,
        start_time_gmt: start,
        start_time_local: start + i64::from(berlin_offset(session.start)) * 1000,
        duration: (session.elapsed_s * 1000.0).round(),
        distance: (session.distance_m * 100.0).round(),
        direct_workout_rpe: session.rpe(),
        direct_workout_feel: session.watch.then_some(feel),
    }
}

pub(crate) fn pretty_json(value: &impl Serialize) -> io::Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(io::Error::other)
}

/// A zip of `entries` with fixed times and permissions, so it is the same bytes everywhere.
pub(crate) fn zip_bytes(
    entries: &[(String, Vec<u8>, zip::CompressionMethod)],
) -> io::Result<Vec<u8>> {
    let (year, month, day, hour, minute, second) = EXPORT_TIME;
    let time = zip::DateTime::from_date_and_time(year, month, day, hour, minute, second)
        .expect("a time a zip can hold");
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    for (name, bytes, method) in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(*method)
            .last_modified_time(time)
            .system(zip::System::Unix)
            .unix_permissions(0o644);
        zip.start_file(name.as_str(), options)
            .map_err(io::Error::other)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}

/// `garmin_export.zip`: the FIT files in a zip inside the zip, two overlapping sleep files
/// (ISO times, then epoch milliseconds), the daily summaries with the resting heart rate, and
/// one summarized activity per session.
pub(crate) fn garmin_export(
    fit_files: &[(String, Vec<u8>)],
    sessions: &[ExportSession],
    days: &[JournalRow],
) -> io::Result<Vec<u8>> {
    use zip::CompressionMethod::{Deflated, Stored};
    let range = |rows: &[&JournalRow]| -> String {
        let first = rows.first().expect("a file holds days").date;
        let last = rows.last().expect("a file holds days").date;
        format!("{}_{}", first.format("%Y-%m-%d"), last.format("%Y-%m-%d"))
    };
    let (until, from) = SLEEP_OVERLAP;
    let (first_until, second_from) = (day(until.0, until.1), day(from.0, from.1));
    let all: Vec<&JournalRow> = days.iter().collect();
    let early: Vec<&JournalRow> = days.iter().filter(|r| r.date <= first_until).collect();
    let late: Vec<&JournalRow> = days.iter().filter(|r| r.date >= second_from).collect();
    let early_json: Vec<SleepJson> = early
        .iter()
        .map(|r| sleep_json(r, true, r.date >= second_from))
        .collect();
    let late_json: Vec<SleepJson> = late.iter().map(|r| sleep_json(r, false, false)).collect();
    let summaries: Vec<DailySummaryJson> = days
        .iter()
        .map(|r| {
            let off = is_day(r.date, WATCH_OFF);
            DailySummaryJson {
                user_profile_pk: GARMIN_USER,
                calendar_date: r.date.format("%Y-%m-%d").to_string(),
                resting_heart_rate: (!off).then_some(r.resting_hr),
                min_heart_rate: (!off).then_some(r.resting_hr - 3),
            }
        })
        .collect();
    let activities = ActivitiesJson {
        activities: sessions
            .iter()
            .enumerate()
            .map(|(i, s)| activity_json(i, s, days))
            .collect(),
    };
    let uploads: Vec<(String, Vec<u8>, zip::CompressionMethod)> = fit_files
        .iter()
        .map(|(name, bytes)| (name.clone(), bytes.clone(), Deflated))
        .collect();
    let root = "DI_CONNECT";
    let entries = vec![
        (
            format!("{root}/DI-Connect-Aggregator/UDSFile_{}.json", range(&all)),
            pretty_json(&summaries)?,
            Deflated,
        ),
        (
            format!("{root}/DI-Connect-Fitness/{GARMIN_EMAIL}_0_summarizedActivities.json"),
            pretty_json(&[activities])?,
            Deflated,
        ),
        (
            // Already compressed: stored as it is.
            format!("{root}/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"),
            zip_bytes(&uploads)?,
            Stored,
        ),
        (
            format!(
                "{root}/DI-Connect-Wellness/{}_{GARMIN_USER}_sleepData.json",
                range(&early)
            ),
            pretty_json(&early_json)?,
            Deflated,
        ),
        (
            format!(
                "{root}/DI-Connect-Wellness/{}_{GARMIN_USER}_sleepData.json",
                range(&late)
            ),
            pretty_json(&late_json)?,
            Deflated,
        ),
    ];
    zip_bytes(&entries)
}
