//! Everything at once: scores and segments of one configuration ([`analyse_rfm`]).

use super::*;

/// The whole RFM analysis ([`analyse_rfm`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmAnalysis {
    /// Values, scores, thresholds, warnings, grid, histograms, tiers.
    pub scores: RfmScores,
    /// Segments and rule coverage.
    pub segmentation: Segmentation,
}

/// Scores a table ([`score_rfm`]) and segments it ([`segment_rfm`]).
///
/// # Errors
/// Those of [`score_rfm`] and [`segment_rfm`].
pub fn analyse_rfm(
    table: &CustomerTable,
    config: &RfmConfig,
    rules: &SegmentRules,
) -> Result<RfmAnalysis> {
    rules.validate()?;
    let scores = score_rfm(table, config)?;
    let segmentation = segment_rfm(table, &scores, rules)?;
    Ok(RfmAnalysis {
        scores,
        segmentation,
    })
}

impl RfmAnalysis {
    /// The English segment name of the `k`-th scored customer ("Other" when no rule matched);
    /// `None` when there is no such customer.
    pub fn segment_name_of(&self, k: usize) -> Option<&str> {
        let assigned = *self.segmentation.assignments.get(k)?;
        Some(match assigned {
            Some(rule) => self
                .segmentation
                .segments
                .get(usize::from(rule))
                .map_or(OTHER_EN, |s| s.name_en.as_str()),
            None => OTHER_EN,
        })
    }

    /// The figures for automation (`data-metric` in the UI), in this order:
    /// `segment_count:<name_en>` (customers) for every rule in table order, then
    /// `segment_count:Other`; then `rfm_threshold_r_<k>`, `rfm_threshold_f_<k>`,
    /// `rfm_threshold_m_<k>` for `k = 1 … bins − 1`, the cut points of [`AxisThresholds::cuts`]
    /// (days, orders, money; `None` when no customer scores above *k*).
    pub fn figures(&self) -> Vec<Figure> {
        let mut figures: Vec<Figure> = self
            .segmentation
            .segments
            .iter()
            .map(|segment| Figure {
                name: format!("segment_count:{}", segment.name_en),
                value: Some(segment.customers as f64),
            })
            .collect();
        for axis in Axis::ALL {
            let thresholds = self.scores.thresholds.axis(axis);
            for (k, cut) in thresholds.cuts.iter().enumerate() {
                figures.push(Figure {
                    name: format!("rfm_threshold_{}_{}", axis.as_str(), k + 1),
                    value: *cut,
                });
            }
        }
        figures
    }
}

/// The analysis `global` (of a whole table) kept for the customers `chosen` (ascending indices
/// into that table), as an analysis of `sub`, the table of the chosen customers in the same
/// order: scores and thresholds from the whole table ([`restrict_scores`]), the segments those
/// scores give, counted over the chosen customers.
///
/// # Errors
/// Those of [`restrict_scores`] and [`segment_rfm`].
pub fn restrict_rfm(
    global: &RfmAnalysis,
    chosen: &[usize],
    sub: &CustomerTable,
) -> Result<RfmAnalysis> {
    let scores = restrict_scores(&global.scores, chosen, sub)?;
    let segmentation = segment_rfm(sub, &scores, &global.segmentation.rules)?;
    Ok(RfmAnalysis {
        scores,
        segmentation,
    })
}
