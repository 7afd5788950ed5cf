//! An Apple Health export writer (`export.zip` → `apple_health_export/export.xml` and
//! `workout-routes/`), with the quirks real exports have: the inline DTD malformed as iOS 16
//! writes it (an `ATTLIST` without its `>`), a stray `\x0b` in a value, dates with their UTC
//! offset (`2026-09-01 07:04:44 +0200`), records ordered by type (heart rate long before the
//! workouts), sleep written both as a generic `Asleep` and as stages, phone and watch
//! sources. Used by the sample athlete and by the tests.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, FixedOffset};

/// The watch, as an export names it.
pub const WATCH: &str = "Sam’s Apple Watch";
/// The phone.
pub const PHONE: &str = "Sam’s iPhone";
const WATCH_DEVICE: &str = "&lt;&lt;HKDevice: 0x3001c2a80&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.6&gt;";

/// The head of an iOS 16+ export: the DTD's `VisionPrescription` ATTLIST lacks its `>`.
pub const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT VisionPrescription ((RightEye|LeftEye|Attachment|MetadataEntry)*)>
<!ATTLIST VisionPrescription
  type             CDATA #REQUIRED
  dateIssued       CDATA #REQUIRED
  expirationDate   CDATA #IMPLIED
  brand            CDATA #IMPLIED
<!ELEMENT RightEye EMPTY>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
]>
"#;

/// `2026-09-01 07:04:44 +0200`: the local time and its offset, as exports write dates.
pub fn apple_date(unix: i64, offset_s: i32) -> String {
    let off = FixedOffset::east_opt(offset_s).expect("a real offset");
    DateTime::from_timestamp(unix, 0)
        .expect("a real time")
        .with_timezone(&off)
        .format("%Y-%m-%d %H:%M:%S %z")
        .to_string()
}

/// One `Record` line as an export writes it (dates already formatted).
pub fn record_line(
    ty: &str,
    unit: Option<&str>,
    value: &str,
    source: &str,
    start: &str,
    end: &str,
) -> String {
    let device = if source == WATCH {
        format!(" device=\"{WATCH_DEVICE}\"")
    } else {
        String::new()
    };
    let unit = unit.map(|u| format!(" unit=\"{u}\"")).unwrap_or_default();
    format!(
        "  <Record type=\"{ty}\" sourceName=\"{}\" sourceVersion=\"10.6\"{device}{unit} creationDate=\"{end}\" startDate=\"{start}\" endDate=\"{end}\" value=\"{value}\"/>\n",
        esc(source)
    )
}

/// One workout to write.
#[derive(Debug, Clone)]
pub struct Workout {
    /// `HKWorkoutActivityTypeRunning`, …
    pub activity: String,
    /// Unix seconds.
    pub start: i64,
    pub end: i64,
    pub offset_s: i32,
    /// Pauses `[stop, resume)`, Unix seconds.
    pub pauses: Vec<(i64, i64)>,
    pub source: String,
    /// A route file name under `workout-routes/`, if it has one.
    pub route: Option<String>,
    pub distance_km: Option<f64>,
}

/// An `export.xml` being written.
#[derive(Debug, Default)]
pub struct Export {
    /// Records by type: the export orders them by type.
    records: BTreeMap<String, Vec<String>>,
    workouts: Vec<String>,
}

impl Export {
    pub fn new() -> Self {
        Export::default()
    }

    /// A record of any type, its fields as written (dates already formatted).
    pub fn record(
        &mut self,
        ty: &str,
        unit: Option<&str>,
        value: &str,
        source: &str,
        start: &str,
        end: &str,
    ) {
        let line = record_line(ty, unit, value, source, start, end);
        self.records.entry(ty.to_string()).or_default().push(line);
    }

    /// A heart-rate sample of the watch.
    pub fn hr(&mut self, unix: i64, offset_s: i32, bpm: f64) {
        let d = apple_date(unix, offset_s);
        let value = if bpm.fract() == 0.0 {
            format!("{bpm:.0}")
        } else {
            format!("{bpm}")
        };
        self.record(
            "HKQuantityTypeIdentifierHeartRate",
            Some("count/min"),
            &value,
            WATCH,
            &d,
            &d,
        );
    }

    /// A sleep segment: `stage` is the value's tail (`AsleepCore`, `Asleep`, `InBed`, …).
    pub fn sleep(&mut self, start: i64, end: i64, offset_s: i32, stage: &str, source: &str) {
        self.record(
            "HKCategoryTypeIdentifierSleepAnalysis",
            None,
            &format!("HKCategoryValueSleepAnalysis{stage}"),
            source,
            &apple_date(start, offset_s),
            &apple_date(end, offset_s),
        );
    }

    /// The watch's resting heart rate of a day, measured at `unix`.
    pub fn resting_hr(&mut self, unix: i64, offset_s: i32, bpm: f64) {
        let d = apple_date(unix, offset_s);
        self.record(
            "HKQuantityTypeIdentifierRestingHeartRate",
            Some("count/min"),
            &format!("{bpm}"),
            WATCH,
            &d,
            &d,
        );
    }

    /// An SDNN reading of the watch at `unix`.
    pub fn sdnn(&mut self, unix: i64, offset_s: i32, ms: f64) {
        let start = apple_date(unix, offset_s);
        let end = apple_date(unix + 60, offset_s);
        self.record(
            "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
            Some("ms"),
            &format!("{ms}"),
            WATCH,
            &start,
            &end,
        );
    }

    /// A workout with its pauses as `WorkoutEvent`s, heart-rate statistics and its route.
    pub fn workout(&mut self, w: &Workout) {
        let paused: i64 = w.pauses.iter().map(|(a, b)| b - a).sum();
        let minutes = (w.end - w.start - paused) as f64 / 60.0;
        let d = |t| apple_date(t, w.offset_s);
        let mut x = format!(
            " <Workout workoutActivityType=\"{}\" duration=\"{minutes:.6}\" durationUnit=\"min\" sourceName=\"{}\" sourceVersion=\"10.6\" creationDate=\"{}\" startDate=\"{}\" endDate=\"{}\">\n",
            w.activity,
            esc(&w.source),
            d(w.end),
            d(w.start),
            d(w.end)
        );
        x.push_str("  <MetadataEntry key=\"HKIndoorWorkout\" value=\"0\"/>\n");
        for &(a, b) in &w.pauses {
            x.push_str(&format!(
                "  <WorkoutEvent type=\"HKWorkoutEventTypePause\" date=\"{}\"/>\n  <WorkoutEvent type=\"HKWorkoutEventTypeResume\" date=\"{}\"/>\n",
                d(a),
                d(b)
            ));
        }
        if let Some(km) = w.distance_km {
            x.push_str(&format!(
                "  <WorkoutStatistics type=\"HKQuantityTypeIdentifierDistanceWalkingRunning\" startDate=\"{}\" endDate=\"{}\" sum=\"{km:.3}\" unit=\"km\"/>\n",
                d(w.start),
                d(w.end)
            ));
        }
        if let Some(route) = &w.route {
            x.push_str(&format!(
                "  <WorkoutRoute sourceName=\"{}\" sourceVersion=\"10.6\" creationDate=\"{}\" startDate=\"{}\" endDate=\"{}\">\n   <FileReference path=\"/workout-routes/{route}\"/>\n  </WorkoutRoute>\n",
                esc(&w.source),
                d(w.end),
                d(w.start),
                d(w.end)
            ));
        }
        x.push_str(" </Workout>\n");
        self.workouts.push(x);
    }

    /// The document: head and DTD, `ExportDate`, `Me`, the records by type, the workouts.
    pub fn finish(&self, export_date: &str) -> Vec<u8> {
        let mut out = String::from(HEAD);
        out.push_str("<HealthData locale=\"en_DE\">\n");
        out.push_str(&format!(" <ExportDate value=\"{export_date}\"/>\n"));
        // A stray vertical tab, as some exports carry in free-text values.
        out.push_str(" <Me HKCharacteristicTypeIdentifierDateOfBirth=\"1990-04-12\" HKCharacteristicTypeIdentifierBiologicalSex=\"HKBiologicalSexFemale\" HKCharacteristicTypeIdentifierBloodType=\"HKBloodTypeNotSet\" HKCharacteristicTypeIdentifierFitzpatrickSkinType=\"HKFitzpatrickSkinTypeNotSet\" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse=\"None\u{b}\"/>\n");
        for lines in self.records.values() {
            for l in lines {
                out.push_str(l);
            }
        }
        for w in &self.workouts {
            out.push_str(w);
        }
        out.push_str("</HealthData>\n");
        out.into_bytes()
    }
}

/// A route file: positions only, no heart rate, as the export writes them.
pub fn route_gpx(start: i64, points: usize) -> Vec<u8> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"Apple Health Export\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n <trk><name>Route</name><trkseg>\n",
    );
    for i in 0..points {
        let t = DateTime::from_timestamp(start + 10 * i as i64, 0)
            .expect("a real time")
            .format("%Y-%m-%dT%H:%M:%SZ");
        out.push_str(&format!(
            "  <trkpt lon=\"13.{:04}\" lat=\"52.5200\"><ele>34.0</ele><time>{t}</time></trkpt>\n",
            i % 10_000
        ));
    }
    out.push_str(" </trkseg></trk>\n</gpx>\n");
    out.into_bytes()
}

/// `export.zip`: `apple_health_export/export.xml`, an `export_cda.xml` and the routes.
pub fn zip(xml: &[u8], routes: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .system(zip::System::Unix)
            .unix_permissions(0o644);
        let mut put = |name: &str, bytes: &[u8]| {
            z.start_file(name, opts).expect("zip entry");
            z.write_all(bytes).expect("zip write");
        };
        put("apple_health_export/export.xml", xml);
        put(
            "apple_health_export/export_cda.xml",
            b"<?xml version=\"1.0\"?>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\"></ClinicalDocument>\n",
        );
        for (name, bytes) in routes {
            put(&format!("apple_health_export/workout-routes/{name}"), bytes);
        }
        z.finish().expect("zip finish");
    }
    buf.into_inner()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('\'', "&apos;")
}

// ---------------------------------------------------------------------------------------
// The sample athlete's Apple Health export: one week of its watch workouts, nights, resting
// heart rate and SDNN, as an Apple Watch would have written them.

/// The week the sample's Apple Health export covers (mornings; it crosses the end of summer
/// time on 2026-10-25, so its dates carry +0200 and then +0100).
pub(crate) const APPLE_WEEK: [(u32, u32); 2] = [(10, 19), (10, 25)];

/// `apple_health_export.zip` of the sample athlete: the workouts of [`APPLE_WEEK`] from its
/// FIT files (heart rate thinned to one record per 5 s, the watch's rate during a workout;
/// every 30 min otherwise), its nights (stages; on some nights also the generic `Asleep`
/// over the same hours, and the phone's `InBed`; one night the phone's own
/// `AsleepUnspecified` too), resting heart rate and SDNN.
pub(crate) fn sample_export(
    fit_files: &[(String, Vec<u8>)],
    days: &[crate::journal::JournalRow],
) -> Vec<u8> {
    use crate::plan::day;
    use chrono::{Offset, TimeZone};
    use chrono_tz::Europe::Berlin;
    use recovery::ingest::fit::{fast, pauses, FileData, FIT_EPOCH_UNIX};

    let (from, to) = (
        day(APPLE_WEEK[0].0, APPLE_WEEK[0].1),
        day(APPLE_WEEK[1].0, APPLE_WEEK[1].1),
    );
    let offset = |unix: i64| {
        Berlin
            .timestamp_opt(unix, 0)
            .single()
            .expect("a real time")
            .offset()
            .fix()
            .local_minus_utc()
    };
    let local = |date: chrono::NaiveDate, h: u32, m: u32| {
        Berlin
            .from_local_datetime(&date.and_hms_opt(h, m, 0).expect("a real time"))
            .earliest()
            .expect("a real local time")
            .timestamp()
    };
    let mut e = Export::new();
    let mut windows: Vec<(i64, i64)> = Vec::new();
    let mut routes = Vec::new();
    for (name, bytes) in fit_files {
        let date = name
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        if !date.is_some_and(|d| d >= from && d <= to) {
            continue;
        }
        let mut data = FileData::default();
        fast::decode(bytes, |m| data.push(m));
        data.records.sort_by_key(|r| r.0);
        data.timer_events.sort_by_key(|e| e.0);
        let stops = pauses(&data.timer_events);
        let unix = |t: u32| t as i64 + FIT_EPOCH_UNIX;
        let mut last: Option<u32> = None;
        for &(t, hr) in &data.records {
            if hr == 0 || last.is_some_and(|l| t - l < 5) {
                continue;
            }
            last = Some(t);
            e.hr(unix(t), offset(unix(t)), hr as f64);
        }
        for s in &data.sessions {
            let activity = match s.sport {
                Some(1) => "HKWorkoutActivityTypeRunning",
                Some(2) => "HKWorkoutActivityTypeCycling",
                Some(3) => continue, // a transition is no workout
                _ => "HKWorkoutActivityTypeOther",
            };
            let (Some(start), Some(elapsed)) = (s.start_time, s.total_elapsed_time) else {
                continue;
            };
            let end = start + elapsed.round() as u32;
            let (a, b) = (unix(start), unix(end));
            windows.push((a, b));
            let off = offset(a);
            let route = {
                let local = DateTime::from_timestamp(a + off as i64, 0).expect("a real time");
                format!("route_{}.gpx", local.format("%Y-%m-%d_%-I.%M%P"))
            };
            routes.push((route.clone(), route_gpx(a, 60)));
            e.workout(&Workout {
                activity: activity.into(),
                start: a,
                end: b,
                offset_s: off,
                pauses: stops
                    .iter()
                    .filter(|&&(p, q)| p >= start && q <= end)
                    .map(|&(p, q)| (unix(p), unix(q)))
                    .collect(),
                source: WATCH.into(),
                route: Some(route),
                distance_km: s.total_distance.map(|m| m / 1000.0),
            });
        }
    }
    for (n, row) in days
        .iter()
        .filter(|r| r.date >= from && r.date <= to)
        .enumerate()
    {
        let d = row.date;
        let prev = d.pred_opt().expect("a day before");
        // Heart rate every 30 min outside the workouts: sparse, as the watch keeps it.
        let mut t = local(d, 0, 0);
        while t < local(d, 23, 59) {
            if !windows.iter().any(|&(a, b)| t >= a - 60 && t <= b + 60) {
                e.hr(t, offset(t), 58.0 + ((t / 1800) % 7) as f64);
            }
            t += 1800;
        }
        // The night to this morning: asleep = the journal's sleep, split into stages with
        // an awake spell that is not sleep.
        let bed = local(prev, 23, 0);
        let asleep = (row.sleep_hours * 3600.0).round() as i64;
        let core = asleep / 2;
        let deep = asleep / 5;
        let rem = asleep - core - deep;
        let stages = [
            ("AsleepCore", core / 2),
            ("AsleepDeep", deep),
            ("Awake", 20 * 60),
            ("AsleepCore", core - core / 2),
            ("AsleepREM", rem),
        ];
        let mut at = bed + 15 * 60;
        for (stage, secs) in stages {
            e.sleep(at, at + secs, offset(at), stage, WATCH);
            at += secs;
        }
        e.sleep(bed - 10 * 60, at + 15 * 60, offset(bed), "InBed", PHONE);
        if n % 3 == 0 {
            // The generic Asleep over the same hours: counting it too would double the night.
            e.sleep(bed + 15 * 60, at, offset(bed), "Asleep", WATCH);
        }
        if n == 3 {
            e.sleep(bed, at + 30 * 60, offset(bed), "AsleepUnspecified", PHONE);
        }
        let morning = local(d, 7, 30);
        e.resting_hr(morning, offset(morning), row.resting_hr as f64);
        for (i, h) in [3u32, 10, 21].into_iter().enumerate() {
            let t = local(d, h, 5);
            let ms = 62.0 - 2.5 * row.soreness as f64 + (i as f64) * 3.0;
            e.sdnn(t, offset(t), ms);
        }
    }
    let export_date = apple_date(local(to, 21, 0), offset(local(to, 21, 0)));
    zip(&e.finish(&export_date), &routes)
}
