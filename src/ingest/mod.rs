//! Ingest: paths on the command line to sessions, in parallel, with one verdict per file.
//!
//! The only stage that knows file formats. Every input file ends in exactly one verdict
//! (activity, not an activity, damaged but partly read, unreadable, or not FIT at all);
//! nothing a file contains can stop the batch.

pub mod apple;
pub mod dedupe;
pub mod exports;
pub mod fit;
pub mod gpx;
pub mod join;
pub mod local_date;
pub mod position_zone;
pub mod sources;
pub mod tcx;
pub mod xml;
pub mod zip_stream;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Seek};
use std::path::PathBuf;

use chrono_tz::Tz;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::session::Session;
pub use dedupe::Duplicate;
use fit::{check, fast, reference, FileData};
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
    /// How long each streamed entry with a data descriptor was packed, so the charts'
    /// second read ([`series_for`]) steps over the rest of a part zip without inflating.
    pub packed: zip_stream::PackedSizes,
    /// How the sessions without an offset of their own were dated (position, the athlete's
    /// other files, UTC).
    pub local_dates: local_date::LocalDates,
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
    let mut outcomes: Vec<Outcome> = listing
        .sources
        .par_iter()
        .map(|src| {
            let out = read_source(src, opts);
            bar.inc(1);
            out
        })
        .collect();
    let (streamed, stream_notices, packed) = read_streams(&listing.streams, opts, &bar);
    outcomes.extend(streamed);
    bar.finish_and_clear();

    let mut report = IngestReport {
        notices: listing.notices,
        missing: listing.missing,
        packed,
        ..IngestReport::default()
    };
    report.notices.extend(stream_notices);
    let mut all = Vec::new();
    let mut routes = Vec::new();
    for (file, sessions, export_file) in outcomes {
        match export_file {
            Some(Export::File(bytes)) => report.wellness.add_file(&file.label, &bytes),
            Some(Export::Apple(apple)) => {
                let (days, problems, refs) = *apple;
                report.wellness.add_apple(&file.label, days);
                report.wellness.problems.extend(problems);
                routes.push((file.label.clone(), refs));
            }
            None => {}
        }
        all.extend(sessions);
        report.files.push(file);
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

/// One source's report, its sessions and, for an account export's file, what it holds.
type Outcome = (FileReport, Vec<Session>, Option<Export>);

/// What an account export's file gives besides sessions.
enum Export {
    /// A Garmin or Strava file's bytes, for [`exports::Wellness::add_file`].
    File(Vec<u8>),
    /// An Apple Health `export.xml`'s days, its problem lines and the route files its
    /// workouts refer to.
    Apple(Box<(exports::AppleDays, Vec<String>, Vec<String>)>),
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
fn read_apple(src: &sources::Source, opts: &IngestOptions) -> Outcome {
    let limit = opts.limits.max_file_bytes;
    let read = with_stream(src, opts.limits, |r, len| {
        (apple::read(&src.label, r, opts.tz), len)
    });
    let (export, len) = match read {
        Ok(x) => x,
        Err(why) => {
            let file = FileReport {
                label: src.label.clone(),
                verdict: Verdict::Unreadable(why),
                sessions: 0,
                note: None,
            };
            return (file, Vec::new(), None);
        }
    };
    let note = (len > limit).then(|| {
        format!(
            "is {len} bytes, over the {limit}-byte limit (--max-file-mb); streamed anyway \
             (only its heart-rate samples are kept in memory)"
        )
    });
    let file = FileReport {
        label: src.label.clone(),
        verdict: export.verdict,
        sessions: export.sessions.len(),
        note,
    };
    let extra = Export::Apple(Box::new((export.days, export.problems, export.routes)));
    (file, export.sessions, Some(extra))
}

/// Reads the zips inside zips as streams, a few at a time on threads of their own, while
/// the pool inflates and decodes their entries; a bounded queue keeps memory to a few
/// entries per thread whatever the archives' sizes. Outcomes and notices come back in
/// stream order, with the packed lengths the streams told.
fn read_streams(
    streams: &[sources::Stream],
    opts: &IngestOptions,
    bar: &ProgressBar,
) -> (Vec<Outcome>, Vec<sources::Notice>, zip_stream::PackedSizes) {
    let mut packed = zip_stream::PackedSizes::new();
    if streams.is_empty() {
        return (Vec::new(), Vec::new(), packed);
    }
    let threads = rayon::current_num_threads();
    let (tx, rx) = std::sync::mpsc::sync_channel::<((usize, usize), Streamed)>(2 * threads.max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let readers = streams.len().min(threads + 1);
    /// A streamed item once read.
    enum Got {
        Read(Outcome),
        Notice(sources::Notice),
        Packed(String, u64),
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
                    let out = read_source(&sources::Source::streamed(label, payload), opts);
                    bar.inc(1);
                    (key, Got::Read(out))
                }
                Streamed::Problem { label, error } => {
                    let message = error.to_string();
                    (key, Got::Notice(sources::Notice { label, message }))
                }
                Streamed::Packed { label, bytes } => (key, Got::Packed(label, bytes)),
            })
            .collect()
    });
    got.sort_by_key(|(key, _)| *key);
    let mut outcomes = Vec::with_capacity(got.len());
    let mut notices = Vec::new();
    for (_, item) in got {
        match item {
            Got::Read(o) => outcomes.push(o),
            Got::Notice(n) => notices.push(n),
            Got::Packed(label, bytes) => zip_stream::record_packed(&mut packed, label, bytes),
        }
    }
    (outcomes, notices, packed)
}

fn read_source(src: &sources::Source, opts: &IngestOptions) -> Outcome {
    let report = |verdict, sessions| FileReport {
        label: src.label.clone(),
        verdict,
        sessions,
        note: None,
    };
    if apple::is_export_xml(&src.label) {
        return read_apple(src, opts);
    }
    if apple::is_route(&src.label) {
        // Positions only; the workout is read from export.xml.
        return (report(Verdict::NotFit, 0), Vec::new(), None);
    }
    if exports::classify_path(&src.label).is_some() {
        return match sources::load_raw(src, opts.limits) {
            Ok(bytes) => (
                report(Verdict::Wellness, 0),
                Vec::new(),
                Some(Export::File(bytes)),
            ),
            Err(why) => (report(Verdict::Unreadable(why), 0), Vec::new(), None),
        };
    }
    if sources::named_other(&src.label) {
        return (report(Verdict::NotFit, 0), Vec::new(), None);
    }
    if let Some((verdict, sessions)) = read_plain_xml(src, opts.limits, opts.tz) {
        return (report(verdict, sessions.len()), sessions, None);
    }
    let bytes = match sources::load(src, opts.limits) {
        // An empty file says nothing; only its name could say it was meant as an activity.
        Ok(Some(b)) if b.is_empty() && !named_activity(&src.label) && !src.explicit => {
            return (report(Verdict::NotFit, 0), Vec::new(), None)
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
            return (report(verdict, 0), Vec::new(), None);
        }
        Err(why) => return (report(Verdict::Unreadable(why), 0), Vec::new(), None),
    };
    let (verdict, sessions, note) = read_activity_noted(&src.label, &bytes, opts.tz, opts.decoder);
    let file = FileReport {
        note,
        ..report(verdict, sessions.len())
    };
    (file, sessions, None)
}

/// Reads a plain GPX or TCX file on disk straight from the file, so memory stays flat in
/// its size (only the points' times and heart rates are kept, 8 bytes each). `None` for
/// anything else (gzip, archive members, FIT, a file over the size limit), which goes the
/// usual way through `sources::load`.
fn read_plain_xml(
    src: &sources::Source,
    limits: Limits,
    tz: Option<Tz>,
) -> Option<(Verdict, Vec<Session>)> {
    let sources::Origin::File(path) = &src.origin else {
        return None;
    };
    let mut file = std::fs::File::open(path).ok()?;
    if file.metadata().ok()?.len() > limits.max_file_bytes {
        return None;
    }
    let format = xml::sniff_start(&mut file)?;
    file.rewind().ok()?;
    let input = xml::Input::Stream(&mut file);
    Some(match format {
        xml::XmlFormat::Gpx => gpx::read(&src.label, input, tz),
        xml::XmlFormat::Tcx => tcx::read(&src.label, input, tz),
    })
}

/// Named like an activity file (`.fit`, `.gpx`, `.tcx`, each maybe `.gz`).
fn named_activity(label: &str) -> bool {
    let lower = label.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    [".fit", ".gpx", ".tcx"].iter().any(|e| lower.ends_with(e))
}

/// Reads one activity file's (un-gzipped) bytes, FIT, GPX or TCX as its content says.
pub fn read_activity(
    label: &str,
    bytes: &[u8],
    tz: Option<Tz>,
    decoder: Decoder,
) -> (Verdict, Vec<Session>) {
    let (verdict, sessions, _) = read_activity_noted(label, bytes, tz, decoder);
    (verdict, sessions)
}

/// [`read_activity`] with the FIT reader's note on how the file's times were dated.
pub fn read_activity_noted(
    label: &str,
    bytes: &[u8],
    tz: Option<Tz>,
    decoder: Decoder,
) -> (Verdict, Vec<Session>, Option<String>) {
    match xml::sniff(bytes) {
        Some(xml::XmlFormat::Gpx) => {
            let (v, s) = gpx::read(label, bytes, tz);
            (v, s, None)
        }
        Some(xml::XmlFormat::Tcx) => {
            let (v, s) = tcx::read(label, bytes, tz);
            (v, s, None)
        }
        None => read_fit_noted(label, bytes, tz, decoder),
    }
}

/// Re-reads the files named by `labels` (as sessions name them) from `paths`, for the
/// few sessions whose heart-rate series is charted: session series are not kept in
/// memory for every session.
///
/// Zips inside zips are read again as streams, but only as far as the last wanted entry,
/// stepping over the others by their packed lengths (`packed`, from the first read)
/// instead of inflating them.
pub fn series_for(
    paths: &[PathBuf],
    wanted: &[(String, usize)],
    opts: &IngestOptions,
    packed: &zip_stream::PackedSizes,
) -> BTreeMap<(String, usize), fit::HrSeries> {
    let listing = sources::list(paths);
    let mut out = BTreeMap::new();
    let mut read = |src: &sources::Source| {
        let indices: Vec<usize> = wanted
            .iter()
            .filter(|(l, _)| *l == src.label)
            .map(|(_, i)| *i)
            .collect();
        if indices.is_empty() {
            return;
        }
        if apple::is_export_xml(&src.label) {
            for i in indices {
                let series = with_stream(src, opts.limits, |r, _| apple::series(r, i));
                if let Ok(Some(s)) = series {
                    out.insert((src.label.clone(), i), s);
                }
            }
            return;
        }
        let Ok(Some(bytes)) = sources::load(src, opts.limits) else {
            return;
        };
        let data = match xml::sniff(&bytes) {
            Some(xml::XmlFormat::Gpx) => gpx::parse(&bytes[..]).data,
            Some(xml::XmlFormat::Tcx) => tcx::parse(&bytes[..]).data,
            None => decode(&bytes, check::check(&bytes).is_clean(), opts.decoder).0,
        };
        for i in indices {
            if let Some(s) = data.clone().series(i) {
                out.insert((src.label.clone(), i), s);
            }
        }
    };
    for src in &listing.sources {
        read(src);
    }
    for st in &listing.streams {
        let prefix = format!("{}/", st.label);
        let labels: BTreeSet<String> = wanted
            .iter()
            .filter(|(l, _)| l.starts_with(&prefix))
            .map(|(l, _)| l.clone())
            .collect();
        if !labels.is_empty() {
            let pick = zip_stream::Pick::only(&labels, packed);
            sources::stream_picked(st, opts.limits, &pick, &mut |item| {
                if let Streamed::Entry { label, payload } = item {
                    read(&sources::Source::streamed(label, payload));
                }
            });
        }
    }
    out
}

/// Reads one FIT file (all streams of a chain) into sessions with a verdict.
pub fn read_fit(label: &str, bytes: &[u8], tz: Option<Tz>) -> (Verdict, Vec<Session>) {
    read_fit_with(label, bytes, tz, Decoder::default())
}

/// [`read_fit`] with a choice of decoder.
pub fn read_fit_with(
    label: &str,
    bytes: &[u8],
    tz: Option<Tz>,
    decoder: Decoder,
) -> (Verdict, Vec<Session>) {
    let (verdict, sessions, _) = read_fit_noted(label, bytes, tz, decoder);
    (verdict, sessions)
}

/// [`read_fit_with`], with the line for the user about how the file's times were dated
/// when they were system time.
pub fn read_fit_noted(
    label: &str,
    bytes: &[u8],
    tz: Option<Tz>,
    decoder: Decoder,
) -> (Verdict, Vec<Session>, Option<String>) {
    let structure = check::check(bytes);
    let (data, decoded) = decode(bytes, structure.is_clean(), decoder);
    let mut damage = structure.damage;
    if let Some(e) = decoded.error {
        damage.push(e);
    }
    let damage_text = damage.join("; ");
    if let Some(reason) = data.not_activity_reason() {
        let nothing_read = decoded.counts.is_empty();
        return if damage.is_empty() {
            (Verdict::NotActivity(reason), Vec::new(), None)
        } else if nothing_read || reason == fit::NO_DATA {
            (Verdict::Unreadable(damage_text), Vec::new(), None)
        } else {
            (
                Verdict::NotActivity(format!("{reason}, damaged: {damage_text}")),
                Vec::new(),
                None,
            )
        };
    }
    let (sessions, note) = data.into_sessions_noted(label, tz);
    if damage.is_empty() {
        (Verdict::Activity, sessions, note)
    } else if sessions.is_empty() {
        (Verdict::Unreadable(damage_text), sessions, note)
    } else {
        (Verdict::Damaged(damage_text), sessions, note)
    }
}

/// Decodes with the fast decoder when asked and the file is intact; otherwise, or when it
/// stops anyway (something only fitparser can judge), with fitparser from the start.
fn decode(bytes: &[u8], clean: bool, decoder: Decoder) -> (FileData, reference::Decoded) {
    if decoder == Decoder::Fast && clean {
        let mut data = FileData::default();
        let decoded = fast::decode(bytes, |m| data.push(m));
        if decoded.error.is_none() {
            return (data, decoded);
        }
    }
    let mut data = FileData::default();
    let decoded = reference::decode(bytes, |m| data.push(m));
    (data, decoded)
}
