//! One athlete's report folder, written from its [`Outcome`]: the tables (CSV and Parquet),
//! the charts, `summary.md` and `index.html`, and the "what next" lines they quote.

use std::path::Path;

use anyhow::Result;

use crate::config::Settings;
use crate::pipeline::{Inputs, Outcome};
use crate::report::charts::ChartStyle;
use crate::report::{figures, write};
use crate::rules;

/// What [`write_reports`] wrote.
pub struct Written {
    /// Files written (names relative to the output folder) with their descriptions.
    pub files: Vec<(String, String)>,
    /// `today`'s advice for the outcome's answer date, in lines.
    pub what_next: Vec<String>,
    /// Lines for the user, in order: charts that could not be drawn, where the data came
    /// from (`data: …`).
    pub say: Vec<String>,
}

/// Today's answer, then the week ahead from the same rules (the plan's day one is today's
/// answer, so it is not repeated).
pub fn what_next(o: &Outcome) -> Vec<String> {
    let (Some(date), Some(today), Some(plan)) = (o.answer_date, &o.today, &o.plan) else {
        return Vec::new();
    };
    let mut lines = rules::lines(today, o.band);
    let day_one = format!(" {date}  ");
    lines.extend(
        rules::plan::lines(plan)
            .into_iter()
            .filter(|l| !l.starts_with("missing:") && !l.starts_with("warning:"))
            .filter(|l| !l.contains(&day_one)),
    );
    lines
}

/// Writes everything `analyze` writes for one athlete into `out`.
pub fn write_reports(
    o: &Outcome,
    s: &Settings,
    inputs: &Inputs,
    out: &Path,
    style: &ChartStyle,
) -> Result<Written> {
    let what_next = what_next(o);
    let source = inputs.paths_text();
    let pick = figures::pick_sessions(o, s.session_charts);
    // From the records the first read kept: no file is read twice.
    let series = o
        .classified
        .iter()
        .map(|c| {
            (
                c.session.file.clone(),
                c.session.index,
                &c.session.hr_records,
            )
        })
        .filter(|(file, index, _)| pick.chosen.iter().any(|(f, i)| f == file && i == index))
        .filter_map(|(file, index, records)| {
            Some(((file, index), o.inputs.report.hr_series(records)?))
        })
        .collect();
    let charts = figures::draw_all(out, o, s, &source, &pick, &series, style);
    let mut say: Vec<String> = charts
        .entries
        .iter()
        .filter_map(|c| c.warning.clone())
        .collect();
    let read = &o.inputs;
    let mut source_lines = crate::days::describe_sources(
        &o.days,
        read.journal.as_ref(),
        &read.report.wellness,
        read.report.activities_matched,
    );
    say.extend(source_lines.iter().map(|l| format!("data: {l}")));
    // Said on stderr already, once, with the other warnings.
    source_lines.extend(read.report.local_dates.summary_line());
    let facts = write::ReportFacts {
        source,
        ingest_line: read.ingest_line.clone(),
        journal_line: read.journal_line.clone(),
        what_next: what_next.clone(),
        source_lines,
    };
    let files = write::write_all(out, o, s, &facts, charts)?;
    Ok(Written {
        files,
        what_next,
        say,
    })
}
