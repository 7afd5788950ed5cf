//! Where FIT bytes come from: files, folders (recursive), zip archives (nested too, read
//! in place) and gzip, each turned into a [`Source`] that can be loaded on any thread.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;
use zip::ZipArchive;

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
}

/// A cheaply clonable `Read + Seek` over an archive on disk or in memory, so each thread
/// can read its own members of one archive without reopening it.
#[derive(Clone)]
pub enum ArchiveReader {
    Disk { file: Arc<File>, pos: u64, len: u64 },
    Memory(io::Cursor<Arc<[u8]>>),
}

impl Read for ArchiveReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            ArchiveReader::Disk { file, pos, .. } => {
                let n = read_at(file, buf, *pos)?;
                *pos += n as u64;
                Ok(n)
            }
            ArchiveReader::Memory(c) => c.read(buf),
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
            ArchiveReader::Memory(c) => c.seek(to),
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

/// Limits that keep one hostile input from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file (or decompressed member) read into memory.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 512 * 1024 * 1024,
        }
    }
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
    pub notices: Vec<Notice>,
    /// Paths given on the command line that do not exist.
    pub missing: Vec<String>,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];

/// Lists every candidate under `paths`, in a deterministic order (names sorted).
pub fn list(paths: &[PathBuf], limits: Limits) -> Listing {
    let mut out = Listing::default();
    for p in paths {
        let label = p.to_string_lossy().into_owned();
        match std::fs::metadata(p) {
            Err(_) => out.missing.push(label),
            Ok(m) if m.is_dir() => walk(p, &label, &mut out, limits),
            Ok(_) => add_file(p, label, true, &mut out, limits),
        }
    }
    out
}

fn walk(dir: &Path, label: &str, out: &mut Listing, limits: Limits) {
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
            Ok(t) if t.is_dir() => walk(&path, &child, out, limits),
            Ok(_) => add_file(&path, child, false, out, limits),
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

fn add_file(path: &Path, label: String, explicit: bool, out: &mut Listing, limits: Limits) {
    let mut head = [0u8; 4];
    let n = File::open(path)
        .and_then(|mut f| read_up_to(&mut f, &mut head))
        .unwrap_or(0);
    if is_zip(&head[..n]) {
        match open_disk_archive(path) {
            Ok(zip) => add_archive(zip, &label, out, limits, 0),
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

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
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

/// Nested archives deeper than this are reported, not opened (a zip quine never ends).
const MAX_ZIP_DEPTH: usize = 4;

fn add_archive(
    mut zip: ZipArchive<ArchiveReader>,
    label: &str,
    out: &mut Listing,
    limits: Limits,
    depth: usize,
) {
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
            match read_member(&mut zip, index, limits) {
                Ok(bytes) if is_zip(&bytes) => {
                    let reader = ArchiveReader::Memory(io::Cursor::new(Arc::from(bytes)));
                    match ZipArchive::new(reader) {
                        Ok(inner) => add_archive(inner, &child, out, limits, depth + 1),
                        Err(e) => out.notices.push(Notice {
                            label: child,
                            message: format!("inner zip archive cannot be read ({e}); skipped"),
                        }),
                    }
                }
                Ok(_) => out.notices.push(Notice {
                    label: child,
                    message: "named .zip but is not a zip archive; skipped".into(),
                }),
                Err(e) => out.notices.push(Notice {
                    label: child,
                    message: e,
                }),
            }
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
