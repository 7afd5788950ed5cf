//! Writes a synthetic Apple Health export for `benches/bench.sh --apple`: `OUT_DIR/export.zip`
//! holding `apple_health_export/export.xml` with the iOS 16 DTD, records ordered by type as
//! the phone writes them (heart rate every 5 min and every 5 s during a daily one-hour
//! workout, steps, active and basal energy, walking distance: the types that make real exports
//! big, which the reader steps over), sleep stages, resting heart rate, SDNN, then one workout
//! a day with a pause. `cargo run --release --example bench_apple -- OUT_DIR [--days N]`
//! (default 730 days: ~1.6 million records, ~0.5 GB of XML). Deterministic; streamed into
//! the zip, so the generator's memory stays small.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use samplegen::apple::{apple_date, record_line, HEAD, PHONE, WATCH};

const OFFSET: i32 = 3600;
/// 2024-01-01T00:00:00Z.
const FIRST: i64 = 1_704_067_200;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first().map(PathBuf::from) else {
        eprintln!("usage: bench_apple OUT_DIR [--days N]");
        return ExitCode::from(2);
    };
    let days: i64 = match args.iter().position(|a| a == "--days") {
        Some(i) => match args.get(i + 1).and_then(|d| d.parse().ok()) {
            Some(d) => d,
            None => {
                eprintln!("error: --days needs a number");
                return ExitCode::from(2);
            }
        },
        None => 730,
    };
    match write(&out, days) {
        Ok(records) => {
            println!("records={records} days={days}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}

fn write(out: &std::path::Path, days: i64) -> std::io::Result<u64> {
    std::fs::create_dir_all(out)?;
    let file = std::fs::File::create(out.join("export.zip"))?;
    let mut z = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("apple_health_export/export.xml", opts)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, z);
    w.write_all(HEAD.as_bytes())?;
    w.write_all(
        b"<HealthData locale=\"en_DE\">\n <ExportDate value=\"2026-01-01 08:00:00 +0100\"/>\n",
    )?;
    w.write_all(b" <Me HKCharacteristicTypeIdentifierDateOfBirth=\"1990-04-12\" HKCharacteristicTypeIdentifierBiologicalSex=\"HKBiologicalSexFemale\" HKCharacteristicTypeIdentifierBloodType=\"HKBloodTypeNotSet\" HKCharacteristicTypeIdentifierFitzpatrickSkinType=\"HKFitzpatrickSkinTypeNotSet\" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse=\"None\x0b\"/>\n")?;
    let mut n = 0u64;
    let d = |t: i64| apple_date(t, OFFSET);
    let mut rec =
        |w: &mut dyn Write, ty: &str, unit: Option<&str>, v: String, src: &str, a: i64, b: i64| {
            n += 1;
            w.write_all(record_line(ty, unit, &v, src, &d(a), &d(b)).as_bytes())
        };
    // The workout of day k: one hour from 17:00 local (16:00 UTC), paused 5 min at 30 min.
    let workout = |k: i64| FIRST + k * 86_400 + 16 * 3600;
    for k in 0..days {
        let day = FIRST + k * 86_400;
        let ws = workout(k);
        let mut t = day;
        while t < day + 86_400 {
            let inside = t >= ws && t < ws + 3600;
            let bpm = if inside {
                120 + (t / 5 % 40)
            } else {
                55 + (t / 300 % 20)
            };
            rec(
                &mut w,
                "HKQuantityTypeIdentifierHeartRate",
                Some("count/min"),
                bpm.to_string(),
                WATCH,
                t,
                t,
            )?;
            t += if inside || (t >= ws - 300 && t < ws) {
                5
            } else {
                300
            };
            if !inside && t > ws && t < ws + 3600 {
                t = ws;
            }
        }
    }
    for k in 0..days {
        let day = FIRST + k * 86_400;
        for i in 0..320 {
            let t = day + 6 * 3600 + i * 180;
            rec(
                &mut w,
                "HKQuantityTypeIdentifierStepCount",
                Some("count"),
                (20 + i % 90).to_string(),
                PHONE,
                t,
                t + 170,
            )?;
        }
    }
    for k in 0..days {
        let day = FIRST + k * 86_400;
        for i in 0..500 {
            let t = day + i * 170;
            rec(
                &mut w,
                "HKQuantityTypeIdentifierActiveEnergyBurned",
                Some("Cal"),
                format!("{:.3}", 0.5 + (i % 13) as f64 * 0.37),
                WATCH,
                t,
                t + 160,
            )?;
        }
        for i in 0..100 {
            let t = day + i * 860;
            rec(
                &mut w,
                "HKQuantityTypeIdentifierBasalEnergyBurned",
                Some("Cal"),
                format!("{:.3}", 12.0 + (i % 7) as f64 * 0.21),
                WATCH,
                t,
                t + 850,
            )?;
        }
    }
    for k in 0..days {
        let day = FIRST + k * 86_400;
        for i in 0..300 {
            let t = day + 6 * 3600 + i * 190;
            rec(
                &mut w,
                "HKQuantityTypeIdentifierDistanceWalkingRunning",
                Some("km"),
                format!("{:.5}", 0.01 + (i % 17) as f64 * 0.003),
                PHONE,
                t,
                t + 180,
            )?;
        }
        rec(
            &mut w,
            "HKQuantityTypeIdentifierRestingHeartRate",
            Some("count/min"),
            (48 + k % 6).to_string(),
            WATCH,
            day + 6 * 3600,
            day + 6 * 3600,
        )?;
        for i in 0..5 {
            let t = day + 2 * 3600 + i * 4 * 3600;
            rec(
                &mut w,
                "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
                Some("ms"),
                format!("{}", 40 + (k + i) % 30),
                WATCH,
                t,
                t + 60,
            )?;
        }
    }
    for k in 0..days {
        // The night to day k's morning: 22:00 to 06:00 UTC, stages and a generic Asleep.
        let bed = FIRST + k * 86_400 - 2 * 3600;
        let v = |s: &str| format!("HKCategoryValueSleepAnalysis{s}");
        rec(
            &mut w,
            "HKCategoryTypeIdentifierSleepAnalysis",
            None,
            v("InBed"),
            PHONE,
            bed - 600,
            bed + 8 * 3600,
        )?;
        rec(
            &mut w,
            "HKCategoryTypeIdentifierSleepAnalysis",
            None,
            v("Asleep"),
            WATCH,
            bed,
            bed + 8 * 3600,
        )?;
        let stages = [
            "AsleepCore",
            "AsleepDeep",
            "AsleepCore",
            "AsleepREM",
            "Awake",
            "AsleepCore",
            "AsleepREM",
            "AsleepCore",
        ];
        for (i, s) in stages.iter().enumerate() {
            let a = bed + i as i64 * 3600;
            rec(
                &mut w,
                "HKCategoryTypeIdentifierSleepAnalysis",
                None,
                v(s),
                WATCH,
                a,
                a + 3600,
            )?;
        }
    }
    for k in 0..days {
        let ws = workout(k);
        write!(
            w,
            " <Workout workoutActivityType=\"HKWorkoutActivityTypeRunning\" duration=\"55\" durationUnit=\"min\" sourceName=\"{WATCH}\" sourceVersion=\"10.6\" creationDate=\"{}\" startDate=\"{}\" endDate=\"{}\">\n  <WorkoutEvent type=\"HKWorkoutEventTypePause\" date=\"{}\"/>\n  <WorkoutEvent type=\"HKWorkoutEventTypeResume\" date=\"{}\"/>\n  <WorkoutStatistics type=\"HKQuantityTypeIdentifierHeartRate\" startDate=\"{}\" endDate=\"{}\" average=\"139\" minimum=\"120\" maximum=\"159\" unit=\"count/min\"/>\n </Workout>\n",
            d(ws + 3600), d(ws), d(ws + 3600), d(ws + 1800), d(ws + 2100), d(ws), d(ws + 3600)
        )?;
    }
    w.write_all(b"</HealthData>\n")?;
    let z = w.into_inner().map_err(|e| e.into_error())?;
    z.finish()?.flush()?;
    Ok(n)
}
