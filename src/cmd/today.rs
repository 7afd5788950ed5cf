//! `recovery today PATH…`: this morning's answer — rest, recover, go easy or go hard.

use anyhow::Result;

use recovery::cli::TodayArgs;
use recovery::pipeline::Inputs;
use recovery::report::colour;

use super::{
    code_for, colour_on, overrides, print_answer, say_band, settings, this_morning, UsageError,
};

pub fn run(args: TodayArgs) -> Result<u8> {
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
    let mut s = settings(&overrides(&args.input.read, Some(&args.judge)))?;
    s.answer_date = Some(match date {
        Some(d) => d,
        None => this_morning(&args.clock, &s)?,
    });
    let outcome = super::run(&Inputs::new(args.input.paths, args.journal), &s)?;
    say_band(&s, &outcome);
    let mut answer = outcome.today.clone().expect("an answer date was set");
    answer.missing.extend(outcome.profile_notes());
    let colour = colour_on(&args.color);
    let text = || colour::today_lines(&answer, outcome.band, colour);
    print_answer(&answer.warnings, args.format, text, &answer)?;
    Ok(code_for(outcome.inputs.problems))
}
