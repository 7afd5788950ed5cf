//! Where FIT bytes come from: files, folders (recursive), zip archives (nested too, read
//! in place) and gzip, each turned into a [`Source`] that can be loaded on any thread.
//!
//! A zip given on the command line (or found in a folder) is opened in place by its central
//! directory. A zip inside a zip (a Garmin export's `UploadedFiles_*_Part*.zip`, often
//! hundreds of MB) is a [`Stream`]: read once from start to end by [`zip_stream`], so
//! memory never grows with its size; each entry becomes a source of its own, still
//! deflated, so the threads that decode also inflate.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;
use zip::ZipArchive;

use super::zip_stream::{self, read_up_to, Payload, Streamed, ZipStreamError, MAX_ZIP_DEPTH};
use super::Limits;

/// One candidate input: a file on disk or a member of an archive.
#[derive(Clone)]
pub struct Source {
    /// The path as given on the command line, joined with the path inside archives.
    pub label: String,
    pub origin: Origin,
    /// Given by name on the command line (not found in a folder or archive walk).
    pub explicit: bool,
}

/// How to get a source's bytes.
#[derive(Clone)]
pub enum Origin {
    File(PathBuf),
    ZipMember {
        archive: ZipArchive<ArchiveReader>,
        index: usize,
    },
    /// An entry of a zip read as a [`Stream`].
    Streamed(Payload),
}

impl Source {
    /// An entry as it came off a [`Stream`].
    pub fn streamed(label: String, payload: Payload) -> Source {
        Source {
            label,
            origin: Origin::Streamed(payload),
            explicit: false,
        }
    }
}

/// A cheaply clonable `Read + Seek` over an archive on disk, so each thread can read its
/// own members of one archive without reopening it.
#[derive(Clone)]
pub enum ArchiveReader {
    Disk { file: Arc<File>, pos: u64, len: u64 },
}

impl Read for ArchiveReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            ArchiveReader::Disk { file, pos, .. } => {
                let n = read_at(file, buf, *pos)?;
                *pos += n as u64;
                Ok(n)
            }
        }
    }
}

impl Seek for ArchiveReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        match self {
            ArchiveReader::Disk { pos, len, .. } => {
                let new = match to {
                    SeekFrom::Start(n) => Some(n),
                    SeekFrom::End(d) => len.checked_add_signed(d),
                    SeekFrom::Current(d) => pos.checked_add_signed(d),
                };
                *pos = new.ok_or_else(|| {
                    io::Error::new(io::ErrorKind::InvalidInput, "seek before the start")
                })?;
                Ok(*pos)
            }
        }
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, pos)
}

#[cfg(not(unix))]
fn read_at(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, pos)
}

/// A problem met while listing inputs: one line for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub label: String,
    pub message: String,
}

/// Everything found under the given paths.
#[derive(Default)]
pub struct Listing {
    pub sources: Vec<Source>,
    /// Zips inside zips, read as streams when ingest runs.
    pub streams: Vec<Stream>,
    pub notices: Vec<Notice>,
    /// Paths given on the command line that do not exist.
    pub missing: Vec<String>,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];

/// Lists every candidate under `paths`, in a deterministic order (names sorted).
pub fn list(paths: &[PathBuf]) -> Listing {
    let mut out = Listing::default();
    for p in paths {
        let label = p.to_string_lossy().into_owned();
        match std::fs::metadata(p) {
            Err(_) => out.missing.push(label),
            Ok(m) if m.is_dir() => walk(p, &label, &mut out),
            Ok(_) => add_file(p, label, true, &mut out),
        }
    }
    out
}

fn walk(dir: &Path, label: &str, out: &mut Listing) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.notices.push(Notice {
                label: label.to_string(),
                message: format!("folder cannot be read ({e}); check its permissions"),
            });
            return;
        }
    };
    let mut names: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    names.sort_by_key(|e| e.file_name());
    for e in names {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = e.path();
        let child = join(label, &name);
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&path, &child, out),
            Ok(_) => add_file(&path, child, false, out),
            Err(_) => {}
        }
    }
}

fn join(label: &str, name: &str) -> String {
    if label.ends_with('/') {
        format!("{label}{name}")
    } else {
        format!("{label}/{name}")
    }
}

/// Does the name's extension say the file is something else than an activity (an image,
/// code, a document, unknown data)? Such files are counted and never opened. Only
/// `.fit`, `.gpx`, `.tcx` (each maybe `.gz`), `.zip` and names without an extension are
/// looked into. An extension is what follows the last dot of the name: up to 10 letters
/// and digits, the first a letter (so `Run 10.5` and `export.2` have none).
pub fn named_other(label: &str) -> bool {
    let name = label
        .rsplit('/')
        .next()
        .unwrap_or(label)
        .to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let is_extension = !stem.is_empty()
        && ext.len() <= 10
        && ext.starts_with(|c: char| c.is_ascii_alphabetic())
        && ext.chars().all(|c| c.is_ascii_alphanumeric());
    is_extension && !matches!(ext, "fit" | "gpx" | "tcx" | "zip")
}

fn add_file(path: &Path, label: String, explicit: bool, out: &mut Listing) {
    if named_other(&label) {
        // Counted by ingest, never opened.
        out.sources.push(Source {
            label,
            origin: Origin::File(path.to_path_buf()),
            explicit,
        });
        return;
    }
    let mut head = [0u8; 4];
    let n = File::open(path)
        .and_then(|mut f| read_up_to(&mut f, &mut head))
        .unwrap_or(0);
    if is_zip(&head[..n]) {
        match open_disk_archive(path) {
            Ok(zip) => add_archive(zip, &label, out, 0),
            Err(e) => out.notices.push(Notice {
                label,
                message: format!("zip archive cannot be read ({e}); re-download or re-create it"),
            }),
        }
        return;
    }
    out.sources.push(Source {
        label,
        origin: Origin::File(path.to_path_buf()),
        explicit,
    });
}

fn is_zip(head: &[u8]) -> bool {
    head.starts_with(ZIP_MAGIC) || head.starts_with(ZIP_EMPTY_MAGIC)
}

fn open_disk_archive(path: &Path) -> zip::result::ZipResult<ZipArchive<ArchiveReader>> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    ZipArchive::new(ArchiveReader::Disk {
        file: Arc::new(file),
        pos: 0,
        len,
    })
}

fn add_archive(mut zip: ZipArchive<ArchiveReader>, label: &str, out: &mut Listing, depth: usize) {
    let mut members: Vec<(String, usize)> = Vec::new();
    for index in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(index) else {
            out.notices.push(Notice {
                label: label.to_string(),
                message: format!("zip entry {index} is unreadable; skipped"),
            });
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().unwrap_or_default().to_string();
        members.push((name, index));
    }
    members.sort();
    for (name, index) in members {
        let child = join(label, &name);
        if name.to_ascii_lowercase().ends_with(".zip") {
            if depth + 1 > MAX_ZIP_DEPTH {
                out.notices.push(Notice {
                    label: child,
                    message: format!("archive nested more than {MAX_ZIP_DEPTH} deep; not opened"),
                });
                continue;
            }
            out.streams.push(Stream {
                label: child,
                archive: zip.clone(),
                index,
                depth: depth + 1,
            });
            continue;
        }
        out.sources.push(Source {
            label: child,
            origin: Origin::ZipMember {
                archive: zip.clone(),
                index,
            },
            explicit: false,
        });
    }
}

/// A zip inside a zip, read front to back as a stream of local entries.
#[derive(Clone)]
pub struct Stream {
    /// The outer archive's label joined with the inner zip's name.
    pub label: String,
    archive: ZipArchive<ArchiveReader>,
    index: usize,
    depth: usize,
}

/// Reads the stream `st` (see [`zip_stream::read`]), calling `emit` with each entry and
/// each problem in stream order.
pub fn stream(st: &Stream, limits: Limits, emit: &mut dyn FnMut(Streamed)) {
    let mut zip = st.archive.clone();
    let mut entry = match zip.by_index(st.index) {
        Ok(e) => e,
        Err(e) => {
            return emit(Streamed::Problem {
                label: st.label.clone(),
                error: ZipStreamError::Unopened(e),
            })
        }
    };
    zip_stream::read(&mut entry, &st.label, st.depth, limits, emit);
}

/// Reads one archive member whole, refusing one that claims or expands past the limit.
fn read_member(
    zip: &mut ZipArchive<ArchiveReader>,
    index: usize,
    limits: Limits,
) -> Result<Vec<u8>, String> {
    let entry = zip
        .by_index(index)
        .map_err(|e| format!("zip entry cannot be read ({e}); skipped"))?;
    if entry.size() > limits.max_file_bytes {
        return Err(format!(
            "claims {} bytes, over the {}-byte limit (--max-file-mb); skipped",
            entry.size(),
            limits.max_file_bytes
        ));
    }
    read_limited(entry, limits.max_file_bytes)
}

fn read_limited(r: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    r.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot be read ({e}); skipped"))?;
    if buf.len() as u64 > limit {
        return Err(format!(
            "expands past the {limit}-byte limit (--max-file-mb); skipped"
        ));
    }
    Ok(buf)
}

/// Loads a source's bytes whatever they are, un-gzipped (for the JSON and CSV files of
/// account exports).
pub fn load_raw(source: &Source, limits: Limits) -> Result<Vec<u8>, String> {
    let raw = match &source.origin {
        Origin::File(path) => {
            let f = File::open(path)
                .map_err(|e| format!("cannot be read ({e}); check it exists and is readable"))?;
            read_limited(f, limits.max_file_bytes)?
        }
        Origin::ZipMember { archive, index } => {
            let mut zip = archive.clone();
            read_member(&mut zip, *index, limits)?
        }
        Origin::Streamed(payload) => payload.load(limits).map_err(|e| e.to_string())?,
    };
    if raw.starts_with(GZIP_MAGIC) {
        return read_limited(MultiGzDecoder::new(&raw[..]), limits.max_file_bytes)
            .map_err(|e| format!("gzip data {}", e.trim_start_matches("cannot be read ")));
    }
    Ok(raw)
}

/// Loads a source's bytes, un-gzipped: `Ok(None)` when it is not FIT data (no `.FIT`
/// signature) nor a GPX or TCX document (see `xml::sniff`); a plain file is sniffed
/// before it is read whole. `Err` is a one-line reason.
pub fn load(source: &Source, limits: Limits) -> Result<Option<Vec<u8>>, String> {
    let raw = match &source.origin {
        Origin::File(path) => {
            let mut f = File::open(path)
                .map_err(|e| format!("cannot be read ({e}); check it exists and is readable"))?;
            let len = f.metadata().map(|m| m.len()).unwrap_or(0);
            let mut head = [0u8; 12];
            let n = read_up_to(&mut f, &mut head)
                .map_err(|e| format!("cannot be read ({e}); check its permissions"))?;
            if !head[..n].starts_with(GZIP_MAGIC)
                && !super::fit::check::looks_like_fit(&head[..n])
                && !super::xml::may_be_xml(&head[..n])
            {
                return if n == 0 {
                    Ok(Some(Vec::new()))
                } else {
                    Ok(None)
                };
            }
            if len > limits.max_file_bytes {
                return Err(format!(
                    "is {len} bytes, over the {}-byte limit (--max-file-mb); skipped",
                    limits.max_file_bytes
                ));
            }
            // One buffer of the file's size: no second copy of every file's bytes.
            let mut bytes = Vec::with_capacity(len as usize + 1);
            bytes.extend_from_slice(&head[..n]);
            f.take(limits.max_file_bytes + 1 - n as u64)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot be read ({e}); check its permissions"))?;
            if bytes.len() as u64 > limits.max_file_bytes {
                return Err(format!(
                    "grew past the {}-byte limit (--max-file-mb) while being read; skipped",
                    limits.max_file_bytes
                ));
            }
            bytes
        }
        Origin::ZipMember { archive, index } => {
            let mut zip = archive.clone();
            read_member(&mut zip, *index, limits)?
        }
        Origin::Streamed(payload) => payload.load(limits).map_err(|e| e.to_string())?,
    };
    let bytes = if raw.starts_with(GZIP_MAGIC) {
        read_limited(MultiGzDecoder::new(&raw[..]), limits.max_file_bytes)
            .map_err(|e| format!("gzip data {}", e.trim_start_matches("cannot be read ")))?
    } else {
        raw
    };
    if bytes.is_empty()
        || super::fit::check::looks_like_fit(&bytes)
        || super::xml::sniff(&bytes).is_some()
    {
        Ok(Some(bytes))
    } else {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_says_other_file_only_by_an_extension_that_is_not_an_activity_or_a_zip() {
        // Table: name, ignored by its name?
        let cases = [
            ("a/__init__.py", true),
            ("export.zip/Part1.zip/IMG_0042.JPG", true),
            ("notes.txt", true),
            ("data.bin", true),
            ("photo.jpg.gz", true),
            ("run.fit", false),
            ("RUN.FIT", false),
            ("run.fit.gz", false),
            ("walk.gpx.gz", false),
            ("ride.tcx", false),
            ("export.zip", false),
            ("activity", false),    // no extension: looked into
            ("activity.gz", false), // no extension under the gzip
            ("Run 10.5", false),    // "5" is not an extension
            ("export.2", false),
            ("x/.hidden", false),
            ("empty", false),
        ];
        for (name, want) in cases {
            assert_eq!(named_other(name), want, "{name}");
        }
    }
}
