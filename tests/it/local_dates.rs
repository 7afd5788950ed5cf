//! The local date of a file without a UTC offset (issue 32): the file's own offset, else
//! `--tz`, else the zone at its first GPS fix (not for a virtual ride), else the athlete's
//! files nearest in time, else UTC with one line naming `--tz`. Every file here is written
//! by the project's own writers (`samplegen`).

use crate::common::{bin, csv_rows, output};
use samplegen::fitwrite::{
    self, profile, Activity, BaseType, FieldDef, FileId, FitWriter, Record, Session, Value,
};
use samplegen::xmlwrite::{self, XmlTrack};

/// One CSV row by column name.
type Row = std::collections::BTreeMap<String, String>;

/// 2018-08-11T01:41:00Z: 21:41 the evening before in Michigan (UTC−4 in summer).
const EVENING_UTC: i64 = 1_533_951_660;
/// A point in Ann Arbor, Michigan (America/Detroit).
const MICHIGAN: (f64, f64) = (42.2808, -83.7430);
/// Watopia, Zwift's game world, drawn over the Solomon Islands (UTC+11).
const WATOPIA: (f64, f64) = (-11.6406, 166.9513);

/// A 30-minute FIT run starting `start` (Unix s) whose activity carries `offset_h` hours.
fn fit_run(start: i64, offset_h: i64) -> Vec<u8> {
    let t0 = (start - fitwrite::FIT_EPOCH_UNIX) as u32;
    let mut w = FitWriter::new();
    w.file_id(&FileId {
        file_type: profile::FILE_ACTIVITY,
        manufacturer: profile::MANUFACTURER_GARMIN,
        product: 3990,
        serial_number: 1,
        time_created: t0,
    })
    .expect("file_id");
    for t in (0..=1800).step_by(5) {
        w.record(&Record::hr(t0 + t, Some(130))).expect("record");
    }
    w.session(&Session::plain(
        0,
        t0,
        profile::SPORT_RUNNING,
        1800.0,
        1800.0,
    ))
    .expect("session");
    w.activity(&Activity {
        timestamp: t0 + 1800,
        total_timer_time_s: 1800.0,
        num_sessions: 1,
        activity_type: profile::ACTIVITY_MANUAL,
        local_timestamp: (t0 as i64 + 1800 + offset_h * 3600) as u32,
    })
    .expect("activity");
    w.finish()
}

/// A 40-minute FIT ride starting `start` (Unix s) with no `activity` message (so no
/// offset) and a session whose `start_position_lat/long` is `at`, in semicircles.
fn fit_ride_without_offset(start: i64, at: (f64, f64)) -> Vec<u8> {
    let t0 = (start - fitwrite::FIT_EPOCH_UNIX) as u32;
    let mut w = FitWriter::new();
    w.file_id(&FileId {
        file_type: profile::FILE_ACTIVITY,
        manufacturer: profile::MANUFACTURER_WAHOO,
        product: 31,
        serial_number: 2,
        time_created: t0,
    })
    .expect("file_id");
    for t in (0..=2400).step_by(5) {
        w.record(&Record::hr(t0 + t, Some(125))).expect("record");
    }
    let semicircles = |deg: f64| (deg * 2_147_483_648.0 / 180.0).round() as i32;
    let fields = [
        FieldDef::new(253, BaseType::UInt32),
        FieldDef::new(2, BaseType::UInt32),
        FieldDef::new(3, BaseType::SInt32),
        FieldDef::new(4, BaseType::SInt32),
        FieldDef::new(5, BaseType::Enum),
        FieldDef::new(7, BaseType::UInt32),
        FieldDef::new(8, BaseType::UInt32),
    ];
    w.define(9, 18, &fields).expect("session definition");
    w.write(
        9,
        &[
            Value::U32(t0 + 2400),
            Value::U32(t0),
            Value::I32(semicircles(at.0)),
            Value::I32(semicircles(at.1)),
            Value::U8(profile::SPORT_CYCLING),
            Value::U32(2_400_000),
            Value::U32(2_400_000),
        ],
    )
    .expect("session");
    w.finish()
}

/// The evening run as a track of 40 minutes, with positions at `at` or none.
fn evening(sport: &str, at: Option<(f64, f64)>) -> XmlTrack {
    XmlTrack::steady(sport, EVENING_UTC, 40, 128, at)
}

/// Writes `files` into a fresh folder and runs `recovery sessions --format csv` on it with
/// `args`: (exit code, rows, stderr).
fn sessions(files: &[(&str, Vec<u8>)], args: &[&str]) -> (i32, Vec<Row>, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write input");
    }
    let (code, stdout, stderr) = output(
        bin()
            .env("TZ", "UTC")
            .args(["sessions", "--format", "csv", "-q"])
            .arg(dir.path())
            .args(args),
    );
    let csv = dir.path().join("sessions.csv");
    std::fs::write(&csv, stdout).expect("write csv");
    (code, csv_rows(&csv), stderr)
}

/// The row of the file named `name`.
fn row<'a>(rows: &'a [Row], name: &str) -> &'a Row {
    rows.iter()
        .find(|r| r["file"].ends_with(name))
        .unwrap_or_else(|| panic!("no row for {name} in {rows:?}"))
}

fn date_and_source(r: &Row) -> (&str, &str) {
    (&r["local_date"], &r["local_date_from"])
}

fn utc_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains("dated by UTC"))
        .collect()
}

#[test]
fn a_tcx_without_positions_takes_the_offset_of_the_athletes_fit_file() {
    let files = [
        ("home.fit", fit_run(EVENING_UTC - 2 * 86_400, -4)),
        (
            "evening.tcx",
            xmlwrite::tcx(&evening("Running", None)).into_bytes(),
        ),
    ];
    let (code, rows, stderr) = sessions(&files, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        date_and_source(row(&rows, "evening.tcx")),
        ("2018-08-10", "athlete_files")
    );
    assert_eq!(
        date_and_source(row(&rows, "home.fit")),
        ("2018-08-08", "file")
    );
    assert!(utc_lines(&stderr).is_empty(), "{stderr}");
}

#[test]
fn a_tcx_alone_is_dated_by_utc_and_one_line_names_the_tz_flag() {
    let files = [
        (
            "a.tcx",
            xmlwrite::tcx(&evening("Running", None)).into_bytes(),
        ),
        (
            "b.tcx",
            xmlwrite::tcx(&XmlTrack::steady(
                "Biking",
                EVENING_UTC + 86_400,
                30,
                120,
                None,
            ))
            .into_bytes(),
        ),
    ];
    let (code, rows, stderr) = sessions(&files, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(date_and_source(row(&rows, "a.tcx")), ("2018-08-11", "utc"));
    assert_eq!(date_and_source(row(&rows, "b.tcx")), ("2018-08-12", "utc"));
    let lines = utc_lines(&stderr);
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("2 sessions dated by UTC"), "{stderr}");
    assert!(lines[0].contains("--tz ZONE"), "{stderr}");
}

#[test]
fn tz_wins_over_the_athletes_files_and_the_files_own_offset_wins_over_tz() {
    let files = [
        ("home.fit", fit_run(EVENING_UTC - 2 * 86_400, -4)),
        (
            "evening.tcx",
            xmlwrite::tcx(&evening("Running", None)).into_bytes(),
        ),
    ];
    let (code, rows, stderr) = sessions(&files, &["--tz", "Asia/Tokyo"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        date_and_source(row(&rows, "evening.tcx")),
        ("2018-08-11", "tz_flag")
    );
    assert_eq!(
        date_and_source(row(&rows, "home.fit")),
        ("2018-08-08", "file")
    );
    assert!(utc_lines(&stderr).is_empty(), "{stderr}");
}

#[test]
fn a_virtual_ride_is_dated_from_the_athletes_files_not_the_game_map() {
    let mut ride = XmlTrack::steady("Biking", EVENING_UTC, 40, 125, Some(WATOPIA));
    ride.creator = "Zwift".into();
    let files = [
        ("home.fit", fit_run(EVENING_UTC - 86_400, -4)),
        ("ride.tcx", xmlwrite::tcx(&ride).into_bytes()),
    ];
    let (code, rows, stderr) = sessions(&files, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        date_and_source(row(&rows, "ride.tcx")),
        ("2018-08-10", "athlete_files")
    );
    assert!(!stderr.contains("at sea"), "{stderr}");
}

#[test]
fn a_gpx_with_positions_in_michigan_starting_at_01_41_utc_is_dated_the_day_before() {
    let files = [(
        "evening.gpx",
        xmlwrite::gpx(&evening("running", Some(MICHIGAN))).into_bytes(),
    )];
    let (code, rows, stderr) = sessions(&files, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        date_and_source(row(&rows, "evening.gpx")),
        ("2018-08-10", "position")
    );
    assert!(utc_lines(&stderr).is_empty(), "{stderr}");
}

#[test]
fn a_fit_ride_without_an_offset_is_dated_by_its_start_position_with_either_decoder() {
    let files = [("ride.fit", fit_ride_without_offset(EVENING_UTC, MICHIGAN))];
    for decoder in ["fast", "fitparser"] {
        let (code, rows, stderr) = sessions(&files, &["--decoder", decoder]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(
            date_and_source(row(&rows, "ride.fit")),
            ("2018-08-10", "position"),
            "{decoder}"
        );
    }
}

#[test]
fn the_position_wins_over_the_athletes_files_and_tz_wins_over_the_position() {
    // A file of the athlete's in Tokyo a day earlier would say 2018-08-11.
    let files = [
        ("tokyo.fit", fit_run(EVENING_UTC - 86_400, 9)),
        (
            "evening.gpx",
            xmlwrite::gpx(&evening("running", Some(MICHIGAN))).into_bytes(),
        ),
    ];
    let (_, rows, stderr) = sessions(&files, &[]);
    assert_eq!(
        date_and_source(row(&rows, "evening.gpx")),
        ("2018-08-10", "position"),
        "{stderr}"
    );
    let (_, rows, stderr) = sessions(&files, &["--tz", "Asia/Tokyo"]);
    assert_eq!(
        date_and_source(row(&rows, "evening.gpx")),
        ("2018-08-11", "tz_flag"),
        "{stderr}"
    );
}

#[test]
fn a_position_at_sea_or_off_the_earth_gets_one_clear_line_and_the_run_goes_on() {
    let files = [
        (
            "atlantic.gpx",
            xmlwrite::gpx(&evening("sailing", Some((30.0, -40.0)))).into_bytes(),
        ),
        (
            "nowhere.gpx",
            xmlwrite::gpx(&XmlTrack::steady(
                "running",
                EVENING_UTC + 86_400,
                30,
                120,
                Some((95.0, -83.0)),
            ))
            .into_bytes(),
        ),
    ];
    let (code, rows, stderr) = sessions(&files, &[]);
    assert_eq!(code, 0, "{stderr}");
    // At sea: the nautical zone of 40° W is UTC−3.
    assert_eq!(
        date_and_source(row(&rows, "atlantic.gpx")),
        ("2018-08-10", "position")
    );
    let sea: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("atlantic.gpx"))
        .collect();
    assert_eq!(sea.len(), 1, "{stderr}");
    assert!(
        sea[0].contains("lies at sea") && sea[0].contains("Etc/GMT+3 (UTC−3)"),
        "{stderr}"
    );
    // Off the Earth: said, not used; the session nearest in time (at sea) dates it.
    let off: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("nowhere.gpx"))
        .collect();
    assert_eq!(off.len(), 1, "{stderr}");
    assert!(off[0].contains("(95, -83) is not on Earth"), "{stderr}");
    assert_eq!(
        date_and_source(row(&rows, "nowhere.gpx")),
        ("2018-08-11", "athlete_files")
    );
}

#[test]
fn the_summary_says_how_sessions_without_an_offset_were_dated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("input dir");
    std::fs::write(input.join("home.fit"), fit_run(EVENING_UTC - 86_400, -4)).expect("fit");
    std::fs::write(
        input.join("evening.tcx"),
        xmlwrite::tcx(&evening("Running", None)),
    )
    .expect("tcx");
    std::fs::write(
        input.join("later.gpx"),
        xmlwrite::gpx(&XmlTrack::steady(
            "running",
            EVENING_UTC + 3 * 86_400,
            30,
            120,
            None,
        )),
    )
    .expect("gpx");
    let out = dir.path().join("out");
    let (code, _, stderr) = output(
        bin()
            .env("TZ", "UTC")
            .args(["analyze", "-q", "--session-charts", "none"])
            .arg(&input)
            .arg("--out")
            .arg(&out),
    );
    assert!(code == 0 || code == 3, "{stderr}");
    let summary = std::fs::read_to_string(out.join("summary.md")).expect("summary.md");
    assert!(
        summary.contains(
            "local dates of sessions whose files carry no UTC offset: 2 from the offset of your own files nearest in time"
        ),
        "{summary}"
    );
    assert!(utc_lines(&stderr).is_empty(), "{stderr}");
}

#[test]
fn in_a_team_each_athletes_own_files_date_that_athletes_sessions() {
    let root = tempfile::tempdir().expect("temp dir");
    let team = root.path().join("team");
    for (athlete, offset_h) in [("detroit", -4), ("tokyo", 9)] {
        let dir = team.join(athlete);
        std::fs::create_dir_all(&dir).expect("athlete dir");
        std::fs::write(
            dir.join("home.fit"),
            fit_run(EVENING_UTC - 86_400, offset_h),
        )
        .expect("fit");
        std::fs::write(
            dir.join("evening.tcx"),
            xmlwrite::tcx(&evening("Running", None)),
        )
        .expect("tcx");
    }
    let out = root.path().join("out");
    let (code, stdout, stderr) = output(
        bin()
            .env("TZ", "UTC")
            .arg("team")
            .arg(&team)
            .arg("--out")
            .arg(&out),
    );
    assert!(code == 0 || code == 3, "{stdout}\n{stderr}");
    let date = |athlete: &str| {
        let rows = csv_rows(&out.join(athlete).join("sessions.csv"));
        let r = row(&rows, "evening.tcx");
        (r["local_date"].clone(), r["local_date_from"].clone())
    };
    assert_eq!(
        date("detroit"),
        ("2018-08-10".into(), "athlete_files".into())
    );
    assert_eq!(date("tokyo"), ("2018-08-11".into(), "athlete_files".into()));
}
