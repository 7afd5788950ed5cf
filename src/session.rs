//! The session model: one training session as the rest of the pipeline sees it.
//!
//! A session keeps its heart rate as a per-bpm histogram of counted seconds: everything
//! downstream (band minutes for any band, TRIMP, averages, percentiles) is a sum over bpm,
//! and a histogram is 1 KB however long the session. For the session charts it also keeps
//! its records as an [`HrRecords`] of about one byte a record (an hour at one record a
//! second is about 4 KB), so no file is ever read twice.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// Lowest heart rate taken as a real reading; below it (0 included) is a dropout.
pub const HR_VALID_MIN: u8 = 30;
/// Highest heart rate taken as a real reading.
pub const HR_VALID_MAX: u8 = 240;
/// Longest gap between two records over which a heart rate is carried forward.
pub const MAX_HOLD_S: u32 = 60;

/// Where a session's local date came from, in the order the rules are tried (see
/// `ingest::local_date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LocalDateSource {
    /// The file's own activity `local_timestamp` minus `timestamp`.
    File,
    /// The `--tz` zone (or the settings' `tz`) given by the user.
    Flag,
    /// The time zone at the session's first GPS fix.
    Position,
    /// The offset (or zone) of the athlete's own offset-carrying files nearest in time.
    AthleteFiles,
    /// Nothing said otherwise: UTC.
    #[default]
    Utc,
}

impl LocalDateSource {
    /// The name in the sessions table's `local_date_from` column.
    pub fn name(self) -> &'static str {
        match self {
            LocalDateSource::File => "file",
            LocalDateSource::Flag => "tz_flag",
            LocalDateSource::Position => "position",
            LocalDateSource::AthleteFiles => "athlete_files",
            LocalDateSource::Utc => "utc",
        }
    }
}

/// Seconds of valid heart rate per bpm (index = bpm), counted with the HR semantics of
/// the README: each record's value holds until the next record, intervals over 60 s,
/// inside timer pauses or with an invalid reading count nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HrHistogram {
    seconds: Vec<u32>,
}

impl HrHistogram {
    /// Adds `seconds` at `bpm`; invalid readings are ignored (they are dropouts).
    pub fn add(&mut self, bpm: u8, seconds: u32) {
        if !(HR_VALID_MIN..=HR_VALID_MAX).contains(&bpm) || seconds == 0 {
            return;
        }
        if self.seconds.is_empty() {
            self.seconds = vec![0; 256];
        }
        self.seconds[bpm as usize] += seconds;
    }

    /// Seconds with a valid heart rate.
    pub fn total_s(&self) -> u64 {
        self.seconds.iter().map(|&s| s as u64).sum()
    }

    /// `(bpm, seconds)` for every bpm that has time, in ascending bpm order.
    pub fn iter(&self) -> impl Iterator<Item = (u8, u32)> + '_ {
        self.seconds
            .iter()
            .enumerate()
            .filter(|(_, &s)| s > 0)
            .map(|(bpm, &s)| (bpm as u8, s))
    }

    /// Time-weighted mean heart rate, `None` without valid HR.
    pub fn mean(&self) -> Option<f64> {
        let total = self.total_s();
        if total == 0 {
            return None;
        }
        let weighted: u64 = self.iter().map(|(b, s)| b as u64 * s as u64).sum();
        Some(weighted as f64 / total as f64)
    }

    /// Highest heart rate that counted.
    pub fn max(&self) -> Option<u8> {
        self.iter().map(|(b, _)| b).last()
    }

    /// Seconds below `low`, inside `low..=high` and above `high`.
    pub fn split(&self, low: u8, high: u8) -> (u64, u64, u64) {
        let mut out = (0u64, 0u64, 0u64);
        for (bpm, s) in self.iter() {
            let s = s as u64;
            if bpm < low {
                out.0 += s;
            } else if bpm <= high {
                out.1 += s;
            } else {
                out.2 += s;
            }
        }
        out
    }

    /// Merges another histogram into this one (used for percentiles over all sessions).
    pub fn merge(&mut self, other: &HrHistogram) {
        for (bpm, s) in other.iter() {
            self.add(bpm, s);
        }
    }

    /// The heart rate below which `p` (0–1) of the counted time lies.
    pub fn percentile(&self, p: f64) -> Option<u8> {
        let total = self.total_s();
        if total == 0 {
            return None;
        }
        let target = (p.clamp(0.0, 1.0) * total as f64).ceil().max(1.0) as u64;
        let mut acc = 0u64;
        for (bpm, s) in self.iter() {
            acc += s as u64;
            if acc >= target {
                return Some(bpm);
            }
        }
        self.max()
    }
}

/// The file format a session was read from. Of two copies of one activity the FIT one is
/// kept, then the TCX one, then the GPX one, then an Apple Health workout (see
/// `ingest::dedupe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// A FIT file (plain, gzip-compressed or inside a zip).
    #[default]
    Fit,
    /// A GPX track.
    Gpx,
    /// A Garmin Training Center (TCX) file.
    Tcx,
    /// A workout of an Apple Health export (`export.xml`), with the heart-rate records of
    /// its window.
    AppleHealth,
}

/// One training session read from an activity file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    /// The file as given on the command line, joined with the path inside archives.
    pub file: String,
    /// Index of the session in its file (0 for the first).
    pub index: usize,
    /// FIT sport name (`running`, `cycling`, …) or empty when unknown.
    pub sport: String,
    /// FIT sub-sport name or empty when unknown.
    pub sub_sport: String,
    /// Start of the session window.
    pub start_utc: DateTime<Utc>,
    /// The athlete's local date at the start.
    pub local_date: NaiveDate,
    /// Offset of local time from UTC in seconds at the start, when known.
    pub utc_offset_s: Option<i32>,
    /// Where the local date came from.
    pub local_date_source: LocalDateSource,
    /// The first GPS fix `(latitude, longitude)` in degrees, as the file wrote it (not yet
    /// checked for range), when the file has positions.
    pub start_position: Option<(f64, f64)>,
    /// The time zone at the first GPS fix, when it gave the local date.
    pub local_zone: Option<chrono_tz::Tz>,
    /// Timer time (moving, pauses excluded) in seconds.
    pub timer_s: f64,
    /// Elapsed wall-clock time in seconds.
    pub elapsed_s: f64,
    /// Distance in metres, when the file has it.
    pub distance_m: Option<f64>,
    /// Device manufacturer (from `file_id`), empty when unknown.
    pub manufacturer: String,
    /// Device product (from `file_id`), empty when unknown.
    pub product: String,
    /// Workout or sport name written by the device (e.g. "Easy Run"), when present.
    pub name: Option<String>,
    /// Perceived effort 0–10 (FIT `workout_rpe` / 10), when present.
    pub rpe: Option<f64>,
    /// How the athlete felt, 0–100 (FIT `workout_feel`), when present.
    pub feel: Option<f64>,
    /// Number of timer pauses inside the session window.
    pub pauses: usize,
    /// Heart rate, counted with the README's semantics.
    pub hr: HrHistogram,
    /// The heart-rate records of the session's window, for its chart.
    pub hr_records: HrRecords,
    /// The format the session was read from.
    pub format: SourceFormat,
    /// Why the session has no trustworthy date (device clock never set, …); such a session
    /// is listed in `sessions.csv` with empty time columns and left out of the days, the
    /// audit, `today` and the charts. `None` for every normally dated session.
    pub undated: Option<String>,
}

impl Session {
    /// Seconds with valid heart rate.
    pub fn hr_s(&self) -> u64 {
        self.hr.total_s()
    }

    /// Short label used in messages and file names: `2026-09-01 running`.
    pub fn label(&self) -> String {
        let sport = if self.sport.is_empty() {
            "unknown sport"
        } else {
            &self.sport
        };
        format!("{} {}", self.local_date, sport)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropouts_and_impossible_readings_add_nothing() {
        let mut h = HrHistogram::default();
        h.add(0, 10);
        h.add(29, 10);
        h.add(241, 10);
        h.add(255, 10);
        assert_eq!(h.total_s(), 0);
        assert_eq!(h.mean(), None);
        h.add(30, 1);
        h.add(240, 1);
        assert_eq!(h.total_s(), 2);
    }

    #[test]
    fn split_puts_the_band_edges_inside() {
        let mut h = HrHistogram::default();
        h.add(119, 60);
        h.add(120, 60);
        h.add(140, 60);
        h.add(141, 60);
        assert_eq!(h.split(120, 140), (60, 120, 60));
    }

    #[test]
    fn mean_is_time_weighted() {
        let mut h = HrHistogram::default();
        h.add(100, 30);
        h.add(160, 90);
        assert_eq!(h.mean(), Some(145.0));
        assert_eq!(h.max(), Some(160));
    }

    #[test]
    fn percentile_ignores_a_single_spike() {
        let mut h = HrHistogram::default();
        h.add(150, 3600);
        h.add(220, 1);
        assert_eq!(h.percentile(0.99), Some(150));
        assert_eq!(h.percentile(1.0), Some(220));
    }
}

/// One session's heart rate over time, for a chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HrSeries {
    /// (minutes from the start, bpm); `None` breaks the line (dropout or gap over 60 s).
    pub samples: Vec<(f64, Option<f64>)>,
    /// Timer pauses inside the window, in minutes from the start.
    pub pauses: Vec<(f64, f64)>,
}

/// A session's heart-rate records inside its window, kept from the first read in about one
/// byte a record: a record 1–4 s after the one before with a heart rate within −16…+15 bpm
/// of it is one byte (0, the gap − 1 in two bits, the change in five); any other is `0x80`,
/// the gap as a LEB128 varint and the bpm as read (dropouts included).
/// [`HrRecords::series`] gives the chart's series.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HrRecords {
    /// The window's start (FIT seconds): minute 0 of the series.
    start: u32,
    /// The first record's time (FIT seconds).
    first: u32,
    bytes: Vec<u8>,
    /// Where `bytes` went when they were moved out of memory (`ingest::HrStore`): offset
    /// and length.
    stored: Option<(u64, u32)>,
    /// Timer pauses overlapping the window, clipped to it (FIT seconds).
    pauses: Vec<(u32, u32)>,
}

impl HrRecords {
    /// The records of `records` (sorted by time) inside `[start, end]`, and the pauses
    /// (`[stop, start)`) that overlap it.
    pub fn new(start: u32, end: u32, records: &[(u32, u8)], pauses: &[(u32, u32)]) -> HrRecords {
        let lo = records.partition_point(|r| r.0 < start);
        let hi = records.partition_point(|r| r.0 <= end);
        let inside = &records[lo..hi.max(lo)];
        let mut kept = HrRecords {
            start,
            first: inside.first().map_or(start, |r| r.0),
            bytes: Vec::with_capacity(inside.len() * 2),
            stored: None,
            pauses: pauses
                .iter()
                .filter(|&&(a, b)| a.max(start) < b.min(end))
                .map(|&(a, b)| (a.max(start), b.min(end)))
                .collect(),
        };
        let (mut last_t, mut last_bpm) = (kept.first, 0u8);
        for &(t, bpm) in inside {
            let dt = t - last_t;
            let delta = i16::from(bpm) - i16::from(last_bpm);
            if (1..=4).contains(&dt) && (-16..=15).contains(&delta) {
                // The common case in one byte: 0, dt − 1 in two bits, the change in five.
                kept.bytes
                    .push((((dt - 1) as u8) << 5) | (delta as u8 & 0x1f));
            } else {
                kept.bytes.push(0x80);
                let mut rest = dt;
                loop {
                    let byte = (rest & 0x7f) as u8;
                    rest >>= 7;
                    if rest == 0 {
                        kept.bytes.push(byte);
                        break;
                    }
                    kept.bytes.push(byte | 0x80);
                }
                kept.bytes.push(bpm);
            }
            (last_t, last_bpm) = (t, bpm);
        }
        kept.bytes.shrink_to_fit();
        kept
    }

    /// Moves the encoded records out (to be stored at `offset`), leaving the rest.
    pub fn take_bytes(&mut self, offset: u64) -> Vec<u8> {
        let bytes = std::mem::take(&mut self.bytes);
        self.stored = Some((offset, bytes.len() as u32));
        bytes
    }

    /// Where the encoded records were stored, if they were moved out of memory.
    pub fn stored(&self) -> Option<(u64, u32)> {
        self.stored
    }

    /// These records with their encoded bytes back (read from where they were stored).
    pub fn with_bytes(&self, bytes: Vec<u8>) -> HrRecords {
        HrRecords {
            bytes,
            stored: None,
            pauses: self.pauses.clone(),
            ..*self
        }
    }

    /// Drops the records (a command that draws no chart), keeping nothing.
    pub fn clear(&mut self) {
        *self = HrRecords::default();
    }

    /// The records again, as (FIT seconds, bpm).
    pub fn records(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        let mut at = 0;
        let (mut t, mut bpm) = (self.first, 0u8);
        std::iter::from_fn(move || {
            let head = *self.bytes.get(at)?;
            at += 1;
            if head & 0x80 == 0 {
                t += u32::from(head >> 5) + 1;
                // Five bits of two's complement, sign-extended.
                let delta = ((head & 0x1f) as i8) << 3 >> 3;
                bpm = (i16::from(bpm) + i16::from(delta)) as u8;
                return Some((t, bpm));
            }
            let (mut dt, mut shift) = (0u32, 0);
            loop {
                let byte = self.bytes[at];
                at += 1;
                dt |= u32::from(byte & 0x7f) << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    break;
                }
            }
            t += dt;
            bpm = self.bytes[at];
            at += 1;
            Some((t, bpm))
        })
    }

    /// The chart's series: minutes from the window's start; a gap over [`MAX_HOLD_S`]
    /// breaks the line, and a reading outside the valid range is a dropout.
    pub fn series(&self) -> HrSeries {
        let minutes = |t: u32| (t as f64 - self.start as f64) / 60.0;
        let mut out = HrSeries::default();
        let mut last_t: Option<u32> = None;
        for (t, hr) in self.records() {
            if last_t.is_some_and(|l| t - l > MAX_HOLD_S) {
                out.samples.push((minutes(t), None));
            }
            let valid = (HR_VALID_MIN..=HR_VALID_MAX).contains(&hr);
            out.samples.push((minutes(t), valid.then_some(hr as f64)));
            last_t = Some(t);
        }
        out.pauses = self
            .pauses
            .iter()
            .map(|&(a, b)| (minutes(a), minutes(b)))
            .collect();
        out
    }
}

#[cfg(test)]
mod records_tests {
    use super::*;

    #[test]
    fn kept_records_give_back_every_record_in_its_window_in_about_one_byte_each() {
        let records: Vec<(u32, u8)> = (0..4000u32)
            .map(|i| (1000 + i, (100 + i % 80) as u8))
            .chain([(9000, 0), (9001, 250), (200_000, 140)])
            .collect();
        let kept = HrRecords::new(1000, 200_000, &records, &[]);
        assert_eq!(kept.records().collect::<Vec<_>>(), records);
        // One byte a record; three or four for the 50 wraps from 179 to 100 and the jumps.
        assert!(
            kept.bytes.len() <= 4000 + 53 * 3 + 8,
            "{}",
            kept.bytes.len()
        );
        // Only the window's records.
        let part = HrRecords::new(1500, 1509, &records, &[]);
        assert_eq!(
            part.records().collect::<Vec<_>>(),
            records[500..510].to_vec()
        );
    }

    #[test]
    fn every_gap_and_every_change_of_heart_rate_comes_back_as_it_was_read() {
        // Gaps of 0 to 300 s and changes of every size, both ways, dropouts (0) included.
        let mut state = 12345u32;
        let mut next = || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            state >> 8
        };
        let mut t = 5_000u32;
        let mut records = Vec::new();
        for _ in 0..20_000 {
            t += match next() % 10 {
                0 => next() % 300,
                1..=2 => next() % 5,
                _ => 1,
            };
            let bpm = match records.last() {
                Some(&(_, b)) if next() % 4 != 0 => {
                    (i32::from(b) + (next() % 33) as i32 - 16).clamp(0, 255) as u8
                }
                _ => (next() % 256) as u8,
            };
            records.push((t, bpm));
        }
        let kept = HrRecords::new(0, u32::MAX, &records, &[]);
        assert_eq!(kept.records().collect::<Vec<_>>(), records);
        for (dt, from, to) in [
            (1, 0, 255),
            (4, 255, 0),
            (5, 100, 100),
            (1, 100, 84),
            (1, 100, 115),
        ] {
            let r = [(10, from), (10 + dt, to)];
            let kept = HrRecords::new(0, 100, &r, &[]);
            assert_eq!(
                kept.records().collect::<Vec<_>>(),
                r,
                "{dt} s, {from} → {to}"
            );
        }
    }

    #[test]
    fn the_series_breaks_the_line_over_gaps_marks_dropouts_and_clips_pauses() {
        let records = [(100, 120), (110, 0), (171, 130), (172, 250)];
        let kept = HrRecords::new(100, 400, &records, &[(50, 105), (150, 160), (390, 900)]);
        let s = kept.series();
        assert_eq!(
            s.samples,
            vec![
                (0.0, Some(120.0)),
                (10.0 / 60.0, None),
                (71.0 / 60.0, None),
                (71.0 / 60.0, Some(130.0)),
                (72.0 / 60.0, None),
            ]
        );
        assert_eq!(
            s.pauses,
            vec![(0.0, 5.0 / 60.0), (50.0 / 60.0, 1.0), (290.0 / 60.0, 5.0)]
        );
        assert_eq!(
            HrRecords::new(0, 10, &[], &[]).series(),
            HrSeries::default()
        );
    }
}
