//! The words: the terminal summary of a run, and `summary.md` / `index.html`.

use std::collections::BTreeMap;

use crate::classify::Class;
use crate::config::Settings;
use crate::pipeline::Outcome;
use crate::report::doc::Doc;
use crate::rules::{Finding, RULES};

/// A chart and what it shows, or why it was not drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartEntry {
    /// Path relative to the output folder.
    pub file: String,
    pub title: String,
    /// What the chart shows, in words.
    pub caption: String,
    /// Why it is missing, when it was not drawn.
    pub missing: Option<String>,
}

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
    pub charts: Vec<ChartEntry>,
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

/// Findings per rule, every rule listed.
pub fn rule_counts(findings: &[Finding]) -> Vec<(&'static str, usize)> {
    let mut m: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        *m.entry(f.rule).or_default() += 1;
    }
    RULES
        .iter()
        .filter(|r| r.audited)
        .map(|r| (r.id, m.get(r.id).copied().unwrap_or(0)))
        .collect()
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
    let rules = rule_counts(&o.findings)
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(r, n)| format!("{r} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    out.push_str(&format!(
        "audit: {} findings{}\n",
        o.findings.len(),
        if rules.is_empty() {
            String::new()
        } else {
            format!(" ({rules})")
        }
    ));
    for f in top_findings(&o.findings, top) {
        out.push_str(&format!("  ! {}\n", finding_line(f)));
    }
    out
}

/// The document behind `summary.md` and `index.html`.
pub fn document(c: &Context) -> Doc {
    let o = c.outcome;
    let mut d = Doc::default();
    let period = period(o).unwrap_or_else(|| "no data".into());
    d.h(1, format!("Training and recovery report, {period}"));
    d.p(format!(
        "Data: {}. Inputs: {}. Journal: {}.",
        c.source, c.ingest_line, c.journal_line
    ));
    if !c.what_next.is_empty() {
        d.h(2, "What next");
        d.bullets(c.what_next.clone());
    }

    d.h(2, "Overview");
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
            "Band {} ({}). Hard: at least {:.0} min or {:.0} % of the heart-rate time above it; active recovery: at most {:.0} min with under {:.0} % and under {:.0} min above; easy: the rest.",
            c.settings.band,
            c.settings.band_source,
            c.settings.thresholds.hard_above_min,
            c.settings.thresholds.hard_above_share * 100.0,
            c.settings.thresholds.recovery_max_min,
            c.settings.thresholds.recovery_above_share * 100.0,
            c.settings.thresholds.recovery_above_min
        ),
        format!(
            "Load is Banister TRIMP with HRmax {:.0} bpm ({}) and HRrest {:.0} bpm.{}",
            o.hr_max,
            o.hr_max_source,
            c.settings.hr_rest,
            if o.hr_max_estimated {
                " HRmax is estimated, not measured: set your own with hr_max in recovery.toml or --hr-max."
            } else {
                ""
            }
        ),
    ]);

    if !c.source_lines.is_empty() {
        d.h(2, "Where the data came from");
        d.bullets(c.source_lines.clone());
    }

    d.h(2, "Charts");
    for ch in &c.charts {
        d.h(3, ch.title.clone());
        match &ch.missing {
            Some(why) => d.p(format!("Not drawn: {why}.")),
            None => {
                d.p(ch.caption.clone());
                d.image(ch.file.clone(), ch.title.clone());
            }
        }
    }

    d.h(2, "Audit findings");
    if o.findings.is_empty() {
        d.p("No training rule was broken.");
    } else {
        let by_rule = rule_counts(&o.findings)
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(r, n)| format!("{r}: {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        d.p(format!("{} findings ({by_rule}).", o.findings.len()));
        d.bullets(o.findings.iter().map(finding_line).collect());
    }

    d.h(2, "What moves with what");
    let mut lines: Vec<String> = o
        .analysis
        .relations
        .iter()
        .filter(|r| r.method != "pearson")
        .map(|r| r.text.clone())
        .collect();
    lines.push(o.analysis.curve.text.clone());
    d.bullets(lines);
    d.p("Spearman ρ is shown above. Days depend on each other (soreness carries over, load has a weekly cycle), so the 95 % intervals come from a moving-block bootstrap over days (7-day blocks), and a finding is called clear only where its Benjamini–Hochberg q-value over all comparisons is under 0.05; under 25 pairs it is exploratory. Pearson r, p- and q-values and the narrower intervals that assume independent days are in correlations.csv.");

    d.h(2, "Files");
    d.links(c.files.clone());
    d
}
