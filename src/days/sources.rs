//! The daily table's provenance in words: which source (journal or watch) gave each
//! signal over which dates, and where the two disagree — for the summary and stderr.

use chrono::NaiveDate;

use super::{Day, DaySources, Provenance, WatchDays};
use crate::ingest::exports::Wellness;
use crate::journal::Journal;

/// For each signal, which source gave it over which dates, in words (for the summary).
pub fn source_lines(days: &[Day]) -> Vec<String> {
    type Signal = fn(&DaySources) -> Option<Provenance>;
    let signals: [(&str, Signal); 5] = [
        ("sleep hours", |s| s.sleep_hours),
        ("sleep score", |s| s.sleep_score),
        ("resting heart rate", |s| s.resting_hr),
        ("HRV", |s| s.hrv_ms),
        (
            "HRV as SDNN (Apple Health, not comparable with rMSSD)",
            |s| s.hrv_sdnn_ms,
        ),
    ];
    let mut out = Vec::new();
    for (name, get) in signals {
        let mut parts = Vec::new();
        for src in [Provenance::Journal, Provenance::Watch] {
            let dates: Vec<NaiveDate> = days
                .iter()
                .filter(|d| get(&d.sources) == Some(src))
                .map(|d| d.date)
                .collect();
            if let (Some(a), Some(b)) = (dates.first(), dates.last()) {
                parts.push(format!(
                    "{} on {} days ({a} – {b})",
                    src.as_str(),
                    dates.len()
                ));
            }
        }
        if !parts.is_empty() {
            out.push(format!("{name}: {}", parts.join(", ")));
        }
    }
    out
}

/// What the summary says about where the data came from: each signal's sources and
/// dates, the export's files and matched activities, and journal/watch disagreements.
pub fn describe_sources(
    days: &[Day],
    journal: Option<&Journal>,
    watch: &Wellness,
    activities_matched: (usize, usize),
) -> Vec<String> {
    let mut out = source_lines(days);
    if watch.files_read.is_empty() {
        return out;
    }
    let (m, n) = activities_matched;
    out.push(format!(
        "watch export: {} files read; {m} sessions matched an entry of the activity lists ({n} entries, a workout listed by two exports counted in each; names, RPE, feel)",
        watch.files_read.len()
    ));
    if journal.is_some() {
        let (sleep, rhr) = disagreements(journal, Some(watch));
        out.push(format!(
            "journal and watch both logged: the journal's value is used; {sleep} days differed by more than an hour of sleep, {rhr} by more than 5 bpm of resting heart rate"
        ));
    }
    out
}

/// "sleep: journal on 60 days, watch on 5" — the sources behind a sleep finding.
pub fn sleep_source_note(days: &[Day]) -> String {
    let n = |src| {
        days.iter()
            .filter(|d| d.sources.sleep_hours == Some(src))
            .count()
    };
    let (j, w) = (n(Provenance::Journal), n(Provenance::Watch));
    match (j, w) {
        (0, 0) => "no sleep data".into(),
        (_, 0) => format!("sleep from the journal, {j} days"),
        (0, _) => format!("sleep from the watch, {w} days"),
        _ => format!("sleep from the journal on {j} days and the watch on {w}"),
    }
}

/// Days where the journal and the watch disagree by more than an hour of sleep or 5 bpm
/// of resting heart rate (the journal's value is used).
pub fn disagreements(journal: Option<&Journal>, watch: Option<&Wellness>) -> (usize, usize) {
    let (Some(j), Some(w)) = (journal, watch) else {
        return (0, 0);
    };
    let wd = WatchDays::from(Some(w));
    let mut out = (0, 0);
    for e in &j.entries {
        if let (Some(a), Some((b, _))) = (e.sleep_hours, wd.sleep.get(&e.date)) {
            if (a - b).abs() > 1.0 {
                out.0 += 1;
            }
        }
        if let (Some(a), Some(b)) = (e.resting_hr, wd.resting_hr.get(&e.date)) {
            if (a - b).abs() > 5.0 {
                out.1 += 1;
            }
        }
    }
    out
}
