//! Were the easy days easy: every output that shows a rule agrees with `audit.csv`'s
//! `rules` column, expanded into (date, rule) pairs — the easy-days chart's hard-coloured
//! sessions, the trend chart's marks, the terminal tallies and the summary's tallies.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{csv_rows, sample};
use recovery::config::{self, Overrides};
use recovery::report::figures;

/// `rule n, rule n` (or `rule: n, …`) after `marker` on one line, as a map.
fn tallies(text: &str, marker: &str, sep: &str) -> BTreeMap<String, usize> {
    let line = text
        .lines()
        .find(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("no line with {marker:?} in:\n{text}"));
    let rest = &line[line.find(marker).unwrap() + marker.len()..];
    let rest = rest.split(['.', ')']).next().unwrap();
    rest.split(", ")
        .map(|part| {
            let (rule, n) = part
                .trim()
                .rsplit_once(sep)
                .unwrap_or_else(|| panic!("tally {part:?}"));
            (rule.trim().to_string(), n.trim().parse().unwrap())
        })
        .collect()
}

#[test]
fn the_easy_chart_the_trend_marks_and_every_tally_agree_with_the_audit_rules_column() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = crate::common::output(
        crate::common::bin()
            .arg("analyze")
            .arg(sample())
            .arg("--quiet")
            .arg("--out")
            .arg(dir.path()),
    );
    assert_eq!(code, 0, "{stderr}");

    // The audit, expanded into (date, rule) pairs.
    let audit = csv_rows(&dir.path().join("audit.csv"));
    let pairs: BTreeSet<(String, String)> =
        crate::common::audit_pairs(&dir.path().join("audit.csv"))
            .into_iter()
            .collect();
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    for (_, r) in &pairs {
        *per_rule.entry(r.clone()).or_default() += 1;
    }
    let easy_dates: BTreeSet<String> = pairs
        .iter()
        .filter(|(_, r)| r == "easy_day_not_easy")
        .map(|(d, _)| d.clone())
        .collect();
    // The planted case: two easy sessions broken on days that back_to_back_hard names.
    assert!(easy_dates.len() >= 4, "{easy_dates:?}");
    assert!(easy_dates.contains("2026-10-11") && easy_dates.contains("2026-10-12"));

    // Terminal and summary tallies count an event under each rule it holds.
    assert_eq!(
        tallies(&stdout, "each rule it breaks: ", " "),
        per_rule,
        "{stdout}"
    );
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert_eq!(
        tallies(&summary, "each rule it breaks: ", ": "),
        per_rule,
        "{summary}"
    );
    for (rule, n) in &per_rule {
        assert!(
            summary.contains(&format!("#### {rule} ({n})")),
            "{rule} ({n}) section"
        );
    }
    assert!(summary.contains(&format!("{} findings, one per day", audit.len())));

    // The charts' own data, from the same inputs through the library.
    let settings = config::settings(&Overrides::default()).expect("default settings");
    let inputs = recovery::pipeline::Inputs::new(vec![sample()], None);
    let outcome =
        recovery::pipeline::run(&inputs, &settings, &mut Vec::new()).expect("sample runs");
    let broke: BTreeSet<String> = figures::easy_sessions(&outcome)
        .iter()
        .filter(|e| e.broke_limit)
        .map(|e| e.date.to_string())
        .collect();
    assert_eq!(broke, easy_dates, "hard-coloured bars of easy_days.png");
    let marks: BTreeSet<(String, String)> = figures::trend_days(&outcome)
        .iter()
        .flat_map(|d| {
            d.findings
                .iter()
                .map(|r| (d.date.to_string(), r.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(marks, pairs, "trend chart marks");
}
