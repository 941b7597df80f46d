//! Maximum likelihood by hand: BFGS with the models' analytic gradients (the fit), a Nelder–Mead
//! simplex (Nelder & Mead 1965, the standard coefficients 1, 2, ½, ½) with restarts as the
//! fallback for a start where BFGS stalls, a central-difference Hessian and its inverse.
//!
//! Why not `argmin`: it brings `rand`, `rand_xoshiro`, `anyhow`, `paste`, `web-time` and
//! `argmin-math` (and, on wasm32, a `getrandom` feature to set) for about a hundred lines of
//! simplex; the models here have three or four parameters, a likelihood that costs one pass
//! over the unique tuples, and no gradient to hand, which is the simplex's home ground.

/// Where a minimisation ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Minimum {
    /// The point (the log-parameters).
    pub x: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// The simplex shrank below the tolerances before the iteration limit.
    pub converged: bool,
    /// Objective evaluations used.
    pub evaluations: usize,
}

/// Iteration limit of one simplex run.
const MAX_ITERATIONS: usize = 20_000;
/// How closely a simplex run must converge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tolerance {
    /// The simplex's values differ by at most this, relative to 1 + |value|…
    pub f: f64,
    /// …and its vertices by at most this (in log-parameters).
    pub x: f64,
}

/// For the final optimum: the values agree to 1e-12, the vertices to 1e-9.
pub(crate) const TIGHT: Tolerance = Tolerance { f: 1e-12, x: 1e-9 };

#[allow(clippy::needless_range_loop)]
/// Minimises `f` from `start` by Nelder–Mead; then restarts from the best point with a fresh
/// simplex until a restart no longer improves (at most 8 restarts), which guards against a
/// simplex that collapsed early. A non-finite objective counts as +∞.
pub(crate) fn minimise(
    f: &mut dyn FnMut(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    tolerance: Tolerance,
) -> Minimum {
    let mut best = simplex(f, start, step, tolerance);
    for _ in 0..8 {
        if !best.converged {
            break;
        }
        let again = simplex(f, &best.x, step * 0.1, tolerance);
        let improved = best.value - again.value > tolerance.f * (1.0 + best.value.abs());
        let evaluations = best.evaluations + again.evaluations;
        if again.value <= best.value {
            best = Minimum {
                evaluations,
                ..again
            };
        } else {
            best.evaluations = evaluations;
        }
        if !improved {
            break;
        }
    }
    best
}

/// The outcome of [`fit_from_starts`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Search {
    /// The polished optimum.
    pub best: Minimum,
    /// Starting points tried.
    pub starts: usize,
    /// Starts whose (loose) optimum lies within 1 % of the best in every parameter.
    pub agreeing: usize,
    /// Objective evaluations in all.
    pub evaluations: usize,
    /// The best point is on the edge of the parameter space (`at_edge` of
    /// [`fit_from_starts`]): taken as it is, not polished.
    pub at_edge: bool,
    /// Where each start's BFGS ended (non-finite ones left out).
    pub ends: Vec<Vec<f64>>,
}

/// The objective with its gradient: returns f(x) and writes ∇f(x) into the slice.
pub(crate) type WithGradient<'a> = &'a mut dyn FnMut(&[f64], &mut [f64]) -> f64;

/// Minimises from every start by BFGS with the analytic gradient ([`bfgs`]); the best optimum
/// is the fit when its gradient vanished ([`GRADIENT_TOLERANCE`]). Otherwise (a start that
/// stalls) the best point is polished by the Nelder–Mead simplex to [`TIGHT`] tolerances,
/// which needs no gradient — unless `at_edge` says the best point lies where the likelihood
/// keeps rising towards a limit at infinity (a flat ridge a simplex would follow for ever): it
/// is then taken as it is ([`Search::at_edge`]). `None` when the objective is nowhere finite.
pub(crate) fn fit_from_starts(
    fg: WithGradient<'_>,
    starts: &[Vec<f64>],
    at_edge: &dyn Fn(&[f64]) -> bool,
) -> Option<Search> {
    let explored: Vec<Minimum> = starts.iter().map(|s| bfgs(fg, s)).collect();
    let first = explored
        .iter()
        .filter(|m| m.value.is_finite())
        .min_by(|a, b| a.value.total_cmp(&b.value))?;
    let edge = !first.converged && at_edge(&first.x);
    let best = match first.converged || edge {
        true => first.clone(),
        false => {
            let mut gradient = vec![0.0; first.x.len()];
            let mut f = |x: &[f64]| fg(x, &mut gradient);
            minimise(&mut f, &first.x, 0.1, TIGHT)
        }
    };
    let evaluations = explored.iter().map(|m| m.evaluations).sum::<usize>()
        + if first.converged || edge {
            0
        } else {
            best.evaluations
        };
    let agreeing = explored
        .iter()
        .filter(|m| {
            m.value.is_finite() && m.x.iter().zip(&best.x).all(|(a, b)| (a - b).abs() <= 0.01)
        })
        .count();
    let ends = explored
        .iter()
        .filter(|m| m.value.is_finite())
        .map(|m| m.x.clone())
        .collect();
    Some(Search {
        best,
        starts: starts.len(),
        agreeing,
        evaluations,
        at_edge: edge,
        ends,
    })
}

/// BFGS has converged when every component of the gradient of the mean negative
/// log-likelihood (per customer, in log-parameters) is below this.
pub(crate) const GRADIENT_TOLERANCE: f64 = 1e-9;

/// The gradient below which a BFGS run whose steps stopped lowering the objective has
/// converged (see [`bfgs`]).
pub(crate) const STALLED_GRADIENT: f64 = 1e-6;

/// BFGS (Nocedal & Wright, algorithm 6.1) with a backtracking Armijo line search, from
/// `start`; converged when the gradient's largest component is below [`GRADIENT_TOLERANCE`],
/// or below [`STALLED_GRADIENT`] once three steps in a row lowered the objective by no more
/// than its rounding (1e-15 relative). At most 1,000 iterations.
pub(crate) fn bfgs(fg: WithGradient<'_>, start: &[f64]) -> Minimum {
    let n = start.len();
    let mut x = start.to_vec();
    let mut g = vec![0.0; n];
    let mut evaluations = 1;
    let mut f = finite(fg(&x, &mut g));
    let mut h: Vec<Vec<f64>> = identity(n);
    let mut converged = false;
    let mut stalled = 0;
    let mut trial_g = vec![0.0; n];
    for _ in 0..1_000 {
        if !f.is_finite() || g.iter().any(|v| !v.is_finite()) {
            break;
        }
        let largest = g.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        if largest < GRADIENT_TOLERANCE {
            converged = true;
            break;
        }
        // Rounding in a sum over a million customers can keep the gradient above the tolerance
        // at the optimum: when the steps no longer lower the objective, a gradient below
        // STALLED_GRADIENT is the optimum too.
        if stalled >= 3 {
            converged = largest < STALLED_GRADIENT;
            break;
        }
        let mut d: Vec<f64> = (0..n)
            .map(|i| -(0..n).map(|j| h[i][j] * g[j]).sum::<f64>())
            .collect();
        let mut slope: f64 = d.iter().zip(&g).map(|(a, b)| a * b).sum();
        if slope >= 0.0 {
            h = identity(n);
            d = g.iter().map(|v| -v).collect();
            slope = -g.iter().map(|v| v * v).sum::<f64>();
        }
        // No step longer than 2 in log-parameters (a factor e² in a parameter).
        let longest = d.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let mut step = if longest > 2.0 { 2.0 / longest } else { 1.0 };
        let mut accepted = None;
        for _ in 0..50 {
            let trial: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + step * b).collect();
            evaluations += 1;
            let ft = finite(fg(&trial, &mut trial_g));
            if ft <= f + 1e-4 * step * slope && trial_g.iter().all(|v| v.is_finite()) {
                accepted = Some((trial, ft));
                break;
            }
            step *= 0.5;
        }
        let Some((next, f_next)) = accepted else {
            break;
        };
        let s: Vec<f64> = next.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = trial_g.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        if sy > 1e-16 {
            let rho = 1.0 / sy;
            let hy: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| h[i][j] * y[j]).sum())
                .collect();
            let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
            for i in 0..n {
                for j in 0..n {
                    h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j])
                        + (rho * rho * yhy + rho) * s[i] * s[j];
                }
            }
        }
        if f - f_next <= 1e-15 * (1.0 + f.abs()) {
            stalled += 1;
        } else {
            stalled = 0;
        }
        x = next;
        f = f_next;
        g.copy_from_slice(&trial_g);
    }
    Minimum {
        x,
        value: f,
        converged,
        evaluations,
    }
}

fn identity(n: usize) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect()
}

fn finite(v: f64) -> f64 {
    if v.is_nan() {
        f64::INFINITY
    } else {
        v
    }
}

/// One Nelder–Mead run.
fn simplex(
    f: &mut dyn FnMut(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    tolerance: Tolerance,
) -> Minimum {
    let n = start.len();
    let mut evaluations = 0;
    let mut eval = |x: &[f64], evaluations: &mut usize| {
        *evaluations += 1;
        finite(f(x))
    };
    let mut points: Vec<Vec<f64>> = vec![start.to_vec()];
    for i in 0..n {
        let mut p = start.to_vec();
        p[i] += step;
        points.push(p);
    }
    let mut values: Vec<f64> = points.iter().map(|p| eval(p, &mut evaluations)).collect();
    let mut converged = false;
    for _ in 0..MAX_ITERATIONS {
        // Order: best first.
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
        points = order.iter().map(|&i| points[i].clone()).collect();
        values = order.iter().map(|&i| values[i]).collect();
        let spread_f = (values[n] - values[0]).abs();
        let spread_x = points[1..]
            .iter()
            .flat_map(|p| p.iter().zip(&points[0]).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if values[0].is_finite()
            && spread_f <= tolerance.f * (1.0 + values[0].abs())
            && spread_x <= tolerance.x
        {
            converged = true;
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|k| points[..n].iter().map(|p| p[k]).sum::<f64>() / n as f64)
            .collect();
        let towards = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&points[n])
                .map(|(c, w)| c + t * (w - c))
                .collect()
        };
        let reflected = towards(-1.0);
        let fr = eval(&reflected, &mut evaluations);
        if fr < values[0] {
            let expanded = towards(-2.0);
            let fe = eval(&expanded, &mut evaluations);
            if fe < fr {
                points[n] = expanded;
                values[n] = fe;
            } else {
                points[n] = reflected;
                values[n] = fr;
            }
        } else if fr < values[n - 1] {
            points[n] = reflected;
            values[n] = fr;
        } else {
            let (contracted, limit) = if fr < values[n] {
                (towards(-0.5), fr)
            } else {
                (towards(0.5), values[n])
            };
            let fc = eval(&contracted, &mut evaluations);
            if fc < limit {
                points[n] = contracted;
                values[n] = fc;
            } else {
                // Shrink towards the best vertex.
                for i in 1..=n {
                    let p: Vec<f64> = points[i]
                        .iter()
                        .zip(&points[0])
                        .map(|(x, b)| b + 0.5 * (x - b))
                        .collect();
                    values[i] = eval(&p, &mut evaluations);
                    points[i] = p;
                }
            }
        }
    }
    let best = (0..=n)
        .min_by(|&i, &j| values[i].total_cmp(&values[j]))
        .unwrap_or(0);
    Minimum {
        x: points[best].clone(),
        value: values[best],
        converged,
        evaluations,
    }
}

// Matrix code reads best with indices.
#[allow(clippy::needless_range_loop)]
/// The Hessian of `f` at `x` by central differences with step `h` in every coordinate.
pub(crate) fn hessian(f: &mut dyn FnMut(&[f64]) -> f64, x: &[f64], h: f64) -> Vec<Vec<f64>> {
    let n = x.len();
    let mut at = |dx: &[(usize, f64)]| {
        let mut p = x.to_vec();
        for &(i, d) in dx {
            p[i] += d;
        }
        f(&p)
    };
    let f0 = at(&[]);
    let mut out = vec![vec![0.0; n]; n];
    for i in 0..n {
        out[i][i] = (at(&[(i, h)]) - 2.0 * f0 + at(&[(i, -h)])) / (h * h);
        for j in 0..i {
            let v = (at(&[(i, h), (j, h)]) - at(&[(i, h), (j, -h)]) - at(&[(i, -h), (j, h)])
                + at(&[(i, -h), (j, -h)]))
                / (4.0 * h * h);
            out[i][j] = v;
            out[j][i] = v;
        }
    }
    out
}

#[allow(clippy::needless_range_loop)]
/// The inverse of a symmetric positive-definite matrix by Cholesky; `None` when it is not
/// positive definite (or not finite).
pub(crate) fn inverse_spd(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = m[i][i] - s;
                if !(d.is_finite() && d > 0.0) {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (m[i][j] - s) / l[j][j];
            }
        }
    }
    // Solve L Lᵀ X = I column by column.
    let mut inv = vec![vec![0.0; n]; n];
    for c in 0..n {
        let mut y = vec![0.0; n];
        for i in 0..n {
            let e = if i == c { 1.0 } else { 0.0 };
            let s: f64 = (0..i).map(|k| l[i][k] * y[k]).sum();
            y[i] = (e - s) / l[i][i];
        }
        let mut x = vec![0.0; n];
        for i in (0..n).rev() {
            let s: f64 = (i + 1..n).map(|k| l[k][i] * x[k]).sum();
            x[i] = (y[i] - s) / l[i][i];
        }
        for i in 0..n {
            inv[i][c] = x[i];
        }
    }
    inv.iter().flatten().all(|v| v.is_finite()).then_some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simplex_finds_rosenbrocks_valley_floor() {
        let mut f = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let m = minimise(&mut f, &[-1.2, 1.0], 0.5, TIGHT);
        assert!(m.converged);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-5 && (m.x[1] - 1.0).abs() < 1e-5,
            "{m:?}"
        );
    }

    #[test]
    fn bfgs_finds_rosenbrocks_minimum_with_the_gradient() {
        let mut fg = |x: &[f64], g: &mut [f64]| {
            g[0] = -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]);
            g[1] = 200.0 * (x[1] - x[0] * x[0]);
            (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2)
        };
        let m = bfgs(&mut fg, &[-1.2, 1.0]);
        assert!(m.converged, "{m:?}");
        assert!(
            (m.x[0] - 1.0).abs() < 1e-8 && (m.x[1] - 1.0).abs() < 1e-8,
            "{m:?}"
        );
    }

    #[test]
    fn a_nan_objective_does_not_converge_and_does_not_panic() {
        let mut f = |_: &[f64]| f64::NAN;
        let m = minimise(&mut f, &[0.0, 0.0], 0.5, TIGHT);
        assert!(!m.converged);
    }

    #[test]
    fn hessian_and_inverse_of_a_quadratic() {
        let mut f = |x: &[f64]| 2.0 * x[0] * x[0] + x[0] * x[1] + 3.0 * x[1] * x[1];
        let h = hessian(&mut f, &[0.3, -0.2], 1e-3);
        assert!((h[0][0] - 4.0).abs() < 1e-6 && (h[0][1] - 1.0).abs() < 1e-6);
        let inv = inverse_spd(&h).unwrap();
        // [[4,1],[1,6]]⁻¹ = [[6,−1],[−1,4]] / 23
        assert!((inv[0][0] - 6.0 / 23.0).abs() < 1e-6 && (inv[0][1] + 1.0 / 23.0).abs() < 1e-6);
        assert_eq!(inverse_spd(&[vec![1.0, 2.0], vec![2.0, 1.0]]), None);
    }
}
