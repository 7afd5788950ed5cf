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

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{anyhow, bail, Context, Result};
use chrono::{Datelike, NaiveDate, TimeDelta};
use plotters::chart::DualCoordChartContext;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle};

/// The class of a day (or of its main session), which picks the bar colour everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DayClass {
    /// Enough time above the band to count as a hard day.
    Hard,
    /// Training that stayed easy.
    Easy,
    /// Training held mostly inside the band.
    ActiveRecovery,
    /// Training whose heart rate could not be classified (no heart rate, too short…).
    Unknown,
    /// No training: drawn as a gap, never as a bar.
    Rest,
}

impl DayClass {
    /// The colour of this class as `#RRGGBB`, for other outputs (HTML, terminal) that want to match.
    pub fn hex(self) -> &'static str {
        match self {
            DayClass::Hard => "#D55E00",
            DayClass::Easy => "#009E73",
            DayClass::ActiveRecovery => "#56B4E9",
            DayClass::Unknown => "#999999",
            DayClass::Rest => "#FFFFFF",
        }
    }

    fn colour(self) -> RGBColor {
        match self {
            DayClass::Hard => HARD,
            DayClass::Easy => EASY,
            DayClass::ActiveRecovery => ACTIVE_RECOVERY,
            DayClass::Unknown => UNKNOWN,
            DayClass::Rest => WHITE,
        }
    }

    fn label(self) -> &'static str {
        match self {
            DayClass::Hard => "hard day",
            DayClass::Easy => "easy day",
            DayClass::ActiveRecovery => "active recovery",
            DayClass::Unknown => "unclassified",
            DayClass::Rest => "rest day",
        }
    }
}

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

/// One calendar day of the period, for the trend chart. Days missing from the slice are gaps.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendDay {
    /// The athlete's local date.
    pub date: NaiveDate,
    /// The day's training load (TRIMP); 0 on a rest day.
    pub load: f64,
    /// The class of the day; [`DayClass::Rest`] draws no bar.
    pub class: DayClass,
    /// Journal soreness, 0–10.
    pub soreness: Option<f64>,
    /// Hours slept the night before.
    pub sleep_hours: Option<f64>,
    /// Resting heart rate in bpm.
    pub resting_hr: Option<f64>,
    /// Heart-rate variability in ms.
    pub hrv_ms: Option<f64>,
    /// Acute (short-window) load on that day, in TRIMP.
    pub acute: f64,
    /// Chronic (long-window) load on that day, in TRIMP.
    pub chronic: f64,
    /// Short names of the audit rules that fired on that day; each gets its own row of markers.
    pub findings: Vec<String>,
}

/// Minutes of one week spent below, inside and above the heart-rate band.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekZones {
    /// The first day of the week (a Monday, by the project's convention).
    pub week_start: NaiveDate,
    /// Minutes below the band.
    pub below_min: f64,
    /// Minutes inside the band.
    pub in_min: f64,
    /// Minutes above the band.
    pub above_min: f64,
}

/// One session that was meant to be easy.
#[derive(Debug, Clone, PartialEq)]
pub struct EasySession {
    /// The athlete's local date of the session.
    pub date: NaiveDate,
    /// A short extra word shown after the date on sessions that broke the limit (e.g. the
    /// sport); may be empty.
    pub label: String,
    /// Minutes above the band.
    pub above_min: f64,
    /// Whether the session broke the easy limit (decided by the caller's rule, not redrawn here).
    pub broke_limit: bool,
}

/// Mean soreness on one day after a hard day.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    /// Days after the hard day: 0 is the hard day itself, up to 5.
    pub day: u32,
    /// Mean soreness (0–10) over the `n` observations.
    pub mean: f64,
    /// Standard deviation of soreness, if there were enough observations for one.
    pub sd: Option<f64>,
    /// How many observations the mean rests on.
    pub n: usize,
}

/// How soreness evolves in the days after a hard day.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SorenessCurve {
    /// One point per day after the hard day (0..=5); days with `n == 0` are skipped.
    pub days: Vec<CurvePoint>,
}

/// One scatter panel of the correlations chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    /// Panel heading, e.g. "load vs next-day soreness".
    pub title: String,
    /// X axis description with its unit, e.g. "load (TRIMP)".
    pub x_label: String,
    /// Y axis description with its unit, e.g. "next-day soreness (0–10)".
    pub y_label: String,
    /// The observations as (x, y).
    pub points: Vec<(f64, f64)>,
    /// Least-squares line as (slope, intercept), if one was fitted.
    pub fit: Option<(f64, f64)>,
    /// The statistics shown in the legend, e.g. "ρ = 0.41, r = 0.38, n = 52".
    pub legend: String,
}

/// One session's heart rate over time.
#[derive(Debug, Clone, PartialEq)]
pub struct HrTrace {
    /// Chart title, e.g. "2026-01-05 running, Forerunner 255 (activity.fit)".
    pub title: String,
    /// (minutes from start, heart rate in bpm); `None` is a dropout and breaks the line.
    pub samples: Vec<(f64, Option<f64>)>,
    /// Timer pauses as (start, end) in minutes from start.
    pub pauses: Vec<(f64, f64)>,
    /// The band in bpm as (low, high), e.g. (120.0, 140.0).
    pub band: (f64, f64),
}

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

const HARD: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const EASY: RGBColor = RGBColor(0x00, 0x9E, 0x73);
const ACTIVE_RECOVERY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
const UNKNOWN: RGBColor = RGBColor(0x99, 0x99, 0x99);
const BELOW_BAND: RGBColor = RGBColor(0xC8, 0xC8, 0xC8);
const SORENESS: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
const SLEEP: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const ACUTE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
const CHRONIC: RGBColor = RGBColor(0x00, 0x00, 0x00);
const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const AXIS: RGBColor = RGBColor(0x66, 0x66, 0x66);
const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
const PAUSE: RGBColor = RGBColor(0x80, 0x80, 0x80);

/// The family name plotters looks fonts up by; only our bundled font is registered under it.
const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));

/// Registers the bundled font once per process; plotters keeps it in a global table.
fn ensure_font() -> Result<()> {
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

type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;
type Chart<'a, 'b> = ChartContext<'a, BitMapBackend<'b>, Cartesian2d<Axis, Axis>>;

// ---------------------------------------------------------------------------------------------
// Public entry points: a PNG writer over each renderer.

/// Writes `recovery_trend.png`: daily load by class, acute and chronic load, soreness and sleep,
/// resting HR and HRV when present, and audit findings along the time axis.
pub fn trend_chart(path: &Path, title: &str, days: &[TrendDay], style: &ChartStyle) -> Result<()> {
    write_png(path, style, |buf| render_trend(buf, style, title, days))
}

/// Writes `zones.png`: minutes below, inside and above the band per week, stacked, with the
/// share above the band written on each bar. `band` is (low, high) in bpm.
pub fn zones_chart(
    path: &Path,
    title: &str,
    weeks: &[WeekZones],
    band: (u8, u8),
    style: &ChartStyle,
) -> Result<()> {
    write_png(path, style, |buf| {
        render_zones(buf, style, title, weeks, band)
    })
}

/// Writes `easy_days.png`: minutes above the band for every session meant to be easy, the easy
/// limit as a line, and the sessions that broke it in the hard colour, labelled with their date.
pub fn easy_days_chart(
    path: &Path,
    title: &str,
    sessions: &[EasySession],
    limit_min: f64,
    style: &ChartStyle,
) -> Result<()> {
    write_png(path, style, |buf| {
        render_easy_days(buf, style, title, sessions, limit_min)
    })
}

/// Writes `soreness_after_hard.png`: mean soreness ± 1 sd by day after a hard day, the 72 h
/// mark, and how many observations each point rests on.
pub fn soreness_chart(
    path: &Path,
    title: &str,
    curve: &SorenessCurve,
    style: &ChartStyle,
) -> Result<()> {
    write_png(path, style, |buf| render_soreness(buf, style, title, curve))
}

/// Writes `correlations.png`: the scatter panels side by side (two, by design; any number
/// works), each with its fitted line and statistics.
pub fn correlations_chart(
    path: &Path,
    title: &str,
    panels: &[Scatter],
    style: &ChartStyle,
) -> Result<()> {
    write_png(path, style, |buf| {
        render_correlations(buf, style, title, panels)
    })
}

/// Writes `sessions/<date>_<sport>.png`: one session's heart rate with the band shaded, pauses
/// shaded grey and dropouts left as gaps. Creates the parent folder if needed.
pub fn hr_trace_chart(path: &Path, trace: &HrTrace, style: &ChartStyle) -> Result<()> {
    write_png(path, style, |buf| render_hr_trace(buf, style, trace))
}

/// The number of bytes an RGB buffer for `style` must hold (3 per pixel).
pub fn buffer_len(style: &ChartStyle) -> usize {
    style.width as usize * style.height as usize * 3
}

/// Renders the encoded image first, so a failure leaves nothing on disk, then writes it under a
/// temporary name beside the target and renames it, which is atomic within one folder.
fn write_png(
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

fn encode_png(tmp: &Path, style: &ChartStyle, buf: &[u8]) -> Result<()> {
    let size = (style.width, style.height);
    let mut backend = BitMapBackend::new(tmp, size);
    backend
        .blit_bitmap((0, 0), size, buf)
        .map_err(|e| anyhow!("copying the chart into the PNG encoder: {e}"))?;
    backend
        .present()
        .map_err(|e| anyhow!("encoding {}: {e}", tmp.display()))?;
    Ok(())
}

/// Smaller images cannot fit the labels; larger ones only cost memory (two RGB copies while
/// writing: 100 MB at the limit).
fn check_size(style: &ChartStyle) -> Result<()> {
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
fn prepare(buf: &[u8], style: &ChartStyle) -> Result<Ui> {
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

fn nothing(chart: &'static str, reason: &'static str) -> anyhow::Error {
    NothingToDraw { chart, reason }.into()
}

// ---------------------------------------------------------------------------------------------
// Layout: sizes are given for 1600×900 and scaled, so smaller images keep their proportions.

struct Ui {
    scale: f64,
}

impl Ui {
    fn new(style: &ChartStyle) -> Self {
        let scale = (f64::from(style.width) / 1600.0).min(f64::from(style.height) / 900.0);
        Ui { scale }
    }

    fn px(&self, v: f64) -> u32 {
        ((v * self.scale).round() as u32).max(1)
    }

    fn pxi(&self, v: f64) -> i32 {
        self.px(v) as i32
    }

    /// Text never goes below 9 px: smaller is unreadable whatever the image size.
    fn text(&self, size: f64) -> TextStyle<'static> {
        (FONT, (size * self.scale).max(9.0)).into_font().color(&INK)
    }

    fn stroke(&self, colour: RGBColor, width: f64) -> ShapeStyle {
        colour.stroke_width(self.px(width))
    }

    /// The number of date ticks that fit without labels touching (about 110 px each).
    fn ticks_for(&self, plot_width: u32) -> usize {
        (plot_width / self.px(110.0)).max(2) as usize
    }
}

/// Draws the title across the top and returns the area below it. Long titles shrink to fit.
fn draw_title<'a>(root: &Area<'a>, title: &str, ui: &Ui) -> Result<Area<'a>> {
    let height = ui.px(56.0);
    let (top, rest) = root.split_vertically(height);
    let margin = ui.pxi(24.0);
    let avail = (top.dim_in_pixel().0 as i32 - 2 * margin).max(1) as f64;
    let mut style = ui.text(28.0);
    let (w, _) = top.estimate_text_size(title, &style)?;
    if f64::from(w) > avail {
        let size = (28.0 * ui.scale * avail / f64::from(w)).max(9.0);
        style = (FONT, size).into_font().color(&INK);
    }
    top.draw(&Text::new(
        title.to_string(),
        (margin, height as i32 / 2),
        style.pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(rest)
}

/// What a legend entry looks like.
#[derive(Clone, Copy)]
enum Swatch {
    Bar(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
    Dot(RGBColor),
    Marker(RGBColor),
    Shade(RGBColor, f64),
    Empty,
    TextOnly,
}

struct Entry {
    swatch: Swatch,
    label: String,
}

fn entry(swatch: Swatch, label: impl Into<String>) -> Entry {
    Entry {
        swatch,
        label: label.into(),
    }
}

/// Draws the legend as rows of entries above the plots, where it can never cover data, and
/// returns the area below it.
fn draw_legend<'a>(area: &Area<'a>, entries: &[Entry], ui: &Ui) -> Result<Area<'a>> {
    let font = ui.text(16.0);
    let margin = ui.pxi(24.0);
    let swatch_w = ui.pxi(30.0);
    let gap = ui.pxi(8.0);
    let spacing = ui.pxi(28.0);
    let row_h = ui.pxi(26.0);
    let width = area.dim_in_pixel().0 as i32;

    let mut placed = Vec::with_capacity(entries.len());
    let (mut x, mut row) = (margin, 0);
    for e in entries {
        let (tw, _) = area.estimate_text_size(&e.label, &font)?;
        let lead = match e.swatch {
            Swatch::TextOnly => 0,
            _ => swatch_w + gap,
        };
        let w = lead + tw as i32;
        if x > margin && x + w > width - margin {
            x = margin;
            row += 1;
        }
        placed.push((x, row, lead));
        x += w + spacing;
    }
    let height = ((row + 1) * row_h + ui.pxi(8.0)).min(area.dim_in_pixel().1 as i32 / 3);
    let (top, rest) = area.split_vertically(height.max(1) as u32);

    for (e, &(x, row, lead)) in entries.iter().zip(&placed) {
        let cy = row * row_h + row_h / 2;
        let (x0, x1) = (x, x + swatch_w);
        let half = ui.pxi(7.0);
        match e.swatch {
            Swatch::Bar(c) => top.draw(&Rectangle::new(
                [(x0, cy - half), (x1, cy + half)],
                c.filled(),
            ))?,
            Swatch::Line(c) => top.draw(&PathElement::new(
                vec![(x0, cy), (x1, cy)],
                ui.stroke(c, 3.0),
            ))?,
            Swatch::Dashed(c) => {
                let seg = (swatch_w - 2 * ui.pxi(3.0)) / 3;
                for i in 0..2 {
                    let s = x0 + i * (seg + ui.pxi(3.0)) * 3 / 2;
                    top.draw(&PathElement::new(
                        vec![(s, cy), (s + seg, cy)],
                        ui.stroke(c, 2.0),
                    ))?;
                }
            }
            Swatch::Dot(c) => {
                top.draw(&Circle::new(((x0 + x1) / 2, cy), ui.px(5.0), c.filled()))?
            }
            Swatch::Marker(c) => top.draw(&TriangleMarker::new(
                ((x0 + x1) / 2, cy),
                ui.px(7.0),
                c.filled(),
            ))?,
            Swatch::Shade(c, alpha) => top.draw(&Rectangle::new(
                [(x0, cy - half), (x1, cy + half)],
                c.mix(alpha).filled(),
            ))?,
            Swatch::Empty => top.draw(&Rectangle::new(
                [(x0, cy - half), (x1, cy + half)],
                AXIS.stroke_width(1),
            ))?,
            Swatch::TextOnly => {}
        }
        top.draw(&Text::new(
            e.label.clone(),
            (x + lead, cy),
            font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(rest)
}

/// Grid, tick labels and axis descriptions in the house look.
fn draw_mesh(
    chart: &mut Chart<'_, '_>,
    ui: &Ui,
    x_desc: Option<&str>,
    y_desc: &str,
    n_x: usize,
    n_y: usize,
) -> Result<()> {
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(n_x)
        .y_labels(n_y)
        .y_desc(y_desc)
        .label_style(ui.text(15.0))
        .axis_desc_style(ui.text(16.0))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1));
    if let Some(desc) = x_desc {
        mesh.x_desc(desc);
    }
    mesh.draw()?;
    Ok(())
}

fn draw_secondary_mesh(
    chart: &mut DualCoordChartContext<
        '_,
        BitMapBackend<'_>,
        Cartesian2d<Axis, Axis>,
        Cartesian2d<Axis, Axis>,
    >,
    ui: &Ui,
    y_desc: &str,
    n_y: usize,
) -> Result<()> {
    chart
        .configure_secondary_axes()
        .y_labels(n_y)
        .y_desc(y_desc)
        .label_style(ui.text(15.0))
        .axis_desc_style(ui.text(16.0))
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    Ok(())
}

/// Writes "No data" in the middle of an empty panel, so an empty panel is not mistaken for a
/// rendering fault.
fn draw_no_data(chart: &Chart<'_, '_>, ui: &Ui) -> Result<()> {
    let x = chart.x_range();
    let y = chart.y_range();
    chart.plotting_area().draw(&Text::new(
        "no data",
        ((x.start + x.end) / 2.0, (y.start + y.end) / 2.0),
        ui.text(20.0).pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Axes: one coordinate type for every axis, so dates, categories and numbers share the helpers.

/// A linear axis from `lo` to `hi` with its own choice of tick positions and labels.
#[derive(Clone, Debug)]
struct Axis {
    lo: f64,
    hi: f64,
    ticks: Ticks,
}

#[derive(Clone, Debug)]
enum Ticks {
    /// Values are days after `start`; ticks fall on whole days (on Mondays once a week or more
    /// apart) and read like "Jan 05".
    Days(NaiveDate),
    /// Exactly these positions and labels (a subset when they do not fit).
    Fixed(Vec<(f64, String)>),
    /// Round numbers (1, 2, 2.5, 5 × 10ⁿ steps).
    Numbers,
}

impl Axis {
    /// An axis over `range`, widened when it is empty or not finite so mapping never divides
    /// by zero.
    fn new(range: Range<f64>, ticks: Ticks) -> Self {
        let (mut lo, mut hi) = (range.start, range.end);
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if hi < lo {
            std::mem::swap(&mut lo, &mut hi);
        }
        if hi - lo < 1e-9 {
            (lo, hi) = (lo - 0.5, hi + 0.5);
        }
        Axis { lo, hi, ticks }
    }

    fn numbers(range: Range<f64>) -> Self {
        Axis::new(range, Ticks::Numbers)
    }

    fn label(&self, v: f64) -> String {
        match &self.ticks {
            Ticks::Days(start) => day_at(*start, v)
                .map(|d| d.format("%b %d").to_string())
                .unwrap_or_default(),
            Ticks::Fixed(list) => list
                .iter()
                .find(|(x, _)| (x - v).abs() < 1e-6)
                .map(|(_, s)| s.clone())
                .unwrap_or_default(),
            Ticks::Numbers => format_number(v),
        }
    }

    fn day_ticks(&self, start: NaiveDate, max: usize) -> Vec<f64> {
        let first = self.lo.ceil() as i64;
        let last = self.hi.floor() as i64;
        if last < first {
            return Vec::new();
        }
        for step in [1i64, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1456] {
            // Weekly and longer steps start on a Monday so ticks line up with training weeks.
            let offset = if step >= 7 {
                day_at(start, first as f64)
                    .map(|d| (7 - i64::from(d.weekday().num_days_from_monday())) % 7)
                    .unwrap_or(0)
            } else {
                0
            };
            let begin = first + offset;
            let count = if begin > last {
                0
            } else {
                (last - begin) / step + 1
            };
            if count as usize <= max {
                return (0..count).map(|i| (begin + i * step) as f64).collect();
            }
        }
        vec![first as f64]
    }

    fn number_ticks(&self, max: usize) -> Vec<f64> {
        let span = self.hi - self.lo;
        let raw = span / max as f64;
        let magnitude = 10f64.powf(raw.log10().floor());
        for m in [1.0, 2.0, 2.5, 5.0, 10.0, 20.0] {
            let step = m * magnitude;
            let first = (self.lo / step).ceil();
            let last = (self.hi / step).floor();
            if last - first + 1.0 <= max as f64 {
                let count = (last - first + 1.0).max(0.0) as usize;
                return (0..count).map(|i| (first + i as f64) * step).collect();
            }
        }
        Vec::new()
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let t = (value - self.lo) / (self.hi - self.lo);
        let px = f64::from(limit.0) + t * f64::from(limit.1 - limit.0);
        if px.is_finite() {
            // Far-off values are clamped so pixel arithmetic downstream cannot overflow.
            px.round().clamp(-1.0e6, 1.0e6) as i32
        } else {
            limit.0
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let max = hint.max_num_points();
        if max == 0 {
            return Vec::new();
        }
        match &self.ticks {
            Ticks::Days(start) => self.day_ticks(*start, max),
            Ticks::Fixed(list) => {
                let inside: Vec<f64> = list
                    .iter()
                    .map(|(x, _)| *x)
                    .filter(|x| (self.lo..=self.hi).contains(x))
                    .collect();
                let every = inside.len().div_ceil(max).max(1);
                inside.into_iter().step_by(every).collect()
            }
            Ticks::Numbers => self.number_ticks(max),
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for Axis {
    fn format_ext(&self, value: &f64) -> String {
        self.label(*value)
    }
}

fn day_at(start: NaiveDate, v: f64) -> Option<NaiveDate> {
    if !v.is_finite() || v.abs() > 1.0e6 {
        return None;
    }
    start.checked_add_signed(TimeDelta::try_days(v.round() as i64)?)
}

/// Shortest readable form: "10", "2.5", "0.25"; never "-0".
fn format_number(v: f64) -> String {
    if v.abs() < 1e-9 {
        return "0".to_string();
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn finite_opt(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// A range that holds every value with a margin, or `fallback` when there are no values.
fn padded_range(values: impl Iterator<Item = f64>, pad: f64, fallback: Range<f64>) -> Range<f64> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return fallback;
    }
    let margin = ((hi - lo) * pad).max(1e-6);
    let margin = if hi - lo < 1e-9 { 1.0 } else { margin };
    (lo - margin)..(hi + margin)
}

/// Splits a series into runs of points that should be joined: a missing value, or a jump in x
/// wider than `max_step`, starts a new run.
fn runs(points: impl Iterator<Item = (f64, Option<f64>)>, max_step: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for (x, y) in points {
        match (finite(x), finite_opt(y)) {
            (Some(x), Some(y)) => {
                if let Some(&(px, _)) = current.last() {
                    if x - px > max_step {
                        out.push(std::mem::take(&mut current));
                    }
                }
                current.push((x, y));
            }
            _ => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Draws runs as lines, and runs of one point as dots so an isolated value is still seen.
fn draw_runs(
    area: &DrawingArea<BitMapBackend<'_>, Cartesian2d<Axis, Axis>>,
    runs: &[Vec<(f64, f64)>],
    style: ShapeStyle,
    dashed: Option<(u32, u32)>,
    dot: u32,
) -> Result<()> {
    for run in runs {
        if run.len() == 1 {
            area.draw(&Circle::new(run[0], dot.max(2), style.color.filled()))?;
        } else if let Some((size, spacing)) = dashed {
            area.draw(&DashedPathElement::new(
                run.iter().copied(),
                size,
                spacing,
                style,
            ))?;
        } else {
            area.draw(&PathElement::new(run.clone(), style))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The trend chart.

/// At most this many rows of audit findings; the rarer rules share an "other rules" row.
const MAX_RULE_ROWS: usize = 6;

/// Renders the trend chart into `buf` (RGB, `buffer_len(style)` bytes). See [`trend_chart`].
pub fn render_trend(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    days: &[TrendDay],
) -> Result<()> {
    let ui = prepare(buf, style)?;
    if days.is_empty() {
        return Err(nothing("trend", "no days in the period"));
    }
    let mut days: Vec<&TrendDay> = days.iter().collect();
    days.sort_by_key(|d| d.date);
    let start = days[0].date;
    let span = (days[days.len() - 1].date - start).num_days() as f64;
    let x_of = |d: NaiveDate| (d - start).num_days() as f64;
    let axis = Axis::new(day_window(-0.6, span + 0.6, 7.0), Ticks::Days(start));

    let load_max = days
        .iter()
        .flat_map(|d| [d.load, d.acute, d.chronic])
        .filter_map(finite)
        .fold(0.0, f64::max);
    let load_top = if load_max > 0.0 {
        load_max * 1.08
    } else {
        10.0
    };
    let sleep_top = days
        .iter()
        .filter_map(|d| finite_opt(d.sleep_hours))
        .fold(12.0, f64::max)
        .min(24.0);
    let has_heart = days
        .iter()
        .any(|d| finite_opt(d.resting_hr).is_some() || finite_opt(d.hrv_ms).is_some());
    let rules = rule_rows(&days);

    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;

    let mut legend = Vec::new();
    for class in [
        DayClass::Hard,
        DayClass::Easy,
        DayClass::ActiveRecovery,
        DayClass::Unknown,
    ] {
        if days.iter().any(|d| d.class == class) {
            legend.push(entry(Swatch::Bar(class.colour()), class.label()));
        }
    }
    legend.push(entry(Swatch::Empty, "no bar: rest day"));
    legend.push(entry(Swatch::Line(ACUTE), "acute load"));
    legend.push(entry(Swatch::Line(CHRONIC), "chronic load"));
    legend.push(entry(Swatch::Line(SORENESS), "soreness"));
    legend.push(entry(Swatch::Line(SLEEP), "sleep"));
    if has_heart {
        legend.push(entry(Swatch::Line(CHRONIC), "resting HR"));
        legend.push(entry(Swatch::Dashed(CHRONIC), "HRV"));
    }
    if !rules.is_empty() {
        legend.push(entry(Swatch::Marker(CHRONIC), "audit finding"));
    }
    let body = draw_legend(&body, &legend, &ui)?;

    // Panels share the x axis; only the bottom one carries the date labels.
    let (body_w, body_h) = body.dim_in_pixel();
    let bottom_h = ui.px(54.0);
    let row_h = ui.px(22.0);
    let strip_h = if rules.is_empty() {
        0
    } else {
        // Two rows at least, so a lone row still has room for its markers.
        rules.len().max(2) as u32 * row_h + ui.px(20.0)
    };
    let frame = PanelFrame {
        left: rule_label_width(&body, &rules, &ui)?.max(ui.px(96.0)),
        right: ui.px(80.0),
        bottom: bottom_h,
    };
    let plots_h = body_h
        .saturating_sub(bottom_h + strip_h + ui.px(12.0))
        .max(30);
    let weights: &[f64] = if has_heart {
        &[0.48, 0.30, 0.22]
    } else {
        &[0.6, 0.4]
    };
    let n_x = ui.ticks_for(body_w.saturating_sub(frame.left + frame.right));

    let mut rest = body;
    let mut panels: Vec<Area<'_>> = Vec::new();
    let count = weights.len() + usize::from(strip_h > 0);
    for (i, w) in weights.iter().enumerate() {
        let mut h = (plots_h as f64 * w) as u32;
        if i + 1 == count {
            h += bottom_h;
        }
        let (top, below) = rest.split_vertically(h.min(rest.dim_in_pixel().1));
        panels.push(top);
        rest = below;
    }
    if strip_h > 0 {
        panels.push(rest);
    }
    let is_last = |i: usize| i + 1 == count;
    let x_desc = |i: usize| is_last(i).then_some("date");

    // Load: bars by class, acute and chronic as lines.
    {
        let y = Axis::numbers(0.0..load_top);
        let mut c = panel_chart(&panels[0], &ui, &frame, &axis, y, false, is_last(0))?;
        draw_mesh(&mut c, &ui, x_desc(0), "load (TRIMP)", n_x, 5)?;
        let area = c.plotting_area();
        for d in &days {
            let load = finite(d.load).unwrap_or(0.0);
            if d.class == DayClass::Rest || load <= 0.0 {
                continue;
            }
            let x = x_of(d.date);
            area.draw(&Rectangle::new(
                [(x - 0.4, 0.0), (x + 0.4, load)],
                d.class.colour().filled(),
            ))?;
        }
        let acute = runs(days.iter().map(|d| (x_of(d.date), Some(d.acute))), 1.0);
        let chronic = runs(days.iter().map(|d| (x_of(d.date), Some(d.chronic))), 1.0);
        draw_runs(area, &chronic, ui.stroke(CHRONIC, 2.5), None, ui.px(3.0))?;
        draw_runs(area, &acute, ui.stroke(ACUTE, 2.5), None, ui.px(3.0))?;
    }

    // Soreness on the left axis, sleep on the right.
    {
        let y = Axis::numbers(0.0..10.5);
        let c = panel_chart(&panels[1], &ui, &frame, &axis, y, true, is_last(1))?;
        let mut c = c.set_secondary_coord(axis.clone(), Axis::numbers(0.0..sleep_top));
        draw_mesh(&mut c, &ui, x_desc(1), "soreness (0–10)", n_x, 6)?;
        // Seven labels put sleep on whole even hours (0, 2, … 12) rather than 2.5 h steps.
        draw_secondary_mesh(&mut c, &ui, "sleep (h)", 7)?;
        let sleep = runs(days.iter().map(|d| (x_of(d.date), d.sleep_hours)), 1.0);
        let sore = runs(days.iter().map(|d| (x_of(d.date), d.soreness)), 1.0);
        draw_runs(
            c.secondary_plotting_area(),
            &sleep,
            ui.stroke(SLEEP, 2.5),
            None,
            ui.px(3.0),
        )?;
        draw_runs(
            c.plotting_area(),
            &sore,
            ui.stroke(SORENESS, 2.5),
            None,
            ui.px(3.0),
        )?;
        // Dots on each day help read values, until days are so close the dots merge into a smear.
        let (plot_x, _) = c.plotting_area().get_pixel_range();
        let px_per_day = f64::from(plot_x.end - plot_x.start) / (axis.hi - axis.lo);
        let sets = [
            (&sleep, SLEEP, c.secondary_plotting_area()),
            (&sore, SORENESS, c.plotting_area()),
        ];
        for (runs, colour, area) in sets.into_iter().filter(|_| px_per_day >= 9.0) {
            for &p in runs.iter().flatten() {
                area.draw(&Circle::new(p, ui.px(3.5), colour.filled()))?;
            }
        }
    }

    // Resting HR (bpm) on the left axis, HRV (ms) on the right, thinner: context, not the story.
    if has_heart {
        let rhr = padded_range(
            days.iter().filter_map(|d| finite_opt(d.resting_hr)),
            0.1,
            40.0..70.0,
        );
        let hrv = padded_range(
            days.iter().filter_map(|d| finite_opt(d.hrv_ms)),
            0.1,
            20.0..100.0,
        );
        let c = panel_chart(
            &panels[2],
            &ui,
            &frame,
            &axis,
            Axis::numbers(rhr),
            true,
            is_last(2),
        )?;
        let mut c = c.set_secondary_coord(axis.clone(), Axis::numbers(hrv));
        draw_mesh(&mut c, &ui, x_desc(2), "resting HR (bpm)", n_x, 4)?;
        draw_secondary_mesh(&mut c, &ui, "HRV (ms)", 4)?;
        let rhr = runs(days.iter().map(|d| (x_of(d.date), d.resting_hr)), 1.0);
        let hrv = runs(days.iter().map(|d| (x_of(d.date), d.hrv_ms)), 1.0);
        draw_runs(
            c.plotting_area(),
            &rhr,
            ui.stroke(CHRONIC, 1.0),
            None,
            ui.px(2.5),
        )?;
        draw_runs(
            c.secondary_plotting_area(),
            &hrv,
            ui.stroke(CHRONIC, 1.0),
            Some((ui.px(8.0), ui.px(5.0))),
            ui.px(2.5),
        )?;
    }

    // Findings: one row per rule, a marker on each day it fired.
    if strip_h > 0 {
        let i = panels.len() - 1;
        let labels: Vec<(f64, String)> = rules
            .iter()
            .enumerate()
            .map(|(row, name)| ((rules.len() - row) as f64 - 0.5, name.clone()))
            .collect();
        let y = Axis::new(0.0..rules.len() as f64, Ticks::Fixed(labels.clone()));
        let mut c = panel_chart(&panels[i], &ui, &frame, &axis, y, false, true)?;
        // The rule names are the row labels, so the axis needs no description of its own.
        draw_mesh(&mut c, &ui, Some("date"), "", n_x, rules.len())?;
        let area = c.plotting_area();
        for d in &days {
            for row in finding_rows(d, &rules) {
                let Some((y, _)) = labels.get(row) else {
                    continue;
                };
                area.draw(&TriangleMarker::new(
                    (x_of(d.date), *y),
                    ui.px(7.0),
                    CHRONIC.filled(),
                ))?;
            }
        }
    }

    root.present()?;
    Ok(())
}

/// How a trend panel sits in the stack.
struct PanelFrame {
    /// Width of the left label area, the same for every panel so the plots line up.
    left: u32,
    /// Width of the right label area, kept as margin when the panel has no secondary axis.
    right: u32,
    /// Height of the date labels under the bottom panel.
    bottom: u32,
}

/// A trend panel. Without a secondary axis the right label area stays empty margin: plotters
/// would otherwise repeat the left labels there.
fn panel_chart<'a, 'b>(
    area: &'a Area<'b>,
    ui: &Ui,
    frame: &PanelFrame,
    x: &Axis,
    y: Axis,
    secondary: bool,
    last: bool,
) -> Result<Chart<'a, 'b>> {
    let margin = ui.px(16.0);
    let (right_area, right_margin) = if secondary {
        (frame.right, margin)
    } else {
        (0, margin + frame.right)
    };
    Ok(ChartBuilder::on(area)
        .margin_top(ui.px(14.0))
        .margin_right(right_margin)
        .margin_left(margin)
        .x_label_area_size(if last { frame.bottom } else { 0 })
        .y_label_area_size(frame.left)
        .right_y_label_area_size(right_area)
        .build_cartesian_2d(x.clone(), y)?)
}

/// The rule names that get their own row: most frequent first, the rest pooled as "other rules".
fn rule_rows(days: &[&TrendDay]) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in days {
        for f in &d.findings {
            let f = f.trim();
            if !f.is_empty() {
                *counts.entry(f).or_default() += 1;
            }
        }
    }
    let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
    // BTreeMap order breaks ties by name, so the layout is the same on every run.
    by_count.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
    let mut rows: Vec<String> = by_count.iter().map(|(n, _)| n.to_string()).collect();
    if rows.len() > MAX_RULE_ROWS {
        rows.truncate(MAX_RULE_ROWS - 1);
        rows.push("other rules".to_string());
    }
    rows
}

fn finding_rows(day: &TrendDay, rules: &[String]) -> Vec<usize> {
    let mut rows: Vec<usize> = day
        .findings
        .iter()
        .filter(|f| !f.trim().is_empty())
        .map(|f| {
            rules
                .iter()
                .position(|r| r == f.trim())
                .unwrap_or(rules.len().saturating_sub(1))
        })
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}

/// The left label area must fit the longest rule name, up to a quarter of the width.
fn rule_label_width(area: &Area<'_>, rules: &[String], ui: &Ui) -> Result<u32> {
    let font = ui.text(15.0);
    let mut widest = 0;
    for r in rules {
        widest = widest.max(area.estimate_text_size(r, &font)?.0);
    }
    Ok((widest + ui.px(24.0)).min(area.dim_in_pixel().0 / 4))
}

// ---------------------------------------------------------------------------------------------
// Zones per week.

/// Renders the weekly zones chart into `buf`. See [`zones_chart`].
pub fn render_zones(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    weeks: &[WeekZones],
    band: (u8, u8),
) -> Result<()> {
    let ui = prepare(buf, style)?;
    if weeks.is_empty() {
        return Err(nothing("zones", "no weeks"));
    }
    let minutes = |v: f64| finite(v).filter(|m| *m > 0.0).unwrap_or(0.0);
    let mut weeks: Vec<(NaiveDate, [f64; 3])> = weeks
        .iter()
        .map(|w| {
            (
                w.week_start,
                [
                    minutes(w.below_min),
                    minutes(w.in_min),
                    minutes(w.above_min),
                ],
            )
        })
        .collect();
    weeks.sort_by_key(|w| w.0);
    let start = weeks[0].0;
    let x_of = |d: NaiveDate| (d - start).num_days() as f64;
    let span = x_of(weeks[weeks.len() - 1].0) + 7.0;
    let ticks: Vec<(f64, String)> = weeks
        .iter()
        .map(|(d, _)| (x_of(*d) + 3.5, d.format("%b %d").to_string()))
        .collect();
    let window = day_window(-0.5, span + 0.5, 29.0);
    let window_days = window.end - window.start;
    let axis = Axis::new(window, Ticks::Fixed(ticks));
    let top = weeks
        .iter()
        .map(|(_, m)| m.iter().sum::<f64>())
        .fold(0.0, f64::max);
    // Headroom for the share written above the tallest bar.
    let top = if top > 0.0 { top * 1.12 } else { 60.0 };

    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;
    let (lo, hi) = band;
    let body = draw_legend(
        &body,
        &[
            entry(Swatch::Bar(HARD), format!("above the band (> {hi} bpm)")),
            entry(
                Swatch::Bar(ACTIVE_RECOVERY),
                format!("inside the band ({lo}–{hi} bpm)"),
            ),
            entry(
                Swatch::Bar(BELOW_BAND),
                format!("below the band (< {lo} bpm)"),
            ),
            entry(
                Swatch::TextOnly,
                "“18 %” = share of the week's minutes above the band",
            ),
        ],
        &ui,
    )?;
    let mut c = single_chart(&body, &ui, axis, Axis::numbers(0.0..top))?;
    let n_x = ui.ticks_for(c.plotting_area().dim_in_pixel().0);
    draw_mesh(
        &mut c,
        &ui,
        Some("week starting"),
        "minutes per week",
        n_x,
        6,
    )?;

    let area = c.plotting_area();
    let slot_px = f64::from(area.dim_in_pixel().0) * 7.0 / window_days;
    // Narrow bars lose the space before "%" before the text gets any smaller.
    let (mut label_font, size) = fitted_font(&root, "100 %", 17.0, slot_px * 0.9, &ui)?;
    let compact = size < 11.0;
    if compact {
        label_font = fitted_font(&root, "100%", 17.0, slot_px * 0.9, &ui)?.0;
    }
    for (week, [below, inside, above]) in &weeks {
        let x = x_of(*week);
        let (x0, x1) = (x + 0.6, x + 6.4);
        let stack = [
            (0.0, *below, BELOW_BAND),
            (*below, below + inside, ACTIVE_RECOVERY),
            (below + inside, below + inside + above, HARD),
        ];
        for (y0, y1, colour) in stack {
            if y1 > y0 {
                area.draw(&Rectangle::new([(x0, y0), (x1, y1)], colour.filled()))?;
            }
        }
        let total = below + inside + above;
        if total > 0.0 {
            let pct = above / total * 100.0;
            let share = if compact {
                format!("{pct:.0}%")
            } else {
                format!("{pct:.0} %")
            };
            area.draw(
                &(EmptyElement::at((x + 3.5, total))
                    + Text::new(
                        share,
                        (0, -ui.pxi(4.0)),
                        label_font.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )),
            )?;
        }
    }
    root.present()?;
    Ok(())
}

/// A font no wider than `max_px` for `sample`, and its size in pixels, so per-bar labels never
/// run into each other.
fn fitted_font(
    area: &Area<'_>,
    sample: &str,
    size: f64,
    max_px: f64,
    ui: &Ui,
) -> Result<(TextStyle<'static>, f64)> {
    let px = (size * ui.scale).max(9.0);
    let (w, _) = area.estimate_text_size(sample, &ui.text(size))?;
    let px = if f64::from(w) <= max_px || w == 0 {
        px
    } else {
        (px * max_px / f64::from(w)).max(7.0)
    };
    Ok(((FONT, px).into_font().color(&INK), px))
}

/// The x range from `lo` to `hi` in days, widened evenly to at least `min_days` so a single day
/// or week is drawn at a sensible width instead of filling the chart.
fn day_window(lo: f64, hi: f64, min_days: f64) -> Range<f64> {
    let extra = ((min_days - (hi - lo)) / 2.0).max(0.0);
    (lo - extra)..(hi + extra)
}

fn single_chart<'a, 'b>(area: &'a Area<'b>, ui: &Ui, x: Axis, y: Axis) -> Result<Chart<'a, 'b>> {
    Ok(ChartBuilder::on(area)
        .margin_top(ui.px(8.0))
        .margin_right(ui.px(32.0))
        .margin_left(ui.px(16.0))
        .margin_bottom(ui.px(8.0))
        .x_label_area_size(ui.px(64.0))
        .y_label_area_size(ui.px(96.0))
        .build_cartesian_2d(x, y)?)
}

// ---------------------------------------------------------------------------------------------
// Easy days.

/// Renders the easy-days chart into `buf`. See [`easy_days_chart`].
pub fn render_easy_days(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    sessions: &[EasySession],
    limit_min: f64,
) -> Result<()> {
    let ui = prepare(buf, style)?;
    if sessions.is_empty() {
        return Err(nothing("easy days", "no easy sessions"));
    }
    let mut sessions: Vec<&EasySession> = sessions.iter().collect();
    sessions.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.label.cmp(&b.label)));
    let start = sessions[0].date;
    let x_of = |d: NaiveDate| (d - start).num_days() as f64;
    let span = x_of(sessions[sessions.len() - 1].date);
    let axis = Axis::new(day_window(-0.6, span + 0.6, 7.0), Ticks::Days(start));
    let limit = finite(limit_min).filter(|l| *l >= 0.0);
    let above = |s: &EasySession| finite(s.above_min).filter(|m| *m > 0.0).unwrap_or(0.0);
    let top = sessions
        .iter()
        .map(|s| above(s))
        .chain(limit)
        .fold(0.0, f64::max);
    // Headroom for the date labels over the tallest bars.
    let top = if top > 0.0 { top * 1.3 } else { 10.0 };

    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;
    let mut legend = vec![
        entry(Swatch::Bar(EASY), "easy session within the limit"),
        entry(
            Swatch::Bar(HARD),
            "broke the limit (labelled with its date)",
        ),
    ];
    if let Some(l) = limit {
        legend.push(entry(
            Swatch::Dashed(CHRONIC),
            format!("easy limit: {} min above the band", format_number(l)),
        ));
    }
    let body = draw_legend(&body, &legend, &ui)?;
    let mut c = single_chart(&body, &ui, axis, Axis::numbers(0.0..top))?;
    let n_x = ui.ticks_for(c.plotting_area().dim_in_pixel().0);
    draw_mesh(&mut c, &ui, Some("date"), "minutes above the band", n_x, 6)?;

    // Several sessions on one day share the day's slot side by side.
    let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for s in &sessions {
        *per_day.entry(s.date).or_default() += 1;
    }
    let mut seen: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let mut breakers = Vec::new();
    {
        let area = c.plotting_area();
        for s in &sessions {
            let k = per_day.get(&s.date).copied().unwrap_or(1) as f64;
            let i = seen.entry(s.date).or_default();
            let width = 0.8 / k;
            let x0 = x_of(s.date) - 0.4 + width * *i as f64;
            *i += 1;
            let colour = if s.broke_limit { HARD } else { EASY };
            let m = above(s);
            if m > 0.0 {
                area.draw(&Rectangle::new(
                    [(x0 + width * 0.06, 0.0), (x0 + width * 0.94, m)],
                    colour.filled(),
                ))?;
            }
            if s.broke_limit {
                breakers.push((x0 + width / 2.0, m, s));
            }
        }
        if let Some(l) = limit {
            let x = c.x_range();
            area.draw(&DashedPathElement::new(
                [(x.start, l), (x.end, l)],
                ui.px(10.0),
                ui.px(6.0),
                ui.stroke(CHRONIC, 2.0),
            ))?;
        }
    }

    // Date labels over the bars that broke the limit, lifted a row when they would collide.
    let font = ui.text(15.0);
    let line_h = ui.pxi(19.0);
    let mut taken: Vec<(i32, i32, i32, i32)> = Vec::new();
    let (plot_x, plot_y) = c.plotting_area().get_pixel_range();
    for (x, m, s) in breakers {
        let text = if s.label.trim().is_empty() {
            s.date.format("%b %d").to_string()
        } else {
            format!("{} {}", s.date.format("%b %d"), s.label.trim())
        };
        let (w, _) = root.estimate_text_size(&text, &font)?;
        let (px, py) = c.backend_coord(&(x, m));
        // Labels near the ends are pushed inward rather than cut off by the axis.
        let half = w as i32 / 2 + 2;
        let px = px.clamp(
            plot_x.start + half,
            (plot_x.end - half).max(plot_x.start + half),
        );
        let (x0, x1) = (px - half, px + half);
        let mut bottom = py - ui.pxi(4.0);
        while taken
            .iter()
            .any(|&(a0, a1, b0, b1)| x0 < a1 && a0 < x1 && bottom - line_h < b1 && b0 < bottom)
            && bottom - line_h > plot_y.start
        {
            bottom -= line_h;
        }
        taken.push((x0, x1, bottom - line_h, bottom));
        root.draw(&Text::new(
            text,
            (px, bottom),
            font.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
    }
    root.present()?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Soreness after a hard day.

/// Renders the soreness-after-hard chart into `buf`. See [`soreness_chart`].
pub fn render_soreness(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    curve: &SorenessCurve,
) -> Result<()> {
    let ui = prepare(buf, style)?;
    let mut points: Vec<&CurvePoint> = curve
        .days
        .iter()
        .filter(|p| p.day <= 5 && p.n > 0 && p.mean.is_finite())
        .collect();
    points.sort_by_key(|p| p.day);
    if points.is_empty() {
        return Err(nothing("soreness", "no soreness recorded after a hard day"));
    }
    let ticks = (0..=5u32)
        .map(|d| {
            let label = if d == 0 {
                "hard day".to_string()
            } else {
                format!("day {d}")
            };
            (f64::from(d), label)
        })
        .collect();
    let axis = Axis::new(-0.5..5.5, Ticks::Fixed(ticks));

    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;
    let body = draw_legend(
        &body,
        &[
            entry(Swatch::Line(SORENESS), "mean soreness"),
            entry(Swatch::Shade(SORENESS, 0.2), "± 1 sd"),
            entry(Swatch::Dashed(AXIS), "72 h after the hard day"),
            entry(Swatch::TextOnly, "n = observations behind each mean"),
        ],
        &ui,
    )?;
    let mut c = ChartBuilder::on(&body)
        .margin_top(ui.px(8.0))
        .margin_right(ui.px(32.0))
        .margin_left(ui.px(16.0))
        .margin_bottom(ui.px(8.0))
        .x_label_area_size(ui.px(90.0))
        .y_label_area_size(ui.px(96.0))
        .build_cartesian_2d(axis, Axis::numbers(0.0..10.5))?;
    draw_mesh(
        &mut c,
        &ui,
        Some("days after a hard day"),
        "soreness (0–10)",
        6,
        6,
    )?;

    let sd_of = |p: &CurvePoint| finite_opt(p.sd).filter(|s| *s >= 0.0);
    let lo = |p: &CurvePoint| (p.mean - sd_of(p).unwrap_or(0.0)).clamp(0.0, 10.5);
    let hi = |p: &CurvePoint| (p.mean + sd_of(p).unwrap_or(0.0)).clamp(0.0, 10.5);
    let area = c.plotting_area();
    // The 72 h mark goes under the data, so it never hides a whisker.
    let x72 = 3.0;
    area.draw(&DashedPathElement::new(
        [(x72, 0.0), (x72, 10.5)],
        ui.px(10.0),
        ui.px(6.0),
        ui.stroke(AXIS, 2.0),
    ))?;
    area.draw(
        &(EmptyElement::at((x72, 10.5))
            + Text::new(
                "72 h",
                (ui.pxi(8.0), ui.pxi(6.0)),
                ui.text(16.0).pos(Pos::new(HPos::Left, VPos::Top)),
            )),
    )?;
    // The spread as a band between neighbouring days that both have one, whiskers on each point.
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if b.day == a.day + 1 && sd_of(a).is_some() && sd_of(b).is_some() {
            let (xa, xb) = (f64::from(a.day), f64::from(b.day));
            area.draw(&Polygon::new(
                vec![(xa, lo(a)), (xb, lo(b)), (xb, hi(b)), (xa, hi(a))],
                SORENESS.mix(0.2).filled(),
            ))?;
        }
    }
    let cap = 0.06;
    for p in &points {
        if sd_of(p).is_some() {
            let x = f64::from(p.day);
            let style = ui.stroke(SORENESS, 2.0);
            area.draw(&PathElement::new(vec![(x, lo(p)), (x, hi(p))], style))?;
            for y in [lo(p), hi(p)] {
                area.draw(&PathElement::new(vec![(x - cap, y), (x + cap, y)], style))?;
            }
        }
    }
    let line = runs(points.iter().map(|p| (f64::from(p.day), Some(p.mean))), 1.0);
    draw_runs(area, &line, ui.stroke(SORENESS, 3.0), None, ui.px(6.0))?;
    for p in &points {
        let centre = (f64::from(p.day), p.mean.clamp(0.0, 10.5));
        area.draw(&Circle::new(centre, ui.px(6.0), SORENESS.filled()))?;
    }

    // The n of each point sits under its day label, outside the plot, so it never hides data.
    let font = ui.text(14.0).color(&AXIS);
    for p in &points {
        let (px, py) = c.backend_coord(&(f64::from(p.day), 0.0));
        root.draw(&Text::new(
            format!("n = {}", p.n),
            (px, py + ui.pxi(32.0)),
            font.clone().pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    root.present()?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Correlations.

/// Renders the correlation panels side by side into `buf`. See [`correlations_chart`].
pub fn render_correlations(
    buf: &mut [u8],
    style: &ChartStyle,
    title: &str,
    panels: &[Scatter],
) -> Result<()> {
    let ui = prepare(buf, style)?;
    if panels.is_empty() {
        return Err(nothing("correlations", "no panels"));
    }
    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, title, &ui)?;
    for (area, panel) in body.split_evenly((1, panels.len())).iter().zip(panels) {
        draw_scatter(area, panel, &ui)?;
    }
    root.present()?;
    Ok(())
}

fn draw_scatter(area: &Area<'_>, panel: &Scatter, ui: &Ui) -> Result<()> {
    let points: Vec<(f64, f64)> = panel
        .points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let heading = ui.pxi(34.0);
    let (top, body) = area.split_vertically(heading as u32);
    top.draw(&Text::new(
        panel.title.clone(),
        (ui.pxi(24.0), heading / 2),
        ui.text(20.0).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let fit = panel
        .fit
        .filter(|(slope, intercept)| slope.is_finite() && intercept.is_finite());
    let mut legend = vec![entry(Swatch::Dot(SLEEP), "observation")];
    if let Some((slope, intercept)) = fit {
        legend.push(entry(
            Swatch::Line(CHRONIC),
            format!(
                "fit: y = {:.3} x {} {:.2}",
                slope,
                if intercept < 0.0 { "−" } else { "+" },
                intercept.abs()
            ),
        ));
    }
    if !panel.legend.trim().is_empty() {
        legend.push(entry(Swatch::TextOnly, panel.legend.trim()));
    }
    let body = draw_legend(&body, &legend, ui)?;

    let x = padded_range(points.iter().map(|p| p.0), 0.05, 0.0..1.0);
    let y = padded_range(points.iter().map(|p| p.1), 0.08, 0.0..1.0);
    let mut c = ChartBuilder::on(&body)
        .margin_top(ui.px(8.0))
        .margin_right(ui.px(32.0))
        .margin_left(ui.px(16.0))
        .margin_bottom(ui.px(8.0))
        .x_label_area_size(ui.px(64.0))
        .y_label_area_size(ui.px(90.0))
        .build_cartesian_2d(Axis::numbers(x.clone()), Axis::numbers(y.clone()))?;
    let x_desc = panel.x_label.clone();
    draw_mesh(&mut c, ui, Some(&x_desc), &panel.y_label, 7, 6)?;
    if points.is_empty() {
        return draw_no_data(&c, ui);
    }
    for &p in &points {
        c.plotting_area()
            .draw(&Circle::new(p, ui.px(5.0), SLEEP.filled()))?;
    }
    if let Some((slope, intercept)) = fit {
        if let Some(segment) = clip_line(slope, intercept, &x, &y) {
            c.plotting_area()
                .draw(&PathElement::new(segment.to_vec(), ui.stroke(CHRONIC, 2.5)))?;
        }
    }
    Ok(())
}

/// The part of y = slope·x + intercept inside the box, so the line stops at the plot's edge.
fn clip_line(
    slope: f64,
    intercept: f64,
    x: &Range<f64>,
    y: &Range<f64>,
) -> Option<[(f64, f64); 2]> {
    let (mut t0, mut t1) = (x.start, x.end);
    if slope.abs() > 1e-12 {
        let xa = (y.start - intercept) / slope;
        let xb = (y.end - intercept) / slope;
        t0 = t0.max(xa.min(xb));
        t1 = t1.min(xa.max(xb));
    } else if !(y.start..=y.end).contains(&intercept) {
        return None;
    }
    (t0 < t1 && t0.is_finite() && t1.is_finite())
        .then_some([(t0, slope * t0 + intercept), (t1, slope * t1 + intercept)])
}

// ---------------------------------------------------------------------------------------------
// One session's heart rate.

/// Samples further apart than this are not joined: the project counts no heart-rate interval
/// longer than 60 s, so neither does the line.
const MAX_SAMPLE_GAP_MIN: f64 = 1.0;

/// The samples with a dropout inserted wherever a pause falls between two of them, so the line
/// never bridges a pause.
fn with_breaks(
    samples: &[(f64, Option<f64>)],
    pauses: &[(f64, f64)],
) -> impl Iterator<Item = (f64, Option<f64>)> {
    let mut out = Vec::with_capacity(samples.len());
    for (i, &s) in samples.iter().enumerate() {
        if let Some(&(prev, _)) = i.checked_sub(1).and_then(|j| samples.get(j)) {
            if pauses.iter().any(|&(a, b)| a < s.0 && b > prev) {
                out.push((prev, None));
            }
        }
        out.push(s);
    }
    out.into_iter()
}

/// Renders one session's heart-rate trace into `buf`. See [`hr_trace_chart`].
pub fn render_hr_trace(buf: &mut [u8], style: &ChartStyle, trace: &HrTrace) -> Result<()> {
    let ui = prepare(buf, style)?;
    let mut samples: Vec<(f64, Option<f64>)> = trace
        .samples
        .iter()
        .filter(|(t, _)| t.is_finite())
        .map(|&(t, bpm)| (t, finite_opt(bpm).filter(|b| *b > 0.0)))
        .collect();
    samples.sort_by(|a, b| a.0.total_cmp(&b.0));
    if samples.iter().all(|(_, bpm)| bpm.is_none()) {
        return Err(nothing("heart-rate trace", "no heart-rate samples"));
    }
    let pauses: Vec<(f64, f64)> = trace
        .pauses
        .iter()
        .filter(|(a, b)| a.is_finite() && b.is_finite() && b > a)
        .copied()
        .collect();
    let band = (
        trace.band.0.min(trace.band.1),
        trace.band.0.max(trace.band.1),
    );
    let band = finite(band.0).zip(finite(band.1));

    let x_end = samples
        .iter()
        .map(|s| s.0)
        .chain(pauses.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    let x_start = samples.first().map_or(0.0, |s| s.0).min(0.0);
    let y = padded_range(
        samples
            .iter()
            .filter_map(|s| s.1)
            .chain(band.into_iter().flat_map(|(a, b)| [a, b])),
        0.08,
        60.0..180.0,
    );
    let y = y.start.max(0.0)..y.end;

    let root = BitMapBackend::with_buffer(buf, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = draw_title(&root, &trace.title, &ui)?;
    let mut legend = vec![entry(Swatch::Line(CHRONIC), "heart rate (gaps: no signal)")];
    if let Some((lo, hi)) = band {
        legend.push(entry(
            Swatch::Shade(ACTIVE_RECOVERY, 0.25),
            format!("band {}–{} bpm", format_number(lo), format_number(hi)),
        ));
    }
    if !pauses.is_empty() {
        legend.push(entry(Swatch::Shade(PAUSE, 0.3), "timer paused"));
    }
    let body = draw_legend(&body, &legend, &ui)?;
    let mut c = single_chart(
        &body,
        &ui,
        Axis::numbers(x_start..x_end),
        Axis::numbers(y.clone()),
    )?;
    draw_mesh(
        &mut c,
        &ui,
        Some("minutes from start"),
        "heart rate (bpm)",
        12,
        8,
    )?;

    let area = c.plotting_area();
    let xr = c.x_range();
    if let Some((lo, hi)) = band {
        area.draw(&Rectangle::new(
            [(xr.start, lo), (xr.end, hi)],
            ACTIVE_RECOVERY.mix(0.25).filled(),
        ))?;
    }
    for &(a, b) in &pauses {
        area.draw(&Rectangle::new(
            [(a, y.start), (b, y.end)],
            PAUSE.mix(0.3).filled(),
        ))?;
    }
    let line = runs(with_breaks(&samples, &pauses), MAX_SAMPLE_GAP_MIN);
    draw_runs(area, &line, ui.stroke(CHRONIC, 1.5), None, ui.px(2.0))?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("fixture dates are valid")
    }

    const FIRST_DAY: (i32, u32, u32) = (2026, 1, 5);

    fn first_day() -> NaiveDate {
        date(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2)
    }

    /// Six weeks from a Monday: hard Mondays and Thursdays, active recovery after them, easy
    /// Wednesdays and Saturdays, rest on Fridays; a few journal gaps and findings.
    fn six_weeks() -> Vec<TrendDay> {
        let pattern = [
            (DayClass::Hard, 140.0),
            (DayClass::ActiveRecovery, 45.0),
            (DayClass::Easy, 70.0),
            (DayClass::Hard, 150.0),
            (DayClass::Rest, 0.0),
            (DayClass::Easy, 95.0),
            (DayClass::ActiveRecovery, 40.0),
        ];
        let (mut acute, mut chronic) = (60.0, 60.0);
        let mut days = Vec::new();
        for i in 0..42usize {
            let (mut class, mut load) = pattern[i % 7];
            if class != DayClass::Rest {
                load += ((i * 37) % 23) as f64;
            }
            if i == 17 {
                (class, load) = (DayClass::Unknown, 30.0);
            }
            if i == 24 {
                (class, load) = (DayClass::Rest, 0.0);
            }
            acute += (load - acute) * (2.0 / 8.0);
            chronic += (load - chronic) * (2.0 / 29.0);
            let prev_hard = i >= 1 && pattern[(i - 1) % 7].0 == DayClass::Hard;
            let two_after_hard = i >= 2 && pattern[(i - 2) % 7].0 == DayClass::Hard;
            let soreness = 1.5
                + if prev_hard { 3.5 } else { 0.0 }
                + if two_after_hard { 1.5 } else { 0.0 }
                + ((i * 13) % 10) as f64 / 10.0;
            let mut findings = Vec::new();
            if [3, 10, 20, 31].contains(&i) {
                findings.push("short_recovery".to_string());
            }
            if [12, 26].contains(&i) {
                findings.push("easy_too_hard".to_string());
            }
            if i == 20 {
                findings.push("sleep_debt".to_string());
            }
            days.push(TrendDay {
                date: first_day() + TimeDelta::days(i as i64),
                load,
                class,
                soreness: (i % 9 != 4).then_some(soreness),
                sleep_hours: (i % 11 != 7).then_some(6.2 + ((i * 29) % 17) as f64 / 10.0),
                resting_hr: (i % 10 != 9)
                    .then_some(50.0 + if prev_hard { 3.0 } else { 0.0 } + ((i * 7) % 5) as f64),
                hrv_ms: Some(70.0 - if prev_hard { 12.0 } else { 0.0 } + ((i * 11) % 9) as f64),
                acute,
                chronic,
                findings,
            });
        }
        days
    }

    fn weeks() -> Vec<WeekZones> {
        (0..6)
            .map(|w| WeekZones {
                week_start: first_day() + TimeDelta::weeks(w),
                below_min: 120.0 + (w * 17 % 40) as f64,
                in_min: 150.0 + (w * 23 % 60) as f64,
                above_min: 40.0 + (w * 31 % 50) as f64,
            })
            .collect()
    }

    fn easy_sessions() -> Vec<EasySession> {
        let mut out: Vec<EasySession> = six_weeks()
            .iter()
            .enumerate()
            .filter(|(_, d)| d.class == DayClass::Easy)
            .map(|(i, d)| {
                let above = ((i * 17) % 13) as f64 + 0.5;
                EasySession {
                    date: d.date,
                    label: String::new(),
                    above_min: above,
                    broke_limit: above > 10.0,
                }
            })
            .collect();
        // A second easy session on a day that already has one.
        out.push(EasySession {
            date: first_day() + TimeDelta::days(2),
            label: "bike".to_string(),
            above_min: 14.0,
            broke_limit: true,
        });
        out
    }

    fn curve() -> SorenessCurve {
        let rows = [
            (2.1, 1.0, 12),
            (5.8, 1.6, 12),
            (4.6, 1.5, 11),
            (3.2, 1.2, 11),
            (2.4, 1.0, 9),
            (2.0, 0.9, 7),
        ];
        SorenessCurve {
            days: rows
                .iter()
                .enumerate()
                .map(|(day, &(mean, sd, n))| CurvePoint {
                    day: day as u32,
                    mean,
                    sd: Some(sd),
                    n,
                })
                .collect(),
        }
    }

    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            for k in i..=j {
                r[idx[k]] = (i + j) as f64 / 2.0 + 1.0;
            }
            i = j + 1;
        }
        r
    }

    /// Pearson r, slope and intercept of a least-squares fit.
    fn fit(points: &[(f64, f64)]) -> (f64, f64, f64) {
        let n = points.len() as f64;
        let (mx, my) = (
            points.iter().map(|p| p.0).sum::<f64>() / n,
            points.iter().map(|p| p.1).sum::<f64>() / n,
        );
        let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
        let syy: f64 = points.iter().map(|p| (p.1 - my).powi(2)).sum();
        let slope = sxy / sxx;
        (sxy / (sxx * syy).sqrt(), slope, my - slope * mx)
    }

    fn scatter(title: &str, x_label: &str, y_label: &str, points: Vec<(f64, f64)>) -> Scatter {
        let (r, slope, intercept) = fit(&points);
        let xs: Vec<f64> = points.iter().map(|p| p.0).collect();
        let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
        let ranked: Vec<(f64, f64)> = ranks(&xs).into_iter().zip(ranks(&ys)).collect();
        let (rho, _, _) = fit(&ranked);
        Scatter {
            title: title.to_string(),
            x_label: x_label.to_string(),
            y_label: y_label.to_string(),
            legend: format!("ρ = {rho:.2}, r = {r:.2}, n = {}", points.len()),
            points,
            fit: Some((slope, intercept)),
        }
    }

    fn panels() -> Vec<Scatter> {
        let days = six_weeks();
        let load_sore = days
            .windows(2)
            .filter_map(|w| Some((w[0].load, w[1].soreness?)))
            .collect();
        let sleep_sore = days
            .iter()
            .filter_map(|d| Some((d.sleep_hours?, d.soreness?)))
            .collect();
        vec![
            scatter(
                "Load vs next-day soreness",
                "load (TRIMP)",
                "next-day soreness (0–10)",
                load_sore,
            ),
            scatter(
                "Sleep vs soreness",
                "sleep the night before (h)",
                "soreness (0–10)",
                sleep_sore,
            ),
        ]
    }

    /// An hour's run at one sample every 5 s: warm-up, steady in the band, two efforts above
    /// it, a pause at 20–23 min and a strap dropout at 45–46.5 min.
    fn trace() -> HrTrace {
        let mut samples = Vec::new();
        for i in 0..=720 {
            let t = i as f64 * 5.0 / 60.0;
            if (20.0..23.0).contains(&t) {
                continue;
            }
            let bpm = if (45.0..46.5).contains(&t) {
                None
            } else if t < 8.0 {
                Some(100.0 + t * 4.0)
            } else if (30.0..34.0).contains(&t) || (38.0..42.0).contains(&t) {
                Some(152.0 + (t * 3.0).sin() * 4.0)
            } else {
                Some(131.0 + (t * 1.7).sin() * 5.0)
            };
            samples.push((t, bpm));
        }
        HrTrace {
            title: "Jan 05 2026 · running · sample_data/2026-01-05-run.fit".to_string(),
            samples,
            pauses: vec![(20.0, 23.0)],
            band: (120.0, 140.0),
        }
    }

    const TREND_TITLE: &str =
        "Recovery trend, Jan 05 – Feb 15 2026 (sample_data: 42 days, journal.csv)";
    const ZONES_TITLE: &str =
        "Time around the 120–140 bpm band per week, Jan 05 – Feb 15 2026 (sample_data)";
    const EASY_TITLE: &str =
        "Easy sessions: minutes above the band, Jan 05 – Feb 15 2026 (sample_data)";
    const SORENESS_TITLE: &str =
        "Soreness in the days after a hard day, Jan 05 – Feb 15 2026 (journal.csv)";
    const CORRELATIONS_TITLE: &str =
        "What goes with soreness, Jan 05 – Feb 15 2026 (sample_data, journal.csv)";

    fn style() -> ChartStyle {
        ChartStyle::default()
    }

    fn render(f: impl FnOnce(&mut [u8]) -> Result<()>) -> Vec<u8> {
        let mut buf = vec![0u8; buffer_len(&style())];
        f(&mut buf).expect("the fixture renders");
        buf
    }

    /// The six charts of the fixture, rendered in memory once for all tests, with a name for
    /// messages.
    fn all_rendered() -> &'static [(&'static str, Vec<u8>)] {
        static RENDERED: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
        RENDERED.get_or_init(render_all)
    }

    fn rendered(name: &str) -> &'static [u8] {
        all_rendered()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, buf)| buf.as_slice())
            .expect("a chart of the fixture")
    }

    fn render_all() -> Vec<(&'static str, Vec<u8>)> {
        let s = style();
        vec![
            (
                "trend",
                render(|b| render_trend(b, &s, TREND_TITLE, &six_weeks())),
            ),
            (
                "zones",
                render(|b| render_zones(b, &s, ZONES_TITLE, &weeks(), (120, 140))),
            ),
            (
                "easy days",
                render(|b| render_easy_days(b, &s, EASY_TITLE, &easy_sessions(), 10.0)),
            ),
            (
                "soreness",
                render(|b| render_soreness(b, &s, SORENESS_TITLE, &curve())),
            ),
            (
                "correlations",
                render(|b| render_correlations(b, &s, CORRELATIONS_TITLE, &panels())),
            ),
            ("hr trace", render(|b| render_hr_trace(b, &s, &trace()))),
        ]
    }

    fn pixels(buf: &[u8]) -> impl Iterator<Item = [u8; 3]> + '_ {
        buf.chunks_exact(3).map(|p| [p[0], p[1], p[2]])
    }

    fn count_colour(buf: &[u8], c: RGBColor) -> usize {
        pixels(buf).filter(|p| *p == [c.0, c.1, c.2]).count()
    }

    fn count_near(buf: &[u8], rgb: [u8; 3], tolerance: u8) -> usize {
        pixels(buf)
            .filter(|p| p.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= tolerance))
            .count()
    }

    /// The colour a translucent fill leaves on white.
    fn on_white(c: RGBColor, alpha: f64) -> [u8; 3] {
        let mix = |v: u8| (f64::from(v) * alpha + 255.0 * (1.0 - alpha)).round() as u8;
        [mix(c.0), mix(c.1), mix(c.2)]
    }

    fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
        let file = fs::File::open(path).expect("the chart file exists");
        let mut reader = png::Decoder::new(file)
            .read_info()
            .expect("the chart is a PNG");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("the PNG decodes");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    fn write_all(dir: &Path) -> Vec<PathBuf> {
        let s = style();
        let p = |name: &str| dir.join(name);
        trend_chart(&p("recovery_trend.png"), TREND_TITLE, &six_weeks(), &s).expect("trend");
        zones_chart(&p("zones.png"), ZONES_TITLE, &weeks(), (120, 140), &s).expect("zones");
        easy_days_chart(&p("easy_days.png"), EASY_TITLE, &easy_sessions(), 10.0, &s)
            .expect("easy days");
        soreness_chart(&p("soreness_after_hard.png"), SORENESS_TITLE, &curve(), &s)
            .expect("soreness");
        correlations_chart(&p("correlations.png"), CORRELATIONS_TITLE, &panels(), &s)
            .expect("correlations");
        hr_trace_chart(&p("sessions/2026-01-05_running.png"), &trace(), &s).expect("trace");
        [
            "recovery_trend.png",
            "zones.png",
            "easy_days.png",
            "soreness_after_hard.png",
            "correlations.png",
            "sessions/2026-01-05_running.png",
        ]
        .iter()
        .map(|n| p(n))
        .collect()
    }

    #[test]
    fn every_chart_decodes_as_a_png_of_the_requested_size() {
        let dir = tempfile::tempdir().expect("temp dir");
        for path in write_all(dir.path()) {
            let (w, h, rgb) = decode(&path);
            assert_eq!((w, h), (1600, 900), "{}", path.display());
            assert_eq!(rgb.len(), 1600 * 900 * 3);
        }
    }

    #[test]
    fn the_png_holds_exactly_the_rendered_pixels() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("zones.png");
        zones_chart(&path, "Zones", &weeks(), (120, 140), &style()).expect("zones");
        let expected = render(|b| render_zones(b, &style(), "Zones", &weeks(), (120, 140)));
        assert!(decode(&path).2 == expected);
    }

    #[test]
    fn a_smaller_size_is_honoured() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("small.png");
        let s = ChartStyle {
            width: 800,
            height: 450,
        };
        trend_chart(&path, TREND_TITLE, &six_weeks(), &s).expect("trend");
        let (w, h, _) = decode(&path);
        assert_eq!((w, h), (800, 450));
    }

    #[test]
    fn no_chart_is_blank() {
        for (name, buf) in all_rendered() {
            let distinct: HashSet<[u8; 3]> = pixels(buf).collect();
            assert!(distinct.len() >= 8, "{name}: {} colours", distinct.len());
            // The plot region: below the title and legend, inside the margins.
            let (w, h) = (1600usize, 900usize);
            let mut inked = 0;
            let mut total = 0;
            for y in 150..h - 100 {
                for x in 150..w - 150 {
                    let i = (y * w + x) * 3;
                    total += 1;
                    if buf[i..i + 3] != [255, 255, 255] {
                        inked += 1;
                    }
                }
            }
            let share = inked as f64 / total as f64;
            // Scatter plots are mostly white by nature; 2 % is still far from blank.
            assert!(
                share > 0.02,
                "{name}: only {:.1} % of the plot is drawn",
                share * 100.0
            );
        }
    }

    #[test]
    fn the_title_is_drawn_as_text() {
        // Anti-aliased glyphs leave many grey levels in the title strip; no font, no text.
        for (name, buf) in all_rendered() {
            let strip = &buf[..1600 * 50 * 3];
            let greys: HashSet<[u8; 3]> = pixels(strip)
                .filter(|p| p[0] == p[1] && p[1] == p[2] && p[0] < 250)
                .collect();
            let dark = pixels(strip).filter(|p| p[0] < 100).count();
            assert!(greys.len() >= 20 && dark > 500, "{name}: title missing");
        }
    }

    #[test]
    fn the_trend_chart_shows_every_class_and_every_line() {
        let buf = rendered("trend");
        for (what, colour) in [
            ("hard", HARD),
            ("easy", EASY),
            ("active recovery", ACTIVE_RECOVERY),
            ("unknown", UNKNOWN),
            ("soreness", SORENESS),
            ("sleep", SLEEP),
            ("acute", ACUTE),
            ("chronic", CHRONIC),
        ] {
            assert!(count_colour(buf, colour) > 200, "{what} colour missing");
        }
    }

    #[test]
    fn the_trend_chart_has_no_hard_colour_when_no_day_is_hard() {
        let mut days = six_weeks();
        for d in &mut days {
            if d.class == DayClass::Hard {
                d.class = DayClass::Easy;
            }
        }
        let buf = render(|b| render_trend(b, &style(), TREND_TITLE, &days));
        assert_eq!(count_colour(&buf, HARD), 0);
        assert!(count_colour(&buf, EASY) > 1000);
    }

    #[test]
    fn the_zones_chart_stacks_the_three_parts_of_the_band() {
        let buf = rendered("zones");
        for (what, colour) in [
            ("above", HARD),
            ("inside", ACTIVE_RECOVERY),
            ("below", BELOW_BAND),
        ] {
            assert!(count_colour(buf, colour) > 5000, "{what} missing");
        }
    }

    #[test]
    fn the_easy_days_chart_marks_the_broken_limit_in_the_hard_colour() {
        let buf = rendered("easy days");
        assert!(count_colour(buf, HARD) > 500);
        assert!(count_colour(buf, EASY) > 500);

        let within: Vec<EasySession> = easy_sessions()
            .into_iter()
            .map(|s| EasySession {
                broke_limit: false,
                ..s
            })
            .collect();
        let buf = render(|b| render_easy_days(b, &style(), "Easy", &within, 10.0));
        // The legend keeps its "broke the limit" swatch; the plot below it has no such bar.
        let plot = &buf[1600 * 120 * 3..];
        assert_eq!(count_colour(plot, HARD), 0);
    }

    #[test]
    fn the_soreness_chart_draws_the_mean_and_its_spread() {
        let buf = rendered("soreness");
        assert!(count_colour(buf, SORENESS) > 1000);
        assert!(count_near(buf, on_white(SORENESS, 0.2), 2) > 5000);
    }

    #[test]
    fn the_correlations_chart_draws_points_and_fitted_lines_in_both_panels() {
        let buf = rendered("correlations");
        for half in [0..800usize, 800..1600] {
            let mut points = 0;
            let mut line = 0;
            for y in 0..900usize {
                for x in half.clone() {
                    let i = (y * 1600 + x) * 3;
                    let p = [buf[i], buf[i + 1], buf[i + 2]];
                    points += usize::from(p == [SLEEP.0, SLEEP.1, SLEEP.2]);
                    line += usize::from(p == [0, 0, 0]);
                }
            }
            assert!(
                points > 1000 && line > 500,
                "panel {half:?}: {points} {line}"
            );
        }
    }

    #[test]
    fn the_heart_rate_trace_shades_the_band_and_the_pause() {
        let buf = rendered("hr trace");
        assert!(count_colour(buf, CHRONIC) > 1000);
        assert!(count_near(buf, on_white(ACTIVE_RECOVERY, 0.25), 2) > 20_000);
        assert!(count_near(buf, on_white(PAUSE, 0.3), 2) > 5_000);
    }

    #[test]
    fn the_same_inputs_give_byte_identical_pngs() {
        let (a, b) = (
            tempfile::tempdir().expect("temp dir"),
            tempfile::tempdir().expect("temp dir"),
        );
        for (x, y) in write_all(a.path()).iter().zip(write_all(b.path())) {
            let bytes = fs::read(x).expect("first run");
            assert!(
                bytes == fs::read(&y).expect("second run"),
                "{}",
                x.display()
            );
        }
    }

    #[test]
    fn no_temporary_file_is_left_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_all(dir.path());
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .expect("listing")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "correlations.png",
                "easy_days.png",
                "recovery_trend.png",
                "sessions",
                "soreness_after_hard.png",
                "zones.png"
            ]
        );
    }

    #[test]
    fn empty_inputs_are_nothing_to_draw_and_write_no_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let s = style();
        let p = dir.path().join("x.png");
        let empty_trace = HrTrace {
            title: "t".into(),
            samples: vec![(0.0, None), (1.0, Some(f64::NAN))],
            pauses: vec![],
            band: (120.0, 140.0),
        };
        let no_soreness = SorenessCurve {
            days: vec![CurvePoint {
                day: 1,
                mean: f64::NAN,
                sd: None,
                n: 0,
            }],
        };
        let results = [
            trend_chart(&p, "t", &[], &s),
            zones_chart(&p, "t", &[], (120, 140), &s),
            easy_days_chart(&p, "t", &[], 10.0, &s),
            soreness_chart(&p, "t", &SorenessCurve::default(), &s),
            soreness_chart(&p, "t", &no_soreness, &s),
            correlations_chart(&p, "t", &[], &s),
            hr_trace_chart(&p, &empty_trace, &s),
        ];
        for r in results {
            let err = r.expect_err("nothing to draw");
            assert!(err.downcast_ref::<NothingToDraw>().is_some(), "{err:#}");
        }
        assert_eq!(fs::read_dir(dir.path()).expect("listing").count(), 0);
    }

    #[test]
    fn odd_inputs_draw_without_panicking() {
        let s = style();
        let mut buf = vec![0u8; buffer_len(&s)];
        let one = six_weeks()[0].clone();
        let zero_loads: Vec<TrendDay> = six_weeks()
            .into_iter()
            .map(|d| TrendDay {
                load: 0.0,
                acute: 0.0,
                chronic: 0.0,
                class: DayClass::Rest,
                ..d
            })
            .collect();
        let nan_everything: Vec<TrendDay> = six_weeks()
            .into_iter()
            .map(|d| TrendDay {
                load: f64::NAN,
                acute: f64::INFINITY,
                chronic: f64::NEG_INFINITY,
                soreness: Some(f64::NAN),
                sleep_hours: Some(f64::INFINITY),
                resting_hr: Some(f64::NAN),
                hrv_ms: Some(-f64::NAN),
                ..d
            })
            .collect();
        let no_journal: Vec<TrendDay> = six_weeks()
            .into_iter()
            .map(|d| TrendDay {
                soreness: None,
                sleep_hours: None,
                resting_hr: None,
                hrv_ms: None,
                findings: vec![],
                ..d
            })
            .collect();
        let mut shuffled = six_weeks();
        shuffled.reverse();
        shuffled.push(shuffled[3].clone());
        let extreme: Vec<TrendDay> = vec![
            TrendDay {
                load: 1e300,
                soreness: Some(-40.0),
                sleep_hours: Some(1e9),
                findings: (0..20)
                    .map(|i| format!("rule {i} with a long name"))
                    .collect(),
                ..one.clone()
            },
            TrendDay {
                date: one.date + TimeDelta::days(3000),
                load: -5.0,
                ..one.clone()
            },
        ];
        for days in [
            vec![one.clone()],
            zero_loads,
            nan_everything,
            no_journal,
            shuffled,
            extreme,
        ] {
            render_trend(&mut buf, &s, "odd", &days).expect("draws");
        }

        let odd_weeks = vec![
            WeekZones {
                week_start: first_day(),
                below_min: 0.0,
                in_min: 0.0,
                above_min: 0.0,
            },
            WeekZones {
                week_start: first_day() + TimeDelta::days(3),
                below_min: f64::NAN,
                in_min: -3.0,
                above_min: 1e12,
            },
        ];
        render_zones(&mut buf, &s, "odd", &odd_weeks, (140, 120)).expect("draws");
        render_zones(&mut buf, &s, "odd", &odd_weeks[..1], (120, 140)).expect("draws");

        let odd_sessions = vec![EasySession {
            date: first_day(),
            label: String::new(),
            above_min: f64::NAN,
            broke_limit: true,
        }];
        for limit in [10.0, f64::NAN, -1.0, 0.0, 1e9] {
            render_easy_days(&mut buf, &s, "odd", &odd_sessions, limit).expect("draws");
        }

        let odd_curve = SorenessCurve {
            days: vec![
                CurvePoint {
                    day: 9,
                    mean: 3.0,
                    sd: None,
                    n: 4,
                },
                CurvePoint {
                    day: 2,
                    mean: 14.0,
                    sd: Some(f64::NAN),
                    n: 1,
                },
                CurvePoint {
                    day: 0,
                    mean: -2.0,
                    sd: Some(-1.0),
                    n: 1,
                },
            ],
        };
        render_soreness(&mut buf, &s, "odd", &odd_curve).expect("draws");

        let odd_panels = vec![
            Scatter {
                title: String::new(),
                x_label: String::new(),
                y_label: String::new(),
                points: vec![],
                fit: Some((f64::NAN, 1.0)),
                legend: String::new(),
            },
            Scatter {
                title: "one point".into(),
                x_label: "x".into(),
                y_label: "y".into(),
                points: vec![(1.0, 1.0), (f64::NAN, 2.0)],
                fit: Some((0.0, 1.0)),
                legend: "n = 1".into(),
            },
            Scatter {
                title: "vertical".into(),
                x_label: "x".into(),
                y_label: "y".into(),
                points: vec![(1.0, 1.0), (1.0, 5.0), (1.0, 1e200)],
                fit: Some((1e300, -1e300)),
                legend: "n = 3".into(),
            },
        ];
        render_correlations(&mut buf, &s, "odd", &odd_panels).expect("draws");

        let odd_trace = HrTrace {
            title: String::new(),
            samples: vec![
                (5.0, Some(130.0)),
                (f64::NAN, Some(120.0)),
                (-3.0, Some(400.0)),
            ],
            pauses: vec![(2.0, 1.0), (f64::NAN, 3.0), (0.0, 100.0)],
            band: (f64::NAN, 140.0),
        };
        render_hr_trace(&mut buf, &s, &odd_trace).expect("draws");
        let single = HrTrace {
            samples: vec![(0.0, Some(120.0))],
            ..trace()
        };
        render_hr_trace(&mut buf, &s, &single).expect("draws");
    }

    #[test]
    fn the_smallest_size_draws_every_chart() {
        let s = ChartStyle {
            width: 320,
            height: 180,
        };
        let mut buf = vec![0u8; buffer_len(&s)];
        render_trend(&mut buf, &s, TREND_TITLE, &six_weeks()).expect("trend");
        render_zones(&mut buf, &s, "z", &weeks(), (120, 140)).expect("zones");
        render_easy_days(&mut buf, &s, "e", &easy_sessions(), 10.0).expect("easy");
        render_soreness(&mut buf, &s, "s", &curve()).expect("soreness");
        render_correlations(&mut buf, &s, "c", &panels()).expect("correlations");
        render_hr_trace(&mut buf, &s, &trace()).expect("trace");
    }

    #[test]
    fn a_size_out_of_range_or_a_wrong_buffer_is_an_error() {
        let days = six_weeks();
        for (w, h) in [(0, 0), (319, 900), (1600, 179), (4097, 900), (1600, 5000)] {
            let s = ChartStyle {
                width: w,
                height: h,
            };
            let mut buf = vec![0u8; buffer_len(&s)];
            assert!(render_trend(&mut buf, &s, "t", &days).is_err());
        }
        let mut short = vec![0u8; 10];
        assert!(render_trend(&mut short, &style(), "t", &days).is_err());
    }

    #[test]
    fn day_ticks_fall_on_mondays_once_they_are_a_week_or_more_apart() {
        // 2026-01-07 is a Wednesday; 41 days leave room for weekly ticks only.
        let axis = Axis::new(-0.6..41.6, Ticks::Days(date(2026, 1, 7)));
        let ticks = axis.key_points(8usize);
        let labels: Vec<String> = ticks.iter().map(|t| axis.label(*t)).collect();
        assert_eq!(
            labels,
            ["Jan 12", "Jan 19", "Jan 26", "Feb 02", "Feb 09", "Feb 16"]
        );
        let short = Axis::new(-0.6..4.6, Ticks::Days(date(2026, 1, 7)));
        assert_eq!(short.key_points(10usize), [0.0, 1.0, 2.0, 3.0, 4.0]);
    }

    #[test]
    fn number_ticks_are_round_and_labels_are_short() {
        let axis = Axis::numbers(0.0..10.5);
        assert_eq!(axis.key_points(6usize), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (10.0, "10"),
            (2.5, "2.5"),
            (0.25, "0.25"),
            (-3.0, "-3"),
        ];
        for (v, s) in cases {
            assert_eq!(format_number(v), s);
        }
    }

    #[test]
    fn an_empty_range_is_widened_so_it_can_be_drawn() {
        let axis = Axis::numbers(5.0..5.0);
        assert_eq!(axis.range(), 4.5..5.5);
        let axis = Axis::numbers(f64::NAN..1.0);
        assert_eq!(axis.range(), 0.0..1.0);
        assert_eq!(axis.map(&f64::NAN, (0, 100)), 0);
    }

    #[test]
    fn a_fitted_line_stops_at_the_edge_of_the_plot() {
        let seg = clip_line(2.0, 0.0, &(0.0..10.0), &(0.0..10.0)).expect("crosses the box");
        assert_eq!(seg, [(0.0, 0.0), (5.0, 10.0)]);
        assert!(clip_line(0.0, 20.0, &(0.0..10.0), &(0.0..10.0)).is_none());
    }

    #[test]
    fn lines_break_at_missing_values_and_skipped_days() {
        let points = [
            (0.0, Some(1.0)),
            (1.0, Some(2.0)),
            (2.0, None),
            (3.0, Some(3.0)),
            (5.0, Some(4.0)),
            (6.0, Some(f64::NAN)),
        ];
        let r = runs(points.into_iter(), 1.0);
        assert_eq!(
            r,
            vec![
                vec![(0.0, 1.0), (1.0, 2.0)],
                vec![(3.0, 3.0)],
                vec![(5.0, 4.0)]
            ]
        );
    }

    #[test]
    fn the_most_frequent_rules_get_their_own_rows() {
        let days = six_weeks();
        let refs: Vec<&TrendDay> = days.iter().collect();
        assert_eq!(
            rule_rows(&refs),
            ["short_recovery", "easy_too_hard", "sleep_debt"]
        );
    }

    /// Writes the example charts to `$RECOVERY_CHART_EXAMPLES` when it is set, to look at them
    /// (`RECOVERY_CHART_EXAMPLES=/tmp/charts cargo test writes_example`); a no-op otherwise.
    #[test]
    fn writes_example_charts_when_asked() {
        if let Some(dir) = std::env::var_os("RECOVERY_CHART_EXAMPLES") {
            write_all(Path::new(&dir));
        }
    }
}
