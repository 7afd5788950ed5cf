//! Pixel tests of every chart, on fixtures built here.

use std::collections::HashSet;
use std::fs;
use std::sync::OnceLock;

use anyhow::Result;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, TimeDelta};
use plotters::prelude::*;

use super::correlations::*;
use super::easy_days::*;
use super::hr_trace::*;
use super::kit::*;
use super::readiness::*;
use super::soreness::*;
use super::trend::*;
use super::zones::*;

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
            days: 7,
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

fn curve() -> SorenessPlot {
    let rows = [
        (2.1, 1.0, 12),
        (5.8, 1.6, 12),
        (4.6, 1.5, 11),
        (3.2, 1.2, 11),
        (2.4, 1.0, 9),
        (2.0, 0.9, 7),
    ];
    SorenessPlot {
        days: rows
            .iter()
            .enumerate()
            .map(|(day, &(mean, sd, n))| MeanSoreness {
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

/// 70 days from Monday 2026-01-05: ln rMSSD about 4.15 with a low spell on days 40–43
/// (7-day mean and band as a caller would give them), resting HR about 50, and a sleep
/// debt that grows over the spell; the advice lowered on days 41–46.
fn readiness_days() -> Vec<ReadinessDay> {
    (0..70)
        .map(|i| {
            let low = (40..=43).contains(&i);
            ReadinessDay {
                date: first_day() + TimeDelta::days(i),
                hrv_ln: (i % 9 != 4).then_some(if low {
                    3.75
                } else {
                    4.15 + ((i % 5) as f64 - 2.0) * 0.03
                }),
                hrv_ln_7d: (i >= 14).then_some(if (40..=46).contains(&i) { 3.95 } else { 4.15 }),
                band_low: (i >= 14).then_some(4.1),
                band_high: (i >= 14).then_some(4.2),
                resting_hr: Some(if low { 56.0 } else { 49.0 + (i % 3) as f64 }),
                rhr_baseline: (i >= 30).then_some(50.0),
                rhr_sd: (i >= 30).then_some(1.5),
                sleep_debt_h: Some(if low { 5.5 } else { 1.0 + (i % 4) as f64 * 0.5 }),
                lowered: (41..=46).contains(&i),
            }
        })
        .collect()
}

const READINESS_TITLE: &str =
    "Readiness against your own baselines, Jan 05 – Mar 15 2026 (sample_data)";

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
        (
            "readiness",
            render(|b| render_readiness(b, &s, READINESS_TITLE, &readiness_days(), "rMSSD", 5.0)),
        ),
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
    let mut reader = ::png::Decoder::new(file)
        .read_info()
        .expect("the chart is a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("the PNG decodes");
    assert_eq!(info.color_type, ::png::ColorType::Rgb);
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
    soreness_chart(&p("soreness_after_hard.png"), SORENESS_TITLE, &curve(), &s).expect("soreness");
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
        ..ChartStyle::default()
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
fn the_readiness_chart_shades_the_band_the_baseline_and_the_lowered_days() {
    let buf = rendered("readiness");
    assert!(
        count_near(buf, on_white(ACTIVE_RECOVERY, 0.35), 2) > 1000,
        "HRV band"
    );
    assert!(
        count_near(buf, on_white(SORENESS, 0.25), 2) > 1000,
        "resting-HR band"
    );
    assert!(
        count_near(buf, on_white(HARD, 0.18), 2) > 1000,
        "lowered days"
    );
    assert!(count_colour(buf, SLEEP) > 1000, "sleep debt bars");
    assert!(count_colour(buf, SORENESS) > 50, "resting-HR dots");
}

#[test]
fn a_readiness_span_over_a_year_draws_weekly_means() {
    // 500 days: the chart draws a point per week, so the HRV dots are about 72, not 500.
    let days: Vec<ReadinessDay> = (0..500)
        .map(|i| ReadinessDay {
            date: first_day() + TimeDelta::days(i),
            hrv_ln: Some(4.0 + (i % 7) as f64 * 0.01),
            hrv_ln_7d: None,
            band_low: None,
            band_high: None,
            resting_hr: None,
            rhr_baseline: None,
            rhr_sd: None,
            sleep_debt_h: None,
            lowered: i == 250,
        })
        .collect();
    let s = style();
    let buf = render(|b| render_readiness(b, &s, READINESS_TITLE, &days, "rMSSD", 5.0));
    let daily = render(|b| render_readiness(b, &s, READINESS_TITLE, &days[..300], "rMSSD", 5.0));
    // Fewer, wider-spaced points: less black ink than 300 daily dots.
    assert!(
        count_colour(&buf, CHRONIC) < count_colour(&daily, CHRONIC),
        "{} vs {}",
        count_colour(&buf, CHRONIC),
        count_colour(&daily, CHRONIC)
    );
    assert!(
        count_near(&buf, on_white(HARD, 0.18), 2) > 100,
        "the lowered week is shaded"
    );
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
    let no_soreness = SorenessPlot {
        days: vec![MeanSoreness {
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
        soreness_chart(&p, "t", &SorenessPlot::default(), &s),
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
            days: 7,
            week_start: first_day(),
            below_min: 0.0,
            in_min: 0.0,
            above_min: 0.0,
        },
        WeekZones {
            days: 7,
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

    let odd_curve = SorenessPlot {
        days: vec![
            MeanSoreness {
                day: 9,
                mean: 3.0,
                sd: None,
                n: 4,
            },
            MeanSoreness {
                day: 2,
                mean: 14.0,
                sd: Some(f64::NAN),
                n: 1,
            },
            MeanSoreness {
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
        ..ChartStyle::default()
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
            ..ChartStyle::default()
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

/// Writes the example charts to `$RECOVERY_CHART_EXAMPLES`, to look at them.
#[test]
#[ignore = "writes example charts into $RECOVERY_CHART_EXAMPLES for a person to look at"]
fn writes_example_charts_to_look_at() {
    // Not a check (every_chart_decodes_as_a_png_of_the_requested_size is), so ignored:
    // `RECOVERY_CHART_EXAMPLES=DIR cargo test -- --ignored writes_example_charts_to_look_at`.
    let dir = std::env::var_os("RECOVERY_CHART_EXAMPLES")
        .expect("set RECOVERY_CHART_EXAMPLES to the folder to write the example charts into");
    for path in write_all(Path::new(&dir)) {
        assert!(path.is_file(), "{}", path.display());
    }
}

/// Two years of the six-week pattern, without journal or heart values.
fn two_years_without_journal() -> Vec<TrendDay> {
    let base = six_weeks();
    (0..730i64)
        .map(|i| {
            let d = &base[i as usize % base.len()];
            TrendDay {
                date: first_day() + TimeDelta::days(i),
                soreness: None,
                sleep_hours: None,
                resting_hr: None,
                hrv_ms: None,
                ..d.clone()
            }
        })
        .collect()
}

#[test]
fn past_a_year_the_trend_draws_weekly_bars_that_leave_white_between_them() {
    let days = two_years_without_journal();
    let buf = render(|b| render_trend(b, &style(), "two years", &days));
    let hard = count_colour(&buf, RGBColor(0xD5, 0x5E, 0x00));
    let easy = count_colour(&buf, RGBColor(0x00, 0x9E, 0x73));
    assert!(hard > 20_000 && easy > 10_000, "hard {hard}, easy {easy}");
    // 105 weekly bars over ~1,300 px: about 12 px each, with a gap of white between.
    let white = count_colour(&buf, WHITE);
    let share = white as f64 / (buf.len() / 3) as f64;
    assert!((0.4..0.95).contains(&share), "{share}");
    // The daily chart of the same data would have used the acute colour; weekly has none.
    assert_eq!(count_colour(&buf, ACUTE), 0);
}

#[test]
fn panels_and_legend_entries_without_data_are_left_out() {
    let days = two_years_without_journal();
    let buf = render(|b| render_trend(b, &style(), "no journal", &days[..60]));
    assert_eq!(
        count_colour(&buf, SORENESS),
        0,
        "no soreness panel or legend"
    );
    assert_eq!(count_colour(&buf, SLEEP), 0, "no sleep panel or legend");
    // With the journal back, both appear.
    let buf = rendered("trend");
    assert!(count_colour(buf, SORENESS) > 0 && count_colour(buf, SLEEP) > 0);
}

#[test]
fn date_labels_carry_the_year_when_the_span_crosses_one() {
    let start = date(2025, 12, 1);
    let within = Axis::new(0.0..20.0, Ticks::Days(start));
    assert_eq!(within.label(7.0), "Dec 08");
    let across = Axis::new(0.0..60.0, Ticks::Days(start));
    assert_eq!(across.label(7.0), "Dec 08 2025");
    assert_eq!(across.label(42.0), "Jan 12 2026");
    // Long spans tick on month starts, then on Januaries.
    let months = Axis::new(0.0..400.0, Ticks::Days(start));
    let ticks = months.day_ticks(start, 8);
    assert!(!ticks.is_empty());
    for t in &ticks {
        assert_eq!(day_at(start, *t).map(|d| d.day()), Some(1), "{t}");
    }
    assert_eq!(months.label(31.0), "Jan 2026");
    let decade = Axis::new(0.0..3650.0, Ticks::Days(start));
    assert_eq!(decade.label(31.0), "2026");
    let years = decade.day_ticks(start, 12);
    assert!(years
        .iter()
        .all(|t| day_at(start, *t).is_some_and(|d| d.month() == 1 && d.day() == 1)));
}

#[test]
fn the_soreness_curve_draws_a_repeated_day_once() {
    let mut twice = curve();
    twice.days.push(twice.days[2].clone());
    let once = render(|b| render_soreness(b, &style(), SORENESS_TITLE, &curve()));
    let again = render(|b| render_soreness(b, &style(), SORENESS_TITLE, &twice));
    assert_eq!(once, again);
}
