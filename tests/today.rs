//! `recovery today` on the sample athlete's planted days, and its JSON against the
//! schema committed beside this test (`tests/today.schema.json`).

mod common;

use common::sample;

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

/// Validates `v` against the subset of JSON Schema the schema file uses: type, enum,
/// pattern (anchored digits only), required, properties, additionalProperties,
/// items, minItems, minimum, maximum.
fn validate(schema: &Value, v: &Value, at: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let type_ok = |t: &str| match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "null" => v.is_null(),
        _ => false,
    };
    match &schema["type"] {
        Value::String(t) if !type_ok(t) => errs.push(format!("{at}: not a {t}")),
        Value::Array(ts) if !ts.iter().any(|t| type_ok(t.as_str().unwrap_or(""))) => {
            errs.push(format!("{at}: not any of {ts:?}"))
        }
        _ => {}
    }
    if let Some(e) = schema["enum"].as_array() {
        if !e.contains(v) {
            errs.push(format!("{at}: {v} not in {e:?}"));
        }
    }
    if let (Some(p), Some(s)) = (schema["pattern"].as_str(), v.as_str()) {
        let shape: String = s
            .chars()
            .map(|c| if c.is_ascii_digit() { '9' } else { c })
            .collect();
        let ok = match p {
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" => shape == "9999-99-99",
            "^[0-9]+-[0-9]+$" => {
                let parts: Vec<&str> = shape.split('-').collect();
                parts.len() == 2
                    && parts
                        .iter()
                        .all(|x| !x.is_empty() && x.chars().all(|c| c == '9'))
            }
            other => panic!("validator does not know pattern {other}"),
        };
        if !ok {
            errs.push(format!("{at}: {s:?} does not match {p}"));
        }
    }
    if let Some(n) = v.as_f64() {
        if schema["minimum"].as_f64().is_some_and(|m| n < m)
            || schema["maximum"].as_f64().is_some_and(|m| n > m)
        {
            errs.push(format!("{at}: {n} out of range"));
        }
    }
    if let Some(obj) = v.as_object() {
        for r in schema["required"].as_array().into_iter().flatten() {
            let key = r.as_str().unwrap_or_default();
            if !obj.contains_key(key) {
                errs.push(format!("{at}: missing {key}"));
            }
        }
        let props = schema["properties"].as_object();
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => errs.extend(validate(s, val, &format!("{at}.{k}"))),
                None if schema["additionalProperties"] == Value::Bool(false) => {
                    errs.push(format!("{at}: unexpected {k}"))
                }
                None => {}
            }
        }
    }
    if let Some(items) = v.as_array() {
        if schema["minItems"]
            .as_u64()
            .is_some_and(|m| (items.len() as u64) < m)
        {
            errs.push(format!("{at}: too few items"));
        }
        if !schema["items"].is_null() {
            for (i, it) in items.iter().enumerate() {
                errs.extend(validate(&schema["items"], it, &format!("{at}[{i}]")));
            }
        }
    }
    errs
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
    assert_eq!(a["missing"].as_array().unwrap().len(), 0);
}

#[test]
fn the_default_date_is_the_day_after_the_data_and_missing_data_is_named() {
    let (code, out) = today(None, false);
    assert_eq!(code, 0);
    assert!(out.starts_with("For 2026-11-09 (Monday): "), "{out}");
    assert!(out.contains("missing: no soreness logged for 2026-11-09: the soreness rules"));
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
    let (_, text) = today(None, false);
    let first = text.lines().next().unwrap();
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.contains("## What next"), "summary has What next");
    assert!(
        summary.contains(first),
        "summary and `today` agree: {first}"
    );
}
