//! Many athletes: one full `analyze` each (in parallel, each into its own folder), then the
//! view across them: `team.csv`, `team.md`/`index.html`, `team_load.png` and a
//! Hive-partitioned Parquet dataset.
//!
//! Athletes stream through: each one's inputs, outcome and frames are dropped as soon as its
//! folder is written, and only a small [`Row`] is kept, so memory does not grow with the team.

mod chart;
mod discover;
mod page;
mod row;

use std::path::{Path, PathBuf};

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::Result;

use crate::config::{self, Overrides};
use crate::pipeline::{self, Inputs, JournalIn};
use crate::report::charts::ChartStyle;
use crate::report::folder::write_reports;
use crate::report::write::{write_atomic, PARQUET_TABLES};

pub use discover::{discover, partition_value, Athlete, Kind};
pub use row::{team_table, Row, WeekCell};

/// What a team run needs besides the team folder.
#[derive(Debug, Clone)]
pub struct TeamOptions {
    /// Where everything is written.
    pub out: PathBuf,
    /// The team's settings file (default: `DIR/recovery.toml` when present).
    pub config: Option<PathBuf>,
    /// Flags that override every settings file (band, time zone, how files are read).
    /// Athletes are read in parallel: give no progress bar.
    pub overrides: Overrides,
    /// Size of each athlete's charts.
    pub style: ChartStyle,
}

/// What a team run did.
#[derive(Debug)]
pub struct TeamReport {
    pub rows: Vec<Row>,
    /// Files written across the team (relative names).
    pub files: Vec<String>,
    /// Lines for the user about the team as a whole (a chart not drawn).
    pub say: Vec<String>,
}

/// Hears each athlete's lines for the user (warnings, inputs, journal, data, and last its
/// status) when that athlete is done; athletes finish in any order.
pub type OnAthlete<'a> = &'a (dyn Fn(&str, &[String]) + Sync);

/// Analyses every athlete of `dir` and writes the team's outputs.
pub fn run_team(dir: &Path, o: &TeamOptions, on_athlete: OnAthlete) -> Result<TeamReport> {
    let athletes = discover(dir, &o.out)?;
    if athletes.is_empty() {
        anyhow::bail!(
            "no athletes in {}: put one subfolder or .zip per athlete in it",
            dir.display()
        );
    }
    let team_config = o
        .config
        .clone()
        .or_else(|| Some(dir.join(config::DEFAULT_CONFIG)).filter(|p| p.is_file()));
    let team_layer = match &team_config {
        Some(p) => Some((
            p.clone(),
            std::fs::read_to_string(p).map_err(|e| {
                anyhow::anyhow!(
                    "cannot read the team settings {} ({e}); check the path",
                    p.display()
                )
            })?,
        )),
        None => None,
    };
    // A bad team file stops the run before any work (it would fail every athlete).
    config::settings_layered(&o.overrides, team_layer.as_slice())?;
    let mut rows = each_athlete(&athletes, on_athlete, |a, say| {
        one(a, team_layer.as_ref(), o, say)
    });
    rows.sort_by(|a, b| a.athlete.cmp(&b.athlete));
    let mut files = Vec::new();
    let mut csv = Vec::new();
    team_table(&rows).write_csv(&mut csv)?;
    write_atomic(&o.out.join("team.csv"), &csv)?;
    files.push("team.csv".to_string());
    let chart = chart::team_load_chart(&o.out.join("team_load.png"), &rows);
    let mut say = Vec::new();
    let chart_ok = match &chart {
        Ok(()) => {
            files.push("team_load.png".into());
            true
        }
        Err(e) => {
            say.push(format!("warning: team_load.png not drawn: {e:#}"));
            false
        }
    };
    let doc = page::Page::new(&rows, chart_ok);
    write_atomic(&o.out.join("team.md"), doc.markdown().as_bytes())?;
    write_atomic(&o.out.join("index.html"), doc.html().as_bytes())?;
    files.push("team.md".into());
    files.push("index.html".into());
    files.push("dataset/".into());
    Ok(TeamReport { rows, files, say })
}

/// Runs `f` on every athlete, as many at a time as rayon has threads (each athlete's own
/// decoding runs on rayon's pool too).
///
/// Plain threads, not a parallel iterator over the athletes: a rayon worker waiting inside
/// one athlete's decoding would steal and start another athlete, so athletes (and their
/// memory) would pile up. Here at most one athlete per thread is in flight.
fn each_athlete(
    athletes: &[Athlete],
    on_athlete: OnAthlete,
    f: impl Fn(&Athlete, &mut Vec<String>) -> Row + Sync,
) -> Vec<Row> {
    let next = AtomicUsize::new(0);
    let rows = Mutex::new(Vec::with_capacity(athletes.len()));
    let workers = rayon::current_num_threads().clamp(1, athletes.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(a) = athletes.get(next.fetch_add(1, Ordering::Relaxed)) {
                    // A bug met in one athlete's data must not stop the others.
                    let mut say = Vec::new();
                    let row =
                        catch_unwind(AssertUnwindSafe(|| f(a, &mut say))).unwrap_or_else(|_| {
                            Row::failed(
                                &a.name,
                                "internal error (a bug: please report it with this athlete's files)"
                                    .into(),
                            )
                        });
                    say.push(row.status_line());
                    on_athlete(&a.name, &say);
                    rows.lock().unwrap_or_else(|e| e.into_inner()).push(row);
                }
            });
        }
    });
    rows.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// One athlete, start to finish; never fails: what went wrong is the row's status.
fn one(
    a: &Athlete,
    team_layer: Option<&(PathBuf, String)>,
    o: &TeamOptions,
    say: &mut Vec<String>,
) -> Row {
    let row = match analyse_one(a, team_layer, o, say) {
        Ok(row) => row,
        Err(e) => Row::failed(&a.name, format!("{e:#}")),
    };
    if !row.is_ok() {
        // A partition left from an earlier run would contradict team.csv.
        let part = format!("athlete={}", partition_value(&a.name));
        for table in PARQUET_TABLES {
            let _ = std::fs::remove_dir_all(o.out.join("dataset").join(table).join(&part));
        }
    }
    row
}

fn analyse_one(
    a: &Athlete,
    team_layer: Option<&(PathBuf, String)>,
    o: &TeamOptions,
    say: &mut Vec<String>,
) -> Result<Row> {
    if let Some(why) = a.empty_reason() {
        return Ok(Row::failed(&a.name, why));
    }
    let mut layers: Vec<(PathBuf, String)> = team_layer.into_iter().cloned().collect();
    if let Some(own) = a.read_member(config::DEFAULT_CONFIG)? {
        layers.push((own.0, String::from_utf8_lossy(&own.1).into_owned()));
    }
    let settings = config::settings_layered(&o.overrides, &layers)?;
    say.extend(settings.warnings.iter().map(|w| format!("warning: {w}")));
    let journal = match a.read_member("journal.csv")? {
        Some((path, bytes)) => JournalIn::Bytes(path.display().to_string(), bytes),
        None => JournalIn::Missing(
            "none (put journal.csv in the athlete's folder or zip to relate soreness and sleep)"
                .into(),
        ),
    };
    let inputs = Inputs {
        paths: vec![a.path.clone()],
        journal,
    };
    let outcome = match pipeline::run(&inputs, &settings, say) {
        Ok(outcome) => outcome,
        Err(e) => {
            return Ok(Row::failed(
                &a.name,
                format!("no activities ({e:#})")
                    .replace("; give the folder, zip or files your watch exported", ""),
            ))
        }
    };
    let out = o.out.join(&a.name);
    crate::report::write::prepare(&out)?;
    let written = write_reports(&outcome, &settings, &inputs, &out, &o.style)?;
    say.extend(written.say);
    write_dataset(&o.out, &out, &a.name)?;
    Ok(Row::from_outcome(&a.name, &outcome))
}

/// Copies the athlete's Parquet tables into `dataset/<table>/athlete=<name>/part-0.parquet`
/// (the same bytes as `<athlete>/<table>.parquet`), each atomically.
fn write_dataset(out: &Path, athlete_dir: &Path, name: &str) -> Result<()> {
    let part = format!("athlete={}", partition_value(name));
    for table in PARQUET_TABLES {
        let bytes = std::fs::read(athlete_dir.join(format!("{table}.parquet")))?;
        write_atomic(
            &out.join("dataset")
                .join(table)
                .join(&part)
                .join("part-0.parquet"),
            &bytes,
        )?;
    }
    Ok(())
}
