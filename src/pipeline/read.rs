//! What one athlete's run reads: the activity inputs and the journal. Nothing here prints:
//! every line for the user (warnings, the inputs line, the journal line) is pushed onto
//! the caller's list, in order, and the command prints them.

use std::path::PathBuf;

use anyhow::Result;

use crate::config::Settings;
use crate::ingest::{self, IngestReport};
use crate::journal::{self, Journal, JournalOptions};

/// What one athlete's run reads.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Folders, zips and files of activities.
    pub paths: Vec<PathBuf>,
    pub journal: JournalIn,
}

impl Inputs {
    /// `paths`, with the journal given, else `journal.csv` in the first folder of `paths`.
    pub fn new(paths: Vec<PathBuf>, journal: Option<PathBuf>) -> Inputs {
        let journal = journal
            .or_else(|| {
                paths
                    .iter()
                    .find(|p| p.is_dir())
                    .map(|d| d.join("journal.csv"))
                    .filter(|p| p.is_file())
            })
            .map_or(JournalIn::None, JournalIn::File);
        Inputs { paths, journal }
    }

    /// The paths, comma-separated, for messages.
    pub fn paths_text(&self) -> String {
        self.paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Where a run's journal comes from.
#[derive(Debug, Clone)]
pub enum JournalIn {
    None,
    /// No journal, with the line that says where one would go.
    Missing(String),
    File(PathBuf),
    /// A journal read from elsewhere (an athlete's zip): its name for messages, its bytes.
    Bytes(String, Vec<u8>),
}

/// What was read, kept for the reports: the ingest report, the journal and the lines that
/// describe them.
#[derive(Debug, Default)]
pub struct InputsRead {
    pub report: IngestReport,
    pub journal: Option<Journal>,
    /// `journal: …`, as said on stderr.
    pub journal_line: String,
    /// The inputs line (`N files: …`), as said on stderr.
    pub ingest_line: String,
    /// Some input was skipped or damaged, or journal rows were left out (exit code 3).
    pub problems: bool,
}

/// Reads every input; fails when nothing at all was found.
pub fn read_inputs(inputs: &Inputs, s: &Settings, say: &mut Vec<String>) -> Result<IngestReport> {
    let report = ingest::ingest(&inputs.paths, &s.ingest_options());
    for line in report.problem_lines() {
        say.push(format!("warning: {line}"));
    }
    say.push(report.summary_line());
    if report
        .files
        .iter()
        .all(|f| f.verdict == ingest::Verdict::NotFit)
        && report.sessions.is_empty()
    {
        anyhow::bail!(
            "no FIT files found under {}; give the folder, zip or files your watch exported",
            inputs.paths_text()
        );
    }
    Ok(report)
}

/// Reads the journal: the journal (if any could be used), its line, and whether rows or
/// values were left out ("finished with skips").
pub fn read_journal(
    source: &JournalIn,
    require_sleep: bool,
    say: &mut Vec<String>,
) -> (Option<Journal>, String, bool) {
    let opts = JournalOptions { require_sleep };
    let (name, result) = match source {
        JournalIn::None => {
            let line = "none (give --journal FILE to relate soreness and sleep)";
            say.push(format!("journal: {line}"));
            return (None, line.into(), false);
        }
        JournalIn::Missing(line) => {
            say.push(format!("journal: {line}"));
            return (None, line.clone(), false);
        }
        JournalIn::File(path) => (
            path.display().to_string(),
            journal::read_journal_file(path, &opts),
        ),
        JournalIn::Bytes(name, bytes) => (name.clone(), journal::read_journal(name, bytes, &opts)),
    };
    match result {
        Ok(j) => {
            for w in &j.warnings {
                say.push(format!("warning: {w}"));
            }
            for p in &j.problems {
                say.push(format!("warning: {p}"));
            }
            let values = if j.values_left_out > 0 {
                format!(", {} HRV values left out", j.values_left_out)
            } else {
                String::new()
            };
            let line = format!(
                "{name} ({} days used, {} rows left out{values})",
                j.entries.len(),
                j.rows_left_out
            );
            say.push(format!("journal: {line}"));
            let problems = j.rows_left_out > 0 || j.values_left_out > 0;
            (Some(j), line, problems)
        }
        Err(e) => {
            say.push(format!("warning: {e}; continuing without the journal"));
            (None, format!("{name} could not be used ({e})"), true)
        }
    }
}
