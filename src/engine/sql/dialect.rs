//! The few places where DuckDB and Spark SQL spell the same thing differently (方言): quoting,
//! string literals, integer division and the day numbers. Everything else the SQL pack writes
//! is common to both.

use serde::{Deserialize, Serialize};

/// The SQL dialect a pack is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dialect {
    /// DuckDB (checked on 1.4): the CLI, the Python package.
    DuckDb,
    /// Apache Spark SQL (checked on 3.5 with its default `spark.sql.ansi.enabled=false`):
    /// `spark-sql -f`, or `spark.sql(...)` statement by statement.
    Spark,
}

impl Dialect {
    /// Both dialects.
    pub const ALL: [Dialect; 2] = [Dialect::DuckDb, Dialect::Spark];

    /// Machine name, as the command line takes it: `duckdb` or `spark`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Spark => "spark",
        }
    }

    /// The dialect of a machine name ([`Dialect::as_str`], case-insensitive).
    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// A quoted identifier: `"name"` in DuckDB, `` `name` `` in Spark, the quote character
    /// doubled inside.
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::DuckDb => format!("\"{}\"", name.replace('"', "\"\"")),
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
        }
    }

    /// A table name as the user wrote it: each dot-separated part quoted (`db.orders` →
    /// `"db"."orders"`), unless the name already holds a quote, a parenthesis or a space (a
    /// table function such as DuckDB's `read_parquet('orders.parquet')`, or a name the user
    /// quoted), which is taken as it is.
    pub fn table(self, name: &str) -> String {
        let name = name.trim();
        if name.contains(['"', '`', '(', ' ', '\'']) {
            return name.to_string();
        }
        name.split('.')
            .map(|part| self.ident(part))
            .collect::<Vec<_>>()
            .join(".")
    }

    /// A string literal. DuckDB doubles a single quote; Spark reads `''` as two adjacent
    /// literals (`'a''b'` is `ab`) and escapes with a backslash instead.
    pub fn string(self, text: &str) -> String {
        match self {
            Dialect::DuckDb => format!("'{}'", text.replace('\'', "''")),
            Dialect::Spark => {
                let mut out = String::with_capacity(text.len() + 2);
                out.push('\'');
                for c in text.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\'' => out.push_str("\\'"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        c => out.push(c),
                    }
                }
                out.push('\'');
                out
            }
        }
    }

    /// Integer division of two integer expressions (both non-negative here).
    pub fn div(self, a: &str, b: &str) -> String {
        match self {
            Dialect::DuckDb => format!("(({a}) // ({b}))"),
            Dialect::Spark => format!("(({a}) div ({b}))"),
        }
    }

    /// Days from 1970-01-01 to the DATE expression `date`, as an integer.
    pub fn epoch_days(self, date: &str) -> String {
        match self {
            Dialect::DuckDb => format!("CAST(({date}) - DATE '1970-01-01' AS BIGINT)"),
            Dialect::Spark => format!("CAST(datediff({date}, DATE '1970-01-01') AS BIGINT)"),
        }
    }

    /// The DATE `days` days after 1970-01-01.
    pub fn date_of(self, days: &str) -> String {
        match self {
            Dialect::DuckDb => format!("(DATE '1970-01-01' + CAST({days} AS INTEGER))"),
            Dialect::Spark => format!("date_add(DATE '1970-01-01', CAST({days} AS INT))"),
        }
    }

    /// An expression that stops the query with `message` when evaluated (DuckDB `error`,
    /// Spark `raise_error`).
    pub fn raise(self, message: &str) -> String {
        match self {
            Dialect::DuckDb => format!("error({})", self.string(message)),
            Dialect::Spark => format!("raise_error({})", self.string(message)),
        }
    }

    /// The text type.
    pub fn text_type(self) -> &'static str {
        match self {
            Dialect::DuckDb => "VARCHAR",
            Dialect::Spark => "STRING",
        }
    }

    /// How to run a file of this dialect, for the header comment.
    pub(super) fn how_to_run(self) -> &'static [&'static str] {
        match self {
            Dialect::DuckDb => &[
                "DuckDB CLI:     duckdb my.db < valuelens.duckdb.sql   (or .read valuelens.duckdb.sql)",
                "Python:         duckdb.connect('my.db').execute(open('valuelens.duckdb.sql').read())",
                "The source may be a table, a view or a file: FROM read_parquet('orders/*.parquet').",
            ],
            Dialect::Spark => &[
                "spark-sql:      spark-sql -f valuelens.spark.sql",
                "PySpark:        for s in open('valuelens.spark.sql').read().split(';\\n'): s.strip() and spark.sql(s)",
                "                (each statement ends with ';' at the end of a line, no comment does)",
                "Checked on Spark 3.5 in local mode (spark.sql.ansi.enabled=false, its default).",
                "The rankings are global: Spark sorts all customers in one partition and warns",
                "'No Partition Defined for Window operation'; that is expected (one row per customer).",
            ],
        }
    }
}

/// A DOUBLE literal that reads back as exactly `value` (shortest exponent form: `3e-1`), a
/// DOUBLE in both dialects (a plain `0.3` would be a DECIMAL).
pub fn double(value: f64) -> String {
    if value.is_finite() {
        format!("{value:e}")
    } else {
        "CAST(NULL AS DOUBLE)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_names() {
        let cases: [(Dialect, &str, &str, &str); 4] = [
            (Dialect::DuckDb, "Can't", "'Can''t'", "\"Can't\""),
            (Dialect::Spark, "Can't", "'Can\\'t'", "`Can't`"),
            (Dialect::DuckDb, "a\"b`\\", "'a\"b`\\'", "\"a\"\"b`\\\""),
            (Dialect::Spark, "a\"b`\\", "'a\"b`\\\\'", "`a\"b``\\`"),
        ];
        for (dialect, text, string, ident) in cases {
            assert_eq!(dialect.string(text), string, "{dialect:?} {text}");
            assert_eq!(dialect.ident(text), ident, "{dialect:?} {text}");
        }
        assert_eq!(Dialect::DuckDb.table("db.orders"), "\"db\".\"orders\"");
        assert_eq!(Dialect::Spark.table("commandes_é"), "`commandes_é`");
        assert_eq!(
            Dialect::DuckDb.table("read_parquet('o.parquet')"),
            "read_parquet('o.parquet')"
        );
        assert_eq!(Dialect::from_name(" Spark "), Some(Dialect::Spark));
        assert_eq!(Dialect::from_name("postgres"), None);
        assert_eq!(double(0.3), "3e-1");
        assert_eq!(double(1e-9), "1e-9");
        assert_eq!(double(0.1 + 0.2), "3.0000000000000004e-1");
        assert_eq!(double(f64::NAN), "CAST(NULL AS DOUBLE)");
    }
}
