//! `recovery today` as an athlete uses it each morning: "now" fixed to a morning, no
//! `--date`, the journal holding rows up to that morning and the watch files up to the day
//! before. The answer is for that morning and uses that morning's row; an unlogged
//! morning, soreness that holds and a layoff never read as "hard ok".

use std::path::Path;

use chrono::{Duration, NaiveDate};
use serde_json::Value;

use crate::common::{bin, output, sample};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A folder with the sample athlete's FIT files dated before `before`, and a journal of
/// the sample's rows before `before` plus `extra` lines (`date,soreness,sleep,quality,resting_hr,hrv_ms,planned,notes`).
fn athlete(dir: &Path, before: NaiveDate, rows_until: NaiveDate, extra: &[String]) {
    let acts = dir.join("activities");
    std::fs::create_dir_all(&acts).unwrap();
    for e in std::fs::read_dir(sample().join("activities")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let day: NaiveDate = name[..10].parse().unwrap();
        if day < before {
            std::fs::copy(&p, acts.join(&name)).unwrap();
        }
    }
    let journal = std::fs::read_to_string(sample().join("journal.csv")).unwrap();
    let mut lines: Vec<String> = journal
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l[..10].parse::<NaiveDate>().unwrap() <= rows_until)
        .map(|(_, l)| l.to_string())
        .collect();
    lines.extend(extra.iter().cloned());
    std::fs::write(dir.join("journal.csv"), lines.join("\n") + "\n").unwrap();
}

/// `today --format json` at `now` on the athlete in `dir`.
fn answer(dir: &Path, now: &str) -> Value {
    crate::common::today_json(dir, &["--now", now])
}

fn texts(a: &Value) -> String {
    a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{}: {}", r["rule"], r["text"].as_str().unwrap()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn journal_rows() -> Vec<(NaiveDate, f64)> {
    std::fs::read_to_string(sample().join("journal.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',');
            (
                f.next().unwrap().parse().unwrap(),
                f.next().unwrap().parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn walking_the_sample_athlete_morning_by_morning_answers_each_morning_from_its_own_row() {
    let rows = journal_rows();
    let mut sore_mornings = 0;
    for (day, soreness) in rows.iter().skip(7) {
        let dir = tempfile::tempdir().unwrap();
        athlete(dir.path(), *day, *day, &[]);
        let a = answer(dir.path(), &format!("{day}T07:15"));
        assert_eq!(a["date"], day.to_string(), "answers for this morning");
        assert_eq!(a["data_until"], day.to_string(), "{day}");
        let missing = a["missing"].to_string();
        assert!(
            !missing.contains("no soreness logged"),
            "{day}: this morning's row is used: {missing}"
        );
        if *soreness >= 4.0 {
            sore_mornings += 1;
            assert_ne!(a["recommendation"], "hard_ok", "{day}: sore {soreness}");
            assert!(
                texts(&a).contains(&format!("soreness {soreness:.0}/10")),
                "{day}: {}",
                texts(&a)
            );
        }
    }
    assert!(sore_mornings >= 5, "the walk met sore mornings");
}

#[test]
fn no_row_this_morning_after_a_sore_yesterday_is_not_hard_ok_and_names_the_row_used() {
    let dir = tempfile::tempdir().unwrap();
    // The sample's rows to 11-05, then 11-06 very sore; nothing logged on 11-07.
    athlete(
        dir.path(),
        d("2026-11-07"),
        d("2026-11-05"),
        &["2026-11-06,7,5.5,2,55,,,".to_string()],
    );
    let a = answer(dir.path(), "2026-11-07T06:50");
    assert_eq!(a["date"], "2026-11-07");
    assert_ne!(a["recommendation"], "hard_ok", "{}", texts(&a));
    assert_eq!(
        a["recommendation"],
        "rest",
        "very sore yesterday: {}",
        texts(&a)
    );
    assert!(
        a["missing"]
            .to_string()
            .contains("7/10 from 2026-11-06 is used (the last logged within 48 h)"),
        "{}",
        a["missing"]
    );
}

#[test]
fn a_sore_row_three_days_old_still_keeps_hard_away_until_this_morning_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    athlete(
        dir.path(),
        d("2026-11-07"),
        d("2026-11-03"),
        &["2026-11-04,6,7.5,3,50,,,".to_string()],
    );
    let a = answer(dir.path(), "2026-11-07T07:00");
    assert_ne!(a["recommendation"], "hard_ok", "{}", texts(&a));
    assert!(texts(&a).contains("no soreness logged since 2026-11-04, when it was 6/10"));
}

#[test]
fn soreness_six_every_morning_for_three_weeks_without_training_stays_at_rest_and_names_a_professional(
) {
    let dir = tempfile::tempdir().unwrap();
    let extra: Vec<String> = (1..=21)
        .map(|k| format!("{},6,8.0,3,48,,,", d("2026-11-08") + Duration::days(k)))
        .collect();
    athlete(dir.path(), d("2026-11-09"), d("2026-11-08"), &extra);
    for (now, day) in [("2026-11-12T07:00", 4), ("2026-11-29T07:00", 21)] {
        let a = answer(dir.path(), now);
        assert_eq!(a["recommendation"], "rest", "day {day}: {}", texts(&a));
        assert_eq!(a["reasons"][0]["rule"], "soreness_past_72h", "day {day}");
    }
    let a = answer(dir.path(), "2026-11-29T07:00");
    assert!(
        texts(&a).contains("time to see a professional"),
        "{}",
        texts(&a)
    );

    // The audit says the same: a finding when it shows, and again when it reaches a week.
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = output(
        bin()
            .arg("audit")
            .arg(dir.path())
            .args(["-q", "--tz", "Europe/Berlin", "--out"])
            .arg(out.path()),
    );
    assert_eq!(code, 0, "{err}");
    let audit = std::fs::read_to_string(out.path().join("audit.csv")).unwrap();
    let held: Vec<&str> = audit
        .lines()
        .filter(|l| l.contains("soreness_past_72h") && l > &"2026-11-09")
        .collect();
    assert!(
        held.iter()
            .any(|l| l.contains("time to see a professional")),
        "{audit}"
    );
}

#[test]
fn after_three_weeks_without_a_session_today_caps_the_session_and_names_the_gap() {
    let dir = tempfile::tempdir().unwrap();
    let extra: Vec<String> = (1..=22)
        .map(|k| format!("{},1,8.0,3,48,,,", d("2026-11-08") + Duration::days(k)))
        .collect();
    athlete(dir.path(), d("2026-11-09"), d("2026-11-08"), &extra);
    let a = answer(dir.path(), "2026-11-30T07:00");
    assert_eq!(a["recommendation"], "easy", "{}", texts(&a));
    let cap = a["max_minutes"].as_f64().expect("a cap");
    assert!(cap > 30.0 && cap < 400.0, "{cap}");
    let layoff = a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "layoff_return")
        .expect("the layoff is a reason");
    assert!(
        layoff["text"]
            .as_str()
            .unwrap()
            .starts_with("coming back from 21 days with no training (2026-11-09 – 2026-11-29)"),
        "{layoff}"
    );
}
