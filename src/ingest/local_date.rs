//! The local date of a session whose file carries no UTC offset. The rule order, first
//! known wins, and `Session::local_date_source` names which:
//!
//! 1. the file's own offset (set by the readers);
//! 2. `--tz` or the settings' zone (set by the readers);
//! 3. the zone at the first GPS fix of an outdoor activity (not a virtual ride, whose
//!    coordinates are a game world);
//! 4. the athlete's own files: the offset (or, when known, the zone) of the file with an
//!    offset nearest in time;
//! 5. UTC, counted, so the run can say so once and name `--tz`.
//!
//! Rules 3 and 4 need every session of the athlete, so this runs after all files are read
//! and before duplicates are merged and days are built. Nothing here prints: the lines for
//! the user are returned.

use chrono::{DateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::position_zone::{self, Place};
use crate::session::{LocalDateSource, Session};

/// How the kept sessions (duplicates merged) were dated, for the run's messages and
/// summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalDates {
    /// Sessions dated by the zone at their first GPS fix.
    pub by_position: usize,
    /// Sessions dated by the athlete's other files.
    pub by_athlete_files: usize,
    /// Sessions still dated by UTC.
    pub by_utc: usize,
    /// One line per position that could not be used as it stood (out of range, at sea).
    pub problems: Vec<String>,
}

impl LocalDates {
    /// Counts the sessions dated by rules 3 to 5 (call after duplicates are merged).
    pub fn count(&mut self, sessions: &[Session]) {
        let n = |src| {
            sessions
                .iter()
                .filter(|s| s.undated.is_none() && s.local_date_source == src)
                .count()
        };
        self.by_position = n(LocalDateSource::Position);
        self.by_athlete_files = n(LocalDateSource::AthleteFiles);
        self.by_utc = n(LocalDateSource::Utc);
    }

    /// The summary's line on local dates not given by the files or `--tz`; `None` when every
    /// session carried its offset (or `--tz` dated it).
    pub fn summary_line(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.by_position > 0 {
            parts.push(format!(
                "{} from the time zone at their first GPS fix",
                self.by_position
            ));
        }
        if self.by_athlete_files > 0 {
            parts.push(format!(
                "{} from the offset of your own files nearest in time",
                self.by_athlete_files
            ));
        }
        if self.by_utc > 0 {
            parts.push(format!(
                "{} by UTC (nothing placed them: give --tz ZONE to date them by your own day)",
                self.by_utc
            ));
        }
        (!parts.is_empty()).then(|| {
            format!(
                "local dates of sessions whose files carry no UTC offset: {}",
                parts.join("; ")
            )
        })
    }

    /// The one line about sessions dated by UTC, naming `--tz`; `None` when there are none.
    pub fn utc_line(&self) -> Option<String> {
        let n = self.by_utc;
        if n == 0 {
            return None;
        }
        let (count, verb) = if n == 1 {
            ("1 session".to_string(), "its file carries")
        } else {
            (format!("{n} sessions"), "their files carry")
        };
        Some(format!(
            "{count} dated by UTC: {verb} no UTC offset, and no --tz, GPS position or file of \
             yours with an offset placed them, so an evening session may land on the next day; \
             give --tz ZONE (e.g. --tz America/New_York) to date them by your own day"
        ))
    }
}

/// A session that shows the athlete's offset: when it started, its offset, and its zone
/// when known.
#[derive(Debug, Clone, Copy)]
struct Reference {
    start: DateTime<Utc>,
    offset_s: i32,
    zone: Option<Tz>,
    /// The first GPS fix of a file with its own offset, whose zone is looked up only when
    /// this reference is used.
    position: Option<(f64, f64)>,
}

impl Reference {
    /// The offset this reference gives a session starting `at`: its zone's offset then, when
    /// the zone is known (from its position, if that zone agrees with its own offset),
    /// else its own offset.
    fn offset_for(&self, at: DateTime<Utc>) -> i32 {
        let zone = self.zone.or_else(|| {
            let (lat, lon) = self.position?;
            match position_zone::place(lat, lon) {
                Place::Zone(z) if offset_at(z, self.start) == self.offset_s => Some(z),
                _ => None,
            }
        });
        zone.map_or(self.offset_s, |z| offset_at(z, at))
    }
}

/// Applies rules 3 and 4 to every session still dated by UTC. (Rules 1 and 2 were applied
/// when the files were read; `tz` set means rule 2 dated every session without an offset.)
pub fn redate(sessions: &mut [Session], tz: Option<Tz>) -> LocalDates {
    let mut out = LocalDates::default();
    if tz.is_some() {
        return out;
    }
    for s in sessions.iter_mut() {
        if s.undated.is_some() || s.local_date_source != LocalDateSource::Utc || is_virtual(s) {
            continue;
        }
        // (0, 0) is what devices write for "no fix yet", not a ride in the Gulf of Guinea.
        let Some((lat, lon)) = s.start_position.filter(|&p| p != (0.0, 0.0)) else {
            continue;
        };
        let at = format!(
            "{} session {}: first GPS position ({lat}, {lon})",
            s.file, s.index
        );
        let zone = match position_zone::place(lat, lon) {
            Place::Zone(zone) => zone,
            Place::Sea(zone) => {
                out.problems.push(format!(
                    "{at} lies at sea, outside every country's time zone; dated by the nautical zone {} (UTC{})",
                    zone.name(),
                    hours(offset_at(zone, s.start_utc))
                ));
                zone
            }
            Place::OutOfRange => {
                out.problems.push(format!(
                    "{at} is not on Earth (latitude must be within −90…90, longitude within −180…180); not used for its local date"
                ));
                continue;
            }
        };
        place(s, offset_at(zone, s.start_utc), LocalDateSource::Position);
        s.local_zone = Some(zone);
    }
    let mut references: Vec<Reference> = sessions
        .iter()
        .filter(|s| s.undated.is_none())
        .filter(|s| {
            matches!(
                s.local_date_source,
                LocalDateSource::File | LocalDateSource::Position
            )
        })
        .filter_map(|s| {
            Some(Reference {
                start: s.start_utc,
                offset_s: s.utc_offset_s?,
                zone: s.local_zone,
                position: s.start_position.filter(|_| !is_virtual(s)),
            })
        })
        .collect();
    references.sort_by_key(|r| r.start);
    for s in sessions.iter_mut() {
        if s.undated.is_some() || s.local_date_source != LocalDateSource::Utc {
            continue;
        }
        if let Some(r) = nearest(&references, s.start_utc) {
            place(s, r.offset_for(s.start_utc), LocalDateSource::AthleteFiles);
        }
    }
    out
}

/// Virtual rides (Zwift and the like) carry coordinates of a game world, not of the rider:
/// told by the FIT sub-sport, the device or app, or the name.
pub fn is_virtual(s: &Session) -> bool {
    if s.sub_sport == "virtual_activity" || s.sport.contains("virtual") {
        return true;
    }
    let file_name = s.file.rsplit('/').next().unwrap_or(&s.file);
    let words = [
        s.manufacturer.as_str(),
        s.product.as_str(),
        s.name.as_deref().unwrap_or(""),
        file_name,
    ]
    .join(" ")
    .to_lowercase();
    VIRTUAL_WORDS.iter().any(|w| words.contains(w))
}

/// Words in a device, app, activity or file name that mark a virtual ride or run.
const VIRTUAL_WORDS: [&str; 8] = [
    "zwift",
    "virtual",
    "trainerroad",
    "rouvy",
    "mywhoosh",
    "fulgaz",
    "bkool",
    "watopia",
];

/// `+2`, `−3`, `+5:30`: an offset in hours for messages.
fn hours(offset_s: i32) -> String {
    let sign = if offset_s < 0 { '−' } else { '+' };
    let (h, m) = (offset_s.abs() / 3600, offset_s.abs() % 3600 / 60);
    if m == 0 {
        format!("{sign}{h}")
    } else {
        format!("{sign}{h}:{m:02}")
    }
}

/// The reference nearest in time to `at` (the earlier one on a tie); `refs` sorted by start.
fn nearest(refs: &[Reference], at: DateTime<Utc>) -> Option<&Reference> {
    let i = refs.partition_point(|r| r.start < at);
    let before = i.checked_sub(1).and_then(|j| refs.get(j));
    let after = refs.get(i);
    match (before, after) {
        (Some(b), Some(a)) => Some(if at - b.start <= a.start - at { b } else { a }),
        (b, a) => b.or(a),
    }
}

/// The zone's offset from UTC at an instant, in seconds.
fn offset_at(zone: Tz, at: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

/// Dates `s` by `offset_s` and names the rule.
fn place(s: &mut Session, offset_s: i32, source: LocalDateSource) {
    let local = s.start_utc + chrono::Duration::seconds(offset_s as i64);
    s.local_date = local.date_naive();
    s.utc_offset_s = Some(offset_s);
    s.local_date_source = source;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("an RFC 3339 time")
    }

    fn session(start: &str, source: LocalDateSource, offset_h: Option<i32>) -> Session {
        let start_utc = at(start);
        let offset = offset_h.map(|h| h * 3600);
        Session {
            file: format!("{start}.x"),
            start_utc,
            local_date: (start_utc + chrono::Duration::seconds(offset.unwrap_or(0) as i64))
                .date_naive(),
            utc_offset_s: offset,
            local_date_source: source,
            ..Session::default()
        }
    }

    #[test]
    fn a_utc_session_takes_the_offset_of_the_file_nearest_in_time() {
        let mut s = vec![
            session("2018-07-01T12:00:00Z", LocalDateSource::File, Some(-4)),
            session("2018-08-11T01:20:00Z", LocalDateSource::Utc, None),
            session("2018-12-01T12:00:00Z", LocalDateSource::File, Some(-5)),
        ];
        redate(&mut s, None);
        assert_eq!(s[1].local_date.to_string(), "2018-08-10");
        assert_eq!(s[1].utc_offset_s, Some(-4 * 3600));
        assert_eq!(s[1].local_date_source, LocalDateSource::AthleteFiles);
        // The later file is nearer for a session in November.
        let mut s = vec![
            session("2018-07-01T12:00:00Z", LocalDateSource::File, Some(-4)),
            session("2018-11-20T04:30:00Z", LocalDateSource::Utc, None),
            session("2018-12-01T12:00:00Z", LocalDateSource::File, Some(-5)),
        ];
        redate(&mut s, None);
        assert_eq!(
            (s[1].local_date.to_string(), s[1].utc_offset_s),
            ("2018-11-19".into(), Some(-5 * 3600))
        );
    }

    #[test]
    fn a_known_zone_gives_its_offset_for_the_sessions_own_date() {
        let known = Reference {
            start: at("2018-07-01T12:00:00Z"),
            offset_s: -4 * 3600,
            zone: Some(chrono_tz::America::Detroit),
            position: None,
        };
        let winter = at("2018-12-01T03:00:00Z");
        assert_eq!(known.offset_for(winter), -5 * 3600);
        // A file with its own offset and a position in that zone: the zone's rules.
        let placed = Reference {
            zone: None,
            position: Some((42.2808, -83.7430)),
            ..known
        };
        assert_eq!(placed.offset_for(winter), -5 * 3600);
        // A position whose zone disagrees with the file's offset is not trusted.
        let odd = Reference {
            offset_s: 3600,
            ..placed
        };
        assert_eq!(odd.offset_for(winter), 3600);
        // Only an offset: that offset.
        let bare = Reference {
            position: None,
            ..odd
        };
        assert_eq!(
            nearest(&[bare], winter).map(|r| r.offset_for(winter)),
            Some(3600)
        );
    }

    #[test]
    fn with_tz_or_without_any_reference_nothing_changes_and_utc_is_counted() {
        let mut s = vec![session("2018-08-11T01:20:00Z", LocalDateSource::Utc, None)];
        assert_eq!(redate(&mut s, None), LocalDates::default());
        assert_eq!(s[0].local_date.to_string(), "2018-08-11");
        let mut counts = LocalDates::default();
        counts.count(&s);
        assert_eq!((counts.by_utc, counts.by_athlete_files), (1, 0));
        let mut s = vec![
            session("2018-07-01T12:00:00Z", LocalDateSource::File, Some(-4)),
            session("2018-08-11T01:20:00Z", LocalDateSource::Flag, Some(2)),
        ];
        redate(&mut s, Some(chrono_tz::Europe::Berlin));
        assert_eq!(s[1].local_date_source, LocalDateSource::Flag);
        let mut counts = LocalDates::default();
        counts.count(&s);
        assert_eq!(counts.summary_line(), None);
    }

    #[test]
    fn a_position_dates_an_outdoor_session_but_not_a_virtual_ride() {
        let mut s = vec![
            session("2018-08-11T01:41:00Z", LocalDateSource::Utc, None),
            session("2018-08-12T01:41:00Z", LocalDateSource::Utc, None),
        ];
        s[0].start_position = Some((42.2808, -83.7430));
        s[1].start_position = Some((-11.6406, 166.9513));
        s[1].sub_sport = "virtual_activity".into();
        let r = redate(&mut s, None);
        assert_eq!(r.problems, Vec::<String>::new());
        let mut null_island = vec![session("2018-08-11T01:41:00Z", LocalDateSource::Utc, None)];
        null_island[0].start_position = Some((0.0, 0.0));
        assert_eq!(redate(&mut null_island, None), LocalDates::default());
        assert_eq!(null_island[0].local_date_source, LocalDateSource::Utc);
        assert_eq!(
            (s[0].local_date.to_string(), s[0].local_date_source),
            ("2018-08-10".into(), LocalDateSource::Position)
        );
        // The virtual ride takes the outdoor session's zone, at its own instant.
        assert_eq!(
            (s[1].local_date.to_string(), s[1].local_date_source),
            ("2018-08-11".into(), LocalDateSource::AthleteFiles)
        );
    }

    #[test]
    fn virtual_rides_are_told_by_sub_sport_device_or_name() {
        let mut s = Session::default();
        assert!(!is_virtual(&s));
        s.manufacturer = "zwift".into();
        assert!(is_virtual(&s));
        let named = Session {
            file: "export/20180810_zwift_innsbruckring_x2.tcx".into(),
            ..Session::default()
        };
        assert!(is_virtual(&named));
        let outdoor = Session {
            file: "virtual_rides/../2018-08-10_ride.fit".into(),
            sport: "cycling".into(),
            ..Session::default()
        };
        assert!(!is_virtual(&outdoor));
    }

    #[test]
    fn offsets_read_as_hours() {
        assert_eq!(hours(-3 * 3600), "−3");
        assert_eq!(hours(19_800), "+5:30");
        assert_eq!(hours(0), "+0");
    }

    #[test]
    fn the_utc_line_counts_and_names_the_flag() {
        let none = LocalDates::default();
        assert_eq!(none.utc_line(), None);
        let two = LocalDates {
            by_utc: 2,
            ..LocalDates::default()
        };
        let line = two.utc_line().expect("a line");
        assert!(line.starts_with("2 sessions dated by UTC"), "{line}");
        assert!(line.contains("--tz ZONE"), "{line}");
        let summary = two.summary_line().expect("a summary line");
        assert!(
            summary.ends_with(
                "2 by UTC (nothing placed them: give --tz ZONE to date them by your own day)"
            ),
            "{summary}"
        );
    }
}
