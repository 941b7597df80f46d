//! The special functions the models need: ln Γ and ψ from `statrs` (Lanczos, about 15 significant
//! digits), and the Gauss hypergeometric function ₂F₁, which `statrs` does not have, summed here
//! as its power series in log scale (so that a heavy buyer's terms, which grow like
//! (1 − z)^−(r + x) before they fall, never overflow).

/// ln Γ(x) for x > 0 (`statrs`); NaN for x ≤ 0 or NaN.
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    statrs::function::gamma::ln_gamma(x)
}

/// ψ(x) = d ln Γ(x) / dx for x > 0 (`statrs`); NaN for x ≤ 0 or NaN.
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    statrs::function::gamma::digamma(x)
}

/// Most terms of the ₂F₁ series before it is given up on (z ≤ 0.999 needs about 37,000).
const MAX_TERMS: usize = 200_000;

/// ln ₂F₁(a, b; c; z) for 0 ≤ z < 1 by the Gauss series, summed with a running scale: terms are
/// kept below 1e200 by moving powers of 1e200 into the logarithm. `None` when z is out of
/// range, a parameter is not finite, c is 0 or a negative whole number, the series does not
/// settle within [`MAX_TERMS`], or its sum is not positive (no logarithm).
pub fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && (0.0..1.0).contains(&z)) {
        return None;
    }
    if c <= 0.0 && c.fract() == 0.0 {
        return None;
    }
    if z == 0.0 {
        return Some(0.0);
    }
    const BIG: f64 = 1e200;
    let ln_big = BIG.ln();
    let mut scale = 0.0_f64;
    let mut term = 1.0_f64;
    let mut sum = 1.0_f64;
    for n in 0..MAX_TERMS {
        let n = n as f64;
        term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        sum += term;
        if !term.is_finite() || !sum.is_finite() {
            return None;
        }
        if term.abs() > BIG || sum.abs() > BIG {
            term /= BIG;
            sum /= BIG;
            scale += ln_big;
        }
        // Past the largest term (the ratio below 1 from here on), a negligible term ends it.
        let past_peak = (a + n).abs() * (b + n).abs() * z < (c + n).abs() * (n + 1.0);
        if past_peak && term.abs() <= 1e-17 * sum.abs() {
            return (sum > 0.0).then(|| sum.ln() + scale);
        }
        if term == 0.0 {
            return (sum > 0.0).then(|| sum.ln() + scale);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn hyp2f1_matches_closed_forms() {
        // 2F1(1, 1; 2; z) = −ln(1 − z) / z
        for z in [0.1, 0.5, 0.9, 0.99] {
            let v = ln_hyp2f1(1.0, 1.0, 2.0, z).unwrap().exp();
            assert!(close(v, -(1.0 - z).ln() / z, 1e-13), "z={z}: {v}");
        }
        // 2F1(a, b; b; z) = (1 − z)^−a, including a heavy buyer's a = 2,000.5
        for (a, z) in [(0.5, 0.3), (3.0, 0.7), (2_000.5, 0.6)] {
            let v = ln_hyp2f1(a, 1.5, 1.5, z).unwrap();
            assert!(close(v, -a * (1.0 - z).ln(), 1e-12), "a={a} z={z}: {v}");
        }
        assert_eq!(ln_hyp2f1(1.0, 1.0, 2.0, 0.0), Some(0.0));
    }

    #[test]
    fn hyp2f1_refuses_what_it_cannot_sum() {
        assert_eq!(ln_hyp2f1(1.0, 1.0, 2.0, 1.0), None);
        assert_eq!(ln_hyp2f1(1.0, 1.0, 2.0, -0.5), None);
        assert_eq!(ln_hyp2f1(1.0, 1.0, -2.0, 0.5), None);
        assert_eq!(ln_hyp2f1(f64::NAN, 1.0, 2.0, 0.5), None);
    }

    #[test]
    fn ln_gamma_is_statrs_with_a_guard() {
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-13);
        assert!(ln_gamma(0.0).is_nan());
        assert!(ln_gamma(f64::NAN).is_nan());
    }
}
