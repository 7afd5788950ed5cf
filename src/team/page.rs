//! `team.md` and `index.html`: who should rest today and why, first; then one line per
//! athlete linking into their report.

use crate::report::doc::esc;
use crate::rules::Advice;

use super::Row;

/// The team page, rendered to Markdown or HTML from the same parts.
pub struct Page<'a> {
    rows: &'a [Row],
    chart: bool,
}

/// One cell of the overview: text, optionally a link.
struct Cell {
    text: String,
    link: Option<String>,
}

const HEADER: [&str; 9] = [
    "athlete",
    "data",
    "sessions",
    "next day",
    "acute / chronic",
    "7 d vs 28 d",
    "findings 14 d",
    "soreness",
    "status",
];

fn num(x: Option<f64>, d: usize) -> String {
    x.map_or("–".into(), |v| format!("{v:.d$}"))
}

impl<'a> Page<'a> {
    pub fn new(rows: &'a [Row], chart: bool) -> Page<'a> {
        Page { rows, chart }
    }

    /// Athletes advised rest or active recovery, most cautious first, with the reason.
    fn attention(&self) -> Vec<(&'a Row, Advice)> {
        let mut v: Vec<_> = self
            .rows
            .iter()
            .filter_map(|r| r.advice.map(|a| (r, a)))
            .filter(|(_, a)| *a <= Advice::ActiveRecovery)
            .collect();
        v.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.athlete.cmp(&b.0.athlete)));
        v
    }

    fn counts(&self) -> String {
        let ok = self.rows.iter().filter(|r| r.is_ok()).count();
        let count = |a: Advice| self.rows.iter().filter(|r| r.advice == Some(a)).count();
        format!(
            "{} athletes, {ok} analysed: {} rest, {} active recovery, {} easy, {} hard ok.",
            self.rows.len(),
            count(Advice::Rest),
            count(Advice::ActiveRecovery),
            count(Advice::Easy),
            count(Advice::HardOk)
        )
    }

    fn attention_lines(&self) -> Vec<(String, String)> {
        self.attention()
            .into_iter()
            .map(|(r, a)| {
                let when = r.advice_for.map_or(String::new(), |d| format!(" on {d}"));
                (
                    format!("{}: {}{when}", r.athlete, a.as_str().replace('_', " ")),
                    r.reason.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    fn table(&self) -> Vec<Vec<Cell>> {
        self.rows
            .iter()
            .map(|r| {
                let link = r
                    .is_ok()
                    .then(|| format!("{}/index.html", url_path(&r.athlete)));
                let data = match (r.first_day, r.last_day) {
                    (Some(a), Some(b)) => format!("{a} to {b}"),
                    _ => "–".into(),
                };
                let sore = match (r.last_soreness, &r.soreness_trend) {
                    (Some(s), Some(t)) => format!("{s:.1} ({t})"),
                    (Some(s), None) => format!("{s:.1}"),
                    _ => "–".into(),
                };
                let texts = [
                    r.athlete.clone(),
                    data,
                    r.sessions.map_or("–".into(), |n| n.to_string()),
                    r.advice
                        .map_or("–".into(), |a| a.as_str().replace('_', " ")),
                    format!("{} / {}", num(r.acute, 0), num(r.chronic, 0)),
                    r.load_7d_vs_28d.map_or("–".into(), |x| format!("{x:.2}×")),
                    r.findings_14d.map_or("–".into(), |n| n.to_string()),
                    sore,
                    r.status.clone(),
                ];
                texts
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| Cell {
                        text,
                        link: if i == 0 { link.clone() } else { None },
                    })
                    .collect()
            })
            .collect()
    }

    pub fn markdown(&self) -> String {
        let mut s = String::from("# Team report\n\n");
        s.push_str(&self.counts());
        s.push_str("\n\n## Who should rest today\n\n");
        let lines = self.attention_lines();
        if lines.is_empty() {
            s.push_str("Nobody: no athlete is advised rest or active recovery.\n");
        }
        for (who, why) in lines {
            s.push_str(&format!("- **{}**: {}\n", md(&who), md(&why)));
        }
        if self.chart {
            s.push_str("\n## Weekly load\n\n![Weekly load of each athlete relative to their own chronic load, last 8 weeks](team_load.png)\n");
        }
        s.push_str("\n## Athletes\n\n| ");
        s.push_str(&HEADER.join(" | "));
        s.push_str(" |\n|");
        s.push_str(&"---|".repeat(HEADER.len()));
        s.push('\n');
        for row in self.table() {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match &c.link {
                    Some(l) => format!("[{}]({l})", md(&c.text)),
                    None => md(&c.text),
                })
                .collect();
            s.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        s.push_str("\nThe same figures are in team.csv; every athlete's tables are in dataset/ (Parquet, partitioned by athlete).\n");
        s
    }

    pub fn html(&self) -> String {
        let mut s = String::from(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Team report</title>\n<style>body{font-family:sans-serif;max-width:75em;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:left}img{max-width:100%}</style></head><body>\n<h1>Team report</h1>\n",
        );
        s.push_str(&format!(
            "<p>{}</p>\n<h2>Who should rest today</h2>\n",
            esc(&self.counts())
        ));
        let lines = self.attention_lines();
        if lines.is_empty() {
            s.push_str("<p>Nobody: no athlete is advised rest or active recovery.</p>\n");
        } else {
            s.push_str("<ul>\n");
            for (who, why) in lines {
                s.push_str(&format!(
                    "<li><strong>{}</strong>: {}</li>\n",
                    esc(&who),
                    esc(&why)
                ));
            }
            s.push_str("</ul>\n");
        }
        if self.chart {
            s.push_str("<h2>Weekly load</h2>\n<p><img src=\"team_load.png\" alt=\"Weekly load of each athlete relative to their own chronic load, last 8 weeks\"></p>\n");
        }
        s.push_str("<h2>Athletes</h2>\n<table>\n<tr>");
        for h in HEADER {
            s.push_str(&format!("<th>{}</th>", esc(h)));
        }
        s.push_str("</tr>\n");
        for row in self.table() {
            s.push_str("<tr>");
            for c in row {
                match c.link {
                    Some(l) => s.push_str(&format!(
                        "<td><a href=\"{}\">{}</a></td>",
                        esc(&l),
                        esc(&c.text)
                    )),
                    None => s.push_str(&format!("<td>{}</td>", esc(&c.text))),
                }
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</table>\n<p>The same figures are in team.csv; every athlete's tables are in dataset/ (Parquet, partitioned by athlete).</p>\n</body></html>\n");
        s
    }
}

/// Markdown cell text: pipes and line breaks would break the table.
fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A folder name as a relative URL path (spaces, `%`, `#`, `?` … percent-encoded).
fn url_path(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, advice: Option<Advice>) -> Row {
        Row {
            athlete: name.into(),
            status: if advice.is_some() {
                "ok".into()
            } else {
                "empty folder: no files to read".into()
            },
            advice,
            reason: advice.map(|_| format!("{name}'s reason")),
            ..Row::default()
        }
    }

    #[test]
    fn those_to_rest_come_first_most_cautious_first_and_links_point_into_each_report() {
        let rows = vec![
            row("ann", Some(Advice::Easy)),
            row("bo b", Some(Advice::ActiveRecovery)),
            row("cy", Some(Advice::Rest)),
            row("dee", None),
        ];
        let page = Page::new(&rows, false);
        let md = page.markdown();
        let cy = md.find("**cy: rest**").expect("cy listed");
        let bob = md.find("**bo b: active recovery**").expect("bo b listed");
        let table = md.find("## Athletes").unwrap();
        assert!(cy < bob && bob < table, "{md}");
        assert!(!md[..table].contains("**ann"), "{md}");
        assert!(md.contains("[bo b](bo%20b/index.html)"), "{md}");
        assert!(md.contains("| dee |"), "{md}");
        let html = page.html();
        assert!(
            html.contains("<a href=\"bo%20b/index.html\">bo b</a>"),
            "{html}"
        );
        assert!(
            html.contains("cy&#39;s reason") || html.contains("cy's reason"),
            "{html}"
        );
    }
}
