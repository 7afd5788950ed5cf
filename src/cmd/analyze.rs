//! `recovery analyze PATH…` (and `audit`): one athlete's report folder.

use anyhow::Result;

use recovery::cli::AnalyzeArgs;
use recovery::config;
use recovery::pipeline::Inputs;
use recovery::report::folder::write_reports;
use recovery::report::{summary, write};

use super::{chart_style, code_for, overrides, records_for_charts, say, say_band, settings};

/// `full`: the whole folder (`analyze`); else only `audit.csv` (`audit`).
pub fn run(args: AnalyzeArgs, full: bool) -> Result<u8> {
    let style = chart_style(&args.size)?;
    // Settings errors and an unwritable --out are reported before any work.
    let mut flags = overrides(&args.input.read, Some(&args.judge));
    if full {
        flags.keep_records = records_for_charts();
    }
    let mut s = settings(&flags)?;
    if let Some(v) = &args.session_charts {
        s.session_charts = config::parse_session_charts("--session-charts", v)?;
    }
    write::prepare(&args.out)?;
    let inputs = Inputs::new(args.input.paths, args.journal);
    let outcome = super::run(&inputs, &s)?;
    say_band(&s, &outcome);
    if let Some(note) = outcome.band_fit_note() {
        eprintln!("note: {note}");
    }
    print!("{}", summary::terminal(&outcome, 3));
    let problems = outcome.inputs.problems;
    if !full {
        write::write_audit(&args.out, &outcome)?;
        println!("wrote {}", args.out.join("audit.csv").display());
        return Ok(code_for(problems));
    }
    let written = write_reports(&outcome, &s, &inputs, &args.out, &style)?;
    say("", &written.say);
    if let Some(first) = written.what_next.first() {
        println!("what next: {first}");
    }
    println!("{}", write::written_line(&args.out, &written.files));
    Ok(code_for(problems))
}
