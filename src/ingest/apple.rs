//! Apple Health exports (`export.zip` → `apple_health_export/export.xml`): each workout as a
//! session with the heart-rate records inside its window, and the nights, resting heart
//! rate and HRV (SDNN) for the day table.
//!
//! The document is streamed through the same safe XML layer as GPX and TCX (`xml::walk`);
//! memory holds the heart-rate samples (8 bytes each), the workouts and the sleep segments,
//! never the document. Records come ordered by type, so every heart-rate sample is kept until
//! the workouts (near the end) have been read, and only then cut into sessions.
//!
//! Quirks handled (each has a test): the inline DTD is malformed since iOS 16 (an `ATTLIST`
//! without its `>`), so it is cut out before parsing and never read; stray control characters
//! (`\x0b`) in values are left alone; dates (`2024-10-25 07:04:44 -0500`) keep their offset,
//! which gives the local date; a night holding both a generic `Asleep` and stage records
//! counts the stages only.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::exports::{AppleDays, DayValue, Night};
use super::fit::{FileData, RawSession, FIT_EPOCH_UNIX};
use super::xml::{walk, Input, Item};
use super::Verdict;
use crate::session::{Session, SourceFormat};

/// How much of the head is searched for the end of the inline DTD (Apple's is ~10 KB).
const DTD_SEARCH: usize = 1 << 20;
/// Plausible resting heart rate, bpm (as for Garmin's files).
const RHR_RANGE: (f64, f64) = (20.0, 150.0);
/// Plausible SDNN, ms.
const SDNN_RANGE: (f64, f64) = (1.0, 300.0);
/// A heart-rate record outside this is absurd: counted and read as a dropout.
const HR_RANGE: (f64, f64) = (20.0, 250.0);
/// A sleep segment ending after this local hour belongs to the next morning's night.
const NIGHT_ROLLOVER_H: i64 = 18;

/// Is this the export's main document (`export.xml`, any folder)?
pub fn is_export_xml(label: &str) -> bool {
    file_name(label).eq_ignore_ascii_case("export.xml")
}

/// Is this a workout route (`workout-routes/route_….gpx`)? Routes hold positions only; the
/// workout itself is read from `export.xml`, so a route is never a session.
pub fn is_route(label: &str) -> bool {
    let lower = label.replace('\\', "/").to_ascii_lowercase();
    let mut parts = lower.rsplit('/');
    let name = parts.next().unwrap_or("");
    parts.next() == Some("workout-routes") && name.ends_with(".gpx")
}

fn file_name(label: &str) -> &str {
    label.rsplit(['/', '\\']).next().unwrap_or(label)
}

/// Everything read from one `export.xml`.
#[derive(Debug)]
pub struct AppleExport {
    pub verdict: Verdict,
    pub sessions: Vec<Session>,
    pub days: AppleDays,
    /// One line each: what was wrong, counted, with the first case named.
    pub problems: Vec<String>,
    /// The route files the workouts refer to, as written (`/workout-routes/route_….gpx`).
    pub routes: Vec<String>,
}

/// A heart-rate sample: time (FIT seconds), bpm (0 = dropout), source.
#[derive(Debug, Clone, Copy)]
struct Sample {
    t: u32,
    src: u16,
    bpm: u8,
}

#[derive(Debug, Clone, Default)]
struct Workout {
    activity: String,
    start: u32,
    end: u32,
    offset: i32,
    /// Apple's `duration` (the time the workout ran, pauses excluded), seconds.
    duration_s: Option<f64>,
    distance_m: Option<f64>,
    src: u16,
    source_name: String,
    events: Vec<(u32, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Sleep {
    /// `AsleepCore`, `AsleepDeep`, `AsleepREM`.
    Stage,
    /// `Asleep` (before iOS 16), `AsleepUnspecified`.
    Generic,
}

#[derive(Debug, Clone, Copy)]
struct SleepSeg {
    start: u32,
    end: u32,
    offset: i32,
    kind: Sleep,
    src: u16,
}

/// A day value before it is chosen: time, offset, value, source.
type Reading = (u32, i32, f64, u16);

/// A count of one kind of problem and its first case.
#[derive(Debug, Default)]
struct Tally(usize, String);

impl Tally {
    fn add(&mut self, what: impl FnOnce() -> String) {
        if self.0 == 0 {
            self.1 = what();
        }
        self.0 += 1;
    }
}

#[derive(Default)]
struct Parse {
    sources: Vec<String>,
    watch: Vec<bool>,
    hr: Vec<Sample>,
    workouts: Vec<Workout>,
    current: Option<Workout>,
    sleep: Vec<SleepSeg>,
    rhr: Vec<Reading>,
    sdnn: Vec<Reading>,
    /// The last record's raw `sourceName` and `device` and their source: records come in
    /// long runs of one source, so most need no lookup at all.
    last_source: Option<(Vec<u8>, Vec<u8>, u16)>,
    bad_date: Tally,
    absurd: Tally,
    records: usize,
    saw_root: bool,
    // Reused buffers for one record's attributes.
    ty: Vec<u8>,
    value: Vec<u8>,
    start: Vec<u8>,
    end: Vec<u8>,
    source: Vec<u8>,
    device: Vec<u8>,
}

/// The record types read; every other record is stepped over after its `type`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Hr,
    Rhr,
    Sdnn,
    Sleep,
}

fn kind(ty: &[u8]) -> Option<Kind> {
    match ty {
        b"HKQuantityTypeIdentifierHeartRate" => Some(Kind::Hr),
        b"HKQuantityTypeIdentifierRestingHeartRate" => Some(Kind::Rhr),
        b"HKQuantityTypeIdentifierHeartRateVariabilitySDNN" => Some(Kind::Sdnn),
        b"HKCategoryTypeIdentifierSleepAnalysis" => Some(Kind::Sleep),
        _ => None,
    }
}

impl Parse {
    fn source(&mut self, name: &[u8], device: &[u8]) -> u16 {
        if let Some((n, d, i)) = &self.last_source {
            if n == name && d == device {
                return *i;
            }
        }
        let i = self.lookup(name, device);
        self.last_source = Some((name.to_vec(), device.to_vec(), i));
        i
    }

    fn lookup(&mut self, name: &[u8], device: &[u8]) -> u16 {
        let watch = contains(name, b"Watch") || contains(device, b"Watch");
        let name = lossy(name);
        let i = match self.sources.iter().rposition(|s| *s == name) {
            Some(i) => i,
            None => {
                self.sources.push(name);
                self.watch.push(false);
                self.sources.len() - 1
            }
        };
        self.watch[i] |= watch;
        i.min(u16::MAX as usize) as u16
    }

    fn record(&mut self, node: &super::xml::Node<'_>) {
        self.records += 1;
        let mut kind_seen = None;
        for b in [
            &mut self.value,
            &mut self.start,
            &mut self.end,
            &mut self.source,
            &mut self.device,
        ] {
            b.clear();
        }
        let ty = &mut self.ty;
        ty.clear();
        let (value, start, end, source, device) = (
            &mut self.value,
            &mut self.start,
            &mut self.end,
            &mut self.source,
            &mut self.device,
        );
        node.for_each_attr(|k, v| {
            match k {
                b"type" => {
                    ty.extend_from_slice(v);
                    kind_seen = kind(v);
                    return kind_seen.is_some();
                }
                b"value" => value.extend_from_slice(v),
                b"startDate" => start.extend_from_slice(v),
                b"endDate" => end.extend_from_slice(v),
                b"sourceName" => source.extend_from_slice(v),
                b"device" => device.extend_from_slice(v),
                _ => {}
            }
            true
        });
        let Some(kind) = kind_seen else { return };
        let Some((t0, off)) = apple_time(&self.start) else {
            let what = format!(
                "{} startDate \"{}\"",
                short_type(&self.ty),
                lossy(&self.start)
            );
            self.bad_date.add(|| what);
            return;
        };
        let t1 = match kind {
            Kind::Sleep => match apple_time(&self.end) {
                Some((t, _)) => t,
                None => {
                    let what = format!("{} endDate \"{}\"", short_type(&self.ty), lossy(&self.end));
                    self.bad_date.add(|| what);
                    return;
                }
            },
            _ => t0,
        };
        let (source, device) = (
            std::mem::take(&mut self.source),
            std::mem::take(&mut self.device),
        );
        let src = self.source(&source, &device);
        (self.source, self.device) = (source, device);
        if kind == Kind::Sleep {
            let seg = |kind| SleepSeg {
                start: t0,
                end: t1,
                offset: off,
                kind,
                src,
            };
            match self.value.as_slice() {
                b"HKCategoryValueSleepAnalysisAsleepCore"
                | b"HKCategoryValueSleepAnalysisAsleepDeep"
                | b"HKCategoryValueSleepAnalysisAsleepREM" => self.sleep.push(seg(Sleep::Stage)),
                b"HKCategoryValueSleepAnalysisAsleep"
                | b"HKCategoryValueSleepAnalysisAsleepUnspecified" => {
                    self.sleep.push(seg(Sleep::Generic))
                }
                // InBed and Awake are not sleep.
                _ => {}
            }
            return;
        }
        let v = std::str::from_utf8(&self.value)
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite());
        let range = match kind {
            Kind::Hr => HR_RANGE,
            Kind::Rhr => RHR_RANGE,
            _ => SDNN_RANGE,
        };
        let ok = v.filter(|v| (range.0..=range.1).contains(v));
        if ok.is_none() {
            let what = format!(
                "{} value \"{}\" at {}",
                short_type(&self.ty),
                lossy(&self.value),
                lossy(&self.start)
            );
            self.absurd.add(|| what);
        }
        match (kind, ok) {
            // An absurd heart rate is a dropout: it stops the previous value holding.
            (Kind::Hr, v) => self.hr.push(Sample {
                t: t0,
                src,
                bpm: v.map_or(0, |v| v.round() as u8),
            }),
            (Kind::Rhr, Some(v)) => self.rhr.push((t0, off, v, src)),
            (Kind::Sdnn, Some(v)) => self.sdnn.push((t0, off, v, src)),
            _ => {}
        }
    }

    fn workout_start(&mut self, node: &super::xml::Node<'_>) {
        let mut w = Workout::default();
        let (mut start, mut end, mut duration, mut unit, mut source, mut device) = (
            Vec::new(),
            Vec::new(),
            None,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        let (mut dist, mut dist_unit) = (None, Vec::new());
        node.for_each_attr(|k, v| {
            match k {
                b"workoutActivityType" => w.activity = lossy(v),
                b"startDate" => start = v.to_vec(),
                b"endDate" => end = v.to_vec(),
                b"duration" => duration = parse_f64(v),
                b"durationUnit" => unit = v.to_vec(),
                b"sourceName" => source = v.to_vec(),
                b"device" => device = v.to_vec(),
                b"totalDistance" => dist = parse_f64(v),
                b"totalDistanceUnit" => dist_unit = v.to_vec(),
                _ => {}
            }
            true
        });
        let (Some((s, off)), Some((e, _))) = (apple_time(&start), apple_time(&end)) else {
            let what = format!(
                "Workout {} startDate \"{}\" endDate \"{}\"",
                short_activity(&w.activity),
                lossy(&start),
                lossy(&end)
            );
            self.bad_date.add(|| what);
            self.current = None;
            return;
        };
        w.start = s;
        w.end = e.max(s);
        w.offset = off;
        w.duration_s = duration
            .map(|d| d * unit_seconds(&unit))
            .filter(|d| *d >= 0.0);
        w.distance_m = dist.and_then(|d| Some(d * unit_metres(&dist_unit)?));
        w.src = self.source(&source, &device);
        w.source_name = lossy(&source);
        self.current = Some(w);
    }

    fn workout_child(&mut self, node: &super::xml::Node<'_>) {
        let Some(w) = self.current.as_mut() else {
            return;
        };
        match node.name() {
            b"WorkoutEvent" => {
                let (mut ty, mut date) = (Vec::new(), Vec::new());
                node.for_each_attr(|k, v| {
                    match k {
                        b"type" => ty = v.to_vec(),
                        b"date" => date = v.to_vec(),
                        _ => {}
                    }
                    true
                });
                let is_start = match ty.as_slice() {
                    b"HKWorkoutEventTypePause" | b"HKWorkoutEventTypeMotionPaused" => false,
                    b"HKWorkoutEventTypeResume" | b"HKWorkoutEventTypeMotionResumed" => true,
                    _ => return,
                };
                if let Some((t, _)) = apple_time(&date) {
                    w.events.push((t, is_start));
                }
            }
            b"WorkoutStatistics" if w.distance_m.is_none() => {
                let (mut ty, mut sum, mut unit) = (Vec::new(), None, Vec::new());
                node.for_each_attr(|k, v| {
                    match k {
                        b"type" => ty = v.to_vec(),
                        b"sum" => sum = parse_f64(v),
                        b"unit" => unit = v.to_vec(),
                        _ => {}
                    }
                    true
                });
                if ty.starts_with(b"HKQuantityTypeIdentifierDistance") {
                    w.distance_m = sum.and_then(|d| Some(d * unit_metres(&unit)?));
                }
            }
            _ => {}
        }
    }
}

/// Reads one `export.xml` from `input`. `size_note` is a line to add (the document is over
/// the size limit and was streamed anyway).
pub fn read(label: &str, input: &mut dyn Read, tz: Option<Tz>) -> AppleExport {
    let (mut p, stopped, routes) = parse(input);
    p.hr.sort_by_key(|s| s.t);
    let mut problems = Vec::new();
    let mut sessions = Vec::new();
    let mut no_hr = Tally::default();
    for (i, w) in p.workouts.iter().enumerate() {
        let Some(mut s) = session(label, i, w, &p, tz) else {
            continue;
        };
        if s.hr_s() == 0 {
            let what = format!("{} {} from {}", s.local_date, s.sport, w.source_name);
            no_hr.add(|| what);
        }
        s.index = i;
        sessions.push(std::mem::take(&mut s));
    }
    let days = days(label, &p);
    if p.bad_date.0 > 0 {
        problems.push(format!(
            "{label}: {} record(s) or workout(s) with a date that is not `YYYY-MM-DD hh:mm:ss ±hhmm` (first: {}); left out, the rest is used",
            p.bad_date.0, p.bad_date.1
        ));
    }
    if p.absurd.0 > 0 {
        problems.push(format!(
            "{label}: {} value(s) outside what a body can show (first: {}); left out (a heart rate reads as a dropout), the rest is used",
            p.absurd.0, p.absurd.1
        ));
    }
    if no_hr.0 > 0 {
        problems.push(format!(
            "{label}: {} workout(s) have no heart-rate records in their window (first: {}); listed with class unknown — was the watch worn?",
            no_hr.0, no_hr.1
        ));
    }
    let verdict = match stopped {
        Some(why) if !p.saw_root => Verdict::Unreadable(why),
        Some(why) => Verdict::Damaged(format!("{why}; {} records read before it", p.records)),
        None if !p.saw_root => Verdict::Unreadable("no <HealthData> root element".into()),
        None if sessions.is_empty() => Verdict::Wellness,
        None => Verdict::Activity,
    };
    AppleExport {
        verdict,
        sessions,
        days,
        problems,
        routes,
    }
}

fn parse(input: &mut dyn Read) -> (Parse, Option<String>, Vec<String>) {
    let mut p = Parse::default();
    let mut routes = Vec::new();
    let mut head = Vec::with_capacity(64 * 1024);
    if let Err(e) = (&mut *input).take(DTD_SEARCH as u64).read_to_end(&mut head) {
        return (p, Some(format!("cannot be read ({e})")), routes);
    }
    let (before, after) = skip_dtd(&head);
    let mut chained = before.chain(after).chain(input);
    let stopped = walk(Input::Stream(&mut chained), |item, node| match item {
        Item::Start => match node.name() {
            b"Record" if node.ancestor(1) == b"HealthData" => p.record(node),
            b"Workout" if node.ancestor(1) == b"HealthData" => p.workout_start(node),
            b"HealthData" => p.saw_root = true,
            b"FileReference" if p.current.is_some() => {
                node.for_each_attr(|k, v| {
                    if k == b"path" {
                        routes.push(lossy(v));
                    }
                    true
                });
            }
            _ if p.current.is_some() && node.ancestor(1) == b"Workout" => p.workout_child(node),
            _ => {}
        },
        Item::End => {
            if node.closed() == b"Workout" {
                if let Some(w) = p.current.take() {
                    p.workouts.push(w);
                }
            }
        }
    });
    (p, stopped, routes)
}

/// Splits the head around its inline DTD (`<!DOCTYPE HealthData [ … ]>`), which is never
/// read: since iOS 16 it is malformed, and nothing in it is needed.
fn skip_dtd(head: &[u8]) -> (&[u8], &[u8]) {
    let Some(at) = find(head, b"<!DOCTYPE") else {
        return (head, &[]);
    };
    // The internal subset ends at `]` then `>`; Apple's has no `]` inside.
    let Some(close) = find(&head[at..], b"]>") else {
        return (head, &[]);
    };
    (&head[..at], &head[at + close + 2..])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

fn lossy(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    if s.contains('&') {
        quick_xml::escape::unescape(&s)
            .map(|c| c.into_owned())
            .unwrap_or_else(|_| s.into_owned())
    } else {
        s.into_owned()
    }
}

fn parse_f64(v: &[u8]) -> Option<f64> {
    std::str::from_utf8(v)
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

fn short_type(ty: &[u8]) -> String {
    let t = lossy(ty);
    for p in ["HKQuantityTypeIdentifier", "HKCategoryTypeIdentifier"] {
        if let Some(rest) = t.strip_prefix(p) {
            return rest.to_string();
        }
    }
    t
}

fn short_activity(a: &str) -> &str {
    a.strip_prefix("HKWorkoutActivityType").unwrap_or(a)
}

fn unit_seconds(unit: &[u8]) -> f64 {
    match unit {
        b"s" | b"sec" => 1.0,
        b"hr" | b"h" => 3600.0,
        _ => 60.0, // "min", Apple's only unit in practice
    }
}

fn unit_metres(unit: &[u8]) -> Option<f64> {
    match unit {
        b"km" => Some(1000.0),
        b"m" => Some(1.0),
        b"mi" => Some(1609.344),
        b"yd" => Some(0.9144),
        _ => None,
    }
}

/// Parses `2024-10-25 07:04:44 -0500` into FIT seconds (UTC) and the offset in seconds.
pub fn apple_time(text: &[u8]) -> Option<(u32, i32)> {
    let t = std::str::from_utf8(text).ok()?.trim();
    let b = t.as_bytes();
    if b.len() != 25 || b[19] != b' ' || b[10] != b' ' {
        return None;
    }
    let local = super::xml::fit_seconds(&t[..19])?;
    let sign = match b[20] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = &b[21..25];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = |i: usize| (digits[i] - b'0') as i32;
    let (h, m) = (v(0) * 10 + v(1), v(2) * 10 + v(3));
    if h > 14 || m > 59 {
        return None;
    }
    let offset = sign * (h * 3600 + m * 60);
    let utc = u32::try_from(local as i64 - offset as i64).ok()?;
    Some((utc, offset))
}

fn local_date(t: u32, offset: i32) -> Option<NaiveDate> {
    let unix = t as i64 + FIT_EPOCH_UNIX + offset as i64;
    DateTime::<Utc>::from_timestamp(unix, 0).map(|d| d.date_naive())
}

fn utc(t: u32) -> Option<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp(t as i64 + FIT_EPOCH_UNIX, 0)
}

/// A workout as FIT-shaped data: its window, pauses, the offset of its dates, and the
/// heart-rate samples inside it (of the workout's own source when it has any there, else
/// of every source).
fn file_data(w: &Workout, p: &Parse) -> FileData {
    let lo = p.hr.partition_point(|s| s.t < w.start);
    let hi = p.hr.partition_point(|s| s.t <= w.end);
    let inside = &p.hr[lo..hi];
    let own = inside.iter().any(|s| s.src == w.src);
    let records = inside
        .iter()
        .filter(|s| !own || s.src == w.src)
        .map(|s| (s.t, s.bpm))
        .collect();
    let elapsed = (w.end - w.start) as f64;
    let mut events = w.events.clone();
    events.sort_by_key(|e| e.0);
    FileData {
        activity_timestamp: Some(w.start),
        activity_local_timestamp: u32::try_from(w.start as i64 + w.offset as i64).ok(),
        records,
        timer_events: events,
        sessions: vec![RawSession {
            start_time: Some(w.start),
            timestamp: Some(w.end),
            total_elapsed_time: Some(elapsed),
            total_timer_time: Some(w.duration_s.unwrap_or(elapsed).min(elapsed)),
            total_distance: w.distance_m,
            ..RawSession::default()
        }],
        ..FileData::default()
    }
}

fn session(label: &str, index: usize, w: &Workout, p: &Parse, tz: Option<Tz>) -> Option<Session> {
    let mut s = file_data(w, p).into_sessions(label, tz).pop()?;
    let (sport, sub) = sport(&w.activity);
    s.index = index;
    s.sport = sport.to_string();
    s.sub_sport = sub.to_string();
    s.product = w.source_name.clone();
    if p.watch.get(w.src as usize).copied().unwrap_or(false) {
        s.manufacturer = "apple".into();
    }
    s.format = SourceFormat::AppleHealth;
    Some(s)
}

/// `HKWorkoutActivityType…` as FIT sport and sub-sport names; an unknown type keeps its
/// own name in snake case.
pub fn sport(activity: &str) -> (String, &'static str) {
    let name = short_activity(activity);
    let (sport, sub) = match name {
        "Running" => ("running", ""),
        "Cycling" => ("cycling", ""),
        "Walking" => ("walking", ""),
        "Hiking" => ("hiking", ""),
        "Swimming" => ("swimming", ""),
        "Rowing" => ("rowing", ""),
        "Elliptical" => ("fitness_equipment", "elliptical"),
        "StairClimbing" | "Stairs" => ("fitness_equipment", "stair_climbing"),
        "TraditionalStrengthTraining" | "FunctionalStrengthTraining" => {
            ("training", "strength_training")
        }
        "HighIntensityIntervalTraining" | "CrossTraining" | "MixedCardio" | "CoreTraining" => {
            ("training", "cardio_training")
        }
        "Yoga" => ("training", "yoga"),
        "CrossCountrySkiing" => ("cross_country_skiing", ""),
        "DownhillSkiing" => ("alpine_skiing", ""),
        "Snowboarding" => ("snowboarding", ""),
        "PaddleSports" => ("paddling", ""),
        "Climbing" => ("rock_climbing", ""),
        "Tennis" => ("tennis", ""),
        "Soccer" => ("soccer", ""),
        "Basketball" => ("basketball", ""),
        "Golf" => ("golf", ""),
        "Boxing" | "Kickboxing" => ("boxing", ""),
        "Other" | "" => ("generic", ""),
        other => return (snake(other), ""),
    };
    (sport.to_string(), sub)
}

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The morning a sleep segment belongs to: the local date of its end, or the next one when
/// it ends after 18:00.
fn night_date(end: u32, offset: i32) -> Option<NaiveDate> {
    local_date(
        u32::try_from(end as i64 + (24 - NIGHT_ROLLOVER_H) * 3600).ok()?,
        offset,
    )
}

/// Seconds covered by the union of these intervals.
fn union_s(mut iv: Vec<(u32, u32)>) -> u64 {
    iv.sort_unstable();
    let mut total = 0u64;
    let mut cur: Option<(u32, u32)> = None;
    for (a, b) in iv {
        match cur {
            Some((s, e)) if a <= e => cur = Some((s, e.max(b))),
            Some((s, e)) => {
                total += (e - s) as u64;
                cur = Some((a, b));
            }
            None => cur = Some((a, b)),
        }
    }
    if let Some((s, e)) = cur {
        total += (e - s) as u64;
    }
    total
}

/// Nights, resting heart rate and SDNN by date.
fn days(label: &str, p: &Parse) -> AppleDays {
    let is_watch = |src: u16| p.watch.get(src as usize).copied().unwrap_or(false);
    // Nights: per morning and source, the stages if there are any, else the generic sleep;
    // one source a night, the watch first, then one with stages, then the longest.
    let mut by_night: BTreeMap<(NaiveDate, u16), Vec<SleepSeg>> = BTreeMap::new();
    for seg in &p.sleep {
        if let Some(d) = night_date(seg.end, seg.offset) {
            by_night.entry((d, seg.src)).or_default().push(*seg);
        }
    }
    let mut best: BTreeMap<NaiveDate, ((bool, bool, u64), Night)> = BTreeMap::new();
    for ((date, src), segs) in by_night {
        let has_stages = segs.iter().any(|s| s.kind == Sleep::Stage);
        let want = if has_stages {
            Sleep::Stage
        } else {
            Sleep::Generic
        };
        let used: Vec<(u32, u32)> = segs
            .iter()
            .filter(|s| s.kind == want && s.end > s.start)
            .map(|s| (s.start, s.end))
            .collect();
        let secs = union_s(used.clone());
        if secs == 0 || secs > 24 * 3600 {
            continue;
        }
        let key = (is_watch(src), has_stages, secs);
        let night = Night {
            date,
            sleep_hours: secs as f64 / 3600.0,
            score: None,
            start_utc: used.iter().map(|u| u.0).min().and_then(utc),
            end_utc: used.iter().map(|u| u.1).max().and_then(utc),
            source_file: label.to_string(),
        };
        match best.get(&date) {
            Some((k, _)) if *k >= key => {}
            _ => {
                best.insert(date, (key, night));
            }
        }
    }
    // Resting HR: per date, the watch's latest reading, else any source's latest.
    let mut rhr: BTreeMap<NaiveDate, ((bool, u32), f64)> = BTreeMap::new();
    for &(t, off, v, src) in &p.rhr {
        let Some(d) = local_date(t, off) else {
            continue;
        };
        let key = (is_watch(src), t);
        if rhr.get(&d).is_none_or(|(k, _)| key >= *k) {
            rhr.insert(d, (key, v));
        }
    }
    // SDNN: per date, the mean of the watch's readings (else of every source's).
    let mut sdnn: BTreeMap<NaiveDate, (bool, f64, usize)> = BTreeMap::new();
    for &(t, off, v, src) in &p.sdnn {
        let Some(d) = local_date(t, off) else {
            continue;
        };
        let w = is_watch(src);
        let e = sdnn.entry(d).or_insert((w, 0.0, 0));
        if w && !e.0 {
            *e = (true, 0.0, 0);
        }
        if w == e.0 {
            e.1 += v;
            e.2 += 1;
        }
    }
    let value = |date, value| DayValue {
        date,
        value,
        source_file: label.to_string(),
    };
    AppleDays {
        nights: best.into_values().map(|(_, n)| n).collect(),
        resting_hr: rhr.into_iter().map(|(d, (_, v))| value(d, v)).collect(),
        hrv_sdnn: sdnn
            .into_iter()
            .filter(|(_, e)| e.2 > 0)
            .map(|(d, (_, sum, n))| value(d, sum / n as f64))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_dates_keep_their_offset() {
        let (t, off) = apple_time(b"2024-10-25 07:04:44 -0500").expect("a date");
        assert_eq!(off, -5 * 3600);
        // 2024-10-25T12:04:44Z is 1729857884 Unix seconds.
        assert_eq!(t as i64 + FIT_EPOCH_UNIX, 1_729_857_884);
        assert_eq!(local_date(t, off), NaiveDate::from_ymd_opt(2024, 10, 25));
        let (t2, off2) = apple_time(b"2024-10-25 23:30:00 +0930").expect("a date");
        assert_eq!(off2, 9 * 3600 + 1800);
        assert_eq!(local_date(t2, off2), NaiveDate::from_ymd_opt(2024, 10, 25));
        for bad in [
            &b"2024-10-25T07:04:44-05:00"[..],
            b"2024-10-25 07:04:44",
            b"25/10/2024 07:04:44 -0500",
            b"2024-10-25 07:04:44 -05:00",
            b"",
        ] {
            assert_eq!(apple_time(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn workout_activity_types_take_fit_sport_names() {
        assert_eq!(sport("HKWorkoutActivityTypeRunning").0, "running");
        assert_eq!(sport("HKWorkoutActivityTypeCycling").0, "cycling");
        assert_eq!(
            sport("HKWorkoutActivityTypeTraditionalStrengthTraining"),
            ("training".into(), "strength_training")
        );
        assert_eq!(sport("HKWorkoutActivityTypeWaterPolo").0, "water_polo");
    }

    #[test]
    fn overlapping_intervals_are_counted_once() {
        assert_eq!(union_s(vec![(0, 10), (5, 20), (30, 40)]), 30);
        assert_eq!(union_s(vec![]), 0);
    }

    #[test]
    fn the_malformed_dtd_is_cut_out_unread() {
        let doc = b"<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ATTLIST VisionPrescription\n  type CDATA #REQUIRED\n<!ELEMENT RightEye EMPTY>\n]>\n<HealthData locale=\"en_US\"/>";
        let (a, b) = skip_dtd(doc);
        assert_eq!(a, b"<?xml version=\"1.0\"?>\n");
        assert_eq!(b, b"\n<HealthData locale=\"en_US\"/>");
    }
}
