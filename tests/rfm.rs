//! The RFM analysis (RFM 分析) of a real-shaped order export, checked against an independent
//! computation, plus the whitespace-aligned CDNOW sample checked by hand and the CSV export's
//! round trip through the import.
//!
//! `tests/fixtures/rfm/orders.csv` holds 142 order lines of 43 customers over 2023–2024 (Chinese
//! headers 订单号/客户编号/下单日期/实付金额): orders of several lines (F counts distinct order
//! ids), a purchase fully returned under the same order id (net 0), a refund under its own id
//! that leaves the customer negative (−30, 2 orders), two customers tied on the latest day, two
//! tied at 262.55 where one of them adds up to it as 100.10 + 162.45, a hostile id
//! `=cmd|' /C calc'!A0` and a two-line id. Nineteen customers bought once, so F has ties that
//! empty F scores 2 and 4 (a bin warning); R and M come out as even quintiles.
//!
//! Every expected figure in the `oracle` module was printed by `tests/fixtures/rfm/oracle.py`
//! (Python standard library, exact fractions and integer score arithmetic, written from
//! METHODS.md §2 and the rules documented in `src/engine/rfm.rs`, not from its code) and pasted
//! here; none comes from running the engine. The CDNOW figures were worked out by hand (shown
//! next to the test).

use valuelens::engine::calendar::Day;
use valuelens::engine::customers::CustomerTable;
use valuelens::engine::error::Error;
use valuelens::engine::ingest::columns::ColumnMapping;
use valuelens::engine::ingest::{import_bytes, import_with, inspect, InspectOptions};
use valuelens::engine::rfm::{
    analyse_rfm, default_rules, rule_coverage, scored_customers_csv, Axis, FrequencyBasis,
    Monetary, RfmAnalysis, RfmConfig, RfmCsvLabels, SegmentRules, ValueTier as Tier,
};

use oracle::*;

/// Per customer: id, R days, F, M, R, F and M scores, segment, value tier.
type Row = (&'static str, i32, u32, f64, u8, u8, u8, &'static str, Tier);
/// Per axis: customers per score, tie-free sizes, (min, max) per score, cuts, warned.
type Axis5 = (
    [usize; 5],
    [usize; 5],
    [(Option<f64>, Option<f64>); 5],
    [Option<f64>; 4],
    bool,
);
/// Per segment: name, customers, revenue, revenue share, mean R days, mean F, mean M.
type Segment = (
    &'static str,
    usize,
    f64,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

/// Printed by `python3 tests/fixtures/rfm/oracle.py` and pasted verbatim.
#[rustfmt::skip]
mod oracle {
    use super::{Axis5, Row, Segment, Tier};

    // 43 customers, analysis day 2024-12-31.
    pub const ANALYSIS_DAY: &str = "2024-12-31";
    /// Per customer (by id): id, R days, F, M, R, F, M scores, segment, tier.
    pub const CUSTOMERS: [Row; 43] = [
        ("=cmd|' /C calc'!A0", 30, 2, 1000.0, 5, 3, 4, "Potential Loyalist", Tier::High),
        ("C01", 92, 2, 890.25, 4, 3, 4, "Potential Loyalist", Tier::Medium),
        ("C02", 322, 1, 250.0, 2, 1, 2, "Hibernating", Tier::Low),
        ("C03", 728, 1, 1200.0, 1, 1, 4, "Lost", Tier::Low),
        ("C04", 592, 2, 138.8, 1, 3, 1, "At Risk", Tier::Low),
        ("C05", 167, 2, 456.9, 3, 3, 2, "Need Attention", Tier::Medium),
        ("C06", 60, 1, 427.5, 4, 1, 2, "Promising", Tier::Medium),
        ("C07", 131, 1, 450.0, 4, 1, 2, "Promising", Tier::Medium),
        ("C08", 153, 1, 3600.0, 3, 1, 5, "About to Sleep", Tier::Medium),
        ("C09", 79, 2, 689.25, 4, 3, 3, "Potential Loyalist", Tier::Medium),
        ("C10", 414, 1, 689.25, 2, 1, 3, "Hibernating", Tier::Low),
        ("C11", 321, 2, 660.15, 2, 3, 3, "At Risk", Tier::Medium),
        ("C12", 113, 8, 3126.05, 4, 5, 5, "Loyal Customers", Tier::High),
        ("C13", 251, 1, 99.0, 2, 1, 1, "Hibernating", Tier::Low),
        ("C14", 297, 2, 660.15, 2, 3, 3, "At Risk", Tier::Medium),
        ("C15", 389, 2, 516.5, 2, 3, 3, "At Risk", Tier::Medium),
        ("C16", 528, 1, 890.25, 1, 1, 4, "Lost", Tier::Low),
        ("C17", 28, 9, 3154.75, 5, 5, 5, "Champions", Tier::High),
        ("C18", 17, 1, 1268.9, 5, 1, 4, "New Customers", Tier::Medium),
        ("C19", 20, 3, 1769.9, 5, 5, 5, "Champions", Tier::High),
        ("C20", 201, 3, 5026.65, 3, 5, 5, "Loyal Customers", Tier::High),
        ("C21", 60, 2, 1687.0, 4, 3, 4, "Potential Loyalist", Tier::Medium),
        ("C22", 509, 1, 1968.75, 1, 1, 5, "Lost", Tier::Medium),
        ("C23", 198, 2, 198.0, 3, 3, 2, "Need Attention", Tier::Medium),
        ("C24", 188, 2, 1598.4, 3, 3, 4, "Need Attention", Tier::Medium),
        ("C25", 194, 2, 498.0, 3, 3, 2, "Need Attention", Tier::Medium),
        ("C26", 13, 2, 686.0, 5, 3, 3, "Potential Loyalist", Tier::Medium),
        ("C27", 315, 4, 1717.3, 2, 5, 5, "Can't Lose Them", Tier::High),
        ("C28", 69, 4, 549.0, 4, 5, 3, "Loyal Customers", Tier::High),
        ("C29", 634, 1, 118.9, 1, 1, 1, "Lost", Tier::Low),
        ("C30", 26, 3, 2116.75, 5, 5, 5, "Champions", Tier::High),
        ("C31", 444, 1, 68.9, 1, 1, 1, "Lost", Tier::Low),
        ("C32", 10, 2, 636.4, 5, 3, 3, "Potential Loyalist", Tier::Medium),
        ("C33", 49, 1, 990.25, 4, 1, 4, "Promising", Tier::Medium),
        ("C34", 145, 2, 868.75, 3, 3, 3, "Need Attention", Tier::Medium),
        ("C35", 1, 1, 100.0, 5, 1, 1, "New Customers", Tier::Medium),
        ("C36", 1, 1, 100.0, 5, 1, 1, "New Customers", Tier::Medium),
        ("C37", 286, 1, 0.0, 2, 1, 1, "Hibernating", Tier::Low),
        ("C38", 549, 2, -30.0, 1, 3, 1, "At Risk", Tier::Low),
        ("C39", 240, 1, 262.55, 3, 1, 2, "About to Sleep", Tier::Low),
        ("C40", 240, 1, 262.55, 3, 1, 2, "About to Sleep", Tier::Low),
        ("C41", 545, 7, 2940.0, 1, 5, 5, "Can't Lose Them", Tier::Medium),
        ("Multi\nLine 客户", 698, 1, 19.9, 1, 1, 1, "Lost", Tier::Low),
    ];
    /// Per axis: sizes, tie-free sizes, (min, max) per score, cuts, warned.
    pub const AXIS_R: Axis5 = ([9, 8, 9, 8, 9], [9, 8, 9, 8, 9], [(Some(444.0), Some(728.0)), (Some(251.0), Some(414.0)), (Some(145.0), Some(240.0)), (Some(49.0), Some(131.0)), (Some(1.0), Some(30.0))], [Some(414.0), Some(240.0), Some(131.0), Some(30.0)], false);
    pub const AXIS_F: Axis5 = ([19, 0, 16, 0, 8], [9, 8, 9, 8, 9], [(Some(1.0), Some(1.0)), (None, None), (Some(2.0), Some(2.0)), (None, None), (Some(3.0), Some(9.0))], [Some(2.0), Some(2.0), Some(3.0), Some(3.0)], true);
    pub const AXIS_M: Axis5 = ([9, 8, 9, 8, 9], [9, 8, 9, 8, 9], [(Some(-30.0), Some(138.8)), (Some(198.0), Some(498.0)), (Some(516.5), Some(868.75)), (Some(890.25), Some(1687.0)), (Some(1717.3), Some(5026.65))], [Some(198.0), Some(516.5), Some(890.25), Some(1717.3)], false);
    /// Distinct values of R, F, M.
    pub const DISTINCT: [usize; 3] = [40, 7, 38];
    /// Per segment (table order, then Other): name, customers, revenue, revenue share,
    /// mean R days, mean F, mean M.
    pub const SEGMENTS: [Segment; 12] = [
        ("Champions", 3, 7041.4, Some(0.1588704391646069), Some(24.666666666666668), Some(5.0), Some(2347.133333333333)),
        ("Loyal Customers", 3, 8701.7, Some(0.19633068714725196), Some(127.66666666666667), Some(5.0), Some(2900.5666666666666)),
        ("Potential Loyalist", 6, 5588.9, Some(0.1260986447932331), Some(47.333333333333336), Some(2.0), Some(931.4833333333333)),
        ("New Customers", 3, 1468.9, Some(0.03314181669680619), Some(6.333333333333333), Some(1.0), Some(489.6333333333333)),
        ("Promising", 3, 1867.75, Some(0.04214080477599548), Some(80.0), Some(1.0), Some(622.5833333333334)),
        ("Need Attention", 5, 3620.05, Some(0.0816767877549685), Some(178.4), Some(2.0), Some(724.01)),
        ("About to Sleep", 3, 4125.1, Some(0.09307189601470162), Some(211.0), Some(1.0), Some(1375.0333333333333)),
        ("At Risk", 5, 1945.6, Some(0.043897282704953446), Some(429.6), Some(2.0), Some(389.12)),
        ("Can't Lose Them", 2, 4657.3, Some(0.10507957172172065), Some(430.0), Some(5.5), Some(2328.65)),
        ("Hibernating", 4, 1038.25, Some(0.02342534630366875), Some(318.25), Some(1.0), Some(259.5625)),
        ("Lost", 6, 4266.7, Some(0.09626672292209337), Some(590.1666666666666), Some(1.0), Some(711.1166666666667)),
        ("Other", 0, 0.0, Some(0.0), None, None, None),
    ];
    /// R x F grid, R 1..5 rows, F 1..5 columns: customers and mean M.
    pub const GRID: [[(usize, Option<f64>); 5]; 5] = [
        [(6, Some(711.1166666666667)), (0, None), (2, Some(54.4)), (0, None), (1, Some(2940.0))],
        [(4, Some(259.5625)), (0, None), (3, Some(612.2666666666667)), (0, None), (1, Some(1717.3))],
        [(3, Some(1375.0333333333333)), (0, None), (5, Some(724.01)), (0, None), (1, Some(5026.65))],
        [(3, Some(622.5833333333334)), (0, None), (3, Some(1088.8333333333333)), (0, None), (2, Some(1837.525))],
        [(3, Some(489.6333333333333)), (0, None), (3, Some(774.1333333333333)), (0, None), (3, Some(2347.133333333333))],
    ];
    /// Tiers high, medium, low: customers, revenue.
    pub const TIERS: [(usize, f64); 3] = [(8, 18460.4), (22, 21891.15), (13, 3970.1)];
    pub const TOTAL_REVENUE: f64 = 44321.65;
    /// 4 bins, average order value, analysis day 2025-01-31:
    /// per customer (R, F, M, segment); the cuts of R, F, M.
    pub const BINS4_AOV_2025_01_31: [(u8, u8, u8, &str); 43] = [
        (4, 2, 3, "Potential Loyalist"),
        (3, 2, 3, "Potential Loyalist"),
        (2, 1, 2, "Hibernating"),
        (1, 1, 4, "Lost"),
        (1, 2, 1, "Lost"),
        (3, 2, 2, "Potential Loyalist"),
        (3, 1, 3, "Promising"),
        (3, 1, 3, "Promising"),
        (3, 1, 4, "Promising"),
        (3, 2, 3, "Potential Loyalist"),
        (1, 1, 4, "Lost"),
        (2, 2, 2, "Hibernating"),
        (3, 4, 3, "Loyal Customers"),
        (2, 1, 1, "Hibernating"),
        (2, 2, 2, "Hibernating"),
        (1, 2, 2, "Lost"),
        (1, 1, 4, "Lost"),
        (4, 4, 3, "Champions"),
        (4, 1, 4, "New Customers"),
        (4, 4, 3, "Champions"),
        (2, 4, 4, "Can't Lose Them"),
        (3, 2, 4, "Potential Loyalist"),
        (1, 1, 4, "Lost"),
        (2, 2, 1, "Hibernating"),
        (3, 2, 4, "Potential Loyalist"),
        (3, 2, 2, "Potential Loyalist"),
        (4, 2, 2, "Potential Loyalist"),
        (2, 4, 3, "Can't Lose Them"),
        (3, 4, 1, "Loyal Customers"),
        (1, 1, 1, "Lost"),
        (4, 4, 4, "Champions"),
        (1, 1, 1, "Lost"),
        (4, 2, 2, "Potential Loyalist"),
        (4, 1, 4, "New Customers"),
        (3, 2, 3, "Potential Loyalist"),
        (4, 1, 1, "New Customers"),
        (4, 1, 1, "New Customers"),
        (2, 1, 1, "Hibernating"),
        (1, 2, 1, "Lost"),
        (2, 1, 2, "Hibernating"),
        (2, 1, 2, "Hibernating"),
        (1, 4, 3, "Can't Lose Them"),
        (1, 1, 1, "Lost"),
    ];
    pub const BINS4_AOV_2025_01_31_CUTS_R: [Option<f64>; 3] = [Some(353.0), Some(225.0), Some(80.0)];
    pub const BINS4_AOV_2025_01_31_CUTS_F: [Option<f64>; 3] = [Some(2.0), Some(3.0), Some(3.0)];
    pub const BINS4_AOV_2025_01_31_CUTS_M: [Option<f64>; 3] = [Some(228.45), Some(344.625), Some(689.25)];
    /// 10 bins, total, analysis day 2024-12-31:
    /// per customer (R, F, M, segment); the cuts of R, F, M.
    pub const BINS10: [(u8, u8, u8, &str); 43] = [
        (9, 5, 7, "Potential Loyalist"),
        (7, 5, 7, "Potential Loyalist"),
        (3, 1, 3, "Hibernating"),
        (1, 1, 8, "Lost"),
        (1, 5, 2, "At Risk"),
        (6, 5, 4, "Need Attention"),
        (8, 1, 4, "Promising"),
        (7, 1, 4, "Promising"),
        (6, 1, 10, "About to Sleep"),
        (7, 5, 6, "Potential Loyalist"),
        (3, 1, 6, "Hibernating"),
        (3, 5, 5, "At Risk"),
        (7, 10, 10, "Loyal Customers"),
        (4, 1, 1, "Hibernating"),
        (4, 5, 5, "At Risk"),
        (3, 5, 5, "At Risk"),
        (2, 1, 7, "Lost"),
        (9, 10, 10, "Champions"),
        (10, 1, 8, "New Customers"),
        (9, 9, 9, "Champions"),
        (5, 9, 10, "Loyal Customers"),
        (8, 5, 8, "Potential Loyalist"),
        (2, 1, 9, "Lost"),
        (5, 5, 3, "Need Attention"),
        (6, 5, 8, "Need Attention"),
        (6, 5, 4, "Need Attention"),
        (10, 5, 6, "Potential Loyalist"),
        (4, 10, 9, "Can't Lose Them"),
        (8, 10, 5, "Loyal Customers"),
        (1, 1, 2, "Lost"),
        (9, 9, 9, "Champions"),
        (2, 1, 1, "Lost"),
        (10, 5, 5, "Potential Loyalist"),
        (8, 1, 7, "Promising"),
        (6, 5, 6, "Need Attention"),
        (10, 1, 2, "New Customers"),
        (10, 1, 2, "New Customers"),
        (4, 1, 1, "Hibernating"),
        (1, 5, 1, "At Risk"),
        (5, 1, 3, "About to Sleep"),
        (5, 1, 3, "About to Sleep"),
        (2, 10, 10, "Can't Lose Them"),
        (1, 1, 1, "Lost"),
    ];
    pub const BINS10_CUTS_R: [Option<f64>; 9] = [Some(545.0), Some(414.0), Some(315.0), Some(240.0), Some(194.0), Some(131.0), Some(69.0), Some(30.0), Some(17.0)];
    pub const BINS10_CUTS_F: [Option<f64>; 9] = [Some(2.0), Some(2.0), Some(2.0), Some(2.0), Some(3.0), Some(3.0), Some(3.0), Some(3.0), Some(4.0)];
    pub const BINS10_CUTS_M: [Option<f64>; 9] = [Some(100.0), Some(198.0), Some(427.5), Some(516.5), Some(686.0), Some(890.25), Some(1200.0), Some(1717.3), Some(2940.0)];
    /// 3 bins, total, analysis day 2024-12-31:
    /// per customer (R, F, M, segment); the cuts of R, F, M.
    pub const BINS3: [(u8, u8, u8, &str); 43] = [
        (3, 2, 3, "Potential Loyalist"),
        (3, 2, 2, "Potential Loyalist"),
        (1, 1, 1, "Lost"),
        (1, 1, 3, "Lost"),
        (1, 2, 1, "At Risk"),
        (2, 2, 2, "Need Attention"),
        (3, 1, 1, "New Customers"),
        (2, 1, 2, "About to Sleep"),
        (2, 1, 3, "About to Sleep"),
        (3, 2, 2, "Potential Loyalist"),
        (1, 1, 2, "Lost"),
        (1, 2, 2, "At Risk"),
        (2, 3, 3, "Loyal Customers"),
        (2, 1, 1, "About to Sleep"),
        (2, 2, 2, "Need Attention"),
        (1, 2, 2, "At Risk"),
        (1, 1, 2, "Lost"),
        (3, 3, 3, "Champions"),
        (3, 1, 3, "New Customers"),
        (3, 3, 3, "Champions"),
        (2, 3, 3, "Loyal Customers"),
        (3, 2, 3, "Potential Loyalist"),
        (1, 1, 3, "Lost"),
        (2, 2, 1, "Need Attention"),
        (2, 2, 3, "Need Attention"),
        (2, 2, 2, "Need Attention"),
        (3, 2, 2, "Potential Loyalist"),
        (1, 3, 3, "Can't Lose Them"),
        (3, 3, 2, "Champions"),
        (1, 1, 1, "Lost"),
        (3, 3, 3, "Champions"),
        (1, 1, 1, "Lost"),
        (3, 2, 2, "Potential Loyalist"),
        (3, 1, 3, "New Customers"),
        (2, 2, 2, "Need Attention"),
        (3, 1, 1, "New Customers"),
        (3, 1, 1, "New Customers"),
        (2, 1, 1, "About to Sleep"),
        (1, 2, 1, "At Risk"),
        (2, 1, 1, "About to Sleep"),
        (2, 1, 1, "About to Sleep"),
        (1, 3, 3, "Can't Lose Them"),
        (1, 1, 1, "Lost"),
    ];
    pub const BINS3_CUTS_R: [Option<f64>; 2] = [Some(297.0), Some(92.0)];
    pub const BINS3_CUTS_F: [Option<f64>; 2] = [Some(2.0), Some(3.0)];
    pub const BINS3_CUTS_M: [Option<f64>; 2] = [Some(450.0), Some(990.25)];
}

fn fixture() -> CustomerTable {
    let bytes = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/rfm/orders.csv"
    ));
    let outcome = import_bytes(bytes, &InspectOptions::default()).expect("the fixture imports");
    assert_eq!(outcome.report.rows_accepted, 142);
    assert_eq!(outcome.report.rows_rejected, 0);
    let table = outcome.table;
    assert_eq!(table.customers.len(), 43);
    assert!(table.columns.order && table.columns.date);
    table
}

fn analysis_with(table: &CustomerTable, config: &RfmConfig) -> RfmAnalysis {
    analyse_rfm(table, config, &SegmentRules::default()).expect("the analysis runs")
}

/// Equal up to the rounding of sums in binary floating point.
fn close(got: f64, expected: f64) -> bool {
    (got - expected).abs() <= 1e-9 * (1.0 + expected.abs())
}

fn close_opt(got: Option<f64>, expected: Option<f64>) -> bool {
    match (got, expected) {
        (Some(g), Some(e)) => close(g, e),
        (None, None) => true,
        _ => false,
    }
}

fn close_all(got: &[Option<f64>], expected: &[Option<f64>]) -> bool {
    got.len() == expected.len() && got.iter().zip(expected).all(|(g, e)| close_opt(*g, *e))
}

#[test]
fn values_scores_segments_and_tiers_match_the_oracle() {
    let table = fixture();
    let analysis = analysis_with(&table, &RfmConfig::default());
    let scores = &analysis.scores;
    assert_eq!(scores.analysis_day.iso(), ANALYSIS_DAY);
    assert_eq!(scores.config.analysis_day, Some(scores.analysis_day));
    assert_eq!(scores.frequency_basis, FrequencyBasis::Orders);
    assert!(scores.undated.is_empty());
    assert_eq!(scores.customers.len(), CUSTOMERS.len());
    for (k, (score, expected)) in scores.customers.iter().zip(&CUSTOMERS).enumerate() {
        let customer = &table.customers[score.index];
        let got = (
            customer.id.as_str(),
            score.recency_days,
            score.frequency,
            score.monetary,
            score.r,
            score.f,
            score.m,
            analysis.segment_name_of(k).unwrap(),
            score.tier,
        );
        let same = got.0 == expected.0
            && (got.1, got.2) == (expected.1, expected.2)
            && close(got.3, expected.3)
            && (got.4, got.5, got.6, got.7, got.8)
                == (expected.4, expected.5, expected.6, expected.7, expected.8);
        assert!(
            same,
            "customer {k}:\n got      {got:?}\n expected {expected:?}"
        );
    }
}

#[test]
fn thresholds_and_warnings_match_the_oracle() {
    let table = fixture();
    let scores = analysis_with(&table, &RfmConfig::default()).scores;
    for (axis, (sizes, free, ranges, cuts, warned)) in [
        (Axis::Recency, AXIS_R),
        (Axis::Frequency, AXIS_F),
        (Axis::Monetary, AXIS_M),
    ] {
        let got = scores.thresholds.axis(axis);
        assert_eq!(got.sizes(), sizes, "{axis:?}");
        assert_eq!(got.tie_free_sizes, free, "{axis:?}");
        for (range, (min, max)) in got.ranges.iter().zip(ranges) {
            assert!(
                close_opt(range.min, min) && close_opt(range.max, max),
                "{axis:?} score {}: {range:?}",
                range.score
            );
        }
        assert!(close_all(&got.cuts, &cuts), "{axis:?}: {:?}", got.cuts);
        let warning = scores.warnings.iter().find(|w| w.axis == axis);
        assert_eq!(warning.is_some(), warned, "{axis:?}");
        if let Some(warning) = warning {
            assert_eq!(
                (warning.sizes.as_slice(), warning.tie_free_sizes.as_slice()),
                (&sizes[..], &free[..])
            );
        }
    }
    for (axis, distinct) in Axis::ALL.into_iter().zip(DISTINCT) {
        assert_eq!(
            scores.thresholds.axis(axis).distinct_values,
            distinct,
            "{axis:?}"
        );
    }
}

#[test]
fn segment_summary_grid_and_tiers_match_the_oracle() {
    let table = fixture();
    let analysis = analysis_with(&table, &RfmConfig::default());
    let segmentation = &analysis.segmentation;
    assert!(segmentation.coverage.is_partition());
    assert_eq!(segmentation.segments.len(), SEGMENTS.len());
    for (got, e) in segmentation.segments.iter().zip(&SEGMENTS) {
        let ok = got.name_en == e.0
            && got.customers == e.1
            && close(got.revenue, e.2)
            && close_opt(got.revenue_share, e.3)
            && close_opt(got.mean_recency_days, e.4)
            && close_opt(got.mean_frequency, e.5)
            && close_opt(got.mean_monetary, e.6);
        assert!(ok, "segment {}:\n got      {got:?}\n expected {e:?}", e.0);
        assert!(close(got.customer_share, e.1 as f64 / 43.0));
    }
    let scores = &analysis.scores;
    for (r, row) in GRID.iter().enumerate() {
        for (f, &(customers, mean)) in row.iter().enumerate() {
            let cell = scores.cell(r as u8 + 1, f as u8 + 1).unwrap();
            assert_eq!(cell.customers, customers, "cell R{} F{}", r + 1, f + 1);
            assert!(
                close_opt(cell.mean_monetary, mean),
                "cell R{} F{}: {cell:?}",
                r + 1,
                f + 1
            );
        }
    }
    assert!(close(scores.total_revenue, TOTAL_REVENUE));
    for (got, (customers, revenue)) in scores.tiers.iter().zip(TIERS) {
        assert_eq!(got.customers, customers, "{:?}", got.tier);
        assert!(close(got.revenue, revenue), "{:?}", got.tier);
        assert!(close_opt(got.revenue_share, Some(revenue / TOTAL_REVENUE)));
    }
}

#[test]
fn other_bin_counts_and_average_order_value_match_the_oracle() {
    let table = fixture();
    type Case = (
        &'static str,
        RfmConfig,
        &'static [(u8, u8, u8, &'static str)],
        [&'static [Option<f64>]; 3],
    );
    let cases: [Case; 3] = [
        (
            "4 bins, average order value, 2025-01-31",
            RfmConfig {
                bins: 4,
                analysis_day: Day::from_civil(2025, 1, 31),
                monetary: Monetary::AverageOrderValue,
            },
            &BINS4_AOV_2025_01_31,
            [
                &BINS4_AOV_2025_01_31_CUTS_R,
                &BINS4_AOV_2025_01_31_CUTS_F,
                &BINS4_AOV_2025_01_31_CUTS_M,
            ],
        ),
        (
            "10 bins",
            RfmConfig {
                bins: 10,
                ..Default::default()
            },
            &BINS10,
            [&BINS10_CUTS_R, &BINS10_CUTS_F, &BINS10_CUTS_M],
        ),
        (
            "3 bins",
            RfmConfig {
                bins: 3,
                ..Default::default()
            },
            &BINS3,
            [&BINS3_CUTS_R, &BINS3_CUTS_F, &BINS3_CUTS_M],
        ),
    ];
    for (name, config, expected, cuts) in cases {
        let analysis = analysis_with(&table, &config);
        let got: Vec<(u8, u8, u8, &str)> = analysis
            .scores
            .customers
            .iter()
            .enumerate()
            .map(|(k, s)| (s.r, s.f, s.m, analysis.segment_name_of(k).unwrap()))
            .collect();
        assert_eq!(got, expected, "{name}");
        for (axis, cuts) in Axis::ALL.into_iter().zip(cuts) {
            let got = &analysis.scores.thresholds.axis(axis).cuts;
            assert!(close_all(got, cuts), "{name}, {axis:?}: {got:?}");
        }
        // The default rules stay a partition of the mapped cells with every bin count.
        assert!(rule_coverage(&default_rules(), config.bins).is_partition());
        assert_eq!(analysis.segmentation.other_customers(), 0, "{name}");
    }
}

#[test]
fn figures_match_the_oracle() {
    let table = fixture();
    let figures = analysis_with(&table, &RfmConfig::default()).figures();
    let mut expected: Vec<(String, Option<f64>)> = SEGMENTS
        .iter()
        .map(|s| (format!("segment_count:{}", s.0), Some(s.1 as f64)))
        .collect();
    for (axis, cuts) in [("r", AXIS_R.3), ("f", AXIS_F.3), ("m", AXIS_M.3)] {
        for (k, cut) in cuts.into_iter().enumerate() {
            expected.push((format!("rfm_threshold_{axis}_{}", k + 1), cut));
        }
    }
    assert_eq!(figures.len(), expected.len());
    for (got, (name, value)) in figures.iter().zip(&expected) {
        assert_eq!(&got.name, name);
        assert!(
            close_opt(got.value, *value),
            "{name}: {:?} vs {value:?}",
            got.value
        );
    }
}

#[test]
fn scored_customers_csv_reimports_to_the_same_data() {
    let table = fixture();
    let analysis = analysis_with(&table, &RfmConfig::default());
    for labels in [
        RfmCsvLabels::default(),
        valuelens::i18n::rfm_csv_labels(valuelens::i18n::Lang::Zh),
    ] {
        let csv = scored_customers_csv(&table, &analysis, &labels);
        assert!(csv.starts_with('\u{feff}'));
        // The hostile id is neutralised; the two-line id is quoted.
        assert!(csv.contains("\r\n'=cmd|' /C calc'!A0,2024-12-01,30,2,1000,5,3,4,534,"));
        assert!(csv.contains("\r\n\"Multi\nLine 客户\",2023-02-02,698,1,19.9,1,1,1,111,"));
        assert!(csv.contains("\r\nC38,2023-07-01,549,2,-30,1,3,1,131,"));

        let bytes = csv.as_bytes();
        let preview = inspect(bytes, true, &InspectOptions::default()).expect("inspect");
        assert!(preview.has_header);
        let mut settings = preview.settings();
        settings.mapping = ColumnMapping {
            customer: Some(0),
            date: Some(1),
            amount: Some(4),
            ..Default::default()
        };
        let outcome = import_with(bytes, settings).expect("the export re-imports");
        assert_eq!(outcome.report.rows_accepted, 43);
        assert_eq!(outcome.report.rows_rejected, 0);
        let again = &outcome.table.customers;
        assert_eq!(again.len(), 43);
        for score in &analysis.scores.customers {
            let original = &table.customers[score.index];
            // The export neutralises formula-like ids with an apostrophe; the import removes it
            // again, so every id comes back exactly.
            let id = original.id.clone();
            let back = again
                .iter()
                .find(|c| c.id == id)
                .unwrap_or_else(|| panic!("{id:?} is missing"));
            assert!(close(back.sales, score.monetary), "{id:?}");
            assert!(close(back.sales, original.sales), "{id:?}");
            assert_eq!(back.last, original.last, "{id:?}");
        }
        assert!(again.iter().any(|c| c.id == "=cmd|' /C calc'!A0"));
        assert!(again.iter().any(|c| c.id == "Multi\nLine 客户"));
    }
}

#[test]
fn cdnow_whitespace_sample_by_hand() {
    let bytes = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ingest/cdnow_whitespace.txt"
    ));
    let table = import_bytes(bytes, &InspectOptions::default())
        .expect("imports")
        .table;
    let analysis = analysis_with(&table, &RfmConfig::default());
    let scores = &analysis.scores;
    // Latest purchase 1998-05-28 (customer 00003): analysis day 1998-05-29.
    assert_eq!(scores.analysis_day.iso(), "1998-05-29");
    // No order column: F counts rows.
    assert_eq!(scores.frequency_basis, FrequencyBasis::Rows);
    // R days: 1997-01-01 → 1998-05-29 is 365 + (31 + 28 + 31 + 30) + 28 = 513; 1997-01-12 is 11
    // days later (502); 1997-12-12 → 1998-01-01 is 20 days, + 120 + 28 = 168; 1998-05-28 is 1.
    // Scores with n = 5: score = min(5, 1 + 5·w div 4), w = customers strictly worse:
    // R 513, 513 (w 0) → 1; 502 (w 2) → 3; 168 (w 3) → 4; 1 (w 4) → 5.
    // F 1, 1 → 1; 2 → 3; 4 → 4; 6 → 5.  M 11.77 → 1; 29.33 → 2; 89 → 3; 100.50 → 4; 156.46 → 5.
    // Segments: 111 and 112 Lost, 333 Need Attention, 555 Champions, 444 Loyal Customers;
    // tiers by R + F + M: 3, 4 low, 9 medium, 15 and 12 high.
    let expected: [(&str, i32, u32, f64, u32, &str, Tier); 5] = [
        ("00001", 513, 1, 11.77, 111, "Lost", Tier::Low),
        ("00002", 502, 2, 89.0, 333, "Need Attention", Tier::Medium),
        ("00003", 1, 6, 156.46, 555, "Champions", Tier::High),
        ("00004", 168, 4, 100.5, 444, "Loyal Customers", Tier::High),
        ("00005", 513, 1, 29.33, 112, "Lost", Tier::Low),
    ];
    assert_eq!(scores.customers.len(), 5);
    for (k, (score, e)) in scores.customers.iter().zip(expected).enumerate() {
        let id = table.customers[score.index].id.as_str();
        assert_eq!(
            (
                id,
                score.recency_days,
                score.frequency,
                score.code(5),
                analysis.segment_name_of(k).unwrap(),
                score.tier
            ),
            (e.0, e.1, e.2, e.4, e.5, e.6)
        );
        assert!(close(score.monetary, e.3), "{id}");
    }
    // Ties empty R and F score 2: warnings with the sizes; M is even.
    let warned: Vec<(Axis, Vec<usize>)> = scores
        .warnings
        .iter()
        .map(|w| (w.axis, w.sizes.clone()))
        .collect();
    assert_eq!(
        warned,
        [
            (Axis::Recency, vec![2, 0, 1, 1, 1]),
            (Axis::Frequency, vec![2, 0, 1, 1, 1])
        ]
    );
    // Cuts: R the largest days scoring above k; F and M the smallest value scoring above k.
    let cuts = |axis| scores.thresholds.axis(axis).cuts.clone();
    assert_eq!(
        cuts(Axis::Recency),
        [Some(502.0), Some(502.0), Some(168.0), Some(1.0)]
    );
    assert_eq!(
        cuts(Axis::Frequency),
        [Some(2.0), Some(2.0), Some(4.0), Some(6.0)]
    );
    assert!(close_all(
        &cuts(Axis::Monetary),
        &[Some(29.33), Some(89.0), Some(100.5), Some(156.46)]
    ));
}

#[test]
fn edge_cases_through_the_import() {
    /// What a small file gives: `Ok((customers, R F M codes, segments, axes warned))`, or
    /// `Err("date")` for the parameter error and `Err("import")` when the import fails.
    type Outcome = Result<(usize, Vec<u32>, Vec<String>, Vec<Axis>), &'static str>;
    let ok = |n: usize, codes: &[u32], segments: &[&str], axes: &[Axis]| -> Outcome {
        Ok((
            n,
            codes.to_vec(),
            segments.iter().map(|s| s.to_string()).collect(),
            axes.to_vec(),
        ))
    };
    let cases: [(&str, &str, Outcome); 5] = [
        (
            "one customer",
            "customer,date,amount\nA,2024-01-01,10\nA,2024-02-01,5\n",
            // Alone, every score is 1; the bins are what one customer can fill: no warning.
            ok(1, &[111], &["Lost"], &[]),
        ),
        (
            "all values equal",
            "customer,date,amount\nA,2024-01-01,10\nB,2024-01-01,10\nC,2024-01-01,10\n",
            ok(3, &[111, 111, 111], &["Lost"; 3], &Axis::ALL),
        ),
        (
            "zero and negative monetary",
            "customer,date,amount\nA,2024-01-01,10\nB,2024-01-02,0\nC,2024-01-03,-5\nC,2024-01-04,-1\n",
            // Analysis day 2024-01-05. R 4, 3, 1 days → 1, 3, 5; F 1, 1, 2 → 1, 1, 5;
            // M 10, 0, −6 → 5, 3, 1.
            ok(3, &[115, 313, 551], &["Lost", "About to Sleep", "Champions"], &[Axis::Frequency]),
        ),
        (
            "no date column",
            "customer,amount\nA,10\nB,20\n",
            Err("date"),
        ),
        (
            "dates that are all rejected leave nothing to import",
            "customer,date,amount\nA,yesterday,10\n",
            Err("import"),
        ),
    ];
    for (name, csv, expected) in cases {
        let got: Outcome = match import_bytes(csv.as_bytes(), &InspectOptions::default()) {
            Err(_) => Err("import"),
            Ok(outcome) => match analyse_rfm(
                &outcome.table,
                &RfmConfig::default(),
                &SegmentRules::default(),
            ) {
                Err(Error::Parameter { name, .. }) if name == "date" => Err("date"),
                Err(other) => panic!("{name}: {other:?}"),
                Ok(analysis) => {
                    let scores = &analysis.scores;
                    Ok((
                        scores.customers.len(),
                        scores.customers.iter().map(|s| s.code(5)).collect(),
                        (0..scores.customers.len())
                            .map(|k| analysis.segment_name_of(k).unwrap_or_default().to_string())
                            .collect(),
                        scores.warnings.iter().map(|w| w.axis).collect(),
                    ))
                }
            },
        };
        assert_eq!(got, expected, "{name}");
    }
}
