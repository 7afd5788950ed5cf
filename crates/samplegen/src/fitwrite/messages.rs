//! The typed helpers: one struct per message we write (file_id, device_info, event, record,
//! lap, session, activity, sport, workout, developer_data_id, field_description) and the
//! [`FitWriter`] method that defines it once and writes it.

use super::*;

// Local message numbers of the typed helpers. Compressed records need 0–3.
const LOCAL_RECORD: u8 = 0;
const LOCAL_RECORD_COMPRESSED: u8 = 1;
const LOCAL_EVENT: u8 = 2;
const LOCAL_LAP: u8 = 3;
const LOCAL_SESSION: u8 = 4;
const LOCAL_ACTIVITY: u8 = 5;
const LOCAL_FILE_ID: u8 = 6;
const LOCAL_DEVICE_INFO: u8 = 7;
const LOCAL_SPORT: u8 = 8;
const LOCAL_WORKOUT: u8 = 9;
const LOCAL_DEVELOPER_DATA_ID: u8 = 10;
const LOCAL_FIELD_DESCRIPTION: u8 = 11;

impl FitWriter {
    /// file_id (mesg 0): what the file is and which device made it.
    pub fn file_id(&mut self, m: &FileId) -> Result<(), FitError> {
        self.ensure(
            LOCAL_FILE_ID,
            mesg::FILE_ID,
            &[
                FieldDef::new(0, BaseType::Enum),
                FieldDef::new(1, BaseType::UInt16),
                FieldDef::new(2, BaseType::UInt16),
                FieldDef::new(3, BaseType::UInt32z),
                FieldDef::new(4, BaseType::UInt32),
            ],
            &[],
        )?;
        self.write(
            LOCAL_FILE_ID,
            &[
                Value::U8(m.file_type),
                Value::U16(m.manufacturer),
                Value::U16(m.product),
                Value::U32(m.serial_number),
                Value::U32(m.time_created),
            ],
        )
    }

    /// device_info (mesg 23) for the recording device (device index 0, the creator).
    pub fn device_info(&mut self, m: &DeviceInfo) -> Result<(), FitError> {
        self.ensure(
            LOCAL_DEVICE_INFO,
            mesg::DEVICE_INFO,
            &[
                FieldDef::new(TIMESTAMP_FIELD, BaseType::UInt32),
                FieldDef::new(0, BaseType::UInt8),
                FieldDef::new(2, BaseType::UInt16),
                FieldDef::new(4, BaseType::UInt16),
                FieldDef::new(3, BaseType::UInt32z),
                FieldDef::new(5, BaseType::UInt16),
            ],
            &[],
        )?;
        self.write(
            LOCAL_DEVICE_INFO,
            &[
                Value::U32(m.timestamp),
                Value::U8(m.device_index),
                Value::U16(m.manufacturer),
                Value::U16(m.product),
                Value::U32(m.serial_number),
                Value::U16(scaled_u16(m.software_version, 100.0)),
            ],
        )
    }

    /// event (mesg 21), e.g. timer start / stop_all around a pause.
    pub fn event(&mut self, m: &Event) -> Result<(), FitError> {
        self.ensure(
            LOCAL_EVENT,
            mesg::EVENT,
            &[
                FieldDef::new(TIMESTAMP_FIELD, BaseType::UInt32),
                FieldDef::new(0, BaseType::Enum),
                FieldDef::new(1, BaseType::Enum),
                FieldDef::new(3, BaseType::UInt32),
                FieldDef::new(4, BaseType::UInt8),
            ],
            &[],
        )?;
        self.write(
            LOCAL_EVENT,
            &[
                Value::U32(m.timestamp),
                Value::U8(m.event),
                Value::U8(m.event_type),
                Value::U32(m.data),
                Value::U8(0),
            ],
        )
    }

    /// record (mesg 20), compressed when [`FitWriter::set_compressed_records`] is on and the
    /// previous timestamp is close enough.
    pub fn record(&mut self, m: &Record) -> Result<(), FitError> {
        if self.compress_records && Self::can_compress(self.last_timestamp, m.timestamp) {
            let layout = self.record_layout;
            self.ensure(
                LOCAL_RECORD_COMPRESSED,
                mesg::RECORD,
                &layout.fields()[1..],
                &[],
            )?;
            let values = layout.values(m);
            return self.write_compressed(LOCAL_RECORD_COMPRESSED, m.timestamp, &values[1..]);
        }
        self.record_with_dev(m, &[], &[])
    }

    /// record (mesg 20) with a full timestamp and developer fields after the standard ones.
    pub fn record_with_dev(
        &mut self,
        m: &Record,
        dev_fields: &[DevFieldDef],
        dev_values: &[Value],
    ) -> Result<(), FitError> {
        let layout = self.record_layout;
        self.ensure(LOCAL_RECORD, mesg::RECORD, &layout.fields(), dev_fields)?;
        self.write_with_dev(LOCAL_RECORD, &layout.values(m), dev_values)
    }

    /// lap (mesg 19), written when the lap ends.
    pub fn lap(&mut self, m: &Lap) -> Result<(), FitError> {
        self.ensure(
            LOCAL_LAP,
            mesg::LAP,
            &[
                FieldDef::new(TIMESTAMP_FIELD, BaseType::UInt32),
                FieldDef::new(MESSAGE_INDEX_FIELD, BaseType::UInt16),
                FieldDef::new(0, BaseType::Enum),
                FieldDef::new(1, BaseType::Enum),
                FieldDef::new(2, BaseType::UInt32),
                FieldDef::new(7, BaseType::UInt32),
                FieldDef::new(8, BaseType::UInt32),
                FieldDef::new(9, BaseType::UInt32),
                FieldDef::new(13, BaseType::UInt16),
                FieldDef::new(15, BaseType::UInt8),
                FieldDef::new(16, BaseType::UInt8),
                FieldDef::new(24, BaseType::Enum),
                FieldDef::new(25, BaseType::Enum),
                FieldDef::new(39, BaseType::Enum),
            ],
            &[],
        )?;
        self.write(
            LOCAL_LAP,
            &[
                Value::U32(m.timestamp),
                Value::U16(m.message_index),
                Value::U8(profile::EVENT_LAP),
                Value::U8(profile::EVENT_TYPE_STOP),
                Value::U32(m.start_time),
                Value::U32(scaled_u32(m.total_elapsed_time_s, 1000.0)),
                Value::U32(scaled_u32(m.total_timer_time_s, 1000.0)),
                Value::U32(scaled_u32(m.total_distance_m, 100.0)),
                Value::U16(scaled_u16(m.avg_speed_mps, 1000.0)),
                Value::u8_or_invalid(m.avg_heart_rate),
                Value::u8_or_invalid(m.max_heart_rate),
                Value::U8(m.lap_trigger),
                Value::U8(m.sport),
                Value::U8(m.sub_sport),
            ],
        )
    }

    /// session (mesg 18), one per sport of the activity.
    pub fn session(&mut self, m: &Session) -> Result<(), FitError> {
        self.ensure(
            LOCAL_SESSION,
            mesg::SESSION,
            &[
                FieldDef::new(TIMESTAMP_FIELD, BaseType::UInt32),
                FieldDef::new(MESSAGE_INDEX_FIELD, BaseType::UInt16),
                FieldDef::new(0, BaseType::Enum),
                FieldDef::new(1, BaseType::Enum),
                FieldDef::new(2, BaseType::UInt32),
                FieldDef::new(5, BaseType::Enum),
                FieldDef::new(6, BaseType::Enum),
                FieldDef::new(7, BaseType::UInt32),
                FieldDef::new(8, BaseType::UInt32),
                FieldDef::new(9, BaseType::UInt32),
                FieldDef::new(14, BaseType::UInt16),
                FieldDef::new(15, BaseType::UInt16),
                FieldDef::new(16, BaseType::UInt8),
                FieldDef::new(17, BaseType::UInt8),
                FieldDef::new(25, BaseType::UInt16),
                FieldDef::new(26, BaseType::UInt16),
                FieldDef::new(28, BaseType::Enum),
            ],
            &[],
        )?;
        self.write(
            LOCAL_SESSION,
            &[
                Value::U32(m.timestamp),
                Value::U16(m.message_index),
                Value::U8(profile::EVENT_SESSION),
                Value::U8(profile::EVENT_TYPE_STOP),
                Value::U32(m.start_time),
                Value::U8(m.sport),
                Value::U8(m.sub_sport),
                Value::U32(scaled_u32(m.total_elapsed_time_s, 1000.0)),
                Value::U32(scaled_u32(m.total_timer_time_s, 1000.0)),
                Value::U32(scaled_u32(m.total_distance_m, 100.0)),
                Value::U16(scaled_u16(m.avg_speed_mps, 1000.0)),
                Value::U16(scaled_u16(m.max_speed_mps, 1000.0)),
                Value::u8_or_invalid(m.avg_heart_rate),
                Value::u8_or_invalid(m.max_heart_rate),
                Value::U16(m.first_lap_index),
                Value::U16(m.num_laps),
                Value::U8(m.trigger),
            ],
        )
    }

    /// activity (mesg 34): the last message, with the wall-clock `local_timestamp` that tells
    /// a reader the device's UTC offset at the end of the activity.
    pub fn activity(&mut self, m: &Activity) -> Result<(), FitError> {
        self.ensure(
            LOCAL_ACTIVITY,
            mesg::ACTIVITY,
            &[
                FieldDef::new(TIMESTAMP_FIELD, BaseType::UInt32),
                FieldDef::new(0, BaseType::UInt32),
                FieldDef::new(1, BaseType::UInt16),
                FieldDef::new(2, BaseType::Enum),
                FieldDef::new(3, BaseType::Enum),
                FieldDef::new(4, BaseType::Enum),
                FieldDef::new(5, BaseType::UInt32),
            ],
            &[],
        )?;
        self.write(
            LOCAL_ACTIVITY,
            &[
                Value::U32(m.timestamp),
                Value::U32(scaled_u32(m.total_timer_time_s, 1000.0)),
                Value::U16(m.num_sessions),
                Value::U8(m.activity_type),
                Value::U8(profile::EVENT_ACTIVITY),
                Value::U8(profile::EVENT_TYPE_STOP),
                Value::U32(m.local_timestamp),
            ],
        )
    }

    /// sport (mesg 12): the sport profile the device used, with its user-visible name.
    pub fn sport(&mut self, m: &Sport) -> Result<(), FitError> {
        let name = FieldDef::string(3, string_size(&m.name));
        self.ensure(
            LOCAL_SPORT,
            mesg::SPORT,
            &[
                FieldDef::new(0, BaseType::Enum),
                FieldDef::new(1, BaseType::Enum),
                name,
            ],
            &[],
        )?;
        self.write(
            LOCAL_SPORT,
            &[
                Value::U8(m.sport),
                Value::U8(m.sub_sport),
                Value::Str(m.name.clone()),
            ],
        )
    }

    /// workout (mesg 26): the planned workout the session followed.
    pub fn workout(&mut self, m: &Workout) -> Result<(), FitError> {
        let name = FieldDef::string(8, string_size(&m.name));
        self.ensure(
            LOCAL_WORKOUT,
            mesg::WORKOUT,
            &[
                FieldDef::new(4, BaseType::Enum),
                FieldDef::new(11, BaseType::Enum),
                FieldDef::new(6, BaseType::UInt16),
                name,
            ],
            &[],
        )?;
        self.write(
            LOCAL_WORKOUT,
            &[
                Value::U8(m.sport),
                Value::U8(m.sub_sport),
                Value::U16(m.num_valid_steps),
                Value::Str(m.name.clone()),
            ],
        )
    }

    /// developer_data_id (mesg 207): announces an app that adds developer fields.
    pub fn developer_data_id(&mut self, m: &DeveloperDataId) -> Result<(), FitError> {
        self.ensure(
            LOCAL_DEVELOPER_DATA_ID,
            mesg::DEVELOPER_DATA_ID,
            &[
                FieldDef::bytes(1, 16),
                FieldDef::new(3, BaseType::UInt8),
                FieldDef::new(4, BaseType::UInt32),
            ],
            &[],
        )?;
        self.write(
            LOCAL_DEVELOPER_DATA_ID,
            &[
                Value::Bytes(m.application_id.to_vec()),
                Value::U8(m.developer_data_index),
                Value::U32(m.application_version),
            ],
        )
    }

    /// field_description (mesg 206): name, type and units of one developer field.
    pub fn field_description(&mut self, m: &FieldDescription) -> Result<(), FitError> {
        let name = FieldDef::string(3, string_size(&m.field_name));
        let units = FieldDef::string(8, string_size(&m.units));
        self.ensure(
            LOCAL_FIELD_DESCRIPTION,
            mesg::FIELD_DESCRIPTION,
            &[
                FieldDef::new(0, BaseType::UInt8),
                FieldDef::new(1, BaseType::UInt8),
                FieldDef::new(2, BaseType::UInt8),
                name,
                units,
                FieldDef::new(14, BaseType::UInt16),
                FieldDef::new(15, BaseType::UInt8),
            ],
            &[],
        )?;
        self.write(
            LOCAL_FIELD_DESCRIPTION,
            &[
                Value::U8(m.developer_data_index),
                Value::U8(m.field_definition_number),
                Value::U8(m.base_type.id()),
                Value::Str(m.field_name.clone()),
                Value::Str(m.units.clone()),
                Value::u16_or_invalid(m.native_mesg_num),
                Value::u8_or_invalid(m.native_field_num),
            ],
        )
    }
}

/// Which optional fields the typed record helper writes. Timestamp and heart rate are always
/// there; leaving out what a device does not record keeps files small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordLayout {
    pub distance: bool,
    pub speed: bool,
    pub cadence: bool,
}

impl Default for RecordLayout {
    fn default() -> Self {
        RecordLayout {
            distance: true,
            speed: true,
            cadence: true,
        }
    }
}

impl RecordLayout {
    /// The definition, timestamp first so the compressed variant is the same list without it.
    fn fields(self) -> Vec<FieldDef> {
        let mut fields = vec![
            FieldDef::new(TIMESTAMP_FIELD, BaseType::UInt32),
            FieldDef::new(3, BaseType::UInt8),
        ];
        if self.distance {
            fields.push(FieldDef::new(5, BaseType::UInt32));
        }
        if self.speed {
            fields.push(FieldDef::new(6, BaseType::UInt16));
        }
        if self.cadence {
            fields.push(FieldDef::new(4, BaseType::UInt8));
        }
        fields
    }

    fn values(self, r: &Record) -> Vec<Value> {
        let mut values = vec![Value::U32(r.timestamp), Value::u8_or_invalid(r.heart_rate)];
        if self.distance {
            values.push(Value::u32_or_invalid(
                r.distance_m.map(|d| scaled_u32(d, 100.0)),
            ));
        }
        if self.speed {
            values.push(Value::u16_or_invalid(
                r.speed_mps.map(|s| scaled_u16(s, 1000.0)),
            ));
        }
        if self.cadence {
            values.push(Value::u8_or_invalid(r.cadence));
        }
        values
    }
}

/// file_id: `file_type` 4 is an activity; timestamps are FIT seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct FileId {
    pub file_type: u8,
    pub manufacturer: u16,
    pub product: u16,
    pub serial_number: u32,
    pub time_created: u32,
}

impl FileId {
    /// An activity file from a Garmin device (product 1, serial 1), as the tests write them.
    pub fn activity(time_created: u32) -> Self {
        FileId {
            file_type: profile::FILE_ACTIVITY,
            manufacturer: profile::MANUFACTURER_GARMIN,
            product: 1,
            serial_number: 1,
            time_created,
        }
    }
}

/// device_info of one device; `software_version` in its displayed form (e.g. 19.18).
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceInfo {
    pub timestamp: u32,
    pub device_index: u8,
    pub manufacturer: u16,
    pub product: u16,
    pub serial_number: u32,
    pub software_version: f64,
}

/// An event; for the timer: `event` 0, `event_type` 0 start or 4 stop_all, `data` the trigger.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub timestamp: u32,
    pub event: u8,
    pub event_type: u8,
    pub data: u32,
}

impl Event {
    /// The timer starts (or resumes after a pause).
    pub fn timer_start(timestamp: u32, data: u32) -> Self {
        Event {
            timestamp,
            event: profile::EVENT_TIMER,
            event_type: profile::EVENT_TYPE_START,
            data,
        }
    }

    /// The timer stops: a pause, or the end of the activity.
    pub fn timer_stop_all(timestamp: u32, data: u32) -> Self {
        Event {
            timestamp,
            event: profile::EVENT_TIMER,
            event_type: profile::EVENT_TYPE_STOP_ALL,
            data,
        }
    }
}

/// One sample; `None` writes the field's invalid value (for heart rate: 0xFF, no reading).
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub timestamp: u32,
    pub heart_rate: Option<u8>,
    pub distance_m: Option<f64>,
    pub speed_mps: Option<f64>,
    pub cadence: Option<u8>,
}

/// A lap: `timestamp` is its end, times in seconds, distance in metres.
#[derive(Clone, Debug, PartialEq)]
pub struct Lap {
    pub timestamp: u32,
    pub message_index: u16,
    pub start_time: u32,
    pub total_elapsed_time_s: f64,
    pub total_timer_time_s: f64,
    pub total_distance_m: f64,
    pub avg_speed_mps: f64,
    pub avg_heart_rate: Option<u8>,
    pub max_heart_rate: Option<u8>,
    pub lap_trigger: u8,
    pub sport: u8,
    pub sub_sport: u8,
}

/// A session: `timestamp` is its end; its laps are `first_lap_index ..+ num_laps`.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub timestamp: u32,
    pub message_index: u16,
    pub start_time: u32,
    pub sport: u8,
    pub sub_sport: u8,
    pub total_elapsed_time_s: f64,
    pub total_timer_time_s: f64,
    pub total_distance_m: f64,
    pub avg_speed_mps: f64,
    pub max_speed_mps: f64,
    pub avg_heart_rate: Option<u8>,
    pub max_heart_rate: Option<u8>,
    pub first_lap_index: u16,
    pub num_laps: u16,
    pub trigger: u8,
}

impl Record {
    /// A record with heart rate only (or none), as the tests write them.
    pub fn hr(timestamp: u32, heart_rate: Option<u8>) -> Self {
        Record {
            timestamp,
            heart_rate,
            distance_m: None,
            speed_mps: None,
            cadence: None,
        }
    }
}

impl Session {
    /// Session `index` of `sport` (generic sub-sport) from `start_time`, ended by the
    /// activity's end, with no distance, speed, heart-rate summary or laps: what the
    /// reader must work out from the records.
    pub fn plain(
        index: u16,
        start_time: u32,
        sport: u8,
        total_elapsed_time_s: f64,
        total_timer_time_s: f64,
    ) -> Self {
        Session {
            timestamp: start_time + total_elapsed_time_s as u32,
            message_index: index,
            start_time,
            sport,
            sub_sport: profile::SUB_SPORT_GENERIC,
            total_elapsed_time_s,
            total_timer_time_s,
            total_distance_m: 0.0,
            avg_speed_mps: 0.0,
            max_speed_mps: 0.0,
            avg_heart_rate: None,
            max_heart_rate: None,
            first_lap_index: 0,
            num_laps: 0,
            trigger: profile::SESSION_TRIGGER_ACTIVITY_END,
        }
    }
}

/// The activity summary; `local_timestamp` is wall-clock seconds since the FIT epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub timestamp: u32,
    pub total_timer_time_s: f64,
    pub num_sessions: u16,
    pub activity_type: u8,
    pub local_timestamp: u32,
}

/// A sport profile and its name as the device shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Sport {
    pub sport: u8,
    pub sub_sport: u8,
    pub name: String,
}

/// A planned workout and its name.
#[derive(Clone, Debug, PartialEq)]
pub struct Workout {
    pub sport: u8,
    pub sub_sport: u8,
    pub num_valid_steps: u16,
    pub name: String,
}

/// An app that contributes developer fields, known in the file by `developer_data_index`.
#[derive(Clone, Debug, PartialEq)]
pub struct DeveloperDataId {
    pub developer_data_index: u8,
    pub application_id: [u8; 16],
    pub application_version: u32,
}

/// The description a reader needs to decode one developer field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDescription {
    pub developer_data_index: u8,
    pub field_definition_number: u8,
    pub base_type: BaseType,
    pub field_name: String,
    pub units: String,
    pub native_mesg_num: Option<u16>,
    pub native_field_num: Option<u8>,
}
