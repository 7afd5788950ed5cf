//! The edge: one file per subcommand. Only this folder (and `main.rs`) knows clap, reads
//! environment variables, prints, and picks the exit code; each command builds the
//! library's [`Settings`] once from its flags, the config file and the environment, and
//! prints the lines the library hands back.

use anyhow::Result;

use recovery::cli::{ClockArgs, ColorArgs, ColorWhen, JudgeArgs, ReadArgs, TodayFormat};
use recovery::config::{self, Overrides, Settings};
use recovery::ingest::KeepRecords;
use recovery::pipeline::Outcome;
use recovery::report::charts::{ChartStyle, PngEncoding};

pub mod analyze;
pub mod completions;
pub mod inspect;
pub mod plan;
pub mod sessions;
pub mod team;
pub mod today;

/// All inputs read.
pub const EXIT_OK: u8 = 0;
/// A fatal error: nothing useful could be done.
pub const EXIT_FATAL: u8 = 1;
/// A usage error: a flag or setting with a value we cannot use (clap's own errors exit 2
/// too).
pub const EXIT_USAGE: u8 = 2;
/// Finished, but some inputs were skipped or only partly read.
pub const EXIT_SKIPPED: u8 = 3;

/// A flag value we cannot use, found after clap (`--date`, `--size`).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Exit code for a fatal error: 2 when the user asked for something we cannot do.
pub fn code_for_error(e: &anyhow::Error) -> u8 {
    if e.downcast_ref::<config::ConfigError>().is_some() || e.downcast_ref::<UsageError>().is_some()
    {
        EXIT_USAGE
    } else {
        EXIT_FATAL
    }
}

pub fn code_for(problems: bool) -> u8 {
    if problems {
        EXIT_SKIPPED
    } else {
        EXIT_OK
    }
}

/// The flag layer of the settings: the shared reading flags, the judging flags, and the
/// one environment variable the library honours (`RECOVERY_DECODER`).
pub fn overrides(read: &ReadArgs, judge: Option<&JudgeArgs>) -> Overrides {
    let mut o = Overrides {
        tz: read.tz.clone(),
        keep_duplicates: read.keep_duplicates,
        max_file_mb: Some(read.max_file_mb),
        decoder: read.decoder.clone(),
        decoder_env: std::env::var("RECOVERY_DECODER").ok(),
        progress: !read.quiet,
        // No session charts unless the command asks for them.
        keep_records: KeepRecords::Drop,
        ..Overrides::default()
    };
    if let Some(j) = judge {
        o.config = j.config.clone();
        o.band = j.band.clone();
        o.hr_max = j.hr_max;
        o.hr_rest = j.hr_rest;
        o.sex = j.sex.clone();
    }
    o
}

/// Keeps the sessions' heart-rate records for the session charts in an anonymous file in
/// the system's temporary folder (`TMPDIR`), out of memory.
pub fn records_for_charts() -> KeepRecords {
    KeepRecords::Store(std::env::temp_dir())
}

/// The settings of a one-athlete command, its warnings said once.
pub fn settings(o: &Overrides) -> Result<Settings> {
    let s = config::settings(o)?;
    say(
        "",
        &s.warnings
            .iter()
            .map(|w| format!("warning: {w}"))
            .collect::<Vec<_>>(),
    );
    Ok(s)
}

/// Prints the library's lines for the user on stderr, each after `label` (`name: ` in a
/// team, empty for one athlete).
pub fn say(label: &str, lines: &[String]) {
    use std::io::Write;
    // One athlete's lines together, even while others finish.
    let mut err = std::io::stderr().lock();
    for line in lines {
        let _ = writeln!(err, "{label}{line}");
    }
}

/// Runs one athlete's pipeline, printing its lines (also when it fails).
pub fn run(inputs: &recovery::pipeline::Inputs, s: &Settings) -> Result<Outcome> {
    let mut lines = Vec::new();
    let outcome = recovery::pipeline::run(inputs, s, &mut lines);
    say("", &lines);
    outcome
}

/// Prints an answer (`today`'s or the plan's): its warnings on stderr, then the answer as
/// text lines or as JSON on stdout.
pub fn print_answer<T: serde::Serialize>(
    warnings: &[String],
    format: TodayFormat,
    text: impl FnOnce() -> Vec<String>,
    value: &T,
) -> Result<()> {
    for w in warnings {
        eprintln!("warning: {w}");
    }
    match format {
        TodayFormat::Text => {
            for line in text() {
                println!("{line}");
            }
        }
        TodayFormat::Json => println!("{}", serde_json::to_string_pretty(value)?),
    }
    Ok(())
}

/// With `--band auto`, the band chosen, once on stderr.
pub fn say_band(s: &Settings, o: &Outcome) {
    if s.band_auto {
        eprintln!("band: {} ({})", o.band, o.band_source);
    }
}

/// Colour on stdout? `--color always|never`, else anstream's rules for `auto`: off under
/// `NO_COLOR` (or `CLICOLOR=0`, `TERM=dumb`), on under `CLICOLOR_FORCE`, else on a terminal.
pub fn colour_on(args: &ColorArgs) -> bool {
    match args.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    }
}

/// The athlete's local date now: `--now` when given, else the clock, in the configured
/// or `--tz` zone (else this machine's).
pub fn this_morning(clock: &ClockArgs, s: &Settings) -> Result<chrono::NaiveDate> {
    Ok(match clock.now.as_deref() {
        Some(t) => config::parse_now(t, s.tz)?,
        None => config::local_date(chrono::Utc::now(), s.tz),
    })
}

/// The charts' style: `--size`, and the two switches kept for measuring,
/// `RECOVERY_PNG=default|best|image` (the PNG encoder) and `RECOVERY_CHART_THREADS=N`
/// (charts drawn at once).
pub fn chart_style(size: &str) -> Result<ChartStyle> {
    let (width, height) = parse_size(size)?;
    Ok(ChartStyle {
        width,
        height,
        png: PngEncoding::from_name(&std::env::var("RECOVERY_PNG").unwrap_or_default()),
        threads: std::env::var("RECOVERY_CHART_THREADS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .max(1),
    })
}

/// `--size WIDTHxHEIGHT`, in the range the charts can be drawn at.
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
