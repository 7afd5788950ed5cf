//! `recovery sessions PATH…`: every session as a table on the terminal, CSV or JSON.

use std::io::Write;

use anyhow::Result;

use recovery::cli::{Format, SessionsArgs};
use recovery::config;
use recovery::pipeline::{self, Inputs};
use recovery::report::tables::sessions::{sessions_table, SESSIONS_VIEW};
use recovery::report::terminal;

use super::{code_for, colour_on, overrides, say, say_band, settings, UsageError};

pub fn run(args: SessionsArgs) -> Result<u8> {
    if args.columns.is_some() && args.format != Format::Table {
        return Err(UsageError(
            "--columns picks the columns of the table format; CSV and JSON always carry every column".into(),
        )
        .into());
    }
    let s = settings(&overrides(&args.input.read, Some(&args.judge)))?;
    if let Some(picked) = &args.columns {
        // Checked before any file is read: the columns are the same whatever the rows.
        let empty = sessions_table(&[], &[], s.band);
        let names: Vec<&str> = empty.columns.iter().map(|(n, _)| n.as_str()).collect();
        terminal::check_columns(&names, picked)
            .map_err(|e| UsageError(format!("--columns: {e}")))?;
    }
    // Sessions only: no journal is read.
    let inputs = Inputs::new(args.input.paths, None);
    let mut lines = Vec::new();
    let report = pipeline::read_inputs(&inputs, &s, &mut lines);
    say("", &lines);
    let report = report?;
    let problems = report.has_problems();
    let outcome = pipeline::analyse(report.sessions, None, None, &s);
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
