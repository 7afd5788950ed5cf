//! `audit.csv`: one row per event (a date on which rules were broken).

use crate::report::tables::Table;
use crate::rules::Finding;

/// `audit.csv`: `rule` is the most severe rule broken, `rules` lists all of them
/// (`;`-separated, most severe first).
pub fn audit_table(findings: &[Finding]) -> Table {
    Table::new()
        .date("date", findings.iter().map(|f| Some(f.date)))
        .text("rule", findings.iter().map(|f| Some(f.rule.to_string())))
        .text(
            "severity",
            findings
                .iter()
                .map(|f| Some(f.severity.as_str().to_string())),
        )
        .text("session", findings.iter().map(|f| f.session.clone()))
        .text("found", findings.iter().map(|f| Some(f.found.clone())))
        .text("todo", findings.iter().map(|f| Some(f.todo.clone())))
        .text("rules", findings.iter().map(|f| Some(f.rules.join(";"))))
}
