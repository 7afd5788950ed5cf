//! Every line the program writes to stderr is its own: a warning or error naming the file,
//! or the summary line. fitparser prints `ERROR: field size …` itself for a field whose size
//! is not a multiple of its base type; it must never get the chance.

use assert_cmd::Command;
use samplegen::fitwrite::{BaseType, FieldDef, FileId, FitWriter, Value};

/// 2026-03-02T08:00:00Z in FIT seconds.
const T0: u32 = 1_141_372_800;

/// Is this stderr line one of ours?
fn ours(line: &str) -> bool {
    line.starts_with("warning: ")
        || line.starts_with("error: ")
        || line.contains(" files: ") && line.contains(" activities, ")
}

/// A run with records whose field 7 is declared `uint32` but 1 byte long (as some devices
/// write), CRCs intact.
fn misaligned_file() -> Vec<u8> {
    let mut w = FitWriter::new();
    w.file_id(&FileId::activity(T0)).unwrap();
    let fields = [
        FieldDef::new(253, BaseType::UInt32),
        FieldDef::new(3, BaseType::UInt8),
        FieldDef::bytes(7, 1),
    ];
    w.define(15, 20, &fields).unwrap();
    for t in 0..=300 {
        w.write(
            15,
            &[Value::U32(T0 + t), Value::U8(150), Value::Bytes(vec![7])],
        )
        .unwrap();
    }
    let mut bytes = w.finish();
    // Declare field 7 as uint32 (0x86) and seal the file again.
    let at = bytes
        .windows(3)
        .position(|x| x == [7, 1, 0x0D])
        .expect("the byte field's definition");
    bytes[at + 2] = 0x86;
    let n = bytes.len();
    let crc = recovery::ingest::fit::check::crc16(&bytes[..n - 2]);
    bytes[n - 2..].copy_from_slice(&crc.to_le_bytes());
    bytes
}

fn run(args: &[&str], file: &std::path::Path) -> (String, String) {
    let out = Command::cargo_bin("recovery")
        .expect("binary")
        .env_remove("RECOVERY_DECODER")
        .args(args)
        .arg(file)
        .output()
        .expect("runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (text(&out.stdout), text(&out.stderr))
}

#[test]
fn fitparser_reads_a_misaligned_field_without_printing_and_with_the_same_figures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("misaligned.fit");
    std::fs::write(&file, misaligned_file()).expect("write");
    let csv = ["sessions", "--format", "csv", "--quiet"];
    let (fast, fast_err) = run(&csv, &file);
    let (slow, slow_err) = run(&[&csv[..], &["--decoder", "fitparser"]].concat(), &file);
    let (inspected, inspect_err) = run(&["inspect"], &file);
    assert!(fast.contains(",300,150"), "{fast}");
    assert_eq!(slow, fast, "both decoders read the same values");
    assert!(inspected.contains("damage: none"), "{inspected}");
    for stderr in [fast_err, slow_err, inspect_err] {
        let foreign: Vec<_> = stderr.lines().filter(|l| !ours(l)).collect();
        assert!(foreign.is_empty(), "lines that are not ours: {foreign:?}");
    }
}
