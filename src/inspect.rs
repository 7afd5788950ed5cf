//! `recovery inspect`: everything about one file a user wants when it looks wrong.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono_tz::Tz;

use crate::ingest::fit::{self, check, reference};
use crate::ingest::{read_activity, Decoder, FileRead, Verdict};
use crate::zones::Band;

/// The inspection report as text.
pub fn inspect(label: &str, bytes: &[u8], tz: Option<Tz>) -> String {
    let mut out = String::new();
    let structure = check::check(bytes);
    let _ = writeln!(out, "file: {label} ({} bytes)", bytes.len());
    if let Some(format) = crate::ingest::xml::sniff(bytes) {
        let _ = writeln!(out, "format: {format:?} (XML, read as a stream)");
        let (verdict, sessions, notes) = match format {
            crate::ingest::xml::XmlFormat::Tcx => crate::ingest::tcx::read_noted(label, bytes, tz),
            crate::ingest::xml::XmlFormat::Gpx => {
                let (v, s) = crate::ingest::gpx::read(label, bytes, tz);
                (v, s, Vec::new())
            }
        };
        let _ = writeln!(out, "verdict: {}", verdict_text(&verdict));
        write_sessions(&mut out, &sessions, &notes);
        return out;
    }
    for (i, s) in structure.streams.iter().enumerate() {
        let crc = match s.header_crc {
            None => "none (12-byte header)".to_string(),
            Some(0) => "0x0000 (not set)".to_string(),
            Some(c) => format!("0x{c:04X}"),
        };
        let _ = writeln!(
            out,
            "stream {}: offset {}, header {} bytes, protocol {}.{}, profile {}.{:02}, data {} bytes, header CRC {}",
            i + 1,
            s.offset,
            s.header_size,
            s.protocol_version >> 4,
            s.protocol_version & 0x0F,
            s.profile_version / 100,
            s.profile_version % 100,
            s.data_size,
            crc
        );
    }

    let mut devices: BTreeMap<String, String> = BTreeMap::new();
    let mut file_ids = Vec::new();
    let decoded = reference::decode_records(bytes, |rec| {
        use fitparser::profile::MesgNum;
        let u = |n, name| reference::field(rec, n, name).and_then(reference::uint);
        match rec.kind() {
            MesgNum::FileId => {
                let m = reference::field(rec, 1, "manufacturer")
                    .and_then(reference::manufacturer_num)
                    .map(|m| m as u16);
                file_ids.push(format!(
                    "type {}, manufacturer {}, product {}, serial {}",
                    reference::field(rec, 0, "type").map_or("?".into(), |v| v.to_string()),
                    m.map_or("?".into(), fit::manufacturer_name),
                    reference::field(rec, 2, "product")
                        .and_then(reference::product_num)
                        .map_or("?".into(), |p| fit::product_name(m, p as u16)),
                    u(3, "serial_number").map_or("?".into(), |s| s.to_string()),
                ));
            }
            MesgNum::DeviceInfo => {
                let idx = u(0, "device_index").map_or("?".into(), |i| i.to_string());
                let m = reference::field(rec, 2, "manufacturer")
                    .and_then(reference::manufacturer_num)
                    .map(|m| m as u16);
                let text = format!(
                    "manufacturer {}, product {}, serial {}",
                    m.map_or("?".into(), fit::manufacturer_name),
                    reference::field(rec, 4, "product")
                        .and_then(reference::product_num)
                        .map_or("?".into(), |p| fit::product_name(m, p as u16)),
                    u(3, "serial_number").map_or("?".into(), |s| s.to_string()),
                );
                devices.entry(format!("device {idx}")).or_insert(text);
            }
            _ => {}
        }
    });
    for f in &file_ids {
        let _ = writeln!(out, "file_id: {f}");
    }
    for (k, v) in &devices {
        let _ = writeln!(out, "{k}: {v}");
    }
    let _ = writeln!(out, "messages:");
    for (kind, n) in &decoded.counts {
        let _ = writeln!(out, "  {kind:<24} {n}");
    }

    // Not XML (told above), so read as FIT.
    let FileRead {
        verdict,
        sessions,
        note,
        ..
    } = read_activity(label, bytes, tz, Decoder::default());
    let _ = writeln!(out, "verdict: {}", verdict_text(&verdict));
    if let Some(note) = note {
        let _ = writeln!(out, "time: {note}");
    }
    if structure.damage.is_empty() && decoded.error.is_none() {
        let _ = writeln!(out, "damage: none (sizes and CRCs check out)");
    } else {
        for d in structure.damage.iter().chain(decoded.error.iter()) {
            let _ = writeln!(out, "damage: {d}");
        }
    }
    write_sessions(&mut out, &sessions, &[]);
    out
}

fn verdict_text(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Activity => "activity, read whole".to_string(),
        Verdict::NotActivity(why) => format!("not an activity ({why})"),
        Verdict::Damaged(why) => format!("damaged, partly read: {why}"),
        Verdict::Unreadable(why) => format!("unreadable: {why}"),
        Verdict::NotFit | Verdict::Wellness => "not a FIT file".to_string(),
    }
}

/// Each session with its figures and class, and the note on how its timer time was found
/// (`notes`, same order, when there are any).
fn write_sessions(
    out: &mut String,
    sessions: &[crate::session::Session],
    notes: &[Option<String>],
) {
    let band = Band::default();
    for (k, s) in sessions.iter().enumerate() {
        let (b, i, a) = s.hr.split(band.low, band.high);
        let start = match (&s.undated, s.utc_offset_s) {
            (Some(why), _) => format!("undated ({why})"),
            (None, None) if s.local_date_source == crate::session::LocalDateSource::File => {
                format!("unknown in UTC (local date {})", s.local_date)
            }
            _ => format!(
                "{} (local date {})",
                s.start_utc.format("%Y-%m-%dT%H:%M:%SZ"),
                s.local_date
            ),
        };
        let _ = writeln!(
            out,
            "session {}: {}{}, start {start}, timer {:.0} s, elapsed {:.0} s, {} pause(s)",
            s.index,
            if s.sport.is_empty() {
                "unknown sport"
            } else {
                &s.sport
            },
            if s.sub_sport.is_empty() {
                String::new()
            } else {
                format!("/{}", s.sub_sport)
            },
            s.timer_s,
            s.elapsed_s,
            s.pauses
        );
        if let Some(Some(note)) = notes.get(k) {
            let _ = writeln!(out, "  timer: {note}");
        }
        let _ = writeln!(
            out,
            "  heart rate: {} s valid, avg {}, max {}; {:.1} min below, {:.1} in, {:.1} above {band}",
            s.hr_s(),
            s.hr.mean().map_or("-".into(), |m| format!("{m:.1}")),
            s.hr.max().map_or("-".into(), |m| m.to_string()),
            b as f64 / 60.0,
            i as f64 / 60.0,
            a as f64 / 60.0,
        );
        let v = crate::classify::classify(s, band, &crate::classify::Thresholds::default());
        let _ = writeln!(out, "  class (default band and thresholds): {}", v.reason);
    }
}
