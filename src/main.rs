//! The `recovery` binary: parse flags, build the settings, run one command, print the
//! error chain once, exit with a code the README documents.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use recovery::cli::{Cli, Command, Format, InspectArgs, SessionsArgs};
use recovery::ingest::{self, IngestReport};
use recovery::report::sessions::sessions_table;
use recovery::zones::Band;
use recovery::{config, inspect};

/// All inputs read.
const EXIT_OK: u8 = 0;
/// A fatal error: nothing useful could be done.
const EXIT_FATAL: u8 = 1;
/// Finished, but some inputs were skipped or only partly read.
const EXIT_SKIPPED: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sessions(args) => sessions(args),
        Command::Inspect(args) => inspect_file(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

/// Prints one line per input problem and the summary line to stderr; returns the exit code.
fn report_ingest(report: &IngestReport) -> u8 {
    let mut err = std::io::stderr().lock();
    for line in report.problem_lines() {
        let _ = writeln!(err, "warning: {line}");
    }
    let _ = writeln!(err, "{}", report.summary_line());
    if report.has_problems() {
        EXIT_SKIPPED
    } else {
        EXIT_OK
    }
}

fn sessions(args: SessionsArgs) -> Result<u8> {
    let i = &args.input;
    let opts = config::ingest_options(i.tz.as_deref(), i.max_file_mb, !i.quiet)?;
    let report = ingest::ingest(&i.paths, &opts);
    let table = sessions_table(&report.sessions, Band::default());
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
    let code = report_ingest(&report);
    if report.files.is_empty() && report.sessions.is_empty() {
        anyhow::bail!(
            "no FIT files found under {}; give the folder, zip or files your watch exported",
            i.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(code)
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
