//! Small GPX and TCX writers for tests: one track of timed points, each with an optional
//! heart rate and position, written as phone apps and Garmin Connect write them.

use std::fmt::Write as _;

use chrono::{TimeZone, Utc};

/// One track point.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Unix seconds (UTC).
    pub time: i64,
    pub heart_rate: Option<u8>,
    /// `(latitude, longitude)` in degrees, written as is (out-of-range values too).
    pub position: Option<(f64, f64)>,
}

/// One activity: its points, its sport word (`running`, `Biking`…), name and creator.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct XmlTrack {
    pub sport: String,
    pub name: Option<String>,
    /// GPX `creator`, TCX `Creator/Name`.
    pub creator: String,
    pub points: Vec<Point>,
}

impl XmlTrack {
    /// `minutes` of points, one a minute from `start` (Unix s), at `heart_rate`, each at
    /// `position` moved north by 0.001° a minute (or without positions).
    pub fn steady(
        sport: &str,
        start: i64,
        minutes: i64,
        heart_rate: u8,
        position: Option<(f64, f64)>,
    ) -> Self {
        XmlTrack {
            sport: sport.to_string(),
            name: None,
            creator: "samplegen".to_string(),
            points: (0..=minutes)
                .map(|m| Point {
                    time: start + 60 * m,
                    heart_rate: Some(heart_rate),
                    position: position.map(|(lat, lon)| (lat + 0.001 * m as f64, lon)),
                })
                .collect(),
        }
    }
}

fn iso(unix: i64) -> String {
    Utc.timestamp_opt(unix, 0)
        .single()
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// A GPX 1.1 file with one track and one segment.
pub fn gpx(t: &XmlTrack) -> String {
    let mut x = String::new();
    let _ = writeln!(
        x,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx creator=\"{}\" version=\"1.1\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\" \
         xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\">\n  <trk>",
        t.creator
    );
    if let Some(name) = &t.name {
        let _ = writeln!(x, "    <name>{name}</name>");
    }
    let _ = writeln!(x, "    <type>{}</type>\n    <trkseg>", t.sport);
    for p in &t.points {
        match p.position {
            Some((lat, lon)) => {
                let _ = writeln!(x, "      <trkpt lat=\"{lat:.7}\" lon=\"{lon:.7}\">");
            }
            None => x.push_str("      <trkpt>\n"),
        }
        let _ = writeln!(x, "        <time>{}</time>", iso(p.time));
        if let Some(hr) = p.heart_rate {
            let _ = writeln!(
                x,
                "        <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>\
                 </gpxtpx:TrackPointExtension></extensions>"
            );
        }
        x.push_str("      </trkpt>\n");
    }
    x.push_str("    </trkseg>\n  </trk>\n</gpx>\n");
    x
}

/// A TCX file with one activity, one lap and one track.
pub fn tcx(t: &XmlTrack) -> String {
    let start = t.points.first().map_or(0, |p| p.time);
    let mut x = String::new();
    let _ = writeln!(
        x,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TrainingCenterDatabase \
         xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">\n  <Activities>\n    \
         <Activity Sport=\"{}\">\n      <Id>{}</Id>\n      <Lap StartTime=\"{}\">\n        <Track>",
        t.sport,
        iso(start),
        iso(start)
    );
    for p in &t.points {
        let _ = writeln!(
            x,
            "          <Trackpoint>\n            <Time>{}</Time>",
            iso(p.time)
        );
        if let Some((lat, lon)) = p.position {
            let _ = writeln!(
                x,
                "            <Position><LatitudeDegrees>{lat:.7}</LatitudeDegrees>\
                 <LongitudeDegrees>{lon:.7}</LongitudeDegrees></Position>"
            );
        }
        if let Some(hr) = p.heart_rate {
            let _ = writeln!(
                x,
                "            <HeartRateBpm><Value>{hr}</Value></HeartRateBpm>"
            );
        }
        x.push_str("          </Trackpoint>\n");
    }
    let _ = writeln!(
        x,
        "        </Track>\n      </Lap>\n      <Creator><Name>{}</Name></Creator>\n    </Activity>\n  \
         </Activities>\n</TrainingCenterDatabase>",
        t.creator
    );
    x
}
