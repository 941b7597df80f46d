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
    table: &(impl Scorable + ?Sized),
    config: &RfmConfig,
    rules: &SegmentRules,
) -> Result<RfmAnalysis> {
    RfmSteps::new(table, config, rules)?.finish(table)
}

/// [`analyse_rfm`] in pieces ([`ScoreSteps`], then the segments), so that the page's thread can
/// do other work between them: at a million customers the whole analysis takes 250–400 ms
/// there, a piece about 30 ms. [`RfmSteps::finish`] computes what is left: the same analysis to
/// the bit as [`analyse_rfm`] (which is this with no step taken before the finish).
///
/// Every call must be given the same table, unchanged.
pub struct RfmSteps {
    rules: SegmentRules,
    /// The table's size when the steps began (a guard: a step on another table does nothing).
    size: usize,
    scoring: Option<ScoreSteps>,
    scores: Option<Result<RfmScores>>,
    /// The segments while their customers are read.
    segmenting: Option<SegmentSteps>,
    segmentation: Option<Result<Segmentation>>,
}

impl RfmSteps {
    /// The steps of the analysis of `table`: the parameters checked, the dated customers found.
    ///
    /// # Errors
    /// Those of [`analyse_rfm`] that the parameters and the table's dates give.
    pub fn new(
        table: &(impl Scorable + ?Sized),
        config: &RfmConfig,
        rules: &SegmentRules,
    ) -> Result<Self> {
        rules.validate()?;
        Ok(RfmSteps {
            rules: rules.clone(),
            size: table.scorable_count(),
            scoring: Some(ScoreSteps::new(table, config)?),
            scores: None,
            segmenting: None,
            segmentation: None,
        })
    }

    /// Computes the next piece; false when none is left (or `table` is not the table the
    /// steps began with: [`RfmSteps::finish`] then fails).
    pub fn step(&mut self, table: &(impl Scorable + ?Sized)) -> bool {
        if table.scorable_count() != self.size {
            return false;
        }
        if let Some(scoring) = &mut self.scoring {
            if scoring.step(table) {
                return true;
            }
            if let Some(scoring) = self.scoring.take() {
                self.scores = Some(scoring.finish(table));
            }
            return true;
        }
        let (Some(Ok(scores)), None) = (&self.scores, &self.segmentation) else {
            return false;
        };
        match self.segmenting.take() {
            // The rules and the cube's cells a piece, then the customers a piece at a time.
            None => match SegmentSteps::new(scores, &self.rules) {
                Ok(steps) => self.segmenting = Some(steps),
                Err(error) => self.segmentation = Some(Err(error)),
            },
            Some(mut steps) => match steps.step(table, scores) {
                true => self.segmenting = Some(steps),
                false => self.segmentation = Some(Ok(steps.finish(table, scores))),
            },
        }
        true
    }

    /// The analysis: the pieces not computed yet are computed now.
    ///
    /// # Errors
    /// Those of [`analyse_rfm`].
    pub fn finish(mut self, table: &(impl Scorable + ?Sized)) -> Result<RfmAnalysis> {
        while self.step(table) {}
        let scores = self.scores.ok_or(Error::NoData)??;
        let segmentation = self.segmentation.ok_or(Error::NoData)??;
        Ok(RfmAnalysis {
            scores,
            segmentation,
        })
    }
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
