//! A zip read front to back as a stream of local entries: how a zip inside a zip (a Garmin
//! export's `UploadedFiles_*_Part*.zip`, often hundreds of MB) is read without ever holding
//! it, its central directory or more than one entry in memory.
//!
//! What is read: stored and deflated entries whose sizes are in the local header (from the
//! zip64 extra field when the header says `0xFFFFFFFF`), deflated entries whose sizes only
//! follow their data in a data descriptor (flag bit 3, as real Garmin exports write them:
//! the end is found by inflating to the end of the deflate stream; the descriptor may be
//! zip64 and may lack its signature), and zips nested in the stream, read as streams in
//! turn up to [`MAX_ZIP_DEPTH`]. Each entry becomes a [`Payload`], still deflated where it
//! can be, so the threads that decode also inflate.
//!
//! What is not: an encrypted entry or one of another compression method is one
//! [`EntryError`] and the stream goes on past it; a stored entry sized only after its data
//! cannot be stepped over, so it stops the stream (a [`StopReason`]). The stream ends at
//! the first central directory header; nothing after it is looked at.
//!
//! Limits: an entry whose header claims more than `--max-file-mb` is stepped over without
//! inflating it; one sized only after its data is inflated into memory no further than the
//! limit, then inflated without keeping its bytes (up to [`MAX_DRAIN`]) to find where it
//! ends; a deflated entry with its sizes in the header is inflated later, by
//! [`Payload::load`], and no further than the limit either.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;

use thiserror::Error;

use super::Limits;

/// Nested archives deeper than this are reported, not opened (a zip quine never ends).
pub const MAX_ZIP_DEPTH: usize = 4;

/// Nothing inflates more than this while looking for the end of an entry whose size is only
/// given after it, or of a nested zip left early: a zip bomb would otherwise run for minutes.
pub const MAX_DRAIN: u64 = 4 << 30;

/// Local file header, central directory header, end of central directory (zip64 too),
/// data descriptor.
const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const END64: u32 = 0x0606_4b50;
const DESCRIPTOR: u32 = 0x0807_4b50;

/// An entry of a streamed zip, as it came off the stream.
#[derive(Clone)]
pub enum Payload {
    /// The entry's bytes (stored, or already inflated to find where the entry ends).
    Bytes(Vec<u8>),
    /// Deflated bytes still to inflate, with the size and CRC-32 the header declares.
    Deflated { raw: Vec<u8>, size: u64, crc: u32 },
    /// The entry cannot be used.
    Failed(EntryError),
}

impl Payload {
    /// The entry's bytes, inflated (and checked against its CRC-32) when needed.
    pub(super) fn load(&self, limits: Limits) -> Result<Vec<u8>, EntryError> {
        match self {
            Payload::Bytes(b) => Ok(b.clone()),
            Payload::Failed(why) => Err(why.clone()),
            Payload::Deflated { raw, size, crc } => {
                let mut out = Vec::with_capacity((*size).min(limits.max_file_bytes) as usize);
                flate2::read::DeflateDecoder::new(&raw[..])
                    .take(limits.max_file_bytes + 1)
                    .read_to_end(&mut out)
                    .map_err(|e| EntryError::Inflate(Arc::new(e)))?;
                if out.len() as u64 > limits.max_file_bytes {
                    return Err(EntryError::ExpandsPastLimit {
                        limit: limits.max_file_bytes,
                    });
                }
                check_crc(&out, *crc)?;
                Ok(out)
            }
        }
    }
}

/// Why one entry cannot be used: the line its file's verdict gives. The stream goes on past
/// it.
#[derive(Debug, Clone, Error)]
pub enum EntryError {
    #[error("zip entry is encrypted; skipped")]
    Encrypted,
    #[error("zip entry uses compression method {0}, which is not read; skipped")]
    Method(u16),
    #[error("claims {claimed} bytes, over the {limit}-byte limit (--max-file-mb); skipped")]
    ClaimsPastLimit { claimed: u64, limit: u64 },
    #[error("expands past the {limit}-byte limit (--max-file-mb); skipped")]
    ExpandsPastLimit { limit: u64 },
    #[error("zip entry is cut short; skipped")]
    CutShort,
    #[error("zip entry CRC-32 is {found:08x}, the archive says {declared:08x}: damaged; skipped")]
    Crc { found: u32, declared: u32 },
    /// Shared so that a payload holding it stays cheap to clone.
    #[error("zip entry cannot be inflated ({0}); skipped")]
    Inflate(Arc<io::Error>),
}

/// Why a streamed zip was not read to its end, or not opened: one notice for the archive.
#[derive(Debug, Error)]
pub enum ZipStreamError {
    /// The outer archive's member holding the zip cannot be opened.
    #[error("zip entry cannot be read ({0}); skipped")]
    Unopened(zip::result::ZipError),
    #[error("named .zip but is not a zip archive; skipped")]
    NotAZip,
    #[error("archive nested more than {MAX_ZIP_DEPTH} deep; not opened")]
    TooDeep,
    /// `entries` local entries were read before the stream could not be followed.
    #[error(
        "inner zip archive read as far as entry {entries}: {reason}; the entries before it were read"
    )]
    StoppedAt { entries: usize, reason: StopReason },
}

/// Why the stream cannot be followed past an entry.
#[derive(Debug, Error)]
pub enum StopReason {
    #[error("cannot be read ({0})")]
    Read(#[from] io::Error),
    #[error("no local entry header where one should be")]
    NoEntryHeader,
    #[error("the stream ends inside an entry")]
    EndsInsideEntry,
    #[error(
        "entry {name:?} {packing} with its size only after its data, so its end cannot be found in a stream (re-create the zip with deflate)"
    )]
    SizeAfterData { name: String, packing: Packing },
    #[error("entry {name:?} expands past {cap} bytes")]
    Endless { name: String, cap: u64 },
    #[error("entry {name:?} cannot be inflated ({source})")]
    Inflate { name: String, source: io::Error },
}

/// How an entry sized only after its data is packed, when not by deflate (whose stream
/// says where it ends).
#[derive(Debug)]
pub enum Packing {
    Encrypted,
    Stored,
    Method(u16),
}

impl fmt::Display for Packing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Packing::Encrypted => f.write_str("is encrypted"),
            Packing::Stored => f.write_str("is stored"),
            Packing::Method(m) => write!(f, "uses compression method {m}"),
        }
    }
}

/// What a stream yields, in stream order.
pub enum Streamed {
    /// An entry, labelled with the stream's label joined with its name.
    Entry { label: String, payload: Payload },
    /// A zip (the stream, or one nested in it) that was not read to its end, or not opened.
    Problem {
        label: String,
        error: ZipStreamError,
    },
}

/// What bounds one read: the user's limits, and how far an entry is inflated only to find
/// where it ends ([`MAX_DRAIN`]; smaller in tests, so an endless bomb ends quickly).
#[derive(Clone, Copy)]
struct Bounds {
    limits: Limits,
    max_drain: u64,
}

/// Reads the zip whose bytes `r` gives (labelled `label`, found `depth` archives deep),
/// calling `emit` with each entry and each problem, in stream order. Memory holds one
/// entry at a time plus a read buffer; nested zips are streamed in turn, up to the nesting
/// limit.
pub fn read(
    r: &mut dyn Read,
    label: &str,
    depth: usize,
    limits: Limits,
    emit: &mut dyn FnMut(Streamed),
) {
    let bounds = Bounds {
        limits,
        max_drain: MAX_DRAIN,
    };
    read_bounded(r, label, depth, bounds, emit)
}

fn read_bounded(
    r: &mut dyn Read,
    label: &str,
    depth: usize,
    bounds: Bounds,
    emit: &mut dyn FnMut(Streamed),
) {
    let mut r = BufReader::with_capacity(256 * 1024, r);
    stream_zip(&mut r, label, depth, bounds, emit);
}

fn stream_zip(
    r: &mut dyn BufRead,
    label: &str,
    depth: usize,
    bounds: Bounds,
    emit: &mut dyn FnMut(Streamed),
) {
    let problem = |error| Streamed::Problem {
        label: label.to_string(),
        error,
    };
    let mut entries = 0usize;
    loop {
        match next_entry(r, label, depth, bounds, emit) {
            Ok(true) => entries += 1,
            Ok(false) => return,
            Err(StopReason::NoEntryHeader) if entries == 0 => {
                return emit(problem(ZipStreamError::NotAZip))
            }
            Err(reason) => return emit(problem(ZipStreamError::StoppedAt { entries, reason })),
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

/// Fills `buf` as far as the reader goes; returns how many bytes it holds.
pub(super) fn read_up_to(r: &mut (impl Read + ?Sized), buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// An entry's label: the archive's label never ends in `/` (it names a `.zip`), so the
/// name is joined with one.
fn member_label(archive: &str, name: &str) -> String {
    format!("{archive}/{name}")
}

/// Reads one local entry. `Ok(false)` at the central directory (or a clean end of the
/// stream); `Err` when the stream cannot be followed further.
fn next_entry(
    r: &mut dyn BufRead,
    label: &str,
    depth: usize,
    bounds: Bounds,
    emit: &mut dyn FnMut(Streamed),
) -> Result<bool, StopReason> {
    let limit = bounds.limits.max_file_bytes;
    let mut sig = [0u8; 4];
    let n = read_up_to(r, &mut sig)?;
    if n == 0 {
        return Ok(false);
    }
    let sig = if n == 4 { u32::from_le_bytes(sig) } else { 0 };
    match sig {
        LOCAL => {}
        CENTRAL | END | END64 => return Ok(false),
        _ => return Err(StopReason::NoEntryHeader),
    }
    let mut h = [0u8; 26];
    r.read_exact(&mut h)?;
    let flags = read_u16(&h, 2);
    let method = read_u16(&h, 4);
    let crc = read_u32(&h, 10);
    let mut csize = read_u32(&h, 14) as u64;
    let mut size = read_u32(&h, 18) as u64;
    let mut name = vec![0u8; read_u16(&h, 22) as usize];
    r.read_exact(&mut name)?;
    let mut extra = vec![0u8; read_u16(&h, 24) as usize];
    r.read_exact(&mut extra)?;
    let zip64 = zip64_sizes(&extra, &mut size, &mut csize);
    let name = String::from_utf8_lossy(&name).into_owned();
    let child = member_label(label, &name);
    let descriptor = flags & 0x08 != 0;
    let encrypted = flags & 0x01 != 0;
    let is_dir = name.ends_with('/');
    let nested = name.to_ascii_lowercase().ends_with(".zip");
    let failed = |why: EntryError| Streamed::Entry {
        label: child.clone(),
        payload: Payload::Failed(why),
    };

    if descriptor {
        // The size follows the data: only a deflate stream says where it ends.
        if method != 8 || encrypted {
            let packing = if encrypted {
                Packing::Encrypted
            } else if method == 0 {
                Packing::Stored
            } else {
                Packing::Method(method)
            };
            return Err(StopReason::SizeAfterData { name, packing });
        }
        let endless = |name: String| StopReason::Endless {
            name,
            cap: bounds.max_drain,
        };
        let mut inflater = flate2::bufread::DeflateDecoder::new(&mut *r);
        if nested && !is_dir {
            nested_zip(&mut inflater, &child, depth, bounds, emit);
            if drain(&mut inflater, bounds.max_drain)? >= bounds.max_drain {
                return Err(endless(name));
            }
            drop(inflater);
        } else {
            let mut bytes = Vec::new();
            if let Err(source) = (&mut inflater).take(limit + 1).read_to_end(&mut bytes) {
                return Err(StopReason::Inflate { name, source });
            }
            let over = bytes.len() as u64 > limit;
            if over {
                bytes = Vec::new();
                if drain(&mut inflater, bounds.max_drain)? >= bounds.max_drain {
                    emit(failed(EntryError::ExpandsPastLimit { limit }));
                    return Err(endless(name));
                }
            }
            drop(inflater);
            let dcrc = read_descriptor(r, zip64)?;
            if !is_dir {
                emit(if over {
                    failed(EntryError::ExpandsPastLimit { limit })
                } else {
                    match check_crc(&bytes, dcrc) {
                        Ok(()) => Streamed::Entry {
                            label: child.clone(),
                            payload: Payload::Bytes(bytes),
                        },
                        Err(why) => failed(why),
                    }
                });
            }
            return Ok(true);
        }
        read_descriptor(r, zip64)?;
        return Ok(true);
    }

    let mut data = (&mut *r).take(csize);
    if is_dir {
        drain(&mut data, u64::MAX)?;
    } else if encrypted || !matches!(method, 0 | 8) {
        drain(&mut data, u64::MAX)?;
        emit(failed(if encrypted {
            EntryError::Encrypted
        } else {
            EntryError::Method(method)
        }));
    } else if nested {
        if method == 8 {
            let mut inflater = flate2::bufread::DeflateDecoder::new(&mut data);
            nested_zip(&mut inflater, &child, depth, bounds, emit);
        } else {
            nested_zip(&mut data, &child, depth, bounds, emit);
        }
        drain(&mut data, u64::MAX)?;
    } else if size > limit || csize > limit {
        drain(&mut data, u64::MAX)?;
        emit(failed(EntryError::ClaimsPastLimit {
            claimed: size.max(csize),
            limit,
        }));
    } else {
        let mut raw = Vec::with_capacity(csize.min(limit) as usize);
        data.read_to_end(&mut raw)?;
        if (raw.len() as u64) < csize {
            emit(failed(EntryError::CutShort));
            return Err(StopReason::EndsInsideEntry);
        }
        let payload = if method == 0 {
            match check_crc(&raw, crc) {
                Ok(()) => Payload::Bytes(raw),
                Err(why) => Payload::Failed(why),
            }
        } else {
            Payload::Deflated { raw, size, crc }
        };
        emit(Streamed::Entry {
            label: child,
            payload,
        });
    }
    Ok(true)
}

/// A zip inside a streamed zip: streamed in turn, unless nested too deep.
fn nested_zip(
    r: &mut dyn Read,
    label: &str,
    depth: usize,
    bounds: Bounds,
    emit: &mut dyn FnMut(Streamed),
) {
    if depth + 1 > MAX_ZIP_DEPTH {
        return emit(Streamed::Problem {
            label: label.to_string(),
            error: ZipStreamError::TooDeep,
        });
    }
    let mut inner = BufReader::with_capacity(64 * 1024, r);
    stream_zip(&mut inner, label, depth + 1, bounds, emit);
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

fn check_crc(bytes: &[u8], declared: u32) -> Result<(), EntryError> {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    if crc.sum() == declared {
        Ok(())
    } else {
        Err(EntryError::Crc {
            found: crc.sum(),
            declared,
        })
    }
}

#[cfg(test)]
mod tests {
    //! Zips written here, by the `zip` crate or by hand (a local header is 30 bytes and a
    //! name; the reader never looks past the first central directory header), so every
    //! field can be what a case needs.

    use std::io::Write;

    use super::*;

    const MIB: usize = 1 << 20;
    /// The limit most cases run with (`--max-file-mb 1`).
    const LIMIT: u64 = MIB as u64;

    /// What a read yielded, with each entry loaded as ingest would load it and told by
    /// its length and CRC-32 (short enough to read in a failed assertion).
    #[derive(Debug, PartialEq)]
    enum Event {
        Entry(String, Result<String, String>),
        Problem(String, String),
    }

    fn read_with(zip: &mut dyn Read, depth: usize, max_drain: u64) -> Vec<Event> {
        let limits = Limits {
            max_file_bytes: LIMIT,
        };
        let bounds = Bounds { limits, max_drain };
        let mut out = Vec::new();
        read_bounded(zip, "part.zip", depth, bounds, &mut |item| {
            out.push(match item {
                Streamed::Entry { label, payload } => {
                    let loaded = payload.load(limits);
                    Event::Entry(label, loaded.map(|b| told(&b)).map_err(|e| e.to_string()))
                }
                Streamed::Problem { label, error } => Event::Problem(label, error.to_string()),
            })
        });
        out
    }

    /// Reads `zip` as a part zip found in an export (one archive deep).
    fn read_all(zip: &[u8]) -> Vec<Event> {
        read_with(&mut &zip[..], 1, MAX_DRAIN)
    }

    fn told(bytes: &[u8]) -> String {
        format!("{} bytes, CRC-32 {:08x}", bytes.len(), crc32(bytes))
    }

    fn ok(label: &str, bytes: &[u8]) -> Event {
        Event::Entry(format!("part.zip/{label}"), Ok(told(bytes)))
    }

    fn unusable(label: &str, why: &str) -> Event {
        Event::Entry(format!("part.zip/{label}"), Err(why.to_string()))
    }

    fn problem(label: &str, why: &str) -> Event {
        Event::Problem(label.to_string(), why.to_string())
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = flate2::Crc::new();
        crc.update(bytes);
        crc.sum()
    }

    fn deflate(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).expect("deflate");
        e.finish().expect("deflate")
    }

    /// A local entry by hand: the header's fields, then whatever follows it.
    fn local(
        name: &str,
        flags: u16,
        method: u16,
        crc: u32,
        (csize, size): (u32, u32),
        extra: &[u8],
        data: &[u8],
    ) -> Vec<u8> {
        let mut b = LOCAL.to_le_bytes().to_vec();
        for half in [20, flags, method, 0, 0] {
            b.extend(half.to_le_bytes());
        }
        for word in [crc, csize, size] {
            b.extend(word.to_le_bytes());
        }
        b.extend((name.len() as u16).to_le_bytes());
        b.extend((extra.len() as u16).to_le_bytes());
        b.extend(name.as_bytes());
        b.extend(extra);
        b.extend(data);
        b
    }

    fn stored(name: &str, bytes: &[u8]) -> Vec<u8> {
        let n = bytes.len() as u32;
        local(name, 0, 0, crc32(bytes), (n, n), &[], bytes)
    }

    fn deflated(name: &str, bytes: &[u8]) -> Vec<u8> {
        let packed = deflate(bytes);
        let sizes = (packed.len() as u32, bytes.len() as u32);
        local(name, 0, 8, crc32(bytes), sizes, &[], &packed)
    }

    /// How a data descriptor is written.
    #[derive(Clone, Copy, Debug)]
    struct Descriptor {
        signature: bool,
        zip64: bool,
    }

    const PLAIN: Descriptor = Descriptor {
        signature: true,
        zip64: false,
    };

    /// A deflated entry whose CRC-32 and sizes only follow its data (flag bit 3).
    fn sized_after(name: &str, bytes: &[u8], d: Descriptor) -> Vec<u8> {
        let packed = deflate(bytes);
        // A zip64 entry says so by its extra field (the sizes there are placeholders).
        let extra = if d.zip64 { zip64_extra(0, 0) } else { vec![] };
        let mut b = local(name, 0x08, 8, 0, (0, 0), &extra, &packed);
        b.extend(descriptor(
            crc32(bytes),
            packed.len() as u64,
            bytes.len() as u64,
            d,
        ));
        b
    }

    fn descriptor(crc: u32, csize: u64, size: u64, d: Descriptor) -> Vec<u8> {
        let mut b = Vec::new();
        if d.signature {
            b.extend(DESCRIPTOR.to_le_bytes());
        }
        b.extend(crc.to_le_bytes());
        if d.zip64 {
            b.extend(csize.to_le_bytes());
            b.extend(size.to_le_bytes());
        } else {
            b.extend((csize as u32).to_le_bytes());
            b.extend((size as u32).to_le_bytes());
        }
        b
    }

    /// The zip64 extended information field: the real sizes, uncompressed first.
    fn zip64_extra(size: u64, csize: u64) -> Vec<u8> {
        let mut b = 0x0001u16.to_le_bytes().to_vec();
        b.extend(16u16.to_le_bytes());
        b.extend(size.to_le_bytes());
        b.extend(csize.to_le_bytes());
        b
    }

    /// An end of central directory record, where a stream of local entries ends.
    fn end() -> Vec<u8> {
        let mut b = END.to_le_bytes().to_vec();
        b.extend([0; 18]);
        b
    }

    fn zip_of(parts: &[Vec<u8>]) -> Vec<u8> {
        let mut b = parts.concat();
        b.extend(end());
        b
    }

    /// A zip as the `zip` crate writes it: seeking back to put the sizes in each header, or
    /// as a stream, with the sizes in data descriptors.
    fn zip_crate(
        files: &[(&str, &[u8], zip::CompressionMethod)],
        streaming: bool,
        zip64: bool,
    ) -> Vec<u8> {
        let opts = |m| {
            zip::write::SimpleFileOptions::default()
                .compression_method(m)
                .large_file(zip64)
        };
        if streaming {
            let mut out = Vec::new();
            let mut z = zip::ZipWriter::new_stream(&mut out);
            for &(name, bytes, method) in files {
                z.start_file(name, opts(method)).expect("start");
                z.write_all(bytes).expect("write");
            }
            z.finish().expect("finish");
            out
        } else {
            let mut out = io::Cursor::new(Vec::new());
            let mut z = zip::ZipWriter::new(&mut out);
            for &(name, bytes, method) in files {
                z.start_file(name, opts(method)).expect("start");
                z.write_all(bytes).expect("write");
            }
            z.finish().expect("finish");
            out.into_inner()
        }
    }

    /// Bytes like a small FIT file's: not all alike, so deflate has work to do.
    fn activity(seed: u8) -> Vec<u8> {
        (0..5000u32)
            .map(|i| (i.wrapping_mul(31) as u8) ^ seed)
            .collect()
    }

    /// Deflate blocks that inflate to one MiB of zeros, ending byte-aligned after a full
    /// flush (nothing in them refers back before them): copies in a row inflate to as many
    /// MiB, so a bomb of any size is built without deflating it.
    fn mib_of_zeros() -> Vec<u8> {
        let mut c = flate2::Compress::new(flate2::Compression::best(), false);
        let mut out = Vec::with_capacity(64 * 1024);
        c.compress_vec(&vec![0; MIB], &mut out, flate2::FlushCompress::Full)
            .expect("deflate");
        assert_eq!(c.total_in(), MIB as u64, "one call deflates it all");
        out
    }

    /// The last deflate block, empty (fixed Huffman codes, end of block at once).
    const LAST_BLOCK: [u8; 2] = [0x03, 0x00];

    /// A deflate stream of `mib` MiB of zeros, about a thousandth of that size.
    fn bomb(mib: usize) -> Vec<u8> {
        let mut b = mib_of_zeros().repeat(mib);
        b.extend(LAST_BLOCK);
        b
    }

    #[test]
    fn the_test_bomb_is_what_it_claims() {
        let b = bomb(3);
        assert!(b.len() < 3 * MIB / 100, "{} bytes", b.len());
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(&b[..])
            .read_to_end(&mut out)
            .expect("inflates");
        assert_eq!(out.len(), 3 * MIB);
        assert!(out.iter().all(|&x| x == 0));
    }

    #[test]
    fn stored_and_deflated_entries_come_out_as_written() {
        let (a, b) = (activity(1), activity(2));
        use zip::CompressionMethod::{Deflated, Stored};
        // Table: how the zip was written, with its sizes in the local headers.
        let cases = [
            (
                "zip crate",
                zip_crate(
                    &[("a.fit", &a, Stored), ("b.fit", &b, Deflated)],
                    false,
                    false,
                ),
            ),
            (
                "by hand",
                zip_of(&[
                    stored("a.fit", &a),
                    local("dir/", 0, 0, 0, (0, 0), &[], &[]),
                    deflated("b.fit", &b),
                ]),
            ),
        ];
        for (how, zip) in cases {
            assert_eq!(read_all(&zip), [ok("a.fit", &a), ok("b.fit", &b)], "{how}");
        }
        // The stored entry comes off the stream as its bytes; the deflated one is kept
        // deflated, for the decoding threads to inflate.
        let zip = zip_of(&[stored("a.fit", &a), deflated("b.fit", &b)]);
        let mut kinds = Vec::new();
        read(
            &mut &zip[..],
            "part.zip",
            1,
            Limits::default(),
            &mut |item| {
                if let Streamed::Entry { payload, .. } = item {
                    kinds.push(match payload {
                        Payload::Bytes(_) => "bytes",
                        Payload::Deflated { .. } => "deflated",
                        Payload::Failed(_) => "failed",
                    });
                }
            },
        );
        assert_eq!(kinds, ["bytes", "deflated"]);
    }

    #[test]
    fn entries_sized_only_after_their_data_are_found_by_inflating_them() {
        let (a, b) = (activity(1), activity(2));
        let method = zip::CompressionMethod::Deflated;
        let zip = zip_crate(&[("a.fit", &a, method), ("b.fit", &b, method)], true, false);
        assert_ne!(
            read_u16(&zip, 6) & 0x08,
            0,
            "the zip crate wrote a data descriptor"
        );
        assert_eq!(read_all(&zip), [ok("a.fit", &a), ok("b.fit", &b)]);
    }

    #[test]
    fn a_data_descriptor_is_read_with_or_without_its_signature_and_in_zip64() {
        let (a, after) = (activity(1), activity(2));
        for signature in [true, false] {
            for zip64 in [false, true] {
                let d = Descriptor { signature, zip64 };
                // The stored entry after it is only found where the descriptor ends.
                let zip = zip_of(&[sized_after("a.fit", &a, d), stored("after.fit", &after)]);
                assert_eq!(
                    read_all(&zip),
                    [ok("a.fit", &a), ok("after.fit", &after)],
                    "{d:?}"
                );
            }
        }
    }

    #[test]
    fn zip64_sizes_in_the_extra_field_replace_the_headers_placeholders() {
        let (a, b, after) = (activity(1), activity(2), activity(3));
        let packed = deflate(&b);
        let max = u32::MAX;
        let by_hand = zip_of(&[
            local(
                "a.fit",
                0,
                0,
                crc32(&a),
                (max, max),
                &zip64_extra(a.len() as u64, a.len() as u64),
                &a,
            ),
            local(
                "b.fit",
                0,
                8,
                crc32(&b),
                (max, max),
                &zip64_extra(b.len() as u64, packed.len() as u64),
                &packed,
            ),
            stored("after.fit", &after),
        ]);
        use zip::CompressionMethod::{Deflated, Stored};
        let files = [
            ("a.fit", &a[..], Stored),
            ("b.fit", &b[..], Deflated),
            ("after.fit", &after[..], Stored),
        ];
        // Written as a stream, every entry is sized after its data: deflated, or unreadable.
        let deflated_files = files.map(|(name, bytes, _)| (name, bytes, Deflated));
        // Table: how the zip64 archive was written.
        let cases = [
            ("by hand", by_hand, false),
            (
                "zip crate, sizes in headers",
                zip_crate(&files, false, true),
                false,
            ),
            (
                "zip crate, zip64 data descriptors",
                zip_crate(&deflated_files, true, true),
                true,
            ),
        ];
        for (how, zip, descriptors) in cases {
            assert_eq!(
                read_all(&zip),
                [ok("a.fit", &a), ok("b.fit", &b), ok("after.fit", &after)],
                "{how}"
            );
            if descriptors {
                assert_ne!(read_u16(&zip, 6) & 0x08, 0, "{how}: data descriptors");
            } else {
                assert_eq!(read_u32(&zip, 18), u32::MAX, "{how}: sizes only in zip64");
            }
        }
    }

    #[test]
    fn an_entry_sized_after_its_data_and_not_deflated_stops_the_stream_with_its_reason() {
        let a = activity(1);
        // Table: flags, compression method, how the reason names the packing.
        let cases = [
            (0x08, 0, "is stored"),
            (0x09, 8, "is encrypted"),
            (0x08, 12, "uses compression method 12"),
        ];
        for (flags, method, packing) in cases {
            let zip = zip_of(&[
                stored("a.fit", &a),
                local("b.fit", flags, method, 0, (0, 0), &[], &a),
                stored("c.fit", &a),
            ]);
            let why = format!(
                "inner zip archive read as far as entry 1: entry \"b.fit\" {packing} with its size only after its data, so its end cannot be found in a stream (re-create the zip with deflate); the entries before it were read"
            );
            assert_eq!(
                read_all(&zip),
                [ok("a.fit", &a), problem("part.zip", &why)],
                "{packing}"
            );
        }
    }

    #[test]
    fn an_entry_that_cannot_be_used_is_skipped_with_its_reason_and_the_stream_goes_on() {
        let (a, after) = (activity(1), activity(2));
        let n = a.len() as u32;
        let packed = deflate(&a);
        let p = packed.len() as u32;
        let mut broken = packed.clone();
        broken[..4].copy_from_slice(&[0xff; 4]);
        let wrong = crc32(&a) ^ 1;
        let crc_line = format!(
            "zip entry CRC-32 is {:08x}, the archive says {wrong:08x}: damaged; skipped",
            crc32(&a)
        );
        // Table: the entry, the line its file gets.
        let cases = [
            (
                local("a.fit", 0x01, 8, crc32(&a), (p, n), &[], &packed),
                "zip entry is encrypted; skipped".to_string(),
            ),
            (
                local("a.fit", 0, 12, crc32(&a), (n, n), &[], &a),
                "zip entry uses compression method 12, which is not read; skipped".to_string(),
            ),
            (
                local("a.fit", 0, 0, wrong, (n, n), &[], &a),
                crc_line.clone(),
            ),
            (local("a.fit", 0, 8, wrong, (p, n), &[], &packed), crc_line),
            (
                local("a.fit", 0, 8, crc32(&a), (p, n), &[], &broken),
                "zip entry cannot be inflated (corrupt deflate stream); skipped".to_string(),
            ),
        ];
        for (entry, why) in cases {
            let zip = zip_of(&[entry, stored("after.fit", &after)]);
            assert_eq!(
                read_all(&zip),
                [unusable("a.fit", &why), ok("after.fit", &after)],
                "{why}"
            );
        }
    }

    #[test]
    fn an_archive_cut_short_keeps_the_entries_before_the_cut_and_says_where_it_stopped() {
        let (a, b) = (activity(1), activity(2));
        let first = stored("a.fit", &a);
        let at = first.len();
        let stopped = |why: &str| {
            problem(
                "part.zip",
                &format!("inner zip archive read as far as entry 1: {why}; the entries before it were read"),
            )
        };
        let eof = "cannot be read (failed to fill whole buffer)";
        let plain = [first.clone(), stored("b.fit", &b)].concat();
        let after = [first.clone(), sized_after("b.fit", &b, PLAIN)].concat();
        let packed_end = after.len() - descriptor(0, 0, 0, PLAIN).len();
        // Table: the archive, where it is cut, what the read gives after `a.fit`.
        let cases = [
            ("between entries, no directory", &plain, at, vec![]),
            (
                "inside a signature",
                &plain,
                at + 2,
                vec![stopped("no local entry header where one should be")],
            ),
            ("inside a header", &plain, at + 20, vec![stopped(eof)]),
            ("inside a name", &plain, at + 32, vec![stopped(eof)]),
            (
                "inside stored data",
                &plain,
                plain.len() - 10,
                vec![
                    unusable("b.fit", "zip entry is cut short; skipped"),
                    stopped("the stream ends inside an entry"),
                ],
            ),
            (
                "inside deflated data sized after it",
                &after,
                packed_end - 10,
                vec![stopped(
                    "entry \"b.fit\" cannot be inflated (incomplete deflate stream)",
                )],
            ),
            (
                "inside a data descriptor",
                &after,
                after.len() - 3,
                vec![stopped(eof)],
            ),
        ];
        for (how, zip, cut, rest) in cases {
            let mut want = vec![ok("a.fit", &a)];
            want.extend(rest);
            assert_eq!(read_all(&zip[..cut]), want, "{how}");
        }
    }

    #[test]
    fn bytes_that_are_not_a_zip_are_one_line_and_nothing_is_nothing() {
        // Table: the stream's bytes, what the read gives.
        let cases: [(&[u8], Vec<Event>); 3] = [
            (
                b"<?xml version=\"1.0\"?><gpx/>",
                vec![problem(
                    "part.zip",
                    "named .zip but is not a zip archive; skipped",
                )],
            ),
            (
                b"PK",
                vec![problem(
                    "part.zip",
                    "named .zip but is not a zip archive; skipped",
                )],
            ),
            (b"", vec![]),
        ];
        for (bytes, want) in cases {
            assert_eq!(read_all(bytes), want, "{bytes:?}");
        }
    }

    #[test]
    fn a_bomb_whose_header_claims_more_than_the_limit_is_stepped_over_without_inflating() {
        let after = activity(1);
        let claims =
            "claims 1073741824 bytes, over the 1048576-byte limit (--max-file-mb); skipped";
        let bomb = bomb(1024);
        // Broken past its first MiB: a reader that inflated it would say so.
        let mut broken = bomb.clone();
        let middle = broken.len() / 2;
        broken[middle..middle + 8].copy_from_slice(&[0xff; 8]);
        for data in [bomb, broken] {
            let sizes = (data.len() as u32, 1 << 30);
            let zip = zip_of(&[
                local("bomb.fit", 0, 8, 0, sizes, &[], &data),
                stored("after.fit", &after),
            ]);
            assert_eq!(
                read_all(&zip),
                [unusable("bomb.fit", claims), ok("after.fit", &after)]
            );
        }
    }

    #[test]
    fn a_bomb_whose_header_lies_about_its_size_is_inflated_only_to_the_limit() {
        // Sixteen MiB of zeros, then bytes that are not deflate: a reader that inflated
        // past the limit would stumble on them.
        let mut data = mib_of_zeros().repeat(16);
        data.extend([0xff; 16]);
        let zip = zip_of(&[local(
            "bomb.fit",
            0,
            8,
            0,
            (data.len() as u32, 100),
            &[],
            &data,
        )]);
        assert_eq!(
            read_all(&zip),
            [unusable(
                "bomb.fit",
                "expands past the 1048576-byte limit (--max-file-mb); skipped"
            )]
        );
    }

    #[test]
    fn a_bomb_sized_only_after_its_data_is_kept_no_further_than_the_limit() {
        let after = activity(1);
        let data = bomb(64);
        let mut entry = local("bomb.fit", 0x08, 8, 0, (0, 0), &[], &data);
        entry.extend(descriptor(0, data.len() as u64, 64 << 20, PLAIN));
        let zip = zip_of(&[entry, stored("after.fit", &after)]);
        assert_eq!(
            read_all(&zip),
            [
                unusable(
                    "bomb.fit",
                    "expands past the 1048576-byte limit (--max-file-mb); skipped"
                ),
                ok("after.fit", &after),
            ]
        );
    }

    /// A stream that never ends: `head`, then `chunk` over and over.
    struct Endless {
        head: Vec<u8>,
        chunk: Vec<u8>,
        at: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = if self.at < self.head.len() {
                (&self.head[self.at..]).read(buf)?
            } else {
                let off = (self.at - self.head.len()) % self.chunk.len();
                (&self.chunk[off..]).read(buf)?
            };
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn an_endless_bomb_sized_after_its_data_stops_the_stream_at_the_drain_cap() {
        let mut endless = Endless {
            head: local("bomb.fit", 0x08, 8, 0, (0, 0), &[], &[]),
            chunk: mib_of_zeros(),
            at: 0,
        };
        let cap = 8 << 20;
        assert_eq!(
            read_with(&mut endless, 1, cap),
            [
                unusable("bomb.fit", "expands past the 1048576-byte limit (--max-file-mb); skipped"),
                problem(
                    "part.zip",
                    "inner zip archive read as far as entry 0: entry \"bomb.fit\" expands past 8388608 bytes; the entries before it were read"
                ),
            ]
        );
        // Eight MiB of zeros are about eight KiB deflated: the stream was left far from a
        // MiB in.
        assert!(endless.at < MIB, "read {} bytes", endless.at);
    }

    #[test]
    fn a_bomb_in_a_nested_zip_is_stopped_at_the_limit_and_the_entries_after_it_are_read() {
        let (after, last) = (activity(1), activity(2));
        let data = bomb(64);
        let mut bomb_entry = local("bomb.fit", 0x08, 8, 0, (0, 0), &[], &data);
        bomb_entry.extend(descriptor(0, data.len() as u64, 64 << 20, PLAIN));
        let inner = zip_of(&[bomb_entry, stored("after.fit", &after)]);
        let over = "expands past the 1048576-byte limit (--max-file-mb); skipped";
        // Table: how the inner zip lies in the part zip.
        let cases = [
            ("stored", stored("inner.zip", &inner)),
            ("deflated", deflated("inner.zip", &inner)),
            (
                "deflated, sized after",
                sized_after("inner.zip", &inner, PLAIN),
            ),
        ];
        for (how, entry) in cases {
            let zip = zip_of(&[entry, stored("last.fit", &last)]);
            let want = [
                unusable("inner.zip/bomb.fit", over),
                ok("inner.zip/after.fit", &after),
                ok("last.fit", &last),
            ];
            assert_eq!(read_all(&zip), want, "{how}");
        }
    }

    #[test]
    fn zips_nested_deeper_than_the_limit_are_named_not_opened() {
        let a = activity(1);
        let zip = zip_of(&[stored("inner.zip", &zip_of(&[stored("a.fit", &a)]))]);
        // Table: how deep the part zip lies, what its inner zip gives.
        let cases = [
            (MAX_ZIP_DEPTH - 1, ok("inner.zip/a.fit", &a)),
            (
                MAX_ZIP_DEPTH,
                problem(
                    "part.zip/inner.zip",
                    "archive nested more than 4 deep; not opened",
                ),
            ),
        ];
        for (depth, want) in cases {
            assert_eq!(
                read_with(&mut &zip[..], depth, MAX_DRAIN),
                [want],
                "{depth}"
            );
        }
    }
}
