//! GPX 1.0 and 1.1 tracks to sessions, read as a stream.
//!
//! Each `trk` is one session and each `trkseg` after the first starts after a pause. A
//! point's heart rate is any `hr` (Garmin's TrackPointExtension, whatever its prefix:
//! `gpxtpx:`, `ns3:`, `tp1:`…) or `heartrate` element inside it, matched by local name.
//! Times are UTC (GPX requires it), so the local date comes from `--tz` as for a FIT file
//! without an offset (see `local_date`: the first `trkpt`'s `lat`/`lon` may place it). The
//! sport is the track's `type`, else the activity list's, else
//! unknown.

use chrono_tz::Tz;

use super::xml::{self, fit_seconds, parse_hr, Input, Item, Track, XmlActivity};
use super::Verdict;
use crate::session::{Session, SourceFormat};

/// Reads one GPX document (bytes in memory, or a stream read in windows) into sessions
/// with a verdict.
pub fn read<'a>(
    label: &str,
    source: impl Into<Input<'a>>,
    tz: Option<Tz>,
) -> (Verdict, Vec<Session>) {
    parse(source).into_sessions(label, tz, SourceFormat::Gpx, "track")
}

/// Everything a GPX stream says that we use; stops at the first XML error, keeping what
/// came before it.
pub fn parse<'a>(source: impl Into<Input<'a>>) -> XmlActivity {
    let mut out = XmlActivity::default();
    let mut track: Option<Track> = None;
    // The current point: its time (if read) and heart rate (0 until read).
    let mut point: Option<(Option<u32>, u8, bool)> = None;
    out.stopped = xml::walk(source.into(), |item, stream| match item {
        Item::Start => match stream.name() {
            b"gpx" if stream.ancestor(1).is_empty() => {
                out.product = stream.attr(b"creator").unwrap_or_default().trim().into();
            }
            b"trk" => {
                out.saw_track = true;
                track = Some(Track::default());
            }
            b"trkseg" => {
                if let Some(t) = track.as_mut() {
                    t.new_segment(true);
                }
            }
            b"trkpt" => {
                if let Some(t) = track.as_mut() {
                    point = Some((None, 0, false));
                    // Only the first fix is used: later points skip the attribute scan.
                    if t.first_fix.is_none() {
                        let coord = |name| stream.attr(name).and_then(|v| xml::degrees(&v));
                        t.fix(coord(b"lat"), coord(b"lon"));
                    }
                }
            }
            _ => {}
        },
        Item::End => {
            let parent = stream.name();
            match (stream.closed(), parent) {
                (b"time", b"trkpt") => {
                    if let Some(p) = point.as_mut() {
                        p.2 = true;
                        match fit_seconds(&stream.text()) {
                            Some(t) => p.0 = Some(t),
                            None => out.bad.bad_time(&stream.text()),
                        }
                    }
                }
                (b"hr" | b"heartrate", _) if stream.inside(b"trkpt") => {
                    if let Some(p) = point.as_mut() {
                        match parse_hr(&stream.text()) {
                            Some(hr) => p.1 = hr,
                            None => out.bad.bad_hr(&stream.text()),
                        }
                    }
                }
                (b"trkpt", _) => {
                    if let (Some((time, hr, had_time)), Some(t)) = (point.take(), track.as_mut()) {
                        match time {
                            Some(ts) => {
                                out.data.records.push((ts, hr));
                                t.point(ts);
                                out.bad.timed_points += 1;
                            }
                            None if !had_time => out.bad.untimed_points += 1,
                            None => {}
                        }
                    }
                }
                (b"name", b"trk") => {
                    if let Some(t) = track.as_mut() {
                        t.name = Some(stream.text().to_string());
                    }
                }
                (b"type", b"trk") => {
                    if let Some(t) = track.as_mut() {
                        t.sport = xml::fit_sport_name(&stream.text());
                    }
                }
                (b"trk", _) => {
                    if let Some(t) = track.take() {
                        out.push(t);
                    }
                }
                _ => {}
            }
        }
    });
    // A file cut short keeps the track it was in.
    if let Some(t) = track.take() {
        out.push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"test\" \
             xmlns=\"http://www.topografix.com/GPX/1/1\" \
             xmlns:x=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\">{body}</gpx>"
        )
    }

    fn pt(t: &str, hr: u8) -> String {
        format!(
            "<trkpt lat=\"1\" lon=\"2\"><time>2024-05-01T06:{t}Z</time>\
             <extensions><x:TrackPointExtension><x:hr>{hr}</x:hr></x:TrackPointExtension></extensions></trkpt>"
        )
    }

    #[test]
    fn a_track_is_a_session_and_each_point_holds_until_the_next() {
        let body = format!(
            "<trk><name>Morning Run</name><type>running</type><trkseg>{}{}{}</trkseg></trk>",
            pt("00:00", 130),
            pt("00:10", 150),
            pt("00:30", 150)
        );
        let (v, s) = read("a.gpx", doc(&body).as_bytes(), None);
        assert_eq!(v, Verdict::Activity);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].sport, "running");
        assert_eq!(s[0].name.as_deref(), Some("Morning Run"));
        assert_eq!(s[0].format, SourceFormat::Gpx);
        assert_eq!(s[0].product, "test");
        assert_eq!(s[0].hr.split(120, 140), (0, 10, 20));
        assert_eq!(s[0].elapsed_s, 30.0);
    }

    #[test]
    fn a_second_segment_starts_after_a_pause() {
        let body = format!(
            "<trk><trkseg>{}{}</trkseg><trkseg>{}{}</trkseg></trk>",
            pt("00:00", 130),
            pt("00:10", 130),
            pt("00:40", 130),
            pt("00:50", 130)
        );
        let (_, s) = read("a.gpx", doc(&body).as_bytes(), None);
        assert_eq!(s[0].hr.total_s(), 20);
        assert_eq!(s[0].pauses, 1);
        assert_eq!((s[0].elapsed_s, s[0].timer_s), (50.0, 20.0));
        assert_eq!(s[0].sport, "");
    }

    #[test]
    fn points_without_heart_rate_are_dropouts() {
        let body = format!(
            "<trk><trkseg>{}<trkpt lat=\"1\" lon=\"2\"><time>2024-05-01T06:00:10Z</time></trkpt>{}</trkseg></trk>",
            pt("00:00", 130),
            pt("00:20", 130)
        );
        let (_, s) = read("a.gpx", doc(&body).as_bytes(), None);
        assert_eq!(s[0].hr.total_s(), 10);
    }
}
