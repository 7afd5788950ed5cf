//! The deterministic sample athlete of `sample_data/`: FIT activities, journal, ground truth.
//!
//! Ten weeks of one runner/cyclist in Europe/Berlin: a FIT file per activity, a soreness and
//! sleep journal, `truth.csv` (each session's intended class and planted findings), the same
//! athlete as a Garmin account export (`garmin_export.zip`) and a README.
//!
//! Everything comes from one fixed seed and the hand-written plan in [`plan`]; nothing reads
//! the clock, so every run writes the same bytes. The heart-rate model uses only `+ - * /`
//! (no `exp`, `ln`, `sin`) so the output does not depend on the platform's maths library.

pub mod fitwrite;

use crate::fitwrite::{profile as fp, BaseType, DevFieldDef, FitError, FitWriter, Value};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Offset, TimeZone};
use chrono_tz::Europe::Berlin;
use serde::Serialize;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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
const TAG_ORDER: [&str; 13] = [
    "easy_day_not_easy",
    "back_to_back_hard",
    "no_rest_week",
    "volume_jump",
    "no_recovery_after_hard",
    "hard_while_sore",
    "soreness_past_72h",
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
            "wrote journal.csv ({} rows), truth.csv ({} rows), garmin_export.zip ({} bytes) and README.md to {}",
            self.journal_rows,
            self.sessions,
            self.export_bytes,
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
    };
    let mut fit_files = Vec::new();
    let mut sessions = Vec::new();
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
        fit_files.push((outing.file_name(), bytes));
    }
    let days = daily_rows(&outings);
    let journal = journal_rows(&outings);
    summary.journal_rows = journal.len();
    fs::write(out_dir.join("journal.csv"), journal_csv(&journal))?;
    fs::write(out_dir.join("truth.csv"), truth_csv(&outings))?;
    let export = garmin_export(&fit_files, &sessions, &days)?;
    summary.export_bytes = export.len() as u64;
    fs::write(out_dir.join("garmin_export.zip"), export)?;
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

// ---------------------------------------------------------------------------------------
// The plan: one entry per file, in date order.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    ActiveRecovery,
    Easy,
    Hard,
}

impl Class {
    fn as_str(self) -> &'static str {
        match self {
            Class::ActiveRecovery => "active_recovery",
            Class::Easy => "easy",
            Class::Hard => "hard",
        }
    }

    /// What the journal's `planned` column says for a day of this class.
    fn planned(self) -> &'static str {
        match self {
            Class::ActiveRecovery => "recovery",
            Class::Easy => "easy",
            Class::Hard => "hard",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Discipline {
    Run,
    Ride,
}

impl Discipline {
    fn sport(self) -> u8 {
        match self {
            Discipline::Run => fp::SPORT_RUNNING,
            Discipline::Ride => fp::SPORT_CYCLING,
        }
    }

    fn sub_sport(self) -> u8 {
        match self {
            Discipline::Run => fp::SUB_SPORT_STREET,
            Discipline::Ride => fp::SUB_SPORT_ROAD,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Discipline::Run => "running",
            Discipline::Ride => "cycling",
        }
    }

    /// Auto-lap distance of steady sessions.
    fn auto_lap_m(self) -> f64 {
        match self {
            Discipline::Run => 1000.0,
            Discipline::Ride => 10_000.0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Device {
    /// Garmin Forerunner: every second, compressed timestamps in some files.
    Watch,
    /// Wahoo ELEMNT: smart recording, 1–8 s between records.
    BikeComputer,
}

/// The workout's shape: decides heart rate, pace and laps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// 6 x 4 min hard, 2 min jog.
    Intervals,
    RecoveryJog,
    /// Steady, drifting upwards, with `hills` short climbs to 141–146 bpm.
    EasyRun {
        hills: u32,
    },
    /// Named "Easy Run" but run at tempo effort.
    EasyRunTooHard,
    ProgressionRun,
    /// 3 x 10 min at threshold.
    TempoRun,
    EasyRide {
        climbs: u32,
    },
    /// 2 x 20 min at tempo.
    TempoRide,
    /// The run off the bike: starts high, settles, drifts.
    BrickRun,
}

impl Shape {
    fn discipline(self) -> Discipline {
        match self {
            Shape::EasyRide { .. } | Shape::TempoRide => Discipline::Ride,
            _ => Discipline::Run,
        }
    }

    /// Structured workouts lap at each step; steady ones auto-lap by distance.
    fn structured(self) -> bool {
        matches!(
            self,
            Shape::Intervals | Shape::ProgressionRun | Shape::TempoRun | Shape::TempoRide
        )
    }

    fn steps(self) -> u16 {
        match self {
            Shape::Intervals => 14,
            Shape::TempoRun => 8,
            Shape::TempoRide => 5,
            Shape::ProgressionRun => 4,
            _ => 1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pause {
    /// Moving minute at which the athlete stops (at a traffic light).
    at_min: u32,
    secs: u32,
    /// The device keeps writing records (speed 0, HR frozen) while the timer is stopped.
    stale_records: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Dropout {
    at_min: u32,
    secs: u32,
    /// The strap reports 0 instead of nothing (0xFF).
    zero: bool,
}

#[derive(Clone, Debug)]
struct Leg {
    shape: Shape,
    /// Moving (timer) minutes.
    minutes: u32,
    name: &'static str,
    intended: Class,
    pause: Option<Pause>,
    dropout: Option<Dropout>,
    /// Moving minute after which 90 s pass without a record.
    gap_at_min: Option<u32>,
    tags: Vec<&'static str>,
}

impl Leg {
    fn pause(mut self, at_min: u32, secs: u32, stale_records: bool) -> Self {
        self.pause = Some(Pause {
            at_min,
            secs,
            stale_records,
        });
        self
    }

    fn dropout(mut self, at_min: u32, secs: u32, zero: bool) -> Self {
        self.dropout = Some(Dropout { at_min, secs, zero });
        self
    }

    fn gap(mut self, at_min: u32) -> Self {
        self.gap_at_min = Some(at_min);
        self
    }

    fn tag(mut self, tag: &'static str) -> Self {
        self.tags.push(tag);
        self
    }
}

fn leg(shape: Shape, minutes: u32, name: &'static str, intended: Class) -> Leg {
    Leg {
        shape,
        minutes,
        name,
        intended,
        pause: None,
        dropout: None,
        gap_at_min: None,
        tags: Vec::new(),
    }
}

/// One file: one activity, one or two legs (sessions).
#[derive(Clone, Debug)]
struct Outing {
    date: NaiveDate,
    /// Local (Europe/Berlin) start time.
    start: (u32, u32),
    slug: &'static str,
    device: Device,
    legs: Vec<Leg>,
    /// What the journal says was planned for the day, when it differs from what happened.
    planned: Option<&'static str>,
    /// Records carry a developer field (running power from a Connect IQ app).
    dev_power: bool,
    /// Workout name of a multi-leg file (single legs use the leg's name).
    workout_name: Option<&'static str>,
}

impl Outing {
    fn file_name(&self) -> String {
        format!("{}_{}.fit", self.date.format("%Y-%m-%d"), self.slug)
    }

    /// 1-based week of the period.
    fn week(&self) -> u32 {
        week_of(self.date)
    }

    /// The watch writes compressed timestamps except in weeks 2 and 8 (which also hold the
    /// files with developer fields), so both kinds of record header are in the sample.
    fn compressed(&self) -> bool {
        self.device == Device::Watch && !FULL_TIMESTAMP_WEEKS.contains(&self.week())
    }

    fn class(&self) -> Class {
        self.legs
            .iter()
            .map(|leg| leg.intended)
            .max()
            .expect("every outing has a leg")
    }

    fn planned(mut self, planned: &'static str) -> Self {
        self.planned = Some(planned);
        self
    }

    fn with_dev_power(mut self) -> Self {
        self.dev_power = true;
        self
    }
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).expect("a real date")
}

fn week_of(date: NaiveDate) -> u32 {
    u32::try_from((date - first_day()).num_days() / 7 + 1).expect("dates inside the period")
}

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_DAY.0, month, day).expect("a real date")
}

fn outing(date: NaiveDate, start: (u32, u32), slug: &'static str, legs: Vec<Leg>) -> Outing {
    let device = if legs
        .iter()
        .all(|l| l.shape.discipline() == Discipline::Ride)
    {
        Device::BikeComputer
    } else {
        Device::Watch
    };
    Outing {
        date,
        start,
        slug,
        device,
        legs,
        planned: None,
        dev_power: false,
        workout_name: None,
    }
}

fn intervals(date: NaiveDate) -> Outing {
    outing(
        date,
        (18, 30),
        "run_intervals",
        vec![leg(Shape::Intervals, 61, "Intervals 6x4min", Class::Hard)],
    )
}

fn recovery(date: NaiveDate, minutes: u32) -> Outing {
    outing(
        date,
        (7, 0),
        "run_recovery",
        vec![leg(
            Shape::RecoveryJog,
            minutes,
            "Recovery Jog",
            Class::ActiveRecovery,
        )],
    )
}

fn easy_run(date: NaiveDate, start: (u32, u32), minutes: u32, hills: u32) -> Outing {
    outing(
        date,
        start,
        "run_easy",
        vec![leg(
            Shape::EasyRun { hills },
            minutes,
            "Easy Run",
            Class::Easy,
        )],
    )
}

fn ride(date: NaiveDate, start: (u32, u32), minutes: u32, climbs: u32) -> Outing {
    outing(
        date,
        start,
        "ride_endurance",
        vec![leg(
            Shape::EasyRide { climbs },
            minutes,
            "Endurance Ride",
            Class::Easy,
        )],
    )
}

fn tempo_ride(date: NaiveDate, minutes: u32) -> Outing {
    outing(
        date,
        (9, 0),
        "ride_tempo",
        vec![leg(
            Shape::TempoRide,
            minutes,
            "Tempo Ride 2x20min",
            Class::Hard,
        )],
    )
}

/// Edits the only leg of an outing.
fn only(mut o: Outing, edit: impl FnOnce(Leg) -> Leg) -> Outing {
    let first = o.legs.remove(0);
    o.legs.insert(0, edit(first));
    o
}

/// The ten weeks, Monday 2026-08-31 to Sunday 2026-11-08. Rest days are the days without an
/// entry. Intended classes: Tuesdays hard, Wednesdays active recovery, the rest easy, except
/// the plantings marked below.
fn plan() -> Vec<Outing> {
    vec![
        // Week 1: Mon rest, Fri rest.
        intervals(day(9, 1)),
        recovery(day(9, 2), 30),
        easy_run(day(9, 3), (18, 15), 52, 3),
        ride(day(9, 5), (9, 0), 92, 2),
        easy_run(day(9, 6), (9, 30), 64, 1),
        // Week 2: a short night after Tuesday's intervals; a pause in the jog and the ride.
        only(intervals(day(9, 8)), |l| l.tag("short_sleep_after_hard")),
        only(recovery(day(9, 9), 32), |l| l.pause(14, 150, false)),
        easy_run(day(9, 10), (18, 15), 55, 3),
        only(ride(day(9, 12), (9, 0), 100, 2), |l| l.pause(41, 200, true)),
        easy_run(day(9, 13), (9, 30), 62, 1).with_dev_power(),
        // Week 3: Thursday's "Easy Run" is run at tempo; a heart-rate dropout on Sunday.
        intervals(day(9, 15)),
        recovery(day(9, 16), 30),
        outing(
            day(9, 17),
            (18, 15),
            "run_easy",
            vec![leg(Shape::EasyRunTooHard, 56, "Easy Run", Class::Hard).tag("easy_day_not_easy")],
        )
        .planned("easy"),
        ride(day(9, 19), (9, 0), 105, 3),
        only(easy_run(day(9, 20), (9, 30), 70, 2), |l| {
            l.dropout(33, 45, false)
        }),
        // Week 4: the volume jump (about +30 %): a Friday ride and the brick on Saturday.
        intervals(day(9, 22)),
        recovery(day(9, 23), 35),
        easy_run(day(9, 24), (18, 15), 60, 3),
        ride(day(9, 25), (17, 30), 58, 2),
        Outing {
            workout_name: Some("Brick 75+55"),
            ..outing(
                day(9, 26),
                (9, 0),
                "multisport_brick",
                vec![
                    leg(Shape::EasyRide { climbs: 1 }, 75, "Brick Ride", Class::Easy),
                    leg(Shape::BrickRun, 55, "Brick Run", Class::Easy),
                ],
            )
        },
        easy_run(day(9, 27), (9, 30), 75, 1),
        // Week 5: a pause on Thursday; a hard tempo ride on Saturday, then an easy long run.
        intervals(day(9, 29)),
        recovery(day(9, 30), 32),
        only(easy_run(day(10, 1), (18, 15), 60, 3), |l| {
            l.pause(20, 180, false)
        }),
        ride(day(10, 2), (17, 30), 55, 2),
        tempo_ride(day(10, 3), 100),
        easy_run(day(10, 4), (9, 30), 85, 2),
        // Week 6: no rest day; the overreaching block starts on Saturday.
        recovery(day(10, 5), 30),
        intervals(day(10, 6)),
        recovery(day(10, 7), 30),
        easy_run(day(10, 8), (18, 15), 55, 3),
        ride(day(10, 9), (17, 30), 55, 2),
        only(tempo_ride(day(10, 10), 95), |l| {
            l.tag("no_recovery_after_hard")
                .tag("short_sleep_after_hard")
        }),
        outing(
            day(10, 11),
            (9, 30),
            "run_progression",
            vec![
                leg(Shape::ProgressionRun, 70, "Progression Run", Class::Hard)
                    .tag("back_to_back_hard"),
            ],
        ),
        // Week 7: the block's third hard day, run while sore; soreness lasts past 72 h.
        outing(
            day(10, 12),
            (18, 0),
            "run_tempo",
            vec![leg(Shape::TempoRun, 57, "Tempo Run 3x10min", Class::Hard)
                .tag("back_to_back_hard")
                .tag("hard_while_sore")
                .tag("soreness_past_72h")],
        ),
        recovery(day(10, 14), 30),
        easy_run(day(10, 15), (18, 15), 50, 3),
        ride(day(10, 17), (9, 0), 120, 3),
        only(easy_run(day(10, 18), (9, 30), 66, 1), |l| l.gap(40)),
        // Week 8: the second too-hard "Easy Run"; clocks go back on Sunday 25 October.
        intervals(day(10, 20)),
        recovery(day(10, 21), 30),
        outing(
            day(10, 22),
            (18, 15),
            "run_easy",
            vec![leg(Shape::EasyRunTooHard, 58, "Easy Run", Class::Hard)
                .tag("easy_day_not_easy")
                .tag("short_sleep_after_hard")],
        )
        .planned("easy"),
        only(ride(day(10, 24), (9, 0), 110, 3), |l| {
            l.pause(55, 140, false)
        }),
        easy_run(day(10, 25), (9, 30), 75, 2).with_dev_power(),
        // Week 9: a dropout that reads 0 bpm on Thursday.
        intervals(day(10, 27)),
        recovery(day(10, 28), 30),
        only(easy_run(day(10, 29), (18, 15), 60, 3), |l| {
            l.dropout(20, 35, true)
        }),
        ride(day(10, 31), (9, 0), 105, 2),
        easy_run(day(11, 1), (9, 30), 80, 1),
        // Week 10: lighter; a pause on Thursday, a hard tempo ride on Saturday.
        intervals(day(11, 3)),
        recovery(day(11, 4), 30),
        only(easy_run(day(11, 5), (18, 15), 50, 3), |l| {
            l.pause(30, 230, false)
        }),
        tempo_ride(day(11, 7), 80),
        easy_run(day(11, 8), (9, 30), 60, 1),
    ]
}

// ---------------------------------------------------------------------------------------
// Simulation: targets per step, a first-order heart-rate response, noise, the artefacts.

/// One step of a workout in moving time.
#[derive(Clone, Copy, Debug)]
struct Step {
    secs: u32,
    hr_from: f64,
    hr_to: f64,
    speed: f64,
}

fn step(minutes: f64, hr_from: f64, hr_to: f64, speed: f64) -> Step {
    Step {
        secs: (minutes * 60.0).round() as u32,
        hr_from,
        hr_to,
        speed,
    }
}

/// The steps of a leg, summing to `minutes` of moving time.
fn steps(shape: Shape, minutes: u32, rng: &mut SplitMix64) -> Vec<Step> {
    let total = f64::from(minutes);
    let mut out = Vec::new();
    match shape {
        Shape::Intervals => {
            let warm = total - 36.0 - 10.0;
            out.push(step(warm, 106.0, 132.0, 2.85));
            for rep in 0..6 {
                let hard = 168.0 + f64::from(rep) * 1.2 + rng.range(-1.0, 1.0);
                out.push(step(4.0, hard, hard + 3.0, 4.2 + rng.range(-0.1, 0.1)));
                out.push(step(2.0, 126.0, 126.0, 2.3));
            }
            out.push(step(10.0, 120.0, 114.0, 2.6));
        }
        Shape::RecoveryJog => {
            out.push(step(5.0, 98.0, 112.0, 2.45));
            out.push(step(total - 7.0, 114.0, 121.0, 2.6));
            out.push(step(2.0, 112.0, 110.0, 2.4));
        }
        Shape::EasyRun { hills } => {
            let warm = 8.0;
            let cool = 3.0;
            let main = total - warm - cool;
            // Drift: about 0.1 bpm a minute; a long run ends near 137.
            let (from, to) = (127.0, 127.0 + 0.13 * main);
            out.push(step(warm, 108.0, 125.0, 2.8));
            let hill_min = 2.2;
            let flats = hills + 1;
            let flat = (main - f64::from(hills) * hill_min) / f64::from(flats);
            let mut at = 0.0;
            for i in 0..flats {
                let (a, b) = (
                    from + (to - from) * at / main,
                    from + (to - from) * (at + flat) / main,
                );
                out.push(step(flat, a, b, 2.95 + rng.range(-0.05, 0.05)));
                at += flat;
                if i < hills {
                    let peak = 147.0 + rng.range(0.0, 1.0);
                    out.push(step(hill_min, peak, peak, 2.55));
                    at += hill_min;
                }
            }
            out.push(step(cool, 122.0, 118.0, 2.7));
        }
        Shape::EasyRunTooHard => {
            out.push(step(6.0, 112.0, 140.0, 3.1));
            out.push(step(total - 11.0, 149.0, 157.0, 3.55));
            out.push(step(5.0, 130.0, 126.0, 2.8));
        }
        Shape::ProgressionRun => {
            out.push(step(25.0, 120.0, 133.0, 2.95));
            out.push(step(20.0, 147.0, 150.0, 3.35));
            out.push(step(total - 53.0, 158.0, 163.0, 3.75));
            out.push(step(8.0, 125.0, 120.0, 2.7));
        }
        Shape::TempoRun => {
            let warm = total - 30.0 - 6.0 - 9.0;
            out.push(step(warm, 108.0, 132.0, 2.85));
            for rep in 0..3 {
                let hr = 160.0 + f64::from(rep) + rng.range(-1.0, 1.0);
                out.push(step(10.0, hr, hr + 2.0, 3.75));
                if rep < 2 {
                    out.push(step(3.0, 128.0, 128.0, 2.5));
                }
            }
            out.push(step(9.0, 120.0, 115.0, 2.6));
        }
        Shape::EasyRide { climbs } => {
            let warm = 10.0;
            let main = total - warm;
            let climb_min = 3.0;
            let (from, to) = (121.0, 121.0 + 0.08 * main);
            out.push(step(warm, 104.0, 119.0, 6.8));
            let flats = climbs + 1;
            let flat = (main - f64::from(climbs) * climb_min) / f64::from(flats);
            let mut at = 0.0;
            for i in 0..flats {
                let (a, b) = (
                    from + (to - from) * at / main,
                    from + (to - from) * (at + flat) / main,
                );
                out.push(step(flat, a, b, 7.6 + rng.range(-0.3, 0.3)));
                at += flat;
                if i < climbs {
                    let peak = 146.0 + rng.range(0.0, 1.5);
                    out.push(step(climb_min, peak, peak, 4.4));
                    at += climb_min;
                }
            }
        }
        Shape::TempoRide => {
            out.push(step(20.0, 106.0, 128.0, 7.4));
            out.push(step(20.0, 153.0, 157.0, 9.3));
            out.push(step(8.0, 124.0, 124.0, 7.0));
            out.push(step(20.0, 154.0, 159.0, 9.2));
            out.push(step(total - 68.0, 120.0, 116.0, 7.2));
        }
        Shape::BrickRun => {
            out.push(step(6.0, 138.0, 132.0, 3.05));
            out.push(step(total - 6.0, 130.0, 137.0, 3.0));
        }
    }
    out
}

/// One simulated second of elapsed time.
#[derive(Clone, Copy, Debug)]
struct Second {
    hr: f64,
    speed: f64,
    distance: f64,
    cadence: f64,
    power: f64,
}

/// A leg as it will be written, with absolute FIT timestamps.
#[derive(Clone, Debug)]
struct SimLeg {
    records: Vec<fitwrite::Record>,
    /// Developer power per record (only written when the outing has it).
    power: Vec<u16>,
    /// The timer-stopped interval `(stop, start)`, if any.
    pause: Option<(u32, u32)>,
    laps: Vec<fitwrite::Lap>,
    session: fitwrite::Session,
}

/// Simulates the seconds of one leg: heart rate follows its target with a time constant of
/// about 22 s upwards and 35 s downwards, plus slow (AR(1)) and fast noise.
fn simulate_seconds(
    leg: &Leg,
    steps: &[Step],
    start_hr: f64,
    rng: &mut SplitMix64,
) -> (Vec<Second>, Vec<u32>) {
    let moving: u32 = steps.iter().map(|s| s.secs).sum();
    let pause = leg.pause.map(|p| (p.at_min * 60, p.secs));
    let elapsed = moving + pause.map_or(0, |(_, secs)| secs);
    let discipline = leg.shape.discipline();
    let mut seconds = Vec::with_capacity(elapsed as usize + 1);
    // Step ends in elapsed seconds, for structured laps.
    let mut step_ends = Vec::new();
    let mut hr = start_hr;
    let mut slow = 0.0;
    let mut speed_noise = 0.0;
    let mut distance = 0.0;
    let mut tau = 0u32; // moving seconds so far
    let mut step_index = 0usize;
    let mut step_start = 0u32;
    seconds.push(Second {
        hr,
        speed: 0.0,
        distance: 0.0,
        cadence: 0.0,
        power: 0.0,
    });
    for t in 1..=elapsed {
        let paused = pause.is_some_and(|(at, secs)| t > at && t <= at + secs);
        let (target, speed) = if paused {
            (100.0, 0.0)
        } else {
            tau += 1;
            while step_index + 1 < steps.len() && tau > step_start + steps[step_index].secs {
                step_start += steps[step_index].secs;
                step_ends.push(t - 1);
                step_index += 1;
            }
            let s = steps[step_index];
            let frac = f64::from(tau - step_start) / f64::from(s.secs.max(1));
            speed_noise = 0.9 * speed_noise + 0.1 * rng.gauss();
            (
                s.hr_from + (s.hr_to - s.hr_from) * frac,
                s.speed * (1.0 + 0.04 * speed_noise),
            )
        };
        let k = if target > hr { 1.0 / 22.0 } else { 1.0 / 35.0 };
        hr += (target - hr) * k;
        slow = 0.96 * slow + 0.3 * rng.gauss();
        distance += speed;
        let cadence = match (paused, discipline) {
            (true, _) => 0.0,
            (false, Discipline::Run) => 76.0 + 3.4 * speed + 0.8 * rng.gauss(),
            (false, Discipline::Ride) => 84.0 + 0.9 * speed + 1.5 * rng.gauss(),
        };
        seconds.push(Second {
            hr: (hr + slow + 0.4 * rng.gauss()).clamp(45.0, 195.0),
            speed,
            distance,
            cadence,
            power: if paused {
                0.0
            } else {
                78.0 * speed + 4.0 * rng.gauss()
            },
        });
    }
    (seconds, step_ends)
}

/// Which elapsed seconds get a record.
fn record_times(leg: &Leg, device: Device, elapsed: u32, rng: &mut SplitMix64) -> Vec<u32> {
    let mut times: Vec<u32> = match device {
        Device::Watch => (0..=elapsed).collect(),
        Device::BikeComputer => {
            let mut v = vec![0];
            let mut t = 0;
            loop {
                // Smart recording: longer gaps when nothing changes, shorter ones otherwise.
                t += rng.int(1, 8);
                if t >= elapsed {
                    break;
                }
                v.push(t);
            }
            v.push(elapsed);
            v
        }
    };
    if let Some(p) = leg.pause {
        let (stop, start) = (p.at_min * 60, p.at_min * 60 + p.secs);
        times.retain(|&t| t <= stop || t >= start);
        times.push(stop);
        times.push(start);
        if p.stale_records {
            let mut t = stop + rng.int(5, 8);
            while t + 3 < start {
                times.push(t);
                t += rng.int(5, 8);
            }
        }
    }
    if let Some(at) = leg.gap_at_min {
        let shift = leg.pause.filter(|p| p.at_min < at).map_or(0, |p| p.secs);
        let from = at * 60 + shift;
        times.retain(|&t| t <= from || t >= from + 90);
        times.push(from + 90);
    }
    times.sort_unstable();
    times.dedup();
    times
}

fn round_hr(hr: f64) -> u8 {
    hr.round().clamp(1.0, 254.0) as u8
}

/// Simulates every leg of an outing and lays it out in FIT time.
fn simulate_outing(outing: &Outing) -> io::Result<Vec<SimLeg>> {
    let local = outing
        .date
        .and_time(NaiveTime::from_hms_opt(outing.start.0, outing.start.1, 0).expect("a real time"));
    let start = Berlin
        .from_local_datetime(&local)
        .single()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "ambiguous start time"))?;
    // Minutes of jitter so sessions do not all start on the hour; drawn per outing.
    let mut rng = rng_for(outing.date, 1);
    let jitter = i64::from(rng.int(0, 20)) * 60 - 600 + i64::from(rng.int(0, 59));
    let mut leg_start = fitwrite::fit_timestamp(start.timestamp() + jitter);
    let mut start_hr = 72.0;
    let mut legs = Vec::new();
    let mut lap_index = 0u16;
    for (i, leg) in outing.legs.iter().enumerate() {
        let mut rng = rng_for(outing.date, 10 + i as u64);
        let steps = steps(leg.shape, leg.minutes, &mut rng);
        let (seconds, step_ends) = simulate_seconds(leg, &steps, start_hr, &mut rng);
        let elapsed = u32::try_from(seconds.len() - 1).expect("short sessions");
        let times = record_times(leg, outing.device, elapsed, &mut rng);
        let pause = leg.pause.map(|p| (p.at_min * 60, p.at_min * 60 + p.secs));
        let mut records = Vec::with_capacity(times.len());
        let mut power = Vec::with_capacity(times.len());
        let mut frozen: Option<fitwrite::Record> = None;
        for &t in &times {
            let s = seconds[t as usize];
            let in_pause = pause.is_some_and(|(stop, start)| t > stop && t < start);
            if in_pause {
                // Stale: the last values before the stop, with a new timestamp.
                let mut r = frozen.clone().expect("a record at the stop");
                r.timestamp = leg_start + t;
                r.speed_mps = Some(0.0);
                r.cadence = Some(0);
                records.push(r);
                power.push(0);
                continue;
            }
            let dropped = leg.dropout.filter(|d| {
                let from = d.at_min * 60;
                t >= from && t < from + d.secs
            });
            let heart_rate = match dropped {
                Some(d) if d.zero => Some(0),
                Some(_) => None,
                None => Some(round_hr(s.hr)),
            };
            let r = fitwrite::Record {
                timestamp: leg_start + t,
                heart_rate,
                distance_m: Some((s.distance * 100.0).round() / 100.0),
                speed_mps: Some((s.speed * 1000.0).round() / 1000.0),
                cadence: Some(s.cadence.round().clamp(0.0, 254.0) as u8),
            };
            if pause.is_some_and(|(stop, _)| t == stop) {
                frozen = Some(r.clone());
            }
            records.push(r);
            power.push(s.power.round().clamp(0.0, 2000.0) as u16);
        }
        let abs_pause = pause.map(|(a, b)| (leg_start + a, leg_start + b));
        let lap_ends = if leg.shape.structured() {
            step_ends.iter().map(|&t| leg_start + t).collect()
        } else {
            auto_lap_ends(&records, leg.shape.discipline().auto_lap_m())
        };
        let laps = laps(&records, &lap_ends, abs_pause, leg, lap_index);
        let session = session_summary(&records, abs_pause, leg, i, lap_index, &laps, outing);
        lap_index += u16::try_from(laps.len()).expect("few laps");
        start_hr = seconds.last().map_or(start_hr, |s| s.hr);
        leg_start = session.timestamp + TRANSITION_SECS;
        legs.push(SimLeg {
            records,
            power,
            pause: abs_pause,
            laps,
            session,
        });
    }
    Ok(legs)
}

fn auto_lap_ends(records: &[fitwrite::Record], every_m: f64) -> Vec<u32> {
    let mut ends = Vec::new();
    let mut next = every_m;
    for r in records {
        if r.distance_m.unwrap_or(0.0) >= next {
            ends.push(r.timestamp);
            next += every_m;
        }
    }
    ends
}

/// Seconds of `[from, to]` during which the timer ran.
fn timer_secs(from: u32, to: u32, pause: Option<(u32, u32)>) -> u32 {
    let stopped = pause.map_or(0, |(stop, start)| {
        start.min(to).saturating_sub(stop.max(from))
    });
    to - from - stopped
}

/// Mean and maximum of the valid (30–240 bpm) heart rates among `records`.
fn hr_stats(records: &[&fitwrite::Record]) -> (Option<u8>, Option<u8>) {
    let valid: Vec<u32> = records
        .iter()
        .filter_map(|r| r.heart_rate)
        .filter(|hr| (30..=240).contains(hr))
        .map(u32::from)
        .collect();
    if valid.is_empty() {
        return (None, None);
    }
    let n = u32::try_from(valid.len()).expect("few records");
    let avg = (valid.iter().sum::<u32>() + n / 2) / n;
    let max = valid.iter().copied().max().expect("not empty");
    (
        Some(u8::try_from(avg).expect("an average of u8 values")),
        Some(u8::try_from(max).expect("a u8 value")),
    )
}

fn distance_at(records: &[fitwrite::Record], timestamp: u32) -> f64 {
    records
        .iter()
        .take_while(|r| r.timestamp <= timestamp)
        .last()
        .and_then(|r| r.distance_m)
        .unwrap_or(0.0)
}

fn laps(
    records: &[fitwrite::Record],
    ends: &[u32],
    pause: Option<(u32, u32)>,
    leg: &Leg,
    first_index: u16,
) -> Vec<fitwrite::Lap> {
    let first = records.first().expect("records").timestamp;
    let last = records.last().expect("records").timestamp;
    // A lap ends on a record: the first one at or after the step's end.
    let mut bounds: Vec<u32> = ends
        .iter()
        .filter_map(|&end| records.iter().map(|r| r.timestamp).find(|&t| t >= end))
        .filter(|&end| end > first && end < last)
        .collect();
    bounds.dedup();
    bounds.push(last);
    let mut laps = Vec::new();
    let mut from = first;
    for (i, &to) in bounds.iter().enumerate() {
        let inside: Vec<&fitwrite::Record> = records
            .iter()
            .filter(|r| {
                (r.timestamp > from && r.timestamp <= to) || (i == 0 && r.timestamp == from)
            })
            .collect();
        let (avg, max) = hr_stats(&inside);
        let timer = f64::from(timer_secs(from, to, pause));
        let distance = distance_at(records, to) - distance_at(records, from);
        let trigger = if i + 1 == bounds.len() {
            fp::LAP_TRIGGER_SESSION_END
        } else if leg.shape.structured() {
            fp::LAP_TRIGGER_MANUAL
        } else {
            fp::LAP_TRIGGER_DISTANCE
        };
        laps.push(fitwrite::Lap {
            timestamp: to,
            message_index: first_index + u16::try_from(i).expect("few laps"),
            start_time: from,
            total_elapsed_time_s: f64::from(to - from),
            total_timer_time_s: timer,
            total_distance_m: (distance * 100.0).round() / 100.0,
            avg_speed_mps: if timer > 0.0 { distance / timer } else { 0.0 },
            avg_heart_rate: avg,
            max_heart_rate: max,
            lap_trigger: trigger,
            sport: leg.shape.discipline().sport(),
            sub_sport: leg.shape.discipline().sub_sport(),
        });
        from = to;
    }
    laps
}

fn session_summary(
    records: &[fitwrite::Record],
    pause: Option<(u32, u32)>,
    leg: &Leg,
    index: usize,
    first_lap_index: u16,
    laps: &[fitwrite::Lap],
    outing: &Outing,
) -> fitwrite::Session {
    let first = records.first().expect("records").timestamp;
    let last = records.last().expect("records").timestamp;
    let timer = f64::from(timer_secs(first, last, pause));
    let distance = records.last().and_then(|r| r.distance_m).unwrap_or(0.0);
    let all: Vec<&fitwrite::Record> = records.iter().collect();
    let (avg, max) = hr_stats(&all);
    let max_speed = records
        .iter()
        .filter_map(|r| r.speed_mps)
        .fold(0.0, f64::max);
    let multisport = outing.legs.len() > 1;
    fitwrite::Session {
        timestamp: last,
        message_index: u16::try_from(index).expect("few sessions"),
        start_time: first,
        sport: leg.shape.discipline().sport(),
        sub_sport: leg.shape.discipline().sub_sport(),
        total_elapsed_time_s: f64::from(last - first),
        total_timer_time_s: timer,
        total_distance_m: distance,
        avg_speed_mps: if timer > 0.0 { distance / timer } else { 0.0 },
        max_speed_mps: max_speed,
        avg_heart_rate: avg,
        max_heart_rate: max,
        first_lap_index,
        num_laps: u16::try_from(laps.len()).expect("few laps"),
        trigger: if multisport && index + 1 < outing.legs.len() {
            fp::SESSION_TRIGGER_AUTO_MULTI_SPORT
        } else {
            fp::SESSION_TRIGGER_ACTIVITY_END
        },
    }
}

// ---------------------------------------------------------------------------------------
// FIT output.

const POWER_APP_ID: [u8; 16] = [
    0x9a, 0x0d, 0x4f, 0x2e, 0x61, 0x3b, 0x47, 0x8c, 0xb1, 0x55, 0x0e, 0x7d, 0x24, 0xc6, 0x18, 0xf3,
];

fn write_fit(outing: &Outing, legs: &[SimLeg]) -> Result<Vec<u8>, FitError> {
    let (manufacturer, product, serial, software) = match outing.device {
        Device::Watch => (
            fp::MANUFACTURER_GARMIN,
            GARMIN_PRODUCT,
            GARMIN_SERIAL,
            GARMIN_SOFTWARE,
        ),
        Device::BikeComputer => (
            fp::MANUFACTURER_WAHOO,
            WAHOO_PRODUCT,
            WAHOO_SERIAL,
            WAHOO_SOFTWARE,
        ),
    };
    let start = legs[0].session.start_time;
    let mut w = FitWriter::new();
    w.file_id(&fitwrite::FileId {
        file_type: fp::FILE_ACTIVITY,
        manufacturer,
        product,
        serial_number: serial,
        time_created: start,
    })?;
    w.device_info(&fitwrite::DeviceInfo {
        timestamp: start,
        device_index: 0,
        manufacturer,
        product,
        serial_number: serial,
        software_version: software,
    })?;
    let power_field = [DevFieldDef {
        number: 0,
        size: 2,
        developer_index: 0,
    }];
    if outing.dev_power {
        w.developer_data_id(&fitwrite::DeveloperDataId {
            developer_data_index: 0,
            application_id: POWER_APP_ID,
            application_version: 117,
        })?;
        w.field_description(&fitwrite::FieldDescription {
            developer_data_index: 0,
            field_definition_number: 0,
            base_type: BaseType::UInt16,
            field_name: "Power".to_string(),
            units: "Watts".to_string(),
            native_mesg_num: Some(fitwrite::mesg::RECORD),
            native_field_num: Some(7),
        })?;
    }
    let first_leg = &outing.legs[0];
    w.workout(&fitwrite::Workout {
        sport: first_leg.shape.discipline().sport(),
        sub_sport: first_leg.shape.discipline().sub_sport(),
        num_valid_steps: first_leg.shape.steps(),
        name: outing.workout_name.unwrap_or(first_leg.name).to_string(),
    })?;
    w.set_compressed_records(outing.compressed());
    // The watch's records carry no speed or cadence: at one record a second that keeps the
    // sample small, and speed follows from distance.
    let bike = outing.device == Device::BikeComputer;
    w.set_record_layout(fitwrite::RecordLayout {
        distance: true,
        speed: bike,
        cadence: bike,
    });
    for (leg, sim) in outing.legs.iter().zip(legs) {
        w.sport(&fitwrite::Sport {
            sport: leg.shape.discipline().sport(),
            sub_sport: leg.shape.discipline().sub_sport(),
            name: leg.name.to_string(),
        })?;
        let first = sim.session.start_time;
        let last = sim.session.timestamp;
        w.event(&fitwrite::Event::timer_start(
            first,
            fp::TIMER_TRIGGER_MANUAL,
        ))?;
        let mut laps = sim.laps.iter().peekable();
        for (record, &power) in sim.records.iter().zip(&sim.power) {
            if let Some((_, resume)) = sim.pause {
                if record.timestamp == resume {
                    w.event(&fitwrite::Event::timer_start(
                        resume,
                        fp::TIMER_TRIGGER_AUTO,
                    ))?;
                }
            }
            if outing.dev_power {
                w.record_with_dev(record, &power_field, &[Value::U16(power)])?;
            } else {
                w.record(record)?;
            }
            if let Some((stop, _)) = sim.pause {
                if record.timestamp == stop {
                    w.event(&fitwrite::Event::timer_stop_all(
                        stop,
                        fp::TIMER_TRIGGER_AUTO,
                    ))?;
                }
            }
            if record.timestamp == last {
                w.event(&fitwrite::Event::timer_stop_all(
                    last,
                    fp::TIMER_TRIGGER_MANUAL,
                ))?;
            }
            while let Some(lap) = laps.next_if(|lap| lap.timestamp <= record.timestamp) {
                w.lap(lap)?;
            }
        }
        w.session(&sim.session)?;
    }
    let end = legs.last().expect("legs").session.timestamp;
    let offset = berlin_offset(end);
    w.activity(&fitwrite::Activity {
        timestamp: end,
        total_timer_time_s: legs.iter().map(|l| l.session.total_timer_time_s).sum(),
        num_sessions: u16::try_from(legs.len()).expect("few sessions"),
        activity_type: if legs.len() > 1 {
            fp::ACTIVITY_AUTO_MULTI_SPORT
        } else {
            fp::ACTIVITY_MANUAL
        },
        local_timestamp: end.wrapping_add_signed(offset),
    })?;
    Ok(w.finish())
}

/// Seconds Berlin's wall clock is ahead of UTC at a FIT instant (3600 or 7200).
fn berlin_offset(fit: u32) -> i32 {
    Berlin
        .timestamp_opt(i64::from(fit) + fitwrite::FIT_EPOCH_UNIX, 0)
        .single()
        .expect("a UTC instant maps to exactly one Berlin time")
        .offset()
        .fix()
        .local_minus_utc()
}

// ---------------------------------------------------------------------------------------
// The journal.

#[derive(Clone, Debug, PartialEq)]
struct JournalRow {
    date: NaiveDate,
    soreness: u8,
    /// As written: one decimal, or `h:mm` on a couple of rows.
    sleep: String,
    sleep_hours: f64,
    sleep_quality: u8,
    resting_hr: u8,
    planned: &'static str,
    notes: &'static str,
}

/// Days without a journal row: the athlete forgot.
const JOURNAL_MISSING: [(u32, u32); 5] = [(9, 5), (9, 27), (10, 19), (11, 1), (11, 6)];

/// The overreaching block's soreness, from the morning after its first hard day.
const BLOCK_SORENESS: [((u32, u32), u8, u8); 9] = [
    ((10, 11), 5, 52),
    ((10, 12), 7, 55),
    ((10, 13), 8, 57),
    ((10, 14), 7, 56),
    ((10, 15), 6, 54),
    ((10, 16), 6, 53),
    ((10, 17), 5, 51),
    ((10, 18), 3, 50),
    ((10, 20), 2, 49),
];

/// Planted nights: the three short ones after hard days, and two written as `h:mm`.
const SLEEP_OVERRIDES: [((u32, u32), &str, f64); 4] = [
    ((9, 9), "6.4", 6.4),
    ((9, 21), "7:50", 7.0 + 50.0 / 60.0),
    ((10, 11), "6:45", 6.75),
    ((10, 23), "6.6", 6.6),
];

const NOTES: [((u32, u32), &str); 12] = [
    ((9, 2), "easy shuffle before work"),
    ((9, 9), "slept badly, legs heavy after intervals"),
    ((9, 17), "meant to jog easy, ended up chasing a friend"),
    ((9, 18), "calves tight"),
    ((9, 26), "first brick of the year, felt fine"),
    ((10, 5), "no rest day this week, let's see"),
    ((10, 11), "late dinner after the ride, short night"),
    ((10, 12), "legs heavy, ran the tempo anyway"),
    ((10, 13), "stairs hurt, \"dead legs\" all day"),
    ((10, 16), "still sore, skipped the ride"),
    ((10, 22), "club run, couldn't hold back"),
    ((10, 25), "clocks went back, extra hour of sleep"),
];

fn is_day(date: NaiveDate, (month, day): (u32, u32)) -> bool {
    date.month() == month && date.day() == day
}

fn find<T: Copy>(table: &[((u32, u32), T)], date: NaiveDate) -> Option<T> {
    table
        .iter()
        .find(|(md, _)| is_day(date, *md))
        .map(|(_, v)| *v)
}

/// The rows the athlete writes into journal.csv: every day but the forgotten ones.
fn journal_rows(outings: &[Outing]) -> Vec<JournalRow> {
    daily_rows(outings)
        .into_iter()
        .filter(|r| !JOURNAL_MISSING.iter().any(|&md| is_day(r.date, md)))
        .collect()
}

/// What each morning of the period was like, forgotten journal days included: the watch's
/// sleep and resting heart rate in the Garmin export come from here too.
fn daily_rows(outings: &[Outing]) -> Vec<JournalRow> {
    let first = first_day();
    let days = usize::try_from(WEEKS * 7).expect("small");
    let class_of = |date: NaiveDate| -> Option<Class> {
        outings
            .iter()
            .filter(|o| o.date == date)
            .map(Outing::class)
            .max()
    };
    let long = |date: NaiveDate| -> bool {
        outings
            .iter()
            .any(|o| o.date == date && o.legs.iter().map(|l| l.minutes).sum::<u32>() >= 75)
    };
    let mut rows = Vec::new();
    for i in 0..days {
        let date = first + Duration::days(i as i64);
        let mut rng = rng_for(date, 99);
        let before = |n: i64| date - Duration::days(n);
        let hard_1 = class_of(before(1)) == Some(Class::Hard);
        let hard_2 = class_of(before(2)) == Some(Class::Hard);
        // Soreness peaks the morning after a hard day and fades over the next.
        let mut soreness =
            1 + 3 * u8::from(hard_1) + 2 * u8::from(hard_2) + u8::from(long(before(1)));
        let mut resting_hr = 48 + 4 * u8::from(hard_1) + 2 * u8::from(hard_2);
        if !hard_1 && !hard_2 {
            let wobble = rng.int(0, 3);
            soreness = match wobble {
                0 if soreness > 0 => soreness - 1,
                3 => soreness + 1,
                _ => soreness,
            };
            resting_hr = resting_hr + rng.int(0, 2) as u8 - 1;
        }
        let block = BLOCK_SORENESS.iter().find(|(md, _, _)| is_day(date, *md));
        if let Some((_, s, r)) = block {
            soreness = *s;
            resting_hr = *r;
        }
        // Sleep in tenths of an hour: a little less after hard days, never under 7 h except
        // for the planted short nights.
        let tenths = if hard_1 {
            rng.int(71, 76)
        } else {
            rng.int(72, 85)
        };
        let (sleep, sleep_hours) = match SLEEP_OVERRIDES.iter().find(|(md, _, _)| is_day(date, *md))
        {
            Some((_, text, hours)) => (text.to_string(), *hours),
            None => (
                format!("{}.{}", tenths / 10, tenths % 10),
                f64::from(tenths) / 10.0,
            ),
        };
        let sleep_quality = if sleep_hours < 7.0 {
            2
        } else if sleep_hours < 7.5 {
            3
        } else if sleep_hours < 8.0 {
            rng.int(3, 4) as u8
        } else {
            rng.int(4, 5) as u8
        };
        let planned = outings
            .iter()
            .filter(|o| o.date == date)
            .find_map(|o| o.planned)
            .or_else(|| class_of(date).map(Class::planned))
            .unwrap_or("rest");
        rows.push(JournalRow {
            date,
            soreness: soreness.min(10),
            sleep,
            sleep_hours,
            sleep_quality,
            resting_hr,
            planned,
            notes: find(&NOTES, date).unwrap_or(""),
        });
    }
    rows
}

/// Writes `header` and `rows` as CSV (quoted only where a field needs it).
fn csv_text<const N: usize>(
    header: [&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> String {
    fn write<const N: usize>(
        header: [&str; N],
        rows: impl IntoIterator<Item = [String; N]>,
    ) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(header)?;
        for row in rows {
            out.write_record(&row)?;
        }
        Ok(out.into_inner()?)
    }
    let bytes = write(header, rows).expect("CSV into memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

fn journal_csv(rows: &[JournalRow]) -> String {
    let header = [
        "date",
        "soreness",
        "sleep_hours",
        "sleep_quality",
        "resting_hr",
        "planned",
        "notes",
    ];
    csv_text(
        header,
        rows.iter().map(|r| {
            [
                r.date.format("%Y-%m-%d").to_string(),
                r.soreness.to_string(),
                r.sleep.clone(),
                r.sleep_quality.to_string(),
                r.resting_hr.to_string(),
                r.planned.to_string(),
                r.notes.to_string(),
            ]
        }),
    )
}

// ---------------------------------------------------------------------------------------
// The Garmin account export: the same athlete as Garmin's "Export your data" writes it.

/// The account's user profile number, in Garmin's file names and daily summaries.
const GARMIN_USER: u64 = 12_345_678;
/// The account name Garmin puts in the activities file name.
const GARMIN_EMAIL: &str = "athlete@example.org";
/// The first activity's id; later ones count up, as Garmin's do.
const FIRST_ACTIVITY_ID: u64 = 21_473_650_000;
/// The night before this morning the watch was on its charger: an all-null sleep entry and
/// no resting heart rate that day (the journal has no row either).
const WATCH_OFF: (u32, u32) = (11, 1);
/// The first sleep file ends on the first date, the second starts on the second: the
/// nights in between are in both.
const SLEEP_OVERLAP: ((u32, u32), (u32, u32)) = ((10, 9), (10, 1));
/// Light sleep missing from the first file's copies of the overlapping nights: they are the
/// watch's unconfirmed first guesses, which the later file replaces.
const STALE_SHORTFALL_S: u32 = 1800;
/// The time on every zip entry: the morning after the period, so nothing reads the clock.
const EXPORT_TIME: (u16, u8, u8, u8, u8, u8) = (2026, 11, 9, 7, 0, 0);

/// What the export says about one FIT session.
struct ExportSession {
    date: NaiveDate,
    name: &'static str,
    shape: Shape,
    /// Recorded by the watch (which asks for RPE and feel), not the bike computer.
    watch: bool,
    /// FIT timestamp of the session's start.
    start: u32,
    elapsed_s: f64,
    distance_m: f64,
}

impl ExportSession {
    fn new(outing: &Outing, leg: &Leg, session: &fitwrite::Session) -> Self {
        ExportSession {
            date: outing.date,
            name: leg.name,
            shape: leg.shape,
            watch: outing.device == Device::Watch,
            start: session.start_time,
            elapsed_s: session.total_elapsed_time_s,
            distance_m: session.total_distance_m,
        }
    }

    fn start_ms(&self) -> i64 {
        (i64::from(self.start) + fitwrite::FIT_EPOCH_UNIX) * 1000
    }

    /// The answer to the watch's "how hard was it" (Garmin's 10–100 scale).
    fn rpe(&self) -> Option<u32> {
        let rpe = match self.shape {
            Shape::RecoveryJog => 20,
            Shape::EasyRun { .. } | Shape::EasyRide { .. } => 30,
            Shape::BrickRun => 40,
            // The athlete knows the "easy" run was not easy.
            Shape::EasyRunTooHard => 60,
            Shape::Intervals | Shape::ProgressionRun => 70,
            Shape::TempoRun | Shape::TempoRide => 80,
        };
        self.watch.then_some(rpe)
    }
}

/// A GMT time as Garmin writes it: ISO text in exports, epoch milliseconds in API dumps.
#[derive(Serialize)]
#[serde(untagged)]
enum GarminTime {
    Iso(String),
    Millis(i64),
}

impl GarminTime {
    fn new(unix: i64, iso: bool) -> Self {
        if iso {
            let t = DateTime::from_timestamp(unix, 0).expect("times inside the period");
            GarminTime::Iso(format!("{}.0", t.format("%Y-%m-%dT%H:%M:%S")))
        } else {
            GarminTime::Millis(unix * 1000)
        }
    }
}

/// `overallScore` in exports, `overall.value` in API dumps.
#[derive(Serialize)]
#[serde(untagged)]
enum SleepScores {
    Export {
        #[serde(rename = "overallScore")]
        overall_score: u32,
    },
    Api {
        overall: ScoreValue,
    },
}

#[derive(Serialize)]
struct ScoreValue {
    value: u32,
    #[serde(rename = "qualifierKey")]
    qualifier_key: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SleepJson {
    #[serde(rename = "userProfilePK")]
    user_profile_pk: u64,
    calendar_date: String,
    #[serde(rename = "sleepStartTimestampGMT")]
    sleep_start_timestamp_gmt: Option<GarminTime>,
    #[serde(rename = "sleepEndTimestampGMT")]
    sleep_end_timestamp_gmt: Option<GarminTime>,
    sleep_window_confirmation_type: &'static str,
    deep_sleep_seconds: Option<u32>,
    light_sleep_seconds: Option<u32>,
    rem_sleep_seconds: Option<u32>,
    awake_sleep_seconds: Option<u32>,
    unmeasurable_seconds: Option<u32>,
    sleep_scores: Option<SleepScores>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DailySummaryJson {
    #[serde(rename = "userProfilePK")]
    user_profile_pk: u64,
    calendar_date: String,
    resting_heart_rate: Option<u8>,
    min_heart_rate: Option<u8>,
}

#[derive(Serialize)]
struct ActivitiesJson {
    #[serde(rename = "summarizedActivitiesExport")]
    activities: Vec<ActivityJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ActivityJson {
    activity_id: u64,
    name: &'static str,
    activity_type: &'static str,
    sport_type: &'static str,
    begin_timestamp: i64,
    start_time_gmt: i64,
    /// Berlin wall clock written as if it were UTC, as Garmin does: not a start time.
    start_time_local: i64,
    /// Milliseconds, as Garmin writes it.
    duration: f64,
    /// Centimetres, as Garmin writes it.
    distance: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    direct_workout_rpe: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    direct_workout_feel: Option<u32>,
}

/// The watch's view of the night ending on the morning of `row.date`: deep + light + REM
/// add up to the journal's sleep hours.
fn sleep_json(row: &JournalRow, iso: bool, stale: bool) -> SleepJson {
    let calendar_date = row.date.format("%Y-%m-%d").to_string();
    if is_day(row.date, WATCH_OFF) {
        return SleepJson {
            user_profile_pk: GARMIN_USER,
            calendar_date,
            sleep_start_timestamp_gmt: None,
            sleep_end_timestamp_gmt: None,
            sleep_window_confirmation_type: "UNCONFIRMED",
            deep_sleep_seconds: None,
            light_sleep_seconds: None,
            rem_sleep_seconds: None,
            awake_sleep_seconds: None,
            unmeasurable_seconds: None,
            sleep_scores: None,
        };
    }
    let mut rng = rng_for(row.date, 7);
    let asleep = (row.sleep_hours * 3600.0).round() as u32;
    let minutes = |share: f64| (f64::from(asleep) * share / 60.0).round() as u32 * 60;
    let deep = minutes(rng.range(0.15, 0.21));
    let rem = minutes(rng.range(0.19, 0.25));
    let shortfall = if stale { STALE_SHORTFALL_S } else { 0 };
    let light = asleep - deep - rem - shortfall;
    let awake = rng.int(4, 25) * 60;
    let bedtime = (row.date - Duration::days(1))
        .and_time(NaiveTime::from_hms_opt(22, 30, 0).expect("a real time"))
        + Duration::minutes(i64::from(rng.int(0, 45)));
    let start = Berlin
        .from_local_datetime(&bedtime)
        .single()
        .expect("clocks never change at bedtime")
        .timestamp();
    let end = start + i64::from(deep + light + rem + awake);
    let score = (20.0 + 6.0 * row.sleep_hours + 5.0 * f64::from(row.sleep_quality))
        .round()
        .min(100.0) as u32;
    let sleep_scores = if iso {
        SleepScores::Export {
            overall_score: score,
        }
    } else {
        let qualifier_key = match score {
            90.. => "EXCELLENT",
            80..=89 => "GOOD",
            60..=79 => "FAIR",
            _ => "POOR",
        };
        SleepScores::Api {
            overall: ScoreValue {
                value: score,
                qualifier_key,
            },
        }
    };
    SleepJson {
        user_profile_pk: GARMIN_USER,
        calendar_date,
        sleep_start_timestamp_gmt: Some(GarminTime::new(start, iso)),
        sleep_end_timestamp_gmt: Some(GarminTime::new(end, iso)),
        sleep_window_confirmation_type: if stale {
            "UNCONFIRMED"
        } else {
            "ENHANCED_CONFIRMED_FINAL"
        },
        deep_sleep_seconds: Some(deep),
        light_sleep_seconds: Some(light),
        rem_sleep_seconds: Some(rem),
        awake_sleep_seconds: Some(awake),
        unmeasurable_seconds: Some(0),
        sleep_scores: Some(sleep_scores),
    }
}

fn activity_json(index: usize, session: &ExportSession, days: &[JournalRow]) -> ActivityJson {
    let (activity_type, sport_type) = match session.shape.discipline() {
        Discipline::Run => ("running", "RUNNING"),
        Discipline::Ride => ("road_biking", "CYCLING"),
    };
    // How the athlete felt: from the morning's soreness.
    let soreness = days
        .iter()
        .find(|r| r.date == session.date)
        .expect("a row for every day of the period")
        .soreness;
    let feel = match soreness {
        0..=2 => 75,
        3..=5 => 50,
        _ => 25,
    };
    let start = session.start_ms();
    ActivityJson {
        activity_id: FIRST_ACTIVITY_ID + 7 * index as u64,
        name: session.name,
        activity_type,
        sport_type,
        begin_timestamp: start,
        start_time_gmt: start,
        start_time_local: start + i64::from(berlin_offset(session.start)) * 1000,
        duration: (session.elapsed_s * 1000.0).round(),
        distance: (session.distance_m * 100.0).round(),
        direct_workout_rpe: session.rpe(),
        direct_workout_feel: session.watch.then_some(feel),
    }
}

fn pretty_json(value: &impl Serialize) -> io::Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(io::Error::other)
}

/// A zip of `entries` with fixed times and permissions, so it is the same bytes everywhere.
fn zip_bytes(entries: &[(String, Vec<u8>, zip::CompressionMethod)]) -> io::Result<Vec<u8>> {
    let (year, month, day, hour, minute, second) = EXPORT_TIME;
    let time = zip::DateTime::from_date_and_time(year, month, day, hour, minute, second)
        .expect("a time a zip can hold");
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    for (name, bytes, method) in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(*method)
            .last_modified_time(time)
            .system(zip::System::Unix)
            .unix_permissions(0o644);
        zip.start_file(name.as_str(), options)
            .map_err(io::Error::other)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}

/// `garmin_export.zip`: the FIT files in a zip inside the zip, two overlapping sleep files
/// (ISO times, then epoch milliseconds), the daily summaries with the resting heart rate, and
/// one summarized activity per session.
fn garmin_export(
    fit_files: &[(String, Vec<u8>)],
    sessions: &[ExportSession],
    days: &[JournalRow],
) -> io::Result<Vec<u8>> {
    use zip::CompressionMethod::{Deflated, Stored};
    let range = |rows: &[&JournalRow]| -> String {
        let first = rows.first().expect("a file holds days").date;
        let last = rows.last().expect("a file holds days").date;
        format!("{}_{}", first.format("%Y-%m-%d"), last.format("%Y-%m-%d"))
    };
    let (until, from) = SLEEP_OVERLAP;
    let (first_until, second_from) = (day(until.0, until.1), day(from.0, from.1));
    let all: Vec<&JournalRow> = days.iter().collect();
    let early: Vec<&JournalRow> = days.iter().filter(|r| r.date <= first_until).collect();
    let late: Vec<&JournalRow> = days.iter().filter(|r| r.date >= second_from).collect();
    let early_json: Vec<SleepJson> = early
        .iter()
        .map(|r| sleep_json(r, true, r.date >= second_from))
        .collect();
    let late_json: Vec<SleepJson> = late.iter().map(|r| sleep_json(r, false, false)).collect();
    let summaries: Vec<DailySummaryJson> = days
        .iter()
        .map(|r| {
            let off = is_day(r.date, WATCH_OFF);
            DailySummaryJson {
                user_profile_pk: GARMIN_USER,
                calendar_date: r.date.format("%Y-%m-%d").to_string(),
                resting_heart_rate: (!off).then_some(r.resting_hr),
                min_heart_rate: (!off).then_some(r.resting_hr - 3),
            }
        })
        .collect();
    let activities = ActivitiesJson {
        activities: sessions
            .iter()
            .enumerate()
            .map(|(i, s)| activity_json(i, s, days))
            .collect(),
    };
    let uploads: Vec<(String, Vec<u8>, zip::CompressionMethod)> = fit_files
        .iter()
        .map(|(name, bytes)| (name.clone(), bytes.clone(), Deflated))
        .collect();
    let root = "DI_CONNECT";
    let entries = vec![
        (
            format!("{root}/DI-Connect-Aggregator/UDSFile_{}.json", range(&all)),
            pretty_json(&summaries)?,
            Deflated,
        ),
        (
            format!("{root}/DI-Connect-Fitness/{GARMIN_EMAIL}_0_summarizedActivities.json"),
            pretty_json(&[activities])?,
            Deflated,
        ),
        (
            // Already compressed: stored as it is.
            format!("{root}/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"),
            zip_bytes(&uploads)?,
            Stored,
        ),
        (
            format!(
                "{root}/DI-Connect-Wellness/{}_{GARMIN_USER}_sleepData.json",
                range(&early)
            ),
            pretty_json(&early_json)?,
            Deflated,
        ),
        (
            format!(
                "{root}/DI-Connect-Wellness/{}_{GARMIN_USER}_sleepData.json",
                range(&late)
            ),
            pretty_json(&late_json)?,
            Deflated,
        ),
    ];
    zip_bytes(&entries)
}

// ---------------------------------------------------------------------------------------
// Ground truth and README.

/// The planting tags of one leg, in [`TAG_ORDER`].
fn tags(outing: &Outing, leg: &Leg) -> Vec<&'static str> {
    let mut tags = leg.tags.clone();
    if outing.week() == VOLUME_JUMP_WEEK {
        tags.push("volume_jump");
    }
    if outing.week() == NO_REST_WEEK {
        tags.push("no_rest_week");
    }
    if leg.pause.is_some() {
        tags.push("pause");
    }
    if leg.dropout.is_some() {
        tags.push("dropout");
    }
    if leg.gap_at_min.is_some() {
        tags.push("gap_90s");
    }
    if outing.compressed() {
        tags.push("compressed_ts");
    }
    if outing.legs.len() > 1 {
        tags.push("multisport");
    }
    TAG_ORDER
        .iter()
        .copied()
        .filter(|tag| tags.contains(tag))
        .collect()
}

fn truth_csv(outings: &[Outing]) -> String {
    let header = [
        "date",
        "file",
        "session",
        "sport",
        "intended_class",
        "name",
        "planted",
    ];
    let rows = outings.iter().flat_map(|o| {
        o.legs.iter().enumerate().map(move |(i, leg)| {
            [
                o.date.format("%Y-%m-%d").to_string(),
                format!("activities/{}", o.file_name()),
                i.to_string(),
                leg.shape.discipline().name().to_string(),
                leg.intended.as_str().to_string(),
                leg.name.to_string(),
                tags(o, leg).join(";"),
            ]
        })
    });
    csv_text(header, rows)
}

fn readme(outings: &[Outing]) -> String {
    let mut out = String::new();
    out.push_str(
        "# Sample data\n\n\
         Ten weeks (Monday 2026-08-31 to Sunday 2026-11-08) of one runner/cyclist living in\n\
         Europe/Berlin, made up by `crates/samplegen`. Regenerate with\n\n\
         ```\ncargo run --example generate_sample\n```\n\n\
         Output is deterministic (fixed seed, no clock): running it again rewrites the same bytes.\n\n\
         ## Contents\n\n\
         - `activities/*.fit`: one FIT file per activity, named `DATE_SPORT_KIND.fit` by local date.\n\
         \x20 Runs (and the brick) come from a Garmin Forerunner 955 (manufacturer 1, product 4024)\n\
         \x20 recording every second (timestamp, heart rate, distance), with\n\
         \x20 compressed-timestamp record headers except in weeks 2 and 8. Rides\n\
         \x20 come from a Wahoo ELEMNT BOLT (manufacturer 32, product 31) with smart recording (1–8 s\n\
         \x20 between records; also speed and cadence). Two Sunday runs carry a developer field `Power` (Watts).\n\
         - `journal.csv`: `date,soreness,sleep_hours,sleep_quality,resting_hr,planned,notes`. The\n\
         \x20 date is the morning; `sleep_hours` is the night ending that morning (one decimal, or\n\
         \x20 `h:mm` on two rows). Some days have no row.\n\
         - `truth.csv`: one row per session with its intended class and planted tags.\n\
         - `garmin_export.zip`: the same athlete as a Garmin account export (\"Export your data\"); see below.\n\n\
         ## Classes\n\n\
         With the 120–140 bpm band: `hard` = at least 20 min above 140 bpm or at least 20 % of\n\
         the heart-rate time above 140; `active_recovery` = timer time at most 45 min with less\n\
         than 5 % and less than 5 min above 140; `easy` = everything else. Every session is well\n\
         clear of these edges.\n\n\
         The usual week: Monday rest, Tuesday intervals (hard), Wednesday recovery jog (active\n\
         recovery), Thursday easy run, Friday rest or an easy ride, Saturday a long ride or a tempo\n\
         ride (hard), Sunday an easy long run.\n\n\
         ## Plantings\n\n",
    );
    let dates = |tag: &str| -> String {
        let mut v: Vec<String> = Vec::new();
        for o in outings {
            for leg in &o.legs {
                let d = o.date.format("%Y-%m-%d").to_string();
                if tags(o, leg).contains(&tag) && !v.contains(&d) {
                    v.push(d);
                }
            }
        }
        v.join(", ")
    };
    let lines: [(&str, &str); 13] = [
        ("easy_day_not_easy", "workout and sport named \"Easy Run\", journal `planned` = easy, but more than 20 min above 140 bpm (hard)"),
        ("back_to_back_hard", "a hard day right after a hard day (Sat 10-10, Sun 10-11, Mon 10-12 are all hard)"),
        ("no_rest_week", "week 6 (Mon 2026-10-05 to Sun 2026-10-11) has a session every day; tagged on all its sessions"),
        ("volume_jump", "week 4 (2026-09-21 to 2026-09-27) has about 30 % more timer time than week 3; the only week-on-week rise above 10 %; tagged on all its sessions"),
        ("no_recovery_after_hard", "hard Saturday followed by two more hard days: no rest, active recovery or easy session within 48 h"),
        ("hard_while_sore", "hard session on a morning with soreness 7 (the only hard day with soreness >= 6)"),
        ("soreness_past_72h", "after the block soreness stays >= 4 from 10-11 to 10-17 and stops easing (6 on 10-15 and 10-16, 96 h after the last hard day, 10-12); tagged on that last hard day"),
        ("short_sleep_after_hard", "the night after this hard session is under 7 h (journal rows 09-09: 6.4, 10-11: 6:45, 10-23: 6.6)"),
        ("pause", "timer stop_all ... start for 2–4 min at a traffic light (09-12: the bike computer keeps writing stale records)"),
        ("dropout", "heart rate missing (0xFF) for 45 s on 09-20; reading 0 bpm for 35 s on 10-29"),
        ("gap_90s", "90 s without a record while the timer runs"),
        ("compressed_ts", "records use compressed-timestamp headers"),
        ("multisport", "one file, two sessions: cycling then running (laps per session)"),
    ];
    for (tag, what) in lines {
        out.push_str(&format!("- `{tag}` — {what}: {}\n", dates(tag)));
    }
    out.push_str(
        "\nDaylight saving time ends on Sunday 2026-10-25: from that day on the files' activity\n\
         `local_timestamp` is UTC+1 instead of UTC+2. Journal rows are missing on 2026-09-05,\n\
         2026-09-27, 2026-10-19, 2026-11-01 and 2026-11-06.\n\n\
         ## Garmin export\n\n\
         `garmin_export.zip` holds what Garmin's account export holds besides FIT files, for the\n\
         wellness reader (`src/ingest/wellness.rs`), under `DI_CONNECT/`:\n\n\
         - `DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip`: a zip inside the zip holding\n\
         \x20 the files of `activities/` (so a run over all of `sample_data/` meets every session\n\
         \x20 twice and counts it once).\n\
         - `DI-Connect-Wellness/2026-08-31_2026-10-09_12345678_sleepData.json` (times as ISO text,\n\
         \x20 `sleepScores.overallScore`) and `2026-10-01_2026-11-08_12345678_sleepData.json` (times\n\
         \x20 in epoch milliseconds, `sleepScores.overall.value`, as API dumps write them). One night\n\
         \x20 per morning (`calendarDate`); deep + light + REM seconds add up to the journal's\n\
         \x20 `sleep_hours`, also on the four mornings the journal forgot. The nights of 10-01 to\n\
         \x20 10-09 are in both files: the first file's copies are `UNCONFIRMED` and 30 min short,\n\
         \x20 so a reader that keeps the later range gets the journal's hours. The night before\n\
         \x20 2026-11-01 the watch was charging: an entry with every duration null.\n\
         - `DI-Connect-Aggregator/UDSFile_2026-08-31_2026-11-08.json`: `restingHeartRate` as in\n\
         \x20 the journal, every day but 2026-11-01 (null).\n\
         - `DI-Connect-Fitness/athlete@example.org_0_summarizedActivities.json`:\n\
         \x20 `[{\"summarizedActivitiesExport\": [...]}]`, one activity per session (the brick's\n\
         \x20 legs are two) with the session's name, `activityType` (`running`, `road_biking`),\n\
         \x20 `beginTimestamp` = the session's start in epoch ms, `duration` in ms and `distance` in\n\
         \x20 cm as Garmin writes them, and `startTimeLocal` (Berlin wall clock: not a start time).\n\
         \x20 The watch's activities carry `directWorkoutRpe` (recovery 20, easy 30, brick 40, the\n\
         \x20 too-hard \"Easy Run\" 60, intervals and progression 70, tempo 80) and\n\
         \x20 `directWorkoutFeel` (75, 50 or 25 as the morning's soreness is at most 2, at most 5, or\n\
         \x20 more); the bike computer's rides carry neither. Nothing names the FIT file of an\n\
         \x20 activity: they join by start time.\n",
    );
    out
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
