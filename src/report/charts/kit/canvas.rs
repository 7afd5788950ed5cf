//! The canvas every chart is drawn on: its size, its font family and the plotters drawing
//! area. Its own file so that the layout (which scales by the size and sets text in the
//! font), the PNG writer (which checks the size and registers the font), the legend and the
//! axes all read it without importing each other.

use plotters::coord::Shift;
use plotters::prelude::*;

/// The size of the image in pixels; text and line widths scale with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartStyle {
    /// Width in pixels, from 320 to 4096 (below about 800 the text gets crowded).
    pub width: u32,
    /// Height in pixels, from 180 to 4096.
    pub height: u32,
}

impl Default for ChartStyle {
    fn default() -> Self {
        ChartStyle {
            width: 1600,
            height: 900,
        }
    }
}

/// The family name plotters looks fonts up by; only our bundled font is registered under it.
pub(crate) const FONT: &str = "sans-serif";

/// A region of the RGB buffer being drawn on.
pub(crate) type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;
