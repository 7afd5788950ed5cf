//! Minutes below, inside and above the band per week.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use chrono::{Datelike, NaiveDate, TimeDelta};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::kit::*;

/// Minutes of one week spent below, inside and above the heart-rate band.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekZones {
    /// How many days the bar covers: 7 for a week; a month's length past a year.
    pub days: u32,
    /// The first day of the week (a Monday, by the project's convention).
    pub week_start: NaiveDate,
    /// Minutes below the band.
    pub below_min: f64,
    /// Minutes inside the band.
    pub in_min: f64,
    /// Minutes above the band.
    pub above_min: f64,
}

/// Writes `zones.png`: minutes below, inside and above the band per week, stacked, with the
/// share above the band written on each bar. `band` is (low, high) in bpm.
pub fn zones_chart(
    path: &Path,
    title: &str,
    weeks: &[WeekZones],
    band: (u8, u8),
    style: &ChartStyle,
) -> Result<()> {
    write_png(path, style, |buf| {
        render_zones(buf, style, title, weeks, band)
    })
}

/// Beyond this many days the chart counts minutes per month, with the last 12 weeks below.
pub const MONTHLY_AFTER_DAYS: i64 = 365;

/// One bar: its first day, its length in days, minutes below, inside and above.
type Bar = (NaiveDate, f64, [f64; 3]);

/// Renders the zones chart into `buf`. See [`zones_chart`].
///
/// Up to a year: a bar per week (or per given bucket). Past a year the bars are summed
/// into calendar months on top, and the last 12 weeks are drawn below as they are.
pub fn render_zones(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    weeks: &[WeekZones],
    band: (u8, u8),
) -> Result<()> {
    let ui = prepare(buf, style)?;
    if weeks.is_empty() {
        return Err(nothing("zones", "no weeks"));
    }
    let minutes = |v: f64| finite(v).filter(|m| *m > 0.0).unwrap_or(0.0);
    let mut weeks: Vec<Bar> = weeks
        .iter()
        .map(|w| {
            (
                w.week_start,
                f64::from(w.days.max(1)),
                [
                    minutes(w.below_min),
                    minutes(w.in_min),
                    minutes(w.above_min),
                ],
            )
        })
        .collect();
    weeks.sort_by_key(|w| w.0);
    let first = weeks[0].0;
    let last = weeks[weeks.len() - 1].0;
    let long = (last - first).num_days() > MONTHLY_AFTER_DAYS;

    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;
    let (lo, hi) = band;
    let body = draw_legend(
        &body,
        &[
            entry(Swatch::Bar(HARD), format!("above the band (> {hi} bpm)")),
            entry(
                Swatch::Bar(ACTIVE_RECOVERY),
                format!("inside the band ({lo}–{hi} bpm)"),
            ),
            entry(
                Swatch::Bar(BELOW_BAND),
                format!("below the band (< {lo} bpm)"),
            ),
            entry(
                Swatch::TextOnly,
                if long {
                    "top: per month; below: the last 12 weeks, “18 %” = share above the band"
                } else {
                    "“18 %” = share of the week's minutes above the band"
                },
            ),
        ],
        &ui,
    )?;
    if long {
        let month_of = |d: NaiveDate| d.with_day(1).unwrap_or(d);
        let mut months: BTreeMap<NaiveDate, [f64; 3]> = BTreeMap::new();
        for (d, _, m) in &weeks {
            let e = months.entry(month_of(*d)).or_default();
            for (a, b) in e.iter_mut().zip(m) {
                *a += b;
            }
        }
        let months: Vec<Bar> = months
            .into_iter()
            .map(|(d, m)| {
                let next = month_of(d + TimeDelta::days(32));
                (d, (next - d).num_days() as f64, m)
            })
            .collect();
        let h = body.dim_in_pixel().1;
        let (top, bottom) = body.split_vertically(h * 11 / 20);
        draw_bars(&root, &top, &months, true, &ui)?;
        let from = last - TimeDelta::days(7 * 11);
        let recent: Vec<Bar> = weeks.iter().copied().filter(|w| w.0 >= from).collect();
        draw_bars(&root, &bottom, &recent, false, &ui)?;
    } else {
        draw_bars(&root, &body, &weeks, false, &ui)?;
    }
    root.present()?;
    Ok(())
}

/// Stacked bars of minutes below, inside and above the band, the share above on each bar
/// when there is room.
fn draw_bars(root: &Area<'_>, body: &Area<'_>, bars: &[Bar], monthly: bool, ui: &Ui) -> Result<()> {
    let Some(&(start, _, _)) = bars.first() else {
        return Ok(());
    };
    let x_of = |d: NaiveDate| (d - start).num_days() as f64;
    let last = &bars[bars.len() - 1];
    let span = x_of(last.0) + last.1;
    let crosses_year = start.year() != last.0.year();
    let format = if crosses_year { "%b %d %Y" } else { "%b %d" };
    let ticks: Vec<(f64, String)> = bars
        .iter()
        .map(|(d, days, _)| (x_of(*d) + days / 2.0, d.format(format).to_string()))
        .collect();
    let window = day_window(-0.5, span + 0.5, 29.0);
    let window_days = window.end - window.start;
    // Months tick on month starts (years over a long span); weeks on each bar.
    let axis = if monthly {
        Axis::new(window, Ticks::Days(start))
    } else {
        Axis::new(window, Ticks::Fixed(ticks))
    };
    let top = bars
        .iter()
        .map(|(_, _, m)| m.iter().sum::<f64>())
        .fold(0.0, f64::max);
    // Headroom for the share written above the tallest bar.
    let top = if top > 0.0 { top * 1.12 } else { 60.0 };
    let mut c = single_chart(body, ui, axis, Axis::numbers(0.0..top))?;
    let n_x = ui.ticks_for(c.plotting_area().dim_in_pixel().0);
    draw_mesh(
        &mut c,
        ui,
        Some(if monthly { "month" } else { "week starting" }),
        if monthly {
            "minutes per month"
        } else {
            "minutes per week"
        },
        n_x,
        if monthly { 4 } else { 6 },
    )?;

    let area = c.plotting_area();
    let bar_days = bars.iter().map(|w| w.1).fold(f64::INFINITY, f64::min);
    let slot_px = f64::from(area.dim_in_pixel().0) * bar_days / window_days;
    // Below this a share would not be readable: the bars speak alone.
    let labelled = slot_px >= 18.0;
    // Narrow bars lose the space before "%" before the text gets any smaller.
    let (mut label_font, size) = fitted_font(root, "100 %", 17.0, slot_px * 0.9, ui)?;
    let compact = size < 11.0;
    if compact {
        label_font = fitted_font(root, "100%", 17.0, slot_px * 0.9, ui)?.0;
    }
    for (week, days, [below, inside, above]) in bars {
        let x = x_of(*week);
        let (x0, x1) = (x + days * 0.086, x + days * 0.914);
        let stack = [
            (0.0, *below, BELOW_BAND),
            (*below, below + inside, ACTIVE_RECOVERY),
            (below + inside, below + inside + above, HARD),
        ];
        for (y0, y1, colour) in stack {
            if y1 > y0 {
                area.draw(&Rectangle::new([(x0, y0), (x1, y1)], colour.filled()))?;
            }
        }
        let total = below + inside + above;
        if total > 0.0 && labelled {
            let pct = above / total * 100.0;
            let share = if compact {
                format!("{pct:.0}%")
            } else {
                format!("{pct:.0} %")
            };
            area.draw(
                &(EmptyElement::at((x + days / 2.0, total))
                    + Text::new(
                        share,
                        (0, -ui.pxi(4.0)),
                        label_font.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )),
            )?;
        }
    }
    Ok(())
}
