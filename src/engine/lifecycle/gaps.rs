//! Inter-purchase times (购买间隔) and the lapse rule (流失判定): how many days lie between a
//! customer's consecutive purchase days, the thresholds that follow, and the customers past
//! them with their value.

use super::scan::{visit_all, Facts, Seen, Visitor};
use super::*;

/// The distribution of the days between consecutive activity days, pooled over customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterPurchase {
    /// Number of gaps (customers with n activity days give n − 1).
    pub gaps: u64,
    /// Customers with at least two activity days.
    pub repeat_customers: usize,
    /// Quartile 1, median, quartile 3 and the 90th percentile in days (linear interpolation
    /// between the ordered gaps, as pandas' `quantile` by default); `None` without gaps.
    pub q1: Option<f64>,
    /// The median.
    pub median: Option<f64>,
    /// Quartile 3.
    pub q3: Option<f64>,
    /// The 90th percentile.
    pub p90: Option<f64>,
    /// Mean gap.
    pub mean: Option<f64>,
    /// Gaps per length in days: `(days, count)`, ascending, lengths without a gap left out.
    pub counts: Vec<(u32, u64)>,
}

impl InterPurchase {
    /// The suggested lapse threshold: the 90th percentile rounded up, at least 1 day.
    pub fn suggested_lapse_days(&self) -> Option<u32> {
        whole_days(self.p90)
    }

    /// The `q`-quantile (0 ≤ q ≤ 1) by linear interpolation; `None` without gaps.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        quantile(&self.counts, self.gaps, q)
    }
}

/// The `q`-quantile of `total` values given as ascending (value, count) pairs: the value at
/// position `(total − 1) × q` of the ordered values, interpolated linearly between neighbours.
fn quantile(counts: &[(u32, u64)], total: u64, q: f64) -> Option<f64> {
    if total == 0 || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let position = (total - 1) as f64 * q;
    let below = position.floor() as u64;
    let fraction = position - below as f64;
    let value_at = |k: u64| {
        let mut seen = 0u64;
        for &(value, count) in counts {
            seen += count;
            if k < seen {
                return Some(f64::from(value));
            }
        }
        None
    };
    let low = value_at(below)?;
    let high = value_at((below + 1).min(total - 1))?;
    Some(low + (high - low) * fraction)
}

/// Where a customer stands against the lapse rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LapseStatus {
    /// Recency at most the at-risk threshold.
    Active,
    /// Recency above the at-risk threshold, at most the lapse threshold.
    AtRisk,
    /// Recency above the lapse threshold: no purchase for more than N days.
    Lapsed,
}

impl LapseStatus {
    /// Active, at risk, lapsed.
    pub const ALL: [LapseStatus; 3] = [
        LapseStatus::Active,
        LapseStatus::AtRisk,
        LapseStatus::Lapsed,
    ];

    /// Machine name: `active`, `at_risk`, `lapsed`.
    pub fn as_str(self) -> &'static str {
        match self {
            LapseStatus::Active => "active",
            LapseStatus::AtRisk => "at_risk",
            LapseStatus::Lapsed => "lapsed",
        }
    }
}

/// Where a threshold came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThresholdSource {
    /// Set by the user.
    Given,
    /// Suggested from the inter-purchase times.
    Suggested,
}

/// One customer past a threshold, with its value before the analysis day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LapsingCustomer {
    /// Index into the customer table.
    pub index: usize,
    /// Days from the last activity day to the analysis day.
    pub recency_days: i32,
    /// The last activity day.
    pub last_purchase: Day,
    /// Orders (first seen on activity days).
    pub orders: u64,
    /// Net sales.
    pub sales: f64,
    /// Net profit (0 without a profit column).
    pub profit: f64,
}

/// Customers and value per lapse status.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StatusSummary {
    /// The status.
    pub status: LapseStatus,
    /// Customers.
    pub customers: usize,
    /// Their net sales.
    pub sales: f64,
    /// Their net profit.
    pub profit: f64,
}

/// The lapse rule applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lapse {
    /// The distribution of inter-purchase times.
    pub inter_purchase: InterPurchase,
    /// The lapse threshold N in days; `None` when none is given and there are no gaps to
    /// suggest one (then nobody is at risk or lapsed).
    pub lapse_days: Option<u32>,
    /// Where it came from.
    pub lapse_source: ThresholdSource,
    /// The suggested lapse threshold (the 90th percentile rounded up, at least 1).
    pub suggested_lapse_days: Option<u32>,
    /// The at-risk threshold in days (at most the lapse threshold).
    pub at_risk_days: Option<u32>,
    /// Where it came from.
    pub at_risk_source: ThresholdSource,
    /// Active, at risk, lapsed, in that order (customers with at least one activity day).
    pub summary: Vec<StatusSummary>,
    /// The at-risk customers, largest net sales first (ties by index).
    pub at_risk: Vec<LapsingCustomer>,
    /// The lapsed customers, largest net sales first (ties by index).
    pub lapsed: Vec<LapsingCustomer>,
}

/// A quantile of days rounded up to a whole number of days, at least 1.
fn whole_days(value: Option<f64>) -> Option<u32> {
    value.map(|v| (v.ceil() as u32).max(1))
}

/// The lapse threshold N of `config`: given, or else `suggested`.
pub(crate) fn lapse_threshold(
    config: &LifecycleConfig,
    suggested: Option<u32>,
) -> (Option<u32>, ThresholdSource) {
    match config.lapse_days {
        Some(days) => (Some(days), ThresholdSource::Given),
        None => (suggested, ThresholdSource::Suggested),
    }
}

/// Inter-purchase times and the lapse rule (see the module docs of
/// [`crate::engine::lifecycle`]). O(days).
pub fn lapse(history: &PurchaseHistory, window: &Window, config: &LifecycleConfig) -> Lapse {
    let mut tally = GapTally::with_capacity(config, history.len());
    visit_all(
        history,
        window,
        config.returns_count_as_activity,
        &mut [&mut tally],
    );
    tally.finish(history, window, config)
}

/// [`lapse`] one customer at a time.
pub(crate) struct GapTally {
    /// Gaps per length in days.
    counts: Vec<u64>,
    sum: f64,
    repeat_customers: usize,
    /// (index, last activity day) of every customer with an activity day.
    last: Vec<(u32, Day)>,
    returns_count: bool,
}

impl GapTally {
    /// [`GapTally::new`] with room for `customers` customers, made at once.
    pub(crate) fn with_capacity(config: &LifecycleConfig, customers: usize) -> Self {
        GapTally {
            last: Vec::with_capacity(customers),
            ..GapTally::new(config)
        }
    }

    pub(crate) fn new(config: &LifecycleConfig) -> Self {
        GapTally {
            counts: Vec::new(),
            sum: 0.0,
            repeat_customers: 0,
            last: Vec::new(),
            returns_count: config.returns_count_as_activity,
        }
    }

    /// The distribution of the gaps seen.
    pub(crate) fn inter_purchase(&self) -> InterPurchase {
        let counts: Vec<(u32, u64)> = (0u32..)
            .zip(self.counts.iter().copied())
            .filter(|&(_, count)| count > 0)
            .collect();
        let gaps: u64 = counts.iter().map(|&(_, c)| c).sum();
        let at = |q: f64| quantile(&counts, gaps, q);
        InterPurchase {
            gaps,
            repeat_customers: self.repeat_customers,
            q1: at(0.25),
            median: at(0.5),
            q3: at(0.75),
            p90: at(0.9),
            mean: (gaps > 0).then(|| self.sum / gaps as f64),
            counts,
        }
    }

    /// The distribution, the thresholds, and the customers past them (whose days are read
    /// again for their value).
    pub(crate) fn finish(
        self,
        history: &PurchaseHistory,
        window: &Window,
        config: &LifecycleConfig,
    ) -> Lapse {
        let inter_purchase = self.inter_purchase();
        let suggested_lapse_days = inter_purchase.suggested_lapse_days();
        let (lapse_days, lapse_source) = lapse_threshold(config, suggested_lapse_days);
        let (at_risk_days, at_risk_source) = match config.at_risk_days {
            Some(days) => (Some(days), ThresholdSource::Given),
            None => (whole_days(inter_purchase.q3), ThresholdSource::Suggested),
        };
        let at_risk_days = match (at_risk_days, lapse_days) {
            (Some(r), Some(l)) => Some(r.min(l)),
            (r, _) => r,
        };

        let mut summary = LapseStatus::ALL.map(|status| StatusSummary {
            status,
            customers: 0,
            sales: 0.0,
            profit: 0.0,
        });
        let status_of = |last: Day| {
            let recency = window.analysis_day.days_since(last);
            let past = |days: Option<u32>| days.is_some_and(|d| i64::from(recency) > i64::from(d));
            if past(lapse_days) {
                LapseStatus::Lapsed
            } else if past(at_risk_days) {
                LapseStatus::AtRisk
            } else {
                LapseStatus::Active
            }
        };
        // The lists made at their size (counted first): at a million customers, half of them
        // past a threshold, a list that doubled as it grew held twice its 40 bytes a customer.
        let (mut risky, mut gone) = (0, 0);
        for &(_, last) in &self.last {
            match status_of(last) {
                LapseStatus::AtRisk => risky += 1,
                LapseStatus::Lapsed => gone += 1,
                LapseStatus::Active => {}
            }
        }
        let (mut at_risk, mut lapsed) = (Vec::with_capacity(risky), Vec::with_capacity(gone));
        let mut days = Vec::new();
        for (index, last) in self.last {
            let index = index as usize;
            let recency = window.analysis_day.days_since(last);
            let status = status_of(last);
            days.clear();
            days.extend(
                history
                    .days(index)
                    .take_while(|d| d.day < window.analysis_day),
            );
            let facts = Facts::of(&days, self.returns_count);
            let row = &mut summary[status as usize];
            row.customers += 1;
            row.sales += facts.sales;
            row.profit += facts.profit;
            let customer = LapsingCustomer {
                index,
                recency_days: recency,
                last_purchase: last,
                orders: facts.active_orders,
                sales: facts.sales,
                profit: facts.profit,
            };
            match status {
                LapseStatus::Active => {}
                LapseStatus::AtRisk => at_risk.push(customer),
                LapseStatus::Lapsed => lapsed.push(customer),
            }
        }
        let by_value = |a: &LapsingCustomer, b: &LapsingCustomer| {
            b.sales.total_cmp(&a.sales).then(a.index.cmp(&b.index))
        };
        // Indices differ: the order is total, and a sort in place (no buffer of half the list)
        // gives the one order there is.
        at_risk.sort_unstable_by(by_value);
        lapsed.sort_unstable_by(by_value);
        Lapse {
            inter_purchase,
            lapse_days,
            lapse_source,
            suggested_lapse_days,
            at_risk_days,
            at_risk_source,
            summary: summary.to_vec(),
            at_risk,
            lapsed,
        }
    }
}

impl Visitor for GapTally {
    fn visit(&mut self, customer: &Seen<'_>) {
        let Some(last) = customer.facts.last_active else {
            return;
        };
        self.last
            .push((u32::try_from(customer.index).unwrap_or(u32::MAX), last));
        let mut previous: Option<Day> = None;
        let mut repeat = false;
        for day in customer.days {
            if !is_activity(day, self.returns_count) {
                continue;
            }
            if let Some(previous) = previous {
                let gap = day.day.days_since(previous) as usize;
                if gap >= self.counts.len() {
                    self.counts.resize(gap + 1, 0);
                }
                if let Some(count) = self.counts.get_mut(gap) {
                    *count += 1;
                }
                self.sum += gap as f64;
                repeat = true;
            }
            previous = Some(day.day);
        }
        self.repeat_customers += usize::from(repeat);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_as_pandas_does() {
        // pandas.Series([1, 2, 2, 10]).quantile([.25, .5, .75, .9]) = 1.75, 2.0, 4.0, 7.6
        let counts = [(1, 1), (2, 2), (10, 1)];
        let got: Vec<f64> = [0.25, 0.5, 0.75, 0.9]
            .iter()
            .map(|&q| quantile(&counts, 4, q).unwrap())
            .collect();
        let expected = [1.75, 2.0, 4.0, 7.6];
        for (g, e) in got.iter().zip(expected) {
            assert!((g - e).abs() < 1e-12, "{got:?}");
        }
        assert_eq!(quantile(&[(5, 1)], 1, 0.9), Some(5.0));
        assert_eq!(quantile(&[], 0, 0.5), None);
        assert_eq!(whole_days(Some(7.6)), Some(8));
        assert_eq!(whole_days(Some(0.0)), Some(1));
    }
}
