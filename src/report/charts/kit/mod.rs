//! The plotting kit every chart shares: palette, canvas (size, font, drawing area), PNG
//! writing, layout, legend, axes.

pub(crate) mod axes;
pub(crate) mod canvas;
pub(crate) mod layout;
pub(crate) mod legend;
pub(crate) mod palette;
pub(crate) mod png;

pub(crate) use axes::*;
pub(crate) use canvas::*;
pub(crate) use layout::*;
pub(crate) use legend::*;
pub(crate) use palette::*;
pub(crate) use png::*;
