//! Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves for customer
//! base analysis"): a customer's purchase values vary around their own mean ζ, as
//! Gamma(p, ν) with ν ~ Gamma(q, γ) across customers. Fitted on the repeat customers (x > 0)
//! with their mean repeat value m > 0 (customers whose mean is 0 or less, after returns, are
//! left out and counted); `lifetimes` calls γ `v`. The model assumes that the mean value does
//! not depend on how often a customer buys: the Pearson correlation of x and m is reported,
//! flagged above [`CORRELATION_WARNING`].

use serde::{Deserialize, Serialize};

use super::optimise::{fit_from_starts, hessian, inverse_spd};
use super::special::{digamma, ln_gamma};
use super::summary::Summaries;
use super::{FitModel, MIN_REPEATERS};
use crate::engine::error::{Error, ModelProblem, Result};

/// |r| of frequency and mean value above which the independence the model assumes is in
/// doubt ([`GammaGammaFit::correlation_warning`]). 0.3 is the usual line between a weak and a
/// moderate correlation; the paper's CDNOW data have r = 0.11.
pub const CORRELATION_WARNING: f64 = 0.3;

/// The three Gamma-Gamma parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    /// p: shape of the purchase values around a customer's mean.
    pub p: f64,
    /// q: shape of the distribution of the customers' ν.
    pub q: f64,
    /// γ (`lifetimes`' v): scale of the distribution of the customers' ν.
    pub gamma: f64,
}

/// A converged Gamma-Gamma fit ([`fit_gamma_gamma`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFit {
    /// The maximum-likelihood parameters.
    pub params: GammaGammaParams,
    /// Standard errors of p, q, γ (inverse numerical Hessian); `None` when it is not positive
    /// definite.
    pub standard_errors: Option<[f64; 3]>,
    /// The log-likelihood at the optimum (sum over the customers fitted; the density of the
    /// mean values, without the constant `lifetimes` also leaves out).
    pub log_likelihood: f64,
    /// Customers fitted on (x > 0, m > 0).
    pub customers: usize,
    /// Repeat customers left out because their mean repeat value is 0 or less.
    pub non_positive: usize,
    /// Pearson correlation of x and m over the customers fitted on; `None` when either is
    /// constant.
    pub correlation: Option<f64>,
    /// |correlation| > [`CORRELATION_WARNING`].
    pub correlation_warning: bool,
    /// Starting points tried.
    pub starts: usize,
    /// Starting points whose optimum lies within 1 % of the best in every parameter.
    pub starts_agreeing: usize,
}

fn from_log(theta: &[f64]) -> GammaGammaParams {
    GammaGammaParams {
        p: theta[0].exp(),
        q: theta[1].exp(),
        gamma: theta[2].exp(),
    }
}

/// The repeat customers grouped by x, for the likelihood: the (x, m) pairs sorted by x then
/// m, and per x its customers' count, the sum of their ln m and where its pairs lie. (One
/// sorted column rather than a vector of m per x: at a million customers the copies and
/// growing vectors were some 40 MB more of the analysis worker's peak.)
struct Groups {
    sorted: Vec<(u32, f64)>,
    groups: Vec<(f64, f64, f64, std::ops::Range<usize>)>,
}

impl Groups {
    fn new(mut sorted: Vec<(u32, f64)>) -> Self {
        // Equal pairs are equal values: the unstable sort gives the one order there is.
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut groups: Vec<(f64, f64, f64, std::ops::Range<usize>)> = Vec::new();
        for (i, &(x, m)) in sorted.iter().enumerate() {
            let x = f64::from(x);
            if groups.last().is_none_or(|g| g.0 != x) {
                groups.push((x, 0.0, 0.0, i..i));
            }
            if let Some(g) = groups.last_mut() {
                g.1 += 1.0;
                g.2 += m.ln();
                g.3.end = i + 1;
            }
        }
        Groups { sorted, groups }
    }

    /// Total log-likelihood (`lifetimes`' expression, summed by x), and its gradient in
    /// (p, q, γ) written into `gradient`.
    fn total(&self, params: &GammaGammaParams, gradient: &mut [f64; 3]) -> f64 {
        let GammaGammaParams { p, q, gamma: v } = *params;
        let common = -ln_gamma(q) + q * v.ln();
        let (psi_q, ln_v) = (digamma(q), v.ln());
        let mut sum = 0.0;
        let mut d = [0.0; 3];
        for (x, count, sum_ln_m, range) in &self.groups {
            let values = self.sorted.get(range.clone()).unwrap_or_default();
            let px = p * x;
            let ln_x = x.ln();
            let head = ln_gamma(px + q) - ln_gamma(px) + common + px * ln_x;
            let (mut tail, mut inverse) = (0.0, 0.0);
            for (_, m) in values {
                let xm = x * m + v;
                tail += xm.ln();
                inverse += 1.0 / xm;
            }
            sum += count * head + (px - 1.0) * sum_ln_m - (px + q) * tail;
            let psi_pxq = digamma(px + q);
            d[0] += x * (count * (psi_pxq - digamma(px) + ln_x) + sum_ln_m - tail);
            d[1] += count * (psi_pxq - psi_q + ln_v) - tail;
            d[2] += count * q / v - (px + q) * inverse;
        }
        *gradient = d;
        sum
    }
}

/// Fits Gamma-Gamma to the repeat customers of the summaries: BFGS in log-parameters with the
/// analytic gradient from (p, q, γ) = (1, 1, 1), (5, 3, mean m) and (0.5, 5, mean m / 4); the
/// best optimum is the fit (a Nelder–Mead simplex polishes it when BFGS stalled).
///
/// # Errors
/// [`Error::Model`] for [`FitModel::GammaGamma`]: [`ModelProblem::TooFewRepeatCustomers`]
/// with fewer than [`MIN_REPEATERS`] customers with x > 0 and m > 0;
/// [`ModelProblem::NotConverged`].
pub fn fit_gamma_gamma(summaries: &Summaries) -> Result<GammaGammaFit> {
    let repeat = summaries.customers.iter().filter(|c| c.frequency > 0);
    let repeaters = repeat.clone().count();
    let fitted = |&(_, m): &(u32, f64)| m.is_finite() && m > 0.0;
    let pairs = repeat
        .clone()
        .map(|c| (c.frequency, c.value))
        .filter(fitted);
    // Counted first, so the column is made at its size (no copies as it grows).
    let mut fitted_pairs = Vec::with_capacity(pairs.clone().count());
    fitted_pairs.extend(pairs);
    let pairs = fitted_pairs;
    let error = |problem| Error::Model {
        model: FitModel::GammaGamma,
        problem,
    };
    if pairs.len() < MIN_REPEATERS {
        return Err(error(ModelProblem::TooFewRepeatCustomers {
            found: pairs.len(),
            min: MIN_REPEATERS,
        }));
    }
    let n = pairs.len() as f64;
    let mean_m = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    // Before the pairs are sorted into the groups: its sums run in the customers' order.
    let correlation = pearson(&pairs);
    let customers = pairs.len();
    let groups = Groups::new(pairs);
    let mut objective = |theta: &[f64], gradient: &mut [f64]| {
        if theta.len() != 3 || theta.iter().any(|v| !v.is_finite() || v.abs() > 30.0) {
            gradient.iter_mut().for_each(|g| *g = f64::NAN);
            return f64::INFINITY;
        }
        let params = from_log(theta);
        let mut d = [0.0; 3];
        let total = groups.total(&params, &mut d);
        let natural = [params.p, params.q, params.gamma];
        for (i, g) in gradient.iter_mut().enumerate().take(3) {
            *g = -d[i] * natural[i] / n;
        }
        -total / n
    };
    let starts: Vec<Vec<f64>> = [
        [1.0, 1.0, 1.0],
        [5.0, 3.0, mean_m],
        [0.5, 5.0, mean_m / 4.0],
    ]
    .iter()
    .map(|s| s.iter().map(|v: &f64| v.ln()).collect())
    .collect();
    let search = fit_from_starts(&mut objective, &starts, &|_| false)
        .ok_or_else(|| error(ModelProblem::NotConverged))?;
    let best = search.best;
    if !best.converged {
        return Err(error(ModelProblem::NotConverged));
    }
    let params = from_log(&best.x);
    let mut total_nll = |theta: &[f64]| objective(theta, &mut [0.0; 3]) * n;
    let h = hessian(&mut total_nll, &best.x, 1e-4);
    let standard_errors = inverse_spd(&h).map(|inv| {
        let p = [params.p, params.q, params.gamma];
        std::array::from_fn(|i| p[i] * inv[i][i].sqrt())
    });
    Ok(GammaGammaFit {
        params,
        standard_errors,
        log_likelihood: -best.value * n,
        customers,
        non_positive: repeaters - customers,
        correlation,
        correlation_warning: correlation.is_some_and(|r| r.abs() > CORRELATION_WARNING),
        starts: search.starts,
        starts_agreeing: search.agreeing,
    })
}

/// Pearson correlation of x and m; `None` when either has no spread.
fn pearson(pairs: &[(u32, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| f64::from(p.0)).sum::<f64>() / n;
    let mm = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, m) in pairs {
        let (dx, dm) = (f64::from(x) - mx, m - mm);
        sxy += dx * dm;
        sxx += dx * dx;
        syy += dm * dm;
    }
    let r = sxy / (sxx * syy).sqrt();
    r.is_finite().then_some(r)
}

impl GammaGammaParams {
    /// E[Z | x, m]: the expected mean purchase value of a customer with x repeat purchases of
    /// mean value m, a weighted average of the population mean γp / (q − 1) and m with weight
    /// p·x / (p·x + q − 1) on m; the population mean for x = 0. Applied as written to any m
    /// (also to the customers left out of the fit). NaN for q = 1 exactly.
    pub fn conditional_expected_value(&self, x: u32, m: f64) -> f64 {
        let GammaGammaParams { p, q, gamma } = *self;
        let population = gamma * p / (q - 1.0);
        if x == 0 {
            return population;
        }
        let px = p * f64::from(x);
        let weight = px / (px + q - 1.0);
        (1.0 - weight) * population + weight * m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_analytic_gradient_matches_central_differences() {
        let pairs: Vec<(u32, f64)> = (1..60)
            .map(|i| (1 + i % 6, 5.0 + f64::from(i % 17)))
            .collect();
        let groups = Groups::new(pairs);
        let params = GammaGammaParams {
            p: 6.0,
            q: 3.7,
            gamma: 15.0,
        };
        let mut d = [0.0; 3];
        groups.total(&params, &mut d);
        let at = |p: GammaGammaParams| groups.total(&p, &mut [0.0; 3]);
        let h = 1e-6;
        let numeric = [
            (at(GammaGammaParams {
                p: 6.0 + h,
                ..params
            }) - at(GammaGammaParams {
                p: 6.0 - h,
                ..params
            })) / (2.0 * h),
            (at(GammaGammaParams {
                q: 3.7 + h,
                ..params
            }) - at(GammaGammaParams {
                q: 3.7 - h,
                ..params
            })) / (2.0 * h),
            (at(GammaGammaParams {
                gamma: 15.0 + h,
                ..params
            }) - at(GammaGammaParams {
                gamma: 15.0 - h,
                ..params
            })) / (2.0 * h),
        ];
        for i in 0..3 {
            assert!(
                (numeric[i] - d[i]).abs() < 1e-5 * d[i].abs().max(1.0),
                "{i}: {} vs {}",
                numeric[i],
                d[i]
            );
        }
    }
}
