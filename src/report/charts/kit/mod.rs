//! The plotting kit every chart shares: palette, canvas and PNG writing, layout, legend, axes.

pub(crate) mod axes;
pub(crate) mod layout;
pub(crate) mod legend;
pub(crate) mod palette;
pub(crate) mod png;

use plotters::coord::Shift;
use plotters::prelude::*;

pub(crate) use axes::*;
pub(crate) use layout::*;
pub(crate) use legend::*;
pub(crate) use palette::*;
pub(crate) use png::*;

pub(crate) type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;
pub(crate) type Chart<'a, 'b> = ChartContext<'a, BitMapBackend<'b>, Cartesian2d<Axis, Axis>>;
