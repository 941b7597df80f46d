#!/usr/bin/env python3
"""Writes tests/fixtures/formats/types_duckdb.parquet: one Parquet file with a column of every
type the reader's typed path reads (tests/parquet.rs compares that path with the text path on
it, mapping each number and date column in turn), nulls and bad values among them.

DuckDB 1.4.4, Zstd, row groups of 2,048 rows (three row groups, so lines cross them), 5,000
rows. Every 97th row has a null in every nullable column, and a few rows hold values the text
path rejects or reads specially: an empty or blank customer, a customer with U+FFFD, amounts
beyond 10^15, beyond 2^53 units, a non-finite double, dates before year 1 and after 9999.
One wide text column (`note`, never mapped) is there for the projection.

    target/test-venv/bin/python tests/oracle/make_parquet_types.py

Deterministic: the same bytes every run of the same DuckDB.
"""

from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "formats" / "types_duckdb.parquet"

ROWS = 5000

QUERY = f"""
SELECT
  CASE WHEN i = 11 THEN NULL
       WHEN i = 12 THEN ''
       WHEN i = 13 THEN '   '
       WHEN i = 14 THEN 'C' || chr(65533)
       WHEN i = 15 THEN '  C15  '
       WHEN i = 16 THEN '''=C16'
       ELSE 'C' || (i * 7919 % 613) END AS customer,
  CASE WHEN i % 97 = 0 THEN NULL ELSE 'SO-' || (i // 2) END AS order_id,
  CAST(i * 7919 % 613 AS BIGINT) AS customer_number,
  CASE WHEN i % 97 = 0 THEN NULL
       WHEN i = 21 THEN DATE '0001-01-01'
       WHEN i = 22 THEN DATE '9999-12-31'
       WHEN i = 23 THEN DATE '10000-01-01'
       WHEN i = 24 THEN DATE '1969-12-31'
       ELSE DATE '2023-01-01' + CAST(i * 37 % 730 AS INTEGER) END AS order_date,
  CASE WHEN i % 97 = 0 THEN NULL
       ELSE TIMESTAMP '2023-01-01 00:00:00' + to_seconds(CAST(i * 15331 AS BIGINT)) END AS ordered_at,
  CAST(TIMESTAMP '2023-06-30 23:30:00' + to_seconds(CAST(i * 911 AS BIGINT)) AS TIMESTAMP_MS) AS ordered_ms,
  CAST(TIMESTAMP '1969-12-31 23:59:59' + to_seconds(CAST(i * 17 AS BIGINT)) AS TIMESTAMP_NS) AS ordered_ns,
  CAST(TIMESTAMP '2024-03-31 22:30:00' + to_seconds(CAST(i * 613 AS BIGINT)) AS TIMESTAMPTZ) AS ordered_tz,
  CASE WHEN i % 97 = 0 THEN NULL ELSE CAST(i * 31 % 2001 - 60 AS INTEGER) END AS amount_int,
  CASE WHEN i % 97 = 0 THEN NULL
       WHEN i = 31 THEN 9007199254740993
       WHEN i = 32 THEN 1000000000000001
       WHEN i = 33 THEN -999999999999999
       ELSE CAST(i * 104729 % 9000001 - 300000 AS BIGINT) END AS amount_big,
  CASE WHEN i % 97 = 0 THEN NULL ELSE CAST((i * 7 % 40001 - 2000) / 100 AS DECIMAL(9,2)) END AS amount_dec2,
  CASE WHEN i % 97 = 0 THEN NULL
       WHEN i = 41 THEN CAST(900719925474.0993 AS DECIMAL(18,4))
       WHEN i = 42 THEN CAST(-0.0001 AS DECIMAL(18,4))
       ELSE CAST((i * 7919 % 10000001 - 500000) / 10000 AS DECIMAL(18,4)) END AS amount_dec4,
  CASE WHEN i % 97 = 0 THEN NULL ELSE CAST((i * 13 % 5001 - 100) / 1000 AS DECIMAL(12,3)) END AS amount_dec3,
  CASE WHEN i % 97 = 0 THEN NULL ELSE CAST((i * 3 % 9001 - 900) / 100 AS DECIMAL(38,6)) END AS amount_dec38,
  CASE WHEN i % 97 = 0 THEN NULL
       WHEN i = 51 THEN CAST('NaN' AS DOUBLE)
       WHEN i = 52 THEN CAST('inf' AS DOUBLE)
       WHEN i = 53 THEN 1e300
       WHEN i = 54 THEN -0.0
       WHEN i = 55 THEN 0.1
       WHEN i = 56 THEN 5e-324
       ELSE CAST(i AS DOUBLE) * 1.37 - 101.0 END AS amount_double,
  CASE WHEN i % 97 = 0 THEN NULL ELSE CAST(i AS FLOAT) / 8 - 7.3 END AS amount_float,
  CAST(i % 256 AS UTINYINT) AS amount_utiny,
  CASE WHEN i = 61 THEN CAST(18446744073709551615 AS UBIGINT)
       ELSE CAST(i * 3 AS UBIGINT) END AS amount_ubig,
  CASE WHEN i % 97 = 0 OR i % 5 = 0 THEN NULL ELSE CAST(i % 7 - 1 AS SMALLINT) END AS quantity,
  CASE WHEN i % 89 = 0 THEN NULL ELSE ['north', 'south', ' east ', '西部'][i % 4 + 1] END AS region,
  repeat('n', i % 9) || i AS note
FROM range(1, {ROWS + 1}) AS rows(i)
ORDER BY i
"""


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"CREATE TABLE t AS {QUERY}")
    con.execute(f"COPY t TO '{OUT}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048)")
    print(f"{OUT.name}: {OUT.stat().st_size} bytes")
    print(con.execute(f"DESCRIBE SELECT * FROM '{OUT}'").fetchall())


if __name__ == "__main__":
    main()
