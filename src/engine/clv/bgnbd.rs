//! BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive a
//! customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop
//! out with probability p ~ Beta(a, b). Fitted by maximum likelihood on the unique (x, t_x, T)
//! tuples, in log-parameters; the formulas are the paper's (its equations 6, 9, 10 and the
//! P(alive) of its appendix), as `lifetimes` writes them.

use serde::{Deserialize, Serialize};

use super::optimise::{fit_from_starts, hessian, inverse_spd};
use super::special::{digamma, ln_gamma, ln_hyp2f1};
use super::summary::Tuple;
use super::{FitModel, MIN_REPEATERS};
use crate::engine::error::{Error, ModelProblem, Result};

/// The four BG/NBD parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    /// r: shape of the purchase-rate distribution (heterogeneity of purchase rates).
    pub r: f64,
    /// α: scale of the purchase-rate distribution, in time units.
    pub alpha: f64,
    /// a: first shape of the dropout-probability distribution.
    pub a: f64,
    /// b: second shape of the dropout-probability distribution.
    pub b: f64,
}

/// A converged BG/NBD fit ([`fit_bgnbd`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BgNbdFit {
    /// The maximum-likelihood parameters.
    pub params: BgNbdParams,
    /// Standard errors of r, α, a, b from the inverse of the numerical Hessian of the
    /// log-likelihood; `None` when the Hessian is not positive definite there.
    pub standard_errors: Option<[f64; 4]>,
    /// The log-likelihood at the optimum (the sum over customers).
    pub log_likelihood: f64,
    /// Customers fitted on.
    pub customers: usize,
    /// Unique (x, t_x, T) tuples fitted on.
    pub tuples: usize,
    /// Customers with x > 0.
    pub repeaters: usize,
    /// Starting points tried.
    pub starts: usize,
    /// Starting points whose optimum lies within 1 % of the best in every parameter.
    pub starts_agreeing: usize,
    /// Likelihood evaluations over all starts.
    pub evaluations: usize,
    /// When the data shows one dropout probability for every customer: that probability
    /// a/(a+b). The likelihood then rises for ever as a and b grow together (the Beta
    /// distribution of the dropout probability narrows to a point); the fit stops where they
    /// exceed [`EDGE`], where every prediction equals the limit model's to about 1e-8, and
    /// gives no standard errors.
    pub common_dropout: Option<f64>,
}

/// a and b above this, with r and α agreeing across the starts: the common-dropout limit
/// ([`BgNbdFit::common_dropout`]).
pub const EDGE: f64 = 1e4;

/// ln of the likelihood of one tuple (the paper's equation 6, with `lifetimes`' log-sum-exp).
fn ln_likelihood(p: &BgNbdParams, x: f64, t_x: f64, t: f64, ln_x_terms: f64) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *p;
    let a3 = -(r + x) * (alpha + t).ln();
    if x == 0.0 {
        return ln_x_terms + r * alpha.ln() + a3;
    }
    let a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + t_x).ln();
    let max = a3.max(a4);
    ln_x_terms + r * alpha.ln() + max + ((a3 - max).exp() + (a4 - max).exp()).ln()
}

/// One distinct x with its tuples as (index in the T table, index in the t_x table, count).
type Group = (f64, Vec<(u32, u32, f64)>);

/// The mean negative log-likelihood per customer of the tuples, arranged for speed: the
/// distinct T and t_x values in tables (one logarithm each per evaluation), the tuples grouped
/// by x (the gamma-function terms once per x).
struct Likelihood {
    ages: Vec<f64>,
    recencies: Vec<f64>,
    /// Per distinct x: x, then its tuples as (index in `ages`, index in `recencies`, count).
    groups: Vec<Group>,
    customers: f64,
}

fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v.dedup_by(|a, b| a.total_cmp(b).is_eq());
    v
}

fn position(table: &[f64], value: f64) -> u32 {
    table.binary_search_by(|v| v.total_cmp(&value)).unwrap_or(0) as u32
}

impl Likelihood {
    fn new(tuples: &[Tuple]) -> Self {
        let ages = distinct(tuples.iter().map(|t| t.age));
        let recencies = distinct(tuples.iter().map(|t| t.recency));
        let mut groups: Vec<Group> = Vec::new();
        let mut sorted: Vec<&Tuple> = tuples.iter().collect();
        sorted.sort_by_key(|t| t.frequency);
        for t in sorted {
            let x = f64::from(t.frequency);
            if groups.last().is_none_or(|g| g.0 != x) {
                groups.push((x, Vec::new()));
            }
            if let Some(group) = groups.last_mut() {
                group.1.push((
                    position(&ages, t.age),
                    position(&recencies, t.recency),
                    f64::from(t.count),
                ));
            }
        }
        let customers = tuples.iter().map(|t| f64::from(t.count)).sum();
        Likelihood {
            ages,
            recencies,
            groups,
            customers,
        }
    }

    /// Total log-likelihood at natural parameters, and its gradient in (r, α, a, b) written
    /// into `gradient`.
    fn total(&self, p: &BgNbdParams, gradient: &mut [f64; 4]) -> f64 {
        let BgNbdParams { r, alpha, a, b } = *p;
        let ln_age: Vec<f64> = self.ages.iter().map(|t| (alpha + t).ln()).collect();
        let ln_recency: Vec<f64> = self.recencies.iter().map(|t| (alpha + t).ln()).collect();
        let inv_age: Vec<f64> = self.ages.iter().map(|t| 1.0 / (alpha + t)).collect();
        let inv_recency: Vec<f64> = self.recencies.iter().map(|t| 1.0 / (alpha + t)).collect();
        let constant = ln_gamma(a + b) - ln_gamma(b) - ln_gamma(r) + r * alpha.ln();
        let (psi_r, psi_ab, psi_b) = (digamma(r), digamma(a + b), digamma(b));
        let ln_a = a.ln();
        let ln_alpha = alpha.ln();
        let mut sum = 0.0;
        let mut d = [0.0; 4];
        for (x, tuples) in &self.groups {
            let x = *x;
            // The terms of x alone: ln Γ(r+x) − ln Γ(r) + r ln α and the beta part.
            let head = constant + ln_gamma(r + x) + ln_gamma(b + x) - ln_gamma(a + b + x);
            let psi_abx = digamma(a + b + x);
            let rx = r + x;
            let count: f64 = tuples.iter().map(|t| t.2).sum();
            sum += count * head;
            d[0] += count * (digamma(r + x) - psi_r + ln_alpha);
            d[1] += count * r / alpha;
            d[2] += count * (psi_ab - psi_abx);
            d[3] += count * (psi_ab + digamma(b + x) - psi_b - psi_abx);
            if x == 0.0 {
                for &(j, _, n) in tuples {
                    let j = j as usize;
                    sum -= n * rx * ln_age[j];
                    d[0] -= n * ln_age[j];
                    d[1] -= n * rx * inv_age[j];
                }
            } else {
                let c4 = ln_a - (b + x - 1.0).ln();
                let (mut dr, mut dalpha, mut w4_sum) = (0.0, 0.0, 0.0);
                for &(j, k, n) in tuples {
                    let (j, k) = (j as usize, k as usize);
                    let a3 = -rx * ln_age[j];
                    let a4 = c4 - rx * ln_recency[k];
                    // w3, w4: the shares of the two terms in e^A3 + e^A4.
                    let (hi, w4) = if a3 > a4 {
                        let e = (a4 - a3).exp();
                        (a3 + e.ln_1p(), e / (1.0 + e))
                    } else {
                        let e = (a3 - a4).exp();
                        (a4 + e.ln_1p(), 1.0 / (1.0 + e))
                    };
                    let w3 = 1.0 - w4;
                    sum += n * hi;
                    dr -= n * (w3 * ln_age[j] + w4 * ln_recency[k]);
                    dalpha -= n * (w3 * inv_age[j] + w4 * inv_recency[k]);
                    w4_sum += n * w4;
                }
                d[0] += dr;
                d[1] += rx * dalpha;
                d[2] += w4_sum / a;
                d[3] -= w4_sum / (b + x - 1.0);
            }
        }
        *gradient = d;
        sum
    }

    /// The mean negative log-likelihood per customer at log-parameters, and its gradient in
    /// the log-parameters.
    fn objective_gradient(&self, theta: &[f64], gradient: &mut [f64]) -> f64 {
        if theta.len() != 4 || theta.iter().any(|v| !v.is_finite() || v.abs() > 30.0) {
            gradient.iter_mut().for_each(|g| *g = f64::NAN);
            return f64::INFINITY;
        }
        let p = from_log(theta);
        let mut d = [0.0; 4];
        let total = self.total(&p, &mut d);
        let natural = [p.r, p.alpha, p.a, p.b];
        for (i, g) in gradient.iter_mut().enumerate().take(4) {
            *g = -d[i] * natural[i] / self.customers;
        }
        -total / self.customers
    }

    /// The mean negative log-likelihood per customer at log-parameters.
    fn objective(&self, theta: &[f64]) -> f64 {
        self.objective_gradient(theta, &mut [0.0; 4])
    }
}

fn from_log(theta: &[f64]) -> BgNbdParams {
    BgNbdParams {
        r: theta[0].exp(),
        alpha: theta[1].exp(),
        a: theta[2].exp(),
        b: theta[3].exp(),
    }
}

/// Fits BG/NBD to the tuples ([`super::unique_tuples`]) by maximum likelihood: a Nelder–Mead
/// BFGS in log-parameters with the analytic gradient, from three starting points
/// (r, α, a, b) = (1, 1, 1, 1), (0.25, mean T, 0.8, 2.5) and (2, mean T / 4, 0.3, 0.5); the best
/// optimum is the fit (a Nelder–Mead simplex polishes it when BFGS stalled).
///
/// # Errors
/// [`Error::Model`] for [`FitModel::BgNbd`]: [`ModelProblem::TooFewRepeatCustomers`] with fewer
/// than [`MIN_REPEATERS`] customers with x > 0; [`ModelProblem::NotConverged`] when the best
/// simplex did not meet its tolerances (or the likelihood is nowhere finite).
pub fn fit_bgnbd(tuples: &[Tuple]) -> Result<BgNbdFit> {
    let repeaters: usize = tuples
        .iter()
        .filter(|t| t.frequency > 0)
        .map(|t| t.count as usize)
        .sum();
    let customers: usize = tuples.iter().map(|t| t.count as usize).sum();
    if repeaters < MIN_REPEATERS {
        return Err(Error::Model {
            model: FitModel::BgNbd,
            problem: ModelProblem::TooFewRepeatCustomers {
                found: repeaters,
                min: MIN_REPEATERS,
            },
        });
    }
    let likelihood = Likelihood::new(tuples);
    let mean_age = tuples
        .iter()
        .map(|t| f64::from(t.count) * t.age)
        .sum::<f64>()
        / customers as f64;
    let mean_age = if mean_age.is_finite() && mean_age > 0.0 {
        mean_age
    } else {
        1.0
    };
    let starts = [
        [1.0, 1.0, 1.0, 1.0],
        [0.25, mean_age, 0.8, 2.5],
        [2.0, mean_age / 4.0, 0.3, 0.5],
    ];
    let mut objective = |theta: &[f64], g: &mut [f64]| likelihood.objective_gradient(theta, g);
    let starts: Vec<Vec<f64>> = starts
        .iter()
        .map(|s| s.iter().map(|v: &f64| v.ln()).collect())
        .collect();
    let at_edge = |x: &[f64]| x.len() == 4 && x[2] > EDGE.ln() && x[3] > EDGE.ln();
    let Some(search) = fit_from_starts(&mut objective, &starts, &at_edge) else {
        return Err(not_converged());
    };
    let best = search.best;
    // At the edge, r and α must be the same from every start that went there.
    let edge_agrees = search.at_edge
        && search.ends.iter().filter(|x| at_edge(x)).count() >= 2
        && search
            .ends
            .iter()
            .filter(|x| at_edge(x))
            .all(|x| (x[0] - best.x[0]).abs() <= 0.01 && (x[1] - best.x[1]).abs() <= 0.01);
    if !(best.converged || edge_agrees) {
        return Err(not_converged());
    }
    let n = customers as f64;
    let params = from_log(&best.x);
    // Standard errors: the Hessian of the total negative log-likelihood in log-parameters,
    // inverted, then by the delta method σ(p) = p · σ(ln p).
    let mut total = |theta: &[f64]| likelihood.objective(theta) * n;
    let h = hessian(&mut total, &best.x, 1e-4);
    let standard_errors = inverse_spd(&h).filter(|_| !edge_agrees).map(|inv| {
        let p = [params.r, params.alpha, params.a, params.b];
        std::array::from_fn(|i| p[i] * inv[i][i].sqrt())
    });
    Ok(BgNbdFit {
        params,
        standard_errors,
        log_likelihood: -best.value * n,
        customers,
        tuples: tuples.len(),
        repeaters,
        starts: search.starts,
        starts_agreeing: if edge_agrees {
            search.ends.iter().filter(|x| at_edge(x)).count()
        } else {
            search.agreeing
        },
        evaluations: search.evaluations,
        common_dropout: edge_agrees.then(|| params.a / (params.a + params.b)),
    })
}

fn not_converged() -> Error {
    Error::Model {
        model: FitModel::BgNbd,
        problem: ModelProblem::NotConverged,
    }
}

impl BgNbdParams {
    /// The log-likelihood of one customer's (x, t_x, T) (in units).
    pub fn log_likelihood(&self, x: u32, t_x: f64, t: f64) -> f64 {
        let x = f64::from(x);
        let ln_x_terms = ln_gamma(self.r + x) - ln_gamma(self.r)
            + ln_gamma(self.a + self.b)
            + ln_gamma(self.b + x)
            - ln_gamma(self.b)
            - ln_gamma(self.a + self.b + x);
        ln_likelihood(self, x, t_x, t, ln_x_terms)
    }

    /// P(alive | x, t_x, T): 1 for x = 0 (the model: a customer can only drop out right after
    /// a purchase); else 1 / (1 + a / (b + x − 1) · ((α + T) / (α + t_x))^(r + x)).
    pub fn p_alive(&self, x: u32, t_x: f64, t: f64) -> f64 {
        if x == 0 {
            return 1.0;
        }
        let x = f64::from(x);
        let ln_odds = (self.r + x) * ((self.alpha + t) / (self.alpha + t_x)).ln()
            + (self.a / (self.b + x - 1.0)).ln();
        if ln_odds > 0.0 {
            let e = (-ln_odds).exp();
            e / (1.0 + e)
        } else {
            1.0 / (1.0 + ln_odds.exp())
        }
    }

    /// E[Y(t) | x, t_x, T]: the expected purchases in the next `t` units of a customer with
    /// this history (the paper's equation 10); NaN where the hypergeometric series cannot be
    /// summed (a = 1 exactly, or parameters out of range).
    pub fn conditional_expected_purchases(&self, t: f64, x: u32, t_x: f64, age: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let BgNbdParams { r, alpha, a, b } = *self;
        let x = f64::from(x);
        let z = t / (alpha + age + t);
        let Some(ln_hyp) = ln_hyp2f1(r + x, b + x, a + b + x - 1.0, z) else {
            return f64::NAN;
        };
        let first = (a + b + x - 1.0) / (a - 1.0);
        let second = -(ln_hyp + (r + x) * ((alpha + age) / (alpha + age + t)).ln()).exp_m1();
        let denominator = if x > 0.0 {
            1.0 + a / (b + x - 1.0) * ((alpha + age) / (alpha + t_x)).powf(r + x)
        } else {
            1.0
        };
        first * second / denominator
    }

    /// E[X(t)]: the expected repeat purchases of a new customer in their first `t` units (the
    /// paper's equation 9; the tracking plot sums it over the customers' start days). NaN where
    /// the series cannot be summed.
    pub fn expected_purchases(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let BgNbdParams { r, alpha, a, b } = *self;
        let Some(ln_hyp) = ln_hyp2f1(r, b, a + b - 1.0, t / (alpha + t)) else {
            return f64::NAN;
        };
        (a + b - 1.0) / (a - 1.0) * -(ln_hyp + r * (alpha / (alpha + t)).ln()).exp_m1()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_analytic_gradient_matches_central_differences() {
        let tuples: Vec<Tuple> = (0..40)
            .map(|i| Tuple {
                frequency: i % 7,
                recency: if i % 7 == 0 { 0.0 } else { f64::from(i % 13) },
                age: 13.0 + f64::from(i % 5),
                count: 1 + i % 3,
            })
            .collect();
        let likelihood = Likelihood::new(&tuples);
        let theta = [0.3f64.ln(), 4.0f64.ln(), 0.8f64.ln(), 2.4f64.ln()];
        let mut gradient = [0.0; 4];
        likelihood.objective_gradient(&theta, &mut gradient);
        for i in 0..4 {
            let h = 1e-6;
            let (mut up, mut down) = (theta, theta);
            up[i] += h;
            down[i] -= h;
            let numeric = (likelihood.objective(&up) - likelihood.objective(&down)) / (2.0 * h);
            assert!(
                (numeric - gradient[i]).abs() < 1e-7,
                "{i}: {numeric} vs {}",
                gradient[i]
            );
        }
    }
}
