//! `recovery today` on the sample athlete's planted days, and its JSON against the
//! schema committed beside this test (`tests/today.schema.json`).

use crate::common::{sample, validate};

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn today(date: Option<&str>, json: bool) -> (i32, String) {
    let mut c = Command::cargo_bin("recovery").expect("binary builds");
    c.arg("today").arg(sample()).arg("-q");
    if let Some(d) = date {
        c.args(["--date", d]);
    }
    if json {
        c.args(["--format", "json"]);
    }
    let o = c.output().expect("runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

fn answer(date: &str) -> Value {
    let (code, out) = today(Some(date), true);
    assert_eq!(code, 0, "{out}");
    serde_json::from_str(&out).expect("today prints JSON")
}

fn schema() -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/today.schema.json");
    serde_json::from_str(&std::fs::read_to_string(p).expect("schema file")).expect("schema is JSON")
}

fn rules(a: &Value) -> Vec<String> {
    a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_day_after_a_hard_session_is_active_recovery() {
    let a = answer("2026-09-02");
    assert_eq!(a["recommendation"], "active_recovery");
    assert_eq!(a["max_minutes"], 45.0);
    let texts: Vec<&str> = a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("hard session yesterday (2026-09-01, 27 min above 140 bpm)")),
        "{texts:?}"
    );
    // The most cautious reasons come first.
    let first = a["reasons"][0]["text"].as_str().unwrap();
    assert!(first.contains("active recovery"), "{first}");
}

#[test]
fn a_very_sore_day_is_rest_and_names_the_professional() {
    let a = answer("2026-10-13");
    assert_eq!(a["recommendation"], "rest");
    assert_eq!(rules(&a)[0], "hard_while_sore");
    assert!(a["reasons"][0]["text"]
        .as_str()
        .unwrap()
        .contains("see a professional"));
}

#[test]
fn a_sunday_after_six_days_of_sessions_ending_in_a_hard_saturday_is_rest() {
    // 2026-10-05 – 10-10 had a session every day, the Saturday hard: "active recovery
    // within 24 h" and "rest today" both hold, and the most cautious answer wins.
    let a = answer("2026-10-11");
    assert_eq!(a["recommendation"], "rest");
    assert_eq!(a["max_minutes"], 0.0);
    let r = rules(&a);
    assert_eq!(r[0], "no_rest_day", "{r:?}");
    assert!(r.contains(&"no_recovery_after_hard".to_string()), "{r:?}");
}

#[test]
fn a_day_planned_easy_two_days_after_a_hard_session_is_easy_though_hard_would_fit() {
    let a = answer("2026-09-10");
    assert_eq!(a["recommendation"], "easy");
    assert_eq!(rules(&a), vec!["easy_day_not_easy", "back_to_back_hard"]);
    assert!(a["reasons"][1]["text"]
        .as_str()
        .unwrap()
        .ends_with("a hard session fits"));
    // The day has soreness and sleep: only the baselines still too short this early (10 of
    // 14 HRV readings, under 30 resting-HR mornings) and the profile's defaults (estimated
    // HRmax, the default sex weighting) are named as missing.
    let missing: Vec<&str> = a["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(missing.len(), 4, "{missing:?}");
    assert!(
        missing[0].starts_with("HRV (rMSSD): 10 readings in the 60 days to 2026-09-10 (14 needed")
    );
    assert!(missing[1].starts_with("resting heart rate: fewer than 30 readings"));
    assert!(missing[2].starts_with("no HRmax set: 179 bpm is estimated"));
}

/// `today` on the sample with "now" fixed: (exit code, stdout).
fn today_at(now: &str, extra: &[&str]) -> (i32, String) {
    let (code, out, _) = crate::common::output(
        crate::common::bin()
            .arg("today")
            .arg(sample())
            .arg("-q")
            .args(["--now", now])
            .args(extra),
    );
    (code, out)
}

#[test]
fn the_default_date_is_this_morning_and_an_unlogged_morning_uses_yesterdays_row_and_says_so() {
    let (code, out) = today_at("2026-11-09T07:30", &[]);
    assert_eq!(code, 0);
    assert!(out.starts_with("For 2026-11-09 (Monday): "), "{out}");
    assert!(
        out.contains("data: up to 2026-11-08, 1 day before 2026-11-09"),
        "{out}"
    );
    assert!(
        out.contains("missing: no soreness logged for 2026-11-09: 5/10 from 2026-11-08 is used"),
        "{out}"
    );
}

#[test]
fn without_now_or_date_the_answer_is_for_the_clocks_local_date_and_says_how_old_the_data_is() {
    let (code, out, _) = crate::common::output(
        crate::common::bin()
            .arg("today")
            .arg(sample())
            .args(["-q", "--tz", "UTC"]),
    );
    assert_eq!(code, 0);
    let now = chrono::Utc::now().date_naive();
    assert!(
        out.starts_with(&format!("For {now} (")),
        "answers for the clock's date {now}: {out}"
    );
    let gap = (now - chrono::NaiveDate::from_ymd_opt(2026, 11, 8).unwrap()).num_days();
    assert!(
        out.contains(&format!("data: up to 2026-11-08, {gap} days before {now}")),
        "{out}"
    );
    assert!(out.contains("warning: no data for"), "{out}");
}

#[test]
fn an_rfc3339_now_is_dated_in_the_athletes_zone() {
    // 23:30 UTC on the 8th is already the 9th in Berlin.
    let (_, out) = today_at("2026-11-08T23:30:00Z", &["--tz", "Europe/Berlin"]);
    assert!(out.starts_with("For 2026-11-09 (Monday): "), "{out}");
    let (_, out) = today_at("2026-11-08T23:30:00Z", &["--tz", "UTC"]);
    assert!(out.starts_with("For 2026-11-08 (Sunday): "), "{out}");
}

#[test]
fn a_bad_now_is_a_usage_error_naming_the_flag() {
    let (code, _, err) = crate::common::output(
        crate::common::bin()
            .arg("today")
            .arg(sample())
            .args(["-q", "--now", "tomorrow"]),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--now \"tomorrow\""), "{err}");
}

#[test]
fn every_answer_validates_against_the_schema() {
    let s = schema();
    for date in [
        "2026-09-02",
        "2026-10-11",
        "2026-10-13",
        "2026-09-10",
        "2026-11-09",
    ] {
        let a = answer(date);
        let errs = validate(&s, &a, "$");
        assert!(errs.is_empty(), "{date}: {errs:?}");
    }
    // The validator does catch a wrong answer.
    let mut bad = answer("2026-09-02");
    bad["recommendation"] = Value::String("sprint".into());
    assert!(!validate(&s, &bad, "$").is_empty());
}

#[test]
fn analyze_puts_the_same_answer_under_what_next() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::cargo_bin("recovery")
        .unwrap()
        .arg("analyze")
        .arg(sample())
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    // `analyze` answers for the day after the data: `today` agrees on that morning.
    let (_, text) = today_at("2026-11-09T07:00", &[]);
    let first = text.lines().next().unwrap();
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.contains("## What next"), "summary has What next");
    assert!(
        summary.contains(first),
        "summary and `today` agree: {first}"
    );
}
