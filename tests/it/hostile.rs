//! Hostile and damaged inputs: zip bombs, deep nesting, odd entry names, damaged
//! archives, oversized files, bad journals. The run always finishes, explains each
//! problem in one line, and never modifies its inputs.

use crate::common::sample;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

fn first_fit() -> PathBuf {
    let mut v: Vec<PathBuf> = std::fs::read_dir(sample().join("activities"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v.remove(0)
}

fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    crate::common::output(
        crate::common::bin()
            .args(args)
            .timeout(std::time::Duration::from_secs(120)),
    )
}

fn zip_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        for (name, bytes) in files {
            z.start_file(*name, opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn a_zip_bomb_is_refused_by_its_size_not_read_into_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 64 MB of zeros deflate to ~64 KB; with a 16 MB limit it must be refused.
    let bomb = vec![0u8; 64 * 1024 * 1024];
    let z = dir.path().join("bomb.zip");
    std::fs::write(
        &z,
        zip_of(&[
            ("big.fit", bomb),
            ("ok.fit", std::fs::read(first_fit()).unwrap()),
        ]),
    )
    .unwrap();
    let (code, out, err) = run(&[
        "sessions".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--max-file-mb".as_ref(),
        "16".as_ref(),
        z.as_os_str(),
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains(
            "bomb.zip/big.fit: unreadable (claims 67108864 bytes, over the 16777216-byte limit"
        ),
        "{err}"
    );
    assert_eq!(out.lines().count(), 2, "the good entry is still read");
}

#[test]
fn zips_nested_past_the_limit_are_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let mut inner = zip_of(&[("a.fit", std::fs::read(first_fit()).unwrap())]);
    for depth in 0..6 {
        inner = zip_of(&[(&format!("level{depth}.zip"), inner)]);
    }
    let z = dir.path().join("deep.zip");
    std::fs::write(&z, inner).unwrap();
    let (code, _, err) = run(&["sessions".as_ref(), z.as_os_str()]);
    assert_eq!(code, 1, "nothing readable at all is fatal: {err}");
    assert!(
        err.contains("archive nested more than 4 deep; not opened"),
        "{err}"
    );
}

#[test]
fn entries_with_parent_paths_are_read_in_place_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("odd.zip");
    std::fs::write(
        &z,
        zip_of(&[
            ("../../escape.fit", std::fs::read(first_fit()).unwrap()),
            ("notes.txt", b"hello".to_vec()),
        ]),
    )
    .unwrap();
    let (code, out, err) = run(&[
        "sessions".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        z.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("odd.zip/../../escape.fit"), "{out}");
    assert!(err.contains("1 other files (not FIT) ignored"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing extracted"
    );
    assert!(!dir.path().parent().unwrap().join("escape.fit").exists());
}

#[test]
fn a_damaged_zip_is_one_line_and_the_rest_of_the_batch_runs() {
    let dir = tempfile::tempdir().unwrap();
    let good = zip_of(&[("a.fit", std::fs::read(first_fit()).unwrap())]);
    std::fs::write(dir.path().join("cut.zip"), &good[..good.len() / 2]).unwrap();
    std::fs::copy(first_fit(), dir.path().join("a.fit")).unwrap();
    let (code, out, err) = run(&[
        "sessions".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("cut.zip: zip archive cannot be read"), "{err}");
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn a_file_over_the_size_limit_is_skipped_unread() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = std::fs::read(first_fit()).unwrap();
    big.resize(3 * 1024 * 1024, 0);
    std::fs::write(dir.path().join("huge.fit"), big).unwrap();
    let (code, _, err) = run(&[
        "sessions".as_ref(),
        "--max-file-mb".as_ref(),
        "2".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("huge.fit: unreadable (is 3145728 bytes, over the 2097152-byte limit (--max-file-mb); skipped)"), "{err}");
}

fn checksums(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                let meta = std::fs::metadata(&p).unwrap();
                let mut sig = fnv1a(&bytes).to_le_bytes().to_vec();
                sig.extend((bytes.len() as u64).to_le_bytes());
                sig.extend(format!("{:?}", meta.modified().unwrap()).bytes());
                out.insert(p, sig);
            }
        }
    }
    out
}

fn fnv1a(b: &[u8]) -> u32 {
    // A content hash (FNV-1a), not a checksum format: enough to see a change.
    b.iter().fold(0x811c_9dc5u32, |h, &x| {
        (h ^ x as u32).wrapping_mul(0x0100_0193)
    })
}

#[test]
fn inputs_are_never_modified() {
    let before = checksums(&sample());
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[
        "analyze".as_ref(),
        sample().as_os_str(),
        "--out".as_ref(),
        out.path().as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(checksums(&sample()), before);
}

#[test]
fn a_journal_without_the_soreness_column_is_one_error_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("j.csv");
    std::fs::write(&j, "date,sleep_hours\n2026-09-01,7.5\n").unwrap();
    let out = dir.path().join("out");
    let (code, _, err) = run(&[
        "analyze".as_ref(),
        sample().as_os_str(),
        "--journal".as_ref(),
        j.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("the header has no soreness column"), "{err}");
    assert!(err.contains("continuing without the journal"), "{err}");
    assert!(out.join("sessions.csv").is_file());
}

#[test]
fn hostile_journals_each_give_a_clear_line_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", b"".to_vec(), "is empty: expected a header line"),
        (
            "latin1",
            b"date,soreness,sleep_hours,notes\n2026-09-01,3,7.5,caf\xe9\n".to_vec(),
            "is not UTF-8 text",
        ),
        (
            "comma",
            b"date,soreness,sleep_hours\n2026-09-01,3,\"7,5\"\n".to_vec(),
            "\"7,5\" uses a comma: write 7.5",
        ),
        (
            "us-date",
            b"date,soreness,sleep_hours\n09/01/2026,3,7.5\n".to_vec(),
            "is not a date: expected YYYY-MM-DD",
        ),
    ];
    for (name, bytes, want) in cases {
        let j = dir.path().join(format!("{name}.csv"));
        std::fs::write(&j, bytes).unwrap();
        let out = dir.path().join(format!("out-{name}"));
        let (code, _, err) = run(&[
            "audit".as_ref(),
            sample().as_os_str(),
            "--journal".as_ref(),
            j.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(code, 3, "{name}: {err}");
        assert!(err.contains(want), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}
