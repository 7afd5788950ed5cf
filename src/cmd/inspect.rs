//! `recovery inspect FILE`: what one file holds, field by field, and how it was read.

use std::path::Path;

use anyhow::{Context, Result};

use recovery::cli::InspectArgs;
use recovery::{config, inspect};

use super::EXIT_OK;

pub fn run(args: InspectArgs) -> Result<u8> {
    let tz = config::parse_tz(args.tz.as_deref())?;
    let label = args.file.display().to_string();
    let bytes = read_maybe_gz(&args.file).with_context(|| format!("reading {label}"))?;
    print!("{}", inspect::inspect(&label, &bytes, tz));
    Ok(EXIT_OK)
}

fn read_maybe_gz(path: &Path) -> Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&raw[..]), &mut out)
            .context("the file starts like gzip but does not decompress")?;
        return Ok(out);
    }
    Ok(raw)
}
