//! Ground truth (`truth.csv`: each session's intended class and planted tags) and the
//! sample's README.

use super::*;

// Ground truth and README.

/// The planting tags of one leg, in [`TAG_ORDER`].
pub(crate) fn tags(outing: &Outing, leg: &Leg) -> Vec<&'static str> {
    let mut tags = leg.tags.clone();
    if outing.week() == VOLUME_JUMP_WEEK {
        tags.push("volume_jump");
    }
    if outing.week() == NO_REST_WEEK {
        tags.push("no_rest_week");
    }
    if leg.pause.is_some() {
        tags.push("pause");
    }
    if leg.dropout.is_some() {
        tags.push("dropout");
    }
    if leg.gap_at_min.is_some() {
        tags.push("gap_90s");
    }
    if outing.compressed() {
        tags.push("compressed_ts");
    }
    if outing.legs.len() > 1 {
        tags.push("multisport");
    }
    TAG_ORDER
        .iter()
        .copied()
        .filter(|tag| tags.contains(tag))
        .collect()
}

pub(crate) fn truth_csv(outings: &[Outing]) -> String {
    let header = [
        "date",
        "file",
        "session",
        "sport",
        "intended_class",
        "name",
        "planted",
    ];
    let rows = outings.iter().flat_map(|o| {
        o.legs.iter().enumerate().map(move |(i, leg)| {
            [
                o.date.format("%Y-%m-%d").to_string(),
                format!("activities/{}", o.file_name()),
                i.to_string(),
                leg.shape.discipline().name().to_string(),
                leg.intended.as_str().to_string(),
                leg.name.to_string(),
                tags(o, leg).join(";"),
            ]
        })
    });
    csv_text(header, rows)
}

pub(crate) fn readme(outings: &[Outing]) -> String {
    let mut out = String::new();
    out.push_str(
        "# Sample data\n\n\
         Ten weeks (Monday 2026-08-31 to Sunday 2026-11-08) of one runner/cyclist living in\n\
         Europe/Berlin, made up by `crates/samplegen`. Regenerate with\n\n\
         ```\ncargo run --example generate_sample\n```\n\n\
         Output is deterministic (fixed seed, no clock): running it again rewrites the same bytes.\n\n\
         ## Contents\n\n\
         - `activities/*.fit`: one FIT file per activity, named `DATE_SPORT_KIND.fit` by local date.\n\
         \x20 Runs (and the brick) come from a Garmin Forerunner 955 (manufacturer 1, product 4024)\n\
         \x20 recording every second (timestamp, heart rate, distance), with\n\
         \x20 compressed-timestamp record headers except in weeks 2 and 8. Rides\n\
         \x20 come from a Wahoo ELEMNT BOLT (manufacturer 32, product 31) with smart recording (1–8 s\n\
         \x20 between records; also speed and cadence). Two Sunday runs carry a developer field `Power` (Watts).\n\
         - `journal.csv`: `date,soreness,sleep_hours,sleep_quality,resting_hr,hrv_ms,planned,notes`. The\n\
         \x20 date is the morning; `sleep_hours` is the night ending that morning (one decimal, or\n\
         \x20 `h:mm` on two rows); `hrv_ms` is the overnight rMSSD (about 66 ms, lower the morning\n\
         \x20 after a hard day). Some days have no row.\n\
         - `truth.csv`: one row per session with its intended class and planted tags.\n\
         - `garmin_export.zip`: the same athlete as a Garmin account export (\"Export your data\"); see below.\n\
         - `strava_export.zip`: the last three weeks of the same athlete as a Strava bulk archive\n\
         \x20 (\"Download your data\"), a few workouts as GPX or TCX; see below.\n\
         - `apple_health_export.zip`: one week of the same athlete as an Apple Health export\n\
         \x20 (\"Export All Health Data\"); see below.\n\n\
         ## Classes\n\n\
         With the 120–140 bpm band: `hard` = at least 20 min above 140 bpm or at least 20 % of\n\
         the heart-rate time above 140; `active_recovery` = timer time at most 45 min with less\n\
         than 5 % and less than 5 min above 140; `easy` = everything else. Every session is well\n\
         clear of these edges.\n\n\
         The usual week: Monday rest, Tuesday intervals (hard), Wednesday recovery jog (active\n\
         recovery), Thursday easy run, Friday rest or an easy ride, Saturday a long ride or a tempo\n\
         ride (hard), Sunday an easy long run.\n\n\
         ## Plantings\n\n",
    );
    let dates = |tag: &str| -> String {
        let mut v: Vec<String> = Vec::new();
        for o in outings {
            for leg in &o.legs {
                let d = o.date.format("%Y-%m-%d").to_string();
                if tags(o, leg).contains(&tag) && !v.contains(&d) {
                    v.push(d);
                }
            }
        }
        v.join(", ")
    };
    let lines: [(&str, &str); 14] = [
        ("easy_day_not_easy", "workout and sport named \"Easy Run\", journal `planned` = easy, but more than 20 min above 140 bpm (hard)"),
        ("back_to_back_hard", "a hard day right after a hard day (Sat 10-10, Sun 10-11, Mon 10-12 are all hard)"),
        ("no_rest_week", "week 6 (Mon 2026-10-05 to Sun 2026-10-11) has a session every day; tagged on all its sessions"),
        ("volume_jump", "week 4 (2026-09-21 to 2026-09-27) has about 30 % more timer time than week 3; the only week-on-week rise above 10 %; tagged on all its sessions"),
        ("no_recovery_after_hard", "hard Saturday followed by two more hard days: no rest, active recovery or easy session within 48 h"),
        ("hard_while_sore", "hard session on a morning with soreness 7 (the only hard day with soreness >= 6)"),
        ("soreness_past_72h", "after the block soreness stays >= 4 from 10-11 to 10-17 and stops easing (6 on 10-15 and 10-16, 96 h after the last hard day, 10-12); tagged on that last hard day"),
        ("hrv_below_normal", "hard session on a morning whose 7-day rMSSD mean is under the athlete's normal band: the journal's `hrv_ms` is 46, 41, 40, 44 ms on 10-11 to 10-14 (usually 60–70), so the 7-day mean of ln rMSSD is under the 60-day normal band (mean ± 0.5 SD) from 10-11 to 10-19"),
        ("short_sleep_after_hard", "the night after this hard session is under 7 h (journal rows 09-09: 6.4, 10-11: 6:45, 10-23: 6.6)"),
        ("pause", "timer stop_all ... start for 2–4 min at a traffic light (09-12: the bike computer keeps writing stale records)"),
        ("dropout", "heart rate missing (0xFF) for 45 s on 09-20; reading 0 bpm for 35 s on 10-29"),
        ("gap_90s", "90 s without a record while the timer runs"),
        ("compressed_ts", "records use compressed-timestamp headers"),
        ("multisport", "one file, two sessions: cycling then running (laps per session)"),
    ];
    for (tag, what) in lines {
        out.push_str(&format!("- `{tag}` — {what}: {}\n", dates(tag)));
    }
    out.push_str(
        "\nDaylight saving time ends on Sunday 2026-10-25: from that day on the files' activity\n\
         `local_timestamp` is UTC+1 instead of UTC+2. Journal rows are missing on 2026-09-05,\n\
         2026-09-27, 2026-10-19, 2026-11-01 and 2026-11-06.\n\n\
         ## Garmin export\n\n\
         `garmin_export.zip` holds what Garmin's account export holds besides FIT files, for the\n\
         export reader (`src/ingest/exports/`), under `DI_CONNECT/`:\n\n\
         - `DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip`: a zip inside the zip holding\n\
         \x20 the files of `activities/` (so a run over all of `sample_data/` meets every session\n\
         \x20 at least twice and counts it once).\n\
         - `DI-Connect-Wellness/2026-08-31_2026-10-09_12345678_sleepData.json` (times as ISO text,\n\
         \x20 `sleepScores.overallScore`) and `2026-10-01_2026-11-08_12345678_sleepData.json` (times\n\
         \x20 in epoch milliseconds, `sleepScores.overall.value`, as API dumps write them). One night\n\
         \x20 per morning (`calendarDate`); deep + light + REM seconds add up to the journal's\n\
         \x20 `sleep_hours`, also on the four mornings the journal forgot. The nights of 10-01 to\n\
         \x20 10-09 are in both files: the first file's copies are `UNCONFIRMED` and 30 min short,\n\
         \x20 so a reader that keeps the later range gets the journal's hours. The night before\n\
         \x20 2026-11-01 the watch was charging: an entry with every duration null.\n\
         - `DI-Connect-Aggregator/UDSFile_2026-08-31_2026-11-08.json`: `restingHeartRate` as in\n\
         \x20 the journal, every day but 2026-11-01 (null).\n\
         - `DI-Connect-Fitness/athlete@example.org_0_summarizedActivities.json`:\n\
         \x20 `[{\"summarizedActivitiesExport\": [...]}]`, one activity per session (the brick's\n\
         \x20 legs are two) with the session's name, `activityType` (`running`, `road_biking`),\n\
         \x20 `beginTimestamp` = the session's start in epoch ms, `duration` in ms and `distance` in\n\
         \x20 cm as Garmin writes them, and `startTimeLocal` (Berlin wall clock: not a start time).\n\
         \x20 The watch's activities carry `directWorkoutRpe` (recovery 20, easy 30, brick 40, the\n\
         \x20 too-hard \"Easy Run\" 60, intervals and progression 70, tempo 80) and\n\
         \x20 `directWorkoutFeel` (75, 50 or 25 as the morning's soreness is at most 2, at most 5, or\n\
         \x20 more); the bike computer's rides carry neither. Nothing names the FIT file of an\n\
         \x20 activity: they join by start time.\n",
    );
    out.push_str(&strava_readme(outings));
    out.push_str(APPLE_README);
    out
}

/// The README's section on `apple_health_export.zip`.
const APPLE_README: &str = "\n## Apple Health export\n\n\
     `apple_health_export.zip` is an iPhone's `export.zip` for the week of Monday 2026-10-19 to\n\
     Sunday 2026-10-25, as if the athlete had worn an Apple Watch beside the Garmin:\n\n\
     - `apple_health_export/export.xml`: the inline DTD as iOS 16 and later write it (the\n\
     \x20 `VisionPrescription` ATTLIST lacks its `>`), a stray `\\x0b` in `Me`, dates with\n\
     \x20 their offset (`+0200`, then `+0100` after summer time ends on 10-25), records by\n\
     \x20 type: heart rate (every 5 s during the week's five workouts, taken from their FIT\n\
     \x20 files; every 30 min otherwise), resting heart rate (the journal's), SDNN (three a\n\
     \x20 day), sleep (the journal's hours as core, deep and REM stages with an awake spell;\n\
     \x20 every third night also a generic `Asleep` over the same hours; the phone's `InBed`\n\
     \x20 every night and, one night, its own `AsleepUnspecified`), then the workouts with\n\
     \x20 their pauses (`WorkoutEvent`), distance (`WorkoutStatistics`) and route.\n\
     - `apple_health_export/workout-routes/route_<date>_<time>.gpx`: positions only.\n\
     - `apple_health_export/export_cda.xml`: an empty clinical document (never read).\n\n\
     Each workout is the same as its FIT file (same start), so it is counted once; the\n\
     nights, resting heart rate and SDNN join the day table (the journal wins).\n";

/// The README's section on `strava_export.zip`.
fn strava_readme(outings: &[Outing]) -> String {
    let from = day(STRAVA_FROM.0, STRAVA_FROM.1);
    let count = outings.iter().filter(|o| o.date >= from).count();
    let mut out = format!(
        "\n## Strava archive\n\n\
         `strava_export.zip` is laid out as Strava's bulk export: `activities.csv` and\n\
         `activities/`. The athlete connected Strava on Monday {from}, so it holds the {count}\n\
         workouts from then on (the whole period would add ~0.6 MB), each once, as it reached\n\
         Strava:\n\n\
         - `activities.csv`: one row per workout under 36 of Strava's ~90 columns, by their\n\
         \x20 names and in their order (`Elapsed Time`, `Distance` and `Max Heart Rate` repeat,\n\
         \x20 as in Strava's file, the first time in display units): `Activity ID`, `Activity Date`\n\
         \x20 (UTC, `Oct 21, 2026, 4:50:51 AM`), `Activity Name`, `Activity Type` (`Run`, `Ride`),\n\
         \x20 `Filename` (`activities/<id>.<ext>`) and an empty `Perceived Exertion` (the athlete\n\
         \x20 rates effort on the watch, not on Strava).\n\
         - `activities/<id>.fit.gz`: the workouts the watch and the bike computer synced: the\n\
         \x20 bytes of `activities/`, gzipped. Strava shows the device's name (\"Easy Run\").\n\
         - Four workouts reached Strava as GPX or TCX, written from the same records as their\n\
         \x20 FIT files (so each is the same workout as its FIT file: same start, same\n\
         \x20 heart-rate seconds):\n",
    );
    let what = |upload: Upload| match upload {
        Upload::FitGz => "",
        Upload::GarminTcx { .. } => {
            "Garmin Connect's TCX export, uploaded by hand: a `Lap` per FIT lap (auto lap per \
             km) with `TotalTimeSeconds`, `DistanceMeters` and `HeartRateBpm` per second; \
             Strava names it \"Morning Run\""
        }
        Upload::WahooTcx { .. } => {
            "the Wahoo app's TCX export of the ride (smart recording, as the FIT file): the \
             pause at the traffic light is a second `Track` inside the lap; \"Morning Ride\""
        }
        Upload::GarminGpx { .. } => {
            "Garmin Connect's GPX export: `ns3:` TrackPointExtension `hr`, `name` and `type`, \
             times with `.000`, every second; the strap's 35 s at 0 bpm are `<ns3:hr>0</ns3:hr>`; \
             Strava keeps the file's name, \"Easy Run\""
        }
        Upload::AppGpx { .. } => {
            "a phone sync app's GPX: `gpxtpx:` prefix, no `type` (the sport comes from \
             `Activity Type`) and no `name` (\"Evening Run\"), a point only when the heart \
             rate moved 3 bpm, after 5 s, or where the heart rate starts or stops; the pause is \
             a second `trkseg`"
        }
    };
    for (date, upload) in XML_UPLOADS {
        let date = day(date.0, date.1);
        let outing = outings
            .iter()
            .find(|o| o.date == date)
            .expect("an outing on every upload day");
        out.push_str(&format!(
            "  - {} ({}) as `.{}`: {}.\n",
            date.format("%Y-%m-%d"),
            outing.slug,
            upload.extension(),
            what(upload)
        ));
    }
    out.push_str(
        "\nA run over all of `sample_data/` meets these workouts three times (the folder, the\n\
         Garmin export, the Strava archive) and counts each once: of the same recording the copy\n\
         read first (`activities/`), and over a GPX or TCX recording of the same workout the FIT\n\
         one. Positions follow a flat loop around Tempelhofer Feld at the FIT distance; they are\n\
         not used.\n",
    );
    out
}
