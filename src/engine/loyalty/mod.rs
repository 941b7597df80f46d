//! Loyalty and satisfaction (忠诚度分析, METHODS §4, §5 and §9, documents `001` and `004`,
//! issue 16): a [`Survey`] joined to the purchase history.
//!
//! # Definitions
//! - **Satisfaction levels** come from the survey's [`Scale`]; [`SatisfactionCuts`] say which
//!   levels are the bottom (at most `bottom`), satisfied (from `satisfied`) and the top (from
//!   `top`). Defaults: labels and 1–5: 1 / 4 / 5; 1–7: 1 / 5 / 7; 1–10 and 0–10: 2 / 7 / 9.
//! - **The lapse rule** is the lifecycle's ([`crate::engine::lifecycle::lapse`], METHODS §7):
//!   the same analysis day, activity days, and threshold N (given, or the 90th percentile of the
//!   inter-purchase times rounded up); a customer whose last activity day lies more than N
//!   days before the analysis day is lapsed.
//! - **Behavioural loyalty** (editable, [`LoyaltyConfig`]): not lapsed, at least
//!   `loyal_min_orders` orders on activity days before the analysis day, and a tenure (days
//!   from the first activity day to the analysis day) of at least `loyal_min_tenure_days`.
//! - **Satisfaction × loyalty matrix** (Jones & Sasser, as in `001`), for matched customers with
//!   a satisfaction level and an activity day: loyal and at the top → apostle; loyal and
//!   satisfied → loyalist; loyal, not satisfied → hostage; not loyal, satisfied → mercenary;
//!   not loyal, at the bottom and lapsed → terrorist (flagged when the customer was in the top
//!   `high_value_deciles` sales deciles of all customers); other not loyal, not satisfied →
//!   defector.
//! - **Six loyalty classes** (`001`), for every respondent: a *user* is a matched customer with
//!   an activity day; *long-term* when tenure ≥ `long_term_days` and orders ≥
//!   `long_term_min_orders`, else *occasional*. 1 long-term loyal: satisfied, not lapsed and not
//!   answering "no" to repurchase; 2 long-term who may switch: the other long-term users;
//!   3 occasional who would buy more with the right incentive: intent "yes", or no intent
//!   answer and satisfied; 4 occasional who would buy less if a competitor's incentive were
//!   right: the other occasional users; 5 non-users who may become customers: intent "yes" or
//!   "unsure", or no intent answer and (satisfied or recommend ≥ 7); 6 non-users who will not:
//!   the rest. Non-users are respondents without a customer in the orders, or without an
//!   activity day.
//! - **Churn by satisfaction** (`004`): per level, matched customers with an activity day and
//!   that level, how many are lapsed, the rate and its 95 % Wilson interval ([`wilson`]).
//! - **NPS**: on likelihood to recommend 0–10, promoters ≥ 9, detractors ≤ 6, the rest
//!   passives (a mean of several responses is classed the same way: 8.5 is a passive); score =
//!   100 × (promoters − detractors) ÷ respondents with an answer. Overall (all respondents,
//!   with or without orders), by RFM segment and by sales decile (matched customers).
//!
//! Errors are typed; nothing here panics on any survey or history.

use serde::{Deserialize, Serialize};

use super::calendar::Day;
use super::customers::CustomerTable;
use super::deciles::DecileBasis;
use super::error::{Error, ParameterProblem, Result};
use super::history::PurchaseHistory;
use super::lifecycle::gaps::lapse_threshold;
use super::lifecycle::{window, LifecycleConfig, ThresholdSource, Window};
use super::numeric::parameter;
use super::rfm::RfmAnalysis;
use super::survey::{join, Intent, Respondent, Scale, Survey, SurveyJoin};

mod steps;
#[cfg(test)]
mod tests;

pub use steps::{LoyaltyBase, LoyaltyBaseSteps, LoyaltySteps};

/// The z of a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Which satisfaction levels are the bottom, satisfied and the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SatisfactionCuts {
    /// Levels up to this one are the bottom of the scale (terrorists).
    pub bottom: u8,
    /// Levels from this one are satisfied.
    pub satisfied: u8,
    /// Levels from this one are the top (apostles).
    pub top: u8,
}

impl SatisfactionCuts {
    /// The default cuts of a scale (see the module docs).
    pub fn for_scale(scale: Scale) -> Self {
        let (bottom, satisfied, top) = match scale {
            Scale::Labels | Scale::OneToFive => (1, 4, 5),
            Scale::OneToSeven => (1, 5, 7),
            Scale::OneToTen | Scale::ZeroToTen => (2, 7, 9),
        };
        SatisfactionCuts {
            bottom,
            satisfied,
            top,
        }
    }

    /// Checks `min ≤ bottom < satisfied ≤ top ≤ max` on `scale`.
    ///
    /// # Errors
    /// [`Error::Parameter`] (`satisfaction_cuts`, [`ParameterProblem::SatisfactionCuts`]).
    pub fn validate(&self, scale: Scale) -> Result<()> {
        let ok = scale.min() <= self.bottom
            && self.bottom < self.satisfied
            && self.satisfied <= self.top
            && self.top <= scale.max();
        if ok {
            return Ok(());
        }
        Err(parameter(
            "satisfaction_cuts",
            ParameterProblem::SatisfactionCuts {
                bottom: self.bottom,
                satisfied: self.satisfied,
                top: self.top,
                min: scale.min(),
                max: scale.max(),
            },
        ))
    }
}

/// The parameters of the loyalty analysis; every field is shown beside the result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoyaltyConfig {
    /// The lifecycle's parameters: the analysis day, the lapse threshold and what counts as
    /// activity (the lapse rule is shared with the lifecycle figures).
    pub lifecycle: LifecycleConfig,
    /// Satisfaction cuts; `None`: the scale's defaults.
    pub cuts: Option<SatisfactionCuts>,
    /// Behavioural loyalty: at least this many orders (default 2; at least 1).
    pub loyal_min_orders: u32,
    /// Behavioural loyalty: at least this many days from the first purchase to the analysis
    /// day (default 90).
    pub loyal_min_tenure_days: u32,
    /// Six classes: long-term from this many days of tenure (default 365).
    pub long_term_days: u32,
    /// Six classes: long-term from this many orders (default 2; at least 1).
    pub long_term_min_orders: u32,
    /// Terrorists in the top this many sales deciles are flagged as high-value (1–10,
    /// default 2).
    pub high_value_deciles: u8,
}

impl Default for LoyaltyConfig {
    fn default() -> Self {
        LoyaltyConfig {
            lifecycle: LifecycleConfig::default(),
            cuts: None,
            loyal_min_orders: 2,
            loyal_min_tenure_days: 90,
            long_term_days: 365,
            long_term_min_orders: 2,
            high_value_deciles: 2,
        }
    }
}

impl LoyaltyConfig {
    /// Checks every field (the cuts against `scale`).
    ///
    /// # Errors
    /// [`Error::Parameter`] naming the first field out of range.
    pub fn validate(&self, scale: Scale) -> Result<()> {
        self.lifecycle.validate()?;
        self.cuts_for(scale).validate(scale)?;
        for (name, value) in [
            ("loyal_min_orders", self.loyal_min_orders),
            ("long_term_min_orders", self.long_term_min_orders),
        ] {
            if value < 1 {
                return Err(parameter(
                    name,
                    ParameterProblem::BelowMinimum {
                        value: value.into(),
                        min: 1,
                    },
                ));
            }
        }
        if !(1..=10).contains(&self.high_value_deciles) {
            return Err(parameter(
                "high_value_deciles",
                ParameterProblem::NotBetween {
                    value: self.high_value_deciles.into(),
                    min: 1,
                    max: 10,
                    unit: None,
                },
            ));
        }
        Ok(())
    }

    /// The cuts used on `scale`.
    pub fn cuts_for(&self, scale: Scale) -> SatisfactionCuts {
        self.cuts.unwrap_or(SatisfactionCuts::for_scale(scale))
    }
}

/// The Wilson score interval of `successes` out of `n` at `z`; `None` for `n = 0`.
///
/// ```
/// use valuelens::engine::loyalty::wilson;
/// let (low, high) = wilson(0, 4, 1.96).unwrap();
/// assert_eq!(low, 0.0);
/// assert!((high - 0.4899).abs() < 1e-4);
/// ```
pub fn wilson(successes: usize, n: usize, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let n_f = n as f64;
    let p = successes.min(n) as f64 / n_f;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Promoters, passives and detractors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Nps {
    /// Respondents with a likelihood to recommend.
    pub respondents: usize,
    /// 9–10.
    pub promoters: usize,
    /// 7–8.
    pub passives: usize,
    /// 0–6.
    pub detractors: usize,
    /// 100 × (promoters − detractors) ÷ respondents; `None` without respondents.
    pub score: Option<f64>,
}

impl Nps {
    /// Counts the answers (0–10; means of several responses allowed).
    pub fn of(values: impl IntoIterator<Item = f64>) -> Self {
        let mut nps = Nps::default();
        for value in values {
            nps.respondents += 1;
            if value >= 9.0 {
                nps.promoters += 1;
            } else if value > 6.0 {
                nps.passives += 1;
            } else {
                nps.detractors += 1;
            }
        }
        nps.score = (nps.respondents > 0).then(|| {
            100.0 * (nps.promoters as f64 - nps.detractors as f64) / nps.respondents as f64
        });
        nps
    }
}

/// The six types of the satisfaction × loyalty matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LoyaltyType {
    /// 热心追随者: loyal, top satisfaction.
    Apostle,
    /// 忠诚者: loyal, satisfied.
    Loyalist,
    /// 不自主者: loyal, not satisfied (no choice).
    Hostage,
    /// 唯利是图者: satisfied, not loyal.
    Mercenary,
    /// 背叛者: not satisfied, not loyal.
    Defector,
    /// 恐惧分子: bottom satisfaction, lapsed.
    Terrorist,
}

impl LoyaltyType {
    /// Every type, in the order shown.
    pub const ALL: [LoyaltyType; 6] = [
        LoyaltyType::Apostle,
        LoyaltyType::Loyalist,
        LoyaltyType::Hostage,
        LoyaltyType::Mercenary,
        LoyaltyType::Defector,
        LoyaltyType::Terrorist,
    ];

    /// Machine name (`loyalty_type:<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            LoyaltyType::Apostle => "apostle",
            LoyaltyType::Loyalist => "loyalist",
            LoyaltyType::Hostage => "hostage",
            LoyaltyType::Mercenary => "mercenary",
            LoyaltyType::Defector => "defector",
            LoyaltyType::Terrorist => "terrorist",
        }
    }
}

/// One matched customer as the loyalty analysis sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerLoyalty {
    /// Index into the customer table.
    pub index: usize,
    /// Index into [`Survey::respondents`].
    pub respondent: usize,
    /// Satisfaction level.
    pub level: Option<u8>,
    /// Orders on activity days before the analysis day.
    pub orders: u64,
    /// Days from the first activity day to the analysis day (`None` without activity).
    pub tenure_days: Option<i32>,
    /// Days from the last activity day to the analysis day (`None` without activity).
    pub recency_days: Option<i32>,
    /// Lapsed by the lifecycle's rule.
    pub lapsed: bool,
    /// Behaviourally loyal.
    pub loyal: bool,
    /// Sales decile (1 = largest) among all customers.
    pub decile: u8,
    /// Net sales (all of the customer's rows).
    pub sales: f64,
    /// Net profit.
    pub profit: f64,
    /// Matrix type (`None` without a level or an activity day).
    pub kind: Option<LoyaltyType>,
    /// A terrorist in the top sales deciles.
    pub high_value_terrorist: bool,
}

/// One type of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeFigures {
    /// The type.
    pub kind: LoyaltyType,
    /// Customers.
    pub customers: usize,
    /// Their net sales.
    pub sales: f64,
    /// Their net profit.
    pub profit: f64,
    /// Of them, in the top sales deciles (flagged for terrorists).
    pub high_value: usize,
    /// Indices into [`Behaviour::customers`], largest sales first (ties by customer index).
    pub members: Vec<usize>,
}

/// One of the six loyalty classes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassFigures {
    /// 1 to 6 (METHODS §4 order).
    pub class: u8,
    /// Respondents in it.
    pub respondents: usize,
    /// Net sales of those who are customers.
    pub sales: f64,
}

/// Churn at one satisfaction level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChurnLevel {
    /// The level.
    pub level: u8,
    /// Matched customers with this level and an activity day.
    pub customers: usize,
    /// Of them, lapsed.
    pub lapsed: usize,
    /// `lapsed ÷ customers`; `None` without customers or without a lapse threshold.
    pub rate: Option<f64>,
    /// Wilson 95 % interval, low end.
    pub low: Option<f64>,
    /// High end.
    pub high: Option<f64>,
}

/// NPS and satisfaction of one group of matched customers (an RFM segment or a decile).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    /// The segment's English name, or the decile's number.
    pub key: String,
    /// Matched respondents in the group.
    pub respondents: usize,
    /// Their NPS.
    pub nps: Nps,
    /// Respondents with a satisfaction answer.
    pub satisfaction_n: usize,
    /// Their mean satisfaction.
    pub mean_satisfaction: Option<f64>,
}

/// Everything that needs the purchase history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Behaviour {
    /// The days covered.
    pub window: Window,
    /// The lapse threshold (shared with the lifecycle figures); `None` when none is given and
    /// there are no inter-purchase times to suggest one.
    pub lapse_days: Option<u32>,
    /// Where it came from.
    pub lapse_source: ThresholdSource,
    /// Every matched customer, by customer index.
    pub customers: Vec<CustomerLoyalty>,
    /// The six matrix types, in [`LoyaltyType::ALL`] order.
    pub types: Vec<TypeFigures>,
    /// Matched customers in the matrix.
    pub in_matrix: usize,
    /// Matched customers without a satisfaction level.
    pub no_satisfaction: usize,
    /// Matched customers without an activity day before the analysis day.
    pub no_purchase: usize,
    /// The six classes, 1 to 6.
    pub classes: Vec<ClassFigures>,
    /// Churn per satisfaction level, every level of the scale, lowest first.
    pub churn: Vec<ChurnLevel>,
    /// NPS and satisfaction per RFM segment (rule order, then `Other`, each once); empty
    /// without RFM.
    pub by_segment: Vec<GroupFigures>,
    /// NPS and satisfaction per sales decile, 1 to 10.
    pub by_decile: Vec<GroupFigures>,
}

/// The respondents per satisfaction level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCount {
    /// The level.
    pub level: u8,
    /// Respondents.
    pub respondents: usize,
}

/// The whole loyalty analysis ([`analyse_loyalty`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoyaltyAnalysis {
    /// The configuration used.
    pub config: LoyaltyConfig,
    /// The survey's scale.
    pub scale: Scale,
    /// The cuts used.
    pub cuts: SatisfactionCuts,
    /// Data rows of the survey file.
    pub survey_rows: u64,
    /// Rows rejected.
    pub rejected_rows: u64,
    /// Respondents (distinct customer ids).
    pub respondents: usize,
    /// Respondents per level, every level of the scale, lowest first.
    pub distribution: Vec<LevelCount>,
    /// Mean satisfaction of the respondents with a level.
    pub mean_satisfaction: Option<f64>,
    /// NPS of all respondents.
    pub nps: Nps,
    /// The join with the orders (`None` for a survey alone).
    pub join: Option<SurveyJoin>,
    /// The figures from the history (`None` for a survey alone, or when the orders have no
    /// dates: see `behaviour_problem`).
    pub behaviour: Option<Behaviour>,
    /// Why there are orders but no behaviour figures.
    pub behaviour_problem: Option<Error>,
}

/// The orders the survey is joined to.
#[derive(Debug, Clone, Copy)]
pub struct Orders<'a> {
    /// The customer table of the import.
    pub table: &'a CustomerTable,
    /// Its purchase history.
    pub history: &'a PurchaseHistory,
    /// The RFM analysis of the same table, for NPS by segment.
    pub rfm: Option<&'a RfmAnalysis>,
}

/// Runs the loyalty analysis of a survey, alone or joined to the orders.
///
/// # Errors
/// [`Error::Parameter`] from [`LoyaltyConfig::validate`]. Orders without dates give no
/// behaviour figures ([`LoyaltyAnalysis::behaviour_problem`]), not an error.
pub fn analyse_loyalty(
    survey: &Survey,
    orders: Option<Orders<'_>>,
    config: &LoyaltyConfig,
) -> Result<LoyaltyAnalysis> {
    LoyaltySteps::new(survey, orders, config, None)?.finish(survey, orders)
}

/// What the analysis reads from the survey alone.
fn survey_figures(survey: &Survey, config: &LoyaltyConfig) -> LoyaltyAnalysis {
    let scale = survey.scale;
    let mut per_level = [0usize; 256];
    let (mut sum, mut answered) = (0.0, 0usize);
    for r in &survey.respondents {
        if let Some(count) = r.level.and_then(|l| per_level.get_mut(usize::from(l))) {
            *count += 1;
        }
        if let Some(satisfaction) = r.satisfaction {
            sum += satisfaction;
            answered += 1;
        }
    }
    let distribution = scale
        .levels()
        .map(|level| LevelCount {
            level,
            respondents: per_level.get(usize::from(level)).copied().unwrap_or(0),
        })
        .collect();
    let mean_satisfaction = (answered > 0).then(|| sum / answered as f64);
    LoyaltyAnalysis {
        config: config.clone(),
        scale,
        cuts: config.cuts_for(scale),
        survey_rows: survey.rows_read,
        rejected_rows: survey.rejected_count,
        respondents: survey.respondents.len(),
        distribution,
        mean_satisfaction,
        nps: Nps::of(survey.respondents.iter().filter_map(|r| r.recommend)),
        join: None,
        behaviour: None,
        behaviour_problem: None,
    }
}

/// The matrix type of a customer with a level and an activity day.
pub fn matrix_type(level: u8, loyal: bool, lapsed: bool, cuts: SatisfactionCuts) -> LoyaltyType {
    match (loyal, level) {
        (true, l) if l >= cuts.top => LoyaltyType::Apostle,
        (true, l) if l >= cuts.satisfied => LoyaltyType::Loyalist,
        (true, _) => LoyaltyType::Hostage,
        (false, l) if l >= cuts.satisfied => LoyaltyType::Mercenary,
        (false, l) if l <= cuts.bottom && lapsed => LoyaltyType::Terrorist,
        (false, _) => LoyaltyType::Defector,
    }
}

/// The class (1–6) of a respondent; `user` is its customer when it has an activity day.
fn class_of(
    r: &Respondent,
    user: Option<&CustomerLoyalty>,
    config: &LoyaltyConfig,
    cuts: SatisfactionCuts,
) -> u8 {
    let satisfied = r.level.is_some_and(|l| l >= cuts.satisfied);
    match user {
        Some(c) => {
            let long_term = c.orders >= u64::from(config.long_term_min_orders)
                && c.tenure_days
                    .is_some_and(|t| i64::from(t) >= i64::from(config.long_term_days));
            if long_term {
                if satisfied && !c.lapsed && r.intent != Some(Intent::No) {
                    1
                } else {
                    2
                }
            } else {
                let more = match r.intent {
                    Some(intent) => intent == Intent::Yes,
                    None => satisfied,
                };
                if more {
                    3
                } else {
                    4
                }
            }
        }
        None => {
            let may = match r.intent {
                Some(intent) => intent != Intent::No,
                None => satisfied || r.recommend.is_some_and(|v| v >= 7.0),
            };
            if may {
                5
            } else {
                6
            }
        }
    }
}

/// A named figure for automation (`data-metric` in the UI).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Machine name.
    pub name: String,
    /// The value; `None` when it is not defined for this data.
    pub value: Option<f64>,
}

impl LoyaltyAnalysis {
    /// The figures for automation, in this order: `survey_rows` (data rows of the file),
    /// `survey_matched` (respondents found in the orders; `None` for a survey alone), `nps`
    /// (score), `loyalty_type:<apostle|loyalist|hostage|mercenary|defector|terrorist>`
    /// (customers), `loyalty_class:<1..6>` (respondents), then per level of the scale
    /// `churn_by_satisfaction:<level>` (rate) and `churn_by_satisfaction_n:<level>` (customers).
    /// Figures that need the orders are left out for a survey alone.
    pub fn figures(&self) -> Vec<Figure> {
        let mut out = vec![
            Figure {
                name: "survey_rows".into(),
                value: Some(self.survey_rows as f64),
            },
            Figure {
                name: "survey_matched".into(),
                value: self.join.as_ref().map(|j| j.matched as f64),
            },
            Figure {
                name: "nps".into(),
                value: self.nps.score,
            },
        ];
        if let Some(b) = &self.behaviour {
            for t in &b.types {
                out.push(Figure {
                    name: format!("loyalty_type:{}", t.kind.as_str()),
                    value: Some(t.customers as f64),
                });
            }
            for c in &b.classes {
                out.push(Figure {
                    name: format!("loyalty_class:{}", c.class),
                    value: Some(c.respondents as f64),
                });
            }
            for c in &b.churn {
                out.push(Figure {
                    name: format!("churn_by_satisfaction:{}", c.level),
                    value: c.rate,
                });
                out.push(Figure {
                    name: format!("churn_by_satisfaction_n:{}", c.level),
                    value: Some(c.customers as f64),
                });
            }
        }
        out
    }
}
