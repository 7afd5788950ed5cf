//! One-thread timings for `benches/bench.sh`:
//!
//! ```text
//! cargo run --release --example bench_decode -- fitparser DIR   # the baseline decoder
//! cargo run --release --example bench_decode -- fast DIR        # the selective decoder
//! cargo run --release --example bench_decode -- inflate ZIP     # inflating every member
//! cargo run --release --example bench_decode -- xml FILE        # a GPX or TCX file
//! ```
//!
//! Decoder runs read each `.fit` file under DIR (not timed) and time only its decoding into
//! the session accumulator, as `read_activity` does it; `inflate` times reading every member of a
//! zip through the zip crate and flate2, as ingest does. One line of `key=value` results.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use recovery::ingest::fit::{fast, reference, FileData, Msg};
use recovery::ingest::{gpx, tcx, xml};

fn fit_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            fit_files(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("fit"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Peak resident memory of this process in KiB (Linux), 0 when unknown.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn decode(which: &str, dir: &Path) -> std::io::Result<(u64, usize, usize, Duration)> {
    let mut files = Vec::new();
    fit_files(dir, &mut files)?;
    files.sort();
    let (mut bytes, mut sessions, mut timed) = (0u64, 0usize, Duration::ZERO);
    for path in &files {
        let buf = std::fs::read(path)?;
        bytes += buf.len() as u64;
        let mut data = FileData::default();
        let mut sink = |m: Msg| {
            if matches!(m, Msg::Session(_)) {
                sessions += 1;
            }
            data.push(m);
        };
        let started = Instant::now();
        let decoded = if which == "fast" {
            fast::decode(&buf, &mut sink)
        } else {
            reference::decode(&buf, &mut sink)
        };
        timed += started.elapsed();
        if let Some(e) = decoded.error {
            eprintln!("warning: {}: {e}", path.display());
        }
        std::hint::black_box(&data);
    }
    Ok((bytes, files.len(), sessions, timed))
}

fn inflate(zip_path: &Path) -> Result<(u64, usize, Duration), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip_path)?)?;
    let (mut bytes, mut buf) = (0u64, Vec::new());
    for i in 0..archive.len() {
        buf.clear();
        archive.by_index(i)?.read_to_end(&mut buf)?;
        bytes += buf.len() as u64;
    }
    Ok((bytes, archive.len(), started.elapsed()))
}

/// An Apple Health `export.zip`, its `export.xml` streamed from the zip three ways, one
/// thread: inflated into nothing, inflated and tokenized by quick-xml alone (its bare event
/// loop, the DTD included), inflated and read by `ingest::apple`. `(xml bytes, workouts,
/// seconds of each)`.
fn apple_zip(zip_path: &Path) -> Result<(u64, usize, [f64; 3]), Box<dyn std::error::Error>> {
    let open = || -> Result<zip::ZipArchive<std::fs::File>, Box<dyn std::error::Error>> {
        Ok(zip::ZipArchive::new(std::fs::File::open(zip_path)?)?)
    };
    let index = |a: &mut zip::ZipArchive<std::fs::File>| {
        (0..a.len())
            .find(|&i| {
                a.by_index_raw(i)
                    .ok()
                    .and_then(|e| e.name().ok().map(|n| n.ends_with("export.xml")))
                    .unwrap_or(false)
            })
            .ok_or("no export.xml in the zip")
    };
    let mut a = open()?;
    let i = index(&mut a)?;
    let started = Instant::now();
    let bytes = std::io::copy(&mut a.by_index(i)?, &mut std::io::sink())?;
    let inflate = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::with_capacity(
        64 * 1024,
        a.by_index(i)?,
    ));
    reader.config_mut().trim_text(true);
    let (mut buf, mut events) = (Vec::new(), 0usize);
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => events += 1,
            Err(e) => return Err(format!("the bare tokenizer stopped: {e}").into()),
        }
    }
    std::hint::black_box(events);
    drop(reader);
    let tokenize = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let export = recovery::ingest::apple::read("export.xml", &mut a.by_index(i)?, None);
    let read = started.elapsed().as_secs_f64();
    Ok((bytes, export.sessions.len(), [inflate, tokenize, read]))
}

/// The best of 5 runs of `f`, in seconds.
fn best_of_5<T>(mut f: impl FnMut() -> T) -> f64 {
    (0..5)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
}

/// One GPX or TCX file: `(bytes, points, seconds from memory, from the file, bare
/// tokenizer, reading the file)`.
fn xml_file(path: &Path) -> Result<(usize, usize, [f64; 4]), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let format = xml::sniff(&bytes).ok_or("not a GPX or TCX file")?;
    let parse = |input: xml::Input<'_>| match format {
        xml::XmlFormat::Gpx => gpx::parse(input),
        xml::XmlFormat::Tcx => tcx::parse(input),
    };
    let points = parse(xml::Input::Bytes(&bytes)).data.records.len();
    let memory = best_of_5(|| parse(xml::Input::Bytes(&bytes)).data.records.len());
    let file = best_of_5(|| {
        let mut f = std::fs::File::open(path).expect("opened above");
        parse(xml::Input::Stream(&mut f)).data.records.len()
    });
    let tokenizer = best_of_5(|| {
        let mut reader = quick_xml::Reader::from_reader(&bytes[..]);
        reader.config_mut().trim_text(true);
        let mut events = 0usize;
        while !matches!(
            reader.read_event(),
            Ok(quick_xml::events::Event::Eof) | Err(_)
        ) {
            events += 1;
        }
        events
    });
    let read = best_of_5(|| std::fs::read(path).map(|b| b.len()).unwrap_or(0));
    Ok((bytes.len(), points, [memory, file, tokenizer, read]))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [which, path] = args.as_slice() else {
        eprintln!(
            "usage: bench_decode fitparser|fast DIR  |  bench_decode inflate ZIP  |  bench_decode xml FILE  |  bench_decode apple ZIP"
        );
        return ExitCode::from(2);
    };
    let path = Path::new(path);
    let mb = |b: u64| b as f64 / 1e6;
    match which.as_str() {
        "fast" | "fitparser" => match decode(which, path) {
            Ok((bytes, files, sessions, t)) => {
                let s = t.as_secs_f64();
                println!(
                    "mode={which} files={files} bytes={bytes} sessions={sessions} seconds={s:.4} mb_per_s={:.1} sessions_per_s={:.0} peak_rss_kib={}",
                    mb(bytes) / s,
                    sessions as f64 / s,
                    peak_rss_kib()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: reading {}: {e}", path.display());
                ExitCode::FAILURE
            }
        },
        "inflate" => match inflate(path) {
            Ok((bytes, files, t)) => {
                let s = t.as_secs_f64();
                println!(
                    "mode=inflate files={files} bytes={bytes} seconds={s:.4} mb_per_s={:.1} peak_rss_kib={}",
                    mb(bytes) / s,
                    peak_rss_kib()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: inflating {}: {e}", path.display());
                ExitCode::FAILURE
            }
        },
        "apple" => match apple_zip(path) {
            Ok((bytes, workouts, [inflate, tokenize, read])) => {
                println!(
                    "mode=apple bytes={bytes} workouts={workouts} inflate_s={inflate:.4} tokenizer_s={tokenize:.4} reader_s={read:.4} reader_mb_per_s={:.1} reader_vs_inflate={:.2} reader_vs_tokenizer={:.2} peak_rss_kib={}",
                    mb(bytes) / read,
                    read / inflate,
                    read / tokenize,
                    peak_rss_kib()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: reading {}: {e}", path.display());
                ExitCode::FAILURE
            }
        },
        "xml" => match xml_file(path) {
            Ok((bytes, points, [memory, file, tokenizer, read])) => {
                let rate = |s: f64| mb(bytes as u64) / s;
                println!(
                    "mode=xml bytes={bytes} points={points} seconds={file:.4} mb_per_s={:.1} memory_mb_per_s={:.1} tokenizer_mb_per_s={:.1} read_mb_per_s={:.1} vs_read={:.2} vs_tokenizer={:.2} peak_rss_kib={}",
                    rate(file),
                    rate(memory),
                    rate(tokenizer),
                    rate(read),
                    file / read,
                    file / tokenizer,
                    peak_rss_kib()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: reading {}: {e}", path.display());
                ExitCode::FAILURE
            }
        },
        other => {
            eprintln!("error: unknown mode {other:?}; expected fitparser, fast, inflate or xml");
            ExitCode::from(2)
        }
    }
}
