//! Per-customer summaries (issue 17): recognised at inspect, read with every cell checked by line
//! and column, and — the honest check — the SQL pack's `vl_customers`, computed and written by
//! DuckDB from the sample's order lines (`tests/fixtures/summary/generate.py`), gives the deciles,
//! the RFM scores and segments and the headline figures of the engine's own import of those order
//! lines.

use std::path::PathBuf;

use valuelens::engine::deciles::{analyse_deciles, GroupConfig, GroupStatus};
use valuelens::engine::error::RowProblem;
use valuelens::engine::ingest::{
    import_bytes, import_with, inspect, ImportOutcome, InspectOptions, SummaryMapping,
};
use valuelens::engine::rfm::{analyse_rfm, default_rules, RfmConfig};
use valuelens::engine::summary::summarize;
use valuelens::engine::Error;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/summary")
        .join(name);
    std::fs::read(path).unwrap()
}

fn import(bytes: &[u8]) -> ImportOutcome {
    import_bytes(bytes, &InspectOptions::default()).unwrap()
}

/// Equal up to the last bits (DuckDB adds in another order than the import).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn the_sql_packs_customers_are_recognised_as_a_summary() {
    let preview = inspect(&fixture("customers.csv"), true, &InspectOptions::default()).unwrap();
    // customer_id,order_lines,orders,return_lines,sales,profit,quantity,first_purchase,last_purchase,…
    assert_eq!(
        preview.summary.as_deref(),
        Some(&SummaryMapping {
            customer: Some(0),
            order_lines: Some(1),
            orders: Some(2),
            returns: Some(3),
            sales: Some(4),
            profit: Some(5),
            quantity: Some(6),
            first: Some(7),
            last: Some(8),
        })
    );
    assert_eq!(preview.concerns(), vec![]);
    // Order lines are not a summary, nor is a summary-like file whose ids repeat.
    let orders = inspect(&fixture("orders.csv"), true, &InspectOptions::default()).unwrap();
    assert_eq!(orders.summary, None);
    let repeated = "customer,orders,sales\nc1,2,10\nc1,1,5\n";
    let preview = inspect(repeated.as_bytes(), true, &InspectOptions::default()).unwrap();
    assert_eq!(preview.summary, None);
}

#[test]
fn chinese_and_english_summary_headers_are_recognised() {
    let cases: &[(&str, [Option<usize>; 5])] = &[
        // customer, orders, sales, first, last
        (
            "客户编号,订单数,销售额,利润,首次购买,最近购买",
            [Some(0), Some(1), Some(2), Some(4), Some(5)],
        ),
        (
            "会员ID,购买次数,消费金额,末次购买",
            [Some(0), Some(1), Some(2), None, Some(3)],
        ),
        (
            "Customer ID,Order Count,Monetary,First Day,Last Day",
            [Some(0), Some(1), Some(2), Some(3), Some(4)],
        ),
        (
            "cust,frequency,sales,first_purchase,last_purchase",
            [Some(0), Some(1), Some(2), Some(3), Some(4)],
        ),
    ];
    for (header, [customer, orders, sales, first, last]) in cases {
        let csv =
            format!("{header}\nc1,3,10.5,2024-01-02,2024-03-04\nc2,1,7,2024-02-01,2024-02-01\n");
        let preview = inspect(csv.as_bytes(), true, &InspectOptions::default()).unwrap();
        let summary = preview
            .summary
            .unwrap_or_else(|| panic!("{header}: no summary"));
        assert_eq!(
            [
                summary.customer,
                summary.orders,
                summary.sales,
                summary.first,
                summary.last
            ],
            [*customer, *orders, *sales, *first, *last],
            "{header}"
        );
    }
}

#[test]
fn every_bad_summary_row_is_rejected_with_line_column_and_reason() {
    let csv =
        "customer,orders,sales,profit,first_purchase,last_purchase,order_lines,return_lines\n\
               c1,3,100.5,20,2024-01-05,2024-03-01,4,1\n\
               c2,-1,10,1,2024-01-05,2024-01-05,1,0\n\
               c3,2.5,10,1,2024-01-05,2024-01-05,3,0\n\
               c4,1,N/A,1,2024-01-05,2024-01-05,1,0\n\
               c5,1,10,x,2024-01-05,2024-01-05,1,0\n\
               c6,1,10,1,2024-02-30,2024-03-01,1,0\n\
               c7,1,10,1,2024-03-05,2024-03-01,1,0\n\
               c1,1,10,1,2024-01-05,2024-01-05,1,0\n\
               c8,0,10,1,2024-01-05,2024-01-05,1,0\n\
               c9,1,10,1,2024-01-05,2024-01-05,1,-2\n\
               ,1,10,1,2024-01-05,2024-01-05,1,0\n\
               c10,1,10,1,2024-01-05,,1,0\n\
               c11,2,5,1,2024-01-05,2024-02-05,0,0\n\
               c12,1,10,1,2024-01-05,2024-01-05\n";
    // A repeated id in the head: not proposed as a summary; the user chooses it.
    let mut preview = inspect(csv.as_bytes(), true, &InspectOptions::default()).unwrap();
    assert_eq!(preview.summary, None);
    preview.set_summary(true);
    assert_eq!(preview.concerns(), vec![]);
    let outcome = import_with(csv.as_bytes(), preview.settings()).unwrap();
    assert!(outcome.report.settings.summary.is_some());
    let rejected: Vec<(u64, &str, &str, RowProblem)> = outcome
        .report
        .first_errors
        .iter()
        .map(|e| (e.line, e.column.as_str(), e.value.as_str(), e.problem))
        .collect();
    use RowProblem::*;
    assert_eq!(
        rejected,
        vec![
            (3, "orders", "-1", NotACount { min: 1 }),
            (4, "orders", "2.5", NotACount { min: 1 }),
            (5, "sales", "N/A", NotANumber),
            (6, "profit", "x", NotANumber),
            (7, "first_purchase", "2024-02-30", NotADate),
            (8, "first_purchase", "2024-03-05", FirstAfterLast),
            (9, "customer", "c1", DuplicateCustomer),
            (10, "orders", "0", NotACount { min: 1 }),
            (11, "return_lines", "-2", NotACount { min: 0 }),
            (12, "customer", "", Missing),
            (13, "last_purchase", "", Missing),
            (14, "order_lines", "0", NotACount { min: 1 }),
            (15, "order_lines", "", TooFewColumns),
        ]
    );
    // The words of each reason.
    assert_eq!(
        outcome.report.first_errors[0].to_string(),
        "line 3, column 'orders': expected a whole number of at least 1, found '-1'"
    );
    assert_eq!(
        outcome.report.first_errors[5].to_string(),
        "line 8, column 'first_purchase': the first purchase is after the last purchase, found '2024-03-05'"
    );
    // The one good row is the one customer, its aggregates as given.
    let table = &outcome.table;
    assert_eq!(table.customers.len(), 1);
    let c = &table.customers[0];
    assert_eq!(
        (
            c.id.as_str(),
            c.rows,
            c.orders,
            c.returns,
            c.sales,
            c.profit
        ),
        ("c1", 4, 3, 1, 100.5, 20.0)
    );
    assert_eq!(outcome.report.return_rows, 1);
    assert!(c.months.is_empty());
    // No purchase days: the lifecycle and CLV are not computed from a summary.
    assert!(outcome.purchase_history().is_none());
    assert_eq!(
        (outcome.report.rows_read, outcome.report.rows_rejected),
        (14, 13)
    );
}

#[test]
fn a_summary_without_orders_or_with_only_one_date_column() {
    // The orders role removed: the import is refused with its own reason.
    let csv = "customer,orders,sales,last_purchase\nb,2,5,2024-05-01\na,1,7,2024-04-01\n";
    let preview = inspect(csv.as_bytes(), true, &InspectOptions::default()).unwrap();
    let mut settings = preview.settings();
    if let Some(summary) = settings.summary.as_mut() {
        summary.orders = None;
    }
    assert_eq!(
        import_with(csv.as_bytes(), settings).err(),
        Some(Error::NoOrdersColumn)
    );
    // With the last purchase only, it is the first as well; customers are sorted by id; order
    // lines default to the orders.
    let outcome = import(csv.as_bytes());
    let ids: Vec<_> = outcome
        .table
        .customers
        .iter()
        .map(|c| (c.id.as_str(), c.rows, c.first == c.last, c.last.is_some()))
        .collect();
    assert_eq!(ids, vec![("a", 1, true, true), ("b", 2, true, true)]);
    assert!(outcome.table.columns.date && outcome.table.columns.order);
    assert!(!outcome.table.columns.profit);
    // The user may read the same file as order lines instead.
    let mut preview = preview;
    preview.set_summary(false);
    let lines = import_with(csv.as_bytes(), preview.settings()).unwrap();
    assert!(lines.report.settings.summary.is_none());
    assert!(lines.purchase_history().is_some());
}

/// The honest check: DuckDB's `vl_customers` of the sample's order lines, read as a summary, and
/// the engine's import of the order lines themselves give the same customers, headline figures,
/// deciles, RFM scores and segments.
#[test]
fn the_duckdb_summary_gives_the_figures_of_the_order_lines() {
    let lines = import(&fixture("orders.csv"));
    let summary = import(&fixture("customers.csv"));
    assert!(summary.report.settings.summary.is_some());
    assert_eq!(summary.report.rows_rejected, 0);
    let (a, b) = (&lines.table, &summary.table);
    assert_eq!(a.customers.len(), 600);
    assert_eq!(a.customers.len(), b.customers.len());
    for (x, y) in a.customers.iter().zip(&b.customers) {
        assert_eq!(
            (&x.id, x.rows, x.orders, x.returns, x.first, x.last),
            (&y.id, y.rows, y.orders, y.returns, y.first, y.last)
        );
        assert!(close(x.sales, y.sales), "{}: {} {}", x.id, x.sales, y.sales);
        assert!(close(x.profit, y.profit), "{}", x.id);
        assert_eq!(x.quantity, y.quantity, "{}", x.id);
    }
    assert_eq!(
        (a.columns.date, a.columns.profit, a.columns.quantity),
        (b.columns.date, b.columns.profit, b.columns.quantity)
    );

    // Headline figures: all but the rows read (lines in one file, customers in the other).
    let (h, s) = (summarize(a, &lines.report), summarize(b, &summary.report));
    assert_eq!(
        (h.customers, h.orders, h.repeat_customers, h.return_rows),
        (s.customers, s.orders, s.repeat_customers, s.return_rows)
    );
    assert_eq!((h.first_day, h.last_day), (s.first_day, s.last_day));
    assert!(close(h.total_sales, s.total_sales));
    assert!(close(h.total_profit.unwrap(), s.total_profit.unwrap()));
    assert_eq!(s.rows_read, 600);

    // Deciles: the same customers in each decile, the same sums; retain, grow and transaction
    // the same; declining is not computed from a summary (it compares months).
    let config = GroupConfig::default();
    let (x, y) = (
        analyse_deciles(a, &config).unwrap(),
        analyse_deciles(b, &config).unwrap(),
    );
    for (p, q) in x.by_sales.iter().zip(&y.by_sales) {
        assert_eq!((p.customers, p.orders), (q.customers, q.orders));
        assert!(close(p.sales, q.sales) && close(p.profit, q.profit));
    }
    for (p, q) in x
        .by_profit
        .as_ref()
        .unwrap()
        .iter()
        .zip(y.by_profit.as_ref().unwrap())
    {
        assert_eq!(p.customers, q.customers);
        assert!(close(p.sales, q.sales) && close(p.profit, q.profit));
    }
    for (p, q) in x.value_by_sales.iter().zip(&y.value_by_sales) {
        assert_eq!(p.customers, q.customers);
    }
    assert!(close(
        x.lorenz_sales.gini.unwrap(),
        y.lorenz_sales.gini.unwrap()
    ));
    assert_eq!(x.groups.retain, y.groups.retain);
    assert_eq!(x.groups.grow, y.groups.grow);
    assert_eq!(x.groups.transaction, y.groups.transaction);
    assert_eq!(x.groups.status.declining, GroupStatus::Computed);
    assert_eq!(y.groups.status.declining, GroupStatus::NoMonthlySales);

    // RFM: every customer's R, F, M scores, tier and segment.
    let (config, rules) = (RfmConfig::default(), default_rules());
    let (x, y) = (
        analyse_rfm(a, &config, &rules).unwrap(),
        analyse_rfm(b, &config, &rules).unwrap(),
    );
    assert_eq!(x.scores.analysis_day, y.scores.analysis_day);
    assert_eq!(x.scores.customers.len(), y.scores.customers.len());
    for (p, q) in x.scores.customers.iter().zip(&y.scores.customers) {
        assert_eq!(
            (p.index, p.recency_days, p.frequency, p.r, p.f, p.m, p.tier),
            (q.index, q.recency_days, q.frequency, q.r, q.f, q.m, q.tier)
        );
    }
    assert_eq!(x.segmentation.assignments, y.segmentation.assignments);
}

/// The SQL pack's `vl_customers` as Spark's CSV writer writes it: no quotes, booleans and empty
/// cells as they are, dates ISO; the same summary with the columns in another order.
#[test]
fn a_spark_style_export_with_columns_in_another_order() {
    let csv = "last_purchase,customer_id,sales,orders,first_purchase,profit,sales_decile\n\
               2024-06-30,C2,120.5,3,2024-01-02,30.25,1\n\
               2024-02-01,C1,80,1,2024-02-01,,2\n";
    let preview = inspect(csv.as_bytes(), true, &InspectOptions::default()).unwrap();
    let summary = *preview.summary.clone().unwrap();
    assert_eq!(
        (
            summary.customer,
            summary.orders,
            summary.sales,
            summary.first,
            summary.last
        ),
        (Some(1), Some(3), Some(2), Some(4), Some(0))
    );
    let outcome = import(csv.as_bytes());
    // An empty profit is a missing cell, as for order lines.
    assert_eq!(outcome.table.customers.len(), 1);
    assert_eq!(outcome.report.first_errors[0].problem, RowProblem::Missing);
    assert_eq!(outcome.report.first_errors[0].line, 3);
}

/// Issue 17, the monthly read-back: the SQL pack's `vl_monthly`, written by DuckDB as CSV and as
/// Parquet (`tests/fixtures/summary/generate.py`), added to its `vl_customers`, gives the sales
/// per month and the declining group of the engine's own import of the order lines.
#[test]
fn the_packs_monthly_table_gives_a_summary_the_monthly_series_and_the_declining_group() {
    use valuelens::engine::ingest::encoding::LanguageHint;
    use valuelens::engine::monthly::monthly_sales;
    use valuelens::engine::monthly::readback::read_monthly;

    let lines = import(&fixture("orders.csv"));
    let summary = import(&fixture("customers.csv"));
    let config = GroupConfig::default();
    let expected = analyse_deciles(&lines.table, &config).unwrap();
    let expected_series = monthly_sales(&lines.table);
    assert!(!expected.groups.declining.is_empty());
    for name in ["monthly.csv", "monthly.parquet"] {
        let read = read_monthly(&fixture(name), name, &summary.table, LanguageHint::Other).unwrap();
        assert!(read.accepted(), "{name}: {:?}", read.mismatches);
        assert_eq!(read.rows, 3_307, "{name}");
        let table = read.apply(&summary.table).unwrap();
        let series = monthly_sales(&table);
        assert_eq!(series.len(), expected_series.len(), "{name}");
        for (p, q) in expected_series.iter().zip(&series) {
            assert_eq!(p.month, q.month, "{name}");
            assert!(close(p.sales, q.sales), "{name}: {p:?} {q:?}");
        }
        let got = analyse_deciles(&table, &config).unwrap();
        assert_eq!(got.groups.status.declining, GroupStatus::Computed, "{name}");
        assert_eq!(got.groups.declining, expected.groups.declining, "{name}");
        assert_eq!(got.groups.config, expected.groups.config, "{name}");
    }
}

/// A monthly table that is not the summary's (one customer's month left out) is reported with
/// that customer, and its months are not used.
#[test]
fn a_monthly_table_that_does_not_add_up_is_reported_not_used() {
    use valuelens::engine::ingest::encoding::LanguageHint;
    use valuelens::engine::monthly::readback::read_monthly;

    let summary = import(&fixture("customers.csv"));
    let text = String::from_utf8(fixture("monthly.csv")).unwrap();
    // Drop the third line (the second month of the first customer).
    let cut: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|&(i, _)| i != 2)
        .map(|(_, l)| l)
        .collect();
    let first = cut[1].split(',').next().unwrap().to_string();
    let read = read_monthly(
        cut.join("\n").as_bytes(),
        "cut.csv",
        &summary.table,
        LanguageHint::Other,
    )
    .unwrap();
    assert_eq!(read.rows_rejected, 0);
    assert_eq!(read.mismatches.len(), 1);
    assert_eq!(read.mismatches[0].customer, first);
    assert!(!read.accepted());
    assert_eq!(read.apply(&summary.table), None);
}

/// The page's path of the monthly read-back (issue 13, the app's size): a text file read on the
/// page (`read_monthly_text`), a Parquet file read to rows in the analysis worker
/// (`read_table_rows`, sent back in a `TableRows` frame) and checked on the page
/// (`check_monthly`), give what `read_monthly` gives; a text file is no table file.
#[test]
fn the_pages_split_monthly_read_back_gives_what_read_monthly_gives() {
    use valuelens::engine::ingest::encoding::LanguageHint;
    use valuelens::engine::monthly::readback::{
        check_monthly, read_monthly, read_monthly_text, read_table_rows,
    };
    use valuelens::protocol::analysis::{decode_table_rows, encode_table_rows};

    let summary = import(&fixture("customers.csv"));
    let whole = |name: &str| {
        read_monthly(&fixture(name), name, &summary.table, LanguageHint::Other).unwrap()
    };
    let text = read_monthly_text(
        &fixture("monthly.csv"),
        "monthly.csv",
        &summary.table,
        LanguageHint::Other,
    )
    .unwrap();
    assert_eq!(text, whole("monthly.csv"));
    let (names, rows) = read_table_rows(&fixture("monthly.parquet")).unwrap();
    let frame = encode_table_rows(&names, &rows, 3);
    let (names, rows) = decode_table_rows(&frame).unwrap();
    let parquet = check_monthly(&names, rows, "monthly.parquet", &summary.table).unwrap();
    assert_eq!(parquet, whole("monthly.parquet"));
    assert!(parquet.accepted());
    assert!(read_table_rows(&fixture("monthly.csv")).is_err());
    assert!(decode_table_rows(&frame[..frame.len() / 2]).is_err());
}
