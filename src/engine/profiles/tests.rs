//! Unit tests of the profiles with hand-computed values (the pandas and scipy comparison is in
//! `tests/profiles_oracle.rs`).

use super::correlation::{average_ranks, cramers_v, eta, spearman};
use super::*;
use crate::engine::clusters::{analyse_clusters, ClusterConfig};
use crate::engine::ingest::{import_bytes, InspectOptions};
use crate::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};

fn close(a: Option<f64>, b: f64) {
    let a = a.unwrap_or(f64::NAN);
    assert!((a - b).abs() < 1e-12, "{a} vs {b}");
}

#[test]
fn ties_take_their_average_rank() {
    assert_eq!(
        average_ranks(&[10.0, 20.0, 20.0, 30.0, 20.0]),
        [1.0, 3.0, 3.0, 5.0, 3.0]
    );
    assert_eq!(average_ranks(&[]), Vec::<f64>::new());
}

#[test]
fn spearman_by_hand() {
    // y ranks 1, 2, 3.5, 5, 3.5: Σdxdy = 8, Σdx² = 10, Σdy² = 9.5.
    let x: Vec<Option<f64>> = [1.0, 2.0, 3.0, 4.0, 5.0, 9.0].map(Some).to_vec();
    let mut y: Vec<Option<f64>> = [5.0, 6.0, 7.0, 8.0, 7.0].map(Some).to_vec();
    y.push(None);
    let (rho, n) = spearman(&x, &y);
    assert_eq!(n, 5);
    close(rho, 8.0 / 95f64.sqrt());
    // A constant series has no correlation; one pair is too few.
    assert_eq!(spearman(&x, &[Some(1.0); 6]), (None, 6));
    assert_eq!(spearman(&[Some(1.0)], &[Some(2.0)]), (None, 1));
    close(spearman(&x, &x).0, 1.0);
}

#[test]
fn cramers_v_by_hand() {
    // 4 1 / 1 4: χ² = 3.6, φ² = 0.36, φ̃² = 0.36 − 1/9, r̃ = k̃ = 2 − 1/9.
    let x = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    let y = [0, 0, 0, 0, 1, 0, 1, 1, 1, 1];
    let (v, n) = cramers_v(&x, &y);
    assert_eq!(n, 10);
    close(v, ((0.36_f64 - 1.0 / 9.0) / (1.0 - 1.0 / 9.0)).sqrt());
    // Perfect association of 2 × 2 on 4: φ̃² = 2/3 = min(k̃, r̃) − 1.
    close(cramers_v(&[0, 0, 1, 1], &[5, 5, 7, 7]).0, 1.0);
    // Weak association corrected to 0; one category gives no value.
    close(cramers_v(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 1, 0]).0, 0.0);
    assert_eq!(cramers_v(&[0, 0, 0], &[1, 2, 3]), (None, 3));
}

#[test]
fn eta_by_hand() {
    // Means 2 and 6 around 4: between 16, total 20.
    let codes = [0, 0, 1, 1, 1];
    let values = [Some(1.0), Some(3.0), Some(5.0), Some(7.0), None];
    let (e, n) = eta(&codes, &values);
    assert_eq!(n, 4);
    close(e, 0.8f64.sqrt());
    assert_eq!(eta(&codes, &[Some(2.0); 5]), (None, 5));
}

#[test]
fn ages_and_years_fall_in_their_bands() {
    use AgeBand::*;
    let age = AgeBasis::Age;
    for (cell, band) in [
        ("24", Under25),
        ("0", Under25),
        (" 25 ", From25To34),
        ("34.9", From25To34),
        ("35", From35To44),
        ("54", From45To54),
        ("64", From55To64),
        ("65", From65),
        ("120", From65),
        ("121", Unknown),
        ("-1", Unknown),
        ("abc", Unknown),
        ("", Unknown),
        ("NaN", Unknown),
        ("inf", Unknown),
    ] {
        assert_eq!(age.band(cell), band, "{cell}");
    }
    let year = AgeBasis::BirthYear {
        reference_year: 2024,
    };
    for (cell, band) in [
        ("2000", Under25),
        ("1999", From25To34),
        ("1959", From65),
        ("1999.5", Unknown),
        ("2025", Unknown),
        ("1900", Unknown),
        ("x", Unknown),
    ] {
        assert_eq!(year.band(cell), band, "{cell}");
    }
}

const CSV: &str = "customer,date,amount,region,年龄\n\
a,2024-01-05,100,north,30\n\
b,2024-01-06,50,north,\n\
c,2024-02-01,30,south,abc\n\
d,2024-03-01,20,,70\n\
e,2024-03-02,80,south,22\n\
a,2024-03-03,10,north,31\n";

fn imported() -> crate::engine::ingest::ImportOutcome {
    import_bytes(CSV.as_bytes(), &InspectOptions::default()).unwrap()
}

#[test]
fn profiles_of_a_small_file() {
    let outcome = imported();
    let attributes = outcome.customer_attributes().unwrap();
    let keys: Vec<&str> = attributes
        .attributes
        .iter()
        .map(|a| a.key.as_str())
        .collect();
    assert_eq!(keys, ["region", "age"]);
    let p = analyse_profiles(&outcome.table, attributes, &ProfileConfig::default()).unwrap();
    assert_eq!(p.customers, 5);
    assert_eq!(p.reference_year, Some(2024));
    let region = &p.profiles[0];
    assert!(!region.numeric && region.ages.is_none());
    assert_eq!(region.distribution.values[0].label.key(), "north");
    assert_eq!(region.distribution.values[0].total.customers, 2);
    close(region.distribution.values[0].sales_share, 160.0 / 290.0);
    let ages = p.profiles[1].ages.as_ref().unwrap();
    let counts: Vec<usize> = ages.rows.iter().map(|r| r.customers).collect();
    // a 31, e 22, d 70, b blank and c garbage unknown.
    assert_eq!(counts, [1, 1, 0, 0, 0, 1, 2]);
    close(ages.rows[6].sales_share, 80.0 / 290.0);
    // Variables: region, age, recency, frequency, monetary.
    let c = &p.correlations;
    let names: Vec<&str> = c.variables.iter().map(|v| v.key.as_str()).collect();
    assert_eq!(names, ["region", "age", "recency", "frequency", "monetary"]);
    assert_eq!(c.pairs.len(), 10);
    let age_region = c.pair(1, 0).unwrap();
    assert_eq!((age_region.measure, age_region.n), (Measure::Eta, 3));
    // Ages 31 (north), 22 (south), 70 (blank): every group one customer, η = 1.
    close(age_region.value, 1.0);
    let age_monetary = c.pair(1, 4).unwrap();
    assert_eq!(
        (age_monetary.measure, age_monetary.n),
        (Measure::Spearman, 3)
    );
    // Ages 31, 22, 70 against sales 110, 80, 20: ranks 2 1 3 vs 3 2 1 → ρ = −0.5.
    close(age_monetary.value, -0.5);
    assert_eq!(c.pair(2, 3).unwrap().n, 5);
    assert!(c.pair(2, 2).is_none());
}

#[test]
fn cluster_rows_sum_to_the_cluster_sizes() {
    let csv = crate::engine::sample::sample_csv(crate::engine::sample::SampleLanguage::English);
    let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
    let table = &outcome.table;
    let rfm = analyse_rfm(table, &RfmConfig::default(), &SegmentRules::default()).unwrap();
    let clusters = analyse_clusters(table, &rfm, &ClusterConfig::default()).unwrap();
    let region = Attribute {
        key: "region".into(),
        kind: Some(AttributeKind::Region),
        name: "region".into(),
        values: (0..14)
            .map(|i| {
                if i == 0 {
                    String::new()
                } else {
                    format!("r{i}")
                }
            })
            .collect(),
        codes: (0..table.customers.len())
            .map(|i| (i % 14) as u32)
            .collect(),
        changed: 0,
    };
    let d = cluster_dimension(
        table,
        &clusters,
        &rfm.scores,
        &region,
        BreakdownConfig::default(),
    )
    .unwrap();
    assert_eq!(d.groups.len(), 11);
    assert!(d.groups.iter().any(|g| g.key() == "(blank)"));
    assert_eq!(d.groups.last().map(Group::key), Some("(other)"));
    for (row, cluster) in d.counts.iter().zip(&clusters.clusters) {
        assert_eq!(row.iter().sum::<usize>(), cluster.customers);
    }
    let age = Attribute {
        key: "age".into(),
        kind: Some(AttributeKind::Age),
        values: vec!["20".into(), "40".into(), "x".into()],
        codes: (0..table.customers.len()).map(|i| (i % 3) as u32).collect(),
        ..region
    };
    let d = cluster_dimension(
        table,
        &clusters,
        &rfm.scores,
        &age,
        BreakdownConfig::default(),
    )
    .unwrap();
    assert_eq!(d.groups.len(), 7);
    let by_band: Vec<usize> = (0..7)
        .map(|b| d.counts.iter().map(|r| r[b]).sum())
        .collect();
    let n = rfm.scores.customers.len();
    assert_eq!(by_band.iter().sum::<usize>(), n);
    assert_eq!(
        by_band[1] + by_band[2] + by_band[3] + by_band[4] + by_band[5],
        by_band[2]
    );
}

/// The ranks as the first version computed them: indices sorted by a comparison of their values
/// (`f64::total_cmp`, stable), equal values (`==`) at their average rank.
fn ranks_by_comparison(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        for &i in &order[start..end] {
            ranks[i] = (start + 1 + end) as f64 / 2.0;
        }
        start = end;
    }
    ranks
}

#[test]
fn radix_ranks_equal_a_comparison_sort() {
    let mut next = crate::engine::test_support::xorshift(0x2545_f491_4f6c_dd1d);
    let specials: Vec<f64> = crate::engine::test_support::AWKWARD_FLOATS
        .into_iter()
        .chain([1e-300])
        .collect();
    for round in 0..40 {
        let n = [0, 1, 2, 63, 64, 65, 500, 3_000][round % 8];
        let values: Vec<f64> = (0..n)
            .map(|_| match next() % 10 {
                // Many ties, small integers (only a byte or two of the keys vary), specials.
                0..=3 => (next() % 7) as f64,
                4 => specials[(next() % specials.len() as u64) as usize],
                5 => -((next() % 1000) as f64) / 8.0,
                _ => (next() % 1_000_000) as f64 / 100.0 - 2_000.0,
            })
            .collect();
        let got = average_ranks(&values);
        let want = ranks_by_comparison(&values);
        assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(
                g.to_bits(),
                w.to_bits(),
                "round {round}, value {i}: {}",
                values[i]
            );
        }
    }
}

#[test]
fn many_codes_give_the_same_measures() {
    // Codes past the arrays' bound are counted in hash maps: the same figures.
    let x: Vec<u32> = (0..600).map(|i| (i * 7 % 13) as u32).collect();
    let y: Vec<u32> = (0..600).map(|i| ((i * i) % 11) as u32).collect();
    let far = |codes: &[u32]| codes.iter().map(|c| c + 5_000).collect::<Vec<u32>>();
    let values: Vec<Option<f64>> = (0..600)
        .map(|i| (i % 17 != 0).then(|| ((i * 31) % 97) as f64))
        .collect();
    let (v, n) = cramers_v(&x, &y);
    let (v_far, n_far) = cramers_v(&far(&x), &far(&y));
    assert_eq!(n, n_far);
    assert!((v.unwrap() - v_far.unwrap()).abs() < 1e-12);
    let (v_mixed, _) = cramers_v(&x, &far(&y));
    assert!((v.unwrap() - v_mixed.unwrap()).abs() < 1e-12);
    let (e, n) = eta(&x, &values);
    let (e_far, n_far) = eta(&far(&x), &values);
    assert_eq!(n, n_far);
    assert!((e.unwrap() - e_far.unwrap()).abs() < 1e-12);
}

#[test]
fn full_columns_ranked_once_give_each_pairs_spearman() {
    let csv = crate::engine::sample::sample_csv(crate::engine::sample::SampleLanguage::English);
    let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
    let table = &outcome.table;
    let n = table.customers.len();
    let attributes = CustomerAttributes {
        attributes: vec![Attribute {
            key: "region".into(),
            kind: Some(AttributeKind::Region),
            name: "region".into(),
            values: vec!["a".into(), "b".into(), "c".into()],
            codes: (0..n).map(|i| (i % 3) as u32).collect(),
            changed: 0,
        }],
    };
    let c = correlations(table, &attributes, None).unwrap();
    let column = |key: &str| -> Vec<Option<f64>> {
        table
            .customers
            .iter()
            .map(|c| match key {
                "frequency" => Some(f64::from(c.orders)),
                "monetary" => Some(c.sales),
                _ => Some(c.profit),
            })
            .collect()
    };
    let index = |key: &str| c.variables.iter().position(|v| v.key == key).unwrap();
    let keys = ["frequency", "monetary", "profit"];
    let mut checked = 0;
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            let (Some(ia), Some(ib)) = (
                c.variables.iter().position(|v| v.key == *a),
                c.variables.iter().position(|v| v.key == *b),
            ) else {
                continue;
            };
            let pair = c.pair(ia.min(ib), ia.max(ib)).unwrap();
            let (rho, count) = spearman(&column(a), &column(b));
            assert_eq!(pair.n, count);
            assert_eq!(
                pair.value.map(f64::to_bits),
                rho.map(f64::to_bits),
                "{a} × {b}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 1);
    assert!(c.pair(index("region"), index("monetary")).is_some());
    // In pieces, one step at a time, the same table.
    let mut steps = CorrelationSteps::new(table, &attributes, None).unwrap();
    let mut pieces = 0;
    while steps.step(table, &attributes) {
        pieces += 1;
    }
    assert!(pieces > c.pairs.len());
    assert_eq!(steps.finish(table, &attributes).unwrap(), c);
}
