//! Per-period figures (各期指标): active, new, returning, reactivated, lost; retention, churn,
//! revenue retention, repeat-purchase rate, orders and sales per active customer, and the
//! add-on / upgrade proxy (换购增购).

use super::scan::{entries_of, entry_at, visit_all, Entry, Seen, Visitor};
use super::*;
use crate::engine::numeric::{ratio, Sum, ZERO_TOLERANCE};

/// The add-on / upgrade proxy of one period (see the module docs of [`crate::engine::lifecycle`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Growth {
    /// Retained customers with a positive value in the previous period (the base).
    pub base: usize,
    /// Of them, those whose value grew by at least the threshold.
    pub grown: usize,
    /// `grown / base`; `None` for an empty base or when the period's rates are left out.
    pub share: Option<f64>,
}

/// The figures of one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodStats {
    /// The period.
    pub period: Period,
    /// Its own rates (repeat rate, orders and sales per active customer) are left out: it is
    /// partial, and partial periods are not included. The counts are still given.
    pub own_rates_left_out: bool,
    /// Its comparison rates (retention, churn, revenue retention, add-on) are left out: it or
    /// the period before it is partial.
    pub comparison_rates_left_out: bool,
    /// Customers active in the period.
    pub active: usize,
    /// Of them, first active ever in it.
    pub new: usize,
    /// Of them, active in the previous period too (`None` without a previous period).
    pub returning: Option<usize>,
    /// Of them, not active in the previous period but before it.
    pub reactivated: Option<usize>,
    /// Active in the previous period, not in this one.
    pub lost: Option<usize>,
    /// Active in the previous period.
    pub previous_active: Option<usize>,
    /// `returning / previous_active`.
    pub retention: Option<f64>,
    /// `1 − retention`.
    pub churn: Option<f64>,
    /// Net sales in this period of the previous period's active customers.
    pub retained_sales: f64,
    /// Their net sales in the previous period.
    pub previous_sales: f64,
    /// `retained_sales / previous_sales`; `None` when that is zero (METHODS' zero rule).
    pub revenue_retention: Option<f64>,
    /// Active customers with at least 2 orders in the period.
    pub repeat: usize,
    /// `repeat / active`.
    pub repeat_rate: Option<f64>,
    /// Orders of the active customers (first seen on activity days).
    pub orders: u64,
    /// `orders / active`.
    pub orders_per_active: Option<f64>,
    /// Net sales of all customers in the period (returns netted).
    pub sales: f64,
    /// Net sales of the active customers.
    pub active_sales: f64,
    /// `active_sales / active`.
    pub sales_per_active: Option<f64>,
    /// Add-on proxy on sales.
    pub addon_sales: Growth,
    /// Add-on proxy on quantity (`None` without a quantity column).
    pub addon_quantity: Option<Growth>,
}

/// The per-period figures of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The periods and what each is compared with.
    pub periods: Periods,
    /// One entry per period, oldest first.
    pub stats: Vec<PeriodStats>,
}

/// Counters of one period while the customers are scanned.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    active: usize,
    new: usize,
    returning: usize,
    reactivated: usize,
    lost: usize,
    previous_active: usize,
    repeat: usize,
    orders: u64,
    sales: Sum,
    active_sales: Sum,
    retained_sales: Sum,
    previous_sales: Sum,
    addon_sales: (usize, usize),
    addon_quantity: (usize, usize),
}

/// True when `now` grew from a positive `before` by at least `threshold` (a fraction), up to
/// floating-point noise (10⁻⁹ of `before`).
fn grew(before: f64, now: f64, threshold: f64) -> bool {
    now >= before * (1.0 + threshold) - ZERO_TOLERANCE * before.max(1.0)
}

/// The per-period figures over `periods` (see the module docs of
/// [`crate::engine::lifecycle`] for every definition). O(days).
pub fn period_series(
    history: &PurchaseHistory,
    periods: Periods,
    window: &Window,
    config: &LifecycleConfig,
) -> Series {
    let mut tally = SeriesTally::new(periods, config, history.has_quantity());
    visit_all(
        history,
        window,
        config.returns_count_as_activity,
        &mut [&mut tally],
    );
    tally.finish()
}

/// [`period_series`] one customer at a time.
pub(crate) struct SeriesTally {
    periods: Periods,
    tallies: Vec<Tally>,
    entries: Vec<Entry>,
    threshold: f64,
    returns_count: bool,
    include_partial: bool,
    with_quantity: bool,
}

impl SeriesTally {
    pub(crate) fn new(periods: Periods, config: &LifecycleConfig, with_quantity: bool) -> Self {
        SeriesTally {
            tallies: vec![Tally::default(); periods.len()],
            periods,
            entries: Vec::new(),
            threshold: config.addon_threshold,
            returns_count: config.returns_count_as_activity,
            include_partial: config.include_partial,
            with_quantity,
        }
    }

    pub(crate) fn finish(self) -> Series {
        let SeriesTally {
            periods, tallies, ..
        } = self;
        let stats = tallies
            .iter()
            .enumerate()
            .filter_map(|(p, tally)| {
                let period = *periods.periods.get(p)?;
                let has_previous = periods.previous.get(p).copied().flatten().is_some();
                let left_out = periods.rates_left_out(p, self.include_partial);
                let own_left_out = period.partial && !self.include_partial;
                let share = |part: usize, whole: usize, out: bool| {
                    (!out && whole > 0).then(|| part as f64 / whole as f64)
                };
                let rate = |part: usize, whole: usize| share(part, whole, left_out);
                let with_previous = |count: usize| has_previous.then_some(count);
                let retention = has_previous
                    .then(|| rate(tally.returning, tally.previous_active))
                    .flatten();
                let growth = |(base, grown): (usize, usize)| Growth {
                    base,
                    grown,
                    share: rate(grown, base),
                };
                Some(PeriodStats {
                    period,
                    own_rates_left_out: own_left_out,
                    comparison_rates_left_out: left_out,
                    active: tally.active,
                    new: tally.new,
                    returning: with_previous(tally.returning),
                    reactivated: with_previous(tally.reactivated),
                    lost: with_previous(tally.lost),
                    previous_active: with_previous(tally.previous_active),
                    retention,
                    churn: retention.map(|r| 1.0 - r),
                    retained_sales: tally.retained_sales.value,
                    previous_sales: tally.previous_sales.value,
                    revenue_retention: (has_previous && !left_out)
                        .then(|| tally.previous_sales.share(tally.retained_sales.value))
                        .flatten(),
                    repeat: tally.repeat,
                    repeat_rate: share(tally.repeat, tally.active, own_left_out),
                    orders: tally.orders,
                    orders_per_active: (!own_left_out)
                        .then(|| ratio(tally.orders as f64, tally.active as f64))
                        .flatten(),
                    sales: tally.sales.value,
                    active_sales: tally.active_sales.value,
                    sales_per_active: (!own_left_out && tally.active > 0)
                        .then(|| tally.active_sales.value / tally.active as f64),
                    addon_sales: growth(tally.addon_sales),
                    addon_quantity: self.with_quantity.then(|| growth(tally.addon_quantity)),
                })
            })
            .collect();
        Series { periods, stats }
    }
}

impl Visitor for SeriesTally {
    fn visit(&mut self, customer: &Seen<'_>) {
        let (periods, tallies, entries) = (&self.periods, &mut self.tallies, &mut self.entries);
        entries_of(customer.days, periods, self.returns_count, entries);
        let first_active = customer.facts.first_active;
        for entry in entries.iter() {
            let p = entry.period;
            let Some(tally) = tallies.get_mut(p) else {
                continue;
            };
            tally.sales.add(entry.sales);
            if !entry.active {
                continue;
            }
            let Some(period) = periods.periods.get(p) else {
                continue;
            };
            tally.active += 1;
            tally.orders += u64::from(entry.orders);
            tally.active_sales.add(entry.sales);
            if entry.orders >= 2 {
                tally.repeat += 1;
            }
            let previous = periods.previous.get(p).copied().flatten();
            if first_active.is_some_and(|d| period.contains(d)) {
                tally.new += 1;
            } else if let Some(q) = previous {
                if entry_at(entries, q).is_some_and(|e| e.active) {
                    tally.returning += 1;
                } else {
                    tally.reactivated += 1;
                }
            }
        }
        // What the customers active in a period did in the periods compared with it.
        for entry in entries.iter().filter(|e| e.active) {
            for next in periods.next_of(entry.period) {
                let later = entry_at(entries, next);
                let Some(tally) = tallies.get_mut(next) else {
                    continue;
                };
                tally.previous_active += 1;
                tally.previous_sales.add(entry.sales);
                tally.retained_sales.add(later.map_or(0.0, |e| e.sales));
                match later.filter(|e| e.active) {
                    None => tally.lost += 1,
                    Some(later) => {
                        if entry.sales > 0.0 {
                            tally.addon_sales.0 += 1;
                            if grew(entry.sales, later.sales, self.threshold) {
                                tally.addon_sales.1 += 1;
                            }
                        }
                        if entry.quantity > 0.0 {
                            tally.addon_quantity.0 += 1;
                            if grew(entry.quantity, later.quantity, self.threshold) {
                                tally.addon_quantity.1 += 1;
                            }
                        }
                    }
                }
            }
        }
    }
}

impl Series {
    /// The default periods of a comparison: the last two whole (not partial) periods of the
    /// series, A the earlier and B the later, as date ranges; `None` with fewer than two.
    pub fn last_two_whole(&self) -> Option<(DateRange, DateRange)> {
        let mut whole = self
            .stats
            .iter()
            .rev()
            .filter(|s| !s.period.partial)
            .map(|s| DateRange {
                first: s.period.start,
                last: s.period.end.plus_days(-1),
            });
        let b = whole.next()?;
        let a = whole.next()?;
        Some((a, b))
    }
}
