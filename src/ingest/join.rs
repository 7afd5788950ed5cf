//! The join step: activity notes from the exports (names, RPE, feel, sport) to the FIT
//! sessions they describe. Garmin's by start time, Strava's by file name (also when that
//! file was counted once as a copy of the session kept).

use std::collections::HashMap;

use super::dedupe::Duplicate;
use super::exports::ActivityNote;
use super::IngestReport;
use crate::session::Session;

/// Gives sessions the name, RPE and feel of their entry in an activity list (Garmin's by
/// start time within 300 s, Strava's by file name: the session's own file, else a file
/// left out as a copy of it), and its sport where the file had none. The list's name wins
/// over the device's: it is what the athlete sees and may have edited ("Easy Run").
pub fn apply_activity_notes(report: &mut IngestReport) {
    let notes = &report.wellness.activities;
    if notes.is_empty() {
        return;
    }
    let starts: Vec<i64> = report
        .sessions
        .iter()
        .map(|s| s.start_utc.timestamp())
        .collect();
    let by_time = match_activities(&starts, notes, 300);
    let files: Vec<&str> = report.sessions.iter().map(|s| s.file.as_str()).collect();
    let by_file = match_files(&files, notes);
    let by_copy = match_dropped_copies(&report.sessions, &report.duplicates, notes);
    let mut matched = 0;
    for (i, s) in report.sessions.iter_mut().enumerate() {
        let Some(n) = by_time[i].or(by_file[i]).or(by_copy[i]).map(|k| &notes[k]) else {
            continue;
        };
        matched += 1;
        if let Some(name) = n.name.clone().filter(|x| !x.trim().is_empty()) {
            s.name = Some(name);
        }
        s.rpe = s.rpe.or(n.rpe);
        s.feel = s.feel.or(n.feel);
        if s.sport.is_empty() {
            s.sport = sport_of(n).unwrap_or_default();
        }
    }
    report.activities_matched = (matched, notes.len());
}

/// For each session start (Unix seconds), the index in `activities` of the activity that
/// started within `max_s` seconds of it: the nearest pairs are taken first, and each
/// activity goes to one session at most. Activities without a start (Strava rows) are not
/// candidates. Equal distances go to the earlier session, then the earlier activity.
pub fn match_activities(
    session_starts: &[i64],
    activities: &[ActivityNote],
    max_s: i64,
) -> Vec<Option<usize>> {
    let mut out = vec![None; session_starts.len()];
    if max_s < 0 {
        return out;
    }
    let max_ms = max_s.saturating_mul(1000);
    let mut by_time: Vec<(i64, usize)> = activities
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.start_utc.map(|t| (t.timestamp_millis(), i)))
        .collect();
    by_time.sort_unstable();
    // Every (distance, session, activity) within reach, nearest first.
    let mut pairs: Vec<(u64, usize, usize)> = Vec::new();
    for (s, &start) in session_starts.iter().enumerate() {
        let at = start.saturating_mul(1000);
        let first = by_time.partition_point(|&(t, _)| t < at.saturating_sub(max_ms));
        let reach = at.saturating_add(max_ms);
        for &(t, a) in by_time[first..].iter().take_while(|(t, _)| *t <= reach) {
            pairs.push((t.abs_diff(at), s, a));
        }
    }
    pairs.sort_unstable();
    let mut used = vec![false; activities.len()];
    for (_, s, a) in pairs {
        if out[s].is_none() && !used[a] {
            out[s] = Some(a);
            used[a] = true;
        }
    }
    out
}

/// The sport an activity list gives an activity, as the FIT profile names it (`Run` →
/// `running`, `Ride` → `cycling`): for sessions whose file does not say (a GPX track
/// without a `type`).
pub fn sport_of(note: &ActivityNote) -> Option<String> {
    let t = note.activity_type.as_deref()?.trim();
    (!t.is_empty()).then(|| super::xml::fit_sport_name(t))
}

/// For each session's file label, the index of the Strava row naming that file: the row's
/// `Filename` is relative to the folder holding its `activities.csv`, so
/// `x.zip/activities.csv` with `activities/1.fit.gz` names `x.zip/activities/1.fit.gz`.
pub fn match_files(session_files: &[&str], activities: &[ActivityNote]) -> Vec<Option<usize>> {
    let mut by_path: HashMap<String, usize> = HashMap::new();
    for (i, a) in activities.iter().enumerate() {
        if let Some(file) = &a.file {
            let csv = a.source_file.replace('\\', "/");
            let folder = csv.rsplit_once('/').map_or("", |(folder, _)| folder);
            let file = file.replace('\\', "/");
            let path = if folder.is_empty() {
                file
            } else {
                format!("{folder}/{}", file.trim_start_matches('/'))
            };
            by_path.entry(path).or_insert(i);
        }
    }
    session_files
        .iter()
        .map(|f| by_path.get(&f.replace('\\', "/")).copied())
        .collect()
}

/// For each session, the index of the Strava row naming a file that was counted once as a
/// copy of it: the same workout in a Strava archive (`.fit.gz`, or a GPX or TCX upload) and
/// in a folder of the watch's FIT files keeps the folder's recording, and the row the
/// athlete named on Strava follows the workout to it. The first such row wins.
pub fn match_dropped_copies(
    sessions: &[Session],
    duplicates: &[Duplicate],
    activities: &[ActivityNote],
) -> Vec<Option<usize>> {
    let mut out = vec![None; sessions.len()];
    let files: Vec<&str> = duplicates.iter().map(|d| d.file.as_str()).collect();
    let rows = match_files(&files, activities);
    if rows.iter().all(Option::is_none) {
        return out;
    }
    let position: HashMap<(&str, usize), usize> = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.file.as_str(), s.index), i))
        .collect();
    // A copy's kept session may itself have been left out later (a chain): follow it.
    let kept_of: HashMap<(&str, usize), (&str, usize)> = duplicates
        .iter()
        .map(|d| {
            (
                (d.file.as_str(), d.session),
                (d.kept_file.as_str(), d.kept_session),
            )
        })
        .collect();
    for (d, row) in duplicates.iter().zip(rows) {
        let Some(row) = row else { continue };
        let mut at = (d.kept_file.as_str(), d.kept_session);
        for _ in 0..duplicates.len() {
            if position.contains_key(&at) {
                break;
            }
            match kept_of.get(&at) {
                Some(&next) => at = next,
                None => break,
            }
        }
        if let Some(&i) = position.get(&at) {
            out[i].get_or_insert(row);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::exports::tests::{read, utc};
    use crate::ingest::exports::WellnessKind;

    fn garmin_note(id: &str, start: &str) -> ActivityNote {
        ActivityNote {
            kind: WellnessKind::GarminActivities,
            id: Some(id.to_string()),
            start_utc: Some(utc(start)),
            file: None,
            name: None,
            activity_type: None,
            rpe: None,
            feel: None,
            source_file: "a.json".to_string(),
        }
    }

    #[test]
    fn sessions_match_the_nearest_activity_within_the_window_each_activity_once() {
        let activities = vec![
            garmin_note("a", "2026-09-01T16:25:00Z"),
            garmin_note("b", "2026-09-01T16:27:00Z"),
            garmin_note("c", "2026-09-03T16:00:00Z"),
            ActivityNote {
                start_utc: None,
                ..garmin_note("d", "2026-09-05T08:00:00Z")
            },
        ];
        let t = |s: &str| utc(s).timestamp();
        let table = [
            (
                "two candidates: the nearer wins",
                vec![t("2026-09-01T16:26:50Z")],
                vec![Some(1)],
            ),
            (
                "two sessions, the nearest pair first, then the rest",
                vec![t("2026-09-01T16:26:50Z"), t("2026-09-01T16:25:30Z")],
                vec![Some(1), Some(0)],
            ),
            (
                "three sessions for two activities: the farthest goes without",
                vec![
                    t("2026-09-01T16:25:00Z"),
                    t("2026-09-01T16:27:00Z"),
                    t("2026-09-01T16:26:00Z"),
                ],
                vec![Some(0), Some(1), None],
            ),
            (
                "exactly 300 s away still matches",
                vec![t("2026-09-03T16:05:00Z")],
                vec![Some(2)],
            ),
            (
                "301 s away does not",
                vec![t("2026-09-03T15:54:59Z")],
                vec![None],
            ),
            (
                "no activity that day; one without a start is never a candidate",
                vec![t("2026-09-05T08:00:00Z")],
                vec![None],
            ),
            ("no sessions", vec![], vec![]),
        ];
        for (what, sessions, expected) in table {
            assert_eq!(
                match_activities(&sessions, &activities, 300),
                expected,
                "{what}"
            );
        }
        assert_eq!(
            match_activities(&[t("2026-09-01T16:25:00Z")], &activities, -1),
            vec![None]
        );
    }

    #[test]
    fn an_activity_with_no_matching_session_is_left_unused() {
        let activities = vec![
            garmin_note("a", "2026-09-01T16:25:00Z"),
            garmin_note("b", "2026-09-02T05:00:00Z"),
        ];
        let sessions = [utc("2026-09-02T05:01:00Z").timestamp()];
        assert_eq!(match_activities(&sessions, &activities, 300), vec![Some(1)]);
    }

    #[test]
    fn a_strava_row_follows_its_file_to_the_session_kept_in_its_place() {
        use crate::ingest::dedupe::Match;
        let csv = "Activity Name,Filename\nMorning Run,activities/1.gpx\n\
                   Evening Ride,activities/2.fit.gz\nTempo,activities/3.fit.gz\n";
        let w = read(&[("strava.zip/activities.csv", csv)]);
        let session = |file: &str, index: usize| Session {
            file: file.to_string(),
            index,
            ..Session::default()
        };
        let copy = |file: &str, kept_file: &str| Duplicate {
            file: file.to_string(),
            session: 0,
            kept_file: kept_file.to_string(),
            kept_session: 0,
            why: Match::SameStart,
        };
        let sessions = [
            session("watch/run.fit", 0),
            session("watch/ride.fit", 0),
            session("strava.zip/activities/3.fit.gz", 0),
            session("watch/walk.fit", 0),
        ];
        let duplicates = [
            // The GPX upload of the run, left out for the watch's FIT recording.
            copy("strava.zip/activities/1.gpx", "watch/run.fit"),
            // A chain: the ride's Strava copy was left out for a copy that was left out
            // in turn for the watch's file.
            copy("strava.zip/activities/2.fit.gz", "export.zip/ride.fit"),
            copy("export.zip/ride.fit", "watch/ride.fit"),
            // Kept in the archive: its own file joins (match_files), not this.
            copy("watch/tempo.fit", "strava.zip/activities/3.fit.gz"),
            // A copy no row names.
            copy("export.zip/walk.fit", "watch/walk.fit"),
        ];
        assert_eq!(
            match_dropped_copies(&sessions, &duplicates, &w.activities),
            vec![Some(0), Some(1), None, None]
        );
        assert_eq!(
            match_dropped_copies(&sessions, &[], &w.activities),
            vec![None; 4]
        );
    }

    #[test]
    fn strava_rows_join_files_beside_their_activities_csv() {
        let csv =
            "Activity Name,Filename\nIntervals,activities/101.fit.gz\nJog,activities/102.fit\n";
        let w = read(&[("exports/strava.zip/activities.csv", csv)]);
        let sessions = [
            "exports/strava.zip/activities/102.fit",
            "exports/strava.zip/activities/101.fit.gz",
            "elsewhere/activities/101.fit.gz",
            "exports/strava.zip/activities/103.fit",
        ];
        assert_eq!(
            match_files(&sessions, &w.activities),
            vec![Some(1), Some(0), None, None]
        );
        let w = read(&[("activities.csv", csv)]);
        assert_eq!(
            match_files(&["activities/101.fit.gz"], &w.activities),
            vec![Some(0)]
        );
        // The same archive twice, zipped and unpacked: each copy joins its own files.
        let w = read(&[
            ("strava.zip/activities.csv", csv),
            ("strava/activities.csv", csv),
        ]);
        let found = match_files(
            &[
                "strava.zip/activities/101.fit.gz",
                "strava/activities/101.fit.gz",
            ],
            &w.activities,
        );
        assert!(found.iter().all(Option::is_some), "{found:?}");
    }
}
