//! Cluster analysis (聚类分析, METHODS §6, documents `002` and `000`): customer groups found by
//! k-means on the R, F and M values of the RFM analysis, for k from 2 to 8, with the figures
//! to choose k by, each cluster's stability, and a description in the data's own units.
//!
//! # Steps ([`analyse_clusters`])
//! 1. **Features**: per scored customer R (days), F (orders), M (money) exactly as
//!    [`score_rfm`](crate::engine::rfm::score_rfm) computed them ([`RfmScores::customers`]),
//!    scaled ([`Scaling`]; by default `log(1 + x)`, then z-scores).
//! 2. **Fit sample**: at most [`ClusterConfig::fit_sample`] customers (all when fewer; else a
//!    uniform sample drawn from the seed). k-means runs for every k from [`K_MIN`] to
//!    [`K_MAX`] on it: k-means++ seeding ([`kmeans::seed_centres`]), Lloyd's iterations to
//!    convergence ([`kmeans::lloyd`]), [`ClusterConfig::starts`] starts, the lowest inertia
//!    kept.
//! 3. **Choosing k**: for each k the inertia (within-cluster sum of squares, for an elbow),
//!    the mean silhouette width (Rousseeuw 1987) on a sample of at most
//!    [`ClusterConfig::silhouette_sample`] customers stratified by cluster, and the
//!    Calinski-Harabasz index (1974) ([`KChoice`]). The **suggested k** is the one with the
//!    highest silhouette (the smaller k on ties) ([`KRule::Silhouette`]); the user may ask for
//!    another ([`ClusterConfig::k`]).
//! 4. **All customers**: Lloyd's iterations over every customer from the fit sample's centres
//!    of the chosen k (one run: on a sample of every customer it changes nothing).
//! 5. **Stability**: Hennig's (2007) bootstrap ([`kmeans::bootstrap_jaccard`]) on the chosen
//!    k's silhouette sample: [`ClusterConfig::resamples`] resamples, each clustered again, each
//!    cluster's mean Jaccard similarity with its best match, and the band in words
//!    ([`Stability`]; Hennig's reading: ≥ 0.85 highly stable, 0.75–0.85 stable, 0.6–0.75 weak
//!    pattern, < 0.6 unstable).
//! 6. **Description**: clusters numbered 1, 2 … by descending mean M (ties by size); each with
//!    its size and share of the customers and of net sales, the medians of R, F and M in days,
//!    orders and money, its stability, and its customers in each RFM segment
//!    ([`ClusterAnalysis::segment_counts`]).
//!
//! Every random draw comes from [`SplitMix64`] seeded by [`ClusterConfig::seed`] (reported in
//! [`ClusterAnalysis::config`]): the same data and configuration give the same result on every
//! platform.
//!
//! # Edge cases
//! Fewer scored customers than the k asked for, or fewer distinct scaled points than 2 (all
//! customers alike), are [`Error::Model`] ([`FitModel::KMeans`]); a non-finite R, F or M too.
//! k values above the number of distinct points are left out of the scan. An empty cluster
//! during Lloyd's iterations takes the point farthest from its centre.
//!
//! # Speed
//! O(fit sample × k × iterations × starts) for the scan, O(silhouette sample²) per k, and
//! O(n × k × iterations) for the final fit: flat `f64` arrays, no allocation per point.

pub mod kmeans;

use serde::{Deserialize, Serialize};

use super::customers::CustomerTable;
use super::deciles::Figure;
use super::error::{Error, FitModel, ModelProblem, ParameterProblem, Result};
use super::numeric::parameter;
use super::rfm::{RfmAnalysis, RfmScores};
use super::sample::SplitMix64;

use kmeans::{
    best_of, bootstrap_jaccard, calinski_harabasz, descending, distinct_rows, lloyd,
    scale_features, silhouette, stratified_sample, uniform_sample, Fit, DIMS,
};

/// The smallest k scanned.
pub const K_MIN: usize = 2;
/// The largest k scanned.
pub const K_MAX: usize = 8;
/// The default seed (printed with the result).
pub const DEFAULT_SEED: u64 = 20_240_601;

/// How R, F and M are put on one scale before distances are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Scaling {
    /// `sign(x)·log(1 + |x|)`, then z-scores (mean 0, population sd 1). The default: R, F and M
    /// are skewed, and the log keeps the largest buyers from making clusters of their own.
    #[default]
    LogZ,
    /// `sign(x)·log(1 + |x|)`, then (value − median) / interquartile range: robust to outliers.
    Robust,
    /// Percentile ranks, 0 to 1 (ties at their average rank): only the order counts.
    PercentRank,
}

impl Scaling {
    /// Every choice, default first.
    pub const ALL: [Scaling; 3] = [Scaling::LogZ, Scaling::Robust, Scaling::PercentRank];

    /// Machine name (`log_z`, `robust`, `rank`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scaling::LogZ => "log_z",
            Scaling::Robust => "robust",
            Scaling::PercentRank => "rank",
        }
    }
}

/// How the shown k was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KRule {
    /// The suggestion: the k of the highest mean silhouette width (smaller k on ties).
    Silhouette,
    /// The user's choice ([`ClusterConfig::k`]).
    Chosen,
}

/// The parameters of [`analyse_clusters`]; every field is shown beside the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterConfig {
    /// Scaling of R, F and M.
    pub scaling: Scaling,
    /// The k to show; `None` for the suggested k. From [`K_MIN`] to [`K_MAX`].
    pub k: Option<u8>,
    /// Seed of every random draw.
    pub seed: u64,
    /// k-means++ starts per k (at least 1).
    pub starts: u16,
    /// Customers the k scan is fitted on, at most (at least 100).
    pub fit_sample: usize,
    /// Customers the silhouette and the bootstrap use, at most (at least 100).
    pub silhouette_sample: usize,
    /// Bootstrap resamples (0 for none).
    pub resamples: u16,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            scaling: Scaling::LogZ,
            k: None,
            seed: DEFAULT_SEED,
            starts: 10,
            fit_sample: 20_000,
            silhouette_sample: 5_000,
            resamples: 20,
        }
    }
}

impl ClusterConfig {
    /// Checks the ranges.
    ///
    /// # Errors
    /// [`Error::Parameter`] naming the field.
    pub fn validate(&self) -> Result<()> {
        let between = |name: &str, value: i64, min: i64, max: i64| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(parameter(
                    name,
                    ParameterProblem::NotBetween {
                        value,
                        min,
                        max,
                        unit: None,
                    },
                ))
            }
        };
        if let Some(k) = self.k {
            between("k", i64::from(k), K_MIN as i64, K_MAX as i64)?;
        }
        between("starts", i64::from(self.starts), 1, 100)?;
        between("resamples", i64::from(self.resamples), 0, 200)?;
        let at_least = |name: &str, value: usize| {
            if value >= 100 {
                Ok(())
            } else {
                Err(parameter(
                    name,
                    ParameterProblem::BelowMinimum {
                        value: value as i64,
                        min: 100,
                    },
                ))
            }
        };
        at_least("fit_sample", self.fit_sample)?;
        at_least("silhouette_sample", self.silhouette_sample)
    }
}

/// The figures of one k of the scan (on the fit sample).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KChoice {
    /// Clusters.
    pub k: usize,
    /// Within-cluster sum of squared distances, scaled units (lower is tighter; always falls
    /// as k grows: look for the elbow).
    pub inertia: f64,
    /// Mean silhouette width on the stratified sample, −1 to 1 (higher is better separated);
    /// `None` when the sample holds fewer than two clusters.
    pub silhouette: Option<f64>,
    /// Calinski-Harabasz index (higher is better); `None` when undefined.
    pub calinski_harabasz: Option<f64>,
    /// Customers in the silhouette sample.
    pub silhouette_customers: usize,
}

/// Hennig's (2007) reading of a cluster's bootstrap Jaccard similarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stability {
    /// ≥ 0.85: the cluster comes back in nearly every resample.
    HighlyStable,
    /// 0.75 to 0.85: a valid, stable cluster.
    Stable,
    /// 0.6 to 0.75: a pattern, but the members change.
    Weak,
    /// Below 0.6: not to be trusted as a group.
    Unstable,
}

impl Stability {
    /// The band of a mean Jaccard similarity.
    pub fn of(jaccard: f64) -> Stability {
        if jaccard >= 0.85 {
            Stability::HighlyStable
        } else if jaccard >= 0.75 {
            Stability::Stable
        } else if jaccard >= 0.6 {
            Stability::Weak
        } else {
            Stability::Unstable
        }
    }

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stability::HighlyStable => "highly_stable",
            Stability::Stable => "stable",
            Stability::Weak => "weak",
            Stability::Unstable => "unstable",
        }
    }
}

/// One cluster of the shown k, numbered by descending mean M.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// 1-based number: 1 has the highest mean M.
    pub number: usize,
    /// Customers.
    pub customers: usize,
    /// Their share of the scored customers, 0 to 1.
    pub customer_share: f64,
    /// Their net sales.
    pub sales: f64,
    /// Their share of the scored customers' net sales; `None` when that total is 0 or less.
    pub sales_share: Option<f64>,
    /// Median R, days.
    pub median_recency: f64,
    /// Median F, orders.
    pub median_frequency: f64,
    /// Median M, money (as M is measured).
    pub median_monetary: f64,
    /// Mean M, money (the numbering key).
    pub mean_monetary: f64,
    /// The centre, in scaled units (R, F, M).
    pub centre: [f64; DIMS],
    /// Mean bootstrap Jaccard similarity, 0 to 1; `None` without resamples.
    pub jaccard: Option<f64>,
    /// Its band; `None` without resamples.
    pub stability: Option<Stability>,
}

/// The result of [`analyse_clusters`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterAnalysis {
    /// The configuration (with the seed).
    pub config: ClusterConfig,
    /// Scored customers clustered.
    pub customers: usize,
    /// Customers in the fit sample.
    pub fit_customers: usize,
    /// The scan, one entry per k from [`K_MIN`] (up to [`K_MAX`] or the distinct points).
    pub choices: Vec<KChoice>,
    /// The suggested k.
    pub suggested_k: usize,
    /// The k shown.
    pub k: usize,
    /// How it was chosen.
    pub rule: KRule,
    /// Clusters of the shown k, number 1 first.
    pub clusters: Vec<Cluster>,
    /// The 0-based position in [`ClusterAnalysis::clusters`] of each scored customer
    /// (parallel to [`RfmScores::customers`]).
    pub assignments: Vec<u8>,
    /// Within-cluster sum of squares of the shown k over all customers (scaled units).
    pub inertia: f64,
    /// Lloyd iterations of the final fit.
    pub iterations: usize,
    /// RFM segment names (English), in the segmentation's order, "Other" last.
    pub segments: Vec<String>,
    /// Customers per cluster (rows, cluster order) and segment (columns, [`Self::segments`]).
    pub segment_counts: Vec<Vec<usize>>,
}

fn model(problem: ModelProblem) -> Error {
    Error::Model {
        model: FitModel::KMeans,
        problem,
    }
}

/// The features of the scored customers, flat (R days, F orders, M money per row).
///
/// # Errors
/// [`Error::Model`] ([`ModelProblem::NotFinite`]) when a value is not finite.
pub fn rfm_features(scores: &RfmScores) -> Result<Vec<f64>> {
    let mut raw = Vec::with_capacity(scores.customers.len() * DIMS);
    for (row, c) in scores.customers.iter().enumerate() {
        let values = [
            f64::from(c.recency_days),
            f64::from(c.frequency),
            c.monetary,
        ];
        if values.iter().any(|v| !v.is_finite()) {
            return Err(model(ModelProblem::NotFinite { row }));
        }
        raw.extend_from_slice(&values);
    }
    Ok(raw)
}

fn median_of(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    kmeans::quantile(values, 0.5)
}

/// Clusters the scored customers of `rfm` (see the module documentation).
///
/// # Errors
/// [`Error::Parameter`] from [`ClusterConfig::validate`]; [`Error::Model`]
/// ([`FitModel::KMeans`]) with [`ModelProblem::TooFewCustomers`] when fewer customers than
/// the k asked for (or than 2) are scored, [`ModelProblem::TooFewDistinct`] when their scaled
/// values hold fewer distinct points than that, [`ModelProblem::NotFinite`] for a non-finite
/// value.
pub fn analyse_clusters(
    table: &CustomerTable,
    rfm: &RfmAnalysis,
    config: &ClusterConfig,
) -> Result<ClusterAnalysis> {
    config.validate()?;
    analyse_cluster_input(&ClusterInput::of(table, rfm)?, config)
}

/// What the cluster analysis reads of the scored customers of an RFM analysis and their table:
/// what the analysis worker is sent ([`crate::protocol::analysis`]), so that the page's thread
/// never runs the k-means (seconds at any size: the scan, silhouettes and bootstrap are a fixed
/// cost).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterInput {
    /// Per scored customer (in [`RfmScores::customers`] order) R (days), F (orders) and M
    /// (money), flat ([`rfm_features`]).
    pub raw: Vec<f64>,
    /// Per scored customer: net sales (its record's in the table).
    pub sales: Vec<f64>,
    /// The RFM segment names (English), in the segmentation's order, "Other" last.
    pub segments: Vec<String>,
    /// Per scored customer: its segment rule (`None`: "Other").
    pub assignments: Vec<Option<u16>>,
}

impl ClusterInput {
    /// The input of the scored customers of `rfm`, an analysis of `table`.
    ///
    /// # Errors
    /// [`Error::Model`] ([`ModelProblem::NotFinite`]) when an R, F or M is not finite.
    pub fn of(table: &CustomerTable, rfm: &RfmAnalysis) -> Result<ClusterInput> {
        let scores = &rfm.scores;
        let sales = scores
            .customers
            .iter()
            .map(|c| table.customers.get(c.index).map_or(0.0, |c| c.sales))
            .collect();
        Ok(ClusterInput {
            raw: rfm_features(scores)?,
            sales,
            segments: rfm
                .segmentation
                .segments
                .iter()
                .map(|s| s.name_en.clone())
                .collect(),
            assignments: rfm.segmentation.assignments.clone(),
        })
    }

    /// Scored customers.
    pub fn customers(&self) -> usize {
        self.sales.len()
    }
}

/// [`analyse_clusters`] of an input ([`ClusterInput`]).
///
/// # Errors
/// Those of [`analyse_clusters`]; [`Error::Model`] ([`ModelProblem::NotFinite`]) when the input's
/// columns do not agree in length or a value is not finite.
pub fn analyse_cluster_input(
    input: &ClusterInput,
    config: &ClusterConfig,
) -> Result<ClusterAnalysis> {
    config.validate()?;
    let n = input.customers();
    if input.raw.len() != n * DIMS {
        return Err(model(ModelProblem::NotFinite { row: n }));
    }
    if let Some(at) = input.raw.iter().position(|v| !v.is_finite()) {
        return Err(model(ModelProblem::NotFinite { row: at / DIMS }));
    }
    let wanted = config.k.map_or(K_MIN, usize::from);
    if n < wanted {
        return Err(model(ModelProblem::TooFewCustomers {
            found: n,
            min: wanted,
        }));
    }
    let raw = &input.raw;
    let x = scale_features(raw, config.scaling);
    let mut rng = SplitMix64(config.seed);

    let fit_rows = uniform_sample(n, config.fit_sample, &mut rng);
    let fit_x: Vec<f64> = fit_rows
        .iter()
        .flat_map(|&i| x[i * DIMS..(i + 1) * DIMS].iter().copied())
        .collect();
    let distinct = distinct_rows(&fit_x, K_MAX);
    if distinct < wanted {
        return Err(model(ModelProblem::TooFewDistinct {
            found: distinct,
            min: wanted,
        }));
    }

    let mut fits: Vec<(Fit, Vec<usize>)> = Vec::new();
    let mut choices = Vec::new();
    for k in K_MIN..=K_MAX.min(distinct) {
        let fit = best_of(&fit_x, k, usize::from(config.starts), &mut rng);
        let sample = stratified_sample(&fit.labels, k, config.silhouette_sample, &mut rng);
        choices.push(KChoice {
            k,
            inertia: fit.inertia,
            silhouette: silhouette(&fit_x, &fit.labels, k, &sample),
            calinski_harabasz: calinski_harabasz(&fit_x, &fit.labels, k),
            silhouette_customers: sample.len(),
        });
        fits.push((fit, sample));
    }
    let suggested_k = choices
        .iter()
        .filter_map(|c| c.silhouette.map(|s| (c.k, s)))
        .fold(None, |best: Option<(usize, f64)>, (k, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((k, s)),
        })
        .map_or(K_MIN, |(k, _)| k);
    let (k, rule) = match config.k {
        Some(k) => (usize::from(k), KRule::Chosen),
        None => (suggested_k, KRule::Silhouette),
    };
    let Some((sample_fit, sample)) = fits.get(k - K_MIN) else {
        return Err(model(ModelProblem::TooFewDistinct {
            found: distinct,
            min: k,
        }));
    };

    let full = if fit_rows.len() == n {
        sample_fit.clone()
    } else {
        lloyd(&x, sample_fit.centres.clone())
    };

    let jaccard = if config.resamples == 0 {
        None
    } else {
        let boot_x: Vec<f64> = sample
            .iter()
            .flat_map(|&i| fit_x[i * DIMS..(i + 1) * DIMS].iter().copied())
            .collect();
        let boot_labels: Vec<u32> = sample.iter().map(|&i| sample_fit.labels[i]).collect();
        Some(bootstrap_jaccard(
            &boot_x,
            &boot_labels,
            k,
            usize::from(config.starts),
            usize::from(config.resamples),
            &mut rng,
        ))
    };

    describe(
        input,
        config,
        full,
        jaccard,
        choices,
        suggested_k,
        k,
        rule,
        fit_rows.len(),
    )
}

#[allow(clippy::too_many_arguments)]
fn describe(
    input: &ClusterInput,
    config: &ClusterConfig,
    full: Fit,
    jaccard: Option<Vec<f64>>,
    choices: Vec<KChoice>,
    suggested_k: usize,
    k: usize,
    rule: KRule,
    fit_customers: usize,
) -> Result<ClusterAnalysis> {
    let (raw, n) = (&input.raw, input.customers());
    let sales_of = |row: usize| input.sales.get(row).copied().unwrap_or(0.0);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (row, &l) in full.labels.iter().enumerate() {
        if let Some(m) = members.get_mut(l as usize) {
            m.push(row);
        }
    }
    let mean_m: Vec<f64> = members
        .iter()
        .map(|rows| {
            if rows.is_empty() {
                f64::NEG_INFINITY
            } else {
                rows.iter().map(|&r| raw[r * DIMS + 2]).sum::<f64>() / rows.len() as f64
            }
        })
        .collect();
    let order = descending(&mean_m);
    let mut position = vec![0u8; k];
    for (p, &j) in order.iter().enumerate() {
        position[j] = p as u8;
    }
    let total_sales: f64 = (0..n).map(sales_of).sum();
    let mut clusters = Vec::with_capacity(k);
    let mut column = Vec::new();
    for (p, &j) in order.iter().enumerate() {
        let rows = &members[j];
        let mut median = |d: usize| {
            column.clear();
            column.extend(rows.iter().map(|&r| raw[r * DIMS + d]));
            median_of(&mut column)
        };
        let (median_recency, median_frequency, median_monetary) = (median(0), median(1), median(2));
        let sales: f64 = rows.iter().map(|&r| sales_of(r)).sum();
        let jac = jaccard.as_ref().and_then(|v| v.get(j).copied());
        let mut centre = [0.0; DIMS];
        centre.copy_from_slice(&full.centres[j * DIMS..(j + 1) * DIMS]);
        clusters.push(Cluster {
            number: p + 1,
            customers: rows.len(),
            customer_share: rows.len() as f64 / n as f64,
            sales,
            sales_share: (total_sales > 0.0).then(|| sales / total_sales),
            median_recency,
            median_frequency,
            median_monetary,
            mean_monetary: mean_m[j],
            centre,
            jaccard: jac,
            stability: jac.map(Stability::of),
        });
    }
    let assignments: Vec<u8> = full.labels.iter().map(|&l| position[l as usize]).collect();
    let segments = input.segments.clone();
    let other = segments.len().saturating_sub(1);
    let mut segment_counts = vec![vec![0usize; segments.len()]; k];
    for (row, &c) in assignments.iter().enumerate() {
        let column = match input.assignments.get(row).copied().flatten() {
            Some(rule) => usize::from(rule).min(other),
            None => other,
        };
        if let Some(cell) = segment_counts
            .get_mut(usize::from(c))
            .and_then(|r| r.get_mut(column))
        {
            *cell += 1;
        }
    }
    Ok(ClusterAnalysis {
        config: config.clone(),
        customers: n,
        fit_customers,
        choices,
        suggested_k,
        k,
        rule,
        clusters,
        assignments,
        inertia: full.inertia,
        iterations: full.iterations,
        segments,
        segment_counts,
    })
}

impl ClusterAnalysis {
    /// The 1-based cluster number of the `row`-th scored customer.
    pub fn cluster_of(&self, row: usize) -> Option<usize> {
        self.assignments.get(row).map(|&p| usize::from(p) + 1)
    }

    /// The figures for automation (`data-metric` in the UI), in this order: `cluster_k` (the k
    /// shown), then `cluster_size:<n>` (customers) for clusters 1 … k.
    pub fn figures(&self) -> Vec<Figure> {
        let mut figures = vec![Figure {
            name: "cluster_k".into(),
            value: Some(self.k as f64),
        }];
        figures.extend(self.clusters.iter().map(|c| Figure {
            name: format!("cluster_size:{}", c.number),
            value: Some(c.customers as f64),
        }));
        figures
    }
}

#[cfg(test)]
mod tests;
