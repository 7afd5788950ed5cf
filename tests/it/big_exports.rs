//! A Garmin account export keeps its activities in zips inside the zip
//! (`DI-Connect-Uploaded-Files/UploadedFiles_*_Part*.zip`). Those are read as a stream of
//! local entries: deflated with or without data descriptors, or stored, and `--max-file-mb`
//! limits each activity file, never the part that holds them.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use crate::common::sample;
use assert_cmd::Command;

fn sample_fits() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(sample().join("activities"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "fit"))
        .collect();
    v.sort();
    v
}

/// How a part zip is written.
#[derive(Clone, Copy)]
enum Writer {
    /// Sizes in the local headers (a writer that can seek back).
    Seeking,
    /// Sizes in data descriptors after each entry (a streaming writer).
    Streaming,
}

fn zip_of(files: &[(String, Vec<u8>)], writer: Writer, method: zip::CompressionMethod) -> Vec<u8> {
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    match writer {
        Writer::Seeking => {
            let mut buf = std::io::Cursor::new(Vec::new());
            let mut z = zip::ZipWriter::new(&mut buf);
            for (name, bytes) in files {
                z.start_file(name.as_str(), opts).unwrap();
                z.write_all(bytes).unwrap();
            }
            z.finish().unwrap();
            buf.into_inner()
        }
        Writer::Streaming => {
            let mut out = Vec::new();
            let mut z = zip::ZipWriter::new_stream(&mut out);
            for (name, bytes) in files {
                z.start_file(name.as_str(), opts).unwrap();
                z.write_all(bytes).unwrap();
            }
            z.finish().unwrap();
            out
        }
    }
}

/// The sample activities as a Garmin export: `parts` part zips inside one export zip.
fn garmin_export(parts: usize, writer: Writer, method: zip::CompressionMethod) -> Vec<u8> {
    let fits = sample_fits();
    let mut outer = Vec::new();
    for (p, chunk) in fits.chunks(fits.len().div_ceil(parts)).enumerate() {
        let files: Vec<(String, Vec<u8>)> = chunk
            .iter()
            .map(|f| {
                (
                    f.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(f).unwrap(),
                )
            })
            .collect();
        outer.push((
            format!(
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part{}.zip",
                p + 1
            ),
            zip_of(&files, writer, method),
        ));
    }
    zip_of(&outer, Writer::Seeking, zip::CompressionMethod::Deflated)
}

fn sessions(args: &[&std::ffi::OsStr]) -> (i32, Vec<String>, String) {
    let (code, out, stderr) = crate::common::output(
        crate::common::bin()
            .args(["sessions", "--format", "csv", "--quiet"])
            .args(args),
    );
    let rows = out
        .lines()
        .skip(1)
        // Without the file column: the labels differ between the folder and the zip.
        .map(|l| l.split_once(',').unwrap().1.to_string())
        .collect();
    (code, rows, stderr)
}

fn from_folder() -> Vec<String> {
    let (code, rows, err) = sessions(&[sample().join("activities").as_os_str()]);
    assert_eq!(code, 0, "{err}");
    rows
}

#[test]
fn part_zips_read_like_the_folder_however_they_were_written() {
    let want = from_folder();
    let dir = tempfile::tempdir().unwrap();
    for (writer, method, parts) in [
        (Writer::Streaming, zip::CompressionMethod::Deflated, 2),
        (Writer::Seeking, zip::CompressionMethod::Deflated, 3),
        (Writer::Seeking, zip::CompressionMethod::Stored, 2),
    ] {
        let z = dir.path().join("export.zip");
        std::fs::write(&z, garmin_export(parts, writer, method)).unwrap();
        let (code, rows, err) = sessions(&[z.as_os_str()]);
        assert_eq!(code, 0, "{method:?}: {err}");
        assert_eq!(rows, want, "{method:?}, {parts} parts");
        assert!(!err.contains("warning"), "{err}");
    }
}

#[test]
fn the_size_limit_applies_to_each_activity_never_to_the_part_holding_them() {
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("export.zip");
    std::fs::write(
        &z,
        garmin_export(1, Writer::Seeking, zip::CompressionMethod::Stored),
    )
    .unwrap();
    // The one part holds every activity: over 1 MB. Each activity is far under it.
    let biggest = sample_fits()
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .max()
        .unwrap();
    assert!(biggest < 1024 * 1024);
    let total: u64 = sample_fits()
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    assert!(total > 1024 * 1024, "the stored part is over the limit");
    let (code, rows, err) = sessions(&["--max-file-mb".as_ref(), "1".as_ref(), z.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows, from_folder());
}

#[test]
fn an_oversized_entry_in_a_part_is_skipped_alone() {
    let fits = sample_fits();
    let dir = tempfile::tempdir().unwrap();
    for writer in [Writer::Streaming, Writer::Seeking] {
        let files = vec![
            ("a.fit".to_string(), std::fs::read(&fits[0]).unwrap()),
            ("huge.fit".to_string(), vec![0u8; 3 * 1024 * 1024]),
            ("b.fit".to_string(), std::fs::read(&fits[1]).unwrap()),
        ];
        let part = zip_of(&files, writer, zip::CompressionMethod::Deflated);
        let outer = zip_of(
            &[("UploadedFiles_0-_Part1.zip".to_string(), part)],
            Writer::Seeking,
            zip::CompressionMethod::Deflated,
        );
        let z = dir.path().join("export.zip");
        std::fs::write(&z, outer).unwrap();
        let (code, rows, err) = sessions(&["--max-file-mb".as_ref(), "2".as_ref(), z.as_os_str()]);
        assert_eq!(code, 3, "{err}");
        assert_eq!(rows.len(), 2, "a.fit and b.fit: {err}");
        assert!(
            err.contains("UploadedFiles_0-_Part1.zip/huge.fit: unreadable (")
                && err.contains("2097152-byte limit (--max-file-mb); skipped"),
            "{err}"
        );
    }
}

#[test]
fn a_stored_entry_sized_only_after_its_data_is_one_clear_line() {
    let fits = sample_fits();
    let files = vec![("a.fit".to_string(), std::fs::read(&fits[0]).unwrap())];
    let part = zip_of(&files, Writer::Streaming, zip::CompressionMethod::Stored);
    let outer = zip_of(
        &[
            ("UploadedFiles_0-_Part1.zip".to_string(), part),
            ("b.fit".to_string(), std::fs::read(&fits[1]).unwrap()),
        ],
        Writer::Seeking,
        zip::CompressionMethod::Deflated,
    );
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("export.zip");
    std::fs::write(&z, outer).unwrap();
    let (code, rows, err) = sessions(&[z.as_os_str()]);
    assert_eq!(code, 3, "{err}");
    assert_eq!(rows.len(), 1, "b.fit is still read: {err}");
    assert!(
        err.contains("\"a.fit\" is stored with its size only after its data"),
        "{err}"
    );
}

#[test]
fn a_part_cut_short_keeps_the_entries_before_the_cut_and_says_so() {
    let fits = sample_fits();
    let files: Vec<(String, Vec<u8>)> = fits[..4]
        .iter()
        .map(|f| {
            (
                f.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(f).unwrap(),
            )
        })
        .collect();
    let part = zip_of(&files, Writer::Streaming, zip::CompressionMethod::Deflated);
    // Cut inside the third entry.
    let sizes: Vec<usize> = files.iter().map(|(_, b)| b.len()).collect();
    let cut =
        &part[..part.len() * (sizes[0] + sizes[1] + sizes[2] / 2) / sizes.iter().sum::<usize>()];
    let outer = zip_of(
        &[("UploadedFiles_0-_Part1.zip".to_string(), cut.to_vec())],
        Writer::Seeking,
        zip::CompressionMethod::Stored,
    );
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("export.zip");
    std::fs::write(&z, outer).unwrap();
    let (code, rows, err) = sessions(&[z.as_os_str()]);
    assert_eq!(code, 3, "{err}");
    assert!(rows.len() >= 2, "the entries before the cut: {err}");
    assert!(
        err.contains("UploadedFiles_0-_Part1.zip: inner zip archive read as far as entry"),
        "{err}"
    );
}

/// The heart-rate records each session keeps from the one read (what its chart is drawn
/// from) are the same whether its file came from a streaming-written part zip or the
/// folder.
#[test]
fn a_parts_sessions_keep_the_heart_rate_records_their_files_give() {
    use recovery::ingest::{ingest, IngestOptions};
    use recovery::session::HrRecords;
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("export.zip");
    std::fs::write(
        &z,
        garmin_export(2, Writer::Streaming, zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let opts = IngestOptions::default();
    // By file name and index: the labels differ between the folder and the zip.
    let records = |input: PathBuf| -> BTreeMap<(String, usize), HrRecords> {
        ingest(&[input], &opts)
            .sessions
            .into_iter()
            .map(|s| {
                let name = s.file.rsplit(['/', '\\']).next().unwrap().to_string();
                ((name, s.index), s.hr_records)
            })
            .collect()
    };
    let from_export = records(z);
    let from_folder = records(sample().join("activities"));
    assert!(
        from_folder.values().any(|r| !r.series().samples.is_empty()),
        "the sample's sessions have heart rate"
    );
    assert_eq!(from_export, from_folder);
}

#[test]
fn analyze_draws_the_same_session_charts_from_a_garmin_export_as_from_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("export.zip");
    std::fs::write(
        &z,
        garmin_export(3, Writer::Streaming, zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let journal = sample().join("journal.csv");
    let charts = |input: &std::path::Path, out: &std::path::Path| {
        let o = Command::cargo_bin("recovery")
            .unwrap()
            .arg("analyze")
            .arg(input)
            .arg("--journal")
            .arg(&journal)
            .args(["--session-charts", "all", "--quiet", "--out"])
            .arg(out)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let mut names: Vec<String> = std::fs::read_dir(out.join("sessions"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let from_folder = charts(&sample().join("activities"), &dir.path().join("a"));
    let from_export = charts(&z, &dir.path().join("b"));
    assert!(from_folder.len() >= 5, "{from_folder:?}");
    assert_eq!(from_export, from_folder);
}

/// A part zip holding two entries of one name (the local entries of two streamed zips back
/// to back): both are read, and so is the entry after them, with its file's heart rate.
#[test]
fn two_entries_of_one_name_in_a_part_are_both_read_and_so_is_the_entry_after_them() {
    use recovery::ingest::{ingest, read_activity, Decoder, IngestOptions};
    let fits = sample_fits();
    let read = |i: usize| std::fs::read(&fits[i]).unwrap();
    let streamed = |files: Vec<(String, Vec<u8>)>| {
        zip_of(&files, Writer::Streaming, zip::CompressionMethod::Deflated)
    };
    let first = streamed(vec![
        ("dup.fit".into(), read(0)),
        ("mid.fit".into(), read(1)),
    ]);
    // Only its local entries: the end of central directory says where they stop.
    let eocd = first.len() - 22;
    let cd = u32::from_le_bytes(first[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
    let mut part = first[..cd].to_vec();
    part.extend(streamed(vec![
        ("dup.fit".into(), read(2)),
        ("last.fit".into(), read(3)),
    ]));
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("export.zip");
    let part_name = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip";
    std::fs::write(
        &z,
        zip_of(
            &[(part_name.to_string(), part)],
            Writer::Seeking,
            zip::CompressionMethod::Deflated,
        ),
    )
    .unwrap();

    let opts = IngestOptions {
        keep_duplicates: true,
        ..IngestOptions::default()
    };
    let report = ingest(std::slice::from_ref(&z), &opts);
    let label = |name: &str| format!("{}/{part_name}/{name}", z.display());
    assert_eq!(
        report
            .sessions
            .iter()
            .filter(|s| s.file == label("dup.fit"))
            .count(),
        2,
        "both entries named dup.fit were read"
    );

    let last: Vec<_> = report
        .sessions
        .iter()
        .filter(|s| s.file == label("last.fit"))
        .collect();
    assert_eq!(
        last.len(),
        1,
        "the entry after the two of one name is reached"
    );
    let from_file = read_activity("last.fit", &read(3), None, Decoder::Fast);
    assert_eq!(
        last[0].hr_records, from_file.sessions[0].hr_records,
        "its heart rate is its file's"
    );
}
