//! Garmin account exports ("Export your data"): sleep, resting heart rate and HRV from
//! `DI-Connect-Wellness` and `DI-Connect-Aggregator`, activity names and RPE from
//! `DI-Connect-Fitness`. JSON in, [`Night`], [`DayValue`] and [`ActivityNote`] out; the
//! table of fields read is in the parent module's notes.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Map, Value};

use super::{
    looks_like_date, ActivityNote, DayValue, FileError, Issues, Night, Read, WellnessKind,
};

pub(super) fn json_list(bytes: &[u8]) -> Result<Vec<Value>, FileError> {
    match serde_json::from_slice(bytes)? {
        Value::Array(entries) => Ok(entries),
        object @ Value::Object(_) => Ok(vec![object]),
        _ => Err(FileError::Shape(
            "the top level is neither a list nor an object",
        )),
    }
}

/// The activities of a summarizedActivities file: the entries of every
/// `summarizedActivitiesExport` list, or the file's own list when it is not wrapped.
pub(super) fn garmin_activity_list(bytes: &[u8]) -> Result<Vec<Value>, FileError> {
    let mut out = Vec::new();
    for item in json_list(bytes)? {
        match item {
            Value::Object(mut o) if o.contains_key("summarizedActivitiesExport") => {
                match o.remove("summarizedActivitiesExport") {
                    Some(Value::Array(activities)) => out.extend(activities),
                    Some(Value::Null) | None => {}
                    Some(_) => {
                        return Err(FileError::Shape("summarizedActivitiesExport is not a list"))
                    }
                }
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// The first of `keys` present with a value other than null.
fn field<'a>(entry: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    named_field(entry, keys).map(|(_, v)| v)
}

/// [`field`] with the key it was found under, for messages.
fn named_field<'a, 'k>(
    entry: &'a Map<String, Value>,
    keys: &[&'k str],
) -> Option<(&'k str, &'a Value)> {
    keys.iter()
        .find_map(|k| entry.get(*k).filter(|v| !v.is_null()).map(|v| (*k, v)))
}

fn calendar_date(entry: &Map<String, Value>) -> Result<NaiveDate, String> {
    let value = field(entry, &["calendarDate"]).ok_or("no calendarDate")?;
    let text = match value {
        Value::Object(o) => field(o, &["date"]).and_then(Value::as_str),
        other => other.as_str(),
    };
    text.and_then(parse_date)
        .ok_or_else(|| format!("calendarDate {value} is not a date (expected YYYY-MM-DD)"))
}

/// `2026-01-14`, also at the start of a longer text (`2026-01-14T00:00:00.0`).
fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let head = text.get(..10)?;
    if !looks_like_date(head) {
        return None;
    }
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

/// Epoch milliseconds (seconds below 10^11) as a number or digits, or ISO text in UTC.
fn parse_instant(value: &Value) -> Option<DateTime<Utc>> {
    let from_epoch = |x: f64| {
        let ms = if x.abs() < 1e11 { x * 1000.0 } else { x };
        // Beyond 2^53 ms an f64 is not a whole millisecond: no export is that far out.
        if ms.is_nan() || ms.abs() >= 9.0e15 {
            return None;
        }
        DateTime::from_timestamp_millis(ms.round() as i64)
    };
    match value {
        Value::Number(_) => number(value).and_then(from_epoch),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(x) = s.parse::<f64>() {
                return from_epoch(x);
            }
            if let Ok(t) = DateTime::parse_from_rfc3339(s) {
                return Some(t.with_timezone(&Utc));
            }
            let s = s.strip_suffix('Z').unwrap_or(s);
            [
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%d %H:%M:%S%.f",
                "%Y-%m-%dT%H:%M",
            ]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
            .map(|t| t.and_utc())
        }
        _ => None,
    }
}

/// A value that may be bad without spoiling its entry: `None` when absent (silently) or
/// when `read` rejects it (noted in `dropped`).
fn optional<T>(
    entry: &Map<String, Value>,
    keys: &[&str],
    read: impl Fn(&Value) -> Option<T>,
    expected: &str,
    dropped: &mut Vec<String>,
) -> Option<T> {
    let (key, value) = named_field(entry, keys)?;
    let out = read(value);
    if out.is_none() {
        dropped.push(format!("{key} {value} left out (expected {expected})"));
    }
    out
}

pub(super) fn night(entry: &Map<String, Value>, source: &str) -> Read<Night> {
    let date = match calendar_date(entry) {
        Ok(d) => d,
        Err(why) => return Read::Bad(why),
    };
    let mut seconds = 0.0;
    let mut measured = false;
    for key in ["deepSleepSeconds", "lightSleepSeconds", "remSleepSeconds"] {
        let Some(value) = field(entry, &[key]) else {
            continue;
        };
        match number(value) {
            Some(s) if s >= 0.0 => {
                seconds += s;
                measured = true;
            }
            _ => return Read::Bad(format!("{key} {value} is not a duration in seconds")),
        }
    }
    if !measured || seconds == 0.0 {
        return Read::Empty;
    }
    if seconds > 24.0 * 3600.0 {
        return Read::Bad(format!("{seconds} s of sleep in one night"));
    }
    let mut dropped = Vec::new();
    let score = optional(
        entry,
        &["sleepScores"],
        overall_score,
        "an object with overallScore 0-100",
        &mut dropped,
    )
    .flatten();
    let instant = |key: &str, dropped: &mut Vec<String>| {
        let expected = "ISO time or epoch ms";
        optional(entry, &[key], parse_instant, expected, dropped)
    };
    let start_utc = instant("sleepStartTimestampGMT", &mut dropped);
    let end_utc = instant("sleepEndTimestampGMT", &mut dropped);
    Read::Used(
        Night {
            date,
            sleep_hours: seconds / 3600.0,
            score,
            start_utc,
            end_utc,
            source_file: source.to_string(),
        },
        dropped,
    )
}

/// The overall score of a `sleepScores` object: `Some(None)` when it has none, `None` when
/// it is not readable. `overallScore: 80` in exports, `overall: {value: 80}` in API dumps.
fn overall_score(scores: &Value) -> Option<Option<f64>> {
    let scores = scores.as_object()?;
    let Some(overall) = field(scores, &["overallScore", "overall"]) else {
        return Some(None);
    };
    let overall = match overall {
        Value::Object(o) => match field(o, &["value"]) {
            Some(v) => v,
            None => return Some(None),
        },
        other => other,
    };
    number(overall)
        .filter(|x| (0.0..=100.0).contains(x))
        .map(Some)
}

pub(super) fn resting_hr(entry: &Map<String, Value>, source: &str) -> Read<DayValue> {
    let date = match calendar_date(entry) {
        Ok(d) => d,
        Err(why) => return Read::Bad(why),
    };
    let Some(value) = field(entry, &["restingHeartRate"]) else {
        return Read::Empty;
    };
    match number(value) {
        Some(0.0) => Read::Empty,
        Some(bpm) if (20.0..=150.0).contains(&bpm) => day_value(date, bpm, source),
        _ => Read::Bad(format!(
            "restingHeartRate {value} is not a resting heart rate (expected 20-150 bpm)"
        )),
    }
}

pub(super) fn hrv(entry: &Map<String, Value>, source: &str) -> Read<DayValue> {
    let date = match calendar_date(entry) {
        Ok(d) => d,
        Err(why) => return Read::Bad(why),
    };
    let metrics = match field(entry, &["metrics"]) {
        None => return Read::Empty,
        Some(Value::Array(m)) => m,
        Some(other) => return Read::Bad(format!("metrics {other} is not a list")),
    };
    let is_hrv = |m: &&Map<String, Value>| {
        field(m, &["type", "metricType"])
            .and_then(Value::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("HRV"))
    };
    let Some(metric) = metrics.iter().filter_map(Value::as_object).find(is_hrv) else {
        return Read::Empty;
    };
    let Some(value) = field(metric, &["value"]) else {
        return Read::Empty;
    };
    match number(value) {
        Some(0.0) => Read::Empty,
        Some(ms) if ms > 0.0 && ms <= 300.0 => day_value(date, ms, source),
        _ => Read::Bad(format!(
            "HRV value {value} is not an HRV (expected 1-300 ms)"
        )),
    }
}

fn day_value(date: NaiveDate, value: f64, source: &str) -> Read<DayValue> {
    let day = DayValue {
        date,
        value,
        source_file: source.to_string(),
    };
    Read::Used(day, Vec::new())
}

pub(super) fn garmin_activity(entry: &Map<String, Value>, source: &str) -> Read<ActivityNote> {
    let mut dropped = Vec::new();
    let id = optional(entry, &["activityId"], id_text, "a number", &mut dropped);
    let start_utc = optional(
        entry,
        &["beginTimestamp", "startTimeGmt", "startTimeGMT"],
        parse_instant,
        "epoch ms or ISO time",
        &mut dropped,
    );
    let name = optional(entry, &["name", "activityName"], text, "text", &mut dropped);
    let activity_type = optional(
        entry,
        &["activityType"],
        |v| match v {
            Value::Object(o) => o.get("typeKey").and_then(text),
            other => text(other),
        },
        "text or an object with typeKey",
        &mut dropped,
    );
    // 0 means the watch's question was not answered; answers are 10, 20, ... 100.
    let rpe = optional(
        entry,
        &["directWorkoutRpe", "workoutRpe"],
        |v| match number(v)? {
            0.0 => Some(None),
            x if (10.0..=100.0).contains(&x) => Some(Some(x / 10.0)),
            _ => None,
        },
        "10-100",
        &mut dropped,
    )
    .flatten();
    let feel = optional(
        entry,
        &["directWorkoutFeel", "workoutFeel"],
        |v| number(v).filter(|x| (0.0..=100.0).contains(x)),
        "0-100",
        &mut dropped,
    );
    if id.is_none() && start_utc.is_none() && name.is_none() {
        return Read::Bad("no activityId, start or name".to_string());
    }
    let note = ActivityNote {
        kind: WellnessKind::GarminActivities,
        id,
        start_utc,
        file: None,
        name,
        activity_type,
        rpe,
        feel,
        source_file: source.to_string(),
    };
    Read::Used(note, dropped)
}

fn text(value: &Value) -> Option<String> {
    let s = value.as_str()?.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Ids are whole numbers; exports sometimes write them as floats or text.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Some(i.to_string()),
            (_, Some(u), _) => Some(u.to_string()),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                Some(format!("{}", f as i64))
            }
            _ => None,
        },
        other => text(other),
    }
}

pub(super) fn each_entry<T>(
    entries: Vec<Value>,
    issues: &mut Issues,
    read: impl Fn(&Map<String, Value>) -> Read<T>,
) -> Vec<T> {
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        issues.entries += 1;
        let at = || format!("entry {}", i + 1);
        let Some(object) = entry.as_object() else {
            issues.skipped += 1;
            issues.note(&at(), "not a JSON object");
            continue;
        };
        match read(object) {
            Read::Used(record, dropped) => {
                if let Some(why) = dropped.first() {
                    issues.partly += 1;
                    issues.note(&at(), why);
                }
                out.push(record);
            }
            Read::Empty => {}
            Read::Bad(why) => {
                issues.skipped += 1;
                issues.note(&at(), why);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("test times are valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn times_are_read_as_iso_text_or_epoch_milliseconds_in_utc() {
        let at = utc("2026-01-14T22:00:00Z");
        let table: [(Value, Option<DateTime<Utc>>); 12] = [
            (Value::from("2026-01-14T22:00:00.0"), Some(at)),
            (Value::from("2026-01-14T22:00:00"), Some(at)),
            (Value::from("2026-01-14 22:00:00"), Some(at)),
            (Value::from("2026-01-14T22:00:00Z"), Some(at)),
            (Value::from("2026-01-14T23:00:00+01:00"), Some(at)),
            (Value::from("2026-01-14T22:00"), Some(at)),
            (Value::from(1_768_428_000_000_i64), Some(at)),
            (Value::from(1.768428e12), Some(at)),
            (Value::from("1768428000000"), Some(at)),
            // Below 10^11 it can only be seconds.
            (Value::from(1_768_428_000_i64), Some(at)),
            (Value::from("last night"), None),
            (Value::from(true), None),
        ];
        for (value, expected) in table {
            assert_eq!(parse_instant(&value), expected, "{value}");
        }
    }

    #[test]
    fn the_overall_sleep_score_is_read_in_both_shapes() {
        let table: [(&str, Option<Option<f64>>); 7] = [
            (
                r#"{"overallScore": 82, "qualityScore": 75}"#,
                Some(Some(82.0)),
            ),
            (
                r#"{"overall": {"value": 82, "qualifierKey": "GOOD"}}"#,
                Some(Some(82.0)),
            ),
            (r#"{"overallScore": {"value": 82}}"#, Some(Some(82.0))),
            (
                r#"{"overall": {"value": null, "qualifierKey": null}}"#,
                Some(None),
            ),
            (r#"{"qualityScore": 75}"#, Some(None)),
            (r#"{"overallScore": 140}"#, None),
            (r#""82""#, None),
        ];
        for (json, expected) in table {
            let value: Value = serde_json::from_str(json).expect("test JSON is valid");
            assert_eq!(overall_score(&value), expected, "{json}");
        }
    }
}
