//! PNG charts for the reports: the only module that draws, and the only one that knows plotters.
//!
//! Every chart is drawn into an in-memory RGB buffer by a `render_*` function (so tests can look
//! at pixels without touching disk) and written by the matching `*_chart` function, which encodes
//! a PNG under a temporary name in the destination folder and renames it into place: a killed run
//! never leaves half an image behind.
//!
//! Text is drawn with DejaVu Sans compiled into the binary, so no font library or system font is
//! needed at run time.
//!
//! Colours come from the Okabe–Ito palette, which stays distinguishable under the common forms of
//! colour blindness, and mean the same thing in every chart:
//!
//! | what | colour |
//! |---|---|
//! | hard day, minutes above the band, an easy session that broke the limit | vermillion `#D55E00` |
//! | easy day, easy session within the limit | bluish green `#009E73` |
//! | active recovery day, minutes inside the band, the band itself | sky blue `#56B4E9` |
//! | unknown day | grey `#999999` (minutes below the band: light grey `#C8C8C8`) |
//! | soreness | reddish purple `#CC79A7` |
//! | sleep | blue `#0072B2` (also the scatter points) |
//! | acute load | orange `#E69F00` |
//! | chronic load, heart rate, resting HR, HRV (dashed), fitted lines, audit findings | black |
//!
//! Inputs are plain structs the caller fills; values that are not finite (NaN, ∞) are treated as
//! missing and drawn as gaps. An input with nothing to show (no days, no weeks, no heart rate…)
//! returns an error holding [`NothingToDraw`], which the caller can recognise with
//! `err.downcast_ref::<NothingToDraw>()` and skip the chart.

mod correlations;
mod easy_days;
mod hr_trace;
mod kit;
mod plan;
mod readiness;
mod soreness;
mod trend;
mod zones;

#[cfg(test)]
mod tests;

pub use correlations::{correlations_chart, render_correlations, Scatter};
pub use easy_days::{
    easy_days_chart, render_easy_days, EasySession, MONTHLY_AFTER_DAYS as EASY_MONTHLY_AFTER_DAYS,
};
pub use hr_trace::{hr_trace_chart, render_hr_trace, HrTrace};
pub(crate) use kit::canvas::FONT;
pub use kit::canvas::{ChartStyle, PngEncoding};
pub use kit::palette::DayClass;
pub use kit::png::{buffer_len, NothingToDraw};
/// For charts drawn elsewhere (the team chart): one font registration, one PNG writer, one
/// font name.
pub(crate) use kit::png::{ensure_font, write_png};
pub use plan::{plan_chart, render_plan, PlanChartDay};
pub use readiness::{readiness_chart, render_readiness, ReadinessDay};
pub use soreness::{render_soreness, soreness_chart, MeanSoreness, SorenessPlot};
pub use trend::{render_trend, trend_chart, TrendDay, WEEKLY_AFTER_DAYS};
pub use zones::{render_zones, zones_chart, WeekZones};
