//! The `recovery` binary: parse flags, hand the subcommand to its file in `cmd/`, print
//! the error chain once, exit with a code the README documents.

use std::process::ExitCode;

use clap::Parser;

use recovery::cli::{Cli, Command};

mod cmd;

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
        Command::Analyze(args) => cmd::analyze::run(args, true),
        Command::Audit(args) => cmd::analyze::run(args, false),
        Command::Today(args) => cmd::today::run(args),
        Command::Plan(args) => cmd::plan::run(args),
        Command::Sessions(args) => cmd::sessions::run(args),
        Command::Inspect(args) => cmd::inspect::run(args),
        Command::Team(args) => cmd::team::run(args),
        Command::Completions(args) => cmd::completions::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(cmd::code_for_error(&e))
        }
    }
}
