//! The reference decoder: fitparser's streaming API turned into [`Msg`] values.
//!
//! fitparser decodes every field of every message; we keep the few we use. Its traps
//! are handled here: timestamps come back in the machine's zone (we undo that, so the
//! machine's `TZ` never changes a result), and any error discards everything decoded so
//! far with the batch API, so we use the streaming API and keep what came before.
//! Enums come back as profile names (asking for numbers breaks developer fields in
//! fitparser 0.11), so they are turned back into numbers with the same profile tables.
//! `hr` messages are taken from fitparser's raw values, before its profile code: it
//! accumulates the packed `event_timestamp_12` by adding values (the profile says: add the
//! difference modulo 2^12), so its expanded times are wrong.
//!
//! fitparser prints `ERROR: field size …` to stderr itself when a field definition's size is
//! not a multiple of its base type, and then reads the field as bytes. So that every line on
//! stderr is ours, it is handed a copy of the bytes in which such a definition already says
//! byte (0x0D): it reads the same values and prints nothing.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Local, NaiveDate, TimeZone};
use fitparser::de::{DecodeOption, FitObject, FitStreamProcessor};
use fitparser::profile::field_types as ft;
use fitparser::profile::MesgNum;
use fitparser::{FitDataRecord, Value};

use super::fields::{enum_num, mesg, Base};
// `inspect` reads fitparser's records with these too.
pub use super::fields::{product_num, uint};
use super::{Msg, RawHr, RawSession, FIT_EPOCH_UNIX};

/// What decoding a whole file gave.
#[derive(Debug, Default)]
pub struct Decoded {
    /// Number of data messages decoded, by message name.
    pub counts: BTreeMap<String, usize>,
    /// The decoder's error, when it stopped before the end.
    pub error: Option<String>,
}

/// Decodes `bytes` with fitparser, calling `sink` for each message we use. Stops at the
/// first error and reports it; the messages before it have been delivered.
pub fn decode(bytes: &[u8], mut sink: impl FnMut(Msg)) -> Decoded {
    walk(bytes, |rec, raw| {
        if let Some(msg) = to_msg(rec, raw) {
            sink(msg);
        }
    })
}

/// Decodes `bytes` with fitparser, calling `sink` with every decoded record (for
/// `inspect`, which shows more than the analysis uses).
pub fn decode_records(bytes: &[u8], mut sink: impl FnMut(&FitDataRecord)) -> Decoded {
    walk(bytes, |rec, _| sink(rec))
}

/// fitparser's streaming walk; `sink` also gets the raw values of `hr` messages.
fn walk(
    bytes: &[u8],
    mut sink: impl FnMut(&FitDataRecord, Option<&HashMap<u8, Value>>),
) -> Decoded {
    let mut out = Decoded::default();
    let mut processor = FitStreamProcessor::new();
    // The structural check verifies CRCs itself; here we want every message it can give.
    processor.add_option(DecodeOption::SkipDataCrcValidation);
    processor.add_option(DecodeOption::SkipHeaderCrcValidation);
    processor.add_option(DecodeOption::UseGenericSubFieldName);
    // The bytes fitparser reads: `bytes`, or a copy with misaligned definitions patched.
    let mut data: Cow<'_, [u8]> = Cow::Borrowed(bytes);
    let mut at = 0usize;
    // fitparser's own position bookkeeping, to know when it reads a file header next.
    let (mut pos, mut end) = (0usize, 0usize);
    while at < data.len() {
        let header_next = !(pos > 0 && pos == end) && (pos == 0 || pos > end);
        if let Some(why) = header_next.then(|| header_panic(&data[at..])).flatten() {
            out.error = Some(format!("decoder stopped at byte {at}: {why}"));
            break;
        }
        if pos > 0 && pos < end && data[at] & 0xC0 == 0x40 {
            let misaligned = misaligned_fields(&data[at..]);
            if !misaligned.is_empty() {
                let copy = data.to_mut();
                for i in misaligned {
                    copy[at + i] = BASE_BYTE;
                }
            }
        }
        let buf = &data[at..];
        let (rest, obj) = match processor.deserialize_next(buf) {
            Ok(x) => x,
            Err(e) => {
                out.error = Some(format!("decoder stopped at byte {at}: {e}"));
                break;
            }
        };
        let consumed = buf.len() - rest.len();
        match &obj {
            FitObject::Header(h) => {
                end = pos + h.header_size() as usize + h.data_size() as usize;
                pos += h.header_size() as usize;
            }
            FitObject::Crc(_) => pos += 2,
            _ => pos += consumed,
        }
        match obj {
            FitObject::Crc(_) => processor.reset(),
            FitObject::DataMessage(m) => {
                let raw = (m.global_message_number() == mesg::HR).then(|| m.fields().clone());
                match processor.decode_message(m) {
                    Ok(rec) => {
                        *out.counts.entry(rec.kind().to_string()).or_default() += 1;
                        sink(&rec, raw.as_ref());
                    }
                    Err(e) => {
                        out.error = Some(format!("decoder stopped at byte {at}: {e}"));
                        break;
                    }
                }
            }
            FitObject::Header(_) | FitObject::DefinitionMessage(_) => {}
        }
        at += consumed;
    }
    out
}

/// The base type byte of `byte`.
const BASE_BYTE: u8 = 0x0D;

/// In the definition message at the start of `def`, the offsets of the base type bytes of
/// the fields whose size is not a multiple of their base type's (fitparser's own test, on
/// the byte with bits 5 and 6 masked off).
fn misaligned_fields(def: &[u8]) -> Vec<usize> {
    let Some(&n) = def.get(5) else {
        return Vec::new();
    };
    (0..n as usize)
        .map(|i| 6 + 3 * i)
        .take_while(|&o| o + 2 < def.len())
        .filter(|&o| !(def[o + 1] as usize).is_multiple_of(Base::from_byte(def[o + 2]).size()))
        .map(|o| o + 2)
        .collect()
}

/// The damaged headers on which fitparser 0.11 panics instead of failing: a tail shorter
/// than a header whose first byte is smaller than the tail (its "bytes needed" underflows),
/// and a header size past the end of the file (it slices the header for its CRC).
fn header_panic(b: &[u8]) -> Option<&'static str> {
    let size = *b.first()? as usize;
    if b.len() < if size > 12 { 14 } else { 12 } {
        return (size < b.len()).then_some("the file ends inside a FIT header");
    }
    let crc = size > 12 && (b[12], b[13]) != (0, 0);
    let sliced = if crc { size - 2 } else { size };
    (&b[8..12] == b".FIT" && sliced > b.len())
        .then_some("the header declares a size past the end of the file")
}

/// Field value by profile field number and name: the name keeps a developer field that
/// happens to share the number from being taken for the profile's field.
pub fn field<'a>(rec: &'a FitDataRecord, number: u8, name: &str) -> Option<&'a Value> {
    rec.fields()
        .iter()
        .find(|f| f.number() == number && f.name() == name)
        .map(|f| f.value())
}

/// Any integer as `f64` (positions are signed semicircles).
fn signed(v: &Value) -> Option<f64> {
    match *v {
        Value::SInt8(x) => Some(x as f64),
        Value::SInt16(x) => Some(x as f64),
        Value::SInt32(x) => Some(x as f64),
        Value::SInt64(x) => Some(x as f64),
        _ => float(v),
    }
}

fn float(v: &Value) -> Option<f64> {
    match *v {
        Value::Float32(x) => Some(x as f64),
        Value::Float64(x) => Some(x),
        _ => uint(v).map(|x| x as f64),
    }
}

fn sport_num(v: &Value) -> Option<u64> {
    enum_num(v, |s| ft::Sport::from(s).as_i64())
}
fn sub_sport_num(v: &Value) -> Option<u64> {
    enum_num(v, |s| ft::SubSport::from(s).as_i64())
}
fn file_num(v: &Value) -> Option<u64> {
    enum_num(v, |s| ft::File::from(s).as_i64())
}
fn event_num(v: &Value) -> Option<u64> {
    enum_num(v, |s| ft::Event::from(s).as_i64())
}
fn event_type_num(v: &Value) -> Option<u64> {
    enum_num(v, |s| ft::EventType::from(s).as_i64())
}
/// Manufacturer number from its profile name.
pub fn manufacturer_num(v: &Value) -> Option<u64> {
    enum_num(v, |s| ft::Manufacturer::from(s).as_i64())
}
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim_end_matches('\0').to_string()),
        _ => None,
    }
}

/// fitparser gives UTC fields as the right instant in the machine's zone.
fn utc_time(v: &Value) -> Option<u32> {
    match v {
        Value::Timestamp(t) => u32::try_from(t.timestamp() - FIT_EPOCH_UNIX).ok(),
        _ => None,
    }
}

/// fitparser builds wall-clock (`local_timestamp`) fields as "FIT epoch in the machine's
/// zone plus the seconds", so the seconds are the distance from that same instant.
fn local_time(v: &Value) -> Option<u32> {
    let Value::Timestamp(t) = v else { return None };
    let epoch = NaiveDate::from_ymd_opt(1989, 12, 31)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("the FIT epoch is a valid date");
    let base: DateTime<Local> = Local.from_local_datetime(&epoch).earliest()?;
    u32::try_from(t.timestamp() - base.timestamp()).ok()
}

fn get<T>(rec: &FitDataRecord, n: u8, name: &str, f: impl Fn(&Value) -> Option<T>) -> Option<T> {
    field(rec, n, name).and_then(f)
}

/// A raw value's elements as unsigned integers: an array's invalid, negative, floating or
/// text elements are `None` (the fast decoder's [`super::fields::read_elements`] alike).
pub fn elements(v: &Value) -> Vec<Option<u64>> {
    match v {
        Value::Array(vs) => vs.iter().map(uint).collect(),
        other => vec![uint(other)],
    }
}

/// An `hr` message from fitparser's raw values (field number → value, before its profile
/// code) and the decoded record's timestamp (which a compressed header may have given).
fn hr_msg(rec: &FitDataRecord, raw: &HashMap<u8, Value>) -> Msg {
    let list = |n: u8| raw.get(&n).map(elements).unwrap_or_default();
    Msg::Hr(RawHr {
        timestamp: get(rec, 253, "timestamp", utc_time),
        fractional_timestamp: raw.get(&0).and_then(uint),
        time256: raw.get(&1).and_then(uint),
        filtered_bpm: list(6),
        event_timestamp: list(9),
        event_timestamp_12: list(10),
    })
}

/// The fields we use, by the FIT profile's message and field numbers; `raw` holds the raw
/// values of an `hr` message (`None`: no `hr` message).
pub(crate) fn to_msg(rec: &FitDataRecord, raw: Option<&HashMap<u8, Value>>) -> Option<Msg> {
    let u8_of = |n, name, f: fn(&Value) -> Option<u64>| {
        get(rec, n, name, f).and_then(|x| u8::try_from(x).ok())
    };
    let u16_of = |n, name, f: fn(&Value) -> Option<u64>| {
        get(rec, n, name, f).and_then(|x| u16::try_from(x).ok())
    };
    let u32_of = |n, name| get(rec, n, name, uint).and_then(|x| u32::try_from(x).ok());
    Some(match rec.kind() {
        MesgNum::FileId => Msg::FileId {
            file_type: u8_of(0, "type", file_num),
            manufacturer: u16_of(1, "manufacturer", manufacturer_num),
            product: u16_of(2, "product", product_num),
            serial: u32_of(3, "serial_number"),
            time_created: get(rec, 4, "time_created", utc_time),
        },
        MesgNum::Activity => Msg::Activity {
            timestamp: get(rec, 253, "timestamp", utc_time),
            local_timestamp: get(rec, 5, "local_timestamp", local_time),
        },
        MesgNum::Session => Msg::Session(RawSession {
            timestamp: get(rec, 253, "timestamp", utc_time),
            start_time: get(rec, 2, "start_time", utc_time),
            total_elapsed_time: get(rec, 7, "total_elapsed_time", float),
            total_timer_time: get(rec, 8, "total_timer_time", float),
            total_distance: get(rec, 9, "total_distance", float),
            sport: u8_of(5, "sport", sport_num),
            sub_sport: u8_of(6, "sub_sport", sub_sport_num),
            workout_feel: u8_of(192, "workout_feel", uint),
            workout_rpe: u8_of(193, "workout_rpe", uint),
            start_position: super::semicircles(
                get(rec, 3, "start_position_lat", signed),
                get(rec, 4, "start_position_long", signed),
            ),
        }),
        MesgNum::Sport => Msg::Sport {
            name: get(rec, 3, "name", text),
        },
        MesgNum::Workout => Msg::Workout {
            name: get(rec, 8, "wkt_name", text),
        },
        MesgNum::Event => Msg::Event {
            timestamp: get(rec, 253, "timestamp", utc_time),
            event: u8_of(0, "event", event_num),
            event_type: u8_of(1, "event_type", event_type_num),
        },
        MesgNum::Record => Msg::Record {
            timestamp: get(rec, 253, "timestamp", utc_time),
            hr: u8_of(3, "heart_rate", uint),
        },
        MesgNum::TimestampCorrelation => Msg::TimestampCorrelation {
            timestamp: get(rec, 253, "timestamp", utc_time),
            system_timestamp: get(rec, 1, "system_timestamp", utc_time),
            local_timestamp: get(rec, 3, "local_timestamp", local_time),
        },
        MesgNum::Hr => return raw.map(|raw| hr_msg(rec, raw)),
        _ => return None,
    })
}
