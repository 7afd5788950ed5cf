//! Readiness against the athlete's own baselines: HRV (ln of the metric named, e.g. rMSSD)
//! as daily dots with its 7-day mean and the shaded normal band; resting heart rate over its
//! baseline band; sleep debt as bars; the mornings whose advice a readiness rule lowered
//! shaded across all three panels. Over more than a year, each point is a week's mean.

use std::path::Path;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::kit::*;
use super::trend::WEEKLY_AFTER_DAYS;

/// One day's readiness figures (missing values are gaps).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadinessDay {
    pub date: NaiveDate,
    /// ln of the day's HRV.
    pub hrv_ln: Option<f64>,
    pub hrv_ln_7d: Option<f64>,
    pub band_low: Option<f64>,
    pub band_high: Option<f64>,
    pub resting_hr: Option<f64>,
    pub rhr_baseline: Option<f64>,
    pub rhr_sd: Option<f64>,
    pub sleep_debt_h: Option<f64>,
    /// A readiness rule lowered that morning's advice.
    pub lowered: bool,
}

/// Writes `readiness.png`.
pub fn readiness_chart(
    path: &Path,
    title: &str,
    days: &[ReadinessDay],
    metric: &str,
    debt_limit: f64,
    style: &ChartStyle,
) -> Result<()> {
    write_png(path, style, |buf| {
        render_readiness(buf, style, title, days, metric, debt_limit)
    })
}

fn mean(v: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let xs: Vec<f64> = v.filter_map(finite_opt).collect();
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Days into Monday–Sunday weeks of means (a week is lowered when any of its days was).
fn weekly(days: &[ReadinessDay]) -> Vec<ReadinessDay> {
    let mut out: Vec<ReadinessDay> = Vec::new();
    let mut group: Vec<&ReadinessDay> = Vec::new();
    let monday =
        |d: NaiveDate| d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64);
    let flush = |group: &mut Vec<&ReadinessDay>, out: &mut Vec<ReadinessDay>| {
        if let Some(first) = group.first() {
            let m = |f: fn(&ReadinessDay) -> Option<f64>| mean(group.iter().map(|d| f(d)));
            out.push(ReadinessDay {
                date: monday(first.date) + chrono::Duration::days(3),
                hrv_ln: m(|d| d.hrv_ln),
                hrv_ln_7d: m(|d| d.hrv_ln_7d),
                band_low: m(|d| d.band_low),
                band_high: m(|d| d.band_high),
                resting_hr: m(|d| d.resting_hr),
                rhr_baseline: m(|d| d.rhr_baseline),
                rhr_sd: m(|d| d.rhr_sd),
                sleep_debt_h: m(|d| d.sleep_debt_h),
                lowered: group.iter().any(|d| d.lowered),
            });
        }
        group.clear();
    };
    for d in days {
        if group
            .first()
            .is_some_and(|g| monday(g.date) != monday(d.date))
        {
            flush(&mut group, &mut out);
        }
        group.push(d);
    }
    flush(&mut group, &mut out);
    out
}

/// Renders the readiness chart into `buf`. See [`readiness_chart`].
pub fn render_readiness(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    days: &[ReadinessDay],
    metric: &str,
    debt_limit: f64,
) -> Result<()> {
    let ui = prepare(buf, style)?;
    let any = |f: fn(&ReadinessDay) -> Option<f64>| days.iter().any(|d| finite_opt(f(d)).is_some());
    if days.is_empty() || !(any(|d| d.hrv_ln) || any(|d| d.resting_hr) || any(|d| d.sleep_debt_h)) {
        return Err(nothing(
            "readiness",
            "there is no HRV, resting heart rate or sleep to judge readiness by",
        ));
    }
    let span = (days[days.len() - 1].date - days[0].date).num_days();
    let weekly_view = span > WEEKLY_AFTER_DAYS;
    let owned;
    let (pts, step) = if weekly_view {
        owned = weekly(days);
        (owned.as_slice(), 7.0)
    } else {
        (days, 1.0)
    };
    let start = days[0].date;
    let x_of = |d: NaiveDate| (d - start).num_days() as f64;
    let (lo, hi) = (
        x_of(pts[0].date) - step / 2.0,
        x_of(pts[pts.len() - 1].date) + step / 2.0,
    );
    let x_axis = || Axis::new(day_window(lo, hi, 7.0), Ticks::Days(start));

    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;
    let per = if weekly_view { "weekly mean of " } else { "" };
    let body = draw_legend(
        &body,
        &[
            entry(Swatch::Dot(CHRONIC), format!("{per}ln {metric}")),
            entry(Swatch::Line(CHRONIC), "7-day mean"),
            entry(
                Swatch::Shade(ACTIVE_RECOVERY, 0.35),
                "normal band (60-day mean ± 0.5 SD)",
            ),
            entry(Swatch::Dot(SORENESS), "resting HR"),
            entry(Swatch::Shade(SORENESS, 0.25), "resting-HR baseline ± 1 SD"),
            entry(Swatch::Bar(SLEEP), "sleep debt, last 7 nights"),
            entry(
                Swatch::Shade(HARD, 0.18),
                "advice lowered by HRV, resting HR or sleep debt",
            ),
        ],
        &ui,
    )?;
    let h = body.dim_in_pixel().1;
    let (top, rest) = body.split_vertically(h * 42 / 100);
    let (mid, bottom) = rest.split_vertically(h * 30 / 100);
    let n_x = ui.ticks_for(style.width.saturating_sub(ui.px(140.0)));

    let shade_lowered = |c: &Chart<'_, '_>| -> Result<()> {
        let y = c.y_range();
        for p in pts.iter().filter(|p| p.lowered) {
            let x = x_of(p.date);
            c.plotting_area().draw(&Rectangle::new(
                [(x - step / 2.0, y.start), (x + step / 2.0, y.end)],
                HARD.mix(0.18).filled(),
            ))?;
        }
        Ok(())
    };

    // HRV.
    let hrv_values = pts
        .iter()
        .flat_map(|p| [p.hrv_ln, p.hrv_ln_7d, p.band_low, p.band_high]);
    let hrv_range = padded_range(hrv_values.filter_map(finite_opt), 0.05, 3.5..4.5);
    let mut c = single_chart(&top, &ui, x_axis(), Axis::numbers(hrv_range))?;
    draw_mesh(&mut c, &ui, None, &format!("ln {metric} (ln ms)"), n_x, 5)?;
    shade_lowered(&c)?;
    for p in pts {
        if let (Some(l), Some(h)) = (finite_opt(p.band_low), finite_opt(p.band_high)) {
            let x = x_of(p.date);
            c.plotting_area().draw(&Rectangle::new(
                [(x - step / 2.0, l), (x + step / 2.0, h)],
                ACTIVE_RECOVERY.mix(0.35).filled(),
            ))?;
        }
    }
    let mean_line = runs(pts.iter().map(|p| (x_of(p.date), p.hrv_ln_7d)), step * 1.5);
    draw_runs(
        c.plotting_area(),
        &mean_line,
        ui.stroke(CHRONIC, 3.0),
        None,
        ui.px(4.0),
    )?;
    for p in pts {
        if let Some(v) = finite_opt(p.hrv_ln) {
            c.plotting_area().draw(&Circle::new(
                (x_of(p.date), v),
                ui.px(4.0),
                CHRONIC.filled(),
            ))?;
        }
    }
    if !pts.iter().any(|p| finite_opt(p.hrv_ln).is_some()) {
        draw_no_data(&c, &ui)?;
    }

    // Resting HR.
    let rhr_values = pts.iter().flat_map(|p| {
        let band = match (p.rhr_baseline, p.rhr_sd) {
            (Some(m), Some(s)) => [Some(m - s), Some(m + s)],
            _ => [None, None],
        };
        [p.resting_hr, band[0], band[1]]
    });
    let rhr_range = padded_range(rhr_values.filter_map(finite_opt), 0.1, 40.0..70.0);
    let mut c = single_chart(&mid, &ui, x_axis(), Axis::numbers(rhr_range))?;
    draw_mesh(&mut c, &ui, None, "resting HR (bpm)", n_x, 4)?;
    shade_lowered(&c)?;
    for p in pts {
        if let (Some(m), Some(s)) = (finite_opt(p.rhr_baseline), finite_opt(p.rhr_sd)) {
            let x = x_of(p.date);
            c.plotting_area().draw(&Rectangle::new(
                [(x - step / 2.0, m - s), (x + step / 2.0, m + s)],
                SORENESS.mix(0.25).filled(),
            ))?;
        }
    }
    for p in pts {
        if let Some(v) = finite_opt(p.resting_hr) {
            c.plotting_area().draw(&Circle::new(
                (x_of(p.date), v),
                ui.px(4.0),
                SORENESS.filled(),
            ))?;
        }
    }
    if !pts.iter().any(|p| finite_opt(p.resting_hr).is_some()) {
        draw_no_data(&c, &ui)?;
    }

    // Sleep debt.
    let top_debt = pts
        .iter()
        .filter_map(|p| finite_opt(p.sleep_debt_h))
        .fold(debt_limit, f64::max);
    let mut c = single_chart(&bottom, &ui, x_axis(), Axis::numbers(0.0..top_debt * 1.15))?;
    draw_mesh(&mut c, &ui, None, "sleep debt (h)", n_x, 4)?;
    shade_lowered(&c)?;
    for p in pts {
        if let Some(v) = finite_opt(p.sleep_debt_h) {
            let x = x_of(p.date);
            c.plotting_area().draw(&Rectangle::new(
                [(x - step * 0.4, 0.0), (x + step * 0.4, v.max(0.0))],
                SLEEP.filled(),
            ))?;
        }
    }
    c.plotting_area().draw(&DashedPathElement::new(
        [(lo, debt_limit), (hi, debt_limit)],
        ui.px(10.0),
        ui.px(6.0),
        ui.stroke(AXIS, 2.0),
    ))?;
    if !pts.iter().any(|p| finite_opt(p.sleep_debt_h).is_some()) {
        draw_no_data(&c, &ui)?;
    }
    root.present()?;
    Ok(())
}
