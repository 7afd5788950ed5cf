//! Tables: typed columns built once, written as a polars CSV, a terminal table or JSON.
//!
//! Every tabular output (sessions, days, weeks, audit, correlations) is a [`Table`], so
//! the three formats always agree and numbers are rounded in one place.

use std::io::Write;

use polars::prelude::*;

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Text(Vec<Option<String>>),
    /// Floats, rounded to `decimals` when written.
    Float(Vec<Option<f64>>, usize),
    Int(Vec<Option<i64>>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Float(v, _) => v.len(),
            Values::Int(v) => v.len(),
        }
    }

    /// The cell as text; empty for unknown.
    pub fn cell(&self, row: usize) -> String {
        match self {
            Values::Text(v) => v[row].clone().unwrap_or_default(),
            Values::Float(v, d) => v[row]
                .filter(|x| x.is_finite())
                .map(|x| format!("{:.*}", d, round(x, *d)))
                .unwrap_or_default(),
            Values::Int(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
        }
    }

    fn json(&self, row: usize) -> serde_json::Value {
        match self {
            Values::Text(v) => v[row].clone().map_or(serde_json::Value::Null, Into::into),
            Values::Float(v, d) => v[row]
                .filter(|x| x.is_finite())
                .map_or(serde_json::Value::Null, |x| round(x, *d).into()),
            Values::Int(v) => v[row].map_or(serde_json::Value::Null, Into::into),
        }
    }
}

/// Rounds for output; `+ 0.0` turns a negative zero (an empty `f64` sum is `-0.0`) into 0.
fn round(x: f64, decimals: usize) -> f64 {
    let p = 10f64.powi(decimals as i32);
    (x * p).round() / p + 0.0
}

/// A table with named, typed columns of equal length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<(String, Values)>,
}

impl Table {
    pub fn new() -> Self {
        Table::default()
    }

    /// Adds a column (builder style).
    pub fn col(mut self, name: &str, values: Values) -> Self {
        self.columns.push((name.to_string(), values));
        self
    }

    pub fn text<I: IntoIterator<Item = Option<String>>>(self, name: &str, it: I) -> Self {
        self.col(name, Values::Text(it.into_iter().collect()))
    }

    pub fn float<I: IntoIterator<Item = Option<f64>>>(self, name: &str, dec: usize, it: I) -> Self {
        self.col(name, Values::Float(it.into_iter().collect(), dec))
    }

    pub fn int<I: IntoIterator<Item = Option<i64>>>(self, name: &str, it: I) -> Self {
        self.col(name, Values::Int(it.into_iter().collect()))
    }

    pub fn height(&self) -> usize {
        self.columns.first().map_or(0, |(_, v)| v.len())
    }

    /// The table as a polars DataFrame, floats rounded as they will be written.
    pub fn to_frame(&self) -> PolarsResult<DataFrame> {
        let cols = self
            .columns
            .iter()
            .map(|(name, v)| {
                let name = PlSmallStr::from(name.as_str());
                match v {
                    Values::Text(x) => Column::new(name, x.clone()),
                    Values::Float(x, d) => Column::new(
                        name,
                        x.iter()
                            .map(|o| o.filter(|f| f.is_finite()).map(|f| round(f, *d)))
                            .collect::<Vec<_>>(),
                    ),
                    Values::Int(x) => Column::new(name, x.clone()),
                }
            })
            .collect();
        DataFrame::new(self.height(), cols)
    }

    /// CSV through polars: header row, empty cell for unknown.
    pub fn write_csv(&self, out: &mut impl Write) -> anyhow::Result<()> {
        let mut df = self.to_frame()?;
        CsvWriter::new(out)
            .include_header(true)
            .with_float_scientific(Some(false))
            .finish(&mut df)?;
        Ok(())
    }

    /// A JSON array of objects, one per row, columns in order.
    pub fn to_json(&self) -> serde_json::Value {
        let rows = (0..self.height())
            .map(|r| {
                let obj: serde_json::Map<String, serde_json::Value> = self
                    .columns
                    .iter()
                    .map(|(n, v)| (n.clone(), v.json(r)))
                    .collect();
                serde_json::Value::Object(obj)
            })
            .collect();
        serde_json::Value::Array(rows)
    }

    /// An aligned plain-text table for the terminal (numbers right-aligned).
    // `cells` is column-major; indexing by row is the clear way to print rows.
    #[allow(clippy::needless_range_loop)]
    pub fn to_text(&self) -> String {
        let cells: Vec<Vec<String>> = self
            .columns
            .iter()
            .map(|(_, v)| (0..self.height()).map(|r| v.cell(r)).collect())
            .collect();
        let widths: Vec<usize> = self
            .columns
            .iter()
            .zip(&cells)
            .map(|((n, _), c)| {
                c.iter()
                    .map(|s| s.chars().count())
                    .chain([n.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        let line = |out: &mut String, row: &dyn Fn(usize) -> (String, bool)| {
            let parts: Vec<String> = (0..self.columns.len())
                .map(|i| {
                    let (s, right) = row(i);
                    if right {
                        format!("{:>w$}", s, w = widths[i])
                    } else {
                        format!("{:<w$}", s, w = widths[i])
                    }
                })
                .collect();
            out.push_str(parts.join("  ").trim_end());
            out.push('\n');
        };
        line(&mut out, &|i| (self.columns[i].0.clone(), false));
        for r in 0..self.height() {
            line(&mut out, &|i| {
                let right = !matches!(self.columns[i].1, Values::Text(_));
                (cells[i][r].clone(), right)
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        Table::new()
            .text("name", [Some("a".to_string()), None])
            .float("x", 2, [Some(1.005), Some(f64::NAN)])
            .int("n", [Some(3), None])
    }

    #[test]
    fn csv_has_a_header_and_empty_cells_for_unknown() {
        let mut buf = Vec::new();
        sample().write_csv(&mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(text, "name,x,n\na,1,3\n,,\n");
    }

    #[test]
    fn text_table_aligns_columns() {
        let t = sample().to_text();
        assert_eq!(t, "name  x     n\na     1.00  3\n\n");
    }

    #[test]
    fn json_uses_null_for_unknown() {
        let j = sample().to_json();
        assert_eq!(j[1]["name"], serde_json::Value::Null);
        assert_eq!(j[0]["n"], 3);
    }
}
