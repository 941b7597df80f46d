//! Unit tests of the SWOT internals (the public behaviour is in `tests/swot.rs`).

use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn quadrant_names_parse() {
    use Quadrant::*;
    let cases: &[(&str, Option<Quadrant>)] = &[
        ("S", Some(Strengths)),
        ("w", Some(Weaknesses)),
        (" O ", Some(Opportunities)),
        ("t", Some(Threats)),
        ("Strength", Some(Strengths)),
        ("STRENGTHS", Some(Strengths)),
        ("weakness", Some(Weaknesses)),
        ("Weaknesses", Some(Weaknesses)),
        ("opportunity", Some(Opportunities)),
        ("Opportunities", Some(Opportunities)),
        ("threat", Some(Threats)),
        ("Threats", Some(Threats)),
        ("优势", Some(Strengths)),
        ("劣势", Some(Weaknesses)),
        ("机会", Some(Opportunities)),
        ("威胁", Some(Threats)),
        ("優勢", Some(Strengths)),
        ("劣勢", Some(Weaknesses)),
        ("機會", Some(Opportunities)),
        ("威脅", Some(Threats)),
        ("Ｓ", Some(Strengths)),
        ("优势(S)", Some(Strengths)),
        ("优势（S）", Some(Strengths)),
        ("S-优势", Some(Strengths)),
        ("S：优势", Some(Strengths)),
        ("【T】威胁", Some(Threats)),
        ("Threats / 威脅", Some(Threats)),
        ("\u{3000}机会\u{3000}", Some(Opportunities)),
        ("S/W", None),
        ("优势(W)", None),
        ("strong", None),
        ("X", None),
        ("", None),
        ("()", None),
        ("优点", None),
    ];
    for (text, expected) in cases {
        assert_eq!(Quadrant::parse(text), *expected, "{text:?}");
    }
    for q in Quadrant::ALL {
        let zh_hant = ["優勢", "劣勢", "機會", "威脅"][q.index()];
        let zh = crate::engine::vocabulary::QUADRANT_NAMES_ZH[q.index()];
        for name in [q.letter(), zh, zh_hant, q.name_en()] {
            assert_eq!(Quadrant::parse(name), Some(q), "{name}");
        }
    }
}

#[test]
fn header_aliases() {
    let cases: &[(&str, Option<SwotColumn>)] = &[
        ("quadrant", Some(SwotColumn::Quadrant)),
        ("Quadrant", Some(SwotColumn::Quadrant)),
        ("象限", Some(SwotColumn::Quadrant)),
        ("類別", Some(SwotColumn::Quadrant)),
        ("项目", Some(SwotColumn::Item)),
        ("條目", Some(SwotColumn::Item)),
        ("內容", Some(SwotColumn::Item)),
        ("Score (1-10)", Some(SwotColumn::Score)),
        ("评分（1-10分）", Some(SwotColumn::Score)),
        ("分數", Some(SwotColumn::Score)),
        ("權重", Some(SwotColumn::Weight)),
        ("评分人", Some(SwotColumn::Respondent)),
        ("競爭對手", Some(SwotColumn::Competitor)),
        ("\u{feff}象限", Some(SwotColumn::Quadrant)),
        ("(score)", None),
        ("备注", None),
        ("", None),
    ];
    for (header, expected) in cases {
        assert_eq!(SwotColumn::of_header(header), *expected, "{header:?}");
    }
    // No alias is claimed by two columns.
    let mut seen = HashSet::new();
    for column in SwotColumn::ALL {
        for alias in column.aliases() {
            assert!(seen.insert(*alias), "{alias}");
            assert_eq!(SwotColumn::of_header(alias), Some(column), "{alias}");
        }
    }
}

#[test]
fn spread_of_scores() {
    let item = |scores: &[f64]| SwotItem {
        id: 1,
        quadrant: Quadrant::Strengths,
        text: "x".into(),
        scores: scores.to_vec(),
        weight: None,
    };
    /// Scores, then mean, min, max, standard deviation.
    type Case<'a> = (&'a [f64], Option<(f64, f64, f64, f64)>);
    let cases: &[Case] = &[
        (&[], None),
        (&[7.0], Some((7.0, 7.0, 7.0, 0.0))),
        (&[6.0, 9.0], Some((7.5, 6.0, 9.0, 1.5))),
        (
            &[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0],
            Some((5.0, 2.0, 9.0, 2.0)),
        ),
    ];
    for (scores, expected) in cases {
        let got = item(scores).spread().map(|s| {
            (
                item(scores).score().unwrap_or(f64::NAN),
                s.min,
                s.max,
                s.std_dev,
            )
        });
        assert_eq!(got, *expected, "{scores:?}");
    }
}

#[test]
fn tows_quadrant_of_signs_and_zeros() {
    let cases = [
        (1.0, 1.0, TowsQuadrant::SO),
        (1.0, -1.0, TowsQuadrant::ST),
        (-1.0, 1.0, TowsQuadrant::WO),
        (-1.0, -1.0, TowsQuadrant::WT),
        (0.0, 0.0, TowsQuadrant::SO),
        (0.0, -1.0, TowsQuadrant::ST),
        (-1.0, 0.0, TowsQuadrant::WO),
        (0.0, -0.0, TowsQuadrant::SO),
    ];
    for (x, y, expected) in cases {
        assert_eq!(TowsQuadrant::of(x, y), expected, "({x}, {y})");
    }
    assert_eq!(snap_to_zero(1.1 + 2.2 - 3.3), 0.0);
    assert_ne!(1.1 + 2.2 - 3.3, 0.0);
}

#[test]
fn standing_reads_weaknesses_and_threats_inverted() {
    use Quadrant::*;
    let cases = [
        (Strengths, 15.0, 17.0, Standing::Stronger),
        (Strengths, 15.0, 9.0, Standing::Weaker),
        (Opportunities, 7.0, 8.0, Standing::Stronger),
        (Weaknesses, 6.0, 5.0, Standing::Stronger),
        (Weaknesses, 6.0, 8.0, Standing::Weaker),
        (Threats, 5.0, 4.0, Standing::Stronger),
        (Threats, 5.0, 7.0, Standing::Weaker),
        (Strengths, 3.3, 1.1 + 2.2, Standing::Equal),
    ];
    for (q, ours, theirs, expected) in cases {
        assert_eq!(
            Standing::of(q, ours, theirs),
            expected,
            "{q:?} {ours} {theirs}"
        );
    }
}

#[test]
fn weighting_cases() {
    let mut workbench = Workbench::default();
    let us = workbench.us.id;
    let a = workbench
        .add_item(us, Quadrant::Strengths, "a", 8.0)
        .unwrap();
    let b = workbench
        .add_item(us, Quadrant::Strengths, "b", 6.0)
        .unwrap();
    let totals = |w: &Workbench| board_totals(&w.us).get(Quadrant::Strengths).clone();
    let equal = totals(&workbench);
    assert_eq!(equal.weighting, Weighting::Equal);
    assert_eq!(equal.weighted_total, Some(7.0));
    workbench.set_weight(a, Some(3.0)).unwrap();
    assert_eq!(
        totals(&workbench).weighting,
        Weighting::Partial { missing: 1 }
    );
    assert_eq!(totals(&workbench).weighted_total, None);
    workbench.set_weight(b, Some(1.0)).unwrap();
    let weighted = totals(&workbench);
    assert_eq!(weighted.weighting, Weighting::Weighted);
    assert!(close(
        weighted.weighted_total.unwrap(),
        0.75 * 8.0 + 0.25 * 6.0
    ));
    assert_eq!(
        weighted.shares.iter().map(|s| s.share).collect::<Vec<_>>(),
        [0.75, 0.25]
    );
    workbench.set_weight(a, Some(0.0)).unwrap();
    workbench.set_weight(b, Some(0.0)).unwrap();
    assert_eq!(totals(&workbench).weighting, Weighting::ZeroSum);
    assert_eq!(totals(&workbench).weighted_total, None);
    let empty = board_totals(&workbench.us).get(Quadrant::Threats).clone();
    assert_eq!(
        (empty.items, empty.total, empty.mean, empty.weighted_total),
        (0, 0.0, None, Some(0.0))
    );
}

#[test]
fn text_cells_lose_the_neutralising_quote_only() {
    let cases = [
        ("'=1+1", "=1+1"),
        ("'-x", "-x"),
        ("'@SUM(A1)", "@SUM(A1)"),
        ("'quoted'", "'quoted'"),
        ("  plain ", "plain"),
    ];
    for (cell, expected) in cases {
        assert_eq!(text_cell(cell), expected, "{cell:?}");
    }
}
