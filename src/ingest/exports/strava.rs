//! Strava archives: `activities.csv`, one row per activity, joined to its file by the
//! `Filename` column (see [`super::super::join`]). CSV in, [`ActivityNote`] out.

use super::{ActivityNote, FileError, Issues, WellnessKind};

pub(super) fn strava_activities(
    bytes: &[u8],
    source: &str,
    issues: &mut Issues,
) -> Result<Vec<ActivityNote>, FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = reader.byte_records();
    let header = rows
        .next()
        .ok_or(FileError::Shape("empty: no header line"))??;
    let names: Vec<String> = header.iter().map(lossy).collect();
    // The header repeats names (Distance, Elapsed Time, ...): the first one wins.
    let column = |name: &str| names.iter().position(|h| h.eq_ignore_ascii_case(name));
    let filename = column("Filename").ok_or(FileError::Shape("no Filename column"))?;
    let id = column("Activity ID");
    let name = column("Activity Name");
    let activity_type = column("Activity Type");
    let exertion = column("Perceived Exertion");

    let mut out = Vec::new();
    for row in rows {
        issues.entries += 1;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                issues.skipped += 1;
                let at = e
                    .position()
                    .map_or("a row".to_string(), |p| format!("line {}", p.line()));
                issues.note(&at, e);
                // A reader error leaves its position uncertain: stop rather than misread.
                break;
            }
        };
        let get = |col: Option<usize>| {
            col.and_then(|c| row.get(c))
                .map(lossy)
                .filter(|v| !v.is_empty())
        };
        let Some(file) = get(Some(filename)) else {
            continue;
        };
        let rpe = match get(exertion) {
            None => None,
            Some(v) => match v.parse::<f64>() {
                Ok(0.0) => None,
                Ok(x) if (1.0..=10.0).contains(&x) => Some(x),
                _ => {
                    issues.partly += 1;
                    let line = row.position().map_or(0, |p| p.line());
                    issues.note(
                        &format!("line {line}"),
                        format!("Perceived Exertion {v:?} left out (expected 1-10)"),
                    );
                    None
                }
            },
        };
        out.push(ActivityNote {
            kind: WellnessKind::StravaActivities,
            id: get(id),
            start_utc: None,
            file: Some(file),
            name: get(name),
            activity_type: get(activity_type),
            rpe,
            feel: None,
            source_file: source.to_string(),
        });
    }
    Ok(out)
}

/// A CSV field as text: not UTF-8 is read lossily, spaces and a byte-order mark trimmed.
fn lossy(field: &[u8]) -> String {
    String::from_utf8_lossy(field)
        .trim_start_matches('\u{feff}')
        .trim()
        .to_string()
}
