//! Unit tests of the RFM internals (the public behaviour is in `tests/rfm.rs`).

use super::*;
use crate::engine::customers::Columns;

const DATED: Columns = Columns {
    order: true,
    date: true,
    profit: false,
    quantity: false,
};

/// A customer with a last purchase day, orders and net sales.
/// The day `n` days after 1970-01-01.
fn d(n: i32) -> Day {
    Day::from_epoch_days(n)
}

/// A customer whose first and last purchase is day `last`.
fn customer(id: &str, last: Option<i32>, orders: u32, sales: f64) -> Customer {
    let last = last.map(d);
    Customer {
        id: id.into(),
        rows: orders,
        orders,
        sales,
        first: last,
        last,
        ..Default::default()
    }
}

/// `(id, last day, orders, sales)` customers, sorted by id.
fn table(rows: &[(&str, i32, u32, f64)]) -> CustomerTable {
    let mut customers: Vec<Customer> = rows
        .iter()
        .map(|&(id, last, orders, sales)| customer(id, Some(last), orders, sales))
        .collect();
    customers.sort_by(|a, b| a.id.cmp(&b.id));
    CustomerTable {
        customers,
        columns: DATED,
    }
}

/// A configuration with `bins` bins and the analysis day, the rest default.
fn config(bins: u8, analysis_day: Option<i32>) -> RfmConfig {
    RfmConfig {
        bins,
        analysis_day: analysis_day.map(d),
        ..Default::default()
    }
}

fn scores_of(scores: &RfmScores, axis: Axis) -> Vec<u8> {
    scores.customers.iter().map(|c| c.score(axis)).collect()
}

#[test]
fn scores_follow_the_percentile_rank_and_never_split_ties() {
    // (what, values ascending-is-better, bins, expected scores)
    let cases: [(&str, &[u32], u8, &[u8]); 10] = [
        ("one customer", &[7], 5, &[1]),
        ("all equal", &[3, 3, 3, 3], 5, &[1, 1, 1, 1]),
        ("two customers", &[1, 2], 5, &[1, 5]),
        (
            "ten distinct",
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            5,
            &[1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
        ),
        // Without the tie: 1 1 2 2 3 3 4 4 5 5; 4 and 5 tie across the 2|3 boundary.
        (
            "tie across a boundary",
            &[1, 2, 3, 4, 4, 6, 7, 8, 9, 10],
            5,
            &[1, 1, 2, 2, 2, 3, 4, 4, 5, 5],
        ),
        (
            "10 bins, 7 customers",
            &[10, 20, 30, 40, 50, 60, 70],
            10,
            &[1, 2, 4, 6, 7, 9, 10],
        ),
        (
            "10 bins, 7 customers with a tie",
            &[10, 10, 30, 40, 50, 60, 70],
            10,
            &[1, 1, 4, 6, 7, 9, 10],
        ),
        // CDNOW-like: 6 of 10 bought once → F 1; 2 orders start at rank 6 → 1 + 5·6/9 = 4.
        (
            "mostly ones",
            &[1, 1, 1, 1, 1, 1, 2, 2, 3, 9],
            5,
            &[1, 1, 1, 1, 1, 1, 4, 4, 5, 5],
        ),
        ("3 bins", &[5, 1, 4, 2, 3], 3, &[3, 1, 3, 1, 2]),
        ("4 bins, unsorted", &[8, 6, 4, 2, 1], 4, &[4, 4, 3, 2, 1]),
    ];
    for (what, values, bins, expected) in cases {
        let rows: Vec<(String, u32)> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| (format!("c{i:02}"), v))
            .collect();
        let rows: Vec<(&str, i32, u32, f64)> = rows
            .iter()
            .map(|(id, v)| (id.as_str(), 100, *v, 1.0))
            .collect();
        let config = config(bins, None);
        let scores = score_rfm(&table(&rows), &config).unwrap();
        assert_eq!(scores_of(&scores, Axis::Frequency), expected, "{what}");
    }
}

#[test]
fn recency_is_inverted_and_monetary_ties_survive_rounding_noise() {
    let noisy = 100.10 + 162.45;
    assert_ne!(noisy, 262.55);
    // Last purchases: a day 50, b day 40, c day 50, d day 10; analysis day 51.
    let t = table(&[
        ("a", 50, 1, noisy),
        ("b", 40, 1, 262.55),
        ("c", 50, 1, -5.0),
        ("d", 10, 1, 0.0),
    ]);
    let scores = score_rfm(&t, &RfmConfig::default()).unwrap();
    assert_eq!(scores.analysis_day, d(51));
    let days: Vec<i32> = scores.customers.iter().map(|c| c.recency_days).collect();
    assert_eq!(days, [1, 11, 1, 41]);
    // R: d (41 days) worst → 1; b (11) rank 1 → 1 + 5/3 = 2; a, c (1 day) rank 2 → 4.
    assert_eq!(scores_of(&scores, Axis::Recency), [4, 2, 4, 1]);
    // M: c −5 → 1; d 0 → 2; a and b tie at 262.55 → rank 2 → 4.
    assert_eq!(scores_of(&scores, Axis::Monetary), [4, 4, 1, 2]);
    let m = &scores.thresholds.m;
    assert_eq!(m.distinct_values, 3);
    assert_eq!(m.sizes(), [1, 1, 0, 2, 0]);
    assert_eq!(m.tie_free_sizes, [1, 1, 0, 1, 1]);
    // Cuts: smallest M above 1 is 0, above 2 and 3 is 262.55 (a's noisy value is the raw
    // minimum), above 4 nobody.
    assert_eq!(m.cuts, [Some(0.0), Some(noisy), Some(noisy), None]);
    // R cuts: largest days scoring above k.
    assert_eq!(
        scores.thresholds.r.cuts,
        [Some(11.0), Some(1.0), Some(1.0), None]
    );
}

/// Amounts whose step counts pack with their places (below 2^53 steps) and amounts that do
/// not (a count beyond it: the keys paired with the places) score alike, ties kept.
#[test]
fn monetary_scores_are_the_same_whether_the_keys_pack_or_pair() {
    let noisy = 100.10 + 162.45;
    for largest in [9.0e9, 2.0e10] {
        let t = table(&[
            ("a", 50, 1, noisy),
            ("b", 40, 1, 262.55),
            ("c", 50, 1, -5.0),
            ("d", 10, 1, largest),
            ("e", 10, 1, -0.0),
            ("f", 10, 1, 0.0),
        ]);
        let scores = score_rfm(&t, &RfmConfig::default()).unwrap();
        // c −5 rank 0 → 1; e and f (−0 = 0) rank 1 → 1 + 5/5 = 2; a and b rank 3 → 4;
        // d rank 5 → 6, at most 5.
        assert_eq!(
            scores_of(&scores, Axis::Monetary),
            [4, 4, 1, 5, 2, 2],
            "{largest}"
        );
        assert_eq!(scores.thresholds.m.distinct_values, 4, "{largest}");
    }
}

#[test]
fn tie_free_sizes_match_the_rule_on_distinct_positions() {
    for n in [1usize, 2, 3, 7, 10, 11, 25, 99, 1000] {
        for bins in BIN_CHOICES {
            let mut expected = vec![0; usize::from(bins)];
            for w in 0..n {
                expected[usize::from(score_of_rank(w, n, bins)) - 1] += 1;
            }
            let rows: Vec<(String, u32)> = (0..n).map(|i| (format!("c{i:04}"), i as u32)).collect();
            let rows: Vec<(&str, i32, u32, f64)> = rows
                .iter()
                .map(|(id, v)| (id.as_str(), 0, *v, 0.0))
                .collect();
            let config = config(bins, None);
            let scores = score_rfm(&table(&rows), &config).unwrap();
            assert_eq!(
                scores.thresholds.f.tie_free_sizes, expected,
                "n {n} bins {bins}"
            );
            assert_eq!(scores.thresholds.f.sizes(), expected, "n {n} bins {bins}");
        }
    }
}

#[test]
fn warnings_name_the_uneven_axes() {
    // 10 customers, 5 bins; F mostly ones (uneven), M distinct (even), R all equal.
    let f = [1, 1, 1, 1, 1, 1, 2, 2, 3, 9];
    let ids: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
    let rows: Vec<(&str, i32, u32, f64)> = (0..10)
        .map(|i| (ids[i].as_str(), 7, f[i], i as f64))
        .collect();
    let scores = score_rfm(&table(&rows), &RfmConfig::default()).unwrap();
    let warned: Vec<(Axis, Vec<usize>, usize)> = scores
        .warnings
        .iter()
        .map(|w| (w.axis, w.sizes.clone(), w.distinct_values))
        .collect();
    assert_eq!(
        warned,
        [
            (Axis::Recency, vec![10, 0, 0, 0, 0], 1),
            (Axis::Frequency, vec![6, 0, 0, 2, 2], 4),
        ]
    );
    assert_eq!(scores.warnings[0].tie_free_sizes, [2, 2, 2, 2, 2]);
    // A tie that moves one customer in 1000 is no warning.
    let ids: Vec<String> = (0..1000).map(|i| format!("c{i:04}")).collect();
    let rows: Vec<(&str, i32, u32, f64)> = (0..1000)
        .map(|i| {
            (
                ids[i].as_str(),
                i as i32,
                1,
                if i == 200 { 199.0 } else { i as f64 },
            )
        })
        .collect();
    let scores = score_rfm(&table(&rows), &RfmConfig::default()).unwrap();
    assert_eq!(scores.thresholds.m.sizes(), [201, 199, 200, 200, 200]);
    let axes: Vec<Axis> = scores.warnings.iter().map(|w| w.axis).collect();
    assert_eq!(axes, [Axis::Frequency]);
}

#[test]
fn config_and_data_errors() {
    let t = table(&[("a", 10, 1, 1.0), ("b", 20, 2, 2.0)]);
    let bad_configs = [
        (config(6, None), "bins"),
        (config(0, None), "bins"),
        (
            config(5, Some(DAY_RANGE.1.epoch_days() + 1)),
            "analysis_day",
        ),
        (config(5, Some(19)), "analysis_day"),
    ];
    for (config, field) in bad_configs {
        match score_rfm(&t, &config) {
            Err(Error::Parameter { name, .. }) => assert_eq!(name, field, "{config:?}"),
            other => panic!("{config:?}: {other:?}"),
        }
    }
    let before = score_rfm(&t, &config(5, Some(19)));
    assert_eq!(
        before,
        Err(parameter(
            "analysis_day",
            ParameterProblem::BeforeLatestPurchase { latest: d(20) }
        ))
    );
    assert_eq!(
        before.unwrap_err().to_string(),
        "parameter 'analysis_day': lies before the latest purchase (1970-01-21): recency \
         would be negative"
    );
    // The analysis day may be the latest purchase day: R = 0.
    let scores = score_rfm(&t, &config(5, Some(20))).unwrap();
    assert_eq!(scores.customers[1].recency_days, 0);
    for bins in BIN_CHOICES {
        assert_eq!(config(bins, None).validate(), Ok(()));
    }

    assert_eq!(
        score_rfm(&CustomerTable::default(), &RfmConfig::default()),
        Err(Error::NoData)
    );
    let no_date_column = CustomerTable {
        columns: Columns {
            date: false,
            ..DATED
        },
        ..t.clone()
    };
    let undated = CustomerTable {
        customers: vec![customer("a", None, 1, 1.0)],
        columns: DATED,
    };
    for table in [no_date_column, undated] {
        match score_rfm(&table, &RfmConfig::default()) {
            Err(Error::Parameter { name, .. }) => assert_eq!(name, "date"),
            other => panic!("{other:?}"),
        }
    }
    // Some undated customers: left out and listed.
    let mut mixed = t.clone();
    mixed.customers.insert(0, customer("0", None, 3, 9.0));
    let scores = score_rfm(&mixed, &RfmConfig::default()).unwrap();
    assert_eq!(scores.undated, [0]);
    let indices: Vec<usize> = scores.customers.iter().map(|c| c.index).collect();
    assert_eq!(indices, [1, 2]);
}

#[test]
fn monetary_can_be_average_order_value_and_frequency_basis_follows_columns() {
    let t = table(&[("a", 5, 4, 100.0), ("b", 5, 1, 40.0), ("c", 5, 2, -10.0)]);
    let config = RfmConfig {
        monetary: Monetary::AverageOrderValue,
        ..Default::default()
    };
    let scores = score_rfm(&t, &config).unwrap();
    let m: Vec<f64> = scores.customers.iter().map(|c| c.monetary).collect();
    assert_eq!(m, [25.0, 40.0, -5.0]);
    assert_eq!(scores_of(&scores, Axis::Monetary), [3, 5, 1]);
    assert_eq!(scores.frequency_basis, FrequencyBasis::Orders);
    let rows_only = CustomerTable {
        columns: Columns {
            order: false,
            ..DATED
        },
        ..t
    };
    assert_eq!(
        score_rfm(&rows_only, &config).unwrap().frequency_basis,
        FrequencyBasis::Rows
    );
    let zero_orders = customer("z", Some(1), 0, 5.0);
    assert_eq!(Monetary::AverageOrderValue.value(&zero_orders), 0.0);
}

#[test]
fn map_score_table() {
    // (from, to, image of 1..=from)
    let cases: [(u8, u8, &[u8]); 7] = [
        (5, 5, &[1, 2, 3, 4, 5]),
        (3, 5, &[1, 3, 5]),
        (4, 5, &[1, 2, 4, 5]),
        (10, 5, &[1, 1, 2, 2, 3, 3, 4, 4, 5, 5]),
        (5, 10, &[2, 4, 6, 8, 10]),
        (5, 3, &[1, 1, 2, 3, 3]),
        (10, 3, &[1, 1, 1, 2, 2, 2, 2, 3, 3, 3]),
    ];
    for (from, to, expected) in cases {
        let got: Vec<u8> = (1..=from).map(|s| map_score(s, from, to)).collect();
        assert_eq!(got, expected, "{from} → {to}");
    }
}

#[test]
fn default_rules_partition_every_cell() {
    let rules = default_rules();
    assert_eq!(rules.validate(), Ok(()));
    assert_eq!(rules.rules.len(), 11);
    // Every one of the 125 cells of the 1–5 scale: exactly one rule.
    for r in 1..=5 {
        for f in 1..=5 {
            for m in 1..=5 {
                let n = rules
                    .rules
                    .iter()
                    .filter(|rule| rule.matches(r, f, m))
                    .count();
                assert_eq!(n, 1, "cell {r}{f}{m}");
            }
        }
    }
    // Through the coverage check, for every bin count; some segments are unreachable with
    // 3 or 4 bins (see map_score).
    let name = |i: usize| rules.rules[i].name_en.as_str();
    let cases: [(u8, &[&str]); 4] = [
        (3, &["Promising", "Hibernating"]),
        (4, &["Need Attention", "About to Sleep"]),
        (5, &[]),
        (10, &[]),
    ];
    for (bins, unused) in cases {
        let coverage = rule_coverage(&rules, bins);
        assert!(coverage.is_partition(), "{bins} bins");
        let got: Vec<&str> = coverage.unused.iter().map(|&i| name(i)).collect();
        assert_eq!(got, unused, "{bins} bins");
    }
    // Names and actions in both languages.
    for rule in &rules.rules {
        assert!(
            !rule.name_zh.is_empty() && !rule.action_en.is_empty() && !rule.action_zh.is_empty()
        );
    }
}

#[test]
fn edited_rules_show_overlaps_gaps_and_other() {
    let mut rules = default_rules();
    // Champions widened to R 4–5: overlaps Potential Loyalist? No: F 4–5 vs 2–3. It
    // overlaps Loyal Customers (R 3–4, F 4–5) at R 4.
    rules.rules[0].r = (4, 5);
    // Lost deleted: R 1, F 1–2 becomes a gap.
    rules.rules.pop();
    let coverage = rule_coverage(&rules, 5);
    assert_eq!(coverage.overlaps.len(), 2 * 5);
    assert_eq!(
        coverage.overlaps[0],
        Overlap {
            cell: (4, 4, 1),
            rules: vec![0, 1]
        }
    );
    assert_eq!(coverage.gaps.len(), 2 * 5);
    assert_eq!(coverage.gaps[0], (1, 1, 1));
    assert!(coverage.unused.is_empty());
    // Moving Loyal Customers first shadows nothing; a duplicate of Champions after it is
    // never first.
    let mut shadow = rules.clone();
    let mut copy = shadow.rules[0].clone();
    copy.name_en = "Champions 2".into();
    shadow.rules.push(copy);
    assert_eq!(rule_coverage(&shadow, 5).unused, [10]);

    let t = table(&[("old", 1, 1, 1.0), ("new", 100, 9, 50.0)]);
    let analysis = analyse_rfm(&t, &RfmConfig::default(), &rules).unwrap();
    // "new": R 5 F 5 → Champions; "old": R 1 F 1 → no rule → Other.
    assert_eq!(analysis.segment_name_of(0), Some("Champions"));
    assert_eq!(analysis.segment_name_of(1), Some(OTHER_EN));
    assert_eq!(analysis.segmentation.other_customers(), 1);
    // A hand-made score outside 1..=bins matches no cell instead of panicking.
    let mut scores = analysis.scores.clone();
    scores.customers[0].r = 0;
    scores.customers[1].m = 6;
    let odd = segment_rfm(&t, &scores, &default_rules()).unwrap();
    assert_eq!(odd.assignments, [None, None]);
    let other = analysis.segmentation.segments.last().unwrap();
    assert_eq!(
        (other.rule, other.name_zh.as_str(), other.revenue),
        (None, OTHER_ZH, 1.0)
    );
}

#[test]
fn rule_tables_are_validated() {
    /// An edit of the default table.
    type Edit = fn(&mut SegmentRules);
    let edit = |f: Edit| {
        let mut rules = default_rules();
        f(&mut rules);
        rules.validate()
    };
    let reason = |r: Result<()>| match r {
        Err(Error::Parameter { name, reason }) => {
            assert_eq!(name, "segment_rules");
            reason
        }
        other => panic!("{other:?}"),
    };
    let cases: [(Edit, &str); 8] = [
        (|r| r.scale = 7, "the scale must be 3, 4, 5 or 10"),
        (|r| r.rules.clear(), "the table must hold 1 to 100 rules"),
        (
            |r| r.rules[2].name_en = " ".into(),
            "rule 3: the English name is empty",
        ),
        (
            |r| r.rules[1].name_en = " other ".into(),
            "rule 2 ' other ': the name 'Other' is kept for unmatched customers",
        ),
        (
            |r| r.rules[1].name_en = "CHAMPIONS".into(),
            "rule 2 'CHAMPIONS': another rule has the same name",
        ),
        (
            |r| r.rules[0].r = (5, 4),
            "rule 1 'Champions': the R range 5–4 must lie within 1–5, lowest first",
        ),
        (
            |r| r.rules[0].f = (0, 4),
            "rule 1 'Champions': the F range 0–4 must lie within 1–5, lowest first",
        ),
        (
            |r| r.rules[10].m = (1, 6),
            "rule 11 'Lost': the M range 1–6 must lie within 1–5, lowest first",
        ),
    ];
    for (f, expected) in cases {
        assert_eq!(reason(edit(f)).to_string(), expected);
    }
    // Rules round-trip through JSON (the UI keeps them in localStorage).
    let rules = default_rules();
    let json = serde_json::to_string(&rules).unwrap();
    assert!(json.contains("\"r\":[5,5]"));
    assert_eq!(serde_json::from_str::<SegmentRules>(&json).unwrap(), rules);
    // A 10-scale table is fine with 5 bins.
    let mut ten = default_rules();
    ten.scale = 10;
    assert_eq!(ten.validate(), Ok(()));
    let t = table(&[("a", 1, 1, 1.0)]);
    assert!(analyse_rfm(&t, &RfmConfig::default(), &ten).is_ok());
}

#[test]
fn tiers_follow_the_total_score() {
    // (bins, low up to, high from)
    for (bins, low_to, high_from) in [(3, 4, 8), (4, 5, 10), (5, 6, 12), (10, 11, 22)] {
        let bounds = tier_bounds(bins);
        assert_eq!(
            (bounds.low_to, bounds.high_from),
            (low_to, high_from),
            "{bins}"
        );
        assert_eq!(ValueTier::of(low_to, bins), ValueTier::Low);
        assert_eq!(ValueTier::of(low_to + 1, bins), ValueTier::Medium);
        assert_eq!(ValueTier::of(high_from - 1, bins), ValueTier::Medium);
        assert_eq!(ValueTier::of(high_from, bins), ValueTier::High);
    }
    // With 5 bins: 20 low, 85 medium, 20 high cells of 125.
    let mut counts = [0; 3];
    for r in 1..=5u16 {
        for f in 1..=5 {
            for m in 1..=5 {
                counts[ValueTier::of(r + f + m, 5) as usize] += 1;
            }
        }
    }
    assert_eq!(counts, [20, 85, 20]);
}

#[test]
fn grid_histograms_and_tiers_add_up() {
    let rows: Vec<(String, i32, u32, f64)> = (0..50)
        .map(|i| {
            (
                format!("c{i:02}"),
                1000 - (i * 7) % 300,
                1 + (i % 30) as u32,
                (i * i) as f64,
            )
        })
        .collect();
    let rows: Vec<(&str, i32, u32, f64)> = rows
        .iter()
        .map(|(id, d, o, s)| (id.as_str(), *d, *o, *s))
        .collect();
    let t = table(&rows);
    let scores = score_rfm(&t, &RfmConfig::default()).unwrap();
    assert_eq!(scores.grid.len(), 25);
    assert_eq!(scores.grid.iter().map(|c| c.customers).sum::<usize>(), 50);
    for cell in &scores.grid {
        assert_eq!(cell.m_scores.iter().sum::<usize>(), cell.customers);
        assert_eq!(scores.cell(cell.r, cell.f), Some(cell));
    }
    assert_eq!(scores.cell(0, 1), None);
    assert_eq!(scores.cell(1, 6), None);
    let total: f64 = (0..50).map(|i| (i * i) as f64).sum();
    assert_eq!(scores.total_revenue, total);
    assert_eq!(scores.tiers.iter().map(|t| t.customers).sum::<usize>(), 50);
    for h in [
        &scores.histograms.recency,
        &scores.histograms.frequency,
        &scores.histograms.monetary,
    ] {
        let inside: usize = h.buckets.iter().map(|b| b.customers).sum();
        let tail = h.overflow.as_ref().map_or(0, |b| b.customers);
        assert_eq!(inside + tail, 50, "{:?}", h.axis);
        assert!(h.buckets.len() <= HISTOGRAM_BUCKETS);
    }
    // R: 1 + (7i mod 300) days, 1 … 295: span 295 → width 15.
    let r = &scores.histograms.recency;
    assert_eq!((r.buckets[0].from, r.buckets[0].to), (1.0, 15.0));
    // F: 1 … 30 orders: buckets 1 … 20, overflow 21 … 30 (i = 20 … 29).
    let f = &scores.histograms.frequency;
    assert_eq!(f.buckets.len(), 20);
    assert_eq!(
        f.overflow,
        Some(Bucket {
            from: 21.0,
            to: 30.0,
            customers: 10
        })
    );
    // M: 0 … 2401; the 99th percentile is rank 50 (⌈49.5⌉), the max: no overflow.
    let m = &scores.histograms.monetary;
    assert_eq!(
        (m.buckets[0].from, m.buckets[19].to, m.overflow.clone()),
        (0.0, 2401.0, None)
    );
}

#[test]
fn money_histogram_edges() {
    // All equal: one bucket.
    let h = money_histogram(&[5.0, 5.0, 5.0]);
    assert_eq!(
        h.buckets,
        [Bucket {
            from: 5.0,
            to: 5.0,
            customers: 3
        }]
    );
    assert_eq!(h.overflow, None);
    // 200 values 1…200: p99 = 198; 199 and 200 overflow; value 198 is in the last bucket.
    let values: Vec<f64> = (1..=200).map(f64::from).collect();
    let h = money_histogram(&values);
    assert_eq!(
        h.overflow,
        Some(Bucket {
            from: 198.0,
            to: 200.0,
            customers: 2
        })
    );
    assert_eq!(h.buckets.iter().map(|b| b.customers).sum::<usize>(), 198);
    assert_eq!(h.buckets[19].to, 198.0);
    // Boundary values land in the bucket whose `from` they equal.
    for bucket in &h.buckets[1..] {
        let on_boundary = values.iter().filter(|&&v| v == bucket.from).count();
        assert!(on_boundary <= bucket.customers);
    }
    // Most equal, one huge: p99 equals the min, the huge one overflows.
    let mut values = vec![10.0; 199];
    values.push(1e9);
    let h = money_histogram(&values);
    assert_eq!(
        h.buckets,
        [Bucket {
            from: 10.0,
            to: 10.0,
            customers: 199
        }]
    );
    assert_eq!(
        h.overflow,
        Some(Bucket {
            from: 10.0,
            to: 1e9,
            customers: 1
        })
    );
    assert_eq!(money_histogram(&[]).buckets, []);
}

#[test]
fn figures_are_named_for_every_segment_and_cut() {
    let t = table(&[("a", 100, 3, 300.0), ("b", 90, 1, 50.0), ("c", 10, 1, 20.0)]);
    let analysis = analyse_rfm(&t, &RfmConfig::default(), &default_rules()).unwrap();
    let figures = analysis.figures();
    let names: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names.len(), 12 + 3 * 4);
    assert_eq!(names[0], "segment_count:Champions");
    assert_eq!(names[8], "segment_count:Can't Lose Them");
    assert_eq!(names[11], "segment_count:Other");
    assert_eq!(
        &names[12..16],
        [
            "rfm_threshold_r_1",
            "rfm_threshold_r_2",
            "rfm_threshold_r_3",
            "rfm_threshold_r_4"
        ]
    );
    assert_eq!(names[23], "rfm_threshold_m_4");
    // R days 1, 11, 91 → scores 5, 3, 1: cuts 11, 11, 1, 1.
    let values: Vec<Option<f64>> = figures[12..16].iter().map(|f| f.value).collect();
    assert_eq!(values, [Some(11.0), Some(11.0), Some(1.0), Some(1.0)]);
    let counts: f64 = figures[..12].iter().filter_map(|f| f.value).sum();
    assert_eq!(counts, 3.0);
}

#[test]
fn codes_and_csv() {
    let score = CustomerScore {
        index: 0,
        recency_days: 0,
        frequency: 1,
        monetary: 0.0,
        r: 10,
        f: 3,
        m: 7,
        tier: ValueTier::Medium,
    };
    assert_eq!(score.code(10), 100_307);
    assert_eq!(
        CustomerScore {
            r: 5,
            f: 4,
            m: 5,
            ..score.clone()
        }
        .code(5),
        545
    );

    let t = table(&[("=cmd()", 100, 3, 300.0), ("b", 90, 1, -12.5)]);
    let analysis = analyse_rfm(&t, &RfmConfig::default(), &default_rules()).unwrap();
    let csv = scored_customers_csv(&t, &analysis, &RfmCsvLabels::default());
    assert_eq!(
        csv,
        "\u{feff}customer,last purchase,recency days,frequency,monetary,R,F,M,RFM code,segment,value tier\r\n\
         '=cmd(),1970-04-11,1,3,300,5,5,5,555,Champions,high value\r\n\
         b,1970-04-01,11,1,-12.5,1,1,1,111,Lost,low value\r\n"
    );
    let csv = scored_customers_csv(
        &t,
        &analysis,
        &crate::i18n::rfm_csv_labels(crate::i18n::Lang::Zh),
    );
    assert!(csv.starts_with("\u{feff}客户,最近购买日期,"));
    assert!(csv.ends_with(",111,流失客户,低价值客户\r\n"));
}

/// The M histogram's least, greatest and 99th-percentile values (selected, not sorted) are those
/// of the values sorted in `f64::total_cmp`'s order, and its one-bucket case counts the head of
/// that sorted list: on ties, −0 and 0, NaN of either sign, infinities and any length.
#[test]
fn money_histogram_takes_its_bounds_from_the_sorted_values() {
    let mut next = crate::engine::test_support::xorshift(5);
    let odd: Vec<f64> = crate::engine::test_support::AWKWARD_FLOATS
        .into_iter()
        .chain([7.0, -3.5])
        .collect();
    for case in 0..400 {
        let n = 1 + (next() % 300) as usize;
        let values: Vec<f64> = (0..n)
            .map(|_| match (case % 4, next() % 5) {
                (0, _) => 7.0,
                (1, 0) | (2, 0) => odd[(next() % odd.len() as u64) as usize],
                (3, _) => (next() % 3) as f64,
                _ => (next() % 100_000) as f64 / 100.0,
            })
            .collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let (min, max) = (sorted[0], sorted[n - 1]);
        let upper = sorted[(99 * n).div_ceil(100).max(1) - 1];
        let h = money_histogram(&values);
        let bits = |v: f64| v.to_bits();
        let counted: usize = h.buckets.iter().map(|b| b.customers).sum::<usize>()
            + h.overflow.as_ref().map_or(0, |b| b.customers);
        assert_eq!(counted, n, "case {case}");
        let first = h.buckets.first().expect("a bucket");
        if upper <= min {
            assert_eq!(bits(first.from), bits(min), "case {case}");
            let at_min = sorted.iter().take_while(|&&v| v <= min).count();
            assert_eq!(h.buckets.len(), 1, "case {case}");
            assert_eq!(
                (bits(first.to), first.customers),
                (bits(min), at_min),
                "case {case}"
            );
            let tail = h
                .overflow
                .as_ref()
                .map(|b| (bits(b.from), bits(b.to), b.customers));
            let expected = (at_min < n).then(|| (bits(min), bits(max), n - at_min));
            assert_eq!(tail, expected, "case {case}");
        } else {
            // The first bound as the histogram computes it (−∞ + 0 × ∞ is NaN).
            let width = (upper - min) / HISTOGRAM_BUCKETS as f64;
            assert_eq!(bits(first.from), bits(min + 0.0 * width), "case {case}");
            let last = h.buckets.last().expect("a bucket");
            assert_eq!(bits(last.to), bits(upper), "case {case}");
            if let Some(tail) = &h.overflow {
                assert_eq!((bits(tail.from), bits(tail.to)), (bits(upper), bits(max)));
            }
        }
    }
}

/// 700 customers with tied recencies, orders and sales (returns among them), a tenth undated.
fn mixed() -> CustomerTable {
    let mut customers: Vec<Customer> = (0..700u32)
        .map(|i| {
            let last = (i % 10 != 3).then_some(19_000 + ((i * 7919) % 365) as i32);
            let sales = f64::from((i * 104_729) % 113) * 2.25 - 30.0;
            customer(
                &format!("r{:04}", (i * 53) % 700),
                last,
                1 + (i * 31) % 9,
                sales,
            )
        })
        .collect();
    customers.sort_by(|a, b| a.id.cmp(&b.id));
    CustomerTable {
        customers,
        columns: DATED,
    }
}

#[test]
fn the_analysis_taken_in_steps_is_the_analysis_at_once_after_any_number_of_steps() {
    let table = mixed();
    let rules = SegmentRules::default();
    for bins in [3, 5] {
        let config = config(bins, None);
        let whole = analyse_rfm(&table, &config, &rules).unwrap();
        assert_eq!(whole.scores, score_rfm(&table, &config).unwrap());
        let mut steps = RfmSteps::new(&table, &config, &rules).unwrap();
        let mut count = 0;
        while steps.step(&table) {
            count += 1;
        }
        // Values, three axes (keys, their sort a byte a piece, the scores), the scored
        // customers, thresholds, grid, histograms, the scores assembled, the segments.
        assert!(count >= 18, "{count} pieces");
        assert_eq!(steps.finish(&table).unwrap(), whole);
        for taken in 0..=count {
            let mut steps = RfmSteps::new(&table, &config, &rules).unwrap();
            for _ in 0..taken {
                steps.step(&table);
            }
            assert_eq!(steps.finish(&table).unwrap(), whole, "after {taken} steps");
        }
    }
}

#[test]
fn rfm_steps_report_the_errors_of_the_analysis_and_do_nothing_on_another_table() {
    let table = mixed();
    let rules = SegmentRules::default();
    let late = config(5, Some(18_000));
    assert_eq!(
        RfmSteps::new(&table, &late, &rules).err(),
        analyse_rfm(&table, &late, &rules).err()
    );
    assert!(RfmSteps::new(&table, &late, &rules).is_err());
    let mut steps = RfmSteps::new(&table, &config(5, None), &rules).unwrap();
    steps.step(&table);
    let other = self::table(&[("a", 19_000, 1, 5.0)]);
    assert!(!steps.step(&other));
    assert_eq!(steps.finish(&other).err(), Some(Error::NoData));
}
