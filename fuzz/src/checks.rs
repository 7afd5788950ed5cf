//! What each reader must never do, one check per fuzz target: bytes in, `Err(why)` when
//! the reader broke a promise. A panic inside a reader is a failure too (AFL++ sees it as a
//! crash; the replay test as a failed test).
//!
//! This file is shared: `fuzz/src/lib.rs` builds it for the AFL++ binaries, and the root's
//! `tests/it/fuzz_regressions.rs` includes it by path, so it uses only crates the root
//! package has (recovery, zip, csv, flate2, tempfile).

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use recovery::config::{settings_layered, Overrides};
use recovery::ingest::fit::{check, fast, reference, Msg};
use recovery::ingest::{self, apple, gpx, read_activity, tcx, Decoder, IngestOptions, Limits};
use recovery::journal::{read_journal, JournalOptions};

/// The size limit the zip check runs with (`--max-file-mb 1`).
pub const ZIP_LIMIT_BYTES: u64 = 1024 * 1024;

// ---- fit -------------------------------------------------------------------------------

/// Both FIT decoders on `bytes`, and on the same bytes with every CRC recomputed (so the
/// mutations AFL++ makes reach the decoders' comparison instead of stopping at the CRC):
/// neither panics, and when the structural check calls the bytes intact and the selective
/// decoder reads them to the end, its messages, counts, verdict and sessions are
/// fitparser's.
pub fn check_fit(bytes: &[u8]) -> Result<(), String> {
    compare_decoders(bytes)?;
    let mut sealed = bytes.to_vec();
    reseal(&mut sealed);
    if sealed != bytes {
        compare_decoders(&sealed).map_err(|e| format!("with CRCs recomputed: {e}"))?;
    }
    Ok(())
}

fn compare_decoders(bytes: &[u8]) -> Result<(), String> {
    let clean = check::check(bytes).is_clean();
    let (mut fast_msgs, mut ref_msgs) = (Vec::new(), Vec::new());
    let f = fast::decode(bytes, |m| fast_msgs.push(m));
    let r = reference::decode(bytes, |m| ref_msgs.push(m));
    let by_fast = read_activity("fuzz.fit", bytes, None, Decoder::Fast);
    let by_ref = read_activity("fuzz.fit", bytes, None, Decoder::Fitparser);
    if !clean || f.error.is_some() {
        // Damaged, or the selective decoder handed the file to fitparser: nothing to compare.
        return Ok(());
    }
    if let Some(e) = &r.error {
        return Err(format!("fast read to the end, fitparser stopped: {e}"));
    }
    if let Some(i) = (0..fast_msgs.len().max(ref_msgs.len()))
        .find(|&i| !same_msg(fast_msgs.get(i), ref_msgs.get(i)))
    {
        return Err(format!(
            "message {i} differs: fast {:?} / fitparser {:?}",
            fast_msgs.get(i),
            ref_msgs.get(i)
        ));
    }
    if f.counts != r.counts {
        return Err(format!(
            "message counts differ: fast {:?} / fitparser {:?}",
            f.counts, r.counts
        ));
    }
    // Debug text, so a NaN read by both is equal.
    let (a, b) = (format!("{by_fast:?}"), format!("{by_ref:?}"));
    if a != b {
        return Err(format!(
            "verdict or sessions differ: fast {a} / fitparser {b}"
        ));
    }
    Ok(())
}

fn same_msg(a: Option<&Msg>, b: Option<&Msg>) -> bool {
    a == b || format!("{a:?}") == format!("{b:?}")
}

/// Recomputes every header CRC (when set) and trailing CRC of the chain of FIT streams.
pub fn reseal(bytes: &mut [u8]) {
    let mut pos = 0;
    while pos + 12 <= bytes.len() && &bytes[pos + 8..pos + 12] == b".FIT" {
        let header_size = bytes[pos] as usize;
        let data_size = u32::from_le_bytes([
            bytes[pos + 4],
            bytes[pos + 5],
            bytes[pos + 6],
            bytes[pos + 7],
        ]) as usize;
        let Some(total) = (header_size + 2).checked_add(data_size) else {
            return;
        };
        if header_size < 12 || pos + total > bytes.len() {
            return;
        }
        let mut header_crc = false;
        if header_size >= 14 && (bytes[pos + 12], bytes[pos + 13]) != (0, 0) {
            let c = check::crc16(&bytes[pos..pos + 12]).to_le_bytes();
            bytes[pos + 12..pos + 14].copy_from_slice(&c);
            header_crc = true;
        }
        let from = if header_crc { pos + header_size } else { pos };
        let c = check::crc16(&bytes[from..pos + total - 2]).to_le_bytes();
        bytes[pos + total - 2..pos + total].copy_from_slice(&c);
        pos += total;
    }
}

// ---- zip -------------------------------------------------------------------------------

/// `bytes` as a zip given on the command line, and as a part zip inside a Garmin-style
/// export: ingest reads them with a 1 MiB size limit, never panics, and leaves the folder
/// it reads from exactly as it was (no member is ever written out, whatever its name).
/// (Memory is checked by the AFL++ binary, which counts allocations.)
pub fn check_zip(bytes: &[u8]) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| format!("no temp dir: {e}"))?;
    let input = dir.path().join("in");
    std::fs::create_dir(&input).map_err(|e| e.to_string())?;
    std::fs::write(input.join("export.zip"), bytes).map_err(|e| e.to_string())?;
    std::fs::write(input.join("garmin_export.zip"), export_with_part(bytes))
        .map_err(|e| e.to_string())?;
    let before = listing(dir.path());
    let opts = IngestOptions {
        limits: Limits {
            max_file_bytes: ZIP_LIMIT_BYTES,
        },
        ..IngestOptions::default()
    };
    for name in ["export.zip", "garmin_export.zip"] {
        ingest::ingest(&[input.join(name)], &opts);
    }
    let after = listing(dir.path());
    if before != after {
        return Err(format!(
            "reading the zips changed the folder: {before:?} -> {after:?}"
        ));
    }
    Ok(())
}

/// A Garmin export holding `part` stored (not deflated) as its part zip.
pub fn export_with_part(part: &[u8]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    z.start_file(
        "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip",
        opts,
    )
    .expect("a zip in memory takes a file");
    z.write_all(part).expect("writing to memory");
    z.finish().expect("a zip in memory finishes");
    buf.into_inner()
}

/// Every path under `dir` with its size, sorted.
fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let size = e.metadata().map(|m| m.len()).unwrap_or(0);
            if path.is_dir() {
                todo.push(path.clone());
            }
            out.push((path, size));
        }
    }
    out.sort();
    out
}

// ---- xml -------------------------------------------------------------------------------

/// `bytes` as GPX and as TCX, in memory and as a stream read a few bytes at a time: no
/// panic, the same verdict and sessions either way, and no entity the document declares is
/// ever expanded into what is read.
pub fn check_xml(bytes: &[u8]) -> Result<(), String> {
    let whole = [
        format!("{:?}", gpx::read("fuzz.gpx", bytes, None)),
        format!("{:?}", tcx::read("fuzz.tcx", bytes, None)),
        format!("{:?}", tcx::read_noted("fuzz.tcx", bytes, None)),
        format!(
            "{:?}",
            read_activity("fuzz.xml", bytes, None, Decoder::Fast)
        ),
    ];
    let streamed = [
        format!(
            "{:?}",
            gpx::read(
                "fuzz.gpx",
                ingest::xml::Input::Stream(&mut Trickle::new(bytes)),
                None
            )
        ),
        format!(
            "{:?}",
            tcx::read(
                "fuzz.tcx",
                ingest::xml::Input::Stream(&mut Trickle::new(bytes)),
                None
            )
        ),
    ];
    for (format, (a, b)) in ["GPX", "TCX"].iter().zip(whole.iter().zip(&streamed)) {
        if a != b {
            return Err(format!(
                "{format} read in memory and as a stream differ: {a} / {b}"
            ));
        }
    }
    // Apple Health `export.xml`: read whole and as a trickle, the same; the heart-rate
    // series of every workout it found can be drawn.
    let apple = apple::read("export.xml", &mut &bytes[..], None);
    let apple_streamed = apple::read("export.xml", &mut Trickle::new(bytes), None);
    let (a, b) = (format!("{apple:?}"), format!("{apple_streamed:?}"));
    if a != b {
        return Err(format!(
            "Apple export read in memory and as a stream differ: {a} / {b}"
        ));
    }
    for session in &apple.sessions {
        let _ = session.hr_records.series();
    }
    // Only what was read counts: a verdict's message may quote the raw document,
    // declaration and all. A value found in what was read is an expansion only if it goes
    // away when the declaration's text is changed (the field names of a reading's
    // `Debug` text, or a sport named from the workout type, are no expansion).
    let read = what_was_read(bytes);
    for value in entity_values(bytes) {
        let Some(out) = read.iter().find(|out| out.contains(&value)) else {
            continue;
        };
        let Some(at) = bytes
            .windows(value.len())
            .position(|w| w == value.as_bytes())
        else {
            continue;
        };
        let mut swapped = bytes.to_vec();
        swapped[at..at + value.len()].fill(b'q');
        if !what_was_read(&swapped).iter().any(|o| o.contains(&value)) {
            return Err(format!("entity value {value:?} expanded into {out}"));
        }
    }
    Ok(())
}

/// What the GPX, TCX and Apple readers read from `bytes` (never their verdicts, which may
/// quote the document).
fn what_was_read(bytes: &[u8]) -> [String; 3] {
    let apple = apple::read("export.xml", &mut &bytes[..], None);
    [
        format!("{:?}", gpx::read("fuzz.gpx", bytes, None).1),
        format!("{:?}", tcx::read("fuzz.tcx", bytes, None).1),
        format!("{:?} {:?} {:?}", apple.sessions, apple.days, apple.routes),
    ]
}

/// A reader that hands out its bytes 1 to 7 at a time, so every window boundary is met.
pub struct Trickle<'a> {
    bytes: &'a [u8],
    step: usize,
}

impl<'a> Trickle<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Trickle { bytes, step: 0 }
    }
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.step = self.step % 7 + 1;
        let n = self.step.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

/// The replacement texts of `<!ENTITY name "text">` declarations that appear nowhere else
/// in the document (so finding one in what was read means it was expanded).
fn entity_values(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    for decl in text.split("<!ENTITY").skip(1) {
        let Some(q) = decl.find(['"', '\'']) else {
            continue;
        };
        let quote = decl[q..].chars().next().expect("found a quote");
        let rest = &decl[q + 1..];
        let Some(end) = rest.find(quote) else {
            continue;
        };
        let value = &rest[..end];
        if value.len() >= 4 && !value.contains(['&', '<', '%']) && text.matches(value).count() == 1
        {
            out.push(value.to_string());
        }
    }
    out
}

// ---- journal ---------------------------------------------------------------------------

/// `bytes` as `journal.csv`: no panic, and every row after the header is either a day read
/// or a row left out with a problem naming its line.
pub fn check_journal(bytes: &[u8]) -> Result<(), String> {
    for require_sleep in [false, true] {
        let Ok(journal) = read_journal("journal.csv", bytes, &JournalOptions { require_sleep })
        else {
            continue;
        };
        let rows = data_rows(bytes);
        let read = journal.entries.len() + journal.rows_left_out;
        if read != rows {
            return Err(format!(
                "{rows} rows after the header, but {} read and {} left out",
                journal.entries.len(),
                journal.rows_left_out
            ));
        }
        // A row left out is named by a problem; so is a row kept without one of its values
        // (a bad HRV cell costs only the HRV).
        let kept: std::collections::BTreeSet<usize> =
            journal.entries.iter().map(|e| e.line).collect();
        let named: std::collections::BTreeSet<usize> =
            journal.problems.iter().map(|p| p.line).collect();
        let named_left_out = named.iter().filter(|l| !kept.contains(l)).count();
        let named_kept = named.len() - named_left_out;
        if named_left_out != journal.rows_left_out || named_kept != journal.values_left_out {
            return Err(format!(
                "{} rows left out and {} values left out, but {named_left_out} left-out and \
                 {named_kept} kept lines named by problems: {:?}",
                journal.rows_left_out, journal.values_left_out, journal.problems
            ));
        }
        if let Some(p) = journal
            .problems
            .iter()
            .find(|p| !p.message.contains(&format!("line {}", p.line)))
        {
            return Err(format!("a problem does not name its line: {p:?}"));
        }
    }
    Ok(())
}

/// Non-blank CSV records after the first non-blank one (the header), counted by the csv
/// crate on its own.
fn data_rows(bytes: &[u8]) -> usize {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut non_blank = 0usize;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        if !record.iter().all(|c| c.trim_ascii().is_empty()) {
            non_blank += 1;
        }
    }
    non_blank.saturating_sub(1)
}

// ---- config ----------------------------------------------------------------------------

/// `bytes` as `recovery.toml`: no panic, and an error names the line or a key of the file.
pub fn check_config(bytes: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let files = [(PathBuf::from("recovery.toml"), text.clone())];
    let Err(e) = settings_layered(&Overrides::default(), &files) else {
        return Ok(());
    };
    let message = e.to_string();
    if names_line(&message) || keys(&text).iter().any(|k| names_key(&message, k)) {
        Ok(())
    } else {
        Err(format!(
            "the error names neither a line nor a key: {message}"
        ))
    }
}

/// `line N` in the message.
fn names_line(message: &str) -> bool {
    message
        .match_indices("line ")
        .any(|(i, m)| message[i + m.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

/// The key in the message, as a whole word.
fn names_key(message: &str, key: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    message
        .match_indices(key)
        .any(|(i, m)| !message[..i].ends_with(word) && !message[i + m.len()..].starts_with(word))
}

/// The keys and table names the text sets (`hr_max = …`, `[rules]`, `rules.sore = …`).
fn keys(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let names = match line.strip_prefix('[') {
            Some(table) => table.trim_matches(['[', ']']),
            None => line.split_once('=').map_or("", |(k, _)| k),
        };
        out.extend(
            names
                .split('.')
                .map(|k| k.trim().trim_matches(['"', '\'']).to_string())
                .filter(|k| !k.is_empty()),
        );
    }
    out
}
