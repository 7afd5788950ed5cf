//! The Strava bulk archive: the last weeks of the same athlete as Strava's "Download your
//! data" writes them, each workout in the format it reached Strava in.
//!
//! The watch's and the bike computer's workouts synced as FIT (`.fit.gz`, the very bytes of
//! `activities/`); four were uploaded by hand or through another platform as GPX or TCX,
//! written here from the same records, so they are the same workouts in another format.

use super::*;
use std::fmt::Write as _;

/// The athlete connected Strava on this Monday (week 8): the archive starts here. Three
/// weeks keep the archive small; the whole period as `.fit.gz` would be ~0.9 MB.
pub(crate) const STRAVA_FROM: (u32, u32) = (10, 19);
/// The first activity's id; later ones count up, as Strava's do.
pub(crate) const FIRST_STRAVA_ID: u64 = 16_204_117_350;
/// The athlete's weight, as Strava repeats it on every row.
const ATHLETE_KG: &str = "68.0";

/// How a workout reached Strava.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Upload {
    /// Synced from the device: the FIT file, gzipped.
    FitGz,
    /// Garmin Connect's TCX export (laps, `HeartRateBpm`), uploaded by hand.
    GarminTcx { gz: bool },
    /// The Wahoo app's TCX export of a ride.
    WahooTcx { gz: bool },
    /// Garmin Connect's GPX export: `ns3:` TrackPointExtension, a `name` and `type`,
    /// fractional-second times, every record.
    GarminGpx { gz: bool },
    /// A phone sync app's GPX: `gpxtpx:` prefix, no `type` or `name`, smart recording.
    AppGpx { gz: bool },
}

/// The workouts that reached Strava as GPX or TCX; every other one is `.fit.gz`.
pub(crate) const XML_UPLOADS: [((u32, u32), Upload); 4] = [
    // A recovery jog: auto laps per km.
    ((10, 21), Upload::GarminTcx { gz: false }),
    // A long ride with a pause at a traffic light: two `Track`s in one lap.
    ((10, 24), Upload::WahooTcx { gz: true }),
    // The run whose strap read 0 bpm for 35 s.
    ((10, 29), Upload::GarminGpx { gz: true }),
    // A run with a pause: two `trkseg`s, points only when something changes.
    ((11, 5), Upload::AppGpx { gz: false }),
];

pub(crate) fn upload_of(date: NaiveDate) -> Upload {
    find(&XML_UPLOADS, date).unwrap_or(Upload::FitGz)
}

impl Upload {
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Upload::FitGz => "fit.gz",
            Upload::GarminTcx { gz } | Upload::WahooTcx { gz } => {
                if gz {
                    "tcx.gz"
                } else {
                    "tcx"
                }
            }
            Upload::GarminGpx { gz } | Upload::AppGpx { gz } => {
                if gz {
                    "gpx.gz"
                } else {
                    "gpx"
                }
            }
        }
    }

    fn gz(self) -> bool {
        self.extension().ends_with(".gz")
    }
}

/// One workout of the archive with what `activities.csv` says about it.
pub(crate) struct StravaActivity<'a> {
    pub(crate) id: u64,
    pub(crate) outing: &'a Outing,
    pub(crate) legs: &'a [SimLeg],
    pub(crate) upload: Upload,
}

impl StravaActivity<'_> {
    pub(crate) fn file_name(&self) -> String {
        format!("activities/{}.{}", self.id, self.upload.extension())
    }

    fn start(&self) -> u32 {
        self.legs[0].session.start_time
    }

    /// The title Strava shows: the device's name for a synced workout (Garmin Connect
    /// passes it on) or one inside the uploaded file, else Strava's own by time of day.
    pub(crate) fn name(&self) -> String {
        match self.upload {
            Upload::FitGz | Upload::GarminGpx { .. } => self.outing.legs[0].name.to_string(),
            _ => {
                let hour = self.outing.start.0;
                let part = match hour {
                    0..=10 => "Morning",
                    11..=13 => "Lunch",
                    14..=16 => "Afternoon",
                    17..=20 => "Evening",
                    _ => "Night",
                };
                format!("{part} {}", strava_type(self.outing))
            }
        }
    }
}

fn strava_type(outing: &Outing) -> &'static str {
    match outing.legs[0].shape.discipline() {
        Discipline::Run => "Run",
        Discipline::Ride => "Ride",
    }
}

/// FIT seconds as Strava's `Activity Date` (UTC, English): `Oct 21, 2026, 5:03:11 AM`.
fn strava_date(fit: u32) -> String {
    let t = utc(fit);
    t.format("%b %-d, %Y, %-I:%M:%S %p").to_string()
}

fn utc(fit: u32) -> DateTime<chrono::Utc> {
    DateTime::from_timestamp(i64::from(fit) + fitwrite::FIT_EPOCH_UNIX, 0)
        .expect("times inside the period")
}

/// ISO 8601 UTC, with `.000` when Garmin Connect writes it.
fn iso(fit: u32, millis: bool) -> String {
    let format = if millis {
        "%Y-%m-%dT%H:%M:%S.000Z"
    } else {
        "%Y-%m-%dT%H:%M:%SZ"
    };
    utc(fit).format(format).to_string()
}

/// `activities.csv`: 36 of Strava's columns (the real file has ~90), by Strava's names, in
/// the order they come in Strava's file; `Elapsed Time`, `Distance` and `Max Heart Rate`
/// repeat, as in Strava's file, the first time in Strava's display units.
pub(crate) fn activities_csv(activities: &[StravaActivity]) -> String {
    let header = [
        "Activity ID",
        "Activity Date",
        "Activity Name",
        "Activity Type",
        "Activity Description",
        "Elapsed Time",
        "Distance",
        "Max Heart Rate",
        "Relative Effort",
        "Commute",
        "Activity Private Note",
        "Activity Gear",
        "Filename",
        "Athlete Weight",
        "Bike Weight",
        "Elapsed Time",
        "Moving Time",
        "Distance",
        "Max Speed",
        "Average Speed",
        "Elevation Gain",
        "Elevation Loss",
        "Elevation Low",
        "Elevation High",
        "Max Grade",
        "Average Grade",
        "Average Positive Grade",
        "Average Negative Grade",
        "Max Cadence",
        "Average Cadence",
        "Max Heart Rate",
        "Average Heart Rate",
        "Max Watts",
        "Average Watts",
        "Calories",
        "Perceived Exertion",
    ];
    let rows = activities.iter().map(|a| {
        let s = &a.legs[0].session;
        let max_hr = s.max_heart_rate.map_or(String::new(), |h| format!("{h}.0"));
        let avg_hr = s.avg_heart_rate.map_or(String::new(), |h| format!("{h}.0"));
        let ride = a.outing.legs[0].shape.discipline() == Discipline::Ride;
        [
            a.id.to_string(),
            strava_date(a.start()),
            a.name(),
            strava_type(a.outing).to_string(),
            String::new(),
            format!("{}", s.total_elapsed_time_s.round()),
            format!("{:.2}", s.total_distance_m / 1000.0),
            max_hr.clone(),
            String::new(),
            "false".to_string(),
            String::new(),
            if ride { "Road bike" } else { "Daily trainers" }.to_string(),
            a.file_name(),
            ATHLETE_KG.to_string(),
            if ride { "8.2" } else { "" }.to_string(),
            format!("{:.1}", s.total_elapsed_time_s),
            format!("{:.1}", s.total_timer_time_s),
            format!("{:.1}", s.total_distance_m),
            format!("{:.3}", s.max_speed_mps),
            format!("{:.3}", s.avg_speed_mps),
            "0.0".to_string(),
            "0.0".to_string(),
            "34.0".to_string(),
            "34.0".to_string(),
            "0.0".to_string(),
            "0.0".to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            max_hr,
            avg_hr,
            String::new(),
            String::new(),
            String::new(),
            // The athlete never rated a workout on Strava: the watch's RPE is Garmin's.
            String::new(),
        ]
    });
    csv_text(header, rows)
}

/// A point on a flat loop around Tempelhofer Feld (a rectangle, longer for rides) at a
/// distance along it, as (lat, lon) in degrees; only `+ - * /`, like the rest.
fn position(distance_m: f64, ride: bool) -> (f64, f64) {
    // Degrees per metre at 52.47° N.
    const LAT_PER_M: f64 = 1.0 / 111_320.0;
    const LON_PER_M: f64 = 1.0 / (111_320.0 * 0.6091);
    let (south, west) = (52.468_0, 13.390_0);
    let scale = if ride { 6.0 } else { 1.0 };
    let (height, width) = (1450.0 * scale, 1900.0 * scale);
    let lap = 2.0 * (height + width);
    let d = distance_m - lap * (distance_m / lap).floor();
    // North along the west side, east along the north side, then back.
    let (north_m, east_m) = if d < height {
        (d, 0.0)
    } else if d < height + width {
        (height, d - height)
    } else if d < 2.0 * height + width {
        (height - (d - height - width), width)
    } else {
        (0.0, width - (d - 2.0 * height - width))
    };
    (south + north_m * LAT_PER_M, west + east_m * LON_PER_M)
}

/// A leg's records as runs between timer pauses: the record at the stop ends a run, the
/// stale ones inside the pause are not written, the one at the restart begins the next.
fn runs(leg: &SimLeg) -> Vec<Vec<&fitwrite::Record>> {
    let mut out: Vec<Vec<&fitwrite::Record>> = vec![Vec::new()];
    for r in &leg.records {
        if let Some((stop, start)) = leg.pause {
            if r.timestamp > stop && r.timestamp < start {
                continue;
            }
            if r.timestamp == start {
                out.push(Vec::new());
            }
        }
        out.last_mut().expect("one run").push(r);
    }
    out
}

/// Smart recording: a point when the heart rate moved 3 bpm or more, when it appears or
/// disappears, after 5 s without one, and at both ends of a run. The heart rate each
/// point carries then holds a little longer, so the band minutes move by seconds while
/// the heart-rate seconds stay the same.
fn smart<'a>(run: &[&'a fitwrite::Record]) -> Vec<&'a fitwrite::Record> {
    let valid = |r: &fitwrite::Record| r.heart_rate.is_some_and(|h| (30..=240).contains(&h));
    let mut out: Vec<&fitwrite::Record> = Vec::new();
    for (i, r) in run.iter().enumerate() {
        let keep = match out.last() {
            None => true,
            Some(last) => {
                i + 1 == run.len()
                    || valid(last) != valid(r)
                    || r.timestamp - last.timestamp >= 5
                    || last
                        .heart_rate
                        .zip(r.heart_rate)
                        .is_some_and(|(a, b)| a.abs_diff(b) >= 3)
            }
        };
        if keep {
            out.push(r);
        }
    }
    out
}

/// The GPX a platform exports for a one-leg outing.
pub(crate) fn gpx(a: &StravaActivity) -> String {
    let garmin = matches!(a.upload, Upload::GarminGpx { .. });
    let leg = &a.legs[0];
    let ride = a.outing.legs[0].shape.discipline() == Discipline::Ride;
    let (prefix, creator) = if garmin {
        ("ns3", "Garmin Connect")
    } else {
        ("gpxtpx", "Sample Sync 3.1 (iPhone)")
    };
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<gpx creator=\"{creator}\" version=\"1.1\" \
         xsi:schemaLocation=\"http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/11.xsd\" \
         xmlns:{prefix}=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
    );
    let _ = writeln!(
        x,
        "  <metadata>\n    <time>{}</time>\n  </metadata>\n  <trk>",
        iso(a.start(), garmin)
    );
    if garmin {
        let _ = writeln!(
            x,
            "    <name>{}</name>\n    <type>{}</type>",
            a.outing.legs[0].name,
            a.outing.legs[0].shape.discipline().name()
        );
    }
    for run in runs(leg) {
        let points = if garmin { run } else { smart(&run) };
        x.push_str("    <trkseg>\n");
        for r in points {
            let (lat, lon) = position(r.distance_m.unwrap_or(0.0), ride);
            let _ = write!(
                x,
                "      <trkpt lat=\"{lat:.7}\" lon=\"{lon:.7}\">\n        <ele>34.0</ele>\n        <time>{}</time>\n",
                iso(r.timestamp, garmin)
            );
            if let Some(hr) = r.heart_rate {
                let _ = write!(
                    x,
                    "        <extensions>\n          <{prefix}:TrackPointExtension>\n            \
                     <{prefix}:hr>{hr}</{prefix}:hr>\n          </{prefix}:TrackPointExtension>\n        \
                     </extensions>\n"
                );
            }
            x.push_str("      </trkpt>\n");
        }
        x.push_str("    </trkseg>\n");
    }
    x.push_str("  </trk>\n</gpx>\n");
    x
}

/// The TCX Garmin Connect or the Wahoo app exports for a one-leg outing: one `Lap` per
/// FIT lap, a second `Track` inside the lap after a timer pause.
pub(crate) fn tcx(a: &StravaActivity) -> String {
    let leg = &a.legs[0];
    let ride = a.outing.legs[0].shape.discipline() == Discipline::Ride;
    let garmin = matches!(a.upload, Upload::GarminTcx { .. });
    let (device, unit, product, version) = if garmin {
        ("Forerunner 955", GARMIN_SERIAL, GARMIN_PRODUCT, (20, 26))
    } else {
        ("ELEMNT BOLT", WAHOO_SERIAL, WAHOO_PRODUCT, (16, 12))
    };
    let mut x = String::new();
    x.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TrainingCenterDatabase \
         xsi:schemaLocation=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 \
         http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd\" \
         xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\" \
         xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <Activities>\n",
    );
    let sport = if ride { "Biking" } else { "Running" };
    let _ = writeln!(
        x,
        "    <Activity Sport=\"{sport}\">\n      <Id>{}</Id>",
        iso(a.start(), garmin)
    );
    let runs = runs(leg);
    for (i, lap) in leg.laps.iter().enumerate() {
        let trigger = match lap.lap_trigger {
            fp::LAP_TRIGGER_DISTANCE => "Distance",
            _ => "Manual",
        };
        let _ = writeln!(
            x,
            "      <Lap StartTime=\"{}\">\n        <TotalTimeSeconds>{:.1}</TotalTimeSeconds>\n        \
             <DistanceMeters>{:.1}</DistanceMeters>",
            iso(lap.start_time, garmin),
            lap.total_timer_time_s,
            lap.total_distance_m
        );
        if let (Some(avg), Some(max)) = (lap.avg_heart_rate, lap.max_heart_rate) {
            let _ = writeln!(
                x,
                "        <AverageHeartRateBpm>\n          <Value>{avg}</Value>\n        </AverageHeartRateBpm>\n        \
                 <MaximumHeartRateBpm>\n          <Value>{max}</Value>\n        </MaximumHeartRateBpm>"
            );
        }
        let _ = writeln!(
            x,
            "        <Intensity>Active</Intensity>\n        <TriggerMethod>{trigger}</TriggerMethod>"
        );
        // The lap's records, as the FIT file has them: after its start up to its end (the
        // first lap also holds the very first record).
        let inside = |r: &&&fitwrite::Record| {
            (r.timestamp > lap.start_time && r.timestamp <= lap.timestamp)
                || (i == 0 && r.timestamp == lap.start_time)
        };
        for run in &runs {
            let points: Vec<&&fitwrite::Record> = run.iter().filter(inside).collect();
            if points.is_empty() {
                continue;
            }
            x.push_str("        <Track>\n");
            for r in points {
                let distance = r.distance_m.unwrap_or(0.0);
                let (lat, lon) = position(distance, ride);
                let _ = write!(
                    x,
                    "          <Trackpoint>\n            <Time>{}</Time>\n            <Position>\n              \
                     <LatitudeDegrees>{lat:.7}</LatitudeDegrees>\n              \
                     <LongitudeDegrees>{lon:.7}</LongitudeDegrees>\n            </Position>\n            \
                     <DistanceMeters>{distance:.1}</DistanceMeters>\n",
                    iso(r.timestamp, garmin)
                );
                if let Some(hr) = r.heart_rate {
                    let _ = write!(
                        x,
                        "            <HeartRateBpm>\n              <Value>{hr}</Value>\n            </HeartRateBpm>\n"
                    );
                }
                x.push_str("          </Trackpoint>\n");
            }
            x.push_str("        </Track>\n");
        }
        x.push_str("      </Lap>\n");
    }
    let _ = writeln!(
        x,
        "      <Creator xsi:type=\"Device_t\">\n        <Name>{device}</Name>\n        <UnitId>{unit}</UnitId>\n        \
         <ProductID>{product}</ProductID>\n        <Version>\n          <VersionMajor>{}</VersionMajor>\n          \
         <VersionMinor>{}</VersionMinor>\n        </Version>\n      </Creator>\n    </Activity>\n  </Activities>\n\
         </TrainingCenterDatabase>",
        version.0, version.1
    );
    x
}

/// Gzip with a fixed header (no time, no name), so it is the same bytes everywhere.
fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut e = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    e.write_all(bytes)?;
    e.finish()
}

/// `strava_export.zip`: `activities.csv` and `activities/`, from [`STRAVA_FROM`] on.
/// `outings` pairs each outing with its simulated legs and its FIT bytes.
pub(crate) fn strava_export(
    outings: &[(&Outing, Vec<SimLeg>, Vec<u8>)],
) -> io::Result<(Vec<u8>, usize)> {
    use zip::CompressionMethod::{Deflated, Stored};
    let from = day(STRAVA_FROM.0, STRAVA_FROM.1);
    let mut activities = Vec::new();
    let mut files = Vec::new();
    for (outing, legs, fit) in outings.iter().filter(|(o, _, _)| o.date >= from) {
        let a = StravaActivity {
            id: FIRST_STRAVA_ID + 3_917 * activities.len() as u64,
            outing,
            legs,
            upload: upload_of(outing.date),
        };
        assert!(
            a.upload == Upload::FitGz || outing.legs.len() == 1,
            "GPX and TCX uploads are of one-leg outings"
        );
        let bytes = match a.upload {
            Upload::FitGz => fit.clone(),
            Upload::GarminTcx { .. } | Upload::WahooTcx { .. } => tcx(&a).into_bytes(),
            Upload::GarminGpx { .. } | Upload::AppGpx { .. } => gpx(&a).into_bytes(),
        };
        let entry = if a.upload.gz() {
            (a.file_name(), gzip(&bytes)?, Stored)
        } else {
            (a.file_name(), bytes, Deflated)
        };
        files.push(entry);
        activities.push(a);
    }
    let mut entries = vec![(
        "activities.csv".to_string(),
        activities_csv(&activities).into_bytes(),
        Deflated,
    )];
    entries.extend(files);
    Ok((zip_bytes(&entries)?, activities.len()))
}
