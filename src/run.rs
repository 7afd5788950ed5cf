//! One athlete's run, shared by the commands: read the inputs and the journal, analyse, and
//! (for `analyze` and `team`) write the report folder. Messages go to stderr, each prefixed
//! with the run's label (empty for a single athlete, `name: ` in a team).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::InputArgs;
use crate::config::{self, Settings};
use crate::ingest::{self, IngestReport};
use crate::journal::{self, Journal, JournalOptions};
use crate::pipeline::{self, Outcome};
use crate::report::charts::ChartStyle;
use crate::report::{figures, write};
use crate::rules;

/// The ingest options of the input flags: the same for the first read and for the charts'
/// second look at the flagged sessions.
pub fn ingest_opts(
    input: &InputArgs,
    s: &Settings,
    progress: bool,
) -> Result<ingest::IngestOptions> {
    let mut opts = config::ingest_options(None, input.read.max_file_mb, progress)?;
    opts.tz = s.tz;
    opts.keep_duplicates = s.keep_duplicates;
    opts.decoder = config::parse_decoder(
        input.read.decoder.as_deref(),
        std::env::var("RECOVERY_DECODER").ok().as_deref(),
    )?;
    Ok(opts)
}

/// Reads every input; fails when nothing at all was found.
pub fn read_inputs(input: &InputArgs, s: &Settings, label: &str) -> Result<IngestReport> {
    let opts = ingest_opts(input, s, !input.read.quiet)?;
    let report = ingest::ingest(&input.paths, &opts);
    let mut err = std::io::stderr().lock();
    for line in report.problem_lines() {
        let _ = writeln!(err, "{label}warning: {line}");
    }
    let _ = writeln!(err, "{label}{}", report.summary_line());
    if report
        .files
        .iter()
        .all(|f| f.verdict == ingest::Verdict::NotFit)
        && report.sessions.is_empty()
    {
        anyhow::bail!(
            "no FIT files found under {}; give the folder, zip or files your watch exported",
            paths_text(&input.paths)
        );
    }
    Ok(report)
}

/// The paths, comma-separated, for messages.
pub fn paths_text(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The journal to use: `--journal`, else `journal.csv` in the first folder given.
pub fn journal_path(journal: Option<&PathBuf>, input: &InputArgs) -> Option<PathBuf> {
    if let Some(j) = journal {
        return Some(j.clone());
    }
    input
        .paths
        .iter()
        .find(|p| p.is_dir())
        .map(|d| d.join("journal.csv"))
        .filter(|p| p.is_file())
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

/// Reads the journal; problems are printed and make the run "finished with skips".
pub fn read_journal(
    source: &JournalIn,
    require_sleep: bool,
    label: &str,
) -> (Option<Journal>, String, bool) {
    let opts = JournalOptions { require_sleep };
    let (name, result) = match source {
        JournalIn::None => {
            let line = "none (give --journal FILE to relate soreness and sleep)";
            eprintln!("{label}journal: {line}");
            return (None, line.into(), false);
        }
        JournalIn::Missing(line) => {
            eprintln!("{label}journal: {line}");
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
                eprintln!("{label}warning: {w}");
            }
            for p in &j.problems {
                eprintln!("{label}warning: {p}");
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
            eprintln!("{label}journal: {line}");
            let problems = j.rows_left_out > 0 || j.values_left_out > 0;
            (Some(j), line, problems)
        }
        Err(e) => {
            eprintln!("{label}warning: {e}; continuing without the journal");
            (None, format!("{name} could not be used ({e})"), true)
        }
    }
}

/// Everything up to the analysis, shared by `analyze`, `audit`, `today` and `team`.
pub struct Run {
    pub settings: Settings,
    pub report: IngestReport,
    pub journal: Option<Journal>,
    pub journal_line: String,
    pub ingest_line: String,
    /// Some input was skipped or damaged, or journal rows were left out (exit code 3).
    pub problems: bool,
    pub outcome: Outcome,
}

/// Reads the inputs and the journal (`--journal`, else `journal.csv` in the first folder)
/// and runs the stages after ingest.
pub fn run_stages(
    settings: Settings,
    input: &InputArgs,
    journal: Option<&PathBuf>,
    label: &str,
) -> Result<Run> {
    let source = journal_path(journal, input).map_or(JournalIn::None, JournalIn::File);
    run_with_journal(settings, input, &source, label)
}

/// [`run_stages`] with the journal given.
pub fn run_with_journal(
    settings: Settings,
    input: &InputArgs,
    journal: &JournalIn,
    label: &str,
) -> Result<Run> {
    let mut report = read_inputs(input, &settings, label)?;
    // With the watch's sleep, a journal of soreness alone is enough.
    let require_sleep = report.wellness.nights.is_empty();
    let (journal, journal_line, journal_problems) = read_journal(journal, require_sleep, label);
    let problems = report.has_problems() || journal_problems;
    let ingest_line = report.summary_line();
    let sessions = std::mem::take(&mut report.sessions);
    let outcome = pipeline::run(
        sessions,
        journal.as_ref(),
        Some(&report.wellness),
        &settings,
    );
    if let Some(e) = &outcome.band_error {
        return Err(config::ConfigError::BandAuto(e.clone()).into());
    }
    Ok(Run {
        settings,
        report,
        journal,
        journal_line,
        ingest_line,
        problems,
        outcome,
    })
}

/// What [`write_reports`] wrote.
pub struct Written {
    /// Files written (names relative to the output folder) with their descriptions.
    pub files: Vec<(String, String)>,
    /// `today`'s advice for the day after the data, in lines.
    pub what_next: Vec<String>,
}

/// Writes everything `analyze` writes for one run into `out`: tables (CSV and Parquet),
/// charts, `summary.md` and `index.html`.
pub fn write_reports(
    run: &Run,
    input: &InputArgs,
    out: &Path,
    style: &ChartStyle,
    label: &str,
) -> Result<Written> {
    let (s, outcome) = (&run.settings, &run.outcome);
    // Today's answer, then the week ahead from the same rules (the plan's day one is
    // today's answer, so it is not repeated).
    let what_next = rules::default_date(&outcome.days)
        .map(|date| {
            let mut lines = rules::lines(&rules::today(&outcome.ctx(s), date), outcome.band);
            let plan = rules::plan::plan(&outcome.ctx(s), date, 7, Some(&outcome.curve()));
            let day_one = format!(" {date}  ");
            lines.extend(
                rules::plan::lines(&plan)
                    .into_iter()
                    .filter(|l| !l.starts_with("missing:") && !l.starts_with("warning:"))
                    .filter(|l| !l.contains(&day_one)),
            );
            lines
        })
        .unwrap_or_default();
    let source = paths_text(&input.paths);
    let pick = figures::pick_sessions(outcome, s.session_charts);
    let series = ingest::series_for(
        &input.paths,
        &pick.chosen,
        &ingest_opts(input, s, false)?,
        &run.report.packed,
    );
    let charts = figures::draw_all(out, outcome, s, &source, &pick, &series, style);
    let mut source_lines = crate::days::describe_sources(
        &outcome.days,
        run.journal.as_ref(),
        &run.report.wellness,
        run.report.activities_matched,
    );
    for l in &source_lines {
        eprintln!("{label}data: {l}");
    }
    // Said on stderr already, once, with the other warnings.
    source_lines.extend(run.report.local_dates.summary_line());
    let facts = write::ReportFacts {
        source,
        ingest_line: run.ingest_line.clone(),
        journal_line: run.journal_line.clone(),
        what_next: what_next.clone(),
        source_lines,
    };
    let files = write::write_all(out, outcome, s, &facts, charts)?;
    Ok(Written { files, what_next })
}
