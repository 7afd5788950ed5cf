//! `recovery analyze` and `recovery audit` on the sample athlete: the planted days and
//! rule violations come out, the journal is picked up, outputs are deterministic.

use crate::common::{csv_rows, sample};

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn run_analyze(out: &Path, extra: &[&str]) -> (i32, String, String) {
    crate::common::output(
        crate::common::bin()
            .arg("analyze")
            .arg(sample())
            .arg("--out")
            .arg(out)
            .args(extra),
    )
}

#[test]
fn the_planted_classes_and_violations_of_the_sample_athlete_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run_analyze(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("journal.csv (65 days used, 0 rows left out)"),
        "{stderr}"
    );
    assert!(
        stdout.contains("sessions: 55 (16 hard, 28 easy, 11 active_recovery, 0 unknown)"),
        "{stdout}"
    );

    // Every session gets the class the generator intended.
    let truth = csv_rows(&sample().join("truth.csv"));
    let sessions = csv_rows(&dir.path().join("sessions.csv"));
    assert_eq!(sessions.len(), truth.len());
    for t in &truth {
        let s = sessions
            .iter()
            .find(|s| s["file"].ends_with(&t["file"]) && s["session"] == t["session"])
            .unwrap_or_else(|| panic!("no session for {}", t["file"]));
        assert_eq!(
            s["class"], t["intended_class"],
            "{} {}: {}",
            t["date"], t["file"], s["reason"]
        );
        assert_eq!(s["local_date"], t["date"]);
        assert!(!s["reason"].is_empty() && s["trimp"].parse::<f64>().unwrap() > 0.0);
    }

    // Every rule is triggered on its planted date: one row per event (date), naming
    // the most severe rule in `rule` and every rule broken in `rules`.
    let audit = csv_rows(&dir.path().join("audit.csv"));
    let found = crate::common::audit_pairs(&dir.path().join("audit.csv"));
    let dates: Vec<&String> = audit.iter().map(|f| &f["date"]).collect();
    assert!(
        dates.windows(2).all(|w| w[0] < w[1]),
        "one row per date: {dates:?}"
    );
    for (date, rule) in [
        ("2026-09-17", "easy_day_not_easy"),
        ("2026-10-22", "easy_day_not_easy"),
        ("2026-10-11", "back_to_back_hard"),
        ("2026-10-12", "back_to_back_hard"),
        ("2026-10-11", "no_rest_day"),
        ("2026-09-27", "volume_jump"),
        ("2026-10-12", "no_recovery_after_hard"),
        ("2026-10-12", "hard_while_sore"),
        ("2026-10-16", "soreness_past_72h"),
        ("2026-09-09", "short_sleep_after_hard"),
        ("2026-10-11", "short_sleep_after_hard"),
        ("2026-10-23", "short_sleep_after_hard"),
        ("2026-10-11", "hrv_below_normal"),
        ("2026-10-12", "hrv_below_normal"),
    ] {
        assert!(
            found.contains(&(date.to_string(), rule.to_string())),
            "{rule} on {date} missing from {found:?}"
        );
    }
    let sore = audit
        .iter()
        .find(|f| f["rule"] == "soreness_past_72h")
        .unwrap();
    assert!(
        sore["found"].contains("after the hard session of 2026-10-12"),
        "{}",
        sore["found"]
    );

    // The days table covers the period with the journal joined.
    let days = csv_rows(&dir.path().join("days.csv"));
    assert_eq!(days.len(), 70);
    assert_eq!(days[0]["date"], "2026-08-31");
    let d = days.iter().find(|d| d["date"] == "2026-10-13").unwrap();
    assert_eq!(
        (d["soreness"].as_str(), d["rest_day"].as_str()),
        ("8", "true")
    );

    // The planted soreness pattern comes out of the correlations.
    let corr = csv_rows(&dir.path().join("correlations.csv"));
    let day1 = corr
        .iter()
        .find(|r| r["id"] == "soreness_day1_after_hard")
        .unwrap();
    assert!(day1["ci_low"].parse::<f64>().unwrap() > 0.0, "{day1:?}");
    // 16 hard days: under 25, so the finding is marked exploratory; q < 0.05, so clear.
    assert!(
        day1["finding"]
            .starts_with("Exploratory (n = 16): On the 1st day after a hard session you were"),
        "{}",
        day1["finding"]
    );
    assert!(day1["q_value"].parse::<f64>().unwrap() < 0.05, "{day1:?}");
    let sleep = corr.iter().find(|r| r["id"] == "sleep_after_hard").unwrap();
    assert!(
        sleep["effect"].parse::<f64>().unwrap() < 0.0,
        "short nights after hard days"
    );

    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.starts_with("# Training and recovery report, 2026-08-31 – 2026-11-08"));
    for f in [
        "sessions.csv",
        "days.csv",
        "weeks.csv",
        "audit.csv",
        "correlations.csv",
        "index.html",
    ] {
        assert!(
            summary.contains(&format!("[{f}]({f})")),
            "summary links {f}"
        );
        assert!(dir.path().join(f).is_file(), "{f} written");
    }
}

#[test]
fn two_runs_write_byte_identical_tables_and_summary() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert_eq!(run_analyze(a.path(), &[]).0, 0);
    assert_eq!(run_analyze(b.path(), &[]).0, 0);
    for f in [
        "sessions.csv",
        "days.csv",
        "weeks.csv",
        "audit.csv",
        "correlations.csv",
        "summary.md",
        "index.html",
    ] {
        let x = std::fs::read(a.path().join(f)).unwrap();
        let y = std::fs::read(b.path().join(f)).unwrap();
        assert!(x == y, "{f} differs between runs");
    }
}

#[test]
fn a_bad_journal_row_is_reported_with_its_line_and_the_rest_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.csv");
    let mut text = std::fs::read_to_string(sample().join("journal.csv")).unwrap();
    text = text.replacen("2026-09-02,4,", "2026-09-02,11,", 1);
    std::fs::write(&journal, text).unwrap();
    let out = dir.path().join("out");
    let (code, _, stderr) = run_analyze(&out, &["--journal", journal.to_str().unwrap()]);
    assert_eq!(code, 3, "a left-out journal row means exit code 3");
    assert!(
        stderr.contains("line 4, column 2 (soreness): \"11\" is outside 0–10"),
        "{stderr}"
    );
    assert!(
        stderr.contains("(64 days used, 1 rows left out)"),
        "{stderr}"
    );
    assert!(out.join("days.csv").is_file());
}

#[test]
fn the_audit_command_writes_audit_csv_and_prints_the_top_findings() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::cargo_bin("recovery")
        .unwrap()
        .arg("audit")
        .arg(sample())
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("audit: 9 findings"), "{stdout}");
    assert_eq!(
        stdout.matches("  ! ").count(),
        3,
        "three most important findings"
    );
    assert!(dir.path().join("audit.csv").is_file());
    assert!(
        !dir.path().join("days.csv").exists(),
        "audit writes only audit.csv"
    );
}

#[test]
fn an_unwritable_out_folder_fails_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let (code, _, stderr) = run_analyze(&file.join("reports"), &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("choose another with --out"), "{stderr}");
    assert!(!stderr.contains("files:"), "nothing was read: {stderr}");
}

/// Decodes a PNG and returns (width, height, distinct colours, share of pixels that
/// differ from the top-left background pixel in the middle of the image).
fn png_stats(path: &Path) -> (u32, u32, usize, f64) {
    let decoder = png::Decoder::new(std::fs::File::open(path).expect("png exists"));
    let mut reader = decoder.read_info().expect("valid PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("valid PNG data");
    let channels = info.color_type.samples();
    let px = |x: u32, y: u32| {
        let i = ((y * info.width + x) as usize) * channels;
        buf[i..i + 3].to_vec()
    };
    let background = px(0, 0);
    let mut colours = std::collections::BTreeSet::new();
    let (mut differ, mut total) = (0usize, 0usize);
    for y in (0..info.height).step_by(2) {
        for x in (0..info.width).step_by(2) {
            let p = px(x, y);
            let inside = x > info.width / 8
                && x < info.width * 7 / 8
                && y > info.height / 6
                && y < info.height * 5 / 6;
            if inside {
                total += 1;
                if p != background {
                    differ += 1;
                }
            }
            colours.insert(p);
        }
    }
    (
        info.width,
        info.height,
        colours.len(),
        differ as f64 / total as f64,
    )
}

#[test]
fn every_chart_is_a_png_of_the_requested_size_and_not_blank() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run_analyze(dir.path(), &["--size", "1200x700"]);
    assert_eq!(code, 0, "{stderr}");
    let mut charts: Vec<PathBuf> = [
        "recovery_trend.png",
        "zones.png",
        "easy_days.png",
        "soreness_after_hard.png",
        "correlations.png",
        "plan.png",
    ]
    .iter()
    .map(|f| dir.path().join(f))
    .collect();
    let sessions: Vec<PathBuf> = std::fs::read_dir(dir.path().join("sessions"))
        .expect("flagged sessions have charts")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(sessions.len(), 6, "one chart per flagged session: {stdout}");
    assert!(dir.path().join("sessions/2026-09-17_running.png").is_file());
    charts.extend(sessions);
    for c in &charts {
        let (w, h, colours, differ) = png_stats(c);
        assert_eq!((w, h), (1200, 700), "{}", c.display());
        assert!(colours >= 8, "{}: only {colours} colours", c.display());
        assert!(
            differ > 0.03,
            "{}: plot area nearly empty ({differ:.3})",
            c.display()
        );
    }
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    for c in &charts {
        let rel = c
            .strip_prefix(dir.path())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            summary.contains(&format!("]({rel})")),
            "summary shows {rel}"
        );
    }
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(html.contains("<img src=\"recovery_trend.png\""));
}

#[test]
fn charts_are_byte_identical_between_runs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    run_analyze(a.path(), &["--size", "800x450"]);
    run_analyze(b.path(), &["--size", "800x450"]);
    for f in [
        "recovery_trend.png",
        "zones.png",
        "correlations.png",
        "sessions/2026-10-12_running.png",
    ] {
        assert!(
            std::fs::read(a.path().join(f)).unwrap() == std::fs::read(b.path().join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn without_a_journal_the_soreness_charts_are_not_drawn_and_the_summary_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = Command::cargo_bin("recovery")
        .unwrap()
        .arg("analyze")
        .arg(sample().join("activities"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!out.join("soreness_after_hard.png").exists());
    assert!(!out.join("correlations.png").exists());
    assert!(out.join("recovery_trend.png").is_file() && out.join("zones.png").is_file());
    let summary = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(
        summary.contains("Not drawn: no soreness was logged (give a journal with --journal)."),
        "{summary}"
    );
    assert!(
        summary.contains("Journal: none (give --journal FILE"),
        "{summary}"
    );
}
