//! Helpers shared by the integration tests: where the sample data and the real FIT corpus
//! are, and reading a CSV the binary wrote.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The repository's `sample_data/`.
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

/// The real FIT corpus: `$RECOVERY_CORPUS`, else `../shared/fit-corpus` beside the
/// repository (it is never copied into the repository).
///
/// When it is missing the test skips (`None`) and says so on the process's own stderr, which
/// the test harness does not capture, so the skip shows in `cargo test` output. Under
/// `CI=true` a missing corpus fails the test instead: CI must not pass tests that did not run.
pub fn corpus() -> Option<PathBuf> {
    use std::io::Write;
    let dir = std::env::var_os("RECOVERY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fit-corpus"));
    if dir.join("CATALOG.tsv").is_file() {
        return Some(dir);
    }
    let missing = format!(
        "FIT corpus not found at {} (no CATALOG.tsv; set RECOVERY_CORPUS)",
        dir.display()
    );
    assert!(
        std::env::var("CI").map_or(true, |ci| ci != "true"),
        "{missing}: under CI=true the corpus tests must run, not skip"
    );
    // Straight to the handle: `eprintln!` and `println!` inside a test are captured.
    let _ = writeln!(std::io::stderr().lock(), "*** SKIPPED: {missing} ***");
    None
}

/// A CSV as rows of header → value.
pub fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).expect("csv opens");
    let headers = r.headers().expect("header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// `audit.csv` expanded into (date, rule) pairs: an event under every rule its `rules`
/// column holds.
pub fn audit_pairs(path: &Path) -> Vec<(String, String)> {
    csv_rows(path)
        .iter()
        .flat_map(|f| {
            f["rules"]
                .split(';')
                .map(|r| (f["date"].clone(), r.to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Validates `v` against the subset of JSON Schema the schema file uses: type, enum,
/// pattern (anchored digits only), required, properties, additionalProperties,
/// items, minItems, minimum, maximum.
pub fn validate(schema: &Value, v: &Value, at: &str) -> Vec<String> {
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

/// The `recovery` binary, ready for arguments.
pub fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("recovery").expect("the recovery binary builds")
}

/// `recovery today DIR -q --tz Europe/Berlin --format json EXTRA…`, asserting exit 0.
pub fn today_json(dir: &Path, extra: &[&str]) -> Value {
    let (code, out, err) = output(
        bin()
            .arg("today")
            .arg(dir)
            .args(["-q", "--tz", "Europe/Berlin", "--format", "json"])
            .args(extra),
    );
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("today prints JSON")
}

/// Runs a command to its end: (exit code, -1 if killed; stdout; stderr).
pub fn output(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let o = cmd.output().expect("the binary runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}
