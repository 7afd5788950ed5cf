//! The words: the terminal summary of a run, and `summary.md` / `index.html`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::classify::Class;
use crate::config::Settings;
use crate::pipeline::Outcome;
use crate::report::chart_set::{ChartEntry, ChartSet, SessionPick, RECENT_DAYS};
use crate::report::doc::Doc;
use crate::rules::{rule_counts, Finding};

/// What the summary needs besides the outcome.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub outcome: &'a Outcome,
    pub settings: &'a Settings,
    /// Where the data came from (the paths given).
    pub source: String,
    /// The ingest summary line.
    pub ingest_line: String,
    /// What happened with the journal, in one line.
    pub journal_line: String,
    pub charts: ChartSet,
    /// Every file written, relative path and description.
    pub files: Vec<(String, String)>,
    /// The forward answer ("What next"), when there is one.
    pub what_next: Vec<String>,
    /// Which signals came from where.
    pub source_lines: Vec<String>,
}

/// Sessions per class, in a fixed order.
pub fn class_counts(o: &Outcome) -> Vec<(Class, usize)> {
    [
        Class::Hard,
        Class::Easy,
        Class::ActiveRecovery,
        Class::Unknown,
    ]
    .into_iter()
    .map(|c| {
        (
            c,
            o.classified.iter().filter(|s| s.verdict.class == c).count(),
        )
    })
    .collect()
}

/// `soreness_past_72h 1, back_to_back_hard 2, …` over the rules with events, joined by `sep`.
fn rule_tally(findings: &[Finding], sep: &str) -> String {
    rule_counts(findings)
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(r, n)| format!("{r}{sep}{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The most important findings: most severe first, then most recent.
pub fn top_findings(findings: &[Finding], n: usize) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = findings.iter().collect();
    v.sort_by(|a, b| (b.severity, b.date, a.rule).cmp(&(a.severity, a.date, b.rule)));
    v.truncate(n);
    v
}

/// One line for a finding.
pub fn finding_line(f: &Finding) -> String {
    format!(
        "{} {} ({}): {}. To do: {}.",
        f.date,
        f.rule,
        f.severity.as_str(),
        f.found,
        f.todo
    )
}

/// The period as `first – last`.
pub fn period(o: &Outcome) -> Option<String> {
    Some(format!(
        "{} – {}",
        o.days.first()?.date,
        o.days.last()?.date
    ))
}

/// The short summary printed after `analyze` / `audit`.
pub fn terminal(o: &Outcome, top: usize) -> String {
    let mut out = String::new();
    let counts = class_counts(o)
        .iter()
        .map(|(c, n)| format!("{n} {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    out.push_str(&format!(
        "sessions: {} ({counts}) over {} days{}\n",
        o.classified.len(),
        o.days.len(),
        period(o).map(|p| format!(", {p}")).unwrap_or_default()
    ));
    let rules = rule_tally(&o.findings, " ");
    out.push_str(&format!(
        "audit: {} findings{}\n",
        o.findings.len(),
        if rules.is_empty() {
            String::new()
        } else {
            format!(" (by rule, an event counted under each rule it breaks: {rules})")
        }
    ));
    for f in top_findings(&o.findings, top) {
        out.push_str(&format!("  ! {}\n", finding_line(f)));
    }
    out
}

/// How many findings of the last 8 weeks are listed in full, at most.
pub const RECENT_FINDINGS_MAX: usize = 100;

/// Months within this many of the last finding are grouped per month; older ones per year.
pub const MONTHS_IN_DETAIL: i32 = 12;

/// Every rule the finding's event breaks, most severe first.
fn rules_of(f: &Finding) -> Vec<&str> {
    f.rules.clone()
}

/// ", also rule_a, rule_b" for the rules of `f` other than `shown`, or nothing.
fn also_broken(f: &Finding, shown: &str) -> String {
    let others: Vec<&str> = rules_of(f).into_iter().filter(|r| *r != shown).collect();
    if others.is_empty() {
        String::new()
    } else {
        format!(", also {}", others.join(", "))
    }
}

/// What was drawn of the flagged sessions, and how to draw the rest.
pub fn session_charts_line(pick: &SessionPick, drawn: usize) -> String {
    let left = pick.flagged.saturating_sub(pick.chosen.len());
    let mut line = format!(
        "{} of {} flagged sessions have a heart-rate chart ({}).",
        drawn, pick.flagged, pick.rule
    );
    if left > 0 {
        line.push_str(&format!(
            " {left} are not drawn: draw them with `--session-charts all` (or a number), or `session_charts = \"all\"` under `[report]` in recovery.toml; audit.csv lists them all."
        ));
    }
    if drawn < pick.chosen.len() {
        line.push_str(&format!(
            " {} could not be drawn (the list of charts below says why).",
            pick.chosen.len() - drawn
        ));
    }
    line
}

/// The period a finding is grouped in: its month when recent, else its year.
fn group_of(date: NaiveDate, newest: NaiveDate) -> String {
    let months = (newest.year() - date.year()) * 12 + newest.month() as i32 - date.month() as i32;
    if months < MONTHS_IN_DETAIL {
        date.format("%Y-%m").to_string()
    } else {
        date.format("%Y").to_string()
    }
}

/// Per rule: per month (per year past the last 12 months) the count and the worst example.
fn findings_by_rule(d: &mut Doc, findings: &[Finding]) {
    let Some(newest) = findings.iter().map(|f| f.date).max() else {
        return;
    };
    d.heading(3, "By rule and month");
    d.paragraph(format!("Per rule, newest first: the number of findings in each month (each year before the last {MONTHS_IN_DETAIL} months) and the worst of them (most severe, then most recent)."));
    for (rule, n) in rule_counts(findings) {
        if n == 0 {
            continue;
        }
        let mut groups: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
        for f in findings.iter().filter(|f| f.rules.contains(&rule)) {
            groups.entry(group_of(f.date, newest)).or_default().push(f);
        }
        d.heading(4, format!("{rule} ({n})"));
        d.bullets(
            groups
                .iter()
                .rev()
                .map(|(period, fs)| {
                    let worst = fs
                        .iter()
                        .max_by_key(|f| (f.severity, f.date))
                        .expect("a group is never empty");
                    format!(
                        "{period}: {} — worst {} ({}{}): {}",
                        fs.len(),
                        worst.date,
                        worst.severity.as_str(),
                        also_broken(worst, rule),
                        worst.found
                    )
                })
                .collect(),
        );
    }
}

/// The last 8 weeks' findings in full, newest first.
fn recent_findings(d: &mut Doc, findings: &[Finding]) {
    let Some(newest) = findings.iter().map(|f| f.date).max() else {
        return;
    };
    let from = newest - chrono::TimeDelta::days(RECENT_DAYS - 1);
    let mut recent: Vec<&Finding> = findings.iter().filter(|f| f.date >= from).collect();
    recent.sort_by_key(|f| std::cmp::Reverse((f.date, f.severity)));
    d.heading(3, format!("The last 8 weeks ({from} – {newest})"));
    let total = recent.len();
    recent.truncate(RECENT_FINDINGS_MAX);
    d.bullets(recent.into_iter().map(finding_line).collect());
    if total > RECENT_FINDINGS_MAX {
        d.paragraph(format!(
            "… and {} more in these weeks: audit.csv has them all.",
            total - RECENT_FINDINGS_MAX
        ));
    }
}

/// The document behind `summary.md` and `index.html`.
pub fn document(c: &Context) -> Doc {
    let o = c.outcome;
    let mut d = Doc::default();
    let period = period(o).unwrap_or_else(|| "no data".into());
    d.heading(1, format!("Training and recovery report, {period}"));
    d.paragraph(format!(
        "Data: {}. Inputs: {}. Journal: {}.",
        c.source, c.ingest_line, c.journal_line
    ));
    if !c.what_next.is_empty() {
        d.heading(2, "What next");
        d.bullets(c.what_next.clone());
    }

    d.heading(2, "Overview");
    let rest = o.days.iter().filter(|x| x.is_rest()).count();
    let counts = class_counts(o)
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    d.bullets(vec![
        format!("{} sessions: {counts}.", o.classified.len()),
        format!("{} days, {rest} of them rest days.", o.days.len()),
        format!(
            "Band {} ({}). Hard: at least {:.0} min above it, or {:.0} % of the heart-rate time above it once that is {} min or more; active recovery: at most {:.0} min with under {:.0} % and under {:.0} min above; easy: the rest.",
            o.band,
            o.band_source,
            c.settings.thresholds.hard_above_min,
            c.settings.thresholds.hard_above_share * 100.0,
            c.settings.thresholds.hard_share_min_above_min,
            c.settings.thresholds.recovery_max_min,
            c.settings.thresholds.recovery_above_share * 100.0,
            c.settings.thresholds.recovery_above_min
        ),
        format!(
            "{}{}{}",
            o.load_line(),
            o.load_estimate
                .describe()
                .map_or(String::new(), |d| format!(" {d}.")),
            if o.hr_max_estimated {
                " HRmax is estimated, not measured: set your own with hr_max in recovery.toml or --hr-max."
            } else {
                ""
            }
        ),
    ]);

    if !c.source_lines.is_empty() {
        d.heading(2, "Where the data came from");
        d.bullets(c.source_lines.clone());
    }

    d.heading(2, "Charts");
    let (sessions, period_charts): (Vec<&ChartEntry>, Vec<&ChartEntry>) = c
        .charts
        .entries
        .iter()
        .partition(|ch| ch.file.starts_with("sessions/"));
    for ch in period_charts {
        d.heading(3, ch.title.clone());
        match &ch.missing {
            Some(why) => d.paragraph(format!("Not drawn: {why}.")),
            None => {
                d.paragraph(ch.caption.clone());
                d.image(ch.file.clone(), ch.title.clone());
            }
        }
    }
    let drawn = sessions.iter().filter(|ch| ch.missing.is_none()).count();
    if c.charts.pick.flagged > 0 {
        d.heading(3, "Flagged sessions");
        d.paragraph(session_charts_line(&c.charts.pick, drawn));
        if drawn > 0 {
            d.paragraph(format!("Each chart: the heart rate over the session with the {} band shaded and timer pauses in grey; its title gives the class and why, and the rules the session broke.", o.band));
        }
        for ch in sessions {
            d.heading(4, ch.title.clone());
            match &ch.missing {
                Some(why) => d.paragraph(format!("Not drawn: {why}.")),
                None => d.image(ch.file.clone(), ch.title.clone()),
            }
        }
    }

    d.heading(2, "Audit findings");
    if o.findings.is_empty() {
        d.paragraph("No training rule was broken.");
    } else {
        let by_rule = rule_tally(&o.findings, ": ");
        d.paragraph(format!(
            "{} findings, one per day with a rule broken. By rule, an event counted under each rule it breaks: {by_rule}. audit.csv lists every one, with all its rules in the `rules` column.",
            o.findings.len()
        ));
        findings_by_rule(&mut d, &o.findings);
        recent_findings(&mut d, &o.findings);
    }

    d.heading(2, "What moves with what");
    let mut lines: Vec<String> = o
        .analysis
        .relations
        .iter()
        .filter(|r| r.method != "pearson")
        .map(|r| r.text.clone())
        .collect();
    lines.push(o.analysis.curve.text.clone());
    d.bullets(lines);
    d.paragraph("Spearman ρ is shown above. Days depend on each other (soreness carries over, load has a weekly cycle), so the 95 % intervals come from a moving-block bootstrap over days (7-day blocks), and a finding is called clear only where its Benjamini–Hochberg q-value over all comparisons is under 0.05; under 25 pairs it is exploratory. Pearson r, p- and q-values and the narrower intervals that assume independent days are in correlations.csv.");

    d.heading(2, "Files");
    d.links(c.files.clone());
    d
}
