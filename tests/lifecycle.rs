//! The lifecycle analysis (issue 14) on a fixture whose answers are worked out by hand
//! (`tests/fixtures/lifecycle/README.md`), through the aggregator that the import uses.
//! The comparison with an independent pandas computation is `tests/lifecycle_oracle.rs`.

use valuelens::engine::calendar::Day;
use valuelens::engine::customers::{Aggregator, Columns, CustomerTable, Transaction};
use valuelens::engine::history::PurchaseHistory;
use valuelens::engine::lifecycle::*;
use valuelens::engine::rfm::{RfmConfig, SegmentRules};

const HAND: &str = include_str!("fixtures/lifecycle/hand.csv");

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap()
}

/// `customer,order,date,amount,quantity` through the aggregator.
fn load(text: &str) -> (CustomerTable, PurchaseHistory) {
    let mut aggregator = Aggregator::new(Columns {
        order: true,
        date: true,
        profit: false,
        quantity: true,
    });
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        aggregator.add(&Transaction {
            customer: cells[0],
            order: Some(cells[1]),
            day: Some(day(cells[2])),
            amount: cells[3].parse().unwrap(),
            profit: None,
            quantity: Some(cells[4].parse().unwrap()),
        });
    }
    aggregator.finish_with_history()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

fn ids(table: &CustomerTable, indices: impl IntoIterator<Item = usize>) -> Vec<String> {
    indices
        .into_iter()
        .map(|i| table.customers[i].id.to_string())
        .collect()
}

#[test]
fn months_by_hand() {
    let (table, history) = load(HAND);
    let analysis = analyse_lifecycle(&table, &history, &LifecycleConfig::default()).unwrap();
    assert_eq!(
        analysis.window,
        Window {
            first_day: day("2024-01-01"),
            analysis_day: day("2024-05-01")
        }
    );
    let stats = &analysis.series.stats;
    let keys: Vec<String> = stats.iter().map(|s| s.period.key.to_string()).collect();
    assert_eq!(keys, ["2024-01", "2024-02", "2024-03", "2024-04"]);
    assert!(stats.iter().all(|s| !s.period.partial));
    // (active, new, returning, reactivated, lost, previous active)
    let counts: Vec<_> = stats
        .iter()
        .map(|s| {
            (
                s.active,
                s.new,
                s.returning,
                s.reactivated,
                s.lost,
                s.previous_active,
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            (2, 2, None, None, None, None),
            (3, 2, Some(1), Some(0), Some(1), Some(2)),
            (3, 1, Some(1), Some(1), Some(2), Some(3)),
            (1, 0, Some(1), Some(0), Some(2), Some(3)),
        ]
    );
    let (jan, feb, mar, apr) = (&stats[0], &stats[1], &stats[2], &stats[3]);
    assert_eq!((jan.retention, jan.churn), (None, None));
    assert!(close(feb.retention, 0.5) && close(feb.churn, 0.5));
    assert!(close(mar.retention, 1.0 / 3.0) && close(apr.retention, 1.0 / 3.0));
    // Revenue retention: January's A and B made 140, of which 50 in February (A's).
    assert!(close(feb.revenue_retention, 50.0 / 140.0));
    // February's A, C, F made 125; in March A 80, C returned 5, F nothing.
    assert!(close(mar.revenue_retention, 75.0 / 125.0));
    assert!(close(apr.revenue_retention, 10.0 / 240.0));
    // Repeat: C's two orders in February; E's two orders on one March day.
    assert_eq!((feb.repeat, mar.repeat), (1, 1));
    assert!(close(feb.repeat_rate, 1.0 / 3.0) && close(mar.repeat_rate, 1.0 / 3.0));
    // C's return order in March is on a day without activity: not counted.
    assert_eq!((feb.orders, mar.orders), (4, 4));
    assert!(close(mar.orders_per_active, 4.0 / 3.0));
    assert_eq!((mar.sales, mar.active_sales), (235.0, 240.0));
    assert!(close(mar.sales_per_active, 80.0));
    // Add-on: A went 100 → 50 → 80 → 10; at least +20 % only in March (quantity 2 → 2 → 3).
    let addon: Vec<(usize, usize)> = stats
        .iter()
        .map(|s| (s.addon_sales.base, s.addon_sales.grown))
        .collect();
    assert_eq!(addon, [(0, 0), (1, 0), (1, 1), (1, 0)]);
    assert!(close(mar.addon_sales.share, 1.0));
    let quantity = mar.addon_quantity.unwrap();
    assert_eq!((quantity.base, quantity.grown), (1, 1));
    assert_eq!(feb.addon_quantity.unwrap().grown, 0);
}

#[test]
fn returns_count_as_activity_only_when_asked() {
    let (table, history) = load(HAND);
    let config = LifecycleConfig {
        returns_count_as_activity: true,
        ..LifecycleConfig::default()
    };
    let analysis = analyse_lifecycle(&table, &history, &config).unwrap();
    let counts: Vec<(usize, usize)> = analysis
        .series
        .stats
        .iter()
        .map(|s| (s.active, s.new))
        .collect();
    // D (a return only, in January) becomes a new customer; C is active in March.
    assert_eq!(counts, [(3, 3), (3, 2), (4, 1), (1, 0)]);
    assert_eq!(analysis.series.stats[2].returning, Some(2));
}

#[test]
fn cohorts_by_hand_with_cells_after_the_data_not_observed() {
    let (table, history) = load(HAND);
    let analysis = analyse_lifecycle(&table, &history, &LifecycleConfig::default()).unwrap();
    let cohorts = &analysis.cohorts.cohorts;
    let rows: Vec<(String, usize, Vec<Option<f64>>)> = cohorts
        .iter()
        .map(|c| {
            let shares = c.cells.iter().map(|cell| cell.share).collect();
            (c.period.to_string(), c.size, shares)
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "2024-01".into(),
                2,
                vec![Some(1.0), Some(0.5), Some(1.0), Some(0.5)]
            ),
            (
                "2024-02".into(),
                2,
                vec![Some(1.0), Some(0.0), Some(0.0), None]
            ),
            ("2024-03".into(), 1, vec![Some(1.0), Some(0.0), None, None]),
        ]
    );
    assert!(cohorts.iter().all(|c| c.small));
    let feb = &cohorts[1];
    assert_eq!(feb.cells[3].observation, Observation::NotObserved);
    assert_eq!((feb.cells[3].active, feb.cells[3].sales), (None, None));
    // Revenue per original customer: C's return in March.
    assert_eq!(feb.cells[1].sales_per_customer, Some(-2.5));
    assert_eq!(cohorts[0].cells[2].sales_per_customer, Some(70.0));
    let figures = analysis.figures();
    let figure = |name: &str| figures.iter().find(|f| f.name == name).map(|f| f.value);
    assert_eq!(figure("cohort_retention:2024-02:3"), Some(None));
    assert_eq!(figure("cohort_retention:2024-01:1"), Some(Some(0.5)));
    assert_eq!(figure("cohort_size:2024-03"), Some(Some(1.0)));
    assert_eq!(figure("lc_active:2024-03"), Some(Some(3.0)));
    assert_eq!(figure("lc_retention:2024-02"), Some(Some(0.5)));
    assert_eq!(figure("ipt_median_days"), Some(Some(40.0)));
    assert_eq!(figure("lapse_threshold_days"), Some(Some(57.0)));
}

#[test]
fn inter_purchase_times_and_the_lapse_rule_by_hand() {
    let (table, history) = load(HAND);
    let analysis = analyse_lifecycle(&table, &history, &LifecycleConfig::default()).unwrap();
    let lapse = &analysis.lapse;
    // Gaps: A 40, 22, 58; B 55; C 18 (E's two orders are on one day).
    let ipt = &lapse.inter_purchase;
    assert_eq!((ipt.gaps, ipt.repeat_customers), (5, 3));
    assert_eq!(
        (ipt.q1, ipt.median, ipt.q3),
        (Some(22.0), Some(40.0), Some(55.0))
    );
    assert!(close(ipt.p90, 56.8));
    assert_eq!((lapse.lapse_days, lapse.at_risk_days), (Some(57), Some(55)));
    assert_eq!(lapse.lapse_source, ThresholdSource::Suggested);
    // Recency: A 1, B 47, C 71, E 34, F 77 days.
    assert_eq!(
        ids(&table, lapse.lapsed.iter().map(|c| c.index)),
        ["C", "F"]
    );
    assert_eq!(lapse.lapsed[0].sales, 55.0);
    assert!(lapse.at_risk.is_empty());
    let given = LifecycleConfig {
        lapse_days: Some(60),
        at_risk_days: Some(40),
        ..LifecycleConfig::default()
    };
    let lapse = analyse_lifecycle(&table, &history, &given).unwrap().lapse;
    assert_eq!(ids(&table, lapse.at_risk.iter().map(|c| c.index)), ["B"]);
    assert_eq!(lapse.at_risk[0].recency_days, 47);
    let counts: Vec<usize> = lapse.summary.iter().map(|s| s.customers).collect();
    assert_eq!(counts, [2, 1, 2]);
}

#[test]
fn division_by_hand() {
    let (table, history) = load(HAND);
    let analysis = analyse_lifecycle(&table, &history, &LifecycleConfig::default()).unwrap();
    let divisions = &analysis.divisions;
    assert_eq!(divisions.customers, 6);
    assert_eq!(divisions.latest_period.key.to_string(), "2024-04");
    let groups = |kind: DivisionKind| -> Vec<(DivisionGroup, usize, f64)> {
        divisions
            .divisions
            .iter()
            .find(|d| d.kind == kind)
            .unwrap()
            .groups
            .iter()
            .map(|g| (g.group, g.customers, g.sales))
            .collect()
    };
    use DivisionGroup::*;
    assert_eq!(
        groups(DivisionKind::NewOld),
        [(New, 0, 0.0), (Old, 5, 510.0), (NoPurchase, 1, -20.0)]
    );
    assert_eq!(
        groups(DivisionKind::KeyScattered),
        [(Key, 1, 240.0), (Scattered, 5, 250.0)]
    );
    assert_eq!(
        groups(DivisionKind::OneTimeRepeat),
        [
            (OneTime, 1, 15.0),
            (Repeat, 4, 495.0),
            (NoPurchase, 1, -20.0)
        ]
    );
}

#[test]
fn quarters_years_and_two_ranges() {
    let (table, history) = load(HAND);
    let quarters = LifecycleConfig {
        grain: Grain::Quarter,
        ..LifecycleConfig::default()
    };
    let analysis = analyse_lifecycle(&table, &history, &quarters).unwrap();
    let stats = &analysis.series.stats;
    assert_eq!(stats.len(), 2);
    assert_eq!(stats[1].period.key.to_string(), "2024-Q2");
    assert!(stats[1].period.partial && stats[1].comparison_rates_left_out);
    assert_eq!(
        (stats[0].active, stats[1].active, stats[1].lost),
        (5, 1, Some(4))
    );
    assert_eq!(stats[1].retention, None);
    let included = LifecycleConfig {
        include_partial: true,
        ..quarters
    };
    let analysis = analyse_lifecycle(&table, &history, &included).unwrap();
    assert!(close(analysis.series.stats[1].retention, 0.2));

    let a = DateRange {
        first: day("2024-01-01"),
        last: day("2024-01-31"),
    };
    let b = DateRange {
        first: day("2024-03-01"),
        last: day("2024-03-31"),
    };
    let series = compare_ranges(&table, &history, a, b, &LifecycleConfig::default()).unwrap();
    let b_stats = &series.stats[1];
    assert_eq!(b_stats.period.key.to_string(), "2024-03-01..2024-03-31");
    assert_eq!(
        (
            b_stats.active,
            b_stats.new,
            b_stats.returning,
            b_stats.reactivated
        ),
        (3, 1, Some(2), Some(0))
    );
    assert!(close(b_stats.retention, 1.0));
}

#[test]
fn movement_between_two_months_by_hand() {
    let (table, history) = load(HAND);
    let config = LifecycleConfig::default();
    let window = window(&table, &history, None).unwrap();
    let month = |m: &str, last: &str| DateRange {
        first: day(&format!("2024-{m}-01")),
        last: day(&format!("2024-{m}-{last}")),
    };
    // January: A (100) decile 1, B (40) decile 2. March: E (100), A (80), B (60).
    let moved = movement(
        &history,
        &window,
        month("01", "31"),
        month("03", "31"),
        1,
        &config,
    )
    .unwrap();
    assert_eq!((moved.active_a, moved.active_b), (2, 3));
    let cell = |m: &Movement, from, to| m.cell(from, to).unwrap().customers;
    assert_eq!(cell(&moved, From::Decile(1), To::Decile(2)), 1);
    assert_eq!(cell(&moved, From::Decile(2), To::Decile(3)), 1);
    assert_eq!(cell(&moved, From::New, To::Decile(1)), 1);
    assert_eq!(moved.matrix.iter().map(|t| t.customers).sum::<usize>(), 3);
    assert!(moved.lost_top.is_empty());
    // January to April: only A is left; B, of decile 2, is lapsed with its January 40.
    let moved = movement(
        &history,
        &window,
        month("01", "31"),
        month("04", "30"),
        2,
        &config,
    )
    .unwrap();
    assert_eq!(cell(&moved, From::Decile(1), To::Decile(1)), 1);
    assert_eq!(cell(&moved, From::Decile(2), To::Lapsed), 1);
    assert_eq!(ids(&table, moved.lost_top.iter().map(|c| c.index)), ["B"]);
    assert_eq!(
        (moved.lost_top[0].decile_a, moved.lost_top[0].sales_a),
        (2, 40.0)
    );
    let figures = moved.figures();
    assert_eq!(figures.len(), 121);
    assert!(figures
        .iter()
        .any(|f| f.name == "decile_transition:2:lapsed" && f.value == Some(1.0)));
    let error = movement(
        &history,
        &window,
        month("01", "31"),
        month("04", "30"),
        0,
        &config,
    );
    assert!(error.is_err());
}

#[test]
fn rfm_migration_scores_the_state_of_each_day() {
    let (table, history) = load(HAND);
    let rules = SegmentRules::default();
    let rfm = RfmConfig::default();
    let migration = segment_migration(
        &table,
        &history,
        day("2024-03-01"),
        day("2024-05-01"),
        &rfm,
        &rules,
    )
    .unwrap();
    // Before March: A, B, C, D, F; E is not a customer yet.
    assert_eq!(migration.before.scores.customers.len(), 5);
    assert_eq!(migration.after.scores.customers.len(), 6);
    let from_not_yet: usize = migration
        .moves
        .iter()
        .filter(|m| m.from == SegmentState::NotYet)
        .map(|m| m.customers)
        .sum();
    assert_eq!(from_not_yet, 1);
    assert_eq!(
        migration.moves.iter().map(|m| m.customers).sum::<usize>(),
        6
    );
    // On the last day the state is the whole table: the same segments as RFM on the table.
    let whole = valuelens::engine::rfm::analyse_rfm(&table, &rfm, &rules).unwrap();
    assert_eq!(
        whole.segmentation.assignments,
        migration.after.segmentation.assignments
    );
    assert!(migration
        .figures()
        .iter()
        .all(|f| f.name.starts_with("segment_migration:")));
    let backwards = segment_migration(
        &table,
        &history,
        day("2024-05-01"),
        day("2024-03-01"),
        &rfm,
        &rules,
    );
    assert!(backwards.is_err());
}

/// The analysis worker's migration: both days' states made first (the history and the table
/// then let go of), then scored: the migration without its per-customer columns, for any pair
/// of days; days out of order are the same typed error.
#[test]
fn a_migration_of_states_made_first_is_the_migration() {
    use valuelens::engine::lifecycle::{
        segment_migration_summary, segment_migration_summary_of, MigrationStates,
    };
    use valuelens::engine::{Error, ParameterProblem};
    let (table, history) = load(HAND);
    let rules = SegmentRules::default();
    let rfm = RfmConfig::default();
    for (first, second) in [
        ("2024-03-01", "2024-05-01"),
        ("2024-01-15", "2024-02-01"),
        ("2024-02-10", "2030-01-01"),
    ] {
        let (first, second) = (day(first), day(second));
        let states = MigrationStates::new(&table, &history, first, second).unwrap();
        let of_states = segment_migration_summary_of(states, &rfm, &rules);
        let direct = segment_migration_summary(&table, &history, first, second, &rfm, &rules);
        assert_eq!(
            format!("{of_states:?}"),
            format!("{direct:?}"),
            "{first:?} → {second:?}"
        );
        // The same moves as the full migration, whose per-customer columns it leaves out.
        let full = segment_migration(&table, &history, first, second, &rfm, &rules).unwrap();
        assert_eq!(of_states.unwrap().moves, full.moves);
    }
    let backwards = MigrationStates::new(&table, &history, day("2024-05-01"), day("2024-03-01"));
    assert!(matches!(
        backwards,
        Err(Error::Parameter {
            ref name,
            reason: ParameterProblem::OutOfRange { .. }
        }) if name == "migration_second_day"
    ));
}

#[test]
fn bad_parameters_and_no_dates_are_typed_errors() {
    use valuelens::engine::{Error, ParameterProblem};
    let (table, history) = load(HAND);
    let name_of = |config: LifecycleConfig| match analyse_lifecycle(&table, &history, &config) {
        Err(Error::Parameter { name, .. }) => name,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        name_of(LifecycleConfig {
            addon_threshold: 0.0,
            ..Default::default()
        }),
        "addon_threshold"
    );
    assert_eq!(
        name_of(LifecycleConfig {
            lapse_days: Some(0),
            ..Default::default()
        }),
        "lapse_days"
    );
    assert_eq!(
        name_of(LifecycleConfig {
            analysis_day: Some(day("2023-01-01")),
            ..Default::default()
        }),
        "date"
    );
    let undated = CustomerTable {
        columns: Columns::default(),
        ..table.clone()
    };
    let error = analyse_lifecycle(&undated, &history, &LifecycleConfig::default()).unwrap_err();
    assert!(matches!(
        error,
        Error::Parameter {
            reason: ParameterProblem::NoPurchaseDates,
            ..
        }
    ));
    let short = PurchaseHistory::undated(2);
    assert!(analyse_lifecycle(&table, &short, &LifecycleConfig::default()).is_err());
    assert!(matches!(
        analyse_lifecycle(
            &CustomerTable::default(),
            &short,
            &LifecycleConfig::default()
        ),
        Err(Error::NoData)
    ));
    // An earlier analysis day cuts the data: on 2024-03-01 the last period is February.
    let earlier = LifecycleConfig {
        analysis_day: Some(day("2024-03-01")),
        ..Default::default()
    };
    let analysis = analyse_lifecycle(&table, &history, &earlier).unwrap();
    assert_eq!(analysis.series.stats.len(), 2);
    assert_eq!(analysis.divisions.customers, 5);
}
