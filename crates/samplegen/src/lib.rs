//! The deterministic sample athlete of `sample_data/`: FIT activities, journal, ground truth.
//!
//! Ten weeks of one runner/cyclist in Europe/Berlin: a FIT file per activity, a soreness and
//! sleep journal, `truth.csv` (each session's intended class and planted findings), the same
//! athlete as a Garmin account export (`garmin_export.zip`) and a README.
//!
//! Everything comes from one fixed seed and the hand-written plan in [`plan`]; nothing reads
//! the clock, so every run writes the same bytes. The heart-rate model uses only `+ - * /`
//! (no `exp`, `ln`, `sin`) so the output does not depend on the platform's maths library.

pub mod apple;
pub mod fitwrite;
mod garmin_export;
mod journal;
mod plan;
mod simulate;
mod strava_export;
mod truth;
pub mod xmlwrite;

use crate::fitwrite::{profile as fp, BaseType, DevFieldDef, FitError, FitWriter, Value};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Offset, TimeZone};
use chrono_tz::Europe::Berlin;
use serde::Serialize;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use garmin_export::*;
use journal::*;
use plan::*;
use simulate::*;
use strava_export::*;
use truth::*;

const SEED: u64 = 0x5EED_2026_0831_0001;
/// Monday of the first week; the period is ten whole weeks.
const FIRST_DAY: (i32, u32, u32) = (2026, 8, 31);
const WEEKS: u32 = 10;
/// The week (1-based) whose volume jumps by more than 10 % over the week before.
const VOLUME_JUMP_WEEK: u32 = 4;
/// The week (1-based) with a session on every day.
const NO_REST_WEEK: u32 = 6;
/// Weeks (1-based) whose watch files use a full timestamp in every record.
const FULL_TIMESTAMP_WEEKS: [u32; 2] = [2, 8];
/// Seconds between the two legs of the brick, in transition (not part of either session).
const TRANSITION_SECS: u32 = 150;

const GARMIN_PRODUCT: u16 = 4024; // Forerunner 955
const GARMIN_SERIAL: u32 = 3_391_847_262;
const GARMIN_SOFTWARE: f64 = 20.26;
const WAHOO_PRODUCT: u16 = 31; // ELEMNT BOLT
const WAHOO_SERIAL: u32 = 1_857_203;
const WAHOO_SOFTWARE: f64 = 16.12;

/// The order in which planting tags are listed in truth.csv.
const TAG_ORDER: [&str; 14] = [
    "easy_day_not_easy",
    "back_to_back_hard",
    "no_rest_week",
    "volume_jump",
    "no_recovery_after_hard",
    "hard_while_sore",
    "soreness_past_72h",
    "hrv_below_normal",
    "short_sleep_after_hard",
    "pause",
    "dropout",
    "gap_90s",
    "compressed_ts",
    "multisport",
];

/// What [`generate`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateSummary {
    pub out_dir: PathBuf,
    /// FIT files under `activities/`.
    pub files: usize,
    /// Session messages over all files (the brick has two).
    pub sessions: usize,
    /// Record messages over all files.
    pub records: usize,
    /// Bytes of all FIT files together.
    pub bytes: u64,
    /// Rows of journal.csv (some days are left out on purpose).
    pub journal_rows: usize,
    /// Bytes of garmin_export.zip.
    pub export_bytes: u64,
    /// Activities in strava_export.zip (each one file) and the bytes of the zip.
    pub strava_activities: usize,
    pub strava_bytes: u64,
    /// Bytes of apple_health_export.zip.
    pub apple_bytes: u64,
}

impl fmt::Display for GenerateSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "wrote {} FIT files to {}: {} sessions, {} records, {} bytes",
            self.files,
            self.out_dir.join("activities").display(),
            self.sessions,
            self.records,
            self.bytes
        )?;
        write!(
            f,
            "wrote journal.csv ({} rows), truth.csv ({} rows), garmin_export.zip ({} bytes), \
             strava_export.zip ({} activities, {} bytes), apple_health_export.zip ({} bytes) and \
             README.md to {}",
            self.journal_rows,
            self.sessions,
            self.export_bytes,
            self.strava_activities,
            self.strava_bytes,
            self.apple_bytes,
            self.out_dir.display()
        )
    }
}

/// Writes the whole sample data set into `out_dir` (creating `out_dir/activities/`).
pub fn generate(out_dir: &Path) -> io::Result<GenerateSummary> {
    let outings = plan();
    let activities = out_dir.join("activities");
    fs::create_dir_all(&activities)?;
    let mut summary = GenerateSummary {
        out_dir: out_dir.to_path_buf(),
        files: 0,
        sessions: 0,
        records: 0,
        bytes: 0,
        journal_rows: 0,
        export_bytes: 0,
        strava_activities: 0,
        strava_bytes: 0,
        apple_bytes: 0,
    };
    let mut fit_files = Vec::new();
    let mut sessions = Vec::new();
    let mut recorded = Vec::new();
    for outing in &outings {
        let simulated = simulate_outing(outing)?;
        let bytes = write_fit(outing, &simulated)?;
        fs::write(activities.join(outing.file_name()), &bytes)?;
        summary.files += 1;
        summary.sessions += simulated.len();
        summary.records += simulated.iter().map(|leg| leg.records.len()).sum::<usize>();
        summary.bytes += bytes.len() as u64;
        for (leg, sim) in outing.legs.iter().zip(&simulated) {
            sessions.push(ExportSession::new(outing, leg, &sim.session));
        }
        fit_files.push((outing.file_name(), bytes.clone()));
        recorded.push((outing, simulated, bytes));
    }
    let days = daily_rows(&outings);
    let journal = journal_rows(&outings);
    summary.journal_rows = journal.len();
    fs::write(out_dir.join("journal.csv"), journal_csv(&journal))?;
    fs::write(out_dir.join("truth.csv"), truth_csv(&outings))?;
    let export = garmin_export(&fit_files, &sessions, &days)?;
    summary.export_bytes = export.len() as u64;
    fs::write(out_dir.join("garmin_export.zip"), export)?;
    let (strava, strava_activities) = strava_export(&recorded)?;
    summary.strava_activities = strava_activities;
    summary.strava_bytes = strava.len() as u64;
    fs::write(out_dir.join("strava_export.zip"), strava)?;
    let apple = apple::sample_export(&fit_files, &days);
    summary.apple_bytes = apple.len() as u64;
    fs::write(out_dir.join("apple_health_export.zip"), apple)?;
    fs::write(out_dir.join("README.md"), readme(&outings))?;
    Ok(summary)
}

// ---------------------------------------------------------------------------------------
// Randomness: splitmix64, so the sample data needs no crate and never changes with one.

/// SplitMix64: the project's one small deterministic generator (sample data, the
/// benchmark export, the damaged-variant tests).
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in `lo..=hi`.
    pub fn int(&mut self, lo: u32, hi: u32) -> u32 {
        let span = u64::from(hi - lo) + 1;
        lo + u32::try_from(self.next_u64() % span).expect("below hi - lo + 1")
    }

    /// Uniform index in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Roughly standard normal: the sum of four uniforms, rescaled (mean 0, variance 1).
    fn gauss(&mut self) -> f64 {
        let sum = self.unit() + self.unit() + self.unit() + self.unit();
        (sum - 2.0) * 1.732_050_807_568_877_2
    }
}

fn rng_for(date: NaiveDate, salt: u64) -> SplitMix64 {
    let day = u64::try_from(date.num_days_from_ce()).expect("dates after year 1");
    SplitMix64::new(
        SEED ^ day.wrapping_mul(0xA24B_AED4_963E_E407) ^ salt.wrapping_mul(0x9FB2_1C65_1E98_DF25),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Minutes below 120, inside 120–140 and above 140 bpm, by the rules the CLI applies:
    /// each record's heart rate holds until the next record, intervals over 60 s and timer
    /// pauses do not count, and only 30–240 bpm is a reading.
    fn zone_minutes(leg: &SimLeg) -> (f64, f64, f64) {
        let (mut below, mut inside, mut above) = (0.0, 0.0, 0.0);
        for pair in leg.records.windows(2) {
            let (from, to) = (pair[0].timestamp, pair[1].timestamp);
            if to - from > 60 {
                continue;
            }
            let secs = f64::from(timer_secs(from, to, leg.pause)) / 60.0;
            match pair[0].heart_rate {
                Some(30..=119) => below += secs,
                Some(120..=140) => inside += secs,
                Some(141..=240) => above += secs,
                _ => {}
            }
        }
        (below, inside, above)
    }

    fn simulated() -> Vec<(Outing, Vec<SimLeg>)> {
        plan()
            .into_iter()
            .map(|o| {
                let legs = simulate_outing(&o).expect("the plan simulates");
                (o, legs)
            })
            .collect()
    }

    fn temp_dir(label: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("recovery-samplegen-{}-{label}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn splitmix64_matches_its_reference_sequence() {
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn every_session_lands_clearly_in_its_intended_class() {
        for (outing, legs) in simulated() {
            for (leg, sim) in outing.legs.iter().zip(&legs) {
                let (below, inside, above) = zone_minutes(sim);
                let share = above / (below + inside + above);
                let timer = sim.session.total_timer_time_s / 60.0;
                let what = format!(
                    "{} {}: timer {timer:.1} above {above:.1}",
                    outing.date, leg.name
                );
                match leg.intended {
                    // The rules say 20 min or 20 %; keep well clear of both.
                    Class::Hard => assert!(above >= 25.0 && share >= 0.35, "{what}"),
                    Class::ActiveRecovery => assert!(timer <= 40.0 && above <= 1.0, "{what}"),
                    // Long enough never to be recovery, far from either hard threshold.
                    Class::Easy => {
                        assert!(timer >= 50.0 && above <= 15.0 && share <= 0.15, "{what}")
                    }
                }
            }
        }
    }

    #[test]
    fn sessions_agree_with_their_records() {
        for (outing, legs) in simulated() {
            for sim in &legs {
                let first = sim.records.first().expect("records");
                let last = sim.records.last().expect("records");
                let s = &sim.session;
                assert_eq!(s.start_time, first.timestamp, "{}", outing.date);
                assert_eq!(
                    f64::from(last.timestamp - first.timestamp),
                    s.total_elapsed_time_s
                );
                let paused = sim.pause.map_or(0, |(stop, start)| start - stop);
                assert_eq!(
                    s.total_elapsed_time_s - f64::from(paused),
                    s.total_timer_time_s
                );
                assert_eq!(Some(s.total_distance_m), last.distance_m);
                let lap_time: f64 = sim.laps.iter().map(|l| l.total_elapsed_time_s).sum();
                assert_eq!(lap_time, s.total_elapsed_time_s, "{} laps", outing.date);
            }
        }
    }

    #[test]
    fn only_week_four_rises_more_than_ten_percent_in_volume() {
        let mut weeks = [0.0; WEEKS as usize];
        for (outing, legs) in simulated() {
            for sim in &legs {
                weeks[outing.week() as usize - 1] += sim.session.total_timer_time_s / 3600.0;
            }
        }
        assert!(weeks.iter().all(|&h| h >= 2.0));
        let jumps: Vec<u32> = (1..weeks.len())
            .filter(|&i| weeks[i] > 1.10 * weeks[i - 1])
            .map(|i| i as u32 + 1)
            .collect();
        assert_eq!(jumps, vec![VOLUME_JUMP_WEEK]);
        assert!(weeks[3] > 1.2 * weeks[2], "the jump is not marginal");
    }

    #[test]
    fn only_week_six_has_no_rest_day() {
        let outings = plan();
        let full: Vec<u32> = (1..=WEEKS)
            .filter(|&week| {
                (0..7).all(|d| {
                    let date = first_day() + Duration::days(i64::from((week - 1) * 7 + d));
                    outings.iter().any(|o| o.date == date)
                })
            })
            .collect();
        assert_eq!(full, vec![NO_REST_WEEK]);
    }

    #[test]
    fn hard_days_follow_each_other_only_in_the_block() {
        let outings = plan();
        let hard = |date: NaiveDate| {
            outings
                .iter()
                .any(|o| o.date == date && o.class() == Class::Hard)
        };
        let back_to_back: Vec<NaiveDate> = outings
            .iter()
            .filter(|o| o.class() == Class::Hard && hard(o.date - Duration::days(1)))
            .map(|o| o.date)
            .collect();
        assert_eq!(back_to_back, vec![day(10, 11), day(10, 12)]);
    }

    #[test]
    fn the_journal_holds_the_planted_soreness_sleep_and_plans() {
        let outings = plan();
        let rows = journal_rows(&outings);
        let hard_days: Vec<NaiveDate> = outings
            .iter()
            .filter(|o| o.class() == Class::Hard)
            .map(|o| o.date)
            .collect();
        let row = |date: NaiveDate| rows.iter().find(|r| r.date == date);

        let sore_hard: Vec<NaiveDate> = hard_days
            .iter()
            .copied()
            .filter(|&d| row(d).is_some_and(|r| r.soreness >= 6))
            .collect();
        assert_eq!(sore_hard, vec![day(10, 12)]);

        // Runs of consecutive days with soreness >= 4: only the block's reaches four.
        let mut runs = Vec::new();
        let mut run = 0;
        for i in 0..=i64::from(WEEKS * 7) {
            if row(first_day() + Duration::days(i)).is_some_and(|r| r.soreness >= 4) {
                run += 1;
            } else {
                runs.push(run);
                run = 0;
            }
        }
        assert_eq!(runs.iter().filter(|&&n| n >= 4).count(), 1);
        assert!(
            runs.iter().any(|&n| n >= 6),
            "past 72 h after the last hard day"
        );

        let short: Vec<NaiveDate> = rows
            .iter()
            .filter(|r| r.sleep_hours < 7.0)
            .map(|r| r.date - Duration::days(1))
            .collect();
        assert_eq!(short, vec![day(9, 8), day(10, 10), day(10, 22)]);
        assert!(short.iter().all(|d| hard_days.contains(d)));

        let planned_easy_but_hard: Vec<NaiveDate> = hard_days
            .iter()
            .copied()
            .filter(|&d| row(d).is_some_and(|r| r.planned == "easy"))
            .collect();
        assert_eq!(planned_easy_but_hard, vec![day(9, 17), day(10, 22)]);
        assert_eq!(rows.iter().filter(|r| r.sleep.contains(':')).count(), 2);
        assert_eq!(rows.len(), 70 - JOURNAL_MISSING.len());
    }

    #[test]
    fn soreness_peaks_the_day_after_an_ordinary_hard_day() {
        let outings = plan();
        let rows = journal_rows(&outings);
        let sore = |date: NaiveDate| rows.iter().find(|r| r.date == date).map(|r| r.soreness);
        for o in outings
            .iter()
            .filter(|o| o.class() == Class::Hard && o.week() != 6)
        {
            let after = o.date + Duration::days(1);
            if let (Some(before), Some(peak)) = (sore(o.date), sore(after)) {
                assert!(peak > before, "{}", o.date);
            }
        }
    }

    #[test]
    fn berlin_switches_to_winter_time_on_25_october() {
        let noon = |m, d| {
            fitwrite::fit_timestamp(
                day(m, d)
                    .and_hms_opt(12, 0, 0)
                    .expect("a real time")
                    .and_utc()
                    .timestamp(),
            )
        };
        assert_eq!(berlin_offset(noon(10, 24)), 7200);
        assert_eq!(berlin_offset(noon(10, 25)), 3600);
    }

    #[test]
    fn csv_fields_with_commas_or_quotes_are_quoted() {
        let rows = [["plain".to_string(), "a, b".into(), "say \"hi\"".into()]];
        let text = csv_text(["x", "y", "z"], rows);
        assert_eq!(text, "x,y,z\nplain,\"a, b\",\"say \"\"hi\"\"\"\n");
    }

    #[test]
    fn regenerating_the_sample_athlete_reproduces_the_committed_sample_data_byte_for_byte() {
        // Every file under a folder, as paths relative to it, sorted.
        fn files(root: &Path) -> Vec<PathBuf> {
            let mut out = Vec::new();
            let mut folders = vec![root.to_path_buf()];
            while let Some(folder) = folders.pop() {
                for entry in fs::read_dir(&folder).expect("the folder reads") {
                    let path = entry.expect("entry").path();
                    if path.is_dir() {
                        folders.push(path);
                    } else {
                        let relative = path.strip_prefix(root).expect("under the root");
                        out.push(relative.to_path_buf());
                    }
                }
            }
            out.sort();
            out
        }
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample_data");
        let fresh = temp_dir("committed");
        generate(&fresh).expect("generate");
        let names = files(&fresh);
        assert_eq!(files(&committed), names, "the same files as sample_data/");
        let differ: Vec<String> = names
            .iter()
            .filter(|name| {
                let want = fs::read(committed.join(name)).expect("the committed file reads");
                want != fs::read(fresh.join(name)).expect("the fresh file reads")
            })
            .map(|name| format!("sample_data/{}", name.display()))
            .collect();
        assert!(
            differ.is_empty(),
            "not what the generator writes: {differ:?}; if the generator changed on purpose, \
             run `cargo run --example generate_sample` and commit sample_data/"
        );
        let _ = fs::remove_dir_all(&fresh);
    }

    #[test]
    fn the_garmin_export_holds_the_journals_nights_and_one_activity_per_session() {
        use recovery::ingest::{exports::Wellness, join::match_activities};
        use std::io::Read;

        let dir = temp_dir("garmin");
        let summary = generate(&dir).expect("generate");
        let file = fs::File::open(dir.join("garmin_export.zip")).expect("the export exists");
        let mut zip = zip::ZipArchive::new(file).expect("the export is a zip");
        let mut wellness = Wellness::default();
        let mut fit_files = 0;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).expect("entry");
            let name = entry.name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("entry reads");
            if !name.ends_with(".zip") {
                wellness.add_file(&format!("garmin_export.zip/{name}"), &bytes);
                continue;
            }
            let mut inner = zip::ZipArchive::new(io::Cursor::new(bytes)).expect("inner zip");
            for j in 0..inner.len() {
                let mut fit = inner.by_index(j).expect("inner entry");
                let fit_name = fit.name().unwrap_or_default().to_string();
                let mut bytes = Vec::new();
                fit.read_to_end(&mut bytes).expect("inner entry reads");
                let original = fs::read(dir.join("activities").join(&fit_name));
                assert!(original.expect("the same file") == bytes, "{fit_name}");
                fit_files += 1;
            }
        }
        wellness.finish();
        assert_eq!(wellness.problems, Vec::<String>::new());
        assert_eq!((wellness.files_read.len(), fit_files), (4, summary.files));

        // Sleep and resting heart rate are the journal's, every morning but the one after the
        // watch's night on the charger; the later sleep file wins the nights in both.
        let days = daily_rows(&plan());
        let worn: Vec<&JournalRow> = days.iter().filter(|r| !is_day(r.date, WATCH_OFF)).collect();
        assert_eq!(wellness.nights.len(), worn.len());
        assert_eq!(wellness.resting_hr.len(), worn.len());
        for ((night, rhr), row) in wellness.nights.iter().zip(&wellness.resting_hr).zip(&worn) {
            assert_eq!((night.date, rhr.date), (row.date, row.date));
            assert!(
                (night.sleep_hours - row.sleep_hours).abs() < 1e-9,
                "{}",
                row.date
            );
            assert_eq!(rhr.value, f64::from(row.resting_hr));
            let later = night.source_file.contains("/2026-10-01_2026-11-08_");
            assert_eq!(later, row.date >= day(10, 1), "{}", row.date);
            assert!(night.score.is_some() && night.start_utc < night.end_utc);
        }

        // Every session finds its activity by start time: its name, and RPE from the watch.
        let mut sessions = Vec::new();
        for (outing, legs) in simulated() {
            for (leg, sim) in outing.legs.iter().zip(&legs) {
                let start = i64::from(sim.session.start_time) + fitwrite::FIT_EPOCH_UNIX;
                let watch = outing.device == Device::Watch;
                sessions.push((outing.date, leg.clone(), watch, start));
            }
        }
        assert_eq!(wellness.activities.len(), sessions.len());
        let starts: Vec<i64> = sessions.iter().map(|s| s.3).collect();
        let matched = match_activities(&starts, &wellness.activities, 300);
        for ((date, leg, watch, _), m) in sessions.iter().zip(&matched) {
            let a = &wellness.activities[m.expect("every session has its activity")];
            assert_eq!(a.name.as_deref(), Some(leg.name), "{date}");
            assert_eq!(a.rpe.is_some(), *watch, "{date}");
            if leg.shape == Shape::EasyRunTooHard {
                assert_eq!(a.rpe, Some(6.0), "the athlete felt it was not easy");
            }
        }

        // The whole sample stays small although the export repeats the FIT files.
        let total: u64 = fs::read_dir(&dir)
            .expect("out dir")
            .chain(fs::read_dir(dir.join("activities")).expect("activities"))
            .map(|e| e.expect("entry").metadata().expect("metadata").len())
            .sum();
        assert!(total < 3_000_000, "{total} bytes");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_strava_archive_lists_each_file_once_and_holds_the_fit_files_or_their_records() {
        use recovery::ingest::exports::Wellness;
        use std::io::Read;

        let dir = temp_dir("strava");
        let summary = generate(&dir).expect("generate");
        let file = fs::File::open(dir.join("strava_export.zip")).expect("the archive exists");
        let mut zip = zip::ZipArchive::new(file).expect("the archive is a zip");
        let mut entries = std::collections::BTreeMap::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).expect("entry");
            let name = entry.name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("entry reads");
            if name.ends_with(".gz") {
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut plain)
                    .expect("gzip");
                bytes = plain;
            }
            entries.insert(name, bytes);
        }
        let mut wellness = Wellness::default();
        let csv = entries.remove("activities.csv").expect("activities.csv");
        wellness.add_file("strava_export.zip/activities.csv", &csv);
        wellness.finish();
        assert_eq!(wellness.problems, Vec::<String>::new());
        let rows = &wellness.activities;
        assert_eq!(rows.len(), summary.strava_activities);
        let listed: Vec<&str> = rows.iter().filter_map(|r| r.file.as_deref()).collect();
        let stored: Vec<&str> = entries.keys().map(String::as_str).collect();
        let mut sorted = listed.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted, stored,
            "every file is listed once, every row has its file"
        );

        // From the first day on, every outing once, in date order; the FIT uploads are the
        // very bytes of activities/, the others GPX or TCX with the outing's records.
        let from = day(STRAVA_FROM.0, STRAVA_FROM.1);
        let outings: Vec<(Outing, Vec<SimLeg>)> = simulated()
            .into_iter()
            .filter(|(o, _)| o.date >= from)
            .collect();
        assert_eq!(outings.len(), rows.len());
        let mut xml = 0;
        for ((outing, legs), row) in outings.iter().zip(rows) {
            let file = row.file.as_deref().expect("a file");
            let bytes = &entries[file];
            let records = || legs[0].records.iter();
            match upload_of(outing.date) {
                Upload::FitGz => {
                    let fit = fs::read(dir.join("activities").join(outing.file_name()));
                    assert!(fit.expect("the FIT file") == *bytes, "{file}");
                    assert_eq!(row.name.as_deref(), Some(outing.legs[0].name));
                }
                upload => {
                    xml += 1;
                    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
                    let tag = match upload {
                        Upload::GarminGpx { .. } => "<ns3:hr>",
                        Upload::AppGpx { .. } => "<gpxtpx:hr>",
                        _ => "<HeartRateBpm>",
                    };
                    let points = text.matches(tag).count();
                    let with_hr = records().filter(|r| r.heart_rate.is_some()).count();
                    if upload == (Upload::AppGpx { gz: false }) {
                        assert!(points < with_hr * 2 / 3, "{file}: smart recording");
                    } else {
                        let paused = |t: u32| legs[0].pause.is_some_and(|(a, b)| t > a && t < b);
                        let kept = records()
                            .filter(|r| r.heart_rate.is_some() && !paused(r.timestamp))
                            .count();
                        assert_eq!(points, kept, "{file}: every record outside a pause");
                    }
                }
            }
            assert_eq!(
                row.activity_type.as_deref(),
                Some(match outing.legs[0].shape.discipline() {
                    Discipline::Run => "Run",
                    Discipline::Ride => "Ride",
                })
            );
        }
        assert_eq!(xml, XML_UPLOADS.len());
        assert!(
            summary.strava_bytes < 400_000,
            "{} bytes",
            summary.strava_bytes
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_apple_health_export_is_small_and_reads_back_as_the_fit_workouts_of_its_week() {
        let dir = temp_dir("apple");
        let summary = generate(&dir).expect("generate");
        assert!(
            summary.apple_bytes < 300_000,
            "{} bytes",
            summary.apple_bytes
        );
        let opts = recovery::ingest::IngestOptions::default();
        let apple = recovery::ingest::ingest(&[dir.join("apple_health_export.zip")], &opts);
        assert!(
            apple.wellness.problems.is_empty(),
            "{:?}",
            apple.wellness.problems
        );
        let (from, to) = (
            day(apple::APPLE_WEEK[0].0, apple::APPLE_WEEK[0].1),
            day(apple::APPLE_WEEK[1].0, apple::APPLE_WEEK[1].1),
        );
        let fit = recovery::ingest::ingest(&[dir.join("activities")], &opts);
        let week: Vec<_> = fit
            .sessions
            .iter()
            .filter(|s| s.local_date >= from && s.local_date <= to && s.sport != "transition")
            .collect();
        assert_eq!(apple.sessions.len(), week.len());
        for (a, f) in apple.sessions.iter().zip(&week) {
            assert_eq!((a.start_utc, a.local_date), (f.start_utc, f.local_date));
        }
        assert_eq!(apple.wellness.nights.len(), 7);
        assert_eq!(apple.wellness.hrv_sdnn.len(), 7);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn every_generated_file_reads_back_with_fitparser() {
        use fitparser::profile::MesgNum;
        let dir = temp_dir("fitparser");
        let summary = generate(&dir).expect("generate");
        assert!(summary.bytes < 1_500_000, "the sample stays small");
        let mut sessions = 0;
        let mut records = 0;
        for entry in fs::read_dir(dir.join("activities")).expect("activities") {
            let path = entry.expect("entry").path();
            let bytes = fs::read(&path).expect("read");
            assert_eq!(recovery::ingest::fit::check::crc16(&bytes), 0, "{path:?}");
            let messages = fitparser::from_bytes(&bytes).expect("fitparser decodes it");
            let count = |kind: MesgNum| messages.iter().filter(|m| m.kind() == kind).count();
            sessions += count(MesgNum::Session);
            records += count(MesgNum::Record);
            assert_eq!(count(MesgNum::Activity), 1, "{path:?}");
        }
        assert_eq!((sessions, records), (summary.sessions, summary.records));
        let truth = fs::read_to_string(dir.join("truth.csv")).expect("truth");
        assert_eq!(truth.lines().count(), sessions + 1);
        let _ = fs::remove_dir_all(&dir);
    }
}
