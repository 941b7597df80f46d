//! Customer division (客户划分, document `004`): new vs old customers, key accounts vs scattered
//! customers, one-time vs repeat customers, with counts, sales and profit.

use super::scan::{scan, Facts};
use super::*;
use crate::engine::deciles::decile_sizes;
use crate::engine::numeric::{snapped, Sum, AMOUNT_STEPS};

/// The three divisions of `004`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DivisionKind {
    /// 新客户 / 老客户: first activity in the latest period or before.
    NewOld,
    /// 重点客户 / 分散客户: the top sales decile or the rest.
    KeyScattered,
    /// One order or more (on activity days).
    OneTimeRepeat,
}

impl DivisionKind {
    /// All three.
    pub const ALL: [DivisionKind; 3] = [
        DivisionKind::NewOld,
        DivisionKind::KeyScattered,
        DivisionKind::OneTimeRepeat,
    ];

    /// Machine name: `new_old`, `key_scattered`, `one_time_repeat`.
    pub fn as_str(self) -> &'static str {
        match self {
            DivisionKind::NewOld => "new_old",
            DivisionKind::KeyScattered => "key_scattered",
            DivisionKind::OneTimeRepeat => "one_time_repeat",
        }
    }
}

/// A group of a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DivisionGroup {
    /// First activity in the latest period.
    New,
    /// First activity before the latest period.
    Old,
    /// The top sales decile (METHODS §1: ranked by net sales, largest first, ties by id).
    Key,
    /// The other customers.
    Scattered,
    /// Exactly one order on activity days.
    OneTime,
    /// Two orders or more on activity days.
    Repeat,
    /// No activity day (returns only): in no group of activity.
    NoPurchase,
}

impl DivisionGroup {
    /// Machine name: `new`, `old`, `key`, `scattered`, `one_time`, `repeat`, `no_purchase`.
    pub fn as_str(self) -> &'static str {
        match self {
            DivisionGroup::New => "new",
            DivisionGroup::Old => "old",
            DivisionGroup::Key => "key",
            DivisionGroup::Scattered => "scattered",
            DivisionGroup::OneTime => "one_time",
            DivisionGroup::Repeat => "repeat",
            DivisionGroup::NoPurchase => "no_purchase",
        }
    }
}

/// Customers, sales and profit of one group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    /// The group.
    pub group: DivisionGroup,
    /// Customers.
    pub customers: usize,
    /// Their share of the customers divided.
    pub customer_share: Option<f64>,
    /// Net sales.
    pub sales: f64,
    /// Share of the net sales of the customers divided (`None` when that total is zero).
    pub sales_share: Option<f64>,
    /// Net profit (`None` without a profit column).
    pub profit: Option<f64>,
    /// Share of their net profit.
    pub profit_share: Option<f64>,
}

/// One division.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Division {
    /// Which division.
    pub kind: DivisionKind,
    /// Its groups, in the order of [`DivisionGroup`]; `NoPurchase` only when it has customers.
    pub groups: Vec<GroupFigures>,
}

/// The three divisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Divisions {
    /// The latest period (new customers are those first active in it).
    pub latest_period: Period,
    /// Customers divided: those with a day before the analysis day.
    pub customers: usize,
    /// New / old, key / scattered, one-time / repeat.
    pub divisions: Vec<Division>,
}

/// Divides the customers with a day before the analysis day three ways (see the module docs
/// of [`crate::engine::lifecycle`]; values are those before the analysis day). O(days + n log n).
pub fn divide(history: &PurchaseHistory, window: &Window, config: &LifecycleConfig) -> Divisions {
    let periods = Periods::of_grain(config.grain, window);
    let latest = periods.periods.last().copied().unwrap_or(Period {
        key: PeriodKey::Range(DateRange {
            first: window.first_day,
            last: window.last_day(),
        }),
        start: window.first_day,
        end: window.analysis_day,
        partial: false,
    });
    let mut entries = Vec::new();
    let facts: Vec<(usize, Facts)> = (0..history.len())
        .map(|i| {
            let facts = scan(
                history,
                i,
                window.analysis_day,
                config.returns_count_as_activity,
                None,
                &mut entries,
            );
            (i, facts)
        })
        .filter(|(_, f)| f.any_day)
        .collect();
    // Key accounts: the first decile of the ranking by net sales.
    let mut ranked: Vec<(f64, usize)> = facts
        .iter()
        .map(|(i, f)| (snapped(f.sales, AMOUNT_STEPS), *i))
        .collect();
    ranked.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let key_count = decile_sizes(ranked.len())[0];
    let mut key = vec![false; history.len()];
    for &(_, i) in ranked.iter().take(key_count) {
        if let Some(k) = key.get_mut(i) {
            *k = true;
        }
    }
    let has_profit = history.has_profit();
    let mut total_sales = Sum::default();
    let mut total_profit = Sum::default();
    facts.iter().for_each(|(_, f)| {
        total_sales.add(f.sales);
        total_profit.add(f.profit);
    });
    let divisions = DivisionKind::ALL
        .iter()
        .map(|&kind| {
            let group_of = |i: usize, f: &Facts| match kind {
                DivisionKind::NewOld => match f.first_active {
                    None => DivisionGroup::NoPurchase,
                    Some(d) if d >= latest.start => DivisionGroup::New,
                    Some(_) => DivisionGroup::Old,
                },
                DivisionKind::KeyScattered => match key.get(i).copied().unwrap_or(false) {
                    true => DivisionGroup::Key,
                    false => DivisionGroup::Scattered,
                },
                DivisionKind::OneTimeRepeat => match f.active_orders {
                    0 => DivisionGroup::NoPurchase,
                    1 => DivisionGroup::OneTime,
                    _ => DivisionGroup::Repeat,
                },
            };
            let order: &[DivisionGroup] = match kind {
                DivisionKind::NewOld => &[
                    DivisionGroup::New,
                    DivisionGroup::Old,
                    DivisionGroup::NoPurchase,
                ],
                DivisionKind::KeyScattered => &[DivisionGroup::Key, DivisionGroup::Scattered],
                DivisionKind::OneTimeRepeat => &[
                    DivisionGroup::OneTime,
                    DivisionGroup::Repeat,
                    DivisionGroup::NoPurchase,
                ],
            };
            let groups = order
                .iter()
                .map(|&group| {
                    let (mut customers, mut sales, mut profit) =
                        (0usize, Sum::default(), Sum::default());
                    for (i, f) in facts.iter().filter(|(i, f)| group_of(*i, f) == group) {
                        let _ = i;
                        customers += 1;
                        sales.add(f.sales);
                        profit.add(f.profit);
                    }
                    GroupFigures {
                        group,
                        customers,
                        customer_share: (!facts.is_empty())
                            .then(|| customers as f64 / facts.len() as f64),
                        sales: sales.value,
                        sales_share: total_sales.share(sales.value),
                        profit: has_profit.then_some(profit.value),
                        profit_share: has_profit
                            .then(|| total_profit.share(profit.value))
                            .flatten(),
                    }
                })
                .filter(|g| g.group != DivisionGroup::NoPurchase || g.customers > 0)
                .collect();
            Division { kind, groups }
        })
        .collect();
    Divisions {
        latest_period: latest,
        customers: facts.len(),
        divisions,
    }
}
