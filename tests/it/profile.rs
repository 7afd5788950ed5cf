//! The athlete's own physiology, never silent: HRrest measured from the mornings, the sex
//! weighting named, `--band auto` scaled to the heart-rate reserve, and bad profile input
//! refused with one line and exit 2.

use crate::common::{bin, output, sample};

#[test]
fn hr_rest_comes_from_the_journal_and_the_load_line_names_every_source() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = output(
        bin()
            .arg("analyze")
            .arg(sample())
            .arg("-q")
            .arg("--out")
            .arg(dir.path()),
    );
    assert_eq!(code, 0, "{err}");
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    let line = summary
        .lines()
        .find(|l| l.contains("Load is Banister TRIMP"))
        .expect("a load line");
    // The sample journal's last 28 mornings: median 50 bpm, not the default 60.
    assert!(
        line.contains(
            "HRrest 50 bpm (the median resting HR of the last 28 days of data: 27 mornings"
        ),
        "{line}"
    );
    assert!(line.contains("HRmax 179 bpm (estimated"), "{line}");
    assert!(
        line.contains("male weighting 0.64·e^1.92x (the default: set sex"),
        "{line}"
    );
}

#[test]
fn today_names_the_defaults_it_rests_on_and_a_configured_sex_is_not_one() {
    let run = |extra: &[&str]| {
        output(
            bin()
                .arg("today")
                .arg(sample())
                .args(["-q", "--date", "2026-10-20"])
                .args(extra),
        )
    };
    let (code, out, _) = run(&[]);
    assert_eq!(code, 0);
    assert!(
        out.contains("missing: no sex set: loads use Banister's male weighting"),
        "{out}"
    );
    assert!(
        !out.contains("no resting heart rate set or logged"),
        "{out}"
    );
    let (code, out, _) = run(&["--sex", "female", "--hr-max", "185"]);
    assert_eq!(code, 0);
    assert!(!out.contains("no sex set"), "{out}");
    assert!(!out.contains("no HRmax set"), "{out}");
}

#[test]
fn band_auto_scales_120_to_140_to_the_athletes_reserve_and_prints_it() {
    let (code, out, err) = output(bin().arg("today").arg(sample()).args([
        "-q",
        "--date",
        "2026-10-20",
        "--band",
        "auto",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    // HRmax 179 (estimated), HRrest 50 (measured): 50 + 129 × (60/130, 80/130) = 110–129.
    let a: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(a["band"], "110-129");
    assert!(
        err.contains("band: 110–129 bpm (auto: 120–140 bpm scaled to your heart-rate reserve (Karvonen) from HRmax 179 and HRrest 50)"),
        "{err}"
    );
    // The default stays 120–140.
    let (_, out, _) = output(bin().arg("today").arg(sample()).args([
        "-q",
        "--date",
        "2026-10-20",
        "--format",
        "json",
    ]));
    let a: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(a["band"], "120-140");
}

#[test]
fn band_auto_without_any_heart_rate_is_a_usage_error_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let gpx = dir.path().join("walk.gpx");
    std::fs::write(
        &gpx,
        r#"<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><type>walking</type><trkseg>
<trkpt lat="52.5" lon="13.4"><time>2026-03-02T07:00:00Z</time></trkpt>
<trkpt lat="52.5001" lon="13.4001"><time>2026-03-02T07:30:00Z</time></trkpt>
</trkseg></trk></gpx>"#,
    )
    .unwrap();
    let (code, _, err) = output(
        bin()
            .arg("sessions")
            .arg(&gpx)
            .args(["-q", "--band", "auto"]),
    );
    assert_eq!(code, 2, "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].contains("--band auto needs heart rate"), "{err}");
}

#[test]
fn an_unknown_sex_is_a_usage_error_naming_the_flag() {
    let (code, _, err) = output(
        bin()
            .arg("today")
            .arg(sample())
            .args(["-q", "--sex", "other"]),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--sex \"other\": expected male or female"),
        "{err}"
    );
}
