//! The `recovery` binary: parse flags, build the settings, run one command, print the
//! error chain once, exit with a code the README documents.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use recovery::cli::{
    AnalyzeArgs, Cli, Command, Format, InputArgs, InspectArgs, JudgeArgs, PlanArgs, SessionsArgs,
    TodayArgs, TodayFormat,
};
use recovery::config::{self, Overrides, Settings};
use recovery::ingest::{self, IngestReport};
use recovery::journal::{self, Journal, JournalOptions};
use recovery::pipeline::{self, Outcome};
use recovery::report::sessions::sessions_table;
use recovery::report::{charts, figures, summary, write};
use recovery::{inspect, rules};

/// All inputs read.
const EXIT_OK: u8 = 0;
/// A fatal error: nothing useful could be done.
const EXIT_FATAL: u8 = 1;
/// A usage error: a flag or setting with a value we cannot use (clap's own errors exit 2
/// too).
const EXIT_USAGE: u8 = 2;
/// Finished, but some inputs were skipped or only partly read.
const EXIT_SKIPPED: u8 = 3;

/// A flag value we cannot use, found after clap (`--date`, `--size`).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

/// Exit code for a fatal error: 2 when the user asked for something we cannot do.
fn code_for_error(e: &anyhow::Error) -> u8 {
    if e.downcast_ref::<config::ConfigError>().is_some() || e.downcast_ref::<UsageError>().is_some()
    {
        EXIT_USAGE
    } else {
        EXIT_FATAL
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => analyze_cmd(args, true),
        Command::Audit(args) => analyze_cmd(args, false),
        Command::Today(args) => today_cmd(args),
        Command::Plan(args) => plan_cmd(args),
        Command::Sessions(args) => sessions(args),
        Command::Inspect(args) => inspect_file(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(code_for_error(&e))
        }
    }
}

fn settings(input: &InputArgs, judge: &JudgeArgs) -> Result<Settings> {
    let s = config::settings(&Overrides {
        config: judge.config.clone(),
        band: judge.band.clone(),
        hr_max: judge.hr_max,
        hr_rest: judge.hr_rest,
        sex: judge.sex.clone(),
        tz: input.tz.clone(),
        keep_duplicates: input.keep_duplicates,
    })?;
    for w in &s.warnings {
        eprintln!("warning: {w}");
    }
    Ok(s)
}

/// Reads every input; fails when nothing at all was found.
/// The ingest options of the input flags: the same for the first read and for the charts'
/// second look at the flagged sessions.
fn ingest_opts(input: &InputArgs, s: &Settings, progress: bool) -> Result<ingest::IngestOptions> {
    let mut opts = config::ingest_options(None, input.max_file_mb, progress)?;
    opts.tz = s.tz;
    opts.keep_duplicates = s.keep_duplicates;
    opts.decoder = config::parse_decoder(
        input.decoder.as_deref(),
        std::env::var("RECOVERY_DECODER").ok().as_deref(),
    )?;
    Ok(opts)
}

fn read_inputs(input: &InputArgs, s: &Settings) -> Result<IngestReport> {
    let opts = ingest_opts(input, s, !input.quiet)?;
    let report = ingest::ingest(&input.paths, &opts);
    let mut err = std::io::stderr().lock();
    for line in report.problem_lines() {
        let _ = writeln!(err, "warning: {line}");
    }
    let _ = writeln!(err, "{}", report.summary_line());
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

fn paths_text(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn code_for(problems: bool) -> u8 {
    if problems {
        EXIT_SKIPPED
    } else {
        EXIT_OK
    }
}

fn sessions(args: SessionsArgs) -> Result<u8> {
    let s = settings(&args.input, &args.judge)?;
    let report = read_inputs(&args.input, &s)?;
    let problems = report.has_problems();
    let outcome = pipeline::run(report.sessions, None, None, &s);
    let table = sessions_table(&outcome.classified, &outcome.undated, s.band);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Table => out.write_all(table.to_text().as_bytes())?,
        Format::Csv => table.write_csv(&mut out)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &table.to_json())?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(code_for(problems))
}

/// The journal to use: `--journal`, else `journal.csv` in the first folder given.
fn journal_path(journal: Option<&PathBuf>, input: &InputArgs) -> Option<PathBuf> {
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

/// Reads the journal; problems are printed and make the run "finished with skips".
fn read_journal(path: Option<&Path>, require_sleep: bool) -> (Option<Journal>, String, bool) {
    let Some(path) = path else {
        let line = "none (give --journal FILE to relate soreness and sleep)";
        eprintln!("journal: {line}");
        return (None, line.into(), false);
    };
    match journal::read_journal_file(path, &JournalOptions { require_sleep }) {
        Ok(j) => {
            for w in &j.warnings {
                eprintln!("warning: {w}");
            }
            for p in &j.problems {
                eprintln!("warning: {p}");
            }
            let line = format!(
                "{} ({} days used, {} rows left out)",
                path.display(),
                j.entries.len(),
                j.rows_left_out
            );
            eprintln!("journal: {line}");
            let problems = j.rows_left_out > 0;
            (Some(j), line, problems)
        }
        Err(e) => {
            eprintln!("warning: {e}; continuing without the journal");
            (
                None,
                format!("{} could not be used ({e})", path.display()),
                true,
            )
        }
    }
}

fn parse_size(text: &str) -> Result<(u32, u32)> {
    let bad = || {
        UsageError(format!(
            "--size {text:?}: expected WIDTHxHEIGHT, e.g. 1600x900"
        ))
    };
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u32, u32) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    if !(320..=4096).contains(&w) || !(180..=4096).contains(&h) {
        return Err(UsageError(format!(
            "--size {text:?}: width 320–4096 and height 180–4096 pixels"
        ))
        .into());
    }
    Ok((w, h))
}

/// Everything up to the analysis, shared by `analyze`, `audit` and `today`.
struct Run {
    settings: Settings,
    report: IngestReport,
    journal: Option<Journal>,
    journal_line: String,
    ingest_line: String,
    /// Some input was skipped or damaged, or journal rows were left out (exit code 3).
    problems: bool,
    outcome: Outcome,
}

fn run_stages(settings: Settings, input: &InputArgs, journal: Option<&PathBuf>) -> Result<Run> {
    let mut report = read_inputs(input, &settings)?;
    let jpath = journal_path(journal, input);
    // With the watch's sleep, a journal of soreness alone is enough.
    let require_sleep = report.wellness.nights.is_empty();
    let (journal, journal_line, journal_problems) = read_journal(jpath.as_deref(), require_sleep);
    let problems = report.has_problems() || journal_problems;
    let ingest_line = report.summary_line();
    let sessions = std::mem::take(&mut report.sessions);
    let outcome = pipeline::run(
        sessions,
        journal.as_ref(),
        Some(&report.wellness),
        &settings,
    );
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

fn analyze_cmd(args: AnalyzeArgs, full: bool) -> Result<u8> {
    let (width, height) = parse_size(&args.size)?;
    // Settings errors and an unwritable --out are reported before any work.
    let mut settings = settings(&args.input, &args.judge)?;
    if let Some(v) = &args.session_charts {
        settings.session_charts = config::parse_session_charts("--session-charts", v)?;
    }
    recovery::report::output::prepare(&args.out)?;
    let run = run_stages(settings, &args.input, args.journal.as_ref())?;
    let (s, outcome) = (&run.settings, &run.outcome);
    print!("{}", summary::terminal(outcome, 3));
    if !full {
        write::write_audit(&args.out, outcome)?;
        println!("wrote {}", args.out.join("audit.csv").display());
        return Ok(code_for(run.problems));
    }
    // Today's answer, then the week ahead from the same rules (the plan's day one is
    // today's answer, so it is not repeated).
    let what_next = rules::default_date(&outcome.days)
        .map(|date| {
            let mut lines = rules::lines(&rules::today(&outcome.ctx(s), date), s.band);
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
    if let Some(first) = what_next.first() {
        println!("what next: {first}");
    }
    let source = paths_text(&args.input.paths);
    let pick = figures::pick_sessions(outcome, s.session_charts);
    let series = ingest::series_for(
        &args.input.paths,
        &pick.chosen,
        &ingest_opts(&args.input, s, false)?,
    );
    let style = charts::ChartStyle { width, height };
    let charts = figures::draw_all(&args.out, outcome, s, &source, &pick, &series, &style);
    let source_lines = recovery::days::describe_sources(
        &outcome.days,
        run.journal.as_ref(),
        &run.report.wellness,
        run.report.activities_matched,
    );
    for l in &source_lines {
        eprintln!("data: {l}");
    }
    let facts = write::RunFacts {
        source,
        ingest_line: run.ingest_line.clone(),
        journal_line: run.journal_line.clone(),
        what_next,
        source_lines,
    };
    let files = write::write_all(&args.out, outcome, s, &facts, charts)?;
    println!("{}", write::written_line(&args.out, &files));
    Ok(code_for(run.problems))
}

fn today_cmd(args: TodayArgs) -> Result<u8> {
    let date = args
        .date
        .as_deref()
        .map(|d| {
            d.parse::<chrono::NaiveDate>().map_err(|_| {
                UsageError(format!(
                    "--date {d:?}: expected YYYY-MM-DD, e.g. 2026-03-02"
                ))
            })
        })
        .transpose()?;
    let run = run_stages(
        settings(&args.input, &args.judge)?,
        &args.input,
        args.journal.as_ref(),
    )?;
    let (s, outcome) = (&run.settings, &run.outcome);
    let Some(date) = date.or_else(|| rules::default_date(&outcome.days)) else {
        anyhow::bail!("no days with data to answer from");
    };
    let mut answer = rules::today(&outcome.ctx(s), date);
    answer.missing.extend(outcome.hr_max_note());
    for w in &answer.warnings {
        eprintln!("warning: {w}");
    }
    match args.format {
        TodayFormat::Text => {
            for line in rules::lines(&answer, s.band) {
                println!("{line}");
            }
        }
        TodayFormat::Json => println!("{}", serde_json::to_string_pretty(&answer)?),
    }
    Ok(code_for(run.problems))
}

fn plan_cmd(args: PlanArgs) -> Result<u8> {
    let run = run_stages(
        settings(&args.input, &args.judge)?,
        &args.input,
        args.journal.as_ref(),
    )?;
    let (s, outcome) = (&run.settings, &run.outcome);
    let Some(from) = args.from.or_else(|| rules::default_date(&outcome.days)) else {
        anyhow::bail!("no days with data to plan from");
    };
    let mut plan = rules::plan::plan(&outcome.ctx(s), from, args.days, Some(&outcome.curve()));
    plan.missing.extend(outcome.hr_max_note());
    for w in &plan.warnings {
        eprintln!("warning: {w}");
    }
    match args.format {
        TodayFormat::Text => {
            for line in rules::plan::lines(&plan) {
                println!("{line}");
            }
        }
        TodayFormat::Json => println!("{}", serde_json::to_string_pretty(&plan)?),
    }
    Ok(code_for(run.problems))
}

fn inspect_file(args: InspectArgs) -> Result<u8> {
    let tz = config::parse_tz(args.tz.as_deref())?;
    let label = args.file.display().to_string();
    let bytes = read_maybe_gz(&args.file).with_context(|| format!("reading {label}"))?;
    print!("{}", inspect::inspect(&label, &bytes, tz));
    Ok(EXIT_OK)
}

fn read_maybe_gz(path: &Path) -> Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&raw[..]), &mut out)
            .context("the file starts like gzip but does not decompress")?;
        return Ok(out);
    }
    Ok(raw)
}
