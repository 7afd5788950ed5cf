//! `recovery team` on a generated team: a folder athlete with a journal, a zip athlete with
//! a journal inside, one without a journal whose name is not safe as a partition value, an
//! empty folder and a folder without activities. Also: the Parquet files round-trip to the
//! CSV values with the documented types.

use crate::common::csv_rows;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use polars::prelude::*;
use recovery::report::tables::cell_text;

/// The name with `=`, a space and `%`: shown unchanged, written encoded in the dataset.
const ODD: &str = "cara lee=1%";

/// The generated sample athlete's FIT files and journal, generated once per test binary.
fn generated() -> &'static (PathBuf, Vec<PathBuf>) {
    static GEN: std::sync::OnceLock<(PathBuf, Vec<PathBuf>)> = std::sync::OnceLock::new();
    GEN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        samplegen::generate(&dir).expect("sample generates");
        let mut fits: Vec<PathBuf> = std::fs::read_dir(dir.join("activities"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        fits.sort();
        (dir, fits)
    })
}

/// Writes the team into `team/` and returns its path.
fn make_team(root: &Path) -> PathBuf {
    let (gen, fits) = generated();
    let team = root.join("team");
    // anna: a folder with every activity and the journal.
    let anna = team.join("anna");
    std::fs::create_dir_all(anna.join("activities")).unwrap();
    for f in fits {
        std::fs::copy(f, anna.join("activities").join(f.file_name().unwrap())).unwrap();
    }
    std::fs::copy(gen.join("journal.csv"), anna.join("journal.csv")).unwrap();
    // ben: a zip of the first 30 activities with the journal inside, and his own HRmax.
    let file = std::fs::File::create(team.join("ben.zip")).unwrap();
    let mut z = ::zip::ZipWriter::new(file);
    let opts = ::zip::write::SimpleFileOptions::default();
    for f in &fits[..30] {
        z.start_file(
            format!("export/{}", f.file_name().unwrap().to_string_lossy()),
            opts,
        )
        .unwrap();
        z.write_all(&std::fs::read(f).unwrap()).unwrap();
    }
    z.start_file("journal.csv", opts).unwrap();
    z.write_all(&std::fs::read(gen.join("journal.csv")).unwrap())
        .unwrap();
    z.start_file("recovery.toml", opts).unwrap();
    z.write_all(b"hr_max = 188\n").unwrap();
    z.finish().unwrap();
    // cara lee=1%: the last 25 activities, no journal.
    let cara = team.join(ODD);
    std::fs::create_dir_all(&cara).unwrap();
    for f in &fits[fits.len() - 25..] {
        std::fs::copy(f, cara.join(f.file_name().unwrap())).unwrap();
    }
    // dan: empty; eve: notes only.
    std::fs::create_dir_all(team.join("dan")).unwrap();
    std::fs::create_dir_all(team.join("eve")).unwrap();
    std::fs::write(team.join("eve").join("notes.txt"), "not a watch export").unwrap();
    // The team's defaults.
    std::fs::write(team.join("recovery.toml"), "hr_rest = 52\n").unwrap();
    team
}

fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    crate::common::output(crate::common::bin().args(args))
}

fn read_parquet(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every cell of the Parquet file, as text, equals the CSV's cell; the dtypes are the
/// documented ones.
fn assert_parquet_matches_csv(parquet: &Path, csv: &Path) {
    let df = read_parquet(parquet);
    let rows = csv_rows(csv);
    assert_eq!(df.height(), rows.len(), "{}", parquet.display());
    let header: Vec<String> = csv::Reader::from_path(csv)
        .unwrap()
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(names, header);
    for col in df.columns() {
        let name = col.name().as_str();
        let want = match name {
            "date" | "local_date" | "week_start" => Some(DataType::Date),
            "start_utc" => Some(DataType::Datetime(
                TimeUnit::Microseconds,
                Some(TimeZone::UTC),
            )),
            "file" | "class" | "reason" | "rule" | "severity" | "found" | "todo" => {
                Some(DataType::String)
            }
            n if n.ends_with("_min") || n == "load" || n == "trimp" || n.ends_with("_h") => {
                Some(DataType::Float64)
            }
            "hours" | "timer_h" | "acute" | "chronic" | "sleep_hours" => Some(DataType::Float64),
            "sessions" | "days" => Some(DataType::Int64),
            _ => None,
        };
        if let Some(want) = want {
            assert_eq!(col.dtype(), &want, "{} {name}", parquet.display());
        }
        for (r, row) in rows.iter().enumerate() {
            let cell = cell_text(&col.get(r).unwrap());
            assert_eq!(cell, row[name], "{} row {r} {name}", parquet.display());
            if row[name].is_empty() {
                assert!(col.get(r).unwrap().is_null(), "{name}: empty is null");
            }
        }
        if col.dtype() == &DataType::Float64 {
            let nan = col.f64().unwrap().iter().flatten().any(f64::is_nan);
            assert!(!nan, "{name} holds NaN");
        }
    }
}

#[test]
fn a_team_of_a_folder_a_zip_and_an_athlete_without_a_journal_is_analysed() {
    let root = tempfile::tempdir().unwrap();
    let team = make_team(root.path());
    let out = root.path().join("out");
    // A partition from an earlier run, when dan still had data.
    let stale = out.join("dataset/days/athlete=dan");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("part-0.parquet"), b"old").unwrap();
    let (code, stdout, stderr) = run(&[
        "team".as_ref(),
        team.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(!stale.exists(), "dan's old partition is removed");
    // Two athletes could not be analysed: finished, with skips.
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    assert!(stdout.contains("3 of 5 athletes analysed"), "{stdout}");
    assert!(
        stderr.contains("dan: not analysed: empty folder"),
        "{stderr}"
    );
    assert!(
        stderr.contains("eve: not analysed: no activities"),
        "{stderr}"
    );
    assert!(stderr.contains("ben: journal: "), "{stderr}");
    assert!(
        stderr.contains(&format!("{ODD}: journal: none")),
        "{stderr}"
    );

    let rows = csv_rows(&out.join("team.csv"));
    let by: BTreeMap<&str, &BTreeMap<String, String>> =
        rows.iter().map(|r| (r["athlete"].as_str(), r)).collect();
    assert_eq!(
        by.keys().copied().collect::<Vec<_>>(),
        vec!["anna", "ben", ODD, "dan", "eve"]
    );
    for name in ["anna", "ben", ODD] {
        let r = by[name];
        assert_eq!(r["status"], "ok");
        let sessions = csv_rows(&out.join(name).join("sessions.csv"));
        assert_eq!(r["sessions"], sessions.len().to_string(), "{name}");
        let days = csv_rows(&out.join(name).join("days.csv"));
        assert_eq!(r["first_day"], days[0]["date"]);
        assert_eq!(r["last_day"], days.last().unwrap()["date"]);
        assert_eq!(r["acute"], days.last().unwrap()["acute"]);
        assert!(
            ["rest", "active_recovery", "easy", "hard_ok"].contains(&r["recommendation"].as_str()),
            "{r:?}"
        );
        assert!(!r["reason"].is_empty());
        // The recommendation is the athlete's own `today`.
        let today = Command::cargo_bin("recovery")
            .unwrap()
            .args([
                "today".as_ref(),
                team.join(name).as_os_str(),
                "--config".as_ref(),
                team.join("recovery.toml").as_os_str(),
                "--format".as_ref(),
                "json".as_ref(),
                // The team's rows answer for the day after each athlete's data.
                "--date".as_ref(),
                r["advice_for"].as_ref(),
            ])
            .output()
            .unwrap();
        if name != "ben" {
            let answer: serde_json::Value = serde_json::from_slice(&today.stdout).unwrap();
            assert_eq!(
                answer["recommendation"],
                r["recommendation"].as_str(),
                "{name}"
            );
        }
    }
    assert_eq!(by["anna"]["sessions"], "55");
    assert!(by["anna"]["last_soreness"].parse::<f64>().is_ok());
    assert!(!by["anna"]["soreness_trend"].is_empty());
    assert_eq!(by[ODD]["last_soreness"], "", "no journal, no soreness");
    assert!(by["dan"]["status"].contains("empty folder"));
    assert!(by["eve"]["status"].starts_with("no activities"));
    assert_eq!(by["dan"]["sessions"], "");

    // team.md and index.html: who should rest first, then links into each report.
    let md = std::fs::read_to_string(out.join("team.md")).unwrap();
    assert!(md.find("## Who should rest today").unwrap() < md.find("## Athletes").unwrap());
    assert!(md.contains("[anna](anna/index.html)"), "{md}");
    assert!(
        md.contains("[cara lee=1%](cara%20lee%3D1%25/index.html)"),
        "{md}"
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("<a href=\"ben/index.html\">ben</a>"),
        "{html}"
    );
    assert!(html.contains("team_load.png"));
    let png = std::fs::read(out.join("team_load.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));

    // The dataset: Hive-partitioned, the name encoded, same values as each athlete's CSV.
    for table in ["sessions", "days", "weeks", "audit"] {
        let mut parts: Vec<String> = std::fs::read_dir(out.join("dataset").join(table))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        parts.sort();
        assert_eq!(
            parts,
            vec!["athlete=anna", "athlete=ben", "athlete=cara%20lee%3D1%25"],
            "{table}"
        );
        for (name, part) in [("anna", "anna"), ("ben", "ben"), (ODD, "cara%20lee%3D1%25")] {
            let file = out
                .join("dataset")
                .join(table)
                .join(format!("athlete={part}"))
                .join("part-0.parquet");
            assert_parquet_matches_csv(&file, &out.join(name).join(format!("{table}.csv")));
        }
    }
    // Nothing half-written is left behind.
    let leftovers: Vec<_> = walk(&out)
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // <athlete>/ is exactly what `analyze` writes for that athlete alone.
    let alone = root.path().join("alone");
    let (code, _, stderr) = run(&[
        "analyze".as_ref(),
        team.join("anna").as_os_str(),
        "--config".as_ref(),
        team.join("recovery.toml").as_os_str(),
        "--out".as_ref(),
        alone.as_os_str(),
        "--quiet".as_ref(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let names = |d: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&alone), names(&out.join("anna")));
    for f in names(&alone)
        .iter()
        .filter(|f| f.ends_with(".csv") || f.ends_with(".parquet"))
    {
        assert_eq!(
            std::fs::read(alone.join(f)).unwrap(),
            std::fs::read(out.join("anna").join(f)).unwrap(),
            "{f}"
        );
    }
    for table in ["sessions", "days", "weeks", "audit"] {
        assert_parquet_matches_csv(
            &alone.join(format!("{table}.parquet")),
            &alone.join(format!("{table}.csv")),
        );
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

#[test]
fn a_folder_and_a_zip_with_the_same_name_is_an_error_naming_both() {
    let root = tempfile::tempdir().unwrap();
    let team = root.path().join("team");
    std::fs::create_dir_all(team.join("anna")).unwrap();
    std::fs::write(
        team.join("anna.zip"),
        b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    )
    .unwrap();
    let out = root.path().join("out");
    let (code, _, stderr) = run(&[
        "team".as_ref(),
        team.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("two athletes are named \"anna\""),
        "{stderr}"
    );
    assert!(stderr.contains(&team.join("anna.zip").display().to_string()));
    assert!(!out.join("team.csv").exists());
}
