//! What moves with soreness: scatter panels with a fitted line.

use std::ops::Range;
use std::path::Path;

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::kit::*;

/// One scatter panel of the correlations chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    /// Panel heading, e.g. "load vs next-day soreness".
    pub title: String,
    /// X axis description with its unit, e.g. "load (TRIMP)".
    pub x_label: String,
    /// Y axis description with its unit, e.g. "next-day soreness (0–10)".
    pub y_label: String,
    /// The observations as (x, y).
    pub points: Vec<(f64, f64)>,
    /// Least-squares line as (slope, intercept), if one was fitted.
    pub fit: Option<(f64, f64)>,
    /// The statistics shown in the legend, e.g. "ρ = 0.41, r = 0.38, n = 52".
    pub legend: String,
}

/// Writes `correlations.png`: the scatter panels side by side (two, by design; any number
/// works), each with its fitted line and statistics.
pub fn correlations_chart(
    path: &Path,
    title: &str,
    panels: &[Scatter],
    style: &ChartStyle,
) -> Result<()> {
    write_png(path, style, |buf| {
        render_correlations(buf, style, title, panels)
    })
}

/// Renders the correlation panels side by side into `buf`. See [`correlations_chart`].
pub fn render_correlations(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    panels: &[Scatter],
) -> Result<()> {
    let ui = prepare(buf, style)?;
    if panels.is_empty() {
        return Err(nothing("correlations", "no panels"));
    }
    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;
    for (area, panel) in body.split_evenly((1, panels.len())).iter().zip(panels) {
        draw_scatter(area, panel, &ui)?;
    }
    root.present()?;
    Ok(())
}

pub(super) fn draw_scatter(area: &Area<'_>, panel: &Scatter, ui: &Ui) -> Result<()> {
    let points: Vec<(f64, f64)> = panel
        .points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let heading = ui.pxi(34.0);
    let (top, body) = area.split_vertically(heading as u32);
    top.draw(&Text::new(
        panel.title.clone(),
        (ui.pxi(24.0), heading / 2),
        ui.text(20.0).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let fit = panel
        .fit
        .filter(|(slope, intercept)| slope.is_finite() && intercept.is_finite());
    let mut legend = vec![entry(Swatch::Dot(SLEEP), "observation")];
    if let Some((slope, intercept)) = fit {
        legend.push(entry(
            Swatch::Line(CHRONIC),
            format!(
                "fit: y = {:.3} x {} {:.2}",
                slope,
                if intercept < 0.0 { "−" } else { "+" },
                intercept.abs()
            ),
        ));
    }
    if !panel.legend.trim().is_empty() {
        legend.push(entry(Swatch::TextOnly, panel.legend.trim()));
    }
    let body = draw_legend(&body, &legend, ui)?;

    let x = padded_range(points.iter().map(|p| p.0), 0.05, 0.0..1.0);
    let y = padded_range(points.iter().map(|p| p.1), 0.08, 0.0..1.0);
    let mut c = ChartBuilder::on(&body)
        .margin_top(ui.px(8.0))
        .margin_right(ui.px(32.0))
        .margin_left(ui.px(16.0))
        .margin_bottom(ui.px(8.0))
        .x_label_area_size(ui.px(64.0))
        .y_label_area_size(ui.px(90.0))
        .build_cartesian_2d(Axis::numbers(x.clone()), Axis::numbers(y.clone()))?;
    let x_desc = panel.x_label.clone();
    draw_mesh(&mut c, ui, Some(&x_desc), &panel.y_label, 7, 6)?;
    if points.is_empty() {
        return draw_no_data(&c, ui);
    }
    // Many days (years of them) pile up on the same values: translucent dots show where.
    let dot = if points.len() > 300 {
        SLEEP.mix(0.25).filled()
    } else {
        SLEEP.filled()
    };
    for &p in &points {
        c.plotting_area().draw(&Circle::new(p, ui.px(5.0), dot))?;
    }
    if let Some((slope, intercept)) = fit {
        if let Some(segment) = clip_line(slope, intercept, &x, &y) {
            c.plotting_area()
                .draw(&PathElement::new(segment.to_vec(), ui.stroke(CHRONIC, 2.5)))?;
        }
    }
    Ok(())
}

/// The part of y = slope·x + intercept inside the box, so the line stops at the plot's edge.
pub(super) fn clip_line(
    slope: f64,
    intercept: f64,
    x: &Range<f64>,
    y: &Range<f64>,
) -> Option<[(f64, f64); 2]> {
    let (mut t0, mut t1) = (x.start, x.end);
    if slope.abs() > 1e-12 {
        let xa = (y.start - intercept) / slope;
        let xb = (y.end - intercept) / slope;
        t0 = t0.max(xa.min(xb));
        t1 = t1.min(xa.max(xb));
    } else if !(y.start..=y.end).contains(&intercept) {
        return None;
    }
    (t0 < t1 && t0.is_finite() && t1.is_finite())
        .then_some([(t0, slope * t0 + intercept), (t1, slope * t1 + intercept)])
}
