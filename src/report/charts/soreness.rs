//! Soreness by day after a hard day.

use std::path::Path;

use anyhow::Result;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::kit::*;

/// Mean soreness on one day after a hard day, as plotted: unlike the analysis's
/// `CurvePoint`, it always has a mean (days without one are not drawn).
#[derive(Debug, Clone, PartialEq)]
pub struct MeanSoreness {
    /// Days after the hard day: 0 is the hard day itself, up to 5.
    pub day: u32,
    /// Mean soreness (0–10) over the `n` observations.
    pub mean: f64,
    /// Standard deviation of soreness, if there were enough observations for one.
    pub sd: Option<f64>,
    /// How many observations the mean rests on.
    pub n: usize,
}

/// How soreness evolves in the days after a hard day.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SorenessPlot {
    /// One point per day after the hard day (0..=5); days with `n == 0` are skipped.
    pub days: Vec<MeanSoreness>,
}

/// Writes `soreness_after_hard.png`: mean soreness ± 1 sd by day after a hard day, the 72 h
/// mark, and how many observations each point rests on.
pub fn soreness_chart(
    path: &Path,
    title: &str,
    curve: &SorenessPlot,
    style: &ChartStyle,
) -> Result<()> {
    write_png(path, style, |buf| render_soreness(buf, style, title, curve))
}

/// Renders the soreness-after-hard chart into `buf`. See [`soreness_chart`].
pub fn render_soreness(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    curve: &SorenessPlot,
) -> Result<()> {
    let ui = prepare(buf, style)?;
    let mut points: Vec<&MeanSoreness> = curve
        .days
        .iter()
        .filter(|p| p.day <= 5 && p.n > 0 && p.mean.is_finite())
        .collect();
    points.sort_by_key(|p| p.day);
    // One point per day: a repeated day would draw its segment of the mean line twice.
    points.dedup_by_key(|p| p.day);
    if points.is_empty() {
        return Err(nothing("soreness", "no soreness recorded after a hard day"));
    }
    let ticks = (0..=5u32)
        .map(|d| {
            let label = if d == 0 {
                "hard day".to_string()
            } else {
                format!("day {d}")
            };
            (f64::from(d), label)
        })
        .collect();
    let axis = Axis::new(-0.5..5.5, Ticks::Fixed(ticks));

    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;
    let body = draw_legend(
        &body,
        &[
            entry(Swatch::Line(SORENESS), "mean soreness"),
            entry(Swatch::Shade(SORENESS, 0.2), "± 1 sd"),
            entry(Swatch::Dashed(AXIS), "72 h after the hard day"),
            entry(Swatch::TextOnly, "n = observations behind each mean"),
        ],
        &ui,
    )?;
    let mut c = ChartBuilder::on(&body)
        .margin_top(ui.px(8.0))
        .margin_right(ui.px(32.0))
        .margin_left(ui.px(16.0))
        .margin_bottom(ui.px(8.0))
        .x_label_area_size(ui.px(90.0))
        .y_label_area_size(ui.px(96.0))
        .build_cartesian_2d(axis, Axis::numbers(0.0..10.5))?;
    draw_mesh(
        &mut c,
        &ui,
        Some("days after a hard day"),
        "soreness (0–10)",
        6,
        6,
    )?;

    let sd_of = |p: &MeanSoreness| finite_opt(p.sd).filter(|s| *s >= 0.0);
    let lo = |p: &MeanSoreness| (p.mean - sd_of(p).unwrap_or(0.0)).clamp(0.0, 10.5);
    let hi = |p: &MeanSoreness| (p.mean + sd_of(p).unwrap_or(0.0)).clamp(0.0, 10.5);
    let area = c.plotting_area();
    // The 72 h mark goes under the data, so it never hides a whisker.
    let x72 = 3.0;
    area.draw(&DashedPathElement::new(
        [(x72, 0.0), (x72, 10.5)],
        ui.px(10.0),
        ui.px(6.0),
        ui.stroke(AXIS, 2.0),
    ))?;
    area.draw(
        &(EmptyElement::at((x72, 10.5))
            + Text::new(
                "72 h",
                (ui.pxi(8.0), ui.pxi(6.0)),
                ui.text(16.0).pos(Pos::new(HPos::Left, VPos::Top)),
            )),
    )?;
    // The spread as a band between neighbouring days that both have one, whiskers on each point.
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if b.day == a.day + 1 && sd_of(a).is_some() && sd_of(b).is_some() {
            let (xa, xb) = (f64::from(a.day), f64::from(b.day));
            area.draw(&Polygon::new(
                vec![(xa, lo(a)), (xb, lo(b)), (xb, hi(b)), (xa, hi(a))],
                SORENESS.mix(0.2).filled(),
            ))?;
        }
    }
    let cap = 0.06;
    for p in &points {
        if sd_of(p).is_some() {
            let x = f64::from(p.day);
            let style = ui.stroke(SORENESS, 2.0);
            area.draw(&PathElement::new(vec![(x, lo(p)), (x, hi(p))], style))?;
            for y in [lo(p), hi(p)] {
                area.draw(&PathElement::new(vec![(x - cap, y), (x + cap, y)], style))?;
            }
        }
    }
    // The mean line, one filled quad per segment in pixels: plotters strokes a wide line as
    // offset copies, which on shallow segments reads as the line drawn twice.
    let line = runs(
        points
            .iter()
            .map(|p| (f64::from(p.day), Some(p.mean.clamp(0.0, 10.5)))),
        1.0,
    );
    let half = f64::from(ui.px(3.0)) / 2.0;
    for pair in line.iter().flat_map(|run| run.windows(2)) {
        let (a, b) = (c.backend_coord(&pair[0]), c.backend_coord(&pair[1]));
        let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        let len = dx.hypot(dy).max(1e-9);
        let (nx, ny) = (-dy / len * half, dx / len * half);
        let at = |p: (i32, i32), s: f64| {
            (
                (f64::from(p.0) + s * nx).round() as i32,
                (f64::from(p.1) + s * ny).round() as i32,
            )
        };
        root.draw(&Polygon::new(
            vec![at(a, 1.0), at(b, 1.0), at(b, -1.0), at(a, -1.0)],
            SORENESS.filled(),
        ))?;
    }
    for p in &points {
        let centre = (f64::from(p.day), p.mean.clamp(0.0, 10.5));
        area.draw(&Circle::new(centre, ui.px(6.0), SORENESS.filled()))?;
    }

    // The n of each point sits under its day label, outside the plot, so it never hides data.
    let font = ui.text(14.0).color(&AXIS);
    for p in &points {
        let (px, py) = c.backend_coord(&(f64::from(p.day), 0.0));
        root.draw(&Text::new(
            format!("n = {}", p.n),
            (px, py + ui.pxi(32.0)),
            font.clone().pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    root.present()?;
    Ok(())
}
