//! Tables: typed columns built once as one polars DataFrame, written from that frame as CSV,
//! Parquet or JSON (and the terminal table, in `report/terminal.rs`).
//!
//! Every tabular output is a [`Table`], built by its own file beside this one: `sessions`,
//! `days`, `weeks`, `audit`, `correlations`. The builders fill typed columns,
//! [`Table::to_frame`] turns them into one DataFrame (dates as `Date`, `start_utc` as a UTC
//! `Datetime`, text as `String`, numbers as `Float64`/`Int64`, missing values as nulls), and
//! every format is written from that frame, so the formats always agree and numbers are
//! rounded in one place. Which tables a run writes, and where, is `report/write.rs`.

pub mod audit;
pub mod correlations;
pub mod days;
pub mod sessions;
pub mod weeks;

use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use polars::prelude::*;

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Text(Vec<Option<String>>),
    /// Floats, rounded to `decimals` when written.
    Float(Vec<Option<f64>>, usize),
    Int(Vec<Option<i64>>),
    /// Calendar dates (a polars `Date`).
    Date(Vec<Option<NaiveDate>>),
    /// Instants (a polars `Datetime` in microseconds, time zone UTC).
    Timestamp(Vec<Option<DateTime<Utc>>>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Float(v, _) => v.len(),
            Values::Int(v) => v.len(),
            Values::Date(v) => v.len(),
            Values::Timestamp(v) => v.len(),
        }
    }
}

/// Rounds for output; `+ 0.0` turns a negative zero (an empty `f64` sum is `-0.0`) into 0.
fn round(x: f64, decimals: usize) -> f64 {
    let p = 10f64.powi(decimals as i32);
    (x * p).round() / p + 0.0
}

/// How timestamps are written as text (CSV, terminal, JSON): ISO 8601 in UTC.
pub const TIMESTAMP_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

/// 1970-01-01, day 0 of a polars `Date`.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")
}

/// One cell of a frame as text, exactly as the CSV writer writes it (empty for null).
pub fn cell_text(v: &AnyValue) -> String {
    match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        // polars' CSV writer (positional floats) writes `{v}`: the shortest exact form.
        AnyValue::Float64(x) => format!("{x}"),
        AnyValue::Float32(x) => format!("{x}"),
        AnyValue::Int64(x) => x.to_string(),
        AnyValue::Int32(x) => x.to_string(),
        AnyValue::UInt32(x) => x.to_string(),
        AnyValue::UInt64(x) => x.to_string(),
        AnyValue::Boolean(b) => b.to_string(),
        AnyValue::Date(d) => (epoch() + chrono::Duration::days(i64::from(*d))).to_string(),
        AnyValue::Datetime(t, unit, _) | AnyValue::DatetimeOwned(t, unit, _) => {
            let micros = match unit {
                TimeUnit::Nanoseconds => t / 1_000,
                TimeUnit::Microseconds => *t,
                TimeUnit::Milliseconds => t * 1_000,
            };
            DateTime::<Utc>::from_timestamp_micros(micros)
                .map(|d| d.format(TIMESTAMP_FORMAT).to_string())
                .unwrap_or_default()
        }
        other => other.to_string(),
    }
}

/// One cell of a frame as JSON: numbers as numbers, dates and instants as their text, null
/// for missing.
fn cell_json(v: &AnyValue) -> serde_json::Value {
    match v {
        AnyValue::Null => serde_json::Value::Null,
        AnyValue::Float64(x) => serde_json::Number::from_f64(*x)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        AnyValue::Int64(x) => (*x).into(),
        AnyValue::Int32(x) => (*x).into(),
        AnyValue::UInt32(x) => (*x).into(),
        AnyValue::UInt64(x) => (*x).into(),
        AnyValue::Boolean(b) => (*b).into(),
        other => cell_text(other).into(),
    }
}

/// The frame as CSV: a header row, an empty cell for null, dates `YYYY-MM-DD`, instants
/// `YYYY-MM-DDTHH:MM:SSZ`, floats in their shortest exact form.
pub fn frame_csv(df: &mut DataFrame, out: &mut impl Write) -> anyhow::Result<()> {
    // The header line is written here, not by polars: its header writer makes a null
    // array, whose first use fills an 8 MiB zeroed buffer, 70 % of a one-file `sessions`
    // run (11 ms against 3.3 ms of CPU). Quoted only where needed, as polars does.
    let mut header = csv::Writer::from_writer(Vec::new());
    header.write_record(df.get_column_names().iter().map(|n| n.as_str()))?;
    out.write_all(&header.into_inner()?)?;
    CsvWriter::new(out)
        .include_header(false)
        .with_float_scientific(Some(false))
        .with_datetime_format(Some(TIMESTAMP_FORMAT.into()))
        .finish(df)?;
    Ok(())
}

/// The frame as a Parquet file (Zstd-compressed, one row group per 512 Ki rows).
pub fn frame_parquet(df: &mut DataFrame, out: &mut impl Write) -> anyhow::Result<()> {
    ParquetWriter::new(out).finish(df)?;
    Ok(())
}

/// The frame as a JSON array of objects, one per row, columns in order.
pub fn frame_json(df: &DataFrame) -> serde_json::Value {
    let cols = df.columns();
    let rows = (0..df.height())
        .map(|r| {
            let obj: serde_json::Map<String, serde_json::Value> = cols
                .iter()
                .map(|c| {
                    let v = c.get(r).unwrap_or(AnyValue::Null);
                    (c.name().to_string(), cell_json(&v))
                })
                .collect();
            serde_json::Value::Object(obj)
        })
        .collect();
    serde_json::Value::Array(rows)
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

    pub fn date<I: IntoIterator<Item = Option<NaiveDate>>>(self, name: &str, it: I) -> Self {
        self.col(name, Values::Date(it.into_iter().collect()))
    }

    pub fn timestamp<I: IntoIterator<Item = Option<DateTime<Utc>>>>(
        self,
        name: &str,
        it: I,
    ) -> Self {
        self.col(name, Values::Timestamp(it.into_iter().collect()))
    }

    /// Turns the named text columns into dates when every value in them is a
    /// `YYYY-MM-DD` date (or missing); other columns and names not present are left alone.
    /// For tables whose builders still write dates as text.
    pub fn with_dates(mut self, names: &[&str]) -> Self {
        for (name, values) in &mut self.columns {
            if !names.contains(&name.as_str()) {
                continue;
            }
            if let Values::Text(v) = values {
                let parsed: Option<Vec<Option<NaiveDate>>> = v
                    .iter()
                    .map(|c| match c {
                        None => Some(None),
                        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Some),
                    })
                    .collect();
                if let Some(p) = parsed {
                    *values = Values::Date(p);
                }
            }
        }
        self
    }

    pub fn height(&self) -> usize {
        self.columns.first().map_or(0, |(_, v)| v.len())
    }

    /// The table as one typed polars DataFrame: floats rounded as they will be written,
    /// non-finite floats and empty text as nulls, dates as `Date`, instants as a UTC
    /// `Datetime` (µs).
    pub fn to_frame(&self) -> PolarsResult<DataFrame> {
        let cols = self
            .columns
            .iter()
            .map(|(name, v)| {
                let name = PlSmallStr::from(name.as_str());
                Ok(match v {
                    Values::Text(x) => Column::new(
                        name,
                        x.iter()
                            .map(|o| o.as_deref().filter(|s| !s.is_empty()))
                            .collect::<Vec<_>>(),
                    ),
                    Values::Float(x, d) => Column::new(
                        name,
                        x.iter()
                            .map(|o| o.filter(|f| f.is_finite()).map(|f| round(f, *d)))
                            .collect::<Vec<_>>(),
                    ),
                    Values::Int(x) => Column::new(name, x.clone()),
                    Values::Date(x) => {
                        let days: Vec<Option<i32>> = x
                            .iter()
                            .map(|o| o.map(|d| (d - epoch()).num_days() as i32))
                            .collect();
                        Column::new(name, days).cast(&DataType::Date)?
                    }
                    Values::Timestamp(x) => {
                        let micros: Vec<Option<i64>> =
                            x.iter().map(|o| o.map(|t| t.timestamp_micros())).collect();
                        Int64Chunked::from_iter_options(name, micros.into_iter())
                            .into_datetime(TimeUnit::Microseconds, Some(TimeZone::UTC))
                            .into_column()
                    }
                })
            })
            .collect::<PolarsResult<Vec<Column>>>()?;
        DataFrame::new(self.height(), cols)
    }

    /// CSV through the frame (see [`frame_csv`]).
    pub fn write_csv(&self, out: &mut impl Write) -> anyhow::Result<()> {
        frame_csv(&mut self.to_frame()?, out)
    }

    /// Parquet through the frame (see [`frame_parquet`]).
    pub fn write_parquet(&self, out: &mut impl Write) -> anyhow::Result<()> {
        frame_parquet(&mut self.to_frame()?, out)
    }

    /// A JSON array of objects, one per row, columns in order (see [`frame_json`]).
    pub fn to_json(&self) -> anyhow::Result<serde_json::Value> {
        Ok(frame_json(&self.to_frame()?))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn sample() -> Table {
        Table::new()
            .text("name", [Some("a".to_string()), None])
            .float("x", 2, [Some(1.005), Some(f64::NAN)])
            .int("n", [Some(3), None])
    }

    /// A table with a cell of every type and a missing one of each (also the terminal's tests).
    pub(crate) fn typed() -> Table {
        Table::new()
            .date("date", [NaiveDate::from_ymd_opt(2026, 3, 2), None])
            .timestamp(
                "start_utc",
                [
                    Some(Utc.with_ymd_and_hms(2026, 3, 2, 6, 30, 5).unwrap()),
                    None,
                ],
            )
            .text("class", [Some("hard".into()), Some(String::new())])
            .float("load", 1, [Some(12.25), Some(0.1 + 0.2)])
            .int("n", [Some(2), None])
    }

    fn csv(t: &Table) -> String {
        let mut buf = Vec::new();
        t.write_csv(&mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn csv_has_a_header_and_empty_cells_for_unknown() {
        assert_eq!(csv(&sample()), "name,x,n\na,1,3\n,,\n");
    }

    #[test]
    fn the_header_line_is_the_one_polars_writes() {
        let t = Table::new()
            .text("plain", [Some("x".to_string())])
            .int("with, comma", [Some(1)])
            .int("with \"quote\"", [None]);
        let mut df = t.to_frame().unwrap();
        let mut by_polars = Vec::new();
        CsvWriter::new(&mut by_polars)
            .include_header(true)
            .finish(&mut df)
            .unwrap();
        let ours = csv(&t);
        assert_eq!(ours, String::from_utf8(by_polars).unwrap());
        assert!(ours.starts_with("plain,\"with, comma\",\"with \"\"quote\"\"\"\n"));
        let empty = Table::new().text("a", Vec::<Option<String>>::new());
        assert_eq!(csv(&empty), "a\n", "a header even without rows");
    }

    #[test]
    fn the_frame_is_typed_with_nulls_for_missing() {
        let df = typed().to_frame().unwrap();
        let dtypes: Vec<DataType> = df.dtypes();
        assert_eq!(
            dtypes,
            vec![
                DataType::Date,
                DataType::Datetime(TimeUnit::Microseconds, Some(TimeZone::UTC)),
                DataType::String,
                DataType::Float64,
                DataType::Int64,
            ]
        );
        // The empty string is a null, not "".
        assert_eq!(df.column("class").unwrap().null_count(), 1);
        assert_eq!(df.column("date").unwrap().null_count(), 1);
    }

    #[test]
    fn text_dates_become_dates_only_when_every_value_is_one() {
        let t = Table::new()
            .text("date", [Some("2026-03-02".into()), None])
            .text("week_start", [Some("soon".into())])
            .with_dates(&["date", "week_start"]);
        assert!(matches!(t.columns[0].1, Values::Date(_)));
        assert!(matches!(t.columns[1].1, Values::Text(_)));
    }

    #[test]
    fn parquet_reads_back_to_the_same_frame() {
        let mut df = typed().to_frame().unwrap();
        let mut buf = Vec::new();
        frame_parquet(&mut df, &mut buf).unwrap();
        let back = ParquetReader::new(std::io::Cursor::new(buf))
            .finish()
            .unwrap();
        assert!(back.equals_missing(&df), "{back}\n{df}");
        assert_eq!(back.dtypes(), df.dtypes());
    }

    #[test]
    fn json_uses_null_for_unknown() {
        let j = sample().to_json().unwrap();
        assert_eq!(j[1]["name"], serde_json::Value::Null);
        assert_eq!(j[0]["n"], 3);
        assert_eq!(j[0]["x"], 1.0);
    }
}
