"""Runs ValueLens's SQL pack on DuckDB and on Apache Spark (local mode) for tests/sql_oracle.rs.

Usage: python sql.py JOB.json > RESULT.json

JOB.json: {"cases": [{"name": ..., "csv": path, "columns": [{"name": header, "type":
"text" | "double" | "date"}, ...] (every column of the file, in order), "duckdb": SQL text,
"spark": SQL text, "views": ["vl_customers", ...]}]}

Each case's CSV (UTF-8, comma, a header row) becomes the table `orders`, its columns named by
the header and typed as the job says; a cell that does not read as its type is NULL (DuckDB
TRY_CAST, Spark's lenient CAST), as a warehouse table would hold it. Then the SQL file runs as a
user would run it: the whole text in one `execute` on DuckDB, statement by statement (the file
cut at each ';' that ends a line, comments kept) with `spark.sql` on Spark. Every view of the case is read
back in full.

RESULT.json: {"duckdb": {case: {view: [row, ...] or {"error": message}}}, "spark": {...}, "seconds": {...}}; a row is
an object, dates as "YYYY-MM-DD", decimals as floats; of `vl_lines` only the count is read back
([{"lines": n}]). One Spark session serves every case. VALUELENS_SQL_ENGINES=duckdb (a comma
list) runs only those engines, for a quick look while developing; the test then fails.
"""

import datetime
import decimal
import json
import os
import sys
import time


def plain(value):
    if isinstance(value, (datetime.datetime,)):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def read_back(view):
    """The query that reads a view back: all of it, or the count of the accepted lines."""
    if view == "vl_lines":
        return "SELECT COUNT(*) AS lines FROM vl_lines"
    return "SELECT * FROM %s" % view


def statements(text):
    """The statements of a pack, as its how-to says to cut it: at each ';' that ends a line
    (comments stay with the statement they precede)."""
    for chunk in text.split(";\n"):
        if chunk.strip():
            yield chunk


def run_duckdb(cases):
    import duckdb

    results = {}
    for case in cases:
        con = duckdb.connect()
        names = [c["name"] for c in case["columns"]]
        columns = "{" + ", ".join(
            "'c%d': 'VARCHAR'" % i for i in range(len(names))
        ) + "}"
        raw = (
            "SELECT * FROM read_csv(?, header = true, delim = ',', quote = '\"', "
            "escape = '\"', all_varchar = true, columns = %s)" % columns
        )
        casts = []
        for i, column in enumerate(case["columns"]):
            ident = '"' + column["name"].replace('"', '""') + '"'
            kind = column["type"]
            if kind == "double":
                casts.append("TRY_CAST(TRIM(c%d) AS DOUBLE) AS %s" % (i, ident))
            elif kind == "date":
                casts.append("TRY_CAST(TRIM(c%d) AS DATE) AS %s" % (i, ident))
            else:
                casts.append("c%d AS %s" % (i, ident))
        con.execute(
            "CREATE TABLE orders AS SELECT %s FROM (%s)" % (", ".join(casts), raw),
            [case["csv"]],
        )
        con.execute(case["duckdb"])
        views = {}
        for view in case["views"]:
            try:
                cursor = con.execute(read_back(view))
                header = [d[0] for d in cursor.description]
                views[view] = [
                    {k: plain(v) for k, v in zip(header, row)}
                    for row in cursor.fetchall()
                ]
            except duckdb.Error as error:
                views[view] = {"error": str(error)}
        results[case["name"]] = views
        con.close()
    return results


def run_spark(cases):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("valuelens-sql-oracle")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    results = {}
    try:
        for case in cases:
            columns = case["columns"]
            schema = StructType(
                [StructField("c%d" % i, StringType()) for i in range(len(columns))]
            )
            raw = spark.read.csv(
                case["csv"],
                schema=schema,
                header=True,
                sep=",",
                quote='"',
                escape='"',
                multiLine=True,
                encoding="UTF-8",
            )
            casts = []
            for i, column in enumerate(columns):
                cell = F.col("c%d" % i)
                if column["type"] == "double":
                    cell = F.trim(cell).cast("double")
                elif column["type"] == "date":
                    cell = F.trim(cell).cast("date")
                casts.append(cell.alias(column["name"]))
            raw.select(*casts).createOrReplaceTempView("orders")
            for statement in statements(case["spark"]):
                spark.sql(statement)
            views = {}
            for view in case["views"]:
                try:
                    views[view] = [
                        {k: plain(v) for k, v in row.asDict().items()}
                        for row in spark.sql(read_back(view)).collect()
                    ]
                except Exception as error:  # a query stopped by raise_error
                    views[view] = {"error": str(error)}
            results[case["name"]] = views
    finally:
        spark.stop()
    return results


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    cases = job["cases"]
    engines = os.environ.get("VALUELENS_SQL_ENGINES", "duckdb,spark").split(",")
    result = {"seconds": {}}
    for name, run in [("duckdb", run_duckdb), ("spark", run_spark)]:
        if name in engines:
            started = time.monotonic()
            result[name] = run(cases)
            result["seconds"][name] = time.monotonic() - started
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
