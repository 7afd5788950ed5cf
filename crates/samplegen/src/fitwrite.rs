//! Writes FIT 2.0 activity files in memory: framing, CRC, and typed helpers for our messages.
//!
//! Field numbers, base types and scales follow the FIT profile (checked against fitparser
//! 0.11's generated profile). Only what a sports-watch activity file needs is covered; the
//! raw [`FitWriter::define`] / [`FitWriter::write`] pair reaches any other message.

use std::fmt;

mod messages;
pub use messages::{
    Activity, DeveloperDataId, DeviceInfo, Event, FieldDescription, FileId, Lap, Record,
    RecordLayout, Session, Sport, Workout,
};

// The FIT epoch, the message numbers, the timestamp field number and the CRC are the
// product's: one definition each, shared by the reader and this writer.
pub use recovery::ingest::fit::fields::mesg;
use recovery::ingest::fit::fields::TIMESTAMP as TIMESTAMP_FIELD;
pub use recovery::ingest::fit::FIT_EPOCH_UNIX;
use recovery::ingest::fit::{check::crc16, FILE_TYPE_ACTIVITY};

/// Protocol 2.0: needed for developer fields; readers of 1.0 files read it too.
pub const PROTOCOL_VERSION: u8 = 0x20;

/// Profile 21.32, a profile current enough for every field we write.
pub const PROFILE_VERSION: u16 = 2132;

const HEADER_SIZE: u8 = 14;
const MESSAGE_INDEX_FIELD: u8 = 254;

/// Enum values from the FIT profile that the typed helpers take.
pub mod profile {
    pub const FILE_ACTIVITY: u8 = super::FILE_TYPE_ACTIVITY;
    pub const MANUFACTURER_GARMIN: u16 = 1;
    pub const MANUFACTURER_WAHOO: u16 = 32;
    pub const SPORT_RUNNING: u8 = 1;
    pub const SPORT_CYCLING: u8 = 2;
    pub const SUB_SPORT_GENERIC: u8 = 0;
    pub const SUB_SPORT_STREET: u8 = 2;
    pub const SUB_SPORT_ROAD: u8 = 7;
    pub const EVENT_TIMER: u8 = 0;
    pub const EVENT_SESSION: u8 = 8;
    pub const EVENT_LAP: u8 = 9;
    pub const EVENT_ACTIVITY: u8 = 26;
    pub const EVENT_TYPE_START: u8 = 0;
    pub const EVENT_TYPE_STOP: u8 = 1;
    pub const EVENT_TYPE_STOP_ALL: u8 = 4;
    pub const TIMER_TRIGGER_MANUAL: u32 = 0;
    pub const TIMER_TRIGGER_AUTO: u32 = 1;
    pub const LAP_TRIGGER_MANUAL: u8 = 0;
    pub const LAP_TRIGGER_DISTANCE: u8 = 2;
    pub const LAP_TRIGGER_SESSION_END: u8 = 7;
    pub const SESSION_TRIGGER_ACTIVITY_END: u8 = 0;
    pub const SESSION_TRIGGER_AUTO_MULTI_SPORT: u8 = 2;
    pub const ACTIVITY_MANUAL: u8 = 0;
    pub const ACTIVITY_AUTO_MULTI_SPORT: u8 = 1;
}

/// Converts Unix seconds to FIT seconds; instants before the FIT epoch clamp to 0.
pub fn fit_timestamp(unix_seconds: i64) -> u32 {
    u32::try_from(unix_seconds - FIT_EPOCH_UNIX).unwrap_or(0)
}

/// The FIT base types we write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseType {
    Enum,
    SInt8,
    UInt8,
    SInt16,
    UInt16,
    SInt32,
    UInt32,
    String,
    UInt8z,
    UInt16z,
    UInt32z,
    Byte,
}

impl BaseType {
    /// The base type byte of a field definition (endian bit set for multi-byte types).
    pub const fn id(self) -> u8 {
        match self {
            BaseType::Enum => 0x00,
            BaseType::SInt8 => 0x01,
            BaseType::UInt8 => 0x02,
            BaseType::SInt16 => 0x83,
            BaseType::UInt16 => 0x84,
            BaseType::SInt32 => 0x85,
            BaseType::UInt32 => 0x86,
            BaseType::String => 0x07,
            BaseType::UInt8z => 0x0A,
            BaseType::UInt16z => 0x8B,
            BaseType::UInt32z => 0x8C,
            BaseType::Byte => 0x0D,
        }
    }

    /// Bytes of one element.
    pub const fn size(self) -> u8 {
        match self {
            BaseType::Enum
            | BaseType::SInt8
            | BaseType::UInt8
            | BaseType::String
            | BaseType::UInt8z
            | BaseType::Byte => 1,
            BaseType::SInt16 | BaseType::UInt16 | BaseType::UInt16z => 2,
            BaseType::SInt32 | BaseType::UInt32 | BaseType::UInt32z => 4,
        }
    }

    /// The little-endian bytes of this type's "no value" sentinel, one element long.
    fn invalid(self) -> &'static [u8] {
        match self {
            BaseType::Enum | BaseType::UInt8 | BaseType::Byte => &[0xFF],
            BaseType::SInt8 => &[0x7F],
            BaseType::SInt16 => &[0xFF, 0x7F],
            BaseType::UInt16 => &[0xFF, 0xFF],
            BaseType::SInt32 => &[0xFF, 0xFF, 0xFF, 0x7F],
            BaseType::UInt32 => &[0xFF, 0xFF, 0xFF, 0xFF],
            BaseType::String | BaseType::UInt8z => &[0x00],
            BaseType::UInt16z => &[0x00, 0x00],
            BaseType::UInt32z => &[0x00, 0x00, 0x00, 0x00],
        }
    }
}

/// One field of a definition message: its number in the profile, its size in bytes and type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldDef {
    pub number: u8,
    pub size: u8,
    pub base: BaseType,
}

impl FieldDef {
    /// A single value of `base`.
    pub const fn new(number: u8, base: BaseType) -> Self {
        FieldDef {
            number,
            size: base.size(),
            base,
        }
    }

    /// A null-terminated string in a fixed `size` bytes.
    pub const fn string(number: u8, size: u8) -> Self {
        FieldDef {
            number,
            size,
            base: BaseType::String,
        }
    }

    /// A fixed-length byte array (e.g. the 16-byte application id).
    pub const fn bytes(number: u8, size: u8) -> Self {
        FieldDef {
            number,
            size,
            base: BaseType::Byte,
        }
    }
}

/// One developer field of a definition message; its type comes from the field description
/// that the same `developer_index` and `number` were given earlier in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DevFieldDef {
    pub number: u8,
    pub size: u8,
    pub developer_index: u8,
}

/// A value for one field, in the field's raw (already scaled) units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    U8(u8),
    U16(u16),
    U32(u32),
    I8(i8),
    I16(i16),
    I32(i32),
    Str(String),
    Bytes(Vec<u8>),
    /// The base type's invalid sentinel: how FIT says "no value".
    Invalid,
}

impl Value {
    fn u8_or_invalid(value: Option<u8>) -> Value {
        value.map_or(Value::Invalid, Value::U8)
    }

    fn u16_or_invalid(value: Option<u16>) -> Value {
        value.map_or(Value::Invalid, Value::U16)
    }

    fn u32_or_invalid(value: Option<u32>) -> Value {
        value.map_or(Value::Invalid, Value::U32)
    }
}

/// Rounds a physical quantity to a FIT raw value (`value * scale`), saturating at the type's
/// limits; rounding rather than truncating keeps 2.999 m from becoming 299 cm.
fn scaled_u32(value: f64, scale: f64) -> u32 {
    // `as` saturates for floats, and a saturated value is still a valid number of the type.
    (value * scale).round() as u32
}

fn scaled_u16(value: f64, scale: f64) -> u16 {
    // Keep one below u16::MAX so a huge speed never turns into the invalid sentinel.
    ((value * scale).round() as u16).min(u16::MAX - 1)
}

/// What can go wrong while writing; every case is a mistake of the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FitError {
    /// Local message numbers are 0–15 (0–3 with a compressed-timestamp header).
    LocalOutOfRange(u8),
    /// A data message for a local number that has no definition yet.
    Undefined(u8),
    /// The number of values differs from the number of fields defined.
    FieldCount {
        local: u8,
        expected: usize,
        got: usize,
    },
    /// A value does not fit the base type or size of its field.
    TypeMismatch { local: u8, field: u8 },
    /// A compressed timestamp needs an earlier full timestamp less than 32 s before it.
    TimestampOutOfReach {
        previous: Option<u32>,
        timestamp: u32,
    },
    /// A definition used with compressed timestamps must not carry its own timestamp field.
    TimestampInCompressed(u8),
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FitError::LocalOutOfRange(local) => {
                write!(f, "local message number {local} is out of range")
            }
            FitError::Undefined(local) => {
                write!(f, "local message number {local} has no definition")
            }
            FitError::FieldCount {
                local,
                expected,
                got,
            } => write!(
                f,
                "local message {local} defines {expected} fields but got {got} values"
            ),
            FitError::TypeMismatch { local, field } => write!(
                f,
                "value for field {field} of local message {local} does not fit its definition"
            ),
            FitError::TimestampOutOfReach {
                previous,
                timestamp,
            } => write!(
                f,
                "timestamp {timestamp} cannot be compressed against previous {previous:?}"
            ),
            FitError::TimestampInCompressed(local) => write!(
                f,
                "local message {local} has a timestamp field and cannot take a compressed header"
            ),
        }
    }
}

impl std::error::Error for FitError {}

impl From<FitError> for std::io::Error {
    fn from(error: FitError) -> Self {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, error)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Definition {
    global: u16,
    fields: Vec<FieldDef>,
    dev_fields: Vec<DevFieldDef>,
}

/// Builds one FIT file in memory; [`FitWriter::finish`] adds the header and the CRC.
#[derive(Debug)]
pub struct FitWriter {
    body: Vec<u8>,
    definitions: [Option<Definition>; 16],
    /// The timestamp a decoder would use as the base for the next compressed header: the last
    /// full timestamp written, advanced by every compressed one.
    last_timestamp: Option<u32>,
    compress_records: bool,
    record_layout: RecordLayout,
    messages: usize,
}

impl Default for FitWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl FitWriter {
    pub fn new() -> Self {
        FitWriter {
            body: Vec::new(),
            definitions: Default::default(),
            last_timestamp: None,
            compress_records: false,
            record_layout: RecordLayout::default(),
            messages: 0,
        }
    }

    /// Writes a definition message for `local` (little-endian fields).
    pub fn define(&mut self, local: u8, global: u16, fields: &[FieldDef]) -> Result<(), FitError> {
        self.define_with_dev(local, global, fields, &[])
    }

    /// Writes a definition message whose data messages also carry developer fields.
    pub fn define_with_dev(
        &mut self,
        local: u8,
        global: u16,
        fields: &[FieldDef],
        dev_fields: &[DevFieldDef],
    ) -> Result<(), FitError> {
        let slot = self
            .definitions
            .get_mut(usize::from(local))
            .ok_or(FitError::LocalOutOfRange(local))?;
        let has_dev = !dev_fields.is_empty();
        self.body
            .push(0x40 | if has_dev { 0x20 } else { 0 } | local);
        self.body.push(0); // reserved
        self.body.push(0); // architecture: little-endian
        self.body.extend_from_slice(&global.to_le_bytes());
        // At most 255 fields fit a definition; more is a programming error we refuse.
        let count = u8::try_from(fields.len()).map_err(|_| FitError::LocalOutOfRange(local))?;
        self.body.push(count);
        for field in fields {
            self.body
                .extend_from_slice(&[field.number, field.size, field.base.id()]);
        }
        if has_dev {
            let count =
                u8::try_from(dev_fields.len()).map_err(|_| FitError::LocalOutOfRange(local))?;
            self.body.push(count);
            for field in dev_fields {
                self.body
                    .extend_from_slice(&[field.number, field.size, field.developer_index]);
            }
        }
        *slot = Some(Definition {
            global,
            fields: fields.to_vec(),
            dev_fields: dev_fields.to_vec(),
        });
        Ok(())
    }

    /// Writes a data message with a normal header; `values` match the definition's fields.
    pub fn write(&mut self, local: u8, values: &[Value]) -> Result<(), FitError> {
        self.write_with_dev(local, values, &[])
    }

    /// Writes a data message with developer values after the normal ones.
    pub fn write_with_dev(
        &mut self,
        local: u8,
        values: &[Value],
        dev_values: &[Value],
    ) -> Result<(), FitError> {
        let encoded = self.encode(local, values, dev_values)?;
        self.body.push(local);
        self.body.extend_from_slice(&encoded);
        self.messages += 1;
        // A decoder rebases compressed timestamps on every full timestamp it sees, so do we.
        let definition = self.definition(local)?;
        if let Some(at) = definition
            .fields
            .iter()
            .position(|field| field.number == TIMESTAMP_FIELD)
        {
            if let Some(Value::U32(timestamp)) = values.get(at) {
                self.last_timestamp = Some(*timestamp);
            }
        }
        Ok(())
    }

    /// Writes a data message with a compressed-timestamp header: the low 5 bits of
    /// `timestamp`, decoded relative to the previous timestamp (which must be known and
    /// less than 32 s earlier). The definition must not contain the timestamp field.
    pub fn write_compressed(
        &mut self,
        local: u8,
        timestamp: u32,
        values: &[Value],
    ) -> Result<(), FitError> {
        if local > 3 {
            return Err(FitError::LocalOutOfRange(local));
        }
        if !Self::can_compress(self.last_timestamp, timestamp) {
            return Err(FitError::TimestampOutOfReach {
                previous: self.last_timestamp,
                timestamp,
            });
        }
        if self
            .definition(local)?
            .fields
            .iter()
            .any(|field| field.number == TIMESTAMP_FIELD)
        {
            return Err(FitError::TimestampInCompressed(local));
        }
        let encoded = self.encode(local, values, &[])?;
        // The 5-bit offset is the timestamp modulo 32; the decoder adds 32 when it is below the
        // previous one's low bits, which is the rollover a delta under 32 s can cause.
        let offset = u8::try_from(timestamp & 0x1F).expect("masked to 5 bits");
        self.body.push(0x80 | (local << 5) | offset);
        self.body.extend_from_slice(&encoded);
        self.messages += 1;
        self.last_timestamp = Some(timestamp);
        Ok(())
    }

    fn can_compress(previous: Option<u32>, timestamp: u32) -> bool {
        previous.is_some_and(|previous| timestamp >= previous && timestamp - previous < 32)
    }

    fn definition(&self, local: u8) -> Result<&Definition, FitError> {
        self.definitions
            .get(usize::from(local))
            .ok_or(FitError::LocalOutOfRange(local))?
            .as_ref()
            .ok_or(FitError::Undefined(local))
    }

    fn encode(
        &self,
        local: u8,
        values: &[Value],
        dev_values: &[Value],
    ) -> Result<Vec<u8>, FitError> {
        let definition = self.definition(local)?;
        if values.len() != definition.fields.len() {
            return Err(FitError::FieldCount {
                local,
                expected: definition.fields.len(),
                got: values.len(),
            });
        }
        if dev_values.len() != definition.dev_fields.len() {
            return Err(FitError::FieldCount {
                local,
                expected: definition.dev_fields.len(),
                got: dev_values.len(),
            });
        }
        let mut out = Vec::new();
        for (field, value) in definition.fields.iter().zip(values) {
            encode_value(&mut out, field.base, field.size, value).ok_or(
                FitError::TypeMismatch {
                    local,
                    field: field.number,
                },
            )?;
        }
        for (field, value) in definition.dev_fields.iter().zip(dev_values) {
            // The developer field's type lives in its field description; infer it from the value.
            let base = match value {
                Value::U8(_) => BaseType::UInt8,
                Value::U16(_) => BaseType::UInt16,
                Value::U32(_) => BaseType::UInt32,
                Value::I8(_) => BaseType::SInt8,
                Value::I16(_) => BaseType::SInt16,
                Value::I32(_) => BaseType::SInt32,
                Value::Str(_) => BaseType::String,
                Value::Bytes(_) | Value::Invalid => BaseType::Byte,
            };
            encode_value(&mut out, base, field.size, value).ok_or(FitError::TypeMismatch {
                local,
                field: field.number,
            })?;
        }
        Ok(out)
    }

    /// Emits a definition only when `local` does not already hold exactly this one, so the
    /// typed helpers can share local numbers with each other and with raw `define` calls.
    fn ensure(
        &mut self,
        local: u8,
        global: u16,
        fields: &[FieldDef],
        dev_fields: &[DevFieldDef],
    ) -> Result<(), FitError> {
        let wanted = Definition {
            global,
            fields: fields.to_vec(),
            dev_fields: dev_fields.to_vec(),
        };
        if self.definitions[usize::from(local)].as_ref() != Some(&wanted) {
            self.define_with_dev(local, global, fields, dev_fields)?;
        }
        Ok(())
    }

    /// From now on, [`FitWriter::record`] uses a compressed-timestamp header whenever the
    /// previous timestamp is less than 32 s back, and a full timestamp otherwise.
    pub fn set_compressed_records(&mut self, on: bool) {
        self.compress_records = on;
    }

    /// Chooses which optional fields [`FitWriter::record`] writes from now on.
    pub fn set_record_layout(&mut self, layout: RecordLayout) {
        self.record_layout = layout;
    }

    /// Data messages written so far.
    pub fn message_count(&self) -> usize {
        self.messages
    }

    /// The complete file: 14-byte header, the messages, and the CRC over both.
    pub fn finish(self) -> Vec<u8> {
        let data_size = u32::try_from(self.body.len()).expect("a FIT file is under 4 GiB");
        let mut out = Vec::with_capacity(self.body.len() + usize::from(HEADER_SIZE) + 2);
        out.push(HEADER_SIZE);
        out.push(PROTOCOL_VERSION);
        out.extend_from_slice(&PROFILE_VERSION.to_le_bytes());
        out.extend_from_slice(&data_size.to_le_bytes());
        out.extend_from_slice(b".FIT");
        let header_crc = crc16(&out);
        out.extend_from_slice(&header_crc.to_le_bytes());
        out.extend_from_slice(&self.body);
        let crc = crc16(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }
}

/// Room for the string and its terminating NUL; FIT strings are at most 255 bytes.
fn string_size(text: &str) -> u8 {
    u8::try_from(text.len() + 1).unwrap_or(u8::MAX)
}

/// Appends `value` as `size` bytes of `base`; None when it does not fit.
fn encode_value(out: &mut Vec<u8>, base: BaseType, size: u8, value: &Value) -> Option<()> {
    let size = usize::from(size);
    let element = usize::from(base.size());
    let start = out.len();
    match (base, value) {
        (_, Value::Invalid) => {
            if size % element != 0 {
                return None;
            }
            for _ in 0..size / element {
                out.extend_from_slice(base.invalid());
            }
        }
        (BaseType::String, Value::Str(text)) => {
            // Strings are NUL-terminated inside their fixed size.
            if text.len() >= size {
                return None;
            }
            out.extend_from_slice(text.as_bytes());
            out.resize(start + size, 0);
        }
        (BaseType::Byte, Value::Bytes(bytes)) => {
            if bytes.len() != size {
                return None;
            }
            out.extend_from_slice(bytes);
        }
        (BaseType::Enum | BaseType::UInt8 | BaseType::UInt8z | BaseType::Byte, Value::U8(v)) => {
            out.push(*v)
        }
        (BaseType::SInt8, Value::I8(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (BaseType::UInt16 | BaseType::UInt16z, Value::U16(v)) => {
            out.extend_from_slice(&v.to_le_bytes())
        }
        (BaseType::SInt16, Value::I16(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (BaseType::UInt32 | BaseType::UInt32z, Value::U32(v)) => {
            out.extend_from_slice(&v.to_le_bytes())
        }
        (BaseType::SInt32, Value::I32(v)) => out.extend_from_slice(&v.to_le_bytes()),
        _ => return None,
    }
    if out.len() - start != size {
        out.truncate(start);
        return None;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u32 = 1_100_000_000;

    fn record(timestamp: u32, heart_rate: Option<u8>) -> Record {
        Record {
            timestamp,
            heart_rate,
            distance_m: Some(f64::from(timestamp - T0) * 3.0),
            speed_mps: Some(3.0),
            cadence: Some(85),
        }
    }

    /// A small activity touching every helper: 40 records with compressed timestamps
    /// across a 5-bit rollover, a pause, a dropout and one developer field.
    fn sample_file() -> Vec<u8> {
        let mut w = FitWriter::new();
        w.file_id(&FileId {
            file_type: profile::FILE_ACTIVITY,
            manufacturer: profile::MANUFACTURER_GARMIN,
            product: 4024,
            serial_number: 3_456_789_012,
            time_created: T0,
        })
        .expect("valid file_id");
        w.device_info(&DeviceInfo {
            timestamp: T0,
            device_index: 0,
            manufacturer: profile::MANUFACTURER_GARMIN,
            product: 4024,
            serial_number: 3_456_789_012,
            software_version: 19.18,
        })
        .expect("valid device_info");
        w.sport(&Sport {
            sport: profile::SPORT_RUNNING,
            sub_sport: profile::SUB_SPORT_STREET,
            name: "Easy Run".to_string(),
        })
        .expect("valid sport");
        w.workout(&Workout {
            sport: profile::SPORT_RUNNING,
            sub_sport: profile::SUB_SPORT_STREET,
            num_valid_steps: 1,
            name: "Easy Run".to_string(),
        })
        .expect("valid workout");
        w.developer_data_id(&DeveloperDataId {
            developer_data_index: 0,
            application_id: [7; 16],
            application_version: 100,
        })
        .expect("valid developer_data_id");
        w.field_description(&FieldDescription {
            developer_data_index: 0,
            field_definition_number: 0,
            base_type: BaseType::UInt16,
            field_name: "Power".to_string(),
            units: "Watts".to_string(),
            native_mesg_num: Some(mesg::RECORD),
            native_field_num: Some(7),
        })
        .expect("valid field_description");
        w.event(&Event::timer_start(T0, profile::TIMER_TRIGGER_MANUAL))
            .expect("valid event");
        w.set_compressed_records(true);
        for t in T0..T0 + 20 {
            let hr = if (T0 + 5..T0 + 8).contains(&t) {
                None
            } else {
                Some(140)
            };
            w.record(&record(t, hr)).expect("valid record");
        }
        w.event(&Event::timer_stop_all(T0 + 20, profile::TIMER_TRIGGER_AUTO))
            .expect("valid event");
        w.event(&Event::timer_start(T0 + 80, profile::TIMER_TRIGGER_AUTO))
            .expect("valid event");
        for t in T0 + 80..T0 + 100 {
            w.record(&record(t, Some(150))).expect("valid record");
        }
        let dev = [DevFieldDef {
            number: 0,
            size: 2,
            developer_index: 0,
        }];
        w.record_with_dev(&record(T0 + 100, Some(151)), &dev, &[Value::U16(250)])
            .expect("valid record with developer field");
        w.event(&Event::timer_stop_all(
            T0 + 100,
            profile::TIMER_TRIGGER_MANUAL,
        ))
        .expect("valid event");
        w.lap(&Lap {
            timestamp: T0 + 100,
            message_index: 0,
            start_time: T0,
            total_elapsed_time_s: 100.0,
            total_timer_time_s: 40.0,
            total_distance_m: 300.0,
            avg_speed_mps: 3.0,
            avg_heart_rate: Some(145),
            max_heart_rate: Some(151),
            lap_trigger: profile::LAP_TRIGGER_SESSION_END,
            sport: profile::SPORT_RUNNING,
            sub_sport: profile::SUB_SPORT_STREET,
        })
        .expect("valid lap");
        w.session(&Session {
            timestamp: T0 + 100,
            message_index: 0,
            start_time: T0,
            sport: profile::SPORT_RUNNING,
            sub_sport: profile::SUB_SPORT_STREET,
            total_elapsed_time_s: 100.0,
            total_timer_time_s: 40.0,
            total_distance_m: 300.0,
            avg_speed_mps: 3.0,
            max_speed_mps: 3.2,
            avg_heart_rate: Some(145),
            max_heart_rate: Some(151),
            first_lap_index: 0,
            num_laps: 1,
            trigger: profile::SESSION_TRIGGER_ACTIVITY_END,
        })
        .expect("valid session");
        w.activity(&Activity {
            timestamp: T0 + 100,
            total_timer_time_s: 40.0,
            num_sessions: 1,
            activity_type: profile::ACTIVITY_MANUAL,
            local_timestamp: T0 + 100 + 7200,
        })
        .expect("valid activity");
        w.finish()
    }

    #[test]
    fn a_finished_file_checks_to_a_crc_of_zero() {
        let bytes = sample_file();
        assert_eq!(crc16(&bytes), 0);
        assert_eq!(crc16(&bytes[..14]), 0, "the header carries its own CRC");
    }

    #[test]
    fn the_header_states_version_size_and_signature() {
        let bytes = sample_file();
        assert_eq!(bytes[0], 14);
        assert_eq!(bytes[1], 0x20);
        assert_eq!(u16::from_le_bytes([bytes[2], bytes[3]]), PROFILE_VERSION);
        let data_size = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
        assert_eq!(data_size as usize, bytes.len() - 16);
        assert_eq!(&bytes[8..12], b".FIT");
    }

    #[test]
    fn an_empty_writer_still_makes_a_valid_file() {
        let bytes = FitWriter::new().finish();
        assert_eq!(bytes.len(), 16);
        assert_eq!(crc16(&bytes), 0);
    }

    #[test]
    fn a_definition_message_lists_fields_little_endian() {
        let mut w = FitWriter::new();
        w.define(
            3,
            mesg::RECORD,
            &[
                FieldDef::new(253, BaseType::UInt32),
                FieldDef::new(3, BaseType::UInt8),
            ],
        )
        .expect("valid definition");
        let bytes = w.finish();
        assert_eq!(
            &bytes[14..14 + 12],
            &[0x43, 0, 0, 20, 0, 2, 253, 4, 0x86, 3, 1, 0x02]
        );
    }

    #[test]
    fn a_developer_definition_sets_the_flag_and_lists_dev_fields() {
        let mut w = FitWriter::new();
        let dev = [DevFieldDef {
            number: 1,
            size: 2,
            developer_index: 0,
        }];
        w.define_with_dev(2, mesg::RECORD, &[FieldDef::new(3, BaseType::UInt8)], &dev)
            .expect("valid definition");
        let bytes = w.finish();
        assert_eq!(
            &bytes[14..14 + 13],
            &[0x62, 0, 0, 20, 0, 1, 3, 1, 0x02, 1, 1, 2, 0]
        );
    }

    #[test]
    fn a_compressed_header_carries_the_low_five_bits_of_the_timestamp() {
        let mut w = FitWriter::new();
        w.define(0, mesg::EVENT, &[FieldDef::new(253, BaseType::UInt32)])
            .expect("valid definition");
        w.define(1, mesg::RECORD, &[FieldDef::new(3, BaseType::UInt8)])
            .expect("valid definition");
        w.write(0, &[Value::U32(95)]).expect("valid data");
        w.write_compressed(1, 97, &[Value::U8(120)])
            .expect("2 s after a full timestamp");
        let bytes = w.finish();
        let body = &bytes[14..bytes.len() - 2];
        // 97 = 3 * 32 + 1: offset 1 after the rollover from 95 (low bits 31).
        assert_eq!(&body[body.len() - 2..], &[0x80 | (1 << 5) | 1, 120]);
    }

    #[test]
    fn compression_is_refused_without_a_base_or_past_31_seconds() {
        let mut w = FitWriter::new();
        w.define(0, mesg::EVENT, &[FieldDef::new(253, BaseType::UInt32)])
            .expect("valid definition");
        w.define(1, mesg::RECORD, &[FieldDef::new(3, BaseType::UInt8)])
            .expect("valid definition");
        assert!(matches!(
            w.write_compressed(1, 10, &[Value::U8(1)]),
            Err(FitError::TimestampOutOfReach { previous: None, .. })
        ));
        w.write(0, &[Value::U32(100)]).expect("valid data");
        assert!(w.write_compressed(1, 132, &[Value::U8(1)]).is_err());
        assert!(w.write_compressed(1, 99, &[Value::U8(1)]).is_err());
        assert!(w.write_compressed(1, 131, &[Value::U8(1)]).is_ok());
        assert!(matches!(
            w.write_compressed(4, 131, &[Value::U8(1)]),
            Err(FitError::LocalOutOfRange(4))
        ));
    }

    #[test]
    fn values_that_do_not_fit_their_field_are_refused() {
        let mut w = FitWriter::new();
        w.define(
            0,
            mesg::SPORT,
            &[FieldDef::new(0, BaseType::Enum), FieldDef::string(3, 4)],
        )
        .expect("valid definition");
        assert!(matches!(
            w.write(0, &[Value::U16(1), Value::Str("a".into())]),
            Err(FitError::TypeMismatch { field: 0, .. })
        ));
        assert!(matches!(
            w.write(0, &[Value::U8(1), Value::Str("long".into())]),
            Err(FitError::TypeMismatch { field: 3, .. })
        ));
        assert!(matches!(
            w.write(0, &[Value::U8(1)]),
            Err(FitError::FieldCount { .. })
        ));
        assert!(matches!(
            w.write(5, &[Value::U8(1)]),
            Err(FitError::Undefined(5))
        ));
        assert!(w.define(16, mesg::SPORT, &[]).is_err());
    }

    #[test]
    fn a_missing_heart_rate_is_written_as_0xff() {
        let mut w = FitWriter::new();
        w.record(&record(T0, None)).expect("valid record");
        let bytes = w.finish();
        // definition: 6 bytes + 5 fields * 3; data: header byte, then the 4-byte timestamp.
        let data = &bytes[14 + 6 + 15..];
        assert_eq!(data[0], 0);
        assert_eq!(data[5], 0xFF);
    }

    #[test]
    fn scaled_values_are_rounded_not_truncated() {
        assert_eq!(scaled_u32(2.999_999, 100.0), 300);
        assert_eq!(scaled_u16(3.2994, 1000.0), 3299);
        assert_eq!(scaled_u16(1e9, 1000.0), u16::MAX - 1);
    }

    #[test]
    fn fit_timestamps_count_from_1989_12_31() {
        assert_eq!(fit_timestamp(FIT_EPOCH_UNIX), 0);
        assert_eq!(fit_timestamp(FIT_EPOCH_UNIX + 86_400), 86_400);
        assert_eq!(fit_timestamp(0), 0);
    }

    fn field<'a>(rec: &'a fitparser::FitDataRecord, name: &str) -> Option<&'a fitparser::Value> {
        rec.fields()
            .iter()
            .find(|f| f.name() == name)
            .map(|f| f.value())
    }

    fn seconds(value: Option<&fitparser::Value>) -> i64 {
        match value {
            Some(fitparser::Value::Timestamp(t)) => t.timestamp(),
            other => panic!("expected a timestamp, got {other:?}"),
        }
    }

    #[test]
    fn a_record_layout_leaves_out_the_fields_it_does_not_name() {
        let mut w = FitWriter::new();
        w.set_record_layout(RecordLayout {
            distance: true,
            speed: false,
            cadence: false,
        });
        w.record(&record(T0, Some(130))).expect("valid record");
        let messages = fitparser::from_bytes(&w.finish()).expect("fitparser decodes it");
        let names: Vec<&str> = messages[0].fields().iter().map(|f| f.name()).collect();
        assert_eq!(names, vec!["heart_rate", "distance", "timestamp"]);
    }

    #[test]
    fn fitparser_reads_back_what_was_written() {
        use fitparser::profile::MesgNum;
        let messages = fitparser::from_bytes(&sample_file()).expect("fitparser decodes our file");
        let of = |kind: MesgNum| -> Vec<&fitparser::FitDataRecord> {
            messages.iter().filter(|m| m.kind() == kind).collect()
        };
        let unix = |fit: u32| i64::from(fit) + FIT_EPOCH_UNIX;

        let file_id = of(MesgNum::FileId);
        assert_eq!(file_id.len(), 1);
        assert_eq!(
            field(file_id[0], "type"),
            Some(&fitparser::Value::String("activity".into()))
        );
        assert_eq!(
            field(file_id[0], "manufacturer"),
            Some(&fitparser::Value::String("garmin".into()))
        );

        let records = of(MesgNum::Record);
        assert_eq!(records.len(), 41);
        let times: Vec<i64> = records
            .iter()
            .map(|r| seconds(field(r, "timestamp")))
            .collect();
        let expected: Vec<i64> = (0..20).chain(80..101).map(|t| unix(T0 + t)).collect();
        assert_eq!(
            times, expected,
            "compressed timestamps decode across rollovers"
        );
        assert_eq!(field(records[5], "heart_rate"), None, "0xFF is no reading");
        assert_eq!(
            field(records[4], "heart_rate"),
            Some(&fitparser::Value::UInt8(140))
        );
        assert_eq!(
            field(records[10], "distance"),
            Some(&fitparser::Value::Float64(30.0))
        );
        assert_eq!(
            field(records[10], "enhanced_speed"),
            Some(&fitparser::Value::Float64(3.0))
        );
        assert_eq!(
            field(records[40], "Power"),
            Some(&fitparser::Value::UInt16(250))
        );

        let events = of(MesgNum::Event);
        let kinds: Vec<_> = events
            .iter()
            .map(|e| field(e, "event_type").cloned())
            .collect();
        let s = |v: &str| Some(fitparser::Value::String(v.into()));
        assert_eq!(
            kinds,
            vec![s("start"), s("stop_all"), s("start"), s("stop_all")]
        );

        let session = of(MesgNum::Session);
        assert_eq!(session.len(), 1);
        assert_eq!(seconds(field(session[0], "start_time")), unix(T0));
        assert_eq!(
            field(session[0], "total_elapsed_time"),
            Some(&fitparser::Value::Float64(100.0))
        );
        assert_eq!(
            field(session[0], "total_timer_time"),
            Some(&fitparser::Value::Float64(40.0))
        );
        assert_eq!(field(session[0], "sport"), s("running").as_ref());

        let activity = of(MesgNum::Activity);
        assert_eq!(activity.len(), 1);
        assert_eq!(
            field(activity[0], "num_sessions"),
            Some(&fitparser::Value::UInt16(1))
        );

        let sport = of(MesgNum::Sport);
        assert_eq!(field(sport[0], "name"), s("Easy Run").as_ref());
        let workout = of(MesgNum::Workout);
        assert_eq!(field(workout[0], "wkt_name"), s("Easy Run").as_ref());
        assert_eq!(of(MesgNum::Lap).len(), 1);
    }
}
