//! Comparison with competitors (竞争对手对比) and the figures for tools and tests.

use super::*;

/// How a competitor's quadrant total compares with ours ([`ComparisonRow::standing`]).
///
/// **Reading:** in strengths and opportunities a higher total is stronger; in weaknesses and
/// threats a *lower* total is stronger (fewer or milder weaknesses, less threatened). A
/// competitor whose strengths total 17 against our 15 is stronger in S; one whose weaknesses
/// total 5 against our 6 is stronger in W.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// Our own row: the reference.
    Ours,
    /// The competitor is stronger than us here (highlight).
    Stronger,
    /// The totals are equal (within 10⁻⁹).
    Equal,
    /// The competitor is weaker than us here.
    Weaker,
    /// The competitor's board or ours has no item in this quadrant: not compared (an empty
    /// quadrant usually means "not filled in", and 0 weaknesses would otherwise read as
    /// stronger).
    NotCompared,
}

impl Standing {
    /// How a competitor's total compares with ours in `quadrant` (both boards have items there).
    pub fn of(quadrant: Quadrant, ours: f64, theirs: f64) -> Standing {
        if (ours - theirs).abs() <= ZERO_TOLERANCE * ours.abs().max(theirs.abs()).max(1.0) {
            return Standing::Equal;
        }
        if (theirs > ours) == quadrant.higher_is_better() {
            Standing::Stronger
        } else {
            Standing::Weaker
        }
    }
}

/// One row of the comparison table (name × S, W, O, T totals).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    /// The board's id.
    pub board: u64,
    /// The board's name.
    pub name: String,
    /// True for our own board (the first row).
    pub is_us: bool,
    /// Strengths total.
    pub s: f64,
    /// Weaknesses total.
    pub w: f64,
    /// Opportunities total.
    pub o: f64,
    /// Threats total.
    pub t: f64,
    /// Number of items per quadrant, S, W, O, T.
    pub items: [usize; 4],
    /// Per quadrant S, W, O, T: how this board compares with ours ([`Standing::Ours`] on our
    /// row).
    pub standing: [Standing; 4],
}

impl ComparisonRow {
    /// The total of one quadrant.
    pub fn total(&self, quadrant: Quadrant) -> f64 {
        match quadrant {
            Quadrant::Strengths => self.s,
            Quadrant::Weaknesses => self.w,
            Quadrant::Opportunities => self.o,
            Quadrant::Threats => self.t,
        }
    }

    /// Per quadrant S, W, O, T: whether this competitor is stronger than us (for highlighting);
    /// all false on our own row.
    pub fn stronger_than_us(&self) -> [bool; 4] {
        self.standing.map(|s| s == Standing::Stronger)
    }
}

/// The comparison table of the document: our row first, then every competitor in display
/// order, with the quadrant totals and where each competitor is stronger than us.
pub fn comparison(workbench: &Workbench) -> Vec<ComparisonRow> {
    let ours = board_totals(&workbench.us);
    workbench
        .boards()
        .enumerate()
        .map(|(k, board)| {
            let totals = board_totals(board);
            let is_us = k == 0;
            let standing = Quadrant::ALL.map(|q| {
                let (mine, theirs) = (ours.get(q), totals.get(q));
                if is_us {
                    Standing::Ours
                } else if mine.items == 0 || theirs.items == 0 {
                    Standing::NotCompared
                } else {
                    Standing::of(q, mine.total, theirs.total)
                }
            });
            let total = |q: Quadrant| totals.get(q).total;
            ComparisonRow {
                board: board.id,
                name: board.name.clone(),
                is_us,
                s: total(Quadrant::Strengths),
                w: total(Quadrant::Weaknesses),
                o: total(Quadrant::Opportunities),
                t: total(Quadrant::Threats),
                items: Quadrant::ALL.map(|q| totals.get(q).items),
                standing,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Figures

/// The figures for automation (`data-metric` / `data-value` in the UI), in this order:
/// `swot_total_S`, `swot_total_W`, `swot_total_O`, `swot_total_T` (our board's totals, 0 for an
/// empty quadrant), `swot_position_x`, `swot_position_y` (our position on `basis`; `None`
/// without one, see [`position`]), then for each competitor in display order
/// `swot_total_S:<name>` … `swot_total_T:<name>`.
pub fn figures(workbench: &Workbench, basis: PositionBasis) -> Vec<Figure> {
    let figure = |name: String, value: Option<f64>| Figure { name, value };
    let ours = board_totals(&workbench.us);
    let mut figures: Vec<Figure> = Quadrant::ALL
        .iter()
        .map(|q| {
            figure(
                format!("swot_total_{}", q.letter()),
                Some(ours.get(*q).total),
            )
        })
        .collect();
    let position = position_of(&ours, basis);
    figures.push(figure("swot_position_x".into(), position.map(|p| p.x)));
    figures.push(figure("swot_position_y".into(), position.map(|p| p.y)));
    for board in &workbench.competitors {
        let totals = board_totals(board);
        for q in Quadrant::ALL {
            figures.push(figure(
                format!("swot_total_{}:{}", q.letter(), board.name),
                Some(totals.get(q).total),
            ));
        }
    }
    figures
}
