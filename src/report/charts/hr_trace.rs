//! One session's heart rate over time.

use std::path::Path;

use anyhow::Result;
use plotters::prelude::*;

use super::kit::*;

/// One session's heart rate over time.
#[derive(Debug, Clone, PartialEq)]
pub struct HrTrace {
    /// Chart title, e.g. "2026-01-05 running, Forerunner 255 (activity.fit)".
    pub title: String,
    /// (minutes from start, heart rate in bpm); `None` is a dropout and breaks the line.
    pub samples: Vec<(f64, Option<f64>)>,
    /// Timer pauses as (start, end) in minutes from start.
    pub pauses: Vec<(f64, f64)>,
    /// The band in bpm as (low, high), e.g. (120.0, 140.0).
    pub band: (f64, f64),
}

/// Writes `sessions/<date>_<sport>.png`: one session's heart rate with the band shaded, pauses
/// shaded grey and dropouts left as gaps. Creates the parent folder if needed.
pub fn hr_trace_chart(path: &Path, trace: &HrTrace, style: &ChartStyle) -> Result<()> {
    write_png(path, style, |buf| render_hr_trace(buf, style, trace))
}

/// Samples further apart than this are not joined: the project counts no heart-rate interval
/// longer than 60 s, so neither does the line.
pub(super) const MAX_SAMPLE_GAP_MIN: f64 = 1.0;

/// The samples with a dropout inserted wherever a pause falls between two of them, so the line
/// never bridges a pause.
pub(super) fn with_breaks(
    samples: &[(f64, Option<f64>)],
    pauses: &[(f64, f64)],
) -> impl Iterator<Item = (f64, Option<f64>)> {
    let mut out = Vec::with_capacity(samples.len());
    for (i, &s) in samples.iter().enumerate() {
        if let Some(&(prev, _)) = i.checked_sub(1).and_then(|j| samples.get(j)) {
            if pauses.iter().any(|&(a, b)| a < s.0 && b > prev) {
                out.push((prev, None));
            }
        }
        out.push(s);
    }
    out.into_iter()
}

/// Renders one session's heart-rate trace into `buf`. See [`hr_trace_chart`].
pub fn render_hr_trace(buf: &mut [u8], style: &ChartStyle, trace: &HrTrace) -> Result<()> {
    let ui = prepare(buf, style)?;
    let mut samples: Vec<(f64, Option<f64>)> = trace
        .samples
        .iter()
        .filter(|(t, _)| t.is_finite())
        .map(|&(t, bpm)| (t, finite_opt(bpm).filter(|b| *b > 0.0)))
        .collect();
    samples.sort_by(|a, b| a.0.total_cmp(&b.0));
    if samples.iter().all(|(_, bpm)| bpm.is_none()) {
        return Err(nothing("heart-rate trace", "no heart-rate samples"));
    }
    let pauses: Vec<(f64, f64)> = trace
        .pauses
        .iter()
        .filter(|(a, b)| a.is_finite() && b.is_finite() && b > a)
        .copied()
        .collect();
    let band = (
        trace.band.0.min(trace.band.1),
        trace.band.0.max(trace.band.1),
    );
    let band = finite(band.0).zip(finite(band.1));

    let x_end = samples
        .iter()
        .map(|s| s.0)
        .chain(pauses.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    let x_start = samples.first().map_or(0.0, |s| s.0).min(0.0);
    let y = padded_range(
        samples
            .iter()
            .filter_map(|s| s.1)
            .chain(band.into_iter().flat_map(|(a, b)| [a, b])),
        0.08,
        60.0..180.0,
    );
    let y = y.start.max(0.0)..y.end;

    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, &trace.title, &ui)?;
    let mut legend = vec![entry(Swatch::Line(CHRONIC), "heart rate (gaps: no signal)")];
    if let Some((lo, hi)) = band {
        legend.push(entry(
            Swatch::Shade(ACTIVE_RECOVERY, 0.25),
            format!("band {}–{} bpm", format_number(lo), format_number(hi)),
        ));
    }
    if !pauses.is_empty() {
        legend.push(entry(Swatch::Shade(PAUSE, 0.3), "timer paused"));
    }
    let body = draw_legend(&body, &legend, &ui)?;
    let mut c = single_chart(
        &body,
        &ui,
        Axis::numbers(x_start..x_end),
        Axis::numbers(y.clone()),
    )?;
    draw_mesh(
        &mut c,
        &ui,
        Some("minutes from start"),
        "heart rate (bpm)",
        12,
        8,
    )?;

    let area = c.plotting_area();
    let xr = c.x_range();
    if let Some((lo, hi)) = band {
        area.draw(&Rectangle::new(
            [(xr.start, lo), (xr.end, hi)],
            ACTIVE_RECOVERY.mix(0.25).filled(),
        ))?;
    }
    for &(a, b) in &pauses {
        area.draw(&Rectangle::new(
            [(a, y.start), (b, y.end)],
            PAUSE.mix(0.3).filled(),
        ))?;
    }
    let line = runs(with_breaks(&samples, &pauses), MAX_SAMPLE_GAP_MIN);
    draw_runs(area, &line, ui.stroke(CHRONIC, 1.5), None, ui.px(2.0))?;
    root.present()?;
    Ok(())
}
