//! Customer profiles (issue 20) against an independent pandas + scipy computation
//! (`tests/oracle/profiles.py`, written from the docs of `engine::profiles`), on the committed
//! fixture `tests/fixtures/profiles/orders.csv` (400 customers, a region, a channel and an age
//! column with blanks, garbage and impossible ages, made by `make_orders.py` beside it): the
//! file goes through the real import (header guesses included), and the distribution of every
//! attribute, the age bands and every correlation with its measure and n must equal the oracle's.
//!
//! The oracle (a venv with pandas and scipy in `target/test-venv`) is installed by
//! `scripts/setup.sh --test`. Without it the test fails in CI (`CI` set) or when
//! `VALUELENS_REQUIRE_ORACLE` is set, and elsewhere says loudly that it was skipped.

use std::process::Command;

use serde_json::Value;
use valuelens::engine::clusters::{analyse_clusters, ClusterConfig};
use valuelens::engine::dimensions::{AttributeKind, BreakdownConfig};
use valuelens::engine::ingest::{import_bytes, InspectOptions};
use valuelens::engine::profiles::{analyse_profiles, cluster_dimension, ProfileConfig};
use valuelens::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};

mod pandas_oracle;
use pandas_oracle::{close_to, python, root};
/// Correlations and shares are compared to the last bits.
fn close(a: f64, b: &Value, what: &str) {
    close_to(a, b, what, 1e-9);
}

#[test]
fn profiles_equal_pandas_and_scipy() {
    let Some(python) = python("pandas, scipy") else {
        return;
    };
    let path = root().join("tests/fixtures/profiles/orders.csv");
    let bytes = std::fs::read(&path).unwrap();
    let outcome = import_bytes(&bytes, &InspectOptions::default()).unwrap();
    assert_eq!(outcome.report.rows_rejected, 0);
    let kinds: Vec<AttributeKind> = outcome
        .report
        .settings
        .attributes
        .iter()
        .map(|a| a.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            AttributeKind::Region,
            AttributeKind::Channel,
            AttributeKind::Age
        ]
    );
    let output = Command::new(&python)
        .arg(root().join("tests/oracle/profiles.py"))
        .arg(&path)
        .args(["客户编号", "订单号", "订单日期", "金额", "利润"])
        .args([
            "地区=region:category",
            "渠道=channel:category",
            "年龄=age:age",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected: Value = serde_json::from_slice(&output.stdout).unwrap();
    let attributes = outcome.customer_attributes().unwrap();
    let table = &outcome.table;
    let p = analyse_profiles(table, attributes, &ProfileConfig::default()).unwrap();
    assert_eq!(p.customers as u64, expected["customers"].as_u64().unwrap());
    assert_eq!(
        p.reference_year.map(i64::from),
        expected["reference_year"].as_i64()
    );
    for profile in &p.profiles {
        let key = &profile.distribution.key;
        let o = &expected["attributes"][key.as_str()];
        let values = o["values"].as_array().unwrap();
        assert_eq!(profile.distribution.values.len(), values.len(), "{key}");
        for (got, want) in profile.distribution.values.iter().zip(values) {
            let name = format!("{key}:{}", want["key"].as_str().unwrap());
            assert_eq!(got.label.key(), want["key"].as_str().unwrap(), "{name}");
            assert_eq!(
                got.total.customers as u64,
                want["customers"].as_u64().unwrap(),
                "{name}"
            );
            close(got.customer_share.unwrap(), &want["customer_share"], &name);
            close(got.sales_share.unwrap(), &want["sales_share"], &name);
        }
        match &profile.ages {
            Some(ages) => {
                for row in &ages.rows {
                    let want = &o["bands"][row.band.as_str()];
                    let name = format!("{key} band {}", row.band.as_str());
                    assert_eq!(
                        row.customers as u64,
                        want["customers"].as_u64().unwrap(),
                        "{name}"
                    );
                    close(row.customer_share.unwrap(), &want["customer_share"], &name);
                    close(row.sales_share.unwrap(), &want["sales_share"], &name);
                }
                assert!(ages.rows.last().is_some_and(|r| r.customers > 0));
            }
            None => assert!(o["bands"].is_null(), "{key} has bands"),
        }
    }
    // Every correlation: the same variables, measures, values and n.
    let c = &p.correlations;
    let pairs = expected["pairs"].as_array().unwrap();
    assert_eq!(c.pairs.len(), pairs.len());
    for (got, want) in c.pairs.iter().zip(pairs) {
        let (a, b) = (&c.variables[got.a].key, &c.variables[got.b].key);
        let name = format!("{a} × {b}");
        assert_eq!(a, want["a"].as_str().unwrap(), "{name}");
        assert_eq!(b, want["b"].as_str().unwrap(), "{name}");
        assert_eq!(
            got.measure.as_str(),
            want["measure"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(got.n as u64, want["n"].as_u64().unwrap(), "{name} n");
        match got.value {
            Some(v) => close(v, &want["value"], &name),
            None => assert!(want["value"].is_null(), "{name}: engine none"),
        }
    }
    // The fixture was made for these cases.
    let region = expected["attributes"]["region"]["values"]
        .as_array()
        .unwrap();
    for key in ["(other)", "(blank)"] {
        assert!(region.iter().any(|v| v["key"] == key));
    }
    // Cluster × attribute rows sum to the clusters' sizes.
    let rfm = analyse_rfm(table, &RfmConfig::default(), &SegmentRules::default()).unwrap();
    let clusters = analyse_clusters(table, &rfm, &ClusterConfig::default()).unwrap();
    for attribute in &attributes.attributes {
        let d = cluster_dimension(
            table,
            &clusters,
            &rfm.scores,
            attribute,
            BreakdownConfig::default(),
        )
        .unwrap();
        for (row, cluster) in d.counts.iter().zip(&clusters.clusters) {
            assert_eq!(row.iter().sum::<usize>(), cluster.customers);
        }
    }
}
