//! The native command of the SQL pack: `valuelens sql --dialect duckdb|spark --mapping FILE
//! [--params FILE] [--table NAME]` writes the SQL to standard output; a wrong argument or file
//! exits with status 2 and says what is wrong.

use std::path::PathBuf;
use std::process::{Command, Output};

fn dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tmp/sql-command");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn file(name: &str, text: &str) -> String {
    let path = dir().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_valuelens"))
        .args(args)
        .output()
        .unwrap()
}

const MAPPING: &str = r#"{"table": "shop.order_lines", "headers": ["cust", "day", "net"],
  "mapping": {"customer": 0, "date": 1, "amount": 2}}"#;

#[test]
fn the_command_writes_the_pack_to_standard_output() {
    let mapping = file("mapping.json", MAPPING);
    let params = file("params.json", r#"{"rfm": {"bins": 10}}"#);
    let cases: [(&[&str], &[&str]); 3] = [
        (
            &["sql", "--dialect", "duckdb", "--mapping", &mapping],
            &[
                "-- ValueLens SQL pack (DuckDB)",
                "FROM \"shop\".\"order_lines\";",
                "CAST(\"cust\" AS VARCHAR) AS customer_raw",
                "RFM: 5 bins",
            ],
        ),
        (
            &[
                "sql",
                "--dialect",
                "spark",
                "--mapping",
                &mapping,
                "--params",
                &params,
                "--table",
                "lake.orders",
            ],
            &[
                "-- ValueLens SQL pack (Spark SQL)",
                "FROM `lake`.`orders`;",
                "RFM: 10 bins",
            ],
        ),
        (
            &["sql", "--mapping", &mapping, "--dialect", "SPARK"],
            &["CAST(`day` AS DATE) AS purchase_date"],
        ),
    ];
    for (args, expected) in cases {
        let output = run(args);
        assert!(output.status.success(), "{args:?}");
        let text = String::from_utf8(output.stdout).unwrap();
        for part in expected {
            assert!(text.contains(part), "{args:?}: no {part:?}");
        }
    }
}

#[test]
fn wrong_arguments_and_files_exit_with_status_2() {
    let mapping = file("mapping-ok.json", MAPPING);
    let no_amount = file(
        "no-amount.json",
        r#"{"headers": ["cust"], "mapping": {"customer": 0}}"#,
    );
    let not_json = file("not-json.json", "customer,amount");
    let bad_bins = file("bad-bins.json", r#"{"rfm": {"bins": 7}}"#);
    let missing = dir().join("missing.json").to_string_lossy().into_owned();
    let cases: [(&[&str], &str); 7] = [
        (&["report"], "unknown command 'report'"),
        (&["sql", "--mapping", &mapping], "--dialect is required"),
        (
            &["sql", "--dialect", "oracle", "--mapping", &mapping],
            "unknown dialect 'oracle'",
        ),
        (
            &["sql", "--dialect", "duckdb", "--mapping"],
            "--mapping needs a value",
        ),
        (
            &["sql", "--dialect", "duckdb", "--mapping", &missing],
            "cannot read",
        ),
        (
            &["sql", "--dialect", "duckdb", "--mapping", &not_json],
            "not-json.json",
        ),
        (
            &["sql", "--dialect", "duckdb", "--mapping", &no_amount],
            "amount",
        ),
    ];
    for (args, message) in cases {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let error = String::from_utf8(output.stderr).unwrap();
        assert!(error.contains(message), "{args:?}: {error}");
    }
    let output = run(&[
        "sql",
        "--dialect",
        "duckdb",
        "--mapping",
        &mapping,
        "--params",
        &bad_bins,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr).unwrap().contains("bins"));
}
