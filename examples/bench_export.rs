//! Writes a synthetic watch export for `benches/bench.sh`: a folder of FIT activities, the
//! same files as a zip, and the same files in a Garmin account export's shape.
//! `cargo run --release --example bench_export -- OUT_DIR [--files N] [--parts P]` (default
//! 1,000 files, 3 parts) writes `OUT_DIR/export/`, `OUT_DIR/export.zip` and
//! `OUT_DIR/garmin.zip`: one zip holding `DI_CONNECT/DI-Connect-Uploaded-Files/
//! UploadedFiles_0-_Part1.zip` … `PartP.zip`, each part written as a stream (deflated
//! entries with data descriptors, as Garmin's exports are), the parts deflated again in the
//! outer zip. With `--garmin-only` only `garmin.zip` is (re)written from an existing folder.
//!
//! Realistic in what costs a decoder time: records of a modern watch (position, distance,
//! altitude, speed, heart rate, cadence, temperature; power on the bike), 1 s and "smart"
//! (1–7 s) recording, 30 min to 6 h, laps, timer pauses, about one multisport file in ten
//! (swim, bike, run), one in ten with compressed-timestamp records, a few with developer
//! fields. Deterministic: the same arguments write the same bytes.

use samplegen::SplitMix64;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use samplegen::fitwrite::{
    self, mesg, profile as fp, Activity, BaseType, DevFieldDef, DeviceInfo, Event, FieldDef,
    FileId, FitError, FitWriter, Lap, Record, RecordLayout, Session, Sport, Value,
};

/// One sport of an activity: FIT sport, sub-sport, name, typical speed (m/s).
#[derive(Clone, Copy)]
struct Discipline(u8, u8, &'static str, f64);

const RUN: Discipline = Discipline(1, 0, "Run", 3.0);
const RIDE: Discipline = Discipline(2, 7, "Road Bike", 8.0);
const SWIM: Discipline = Discipline(5, 17, "Open Water", 0.9);
const WALK: Discipline = Discipline(11, 0, "Walk", 1.4);
const HIKE: Discipline = Discipline(17, 0, "Hike", 1.1);

/// The rich record layout of a current watch, on a local number the typed helpers leave free.
const LOCAL_RICH: u8 = 12;

fn rich_fields(power: bool) -> Vec<FieldDef> {
    let mut f = vec![
        FieldDef::new(253, BaseType::UInt32),
        FieldDef::new(0, BaseType::SInt32),
        FieldDef::new(1, BaseType::SInt32),
        FieldDef::new(5, BaseType::UInt32),
        FieldDef::new(78, BaseType::UInt32),
        FieldDef::new(73, BaseType::UInt32),
        FieldDef::new(3, BaseType::UInt8),
        FieldDef::new(4, BaseType::UInt8),
        FieldDef::new(13, BaseType::SInt8),
    ];
    if power {
        f.push(FieldDef::new(7, BaseType::UInt16));
    }
    f
}

/// Writes one activity of `minutes` starting at FIT time `start`; returns its sessions.
fn activity(
    rng: &mut SplitMix64,
    start: u32,
    legs: &[(Discipline, u32)],
) -> Result<(Vec<u8>, usize), FitError> {
    let mut w = FitWriter::new();
    let garmin = rng.unit() < 0.8;
    let (manufacturer, product) = if garmin {
        (fp::MANUFACTURER_GARMIN, 3113)
    } else {
        (fp::MANUFACTURER_WAHOO, 31)
    };
    w.file_id(&FileId {
        file_type: fp::FILE_ACTIVITY,
        manufacturer,
        product,
        serial_number: 3_900_000_000 + rng.int(0, 99_999),
        time_created: start,
    })?;
    w.device_info(&DeviceInfo {
        timestamp: start,
        device_index: 0,
        manufacturer,
        product,
        serial_number: 3_912_345_678,
        software_version: 19.18,
    })?;
    let compressed = rng.unit() < 0.1;
    let smart = rng.unit() < 0.4;
    let dev_power = !compressed && rng.unit() < 0.05;
    if dev_power {
        w.developer_data_id(&fitwrite::DeveloperDataId {
            developer_data_index: 0,
            application_id: [7; 16],
            application_version: 117,
        })?;
        w.field_description(&fitwrite::FieldDescription {
            developer_data_index: 0,
            field_definition_number: 0,
            base_type: BaseType::UInt16,
            field_name: "Power".into(),
            units: "Watts".into(),
            native_mesg_num: Some(mesg::RECORD),
            native_field_num: Some(7),
        })?;
    }
    if compressed {
        w.set_compressed_records(true);
        w.set_record_layout(RecordLayout {
            distance: true,
            speed: true,
            cadence: true,
        });
    }
    let (mut t, mut lat, mut lon) = (
        start,
        623_000_000i32 + rng.int(0, 9_000_000) as i32,
        160_000_000i32 + rng.int(0, 9_000_000) as i32,
    );
    let (mut hr, mut alt) = (rng.range(95.0, 120.0), rng.range(50.0, 900.0));
    let mut target = rng.range(120.0, 150.0);
    let (mut lap_index, mut timer_total) = (0u16, 0.0);
    for (session_index, &(d, minutes)) in legs.iter().enumerate() {
        let Discipline(sport, sub_sport, name, speed) = d;
        w.sport(&Sport {
            sport,
            sub_sport,
            name: name.into(),
        })?;
        let power = sport == 2;
        if !compressed {
            w.define(LOCAL_RICH, mesg::RECORD, &rich_fields(power))?;
        }
        let leg_start = t;
        let end = t + minutes * 60;
        w.event(&Event::timer_start(t, fp::TIMER_TRIGGER_MANUAL))?;
        let mut pauses: Vec<u32> = (0..rng.int(0, 3))
            .map(|_| rng.int(leg_start + 60, end - 60))
            .collect();
        pauses.sort_unstable_by(|a, b| b.cmp(a));
        let (mut dist, mut lap_start, mut lap_dist, first_lap) = (0.0f64, t, 0.0f64, lap_index);
        let mut paused_s = 0u32;
        while t < end {
            if pauses.last().is_some_and(|&p| p <= t) {
                pauses.pop();
                w.event(&Event::timer_stop_all(t, fp::TIMER_TRIGGER_AUTO))?;
                let gap = rng.int(10, 300);
                t += gap;
                paused_s += gap;
                w.event(&Event::timer_start(t, fp::TIMER_TRIGGER_AUTO))?;
            }
            let step = if smart { rng.int(1, 7) } else { 1 };
            // Heart rate drifts around an effort that changes every few minutes.
            if rng.unit() < 0.005 {
                target = rng.range(115.0, 170.0);
            }
            hr = (hr + 0.05 * (target - hr) + rng.range(-2.0, 2.0)).clamp(80.0, 188.0);
            alt = (alt + rng.range(-0.5, 0.5)).max(0.0);
            let v = (speed * rng.range(0.85, 1.15)).max(0.1);
            dist += v * f64::from(step);
            lat += rng.int(0, 40) as i32 - 20;
            lon += rng.int(0, 40) as i32 - 20;
            let heart_rate = (rng.unit() > 0.002).then_some(hr.round() as u8);
            if compressed {
                w.record(&Record {
                    timestamp: t,
                    heart_rate,
                    distance_m: Some(dist),
                    speed_mps: Some(v),
                    cadence: Some(rng.int(75, 95) as u8),
                })?;
            } else {
                let mut values = vec![
                    Value::U32(t),
                    Value::I32(lat),
                    Value::I32(lon),
                    Value::U32((dist * 100.0).round() as u32),
                    Value::U32(((alt + 500.0) * 5.0).round() as u32),
                    Value::U32((v * 1000.0).round() as u32),
                    heart_rate.map_or(Value::Invalid, Value::U8),
                    Value::U8(rng.int(75, 95) as u8),
                    Value::I8(rng.int(12, 30) as i8),
                ];
                if power {
                    values.push(Value::U16(rng.int(120, 320) as u16));
                }
                if dev_power {
                    // Developer power rides on the typed record helper's definition.
                    let r = Record {
                        timestamp: t,
                        heart_rate,
                        distance_m: Some(dist),
                        speed_mps: Some(v),
                        cadence: None,
                    };
                    let dev = [DevFieldDef {
                        number: 0,
                        size: 2,
                        developer_index: 0,
                    }];
                    w.record_with_dev(&r, &dev, &[Value::U16(rng.int(150, 300) as u16)])?;
                } else {
                    w.write(LOCAL_RICH, &values)?;
                }
            }
            if dist - lap_dist >= 1000.0 * if power { 5.0 } else { 1.0 } {
                w.lap(&lap(
                    lap_index,
                    lap_start,
                    t,
                    dist - lap_dist,
                    sport,
                    sub_sport,
                ))?;
                lap_index += 1;
                lap_start = t;
                lap_dist = dist;
            }
            t += step;
        }
        w.lap(&lap(
            lap_index,
            lap_start,
            t,
            dist - lap_dist,
            sport,
            sub_sport,
        ))?;
        lap_index += 1;
        w.event(&Event::timer_stop_all(t, fp::TIMER_TRIGGER_MANUAL))?;
        let elapsed = f64::from(t - leg_start);
        let timer = elapsed - f64::from(paused_s);
        timer_total += timer;
        w.session(&Session {
            timestamp: t,
            message_index: session_index as u16,
            start_time: leg_start,
            sport,
            sub_sport,
            total_elapsed_time_s: elapsed,
            total_timer_time_s: timer,
            total_distance_m: dist,
            avg_speed_mps: dist / timer.max(1.0),
            max_speed_mps: speed * 1.2,
            avg_heart_rate: Some(140),
            max_heart_rate: Some(175),
            first_lap_index: first_lap,
            num_laps: lap_index - first_lap,
            trigger: if legs.len() > 1 {
                fp::SESSION_TRIGGER_AUTO_MULTI_SPORT
            } else {
                fp::SESSION_TRIGGER_ACTIVITY_END
            },
        })?;
        t += 60; // transition
    }
    w.activity(&Activity {
        timestamp: t,
        total_timer_time_s: timer_total,
        num_sessions: legs.len() as u16,
        activity_type: if legs.len() > 1 {
            fp::ACTIVITY_AUTO_MULTI_SPORT
        } else {
            fp::ACTIVITY_MANUAL
        },
        local_timestamp: t + 3600,
    })?;
    Ok((w.finish(), legs.len()))
}

fn lap(index: u16, start: u32, end: u32, dist: f64, sport: u8, sub_sport: u8) -> Lap {
    let secs = f64::from(end - start).max(1.0);
    Lap {
        timestamp: end,
        message_index: index,
        start_time: start,
        total_elapsed_time_s: secs,
        total_timer_time_s: secs,
        total_distance_m: dist,
        avg_speed_mps: dist / secs,
        avg_heart_rate: Some(140),
        max_heart_rate: Some(170),
        lap_trigger: fp::LAP_TRIGGER_DISTANCE,
        sport,
        sub_sport,
    }
}

/// The legs of activity `i`: mostly single sports of 30 min to 6 h, some multisport.
fn plan(rng: &mut SplitMix64) -> Vec<(Discipline, u32)> {
    let p = rng.unit();
    if p < 0.1 {
        vec![
            (SWIM, rng.int(20, 40)),
            (RIDE, rng.int(60, 180)),
            (RUN, rng.int(30, 90)),
        ]
    } else if p < 0.5 {
        vec![(RUN, rng.int(30, 100))]
    } else if p < 0.8 {
        vec![(
            RIDE,
            if rng.unit() < 0.2 {
                rng.int(180, 360)
            } else {
                rng.int(45, 150)
            },
        )]
    } else if p < 0.9 {
        vec![(WALK, rng.int(30, 90))]
    } else {
        vec![(HIKE, rng.int(90, 360))]
    }
}

fn run(out: &Path, files: usize) -> Result<(u64, usize), Box<dyn std::error::Error>> {
    let folder = out.join("export");
    std::fs::create_dir_all(&folder)?;
    let zip_file = std::fs::File::create(out.join("export.zip"))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(zip_file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut rng = SplitMix64::new(0xB0B5_2026);
    let (mut bytes, mut sessions) = (0u64, 0usize);
    // One activity about every 16 hours from 2016-01-01T00:00Z (FIT time 820_540_800).
    for i in 0..files {
        let start = 820_540_800 + i as u32 * 57_600 + rng.int(0, 7200);
        let legs = plan(&mut rng);
        let (fit, n) = activity(&mut rng, start, &legs)?;
        let name = format!(
            "{:05}_{}.fit",
            i,
            legs[0].0 .2.replace(' ', "_").to_lowercase()
        );
        std::fs::write(folder.join(&name), &fit)?;
        zip.start_file(format!("activities/{name}"), options)?;
        zip.write_all(&fit)?;
        bytes += fit.len() as u64;
        sessions += n;
    }
    zip.finish()?.flush()?;
    Ok((bytes, sessions))
}

/// `OUT_DIR/garmin.zip` from the files of `OUT_DIR/export/`, split into `parts` part zips.
fn garmin(out: &Path, parts: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(out.join("export"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    names.sort();
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let outer_file = std::fs::File::create(out.join("garmin.zip"))?;
    let mut outer = zip::ZipWriter::new(std::io::BufWriter::new(outer_file));
    let per_part = names.len().div_ceil(parts.max(1)).max(1);
    for (k, chunk) in names.chunks(per_part).enumerate() {
        let tmp = out.join(format!("part{}.tmp", k + 1));
        {
            let f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            let mut part = zip::ZipWriter::new_stream(f);
            for path in chunk {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                part.start_file(name.as_ref(), deflated)?;
                part.write_all(&std::fs::read(path)?)?;
            }
            part.finish()?.flush()?;
        }
        outer.start_file(
            format!(
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part{}.zip",
                k + 1
            ),
            deflated,
        )?;
        std::io::copy(&mut std::fs::File::open(&tmp)?, &mut outer)?;
        std::fs::remove_file(&tmp)?;
    }
    outer.finish()?.flush()?;
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out: Option<PathBuf> = None;
    let mut files = 1_000usize;
    let mut parts = 3usize;
    let mut garmin_only = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--files" => match it.next().and_then(|n| n.parse().ok()) {
                Some(n) if (1..=100_000).contains(&n) => files = n,
                _ => {
                    eprintln!("error: --files needs a number from 1 to 100000");
                    return ExitCode::from(2);
                }
            },
            "--parts" => match it.next().and_then(|n| n.parse().ok()) {
                Some(n) if (1..=100).contains(&n) => parts = n,
                _ => {
                    eprintln!("error: --parts needs a number from 1 to 100");
                    return ExitCode::from(2);
                }
            },
            "--garmin-only" => garmin_only = true,
            dir => out = Some(PathBuf::from(dir)),
        }
    }
    let Some(out) = out else {
        eprintln!("usage: bench_export OUT_DIR [--files N] [--parts P] [--garmin-only]");
        return ExitCode::from(2);
    };
    if garmin_only {
        return match garmin(&out, parts) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: writing {}: {e}", out.join("garmin.zip").display());
                ExitCode::FAILURE
            }
        };
    }
    match run(&out, files).and_then(|r| garmin(&out, parts).map(|()| r)) {
        Ok((bytes, sessions)) => {
            println!(
                "{files} files, {sessions} sessions, {bytes} bytes in {}",
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing the export to {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
