//! Property tests of the survey import and the loyalty analysis (native only: proptest does not
//! build for wasm32).
//!
//! - Any bytes through `import_survey`: `Ok` or a typed `Error`, never a panic.
//! - Survey-like text (ids, label words in both scripts, numbers, intent words, dates, junk,
//!   CR/LF, delimiters) read with every scale and both ways of combining: nothing is dropped
//!   silently (`rows_read` = responses + rejected), every level lies on the scale, every id of
//!   a response has one respondent, and the analysis with and without orders runs; its NPS
//!   groups add up.
//!
//! Case counts are modest so `cargo test` stays fast.
#![cfg(not(target_arch = "wasm32"))]

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use valuelens::engine::calendar::Day;
use valuelens::engine::customers::{Aggregator, Columns, Transaction};
use valuelens::engine::loyalty::{analyse_loyalty, LoyaltyConfig, Orders};
use valuelens::engine::survey::{import_survey, Combine, Scale, SurveyOptions};

fn cells() -> impl Strategy<Value = String> {
    select(vec![
        "C1",
        "C2",
        "C3",
        " C4 ",
        "P9",
        "",
        "满意",
        "非常满意",
        "一般",
        "不滿意",
        "very satisfied",
        "0",
        "3",
        "5",
        "7",
        "9",
        "10",
        "11",
        "4.5",
        "-1",
        "会",
        "不会",
        "maybe",
        "2024-05-01",
        "01/02/2024",
        "2024年3月5日",
        "N/A",
        "\"a,b\"",
        "'=x",
        "\u{FFFD}",
    ])
    .prop_map(String::from)
}

fn survey_text() -> impl Strategy<Value = String> {
    (
        select(vec![",", ";", "\t"]),
        select(vec!["\n", "\r\n", "\r"]),
        vec(vec(cells(), 0..7), 0..25),
        any::<bool>(),
    )
        .prop_map(|(delimiter, newline, rows, header)| {
            let mut text = String::new();
            if header {
                text.push_str(&["客户编号", "满意度", "NPS", "复购意向", "日期"].join(delimiter));
                text.push_str(newline);
            }
            for row in rows {
                text.push_str(&row.join(delimiter));
                text.push_str(newline);
            }
            text
        })
}

fn scales() -> impl Strategy<Value = Option<Scale>> {
    select(vec![
        None,
        Some(Scale::Labels),
        Some(Scale::OneToFive),
        Some(Scale::OneToSeven),
        Some(Scale::OneToTen),
        Some(Scale::ZeroToTen),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_bytes_are_read_or_refused(bytes in vec(any::<u8>(), 0..400)) {
        let _ = import_survey(&bytes, &SurveyOptions::default());
    }

    #[test]
    fn nothing_is_dropped_and_the_analysis_runs(
        text in survey_text(),
        scale in scales(),
        mean in any::<bool>(),
    ) {
        let options = SurveyOptions {
            scale,
            combine: if mean { Combine::Mean } else { Combine::Latest },
            ..SurveyOptions::default()
        };
        let Ok(survey) = import_survey(text.as_bytes(), &options) else {
            return Ok(());
        };
        prop_assert_eq!(
            survey.rows_read,
            survey.responses.len() as u64 + survey.rejected_count
        );
        let scale = survey.scale;
        for r in &survey.responses {
            prop_assert!(r.satisfaction.is_none_or(|l| scale.levels().contains(&l)));
            prop_assert!(r.recommend.is_none_or(|v| v <= 10));
            prop_assert!(survey.respondents.iter().filter(|p| p.id == r.customer).count() == 1);
        }
        for p in &survey.respondents {
            prop_assert!(p.level.is_none_or(|l| scale.levels().contains(&l)));
        }
        let alone = analyse_loyalty(&survey, None, &LoyaltyConfig::default()).unwrap();
        let nps = alone.nps;
        prop_assert_eq!(nps.promoters + nps.passives + nps.detractors, nps.respondents);

        let mut aggregator = Aggregator::new(Columns { order: false, date: true, profit: false, quantity: false });
        for (i, id) in ["C1", "C2", "C3", "C4", "C5"].iter().enumerate() {
            aggregator.add(&Transaction {
                customer: id,
                order: None,
                day: Day::parse_iso("2024-01-01").map(|d| d.plus_days(40 * i as i32)),
                amount: 10.0 * (i + 1) as f64,
                profit: None,
                quantity: None,
            });
        }
        let (table, history) = aggregator.finish_with_history();
        let joined = analyse_loyalty(
            &survey,
            Some(Orders { table: &table, history: &history, rfm: None }),
            &LoyaltyConfig::default(),
        )
        .unwrap();
        let join = joined.join.as_ref().unwrap();
        prop_assert_eq!(join.matched + join.unmatched.len(), survey.respondents.len());
        if let Some(b) = &joined.behaviour {
            let typed: usize = b.types.iter().map(|t| t.customers).sum();
            prop_assert_eq!(typed, b.in_matrix);
            let classed: usize = b.classes.iter().map(|c| c.respondents).sum();
            prop_assert_eq!(classed, survey.respondents.len());
            for c in &b.churn {
                prop_assert!(c.lapsed <= c.customers);
            }
        }
    }
}
