//! Apple Health exports: the sample athlete's own FIT files written as an `export.zip`
//! (heart rate thinned to one record every 5 s, as the watch records during a workout),
//! which must give the FIT reading's band minutes; nights, resting HR and SDNN on their
//! dates; each quirk of the format; and bad input, one line each.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Offset, TimeZone};
use chrono_tz::Europe::Berlin;
use recovery::ingest::{ingest, read_activity, Decoder, IngestOptions, IngestReport, Verdict};
use recovery::session::{Session, SourceFormat};
use samplegen::apple::{self, Export, Workout, PHONE, WATCH};

use crate::common::{bin, output, sample};
use crate::gpx_tcx::read_workout;

/// Berlin's offset at a Unix time, in seconds.
fn berlin(unix: i64) -> i32 {
    Berlin
        .timestamp_opt(unix, 0)
        .single()
        .expect("a real time")
        .offset()
        .fix()
        .local_minus_utc()
}

fn unix(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 time")
        .timestamp()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

fn fit_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(sample().join("activities"))
        .expect("sample activities")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "fit"))
        .collect();
    files.sort();
    files
}

fn activity_type(sport: &str) -> Option<&'static str> {
    match sport {
        "running" => Some("HKWorkoutActivityTypeRunning"),
        "cycling" => Some("HKWorkoutActivityTypeCycling"),
        "transition" => None,
        _ => Some("HKWorkoutActivityTypeOther"),
    }
}

/// The FIT files as one export: every workout with its pauses, its heart rate thinned to
/// one record per 5 s (records come first, workouts after, as in real exports).
fn export_from_fit(files: &[PathBuf], export: &mut Export) {
    for path in files {
        let bytes = std::fs::read(path).expect("fit file");
        let w = read_workout(&bytes);
        let mut last: Option<i64> = None;
        for &(t, hr) in &w.records {
            let Some(hr) = hr else { continue };
            if last.is_some_and(|l| t - l < 5) {
                continue;
            }
            last = Some(t);
            export.hr(t, berlin(t), hr as f64);
        }
        for (start, elapsed, sport) in &w.sessions {
            let Some(activity) = activity_type(sport) else {
                continue;
            };
            let end = start + elapsed.round() as i64;
            export.workout(&Workout {
                activity: activity.into(),
                start: *start,
                end,
                offset_s: berlin(*start),
                pauses: w
                    .pauses
                    .iter()
                    .filter(|(a, b)| *a >= *start && *b <= end)
                    .copied()
                    .collect(),
                source: WATCH.into(),
                route: None,
                distance_km: None,
            });
        }
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    std::fs::write(&path, bytes).expect("write");
    path
}

fn read(paths: &[PathBuf]) -> IngestReport {
    ingest(paths, &IngestOptions::default())
}

fn apple_sessions(r: &IngestReport) -> Vec<&Session> {
    r.sessions
        .iter()
        .filter(|s| s.format == SourceFormat::AppleHealth)
        .collect()
}

/// Runs `recovery sessions --format csv PATHS`: (exit code, stdout, stderr).
fn sessions_cli(paths: &[&Path]) -> (i32, String, String) {
    let mut cmd = bin();
    cmd.env("TZ", "UTC")
        .args(["sessions", "--format", "csv", "--quiet"])
        .args(paths);
    output(&mut cmd)
}

const EXPORT_DATE: &str = "2026-11-09 08:00:00 +0100";

/// A small export: one run of 40 min at 150 bpm on 2026-09-01 18:00 Berlin, its heart
/// rate every 5 s.
fn one_run() -> (Export, Workout) {
    let mut e = Export::new();
    let start = unix("2026-09-01T18:00:00+02:00");
    for t in (start..start + 2400).step_by(5) {
        e.hr(t, 7200, 150.0);
    }
    let w = Workout {
        activity: "HKWorkoutActivityTypeRunning".into(),
        start,
        end: start + 2400,
        offset_s: 7200,
        pauses: vec![],
        source: WATCH.into(),
        route: None,
        distance_km: Some(7.5),
    };
    e.workout(&w);
    (e, w)
}

#[test]
fn an_export_built_from_the_sample_fit_files_gives_their_band_minutes() {
    let files = fit_files();
    let mut export = Export::new();
    export_from_fit(&files, &mut export);
    let dir = tempfile::tempdir().expect("temp dir");
    let zip = write(
        dir.path(),
        "export.zip",
        &apple::zip(&export.finish(EXPORT_DATE), &[]),
    );
    let report = read(std::slice::from_ref(&zip));
    let apple = apple_sessions(&report);
    let mut compared = 0;
    let mut worst = 0.0f64;
    for path in &files {
        let bytes = std::fs::read(path).expect("fit");
        let fit = read_activity(&path.display().to_string(), &bytes, None, Decoder::Fast);
        assert_eq!(fit.verdict, Verdict::Activity, "{}", path.display());
        for f in fit.sessions.iter().filter(|s| s.sport != "transition") {
            let a = apple
                .iter()
                .find(|a| a.start_utc == f.start_utc)
                .unwrap_or_else(|| panic!("no workout at {} ({})", f.start_utc, path.display()));
            assert_eq!(a.local_date, f.local_date, "{}", path.display());
            assert_eq!(a.sport, f.sport, "{}", path.display());
            assert_eq!(a.pauses, f.pauses, "{}", path.display());
            let (fb, fi, fa) = f.hr.split(120, 140);
            let (ab, ai, aa) = a.hr.split(120, 140);
            for (band, fs, as_) in [("below", fb, ab), ("in", fi, ai), ("above", fa, aa)] {
                let diff = (fs as f64 - as_ as f64).abs() / 60.0;
                let allowed = (1.5f64).max(0.08 * fs as f64 / 60.0);
                worst = worst.max(diff);
                assert!(
                    diff <= allowed,
                    "{} {band}: FIT {:.2} min, Apple {:.2} min",
                    path.display(),
                    fs as f64 / 60.0,
                    as_ as f64 / 60.0
                );
            }
            compared += 1;
        }
    }
    assert!(compared >= 50, "only {compared} sessions compared");
    eprintln!("apple vs FIT: {compared} sessions, worst band difference {worst:.2} min");
}

#[test]
fn nights_resting_hr_and_sdnn_land_on_their_local_dates() {
    let mut e = Export::new();
    let b = |s: &str| unix(s);
    // The night to 2026-09-02: the watch's stages (6 h) and its generic Asleep over the
    // same hours (8 h), the phone's InBed: 6 h, never 14.
    e.sleep(
        b("2026-09-01T23:00:00+02:00"),
        b("2026-09-02T02:00:00+02:00"),
        7200,
        "AsleepCore",
        WATCH,
    );
    e.sleep(
        b("2026-09-02T02:00:00+02:00"),
        b("2026-09-02T03:00:00+02:00"),
        7200,
        "AsleepDeep",
        WATCH,
    );
    e.sleep(
        b("2026-09-02T03:00:00+02:00"),
        b("2026-09-02T03:30:00+02:00"),
        7200,
        "Awake",
        WATCH,
    );
    e.sleep(
        b("2026-09-02T03:30:00+02:00"),
        b("2026-09-02T05:30:00+02:00"),
        7200,
        "AsleepREM",
        WATCH,
    );
    e.sleep(
        b("2026-09-01T23:00:00+02:00"),
        b("2026-09-02T07:00:00+02:00"),
        7200,
        "Asleep",
        WATCH,
    );
    e.sleep(
        b("2026-09-01T22:30:00+02:00"),
        b("2026-09-02T07:10:00+02:00"),
        7200,
        "InBed",
        PHONE,
    );
    // The night to 2026-09-03: the phone says 9 h asleep, the watch's stages 7 h: the watch.
    e.sleep(
        b("2026-09-02T22:00:00+02:00"),
        b("2026-09-03T07:00:00+02:00"),
        7200,
        "AsleepUnspecified",
        PHONE,
    );
    e.sleep(
        b("2026-09-02T23:00:00+02:00"),
        b("2026-09-03T06:00:00+02:00"),
        7200,
        "AsleepCore",
        WATCH,
    );
    // In New York: a night ending 2026-09-05 06:30 -0400 (10:30 UTC).
    e.sleep(
        b("2026-09-04T23:30:00-04:00"),
        b("2026-09-05T06:30:00-04:00"),
        -4 * 3600,
        "AsleepUnspecified",
        WATCH,
    );
    // Resting HR at 23:30 in New York is 03:30 UTC the next day: it is the 5th's.
    e.resting_hr(b("2026-09-05T23:30:00-04:00"), -4 * 3600, 48.0);
    e.resting_hr(b("2026-09-02T07:00:00+02:00"), 7200, 52.0);
    // SDNN: two readings on 09-02 (mean 50 ms), one just after midnight Berlin on 09-03.
    e.sdnn(b("2026-09-02T03:00:00+02:00"), 7200, 45.0);
    e.sdnn(b("2026-09-02T13:00:00+02:00"), 7200, 55.0);
    e.sdnn(b("2026-09-03T00:10:00+02:00"), 7200, 61.0);
    let dir = tempfile::tempdir().expect("temp dir");
    let xml = write(dir.path(), "export.xml", &e.finish(EXPORT_DATE));
    let r = read(&[xml]);
    let nights: Vec<(NaiveDate, f64)> = r
        .wellness
        .nights
        .iter()
        .map(|n| (n.date, (n.sleep_hours * 100.0).round() / 100.0))
        .collect();
    assert_eq!(
        nights,
        [
            (date("2026-09-02"), 6.0),
            (date("2026-09-03"), 7.0),
            (date("2026-09-05"), 7.0)
        ]
    );
    let rhr: Vec<(NaiveDate, f64)> = r
        .wellness
        .resting_hr
        .iter()
        .map(|d| (d.date, d.value))
        .collect();
    assert_eq!(
        rhr,
        [(date("2026-09-02"), 52.0), (date("2026-09-05"), 48.0)]
    );
    let sdnn: Vec<(NaiveDate, f64)> = r
        .wellness
        .hrv_sdnn
        .iter()
        .map(|d| (d.date, d.value))
        .collect();
    assert_eq!(
        sdnn,
        [(date("2026-09-02"), 50.0), (date("2026-09-03"), 61.0)]
    );
    assert!(
        r.wellness.hrv.is_empty(),
        "SDNN never goes into the rMSSD HRV"
    );
}

#[test]
fn a_generic_asleep_beside_its_stages_is_not_added_to_them() {
    let mut e = Export::new();
    let s = unix("2026-09-01T23:00:00+02:00");
    e.sleep(s, s + 4 * 3600, 7200, "AsleepCore", WATCH);
    e.sleep(s + 4 * 3600, s + 5 * 3600, 7200, "AsleepDeep", WATCH);
    e.sleep(s, s + 5 * 3600, 7200, "Asleep", WATCH);
    let dir = tempfile::tempdir().expect("temp dir");
    let r = read(&[write(dir.path(), "export.xml", &e.finish(EXPORT_DATE))]);
    assert_eq!(r.wellness.nights.len(), 1);
    assert!((r.wellness.nights[0].sleep_hours - 5.0).abs() < 1e-9);
}

#[test]
fn the_ios16_dtd_without_its_closing_bracket_is_skipped_and_never_validated() {
    let (e, _) = one_run();
    let doc = e.finish(EXPORT_DATE);
    let text = String::from_utf8_lossy(&doc);
    assert!(text.contains("brand            CDATA #IMPLIED\n<!ELEMENT RightEye"));
    let dir = tempfile::tempdir().expect("temp dir");
    let r = read(&[write(dir.path(), "export.xml", &doc)]);
    assert_eq!(r.files[0].verdict, Verdict::Activity, "{:?}", r.files[0]);
    assert_eq!(apple_sessions(&r).len(), 1);
}

#[test]
fn a_dtd_declaring_entities_is_never_expanded() {
    let (e, _) = one_run();
    let doc = String::from_utf8(e.finish(EXPORT_DATE))
        .expect("utf-8")
        .replace(
            "<!ELEMENT ExportDate EMPTY>",
            "<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\"><!ELEMENT ExportDate EMPTY>",
        );
    let doc = doc.replace("<ExportDate value=\"", "<ExportDate value=\"&b;");
    let dir = tempfile::tempdir().expect("temp dir");
    let r = read(&[write(dir.path(), "export.xml", doc.as_bytes())]);
    assert_eq!(apple_sessions(&r).len(), 1);
}

#[test]
fn a_stray_vertical_tab_does_not_stop_the_read() {
    let (e, _) = one_run();
    let doc = e.finish(EXPORT_DATE);
    assert!(doc.contains(&0x0b));
    let dir = tempfile::tempdir().expect("temp dir");
    let r = read(&[write(dir.path(), "export.xml", &doc)]);
    assert_eq!(r.files[0].verdict, Verdict::Activity);
    assert_eq!(apple_sessions(&r)[0].hr_s(), 2395);
}

#[test]
fn dates_keep_their_offset_so_a_late_run_stays_on_its_local_date() {
    let mut e = Export::new();
    // 23:10 in New York on 09-01 is 03:10 UTC on 09-02.
    let start = unix("2026-09-01T23:10:00-04:00");
    for t in (start..start + 1800).step_by(5) {
        e.hr(t, -4 * 3600, 130.0);
    }
    e.workout(&Workout {
        activity: "HKWorkoutActivityTypeRunning".into(),
        start,
        end: start + 1800,
        offset_s: -4 * 3600,
        pauses: vec![],
        source: WATCH.into(),
        route: None,
        distance_km: None,
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let r = read(&[write(dir.path(), "export.xml", &e.finish(EXPORT_DATE))]);
    let s = apple_sessions(&r)[0];
    assert_eq!(s.local_date, date("2026-09-01"));
    assert_eq!(s.utc_offset_s, Some(-4 * 3600));
    assert_eq!(s.start_utc.timestamp(), start);
}

#[test]
fn heart_rate_records_written_long_before_their_workout_are_joined_to_it() {
    let (e, w) = one_run();
    let doc = e.finish(EXPORT_DATE);
    let text = String::from_utf8_lossy(&doc);
    let first_hr = text.find("HKQuantityTypeIdentifierHeartRate").expect("hr");
    let workout = text.find("<Workout ").expect("workout");
    assert!(first_hr < workout && workout > text.len() / 2);
    let dir = tempfile::tempdir().expect("temp dir");
    let r = read(&[write(dir.path(), "export.xml", &doc)]);
    let s = apple_sessions(&r)[0];
    assert_eq!(s.start_utc.timestamp(), w.start);
    // 480 samples 5 s apart hold 479 × 5 s; all above the band.
    assert_eq!(s.hr.split(120, 140), (0, 0, 2395));
    assert_eq!(s.distance_m, Some(7500.0));
}

#[test]
fn pauses_come_from_workout_events() {
    let mut e = Export::new();
    let start = unix("2026-09-01T18:00:00+02:00");
    for t in (start..start + 3000).step_by(5) {
        e.hr(t, 7200, 135.0);
    }
    e.workout(&Workout {
        activity: "HKWorkoutActivityTypeCycling".into(),
        start,
        end: start + 3000,
        offset_s: 7200,
        pauses: vec![(start + 1000, start + 1600)],
        source: WATCH.into(),
        route: None,
        distance_km: None,
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let r = read(&[write(dir.path(), "export.xml", &e.finish(EXPORT_DATE))]);
    let s = apple_sessions(&r)[0];
    assert_eq!(s.sport, "cycling");
    assert_eq!(s.pauses, 1);
    assert!((s.timer_s - 2400.0).abs() < 1.0, "{}", s.timer_s);
    assert_eq!(s.hr_s(), 2995 - 600);
}

#[test]
fn an_export_is_read_as_a_zip_a_folder_or_a_bare_export_xml() {
    let (e, w) = one_run();
    let doc = e.finish(EXPORT_DATE);
    let routes = vec![(
        "route_2026-09-01_6.00pm.gpx".to_string(),
        apple::route_gpx(w.start, 50),
    )];
    let dir = tempfile::tempdir().expect("temp dir");
    let zip = write(dir.path(), "export.zip", &apple::zip(&doc, &routes));
    let folder = dir.path().join("unpacked");
    write(&folder, "apple_health_export/export.xml", &doc);
    write(
        &folder,
        "apple_health_export/workout-routes/route_2026-09-01_6.00pm.gpx",
        &routes[0].1,
    );
    let bare = write(dir.path(), "bare/export.xml", &doc);
    for path in [&zip, &folder, &bare] {
        let r = read(std::slice::from_ref(path));
        let s = apple_sessions(&r);
        assert_eq!(s.len(), 1, "{}", path.display());
        assert_eq!(s[0].sport, "running");
        // The route GPX is not a session: positions only.
        assert_eq!(r.sessions.len(), 1, "{}", path.display());
    }
}

#[test]
fn route_gpx_files_are_not_sessions() {
    let (e, w) = one_run();
    let mut e = e;
    let mut w2 = w.clone();
    w2.route = Some("route_2026-09-01_6.00pm.gpx".into());
    e.workout(&w2);
    let dir = tempfile::tempdir().expect("temp dir");
    let zip = write(
        dir.path(),
        "export.zip",
        &apple::zip(
            &e.finish(EXPORT_DATE),
            &[(
                "route_2026-09-01_6.00pm.gpx".into(),
                apple::route_gpx(w.start, 200),
            )],
        ),
    );
    let r = read(&[zip]);
    let route = r
        .files
        .iter()
        .find(|f| f.label.ends_with(".gpx"))
        .expect("the route is listed");
    assert_eq!(route.verdict, Verdict::NotFit);
    assert!(r
        .sessions
        .iter()
        .all(|s| s.format == SourceFormat::AppleHealth));
    assert!(r.wellness.problems.is_empty(), "{:?}", r.wellness.problems);
}

#[test]
fn a_workout_also_recorded_as_fit_counts_once_and_the_fit_is_kept() {
    let files = fit_files();
    let mut export = Export::new();
    export_from_fit(&files[..6], &mut export);
    let dir = tempfile::tempdir().expect("temp dir");
    let zip = write(
        dir.path(),
        "export.zip",
        &apple::zip(&export.finish(EXPORT_DATE), &[]),
    );
    let fit_only = read(&files[..6]);
    let workouts = apple_sessions(&read(std::slice::from_ref(&zip))).len();
    assert!(workouts >= 6);
    let mut paths = files[..6].to_vec();
    paths.push(zip);
    let both = read(&paths);
    assert_eq!(both.sessions.len(), fit_only.sessions.len());
    assert!(both.sessions.iter().all(|s| s.format == SourceFormat::Fit));
    assert_eq!(both.duplicates.len(), workouts);
}

// ---------------------------------------------------------------------------------------
// Bad input: one line each, no panic, the batch goes on.

/// The lines of stderr that name `what`.
fn lines_with<'a>(stderr: &'a str, what: &str) -> Vec<&'a str> {
    stderr.lines().filter(|l| l.contains(what)).collect()
}

#[test]
fn a_truncated_export_keeps_what_was_read_before_the_cut() {
    let (mut e, _) = one_run();
    e.resting_hr(unix("2026-09-01T07:00:00+02:00"), 7200, 50.0);
    let doc = e.finish(EXPORT_DATE);
    let at = String::from_utf8_lossy(&doc)
        .find("<Workout ")
        .expect("a workout")
        + 40;
    let cut = &doc[..at];
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "export.xml", cut);
    let (code, _, stderr) = sessions_cli(&[&path]);
    assert_eq!(code, 3, "{stderr}");
    let lines = lines_with(&stderr, "export.xml: damaged");
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("cut short") || lines[0].contains("well-formed"),
        "{stderr}"
    );
    let r = read(&[path]);
    assert_eq!(
        r.wellness.resting_hr.len(),
        1,
        "what came before the cut is used"
    );
    assert!(matches!(r.files[0].verdict, Verdict::Damaged(_)));
}

#[test]
fn a_record_with_a_bad_date_is_one_line() {
    let (mut e, _) = one_run();
    e.record(
        "HKQuantityTypeIdentifierHeartRate",
        Some("count/min"),
        "140",
        WATCH,
        "2026-09-01T18:00:00+02:00",
        "2026-09-01T18:00:00+02:00",
    );
    e.record(
        "HKQuantityTypeIdentifierRestingHeartRate",
        Some("count/min"),
        "50",
        WATCH,
        "01/09/2026 07:00",
        "01/09/2026 07:00",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "export.xml", &e.finish(EXPORT_DATE));
    let (code, out, stderr) = sessions_cli(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    let lines = lines_with(&stderr, "not `YYYY-MM-DD hh:mm:ss ±hhmm`");
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("2 record(s)"), "{stderr}");
    assert!(lines[0].contains("2026-09-01T18:00:00+02:00"), "{stderr}");
    assert_eq!(out.lines().count(), 2, "the run is still read: {out}");
}

#[test]
fn an_absurd_value_is_one_line_and_reads_as_a_dropout() {
    let (mut e, w) = one_run();
    e.hr(w.start + 2, 7200, 900.0);
    e.resting_hr(w.start, 7200, 4.0);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "export.xml", &e.finish(EXPORT_DATE));
    let (_, _, stderr) = sessions_cli(&[&path]);
    let lines = lines_with(&stderr, "outside what a body can show");
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("2 value(s)") && lines[0].contains("\"900\""),
        "{stderr}"
    );
    let r = read(&[path]);
    assert!(r.wellness.resting_hr.is_empty());
    // The dropout stops 150 bpm holding for the 3 s until the next sample.
    assert_eq!(apple_sessions(&r)[0].hr_s(), 2395 - 3);
}

#[test]
fn a_workout_with_no_heart_rate_in_its_window_is_one_line() {
    let (mut e, w) = one_run();
    let mut synced = w.clone();
    synced.start += 86_400;
    synced.end += 86_400;
    synced.source = "Strava".into();
    e.workout(&synced);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "export.xml", &e.finish(EXPORT_DATE));
    let (_, out, stderr) = sessions_cli(&[&path]);
    let lines = lines_with(&stderr, "no heart-rate records in their window");
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("2026-09-02 running from Strava"),
        "{stderr}"
    );
    assert!(out.contains(",unknown,"), "listed as unknown: {out}");
}

#[test]
fn a_missing_route_file_is_one_line() {
    let (mut e, w) = one_run();
    let mut with_route = w.clone();
    with_route.start += 86_400;
    with_route.end += 86_400;
    with_route.route = Some("route_2026-09-02_6.00pm.gpx".into());
    e.workout(&with_route);
    let dir = tempfile::tempdir().expect("temp dir");
    let zip = write(
        dir.path(),
        "export.zip",
        &apple::zip(&e.finish(EXPORT_DATE), &[]),
    );
    let (_, _, stderr) = sessions_cli(&[&zip]);
    let lines = lines_with(&stderr, "route file(s) it refers to are not in the export");
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("workout-routes/route_2026-09-02_6.00pm.gpx"),
        "{stderr}"
    );
}

#[test]
fn an_export_over_the_size_limit_is_streamed_not_refused() {
    let (mut e, w) = one_run();
    // Another day of heart rate, to pass 1 MB.
    for t in (w.start + 86_400..w.start + 86_400 + 5 * 3600).step_by(5) {
        e.hr(t, 7200, 70.0);
    }
    let doc = e.finish(EXPORT_DATE);
    assert!(doc.len() > 1 << 20, "{}", doc.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "export.xml", &doc);
    let zip = write(dir.path(), "z/export.zip", &apple::zip(&doc, &[]));
    for p in [&path, &zip] {
        let mut cmd = bin();
        cmd.env("TZ", "UTC")
            .args([
                "sessions",
                "--format",
                "csv",
                "--quiet",
                "--max-file-mb",
                "1",
            ])
            .arg(p);
        let (code, out, stderr) = output(&mut cmd);
        let lines = lines_with(&stderr, "streamed anyway");
        assert_eq!(lines.len(), 1, "{stderr}");
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(out.lines().count(), 2, "{out}");
    }
}

#[test]
fn the_day_table_takes_apple_nights_resting_hr_and_sdnn_and_the_journal_wins() {
    // One run on 09-01, so the days start there.
    let (mut e, _) = one_run();
    let b = |s: &str| unix(s);
    e.sleep(
        b("2026-09-01T23:00:00+02:00"),
        b("2026-09-02T06:00:00+02:00"),
        7200,
        "AsleepCore",
        WATCH,
    );
    e.sleep(
        b("2026-09-02T23:00:00+02:00"),
        b("2026-09-03T05:00:00+02:00"),
        7200,
        "AsleepCore",
        WATCH,
    );
    e.resting_hr(b("2026-09-02T07:00:00+02:00"), 7200, 52.0);
    e.sdnn(b("2026-09-02T03:00:00+02:00"), 7200, 48.0);
    let doc = e.finish(EXPORT_DATE);
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("athlete");
    write(&folder, "export.xml", &doc);
    write(
        &folder,
        "journal.csv",
        b"date,soreness,sleep_hours\n2026-09-02,2,\n2026-09-03,3,7.5\n",
    );
    let out = dir.path().join("out");
    let mut cmd = bin();
    cmd.env("TZ", "UTC")
        .args(["analyze", "--quiet", "--session-charts", "none", "--out"])
        .arg(&out)
        .arg(&folder);
    let (code, _, stderr) = output(&mut cmd);
    assert!(code == 0 || code == 3, "{stderr}");
    let rows = crate::common::csv_rows(&out.join("days.csv"));
    let day = |d: &str| rows.iter().find(|r| r["date"] == d).expect(d).clone();
    let d2 = day("2026-09-02");
    let num = |v: &str| v.parse::<f64>().expect("a number");
    assert_eq!(num(&d2["sleep_hours"]), 7.0);
    assert_eq!(d2["sleep_hours_source"], "watch");
    assert_eq!(num(&d2["resting_hr"]), 52.0);
    assert_eq!(num(&d2["hrv_sdnn_ms"]), 48.0);
    assert_eq!(d2["hrv_ms"], "", "SDNN is not rMSSD");
    let d3 = day("2026-09-03");
    assert_eq!(num(&d3["sleep_hours"]), 7.5, "the journal wins");
    assert_eq!(d3["sleep_hours_source"], "journal");
}
