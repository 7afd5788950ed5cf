//! The class of a day from its summed minutes above the band, and a multisport transition
//! that is part of the race day: `recovery analyze` on hand-built FIT files.

use std::path::Path;

use crate::common::csv_rows;
use assert_cmd::Command;
use samplegen::fitwrite::{profile, Activity, FileId, FitWriter, Record, Session};

/// One CSV row by column name.
type Row = std::collections::BTreeMap<String, String>;

/// 2026-03-02T08:00:00Z in FIT seconds.
const T0: u32 = 1_141_372_800;
/// FIT's sport number for a multisport transition.
const SPORT_TRANSITION: u8 = 3;

/// A FIT file starting `start` s after T0 with one session per `(sport, seconds)` leg, back
/// to back, recorded every second at the heart rate `hr(t)` of its offset `t`.
fn fit(start: u32, legs: &[(u8, u32)], hr: impl Fn(u32) -> u8) -> Vec<u8> {
    let t0 = T0 + start;
    let total: u32 = legs.iter().map(|l| l.1).sum();
    let mut w = FitWriter::new();
    w.file_id(&FileId {
        file_type: profile::FILE_ACTIVITY,
        manufacturer: profile::MANUFACTURER_GARMIN,
        product: 3990,
        serial_number: start,
        time_created: t0,
    })
    .unwrap();
    for t in 0..=total {
        w.record(&Record::hr(t0 + t, Some(hr(t)))).unwrap();
    }
    let mut at = 0;
    for (i, &(sport, secs)) in legs.iter().enumerate() {
        w.session(&Session::plain(
            i as u16,
            t0 + at,
            sport,
            f64::from(secs),
            f64::from(secs),
        ))
        .unwrap();
        at += secs;
    }
    w.activity(&Activity {
        timestamp: t0 + total,
        total_timer_time_s: f64::from(total),
        num_sessions: legs.len() as u16,
        activity_type: profile::ACTIVITY_MANUAL,
        local_timestamp: t0 + total + 3600,
    })
    .unwrap();
    w.finish()
}

fn analyze(dir: &Path) -> (Vec<Row>, Vec<Row>) {
    let out = dir.join("out");
    let o = Command::cargo_bin("recovery")
        .expect("binary builds")
        .arg("analyze")
        .arg(dir.join("in"))
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .output()
        .expect("runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (
        csv_rows(&out.join("sessions.csv")),
        csv_rows(&out.join("days.csv")),
    )
}

#[test]
fn two_fifteen_minute_efforts_on_one_day_make_a_hard_day() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    // Morning and evening: 90 min each, 15 of them at 150 bpm, the rest at 130. Alone each
    // is easy (15 min and 17 % above 140); together the day has 30 min above.
    let hr = |t: u32| if (1800..2700).contains(&t) { 150 } else { 130 };
    for (name, start) in [("am.fit", 0), ("pm.fit", 9 * 3600)] {
        let bytes = fit(start, &[(profile::SPORT_RUNNING, 5400)], hr);
        std::fs::write(dir.path().join("in").join(name), bytes).unwrap();
    }
    let (sessions, days) = analyze(dir.path());
    assert_eq!(sessions.len(), 2);
    for s in &sessions {
        assert_eq!(s["class"], "easy", "{}", s["reason"]);
    }
    assert_eq!(days.len(), 1);
    assert_eq!(days[0]["class"], "hard");
    assert_eq!(days[0]["above_min"].parse::<f64>().unwrap(), 30.0);
}

#[test]
fn a_multisport_transition_is_no_hard_session_but_its_load_counts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    // An easy 40-min run, a 69-s transition flat out at 165, an easy 40-min ride.
    let hr = |t: u32| if (2400..2469).contains(&t) { 165 } else { 128 };
    let legs = [
        (profile::SPORT_RUNNING, 2400),
        (SPORT_TRANSITION, 69),
        (profile::SPORT_CYCLING, 2400),
    ];
    std::fs::write(dir.path().join("in/race.fit"), fit(0, &legs, hr)).unwrap();
    let (sessions, days) = analyze(dir.path());
    assert_eq!(sessions.len(), 3);
    let t = &sessions[1];
    assert_eq!(t["sport"], "transition");
    assert_eq!(t["class"], "unknown");
    assert_eq!(
        t["reason"],
        "unknown: multisport transition: part of the race day"
    );
    assert!(sessions.iter().all(|s| s["class"] != "hard"));
    // Each session's TRIMP is rounded to 0.1 in sessions.csv.
    let trimp: f64 = sessions
        .iter()
        .map(|s| s["trimp"].parse::<f64>().unwrap())
        .sum();
    assert!(t["trimp"].parse::<f64>().unwrap() > 0.0);
    let load: f64 = days[0]["load"].parse().unwrap();
    assert!(
        (load - trimp).abs() < 0.2,
        "day load {load} vs sessions {trimp}"
    );
    // The two 40-min legs are active recovery, and the day's 1.2 min above is no hard day.
    assert_eq!(
        days[0]["class"], "active_recovery",
        "the race day's class is its legs'"
    );
}
