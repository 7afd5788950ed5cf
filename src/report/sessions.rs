//! The sessions table: one row per session with its heart-rate figures.

use crate::days::Classified;
use crate::report::table::Table;
use crate::zones::Band;

fn minutes(s: u64) -> Option<f64> {
    Some(s as f64 / 60.0)
}

/// The stable columns of `recovery sessions` (names and order are a contract; new
/// columns are added at the end).
pub fn sessions_table(classified: &[Classified], band: Band) -> Table {
    let sessions: Vec<_> = classified.iter().map(|c| &c.session).collect();
    let split: Vec<(u64, u64, u64)> = sessions
        .iter()
        .map(|s| s.hr.split(band.low, band.high))
        .collect();
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Table::new()
        .text("file", sessions.iter().map(|s| Some(s.file.clone())))
        .int("session", sessions.iter().map(|s| Some(s.index as i64)))
        .text("sport", sessions.iter().map(|s| opt(&s.sport)))
        .text("sub_sport", sessions.iter().map(|s| opt(&s.sub_sport)))
        .timestamp("start_utc", sessions.iter().map(|s| Some(s.start_utc)))
        .date("local_date", sessions.iter().map(|s| Some(s.local_date)))
        .float("timer_s", 1, sessions.iter().map(|s| Some(s.timer_s)))
        .float("elapsed_s", 1, sessions.iter().map(|s| Some(s.elapsed_s)))
        .int("hr_s", sessions.iter().map(|s| Some(s.hr_s() as i64)))
        .float("avg_hr", 1, sessions.iter().map(|s| s.hr.mean()))
        .int("max_hr", sessions.iter().map(|s| s.hr.max().map(i64::from)))
        .float("below_min", 2, split.iter().map(|t| minutes(t.0)))
        .float("in_min", 2, split.iter().map(|t| minutes(t.1)))
        .float("above_min", 2, split.iter().map(|t| minutes(t.2)))
        .text(
            "manufacturer",
            sessions.iter().map(|s| opt(&s.manufacturer)),
        )
        .text("product", sessions.iter().map(|s| opt(&s.product)))
        .float("distance_m", 1, sessions.iter().map(|s| s.distance_m))
        .int("pauses", sessions.iter().map(|s| Some(s.pauses as i64)))
        .text(
            "local_date_from",
            sessions.iter().map(|s| {
                Some(
                    match s.local_date_source {
                        crate::session::LocalDateSource::File => "file",
                        crate::session::LocalDateSource::Flag => "tz_flag",
                        crate::session::LocalDateSource::Utc => "utc",
                    }
                    .to_string(),
                )
            }),
        )
        .text("name", sessions.iter().map(|s| s.name.clone()))
        .float("rpe", 1, sessions.iter().map(|s| s.rpe))
        .float("feel", 0, sessions.iter().map(|s| s.feel))
        .text(
            "class",
            classified.iter().map(|c| Some(c.verdict.class.to_string())),
        )
        .text(
            "reason",
            classified.iter().map(|c| Some(c.verdict.reason.clone())),
        )
        .float("trimp", 1, classified.iter().map(|c| Some(c.trimp)))
}
