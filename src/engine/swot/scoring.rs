//! Totals per quadrant (合计, 平均, 加权): sums of item scores, means and weighted totals.

use super::*;

/// How the weights of a quadrant's items were used ([`QuadrantTotals::weighting`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Weighting {
    /// No item has a weight (or the quadrant is empty): every item weighs the same, so the
    /// weighted total is the mean.
    Equal,
    /// Every item has a weight and they add up to more than 0.
    Weighted,
    /// Some items have a weight and `missing` do not: the weighted total is not defined until
    /// the user gives them one (no weight is guessed).
    Partial {
        /// Items without a weight.
        missing: usize,
    },
    /// Every item has a weight, but they are all 0: nothing to normalise by.
    ZeroSum,
}

/// One item's normalised weight in its quadrant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WeightShare {
    /// The item's id.
    pub item: u64,
    /// The item's weight / the sum of the quadrant's weights (the shares of a quadrant add up
    /// to 1); 1 / n for [`Weighting::Equal`].
    pub share: f64,
    /// `share` × the item's score: its part of the weighted total.
    pub weighted_score: f64,
}

/// The figures of one quadrant of one board ([`board_totals`]).
///
/// **Weights are normalised per quadrant**: an item's weighted score is its share of the
/// quadrant's weights × its score, and the weighted total is the sum of those, Σ wᵢsᵢ / Σ wᵢ —
/// the category score of the quantified SWOT (calculatemax), on the 1–10 scale of one score.
/// So weights typed as `3, 2, 1`, `0.5, 0.33, 0.17` or `50%, 33%, 17%` give the same result,
/// boards weighted on different scales compare, and the weighted total does not grow with the
/// number of items (the plain total does; that is the document's figure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuadrantTotals {
    /// The quadrant.
    pub quadrant: Quadrant,
    /// Number of items (with a score).
    pub items: usize,
    /// Sum of the item scores (each the mean of its respondents); 0 for an empty quadrant.
    pub total: f64,
    /// `total / items`; `None` for an empty quadrant.
    pub mean: Option<f64>,
    /// How weights were used.
    pub weighting: Weighting,
    /// Σ share × score ([`Weighting::Equal`]: the mean); 0 for an empty quadrant (nothing to
    /// weigh, as its total is 0); `None` for [`Weighting::Partial`] and [`Weighting::ZeroSum`].
    pub weighted_total: Option<f64>,
    /// Every item's normalised weight, in display order; empty when `weighted_total` is `None`.
    pub shares: Vec<WeightShare>,
}

/// The four [`QuadrantTotals`] of a board, in S, W, O, T order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardTotals {
    /// S, W, O, T.
    pub quadrants: [QuadrantTotals; 4],
}

impl BoardTotals {
    /// The totals of one quadrant.
    pub fn get(&self, quadrant: Quadrant) -> &QuadrantTotals {
        &self.quadrants[quadrant.index()]
    }

    /// The quadrant's total ([`PositionBasis::Totals`]) or weighted total
    /// ([`PositionBasis::Weighted`]; `None` when not defined).
    pub fn value(&self, quadrant: Quadrant, basis: PositionBasis) -> Option<f64> {
        let totals = self.get(quadrant);
        match basis {
            PositionBasis::Totals => Some(totals.total),
            PositionBasis::Weighted => totals.weighted_total,
        }
    }
}

/// Totals, means, and weighted totals with normalised weights of every quadrant of a board.
///
/// Items without a score (which no method here creates) count nowhere.
pub fn board_totals(board: &Board) -> BoardTotals {
    BoardTotals {
        quadrants: Quadrant::ALL.map(|q| quadrant_totals(board, q)),
    }
}

pub(super) fn quadrant_totals(board: &Board, quadrant: Quadrant) -> QuadrantTotals {
    let scored: Vec<(&SwotItem, f64)> = board
        .items_in(quadrant)
        .filter_map(|i| Some((i, i.score()?)))
        .collect();
    let items = scored.len();
    let total: f64 = scored.iter().map(|(_, s)| s).sum();
    let mean = (items > 0).then(|| total / items as f64);
    let missing = scored.iter().filter(|(i, _)| i.weight.is_none()).count();
    let weight_sum: f64 = scored.iter().filter_map(|(i, _)| i.weight).sum();
    let weighting = if missing == items {
        Weighting::Equal
    } else if missing > 0 {
        Weighting::Partial { missing }
    } else if weight_sum > 0.0 {
        Weighting::Weighted
    } else {
        Weighting::ZeroSum
    };
    let shares: Vec<WeightShare> = match weighting {
        Weighting::Equal => scored
            .iter()
            .map(|&(i, s)| WeightShare {
                item: i.id,
                share: 1.0 / items as f64,
                weighted_score: s / items as f64,
            })
            .collect(),
        Weighting::Weighted => scored
            .iter()
            .map(|&(i, s)| {
                let share = i.weight.unwrap_or(0.0) / weight_sum;
                WeightShare {
                    item: i.id,
                    share,
                    weighted_score: share * s,
                }
            })
            .collect(),
        Weighting::Partial { .. } | Weighting::ZeroSum => Vec::new(),
    };
    let weighted_total = match weighting {
        Weighting::Equal => Some(mean.unwrap_or(0.0)),
        Weighting::Weighted => Some(shares.iter().map(|s| s.weighted_score).sum()),
        Weighting::Partial { .. } | Weighting::ZeroSum => None,
    };
    QuadrantTotals {
        quadrant,
        items,
        total,
        mean,
        weighting,
        weighted_total,
        shares,
    }
}
