//! Axes: one coordinate type for every axis, so dates, categories and numbers share the
//! helpers; the house grid, and series drawn as runs with gaps.

use std::ops::Range;

use anyhow::Result;
use chrono::{Datelike, NaiveDate, TimeDelta};
use plotters::chart::DualCoordChartContext;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::Area;
use super::layout::Ui;
use super::palette::{AXIS, GRID};

/// Grid, tick labels and axis descriptions in the house look.
pub(crate) fn draw_mesh(
    chart: &mut Chart<'_, '_>,
    ui: &Ui,
    x_desc: Option<&str>,
    y_desc: &str,
    n_x: usize,
    n_y: usize,
) -> Result<()> {
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(n_x)
        .y_labels(n_y)
        .y_desc(y_desc)
        .label_style(ui.text(15.0))
        .axis_desc_style(ui.text(16.0))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1));
    if let Some(desc) = x_desc {
        mesh.x_desc(desc);
    }
    mesh.draw()?;
    Ok(())
}

pub(crate) fn draw_secondary_mesh(
    chart: &mut DualCoordChartContext<
        '_,
        BitMapBackend<'_>,
        Cartesian2d<Axis, Axis>,
        Cartesian2d<Axis, Axis>,
    >,
    ui: &Ui,
    y_desc: &str,
    n_y: usize,
) -> Result<()> {
    chart
        .configure_secondary_axes()
        .y_labels(n_y)
        .y_desc(y_desc)
        .label_style(ui.text(15.0))
        .axis_desc_style(ui.text(16.0))
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    Ok(())
}

/// Writes "No data" in the middle of an empty panel, so an empty panel is not mistaken for a
/// rendering fault.
pub(crate) fn draw_no_data(chart: &Chart<'_, '_>, ui: &Ui) -> Result<()> {
    let x = chart.x_range();
    let y = chart.y_range();
    chart.plotting_area().draw(&Text::new(
        "no data",
        ((x.start + x.end) / 2.0, (y.start + y.end) / 2.0),
        ui.text(20.0).pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(())
}

/// Date axes longer than this tick on month starts and read "Mar 2024" (four times as long:
/// on Januaries, reading "2024").
pub(crate) const MONTH_TICKS_AFTER_DAYS: i64 = 200;

/// A chart on the kit's axes (dates or numbers on either side).
pub(crate) type Chart<'a, 'b> = ChartContext<'a, BitMapBackend<'b>, Cartesian2d<Axis, Axis>>;

/// A linear axis from `lo` to `hi` with its own choice of tick positions and labels.
#[derive(Clone, Debug)]
pub(crate) struct Axis {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) ticks: Ticks,
}

#[derive(Clone, Debug)]
pub(crate) enum Ticks {
    /// Values are days after `start`; ticks fall on whole days (on Mondays once a week or more
    /// apart) and read like "Jan 05".
    Days(NaiveDate),
    /// Exactly these positions and labels (a subset when they do not fit).
    Fixed(Vec<(f64, String)>),
    /// Round numbers (1, 2, 2.5, 5 × 10ⁿ steps).
    Numbers,
}

impl Axis {
    /// An axis over `range`, widened when it is empty or not finite so mapping never divides
    /// by zero.
    pub(crate) fn new(range: Range<f64>, ticks: Ticks) -> Self {
        let (mut lo, mut hi) = (range.start, range.end);
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if hi < lo {
            std::mem::swap(&mut lo, &mut hi);
        }
        if hi - lo < 1e-9 {
            (lo, hi) = (lo - 0.5, hi + 0.5);
        }
        Axis { lo, hi, ticks }
    }

    pub(crate) fn numbers(range: Range<f64>) -> Self {
        Axis::new(range, Ticks::Numbers)
    }

    pub(crate) fn label(&self, v: f64) -> String {
        match &self.ticks {
            Ticks::Days(start) => day_at(*start, v)
                .map(|d| d.format(self.date_format(*start)).to_string())
                .unwrap_or_default(),
            Ticks::Fixed(list) => list
                .iter()
                .find(|(x, _)| (x - v).abs() < 1e-6)
                .map(|(_, s)| s.clone())
                .unwrap_or_default(),
            Ticks::Numbers => format_number(v),
        }
    }

    /// The span of the axis in dates, when both ends are dates.
    fn date_span(&self, start: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        Some((day_at(start, self.lo)?, day_at(start, self.hi)?))
    }

    /// "Jan 05" within one year; with the year once the span crosses one; only month and
    /// year (or the year) when ticks fall on month starts.
    pub(crate) fn date_format(&self, start: NaiveDate) -> &'static str {
        let Some((a, b)) = self.date_span(start) else {
            return "%b %d";
        };
        let days = (b - a).num_days();
        if days > MONTH_TICKS_AFTER_DAYS * 4 {
            "%Y"
        } else if days > MONTH_TICKS_AFTER_DAYS {
            "%b %Y"
        } else if a.year() != b.year() {
            "%b %d %Y"
        } else {
            "%b %d"
        }
    }

    /// Ticks on month starts (every 1, 2, 3, 6, 12, 24 … months), for spans of many months.
    fn month_ticks(&self, start: NaiveDate, max: usize) -> Vec<f64> {
        let Some((a, b)) = self.date_span(start) else {
            return Vec::new();
        };
        let month_index = |d: NaiveDate| d.year() as i64 * 12 + i64::from(d.month0());
        let (first, last) = (month_index(a) + 1, month_index(b));
        for step in [1i64, 2, 3, 6, 12, 24, 48, 96] {
            let begin = if step >= 12 {
                // Yearly steps fall on January.
                first + (12 - first.rem_euclid(12)) % 12
            } else {
                first + (step - first.rem_euclid(step)) % step
            };
            if begin > last || ((last - begin) / step + 1) as usize > max {
                continue;
            }
            return (0..=(last - begin) / step)
                .filter_map(|i| {
                    let m = begin + i * step;
                    let d = NaiveDate::from_ymd_opt(
                        m.div_euclid(12) as i32,
                        m.rem_euclid(12) as u32 + 1,
                        1,
                    )?;
                    Some((d - start).num_days() as f64)
                })
                .collect();
        }
        Vec::new()
    }

    pub(crate) fn day_ticks(&self, start: NaiveDate, max: usize) -> Vec<f64> {
        let first = self.lo.ceil() as i64;
        let last = self.hi.floor() as i64;
        if last < first {
            return Vec::new();
        }
        if self.hi - self.lo > MONTH_TICKS_AFTER_DAYS as f64 {
            let months = self.month_ticks(start, max);
            if !months.is_empty() {
                return months;
            }
        }
        for step in [1i64, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1456] {
            // Weekly and longer steps start on a Monday so ticks line up with training weeks.
            let offset = if step >= 7 {
                day_at(start, first as f64)
                    .map(|d| (7 - i64::from(d.weekday().num_days_from_monday())) % 7)
                    .unwrap_or(0)
            } else {
                0
            };
            let begin = first + offset;
            let count = if begin > last {
                0
            } else {
                (last - begin) / step + 1
            };
            if count as usize <= max {
                return (0..count).map(|i| (begin + i * step) as f64).collect();
            }
        }
        vec![first as f64]
    }

    pub(crate) fn number_ticks(&self, max: usize) -> Vec<f64> {
        let span = self.hi - self.lo;
        let raw = span / max as f64;
        let magnitude = 10f64.powf(raw.log10().floor());
        for m in [1.0, 2.0, 2.5, 5.0, 10.0, 20.0] {
            let step = m * magnitude;
            let first = (self.lo / step).ceil();
            let last = (self.hi / step).floor();
            if last - first + 1.0 <= max as f64 {
                let count = (last - first + 1.0).max(0.0) as usize;
                return (0..count).map(|i| (first + i as f64) * step).collect();
            }
        }
        Vec::new()
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let t = (value - self.lo) / (self.hi - self.lo);
        let px = f64::from(limit.0) + t * f64::from(limit.1 - limit.0);
        if px.is_finite() {
            // Far-off values are clamped so pixel arithmetic downstream cannot overflow.
            px.round().clamp(-1.0e6, 1.0e6) as i32
        } else {
            limit.0
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let max = hint.max_num_points();
        if max == 0 {
            return Vec::new();
        }
        match &self.ticks {
            Ticks::Days(start) => self.day_ticks(*start, max),
            Ticks::Fixed(list) => {
                let inside: Vec<f64> = list
                    .iter()
                    .map(|(x, _)| *x)
                    .filter(|x| (self.lo..=self.hi).contains(x))
                    .collect();
                let every = inside.len().div_ceil(max).max(1);
                inside.into_iter().step_by(every).collect()
            }
            Ticks::Numbers => self.number_ticks(max),
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for Axis {
    fn format_ext(&self, value: &f64) -> String {
        self.label(*value)
    }
}

pub(crate) fn day_at(start: NaiveDate, v: f64) -> Option<NaiveDate> {
    if !v.is_finite() || v.abs() > 1.0e6 {
        return None;
    }
    start.checked_add_signed(TimeDelta::try_days(v.round() as i64)?)
}

/// Shortest readable form: "10", "2.5", "0.25"; never "-0".
pub(crate) fn format_number(v: f64) -> String {
    if v.abs() < 1e-9 {
        return "0".to_string();
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

pub(crate) fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

pub(crate) fn finite_opt(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// A range that holds every value with a margin, or `fallback` when there are no values.
pub(crate) fn padded_range(
    values: impl Iterator<Item = f64>,
    pad: f64,
    fallback: Range<f64>,
) -> Range<f64> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return fallback;
    }
    let margin = ((hi - lo) * pad).max(1e-6);
    let margin = if hi - lo < 1e-9 { 1.0 } else { margin };
    (lo - margin)..(hi + margin)
}

/// Splits a series into runs of points that should be joined: a missing value, or a jump in x
/// wider than `max_step`, starts a new run.
pub(crate) fn runs(
    points: impl Iterator<Item = (f64, Option<f64>)>,
    max_step: f64,
) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for (x, y) in points {
        match (finite(x), finite_opt(y)) {
            (Some(x), Some(y)) => {
                if let Some(&(px, _)) = current.last() {
                    if x - px > max_step {
                        out.push(std::mem::take(&mut current));
                    }
                }
                current.push((x, y));
            }
            _ => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Draws runs as lines, and runs of one point as dots so an isolated value is still seen.
pub(crate) fn draw_runs(
    area: &DrawingArea<BitMapBackend<'_>, Cartesian2d<Axis, Axis>>,
    runs: &[Vec<(f64, f64)>],
    style: ShapeStyle,
    dashed: Option<(u32, u32)>,
    dot: u32,
) -> Result<()> {
    for run in runs {
        if run.len() == 1 {
            area.draw(&Circle::new(run[0], dot.max(2), style.color.filled()))?;
        } else if let Some((size, spacing)) = dashed {
            area.draw(&DashedPathElement::new(
                run.iter().copied(),
                size,
                spacing,
                style,
            ))?;
        } else {
            area.draw(&PathElement::new(run.clone(), style))?;
        }
    }
    Ok(())
}

/// The x range from `lo` to `hi` in days, widened evenly to at least `min_days` so a single day
/// or week is drawn at a sensible width instead of filling the chart.
pub(crate) fn day_window(lo: f64, hi: f64, min_days: f64) -> Range<f64> {
    let extra = ((min_days - (hi - lo)) / 2.0).max(0.0);
    (lo - extra)..(hi + extra)
}

pub(crate) fn single_chart<'a, 'b>(
    area: &'a Area<'b>,
    ui: &Ui,
    x: Axis,
    y: Axis,
) -> Result<Chart<'a, 'b>> {
    Ok(ChartBuilder::on(area)
        .margin_top(ui.px(8.0))
        .margin_right(ui.px(32.0))
        .margin_left(ui.px(16.0))
        .margin_bottom(ui.px(8.0))
        .x_label_area_size(ui.px(64.0))
        .y_label_area_size(ui.px(96.0))
        .build_cartesian_2d(x, y)?)
}
