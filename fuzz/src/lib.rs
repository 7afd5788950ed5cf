//! The fuzz harnesses' checks, one per reader: bytes in, `Err(why)` for anything the
//! reader must never do. The AFL++ binaries (`src/bin/`) turn an `Err` into a crash; the
//! root test suite includes `checks.rs` itself (`tests/it/fuzz_regressions.rs`) and replays
//! the seeds and every crash found, so CI checks the same things without AFL.

pub mod checks;
pub mod seeds;
