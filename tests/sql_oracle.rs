//! The SQL pack (issue 17) against the engine: the SQL that `engine::sql` writes, run on DuckDB
//! and on Apache Spark in local mode (`tests/oracle/sql.py`, one Python process and one Spark
//! session for every case), must give every customer the engine's own answers:
//! - `vl_customers`: order lines, orders, return lines, sales, profit, quantity, first and last
//!   purchase; rank, decile and value slice by sales and by profit; retain, grow, declining and
//!   transaction (or none where the engine computes no such group);
//! - `vl_deciles`: every decile's customers, sales, profit, orders, shares, average order value
//!   and margin, by sales and by profit;
//! - `vl_monthly`: every customer's sales and profit in every month;
//! - `vl_rfm`: recency, frequency, monetary, the three scores, the value tier and the segment;
//! - `vl_headline`: the headline figures; `vl_lines`: as many lines as the import accepted.
//!
//! Cases: fixture files that import cleanly with several mappings (with and without an order
//! id, with profit, with returns, with quantity, with rejected rows; `fixtures/sql/ties.csv`:
//! Chinese and Greek ids among ASCII ones, ids with spaces and a spreadsheet's `'=` marker,
//! sums equal only up to floating-point noise, zero and negative customers, leap days) and several parameter sets
//! (bins 3 and 10, average order value, given analysis days, other group thresholds), and a
//! generated file of 100,000 order lines (`engine::sample::write_orders`, seeded) with and
//! without its order, date and profit columns. Sums are compared within 1e-9 relative (the
//! databases add in another order), every count, rank, score, flag and name exactly.
//!
//! The oracle (`duckdb` and `pyspark` in the venv `target/test-venv`, Java 17) is installed by
//! `scripts/setup.sh --test`. Without it this test fails in CI (`CI` set) or when
//! `VALUELENS_REQUIRE_ORACLE` is set, and elsewhere says loudly that it was skipped.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};
use valuelens::engine::calendar::Day;
use valuelens::engine::customers::CustomerTable;
use valuelens::engine::deciles::{
    customer_deciles, customer_groups, decile_sizes, rank_customers, value_deciles, DecileBasis,
    GroupStatus,
};
use valuelens::engine::ingest::columns::ColumnMapping;
use valuelens::engine::ingest::{import_with, inspect, ImportOutcome, InspectOptions};
use valuelens::engine::rfm::{analyse_rfm, Monetary, OTHER_EN};
use valuelens::engine::sample::write_orders;
use valuelens::engine::sql::{write_sql, Dialect, SqlParams, SqlSource};
use valuelens::engine::summary::summarize;
use valuelens::engine::Error;

/// Equal up to the last bits: `1e-9` relative, or absolute below 1 (the databases add in
/// another order than the import).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn required() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
        || std::env::var_os("VALUELENS_REQUIRE_ORACLE").is_some()
}

/// The venv's python when it has duckdb and pyspark, or `None` (after saying so).
fn oracle() -> Option<PathBuf> {
    let python = root().join("target/test-venv/bin/python");
    let ready = python.exists()
        && Command::new(&python)
            .args(["-c", "import duckdb, pyspark"])
            .status()
            .is_ok_and(|s| s.success());
    if !ready {
        assert!(
            !required(),
            "the SQL oracle is missing ({} with duckdb and pyspark): run ./scripts/setup.sh --test",
            python.display()
        );
        eprintln!(
            "SKIPPED: the SQL oracle (duckdb, pyspark) is missing; run ./scripts/setup.sh --test (in CI this fails)"
        );
        return None;
    }
    Some(python)
}

/// One file, one mapping, one parameter set.
struct Case {
    name: &'static str,
    csv: PathBuf,
    /// Changes to the guessed mapping.
    remap: fn(&mut ColumnMapping),
    params: SqlParams,
}

fn fixture(path: &str) -> PathBuf {
    root().join("tests/fixtures").join(path)
}

fn keep(_: &mut ColumnMapping) {}

fn no_order(m: &mut ColumnMapping) {
    m.order = None;
}

fn generated(rows: u64) -> PathBuf {
    let dir = root().join("target/tmp/sql-oracle");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("orders-{rows}.csv"));
    let mut text = Vec::new();
    write_orders(&mut text, rows, rows / 10, 0x5EED_0017).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn cases() -> Vec<Case> {
    let other = {
        let mut p = SqlParams::default();
        p.rfm.bins = 10;
        p.rfm.monetary = Monetary::AverageOrderValue;
        p.groups.period_months = 6;
        p.groups.retain_sales_share = 0.2;
        p.groups.grow_from_share = 0.3;
        p.groups.grow_to_share = 0.6;
        p.groups.decline_threshold = 0.1;
        p.groups.transaction_margin_decile = 3;
        p.groups.transaction_max_orders = 3;
        p
    };
    let three_bins = {
        let mut p = SqlParams::default();
        p.rfm.bins = 3;
        // 2025-01-31: a month after the fixture's latest purchase.
        p.rfm.analysis_day = Day::from_civil(2025, 1, 31);
        p.groups.analysis_day = Day::from_civil(2024, 7, 1);
        p
    };
    let too_early = {
        let mut p = SqlParams::default();
        // Before the fixture's latest purchase: the engine refuses it, the SQL stops.
        p.rfm.analysis_day = Day::from_civil(2023, 6, 1);
        p
    };
    let four_bins = {
        let mut p = SqlParams::default();
        p.rfm.bins = 4;
        p
    };
    let big = generated(100_000);
    vec![
        Case {
            name: "deciles",
            csv: fixture("deciles/orders.csv"),
            remap: keep,
            params: SqlParams::default(),
        },
        Case {
            name: "deciles-no-order-other-params",
            csv: fixture("deciles/orders.csv"),
            remap: no_order,
            params: other.clone(),
        },
        Case {
            name: "rfm",
            csv: fixture("rfm/orders.csv"),
            remap: keep,
            params: SqlParams::default(),
        },
        Case {
            name: "rfm-no-order-3-bins",
            csv: fixture("rfm/orders.csv"),
            remap: no_order,
            params: three_bins,
        },
        Case {
            name: "rfm-analysis-day-too-early",
            csv: fixture("rfm/orders.csv"),
            remap: keep,
            params: too_early,
        },
        Case {
            name: "returns-netted",
            csv: fixture("ingest/returns_netted.csv"),
            remap: keep,
            params: SqlParams::default(),
        },
        Case {
            name: "lifecycle-quantity",
            csv: fixture("lifecycle/hand.csv"),
            remap: keep,
            params: four_bins,
        },
        Case {
            name: "bad-rows",
            csv: fixture("ingest/bad_rows.csv"),
            remap: keep,
            params: SqlParams::default(),
        },
        Case {
            name: "ties-and-odd-ids",
            csv: fixture("sql/ties.csv"),
            remap: keep,
            params: SqlParams::default(),
        },
        Case {
            name: "ties-and-odd-ids-other-params",
            csv: fixture("sql/ties.csv"),
            remap: keep,
            params: other.clone(),
        },
        Case {
            name: "generated-100k",
            csv: big.clone(),
            remap: keep,
            params: SqlParams::default(),
        },
        Case {
            name: "generated-100k-no-order-date",
            csv: big,
            remap: |m| {
                m.order = None;
                m.date = None;
            },
            params: other,
        },
    ]
}

/// The engine's import of a case, with the settings it ran with.
fn import(case: &Case) -> (ImportOutcome, SqlSource, Vec<Value>) {
    let bytes = std::fs::read(&case.csv).unwrap();
    let preview = inspect(&bytes, true, &InspectOptions::default()).unwrap();
    let mut settings = preview.settings();
    (case.remap)(&mut settings.mapping);
    let outcome = import_with(&bytes, settings.clone()).unwrap();
    let m = &settings.mapping;
    assert!(
        m.customer.is_some() && m.amount.is_some(),
        "{}: {m:?}",
        case.name
    );
    let m = &settings.mapping;
    let columns = settings
        .headers
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let kind = if m.date == Some(i) {
                "date"
            } else if [m.amount, m.profit, m.quantity].contains(&Some(i)) {
                "double"
            } else {
                "text"
            };
            json!({"name": name, "type": kind})
        })
        .collect();
    (
        outcome,
        SqlSource::from_settings("orders", &settings),
        columns,
    )
}

/// Differences, named; the test fails when there is any.
#[derive(Default)]
struct Diff(Vec<String>);

impl Diff {
    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, sql: T, engine: T) {
        if sql != engine {
            self.0
                .push(format!("{what}: sql {sql:?}, engine {engine:?}"));
        }
    }

    fn close(&mut self, what: &str, sql: Option<f64>, engine: Option<f64>) {
        let same = match (sql, engine) {
            (Some(a), Some(b)) => close(a, b),
            (a, b) => a == b,
        };
        if !same {
            self.0
                .push(format!("{what}: sql {sql:?}, engine {engine:?}"));
        }
    }
}

fn int(row: &Value, key: &str) -> Option<i64> {
    row.get(key).and_then(Value::as_i64)
}

fn float(row: &Value, key: &str) -> Option<f64> {
    row.get(key).and_then(Value::as_f64)
}

fn text<'a>(row: &'a Value, key: &str) -> Option<&'a str> {
    row.get(key).and_then(Value::as_str)
}

fn flag(row: &Value, key: &str) -> Option<bool> {
    row.get(key).and_then(Value::as_bool)
}

fn iso(day: Option<Day>) -> Option<String> {
    day.map(Day::iso)
}

/// Rows of a view, by customer id (and, for the monthly table, month).
fn by_key(rows: &Value, key: impl Fn(&Value) -> String) -> HashMap<String, &Value> {
    rows.as_array()
        .map(|rows| rows.iter().map(|r| (key(r), r)).collect())
        .unwrap_or_default()
}

/// Every comparison of one case on one database.
fn compare(diff: &mut Diff, views: &Value, outcome: &ImportOutcome, params: &SqlParams) {
    let table: &CustomerTable = &outcome.table;
    let customers = &table.customers;
    let id = |r: &Value| text(r, "customer_id").unwrap_or_default().to_string();

    // Lines and headline figures.
    let accepted = outcome.report.rows_read - outcome.report.rows_rejected;
    diff.eq(
        "vl_lines rows",
        int(&views["vl_lines"][0], "lines"),
        Some(accepted as i64),
    );
    let summary = summarize(table, &outcome.report);
    let head = &views["vl_headline"][0];
    diff.eq(
        "order_lines",
        int(head, "order_lines"),
        Some(accepted as i64),
    );
    diff.eq(
        "return_lines",
        int(head, "return_lines"),
        Some(summary.return_rows as i64),
    );
    diff.eq(
        "customers",
        int(head, "customers"),
        Some(summary.customers as i64),
    );
    diff.eq("orders", int(head, "orders"), Some(summary.orders as i64));
    diff.eq(
        "repeat_customers",
        int(head, "repeat_customers"),
        Some(summary.repeat_customers as i64),
    );
    diff.close(
        "total_sales",
        float(head, "total_sales"),
        Some(summary.total_sales),
    );
    diff.close(
        "total_profit",
        float(head, "total_profit"),
        summary.total_profit,
    );
    diff.eq(
        "first_day",
        text(head, "first_day").map(String::from),
        iso(summary.first_day),
    );
    diff.eq(
        "last_day",
        text(head, "last_day").map(String::from),
        iso(summary.last_day),
    );
    diff.close(
        "average_order_value",
        float(head, "average_order_value"),
        Some(summary.average_order_value()),
    );
    diff.close(
        "repeat_rate",
        float(head, "repeat_rate"),
        Some(summary.repeat_rate()),
    );
    diff.close("margin", float(head, "margin"), summary.margin());

    // Customers: aggregates, ranks, deciles, value slices, groups.
    let rows = by_key(&views["vl_customers"], id);
    diff.eq("vl_customers rows", rows.len(), customers.len());
    let mut ranked_bases = vec![DecileBasis::Sales];
    if table.columns.profit {
        ranked_bases.push(DecileBasis::Profit);
    }
    // (position 1-based, decile, value slice) per customer index and basis.
    let mut ranked: HashMap<(usize, &str), (i64, i64, Option<i64>)> = HashMap::new();
    for &basis in &ranked_bases {
        let order = rank_customers(table, basis).unwrap();
        let slices = value_deciles(table, basis).unwrap();
        let mut deciles = Vec::new();
        for (k, size) in decile_sizes(order.len()).iter().enumerate() {
            deciles.extend(std::iter::repeat_n(k as i64 + 1, *size));
        }
        for (p, &i) in order.iter().enumerate() {
            let position = p + 1;
            let slice = slices
                .iter()
                .find(|s| s.cumulative_customers >= position)
                .map(|s| i64::from(s.index));
            ranked.insert((i, basis.as_str()), (position as i64, deciles[p], slice));
        }
    }
    // The decile tables.
    let deciles = by_key(&views["vl_deciles"], |r| {
        format!(
            "{} {}",
            text(r, "basis").unwrap_or_default(),
            int(r, "decile").unwrap_or_default()
        )
    });
    diff.eq("vl_deciles rows", deciles.len(), 10 * ranked_bases.len());
    for &basis in &ranked_bases {
        for d in customer_deciles(table, basis).unwrap() {
            let key = format!("{} {}", basis.as_str(), d.index);
            let Some(row) = deciles.get(&key) else {
                diff.0.push(format!("decile {key} missing"));
                continue;
            };
            let who = |what: &str| format!("decile {key} {what}");
            diff.eq(
                &who("customers, cumulative, orders"),
                (
                    int(row, "customers"),
                    int(row, "cumulative_customers"),
                    int(row, "orders"),
                ),
                (
                    Some(d.customers as i64),
                    Some(d.cumulative_customers as i64),
                    Some(d.orders as i64),
                ),
            );
            let figures = [
                (
                    "cumulative_customer_share",
                    Some(d.cumulative_customer_share),
                ),
                ("sales", Some(d.sales)),
                ("profit", Some(d.profit)),
                ("sales_share", d.sales_share),
                ("profit_share", d.profit_share),
                ("cumulative_sales_share", d.cumulative_sales_share),
                ("cumulative_profit_share", d.cumulative_profit_share),
                ("average_order_value", Some(d.average_order_value)),
                ("margin", d.margin),
            ];
            for (name, engine) in figures {
                diff.close(&who(name), float(row, name), engine);
            }
        }
    }

    let groups = customer_groups(table, &params.groups).unwrap();
    let member = |status: GroupStatus, members: &[usize], i: usize| {
        (status == GroupStatus::Computed).then(|| members.contains(&i))
    };
    for (i, c) in customers.iter().enumerate() {
        let Some(row) = rows.get(c.id.as_str()) else {
            diff.0.push(format!("customer {} missing", c.id));
            continue;
        };
        let who = |what: &str| format!("{} {what}", c.id);
        diff.eq(
            &who("order_lines"),
            int(row, "order_lines"),
            Some(i64::from(c.rows)),
        );
        diff.eq(
            &who("orders"),
            int(row, "orders"),
            Some(i64::from(c.orders)),
        );
        diff.eq(
            &who("return_lines"),
            int(row, "return_lines"),
            Some(i64::from(c.returns)),
        );
        diff.close(&who("sales"), float(row, "sales"), Some(c.sales));
        diff.close(&who("profit"), float(row, "profit"), Some(c.profit));
        diff.close(&who("quantity"), float(row, "quantity"), Some(c.quantity));
        diff.eq(
            &who("first_purchase"),
            text(row, "first_purchase").map(String::from),
            iso(c.first),
        );
        diff.eq(
            &who("last_purchase"),
            text(row, "last_purchase").map(String::from),
            iso(c.last),
        );
        for basis in ["sales", "profit"] {
            let sql = (
                int(row, &format!("{basis}_rank")),
                int(row, &format!("{basis}_decile")),
                int(row, &format!("{basis}_value_slice")),
            );
            let engine = ranked
                .get(&(i, basis))
                .map_or((None, None, None), |&(p, d, s)| (Some(p), Some(d), s));
            diff.eq(&who(&format!("{basis} rank, decile, slice")), sql, engine);
        }
        let s = groups.status;
        diff.eq(
            &who("retain"),
            flag(row, "retain"),
            member(s.retain, &groups.retain, i),
        );
        diff.eq(
            &who("grow"),
            flag(row, "grow"),
            member(s.grow, &groups.grow, i),
        );
        diff.eq(
            &who("declining"),
            flag(row, "declining"),
            member(s.declining, &groups.declining, i),
        );
        diff.eq(
            &who("transaction"),
            flag(row, "transaction"),
            member(s.transaction, &groups.transaction, i),
        );
    }

    if !table.columns.date {
        diff.eq(
            "vl_monthly present",
            views.get("vl_monthly").is_some(),
            false,
        );
        diff.eq("vl_rfm present", views.get("vl_rfm").is_some(), false);
        return;
    }

    // The monthly long table.
    let monthly = by_key(&views["vl_monthly"], |r| {
        format!("{} {}", id(r), text(r, "month").unwrap_or_default())
    });
    let months: usize = customers.iter().map(|c| c.months.len()).sum();
    diff.eq("vl_monthly rows", monthly.len(), months);
    for c in customers {
        for m in &c.months {
            let month = m.month.first_day().map(Day::iso).unwrap_or_default();
            let Some(row) = monthly.get(&format!("{} {month}", c.id)) else {
                diff.0.push(format!("{} {month} missing", c.id));
                continue;
            };
            diff.close(
                &format!("{} {month} sales", c.id),
                float(row, "sales"),
                Some(m.sales),
            );
            diff.close(
                &format!("{} {month} profit", c.id),
                float(row, "profit"),
                Some(m.profit),
            );
        }
    }

    // RFM.
    let rfm = match analyse_rfm(table, &params.rfm, &params.segments) {
        Ok(rfm) => rfm,
        Err(error) => {
            // The engine refuses the parameters: reading the view must fail too, saying why.
            let refused = matches!(&error, Error::Parameter { name, .. } if name == "analysis_day");
            diff.eq("engine refuses the analysis day", refused, true);
            let message = views["vl_rfm"]["error"].as_str().unwrap_or_default();
            diff.eq(
                "vl_rfm stops",
                message.contains("lies before the latest purchase"),
                true,
            );
            return;
        }
    };
    let rows = by_key(&views["vl_rfm"], id);
    diff.eq("vl_rfm rows", rows.len(), rfm.scores.customers.len());
    for (k, score) in rfm.scores.customers.iter().enumerate() {
        let c = &customers[score.index];
        let Some(row) = rows.get(c.id.as_str()) else {
            diff.0.push(format!("rfm {} missing", c.id));
            continue;
        };
        let who = |what: &str| format!("{} {what}", c.id);
        diff.eq(
            &who("recency, frequency"),
            (int(row, "recency_days"), int(row, "frequency")),
            (
                Some(i64::from(score.recency_days)),
                Some(i64::from(score.frequency)),
            ),
        );
        diff.close(
            &who("monetary"),
            float(row, "monetary"),
            Some(score.monetary),
        );
        diff.eq(
            &who("r, f, m"),
            (int(row, "r"), int(row, "f"), int(row, "m")),
            (
                Some(i64::from(score.r)),
                Some(i64::from(score.f)),
                Some(i64::from(score.m)),
            ),
        );
        diff.eq(&who("tier"), text(row, "tier"), Some(score.tier.as_str()));
        let assigned = rfm.segmentation.assignments[k];
        diff.eq(
            &who("segment"),
            (int(row, "segment_number"), text(row, "segment_en")),
            (
                Some(assigned.map_or(0, |r| i64::from(r) + 1)),
                Some(rfm.segment_name_of(k).unwrap_or(OTHER_EN)),
            ),
        );
    }
}

#[test]
fn the_sql_pack_gives_the_engines_answers_on_duckdb_and_spark() {
    let Some(python) = oracle() else {
        return;
    };
    let cases = cases();
    let mut job = Vec::new();
    let mut imported = Vec::new();
    for case in &cases {
        let (outcome, source, columns) = import(case);
        let sql = |dialect| write_sql(&source, &case.params, dialect).unwrap();
        let (duck, spark) = (sql(Dialect::DuckDb), sql(Dialect::Spark));
        assert_eq!(duck.views, spark.views);
        job.push(json!({
            "name": case.name,
            "csv": case.csv.to_string_lossy(),
            "columns": columns,
            "duckdb": duck.text,
            "spark": spark.text,
            "views": duck.views,
        }));
        imported.push(outcome);
    }
    let dir = root().join("target/tmp/sql-oracle");
    std::fs::create_dir_all(&dir).unwrap();
    let job_path = dir.join("job.json");
    std::fs::write(&job_path, json!({ "cases": job }).to_string()).unwrap();
    let started = std::time::Instant::now();
    let output = Command::new(&python)
        .arg(root().join("tests/oracle/sql.py"))
        .arg(&job_path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the SQL oracle failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(dir.join("result.json"), &output.stdout).unwrap();
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    eprintln!(
        "SQL oracle: {:.1} s in all (DuckDB {:.1} s, Spark {:.1} s), {} cases",
        started.elapsed().as_secs_f64(),
        result["seconds"]["duckdb"].as_f64().unwrap_or(f64::NAN),
        result["seconds"]["spark"].as_f64().unwrap_or(f64::NAN),
        cases.len()
    );
    let mut failures = Vec::new();
    for (case, outcome) in cases.iter().zip(&imported) {
        assert!(
            !outcome.table.customers.is_empty(),
            "{}: no customers",
            case.name
        );
        for engine in ["duckdb", "spark"] {
            if result.get(engine).is_none() {
                failures.push(format!("{engine} did not run"));
                continue;
            }
            let mut diff = Diff::default();
            compare(&mut diff, &result[engine][case.name], outcome, &case.params);
            failures.extend(
                diff.0
                    .into_iter()
                    .map(|d| format!("{engine} {}: {d}", case.name)),
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences, the first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
