//! RFM segment migration (RFM 分群迁移): each customer's segment at two analysis days, scored
//! by [`crate::engine::rfm`] on the state of every customer on each day, rebuilt from the
//! purchase histories (orders, net sales and last purchase before that day).

use super::*;
use crate::engine::customers::Columns;
use crate::engine::rfm::{
    analyse_rfm, RfmAnalysis, RfmConfig, Scorable, ScoredCustomer, SegmentRules,
};

/// Where a customer stood on one of the two days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SegmentState {
    /// Not a customer yet: no day before it.
    NotYet,
    /// A rule of the table (index), or `None` for "Other".
    Segment(Option<u16>),
}

/// One cell of the migration matrix.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SegmentMove {
    /// The state on the first day.
    pub from: SegmentState,
    /// The state on the second day.
    pub to: SegmentState,
    /// Customers.
    pub customers: usize,
    /// Their net sales before the first day.
    pub sales_before: f64,
    /// Their net sales before the second day.
    pub sales_after: f64,
}

/// The migration between two analysis days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Migration {
    /// The RFM analysis on the first day (of the customers with a day before it).
    pub before: RfmAnalysis,
    /// The RFM analysis on the second day.
    pub after: RfmAnalysis,
    /// Customer table index of each scored customer of `before` (`before.scores.customers[k]`
    /// is customer `before_index[k]`).
    pub before_index: Vec<usize>,
    /// The same for `after`.
    pub after_index: Vec<usize>,
    /// The cells with at least one customer, by `from` then `to` (not yet first, then rules in
    /// table order, then Other).
    pub moves: Vec<SegmentMove>,
}

impl Migration {
    /// English name of a state: `not_yet`, a rule's English name, or `Other` (as in
    /// `segment_migration:<from>:<to>`).
    pub fn state_name(&self, state: SegmentState) -> String {
        match state {
            SegmentState::NotYet => "not_yet".into(),
            SegmentState::Segment(None) => crate::engine::rfm::OTHER_EN.into(),
            SegmentState::Segment(Some(rule)) => self
                .after
                .segmentation
                .rules
                .rules
                .get(usize::from(rule))
                .map_or_else(
                    || crate::engine::rfm::OTHER_EN.into(),
                    |r| r.name_en.clone(),
                ),
        }
    }
}

/// Every customer with a day before a day, as it stood then: what RFM scoring reads (orders,
/// net sales, the last day before it), a column each, and the original index of each — 20
/// bytes a customer in wasm32, where a [`crate::engine::customers::Customer`] record of each
/// took 88 (at a million customers about 65 MB less of the analysis worker's peak).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayStates {
    /// The last day before the day, of each customer kept.
    last: Vec<Day>,
    /// Orders (rows without an order id counted as orders, as the history keeps them).
    orders: Vec<u32>,
    /// Net sales.
    sales: Vec<f64>,
    /// The customer table's index of each.
    index: Vec<usize>,
    columns: Columns,
}

impl DayStates {
    /// The states of `table`'s customers with a day before `day`, from `history`.
    pub fn on(table: &(impl CustomerDays + ?Sized), history: &PurchaseHistory, day: Day) -> Self {
        let count = table.customer_count();
        // Room for every customer at once: growing by doubling would hold the old and the new
        // buffers together while it copies.
        let mut states = DayStates {
            last: Vec::with_capacity(count),
            orders: Vec::with_capacity(count),
            sales: Vec::with_capacity(count),
            index: Vec::with_capacity(count),
            columns: table.customer_columns(),
        };
        for i in 0..count {
            let (mut orders, mut sales, mut last) = (0u32, 0.0, None);
            for d in history.days(i).take_while(|d| d.day < day) {
                orders = orders.saturating_add(d.orders);
                sales += d.sales;
                last = Some(d.day);
            }
            if let Some(last) = last {
                states.last.push(last);
                states.orders.push(orders);
                states.sales.push(sales);
                states.index.push(i);
            }
        }
        states
    }
}

impl Scorable for DayStates {
    fn scorable_count(&self) -> usize {
        self.last.len()
    }

    fn scorable(&self, i: usize) -> Option<ScoredCustomer> {
        Some(ScoredCustomer {
            last: Some(*self.last.get(i)?),
            orders: *self.orders.get(i)?,
            sales: *self.sales.get(i)?,
        })
    }

    fn scorable_columns(&self) -> Columns {
        self.columns
    }
}

/// RFM segments on `first_day` and `second_day` (analysis days, exclusive, `first_day` <
/// `second_day`) with the same configuration and rules, and who moved where.
///
/// # Errors
/// [`Error::Parameter`] (`migration_second_day`) when the days are not in order; the errors of
/// [`analyse_rfm`] (for instance no customer before the first day).
pub fn segment_migration(
    table: &(impl CustomerDays + ?Sized),
    history: &PurchaseHistory,
    first_day: Day,
    second_day: Day,
    rfm: &RfmConfig,
    rules: &SegmentRules,
) -> Result<Migration> {
    let states_on = |day| DayStates::on(table, history, day);
    let n = table.customer_count();
    migration_of(n, (first_day, second_day), states_on, rfm, rules, true)
}

/// [`segment_migration`] without its per-customer columns: the two analyses' scores and
/// assignments and the two indexes are left empty (`Vec::new()`), each dropped as soon as the
/// moves have read it, so the working memory holds one day's per-customer columns at a time
/// (what the analysis worker sends the page; equal to the full migration with those columns
/// emptied).
///
/// # Errors
/// Those of [`segment_migration`].
pub fn segment_migration_summary(
    table: &(impl CustomerDays + ?Sized),
    history: &PurchaseHistory,
    first_day: Day,
    second_day: Day,
    rfm: &RfmConfig,
    rules: &SegmentRules,
) -> Result<Migration> {
    let states_on = |day| DayStates::on(table, history, day);
    let n = table.customer_count();
    migration_of(n, (first_day, second_day), states_on, rfm, rules, false)
}

/// Empties an analysis's per-customer columns.
fn without_customers(analysis: &mut RfmAnalysis) {
    analysis.scores.customers = Vec::new();
    analysis.scores.undated = Vec::new();
    analysis.segmentation.assignments = Vec::new();
}

/// The two days' states of a migration, made before either is scored
/// ([`MigrationStates::new`]), so that the history and the table they were read from can be let
/// go of before the scoring ([`segment_migration_summary_of`]): in the analysis worker at ten
/// million rows, 70 MB of history and days held through both RFM scorings otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationStates {
    days: (Day, Day),
    count: usize,
    first: DayStates,
    second: DayStates,
}

impl MigrationStates {
    /// The states of `table`'s customers on `first_day` and on `second_day`.
    ///
    /// # Errors
    /// [`Error::Parameter`] (`migration_second_day`) when the days are not in order.
    pub fn new(
        table: &(impl CustomerDays + ?Sized),
        history: &PurchaseHistory,
        first_day: Day,
        second_day: Day,
    ) -> Result<Self> {
        in_order(first_day, second_day)?;
        Ok(MigrationStates {
            days: (first_day, second_day),
            count: table.customer_count(),
            first: DayStates::on(table, history, first_day),
            second: DayStates::on(table, history, second_day),
        })
    }
}

/// [`segment_migration_summary`] of states made beforehand: the same migration.
///
/// # Errors
/// Those of [`analyse_rfm`] (for instance no customer before the first day).
pub fn segment_migration_summary_of(
    states: MigrationStates,
    rfm: &RfmConfig,
    rules: &SegmentRules,
) -> Result<Migration> {
    let MigrationStates {
        days,
        count,
        first,
        second,
    } = states;
    let mut made = [Some(first), Some(second)];
    let states_on = |day: Day| {
        let k = usize::from(day != days.0);
        made.get_mut(k).and_then(Option::take).unwrap_or_default()
    };
    migration_of(count, days, states_on, rfm, rules, false)
}

/// Checks that the migration's days are in order.
fn in_order(first_day: Day, second_day: Day) -> Result<()> {
    if second_day <= first_day {
        return Err(parameter(
            "migration_second_day",
            ParameterProblem::OutOfRange {
                value: f64::from(second_day.epoch_days()),
            },
        ));
    }
    Ok(())
}

/// The migration of `n` customers between the two days, each day's states made by `states_on`
/// when it is scored.
fn migration_of(
    n: usize,
    (first_day, second_day): (Day, Day),
    mut states_on: impl FnMut(Day) -> DayStates,
    rfm: &RfmConfig,
    rules: &SegmentRules,
    per_customer: bool,
) -> Result<Migration> {
    in_order(first_day, second_day)?;
    // Scoring needs no ids (ties get equal scores): the states are built without them and
    // dropped once scored, keeping only each customer's net sales.
    let mut score = |day: Day| -> Result<(RfmAnalysis, Vec<usize>, Vec<f64>)> {
        let states = states_on(day);
        let config = RfmConfig {
            analysis_day: Some(day),
            ..rfm.clone()
        };
        let analysis = analyse_rfm(&states, &config, rules)?;
        let DayStates { index, sales, .. } = states;
        Ok((analysis, index, sales))
    };
    let (mut before, mut before_index, before_sales) = score(first_day)?;
    // Per original customer: (state before, sales before, state after, sales after).
    let mut from = vec![SegmentState::NotYet; n];
    let mut sales_before = vec![0.0; n];
    for (k, score) in before.scores.customers.iter().enumerate() {
        let (Some(&i), Some(&rule)) = (
            before_index.get(score.index),
            before.segmentation.assignments.get(k),
        ) else {
            continue;
        };
        from[i] = SegmentState::Segment(rule);
        sales_before[i] = before_sales.get(score.index).copied().unwrap_or(0.0);
    }
    drop(before_sales);
    if !per_customer {
        without_customers(&mut before);
        before_index = Vec::new();
    }
    let (mut after, mut after_index, after_sales) = score(second_day)?;
    let rules_count = rules.rules.len();
    let position = |state: SegmentState| match state {
        SegmentState::NotYet => 0,
        SegmentState::Segment(Some(rule)) => 1 + usize::from(rule),
        SegmentState::Segment(None) => 1 + rules_count,
    };
    let states = rules_count + 2;
    let mut cells: Vec<Option<SegmentMove>> = vec![None; states * states];
    for (k, score) in after.scores.customers.iter().enumerate() {
        let (Some(&i), Some(&rule)) = (
            after_index.get(score.index),
            after.segmentation.assignments.get(k),
        ) else {
            continue;
        };
        let to = SegmentState::Segment(rule);
        let from = from[i];
        let cell = position(from) * states + position(to);
        let sales_after = after_sales.get(score.index).copied().unwrap_or(0.0);
        if let Some(slot) = cells.get_mut(cell) {
            let entry = slot.get_or_insert(SegmentMove {
                from,
                to,
                customers: 0,
                sales_before: 0.0,
                sales_after: 0.0,
            });
            entry.customers += 1;
            entry.sales_before += sales_before[i];
            entry.sales_after += sales_after;
        }
    }
    if !per_customer {
        without_customers(&mut after);
        after_index = Vec::new();
    }
    Ok(Migration {
        before,
        after,
        before_index,
        after_index,
        moves: cells.into_iter().flatten().collect(),
    })
}
