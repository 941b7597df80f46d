//! How fast the cluster analysis (聚类分析) is natively:
//! `cargo run --profile bench-native --example bench-clusters -- [CUSTOMERS]` (default
//! 1,000,000) on customers generated in memory in four groups; prints the time of the RFM
//! scoring and of the cluster analysis (wall clock), and the result's k and cluster sizes.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::time::Instant;

    use valuelens::engine::calendar::Day;
    use valuelens::engine::clusters::{analyse_clusters, ClusterConfig};
    use valuelens::engine::customers::{Columns, Customer, CustomerTable};
    use valuelens::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
    use valuelens::engine::sample::SplitMix64;

    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = SplitMix64(1);
    let customers: Vec<Customer> = (0..n)
        .map(|i| {
            let (u, v) = (rng.unit(), rng.unit());
            let (last, orders, sales) = match i % 4 {
                0 => (
                    20_000 - (u * 60.0) as i32,
                    10 + (v * 30.0) as u32,
                    2_000.0 + u * v * 9_000.0,
                ),
                1 => (
                    19_950 - (u * 200.0) as i32,
                    2 + (v * 6.0) as u32,
                    200.0 + v * 800.0,
                ),
                2 => (19_500 - (u * 700.0) as i32, 1, 10.0 + v * 90.0),
                _ => (
                    19_700 - (u * 400.0) as i32,
                    1 + (v * 3.0) as u32,
                    -150.0 + u * 300.0,
                ),
            };
            let day = Day::from_epoch_days(last);
            Customer {
                id: format!("c{i:08}").into(),
                rows: orders,
                orders,
                sales,
                first: Some(day),
                last: Some(day),
                ..Default::default()
            }
        })
        .collect();
    let table = CustomerTable {
        customers,
        columns: Columns {
            order: true,
            date: true,
            ..Default::default()
        },
    };
    let start = Instant::now();
    let rfm = match analyse_rfm(&table, &RfmConfig::default(), &SegmentRules::default()) {
        Ok(rfm) => rfm,
        Err(e) => return eprintln!("{e}"),
    };
    let rfm_time = start.elapsed();
    let start = Instant::now();
    let result = analyse_clusters(&table, &rfm, &ClusterConfig::default());
    let cluster_time = start.elapsed();
    match result {
        Ok(a) => println!(
            "{n} customers: RFM {:.2} s, clusters {:.2} s (k {} suggested {}, {} iterations on all), sizes {:?}",
            rfm_time.as_secs_f64(),
            cluster_time.as_secs_f64(),
            a.k,
            a.suggested_k,
            a.iterations,
            a.clusters.iter().map(|c| c.customers).collect::<Vec<_>>()
        ),
        Err(e) => eprintln!("{e}"),
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
