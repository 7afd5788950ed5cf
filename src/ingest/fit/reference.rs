//! The reference decoder: fitparser's streaming API turned into [`Msg`] values.
//!
//! fitparser decodes every field of every message; we keep the few we use. Its traps
//! are handled here: timestamps come back in the machine's zone (we undo that, so the
//! machine's `TZ` never changes a result), and any error discards everything decoded so
//! far with the batch API, so we use the streaming API and keep what came before.
//! Enums come back as profile names (asking for numbers breaks developer fields in
//! fitparser 0.11), so they are turned back into numbers with the same profile tables.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Local, NaiveDate, TimeZone};
use fitparser::de::{DecodeOption, FitObject, FitStreamProcessor};
use fitparser::profile::field_types as ft;
use fitparser::profile::MesgNum;
use fitparser::{FitDataRecord, Value};

use super::{Msg, RawSession, FIT_EPOCH_UNIX};

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
    decode_records(bytes, |rec| {
        if let Some(msg) = to_msg(rec) {
            sink(msg);
        }
    })
}

/// Decodes `bytes` with fitparser, calling `sink` with every decoded record (for
/// `inspect`, which shows more than the analysis uses).
pub fn decode_records(bytes: &[u8], mut sink: impl FnMut(&FitDataRecord)) -> Decoded {
    let mut out = Decoded::default();
    let mut processor = FitStreamProcessor::new();
    // The structural check verifies CRCs itself; here we want every message it can give.
    processor.add_option(DecodeOption::SkipDataCrcValidation);
    processor.add_option(DecodeOption::SkipHeaderCrcValidation);
    processor.add_option(DecodeOption::UseGenericSubFieldName);
    let mut buf = bytes;
    // fitparser's own position bookkeeping, to know when it reads a file header next.
    let (mut pos, mut end) = (0usize, 0usize);
    while !buf.is_empty() {
        let header_next = !(pos > 0 && pos == end) && (pos == 0 || pos > end);
        if let Some(why) = header_next.then(|| header_panic(buf)).flatten() {
            let at = bytes.len() - buf.len();
            out.error = Some(format!("decoder stopped at byte {at}: {why}"));
            break;
        }
        let (rest, obj) = match processor.deserialize_next(buf) {
            Ok(x) => x,
            Err(e) => {
                let at = bytes.len() - buf.len();
                out.error = Some(format!("decoder stopped at byte {at}: {e}"));
                break;
            }
        };
        match &obj {
            FitObject::Header(h) => {
                end = pos + h.header_size() as usize + h.data_size() as usize;
                pos += h.header_size() as usize;
            }
            FitObject::Crc(_) => pos += 2,
            _ => pos += buf.len() - rest.len(),
        }
        match obj {
            FitObject::Crc(_) => processor.reset(),
            FitObject::DataMessage(m) => match processor.decode_message(m) {
                Ok(rec) => {
                    *out.counts.entry(rec.kind().to_string()).or_default() += 1;
                    sink(&rec);
                }
                Err(e) => {
                    let at = bytes.len() - buf.len();
                    out.error = Some(format!("decoder stopped at byte {at}: {e}"));
                    break;
                }
            },
            FitObject::Header(_) | FitObject::DefinitionMessage(_) => {}
        }
        buf = rest;
    }
    out
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

/// Options that `inspect` and equality tests may want: the same set as [`decode`].
pub fn options() -> HashSet<DecodeOption> {
    [
        DecodeOption::SkipDataCrcValidation,
        DecodeOption::SkipHeaderCrcValidation,
        DecodeOption::UseGenericSubFieldName,
    ]
    .into_iter()
    .collect()
}

/// Field value by profile field number and name: the name keeps a developer field that
/// happens to share the number from being taken for the profile's field.
pub fn field<'a>(rec: &'a FitDataRecord, number: u8, name: &str) -> Option<&'a Value> {
    rec.fields()
        .iter()
        .find(|f| f.number() == number && f.name() == name)
        .map(|f| f.value())
}

pub fn uint(v: &Value) -> Option<u64> {
    match *v {
        Value::Byte(x) | Value::Enum(x) | Value::UInt8(x) | Value::UInt8z(x) => Some(x as u64),
        Value::UInt16(x) | Value::UInt16z(x) => Some(x as u64),
        Value::UInt32(x) | Value::UInt32z(x) => Some(x as u64),
        Value::UInt64(x) | Value::UInt64z(x) => Some(x),
        Value::SInt8(x) if x >= 0 => Some(x as u64),
        Value::SInt16(x) if x >= 0 => Some(x as u64),
        Value::SInt32(x) if x >= 0 => Some(x as u64),
        Value::SInt64(x) if x >= 0 => Some(x as u64),
        _ => None,
    }
}

fn float(v: &Value) -> Option<f64> {
    match *v {
        Value::Float32(x) => Some(x as f64),
        Value::Float64(x) => Some(x),
        _ => uint(v).map(|x| x as f64),
    }
}

/// An enum field as its profile number: fitparser names known values and leaves
/// unknown ones as numbers.
fn enum_num(v: &Value, from_name: impl Fn(&str) -> i64) -> Option<u64> {
    match v {
        Value::String(s) => u64::try_from(from_name(s)).ok(),
        other => uint(other),
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
/// Product number: named only for Garmin-family and Favero devices.
pub fn product_num(v: &Value) -> Option<u64> {
    enum_num(v, |s| match ft::GarminProduct::from(s) {
        ft::GarminProduct::Value(0) => ft::FaveroProduct::from(s).as_i64(),
        p => p.as_i64(),
    })
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

/// The fields we use, by the FIT profile's message and field numbers.
pub(crate) fn to_msg(rec: &FitDataRecord) -> Option<Msg> {
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
        _ => return None,
    })
}
