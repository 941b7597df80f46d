//! The purchase decile analysis (购买十分位分析) of a real-shaped order export, checked against an
//! independent computation.
//!
//! `tests/fixtures/deciles/orders.csv` holds 172 order lines of 48 customers over 2023–2024: order
//! lines of one order, returns (netted), loss-making customers, a customer whose purchase was
//! fully returned (zero net sales) and one whose returns exceed its purchases (negative net
//! sales), equal net sales across the decile 1|2 and 8|9 boundaries and equal profit across the
//! profit decile 2|3 boundary (ids decide), a customer whose sales fell by exactly 30 %, and
//! low-margin one-order customers.
//!
//! Every expected figure below was printed by `tests/fixtures/deciles/oracle.py` (Python standard
//! library, exact fractions, written from METHODS.md §1 and the documented rules, not from the
//! engine) and pasted here; none comes from running the engine.

use valuelens::engine::customers::CustomerTable;
use valuelens::engine::deciles::{
    analyse_deciles, customer_deciles, group_csv, lorenz, overshoot, period_sales, value_deciles,
    Decile, DecileAnalysis, DecileBasis, GroupConfig, GroupCsvLabels, GroupKind, GroupStatus,
};
use valuelens::engine::ingest::{import_bytes, InspectOptions};

use oracle::*;

/// Per decile: customers, sales, profit, sales share, profit share, cumulative sales share,
/// cumulative profit share, average order value, margin.
type DecileRow = (
    usize,
    f64,
    f64,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    f64,
    Option<f64>,
);

/// Printed by `python3 tests/fixtures/deciles/oracle.py` (48 customers) and pasted verbatim.
#[rustfmt::skip]
mod oracle {
    use super::DecileRow;

    // 48 customers.
    /// Per decile: customers, sales, profit, sales share, profit share, cumulative sales share,
    /// cumulative profit share, average order value, margin.
    pub const BY_SALES: [DecileRow; 10] = [
        (5, 53050.29, 11600.96, Some(0.44597824814985193), Some(0.5290135352416981), Some(0.44597824814985193), Some(0.5290135352416981), 2652.5145, Some(0.21867854068281248)),
        (5, 26061.67, 4908.84, Some(0.21909282551442322), Some(0.22384723353376423), Some(0.6650710736642751), Some(0.7528607687754624), 1533.0394117647058, Some(0.18835477542306384)),
        (5, 14374.69, 584.06, Some(0.12084380809034587), Some(0.026633627337157115), Some(0.785914881754621), Some(0.7794943961126195), 1026.7635714285714, Some(0.040631137088869396)),
        (5, 9724.84, 1846.21, Some(0.08175388120852131), Some(0.08418872911367468), Some(0.8676687629631423), Some(0.8636831252262942), 810.4033333333333, Some(0.18984476865429148)),
        (5, 6888.89, 1521.32, Some(0.05791288028580114), Some(0.06937347180180779), Some(0.9255816432489434), Some(0.933056597028102), 430.555625, Some(0.22083673857471958)),
        (5, 3922.59, 968.68, Some(0.03297606509615928), Some(0.04417262289654719), Some(0.9585577083451027), Some(0.9772292199246492), 196.1295, Some(0.24694908211156405)),
        (5, 2482.21, 159.91, Some(0.020867212362836167), Some(0.007292030523379095), Some(0.9794249207079389), Some(0.9845212504480283), 225.65545454545455, Some(0.06442243001196514)),
        (5, 1564.53, 178.98, Some(0.013152545416394289), Some(0.008161638565908264), Some(0.9925774661243332), Some(0.9926828890139365), 78.2265, Some(0.11439857337347319)),
        (4, 765.2, 145.9, Some(0.006432812252002141), Some(0.006653162737546182), Some(0.9990102783763353), Some(0.9993360517514827), 45.01176470588236, Some(0.1906691061160481)),
        (4, 117.73, 14.56, Some(0.0009897216236646785), Some(0.0006639482485172886), Some(1.0), Some(1.0), 11.773, Some(0.12367281066847872)),
    ];
    pub const BY_PROFIT: [DecileRow; 10] = [
        (5, 51058.12, 11809.75, Some(0.4292306585209038), Some(0.5385345348850996), Some(0.4292306585209038), Some(0.5385345348850996), 2320.8236363636365, Some(0.23130013404332161)),
        (5, 25819.32, 4858.22, Some(0.21705546005536322), Some(0.2215389189499768), Some(0.6462861185762669), Some(0.7600734538350763), 2151.61, Some(0.18816219792000718)),
        (5, 13017.68, 2602.69, Some(0.10943582252567072), Some(0.11868485349817734), Some(0.7557219411019377), Some(0.8787583073332537), 723.2044444444444, Some(0.19993501146133566)),
        (5, 6332.9, 1511.62, Some(0.05323883522047094), Some(0.0689311436417379), Some(0.8089607763224087), Some(0.9476894509749916), 452.35, Some(0.23869317374346666)),
        (5, 8357.3, 968.9, Some(0.07025737301837101), Some(0.04418265508162095), Some(0.8792181493407797), Some(0.9918721060566126), 417.865, Some(0.11593457217043782)),
        (5, 4223.3, 548.69, Some(0.03550404597997993), Some(0.025020725582345544), Some(0.9147221953207596), Some(1.016892831638958), 263.95625, Some(0.12991973101603013)),
        (5, 1361.85, 251.54, Some(0.011448674026906844), Some(0.011470435606596071), Some(0.9261708693476665), Some(1.028363267245554), 71.67631578947369, Some(0.18470462973161508)),
        (5, 1082.17, 99.36, Some(0.009097486192824304), Some(0.0045308995860355635), Some(0.9352683555404907), Some(1.0328941668315896), 49.18954545454545, Some(0.0918155188186699)),
        (4, 1300.0, -0.95, Some(0.010928719194462602), Some(-4.332079918210331e-05), Some(0.9461970747349533), Some(1.0328508460324075), 216.66666666666666, Some(-0.0007307692307692308)),
        (4, 6400.0, -720.4, Some(0.05380292526504666), Some(-0.03285084603240761), Some(1.0), Some(1.0), 800.0, Some(-0.1125625)),
    ];
    /// Per value slice: customers, cumulative customers.
    pub const VALUE_BY_SALES: [(usize, usize); 10] = [(1, 1), (1, 2), (1, 3), (2, 5), (1, 6), (3, 9), (3, 12), (4, 16), (7, 23), (22, 45)];
    pub const VALUE_BY_PROFIT: [(usize, usize); 10] = [(1, 1), (1, 2), (0, 2), (2, 4), (1, 5), (1, 6), (3, 9), (3, 12), (5, 17), (10, 27)];
    /// Gini, Pareto point, and the Lorenz curve at 12, 24, 36 and 48 customers.
    pub const LORENZ_SALES: (f64, f64, [(f64, f64); 4]) = (0.6194836799474704, 0.3333333333333333, [(0.25, 0.017279229784223367), (0.5, 0.08350567082832294), (0.75, 0.28356209664619464), (1.0, 1.0)]);
    pub const LORENZ_PROFIT: (f64, f64, [(f64, f64); 4]) = (0.7522856281652683, 0.25, [(0.25, -0.029885423326289524), (0.5, 0.015219280765291558), (0.75, 0.17909821600388884), (1.0, 1.0)]);
    pub const RETAIN: &[&str] = &["C13"];
    pub const GROW: &[&str] = &["C08", "C35"];
    pub const DECLINING: &[&str] = &["C41", "C48", "C33", "C26", "C07", "C03", "C01", "C46", "C09", "C42", "C34"];
    pub const TRANSACTION: &[&str] = &["C04", "C36", "C02"];
    pub const ANALYSIS_DAY: &str = "2024-12-29";
    pub const TRANSACTION_MARGIN_LIMIT: f64 = 0.003;
}

fn fixture() -> CustomerTable {
    let bytes = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/deciles/orders.csv"
    ));
    let outcome = import_bytes(bytes, &InspectOptions::default()).expect("the fixture imports");
    assert_eq!(outcome.report.rows_accepted, 172);
    assert_eq!(outcome.report.rows_rejected, 0);
    let table = outcome.table;
    assert_eq!(table.customers.len(), 48);
    assert!(table.columns.order && table.columns.date && table.columns.profit);
    table
}

fn analysis(table: &CustomerTable) -> DecileAnalysis {
    analyse_deciles(table, &GroupConfig::default()).expect("the analysis runs")
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

fn row(d: &Decile) -> DecileRow {
    (
        d.customers,
        d.sales,
        d.profit,
        d.sales_share,
        d.profit_share,
        d.cumulative_sales_share,
        d.cumulative_profit_share,
        d.average_order_value,
        d.margin,
    )
}

fn same_row(got: &DecileRow, e: &DecileRow) -> bool {
    got.0 == e.0
        && close(got.1, e.1)
        && close(got.2, e.2)
        && close_opt(got.3, e.3)
        && close_opt(got.4, e.4)
        && close_opt(got.5, e.5)
        && close_opt(got.6, e.6)
        && close(got.7, e.7)
        && close_opt(got.8, e.8)
}

fn ids(table: &CustomerTable, members: &[usize]) -> Vec<String> {
    members
        .iter()
        .map(|&i| table.customers[i].id.to_string())
        .collect()
}

#[test]
fn customer_deciles_match_the_oracle() {
    let table = fixture();
    let analysis = analysis(&table);
    let by_profit = analysis.by_profit.clone().expect("profit is mapped");
    for (basis, got, expected) in [
        ("sales", &analysis.by_sales, &BY_SALES),
        ("profit", &by_profit, &BY_PROFIT),
    ] {
        assert_eq!(got.len(), 10, "{basis}");
        for (k, (decile, expected)) in got.iter().zip(expected).enumerate() {
            assert_eq!(usize::from(decile.index), k + 1);
            let got = row(decile);
            assert!(
                same_row(&got, expected),
                "by {basis}, decile {}:\n got      {got:?}\n expected {expected:?}",
                k + 1
            );
        }
    }
    // The separate entry points give the same deciles.
    assert_eq!(
        customer_deciles(&table, DecileBasis::Sales).unwrap(),
        analysis.by_sales
    );
    assert_eq!(
        customer_deciles(&table, DecileBasis::Profit).unwrap(),
        by_profit
    );
}

#[test]
fn cumulative_profit_passes_full_where_the_oracle_says() {
    let table = fixture();
    let analysis = analysis(&table);
    for (basis, got, expected) in [
        ("sales", analysis.by_sales.clone(), &BY_SALES),
        ("profit", analysis.by_profit.clone().unwrap(), &BY_PROFIT),
    ] {
        let expected_above = expected.iter().any(|e| e.6.is_some_and(|s| s > 1.0));
        let got = overshoot(got.iter().map(|d| d.cumulative_profit_share));
        assert_eq!(got.above_full, expected_above, "{basis}");
    }
    // By profit the loss-making customers come last: the curve passes 100 % (decile 6 on).
    assert!(BY_PROFIT[5].6.is_some_and(|s| s > 1.0));
}

#[test]
fn value_deciles_match_the_oracle() {
    let table = fixture();
    let analysis = analysis(&table);
    for (basis, got, expected) in [
        ("sales", analysis.value_by_sales.clone(), &VALUE_BY_SALES),
        (
            "profit",
            analysis.value_by_profit.clone().unwrap(),
            &VALUE_BY_PROFIT,
        ),
    ] {
        let got: Vec<(usize, usize)> = got
            .iter()
            .map(|s| (s.customers, s.cumulative_customers))
            .collect();
        assert_eq!(got, expected, "{basis}");
    }
    assert_eq!(
        value_deciles(&table, DecileBasis::Profit).unwrap(),
        analysis.value_by_profit.unwrap()
    );
}

#[test]
fn lorenz_gini_and_pareto_match_the_oracle() {
    let table = fixture();
    let analysis = analysis(&table);
    for (basis, curve, (gini, pareto, points)) in [
        ("sales", analysis.lorenz_sales.clone(), LORENZ_SALES),
        (
            "profit",
            analysis.lorenz_profit.clone().unwrap(),
            LORENZ_PROFIT,
        ),
    ] {
        assert!(
            close_opt(curve.gini, Some(gini)),
            "{basis}: gini {:?}",
            curve.gini
        );
        assert!(
            close_opt(curve.pareto80_customer_share, Some(pareto)),
            "{basis}: pareto {:?}",
            curve.pareto80_customer_share
        );
        // 48 customers: every point is kept, point i at i / 48.
        assert_eq!(curve.points.len(), 49, "{basis}");
        for (k, (share, value)) in points.into_iter().enumerate() {
            let point = curve.points[12 * (k + 1)];
            assert!(
                close(point.customer_share, share) && close(point.value_share, value),
                "{basis}: point {k}: {point:?}"
            );
        }
    }
    assert_eq!(
        lorenz(&table, DecileBasis::Sales).unwrap(),
        analysis.lorenz_sales
    );
    // Negative profit first: the profit curve dips below zero.
    assert!(analysis.lorenz_profit.unwrap().overshoot.below_zero);
}

#[test]
fn groups_match_the_oracle() {
    let table = fixture();
    let analysis = analysis(&table);
    let groups = &analysis.groups;
    for (kind, expected) in [
        (GroupKind::Retain, RETAIN),
        (GroupKind::Grow, GROW),
        (GroupKind::Declining, DECLINING),
        (GroupKind::Transaction, TRANSACTION),
    ] {
        assert_eq!(groups.status_of(kind), GroupStatus::Computed, "{kind:?}");
        assert_eq!(ids(&table, groups.members(kind)), expected, "{kind:?}");
    }
    let periods = groups.periods.expect("the data has dates");
    assert_eq!(periods.analysis_day.iso(), ANALYSIS_DAY);
    assert_eq!(groups.config.analysis_day, Some(periods.analysis_day));
    assert_eq!(
        (
            periods.latest.first_day.iso(),
            periods.latest.last_day.iso(),
            periods.previous.first_day.iso(),
            periods.previous.last_day.iso(),
        ),
        (
            "2024-01-01".to_string(),
            "2024-12-31".to_string(),
            "2023-01-01".to_string(),
            "2023-12-31".to_string()
        )
    );
    assert!(close_opt(
        groups.transaction_margin_limit,
        Some(TRANSACTION_MARGIN_LIMIT)
    ));
    // C07 fell from 1000 to 700, exactly the 30 % threshold: declining.
    let c07 = table.customers.iter().find(|c| c.id == "C07").unwrap();
    let sales = period_sales(c07, &periods);
    assert_eq!((sales.previous_sales, sales.latest_sales), (1000.0, 700.0));
}

#[test]
fn figures_match_the_oracle() {
    let table = fixture();
    let figures = analysis(&table).figures();
    let mut expected: Vec<(String, Option<f64>)> = vec![
        ("gini".into(), Some(LORENZ_SALES.0)),
        ("pareto80_customer_share".into(), Some(LORENZ_SALES.1)),
    ];
    for (k, e) in BY_SALES.iter().enumerate() {
        expected.push((format!("decile_sales_share_{}", k + 1), e.3));
    }
    for (k, e) in BY_PROFIT.iter().enumerate() {
        expected.push((format!("decile_profit_share_{}", k + 1), e.4));
    }
    for (name, members) in [
        ("retain", RETAIN),
        ("grow", GROW),
        ("declining", DECLINING),
        ("transaction", TRANSACTION),
    ] {
        expected.push((format!("group_{name}"), Some(members.len() as f64)));
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
fn group_tables_export_as_csv() {
    let table = fixture();
    let groups = analysis(&table).groups;
    for (kind, expected) in [
        (GroupKind::Retain, RETAIN),
        (GroupKind::Grow, GROW),
        (GroupKind::Declining, DECLINING),
        (GroupKind::Transaction, TRANSACTION),
    ] {
        let csv = group_csv(&table, &groups, kind, &GroupCsvLabels::default());
        let lines: Vec<&str> = csv.trim_end_matches("\r\n").split("\r\n").collect();
        assert_eq!(lines.len(), expected.len() + 1, "{kind:?}");
        assert!(lines[0].starts_with("\u{feff}customer,orders,sales,profit,margin"));
        for (line, id) in lines[1..].iter().zip(expected) {
            assert!(line.starts_with(&format!("{id},")), "{kind:?}: {line}");
        }
    }
    let csv = group_csv(
        &table,
        &groups,
        GroupKind::Declining,
        &GroupCsvLabels::default(),
    );
    assert!(csv.contains("\r\nC07,3,1700,255,0.15,566.67,2023-02-10,2024-05-10,1000,700,-0.3\r\n"));
}
