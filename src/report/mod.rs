//! Outputs: tables (CSV, terminal, JSON), charts and the written summary.

pub mod charts;
pub mod colour;
pub mod doc;
pub mod figures;
pub mod findings;
pub mod folder;
pub mod output;
pub mod sessions;
pub mod summary;
pub mod table;
pub mod tables;
pub mod terminal;
pub mod write;
