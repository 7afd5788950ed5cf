//! `recovery plan PATH…`: the days ahead from the rule book, from this morning.

use anyhow::Result;

use recovery::cli::PlanArgs;
use recovery::pipeline::Inputs;
use recovery::report::colour;

use super::{code_for, colour_on, overrides, print_answer, say_band, settings, this_morning};

pub fn run(args: PlanArgs) -> Result<u8> {
    let mut s = settings(&overrides(&args.input.read, Some(&args.judge)))?;
    s.answer_date = Some(match args.from {
        Some(d) => d,
        None => this_morning(&args.clock, &s)?,
    });
    s.plan_days = args.days;
    let outcome = super::run(&Inputs::new(args.input.paths, args.journal), &s)?;
    say_band(&s, &outcome);
    let mut plan = outcome.plan.clone().expect("an answer date was set");
    plan.missing.extend(outcome.profile_notes());
    let colour = colour_on(&args.color);
    print_answer(
        &plan.warnings,
        args.format,
        || colour::plan_lines(&plan, colour),
        &plan,
    )?;
    Ok(code_for(outcome.inputs.problems))
}
