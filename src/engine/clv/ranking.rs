//! The customers ranked by CLV, and the ten CLV deciles, computed with the fit (in the
//! analysis worker, at its optimisation level): the page reads them with the result instead of
//! sorting every customer's CLV again (a radix sort of 967,209 keys, eight passes, was most of a
//! 140 ms task of the page's size-optimised build at ten million rows).

use serde::{Deserialize, Serialize};

use super::CustomerScore;
use crate::engine::numeric::{ascending_bits, sort_by_key_stable};

/// One tenth of the customers by CLV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueDecile {
    /// 1 = the highest CLV.
    pub decile: u8,
    /// Customers.
    pub customers: usize,
    /// Their CLV.
    pub clv: f64,
    /// Share of the total CLV (`None` when the total is not positive).
    pub share: Option<f64>,
    /// Share of the total CLV of this and the higher deciles.
    pub cumulative: Option<f64>,
    /// Mean P(alive).
    pub p_alive: f64,
    /// Expected purchases over the horizon.
    pub expected_purchases: f64,
}

/// Higher CLV first; equal values by customer (table) order: a total order (the comparison
/// [`ranked_by_clv`] is tested against).
#[cfg(test)]
pub(super) fn by_clv(x: &&CustomerScore, y: &&CustomerScore) -> std::cmp::Ordering {
    y.clv.total_cmp(&x.clv).then_with(|| x.index.cmp(&y.index))
}

/// The positions in `scores` ranked by CLV, highest first (IEEE total order), equal values by
/// customer (table) order, found with a radix sort of integer keys (the comparison sorts and
/// selections took 300 ms for a million customers in the app's size-optimised build).
pub fn ranked_by_clv(scores: &[CustomerScore]) -> Vec<usize> {
    ranked_of(scores.len(), |p| scores.get(p).copied())
}

/// [`ranked_by_clv`] of `n` scores read through `score` (by position).
fn ranked_of(n: usize, score: impl Fn(usize) -> Option<CustomerScore>) -> Vec<usize> {
    let mut by_index: Vec<(u64, usize)> = (0..n)
        .map(|position| {
            (
                score(position).map_or(u64::MAX, |s| u64::from(s.index)),
                position,
            )
        })
        .collect();
    if !by_index.windows(2).all(|w| w[0].0 <= w[1].0) {
        sort_by_key_stable(&mut by_index);
    }
    // Highest first: the keys of the total order, inverted; the stable sort keeps equal values
    // in the customers' order.
    let mut ranked: Vec<(u64, usize)> = by_index
        .into_iter()
        .map(|(_, position)| {
            let clv = score(position).map_or(f64::NAN, |s| s.clv);
            (!ascending_bits(clv), position)
        })
        .collect();
    sort_by_key_stable(&mut ranked);
    ranked.into_iter().map(|(_, position)| position).collect()
}

/// Ten groups of `scores` by CLV, highest first, sizes as `numpy.array_split` (the first groups
/// one larger), as the purchase deciles ([`ClvAnalysis::deciles`](super::ClvAnalysis::deciles)).
pub fn value_deciles(scores: &[CustomerScore]) -> Vec<ValueDecile> {
    value_deciles_of(scores.len(), |p| scores.get(p).copied())
}

/// [`value_deciles`] of `n` scores read through `score` (by position), so that they need not
/// all be held ([`super::Scoring`]).
pub fn value_deciles_of(
    n: usize,
    score: impl Fn(usize) -> Option<CustomerScore>,
) -> Vec<ValueDecile> {
    let ranked = ranked_of(n, &score);
    let n = ranked.len();
    let total: f64 = (0..n)
        .filter_map(&score)
        .map(|s| s.clv)
        .filter(|v| v.is_finite())
        .sum();
    let mut out = Vec::new();
    let mut start = 0;
    let mut cumulative = 0.0;
    for k in 0..10usize {
        let size = n / 10 + usize::from(k < n % 10);
        if size == 0 {
            continue;
        }
        let Some(group) = ranked.get(start..start + size) else {
            break;
        };
        start += size;
        // The three sums in one pass over the members' records (read in the ranking's order,
        // at random), each added in that order from −0.0 as `Iterator::sum` adds.
        let (mut clv, mut p_alive, mut expected_purchases) = (-0.0, -0.0, -0.0);
        for s in group.iter().filter_map(|&position| score(position)) {
            if s.clv.is_finite() {
                clv += s.clv;
            }
            p_alive += s.p_alive;
            expected_purchases += s.expected_purchases;
        }
        cumulative += clv;
        let m = group.len() as f64;
        out.push(ValueDecile {
            decile: k as u8 + 1,
            customers: group.len(),
            clv,
            share: (total > 0.0).then(|| clv / total),
            cumulative: (total > 0.0).then(|| cumulative / total),
            p_alive: p_alive / m,
            expected_purchases,
        });
    }
    out
}
