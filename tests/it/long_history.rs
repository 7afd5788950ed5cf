//! Ten years of a sensible athlete: the reports stay bounded and readable.
//!
//! The history is written at test time with the crate's FIT writer: Tuesday and Saturday
//! hard, Wednesday active recovery, Thursday and Sunday easy, Monday and Friday rest, a
//! lighter week in four, and the occasional slip (an easy day run too hard, a hard
//! Wednesday, a Monday that is no rest day), plus a journal of soreness, sleep and resting HR.
//! Heart rate is recorded every 10 s, which keeps the files small and the run quick.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use chrono::{Datelike, NaiveDate, Weekday};
use samplegen::fitwrite::{profile as fp, Activity, Event, FileId, FitWriter, Record, Session};
use samplegen::SplitMix64;

const YEARS: i32 = 10;

/// Minutes at a heart rate, in order.
type Plan = Vec<(u32, f64)>;

fn hard(long: bool) -> Plan {
    if long {
        vec![(20, 125.0), (50, 152.0), (20, 122.0)]
    } else {
        vec![(15, 124.0), (30, 158.0), (15, 120.0)]
    }
}

fn easy(minutes: u32) -> Plan {
    vec![(minutes, 114.0)]
}

fn recovery_ride() -> Plan {
    vec![(30, 130.0)]
}

fn slipped_easy(minutes: u32) -> Plan {
    vec![(minutes / 2, 114.0), (minutes / 2, 150.0)]
}

/// One activity file: records every 10 s with a little noise.
fn fit_file(date: NaiveDate, plan: &Plan, scale: f64, rng: &mut SplitMix64) -> Vec<u8> {
    let start_unix = date
        .and_hms_opt(7, 0, 0)
        .expect("valid time")
        .and_utc()
        .timestamp();
    let start = (start_unix - samplegen::fitwrite::FIT_EPOCH_UNIX) as u32;
    let mut w = FitWriter::new();
    w.file_id(&FileId {
        file_type: fp::FILE_ACTIVITY,
        manufacturer: fp::MANUFACTURER_GARMIN,
        product: 3_113,
        serial_number: 3_900_000_001,
        time_created: start,
    })
    .expect("file_id");
    w.event(&Event::timer_start(start, fp::TIMER_TRIGGER_MANUAL))
        .expect("event");
    let mut t = start;
    let mut distance = 0.0;
    let (mut sum, mut n, mut max) = (0.0, 0u32, 0u8);
    for &(minutes, bpm) in plan {
        let steps = ((f64::from(minutes) * scale).round() as u32).max(1) * 6;
        for _ in 0..steps {
            let hr = (bpm + rng.int(0, 6) as f64 - 3.0).round() as u8;
            distance += 28.0;
            w.record(&Record {
                timestamp: t,
                heart_rate: Some(hr),
                distance_m: Some(distance),
                speed_mps: None,
                cadence: None,
            })
            .expect("record");
            sum += f64::from(hr);
            n += 1;
            max = max.max(hr);
            t += 10;
        }
    }
    let end = t - 10;
    let secs = f64::from(end - start);
    w.event(&Event::timer_stop_all(end, fp::TIMER_TRIGGER_MANUAL))
        .expect("event");
    w.session(&Session {
        timestamp: end,
        message_index: 0,
        start_time: start,
        sport: fp::SPORT_RUNNING,
        sub_sport: fp::SUB_SPORT_GENERIC,
        total_elapsed_time_s: secs,
        total_timer_time_s: secs,
        total_distance_m: distance,
        avg_speed_mps: distance / secs.max(1.0),
        max_speed_mps: 3.2,
        avg_heart_rate: Some((sum / f64::from(n.max(1))).round() as u8),
        max_heart_rate: Some(max),
        first_lap_index: 0,
        num_laps: 0,
        trigger: 0,
    })
    .expect("session");
    w.activity(&Activity {
        timestamp: end,
        total_timer_time_s: secs,
        num_sessions: 1,
        activity_type: 0,
        local_timestamp: end,
    })
    .expect("activity");
    w.finish()
}

/// Writes the ten-year history once per test binary; returns its folder.
fn history() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("history");
        std::fs::create_dir_all(&data).expect("mkdir");
        let mut rng = SplitMix64::new(2016);
        let first = NaiveDate::from_ymd_opt(2016, 1, 4).expect("a Monday");
        let last = NaiveDate::from_ymd_opt(2016 + YEARS, 1, 3).expect("a Sunday");
        let mut journal = String::from("date,soreness,sleep_hours,resting_hr\n");
        let mut date = first;
        let mut hard_yesterday = false;
        while date <= last {
            let week = (date - first).num_days() / 7;
            // A lighter week in four.
            let scale = if week % 4 == 3 { 0.7 } else { 1.0 };
            let slip = rng.int(0, 99);
            let plan = match date.weekday() {
                Weekday::Tue => Some(hard(false)),
                Weekday::Sat => Some(hard(true)),
                Weekday::Wed if slip < 3 => Some(hard(false)),
                Weekday::Wed => Some(recovery_ride()),
                Weekday::Thu | Weekday::Sun if slip < 4 => Some(slipped_easy(50)),
                Weekday::Thu => Some(easy(50)),
                Weekday::Sun => Some(easy(70)),
                Weekday::Mon if slip < 2 => Some(easy(40)),
                _ => None,
            };
            let is_hard = plan
                .as_ref()
                .is_some_and(|p| p.iter().any(|&(m, bpm)| bpm > 145.0 && m >= 25));
            if let Some(plan) = &plan {
                let bytes = fit_file(date, plan, scale, &mut rng);
                std::fs::write(data.join(format!("{date}.fit")), bytes).expect("write fit");
            }
            let soreness = if hard_yesterday { 4 } else { 2 } + rng.int(0, 2);
            let sleep = 7.0 + rng.int(0, 10) as f64 / 10.0;
            let rhr = 48 + rng.int(0, 4) + u32::from(hard_yesterday);
            journal.push_str(&format!("{date},{soreness},{sleep:.1},{rhr}\n"));
            hard_yesterday = is_hard;
            date = date.succ_opt().expect("next day");
        }
        std::fs::write(data.join("journal.csv"), journal).expect("write journal");
        (dir, data)
    })
    .1
}

struct Run {
    out: tempfile::TempDir,
    stdout: String,
}

fn analyze(extra: &[&str]) -> Run {
    let out = tempfile::tempdir().expect("temp dir");
    let assert = Command::cargo_bin("recovery")
        .expect("binary")
        .arg("analyze")
        .arg(history())
        .arg("--out")
        .arg(out.path())
        .arg("--quiet")
        .args(extra)
        .assert()
        .success();
    Run {
        out,
        stdout: String::from_utf8_lossy(&assert.get_output().stdout).into_owned(),
    }
}

fn default_run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| analyze(&[]))
}

fn pngs(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn ten_years_draw_a_bounded_number_of_charts() {
    let run = default_run();
    let rows = crate::common::csv_rows(&run.out.path().join("audit.csv"));
    let flagged: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter_map(|r| r.get("session").map(String::as_str))
        .filter(|s| !s.is_empty())
        .collect();
    assert!(
        flagged.len() > 24,
        "the history should flag more sessions than are drawn: {}",
        flagged.len()
    );
    assert_eq!(
        pngs(run.out.path()),
        8,
        "six whole-period charts, readiness and the week ahead"
    );
    let sessions = pngs(&run.out.path().join("sessions"));
    assert!(
        (1..=24).contains(&sessions),
        "at most 24 session charts, got {sessions}"
    );
}

#[test]
fn ten_years_keep_the_summary_small_and_say_what_was_left_out() {
    let run = default_run();
    let md = std::fs::read_to_string(run.out.path().join("summary.md")).expect("summary");
    assert!(md.len() < 50_000, "summary.md is {} bytes", md.len());
    let html = std::fs::read_to_string(run.out.path().join("index.html")).expect("html");
    assert!(html.len() < 60_000, "index.html is {} bytes", html.len());
    assert!(md.contains("### By rule and month"), "{md}");
    assert!(md.contains("### The last 8 weeks"), "{md}");
    assert!(md.contains("are not drawn: draw them with `--session-charts all`"));
    // Older findings are grouped by year, the last 12 months' by month.
    let group = |l: &str| {
        l.strip_prefix("- ")
            .and_then(|r| r.split_once(": "))
            .map(|g| g.0.to_string())
    };
    let groups: Vec<String> = md.lines().filter_map(group).collect();
    assert!(
        groups.iter().any(|g| g.len() == 4 && g.as_str() < "2025"),
        "{groups:?}"
    );
    assert!(
        groups
            .iter()
            .any(|g| g.len() == 7 && g.starts_with("2025-")),
        "{groups:?}"
    );
    assert!(
        groups
            .iter()
            .all(|g| g.len() == 4 || g.as_str() >= "2025-01"),
        "{groups:?}"
    );
}

#[test]
fn ten_years_end_with_one_short_line_about_the_files() {
    let run = default_run();
    let last = run.stdout.lines().last().expect("output");
    assert!(last.starts_with("wrote "), "{last}");
    assert!(
        last.ends_with("(summary.md, index.html, 5 tables, 8 charts, 24 session charts)"),
        "{last}"
    );
    assert!(last.len() < 160, "{} characters: {last}", last.len());
}

#[test]
fn the_trend_over_ten_years_is_a_full_readable_image_of_monthly_bars() {
    let run = default_run();
    let path = run.out.path().join("recovery_trend.png");
    let bytes = std::fs::metadata(&path).expect("trend chart").len();
    assert!(
        (20_000..1_500_000).contains(&bytes),
        "recovery_trend.png is {bytes} bytes"
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&path).expect("open"),
    ));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png data");
    assert_eq!((info.width, info.height), (1600, 900));
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(3).collect();
    let inked = pixels.iter().filter(|p| p != &&[255u8, 255, 255]).count();
    let share = inked as f64 / pixels.len() as f64;
    // Drawn, but not a wall: the bars leave white between them.
    assert!(
        (0.08..0.6).contains(&share),
        "{:.0} % of the pixels are ink",
        share * 100.0
    );
    let hard = pixels
        .iter()
        .filter(|p| p == &&[0xD5u8, 0x5E, 0x00])
        .count();
    let easy = pixels
        .iter()
        .filter(|p| p == &&[0x00u8, 0x9E, 0x73])
        .count();
    assert!(hard > 5_000 && easy > 5_000, "hard {hard}, easy {easy}");
}

#[test]
fn session_charts_follow_the_flag() {
    let run = analyze(&["--session-charts", "none"]);
    assert_eq!(pngs(&run.out.path().join("sessions")), 0);
    let md = std::fs::read_to_string(run.out.path().join("summary.md")).expect("summary");
    assert!(md.contains("0 of "), "{md}");
}

#[test]
fn a_bad_session_charts_value_is_refused_naming_the_flag_before_any_work() {
    let out = tempfile::tempdir().expect("temp dir");
    let assert = Command::cargo_bin("recovery")
        .expect("binary")
        .arg("analyze")
        .arg(crate::common::sample())
        .arg("--out")
        .arg(out.path().join("reports"))
        .args(["--session-charts", "lots", "--quiet"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("--session-charts \"lots\""), "{err}");
    assert!(!out.path().join("reports").exists());
}

#[test]
fn the_sample_athlete_keeps_its_flagged_session_charts_and_says_none_were_left_out() {
    let out = tempfile::tempdir().expect("temp dir");
    let assert = Command::cargo_bin("recovery")
        .expect("binary")
        .arg("analyze")
        .arg(crate::common::sample())
        .arg("--out")
        .arg(out.path())
        .args(["--quiet", "--decoder", "fitparser"])
        .assert();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let last = stdout.lines().last().expect("output");
    assert!(last.ends_with("session charts)"), "{last}");
    let md = std::fs::read_to_string(out.path().join("summary.md")).expect("summary");
    assert!(
        !md.contains("are not drawn"),
        "all flagged sessions fit in 24"
    );
    assert!(
        md.contains("Not drawn: the whole period is under 12 weeks"),
        "{md}"
    );
}
