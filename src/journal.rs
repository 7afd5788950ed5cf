//! Reads the athlete's soreness and sleep journal (a hand-kept CSV) into dated entries, and
//! says what is wrong with each bad row in one line naming the file, line and column.
//!
//! The journal has one row per day, any day may be missing:
//!
//! ```text
//! date,soreness,sleep_hours,sleep_quality,resting_hr,planned,notes
//! 2026-03-02,3,7.5,4,52,easy,legs heavy after intervals
//! ```
//!
//! | column          | meaning                                                   | accepted            |
//! |-----------------|-----------------------------------------------------------|---------------------|
//! | `date`          | the morning the soreness was felt (required column)       | `YYYY-MM-DD`        |
//! | `soreness`      | how sore, required column; the cell may be empty          | 0–10, decimals ok   |
//! | `sleep_hours`   | the night ending that morning; required column only when sleep comes from the journal | 0–24 as `7.5` or `7:30` |
//! | `sleep_quality` | optional                                                  | whole number 1–5    |
//! | `resting_hr`    | optional, beats per minute                                | 25–150              |
//! | `hrv_ms`        | optional                                                  | 1–300               |
//! | `rpe`           | optional, perceived effort of the day's sessions (Borg CR-10): gives a load to sessions without heart rate | 0–10 |
//! | `planned`       | optional, what the day's training was meant to be         | `hard`, `easy`, `recovery` (or `active_recovery`), `rest`; any case |
//! | `notes`         | optional free text; quote it when it contains commas      | anything            |
//!
//! Column order is free and header names are matched after trimming, ignoring case and reading
//! spaces or hyphens as underscores (`Sleep Hours` is `sleep_hours`). An empty cell means "not
//! logged". A UTF-8 byte-order mark, CRLF or CR line ends, blank lines (including rows of empty
//! cells a spreadsheet leaves) and spaces around cells are all accepted.
//!
//! A bad row is reported and left out; the good rows are still used, because one typo should not
//! cost the athlete a season of data. Only problems that make the whole file unreadable (empty,
//! not UTF-8 text, a header without the needed columns) are errors.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use csv::ByteRecord;

/// How the caller wants the journal read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalOptions {
    /// Sleep comes from the journal, so a header without `sleep_hours` is an error. False when
    /// the watch supplies sleep and the journal may hold only `date,soreness`.
    pub require_sleep: bool,
}

/// What the day's training was meant to be, as the athlete wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Planned {
    Hard,
    Easy,
    Recovery,
    Rest,
}

impl Planned {
    /// The name used in the journal and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Planned::Hard => "hard",
            Planned::Easy => "easy",
            Planned::Recovery => "recovery",
            Planned::Rest => "rest",
        }
    }

    /// Reads a journal cell, ignoring case; `active_recovery` (also `active recovery` or
    /// `active-recovery`) is recovery, since that is what training plans call it.
    pub fn parse(text: &str) -> Option<Planned> {
        match normalize_name(text).as_str() {
            "hard" => Some(Planned::Hard),
            "easy" => Some(Planned::Easy),
            "recovery" | "active_recovery" => Some(Planned::Recovery),
            "rest" => Some(Planned::Rest),
            _ => None,
        }
    }
}

impl fmt::Display for Planned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One day of the journal. `None` means the athlete left the cell empty (or has no such column).
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    /// The physical line of the file the row starts on (the header is usually line 1).
    pub line: usize,
    /// The morning the soreness was felt; sleep is for the night ending that morning.
    pub date: NaiveDate,
    /// 0–10; decimals such as 3.5 are kept, because athletes do write them.
    pub soreness: Option<f64>,
    /// 0–24 hours.
    pub sleep_hours: Option<f64>,
    /// 1–5.
    pub sleep_quality: Option<u8>,
    /// Beats per minute, 25–150.
    pub resting_hr: Option<f64>,
    /// Milliseconds, 1–300.
    pub hrv_ms: Option<f64>,
    /// The day's perceived effort, 0–10 (Borg CR-10), for sessions without heart rate.
    pub rpe: Option<f64>,
    pub planned: Option<Planned>,
    /// Trimmed free text; empty when none.
    pub notes: String,
}

/// A row that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalProblem {
    /// The physical line the row starts on.
    pub line: usize,
    /// 1-based column of the bad cell, when one cell is to blame.
    pub column: Option<usize>,
    /// The whole one-line message, label and location included, e.g.
    /// `journal.csv line 14, column 2 (soreness): "11" is outside 0–10`.
    pub message: String,
}

impl fmt::Display for JournalProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The journal as read: the usable days and everything that was said about the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Journal {
    /// How the file is named in messages (its path, or whatever the caller passed).
    pub label: String,
    /// One entry per date, sorted by date.
    pub entries: Vec<JournalEntry>,
    /// Rows left out, in file order; a row with several bad cells has one problem per cell.
    pub problems: Vec<JournalProblem>,
    /// Things that cost no data but the athlete may want to know (unknown columns, no rows).
    pub warnings: Vec<String>,
    /// How many rows were left out (a row counts once however many problems it has).
    pub rows_left_out: usize,
    /// Values left out of rows that were otherwise used (a bad HRV: the soreness and sleep
    /// of the row still count); each has its line in `problems`.
    pub values_left_out: usize,
    /// Whether the header has `sleep_hours`; when false, sleep must come from elsewhere.
    pub has_sleep_column: bool,
}

impl Journal {
    /// The entry for one date, if the athlete logged that day.
    pub fn entry_on(&self, date: NaiveDate) -> Option<&JournalEntry> {
        self.entries
            .binary_search_by_key(&date, |entry| entry.date)
            .ok()
            .and_then(|index| self.entries.get(index))
    }
}

/// Why the journal could not be read at all. Display is the one-line message.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{label} is empty: expected a header line such as {EXAMPLE_HEADER}")]
    Empty { label: String },
    #[error(
        "{label} is not UTF-8 text ({why}): save it as UTF-8 (in a spreadsheet, choose CSV UTF-8)"
    )]
    NotText { label: String, why: &'static str },
    #[error("{label} line {line} (the header) is not valid UTF-8: save the file as UTF-8 (in a spreadsheet, choose CSV UTF-8)")]
    HeaderNotUtf8 { label: String, line: usize },
    #[error(
        "{label} separates columns with {separator}: save it with commas, e.g. {EXAMPLE_HEADER}"
    )]
    Separator {
        label: String,
        separator: &'static str,
    },
    #[error("{label} line {line} looks like data, not a header: add a first line such as {EXAMPLE_HEADER}")]
    NoHeader { label: String, line: usize },
    #[error(
        "{label}: the header has no {missing} (found: {found}); it should look like {expected}"
    )]
    MissingColumns {
        label: String,
        /// Already phrased, e.g. `soreness column` or `date and soreness columns`.
        missing: String,
        found: String,
        expected: String,
    },
    #[error("{label}: the header has no sleep_hours column, which is needed when sleep comes from the journal (found: {found}); it should look like {expected}")]
    MissingSleep {
        label: String,
        found: String,
        expected: String,
    },
    #[error("{label}: the header names {name} twice (columns {first} and {second}): keep one")]
    DuplicateColumn {
        label: String,
        name: &'static str,
        first: usize,
        second: usize,
    },
    // Reading flexible byte records from a slice has no failure path in csv 1.x; the variant
    // keeps a future csv version's error a message instead of a panic.
    #[error("{label}: cannot be read as CSV: {message}")]
    Csv { label: String, message: String },
    // The io error is part of the message rather than a `source`, so a printed chain says it once.
    #[error("cannot read journal {}: {cause}; check the path and that the file is readable", path.display())]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
}

/// Reads a journal file; the path as given is the label in messages.
pub fn read_journal_file(path: &Path, opts: &JournalOptions) -> Result<Journal, JournalError> {
    let bytes = std::fs::read(path).map_err(|cause| JournalError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    read_journal(&path.display().to_string(), &bytes, opts)
}

/// Reads a journal from bytes. `label` names the file in messages. Never panics.
pub fn read_journal(
    label: &str,
    bytes: &[u8],
    opts: &JournalOptions,
) -> Result<Journal, JournalError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    check_is_text(label, bytes)?;
    let bytes = normalize_line_ends(bytes);
    let mut lines = LineCounter::new(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[..]);
    let mut record = ByteRecord::new();
    let csv_error = |error: csv::Error| JournalError::Csv {
        label: label.to_string(),
        message: error.to_string(),
    };

    let header = loop {
        if !reader.read_byte_record(&mut record).map_err(csv_error)? {
            return Err(JournalError::Empty {
                label: label.to_string(),
            });
        }
        if !is_blank(&record) {
            break record.clone();
        }
    };
    let mut warnings = Vec::new();
    let columns =
        Columns::from_header(label, &header, lines.line_of(&header), opts, &mut warnings)?;

    let mut by_date: BTreeMap<NaiveDate, JournalEntry> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut rows = 0;
    let mut rows_left_out = 0;
    let mut values_left_out = 0;
    while reader.read_byte_record(&mut record).map_err(csv_error)? {
        if is_blank(&record) {
            continue;
        }
        rows += 1;
        let line = lines.line_of(&record);
        match columns.read_row(label, &record, line) {
            Ok((entry, kept)) => {
                if let Some(first) = by_date.get(&entry.date) {
                    // The earlier row wins so that appending a row never silently changes a day.
                    problems.push(JournalProblem {
                        line,
                        column: None,
                        message: format!(
                            "{label} line {line}: date {} already given on line {}; the later row is left out",
                            entry.date, first.line
                        ),
                    });
                    rows_left_out += 1;
                } else {
                    // A value left out counts only in a row that is used: a row left out
                    // whole (its date given before) is one row, not also a value.
                    if let Some(p) = kept {
                        problems.push(p);
                        values_left_out += 1;
                    }
                    by_date.insert(entry.date, entry);
                }
            }
            Err(mut row_problems) => {
                problems.append(&mut row_problems);
                rows_left_out += 1;
            }
        }
    }
    if rows == 0 {
        warnings.push(format!("{label} has a header but no rows"));
    }

    Ok(Journal {
        label: label.to_string(),
        entries: by_date.into_values().collect(),
        problems,
        warnings,
        rows_left_out,
        values_left_out,
        has_sleep_column: columns.index(Field::SleepHours).is_some(),
    })
}

/// Shown wherever the athlete needs to see what a header looks like.
const EXAMPLE_HEADER: &str = "date,soreness,sleep_hours";

/// The date format's example, in every date message so the fix is a copy away.
const EXAMPLE_DATE: &str = "2026-03-02";

/// Longest cell text quoted back in a message; a runaway note would drown the line.
const MAX_QUOTED_CHARS: usize = 40;

/// Longest header shown back in a message; a header is longer than a cell but not unbounded.
const MAX_QUOTED_HEADER_CHARS: usize = 120;

/// The columns the journal knows, in the order suggested headers list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Date,
    Soreness,
    SleepHours,
    SleepQuality,
    RestingHr,
    HrvMs,
    Rpe,
    Planned,
    Notes,
}

impl Field {
    const ALL: [Field; 9] = [
        Field::Date,
        Field::Soreness,
        Field::SleepHours,
        Field::SleepQuality,
        Field::RestingHr,
        Field::HrvMs,
        Field::Rpe,
        Field::Planned,
        Field::Notes,
    ];

    fn name(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Soreness => "soreness",
            Field::SleepHours => "sleep_hours",
            Field::SleepQuality => "sleep_quality",
            Field::RestingHr => "resting_hr",
            Field::HrvMs => "hrv_ms",
            Field::Rpe => "rpe",
            Field::Planned => "planned",
            Field::Notes => "notes",
        }
    }

    /// The accepted range of a numeric column and an example value for messages.
    fn range(self) -> Option<Range> {
        let (low, high, whole, example) = match self {
            Field::Soreness => (0.0, 10.0, false, "3"),
            Field::SleepHours => (0.0, 24.0, false, "7.5 or 7:30"),
            Field::SleepQuality => (1.0, 5.0, true, "4"),
            Field::RestingHr => (25.0, 150.0, false, "52"),
            Field::HrvMs => (1.0, 300.0, false, "65"),
            Field::Rpe => (0.0, 10.0, false, "6"),
            Field::Date | Field::Planned | Field::Notes => return None,
        };
        Some(Range {
            low,
            high,
            whole,
            example,
        })
    }
}

#[derive(Debug, Clone, Copy)]
struct Range {
    low: f64,
    high: f64,
    whole: bool,
    example: &'static str,
}

/// Where each known column sits in the file, and what the header called every column.
#[derive(Debug)]
struct Columns {
    index: [Option<usize>; Field::ALL.len()],
    names: Vec<String>,
}

impl Columns {
    fn from_header(
        label: &str,
        header: &ByteRecord,
        line: usize,
        opts: &JournalOptions,
        warnings: &mut Vec<String>,
    ) -> Result<Columns, JournalError> {
        let names = header
            .iter()
            .map(|cell| std::str::from_utf8(cell).map(|name| name.trim().to_string()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| JournalError::HeaderNotUtf8 {
                label: label.to_string(),
                line,
            })?;
        // A European spreadsheet's "CSV" uses semicolons; one header cell holding them says so.
        if let [only] = names.as_slice() {
            for (separator, name) in [(';', "semicolons"), ('\t', "tabs")] {
                if only.contains(separator) {
                    return Err(JournalError::Separator {
                        label: label.to_string(),
                        separator: name,
                    });
                }
            }
        }

        let mut index = [None; Field::ALL.len()];
        for (position, name) in names.iter().enumerate() {
            let key = normalize_name(name);
            match Field::ALL.iter().find(|field| field.name() == key) {
                Some(&field) => {
                    if let Some(first) = index[field as usize] {
                        return Err(JournalError::DuplicateColumn {
                            label: label.to_string(),
                            name: field.name(),
                            first: first + 1,
                            second: position + 1,
                        });
                    }
                    index[field as usize] = Some(position);
                }
                None if name.is_empty() => warnings.push(format!(
                    "{label}: column {} has no name and is ignored",
                    position + 1
                )),
                None => warnings.push(format!(
                    "{label}: unknown column {} ignored (known: {})",
                    quote(name),
                    Field::ALL.map(Field::name).join(", ")
                )),
            }
        }
        let columns = Columns { index, names };

        let missing: Vec<Field> = [Field::Date, Field::Soreness, Field::SleepHours]
            .into_iter()
            .filter(|&field| field != Field::SleepHours || opts.require_sleep)
            .filter(|&field| columns.index(field).is_none())
            .collect();
        if missing.is_empty() {
            return Ok(columns);
        }
        if columns.index(Field::Date).is_none()
            && columns
                .names
                .first()
                .is_some_and(|first| parse_date(first).is_ok())
        {
            return Err(JournalError::NoHeader {
                label: label.to_string(),
                line,
            });
        }
        let found = one_line(&columns.names.join(","), MAX_QUOTED_HEADER_CHARS);
        let expected = columns.suggested_header();
        if missing == [Field::SleepHours] {
            return Err(JournalError::MissingSleep {
                label: label.to_string(),
                found,
                expected,
            });
        }
        let names: Vec<&str> = missing.iter().map(|field| field.name()).collect();
        let missing = match names.as_slice() {
            [one] => format!("{one} column"),
            [rest @ .., last] => format!("{} and {last} columns", rest.join(", ")),
            [] => String::new(),
        };
        Err(JournalError::MissingColumns {
            label: label.to_string(),
            missing,
            found,
            expected,
        })
    }

    fn index(&self, field: Field) -> Option<usize> {
        self.index[field as usize]
    }

    /// The header the athlete has, minus unknown columns, plus date, soreness and sleep_hours.
    fn suggested_header(&self) -> String {
        Field::ALL
            .iter()
            .filter(|&&field| {
                matches!(field, Field::Date | Field::Soreness | Field::SleepHours)
                    || self.index(field).is_some()
            })
            .map(|field| field.name())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// `column 2 (soreness)`, or just `column 9` past the header's end or under an empty name.
    fn describe(&self, position: usize) -> String {
        match self.names.get(position).filter(|name| !name.is_empty()) {
            Some(name) => format!(
                "column {} ({})",
                position + 1,
                one_line(name, MAX_QUOTED_CHARS)
            ),
            None => format!("column {}", position + 1),
        }
    }

    fn read_row(
        &self,
        label: &str,
        record: &ByteRecord,
        line: usize,
    ) -> Result<(JournalEntry, Option<JournalProblem>), Vec<JournalProblem>> {
        // An unclosed quote swallows the rows after it; say so before the field count misleads.
        // Trailing line ends are left out of the count: at the end of the file they are the
        // file's last line end, not a line the quote reached.
        let spanned_lines: usize = record
            .iter()
            .map(|cell| {
                cell.trim_ascii_end()
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
            })
            .sum();
        for (position, cell) in record.iter().enumerate() {
            if swallowed_rows(cell) {
                return Err(vec![JournalProblem {
                    line,
                    column: Some(position + 1),
                    message: format!(
                        "{label} line {line}, {}: a quote opened here is still open on line {}, so the rows in between were read as part of this cell: close the quote or remove it",
                        self.describe(position),
                        line + spanned_lines
                    ),
                }]);
            }
        }
        // Journals glued together from two exports repeat the header mid-file.
        let date_cell = self
            .index(Field::Date)
            .and_then(|position| record.get(position));
        if date_cell.is_some_and(|cell| cell.trim_ascii().eq_ignore_ascii_case(b"date")) {
            return Err(vec![JournalProblem {
                line,
                column: None,
                message: format!("{label} line {line} repeats the header: remove it"),
            }]);
        }
        if record.len() != self.names.len() {
            return Err(vec![JournalProblem {
                line,
                column: None,
                message: self.field_count_message(label, record, line),
            }]);
        }

        let mut problems = Vec::new();
        let mut cell = |field: Field| -> Option<&str> {
            let position = self.index(field)?;
            let bytes = record.get(position)?;
            let text = match std::str::from_utf8(bytes) {
                Ok(text) => text.trim(),
                Err(_) => {
                    problems.push(JournalProblem {
                        line,
                        column: Some(position + 1),
                        message: format!(
                            "{label} line {line}, {}: {} is not UTF-8 text: save the file as UTF-8 (in a spreadsheet, choose CSV UTF-8)",
                            self.describe(position),
                            quote(&String::from_utf8_lossy(bytes))
                        ),
                    });
                    return None;
                }
            };
            Some(text)
        };
        // Decode every column first so one row reports all its undecodable cells at once.
        let texts = Field::ALL.map(&mut cell);
        let text = |field: Field| texts[field as usize].filter(|text| !text.is_empty());

        // HRV is an optional measurement: a bad one costs only itself, not the row.
        let hrv = text(Field::HrvMs).map(|value| {
            let range = Field::HrvMs.range().expect("hrv_ms has a range");
            parse_number(value, Field::HrvMs, range)
        });
        let mut report = |field: Field, detail: String| {
            let position = self.index(field).unwrap_or(0);
            problems.push(JournalProblem {
                line,
                column: Some(position + 1),
                message: format!("{label} line {line}, {}: {detail}", self.describe(position)),
            });
        };
        let date = match texts[Field::Date as usize] {
            Some("") => {
                report(
                    Field::Date,
                    format!("the date is empty: every row needs one, as YYYY-MM-DD, e.g. {EXAMPLE_DATE}"),
                );
                None
            }
            Some(date) => parse_date(date)
                .map_err(|detail| report(Field::Date, detail))
                .ok(),
            None => None,
        };
        let mut number = |field: Field| -> Option<f64> {
            let range = field.range()?;
            let value = text(field)?;
            parse_number(value, field, range)
                .map_err(|detail| report(field, detail))
                .ok()
        };
        let soreness = number(Field::Soreness);
        let sleep_hours = number(Field::SleepHours);
        // Whole and within 1–5, so the cast is exact.
        let sleep_quality = number(Field::SleepQuality).map(|value| value as u8);
        let resting_hr = number(Field::RestingHr);
        let rpe = number(Field::Rpe);
        let (hrv_ms, hrv_bad) = match hrv {
            Some(Ok(v)) => (Some(v), None),
            Some(Err(detail)) => (None, Some(detail)),
            None => (None, None),
        };
        let planned = text(Field::Planned).and_then(|value| {
            let planned = Planned::parse(value);
            if planned.is_none() {
                report(
                    Field::Planned,
                    format!(
                        "{} is not a planned value: expected hard, easy, recovery or rest",
                        quote(value)
                    ),
                );
            }
            planned
        });
        let notes = text(Field::Notes).unwrap_or_default().to_string();

        let hrv_problem = |kept: bool| {
            hrv_bad.as_ref().map(|detail| {
                let position = self.index(Field::HrvMs).unwrap_or(0);
                JournalProblem {
                    line,
                    column: Some(position + 1),
                    message: format!(
                        "{label} line {line}, {}: {detail}{}",
                        self.describe(position),
                        if kept {
                            "; the HRV is left out, the rest of the row is used"
                        } else {
                            ""
                        }
                    ),
                }
            })
        };
        match date {
            Some(date) if problems.is_empty() => Ok((
                JournalEntry {
                    line,
                    date,
                    soreness,
                    sleep_hours,
                    sleep_quality,
                    resting_hr,
                    hrv_ms,
                    rpe,
                    planned,
                    notes,
                },
                hrv_problem(true),
            )),
            _ => {
                problems.extend(hrv_problem(false));
                Err(problems)
            }
        }
    }

    fn field_count_message(&self, label: &str, record: &ByteRecord, line: usize) -> String {
        let (found, expected) = (record.len(), self.names.len());
        let prefix = format!("{label} line {line} has {found} fields, the header has {expected}");
        if found < expected {
            return format!(
                "{prefix}: keep one cell per column, leaving a cell empty (,,) when nothing was logged"
            );
        }
        // An unquoted 7,5 splits into two all-digit cells. Where joining two such cells back
        // with a point makes the row valid, name them; often more than one join would do.
        let digits = |position: usize| {
            record
                .get(position)
                .and_then(|cell| std::str::from_utf8(cell).ok())
                .map(str::trim)
                .filter(|text| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        };
        let mut candidates = Vec::new();
        if found == expected + 1 {
            let mut numeric: Vec<usize> = Field::ALL
                .iter()
                .filter(|field| field.range().is_some())
                .filter_map(|&field| self.index(field))
                .collect();
            numeric.sort_unstable();
            for position in numeric {
                let (Some(whole), Some(fraction)) = (digits(position), digits(position + 1)) else {
                    continue;
                };
                let mut joined = ByteRecord::new();
                for (i, cell) in record.iter().enumerate() {
                    if i == position {
                        joined.push_field(format!("{whole}.{fraction}").as_bytes());
                    } else if i != position + 1 {
                        joined.push_field(cell);
                    }
                }
                if self.read_row(label, &joined, line).is_ok() {
                    candidates.push((
                        format!("\"{whole},{fraction}\" at {}", self.describe(position)),
                        format!("{whole}.{fraction}"),
                    ));
                }
            }
        }
        match candidates.as_slice() {
            [] => {}
            [(cell, fixed)] => {
                return format!("{prefix}: {cell} looks like a decimal comma; write {fixed}")
            }
            several => {
                let cells: Vec<&str> = several.iter().map(|(cell, _)| cell.as_str()).collect();
                return format!(
                    "{prefix}: one of {} looks like a decimal comma; write decimals with a point, e.g. 7.5",
                    cells.join(" or ")
                );
            }
        }
        format!("{prefix}: write decimals with a point (7.5, not 7,5) and put notes that contain commas in double quotes")
    }
}

/// Only `YYYY-MM-DD` with a real calendar day; other formats are ambiguous (03/02 is March in
/// one country and February in another), so they are refused rather than guessed.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    let not_a_date = || {
        format!(
            "{} is not a date: expected YYYY-MM-DD, e.g. {EXAMPLE_DATE}",
            quote(text)
        )
    };
    if !shaped {
        return Err(not_a_date());
    }
    let part = |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<u32>().ok());
    let (Some(year), Some(month), Some(day)) = (part(0..4), part(5..7), part(8..10)) else {
        return Err(not_a_date());
    };
    i32::try_from(year)
        .ok()
        .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
        .ok_or_else(|| {
            format!(
                "{} is not a calendar date: check the month (01–12) and the day of the month",
                quote(text)
            )
        })
}

/// A number in the field's range. Sleep also takes `h:mm`. A decimal comma gets its own
/// message because it is the most common mistake from a European spreadsheet.
fn parse_number(text: &str, field: Field, range: Range) -> Result<f64, String> {
    let Range {
        low,
        high,
        whole,
        example,
    } = range;
    let plain = |s: &str| {
        // f64's parser also takes "NaN", "inf" and "1e3"; none of those is something a person logs.
        let numeric = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b"+-.".contains(&b));
        numeric.then(|| s.parse::<f64>().ok()).flatten()
    };
    let value = if field == Field::SleepHours && text.contains(':') {
        parse_hours_minutes(text).ok_or_else(|| {
            format!(
                "{} is not a time: expected h:mm such as 7:30, or hours such as 7.5",
                quote(text)
            )
        })?
    } else if let Some(value) = plain(text) {
        value
    } else if text.contains(',') && plain(&text.replace(',', ".")).is_some() {
        return Err(format!(
            "{} uses a comma: write {}",
            quote(text),
            text.replace(',', ".")
        ));
    } else {
        return Err(format!(
            "{} is not a number: expected {low}–{high}, e.g. {example}",
            quote(text)
        ));
    };
    if whole && value.fract() != 0.0 {
        return Err(format!(
            "{} is not a whole number: expected {low}–{high}",
            quote(text)
        ));
    }
    if !(low..=high).contains(&value) {
        return Err(format!("{} is outside {low}–{high}", quote(text)));
    }
    // Adding zero turns "-0" into 0, so it never shows up in a report as -0.
    Ok(value + 0.0)
}

/// `7:30` is seven and a half hours. Minutes must be two digits below 60, so `7:5` is refused
/// rather than guessed as 7:05 or 7:50.
fn parse_hours_minutes(text: &str) -> Option<f64> {
    let (hours, minutes) = text.split_once(':')?;
    let digits = |s: &str, lengths: std::ops::RangeInclusive<usize>| {
        (lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let hours = digits(hours, 1..=2)?;
    let minutes = digits(minutes, 2..=2).filter(|&m| m < 60)?;
    Some(f64::from(hours) + f64::from(minutes) / 60.0)
}

/// Header names as the athlete might type them: `Sleep Hours`, `sleep-hours`, ` SORENESS `.
fn normalize_name(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The cell as the athlete wrote it, in quotes, with newlines and control bytes escaped so the
/// message stays on one line, and cut short when long.
fn quote(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(MAX_QUOTED_CHARS).collect();
    let quoted = format!("{head:?}");
    if chars.next().is_some() {
        format!("{quoted}…")
    } else {
        quoted
    }
}

/// Text shown as written but with control characters escaped, so a header that swallowed a
/// line break (an unclosed quote) cannot break the message over lines; cut short when long.
fn one_line(text: &str, max_chars: usize) -> String {
    let mut shown = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == max_chars {
            shown.push('…');
            break;
        }
        if c.is_control() {
            shown.extend(c.escape_debug());
        } else {
            shown.push(c);
        }
    }
    shown
}

/// Blank lines are skipped by the CSV reader; rows of empty cells (what a spreadsheet writes for
/// a blank line) and lines of spaces are skipped here.
fn is_blank(record: &ByteRecord) -> bool {
    record.iter().all(|cell| cell.trim_ascii().is_empty())
}

/// True when a cell holds a line that starts like a journal row: the sign of a quote opened in
/// one row and closed (if ever) rows later. A genuine multi-line note rarely starts a line with a date.
fn swallowed_rows(cell: &[u8]) -> bool {
    cell.split(|&b| b == b'\n').skip(1).any(|line| {
        let line = line.trim_ascii_start();
        let line = line.strip_prefix(b"\"").unwrap_or(line);
        line.get(..10)
            .and_then(|start| std::str::from_utf8(start).ok())
            .is_some_and(|start| parse_date(start).is_ok())
    })
}

/// Refuses files that are not text before the CSV reader turns them into nonsense columns.
fn check_is_text(label: &str, bytes: &[u8]) -> Result<(), JournalError> {
    let why = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        "it starts with a UTF-16 byte-order mark"
    } else if bytes.contains(&0) {
        "it contains NUL bytes, as UTF-16 and binary files do"
    } else {
        return Ok(());
    };
    Err(JournalError::NotText {
        label: label.to_string(),
        why,
    })
}

/// Old Mac files end lines with CR alone, and a stray CR can sit inside an LF file; the
/// CSV reader ends a row at either, the line counter counts LF, so every CR not followed by
/// LF becomes LF (as editors show it: a line break). Otherwise two rows split by a stray
/// CR were both named by one line number.
fn normalize_line_ends(bytes: &[u8]) -> Cow<'_, [u8]> {
    let lone_cr = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone_cr) {
        return Cow::Borrowed(bytes);
    }
    Cow::Owned(
        (0..bytes.len())
            .map(|i| if lone_cr(i) { b'\n' } else { bytes[i] })
            .collect(),
    )
}

/// Physical line numbers. The csv crate's own line count lags after CRLF and blank lines, so
/// the line is counted from the record's byte offset: skip the line ends the reader had not yet
/// consumed, then count the LFs before it. Offsets only grow, so the count is kept incrementally.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    fn line_of(&mut self, record: &ByteRecord) -> usize {
        let mut start = record
            .position()
            .and_then(|position| usize::try_from(position.byte()).ok())
            .unwrap_or(self.offset)
            .max(self.offset)
            .min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let skipped = self.bytes.get(self.offset..start).unwrap_or_default();
        self.line += skipped.iter().filter(|&&b| b == b'\n').count();
        self.offset = start;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLEEP_FROM_JOURNAL: JournalOptions = JournalOptions {
        require_sleep: true,
    };
    const SLEEP_FROM_WATCH: JournalOptions = JournalOptions {
        require_sleep: false,
    };
    const FULL_HEADER: &str =
        "date,soreness,sleep_hours,sleep_quality,resting_hr,hrv_ms,planned,notes";

    fn read(text: &str) -> Journal {
        read_journal("journal.csv", text.as_bytes(), &SLEEP_FROM_JOURNAL)
            .expect("the test journal has a usable header")
    }

    fn read_error(bytes: &[u8], opts: &JournalOptions) -> String {
        match read_journal("journal.csv", bytes, opts) {
            Ok(journal) => panic!("expected a file-level error, got {journal:?}"),
            Err(error) => error.to_string(),
        }
    }

    fn messages(journal: &Journal) -> Vec<String> {
        journal.problems.iter().map(ToString::to_string).collect()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
    }

    #[test]
    fn a_clean_journal_reads_every_column() {
        let journal = read(&format!(
            "{FULL_HEADER}\n\
             2026-03-02,3,7.5,4,52,61,easy,legs heavy after intervals\n\
             2026-03-03,5,6:45,2,58,,hard,\"tired, sore\"\n"
        ));
        assert_eq!(journal.problems, vec![]);
        assert_eq!(journal.warnings, Vec::<String>::new());
        assert_eq!(journal.rows_left_out, 0);
        assert!(journal.has_sleep_column);
        assert_eq!(
            journal.entries,
            vec![
                JournalEntry {
                    line: 2,
                    date: day("2026-03-02"),
                    soreness: Some(3.0),
                    sleep_hours: Some(7.5),
                    sleep_quality: Some(4),
                    resting_hr: Some(52.0),
                    hrv_ms: Some(61.0),
                    rpe: None,
                    planned: Some(Planned::Easy),
                    notes: "legs heavy after intervals".to_string(),
                },
                JournalEntry {
                    line: 3,
                    date: day("2026-03-03"),
                    soreness: Some(5.0),
                    sleep_hours: Some(6.75),
                    sleep_quality: Some(2),
                    resting_hr: Some(58.0),
                    hrv_ms: None,
                    rpe: None,
                    planned: Some(Planned::Hard),
                    notes: "tired, sore".to_string(),
                },
            ]
        );
    }

    #[test]
    fn bom_crlf_blank_lines_and_spaces_are_accepted_and_lines_still_count() {
        let text = "\u{FEFF}date , Soreness,SLEEP_HOURS\r\n\
                    \r\n\
                    2026-03-02 ,  3 , 7.5 \r\n\
                    \x20\x20\x20\r\n\
                    ,,\r\n\
                    2026-03-03,11,8\r\n\
                    2026-03-04,\t2\t,8";
        let journal = read(text);
        let lines: Vec<(usize, NaiveDate)> = journal
            .entries
            .iter()
            .map(|entry| (entry.line, entry.date))
            .collect();
        assert_eq!(lines, vec![(3, day("2026-03-02")), (7, day("2026-03-04"))]);
        assert_eq!(journal.entries[0].soreness, Some(3.0));
        assert_eq!(journal.entries[0].sleep_hours, Some(7.5));
        assert_eq!(
            messages(&journal),
            vec![r#"journal.csv line 6, column 2 (Soreness): "11" is outside 0–10"#]
        );
    }

    #[test]
    fn line_numbers_are_physical_lines_for_every_line_ending() {
        for (ending, name) in [("\n", "LF"), ("\r\n", "CRLF"), ("\r", "CR")] {
            let text = [
                "date,soreness,sleep_hours",
                "",
                "",
                "2026-03-02,3,7",
                "",
                "2026-03-03,x,7",
            ]
            .join(ending);
            let journal = read(&text);
            assert_eq!(journal.entries[0].line, 4, "{name}");
            assert_eq!(journal.problems[0].line, 6, "{name}");
        }
    }

    #[test]
    fn a_quoted_note_spanning_lines_is_one_row_starting_where_it_opens() {
        let journal = read(
            "date,soreness,sleep_hours,notes\n2026-03-02,3,7,\"first\nsecond\"\n2026-03-03,x,7,\n",
        );
        assert_eq!(journal.entries[0].notes, "first\nsecond");
        assert_eq!(journal.problems[0].line, 4);
    }

    #[test]
    fn sleep_is_read_as_decimal_hours_or_hours_and_minutes() {
        let cases = [
            ("7.5", 7.5),
            ("7:30", 7.5),
            ("0:45", 0.75),
            ("10:06", 10.1),
            ("24:00", 24.0),
            ("9", 9.0),
            ("0", 0.0),
            (".5", 0.5),
        ];
        for (cell, hours) in cases {
            let journal = read(&format!("date,soreness,sleep_hours\n2026-03-02,3,{cell}\n"));
            assert_eq!(journal.problems, vec![], "{cell}");
            let found = journal.entries[0].sleep_hours.expect("sleep was logged");
            assert!((found - hours).abs() < 1e-9, "{cell}: {found} != {hours}");
        }
    }

    #[test]
    fn an_rpe_column_is_read_and_a_negative_or_too_high_rpe_is_one_line_for_its_row() {
        let journal = read(
            "date,soreness,sleep_hours,rpe\n2026-03-01,2,8,6.5\n2026-03-02,2,8,-1\n2026-03-03,2,8,11\n2026-03-04,2,8,\n",
        );
        let rpe: Vec<_> = journal
            .entries
            .iter()
            .map(|e| (e.date.to_string(), e.rpe))
            .collect();
        assert_eq!(
            rpe,
            vec![
                ("2026-03-01".to_string(), Some(6.5)),
                ("2026-03-04".to_string(), None)
            ]
        );
        let problems: Vec<&str> = journal
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].contains(r#"line 3, column 4 (rpe): "-1" is outside 0–10"#),
            "{problems:?}"
        );
        assert!(
            problems[1].contains(r#"line 4, column 4 (rpe): "11" is outside 0–10"#),
            "{problems:?}"
        );
    }

    #[test]
    fn a_bad_cell_names_line_column_what_was_found_and_what_is_expected() {
        // Each case replaces one cell of a valid row: (column, cell, message after the location).
        let cases = [
            (2, "11", r#"column 2 (soreness): "11" is outside 0–10"#),
            (2, "-1", r#"column 2 (soreness): "-1" is outside 0–10"#),
            (2, "10.5", r#"column 2 (soreness): "10.5" is outside 0–10"#),
            (2, "abc", r#"column 2 (soreness): "abc" is not a number: expected 0–10, e.g. 3"#),
            (2, "NaN", r#"column 2 (soreness): "NaN" is not a number: expected 0–10, e.g. 3"#),
            (2, "inf", r#"column 2 (soreness): "inf" is not a number: expected 0–10, e.g. 3"#),
            (2, "\"3,5\"", r#"column 2 (soreness): "3,5" uses a comma: write 3.5"#),
            (3, "25", r#"column 3 (sleep_hours): "25" is outside 0–24"#),
            (3, "25:00", r#"column 3 (sleep_hours): "25:00" is outside 0–24"#),
            (3, "\"7,5\"", r#"column 3 (sleep_hours): "7,5" uses a comma: write 7.5"#),
            (3, "7:75", r#"column 3 (sleep_hours): "7:75" is not a time: expected h:mm such as 7:30, or hours such as 7.5"#),
            (3, "7:5", r#"column 3 (sleep_hours): "7:5" is not a time: expected h:mm such as 7:30, or hours such as 7.5"#),
            (3, "7h30", r#"column 3 (sleep_hours): "7h30" is not a number: expected 0–24, e.g. 7.5 or 7:30"#),
            (4, "0", r#"column 4 (sleep_quality): "0" is outside 1–5"#),
            (4, "6", r#"column 4 (sleep_quality): "6" is outside 1–5"#),
            (4, "3.5", r#"column 4 (sleep_quality): "3.5" is not a whole number: expected 1–5"#),
            (5, "200", r#"column 5 (resting_hr): "200" is outside 25–150"#),
            (5, "20", r#"column 5 (resting_hr): "20" is outside 25–150"#),
            (7, "tempo", r#"column 7 (planned): "tempo" is not a planned value: expected hard, easy, recovery or rest"#),
            (1, "03/02/2026", r#"column 1 (date): "03/02/2026" is not a date: expected YYYY-MM-DD, e.g. 2026-03-02"#),
            (1, "2026/03/02", r#"column 1 (date): "2026/03/02" is not a date: expected YYYY-MM-DD, e.g. 2026-03-02"#),
            (1, "2 March 2026", r#"column 1 (date): "2 March 2026" is not a date: expected YYYY-MM-DD, e.g. 2026-03-02"#),
            (1, "2026-3-2", r#"column 1 (date): "2026-3-2" is not a date: expected YYYY-MM-DD, e.g. 2026-03-02"#),
            (1, "2026-02-30", r#"column 1 (date): "2026-02-30" is not a calendar date: check the month (01–12) and the day of the month"#),
            (1, "2026-13-01", r#"column 1 (date): "2026-13-01" is not a calendar date: check the month (01–12) and the day of the month"#),
            (1, "", "column 1 (date): the date is empty: every row needs one, as YYYY-MM-DD, e.g. 2026-03-02"),
        ];
        for (column, cell, expected) in cases {
            let mut cells = ["2026-03-02", "3", "7.5", "4", "52", "61", "easy", "ok"];
            cells[column - 1] = cell;
            let journal = read(&format!(
                "{FULL_HEADER}\n2026-03-01,2,8,4,50,70,rest,\n{}\n",
                cells.join(",")
            ));
            assert_eq!(
                messages(&journal),
                vec![format!("journal.csv line 3, {expected}")],
                "{cell}"
            );
            assert_eq!(journal.problems[0].column, Some(column), "{cell}");
            assert_eq!(journal.problems[0].line, 3, "{cell}");
            assert_eq!(journal.rows_left_out, 1, "{cell}");
            assert_eq!(
                journal.entries.len(),
                1,
                "the valid row is kept when {cell:?} is not"
            );
        }
    }

    #[test]
    fn a_bad_hrv_is_one_line_per_row_and_only_the_hrv_is_left_out() {
        let journal = read(&format!(
            "{FULL_HEADER}\n2026-03-01,2,8,4,50,abc,rest,\n2026-03-02,3,7.5,4,52,-5,easy,\n2026-03-03,4,7,3,51,301,hard,\n2026-03-04,1,8,4,49,0,rest,\n2026-03-05,1,8,4,49,62,rest,\n"
        ));
        assert_eq!(
            messages(&journal),
            vec![
                r#"journal.csv line 2, column 6 (hrv_ms): "abc" is not a number: expected 1–300, e.g. 65; the HRV is left out, the rest of the row is used"#,
                r#"journal.csv line 3, column 6 (hrv_ms): "-5" is outside 1–300; the HRV is left out, the rest of the row is used"#,
                r#"journal.csv line 4, column 6 (hrv_ms): "301" is outside 1–300; the HRV is left out, the rest of the row is used"#,
                r#"journal.csv line 5, column 6 (hrv_ms): "0" is outside 1–300; the HRV is left out, the rest of the row is used"#,
            ]
        );
        assert_eq!((journal.rows_left_out, journal.values_left_out), (0, 4));
        let kept: Vec<(Option<f64>, Option<f64>, Option<f64>)> = journal
            .entries
            .iter()
            .map(|e| (e.soreness, e.sleep_hours, e.hrv_ms))
            .collect();
        assert_eq!(
            kept,
            vec![
                (Some(2.0), Some(8.0), None),
                (Some(3.0), Some(7.5), None),
                (Some(4.0), Some(7.0), None),
                (Some(1.0), Some(8.0), None),
                (Some(1.0), Some(8.0), Some(62.0)),
            ]
        );
        // A row left out for another cell names its bad HRV too, once.
        let journal = read(&format!("{FULL_HEADER}\n2026-03-01,11,8,4,50,400,rest,\n"));
        assert_eq!(journal.problems.len(), 2);
        assert_eq!((journal.rows_left_out, journal.values_left_out), (1, 0));
    }

    #[test]
    fn a_row_with_several_bad_cells_reports_each_and_counts_once() {
        let journal = read("date,soreness,sleep_hours\n2026-03-02,11,25\n");
        assert_eq!(
            messages(&journal),
            vec![
                r#"journal.csv line 2, column 2 (soreness): "11" is outside 0–10"#,
                r#"journal.csv line 2, column 3 (sleep_hours): "25" is outside 0–24"#,
            ]
        );
        assert_eq!(journal.rows_left_out, 1);
    }

    #[test]
    fn a_wrong_field_count_says_how_many_and_why_it_may_be() {
        let cases = [
            (
                "date,soreness,sleep_hours,notes\n2026-03-02,3,7,5,ok\n",
                r#"journal.csv line 2 has 5 fields, the header has 4: one of "3,7" at column 2 (soreness) or "7,5" at column 3 (sleep_hours) looks like a decimal comma; write decimals with a point, e.g. 7.5"#,
            ),
            (
                "date,soreness,sleep_hours,notes\n2026-03-02,3,7,25,ok\n",
                r#"journal.csv line 2 has 5 fields, the header has 4: "7,25" at column 3 (sleep_hours) looks like a decimal comma; write 7.25"#,
            ),
            (
                "date,sleep_hours,soreness,notes\n2026-03-02,7,5,3,ok\n",
                r#"journal.csv line 2 has 5 fields, the header has 4: one of "7,5" at column 2 (sleep_hours) or "5,3" at column 3 (soreness) looks like a decimal comma; write decimals with a point, e.g. 7.5"#,
            ),
            (
                "date,soreness,sleep_hours,notes\n2026-03-02,3,7,legs, heavy\n",
                "journal.csv line 2 has 5 fields, the header has 4: write decimals with a point (7.5, not 7,5) and put notes that contain commas in double quotes",
            ),
            (
                "date,soreness,sleep_hours,notes\n2026-03-02,3\n",
                "journal.csv line 2 has 2 fields, the header has 4: keep one cell per column, leaving a cell empty (,,) when nothing was logged",
            ),
        ];
        for (text, expected) in cases {
            let journal = read(text);
            assert_eq!(messages(&journal), vec![expected.to_string()]);
            assert_eq!(journal.problems[0].column, None);
            assert_eq!(journal.rows_left_out, 1);
        }
    }

    #[test]
    fn an_unclosed_quote_is_named_instead_of_losing_the_rows_it_swallowed() {
        let journal = read(
            "date,soreness,sleep_hours,notes\n\
             2026-03-02,3,7,\"legs heavy\n\
             2026-03-03,4,7,ok\n\
             2026-03-04,2,8,fine\n",
        );
        assert_eq!(
            messages(&journal),
            vec!["journal.csv line 2, column 4 (notes): a quote opened here is still open on line 4, so the rows in between were read as part of this cell: close the quote or remove it"]
        );
        assert_eq!(journal.entries, vec![]);
    }

    #[test]
    fn a_header_name_with_a_line_break_is_escaped_in_messages() {
        let journal = read(
            "date,soreness,sleep_hours,\"my\nnotes\"\n2026-03-02,3,7,\"ok\n2026-03-03,4,7,fine\n",
        );
        assert_eq!(
            messages(&journal),
            vec!["journal.csv line 3, column 4 (my\\nnotes): a quote opened here is still open on line 4, so the rows in between were read as part of this cell: close the quote or remove it"]
        );
        assert_eq!(
            journal.warnings,
            vec![
                r#"journal.csv: unknown column "my\nnotes" ignored (known: date, soreness, sleep_hours, sleep_quality, resting_hr, hrv_ms, rpe, planned, notes)"#
            ]
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_name_the_cell_and_ask_for_utf8() {
        let cases: [(&[u8], &str); 2] = [
            (
                b"date,soreness,sleep_hours,notes\n2026-03-02,3,7,caf\xE9 au lait\n",
                "journal.csv line 2, column 4 (notes): \"caf\u{FFFD} au lait\" is not UTF-8 text: save the file as UTF-8 (in a spreadsheet, choose CSV UTF-8)",
            ),
            (
                b"date,soreness,sleep_hours,notes\n2026-03-02,\xB33,7,\n",
                "journal.csv line 2, column 2 (soreness): \"\u{FFFD}3\" is not UTF-8 text: save the file as UTF-8 (in a spreadsheet, choose CSV UTF-8)",
            ),
        ];
        for (bytes, expected) in cases {
            let journal = read_journal("journal.csv", bytes, &SLEEP_FROM_JOURNAL)
                .expect("the header is fine");
            assert_eq!(messages(&journal), vec![expected.to_string()]);
            assert_eq!(journal.rows_left_out, 1);
        }
    }

    #[test]
    fn an_unreadable_file_is_one_error_saying_what_to_do() {
        let cases: [(&[u8], JournalOptions, &str); 14] = [
            (b"", SLEEP_FROM_JOURNAL, "journal.csv is empty: expected a header line such as date,soreness,sleep_hours"),
            (b"\xEF\xBB\xBF\r\n\n  \n", SLEEP_FROM_JOURNAL, "journal.csv is empty: expected a header line such as date,soreness,sleep_hours"),
            (b"date,sleep_hours,notes\n", SLEEP_FROM_JOURNAL, "journal.csv: the header has no soreness column (found: date,sleep_hours,notes); it should look like date,soreness,sleep_hours,notes"),
            (b"Date,Sorenes\n", SLEEP_FROM_WATCH, "journal.csv: the header has no soreness column (found: Date,Sorenes); it should look like date,soreness,sleep_hours"),
            (b"day,sore,sleep\n", SLEEP_FROM_JOURNAL, "journal.csv: the header has no date, soreness and sleep_hours columns (found: day,sore,sleep); it should look like date,soreness,sleep_hours"),
            (b"day,sore\n", SLEEP_FROM_WATCH, "journal.csv: the header has no date and soreness columns (found: day,sore); it should look like date,soreness,sleep_hours"),
            (b"date,soreness,notes\n2026-03-02,3,ok\n", SLEEP_FROM_JOURNAL, "journal.csv: the header has no sleep_hours column, which is needed when sleep comes from the journal (found: date,soreness,notes); it should look like date,soreness,sleep_hours,notes"),
            (b"2026-03-02,3,7.5\n", SLEEP_FROM_JOURNAL, "journal.csv line 1 looks like data, not a header: add a first line such as date,soreness,sleep_hours"),
            (b"date;soreness;sleep_hours\n2026-03-02;3;7,5\n", SLEEP_FROM_JOURNAL, "journal.csv separates columns with semicolons: save it with commas, e.g. date,soreness,sleep_hours"),
            (b"date\tsoreness\n", SLEEP_FROM_WATCH, "journal.csv separates columns with tabs: save it with commas, e.g. date,soreness,sleep_hours"),
            (b"\xFF\xFEd\x00a\x00", SLEEP_FROM_JOURNAL, "journal.csv is not UTF-8 text (it starts with a UTF-16 byte-order mark): save it as UTF-8 (in a spreadsheet, choose CSV UTF-8)"),
            (b"date,soreness,Soreness\n", SLEEP_FROM_WATCH, "journal.csv: the header names soreness twice (columns 2 and 3): keep one"),
            (b"date,\"sore\nness\"\n", SLEEP_FROM_WATCH, "journal.csv: the header has no soreness column (found: date,sore\\nness); it should look like date,soreness,sleep_hours"),
            (b"\n\ndate,sor\xE9ness\n", SLEEP_FROM_WATCH, "journal.csv line 3 (the header) is not valid UTF-8: save the file as UTF-8 (in a spreadsheet, choose CSV UTF-8)"),
        ];
        for (bytes, opts, expected) in cases {
            assert_eq!(read_error(bytes, &opts), expected);
        }
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let path = Path::new("/nonexistent/journal.csv");
        let error =
            read_journal_file(path, &SLEEP_FROM_JOURNAL).expect_err("the file does not exist");
        let text = error.to_string();
        assert!(
            text.starts_with("cannot read journal /nonexistent/journal.csv: "),
            "{text}"
        );
        assert!(
            text.ends_with("; check the path and that the file is readable"),
            "{text}"
        );
    }

    #[test]
    fn unknown_and_unnamed_columns_are_warnings_not_errors() {
        let journal = read("date,soreness,sleep_hours,mood,\n2026-03-02,3,7,good,\n");
        assert_eq!(
            journal.warnings,
            vec![
                r#"journal.csv: unknown column "mood" ignored (known: date, soreness, sleep_hours, sleep_quality, resting_hr, hrv_ms, rpe, planned, notes)"#,
                "journal.csv: column 5 has no name and is ignored",
            ]
        );
        assert_eq!(journal.entries.len(), 1);
        assert_eq!(journal.problems, vec![]);
    }

    #[test]
    fn a_date_given_twice_names_both_lines_and_keeps_the_first() {
        let journal = read(
            "date,soreness,sleep_hours\n\
             2026-03-05,3,7\n\
             2026-03-06,4,7\n\
             \n\
             2026-03-05,6,5\n",
        );
        assert_eq!(
            messages(&journal),
            vec!["journal.csv line 5: date 2026-03-05 already given on line 2; the later row is left out"]
        );
        assert_eq!(journal.problems[0].column, None);
        assert_eq!(
            journal.entry_on(day("2026-03-05")).map(|e| e.soreness),
            Some(Some(3.0))
        );
        assert_eq!(journal.rows_left_out, 1);
    }

    #[test]
    fn a_header_repeated_mid_file_is_one_problem_not_one_per_cell() {
        let journal = read("date,soreness,sleep_hours\n2026-03-02,3,7\nDate,Soreness,Sleep_Hours\n2026-03-03,2,8\n");
        assert_eq!(
            messages(&journal),
            vec!["journal.csv line 3 repeats the header: remove it"]
        );
        assert_eq!(journal.entries.len(), 2);
    }

    #[test]
    fn minus_zero_is_read_as_zero() {
        let journal = read("date,soreness,sleep_hours\n2026-03-02,-0,0\n");
        let soreness = journal.entries[0].soreness.expect("soreness was logged");
        assert!(soreness == 0.0 && soreness.is_sign_positive());
    }

    #[test]
    fn a_header_alone_is_an_empty_journal_with_a_warning() {
        let journal = read("date,soreness,sleep_hours\r\n\r\n");
        assert_eq!(journal.entries, vec![]);
        assert_eq!(journal.problems, vec![]);
        assert_eq!(
            journal.warnings,
            vec!["journal.csv has a header but no rows"]
        );
    }

    #[test]
    fn planned_accepts_its_four_values_in_any_case_and_active_recovery() {
        let cases = [
            ("hard", Some(Planned::Hard)),
            ("HARD", Some(Planned::Hard)),
            ("Easy", Some(Planned::Easy)),
            ("recovery", Some(Planned::Recovery)),
            ("active_recovery", Some(Planned::Recovery)),
            ("Active Recovery", Some(Planned::Recovery)),
            ("active-recovery", Some(Planned::Recovery)),
            (" rest ", Some(Planned::Rest)),
            ("", None),
        ];
        for (cell, expected) in cases {
            let journal = read(&format!(
                "date,soreness,sleep_hours,planned\n2026-03-02,3,7,{cell}\n"
            ));
            assert_eq!(journal.problems, vec![], "{cell}");
            assert_eq!(journal.entries[0].planned, expected, "{cell}");
        }
        for planned in [
            Planned::Hard,
            Planned::Easy,
            Planned::Recovery,
            Planned::Rest,
        ] {
            assert_eq!(Planned::parse(planned.as_str()), Some(planned));
            assert_eq!(planned.to_string(), planned.as_str());
        }
    }

    #[test]
    fn a_date_and_soreness_journal_is_enough_when_sleep_comes_from_elsewhere() {
        let text = b"date,soreness\n2026-03-02,3\n2026-03-03,\n";
        let journal =
            read_journal("journal.csv", text, &SLEEP_FROM_WATCH).expect("sleep is not required");
        assert!(!journal.has_sleep_column);
        assert_eq!(journal.problems, vec![]);
        let soreness: Vec<Option<f64>> = journal.entries.iter().map(|e| e.soreness).collect();
        assert_eq!(soreness, vec![Some(3.0), None]);
        assert!(journal.entries.iter().all(|e| e.sleep_hours.is_none()));

        assert_eq!(
            read_error(text, &SLEEP_FROM_JOURNAL),
            "journal.csv: the header has no sleep_hours column, which is needed when sleep comes from the journal (found: date,soreness); it should look like date,soreness,sleep_hours"
        );
    }

    #[test]
    fn empty_cells_are_not_logged_rather_than_errors() {
        let journal = read(&format!(
            "{FULL_HEADER}\n2026-03-02,,,,,,,\n2026-03-03, , 7 ,,,,,\n"
        ));
        assert_eq!(journal.problems, vec![]);
        let first = &journal.entries[0];
        assert_eq!(
            (
                first.soreness,
                first.sleep_hours,
                first.sleep_quality,
                first.resting_hr,
                first.hrv_ms,
                first.planned
            ),
            (None, None, None, None, None, None)
        );
        assert_eq!(first.notes, "");
        assert_eq!(journal.entries[1].sleep_hours, Some(7.0));
    }

    #[test]
    fn columns_may_come_in_any_order_and_entries_come_out_sorted() {
        let journal = read(
            "Notes,Sleep Hours,DATE,soreness\n\
             late,6,2026-03-04,2\n\
             early,8,2026-03-01,5\n",
        );
        let dates: Vec<NaiveDate> = journal.entries.iter().map(|e| e.date).collect();
        assert_eq!(dates, vec![day("2026-03-01"), day("2026-03-04")]);
        assert_eq!(journal.entries[0].notes, "early");
        assert_eq!(journal.entries[0].sleep_hours, Some(8.0));
        assert_eq!(journal.entry_on(day("2026-03-02")), None);
    }

    /// xorshift64*: deterministic, so a failing case can be replayed from its index.
    struct Prng(u64);

    impl Prng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n.max(1) as u64).expect("below n fits usize")
        }
    }

    fn fuzz_inputs() -> Vec<Vec<u8>> {
        const ALPHABET: &[u8] = b"0123456789-,.:;\"\r\n \t:abcdehknoprstyz_";
        let valid = format!(
            "\u{FEFF}{FULL_HEADER}\r\n\
             2026-03-02,3,7.5,4,52,61,easy,legs heavy\r\n\
             \r\n\
             2026-03-03,5,6:45,2,58,,hard,\"tired, sore\nreally\"\r\n\
             2026-03-04,2.5,8,5,50,70,Active_Recovery,\r\n\
             2026-03-05, ,,,,,rest,\r\n"
        )
        .into_bytes();
        let mut rng = Prng(0x9E37_79B9_7F4A_7C15);
        let mut inputs = Vec::new();
        for _ in 0..1000 {
            let length = rng.below(200);
            let mut bytes: Vec<u8> = (0..length)
                .map(|_| match rng.below(10) {
                    0 => (rng.next() & 0xFF) as u8,
                    _ => ALPHABET[rng.below(ALPHABET.len())],
                })
                .collect();
            // Half get a real header so the row reader sees the noise, not just the header check.
            if rng.below(2) == 0 {
                let mut with_header = format!("{FULL_HEADER}\n").into_bytes();
                with_header.append(&mut bytes);
                bytes = with_header;
            }
            inputs.push(bytes);
        }
        for _ in 0..1000 {
            let mut bytes = valid.clone();
            for _ in 0..=rng.below(6) {
                let at = rng.below(bytes.len());
                match rng.below(6) {
                    0 => bytes[at] = (rng.next() & 0xFF) as u8,
                    1 => bytes.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
                    2 => {
                        let end = (at + rng.below(20)).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    3 => bytes.truncate(at),
                    4 => {
                        let end = (at + rng.below(40)).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        let to = rng.below(bytes.len());
                        bytes.splice(to..to, copy);
                    }
                    _ => bytes.insert(at, b"\",\n\r"[rng.below(4)]),
                }
                if bytes.is_empty() {
                    break;
                }
            }
            inputs.push(bytes);
        }
        inputs
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_every_message_is_one_line() {
        let mut read_ok = 0;
        for (case, bytes) in fuzz_inputs().iter().enumerate() {
            for opts in [SLEEP_FROM_JOURNAL, SLEEP_FROM_WATCH] {
                match read_journal("journal.csv", bytes, &opts) {
                    Ok(journal) => {
                        read_ok += 1;
                        assert!(
                            journal.entries.windows(2).all(|w| w[0].date < w[1].date),
                            "case {case}: entries sorted and unique"
                        );
                        assert!(
                            journal.rows_left_out <= journal.problems.len(),
                            "case {case}"
                        );
                        for problem in &journal.problems {
                            assert!(
                                problem.message.starts_with("journal.csv line "),
                                "case {case}"
                            );
                            assert!(
                                !problem.message.contains(['\n', '\r']),
                                "case {case}: {problem}"
                            );
                            assert!(problem.line >= 1, "case {case}");
                        }
                        for warning in &journal.warnings {
                            assert!(!warning.contains(['\n', '\r']), "case {case}: {warning}");
                        }
                        for entry in &journal.entries {
                            assert!(entry.soreness.is_none_or(|v| (0.0..=10.0).contains(&v)));
                            assert!(entry.sleep_hours.is_none_or(|v| (0.0..=24.0).contains(&v)));
                            assert!(entry.sleep_quality.is_none_or(|v| (1..=5).contains(&v)));
                        }
                    }
                    Err(error) => {
                        let text = error.to_string();
                        assert!(!text.contains(['\n', '\r']), "case {case}: {text}");
                    }
                }
            }
        }
        // Guards against a generator that only ever exercises the header check.
        assert!(read_ok > 1000, "only {read_ok} inputs got past the header");
    }
}
