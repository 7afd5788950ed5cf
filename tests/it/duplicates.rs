//! One workout recorded by two or three devices counts once; sessions that only follow each
//! other stay separate. Built from real corpus files whose times are rewritten at test time
//! (every date_time field shifted, a new serial number, the CRC fixed), as a second device
//! would have written them. The format preference (FIT, then TCX, then GPX) and
//! `--keep-duplicates` are tested on a sample run written here as FIT, TCX and GPX.

use crate::common::corpus;

use std::path::Path;

use assert_cmd::Command;
use recovery::ingest::fit::check::crc16;

/// A 21-minute ride on a Garmin Edge 1000 (heart rate, no compressed timestamps).
const RIDE: &str = "richardbrodie__fit-rs/2015-07-22-15-25-22.fit";
/// A run on a Forerunner 310XT.
const RUN: &str = "Runalyze__Runalyze/Standard.fit";

/// `(global message, field)` pairs that hold a FIT date_time besides every `timestamp` (253).
const DATE_FIELDS: &[(u16, u8)] = &[
    (0, 4),   // file_id.time_created
    (18, 2),  // session.start_time
    (19, 2),  // lap.start_time
    (34, 5),  // activity.local_timestamp
    (101, 2), // length.start_time
    (142, 2), // segment_lap.start_time
    (162, 3), // timestamp_correlation.local_timestamp
];

/// A definition message: global number, big endian, `(field, size)`, developer bytes.
type Definition = (u16, bool, Vec<(u8, usize)>, usize);

/// The FIT file `bytes` as another device would have recorded it `shift_s` seconds later:
/// every date_time moved, `file_id.serial_number` set to `serial`, the CRC recomputed.
/// Handles one stream with normal headers (the files used here have no compressed
/// timestamps, whose 5-bit offsets would not survive an arbitrary shift).
fn shifted(bytes: &[u8], shift_s: i64, serial: u32) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let header = out[0] as usize;
    let data_size = u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize;
    let end = header + data_size;
    let mut defs: Vec<Option<Definition>> = vec![None; 16];
    let mut pos = header;
    while pos < end {
        let h = out[pos];
        pos += 1;
        assert!(
            h & 0x80 == 0,
            "compressed timestamp headers are not handled"
        );
        let local = (h & 0x0F) as usize;
        if h & 0x40 != 0 {
            let big = out[pos + 1] == 1;
            let g = [out[pos + 2], out[pos + 3]];
            let global = if big {
                u16::from_be_bytes(g)
            } else {
                u16::from_le_bytes(g)
            };
            let n = out[pos + 4] as usize;
            pos += 5;
            let fields = (0..n)
                .map(|i| (out[pos + 3 * i], out[pos + 3 * i + 1] as usize))
                .collect();
            pos += 3 * n;
            let mut dev = 0;
            if h & 0x20 != 0 {
                let nd = out[pos] as usize;
                pos += 1;
                dev = (0..nd).map(|i| out[pos + 3 * i + 1] as usize).sum();
                pos += 3 * nd;
            }
            defs[local] = Some((global, big, fields, dev));
            continue;
        }
        let (global, big, fields, dev) = defs[local].clone().expect("data after its definition");
        for (field, size) in fields {
            let is_date = size == 4 && (field == 253 || DATE_FIELDS.contains(&(global, field)));
            let is_serial = global == 0 && field == 3 && size == 4;
            if is_date || is_serial {
                let raw: [u8; 4] = out[pos..pos + 4].try_into().unwrap();
                let v = if big {
                    u32::from_be_bytes(raw)
                } else {
                    u32::from_le_bytes(raw)
                };
                let new = if is_serial {
                    serial
                } else if v == u32::MAX || v < 0x1000_0000 {
                    v // invalid or system time: not a date
                } else {
                    (v as i64 + shift_s) as u32
                };
                let b = if big {
                    new.to_be_bytes()
                } else {
                    new.to_le_bytes()
                };
                out[pos..pos + 4].copy_from_slice(&b);
            }
            pos += size;
        }
        pos += dev;
    }
    assert_eq!(pos, end, "walked exactly the data");
    let crc = crc16(&out[..end]);
    out[end..end + 2].copy_from_slice(&crc.to_le_bytes());
    out
}

fn sessions(dir: &Path, extra: &[&str]) -> (i32, Vec<String>, String) {
    let (code, out, stderr) = crate::common::output(
        crate::common::bin()
            .args(["sessions", "--format", "csv", "--quiet"])
            .args(extra)
            .arg(dir),
    );
    (
        code,
        out.lines().skip(1).map(str::to_string).collect(),
        stderr,
    )
}

/// The ride, and `copies` of it as `(name, shift_s, serial)`, in a fresh folder.
fn folder_with(corpus: &Path, original: &str, copies: &[(&str, i64, u32)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(corpus.join(original)).unwrap();
    std::fs::write(dir.path().join("watch.fit"), &bytes).unwrap();
    for (name, shift, serial) in copies {
        std::fs::write(dir.path().join(name), shifted(&bytes, *shift, *serial)).unwrap();
    }
    dir
}

#[test]
fn a_time_shifted_copy_reads_back_whole_and_moved() {
    let Some(c) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(c.join(RIDE)).unwrap();
    std::fs::write(dir.path().join("a.fit"), &bytes).unwrap();
    let (code, a, err) = sessions(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(dir.path().join("a.fit"), shifted(&bytes, 86_400, 42)).unwrap();
    let (code, b, err) = sessions(dir.path(), &[]);
    assert_eq!(code, 0, "the rewritten file is intact: {err}");
    let cells = |row: &str| row.split(',').map(str::to_string).collect::<Vec<_>>();
    let (a, b) = (cells(&a[0]), cells(&b[0]));
    // start_utc is a day later; local_date too; duration and heart rate unchanged.
    assert_eq!(a[4], "2015-07-22T13:25:22Z");
    assert_eq!(b[4], "2015-07-23T13:25:22Z");
    assert_eq!(a[7..14], b[7..14], "elapsed, HR and band minutes unchanged");
}

#[test]
fn a_second_device_recording_the_same_ride_counts_once() {
    let Some(c) = corpus() else { return };
    let dir = folder_with(&c, RIDE, &[("edge.fit", 23, 3_900_000_001)]);
    let (code, rows, err) = sessions(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows.len(), 1, "one ride: {rows:?}");
    // Equal heart rate and length: the earlier start is kept, the other named.
    assert!(rows[0].contains("watch.fit"), "{rows:?}");
    let line = err
        .lines()
        .find(|l| l.contains("recorded twice"))
        .unwrap_or_else(|| panic!("a line names the copy: {err}"));
    assert!(
        line.contains("edge.fit session 0: same cycling workout as"),
        "{line}"
    );
    assert!(line.contains("watch.fit session 0"), "{line}");
    assert!(line.contains("overlap"), "{line}");
    assert!(err.contains("1 duplicate sessions counted once"), "{err}");

    let (code, rows, err) = sessions(dir.path(), &["--keep-duplicates"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows.len(), 2, "--keep-duplicates keeps both: {err}");

    std::fs::write(dir.path().join("recovery.toml"), "keep_duplicates = true\n").unwrap();
    let toml = dir.path().join("recovery.toml");
    let o = Command::cargo_bin("recovery")
        .unwrap()
        .args(["sessions", "--format", "csv", "--quiet", "--config"])
        .arg(&toml)
        .arg(dir.path().join("watch.fit"))
        .arg(dir.path().join("edge.fit"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        3,
        "the setting keeps both too"
    );
}

#[test]
fn a_run_right_after_the_ride_stays_a_session_of_its_own() {
    let Some(c) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let ride = std::fs::read(c.join(RIDE)).unwrap();
    std::fs::write(dir.path().join("ride.fit"), &ride).unwrap();
    let (_, rows, _) = sessions(dir.path(), &[]);
    let cells: Vec<&str> = rows[0].split(',').collect();
    let ride_start = chrono::DateTime::parse_from_rfc3339(cells[4]).unwrap();
    let ride_elapsed: f64 = cells[7].parse().unwrap();
    // The run, moved to start 2 min after the ride ends (a brick), and a second ride
    // recording that starts as the first one ends (only touching).
    let run = std::fs::read(c.join(RUN)).unwrap();
    std::fs::write(dir.path().join("run-only.fit"), &run).unwrap();
    let (_, run_rows, _) = sessions(&dir.path().join("run-only.fit"), &[]);
    let run_start =
        chrono::DateTime::parse_from_rfc3339(run_rows[0].split(',').nth(4).unwrap()).unwrap();
    std::fs::remove_file(dir.path().join("run-only.fit")).unwrap();
    let brick = ride_start.timestamp() + ride_elapsed.round() as i64 + 120 - run_start.timestamp();
    std::fs::write(dir.path().join("run.fit"), shifted(&run, brick, 7)).unwrap();
    let touching = ride_elapsed.round() as i64;
    std::fs::write(dir.path().join("ride2.fit"), shifted(&ride, touching, 8)).unwrap();
    let (code, rows, err) = sessions(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        rows.len(),
        3,
        "ride, run and the next ride: {rows:?}\n{err}"
    );
    assert!(!err.contains("counted once"), "{err}");
}

#[test]
fn three_devices_on_one_ride_leave_one_session_and_name_both_copies() {
    let Some(c) = corpus() else { return };
    let dir = folder_with(
        &c,
        RIDE,
        &[("edge.fit", 23, 3_900_000_001), ("phone.fit", -40, 12)],
    );
    let (code, rows, err) = sessions(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows.len(), 1, "{rows:?}");
    // All three equal but for the start: the earliest (phone, 40 s before) is kept.
    assert!(rows[0].starts_with(&format!("{}", dir.path().join("phone.fit").display())));
    assert!(
        err.contains("watch.fit session 0: same cycling workout as"),
        "{err}"
    );
    assert!(
        err.contains("edge.fit session 0: same cycling workout as"),
        "{err}"
    );
    assert!(err.contains("2 duplicate sessions counted once"), "{err}");
}

// ---------------------------------------------------------------------------------------
// One run as the watch's FIT, the watch's TCX and Garmin Connect's GPX (issue 27).

/// A sample run with a pause (150 s) as `run.fit`, as `run.tcx` (sport, laps, the pause as
/// a second `Track`) and as `run.gpx` the way Garmin Connect exports it (no sport, one
/// segment: no pause, so heart rate held over it gives the GPX the most seconds).
fn one_run_three_formats() -> (tempfile::TempDir, [std::path::PathBuf; 3]) {
    let fit = std::fs::read(crate::common::sample().join("activities/2026-09-09_run_recovery.fit"))
        .expect("sample run");
    let w = crate::gpx_tcx::read_workout(&fit);
    let gpx = crate::gpx_tcx::to_gpx(&w)
        .replace("<type>running</type>", "")
        .replace("  </trkseg>\n  <trkseg>\n", "");
    let dir = tempfile::tempdir().unwrap();
    let paths = ["run.fit", "run.tcx", "run.gpx"].map(|n| dir.path().join(n));
    std::fs::write(&paths[0], &fit).unwrap();
    std::fs::write(&paths[1], crate::gpx_tcx::to_tcx(&w)).unwrap();
    std::fs::write(&paths[2], gpx).unwrap();
    (dir, paths)
}

/// `recovery sessions --format csv` on `paths` in that order: (exit code, rows, stderr).
fn sessions_of(paths: &[&std::path::PathBuf], extra: &[&str]) -> (i32, Vec<String>, String) {
    let (code, out, stderr) = crate::common::output(
        crate::common::bin()
            .args(["sessions", "--format", "csv", "--quiet"])
            .args(extra)
            .args(paths),
    );
    (
        code,
        out.lines().skip(1).map(str::to_string).collect(),
        stderr,
    )
}

fn line_of<'a>(err: &'a str, file: &str) -> &'a str {
    err.lines()
        .find(|l| l.contains(&format!("{file} session 0: same")))
        .unwrap_or_else(|| panic!("a line names {file}: {err}"))
}

#[test]
fn a_run_as_fit_tcx_and_gpx_keeps_the_fit_in_every_argument_order() {
    let (_dir, [fit, tcx, gpx]) = one_run_three_formats();
    let orders = [
        [&fit, &tcx, &gpx],
        [&fit, &gpx, &tcx],
        [&tcx, &fit, &gpx],
        [&tcx, &gpx, &fit],
        [&gpx, &fit, &tcx],
        [&gpx, &tcx, &fit],
    ];
    for order in orders {
        let (code, rows, err) = sessions_of(&order, &[]);
        assert_eq!(code, 0, "{order:?}: {err}");
        assert!(
            err.contains(
                "3 files: 3 activities, 0 not activities, 0 damaged (partly read), 0 unreadable; \
                 1 sessions; 2 duplicate sessions counted once"
            ),
            "{order:?}: {err}"
        );
        assert_eq!(rows.len(), 1, "{order:?}: {rows:?}");
        assert!(
            rows[0].starts_with(&format!("{},", fit.display())),
            "{rows:?}"
        );
        // The TCX starts on the FIT's second with its sport; the GPX has no sport.
        let t = line_of(&err, "run.tcx");
        assert!(
            t.contains(&format!(
                "same activity as {} session 0 (same start and sport)",
                fit.display()
            )),
            "{t}"
        );
        let g = line_of(&err, "run.gpx");
        assert!(
            g.contains(&format!(
                "same running workout as {} session 0",
                fit.display()
            )) && g.contains("kept that one because it is the FIT recording;"),
            "{g}"
        );
    }
}

#[test]
fn a_forerunner_tcx_is_kept_over_its_connect_gpx_in_either_order_and_says_why() {
    let (_dir, [_, tcx, gpx]) = one_run_three_formats();
    for order in [[&tcx, &gpx], [&gpx, &tcx]] {
        let (code, rows, err) = sessions_of(&order, &[]);
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains(
                "2 files: 2 activities, 0 not activities, 0 damaged (partly read), 0 unreadable; \
                 1 sessions; 1 duplicate sessions counted once"
            ),
            "{err}"
        );
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert!(
            rows[0].starts_with(&format!("{},", tcx.display())),
            "{rows:?}"
        );
        let cells: Vec<&str> = rows[0].split(',').collect();
        assert_eq!(
            (cells[2], cells[17]),
            ("running", "1"),
            "sport and pause of the TCX"
        );
        let g = line_of(&err, "run.gpx");
        assert!(
            g.contains(&format!(
                "same running workout as {} session 0",
                tcx.display()
            )),
            "{g}"
        );
        // The GPX has more heart-rate seconds (held over the pause), yet TCX comes first.
        assert!(
            g.contains("kept that one because it is the TCX recording;") && !g.contains("FIT"),
            "{g}"
        );
    }
}

#[test]
fn keep_duplicates_keeps_exact_copies_and_overlapping_recordings() {
    let (dir, [fit, _, gpx]) = one_run_three_formats();
    // An exact copy: the same FIT file a second time (same start and sport).
    let copy = dir.path().join("copy-of-run.fit");
    std::fs::copy(&fit, &copy).unwrap();
    for order in [[&fit, &copy, &gpx], [&gpx, &copy, &fit]] {
        let (code, rows, err) = sessions_of(&order, &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(rows.len(), 1, "by default one session: {rows:?}");
        assert!(
            err.contains("; 1 sessions; 2 duplicate sessions counted once"),
            "{err}"
        );

        let (code, rows, err) = sessions_of(&order, &["--keep-duplicates"]);
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains(
                "3 files: 3 activities, 0 not activities, 0 damaged (partly read), 0 unreadable; \
                 3 sessions\n"
            ),
            "every copy kept, no duplicate counted: {err}"
        );
        assert!(!err.contains("counted once"), "{err}");
        // Every copy, in the order of their start (the copy and the FIT share one).
        let files: Vec<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
        for p in [&fit, &copy, &gpx] {
            assert!(files.contains(&p.to_str().unwrap()), "{p:?} in {files:?}");
        }
    }
}
