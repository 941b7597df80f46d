//! Customer division (客户划分, document `004`): new vs old customers, key accounts vs scattered
//! customers, one-time vs repeat customers, with counts, sales and profit.

use super::scan::{visit_all, Seen, Visitor};
use super::*;
use crate::engine::calendar::NO_DAY;
use crate::engine::deciles::decile_sizes;
use crate::engine::numeric::{ascending_bits, snapped, Sum, AMOUNT_STEPS};

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
    let mut tally = DivisionTally::with_capacity(history.len());
    visit_all(
        history,
        window,
        config.returns_count_as_activity,
        &mut [&mut tally],
    );
    tally.finish(window, config, history.has_profit())
}

/// What the division needs of one customer (24 bytes: a member per customer with a day
/// before the analysis day, at ten million rows nearly a million of them).
#[derive(Debug, Clone, Copy)]
struct Member {
    sales: f64,
    profit: f64,
    /// The first activity day ([`NO_DAY`] for none).
    first_active: Day,
    /// Orders on activity days, 2 for two or more.
    orders: u8,
}

/// [`divide`] one customer at a time.
#[derive(Debug, Default)]
pub(crate) struct DivisionTally {
    /// In the order visited, which is the table's (the key accounts' ties go by it).
    members: Vec<Member>,
}

impl Visitor for DivisionTally {
    fn visit(&mut self, customer: &Seen<'_>) {
        let f = &customer.facts;
        self.members.push(Member {
            sales: f.sales,
            profit: f.profit,
            first_active: f.first_active.unwrap_or(NO_DAY),
            orders: f.active_orders.min(2) as u8,
        });
    }
}

/// Which of `members` are key accounts: the first `count` by net sales (snapped to
/// [`AMOUNT_STEPS`]), largest first, ties by their order. The `count`-th largest key is found by
/// a selection (no sort, and one 8-byte key per member); of the members at that key, the first
/// ones in order fill what the larger ones leave.
fn key_accounts(members: &[Member], count: usize) -> Vec<bool> {
    // Ascending keys for descending sales, ordered as `f64::total_cmp` orders them.
    let key = |m: &Member| !ascending_bits(snapped(m.sales, AMOUNT_STEPS));
    let mut keys: Vec<u64> = members.iter().map(key).collect();
    let Some((cut, above)) = count
        .checked_sub(1)
        .and_then(|nth| keys.get(nth).is_some().then_some(nth))
        .map(|nth| {
            // The keys before the cut are those at or below it: the larger sales among them.
            let (before, &mut cut, _) = keys.select_nth_unstable(nth);
            (cut, before.iter().filter(|&&k| k < cut).count())
        })
    else {
        // None, or everyone.
        return vec![count > 0; members.len()];
    };
    drop(keys);
    let mut at_cut = count.saturating_sub(above);
    members
        .iter()
        .map(|m| match key(m).cmp(&cut) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Equal if at_cut > 0 => {
                at_cut -= 1;
                true
            }
            _ => false,
        })
        .collect()
}

impl DivisionTally {
    /// A tally with room for `customers` members (the customers of the history), made at once.
    pub(crate) fn with_capacity(customers: usize) -> Self {
        DivisionTally {
            members: Vec::with_capacity(customers),
        }
    }

    pub(crate) fn finish(
        self,
        window: &Window,
        config: &LifecycleConfig,
        has_profit: bool,
    ) -> Divisions {
        let members = self.members;
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
        // Key accounts: the first decile of the ranking by net sales.
        let key = key_accounts(&members, decile_sizes(members.len())[0]);
        let mut total_sales = Sum::default();
        let mut total_profit = Sum::default();
        members.iter().for_each(|m| {
            total_sales.add(m.sales);
            total_profit.add(m.profit);
        });
        let group_of = |kind: DivisionKind, k: usize, m: &Member| match kind {
            DivisionKind::NewOld => match m.first_active {
                NO_DAY => DivisionGroup::NoPurchase,
                d if d >= latest.start => DivisionGroup::New,
                _ => DivisionGroup::Old,
            },
            DivisionKind::KeyScattered => match key.get(k).copied().unwrap_or(false) {
                true => DivisionGroup::Key,
                false => DivisionGroup::Scattered,
            },
            DivisionKind::OneTimeRepeat => match m.orders {
                0 => DivisionGroup::NoPurchase,
                1 => DivisionGroup::OneTime,
                _ => DivisionGroup::Repeat,
            },
        };
        let divisions = DivisionKind::ALL
            .iter()
            .map(|&kind| {
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
                let mut sums = vec![(0usize, Sum::default(), Sum::default()); order.len()];
                for (k, m) in members.iter().enumerate() {
                    let group = group_of(kind, k, m);
                    if let Some(at) = order.iter().position(|&g| g == group) {
                        let (customers, sales, profit) = &mut sums[at];
                        *customers += 1;
                        sales.add(m.sales);
                        profit.add(m.profit);
                    }
                }
                let groups = order
                    .iter()
                    .zip(sums)
                    .map(|(&group, (customers, sales, profit))| GroupFigures {
                        group,
                        customers,
                        customer_share: (!members.is_empty())
                            .then(|| customers as f64 / members.len() as f64),
                        sales: sales.value,
                        sales_share: total_sales.share(sales.value),
                        profit: has_profit.then_some(profit.value),
                        profit_share: has_profit
                            .then(|| total_profit.share(profit.value))
                            .flatten(),
                    })
                    .filter(|g| g.group != DivisionGroup::NoPurchase || g.customers > 0)
                    .collect();
                Division { kind, groups }
            })
            .collect();
        Divisions {
            latest_period: latest,
            customers: members.len(),
            divisions,
        }
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;

    /// The key accounts as a full sort takes them: by snapped sales, largest first
    /// (`f64::total_cmp`), ties by order, the first `count`.
    fn sorted_plainly(members: &[Member], count: usize) -> Vec<bool> {
        let mut ranked: Vec<(f64, usize)> = members
            .iter()
            .enumerate()
            .map(|(k, m)| (snapped(m.sales, AMOUNT_STEPS), k))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut key = vec![false; members.len()];
        for &(_, k) in ranked.iter().take(count) {
            key[k] = true;
        }
        key
    }

    #[test]
    fn key_accounts_are_those_a_full_sort_puts_first() {
        let mut state = 7u64;
        let mut draw = move |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % bound
        };
        for n in [0usize, 1, 2, 9, 10, 11, 57, 1_000, 4_099] {
            // Few distinct values (many ties), negative and zero sales, -0.0, and values that
            // differ below a cent (equal once snapped).
            let members: Vec<Member> = (0..n)
                .map(|_| {
                    let sales = match draw(6) {
                        0 => -0.0,
                        1 => 0.0,
                        2 => -(draw(5) as f64) * 10.0,
                        3 => draw(4) as f64 * 100.0 + draw(3) as f64 * 0.001,
                        _ => draw(20) as f64 * 25.5,
                    };
                    Member {
                        sales,
                        profit: 0.0,
                        first_active: NO_DAY,
                        orders: 1,
                    }
                })
                .collect();
            for count in [0, 1, n / 10, n / 2, n.saturating_sub(1), n, n + 1] {
                assert_eq!(
                    key_accounts(&members, count),
                    sorted_plainly(&members, count),
                    "n {n}, count {count}"
                );
            }
        }
    }
}
