//! The sample athlete as a Garmin account export (`sample_data/garmin_export.zip`): the
//! same sessions as the plain folder, the watch's sleep and resting HR with their sources,
//! the activity list's names and RPE, and a soreness-only journal that is enough.

use crate::common::{csv_rows, sample};

use std::path::Path;

fn analyze(input: &Path, out: &Path, extra: &[&str], tmp: &Path) -> (i32, String) {
    let (code, _, stderr) = crate::common::output(
        crate::common::bin()
            .env("TMPDIR", tmp)
            .arg("analyze")
            .arg(input)
            .arg("--out")
            .arg(out)
            .args(extra),
    );
    (code, stderr)
}

#[test]
fn the_export_gives_the_folders_sessions_the_watch_sleep_and_the_activity_names() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let zip_out = dir.path().join("zip");
    let dir_out = dir.path().join("dir");
    let (code, err) = analyze(
        &sample().join("garmin_export.zip"),
        &zip_out,
        &[],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("55 sessions matched an entry of the activity lists (55 entries"),
        "{err}"
    );
    assert!(
        err.contains("journal: none"),
        "no journal beside a zip: {err}"
    );
    let (code, err) = analyze(&sample().join("activities"), &dir_out, &[], tmp.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing extracted to disk"
    );

    // Same sessions: every figure but the file path (and the list's RPE/feel).
    let same = [
        "session",
        "sport",
        "start_utc",
        "local_date",
        "timer_s",
        "hr_s",
        "below_min",
        "in_min",
        "above_min",
        "class",
    ];
    // TRIMP differs by HRrest alone: the export's watch logs resting HR, the bare folder
    // has none and says it uses the default.
    let load_line = |dir: &Path| {
        std::fs::read_to_string(dir.join("summary.md"))
            .unwrap()
            .lines()
            .find(|l| l.contains("Load is Banister TRIMP"))
            .unwrap()
            .to_string()
    };
    assert!(
        load_line(&zip_out).contains("bpm (the median resting HR of the last 28 days of data"),
        "{}",
        load_line(&zip_out)
    );
    assert!(
        load_line(&dir_out)
            .contains("HRrest 60 bpm (a default: no resting heart rate set or logged)"),
        "{}",
        load_line(&dir_out)
    );
    let a = csv_rows(&zip_out.join("sessions.csv"));
    let b = csv_rows(&dir_out.join("sessions.csv"));
    assert_eq!(a.len(), 55);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        for c in same {
            assert_eq!(x[c], y[c], "{c} of {}", y["file"]);
        }
    }
    // Names and RPE from the activity list.
    let easy = a.iter().find(|s| s["local_date"] == "2026-09-17").unwrap();
    assert_eq!(
        (easy["name"].as_str(), easy["rpe"].as_str()),
        ("Easy Run", "6")
    );
    let ride = a.iter().find(|s| s["local_date"] == "2026-09-05").unwrap();
    assert_eq!(ride["rpe"], "", "the bike computer asks no RPE");

    // Sleep and resting HR from the watch equal the journal's where it has them.
    let journal = csv_rows(&sample().join("journal.csv"));
    let days = csv_rows(&zip_out.join("days.csv"));
    let mut compared = 0;
    for j in &journal {
        let d = days.iter().find(|d| d["date"] == j["date"]).unwrap();
        assert_eq!(d["sleep_hours_source"], "watch");
        let want: f64 = match j["sleep_hours"].split_once(':') {
            Some((h, m)) => h.parse::<f64>().unwrap() + m.parse::<f64>().unwrap() / 60.0,
            None => j["sleep_hours"].parse().unwrap(),
        };
        let got: f64 = d["sleep_hours"].parse().unwrap();
        assert!((got - want).abs() < 0.006, "{}: {got} vs {want}", j["date"]);
        assert_eq!(d["resting_hr"], j["resting_hr"], "{}", j["date"]);
        assert_eq!(d["resting_hr_source"], "watch");
        compared += 1;
    }
    assert_eq!(compared, 65);
    let charging = days.iter().find(|d| d["date"] == "2026-11-01").unwrap();
    assert_eq!(
        (
            charging["sleep_hours"].as_str(),
            charging["sleep_hours_source"].as_str()
        ),
        ("", "")
    );
}

#[test]
fn a_journal_of_soreness_alone_is_enough_with_the_watchs_sleep() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let journal = dir.path().join("soreness.csv");
    let text: String = std::fs::read_to_string(sample().join("journal.csv"))
        .unwrap()
        .lines()
        .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(",") + "\n")
        .collect();
    assert!(text.starts_with("date,soreness\n"));
    std::fs::write(&journal, text).unwrap();
    let out = dir.path().join("out");
    let (code, err) = analyze(
        &sample().join("garmin_export.zip"),
        &out,
        &["--journal", journal.to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    let corr = csv_rows(&out.join("correlations.csv"));
    for r in &corr {
        assert!(
            !r["finding"].starts_with("Not enough data"),
            "{}: {}",
            r["id"],
            r["finding"]
        );
    }
    let sleep = corr
        .iter()
        .find(|r| r["id"] == "sleep_vs_soreness_spearman")
        .unwrap();
    assert!(
        sleep["finding"].contains("sleep from the watch, 69 days"),
        "{}",
        sleep["finding"]
    );
    let rhr = corr
        .iter()
        .find(|r| r["id"] == "resting_hr_after_hard")
        .unwrap();
    assert!(
        rhr["effect"].parse::<f64>().unwrap() > 0.0,
        "resting HR is up after hard days"
    );
    let audit = csv_rows(&out.join("audit.csv"));
    let short = audit
        .iter()
        .find(|f| f["rule"] == "short_sleep_after_hard")
        .unwrap();
    assert!(
        short["found"].ends_with("(from the watch)"),
        "{}",
        short["found"]
    );
    let summary = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(summary.contains("## Where the data came from"));
    assert!(
        summary.contains("sleep hours: watch on 69 days (2026-08-31 – 2026-11-08)"),
        "{summary}"
    );
}
