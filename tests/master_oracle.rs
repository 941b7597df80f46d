//! The customer master file (issue 20) against an independent pandas computation
//! (`tests/oracle/master.py`, written from the docs of `engine::master`), on the committed
//! fixtures `tests/fixtures/dimensions/orders.csv` (420 customers) and
//! `tests/fixtures/master/master.csv` (made by `make_master.py` beside it: ids in upper, lower
//! and full-width case and padded with spaces, three duplicates, two empty ids, 30 prospects,
//! an industry, a founding year and an unknown column): both files go through the real imports
//! (header guesses included); the rows kept, rejected and duplicated, matched, unmatched (ids),
//! the match rate, the prospects (ids) and the breakdown by the master's industry (customers
//! and sales per value) must equal pandas'.
//!
//! The oracle (a venv with pandas in `target/test-venv`) is installed by `scripts/setup.sh
//! --test`. Without it the test fails in CI (`CI` set) or when `VALUELENS_REQUIRE_ORACLE` is
//! set, and elsewhere says loudly that it was skipped.

use std::process::Command;

use serde_json::Value;
use valuelens::engine::dimensions::{breakdown, AttributeKind, BreakdownConfig, ValueLabel};
use valuelens::engine::ingest::{import_bytes, InspectOptions};
use valuelens::engine::master::{import_master, join_master, MasterOptions};

mod pandas_oracle;
use pandas_oracle::{close, python, root};

fn count(v: &Value, key: &str) -> usize {
    v[key].as_u64().unwrap_or(u64::MAX) as usize
}

#[test]
fn the_join_and_a_breakdown_by_a_master_attribute_equal_pandas() {
    let Some(python) = python("pandas") else {
        return;
    };
    let orders_path = root().join("tests/fixtures/dimensions/orders.csv");
    let master_path = root().join("tests/fixtures/master/master.csv");
    let outcome = import_bytes(
        &std::fs::read(&orders_path).unwrap(),
        &InspectOptions::default(),
    )
    .unwrap();
    assert_eq!(outcome.report.rows_rejected, 0);
    let table = &outcome.table;
    let master = import_master(
        &std::fs::read(&master_path).unwrap(),
        &MasterOptions::default(),
    )
    .unwrap();
    assert_eq!(master.id_column, 0);
    let kinds: Vec<(&str, AttributeKind)> = master
        .columns
        .iter()
        .map(|c| (c.key.as_str(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("master_industry", AttributeKind::Industry),
            ("master_birth_year", AttributeKind::BirthYear),
            ("master_attribute", AttributeKind::Other),
        ]
    );
    let join = join_master(&master, table);

    let output = Command::new(&python)
        .arg(root().join("tests/oracle/master.py"))
        .arg(&orders_path)
        .arg(&master_path)
        .args(["客户编号", "金额", "客户编号", "行业"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let want: Value = serde_json::from_slice(&output.stdout).unwrap();

    assert_eq!(master.rows.len(), count(&want, "rows"));
    assert_eq!(master.rejected_count as usize, count(&want, "rejected"));
    assert_eq!(master.duplicate_count as usize, count(&want, "duplicates"));
    let duplicate_lines: Vec<u64> = master.duplicates.iter().map(|d| d.line).collect();
    let want_lines: Vec<u64> = want["duplicate_lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert_eq!(duplicate_lines, want_lines);
    assert_eq!(join.matched, count(&want, "matched"));
    assert_eq!(join.unmatched.len(), count(&want, "unmatched"));
    close(join.match_rate.unwrap(), &want["match_rate"], "match rate");
    assert_eq!(join.prospects.len(), count(&want, "prospects"));
    // Every line of the file is a kept row, a rejected row or a duplicate.
    assert_eq!(
        master.rows_read,
        master.rows.len() as u64 + master.rejected_count + master.duplicate_count
    );

    let mut unmatched: Vec<String> = join
        .unmatched
        .iter()
        .map(|&i| table.customers[i].id.to_string())
        .collect();
    unmatched.sort();
    let want_unmatched: Vec<String> = want["unmatched_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(unmatched, want_unmatched);
    let prospects: Vec<String> = join
        .prospects
        .iter()
        .map(|&i| master.rows[i].id.clone())
        .collect();
    let want_prospects: Vec<String> = want["prospect_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(prospects, want_prospects);

    let industry = join.attributes.get("master_industry").unwrap();
    let b = breakdown(table, industry, None, BreakdownConfig::default()).unwrap();
    let cells = want["breakdown"].as_object().unwrap();
    assert_eq!(b.values.len(), cells.len());
    for value in &b.values {
        let key = match &value.label {
            ValueLabel::Value(v) => v.clone(),
            ValueLabel::Blank => String::new(),
            ValueLabel::Other => panic!("no value is merged into Other here"),
        };
        let cell = &cells[&key];
        assert_eq!(value.total.customers, count(cell, "customers"), "{key}");
        close(value.total.sales, &cell["sales"], &key);
    }
}
