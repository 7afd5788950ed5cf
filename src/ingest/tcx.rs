//! Garmin Training Center (TCX) activities to sessions, read as a stream.
//!
//! Each `Activity` is one session with its laps. A point is a `Trackpoint` with its `Time`
//! and `HeartRateBpm/Value`; a second `Track` inside one lap starts after a pause, a new
//! lap continues. The sport is `Activity@Sport` (`Running`, `Biking`, `Other` become the
//! FIT names `running`, `cycling`, `generic`); the timer time is the laps'
//! `TotalTimeSeconds`, unless they are missing, zero (as some apps write every total) or
//! do not fit the trackpoints (see `xml::Track::finish`): then it is the points' moving
//! time, and `inspect` says so. Names are matched locally, whatever the prefix.

use chrono_tz::Tz;

use super::xml::{self, fit_seconds, parse_hr, Input, Item, Track, XmlActivity};
use super::Verdict;
use crate::session::{Session, SourceFormat};

/// Reads one TCX document (bytes in memory, or a stream read in windows) into sessions
/// with a verdict.
pub fn read<'a>(
    label: &str,
    source: impl Into<Input<'a>>,
    tz: Option<Tz>,
) -> (Verdict, Vec<Session>) {
    parse(source).into_sessions(label, tz, SourceFormat::Tcx, "activity")
}

/// [`read`], with a note per session (same order) when its timer time was taken from the
/// trackpoints rather than from the laps.
pub fn read_noted<'a>(
    label: &str,
    source: impl Into<Input<'a>>,
    tz: Option<Tz>,
) -> (Verdict, Vec<Session>, Vec<Option<String>>) {
    let mut activity = parse(source);
    let notes = std::mem::take(&mut activity.timer_notes);
    let (verdict, sessions) = activity.into_sessions(label, tz, SourceFormat::Tcx, "activity");
    let notes = sessions
        .iter()
        .map(|s| notes.get(s.index).cloned().flatten())
        .collect();
    (verdict, sessions, notes)
}

/// Per-activity state while its laps are read.
#[derive(Default)]
struct Laps {
    track: Track,
    /// A `Track` was already met in the current lap (the next one follows a pause).
    track_in_lap: bool,
    seen_lap: bool,
    timer_s: Option<f64>,
    distance_m: Option<f64>,
}

/// Everything a TCX stream says that we use; stops at the first XML error, keeping what
/// came before it.
pub fn parse<'a>(source: impl Into<Input<'a>>) -> XmlActivity {
    let mut out = XmlActivity::default();
    let mut act: Option<Laps> = None;
    let mut point: Option<(Option<u32>, u8, bool)> = None;
    // The current point's latitude and longitude, as read.
    let mut position: (Option<f64>, Option<f64>) = (None, None);
    out.stopped = xml::walk(source.into(), |item, stream| match item {
        Item::Start => match stream.name() {
            b"Activity" => {
                out.saw_track = true;
                let sport = stream.attr(b"Sport").map(|s| xml::fit_sport_name(&s));
                act = Some(Laps {
                    track: Track {
                        sport: sport.unwrap_or_default(),
                        ..Track::default()
                    },
                    ..Laps::default()
                });
            }
            b"Lap" => {
                if let Some(a) = act.as_mut() {
                    if !a.seen_lap {
                        a.track.declared_start =
                            stream.attr(b"StartTime").and_then(|s| fit_seconds(&s));
                    }
                    a.seen_lap = true;
                    a.track_in_lap = false;
                }
            }
            b"Track" => {
                if let Some(a) = act.as_mut() {
                    a.track.new_segment(a.track_in_lap);
                    a.track_in_lap = true;
                }
            }
            b"Trackpoint" if act.is_some() => {
                point = Some((None, 0, false));
                position = (None, None);
            }
            _ => {}
        },
        Item::End => {
            let parent = stream.name();
            match (stream.closed(), parent) {
                (b"Time", b"Trackpoint") => {
                    if let Some(p) = point.as_mut() {
                        p.2 = true;
                        match fit_seconds(&stream.text()) {
                            Some(t) => p.0 = Some(t),
                            None => out.bad.bad_time(&stream.text()),
                        }
                    }
                }
                (b"Value", b"HeartRateBpm") if stream.ancestor(1) == b"Trackpoint" => {
                    if let Some(p) = point.as_mut() {
                        match parse_hr(&stream.text()) {
                            Some(hr) => p.1 = hr,
                            None => out.bad.bad_hr(&stream.text()),
                        }
                    }
                }
                // Only the first fix is used: later points skip the parse.
                (b"LatitudeDegrees", b"Position") if needs_fix(&act) => {
                    position.0 = xml::degrees(&stream.text())
                }
                (b"LongitudeDegrees", b"Position") if needs_fix(&act) => {
                    position.1 = xml::degrees(&stream.text())
                }
                (b"Trackpoint", _) => {
                    if let (Some((time, hr, had_time)), Some(a)) = (point.take(), act.as_mut()) {
                        a.track.fix(position.0, position.1);
                        match time {
                            Some(ts) => {
                                out.data.records.push((ts, hr));
                                a.track.point(ts);
                                out.bad.timed_points += 1;
                            }
                            None if !had_time => out.bad.untimed_points += 1,
                            None => {}
                        }
                    }
                }
                (b"TotalTimeSeconds", b"Lap") => {
                    if let (Some(a), Some(v)) = (act.as_mut(), number(&stream.text())) {
                        a.timer_s = Some(a.timer_s.unwrap_or(0.0) + v);
                    }
                }
                (b"DistanceMeters", b"Lap") => {
                    if let (Some(a), Some(v)) = (act.as_mut(), number(&stream.text())) {
                        a.distance_m = Some(a.distance_m.unwrap_or(0.0) + v);
                    }
                }
                (b"Name", b"Creator") if stream.ancestor(1) == b"Activity" => {
                    if let Some(a) = act.as_mut() {
                        a.track.product = Some(stream.text().to_string());
                    }
                }
                (b"Activity", _) => {
                    if let Some(a) = act.take() {
                        finish(&mut out, a);
                    }
                }
                _ => {}
            }
        }
    });
    if let Some(a) = act.take() {
        finish(&mut out, a);
    }
    out
}

/// Is the current activity still without a first GPS fix?
fn needs_fix(act: &Option<Laps>) -> bool {
    act.as_ref().is_some_and(|a| a.track.first_fix.is_none())
}

fn finish(out: &mut XmlActivity, a: Laps) {
    let mut track = a.track;
    track.timer_s = a.timer_s;
    track.distance_m = a.distance_m;
    out.push(track);
}

fn number(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tp(t: &str, hr: &str) -> String {
        format!(
            "<Trackpoint><Time>2024-05-01T06:{t}Z</Time><HeartRateBpm><Value>{hr}</Value></HeartRateBpm></Trackpoint>"
        )
    }

    fn doc(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?><TrainingCenterDatabase \
             xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\"><Activities>{body}</Activities></TrainingCenterDatabase>"
        )
    }

    #[test]
    fn an_activity_is_a_session_with_the_laps_timer_time() {
        let body = format!(
            "<Activity Sport=\"Biking\"><Id>2024-05-01T06:00:00Z</Id>\
             <Lap StartTime=\"2024-05-01T06:00:00Z\"><TotalTimeSeconds>20</TotalTimeSeconds>\
             <DistanceMeters>100</DistanceMeters><AverageHeartRateBpm><Value>99</Value></AverageHeartRateBpm>\
             <Track>{}{}</Track></Lap>\
             <Lap StartTime=\"2024-05-01T06:00:20Z\"><TotalTimeSeconds>10.5</TotalTimeSeconds>\
             <DistanceMeters>50</DistanceMeters><Track>{}{}</Track></Lap>\
             <Creator><Name>Forerunner 910XT</Name></Creator></Activity>",
            tp("00:00", "130"),
            tp("00:10", "150"),
            tp("00:20", "150"),
            tp("00:30", "150")
        );
        let (v, s) = read("a.tcx", doc(&body).as_bytes(), None);
        assert_eq!(v, Verdict::Activity);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].sport, "cycling");
        assert_eq!(s[0].timer_s, 30.5);
        assert_eq!(s[0].distance_m, Some(150.0));
        assert_eq!(s[0].product, "Forerunner 910XT");
        assert_eq!(s[0].format, SourceFormat::Tcx);
        // A new lap continues: 10 s at 130, 20 s at 150 across the lap change.
        assert_eq!(s[0].hr.split(120, 140), (0, 10, 20));
        assert_eq!(s[0].pauses, 0);
    }

    #[test]
    fn a_second_track_in_a_lap_follows_a_pause() {
        let body = format!(
            "<Activity Sport=\"Running\"><Lap StartTime=\"2024-05-01T06:00:00Z\">\
             <Track>{}{}</Track><Track>{}{}</Track></Lap></Activity>",
            tp("00:00", "130"),
            tp("00:10", "130"),
            tp("00:40", "130"),
            tp("00:50", "130")
        );
        let (_, s) = read("a.tcx", doc(&body).as_bytes(), None);
        assert_eq!(
            (s[0].hr.total_s(), s[0].pauses, s[0].timer_s),
            (20, 1, 20.0)
        );
        assert_eq!(s[0].sport, "running");
    }

    /// An app's TCX: one lap whose totals are all `0.0`, then 224 points 5 s apart.
    fn zero_totals(lap_total: &str) -> String {
        let points: String = (0..224)
            .map(|i| {
                let t = i * 5;
                tp(&format!("{:02}:{:02}", t / 60, t % 60), "135")
            })
            .collect();
        doc(&format!(
            "<Activity Sport=\"Running\"><Id>2024-05-01T06:00:00Z</Id>\
             <Lap StartTime=\"2024-05-01T06:00:00Z\"><TotalTimeSeconds>{lap_total}</TotalTimeSeconds>\
             <DistanceMeters>0.0</DistanceMeters><Calories>0</Calories>\
             <Track>{points}</Track></Lap></Activity>"
        ))
    }

    #[test]
    fn laps_with_zero_totals_take_the_timer_time_from_the_trackpoints_and_say_so() {
        let (v, s, notes) = read_noted("app.tcx", zero_totals("0.0").as_bytes(), None);
        assert_eq!(v, Verdict::Activity);
        // 224 points 5 s apart span 223 × 5 = 1115 s.
        assert_eq!((s[0].timer_s, s[0].elapsed_s), (1115.0, 1115.0));
        assert_eq!(s[0].hr_s(), 1115);
        assert_eq!(
            notes,
            [Some(
                "timer time 1115 s taken from the trackpoints \
                 (the laps' TotalTimeSeconds add up to 0 s)"
                    .to_string()
            )]
        );
    }

    #[test]
    fn lap_totals_are_kept_within_the_margin_and_replaced_beyond_it() {
        // Table: the lap's TotalTimeSeconds, the timer time read (points: 1115 s).
        let cases = [
            ("1115", 1115.0),
            ("1000", 1000.0), // an auto-pause the points do not show
            ("600", 600.0),   // at least half of the points' time
            ("500", 1115.0),  // under half
            ("1175", 1175.0), // past the points, within a tenth of them
            ("1300", 1115.0), // past the margin
            ("-5", 1115.0),   // not a time
        ];
        for (total, want) in cases {
            let (_, s, notes) = read_noted("a.tcx", zero_totals(total).as_bytes(), None);
            assert_eq!(s[0].timer_s, want, "{total}");
            assert_eq!(
                notes[0].is_some(),
                want != total.parse::<f64>().unwrap(),
                "{total}"
            );
        }
    }

    #[test]
    fn a_word_for_a_heart_rate_is_a_dropout_and_said() {
        let body = format!(
            "<Activity Sport=\"Other\"><Lap StartTime=\"2024-05-01T06:00:00Z\"><Track>{}{}{}</Track></Lap></Activity>",
            tp("00:00", "130"),
            tp("00:10", "high"),
            tp("00:20", "130")
        );
        let (v, s) = read("a.tcx", doc(&body).as_bytes(), None);
        assert_eq!(s[0].hr.total_s(), 10);
        assert_eq!(s[0].sport, "generic");
        match v {
            Verdict::Damaged(why) => assert!(why.contains("\"high\""), "{why}"),
            other => panic!("expected damaged, got {other:?}"),
        }
    }
}
