//! recovery: sports-watch FIT exports and a soreness/sleep journal to an honest answer to
//! "am I training and recovering well?".
//!
//! The pipeline runs one way, one module per stage: [`ingest`] (files → sessions),
//! [`zones`] and classification, the journal and the daily table, the rules, analysis,
//! reports; [`pipeline`] wires them for one athlete into one `Outcome`. The library takes one
//! [`config::Settings`], never reads the environment and never prints: it hands its lines
//! for the user back. The binary (`src/main.rs`, `src/cmd/`) parses flags with the
//! definitions in [`cli`] (kept here so the tests can check every command's help), builds the
//! settings, prints and picks the exit code.

pub mod analysis;
pub mod classify;
pub mod cli;
pub mod config;
pub mod days;
pub mod ingest;
pub mod inspect;
pub mod journal;
pub mod load;
pub mod pipeline;
pub mod readiness;
pub mod report;
pub mod rules;
pub mod session;
pub mod stats;
pub mod team;
pub mod zones;
