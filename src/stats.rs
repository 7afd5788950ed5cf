//! Pure statistics: summaries, correlations (plain and partial), mean differences, the
//! moving-block bootstrap for dependent days and Benjamini–Hochberg q-values. The t and
//! normal laws come from `statrs`.
//!
//! Conventions shared by everything here:
//! - A non-finite value (NaN, ±∞) is missing data and is skipped. Paired functions drop a pair
//!   when either side is missing; the `n` fields say how many values were actually used.
//! - Nothing panics. Where a statistic is undefined (too few values, no spread, paired slices of
//!   different lengths, a probability outside its range) the answer is `None`, never NaN.
//! - Intervals are 95 % and p-values two-sided, the only forms the reports print.

use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};

/// Φ⁻¹(0.975), the normal critical value for a two-sided 95 % interval (SciPy `ndtri(0.975)`).
const Z_975: f64 = 1.959_963_984_540_054;

/// A correlation coefficient with its 95 % interval and two-sided p-value, all of which
/// assume independent pairs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Correlation {
    /// Pairs used, after dropping those with a missing value.
    pub n: usize,
    /// The coefficient, in [−1, 1].
    pub r: f64,
    /// Lower end of the 95 % Fisher-z interval: standard error 1/√(n − 3 − k) for Pearson's r
    /// with k variables controlled, Bonett & Wright's √((1 + ρ²/2)/(n − 3)) for Spearman's ρ;
    /// `None` when the standard error needs more pairs than there are.
    pub ci_low: Option<f64>,
    /// Upper end of the 95 % Fisher-z interval; `None` exactly when `ci_low` is.
    pub ci_high: Option<f64>,
    /// Two-sided p-value for r ≠ 0, from t = r·√(df/(1−r²)) with df = n − 2 − k.
    pub p_value: f64,
}

/// The difference of two group means with a Welch 95 % interval and two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanDiff {
    /// Values used from group a.
    pub n_a: usize,
    /// Values used from group b.
    pub n_b: usize,
    /// Mean of group a.
    pub mean_a: f64,
    /// Mean of group b.
    pub mean_b: f64,
    /// `mean_a − mean_b`.
    pub diff: f64,
    /// Lower end of the 95 % Welch interval for `diff`.
    pub ci_low: f64,
    /// Upper end of the 95 % Welch interval for `diff`.
    pub ci_high: f64,
    /// Two-sided Welch p-value for `diff ≠ 0`.
    pub p_value: f64,
}

/// Arithmetic mean of the finite values; `None` when there are none.
pub fn mean(x: &[f64]) -> Option<f64> {
    let (sum, n) = x
        .iter()
        .filter(|v| v.is_finite())
        .fold((0.0, 0_usize), |(sum, n), v| (sum + v, n + 1));
    if n == 0 {
        return None;
    }
    finite(sum / n as f64)
}

/// Sample variance (divisor n − 1) of the finite values; `None` with fewer than two.
fn variance(x: &[f64]) -> Option<f64> {
    let v = finite_values(x);
    if v.len() < 2 {
        return None;
    }
    let (_, ss) = mean_and_ss(&v)?;
    Some(ss / (v.len() - 1) as f64)
}

/// Sample standard deviation (divisor n − 1) of the finite values; `None` with fewer than two.
pub fn sd(x: &[f64]) -> Option<f64> {
    variance(x).map(f64::sqrt)
}

/// The `p` quantile (0 ≤ p ≤ 1) of the finite values, interpolated linearly between order
/// statistics (Hyndman–Fan type 7, NumPy's default); the input need not be sorted.
fn quantile(x: &[f64], p: f64) -> Option<f64> {
    if !(0.0..=1.0).contains(&p) {
        return None;
    }
    let mut v = finite_values(x);
    v.sort_by(f64::total_cmp);
    let last = v.len().checked_sub(1)?;
    let h = last as f64 * p;
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    let Some(&above) = v.get(lo + 1) else {
        return Some(v[lo]);
    };
    let below = v[lo];
    let gap = above - below;
    // Interpolating from the nearer end, as NumPy does, keeps the result monotone in p and
    // lands exactly on the order statistics at the ends.
    let q = if frac < 0.5 {
        below + gap * frac
    } else {
        above - gap * (1.0 - frac)
    };
    finite(q)
}

/// Ranks 1..=m of the m finite values, ties sharing their average rank; missing values get NaN
/// so the result lines up with the input.
fn ranks_average(x: &[f64]) -> Vec<f64> {
    let mut ranks = vec![f64::NAN; x.len()];
    let mut order: Vec<usize> = (0..x.len()).filter(|&i| x[i].is_finite()).collect();
    order.sort_by(|&i, &j| x[i].total_cmp(&x[j]));
    let mut start = 0;
    while start < order.len() {
        let value = x[order[start]];
        let tied = order[start..]
            .iter()
            .take_while(|&&i| x[i] == value)
            .count();
        let end = start + tied;
        // Sorted positions start..end would hold ranks start+1 ..= end.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Pearson's r between paired values, dropping pairs where either is missing; `None` when the
/// slices differ in length, fewer than 3 pairs remain, or either side has no spread.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<Correlation> {
    let (x, y) = finite_pairs(x, y)?;
    let r = r_of(&x, &y)?;
    Some(correlation(r, x.len(), 0, fisher_se(x.len(), 0)))
}

/// Spearman's ρ (Pearson's r on average ranks, which handles ties) between paired values,
/// dropping pairs where either is missing; `None` in the same cases as [`pearson`]. Its
/// interval uses Bonett & Wright's (2000) standard error of z, √((1 + ρ²/2)/(n − 3)), which
/// Fisher's 1/√(n − 3) understates for ρ.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<Correlation> {
    let (x, y) = finite_pairs(x, y)?;
    let r = r_of(&ranks_average(&x), &ranks_average(&y))?;
    let n = x.len();
    let se = (n > 3).then(|| ((1.0 + r * r / 2.0) / (n - 3) as f64).sqrt());
    Some(correlation(r, n, 0, se))
}

/// Partial correlation of `x` and `y` controlling for `z` (Pearson's r on the three, or on
/// their ranks when `ranked`), dropping triples with a missing value; `None` when the slices
/// differ in length, fewer than 4 triples remain, a side has no spread, or `z` explains `x`
/// or `y` entirely. Its p-value is the t test of `x`'s coefficient in the least-squares fit
/// y ~ x + z (n − 3 df), its interval Fisher's z with 1/√(n − 4).
pub fn partial(x: &[f64], y: &[f64], z: &[f64], ranked: bool) -> Option<Correlation> {
    if x.len() != y.len() || x.len() != z.len() {
        return None;
    }
    let keep: Vec<usize> = (0..x.len())
        .filter(|&i| x[i].is_finite() && y[i].is_finite() && z[i].is_finite())
        .collect();
    let pick = |v: &[f64]| -> Vec<f64> {
        let v: Vec<f64> = keep.iter().map(|&i| v[i]).collect();
        if ranked {
            ranks_average(&v)
        } else {
            v
        }
    };
    let (x, y, z) = (pick(x), pick(y), pick(z));
    let n = x.len();
    if n < 4 {
        return None;
    }
    let (rxy, rxz, ryz) = (r_of(&x, &y)?, r_of(&x, &z)?, r_of(&y, &z)?);
    let denominator = ((1.0 - rxz * rxz) * (1.0 - ryz * ryz)).sqrt();
    if denominator <= 0.0 {
        return None;
    }
    let r = finite((rxy - rxz * ryz) / denominator)?.clamp(-1.0, 1.0);
    Some(correlation(r, n, 1, fisher_se(n, 1)))
}

/// Mean of `a` minus mean of `b` with Welch's interval and test (variances not assumed equal);
/// `None` when a group has fewer than two finite values or neither group has any spread.
pub fn mean_difference(a: &[f64], b: &[f64]) -> Option<MeanDiff> {
    let (a, b) = (finite_values(a), finite_values(b));
    let (n_a, n_b) = (a.len(), b.len());
    if n_a < 2 || n_b < 2 {
        return None;
    }
    let (mean_a, ss_a) = mean_and_ss(&a)?;
    let (mean_b, ss_b) = mean_and_ss(&b)?;
    // Squared standard error of each group's mean.
    let u_a = ss_a / (n_a - 1) as f64 / n_a as f64;
    let u_b = ss_b / (n_b - 1) as f64 / n_b as f64;
    let se2 = u_a + u_b;
    // Two constant groups leave no noise to weigh the gap against: t and df are 0/0.
    if se2 == 0.0 || !se2.is_finite() {
        return None;
    }
    // Welch–Satterthwaite df from shares of se², which cannot underflow the way u⁴ can.
    let (f_a, f_b) = (u_a / se2, u_b / se2);
    let df = 1.0 / (f_a * f_a / (n_a - 1) as f64 + f_b * f_b / (n_b - 1) as f64);
    let se = se2.sqrt();
    let diff = finite(mean_a - mean_b)?;
    let half = t_quantile(0.975, df)? * se;
    Some(MeanDiff {
        n_a,
        n_b,
        mean_a,
        mean_b,
        diff,
        ci_low: diff - half,
        ci_high: diff + half,
        p_value: t_two_sided_p(diff / se, df),
    })
}

/// Least-squares line y = slope·x + intercept through the pairs, dropping pairs where either is
/// missing; `None` when the slices differ in length, fewer than 2 pairs remain, or x has no spread.
pub fn linear_fit(x: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    let (x, y) = finite_pairs(x, y)?;
    if x.len() < 2 {
        return None;
    }
    let (mx, sxx) = mean_and_ss(&x)?;
    let (my, _) = mean_and_ss(&y)?;
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let slope = finite(sxy / sxx)?;
    Some((slope, finite(my - slope * mx)?))
}

/// Benjamini–Hochberg q-values (false-discovery-rate adjusted p-values) for the p-values
/// given, `None` entries left out of the family and kept as `None`: q(i) = min over the
/// p-values at or above p(i) of p·m/rank, capped at 1 (SciPy's `false_discovery_control`).
pub fn benjamini_hochberg(p: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut order: Vec<usize> = (0..p.len())
        .filter(|&i| p[i].is_some_and(|v| v.is_finite()))
        .collect();
    order.sort_by(|&i, &j| p[i].unwrap_or(1.0).total_cmp(&p[j].unwrap_or(1.0)));
    let m = order.len() as f64;
    let mut q = vec![None; p.len()];
    let mut running = 1.0_f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        let v = p[i].unwrap_or(1.0) * m / (rank + 1) as f64;
        running = running.min(v).min(1.0);
        q[i] = Some(running);
    }
    q
}

/// How the moving-block bootstrap resamples (Künsch 1989): blocks of `block` consecutive
/// units, each starting at a uniformly drawn unit 0 ..= n − block, laid end to end until n
/// units are drawn (the last block cut short), `resamples` times, from a SplitMix64 stream
/// seeded with `seed`: the same input gives the same interval on every run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bootstrap {
    pub block: usize,
    pub resamples: usize,
    pub seed: u64,
}

/// The bootstrap the reports use: weekly blocks, because daily load has a weekly cycle and
/// soreness carries over for days.
pub const BOOTSTRAP: Bootstrap = Bootstrap {
    block: 7,
    resamples: 2000,
    seed: 2026,
};

/// A bootstrap percentile interval and the p-value of inverting it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootInterval {
    /// 2.5th percentile (type 7) of the resampled statistic.
    pub low: f64,
    /// 97.5th percentile.
    pub high: f64,
    /// Two-sided p-value for "the statistic is 0": 2·(1 + the smaller count of resamples at
    /// or below 0 and at or above 0)/(1 + resamples used), capped at 1.
    pub p_value: f64,
    /// Resamples on which the statistic was defined.
    pub used: usize,
}

/// Moving-block bootstrap of `stat` over `n` units in time order. `stat` is given the
/// resampled unit indices and returns `None` where it is undefined (e.g. a group came out
/// empty); `None` overall when n < 2 blocks or over half the resamples were undefined.
pub fn block_bootstrap(
    n: usize,
    b: &Bootstrap,
    stat: impl Fn(&[usize]) -> Option<f64> + Sync,
) -> Option<BootInterval> {
    use rayon::prelude::*;
    if b.block == 0 || n < 2 * b.block || b.resamples == 0 {
        return None;
    }
    // The block starts of every resample are drawn in order from one seeded stream, so
    // the resamples (and the interval) do not depend on how the work is spread over cores.
    let mut rng = SplitMix64(b.seed);
    let starts = (n - b.block + 1) as u64;
    let per_resample = n.div_ceil(b.block);
    let draws: Vec<usize> = (0..b.resamples * per_resample)
        // Modulo bias is below 2⁻⁵⁰ for any number of days a person can record.
        .map(|_| (rng.next() % starts) as usize)
        .collect();
    let values: Vec<f64> = draws
        .par_chunks(per_resample)
        .map_init(
            || Vec::with_capacity(n + b.block),
            |idx, blocks| {
                idx.clear();
                for &s in blocks {
                    idx.extend(s..s + b.block);
                }
                idx.truncate(n);
                stat(idx).filter(|v| v.is_finite())
            },
        )
        .collect::<Vec<Option<f64>>>()
        .into_iter()
        .flatten()
        .collect();
    let used = values.len();
    if used * 2 < b.resamples {
        return None;
    }
    let below = values.iter().filter(|&&v| v <= 0.0).count();
    let above = values.iter().filter(|&&v| v >= 0.0).count();
    Some(BootInterval {
        low: quantile(&values, 0.025)?,
        high: quantile(&values, 0.975)?,
        p_value: (2.0 * (1 + below.min(above)) as f64 / (1 + used) as f64).min(1.0),
        used,
    })
}

/// Sebastiano Vigna's SplitMix64: small, fast and easy to reproduce in any language.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The t with P(T ≤ t) = `p` for Student's t with `df` degrees of freedom; `None` unless
/// 0 < p < 1 and `df` is a positive finite number.
fn t_quantile(p: f64, df: f64) -> Option<f64> {
    // statrs' inverse never returns for an infinite df.
    if !(p > 0.0 && p < 1.0 && df.is_finite()) {
        return None;
    }
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let mut t = dist.inverse_cdf(p);
    // statrs' inverse drifts for huge df (5e-5 relative at df = 3.1e6) while its cdf holds
    // eight digits: two Newton steps on the cdf bring it back.
    if df > 1e5 {
        for _ in 0..2 {
            t -= (dist.cdf(t) - p) / dist.pdf(t);
        }
    }
    finite(t)
}

/// P(|T| ≥ |t|) for Student's t with `df` degrees of freedom (1 for a bad `df`).
fn t_two_sided_p(t: f64, df: f64) -> f64 {
    if !df.is_finite() {
        return 1.0;
    }
    let Ok(dist) = StudentsT::new(0.0, 1.0, df) else {
        return 1.0;
    };
    (2.0 * dist.sf(t.abs())).min(1.0)
}

/// The finite values of `x`, in order.
fn finite_values(x: &[f64]) -> Vec<f64> {
    x.iter().copied().filter(|v| v.is_finite()).collect()
}

/// The pairs of `x` and `y` where both are finite; `None` when the lengths differ, since
/// zipping would silently pair the wrong days.
fn finite_pairs(x: &[f64], y: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
    if x.len() != y.len() {
        return None;
    }
    Some(
        x.iter()
            .zip(y)
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .map(|(&a, &b)| (a, b))
            .unzip(),
    )
}

/// `Some(v)` when `v` is finite, so that overflow surfaces as `None` rather than ∞ or NaN.
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// Mean and sum of squared deviations (two-pass, for accuracy) of finite values; `None` for an
/// empty slice or on overflow.
fn mean_and_ss(v: &[f64]) -> Option<(f64, f64)> {
    let first = *v.first()?;
    let m = finite(v.iter().sum::<f64>() / v.len() as f64)?;
    // The rounded mean of equal values can miss them by an ulp (3 × 0.1 / 3 ≠ 0.1), which would
    // give constant data a tiny spread and a correlation made of rounding noise.
    if v.iter().all(|&a| a == first) {
        return Some((m, 0.0));
    }
    let ss = v.iter().map(|a| (a - m) * (a - m)).sum();
    Some((m, finite(ss)?))
}

/// Pearson's r of cleaned pairs of equal length; `None` under 3 pairs or without spread.
fn r_of(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 3 {
        return None;
    }
    let (mx, sxx) = mean_and_ss(x)?;
    let (my, syy) = mean_and_ss(y)?;
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    // Rounding can push |r| a hair past 1, where atanh and the t statistic turn into NaN.
    Some(finite(sxy / (sxx.sqrt() * syy.sqrt()))?.clamp(-1.0, 1.0))
}

/// Fisher's standard error of z for Pearson's r with `k` variables controlled: 1/√(n − 3 − k).
fn fisher_se(n: usize, k: usize) -> Option<f64> {
    (n > 3 + k).then(|| 1.0 / ((n - 3 - k) as f64).sqrt())
}

/// A correlation `r` of `n` pairs with `k` variables controlled: its t-test p-value on
/// n − 2 − k df and the Fisher-z interval with standard error `se`. At r = ±1 the interval
/// collapses to (r, r) and p is 0.
fn correlation(r: f64, n: usize, k: usize, se: Option<f64>) -> Correlation {
    let df = (n - 2 - k) as f64;
    // At r = ±1 this is ±∞, which t_two_sided_p maps to p = 0.
    let t = r * (df / ((1.0 - r) * (1.0 + r))).sqrt();
    let (ci_low, ci_high) = se
        .map(|se| {
            let z = r.atanh();
            let half = Z_975 * se;
            ((z - half).tanh(), (z + half).tanh())
        })
        .unzip();
    Correlation {
        n,
        r,
        ci_low,
        ci_high,
        p_value: t_two_sided_p(t, df),
    }
}

/// Expected values come from SciPy 1.17.1 / NumPy 2.4.6; to reproduce them, run this script
/// (`pip install scipy numpy`) and compare its output with the literals below:
///
/// ```text
/// # Reference values for src/stats.rs tests. SciPy 1.17.1, NumPy 2.4.6.
/// import numpy as np
/// from scipy import stats, special
///
/// def show(label, v):
///     print(f"{label} = {float(v)!r}")
///
/// # The load/sleep sample: no ties.
/// load = np.array([120, 85, 240, 60, 310, 150, 95, 200, 45, 175], float)
/// sleep = np.array([7.2, 7.9, 6.1, 8.3, 6.8, 7.0, 7.5, 6.4, 8.0, 7.1])
/// # The load/soreness sample: ties in both columns.
/// load_t = np.array([100, 80, 240, 60, 300, 100, 80, 200, 60, 100], float)
/// sore_t = np.array([3, 2, 6, 2, 7, 4, 2, 5, 1, 3], float)
///
/// def fisher(r, n):
///     z, h = np.arctanh(r), special.ndtri(0.975) / np.sqrt(n - 3)
///     return np.tanh(z - h), np.tanh(z + h)
///
/// for name, x, y in [("plain", load, sleep), ("ties", load_t, sore_t)]:
///     p = stats.pearsonr(x, y)
///     ci = p.confidence_interval(0.95)
///     show(f"{name} pearson r", p.statistic); show(f"{name} pearson p", p.pvalue)
///     show(f"{name} pearson ci_low", ci.low); show(f"{name} pearson ci_high", ci.high)
///     s = stats.spearmanr(x, y)
///     lo, hi = fisher(s.statistic, len(x))
///     show(f"{name} spearman r", s.statistic); show(f"{name} spearman p", s.pvalue)
///     show(f"{name} spearman ci_low", lo); show(f"{name} spearman ci_high", hi)
///
/// print("ranks load_t", stats.rankdata(load_t).tolist())
/// print("ranks sore_t", stats.rankdata(sore_t).tolist())
///
/// # NaN and infinite pairs dropped: the plain sample with three spoiled pairs.
/// keep = np.ones(10, bool); keep[[1, 4, 7]] = False
/// p = stats.pearsonr(load[keep], sleep[keep])
/// show("dropped pearson r", p.statistic); show("dropped pearson p", p.pvalue)
/// show("dropped pearson ci_low", p.confidence_interval().low)
/// show("dropped pearson ci_high", p.confidence_interval().high)
///
/// # n = 3: p-value with 1 df.
/// p = stats.pearsonr([1.0, 2.0, 4.0], [1.0, 3.0, 2.0])
/// show("n3 pearson r", p.statistic); show("n3 pearson p", p.pvalue)
///
/// # Welch: soreness the day after hard (a) and easy (b) sessions.
/// a = np.array([6, 4, 7, 5, 8, 3, 6], float)
/// b = np.array([3, 2, 4, 3, 2, 3, 1, 4, 3, 2, 3, 5], float)
/// w = stats.ttest_ind(a, b, equal_var=False)
/// ci = w.confidence_interval(0.95)
/// show("welch diff", a.mean() - b.mean()); show("welch df", w.df); show("welch p", w.pvalue)
/// show("welch ci_low", ci.low); show("welch ci_high", ci.high)
/// w = stats.ttest_ind(b, a, equal_var=False)
/// show("welch reversed p", w.pvalue)
///
/// # One-sample mean with a t CI, and descriptive values.
/// show("sleep mean", sleep.mean())
/// show("sleep var", sleep.var(ddof=1)); show("sleep sd", sleep.std(ddof=1))
/// m = stats.ttest_1samp(sleep, 0.0).confidence_interval(0.95)
/// show("sleep mean ci_low", m.low); show("sleep mean ci_high", m.high)
///
/// # Quantile type 7 (numpy default 'linear') on an even (10) and odd (7) count.
/// for p_ in [0.0, 0.1, 0.25, 0.5, 0.9, 1.0]:
///     show(f"q7 even p={p_}", np.quantile(sleep, p_))
///     show(f"q7 odd p={p_}", np.quantile(a, p_))
/// show("median even", np.median(sleep)); show("median odd", np.median(a))
///
/// # Least squares line through the load/sleep sample.
/// lr = stats.linregress(load, sleep)
/// show("fit slope", lr.slope); show("fit intercept", lr.intercept)
///
/// # Student t: quantiles at 0.975, the CDF across the range, non-integer df.
/// for df in [1, 2, 5, 30, 1000]:
///     show(f"t ppf 0.975 df={df}", stats.t.ppf(0.975, df))
/// for t_, df in [(-3.0, 1), (0.5, 2), (2.0, 5), (-1.25, 7.5), (4.0, 30), (10.0, 3),
///                (-40.0, 12), (1.5, 1000), (-2.2, 1e6), (1e5, 1)]:
///     show(f"t cdf t={t_} df={df}", stats.t.cdf(t_, df))
/// for p_, df in [(0.05, 3), (1e-6, 4), (0.999, 17.3), (0.6, 1)]:
///     show(f"t ppf p={p_} df={df}", stats.t.ppf(p_, df))
///
/// # The special functions underneath.
/// for x in [0.5, 1.0, 1.5, 2.0, 3.7, 10.0, 500.5, 1e5]:
///     show(f"gammaln {x}", special.gammaln(x))
/// for a_, b_, x in [(0.5, 0.5, 0.3), (2.5, 0.5, 0.9), (500.0, 0.5, 0.99),
///                   (3.0, 7.0, 0.2), (8.65, 0.5, 0.4)]:
///     show(f"betainc a={a_} b={b_} x={x}", special.betainc(a_, b_, x))
/// show("ndtri 0.975", special.ndtri(0.975))
///
/// # The normal distribution, and the t at df past the switch to Fisher's expansion (3e6).
/// for z in [-30.0, -8.0, -1.96, -0.5, 0.0, 0.3, 2.0]:
///     show(f"norm cdf z={z}", stats.norm.cdf(z))
/// for p_ in [1e-300, 1e-10, 0.025, 0.3, 0.975]:
///     show(f"norm ppf p={p_}", stats.norm.ppf(p_))
/// for t_, df in [(-3.0, 2.9e6), (-3.0, 3.1e6), (-1.96, 1e8), (2.5, 1e14)]:
///     show(f"t cdf t={t_} df={df}", stats.t.cdf(t_, df))
/// for df in [2e5, 1e6, 3.1e6]:
///     show(f"t ppf 0.975 df={df}", stats.t.ppf(0.975, df))
/// ```
#[cfg(test)]
mod tests {
    use super::*;

    /// P(T ≤ t) for Student's t with `df` degrees of freedom; `None` for a NaN `t` or a bad `df`.
    fn t_cdf(t: f64, df: f64) -> Option<f64> {
        if t.is_nan() || !df.is_finite() {
            return None;
        }
        Some(StudentsT::new(0.0, 1.0, df).ok()?.cdf(t))
    }

    /// Asserts agreement to 1e-9, relative (absolute when `expected` is 0).
    fn assert_close(actual: f64, expected: f64, what: &str) {
        let scale = if expected == 0.0 { 1.0 } else { expected.abs() };
        assert!(
            (actual - expected).abs() <= 1e-9 * scale,
            "{what}: got {actual:e}, expected {expected:e}"
        );
    }

    /// Asserts a correlation against (n, r, ci_low, ci_high, p), with the interval present.
    fn assert_correlation(c: Correlation, expected: (usize, f64, f64, f64, f64), what: &str) {
        let (n, r, ci_low, ci_high, p_value) = expected;
        assert_eq!(c.n, n, "{what}: n");
        assert_close(c.r, r, &format!("{what}: r"));
        assert_close(c.ci_low.expect("n ≥ 4"), ci_low, &format!("{what}: ci_low"));
        assert_close(
            c.ci_high.expect("n ≥ 4"),
            ci_high,
            &format!("{what}: ci_high"),
        );
        assert_close(c.p_value, p_value, &format!("{what}: p"));
    }

    const LOAD: [f64; 10] = [120., 85., 240., 60., 310., 150., 95., 200., 45., 175.];
    const SLEEP: [f64; 10] = [7.2, 7.9, 6.1, 8.3, 6.8, 7.0, 7.5, 6.4, 8.0, 7.1];
    const LOAD_TIED: [f64; 10] = [100., 80., 240., 60., 300., 100., 80., 200., 60., 100.];
    const SORE_TIED: [f64; 10] = [3., 2., 6., 2., 7., 4., 2., 5., 1., 3.];
    const HARD: [f64; 7] = [6., 4., 7., 5., 8., 3., 6.];
    const EASY: [f64; 12] = [3., 2., 4., 3., 2., 3., 1., 4., 3., 2., 3., 5.];

    #[test]
    fn mean_variance_and_sd_match_numpy() {
        assert_close(
            mean(&SLEEP).expect("ten values"),
            7.2299999999999995,
            "mean",
        );
        assert_close(
            variance(&SLEEP).expect("ten values"),
            0.49788888888888916,
            "var",
        );
        assert_close(sd(&SLEEP).expect("ten values"), 0.7056124211554734, "sd");
    }

    #[test]
    fn summaries_skip_missing_values_and_need_enough_of_the_rest() {
        let cases: [(&[f64], Option<f64>, Option<f64>); 5] = [
            // (values, mean, variance)
            (&[1.0, f64::NAN, 3.0, f64::INFINITY], Some(2.0), Some(2.0)),
            (&[], None, None),
            (&[f64::NAN, f64::NEG_INFINITY], None, None),
            (&[4.0], Some(4.0), None),
            (&[0.1, 0.1, 0.1], Some(0.1), Some(0.0)),
        ];
        for (values, m, var) in cases {
            match (mean(values), m) {
                (Some(got), Some(want)) => assert_close(got, want, "mean"),
                (got, want) => assert_eq!(got, want, "mean of {values:?}"),
            }
            assert_eq!(variance(values), var, "variance of {values:?}");
            assert_eq!(sd(values), var.map(f64::sqrt), "sd of {values:?}");
        }
    }

    #[test]
    fn quantile_type_7_matches_numpy_on_even_and_odd_counts() {
        // (p, on the 10 sleep values, on the 7 hard-day values)
        let cases = [
            (0.0, 6.1, 3.0),
            (0.1, 6.37, 3.6),
            (0.25, 6.85, 4.5),
            (0.5, 7.15, 6.0),
            (0.9, 8.03, 7.4),
            (1.0, 8.3, 8.0),
        ];
        for (p, even, odd) in cases {
            assert_close(quantile(&SLEEP, p).expect("p in range"), even, "even");
            assert_close(quantile(&HARD, p).expect("p in range"), odd, "odd");
        }
        assert_close(
            quantile(&SLEEP, 0.5).expect("ten values"),
            7.15,
            "median even",
        );
        assert_close(
            quantile(&HARD, 0.5).expect("seven values"),
            6.0,
            "median odd",
        );
    }

    #[test]
    fn quantile_interpolates_between_neighbours_and_ignores_order() {
        // Hand-worked: sorted [1, 2, 3, 4]; p = 0.5 sits halfway between 2 and 3,
        // p = 0.25 a quarter of the way from 1 to 2 at h = 0.75.
        let cases = [(0.5, 2.5), (0.25, 1.75), (1.0 / 3.0, 2.0)];
        for (p, want) in cases {
            assert_close(
                quantile(&[4.0, 1.0, 3.0, 2.0], p).expect("p in range"),
                want,
                "q",
            );
        }
        assert_eq!(quantile(&[5.0, f64::NAN], 0.5), Some(5.0));
    }

    #[test]
    fn quantile_is_none_outside_0_to_1_or_without_values() {
        for p in [-0.1, 1.1, f64::NAN, f64::INFINITY] {
            assert_eq!(quantile(&SLEEP, p), None, "p = {p}");
        }
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[f64::NAN], 0.5), None);
    }

    #[test]
    fn ties_share_their_average_rank() {
        let cases: [(&[f64], &[f64]); 5] = [
            (&[10.0, 20.0, 20.0, 30.0], &[1.0, 2.5, 2.5, 4.0]),
            (&[5.0, 5.0, 5.0], &[2.0, 2.0, 2.0]),
            (&[3.0, -1.0, 2.0], &[3.0, 1.0, 2.0]),
            (&[0.0, -0.0, 1.0], &[1.5, 1.5, 3.0]),
            (&[], &[]),
        ];
        for (values, ranks) in cases {
            assert_eq!(ranks_average(values), ranks, "ranks of {values:?}");
        }
        // scipy.stats.rankdata on the tied samples.
        let load = [6.0, 3.5, 9.0, 1.5, 10.0, 6.0, 3.5, 8.0, 1.5, 6.0];
        let sore = [5.5, 3.0, 9.0, 3.0, 10.0, 7.0, 3.0, 8.0, 1.0, 5.5];
        assert_eq!(ranks_average(&LOAD_TIED), load);
        assert_eq!(ranks_average(&SORE_TIED), sore);
    }

    #[test]
    fn missing_values_get_no_rank_and_the_rest_are_ranked_among_themselves() {
        let ranks = ranks_average(&[3.0, f64::NAN, 1.0, f64::INFINITY]);
        assert_eq!(ranks[0], 2.0);
        assert!(ranks[1].is_nan());
        assert_eq!(ranks[2], 1.0);
        assert!(ranks[3].is_nan());
    }

    #[test]
    fn pearson_and_spearman_match_scipy() {
        type Statistic = fn(&[f64], &[f64]) -> Option<Correlation>;
        // (what, statistic, x, y, (n, r, ci_low, ci_high, p))
        let cases: [(&str, Statistic, &[f64], &[f64], _); 4] = [
            (
                "pearson, no ties",
                pearson,
                &LOAD,
                &SLEEP,
                (
                    10,
                    -0.83972107686565,
                    -0.9611678609505012,
                    -0.4457870699983076,
                    0.0023681645775147247,
                ),
            ),
            (
                "spearman, no ties",
                spearman,
                &LOAD,
                &SLEEP,
                (
                    10,
                    -0.9393939393939393,
                    -0.989501506000619,
                    -0.6876753764170265,
                    5.4840529985136686e-05,
                ),
            ),
            (
                "pearson, ties",
                pearson,
                &LOAD_TIED,
                &SORE_TIED,
                (
                    10,
                    0.9604421528498571,
                    0.8369144674665573,
                    0.9908699402452493,
                    1.0212737007531767e-05,
                ),
            ),
            (
                "spearman, ties in x and in y",
                spearman,
                &LOAD_TIED,
                &SORE_TIED,
                (
                    10,
                    0.9717916087400683,
                    0.8410357742771588,
                    0.9952706739366127,
                    2.6774042169965796e-06,
                ),
            ),
        ];
        for (what, statistic, x, y, expected) in cases {
            let c = statistic(x, y).expect("ten varied pairs");
            assert_correlation(c, expected, what);
        }
    }

    #[test]
    fn pairs_with_a_missing_value_are_dropped() {
        let mut load = LOAD;
        let mut sleep = SLEEP;
        load[1] = f64::NAN;
        sleep[4] = f64::NAN;
        load[7] = f64::INFINITY;
        let c = pearson(&load, &sleep).expect("seven pairs remain");
        let expected = (
            7,
            -0.9582917466702816,
            -0.9940176466207649,
            -0.7373205443018329,
            0.0006671683076392947,
        );
        assert_correlation(c, expected, "dropped");
        let fit = linear_fit(&load, &sleep).expect("seven pairs remain");
        let kept = [0, 2, 3, 5, 6, 8, 9];
        let x: Vec<f64> = kept.iter().map(|&i| LOAD[i]).collect();
        let y: Vec<f64> = kept.iter().map(|&i| SLEEP[i]).collect();
        assert_eq!(Some(fit), linear_fit(&x, &y));
        assert_eq!(spearman(&load, &sleep), spearman(&x, &y));
    }

    #[test]
    fn perfect_correlation_has_p_zero_and_a_collapsed_interval() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let up: Vec<f64> = x.iter().map(|v| 2.0 * v + 1.0).collect();
        let down: Vec<f64> = x.iter().map(|v| 7.0 - 0.5 * v).collect();
        let cubed: Vec<f64> = x.iter().map(|v| v * v * v).collect();
        // (what, correlation, r)
        let cases = [
            ("pearson up", pearson(&x, &up), 1.0),
            ("pearson down", pearson(&x, &down), -1.0),
            ("spearman of a monotone curve", spearman(&x, &cubed), 1.0),
        ];
        for (what, c, r) in cases {
            let c = c.expect("varied pairs");
            assert_close(c.r, r, what);
            assert_eq!(c.p_value, 0.0, "{what}");
            assert_close(c.ci_low.expect("n ≥ 4"), r, what);
            assert_close(c.ci_high.expect("n ≥ 4"), r, what);
        }
    }

    #[test]
    fn input_without_spread_has_no_correlation() {
        let varied = [1.0, 2.0, 3.0, 4.0];
        let flat = [0.1, 0.1, 0.1, 0.1];
        assert_eq!(pearson(&varied, &flat), None);
        assert_eq!(pearson(&flat, &varied), None);
        assert_eq!(spearman(&varied, &flat), None);
        assert_eq!(linear_fit(&flat, &varied), None);
        // A vertical line has no slope, a horizontal one has slope 0.
        assert_eq!(linear_fit(&varied, &[3.0; 4]), Some((0.0, 3.0)));
    }

    #[test]
    fn three_pairs_give_r_and_p_but_no_interval_and_two_give_nothing() {
        let c = pearson(&[1.0, 2.0, 4.0], &[1.0, 3.0, 2.0]).expect("three varied pairs");
        assert_eq!(c.n, 3);
        assert_close(c.r, 0.3273268353539885, "r");
        assert_close(c.p_value, 0.7877043849903435, "p");
        assert_eq!((c.ci_low, c.ci_high), (None, None));
        assert_eq!(pearson(&[1.0, 2.0], &[2.0, 1.0]), None);
        assert_eq!(spearman(&[1.0, 2.0, f64::NAN], &[2.0, 1.0, 0.0]), None);
    }

    #[test]
    fn paired_slices_of_different_lengths_give_nothing() {
        assert_eq!(pearson(&LOAD, &SLEEP[..9]), None);
        assert_eq!(spearman(&LOAD[..9], &SLEEP), None);
        assert_eq!(linear_fit(&LOAD, &SLEEP[..9]), None);
    }

    #[test]
    fn welch_difference_matches_scipy_with_unequal_sizes_and_spreads() {
        let d = mean_difference(&HARD, &EASY).expect("two varied groups");
        assert_eq!((d.n_a, d.n_b), (7, 12));
        assert_close(d.mean_a, 39.0 / 7.0, "mean_a");
        assert_close(d.mean_b, 35.0 / 12.0, "mean_b");
        assert_close(d.diff, 2.6547619047619047, "diff");
        assert_close(d.ci_low, 1.0197893345545663, "ci_low");
        assert_close(d.ci_high, 4.289734474969243, "ci_high");
        assert_close(d.p_value, 0.0052036972643123335, "p");
        // Swapping the groups mirrors the difference and its interval, not the p-value.
        let r = mean_difference(&EASY, &HARD).expect("two varied groups");
        assert_close(r.diff, -d.diff, "swapped diff");
        assert_close(r.ci_low, -d.ci_high, "swapped ci_low");
        assert_close(r.ci_high, -d.ci_low, "swapped ci_high");
        assert_close(r.p_value, d.p_value, "swapped p");
    }

    #[test]
    fn mean_difference_needs_two_values_per_group_and_some_spread() {
        assert_eq!(mean_difference(&[5.0], &EASY), None);
        assert_eq!(mean_difference(&HARD, &[f64::NAN, 2.0]), None);
        assert_eq!(mean_difference(&[4.0, 4.0], &[2.0, 2.0, 2.0]), None);
        // One constant group is fine: the other's spread carries the interval.
        let d = mean_difference(&[4.0, 4.0], &[1.0, 3.0]).expect("one varied group");
        assert_close(d.diff, 2.0, "diff");
        // se = √(0/2 + 2/2) = 1, so t = 2 on 1 df, where P(|T| ≥ 2) = 1 − 2·atan(2)/π.
        let p = 1.0 - 2.0 * 2.0_f64.atan() / std::f64::consts::PI;
        assert_close(d.p_value, p, "p");
    }

    #[test]
    fn linear_fit_matches_scipy_linregress_and_a_known_line() {
        let (slope, intercept) = linear_fit(&LOAD, &SLEEP).expect("ten varied pairs");
        assert_close(slope, -0.007023103340618173, "slope");
        assert_close(intercept, 8.269419294411488, "intercept");
        let (slope, intercept) = linear_fit(&[0.0, 1.0, 2.0], &[1.0, 3.0, 5.0]).expect("line");
        assert_close(slope, 2.0, "slope");
        assert_close(intercept, 1.0, "intercept");
        assert_eq!(linear_fit(&[1.0], &[1.0]), None);
    }

    #[test]
    fn student_t_quantiles_at_0_975_match_scipy() {
        // (df, scipy.stats.t.ppf(0.975, df))
        let cases = [
            (1.0, 12.706204736174694),
            (2.0, 4.302652729749462),
            (5.0, 2.5705818356363146),
            (30.0, 2.0422724563012378),
            (1000.0, 1.9623390808264083),
        ];
        for (df, want) in cases {
            let got = t_quantile(0.975, df).expect("valid p and df");
            assert_close(got, want, &format!("df = {df}"));
            assert_close(t_quantile(0.025, df).expect("valid"), -want, "lower");
        }
    }

    #[test]
    fn student_t_quantiles_match_scipy_in_both_tails_and_fractional_df() {
        // (p, df, scipy.stats.t.ppf(p, df))
        let cases = [
            (0.05, 3.0, -2.353363434801824),
            (1e-6, 4.0, -41.577854150450975),
            (0.999, 17.3, 3.634692494240616),
            (0.6, 1.0, 0.32491969623290634),
            (0.5, 9.0, 0.0),
        ];
        for (p, df, want) in cases {
            let got = t_quantile(p, df).expect("valid p and df");
            assert_close(got, want, &format!("p = {p}, df = {df}"));
        }
    }

    #[test]
    fn student_t_cdf_matches_scipy_across_the_range() {
        // (t, df, scipy.stats.t.cdf(t, df))
        let cases = [
            (-3.0, 1.0, 0.10241638234956672),
            (0.5, 2.0, 0.6666666666666666),
            (2.0, 5.0, 0.9490302605850708),
            (-1.25, 7.5, 0.12444594654994058),
            (4.0, 30.0, 0.9998090771819581),
            (10.0, 3.0, 0.9989358004707929),
            (-40.0, 12.0, 1.925614790386016e-14),
            (1.5, 1000.0, 0.9330349805889568),
            (-2.2, 1e6, 0.013903561458011936),
            (1e5, 1.0, 0.9999968169011383),
            (0.0, 4.0, 0.5),
            (f64::INFINITY, 2.0, 1.0),
            (f64::NEG_INFINITY, 2.0, 0.0),
        ];
        for (t, df, want) in cases {
            let got = t_cdf(t, df).expect("valid t and df");
            assert_close(got, want, &format!("t = {t}, df = {df}"));
        }
    }

    #[test]
    fn student_t_agrees_with_closed_forms_for_one_and_two_df() {
        // df = 1 is Cauchy: F(t) = 1/2 + atan(t)/π. df = 2: F(t) = 1/2 + t / (2√(2 + t²)),
        // whose inverse is t = (2p − 1) / √(2p(1 − p)).
        for t in [-7.5_f64, -1.0, -0.01, 0.3, 2.0, 60.0] {
            let cauchy = 0.5 + t.atan() / std::f64::consts::PI;
            assert_close(t_cdf(t, 1.0).expect("valid"), cauchy, "df 1");
            let two = 0.5 + t / (2.0 * (2.0 + t * t).sqrt());
            assert_close(t_cdf(t, 2.0).expect("valid"), two, "df 2");
        }
        for p in [0.01_f64, 0.3, 0.975] {
            let t = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
            assert_close(t_quantile(p, 2.0).expect("valid"), t, "df 2 inverse");
        }
    }

    #[test]
    fn student_t_rejects_invalid_arguments() {
        for df in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(t_cdf(1.0, df), None, "cdf df = {df}");
            assert_eq!(t_quantile(0.9, df), None, "quantile df = {df}");
        }
        assert_eq!(t_cdf(f64::NAN, 3.0), None);
        for p in [0.0, 1.0, -0.5, 2.0, f64::NAN] {
            assert_eq!(t_quantile(p, 3.0), None, "p = {p}");
        }
    }

    #[test]
    fn the_95_percent_normal_critical_value_matches_scipy_and_statrs() {
        use statrs::distribution::Normal;
        let z = Normal::new(0.0, 1.0)
            .expect("standard normal")
            .inverse_cdf(0.975);
        assert_close(z, 1.959963984540054, "ndtri(0.975)");
        assert_close(Z_975, z, "Z_975");
    }

    #[test]
    fn student_t_with_huge_df_matches_scipy_to_eight_digits() {
        // statrs' continued fraction loses a digit or two past df ≈ 1e6 (1.8e-9 relative at
        // 2.9e6); the reports print three,
        // and a Welch df is below the days recorded, so df of 1e8 and more are not checked.
        let close = |got: f64, want: f64, what: &str| {
            assert!(
                (got - want).abs() <= 1e-8 * want.abs(),
                "{what}: got {got:e}, expected {want:e}"
            );
        };
        // (t, df, scipy.stats.t.cdf(t, df)).
        let cdfs = [
            (-3.0, 2.9e6, 0.0013499094933329095),
            (-3.0, 3.1e6, 0.0013499087538666492),
        ];
        for (t, df, want) in cdfs {
            let got = t_cdf(t, df).expect("valid t and df");
            close(got, want, &format!("t = {t}, df = {df}"));
        }
        // (df, scipy.stats.t.ppf(0.975, df))
        for (df, want) in [
            (2e5, 1.959975845966768),
            (1e6, 1.959966356814107),
            (3.1e6, 1.9599647497891313),
        ] {
            let got = t_quantile(0.975, df).expect("valid p and df");
            close(got, want, &format!("df = {df}"));
        }
    }

    #[test]
    fn partial_correlation_matches_statsmodels_residuals_and_ols_t_test() {
        // Soreness tomorrow (y) against load today (x), controlling soreness today (z).
        let x = [
            120., 0., 240., 60., 310., 0., 95., 200., 45., 175., 0., 150.,
        ];
        let z = [2., 4., 3., 5., 2., 6., 3., 2., 4., 3., 5., 2.];
        let y = [3., 3., 5., 4., 6., 4., 3., 4., 3., 5., 3., 4.];
        // (ranked, (n, r, ci_low, ci_high, p)): r from the residuals of x ~ z and y ~ z,
        // p from statsmodels OLS y ~ x + z, interval Fisher z with 1/√(n − 4).
        let cases = [
            (
                false,
                (
                    12,
                    0.9389457551930132,
                    0.7763498967792524,
                    0.9843727315864761,
                    1.8396324693418838e-05,
                ),
            ),
            (
                true,
                (
                    12,
                    0.8695478557112194,
                    0.5637210168177503,
                    0.9656963227541048,
                    0.0005055786377418656,
                ),
            ),
        ];
        for (ranked, expected) in cases {
            let c = partial(&x, &y, &z, ranked).expect("twelve varied triples");
            assert_correlation(c, expected, &format!("partial, ranked = {ranked}"));
        }
        // A missing value drops the whole triple; too few triples or no spread give nothing.
        let mut x2 = x;
        x2[3] = f64::NAN;
        assert_eq!(partial(&x2, &y, &z, false).expect("eleven").n, 11);
        assert_eq!(partial(&x[..3], &y[..3], &z[..3], false), None);
        assert_eq!(partial(&x, &y, &[1.0; 12], false), None);
        assert_eq!(partial(&x, &y, &z[..11], false), None);
    }

    #[test]
    fn benjamini_hochberg_matches_scipy_false_discovery_control() {
        // scipy.stats.false_discovery_control([0.01, 0.04, 0.03, 0.20, 0.005, 0.5, 0.04]);
        // statsmodels multipletests(method="fdr_bh") gives the same.
        let p = [0.01, 0.04, 0.03, 0.20, 0.005, 0.5, 0.04].map(Some);
        let want = [0.035, 0.056, 0.056, 0.23333333333333336, 0.035, 0.5, 0.056];
        for (q, w) in benjamini_hochberg(&p).into_iter().zip(want) {
            assert_close(q.expect("every p given"), w, "q");
        }
        // Missing p-values are not part of the family and stay missing.
        let q = benjamini_hochberg(&[Some(0.01), None, Some(0.04)]);
        assert_eq!(q[1], None);
        assert_close(q[0].expect("given"), 0.02, "q of 0.01 among two");
        assert_close(q[2].expect("given"), 0.04, "q of 0.04 among two");
        assert!(benjamini_hochberg(&[]).is_empty());
    }

    #[test]
    fn the_block_bootstrap_reproduces_an_independent_python_implementation() {
        // The same SplitMix64 stream and block scheme written in Python (NumPy quantiles):
        // values 0.4 + 2·sin(1.3·i) rounded to 3 places, i = 0..20, block 7, 500 resamples,
        // seed 7, the statistic their mean.
        let v: Vec<f64> = (0..20)
            .map(|i| ((f64::from(i) * 1.3).sin() * 2.0 + 0.4) * 1000.0)
            .map(|x| x.round() / 1000.0)
            .collect();
        assert_eq!(&v[..4], &[0.4, 2.327, 1.431, -0.976]);
        let b = Bootstrap {
            block: 7,
            resamples: 500,
            seed: 7,
        };
        let ci = block_bootstrap(v.len(), &b, |idx| {
            mean(&idx.iter().map(|&i| v[i]).collect::<Vec<_>>())
        })
        .expect("20 values, 7-day blocks");
        assert_eq!(ci.used, 500);
        assert!((ci.low - 0.06666500000000003).abs() < 1e-12, "{ci:?}");
        assert!((ci.high - 0.7552237500000001).abs() < 1e-12, "{ci:?}");
        assert_close(ci.p_value, 0.027944111776447105, "p");
        let mut rng = SplitMix64(2026);
        assert_eq!(
            rng.next(),
            0xdb9c_5598_9194_8d23,
            "SplitMix64's first output"
        );
    }

    #[test]
    fn the_block_bootstrap_is_reproducible_and_refuses_too_little_data() {
        let v: Vec<f64> = (0..30).map(|i| f64::from(i % 7)).collect();
        let stat = |idx: &[usize]| mean(&idx.iter().map(|&i| v[i]).collect::<Vec<_>>());
        let a = block_bootstrap(v.len(), &BOOTSTRAP, stat);
        assert_eq!(
            a,
            block_bootstrap(v.len(), &BOOTSTRAP, stat),
            "same seed, same interval"
        );
        assert!(a.expect("30 days").p_value < 0.01, "all values ≥ 0, mean 3");
        assert_eq!(
            block_bootstrap(13, &BOOTSTRAP, stat),
            None,
            "fewer than two blocks"
        );
        assert_eq!(
            block_bootstrap(30, &BOOTSTRAP, |_| None),
            None,
            "a statistic never defined"
        );
    }

    #[test]
    fn degenerate_input_gives_none_or_finite_numbers_never_a_panic() {
        let big = f64::MAX / 2.0;
        let inputs: [&[f64]; 7] = [
            &[],
            &[f64::NAN; 5],
            &[1.0],
            &[2.0, 2.0, 2.0, 2.0, 2.0],
            &[big, -big, big, -big, big],
            &[1e-300, 2e-300, 4e-300, 3e-300, 5e-300],
            &[f64::INFINITY, 1.0, f64::NEG_INFINITY, 2.0, 3.0],
        ];
        let finite_or_none = |v: Option<f64>, what: &str| {
            assert!(v.is_none_or(f64::is_finite), "{what}: {v:?}");
        };
        for x in inputs {
            finite_or_none(mean(x), "mean");
            finite_or_none(sd(x), "sd");
            finite_or_none(quantile(x, 0.5), "median");
            for y in inputs {
                for c in [pearson(x, y), spearman(x, y)].into_iter().flatten() {
                    assert!(
                        c.r.is_finite() && c.p_value.is_finite(),
                        "{x:?} {y:?}: {c:?}"
                    );
                }
                if let Some(d) = mean_difference(x, y) {
                    let ends = [d.diff, d.ci_low, d.ci_high, d.p_value];
                    assert!(ends.iter().all(|v| v.is_finite()), "{x:?} {y:?}: {d:?}");
                }
                if let Some((slope, intercept)) = linear_fit(x, y) {
                    assert!(slope.is_finite() && intercept.is_finite(), "{x:?} {y:?}");
                }
            }
        }
    }
}
