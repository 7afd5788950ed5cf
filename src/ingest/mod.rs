//! Ingest: paths on the command line to sessions, in parallel, with one verdict per file.
//!
//! The only stage that knows file formats. Every input file ends in exactly one verdict
//! (activity, not an activity, damaged but partly read, unreadable, or not FIT at all);
//! nothing a file contains can stop the batch.

mod activity;
pub mod apple;
pub mod dedupe;
pub mod exports;
pub mod fit;
pub mod gpx;
mod hr_store;
pub mod join;
pub mod local_date;
pub mod position_zone;
pub mod sources;
pub mod tcx;
pub mod xml;
pub mod zip_stream;

pub use hr_store::{HrStore, KeepRecords};

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::PathBuf;

use chrono_tz::Tz;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::session::Session;
pub use activity::read_activity;
pub use dedupe::Duplicate;
use zip_stream::Streamed;

/// What ingest needs to know.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Zone for files that do not carry their own UTC offset; UTC when `None`.
    pub tz: Option<Tz>,
    pub limits: Limits,
    /// Show a progress bar (only ever drawn on a terminal).
    pub progress: bool,
    /// Which FIT decoder reads intact files.
    pub decoder: Decoder,
    /// Keep every copy of an activity (`--keep-duplicates`): the same recording reached
    /// twice and every device's recording of one workout.
    pub keep_duplicates: bool,
    /// What happens to each session's heart-rate records (for the session charts).
    pub keep_records: KeepRecords,
}

/// Limits that keep one hostile input from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file (or decompressed member) read into memory.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 512 * 1024 * 1024,
        }
    }
}

/// The FIT decoder for files the structural check calls intact; damaged files are always
/// read by fitparser, so their partial reading does not depend on this choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Decoder {
    /// Our selective decoder (`fit::fast`): the same messages, at disk speed.
    #[default]
    Fast,
    /// fitparser, the reference.
    Fitparser,
}

/// The verdict on one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Read whole; it holds sessions.
    Activity,
    /// A FIT file that holds no activity (settings, course, workout, monitoring…).
    NotActivity(String),
    /// Damaged, but sessions were read from the part before the damage.
    Damaged(String),
    /// Nothing could be used.
    Unreadable(String),
    /// Not an activity format at all (a CSV, a photo…), found while walking folders or
    /// archives: by content, or without being opened, by a name whose extension is not an
    /// activity's (`sources::named_other`); an empty file not named as an activity.
    NotFit,
    /// A file of an account export we read besides FIT (sleep, resting HR, activity list).
    Wellness,
}

/// One input file and what became of it.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub label: String,
    pub verdict: Verdict,
    pub sessions: usize,
    /// A line for the user about how the file was read (its times were system time …).
    pub note: Option<String>,
}

/// What reading one input file gave: its verdict, its sessions and how it was read (what
/// [`FileReport`] tells of it, with the sessions themselves).
#[derive(Debug)]
pub struct FileRead {
    /// The file, as its sessions name it.
    pub label: String,
    pub verdict: Verdict,
    pub sessions: Vec<Session>,
    /// A line for the user about how the file was read (its times were system time …).
    pub note: Option<String>,
    /// What an account export's file gives besides sessions (only ingest reads those;
    /// never an activity file).
    export: Option<Export>,
}

impl FileRead {
    /// `sessions` read from `label` with `verdict`, and nothing else to say.
    fn of(label: &str, verdict: Verdict, sessions: Vec<Session>) -> FileRead {
        FileRead {
            label: label.to_string(),
            verdict,
            sessions,
            note: None,
            export: None,
        }
    }
}

/// What an account export's file gives besides sessions.
#[derive(Debug)]
enum Export {
    /// A Garmin or Strava file's bytes, for [`exports::Wellness::add_file`].
    File(Vec<u8>),
    /// What an Apple Health `export.xml` says of the days, its problem lines and the route
    /// files its workouts refer to.
    Apple {
        days: exports::AppleDays,
        problems: Vec<String>,
        routes: Vec<String>,
    },
}

/// Everything ingest found.
#[derive(Debug, Default)]
pub struct IngestReport {
    /// Sessions sorted by start time, duplicates removed.
    pub sessions: Vec<Session>,
    pub files: Vec<FileReport>,
    pub duplicates: Vec<Duplicate>,
    /// Problems with paths, folders and archives (not with one file's content).
    pub notices: Vec<sources::Notice>,
    /// Paths given on the command line that do not exist.
    pub missing: Vec<String>,
    /// Sleep, resting HR, HRV and activity lists from account exports.
    pub wellness: exports::Wellness,
    /// Sessions given a name, RPE or feel from an activity list, and how many activities
    /// the lists held.
    pub activities_matched: (usize, usize),
    /// How the sessions without an offset of their own were dated (position, the athlete's
    /// other files, UTC).
    pub local_dates: local_date::LocalDates,
    /// Where the sessions' heart-rate records went, when they left memory.
    pub hr_store: Option<HrStore>,
    /// Why they could not leave memory (no writable temporary folder): said, not a skip.
    pub records_note: Option<String>,
}

impl IngestReport {
    /// The chart's heart-rate series of `records`: from memory, or read back from the
    /// store they were moved to (never from the input files).
    pub fn hr_series(
        &self,
        records: &crate::session::HrRecords,
    ) -> Option<crate::session::HrSeries> {
        match &self.hr_store {
            Some(store) => store.series(records),
            None => Some(records.series()),
        }
    }
}

impl IngestReport {
    fn count(&self, f: impl Fn(&Verdict) -> bool) -> usize {
        self.files.iter().filter(|r| f(&r.verdict)).count()
    }

    pub fn activities(&self) -> usize {
        self.count(|v| *v == Verdict::Activity)
    }
    pub fn not_activities(&self) -> usize {
        self.count(|v| matches!(v, Verdict::NotActivity(_)))
    }
    pub fn damaged(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Damaged(_)))
    }
    pub fn unreadable(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Unreadable(_)))
    }
    pub fn not_fit(&self) -> usize {
        self.count(|v| *v == Verdict::NotFit)
    }
    pub fn wellness_files(&self) -> usize {
        self.count(|v| *v == Verdict::Wellness)
    }

    /// Did anything have to be skipped or only partly read? (Exit code 3.)
    pub fn has_problems(&self) -> bool {
        self.damaged() + self.unreadable() > 0
            || !self.notices.is_empty()
            || !self.missing.is_empty()
    }

    /// `312 files: 298 activities, 9 not activities, 3 damaged (partly read), 2 unreadable`
    /// and, when there are any, duplicates and non-FIT files.
    pub fn summary_line(&self) -> String {
        let fit_files = self.files.len() - self.not_fit() - self.wellness_files();
        let mut line = format!(
            "{} files: {} activities, {} not activities, {} damaged (partly read), {} unreadable",
            fit_files,
            self.activities(),
            self.not_activities(),
            self.damaged(),
            self.unreadable()
        );
        line.push_str(&format!("; {} sessions", self.sessions.len()));
        if !self.duplicates.is_empty() {
            line.push_str(&format!(
                "; {} duplicate sessions counted once",
                self.duplicates.len()
            ));
        }
        if self.wellness_files() > 0 {
            line.push_str(&format!(
                "; {} export files with sleep, resting HR or activity names",
                self.wellness_files()
            ));
        }
        if self.not_fit() > 0 {
            line.push_str(&format!(
                "; {} other files (not FIT) ignored",
                self.not_fit()
            ));
        }
        if !self.notices.is_empty() {
            line.push_str(&format!(
                "; {} archive or folder problems",
                self.notices.len()
            ));
        }
        line
    }

    /// One line per problem, in input order, ready for stderr.
    pub fn problem_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for m in &self.missing {
            out.push(format!("{m}: no such file or folder; check the path"));
        }
        for n in &self.notices {
            out.push(format!("{}: {}", n.label, n.message));
        }
        out.extend(self.records_note.clone());
        for f in &self.files {
            if let Some(note) = &f.note {
                out.push(format!("{}: {note}", f.label));
            }
            match &f.verdict {
                Verdict::Damaged(why) => out.push(format!(
                    "{}: damaged ({why}); kept {} session(s) read before the damage — re-export it from the device or service for complete figures",
                    f.label, f.sessions
                )),
                Verdict::Unreadable(why) => out.push(format!(
                    "{}: unreadable ({why}); skipped — re-export it from the device or service",
                    f.label
                )),
                _ => {}
            }
        }
        // A folder and the export zip holding the same files would give one line per
        // session: name a few of each kind, count the rest.
        let (same_start, devices): (Vec<&Duplicate>, Vec<&Duplicate>) = self
            .duplicates
            .iter()
            .partition(|d| d.why == dedupe::Match::SameStart);
        for d in devices.iter().take(MAX_DUPLICATE_LINES) {
            out.push(d.line());
        }
        if devices.len() > MAX_DUPLICATE_LINES {
            out.push(format!(
                "… and {} more workouts recorded on two devices (overlapping times), each counted once",
                devices.len() - MAX_DUPLICATE_LINES
            ));
        }
        for d in same_start.iter().take(MAX_DUPLICATE_LINES) {
            out.push(d.line());
        }
        if same_start.len() > MAX_DUPLICATE_LINES {
            out.push(format!(
                "… and {} more sessions reached twice (same start and sport), each counted once",
                same_start.len() - MAX_DUPLICATE_LINES
            ));
        }
        for p in &self.wellness.problems {
            out.push(p.clone());
        }
        out.extend(self.local_dates.problems.iter().cloned());
        out.extend(self.local_dates.utc_line());
        out
    }
}

/// Duplicate sessions named one by one on stderr before the rest are counted.
const MAX_DUPLICATE_LINES: usize = 5;

/// Reads every FIT file under `paths` in parallel.
pub fn ingest(paths: &[PathBuf], opts: &IngestOptions) -> IngestReport {
    let listing = sources::list(paths);
    let bar = progress_bar(listing.sources.len() as u64, opts.progress);
    // Each file's heart-rate records leave memory as soon as it is read (see hr_store.rs);
    // without a usable folder for them they stay in memory.
    let mut records_note = None;
    let hr_store = match &opts.keep_records {
        KeepRecords::Store(dir) => HrStore::new(dir)
            .map_err(|e| {
                records_note = Some(format!(
                    "{}: no temporary file for the session charts' heart rate ({e}); it is kept in memory instead — set TMPDIR to a writable folder for big exports",
                    dir.display()
                ))
            })
            .ok(),
        _ => None,
    };
    let keep = |mut read: FileRead| {
        match (&opts.keep_records, &hr_store) {
            (KeepRecords::Drop, _) => read.sessions.iter_mut().for_each(|s| s.hr_records.clear()),
            (KeepRecords::Store(_), Some(store)) => store.put(&mut read.sessions),
            _ => {}
        }
        read
    };
    let mut reads: Vec<FileRead> = listing
        .sources
        .par_iter()
        .map(|src| {
            let read = keep(read_source(src, opts));
            bar.inc(1);
            read
        })
        .collect();
    let (streamed, stream_notices) = read_streams(&listing.streams, opts, &bar, &keep);
    reads.extend(streamed);
    bar.finish_and_clear();

    let mut report = IngestReport {
        notices: listing.notices,
        missing: listing.missing,
        hr_store,
        records_note,
        ..IngestReport::default()
    };
    report.notices.extend(stream_notices);
    let mut all = Vec::new();
    let mut routes = Vec::new();
    for read in reads {
        let FileRead {
            label,
            verdict,
            sessions,
            note,
            export,
        } = read;
        match export {
            Some(Export::File(bytes)) => report.wellness.add_file(&label, &bytes),
            Some(Export::Apple {
                days,
                problems,
                routes: refs,
            }) => {
                report.wellness.add_apple(&label, days);
                report.wellness.problems.extend(problems);
                routes.push((label.clone(), refs));
            }
            None => {}
        }
        report.files.push(FileReport {
            label,
            verdict,
            sessions: sessions.len(),
            note,
        });
        all.extend(sessions);
    }
    // Dating by the athlete's other files needs them all, and merging duplicates and the
    // days need the dates.
    report.local_dates = local_date::redate(&mut all, opts.tz);
    let missing = missing_routes(&routes, &report.files);
    report.wellness.problems.extend(missing);
    (report.sessions, report.duplicates) = dedupe::dedupe(all, opts.keep_duplicates);
    report.local_dates.count(&report.sessions);
    report
        .sessions
        .sort_by(|a, b| (a.start_utc, &a.file, a.index).cmp(&(b.start_utc, &b.file, b.index)));
    report.wellness.finish();
    join::apply_activity_notes(&mut report);
    report
}

fn progress_bar(len: u64, wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() || len < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} reading {pos}/{len} files [{bar:30}] {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// One line per Apple Health export whose workouts refer to route files that are not
/// beside it (`workout-routes/`): routes hold positions only, so nothing is lost.
fn missing_routes(routes: &[(String, Vec<String>)], files: &[FileReport]) -> Vec<String> {
    let labels: BTreeSet<&str> = files.iter().map(|f| f.label.as_str()).collect();
    let mut out = Vec::new();
    for (label, refs) in routes {
        let base = &label[..label.len() - "export.xml".len().min(label.len())];
        let missing: Vec<&String> = refs
            .iter()
            .filter(|r| !labels.contains(format!("{base}{}", r.trim_start_matches('/')).as_str()))
            .collect();
        if let Some(first) = missing.first() {
            out.push(format!(
                "{label}: {} workout route file(s) it refers to are not in the export (first: {}); \
                 the workouts are read without them (a route holds positions only, no heart rate)",
                missing.len(),
                first.trim_start_matches('/')
            ));
        }
    }
    out
}

/// Opens a source as a stream (an `export.xml` is never read whole into memory), with its
/// size, and hands it to `f`.
fn with_stream<T>(
    src: &sources::Source,
    limits: Limits,
    f: impl FnOnce(&mut dyn std::io::Read, u64) -> T,
) -> Result<T, String> {
    match &src.origin {
        sources::Origin::File(path) => {
            let mut file = std::fs::File::open(path)
                .map_err(|e| format!("cannot be read ({e}); check it exists and is readable"))?;
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            Ok(f(&mut file, len))
        }
        sources::Origin::ZipMember { archive, index } => {
            let mut zip = archive.clone();
            let mut entry = zip
                .by_index(*index)
                .map_err(|e| format!("zip entry cannot be read ({e}); skipped"))?;
            let len = entry.size();
            Ok(f(&mut entry, len))
        }
        sources::Origin::Streamed(_) => {
            let bytes = sources::load_raw(src, limits)?;
            Ok(f(&mut &bytes[..], bytes.len() as u64))
        }
    }
}

/// Reads an Apple Health `export.xml` as a stream, whatever its size.
fn read_apple(src: &sources::Source, opts: &IngestOptions) -> FileRead {
    let limit = opts.limits.max_file_bytes;
    let read = with_stream(src, opts.limits, |r, len| {
        (apple::read(&src.label, r, opts.tz), len)
    });
    let (export, len) = match read {
        Ok(x) => x,
        Err(why) => return FileRead::of(&src.label, Verdict::Unreadable(why), Vec::new()),
    };
    let note = (len > limit).then(|| {
        format!(
            "is {len} bytes, over the {limit}-byte limit (--max-file-mb); streamed anyway \
             (only its heart-rate samples are kept in memory)"
        )
    });
    FileRead {
        note,
        export: Some(Export::Apple {
            days: export.days,
            problems: export.problems,
            routes: export.routes,
        }),
        ..FileRead::of(&src.label, export.verdict, export.sessions)
    }
}

/// Reads the zips inside zips as streams, a few at a time on threads of their own, while
/// the pool inflates and decodes their entries; a bounded queue keeps memory to a few
/// entries per thread whatever the archives' sizes. What was read and the notices come back
/// in stream order.
fn read_streams(
    streams: &[sources::Stream],
    opts: &IngestOptions,
    bar: &ProgressBar,
    keep: &(dyn Fn(FileRead) -> FileRead + Sync),
) -> (Vec<FileRead>, Vec<sources::Notice>) {
    if streams.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let threads = rayon::current_num_threads();
    let (tx, rx) = std::sync::mpsc::sync_channel::<((usize, usize), Streamed)>(2 * threads.max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let readers = streams.len().min(threads + 1);
    /// A streamed item once read.
    enum Got {
        Read(FileRead),
        Notice(sources::Notice),
    }
    let mut got: Vec<((usize, usize), Got)> = std::thread::scope(|scope| {
        for _ in 0..readers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(st) = streams.get(n) else { break };
                let mut seq = 0;
                sources::stream(st, opts.limits, &mut |item| {
                    seq += 1;
                    // A closed queue means ingest is gone: nothing left to do.
                    let _ = tx.send(((n, seq), item));
                });
            });
        }
        drop(tx);
        rx.into_iter()
            .par_bridge()
            .map(|(key, item)| match item {
                Streamed::Entry { label, payload } => {
                    bar.inc_length(1);
                    let out = keep(read_source(
                        &sources::Source::streamed(label, payload),
                        opts,
                    ));
                    bar.inc(1);
                    (key, Got::Read(out))
                }
                Streamed::Problem { label, error } => {
                    let message = error.to_string();
                    (key, Got::Notice(sources::Notice { label, message }))
                }
            })
            .collect()
    });
    got.sort_by_key(|(key, _)| *key);
    let mut reads = Vec::with_capacity(got.len());
    let mut notices = Vec::new();
    for (_, item) in got {
        match item {
            Got::Read(read) => reads.push(read),
            Got::Notice(n) => notices.push(n),
        }
    }
    (reads, notices)
}

/// Reads one source as what its name and content say it is: an Apple Health export, a file
/// of an account export, something else than an activity, or an activity file.
fn read_source(src: &sources::Source, opts: &IngestOptions) -> FileRead {
    let nothing = |verdict| FileRead::of(&src.label, verdict, Vec::new());
    if apple::is_export_xml(&src.label) {
        return read_apple(src, opts);
    }
    if apple::is_route(&src.label) {
        // Positions only; the workout is read from export.xml.
        return nothing(Verdict::NotFit);
    }
    if exports::classify_path(&src.label).is_some() {
        return match sources::load_raw(src, opts.limits) {
            Ok(bytes) => FileRead {
                export: Some(Export::File(bytes)),
                ..nothing(Verdict::Wellness)
            },
            Err(why) => nothing(Verdict::Unreadable(why)),
        };
    }
    if sources::named_other(&src.label) {
        return nothing(Verdict::NotFit);
    }
    if let Some(read) = activity::read_plain_xml(src, opts.limits, opts.tz) {
        return read;
    }
    let bytes = match sources::load(src, opts.limits) {
        // An empty file says nothing; only its name could say it was meant as an activity.
        Ok(Some(b)) if b.is_empty() && !named_activity(&src.label) && !src.explicit => {
            return nothing(Verdict::NotFit)
        }
        Ok(Some(b)) => b,
        Ok(None) => {
            let verdict = if named_activity(&src.label) || src.explicit {
                Verdict::Unreadable(
                    "no .FIT signature and no <gpx> or <TrainingCenterDatabase> root: \
                     not a FIT, GPX or TCX file"
                        .into(),
                )
            } else {
                Verdict::NotFit
            };
            return nothing(verdict);
        }
        Err(why) => return nothing(Verdict::Unreadable(why)),
    };
    read_activity(&src.label, &bytes, opts.tz, opts.decoder)
}

/// Named like an activity file (`.fit`, `.gpx`, `.tcx`, each maybe `.gz`).
fn named_activity(label: &str) -> bool {
    let lower = label.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    [".fit", ".gpx", ".tcx"].iter().any(|e| lower.ends_with(e))
}
