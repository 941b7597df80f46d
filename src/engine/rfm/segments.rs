//! Segments (客户分群): the ordered rule table, its checks and coverage, and the customers and revenue
//! per segment.

use super::*;

/// One segment rule: a name, inclusive score ranges on each axis, and a suggested action.
///
/// A customer matches when all three of its scores (mapped onto the rule table's scale, see
/// [`map_score`]) lie in the ranges. Serialisable: the UI keeps the edited table in the browser
/// as JSON (ranges are `[low, high]` arrays).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRule {
    /// English name; unique in the table (case-insensitive), not "Other". It names the figure
    /// `segment_count:<name_en>`.
    pub name_en: String,
    /// Chinese name (the English name is shown when empty).
    pub name_zh: String,
    /// R score range `(low, high)`, inclusive, `1 ≤ low ≤ high ≤ scale`.
    pub r: (u8, u8),
    /// F score range.
    pub f: (u8, u8),
    /// M score range.
    pub m: (u8, u8),
    /// Suggested action, English.
    pub action_en: String,
    /// Suggested action, Chinese.
    pub action_zh: String,
}

impl SegmentRule {
    /// Whether the cell `(r, f, m)` (on the table's scale) lies in all three ranges.
    pub fn matches(&self, r: u8, f: u8, m: u8) -> bool {
        let within = |(low, high): (u8, u8), score: u8| (low..=high).contains(&score);
        within(self.r, r) && within(self.f, f) && within(self.m, m)
    }

    /// The Chinese name, or the English one when it is empty.
    pub fn display_zh(&self) -> &str {
        if self.name_zh.trim().is_empty() {
            &self.name_en
        } else {
            &self.name_zh
        }
    }
}

/// An ordered rule table: the **first** rule that matches a customer gives its segment, and a
/// customer no rule matches is in "Other" ([`OTHER_EN`]), as in the R package `rfm`.
///
/// The ranges are written on the scale `scale` (3, 4, 5 or 10; default 5). A customer scored
/// with another number of bins is matched with its scores mapped onto the scale by
/// [`map_score`]. So one table serves every bin count, and the default table stays a complete
/// partition whatever the bins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRules {
    /// The score scale the ranges are written on.
    pub scale: u8,
    /// The rules, in evaluation order.
    pub rules: Vec<SegmentRule>,
}

impl Default for SegmentRules {
    fn default() -> Self {
        default_rules()
    }
}

impl SegmentRules {
    /// Checks the table: the scale is one of [`BIN_CHOICES`]; 1 to [`MAX_RULES`] rules; every
    /// English name non-empty, unique (ignoring case and surrounding spaces) and not "Other";
    /// every range `1 ≤ low ≤ high ≤ scale`. Overlaps and gaps are not errors (see
    /// [`rule_coverage`]).
    ///
    /// # Errors
    /// [`Error::Parameter`] (`segment_rules`) naming the first problem and the rule (1-based).
    pub fn validate(&self) -> Result<()> {
        let bad = |reason: ParameterProblem| Err(parameter("segment_rules", reason));
        if !BIN_CHOICES.contains(&self.scale) {
            return bad(ParameterProblem::RuleScale {
                value: self.scale,
                choices: BIN_CHOICES.map(i64::from).to_vec(),
            });
        }
        if self.rules.is_empty() || self.rules.len() > MAX_RULES {
            return bad(ParameterProblem::RuleCount {
                count: self.rules.len(),
                max: MAX_RULES,
            });
        }
        let mut names: Vec<String> = Vec::with_capacity(self.rules.len());
        for (i, rule) in self.rules.iter().enumerate() {
            let name = rule.name_en.trim();
            let (number, given) = (i + 1, rule.name_en.clone());
            if name.is_empty() {
                return bad(ParameterProblem::RuleNameEmpty { rule: number });
            }
            let key = name.to_lowercase();
            if key == OTHER_EN.to_lowercase() {
                return bad(ParameterProblem::RuleNameReserved {
                    rule: number,
                    name: given,
                    reserved: OTHER_EN.into(),
                });
            }
            if names.contains(&key) {
                return bad(ParameterProblem::RuleNameTaken {
                    rule: number,
                    name: given,
                });
            }
            names.push(key);
            for (axis, (low, high)) in [
                (RfmAxis::R, rule.r),
                (RfmAxis::F, rule.f),
                (RfmAxis::M, rule.m),
            ] {
                if low < 1 || low > high || high > self.scale {
                    return bad(ParameterProblem::RuleRange {
                        rule: number,
                        name: given,
                        axis,
                        low,
                        high,
                        scale: self.scale,
                    });
                }
            }
        }
        Ok(())
    }

    /// The index of the first rule matching scores `(r, f, m)` of `bins` bins; `None` is
    /// "Other".
    pub fn segment_of(&self, r: u8, f: u8, m: u8, bins: u8) -> Option<usize> {
        let map = |s| map_score(s, bins, self.scale);
        let (r, f, m) = (map(r), map(f), map(m));
        self.rules.iter().position(|rule| rule.matches(r, f, m))
    }
}

/// Maps a score of `from_bins` bins onto a scale of `to_scale` scores: the score whose band
/// holds the middle of the score's percentile band, `⌊to × (2s − 1) / (2 × from)⌋ + 1`.
///
/// The identity when the two are equal; 10 bins onto 5: `⌈s / 2⌉` (exact, each decile lies in
/// one quintile); 3 bins onto 5: 1, 3, 5; 4 bins onto 5: 1, 2, 4, 5. With 3 or 4 bins some cells
/// of a 5-scale table are therefore never reached (with the default table: Promising and
/// Hibernating with 3 bins, About to Sleep and Need Attention with 4).
///
/// ```
/// use valuelens::engine::rfm::map_score;
/// let onto5 = |bins: u8| (1..=bins).map(|s| map_score(s, bins, 5)).collect::<Vec<_>>();
/// assert_eq!(onto5(3), [1, 3, 5]);
/// assert_eq!(onto5(4), [1, 2, 4, 5]);
/// assert_eq!(onto5(10), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
/// ```
pub fn map_score(score: u8, from_bins: u8, to_scale: u8) -> u8 {
    if from_bins == to_scale || from_bins == 0 {
        return score;
    }
    let (s, from, to) = (
        u32::from(score.max(1)),
        u32::from(from_bins),
        u32::from(to_scale),
    );
    (to * (2 * s - 1) / (2 * from) + 1).min(to) as u8
}

/// A cell of the score grid that several rules match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overlap {
    /// The cell `(r, f, m)` in scores of the analysis' bins.
    pub cell: (u8, u8, u8),
    /// The matching rules (indices, in order); the first one wins.
    pub rules: Vec<usize>,
}

/// How a rule table covers the `bins³` cells of the score grid ([`rule_coverage`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// The bins the cells are in.
    pub bins: u8,
    /// Cells several rules match, R then F then M ascending.
    pub overlaps: Vec<Overlap>,
    /// Cells no rule matches (their customers are "Other").
    pub gaps: Vec<(u8, u8, u8)>,
    /// Rules that are the first match of no cell: unreachable with these bins, or shadowed by
    /// earlier rules. Their segments are always empty.
    pub unused: Vec<usize>,
}

impl Coverage {
    /// No overlap and no gap: every cell belongs to exactly one segment.
    pub fn is_partition(&self) -> bool {
        self.overlaps.is_empty() && self.gaps.is_empty()
    }
}

/// Checks every cell `(r, f, m)` of `bins` bins (mapped onto the table's scale) against the
/// rules: which cells several rules match, which none, and which rules never win. Does not
/// validate the table.
pub fn rule_coverage(rules: &SegmentRules, bins: u8) -> Coverage {
    let mut coverage = Coverage {
        bins,
        overlaps: Vec::new(),
        gaps: Vec::new(),
        unused: Vec::new(),
    };
    let mut wins = vec![false; rules.rules.len()];
    for r in 1..=bins {
        for f in 1..=bins {
            for m in 1..=bins {
                let map = |s| map_score(s, bins, rules.scale);
                let (mr, mf, mm) = (map(r), map(f), map(m));
                let matching: Vec<usize> = rules
                    .rules
                    .iter()
                    .enumerate()
                    .filter(|(_, rule)| rule.matches(mr, mf, mm))
                    .map(|(i, _)| i)
                    .collect();
                match matching.as_slice() {
                    [] => coverage.gaps.push((r, f, m)),
                    [first, rest @ ..] => {
                        wins[*first] = true;
                        if !rest.is_empty() {
                            coverage.overlaps.push(Overlap {
                                cell: (r, f, m),
                                rules: matching,
                            });
                        }
                    }
                }
            }
        }
    }
    coverage.unused = (0..wins.len()).filter(|&i| !wins[i]).collect();
    coverage
}

/// One segment's customers and revenue ([`segment_rfm`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentSummary {
    /// The rule (index into the table); `None` for "Other".
    pub rule: Option<usize>,
    /// English name ("Other" for unmatched customers).
    pub name_en: String,
    /// Chinese name ("其他" for unmatched customers; the English name when the rule has none).
    pub name_zh: String,
    /// Suggested action, English.
    pub action_en: String,
    /// Suggested action, Chinese.
    pub action_zh: String,
    /// Customers in the segment.
    pub customers: usize,
    /// Their share of the scored customers (0 to 1).
    pub customer_share: f64,
    /// Their net sales (always net sales, whatever M measures).
    pub revenue: f64,
    /// Their share of the scored customers' net sales; `None` when that total is zero
    /// (shares of a signed total: with negative customers a share can be negative or pass 1).
    pub revenue_share: Option<f64>,
    /// Their orders (F summed).
    pub orders: u64,
    /// Mean R in days; `None` for an empty segment.
    pub mean_recency_days: Option<f64>,
    /// Mean F in orders; `None` for an empty segment.
    pub mean_frequency: Option<f64>,
    /// Mean M in currency units; `None` for an empty segment.
    pub mean_monetary: Option<f64>,
}

/// The segments of a scoring ([`segment_rfm`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segmentation {
    /// The rule table used.
    pub rules: SegmentRules,
    /// How the table covers the score grid of the scoring's bins.
    pub coverage: Coverage,
    /// The segment of each scored customer (parallel to [`RfmScores::customers`]): a rule
    /// index, `None` for "Other".
    pub assignments: Vec<Option<u16>>,
    /// One summary per rule, in table order, then "Other" (always present, possibly empty).
    pub segments: Vec<SegmentSummary>,
}

impl Segmentation {
    /// The customers in "Other".
    pub fn other_customers(&self) -> usize {
        self.segments.last().map_or(0, |s| s.customers)
    }
}

/// Puts every scored customer into the first matching segment (or "Other") and summarises the
/// segments. O(n + bins³ × rules).
///
/// # Errors
/// [`Error::Parameter`] (`segment_rules`) from [`SegmentRules::validate`].
pub fn segment_rfm(
    table: &CustomerTable,
    scores: &RfmScores,
    rules: &SegmentRules,
) -> Result<Segmentation> {
    Ok(SegmentSteps::new(scores, rules)?.finish(table, scores))
}

/// Scored customers one [`SegmentSteps::step`] assigns and sums (one pass over their records
/// and the table's: at 967,209 customers the whole pass was an 82 ms task of the page). The
/// unit tests take 5 a step, so that their hand-computed segments check the pieces' joins.
const SEGMENT_PIECE: usize = if cfg!(test) { 5 } else { 1 << 18 };

/// A segment's sums while the customers are read.
#[derive(Debug, Default, Clone)]
struct Acc {
    customers: usize,
    revenue: f64,
    orders: u64,
    recency: f64,
    frequency: f64,
    monetary: f64,
}

/// [`segment_rfm`] a piece of the scored customers at a time, in their order (so the sums are
/// added as at once, to the bit).
#[derive(Debug)]
pub struct SegmentSteps {
    rules: SegmentRules,
    bins: u8,
    /// The winning rule of every cell of the scores' cube.
    lookup: Vec<Option<u16>>,
    assignments: Vec<Option<u16>>,
    /// One per rule, and "Other" last.
    accs: Vec<Acc>,
    total: SignedSum,
}

impl SegmentSteps {
    /// The rules checked and each cell's winning rule found; no customer assigned yet.
    ///
    /// # Errors
    /// [`Error::Parameter`] (`segment_rules`) from [`SegmentRules::validate`].
    pub fn new(scores: &RfmScores, rules: &SegmentRules) -> Result<Self> {
        rules.validate()?;
        let bins = scores.config.bins;
        let b = usize::from(bins);
        let mut lookup: Vec<Option<u16>> = Vec::with_capacity(b * b * b);
        for r in 1..=bins {
            for f in 1..=bins {
                for m in 1..=bins {
                    lookup.push(rules.segment_of(r, f, m, bins).map(|i| i as u16));
                }
            }
        }
        Ok(SegmentSteps {
            rules: rules.clone(),
            bins,
            lookup,
            assignments: Vec::with_capacity(scores.customers.len()),
            accs: vec![Acc::default(); rules.rules.len() + 1],
            total: SignedSum::default(),
        })
    }

    /// Assigns and sums the next piece of `scores`' customers (their sales from `table`); false
    /// once every customer is assigned (nothing done).
    pub fn step(&mut self, table: &(impl Scorable + ?Sized), scores: &RfmScores) -> bool {
        let from = self.assignments.len();
        let Some(rest) = scores.customers.get(from..) else {
            return false;
        };
        if rest.is_empty() {
            return false;
        }
        let b = usize::from(self.bins);
        // A score outside 1..=bins (only in a hand-made `RfmScores`) matches no cell: "Other".
        let cell_of = |s: &CustomerScore| {
            let index = |score: u8| usize::from(score).checked_sub(1).filter(|&i| i < b);
            Some((index(s.r)? * b + index(s.f)?) * b + index(s.m)?)
        };
        let other = self.rules.rules.len();
        for score in rest.iter().take(SEGMENT_PIECE) {
            let assigned = cell_of(score).and_then(|cell| self.lookup.get(cell).copied().flatten());
            self.assignments.push(assigned);
            let sales = table.scorable(score.index).map_or(0.0, |c| c.sales);
            self.total.add(sales);
            let Some(acc) = self.accs.get_mut(assigned.map_or(other, usize::from)) else {
                continue;
            };
            acc.customers += 1;
            acc.revenue += sales;
            acc.orders += u64::from(score.frequency);
            acc.recency += f64::from(score.recency_days);
            acc.frequency += f64::from(score.frequency);
            acc.monetary += score.monetary;
        }
        true
    }

    /// The segmentation of `scores`: the customers not assigned yet are assigned now.
    pub fn finish(mut self, table: &(impl Scorable + ?Sized), scores: &RfmScores) -> Segmentation {
        while self.step(table, scores) {}
        let SegmentSteps {
            rules,
            bins,
            assignments,
            accs,
            total,
            ..
        } = self;
        let n = scores.customers.len();
        let segments = accs
            .into_iter()
            .enumerate()
            .map(|(i, acc)| {
                let rule = rules.rules.get(i);
                let mean = |sum: f64| (acc.customers > 0).then(|| sum / acc.customers as f64);
                SegmentSummary {
                    rule: rule.map(|_| i),
                    name_en: rule.map_or(OTHER_EN.into(), |r| r.name_en.trim().to_string()),
                    name_zh: rule.map_or(OTHER_ZH.into(), |r| r.display_zh().trim().to_string()),
                    action_en: rule.map_or(OTHER_ACTION_EN.into(), |r| r.action_en.clone()),
                    action_zh: rule.map_or(OTHER_ACTION_ZH.into(), |r| r.action_zh.clone()),
                    customers: acc.customers,
                    customer_share: if n == 0 {
                        0.0
                    } else {
                        acc.customers as f64 / n as f64
                    },
                    revenue: acc.revenue,
                    revenue_share: total.share(acc.revenue),
                    orders: acc.orders,
                    mean_recency_days: mean(acc.recency),
                    mean_frequency: mean(acc.frequency),
                    mean_monetary: mean(acc.monetary),
                }
            })
            .collect();
        Segmentation {
            coverage: rule_coverage(&rules, bins),
            rules,
            assignments,
            segments,
        }
    }
}
