//! Line attributes and the product mix (issue 20) against an independent pandas computation
//! (`tests/oracle/lines.py`, written from the docs of `engine::dimensions::lines`), on the
//! committed fixture `tests/fixtures/lines/orders.csv` (360 customers, about 3,500 lines, a
//! category and a product column, multi-line orders, returns, lines of an order apart; made by
//! `make_orders.py` beside it): the file goes through the real import (header guesses
//! included), read whole and in two parts, and every (customer, category) pair's net sales,
//! profit and orders with a matching line, then the mix (values, customers, shares, and each
//! decile's and segment's shares and indices) must equal pandas'.
//!
//! The oracle (a venv with pandas in `target/test-venv`) is installed by `scripts/setup.sh
//! --test`. Without it the test fails in CI (`CI` set) or when `VALUELENS_REQUIRE_ORACLE` is
//! set, and elsewhere says loudly that it was skipped.

use std::process::Command;

use serde_json::Value;
use valuelens::engine::dimensions::{product_mix, LineKind};
use valuelens::engine::ingest::{import_bytes, import_in_halves, InspectOptions};
use valuelens::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
use valuelens::i18n::Lang;
use valuelens::present::mix::mix_shown;

mod pandas_oracle;
use pandas_oracle::{close, python, root};

#[test]
fn line_attributes_and_mix_equal_pandas() {
    let Some(python) = python("pandas") else {
        return;
    };
    let path = root().join("tests/fixtures/lines/orders.csv");
    let bytes = std::fs::read(&path).unwrap();
    let outcome = import_bytes(&bytes, &InspectOptions::default()).unwrap();
    assert_eq!(outcome.report.rows_rejected, 0);
    let settings = &outcome.report.settings;
    let kinds: Vec<LineKind> = settings.lines.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, [LineKind::Category, LineKind::Product]);
    let output = Command::new(&python)
        .arg(root().join("tests/oracle/lines.py"))
        .arg(&path)
        .args(["客户编号", "订单号", "订单日期", "金额", "利润", "品类"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected: Value = serde_json::from_slice(&output.stdout).unwrap();
    let halves = import_in_halves(&bytes, settings.clone(), bytes.len() / 2).unwrap();
    for outcome in [&outcome, &halves] {
        let lines = outcome.line_attributes().unwrap();
        let category = lines.get("category").unwrap();
        let mut pairs = Vec::new();
        for (i, customer) in outcome.table.customers.iter().enumerate() {
            for p in category.pairs_of(i) {
                let value = category.value_of_code(p.code as usize).to_string();
                pairs.push((customer.id.clone(), value, p.sales, p.profit, p.orders));
            }
        }
        pairs.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let want = expected["pairs"].as_array().unwrap();
        let mut want: Vec<&Value> = want.iter().collect();
        want.sort_by(|a, b| (a[0].as_str(), a[1].as_str()).cmp(&(b[0].as_str(), b[1].as_str())));
        assert_eq!(pairs.len(), want.len());
        for (got, want) in pairs.iter().zip(want) {
            let what = format!("{} × {}", got.0, got.1);
            assert_eq!(
                (got.0.as_str(), got.1.as_str()),
                (want[0].as_str().unwrap(), want[1].as_str().unwrap())
            );
            close(got.2, &want[2], &what);
            close(got.3, &want[3], &what);
            assert_eq!(u64::from(got.4), want[4].as_u64().unwrap(), "{what} orders");
        }
    }
    // The mix of the whole import.
    let rfm = analyse_rfm(
        &outcome.table,
        &RfmConfig::default(),
        &SegmentRules::default(),
    )
    .unwrap();
    let lines = outcome.line_attributes().unwrap();
    let category = lines.get("category").unwrap();
    let mix = product_mix(
        &outcome.table,
        category,
        Some((&rfm.scores, &rfm.segmentation)),
    )
    .unwrap();
    let values = expected["values"].as_array().unwrap();
    assert_eq!(mix.values.len(), values.len());
    for (got, want) in mix.values.iter().zip(values) {
        let key = want["key"].as_str().unwrap();
        assert_eq!(got.label.key(), key);
        assert_eq!(
            got.customers as u64,
            want["customers"].as_u64().unwrap(),
            "{key}"
        );
        close(got.sales, &want["sales"], key);
        close(got.share.unwrap(), &want["share"], key);
    }
    assert!(values.iter().any(|v| v["key"] == "(other)"));
    let check =
        |rows: &[valuelens::engine::dimensions::MixRow], names: Vec<String>, table: &Value| {
            let mut checked = 0;
            for (row, name) in rows.iter().zip(names) {
                let Some(want) = table.get(&name) else {
                    assert_eq!(row.customers, 0, "{name} has customers pandas did not see");
                    continue;
                };
                for (cell, value) in row.cells.iter().zip(&mix.values) {
                    let w = &want[value.label.key()];
                    let what = format!("{name} × {}", value.label.key());
                    close(cell.share.unwrap(), &w["share"], &what);
                    close(cell.index.unwrap(), &w["index"], &what);
                    assert_eq!(
                        cell.customers as u64,
                        w["customers"].as_u64().unwrap(),
                        "{what}"
                    );
                    checked += 1;
                }
            }
            assert!(checked > 0);
        };
    check(
        &mix.deciles,
        (1..=10).map(|d| d.to_string()).collect(),
        &expected["deciles"],
    );
    let names = rfm
        .segmentation
        .segments
        .iter()
        .map(|s| s.name_en.clone())
        .collect();
    check(mix.segments.as_ref().unwrap(), names, &expected["segments"]);
    // The page's figures carry the same numbers.
    let shown = mix_shown(&mix, "品类", Some(&rfm), Lang::En);
    let (shares, indices) = shown.segments.unwrap();
    let figures: Vec<_> = shown
        .base
        .rows
        .iter()
        .chain(&shares.rows)
        .chain(&indices.rows)
        .flatten()
        .filter_map(|c| c.data.clone())
        .collect();
    let figure = |name: &str| {
        figures
            .iter()
            .find(|d| d.metric == name)
            .unwrap_or_else(|| panic!("{name} on the page"))
            .value
    };
    let top = values[0]["key"].as_str().unwrap();
    assert_eq!(
        figure(&format!("mix_customers:{top}")),
        values[0]["customers"].as_f64().unwrap()
    );
    for (segment, want) in expected["segments"].as_object().unwrap() {
        close(
            figure(&format!("mix_share:{segment}:{top}")),
            &want[top]["share"],
            segment,
        );
        close(
            figure(&format!("mix_index:{segment}:{top}")),
            &want[top]["index"],
            segment,
        );
    }
}
