//! Unit tests of the cluster analysis (the scikit-learn comparison is in
//! `tests/clusters_oracle.rs`).

use super::kmeans::*;
use super::*;
use crate::engine::calendar::Day;
use crate::engine::customers::{Columns, Customer};
use crate::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};

/// `(id, last day, orders, sales)` customers.
fn table(rows: &[(String, i32, u32, f64)]) -> CustomerTable {
    let mut customers: Vec<Customer> = rows
        .iter()
        .map(|(id, last, orders, sales)| Customer {
            id: id.as_str().into(),
            rows: *orders,
            orders: *orders,
            sales: *sales,
            first: Some(Day::from_epoch_days(*last)),
            last: Some(Day::from_epoch_days(*last)),
            ..Default::default()
        })
        .collect();
    customers.sort_by(|a, b| a.id.cmp(&b.id));
    CustomerTable {
        customers,
        columns: Columns {
            order: true,
            date: true,
            ..Default::default()
        },
    }
}

/// Three obvious groups: 30 big recent buyers, 40 middling, 50 lapsed one-timers.
fn three_groups() -> CustomerTable {
    let mut rows = Vec::new();
    for i in 0..30 {
        rows.push((
            format!("a{i:02}"),
            1000 - (i % 3),
            20 + (i % 4) as u32,
            5000.0 + 10.0 * i as f64,
        ));
    }
    for i in 0..40 {
        rows.push((
            format!("b{i:02}"),
            900 - (i % 5),
            5 + (i % 2) as u32,
            500.0 + 5.0 * i as f64,
        ));
    }
    for i in 0..50 {
        rows.push((format!("c{i:02}"), 300 - (i % 7), 1, 20.0 + (i % 10) as f64));
    }
    table(&rows)
}

fn run(t: &CustomerTable, config: &ClusterConfig) -> Result<ClusterAnalysis> {
    let rfm = analyse_rfm(t, &RfmConfig::default(), &SegmentRules::default())?;
    analyse_clusters(t, &rfm, config)
}

#[test]
fn three_obvious_groups_are_found_and_numbered_by_money() {
    let t = three_groups();
    let a = run(&t, &ClusterConfig::default()).unwrap();
    assert_eq!(a.suggested_k, 3, "{:?}", a.choices);
    assert_eq!((a.k, a.rule), (3, KRule::Silhouette));
    let sizes: Vec<usize> = a.clusters.iter().map(|c| c.customers).collect();
    assert_eq!(sizes, [30, 40, 50]);
    assert_eq!(a.clusters[0].number, 1);
    assert!(a.clusters[0].mean_monetary > a.clusters[1].mean_monetary);
    assert_eq!(a.clusters[2].median_frequency, 1.0);
    // Customers sorted by id: a…, b…, c… → clusters 1, 2, 3.
    assert_eq!(a.cluster_of(0), Some(1));
    assert_eq!(a.cluster_of(30), Some(2));
    assert_eq!(a.cluster_of(119), Some(3));
    for c in &a.clusters {
        assert!(c.jaccard.unwrap() > 0.95, "{c:?}");
        assert_eq!(c.stability, Some(Stability::HighlyStable));
    }
    let shares: f64 = a.clusters.iter().map(|c| c.customer_share).sum();
    assert!((shares - 1.0).abs() < 1e-12);
    let counted: usize = a.segment_counts.iter().flatten().sum();
    assert_eq!(counted, 120);
    assert_eq!(a.segment_counts[0].iter().sum::<usize>(), 30);
    assert_eq!(a.segments.last().map(String::as_str), Some("Other"));
    assert_eq!(a.choices.len(), K_MAX - K_MIN + 1);
    let figures: Vec<(String, Option<f64>)> =
        a.figures().into_iter().map(|f| (f.name, f.value)).collect();
    assert_eq!(
        figures,
        [
            ("cluster_k".into(), Some(3.0)),
            ("cluster_size:1".into(), Some(30.0)),
            ("cluster_size:2".into(), Some(40.0)),
            ("cluster_size:3".into(), Some(50.0)),
        ]
    );
}

#[test]
fn the_same_seed_gives_the_same_result_and_the_user_may_choose_k() {
    let t = three_groups();
    let config = ClusterConfig {
        k: Some(5),
        fit_sample: 100,
        silhouette_sample: 100,
        ..ClusterConfig::default()
    };
    let a = run(&t, &config).unwrap();
    let b = run(&t, &config).unwrap();
    assert_eq!(a, b);
    assert_eq!((a.k, a.rule, a.clusters.len()), (5, KRule::Chosen, 5));
    assert_eq!(a.fit_customers, 100);
    assert_eq!(a.config.seed, DEFAULT_SEED);
    let other = run(&t, &ClusterConfig { seed: 7, ..config }).unwrap();
    assert_eq!(other.config.seed, 7);
    assert_eq!(other.customers, 120);
}

#[test]
fn every_scaling_separates_the_groups() {
    for scaling in Scaling::ALL {
        let a = run(
            &three_groups(),
            &ClusterConfig {
                scaling,
                k: Some(3),
                ..ClusterConfig::default()
            },
        )
        .unwrap();
        let sizes: Vec<usize> = a.clusters.iter().map(|c| c.customers).collect();
        assert_eq!(sizes, [30, 40, 50], "{scaling:?}");
    }
}

#[test]
fn bad_input_is_a_typed_error() {
    let few = table(&[("a".into(), 10, 1, 5.0)]);
    let err = run(&few, &ClusterConfig::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Model {
            model: FitModel::KMeans,
            problem: ModelProblem::TooFewCustomers { found: 1, min: 2 }
        }
    );
    let alike: Vec<_> = (0..50).map(|i| (format!("c{i}"), 10, 2, 50.0)).collect();
    let err = run(&table(&alike), &ClusterConfig::default()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Model {
                problem: ModelProblem::TooFewDistinct { found: 1, min: 2 },
                ..
            }
        ),
        "{err:?}"
    );
    let three: Vec<_> = (0..3).map(|i| (format!("c{i}"), 10 + i, 2, 50.0)).collect();
    let err = run(
        &table(&three),
        &ClusterConfig {
            k: Some(4),
            ..ClusterConfig::default()
        },
    )
    .unwrap_err();
    assert!(matches!(
        err,
        Error::Model {
            problem: ModelProblem::TooFewCustomers { found: 3, min: 4 },
            ..
        }
    ));
    // Three distinct points: only k = 2 and 3 are scanned.
    let a = run(&table(&three), &ClusterConfig::default()).unwrap();
    assert_eq!(a.choices.len(), 2);
    let err = run(
        &three_groups(),
        &ClusterConfig {
            k: Some(9),
            ..ClusterConfig::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, Error::Parameter { ref name, .. } if name == "k"));
}

#[test]
fn non_finite_values_are_refused() {
    let t = three_groups();
    let mut rfm = analyse_rfm(&t, &RfmConfig::default(), &SegmentRules::default()).unwrap();
    rfm.scores.customers[4].monetary = f64::NAN;
    let err = analyse_clusters(&t, &rfm, &ClusterConfig::default()).unwrap_err();
    assert!(matches!(
        err,
        Error::Model {
            problem: ModelProblem::NotFinite { row: 4 },
            ..
        }
    ));
}

#[test]
fn scaling_by_hand() {
    // Columns R, F, M of three rows.
    let raw = [0.0, 1.0, -3.0, 1.0, 1.0, 0.0, 3.0, 1.0, 7.0];
    let z = scale_features(&raw, Scaling::LogZ);
    let logs = [0.0, 2f64.ln(), 4f64.ln()];
    let mean = logs.iter().sum::<f64>() / 3.0;
    let sd = (logs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 3.0).sqrt();
    assert!((z[3] - (logs[1] - mean) / sd).abs() < 1e-15);
    assert_eq!([z[1], z[4], z[7]], [0.0, 0.0, 0.0]); // a constant column
    assert!(z[2] < z[5] && z[5] < z[8]); // -3 → −ln 4
    let r = scale_features(&raw, Scaling::PercentRank);
    assert_eq!([r[0], r[3], r[6]], [0.0, 0.5, 1.0]);
    assert_eq!([r[1], r[4], r[7]], [0.5, 0.5, 0.5]);
    let robust = scale_features(&raw, Scaling::Robust);
    // median ln 2, IQR (ln 4 − 0) / 2.
    assert!((robust[6] - (4f64.ln() - 2f64.ln()) / (4f64.ln() / 2.0)).abs() < 1e-15);
}

#[test]
fn lloyd_by_hand_and_empty_clusters() {
    let x = [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 10.0, 0.0, 0.0, 11.0, 0.0, 0.0];
    // From centres 0 and 1: [0, 1, 1, 1] first, then the centre 7.33 gives up the point 1.
    let fit = lloyd(&x, vec![0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    assert_eq!(fit.labels, [0, 0, 1, 1]);
    assert_eq!(fit.iterations, 3);
    assert!((fit.inertia - 1.0).abs() < 1e-15);
    // A centre far from everything starts empty and takes the farthest point.
    let fit = lloyd(&x, vec![0.5, 0.0, 0.0, 100.0, 0.0, 0.0]);
    assert!(sizes(&fit.labels, 2).iter().all(|&s| s > 0), "{fit:?}");
    assert_eq!(fit.labels, [0, 0, 1, 1]);
}

#[test]
fn silhouette_and_calinski_harabasz_by_hand() {
    // Two pairs on a line: 0, 1 and 10, 11.
    let x = [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 10.0, 0.0, 0.0, 11.0, 0.0, 0.0];
    let labels = [0, 0, 1, 1];
    // Point 0: a = 1, b = (10 + 11) / 2 = 10.5; point 1: a = 1, b = 9.5.
    let expected = ((9.5 / 10.5) * 2.0 + (8.5 / 9.5) * 2.0) / 4.0;
    let s = silhouette(&x, &labels, 2, &[0, 1, 2, 3]).unwrap();
    assert!((s - expected).abs() < 1e-15, "{s} vs {expected}");
    // B = 4 · 5² = 100, W = 4 · 0.25 = 1: CH = 100 · 2 / 1.
    let ch = calinski_harabasz(&x, &labels, 2).unwrap();
    assert!((ch - 200.0).abs() < 1e-12);
    assert_eq!(silhouette(&x, &[0, 0, 0, 0], 2, &[0, 1, 2, 3]), None);
    assert_eq!(calinski_harabasz(&x, &[0, 0, 0, 0], 2), None);
}

#[test]
fn samples_are_stratified_and_deterministic() {
    let labels: Vec<u32> = (0..10_000)
        .map(|i| if i % 10 == 0 { 1 } else { 0 })
        .collect();
    let a = stratified_sample(&labels, 2, 1_000, &mut SplitMix64(1));
    let b = stratified_sample(&labels, 2, 1_000, &mut SplitMix64(1));
    assert_eq!(a, b);
    assert_eq!(a.len(), 1_000);
    assert_eq!(a.iter().filter(|&&i| labels[i] == 1).count(), 100);
    assert!(a.windows(2).all(|w| w[0] < w[1]));
    let u = uniform_sample(100, 10, &mut SplitMix64(2));
    assert_eq!(u.len(), 10);
    assert!(u.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn stability_bands_follow_hennig() {
    for (j, band) in [
        (0.9, Stability::HighlyStable),
        (0.85, Stability::HighlyStable),
        (0.8, Stability::Stable),
        (0.7, Stability::Weak),
        (0.59, Stability::Unstable),
    ] {
        assert_eq!(Stability::of(j), band);
    }
}

#[test]
fn tiny_and_odd_tables_give_a_result_or_a_typed_error() {
    let mut rng = SplitMix64(99);
    for case in 0..200 {
        let n = 1 + below(&mut rng, 14);
        let rows: Vec<_> = (0..n)
            .map(|i| {
                let last = 100 + below(&mut rng, 3) as i32;
                let orders = 1 + below(&mut rng, 2) as u32;
                let sales = match below(&mut rng, 4) {
                    0 => 0.0,
                    1 => -50.0,
                    2 => 1e12,
                    _ => 10.0,
                };
                (format!("c{i:02}"), last, orders, sales)
            })
            .collect();
        let t = table(&rows);
        for scaling in Scaling::ALL {
            let k = (case % 3 == 0).then_some(2 + (case % 7) as u8);
            let config = ClusterConfig {
                scaling,
                k,
                resamples: 3,
                starts: 2,
                ..ClusterConfig::default()
            };
            match run(&t, &config) {
                Ok(a) => {
                    assert_eq!(a.clusters.iter().map(|c| c.customers).sum::<usize>(), n);
                    assert!(a.clusters.iter().all(|c| c.customers > 0), "{a:?}");
                    assert_eq!(a.assignments.len(), n);
                }
                Err(Error::Model {
                    model: FitModel::KMeans,
                    problem:
                        ModelProblem::TooFewCustomers { .. } | ModelProblem::TooFewDistinct { .. },
                }) => {}
                Err(e) => panic!("case {case}: {e:?}"),
            }
        }
    }
}
