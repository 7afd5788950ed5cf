//! Writes the sample data set (FIT files, journal, truth, the Garmin-style account export and
//! its README): `cargo run --example generate_sample [-- OUT_DIR]` (default `sample_data`).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let out_dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("sample_data"), PathBuf::from);
    match samplegen::generate(&out_dir) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "error: generating sample data in {}: {error}",
                out_dir.display()
            );
            ExitCode::FAILURE
        }
    }
}
