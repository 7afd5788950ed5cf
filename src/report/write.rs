//! The report folder: checked before any work is done, every file of a run written into it
//! atomically, and the one line that says what was written.
//!
//! Each file goes to a temporary name in the same folder and is then renamed into place, so
//! a run killed midway leaves the previous reports intact.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::config::Settings;
use crate::pipeline::Outcome;
use crate::report::chart_set::ChartSet;
use crate::report::summary::{self, Context};
use crate::report::tables::audit::audit_table;
use crate::report::tables::correlations::correlations_table;
use crate::report::tables::days::days_table;
use crate::report::tables::sessions::sessions_table;
use crate::report::tables::weeks::weeks_table;
use crate::report::tables::{frame_csv, frame_parquet, Table};

/// Makes sure `dir` exists and is writable before any work is done.
pub fn prepare(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| {
        format!(
            "cannot create the output folder {}; choose another with --out",
            dir.display()
        )
    })?;
    let probe = dir.join(format!(".recovery-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"").with_context(|| {
        format!(
            "cannot write into {}; choose another with --out",
            dir.display()
        )
    })?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// The temporary name `path` is written to before the rename.
pub fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let tmp = temp_name(path);
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming into {}", path.display()))?;
    Ok(())
}

/// What the summary says besides the outcome: where the data came from, what was read of it
/// and what next (the caller knows these; the report only states them).
#[derive(Debug, Clone, Default)]
pub struct ReportFacts {
    pub source: String,
    pub ingest_line: String,
    pub journal_line: String,
    pub what_next: Vec<String>,
    /// Which signals came from where (journal, watch), over which dates.
    pub source_lines: Vec<String>,
}

fn csv_bytes(t: &Table) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    t.write_csv(&mut buf)?;
    Ok(buf)
}

/// The tables also written as Parquet beside their CSV (`sessions.parquet`, …), and the
/// tables of a team's dataset.
pub const PARQUET_TABLES: [&str; 4] = ["sessions", "days", "weeks", "audit"];

/// Text columns that hold dates; they are written as typed dates.
const DATE_COLUMNS: [&str; 3] = ["date", "week_start", "local_date"];

/// The tables of a run: file name, description, table.
pub fn tables(o: &Outcome) -> Vec<(&'static str, &'static str, Table)> {
    vec![
        (
            "sessions.csv",
            "one row per session with its heart-rate minutes, class, reason and TRIMP",
            sessions_table(&o.classified, &o.undated, o.band),
        ),
        (
            "days.csv",
            "one row per day: sessions, class of the day, load, acute/chronic load, form, soreness, sleep",
            days_table(&o.days, &o.readiness),
        ),
        (
            "weeks.csv",
            "one row per Monday–Sunday week: hours, load, monotony, strain",
            weeks_table(&o.weeks),
        ),
        (
            "audit.csv",
            "every training rule broken: date, rule, severity, session, what was found, what to do",
            audit_table(&o.findings),
        ),
        (
            "correlations.csv",
            "what moves with what: n, effect, 95 % CI, p-value and the finding in words",
            correlations_table(&o.analysis),
        ),
    ]
    .into_iter()
    .map(|(name, what, t)| (name, what, t.with_dates(&DATE_COLUMNS)))
    .collect()
}

/// The terminal's one line about what was written: the count, the folder and the main
/// files, e.g. `wrote 13 files to reports/ (summary.md, index.html, 5 tables, 7 charts,
/// 24 session charts)`.
pub fn written_line(out: &Path, files: &[(String, String)]) -> String {
    let count = |f: &dyn Fn(&str) -> bool| files.iter().filter(|(n, _)| f(n)).count();
    let sessions = count(&|n| n.starts_with("sessions/"));
    let charts = count(&|n| n.ends_with(".png")) - sessions;
    let tables = count(&|n| n.ends_with(".csv"));
    let mut parts = Vec::new();
    for main in ["summary.md", "index.html"] {
        if files.iter().any(|(n, _)| n == main) {
            parts.push(main.to_string());
        }
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    parts.push(plural(tables, "table", "tables"));
    parts.push(plural(charts, "chart", "charts"));
    if sessions > 0 {
        parts.push(plural(sessions, "session chart", "session charts"));
    }
    let mut folder = out.display().to_string();
    if !folder.ends_with('/') {
        folder.push('/');
    }
    format!(
        "wrote {} files to {folder} ({})",
        files.len(),
        parts.join(", ")
    )
}

/// Writes only `audit.csv` (the `audit` command).
pub fn write_audit(out: &Path, o: &Outcome) -> Result<()> {
    write_atomic(
        &out.join("audit.csv"),
        &csv_bytes(&audit_table(&o.findings))?,
    )
}

/// Writes the tables, the given charts' summary, `summary.md` and `index.html`; returns
/// the files written (relative names) with their descriptions.
pub fn write_all(
    out: &Path,
    o: &Outcome,
    s: &Settings,
    facts: &ReportFacts,
    charts: ChartSet,
) -> Result<Vec<(String, String)>> {
    let mut files: Vec<(String, String)> = Vec::new();
    for (name, what, table) in tables(o) {
        // One typed frame per table; the CSV and the Parquet file are both written from it.
        let mut df = table.to_frame()?;
        let mut csv = Vec::new();
        frame_csv(&mut df, &mut csv)?;
        write_atomic(&out.join(name), &csv)?;
        files.push((name.to_string(), what.to_string()));
        let stem = name.trim_end_matches(".csv");
        if PARQUET_TABLES.contains(&stem) {
            let mut pq = Vec::new();
            frame_parquet(&mut df, &mut pq)?;
            let file = format!("{stem}.parquet");
            write_atomic(&out.join(&file), &pq)?;
            files.push((file, format!("{name} as typed columns (Parquet)")));
        }
    }
    for c in charts.entries.iter().filter(|c| c.missing.is_none()) {
        files.push((c.file.clone(), c.title.clone()));
    }
    files.push(("summary.md".into(), "this summary".into()));
    files.push((
        "index.html".into(),
        "this summary with the charts inline".into(),
    ));
    let ctx = Context {
        outcome: o,
        settings: s,
        source: facts.source.clone(),
        ingest_line: facts.ingest_line.clone(),
        journal_line: facts.journal_line.clone(),
        charts,
        files: files.clone(),
        what_next: facts.what_next.clone(),
        source_lines: facts.source_lines.clone(),
    };
    let doc = summary::document(&ctx);
    write_atomic(&out.join("summary.md"), doc.to_markdown().as_bytes())?;
    let title = format!(
        "Training and recovery report, {}",
        summary::period(o).unwrap_or_default()
    );
    write_atomic(&out.join("index.html"), doc.to_html(&title).as_bytes())?;
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_line_counts_files_by_kind_instead_of_naming_each() {
        let mut files: Vec<(String, String)> = ["days.csv", "audit.csv", "zones.png", "recent.png"]
            .iter()
            .map(|n| (n.to_string(), String::new()))
            .collect();
        for i in 0..30 {
            files.push((format!("sessions/2026-01-{i:02}_run.png"), String::new()));
        }
        files.push(("summary.md".into(), String::new()));
        files.push(("index.html".into(), String::new()));
        assert_eq!(
            written_line(Path::new("reports"), &files),
            "wrote 36 files to reports/ (summary.md, index.html, 2 tables, 2 charts, 30 session charts)"
        );
    }

    #[test]
    fn a_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(&p, "old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn an_unwritable_output_folder_is_refused_up_front() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain-file");
        std::fs::write(&file, "x").unwrap();
        let err = prepare(&file.join("sub")).unwrap_err().to_string();
        assert!(err.contains("choose another with --out"), "{err}");
    }
}
