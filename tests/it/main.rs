//! The integration tests: one test binary (`cargo test` builds and links it once, instead
//! of once per file, each linking polars), one module per area. Each module runs the real
//! `recovery` binary, or the library, on the sample data, on files the tests write, or on
//! the real FIT corpus beside the repository (`common::corpus`).
//!
//! Run one area with `cargo test --test it -- corpus::` (a module path filter).

mod common;

mod analyze;
mod apple;
mod audit_outputs;
mod big_exports;
mod cli;
mod corpus;
mod day_class;
mod decoder_equality;
mod duplicates;
mod export;
mod fuzz_regressions;
mod gpx_tcx;
mod hostile;
mod hr_semantics;
mod inputs;
mod local_dates;
mod long_history;
mod mornings;
mod one_read;
mod plan;
mod profile;
mod readiness;
mod rules;
mod stderr;
mod system_time;
mod team;
mod terminal;
mod today;
