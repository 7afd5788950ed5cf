//! One-thread timings for `benches/bench.sh`:
//!
//! ```text
//! cargo run --release --example bench_decode -- fitparser DIR   # the baseline decoder
//! cargo run --release --example bench_decode -- fast DIR        # the selective decoder
//! cargo run --release --example bench_decode -- inflate ZIP     # inflating every member
//! ```
//!
//! Decoder runs read each `.fit` file under DIR (not timed) and time only its decoding into
//! the session accumulator, as `read_fit` does it; `inflate` times reading every member of a
//! zip through the zip crate and flate2, as ingest does. One line of `key=value` results.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use recovery::ingest::fit::{fast, reference, FileData, Msg};

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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [which, path] = args.as_slice() else {
        eprintln!("usage: bench_decode fitparser|fast DIR  |  bench_decode inflate ZIP");
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
        other => {
            eprintln!("error: unknown mode {other:?}; expected fitparser, fast or inflate");
            ExitCode::from(2)
        }
    }
}
