//! The CLV engine on hand-made histories: the summaries' edge cases (one purchase, last purchase
//! on the calibration end, T = 0, returns only, several orders on one day), typed errors, and no
//! panic on hostile numbers. The literature and `lifetimes` are in tests/clv_oracle.rs.

use super::*;
use crate::engine::error::Error;
use crate::engine::history::PurchaseDay;

fn day(y: i32, m: u32, d: u32) -> Day {
    Day::from_civil(y, m, d).unwrap()
}

fn purchase(day: Day, sales: f64) -> PurchaseDay {
    PurchaseDay {
        day,
        orders: 1,
        purchase: sales >= 0.0,
        sales,
        profit: sales / 4.0,
        quantity: 1.0,
    }
}

/// Customers given as (day offset from 2024-01-01, sales) lists.
fn history(customers: &[&[(i32, f64)]], profit: bool) -> PurchaseHistory {
    let start = day(2024, 1, 1);
    let days: Vec<Vec<PurchaseDay>> = customers
        .iter()
        .map(|c| {
            c.iter()
                .map(|&(d, s)| purchase(start.plus_days(d), s))
                .collect()
        })
        .collect();
    PurchaseHistory::from_days(profit, false, &days)
}

fn config(calibration_end: Option<i32>) -> ClvConfig {
    ClvConfig {
        calibration_end: calibration_end.map(|d| day(2024, 1, 1).plus_days(d)),
        ..ClvConfig::default()
    }
}

#[test]
fn summaries_follow_lifetimes_definitions() {
    let h = history(
        &[
            &[(0, 10.0)],                                    // one purchase
            &[(0, 10.0), (7, 20.0), (70, 40.0)],             // last purchase on the end
            &[(70, 5.0), (80, 6.0)],                         // first purchase on the end: T = 0
            &[(3, -5.0)],                                    // returns only
            &[(75, 8.0)],                                    // first purchase after the end
            &[(0, 10.0), (14, 30.0), (21, -3.0), (90, 9.0)], // a return day, a holdout day
        ],
        false,
    );
    let s = summarise(&h, &config(Some(70))).unwrap();
    assert_eq!(s.customers.len(), 4);
    assert_eq!((s.returns_only, s.later, s.undated), (1, 1, 0));
    let by = |i: u32| *s.customers.iter().find(|c| c.index == i).unwrap();
    let one = by(0);
    assert_eq!(
        (one.frequency, one.recency_days, one.age_days, one.value),
        (0, 0, 70, 0.0)
    );
    let last = by(1);
    assert_eq!(
        (last.frequency, last.recency_days, last.age_days),
        (2, 70, 70)
    );
    assert_eq!(last.value, 30.0); // mean of 20 and 40, the first day left out
    assert_eq!(last.recency(TimeUnit::Week), 10.0);
    let newest = by(2);
    assert_eq!(
        (newest.frequency, newest.age_days, newest.holdout),
        (0, 0, 1)
    );
    let returner = by(5);
    assert_eq!(
        (returner.frequency, returner.value, returner.holdout),
        (1, 30.0, 1)
    );
    // The analysis day is the day after the last purchase (offset 91); the holdout runs from the
    // day after the end (71) to 90: 20 days.
    assert_eq!(s.holdout_length(), 20.0 / 7.0);
    // Tuples: (0, 0, 70), (2, 70, 70), (0, 0, 0), (1, 14, 70).
    assert_eq!(unique_tuples(&s).len(), 4);
    // Repeat days over the whole span: customer 1 on 7 and 70, customer 2 on 80, customer 5 on 14
    // and 90.
    assert_eq!(s.repeats_by_day.iter().sum::<u32>(), 5);
}

#[test]
fn several_orders_on_one_day_are_one_purchase_and_margin_is_the_basis_with_profit() {
    let h = PurchaseHistory::from_days(
        true,
        false,
        &[vec![
            purchase(day(2024, 1, 1), 10.0),
            PurchaseDay {
                orders: 3,
                ..purchase(day(2024, 1, 8), 40.0)
            },
        ]],
    );
    let s = summarise(&h, &ClvConfig::default()).unwrap();
    assert_eq!(s.basis, ValueBasis::Margin);
    assert_eq!(s.customers[0].frequency, 1);
    assert_eq!(s.customers[0].value, 10.0); // the profit of the repeat day
}

#[test]
fn units_are_days_weeks_and_thirty_day_months() {
    assert_eq!(TimeUnit::default(), TimeUnit::Week);
    let days: Vec<f64> = [TimeUnit::Day, TimeUnit::Week, TimeUnit::Month]
        .iter()
        .map(|u| u.days())
        .collect();
    assert_eq!(days, [1.0, 7.0, 30.0]);
    let steps = Discounting::new(TimeUnit::Week, 52, 0.10);
    assert_eq!(steps.months, 12);
    assert!((steps.monthly_rate - (1.1f64.powf(1.0 / 12.0) - 1.0)).abs() < 1e-15);
    assert_eq!(Discounting::new(TimeUnit::Day, 365, 0.1).months, 12);
    assert_eq!(Discounting::new(TimeUnit::Month, 1, 0.1).months, 1);
}

#[test]
fn parameters_out_of_range_are_typed_errors() {
    let h = history(&[&[(0, 1.0), (10, 2.0)]], false);
    let name = |r: Result<Summaries>| match r {
        Err(Error::Parameter { name, .. }) => name,
        other => panic!("{other:?}"),
    };
    for (c, expected) in [
        (
            ClvConfig {
                horizon: 0,
                ..ClvConfig::default()
            },
            "horizon",
        ),
        (
            ClvConfig {
                discount_rate: f64::NAN,
                ..ClvConfig::default()
            },
            "discount_rate",
        ),
        (
            ClvConfig {
                discount_rate: -0.1,
                ..ClvConfig::default()
            },
            "discount_rate",
        ),
        (config(Some(10)), "calibration_end"),
        (config(Some(-1)), "calibration_end"),
        (
            ClvConfig {
                calibration_end: Some(Day::LAST),
                ..ClvConfig::default()
            },
            "calibration_end",
        ),
    ] {
        assert_eq!(name(summarise(&h, &c)), expected);
    }
    assert_eq!(
        name(summarise(
            &PurchaseHistory::undated(3),
            &ClvConfig::default()
        )),
        "date"
    );
    let returns = history(&[&[(0, -1.0)]], false);
    assert_eq!(name(summarise(&returns, &ClvConfig::default())), "date");
}

#[test]
fn fewer_than_fifty_repeat_customers_is_a_typed_error_not_numbers() {
    let mut customers: Vec<Vec<(i32, f64)>> =
        (0..49).map(|i| vec![(i, 5.0), (i + 30, 6.0)]).collect();
    customers.extend((0..500).map(|i| vec![(i % 90, 5.0)]));
    let refs: Vec<&[(i32, f64)]> = customers.iter().map(Vec::as_slice).collect();
    let h = history(&refs, false);
    match analyse_clv(&h, &ClvConfig::default()) {
        Err(Error::Model {
            model: FitModel::BgNbd,
            problem: ModelProblem::TooFewRepeatCustomers { found: 49, min: 50 },
        }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_likelihood_that_is_nowhere_finite_does_not_converge() {
    // T = NaN makes every term NaN: the simplex sees +∞ everywhere.
    let tuples: Vec<Tuple> = (0..60)
        .map(|i| Tuple {
            frequency: 1 + i % 3,
            recency: f64::NAN,
            age: f64::NAN,
            count: 1,
        })
        .collect();
    match fit_bgnbd(&tuples) {
        Err(Error::Model {
            model: FitModel::BgNbd,
            problem: ModelProblem::NotConverged,
        }) => {}
        other => panic!("{other:?}"),
    }
}

/// A simulated BG/NBD population (fixed seed): the fit finds parameters near the truth, and the
/// predictions hold together.
fn simulated(customers: usize) -> PurchaseHistory {
    // A small LCG keeps the test free of a random-number crate.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut uniform = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        ((seed >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut days = Vec::new();
    for i in 0..customers {
        let first = (i % 84) as i32;
        let rate = 0.05 + 0.25 * uniform(); // purchases per day
        let p = 0.1 + 0.4 * uniform();
        // Each customer's own mean value, and values spread around it.
        let mean = 10.0 + 60.0 * uniform() * uniform();
        let value = move |u: f64| mean * (0.4 + 1.2 * u);
        let mut t = first;
        let mut list = vec![(first, value(uniform()))];
        loop {
            if uniform() < p {
                break;
            }
            t += 1 + (-uniform().ln() / rate) as i32;
            if t >= 364 {
                break;
            }
            list.push((t, value(uniform())));
        }
        list.dedup_by_key(|d| d.0);
        days.push(list);
    }
    let refs: Vec<&[(i32, f64)]> = days.iter().map(Vec::as_slice).collect();
    history(&refs, false)
}

#[test]
fn a_simulated_population_fits_and_scores_without_nan() {
    let h = simulated(1_500);
    let c = config(Some(272));
    let a = analyse_clv(&h, &c).unwrap();
    assert_eq!(a.bgnbd.starts, 3);
    assert!(a.bgnbd.starts_agreeing >= 2, "{:?}", a.bgnbd);
    assert!(a.bgnbd.standard_errors.is_some());
    assert!(a.scores.iter().all(|s| s.p_alive.is_finite()
        && (0.0..=1.0).contains(&s.p_alive)
        && s.expected_purchases.is_finite()
        && s.expected_purchases >= 0.0
        && s.clv.is_finite()));
    let b = a.backtest.as_ref().unwrap();
    assert_eq!(
        b.groups.iter().map(|g| g.customers).sum::<usize>(),
        a.customers
    );
    // (This population's uniform rates are not the model's gamma: no closeness is claimed.)
    assert!(b.predicted.is_finite() && b.predicted > 0.0, "{b:?}");
    assert_eq!(b.actual, b.groups.iter().map(|g| g.actual).sum::<f64>());
    // Tracking: cumulative, rising, ending at the backtest's totals plus the calibration's.
    assert!(a
        .tracking
        .windows(2)
        .all(|w| w[1].actual >= w[0].actual && w[1].predicted >= w[0].predicted));
    let figures = a.figures();
    assert_eq!(figures.len(), 11);
    assert!(figures.iter().all(|f| f.value.is_some_and(f64::is_finite)));
    // Without a calibration end there is no holdout.
    let all = analyse_clv(&h, &ClvConfig::default()).unwrap();
    assert!(all.backtest.is_none());
    assert!(all
        .figures()
        .iter()
        .any(|f| f.name == "holdout_actual" && f.value.is_none()));
}

#[test]
fn predictions_never_panic_on_hostile_numbers() {
    let p = BgNbdParams {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };
    for x in [0, 1, 5, 1_000, 100_000, u32::MAX] {
        for (t_x, t) in [
            (0.0, 0.0),
            (0.0, 1e9),
            (1e9, 1e9),
            (f64::NAN, 5.0),
            (3.0, f64::INFINITY),
        ] {
            let _ = p.p_alive(x, t_x, t);
            let _ = p.conditional_expected_purchases(52.0, x, t_x, t);
            let _ = p.conditional_expected_purchases(f64::NAN, x, t_x, t);
            let _ = p.log_likelihood(x, t_x, t);
        }
    }
    let _ = p.expected_purchases(1e12);
    let _ = p.expected_purchases(f64::NAN);
    // P(alive) of a heavy buyer seen yesterday, and of one gone for ages, stays in [0, 1].
    assert!(p.p_alive(1_000, 100.0, 100.1) > 0.99);
    assert!(p.p_alive(1_000, 1.0, 1e6) < 1e-12);
    // T = 0 (first purchase on the calibration end): finite expectations.
    assert!(p
        .conditional_expected_purchases(52.0, 0, 0.0, 0.0)
        .is_finite());
    let g = GammaGammaParams {
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
    };
    assert!((g.conditional_expected_value(0, 0.0) - 15.44 * 6.25 / 2.74).abs() < 1e-12);
    let _ = g.conditional_expected_value(3, f64::NAN);
}

/// The built-in sample has no spread in dropout: a and b grow together without bound. The fit
/// stops at the edge, says so, and predicts as the limit model (one dropout probability q for
/// everyone), whose closed forms are checked here: P(alive) = 1 / (1 + q/(1−q) ((α+T)/(α+t_x))^(r+x))
/// for x > 0, E[X(t)] = (1 − (α/(α+qt))^r) / q, and E[Y(t)|x, t_x, T] = P(alive) ·
/// (1 − ((α+T)/(α+T+t))^(r+x) (1 − (1−q) t/(α+T+t))^−(r+x)) / q.
#[test]
fn common_dropout_stops_at_the_edge_and_predicts_the_limit() {
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::sample::{sample_csv, SampleLanguage};
    let csv = sample_csv(SampleLanguage::English);
    let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
    let history = outcome.purchase_history().unwrap().clone();
    let analysis = analyse_clv(&history, &ClvConfig::default()).unwrap();
    let fit = &analysis.bgnbd;
    let q = fit.common_dropout.expect("the sample's dropout is common");
    let p = fit.params;
    assert!(p.a > EDGE && p.b > EDGE);
    assert!((q - p.a / (p.a + p.b)).abs() < 1e-15);
    assert!(q > 0.0 && q < 0.2, "q {q}");
    assert!(fit.standard_errors.is_none());
    assert!(fit.starts_agreeing >= 2);
    let limit_alive = |x: u32, tx: f64, t: f64| {
        if x == 0 {
            1.0
        } else {
            1.0 / (1.0 + q / (1.0 - q) * ((p.alpha + t) / (p.alpha + tx)).powf(p.r + f64::from(x)))
        }
    };
    for (x, tx, t) in [
        (0u32, 0.0, 50.0),
        (3, 20.0, 90.0),
        (10, 80.0, 100.0),
        (30, 100.0, 104.0),
        (5, 10.0, 100.0),
    ] {
        let alive = limit_alive(x, tx, t);
        assert!((p.p_alive(x, tx, t) - alive).abs() < 1e-7, "P(alive) {x}");
        let horizon = 52.0;
        let r = p.r + f64::from(x);
        let z = horizon / (p.alpha + t + horizon);
        let expected = alive
            * (1.0
                - ((p.alpha + t) / (p.alpha + t + horizon)).powf(r)
                    * (1.0 - (1.0 - q) * z).powf(-r))
            / q;
        let got = p.conditional_expected_purchases(horizon, x, tx, t);
        assert!(
            (got - expected).abs() < 1e-6 * expected.max(1e-3),
            "E {x}: {got} vs {expected}"
        );
    }
    let unconditional = (1.0 - (p.alpha / (p.alpha + q * 52.0)).powf(p.r)) / q;
    assert!((p.expected_purchases(52.0) - unconditional).abs() < 1e-6 * unconditional);
    // Every customer scored, nothing NaN.
    assert!(analysis
        .scores
        .iter()
        .all(|s| s.p_alive.is_finite() && s.clv.is_finite()));
}

/// The radix ranking behind the CLV deciles and the scores' CSV is `by_clv`'s comparison sort:
/// on scores with many ties, −0 and 0, NaN and infinities, in the table's order or shuffled.
#[test]
fn the_clv_ranking_is_the_comparison_sort() {
    let mut next = crate::engine::test_support::xorshift(11);
    let values = [
        0.0,
        -0.0,
        1.5,
        -2.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1e-300,
    ];
    for (n, shuffled) in [
        (0, false),
        (1, false),
        (70, false),
        (5_000, false),
        (5_000, true),
    ] {
        let mut scores: Vec<CustomerScore> = (0..n)
            .map(|i| CustomerScore {
                index: i as u32,
                frequency: 0,
                recency: 0.0,
                age: 0.0,
                monetary: 0.0,
                p_alive: (next() % 1000) as f64 / 999.0,
                expected_purchases: (next() % 10_000) as f64 / 7.0,
                expected_value: 1.0,
                clv: match next() % 4 {
                    0 => values[(next() % values.len() as u64) as usize],
                    1 => (next() % 20) as f64,
                    _ => (next() % 1_000_000) as f64 / 100.0,
                },
            })
            .collect();
        if shuffled {
            for i in (1..scores.len()).rev() {
                scores.swap(i, (next() % (i as u64 + 1)) as usize);
            }
        }
        let mut expected: Vec<&CustomerScore> = scores.iter().collect();
        expected.sort_by(by_clv);
        let ranked: Vec<u32> = ranked_by_clv(&scores)
            .into_iter()
            .map(|p| scores[p].index)
            .collect();
        // The deciles as they were summed before (an iterator per figure over each group of
        // the sorted customers): the same to the bit.
        let total: f64 = scores.iter().map(|s| s.clv).filter(|v| v.is_finite()).sum();
        let (mut start, mut cumulative, mut before) = (0, 0.0, Vec::new());
        for k in 0..10usize {
            let size = n / 10 + usize::from(k < n % 10);
            if size == 0 {
                continue;
            }
            let group = &expected[start..start + size];
            start += size;
            let clv: f64 = group.iter().map(|s| s.clv).filter(|v| v.is_finite()).sum();
            cumulative += clv;
            before.push(ValueDecile {
                decile: k as u8 + 1,
                customers: size,
                clv,
                share: (total > 0.0).then(|| clv / total),
                cumulative: (total > 0.0).then(|| cumulative / total),
                p_alive: group.iter().map(|s| s.p_alive).sum::<f64>() / size as f64,
                expected_purchases: group.iter().map(|s| s.expected_purchases).sum(),
            });
        }
        assert_eq!(
            format!("{:?}", value_deciles(&scores)),
            format!("{before:?}"),
            "{n}"
        );
        let expected: Vec<u32> = expected.iter().map(|s| s.index).collect();
        assert_eq!(ranked, expected, "{n} customers, shuffled: {shuffled}");
    }
}
