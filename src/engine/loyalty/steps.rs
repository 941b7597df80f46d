//! What the loyalty analysis reads from the orders whatever its rules ([`LoyaltyBase`]): the
//! join, the window, every matched customer's first and last activity day and orders, the
//! suggested lapse threshold and every customer's sales decile — one pass over the purchase
//! history and one ranking, in pieces ([`LoyaltyBaseSteps`]) so that the page can take them a
//! task at a time (at 967,209 customers the analysis took 0.8 s at once). The rules
//! ([`super::LoyaltyConfig`] but the analysis day and what counts as activity) are applied
//! to it afterwards, in pieces too ([`LoyaltySteps`]): editing them reads nothing again.

use std::sync::Arc;

use super::*;
use crate::engine::deciles::CustomerDecileSteps;
use crate::engine::lifecycle::scan::{visit_range, Seen, Visitor};
use crate::engine::lifecycle::GapTally;
use crate::engine::survey::JoinSteps;

/// Bytes of purchase days a step of [`LoyaltyBaseSteps`] reads (the history's records; about
/// 4 ms natively). By bytes, not customers: the first customers of a table may buy far more
/// often than the last.
const VISIT_BYTES: u64 = 1 << 20;

/// A matched customer's activity before the analysis day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Active {
    /// First and last activity day.
    pub first: Day,
    pub last: Day,
    /// Orders first seen on activity days.
    pub orders: u64,
}

/// What the behaviour figures read from the history.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct BaseBehaviour {
    pub window: Window,
    /// The 90th percentile of the inter-purchase times rounded up ([`lapse`]'s suggestion).
    pub suggested_lapse_days: Option<u32>,
    /// Per respondent (in [`Survey::respondents`] order): its customer's activity, `None` for
    /// a respondent without orders or without an activity day before the analysis day.
    pub active: Vec<Option<Active>>,
    /// Every customer's sales decile (1 = largest), by index.
    pub deciles: Vec<u8>,
}

/// The sizes and settings a base is of.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key {
    customers: usize,
    respondents: usize,
    analysis_day: Option<Day>,
    returns_count: bool,
}

impl Key {
    fn of(survey: &Survey, table: &CustomerTable, lifecycle: &LifecycleConfig) -> Key {
        Key {
            customers: table.customers.len(),
            respondents: survey.respondents.len(),
            analysis_day: lifecycle.analysis_day,
            returns_count: lifecycle.returns_count_as_activity,
        }
    }
}

/// The part of the loyalty analysis of a survey joined to orders that its rules do not change
/// (see the module docs); made by [`LoyaltyBaseSteps`] or [`LoyaltyBase::of`].
#[derive(Debug, Clone, PartialEq)]
pub struct LoyaltyBase {
    key: Key,
    pub(super) join: SurveyJoin,
    /// Why there are no behaviour figures (orders without dates, or no customer).
    pub(super) behaviour: std::result::Result<BaseBehaviour, Error>,
}

impl LoyaltyBase {
    /// The base of `survey` joined to `table` and its `history`, for `lifecycle`'s analysis
    /// day and activity rule, at once.
    pub fn of(
        survey: &Survey,
        table: &CustomerTable,
        history: &PurchaseHistory,
        lifecycle: &LifecycleConfig,
    ) -> LoyaltyBase {
        LoyaltyBaseSteps::new(survey, table, lifecycle).finish(survey, table, history)
    }

    /// Whether this is the base of `survey`, `table` and `lifecycle` (by their sizes and
    /// settings: the caller keeps it with the survey and table it was made of).
    pub fn fits(
        &self,
        survey: &Survey,
        table: &CustomerTable,
        lifecycle: &LifecycleConfig,
    ) -> bool {
        self.key == Key::of(survey, table, lifecycle)
    }
}

/// The pass over the history, half done.
struct Visiting {
    join: SurveyJoin,
    window: Window,
    /// The next customer to read.
    next: usize,
    tally: GapTally,
    active: Vec<Option<Active>>,
    deciles: CustomerDecileSteps,
}

/// The deciles being cut, the pass done.
struct Ranking {
    join: SurveyJoin,
    window: Window,
    suggested_lapse_days: Option<u32>,
    active: Vec<Option<Active>>,
    deciles: CustomerDecileSteps,
}

enum Stage {
    Join(JoinSteps),
    /// The join done: the window is found next (a pass over the customers).
    Joined(Box<SurveyJoin>),
    Visit(Box<Visiting>),
    Rank(Box<Ranking>),
    Done(Box<LoyaltyBase>),
    /// Between two stages.
    Moving,
}

/// [`LoyaltyBase::of`] in pieces: the join ([`JoinSteps`]), the window, the pass over the
/// history [`VISIT_BYTES`] a step, the sales deciles ([`CustomerDecileSteps`]). Every call
/// must be given the same survey, table and history, unchanged (a call with others of other
/// sizes does nothing, and [`LoyaltyBaseSteps::finish`] starts again).
pub struct LoyaltyBaseSteps {
    key: Key,
    stage: Stage,
    /// Customers read a step in tests; 0: [`VISIT_BYTES`] a step.
    piece: usize,
}

/// Feeds a matched customer's activity to its respondent's slot.
struct Matched<'a> {
    respondent_of: &'a [Option<usize>],
    active: &'a mut [Option<Active>],
}

impl Visitor for Matched<'_> {
    fn visit(&mut self, customer: &Seen<'_>) {
        let Some(&Some(k)) = self.respondent_of.get(customer.index) else {
            return;
        };
        let facts = &customer.facts;
        let (Some(first), Some(last)) = (facts.first_active, facts.last_active) else {
            return;
        };
        if let Some(slot) = self.active.get_mut(k) {
            *slot = Some(Active {
                first,
                last,
                orders: facts.active_orders,
            });
        }
    }
}

impl LoyaltyBaseSteps {
    /// The steps of the base of `survey` joined to `table` with `lifecycle`'s analysis day and
    /// activity rule; nothing computed yet.
    pub fn new(survey: &Survey, table: &CustomerTable, lifecycle: &LifecycleConfig) -> Self {
        LoyaltyBaseSteps {
            key: Key::of(survey, table, lifecycle),
            stage: Stage::Join(JoinSteps::new(survey, table)),
            piece: 0,
        }
    }

    /// [`LoyaltyBaseSteps::new`] in pieces of `piece` comparisons and customers.
    #[cfg(test)]
    pub(crate) fn with_piece(
        survey: &Survey,
        table: &CustomerTable,
        lifecycle: &LifecycleConfig,
        piece: usize,
    ) -> Self {
        LoyaltyBaseSteps {
            key: Key::of(survey, table, lifecycle),
            stage: Stage::Join(JoinSteps::with_piece(survey, table, piece)),
            piece: piece.max(1),
        }
    }

    /// Computes the next piece; false when none is left (or the survey and table are not of
    /// the sizes the steps began with).
    pub fn step(
        &mut self,
        survey: &Survey,
        table: &CustomerTable,
        history: &PurchaseHistory,
    ) -> bool {
        let key = self.key;
        if key.customers != table.customers.len() || key.respondents != survey.respondents.len() {
            return false;
        }
        let (more, next) = match std::mem::replace(&mut self.stage, Stage::Moving) {
            Stage::Join(mut steps) => {
                if steps.step(survey, table) {
                    (true, Stage::Join(steps))
                } else {
                    (true, Stage::Joined(Box::new(steps.finish(survey, table))))
                }
            }
            Stage::Joined(join) => {
                let join = *join;
                let begun = window(table, history, key.analysis_day).and_then(|window| {
                    let deciles = CustomerDecileSteps::new(table, DecileBasis::Sales)?;
                    Ok((window, deciles))
                });
                match begun {
                    Ok((window, deciles)) => {
                        let lifecycle = LifecycleConfig {
                            returns_count_as_activity: key.returns_count,
                            ..LifecycleConfig::default()
                        };
                        (
                            true,
                            Stage::Visit(Box::new(Visiting {
                                active: vec![None; survey.respondents.len()],
                                join,
                                window,
                                next: 0,
                                tally: GapTally::new(&lifecycle),
                                deciles,
                            })),
                        )
                    }
                    Err(error) => (
                        false,
                        Stage::Done(Box::new(LoyaltyBase {
                            key,
                            join,
                            behaviour: Err(error),
                        })),
                    ),
                }
            }
            Stage::Visit(mut visiting) => {
                let Visiting {
                    join,
                    window,
                    next,
                    tally,
                    active,
                    ..
                } = &mut *visiting;
                let to = match self.piece {
                    0 => history.piece_end(*next, VISIT_BYTES),
                    piece => next.saturating_add(piece).min(history.len()),
                };
                let mut matched = Matched {
                    respondent_of: &join.respondent_of,
                    active,
                };
                visit_range(
                    history,
                    window,
                    key.returns_count,
                    *next..to,
                    &mut [tally, &mut matched],
                );
                *next = to;
                if to < history.len() {
                    (true, Stage::Visit(visiting))
                } else {
                    let Visiting {
                        join,
                        window,
                        tally,
                        active,
                        deciles,
                        ..
                    } = *visiting;
                    (
                        true,
                        Stage::Rank(Box::new(Ranking {
                            join,
                            window,
                            suggested_lapse_days: tally.inter_purchase().suggested_lapse_days(),
                            active,
                            deciles,
                        })),
                    )
                }
            }
            Stage::Rank(mut ranking) => {
                if ranking.deciles.step(table) {
                    (true, Stage::Rank(ranking))
                } else {
                    let Ranking {
                        join,
                        window,
                        suggested_lapse_days,
                        active,
                        deciles,
                    } = *ranking;
                    let behaviour = deciles.finish(table).map(|deciles| BaseBehaviour {
                        window,
                        suggested_lapse_days,
                        active,
                        deciles,
                    });
                    (
                        false,
                        Stage::Done(Box::new(LoyaltyBase {
                            key,
                            join,
                            behaviour,
                        })),
                    )
                }
            }
            done @ (Stage::Done(_) | Stage::Moving) => (false, done),
        };
        self.stage = next;
        more
    }

    /// The base: the pieces not computed yet are computed now.
    pub fn finish(
        mut self,
        survey: &Survey,
        table: &CustomerTable,
        history: &PurchaseHistory,
    ) -> LoyaltyBase {
        if self.key.customers != table.customers.len()
            || self.key.respondents != survey.respondents.len()
            || matches!(self.stage, Stage::Moving)
        {
            let lifecycle = LifecycleConfig {
                analysis_day: self.key.analysis_day,
                returns_count_as_activity: self.key.returns_count,
                ..LifecycleConfig::default()
            };
            self = LoyaltyBaseSteps::new(survey, table, &lifecycle);
        }
        while self.step(survey, table, history) {}
        match self.stage {
            Stage::Done(base) => *base,
            // Not reached: the steps end done.
            _ => LoyaltyBase {
                key: self.key,
                join: join(survey, table),
                behaviour: Err(Error::NoData),
            },
        }
    }
}

/// Customers (of the join) or RFM scores a step of the rules reads.
const RULES_PIECE: usize = 262_144;

/// No RFM segment.
const NO_SEGMENT: u16 = u16::MAX;

/// The base, in pieces or done.
enum BaseState {
    Steps(LoyaltyBaseSteps),
    Done(Arc<LoyaltyBase>),
}

/// The NPS groups of the RFM segments.
struct Segments {
    /// The scores the groups were begun with (a guard).
    scores: usize,
    /// The segment names (English) in the summaries' order, "Other" last (added when the
    /// table has no such rule), with the group of each: that of the first of its name.
    names: Vec<(String, usize)>,
    /// The group of each rule, and of "Other".
    rule_group: Vec<u16>,
    other_group: u16,
    /// Every customer's group ([`NO_SEGMENT`] for a customer without a score), filled over
    /// the scores up to `filled`.
    group_of: Vec<u16>,
    filled: usize,
    /// The members of each group (indices into the customers).
    members: Vec<Vec<usize>>,
}

impl Segments {
    fn new(rfm: &RfmAnalysis, customers: usize) -> Segments {
        let mut names: Vec<&str> = rfm
            .segmentation
            .segments
            .iter()
            .map(|s| s.name_en.as_str())
            .collect();
        // The summaries end with "Other"; a table without it still gets its group.
        if !names.contains(&crate::engine::rfm::OTHER_EN) {
            names.push(crate::engine::rfm::OTHER_EN);
        }
        let group = |name: &str| {
            let at = names.iter().position(|n| *n == name).unwrap_or(0);
            u16::try_from(at).unwrap_or(NO_SEGMENT)
        };
        let rule_group = rfm
            .segmentation
            .segments
            .iter()
            .map(|s| group(&s.name_en))
            .collect();
        let other_group = group(crate::engine::rfm::OTHER_EN);
        Segments {
            scores: rfm.scores.customers.len(),
            names: names
                .iter()
                .map(|&name| (name.to_string(), usize::from(group(name))))
                .collect(),
            rule_group,
            other_group,
            group_of: vec![NO_SEGMENT; customers],
            filled: 0,
            members: vec![Vec::new(); names.len()],
        }
    }

    /// Fills the groups of the next `piece` scores; false once all are.
    fn fill(&mut self, rfm: &RfmAnalysis, piece: usize) -> bool {
        let scores = &rfm.scores.customers;
        let to = self.filled.saturating_add(piece).min(scores.len());
        for k in self.filled..to {
            let Some(score) = scores.get(k) else { break };
            let group = match rfm.segmentation.assignments.get(k) {
                Some(Some(rule)) => self
                    .rule_group
                    .get(usize::from(*rule))
                    .copied()
                    .unwrap_or(self.other_group),
                Some(None) => self.other_group,
                None => NO_SEGMENT,
            };
            if let Some(slot) = self.group_of.get_mut(score.index) {
                *slot = group;
            }
        }
        self.filled = to;
        to < scores.len()
    }
}

/// The rules applied to the base, half done.
struct Rules {
    lapse_days: Option<u32>,
    lapse_source: ThresholdSource,
    /// The next customer (index into the table) to look at.
    next: usize,
    customers: Vec<CustomerLoyalty>,
    /// The members of each matrix type ([`LoyaltyType::ALL`] order), and how many of them
    /// are sorted by sales.
    types: Vec<Vec<usize>>,
    sorted: usize,
    /// The members of each sales decile, 1 to 10.
    deciles: Vec<Vec<usize>>,
    /// `None` without an RFM analysis.
    segments: Option<Segments>,
    /// Per satisfaction level (by its value): matched customers with an activity day, and of
    /// them the lapsed.
    churn: Vec<(usize, usize)>,
    /// The figures summed a step each once every customer is placed.
    classes: Option<Vec<ClassFigures>>,
    by_decile: Option<Vec<GroupFigures>>,
    by_segment: Option<Vec<GroupFigures>>,
}

/// [`analyse_loyalty`] in pieces: the base ([`LoyaltyBaseSteps`], or one made beforehand),
/// then the rules a piece of [`RULES_PIECE`] customers a step, the matrix types sorted a type
/// a step; [`LoyaltySteps::finish`] sums up. Every call must be given the same survey and
/// orders, unchanged (finishing with others of other sizes starts again).
pub struct LoyaltySteps {
    /// The figures of the survey alone (computed first).
    head: LoyaltyAnalysis,
    config: LoyaltyConfig,
    cuts: SatisfactionCuts,
    /// `None` for a survey alone.
    base: Option<BaseState>,
    rules: Option<Box<Rules>>,
    pub(super) piece: usize,
}

impl LoyaltySteps {
    /// The steps of the analysis of `survey` (joined to `orders`) with `config`, from `base`
    /// when it fits them ([`LoyaltyBase::fits`]).
    ///
    /// # Errors
    /// [`Error::Parameter`] from [`LoyaltyConfig::validate`].
    pub fn new(
        survey: &Survey,
        orders: Option<Orders<'_>>,
        config: &LoyaltyConfig,
        base: Option<Arc<LoyaltyBase>>,
    ) -> Result<LoyaltySteps> {
        config.validate(survey.scale)?;
        let base = orders.map(|orders| {
            match base.filter(|b| b.fits(survey, orders.table, &config.lifecycle)) {
                Some(base) => BaseState::Done(base),
                None => BaseState::Steps(LoyaltyBaseSteps::new(
                    survey,
                    orders.table,
                    &config.lifecycle,
                )),
            }
        });
        Ok(LoyaltySteps {
            head: survey_figures(survey, config),
            config: config.clone(),
            cuts: config.cuts_for(survey.scale),
            base,
            rules: None,
            piece: RULES_PIECE,
        })
    }

    /// [`LoyaltySteps::new`] in pieces of `piece` (customers, scores, comparisons).
    #[cfg(test)]
    pub(crate) fn with_piece(
        survey: &Survey,
        orders: Option<Orders<'_>>,
        config: &LoyaltyConfig,
        piece: usize,
    ) -> Result<LoyaltySteps> {
        let mut steps = LoyaltySteps::new(survey, orders, config, None)?;
        steps.piece = piece.max(1);
        if let (Some(orders), Some(BaseState::Steps(base))) = (orders, steps.base.as_mut()) {
            *base = LoyaltyBaseSteps::with_piece(survey, orders.table, &config.lifecycle, piece);
        }
        Ok(steps)
    }

    /// The base once it is made (to begin the steps of other rules from).
    pub fn base(&self) -> Option<Arc<LoyaltyBase>> {
        match &self.base {
            Some(BaseState::Done(base)) => Some(base.clone()),
            _ => None,
        }
    }

    /// Whether the steps are of `survey` and `orders` (by their sizes).
    fn fits(&self, survey: &Survey, orders: Option<Orders<'_>>) -> bool {
        let base = match (&self.base, orders) {
            (None, None) => return true,
            (Some(BaseState::Done(base)), Some(orders)) => {
                base.fits(survey, orders.table, &self.config.lifecycle)
            }
            (Some(BaseState::Steps(steps)), Some(orders)) => {
                steps.key == Key::of(survey, orders.table, &self.config.lifecycle)
            }
            _ => false,
        };
        let segments = match (
            self.rules.as_ref().and_then(|r| r.segments.as_ref()),
            orders,
        ) {
            (Some(segments), Some(orders)) => {
                orders.rfm.map(|r| r.scores.customers.len()) == Some(segments.scores)
            }
            (None, Some(orders)) => self.rules.is_none() || orders.rfm.is_none(),
            _ => true,
        };
        base && segments
    }

    /// Computes the next piece; false when none is left (or the survey and orders are not
    /// those the steps began with).
    pub fn step(&mut self, survey: &Survey, orders: Option<Orders<'_>>) -> bool {
        if !self.fits(survey, orders) {
            return false;
        }
        let Some(orders) = orders else {
            return false;
        };
        let base = match self.base.take() {
            Some(BaseState::Steps(mut steps)) => {
                self.base = Some(if steps.step(survey, orders.table, orders.history) {
                    BaseState::Steps(steps)
                } else {
                    let made = steps.finish(survey, orders.table, orders.history);
                    BaseState::Done(Arc::new(made))
                });
                return true;
            }
            Some(BaseState::Done(base)) => {
                self.base = Some(BaseState::Done(base.clone()));
                base
            }
            None => return false,
        };
        let Ok(behaviour) = &base.behaviour else {
            return false;
        };
        let Some(rules) = self.rules.as_mut() else {
            self.rules = Some(Box::new(self.begin_rules(&base.join, behaviour, orders)));
            return true;
        };
        let piece = self.piece;
        if let (Some(segments), Some(rfm)) = (rules.segments.as_mut(), orders.rfm) {
            if segments.filled < segments.scores {
                segments.fill(rfm, piece);
                return true;
            }
        }
        let customers = base.join.respondent_of.len();
        if rules.next < customers {
            let to = rules.next.saturating_add(piece).min(customers);
            apply(
                rules,
                &self.config,
                self.cuts,
                survey,
                &base,
                behaviour,
                orders.table,
                to,
            );
            return true;
        }
        if rules.sorted < rules.types.len() {
            let all = &rules.customers;
            if let Some(members) = rules.types.get_mut(rules.sorted) {
                members.sort_unstable_by(|&a, &b| by_sales(all, a, b));
            }
            rules.sorted += 1;
            return true;
        }
        let customers = &rules.customers;
        if rules.classes.is_none() {
            rules.classes = Some(classes(survey, customers, &self.config, self.cuts));
            return true;
        }
        if rules.by_decile.is_none() {
            rules.by_decile = Some(
                (1u8..=10)
                    .zip(&rules.deciles)
                    .map(|(d, members)| group(survey, customers, d.to_string(), members))
                    .collect(),
            );
            return rules.segments.is_some();
        }
        if let (None, Some(segments)) = (&rules.by_segment, &rules.segments) {
            rules.by_segment = Some(
                segments
                    .names
                    .iter()
                    .map(|(name, at)| {
                        let members = segments.members.get(*at).map_or(&[][..], Vec::as_slice);
                        group(survey, customers, name.clone(), members)
                    })
                    .collect(),
            );
        }
        false
    }

    fn begin_rules(
        &self,
        join: &SurveyJoin,
        behaviour: &BaseBehaviour,
        orders: Orders<'_>,
    ) -> Rules {
        let (lapse_days, lapse_source) =
            lapse_threshold(&self.config.lifecycle, behaviour.suggested_lapse_days);
        Rules {
            lapse_days,
            lapse_source,
            next: 0,
            customers: Vec::with_capacity(join.matched),
            types: vec![Vec::new(); LoyaltyType::ALL.len()],
            sorted: 0,
            deciles: vec![Vec::new(); 10],
            segments: orders
                .rfm
                .map(|rfm| Segments::new(rfm, orders.table.customers.len())),
            churn: vec![(0, 0); usize::from(u8::MAX) + 1],
            classes: None,
            by_decile: None,
            by_segment: None,
        }
    }

    /// The analysis: the pieces not computed yet are computed now.
    ///
    /// # Errors
    /// As [`analyse_loyalty`].
    pub fn finish(
        mut self,
        survey: &Survey,
        orders: Option<Orders<'_>>,
    ) -> Result<LoyaltyAnalysis> {
        if !self.fits(survey, orders) {
            self = LoyaltySteps::new(survey, orders, &self.config, None)?;
        }
        while self.step(survey, orders) {}
        let mut analysis = self.head;
        let (Some(orders), Some(BaseState::Done(base))) = (orders, self.base) else {
            return Ok(analysis);
        };
        analysis.join = Some(base.join.clone());
        match (&base.behaviour, self.rules) {
            (Ok(behaviour), Some(rules)) => {
                analysis.behaviour = Some(summarise(
                    &self.config,
                    survey.scale,
                    behaviour.window,
                    *rules,
                    orders.rfm.is_some(),
                ));
            }
            (Err(error), _) => analysis.behaviour_problem = Some(error.clone()),
            // Not reached: the steps begin the rules once the base has behaviour.
            (Ok(_), None) => analysis.behaviour_problem = Some(Error::NoData),
        }
        Ok(analysis)
    }
}

/// Larger sales first, ties by customer index.
fn by_sales(customers: &[CustomerLoyalty], a: usize, b: usize) -> std::cmp::Ordering {
    let (Some(x), Some(y)) = (customers.get(a), customers.get(b)) else {
        return a.cmp(&b);
    };
    y.sales.total_cmp(&x.sales).then(x.index.cmp(&y.index))
}

/// The rules applied to the matched customers of the table from `rules.next` up to `to`.
#[allow(clippy::too_many_arguments)]
fn apply(
    rules: &mut Rules,
    config: &LoyaltyConfig,
    cuts: SatisfactionCuts,
    survey: &Survey,
    base: &LoyaltyBase,
    behaviour: &BaseBehaviour,
    table: &CustomerTable,
    to: usize,
) {
    let analysis_day = behaviour.window.analysis_day;
    let lapse_days = rules.lapse_days;
    // The lifecycle's rule ([`crate::engine::lifecycle::lapse`]).
    let past_lapse = |last: Day| {
        lapse_days.is_some_and(|d| i64::from(analysis_day.days_since(last)) > i64::from(d))
    };
    let from = rules.next;
    for (index, respondent) in
        (from..).zip(base.join.respondent_of.get(from..to).unwrap_or_default())
    {
        let Some(k) = *respondent else { continue };
        let Some(r) = survey.respondents.get(k) else {
            continue;
        };
        let active = behaviour.active.get(k).copied().flatten();
        let (first, last) = (active.map(|a| a.first), active.map(|a| a.last));
        let orders_n = active.map_or(0, |a| a.orders);
        let tenure = first.map(|d| analysis_day.saturating_days_since(d));
        let recency = last.map(|d| analysis_day.saturating_days_since(d));
        let is_lapsed = last.is_some_and(past_lapse);
        let loyal = last.is_some()
            && !is_lapsed
            && orders_n >= u64::from(config.loyal_min_orders)
            && tenure.is_some_and(|t| i64::from(t) >= i64::from(config.loyal_min_tenure_days));
        let decile = behaviour.deciles.get(index).copied().unwrap_or(10);
        let kind = match (r.level, last) {
            (Some(level), Some(_)) => Some(matrix_type(level, loyal, is_lapsed, cuts)),
            _ => None,
        };
        let m = rules.customers.len();
        if let Some(members) = kind
            .and_then(|kind| LoyaltyType::ALL.iter().position(|&t| t == kind))
            .and_then(|t| rules.types.get_mut(t))
        {
            members.push(m);
        }
        if let Some(members) = rules.deciles.get_mut(usize::from(decile).wrapping_sub(1)) {
            members.push(m);
        }
        if let Some(segments) = rules.segments.as_mut() {
            let group = segments.group_of.get(index).copied().unwrap_or(NO_SEGMENT);
            if let Some(members) = segments.members.get_mut(usize::from(group)) {
                members.push(m);
            }
        }
        if let (Some(level), Some(_)) = (r.level, tenure) {
            if let Some((n, lapsed)) = rules.churn.get_mut(usize::from(level)) {
                *n += 1;
                *lapsed += usize::from(is_lapsed);
            }
        }
        let customer = table.customers.get(index);
        rules.customers.push(CustomerLoyalty {
            index,
            respondent: k,
            level: r.level,
            orders: orders_n,
            tenure_days: tenure,
            recency_days: recency,
            lapsed: is_lapsed,
            loyal,
            decile,
            sales: customer.map_or(0.0, |c| c.sales),
            profit: customer.map_or(0.0, |c| c.profit),
            kind,
            high_value_terrorist: kind == Some(LoyaltyType::Terrorist)
                && decile <= config.high_value_deciles,
        });
    }
    rules.next = to;
}

/// The six classes of every respondent.
fn classes(
    survey: &Survey,
    customers: &[CustomerLoyalty],
    config: &LoyaltyConfig,
    cuts: SatisfactionCuts,
) -> Vec<ClassFigures> {
    let mut classes: Vec<ClassFigures> = (1..=6)
        .map(|class| ClassFigures {
            class,
            respondents: 0,
            sales: 0.0,
        })
        .collect();
    let mut customer_of = vec![None; survey.respondents.len()];
    for c in customers {
        if let Some(slot) = customer_of.get_mut(c.respondent) {
            *slot = Some(c);
        }
    }
    for (r, customer) in survey.respondents.iter().zip(&customer_of) {
        let user = customer.filter(|c| c.tenure_days.is_some());
        let class = class_of(r, user, config, cuts);
        if let Some(figures) = classes.get_mut(usize::from(class) - 1) {
            figures.respondents += 1;
            figures.sales += customer.map_or(0.0, |c| c.sales);
        }
    }
    classes
}

/// NPS and satisfaction of the customers `members` (indices into `customers`).
fn group(
    survey: &Survey,
    customers: &[CustomerLoyalty],
    key: String,
    members: &[usize],
) -> GroupFigures {
    let rs: Vec<&Respondent> = members
        .iter()
        .filter_map(|&m| customers.get(m))
        .filter_map(|c| survey.respondents.get(c.respondent))
        .collect();
    let sats: Vec<f64> = rs.iter().filter_map(|r| r.satisfaction).collect();
    GroupFigures {
        key,
        respondents: rs.len(),
        nps: Nps::of(rs.iter().filter_map(|r| r.recommend)),
        satisfaction_n: sats.len(),
        mean_satisfaction: (!sats.is_empty()).then(|| sats.iter().sum::<f64>() / sats.len() as f64),
    }
}

/// The behaviour figures from the rules applied to every matched customer (what the steps
/// left is computed now).
fn summarise(
    config: &LoyaltyConfig,
    scale: Scale,
    window: Window,
    rules: Rules,
    with_rfm: bool,
) -> Behaviour {
    let Rules {
        lapse_days,
        lapse_source,
        customers,
        types: members_of,
        churn: churn_counts,
        classes,
        by_decile,
        by_segment,
        ..
    } = rules;
    let of = |m: usize| customers.get(m);
    let types: Vec<TypeFigures> = LoyaltyType::ALL
        .into_iter()
        .zip(members_of)
        .map(|(kind, members)| TypeFigures {
            kind,
            customers: members.len(),
            sales: members.iter().filter_map(|&m| of(m)).map(|c| c.sales).sum(),
            profit: members
                .iter()
                .filter_map(|&m| of(m))
                .map(|c| c.profit)
                .sum(),
            high_value: members
                .iter()
                .filter_map(|&m| of(m))
                .filter(|c| c.decile <= config.high_value_deciles)
                .count(),
            members,
        })
        .collect();
    let in_matrix = customers.iter().filter(|c| c.kind.is_some()).count();
    let no_satisfaction = customers.iter().filter(|c| c.level.is_none()).count();
    let no_purchase = customers.iter().filter(|c| c.tenure_days.is_none()).count();
    let threshold = lapse_days.is_some();
    let churn = scale
        .levels()
        .map(|level| {
            let (n, lapsed_n) = churn_counts
                .get(usize::from(level))
                .copied()
                .unwrap_or_default();
            let interval = if threshold {
                wilson(lapsed_n, n, Z95)
            } else {
                None
            };
            ChurnLevel {
                level,
                customers: n,
                lapsed: lapsed_n,
                rate: (threshold && n > 0).then(|| lapsed_n as f64 / n as f64),
                low: interval.map(|i| i.0),
                high: interval.map(|i| i.1),
            }
        })
        .collect();
    Behaviour {
        window,
        lapse_days,
        lapse_source,
        types,
        in_matrix,
        no_satisfaction,
        no_purchase,
        classes: classes.unwrap_or_default(),
        churn,
        by_segment: by_segment.filter(|_| with_rfm).unwrap_or_default(),
        by_decile: by_decile.unwrap_or_default(),
        customers,
    }
}
