//! From canvas to file: the image size checked, the bundled font registered, "nothing to
//! draw", and the RGB buffer written as a PNG atomically (temporary name, then rename).

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{anyhow, bail, Context, Result};
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

use super::canvas::{ChartStyle, PngEncoding, FONT};
use super::layout::Ui;

/// The error returned when a chart's input holds nothing to draw; no file is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NothingToDraw {
    /// Which chart.
    pub chart: &'static str,
    /// What was missing.
    pub reason: &'static str,
}

impl fmt::Display for NothingToDraw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "nothing to draw in the {} chart: {}",
            self.chart, self.reason
        )
    }
}

impl std::error::Error for NothingToDraw {}

pub(crate) static FONT_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));

/// Registers the bundled font once per process; plotters keeps it in a global table.
pub(crate) fn ensure_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok()
            && register_font(FONT, FontStyle::Bold, FONT_BYTES).is_ok()
    });
    if ok {
        Ok(())
    } else {
        bail!("the bundled DejaVu Sans font could not be loaded")
    }
}

/// The number of bytes an RGB buffer for `style` must hold (3 per pixel).
pub fn buffer_len(style: &ChartStyle) -> usize {
    style.width as usize * style.height as usize * 3
}

/// Renders the encoded image first, so a failure leaves nothing on disk, then writes it under a
/// temporary name beside the target and renames it, which is atomic within one folder.
pub(crate) fn write_png(
    path: &Path,
    style: &ChartStyle,
    render: impl FnOnce(&mut [u8]) -> Result<()>,
) -> Result<()> {
    check_size(style)?;
    let mut buf = vec![0u8; buffer_len(style)];
    render(&mut buf)?;

    let name = path
        .file_name()
        .with_context(|| format!("chart path {} has no file name", path.display()))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    // The encoder picks the format from the extension, so the temporary name ends in .png too.
    let tmp = dir.join(format!(
        ".{}.{}.tmp.png",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = encode_png(&tmp, style, &buf).and_then(|()| {
        fs::rename(&tmp, path).with_context(|| format!("moving {} into place", tmp.display()))
    });
    if written.is_err() {
        // Best effort: the temporary file may not exist if encoding failed early.
        let _ = fs::remove_file(&tmp);
    }
    written.with_context(|| format!("writing chart {}", path.display()))
}

/// Encodes the RGB buffer as a PNG at `tmp` with the `png` crate.
pub(crate) fn encode_png(tmp: &Path, style: &ChartStyle, buf: &[u8]) -> Result<()> {
    if style.png == PngEncoding::Plotters {
        let size = (style.width, style.height);
        let mut backend = BitMapBackend::new(tmp, size);
        backend
            .blit_bitmap((0, 0), size, buf)
            .map_err(|e| anyhow!("copying the chart into the PNG encoder: {e}"))?;
        backend
            .present()
            .map_err(|e| anyhow!("encoding {}: {e}", tmp.display()))?;
        return Ok(());
    }
    let file = fs::File::create(tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let mut enc = ::png::Encoder::new(std::io::BufWriter::new(file), style.width, style.height);
    enc.set_color(::png::ColorType::Rgb);
    enc.set_depth(::png::BitDepth::Eight);
    enc.set_compression(match style.png {
        PngEncoding::Default => ::png::Compression::Default,
        PngEncoding::Best => ::png::Compression::Best,
        PngEncoding::Fast | PngEncoding::Plotters => ::png::Compression::Fast,
    });
    let mut writer = enc.write_header()?;
    writer.write_image_data(buf)?;
    writer.finish()?;
    Ok(())
}

/// Smaller images cannot fit the labels; larger ones only cost memory (two RGB copies while
/// writing: 100 MB at the limit).
pub(crate) fn check_size(style: &ChartStyle) -> Result<()> {
    if !(320..=4096).contains(&style.width) || !(180..=4096).contains(&style.height) {
        bail!(
            "chart size {}×{} is outside 320×180 to 4096×4096",
            style.width,
            style.height
        );
    }
    Ok(())
}

/// Checks the buffer and size, registers the font and returns the layout scale.
pub(crate) fn prepare(buf: &[u8], style: &ChartStyle) -> Result<Ui> {
    check_size(style)?;
    if buf.len() != buffer_len(style) {
        bail!(
            "chart buffer holds {} bytes, a {}×{} RGB image needs {}",
            buf.len(),
            style.width,
            style.height,
            buffer_len(style)
        );
    }
    ensure_font()?;
    Ok(Ui::new(style))
}

pub(crate) fn nothing(chart: &'static str, reason: &'static str) -> anyhow::Error {
    NothingToDraw { chart, reason }.into()
}
