//! The one list of FIT messages and fields the analysis uses, and how fitparser turns their
//! bytes into values: base types with their invalid sentinels, scale and offset, enums.
//!
//! The selective decoder ([`super::fast`]) reads exactly the fields of [`SPECS`]; adding a
//! field is one line there, one [`Field`] variant, and its place in the [`super::Msg`] it
//! feeds. Everything here mirrors fitparser 0.11 as `reference::decode` uses it, including
//! its quirks, because the two decoders must give the same `Msg` values bit for bit:
//! invalid sentinels come from the base type the file *declares* (not the profile's), a
//! field holding an array is absent as a scalar, and enum numbers go through the profile's
//! name tables and back.

use std::collections::HashSet;
use std::sync::OnceLock;

use fitparser::de::DecodeOption;
use fitparser::profile::field_types::{self as ft, get_field_variant_as_string, FieldDataType};
use fitparser::Value;

/// Global message numbers from the FIT profile.
pub mod mesg {
    pub const FILE_ID: u16 = 0;
    pub const SPORT: u16 = 12;
    pub const SESSION: u16 = 18;
    pub const LAP: u16 = 19;
    pub const RECORD: u16 = 20;
    pub const EVENT: u16 = 21;
    pub const DEVICE_INFO: u16 = 23;
    pub const WORKOUT: u16 = 26;
    pub const ACTIVITY: u16 = 34;
    pub const HR: u16 = 132;
    pub const TIMESTAMP_CORRELATION: u16 = 162;
    pub const FIELD_DESCRIPTION: u16 = 206;
    pub const DEVELOPER_DATA_ID: u16 = 207;
}

/// The timestamp field number, the same in every message; fitparser rebases compressed
/// timestamps on it whichever message carries it.
pub const TIMESTAMP: u8 = 253;

/// A field the analysis uses. The order is the order of [`SPECS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    FileType,
    Manufacturer,
    Product,
    SerialNumber,
    TimeCreated,
    ActivityTimestamp,
    LocalTimestamp,
    SessionTimestamp,
    StartTime,
    TotalElapsedTime,
    TotalTimerTime,
    TotalDistance,
    Sport,
    SubSport,
    WorkoutFeel,
    WorkoutRpe,
    StartPositionLat,
    StartPositionLong,
    SportName,
    WorkoutName,
    EventTimestamp,
    Event,
    EventType,
    RecordTimestamp,
    HeartRate,
    CorrelationTimestamp,
    SystemTimestamp,
    CorrelationLocalTimestamp,
    HrTimestamp,
    FractionalTimestamp,
    Time256,
    FilteredBpm,
    EventTimestamps,
    EventTimestamp12,
}

/// Number of [`Field`] variants.
pub const FIELD_COUNT: usize = Field::EventTimestamp12 as usize + 1;

/// How a field's raw value becomes the number `reference::decode` reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Conv {
    /// An unscaled integer as it is; negative, floating, text and array values are absent.
    Uint,
    /// `date_time` / `local_date_time`: seconds since the FIT epoch.
    Time,
    /// A profile enum: its number, taken through the profile's name and back.
    Enum(EnumKind),
    /// `raw / scale - offset` as `f64`.
    Scaled { scale: f64, offset: f64 },
    /// A signed integer without a scale, as `f64` (positions in semicircles).
    Signed,
    /// A NUL-terminated UTF-8 string.
    Text,
    /// Every element of a field that may hold an array, as unsigned integers (see
    /// [`read_elements`]); the profile's scale is applied by the code that uses them.
    Elements,
    /// `file_id.product`: a Garmin or Favero product enum, or a plain number, chosen by the
    /// raw manufacturer (the profile's subfield rule).
    Product,
}

/// The enums among our fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumKind {
    File,
    Manufacturer,
    Sport,
    SubSport,
    Event,
    EventType,
}

/// One field we decode: where it is and how to convert it.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub field: Field,
    pub mesg: u16,
    pub number: u8,
    /// The profile's name; fitparser's output is matched by number and name.
    pub name: &'static str,
    pub conv: Conv,
}

const fn spec(field: Field, mesg: u16, number: u8, name: &'static str, conv: Conv) -> Spec {
    Spec {
        field,
        mesg,
        number,
        name,
        conv,
    }
}

const fn scaled(scale: f64) -> Conv {
    Conv::Scaled { scale, offset: 0.0 }
}

use mesg::*;
use Conv::{Enum, Text, Time, Uint};
use EnumKind as E;

/// Every field we decode, in [`Field`] order, with the FIT profile's number, name, scale and
/// offset (fitparser 0.11, FIT SDK 21.202).
#[rustfmt::skip]
pub static SPECS: [Spec; FIELD_COUNT] = [
    spec(Field::FileType,          FILE_ID,  0,   "type",               Enum(E::File)),
    spec(Field::Manufacturer,      FILE_ID,  1,   "manufacturer",       Enum(E::Manufacturer)),
    spec(Field::Product,           FILE_ID,  2,   "product",            Conv::Product),
    spec(Field::SerialNumber,      FILE_ID,  3,   "serial_number",      Uint),
    spec(Field::TimeCreated,       FILE_ID,  4,   "time_created",       Time),
    spec(Field::ActivityTimestamp, ACTIVITY, 253, "timestamp",          Time),
    spec(Field::LocalTimestamp,    ACTIVITY, 5,   "local_timestamp",    Time),
    spec(Field::SessionTimestamp,  SESSION,  253, "timestamp",          Time),
    spec(Field::StartTime,         SESSION,  2,   "start_time",         Time),
    spec(Field::TotalElapsedTime,  SESSION,  7,   "total_elapsed_time", scaled(1000.0)),
    spec(Field::TotalTimerTime,    SESSION,  8,   "total_timer_time",   scaled(1000.0)),
    spec(Field::TotalDistance,     SESSION,  9,   "total_distance",     scaled(100.0)),
    spec(Field::Sport,             SESSION,  5,   "sport",              Enum(E::Sport)),
    spec(Field::SubSport,          SESSION,  6,   "sub_sport",          Enum(E::SubSport)),
    spec(Field::WorkoutFeel,       SESSION,  192, "workout_feel",       Uint),
    spec(Field::WorkoutRpe,        SESSION,  193, "workout_rpe",        Uint),
    spec(Field::StartPositionLat,  SESSION,  3,   "start_position_lat", Conv::Signed),
    spec(Field::StartPositionLong, SESSION,  4,   "start_position_long", Conv::Signed),
    spec(Field::SportName,         SPORT,    3,   "name",               Text),
    spec(Field::WorkoutName,       WORKOUT,  8,   "wkt_name",           Text),
    spec(Field::EventTimestamp,    EVENT,    253, "timestamp",          Time),
    spec(Field::Event,             EVENT,    0,   "event",              Enum(E::Event)),
    spec(Field::EventType,         EVENT,    1,   "event_type",         Enum(E::EventType)),
    spec(Field::RecordTimestamp,   RECORD,   253, "timestamp",          Time),
    spec(Field::HeartRate,         RECORD,   3,   "heart_rate",         Uint),
    spec(Field::CorrelationTimestamp, TIMESTAMP_CORRELATION, 253, "timestamp",        Time),
    spec(Field::SystemTimestamp,      TIMESTAMP_CORRELATION, 1,   "system_timestamp", Time),
    spec(Field::CorrelationLocalTimestamp, TIMESTAMP_CORRELATION, 3, "local_timestamp", Time),
    spec(Field::HrTimestamp,       HR,       253, "timestamp",          Time),
    spec(Field::FractionalTimestamp, HR,     0,   "fractional_timestamp", Uint),
    spec(Field::Time256,           HR,       1,   "time256",            Uint),
    spec(Field::FilteredBpm,       HR,       6,   "filtered_bpm",       Conv::Elements),
    spec(Field::EventTimestamps,   HR,       9,   "event_timestamp",    Conv::Elements),
    spec(Field::EventTimestamp12,  HR,       10,  "event_timestamp_12", Conv::Elements),
];

/// The profile fields with subfields, `(message, field, the field that selects the
/// subfield)`: a subfield may be an enum or scaled where its field is not, so a
/// floating-point or text value there may make fitparser fail depending on another field.
/// Taken from fitparser 0.11's generated profile (`src/profile/decode.rs`, every field whose
/// decoding looks at another field; `event.data16` does too, but only to name the integer
/// parts it expands into); the tests check that each one does select a subfield.
#[rustfmt::skip]
pub const SUBFIELDS: &[(u16, u8, u8)] = &[
    (0, 2, 1),      // file_id.product by manufacturer
    (18, 10, 5),    // session.avg_cadence by sport
    (18, 18, 5),    // session.max_cadence
    (18, 19, 5),    // session.total_cycles
    (19, 10, 25),   // lap.total_cycles by sport
    (19, 17, 25),   // lap.avg_cadence
    (19, 18, 25),   // lap.max_cadence
    (21, 3, 0),     // event.data by event
    (21, 15, 0),    // event.start_timestamp
    (23, 1, 25),    // device_info.device_type by source_type
    (23, 4, 2),     // device_info.product by manufacturer
    (27, 2, 1),     // workout_step.duration_value by duration_type
    (27, 4, 3),     // workout_step.target_value by target_type
    (27, 5, 3),     // workout_step.custom_target_value_low
    (27, 6, 3),     // workout_step.custom_target_value_high
    (27, 20, 19),   // workout_step.secondary_target_value
    (27, 21, 19),   // workout_step.secondary_custom_target_value_low
    (27, 22, 19),   // workout_step.secondary_custom_target_value_high
    (28, 1, 0),     // schedule.product by manufacturer
    (38, 3, 2),     // mesg_capabilities.count by count_type
    (55, 3, 5),     // monitoring.cycles by activity_type
    (72, 2, 1),     // training_file.product by manufacturer
    (106, 1, 0),    // slave_device.product by manufacturer
    (142, 10, 23),  // segment_lap.total_cycles by sport
    (159, 1, 0),    // watchface_settings.layout by mode
    (167, 1, 0),    // three_d_sensor_calibration.calibration_factor by sensor_type
    (210, 1, 0),    // one_d_sensor_calibration.calibration_factor by sensor_type
    (258, 20, 19),  // dive_settings.heart_rate_source by heart_rate_source_type
];

/// Does field `number` of message `mesg` have subfields?
pub fn has_subfields(mesg: u16, number: u8) -> bool {
    SUBFIELDS.iter().any(|&(m, n, _)| m == mesg && n == number)
}

/// The specs of one message, in [`SPECS`] order (a message's specs are listed together);
/// empty for messages we do not use.
pub fn specs_of(mesg: u16) -> &'static [Spec] {
    let first = SPECS
        .iter()
        .position(|s| s.mesg == mesg)
        .unwrap_or(SPECS.len());
    let count = SPECS[first..].iter().take_while(|s| s.mesg == mesg).count();
    &SPECS[first..first + count]
}

/// A FIT base type as fitparser reads it: the declared byte with bits 5 and 6 masked off;
/// unknown values read as single bytes with `uint8` rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Base {
    Enum,
    Sint8,
    Uint8,
    String,
    Uint8z,
    Byte,
    Sint16,
    Uint16,
    Sint32,
    Uint32,
    Float32,
    Float64,
    Uint16z,
    Uint32z,
    Sint64,
    Uint64,
    Uint64z,
    Unknown,
}

impl Base {
    /// From a field definition's base type byte.
    pub fn from_byte(byte: u8) -> Base {
        match byte & 0x9F {
            0x00 => Base::Enum,
            0x01 => Base::Sint8,
            0x02 => Base::Uint8,
            0x07 => Base::String,
            0x0A => Base::Uint8z,
            0x0D => Base::Byte,
            0x83 => Base::Sint16,
            0x84 => Base::Uint16,
            0x85 => Base::Sint32,
            0x86 => Base::Uint32,
            0x88 => Base::Float32,
            0x89 => Base::Float64,
            0x8B => Base::Uint16z,
            0x8C => Base::Uint32z,
            0x8E => Base::Sint64,
            0x8F => Base::Uint64,
            0x90 => Base::Uint64z,
            _ => Base::Unknown,
        }
    }

    /// From fitparser's base type (developer field descriptions hold one).
    pub fn from_fitparser(t: ft::FitBaseType) -> Base {
        match t {
            // fitparser reads an unnamed base type as single `uint8` bytes.
            ft::FitBaseType::Value(_) => Base::Unknown,
            named => Base::from_byte(named.as_u8()),
        }
    }

    /// Bytes per element (strings: 1, read whole).
    pub fn size(self) -> usize {
        match self {
            Base::Sint16 | Base::Uint16 | Base::Uint16z => 2,
            Base::Sint32 | Base::Uint32 | Base::Uint32z | Base::Float32 => 4,
            Base::Sint64 | Base::Uint64 | Base::Uint64z | Base::Float64 => 8,
            _ => 1,
        }
    }

    /// Reads one element from exactly `self.size()` bytes; `None` when it holds the base
    /// type's invalid sentinel (fitparser's `is_valid`).
    pub fn element(self, b: &[u8], big: bool) -> Option<Raw<'static>> {
        macro_rules! num {
            ($t:ty) => {{
                let a = b.try_into().ok()?;
                if big {
                    <$t>::from_be_bytes(a)
                } else {
                    <$t>::from_le_bytes(a)
                }
            }};
        }
        let raw = match self {
            Base::Enum | Base::Uint8 | Base::Byte | Base::Unknown => {
                Raw::Unsigned(*b.first()? as u64).valid_unless(b[0] == 0xFF)
            }
            Base::Uint8z => Raw::Unsigned(*b.first()? as u64).valid_unless(b[0] == 0),
            Base::Sint8 => {
                let v = *b.first()? as i8;
                Raw::Signed(v as i64).valid_unless(v == i8::MAX)
            }
            Base::String => return None,
            Base::Sint16 => {
                let v = num!(i16);
                Raw::Signed(v as i64).valid_unless(v == i16::MAX)
            }
            Base::Uint16 => {
                let v = num!(u16);
                Raw::Unsigned(v as u64).valid_unless(v == u16::MAX)
            }
            Base::Uint16z => {
                let v = num!(u16);
                Raw::Unsigned(v as u64).valid_unless(v == 0)
            }
            Base::Sint32 => {
                let v = num!(i32);
                Raw::Signed(v as i64).valid_unless(v == i32::MAX)
            }
            Base::Uint32 => {
                let v = num!(u32);
                Raw::Unsigned(v as u64).valid_unless(v == u32::MAX)
            }
            Base::Uint32z => {
                let v = num!(u32);
                Raw::Unsigned(v as u64).valid_unless(v == 0)
            }
            Base::Sint64 => {
                let v = num!(i64);
                Raw::Signed(v).valid_unless(v == i64::MAX)
            }
            Base::Uint64 => {
                let v = num!(u64);
                Raw::Unsigned(v).valid_unless(v == u64::MAX)
            }
            Base::Uint64z => {
                let v = num!(u64);
                Raw::Unsigned(v).valid_unless(v == 0)
            }
            Base::Float32 => {
                let v = num!(f32);
                Raw::Float(v as f64).valid_unless(!v.is_finite())
            }
            Base::Float64 => {
                let v = num!(f64);
                Raw::Float(v).valid_unless(!v.is_finite())
            }
        };
        raw
    }
}

/// A field's value as fitparser's parser leaves it, before the profile is applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Raw<'a> {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Text(&'a str),
    /// Two or more elements (at least one valid): never a scalar for us.
    Array,
}

impl<'a> Raw<'a> {
    fn valid_unless(self, invalid: bool) -> Option<Raw<'a>> {
        (!invalid).then_some(self)
    }

    /// fitparser's `Value → i64`: integers (64-bit unsigned wrapping), nothing else.
    #[inline]
    pub fn to_i64(self) -> Option<i64> {
        match self {
            Raw::Unsigned(v) => Some(v as i64),
            Raw::Signed(v) => Some(v),
            _ => None,
        }
    }

    /// The reference's `uint`: non-negative integers.
    #[inline]
    pub fn to_uint(self) -> Option<u64> {
        match self {
            Raw::Unsigned(v) => Some(v),
            Raw::Signed(v) => u64::try_from(v).ok(),
            _ => None,
        }
    }

    /// fitparser's `Value → f64` for numbers.
    fn to_f64(self) -> Option<f64> {
        match self {
            Raw::Unsigned(v) => Some(v as f64),
            Raw::Signed(v) => Some(v as f64),
            Raw::Float(v) => Some(v),
            _ => None,
        }
    }
}

/// Reads a whole field of `size` bytes the way fitparser's `data_field_value` does (the
/// caller has already turned a size that is not a multiple of the base type into `Byte`):
/// `None` when absent (invalid, empty, or a string that is not UTF-8).
pub fn read_field(b: &[u8], base: Base, big: bool) -> Option<Raw<'_>> {
    if b.is_empty() {
        return None; // no elements: an empty array, which is invalid
    }
    if base == Base::String {
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        return std::str::from_utf8(&b[..end]).ok().map(Raw::Text);
    }
    let n = base.size();
    if b.len() == n {
        return base.element(b, big);
    }
    // An array is valid when any element is (for `Byte`, when any is not 0xFF).
    b.chunks_exact(n)
        .any(|c| base.element(c, big).is_some())
        .then_some(Raw::Array)
}

/// Every element of a field of `b.len()` bytes, as the reference turns fitparser's raw
/// value into unsigned integers ([`super::reference::elements`]): `None` when the field is
/// absent (empty, invalid, or text that is not UTF-8). An element that is invalid, negative,
/// a float or text is `None`. A `Byte` array keeps every byte, 0xFF included (fitparser
/// drops only a byte array whose bytes are all 0xFF), which packed fields such as
/// `hr.event_timestamp_12` need.
pub fn read_elements(b: &[u8], base: Base, big: bool) -> Option<Vec<Option<u64>>> {
    if b.is_empty() {
        return None;
    }
    if base == Base::String {
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        return std::str::from_utf8(&b[..end]).ok().map(|_| vec![None]);
    }
    let elements: Vec<Option<Raw<'_>>> = b
        .chunks_exact(base.size())
        .map(|c| base.element(c, big))
        .collect();
    if !elements.iter().any(Option::is_some) {
        return None;
    }
    Some(if base == Base::Byte {
        b.iter().map(|&x| Some(u64::from(x))).collect()
    } else {
        elements
            .into_iter()
            .map(|e| e.and_then(Raw::to_uint))
            .collect()
    })
}

/// The number fitparser's path gives an enum value: named values go to their profile name
/// and back (as `reference` does), unnamed ones stay numbers.
#[inline]
pub fn enum_number(kind: EnumKind, v: i64) -> Option<u64> {
    static TABLES: OnceLock<Vec<[Option<u64>; 256]>> = OnceLock::new();
    if kind != EnumKind::Manufacturer {
        if let Ok(i) = u8::try_from(v) {
            let tables = TABLES.get_or_init(|| {
                [
                    EnumKind::File,
                    EnumKind::Manufacturer,
                    EnumKind::Sport,
                    EnumKind::SubSport,
                    EnumKind::Event,
                    EnumKind::EventType,
                ]
                .iter()
                .map(|&k| std::array::from_fn(|i| enum_number_slow(k, i as i64)))
                .collect()
            });
            return tables[kind as usize][i as usize];
        }
    }
    enum_number_slow(kind, v)
}

fn enum_number_slow(kind: EnumKind, v: i64) -> Option<u64> {
    let field_type = match kind {
        EnumKind::File => FieldDataType::File,
        EnumKind::Manufacturer => FieldDataType::Manufacturer,
        EnumKind::Sport => FieldDataType::Sport,
        EnumKind::SubSport => FieldDataType::SubSport,
        EnumKind::Event => FieldDataType::Event,
        EnumKind::EventType => FieldDataType::EventType,
    };
    if !field_type.is_named_variant(v) {
        return u64::try_from(v).ok();
    }
    let name = get_field_variant_as_string(field_type, v);
    let n = match kind {
        EnumKind::File => ft::File::from(name.as_str()).as_i64(),
        EnumKind::Manufacturer => ft::Manufacturer::from(name.as_str()).as_i64(),
        EnumKind::Sport => ft::Sport::from(name.as_str()).as_i64(),
        EnumKind::SubSport => ft::SubSport::from(name.as_str()).as_i64(),
        EnumKind::Event => ft::Event::from(name.as_str()).as_i64(),
        EnumKind::EventType => ft::EventType::from(name.as_str()).as_i64(),
    };
    u64::try_from(n).ok()
}

/// `file_id.product` as the reference reads it, given the raw manufacturer: Garmin-family
/// and Favero devices name their products (a subfield), others give a plain number.
pub fn product_number(product: Raw<'_>, manufacturer: Option<Raw<'_>>) -> Option<u64> {
    let m = manufacturer.and_then(Raw::to_i64).unwrap_or(-1);
    let named_by = if m == ft::Manufacturer::FaveroElectronics.as_i64() {
        Some(FieldDataType::FaveroProduct)
    } else if [
        ft::Manufacturer::Garmin,
        ft::Manufacturer::Dynastream,
        ft::Manufacturer::DynastreamOem,
        ft::Manufacturer::Tacx,
    ]
    .iter()
    .any(|g| g.as_i64() == m)
    {
        Some(FieldDataType::GarminProduct)
    } else {
        None
    };
    let value = match (product, named_by) {
        (Raw::Array, _) => return None,
        (Raw::Text(s), None) => Value::String(s.to_string()),
        (raw, None) => return raw.to_uint(),
        (raw, Some(t)) => {
            // Text or floats under an enum make fitparser fail; the decoder never gets here
            // with them (they are hazards, decoded by fitparser's own profile code).
            let v = raw.to_i64()?;
            if t.is_named_variant(v) {
                Value::String(get_field_variant_as_string(t, v))
            } else {
                Value::SInt64(v)
            }
        }
    };
    product_num(&value)
}

// fitparser's decoded values as profile numbers: how the reference decoder reads every
// field, and how the fast decoder names a product the same way.

/// The options both decoders give fitparser (`reference::decode` sets the same ones on its
/// stream processor; the fast decoder hands fitparser the messages only it can judge).
pub fn options() -> HashSet<DecodeOption> {
    [
        DecodeOption::SkipDataCrcValidation,
        DecodeOption::SkipHeaderCrcValidation,
        DecodeOption::UseGenericSubFieldName,
    ]
    .into_iter()
    .collect()
}

/// A value as an unsigned integer: `None` when negative, a float, text or an array.
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

/// An enum field as its profile number: fitparser names known values and leaves
/// unknown ones as numbers.
pub(super) fn enum_num(v: &Value, from_name: impl Fn(&str) -> i64) -> Option<u64> {
    match v {
        Value::String(s) => u64::try_from(from_name(s)).ok(),
        other => uint(other),
    }
}

/// Product number: named only for Garmin-family and Favero devices.
pub fn product_num(v: &Value) -> Option<u64> {
    enum_num(v, |s| match ft::GarminProduct::from(s) {
        ft::GarminProduct::Value(0) => ft::FaveroProduct::from(s).as_i64(),
        p => p.as_i64(),
    })
}

/// Converts one of our fields' raw value as fitparser's profile and the reference do.
/// `Product` needs the manufacturer: use [`product_number`].
#[inline]
pub fn number(conv: Conv, raw: Raw<'_>) -> Option<u64> {
    match (conv, raw) {
        (_, Raw::Array) => None,
        (Conv::Uint, r) => r.to_uint(),
        // A time that is not an integer becomes the FIT epoch itself, as in fitparser.
        (Conv::Time, r) => u32::try_from(r.to_i64().unwrap_or(0)).ok().map(u64::from),
        (Conv::Enum(kind), r) => enum_number(kind, r.to_i64()?),
        (Conv::Product, r) => product_number(r, None),
        (Conv::Scaled { .. } | Conv::Signed | Conv::Text | Conv::Elements, _) => None,
    }
}

/// A scaled field's value in SI units.
pub fn real(conv: Conv, raw: Raw<'_>) -> Option<f64> {
    match conv {
        Conv::Scaled { scale, offset } => raw.to_f64().map(|v| v / scale - offset),
        Conv::Signed => raw.to_i64().map(|v| v as f64),
        _ => None,
    }
}

/// A text field's value.
pub fn text(raw: Raw<'_>) -> Option<String> {
    match raw {
        Raw::Text(s) => Some(s.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fitparser::de::DecodeOption;
    use std::collections::{HashMap, HashSet};

    fn profile_decode(
        mesg: u16,
        number: u8,
        value: Value,
    ) -> fitparser::Result<Vec<fitparser::FitDataField>> {
        let options: HashSet<_> = super::options();
        let mut map = HashMap::from([(number, value)]);
        fitparser::profile::MesgNum::from(mesg).decode_message(
            &mut map,
            &mut HashMap::new(),
            &options,
        )
    }

    #[test]
    fn specs_are_listed_in_field_order_and_grouped_by_message() {
        for (i, s) in SPECS.iter().enumerate() {
            assert_eq!(s.field as usize, i, "{:?}", s.field);
        }
        let messages = [
            FILE_ID,
            ACTIVITY,
            SESSION,
            SPORT,
            WORKOUT,
            EVENT,
            RECORD,
            TIMESTAMP_CORRELATION,
            HR,
        ];
        let covered: usize = messages.iter().map(|&m| specs_of(m).len()).sum();
        assert_eq!(
            covered, FIELD_COUNT,
            "a message's specs are not listed together"
        );
        assert!(specs_of(19).is_empty());
    }

    #[test]
    fn every_spec_names_the_profile_field_fitparser_reports() {
        // Composite fields (`hr.time256`, `hr.event_timestamp_12`) are only reported
        // themselves when asked to be kept.
        let options: HashSet<_> = super::options()
            .into_iter()
            .chain([DecodeOption::KeepCompositeFields])
            .collect();
        for s in SPECS {
            let mut map = HashMap::from([(s.number, Value::UInt8(1))]);
            let fields = fitparser::profile::MesgNum::from(s.mesg)
                .decode_message(&mut map, &mut HashMap::new(), &options)
                .expect("decodes");
            let f = fields
                .iter()
                .find(|f| f.number() == s.number)
                .expect("field");
            assert_eq!(f.name(), s.name, "{:?}", s.field);
        }
    }

    #[test]
    fn scales_match_the_profile() {
        for s in SPECS {
            if let Conv::Scaled { scale, offset } = s.conv {
                let fields =
                    profile_decode(s.mesg, s.number, Value::UInt32(12345)).expect("decodes");
                assert_eq!(fields[0].value(), &Value::Float64(12345.0 / scale - offset));
            }
        }
    }

    #[test]
    fn every_listed_subfield_is_chosen_by_its_reference_field() {
        // Without the generic-name option, a chosen subfield reports its own name.
        let options: HashSet<_> = [DecodeOption::SkipDataCrcValidation].into_iter().collect();
        let name = |m: u16, n: u8, reference: Option<(u8, u16)>| {
            let mut map = HashMap::from([(n, Value::UInt32(1))]);
            if let Some((r, v)) = reference {
                map.insert(r, Value::UInt16(v));
            }
            fitparser::profile::MesgNum::from(m)
                .decode_message(&mut map, &mut HashMap::new(), &options)
                .ok()
                .and_then(|f| {
                    f.iter()
                        .find(|f| f.number() == n)
                        .map(|f| f.name().to_string())
                })
        };
        for &(m, n, r) in SUBFIELDS {
            let plain = name(m, n, None);
            assert!(
                (0..=600).any(|v| name(m, n, Some((r, v))) != plain),
                "message {m} field {n}: no subfield chosen by field {r}"
            );
        }
    }

    #[test]
    fn enum_numbers_survive_the_name_round_trip() {
        for kind in [E::File, E::Sport, E::SubSport, E::Event, E::EventType] {
            for v in 0..=255i64 {
                assert_eq!(enum_number(kind, v), Some(v as u64), "{kind:?} {v}");
            }
            assert_eq!(enum_number(kind, -1), None);
        }
        assert_eq!(enum_number(E::Manufacturer, 1), Some(1));
        assert_eq!(enum_number(E::Manufacturer, 65534), Some(65534));
    }

    #[test]
    fn invalid_sentinels_follow_the_declared_base_type() {
        assert_eq!(read_field(&[0xFF], Base::Uint8, false), None);
        assert_eq!(read_field(&[0x00], Base::Uint8z, false), None);
        assert_eq!(read_field(&[0x7F], Base::Sint8, false), None);
        assert_eq!(
            read_field(&[0xFF, 0xFF, 0xFF, 0xFF], Base::Uint32, false),
            None
        );
        assert_eq!(read_field(&[0, 0, 0, 0], Base::Uint32z, false), None);
        assert_eq!(read_field(&[0xFF], Base::Byte, false), None);
        assert_eq!(read_field(&[0xFF], Base::Unknown, false), None);
        assert_eq!(
            read_field(&[0x00, 0x00, 0xC0, 0x7F], Base::Float32, false),
            None
        );
        assert_eq!(
            read_field(&[0x01, 0x02], Base::Uint16, true),
            Some(Raw::Unsigned(0x0102))
        );
        assert_eq!(
            read_field(&[0x01, 0x02], Base::Uint16, false),
            Some(Raw::Unsigned(0x0201))
        );
        assert_eq!(
            read_field(&[0xFE], Base::Sint8, false),
            Some(Raw::Signed(-2))
        );
    }

    #[test]
    fn arrays_are_present_only_with_a_valid_element() {
        assert_eq!(read_field(&[0xFF, 0xFF], Base::Uint8, false), None);
        assert_eq!(
            read_field(&[0xFF, 0x01], Base::Uint8, false),
            Some(Raw::Array)
        );
        assert_eq!(read_field(&[], Base::Uint8, false), None);
    }

    #[test]
    fn strings_stop_at_the_first_nul_and_must_be_utf8() {
        assert_eq!(
            read_field(b"Run\0xx", Base::String, false),
            Some(Raw::Text("Run"))
        );
        assert_eq!(
            read_field(b"\0\0", Base::String, false),
            Some(Raw::Text(""))
        );
        assert_eq!(read_field(&[0xC3, 0x28], Base::String, false), None);
        assert_eq!(read_field(&[], Base::String, false), None);
    }

    #[test]
    fn conversions_follow_fitparser() {
        let t = Conv::Time;
        assert_eq!(number(t, Raw::Unsigned(5)), Some(5));
        assert_eq!(number(t, Raw::Signed(-5)), None);
        assert_eq!(number(t, Raw::Float(3.5)), Some(0));
        assert_eq!(number(t, Raw::Array), None);
        assert_eq!(number(Uint, Raw::Signed(-1)), None);
        assert_eq!(number(Uint, Raw::Float(1.0)), None);
        assert_eq!(real(scaled(1000.0), Raw::Unsigned(1500)), Some(1.5));
        assert_eq!(real(scaled(1000.0), Raw::Array), None);
        assert_eq!(text(Raw::Text("Easy")), Some("Easy".to_string()));
    }

    #[test]
    fn products_are_named_only_for_garmin_family_and_favero() {
        let garmin = Some(Raw::Unsigned(1));
        assert_eq!(product_number(Raw::Unsigned(2697), garmin), Some(2697));
        assert_eq!(
            product_number(Raw::Unsigned(31), Some(Raw::Unsigned(32))),
            Some(31)
        );
        assert_eq!(product_number(Raw::Array, garmin), None);
        assert_eq!(product_number(Raw::Signed(-3), None), None);
    }
}
