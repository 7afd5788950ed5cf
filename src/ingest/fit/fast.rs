//! The selective FIT decoder: walks every message of every stream of a chain, decodes only
//! the fields of [`fields::SPECS`], and yields the same [`Msg`] values, in the same order, as
//! [`super::reference::decode`] — without fitparser's per-message allocations.
//!
//! It follows fitparser 0.11's reading exactly where that decides a value: its position
//! bookkeeping across chained streams, definitions reset at each stream's CRC, its rule that
//! a field whose size is not a multiple of its base type is a byte array, and its base
//! timestamp for compressed headers, which *any* message's field 253 resets.
//!
//! Two things cannot be had by reading a few fields, so they go through fitparser's own
//! profile code, one message at a time (slower, still exact; see `via_fitparser`):
//! `field_description` messages (they define developer fields), and messages whose
//! definition holds a hazard — a floating-point or text value where fitparser's profile
//! conversion would fail and stop the file (an enum, a scaled number, a field with
//! subfields), or a developer field that could fail or be taken for one of ours. In the
//! 228-file corpus only `field_description` messages take it.
//!
//! Most messages take a shortcut ([`Quick`]): a definition without developer fields whose
//! timestamp and heart rate are plain little-endian integers is read with two loads.
//!
//! It stops at the first structural problem (a message running past the data size its header
//! declares, an undefined local message, a developer field without description, the end of
//! the bytes inside a message) and reports it as `reference::decode` reports its errors; the
//! caller then lets fitparser read the file, so damaged files keep fitparser's reading.

mod via_fitparser;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use fitparser::profile::MesgNum;
use fitparser::Value;

use super::fields::{self, mesg, Base, Field, Raw, SPECS, TIMESTAMP};
use super::reference::Decoded;
use super::{semicircles, Msg, RawHr, RawSession};
use via_fitparser::options;

/// Decodes `bytes`, calling `sink` for each message we use. Stops at the first problem and
/// reports it; the messages before it have been delivered.
pub fn decode(bytes: &[u8], mut sink: impl FnMut(Msg)) -> Decoded {
    let mut walker = Walker::new(bytes);
    let error = walker
        .walk(&mut sink)
        .err()
        .map(|(at, why)| format!("decoder stopped at byte {at}: {why}"));
    Decoded {
        counts: walker.counts(),
        error,
    }
}

/// One field of a definition, placed in the data message.
#[derive(Debug, Clone, Copy)]
struct FieldDef {
    number: u8,
    /// Offset from the first byte after the record header.
    at: usize,
    size: usize,
    base: Base,
}

impl FieldDef {
    fn read<'a>(&self, body: &'a [u8], big: bool) -> Option<Raw<'a>> {
        fields::read_field(body.get(self.at..self.at + self.size)?, self.base, big)
    }
}

/// How to get one field's raw value out of a data message, decided once per definition:
/// the common single unsigned integers are read directly, anything else as fitparser would.
#[derive(Debug, Clone)]
enum Getter {
    /// Not in the definition.
    Absent,
    /// One byte, present unless it is `invalid`.
    U8 {
        at: usize,
        invalid: u8,
    },
    U16 {
        at: usize,
        invalid: u16,
    },
    U32 {
        at: usize,
        invalid: u32,
    },
    /// Any other single field.
    Field(FieldDef),
    /// The field more than once: the last valid one wins, as in fitparser's map.
    Repeated(Vec<FieldDef>),
}

impl Getter {
    fn new(defs: Vec<FieldDef>, big: bool) -> Getter {
        let [def] = defs[..] else {
            return if defs.is_empty() {
                Getter::Absent
            } else {
                Getter::Repeated(defs)
            };
        };
        let at = def.at;
        // Big-endian values keep the general reading; devices write little-endian.
        match (def.base, def.size, big) {
            (Base::Enum | Base::Uint8 | Base::Byte | Base::Unknown, 1, _) => {
                Getter::U8 { at, invalid: 0xFF }
            }
            (Base::Uint8z, 1, _) => Getter::U8 { at, invalid: 0 },
            (Base::Uint16, 2, false) => Getter::U16 {
                at,
                invalid: u16::MAX,
            },
            (Base::Uint16z, 2, false) => Getter::U16 { at, invalid: 0 },
            (Base::Uint32, 4, false) => Getter::U32 {
                at,
                invalid: u32::MAX,
            },
            (Base::Uint32z, 4, false) => Getter::U32 { at, invalid: 0 },
            _ => Getter::Field(def),
        }
    }

    #[inline]
    fn get<'a>(&self, body: &'a [u8], big: bool) -> Option<Raw<'a>> {
        let unsigned = |v: u64| Some(Raw::Unsigned(v));
        match *self {
            Getter::Absent => None,
            Getter::U8 { at, invalid } => {
                let v = *body.get(at)?;
                if v == invalid {
                    None
                } else {
                    unsigned(v as u64)
                }
            }
            Getter::U16 { at, invalid } => {
                let v = u16::from_le_bytes(body.get(at..at + 2)?.try_into().ok()?);
                if v == invalid {
                    None
                } else {
                    unsigned(v as u64)
                }
            }
            Getter::U32 { at, invalid } => {
                let v = u32::from_le_bytes(body.get(at..at + 4)?.try_into().ok()?);
                if v == invalid {
                    None
                } else {
                    unsigned(v as u64)
                }
            }
            Getter::Field(def) => def.read(body, big),
            Getter::Repeated(ref defs) => defs.iter().rev().find_map(|d| d.read(body, big)),
        }
    }

    /// Every element of the field ([`fields::read_elements`]); empty when it is absent.
    fn elements(&self, body: &[u8], big: bool) -> Vec<Option<u64>> {
        let read = |d: &FieldDef| {
            body.get(d.at..d.at + d.size)
                .and_then(|b| fields::read_elements(b, d.base, big))
        };
        match self {
            Getter::Absent => None,
            Getter::U8 { .. } | Getter::U16 { .. } | Getter::U32 { .. } => {
                self.get(body, big).map(|r| vec![r.to_uint()])
            }
            Getter::Field(def) => read(def),
            Getter::Repeated(defs) => defs.iter().rev().find_map(read),
        }
        .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy)]
struct DevDef {
    number: u8,
    size: u8,
    index: u8,
}

/// What a developer field description says (fitparser's `DeveloperFieldDescription`).
#[derive(Debug, Clone)]
struct DevDescription {
    base: Base,
    name: String,
    scale: f64,
    offset: f64,
    units: String,
}

/// How the developer fields of a definition read under the current descriptions.
#[derive(Debug, Clone, Copy)]
struct DevLayout {
    /// The descriptions' generation it was computed for.
    generation: u64,
    /// Bytes fitparser consumes for them (it reads whole elements, past the declared size).
    size: usize,
    problem: Option<DevProblem>,
    hazard: bool,
}

#[derive(Debug, Clone, Copy)]
enum DevProblem {
    Undescribed { index: u8, number: u8 },
    Unreadable { number: u8 },
}

/// A definition message turned into a reading plan.
#[derive(Debug)]
struct Plan {
    global: u16,
    big: bool,
    fields: Vec<FieldDef>,
    fields_size: usize,
    dev: Vec<DevDef>,
    /// Our fields of this message, one getter per spec of [`fields::specs_of`].
    getters: Vec<Getter>,
    /// The [`Field`] of the first of them (they are consecutive).
    first_field: usize,
    /// Field 253, whatever the message: fitparser rebases compressed timestamps on it.
    timestamp: Getter,
    /// Decode its messages with fitparser's profile code (see the module comment).
    hazard: bool,
    dev_layout: Option<DevLayout>,
}

/// The shortcut for the bulk of a file: messages whose only use is their size and timestamp,
/// and records with a plain timestamp and heart rate. Taken when a definition has no
/// developer fields, no hazard, and these fields (if present) as single little-endian
/// unsigned integers; its results are those of the general path.
#[derive(Debug, Clone, Copy)]
struct Quick {
    global: u16,
    /// The whole message, header byte included.
    size: usize,
    /// Field 253 as `uint32` or `uint32z`: offset in the body and invalid value.
    timestamp: Option<(usize, u32)>,
    /// For records: heart rate as one byte (offset, invalid value), if defined.
    record: Option<Option<(usize, u8)>>,
}

impl Quick {
    fn of(plan: &Plan) -> Option<Quick> {
        if plan.hazard || !plan.dev.is_empty() {
            return None;
        }
        let timestamp = match plan.timestamp {
            Getter::Absent => None,
            Getter::U32 { at, invalid } => Some((at, invalid)),
            _ => return None,
        };
        let record = match (plan.global, &plan.getters[..]) {
            (_, []) => None,
            (mesg::RECORD, [_, hr]) => Some(match *hr {
                Getter::Absent => None,
                Getter::U8 { at, invalid } => Some((at, invalid)),
                _ => return None,
            }),
            _ => return None,
        };
        Some(Quick {
            global: plan.global,
            size: 1 + plan.fields_size,
            timestamp,
            record,
        })
    }
}

/// Why the walk stopped: byte offset of the object and the reason.
type Stop = (usize, String);

struct Walker<'a> {
    bytes: &'a [u8],
    plans: [Option<Plan>; 16],
    quick: [Option<Quick>; 16],
    /// fitparser's base timestamp for compressed headers (i64 as it keeps it).
    base_ts: i64,
    descriptions: HashMap<(u8, u8), DevDescription>,
    generation: u64,
    /// fitparser's accumulated fields, for the messages decoded by its profile code.
    accumulators: HashMap<u32, Value>,
    counts_low: [usize; 256],
    counts_high: Vec<(u16, usize)>,
}

impl<'a> Walker<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Walker {
            bytes,
            plans: Default::default(),
            quick: [None; 16],
            base_ts: 0,
            descriptions: HashMap::new(),
            generation: 0,
            accumulators: HashMap::new(),
            counts_low: [0; 256],
            counts_high: Vec::new(),
        }
    }

    /// fitparser's `reset` after each stream's CRC.
    fn reset(&mut self) {
        self.plans = Default::default();
        self.quick = [None; 16];
        self.base_ts = 0;
        self.descriptions.clear();
        self.generation += 1;
        self.accumulators.clear();
    }

    /// fitparser's deserializer loop: `pos` is its idea of the position (headers of other
    /// sizes than 12 and 14 bytes make it differ from the bytes consumed), `end` the end of
    /// the current stream's data.
    fn walk(&mut self, sink: &mut impl FnMut(Msg)) -> Result<(), Stop> {
        let bytes = self.bytes;
        let (mut off, mut pos, mut end) = (0usize, 0usize, 0usize);
        while off < bytes.len() {
            if pos > 0 && pos == end {
                if bytes.len() - off < 2 {
                    return Err((off, "the file ends inside the CRC".into()));
                }
                off += 2;
                pos += 2;
                self.reset();
            } else if pos == 0 || pos > end {
                let (consumed, header_size, data_size) =
                    header(&bytes[off..]).map_err(|e| (off, e))?;
                end = pos + header_size + data_size;
                off += consumed;
                pos += header_size;
            } else {
                let n = match self.quick(off, end - pos, sink) {
                    Some(n) => n,
                    None => self.message(off, end - pos, sink).map_err(|e| (off, e))?,
                };
                off += n;
                pos += n;
            }
        }
        Ok(())
    }

    /// Reads a data message at `off` through its [`Quick`] plan, if it has one and fits;
    /// returns its size.
    #[inline]
    fn quick(&mut self, off: usize, room: usize, sink: &mut impl FnMut(Msg)) -> Option<usize> {
        let h = self.bytes[off];
        let local = match h {
            _ if h & 0x80 != 0 => (h >> 5) & 0x3,
            _ if h & 0x40 != 0 => return None,
            _ => h & 0xF,
        };
        let q = self.quick[local as usize]?;
        let body = self
            .bytes
            .get(off + 1..off + q.size)
            .filter(|_| q.size <= room)?;
        let timestamp = q.timestamp.and_then(|(at, invalid)| {
            let v = u32::from_le_bytes(body.get(at..at + 4)?.try_into().ok()?);
            (v != invalid).then_some(v)
        });
        if let Some(v) = timestamp {
            self.base_ts = i64::from(v);
        }
        let compressed = (h & 0x80 != 0).then(|| update_timestamp(&mut self.base_ts, h & 0x1F));
        self.count(q.global);
        if let Some(hr) = q.record {
            sink(Msg::Record {
                timestamp: timestamp.or_else(|| compressed.and_then(|v| u32::try_from(v).ok())),
                hr: hr.and_then(|(at, invalid)| body.get(at).copied().filter(|&v| v != invalid)),
            });
        }
        Some(q.size)
    }

    /// Reads one message at `off` with `room` bytes left in the stream's data; returns its
    /// size.
    fn message(
        &mut self,
        off: usize,
        room: usize,
        sink: &mut impl FnMut(Msg),
    ) -> Result<usize, String> {
        let h = self.bytes[off];
        if h & 0x80 != 0 {
            self.data(off, room, (h >> 5) & 0x3, Some(h & 0x1F), sink)
        } else if h & 0x40 != 0 {
            self.definition(off, room, h & 0xF, h & 0x20 != 0)
        } else {
            self.data(off, room, h & 0xF, None, sink)
        }
    }

    fn definition(
        &mut self,
        off: usize,
        room: usize,
        local: u8,
        has_dev: bool,
    ) -> Result<usize, String> {
        let b = &self.bytes[off..];
        let cut = || "the file ends inside a definition message".to_string();
        let n = *b.get(5).ok_or_else(cut)? as usize;
        let mut size = 6 + 3 * n;
        let m = if has_dev {
            size += 1;
            let m = *b.get(size - 1).ok_or_else(cut)? as usize;
            size += 3 * m;
            m
        } else {
            0
        };
        if b.len() < size {
            return Err(cut());
        }
        if size > room {
            return Err(overrun(size, room));
        }
        let big = b[2] == 1;
        let global = if big {
            u16::from_be_bytes([b[3], b[4]])
        } else {
            u16::from_le_bytes([b[3], b[4]])
        };
        let specs = fields::specs_of(global);
        let mut plan = Plan {
            global,
            big,
            fields: Vec::with_capacity(n),
            fields_size: 0,
            dev: Vec::with_capacity(m),
            getters: Vec::new(),
            first_field: specs.first().map_or(0, |s| s.field as usize),
            timestamp: Getter::Absent,
            hazard: global == mesg::FIELD_DESCRIPTION,
            dev_layout: None,
        };
        for f in b[6..6 + 3 * n].chunks_exact(3) {
            let (number, size) = (f[0], f[1] as usize);
            let mut base = Base::from_byte(f[2]);
            if size % base.size() != 0 {
                base = Base::Byte;
            }
            let def = FieldDef {
                number,
                at: plan.fields_size,
                size,
                base,
            };
            plan.fields_size += size;
            plan.fields.push(def);
            plan.hazard |= is_hazard(global, def);
        }
        let defs_of = |number: u8| -> Vec<FieldDef> {
            plan.fields
                .iter()
                .filter(|f| f.number == number)
                .copied()
                .collect()
        };
        plan.timestamp = Getter::new(defs_of(TIMESTAMP), big);
        plan.getters = specs
            .iter()
            .map(|s| Getter::new(defs_of(s.number), big))
            .collect();
        if has_dev {
            for f in b[7 + 3 * n..size].chunks_exact(3) {
                plan.dev.push(DevDef {
                    number: f[0],
                    size: f[1],
                    index: f[2],
                });
            }
        }
        self.quick[local as usize] = Quick::of(&plan);
        self.plans[local as usize] = Some(plan);
        Ok(size)
    }

    /// The developer fields' layout of the plan for `local`, recomputed when descriptions
    /// changed.
    #[inline]
    fn dev_layout(&mut self, local: usize) -> Option<DevLayout> {
        let generation = self.generation;
        let plan = self.plans[local].as_mut()?;
        if plan.dev.is_empty() {
            return None;
        }
        if let Some(l) = plan.dev_layout.filter(|l| l.generation == generation) {
            return Some(l);
        }
        self.new_dev_layout(local)
    }

    fn new_dev_layout(&mut self, local: usize) -> Option<DevLayout> {
        let generation = self.generation;
        let plan = self.plans[local].as_mut()?;
        let mut layout = DevLayout {
            generation,
            size: 0,
            problem: None,
            hazard: false,
        };
        let specs = fields::specs_of(plan.global);
        for d in &plan.dev {
            let Some(desc) = self.descriptions.get(&(d.index, d.number)) else {
                layout.problem = Some(DevProblem::Undescribed {
                    index: d.index,
                    number: d.number,
                });
                break;
            };
            let size = d.size as usize;
            let consumed = if desc.base == Base::String {
                size
            } else {
                size.div_ceil(desc.base.size()) * desc.base.size()
            };
            if consumed > 255 {
                // fitparser's byte counter would overflow: let it decide.
                layout.problem = Some(DevProblem::Unreadable { number: d.number });
                break;
            }
            layout.size += consumed;
            let scaled = desc.scale != 1.0 || desc.offset != 0.0;
            layout.hazard |= desc.base == Base::String && scaled;
            layout.hazard |= specs
                .iter()
                .any(|s| s.number == d.number && s.name == desc.name);
        }
        plan.dev_layout = Some(layout);
        Some(layout)
    }

    fn data(
        &mut self,
        off: usize,
        room: usize,
        local: u8,
        time_offset: Option<u8>,
        sink: &mut impl FnMut(Msg),
    ) -> Result<usize, String> {
        let dev = self.dev_layout(local as usize);
        let Some(plan) = self.plans[local as usize].as_ref() else {
            return Err(format!("no definition for local message number {local}"));
        };
        if let Some(problem) = dev.and_then(|d| d.problem) {
            return Err(match problem {
                DevProblem::Undescribed { index, number } => format!(
                    "developer field {number} of developer {index} has no field description"
                ),
                DevProblem::Unreadable { number } => {
                    format!("developer field {number} cannot be read whole as its base type")
                }
            });
        }
        let size = 1 + plan.fields_size + dev.map_or(0, |d| d.size);
        if self.bytes.len() - off < size {
            return Err("the file ends inside a data message".into());
        }
        if size > room {
            return Err(overrun(size, room));
        }
        let bytes = self.bytes;
        let body = &bytes[off + 1..off + size];
        let global = plan.global;
        if plan.hazard || dev.is_some_and(|d| d.hazard) {
            let msg = self.decode_via_fitparser(local as usize, body, time_offset)?;
            self.count(global);
            if let Some(msg) = msg {
                sink(msg);
            }
            return Ok(size);
        }
        // Nothing below can fail.
        self.count(global);
        let plan = self.plans[local as usize]
            .as_ref()
            .expect("the plan was found above");
        let raw_ts = plan.timestamp.get(body, plan.big);
        if let Some(r) = raw_ts {
            self.base_ts = r.to_i64().unwrap_or(0);
        }
        let compressed = time_offset.map(|o| update_timestamp(&mut self.base_ts, o));
        if plan.getters.is_empty() {
            return Ok(size);
        }
        let m = Reading {
            plan,
            body,
            raw_ts,
            compressed,
        };
        let msg = match global {
            mesg::FILE_ID => Msg::FileId {
                file_type: m.small(Field::FileType),
                manufacturer: m
                    .num(Field::Manufacturer)
                    .and_then(|v| u16::try_from(v).ok()),
                product: m
                    .raw(Field::Product)
                    .and_then(|p| fields::product_number(p, m.raw(Field::Manufacturer)))
                    .and_then(|v| u16::try_from(v).ok()),
                serial: m.u32(Field::SerialNumber),
                time_created: m.u32(Field::TimeCreated),
            },
            mesg::ACTIVITY => Msg::Activity {
                timestamp: m.timestamp(Field::ActivityTimestamp),
                local_timestamp: m.u32(Field::LocalTimestamp),
            },
            mesg::SESSION => Msg::Session(RawSession {
                timestamp: m.timestamp(Field::SessionTimestamp),
                start_time: m.u32(Field::StartTime),
                total_elapsed_time: m.real(Field::TotalElapsedTime),
                total_timer_time: m.real(Field::TotalTimerTime),
                total_distance: m.real(Field::TotalDistance),
                sport: m.small(Field::Sport),
                sub_sport: m.small(Field::SubSport),
                workout_feel: m.small(Field::WorkoutFeel),
                workout_rpe: m.small(Field::WorkoutRpe),
                start_position: semicircles(
                    m.real(Field::StartPositionLat),
                    m.real(Field::StartPositionLong),
                ),
            }),
            mesg::SPORT => Msg::Sport {
                name: m.raw(Field::SportName).and_then(fields::text),
            },
            mesg::WORKOUT => Msg::Workout {
                name: m.raw(Field::WorkoutName).and_then(fields::text),
            },
            mesg::EVENT => Msg::Event {
                timestamp: m.timestamp(Field::EventTimestamp),
                event: m.small(Field::Event),
                event_type: m.small(Field::EventType),
            },
            mesg::RECORD => Msg::Record {
                timestamp: m.timestamp(Field::RecordTimestamp),
                hr: m.small(Field::HeartRate),
            },
            mesg::TIMESTAMP_CORRELATION => Msg::TimestampCorrelation {
                timestamp: m.timestamp(Field::CorrelationTimestamp),
                system_timestamp: m.u32(Field::SystemTimestamp),
                local_timestamp: m.u32(Field::CorrelationLocalTimestamp),
            },
            mesg::HR => Msg::Hr(RawHr {
                timestamp: m.timestamp(Field::HrTimestamp),
                fractional_timestamp: m.num(Field::FractionalTimestamp),
                time256: m.num(Field::Time256),
                filtered_bpm: m.elements(Field::FilteredBpm),
                event_timestamp: m.elements(Field::EventTimestamps),
                event_timestamp_12: m.elements(Field::EventTimestamp12),
            }),
            _ => return Ok(size),
        };
        sink(msg);
        Ok(size)
    }

    #[inline]
    fn count(&mut self, global: u16) {
        match usize::from(global) {
            g if g < 256 => self.counts_low[g] += 1,
            _ => match self.counts_high.iter_mut().find(|(g, _)| *g == global) {
                Some((_, n)) => *n += 1,
                None => self.counts_high.push((global, 1)),
            },
        }
    }

    fn counts(&self) -> BTreeMap<String, usize> {
        let low = (0u16..256).map(|g| (g, self.counts_low[g as usize]));
        let mut out = BTreeMap::new();
        for (g, n) in low.chain(self.counts_high.iter().copied()) {
            if n > 0 {
                *out.entry(MesgNum::from(g).to_string()).or_default() += n;
            }
        }
        out
    }
}

/// fitparser's `update_timestamp`: the low 5 bits of the offset replace the base's, rolling
/// over by 32 s when they are smaller. Wrapping where fitparser (in release) wraps.
fn update_timestamp(base: &mut i64, offset: u8) -> i64 {
    let offset = offset as i64;
    let mask = 31i64;
    let mut value = offset.wrapping_add(*base & !mask);
    if offset < (*base & mask) {
        value = value.wrapping_add(32);
    }
    *base = value;
    value
}

/// One data message being read through its plan.
struct Reading<'p, 'b> {
    plan: &'p Plan,
    body: &'b [u8],
    /// Its own field 253, if valid.
    raw_ts: Option<Raw<'b>>,
    /// The compressed header's timestamp, if it has one.
    compressed: Option<i64>,
}

impl<'b> Reading<'_, 'b> {
    #[inline]
    fn raw(&self, field: Field) -> Option<Raw<'b>> {
        let first = self.plan.first_field;
        self.plan.getters[field as usize - first].get(self.body, self.plan.big)
    }

    #[inline]
    fn num(&self, field: Field) -> Option<u64> {
        self.raw(field)
            .and_then(|r| fields::number(SPECS[field as usize].conv, r))
    }

    #[inline]
    fn small(&self, field: Field) -> Option<u8> {
        self.num(field).and_then(|v| u8::try_from(v).ok())
    }

    #[inline]
    fn u32(&self, field: Field) -> Option<u32> {
        self.num(field).and_then(|v| u32::try_from(v).ok())
    }

    fn elements(&self, field: Field) -> Vec<Option<u64>> {
        let first = self.plan.first_field;
        self.plan.getters[field as usize - first].elements(self.body, self.plan.big)
    }

    fn real(&self, field: Field) -> Option<f64> {
        self.raw(field)
            .and_then(|r| fields::real(SPECS[field as usize].conv, r))
    }

    /// The message's timestamp: its own field 253, else (only when it has none) the
    /// compressed header's.
    #[inline]
    fn timestamp(&self, field: Field) -> Option<u32> {
        match self.raw_ts {
            Some(r) => {
                fields::number(SPECS[field as usize].conv, r).and_then(|v| u32::try_from(v).ok())
            }
            None => self.compressed.and_then(|v| u32::try_from(v).ok()),
        }
    }
}

/// Parses a file header at the start of `b` as fitparser does: returns the bytes it consumes
/// (12, or 14 when the declared size is over 12), the declared header size and data size.
fn header(b: &[u8]) -> Result<(usize, usize, usize), String> {
    let header_size = *b.first().ok_or("no header")? as usize;
    let consumed = if header_size > 12 { 14 } else { 12 };
    if b.len() < consumed {
        return Err("the file ends inside a FIT header".into());
    }
    if &b[8..12] != b".FIT" {
        return Err("no .FIT signature where a FIT header should start".into());
    }
    let data_size = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
    Ok((consumed, header_size, data_size))
}

fn overrun(size: usize, room: usize) -> String {
    format!(
        "a message of {size} bytes runs {} bytes past the data size the header declares",
        size - room
    )
}

/// Can this field make fitparser's profile conversion fail? Only a floating-point or text
/// value can: an enum cannot take either, a scaled field no text. Whether it does for this
/// field is asked of fitparser's profile itself, once per thread and field; a field with
/// subfields may convert differently with another field's value, so it always counts.
fn is_hazard(global: u16, f: FieldDef) -> bool {
    let risky = match f.base {
        Base::Float32 | Base::Float64 => f.size == f.base.size(),
        Base::String => f.size > 0,
        _ => false,
    };
    risky
        && (fields::has_subfields(global, f.number) || !fitparser_accepts(global, f.number, f.base))
}

/// Does fitparser's profile convert a value of type `base` in field `number` of message
/// `global` without failing?
fn fitparser_accepts(global: u16, number: u8, base: Base) -> bool {
    thread_local! {
        static ACCEPTS: RefCell<HashMap<(u16, u8, Base), bool>> = RefCell::new(HashMap::new());
    }
    ACCEPTS.with(|cache| {
        *cache
            .borrow_mut()
            .entry((global, number, base))
            .or_insert_with(|| {
                let probe = match base {
                    Base::String => Value::String("x".into()),
                    Base::Float32 => Value::Float32(1.0),
                    _ => Value::Float64(1.0),
                };
                let mut values = HashMap::from([(number, probe)]);
                MesgNum::from(global)
                    .decode_message(&mut values, &mut HashMap::new(), options())
                    .is_ok()
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::fit::check::crc16;
    use crate::ingest::fit::reference;

    /// One FIT stream around `body`: a header of `header_size` bytes (12 or 14, with a
    /// header CRC when `header_crc`) and the trailing CRC.
    fn stream(header_size: u8, header_crc: bool, body: &[u8]) -> Vec<u8> {
        let mut b = vec![header_size, 0x20, 0x54, 0x08];
        b.extend_from_slice(&(body.len() as u32).to_le_bytes());
        b.extend_from_slice(b".FIT");
        if header_size == 14 {
            let c = if header_crc { crc16(&b) } else { 0 };
            b.extend_from_slice(&c.to_le_bytes());
        }
        b.extend_from_slice(body);
        let c = crc16(&b[if header_crc { 14 } else { 0 }..]);
        b.extend_from_slice(&c.to_le_bytes());
        b
    }

    /// A definition message: `(number, size, base type byte)` fields, developer fields
    /// `(number, size, developer index)`.
    fn def(
        local: u8,
        big: bool,
        global: u16,
        fields: &[(u8, u8, u8)],
        dev: &[(u8, u8, u8)],
    ) -> Vec<u8> {
        let g = if big {
            global.to_be_bytes()
        } else {
            global.to_le_bytes()
        };
        let mut b = vec![
            0x40 | local | if dev.is_empty() { 0 } else { 0x20 },
            0,
            big as u8,
            g[0],
            g[1],
        ];
        b.push(fields.len() as u8);
        fields
            .iter()
            .for_each(|f| b.extend_from_slice(&[f.0, f.1, f.2]));
        if !dev.is_empty() {
            b.push(dev.len() as u8);
            dev.iter()
                .for_each(|f| b.extend_from_slice(&[f.0, f.1, f.2]));
        }
        b
    }

    fn data(header: u8, values: &[&[u8]]) -> Vec<u8> {
        let mut b = vec![header];
        values.iter().for_each(|v| b.extend_from_slice(v));
        b
    }

    const U8: u8 = 0x02;
    const ENUM: u8 = 0x00;
    const U16: u8 = 0x84;
    const U32: u8 = 0x86;
    const STRING: u8 = 0x07;
    const FLOAT32: u8 = 0x88;

    fn decode_both(bytes: &[u8]) -> (Vec<Msg>, Decoded, Vec<Msg>, Decoded) {
        let (mut f, mut r) = (Vec::new(), Vec::new());
        let fd = decode(bytes, |m| f.push(m));
        let rd = reference::decode(bytes, |m| r.push(m));
        (f, fd, r, rd)
    }

    /// Both decoders read `bytes` without error and give the same messages; returns them.
    fn same_as_fitparser(bytes: &[u8]) -> Vec<Msg> {
        let (f, fd, r, rd) = decode_both(bytes);
        assert_eq!(rd.error, None, "fitparser failed");
        assert_eq!(fd.error, None, "fast failed");
        assert_eq!(f, r);
        assert_eq!(fd.counts, rd.counts);
        f
    }

    fn record_def(local: u8) -> Vec<u8> {
        def(
            local,
            false,
            mesg::RECORD,
            &[(253, 4, U32), (3, 1, U8)],
            &[],
        )
    }

    #[test]
    fn records_and_timestamps_read_like_fitparser() {
        let mut body = record_def(0);
        body.extend(data(0, &[&1000u32.to_le_bytes(), &[150]]));
        body.extend(data(0, &[&1001u32.to_le_bytes(), &[0xFF]]));
        // uint32z and uint8z: zero is their invalid value.
        body.extend(def(
            1,
            false,
            mesg::RECORD,
            &[(253, 4, 0x8C), (3, 1, 0x0A)],
            &[],
        ));
        body.extend(data(1, &[&0u32.to_le_bytes(), &[0]]));
        let msgs = same_as_fitparser(&stream(14, true, &body));
        let none = Msg::Record {
            timestamp: None,
            hr: None,
        };
        assert_eq!(
            msgs[1],
            Msg::Record {
                timestamp: Some(1001),
                hr: None
            }
        );
        assert_eq!(msgs[2], none);
    }

    #[test]
    fn compressed_timestamps_roll_over_from_any_message_with_field_253() {
        let mut body = def(0, false, mesg::RECORD, &[(3, 1, U8)], &[]);
        // A lap (not a message we use) sets the base timestamp to 1000 (low bits 8).
        body.extend(def(1, false, 19, &[(253, 4, U32)], &[]));
        body.extend(data(1, &[&1000u32.to_le_bytes()]));
        for (offset, hr) in [(10u8, 140u8), (4, 141), (4, 142), (31, 143)] {
            body.extend(data(0x80 | offset, &[&[hr]]));
        }
        let msgs = same_as_fitparser(&stream(14, false, &body));
        let times: Vec<_> = msgs
            .iter()
            .map(|m| match m {
                Msg::Record { timestamp, .. } => *timestamp,
                _ => None,
            })
            .collect();
        assert_eq!(times, [Some(1002), Some(1028), Some(1028), Some(1055)]);
    }

    #[test]
    fn a_big_endian_definition_and_a_12_byte_header_read_alike() {
        let mut body = def(
            0,
            true,
            mesg::SESSION,
            &[(253, 4, U32), (7, 4, U32), (5, 1, ENUM)],
            &[],
        );
        body.extend(data(
            0,
            &[&5000u32.to_be_bytes(), &3_600_500u32.to_be_bytes(), &[1]],
        ));
        let msgs = same_as_fitparser(&stream(12, false, &body));
        let Msg::Session(s) = &msgs[0] else {
            panic!("a session")
        };
        assert_eq!(
            (s.timestamp, s.total_elapsed_time, s.sport),
            (Some(5000), Some(3600.5), Some(1))
        );
    }

    #[test]
    fn chained_streams_forget_their_definitions_and_base_timestamp() {
        let mut first = record_def(0);
        first.extend(data(0, &[&1000u32.to_le_bytes(), &[120]]));
        let mut second = def(0, false, mesg::RECORD, &[(3, 1, U8)], &[]);
        second.extend(data(0x80 | 5, &[&[121]]));
        let mut bytes = stream(14, true, &first);
        bytes.extend(stream(14, false, &second));
        let msgs = same_as_fitparser(&bytes);
        assert_eq!(
            msgs[1],
            Msg::Record {
                timestamp: Some(5),
                hr: Some(121)
            }
        );
    }

    #[test]
    fn odd_sizes_arrays_and_duplicate_fields_are_never_scalars_by_mistake() {
        let fields = [
            (253, 3, U32),
            (3, 2, U8),
            (3, 1, U8),
            (3, 1, U8),
            (5, 0, U32),
        ];
        let mut body = def(0, false, mesg::RECORD, &fields, &[]);
        body.extend(data(0, &[&[1, 2, 3], &[100, 101], &[102], &[0xFF], &[]]));
        let msgs = same_as_fitparser(&stream(14, false, &body));
        // The later field 3 is invalid, so the earlier valid one stays (as in a map).
        assert_eq!(
            msgs[0],
            Msg::Record {
                timestamp: None,
                hr: Some(102)
            }
        );
    }

    #[test]
    fn names_are_strings_cut_at_the_first_nul() {
        let mut body = def(0, false, mesg::SPORT, &[(3, 8, STRING)], &[]);
        body.extend(data(0, &[b"Trail\0\0\0"]));
        body.extend(def(1, false, mesg::WORKOUT, &[(8, 4, STRING)], &[]));
        body.extend(data(1, &[b"\0abc"]));
        let msgs = same_as_fitparser(&stream(14, false, &body));
        assert_eq!(
            msgs[0],
            Msg::Sport {
                name: Some("Trail".into())
            }
        );
        assert_eq!(
            msgs[1],
            Msg::Workout {
                name: Some(String::new())
            }
        );
    }

    #[test]
    fn file_id_products_follow_the_manufacturer() {
        let fields = [
            (0, 1, ENUM),
            (1, 2, U16),
            (2, 2, U16),
            (3, 4, 0x8C),
            (4, 4, U32),
        ];
        let mut body = def(0, false, mesg::FILE_ID, &fields, &[]);
        for manufacturer in [1u16, 263, 32, 0xFFFF] {
            body.extend(data(
                0,
                &[
                    &[4],
                    &manufacturer.to_le_bytes(),
                    &3113u16.to_le_bytes(),
                    &[7, 0, 0, 0],
                    &[9, 0, 0, 0],
                ],
            ));
        }
        same_as_fitparser(&stream(14, false, &body));
    }

    #[test]
    fn a_float_in_an_enum_field_stops_both_decoders_at_the_same_message() {
        let mut body = record_def(0);
        body.extend(data(0, &[&1000u32.to_le_bytes(), &[130]]));
        body.extend(def(
            1,
            false,
            mesg::EVENT,
            &[(253, 4, U32), (0, 4, FLOAT32)],
            &[],
        ));
        body.extend(data(1, &[&1000u32.to_le_bytes(), &1.0f32.to_le_bytes()]));
        let (f, fd, r, rd) = decode_both(&stream(14, false, &body));
        assert_eq!(f, r);
        assert!(fd.error.is_some() && rd.error.is_some());
        assert_eq!(
            fd.error.as_deref().map(|e| &e[..28]),
            rd.error.as_deref().map(|e| &e[..28])
        );
    }

    #[test]
    fn hr_messages_and_timestamp_correlations_read_like_fitparser() {
        // An anchor with time256, a packed message with an invalid bpm element, a
        // big-endian array of full event times, and a correlation.
        let mut body = def(
            0,
            false,
            mesg::HR,
            &[(253, 4, U32), (1, 1, U8), (9, 4, U32), (6, 1, U8)],
            &[],
        );
        body.extend(data(
            0,
            &[
                &1000u32.to_le_bytes(),
                &[128],
                &5120u32.to_le_bytes(),
                &[120],
            ],
        ));
        body.extend(def(1, false, mesg::HR, &[(6, 3, U8), (10, 5, 0x0D)], &[]));
        body.extend(data(
            1,
            &[&[121, 0xFF, 123], &[0x00, 0xF4, 0xFF, 0xFF, 0x01]],
        ));
        body.extend(def(2, true, mesg::HR, &[(9, 8, U32), (6, 2, U8)], &[]));
        let times: Vec<u8> = [6144u32, 6656]
            .iter()
            .flat_map(|t| t.to_be_bytes())
            .collect();
        body.extend(data(2, &[&times, &[130, 131]]));
        body.extend(def(
            3,
            false,
            mesg::TIMESTAMP_CORRELATION,
            &[(253, 4, U32), (1, 4, U32), (3, 4, U32)],
            &[],
        ));
        body.extend(data(
            3,
            &[
                &900_000_000u32.to_le_bytes(),
                &69u32.to_le_bytes(),
                &899_974_800u32.to_le_bytes(),
            ],
        ));
        let msgs = same_as_fitparser(&stream(14, false, &body));
        let Msg::Hr(anchor) = &msgs[0] else {
            panic!("an hr message")
        };
        assert_eq!(
            (
                anchor.timestamp,
                anchor.time256,
                &anchor.event_timestamp[..]
            ),
            (Some(1000), Some(128), &[Some(5120)][..])
        );
        let Msg::Hr(packed) = &msgs[1] else {
            panic!("an hr message")
        };
        assert_eq!(packed.filtered_bpm, vec![Some(121), None, Some(123)]);
        // Byte arrays keep 0xFF bytes: they are bits of the packed times.
        assert_eq!(packed.event_timestamp_12.len(), 5);
        assert_eq!(packed.event_timestamp_12[2], Some(0xFF));
        let Msg::Hr(full) = &msgs[2] else {
            panic!("an hr message")
        };
        assert_eq!(full.event_timestamp, vec![Some(6144), Some(6656)]);
        assert_eq!(
            msgs[3],
            Msg::TimestampCorrelation {
                timestamp: Some(900_000_000),
                system_timestamp: Some(69),
                local_timestamp: Some(899_974_800),
            }
        );
    }

    /// A developer field description through `field_description` (206).
    fn describe_dev(local: u8, number: u8, base: u8, name: &str, scale: Option<u8>) -> Vec<u8> {
        let name = format!("{name}\0");
        let mut fields = vec![
            (0, 1, U8),
            (1, 1, U8),
            (2, 1, U8),
            (3, name.len() as u8, STRING),
        ];
        let mut values: Vec<Vec<u8>> = vec![vec![0], vec![number], vec![base], name.into_bytes()];
        if let Some(s) = scale {
            fields.push((6, 1, U8));
            values.push(vec![s]);
        }
        let mut b = def(local, false, mesg::FIELD_DESCRIPTION, &fields, &[]);
        let refs: Vec<&[u8]> = values.iter().map(|v| v.as_slice()).collect();
        b.extend(data(local, &refs));
        b
    }

    #[test]
    fn developer_fields_are_skipped_by_their_described_size() {
        let mut body = describe_dev(1, 0, U16, "power", None);
        body.extend(def(
            0,
            false,
            mesg::RECORD,
            &[(253, 4, U32), (3, 1, U8)],
            &[(0, 2, 0)],
        ));
        body.extend(data(0, &[&1000u32.to_le_bytes(), &[150], &[1, 2]]));
        same_as_fitparser(&stream(14, false, &body));
    }

    #[test]
    fn a_developer_field_named_like_ours_is_read_as_fitparser_reads_it() {
        // Developer field 3 called "heart_rate": the reference takes it when the profile's
        // own heart rate is absent.
        let mut body = describe_dev(1, 3, U8, "heart_rate", None);
        body.extend(describe_dev(2, 4, U8, "heart_rate", None));
        body.extend(def(
            0,
            false,
            mesg::RECORD,
            &[(253, 4, U32)],
            &[(4, 1, 0), (3, 1, 0)],
        ));
        body.extend(data(0, &[&1000u32.to_le_bytes(), &[98], &[99]]));
        let msgs = same_as_fitparser(&stream(14, false, &body));
        assert_eq!(
            msgs[0],
            Msg::Record {
                timestamp: Some(1000),
                hr: Some(99)
            }
        );
    }

    #[test]
    fn an_undescribed_developer_field_stops_both_decoders() {
        let mut body = record_def(0);
        body.extend(data(0, &[&1000u32.to_le_bytes(), &[130]]));
        body.extend(def(1, false, mesg::RECORD, &[(3, 1, U8)], &[(0, 2, 0)]));
        body.extend(data(1, &[&[131], &[1, 2]]));
        let (f, fd, r, rd) = decode_both(&stream(14, false, &body));
        assert_eq!((f.len(), r.len()), (1, 1));
        assert!(fd.error.is_some() && rd.error.is_some());
    }

    #[test]
    fn a_scaled_text_developer_field_goes_through_fitparser_and_fails_as_there() {
        let mut body = describe_dev(1, 0, STRING, "note", Some(10));
        body.extend(def(0, false, mesg::RECORD, &[(3, 1, U8)], &[(0, 3, 0)]));
        body.extend(data(0, &[&[140], b"ab\0"]));
        let (f, fd, r, rd) = decode_both(&stream(14, false, &body));
        assert_eq!(f, r);
        assert_eq!(fd.error.is_some(), rd.error.is_some());
    }

    #[test]
    fn structural_problems_stop_the_walk_with_the_offset() {
        // An undefined local message right after the header.
        let bytes = stream(14, false, &data(3, &[&[1]]));
        let d = decode(&bytes, |_| {});
        assert_eq!(
            d.error.as_deref(),
            Some("decoder stopped at byte 14: no definition for local message number 3")
        );
        // A message running past the declared data size.
        let mut body = record_def(0);
        body.extend(data(0, &[&1000u32.to_le_bytes(), &[130]]));
        let mut bytes = stream(14, false, &body);
        bytes[4] -= 2;
        assert!(decode(&bytes, |_| {})
            .error
            .is_some_and(|e| e.contains("runs 2 bytes past")));
        // The end of the bytes inside a message.
        let bytes = stream(14, false, &body);
        let cut = &bytes[..bytes.len() - 4];
        let (f, fd, r, rd) = decode_both(cut);
        assert_eq!(f, r);
        assert!(fd.error.is_some() && rd.error.is_some());
    }

    #[test]
    fn absurd_bytes_never_panic() {
        let mut seed = 7u64;
        for len in 0..400 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 33) as u8
                })
                .collect();
            let mut framed = stream(14, false, &bytes);
            decode(&bytes, |_| {});
            decode(&framed, |_| {});
            framed[0] = 12;
            decode(&framed, |_| {});
        }
    }
}
