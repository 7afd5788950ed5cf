//! What the summary is told about the charts of a run: each chart with what it shows or
//! why it was not drawn, and which flagged sessions were picked for a heart-rate chart.
//! `figures` fills these and `summary` reads them; they live here so neither imports the
//! other.

/// Flagged sessions within this many days of the last day are "recent": they get charts
/// first, and the summary lists the findings of the same weeks in full.
pub const RECENT_DAYS: i64 = 56;

/// Which flagged sessions get a heart-rate chart, and how many did not.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionPick {
    /// (file label, session index), in the order drawn: most severe recent first.
    pub chosen: Vec<(String, usize)>,
    /// Every session with at least one finding.
    pub flagged: usize,
    /// What was asked for, in words, for the summary ("the last 8 weeks, most severe first, at most 24").
    pub rule: String,
}

/// A chart and what it shows, or why it was not drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartEntry {
    /// Path relative to the output folder.
    pub file: String,
    pub title: String,
    /// What the chart shows, in words.
    pub caption: String,
    /// Why it is missing, when it was not drawn.
    pub missing: Option<String>,
    /// A line for the user when drawing it failed (not when there was nothing to draw).
    pub warning: Option<String>,
}

/// The charts of a run and what the summary says about the session charts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartSet {
    pub entries: Vec<ChartEntry>,
    pub pick: SessionPick,
}
