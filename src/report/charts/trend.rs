//! The trend chart: load by class, acute and chronic load, soreness and sleep, resting HR and HRV,
//! audit findings along the time axis.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;

use super::kit::*;

/// One calendar day of the period, for the trend chart. Days missing from the slice are gaps.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendDay {
    /// The athlete's local date.
    pub date: NaiveDate,
    /// The day's training load (TRIMP); 0 on a rest day.
    pub load: f64,
    /// The class of the day; [`DayClass::Rest`] draws no bar.
    pub class: DayClass,
    /// Journal soreness, 0–10.
    pub soreness: Option<f64>,
    /// Hours slept the night before.
    pub sleep_hours: Option<f64>,
    /// Resting heart rate in bpm.
    pub resting_hr: Option<f64>,
    /// Heart-rate variability in ms.
    pub hrv_ms: Option<f64>,
    /// Acute (short-window) load on that day, in TRIMP.
    pub acute: f64,
    /// Chronic (long-window) load on that day, in TRIMP.
    pub chronic: f64,
    /// Short names of the audit rules that fired on that day; each gets its own row of markers.
    pub findings: Vec<String>,
}

/// Writes `recovery_trend.png`: daily load by class, acute and chronic load, soreness and sleep,
/// resting HR and HRV when present, and audit findings along the time axis.
pub fn trend_chart(path: &Path, title: &str, days: &[TrendDay], style: &ChartStyle) -> Result<()> {
    write_png(path, style, |buf| render_trend(buf, style, title, days))
}

/// At most this many rows of audit findings; the rarer rules share an "other rules" row.
pub(super) const MAX_RULE_ROWS: usize = 6;

/// Beyond this many days the trend chart is weekly: daily bars would merge into a wall.
pub const WEEKLY_AFTER_DAYS: i64 = 365;

/// Beyond this many days (three years) even weeks merge: the bars become months, each the
/// month's mean week.
pub const MONTHLY_AFTER_DAYS: i64 = 3 * 365;

/// One bar slot of the load panel: a day, or a Monday–Sunday week past a year.
pub(super) struct Slot {
    /// Days after the first day of the chart where the slot starts.
    x: f64,
    /// Length in days (1 or 7).
    width: f64,
    /// The load by class, stacked in this order.
    parts: Vec<(DayClass, f64)>,
    soreness: Option<f64>,
    sleep: Option<f64>,
    resting_hr: Option<f64>,
    hrv: Option<f64>,
    /// Acute load (daily slots only: over a week it is the bar itself).
    acute: Option<f64>,
    chronic: f64,
}

fn mean(v: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let (n, sum) = v
        .flatten()
        .filter(|x| x.is_finite())
        .fold((0usize, 0.0), |(n, s), x| (n + 1, s + x));
    (n > 0).then(|| sum / n as f64)
}

/// How much time one bar of the trend chart covers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Bucket {
    Day,
    /// A Monday–Sunday week.
    Week,
    /// A calendar month, its load scaled to a mean week so the bars read like weekly ones.
    Month,
}

impl Bucket {
    fn for_span(days: i64) -> Bucket {
        if days > MONTHLY_AFTER_DAYS {
            Bucket::Month
        } else if days > WEEKLY_AFTER_DAYS {
            Bucket::Week
        } else {
            Bucket::Day
        }
    }

    fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Bucket::Day => d,
            Bucket::Week => monday_of(d),
            Bucket::Month => month_of(d),
        }
    }

    fn days(self, start: NaiveDate) -> f64 {
        match self {
            Bucket::Day => 1.0,
            Bucket::Week => 7.0,
            Bucket::Month => {
                (month_of(start + chrono::TimeDelta::days(32)) - start).num_days() as f64
            }
        }
    }
}

/// The slots of the chart: one per day, week or month.
pub(super) fn slots(days: &[&TrendDay], start: NaiveDate, bucket: Bucket) -> Vec<Slot> {
    let x_of = |d: NaiveDate| (d - start).num_days() as f64;
    if bucket == Bucket::Day {
        return days
            .iter()
            .map(|d| Slot {
                x: x_of(d.date) - 0.5,
                width: 1.0,
                parts: (d.class != DayClass::Rest)
                    .then(|| (d.class, finite(d.load).unwrap_or(0.0).max(0.0)))
                    .into_iter()
                    .collect(),
                soreness: d.soreness,
                sleep: d.sleep_hours,
                resting_hr: d.resting_hr,
                hrv: d.hrv_ms,
                acute: Some(d.acute),
                chronic: d.chronic,
            })
            .collect();
    }
    let mut groups: BTreeMap<NaiveDate, Vec<&TrendDay>> = BTreeMap::new();
    for d in days {
        groups.entry(bucket.start(d.date)).or_default().push(d);
    }
    groups
        .into_iter()
        .map(|(first, ds)| {
            let width = bucket.days(first);
            // Loads read per week whatever the bar covers; a bucket cut by the period's ends
            // counts only its days with data.
            let per_week = 7.0 / (ds.len() as f64).clamp(1.0, width);
            let mut parts = Vec::new();
            for class in CLASSES {
                let load: f64 = ds
                    .iter()
                    .filter(|d| d.class == class)
                    .filter_map(|d| finite(d.load))
                    .filter(|l| *l > 0.0)
                    .sum();
                if load > 0.0 {
                    parts.push((class, load * per_week));
                }
            }
            Slot {
                x: x_of(first),
                width,
                parts,
                soreness: mean(ds.iter().map(|d| d.soreness)),
                sleep: mean(ds.iter().map(|d| d.sleep_hours)),
                resting_hr: mean(ds.iter().map(|d| d.resting_hr)),
                hrv: mean(ds.iter().map(|d| d.hrv_ms)),
                acute: None,
                // The chronic load is a daily mean; seven of it is a week's worth, on the bars' scale.
                chronic: mean(ds.iter().map(|d| Some(d.chronic))).unwrap_or(0.0) * 7.0,
            }
        })
        .collect()
}

/// The classes that draw bars, in stacking order.
const CLASSES: [DayClass; 4] = [
    DayClass::Hard,
    DayClass::Easy,
    DayClass::ActiveRecovery,
    DayClass::Unknown,
];

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - chrono::TimeDelta::days(i64::from(d.weekday().num_days_from_monday()))
}

fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The panels a trend chart has, in order; the load is always there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Panel {
    Load,
    Journal,
    Heart,
    Findings,
}

/// Renders the trend chart into `buf` (RGB, `buffer_len(style)` bytes). See [`trend_chart`].
///
/// Up to a year it is daily: a bar per day coloured by its class, acute and chronic load,
/// and a row of markers per audit rule. Past a year it is weekly: the week's load as bars
/// stacked by class, the chronic load scaled to a week, weekly means of the journal and
/// heart values, and the number of findings per month. Panels with no data are left out.
pub fn render_trend(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    days: &[TrendDay],
) -> Result<()> {
    let ui = prepare(buf, style)?;
    if days.is_empty() {
        return Err(nothing("trend", "no days in the period"));
    }
    let mut days: Vec<&TrendDay> = days.iter().collect();
    days.sort_by_key(|d| d.date);
    let first = days[0].date;
    let last = days[days.len() - 1].date;
    let bucket = Bucket::for_span((last - first).num_days());
    let weekly = bucket != Bucket::Day;
    let start = bucket.start(first);
    let x_of = |d: NaiveDate| (d - start).num_days() as f64;
    let slots = slots(&days, start, bucket);
    let (lo, hi) = if weekly {
        let end = bucket.start(last);
        (0.0, x_of(end) + bucket.days(end))
    } else {
        (-0.6, x_of(last) + 0.6)
    };
    let axis = Axis::new(day_window(lo, hi, 7.0), Ticks::Days(start));

    let load_max = slots
        .iter()
        .flat_map(|s| {
            [
                s.parts.iter().map(|p| p.1).sum::<f64>(),
                s.acute.unwrap_or(0.0),
                s.chronic,
            ]
        })
        .filter_map(finite)
        .fold(0.0, f64::max);
    let load_top = if load_max > 0.0 {
        load_max * 1.08
    } else {
        10.0
    };
    let has = |f: &dyn Fn(&Slot) -> Option<f64>| slots.iter().any(|s| finite_opt(f(s)).is_some());
    let has_soreness = has(&|s| s.soreness);
    let has_sleep = has(&|s| s.sleep);
    let has_rhr = has(&|s| s.resting_hr);
    let has_hrv = has(&|s| s.hrv);
    let sleep_top = slots
        .iter()
        .filter_map(|s| finite_opt(s.sleep))
        .fold(12.0, f64::max)
        .min(24.0);
    let rules = if weekly { Vec::new() } else { rule_rows(&days) };
    let mut per_month: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    if weekly {
        for d in &days {
            let n = d.findings.iter().filter(|f| !f.trim().is_empty()).count();
            if n > 0 {
                *per_month.entry(month_of(d.date)).or_default() += n;
            }
        }
    }
    let mut kinds = vec![Panel::Load];
    if has_soreness || has_sleep {
        kinds.push(Panel::Journal);
    }
    if has_rhr || has_hrv {
        kinds.push(Panel::Heart);
    }
    if !rules.is_empty() || !per_month.is_empty() {
        kinds.push(Panel::Findings);
    }

    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;

    let mut legend = Vec::new();
    for class in CLASSES {
        if days.iter().any(|d| d.class == class) {
            legend.push(entry(Swatch::Bar(class.colour()), class.label()));
        }
    }
    if weekly {
        legend.push(entry(
            Swatch::TextOnly,
            if bucket == Bucket::Month {
                "bars: the month's mean week, by class"
            } else {
                "bars: the week's load by class"
            },
        ));
        legend.push(entry(Swatch::Line(CHRONIC), "chronic load × 7"));
    } else {
        legend.push(entry(Swatch::Empty, "no bar: rest day"));
        legend.push(entry(Swatch::Line(ACUTE), "acute load"));
        legend.push(entry(Swatch::Line(CHRONIC), "chronic load"));
    }
    let mean_of = match bucket {
        Bucket::Day => "",
        Bucket::Week => "weekly mean ",
        Bucket::Month => "monthly mean ",
    };
    if has_soreness {
        legend.push(entry(Swatch::Line(SORENESS), format!("{mean_of}soreness")));
    }
    if has_sleep {
        legend.push(entry(Swatch::Line(SLEEP), format!("{mean_of}sleep")));
    }
    if has_rhr {
        legend.push(entry(Swatch::Line(CHRONIC), format!("{mean_of}resting HR")));
    }
    if has_hrv {
        legend.push(entry(Swatch::Dashed(CHRONIC), format!("{mean_of}HRV")));
    }
    if !rules.is_empty() {
        legend.push(entry(Swatch::Marker(CHRONIC), "audit finding"));
    }
    if !per_month.is_empty() {
        legend.push(entry(Swatch::Bar(UNKNOWN), "audit findings per month"));
    }
    let body = draw_legend(&body, &legend, &ui)?;

    // Panels share the x axis; only the bottom one carries the date labels.
    let (body_w, body_h) = body.dim_in_pixel();
    let bottom_h = ui.px(54.0);
    let row_h = ui.px(22.0);
    let strip_h = if !rules.is_empty() {
        // Two rows at least, so a lone row still has room for its markers.
        rules.len().max(2) as u32 * row_h + ui.px(20.0)
    } else if !per_month.is_empty() {
        ui.px(130.0)
    } else {
        0
    };
    let frame = PanelFrame {
        left: rule_label_width(&body, &rules, &ui)?.max(ui.px(96.0)),
        right: ui.px(80.0),
        bottom: bottom_h,
    };
    let plots_h = body_h
        .saturating_sub(bottom_h + strip_h + ui.px(12.0))
        .max(30);
    let weight = |k: Panel| match k {
        Panel::Load => 1.0,
        Panel::Journal => 0.62,
        Panel::Heart => 0.45,
        Panel::Findings => 0.0,
    };
    let total: f64 = kinds.iter().map(|k| weight(*k)).sum();
    let n_x = ui.ticks_for(body_w.saturating_sub(frame.left + frame.right));

    let mut rest = body;
    let mut panels: Vec<Area<'_>> = Vec::new();
    let count = kinds.len();
    for (i, k) in kinds.iter().enumerate() {
        if *k == Panel::Findings {
            panels.push(rest.clone());
            break;
        }
        let mut h = (plots_h as f64 * weight(*k) / total) as u32;
        if i + 1 == count {
            h += bottom_h;
        }
        let (top, below) = rest.split_vertically(h.min(rest.dim_in_pixel().1));
        panels.push(top);
        rest = below;
    }
    let is_last = |i: usize| i + 1 == count;
    let x_desc = |i: usize| is_last(i).then_some(if weekly { "" } else { "date" });
    let centre = |s: &Slot| s.x + s.width / 2.0;
    // Lines join neighbouring slots only: a missing day, week or month is a gap.
    let join = match bucket {
        Bucket::Day => 1.0,
        Bucket::Week => 7.0,
        Bucket::Month => 31.0,
    };

    for (i, kind) in kinds.iter().enumerate() {
        match kind {
            Panel::Load => {
                let y = Axis::numbers(0.0..load_top);
                let mut c = panel_chart(&panels[i], &ui, &frame, &axis, y, false, is_last(i))?;
                let desc = if weekly {
                    "load per week (TRIMP)"
                } else {
                    "load (TRIMP)"
                };
                draw_mesh(&mut c, &ui, x_desc(i), desc, n_x, 5)?;
                let area = c.plotting_area();
                let pad = match bucket {
                    Bucket::Day => 0.1,
                    Bucket::Week => 0.7,
                    Bucket::Month => 3.0,
                };
                for s in &slots {
                    let mut y0 = 0.0;
                    for &(class, load) in &s.parts {
                        if load <= 0.0 {
                            continue;
                        }
                        area.draw(&Rectangle::new(
                            [(s.x + pad, y0), (s.x + s.width - pad, y0 + load)],
                            class.colour().filled(),
                        ))?;
                        y0 += load;
                    }
                }
                let chronic = runs(slots.iter().map(|s| (centre(s), Some(s.chronic))), join);
                draw_runs(area, &chronic, ui.stroke(CHRONIC, 2.5), None, ui.px(3.0))?;
                if !weekly {
                    let acute = runs(slots.iter().map(|s| (centre(s), s.acute)), join);
                    draw_runs(area, &acute, ui.stroke(ACUTE, 2.5), None, ui.px(3.0))?;
                }
            }
            Panel::Journal => {
                // Soreness on the left axis, sleep on the right.
                let y = Axis::numbers(0.0..10.5);
                let c = panel_chart(&panels[i], &ui, &frame, &axis, y, true, is_last(i))?;
                let mut c = c.set_secondary_coord(axis.clone(), Axis::numbers(0.0..sleep_top));
                draw_mesh(&mut c, &ui, x_desc(i), "soreness (0–10)", n_x, 6)?;
                // Seven labels put sleep on whole even hours (0, 2, … 12) rather than 2.5 h steps.
                draw_secondary_mesh(&mut c, &ui, "sleep (h)", 7)?;
                let sleep = runs(slots.iter().map(|s| (centre(s), s.sleep)), join);
                let sore = runs(slots.iter().map(|s| (centre(s), s.soreness)), join);
                draw_runs(
                    c.secondary_plotting_area(),
                    &sleep,
                    ui.stroke(SLEEP, 2.5),
                    None,
                    ui.px(3.0),
                )?;
                draw_runs(
                    c.plotting_area(),
                    &sore,
                    ui.stroke(SORENESS, 2.5),
                    None,
                    ui.px(3.0),
                )?;
                // Dots on each slot help read values, until they are so close they merge.
                let (plot_x, _) = c.plotting_area().get_pixel_range();
                let px_per_slot = f64::from(plot_x.end - plot_x.start) / (axis.hi - axis.lo) * join;
                let sets = [
                    (&sleep, SLEEP, c.secondary_plotting_area()),
                    (&sore, SORENESS, c.plotting_area()),
                ];
                for (runs, colour, area) in sets.into_iter().filter(|_| px_per_slot >= 9.0) {
                    for &p in runs.iter().flatten() {
                        area.draw(&Circle::new(p, ui.px(3.5), colour.filled()))?;
                    }
                }
            }
            Panel::Heart => {
                // Resting HR (bpm) left, HRV (ms) right, thinner: context, not the story.
                let rhr = padded_range(
                    slots.iter().filter_map(|s| finite_opt(s.resting_hr)),
                    0.1,
                    40.0..70.0,
                );
                let hrv = padded_range(
                    slots.iter().filter_map(|s| finite_opt(s.hrv)),
                    0.1,
                    20.0..100.0,
                );
                let c = panel_chart(
                    &panels[i],
                    &ui,
                    &frame,
                    &axis,
                    Axis::numbers(rhr),
                    has_hrv,
                    is_last(i),
                )?;
                let mut c = c.set_secondary_coord(axis.clone(), Axis::numbers(hrv));
                let left = if has_rhr { "resting HR (bpm)" } else { "" };
                draw_mesh(&mut c, &ui, x_desc(i), left, n_x, 4)?;
                if has_hrv {
                    draw_secondary_mesh(&mut c, &ui, "HRV (ms)", 4)?;
                }
                let rhr = runs(slots.iter().map(|s| (centre(s), s.resting_hr)), join);
                let hrv = runs(slots.iter().map(|s| (centre(s), s.hrv)), join);
                draw_runs(
                    c.plotting_area(),
                    &rhr,
                    ui.stroke(CHRONIC, 1.0),
                    None,
                    ui.px(2.5),
                )?;
                draw_runs(
                    c.secondary_plotting_area(),
                    &hrv,
                    ui.stroke(CHRONIC, 1.0),
                    Some((ui.px(8.0), ui.px(5.0))),
                    ui.px(2.5),
                )?;
            }
            Panel::Findings if weekly => {
                let top = per_month.values().copied().max().unwrap_or(1) as f64 * 1.1;
                let y = Axis::numbers(0.0..top.max(1.0));
                let mut c = panel_chart(&panels[i], &ui, &frame, &axis, y, false, true)?;
                draw_mesh(&mut c, &ui, Some(""), "findings / month", n_x, 3)?;
                let area = c.plotting_area();
                for (month, n) in &per_month {
                    let next = month_of(*month + chrono::TimeDelta::days(32));
                    area.draw(&Rectangle::new(
                        [(x_of(*month) + 1.0, 0.0), (x_of(next) - 1.0, *n as f64)],
                        UNKNOWN.filled(),
                    ))?;
                }
            }
            Panel::Findings => {
                // One row per rule, a marker on each day it fired.
                let labels: Vec<(f64, String)> = rules
                    .iter()
                    .enumerate()
                    .map(|(row, name)| ((rules.len() - row) as f64 - 0.5, name.clone()))
                    .collect();
                let y = Axis::new(0.0..rules.len() as f64, Ticks::Fixed(labels.clone()));
                let mut c = panel_chart(&panels[i], &ui, &frame, &axis, y, false, true)?;
                // The rule names are the row labels, so the axis needs no description of its own.
                draw_mesh(&mut c, &ui, Some("date"), "", n_x, rules.len())?;
                let area = c.plotting_area();
                for d in &days {
                    for row in finding_rows(d, &rules) {
                        let Some((y, _)) = labels.get(row) else {
                            continue;
                        };
                        area.draw(&TriangleMarker::new(
                            (x_of(d.date), *y),
                            ui.px(7.0),
                            CHRONIC.filled(),
                        ))?;
                    }
                }
            }
        }
    }

    root.present()?;
    Ok(())
}

/// How a trend panel sits in the stack.
pub(super) struct PanelFrame {
    /// Width of the left label area, the same for every panel so the plots line up.
    left: u32,
    /// Width of the right label area, kept as margin when the panel has no secondary axis.
    right: u32,
    /// Height of the date labels under the bottom panel.
    bottom: u32,
}

/// A trend panel. Without a secondary axis the right label area stays empty margin: plotters
/// would otherwise repeat the left labels there.
pub(super) fn panel_chart<'a, 'b>(
    area: &'a Area<'b>,
    ui: &Ui,
    frame: &PanelFrame,
    x: &Axis,
    y: Axis,
    secondary: bool,
    last: bool,
) -> Result<Chart<'a, 'b>> {
    let margin = ui.px(16.0);
    let (right_area, right_margin) = if secondary {
        (frame.right, margin)
    } else {
        (0, margin + frame.right)
    };
    Ok(ChartBuilder::on(area)
        .margin_top(ui.px(14.0))
        .margin_right(right_margin)
        .margin_left(margin)
        .x_label_area_size(if last { frame.bottom } else { 0 })
        .y_label_area_size(frame.left)
        .right_y_label_area_size(right_area)
        .build_cartesian_2d(x.clone(), y)?)
}

/// The rule names that get their own row: most frequent first, the rest pooled as "other rules".
pub(super) fn rule_rows(days: &[&TrendDay]) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in days {
        for f in &d.findings {
            let f = f.trim();
            if !f.is_empty() {
                *counts.entry(f).or_default() += 1;
            }
        }
    }
    let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
    // BTreeMap order breaks ties by name, so the layout is the same on every run.
    by_count.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
    let mut rows: Vec<String> = by_count.iter().map(|(n, _)| n.to_string()).collect();
    if rows.len() > MAX_RULE_ROWS {
        rows.truncate(MAX_RULE_ROWS - 1);
        rows.push("other rules".to_string());
    }
    rows
}

pub(super) fn finding_rows(day: &TrendDay, rules: &[String]) -> Vec<usize> {
    let mut rows: Vec<usize> = day
        .findings
        .iter()
        .filter(|f| !f.trim().is_empty())
        .map(|f| {
            rules
                .iter()
                .position(|r| r == f.trim())
                .unwrap_or(rules.len().saturating_sub(1))
        })
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}

/// The left label area must fit the longest rule name, up to a quarter of the width.
pub(super) fn rule_label_width(area: &Area<'_>, rules: &[String], ui: &Ui) -> Result<u32> {
    let font = ui.text(15.0);
    let mut widest = 0;
    for r in rules {
        widest = widest.max(area.estimate_text_size(r, &font)?.0);
    }
    Ok((widest + ui.px(24.0)).min(area.dim_in_pixel().0 / 4))
}
