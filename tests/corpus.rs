//! The real-world corpus (`../shared/fit-corpus`, or `$RECOVERY_CORPUS`): every file is
//! read without panic, and what we find agrees with the catalog and with the independent
//! heart-rate reference, or differs for a reason stated here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use recovery::ingest::{ingest, IngestOptions, Verdict};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("RECOVERY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fit-corpus"));
    if dir.join("CATALOG.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "\n*** SKIPPED: FIT corpus not found at {} (set RECOVERY_CORPUS) ***\n",
            dir.display()
        );
        None
    }
}

fn read_tsv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).expect("corpus TSV is readable");
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .expect("TSV has a header")
        .split('\t')
        .collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t').chain(std::iter::repeat("")))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Files whose catalog row we knowingly disagree with, and why.
const CATALOG_DIFFERENCES: &[(&str, &str)] = &[
    (
        "GPSBabel__gpsbabel/fitwrite-track.fit",
        "a course file (file_id.type = course): not an activity, though it has records",
    ),
    (
        "dtcooper__python-fitparse/activity-settings-nodata.fit",
        "its second stream is cut 67 bytes short: we keep the first stream's session and call the file damaged",
    ),
    (
        "dtcooper__python-fitparse/DeveloperData.fit",
        "its 3 records have no timestamps: they cannot be placed in time, so no session",
    ),
    (
        "muktihari__fit/TestEncode.fit",
        "its one session has no times (placed at the activity timestamp) and its one record no \
         timestamp, so its heart rate has no duration",
    ),
    (
        "muktihari__fit/valid_only_contain_fileid.fit",
        "one record and no session: a session of 0 s, and one sample holds HR for no time",
    ),
    (
        "dtcooper__python-fitparse/coros-pace-2-cycling-misaligned-fields.fit",
        "catalogued corrupt because two Python decoders refuse a uint32 field of size 1; its sizes \
         and CRC are intact and the Garmin SDK reads it, as do fitparser and we (as a byte array)",
    ),
];

fn sports_of(sessions: &[recovery::session::Session]) -> String {
    sessions
        .iter()
        .map(|s| {
            if s.sub_sport.is_empty() || s.sub_sport == "generic" {
                s.sport.clone()
            } else {
                format!("{}/{}", s.sport, s.sub_sport)
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn every_corpus_file_is_read_and_agrees_with_the_catalog() {
    let Some(dir) = corpus() else { return };
    let catalog = read_tsv(&dir.join("CATALOG.tsv"));
    assert!(catalog.len() > 200, "catalog unexpectedly small");
    let mut disagreements = Vec::new();
    let mut verdicts: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &catalog {
        let file = &row["corpus_file"];
        let path = dir.join(file);
        let report = ingest(&[path], &IngestOptions::default());
        assert_eq!(
            report.files.len(),
            1,
            "{file}: one file in, one verdict out"
        );
        let verdict = &report.files[0].verdict;
        *verdicts
            .entry(match verdict {
                Verdict::Activity => "activity",
                Verdict::NotActivity(_) => "not activity",
                Verdict::Damaged(_) => "damaged",
                Verdict::Unreadable(_) => "unreadable",
                Verdict::NotFit | Verdict::Wellness => "not fit",
            })
            .or_default() += 1;
        let corrupt =
            row["corrupt"] == "yes" && !CATALOG_DIFFERENCES.iter().any(|(f, _)| f == file);
        if corrupt {
            assert!(
                matches!(verdict, Verdict::Damaged(_) | Verdict::Unreadable(_)),
                "{file}: the catalog marks it corrupt ({}), we said {verdict:?}",
                row["corruption"]
            );
            assert!(
                !report.problem_lines().is_empty(),
                "{file}: no line for the user"
            );
            continue;
        }
        if CATALOG_DIFFERENCES.iter().any(|(f, _)| f == file) || row["fitdecode_ok"] != "yes" {
            continue;
        }
        let want_sessions: usize = row["n_sessions"].parse().unwrap_or(0);
        let got = &report.sessions;
        // The catalog counts session messages; a file with records but no session is
        // one session for us.
        let want = if want_sessions == 0 && row["n_records"] != "0" && row["file_type"] != "course"
        {
            1
        } else {
            want_sessions
        };
        if got.len() + report.duplicates.len() != want {
            disagreements.push(format!("{file}: {} sessions, catalog {want}", got.len()));
            continue;
        }
        if want_sessions > 0 && sports_of(got) != row["sports"] && !report.duplicates.is_empty() {
            continue;
        }
        if want_sessions > 0 && sports_of(got) != row["sports"] {
            disagreements.push(format!(
                "{file}: sports {:?}, catalog {:?}",
                sports_of(got),
                row["sports"]
            ));
        }
        let has_hr = got.iter().any(|s| s.hr_s() > 0);
        if (row["records_have_hr"] == "yes") != has_hr {
            disagreements.push(format!(
                "{file}: heart rate present {has_hr}, catalog {}",
                row["records_have_hr"]
            ));
        }
    }
    eprintln!("corpus verdicts: {verdicts:?}");
    assert!(
        disagreements.is_empty(),
        "unexplained differences:\n{}",
        disagreements.join("\n")
    );
}

/// Sessions whose heart-rate figures we knowingly read differently from the reference.
const REFERENCE_DIFFERENCES: &[(&str, &str)] = &[(
    "dtcooper__python-fitparse/compressed-speed-distance.fit",
    "its records use compressed-timestamp headers; the reference took timestamps only from \
     timestamp fields and so found no HR, we apply the header's time offset as the FIT spec says",
)];

#[test]
fn heart_rate_figures_agree_with_the_independent_reference() {
    let Some(dir) = corpus() else { return };
    let reference = read_tsv(&dir.join("REFERENCE.tsv"));
    let mut checked = 0;
    let mut problems = Vec::new();
    let mut cache: BTreeMap<String, Vec<recovery::session::Session>> = BTreeMap::new();
    for row in reference.iter().filter(|r| r["error"].is_empty()) {
        let file = &row["file"];
        if REFERENCE_DIFFERENCES.iter().any(|(f, _)| f == file) {
            continue;
        }
        let sessions = cache.entry(file.clone()).or_insert_with(|| {
            let mut r = ingest(&[dir.join(file)], &IngestOptions::default());
            // Compare every session of the file, duplicates included.
            r.sessions.sort_by_key(|s| s.index);
            r.sessions
        });
        let index: usize = row["session"].parse().expect("session index");
        let Some(s) = sessions.iter().find(|s| s.index == index) else {
            // Only files we call damaged or not-an-activity may lack a session.
            continue;
        };
        checked += 1;
        let hr_s: f64 = row["hr_s"].parse().unwrap_or(0.0);
        let (b, i, a) = s.hr.split(120, 140);
        let mins = |x: &str| x.parse::<f64>().unwrap_or(0.0);
        let close = |ours: u64, theirs: f64| (ours as f64 / 60.0 - theirs).abs() <= 0.05;
        if (s.hr_s() as f64 - hr_s).abs() > 3.0
            || !close(b, mins(&row["below_min"]))
            || !close(i, mins(&row["in_min"]))
            || !close(a, mins(&row["above_min"]))
        {
            problems.push(format!(
                "{file} session {index}: hr_s {} vs {hr_s}, minutes {:.2}/{:.2}/{:.2} vs {}/{}/{}",
                s.hr_s(),
                b as f64 / 60.0,
                i as f64 / 60.0,
                a as f64 / 60.0,
                row["below_min"],
                row["in_min"],
                row["above_min"]
            ));
        }
        if let (Some(avg), Ok(theirs)) = (s.hr.mean(), row["avg_hr"].parse::<f64>()) {
            if (avg - theirs).abs() > 0.1 {
                problems.push(format!(
                    "{file} session {index}: avg HR {avg:.2} vs {theirs}"
                ));
            }
        }
    }
    eprintln!("reference sessions compared: {checked}");
    assert!(checked > 140, "only {checked} sessions compared");
    assert!(
        problems.is_empty(),
        "differences from REFERENCE.tsv:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_binary_reads_the_whole_corpus_and_reports_skips_with_exit_code_3() {
    let Some(dir) = corpus() else { return };
    let out = Command::cargo_bin("recovery")
        .expect("binary builds")
        .args(["sessions", "--format", "csv"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(3),
        "damaged files in the corpus mean exit 3"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let summary = stderr.lines().last().unwrap_or_default();
    assert!(summary.contains(" activities, "), "summary line: {summary}");
    assert!(summary.contains("damaged (partly read)"), "{summary}");
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.lines().count() > 200, "sessions table too short");
}
