//! Where FIT bytes come from: files, folders (recursive), zip archives (nested too, read
//! in place) and gzip, each turned into a [`Source`] that can be loaded on any thread.
//!
//! A zip given on the command line (or found in a folder) is opened in place by its central
//! directory. A zip inside a zip (a Garmin export's `UploadedFiles_*_Part*.zip`, often
//! hundreds of MB) is a [`Stream`]: read once from start to end as a stream of local
//! entries, so memory never grows with its size; each entry becomes a source of its own,
//! still deflated, so the threads that decode also inflate.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
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
    /// An entry of a zip read as a [`Stream`].
    Streamed(Payload),
}

/// An entry of a streamed zip, as it came off the stream.
#[derive(Clone)]
pub enum Payload {
    /// The entry's bytes (stored, or already inflated to find where the entry ends).
    Bytes(Vec<u8>),
    /// Deflated bytes still to inflate, with the size and CRC-32 the header declares.
    Deflated { raw: Vec<u8>, size: u64, crc: u32 },
    /// The entry could not be used: one line saying why.
    Failed(String),
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

fn read_up_to(r: &mut (impl Read + ?Sized), buf: &mut [u8]) -> io::Result<usize> {
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
        Origin::Streamed(payload) => payload.load(limits)?,
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
        Origin::Streamed(payload) => payload.load(limits)?,
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

impl Payload {
    /// The entry's bytes, inflated (and checked against its CRC-32) when needed.
    fn load(&self, limits: Limits) -> Result<Vec<u8>, String> {
        match self {
            Payload::Bytes(b) => Ok(b.clone()),
            Payload::Failed(why) => Err(why.clone()),
            Payload::Deflated { raw, size, crc } => {
                let mut out = Vec::with_capacity((*size).min(limits.max_file_bytes) as usize);
                flate2::read::DeflateDecoder::new(&raw[..])
                    .take(limits.max_file_bytes + 1)
                    .read_to_end(&mut out)
                    .map_err(|e| format!("zip entry cannot be inflated ({e}); skipped"))?;
                if out.len() as u64 > limits.max_file_bytes {
                    return Err(format!(
                        "expands past the {}-byte limit (--max-file-mb); skipped",
                        limits.max_file_bytes
                    ));
                }
                check_crc(&out, *crc)?;
                Ok(out)
            }
        }
    }
}

fn check_crc(bytes: &[u8], want: u32) -> Result<(), String> {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    if crc.sum() == want {
        Ok(())
    } else {
        Err(format!(
            "zip entry CRC-32 is {:08x}, the archive says {want:08x}: damaged; skipped",
            crc.sum()
        ))
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

/// What a stream yields, in stream order.
pub enum Streamed {
    Source(Source),
    Notice(Notice),
    /// How many deflated bytes an entry whose sizes only follow its data took in the
    /// stream (learnt by inflating it), so a later read of the stream can step over it
    /// without inflating: see [`Pick`].
    Packed {
        label: String,
        bytes: u64,
    },
}

/// The packed length of every entry whose sizes only follow its data (data descriptors,
/// as real Garmin exports write them), by label, learnt on the first read of the streams.
/// `None` for a label met twice (a zip holding two entries of one name): those are inflated
/// again rather than stepped over by the wrong length.
pub type PackedSizes = std::collections::HashMap<String, Option<u64>>;

/// Records that the entry `label` took `bytes` packed bytes (see [`PackedSizes`]).
pub fn record_packed(sizes: &mut PackedSizes, label: String, bytes: u64) {
    sizes
        .entry(label)
        .and_modify(|b| *b = None)
        .or_insert(Some(bytes));
}

/// Which entries a read of a stream wants. The first read wants all; the charts' second
/// read wants a few sessions' files, steps over the other entries without inflating them
/// where their packed length is known, and stops once it has them all.
pub struct Pick<'a> {
    wanted: Option<&'a std::collections::BTreeSet<String>>,
    packed: Option<&'a PackedSizes>,
    /// Wanted entries met so far (a zip may hold two entries of one name).
    met: std::cell::RefCell<std::collections::BTreeSet<String>>,
}

impl<'a> Pick<'a> {
    /// Every entry (the first read).
    pub fn all() -> Pick<'static> {
        Pick {
            wanted: None,
            packed: None,
            met: Default::default(),
        }
    }

    /// Only the entries labelled in `wanted`, stepping over others by `packed`.
    pub fn only(wanted: &'a std::collections::BTreeSet<String>, packed: &'a PackedSizes) -> Self {
        Pick {
            wanted: Some(wanted),
            packed: Some(packed),
            met: Default::default(),
        }
    }

    /// Is `label` (an entry, or a zip that may hold wanted entries) wanted?
    fn wants(&self, label: &str, nested: bool) -> bool {
        let Some(w) = self.wanted else { return true };
        if nested {
            let prefix = format!("{label}/");
            w.range(prefix.clone()..)
                .next()
                .is_some_and(|l| l.starts_with(&prefix))
        } else {
            w.contains(label)
        }
    }

    fn done(&self) -> bool {
        self.wanted
            .is_some_and(|w| self.met.borrow().len() == w.len())
    }

    fn packed(&self, label: &str) -> Option<u64> {
        self.packed.and_then(|p| p.get(label).copied().flatten())
    }
}

/// Local file header, central directory header, end of central directory (zip64 too),
/// data descriptor.
const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const END64: u32 = 0x0606_4b50;
const DESCRIPTOR: u32 = 0x0807_4b50;

/// Nothing inflates more than this while looking for the end of an entry whose size is only
/// given after it, or of a nested zip left early: a zip bomb would otherwise run for minutes.
const MAX_DRAIN: u64 = 4 << 30;

/// Reads the stream `st`, calling `emit` with each entry (as a [`Source`]) and each problem
/// in stream order. Memory holds one entry at a time plus a read buffer; nested zips are
/// streamed in turn, up to the nesting limit.
pub fn stream(st: &Stream, limits: Limits, emit: &mut dyn FnMut(Streamed)) {
    stream_picked(st, limits, &Pick::all(), emit)
}

/// [`stream`], yielding only the entries `pick` wants.
pub fn stream_picked(st: &Stream, limits: Limits, pick: &Pick, emit: &mut dyn FnMut(Streamed)) {
    let mut zip = st.archive.clone();
    let entry = match zip.by_index(st.index) {
        Ok(e) => e,
        Err(e) => {
            return emit(Streamed::Notice(Notice {
                label: st.label.clone(),
                message: format!("zip entry cannot be read ({e}); skipped"),
            }))
        }
    };
    let mut r = BufReader::with_capacity(256 * 1024, entry);
    let mut counted = |item: Streamed| {
        if let (Streamed::Source(src), Some(w)) = (&item, pick.wanted) {
            if w.contains(&src.label) {
                pick.met.borrow_mut().insert(src.label.clone());
            }
        }
        emit(item)
    };
    stream_zip(&mut r, &st.label, st.depth, limits, pick, &mut counted);
}

fn stream_zip(
    r: &mut dyn BufRead,
    label: &str,
    depth: usize,
    limits: Limits,
    pick: &Pick,
    emit: &mut dyn FnMut(Streamed),
) {
    let notice = |message: String| {
        Streamed::Notice(Notice {
            label: label.to_string(),
            message,
        })
    };
    let mut entries = 0usize;
    while !pick.done() {
        match next_entry(r, label, depth, limits, pick, emit) {
            Ok(true) => entries += 1,
            Ok(false) => return,
            Err(why) if entries == 0 && why.starts_with("no local entry") => {
                return emit(notice(
                    "named .zip but is not a zip archive; skipped".to_string(),
                ))
            }
            Err(why) => {
                return emit(notice(format!(
                    "inner zip archive read as far as entry {entries}: {why}; the entries before it were read"
                )))
            }
        }
    }
}

fn read_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn read_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn read_u64(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

/// Reads one local entry. `Ok(false)` at the central directory (or a clean end of the
/// stream); `Err` when the stream cannot be followed further.
fn next_entry(
    r: &mut dyn BufRead,
    label: &str,
    depth: usize,
    limits: Limits,
    pick: &Pick,
    emit: &mut dyn FnMut(Streamed),
) -> Result<bool, String> {
    let io = |e: io::Error| format!("cannot be read ({e})");
    let mut sig = [0u8; 4];
    let n = read_up_to(r, &mut sig).map_err(io)?;
    if n == 0 {
        return Ok(false);
    }
    let sig = if n == 4 { u32::from_le_bytes(sig) } else { 0 };
    match sig {
        LOCAL => {}
        CENTRAL | END | END64 => return Ok(false),
        _ => return Err("no local entry header where one should be".into()),
    }
    let mut h = [0u8; 26];
    r.read_exact(&mut h).map_err(io)?;
    let flags = read_u16(&h, 2);
    let method = read_u16(&h, 4);
    let crc = read_u32(&h, 10);
    let mut csize = read_u32(&h, 14) as u64;
    let mut size = read_u32(&h, 18) as u64;
    let mut name = vec![0u8; read_u16(&h, 22) as usize];
    r.read_exact(&mut name).map_err(io)?;
    let mut extra = vec![0u8; read_u16(&h, 24) as usize];
    r.read_exact(&mut extra).map_err(io)?;
    let zip64 = zip64_sizes(&extra, &mut size, &mut csize);
    let name = String::from_utf8_lossy(&name).into_owned();
    let child = join(label, &name);
    let descriptor = flags & 0x08 != 0;
    let encrypted = flags & 0x01 != 0;
    let is_dir = name.ends_with('/');
    let nested = name.to_ascii_lowercase().ends_with(".zip");
    let failed = |why: String| {
        Streamed::Source(Source {
            label: child.clone(),
            origin: Origin::Streamed(Payload::Failed(why)),
            explicit: false,
        })
    };

    if !is_dir && !pick.wants(&child, nested) {
        // A second read stepping over an entry it does not want: by its length, known
        // from its header or from the first read, without inflating it.
        let known = if descriptor {
            pick.packed(&child)
        } else {
            Some(csize)
        };
        if let Some(len) = known {
            if drain(&mut (&mut *r).take(len), u64::MAX).map_err(io)? < len {
                return Err("the stream ends inside an entry".into());
            }
            if descriptor {
                read_descriptor(r, zip64).map_err(io)?;
            }
            return Ok(true);
        }
    }

    if descriptor {
        // The size follows the data: only a deflate stream says where it ends.
        if method != 8 || encrypted {
            let what = if encrypted {
                "is encrypted".to_string()
            } else if method == 0 {
                "is stored".to_string()
            } else {
                format!("uses compression method {method}")
            };
            return Err(format!(
                "entry {name:?} {what} with its size only after its data, so its end cannot be found in a stream (re-create the zip with deflate)"
            ));
        }
        let mut inflater = flate2::bufread::DeflateDecoder::new(&mut *r);
        if nested && !is_dir {
            nested_zip(&mut inflater, &child, depth, limits, pick, emit);
            if pick.done() {
                return Ok(false);
            }
            if drain(&mut inflater, MAX_DRAIN).map_err(io)? >= MAX_DRAIN {
                return Err(format!("entry {name:?} expands past {MAX_DRAIN} bytes"));
            }
            let bytes = inflater.total_in();
            drop(inflater);
            emit(Streamed::Packed {
                label: child.clone(),
                bytes,
            });
        } else {
            let mut bytes = Vec::new();
            (&mut inflater)
                .take(limits.max_file_bytes + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("entry {name:?} cannot be inflated ({e})"))?;
            let over = bytes.len() as u64 > limits.max_file_bytes;
            if over {
                bytes = Vec::new();
                if drain(&mut inflater, MAX_DRAIN).map_err(io)? >= MAX_DRAIN {
                    emit(failed(format!(
                        "expands past the {}-byte limit (--max-file-mb); skipped",
                        limits.max_file_bytes
                    )));
                    return Err(format!("entry {name:?} expands past {MAX_DRAIN} bytes"));
                }
            }
            let packed = inflater.total_in();
            drop(inflater);
            let dcrc = read_descriptor(r, zip64).map_err(io)?;
            if !is_dir {
                emit(Streamed::Packed {
                    label: child.clone(),
                    bytes: packed,
                });
                emit(if over {
                    failed(format!(
                        "expands past the {}-byte limit (--max-file-mb); skipped",
                        limits.max_file_bytes
                    ))
                } else {
                    match check_crc(&bytes, dcrc) {
                        Ok(()) => Streamed::Source(Source {
                            label: child.clone(),
                            origin: Origin::Streamed(Payload::Bytes(bytes)),
                            explicit: false,
                        }),
                        Err(why) => failed(why),
                    }
                });
            }
            return Ok(true);
        }
        read_descriptor(r, zip64).map_err(io)?;
        return Ok(true);
    }

    let mut data = (&mut *r).take(csize);
    if is_dir {
        drain(&mut data, u64::MAX).map_err(io)?;
    } else if encrypted || !matches!(method, 0 | 8) {
        drain(&mut data, u64::MAX).map_err(io)?;
        emit(failed(if encrypted {
            "zip entry is encrypted; skipped".to_string()
        } else {
            format!("zip entry uses compression method {method}, which is not read; skipped")
        }));
    } else if nested {
        if method == 8 {
            let mut inflater = flate2::bufread::DeflateDecoder::new(&mut data);
            nested_zip(&mut inflater, &child, depth, limits, pick, emit);
        } else {
            nested_zip(&mut data, &child, depth, limits, pick, emit);
        }
        if pick.done() {
            return Ok(false);
        }
        drain(&mut data, u64::MAX).map_err(io)?;
    } else if size > limits.max_file_bytes || csize > limits.max_file_bytes {
        drain(&mut data, u64::MAX).map_err(io)?;
        emit(failed(format!(
            "claims {} bytes, over the {}-byte limit (--max-file-mb); skipped",
            size.max(csize),
            limits.max_file_bytes
        )));
    } else {
        let mut raw = Vec::with_capacity(csize.min(limits.max_file_bytes) as usize);
        data.read_to_end(&mut raw).map_err(io)?;
        if (raw.len() as u64) < csize {
            emit(failed("zip entry is cut short; skipped".into()));
            return Err("the stream ends inside an entry".into());
        }
        let payload = if method == 0 {
            match check_crc(&raw, crc) {
                Ok(()) => Payload::Bytes(raw),
                Err(why) => Payload::Failed(why),
            }
        } else {
            Payload::Deflated { raw, size, crc }
        };
        emit(Streamed::Source(Source {
            label: child,
            origin: Origin::Streamed(payload),
            explicit: false,
        }));
    }
    Ok(true)
}

/// A zip inside a streamed zip: streamed in turn, unless nested too deep.
fn nested_zip(
    r: &mut dyn Read,
    label: &str,
    depth: usize,
    limits: Limits,
    pick: &Pick,
    emit: &mut dyn FnMut(Streamed),
) {
    if depth + 1 > MAX_ZIP_DEPTH {
        return emit(Streamed::Notice(Notice {
            label: label.to_string(),
            message: format!("archive nested more than {MAX_ZIP_DEPTH} deep; not opened"),
        }));
    }
    let mut inner = BufReader::with_capacity(64 * 1024, r);
    stream_zip(&mut inner, label, depth + 1, limits, pick, emit);
}

/// Reads and drops up to `cap` bytes; returns how many there were.
fn drain(r: &mut dyn Read, cap: u64) -> io::Result<u64> {
    io::copy(&mut r.take(cap), &mut io::sink())
}

/// Sizes from a zip64 extra field where the header says 0xFFFFFFFF; true when there was one.
fn zip64_sizes(extra: &[u8], size: &mut u64, csize: &mut u64) -> bool {
    let mut at = 0;
    while at + 4 <= extra.len() {
        let id = read_u16(extra, at);
        let len = read_u16(extra, at + 2) as usize;
        let body = &extra[(at + 4).min(extra.len())..(at + 4 + len).min(extra.len())];
        if id == 0x0001 {
            let mut p = 0;
            if *size == 0xFFFF_FFFF && body.len() >= p + 8 {
                *size = read_u64(body, p);
                p += 8;
            }
            if *csize == 0xFFFF_FFFF && body.len() >= p + 8 {
                *csize = read_u64(body, p);
            }
            return true;
        }
        at += 4 + len;
    }
    false
}

/// The data descriptor after an entry: optional signature, CRC-32, then both sizes
/// (8 bytes each in zip64). Returns the CRC-32.
fn read_descriptor(r: &mut dyn BufRead, zip64: bool) -> io::Result<u32> {
    let mut first = [0u8; 4];
    r.read_exact(&mut first)?;
    let crc = if u32::from_le_bytes(first) == DESCRIPTOR {
        r.read_exact(&mut first)?;
        u32::from_le_bytes(first)
    } else {
        u32::from_le_bytes(first)
    };
    let mut sizes = [0u8; 16];
    let n = if zip64 { 16 } else { 8 };
    r.read_exact(&mut sizes[..n])?;
    Ok(crc)
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
