//! FIT files to sessions: the messages we use, the damage check, and the session builder.
//!
//! Decoders (today fitparser, see `reference`) turn bytes into a stream of [`Msg`]
//! values holding only the fields the analysis uses, as raw profile numbers; the
//! [`FileData`] accumulator collects them and [`FileData::into_sessions`] applies the
//! heart-rate semantics. Names for enums come from fitparser's profile tables, so every
//! decoder yields the same strings.

pub mod check;
pub mod clock;
pub mod fast;
pub mod fields;
pub mod hr;
pub mod reference;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use fitparser::profile::field_types::{
    FaveroProduct, GarminProduct, Manufacturer, Sport, SubSport,
};

use crate::session::{HrHistogram, HrRecords, LocalDateSource, Session, MAX_HOLD_S};
use clock::{clock_note, date_system_time, offset_between, shifted, Dated};
pub use clock::{Clock, SYSTEM_TIME_MAX, UNDATED_REASON};
pub use hr::RawHr;

/// Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
pub const FIT_EPOCH_UNIX: i64 = 631_065_600;

/// The reason given for a FIT file with neither sessions nor records.
pub const NO_DATA: &str = "no sessions or records";

/// FIT `file` type of activity files.
pub const FILE_TYPE_ACTIVITY: u8 = 4;

/// A FIT message reduced to the fields we use. Times are FIT seconds (since the FIT epoch).
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// `file_id`: what kind of file and which device made it.
    FileId {
        file_type: Option<u8>,
        manufacturer: Option<u16>,
        product: Option<u16>,
        serial: Option<u32>,
        time_created: Option<u32>,
    },
    /// `activity`: its UTC and wall-clock timestamps give the athlete's UTC offset.
    Activity {
        timestamp: Option<u32>,
        local_timestamp: Option<u32>,
    },
    /// `session`: one per sport in the file.
    Session(RawSession),
    /// `sport`: the sport profile and its user-visible name.
    Sport { name: Option<String> },
    /// `workout`: the planned workout's name.
    Workout { name: Option<String> },
    /// `event`: only timer events matter (start, stop, stop_all).
    Event {
        timestamp: Option<u32>,
        event: Option<u8>,
        event_type: Option<u8>,
    },
    /// `record`: one sample; heart rate `None` when the field is absent or invalid.
    Record {
        timestamp: Option<u32>,
        hr: Option<u8>,
    },
    /// `timestamp_correlation`: the device's system time at a known UTC (and local) time.
    TimestampCorrelation {
        timestamp: Option<u32>,
        system_timestamp: Option<u32>,
        local_timestamp: Option<u32>,
    },
    /// `hr`: heart rate a strap stored itself, merged into the records (see [`hr`]).
    Hr(RawHr),
}

/// The `session` message fields we use, unscaled to SI units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawSession {
    pub timestamp: Option<u32>,
    pub start_time: Option<u32>,
    pub total_elapsed_time: Option<f64>,
    pub total_timer_time: Option<f64>,
    pub total_distance: Option<f64>,
    pub sport: Option<u8>,
    pub sub_sport: Option<u8>,
    pub workout_rpe: Option<u8>,
    pub workout_feel: Option<u8>,
    /// The first GPS fix `(latitude, longitude)` in degrees (`start_position_lat/long`).
    pub start_position: Option<(f64, f64)>,
}

/// A FIT position pair in semicircles (2³¹ to 180°) as degrees, when both are there.
pub(crate) fn semicircles(lat: Option<f64>, lon: Option<f64>) -> Option<(f64, f64)> {
    let deg = |v: f64| v * 180.0 / 2_147_483_648.0;
    Some((deg(lat?), deg(lon?)))
}

/// FIT event number of the timer.
const EVENT_TIMER: u8 = 0;
/// FIT event types that start and stop the timer.
const EVENT_TYPE_START: u8 = 0;
const EVENT_TYPE_STOP: u8 = 1;
const EVENT_TYPE_STOP_ALL: u8 = 4;

/// Everything one FIT file (all streams of a chain) says that we use.
#[derive(Debug, Default, Clone)]
pub struct FileData {
    pub file_type: Option<u8>,
    pub manufacturer: Option<u16>,
    pub product: Option<u16>,
    pub serial: Option<u32>,
    pub time_created: Option<u32>,
    pub activity_timestamp: Option<u32>,
    pub activity_local_timestamp: Option<u32>,
    pub sessions: Vec<RawSession>,
    pub sport_name: Option<String>,
    pub workout_name: Option<String>,
    /// `(timestamp, heart rate or 0)` for every record with a timestamp.
    pub records: Vec<(u32, u8)>,
    /// Records without a timestamp (cannot be placed in time, so not counted).
    pub records_without_time: usize,
    /// `(timestamp, is_start)` for every timer start/stop event.
    pub timer_events: Vec<(u32, bool)>,
    /// The first `timestamp_correlation` with a date and a system time: `(timestamp,
    /// system_timestamp, local_timestamp)`.
    pub correlation: Option<(u32, u32, Option<u32>)>,
    /// The `hr` messages, in file order.
    pub hr: Vec<RawHr>,
}

impl FileData {
    /// Folds one message in. The first `file_id` wins (chained files repeat it).
    pub fn push(&mut self, msg: Msg) {
        match msg {
            Msg::FileId {
                file_type,
                manufacturer,
                product,
                serial,
                time_created,
            } => {
                if self.file_type.is_none() && self.manufacturer.is_none() {
                    self.file_type = file_type;
                    self.manufacturer = manufacturer;
                    self.product = product;
                    self.serial = serial;
                    self.time_created = time_created;
                }
            }
            Msg::Activity {
                timestamp,
                local_timestamp,
            } => {
                if self.activity_local_timestamp.is_none() {
                    self.activity_timestamp = timestamp;
                    self.activity_local_timestamp = local_timestamp;
                }
            }
            Msg::Session(s) => self.sessions.push(s),
            Msg::Sport { name } => {
                if self.sport_name.is_none() {
                    self.sport_name = name.filter(|n| !n.trim().is_empty());
                }
            }
            Msg::Workout { name } => {
                if self.workout_name.is_none() {
                    self.workout_name = name.filter(|n| !n.trim().is_empty());
                }
            }
            Msg::Event {
                timestamp: Some(ts),
                event: Some(EVENT_TIMER),
                event_type: Some(kind),
            } => match kind {
                EVENT_TYPE_START => self.timer_events.push((ts, true)),
                EVENT_TYPE_STOP | EVENT_TYPE_STOP_ALL => self.timer_events.push((ts, false)),
                _ => {}
            },
            Msg::Event { .. } => {}
            Msg::Record { timestamp, hr } => match timestamp {
                Some(ts) => self.records.push((ts, hr.unwrap_or(0))),
                None => self.records_without_time += 1,
            },
            Msg::TimestampCorrelation {
                timestamp: Some(utc),
                system_timestamp: Some(system),
                local_timestamp,
            } => {
                if self.correlation.is_none() && utc >= SYSTEM_TIME_MAX && system < SYSTEM_TIME_MAX
                {
                    self.correlation = Some((utc, system, local_timestamp));
                }
            }
            Msg::TimestampCorrelation { .. } => {}
            Msg::Hr(h) => self.hr.push(h),
        }
    }

    /// Is this an activity? Non-activity files (settings, courses, workouts, monitoring…)
    /// say so in `file_id.type`; a file without a type counts as one if it has sessions or
    /// records. Returns the reason when it is not.
    pub fn not_activity_reason(&self) -> Option<String> {
        let has_data = !self.sessions.is_empty() || !self.records.is_empty();
        match self.file_type {
            Some(t) if t != FILE_TYPE_ACTIVITY && self.sessions.is_empty() => {
                Some(format!("a {} file", file_type_name(t)))
            }
            _ if !has_data && self.records_without_time > 0 => Some(format!(
                "its {} records have no timestamps, so they cannot be placed in time",
                self.records_without_time
            )),
            _ if !has_data => Some(NO_DATA.to_string()),
            _ => None,
        }
    }

    /// Offset of the athlete's wall clock from UTC, from the `activity` message, rounded
    /// to 15 minutes (the finest real zone offset); `None` when absent or implausible.
    pub fn utc_offset_s(&self) -> Option<i32> {
        offset_between(self.activity_timestamp?, self.activity_local_timestamp?)
    }

    /// How this file's system times (if it has any) become dates: by its
    /// `timestamp_correlation`, else by the activity's wall-clock `local_timestamp`, else not
    /// at all.
    pub fn system_clock(&self) -> Clock {
        if let Some((utc, system, local)) = self.correlation {
            let shift = utc as i64 - system as i64;
            let offset = local
                .filter(|&l| l >= SYSTEM_TIME_MAX)
                .and_then(|l| offset_between(utc, l))
                .or_else(|| {
                    let (t, l) = (self.activity_timestamp?, self.activity_local_timestamp?);
                    offset_between(shifted(t, shift), l)
                });
            return Clock::Correlated {
                shift,
                offset,
                system,
                utc,
            };
        }
        match (self.activity_timestamp, self.activity_local_timestamp) {
            (Some(t), Some(local)) if t < SYSTEM_TIME_MAX && local >= SYSTEM_TIME_MAX => {
                Clock::LocalOnly {
                    shift: local as i64 - t as i64,
                }
            }
            _ => Clock::Undated,
        }
    }

    /// Applies the heart-rate semantics and returns the sessions of this file.
    pub fn into_sessions(self, file: &str, tz: Option<Tz>) -> Vec<Session> {
        self.into_sessions_noted(file, tz).0
    }

    /// [`FileData::into_sessions`], with the one line for the user when the file's times
    /// are system time (which of the three datings applied).
    pub fn into_sessions_noted(
        mut self,
        file: &str,
        tz: Option<Tz>,
    ) -> (Vec<Session>, Option<String>) {
        hr::merge(&mut self.records, &self.hr);
        self.records.sort_by_key(|r| r.0);
        self.timer_events.sort_by_key(|e| e.0);
        let pauses = pauses(&self.timer_events);
        let manufacturer = self.manufacturer.map(manufacturer_name).unwrap_or_default();
        let product = self
            .product
            .map(|p| product_name(self.manufacturer, p))
            .unwrap_or_default();
        let name = self.workout_name.clone().or(self.sport_name.clone());
        let offset = self.utc_offset_s();
        let clock = self.system_clock();

        let mut raw = std::mem::take(&mut self.sessions);
        if raw.is_empty() {
            // Records but no session message: one session spanning the records.
            if let (Some(first), Some(last)) = (self.records.first(), self.records.last()) {
                let elapsed = (last.0 - first.0) as f64;
                let paused: u64 = pauses
                    .iter()
                    .map(|&(a, b)| overlap(a, b, first.0, last.0) as u64)
                    .sum();
                raw.push(RawSession {
                    start_time: Some(first.0),
                    timestamp: Some(last.0),
                    total_elapsed_time: Some(elapsed),
                    total_timer_time: Some((elapsed - paused as f64).max(0.0)),
                    ..RawSession::default()
                });
            }
        }

        let mut system_time = Vec::new();
        let sessions = raw
            .iter()
            .enumerate()
            .filter_map(|(index, s)| {
                let file_time = self.activity_timestamp.or(self.time_created);
                let (start, end, elapsed) = window(s, &self.records, file_time)?;
                let hr = count_hr(&self.records, &pauses, start, end);
                let dated = if start < SYSTEM_TIME_MAX {
                    date_system_time(start, clock, tz)
                } else {
                    Dated::at(fit_time(start), offset, tz)
                };
                if start < SYSTEM_TIME_MAX {
                    system_time.push((dated.start_utc, dated.local_date));
                }
                let Dated {
                    start_utc,
                    local_date,
                    source,
                    utc_offset_s,
                    undated,
                } = dated;
                Some(Session {
                    file: file.to_string(),
                    index,
                    sport: s.sport.map(sport_name).unwrap_or_default(),
                    sub_sport: s.sub_sport.map(sub_sport_name).unwrap_or_default(),
                    start_utc,
                    local_date,
                    utc_offset_s,
                    local_date_source: source,
                    timer_s: s.total_timer_time.unwrap_or(elapsed),
                    elapsed_s: elapsed,
                    distance_m: s.total_distance,
                    manufacturer: manufacturer.clone(),
                    product: product.clone(),
                    name: name.clone(),
                    rpe: s.workout_rpe.map(|r| r as f64 / 10.0),
                    start_position: s.start_position,
                    feel: s.workout_feel.map(|f| f as f64),
                    pauses: pauses
                        .iter()
                        .filter(|&&(a, b)| overlap(a, b, start, end) > 0)
                        .count(),
                    hr,
                    hr_records: HrRecords::new(start, end, &self.records, &pauses),
                    undated,
                    ..Session::default()
                })
            })
            .collect();
        let note = clock_note(clock, &system_time, tz);
        (sessions, note)
    }
}

/// A session's window `[start, start + total_elapsed_time]` and its length in seconds.
/// Without a start time the first record starts it, else its end timestamp minus its
/// length (the activity's timestamp, or the file's creation time, standing in for a
/// missing end); without a length the end timestamp ends it.
fn window(
    s: &RawSession,
    records: &[(u32, u8)],
    file_time: Option<u32>,
) -> Option<(u32, u32, f64)> {
    let length = s.total_elapsed_time.or(s.total_timer_time);
    let start = s
        .start_time
        .or_else(|| records.first().map(|r| r.0))
        .or_else(|| {
            s.timestamp
                .or(file_time)
                .map(|t| t.saturating_sub(length.unwrap_or(0.0) as u32))
        })?;
    let elapsed = length
        .or_else(|| s.timestamp.map(|t| t.saturating_sub(start) as f64))
        .unwrap_or(0.0)
        .max(0.0);
    let end = start as f64 + elapsed;
    let end = if end >= u32::MAX as f64 {
        u32::MAX
    } else {
        end.floor() as u32
    };
    Some((start, end, elapsed))
}

/// Timer pauses as `[stop, start)` intervals. A stop never followed by a start is not a
/// pause: devices write one when the activity ends, and records after it inside the
/// session window still count (the independent reference reads them the same way).
pub fn pauses(events: &[(u32, bool)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut stopped_at: Option<u32> = None;
    for &(ts, is_start) in events {
        match (is_start, stopped_at) {
            (false, None) => stopped_at = Some(ts),
            (true, Some(stop)) => {
                if ts > stop {
                    out.push((stop, ts));
                }
                stopped_at = None;
            }
            _ => {}
        }
    }
    out
}

/// Length of the overlap of `[a0, a1)` and `[b0, b1)`.
fn overlap(a0: u32, a1: u32, b0: u32, b1: u32) -> u32 {
    a1.min(b1).saturating_sub(a0.max(b0))
}

/// The README's heart-rate semantics over the records whose timestamp lies in
/// `[start, end]`: each holds until the next such record; an interval counts if it is at
/// most [`MAX_HOLD_S`] long, for the part outside timer pauses, when its reading is valid.
pub fn count_hr(records: &[(u32, u8)], pauses: &[(u32, u32)], start: u32, end: u32) -> HrHistogram {
    let mut hist = HrHistogram::default();
    let lo = records.partition_point(|r| r.0 < start);
    let hi = records.partition_point(|r| r.0 <= end);
    let inside = &records[lo..hi];
    for pair in inside.windows(2) {
        let (t0, hr) = pair[0];
        let t1 = pair[1].0;
        let dt = t1 - t0;
        if dt == 0 || dt > MAX_HOLD_S {
            continue;
        }
        let paused: u32 = pauses.iter().map(|&(a, b)| overlap(a, b, t0, t1)).sum();
        hist.add(hr, dt.saturating_sub(paused));
    }
    hist
}

/// FIT seconds to a UTC instant.
pub fn fit_time(ts: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(FIT_EPOCH_UNIX + ts as i64, 0)
        .single()
        .expect("every u32 FIT time is a valid instant")
}

/// The athlete's local date: from the file's own offset, else the `--tz` zone, else UTC.
pub(crate) fn local_date(
    start: DateTime<Utc>,
    file_offset: Option<i32>,
    tz: Option<Tz>,
) -> (NaiveDate, LocalDateSource, Option<i32>) {
    if let Some(off) = file_offset {
        let local = start + chrono::Duration::seconds(off as i64);
        return (local.date_naive(), LocalDateSource::File, Some(off));
    }
    if let Some(tz) = tz {
        let local = start.with_timezone(&tz);
        let off = local.naive_local() - start.naive_utc();
        return (
            local.date_naive(),
            LocalDateSource::Flag,
            Some(off.num_seconds() as i32),
        );
    }
    (start.date_naive(), LocalDateSource::Utc, None)
}

/// FIT sport name as fitparser's profile spells it; the number when it has no name.
pub fn sport_name(v: u8) -> String {
    named(Sport::from(v).to_string(), v as u64)
}

/// FIT sub-sport name as fitparser's profile spells it.
pub fn sub_sport_name(v: u8) -> String {
    named(SubSport::from(v).to_string(), v as u64)
}

/// Manufacturer name as fitparser's profile spells it.
pub fn manufacturer_name(v: u16) -> String {
    named(Manufacturer::from(v).to_string(), v as u64)
}

/// Product name: Garmin-family and Favero products have names in the profile (the same
/// rule fitparser uses for the `product` subfield); others are numbers.
pub fn product_name(manufacturer: Option<u16>, product: u16) -> String {
    let m = manufacturer.map(Manufacturer::from);
    match m {
        Some(Manufacturer::Garmin)
        | Some(Manufacturer::Dynastream)
        | Some(Manufacturer::DynastreamOem)
        | Some(Manufacturer::Tacx) => {
            named(GarminProduct::from(product).to_string(), product as u64)
        }
        Some(Manufacturer::FaveroElectronics) => {
            named(FaveroProduct::from(product).to_string(), product as u64)
        }
        _ => product.to_string(),
    }
}

/// FIT `file` type name.
pub fn file_type_name(v: u8) -> String {
    named(
        fitparser::profile::field_types::File::from(v).to_string(),
        v as u64,
    )
}

fn named(name: String, number: u64) -> String {
    if name.starts_with("unknown_variant") {
        number.to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(ts: u32, hr: u8) -> (u32, u8) {
        (ts, hr)
    }

    #[test]
    fn each_reading_holds_until_the_next_record() {
        let records = [rec(0, 130), rec(10, 150), rec(30, 150)];
        let h = count_hr(&records, &[], 0, 30);
        assert_eq!(h.split(120, 140), (0, 10, 20));
        assert_eq!(h.total_s(), 30);
    }

    #[test]
    fn a_gap_over_60_s_counts_nothing_and_60_s_counts() {
        let records = [rec(0, 130), rec(90, 130), rec(150, 130), rec(151, 130)];
        let h = count_hr(&records, &[], 0, 200);
        assert_eq!(h.total_s(), 61);
    }

    #[test]
    fn dropouts_count_nothing() {
        let records = [rec(0, 0), rec(5, 130), rec(10, 255), rec(15, 130)];
        let h = count_hr(&records, &[], 0, 15);
        assert_eq!(h.total_s(), 5);
    }

    #[test]
    fn time_inside_a_timer_pause_counts_nothing() {
        let events = [(10, false), (40, true)];
        let p = pauses(&events);
        assert_eq!(p, vec![(10, 40)]);
        let records: Vec<_> = (0..=50).step_by(5).map(|t| rec(t, 130)).collect();
        let h = count_hr(&records, &p, 0, 50);
        assert_eq!(h.total_s(), 20);
    }

    #[test]
    fn records_outside_the_window_are_left_out() {
        let records = [rec(0, 100), rec(10, 130), rec(20, 130), rec(30, 100)];
        let h = count_hr(&records, &[], 10, 20);
        assert_eq!(h.total_s(), 10);
        assert_eq!(h.split(120, 140), (0, 10, 0));
    }

    #[test]
    fn a_stop_without_a_later_start_is_not_a_pause() {
        assert_eq!(pauses(&[(5, false)]), vec![]);
        assert_eq!(
            pauses(&[(0, true), (5, false), (6, false), (9, true)]),
            vec![(5, 9)]
        );
    }

    #[test]
    fn the_file_offset_decides_the_local_date() {
        // 23:30 UTC on 2026-03-02 is already 2026-03-03 in Berlin (UTC+1).
        let start = Utc.with_ymd_and_hms(2026, 3, 2, 23, 30, 0).unwrap();
        let (d, src, _) = local_date(start, Some(3600), None);
        assert_eq!(
            (d.to_string(), src),
            ("2026-03-03".into(), LocalDateSource::File)
        );
        let (d, src, _) = local_date(start, None, Some(chrono_tz::America::New_York));
        assert_eq!(
            (d.to_string(), src),
            ("2026-03-02".into(), LocalDateSource::Flag)
        );
        let (d, src, _) = local_date(start, None, None);
        assert_eq!(
            (d.to_string(), src),
            ("2026-03-02".into(), LocalDateSource::Utc)
        );
    }

    #[test]
    fn a_file_with_records_but_no_session_is_one_session() {
        let mut f = FileData {
            file_type: Some(FILE_TYPE_ACTIVITY),
            ..FileData::default()
        };
        for t in 0..=600 {
            f.push(Msg::Record {
                timestamp: Some(1_000_000_000 + t),
                hr: Some(150),
            });
        }
        let s = f.into_sessions("x.fit", None);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].elapsed_s, 600.0);
        assert_eq!(s[0].hr.split(120, 140), (0, 0, 600));
    }

    #[test]
    fn the_series_breaks_at_dropouts_and_gaps_and_shows_pauses() {
        let mut f = FileData {
            file_type: Some(FILE_TYPE_ACTIVITY),
            ..FileData::default()
        };
        let t0 = 1_000_000_000;
        for (t, hr) in [(0, 130), (60, 0), (120, 140), (300, 150)] {
            f.push(Msg::Record {
                timestamp: Some(t0 + t),
                hr: Some(hr),
            });
        }
        f.timer_events = vec![(t0 + 130, false), (t0 + 190, true)];
        let sessions = f.into_sessions("x.fit", None);
        assert_eq!(sessions.len(), 1);
        let s = sessions[0].hr_records.series();
        assert_eq!(
            s.samples,
            vec![
                (0.0, Some(130.0)),
                (1.0, None),
                (2.0, Some(140.0)),
                (5.0, None),
                (5.0, Some(150.0))
            ]
        );
        assert_eq!(s.pauses, vec![(130.0 / 60.0, 190.0 / 60.0)]);
    }

    #[test]
    fn enum_names_come_from_the_profile() {
        assert_eq!(sport_name(1), "running");
        assert_eq!(sport_name(2), "cycling");
        assert_eq!(manufacturer_name(1), "garmin");
        assert_eq!(file_type_name(4), "activity");
        assert_eq!(product_name(Some(32), 31), "31");
    }
}
