//! `recovery team DIR`: every athlete's report folder, then the view across them.

use anyhow::Result;

use recovery::cli::{ReadArgs, TeamArgs};
use recovery::report::write;
use recovery::team::{run_team, TeamOptions};

use super::{chart_style, code_for, overrides, say};

pub fn run(args: TeamArgs) -> Result<u8> {
    let style = chart_style(&args.size)?;
    write::prepare(&args.out)?;
    // Athletes are read in parallel: no progress bar, whatever --quiet says.
    let read = ReadArgs {
        quiet: true,
        ..args.read
    };
    let mut flags = overrides(&read, None);
    flags.keep_records = super::records_for_charts();
    flags.band = args.band;
    let opts = TeamOptions {
        out: args.out.clone(),
        config: args.config,
        overrides: flags,
        style,
    };
    let team = run_team(&args.dir, &opts, &|name, lines| {
        say(&format!("{name}: "), lines)
    })?;
    say("", &team.say);
    let ok = team.rows.iter().filter(|r| r.is_ok()).count();
    println!(
        "{ok} of {} athletes analysed; wrote {} to {}",
        team.rows.len(),
        team.files.join(", "),
        args.out.display()
    );
    Ok(code_for(team.rows.iter().any(|r| r.problems)))
}
