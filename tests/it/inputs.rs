//! The binary on real input layouts: folders, zips (nested), .fit.gz, duplicates,
//! damaged and foreign files, and the machine's time zone.

use crate::common::sample;

use std::io::Write;
use std::path::PathBuf;

use assert_cmd::Command;

fn sample_fits() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(sample().join("activities"))
        .expect("sample_data/activities exists")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

fn recovery() -> Command {
    Command::cargo_bin("recovery").expect("binary builds")
}

/// Runs `recovery sessions --format csv ARGS` and returns (exit code, stdout, stderr).
fn sessions_csv(args: &[&std::ffi::OsStr], tz: &str) -> (i32, String, String) {
    let out = recovery()
        .env("TZ", tz)
        .args(["sessions", "--format", "csv"])
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The CSV rows without the `file` column (which names the path).
fn rows_without_file(csv: &str) -> Vec<String> {
    csv.lines()
        .skip(1)
        .map(|l| l.split_once(',').map_or("", |x| x.1).to_string())
        .collect()
}

fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            z.start_file(name.as_str(), opts).expect("zip entry");
            z.write_all(bytes).expect("zip write");
        }
        z.finish().expect("zip finish");
    }
    buf.into_inner()
}

#[test]
fn output_is_identical_under_any_machine_time_zone() {
    let dir = sample();
    let base = sessions_csv(&[dir.as_os_str()], "UTC");
    assert_eq!(base.0, 0, "{}", base.2);
    for tz in ["America/New_York", "Asia/Tokyo", "Europe/Berlin"] {
        let other = sessions_csv(&[dir.as_os_str()], tz);
        assert_eq!(other.1, base.1, "TZ={tz} changed the sessions table");
    }
    // The sample athlete lives in Berlin; evening sessions must keep their local date.
    assert!(base.1.contains(",file,"), "local dates come from the files");
}

#[test]
fn a_zip_export_with_a_nested_zip_reads_like_the_folder() {
    let fits = sample_fits();
    let (first, rest) = fits.split_at(10);
    let inner = zip_of(
        &rest
            .iter()
            .map(|p| {
                (
                    format!("inner/{}", p.file_name().unwrap().to_string_lossy()),
                    std::fs::read(p).unwrap(),
                )
            })
            .collect::<Vec<_>>(),
    );
    let mut outer: Vec<(String, Vec<u8>)> = first
        .iter()
        .map(|p| {
            (
                format!("export/{}", p.file_name().unwrap().to_string_lossy()),
                std::fs::read(p).unwrap(),
            )
        })
        .collect();
    outer.push(("export/UploadedFiles_Part1.zip".into(), inner));
    outer.push(("export/readme.txt".into(), b"not a fit file".to_vec()));
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("export.zip");
    std::fs::write(&zip_path, zip_of(&outer)).unwrap();

    let from_zip = sessions_csv(&[zip_path.as_os_str()], "UTC");
    let activities = sample().join("activities");
    let from_dir = sessions_csv(&[activities.as_os_str()], "UTC");
    assert_eq!(from_zip.0, 0, "{}", from_zip.2);
    let mut a = rows_without_file(&from_zip.1);
    let mut b = rows_without_file(&from_dir.1);
    a.sort();
    b.sort();
    assert_eq!(a, b, "the zip gives the same sessions as the folder");
    assert!(from_zip
        .1
        .contains("export.zip/export/UploadedFiles_Part1.zip/inner/"));
    assert!(
        from_zip.2.contains("1 other files (not FIT) ignored"),
        "{}",
        from_zip.2
    );
    // Nothing was extracted next to the archive.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_gzip_fit_file_is_read_like_the_plain_one() {
    let src = &sample_fits()[0];
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("activity.fit.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&std::fs::read(src).unwrap()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let a = sessions_csv(&[gz.as_os_str()], "UTC");
    let b = sessions_csv(&[src.as_os_str()], "UTC");
    assert_eq!(a.0, 0, "{}", a.2);
    assert_eq!(rows_without_file(&a.1), rows_without_file(&b.1));
}

#[test]
fn the_same_activity_twice_is_one_session_and_the_copy_is_named() {
    let src = &sample_fits()[0];
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("resaved-copy.fit");
    std::fs::copy(src, &copy).unwrap();
    let (code, out, err) = sessions_csv(&[src.as_os_str(), copy.as_os_str()], "UTC");
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 2, "one header and one session");
    assert!(
        err.contains("resaved-copy.fit session 0: same activity as"),
        "{err}"
    );
    assert!(err.contains("1 duplicate sessions counted once"), "{err}");
}

#[test]
fn a_damaged_and_an_empty_file_do_not_stop_the_batch() {
    let fits = sample_fits();
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(&fits[0]).unwrap();
    std::fs::write(dir.path().join("cut.fit"), &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(dir.path().join("empty.fit"), b"").unwrap();
    // A GPX without a track (a route) is read and found to hold no activity.
    std::fs::write(dir.path().join("route.gpx"), b"<gpx></gpx>").unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"not an activity").unwrap();
    std::fs::copy(&fits[1], dir.path().join("good.fit")).unwrap();
    let (code, out, err) = sessions_csv(&[dir.path().as_os_str()], "UTC");
    assert_eq!(code, 3, "skips and damage mean exit code 3");
    assert!(
        err.contains("cut.fit: damaged (stream 1: truncated"),
        "{err}"
    );
    assert!(
        err.contains("empty.fit: unreadable (empty file (0 bytes))"),
        "{err}"
    );
    assert!(
        err.contains(
            "4 files: 1 activities, 1 not activities, 1 damaged (partly read), 1 unreadable"
        ),
        "{err}"
    );
    assert!(err.contains("1 other files (not FIT) ignored"), "{err}");
    assert_eq!(
        out.lines().count(),
        3,
        "the good file and the part of the cut one: {out}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn a_missing_path_is_named_and_no_fit_at_all_is_a_fatal_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let (code, _, err) = sessions_csv(&[missing.as_os_str()], "UTC");
    assert_eq!(code, 1);
    assert!(err.contains("nope: no such file or folder"), "{err}");
    assert!(err.contains("error: no FIT files found"), "{err}");
}

#[test]
fn a_bad_flag_is_a_usage_error() {
    let out = recovery()
        .args(["sessions", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = recovery()
        .args(["sessions", "--tz", "Mars/Olympus"])
        .arg(sample())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an IANA time zone name"));
}

#[test]
fn bad_values_exit_2_as_the_readme_promises_and_name_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("reports");
    let cases: [(&[&str], &str); 6] = [
        (&["sessions", "--band", "140-120"], "--band \"140-120\""),
        (&["today", "--date", "2026-13-01"], "--date \"2026-13-01\""),
        (
            &["sessions", "--max-file-mb", "0"],
            "--max-file-mb must be at least 1",
        ),
        (&["sessions", "--decoder", "slow"], "--decoder \"slow\""),
        (&["sessions", "--sex", "x"], "--sex \"x\""),
        (&["analyze", "--size", "10x10"], "--size \"10x10\""),
    ];
    for (args, names) in cases {
        let out = recovery()
            .args(args)
            .arg("--out")
            .arg(&out_dir)
            .arg(sample())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        // clap refuses --out on commands without it (also 2): pass it only where it exists.
        if err.contains("unexpected argument '--out'") {
            let out = recovery().args(args).arg(sample()).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(names), "{args:?}: {err}");
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(names), "{args:?}: {err}");
    }
}

/// Files that are not activities by their name (issue 27), with an activity's bytes in
/// the photo: were it looked into, it would be read as a session.
fn not_activities_by_name(fit: &[u8]) -> Vec<(String, Vec<u8>)> {
    vec![
        ("__init__.py".into(), Vec::new()),
        ("IMG_0042.jpg".into(), fit.to_vec()),
        ("empty".into(), Vec::new()),
    ]
}

/// A FIT run and a TCX with two activities: three sessions.
fn two_activity_files() -> Vec<(String, Vec<u8>)> {
    let tcx =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tcx-two-activities.tcx");
    vec![
        ("run.fit".into(), std::fs::read(&sample_fits()[0]).unwrap()),
        ("two.tcx".into(), std::fs::read(tcx).unwrap()),
    ]
}

const INPUTS_WITH_THREE_IGNORED: &str = "2 files: 2 activities, 0 not activities, \
    0 damaged (partly read), 0 unreadable; 3 sessions; 3 other files (not FIT) ignored";

#[test]
fn code_a_photo_and_an_empty_file_in_a_folder_are_other_files_ignored_not_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let fit = std::fs::read(&sample_fits()[1]).unwrap();
    for (name, bytes) in two_activity_files()
        .into_iter()
        .chain(not_activities_by_name(&fit))
    {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let (code, out, err) = sessions_csv(&[dir.path().as_os_str()], "UTC");
    assert_eq!(code, 0, "nothing was skipped: {err}");
    assert!(err.contains(INPUTS_WITH_THREE_IGNORED), "{err}");
    assert!(
        !err.contains("unreadable (") && !err.contains("re-export"),
        "{err}"
    );
    assert_eq!(out.lines().count(), 4, "a header and three sessions: {out}");
    assert!(!out.contains("IMG_0042"), "the photo was never read: {out}");
}

#[test]
fn code_a_photo_and_an_empty_file_in_a_garmin_exports_part_zip_are_other_files_ignored() {
    let fit = std::fs::read(&sample_fits()[1]).unwrap();
    let part = zip_of(
        &two_activity_files()
            .into_iter()
            .chain(not_activities_by_name(&fit))
            .collect::<Vec<_>>(),
    );
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("garmin_export.zip");
    std::fs::write(
        &export,
        zip_of(&[(
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip".into(),
            part,
        )]),
    )
    .unwrap();
    let (code, out, err) = sessions_csv(&[export.as_os_str()], "UTC");
    assert_eq!(code, 0, "nothing was skipped: {err}");
    assert!(err.contains(INPUTS_WITH_THREE_IGNORED), "{err}");
    assert!(
        !err.contains("unreadable (") && !err.contains("re-export"),
        "{err}"
    );
    assert_eq!(out.lines().count(), 4, "a header and three sessions: {out}");
    assert!(out.contains("UploadedFiles_0-_Part1.zip/two.tcx"), "{out}");
    assert!(!out.contains("IMG_0042"), "the photo was never read: {out}");
}
