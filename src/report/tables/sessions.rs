//! `sessions.csv` (and `recovery sessions`): one row per session with its heart-rate figures.

use crate::classify::Classified;
use crate::report::tables::Table;
use crate::report::terminal::View;
use crate::session::{LocalDateSource, Session};
use crate::zones::Band;

/// Is the session's UTC start known? Not for an undated session, nor for one dated only by
/// a wall-clock time without a zone (its local date comes from the file, its offset is
/// unknown).
fn start_known(s: &Session) -> bool {
    s.undated.is_none()
        && !(s.local_date_source == LocalDateSource::File && s.utc_offset_s.is_none())
}

fn minutes(s: u64) -> Option<f64> {
    Some(s as f64 / 60.0)
}

/// The sessions table on a terminal: first the columns a reader scans for (the date, the
/// sport, the minutes, the minutes below / in / above the band, the class, the load), the
/// file path shortened, the class in its chart colour.
pub const SESSIONS_VIEW: View = View {
    first: &[
        "local_date",
        "sport",
        "timer_s",
        "below_min",
        "in_min",
        "above_min",
        "class",
        "trimp",
    ],
    paths: &["file"],
    class: Some("class"),
};

/// The stable columns of `recovery sessions` (names and order are a contract; new
/// columns are added at the end): the dated sessions, then the undated ones, whose time
/// columns are empty and whose `reason` says why.
pub fn sessions_table(dated: &[Classified], undated: &[Classified], band: Band) -> Table {
    let classified: Vec<&Classified> = dated.iter().chain(undated).collect();
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
        .timestamp(
            "start_utc",
            sessions
                .iter()
                .map(|s| start_known(s).then_some(s.start_utc)),
        )
        .date(
            "local_date",
            sessions
                .iter()
                .map(|s| s.undated.is_none().then_some(s.local_date)),
        )
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
                s.undated
                    .is_none()
                    .then(|| s.local_date_source.name().to_string())
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
            classified.iter().map(|c| {
                Some(match &c.session.undated {
                    Some(why) => format!("undated ({why}); {}", c.verdict.reason),
                    None => c.verdict.reason.clone(),
                })
            }),
        )
        .float("trimp", 1, classified.iter().map(|c| Some(c.trimp)))
        .text(
            "load_source",
            classified
                .iter()
                .map(|c| Some(c.load_source.as_str().to_string())),
        )
}
