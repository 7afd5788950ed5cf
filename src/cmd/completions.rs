//! `recovery completions SHELL`: the shell completion script on stdout.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use recovery::cli::{Cli, CompletionsArgs};

use super::EXIT_OK;

pub fn run(args: CompletionsArgs) -> Result<u8> {
    let mut cmd = Cli::command();
    // Into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "recovery", &mut script);
    std::io::stdout().write_all(&script)?;
    Ok(EXIT_OK)
}
