//! The CLV presentation on the built-in sample: every figure of the contract named, deciles
//! sized as `numpy.array_split`, the customer table searched, sorted and paged, the likely-lost
//! rule applied by hand, both languages filled in.

use super::*;
use crate::engine::clv::{analyse_clv, ClvConfig};
use crate::engine::ingest::{import_bytes, ImportOutcome, InspectOptions};
use crate::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
use crate::engine::sample::{sample_csv, SampleLanguage};

fn sample() -> (ImportOutcome, ClvAnalysis) {
    let csv = sample_csv(SampleLanguage::English);
    let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
    let history = outcome.purchase_history().unwrap().clone();
    let last = outcome
        .table
        .customers
        .iter()
        .filter_map(|c| c.last)
        .max()
        .unwrap();
    let config = ClvConfig {
        calibration_end: Some(Day::from_epoch_days(last.epoch_days() - 180)),
        ..ClvConfig::default()
    };
    let analysis = analyse_clv(&history, &config).unwrap();
    (outcome, analysis)
}

use crate::engine::calendar::Day;

#[test]
fn the_contract_figures_are_named() {
    let (_, a) = sample();
    for lang in [Lang::Zh, Lang::En] {
        let cards: Vec<&str> = headline(&a, lang).iter().map(|m| m.name).collect();
        for name in [
            "clv_total",
            "holdout_actual",
            "holdout_predicted",
            "clv_expected_purchases",
        ] {
            assert!(cards.contains(&name), "{name} in {cards:?}");
        }
        let fit = fit_rows(&a, lang);
        let metrics: Vec<String> = fit
            .rows
            .iter()
            .flat_map(|r| {
                r.iter()
                    .filter_map(|c| c.data.as_ref().map(|d| d.metric.clone()))
            })
            .collect();
        for name in [
            "bgnbd_r",
            "bgnbd_alpha",
            "bgnbd_a",
            "bgnbd_b",
            "bgnbd_ll",
            "gg_p",
            "gg_q",
            "gg_v",
        ] {
            assert!(metrics.iter().any(|m| m == name), "{name}");
        }
        let r = fit
            .rows
            .iter()
            .flatten()
            .find_map(|c| c.data.as_ref().filter(|d| d.metric == "bgnbd_r"))
            .unwrap();
        assert_eq!(r.value, a.bgnbd.params.r);
        let total = headline(&a, lang)
            .into_iter()
            .find(|m| m.name == "clv_total")
            .unwrap();
        assert_eq!(total.value, a.scores.iter().map(|s| s.clv).sum::<f64>());
    }
}

#[test]
fn deciles_are_sized_as_array_split_and_add_up() {
    let (_, a) = sample();
    let n = a.scores.len();
    let deciles = &a.deciles;
    assert_eq!(deciles.len(), 10.min(n));
    for (k, d) in deciles.iter().enumerate() {
        // numpy.array_split: the first n % 10 groups hold one more.
        let expected = n / 10 + usize::from(k < n % 10);
        assert_eq!(d.customers, expected, "decile {}", k + 1);
    }
    let sum: f64 = deciles.iter().map(|d| d.clv).sum();
    assert!((sum - a.clv_total).abs() < 1e-6 * a.clv_total.abs().max(1.0));
    assert!((deciles.last().unwrap().cumulative.unwrap() - 1.0).abs() < 1e-9);
    // Highest first: every CLV of decile 1 is at least every CLV of decile 2.
    let mut clvs: Vec<f64> = a.scores.iter().map(|s| s.clv).collect();
    clvs.sort_by(|x, y| y.total_cmp(x));
    let first: f64 = clvs[..deciles[0].customers].iter().sum();
    assert!((first - deciles[0].clv).abs() < 1e-9 * first.abs().max(1.0));
}

/// Every page, by every column both ways, holds the rows a full sort of all customers puts
/// there (the page is selected, not sorted whole: this checks the selection).
#[test]
fn every_page_is_the_slice_of_a_full_sort() {
    let (outcome, a) = sample();
    let table = &outcome.table;
    let sales = |s: &CustomerScore| table.customers[s.index as usize].sales;
    for sort in [
        SortKey::Clv,
        SortKey::PAlive,
        SortKey::Expected,
        SortKey::Value,
        SortKey::Frequency,
        SortKey::Sales,
        SortKey::Id,
    ] {
        for ascending in [false, true] {
            let key = |s: &CustomerScore| match sort {
                SortKey::Clv => s.clv,
                SortKey::PAlive => s.p_alive,
                SortKey::Expected => s.expected_purchases,
                SortKey::Value => s.expected_value,
                SortKey::Frequency => f64::from(s.frequency),
                SortKey::Sales => sales(s),
                SortKey::Id => f64::from(s.index),
            };
            let up = (sort == SortKey::Id) != ascending;
            let mut all: Vec<&CustomerScore> = a.scores.iter().collect();
            all.sort_by(|x, y| {
                let o = key(x).partial_cmp(&key(y)).unwrap();
                let o = if up { o } else { o.reverse() };
                o.then(x.index.cmp(&y.index))
            });
            let pages = all.len().div_ceil(PAGE_SIZE);
            for page in [0, 1, pages / 2, pages - 1] {
                let query = Query {
                    sort,
                    ascending,
                    page,
                    ..Query::default()
                };
                let (rows, _, _) = customer_page(&a, table, &query);
                let shown: Vec<String> = rows
                    .rows
                    .iter()
                    .map(|r| r[2].data.as_ref().unwrap().metric.clone())
                    .collect();
                let expected: Vec<String> = all
                    .iter()
                    .skip(page * PAGE_SIZE)
                    .take(PAGE_SIZE)
                    .map(|s| format!("p_alive:{}", table.customers[s.index as usize].id))
                    .collect();
                assert_eq!(
                    shown, expected,
                    "{sort:?} ascending={ascending} page {page}"
                );
            }
        }
    }
}

#[test]
fn the_customer_table_searches_sorts_and_pages() {
    let (outcome, a) = sample();
    let table = &outcome.table;
    let (page, matches, pages) = customer_page(&a, table, &Query::default());
    assert_eq!(matches, a.scores.len());
    assert_eq!(pages, matches.div_ceil(PAGE_SIZE));
    assert_eq!(page.rows.len(), PAGE_SIZE.min(matches));
    // Highest CLV first, each row's p_alive:<id> the customer's own.
    let top = a.scores.iter().map(|s| s.clv).fold(f64::MIN, f64::max);
    let first = page.rows[0][1].data.as_ref().unwrap();
    assert_eq!(first.value, top);
    for row in &page.rows {
        let p = row[2].data.as_ref().unwrap();
        let id = p.metric.strip_prefix("p_alive:").unwrap();
        let index = table.customers.iter().position(|c| c.id == id).unwrap() as u32;
        let score = a.scores.iter().find(|s| s.index == index).unwrap();
        assert_eq!(p.value, score.p_alive);
    }
    // Search: one id.
    let id = table.customers[a.scores[3].index as usize].id.clone();
    let query = Query {
        search: id.to_lowercase().to_string(),
        ..Query::default()
    };
    let (page, matches, _) = customer_page(&a, table, &query);
    assert!(matches >= 1);
    assert!(page
        .rows
        .iter()
        .any(|r| r[2].data.as_ref().unwrap().metric == format!("p_alive:{id}")));
    // Sort by P(alive), ascending; the last page is short.
    let query = Query {
        sort: SortKey::PAlive,
        ascending: true,
        page: usize::MAX,
        ..Query::default()
    };
    let (page, matches, pages) = customer_page(&a, table, &query);
    assert_eq!(page.rows.len(), matches - (pages - 1) * PAGE_SIZE);
    let values: Vec<f64> = page
        .rows
        .iter()
        .map(|r| r[2].data.as_ref().unwrap().value)
        .collect();
    assert!(values.windows(2).all(|w| w[0] <= w[1]));
    let highest = a.scores.iter().map(|s| s.p_alive).fold(f64::MIN, f64::max);
    assert_eq!(*values.last().unwrap(), highest);
}

#[test]
fn likely_lost_follows_its_rule() {
    let (outcome, a) = sample();
    let table = &outcome.table;
    let mut sales: Vec<f64> = a
        .scores
        .iter()
        .map(|s| table.customers[s.index as usize].sales)
        .collect();
    sales.sort_by(|x, y| y.total_cmp(x));
    let floor = sales[(sales.len() as f64 * 0.2).ceil() as usize - 1];
    let by_hand: Vec<u32> = a
        .scores
        .iter()
        .filter(|s| s.p_alive < 0.5 && table.customers[s.index as usize].sales >= floor)
        .map(|s| s.index)
        .collect();
    let lost = likely_lost(&a, table);
    let mut got: Vec<u32> = lost.iter().map(|s| s.index).collect();
    assert!(lost
        .windows(2)
        .all(|w| table.customers[w[0].index as usize].sales
            >= table.customers[w[1].index as usize].sales));
    got.sort_unstable();
    let mut want = by_hand;
    want.sort_unstable();
    assert_eq!(got, want);
    let (rows, more) = likely_lost_rows(&lost, table);
    assert_eq!(rows.rows.len() + more, lost.len());
}

#[test]
fn segments_hold_every_customers_value() {
    let (outcome, a) = sample();
    let rfm = analyse_rfm(
        &outcome.table,
        &RfmConfig::default(),
        &SegmentRules::default(),
    )
    .unwrap();
    for lang in [Lang::Zh, Lang::En] {
        let rows = segment_rows(&a, &rfm, &outcome.table, lang);
        let customers: f64 = rows
            .rows
            .iter()
            .map(|r| r[1].display.replace(',', "").parse::<f64>().unwrap())
            .sum();
        assert_eq!(customers as usize, a.scores.len());
        let clv: f64 = rows
            .rows
            .iter()
            .map(|r| r[2].data.as_ref().unwrap().value)
            .sum();
        assert!((clv - a.clv_total).abs() < 1e-6 * a.clv_total.abs().max(1.0));
    }
}

#[test]
fn every_word_is_filled_in_both_languages_and_charts_draw() {
    let (outcome, a) = sample();
    for lang in [Lang::Zh, Lang::En] {
        let mut texts = vec![
            facts(&a, lang),
            report_summary(&a, lang),
            method_note(&a, lang).value,
            likely_lost_rule(lang),
        ];
        texts.extend(
            headline(&a, lang)
                .into_iter()
                .flat_map(|m| [m.label, m.display, m.note.unwrap_or_default()]),
        );
        texts.extend(fit_notes(&a, lang).into_iter().map(|n| n.text));
        for text in &texts {
            assert!(
                !text.contains('{') && !text.is_empty() || text.is_empty(),
                "{text}"
            );
            assert!(!text.contains("{0}"), "{text}");
        }
        let style = ChartStyle::new(lang);
        let figures = [
            backtest_chart(&a, "b", &style).unwrap(),
            tracking_chart(&a, "t", &style),
            p_alive_chart(&a, "p", &style),
            value_decile_chart(&a.deciles, "d", &style),
        ];
        for f in figures {
            assert!(f.svg.is_ok(), "{}: {:?}", f.name, f.svg.err());
        }
        let csv = scores_csv(&a, &outcome.table, "x", lang);
        assert_eq!(csv.rows.len(), a.scores.len());
        assert!(csv.rows.iter().all(|r| r.len() == csv.header.len()));
        assert_eq!(tracking_csv(&a, "t", lang).rows.len(), a.tracking.len());
        assert!(backtest_rows(&a, lang).unwrap().rows.len() >= 2);
    }
}

/// The report's top customers are the first of a full comparison sort by CLV (ties by id
/// order), however many are asked for.
#[test]
fn the_top_customers_are_the_first_of_the_ranking() {
    let (outcome, a) = sample();
    let table = &outcome.table;
    let mut all: Vec<&CustomerScore> = a.scores.iter().collect();
    all.sort_by(|x, y| y.clv.total_cmp(&x.clv).then(x.index.cmp(&y.index)));
    for count in [0, 1, 10, a.scores.len(), a.scores.len() + 5] {
        let shown: Vec<String> = top_customers(&a, table, count)
            .rows
            .iter()
            .map(|r| r[2].data.as_ref().unwrap().metric.clone())
            .collect();
        let expected: Vec<String> = all
            .iter()
            .take(count)
            .map(|s| format!("p_alive:{}", table.customers[s.index as usize].id))
            .collect();
        assert_eq!(shown, expected, "{count}");
    }
}
