//! Breakdowns by customer attribute (issue 20) against an independent pandas computation
//! (`tests/oracle/dimensions.py`, written from the docs of `engine::dimensions`), on the
//! committed fixture `tests/fixtures/dimensions/orders.csv` (420 customers, about 3,000 lines,
//! a region and a salesperson column, made by `make_orders.py` beside it): the file goes through
//! the real import (header guesses included), and per attribute the values shown (top 10,
//! "(other)", "(blank)"), their customers, sales, profit and shares, the customers that changed
//! value, the decile × value and segment × value tables must equal pandas'.
//!
//! The oracle (a venv with pandas in `target/test-venv`) is installed by `scripts/setup.sh
//! --test`. Without it the test fails in CI (`CI` set) or when `VALUELENS_REQUIRE_ORACLE` is
//! set, and elsewhere says loudly that it was skipped.

use std::process::Command;

use serde_json::Value;
use valuelens::engine::dimensions::{breakdown, AttributeKind, BreakdownConfig};
use valuelens::engine::ingest::{import_bytes, InspectOptions};
use valuelens::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
use valuelens::i18n::Lang;
use valuelens::present::dimensions::breakdown_shown;

mod pandas_oracle;
use pandas_oracle::{close, python, root};

#[test]
fn breakdowns_equal_pandas() {
    let Some(python) = python("pandas") else {
        return;
    };
    let path = root().join("tests/fixtures/dimensions/orders.csv");
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
    assert_eq!(kinds, [AttributeKind::Region, AttributeKind::Salesperson]);
    let output = Command::new(&python)
        .arg(root().join("tests/oracle/dimensions.py"))
        .arg(&path)
        .args([
            "客户编号",
            "订单号",
            "订单日期",
            "金额",
            "利润",
            "地区",
            "销售员",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rfm = analyse_rfm(
        &outcome.table,
        &RfmConfig::default(),
        &SegmentRules::default(),
    )
    .unwrap();
    let attributes = outcome.customer_attributes().unwrap();
    for (key, column) in [("region", "地区"), ("salesperson", "销售员")] {
        let attribute = attributes.get(key).unwrap();
        let b = breakdown(
            &outcome.table,
            attribute,
            Some((&rfm.scores, &rfm.segmentation)),
            BreakdownConfig::default(),
        )
        .unwrap();
        let o = &expected[column];
        assert_eq!(b.changed, o["changed"].as_u64().unwrap(), "{key} changed");
        assert_eq!(b.distinct as u64, o["distinct"].as_u64().unwrap(), "{key}");
        let values = o["values"].as_array().unwrap();
        assert_eq!(b.values.len(), values.len(), "{key} values");
        for (got, want) in b.values.iter().zip(values) {
            let name = want["key"].as_str().unwrap();
            assert_eq!(got.label.key(), name, "{key}");
            assert_eq!(
                got.total.customers as u64,
                want["customers"].as_u64().unwrap()
            );
            close(got.total.sales, &want["sales"], name);
            close(got.total.profit, &want["profit"], name);
            close(got.customer_share.unwrap(), &want["customer_share"], name);
            close(got.sales_share.unwrap(), &want["sales_share"], name);
            assert_eq!(got.total.small, got.total.customers < 30, "{name}");
        }
        let count = |table: &Value, row: &str, value: &str| {
            table[row][value].as_u64().unwrap_or(0) as usize
        };
        for (d, row) in b.deciles.iter().enumerate() {
            for (cell, value) in row.iter().zip(&b.values) {
                let want = count(&o["deciles"], &(d + 1).to_string(), value.label.key());
                assert_eq!(
                    cell.customers,
                    want,
                    "{key} decile {} × {}",
                    d + 1,
                    value.label.key()
                );
            }
        }
        let segments = b.segments.as_ref().unwrap();
        for (row, segment) in segments.iter().zip(&rfm.segmentation.segments) {
            for (cell, value) in row.iter().zip(&b.values) {
                let want = count(&o["segments"], &segment.name_en, value.label.key());
                assert_eq!(
                    cell.customers,
                    want,
                    "{key} {} × {}",
                    segment.name_en,
                    value.label.key()
                );
            }
        }
        // The page's figures carry the same numbers.
        let shown = breakdown_shown(&b, column, Some(&rfm), true, Lang::En);
        for want in values {
            let name = format!("dim_customers:{key}:{}", want["key"].as_str().unwrap());
            let cell = shown
                .values
                .rows
                .iter()
                .flatten()
                .find_map(|c| c.data.as_ref().filter(|d| d.metric == name))
                .unwrap_or_else(|| panic!("{name} on the page"));
            assert_eq!(cell.value, want["customers"].as_f64().unwrap());
        }
    }
    // Both cases the fixture was made for: a value merged into "Other", blank kept.
    let region = &expected["地区"]["values"];
    for key in ["(other)", "(blank)"] {
        assert!(region.as_array().unwrap().iter().any(|v| v["key"] == key));
    }
}
