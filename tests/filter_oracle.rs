//! The filter by customer attribute (issue 20) against an independent pandas computation
//! (`tests/oracle/filter.py`, written from the docs of `engine::dimensions::filter`), on the
//! committed fixture `tests/fixtures/dimensions/orders.csv` (420 customers, a region column):
//! the file goes through the real import, a filter on one region and on two regions selects the
//! customers, and in both modes (keep the global scores, re-score within the filter) the
//! customers, sales and profit per decile by sales and the RFM segment counts must equal
//! pandas'.
//!
//! The oracle (a venv with pandas in `target/test-venv`) is installed by `scripts/setup.sh
//! --test`. Without it the test fails in CI (`CI` set) or when `VALUELENS_REQUIRE_ORACLE` is
//! set, and elsewhere says loudly that it was skipped.

use std::process::Command;

use serde_json::Value;
use valuelens::engine::deciles::{analyse_deciles, analyse_deciles_within, GroupConfig};
use valuelens::engine::dimensions::filter::{select, Filter, FilterMode};
use valuelens::engine::ingest::{import_bytes, InspectOptions};
use valuelens::engine::rfm::{analyse_rfm, restrict_rfm, RfmAnalysis, RfmConfig, SegmentRules};

mod pandas_oracle;
use pandas_oracle::{close, python, root};

/// The filters checked: one region, two regions.
const CASES: &str = r#"[["广东"], ["上海", "北京"]]"#;

#[test]
fn filters_equal_pandas_in_both_modes() {
    let Some(python) = python("pandas") else {
        return;
    };
    let path = root().join("tests/fixtures/dimensions/orders.csv");
    let bytes = std::fs::read(&path).unwrap();
    let outcome = import_bytes(&bytes, &InspectOptions::default()).unwrap();
    assert_eq!(outcome.report.rows_rejected, 0);
    let output = Command::new(&python)
        .arg(root().join("tests/oracle/filter.py"))
        .arg(&path)
        .args([
            "客户编号",
            "订单号",
            "订单日期",
            "金额",
            "利润",
            "地区",
            CASES,
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected: Value = serde_json::from_slice(&output.stdout).unwrap();
    let cases = expected.as_array().unwrap();
    assert_eq!(cases.len(), 2);
    let attributes = outcome.customer_attributes().unwrap();
    let history = outcome.purchase_history().map(|h| h.as_ref());
    let config = GroupConfig::default();
    let rules = SegmentRules::default();
    let global = analyse_rfm(&outcome.table, &RfmConfig::default(), &rules).unwrap();
    for case in cases {
        let values: Vec<String> = case["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let filter = Filter {
            key: "region".into(),
            values: values.clone(),
            mode: FilterMode::Keep,
        };
        let subset = select(&outcome.table, history, attributes, &filter).unwrap();
        assert_eq!(
            subset.population as u64,
            case["population"].as_u64().unwrap()
        );
        assert_eq!(
            subset.indices.len() as u64,
            case["chosen"].as_u64().unwrap(),
            "{values:?}"
        );
        assert!(subset.indices.len() >= 30, "a filter of some size");
        let kept = analyse_deciles_within(&outcome.table, &subset.indices, &subset.table, &config)
            .unwrap();
        let rescored = analyse_deciles(&subset.table, &config).unwrap();
        let kept_rfm = restrict_rfm(&global, &subset.indices, &subset.table).unwrap();
        let rescored_rfm = analyse_rfm(&subset.table, &RfmConfig::default(), &rules).unwrap();
        for (mode, deciles, rfm) in [
            ("keep", &kept, &kept_rfm),
            ("rescore", &rescored, &rescored_rfm),
        ] {
            let want = &case["modes"][mode];
            let what = format!("{values:?} {mode}");
            for (d, (got, want)) in deciles
                .by_sales
                .iter()
                .zip(want["deciles"].as_array().unwrap())
                .enumerate()
            {
                assert_eq!(
                    got.customers as u64,
                    want["customers"].as_u64().unwrap(),
                    "{what} decile {}",
                    d + 1
                );
                close(
                    got.sales,
                    &want["sales"],
                    &format!("{what} decile {}", d + 1),
                );
                close(
                    got.profit,
                    &want["profit"],
                    &format!("{what} decile {}", d + 1),
                );
            }
            check_segments(rfm, &want["segments"], &what);
        }
        // The two modes differ on this data (else the test would not tell them apart).
        assert_ne!(kept.by_sales, rescored.by_sales);
    }
}

fn check_segments(rfm: &RfmAnalysis, want: &Value, what: &str) {
    let mut total = 0;
    for segment in &rfm.segmentation.segments {
        let expected = want[segment.name_en.as_str()].as_u64().unwrap_or(0);
        assert_eq!(
            segment.customers as u64, expected,
            "{what} segment {}",
            segment.name_en
        );
        total += segment.customers as u64;
    }
    let expected: u64 = want
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total, expected, "{what} segment total");
}
