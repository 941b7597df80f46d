//! "Run this on DuckDB / Spark" (在 DuckDB / Spark 上运行): the short how-to beside the SQL pack
//! (`engine::sql`), in the user's language. The SQL itself comes from the engine; this module
//! only words the steps around it.

use crate::a11y::fill;
use crate::engine::sql::{Dialect, SqlPack};
use crate::i18n::{Lang, Text};

/// The how-to of one SQL file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlHowTo {
    /// The heading.
    pub title: String,
    /// What the file is for, one paragraph.
    pub intro: String,
    /// The steps, in order.
    pub steps: Vec<String>,
    /// A note on what the file leaves out (no date column), if any.
    pub note: Option<String>,
    /// The label of the download button.
    pub download: String,
    /// The file name to save the SQL as.
    pub file_name: String,
}

/// The engine's name as users know it.
fn engine_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::DuckDb => "DuckDB",
        Dialect::Spark => "Apache Spark",
    }
}

/// The how-to for `pack` in `lang`: where to name the source, how to run the file on its engine,
/// which views it leaves, and that the parameters are written in.
pub fn sql_how_to(pack: &SqlPack, lang: Lang) -> SqlHowTo {
    let file_name = pack.file_name();
    // Commands and names stay as they are typed, in both languages.
    let (run, python) = match pack.dialect {
        Dialect::DuckDb => (
            format!("duckdb my.db < {file_name}"),
            format!("duckdb.connect('my.db').execute(open('{file_name}').read())"),
        ),
        Dialect::Spark => (
            format!("spark-sql -f {file_name}"),
            format!(
                "for s in open('{file_name}').read().split(';\\n'): s.strip() and spark.sql(s)"
            ),
        ),
    };
    let views = pack.views.join(", ");
    let example = "SELECT * FROM vl_customers ORDER BY sales_rank".to_string();
    let steps = vec![
        fill(
            Text::SqlStepSource.get(lang),
            &["THE SOURCE".to_string(), "DATE".to_string()],
        ),
        fill(Text::SqlStepRun.get(lang), &[run, python]),
        fill(Text::SqlStepViews.get(lang), &[views, example]),
        Text::SqlStepParams.get(lang).to_string(),
    ];
    let dated = pack.views.contains(&"vl_rfm");
    let no_dates = || {
        fill(
            Text::SqlNoDates.get(lang),
            &["vl_monthly".to_string(), "vl_rfm".to_string()],
        )
    };
    SqlHowTo {
        title: Text::SqlTitle.get(lang).to_string(),
        intro: fill(
            Text::SqlIntro.get(lang),
            &[engine_name(pack.dialect).to_string()],
        ),
        steps,
        note: (!dated).then(no_dates),
        download: fill(
            Text::SqlDownload.get(lang),
            std::slice::from_ref(&file_name),
        ),
        file_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::columns::ColumnMapping;
    use crate::engine::sql::{write_sql, SqlParams, SqlSource};

    fn pack(date: Option<usize>, dialect: Dialect) -> SqlPack {
        let source = SqlSource {
            table: "orders".into(),
            headers: vec!["customer".into(), "date".into(), "amount".into()],
            mapping: ColumnMapping {
                customer: Some(0),
                date,
                amount: Some(2),
                ..Default::default()
            },
        };
        write_sql(&source, &SqlParams::default(), dialect).unwrap()
    }

    #[test]
    fn the_steps_name_the_file_its_engine_and_its_views() {
        let duck = sql_how_to(&pack(Some(1), Dialect::DuckDb), Lang::En);
        assert_eq!(duck.title, "Run this on DuckDB / Spark");
        assert!(duck.intro.contains("DuckDB you already run"));
        assert_eq!(duck.steps.len(), 4);
        assert!(duck.steps[0].contains("marked THE SOURCE at the top"));
        assert!(duck.steps[1].starts_with("Run it: duckdb my.db < valuelens.duckdb.sql"));
        assert!(duck.steps[2]
            .contains("vl_lines, vl_monthly, vl_customers, vl_deciles, vl_rfm, vl_headline"));
        assert_eq!(duck.note, None);
        assert_eq!(duck.download, "Download valuelens.duckdb.sql");

        let spark = sql_how_to(&pack(None, Dialect::Spark), Lang::Zh);
        assert_eq!(spark.title, "在 DuckDB / Spark 上运行");
        assert!(spark.intro.contains("Apache Spark"));
        assert!(spark.steps[1].contains("spark-sql -f valuelens.spark.sql"));
        assert!(!spark.steps[2].contains("vl_rfm"));
        assert_eq!(
            spark.note.as_deref(),
            Some("没有映射日期列，因此文件不含每月销售额（vl_monthly）和 RFM（vl_rfm）。")
        );
        assert_eq!(spark.file_name, "valuelens.spark.sql");
    }
}
