//! Were the easy days easy: minutes above the band of every session meant to be easy.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use chrono::{Datelike, NaiveDate, TimeDelta};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::kit::*;

/// One session that was meant to be easy.
#[derive(Debug, Clone, PartialEq)]
pub struct EasySession {
    /// The athlete's local date of the session.
    pub date: NaiveDate,
    /// A short extra word shown after the date on sessions that broke the limit (e.g. the
    /// sport); may be empty.
    pub label: String,
    /// Minutes above the band.
    pub above_min: f64,
    /// Whether the session broke the easy limit (decided by the caller's rule, not redrawn here).
    pub broke_limit: bool,
}

/// Writes `easy_days.png`: minutes above the band for every session meant to be easy, the easy
/// limit as a line, and the sessions that broke it in the hard colour, labelled with their date.
pub fn easy_days_chart(
    path: &Path,
    title: &str,
    sessions: &[EasySession],
    limit_min: f64,
    style: &ChartStyle,
) -> Result<()> {
    write_png(path, style, |buf| {
        render_easy_days(buf, style, title, sessions, limit_min)
    })
}

/// Renders the easy-days chart into `buf`. See [`easy_days_chart`].
///
/// Up to a year: a bar per session. Past a year: the sessions counted per month on top,
/// and the last 12 weeks' sessions in detail below.
pub fn render_easy_days(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    sessions: &[EasySession],
    limit_min: f64,
) -> Result<()> {
    let ui = prepare(buf, style)?;
    if sessions.is_empty() {
        return Err(nothing("easy days", "no easy sessions"));
    }
    let mut sessions: Vec<&EasySession> = sessions.iter().collect();
    sessions.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.label.cmp(&b.label)));
    let first = sessions[0].date;
    let last = sessions[sessions.len() - 1].date;
    let long = (last - first).num_days() > MONTHLY_AFTER_DAYS;
    let limit = finite(limit_min).filter(|l| *l >= 0.0);

    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;
    let mut legend = vec![
        entry(Swatch::Bar(EASY), "easy session within the limit"),
        entry(
            Swatch::Bar(HARD),
            "broke the limit (labelled with its date)",
        ),
    ];
    if let Some(l) = limit {
        legend.push(entry(
            Swatch::Dashed(CHRONIC),
            format!("easy limit: {} min above the band", format_number(l)),
        ));
    }
    if long {
        legend.push(entry(
            Swatch::TextOnly,
            "top: sessions per month; below: the last 12 weeks",
        ));
    }
    let body = draw_legend(&body, &legend, &ui)?;
    if long {
        let h = body.dim_in_pixel().1;
        let (top, bottom) = body.split_vertically(h * 11 / 20);
        draw_months(&top, &sessions, &ui)?;
        let from = last - TimeDelta::days(RECENT_EASY_DAYS - 1);
        let recent: Vec<&EasySession> = sessions
            .iter()
            .copied()
            .filter(|s| s.date >= from)
            .collect();
        draw_detail(&root, &bottom, &recent, limit, from, &ui)?;
    } else {
        draw_detail(&root, &body, &sessions, limit, first, &ui)?;
    }
    root.present()?;
    Ok(())
}

/// How many days the detail under the monthly counts covers.
const RECENT_EASY_DAYS: i64 = 84;

/// A bar per session from `start`: minutes above the band, the limit as a dashed line, the
/// ones that broke it labelled with their date (drawn on `root`, in its pixels).
fn draw_detail(
    root: &Area<'_>,
    body: &Area<'_>,
    sessions: &[&EasySession],
    limit: Option<f64>,
    start: NaiveDate,
    ui: &Ui,
) -> Result<()> {
    let x_of = |d: NaiveDate| (d - start).num_days() as f64;
    let span = sessions.last().map_or(7.0, |s| x_of(s.date));
    let axis = Axis::new(day_window(-0.6, span + 0.6, 7.0), Ticks::Days(start));
    let above = |s: &EasySession| finite(s.above_min).filter(|m| *m > 0.0).unwrap_or(0.0);
    let top = sessions
        .iter()
        .map(|s| above(s))
        .chain(limit)
        .fold(0.0, f64::max);
    // Headroom for the date labels over the tallest bars.
    let top = if top > 0.0 { top * 1.3 } else { 10.0 };
    let mut c = single_chart(body, ui, axis, Axis::numbers(0.0..top))?;
    let n_x = ui.ticks_for(c.plotting_area().dim_in_pixel().0);
    draw_mesh(&mut c, ui, Some("date"), "minutes above the band", n_x, 6)?;

    // Several sessions on one day share the day's slot side by side.
    let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for s in sessions {
        *per_day.entry(s.date).or_default() += 1;
    }
    let mut seen: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let mut breakers = Vec::new();
    {
        let area = c.plotting_area();
        for s in sessions {
            let k = per_day.get(&s.date).copied().unwrap_or(1) as f64;
            let i = seen.entry(s.date).or_default();
            let width = 0.8 / k;
            let x0 = x_of(s.date) - 0.4 + width * *i as f64;
            *i += 1;
            let colour = if s.broke_limit { HARD } else { EASY };
            let m = above(s);
            // A session with no minute above the band still shows, as a sliver on the axis.
            let h = m.max(top * 0.012);
            area.draw(&Rectangle::new(
                [(x0 + width * 0.06, 0.0), (x0 + width * 0.94, h)],
                colour.filled(),
            ))?;
            if s.broke_limit {
                breakers.push((x0 + width / 2.0, m, s));
            }
        }
        if let Some(l) = limit {
            let x = c.x_range();
            area.draw(&DashedPathElement::new(
                [(x.start, l), (x.end, l)],
                ui.px(10.0),
                ui.px(6.0),
                ui.stroke(CHRONIC, 2.0),
            ))?;
        }
    }

    // Date labels over the bars that broke the limit, lifted a row when they would collide.
    let font = ui.text(15.0);
    let line_h = ui.pxi(19.0);
    let mut taken: Vec<(i32, i32, i32, i32)> = Vec::new();
    let (plot_x, plot_y) = c.plotting_area().get_pixel_range();
    for (x, m, s) in breakers {
        let text = if s.label.trim().is_empty() {
            s.date.format("%b %d").to_string()
        } else {
            format!("{} {}", s.date.format("%b %d"), s.label.trim())
        };
        let (w, _) = root.estimate_text_size(&text, &font)?;
        let (px, py) = c.backend_coord(&(x, m));
        // Labels near the ends are pushed inward rather than cut off by the axis.
        let half = w as i32 / 2 + 2;
        let px = px.clamp(
            plot_x.start + half,
            (plot_x.end - half).max(plot_x.start + half),
        );
        let (x0, x1) = (px - half, px + half);
        let mut bottom = py - ui.pxi(4.0);
        while taken
            .iter()
            .any(|&(a0, a1, b0, b1)| x0 < a1 && a0 < x1 && bottom - line_h < b1 && b0 < bottom)
            && bottom - line_h > plot_y.start
        {
            bottom -= line_h;
        }
        taken.push((x0, x1, bottom - line_h, bottom));
        root.draw(&Text::new(
            text,
            (px, bottom),
            font.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
    }
    Ok(())
}

/// Beyond this many days the chart counts sessions per month: one bar per session would
/// merge into a wall.
pub const MONTHLY_AFTER_DAYS: i64 = 365;

/// Past a year: per month, the sessions meant to be easy that stayed within the limit and
/// the ones that broke it, stacked.
fn draw_months(body: &Area<'_>, sessions: &[&EasySession], ui: &Ui) -> Result<()> {
    let month_of = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let mut months: BTreeMap<NaiveDate, (usize, usize)> = BTreeMap::new();
    for s in sessions {
        let e = months.entry(month_of(s.date)).or_default();
        if s.broke_limit {
            e.1 += 1;
        } else {
            e.0 += 1;
        }
    }
    let Some(&start) = months.keys().next() else {
        return Ok(());
    };
    let last = *months.keys().next_back().unwrap_or(&start);
    let x_of = |d: NaiveDate| (d - start).num_days() as f64;
    let next_month = |d: NaiveDate| month_of(d + TimeDelta::days(32));
    let axis = Axis::new(0.0..x_of(next_month(last)), Ticks::Days(start));
    let top = months
        .values()
        .map(|(a, b)| (a + b) as f64)
        .fold(0.0, f64::max)
        * 1.1;
    let mut c = single_chart(body, ui, axis, Axis::numbers(0.0..top.max(1.0)))?;
    let n_x = ui.ticks_for(c.plotting_area().dim_in_pixel().0);
    draw_mesh(&mut c, ui, None, "sessions per month", n_x, 4)?;
    let area = c.plotting_area();
    for (month, (kept, broke)) in &months {
        let (x0, x1) = (x_of(*month) + 2.0, x_of(next_month(*month)) - 2.0);
        let (kept, broke) = (*kept as f64, *broke as f64);
        if kept > 0.0 {
            area.draw(&Rectangle::new([(x0, 0.0), (x1, kept)], EASY.filled()))?;
        }
        if broke > 0.0 {
            area.draw(&Rectangle::new(
                [(x0, kept), (x1, kept + broke)],
                HARD.filled(),
            ))?;
        }
    }
    Ok(())
}
