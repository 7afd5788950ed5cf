//! One message through fitparser's own profile code: the exact, slower path of the fast
//! decoder for `field_description` messages and hazardous definitions.
//!
//! It repeats what fitparser's `Decoder::decode_message` does with the same public pieces:
//! raw values as its parser makes them, the base timestamp from field 253, the profile
//! conversion (which may fail, and then the file stops as with fitparser), developer field
//! descriptions and values, the compressed timestamp; then the reference's reading of the
//! record. Allocation is fine here: few messages come this way.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use fitparser::de::DecodeOption;
use fitparser::profile::{data_field_with_info, FieldDataType, MesgNum, TimestampField};
use fitparser::{FitDataField, FitDataRecord, Value};

use super::{DevDescription, Walker};
use crate::ingest::fit::fields::{self, Base, TIMESTAMP};
use crate::ingest::fit::{reference, Msg};

impl Walker<'_> {
    /// One message through fitparser's own profile code, as its `Decoder::decode_message`
    /// does it: raw values as its parser makes them, the base timestamp, the profile
    /// conversion (which may fail), developer descriptions and values, the compressed
    /// timestamp; then the reference's reading of the record.
    pub(super) fn decode_via_fitparser(
        &mut self,
        local: usize,
        body: &[u8],
        time_offset: Option<u8>,
    ) -> Result<Option<Msg>, String> {
        let plan = self.plans[local].as_ref().ok_or("no definition")?;
        let big = plan.big;
        let mut values: HashMap<u8, Value> = HashMap::new();
        for f in &plan.fields {
            if let Some(v) = fitparser_value(&body[f.at..f.at + f.size], f.base, big, f.size) {
                values.insert(f.number, v);
            }
        }
        let mut dev_values: Vec<((u8, u8), Value)> = Vec::new();
        let mut at = plan.fields_size;
        for d in &plan.dev {
            let desc = self
                .descriptions
                .get(&(d.index, d.number))
                .ok_or("developer field referenced before being defined")?;
            let consumed = if desc.base == Base::String {
                d.size as usize
            } else {
                (d.size as usize).div_ceil(desc.base.size()) * desc.base.size()
            };
            let bytes = body
                .get(at..at + consumed)
                .ok_or("developer field past the message")?;
            if let Some(v) = fitparser_value(bytes, desc.base, big, d.size as usize) {
                // A later value for the same key replaces the earlier one, as in a map.
                dev_values.retain(|(k, _)| *k != (d.index, d.number));
                dev_values.push(((d.index, d.number), v));
            }
            at += consumed;
        }
        let kind = MesgNum::from(plan.global);
        // `hr` messages are read from the raw values (see `reference`).
        let raw = (kind == MesgNum::Hr).then(|| values.clone());
        if let Some(v) = values.get(&TIMESTAMP) {
            self.base_ts = value_i64(v).unwrap_or(0);
        }
        let mut fields = kind
            .decode_message(&mut values, &mut self.accumulators, options())
            .map_err(|e| e.to_string())?;
        fields.sort_by_key(|f| f.number());
        if kind == MesgNum::FieldDescription {
            let (key, desc) = describe(&fields)?;
            self.descriptions.insert(key, desc);
            self.generation += 1;
        }
        let mut record = FitDataRecord::new(kind);
        record.extend(fields);
        for ((index, number), value) in dev_values {
            let desc = self
                .descriptions
                .get(&(index, number))
                .ok_or("developer field referenced before being defined")?;
            record.push(
                data_field_with_info(
                    number,
                    Some(index),
                    &desc.name,
                    FieldDataType::Byte,
                    desc.scale,
                    desc.offset,
                    &desc.units,
                    value,
                    options(),
                )
                .map_err(|e| e.to_string())?,
            );
        }
        if let Some(o) = time_offset {
            let v = super::update_timestamp(&mut self.base_ts, o);
            record.push(FitDataField::new(
                "timestamp".into(),
                TIMESTAMP,
                None,
                Value::from(TimestampField::Utc(v)),
                String::new(),
            ));
        }
        Ok(reference::to_msg(&record, raw.as_ref()))
    }
}

/// The reference decoder's options.
pub(super) fn options() -> &'static HashSet<DecodeOption> {
    static OPTIONS: OnceLock<HashSet<DecodeOption>> = OnceLock::new();
    OPTIONS.get_or_init(fields::options)
}

/// fitparser's `Value → i64`.
fn value_i64(v: &Value) -> Option<i64> {
    Some(match *v {
        Value::Timestamp(t) => t.timestamp(),
        Value::Byte(x) | Value::Enum(x) | Value::UInt8(x) | Value::UInt8z(x) => x as i64,
        Value::SInt8(x) => x as i64,
        Value::SInt16(x) => x as i64,
        Value::UInt16(x) | Value::UInt16z(x) => x as i64,
        Value::SInt32(x) => x as i64,
        Value::UInt32(x) | Value::UInt32z(x) => x as i64,
        Value::SInt64(x) => x,
        Value::UInt64(x) | Value::UInt64z(x) => x as i64,
        _ => return None,
    })
}

/// A field's value exactly as fitparser's parser (`data_field_value`) makes it from the
/// bytes it consumes for a declared size of `size`.
fn fitparser_value(b: &[u8], base: Base, big: bool, size: usize) -> Option<Value> {
    if size == 0 {
        return None;
    }
    if base == Base::String {
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        return String::from_utf8(b[..end].to_vec()).ok().map(Value::String);
    }
    let mut values: Vec<Value> = b
        .chunks_exact(base.size())
        .map(|c| {
            let v = element_value(c, base, big);
            if base == Base::Byte || is_valid(&v) {
                v
            } else {
                Value::Invalid
            }
        })
        .collect();
    let value = if values.len() == 1 {
        values.swap_remove(0)
    } else {
        Value::Array(values)
    };
    is_valid(&value).then_some(value)
}

fn element_value(c: &[u8], base: Base, big: bool) -> Value {
    macro_rules! num {
        ($t:ty) => {{
            let a = c.try_into().expect("chunks have the base type's size");
            if big {
                <$t>::from_be_bytes(a)
            } else {
                <$t>::from_le_bytes(a)
            }
        }};
    }
    match base {
        Base::Enum => Value::Enum(c[0]),
        Base::Sint8 => Value::SInt8(c[0] as i8),
        Base::Uint8 | Base::Unknown | Base::String => Value::UInt8(c[0]),
        Base::Uint8z => Value::UInt8z(c[0]),
        Base::Byte => Value::Byte(c[0]),
        Base::Sint16 => Value::SInt16(num!(i16)),
        Base::Uint16 => Value::UInt16(num!(u16)),
        Base::Sint32 => Value::SInt32(num!(i32)),
        Base::Uint32 => Value::UInt32(num!(u32)),
        Base::Float32 => Value::Float32(num!(f32)),
        Base::Float64 => Value::Float64(num!(f64)),
        Base::Uint16z => Value::UInt16z(num!(u16)),
        Base::Uint32z => Value::UInt32z(num!(u32)),
        Base::Sint64 => Value::SInt64(num!(i64)),
        Base::Uint64 => Value::UInt64(num!(u64)),
        Base::Uint64z => Value::UInt64z(num!(u64)),
    }
}

/// fitparser's `Value::is_valid`.
fn is_valid(v: &Value) -> bool {
    match v {
        Value::Enum(x) | Value::UInt8(x) | Value::Byte(x) => *x != 0xFF,
        Value::SInt8(x) => *x != i8::MAX,
        Value::SInt16(x) => *x != i16::MAX,
        Value::UInt16(x) => *x != u16::MAX,
        Value::SInt32(x) => *x != i32::MAX,
        Value::UInt32(x) => *x != u32::MAX,
        Value::String(s) => !s.contains('\0'),
        Value::Timestamp(_) => true,
        Value::Float32(x) => x.is_finite(),
        Value::Float64(x) => x.is_finite(),
        Value::UInt8z(x) => *x != 0,
        Value::UInt16z(x) => *x != 0,
        Value::UInt32z(x) => *x != 0,
        Value::UInt64z(x) => *x != 0,
        Value::SInt64(x) => *x != i64::MAX,
        Value::UInt64(x) => *x != u64::MAX,
        Value::Array(vs) => !vs.is_empty() && vs.iter().any(is_valid),
        Value::Invalid => false,
    }
}

/// fitparser's `DeveloperFieldDescription::try_from`, with its demands on value types.
fn describe(fields: &[FitDataField]) -> Result<((u8, u8), DevDescription), String> {
    let by_name: HashMap<&str, &Value> = fields.iter().map(|f| (f.name(), f.value())).collect();
    let index = match by_name.get("developer_data_index") {
        Some(Value::UInt8(v)) => *v,
        Some(_) => return Err("developer_data_index must be u8".into()),
        None => return Err("developer_data_index is mandatory".into()),
    };
    let number = match by_name.get("field_definition_number") {
        Some(Value::UInt8(v)) => *v,
        Some(_) => return Err("field_definition_number must be u8".into()),
        None => return Err("field_definition_number is mandatory".into()),
    };
    let base = match by_name.get("fit_base_type_id") {
        Some(Value::String(s)) => Base::from_fitparser(
            fitparser::profile::field_types::FitBaseType::from(s.as_str()),
        ),
        Some(_) => return Err("fit_base_type_id must be string".into()),
        None => return Err("fit_base_type_id is mandatory".into()),
    };
    let name = match by_name.get("field_name") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("field_name must be string".into()),
        None => format!("unknown_developer_field_{number}"),
    };
    let scale = match by_name.get("scale") {
        Some(Value::UInt8(v)) => *v as f64,
        Some(_) => return Err("scale must be u8".into()),
        None => 1.0,
    };
    let offset = match by_name.get("offset") {
        Some(Value::SInt8(v)) => *v as f64,
        Some(_) => return Err("offset must be i8".into()),
        None => 0.0,
    };
    let units = match by_name.get("units") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("units must be string".into()),
        None => String::new(),
    };
    Ok((
        (index, number),
        DevDescription {
            base,
            name,
            scale,
            offset,
            units,
        },
    ))
}
