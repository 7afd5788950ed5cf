//! System time: FIT `date_time` values below 0x10000000 count seconds since the device
//! powered on. How such a session is dated (a `timestamp_correlation`, else the activity's
//! wall-clock `local_timestamp`, else not at all), and the one line that tells the user.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::{fit_time, local_date};
use crate::session::LocalDateSource;

/// FIT `date_time` values below this are not dates but seconds since the device powered on
/// (the profile's "system time"): 0x10000000 s after the FIT epoch is 1998-07-05.
pub const SYSTEM_TIME_MAX: u32 = 0x1000_0000;

/// How a file's system times (seconds since the device powered on) become dates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Clock {
    /// By `timestamp_correlation`: UTC = system time + `shift` s; the athlete's UTC offset
    /// from its `local_timestamp` (or the activity's) when either says.
    Correlated {
        shift: i64,
        offset: Option<i32>,
        /// The pair it gives: system time `system` is FIT time `utc`.
        system: u32,
        utc: u32,
    },
    /// By the activity's wall-clock `local_timestamp`: local time = system time + `shift` s.
    /// The UTC instant is unknown unless `--tz` names the zone.
    LocalOnly { shift: i64 },
    /// Nothing dates them.
    Undated,
}

/// Why a session is undated, for `sessions.csv`.
pub const UNDATED_REASON: &str = "device clock not set: its times count seconds since power-on, \
     and the file has no timestamp_correlation or local_timestamp to date them";

/// The time fields of one session.
pub(crate) struct Dated {
    pub start_utc: DateTime<Utc>,
    pub local_date: NaiveDate,
    pub source: LocalDateSource,
    pub utc_offset_s: Option<i32>,
    pub undated: Option<String>,
}

impl Dated {
    /// A session starting at the real instant `start_utc`, its local date from the file's
    /// UTC offset or `--tz`.
    pub(crate) fn at(start_utc: DateTime<Utc>, file_offset: Option<i32>, tz: Option<Tz>) -> Self {
        let (local_date, source, utc_offset_s) = local_date(start_utc, file_offset, tz);
        Dated {
            start_utc,
            local_date,
            source,
            utc_offset_s,
            undated: None,
        }
    }
}

/// Dates a session whose start is system time. With only a wall-clock time and no `--tz`,
/// the wall-clock time stands in for the UTC start (the local date is right; the instant may
/// be off by the unknown offset), the offset is `None` and the source is the file: that pair
/// is how `sessions.csv` knows to leave `start_utc` empty. An undated session keeps its raw
/// system time (on 1989-12-31 or soon after) only to sort; nothing shows it.
pub(crate) fn date_system_time(start: u32, clock: Clock, tz: Option<Tz>) -> Dated {
    match clock {
        Clock::Correlated { shift, offset, .. } => {
            Dated::at(fit_time(shifted(start, shift)), offset, tz)
        }
        Clock::LocalOnly { shift } => {
            let wall = fit_time(shifted(start, shift)).naive_utc();
            let placed = tz.and_then(|tz| {
                let at = tz.from_local_datetime(&wall).earliest()?;
                Some((
                    at.with_timezone(&Utc),
                    (wall - at.naive_utc()).num_seconds() as i32,
                ))
            });
            Dated {
                start_utc: placed.map_or(wall.and_utc(), |p| p.0),
                local_date: wall.date(),
                source: LocalDateSource::File,
                utc_offset_s: placed.map(|p| p.1),
                undated: None,
            }
        }
        Clock::Undated => {
            let start_utc = fit_time(start);
            Dated {
                start_utc,
                local_date: start_utc.date_naive(),
                source: LocalDateSource::Utc,
                utc_offset_s: None,
                undated: Some(UNDATED_REASON.to_string()),
            }
        }
    }
}

/// The one line for the user about a file with system times, naming what dated them.
pub(crate) fn clock_note(
    clock: Clock,
    sessions: &[(DateTime<Utc>, NaiveDate)],
    tz: Option<Tz>,
) -> Option<String> {
    let (first_start, first_date) = *sessions.iter().min()?;
    let n = sessions.len();
    let count = if n == 1 {
        "1 session".to_string()
    } else {
        format!("{n} sessions")
    };
    let head = "its times are system time (seconds since the device powered on), not dates";
    Some(match clock {
        Clock::Correlated { system, utc, .. } => format!(
            "{head}; converted to UTC with its timestamp_correlation message (system time {system} s = {}): {count} dated from {}",
            fit_time(utc).format("%Y-%m-%dT%H:%M:%SZ"),
            first_start.format("%Y-%m-%dT%H:%M:%SZ")
        ),
        Clock::LocalOnly { .. } => format!(
            "{head}, and it has no timestamp_correlation; the local date comes from the activity's local_timestamp: {count} from {first_date}, {}",
            match tz {
                Some(tz) => format!("UTC start placed with --tz {tz}"),
                None => "UTC start unknown (left empty; --tz ZONE would place it)".into(),
            }
        ),
        Clock::Undated => format!(
            "{head}, with no timestamp_correlation or local_timestamp to date them: {count} listed undated in the sessions table and left out of the days, the audit, today and the charts — set the device's clock before recording"
        ),
    })
}

/// `t + shift`, kept inside the FIT time range.
pub(crate) fn shifted(t: u32, shift: i64) -> u32 {
    (t as i64 + shift).clamp(0, u32::MAX as i64) as u32
}

/// Offset of a wall-clock time from its UTC time, rounded to 15 minutes (the finest real
/// zone offset); `None` when implausible (over 14 h).
pub(crate) fn offset_between(utc: u32, local: u32) -> Option<i32> {
    let raw = local as i64 - utc as i64;
    if raw.abs() > 14 * 3600 {
        return None;
    }
    let rounded = ((raw as f64) / 900.0).round() as i64 * 900;
    Some(rounded as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_round_to_15_minutes_and_over_14_hours_is_no_offset() {
        assert_eq!(offset_between(1000, 1000 + 3600 + 100), Some(3600));
        assert_eq!(
            offset_between(100_000, 100_000 - 7 * 3600 + 500),
            Some(-7 * 3600 + 900)
        );
        assert_eq!(offset_between(0, 14 * 3600 + 1), None);
    }

    #[test]
    fn shifts_stay_inside_the_fit_time_range() {
        assert_eq!(shifted(69, 867_551_584), 867_551_653);
        assert_eq!(shifted(5, -10), 0);
        assert_eq!(shifted(u32::MAX, 1), u32::MAX);
    }

    #[test]
    fn each_clock_dates_a_session_its_own_way() {
        // The virb's correlation: system time 69 s is FIT time 867551653, UTC-7.
        let virb = Clock::Correlated {
            shift: 867_551_584,
            offset: Some(-7 * 3600),
            system: 69,
            utc: 867_551_653,
        };
        let d = date_system_time(2, virb, None);
        assert_eq!(d.start_utc.to_rfc3339(), "2017-06-28T02:33:06+00:00");
        assert_eq!(
            (d.local_date.to_string(), d.undated),
            ("2017-06-27".into(), None)
        );
        // A wall clock only: the local date, no UTC offset, the file as source.
        let d = date_system_time(100, Clock::LocalOnly { shift: 698_000_000 }, None);
        assert_eq!(d.local_date.to_string(), "2012-02-12");
        assert_eq!((d.source, d.utc_offset_s), (LocalDateSource::File, None));
        // Nothing: undated, with the reason.
        let d = date_system_time(100, Clock::Undated, None);
        assert_eq!(d.undated.as_deref(), Some(UNDATED_REASON));
    }

    #[test]
    fn the_note_names_what_dated_the_file_and_nothing_without_system_time() {
        let day = NaiveDate::from_ymd_opt(2012, 2, 13).expect("a date");
        let start = fit_time(698_000_000);
        let note = clock_note(Clock::Undated, &[(start, day)], None).expect("a note");
        assert!(note.contains("1 session listed undated"), "{note}");
        assert_eq!(clock_note(Clock::Undated, &[], None), None);
    }
}
