//! From the outcome of a run to the chart inputs, and the charts with what each shows
//! (or why it was not drawn) for the summary.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::classify::Class;
use crate::config::{SessionCharts, Settings};
use crate::load::week_start;
use crate::pipeline::Outcome;
use crate::report::chart_set::{ChartEntry, ChartSet, SessionPick, RECENT_DAYS};
use crate::report::charts::{self, ChartStyle, DayClass, NothingToDraw};
use crate::report::summary;
use crate::rules::{self, session_id, Severity};
use crate::session::HrSeries;
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

/// Picks the flagged sessions to draw. `AtMost(n)`: the last 8 weeks' flagged sessions,
/// most severe first (then the most rules broken, then the most recent), then older ones, most
/// recent first, up to `n`. `All`: every flagged session, in the same order.
pub fn pick_sessions(o: &Outcome, choice: SessionCharts) -> SessionPick {
    struct Flag {
        severity: Severity,
        count: usize,
    }
    let mut by_id: BTreeMap<&str, Flag> = BTreeMap::new();
    // Every session that broke a rule, not only the one that names its day's event.
    for f in &o.findings {
        for (_, id) in &f.broken_by {
            let e = by_id.entry(id.as_str()).or_insert(Flag {
                severity: f.severity,
                count: 0,
            });
            e.severity = e.severity.max(f.severity);
            e.count += 1;
        }
    }
    let last = o.days.last().map(|d| d.date);
    let recent =
        |date: chrono::NaiveDate| last.is_some_and(|l| (l - date).num_days() < RECENT_DAYS);
    let mut flagged: Vec<(bool, Severity, usize, chrono::NaiveDate, usize)> = o
        .classified
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let f = by_id.get(session_id(c).as_str())?;
            let date = c.session.local_date;
            Some((recent(date), f.severity, f.count, date, i))
        })
        .collect();
    // Recent first; among them the most severe; older ones newest first.
    flagged.sort_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| {
            if a.0 {
                (b.1, b.2, b.3).cmp(&(a.1, a.2, a.3))
            } else {
                b.3.cmp(&a.3)
            }
        })
    });
    let (limit, rule) = match choice {
        SessionCharts::All => (usize::MAX, "every flagged session".to_string()),
        SessionCharts::AtMost(0) => (0, "none (--session-charts none)".to_string()),
        SessionCharts::AtMost(n) => (
            n,
            format!("the flagged sessions of the last 8 weeks, most severe first, then older ones, at most {n}"),
        ),
    };
    SessionPick {
        chosen: flagged
            .iter()
            .take(limit)
            .map(|f| {
                let c = &o.classified[f.4];
                (c.session.file.clone(), c.session.index)
            })
            .collect(),
        flagged: flagged.len(),
        rule,
    }
}

/// Draws one chart, turning "nothing to draw" and failures into a reason.
fn entry(file: &str, title: &str, caption: String, result: anyhow::Result<()>) -> ChartEntry {
    let (missing, warning) = match result {
        Ok(()) => (None, None),
        Err(e) => match e.downcast_ref::<NothingToDraw>() {
            Some(n) => (Some(n.reason.to_string()), None),
            None => (
                Some(format!("it could not be drawn ({e})")),
                Some(format!("warning: {file} could not be drawn: {e:#}")),
            ),
        },
    };
    ChartEntry {
        file: file.to_string(),
        title: title.to_string(),
        caption,
        missing,
        warning,
    }
}

/// One chart to draw: a closure, so the charts can render in parallel.
type Job<'a> = Box<dyn FnOnce() -> ChartEntry + Send + 'a>;

/// The first of the last `days` days.
fn tail_start(o: &Outcome, days: i64) -> Option<chrono::NaiveDate> {
    Some(o.days.last()?.date - chrono::TimeDelta::days(days - 1))
}

/// Days a chart covers before it aggregates (weeks, months) instead of drawing detail.
pub const DETAIL_DAYS: i64 = 365;

/// How many days `recent.png` shows, daily.
pub const RECENT_CHART_DAYS: i64 = 84;

/// What the trend chart draws per day: load, class, journal and heart values, and every
/// rule broken that day (an event is marked on each rule's row it holds).
pub fn trend_days(o: &Outcome) -> Vec<charts::TrendDay> {
    let mut rules_on: BTreeMap<chrono::NaiveDate, Vec<String>> = BTreeMap::new();
    for (date, rule) in rules::pairs(&o.findings) {
        rules_on.entry(date).or_default().push(rule.to_string());
    }
    o.days
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
            findings: rules_on.remove(&d.date).unwrap_or_default(),
        })
        .collect()
}

/// What `easy_days.png` draws: every session meant to be easy, coloured by the easy rule's
/// own verdict on that session, whichever rule names its day's event.
pub fn easy_sessions(o: &Outcome) -> Vec<charts::EasySession> {
    let broke = rules::sessions_breaking(&o.findings, "easy_day_not_easy");
    o.meant_easy
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
        .collect()
}

/// Draws every chart into `out`; returns what the summary says about each.
pub fn draw_all(
    out: &Path,
    o: &Outcome,
    s: &Settings,
    source: &str,
    pick: &SessionPick,
    series: &BTreeMap<(String, usize), HrSeries>,
    style: &ChartStyle,
) -> ChartSet {
    let period = summary::period(o).unwrap_or_default();
    let span = match (o.days.first(), o.days.last()) {
        (Some(a), Some(b)) => (b.date - a.date).num_days(),
        _ => 0,
    };
    let long = span > DETAIL_DAYS;
    let mut jobs: Vec<Job<'_>> = Vec::new();

    // 1. The whole period, and the last 12 weeks.
    let trend = trend_days(o);
    let has_journal = o
        .days
        .iter()
        .any(|d| d.soreness.is_some() || d.sleep_hours.is_some());
    let has_heart = o
        .days
        .iter()
        .any(|d| d.resting_hr.is_some() || d.hrv_ms.is_some());
    let lower = format!(
        "{}{}",
        if has_journal {
            "soreness (0–10) and sleep hours below it"
        } else {
            "no soreness or sleep was given, so that panel is left out"
        },
        if has_heart {
            ", then resting HR and HRV"
        } else {
            ""
        }
    );
    let trend_caption = if long {
        format!(
            "Over more than a year the chart is weekly (over more than three years, monthly): each bar is a Monday–Sunday week's training load (TRIMP) — or a month's mean week — stacked by the class of its days (hard, easy, active recovery), with the chronic (42-day) load scaled to a week; {lower}, as weekly (monthly) means; audit findings are counted per month at the bottom. recent.png shows the last 12 weeks day by day."
        )
    } else {
        format!(
            "Daily training load (TRIMP) as bars coloured by the class of the day (hard, easy, active recovery; gaps are rest days), with acute (7-day) and chronic (42-day) load; {lower}; audit findings are marked along the time axis, one row per rule."
        )
    };
    let title = format!("Recovery trend, {period} — {source}");
    let recent: Vec<charts::TrendDay> = match tail_start(o, RECENT_CHART_DAYS) {
        Some(from) if span >= RECENT_CHART_DAYS => {
            trend.iter().filter(|d| d.date >= from).cloned().collect()
        }
        _ => Vec::new(),
    };
    {
        jobs.push(Box::new(move || {
            entry(
                "recovery_trend.png",
                "Load, soreness and sleep over the whole period",
                trend_caption,
                charts::trend_chart(&out.join("recovery_trend.png"), &title, &trend, style),
            )
        }));
    }
    let recent_title = match (recent.first(), recent.last()) {
        (Some(a), Some(b)) => format!("The last 12 weeks, {} – {} — {source}", a.date, b.date),
        _ => String::new(),
    };
    jobs.push(Box::new(move || {
        let result = if recent.is_empty() {
            Err(anyhow::Error::new(NothingToDraw {
                chart: "recent",
                reason: "the whole period is under 12 weeks, so recovery_trend.png already shows it day by day",
            }))
        } else {
            charts::trend_chart(&out.join("recent.png"), &recent_title, &recent, style)
        };
        entry(
            "recent.png",
            "The last 12 weeks, day by day",
            "The trend chart over the last 12 weeks only: daily load by class with acute and chronic load, the journal and heart values when there are any, and one row of markers per audit rule.".into(),
            result,
        )
    }));

    // 2. Minutes per zone per week (the chart sums them into months past a year).
    let mut buckets: BTreeMap<chrono::NaiveDate, (f64, f64, f64)> = BTreeMap::new();
    for w in &o.weeks {
        buckets.insert(w.start, (0.0, 0.0, 0.0));
    }
    for c in &o.classified {
        let (b, i, a) = c.session.hr.split(o.band.low, o.band.high);
        let e = buckets.entry(week_start(c.session.local_date)).or_default();
        e.0 += b as f64 / 60.0;
        e.1 += i as f64 / 60.0;
        e.2 += a as f64 / 60.0;
    }
    let zones: Vec<charts::WeekZones> = buckets
        .into_iter()
        .map(|(start, (b, i, a))| charts::WeekZones {
            week_start: start,
            days: 7,
            below_min: b,
            in_min: i,
            above_min: a,
        })
        .collect();
    let band = o.band;
    let zones_caption = if long {
        format!("Over more than a year the top bars are calendar months: minutes of heart rate below, inside and above {band}; below them the last 12 weeks, a bar per Monday–Sunday week with the share above the band written on it.")
    } else {
        format!("Each bar is a Monday–Sunday week: minutes of heart rate below, inside and above {band}; the share above the band is written on each bar.")
    };
    let zones_title = format!(
        "Time in zones per {}, {period} — {source}",
        if long { "month" } else { "week" }
    );
    jobs.push(Box::new(move || {
        entry(
            "zones.png",
            if long {
                "Minutes below, inside and above the band per month"
            } else {
                "Minutes below, inside and above the band per week"
            },
            zones_caption,
            charts::zones_chart(
                &out.join("zones.png"),
                &zones_title,
                &zones,
                (band.low, band.high),
                style,
            ),
        )
    }));

    // 3. Sessions meant to be easy.
    let easy = easy_sessions(o);
    let limit = s.thresholds.hard_above_min;
    let easy_long = match (
        easy.iter().map(|e| e.date).min(),
        easy.iter().map(|e| e.date).max(),
    ) {
        (Some(a), Some(b)) => (b - a).num_days() > charts::EASY_MONTHLY_AFTER_DAYS,
        _ => false,
    };
    let easy_caption = if easy_long {
        format!("Over more than a year, per month: how many sessions meant to be easy (planned easy or recovery in the journal, named easy/recovery/Z1/Z2, or the day after a hard day) stayed within the easy limit of {limit:.0} min above the band, and how many broke it; below, the last 12 weeks' sessions one by one: minutes above the band, the limit as a line, the ones that broke it labelled with their date.")
    } else {
        format!("Every session meant to be easy (planned easy or recovery in the journal, named easy/recovery/Z1/Z2, or the day after a hard day): its minutes above the band, the easy limit of {limit:.0} min drawn as a line; the ones that broke their limit are in the hard colour and labelled with their date.")
    };
    let easy_title = format!("Sessions meant to be easy, {period} — {source}");
    jobs.push(Box::new(move || {
        entry(
            "easy_days.png",
            "Were the easy days easy?",
            easy_caption,
            charts::easy_days_chart(&out.join("easy_days.png"), &easy_title, &easy, limit, style),
        )
    }));

    // 4. Soreness after hard days.
    let curve = charts::SorenessPlot {
        days: o
            .analysis
            .curve
            .points
            .iter()
            .filter_map(|p| {
                Some(charts::MeanSoreness {
                    day: p.day,
                    mean: p.mean?,
                    sd: p.sd,
                    n: p.n,
                })
            })
            .collect(),
    };
    let hard_days = o.days.iter().filter(|d| d.is_hard()).count();
    let any_soreness = o.days.iter().any(|d| d.soreness.is_some());
    let soreness_title = format!("Soreness after hard days, {period} — {source}");
    let soreness_caption = format!("{} Points are the mean soreness on each day after a hard day (whiskers ±1 SD, n below each point); the dashed line marks 72 h.", o.analysis.curve.text);
    jobs.push(Box::new(move || {
        let result = if hard_days == 0 {
            Err(anyhow::Error::new(NothingToDraw {
                chart: "soreness after hard days",
                reason: "there are no hard days in the period",
            }))
        } else if !any_soreness {
            Err(anyhow::Error::new(NothingToDraw {
                chart: "soreness after hard days",
                reason: "no soreness was logged (give a journal with --journal)",
            }))
        } else {
            charts::soreness_chart(
                &out.join("soreness_after_hard.png"),
                &soreness_title,
                &curve,
                style,
            )
        };
        entry(
            "soreness_after_hard.png",
            "Soreness by day after a hard day",
            soreness_caption,
            result,
        )
    }));

    // 4b. The week ahead, from the rule book (the same plan as "What next").
    let plan = &o.plan;
    let sore_level = s.rules.sore;
    let (plan_days, plan_caption, plan_title) = match plan {
        Some(p) => (
            p.days
                .iter()
                .map(|d| charts::PlanChartDay {
                    label: d.date.format("%a %m-%d").to_string(),
                    word: d.recommendation.as_str(),
                    soreness: d.soreness,
                    max_minutes: d.max_minutes,
                })
                .collect::<Vec<_>>(),
            format!(
                "The next {} days from the rule book, each coloured by what fits (hard OK, easy, active recovery, rest) with the longest session; the line is the soreness expected each morning ({}); the dashed line is the sore level, under which a hard day may be planned.",
                p.days.len(),
                p.curve
            ),
            format!("The week ahead from {} — {source}", p.from),
        ),
        None => (Vec::new(), String::new(), String::new()),
    };
    jobs.push(Box::new(move || {
        entry(
            "plan.png",
            "The week ahead",
            plan_caption,
            charts::plan_chart(
                &out.join("plan.png"),
                &plan_title,
                &plan_days,
                sore_level,
                style,
            ),
        )
    }));

    // 4c. Readiness against the athlete's own baselines.
    let ready: Vec<charts::ReadinessDay> = o
        .readiness
        .iter()
        .zip(&o.days)
        .map(|(r, d)| charts::ReadinessDay {
            date: r.date,
            hrv_ln: r.hrv_ln,
            hrv_ln_7d: r.hrv_ln_7d,
            band_low: r.hrv_band_low,
            band_high: r.hrv_band_high,
            resting_hr: d.resting_hr,
            rhr_baseline: r.rhr_baseline,
            rhr_sd: r.rhr_baseline_sd,
            sleep_debt_h: r.sleep_debt_h,
            lowered: !r.lowered_by.is_empty(),
        })
        .collect();
    let metric = crate::rules::hrv::METRIC.label();
    let cfg = s.rules;
    let ready_title = format!("Readiness against your own baselines, {period} — {source}");
    let ready_caption = format!(
        "{}Top: each dot is a morning's ln {metric}, the line its 7-day mean, the shaded strip the normal band (the last {} days' mean ± {} SD); the 7-day mean under the strip lowers the advice (hrv_below_normal). Middle: resting heart rate against its baseline (the {} mornings before, ± {} SD); two mornings running above it by more than the larger of {} SD and {:.0} bpm lower the advice (resting_hr_up). Bottom: sleep debt over the last {} nights against a need of {:.1} h ({:.1} h after a hard day); over the dashed line ({:.0} h) lowers the advice (sleep_debt). Mornings whose advice one of these lowered are shaded across all three panels.",
        if span > charts::WEEKLY_AFTER_DAYS { "Over more than a year each point is a Monday–Sunday week's mean, and a week is shaded when any of its mornings was lowered. " } else { "" },
        cfg.hrv_baseline_days,
        cfg.hrv_band_low_sd,
        cfg.rhr_baseline_days,
        cfg.rhr_sd,
        cfg.rhr_sd,
        cfg.rhr_rise,
        cfg.sleep_debt_nights,
        cfg.sleep_need_h,
        cfg.sleep_need_h + (cfg.sleep_after_hard_h - cfg.sleep_h).max(0.0),
        cfg.sleep_debt_h,
    );
    jobs.push(Box::new(move || {
        entry(
            "readiness.png",
            "Readiness: HRV, resting heart rate and sleep against your own baselines",
            ready_caption,
            charts::readiness_chart(
                &out.join("readiness.png"),
                &ready_title,
                &ready,
                metric,
                cfg.sleep_debt_h,
                style,
            ),
        )
    }));

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
    let corr_title = format!("What moves with soreness, {period} — {source}");
    jobs.push(Box::new(move || {
        let result = if panels.is_empty() {
            Err(anyhow::Error::new(NothingToDraw {
                chart: "correlations",
                reason: "fewer than 8 days with both load or sleep and soreness (give a journal with --journal)",
            }))
        } else {
            charts::correlations_chart(&out.join("correlations.png"), &corr_title, &panels, style)
        };
        entry(
            "correlations.png",
            "What moves with soreness",
            "Each dot is a day: load against the next morning's soreness, and the night's sleep against that morning's soreness, with a least-squares line; the legend gives Spearman ρ, Pearson r and the number of days.".into(),
            result,
        )
    }));

    // 6. The heart rate of each chosen flagged session, in the order picked.
    let by_key: BTreeMap<(&str, usize), &crate::classify::Classified> = o
        .classified
        .iter()
        .map(|c| ((c.session.file.as_str(), c.session.index), c))
        .collect();
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for key in &pick.chosen {
        let Some(c) = by_key.get(&(key.0.as_str(), key.1)) else {
            continue;
        };
        let Some(sr) = series.get(key) else { continue };
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
        let id = session_id(c);
        let mut rules: Vec<&str> = o
            .findings
            .iter()
            .flat_map(|f| f.broken_by.iter())
            .filter(|(_, by)| *by == id)
            .map(|(r, _)| *r)
            .collect();
        rules.dedup();
        let trace = charts::HrTrace {
            title: format!(
                "{} — {} — flagged: {}",
                c.session.label(),
                c.verdict.reason,
                rules.join(", ")
            ),
            samples: sr.samples.clone(),
            pauses: sr.pauses.clone(),
            band: (o.band.low as f64, o.band.high as f64),
        };
        let title = format!("{} (flagged: {})", c.session.label(), rules.join(", "));
        let caption = format!(
            "Heart rate over the session ({}) with the {} band shaded and timer pauses in grey.",
            c.verdict.reason, o.band
        );
        jobs.push(Box::new(move || {
            entry(
                &file,
                &title,
                caption,
                charts::hr_trace_chart(&out.join(&file), &trace, style),
            )
        }));
    }
    let entries = if style.threads > 1 {
        jobs.into_par_iter().map(|job| job()).collect()
    } else {
        jobs.into_iter().map(|job| job()).collect()
    };
    ChartSet {
        entries,
        pick: pick.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{self, Overrides};
    use crate::days::fixtures::{self, date, hard, journal};

    /// Hard on Tuesday, hard again on a sore Wednesday: one event holding three rules.
    fn three_rule_event() -> (Outcome, Settings) {
        let s = config::settings(&Overrides::default()).expect("default settings");
        let j = journal(vec![
            fixtures::entry("2026-03-03", 1.0, 8.0, None),
            fixtures::entry("2026-03-04", 7.0, 8.0, None),
        ]);
        let o = crate::pipeline::analyse(
            vec![hard("2026-03-03"), hard("2026-03-04")],
            Some(&j),
            None,
            &s,
        );
        (o, s)
    }

    #[test]
    fn an_event_holding_three_rules_is_counted_marked_and_listed_under_each() {
        let (o, s) = three_rule_event();
        let day = date("2026-03-04");
        let held: Vec<&str> = o
            .findings
            .iter()
            .find(|f| f.date == day)
            .expect("an event on the second hard day")
            .rules
            .clone();
        for rule in ["back_to_back_hard", "hard_while_sore", "easy_day_not_easy"] {
            assert!(held.contains(&rule), "{held:?}");
        }
        assert!(held.len() >= 3);

        // Terminal tallies: each rule it holds counts it once.
        let term = summary::terminal(&o, 3);
        for rule in &held {
            assert!(term.contains(&format!("{rule} 1")), "{rule}: {term}");
        }

        // The summary's per-rule sections list it under each rule.
        let doc = summary::document(&summary::Context {
            outcome: &o,
            settings: &s,
            source: "test".into(),
            ingest_line: String::new(),
            journal_line: String::new(),
            charts: ChartSet::default(),
            files: Vec::new(),
            what_next: Vec::new(),
            source_lines: Vec::new(),
        })
        .to_markdown();
        for rule in &held {
            assert!(doc.contains(&format!("#### {rule} (1)")), "{rule}: {doc}");
            assert!(doc.contains(&format!("{rule}: 1")), "{rule}: {doc}");
        }

        // The trend chart marks it on every rule's row.
        let trend = trend_days(&o);
        let marks = &trend.iter().find(|d| d.date == day).unwrap().findings;
        assert_eq!(
            marks.iter().map(String::as_str).collect::<Vec<_>>(),
            held,
            "trend marks"
        );

        // The easy chart colours the session as having broken the easy limit, although
        // back_to_back_hard names the event.
        let easy = easy_sessions(&o);
        let e = easy.iter().find(|e| e.date == day).expect("meant easy");
        assert!(e.broke_limit);
        assert_eq!(o.findings[0].rule, "back_to_back_hard");
    }
}
