//! `team_load.png`: athletes × the team's last 8 weeks, each cell coloured by the week's load
//! relative to that athlete's own chronic load, audit findings marked with a count.
//!
//! The rows grow with the team (26 px each up to 140 athletes), so 30 athletes read as easily
//! as 3. Text is drawn with the bundled DejaVu Sans, like the other charts.

use std::path::Path;

use anyhow::{anyhow, Result};
use chrono::{Duration, NaiveDate};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::load::week_start;
use crate::report::charts::{ensure_font, write_png, ChartStyle, FONT};

use super::Row;

/// Weeks shown.
pub const WEEKS: usize = 8;

/// The colour bands of load relative to the chronic load (Okabe–Ito colours).
pub const BANDS: [(f64, RGBColor, &str); 4] = [
    (0.8, RGBColor(0x56, 0xB4, 0xE9), "under 0.8× usual"),
    (1.3, RGBColor(0x00, 0x9E, 0x73), "0.8–1.3× usual"),
    (1.5, RGBColor(0xE6, 0x9F, 0x00), "1.3–1.5× usual"),
    (f64::INFINITY, RGBColor(0xD5, 0x5E, 0x00), "over 1.5× usual"),
];
const UNKNOWN: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
const NO_DATA: RGBColor = RGBColor(0xF6, 0xF6, 0xF6);
const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);

/// The colour of a cell with this relative load.
pub fn colour(relative: Option<f64>) -> RGBColor {
    match relative {
        None => UNKNOWN,
        Some(r) => BANDS
            .iter()
            .find(|(upto, _, _)| r < *upto)
            .map_or(BANDS[3].1, |b| b.1),
    }
}

/// The Mondays shown: the 8 weeks ending with the week of the team's latest day.
pub fn calendar(rows: &[Row]) -> Option<Vec<NaiveDate>> {
    let last = rows.iter().filter_map(|r| r.last_day).max()?;
    let end = week_start(last);
    Some(
        (0..WEEKS as i64)
            .rev()
            .map(|i| end - Duration::weeks(i))
            .collect(),
    )
}

const ROW_H: u32 = 26;
const NAME_W: u32 = 240;
const TOP: u32 = 90;
const BOTTOM: u32 = 80;
const WIDTH: u32 = 1200;
const MAX_H: u32 = 4096;

fn size(n: usize) -> (u32, u32, u32) {
    let row_h = ROW_H.min((MAX_H - TOP - BOTTOM) / n.max(1) as u32).max(4);
    let h = (TOP + BOTTOM + row_h * n as u32).max(320);
    (WIDTH, h, row_h)
}

/// Draws the chart into an RGB buffer of `size(rows.len())`.
fn render(buf: &mut [u8], rows: &[Row], weeks: &[NaiveDate]) -> Result<()> {
    ensure_font()?;
    let (w, h, row_h) = size(rows.len());
    let root = BitMapBackend::with_buffer(buf, (w, h)).into_drawing_area();
    let e = |e: DrawingAreaErrorKind<_>| anyhow!("drawing team_load.png: {e:?}");
    root.fill(&WHITE).map_err(e)?;
    let text = |size: u32| TextStyle::from((FONT, size).into_font()).color(&INK);
    root.draw(&Text::new(
        "Weekly load against each athlete's own chronic load, last 8 weeks",
        (20, 18),
        text(22),
    ))
    .map_err(e)?;
    let cell_w = (w - NAME_W - 20) / WEEKS as u32;
    let x0 = NAME_W as i32;
    let centre = Pos::new(HPos::Center, VPos::Center);
    for (i, wk) in weeks.iter().enumerate() {
        let x = x0 + (i as u32 * cell_w + cell_w / 2) as i32;
        root.draw(&Text::new(
            wk.format("%d %b").to_string(),
            (x, TOP as i32 - 18),
            text(15).pos(centre),
        ))
        .map_err(e)?;
    }
    let font_px = (row_h * 6 / 10).clamp(4, 15);
    for (r, row) in rows.iter().enumerate() {
        let y = TOP as i32 + (r as u32 * row_h) as i32;
        let name = if row.is_ok() {
            row.athlete.clone()
        } else {
            format!("{} (no data)", row.athlete)
        };
        root.draw(&Text::new(
            name,
            (NAME_W as i32 - 10, y + row_h as i32 / 2),
            text(font_px).pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(e)?;
        for (i, wk) in weeks.iter().enumerate() {
            let x = x0 + (i as u32 * cell_w) as i32;
            let cell = row.weeks.iter().find(|c| c.start == *wk);
            let fill = cell.map_or(NO_DATA, |c| colour(c.relative));
            root.draw(&Rectangle::new(
                [
                    (x + 1, y + 1),
                    (x + cell_w as i32 - 1, y + row_h as i32 - 1),
                ],
                fill.filled(),
            ))
            .map_err(e)?;
            let Some(c) = cell else { continue };
            if row_h >= 14 {
                let label = c
                    .relative
                    .map_or(format!("{:.0}", c.load), |v| format!("{v:.2}×"));
                root.draw(&Text::new(
                    label,
                    (x + cell_w as i32 / 2 - 10, y + row_h as i32 / 2),
                    text(font_px).pos(centre),
                ))
                .map_err(e)?;
            }
            if c.findings > 0 {
                let cx = x + cell_w as i32 - (row_h as i32 / 2) - 2;
                let cy = y + row_h as i32 / 2;
                let radius = (row_h as i32 / 2 - 3).max(2);
                root.draw(&Circle::new((cx, cy), radius, INK.filled()))
                    .map_err(e)?;
                if row_h >= 14 {
                    root.draw(&Text::new(
                        c.findings.to_string(),
                        (cx, cy),
                        TextStyle::from((FONT, font_px - 2).into_font())
                            .color(&WHITE)
                            .pos(centre),
                    ))
                    .map_err(e)?;
                }
            }
        }
    }
    // Legend.
    let ly = (h - BOTTOM + 30) as i32;
    let mut lx = 20;
    let entries: Vec<(RGBColor, &str)> = BANDS
        .iter()
        .map(|b| (b.1, b.2))
        .chain([(UNKNOWN, "no chronic load yet")])
        .collect();
    for (c, label) in entries {
        root.draw(&Rectangle::new(
            [(lx, ly - 8), (lx + 16, ly + 8)],
            c.filled(),
        ))
        .map_err(e)?;
        root.draw(&Text::new(
            label,
            (lx + 22, ly),
            text(14).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(e)?;
        lx += 30 + 8 * label.chars().count() as i32;
    }
    root.draw(&Circle::new((lx + 8, ly), 8, INK.filled()))
        .map_err(e)?;
    root.draw(&Text::new(
        "audit findings that week",
        (lx + 22, ly),
        text(14).pos(Pos::new(HPos::Left, VPos::Center)),
    ))
    .map_err(e)?;
    root.present().map_err(e)?;
    Ok(())
}

/// Renders the chart to an RGB buffer; returns it with its size (what the tests look at).
#[cfg(test)]
fn render_team_load(rows: &[Row]) -> Result<(Vec<u8>, u32, u32)> {
    let weeks = calendar(rows).ok_or_else(|| anyhow!("no athlete has any days to draw"))?;
    let (w, h, _) = size(rows.len());
    let mut buf = vec![0u8; (w * h * 3) as usize];
    render(&mut buf, rows, &weeks)?;
    Ok((buf, w, h))
}

/// Writes `team_load.png` atomically (a temporary name beside it, then a rename), with the
/// other charts' PNG writer.
pub fn team_load_chart(path: &Path, rows: &[Row]) -> Result<()> {
    let weeks = calendar(rows).ok_or_else(|| anyhow!("no athlete has any days to draw"))?;
    let (width, height, _) = size(rows.len());
    let style = ChartStyle {
        width,
        height,
        ..ChartStyle::default()
    };
    write_png(path, &style, |buf| render(buf, rows, &weeks))
}

#[cfg(test)]
mod tests {
    use super::super::WeekCell;
    use super::*;

    fn pixel(buf: &[u8], w: u32, x: u32, y: u32) -> (u8, u8, u8) {
        let i = ((y * w + x) * 3) as usize;
        (buf[i], buf[i + 1], buf[i + 2])
    }

    #[test]
    fn cells_take_the_colour_of_their_relative_load_and_thirty_athletes_fit() {
        let last = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(); // a Sunday
        let weeks = calendar(&[Row {
            last_day: Some(last),
            ..Row::default()
        }])
        .unwrap();
        assert_eq!(weeks.len(), WEEKS);
        assert_eq!(*weeks.last().unwrap(), week_start(last));
        let rows: Vec<Row> = (0..30)
            .map(|i| Row {
                athlete: format!("athlete {i}"),
                status: "ok".into(),
                last_day: Some(last),
                weeks: vec![WeekCell {
                    start: week_start(last),
                    load: 300.0,
                    relative: Some(if i == 0 { 2.0 } else { 1.0 }),
                    findings: 1,
                }],
                ..Row::default()
            })
            .collect();
        let (buf, w, h) = render_team_load(&rows).unwrap();
        assert_eq!((w, h, size(30).2), (1200, TOP + BOTTOM + 30 * ROW_H, ROW_H));
        let cell_w = (w - NAME_W - 20) / WEEKS as u32;
        let x = NAME_W + 7 * cell_w + 4;
        let c = |r: u32| {
            let y = TOP + r * ROW_H + 3;
            let c = pixel(&buf, w, x, y);
            RGBColor(c.0, c.1, c.2)
        };
        assert_eq!(c(0), colour(Some(2.0)));
        assert_eq!(c(29), colour(Some(1.0)));
        // An earlier week without data is the no-data grey.
        let y = TOP + 3;
        let p = pixel(&buf, w, NAME_W + 4, y);
        assert_eq!(RGBColor(p.0, p.1, p.2), NO_DATA);
    }
}
