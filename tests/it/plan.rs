//! `recovery plan`: walks the sample athlete day by day, plans 14 days from each, and
//! checks every constraint of the plan on every plan; day one is always `today`'s answer.
//! Then the binary: usage errors, JSON against `tests/plan.schema.json`, stale data.

use crate::common::{sample, validate};
use assert_cmd::Command;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use recovery::config::{self, Overrides, Settings};
use recovery::ingest;
use recovery::journal::{read_journal_file, JournalOptions};
use recovery::load::week_start;
use recovery::pipeline::{self, Outcome};
use recovery::rules::{self, plan::plan, Advice};
use serde_json::Value;

fn sample_outcome() -> (Outcome, Settings) {
    let s = config::settings(&Overrides::default()).expect("default settings");
    let report = ingest::ingest(
        &[sample().join("activities")],
        &config::ingest_options(None, 512, false).expect("default ingest options"),
    );
    let journal = read_journal_file(
        &sample().join("journal.csv"),
        &JournalOptions {
            require_sleep: true,
        },
    )
    .expect("sample journal");
    (
        pipeline::analyse(report.sessions, Some(&journal), None, &s),
        s,
    )
}

#[test]
fn every_plan_from_every_day_of_the_sample_athlete_keeps_the_rules() {
    let (o, s) = sample_outcome();
    let ctx = o.ctx(&s);
    let curve = o.curve();
    let first = o.days.first().unwrap().date;
    let last = o.days.last().unwrap().date;
    let mut from = first + Duration::days(1);
    let mut hard_planned = 0;
    while from <= last + Duration::days(1) {
        let p = plan(&ctx, from, 14, Some(&curve));
        assert_eq!(p.days.len(), 14);
        // Day one is exactly today's answer.
        let t = rules::today(&ctx, from);
        assert_eq!(p.days[0].recommendation, t.recommendation, "{from}");
        assert_eq!(p.days[0].max_minutes, t.max_minutes, "{from}");
        assert_eq!(p.days[0].reasons, t.reasons, "{from}");

        // Real days before the plan, then the plan: (date, hard, rest).
        let mut seq: Vec<(NaiveDate, bool, bool, f64)> = o
            .days
            .iter()
            // Days before the first activity are not recorded: no week they touch is full.
            .filter(|d| d.date < from && d.recorded)
            .map(|d| (d.date, d.is_hard(), d.is_rest(), d.timer_h))
            .collect();
        seq.extend(p.days.iter().map(|d| {
            (
                d.date,
                d.recommendation == Advice::HardOk,
                d.recommendation == Advice::Rest,
                d.minutes / 60.0,
            )
        }));
        let at = |date: NaiveDate| seq.iter().find(|x| x.0 == date);
        for d in &p.days {
            let hard = d.recommendation == Advice::HardOk;
            let yesterday = at(d.date - Duration::days(1));
            if hard {
                hard_planned += 1;
                // Never two hard days in a row; 48 h from the previous hard day.
                assert!(
                    !yesterday.is_some_and(|y| y.1),
                    "{from}: hard after hard on {}",
                    d.date
                );
                // Planned only when the projected soreness is under the sore level.
                assert!(
                    d.soreness.is_none_or(|x| x < s.rules.sore),
                    "{from}: hard on {} at soreness {:?}",
                    d.date,
                    d.soreness
                );
                assert_eq!(d.hr_ceiling, None);
            } else if d.recommendation != Advice::Rest {
                assert_eq!(d.hr_ceiling, Some(s.band.high));
            }
            // The day after a hard day is rest or active recovery.
            if yesterday.is_some_and(|y| y.1) {
                assert!(
                    matches!(d.recommendation, Advice::Rest | Advice::ActiveRecovery),
                    "{from}: {} after a hard day is {:?}",
                    d.date,
                    d.recommendation
                );
            }
            assert!(d.minutes <= d.max_minutes.unwrap_or(f64::MAX) + 1e-9);
            assert!(!d.reasons.is_empty(), "{from}: {} has no reason", d.date);
        }
        // Every Monday–Sunday week the plan completes has a rest day and at most the
        // habit's hard days.
        let habit: usize = p.assumptions[0]
            .split_whitespace()
            .nth(2)
            .and_then(|n| n.parse().ok())
            .expect("habit in the first assumption");
        let mut monday = week_start(from);
        while monday + Duration::days(6) <= p.days.last().unwrap().date {
            let week: Vec<_> = (0..7)
                .filter_map(|k| at(monday + Duration::days(k)))
                .collect();
            if week.len() == 7 {
                assert!(
                    week.iter().any(|x| x.2),
                    "{from}: the week of {monday} has no rest day"
                );
                // Day one is today's answer, which knows no habit: count it as real.
                let planned_hard = p.days[1..]
                    .iter()
                    .filter(|d| d.recommendation == Advice::HardOk && week_start(d.date) == monday)
                    .count();
                let real_hard = week.iter().filter(|x| x.1 && x.0 <= from).count();
                assert!(
                    planned_hard == 0 || real_hard + planned_hard <= habit,
                    "{from}: the week of {monday} plans {planned_hard} hard days on top of {real_hard}, habit {habit}"
                );
            }
            monday += Duration::days(7);
        }
        // Planned weekly hours stay within the ramp limit of the rule book.
        for d in &p.days {
            if d.date.weekday() != Weekday::Sun {
                continue;
            }
            let monday = week_start(d.date);
            let week_h: f64 = (0..7)
                .filter_map(|k| at(monday + Duration::days(k)))
                .map(|x| x.3)
                .sum();
            // The baseline as the rule book defines it, over the real-then-planned days.
            let full_week_h = |start: NaiveDate| -> Option<f64> {
                let w: Vec<_> = (0..7)
                    .filter_map(|k| at(start + Duration::days(k)))
                    .collect();
                (w.len() == 7).then(|| w.iter().map(|x| x.3).sum())
            };
            let prev: Vec<f64> = (1..=s.rules.volume_baseline_weeks as i64)
                .map_while(|k| full_week_h(monday - Duration::days(7 * k)))
                .collect();
            let base = prev
                .first()
                .map(|&last| last.max(prev.iter().sum::<f64>() / prev.len() as f64))
                .filter(|&b| b >= s.rules.volume_min_h);
            if let Some(base) = base {
                assert!(
                    week_h <= base * (1.0 + s.rules.volume_jump) + 1e-6,
                    "{from}: the week of {monday} plans {week_h:.2} h over the limit of {base:.2} h + 10 %"
                );
            }
        }
        from += Duration::days(1);
    }
    assert!(
        hard_planned > 20,
        "the walk planned hard days ({hard_planned})"
    );
}

fn run(args: &[&str]) -> (i32, String, String) {
    crate::common::output(
        crate::common::bin()
            .arg("plan")
            .arg(sample())
            .arg("-q")
            .args(args),
    )
}

#[test]
fn a_bad_date_or_zero_days_is_a_usage_error() {
    for args in [
        &["--days", "0"][..],
        &["--days", "29"][..],
        &["--from", "2026-13-01"][..],
        &["--from", "next week"][..],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("error"), "{err}");
    }
}

#[test]
fn the_json_plan_validates_against_its_schema_and_names_the_curve() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plan.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    for from in ["2026-09-02", "2026-10-13", "2026-11-09"] {
        let (code, out, err) = run(&["--from", from, "--days", "10", "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let errs = validate(&schema, &v, "$");
        assert!(errs.is_empty(), "{from}: {errs:?}");
        assert_eq!(v["days"].as_array().unwrap().len(), 10);
        assert!(
            v["curve"].as_str().unwrap().contains("(16 hard days)"),
            "{}",
            v["curve"]
        );
    }
    let mut bad: Value = serde_json::from_str(&run(&["--format", "json"]).1).unwrap();
    bad["days"][0]["recommendation"] = Value::String("sprint".into());
    assert!(!validate(&schema, &bad, "$").is_empty());
}

#[test]
fn a_plan_months_after_the_data_warns_that_it_rests_on_defaults() {
    let (code, out, err) = run(&["--from", "2027-05-03"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: no data for 175 days"), "{err}");
    assert!(
        out.starts_with("Plan for 7 days from 2027-05-03 (Monday)"),
        "{out}"
    );
}

#[test]
fn the_default_plan_starts_this_morning_with_todays_answer() {
    let (code, out, _) = run(&["--now", "2026-11-09T07:00"]);
    assert_eq!(code, 0);
    let t = Command::cargo_bin("recovery")
        .unwrap()
        .args(["today", "-q", "--now", "2026-11-09T07:00"])
        .arg(sample())
        .output()
        .unwrap();
    let today = String::from_utf8_lossy(&t.stdout);
    let word = today
        .split(": ")
        .nth(1)
        .unwrap()
        .split(" — ")
        .next()
        .unwrap();
    let day_one = out.lines().nth(1).unwrap();
    assert!(day_one.starts_with("Mon 2026-11-09  "), "{out}");
    assert!(day_one.contains(word), "{day_one} vs {word}");
}
