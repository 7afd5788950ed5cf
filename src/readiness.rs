//! The athlete's own baselines, for any morning: ln HRV against its normal band, resting
//! heart rate against its mean and SD, and the 7-night sleep debt. The readiness rules
//! (`rules/hrv.rs`, `rules/resting_hr.rs`, `rules/sleep_debt.rs`), `days.csv` and
//! `readiness.png` all read these, so they cannot disagree.
//!
//! Only days that happened count: a day the plan imagines (`Day::projected`) has no
//! reading, and its unknown values are never taken as data.

use chrono::{Duration, NaiveDate};

use crate::days::Day;
use crate::rules::RuleConfig;

/// Which HRV measure a value is. Baselines are kept per metric: an SDNN value never enters
/// an rMSSD baseline (they differ in size and meaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HrvMetric {
    /// Root mean square of successive differences: the journal's `hrv_ms` and Garmin's
    /// overnight HRV.
    Rmssd,
    /// Standard deviation of NN intervals (Apple Health).
    Sdnn,
}

impl HrvMetric {
    /// The label every table, chart and reason shows.
    pub fn label(self) -> &'static str {
        match self {
            HrvMetric::Rmssd => "rMSSD",
            HrvMetric::Sdnn => "SDNN",
        }
    }

    /// The day's value of this metric, ms. `Day::hrv_ms` holds rMSSD (journal and Garmin);
    /// an SDNN source adds its own field and its arm here.
    pub fn of(self, day: &Day) -> Option<f64> {
        if day.projected {
            return None;
        }
        let v = match self {
            HrvMetric::Rmssd => day.hrv_ms,
            HrvMetric::Sdnn => None,
        };
        v.filter(|v| v.is_finite() && *v > 0.0)
    }
}

/// The day on `date` (days are one per date, contiguous).
fn day_on(days: &[Day], date: NaiveDate) -> Option<&Day> {
    let first = days.first()?.date;
    usize::try_from((date - first).num_days())
        .ok()
        .and_then(|i| days.get(i))
        .filter(|d| d.date == date)
}

/// The values of `get` on the `n` days ending with `last` (inclusive), oldest first.
fn window(days: &[Day], last: NaiveDate, n: i64, get: impl Fn(&Day) -> Option<f64>) -> Vec<f64> {
    (0..n)
        .rev()
        .filter_map(|k| day_on(days, last - Duration::days(k)).and_then(&get))
        .collect()
}

/// Mean and sample SD (n − 1).
fn mean_sd(x: &[f64]) -> Option<(f64, f64)> {
    Some((crate::stats::mean(x)?, crate::stats::sd(x)?))
}

/// HRV on one morning against the athlete's normal band, in ln ms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HrvState {
    pub metric: HrvMetric,
    /// Mean of the ln values of the last `hrv_mean_days` days (this morning included).
    pub mean_7d: f64,
    /// The band: mean of the last `hrv_baseline_days` days' ln values − / + the multipliers × SD.
    pub low: f64,
    pub high: f64,
    /// The baseline: mean of the ln values of the band's days.
    pub baseline_mean: f64,
    /// Readings behind the 7-day mean and behind the band.
    pub recent: usize,
    pub baseline: usize,
}

impl HrvState {
    pub fn below(&self) -> bool {
        self.mean_7d < self.low
    }
}

/// What the HRV rule needs and did not have on a morning.
#[derive(Debug, Clone, PartialEq)]
pub enum HrvGap {
    /// No reading of this metric in the baseline window at all.
    None,
    /// Too few readings: (readings in the baseline window, needed), (in the last days, needed).
    TooFew {
        baseline: (usize, usize),
        recent: (usize, usize),
    },
}

/// HRV state on the morning of `date`, or what is missing for one.
pub fn hrv(
    days: &[Day],
    date: NaiveDate,
    metric: HrvMetric,
    cfg: &RuleConfig,
) -> Result<HrvState, HrvGap> {
    let ln = |d: &Day| metric.of(d).map(f64::ln);
    let base = window(days, date, cfg.hrv_baseline_days, ln);
    let recent = window(days, date, cfg.hrv_mean_days, ln);
    if base.is_empty() {
        return Err(HrvGap::None);
    }
    if base.len() < cfg.hrv_min_readings || recent.len() < cfg.hrv_min_recent {
        return Err(HrvGap::TooFew {
            baseline: (base.len(), cfg.hrv_min_readings),
            recent: (recent.len(), cfg.hrv_min_recent),
        });
    }
    let (m, sd) = mean_sd(&base).ok_or(HrvGap::None)?;
    let mean_7d = crate::stats::mean(&recent).ok_or(HrvGap::None)?;
    Ok(HrvState {
        metric,
        mean_7d,
        low: m - cfg.hrv_band_low_sd * sd,
        high: m + cfg.hrv_band_high_sd * sd,
        baseline_mean: m,
        recent: recent.len(),
        baseline: base.len(),
    })
}

/// Resting HR on one morning against the days before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RhrState {
    /// This morning's resting HR, bpm, if logged.
    pub today: Option<f64>,
    pub mean: f64,
    pub sd: f64,
    /// Readings in the baseline.
    pub n: usize,
    /// The level above which a morning is elevated: mean + max(k × SD, floor).
    pub limit: f64,
}

impl RhrState {
    pub fn elevated(&self) -> bool {
        self.today.is_some_and(|r| r > self.limit)
    }
}

/// Resting-HR baseline for the morning of `date`: the `rhr_baseline_days` days before it
/// (not the morning itself), when it holds at least `rhr_min_readings` readings.
pub fn resting_hr(days: &[Day], date: NaiveDate, cfg: &RuleConfig) -> Option<RhrState> {
    let real = |d: &Day| d.resting_hr.filter(|_| !d.projected);
    let base = window(days, date - Duration::days(1), cfg.rhr_baseline_days, real);
    if base.len() < cfg.rhr_min_readings {
        return None;
    }
    let (mean, sd) = mean_sd(&base)?;
    Some(RhrState {
        today: day_on(days, date).and_then(real),
        mean,
        sd,
        n: base.len(),
        limit: mean + (cfg.rhr_sd * sd).max(cfg.rhr_rise),
    })
}

/// Sleep debt on the morning of `date`: over the `sleep_debt_nights` nights ending that
/// morning, the sum of each logged night's shortfall under the need (`sleep_need_h`, plus
/// `sleep_after_hard_h − sleep_h` after a hard day). A night over the need repays nothing:
/// the debt counts shortfalls only. Gives (hours, nights logged); `None` with no night logged.
pub fn sleep_debt(days: &[Day], date: NaiveDate, cfg: &RuleConfig) -> Option<(f64, usize)> {
    let extra = (cfg.sleep_after_hard_h - cfg.sleep_h).max(0.0);
    let mut debt = 0.0;
    let mut nights = 0;
    for k in 0..cfg.sleep_debt_nights {
        let morning = date - Duration::days(k);
        let Some(slept) = day_on(days, morning)
            .filter(|d| !d.projected)
            .and_then(|d| d.sleep_hours)
        else {
            continue;
        };
        let after_hard = day_on(days, morning - Duration::days(1)).is_some_and(Day::is_hard);
        let need = cfg.sleep_need_h + if after_hard { extra } else { 0.0 };
        debt += (need - slept).max(0.0);
        nights += 1;
    }
    (nights > 0).then_some((debt, nights))
}

/// One day's readiness figures, for `days.csv` and `readiness.png`.
#[derive(Debug, Clone, PartialEq)]
pub struct DayReadiness {
    pub date: NaiveDate,
    /// The HRV metric the figures below are of (`rMSSD`), when the day has HRV figures.
    pub hrv_metric: Option<&'static str>,
    /// The day's own ln HRV.
    pub hrv_ln: Option<f64>,
    /// 7-day mean of ln HRV and the normal band (ln ms), when there are enough readings.
    pub hrv_ln_7d: Option<f64>,
    pub hrv_band_low: Option<f64>,
    pub hrv_band_high: Option<f64>,
    /// The 60-day mean of ln HRV the band is centred on.
    pub hrv_baseline: Option<f64>,
    /// Resting-HR baseline (the days before) and its SD, bpm.
    pub rhr_baseline: Option<f64>,
    pub rhr_baseline_sd: Option<f64>,
    /// Sleep debt over the last nights, hours.
    pub sleep_debt_h: Option<f64>,
    /// The readiness rules that lowered the advice for this morning (`hrv_below_normal`,
    /// `resting_hr_up`, `sleep_debt`), filled in by the rule book.
    pub lowered_by: Vec<&'static str>,
}

/// The readiness figures of every day (real days only; a projected day has none).
pub fn by_day(days: &[Day], metric: HrvMetric, cfg: &RuleConfig) -> Vec<DayReadiness> {
    days.iter()
        .map(|d| {
            let h = hrv(days, d.date, metric, cfg).ok().filter(|_| !d.projected);
            let r = resting_hr(days, d.date, cfg).filter(|_| !d.projected);
            DayReadiness {
                date: d.date,
                hrv_metric: h.map(|s| s.metric.label()),
                hrv_ln: metric.of(d).map(f64::ln),
                hrv_ln_7d: h.map(|s| s.mean_7d),
                hrv_band_low: h.map(|s| s.low),
                hrv_band_high: h.map(|s| s.high),
                hrv_baseline: h.map(|s| s.baseline_mean),
                rhr_baseline: r.map(|s| s.mean),
                rhr_baseline_sd: r.map(|s| s.sd),
                sleep_debt_h: sleep_debt(days, d.date, cfg)
                    .filter(|_| !d.projected)
                    .map(|(h, _)| h),
                lowered_by: Vec::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::fixtures::*;
    use crate::journal::JournalEntry;
    use crate::rules::testing::World;

    /// A journal of `hrv` values from 2026-03-01, one per day; `None` leaves HRV unlogged.
    fn hrv_world(hrv: &[Option<f64>]) -> World {
        let rows: Vec<JournalEntry> = hrv
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let d = date("2026-03-01") + Duration::days(i as i64);
                let mut e = entry(&d.to_string(), 1.0, 8.0, None);
                e.hrv_ms = *h;
                e
            })
            .collect();
        World::new(vec![easy("2026-03-01")], Some(&journal(rows)))
    }

    fn on(i: i64) -> NaiveDate {
        date("2026-03-01") + Duration::days(i)
    }

    #[test]
    fn the_seven_day_mean_and_band_match_hand_worked_numbers() {
        // 20 mornings alternating e^4 and e^4.2 ms: ln values 4, 4.2, 4, ... .
        // Baseline (all 20): mean 4.1; sample SD = sqrt(20 × 0.01 / 19) = 0.102598.
        // Band ±0.5 SD: 4.048701 .. 4.151299. Last 7 (index 13..19: 4.2,4,4.2,4,4.2,4,4.2):
        // mean = (4 × 4.2 + 3 × 4) / 7 = 4.114286.
        let v: Vec<Option<f64>> = (0..20)
            .map(|i| Some(if i % 2 == 0 { 4.0_f64 } else { 4.2 }.exp()))
            .collect();
        let w = hrv_world(&v);
        let s = hrv(&w.days, on(19), HrvMetric::Rmssd, &w.cfg).expect("enough readings");
        assert!((s.mean_7d - 4.114286).abs() < 1e-6, "{}", s.mean_7d);
        assert!((s.low - 4.048701).abs() < 1e-6, "{}", s.low);
        assert!((s.high - 4.151299).abs() < 1e-6, "{}", s.high);
        assert_eq!((s.recent, s.baseline), (7, 20));
        assert!(!s.below());
    }

    #[test]
    fn the_baseline_reaches_back_sixty_days_and_no_further() {
        // 61 mornings: the first at e^10 (far off), then 60 at e^4. On day 60 the first is
        // outside the window: mean 4, SD 0, so the band is 4..4.
        let mut v = vec![Some(10.0_f64.exp())];
        v.extend((0..60).map(|_| Some(4.0_f64.exp())));
        let w = hrv_world(&v);
        let s = hrv(&w.days, on(60), HrvMetric::Rmssd, &w.cfg).expect("enough");
        assert!((s.low - 4.0).abs() < 1e-9 && (s.high - 4.0).abs() < 1e-9);
        assert_eq!(s.baseline, 60);
        // One day earlier the outlier is in: the band is wide.
        let s = hrv(&w.days, on(59), HrvMetric::Rmssd, &w.cfg).expect("enough");
        assert!(s.high - s.low > 0.5);
    }

    #[test]
    fn three_low_mornings_put_the_seven_day_mean_below_the_band() {
        // 30 mornings at 65 ms with a small wobble, then three at 45 ms.
        let mut v: Vec<Option<f64>> = (0..30)
            .map(|i| Some(65.0 + [-3.0, 0.0, 3.0][i % 3]))
            .collect();
        v.extend([Some(45.0); 3]);
        let w = hrv_world(&v);
        let s = hrv(&w.days, on(32), HrvMetric::Rmssd, &w.cfg).expect("enough");
        // Hand check: the last 7 are 68, 62, 65, 68, 45, 45, 45 ms; ln: 4.2195 + 4.1271 +
        // 4.1744 + 4.2195 + 3 × 3.8067 = 28.1605, / 7 = 4.0229.
        assert!((s.mean_7d - 4.0229).abs() < 0.0005, "{}", s.mean_7d);
        assert!(s.below(), "{s:?}");
        let s = hrv(&w.days, on(29), HrvMetric::Rmssd, &w.cfg).expect("enough");
        assert!(!s.below(), "{s:?}");
    }

    #[test]
    fn fewer_than_fourteen_readings_or_three_in_the_week_is_a_gap_naming_both_counts() {
        // 13 readings: not enough for the band.
        let v: Vec<Option<f64>> = (0..13).map(|_| Some(60.0)).collect();
        let w = hrv_world(&v);
        assert_eq!(
            hrv(&w.days, on(12), HrvMetric::Rmssd, &w.cfg),
            Err(HrvGap::TooFew {
                baseline: (13, 14),
                recent: (7, 3)
            })
        );
        // 20 readings, then 6 unlogged mornings and one logged: 1 in the last 7.
        let mut v: Vec<Option<f64>> = (0..20).map(|_| Some(60.0)).collect();
        v.extend([None, None, None, None, None, None, Some(60.0)]);
        let w = hrv_world(&v);
        assert_eq!(
            hrv(&w.days, on(26), HrvMetric::Rmssd, &w.cfg),
            Err(HrvGap::TooFew {
                baseline: (21, 14),
                recent: (1, 3)
            })
        );
        // Exactly 14 and 3 is enough.
        let mut v: Vec<Option<f64>> = (0..11).map(|_| Some(60.0)).collect();
        v.extend([None, None, None, None, Some(60.0), Some(60.0), Some(60.0)]);
        let w = hrv_world(&v);
        assert!(hrv(&w.days, on(17), HrvMetric::Rmssd, &w.cfg).is_ok());
    }

    #[test]
    fn no_hrv_at_all_is_no_gap_to_report_and_sdnn_never_reads_rmssd() {
        let w = hrv_world(&[None, None]);
        assert_eq!(
            hrv(&w.days, on(1), HrvMetric::Rmssd, &w.cfg),
            Err(HrvGap::None)
        );
        let v: Vec<Option<f64>> = (0..20).map(|_| Some(60.0)).collect();
        let w = hrv_world(&v);
        assert_eq!(
            hrv(&w.days, on(19), HrvMetric::Sdnn, &w.cfg),
            Err(HrvGap::None)
        );
        assert_eq!(HrvMetric::Rmssd.label(), "rMSSD");
    }

    #[test]
    fn resting_hr_baseline_is_the_days_before_and_the_limit_takes_the_larger_of_sd_and_floor() {
        // 30 mornings alternating 48 and 52: mean 50, sample SD = sqrt(30 × 4 / 29) = 2.034.
        // Limit = 50 + max(1 × 2.034, 3) = 53. The 31st morning at 54 is elevated, 53 is not.
        let rows: Vec<JournalEntry> = (0..31)
            .map(|i| {
                let mut e = entry(&on(i).to_string(), 1.0, 8.0, None);
                e.resting_hr = Some(if i == 30 {
                    54.0
                } else if i % 2 == 0 {
                    48.0
                } else {
                    52.0
                });
                e
            })
            .collect();
        let w = World::new(vec![easy("2026-03-01")], Some(&journal(rows)));
        let s = resting_hr(&w.days, on(30), &w.cfg).expect("30 readings");
        assert!((s.mean - 50.0).abs() < 1e-9);
        assert!((s.sd - 2.034).abs() < 0.001, "{}", s.sd);
        assert!((s.limit - 53.0).abs() < 1e-9);
        assert!(s.elevated());
        // 29 readings before the morning: no baseline yet.
        assert!(resting_hr(&w.days, on(29), &w.cfg).is_none());
    }

    #[test]
    fn sleep_debt_sums_each_nights_shortfall_with_more_needed_after_a_hard_day() {
        // Need 7.5 h, 8.5 h after a hard day (8 − 7 = 1 h extra). Nights ending 03-02..03-08.
        // 03-03 follows the hard 03-02: need 8.5, slept 7.0 → 1.5. Others: 6.5 → 1.0 (×3),
        // 8.0 → 0 (×2), one unlogged. Debt 4.5 h over 6 nights.
        let slept = [
            ("2026-03-02", Some(8.0)),
            ("2026-03-03", Some(7.0)),
            ("2026-03-04", Some(6.5)),
            ("2026-03-05", Some(6.5)),
            ("2026-03-06", None),
            ("2026-03-07", Some(6.5)),
            ("2026-03-08", Some(8.0)),
        ];
        let rows: Vec<JournalEntry> = slept
            .iter()
            .map(|(d, h)| {
                let mut e = entry(d, 1.0, 8.0, None);
                e.sleep_hours = *h;
                e
            })
            .collect();
        let w = World::new(
            vec![easy("2026-03-01"), hard("2026-03-02")],
            Some(&journal(rows)),
        );
        let (debt, nights) = sleep_debt(&w.days, date("2026-03-08"), &w.cfg).expect("logged");
        assert!((debt - 4.5).abs() < 1e-9, "{debt}");
        assert_eq!(nights, 6);
    }
}
