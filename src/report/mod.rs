//! Outputs: tables (CSV, Parquet, terminal, JSON), charts and the written summary.

pub mod chart_set;
pub mod charts;
pub mod colour;
pub mod doc;
pub mod figures;
pub mod folder;
pub mod summary;
pub mod tables;
pub mod terminal;
pub mod write;
