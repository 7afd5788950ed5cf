//! The command line: clap derive structs, their help text and examples. Nothing after
//! `config` sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "recovery",
    version,
    about = "Reads sports-watch FIT exports and a soreness/sleep journal and answers: am I training and recovering well?",
    long_about = None,
    after_help = "Examples:\n  recovery analyze sample_data                 # reports/ with tables, charts and summary\n  recovery sessions ~/garmin-export.zip --format csv > sessions.csv\n  recovery sessions sample_data/strava_export.zip   # a Strava archive: .fit.gz, GPX, TCX, activities.csv\n  recovery audit ~/fit --journal journal.csv\n  recovery today sample_data --date 2026-10-11\n  recovery inspect sample_data/activities/2026-09-01_run_intervals.fit\n  recovery completions bash > ~/.local/share/bash-completion/completions/recovery\n\nExit codes: 0 all inputs read, 3 finished but some inputs were skipped or damaged,\n1 fatal error, 2 usage error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Everything: tables, audit, correlations, charts and summary into --out (default reports/).
    #[command(after_help = ANALYZE_EXAMPLES)]
    Analyze(AnalyzeArgs),
    /// Check the training rules and write audit.csv into --out.
    #[command(after_help = AUDIT_EXAMPLES)]
    Audit(AnalyzeArgs),
    /// Should I train today, and how hard? One recommendation with every reason.
    #[command(after_help = TODAY_EXAMPLES)]
    Today(TodayArgs),
    /// The next days (7 by default, at most 28), each rest / active recovery / easy / hard OK, from the same rules and your own soreness curve.
    Plan(PlanArgs),
    /// One row per session: sport, times, heart-rate minutes below/in/above the band, class, load.
    #[command(after_help = SESSIONS_EXAMPLES)]
    Sessions(SessionsArgs),
    /// Everything about one file: header, devices, sessions, message counts, damage.
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect(InspectArgs),
    /// A team: each subfolder or .zip of DIR is one athlete; one report each, then team.csv,
    /// team.md, index.html, team_load.png and a Parquet dataset across them.
    #[command(after_help = TEAM_EXAMPLES)]
    Team(TeamArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell) to standard output.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
}

// Each subcommand's `--help` ends with a few examples, as the top-level one does.
const ANALYZE_EXAMPLES: &str = "Examples:\n  recovery analyze sample_data\n  recovery analyze ~/garmin-export.zip --journal journal.csv --out ~/reports\n  recovery analyze sample_data --size 1200x675 --session-charts none";
const AUDIT_EXAMPLES: &str = "Examples:\n  recovery audit sample_data\n  recovery audit ~/fit --journal journal.csv --out audit-reports";
const TODAY_EXAMPLES: &str = "Examples:\n  recovery today sample_data\n  recovery today sample_data --date 2026-10-11\n  recovery today ~/fit --journal journal.csv --format json";
const SESSIONS_EXAMPLES: &str = "Examples:\n  recovery sessions sample_data/activities          # the columns that fit the terminal\n  recovery sessions sample_data --wide              # every column\n  recovery sessions sample_data --columns local_date,name,class,trimp\n  recovery sessions ~/garmin-export.zip --format csv > sessions.csv";
const INSPECT_EXAMPLES: &str = "Examples:\n  recovery inspect sample_data/activities/2026-09-01_run_intervals.fit\n  recovery inspect ride.fit.gz --tz Europe/Berlin";
const TEAM_EXAMPLES: &str = "Examples:\n  recovery team ~/team --out team-reports\n  recovery team ~/team --band 125-145 --tz Europe/Berlin";
const COMPLETIONS_EXAMPLES: &str = "Examples:\n  recovery completions bash > ~/.local/share/bash-completion/completions/recovery\n  recovery completions zsh > ~/.zfunc/_recovery       # with fpath+=(~/.zfunc) in ~/.zshrc\n  recovery completions fish > ~/.config/fish/completions/recovery.fish\n  recovery completions powershell >> $PROFILE";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// When to colour the output: the class of a session and the recommendation word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set (or CLICOLOR=0, TERM=dumb).
    #[default]
    Auto,
    /// Always, even when piped (also overrides NO_COLOR).
    Always,
    /// Never.
    Never,
}

/// The colour flag of the commands that print to the terminal.
#[derive(Debug, Args, Clone)]
pub struct ColorArgs {
    /// Colour the class and the recommendation word with the charts' palette: auto (on a
    /// terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// The inputs of every command that reads an athlete's files: the paths, and how to read them.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// FIT, GPX and TCX files, folders (searched recursively), .zip exports (Garmin, Strava)
    /// or gzipped files (.fit.gz, .gpx.gz, .tcx.gz).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,
}

/// How exports are read: the flags shared by every command that reads them (`team` too), so
/// each means the same everywhere.
#[derive(Debug, Args, Clone, Default)]
pub struct ReadArgs {
    /// Time zone (IANA name, e.g. Europe/Berlin) for files that do not record their own
    /// UTC offset; without it such files are dated by their position, the athlete's other
    /// files, else UTC.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Skip any single file (or decompressed archive member) larger than this.
    #[arg(long, value_name = "MB", default_value_t = 512)]
    pub max_file_mb: u64,

    /// Do not show the progress bar.
    #[arg(long, short)]
    pub quiet: bool,

    /// FIT decoder for intact files: fast (default) or fitparser, the reference library
    /// (also set by RECOVERY_DECODER). Damaged files are always read by fitparser.
    #[arg(long, value_name = "fast|fitparser")]
    pub decoder: Option<String>,

    /// Count every file's sessions, even the same activity reached twice (same start and
    /// sport) or recorded by two devices (overlapping times); by default each counts once
    /// (also `keep_duplicates = true` in recovery.toml).
    #[arg(long)]
    pub keep_duplicates: bool,
}

/// Flags that change how sessions are judged.
#[derive(Debug, Args, Clone)]
pub struct JudgeArgs {
    /// Settings file (default: recovery.toml in the current folder, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The heart-rate band in bpm, LOW-HIGH (default 120-140).
    #[arg(long, value_name = "LOW-HIGH")]
    pub band: Option<String>,

    /// Your maximum heart rate (with --hr-rest it also sets the band; default: estimated).
    #[arg(long, value_name = "BPM")]
    pub hr_max: Option<f64>,

    /// Your resting heart rate (default 60).
    #[arg(long, value_name = "BPM")]
    pub hr_rest: Option<f64>,

    /// TRIMP weighting: male (0.64·e^1.92x) or female (0.86·e^1.67x).
    #[arg(long, value_name = "male|female")]
    pub sex: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct SessionsArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub judge: JudgeArgs,

    /// Output format. On a terminal (or with COLUMNS set) the table shows the columns that
    /// fit, most important first; CSV and JSON always carry every column.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Table format: every column, whatever the terminal's width.
    #[arg(long, conflicts_with = "columns")]
    pub wide: bool,

    /// Table format: these columns, in this order (names as in the CSV header).
    #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
    pub columns: Option<Vec<String>>,

    #[command(flatten)]
    pub color: ColorArgs,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub judge: JudgeArgs,

    /// The soreness/sleep journal (CSV). Default: journal.csv in the first folder given.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,

    /// Where reports are written.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,

    /// Chart size in pixels, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "1600x900")]
    pub size: String,

    /// Heart-rate charts of flagged sessions: at most N (default 24: the last 8 weeks' flagged
    /// sessions, most severe first), all, or none. Also `[report] session_charts` in recovery.toml.
    #[arg(long, value_name = "N|all|none")]
    pub session_charts: Option<String>,
}

#[derive(Debug, Args)]
pub struct TeamArgs {
    /// The team folder: each direct subfolder or .zip is one athlete, named after it, with
    /// its own journal.csv and recovery.toml (DIR/recovery.toml gives the team's defaults).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Where reports are written: <athlete>/, team.csv, team.md, index.html, team_load.png
    /// and dataset/.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,

    /// The team's settings (default: DIR/recovery.toml); each athlete's own file overrides it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Target heart-rate band for every athlete, e.g. 120-140 or auto (overrides the files).
    #[arg(long, value_name = "LOW-HIGH")]
    pub band: Option<String>,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Chart size in pixels for each athlete's charts, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "1600x900")]
    pub size: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TodayFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct TodayArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub judge: JudgeArgs,

    /// The soreness/sleep journal (CSV). Default: journal.csv in the first folder given.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,

    /// The date to answer for (default: this morning, your local date now).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    #[command(flatten)]
    pub clock: ClockArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = TodayFormat::Text)]
    pub format: TodayFormat,

    #[command(flatten)]
    pub color: ColorArgs,
}

/// What "now" is for `today` and `plan`.
#[derive(Debug, Args, Clone, Default)]
pub struct ClockArgs {
    /// Take this as the time now instead of the clock (to replay a morning, or in tests):
    /// local wall time YYYY-MM-DDTHH:MM, or RFC 3339 with an offset. The date answered is
    /// its local date in --tz / the configured zone (else this machine's zone).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

/// A date flag: `YYYY-MM-DD` (a usage error otherwise).
fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    s.parse()
        .map_err(|_| format!("{s:?}: expected YYYY-MM-DD, e.g. 2026-03-02"))
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  recovery plan sample_data\n  recovery plan sample_data --from 2026-10-13 --days 14 --format json"
)]
pub struct PlanArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub judge: JudgeArgs,

    /// The soreness/sleep journal (CSV). Default: journal.csv in the first folder given.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,

    /// The first day of the plan (default: today, as `today` answers it).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub from: Option<chrono::NaiveDate>,

    #[command(flatten)]
    pub clock: ClockArgs,

    /// How many days to plan, 1–28.
    #[arg(long, value_name = "N", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=28))]
    pub days: u32,

    /// Output format.
    #[arg(long, value_enum, default_value_t = TodayFormat::Text)]
    pub format: TodayFormat,

    #[command(flatten)]
    pub color: ColorArgs,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// One FIT, GPX or TCX file (or .fit.gz, .gpx.gz, .tcx.gz).
    pub file: PathBuf,

    /// Time zone for the local date when the file does not record its UTC offset.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
}
