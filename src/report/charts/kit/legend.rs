//! Legends: rows of entries above the plots, where they never cover data.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::Area;
use super::layout::Ui;
use super::palette::AXIS;

/// What a legend entry looks like.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    Bar(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
    Dot(RGBColor),
    Marker(RGBColor),
    Shade(RGBColor, f64),
    Empty,
    TextOnly,
}

pub(crate) struct Entry {
    pub(crate) swatch: Swatch,
    pub(crate) label: String,
}

pub(crate) fn entry(swatch: Swatch, label: impl Into<String>) -> Entry {
    Entry {
        swatch,
        label: label.into(),
    }
}

/// Draws the legend as rows of entries above the plots, where it can never cover data, and
/// returns the area below it.
pub(crate) fn draw_legend<'a>(area: &Area<'a>, entries: &[Entry], ui: &Ui) -> Result<Area<'a>> {
    let font = ui.text(16.0);
    let margin = ui.pxi(24.0);
    let swatch_w = ui.pxi(30.0);
    let gap = ui.pxi(8.0);
    let spacing = ui.pxi(28.0);
    let row_h = ui.pxi(26.0);
    let width = area.dim_in_pixel().0 as i32;

    let mut placed = Vec::with_capacity(entries.len());
    let (mut x, mut row) = (margin, 0);
    for e in entries {
        let (tw, _) = area.estimate_text_size(&e.label, &font)?;
        let lead = match e.swatch {
            Swatch::TextOnly => 0,
            _ => swatch_w + gap,
        };
        let w = lead + tw as i32;
        if x > margin && x + w > width - margin {
            x = margin;
            row += 1;
        }
        placed.push((x, row, lead));
        x += w + spacing;
    }
    let height = ((row + 1) * row_h + ui.pxi(8.0)).min(area.dim_in_pixel().1 as i32 / 3);
    let (top, rest) = area.split_vertically(height.max(1) as u32);

    for (e, &(x, row, lead)) in entries.iter().zip(&placed) {
        let cy = row * row_h + row_h / 2;
        let (x0, x1) = (x, x + swatch_w);
        let half = ui.pxi(7.0);
        match e.swatch {
            Swatch::Bar(c) => top.draw(&Rectangle::new(
                [(x0, cy - half), (x1, cy + half)],
                c.filled(),
            ))?,
            Swatch::Line(c) => top.draw(&PathElement::new(
                vec![(x0, cy), (x1, cy)],
                ui.stroke(c, 3.0),
            ))?,
            Swatch::Dashed(c) => {
                let seg = (swatch_w - 2 * ui.pxi(3.0)) / 3;
                for i in 0..2 {
                    let s = x0 + i * (seg + ui.pxi(3.0)) * 3 / 2;
                    top.draw(&PathElement::new(
                        vec![(s, cy), (s + seg, cy)],
                        ui.stroke(c, 2.0),
                    ))?;
                }
            }
            Swatch::Dot(c) => {
                top.draw(&Circle::new(((x0 + x1) / 2, cy), ui.px(5.0), c.filled()))?
            }
            Swatch::Marker(c) => top.draw(&TriangleMarker::new(
                ((x0 + x1) / 2, cy),
                ui.px(7.0),
                c.filled(),
            ))?,
            Swatch::Shade(c, alpha) => top.draw(&Rectangle::new(
                [(x0, cy - half), (x1, cy + half)],
                c.mix(alpha).filled(),
            ))?,
            Swatch::Empty => top.draw(&Rectangle::new(
                [(x0, cy - half), (x1, cy + half)],
                AXIS.stroke_width(1),
            ))?,
            Swatch::TextOnly => {}
        }
        top.draw(&Text::new(
            e.label.clone(),
            (x + lead, cy),
            font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(rest)
}
