//! One activity file to sessions with a verdict: FIT (by either decoder), GPX or TCX, as its
//! content says. What to do with a file of an account export, an archive or a folder is the
//! driver's ([`super::ingest`]); this is where the formats are told apart and read.

use std::io::Seek;

use chrono_tz::Tz;

use super::fit::{self, check, fast, reference, FileData};
use super::sources::{Origin, Source};
use super::xml::{self, XmlFormat};
use super::{gpx, tcx, Decoder, FileRead, Limits, Verdict};

/// Reads one activity file's (un-gzipped) bytes, FIT, GPX or TCX as its content says.
pub fn read_activity(label: &str, bytes: &[u8], tz: Option<Tz>, decoder: Decoder) -> FileRead {
    match xml::sniff(bytes) {
        Some(XmlFormat::Gpx) => {
            let (verdict, sessions) = gpx::read(label, bytes, tz);
            FileRead::of(label, verdict, sessions)
        }
        Some(XmlFormat::Tcx) => {
            let (verdict, sessions) = tcx::read(label, bytes, tz);
            FileRead::of(label, verdict, sessions)
        }
        None => read_fit(label, bytes, tz, decoder),
    }
}

/// Reads a plain GPX or TCX file on disk straight from the file, so memory stays flat in
/// its size (only the points' times and heart rates are kept, 8 bytes each). `None` for
/// anything else (gzip, archive members, FIT, a file over the size limit), which goes the
/// usual way through `sources::load`.
pub(super) fn read_plain_xml(src: &Source, limits: Limits, tz: Option<Tz>) -> Option<FileRead> {
    let Origin::File(path) = &src.origin else {
        return None;
    };
    let mut file = std::fs::File::open(path).ok()?;
    if file.metadata().ok()?.len() > limits.max_file_bytes {
        return None;
    }
    let format = xml::sniff_start(&mut file)?;
    file.rewind().ok()?;
    let input = xml::Input::Stream(&mut file);
    let (verdict, sessions) = match format {
        XmlFormat::Gpx => gpx::read(&src.label, input, tz),
        XmlFormat::Tcx => tcx::read(&src.label, input, tz),
    };
    Some(FileRead::of(&src.label, verdict, sessions))
}

/// Reads one FIT file (all streams of a chain) into sessions with a verdict, and the line
/// for the user about how the file's times were dated when they were system time.
fn read_fit(label: &str, bytes: &[u8], tz: Option<Tz>, decoder: Decoder) -> FileRead {
    let structure = check::check(bytes);
    let (data, decoded) = decode(bytes, structure.is_clean(), decoder);
    let mut damage = structure.damage;
    if let Some(e) = decoded.error {
        damage.push(e);
    }
    let damage_text = damage.join("; ");
    if let Some(reason) = data.not_activity_reason() {
        let nothing_read = decoded.counts.is_empty();
        let verdict = if damage.is_empty() {
            Verdict::NotActivity(reason)
        } else if nothing_read || reason == fit::NO_DATA {
            Verdict::Unreadable(damage_text)
        } else {
            Verdict::NotActivity(format!("{reason}, damaged: {damage_text}"))
        };
        return FileRead::of(label, verdict, Vec::new());
    }
    let (sessions, note) = data.into_sessions_noted(label, tz);
    let verdict = if damage.is_empty() {
        Verdict::Activity
    } else if sessions.is_empty() {
        Verdict::Unreadable(damage_text)
    } else {
        Verdict::Damaged(damage_text)
    };
    FileRead {
        note,
        ..FileRead::of(label, verdict, sessions)
    }
}

/// Decodes with the fast decoder when asked and the file is intact; otherwise, or when it
/// stops anyway (something only fitparser can judge), with fitparser from the start.
fn decode(bytes: &[u8], clean: bool, decoder: Decoder) -> (FileData, reference::Decoded) {
    if decoder == Decoder::Fast && clean {
        let mut data = FileData::default();
        let decoded = fast::decode(bytes, |m| data.push(m));
        if decoded.error.is_none() {
            return (data, decoded);
        }
    }
    let mut data = FileData::default();
    let decoded = reference::decode(bytes, |m| data.push(m));
    (data, decoded)
}
