//! Layout: sizes are given for 1600×900 and scaled, so smaller images keep their proportions.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Area, ChartStyle, FONT};
use super::palette::INK;

pub(crate) struct Ui {
    pub(crate) scale: f64,
}

impl Ui {
    pub(crate) fn new(style: &ChartStyle) -> Self {
        let scale = (f64::from(style.width) / 1600.0).min(f64::from(style.height) / 900.0);
        Ui { scale }
    }

    pub(crate) fn px(&self, v: f64) -> u32 {
        ((v * self.scale).round() as u32).max(1)
    }

    pub(crate) fn pxi(&self, v: f64) -> i32 {
        self.px(v) as i32
    }

    /// Text never goes below 9 px: smaller is unreadable whatever the image size.
    pub(crate) fn text(&self, size: f64) -> TextStyle<'static> {
        (FONT, (size * self.scale).max(9.0)).into_font().color(&INK)
    }

    pub(crate) fn stroke(&self, colour: RGBColor, width: f64) -> ShapeStyle {
        colour.stroke_width(self.px(width))
    }

    /// The number of date ticks that fit without labels touching (about 110 px each).
    pub(crate) fn ticks_for(&self, plot_width: u32) -> usize {
        (plot_width / self.px(110.0)).max(2) as usize
    }
}

/// Draws the title across the top and returns the area below it. Long titles shrink to fit.
pub(crate) fn draw_title<'a>(root: &Area<'a>, title: &str, ui: &Ui) -> Result<Area<'a>> {
    let height = ui.px(56.0);
    let (top, rest) = root.split_vertically(height);
    let margin = ui.pxi(24.0);
    let avail = (top.dim_in_pixel().0 as i32 - 2 * margin).max(1) as f64;
    let mut style = ui.text(28.0);
    let (w, _) = top.estimate_text_size(title, &style)?;
    if f64::from(w) > avail {
        let size = (28.0 * ui.scale * avail / f64::from(w)).max(9.0);
        style = (FONT, size).into_font().color(&INK);
    }
    top.draw(&Text::new(
        title.to_string(),
        (margin, height as i32 / 2),
        style.pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(rest)
}

/// A font no wider than `max_px` for `sample`, and its size in pixels, so per-bar labels never
/// run into each other.
pub(crate) fn fitted_font(
    area: &Area<'_>,
    sample: &str,
    size: f64,
    max_px: f64,
    ui: &Ui,
) -> Result<(TextStyle<'static>, f64)> {
    let px = (size * ui.scale).max(9.0);
    let (w, _) = area.estimate_text_size(sample, &ui.text(size))?;
    let px = if f64::from(w) <= max_px || w == 0 {
        px
    } else {
        (px * max_px / f64::from(w)).max(7.0)
    };
    Ok(((FONT, px).into_font().color(&INK), px))
}
