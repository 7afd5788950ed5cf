//! The real-world corpus (`../shared/fit-corpus`, or `$RECOVERY_CORPUS`): every file is
//! read without panic, and what we find agrees with the catalog and with the independent
//! heart-rate reference, or differs for a reason stated here.

use crate::common::corpus;

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use recovery::ingest::{ingest, Decoder, IngestOptions, Verdict};

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

/// Files whose records carry no heart rate (the catalog's `records_have_hr` is "no") but
/// whose `hr` messages do: the swim heart rate an HRM-Swim stored, merged into the records
/// as the FIT SDK does.
const HR_FROM_HR_MESSAGES: &[&str] = &[
    "GoldenCheetah__GoldenCheetah/GarminHRMswim.FIT",
    "sports-alliance__sports-lib/6688025408.fit",
    "tormoder__fit/activity_poolswim_with_hr.fit",
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
        let want_hr =
            row["records_have_hr"] == "yes" || HR_FROM_HR_MESSAGES.contains(&file.as_str());
        if want_hr != has_hr {
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
const REFERENCE_DIFFERENCES: &[(&str, &str)] = &[
    (
        "dtcooper__python-fitparse/compressed-speed-distance.fit",
        "its records use compressed-timestamp headers; the reference took timestamps only from \
         timestamp fields and so found no HR, we apply the header's time offset as the FIT spec says",
    ),
    // The reference read heart rate from records only; these files also hold `hr` messages,
    // which we merge into the records as the FIT SDK does. They are held to the SDK's own
    // figures instead (`heart_rate_from_hr_messages_agrees_with_the_fit_sdk`).
    ("GoldenCheetah__GoldenCheetah/GarminHRMswim.FIT", "hr messages"),
    ("tormoder__fit/activity_poolswim_with_hr.fit", "hr messages"),
    ("sports-alliance__sports-lib/6688025408.fit", "hr messages"),
    ("garmin__fit-python-sdk/HrmPluginTestActivity.fit", "hr messages"),
    ("muktihari__fit/HrmPluginTestActivity.fit", "hr messages"),
    ("dtcooper__python-fitparse/sample_mulitple_header.fit", "hr messages"),
    ("polyvertex__fitdecode/garmin-fr935-cr.fit", "hr messages"),
];

/// The FIT SDK's figures for every corpus file with `hr` messages: `(file, session, hr_s,
/// below, in, above minutes of 120–140 bpm)`. Computed once with Garmin's Python SDK
/// (`pip install garmin-fit-sdk`, 21.218.0): `Decoder(Stream.from_file(f)).read(
/// merge_heart_rates=True)`, then the README's heart-rate semantics applied to its merged
/// `record_mesgs` (session window from `start_time` and `total_elapsed_time`, timer pauses
/// from `timer` stop/start events, a reading held until the next record for at most 60 s,
/// 30–240 bpm valid). The SDK cannot read compressed-timestamp files; none of these is one.
/// Without the merge the records of the first three hold no heart rate at all.
const SDK_MERGED_HR: &[(&str, usize, u64, f64, f64, f64)] = &[
    (
        "GoldenCheetah__GoldenCheetah/GarminHRMswim.FIT",
        0,
        2629,
        7.50,
        31.35,
        4.97,
    ),
    (
        "tormoder__fit/activity_poolswim_with_hr.fit",
        0,
        3487,
        56.72,
        1.40,
        0.00,
    ),
    (
        "sports-alliance__sports-lib/6688025408.fit",
        0,
        3963,
        28.78,
        36.65,
        0.62,
    ),
    (
        "garmin__fit-python-sdk/HrmPluginTestActivity.fit",
        0,
        309,
        5.15,
        0.00,
        0.00,
    ),
    (
        "muktihari__fit/HrmPluginTestActivity.fit",
        0,
        308,
        5.13,
        0.00,
        0.00,
    ),
    (
        "dtcooper__python-fitparse/sample_mulitple_header.fit",
        0,
        1987,
        0.00,
        0.12,
        33.00,
    ),
    (
        "dtcooper__python-fitparse/sample_mulitple_header.fit",
        1,
        170,
        0.00,
        0.00,
        2.83,
    ),
    (
        "dtcooper__python-fitparse/sample_mulitple_header.fit",
        2,
        4422,
        0.00,
        0.00,
        73.70,
    ),
    (
        "dtcooper__python-fitparse/sample_mulitple_header.fit",
        3,
        60,
        0.00,
        0.00,
        1.00,
    ),
    (
        "dtcooper__python-fitparse/sample_mulitple_header.fit",
        4,
        2850,
        0.00,
        0.00,
        47.50,
    ),
    (
        "polyvertex__fitdecode/garmin-fr935-cr.fit",
        0,
        7520,
        122.22,
        2.73,
        0.38,
    ),
];

#[test]
fn heart_rate_from_hr_messages_agrees_with_the_fit_sdk() {
    let Some(dir) = corpus() else { return };
    let mut problems = Vec::new();
    for decoder in [Decoder::Fast, Decoder::Fitparser] {
        for &(file, index, hr_s, below, inside, above) in SDK_MERGED_HR {
            let opts = IngestOptions {
                decoder,
                ..IngestOptions::default()
            };
            let report = ingest(&[dir.join(file)], &opts);
            let Some(s) = report.sessions.iter().find(|s| s.index == index) else {
                problems.push(format!("{file} session {index}: missing"));
                continue;
            };
            let (b, i, a) = s.hr.split(120, 140);
            let within = |ours: u64, sdk: f64| (ours as f64 / 60.0 - sdk).abs() <= 1.0;
            if !(within(b, below) && within(i, inside) && within(a, above))
                || s.hr_s().abs_diff(hr_s) > 60
            {
                problems.push(format!(
                    "{file} session {index} ({decoder:?}): hr_s {} vs {hr_s}, minutes \
                     {:.2}/{:.2}/{:.2} vs {below}/{inside}/{above}",
                    s.hr_s(),
                    b as f64 / 60.0,
                    i as f64 / 60.0,
                    a as f64 / 60.0,
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "differences from the FIT SDK:\n{}",
        problems.join("\n")
    );
}

#[test]
fn system_times_in_the_corpus_are_dated_and_no_session_falls_before_2000() {
    let Some(dir) = corpus() else { return };
    let read = |file: &str| {
        let r = ingest(&[dir.join(file)], &IngestOptions::default());
        (r.sessions[0].clone(), r.problem_lines())
    };
    // The virb's timestamp_correlation: system time 69 s is 2017-06-28T02:34:13Z, and its
    // local_timestamp says UTC-7.
    let (virb, lines) = read("GPSBabel__gpsbabel/garmin-virb-ultra-30.fit");
    assert_eq!(virb.start_utc.to_rfc3339(), "2017-06-28T02:33:06+00:00");
    assert_eq!(virb.local_date.to_string(), "2017-06-27");
    assert_eq!(virb.utc_offset_s, Some(-7 * 3600));
    assert!(
        lines.iter().any(|l| l.contains("timestamp_correlation")),
        "{lines:?}"
    );
    // No correlation, but the activity's local_timestamp is a real wall-clock time.
    let (fr70, lines) = read("dtcooper__python-fitparse/compressed-speed-distance.fit");
    assert_eq!(fr70.local_date.to_string(), "2012-02-13");
    assert_eq!((fr70.utc_offset_s, fr70.undated.as_deref()), (None, None));
    assert!(
        lines.iter().any(|l| l.contains("local_timestamp")),
        "{lines:?}"
    );
    // No corpus file really says a date before 2000, so no session may have one.
    let all = ingest(std::slice::from_ref(&dir), &IngestOptions::default());
    let early: Vec<_> = all
        .sessions
        .iter()
        .filter(|s| s.undated.is_none() && s.local_date.to_string().as_str() < "2000")
        .map(|s| format!("{} {}", s.file, s.local_date))
        .collect();
    assert!(early.is_empty(), "{early:?}");
    let outcome = recovery::pipeline::analyse(
        all.sessions,
        None,
        None,
        &recovery::config::settings(&recovery::config::Overrides::default()).expect("defaults"),
    );
    let first = outcome.days.first().expect("days").date.to_string();
    assert!(first.as_str() >= "2000", "days.csv would start on {first}");
}

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

/// Is this stderr line one of ours: a warning or error naming the file, or the summary?
fn ours(line: &str) -> bool {
    line.starts_with("warning: ")
        || line.starts_with("error: ")
        || line.contains(" files: ") && line.contains(" activities, ")
}

#[test]
fn the_binary_reads_the_whole_corpus_and_reports_skips_with_exit_code_3() {
    let Some(dir) = corpus() else { return };
    // Through fitparser too: before it was handed patched definitions, it printed 27 lines
    // of its own (`ERROR: field size …`, naming no file) on this corpus, 22 with `fast`.
    for decoder in ["fast", "fitparser"] {
        let out = Command::cargo_bin("recovery")
            .expect("binary builds")
            .env_remove("RECOVERY_DECODER")
            .args(["sessions", "--format", "csv", "--decoder", decoder])
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
        let foreign: Vec<_> = stderr.lines().filter(|l| !ours(l)).collect();
        assert!(foreign.is_empty(), "{decoder}: not our lines: {foreign:?}");
        let csv = String::from_utf8_lossy(&out.stdout);
        assert!(csv.lines().count() > 200, "sessions table too short");
    }
}

#[test]
fn inspect_on_the_damaged_corpus_files_writes_nothing_to_stderr() {
    let Some(dir) = corpus() else { return };
    // Before: 49 lines of fitparser's own, 44 of them from the first file.
    for file in [
        "GPSBabel__gpsbabel/lezyne_super_gps-garmin_fit-sample-bad-endian.fit",
        "dtcooper__python-fitparse/coros-pace-2-cycling-misaligned-fields.fit",
        "dtcooper__python-fitparse/activity-settings-nodata.fit",
        "dtcooper__python-fitparse/strava-android-app-201.10-b1218918.fit",
        "sports-alliance__sports-lib/empty-activities.fit",
    ] {
        let out = Command::cargo_bin("recovery")
            .expect("binary builds")
            .arg("inspect")
            .arg(dir.join(file))
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "{file}: {stderr}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("verdict: "));
    }
}
