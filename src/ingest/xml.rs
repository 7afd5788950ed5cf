//! What the GPX and TCX readers share: recognising the format by its root element, reading
//! an XML stream safely (no entity is ever expanded, nothing outside the bytes is touched),
//! times, sport names, and the verdict on a file.
//!
//! Both readers fold what they find into the FIT reader's [`FileData`], so a GPX or TCX
//! session goes through the very same window, pause and heart-rate counting as a FIT one.

use std::io::Read;

use chrono_tz::Tz;
use quick_xml::events::Event;
use quick_xml::Reader;

use super::fit::{FileData, RawSession, FIT_EPOCH_UNIX};
use super::Verdict;
use crate::session::{Session, SourceFormat};

mod stream;

pub use stream::{walk, Input, Item, Node};

/// An XML activity format, told by the root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlFormat {
    /// `<gpx>` (GPX 1.0 or 1.1).
    Gpx,
    /// `<TrainingCenterDatabase>`.
    Tcx,
}

/// How far into a file the root element is looked for (past a declaration, comments and a
/// document type declaration).
const SNIFF_BYTES: usize = 64 * 1024;

/// Could these first bytes of a file be XML? (A byte-order mark or white space, then `<`.)
/// Cheap enough to decide, from a file's head, whether to read it whole.
pub fn may_be_xml(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b) => *b == b'<',
        None => !head.is_empty(),
    }
}

/// The activity format of `bytes`, from its root element's local name (whatever its
/// prefix or namespace); `None` for anything else, XML or not.
pub fn sniff(bytes: &[u8]) -> Option<XmlFormat> {
    if !may_be_xml(&bytes[..bytes.len().min(1024)]) {
        return None;
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let mut reader = Reader::from_reader(head);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                return match e.local_name().as_ref() {
                    b"gpx" => Some(XmlFormat::Gpx),
                    b"TrainingCenterDatabase" => Some(XmlFormat::Tcx),
                    _ => None,
                };
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// [`sniff`] on the first bytes `r` gives (as many as it looks at), for a file read as a
/// stream; `None` too when they cannot be read.
pub fn sniff_start(r: &mut impl Read) -> Option<XmlFormat> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    r.take(SNIFF_BYTES as u64).read_to_end(&mut head).ok()?;
    sniff(&head)
}

/// Parses an XML Schema `dateTime` (`2024-05-01T06:30:00Z`, with optional fractions and a
/// `±hh:mm` offset; without any zone it is taken as UTC, which GPX requires) into FIT
/// seconds. Fractions are dropped, as FIT keeps whole seconds. `None` when it is not a
/// time or lies outside what FIT can hold (1989–2126).
pub fn fit_seconds(text: &str) -> Option<u32> {
    let b = text.trim().as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = b.get(r)?;
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(s.iter().fold(0i64, |n, d| n * 10 + (d - b'0') as i64))
    };
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 24 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = &b[19..];
    if rest.first() == Some(&b'.') {
        let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = &rest[1 + digits..];
    }
    let offset = match rest {
        [] | [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let v = |a: u8, b: u8| ((a - b'0') * 10 + (b - b'0')) as i64;
            let off = v(*h1, *h2) * 3600 + v(*m1, *m2) * 60;
            if *sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return None,
    };
    let days = chrono::NaiveDate::from_ymd_opt(y as i32, mo as u32, d as u32)?
        .signed_duration_since(chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?)
        .num_days();
    let unix = days * 86_400 + h * 3600 + mi * 60 + s - offset;
    u32::try_from(unix - FIT_EPOCH_UNIX).ok()
}

/// A coordinate in degrees (`None` when it is not a number; the range is checked where it
/// is used).
pub fn degrees(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A sport as written by GPX `type`, TCX `Sport` or a Strava activity list, as the FIT
/// profile names it (`Run` → `running`, `Biking` → `cycling`, `Other` → `generic`);
/// unknown words are kept, lower-cased, with `_` for spaces.
pub fn fit_sport_name(text: &str) -> String {
    let t = text.trim().to_ascii_lowercase();
    let t: String = t
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    match t.as_str() {
        "run" | "running" | "trailrun" | "trail_run" | "virtualrun" | "virtual_run" => "running",
        "ride" | "cycling" | "biking" | "bike" | "virtualride" | "virtual_ride" | "ebikeride"
        | "e_bike_ride" | "mountainbikeride" | "gravelride" | "road_biking" => "cycling",
        "walk" | "walking" => "walking",
        "hike" | "hiking" => "hiking",
        "swim" | "swimming" => "swimming",
        "row" | "rowing" => "rowing",
        "other" | "workout" | "generic" => "generic",
        // Garmin Connect writes the FIT sport number in GPX `type` on some exports.
        "1" => "running",
        "2" => "cycling",
        "0" => "generic",
        other => other,
    }
    .to_string()
}

/// Counted problems with values inside an otherwise readable file.
#[derive(Debug, Default)]
pub struct BadValues {
    /// Heart-rate values that are not whole numbers, and the first one.
    pub hr: (usize, String),
    /// Times that are not times, and the first one.
    pub time: (usize, String),
    /// Track points without a time at all.
    pub untimed_points: usize,
    /// Track points with a time.
    pub timed_points: usize,
}

impl BadValues {
    pub fn bad_hr(&mut self, text: &str) {
        if self.hr.0 == 0 {
            self.hr.1 = shorten(text);
        }
        self.hr.0 += 1;
    }

    pub fn bad_time(&mut self, text: &str) {
        if self.time.0 == 0 {
            self.time.1 = shorten(text);
        }
        self.time.0 += 1;
    }

    fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.hr.0 > 0 {
            parts.push(format!(
                "{} heart-rate value(s) are not numbers (first: \"{}\"), read as dropouts",
                self.hr.0, self.hr.1
            ));
        }
        if self.time.0 > 0 {
            parts.push(format!(
                "{} time(s) cannot be read (first: \"{}\"), those points left out",
                self.time.0, self.time.1
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

fn shorten(text: &str) -> String {
    let t: String = text.chars().take(40).collect();
    if t.len() < text.len() {
        format!("{t}…")
    } else {
        t
    }
}

/// Parses a heart rate as written in GPX and TCX: a whole number (a decimal point is
/// tolerated and rounded); out of `u8` range reads as a dropout (0).
pub fn parse_hr(text: &str) -> Option<u8> {
    let t = text.trim();
    if let Ok(v) = t.parse::<u32>() {
        return Some(u8::try_from(v).unwrap_or(0));
    }
    let v: f64 = t.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    Some(if v > 255.0 { 0 } else { v.round() as u8 })
}

/// One session as a GPX track or a TCX activity describes it, before the HR semantics.
#[derive(Debug, Default)]
pub struct Track {
    pub name: Option<String>,
    /// The recording device, when the file names one per session (TCX `Creator`).
    pub product: Option<String>,
    /// FIT sport name, empty when unknown.
    pub sport: String,
    /// `(first, last)` time of each run of points without a gap (a GPX `trkseg`, a TCX
    /// `Track`), in file order.
    pub segments: Vec<(u32, u32)>,
    /// Whether a segment boundary is a pause (GPX `trkseg`, TCX `Track` in one lap) or
    /// continuous (a new TCX lap); one per segment after the first.
    pub breaks: Vec<bool>,
    /// A declared start (TCX `Lap@StartTime` of the first lap) used when no later than
    /// the first point.
    pub declared_start: Option<u32>,
    /// Timer time from TCX laps' `TotalTimeSeconds`, when any lap has it.
    pub timer_s: Option<f64>,
    /// Distance from TCX laps' `DistanceMeters`.
    pub distance_m: Option<f64>,
    /// The first point's `(latitude, longitude)` in degrees, as written.
    pub first_fix: Option<(f64, f64)>,
}

impl Track {
    /// Starts a new run of points; `pause` says whether the boundary is a pause.
    pub fn new_segment(&mut self, pause: bool) {
        if !self.segments.is_empty() {
            self.breaks.push(pause);
        }
        self.segments.push((u32::MAX, 0));
    }

    /// Notes a point's position; the first one is kept.
    pub fn fix(&mut self, lat: Option<f64>, lon: Option<f64>) {
        if let (None, Some(lat), Some(lon)) = (self.first_fix, lat, lon) {
            self.first_fix = Some((lat, lon));
        }
    }

    /// Notes a point's time in the current segment.
    pub fn point(&mut self, t: u32) {
        if self.segments.is_empty() {
            self.segments.push((u32::MAX, 0));
        }
        let seg = self.segments.last_mut().expect("just ensured");
        seg.0 = seg.0.min(t);
        seg.1 = seg.1.max(t);
    }

    /// Folds this track into `data` as one session with its pauses (gaps between
    /// segments); `None` when it has no timed point and no declared start.
    pub fn finish(self, data: &mut FileData) -> Option<Folded> {
        let mut first: Option<u32> = None;
        let mut last: Option<u32> = None;
        let mut paused = 0u64;
        let mut prev_end: Option<u32> = None;
        for (i, &(a, b)) in self.segments.iter().enumerate() {
            let is_pause = i > 0 && self.breaks.get(i - 1).copied().unwrap_or(true);
            if a > b {
                continue; // a segment without timed points
            }
            if let (true, Some(end)) = (is_pause, prev_end) {
                if a > end {
                    data.timer_events.push((end, false));
                    data.timer_events.push((a, true));
                    paused += (a - end) as u64;
                }
            }
            first = Some(first.map_or(a, |f| f.min(a)));
            last = Some(last.map_or(b, |l| l.max(b)));
            prev_end = Some(prev_end.map_or(b, |p| p.max(b)));
        }
        let start = match (self.declared_start, first) {
            (Some(d), Some(f)) if d <= f && f - d <= 3600 => d,
            (_, Some(f)) => f,
            (Some(d), None) => d,
            (None, None) => return None,
        };
        let end = last.unwrap_or(start).max(start);
        let elapsed = (end - start) as f64;
        let moving = (elapsed - paused as f64).max(0.0);
        let (timer, timer_note) = match (self.timer_s, first) {
            // No points to measure: the laps' word is all there is.
            (laps, None) => (laps.unwrap_or(0.0), None),
            (Some(laps), Some(_)) if laps_agree(laps, moving, elapsed) => (laps, None),
            (laps, Some(_)) => (moving, Some(timer_note(laps, moving))),
        };
        data.sessions.push(RawSession {
            start_time: Some(start),
            timestamp: Some(end),
            total_elapsed_time: Some(elapsed),
            total_timer_time: Some(timer),
            total_distance: self.distance_m,
            ..RawSession::default()
        });
        Some(Folded { timer_note })
    }
}

/// A track folded into a session.
#[derive(Debug, Default)]
pub struct Folded {
    /// Why the timer time was taken from the points and not from the laps, when it was.
    pub timer_note: Option<String>,
}

/// Do the laps' `TotalTimeSeconds` fit the points? Apps write `0.0` for every total, and
/// a sum can be plain wrong; a watch's auto-pause stops the timer while the points may run
/// on in one `Track` (a stop at a crossing, a café), so the laps may fall short of the
/// points' moving time — but not below half of it, and never past the points' whole span
/// by more than a minute (or a tenth of it).
fn laps_agree(laps: f64, moving: f64, elapsed: f64) -> bool {
    laps > 0.0 && laps >= moving / 2.0 && laps <= elapsed + (elapsed / 10.0).max(60.0)
}

fn timer_note(laps: Option<f64>, moving: f64) -> String {
    let laps = match laps {
        None => "the laps give no TotalTimeSeconds".to_string(),
        Some(l) if l <= 0.0 => "the laps' TotalTimeSeconds add up to 0 s".to_string(),
        Some(l) => {
            format!("the laps' TotalTimeSeconds add up to {l:.0} s, which does not fit the points")
        }
    };
    format!("timer time {moving:.0} s taken from the trackpoints ({laps})")
}

/// A session's name, sport, device and first position.
pub type Meta = (Option<String>, String, Option<String>, Option<(f64, f64)>);

/// What a GPX or TCX reader hands over: the FIT-shaped data, the names and sports of its
/// sessions, the device (creator) and what went wrong.
#[derive(Debug, Default)]
pub struct XmlActivity {
    pub data: FileData,
    /// Name, sport, device and first position per session in `data.sessions`, same order.
    pub meta: Vec<Meta>,
    /// Per session, same order: why its timer time came from the points, if it did.
    pub timer_notes: Vec<Option<String>>,
    /// The creating device or program of the whole file (GPX `creator`).
    pub product: String,
    /// Why reading stopped early (malformed or cut-short XML, a refused DTD).
    pub stopped: Option<String>,
    pub bad: BadValues,
    /// Was anything of a session seen at all (a `trk`, an `Activity`)?
    pub saw_track: bool,
}

impl XmlActivity {
    /// Adds a finished track as a session.
    pub fn push(&mut self, track: Track) {
        let meta = (
            track.name.clone(),
            track.sport.clone(),
            track.product.clone(),
            track.first_fix,
        );
        if let Some(folded) = track.finish(&mut self.data) {
            self.meta.push(meta);
            self.timer_notes.push(folded.timer_note);
        }
    }

    /// Sessions and the verdict, with the FIT reader's heart-rate semantics.
    pub fn into_sessions(
        self,
        label: &str,
        tz: Option<Tz>,
        format: SourceFormat,
        what: &str,
    ) -> (Verdict, Vec<Session>) {
        let XmlActivity {
            data,
            meta,
            timer_notes: _,
            product,
            stopped,
            bad,
            saw_track,
        } = self;
        let mut sessions = data.into_sessions(label, tz);
        for s in &mut sessions {
            let (name, sport, device, fix) = meta.get(s.index).cloned().unwrap_or_default();
            s.start_position = fix;
            s.name = name.filter(|n| !n.trim().is_empty());
            s.sport = sport;
            s.sub_sport = String::new();
            s.product = device.unwrap_or_else(|| product.clone());
            s.format = format;
        }
        let problems = [stopped.clone(), bad.describe()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; ");
        if sessions.is_empty() {
            let why = if !problems.is_empty() {
                problems
            } else if bad.untimed_points > 0 && bad.timed_points == 0 {
                format!(
                    "its {} track points have no time, so they cannot be placed in time \
                     (a planned route rather than a recording?)",
                    bad.untimed_points
                )
            } else if saw_track {
                format!("its {what} has no timed points")
            } else {
                return (
                    Verdict::NotActivity(format!(
                        "a {} file without a recorded {what}",
                        fmt_name(format)
                    )),
                    sessions,
                );
            };
            return (Verdict::Unreadable(why), sessions);
        }
        if problems.is_empty() {
            (Verdict::Activity, sessions)
        } else {
            (Verdict::Damaged(problems), sessions)
        }
    }
}

fn fmt_name(f: SourceFormat) -> &'static str {
    match f {
        SourceFormat::Fit => "FIT",
        SourceFormat::Gpx => "GPX",
        SourceFormat::Tcx => "TCX",
        SourceFormat::AppleHealth => "Apple Health",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_element_tells_the_format_whatever_its_prefix() {
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<gpx version=\"1.1\"/>"),
            Some(XmlFormat::Gpx)
        );
        assert_eq!(
            sniff(b"\xEF\xBB\xBF<!-- c --><t:TrainingCenterDatabase xmlns:t=\"x\"></t:TrainingCenterDatabase>"),
            Some(XmlFormat::Tcx)
        );
        assert_eq!(sniff(b"<kml></kml>"), None);
        assert_eq!(sniff(b".FIT"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn times_are_utc_unless_they_say_otherwise() {
        let base = fit_seconds("2024-05-01T06:30:00Z").expect("a time");
        assert_eq!(fit_seconds("2024-05-01T06:30:00.999Z"), Some(base));
        assert_eq!(fit_seconds("2024-05-01T06:30:00"), Some(base));
        assert_eq!(fit_seconds("2024-05-01T08:30:00+02:00"), Some(base));
        assert_eq!(fit_seconds("2024-05-01T01:30:00-05:00"), Some(base));
        assert_eq!(fit_seconds(" 2024-05-01T06:30:01Z\n"), Some(base + 1));
        // 2024-05-01T06:30:00Z is 1714545000 Unix seconds.
        assert_eq!(base as i64 + FIT_EPOCH_UNIX, 1_714_545_000);
        for bad in [
            "",
            "yesterday",
            "2024-13-01T00:00:00Z",
            "2024-05-01T06:30:00Q",
            "1970-01-01T00:00:00Z",
        ] {
            assert_eq!(fit_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_agree_with_chrono_wherever_chrono_reads_them() {
        let unix = |text: &str| fit_seconds(text).map(|s| s as i64 + FIT_EPOCH_UNIX);
        for text in [
            "2024-05-01T06:30:00Z",
            "2024-05-01T06:30:00.5Z",
            "2024-05-01T06:30:00.123456789Z",
            "2024-05-01t06:30:00z",
            "2024-05-01T08:30:00+02:00",
            "2024-05-01T01:30:00-05:00",
            "2024-05-01T06:30:00.250+05:45",
            "2024-02-29T23:59:59Z",
            "2023-12-31T23:59:59-00:30",
            "1990-01-01T00:00:00Z",
            "2100-02-28T12:00:00Z",
        ] {
            let chrono = chrono::DateTime::parse_from_rfc3339(text).expect(text);
            assert_eq!(unix(text), Some(chrono.timestamp()), "{text}");
        }
        // Without a zone a time is UTC (GPX requires UTC; chrono reads it as naive).
        for text in ["2024-05-01T06:30:00", "2024-05-01T06:30:00.999"] {
            let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f");
            assert_eq!(unix(text), Some(naive.expect(text).and_utc().timestamp()));
        }
        // Neither reads these.
        for text in [
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-05-01T06:30Z",
            "2024-05-01T06:30:00+0200",
            "2024-05-01T06:30:00.Z",
            "24-05-01T06:30:00Z",
            "2024-05-01T06:61:00Z",
            "2024-05-01T06:30:00 Z",
            "\u{FF12}\u{FF10}\u{FF12}\u{FF14}-05-01T06:30:00Z",
        ] {
            assert!(
                chrono::DateTime::parse_from_rfc3339(text).is_err(),
                "{text}"
            );
            assert_eq!(fit_seconds(text), None, "{text}");
        }
    }

    #[test]
    fn sports_take_the_fit_profile_names() {
        for (word, fit) in [
            ("Running", "running"),
            ("Run", "running"),
            ("Biking", "cycling"),
            ("Ride", "cycling"),
            ("Other", "generic"),
            ("Nordic Ski", "nordic_ski"),
        ] {
            assert_eq!(fit_sport_name(word), fit, "{word}");
        }
    }

    #[test]
    fn heart_rates_are_whole_numbers_and_words_are_not() {
        assert_eq!(parse_hr(" 142 "), Some(142));
        assert_eq!(parse_hr("142.6"), Some(143));
        assert_eq!(parse_hr("300"), Some(0));
        assert_eq!(parse_hr("high"), None);
        assert_eq!(parse_hr("\u{FFFD}"), None);
    }
}
