//! The seed inputs of each fuzz target, gathered from the repository (`sample_data/`,
//! `tests/data/`) and, where present, the real FIT corpus beside it
//! (`../shared/fit-corpus`), plus a few small inputs written here. Nothing is copied into
//! the repository: `fuzz/run.sh` writes them to the campaign's folder under `target/`,
//! and the replay test reads them in memory.
//!
//! Shared like `checks.rs`: the root's `tests/it/fuzz_regressions.rs` includes it by path.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

/// The targets, as `fuzz/run.sh` names them.
pub const TARGETS: &[&str] = &["fit", "zip", "xml", "journal", "config"];

/// Seeds larger than this are left out: AFL++ mutates small inputs far faster.
const MAX_SEED_BYTES: usize = 64 * 1024;

/// The seeds of `target` (a name and the bytes), for the repository at `root`; with
/// `corpus`, also from the real FIT corpus when it is there.
pub fn seeds(root: &Path, target: &str, corpus: bool) -> Vec<(String, Vec<u8>)> {
    let mut out = match target {
        "fit" => fit_seeds(root, corpus),
        "zip" => zip_seeds(root),
        "xml" => xml_seeds(root),
        "journal" => journal_seeds(root),
        "config" => config_seeds(),
        _ => Vec::new(),
    };
    out.retain(|(_, b)| b.len() <= MAX_SEED_BYTES);
    out
}

/// Files under `dir` (recursively) whose lower-case name ends with one of `exts`, sorted.
fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let name = path.to_string_lossy().to_ascii_lowercase();
            if path.is_dir() {
                todo.push(path);
            } else if exts.iter().any(|x| name.ends_with(x)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn read_all(paths: Vec<PathBuf>, root: &Path) -> Vec<(String, Vec<u8>)> {
    paths
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let name = p.strip_prefix(root).unwrap_or(&p).display().to_string();
            Some((name, bytes))
        })
        .collect()
}

/// The members of a zip whose names end with one of `exts`.
fn members(zip_path: &Path, exts: &[&str]) -> Vec<(String, Vec<u8>)> {
    let Ok(bytes) = std::fs::read(zip_path) else {
        return Vec::new();
    };
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            continue;
        };
        let name = entry.name().unwrap_or_default().to_string();
        if !exts.iter().any(|x| name.to_ascii_lowercase().ends_with(x)) {
            continue;
        }
        let mut buf = Vec::new();
        if entry.read_to_end(&mut buf).is_ok() {
            out.push((format!("{}/{name}", zip_path.display()), buf));
        }
    }
    out
}

fn fit_seeds(root: &Path, corpus: bool) -> Vec<(String, Vec<u8>)> {
    let mut out = read_all(files(&root.join("sample_data/activities"), &[".fit"]), root);
    let shared = root.join("../shared/fit-corpus");
    if corpus && shared.is_dir() {
        out.extend(read_all(files(&shared, &[".fit"]), &shared));
    }
    out
}

/// Small zips of the sample files: one FIT deflated, one stored, a GPX and a TCX, a zip
/// inside a zip, an empty zip, a Strava-style `.fit.gz`.
fn zip_seeds(root: &Path) -> Vec<(String, Vec<u8>)> {
    let fits = files(&root.join("sample_data/activities"), &[".fit"]);
    let smallest = fits
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .min_by_key(Vec::len)
        .unwrap_or_default();
    let xml = files(&root.join("tests/data"), &[".gpx", ".tcx"]);
    let first_xml = |ext: &str| {
        xml.iter()
            .find(|p| p.to_string_lossy().ends_with(ext))
            .and_then(|p| std::fs::read(p).ok())
            .unwrap_or_default()
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&smallest).expect("gzip to memory");
    let gz = gz.finish().expect("gzip to memory");
    let inner = zip_of(&[("run.fit", &smallest)], true);
    vec![
        ("deflated_fit.zip".into(), zip_of(&[("a/run.fit", &smallest)], true)),
        ("stored_fit.zip".into(), zip_of(&[("run.fit", &smallest)], false)),
        (
            "xml.zip".into(),
            zip_of(&[("a.gpx", &first_xml(".gpx")), ("b.tcx", &first_xml(".tcx"))], true),
        ),
        (
            "nested.zip".into(),
            zip_of(&[("UploadedFiles_0-_Part1.zip", &inner)], false),
        ),
        ("empty.zip".into(), zip_of(&[], true)),
        (
            "strava.zip".into(),
            zip_of(
                &[
                    ("activities.csv", b"Activity ID,Activity Date,Activity Name,Activity Type,Filename\n1,\"Nov 1, 2026, 7:00:00 AM\",Run,Run,activities/1.fit.gz\n"),
                    ("activities/1.fit.gz", &gz),
                ],
                true,
            ),
        ),
    ]
}

/// A zip of `files`, deflated or stored.
pub fn zip_of(files: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in files {
        z.start_file(*name, opts)
            .expect("a zip in memory takes a file");
        z.write_all(bytes).expect("writing to memory");
    }
    z.finish().expect("a zip in memory finishes");
    buf.into_inner()
}

fn xml_seeds(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = read_all(files(&root.join("tests/data"), &[".gpx", ".tcx"]), root);
    out.extend(members(
        &root.join("sample_data/strava_export.zip"),
        &[".gpx", ".tcx"],
    ));
    for (name, xml) in members(
        &root.join("sample_data/apple_health_export.zip"),
        &["export.xml"],
    ) {
        out.push((format!("{name} (cut)"), apple_cut(&xml, true)));
        out.push((format!("{name} (cut, no DTD)"), apple_cut(&xml, false)));
    }
    out
}

/// A few lines of each kind from an Apple Health `export.xml` (the sample's is 1.5 MB):
/// the prologue (with or without its inline DTD), the `ExportDate` and `Me` lines, a few
/// sleep, resting-HR and SDNN records, the heart-rate records of the first workout with
/// pause events and that workout, closed.
fn apple_cut(xml: &[u8], dtd: bool) -> Vec<u8> {
    let text = String::from_utf8_lossy(xml);
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<&str> = Vec::new();
    let mut in_dtd = false;
    for line in &lines {
        if line.starts_with("<!DOCTYPE") {
            in_dtd = true;
        }
        if !in_dtd || dtd {
            out.push(line);
        }
        if in_dtd && line.starts_with("]>") {
            in_dtd = false;
        }
        if line.contains("<Me ") {
            break;
        }
    }
    // The first workout with a pause, and the day-hour its pause is in.
    let start = lines.iter().position(|l| l.contains("<WorkoutEvent"));
    let workout = start.map(|i| {
        let first = (0..i)
            .rev()
            .find(|&j| lines[j].contains("<Workout "))
            .unwrap_or(i);
        let last = (i..lines.len())
            .find(|&j| lines[j].contains("</Workout>"))
            .unwrap_or(i);
        &lines[first..=last]
    });
    let hour = workout
        .and_then(|w| w.iter().find(|l| l.contains("<WorkoutEvent")))
        .and_then(|l| l.split("date=\"").nth(1))
        .map(|d| &d[..d.len().min(15)]);
    let mut quota = [
        ("SleepAnalysis", 6),
        ("RestingHeartRate", 2),
        ("VariabilitySDNN", 2),
    ];
    let mut hr = 0;
    for line in &lines {
        if !line.contains("<Record ") {
            continue;
        }
        if let Some((_, left)) = quota.iter_mut().find(|(kind, _)| line.contains(kind)) {
            if *left > 0 {
                *left -= 1;
                out.push(line);
            }
        } else if line.contains("HeartRate\"") && hour.is_some_and(|h| line.contains(h)) && hr < 20
        {
            hr += 1;
            out.push(line);
        }
    }
    out.extend(workout.unwrap_or_default());
    out.push("</HealthData>");
    let mut bytes = out.join("\n").into_bytes();
    bytes.push(b'\n');
    bytes
}

fn journal_seeds(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = read_all(vec![root.join("sample_data/journal.csv")], root);
    out.push((
        "all_columns.csv".into(),
        b"date,soreness,sleep_hours,sleep_quality,resting_hr,hrv_ms,planned,notes\n\
2026-03-02,3,7.5,4,52,65,easy,\"legs, a bit\"\n2026-03-03,11,7:30,6,20,0,race,\n\n\
2026-03-02;4\n"
            .to_vec(),
    ));
    out
}

fn config_seeds() -> Vec<(String, Vec<u8>)> {
    let full = r#"band = "120-140"
hr_max = 190
hr_rest = 52
sex = "female"
tz = "Europe/Berlin"
keep_duplicates = true

[classify]
min_hr_coverage = 0.5
hard_above_min = 20

[rules]
sore = 5
very_sore = 7
doms_days = 3
streak_days = 7

[report]
session_charts = "all"

[today]
sore_rest = 7
"#;
    vec![
        ("full.toml".into(), full.as_bytes().to_vec()),
        (
            "auto.toml".into(),
            b"band = \"auto\"\n[audit]\nsore_persist_days = 3\n".to_vec(),
        ),
    ]
}
