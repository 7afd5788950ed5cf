//! The `recovery` binary: parse flags, build the settings, run one command, print the
//! error chain once, exit with a code the README documents.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use recovery::cli::{
    AnalyzeArgs, Cli, ClockArgs, ColorArgs, ColorWhen, Command, CompletionsArgs, Format, InputArgs,
    InspectArgs, JudgeArgs, PlanArgs, SessionsArgs, TeamArgs, TodayArgs, TodayFormat,
};
use recovery::config::{self, Overrides, Settings};
use recovery::report::tables::sessions::{sessions_table, SESSIONS_VIEW};
use recovery::report::{charts, summary, write};
use recovery::report::{colour, terminal};
use recovery::{inspect, rules, run};

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

/// One malloc arena for all threads (glibc only). With an arena per thread, glibc kept
/// 320–480 MB of freed file buffers while two threads read the bench's 10,000-member zip,
/// against 90–110 MB with one, which was as fast or faster here (BENCHMARKS.md, allocator).
fn one_malloc_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

fn main() -> ExitCode {
    one_malloc_arena();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => analyze_cmd(args, true),
        Command::Audit(args) => analyze_cmd(args, false),
        Command::Today(args) => today_cmd(args),
        Command::Plan(args) => plan_cmd(args),
        Command::Sessions(args) => sessions(args),
        Command::Inspect(args) => inspect_file(args),
        Command::Team(args) => team_cmd(args),
        Command::Completions(args) => completions(args),
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
        tz: input.read.tz.clone(),
        keep_duplicates: input.read.keep_duplicates,
    })?;
    for w in &s.warnings {
        eprintln!("warning: {w}");
    }
    Ok(s)
}

fn code_for(problems: bool) -> u8 {
    if problems {
        EXIT_SKIPPED
    } else {
        EXIT_OK
    }
}

/// Colour on stdout? `--color always|never`, else anstream's rules for `auto`: off under
/// `NO_COLOR` (or `CLICOLOR=0`, `TERM=dumb`), on under `CLICOLOR_FORCE`, else on a terminal.
fn colour_on(args: &ColorArgs) -> bool {
    match args.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    }
}

/// The width the table format fits: `COLUMNS` when set to a number, else the terminal's
/// when stdout is one (80 if it will not say), else none (piped: every column).
fn table_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok();
    if let Some(n) = columns.and_then(|c| c.trim().parse::<usize>().ok()) {
        return (n > 0).then_some(n);
    }
    let term = console::Term::stdout();
    term.is_term().then(|| {
        term.size_checked()
            .map_or(80, |(_, cols)| usize::from(cols))
    })
}

fn completions(args: CompletionsArgs) -> Result<u8> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    // Into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "recovery", &mut script);
    std::io::stdout().write_all(&script)?;
    Ok(EXIT_OK)
}

fn sessions(args: SessionsArgs) -> Result<u8> {
    if args.columns.is_some() && args.format != Format::Table {
        return Err(UsageError(
            "--columns picks the columns of the table format; CSV and JSON always carry every column".into(),
        )
        .into());
    }
    let s = settings(&args.input, &args.judge)?;
    if let Some(picked) = &args.columns {
        // Checked before any file is read: the columns are the same whatever the rows.
        let empty = sessions_table(&[], &[], s.band);
        let names: Vec<&str> = empty.columns.iter().map(|(n, _)| n.as_str()).collect();
        terminal::check_columns(&names, picked)
            .map_err(|e| UsageError(format!("--columns: {e}")))?;
    }
    let report = run::read_inputs(&args.input, &s, "")?;
    let problems = report.has_problems();
    let outcome = recovery::pipeline::run(report.sessions, None, None, &s);
    if let Some(e) = outcome.band_error {
        return Err(config::ConfigError::BandAuto(e).into());
    }
    say_band(&s, &outcome);
    let table = sessions_table(&outcome.classified, &outcome.undated, outcome.band);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            let layout = terminal::Layout {
                width: table_width(),
                wide: args.wide,
                columns: args.columns,
                colour: colour_on(&args.color),
            };
            let text = terminal::render(&table.to_frame()?, &SESSIONS_VIEW, &layout)
                .map_err(|e| UsageError(format!("--columns: {e}")))?;
            out.write_all(text.as_bytes())?
        }
        Format::Csv => table.write_csv(&mut out)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &table.to_json()?)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(code_for(problems))
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

fn analyze_cmd(args: AnalyzeArgs, full: bool) -> Result<u8> {
    let (width, height) = parse_size(&args.size)?;
    // Settings errors and an unwritable --out are reported before any work.
    let mut settings = settings(&args.input, &args.judge)?;
    if let Some(v) = &args.session_charts {
        settings.session_charts = config::parse_session_charts("--session-charts", v)?;
    }
    recovery::report::write::prepare(&args.out)?;
    let run = run::run_stages(settings, &args.input, args.journal.as_ref(), "")?;
    let outcome = &run.outcome;
    say_band(&run.settings, outcome);
    if let Some(note) = outcome.band_fit_note() {
        eprintln!("note: {note}");
    }
    print!("{}", summary::terminal(outcome, 3));
    if !full {
        write::write_audit(&args.out, outcome)?;
        println!("wrote {}", args.out.join("audit.csv").display());
        return Ok(code_for(run.problems));
    }
    let style = charts::ChartStyle { width, height };
    let written = run::write_reports(&run, &args.input, &args.out, &style, "")?;
    if let Some(first) = written.what_next.first() {
        println!("what next: {first}");
    }
    println!("{}", write::written_line(&args.out, &written.files));
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
    let run = run::run_stages(
        settings(&args.input, &args.judge)?,
        &args.input,
        args.journal.as_ref(),
        "",
    )?;
    let (s, outcome) = (&run.settings, &run.outcome);
    say_band(s, outcome);
    let date = match date {
        Some(d) => d,
        None => this_morning(&args.clock, s)?,
    };
    let mut answer = rules::today(&outcome.ctx(s), date);
    answer.missing.extend(outcome.profile_notes());
    for w in &answer.warnings {
        eprintln!("warning: {w}");
    }
    match args.format {
        TodayFormat::Text => {
            for line in colour::today_lines(&answer, outcome.band, colour_on(&args.color)) {
                println!("{line}");
            }
        }
        TodayFormat::Json => println!("{}", serde_json::to_string_pretty(&answer)?),
    }
    Ok(code_for(run.problems))
}

fn plan_cmd(args: PlanArgs) -> Result<u8> {
    let run = run::run_stages(
        settings(&args.input, &args.judge)?,
        &args.input,
        args.journal.as_ref(),
        "",
    )?;
    let (s, outcome) = (&run.settings, &run.outcome);
    say_band(s, outcome);
    let from = match args.from {
        Some(d) => d,
        None => this_morning(&args.clock, s)?,
    };
    let mut plan = rules::plan::plan(&outcome.ctx(s), from, args.days, Some(&outcome.curve()));
    plan.missing.extend(outcome.profile_notes());
    for w in &plan.warnings {
        eprintln!("warning: {w}");
    }
    match args.format {
        TodayFormat::Text => {
            for line in colour::plan_lines(&plan, colour_on(&args.color)) {
                println!("{line}");
            }
        }
        TodayFormat::Json => println!("{}", serde_json::to_string_pretty(&plan)?),
    }
    Ok(code_for(run.problems))
}

/// With `--band auto`, the band chosen, once on stderr.
fn say_band(s: &Settings, o: &recovery::pipeline::Outcome) {
    if s.band_auto {
        eprintln!("band: {} ({})", o.band, o.band_source);
    }
}

/// The athlete's local date now: `--now` when given, else the clock, in the configured
/// or `--tz` zone (else this machine's).
fn this_morning(clock: &ClockArgs, s: &Settings) -> Result<chrono::NaiveDate> {
    Ok(match clock.now.as_deref() {
        Some(t) => config::parse_now(t, s.tz)?,
        None => config::local_date(chrono::Utc::now(), s.tz),
    })
}

fn team_cmd(args: TeamArgs) -> Result<u8> {
    let (width, height) = parse_size(&args.size)?;
    recovery::report::write::prepare(&args.out)?;
    let opts = recovery::team::TeamOptions {
        out: args.out.clone(),
        config: args.config,
        overrides: Overrides {
            band: args.band,
            tz: args.read.tz.clone(),
            keep_duplicates: args.read.keep_duplicates,
            ..Overrides::default()
        },
        input: InputArgs {
            paths: Vec::new(),
            // Athletes are read in parallel: no progress bar, whatever --quiet says.
            read: recovery::cli::ReadArgs {
                quiet: true,
                ..args.read
            },
        },
        style: charts::ChartStyle { width, height },
    };
    let team = recovery::team::run_team(&args.dir, &opts)?;
    let ok = team.rows.iter().filter(|r| r.is_ok()).count();
    println!(
        "{ok} of {} athletes analysed; wrote {} to {}",
        team.rows.len(),
        team.files.join(", "),
        args.out.display()
    );
    Ok(code_for(team.rows.iter().any(|r| r.problems)))
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
