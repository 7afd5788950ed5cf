//! The week ahead: a strip of days coloured by the plan's word, with the soreness the plan
//! expects each morning drawn over it and the sore level marked.

use std::path::Path;

use anyhow::Result;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::kit::*;

/// One planned day.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanChartDay {
    /// Tick label, e.g. "Tue 11-10".
    pub label: String,
    /// `rest`, `active_recovery`, `easy` or `hard_ok`.
    pub word: &'static str,
    /// Expected (or, on day one, logged) soreness that morning.
    pub soreness: Option<f64>,
    /// The longest session that fits, minutes.
    pub max_minutes: Option<f64>,
}

fn colour(word: &str) -> RGBColor {
    match word {
        "hard_ok" => HARD,
        "easy" => EASY,
        "active_recovery" => ACTIVE_RECOVERY,
        _ => BELOW_BAND,
    }
}

fn words(word: &str) -> &'static str {
    match word {
        "hard_ok" => "HARD OK",
        "easy" => "EASY",
        "active_recovery" => "RECOVERY",
        _ => "REST",
    }
}

/// Writes `plan.png`.
pub fn plan_chart(
    path: &Path,
    title: &str,
    days: &[PlanChartDay],
    sore_level: f64,
    style: &ChartStyle,
) -> Result<()> {
    write_png(path, style, |buf| {
        render_plan(buf, style, title, days, sore_level)
    })
}

/// Renders the plan chart into `buf`. See [`plan_chart`].
pub fn render_plan(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    days: &[PlanChartDay],
    sore_level: f64,
) -> Result<()> {
    let ui = prepare(buf, style)?;
    if days.is_empty() {
        return Err(nothing("plan", "there is no day to plan from"));
    }
    let n = days.len() as f64;
    let ticks = days
        .iter()
        .enumerate()
        .map(|(i, d)| (i as f64, d.label.clone()))
        .collect();
    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;
    let body = draw_legend(
        &body,
        &[
            entry(Swatch::Bar(HARD), "hard OK"),
            entry(Swatch::Bar(EASY), "easy"),
            entry(Swatch::Bar(ACTIVE_RECOVERY), "active recovery"),
            entry(Swatch::Bar(BELOW_BAND), "rest"),
            entry(Swatch::Line(SORENESS), "expected soreness"),
            entry(
                Swatch::Dashed(AXIS),
                format!("sore level ({sore_level:.0}): no hard day"),
            ),
        ],
        &ui,
    )?;
    let mut c = ChartBuilder::on(&body)
        .margin_top(ui.px(8.0))
        .margin_right(ui.px(32.0))
        .margin_left(ui.px(16.0))
        .margin_bottom(ui.px(8.0))
        .x_label_area_size(ui.px(70.0))
        .y_label_area_size(ui.px(96.0))
        .build_cartesian_2d(
            Axis::new(-0.5..n - 0.5, Ticks::Fixed(ticks)),
            Axis::numbers(0.0..10.5),
        )?;
    draw_mesh(&mut c, &ui, None, "soreness (0–10)", days.len(), 6)?;
    let area = c.plotting_area();
    for (i, d) in days.iter().enumerate() {
        let x = i as f64;
        area.draw(&Rectangle::new(
            [(x - 0.45, 0.0), (x + 0.45, 10.5)],
            colour(d.word).mix(0.45).filled(),
        ))?;
        let limit = match (d.word, d.max_minutes) {
            ("rest", _) => String::new(),
            (_, Some(m)) => format!("≤ {m:.0} min"),
            _ => String::new(),
        };
        area.draw(
            &(EmptyElement::at((x, 10.3))
                + Text::new(
                    words(d.word).to_string(),
                    (0, 0),
                    ui.text(17.0).pos(Pos::new(HPos::Center, VPos::Top)),
                )
                + Text::new(
                    limit,
                    (0, ui.pxi(24.0)),
                    ui.text(14.0).pos(Pos::new(HPos::Center, VPos::Top)),
                )),
        )?;
    }
    area.draw(&DashedPathElement::new(
        [(-0.5, sore_level), (n - 0.5, sore_level)],
        ui.px(10.0),
        ui.px(6.0),
        ui.stroke(AXIS, 2.0),
    ))?;
    let line = runs(
        days.iter()
            .enumerate()
            .map(|(i, d)| (i as f64, finite_opt(d.soreness))),
        1.0,
    );
    draw_runs(area, &line, ui.stroke(SORENESS, 3.0), None, ui.px(6.0))?;
    for (i, d) in days.iter().enumerate() {
        if let Some(s) = finite_opt(d.soreness) {
            area.draw(&Circle::new(
                (i as f64, s.clamp(0.0, 10.5)),
                ui.px(6.0),
                SORENESS.filled(),
            ))?;
        }
    }
    root.present()?;
    Ok(())
}
