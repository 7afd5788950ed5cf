//! `correlations.csv`: one row per relation the analysis tested, with its effect, interval
//! and p-value.

use crate::analysis::Analysis;
use crate::report::tables::Table;

/// A probability with its digits kept when tiny.
fn probability(p: f64) -> String {
    if p != 0.0 && p < 1e-4 {
        format!("{p:.3e}")
    } else {
        format!("{p:.4}")
    }
}

/// `correlations.csv`.
pub fn correlations_table(a: &Analysis) -> Table {
    let r = &a.relations;
    Table::new()
        .text("id", r.iter().map(|x| Some(x.id.clone())))
        .text("what", r.iter().map(|x| Some(x.what.clone())))
        .text("method", r.iter().map(|x| Some(x.method.to_string())))
        .int("n", r.iter().map(|x| Some(x.n as i64)))
        .int("n_other", r.iter().map(|x| x.n_other.map(|n| n as i64)))
        .float("effect", 3, r.iter().map(|x| x.effect))
        .float("ci_low", 3, r.iter().map(|x| x.ci_low))
        .float("ci_high", 3, r.iter().map(|x| x.ci_high))
        .text(
            "interval",
            r.iter()
                .map(|x| (!x.interval.is_empty()).then(|| x.interval.clone())),
        )
        // Text, so that a tiny p-value keeps its digits instead of rounding to 0.
        .text("p_value", r.iter().map(|x| x.p_value.map(probability)))
        .text("q_value", r.iter().map(|x| x.q_value.map(probability)))
        .float(
            "ci_low_independent",
            3,
            r.iter().map(|x| x.ci_low_independent),
        )
        .float(
            "ci_high_independent",
            3,
            r.iter().map(|x| x.ci_high_independent),
        )
        .text("finding", r.iter().map(|x| Some(x.text.clone())))
}
