#!/usr/bin/env python3
"""Writes the Parquet fixtures of tests/parquet.rs and tests/e2e/parquet.test.mjs, each with the CSV
of the same rows, as the two programs that write most Parquet files in the wild write them.

Source: tests/fixtures/deciles/orders.csv (172 order lines) 30 times over, each copy a week later
(5,160 rows), with a timestamp column added and two bad rows at the end (one without an amount, one without a customer), read by DuckDB with explicit
types. Written to tests/fixtures/formats/:

- parquet-orders.csv: DuckDB's own CSV export of those typed rows: the oracle every Parquet file is compared
  with, cell by cell (tests/parquet.rs) and as a whole import (same customers, sums, rejected lines);
- orders_duckdb_snappy.parquet, orders_duckdb_zstd.parquet, orders_duckdb_uncompressed.parquet:
  DuckDB 1.4.4, row groups of 2,048 rows (three: line numbers cross row groups), the amount DECIMAL(18,2)
  (INT64), the profit DECIMAL(20,2) (fixed-length bytes), the date DATE, the time a TIMESTAMP (INT64
  microseconds), the ids dictionary-encoded strings;
- orders_nested.parquet: DuckDB, Snappy, the same rows with two nested columns the import skips
  and names (a list `tags` and a struct `address` with `city` and `zip`), between the flat ones;
  `make_parquet.py nested` writes only this file (no Spark needed);
- orders_duckdb_v2.parquet: DuckDB, Snappy, row groups of 2,048 rows, `PARQUET_VERSION V2` (data pages
  of format v2: levels outside the compressed values; its own string encodings);
  `make_parquet.py v2` writes only this file (no Spark needed);
- orders_spark.parquet: Spark 3.5.6 (local, session time zone UTC), Snappy, one part file renamed;
  its timestamp is Spark's legacy INT96 and its decimals INT64 and fixed-length bytes.

Run with the test venv (scripts/setup.sh --test; Java 17 for Spark):

    target/test-venv/bin/python tests/oracle/make_parquet.py

The CSV and the DuckDB files are deterministic; Spark's carry its version string only.
"""

import glob
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "fixtures" / "deciles" / "orders.csv"
OUT = ROOT / "tests" / "fixtures" / "formats"
# The source's 172 lines, 30 times over, one week later each time: 5,160 rows, so DuckDB's
# row groups of 2,048 rows (its smallest) make three row groups.
COPIES = 30

TYPED = """
SELECT order_id, customer, order_date, ordered_at, amount, profit FROM (
  SELECT 订单号 || '-' || copy AS order_id,
         客户编号 AS customer,
         CAST(日期 AS DATE) + CAST(7 * copy AS INTEGER) AS order_date,
         CAST(日期 AS TIMESTAMP) + to_days(CAST(7 * copy AS INTEGER))
           + to_seconds(3600 * 9 + 60 * (line % 60) + 7) AS ordered_at,
         CAST(金额 AS DECIMAL(18,2)) AS amount,
         CAST(利润 AS DECIMAL(20,2)) AS profit,
         copy, line
  FROM (SELECT *, row_number() OVER () AS line
        FROM read_csv('{source}', header = true, all_varchar = true)),
       range({copies}) AS copies(copy)
  ORDER BY copy, line)
UNION ALL SELECT 'SO-9001', 'C41', DATE '2024-12-30', TIMESTAMP '2024-12-30 23:59:59', NULL, 1.00
UNION ALL SELECT 'SO-9002', NULL, DATE '2024-12-31', TIMESTAMP '2024-12-31 00:00:00', 10.50, 2.00
"""


def nested_parquet(con) -> None:
    path = OUT / "orders_nested.parquet"
    con.execute(
        "COPY (SELECT order_id, customer, ['vip', customer] AS tags, order_date, ordered_at, "
        "{'city': 'Shanghai', 'zip': '200000'} AS address, amount, profit FROM orders) "
        f"TO '{path}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2048)"
    )


def v2_parquet(con) -> None:
    path = OUT / "orders_duckdb_v2.parquet"
    con.execute(
        f"COPY orders TO '{path}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2048, "
        "PARQUET_VERSION V2)"
    )


def main() -> None:
    import sys

    OUT.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE orders AS SELECT * FROM ({TYPED.format(source=SOURCE, copies=COPIES)})")
    nested_parquet(con)
    v2_parquet(con)
    if sys.argv[1:] in (["nested"], ["v2"]):
        return
    csv = OUT / "parquet-orders.csv"
    con.execute(f"COPY orders TO '{csv}' (HEADER, DELIMITER ',')")
    for codec in ("snappy", "zstd", "uncompressed"):
        path = OUT / f"orders_duckdb_{codec}.parquet"
        con.execute(
            f"COPY orders TO '{path}' (FORMAT parquet, COMPRESSION {codec}, ROW_GROUP_SIZE 2048)"
        )
    spark_parquet(csv)
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")


def spark_parquet(csv: Path) -> None:
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("valuelens-fixtures")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    schema = (
        "order_id STRING, customer STRING, order_date DATE, ordered_at TIMESTAMP, "
        "amount DECIMAL(18,2), profit DECIMAL(20,2)"
    )
    frame = spark.read.csv(str(csv), header=True, schema=schema)
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "out")
        frame.coalesce(1).write.option("compression", "snappy").parquet(target)
        (part,) = glob.glob(os.path.join(target, "part-*.parquet"))
        shutil.copyfile(part, OUT / "orders_spark.parquet")
    spark.stop()


if __name__ == "__main__":
    main()
