//! The strategic position (战略定位): x = S − W, y = O − T and its TOWS quadrant. The strategy names
//! and meanings are words, in `i18n`.

use super::*;

/// Which figures the position is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum PositionBasis {
    /// The quadrant totals (the document's figures; more items weigh more).
    #[default]
    Totals,
    /// The weighted totals ([`QuadrantTotals::weighted_total`], each on the 1–10 scale).
    Weighted,
}

/// The TOWS strategy quadrant (Weihrich) a position falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(clippy::upper_case_acronyms)] // the names of the method: SO, ST, WO, WT
pub enum TowsQuadrant {
    /// Strengths and opportunities (x ≥ 0, y ≥ 0): aggressive, growth — use strengths to
    /// seize opportunities.
    SO,
    /// Strengths and threats (x ≥ 0, y < 0): diversification — use strengths to counter threats.
    ST,
    /// Weaknesses and opportunities (x < 0, y ≥ 0): turnaround — overcome weaknesses by using
    /// opportunities.
    WO,
    /// Weaknesses and threats (x < 0, y < 0): defensive — reduce weaknesses, avoid threats.
    WT,
}

impl TowsQuadrant {
    /// All four, SO, ST, WO, WT.
    pub const ALL: [TowsQuadrant; 4] = [
        TowsQuadrant::SO,
        TowsQuadrant::ST,
        TowsQuadrant::WO,
        TowsQuadrant::WT,
    ];

    /// The quadrant of a position. A coordinate of exactly 0 (after [`position`] has snapped
    /// values within 10⁻⁹ to 0) counts as the favourable side: strengths balancing weaknesses
    /// is not a weakness, opportunities balancing threats is not a threat. So `(0, 0)` is SO,
    /// `(0, −1)` ST, `(−1, 0)` WO; [`Position::on_axis`] tells the UI to say it is a border case.
    pub fn of(x: f64, y: f64) -> TowsQuadrant {
        match (x >= 0.0, y >= 0.0) {
            (true, true) => TowsQuadrant::SO,
            (true, false) => TowsQuadrant::ST,
            (false, true) => TowsQuadrant::WO,
            (false, false) => TowsQuadrant::WT,
        }
    }

    /// `SO`, `ST`, `WO` or `WT`.
    pub fn as_str(self) -> &'static str {
        match self {
            TowsQuadrant::SO => "SO",
            TowsQuadrant::ST => "ST",
            TowsQuadrant::WO => "WO",
            TowsQuadrant::WT => "WT",
        }
    }
}

/// A board's strategic position ([`position`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Internal: S − W (the chosen basis), snapped to 0 within 10⁻⁹.
    pub x: f64,
    /// External: O − T, snapped to 0 within 10⁻⁹.
    pub y: f64,
    /// The TOWS quadrant (see [`TowsQuadrant::of`] for a 0 coordinate).
    pub tows: TowsQuadrant,
    /// True when x or y is exactly 0: the position lies on a border between quadrants.
    pub on_axis: bool,
}

/// The strategic position of a board: x = S − W, y = O − T on `basis`, and its TOWS quadrant.
///
/// `None` when the board has no scored item at all (an empty board has no position, not SO),
/// and for [`PositionBasis::Weighted`] when a quadrant's weighted total is not defined
/// ([`Weighting::Partial`], [`Weighting::ZeroSum`]). Empty quadrants count 0.
pub fn position(board: &Board, basis: PositionBasis) -> Option<Position> {
    position_of(&board_totals(board), basis)
}

/// [`position`] from totals already computed.
pub fn position_of(totals: &BoardTotals, basis: PositionBasis) -> Option<Position> {
    if totals.quadrants.iter().all(|q| q.items == 0) {
        return None;
    }
    let value = |q| totals.value(q, basis);
    let x = snap_to_zero(value(Quadrant::Strengths)? - value(Quadrant::Weaknesses)?);
    let y = snap_to_zero(value(Quadrant::Opportunities)? - value(Quadrant::Threats)?);
    Some(Position {
        x,
        y,
        tows: TowsQuadrant::of(x, y),
        on_axis: x == 0.0 || y == 0.0,
    })
}
