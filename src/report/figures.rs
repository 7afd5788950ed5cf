//! From the outcome of a run to the chart inputs, and the charts with what each shows
//! (or why it was not drawn) for the summary.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::classify::Class;
use crate::config::Settings;
use crate::ingest::fit::HrSeries;
use crate::load::week_start;
use crate::pipeline::Outcome;
use crate::report::charts::{self, ChartStyle, DayClass, NothingToDraw};
use crate::report::summary::{self, ChartEntry};
use crate::rules::session_id;
use crate::stats;

fn day_class(c: Option<Class>) -> DayClass {
    match c {
        None => DayClass::Rest,
        Some(Class::Hard) => DayClass::Hard,
        Some(Class::Easy) => DayClass::Easy,
        Some(Class::ActiveRecovery) => DayClass::ActiveRecovery,
        Some(Class::Unknown) => DayClass::Unknown,
    }
}

/// The sessions the audit flagged, as (file label, session index), in finding order.
pub fn flagged_sessions(o: &Outcome) -> Vec<(String, usize)> {
    let ids: BTreeSet<String> = o
        .findings
        .iter()
        .filter_map(|f| f.session.clone())
        .collect();
    o.classified
        .iter()
        .filter(|c| ids.contains(&session_id(c)))
        .map(|c| (c.session.file.clone(), c.session.index))
        .collect()
}

/// Draws one chart, turning "nothing to draw" and failures into a reason.
fn entry(file: &str, title: &str, caption: String, result: anyhow::Result<()>) -> ChartEntry {
    let missing = match result {
        Ok(()) => None,
        Err(e) => Some(match e.downcast_ref::<NothingToDraw>() {
            Some(n) => n.reason.to_string(),
            None => {
                eprintln!("warning: {file} could not be drawn: {e:#}");
                format!("it could not be drawn ({e})")
            }
        }),
    };
    ChartEntry {
        file: file.to_string(),
        title: title.to_string(),
        caption,
        missing,
    }
}

/// Draws every chart into `out`; returns what the summary says about each.
pub fn draw_all(
    out: &Path,
    o: &Outcome,
    s: &Settings,
    source: &str,
    series: &BTreeMap<(String, usize), HrSeries>,
    style: &ChartStyle,
) -> Vec<ChartEntry> {
    let period = summary::period(o).unwrap_or_default();
    let mut entries = Vec::new();

    // 1. The whole period.
    let mut rules_on: BTreeMap<chrono::NaiveDate, Vec<String>> = BTreeMap::new();
    for f in &o.findings {
        rules_on.entry(f.date).or_default().push(f.rule.to_string());
    }
    let trend: Vec<charts::TrendDay> = o
        .days
        .iter()
        .map(|d| charts::TrendDay {
            date: d.date,
            load: d.load.load,
            class: day_class(d.class),
            soreness: d.soreness,
            sleep_hours: d.sleep_hours,
            resting_hr: d.resting_hr,
            hrv_ms: d.hrv_ms,
            acute: d.load.acute,
            chronic: d.load.chronic,
            findings: rules_on.get(&d.date).cloned().unwrap_or_default(),
        })
        .collect();
    let has_journal = o
        .days
        .iter()
        .any(|d| d.soreness.is_some() || d.sleep_hours.is_some());
    entries.push(entry(
        "recovery_trend.png",
        "Load, soreness and sleep over the whole period",
        format!(
            "Daily training load (TRIMP) as bars coloured by the class of the day (hard, easy, active recovery; gaps are rest days), with acute (7-day) and chronic (42-day) load; {}; audit findings are marked along the time axis.",
            if has_journal {
                "soreness (0–10) and sleep hours from the journal below it"
            } else {
                "no journal was given, so soreness and sleep are absent"
            }
        ),
        charts::trend_chart(
            &out.join("recovery_trend.png"),
            &format!("Recovery trend, {period} — {source}"),
            &trend,
            style,
        ),
    ));

    // 2. Minutes per zone per week.
    let mut weeks: BTreeMap<chrono::NaiveDate, (f64, f64, f64)> = BTreeMap::new();
    for w in &o.weeks {
        weeks.insert(w.start, (0.0, 0.0, 0.0));
    }
    for c in &o.classified {
        let (b, i, a) = c.session.hr.split(s.band.low, s.band.high);
        let e = weeks.entry(week_start(c.session.local_date)).or_default();
        e.0 += b as f64 / 60.0;
        e.1 += i as f64 / 60.0;
        e.2 += a as f64 / 60.0;
    }
    let zones: Vec<charts::WeekZones> = weeks
        .into_iter()
        .map(|(week_start, (b, i, a))| charts::WeekZones {
            week_start,
            below_min: b,
            in_min: i,
            above_min: a,
        })
        .collect();
    entries.push(entry(
        "zones.png",
        "Minutes below, inside and above the band per week",
        format!(
            "Each bar is a Monday–Sunday week: minutes of heart rate below, inside and above {}; the share above the band is written on each bar.",
            s.band
        ),
        charts::zones_chart(
            &out.join("zones.png"),
            &format!("Time in zones per week, {period} — {source}"),
            &zones,
            (s.band.low, s.band.high),
            style,
        ),
    ));

    // 3. Sessions meant to be easy.
    let broke: BTreeSet<String> = o
        .findings
        .iter()
        .filter(|f| f.rule == "easy_day_not_easy")
        .filter_map(|f| f.session.clone())
        .collect();
    let easy: Vec<charts::EasySession> = o
        .meant_easy
        .iter()
        .map(|(i, _)| {
            let c = &o.classified[*i];
            charts::EasySession {
                date: c.session.local_date,
                label: if c.session.sport.is_empty() {
                    "session".to_string()
                } else {
                    c.session.sport.clone()
                },
                above_min: c.verdict.above_min,
                broke_limit: broke.contains(&session_id(c)),
            }
        })
        .collect();
    entries.push(entry(
        "easy_days.png",
        "Were the easy days easy?",
        format!(
            "Every session meant to be easy (planned easy or recovery in the journal, named easy/recovery/Z1/Z2, or the day after a hard day): its minutes above the band, the easy limit of {:.0} min drawn as a line; the ones that broke their limit are in the hard colour and labelled with their date.",
            s.thresholds.hard_above_min
        ),
        charts::easy_days_chart(
            &out.join("easy_days.png"),
            &format!("Sessions meant to be easy, {period} — {source}"),
            &easy,
            s.thresholds.hard_above_min,
            style,
        ),
    ));

    // 4. Soreness after hard days.
    let curve = charts::SorenessCurve {
        days: o
            .analysis
            .curve
            .points
            .iter()
            .filter_map(|p| {
                Some(charts::CurvePoint {
                    day: p.day,
                    mean: p.mean?,
                    sd: p.sd,
                    n: p.n,
                })
            })
            .collect(),
    };
    let hard_days = o.days.iter().filter(|d| d.is_hard()).count();
    let soreness_result = if hard_days == 0 {
        Err(anyhow::Error::new(NothingToDraw {
            chart: "soreness after hard days",
            reason: "there are no hard days in the period",
        }))
    } else if !o.days.iter().any(|d| d.soreness.is_some()) {
        Err(anyhow::Error::new(NothingToDraw {
            chart: "soreness after hard days",
            reason: "no soreness was logged (give a journal with --journal)",
        }))
    } else {
        charts::soreness_chart(
            &out.join("soreness_after_hard.png"),
            &format!("Soreness after hard days, {period} — {source}"),
            &curve,
            style,
        )
    };
    entries.push(entry(
        "soreness_after_hard.png",
        "Soreness by day after a hard day",
        format!("{} Points are the mean soreness on each day after a hard day (whiskers ±1 SD, n below each point); the dashed line marks 72 h.", o.analysis.curve.text),
        soreness_result,
    ));

    // 5. Load vs next-day soreness, sleep vs soreness.
    let rel = |id: &str| o.analysis.relations.iter().find(|r| r.id == id);
    let legend = |rho: &str, r: &str, n: usize| {
        let v = |id| {
            rel(id)
                .and_then(|x| x.effect)
                .map_or("–".to_string(), |e| format!("{e:.2}"))
        };
        format!("ρ = {}, r = {}, n = {n}", v(rho), v(r))
    };
    let fit = |pts: &[(f64, f64)]| {
        let (x, y): (Vec<f64>, Vec<f64>) = pts.iter().copied().unzip();
        stats::linear_fit(&x, &y)
    };
    let a = &o.analysis;
    let panels: Vec<charts::Scatter> = [
        (
            "Load vs soreness the next day",
            "daily load (TRIMP)",
            &a.load_vs_next_soreness,
            legend(
                "load_vs_soreness_lag1_spearman",
                "load_vs_soreness_lag1_pearson",
                a.load_vs_next_soreness.len(),
            ),
        ),
        (
            "Sleep vs soreness the next morning",
            "sleep the night before (h)",
            &a.sleep_vs_soreness,
            legend(
                "sleep_vs_soreness_spearman",
                "sleep_vs_soreness_pearson",
                a.sleep_vs_soreness.len(),
            ),
        ),
    ]
    .into_iter()
    .filter(|(_, _, pts, _)| pts.len() >= crate::analysis::MIN_PAIRS)
    .map(|(title, x, pts, legend)| charts::Scatter {
        title: title.to_string(),
        x_label: x.to_string(),
        y_label: "soreness (0–10)".to_string(),
        points: pts.clone(),
        fit: fit(pts),
        legend,
    })
    .collect();
    let corr_result = if panels.is_empty() {
        Err(anyhow::Error::new(NothingToDraw {
            chart: "correlations",
            reason: "fewer than 8 days with both load or sleep and soreness (give a journal with --journal)",
        }))
    } else {
        charts::correlations_chart(
            &out.join("correlations.png"),
            &format!("What moves with soreness, {period} — {source}"),
            &panels,
            style,
        )
    };
    entries.push(entry(
        "correlations.png",
        "What moves with soreness",
        "Each dot is a day: load against the next morning's soreness, and the night's sleep against that morning's soreness, with a least-squares line; the legend gives Spearman ρ, Pearson r and the number of days.".into(),
        corr_result,
    ));

    // 6. The heart rate of each flagged session.
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for c in &o.classified {
        let key = (c.session.file.clone(), c.session.index);
        let Some(sr) = series.get(&key) else { continue };
        let sport = if c.session.sport.is_empty() {
            "session"
        } else {
            &c.session.sport
        };
        let base = format!("{}_{}", c.session.local_date, sport);
        let n = used.entry(base.clone()).or_default();
        *n += 1;
        let name = if *n == 1 { base } else { format!("{base}_{n}") };
        let file = format!("sessions/{name}.png");
        let rules: Vec<&str> = o
            .findings
            .iter()
            .filter(|f| f.session.as_deref() == Some(session_id(c).as_str()))
            .map(|f| f.rule)
            .collect();
        let trace = charts::HrTrace {
            title: format!(
                "{} — {} — flagged: {}",
                c.session.label(),
                c.verdict.reason,
                rules.join(", ")
            ),
            samples: sr.samples.clone(),
            pauses: sr.pauses.clone(),
            band: (s.band.low as f64, s.band.high as f64),
        };
        entries.push(entry(
            &file,
            &format!("{} (flagged: {})", c.session.label(), rules.join(", ")),
            format!(
                "Heart rate over the session ({}) with the {} band shaded and timer pauses in grey.",
                c.verdict.reason, s.band
            ),
            charts::hr_trace_chart(&out.join(&file), &trace, style),
        ));
    }
    entries
}
