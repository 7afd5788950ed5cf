//! Readiness on the sample athlete: HRV in its normal range changes nothing, three low
//! mornings lower the advice under `hrv_below_normal`, and the audit finds the hard day
//! trained under the band; a journal's bad HRV costs only that value.

use std::path::Path;

use serde_json::Value;

use crate::common::{bin, csv_rows, output, sample};

/// A folder with the sample's FIT files and its journal, each row passed through `edit`
/// (the cells of one row, header included).
fn athlete(dir: &Path, edit: impl Fn(&mut Vec<String>)) {
    let acts = dir.join("activities");
    std::fs::create_dir_all(&acts).unwrap();
    for e in std::fs::read_dir(sample().join("activities")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, acts.join(p.file_name().unwrap())).unwrap();
    }
    let mut reader = csv::Reader::from_path(sample().join("journal.csv")).unwrap();
    let mut out = csv::Writer::from_path(dir.join("journal.csv")).unwrap();
    let mut header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    edit(&mut header);
    out.write_record(&header).unwrap();
    for r in reader.records() {
        let mut row: Vec<String> = r.unwrap().iter().map(String::from).collect();
        edit(&mut row);
        out.write_record(&row).unwrap();
    }
    out.flush().unwrap();
}

/// Column of `hrv_ms` in the sample journal.
const HRV: usize = 5;

fn answer(dir: &Path, date: &str) -> Value {
    crate::common::today_json(dir, &["--date", date])
}

fn rules(a: &Value) -> Vec<String> {
    a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap().to_string())
        .collect()
}

const ORDER: [&str; 4] = ["rest", "active_recovery", "easy", "hard_ok"];

fn rank(a: &Value) -> usize {
    ORDER
        .iter()
        .position(|w| a["recommendation"] == *w)
        .expect("one of the four words")
}

#[test]
fn hrv_in_its_normal_range_gives_the_same_advice_as_no_hrv_at_all() {
    let with = tempfile::tempdir().unwrap();
    let without = tempfile::tempdir().unwrap();
    athlete(with.path(), |_| {});
    athlete(without.path(), |row| {
        row.remove(HRV);
    });
    // After the planted spell has left the 7-day mean: HRV is in its band.
    for date in ["2026-10-27", "2026-11-03", "2026-11-05", "2026-11-09"] {
        let (a, b) = (answer(with.path(), date), answer(without.path(), date));
        assert_eq!(a["recommendation"], b["recommendation"], "{date}");
        assert_eq!(rules(&a), rules(&b), "{date}");
        assert_eq!(a["max_minutes"], b["max_minutes"], "{date}");
    }
}

#[test]
fn three_low_hrv_mornings_lower_the_advice_under_hrv_below_normal_and_the_audit_finds_the_hard_day()
{
    let normal = tempfile::tempdir().unwrap();
    let low = tempfile::tempdir().unwrap();
    athlete(normal.path(), |_| {});
    athlete(low.path(), |row| {
        if ["2026-10-25", "2026-10-26", "2026-10-27"].contains(&row[0].as_str()) {
            row[HRV] = "45".into();
        }
    });
    let before = answer(normal.path(), "2026-10-27");
    assert_eq!(before["recommendation"], "hard_ok");
    let after = answer(low.path(), "2026-10-27");
    assert!(rank(&after) < rank(&before), "{after}");
    assert_eq!(after["reasons"][0]["rule"], "hrv_below_normal", "{after}");
    let text = after["reasons"][0]["text"].as_str().unwrap();
    assert!(text.starts_with("7-day mean of ln rMSSD"), "{text}");
    assert_eq!(after["reasons"][0]["values"]["metric"], "rMSSD");

    // The sample trains hard on 10-27: the audit finds it under the band.
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = output(
        bin()
            .arg("audit")
            .arg(low.path())
            .args(["-q", "--tz", "Europe/Berlin", "--out"])
            .arg(out.path()),
    );
    assert_eq!(code, 0, "{err}");
    let audit = csv_rows(&out.path().join("audit.csv"));
    let day = audit
        .iter()
        .find(|f| f["date"] == "2026-10-27")
        .expect("a finding on 2026-10-27");
    assert!(
        day["rules"].split(';').any(|r| r == "hrv_below_normal"),
        "{day:?}"
    );
}

#[test]
fn a_journal_with_bad_hrv_cells_names_each_row_once_and_keeps_the_rest_of_it() {
    let dir = tempfile::tempdir().unwrap();
    athlete(dir.path(), |row| match row[0].as_str() {
        "2026-10-27" => row[HRV] = "fast".into(),
        "2026-10-28" => row[HRV] = "-40".into(),
        "2026-10-29" => row[HRV] = "450".into(),
        _ => {}
    });
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = output(
        bin()
            .arg("analyze")
            .arg(dir.path())
            .args(["-q", "--tz", "Europe/Berlin", "--out"])
            .arg(out.path()),
    );
    assert_eq!(code, 3, "a bad cell makes the run finish with skips: {err}");
    let hrv_lines: Vec<&str> = err.lines().filter(|l| l.contains("(hrv_ms)")).collect();
    assert_eq!(hrv_lines.len(), 3, "{err}");
    for (line, cell) in [(56, "\"fast\""), (57, "\"-40\""), (58, "\"450\"")] {
        assert!(
            hrv_lines.iter().any(|l| l
                .contains(&format!("line {line}, column 6 (hrv_ms): {cell}"))
                && l.ends_with("the HRV is left out, the rest of the row is used")),
            "{line}: {err}"
        );
    }
    assert!(
        err.contains("(65 days used, 0 rows left out, 3 HRV values left out)"),
        "{err}"
    );
    let days = csv_rows(&out.path().join("days.csv"));
    let d = days.iter().find(|d| d["date"] == "2026-10-28").unwrap();
    assert_eq!((d["soreness"].as_str(), d["hrv_ms"].as_str()), ("4", ""));
}
