//! FIT times below 0x10000000 are seconds since the device powered on ("system time"), not
//! dates: dated by `timestamp_correlation`, else given a local date by the activity's
//! `local_timestamp`, else listed undated and kept out of the days. Hand-built files.

use assert_cmd::Command;
use recovery::ingest::{read_activity, Decoder, FileRead, Verdict};
use recovery::session::LocalDateSource;
use samplegen::fitwrite::{
    profile, Activity, BaseType, FieldDef, FileId, FitWriter, Record, Session, Value,
};

/// The device powered on 1000 s before the session started.
const START: u32 = 1000;
/// 2026-03-02T08:00:00Z in FIT seconds.
const REAL: u32 = 1_141_372_800;

/// How the file says (or does not say) what its system times are.
#[derive(Clone, Copy)]
struct Dating {
    /// `timestamp_correlation`: (system time, UTC, local wall-clock time).
    correlation: Option<(u32, u32, u32)>,
    /// The activity's `local_timestamp`.
    local_timestamp: Option<u32>,
}

/// A 10-minute run at 150 bpm in system time, dated as `d` says.
fn build(d: Dating) -> Vec<u8> {
    let mut w = FitWriter::new();
    w.file_id(&FileId {
        file_type: profile::FILE_ACTIVITY,
        manufacturer: profile::MANUFACTURER_GARMIN,
        product: 3990,
        serial_number: 7,
        time_created: START,
    })
    .expect("file_id");
    if let Some((system, utc, local)) = d.correlation {
        let fields = [
            FieldDef::new(253, BaseType::UInt32),
            FieldDef::new(1, BaseType::UInt32),
            FieldDef::new(3, BaseType::UInt32),
        ];
        w.define(12, 162, &fields).expect("definition");
        w.write(
            12,
            &[Value::U32(utc), Value::U32(system), Value::U32(local)],
        )
        .expect("timestamp_correlation");
    }
    for t in 0..=600 {
        w.record(&Record::hr(START + t, Some(150))).expect("record");
    }
    w.session(&Session::plain(
        0,
        START,
        profile::SPORT_RUNNING,
        600.0,
        600.0,
    ))
    .expect("session");
    w.activity(&Activity {
        timestamp: START + 600,
        total_timer_time_s: 600.0,
        num_sessions: 1,
        activity_type: profile::ACTIVITY_MANUAL,
        // u32::MAX is the invalid value: no local_timestamp.
        local_timestamp: d.local_timestamp.unwrap_or(u32::MAX),
    })
    .expect("activity");
    w.finish()
}

const CORRELATED: Dating = Dating {
    // System time 900 is REAL - 100 s; the wall clock is UTC-7.
    correlation: Some((900, REAL - 100, REAL - 100 - 7 * 3600)),
    local_timestamp: None,
};
const LOCAL_ONLY: Dating = Dating {
    correlation: None,
    // The activity ends at system time 1600, 23:30 on the athlete's wall clock.
    local_timestamp: Some(REAL + 15 * 3600 + 1800),
};
const UNDATED: Dating = Dating {
    correlation: None,
    local_timestamp: None,
};

#[test]
fn a_timestamp_correlation_turns_system_time_into_utc_and_its_local_time_into_the_date() {
    for decoder in [Decoder::Fast, Decoder::Fitparser] {
        let FileRead {
            verdict,
            sessions,
            note,
            ..
        } = read_activity("c.fit", &build(CORRELATED), None, decoder);
        assert_eq!(verdict, Verdict::Activity);
        let s = &sessions[0];
        // START (1000) is 100 s after system time 900, which is REAL - 100.
        assert_eq!(s.start_utc, recovery::ingest::fit::fit_time(REAL));
        // 08:00 UTC is 01:00 at UTC-7: the same day.
        assert_eq!(s.local_date.to_string(), "2026-03-02");
        assert_eq!(s.utc_offset_s, Some(-7 * 3600));
        assert_eq!(s.undated, None);
        assert_eq!(s.hr.split(120, 140), (0, 0, 600));
        let note = note.expect("one line for the user");
        assert!(note.contains("timestamp_correlation"), "{note}");
        assert!(note.contains("2026-03-02T08:00:00Z"), "{note}");
    }
}

#[test]
fn without_correlation_the_activity_local_timestamp_gives_the_local_date_only() {
    let FileRead { sessions, note, .. } =
        read_activity("l.fit", &build(LOCAL_ONLY), None, Decoder::Fast);
    let s = &sessions[0];
    // The session started 600 s before 23:30 local: 23:20, on 2026-03-02.
    assert_eq!(s.local_date.to_string(), "2026-03-02");
    assert_eq!(s.local_date_source, LocalDateSource::File);
    assert_eq!(s.utc_offset_s, None, "the UTC offset is unknown");
    assert_eq!(s.undated, None);
    assert!(note.expect("a note").contains("local_timestamp"));
    // With --tz the wall-clock time is placed in UTC: 23:20 in New York (EST) is 04:20Z.
    let tz = Some(chrono_tz::America::New_York);
    let sessions = read_activity("l.fit", &build(LOCAL_ONLY), tz, Decoder::Fast).sessions;
    assert_eq!(
        sessions[0].start_utc.to_rfc3339(),
        "2026-03-03T04:20:00+00:00"
    );
    assert_eq!(sessions[0].local_date.to_string(), "2026-03-02");
    assert_eq!(sessions[0].utc_offset_s, Some(-5 * 3600));
}

#[test]
fn with_nothing_to_date_it_a_session_is_undated() {
    for decoder in [Decoder::Fast, Decoder::Fitparser] {
        let FileRead {
            verdict,
            sessions,
            note,
            ..
        } = read_activity("u.fit", &build(UNDATED), None, decoder);
        assert_eq!(verdict, Verdict::Activity, "still an activity, read whole");
        let why = sessions[0].undated.as_deref().expect("undated");
        assert!(why.contains("clock not set"), "{why}");
        assert_eq!(sessions[0].hr_s(), 600, "its heart rate is still counted");
        assert!(note.expect("a note").contains("undated"));
    }
}

/// Writes the three files and a normally dated one into a folder.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, d) in [
        ("correlated.fit", CORRELATED),
        ("local_only.fit", LOCAL_ONLY),
        ("undated.fit", UNDATED),
    ] {
        std::fs::write(dir.path().join(name), build(d)).expect("write");
    }
    let sample = crate::common::sample().join("activities/2026-09-01_run_intervals.fit");
    std::fs::copy(sample, dir.path().join("dated.fit")).expect("copy");
    dir
}

#[test]
fn the_sessions_table_lists_undated_sessions_last_with_empty_time_cells_and_the_reason() {
    let dir = folder();
    let out = Command::cargo_bin("recovery")
        .expect("binary")
        .args(["sessions", "--format", "csv", "--quiet"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "system time is not damage");
    let table = dir.path().join("sessions.csv");
    std::fs::write(&table, &out.stdout).expect("write table");
    let rows = crate::common::csv_rows(&table);
    assert_eq!(rows.len(), 4);
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["file"].ends_with(name))
            .unwrap_or_else(|| panic!("{name} listed"))
    };
    let last = rows.last().expect("rows");
    assert!(last["file"].ends_with("undated.fit"), "undated last");
    let u = row("undated.fit");
    assert_eq!((&u["start_utc"][..], &u["local_date"][..]), ("", ""));
    assert_eq!(u["local_date_from"], "");
    assert!(
        u["reason"].starts_with("undated (device clock not set"),
        "{}",
        u["reason"]
    );
    assert_eq!(u["hr_s"], "600");
    let l = row("local_only.fit");
    assert_eq!(
        (&l["start_utc"][..], &l["local_date"][..]),
        ("", "2026-03-02")
    );
    assert_eq!(l["local_date_from"], "file");
    let c = row("correlated.fit");
    assert_eq!(c["start_utc"], "2026-03-02T08:00:00Z");
    // One line on stderr per system-time file, each naming the file and what happened.
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (name, what) in [
        ("correlated.fit", "timestamp_correlation"),
        ("local_only.fit", "local_timestamp"),
        ("undated.fit", "listed undated"),
    ] {
        let lines: Vec<_> = stderr.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name}: {stderr}");
        assert!(
            lines[0].starts_with("warning: ") && lines[0].contains(what),
            "{}",
            lines[0]
        );
    }
}

#[test]
fn undated_sessions_never_reach_the_days_and_no_day_falls_before_2000() {
    let dir = folder();
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = Command::cargo_bin("recovery")
        .expect("binary")
        .args(["analyze", "--quiet", "--out"])
        .arg(out_dir.path())
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let days = crate::common::csv_rows(&out_dir.path().join("days.csv"));
    let first = days.first().expect("days")["date"].clone();
    assert_eq!(
        first, "2026-03-02",
        "the first day is the first dated session's"
    );
    assert!(days.iter().all(|d| d["date"].as_str() >= "2000"));
    let sessions_on_days: usize = days
        .iter()
        .map(|d| d["sessions"].parse::<usize>().unwrap_or(0))
        .sum();
    assert_eq!(sessions_on_days, 3, "the undated session is on no day");
    let listed = crate::common::csv_rows(&out_dir.path().join("sessions.csv"));
    assert_eq!(listed.len(), 4, "but it is in sessions.csv");
}
