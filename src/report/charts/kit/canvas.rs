//! The canvas every chart is drawn on: its size, its font family and the plotters drawing
//! area. Its own file so that the layout (which scales by the size and sets text in the
//! font), the PNG writer (which checks the size and registers the font), the legend and the
//! axes all read it without importing each other.

use plotters::coord::Shift;
use plotters::prelude::*;

/// The size of the image in pixels (text and line widths scale with it), and how the
/// charts are encoded and drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartStyle {
    /// Width in pixels, from 320 to 4096 (below about 800 the text gets crowded).
    pub width: u32,
    /// Height in pixels, from 180 to 4096.
    pub height: u32,
    pub png: PngEncoding,
    /// Charts drawn at once. One by default: on two cores, drawing in parallel measured no
    /// faster (BENCHMARKS.md); more is a switch for measuring (`RECOVERY_CHART_THREADS`).
    pub threads: usize,
}

impl Default for ChartStyle {
    fn default() -> Self {
        ChartStyle {
            width: 1600,
            height: 900,
            png: PngEncoding::Fast,
            threads: 1,
        }
    }
}

/// How a chart's pixels become a PNG file. Measured (BENCHMARKS.md, release build): the
/// png crate's default level made encoding most of the report stage (4.6–5.7 s against
/// 1.2–1.6 s for 139 charts), for a third of the bytes; the others are switches for
/// measuring (`RECOVERY_PNG=default|best|image`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PngEncoding {
    /// The png crate, fast compression.
    #[default]
    Fast,
    /// The png crate, its default level.
    Default,
    /// The png crate, best compression.
    Best,
    /// plotters' own encoder (the `image` crate), the old path.
    Plotters,
}

impl PngEncoding {
    /// `default`, `best` or `image`; anything else is [`PngEncoding::Fast`].
    pub fn from_name(name: &str) -> PngEncoding {
        match name {
            "default" => PngEncoding::Default,
            "best" => PngEncoding::Best,
            "image" => PngEncoding::Plotters,
            _ => PngEncoding::Fast,
        }
    }
}

/// The family name plotters looks fonts up by; only our bundled font is registered under it.
pub(crate) const FONT: &str = "sans-serif";

/// A region of the RGB buffer being drawn on.
pub(crate) type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;
