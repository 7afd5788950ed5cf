//! Validated settings: the only input the core sees. Built from flags over an optional
//! `recovery.toml` over the defaults; every error names the flag or key and what is
//! expected.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;
use thiserror::Error;

use crate::classify::{band_from_reserve, Thresholds};
use crate::ingest::{Decoder, IngestOptions, KeepRecords, Limits};
use crate::load::Sex;
use crate::rules::RuleConfig;
use crate::zones::Band;

/// A flag or setting with a value we cannot use.
#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    #[error(
        "--tz {0:?} is not an IANA time zone name; expected e.g. Europe/Berlin or America/New_York"
    )]
    BadZone(String),
    #[error("--max-file-mb must be at least 1")]
    BadLimit,
    #[error("--band {0:?}: expected LOW-HIGH in bpm with LOW < HIGH, e.g. 120-140")]
    BadBand(String),
    #[error("--hr-max {max} and --hr-rest {rest}: expected 30 ≤ rest < max ≤ 240")]
    BadHeartRates { max: f64, rest: f64 },
    #[error("--now {0:?}: expected a local time YYYY-MM-DDTHH:MM (or RFC 3339 with an offset, or a date)")]
    BadNow(String),
    /// `band = "auto"` with nothing to scale it from.
    #[error("{0}")]
    BandAuto(String),
    #[error("--sex {0:?}: expected male or female")]
    BadSex(String),
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("{origin} {value:?}: expected fast or fitparser")]
    BadDecoder { origin: &'static str, value: String },
    #[error("{origin} {value:?}: expected a number of charts, all or none, e.g. 24")]
    BadSessionCharts { origin: &'static str, value: String },
}

/// Which flagged sessions get their own heart-rate chart (`--session-charts`,
/// `[report] session_charts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCharts {
    /// At most this many: the flagged sessions of the last 8 weeks, most severe first, then
    /// older ones, most recent first, while the number allows.
    AtMost(usize),
    /// Every flagged session of the period.
    All,
}

impl Default for SessionCharts {
    fn default() -> Self {
        SessionCharts::AtMost(24)
    }
}

/// Parses `N`, `all` or `none`; `origin` names the flag or key in the error.
pub fn parse_session_charts(
    origin: &'static str,
    value: &str,
) -> Result<SessionCharts, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "all" => Ok(SessionCharts::All),
        "none" => Ok(SessionCharts::AtMost(0)),
        v => v.parse::<usize>().map(SessionCharts::AtMost).map_err(|_| {
            ConfigError::BadSessionCharts {
                origin,
                value: value.to_string(),
            }
        }),
    }
}

/// Parses an IANA zone name.
pub fn parse_tz(name: Option<&str>) -> Result<Option<Tz>, ConfigError> {
    name.map(|n| {
        n.parse::<Tz>()
            .map_err(|_| ConfigError::BadZone(n.to_string()))
    })
    .transpose()
}

/// Ingest options from the shared input flags.
pub fn ingest_options(
    tz: Option<&str>,
    max_file_mb: u64,
    progress: bool,
) -> Result<IngestOptions, ConfigError> {
    if max_file_mb == 0 {
        return Err(ConfigError::BadLimit);
    }
    Ok(IngestOptions {
        tz: parse_tz(tz)?,
        limits: Limits {
            max_file_bytes: max_file_mb.saturating_mul(1024 * 1024),
        },
        progress,
        decoder: Decoder::default(),
        keep_duplicates: false,
        keep_records: KeepRecords::default(),
    })
}

/// The FIT decoder: `--decoder` wins over `RECOVERY_DECODER`; fast when neither says.
pub fn parse_decoder(flag: Option<&str>, env: Option<&str>) -> Result<Decoder, ConfigError> {
    let (origin, value) = match (flag, env.filter(|e| !e.trim().is_empty())) {
        (Some(f), _) => ("--decoder", f),
        (None, Some(e)) => ("RECOVERY_DECODER", e),
        (None, None) => return Ok(Decoder::default()),
    };
    match value.trim().to_ascii_lowercase().as_str() {
        "fast" => Ok(Decoder::Fast),
        "fitparser" => Ok(Decoder::Fitparser),
        _ => Err(ConfigError::BadDecoder {
            origin,
            value: value.to_string(),
        }),
    }
}

/// Parses `LOW-HIGH`.
pub fn parse_band(text: &str) -> Result<Band, ConfigError> {
    let bad = || ConfigError::BadBand(text.to_string());
    let (l, h) = text.split_once('-').ok_or_else(bad)?;
    let low: u8 = l.trim().parse().map_err(|_| bad())?;
    let high: u8 = h.trim().parse().map_err(|_| bad())?;
    if low >= high || low < 30 || high > 240 {
        return Err(bad());
    }
    Ok(Band { low, high })
}

/// The athlete's local date at `now` (`--now`): a local wall time `YYYY-MM-DDTHH:MM[:SS]`
/// or a date is taken as it is; an RFC 3339 time with an offset is turned into `tz`'s date
/// (`None`: the offset's own date).
pub fn parse_now(text: &str, tz: Option<Tz>) -> Result<chrono::NaiveDate, ConfigError> {
    let t = text.trim();
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(match tz {
            Some(z) => at.with_timezone(&z).date_naive(),
            None => at.date_naive(),
        });
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(at) = chrono::NaiveDateTime::parse_from_str(t, f) {
            return Ok(at.date());
        }
    }
    t.parse::<chrono::NaiveDate>()
        .map_err(|_| ConfigError::BadNow(text.to_string()))
}

/// The athlete's local date at the instant `now`: in `tz` when set, else in this
/// machine's zone.
pub fn local_date(now: chrono::DateTime<chrono::Utc>, tz: Option<Tz>) -> chrono::NaiveDate {
    match tz {
        Some(z) => now.with_timezone(&z).date_naive(),
        None => now.with_timezone(&chrono::Local).date_naive(),
    }
}

fn parse_sex(text: &str) -> Result<Sex, ConfigError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "male" | "m" | "man" => Ok(Sex::Male),
        "female" | "f" | "woman" => Ok(Sex::Female),
        _ => Err(ConfigError::BadSex(text.to_string())),
    }
}

/// `recovery.toml`: every key optional; unknown keys are an error (a typo would
/// otherwise silently change nothing).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub band: Option<String>,
    pub hr_max: Option<f64>,
    pub hr_rest: Option<f64>,
    pub sex: Option<String>,
    pub tz: Option<String>,
    /// Keep every copy of an activity (the same start twice, overlapping recordings)
    /// instead of counting it once.
    pub keep_duplicates: Option<bool>,
    #[serde(default)]
    pub classify: ClassifyKeys,
    #[serde(default)]
    pub rules: RuleKeys,
    /// Deprecated: read into `[rules]` with a warning.
    #[serde(default)]
    pub audit: AuditKeys,
    /// Deprecated: read into `[rules]` with a warning.
    #[serde(default)]
    pub today: TodayKeys,
    #[serde(default)]
    pub report: ReportKeys,
}

/// `[report]` keys of `recovery.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportKeys {
    /// A number, "all" or "none" (as for `--session-charts`).
    pub session_charts: Option<toml::Value>,
}

/// `[rules]` keys of `recovery.toml`: the thresholds of the one rule book, used by the
/// audit and by `today` alike (see `RuleConfig` for their meaning).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleKeys {
    pub sore: Option<f64>,
    pub very_sore: Option<f64>,
    pub sore_past_h: Option<f64>,
    pub doms_days: Option<i64>,
    pub sleep_h: Option<f64>,
    pub sleep_after_hard_h: Option<f64>,
    pub rhr_rise: Option<f64>,
    pub rhr_sd: Option<f64>,
    pub rhr_baseline_days: Option<i64>,
    pub rhr_min_readings: Option<usize>,
    pub hrv_baseline_days: Option<i64>,
    pub hrv_mean_days: Option<i64>,
    pub hrv_min_readings: Option<usize>,
    pub hrv_min_recent: Option<usize>,
    pub hrv_band_low_sd: Option<f64>,
    pub hrv_band_high_sd: Option<f64>,
    pub sleep_need_h: Option<f64>,
    pub sleep_debt_nights: Option<i64>,
    pub sleep_debt_h: Option<f64>,
    pub streak_days: Option<usize>,
    pub volume_jump: Option<f64>,
    pub volume_min_h: Option<f64>,
    pub volume_baseline_weeks: Option<usize>,
    pub hard_gap_h: Option<f64>,
    pub recovery_max_min: Option<f64>,
    pub layoff_days: Option<i64>,
    pub layoff_active_min: Option<f64>,
    pub return_share: Option<f64>,
    pub return_easy_sessions: Option<u32>,
}

/// `[today]` keys of `recovery.toml` (deprecated: use `[rules]`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TodayKeys {
    pub sore_rest: Option<f64>,
    pub sore_persist: Option<f64>,
    pub sore_days: Option<usize>,
    pub sore_easy: Option<f64>,
    pub short_sleep_h: Option<f64>,
    pub short_sleep_after_hard_h: Option<f64>,
    pub rhr_rise: Option<f64>,
    pub streak_days: Option<usize>,
    pub volume_jump: Option<f64>,
    pub hard_gap_h: Option<f64>,
    pub recovery_max_min: Option<f64>,
}

/// `[classify]` keys of `recovery.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassifyKeys {
    pub min_hr_coverage: Option<f64>,
    pub hard_above_min: Option<f64>,
    pub hard_above_share: Option<f64>,
    pub hard_share_min_above_min: Option<f64>,
    pub recovery_max_min: Option<f64>,
    pub recovery_above_share: Option<f64>,
    pub recovery_above_min: Option<f64>,
    pub rest_day_max_min: Option<f64>,
}

/// `[audit]` keys of `recovery.toml` (deprecated: use `[rules]`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditKeys {
    pub sore_for_hard: Option<f64>,
    pub sore_persist: Option<f64>,
    pub sore_persist_days: Option<usize>,
    pub short_sleep_h: Option<f64>,
    pub volume_jump: Option<f64>,
    pub volume_min_h: Option<f64>,
}

impl FileConfig {
    /// Reads `path`.
    pub fn read(path: &Path) -> Result<FileConfig, ConfigError> {
        let err = |message: String| ConfigError::File {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| err(format!("cannot be read ({e}); check the --config path")))?;
        toml::from_str(&text).map_err(|e| err(not_valid(&text, &e)))
    }
}

/// A TOML error as one line that says where it is: `not valid settings at line 3,
/// column 10: invalid type: string "x", expected f64` (toml's own message names neither
/// the line nor the key).
fn not_valid(text: &str, e: &toml::de::Error) -> String {
    let Some(span) = e.span() else {
        return format!("not valid settings: {}", e.message());
    };
    let before = &text.as_bytes()[..span.start.min(text.len())];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = 1 + String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count();
    format!(
        "not valid settings at line {line}, column {column}: {}",
        e.message()
    )
}

/// Flags that override the config file (all optional).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub band: Option<String>,
    pub hr_max: Option<f64>,
    pub hr_rest: Option<f64>,
    pub sex: Option<String>,
    pub tz: Option<String>,
    /// `--keep-duplicates` was given.
    pub keep_duplicates: bool,
    /// `--max-file-mb`; 512 when `None`.
    pub max_file_mb: Option<u64>,
    /// `--decoder`.
    pub decoder: Option<String>,
    /// `RECOVERY_DECODER`, as the environment had it (read at the edge, never here).
    pub decoder_env: Option<String>,
    /// Draw the progress bar (on a terminal, and not `--quiet`).
    pub progress: bool,
    /// The date `today` and the plan answer for (`--date`, `--from`, `--now` or the clock);
    /// the day after the data when `None`.
    pub answer_date: Option<chrono::NaiveDate>,
    /// Days the plan covers (`plan --days`); 7 when `None`.
    pub plan_days: Option<u32>,
    /// What ingest does with the sessions' heart-rate records (the edge names the
    /// temporary folder for commands that draw session charts).
    pub keep_records: KeepRecords,
}

/// The size limit when `--max-file-mb` is not given.
pub const DEFAULT_MAX_FILE_MB: u64 = 512;

/// Everything the analysis stages need.
#[derive(Debug, Clone)]
pub struct Settings {
    pub band: Band,
    /// How the band was chosen, for the summary.
    pub band_source: String,
    pub thresholds: Thresholds,
    /// The rule book's thresholds.
    pub rules: RuleConfig,
    /// Settings that were read but deserve a word (deprecated keys).
    pub warnings: Vec<String>,
    /// Configured HRmax; estimated from the data when `None`.
    pub hr_max: Option<f64>,
    /// Configured resting HR; measured from the journal and the watch when `None`.
    pub hr_rest: Option<f64>,
    pub sex: Sex,
    /// `sex` was set (`--sex`, `sex` in recovery.toml), not the default.
    pub sex_configured: bool,
    /// `band = "auto"` / `--band auto`: the band is scaled to the athlete's heart-rate
    /// reserve from the HRmax and HRrest the pipeline finds.
    pub band_auto: bool,
    pub tz: Option<Tz>,
    /// Keep every copy of an activity (`--keep-duplicates`, `keep_duplicates = true`): the
    /// same start twice and overlapping recordings; by default each counts once.
    pub keep_duplicates: bool,
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
    /// Which flagged sessions get a heart-rate chart.
    pub session_charts: SessionCharts,
    /// How inputs are read: the size limit per file, the FIT decoder, the progress bar.
    pub limits: Limits,
    pub decoder: Decoder,
    pub progress: bool,
    /// The date `today`'s answer and the plan are for; the day after the data when `None`.
    pub answer_date: Option<chrono::NaiveDate>,
    /// Days the plan covers.
    pub plan_days: u32,
    /// What ingest does with each session's heart-rate records: kept for the session
    /// charts (in a temporary file the edge names), or dropped by commands that draw none.
    pub keep_records: KeepRecords,
}

impl Settings {
    /// The ingest stage's options, from these settings.
    pub fn ingest_options(&self) -> IngestOptions {
        IngestOptions {
            tz: self.tz,
            limits: self.limits,
            progress: self.progress,
            decoder: self.decoder,
            keep_duplicates: self.keep_duplicates,
            keep_records: self.keep_records.clone(),
        }
    }
}

/// Default config file looked for in the current folder.
pub const DEFAULT_CONFIG: &str = "recovery.toml";

/// Settings from flags over `recovery.toml` (the `--config` file, else one in the
/// current folder if present) over the defaults.
pub fn settings(o: &Overrides) -> Result<Settings, ConfigError> {
    let path = o.config.clone().or_else(|| {
        Path::new(DEFAULT_CONFIG)
            .is_file()
            .then(|| PathBuf::from(DEFAULT_CONFIG))
    });
    let file = match &path {
        Some(p) => FileConfig::read(p)?,
        None => FileConfig::default(),
    };
    settings_from(o, file, path)
}

/// Settings from flags over several `recovery.toml` texts (name for messages, text), later
/// ones overriding earlier ones key by key (a team's file, then an athlete's own), over the
/// defaults.
pub fn settings_layered(
    o: &Overrides,
    files: &[(PathBuf, String)],
) -> Result<Settings, ConfigError> {
    fn merge(into: &mut toml::Table, from: toml::Table) {
        for (k, v) in from {
            match (into.get_mut(&k), v) {
                (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
                (_, v) => {
                    into.insert(k, v);
                }
            }
        }
    }
    let mut merged = toml::Table::new();
    for (path, text) in files {
        let err = |message: String| ConfigError::File {
            path: path.display().to_string(),
            message,
        };
        let table: toml::Table = toml::from_str(text).map_err(|e| err(not_valid(text, &e)))?;
        // Each file alone must be valid settings, so a typo is named with its file and
        // line (read from the text: a parsed table no longer knows its lines).
        toml::from_str::<FileConfig>(text).map_err(|e| err(not_valid(text, &e)))?;
        merge(&mut merged, table);
    }
    let file = toml::Value::Table(merged)
        .try_into::<FileConfig>()
        .map_err(|e| ConfigError::File {
            path: files
                .last()
                .map(|p| p.0.display().to_string())
                .unwrap_or_default(),
            message: format!("not valid settings: {}", e.message()),
        })?;
    settings_from(o, file, files.last().map(|f| f.0.clone()))
}

fn settings_from(
    o: &Overrides,
    file: FileConfig,
    path: Option<PathBuf>,
) -> Result<Settings, ConfigError> {
    let max_file_mb = o.max_file_mb.unwrap_or(DEFAULT_MAX_FILE_MB);
    if max_file_mb == 0 {
        return Err(ConfigError::BadLimit);
    }
    // A bad value read from the file is named by its key there, not by a flag the user
    // never gave: `recovery.toml: band "12-14": expected …`, not `--band "12-14": …`.
    let in_file = |keys: &[(&str, bool)], e: ConfigError| -> ConfigError {
        let Some(path) = path
            .as_ref()
            .filter(|_| keys.iter().any(|(_, from_file)| *from_file))
        else {
            return e;
        };
        let mut message = e.to_string();
        for (key, _) in keys.iter().filter(|(_, from_file)| *from_file) {
            message = message.replacen(&format!("--{}", key.replace('_', "-")), key, 1);
        }
        ConfigError::File {
            path: path.display().to_string(),
            message,
        }
    };
    let hr_max = o.hr_max.or(file.hr_max);
    let hr_rest = o.hr_rest.or(file.hr_rest);
    if let (Some(max), Some(rest)) = (hr_max, hr_rest) {
        if !(30.0..=240.0).contains(&max) || rest < 30.0 || rest >= max {
            return Err(in_file(
                &[
                    ("hr_max", o.hr_max.is_none()),
                    ("hr_rest", o.hr_rest.is_none()),
                ],
                ConfigError::BadHeartRates { max, rest },
            ));
        }
    }
    let band_text = o.band.as_deref().or(file.band.as_deref());
    let band_auto = band_text.is_some_and(|b| b.trim().eq_ignore_ascii_case("auto"));
    let (band, band_source) = match (band_text.filter(|_| !band_auto), hr_max, hr_rest) {
        _ if band_auto => (
            Band::default(),
            "auto: set from HRmax and HRrest once the data is read".to_string(),
        ),
        (Some(b), _, _) => (
            parse_band(b).map_err(|e| in_file(&[("band", o.band.is_none())], e))?,
            "set with --band or recovery.toml".to_string(),
        ),
        (None, Some(max), Some(rest)) => (
            band_from_reserve(max, rest),
            format!("from HRmax {max:.0} and HRrest {rest:.0} (the share of heart-rate reserve that 120–140 is for 190/60)"),
        ),
        _ => (Band::default(), "the default".to_string()),
    };
    let d = Thresholds::default();
    let c = &file.classify;
    let thresholds = Thresholds {
        min_hr_coverage: c.min_hr_coverage.unwrap_or(d.min_hr_coverage),
        hard_above_min: c.hard_above_min.unwrap_or(d.hard_above_min),
        hard_above_share: c.hard_above_share.unwrap_or(d.hard_above_share),
        hard_share_min_above_min: c
            .hard_share_min_above_min
            .unwrap_or(d.hard_share_min_above_min),
        recovery_max_min: c.recovery_max_min.unwrap_or(d.recovery_max_min),
        recovery_above_share: c.recovery_above_share.unwrap_or(d.recovery_above_share),
        recovery_above_min: c.recovery_above_min.unwrap_or(d.recovery_above_min),
        rest_day_max_min: c.rest_day_max_min.unwrap_or(d.rest_day_max_min).max(0.0),
    };
    let (rules, warnings) = rule_config(&file, thresholds.recovery_max_min);
    let sex_text = o.sex.as_deref().or(file.sex.as_deref());
    let sex = match sex_text {
        Some(s) => parse_sex(s).map_err(|e| in_file(&[("sex", o.sex.is_none())], e))?,
        None => Sex::default(),
    };
    let session_charts = match &file.report.session_charts {
        None => SessionCharts::default(),
        Some(toml::Value::Integer(n)) if *n >= 0 => SessionCharts::AtMost(*n as usize),
        Some(toml::Value::String(v)) => parse_session_charts("session_charts", v)?,
        Some(other) => {
            return Err(ConfigError::BadSessionCharts {
                origin: "session_charts",
                value: other.to_string(),
            })
        }
    };
    let tz = parse_tz(o.tz.as_deref().or(file.tz.as_deref()))
        .map_err(|e| in_file(&[("tz", o.tz.is_none())], e))?;
    Ok(Settings {
        band,
        band_source,
        thresholds,
        rules,
        warnings,
        hr_max,
        hr_rest,
        sex,
        sex_configured: sex_text.is_some(),
        band_auto,
        tz,
        keep_duplicates: o.keep_duplicates || file.keep_duplicates.unwrap_or(false),
        config_file: path,
        session_charts,
        limits: Limits {
            max_file_bytes: max_file_mb.saturating_mul(1024 * 1024),
        },
        decoder: parse_decoder(o.decoder.as_deref(), o.decoder_env.as_deref())?,
        progress: o.progress,
        answer_date: o.answer_date,
        plan_days: o.plan_days.unwrap_or(7),
        keep_records: o.keep_records.clone(),
    })
}

/// The rule book's thresholds: `[rules]` over the deprecated `[audit]` and `[today]`
/// keys (each one read is named in a warning) over the defaults.
fn rule_config(file: &FileConfig, recovery_max_min: f64) -> (RuleConfig, Vec<String>) {
    let mut c = RuleConfig {
        recovery_max_min,
        ..RuleConfig::default()
    };
    let mut warnings = Vec::new();
    let mut old = |section: &str, key: &str, new: &str| {
        warnings.push(format!(
            "recovery.toml: [{section}] {key} is deprecated; it is read as [rules] {new} (the audit and today share one rule book now)"
        ))
    };
    let a = &file.audit;
    let days_to_h = |n: usize| (n.max(1) - 1) as f64 * 24.0;
    if let Some(v) = a.sore_for_hard {
        old("audit", "sore_for_hard", "sore");
        c.sore = v;
    }
    if let Some(v) = a.sore_persist {
        old("audit", "sore_persist", "sore");
        c.sore = v;
    }
    if let Some(v) = a.sore_persist_days {
        old("audit", "sore_persist_days", "sore_past_h");
        c.sore_past_h = days_to_h(v);
    }
    if let Some(v) = a.short_sleep_h {
        old("audit", "short_sleep_h", "sleep_h");
        c.sleep_h = v;
    }
    if let Some(v) = a.volume_jump {
        old("audit", "volume_jump", "volume_jump");
        c.volume_jump = v;
    }
    if let Some(v) = a.volume_min_h {
        old("audit", "volume_min_h", "volume_min_h");
        c.volume_min_h = v;
    }
    let t = &file.today;
    if let Some(v) = t.sore_rest {
        old("today", "sore_rest", "very_sore");
        c.very_sore = v;
    }
    if let Some(v) = t.sore_persist {
        old("today", "sore_persist", "sore");
        c.sore = v;
    }
    if let Some(v) = t.sore_days {
        old("today", "sore_days", "sore_past_h");
        c.sore_past_h = days_to_h(v);
    }
    if let Some(v) = t.sore_easy {
        old("today", "sore_easy", "sore");
        c.sore = v;
    }
    if let Some(v) = t.short_sleep_h {
        old("today", "short_sleep_h", "sleep_h");
        c.sleep_h = v;
    }
    if let Some(v) = t.short_sleep_after_hard_h {
        old("today", "short_sleep_after_hard_h", "sleep_after_hard_h");
        c.sleep_after_hard_h = v;
    }
    if let Some(v) = t.rhr_rise {
        old("today", "rhr_rise", "rhr_rise");
        c.rhr_rise = v;
    }
    if let Some(v) = t.streak_days {
        old("today", "streak_days", "streak_days");
        c.streak_days = v;
    }
    if let Some(v) = t.volume_jump {
        old("today", "volume_jump", "volume_jump");
        c.volume_jump = v;
    }
    if let Some(v) = t.hard_gap_h {
        old("today", "hard_gap_h", "hard_gap_h");
        c.hard_gap_h = v;
    }
    if let Some(v) = t.recovery_max_min {
        old("today", "recovery_max_min", "recovery_max_min");
        c.recovery_max_min = v;
    }
    let r = &file.rules;
    c.sore = r.sore.unwrap_or(c.sore);
    c.very_sore = r.very_sore.unwrap_or(c.very_sore);
    c.sore_past_h = r.sore_past_h.unwrap_or(c.sore_past_h);
    c.doms_days = r.doms_days.unwrap_or(c.doms_days);
    c.sleep_h = r.sleep_h.unwrap_or(c.sleep_h);
    c.sleep_after_hard_h = r.sleep_after_hard_h.unwrap_or(c.sleep_after_hard_h);
    c.rhr_rise = r.rhr_rise.unwrap_or(c.rhr_rise);
    c.rhr_sd = r.rhr_sd.unwrap_or(c.rhr_sd);
    c.rhr_baseline_days = r.rhr_baseline_days.unwrap_or(c.rhr_baseline_days);
    c.rhr_min_readings = r.rhr_min_readings.unwrap_or(c.rhr_min_readings);
    c.hrv_baseline_days = r.hrv_baseline_days.unwrap_or(c.hrv_baseline_days);
    c.hrv_mean_days = r.hrv_mean_days.unwrap_or(c.hrv_mean_days);
    c.hrv_min_readings = r.hrv_min_readings.unwrap_or(c.hrv_min_readings);
    c.hrv_min_recent = r.hrv_min_recent.unwrap_or(c.hrv_min_recent);
    c.hrv_band_low_sd = r.hrv_band_low_sd.unwrap_or(c.hrv_band_low_sd);
    c.hrv_band_high_sd = r.hrv_band_high_sd.unwrap_or(c.hrv_band_high_sd);
    c.sleep_need_h = r.sleep_need_h.unwrap_or(c.sleep_need_h);
    c.sleep_debt_nights = r.sleep_debt_nights.unwrap_or(c.sleep_debt_nights);
    c.sleep_debt_h = r.sleep_debt_h.unwrap_or(c.sleep_debt_h);
    c.streak_days = r.streak_days.unwrap_or(c.streak_days);
    c.volume_jump = r.volume_jump.unwrap_or(c.volume_jump);
    c.volume_min_h = r.volume_min_h.unwrap_or(c.volume_min_h);
    c.volume_baseline_weeks = r
        .volume_baseline_weeks
        .unwrap_or(c.volume_baseline_weeks)
        .max(1);
    c.hard_gap_h = r.hard_gap_h.unwrap_or(c.hard_gap_h);
    c.recovery_max_min = r.recovery_max_min.unwrap_or(c.recovery_max_min);
    c.layoff_days = r.layoff_days.unwrap_or(c.layoff_days).max(1);
    c.layoff_active_min = r.layoff_active_min.unwrap_or(c.layoff_active_min);
    c.return_share = r.return_share.unwrap_or(c.return_share).clamp(0.0, 1.0);
    c.return_easy_sessions = r.return_easy_sessions.unwrap_or(c.return_easy_sessions);
    (c, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_charts_take_a_number_all_or_none_from_the_flag_or_the_file() {
        assert_eq!(
            parse_session_charts("--session-charts", "all").unwrap(),
            SessionCharts::All
        );
        assert_eq!(
            parse_session_charts("--session-charts", "none").unwrap(),
            SessionCharts::AtMost(0)
        );
        assert_eq!(
            parse_session_charts("--session-charts", " 7 ").unwrap(),
            SessionCharts::AtMost(7)
        );
        let err = parse_session_charts("--session-charts", "lots").unwrap_err();
        assert!(err.to_string().starts_with("--session-charts \"lots\""));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        for (text, want) in [
            ("[report]\nsession_charts = 5\n", SessionCharts::AtMost(5)),
            ("[report]\nsession_charts = \"all\"\n", SessionCharts::All),
            ("", SessionCharts::AtMost(24)),
        ] {
            std::fs::write(&p, text).unwrap();
            let s = settings(&Overrides {
                config: Some(p.clone()),
                ..Default::default()
            })
            .unwrap();
            assert_eq!(s.session_charts, want, "{text}");
        }
        std::fs::write(&p, "[report]\nsession_charts = -1\n").unwrap();
        let err = settings(&Overrides {
            config: Some(p.clone()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("session_charts"), "{err}");
    }

    #[test]
    fn an_athletes_file_overrides_the_teams_key_by_key_and_a_typo_names_its_file() {
        let team = (
            PathBuf::from("team/recovery.toml"),
            "hr_rest = 52\nhr_max = 190\n[rules]\nsore = 5\n".to_string(),
        );
        let own = (
            PathBuf::from("team/anna/recovery.toml"),
            "hr_max = 180\n[rules]\nvery_sore = 8\n".to_string(),
        );
        let s = settings_layered(&Overrides::default(), &[team.clone(), own]).unwrap();
        assert_eq!((s.hr_rest, s.hr_max), (Some(52.0), Some(180.0)));
        assert_eq!((s.rules.sore, s.rules.very_sore), (5.0, 8.0));
        let typo = (
            PathBuf::from("team/ben/recovery.toml"),
            "[rules]\nsoer = 4\n".to_string(),
        );
        let err = settings_layered(&Overrides::default(), &[team, typo])
            .unwrap_err()
            .to_string();
        assert!(err.contains("team/ben/recovery.toml"), "{err}");
    }

    #[test]
    fn a_known_zone_parses_and_a_typo_names_the_flag() {
        assert!(parse_tz(Some("Europe/Berlin")).unwrap().is_some());
        assert_eq!(parse_tz(None).unwrap(), None);
        let err = parse_tz(Some("Europe/Berln")).unwrap_err();
        assert!(err.to_string().starts_with("--tz \"Europe/Berln\""));
    }

    #[test]
    fn a_zero_size_limit_is_refused() {
        assert_eq!(
            ingest_options(None, 0, false).unwrap_err(),
            ConfigError::BadLimit
        );
    }

    #[test]
    fn the_decoder_flag_wins_over_the_environment_and_fast_is_the_default() {
        assert_eq!(parse_decoder(None, None).unwrap(), Decoder::Fast);
        assert_eq!(parse_decoder(None, Some("")).unwrap(), Decoder::Fast);
        assert_eq!(
            parse_decoder(None, Some("fitparser")).unwrap(),
            Decoder::Fitparser
        );
        assert_eq!(
            parse_decoder(Some("fast"), Some("fitparser")).unwrap(),
            Decoder::Fast
        );
        let err = parse_decoder(None, Some("slow")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "RECOVERY_DECODER \"slow\": expected fast or fitparser"
        );
    }

    #[test]
    fn bands_parse_as_low_dash_high() {
        assert_eq!(
            parse_band("120-140").unwrap(),
            Band {
                low: 120,
                high: 140
            }
        );
        assert_eq!(
            parse_band(" 110 - 135 ").unwrap(),
            Band {
                low: 110,
                high: 135
            }
        );
        for bad in ["140-120", "120", "a-b", "120-300", "120-120"] {
            assert!(parse_band(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        std::fs::write(
            &p,
            "band = \"110-130\"\nsex = \"female\"\n[classify]\nhard_above_min = 25\n",
        )
        .unwrap();
        let s = settings(&Overrides {
            config: Some(p.clone()),
            ..Overrides::default()
        })
        .unwrap();
        assert_eq!(
            s.band,
            Band {
                low: 110,
                high: 130
            }
        );
        assert_eq!(s.sex, Sex::Female);
        assert_eq!(s.thresholds.hard_above_min, 25.0);
        assert_eq!(s.thresholds.hard_above_share, 0.20);
        let s = settings(&Overrides {
            config: Some(p),
            band: Some("125-145".into()),
            ..Overrides::default()
        })
        .unwrap();
        assert_eq!(
            s.band,
            Band {
                low: 125,
                high: 145
            }
        );
    }

    #[test]
    fn the_band_follows_the_athletes_own_heart_rates() {
        let s = settings(&Overrides {
            hr_max: Some(200.0),
            hr_rest: Some(45.0),
            config: Some(PathBuf::from("/nonexistent/none.toml")),
            ..Overrides::default()
        });
        assert!(s.is_err(), "a missing --config file is an error");
        let s = settings(&Overrides {
            hr_max: Some(200.0),
            hr_rest: Some(45.0),
            ..Overrides::default()
        })
        .unwrap();
        assert_eq!(
            s.band,
            Band {
                low: 117,
                high: 140
            }
        );
    }

    #[test]
    fn a_misspelt_key_in_the_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        std::fs::write(&p, "[audit]\nsore_for_hardd = 5\n").unwrap();
        let err = FileConfig::read(&p).unwrap_err().to_string();
        assert!(err.contains("sore_for_hardd"), "{err}");
    }
}
