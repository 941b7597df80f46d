//! Unit tests of the decile internals (the public behaviour is in `tests/deciles.rs`).

use super::*;
use crate::engine::calendar::NO_DAY;
use crate::engine::customers::{Columns, MonthTotal};

const ALL_COLUMNS: Columns = Columns {
    order: true,
    date: true,
    profit: true,
    quantity: false,
};

/// A customer with sales, profit and orders (no dates).
fn customer(id: &str, sales: f64, profit: f64, orders: u32) -> Customer {
    Customer {
        id: id.into(),
        rows: orders,
        orders,
        sales,
        profit,
        ..Default::default()
    }
}

/// A table of `(id, sales, profit)` customers with one order each.
fn table_of(rows: &[(&str, f64, f64)]) -> CustomerTable {
    table_with(rows, ALL_COLUMNS)
}

fn table_with(rows: &[(&str, f64, f64)], columns: Columns) -> CustomerTable {
    let mut customers: Vec<Customer> = rows
        .iter()
        .map(|&(id, sales, profit)| customer(id, sales, profit, 1))
        .collect();
    customers.sort_by(|a, b| a.id.cmp(&b.id));
    CustomerTable { customers, columns }
}

/// `n` customers `c00`, `c01` … with sales `f(i)` and profit a tenth of it.
fn numbered(n: usize, f: impl Fn(usize) -> f64) -> CustomerTable {
    let ids: Vec<String> = (0..n).map(|i| format!("c{i:02}")).collect();
    let rows: Vec<(&str, f64, f64)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), f(i), f(i) / 10.0))
        .collect();
    table_of(&rows)
}

fn ids(table: &CustomerTable, members: &[usize]) -> Vec<String> {
    members
        .iter()
        .map(|&i| table.customers[i].id.to_string())
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    }
}

#[test]
fn decile_sizes_are_equal_larger_first() {
    let cases: [(usize, [usize; 10]); 8] = [
        (0, [0; 10]),
        (1, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        (9, [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]),
        (10, [1; 10]),
        (11, [2, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        (19, [2, 2, 2, 2, 2, 2, 2, 2, 2, 1]),
        (25, [3, 3, 3, 3, 3, 2, 2, 2, 2, 2]),
        (
            1_000_003,
            [
                100_001, 100_001, 100_001, 100_000, 100_000, 100_000, 100_000, 100_000, 100_000,
                100_000,
            ],
        ),
    ];
    for (n, expected) in cases {
        assert_eq!(decile_sizes(n), expected, "n = {n}");
        assert_eq!(decile_sizes(n).iter().sum::<usize>(), n);
    }
}

#[test]
fn ranking_is_descending_with_ties_by_id() {
    // Sorted and unsorted tables must rank alike; -0.0 equals 0.0.
    let rows = [
        ("b", 5.0, 0.0),
        ("a", 5.0, 0.0),
        ("c", 9.0, 0.0),
        ("d", -0.0, 0.0),
        ("ab", 0.0, 0.0),
    ];
    let sorted = table_of(&rows);
    let order = rank_customers(&sorted, DecileBasis::Sales).unwrap();
    assert_eq!(ids(&sorted, &order), ["c", "a", "b", "ab", "d"]);
    let unsorted = CustomerTable {
        customers: rows
            .iter()
            .map(|&(id, s, p)| customer(id, s, p, 1))
            .collect(),
        columns: ALL_COLUMNS,
    };
    let order = rank_customers(&unsorted, DecileBasis::Sales).unwrap();
    assert_eq!(ids(&unsorted, &order), ["c", "a", "b", "ab", "d"]);
}

/// Tables sorted by id rank by integers that pack each value's step count with its index
/// where the counts allow, by (key, index) pairs where not (a count beyond 2^53, or counts
/// spanning more than the bits the indices leave): both rank as a comparison sort of the
/// snapped values, largest first, ties by id, with negative amounts, -0 and ties.
#[test]
fn packed_and_paired_rankings_are_the_comparison_ranking() {
    let mut random = crate::engine::test_support::xorshift(77);
    let shapes: [fn(u64) -> f64; 5] = [
        |r| (r % 2_001) as f64 / 4.0 - 100.0,
        |r| if r % 3 == 0 { -0.0 } else { (r % 5) as f64 },
        |r| (r % 1_000_003) as f64 * 1e3 + 0.000_001,
        // Counts of ±9 × 10^15 span almost 2^54: from 1,025 customers on, too few bits
        // are left for the indices.
        |r| ((r % 3) as f64 - 1.0) * 9.0e9,
        // A count beyond 2^53.
        |r| if r % 50 == 0 { 2e10 } else { (r % 90) as f64 },
    ];
    for shape in shapes {
        for n in [1usize, 2, 64, 65, 700, 2_000] {
            let rows: Vec<(String, f64)> = (0..n)
                .map(|i| (format!("id{i:05}"), shape(random())))
                .collect();
            let table = CustomerTable {
                customers: rows
                    .iter()
                    .map(|(id, v)| customer(id, *v, 0.0, 1))
                    .collect(),
                columns: ALL_COLUMNS,
            };
            let mut expected: Vec<usize> = (0..n).collect();
            expected.sort_by(|&a, &b| {
                let key = |i: usize| snapped(rows[i].1, AMOUNT_STEPS);
                key(b).total_cmp(&key(a)).then(rows[a].0.cmp(&rows[b].0))
            });
            let order = rank_customers(&table, DecileBasis::Sales).unwrap();
            assert_eq!(order, expected, "{n}");
            let ranked = Ranked::new(&table.customers, DecileBasis::Sales);
            let values: Vec<f64> = expected.iter().map(|&i| rows[i].1).collect();
            assert_eq!(ranked.values, values, "{n}");
        }
    }
}

#[test]
fn ties_survive_floating_point_summation_noise() {
    // Regression: "b" is 100.10 + 162.45 as the import adds it, an ulp below 262.55, and
    // ranked after "z" (262.55) instead of before it by id.
    let noisy = 100.10 + 162.45;
    assert_ne!(noisy, 262.55);
    let ranked_table = table_of(&[("z", 262.55, 0.3), ("b", noisy, 0.1 + 0.2), ("c", 1.0, 0.5)]);
    let order = rank_customers(&ranked_table, DecileBasis::Sales).unwrap();
    assert_eq!(ids(&ranked_table, &order), ["b", "z", "c"]);
    // Margins 0.3 / 262.55 and (0.1 + 0.2) / (100.10 + 162.45) tie too: both are low margin.
    let groups = customer_groups(&ranked_table, &GroupConfig::default()).unwrap();
    assert_eq!(ids(&ranked_table, &groups.transaction), ["b", "z"]);
}

#[test]
fn descending_bits_order_like_total_cmp_reversed() {
    let values = [
        f64::INFINITY,
        1e300,
        1.0,
        1e-300,
        0.0,
        -0.0,
        -1e-300,
        -1.0,
        -1e300,
        f64::NEG_INFINITY,
    ];
    for pair in values.windows(2) {
        assert!(pair[0].total_cmp(&pair[1]).is_gt());
        assert!(
            descending_bits(pair[0]) < descending_bits(pair[1]),
            "{pair:?}"
        );
    }
}

#[test]
fn bad_inputs_are_errors() {
    let empty = CustomerTable::default();
    let no_profit = table_with(&[("a", 1.0, 0.0)], Columns::default());
    let basis_error = parameter("basis", ParameterProblem::NoProfitColumn);
    type Check = fn(&CustomerTable) -> Result<()>;
    let checks: [(&str, Check); 5] = [
        ("deciles", |t| {
            customer_deciles(t, DecileBasis::Profit).map(drop)
        }),
        ("value", |t| value_deciles(t, DecileBasis::Profit).map(drop)),
        ("lorenz", |t| lorenz(t, DecileBasis::Profit).map(drop)),
        ("rank", |t| rank_customers(t, DecileBasis::Profit).map(drop)),
        ("groups", |t| {
            customer_groups(t, &GroupConfig::default()).map(drop)
        }),
    ];
    for (name, check) in checks {
        assert_eq!(check(&empty), Err(Error::NoData), "{name}");
        if name != "groups" {
            assert_eq!(check(&no_profit), Err(basis_error.clone()), "{name}");
        }
    }
    assert_eq!(
        analyse_deciles(&empty, &GroupConfig::default()).unwrap_err(),
        Error::NoData
    );
}

/// Per decile: customers, sales, profit, sales share, cumulative sales share, margin.
type DecileRow = (usize, f64, f64, Option<f64>, Option<f64>, Option<f64>);

#[test]
fn customer_deciles_hand_computed() {
    let cases: Vec<(&str, CustomerTable, DecileBasis, Vec<DecileRow>)> = vec![
        (
            "one customer: all in decile 1, the rest empty",
            table_of(&[("only", 200.0, 50.0)]),
            DecileBasis::Sales,
            std::iter::once((1, 200.0, 50.0, Some(1.0), Some(1.0), Some(0.25)))
                .chain(std::iter::repeat_n(
                    (0, 0.0, 0.0, Some(0.0), Some(1.0), None),
                    9,
                ))
                .collect(),
        ),
        (
            "three customers fill deciles 1-3",
            table_of(&[("a", 10.0, 1.0), ("b", 30.0, 3.0), ("c", 60.0, 6.0)]),
            DecileBasis::Sales,
            [
                (1, 60.0, 6.0, Some(0.6), Some(0.6), Some(0.1)),
                (1, 30.0, 3.0, Some(0.3), Some(0.9), Some(0.1)),
                (1, 10.0, 1.0, Some(0.1), Some(1.0), Some(0.1)),
            ]
            .into_iter()
            .chain(std::iter::repeat_n(
                (0, 0.0, 0.0, Some(0.0), Some(1.0), None),
                7,
            ))
            .collect(),
        ),
        (
            "all equal values: a tenth each",
            numbered(20, |_| 5.0),
            DecileBasis::Sales,
            (1..=10)
                .map(|k| (2, 10.0, 1.0, Some(0.1), Some(k as f64 / 10.0), Some(0.1)))
                .collect(),
        ),
        (
            "zero sales: no shares, no margins",
            table_of(&[("a", 0.0, 0.0), ("b", 5.0, 1.0), ("c", -5.0, -1.0)]),
            DecileBasis::Sales,
            [
                (1, 5.0, 1.0, None, None, Some(0.2)),
                (1, 0.0, 0.0, None, None, None),
                (1, -5.0, -1.0, None, None, Some(0.2)),
            ]
            .into_iter()
            .chain(std::iter::repeat_n((0, 0.0, 0.0, None, None, None), 7))
            .collect(),
        ),
    ];
    for (name, table, basis, expected) in cases {
        let deciles = customer_deciles(&table, basis).unwrap();
        assert_eq!(deciles.len(), 10, "{name}");
        for (d, e) in deciles.iter().zip(&expected) {
            let got = (
                d.customers,
                d.sales,
                d.profit,
                d.sales_share,
                d.cumulative_sales_share,
                d.margin,
            );
            let ok = got.0 == e.0
                && close(got.1, e.1)
                && close(got.2, e.2)
                && close_opt(got.3, e.3)
                && close_opt(got.4, e.4)
                && close_opt(got.5, e.5);
            assert!(
                ok,
                "{name}, decile {}: got {got:?}, expected {e:?}",
                d.index
            );
        }
    }
}

#[test]
fn ties_across_a_decile_boundary_are_cut_by_id() {
    // 11 customers: deciles of 2, 1, 1 …; "b", "j" and "k" tie at 7 and the cuts after the
    // first and second decile fall inside the tie: id order decides (a b | j | k).
    let rows = [
        ("a", 20.0, 0.0),
        ("b", 7.0, 0.0),
        ("k", 7.0, 0.0),
        ("j", 7.0, 0.0),
        ("c", 6.0, 0.0),
        ("d", 5.0, 0.0),
        ("e", 4.0, 0.0),
        ("f", 3.0, 0.0),
        ("g", 2.0, 0.0),
        ("h", 1.0, 0.0),
        ("i", 0.5, 0.0),
    ];
    let table = table_of(&rows);
    let order = rank_customers(&table, DecileBasis::Sales).unwrap();
    assert_eq!(ids(&table, &order[..4]), ["a", "b", "j", "k"]);
    let deciles = customer_deciles(&table, DecileBasis::Sales).unwrap();
    let got: Vec<(usize, f64)> = deciles.iter().map(|d| (d.customers, d.sales)).collect();
    assert_eq!(
        got,
        [
            (2, 27.0),
            (1, 7.0),
            (1, 7.0),
            (1, 6.0),
            (1, 5.0),
            (1, 4.0),
            (1, 3.0),
            (1, 2.0),
            (1, 1.0),
            (1, 0.5)
        ]
    );
}

#[test]
fn negative_profit_and_negative_totals() {
    // Profit: 30 + 10 − 25 = 15; ranked by sales the cumulative profit share goes 2, 2.67, 1.
    let table = table_of(&[("a", 100.0, 30.0), ("b", 50.0, 10.0), ("c", 40.0, -25.0)]);
    let deciles = customer_deciles(&table, DecileBasis::Sales).unwrap();
    let cumulative: Vec<Option<f64>> = deciles[..3]
        .iter()
        .map(|d| d.cumulative_profit_share)
        .collect();
    assert!(close_opt(cumulative[0], Some(2.0)) && close_opt(cumulative[1], Some(40.0 / 15.0)));
    assert_eq!(cumulative[2], Some(1.0));
    let over = overshoot(deciles.iter().map(|d| d.cumulative_profit_share));
    assert_eq!(
        over,
        Overshoot {
            above_full: true,
            below_zero: false
        }
    );
    assert!(!overshoot(deciles.iter().map(|d| d.cumulative_sales_share)).any());
    assert_eq!(deciles[2].margin, Some(-25.0 / 40.0));

    // A negative total profit: ranked by profit, the first decile's share is negative.
    let losing = table_of(&[("a", 100.0, 10.0), ("b", 50.0, -30.0)]);
    let by_profit = customer_deciles(&losing, DecileBasis::Profit).unwrap();
    assert_eq!(by_profit[0].profit_share, Some(10.0 / -20.0));
    assert_eq!(by_profit[1].cumulative_profit_share, Some(1.0));
    assert!(overshoot(by_profit.iter().map(|d| d.cumulative_profit_share)).below_zero);
    assert_eq!(value_deciles(&losing, DecileBasis::Profit).unwrap(), []);
    let curve = lorenz(&losing, DecileBasis::Profit).unwrap();
    assert_eq!(
        (
            curve.points.len(),
            curve.gini,
            curve.pareto80_customer_share
        ),
        (0, None, None)
    );
}

#[test]
fn no_profit_column_means_no_profit_shares() {
    let table = table_with(&[("a", 10.0, 0.0), ("b", 5.0, 0.0)], Columns::default());
    let deciles = customer_deciles(&table, DecileBasis::Sales).unwrap();
    assert!(deciles
        .iter()
        .all(|d| d.profit_share.is_none() && d.margin.is_none()));
    assert_eq!(deciles[0].sales_share, Some(10.0 / 15.0));
}

#[test]
fn average_order_value_per_decile() {
    let mut table = table_of(&[("a", 100.0, 0.0), ("b", 0.0, 0.0)]);
    table.customers[0].orders = 4;
    table.customers[1].orders = 0;
    let deciles = customer_deciles(&table, DecileBasis::Sales).unwrap();
    assert_eq!(
        (deciles[0].orders, deciles[0].average_order_value),
        (4, 25.0)
    );
    assert_eq!(
        (deciles[1].orders, deciles[1].average_order_value),
        (0, 0.0)
    );
}

#[test]
fn value_deciles_hand_computed() {
    // (name, sales, customers per slice, cumulative customers after slice 10)
    let cases: Vec<(&str, Vec<f64>, [usize; 10], usize)> = vec![
        ("ten equal", vec![1.0; 10], [1; 10], 10),
        // 35 reaches the cuts at 10, 20 and 30 %; 25 reaches 40, 50 and 60 %; …
        (
            "straddlers",
            vec![35.0, 25.0, 20.0, 10.0, 10.0],
            [1, 0, 0, 1, 0, 0, 1, 0, 1, 1],
            5,
        ),
        // Cuts that fall exactly on a customer (30 %, 50 % …) are reached by that customer,
        // not missed by a rounding hair.
        (
            "exact boundaries",
            vec![0.3, 0.2, 0.2, 0.1, 0.1, 0.1],
            [1, 0, 0, 1, 0, 1, 0, 1, 1, 1],
            6,
        ),
        // Zero and negative customers come after the total is reached: in no slice.
        (
            "returns at the end",
            vec![50.0, 40.0, 30.0, 0.0, -20.0],
            [1, 0, 0, 0, 0, 1, 0, 0, 0, 1],
            3,
        ),
        ("one customer", vec![7.0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 1),
    ];
    for (name, sales, expected, last) in cases {
        let table = numbered(sales.len(), |i| sales[i]);
        let slices = value_deciles(&table, DecileBasis::Sales).unwrap();
        let got: Vec<usize> = slices.iter().map(|s| s.customers).collect();
        assert_eq!(got, expected, "{name}");
        assert_eq!(slices[9].cumulative_customers, last, "{name}");
        assert!(
            slices
                .iter()
                .all(|s| s.cumulative_value_share >= s.cut_share - 1e-9),
            "{name}"
        );
    }
    let zero = numbered(3, |i| [5.0, 0.0, -5.0][i]);
    assert_eq!(value_deciles(&zero, DecileBasis::Sales).unwrap(), []);
}

#[test]
fn value_slice_fields() {
    let table = numbered(4, |i| [40.0, 30.0, 20.0, 10.0][i]);
    let slices = value_deciles(&table, DecileBasis::Sales).unwrap();
    let first = &slices[0];
    assert_eq!(
        (
            first.index,
            first.customers,
            first.cumulative_customers,
            first.value
        ),
        (1, 1, 1, 40.0)
    );
    assert!(
        close(first.cumulative_customer_share, 0.25) && close(first.cumulative_value_share, 0.4)
    );
    assert_eq!(
        (slices[4].index, slices[4].customers, slices[4].value),
        (5, 1, 30.0)
    );
    assert!(close(slices[9].cut_share, 1.0) && close(slices[9].cumulative_value_share, 1.0));
}

#[test]
fn gini_and_pareto_hand_computed() {
    /// Name, sales, Gini, Pareto point.
    type Case = (&'static str, Vec<f64>, Option<f64>, Option<f64>);
    let cases: Vec<Case> = vec![
        ("one customer", vec![9.0], Some(0.0), Some(1.0)),
        // 80 % of 24 is 19.2: the seventh customer reaches it.
        ("all equal", vec![3.0; 8], Some(0.0), Some(0.875)),
        // Σ(2i − 5)·x over 1, 2, 3, 4 = −3 − 2 + 3 + 12 = 10; / (4 · 10) = 0.25.
        // Descending 4, 7, 9: 80 % of 10 is reached by the third customer.
        ("1 2 3 4", vec![1.0, 2.0, 3.0, 4.0], Some(0.25), Some(0.75)),
        // One customer has everything: (n − 1) / n.
        (
            "concentrated",
            vec![0.0, 0.0, 0.0, 8.0],
            Some(0.75),
            Some(0.25),
        ),
        // Signed: −1, 1, 2 → (−2·−1 + 0 + 2·2) / (3 · 2) = 1; above the usual bound.
        ("negative", vec![-1.0, 1.0, 2.0], Some(1.0), Some(1.0 / 3.0)),
        ("zero total", vec![2.0, -2.0], None, None),
        ("negative total", vec![1.0, -2.0], None, None),
    ];
    for (name, sales, gini, pareto) in cases {
        let table = numbered(sales.len(), |i| sales[i]);
        let curve = lorenz(&table, DecileBasis::Sales).unwrap();
        assert!(close_opt(curve.gini, gini), "{name}: gini {:?}", curve.gini);
        assert!(
            close_opt(curve.pareto80_customer_share, pareto),
            "{name}: pareto {:?}",
            curve.pareto80_customer_share
        );
    }
}

#[test]
fn lorenz_points_small_and_downsampled() {
    let table = numbered(4, |i| [1.0, 2.0, 3.0, 4.0][i]);
    let curve = lorenz(&table, DecileBasis::Sales).unwrap();
    let points: Vec<(f64, f64)> = curve
        .points
        .iter()
        .map(|p| (p.customer_share, p.value_share))
        .collect();
    assert_eq!(
        points,
        [(0.0, 0.0), (0.25, 0.1), (0.5, 0.3), (0.75, 0.6), (1.0, 1.0)]
    );
    assert!(!curve.overshoot.any());

    // Many customers: at most MAX_LORENZ_POINTS, ends kept, increasing customer share, and
    // the lowest point of the dip below zero kept exactly.
    let n = 10_007;
    let table = numbered(n, |i| if i < 1_234 { -1.0 } else { (i % 97) as f64 });
    let curve = lorenz(&table, DecileBasis::Sales).unwrap();
    assert!(curve.points.len() <= MAX_LORENZ_POINTS && curve.points.len() > 500);
    assert_eq!(
        curve.points[0],
        LorenzPoint {
            customer_share: 0.0,
            value_share: 0.0
        }
    );
    assert_eq!(curve.points.last().map(|p| p.value_share), Some(1.0));
    assert_eq!(curve.points.last().map(|p| p.customer_share), Some(1.0));
    assert!(curve
        .points
        .windows(2)
        .all(|w| w[0].customer_share < w[1].customer_share));
    let lowest = curve
        .points
        .iter()
        .map(|p| p.value_share)
        .fold(f64::INFINITY, f64::min);
    assert!(close(lowest, -1_234.0 / curve.total));
    assert_eq!(
        curve.overshoot,
        Overshoot {
            above_full: false,
            below_zero: true
        }
    );
    assert!(curve.gini.is_some_and(|g| g > 0.0));
}

#[test]
fn config_validation_names_the_field() {
    type Edit = fn(&mut GroupConfig);
    let cases: [(&str, Edit); 16] = [
        ("analysis_day", |c| {
            c.analysis_day = Some(Day::from_epoch_days(-800_000))
        }),
        ("analysis_day", |c| c.analysis_day = Some(Day::LAST)),
        ("period_months", |c| c.period_months = 0),
        ("period_months", |c| c.period_months = 121),
        ("decline_threshold", |c| c.decline_threshold = 0.0),
        ("decline_threshold", |c| c.decline_threshold = 1.5),
        ("decline_threshold", |c| c.decline_threshold = f64::NAN),
        ("retain_sales_share", |c| c.retain_sales_share = 0.0),
        ("retain_sales_share", |c| {
            c.retain_sales_share = f64::INFINITY
        }),
        ("grow_from_share", |c| c.grow_from_share = -0.1),
        ("grow_to_share", |c| c.grow_to_share = 0.4),
        ("grow_to_share", |c| c.grow_to_share = 1.01),
        ("transaction_margin_decile", |c| {
            c.transaction_margin_decile = 0
        }),
        ("transaction_margin_decile", |c| {
            c.transaction_margin_decile = 11
        }),
        ("transaction_max_orders", |c| c.transaction_max_orders = 0),
        ("analysis_day", |c| c.analysis_day = Some(NO_DAY)),
    ];
    assert_eq!(GroupConfig::default().validate(), Ok(()));
    for (field, edit) in cases {
        let mut config = GroupConfig::default();
        edit(&mut config);
        let result = config.validate();
        assert!(
            matches!(&result, Err(Error::Parameter { name, .. }) if name == field),
            "{field}: {result:?}"
        );
        let table = table_of(&[("a", 1.0, 1.0)]);
        assert!(customer_groups(&table, &config).is_err(), "{field}");
    }
    let edge = GroupConfig {
        grow_from_share: 0.0,
        grow_to_share: 1.0,
        decline_threshold: 1.0,
        retain_sales_share: 1.0,
        transaction_margin_decile: 10,
        period_months: 120,
        analysis_day: Some(DAY_RANGE.1),
        ..Default::default()
    };
    assert_eq!(edge.validate(), Ok(()));
    assert_eq!(
        DAY_RANGE,
        (
            Day::from_civil(1, 1, 1).unwrap(),
            Day::from_civil(9999, 12, 31).unwrap()
        )
    );
}

#[test]
fn retain_and_grow_follow_cumulative_sales() {
    // Sales 30 20 10 10 10 5 5 5 3 2 (total 100), ranked a…j.
    let sales = [30.0, 20.0, 10.0, 10.0, 10.0, 5.0, 5.0, 5.0, 3.0, 2.0];
    let ids_ = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    let rows: Vec<(&str, f64, f64)> = ids_
        .iter()
        .zip(sales)
        .map(|(&id, s)| (id, s, s / 5.0))
        .collect();
    let table = table_of(&rows);
    /// Retain share, grow from, grow to, retain, grow.
    type Case = (
        f64,
        f64,
        f64,
        &'static [&'static str],
        &'static [&'static str],
    );
    // Cumulative sales: a 30, b 50, c 60, d 70, e 80, f 85, g 90, h 95, i 98, j 100.
    let cases: [Case; 6] = [
        // b covers 30–50: it straddles 40 and reaches 50 (value slice 5 is empty here).
        (0.10, 0.40, 0.50, &["a"], &["b"]),
        // One customer straddles both ends.
        (0.10, 0.35, 0.45, &["a"], &["b"]),
        // c straddles 55, e straddles 75.
        (0.10, 0.55, 0.75, &["a"], &["c", "d", "e"]),
        (0.30, 0.50, 0.60, &["a"], &["c"]),
        (0.31, 0.60, 0.90, &["a", "b"], &["d", "e", "f", "g"]),
        (
            1.00,
            0.00,
            0.30,
            &["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
            &["a"],
        ),
    ];
    for (retain_share, from, to, retain, grow) in cases {
        let config = GroupConfig {
            retain_sales_share: retain_share,
            grow_from_share: from,
            grow_to_share: to,
            ..Default::default()
        };
        let groups = customer_groups(&table, &config).unwrap();
        assert_eq!(ids(&table, &groups.retain), retain, "retain {retain_share}");
        assert_eq!(ids(&table, &groups.grow), grow, "grow {from}–{to}");
    }
    let losing = table_of(&[("a", 5.0, 1.0), ("b", -5.0, 1.0)]);
    let groups = customer_groups(&losing, &GroupConfig::default()).unwrap();
    assert_eq!(
        (groups.status.retain, groups.status.grow),
        (GroupStatus::NoPositiveSales, GroupStatus::NoPositiveSales)
    );
    assert!(groups.retain.is_empty() && groups.grow.is_empty());
}

/// A dated customer: `(month index, sales, profit)` buckets.
fn dated(id: &str, months: &[(Month, f64, f64)]) -> Customer {
    let month_totals: Vec<MonthTotal> = months
        .iter()
        .map(|&(month, sales, profit)| MonthTotal {
            month,
            sales,
            profit,
        })
        .collect();
    let first = months.iter().map(|m| m.0.first_day().unwrap()).min();
    let last = months
        .iter()
        .map(|m| m.0.first_day().unwrap().plus_days(9))
        .max();
    Customer {
        id: id.into(),
        rows: months.len() as u32,
        orders: months.len() as u32,
        sales: months.iter().map(|m| m.1).sum(),
        profit: months.iter().map(|m| m.2).sum(),
        first,
        last,
        months: month_totals.into(),
        ..Default::default()
    }
}

#[test]
fn declining_compares_whole_month_periods() {
    let month = |year: i32, month: i32| Month::from_index(year * 12 + month - 1);
    let customers = vec![
        // 100 → 70: down exactly 30 %, still profitable → declining.
        dated(
            "a",
            &[(month(2023, 3), 100.0, 10.0), (month(2024, 3), 70.0, 5.0)],
        ),
        // 100 → 71: down 29 %.
        dated(
            "b",
            &[(month(2023, 3), 100.0, 10.0), (month(2024, 3), 71.0, 5.0)],
        ),
        // 100 → 50 but a loss in the latest period.
        dated(
            "c",
            &[(month(2023, 3), 100.0, 10.0), (month(2024, 3), 50.0, -1.0)],
        ),
        // Stopped buying: lost, not declining.
        dated("d", &[(month(2023, 3), 100.0, 10.0)]),
        // New customer: nothing in the previous period.
        dated("e", &[(month(2024, 3), 100.0, 10.0)]),
        // Older than both periods: ignored; 0 → 10.
        dated(
            "f",
            &[(month(2021, 1), 900.0, 90.0), (month(2024, 12), 10.0, 1.0)],
        ),
        // Net returns in the latest period: down more than 100 %, but a profit: declining.
        dated(
            "g",
            &[
                (month(2023, 1), 40.0, 4.0),
                (month(2024, 1), 50.0, 5.0),
                (month(2024, 2), -60.0, -1.0),
            ],
        ),
    ];
    let table = CustomerTable {
        customers,
        columns: ALL_COLUMNS,
    };
    let groups = customer_groups(&table, &GroupConfig::default()).unwrap();
    assert_eq!(ids(&table, &groups.declining), ["a", "g"]);
    // Latest purchase 2024-12-10 → analysis day 2024-12-11; periods 2024 and 2023.
    let periods = groups.periods.unwrap();
    let analysis_day = Day::from_civil(2024, 12, 11).unwrap();
    assert_eq!(groups.config.analysis_day, Some(analysis_day));
    assert_eq!(periods.analysis_day, analysis_day);
    assert_eq!(
        (periods.latest.first_day, periods.latest.last_day),
        (
            Day::from_civil(2024, 1, 1).unwrap(),
            Day::from_civil(2024, 12, 31).unwrap()
        )
    );
    assert_eq!(
        (periods.previous.first_day, periods.previous.last_day),
        (
            Day::from_civil(2023, 1, 1).unwrap(),
            Day::from_civil(2023, 12, 31).unwrap()
        )
    );
    assert_eq!(
        (periods.latest.first_month, periods.latest.last_month),
        (month(2024, 1), month(2024, 12))
    );

    // An analysis day on the first of a month ends the latest period with the month before;
    // 6-month periods: latest 2024-01 … 2024-06 (a's 70), previous 2023-07 … 2023-12 (none).
    let config = GroupConfig {
        analysis_day: Day::from_civil(2024, 7, 1),
        period_months: 6,
        ..Default::default()
    };
    let groups = customer_groups(&table, &config).unwrap();
    let periods = groups.periods.unwrap();
    assert_eq!(
        (
            periods.latest.first_day,
            periods.latest.last_day,
            periods.previous.first_day
        ),
        (
            Day::from_civil(2024, 1, 1).unwrap(),
            Day::from_civil(2024, 6, 30).unwrap(),
            Day::from_civil(2023, 7, 1).unwrap()
        )
    );
    assert!(groups.declining.is_empty());
    let a = period_sales(&table.customers[0], &periods);
    assert_eq!(
        (a.previous_sales, a.latest_sales, a.change()),
        (0.0, 70.0, None)
    );

    // Without dates or without profit, declining is not computed.
    for (columns, status) in [
        (
            Columns {
                date: false,
                ..ALL_COLUMNS
            },
            GroupStatus::NoDateColumn,
        ),
        (
            Columns {
                profit: false,
                ..ALL_COLUMNS
            },
            GroupStatus::NoProfitColumn,
        ),
    ] {
        let table = CustomerTable {
            customers: table.customers.clone(),
            columns,
        };
        let groups = customer_groups(&table, &GroupConfig::default()).unwrap();
        assert_eq!(
            (groups.status.declining, groups.declining.len()),
            (status, 0)
        );
    }
}

#[test]
fn transaction_customers_are_low_margin_and_low_frequency() {
    // 13 customers with positive sales (neg and zero are not): margins 0.01 (four, tied), 0.05,
    // 0.20 … 0.27; margin deciles of 2, 2, 2, 1 …; the bottom decile ends at 0.01 and the
    // whole tie at 0.01 is low margin.
    let mut rows: Vec<(String, f64, f64, u32)> = vec![
        ("low1".into(), 100.0, 1.0, 1),
        ("low2".into(), 200.0, 2.0, 1),
        ("low3".into(), 300.0, 3.0, 1),
        ("lowmany".into(), 100.0, 1.0, 5),
        ("mid".into(), 100.0, 5.0, 1),
        ("neg".into(), -50.0, -40.0, 1),
        ("zero".into(), 0.0, -3.0, 1),
    ];
    for i in 0..8 {
        rows.push((format!("z{i}"), 100.0, 20.0 + i as f64, 1));
    }
    let mut customers: Vec<Customer> = rows
        .iter()
        .map(|(id, s, p, o)| customer(id, *s, *p, *o))
        .collect();
    customers.sort_by(|a, b| a.id.cmp(&b.id));
    let table = CustomerTable {
        customers,
        columns: ALL_COLUMNS,
    };
    // (margin deciles, max orders, members, limit)
    let cases: [(u8, u32, &[&str], f64); 5] = [
        (1, 1, &["low3", "low2", "low1"], 0.01),
        (1, 5, &["low3", "low2", "low1", "lowmany"], 0.01),
        // The four customers at 0.01 fill the two lowest deciles.
        (2, 1, &["low3", "low2", "low1"], 0.01),
        (3, 1, &["low3", "low2", "low1", "mid", "z0"], 0.20),
        (
            10,
            1,
            &[
                "low3", "low2", "low1", "mid", "z0", "z1", "z2", "z3", "z4", "z5", "z6", "z7",
            ],
            0.27,
        ),
    ];
    for (deciles, max_orders, expected, limit) in cases {
        let config = GroupConfig {
            transaction_margin_decile: deciles,
            transaction_max_orders: max_orders,
            ..Default::default()
        };
        let groups = customer_groups(&table, &config).unwrap();
        assert_eq!(
            ids(&table, &groups.transaction),
            expected,
            "{deciles} deciles, {max_orders} orders"
        );
        assert!(close_opt(groups.transaction_margin_limit, Some(limit)));
        assert_eq!(groups.status.transaction, GroupStatus::Computed);
    }
    let no_profit = CustomerTable {
        customers: table.customers.clone(),
        columns: Columns {
            profit: false,
            ..ALL_COLUMNS
        },
    };
    let groups = customer_groups(&no_profit, &GroupConfig::default()).unwrap();
    assert_eq!(
        (groups.status.transaction, groups.transaction_margin_limit),
        (GroupStatus::NoProfitColumn, None)
    );
    // All margins equal: the bottom decile's margin is everyone's margin.
    let equal = numbered(20, |_| 10.0);
    let groups = customer_groups(&equal, &GroupConfig::default()).unwrap();
    assert_eq!(groups.transaction.len(), 20);
}

#[test]
fn group_csv_columns_and_injection() {
    let mut table = table_of(&[("=cmd()", 100.0, 25.0), ("b", 50.0, 5.0)]);
    table.customers[0].orders = 4;
    table.columns.date = false;
    let config = GroupConfig {
        retain_sales_share: 1.0,
        ..Default::default()
    };
    let groups = customer_groups(&table, &config).unwrap();
    let csv = group_csv(
        &table,
        &groups,
        GroupKind::Retain,
        &GroupCsvLabels::default(),
    );
    assert_eq!(
        csv,
        "\u{feff}customer,orders,sales,profit,margin,average order value\r\n\
         '=cmd(),4,100,25,0.25,25\r\n\
         b,1,50,5,0.1,50\r\n"
    );

    let month = |year: i32, month: i32| Month::from_index(year * 12 + month - 1);
    let table = CustomerTable {
        customers: vec![dated(
            "a",
            &[(month(2023, 3), 100.0, 10.0), (month(2024, 3), 65.0, 5.0)],
        )],
        columns: ALL_COLUMNS,
    };
    let groups = customer_groups(&table, &GroupConfig::default()).unwrap();
    let csv = group_csv(
        &table,
        &groups,
        GroupKind::Declining,
        &GroupCsvLabels::default(),
    );
    assert_eq!(
        csv,
        "\u{feff}customer,orders,sales,profit,margin,average order value,first purchase,\
         last purchase,previous period sales,latest period sales,change\r\n\
         a,2,165,15,0.0909,82.5,2023-03-01,2024-03-10,100,65,-0.35\r\n"
    );
}

#[test]
fn analysis_figures_are_named_and_complete() {
    let table = numbered(20, |i| (i + 1) as f64);
    let analysis = analyse_deciles(&table, &GroupConfig::default()).unwrap();
    let figures = analysis.figures();
    let names: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names.len(), 26);
    assert_eq!(
        &names[..3],
        ["gini", "pareto80_customer_share", "decile_sales_share_1"]
    );
    assert_eq!(names[11], "decile_sales_share_10");
    assert_eq!(names[12], "decile_profit_share_1");
    assert_eq!(
        &names[22..],
        [
            "group_retain",
            "group_grow",
            "group_declining",
            "group_transaction"
        ]
    );
    // Sales 1 … 20 (total 210): decile 1 is 20 + 19.
    assert!(close_opt(figures[2].value, Some(39.0 / 210.0)));
    assert!(close_opt(figures[12].value, Some(39.0 / 210.0)));
    // No dated customers: declining was not computed.
    assert_eq!(figures[24].value, None);
    // Retain: 20 < 21 (10 % of 210), 20 + 19 reaches it.
    assert_eq!(figures[22].value, Some(2.0));
    // The analysis agrees with the separate functions.
    assert_eq!(
        analysis.by_sales,
        customer_deciles(&table, DecileBasis::Sales).unwrap()
    );
    assert_eq!(
        analysis.lorenz_profit,
        Some(lorenz(&table, DecileBasis::Profit).unwrap())
    );
    assert_eq!(
        analysis.groups,
        customer_groups(&table, &GroupConfig::default()).unwrap()
    );
}

/// 600 customers with ties, returns and losses, ids in the given order (`sorted` or not).
fn mixed(sorted: bool) -> CustomerTable {
    let mut customers: Vec<Customer> = (0..600u32)
        .map(|i| {
            let sales = f64::from((i * 7919) % 211) * 3.5 - 40.0;
            let profit = f64::from((i * 104_729) % 97) - 20.0;
            let mut c = customer(&format!("k{:04}", (i * 37) % 600), sales, profit, 1 + i % 5);
            // A month a year before the last day, and one in the last month: some decline.
            let (first, last) = (Day::from_epoch_days(19_030), Day::from_epoch_days(19_400));
            let later = f64::from(i % 3) * sales / 2.0;
            c.months = vec![
                MonthTotal {
                    month: first.month(),
                    sales,
                    profit,
                },
                MonthTotal {
                    month: last.month(),
                    sales: later,
                    profit: profit.abs() + 1.0,
                },
            ]
            .into();
            (c.first, c.last) = (Some(first), Some(last));
            c
        })
        .collect();
    if sorted {
        customers.sort_by(|a, b| a.id.cmp(&b.id));
    }
    CustomerTable {
        customers,
        columns: ALL_COLUMNS,
    }
}

/// [`mixed`] with its ids sorted and not, each with and without a profit column.
fn mixed_tables() -> Vec<(bool, CustomerTable)> {
    let without_profit = Columns {
        profit: false,
        ..ALL_COLUMNS
    };
    let mut tables = Vec::new();
    for sorted in [true, false] {
        for columns in [ALL_COLUMNS, without_profit] {
            let table = CustomerTable {
                columns,
                ..mixed(sorted)
            };
            tables.push((sorted, table));
        }
    }
    tables
}

#[test]
fn the_analysis_taken_in_steps_is_the_analysis_at_once_after_any_number_of_steps() {
    for (sorted, table) in mixed_tables() {
        let columns = table.columns;
        let config = GroupConfig::default();
        let whole = analyse_deciles(&table, &config).unwrap();
        let mut steps = DecileSteps::new(&table, &config).unwrap();
        let mut count = 0;
        while steps.step(&table) {
            count += 1;
        }
        // The id check, a ranking (its keys, its sort a byte a piece when the ids are sorted,
        // its values), deciles, curves, groups (the retain and grow groups; with a profit
        // column the declining flags, the declining group, the margins and the transaction
        // group), and the same for profit.
        let least = if columns.profit { 16 } else { 7 };
        if columns.profit {
            let groups = &whole.groups;
            assert_eq!(groups.status.declining, GroupStatus::Computed);
            assert!(!groups.declining.is_empty() && !groups.transaction.is_empty());
        }
        assert!(
            count >= least,
            "sorted {sorted}, profit {}: {count}",
            columns.profit
        );
        assert_eq!(steps.finish(&table).unwrap(), whole);
        for taken in 0..=count {
            let mut steps = DecileSteps::new(&table, &config).unwrap();
            for _ in 0..taken {
                steps.step(&table);
            }
            assert_eq!(steps.finish(&table).unwrap(), whole, "after {taken} steps");
        }
    }
}

#[test]
fn steps_begun_on_one_table_do_nothing_on_another() {
    let table = mixed(true);
    let config = GroupConfig::default();
    let mut steps = DecileSteps::new(&table, &config).unwrap();
    steps.step(&table);
    let other = numbered(12, |i| i as f64);
    assert!(!steps.step(&other));
    assert_eq!(steps.finish(&other), Err(Error::NoData));
}

/// The chosen customers' analysis under the whole table's scores, from the at-once pieces
/// (each basis ranked by [`Ranked::new`], the groups by [`groups_of`]): what
/// [`DecileWithinSteps`] must give after any number of steps.
fn within_at_once(
    table: &CustomerTable,
    chosen: &[usize],
    sub: &CustomerTable,
    config: &GroupConfig,
) -> DecileAnalysis {
    let position = |index: usize| chosen.binary_search(&index).ok();
    let kept = |ranked: &Ranked| {
        let (mut order, mut sizes, mut at) = (Vec::new(), [0; DECILES], 0);
        for (size, kept) in decile_sizes(ranked.order.len()).into_iter().zip(&mut sizes) {
            for &index in &ranked.order[at..at + size] {
                if let Some(p) = position(index) {
                    order.push(p);
                    *kept += 1;
                }
            }
            at += size;
        }
        deciles_sized(sub, &order, sizes)
    };
    let sales = Ranked::new(&table.customers, DecileBasis::Sales);
    let profit = table
        .columns
        .profit
        .then(|| Ranked::new(&table.customers, DecileBasis::Profit));
    let own_sales = Ranked::new(&sub.customers, DecileBasis::Sales);
    let own_profit = sub
        .columns
        .profit
        .then(|| Ranked::new(&sub.customers, DecileBasis::Profit));
    let mut groups = groups_of(table, config, &sales).unwrap();
    for members in [
        &mut groups.retain,
        &mut groups.grow,
        &mut groups.declining,
        &mut groups.transaction,
    ] {
        *members = members.iter().filter_map(|&i| position(i)).collect();
    }
    groups.member_sales = None;
    DecileAnalysis {
        by_sales: kept(&sales),
        by_profit: profit.as_ref().map(kept),
        value_by_sales: value_slices(&own_sales),
        value_by_profit: own_profit.as_ref().map(value_slices),
        lorenz_sales: lorenz_of(&own_sales, DecileBasis::Sales),
        lorenz_profit: own_profit
            .as_ref()
            .map(|p| lorenz_of(p, DecileBasis::Profit)),
        groups,
    }
}

#[test]
fn the_chosen_customers_analysis_in_steps_is_the_analysis_at_once() {
    for (sorted, table) in mixed_tables() {
        let columns = table.columns;
        let config = GroupConfig::default();
        // Every third customer, and the first.
        let chosen: Vec<usize> = (0..table.customers.len()).filter(|i| i % 3 == 0).collect();
        let sub = CustomerTable {
            customers: chosen.iter().map(|&i| table.customers[i].clone()).collect(),
            columns,
        };
        let expected = within_at_once(&table, &chosen, &sub, &config);
        assert!(!expected.groups.retain.is_empty());
        assert_eq!(
            analyse_deciles_within(&table, &chosen, &sub, &config).unwrap(),
            expected
        );
        let mut steps = DecileWithinSteps::new(&table, &chosen, &sub, &config).unwrap();
        let mut count = 0;
        while steps.step(&table, &sub) {
            count += 1;
        }
        assert!(count >= 10, "sorted {sorted}: {count} steps");
        for taken in 0..=count {
            let mut steps = DecileWithinSteps::new(&table, &chosen, &sub, &config).unwrap();
            for _ in 0..taken {
                steps.step(&table, &sub);
            }
            let analysis = steps.finish(&table, &chosen, &sub).unwrap();
            assert_eq!(analysis, expected, "sorted {sorted}, after {taken} steps");
        }
        // Steps given other tables do nothing, and finish on them is no data.
        let mut steps = DecileWithinSteps::new(&table, &chosen, &sub, &config).unwrap();
        steps.step(&table, &sub);
        assert!(!steps.step(&sub, &sub));
        assert_eq!(steps.finish(&sub, &chosen, &sub), Err(Error::NoData));
    }
}

/// The period sums read from purchase days (compared day by day against the months' first
/// days) are those of the customer's months (summed from the same days) to the last bit: days
/// before, inside and after the periods, several a month, months across year ends, amounts
/// whose sums depend on their order, any period length.
#[test]
fn period_sums_of_purchase_days_are_those_of_their_months_to_the_bit() {
    use crate::engine::customers::{Months, MonthsOfDays};
    use crate::engine::history::{PurchaseDay, PurchaseHistory};
    use std::sync::Arc;

    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let start = Day::from_civil(2021, 11, 20).unwrap();
    let customers: Vec<Vec<PurchaseDay>> = (0..400)
        .map(|_| {
            let count = next(12);
            let mut days: Vec<i32> = (0..count).map(|_| next(1_100) as i32).collect();
            days.sort_unstable();
            days.dedup();
            days.into_iter()
                .map(|d| PurchaseDay {
                    day: start.plus_days(d),
                    orders: 1,
                    purchase: true,
                    sales: (next(200_000) as f64 - 50_000.0) / 100.0 + 0.1,
                    profit: (next(9_000) as f64) / 7.0,
                    quantity: 1.0,
                })
                .collect()
        })
        .collect();
    let history = Arc::new(PurchaseHistory::from_days(true, true, &customers));
    for (analysis, months) in [
        ((2024, 3, 15), 12),
        ((2023, 1, 1), 6),
        ((2022, 12, 31), 1),
        ((2030, 1, 1), 24),
    ] {
        let (y, m, d) = analysis;
        let periods = periods_for(Day::from_civil(y, m, d).unwrap(), months).unwrap();
        let sums = PeriodSums::new(&periods);
        let mut passed_over = 0;
        for (index, days) in customers.iter().enumerate() {
            let read = Customer {
                months: Months::of_days(history.clone(), index),
                first: days.first().map(|d| d.day),
                last: days.last().map(|d| d.day),
                ..Customer::default()
            };
            let kept = Customer {
                months: MonthsOfDays::new(history.days(index)).collect(),
                ..Customer::default()
            };
            assert!(matches!(kept.months, Months::Kept(_)));
            let (a, b) = (sums.of(&read), sums.of(&kept));
            let bits = |s: PeriodSales| {
                [s.previous_sales, s.latest_sales, s.latest_profit].map(f64::to_bits)
            };
            assert_eq!(
                bits(a),
                bits(b),
                "customer {index}, {analysis:?}, {months} months"
            );
            // Passed over by the declining group: nothing in one of the periods.
            if !sums.may_have_both(&read) {
                passed_over += 1;
                assert!(a.previous_sales == 0.0 || (a.latest_sales, a.latest_profit) == (0.0, 0.0));
            }
            assert!(sums.may_have_both(&kept), "kept months are always read");
        }
        // Some customers read, some passed over; all passed over in 2030, after every day.
        let all_before = analysis.0 == 2030;
        assert!(
            passed_over > 0 && (passed_over < customers.len()) != all_before,
            "{passed_over} passed over, {analysis:?}"
        );
    }
}

/// The ranking read and gathered a few customers a piece, and the customer deciles summed a few
/// a piece, are the values, totals and sums taken member by member at once, for tables whose
/// sizes the pieces do not divide (and deciles of one customer or none).
#[test]
fn the_pieces_of_the_ranking_and_the_decile_sums_join() {
    for n in [1, 2, 3, 9, 10, 11, 29, 101, 1000] {
        let table = numbered(n, |i| ((i * 7919) % 1013) as f64 / 4.0 - 20.0);
        let ranked = Ranked::new(&table.customers, DecileBasis::Sales);
        let mut total = Sum::default();
        for (&i, &value) in ranked.order.iter().zip(&ranked.values) {
            assert_eq!(
                value.to_bits(),
                table.customers[i].sales.to_bits(),
                "n = {n}"
            );
            total.add(value);
        }
        assert_eq!(ranked.values.len(), n);
        assert_eq!(
            ranked.total.value.to_bits(),
            total.value.to_bits(),
            "n = {n}"
        );
        assert_eq!(ranked.total.magnitude.to_bits(), total.magnitude.to_bits());

        let deciles = deciles_of(&table, &ranked.order);
        assert_eq!(deciles.len(), DECILES);
        let mut at = 0;
        for (decile, size) in deciles.iter().zip(decile_sizes(n)) {
            let (mut sales, mut profit, mut orders) = (Sum::default(), Sum::default(), 0u64);
            for &i in &ranked.order[at..at + size] {
                sales.add(table.customers[i].sales);
                profit.add(table.customers[i].profit);
                orders += u64::from(table.customers[i].orders);
            }
            at += size;
            assert_eq!(decile.customers, size, "n = {n}, decile {}", decile.index);
            assert_eq!(decile.cumulative_customers, at);
            assert_eq!(decile.sales.to_bits(), sales.value.to_bits(), "n = {n}");
            assert_eq!(decile.profit.to_bits(), profit.value.to_bits(), "n = {n}");
            assert_eq!(decile.orders, orders);
        }
    }
}

/// The groups' sales found with them are their members' sales summed in their order, read from
/// the records, to the bit (the shares the decile view shows are made from them).
#[test]
fn the_groups_sales_are_their_members_sales() {
    for (_, table) in mixed_tables() {
        for config in [
            GroupConfig::default(),
            GroupConfig {
                transaction_max_orders: 5,
                retain_sales_share: 0.5,
                ..GroupConfig::default()
            },
        ] {
            let ranked = Ranked::new(&table.customers, DecileBasis::Sales);
            let groups = groups_of(&table, &config, &ranked).unwrap();
            let sums = groups.member_sales.expect("found with the groups");
            // A group not computed has no share to show.
            let computed = GroupKind::ALL.into_iter().zip(sums);
            let computed =
                computed.filter(|&(kind, _)| groups.status_of(kind) == GroupStatus::Computed);
            for (kind, sum) in computed {
                let members = groups.members(kind);
                let read: f64 = members.iter().map(|&i| table.customers[i].sales).sum();
                assert_eq!(sum.to_bits(), read.to_bits(), "{kind:?}");
            }
        }
    }
}
