//! The daily table: classified sessions and the journal joined on the athlete's local
//! date, one row per day from the first to the last day with data.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::classify::{self, Class, Thresholds};
use crate::journal::{Journal, JournalEntry, Planned};
use crate::load::{self, Athlete, DayLoad};
use crate::report::table::Table;
use crate::session::Session;
use crate::zones::Band;

/// A session with its class, reason and load.
#[derive(Debug, Clone)]
pub struct Classified {
    pub session: Session,
    pub verdict: classify::Verdict,
    pub trimp: f64,
}

/// Classifies every session and computes its TRIMP.
pub fn classify_all(
    sessions: Vec<Session>,
    band: Band,
    t: &Thresholds,
    athlete: &Athlete,
) -> Vec<Classified> {
    sessions
        .into_iter()
        .map(|session| {
            let verdict = classify::classify(&session, band, t);
            let trimp = load::trimp(&session.hr, athlete);
            Classified {
                session,
                verdict,
                trimp,
            }
        })
        .collect()
}

/// One local date.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub date: NaiveDate,
    /// Indices into the classified sessions, in start order.
    pub sessions: Vec<usize>,
    /// The hardest session's class; `None` on a rest day.
    pub class: Option<Class>,
    pub above_min: f64,
    pub timer_h: f64,
    pub load: DayLoad,
    pub soreness: Option<f64>,
    pub sleep_hours: Option<f64>,
    pub sleep_quality: Option<u8>,
    pub resting_hr: Option<f64>,
    pub hrv_ms: Option<f64>,
    pub planned: Option<Planned>,
}

impl Day {
    pub fn is_rest(&self) -> bool {
        self.sessions.is_empty()
    }
    pub fn is_hard(&self) -> bool {
        self.class == Some(Class::Hard)
    }
}

/// Builds the daily table. Days run from the first to the last date with a session or
/// a journal row; an empty input gives no days.
pub fn build(sessions: &[Classified], journal: Option<&Journal>) -> Vec<Day> {
    let mut by_date: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (i, c) in sessions.iter().enumerate() {
        by_date.entry(c.session.local_date).or_default().push(i);
    }
    let entries: BTreeMap<NaiveDate, &JournalEntry> = journal
        .map(|j| j.entries.iter().map(|e| (e.date, e)).collect())
        .unwrap_or_default();
    let first = by_date.keys().chain(entries.keys()).min().copied();
    let last = by_date.keys().chain(entries.keys()).max().copied();
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let load_on = |d: NaiveDate| -> f64 {
        by_date
            .get(&d)
            .map_or(0.0, |ix| ix.iter().map(|&i| sessions[i].trimp).sum())
    };
    let loads = load::daily(first, last, &load_on);
    loads
        .into_iter()
        .map(|l| {
            let date = l.date;
            let ix = by_date.get(&date).cloned().unwrap_or_default();
            let e = entries.get(&date);
            Day {
                date,
                class: ix.iter().map(|&i| sessions[i].verdict.class).max(),
                above_min: ix.iter().map(|&i| sessions[i].verdict.above_min).sum(),
                timer_h: ix.iter().map(|&i| sessions[i].session.timer_s).sum::<f64>() / 3600.0,
                sessions: ix,
                load: l,
                soreness: e.and_then(|e| e.soreness),
                sleep_hours: e.and_then(|e| e.sleep_hours),
                sleep_quality: e.and_then(|e| e.sleep_quality),
                resting_hr: e.and_then(|e| e.resting_hr),
                hrv_ms: e.and_then(|e| e.hrv_ms),
                planned: e.and_then(|e| e.planned),
            }
        })
        .collect()
}

/// The day `n` days after `date` in `days`, if inside the period.
pub fn day_after(days: &[Day], date: NaiveDate, n: i64) -> Option<&Day> {
    let first = days.first()?.date;
    let i = (date + Duration::days(n) - first).num_days();
    usize::try_from(i).ok().and_then(|i| days.get(i))
}

/// `days.csv`.
pub fn days_table(days: &[Day]) -> Table {
    Table::new()
        .text("date", days.iter().map(|d| Some(d.date.to_string())))
        .int(
            "sessions",
            days.iter().map(|d| Some(d.sessions.len() as i64)),
        )
        .text(
            "class",
            days.iter()
                .map(|d| Some(d.class.map_or("rest".to_string(), |c| c.to_string()))),
        )
        .float("above_min", 1, days.iter().map(|d| Some(d.above_min)))
        .float("timer_h", 2, days.iter().map(|d| Some(d.timer_h)))
        .float("load", 1, days.iter().map(|d| Some(d.load.load)))
        .float("acute", 1, days.iter().map(|d| Some(d.load.acute)))
        .float("chronic", 1, days.iter().map(|d| Some(d.load.chronic)))
        .float("form", 1, days.iter().map(|d| Some(d.load.form)))
        .float("acwr", 2, days.iter().map(|d| d.load.acwr))
        .float("soreness", 1, days.iter().map(|d| d.soreness))
        .float("sleep_hours", 2, days.iter().map(|d| d.sleep_hours))
        .int(
            "sleep_quality",
            days.iter().map(|d| d.sleep_quality.map(i64::from)),
        )
        .float("resting_hr", 0, days.iter().map(|d| d.resting_hr))
        .float("hrv_ms", 0, days.iter().map(|d| d.hrv_ms))
        .text(
            "planned",
            days.iter()
                .map(|d| d.planned.map(|p| p.as_str().to_string())),
        )
        .text(
            "rest_day",
            days.iter().map(|d| Some(d.is_rest().to_string())),
        )
}

/// `weeks.csv` and the weekly figures behind it.
pub fn weeks(days: &[Day]) -> Vec<load::Week> {
    let rows: Vec<_> = days
        .iter()
        .map(|d| (d.date, d.load.load, d.timer_h, d.sessions.len()))
        .collect();
    load::weekly(&rows)
}

/// `weeks.csv`.
pub fn weeks_table(weeks: &[load::Week]) -> Table {
    Table::new()
        .text(
            "week_start",
            weeks.iter().map(|w| Some(w.start.to_string())),
        )
        .int("days", weeks.iter().map(|w| Some(w.days as i64)))
        .int("sessions", weeks.iter().map(|w| Some(w.sessions as i64)))
        .int("rest_days", weeks.iter().map(|w| Some(w.rest_days as i64)))
        .float("hours", 2, weeks.iter().map(|w| Some(w.hours)))
        .float("load", 1, weeks.iter().map(|w| Some(w.load)))
        .float("monotony", 2, weeks.iter().map(|w| w.monotony))
        .float("strain", 0, weeks.iter().map(|w| w.strain))
}

/// Hand-built weeks for the tests of the rules that read days.
#[cfg(test)]
pub mod fixtures {
    use super::*;
    use crate::journal::JournalEntry;
    use crate::load::Sex;
    use crate::session::{HrHistogram, LocalDateSource};
    use chrono::{TimeZone, Utc};

    pub fn date(s: &str) -> NaiveDate {
        s.parse().expect("test dates are valid")
    }

    /// A session on `day`: `minutes` long with `above` minutes at 150 bpm, the rest at 130.
    pub fn session(day: &str, minutes: f64, above: f64, name: Option<&str>) -> Session {
        let mut hr = HrHistogram::default();
        hr.add(150, (above * 60.0).round() as u32);
        hr.add(130, ((minutes - above) * 60.0).round() as u32);
        let d = date(day);
        Session {
            file: format!("{day}.fit"),
            index: 0,
            sport: "running".into(),
            sub_sport: String::new(),
            start_utc: Utc.from_utc_datetime(&d.and_hms_opt(7, 0, 0).expect("valid time")),
            local_date: d,
            utc_offset_s: None,
            local_date_source: LocalDateSource::Utc,
            timer_s: minutes * 60.0,
            elapsed_s: minutes * 60.0,
            distance_m: None,
            manufacturer: String::new(),
            product: String::new(),
            name: name.map(str::to_string),
            rpe: None,
            feel: None,
            pauses: 0,
            hr,
        }
    }

    pub fn hard(day: &str) -> Session {
        session(day, 60.0, 30.0, None)
    }
    pub fn easy(day: &str) -> Session {
        session(day, 60.0, 2.0, None)
    }
    pub fn recovery(day: &str) -> Session {
        session(day, 30.0, 0.0, None)
    }

    /// A journal row: date, soreness, sleep hours, planned.
    pub fn entry(day: &str, soreness: f64, sleep: f64, planned: Option<Planned>) -> JournalEntry {
        JournalEntry {
            line: 0,
            date: date(day),
            soreness: Some(soreness),
            sleep_hours: Some(sleep),
            sleep_quality: None,
            resting_hr: None,
            hrv_ms: None,
            planned,
            notes: String::new(),
        }
    }

    pub fn journal(entries: Vec<JournalEntry>) -> Journal {
        Journal {
            label: "journal.csv".into(),
            entries,
            problems: Vec::new(),
            warnings: Vec::new(),
            rows_left_out: 0,
            has_sleep_column: true,
        }
    }

    /// Classified sessions and their days with default settings.
    pub fn build_days(
        sessions: Vec<Session>,
        journal: Option<&Journal>,
    ) -> (Vec<Classified>, Vec<Day>) {
        let athlete = Athlete {
            hr_max: 190.0,
            hr_rest: 60.0,
            sex: Sex::Male,
        };
        let c = classify_all(sessions, Band::default(), &Thresholds::default(), &athlete);
        let days = build(&c, journal);
        (c, days)
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn days_run_from_the_first_to_the_last_date_with_rest_days_between() {
        let j = journal(vec![entry("2026-03-06", 2.0, 8.0, None)]);
        let (_, days) = build_days(vec![hard("2026-03-02"), easy("2026-03-04")], Some(&j));
        assert_eq!(days.len(), 5);
        assert!(days[0].is_hard());
        assert!(days[1].is_rest() && days[1].load.load == 0.0);
        assert_eq!(days[2].class, Some(Class::Easy));
        assert_eq!(days[4].soreness, Some(2.0));
    }

    #[test]
    fn the_class_of_a_day_is_its_hardest_session() {
        let (_, days) = build_days(vec![recovery("2026-03-02"), hard("2026-03-02")], None);
        assert_eq!(days.len(), 1);
        assert_eq!(days[0].class, Some(Class::Hard));
        assert_eq!(days[0].sessions.len(), 2);
    }

    #[test]
    fn days_csv_has_the_documented_columns() {
        let (_, days) = build_days(vec![easy("2026-03-02")], None);
        let t = days_table(&days);
        let names: Vec<_> = t.columns.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "date",
                "sessions",
                "class",
                "above_min",
                "timer_h",
                "load",
                "acute",
                "chronic",
                "form",
                "acwr",
                "soreness",
                "sleep_hours",
                "sleep_quality",
                "resting_hr",
                "hrv_ms",
                "planned",
                "rest_day"
            ]
        );
    }
}
