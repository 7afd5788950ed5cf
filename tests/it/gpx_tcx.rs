//! GPX and TCX activities: the hand-written fixtures in `tests/data/` (their expected
//! figures are in `tests/data/README.md`), a Strava-style archive joining names and
//! sports to `.gpx.gz`/`.tcx.gz`, hostile XML, and real FIT files from the corpus converted
//! to GPX and TCX here, which must give the same figures as the FIT reading.

use crate::common::corpus;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use recovery::ingest::{read_activity, Decoder, FileRead, Verdict};
use recovery::session::{Session, SourceFormat};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Runs `recovery sessions --format csv ARGS`: (exit code, rows, stderr).
fn sessions(args: &[&std::ffi::OsStr]) -> (i32, Vec<BTreeMap<String, String>>, String) {
    let out = Command::cargo_bin("recovery")
        .expect("binary builds")
        .env("TZ", "UTC")
        .args(["sessions", "--format", "csv"])
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut r = csv::Reader::from_reader(stdout.as_bytes());
    let headers = r.headers().cloned().unwrap_or_default();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.expect("csv row");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect();
    (
        out.status.code().unwrap_or(-1),
        rows,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

fn zip_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            z.start_file(*name, opts).expect("zip entry");
            z.write_all(bytes).expect("zip write");
        }
        z.finish().expect("zip finish");
    }
    buf.into_inner()
}

/// Each fixture's sessions as `file session sport timer elapsed hr_s below in above pauses
/// product name` — the same table as `tests/data/README.md`.
const FIXTURES: &[&str] = &[
    "gpx11-gpxtpx.gpx 0 running 120 120 120 0.67 0.83 0.5 0 |Garmin Connect|Lunch Run",
    "gpx11-ns3-two-segments.gpx 0 - 100 170 100 0 0.83 0.83 1 |StravaGPX iPhone|Morning Ride",
    "gpx10-tp1-two-tracks.gpx 0 running 30 30 30 0 0.5 0 0 |an old logger|Evening Run",
    "gpx10-tp1-two-tracks.gpx 1 walking 150 150 60 1 0 0 0 |an old logger|Cool-down Walk",
    "tcx-two-activities.tcx 0 running 110 170 110 0 1.17 0.67 1 |Forerunner 310XT|",
    "tcx-two-activities.tcx 1 cycling 60 60 60 1 0 0 0 ||",
    "tcx-prefixed.tcx 0 generic 40 40 40 0 0.67 0 0 ||",
];

fn row_line(r: &BTreeMap<String, String>) -> String {
    let file = r["file"].rsplit('/').next().unwrap_or_default().to_string();
    let sport = if r["sport"].is_empty() {
        "-"
    } else {
        &r["sport"]
    };
    format!(
        "{file} {} {sport} {} {} {} {} {} {} {} |{}|{}",
        r["session"],
        r["timer_s"],
        r["elapsed_s"],
        r["hr_s"],
        r["below_min"],
        r["in_min"],
        r["above_min"],
        r["pauses"],
        r["product"],
        r["name"]
    )
}

#[test]
fn every_fixture_gives_the_figures_stated_beside_it() {
    let dir = data("");
    let (code, rows, err) = sessions(&[dir.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains(": unreadable") && !err.contains(": damaged"),
        "{err}"
    );
    let mut got: Vec<String> = rows.iter().map(row_line).collect();
    got.sort();
    let mut want: Vec<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn gpx_times_are_utc_and_the_local_date_follows_tz() {
    // 22:30 UTC on 6 May is 00:30 on 7 May in Berlin (summer time).
    let f = data("gpx10-tp1-two-tracks.gpx");
    let out = Command::cargo_bin("recovery")
        .expect("binary builds")
        .env("TZ", "America/New_York")
        .args(["sessions", "--format", "csv", "--tz", "Europe/Berlin"])
        .arg(&f)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().nth(1).expect("a session");
    assert!(
        first.contains("2026-05-06T22:30:00Z,2026-05-07,") && first.contains(",tz_flag,"),
        "{first}"
    );
    // Without --tz the machine's zone is never used: the track's first point, in Madrid
    // (also UTC+2 in May), dates it (issue 32; it was the UTC date before).
    let (_, rows, _) = sessions(&[f.as_os_str()]);
    assert_eq!(rows[0]["local_date"], "2026-05-07");
    assert_eq!(rows[0]["local_date_from"], "position");
}

#[test]
fn a_strava_archive_of_gpx_gz_and_tcx_gz_takes_names_and_sports_from_activities_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n\
               101,\"May 5, 2026, 6:30:00 AM\",Commute home,Ride,activities/101.gpx.gz\n\
               102,\"May 7, 2026, 5:00:00 PM\",Track Tuesday,Run,activities/102.tcx.gz\n";
    let read = |n: &str| std::fs::read(data(n)).expect("fixture");
    let archive = zip_of(&[
        ("activities.csv", csv.as_bytes().to_vec()),
        (
            "activities/101.gpx.gz",
            gz(&read("gpx11-ns3-two-segments.gpx")),
        ),
        ("activities/102.tcx.gz", gz(&read("tcx-two-activities.tcx"))),
        ("activities/103.gpx", read("gpx11-gpxtpx.gpx")),
        ("media/photo.jpg", b"\xff\xd8\xff\xe0 not a track".to_vec()),
    ]);
    let z = dir.path().join("export_12345.zip");
    std::fs::write(&z, archive).expect("write zip");
    let (code, rows, err) = sessions(&[z.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    let by_file: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            let f = r["file"].rsplit('/').next().unwrap_or_default().to_string();
            (f, r["sport"].clone(), r["name"].clone())
        })
        .collect();
    assert_eq!(
        by_file,
        vec![
            ("103.gpx".into(), "running".into(), "Lunch Run".into()),
            ("101.gpx.gz".into(), "cycling".into(), "Commute home".into()),
            (
                "102.tcx.gz".into(),
                "running".into(),
                "Track Tuesday".into()
            ),
            (
                "102.tcx.gz".into(),
                "cycling".into(),
                "Track Tuesday".into()
            ),
        ],
        "the list's type fills only an unknown sport; its name wins"
    );
}

#[test]
fn a_gpx_track_is_charted_from_its_points() {
    let f = data("gpx11-ns3-two-segments.gpx");
    let label = f.to_string_lossy().into_owned();
    let bytes = std::fs::read(&f).expect("fixture");
    let read = read_activity(&label, &bytes, None, Decoder::Fast);
    let s = read.sessions[0].hr_records.series();
    // Twelve points and one break for the 70 s between the segments.
    assert_eq!(s.samples.len(), 13);
    assert_eq!(s.samples.first(), Some(&(0.0, Some(125.0))));
    assert_eq!(s.samples[6], (2.0, None));
    assert_eq!(s.pauses, vec![(50.0 / 60.0, 2.0)]);
}

// ---------------------------------------------------------------------------------------
// Hostile and broken XML: each file makes one line naming it, and the batch goes on.

const GOOD: &str = "gpx11-gpxtpx.gpx";

fn hostile_files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let gpx = std::fs::read(data("gpx11-ns3-two-segments.gpx")).expect("fixture");
    let tcx = std::fs::read_to_string(data("tcx-two-activities.tcx")).expect("fixture");
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE gpx [\n<!ENTITY lol \"lol\">\n\
        <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n\
        <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n\
        <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n\
        <gpx version=\"1.1\"><trk><name>&lol3;</name><trkseg><trkpt lat=\"1\" lon=\"1\">\
        <time>2026-05-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>";
    let xxe = |target: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE gpx [<!ENTITY xxe SYSTEM \"{target}\">]>\n\
             <gpx version=\"1.1\"><trk><name>&xxe;</name><trkseg><trkpt lat=\"1\" lon=\"1\">\
             <time>2026-05-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>"
        )
    };
    let untimed = "<gpx version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><trkseg>\
        <trkpt lat=\"1\" lon=\"1\"><ele>3</ele></trkpt><trkpt lat=\"1\" lon=\"2\"><ele>4</ele></trkpt>\
        </trkseg></trk></gpx>";
    vec![
        (
            "cut-short.gpx",
            gpx[..gpx.len() * 2 / 3].to_vec(),
            "damaged",
        ),
        ("no-times.gpx", untimed.as_bytes().to_vec(), "no time"),
        (
            "hr-word.tcx",
            tcx.replacen("<Value>145</Value>", "<Value>high</Value>", 1)
                .into_bytes(),
            "\"high\"",
        ),
        ("empty.gpx.gz", Vec::new(), "empty"),
        ("laughs.gpx", laughs.as_bytes().to_vec(), "never expanded"),
        (
            "xxe-file.gpx",
            xxe("file:///etc/passwd").into_bytes(),
            "never expanded",
        ),
        (
            "xxe-http.gpx",
            xxe("http://127.0.0.1:9/evil.dtd").into_bytes(),
            "never expanded",
        ),
        (
            "not-xml.tcx",
            b"this is not a training center file".to_vec(),
            "not a FIT, GPX or TCX",
        ),
    ]
}

#[test]
fn hostile_xml_makes_one_line_per_file_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(data(GOOD), dir.path().join(GOOD)).expect("copy");
    let files = hostile_files();
    for (name, bytes, _) in &files {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    }
    let (code, rows, err) = sessions(&[dir.path().as_os_str()]);
    assert_eq!(code, 3, "finished with skips: {err}");
    for (name, _, says) in &files {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name}: one line, got:\n{err}");
        assert!(lines[0].contains(says), "{name}: {}", lines[0]);
    }
    assert!(!err.contains("root:x:0"), "no file content leaks: {err}");
    let files_read: Vec<&str> = rows.iter().map(|r| r["file"].as_str()).collect();
    assert!(
        files_read.iter().any(|f| f.ends_with(GOOD)),
        "{files_read:?}"
    );
    // The cut-short file keeps the points before the cut; the word is a dropout.
    assert!(files_read.iter().any(|f| f.ends_with("cut-short.gpx")));
    assert_eq!(
        files_read
            .iter()
            .filter(|f| f.ends_with("hr-word.tcx"))
            .count(),
        2
    );
    for never in ["laughs.gpx", "xxe-file.gpx", "xxe-http.gpx", "no-times.gpx"] {
        assert!(!files_read.iter().any(|f| f.ends_with(never)), "{never}");
    }
}

#[test]
fn an_external_dtd_is_never_fetched_and_the_track_is_read() {
    let gpx = std::fs::read_to_string(data(GOOD)).expect("fixture");
    let with_dtd = gpx.replacen(
        "<gpx ",
        "<!DOCTYPE gpx SYSTEM \"http://127.0.0.1:9/gpx.dtd\">\n<gpx ",
        1,
    );
    let FileRead {
        verdict,
        sessions: s,
        ..
    } = read_activity("dtd.gpx", with_dtd.as_bytes(), None, Decoder::Fast);
    assert_eq!(verdict, Verdict::Activity);
    assert_eq!(s[0].hr_s(), 120);
}

#[test]
fn a_huge_text_node_or_deep_nesting_does_not_grow_memory_or_panic() {
    let mut doc = String::from("<gpx><trk><name>");
    doc.push_str(&"x".repeat(5_000_000));
    doc.push_str("</name><trkseg>");
    doc.push_str(&"<e>".repeat(10_000));
    let verdict = read_activity("deep.gpx", doc.as_bytes(), None, Decoder::Fast).verdict;
    assert!(
        matches!(verdict, Verdict::Unreadable(ref w) if w.contains("nested")),
        "{verdict:?}"
    );
}

// ---------------------------------------------------------------------------------------
// The same workout as FIT, GPX and TCX: real corpus files converted here.

/// Real recordings with heart rate from several makers (Garmin Edge, Forerunner and fēnix,
/// Wahoo, Suunto, Sigma, Hammerhead, IpBike), with and without pauses (up to 55), one
/// multisport file with five sessions.
const CONVERTED: &[&str] = &[
    "GPSBabel__gpsbabel/wahoo-element-bolt.fit",
    "GoldenCheetah__GoldenCheetah/Move_2020_01_15_19_27_16_Running.fit",
    "GoldenCheetah__GoldenCheetah/SigmaRox11_1.fit",
    "GoldenCheetah__GoldenCheetah/Karoo-Botley_BW_Swanmore_Wickham-2025-05-09-1238.fit",
    "GoldenCheetah__GoldenCheetah/IpBike-HRV-Data.fit",
    "Nick2bad4u__FitFileViewer/17326739450_ACTIVITY.fit",
    "Runalyze__Runalyze/Fenix-2.fit",
    "Runalyze__Runalyze/Standard.fit",
    "Runalyze__Runalyze/Multisession-stop-after-transition.fit",
    "dtcooper__python-fitparse/2019-02-17-062644-ELEMNT-297E-195-0.fit",
    "dtcooper__python-fitparse/garmin-edge-500-activity.fit",
    "comicmuse__fitparser/20260129_day_25_-_testing.fit",
];

/// What the converter takes from a FIT file (read with fitparser, independently of the
/// reader under test).
#[derive(Default)]
pub(crate) struct FitWorkout {
    /// (start, elapsed s, sport name) per session.
    pub(crate) sessions: Vec<(i64, f64, String)>,
    /// (start, timer s) per lap.
    pub(crate) laps: Vec<(i64, f64)>,
    /// (unix time, heart rate).
    pub(crate) records: Vec<(i64, Option<u8>)>,
    /// Timer pauses [stop, start).
    pub(crate) pauses: Vec<(i64, i64)>,
}

pub(crate) fn read_workout(bytes: &[u8]) -> FitWorkout {
    use fitparser::profile::MesgNum;
    use fitparser::Value;
    let mut w = FitWorkout::default();
    let mut events: Vec<(i64, bool)> = Vec::new();
    let time = |v: &Value| match v {
        Value::Timestamp(t) => Some(t.timestamp()),
        _ => None,
    };
    let num = |v: &Value| match *v {
        Value::Float64(x) => Some(x),
        Value::Float32(x) => Some(x as f64),
        Value::UInt32(x) => Some(x as f64),
        _ => None,
    };
    recovery::ingest::fit::reference::decode_records(bytes, |rec| {
        let f = |name: &str| {
            rec.fields()
                .iter()
                .find(|f| f.name() == name)
                .map(|f| f.value())
        };
        match rec.kind() {
            MesgNum::Record => {
                if let Some(t) = f("timestamp").and_then(time) {
                    let hr = match f("heart_rate") {
                        Some(Value::UInt8(h)) => Some(*h),
                        _ => None,
                    };
                    w.records.push((t, hr));
                }
            }
            MesgNum::Event => {
                let is_timer = matches!(f("event"), Some(Value::String(s)) if s == "timer");
                let kind = match f("event_type") {
                    Some(Value::String(s)) => s.clone(),
                    _ => String::new(),
                };
                if let (true, Some(t)) = (is_timer, f("timestamp").and_then(time)) {
                    match kind.as_str() {
                        "start" => events.push((t, true)),
                        "stop" | "stop_all" => events.push((t, false)),
                        _ => {}
                    }
                }
            }
            MesgNum::Session => {
                let start = f("start_time").and_then(time);
                let elapsed = f("total_elapsed_time").and_then(num);
                let sport = match f("sport") {
                    Some(Value::String(s)) => s.clone(),
                    _ => String::new(),
                };
                if let (Some(s), Some(e)) = (start, elapsed) {
                    w.sessions.push((s, e, sport));
                }
            }
            MesgNum::Lap => {
                if let (Some(s), Some(t)) = (
                    f("start_time").and_then(time),
                    f("total_timer_time").and_then(num),
                ) {
                    w.laps.push((s, t));
                }
            }
            _ => {}
        }
    });
    w.records.sort_by_key(|r| r.0);
    events.sort_by_key(|e| e.0);
    let mut stopped: Option<i64> = None;
    for (t, start) in events {
        match (start, stopped) {
            (false, None) => stopped = Some(t),
            (true, Some(s)) => {
                if t > s {
                    w.pauses.push((s, t));
                }
                stopped = None;
            }
            _ => {}
        }
    }
    w
}

fn iso(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .expect("a valid time")
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The session's records as runs between pauses: a point at a stop ends a run, points
/// inside a pause are not recorded, a point at the restart begins the next run.
fn runs(w: &FitWorkout, from: i64, to: i64) -> Vec<Vec<(i64, Option<u8>)>> {
    let mut out: Vec<Vec<(i64, Option<u8>)>> = vec![Vec::new()];
    let mut pauses = w
        .pauses
        .iter()
        .filter(|p| p.1 > from && p.0 < to)
        .peekable();
    for &(t, hr) in w.records.iter().filter(|r| r.0 >= from && r.0 <= to) {
        while let Some(&&(a, b)) = pauses.peek() {
            if t > a {
                if !out.last().expect("one run").is_empty() {
                    out.push(Vec::new());
                }
                if t < b {
                    break;
                }
                pauses.next();
            } else {
                break;
            }
        }
        if pauses.peek().is_some_and(|&&(a, b)| t > a && t < b) {
            continue;
        }
        out.last_mut().expect("one run").push((t, hr));
    }
    out.retain(|r| !r.is_empty());
    out
}

fn window(s: &(i64, f64, String)) -> (i64, i64) {
    (s.0, s.0 + s.1.floor() as i64)
}

pub(crate) fn to_gpx(w: &FitWorkout) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx creator=\"test converter\" version=\"1.1\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\" \
         xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\">\n",
    );
    for s in &w.sessions {
        let (from, to) = window(s);
        let _ = writeln!(x, " <trk><type>{}</type>", s.2);
        for run in runs(w, from, to) {
            x.push_str("  <trkseg>\n");
            for (t, hr) in run {
                let _ = write!(x, "   <trkpt lat=\"0\" lon=\"0\"><time>{}</time>", iso(t));
                if let Some(hr) = hr {
                    let _ = write!(
                        x,
                        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>\
                         </gpxtpx:TrackPointExtension></extensions>"
                    );
                }
                x.push_str("</trkpt>\n");
            }
            x.push_str("  </trkseg>\n");
        }
        x.push_str(" </trk>\n");
    }
    x.push_str("</gpx>\n");
    x
}

pub(crate) fn to_tcx(w: &FitWorkout) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TrainingCenterDatabase \
         xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">\n<Activities>\n",
    );
    for s in &w.sessions {
        let (from, to) = window(s);
        let sport = match s.2.as_str() {
            "running" => "Running",
            "cycling" => "Biking",
            _ => "Other",
        };
        let _ = writeln!(x, "<Activity Sport=\"{sport}\"><Id>{}</Id>", iso(from));
        let mut laps: Vec<(i64, f64)> = w
            .laps
            .iter()
            .copied()
            .filter(|l| l.0 >= from && l.0 <= to)
            .collect();
        if laps.is_empty() {
            laps.push((from, s.1));
        }
        let all = runs(w, from, to);
        for (k, &(lap_start, timer)) in laps.iter().enumerate() {
            let lap_end = laps.get(k + 1).map_or(i64::MAX, |l| l.0);
            let _ = writeln!(
                x,
                "<Lap StartTime=\"{}\"><TotalTimeSeconds>{timer}</TotalTimeSeconds>",
                iso(lap_start)
            );
            for run in &all {
                let inside: Vec<_> = run
                    .iter()
                    .filter(|p| (k == 0 || p.0 >= lap_start) && p.0 < lap_end)
                    .collect();
                if inside.is_empty() {
                    continue;
                }
                x.push_str("<Track>\n");
                for (t, hr) in inside {
                    let _ = write!(x, "<Trackpoint><Time>{}</Time>", iso(*t));
                    if let Some(hr) = hr {
                        let _ = write!(x, "<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>");
                    }
                    x.push_str("</Trackpoint>\n");
                }
                x.push_str("</Track>\n");
            }
            x.push_str("</Lap>\n");
        }
        x.push_str("</Activity>\n");
    }
    x.push_str("</Activities>\n</TrainingCenterDatabase>\n");
    x
}

fn bands(s: &Session) -> [f64; 3] {
    let (b, i, a) = s.hr.split(120, 140);
    [b as f64 / 60.0, i as f64 / 60.0, a as f64 / 60.0]
}

#[test]
fn real_fit_files_converted_to_gpx_and_tcx_give_the_same_band_minutes() {
    let Some(dir) = corpus() else { return };
    let mut checked = 0;
    for rel in CONVERTED {
        let bytes = std::fs::read(dir.join(rel)).expect("corpus file");
        let fit = read_activity(rel, &bytes, None, Decoder::Fast).sessions;
        let w = read_workout(&bytes);
        assert_eq!(
            w.sessions.len(),
            fit.len(),
            "{rel}: converter sees the sessions"
        );
        for (format, doc) in [
            (SourceFormat::Gpx, to_gpx(&w)),
            (SourceFormat::Tcx, to_tcx(&w)),
        ] {
            let FileRead {
                verdict,
                sessions: other,
                ..
            } = read_activity(rel, doc.as_bytes(), None, Decoder::Fast);
            assert_eq!(verdict, Verdict::Activity, "{rel} as {format:?}");
            let fit_hr: Vec<_> = fit.iter().filter(|s| s.hr_s() > 0).collect();
            let other_hr: Vec<_> = other.iter().filter(|s| s.hr_s() > 0).collect();
            assert_eq!(fit_hr.len(), other_hr.len(), "{rel} as {format:?}");
            for (f, o) in fit_hr.iter().zip(&other_hr) {
                assert_eq!(o.format, format);
                let (fb, ob) = (bands(f), bands(o));
                let hr_diff = f.hr_s().abs_diff(o.hr_s());
                eprintln!(
                    "{rel} {format:?} session {}: FIT {:?} hr {} s, pauses {} | converted {:?} hr {} s (diff {hr_diff} s)",
                    f.index, fb, f.hr_s(), f.pauses, ob, o.hr_s()
                );
                let (fs, os) = (f.hr.split(120, 140), o.hr.split(120, 140));
                // Half a minute per band; a file with more timer pauses than that may lose
                // up to a second per pause (see below).
                let band_allowed = 30.max(f.pauses as u64);
                for (k, (a, b)) in [(fs.0, os.0), (fs.1, os.1), (fs.2, os.2)]
                    .iter()
                    .enumerate()
                {
                    assert!(
                        a.abs_diff(*b) <= band_allowed,
                        "{rel} as {format:?}: band {k} {} vs {} min",
                        fb[k],
                        ob[k]
                    );
                }
                if f.pauses == 0 {
                    assert_eq!(
                        f.hr_s(),
                        o.hr_s(),
                        "{rel} as {format:?}: no pauses, same seconds"
                    );
                } else {
                    // Around a pause FIT counts to the stop event and from the restart;
                    // GPX and TCX know only the points: a second or so per pause.
                    let allowed = 30.max(f.pauses as u64);
                    assert!(hr_diff <= allowed, "{rel} as {format:?}: {hr_diff} s apart");
                }
                if ["running", "cycling"].contains(&f.sport.as_str()) {
                    assert_eq!(o.sport, f.sport, "{rel} as {format:?}");
                }
                assert!(
                    (o.start_utc - f.start_utc).num_seconds().abs() <= 60,
                    "{rel}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, CONVERTED.len() * 2);
}

#[test]
fn inspect_shows_a_tcx_files_format_verdict_and_sessions() {
    let out = Command::cargo_bin("recovery")
        .expect("binary builds")
        .arg("inspect")
        .arg(data("tcx-two-activities.tcx"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("format: Tcx"), "{text}");
    assert!(text.contains("verdict: activity, read whole"), "{text}");
    assert!(
        text.contains("session 0: running, start 2026-05-07T17:00:00Z")
            && text.contains("timer 110 s, elapsed 170 s, 1 pause(s)"),
        "{text}"
    );
    assert!(text.contains("session 1: cycling"), "{text}");
}

#[test]
fn a_gzipped_gpx_or_tcx_on_disk_reads_like_the_plain_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["gpx11-gpxtpx.gpx", "tcx-two-activities.tcx"] {
        let bytes = std::fs::read(data(name)).expect("fixture");
        let gz_path = dir.path().join(format!("{name}.gz"));
        std::fs::write(&gz_path, gz(&bytes)).expect("write");
        let (_, plain, _) = sessions(&[data(name).as_os_str()]);
        let (code, zipped, err) = sessions(&[gz_path.as_os_str()]);
        assert_eq!(code, 0, "{err}");
        let strip = |rows: &[BTreeMap<String, String>]| -> Vec<Vec<String>> {
            rows.iter()
                .map(|r| {
                    r.iter()
                        .filter(|(k, _)| *k != "file")
                        .map(|(_, v)| v.clone())
                        .collect()
                })
                .collect()
        };
        assert_eq!(strip(&zipped), strip(&plain), "{name}");
    }
}

// ---------------------------------------------------------------------------------------
// The sample athlete's Strava archive: a few workouts as GPX and TCX beside the watch's FIT.

/// The GPX and TCX members of `sample_data/strava_export.zip`, inflated: (name, bytes).
fn sample_strava_xml() -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let file =
        std::fs::File::open(crate::common::sample().join("strava_export.zip")).expect("archive");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().unwrap_or_default().to_string();
        let plain = name.trim_end_matches(".gz");
        if !(plain.ends_with(".gpx") || plain.ends_with(".tcx")) {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("entry reads");
        if name.ends_with(".gz") {
            let mut inflated = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut inflated)
                .expect("gzip");
            bytes = inflated;
        }
        out.push((name, bytes));
    }
    out
}

#[test]
fn the_sample_strava_archives_gpx_and_tcx_give_the_figures_of_their_fit_twins() {
    let xml = sample_strava_xml();
    let formats: Vec<&str> = xml
        .iter()
        .map(|(n, _)| n.split_once('.').unwrap().1)
        .collect();
    assert_eq!(formats, ["tcx", "tcx.gz", "gpx.gz", "gpx"]);
    let has = |needle: &str| {
        xml.iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains(needle))
    };
    assert!(has("<ns3:hr>") && has("<gpxtpx:hr>") && has("<HeartRateBpm>"));

    let fit: Vec<Session> = std::fs::read_dir(crate::common::sample().join("activities"))
        .expect("activities")
        .flat_map(|e| {
            let path = e.expect("entry").path();
            let bytes = std::fs::read(&path).expect("FIT file");
            read_activity(&path.to_string_lossy(), &bytes, None, Decoder::Fast).sessions
        })
        .collect();
    for (name, bytes) in &xml {
        let FileRead {
            verdict, sessions, ..
        } = read_activity(name, bytes, None, Decoder::Fast);
        assert_eq!(verdict, Verdict::Activity, "{name}");
        assert_eq!(sessions.len(), 1, "{name}");
        let o = &sessions[0];
        let twin = fit
            .iter()
            .find(|f| f.start_utc == o.start_utc)
            .unwrap_or_else(|| panic!("{name}: no FIT session starts at {}", o.start_utc));
        let (fb, ob) = (twin.hr.split(120, 140), o.hr.split(120, 140));
        eprintln!(
            "{name} ({:?}) vs {}: hr {} / {} s; below, inside, above {:?} / {:?} s; timer {} / {} s",
            o.format,
            twin.file.rsplit('/').next().unwrap(),
            o.hr_s(),
            twin.hr_s(),
            ob,
            fb,
            o.timer_s,
            twin.timer_s
        );
        assert_eq!(o.hr_s(), twin.hr_s(), "{name}: the same heart-rate seconds");
        for (k, (a, b)) in [(fb.0, ob.0), (fb.1, ob.1), (fb.2, ob.2)]
            .iter()
            .enumerate()
        {
            assert!(
                a.abs_diff(*b) <= 30,
                "{name}: band {k}: {b} s against {a} s"
            );
        }
        assert_eq!(
            (o.timer_s, o.elapsed_s, o.pauses),
            (twin.timer_s, twin.elapsed_s, twin.pauses),
            "{name}"
        );
        // The phone app's GPX has no type: its sport comes from activities.csv.
        if !o.sport.is_empty() {
            assert_eq!(o.sport, twin.sport, "{name}");
        }
    }
}

#[test]
fn the_whole_sample_counts_each_workout_once_and_strava_names_follow_their_files() {
    let sample = crate::common::sample();
    let (code, rows, err) = sessions(&[sample.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "124 files: 124 activities, 0 not activities, 0 damaged (partly read), 0 unreadable; \
             55 sessions; 75 duplicate sessions counted once; 5 export files with sleep, \
             resting HR or activity names; 9 other files (not FIT) ignored"
        ),
        "54 FIT files twice, the archive's 15 workouts and the Apple Health export's 5 \
         (its export_cda.xml and 5 routes are other files): {err}"
    );
    // Every session is the watch's own FIT file, never a copy or a GPX/TCX upload.
    assert_eq!(rows.len(), 55);
    let prefix = format!("{}/activities/", sample.to_string_lossy());
    assert!(rows
        .iter()
        .all(|r| r["file"].starts_with(&prefix) && r["file"].ends_with(".fit")));
    // The GPX without a sport overlaps its FIT twin (compatible sports), and says why the
    // FIT one is kept; the others start on the same second with the same sport.
    let gpx = err
        .lines()
        .find(|l| l.contains(".gpx session 0: same running workout as"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        gpx.contains("2026-11-05_run_easy.fit session 0")
            && gpx.contains("kept that one because it is the FIT recording"),
        "{gpx}"
    );
    assert!(
        err.contains(
            "… and 69 more sessions reached twice (same start and sport), each counted once"
        ),
        "{err}"
    );
    assert!(
        err.lines().filter(|l| l.starts_with("warning: ")).count() <= 12,
        "duplicates are summarised: {err}"
    );
    let name = |rows: &[BTreeMap<String, String>], date: &str| -> String {
        let on: Vec<&BTreeMap<String, String>> =
            rows.iter().filter(|r| r["local_date"] == date).collect();
        assert_eq!(on.len(), 1, "{date}");
        on[0]["name"].clone()
    };
    // Garmin's activity list names every session by start time: its names win.
    assert_eq!(name(&rows, "2026-10-21"), "Recovery Jog");

    // The folder and the Strava archive alone: each of the archive's rows names the FIT
    // session kept in place of its file, GPX and TCX uploads included.
    let (code, rows, err) = sessions(&[
        sample.join("activities").as_os_str(),
        sample.join("strava_export.zip").as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows.len(), 55);
    for (date, want) in [
        ("2026-10-14", "Recovery Jog"), // before the archive: the FIT file's own name
        ("2026-10-20", "Intervals 6x4min"),
        ("2026-10-21", "Morning Run"),  // .tcx
        ("2026-10-24", "Morning Ride"), // .tcx.gz
        ("2026-10-29", "Easy Run"),     // .gpx.gz, named inside
        ("2026-11-05", "Evening Run"),  // .gpx
    ] {
        assert_eq!(name(&rows, date), want, "{date}");
    }
    assert!(
        rows.iter().all(|r| r["file"].ends_with(".fit")),
        "the watch's files are kept"
    );
}

/// An app-written TCX (issue 27): one lap whose totals are all `0.0`, and 224 trackpoints
/// with heart rate, 5 s apart from 06:00:00 UTC.
fn tcx_with_zero_totals() -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TrainingCenterDatabase \
         xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">\n<Activities>\n\
         <Activity Sport=\"Running\"><Id>2026-05-02T06:00:00Z</Id>\n\
         <Lap StartTime=\"2026-05-02T06:00:00Z\"><TotalTimeSeconds>0.0</TotalTimeSeconds>\
         <DistanceMeters>0.0</DistanceMeters><Calories>0</Calories><Intensity>Active</Intensity>\
         <TriggerMethod>Manual</TriggerMethod>\n<Track>\n",
    );
    for i in 0..224i64 {
        let t = 1_777_701_600 + 5 * i; // 2026-05-02T06:00:00Z
        let _ = writeln!(
            x,
            "<Trackpoint><Time>{}</Time><HeartRateBpm><Value>{}</Value></HeartRateBpm></Trackpoint>",
            iso(t),
            128 + (i % 7)
        );
    }
    x.push_str("</Track>\n</Lap>\n</Activity>\n</Activities>\n</TrainingCenterDatabase>\n");
    x
}

#[test]
fn a_tcx_whose_lap_totals_are_zero_takes_its_timer_time_from_the_trackpoints() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("app.tcx");
    std::fs::write(&path, tcx_with_zero_totals()).expect("write");
    let (code, rows, err) = sessions(&[dir.path().as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 files: 1 activities, 0 not activities, 0 damaged (partly read), 0 unreadable; 1 sessions"),
        "{err}"
    );
    assert_eq!(rows.len(), 1);
    // 224 points 5 s apart: 223 × 5 = 1115 s, all of it with heart rate.
    assert_eq!(
        (rows[0]["timer_s"].as_str(), rows[0]["hr_s"].as_str()),
        ("1115", "1115")
    );
    assert_ne!(rows[0]["class"], "unknown", "{:?}", rows[0]);

    let out = Command::cargo_bin("recovery")
        .expect("binary builds")
        .arg("inspect")
        .arg(&path)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("timer 1115 s, elapsed 1115 s")
            && text.contains(
                "  timer: timer time 1115 s taken from the trackpoints \
                 (the laps' TotalTimeSeconds add up to 0 s)"
            ),
        "{text}"
    );
}
