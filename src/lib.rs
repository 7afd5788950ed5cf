//! recovery: sports-watch FIT exports and a soreness/sleep journal to an honest answer to
//! "am I training and recovering well?".
//!
//! The pipeline runs one way, one module per stage: [`ingest`] (files → sessions),
//! [`zones`] and classification, the journal and the daily table, analysis, reports.
//! The binary (`src/main.rs`) only parses flags and wires the stages.

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
