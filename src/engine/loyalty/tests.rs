//! The loyalty analysis on the hand-made fixtures of `tests/fixtures/survey/`: every expected
//! value below was worked out by hand from the files (see the README there), the Wilson bounds
//! with the textbook formula in Python.

use super::*;
use crate::engine::customers::{Aggregator, Columns, Transaction};
use crate::engine::survey::{import_survey, Combine, SurveyOptions};
use crate::engine::test_support::survey_orders as orders;

const GBK: &[u8] = include_bytes!("../../../tests/fixtures/survey/satisfaction_gbk.csv");
const NPS: &[u8] = include_bytes!("../../../tests/fixtures/survey/nps_en.csv");

/// Lapsed after 60 days; long-term from 120 days and 2 orders.
fn config() -> LoyaltyConfig {
    LoyaltyConfig {
        lifecycle: LifecycleConfig {
            lapse_days: Some(60),
            ..LifecycleConfig::default()
        },
        long_term_days: 120,
        ..LoyaltyConfig::default()
    }
}

fn analysed(combine: Combine) -> (LoyaltyAnalysis, CustomerTable) {
    let survey = import_survey(
        GBK,
        &SurveyOptions {
            combine,
            ..SurveyOptions::default()
        },
    )
    .unwrap();
    let (table, history) = orders();
    let analysis = analyse_loyalty(
        &survey,
        Some(Orders {
            table: &table,
            history: &history,
            rfm: None,
        }),
        &config(),
    )
    .unwrap();
    (analysis, table)
}

fn ids(analysis: &LoyaltyAnalysis, table: &CustomerTable, kind: LoyaltyType) -> Vec<String> {
    let b = analysis.behaviour.as_ref().unwrap();
    let t = b.types.iter().find(|t| t.kind == kind).unwrap();
    t.members
        .iter()
        .map(|&m| table.customers[b.customers[m].index].id.to_string())
        .collect()
}

#[test]
fn the_matrix_places_each_customer_by_hand() {
    let (analysis, table) = analysed(Combine::Latest);
    let b = analysis.behaviour.as_ref().unwrap();
    assert_eq!(b.window.analysis_day.iso(), "2024-07-01");
    assert_eq!(b.lapse_days, Some(60));
    let expected: [(LoyaltyType, &[&str], f64); 6] = [
        (LoyaltyType::Apostle, &["C01", "C10"], 595.0),
        (LoyaltyType::Loyalist, &["C02"], 110.0),
        (LoyaltyType::Hostage, &["C08"], 45.0),
        (LoyaltyType::Mercenary, &["C05"], 85.0),
        (LoyaltyType::Defector, &["C03", "C04", "C09", "C07"], 630.0),
        (LoyaltyType::Terrorist, &["C06"], 1500.0),
    ];
    for (kind, members, sales) in expected {
        assert_eq!(ids(&analysis, &table, kind), members, "{kind:?}");
        let t = b.types.iter().find(|t| t.kind == kind).unwrap();
        assert_eq!(t.sales, sales, "{kind:?}");
    }
    let terrorist = b
        .types
        .iter()
        .find(|t| t.kind == LoyaltyType::Terrorist)
        .unwrap();
    assert_eq!(terrorist.high_value, 1);
    assert_eq!(b.in_matrix, 10);
    assert_eq!((b.no_satisfaction, b.no_purchase), (0, 0));
}

#[test]
fn the_six_classes_follow_the_rules_by_hand() {
    let (analysis, _) = analysed(Combine::Latest);
    let b = analysis.behaviour.as_ref().unwrap();
    let counts: Vec<usize> = b.classes.iter().map(|c| c.respondents).collect();
    // 1: C01 C02 C10; 2: C04 C06 C08; 3: C05 C07; 4: C03 C09; 5: P01; 6: P02.
    assert_eq!(counts, [3, 3, 2, 2, 1, 1]);
    let sales: Vec<f64> = b.classes.iter().map(|c| c.sales).collect();
    assert_eq!(sales, [705.0, 1785.0, 115.0, 360.0, 0.0, 0.0]);
}

#[test]
fn churn_by_satisfaction_with_wilson_intervals() {
    let (analysis, _) = analysed(Combine::Latest);
    let churn = &analysis.behaviour.as_ref().unwrap().churn;
    let got: Vec<(u8, usize, usize)> = churn
        .iter()
        .map(|c| (c.level, c.customers, c.lapsed))
        .collect();
    assert_eq!(got, [(1, 1, 1), (2, 2, 1), (3, 3, 2), (4, 2, 0), (5, 2, 0)]);
    let bounds = [
        (0.206549, 1.0),
        (0.094531, 0.905469),
        (0.207660, 0.938508),
        (0.0, 0.657620),
        (0.0, 0.657620),
    ];
    for (c, (low, high)) in churn.iter().zip(bounds) {
        assert!((c.low.unwrap() - low).abs() < 1e-6, "{c:?}");
        assert!((c.high.unwrap() - high).abs() < 1e-6, "{c:?}");
    }
    assert_eq!(churn[2].rate, Some(2.0 / 3.0));
}

#[test]
fn nps_overall_and_by_decile() {
    let (analysis, _) = analysed(Combine::Latest);
    let nps = analysis.nps;
    assert_eq!(
        (nps.respondents, nps.promoters, nps.passives, nps.detractors),
        (12, 4, 2, 6)
    );
    assert!((nps.score.unwrap() - (-200.0 / 12.0)).abs() < 1e-9);
    let b = analysis.behaviour.as_ref().unwrap();
    // One customer per decile: C06, C01, C03, C04, C02, C05, C09, C08, C07, C10.
    let scores: Vec<f64> = b.by_decile.iter().map(|g| g.nps.score.unwrap()).collect();
    assert_eq!(
        scores,
        [-100.0, 100.0, -100.0, -100.0, 0.0, 100.0, -100.0, -100.0, 0.0, 100.0]
    );
    let means: Vec<f64> = b
        .by_decile
        .iter()
        .map(|g| g.mean_satisfaction.unwrap())
        .collect();
    assert_eq!(means, [1.0, 5.0, 3.0, 2.0, 4.0, 4.0, 3.0, 2.0, 3.0, 5.0]);
    let distribution: Vec<usize> = analysis
        .distribution
        .iter()
        .map(|d| d.respondents)
        .collect();
    assert_eq!(distribution, [1, 2, 4, 3, 2]);
}

#[test]
fn the_figures_carry_the_contract_names() {
    let (analysis, _) = analysed(Combine::Latest);
    let figures = analysis.figures();
    let get = |name: &str| figures.iter().find(|f| f.name == name).unwrap().value;
    assert_eq!(get("survey_rows"), Some(16.0));
    assert_eq!(get("survey_matched"), Some(10.0));
    assert_eq!(get("loyalty_type:defector"), Some(4.0));
    assert_eq!(get("loyalty_class:6"), Some(1.0));
    assert_eq!(get("churn_by_satisfaction:3"), Some(2.0 / 3.0));
    assert_eq!(get("churn_by_satisfaction_n:3"), Some(3.0));
}

#[test]
fn the_mean_of_duplicates_keeps_the_classes() {
    // C03 → 2.5 → level 3 and C10 → 4.5 → level 5: the same levels as the latest responses.
    let (mean, _) = analysed(Combine::Mean);
    let (latest, _) = analysed(Combine::Latest);
    let counts = |a: &LoyaltyAnalysis| {
        a.behaviour
            .as_ref()
            .unwrap()
            .types
            .iter()
            .map(|t| t.customers)
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(&mean), counts(&latest));
    assert_eq!(mean.nps, latest.nps);
}

#[test]
fn a_survey_alone_gives_its_distribution_and_nps() {
    let survey = import_survey(NPS, &SurveyOptions::default()).unwrap();
    let analysis = analyse_loyalty(&survey, None, &LoyaltyConfig::default()).unwrap();
    assert!(analysis.join.is_none() && analysis.behaviour.is_none());
    assert_eq!(
        (
            analysis.nps.promoters,
            analysis.nps.passives,
            analysis.nps.detractors
        ),
        (2, 2, 2)
    );
    assert_eq!(analysis.nps.score, Some(0.0));
    let names: Vec<String> = analysis.figures().into_iter().map(|f| f.name).collect();
    assert_eq!(names, ["survey_rows", "survey_matched", "nps"]);
}

#[test]
fn orders_without_dates_give_no_behaviour_but_the_join() {
    let survey = import_survey(GBK, &SurveyOptions::default()).unwrap();
    let mut aggregator = Aggregator::new(Columns::default());
    aggregator.add(&Transaction {
        customer: "C01",
        order: None,
        day: None,
        amount: 5.0,
        profit: None,
        quantity: None,
    });
    let (table, history) = aggregator.finish_with_history();
    let analysis = analyse_loyalty(
        &survey,
        Some(Orders {
            table: &table,
            history: &history,
            rfm: None,
        }),
        &LoyaltyConfig::default(),
    )
    .unwrap();
    assert_eq!(analysis.join.as_ref().unwrap().matched, 1);
    assert!(analysis.behaviour.is_none());
    assert_eq!(
        analysis.behaviour_problem,
        Some(parameter("date", ParameterProblem::NoPurchaseDates))
    );
}

#[test]
fn parameters_out_of_range_are_named() {
    let survey = import_survey(GBK, &SurveyOptions::default()).unwrap();
    let cases = [
        (
            LoyaltyConfig {
                cuts: Some(SatisfactionCuts {
                    bottom: 3,
                    satisfied: 2,
                    top: 5,
                }),
                ..LoyaltyConfig::default()
            },
            "satisfaction_cuts",
        ),
        (
            LoyaltyConfig {
                high_value_deciles: 0,
                ..LoyaltyConfig::default()
            },
            "high_value_deciles",
        ),
        (
            LoyaltyConfig {
                loyal_min_orders: 0,
                ..LoyaltyConfig::default()
            },
            "loyal_min_orders",
        ),
    ];
    for (config, expected) in cases {
        match analyse_loyalty(&survey, None, &config) {
            Err(Error::Parameter { name, .. }) => assert_eq!(name, expected),
            other => panic!("{expected}: {other:?}"),
        }
    }
}

#[test]
fn matrix_types_at_the_cuts() {
    let cuts = SatisfactionCuts::for_scale(Scale::ZeroToTen);
    let cases = [
        (9, true, false, LoyaltyType::Apostle),
        (8, true, false, LoyaltyType::Loyalist),
        (6, true, false, LoyaltyType::Hostage),
        (7, false, true, LoyaltyType::Mercenary),
        (2, false, true, LoyaltyType::Terrorist),
        (2, false, false, LoyaltyType::Defector),
        (3, false, true, LoyaltyType::Defector),
    ];
    for (level, loyal, lapsed, expected) in cases {
        assert_eq!(
            matrix_type(level, loyal, lapsed, cuts),
            expected,
            "{level} {loyal} {lapsed}"
        );
    }
}

#[test]
fn nps_by_rfm_segment_groups_every_matched_customer_once() {
    use crate::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
    let survey = import_survey(GBK, &SurveyOptions::default()).unwrap();
    let (table, history) = orders();
    let rfm = analyse_rfm(&table, &RfmConfig::default(), &SegmentRules::default()).unwrap();
    let analysis = analyse_loyalty(
        &survey,
        Some(Orders {
            table: &table,
            history: &history,
            rfm: Some(&rfm),
        }),
        &config(),
    )
    .unwrap();
    let b = analysis.behaviour.as_ref().unwrap();
    let keys: Vec<&str> = b.by_segment.iter().map(|g| g.key.as_str()).collect();
    let expected: Vec<&str> = rfm
        .segmentation
        .segments
        .iter()
        .map(|s| s.name_en.as_str())
        .collect();
    assert_eq!(keys, expected);
    assert_eq!(keys.iter().filter(|k| **k == "Other").count(), 1);
    // Each of the 10 matched customers is in exactly one segment.
    assert_eq!(
        b.by_segment.iter().map(|g| g.respondents).sum::<usize>(),
        10
    );
    assert_eq!(
        b.by_segment
            .iter()
            .map(|g| g.nps.respondents)
            .sum::<usize>(),
        10
    );
    // Segment by segment, the NPS counts add up to the overall NPS of the matched customers
    // (P01 and P02 are promoter and detractor: 3 promoters, 2 passives, 5 detractors left).
    let promoters: usize = b.by_segment.iter().map(|g| g.nps.promoters).sum();
    let detractors: usize = b.by_segment.iter().map(|g| g.nps.detractors).sum();
    assert_eq!((promoters, detractors), (3, 5));
}

#[test]
fn the_base_in_any_pieces_gives_the_analysis_at_once() {
    use crate::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
    use crate::engine::test_support::{aggregate, xorshift};
    use std::sync::Arc;
    let mut next = xorshift(0x10_7a17);
    let mut matched = 0;
    for round in 0..12 {
        let mut text = String::from("customer,order,date,amount\n");
        let customers = 20 + next() % 200;
        for row in 0..(next() % 1500) {
            let amount = (next() % 20_000) as f64 / 100.0
                - if next().is_multiple_of(9) { 150.0 } else { 0.0 };
            text.push_str(&format!(
                "K{:03},{row},2023-{:02}-{:02},{amount}\n",
                next() % customers,
                1 + next() % 12,
                1 + next() % 28
            ));
        }
        let mut survey_text = String::from("customer,satisfaction,recommend,repurchase\n");
        for _ in 0..(next() % 300) {
            let intent = ["yes", "no", "unsure", ""][(next() % 4) as usize];
            survey_text.push_str(&format!(
                "K{:03},{},{},{intent}\n",
                next() % (customers + 40),
                1 + next() % 5,
                next() % 11
            ));
        }
        let (table, history) = aggregate(&text, false);
        let Ok(survey) = import_survey(survey_text.as_bytes(), &SurveyOptions::default()) else {
            continue;
        };
        let rfm = analyse_rfm(&table, &RfmConfig::default(), &SegmentRules::default()).ok();
        let orders = Orders {
            table: &table,
            history: &history,
            rfm: rfm.as_ref(),
        };
        for variant in 0..4u32 {
            let config = LoyaltyConfig {
                lifecycle: LifecycleConfig {
                    analysis_day: (variant % 2 == 1).then(|| Day::parse_iso("2023-09-15").unwrap()),
                    returns_count_as_activity: variant >= 2,
                    lapse_days: (variant == 3).then_some(45),
                    ..LifecycleConfig::default()
                },
                loyal_min_orders: 1 + variant,
                ..LoyaltyConfig::default()
            };
            let at_once = analyse_loyalty(&survey, Some(orders), &config);
            matched += at_once
                .as_ref()
                .ok()
                .and_then(|a| a.behaviour.as_ref())
                .map_or(0, |b| b.customers.len());
            for piece in [1, 3, 50] {
                let mut steps =
                    LoyaltySteps::with_piece(&survey, Some(orders), &config, piece).unwrap();
                let mut calls = 0;
                while steps.step(&survey, Some(orders)) {
                    calls += 1;
                    assert!(calls < 100_000, "the steps end");
                }
                let base = steps.base().unwrap();
                assert!(base.fits(&survey, &table, &config.lifecycle));
                let pieces = steps.finish(&survey, Some(orders));
                assert_eq!(
                    pieces, at_once,
                    "round {round}, variant {variant}, piece {piece}"
                );
                // The rules changed on the same base: as computed at once.
                let stricter = LoyaltyConfig {
                    loyal_min_orders: 3,
                    loyal_min_tenure_days: 30,
                    high_value_deciles: 4,
                    ..config.clone()
                };
                let mut steps =
                    LoyaltySteps::new(&survey, Some(orders), &stricter, Some(base)).unwrap();
                steps.piece = piece;
                steps.step(&survey, Some(orders));
                assert_eq!(
                    steps.finish(&survey, Some(orders)),
                    analyse_loyalty(&survey, Some(orders), &stricter)
                );
                // Steps given the orders without their RFM analysis start again.
                let plain = Orders {
                    rfm: None,
                    ..orders
                };
                let mut steps =
                    LoyaltySteps::with_piece(&survey, Some(orders), &config, piece).unwrap();
                for _ in 0..calls {
                    steps.step(&survey, Some(orders));
                }
                assert_eq!(
                    steps.finish(&survey, Some(plain)),
                    analyse_loyalty(&survey, Some(plain), &config)
                );
            }
            // A base of another analysis day is not used.
            let other = LifecycleConfig {
                analysis_day: Some(Day::parse_iso("2023-03-01").unwrap()),
                ..config.lifecycle.clone()
            };
            let wrong = Arc::new(LoyaltyBase::of(&survey, &table, &history, &other));
            assert!(!wrong.fits(&survey, &table, &config.lifecycle));
            let steps = LoyaltySteps::new(&survey, Some(orders), &config, Some(wrong)).unwrap();
            assert_eq!(steps.finish(&survey, Some(orders)), at_once);
        }
    }
    assert!(matched > 1_000, "the rounds match customers: {matched}");
}
