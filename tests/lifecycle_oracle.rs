//! The lifecycle analysis (issue 14) against an independent pandas computation
//! (`tests/oracle/lifecycle.py`, written from METHODS §7), on the hand-checked fixture and on
//! the public CDNOW master file (23,570 customers who first bought in January–March 1997):
//! per-period actives, new, returning, reactivated and lost customers equal, and retention,
//! churn, revenue retention, repeat rates, cohort shares and inter-purchase quantiles equal to
//! four decimals.
//!
//! The oracle (a venv with pandas in `target/test-venv`, and `target/test-data/CDNOW_master.txt`
//! taken from the `lifetimes` wheel on PyPI) is installed by `scripts/setup.sh --test`, which
//! `make test` runs first. Without it the tests fail in CI (`CI` set) or when
//! `VALUELENS_REQUIRE_ORACLE` is set, and elsewhere say loudly that they were skipped.

mod cdnow;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use valuelens::engine::calendar::Day;
use valuelens::engine::customers::{Aggregator, Columns, CustomerTable, Transaction};
use valuelens::engine::history::PurchaseHistory;
use valuelens::engine::lifecycle::*;

/// Data lines of `CDNOW_master.txt` (69,659 purchases).
const CDNOW_LINES: usize = 69_659;

struct Oracle {
    python: PathBuf,
    cdnow: PathBuf,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The oracle, or `None` (after saying so) where it may be missing.
fn oracle() -> Option<Oracle> {
    let python = root().join("target/test-venv/bin/python");
    let cdnow = root().join("target/test-data/CDNOW_master.txt");
    let ready = python.exists()
        && cdnow.exists()
        && Command::new(&python)
            .args(["-c", "import pandas"])
            .status()
            .is_ok_and(|s| s.success());
    if ready {
        return Some(Oracle { python, cdnow });
    }
    let required = std::env::var_os("CI").is_some_and(|v| !v.is_empty())
        || std::env::var_os("VALUELENS_REQUIRE_ORACLE").is_some();
    assert!(
        !required,
        "the pandas oracle is missing ({} or {}): run ./scripts/setup.sh --test",
        python.display(),
        cdnow.display()
    );
    eprintln!(
        "SKIPPED: the pandas oracle is missing; run ./scripts/setup.sh --test (in CI this fails)"
    );
    None
}

fn run(oracle: &Oracle, input: &Path, format: &str, options: &[&str]) -> Value {
    let output = Command::new(&oracle.python)
        .arg(root().join("tests/oracle/lifecycle.py"))
        .arg(input)
        .arg(format)
        .args(options)
        .output()
        .expect("the oracle runs");
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the oracle prints JSON")
}

/// `customer,order,date,amount,quantity` through the aggregator.
fn load_csv(path: &Path) -> (CustomerTable, PurchaseHistory) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut aggregator = Aggregator::new(Columns {
        order: true,
        date: true,
        profit: false,
        quantity: true,
    });
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        aggregator.add(&Transaction {
            customer: cells[0],
            order: Some(cells[1]),
            day: Day::parse_iso(cells[2]),
            amount: cells[3].parse().unwrap(),
            profit: None,
            quantity: Some(cells[4].parse().unwrap()),
        });
    }
    aggregator.finish_with_history()
}

/// The CDNOW master file (whitespace-aligned customer, yyyymmdd, CDs, dollars; a header line
/// in the `lifetimes` copy, none in the original): no order id, so every line is an order.
fn load_cdnow(path: &Path) -> (CustomerTable, PurchaseHistory) {
    let (table, history, lines) = cdnow::load_cdnow(path, false);
    assert_eq!(lines, CDNOW_LINES);
    (table, history)
}

fn number(value: &Value) -> Option<f64> {
    value.as_f64()
}

fn count(value: &Value) -> Option<usize> {
    value.as_u64().map(|v| v as usize)
}

/// Equal to four decimals, and both present or both absent.
fn four_decimals(what: &str, ours: Option<f64>, theirs: Option<f64>) {
    match (ours, theirs) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 0.5e-4, "{what}: {a} vs pandas {b}"),
        (None, None) => {}
        _ => panic!("{what}: {ours:?} vs pandas {theirs:?}"),
    }
}

fn compare(
    table: &CustomerTable,
    history: &PurchaseHistory,
    config: &LifecycleConfig,
    oracle: &Value,
) {
    let analysis = analyse_lifecycle(table, history, config).unwrap();
    assert_eq!(count(&oracle["customers"]), Some(table.customers.len()));
    let periods = oracle["periods"].as_array().unwrap();
    assert_eq!(analysis.series.stats.len(), periods.len());
    for (ours, theirs) in analysis.series.stats.iter().zip(periods) {
        let key = ours.period.key.to_string();
        let what = |field: &str| format!("{key} {field} ({:?})", config.grain);
        assert_eq!(Some(key.as_str()), theirs["period"].as_str());
        assert_eq!(
            Some(ours.period.partial),
            theirs["partial"].as_bool(),
            "{}",
            what("partial")
        );
        assert_eq!(
            Some(ours.active),
            count(&theirs["active"]),
            "{}",
            what("active")
        );
        assert_eq!(Some(ours.new), count(&theirs["new"]), "{}", what("new"));
        assert_eq!(
            ours.returning,
            count(&theirs["returning"]),
            "{}",
            what("returning")
        );
        assert_eq!(
            ours.reactivated,
            count(&theirs["reactivated"]),
            "{}",
            what("reactivated")
        );
        assert_eq!(ours.lost, count(&theirs["lost"]), "{}", what("lost"));
        four_decimals(
            &what("retention"),
            ours.retention,
            number(&theirs["retention"]),
        );
        four_decimals(&what("churn"), ours.churn, number(&theirs["churn"]));
        four_decimals(
            &what("revenue retention"),
            ours.revenue_retention,
            number(&theirs["revenue_retention"]),
        );
        four_decimals(
            &what("repeat rate"),
            ours.repeat_rate,
            number(&theirs["repeat_rate"]),
        );
    }
    let cohorts = oracle["cohorts"].as_array().unwrap();
    assert_eq!(analysis.cohorts.cohorts.len(), cohorts.len());
    for (ours, theirs) in analysis.cohorts.cohorts.iter().zip(cohorts) {
        let key = ours.period.to_string();
        assert_eq!(Some(key.as_str()), theirs["cohort"].as_str());
        assert_eq!(Some(ours.size), count(&theirs["size"]), "cohort {key} size");
        let shares = theirs["shares"].as_array().unwrap();
        assert_eq!(ours.cells.len(), shares.len(), "cohort {key} cells");
        for (cell, share) in ours.cells.iter().zip(shares) {
            four_decimals(
                &format!("cohort {key} k={}", cell.k),
                cell.share,
                number(share),
            );
        }
    }
    let gaps = &oracle["gaps"];
    let ipt = &analysis.lapse.inter_purchase;
    assert_eq!(Some(ipt.gaps), gaps["count"].as_u64());
    four_decimals("q1", ipt.q1, number(&gaps["q1"]));
    four_decimals("median", ipt.median, number(&gaps["median"]));
    four_decimals("q3", ipt.q3, number(&gaps["q3"]));
    four_decimals("p90", ipt.p90, number(&gaps["p90"]));
}

#[test]
fn the_hand_fixture_equals_pandas() {
    let Some(oracle) = oracle() else { return };
    let path = root().join("tests/fixtures/lifecycle/hand.csv");
    let (table, history) = load_csv(&path);
    let cases: [(&[&str], LifecycleConfig); 5] = [
        (&[], LifecycleConfig::default()),
        (
            &["--returns-activity"],
            LifecycleConfig {
                returns_count_as_activity: true,
                ..Default::default()
            },
        ),
        (
            &["--grain", "quarter"],
            LifecycleConfig {
                grain: Grain::Quarter,
                ..Default::default()
            },
        ),
        (
            &["--grain", "quarter", "--include-partial"],
            LifecycleConfig {
                grain: Grain::Quarter,
                include_partial: true,
                ..Default::default()
            },
        ),
        (
            &[
                "--grain",
                "year",
                "--include-partial",
                "--cohort-grain",
                "quarter",
            ],
            LifecycleConfig {
                grain: Grain::Year,
                cohort_grain: CohortGrain::Quarter,
                include_partial: true,
                ..Default::default()
            },
        ),
    ];
    for (options, config) in cases {
        let expected = run(&oracle, &path, "csv", options);
        compare(&table, &history, &config, &expected);
    }
}

#[test]
fn cdnow_equals_pandas_months_cohorts_and_year_on_year() {
    let Some(oracle) = oracle() else { return };
    let (table, history) = load_cdnow(&oracle.cdnow);
    assert_eq!(table.customers.len(), 23_570);
    let month = LifecycleConfig::default();
    let expected = run(&oracle, &oracle.cdnow, "cdnow", &[]);
    compare(&table, &history, &month, &expected);
    // Everyone first bought in January–March 1997.
    let analysis = analyse_lifecycle(&table, &history, &month).unwrap();
    let sizes: Vec<(String, usize)> = analysis
        .cohorts
        .cohorts
        .iter()
        .map(|c| (c.period.to_string(), c.size))
        .collect();
    assert_eq!(
        sizes,
        [
            ("1997-01".into(), 7_846),
            ("1997-02".into(), 8_476),
            ("1997-03".into(), 7_248)
        ]
    );
    // Year on year: 1998 (January–June) is partial, so its retention is shown only on request.
    let year = LifecycleConfig {
        grain: Grain::Year,
        ..Default::default()
    };
    let analysis = analyse_lifecycle(&table, &history, &year).unwrap();
    assert_eq!(analysis.series.stats[1].retention, None);
    let year = LifecycleConfig {
        include_partial: true,
        ..year
    };
    let expected = run(
        &oracle,
        &oracle.cdnow,
        "cdnow",
        &["--grain", "year", "--include-partial"],
    );
    compare(&table, &history, &year, &expected);
    let quarter = LifecycleConfig {
        grain: Grain::Quarter,
        cohort_grain: CohortGrain::Quarter,
        ..Default::default()
    };
    let expected = run(
        &oracle,
        &oracle.cdnow,
        "cdnow",
        &["--grain", "quarter", "--cohort-grain", "quarter"],
    );
    compare(&table, &history, &quarter, &expected);
}
