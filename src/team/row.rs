//! One athlete's line in `team.csv`, computed from the athlete's run and kept after the run
//! itself is dropped.

use chrono::{Duration, NaiveDate};

use crate::load::week_start;
use crate::pipeline::Outcome;
use crate::report::tables::Table;
use crate::rules::{self, Advice};

/// Soreness change (points, last value against the mean of the 7 days before it) that
/// counts as rising or easing.
const SORENESS_STEP: f64 = 1.0;

/// How many of an athlete's last weeks the row keeps for the team chart.
pub const WEEKS_KEPT: usize = 10;

/// One week of one athlete, for the team chart.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekCell {
    /// The Monday.
    pub start: NaiveDate,
    pub load: f64,
    /// The week's daily load (over its days with data) over the chronic (42-day) daily load
    /// before the week began; none before four weeks of data.
    pub relative: Option<f64>,
    /// Audit findings in the week.
    pub findings: usize,
}

/// One athlete's line of `team.csv`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// The folder name or zip stem, unchanged.
    pub athlete: String,
    /// `ok`, or why there is no analysis (empty folder, no activities, an error).
    pub status: String,
    /// Some input was skipped or damaged (the run's exit code is 3).
    pub problems: bool,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub sessions: Option<i64>,
    /// The date `today` answered: the day after the athlete's data.
    pub advice_for: Option<NaiveDate>,
    pub advice: Option<Advice>,
    /// The rule that decided the advice and what it found, or that none limited it.
    pub reason: Option<String>,
    pub acute: Option<f64>,
    pub chronic: Option<f64>,
    pub acwr: Option<f64>,
    /// Load of the last 7 days of data.
    pub load_7d: Option<f64>,
    /// Load of the 28 days before those, per 7 days.
    pub load_prev_28d_per_7d: Option<f64>,
    /// `load_7d / load_prev_28d_per_7d`.
    pub load_7d_vs_28d: Option<f64>,
    /// Audit findings in the last 14 days of data.
    pub findings_14d: Option<i64>,
    pub last_soreness: Option<f64>,
    pub last_soreness_date: Option<NaiveDate>,
    /// `rising`, `easing` or `steady` against the 7 days before the last value.
    pub soreness_trend: Option<String>,
    pub weeks: Vec<WeekCell>,
}

impl Row {
    /// A row for an athlete with no analysis.
    pub fn failed(athlete: &str, why: String) -> Row {
        Row {
            athlete: athlete.to_string(),
            status: why,
            problems: true,
            ..Row::default()
        }
    }

    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }

    /// The line printed when the athlete is done.
    pub fn status_line(&self) -> String {
        if !self.is_ok() {
            return format!("not analysed: {}", self.status);
        }
        let period = match (self.first_day, self.last_day) {
            (Some(a), Some(b)) => format!(", {a} to {b}"),
            _ => String::new(),
        };
        format!(
            "done: {} sessions{period}; next day: {}",
            self.sessions.unwrap_or(0),
            self.advice.map_or("-", Advice::as_str)
        )
    }

    /// The row of a finished athlete.
    pub fn from_outcome(athlete: &str, o: &Outcome) -> Row {
        let mut row = Row {
            athlete: athlete.to_string(),
            status: "ok".into(),
            problems: o.inputs.problems,
            first_day: o.days.first().map(|d| d.date),
            last_day: o.days.last().map(|d| d.date),
            sessions: Some(o.classified.len() as i64),
            ..Row::default()
        };
        if let (Some(date), Some(answer)) = (o.answer_date, &o.today) {
            row.advice_for = Some(date);
            row.advice = Some(answer.recommendation);
            row.reason = Some(
                answer
                    .reasons
                    .iter()
                    .filter(|r| r.advice == answer.recommendation)
                    .min_by_key(|r| rules::rank(r.rule))
                    .map_or("no rule limits it".to_string(), |r| {
                        format!("{}: {}", r.rule, r.text)
                    }),
            );
        }
        if let Some(last) = o.days.last() {
            row.acute = Some(last.load.acute);
            row.chronic = Some(last.load.chronic);
            row.acwr = last.load.acwr;
            let sum = |from: i64, to: i64| -> f64 {
                o.days
                    .iter()
                    .filter(|d| {
                        let back = (last.date - d.date).num_days();
                        (from..=to).contains(&back)
                    })
                    .map(|d| d.load.load)
                    .sum()
            };
            let recent = sum(0, 6);
            row.load_7d = Some(recent);
            // The previous 28 days only count when the data reaches back that far.
            if (last.date - o.days[0].date).num_days() >= 34 {
                let prev = sum(7, 34) / 4.0;
                row.load_prev_28d_per_7d = Some(prev);
                row.load_7d_vs_28d = (prev > 0.0).then(|| recent / prev);
            }
            row.findings_14d = Some(
                o.findings
                    .iter()
                    .filter(|f| (0..14).contains(&(last.date - f.date).num_days()))
                    .count() as i64,
            );
        }
        soreness(o, &mut row);
        row.weeks = weeks(o);
        row
    }
}

fn soreness(o: &Outcome, row: &mut Row) {
    let Some(last) = o.days.iter().rev().find(|d| d.soreness.is_some()) else {
        return;
    };
    let value = last.soreness.unwrap_or_default();
    row.last_soreness = Some(value);
    row.last_soreness_date = Some(last.date);
    let before: Vec<f64> = o
        .days
        .iter()
        .filter(|d| (1..=7).contains(&(last.date - d.date).num_days()))
        .filter_map(|d| d.soreness)
        .collect();
    if before.is_empty() {
        return;
    }
    let change = value - before.iter().sum::<f64>() / before.len() as f64;
    row.soreness_trend = Some(
        if change >= SORENESS_STEP {
            "rising"
        } else if change <= -SORENESS_STEP {
            "easing"
        } else {
            "steady"
        }
        .to_string(),
    );
}

/// The athlete's last weeks with their load relative to their usual: the uncoupled
/// acute:chronic ratio of `days.csv` on the week's last day (its 7 days against the 21
/// before), the same figure the athlete's own report shows.
fn weeks(o: &Outcome) -> Vec<WeekCell> {
    let skip = o.weeks.len().saturating_sub(WEEKS_KEPT);
    o.weeks[skip..]
        .iter()
        .map(|w| {
            let last = w.start + Duration::days(6);
            // A week cut short by the data's end is read on its last day.
            let relative = o
                .days
                .iter()
                .rev()
                .find(|d| d.date <= last && d.date >= w.start)
                .and_then(|d| d.load.acwr);
            WeekCell {
                start: w.start,
                load: w.load,
                relative,
                findings: o
                    .findings
                    .iter()
                    .filter(|f| week_start(f.date) == w.start)
                    .count(),
            }
        })
        .collect()
}

/// `team.csv`: one row per athlete (see the README for the columns).
pub fn team_table(rows: &[Row]) -> Table {
    let f = |g: fn(&Row) -> Option<f64>| rows.iter().map(g).collect::<Vec<_>>();
    Table::new()
        .text("athlete", rows.iter().map(|r| Some(r.athlete.clone())))
        .text("status", rows.iter().map(|r| Some(r.status.clone())))
        .date("first_day", rows.iter().map(|r| r.first_day))
        .date("last_day", rows.iter().map(|r| r.last_day))
        .int("sessions", rows.iter().map(|r| r.sessions))
        .date("advice_for", rows.iter().map(|r| r.advice_for))
        .text(
            "recommendation",
            rows.iter()
                .map(|r| r.advice.map(|a| a.as_str().to_string())),
        )
        .text("reason", rows.iter().map(|r| r.reason.clone()))
        .float("acute", 1, f(|r| r.acute))
        .float("chronic", 1, f(|r| r.chronic))
        .float("acwr", 2, f(|r| r.acwr))
        .float("load_7d", 1, f(|r| r.load_7d))
        .float("load_prev_28d_per_7d", 1, f(|r| r.load_prev_28d_per_7d))
        .float("load_7d_vs_28d", 2, f(|r| r.load_7d_vs_28d))
        .int("findings_14d", rows.iter().map(|r| r.findings_14d))
        .float("last_soreness", 1, f(|r| r.last_soreness))
        .date(
            "last_soreness_date",
            rows.iter().map(|r| r.last_soreness_date),
        )
        .text(
            "soreness_trend",
            rows.iter().map(|r| r.soreness_trend.clone()),
        )
}
