//! The plan: ten weeks of outings, one per FIT file, in date order, with the findings planted
//! on purpose.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Class {
    ActiveRecovery,
    Easy,
    Hard,
}

impl Class {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Class::ActiveRecovery => "active_recovery",
            Class::Easy => "easy",
            Class::Hard => "hard",
        }
    }

    /// What the journal's `planned` column says for a day of this class.
    pub(crate) fn planned(self) -> &'static str {
        match self {
            Class::ActiveRecovery => "recovery",
            Class::Easy => "easy",
            Class::Hard => "hard",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Discipline {
    Run,
    Ride,
}

impl Discipline {
    pub(crate) fn sport(self) -> u8 {
        match self {
            Discipline::Run => fp::SPORT_RUNNING,
            Discipline::Ride => fp::SPORT_CYCLING,
        }
    }

    pub(crate) fn sub_sport(self) -> u8 {
        match self {
            Discipline::Run => fp::SUB_SPORT_STREET,
            Discipline::Ride => fp::SUB_SPORT_ROAD,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Discipline::Run => "running",
            Discipline::Ride => "cycling",
        }
    }

    /// Auto-lap distance of steady sessions.
    pub(crate) fn auto_lap_m(self) -> f64 {
        match self {
            Discipline::Run => 1000.0,
            Discipline::Ride => 10_000.0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Device {
    /// Garmin Forerunner: every second, compressed timestamps in some files.
    Watch,
    /// Wahoo ELEMNT: smart recording, 1–8 s between records.
    BikeComputer,
}

/// The workout's shape: decides heart rate, pace and laps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
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
    pub(crate) fn discipline(self) -> Discipline {
        match self {
            Shape::EasyRide { .. } | Shape::TempoRide => Discipline::Ride,
            _ => Discipline::Run,
        }
    }

    /// Structured workouts lap at each step; steady ones auto-lap by distance.
    pub(crate) fn structured(self) -> bool {
        matches!(
            self,
            Shape::Intervals | Shape::ProgressionRun | Shape::TempoRun | Shape::TempoRide
        )
    }

    pub(crate) fn steps(self) -> u16 {
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
pub(crate) struct Pause {
    /// Moving minute at which the athlete stops (at a traffic light).
    pub(crate) at_min: u32,
    pub(crate) secs: u32,
    /// The device keeps writing records (speed 0, HR frozen) while the timer is stopped.
    pub(crate) stale_records: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dropout {
    pub(crate) at_min: u32,
    pub(crate) secs: u32,
    /// The strap reports 0 instead of nothing (0xFF).
    pub(crate) zero: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Leg {
    pub(crate) shape: Shape,
    /// Moving (timer) minutes.
    pub(crate) minutes: u32,
    pub(crate) name: &'static str,
    pub(crate) intended: Class,
    pub(crate) pause: Option<Pause>,
    pub(crate) dropout: Option<Dropout>,
    /// Moving minute after which 90 s pass without a record.
    pub(crate) gap_at_min: Option<u32>,
    pub(crate) tags: Vec<&'static str>,
}

impl Leg {
    pub(crate) fn pause(mut self, at_min: u32, secs: u32, stale_records: bool) -> Self {
        self.pause = Some(Pause {
            at_min,
            secs,
            stale_records,
        });
        self
    }

    pub(crate) fn dropout(mut self, at_min: u32, secs: u32, zero: bool) -> Self {
        self.dropout = Some(Dropout { at_min, secs, zero });
        self
    }

    pub(crate) fn gap(mut self, at_min: u32) -> Self {
        self.gap_at_min = Some(at_min);
        self
    }

    pub(crate) fn tag(mut self, tag: &'static str) -> Self {
        self.tags.push(tag);
        self
    }
}

pub(crate) fn leg(shape: Shape, minutes: u32, name: &'static str, intended: Class) -> Leg {
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
pub(crate) struct Outing {
    pub(crate) date: NaiveDate,
    /// Local (Europe/Berlin) start time.
    pub(crate) start: (u32, u32),
    pub(crate) slug: &'static str,
    pub(crate) device: Device,
    pub(crate) legs: Vec<Leg>,
    /// What the journal says was planned for the day, when it differs from what happened.
    pub(crate) planned: Option<&'static str>,
    /// Records carry a developer field (running power from a Connect IQ app).
    pub(crate) dev_power: bool,
    /// Workout name of a multi-leg file (single legs use the leg's name).
    pub(crate) workout_name: Option<&'static str>,
}

impl Outing {
    pub(crate) fn file_name(&self) -> String {
        format!("{}_{}.fit", self.date.format("%Y-%m-%d"), self.slug)
    }

    /// 1-based week of the period.
    pub(crate) fn week(&self) -> u32 {
        week_of(self.date)
    }

    /// The watch writes compressed timestamps except in weeks 2 and 8 (which also hold the
    /// files with developer fields), so both kinds of record header are in the sample.
    pub(crate) fn compressed(&self) -> bool {
        self.device == Device::Watch && !FULL_TIMESTAMP_WEEKS.contains(&self.week())
    }

    pub(crate) fn class(&self) -> Class {
        self.legs
            .iter()
            .map(|leg| leg.intended)
            .max()
            .expect("every outing has a leg")
    }

    pub(crate) fn planned(mut self, planned: &'static str) -> Self {
        self.planned = Some(planned);
        self
    }

    pub(crate) fn with_dev_power(mut self) -> Self {
        self.dev_power = true;
        self
    }
}

pub(crate) fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).expect("a real date")
}

pub(crate) fn week_of(date: NaiveDate) -> u32 {
    u32::try_from((date - first_day()).num_days() / 7 + 1).expect("dates inside the period")
}

pub(crate) fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_DAY.0, month, day).expect("a real date")
}

pub(crate) fn outing(
    date: NaiveDate,
    start: (u32, u32),
    slug: &'static str,
    legs: Vec<Leg>,
) -> Outing {
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

pub(crate) fn intervals(date: NaiveDate) -> Outing {
    outing(
        date,
        (18, 30),
        "run_intervals",
        vec![leg(Shape::Intervals, 61, "Intervals 6x4min", Class::Hard)],
    )
}

pub(crate) fn recovery(date: NaiveDate, minutes: u32) -> Outing {
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

pub(crate) fn easy_run(date: NaiveDate, start: (u32, u32), minutes: u32, hills: u32) -> Outing {
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

pub(crate) fn ride(date: NaiveDate, start: (u32, u32), minutes: u32, climbs: u32) -> Outing {
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

pub(crate) fn tempo_ride(date: NaiveDate, minutes: u32) -> Outing {
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
pub(crate) fn only(mut o: Outing, edit: impl FnOnce(Leg) -> Leg) -> Outing {
    let first = o.legs.remove(0);
    o.legs.insert(0, edit(first));
    o
}

/// The ten weeks, Monday 2026-08-31 to Sunday 2026-11-08. Rest days are the days without an
/// entry. Intended classes: Tuesdays hard, Wednesdays active recovery, the rest easy, except
/// the plantings marked below.
pub(crate) fn plan() -> Vec<Outing> {
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
                    .tag("back_to_back_hard")
                    .tag("hrv_below_normal"),
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
                .tag("soreness_past_72h")
                .tag("hrv_below_normal")],
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
