use super::*;
use crate::engine::rfm::SegmentRule;

fn source(mapping: ColumnMapping) -> SqlSource {
    SqlSource {
        table: "orders".into(),
        headers: ["customer_id", "order_id", "order_date", "amount", "profit"]
            .map(String::from)
            .to_vec(),
        mapping,
    }
}

fn full() -> ColumnMapping {
    ColumnMapping {
        customer: Some(0),
        order: Some(1),
        date: Some(2),
        amount: Some(3),
        profit: Some(4),
        quantity: None,
    }
}

#[test]
fn the_mapping_and_parameters_are_checked_first() {
    let params = SqlParams::default();
    type Check = fn(&Error) -> bool;
    let cases: [(ColumnMapping, Check); 3] = [
        (
            ColumnMapping {
                customer: None,
                ..full()
            },
            |e| matches!(e, Error::NoCustomerColumn),
        ),
        (
            ColumnMapping {
                amount: None,
                ..full()
            },
            |e| matches!(e, Error::NoAmountColumn),
        ),
        (
            ColumnMapping {
                quantity: Some(9),
                ..full()
            },
            |e| matches!(e, Error::NoSuchColumn { index: 9, count: 5 }),
        ),
    ];
    for (mapping, expected) in cases {
        let error = write_sql(&source(mapping), &params, Dialect::DuckDb).unwrap_err();
        assert!(expected(&error), "{error:?}");
    }
    let mut bad = SqlParams::default();
    bad.rfm.bins = 7;
    assert!(matches!(
        write_sql(&source(full()), &bad, Dialect::Spark),
        Err(Error::Parameter { .. })
    ));
}

#[test]
fn views_follow_the_mapped_columns() {
    let params = SqlParams::default();
    let all = write_sql(&source(full()), &params, Dialect::DuckDb).unwrap();
    assert_eq!(
        all.views,
        [
            "vl_lines",
            "vl_monthly",
            "vl_customers",
            "vl_deciles",
            "vl_rfm",
            "vl_headline"
        ]
    );
    let undated = ColumnMapping {
        date: None,
        profit: None,
        ..full()
    };
    let pack = write_sql(&source(undated), &params, Dialect::Spark).unwrap();
    assert_eq!(
        pack.views,
        ["vl_lines", "vl_customers", "vl_deciles", "vl_headline"]
    );
    assert!(!pack.text.contains("vl_rank_profit"));
    assert_eq!(pack.file_name(), "valuelens.spark.sql");
}

#[test]
fn names_are_quoted_and_rules_mapped_onto_the_scale() {
    let mut headers = source(full()).headers;
    headers[0] = "cust \"id\"".into();
    let src = SqlSource {
        headers,
        ..source(full())
    };
    let mut params = SqlParams::default();
    params.rfm.bins = 3;
    params.segments = SegmentRules {
        scale: 5,
        rules: vec![
            SegmentRule {
                name_en: "Top's".into(),
                name_zh: String::new(),
                r: (4, 5),
                f: (1, 5),
                m: (1, 5),
                action_en: String::new(),
                action_zh: String::new(),
            },
            SegmentRule {
                name_en: "Never".into(),
                name_zh: String::new(),
                r: (2, 2),
                f: (1, 5),
                m: (1, 5),
                action_en: String::new(),
                action_zh: String::new(),
            },
        ],
    };
    let duck = write_sql(&src, &params, Dialect::DuckDb).unwrap().text;
    assert!(duck.contains("CAST(\"cust \"\"id\"\"\" AS VARCHAR)"));
    // 3 bins onto 5: 1, 3, 5; only score 3 maps into 4–5.
    assert!(duck.contains("WHEN r IN (3) AND f IN (1, 2, 3) AND m IN (1, 2, 3) THEN 'Top''s'"));
    // No score of 3 bins maps onto 2: the rule can never match and is left out.
    assert!(!duck.contains("'Never'"));
    let spark = write_sql(&src, &params, Dialect::Spark).unwrap().text;
    assert!(spark.contains("CAST(`cust \"id\"` AS STRING)"));
    assert!(spark.contains("THEN 'Top\\'s'"));
    assert!(spark.contains(" div "));
}

#[test]
fn every_statement_ends_a_line() {
    for dialect in Dialect::ALL {
        let pack = write_sql(&source(full()), &SqlParams::default(), dialect).unwrap();
        let statements = pack
            .text
            .lines()
            .filter(|l| l.starts_with("CREATE OR REPLACE TEMPORARY VIEW"))
            .count();
        let ends = pack
            .text
            .lines()
            .filter(|l| !l.starts_with("--") && l.ends_with(';'))
            .count();
        assert_eq!(statements, ends, "{dialect:?}");
        let comments = pack.text.lines().filter(|l| l.starts_with("--"));
        assert!(comments.clone().all(|l| !l.trim_end().ends_with(';')));
        assert!(statements >= 10);
    }
}
