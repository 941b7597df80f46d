//! Customer lifecycle (客户生命周期, METHODS §5 and §7, from documents `004` and `003`): who is
//! staying, who is leaving, who came back and who moved, from every customer's purchase days
//! ([`PurchaseHistory`]) and the customer table, without reading the file again.
//!
//! # Definitions (METHODS §7)
//! - **The window.** The analysis day ([`LifecycleConfig::analysis_day`]; by default the day
//!   after the latest purchase day, as in RFM) is exclusive: days from it on are ignored. The
//!   data covers the days from the earliest purchase day of any customer to the day before the
//!   analysis day ([`Window`]).
//! - **Activity.** A customer is active on a day with at least one line that is not a return
//!   ([`PurchaseDay::purchase`]); a day with returns only counts as activity only with
//!   [`LifecycleConfig::returns_count_as_activity`] (default off). A customer whose only lines
//!   are returns is never active.
//! - **Periods** ([`periods`]): calendar months (default), quarters or years from the period of
//!   the first day to the period of the last day; or two custom date ranges A and B, B compared
//!   with A. A period the window covers only in part is *partial*: its counts are shown, its
//!   rates (and those of the period after it) are left out unless
//!   [`LifecycleConfig::include_partial`].
//! - **Per period** ([`PeriodStats`]): active; new (first activity ever in the period);
//!   returning (active in the previous period too); reactivated (active, not in the previous
//!   period, active before it); lost (active in the previous period, not in this one).
//!   Retention = returning ÷ active in the previous period; churn = 1 − retention; revenue
//!   retention = the previous period's active customers' net sales in this period ÷ their net
//!   sales in the previous period; repeat-purchase rate = share of the active customers with at
//!   least 2 orders in the period; orders and net sales per active customer. Orders in a period
//!   are the orders first seen on its activity days ([`crate::engine::history`]); sales are net
//!   sales of all its days (returns netted).
//! - **Add-on / upgrade proxy** (换购增购): among the retained customers whose sales (quantity)
//!   in the previous period were positive, the share whose sales (quantity) grew by at least
//!   [`LifecycleConfig::addon_threshold`] (default 20 %).
//! - **Inter-purchase times** ([`gaps`]): days between a customer's consecutive activity days
//!   (several orders on one day are one purchase), pooled over customers; quantiles by linear
//!   interpolation (pandas' and numpy's default). The lapse threshold N defaults to the 90th
//!   percentile rounded up; a customer with no activity for more than N days before the
//!   analysis day (recency > N) is lapsed, and one with recency above the at-risk threshold
//!   (default: the upper quartile rounded up) but not lapsed is at risk.
//! - **Cohorts** ([`cohorts()`]): the month (or quarter) of a customer's first activity; cell
//!   (cohort, k) = share of the cohort active in the k-th period after it, and net sales per
//!   original customer. A cell whose period starts on or after the analysis day is *not
//!   observed* (`None`, never 0).
//! - **Customer division** ([`division`], `004`): new (first activity in the latest period) vs
//!   old; key accounts (top sales decile, METHODS §1's ranking) vs scattered; one-time vs repeat
//!   (1 vs ≥ 2 orders on activity days).
//! - **Movement** ([`movement()`]): customer deciles of period A vs period B, with "new" (active
//!   in B, not in A) and "lapsed" (active in A, not in B); the top-decile customers of A lapsed
//!   in B; and RFM segments at two analysis days ([`migration`]), scored by [`crate::engine::rfm`]
//!   on the state each day from the histories.
//!
//! Results are typed values; errors are [`Error`]s with typed reasons. Nothing here panics on
//! any history (a malformed one ends a customer's days early).

use serde::{Deserialize, Serialize};

use super::calendar::{Day, Month};
use super::customers::{Columns, CustomerTable};
use super::error::{Error, ParameterProblem, Result};
use super::history::{PurchaseDay, PurchaseHistory};
use super::numeric::parameter;

pub mod analysis;
pub mod cohorts;
pub mod division;
pub mod gaps;
pub mod migration;
pub mod movement;
pub mod periods;
pub mod series;

pub(crate) mod scan;

pub use analysis::*;
pub use cohorts::*;
pub use division::*;
pub use gaps::*;
pub use migration::*;
pub use movement::*;
pub use periods::*;
pub use series::*;

/// What the lifecycle analyses read of the customers besides their purchase days: how many
/// there are (in the history's order), the table's columns, each one's first and last purchase
/// day, and its id (for the lists that name customers). A [`CustomerTable`] is one; the
/// analysis worker reads the lean [`DayTable`] (a full table for two days a customer cost it
/// about 80 bytes a customer where these take 16).
pub trait CustomerDays {
    /// How many customers.
    fn customer_count(&self) -> usize;
    /// The columns of the import.
    fn customer_columns(&self) -> Columns;
    /// Customer `i`'s first and last purchase day (`None` past the end, or without dates).
    fn first_last(&self, i: usize) -> (Option<Day>, Option<Day>);
    /// Customer `i`'s id (`""` when not kept).
    fn customer_id(&self, i: usize) -> &str;
}

impl CustomerDays for CustomerTable {
    fn customer_count(&self) -> usize {
        self.customers.len()
    }

    fn customer_columns(&self) -> Columns {
        self.columns
    }

    fn first_last(&self, i: usize) -> (Option<Day>, Option<Day>) {
        self.customers
            .get(i)
            .map_or((None, None), |c| (c.first, c.last))
    }

    fn customer_id(&self, i: usize) -> &str {
        self.customers.get(i).map_or("", |c| c.id.as_str())
    }
}

/// Each customer's first and last purchase day and the columns, without ids or figures: what
/// the lifecycle analyses need of a customer table besides the history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayTable {
    /// The columns of the import.
    pub columns: Columns,
    /// First and last purchase day of each customer, in the table's order.
    pub days: Vec<(Option<Day>, Option<Day>)>,
}

impl CustomerDays for DayTable {
    fn customer_count(&self) -> usize {
        self.days.len()
    }

    fn customer_columns(&self) -> Columns {
        self.columns
    }

    fn first_last(&self, i: usize) -> (Option<Day>, Option<Day>) {
        self.days.get(i).copied().unwrap_or((None, None))
    }

    fn customer_id(&self, _: usize) -> &str {
        ""
    }
}

#[cfg(test)]
mod tests;

/// Cohorts of fewer customers than this are flagged as small ([`Cohort::small`]).
pub const SMALL_COHORT: usize = 30;

/// The parameters of the lifecycle analysis; every field is shown beside the result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LifecycleConfig {
    /// Period grain of the series (default: month).
    pub grain: Grain,
    /// Grain of the cohorts: month (default) or quarter.
    pub cohort_grain: CohortGrain,
    /// The analysis day (exclusive). `None`: the day after the latest purchase day. An earlier
    /// day is allowed: the days from it on are ignored.
    pub analysis_day: Option<Day>,
    /// Days with returns only count as activity (default: no).
    pub returns_count_as_activity: bool,
    /// Rates of partial periods are computed too (default: no, they are left out).
    pub include_partial: bool,
    /// Add-on proxy: the growth that counts (0.2 = at least 20 %); above 0, at most 10.
    pub addon_threshold: f64,
    /// Lapse threshold in days; `None`: the suggested one (90th percentile of inter-purchase
    /// times, rounded up). At least 1.
    pub lapse_days: Option<u32>,
    /// At-risk threshold in days; `None`: the upper quartile of inter-purchase times, rounded
    /// up (at most the lapse threshold). At least 1.
    pub at_risk_days: Option<u32>,
}

impl Default for LifecycleConfig {
    fn default() -> Self {
        LifecycleConfig {
            grain: Grain::Month,
            cohort_grain: CohortGrain::Month,
            analysis_day: None,
            returns_count_as_activity: false,
            include_partial: false,
            addon_threshold: 0.2,
            lapse_days: None,
            at_risk_days: None,
        }
    }
}

impl LifecycleConfig {
    /// Checks every field against its range (see the field docs).
    ///
    /// # Errors
    /// [`Error::Parameter`] naming the first field out of range.
    pub fn validate(&self) -> Result<()> {
        if let Some(day) = self.analysis_day {
            if !day.in_range() {
                return Err(parameter("analysis_day", ParameterProblem::DayOutOfRange));
            }
        }
        let t = self.addon_threshold;
        if !(t.is_finite() && t > 0.0 && t <= 10.0) {
            return Err(parameter(
                "addon_threshold",
                ParameterProblem::OutOfRange { value: t },
            ));
        }
        for (name, days) in [
            ("lapse_days", self.lapse_days),
            ("at_risk_days", self.at_risk_days),
        ] {
            if let Some(days) = days.filter(|&d| d < 1) {
                return Err(parameter(
                    name,
                    ParameterProblem::BelowMinimum {
                        value: days.into(),
                        min: 1,
                    },
                ));
            }
        }
        Ok(())
    }
}

/// The days the analysis covers: from `first_day` to the day before `analysis_day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// The earliest purchase day of any customer.
    pub first_day: Day,
    /// The analysis day (exclusive).
    pub analysis_day: Day,
}

impl Window {
    /// The last day covered.
    pub fn last_day(&self) -> Day {
        self.analysis_day.plus_days(-1)
    }
}

/// Checks that the table and the history (of the same import) belong together and finds the
/// window: from the earliest first day of the customers to the analysis day.
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Parameter`] (`date`, no purchase dates) when
/// the data has no date column or no day before the analysis day; (`history`) when the
/// history does not have one entry per customer; (`analysis_day`) out of range.
pub fn window(
    table: &(impl CustomerDays + ?Sized),
    history: &PurchaseHistory,
    analysis_day: Option<Day>,
) -> Result<Window> {
    let count = table.customer_count();
    if count == 0 {
        return Err(Error::NoData);
    }
    if history.len() != count {
        return Err(parameter(
            "history",
            ParameterProblem::NotBetween {
                value: history.len() as i64,
                min: count as i64,
                max: count as i64,
                unit: None,
            },
        ));
    }
    let no_dates = || parameter("date", ParameterProblem::NoPurchaseDates);
    if !table.customer_columns().date {
        return Err(no_dates());
    }
    if analysis_day.is_some_and(|d| !d.in_range()) {
        return Err(parameter("analysis_day", ParameterProblem::DayOutOfRange));
    }
    // The customers' first and last days are those of their dated rows: the history's.
    // One pass (at a million customers each pass reads ~150 MB of customers).
    let (first, last) = (0..count).map(|i| table.first_last(i)).fold(
        (None::<Day>, None::<Day>),
        |(min, max), (first, last)| {
            (
                match (min, first) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                },
                max.max(last),
            )
        },
    );
    let (Some(first), Some(last)) = (first, last) else {
        return Err(no_dates());
    };
    let analysis_day = analysis_day.unwrap_or(last.saturating_plus_days(1));
    if first >= analysis_day {
        return Err(no_dates());
    }
    Ok(Window {
        first_day: first,
        analysis_day,
    })
}

/// Whether a day counts as activity.
pub(crate) fn is_activity(day: &PurchaseDay, returns_count: bool) -> bool {
    day.purchase || returns_count
}
