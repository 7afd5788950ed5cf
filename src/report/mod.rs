//! Outputs: tables (CSV, terminal, JSON) and, later, charts and summaries.

pub mod sessions;
pub mod table;
