//! `weeks.csv`: one row per Monday–Sunday week of load.

use crate::load;
use crate::report::tables::Table;

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
