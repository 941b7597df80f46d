//! The numeric kernels: scaling, k-means++ seeding, Lloyd's iterations, silhouette,
//! Calinski-Harabasz, samples and the bootstrap. Points are rows of a flat row-major `&[f64]`
//! with [`DIMS`] columns (R, F, M).

use std::cmp::Ordering;

use crate::engine::numeric::average_ranks;
use crate::engine::sample::SplitMix64;

use super::Scaling;

/// Columns of a point: R, F, M.
pub const DIMS: usize = 3;

/// Lloyd iterations at most (scikit-learn's default `max_iter`).
pub const MAX_ITERATIONS: usize = 300;

/// A uniform integer below `n` (`n` ≥ 1), by Lemire's multiply-shift (bias below 2⁻³²·n).
pub(super) fn below(rng: &mut SplitMix64, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// `sign(x) · ln(1 + |x|)`: log(1 + x) for the usual non-negative values, mirrored for
/// negative M (net sales after returns), so that the transform is defined everywhere and
/// keeps the order.
pub fn signed_log1p(x: f64) -> f64 {
    if x < 0.0 {
        -(-x).ln_1p()
    } else {
        x.ln_1p()
    }
}

/// Scales the columns of `raw` (`n` rows of [`DIMS`]) in place of a copy:
/// - [`Scaling::LogZ`]: [`signed_log1p`], then `(y − mean) / sd` with the population sd
///   (ddof 0, as scikit-learn's `StandardScaler`); a constant column becomes 0;
/// - [`Scaling::Robust`]: [`signed_log1p`], then `(y − median) / IQR`, quartiles by linear
///   interpolation (numpy's default, scikit-learn's `RobustScaler`); an IQR of 0 divides by 1;
/// - [`Scaling::PercentRank`]: `(rank − 1) / (n − 1)` with ties at their average rank
///   (`scipy.stats.rankdata(method="average")`), 0 to 1; one row scores 0.
///
/// The caller guarantees finite values.
pub fn scale_features(raw: &[f64], scaling: Scaling) -> Vec<f64> {
    let n = raw.len() / DIMS;
    let mut out = vec![0.0; n * DIMS];
    let mut column = vec![0.0; n];
    for d in 0..DIMS {
        for (i, v) in column.iter_mut().enumerate() {
            *v = raw[i * DIMS + d];
        }
        match scaling {
            Scaling::LogZ => {
                column.iter_mut().for_each(|v| *v = signed_log1p(*v));
                let mean = column.iter().sum::<f64>() / n as f64;
                let var = column.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
                let sd = var.sqrt();
                let sd = if sd > 0.0 { sd } else { 1.0 };
                for (i, v) in column.iter().enumerate() {
                    out[i * DIMS + d] = (v - mean) / sd;
                }
            }
            Scaling::Robust => {
                column.iter_mut().for_each(|v| *v = signed_log1p(*v));
                let mut sorted = column.clone();
                sorted.sort_by(f64::total_cmp);
                let median = quantile(&sorted, 0.5);
                let iqr = quantile(&sorted, 0.75) - quantile(&sorted, 0.25);
                let iqr = if iqr > 0.0 { iqr } else { 1.0 };
                for (i, v) in column.iter().enumerate() {
                    out[i * DIMS + d] = (v - median) / iqr;
                }
            }
            Scaling::PercentRank => {
                let ranks = average_ranks(&column);
                let span = n.saturating_sub(1).max(1) as f64;
                for (i, r) in ranks.iter().enumerate() {
                    out[i * DIMS + d] = (r - 1.0) / span;
                }
            }
        }
    }
    out
}

/// numpy's default (linear) quantile of sorted values; NaN when empty.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let position = q * (sorted.len() - 1) as f64;
    let low = position.floor() as usize;
    let high = (low + 1).min(sorted.len() - 1);
    let fraction = position - low as f64;
    sorted[low] + (sorted[high] - sorted[low]) * fraction
}

fn point(x: &[f64], i: usize) -> &[f64] {
    &x[i * DIMS..(i + 1) * DIMS]
}

fn squared(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for d in 0..DIMS {
        let t = a[d] - b[d];
        s += t * t;
    }
    s
}

/// How many distinct rows `x` holds, counting up to `limit`.
pub fn distinct_rows(x: &[f64], limit: usize) -> usize {
    let mut found: Vec<&[f64]> = Vec::with_capacity(limit);
    for row in x.chunks_exact(DIMS) {
        if !found.contains(&row) {
            found.push(row);
            if found.len() >= limit {
                break;
            }
        }
    }
    found.len()
}

/// Greedy k-means++ seeding (Arthur and Vassilvitskii 2007, with scikit-learn's
/// `2 + ⌊ln k⌋` candidates per step, the one lowering the potential most kept): the first
/// centre is a uniform point, each next one drawn with probability proportional to the squared
/// distance to the nearest centre so far. Returns `k` centres, flat. `x` must hold at least
/// one row.
pub fn seed_centres(x: &[f64], k: usize, rng: &mut SplitMix64) -> Vec<f64> {
    let n = x.len() / DIMS;
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut centres = Vec::with_capacity(k * DIMS);
    let first = below(rng, n);
    centres.extend_from_slice(point(x, first));
    let mut closest: Vec<f64> = (0..n)
        .map(|i| squared(point(x, i), point(x, first)))
        .collect();
    let mut candidate_closest = vec![0.0; n];
    let mut best_closest = vec![0.0; n];
    while centres.len() < k * DIMS {
        let potential: f64 = closest.iter().sum();
        let mut best: Option<(f64, usize)> = None;
        for _ in 0..trials {
            let candidate = if potential > 0.0 {
                let target = rng.unit() * potential;
                let mut acc = 0.0;
                let mut chosen = n - 1;
                for (i, c) in closest.iter().enumerate() {
                    acc += c;
                    if acc > target {
                        chosen = i;
                        break;
                    }
                }
                chosen
            } else {
                below(rng, n)
            };
            let c = point(x, candidate);
            let mut total = 0.0;
            for (i, slot) in candidate_closest.iter_mut().enumerate() {
                *slot = closest[i].min(squared(point(x, i), c));
                total += *slot;
            }
            if best.is_none_or(|(t, _)| total < t) {
                best = Some((total, candidate));
                std::mem::swap(&mut best_closest, &mut candidate_closest);
            }
        }
        let Some((_, chosen)) = best else { break };
        centres.extend_from_slice(point(x, chosen));
        std::mem::swap(&mut closest, &mut best_closest);
    }
    centres
}

/// One k-means solution.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Cluster of each row, 0 … k − 1.
    pub labels: Vec<u32>,
    /// Centres, flat (`k` rows of [`DIMS`]).
    pub centres: Vec<f64>,
    /// Sum of squared distances to the own centre.
    pub inertia: f64,
    /// Lloyd iterations run.
    pub iterations: usize,
}

fn nearest(p: &[f64], centres: &[f64]) -> (u32, f64) {
    let mut best = (0u32, f64::INFINITY);
    for (j, c) in centres.chunks_exact(DIMS).enumerate() {
        let d = squared(p, c);
        if d < best.1 {
            best = (j as u32, d);
        }
    }
    best
}

/// Lloyd's algorithm from the given centres (flat, `k` rows): assign every row to its nearest
/// centre (ties to the lower index), move every centre to the mean of its rows, until no label
/// changes (or [`MAX_ITERATIONS`]). An empty cluster takes the row farthest from its own
/// centre (as scikit-learn relocates them), so no cluster stays empty while rows remain that
/// are not centres already. The inertia is that of the final labels and centres.
pub fn lloyd(x: &[f64], mut centres: Vec<f64>) -> Fit {
    let n = x.len() / DIMS;
    let k = centres.len() / DIMS;
    let mut labels = vec![u32::MAX; n];
    let mut distances = vec![0.0; n];
    let mut sums = vec![0.0; k * DIMS];
    let mut counts = vec![0usize; k];
    let mut iterations = 0;
    while iterations < MAX_ITERATIONS {
        iterations += 1;
        let mut changed = false;
        for i in 0..n {
            let (j, d) = nearest(point(x, i), &centres);
            if labels[i] != j {
                labels[i] = j;
                changed = true;
            }
            distances[i] = d;
        }
        if !changed {
            break;
        }
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        for i in 0..n {
            let j = labels[i] as usize;
            counts[j] += 1;
            for d in 0..DIMS {
                sums[j * DIMS + d] += x[i * DIMS + d];
            }
        }
        relocate_empty(x, &mut labels, &mut distances, &mut sums, &mut counts);
        for j in 0..k {
            if counts[j] > 0 {
                for d in 0..DIMS {
                    centres[j * DIMS + d] = sums[j * DIMS + d] / counts[j] as f64;
                }
            }
        }
    }
    let inertia = (0..n)
        .map(|i| squared(point(x, i), point(&centres, labels[i] as usize)))
        .sum();
    Fit {
        labels,
        centres,
        inertia,
        iterations,
    }
}

/// Gives each empty cluster the row (of a cluster with at least two rows) farthest from its
/// centre.
fn relocate_empty(
    x: &[f64],
    labels: &mut [u32],
    distances: &mut [f64],
    sums: &mut [f64],
    counts: &mut [usize],
) {
    let empty: Vec<usize> = (0..counts.len()).filter(|&j| counts[j] == 0).collect();
    if empty.is_empty() {
        return;
    }
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| distances[b].total_cmp(&distances[a]).then(a.cmp(&b)));
    let mut next = order.into_iter();
    for j in empty {
        let Some(i) = next.find(|&i| counts[labels[i] as usize] > 1) else {
            return;
        };
        let old = labels[i] as usize;
        counts[old] -= 1;
        counts[j] = 1;
        for d in 0..DIMS {
            sums[old * DIMS + d] -= x[i * DIMS + d];
            sums[j * DIMS + d] = x[i * DIMS + d];
        }
        labels[i] = j as u32;
        distances[i] = 0.0;
    }
}

/// The best of `starts` k-means++ + Lloyd runs (lowest inertia; the first on ties), each start
/// seeded from `rng` in turn.
pub fn best_of(x: &[f64], k: usize, starts: usize, rng: &mut SplitMix64) -> Fit {
    let mut best: Option<Fit> = None;
    for _ in 0..starts.max(1) {
        let fit = lloyd(x, seed_centres(x, k, rng));
        if best.as_ref().is_none_or(|b| fit.inertia < b.inertia) {
            best = Some(fit);
        }
    }
    best.unwrap_or_else(|| lloyd(x, seed_centres(x, k, rng)))
}

/// Cluster sizes of `labels`.
pub fn sizes(labels: &[u32], k: usize) -> Vec<usize> {
    let mut sizes = vec![0; k];
    for &l in labels {
        if let Some(s) = sizes.get_mut(l as usize) {
            *s += 1;
        }
    }
    sizes
}

/// The Calinski-Harabasz index (variance ratio criterion, Caliński and Harabasz 1974) of
/// `labels` (clusters 0 … k − 1) over all rows: `B / (k − 1)` over `W / (n − k)`, with B the
/// between-cluster and W the within-cluster sum of squares; 1 when W is 0 (scikit-learn's
/// convention); `None` unless 2 ≤ clusters present < n.
pub fn calinski_harabasz(x: &[f64], labels: &[u32], k: usize) -> Option<f64> {
    let n = labels.len();
    let sizes = sizes(labels, k);
    let present = sizes.iter().filter(|&&s| s > 0).count();
    if present < 2 || present >= n {
        return None;
    }
    let mut mean = [0.0; DIMS];
    let mut sums = vec![0.0; k * DIMS];
    for (i, &l) in labels.iter().enumerate() {
        for d in 0..DIMS {
            mean[d] += x[i * DIMS + d];
            sums[l as usize * DIMS + d] += x[i * DIMS + d];
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    let centroids: Vec<f64> = (0..k * DIMS)
        .map(|j| sums[j] / sizes[j / DIMS].max(1) as f64)
        .collect();
    let between: f64 = sizes
        .iter()
        .enumerate()
        .map(|(j, &size)| size as f64 * squared(point(&centroids, j), &mean))
        .sum();
    let within: f64 = labels
        .iter()
        .enumerate()
        .map(|(i, &l)| squared(point(x, i), point(&centroids, l as usize)))
        .sum();
    Some(if within == 0.0 {
        1.0
    } else {
        between * (n - present) as f64 / (within * (present - 1) as f64)
    })
}

/// The mean silhouette width (Rousseeuw 1987) of the rows `sample` under `labels`, distances
/// among the sampled rows only (as `sklearn.metrics.silhouette_score(X[sample],
/// labels[sample])`): for each row `(b − a) / max(a, b)`, with `a` its mean distance to the
/// other rows of its cluster and `b` the lowest mean distance to another cluster; 0 for a row
/// alone in its cluster. `None` unless the sample holds 2 to `len − 1` clusters. O(s²).
pub fn silhouette(x: &[f64], labels: &[u32], k: usize, sample: &[usize]) -> Option<f64> {
    let s = sample.len();
    let local: Vec<u32> = sample.iter().map(|&i| labels[i]).collect();
    let counts = sizes(&local, k);
    let present = counts.iter().filter(|&&c| c > 0).count();
    if present < 2 || present >= s {
        return None;
    }
    let points: Vec<f64> = sample
        .iter()
        .flat_map(|&i| point(x, i).iter().copied())
        .collect();
    let mut total = 0.0;
    let mut sums = vec![0.0; k];
    for a in 0..s {
        sums.iter_mut().for_each(|v| *v = 0.0);
        let p = point(&points, a);
        for b in 0..s {
            sums[local[b] as usize] += squared(p, point(&points, b)).sqrt();
        }
        let own = local[a] as usize;
        if counts[own] < 2 {
            continue;
        }
        let within = sums[own] / (counts[own] - 1) as f64;
        let between = (0..k)
            .filter(|&j| j != own && counts[j] > 0)
            .map(|j| sums[j] / counts[j] as f64)
            .fold(f64::INFINITY, f64::min);
        let denominator = within.max(between);
        if denominator > 0.0 {
            total += (between - within) / denominator;
        }
    }
    Some(total / s as f64)
}

/// A sample of `size` rows, stratified by cluster: each cluster gives `⌊size · n_j / n⌋` rows
/// (at least 1, so a cluster smaller than `n / size` adds one row beyond `size`), the
/// remaining places going to the clusters with the largest remainders (lower index first on
/// ties); rows drawn uniformly without replacement within each cluster. Every row when
/// `n ≤ size`. Sorted row indices.
pub fn stratified_sample(
    labels: &[u32],
    k: usize,
    size: usize,
    rng: &mut SplitMix64,
) -> Vec<usize> {
    let n = labels.len();
    if n <= size {
        return (0..n).collect();
    }
    let counts = sizes(labels, k);
    let mut quota: Vec<usize> = counts
        .iter()
        .map(|&c| if c == 0 { 0 } else { (size * c / n).max(1) })
        .collect();
    let mut taken: usize = quota.iter().sum();
    let mut by_remainder: Vec<usize> = (0..k).collect();
    by_remainder.sort_by_key(|&j| (std::cmp::Reverse((size * counts[j]) % n), j));
    for &j in by_remainder.iter().cycle().take(k * 2) {
        if taken >= size {
            break;
        }
        if quota[j] < counts[j] {
            quota[j] += 1;
            taken += 1;
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &l) in labels.iter().enumerate() {
        members[l as usize].push(i);
    }
    let mut out = Vec::with_capacity(size);
    for (j, rows) in members.iter_mut().enumerate() {
        let want = quota[j].min(rows.len());
        for t in 0..want {
            let pick = t + below(rng, rows.len() - t);
            rows.swap(t, pick);
        }
        out.extend_from_slice(&rows[..want]);
    }
    out.sort_unstable();
    out
}

/// `size` distinct row indices of `0 … n − 1`, uniform, sorted (all when `n ≤ size`).
pub fn uniform_sample(n: usize, size: usize, rng: &mut SplitMix64) -> Vec<usize> {
    if n <= size {
        return (0..n).collect();
    }
    let mut rows: Vec<usize> = (0..n).collect();
    for t in 0..size {
        let pick = t + below(rng, n - t);
        rows.swap(t, pick);
    }
    rows.truncate(size);
    rows.sort_unstable();
    rows
}

/// Hennig's (2007) bootstrap stability of each cluster of `labels` over the rows of `x`: in
/// each of `resamples` bootstrap resamples (n rows drawn with replacement) the data are
/// clustered again (`k` clusters, `starts` starts); each original cluster's Jaccard
/// similarity `|C ∩ D| / |C ∪ D|` with its most similar new cluster, over the distinct rows
/// drawn, is averaged over the resamples. A cluster none of whose rows were drawn scores 0 in
/// that resample (Hennig's convention).
pub fn bootstrap_jaccard(
    x: &[f64],
    labels: &[u32],
    k: usize,
    starts: usize,
    resamples: usize,
    rng: &mut SplitMix64,
) -> Vec<f64> {
    let n = labels.len();
    let mut totals = vec![0.0; k];
    if n == 0 || resamples == 0 {
        return totals;
    }
    let mut drawn = vec![false; n];
    let mut chosen = Vec::with_capacity(n);
    let mut points = Vec::with_capacity(n * DIMS);
    let mut new_label = vec![u32::MAX; n];
    for _ in 0..resamples {
        drawn.iter_mut().for_each(|d| *d = false);
        chosen.clear();
        points.clear();
        for _ in 0..n {
            let i = below(rng, n);
            chosen.push(i);
            drawn[i] = true;
            points.extend_from_slice(point(x, i));
        }
        let fit = best_of(&points, k, starts, rng);
        for (t, &i) in chosen.iter().enumerate() {
            new_label[i] = fit.labels[t];
        }
        let mut inter = vec![0usize; k * k];
        let mut old_sizes = vec![0usize; k];
        let mut new_sizes = vec![0usize; k];
        for i in 0..n {
            if drawn[i] {
                let (a, b) = (labels[i] as usize, new_label[i] as usize);
                inter[a * k + b] += 1;
                old_sizes[a] += 1;
                new_sizes[b] += 1;
            }
        }
        for a in 0..k {
            if old_sizes[a] == 0 {
                continue;
            }
            let best = (0..k)
                .map(|b| {
                    let both = inter[a * k + b];
                    both as f64 / (old_sizes[a] + new_sizes[b] - both) as f64
                })
                .fold(0.0, f64::max);
            totals[a] += best;
        }
    }
    totals.iter().map(|t| t / resamples as f64).collect()
}

/// Orders `0 … k − 1` by descending `key`, ties by index.
pub fn descending(key: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..key.len()).collect();
    order.sort_by(|&a, &b| match key[b].total_cmp(&key[a]) {
        Ordering::Equal => a.cmp(&b),
        other => other,
    });
    order
}
