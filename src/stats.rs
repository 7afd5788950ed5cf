//! Pure statistics: summaries, correlations, mean differences, and the t and normal laws.
//!
//! Conventions shared by everything here:
//! - A non-finite value (NaN, ±∞) is missing data and is skipped. Paired functions drop a pair
//!   when either side is missing; the `n` fields say how many values were actually used.
//! - Nothing panics. Where a statistic is undefined (too few values, no spread, paired slices of
//!   different lengths, a probability outside its range) the answer is `None`, never NaN.
//! - Intervals are 95 % and p-values two-sided, the only forms the reports print.

/// Φ⁻¹(0.975), the normal critical value for a two-sided 95 % interval (SciPy `ndtri(0.975)`).
const Z_975: f64 = 1.959_963_984_540_054;

/// A correlation coefficient with its 95 % interval and two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Correlation {
    /// Pairs used, after dropping those with a missing value.
    pub n: usize,
    /// The coefficient, in [−1, 1].
    pub r: f64,
    /// Lower end of the 95 % Fisher-z interval; `None` when n < 4, as its standard error
    /// 1/√(n − 3) needs n > 3.
    pub ci_low: Option<f64>,
    /// Upper end of the 95 % Fisher-z interval; `None` exactly when `ci_low` is.
    pub ci_high: Option<f64>,
    /// Two-sided p-value for r ≠ 0, from t = r·√((n−2)/(1−r²)) with n − 2 degrees of freedom.
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

/// A mean with its one-sample 95 % Student-t interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// Values used.
    pub n: usize,
    /// The mean.
    pub mean: f64,
    /// Lower end of the 95 % interval.
    pub ci_low: f64,
    /// Upper end of the 95 % interval.
    pub ci_high: f64,
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
pub fn variance(x: &[f64]) -> Option<f64> {
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
pub fn quantile(x: &[f64], p: f64) -> Option<f64> {
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

/// Median of the finite values (type-7 quantile at 0.5); `None` when there are none.
pub fn median(x: &[f64]) -> Option<f64> {
    quantile(x, 0.5)
}

/// Ranks 1..=m of the m finite values, ties sharing their average rank; missing values get NaN
/// so the result lines up with the input.
pub fn ranks_average(x: &[f64]) -> Vec<f64> {
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
    correlation(&x, &y)
}

/// Spearman's ρ (Pearson's r on average ranks, which handles ties) between paired values,
/// dropping pairs where either is missing; `None` in the same cases as [`pearson`]. Its
/// interval uses the same Fisher z and 1/√(n − 3), a little narrow for ρ at small n.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<Correlation> {
    let (x, y) = finite_pairs(x, y)?;
    correlation(&ranks_average(&x), &ranks_average(&y))
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
    let half = student_t_quantile(0.975, df)? * se;
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

/// Mean of the finite values with a one-sample 95 % t interval (zero-width for a constant
/// sample); `None` with fewer than two.
pub fn mean_ci(x: &[f64]) -> Option<MeanCi> {
    let v = finite_values(x);
    let n = v.len();
    if n < 2 {
        return None;
    }
    let (mean, ss) = mean_and_ss(&v)?;
    let se = (ss / (n - 1) as f64 / n as f64).sqrt();
    let half = student_t_quantile(0.975, (n - 1) as f64)? * se;
    Some(MeanCi {
        n,
        mean,
        ci_low: mean - half,
        ci_high: mean + half,
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

/// P(T ≤ t) for Student's t with `df` > 0 degrees of freedom (fractional df allowed);
/// `None` for a NaN `t` or a `df` that is not a positive finite number.
pub fn student_t_cdf(t: f64, df: f64) -> Option<f64> {
    if t.is_nan() || !df.is_finite() || df <= 0.0 {
        return None;
    }
    Some(cdf_from_two_sided(t, t_two_sided_p(t, df)))
}

/// The t with P(T ≤ t) = `p` for Student's t with `df` degrees of freedom; `None` unless
/// 0 < p < 1 and `df` is a positive finite number, or if |t| would exceed `f64::MAX`.
pub fn student_t_quantile(p: f64, df: f64) -> Option<f64> {
    if !df.is_finite() || df <= 0.0 {
        return None;
    }
    quantile_from_two_sided(p, |t| t_two_sided_p(t, df))
}

/// P(Z ≤ z) for the standard normal; `None` for a NaN `z`.
pub fn normal_cdf(z: f64) -> Option<f64> {
    if z.is_nan() {
        return None;
    }
    Some(cdf_from_two_sided(z, normal_two_sided_p(z)))
}

/// The z with P(Z ≤ z) = `p` for the standard normal; `None` unless 0 < p < 1.
pub fn normal_quantile(p: f64) -> Option<f64> {
    quantile_from_two_sided(p, normal_two_sided_p)
}

/// P(X ≤ x) for a distribution symmetric about 0, from its two-sided tail P(|X| ≥ |x|).
fn cdf_from_two_sided(x: f64, two_sided: f64) -> f64 {
    let tail = two_sided / 2.0;
    if x > 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// The `p` quantile of a distribution symmetric about 0, given its two-sided tail, which
/// falls from 1 at 0 towards 0; `None` unless 0 < p < 1, or if the answer is beyond `f64::MAX`.
fn quantile_from_two_sided(p: f64, two_sided: impl Fn(f64) -> f64) -> Option<f64> {
    if p.is_nan() || p <= 0.0 || p >= 1.0 {
        return None;
    }
    if p == 0.5 {
        return Some(0.0);
    }
    // Solving on the tail lets a p near 1 keep its digits as the small 1 − p.
    let target = 2.0 * p.min(1.0 - p);
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    while two_sided(hi) > target {
        lo = hi;
        hi *= 2.0;
        if hi.is_infinite() {
            return None;
        }
    }
    // Bisection to adjacent floats: about 60 steps, and it cannot diverge the way Newton can
    // on the heavy tails of small df.
    loop {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        if two_sided(mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(if p > 0.5 { hi } else { -hi })
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

/// Pearson's r with interval and p-value on already-cleaned pairs of equal length.
fn correlation(x: &[f64], y: &[f64]) -> Option<Correlation> {
    let n = x.len();
    if n < 3 {
        return None;
    }
    let (mx, sxx) = mean_and_ss(x)?;
    let (my, syy) = mean_and_ss(y)?;
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    // Rounding can push |r| a hair past 1, where atanh and the t statistic turn into NaN.
    let r = finite(sxy / (sxx.sqrt() * syy.sqrt()))?.clamp(-1.0, 1.0);
    let df = (n - 2) as f64;
    // At r = ±1 this is ±∞, which t_two_sided_p maps to p = 0.
    let t = r * (df / ((1.0 - r) * (1.0 + r))).sqrt();
    let (ci_low, ci_high) = fisher_ci(r, n).unzip();
    Some(Correlation {
        n,
        r,
        ci_low,
        ci_high,
        p_value: t_two_sided_p(t, df),
    })
}

/// 95 % interval for a correlation by Fisher's z = atanh r with standard error 1/√(n − 3);
/// at r = ±1, z is infinite and the interval collapses to (r, r) without NaN.
fn fisher_ci(r: f64, n: usize) -> Option<(f64, f64)> {
    if n < 4 {
        return None;
    }
    let z = r.atanh();
    let half = Z_975 / ((n - 3) as f64).sqrt();
    Some(((z - half).tanh(), (z + half).tanh()))
}

/// Above this many degrees of freedom the t tail comes from Fisher's expansion about the
/// normal. The continued fraction's terms cancel more as df grows (to ~1e-10 relative here),
/// while the expansion's relative error, about t¹²/(128·df³), is below 1e-10 out to |t| = 10.
const NORMAL_DF: f64 = 3e6;

/// P(|T| ≥ |t|) for Student's t with `df` degrees of freedom: I_x(df/2, 1/2), x = df/(df + t²).
fn t_two_sided_p(t: f64, df: f64) -> f64 {
    let t = t.abs();
    if df > NORMAL_DF {
        // Fisher's (1926) expansion of Student's integral in powers of 1/df: P(T > t) = Q(t)
        // + φ(t)·[(t³ + t)/4df + (3t⁷ − 7t⁵ − 5t³ − 3t)/96df² + O(1/df³)]. φ(t) is 0 long
        // before t⁷ overflows.
        let phi = normal_density(t);
        if phi == 0.0 {
            return 0.0;
        }
        let t2 = t * t;
        let g1 = t * (t2 + 1.0) / 4.0;
        let g2 = t * (((3.0 * t2 - 7.0) * t2 - 5.0) * t2 - 3.0) / 96.0;
        let tail = normal_two_sided_p(t) / 2.0 + phi * (g1 + g2 / df) / df;
        return (2.0 * tail).min(1.0);
    }
    // x and y = 1 − x each from its own formula, so a tiny t keeps its digits in y, and from
    // whichever ratio of t² to df stays in range, so a huge t does not overflow t².
    let a = df / 2.0;
    let s = t / df.sqrt();
    if s <= 1.0 {
        let s2 = s * s;
        return beta_reg(a, 0.5, 1.0 / (1.0 + s2), s2 / (1.0 + s2));
    }
    // From t and df rather than s, which overflows when df is tiny.
    let ln_u2 = df.ln() - 2.0 * t.ln();
    if ln_u2 < f64::MIN_POSITIVE.ln() {
        // x = u²/(1 + u²), u = 1/s, would underflow, yet the tail itself may not (df = 1,
        // t = 1e300 gives 6e-301). Here I_x(a, ½) = x^a / (a·B(a, ½)) to within a factor 1 + O(x).
        return (a * ln_u2 - a.ln() - ln_beta(a, 0.5)).exp();
    }
    let u2 = 1.0 / (s * s);
    beta_reg(a, 0.5, u2 / (1.0 + u2), 1.0 / (1.0 + u2))
}

/// The standard normal density φ(z).
fn normal_density(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// P(|Z| ≥ |z|) for the standard normal, = erfc(|z|/√2).
fn normal_two_sided_p(z: f64) -> f64 {
    erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// The complementary error function for x ≥ 0, to about 1e-14 relative.
fn erfc(x: f64) -> f64 {
    const MAX_TERMS: usize = 500;
    let frac_1_sqrt_pi = std::f64::consts::FRAC_2_SQRT_PI / 2.0;
    if x < 2.0 {
        // erf(x) = (2/√π)·e^(−x²)·Σ 2ⁿ x²ⁿ⁺¹ / (1·3·…·(2n+1)): every term positive, so the
        // sum does not cancel; 1 − erf loses at most the 2–3 digits of erfc(2) ≈ 0.005.
        let x2 = x * x;
        let (mut term, mut sum, mut odd) = (x, x, 1.0);
        for _ in 0..MAX_TERMS {
            if term <= sum * f64::EPSILON {
                break;
            }
            odd += 2.0;
            term *= 2.0 * x2 / odd;
            sum += term;
        }
        return 1.0 - 2.0 * frac_1_sqrt_pi * (-x2).exp() * sum;
    }
    if x > 40.0 {
        // erfc(27) is already below the smallest subnormal; this also keeps ∞ out of Lentz.
        return 0.0;
    }
    // Laplace's continued fraction √π·e^(x²)·erfc(x) = 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))),
    // by the modified Lentz method; from x = 2 it converges in well under a hundred terms.
    let tiny = f64::MIN_POSITIVE / f64::EPSILON;
    let nonzero = |v: f64| if v.abs() < tiny { tiny } else { v };
    let (mut g, mut c, mut d) = (x, x, 0.0);
    for k in 1..=MAX_TERMS {
        let a = k as f64 / 2.0;
        d = 1.0 / nonzero(x + a * d);
        c = nonzero(x + a / c);
        let step = c * d;
        g *= step;
        if (step - 1.0).abs() <= f64::EPSILON {
            break;
        }
    }
    frac_1_sqrt_pi * (-x * x).exp() / g
}

/// Regularized incomplete beta I_x(a, b) for a, b > 0, taking y = 1 − x separately so the
/// caller can supply it without cancellation (Numerical Recipes `betai`).
fn beta_reg(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    // The logarithm of the larger of x and y goes through ln_1p of the smaller, which is the
    // one known to full relative precision; a·ln x with a = df/2 would magnify any slack.
    let (ln_x, ln_y) = if x <= y {
        (x.ln(), (-x).ln_1p())
    } else {
        ((-y).ln_1p(), y.ln())
    };
    let front = (a * ln_x + b * ln_y - ln_beta(a, b)).exp();
    // The continued fraction converges quickly only below the mean of the beta distribution;
    // above it, use I_x(a, b) = 1 − I_y(b, a).
    let i = if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x, y) / a
    } else {
        1.0 - front * beta_cf(b, a, y, x) / b
    };
    i.clamp(0.0, 1.0)
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0 (after R's `lbeta`).
///
/// For a large argument the three ln Γ are huge and nearly cancel (ln Γ(5·10⁵) ≈ 6·10⁶ for
/// df = 10⁶), so there Stirling's formula is subtracted term by term before evaluating.
fn ln_beta(a: f64, b: f64) -> f64 {
    let (p, q) = if a < b { (a, b) } else { (b, a) };
    let ln_sqrt_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
    let share = p / (p + q);
    if p >= 10.0 {
        let corr = stirling_correction(p) + stirling_correction(q) - stirling_correction(p + q);
        -0.5 * q.ln() + ln_sqrt_2pi + corr + (p - 0.5) * share.ln() + q * (-share).ln_1p()
    } else if q >= 10.0 {
        let corr = stirling_correction(q) - stirling_correction(p + q);
        ln_gamma(p) + corr + p - p * (p + q).ln() + (q - 0.5) * (-share).ln_1p()
    } else {
        ln_gamma(p) + ln_gamma(q) - ln_gamma(p + q)
    }
}

/// ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π] for x ≥ 10, by the Stirling series
/// Σ B₂ₖ / (2k(2k − 1) x²ᵏ⁻¹); eight terms reach 1e-16 at x = 10.
fn stirling_correction(x: f64) -> f64 {
    // B₂ₖ / (2k(2k − 1)) for k = 8 down to 1, for Horner's rule in 1/x².
    const COEF: [f64; 8] = [
        -3617.0 / 122_400.0,
        1.0 / 156.0,
        -691.0 / 360_360.0,
        1.0 / 1188.0,
        -1.0 / 1680.0,
        1.0 / 1260.0,
        -1.0 / 360.0,
        1.0 / 12.0,
    ];
    let inv2 = 1.0 / (x * x);
    COEF.iter().fold(0.0, |acc, c| acc * inv2 + c) / x
}

/// Continued fraction for the incomplete beta by the modified Lentz method (Numerical
/// Recipes `betacf`), with y = 1 − x passed in for the first term.
fn beta_cf(a: f64, b: f64, x: f64, y: f64) -> f64 {
    // With b = ½, the only use here, it converges in under 50 terms for any a up to the
    // NORMAL_DF cut-off; the cap is a guard against looping forever, not a tuning knob.
    const MAX_ITER: u32 = 1000;
    // Stands in for a zero denominator so Lentz's recurrence can continue.
    const TINY: f64 = f64::MIN_POSITIVE / f64::EPSILON;
    let nonzero = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    // 1 − qab·x/qap rewritten through y = 1 − x: for large a and x near 1 the direct form
    // subtracts two numbers that agree to about log10(a) digits.
    let mut d = 1.0 / nonzero(((1.0 - b) + qab * y) / qap);
    let mut h = d;
    for m in 1..=MAX_ITER {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / nonzero(1.0 + even * d);
        c = nonzero(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / nonzero(1.0 + odd * d);
        c = nonzero(1.0 + odd / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() <= f64::EPSILON {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 by Lanczos' approximation with g = 671/128 and 14 terms (Numerical
/// Recipes, 3rd ed., `gammln`), good to about 1e-15.
fn ln_gamma(x: f64) -> f64 {
    const COF: [f64; 14] = [
        57.156_235_665_862_92,
        -59.597_960_355_475_49,
        14.136_097_974_741_746,
        -0.491_913_816_097_620_2,
        3.399_464_998_481_189e-5,
        4.652_362_892_704_858e-5,
        -9.837_447_530_487_956e-5,
        1.580_887_032_249_125e-4,
        -2.102_644_417_241_048_8e-4,
        2.174_396_181_152_126_5e-4,
        -1.643_181_065_367_639e-4,
        8.441_822_398_385_275e-5,
        -2.619_083_840_158_140_8e-5,
        3.689_918_265_953_162_5e-6,
    ];
    let tmp = x + 5.242_187_5;
    let tmp = (x + 0.5) * tmp.ln() - tmp;
    let mut ser = 0.999_999_999_999_997_1;
    for (j, c) in COF.iter().enumerate() {
        ser += c / (x + 1.0 + j as f64);
    }
    tmp + (2.506_628_274_631_000_7 * ser / x).ln()
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
/// for df in [3.1e6, 1e10]:
///     show(f"t ppf 0.975 df={df}", stats.t.ppf(0.975, df))
/// ```
#[cfg(test)]
mod tests {
    use super::*;

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
        assert_close(median(&SLEEP).expect("ten values"), 7.15, "median even");
        assert_close(median(&HARD).expect("seven values"), 6.0, "median odd");
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
        assert_eq!(median(&[5.0, f64::NAN]), Some(5.0));
    }

    #[test]
    fn quantile_is_none_outside_0_to_1_or_without_values() {
        for p in [-0.1, 1.1, f64::NAN, f64::INFINITY] {
            assert_eq!(quantile(&SLEEP, p), None, "p = {p}");
        }
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(median(&[f64::NAN]), None);
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
                    -0.9858954731436166,
                    -0.7582441028845095,
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
                    0.881563883536802,
                    0.9935182892913766,
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
    fn mean_ci_matches_scipy() {
        let m = mean_ci(&SLEEP).expect("ten values");
        assert_eq!(m.n, 10);
        assert_close(m.mean, 7.2299999999999995, "mean");
        assert_close(m.ci_low, 6.72523528158775, "ci_low");
        assert_close(m.ci_high, 7.734764718412249, "ci_high");
        assert_eq!(mean_ci(&[1.0, f64::NAN]), None);
        let flat = mean_ci(&[2.0, 2.0, 2.0]).expect("three values");
        assert_eq!((flat.ci_low, flat.ci_high), (2.0, 2.0));
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
            let got = student_t_quantile(0.975, df).expect("valid p and df");
            assert_close(got, want, &format!("df = {df}"));
            assert_close(
                student_t_quantile(0.025, df).expect("valid"),
                -want,
                "lower",
            );
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
            let got = student_t_quantile(p, df).expect("valid p and df");
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
            let got = student_t_cdf(t, df).expect("valid t and df");
            assert_close(got, want, &format!("t = {t}, df = {df}"));
        }
    }

    #[test]
    fn student_t_agrees_with_closed_forms_for_one_and_two_df() {
        // df = 1 is Cauchy: F(t) = 1/2 + atan(t)/π. df = 2: F(t) = 1/2 + t / (2√(2 + t²)),
        // whose inverse is t = (2p − 1) / √(2p(1 − p)).
        for t in [-7.5_f64, -1.0, -0.01, 0.3, 2.0, 60.0] {
            let cauchy = 0.5 + t.atan() / std::f64::consts::PI;
            assert_close(student_t_cdf(t, 1.0).expect("valid"), cauchy, "df 1");
            let two = 0.5 + t / (2.0 * (2.0 + t * t).sqrt());
            assert_close(student_t_cdf(t, 2.0).expect("valid"), two, "df 2");
        }
        for p in [0.01_f64, 0.3, 0.975] {
            let t = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
            assert_close(
                student_t_quantile(p, 2.0).expect("valid"),
                t,
                "df 2 inverse",
            );
        }
    }

    #[test]
    fn student_t_rejects_invalid_arguments() {
        for df in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(student_t_cdf(1.0, df), None, "cdf df = {df}");
            assert_eq!(student_t_quantile(0.9, df), None, "quantile df = {df}");
        }
        assert_eq!(student_t_cdf(f64::NAN, 3.0), None);
        for p in [0.0, 1.0, -0.5, 2.0, f64::NAN] {
            assert_eq!(student_t_quantile(p, 3.0), None, "p = {p}");
        }
    }

    #[test]
    fn special_functions_match_scipy() {
        // (x, scipy.special.gammaln(x)); absolute near the zeros at 1 and 2.
        let gammas = [
            (0.5, 0.5723649429247),
            (1.0, 0.0),
            (1.5, -0.12078223763524526),
            (2.0, 0.0),
            (3.7, 1.428072326665388),
            (10.0, 12.801827480081469),
            (500.5, 2608.2229044109863),
            (100000.0, 1051287.7089736569),
        ];
        for (x, want) in gammas {
            let got = ln_gamma(x);
            assert!(
                (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                "ln Γ({x}) = {got}"
            );
        }
        // (a, b, x, scipy.special.betainc(a, b, x))
        let betas = [
            (0.5, 0.5, 0.3, 0.36901011956554536),
            (2.5, 0.5, 0.9, 0.48958974456442755),
            (500.0, 0.5, 0.99, 0.0015273578790529906),
            (3.0, 7.0, 0.2, 0.26180249600000016),
            (8.65, 0.5, 0.4, 8.538885396076147e-05),
        ];
        for (a, b, x, want) in betas {
            assert_close(
                beta_reg(a, b, x, 1.0 - x),
                want,
                &format!("I_{x}({a}, {b})"),
            );
        }
        assert_close(Z_975, 1.959963984540054, "ndtri(0.975)");
    }

    #[test]
    fn normal_cdf_and_quantile_match_scipy() {
        // (z, scipy.stats.norm.cdf(z))
        let cdfs = [
            (-30.0, 4.906713927147908e-198),
            (-8.0, 6.22096057427174e-16),
            (-1.96, 0.024997895148220435),
            (-0.5, 0.3085375387259869),
            (0.0, 0.5),
            (0.3, 0.6179114221889526),
            (2.0, 0.9772498680518208),
        ];
        for (z, want) in cdfs {
            assert_close(
                normal_cdf(z).expect("z is a number"),
                want,
                &format!("z = {z}"),
            );
        }
        // (p, scipy.stats.norm.ppf(p))
        let quantiles = [
            (1e-300, -37.0470962993612),
            (1e-10, -6.361340902404056),
            (0.025, -1.9599639845400545),
            (0.3, -0.5244005127080409),
            (0.975, 1.959963984540054),
        ];
        for (p, want) in quantiles {
            assert_close(
                normal_quantile(p).expect("0 < p < 1"),
                want,
                &format!("p = {p}"),
            );
        }
        assert_close(normal_quantile(0.975).expect("0 < p < 1"), Z_975, "Z_975");
        assert_eq!(normal_cdf(f64::NAN), None);
        assert_eq!(normal_quantile(1.0), None);
    }

    #[test]
    fn student_t_with_huge_df_matches_scipy_on_both_sides_of_the_switch_to_the_normal() {
        // (t, df, scipy.stats.t.cdf(t, df)); NORMAL_DF = 3e6 lies between the first two.
        let cdfs = [
            (-3.0, 2.9e6, 0.0013499094933329095),
            (-3.0, 3.1e6, 0.0013499087538666492),
            (-1.96, 1e8, 0.02499789653466404),
            (2.5, 1e14, 0.9937903346742231),
        ];
        for (t, df, want) in cdfs {
            let got = student_t_cdf(t, df).expect("valid t and df");
            assert_close(got, want, &format!("t = {t}, df = {df}"));
        }
        // (df, scipy.stats.t.ppf(0.975, df))
        for (df, want) in [(3.1e6, 1.9599647497891313), (1e10, 1.959963984777281)] {
            let got = student_t_quantile(0.975, df).expect("valid p and df");
            assert_close(got, want, &format!("df = {df}"));
        }
    }

    #[test]
    fn student_t_keeps_its_far_tails_where_t_squared_would_overflow() {
        // df = 1 is Cauchy: P(T ≤ −t) = atan(1/t)/π ≈ 1/(πt), and the p quantile is
        // −cot(πp) ≈ −1/(πp). SciPy returns 0 and −∞ here, so these are worked by hand.
        let pi = std::f64::consts::PI;
        let tail = student_t_cdf(-1e300, 1.0).expect("valid t and df");
        assert_close(tail, 1.0 / (pi * 1e300), "cdf(−1e300)");
        let t = student_t_quantile(1e-300, 1.0).expect("valid p and df");
        assert_close(t, -1.0 / (pi * 1e-300), "quantile(1e-300)");
        // At df = 0.001 the 1 − 1e-16 quantile is about 10^16000: not an f64.
        assert_eq!(student_t_quantile(1.0 - 1e-16, 0.001), None);
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
            assert!(v.map_or(true, f64::is_finite), "{what}: {v:?}");
        };
        for x in inputs {
            finite_or_none(mean(x), "mean");
            finite_or_none(sd(x), "sd");
            finite_or_none(median(x), "median");
            if let Some(m) = mean_ci(x) {
                assert!(
                    m.ci_low.is_finite() && m.ci_high.is_finite(),
                    "{x:?}: {m:?}"
                );
            }
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
