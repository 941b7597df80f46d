//! Purchase decile analysis (购买十分位分析, METHODS §1, from document `001`): how sales and
//! profit are spread over the customers, and the customer groups the document derives from it.
//!
//! Two complementary views:
//! - **Customer deciles** ([`customer_deciles`]): customers ranked by sales (or profit),
//!   largest first, cut into 10 groups of equal customer count.
//! - **Value deciles** ([`value_deciles`], the document's literal question 十等分): the
//!   cumulative sales (or profit) cut at 10 %, 20 % … 100 % of the total; per slice, how many
//!   customers it takes.
//!
//! With them the Lorenz curve, the Gini coefficient and the Pareto point ([`lorenz`]), and the
//! four groups of the document ([`customer_groups`]): retain 保持, grow 发展, declining 衰退, and
//! transaction customers 交易客户 (as opposed to relationship customers 关系客户). Every
//! threshold is a field of [`GroupConfig`], so the UI can show it beside the result and let the
//! user change it. [`analyse_deciles`] runs everything at once and names the figures that tools
//! and tests read ([`DecileAnalysis::figures`]).
//!
//! # Rules shared by every function here
//! - **Ranking.** Customers are ranked by the basis value, largest first; equal values are
//!   ordered by customer id (byte order of the text), so every cut is deterministic
//!   ([`rank_customers`]). Values are compared rounded to a millionth of a currency unit, so
//!   two customers whose order lines add up to the same amount tie even when floating-point
//!   addition left them an ulp apart (`100.10 + 162.45` and `262.55`).
//! - **Signed values.** Returns and loss-making customers are data, not errors: totals and
//!   shares are computed on the signed values. A cumulative share can therefore pass 100 % (when
//!   loss-making customers come later in the ranking) or dip below 0; [`overshoot`] and
//!   [`Lorenz::overshoot`] say so, for the UI to tell the user.
//! - **Zero.** A sum counts as zero when its magnitude is at most a billionth (10⁻⁹) of the sum of
//!   the magnitudes of its parts (so `0.1 + 0.2 − 0.3` is zero), and a single customer's amount
//!   when its magnitude is below 10⁻⁹ currency units (rounding residue of netted returns). A share
//!   of a zero total is `None`, never a division by zero. Cumulative values reach a cut when they
//!   are within the same 10⁻⁹ tolerance of it, so a cut that falls exactly on a customer is
//!   reached by that customer despite floating-point rounding.
//! - **Finite values.** The import only accepts finite numbers; nothing here panics on any value
//!   (floats are ordered with `total_cmp`).
//! - **No customers** is [`Error::NoData`]; asking for the profit basis when the data has no
//!   profit column is [`Error::Parameter`] (`basis`).
//!
//! # Example
//! ```
//! use valuelens::engine::customers::{Columns, Customer, CustomerTable};
//! use valuelens::engine::deciles::{customer_deciles, lorenz, value_deciles, DecileBasis};
//!
//! let customers = [("a", 60.0), ("b", 30.0), ("c", 10.0)]
//!     .into_iter()
//!     .map(|(id, sales)| Customer { id: id.into(), sales, orders: 1, ..Default::default() })
//!     .collect();
//! let table = CustomerTable { customers, columns: Columns::default() };
//!
//! let deciles = customer_deciles(&table, DecileBasis::Sales)?;
//! assert_eq!(deciles.len(), 10);
//! assert_eq!((deciles[0].customers, deciles[0].sales_share), (1, Some(0.6)));
//! assert_eq!(deciles[3].customers, 0); // fewer than 10 customers: deciles 4–10 are empty
//!
//! let slices = value_deciles(&table, DecileBasis::Sales)?;
//! // "a" alone makes the first 60 % of sales: it reaches the cuts at 10 % … 60 %
//! assert_eq!(slices[0].customers, 1);
//! assert_eq!(slices[5].cumulative_customers, 1);
//! assert_eq!(slices[6].cumulative_customers, 2);
//!
//! let curve = lorenz(&table, DecileBasis::Sales)?;
//! assert_eq!(curve.pareto80_customer_share, Some(2.0 / 3.0));
//! # Ok::<(), valuelens::engine::Error>(())
//! ```

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::customers::{Customer, CustomerTable};
use super::error::{Error, FractionOf, ParameterProblem, Result};
use super::export::{csv_document, number_cell};
use super::ingest::values::{days_from_civil, format_day, month_of_day, Day};
use super::numeric::{
    day_in_range, parameter, snapped, Sum, AMOUNT_STEPS, DAY_RANGE, ZERO_TOLERANCE,
};

/// Number of deciles.
pub const DECILES: usize = 10;

/// At most this many points are kept on a [`Lorenz`] curve for charting.
pub const MAX_LORENZ_POINTS: usize = 512;

/// Relative tolerance of zero tests and cut comparisons (see the module docs).
const RELATIVE_TOLERANCE: f64 = ZERO_TOLERANCE;

/// A single customer's amount below this magnitude (currency units) counts as zero.
const AMOUNT_TOLERANCE: f64 = ZERO_TOLERANCE;

/// Margins are compared rounded to this many steps per unit (a billionth).
const MARGIN_STEPS: f64 = 1e9;

/// The value customers are ranked and cut by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum DecileBasis {
    /// Net sales ([`Customer::sales`]).
    #[default]
    Sales,
    /// Net profit ([`Customer::profit`]); needs a profit column.
    Profit,
}

impl DecileBasis {
    /// Both bases, sales first.
    pub const ALL: [DecileBasis; 2] = [DecileBasis::Sales, DecileBasis::Profit];

    /// The customer's value on this basis (currency units); `-0.0` reads as `0.0`.
    pub fn value(self, customer: &Customer) -> f64 {
        let value = match self {
            DecileBasis::Sales => customer.sales,
            DecileBasis::Profit => customer.profit,
        };
        value + 0.0
    }

    /// Machine name: `sales` or `profit`.
    pub fn as_str(self) -> &'static str {
        match self {
            DecileBasis::Sales => "sales",
            DecileBasis::Profit => "profit",
        }
    }
}

/// One of ten equal-count customer groups ([`customer_deciles`]).
///
/// Money is in the data's currency units; shares are fractions (0.25 = 25 %) of the signed
/// totals over all customers, `None` when that total is zero (and, for profit, when the data has
/// no profit column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decile {
    /// 1 (the customers with the largest values) to 10 (the smallest).
    pub index: u8,
    /// Customers in the decile (0 for the empty deciles of fewer than 10 customers).
    pub customers: usize,
    /// Customers in this and all higher deciles.
    pub cumulative_customers: usize,
    /// `cumulative_customers` as a fraction of all customers.
    pub cumulative_customer_share: f64,
    /// Net sales of the decile's customers.
    pub sales: f64,
    /// Net profit of the decile's customers (0 without a profit column).
    pub profit: f64,
    /// Orders of the decile's customers.
    pub orders: u64,
    /// `sales` / total sales; `None` when total sales are zero.
    pub sales_share: Option<f64>,
    /// `profit` / total profit; `None` when total profit is zero or there is no profit column.
    pub profit_share: Option<f64>,
    /// Sales of this and all higher deciles / total sales; may pass 1 (see [`overshoot`]).
    pub cumulative_sales_share: Option<f64>,
    /// Profit of this and all higher deciles / total profit; may pass 1 or dip below 0.
    pub cumulative_profit_share: Option<f64>,
    /// `sales` / `orders`; 0 when the decile has no orders.
    pub average_order_value: f64,
    /// `profit` / `sales`; `None` when the sales are zero or there is no profit column.
    pub margin: Option<f64>,
}

/// One slice of the cumulative value, 10 % wide ([`value_deciles`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueSlice {
    /// 1 (the first 10 % of the total) to 10 (the last 10 %).
    pub index: u8,
    /// The cut that ends the slice, as a fraction of the total: 0.1, 0.2 … 1.0.
    pub cut_share: f64,
    /// Customers whose cumulative value reaches this slice's cut (and not the cut before); 0
    /// when one customer reaches several cuts at once.
    pub customers: usize,
    /// Customers it takes, from the largest, to reach this slice's cut.
    pub cumulative_customers: usize,
    /// `cumulative_customers` as a fraction of all customers.
    pub cumulative_customer_share: f64,
    /// Value of the slice's customers (currency units; can exceed a tenth of the total when a
    /// large customer straddles the cut).
    pub value: f64,
    /// Cumulative value after the slice's customers / the total (at least `cut_share`, up to
    /// rounding).
    pub cumulative_value_share: f64,
}

/// A point of a Lorenz curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LorenzPoint {
    /// Share of customers, smallest values first (0 to 1).
    pub customer_share: f64,
    /// Their cumulative value as a share of the total (below 0 while negative values add up).
    pub value_share: f64,
}

/// Whether a cumulative share curve leaves the 0–100 % band (only possible with negative values).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overshoot {
    /// Some point is above 100 % (positive values first, then losses or returns bring it down).
    pub above_full: bool,
    /// Some point is below 0 % (negative values first).
    pub below_zero: bool,
}

impl Overshoot {
    /// The curve leaves the 0–100 % band somewhere.
    pub fn any(self) -> bool {
        self.above_full || self.below_zero
    }
}

/// The Lorenz curve, Gini coefficient and Pareto point of one basis ([`lorenz`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lorenz {
    /// The value the curve is drawn for.
    pub basis: DecileBasis,
    /// Number of customers (all of them, including zero and negative values).
    pub customers: usize,
    /// Signed total of the basis value (currency units).
    pub total: f64,
    /// The curve from (0, 0) to (1, 1), customers sorted by value ascending; at most
    /// [`MAX_LORENZ_POINTS`] points. Empty when the total is not positive (no curve exists).
    pub points: Vec<LorenzPoint>,
    /// Gini coefficient, computed exactly on all customers; `None` when the total is not positive.
    pub gini: Option<f64>,
    /// Smallest share of customers (largest first) whose cumulative value reaches 80 % of the
    /// total; `None` when the total is not positive. With [`DecileBasis::Sales`] this is the
    /// Pareto point of the issue (`pareto80_customer_share`).
    pub pareto80_customer_share: Option<f64>,
    /// Whether the full (not downsampled) curve leaves the 0–100 % band.
    pub overshoot: Overshoot,
}

/// The customers of a table in ranking order: indices into `table.customers`, the largest
/// `basis` value first, equal values by customer id ascending.
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Parameter`] (`basis`) for the profit basis
/// without a profit column.
pub fn rank_customers(table: &CustomerTable, basis: DecileBasis) -> Result<Vec<usize>> {
    check_basis(table, basis)?;
    Ok(ranking(&table.customers, basis))
}

/// The sizes of the 10 deciles of `customers` customers: equal counts, the first
/// `customers % 10` deciles one customer larger (the same split as `numpy.array_split`).
///
/// With fewer than 10 customers, deciles 1 to `customers` hold one customer each and the rest
/// are empty.
///
/// ```
/// use valuelens::engine::deciles::decile_sizes;
/// assert_eq!(decile_sizes(23), [3, 3, 3, 2, 2, 2, 2, 2, 2, 2]);
/// assert_eq!(decile_sizes(3), [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
/// ```
pub fn decile_sizes(customers: usize) -> [usize; DECILES] {
    let (base, larger) = (customers / DECILES, customers % DECILES);
    std::array::from_fn(|i| base + usize::from(i < larger))
}

/// Customer deciles (客户十分位): customers ranked by `basis` (largest first, ties by id), cut
/// into 10 groups of equal count by [`decile_sizes`] (larger groups first; with fewer than 10
/// customers the last deciles are empty, with zero sums, zero shares and no margin).
///
/// Always returns 10 deciles. Shares are on the signed totals over all customers and `None` when
/// the total is zero; the last cumulative share is exactly 1. With loss-making customers the
/// cumulative profit share can pass 1 before the last decile: check with [`overshoot`].
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Parameter`] (`basis`) for the profit basis
/// without a profit column.
pub fn customer_deciles(table: &CustomerTable, basis: DecileBasis) -> Result<Vec<Decile>> {
    check_basis(table, basis)?;
    let order = ranking(&table.customers, basis);
    Ok(deciles_of(table, &order))
}

/// Value deciles (价值十分位, the document's "how many customers make each 10 %"): customers
/// ranked by `basis` (largest first, ties by id) and the cumulative value cut at 10 %, 20 % …
/// 100 % of the signed total.
///
/// A customer belongs to the slice whose cut its cumulative value reaches first (the customer
/// that straddles a cut counts in the slice it completes). One large customer can reach several
/// cuts: it counts in the first, and the others get 0 customers. The last cut is reached by the
/// first customer whose cumulative value reaches the total; customers after it have zero or
/// negative values and are in no slice: there are `customers − slices[9].cumulative_customers`
/// of them.
///
/// Returns 10 slices, or none when the total is zero or negative (the question has no answer
/// when there is nothing positive to divide).
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Parameter`] (`basis`) for the profit basis
/// without a profit column.
pub fn value_deciles(table: &CustomerTable, basis: DecileBasis) -> Result<Vec<ValueSlice>> {
    check_basis(table, basis)?;
    let ranked = Ranked::new(&table.customers, basis);
    Ok(value_slices(&ranked))
}

/// The Lorenz curve (洛伦兹曲线), Gini coefficient (基尼系数) and Pareto point (80/20) of `basis`.
///
/// - **Curve**: customers sorted by value ascending; point *i* is (*i*/*n*, cumulative value of
///   the *i* smallest / total). Downsampled to at most [`MAX_LORENZ_POINTS`] points, evenly in
///   customer share, always keeping (0, 0), (1, 1) and the lowest point (where negative values
///   end), so a dip below 0 is drawn at its true depth.
/// - **Gini**: the standard formula on the signed values over all customers,
///   `G = Σᵢ (2i − n − 1)·xᵢ / (n·Σx)` with `x` ascending, which is exactly 1 − 2 × the area under
///   the (full) Lorenz curve. 0 when all values are equal or there is one customer; at most
///   (*n* − 1)/*n* for non-negative values; above 1 is possible with negative values (the curve
///   dips below 0), which is reported as is rather than clipped.
/// - **Pareto point**: the smallest share of customers, largest first, whose cumulative value
///   reaches 80 % of the total (a discrete share *r*/*n*, not interpolated).
///
/// When the total is zero or negative none of these exist: `points` is empty and `gini` and
/// `pareto80_customer_share` are `None`.
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Parameter`] (`basis`) for the profit basis
/// without a profit column.
pub fn lorenz(table: &CustomerTable, basis: DecileBasis) -> Result<Lorenz> {
    check_basis(table, basis)?;
    let ranked = Ranked::new(&table.customers, basis);
    Ok(lorenz_of(&ranked, basis))
}

/// Whether a cumulative share curve leaves the 0–100 % band (beyond a 10⁻⁹ tolerance); `None`
/// items (undefined shares) are skipped.
///
/// ```
/// use valuelens::engine::deciles::overshoot;
/// let profit = [Some(0.7), Some(1.2), Some(1.0)];
/// assert!(overshoot(profit).above_full);
/// assert!(!overshoot([Some(0.5), Some(1.0), None]).any());
/// ```
pub fn overshoot(cumulative_shares: impl IntoIterator<Item = Option<f64>>) -> Overshoot {
    let mut result = Overshoot::default();
    for share in cumulative_shares.into_iter().flatten() {
        result.above_full |= share > 1.0 + RELATIVE_TOLERANCE;
        result.below_zero |= share < -RELATIVE_TOLERANCE;
    }
    result
}

// ---------------------------------------------------------------------------------------------
// Groups

/// The thresholds of the customer groups ([`customer_groups`]); every field is shown beside the
/// result and can be edited.
///
/// Shares are fractions of total net sales (0.1 = 10 %), with customers ranked by sales, largest
/// first, ties by id. Each customer covers the stretch of cumulative sales from the cumulative
/// sales before it to the cumulative sales including it; a customer is in a band of cumulative
/// sales when part of its stretch lies inside the band (so the customer that straddles either
/// end of a band is in it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupConfig {
    /// The day the analysis looks back from (exclusive: the last day counted is the day before).
    /// `None`: the day after the latest purchase in the data. Must lie in the years 1 to 9999.
    pub analysis_day: Option<Day>,
    /// Length of each of the two compared periods, in whole calendar months (1 to 120; default 12).
    pub period_months: u32,
    /// Declining: the drop in sales from the previous to the latest period, as a fraction of the
    /// previous period's sales, that makes a customer declining (at least this much; default
    /// 0.30 = down 30 % or more; above 0, at most 1).
    pub decline_threshold: f64,
    /// Retain: the customers who together make the first this-much of sales (default 0.10;
    /// above 0, at most 1).
    pub retain_sales_share: f64,
    /// Grow: start of the band of cumulative sales (default 0.40). The grow customers are those
    /// who make up the band from `grow_from_share` to `grow_to_share` of sales (the 40–50 %
    /// slice by default), straddlers of either end included.
    pub grow_from_share: f64,
    /// Grow: end of the band (default 0.50; `0 ≤ grow_from_share < grow_to_share ≤ 1`).
    pub grow_to_share: f64,
    /// Transaction: how many of the lowest margin deciles count as low margin (1 to 10; default
    /// 1 = the bottom margin decile).
    pub transaction_margin_decile: u8,
    /// Transaction: the most orders a low-frequency customer has (at least 1; default 1).
    pub transaction_max_orders: u32,
}

impl Default for GroupConfig {
    fn default() -> Self {
        GroupConfig {
            analysis_day: None,
            period_months: 12,
            decline_threshold: 0.30,
            retain_sales_share: 0.10,
            grow_from_share: 0.40,
            grow_to_share: 0.50,
            transaction_margin_decile: 1,
            transaction_max_orders: 1,
        }
    }
}

impl GroupConfig {
    /// Checks every field against its range (see the field docs).
    ///
    /// # Errors
    /// [`Error::Parameter`] naming the first field out of range.
    pub fn validate(&self) -> Result<()> {
        let fraction = |value: f64, zero_allowed: bool| {
            value.is_finite() && value <= 1.0 && (value > 0.0 || (zero_allowed && value == 0.0))
        };
        if let Some(day) = self.analysis_day {
            if !day_in_range(day) {
                return Err(parameter("analysis_day", ParameterProblem::DayOutOfRange));
            }
        }
        if !(1..=120).contains(&self.period_months) {
            return Err(parameter(
                "period_months",
                ParameterProblem::NotBetween {
                    value: self.period_months.into(),
                    min: 1,
                    max: 120,
                    unit: "months".into(),
                },
            ));
        }
        if !fraction(self.decline_threshold, false) {
            return Err(parameter(
                "decline_threshold",
                ParameterProblem::NotAFraction {
                    value: self.decline_threshold,
                    zero_allowed: false,
                    of: FractionOf::PreviousSales,
                },
            ));
        }
        if !fraction(self.retain_sales_share, false) {
            return Err(parameter(
                "retain_sales_share",
                ParameterProblem::NotAFraction {
                    value: self.retain_sales_share,
                    zero_allowed: false,
                    of: FractionOf::TotalSales,
                },
            ));
        }
        if !fraction(self.grow_from_share, true) {
            return Err(parameter(
                "grow_from_share",
                ParameterProblem::NotAFraction {
                    value: self.grow_from_share,
                    zero_allowed: true,
                    of: FractionOf::TotalSales,
                },
            ));
        }
        if !fraction(self.grow_to_share, false) || self.grow_to_share <= self.grow_from_share {
            return Err(parameter(
                "grow_to_share",
                ParameterProblem::NotAbove {
                    value: self.grow_to_share,
                    other: "grow_from_share".into(),
                },
            ));
        }
        if !(1..=10).contains(&self.transaction_margin_decile) {
            return Err(parameter(
                "transaction_margin_decile",
                ParameterProblem::NotBetween {
                    value: self.transaction_margin_decile.into(),
                    min: 1,
                    max: 10,
                    unit: String::new(),
                },
            ));
        }
        if self.transaction_max_orders == 0 {
            return Err(parameter(
                "transaction_max_orders",
                ParameterProblem::BelowMinimum {
                    value: self.transaction_max_orders.into(),
                    min: 1,
                },
            ));
        }
        Ok(())
    }
}

/// One of the document's customer groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupKind {
    /// Retain 保持: the customers who make the first 10 % of sales.
    Retain,
    /// Grow 发展: the customers who make the 40–50 % slice of sales.
    Grow,
    /// Declining 衰退: still profitable, sales down by at least the threshold.
    Declining,
    /// Transaction customers 交易客户: low margin and low frequency.
    Transaction,
}

impl GroupKind {
    /// All groups, in the document's order.
    pub const ALL: [GroupKind; 4] = [
        GroupKind::Retain,
        GroupKind::Grow,
        GroupKind::Declining,
        GroupKind::Transaction,
    ];

    /// Machine name: `retain`, `grow`, `declining`, `transaction`.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Retain => "retain",
            GroupKind::Grow => "grow",
            GroupKind::Declining => "declining",
            GroupKind::Transaction => "transaction",
        }
    }
}

/// Whether a group could be computed, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum GroupStatus {
    /// Computed (it may still have no members).
    #[default]
    Computed,
    /// Declining needs dates: the data has no date column (or no dated row).
    NoDateColumn,
    /// Declining and transaction need profit: the data has no profit column.
    NoProfitColumn,
    /// Retain and grow are shares of total sales, which is zero or negative.
    NoPositiveSales,
}

/// The status of each group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GroupStatuses {
    /// Retain.
    pub retain: GroupStatus,
    /// Grow.
    pub grow: GroupStatus,
    /// Declining.
    pub declining: GroupStatus,
    /// Transaction.
    pub transaction: GroupStatus,
}

/// A span of whole calendar months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSpan {
    /// First month, as `year * 12 + month - 1` (like [`MonthTotal::month`](super::customers::MonthTotal::month)).
    pub first_month: i32,
    /// Last month (inclusive).
    pub last_month: i32,
    /// First day of the first month.
    pub first_day: Day,
    /// Last day of the last month (inclusive).
    pub last_day: Day,
}

impl MonthSpan {
    fn new(first_month: i32, last_month: i32) -> Option<MonthSpan> {
        Some(MonthSpan {
            first_month,
            last_month,
            first_day: first_day_of_month(first_month)?,
            last_day: first_day_of_month(last_month.checked_add(1)?)? - 1,
        })
    }

    /// Whether `month` (`year * 12 + month - 1`) lies in the span.
    pub fn contains(&self, month: i32) -> bool {
        (self.first_month..=self.last_month).contains(&month)
    }
}

/// The two periods the declining group compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Periods {
    /// The analysis day used (given, or the day after the latest purchase).
    pub analysis_day: Day,
    /// The latest period: `period_months` whole months ending with the month that holds the day
    /// before the analysis day.
    pub latest: MonthSpan,
    /// The previous period: the `period_months` months before `latest`.
    pub previous: MonthSpan,
}

/// A customer's sales and profit in the two periods ([`period_sales`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PeriodSales {
    /// Net sales in the previous period.
    pub previous_sales: f64,
    /// Net sales in the latest period.
    pub latest_sales: f64,
    /// Net profit in the latest period.
    pub latest_profit: f64,
}

impl PeriodSales {
    /// Change from the previous to the latest period as a fraction of the previous period
    /// (−0.3 = down 30 %); `None` when the previous period's sales are not positive.
    pub fn change(&self) -> Option<f64> {
        (self.previous_sales > AMOUNT_TOLERANCE)
            .then(|| (self.latest_sales - self.previous_sales) / self.previous_sales)
    }
}

/// The document's customer groups ([`customer_groups`]) with the parameters they were found with.
///
/// Members are indices into `table.customers`, listed by sales, largest first, ties by id. Groups
/// may overlap (a retain customer can also be declining); they are views, not a partition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Groups {
    /// Retain 保持.
    pub retain: Vec<usize>,
    /// Grow 发展.
    pub grow: Vec<usize>,
    /// Declining 衰退.
    pub declining: Vec<usize>,
    /// Transaction customers 交易客户.
    pub transaction: Vec<usize>,
    /// Which groups could be computed.
    pub status: GroupStatuses,
    /// The configuration used, with `analysis_day` filled in when the data has dates.
    pub config: GroupConfig,
    /// The compared periods (`None` without dates).
    pub periods: Option<Periods>,
    /// The effective low-margin threshold: the highest margin (profit / sales) in the lowest
    /// `transaction_margin_decile` margin deciles; `None` when transaction customers were not
    /// computed or no customer has positive sales.
    pub transaction_margin_limit: Option<f64>,
}

impl Groups {
    /// The members of one group.
    pub fn members(&self, kind: GroupKind) -> &[usize] {
        match kind {
            GroupKind::Retain => &self.retain,
            GroupKind::Grow => &self.grow,
            GroupKind::Declining => &self.declining,
            GroupKind::Transaction => &self.transaction,
        }
    }

    /// The status of one group.
    pub fn status_of(&self, kind: GroupKind) -> GroupStatus {
        match kind {
            GroupKind::Retain => self.status.retain,
            GroupKind::Grow => self.status.grow,
            GroupKind::Declining => self.status.declining,
            GroupKind::Transaction => self.status.transaction,
        }
    }
}

/// A customer's sales and profit in the previous and the latest period, from its monthly
/// buckets (months outside both periods are ignored).
pub fn period_sales(customer: &Customer, periods: &Periods) -> PeriodSales {
    let mut result = PeriodSales::default();
    for month in &customer.months {
        if periods.latest.contains(month.month) {
            result.latest_sales += month.sales;
            result.latest_profit += month.profit;
        } else if periods.previous.contains(month.month) {
            result.previous_sales += month.sales;
        }
    }
    result
}

/// The document's customer groups (客户分组), each with its thresholds in `config`:
///
/// - **Retain** 保持: customers ranked by sales (largest first, ties by id) up to and including
///   the one whose cumulative sales reach `retain_sales_share` of total sales (the same
///   customers as value slice 1 by default). Profit is not a criterion: the document expects
///   these customers to bring the most profit, and the group's table shows their profit so the
///   user can check.
/// - **Grow** 发展: in the same ranking, the customers who make up the band of cumulative sales
///   from `grow_from_share` to `grow_to_share` (40–50 % by default): from the first customer
///   whose cumulative sales pass `grow_from_share` of the total up to and including the one
///   whose cumulative sales reach `grow_to_share`. A customer straddling either end is in the
///   band, so the group is never empty while total sales are positive (value slice 5, a count
///   per cut, gives a straddler only to the slice it completes and can hold no customer).
///   These are the mid-sized customers who probably also buy from competitors. Selection is by
///   sales only ("of sales and profit" would need two rankings to agree); their profit is shown
///   beside.
/// - **Declining** 衰退: the latest period is the `period_months` whole calendar months ending
///   with the month that holds the day before the analysis day, the previous period the same
///   number of months before it (months, not days, because the customers' sales are kept per
///   month; when the analysis day lies inside a month, that whole month counts). A customer is
///   declining when its previous-period sales are positive, its latest-period profit is
///   positive ("still brings profit": a customer who stopped buying is lost, not declining), and
///   its latest-period sales are at most (1 − `decline_threshold`) × its previous-period sales.
/// - **Transaction** 交易客户: among customers with positive sales, those whose margin (profit /
///   sales) is at most the highest margin of the lowest `transaction_margin_decile` margin
///   deciles (margins ascending, deciles by [`decile_sizes`]; customers tied with that margin are
///   included, so equal margins never split; margins are compared rounded to 10⁻⁹) and who have
///   at most `transaction_max_orders` orders.
///
/// Without a date column declining is not computed ([`GroupStatus::NoDateColumn`]); without a
/// profit column neither declining nor transaction is ([`GroupStatus::NoProfitColumn`]); when total
/// sales are zero or negative retain and grow are not ([`GroupStatus::NoPositiveSales`]).
///
/// # Errors
/// [`Error::Parameter`] from [`GroupConfig::validate`]; [`Error::NoData`] without customers.
pub fn customer_groups(table: &CustomerTable, config: &GroupConfig) -> Result<Groups> {
    config.validate()?;
    check_basis(table, DecileBasis::Sales)?;
    let ranked = Ranked::new(&table.customers, DecileBasis::Sales);
    groups_of(table, config, &ranked)
}

fn groups_of(table: &CustomerTable, config: &GroupConfig, ranked: &Ranked) -> Result<Groups> {
    let customers = &table.customers;
    let mut status = GroupStatuses::default();
    let (mut retain, mut grow) = (Vec::new(), Vec::new());
    if ranked.total_is_positive() {
        let retain_end = ranked.reach_counts(&[config.retain_sales_share])[0];
        retain = ranked.order[..retain_end].to_vec();
        let end = ranked.reach_counts(&[config.grow_to_share])[0];
        let start = ranked.below_count(config.grow_from_share).min(end);
        grow = ranked.order[start..end].to_vec();
    } else {
        status.retain = GroupStatus::NoPositiveSales;
        status.grow = GroupStatus::NoPositiveSales;
    }

    let mut used = config.clone();
    let periods = if table.columns.date {
        let analysis_day = match config.analysis_day {
            Some(day) => Some(day),
            None => customers
                .iter()
                .filter_map(|c| c.last)
                .max()
                .map(|day| day.saturating_add(1)),
        };
        used.analysis_day = analysis_day;
        analysis_day
            .map(|day| periods_for(day, config.period_months))
            .transpose()?
    } else {
        None
    };

    let mut declining = Vec::new();
    match (&periods, table.columns.profit) {
        (None, _) => status.declining = GroupStatus::NoDateColumn,
        (Some(_), false) => status.declining = GroupStatus::NoProfitColumn,
        (Some(periods), true) => {
            let keep = 1.0 - config.decline_threshold;
            declining = ranked
                .order
                .iter()
                .copied()
                .filter(|&i| {
                    let sales = period_sales(&customers[i], periods);
                    let tolerance = RELATIVE_TOLERANCE * sales.previous_sales.abs();
                    sales.previous_sales > AMOUNT_TOLERANCE
                        && sales.latest_profit > AMOUNT_TOLERANCE
                        && sales.latest_sales <= keep * sales.previous_sales + tolerance
                })
                .collect();
        }
    }

    let mut transaction = Vec::new();
    let mut transaction_margin_limit = None;
    if table.columns.profit {
        let mut margins: Vec<f64> = customers.iter().filter_map(customer_margin).collect();
        if !margins.is_empty() {
            let sizes = decile_sizes(margins.len());
            let count: usize = sizes[..usize::from(config.transaction_margin_decile)]
                .iter()
                .sum();
            let (_, limit, _) = margins.select_nth_unstable_by(count - 1, f64::total_cmp);
            let limit = *limit;
            transaction_margin_limit = Some(limit / MARGIN_STEPS);
            transaction = ranked
                .order
                .iter()
                .copied()
                .filter(|&i| {
                    let customer = &customers[i];
                    customer.orders <= config.transaction_max_orders
                        && customer_margin(customer).is_some_and(|m| m <= limit)
                })
                .collect();
        }
    } else {
        status.transaction = GroupStatus::NoProfitColumn;
    }

    Ok(Groups {
        retain,
        grow,
        declining,
        transaction,
        status,
        config: used,
        periods,
        transaction_margin_limit,
    })
}

/// Margin of a customer with positive sales, rounded to [`MARGIN_STEPS`] (scaled).
fn customer_margin(customer: &Customer) -> Option<f64> {
    (customer.sales >= AMOUNT_TOLERANCE)
        .then(|| snapped(customer.profit / customer.sales, MARGIN_STEPS))
        .filter(|m| !m.is_nan())
}

/// Month index (`year * 12 + month - 1`) → its first day.
fn first_day_of_month(month: i32) -> Option<Day> {
    let year = month.div_euclid(12);
    let month0 = month.rem_euclid(12) as u32;
    days_from_civil(year, month0 + 1, 1)
}

fn periods_for(analysis_day: Day, months: u32) -> Result<Periods> {
    let out_of_range = || parameter("analysis_day", ParameterProblem::DayOutOfRange);
    if !(DAY_RANGE.0..=DAY_RANGE.1.saturating_add(1)).contains(&analysis_day) {
        return Err(out_of_range());
    }
    let months = months as i32;
    let last = month_of_day(analysis_day - 1);
    let latest = MonthSpan::new(last - months + 1, last);
    let previous = MonthSpan::new(last - 2 * months + 1, last - months);
    match (latest, previous) {
        (Some(latest), Some(previous)) => Ok(Periods {
            analysis_day,
            latest,
            previous,
        }),
        _ => Err(out_of_range()),
    }
}

// ---------------------------------------------------------------------------------------------
// Export

/// Column headers of a group's CSV, in the UI's language ([`group_csv`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCsvLabels<'a> {
    /// Customer id.
    pub customer: &'a str,
    /// Orders.
    pub orders: &'a str,
    /// Net sales.
    pub sales: &'a str,
    /// Net profit (only with a profit column).
    pub profit: &'a str,
    /// Margin, profit / sales (only with a profit column).
    pub margin: &'a str,
    /// Average order value.
    pub average_order_value: &'a str,
    /// First purchase (only with a date column).
    pub first_purchase: &'a str,
    /// Last purchase (only with a date column).
    pub last_purchase: &'a str,
    /// Sales in the previous period (declining only).
    pub previous_sales: &'a str,
    /// Sales in the latest period (declining only).
    pub latest_sales: &'a str,
    /// Change from the previous to the latest period (declining only).
    pub change: &'a str,
}

impl Default for GroupCsvLabels<'static> {
    fn default() -> Self {
        GroupCsvLabels {
            customer: "customer",
            orders: "orders",
            sales: "sales",
            profit: "profit",
            margin: "margin",
            average_order_value: "average order value",
            first_purchase: "first purchase",
            last_purchase: "last purchase",
            previous_sales: "previous period sales",
            latest_sales: "latest period sales",
            change: "change",
        }
    }
}

/// One group's customers as CSV (via [`csv_document`]: BOM, CRLF, quoting, and formula
/// injection neutralised, so an id like `=cmd` is written `'=cmd`).
///
/// Columns: customer, orders, sales, [profit, margin] with a profit column, average order value,
/// [first, last purchase] with a date column, and for the declining group the previous and
/// latest period sales and the change. Money has at most 2 decimals, margin and change are
/// fractions with at most 4 (−0.35 = down 35 %); an undefined margin or change is an empty
/// cell. Rows follow the group's order.
pub fn group_csv(
    table: &CustomerTable,
    groups: &Groups,
    kind: GroupKind,
    labels: &GroupCsvLabels<'_>,
) -> String {
    let columns = table.columns;
    let periods = groups.periods.filter(|_| kind == GroupKind::Declining);
    let mut header = vec![labels.customer, labels.orders, labels.sales];
    if columns.profit {
        header.extend([labels.profit, labels.margin]);
    }
    header.push(labels.average_order_value);
    if columns.date {
        header.extend([labels.first_purchase, labels.last_purchase]);
    }
    if periods.is_some() {
        header.extend([labels.previous_sales, labels.latest_sales, labels.change]);
    }
    let optional =
        |value: Option<f64>, decimals| value.map_or("".into(), |v| number_cell(v, decimals));
    let day =
        |day: Option<Day>| -> Cow<'static, str> { day.map_or(String::new(), format_day).into() };
    let rows = groups
        .members(kind)
        .iter()
        .filter_map(|&i| table.customers.get(i))
        .map(|customer| {
            let mut cells: Vec<Cow<'_, str>> = vec![
                customer.id.as_str().into(),
                customer.orders.to_string().into(),
                number_cell(customer.sales, 2),
            ];
            if columns.profit {
                cells.push(number_cell(customer.profit, 2));
                let margin = (customer.sales.abs() >= AMOUNT_TOLERANCE)
                    .then(|| customer.profit / customer.sales);
                cells.push(optional(margin, 4));
            }
            cells.push(number_cell(customer.average_order_value(), 2));
            if columns.date {
                cells.push(day(customer.first));
                cells.push(day(customer.last));
            }
            if let Some(periods) = &periods {
                let sales = period_sales(customer, periods);
                cells.push(number_cell(sales.previous_sales, 2));
                cells.push(number_cell(sales.latest_sales, 2));
                cells.push(optional(sales.change(), 4));
            }
            cells
        });
    csv_document(&header, rows)
}

// ---------------------------------------------------------------------------------------------
// Everything at once

/// A named figure for tools and tests (`data-metric` / `data-value` in the UI).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Machine name, e.g. `decile_sales_share_1`.
    pub name: String,
    /// The value; `None` when it is not defined for this data.
    pub value: Option<f64>,
}

/// The whole decile analysis of a table ([`analyse_deciles`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecileAnalysis {
    /// Customer deciles by sales.
    pub by_sales: Vec<Decile>,
    /// Customer deciles by profit (`None` without a profit column).
    pub by_profit: Option<Vec<Decile>>,
    /// Value deciles of sales (empty when total sales are not positive).
    pub value_by_sales: Vec<ValueSlice>,
    /// Value deciles of profit (`None` without a profit column).
    pub value_by_profit: Option<Vec<ValueSlice>>,
    /// Lorenz curve, Gini and Pareto point of sales.
    pub lorenz_sales: Lorenz,
    /// The same for profit (`None` without a profit column).
    pub lorenz_profit: Option<Lorenz>,
    /// The customer groups.
    pub groups: Groups,
}

/// Runs every part of the decile analysis, ranking each basis once.
///
/// # Errors
/// [`Error::Parameter`] from [`GroupConfig::validate`]; [`Error::NoData`] without customers.
pub fn analyse_deciles(table: &CustomerTable, config: &GroupConfig) -> Result<DecileAnalysis> {
    config.validate()?;
    check_basis(table, DecileBasis::Sales)?;
    let sales = Ranked::new(&table.customers, DecileBasis::Sales);
    let profit = table
        .columns
        .profit
        .then(|| Ranked::new(&table.customers, DecileBasis::Profit));
    Ok(DecileAnalysis {
        by_sales: deciles_of(table, &sales.order),
        by_profit: profit.as_ref().map(|p| deciles_of(table, &p.order)),
        value_by_sales: value_slices(&sales),
        value_by_profit: profit.as_ref().map(value_slices),
        lorenz_sales: lorenz_of(&sales, DecileBasis::Sales),
        lorenz_profit: profit.as_ref().map(|p| lorenz_of(p, DecileBasis::Profit)),
        groups: groups_of(table, config, &sales)?,
    })
}

impl DecileAnalysis {
    /// The figures for automation, in this order: `gini` and `pareto80_customer_share` (of
    /// sales), `decile_sales_share_1` … `_10` (share of total sales of each decile by sales),
    /// `decile_profit_share_1` … `_10` (share of total profit of each decile by profit),
    /// `group_retain`, `group_grow`, `group_declining`, `group_transaction` (customer counts).
    /// A figure is `None` when it is undefined (zero total, no profit column, group not computed).
    pub fn figures(&self) -> Vec<Figure> {
        let figure = |name: String, value: Option<f64>| Figure { name, value };
        let mut figures = vec![
            figure("gini".into(), self.lorenz_sales.gini),
            figure(
                "pareto80_customer_share".into(),
                self.lorenz_sales.pareto80_customer_share,
            ),
        ];
        for (k, decile) in self.by_sales.iter().enumerate() {
            figures.push(figure(
                format!("decile_sales_share_{}", k + 1),
                decile.sales_share,
            ));
        }
        for k in 0..DECILES {
            let share = self
                .by_profit
                .as_ref()
                .and_then(|deciles| deciles.get(k))
                .and_then(|d| d.profit_share);
            figures.push(figure(format!("decile_profit_share_{}", k + 1), share));
        }
        for kind in GroupKind::ALL {
            let count = (self.groups.status_of(kind) == GroupStatus::Computed)
                .then(|| self.groups.members(kind).len() as f64);
            figures.push(figure(format!("group_{}", kind.as_str()), count));
        }
        figures
    }
}

// ---------------------------------------------------------------------------------------------
// Internals

fn check_basis(table: &CustomerTable, basis: DecileBasis) -> Result<()> {
    if table.customers.is_empty() {
        return Err(Error::NoData);
    }
    if basis == DecileBasis::Profit && !table.columns.profit {
        return Err(parameter("basis", ParameterProblem::NoProfitColumn));
    }
    Ok(())
}

/// Indices ranked by `basis` descending, ties by id ascending (then by index, for duplicate ids).
fn ranking(customers: &[Customer], basis: DecileBasis) -> Vec<usize> {
    let key = |c: &Customer| descending_bits(snapped(basis.value(c), AMOUNT_STEPS));
    // Tables come sorted by id: then the index already orders ties, and the pairs sort as
    // plain integers, without comparing text.
    let sorted_by_id = customers.windows(2).all(|w| w[0].id <= w[1].id);
    let mut keyed: Vec<(u64, usize)> = customers
        .iter()
        .enumerate()
        .map(|(i, c)| (key(c), i))
        .collect();
    if sorted_by_id {
        keyed.sort_unstable();
    } else {
        keyed.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| customers[a.1].id.cmp(&customers[b.1].id))
                .then(a.1.cmp(&b.1))
        });
    }
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Maps a float to an integer that orders like [`f64::total_cmp`] reversed (largest first).
fn descending_bits(value: f64) -> u64 {
    let bits = value.to_bits();
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    };
    !ascending
}

/// One basis, ranked: the order, the values in that order, and their total.
struct Ranked {
    order: Vec<usize>,
    values: Vec<f64>,
    total: Sum,
}

impl Ranked {
    fn new(customers: &[Customer], basis: DecileBasis) -> Ranked {
        let order = ranking(customers, basis);
        let values: Vec<f64> = order.iter().map(|&i| basis.value(&customers[i])).collect();
        let mut total = Sum::default();
        for &value in &values {
            total.add(value);
        }
        Ranked {
            order,
            values,
            total,
        }
    }

    fn total_is_positive(&self) -> bool {
        self.total.value > 0.0 && !self.total.is_zero()
    }

    /// How many customers, largest first, have a cumulative value of at most `share × total`
    /// (within the tolerance): none of their value lies above that cut.
    fn below_count(&self, share: f64) -> usize {
        let cut = share * self.total.value + RELATIVE_TOLERANCE * self.total.magnitude;
        let mut cumulative = 0.0;
        self.values
            .iter()
            .take_while(|&&value| {
                cumulative += value;
                cumulative <= cut
            })
            .count()
    }

    /// For each share (ascending), how many customers, largest first, it takes for the
    /// cumulative value to reach `share × total` (within the tolerance).
    fn reach_counts(&self, shares: &[f64]) -> Vec<usize> {
        let tolerance = RELATIVE_TOLERANCE * self.total.magnitude;
        let (mut taken, mut cumulative) = (0, 0.0);
        shares
            .iter()
            .map(|&share| {
                let cut = share * self.total.value - tolerance;
                while taken < self.values.len() && cumulative < cut {
                    cumulative += self.values[taken];
                    taken += 1;
                }
                taken
            })
            .collect()
    }
}

fn deciles_of(table: &CustomerTable, order: &[usize]) -> Vec<Decile> {
    struct Part {
        customers: usize,
        sales: Sum,
        profit: Sum,
        orders: u64,
    }
    let customers = &table.customers;
    let has_profit = table.columns.profit;
    let mut start = 0;
    let parts: Vec<Part> = decile_sizes(order.len())
        .into_iter()
        .map(|size| {
            let mut part = Part {
                customers: size,
                sales: Sum::default(),
                profit: Sum::default(),
                orders: 0,
            };
            for &i in &order[start..start + size] {
                let customer = &customers[i];
                part.sales.add(customer.sales);
                part.profit.add(customer.profit);
                part.orders += u64::from(customer.orders);
            }
            start += size;
            part
        })
        .collect();
    // Totals summed in the same order as the cumulative sums, so the last share is exactly 1.
    let (mut total_sales, mut total_profit) = (Sum::default(), Sum::default());
    for part in &parts {
        total_sales.value += part.sales.value;
        total_sales.magnitude += part.sales.magnitude;
        total_profit.value += part.profit.value;
        total_profit.magnitude += part.profit.magnitude;
    }
    let n = order.len() as f64;
    let (mut cumulative_customers, mut cumulative_sales, mut cumulative_profit) = (0, 0.0, 0.0);
    parts
        .into_iter()
        .enumerate()
        .map(|(k, part)| {
            cumulative_customers += part.customers;
            cumulative_sales += part.sales.value;
            cumulative_profit += part.profit.value;
            let profit_share = |value| has_profit.then(|| total_profit.share(value)).flatten();
            Decile {
                index: k as u8 + 1,
                customers: part.customers,
                cumulative_customers,
                cumulative_customer_share: cumulative_customers as f64 / n,
                sales: part.sales.value,
                profit: part.profit.value,
                orders: part.orders,
                sales_share: total_sales.share(part.sales.value),
                profit_share: profit_share(part.profit.value),
                cumulative_sales_share: total_sales.share(cumulative_sales),
                cumulative_profit_share: profit_share(cumulative_profit),
                average_order_value: if part.orders == 0 {
                    0.0
                } else {
                    part.sales.value / part.orders as f64
                },
                margin: (has_profit && part.customers > 0 && !part.sales.is_zero())
                    .then(|| part.profit.value / part.sales.value),
            }
        })
        .collect()
}

fn value_slices(ranked: &Ranked) -> Vec<ValueSlice> {
    if !ranked.total_is_positive() {
        return Vec::new();
    }
    let cuts: Vec<f64> = (1..=DECILES).map(|k| k as f64 / DECILES as f64).collect();
    let reach = ranked.reach_counts(&cuts);
    let n = ranked.values.len() as f64;
    let total = ranked.total.value;
    let (mut start, mut cumulative) = (0, 0.0);
    cuts.iter()
        .zip(reach)
        .enumerate()
        .map(|(k, (&cut_share, end))| {
            let value: f64 = ranked.values[start..end].iter().sum();
            cumulative += value;
            let slice = ValueSlice {
                index: k as u8 + 1,
                cut_share,
                customers: end - start,
                cumulative_customers: end,
                cumulative_customer_share: end as f64 / n,
                value,
                cumulative_value_share: cumulative / total,
            };
            start = end;
            slice
        })
        .collect()
}

fn lorenz_of(ranked: &Ranked, basis: DecileBasis) -> Lorenz {
    let n = ranked.values.len();
    let mut result = Lorenz {
        basis,
        customers: n,
        total: ranked.total.value,
        points: Vec::new(),
        gini: None,
        pareto80_customer_share: None,
        overshoot: Overshoot::default(),
    };
    if !ranked.total_is_positive() || n == 0 {
        return result;
    }
    result.pareto80_customer_share = Some(ranked.reach_counts(&[0.8])[0] as f64 / n as f64);

    // Ascending: the ranking reversed (the order of equal values does not change the curve).
    let ascending = || ranked.values.iter().rev().copied();
    let tolerance = RELATIVE_TOLERANCE * ranked.total.magnitude;
    let (mut cumulative, mut weighted) = (0.0, 0.0);
    let (mut lowest, mut lowest_at, mut highest) = (0.0_f64, 0, 0.0_f64);
    let mut cumulative_at = Vec::with_capacity(n + 1);
    cumulative_at.push(0.0);
    for (i, value) in ascending().enumerate() {
        // Coefficient 2i − n − 1 with i counted from 1.
        weighted += (2.0 * (i + 1) as f64 - n as f64 - 1.0) * value;
        cumulative += value;
        cumulative_at.push(cumulative);
        if cumulative < lowest {
            (lowest, lowest_at) = (cumulative, i + 1);
        }
        highest = highest.max(cumulative);
    }
    let total = cumulative;
    result.gini = Some(weighted / (n as f64 * total));
    result.overshoot = Overshoot {
        above_full: highest > total + tolerance,
        below_zero: lowest < -tolerance,
    };

    let mut keep: Vec<usize> = if n < MAX_LORENZ_POINTS {
        (0..=n).collect()
    } else {
        // MAX − 1 evenly spaced points (both ends included), plus the lowest point.
        let steps = (MAX_LORENZ_POINTS - 2) as u128;
        (0..=steps)
            .map(|k| (k * n as u128 / steps) as usize)
            .chain(std::iter::once(lowest_at))
            .collect()
    };
    keep.sort_unstable();
    keep.dedup();
    result.points = keep
        .into_iter()
        .map(|i| LorenzPoint {
            customer_share: i as f64 / n as f64,
            value_share: cumulative_at[i] / total,
        })
        .collect();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::customers::{Columns, MonthTotal};

    const ALL_COLUMNS: Columns = Columns {
        order: true,
        date: true,
        profit: true,
        quantity: false,
    };

    /// A customer with sales, profit and orders (no dates).
    fn customer(id: &str, sales: f64, profit: f64, orders: u32) -> Customer {
        Customer {
            id: id.into(),
            rows: orders,
            orders,
            sales,
            profit,
            ..Default::default()
        }
    }

    /// A table of `(id, sales, profit)` customers with one order each.
    fn table_of(rows: &[(&str, f64, f64)]) -> CustomerTable {
        table_with(rows, ALL_COLUMNS)
    }

    fn table_with(rows: &[(&str, f64, f64)], columns: Columns) -> CustomerTable {
        let mut customers: Vec<Customer> = rows
            .iter()
            .map(|&(id, sales, profit)| customer(id, sales, profit, 1))
            .collect();
        customers.sort_by(|a, b| a.id.cmp(&b.id));
        CustomerTable { customers, columns }
    }

    /// `n` customers `c00`, `c01` … with sales `f(i)` and profit a tenth of it.
    fn numbered(n: usize, f: impl Fn(usize) -> f64) -> CustomerTable {
        let ids: Vec<String> = (0..n).map(|i| format!("c{i:02}")).collect();
        let rows: Vec<(&str, f64, f64)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), f(i), f(i) / 10.0))
            .collect();
        table_of(&rows)
    }

    fn ids(table: &CustomerTable, members: &[usize]) -> Vec<String> {
        members
            .iter()
            .map(|&i| table.customers[i].id.clone())
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
    }

    fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => close(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    #[test]
    fn decile_sizes_are_equal_larger_first() {
        let cases: [(usize, [usize; 10]); 8] = [
            (0, [0; 10]),
            (1, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            (9, [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]),
            (10, [1; 10]),
            (11, [2, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
            (19, [2, 2, 2, 2, 2, 2, 2, 2, 2, 1]),
            (25, [3, 3, 3, 3, 3, 2, 2, 2, 2, 2]),
            (
                1_000_003,
                [
                    100_001, 100_001, 100_001, 100_000, 100_000, 100_000, 100_000, 100_000,
                    100_000, 100_000,
                ],
            ),
        ];
        for (n, expected) in cases {
            assert_eq!(decile_sizes(n), expected, "n = {n}");
            assert_eq!(decile_sizes(n).iter().sum::<usize>(), n);
        }
    }

    #[test]
    fn ranking_is_descending_with_ties_by_id() {
        // Sorted and unsorted tables must rank alike; -0.0 equals 0.0.
        let rows = [
            ("b", 5.0, 0.0),
            ("a", 5.0, 0.0),
            ("c", 9.0, 0.0),
            ("d", -0.0, 0.0),
            ("ab", 0.0, 0.0),
        ];
        let sorted = table_of(&rows);
        let order = rank_customers(&sorted, DecileBasis::Sales).unwrap();
        assert_eq!(ids(&sorted, &order), ["c", "a", "b", "ab", "d"]);
        let unsorted = CustomerTable {
            customers: rows
                .iter()
                .map(|&(id, s, p)| customer(id, s, p, 1))
                .collect(),
            columns: ALL_COLUMNS,
        };
        let order = rank_customers(&unsorted, DecileBasis::Sales).unwrap();
        assert_eq!(ids(&unsorted, &order), ["c", "a", "b", "ab", "d"]);
    }

    #[test]
    fn ties_survive_floating_point_summation_noise() {
        // Regression: "b" is 100.10 + 162.45 as the import adds it, an ulp below 262.55, and
        // ranked after "z" (262.55) instead of before it by id.
        let noisy = 100.10 + 162.45;
        assert_ne!(noisy, 262.55);
        let ranked_table =
            table_of(&[("z", 262.55, 0.3), ("b", noisy, 0.1 + 0.2), ("c", 1.0, 0.5)]);
        let order = rank_customers(&ranked_table, DecileBasis::Sales).unwrap();
        assert_eq!(ids(&ranked_table, &order), ["b", "z", "c"]);
        // Margins 0.3 / 262.55 and (0.1 + 0.2) / (100.10 + 162.45) tie too: both are low margin.
        let groups = customer_groups(&ranked_table, &GroupConfig::default()).unwrap();
        assert_eq!(ids(&ranked_table, &groups.transaction), ["b", "z"]);
    }

    #[test]
    fn descending_bits_order_like_total_cmp_reversed() {
        let values = [
            f64::INFINITY,
            1e300,
            1.0,
            1e-300,
            0.0,
            -0.0,
            -1e-300,
            -1.0,
            -1e300,
            f64::NEG_INFINITY,
        ];
        for pair in values.windows(2) {
            assert!(pair[0].total_cmp(&pair[1]).is_gt());
            assert!(
                descending_bits(pair[0]) < descending_bits(pair[1]),
                "{pair:?}"
            );
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        let empty = CustomerTable::default();
        let no_profit = table_with(&[("a", 1.0, 0.0)], Columns::default());
        let basis_error = parameter("basis", ParameterProblem::NoProfitColumn);
        type Check = fn(&CustomerTable) -> Result<()>;
        let checks: [(&str, Check); 5] = [
            ("deciles", |t| {
                customer_deciles(t, DecileBasis::Profit).map(drop)
            }),
            ("value", |t| value_deciles(t, DecileBasis::Profit).map(drop)),
            ("lorenz", |t| lorenz(t, DecileBasis::Profit).map(drop)),
            ("rank", |t| rank_customers(t, DecileBasis::Profit).map(drop)),
            ("groups", |t| {
                customer_groups(t, &GroupConfig::default()).map(drop)
            }),
        ];
        for (name, check) in checks {
            assert_eq!(check(&empty), Err(Error::NoData), "{name}");
            if name != "groups" {
                assert_eq!(check(&no_profit), Err(basis_error.clone()), "{name}");
            }
        }
        assert_eq!(
            analyse_deciles(&empty, &GroupConfig::default()).unwrap_err(),
            Error::NoData
        );
    }

    /// Per decile: customers, sales, profit, sales share, cumulative sales share, margin.
    type DecileRow = (usize, f64, f64, Option<f64>, Option<f64>, Option<f64>);

    #[test]
    fn customer_deciles_hand_computed() {
        let cases: Vec<(&str, CustomerTable, DecileBasis, Vec<DecileRow>)> = vec![
            (
                "one customer: all in decile 1, the rest empty",
                table_of(&[("only", 200.0, 50.0)]),
                DecileBasis::Sales,
                std::iter::once((1, 200.0, 50.0, Some(1.0), Some(1.0), Some(0.25)))
                    .chain(std::iter::repeat_n(
                        (0, 0.0, 0.0, Some(0.0), Some(1.0), None),
                        9,
                    ))
                    .collect(),
            ),
            (
                "three customers fill deciles 1-3",
                table_of(&[("a", 10.0, 1.0), ("b", 30.0, 3.0), ("c", 60.0, 6.0)]),
                DecileBasis::Sales,
                [
                    (1, 60.0, 6.0, Some(0.6), Some(0.6), Some(0.1)),
                    (1, 30.0, 3.0, Some(0.3), Some(0.9), Some(0.1)),
                    (1, 10.0, 1.0, Some(0.1), Some(1.0), Some(0.1)),
                ]
                .into_iter()
                .chain(std::iter::repeat_n(
                    (0, 0.0, 0.0, Some(0.0), Some(1.0), None),
                    7,
                ))
                .collect(),
            ),
            (
                "all equal values: a tenth each",
                numbered(20, |_| 5.0),
                DecileBasis::Sales,
                (1..=10)
                    .map(|k| (2, 10.0, 1.0, Some(0.1), Some(k as f64 / 10.0), Some(0.1)))
                    .collect(),
            ),
            (
                "zero sales: no shares, no margins",
                table_of(&[("a", 0.0, 0.0), ("b", 5.0, 1.0), ("c", -5.0, -1.0)]),
                DecileBasis::Sales,
                [
                    (1, 5.0, 1.0, None, None, Some(0.2)),
                    (1, 0.0, 0.0, None, None, None),
                    (1, -5.0, -1.0, None, None, Some(0.2)),
                ]
                .into_iter()
                .chain(std::iter::repeat_n((0, 0.0, 0.0, None, None, None), 7))
                .collect(),
            ),
        ];
        for (name, table, basis, expected) in cases {
            let deciles = customer_deciles(&table, basis).unwrap();
            assert_eq!(deciles.len(), 10, "{name}");
            for (d, e) in deciles.iter().zip(&expected) {
                let got = (
                    d.customers,
                    d.sales,
                    d.profit,
                    d.sales_share,
                    d.cumulative_sales_share,
                    d.margin,
                );
                let ok = got.0 == e.0
                    && close(got.1, e.1)
                    && close(got.2, e.2)
                    && close_opt(got.3, e.3)
                    && close_opt(got.4, e.4)
                    && close_opt(got.5, e.5);
                assert!(
                    ok,
                    "{name}, decile {}: got {got:?}, expected {e:?}",
                    d.index
                );
            }
        }
    }

    #[test]
    fn ties_across_a_decile_boundary_are_cut_by_id() {
        // 11 customers: deciles of 2, 1, 1 …; "b", "j" and "k" tie at 7 and the cuts after the
        // first and second decile fall inside the tie: id order decides (a b | j | k).
        let rows = [
            ("a", 20.0, 0.0),
            ("b", 7.0, 0.0),
            ("k", 7.0, 0.0),
            ("j", 7.0, 0.0),
            ("c", 6.0, 0.0),
            ("d", 5.0, 0.0),
            ("e", 4.0, 0.0),
            ("f", 3.0, 0.0),
            ("g", 2.0, 0.0),
            ("h", 1.0, 0.0),
            ("i", 0.5, 0.0),
        ];
        let table = table_of(&rows);
        let order = rank_customers(&table, DecileBasis::Sales).unwrap();
        assert_eq!(ids(&table, &order[..4]), ["a", "b", "j", "k"]);
        let deciles = customer_deciles(&table, DecileBasis::Sales).unwrap();
        let got: Vec<(usize, f64)> = deciles.iter().map(|d| (d.customers, d.sales)).collect();
        assert_eq!(
            got,
            [
                (2, 27.0),
                (1, 7.0),
                (1, 7.0),
                (1, 6.0),
                (1, 5.0),
                (1, 4.0),
                (1, 3.0),
                (1, 2.0),
                (1, 1.0),
                (1, 0.5)
            ]
        );
    }

    #[test]
    fn negative_profit_and_negative_totals() {
        // Profit: 30 + 10 − 25 = 15; ranked by sales the cumulative profit share goes 2, 2.67, 1.
        let table = table_of(&[("a", 100.0, 30.0), ("b", 50.0, 10.0), ("c", 40.0, -25.0)]);
        let deciles = customer_deciles(&table, DecileBasis::Sales).unwrap();
        let cumulative: Vec<Option<f64>> = deciles[..3]
            .iter()
            .map(|d| d.cumulative_profit_share)
            .collect();
        assert!(close_opt(cumulative[0], Some(2.0)) && close_opt(cumulative[1], Some(40.0 / 15.0)));
        assert_eq!(cumulative[2], Some(1.0));
        let over = overshoot(deciles.iter().map(|d| d.cumulative_profit_share));
        assert_eq!(
            over,
            Overshoot {
                above_full: true,
                below_zero: false
            }
        );
        assert!(!overshoot(deciles.iter().map(|d| d.cumulative_sales_share)).any());
        assert_eq!(deciles[2].margin, Some(-25.0 / 40.0));

        // A negative total profit: ranked by profit, the first decile's share is negative.
        let losing = table_of(&[("a", 100.0, 10.0), ("b", 50.0, -30.0)]);
        let by_profit = customer_deciles(&losing, DecileBasis::Profit).unwrap();
        assert_eq!(by_profit[0].profit_share, Some(10.0 / -20.0));
        assert_eq!(by_profit[1].cumulative_profit_share, Some(1.0));
        assert!(overshoot(by_profit.iter().map(|d| d.cumulative_profit_share)).below_zero);
        assert_eq!(value_deciles(&losing, DecileBasis::Profit).unwrap(), []);
        let curve = lorenz(&losing, DecileBasis::Profit).unwrap();
        assert_eq!(
            (
                curve.points.len(),
                curve.gini,
                curve.pareto80_customer_share
            ),
            (0, None, None)
        );
    }

    #[test]
    fn no_profit_column_means_no_profit_shares() {
        let table = table_with(&[("a", 10.0, 0.0), ("b", 5.0, 0.0)], Columns::default());
        let deciles = customer_deciles(&table, DecileBasis::Sales).unwrap();
        assert!(deciles
            .iter()
            .all(|d| d.profit_share.is_none() && d.margin.is_none()));
        assert_eq!(deciles[0].sales_share, Some(10.0 / 15.0));
    }

    #[test]
    fn average_order_value_per_decile() {
        let mut table = table_of(&[("a", 100.0, 0.0), ("b", 0.0, 0.0)]);
        table.customers[0].orders = 4;
        table.customers[1].orders = 0;
        let deciles = customer_deciles(&table, DecileBasis::Sales).unwrap();
        assert_eq!(
            (deciles[0].orders, deciles[0].average_order_value),
            (4, 25.0)
        );
        assert_eq!(
            (deciles[1].orders, deciles[1].average_order_value),
            (0, 0.0)
        );
    }

    #[test]
    fn value_deciles_hand_computed() {
        // (name, sales, customers per slice, cumulative customers after slice 10)
        let cases: Vec<(&str, Vec<f64>, [usize; 10], usize)> = vec![
            ("ten equal", vec![1.0; 10], [1; 10], 10),
            // 35 reaches the cuts at 10, 20 and 30 %; 25 reaches 40, 50 and 60 %; …
            (
                "straddlers",
                vec![35.0, 25.0, 20.0, 10.0, 10.0],
                [1, 0, 0, 1, 0, 0, 1, 0, 1, 1],
                5,
            ),
            // Cuts that fall exactly on a customer (30 %, 50 % …) are reached by that customer,
            // not missed by a rounding hair.
            (
                "exact boundaries",
                vec![0.3, 0.2, 0.2, 0.1, 0.1, 0.1],
                [1, 0, 0, 1, 0, 1, 0, 1, 1, 1],
                6,
            ),
            // Zero and negative customers come after the total is reached: in no slice.
            (
                "returns at the end",
                vec![50.0, 40.0, 30.0, 0.0, -20.0],
                [1, 0, 0, 0, 0, 1, 0, 0, 0, 1],
                3,
            ),
            ("one customer", vec![7.0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 1),
        ];
        for (name, sales, expected, last) in cases {
            let table = numbered(sales.len(), |i| sales[i]);
            let slices = value_deciles(&table, DecileBasis::Sales).unwrap();
            let got: Vec<usize> = slices.iter().map(|s| s.customers).collect();
            assert_eq!(got, expected, "{name}");
            assert_eq!(slices[9].cumulative_customers, last, "{name}");
            assert!(
                slices
                    .iter()
                    .all(|s| s.cumulative_value_share >= s.cut_share - 1e-9),
                "{name}"
            );
        }
        let zero = numbered(3, |i| [5.0, 0.0, -5.0][i]);
        assert_eq!(value_deciles(&zero, DecileBasis::Sales).unwrap(), []);
    }

    #[test]
    fn value_slice_fields() {
        let table = numbered(4, |i| [40.0, 30.0, 20.0, 10.0][i]);
        let slices = value_deciles(&table, DecileBasis::Sales).unwrap();
        let first = &slices[0];
        assert_eq!(
            (
                first.index,
                first.customers,
                first.cumulative_customers,
                first.value
            ),
            (1, 1, 1, 40.0)
        );
        assert!(
            close(first.cumulative_customer_share, 0.25)
                && close(first.cumulative_value_share, 0.4)
        );
        assert_eq!(
            (slices[4].index, slices[4].customers, slices[4].value),
            (5, 1, 30.0)
        );
        assert!(close(slices[9].cut_share, 1.0) && close(slices[9].cumulative_value_share, 1.0));
    }

    #[test]
    fn gini_and_pareto_hand_computed() {
        /// Name, sales, Gini, Pareto point.
        type Case = (&'static str, Vec<f64>, Option<f64>, Option<f64>);
        let cases: Vec<Case> = vec![
            ("one customer", vec![9.0], Some(0.0), Some(1.0)),
            // 80 % of 24 is 19.2: the seventh customer reaches it.
            ("all equal", vec![3.0; 8], Some(0.0), Some(0.875)),
            // Σ(2i − 5)·x over 1, 2, 3, 4 = −3 − 2 + 3 + 12 = 10; / (4 · 10) = 0.25.
            // Descending 4, 7, 9: 80 % of 10 is reached by the third customer.
            ("1 2 3 4", vec![1.0, 2.0, 3.0, 4.0], Some(0.25), Some(0.75)),
            // One customer has everything: (n − 1) / n.
            (
                "concentrated",
                vec![0.0, 0.0, 0.0, 8.0],
                Some(0.75),
                Some(0.25),
            ),
            // Signed: −1, 1, 2 → (−2·−1 + 0 + 2·2) / (3 · 2) = 1; above the usual bound.
            ("negative", vec![-1.0, 1.0, 2.0], Some(1.0), Some(1.0 / 3.0)),
            ("zero total", vec![2.0, -2.0], None, None),
            ("negative total", vec![1.0, -2.0], None, None),
        ];
        for (name, sales, gini, pareto) in cases {
            let table = numbered(sales.len(), |i| sales[i]);
            let curve = lorenz(&table, DecileBasis::Sales).unwrap();
            assert!(close_opt(curve.gini, gini), "{name}: gini {:?}", curve.gini);
            assert!(
                close_opt(curve.pareto80_customer_share, pareto),
                "{name}: pareto {:?}",
                curve.pareto80_customer_share
            );
        }
    }

    #[test]
    fn lorenz_points_small_and_downsampled() {
        let table = numbered(4, |i| [1.0, 2.0, 3.0, 4.0][i]);
        let curve = lorenz(&table, DecileBasis::Sales).unwrap();
        let points: Vec<(f64, f64)> = curve
            .points
            .iter()
            .map(|p| (p.customer_share, p.value_share))
            .collect();
        assert_eq!(
            points,
            [(0.0, 0.0), (0.25, 0.1), (0.5, 0.3), (0.75, 0.6), (1.0, 1.0)]
        );
        assert!(!curve.overshoot.any());

        // Many customers: at most MAX_LORENZ_POINTS, ends kept, increasing customer share, and
        // the lowest point of the dip below zero kept exactly.
        let n = 10_007;
        let table = numbered(n, |i| if i < 1_234 { -1.0 } else { (i % 97) as f64 });
        let curve = lorenz(&table, DecileBasis::Sales).unwrap();
        assert!(curve.points.len() <= MAX_LORENZ_POINTS && curve.points.len() > 500);
        assert_eq!(
            curve.points[0],
            LorenzPoint {
                customer_share: 0.0,
                value_share: 0.0
            }
        );
        assert_eq!(curve.points.last().map(|p| p.value_share), Some(1.0));
        assert_eq!(curve.points.last().map(|p| p.customer_share), Some(1.0));
        assert!(curve
            .points
            .windows(2)
            .all(|w| w[0].customer_share < w[1].customer_share));
        let lowest = curve
            .points
            .iter()
            .map(|p| p.value_share)
            .fold(f64::INFINITY, f64::min);
        assert!(close(lowest, -1_234.0 / curve.total));
        assert_eq!(
            curve.overshoot,
            Overshoot {
                above_full: false,
                below_zero: true
            }
        );
        assert!(curve.gini.is_some_and(|g| g > 0.0));
    }

    #[test]
    fn config_validation_names_the_field() {
        type Edit = fn(&mut GroupConfig);
        let cases: [(&str, Edit); 16] = [
            ("analysis_day", |c| c.analysis_day = Some(-800_000)),
            ("analysis_day", |c| c.analysis_day = Some(i32::MAX)),
            ("period_months", |c| c.period_months = 0),
            ("period_months", |c| c.period_months = 121),
            ("decline_threshold", |c| c.decline_threshold = 0.0),
            ("decline_threshold", |c| c.decline_threshold = 1.5),
            ("decline_threshold", |c| c.decline_threshold = f64::NAN),
            ("retain_sales_share", |c| c.retain_sales_share = 0.0),
            ("retain_sales_share", |c| {
                c.retain_sales_share = f64::INFINITY
            }),
            ("grow_from_share", |c| c.grow_from_share = -0.1),
            ("grow_to_share", |c| c.grow_to_share = 0.4),
            ("grow_to_share", |c| c.grow_to_share = 1.01),
            ("transaction_margin_decile", |c| {
                c.transaction_margin_decile = 0
            }),
            ("transaction_margin_decile", |c| {
                c.transaction_margin_decile = 11
            }),
            ("transaction_max_orders", |c| c.transaction_max_orders = 0),
            ("analysis_day", |c| c.analysis_day = Some(i32::MIN)),
        ];
        assert_eq!(GroupConfig::default().validate(), Ok(()));
        for (field, edit) in cases {
            let mut config = GroupConfig::default();
            edit(&mut config);
            let result = config.validate();
            assert!(
                matches!(&result, Err(Error::Parameter { name, .. }) if name == field),
                "{field}: {result:?}"
            );
            let table = table_of(&[("a", 1.0, 1.0)]);
            assert!(customer_groups(&table, &config).is_err(), "{field}");
        }
        let edge = GroupConfig {
            grow_from_share: 0.0,
            grow_to_share: 1.0,
            decline_threshold: 1.0,
            retain_sales_share: 1.0,
            transaction_margin_decile: 10,
            period_months: 120,
            analysis_day: Some(DAY_RANGE.1),
            ..Default::default()
        };
        assert_eq!(edge.validate(), Ok(()));
        assert_eq!(
            DAY_RANGE,
            (
                days_from_civil(1, 1, 1).unwrap(),
                days_from_civil(9999, 12, 31).unwrap()
            )
        );
    }

    #[test]
    fn retain_and_grow_follow_cumulative_sales() {
        // Sales 30 20 10 10 10 5 5 5 3 2 (total 100), ranked a…j.
        let sales = [30.0, 20.0, 10.0, 10.0, 10.0, 5.0, 5.0, 5.0, 3.0, 2.0];
        let ids_ = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        let rows: Vec<(&str, f64, f64)> = ids_
            .iter()
            .zip(sales)
            .map(|(&id, s)| (id, s, s / 5.0))
            .collect();
        let table = table_of(&rows);
        /// Retain share, grow from, grow to, retain, grow.
        type Case = (
            f64,
            f64,
            f64,
            &'static [&'static str],
            &'static [&'static str],
        );
        // Cumulative sales: a 30, b 50, c 60, d 70, e 80, f 85, g 90, h 95, i 98, j 100.
        let cases: [Case; 6] = [
            // b covers 30–50: it straddles 40 and reaches 50 (value slice 5 is empty here).
            (0.10, 0.40, 0.50, &["a"], &["b"]),
            // One customer straddles both ends.
            (0.10, 0.35, 0.45, &["a"], &["b"]),
            // c straddles 55, e straddles 75.
            (0.10, 0.55, 0.75, &["a"], &["c", "d", "e"]),
            (0.30, 0.50, 0.60, &["a"], &["c"]),
            (0.31, 0.60, 0.90, &["a", "b"], &["d", "e", "f", "g"]),
            (
                1.00,
                0.00,
                0.30,
                &["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
                &["a"],
            ),
        ];
        for (retain_share, from, to, retain, grow) in cases {
            let config = GroupConfig {
                retain_sales_share: retain_share,
                grow_from_share: from,
                grow_to_share: to,
                ..Default::default()
            };
            let groups = customer_groups(&table, &config).unwrap();
            assert_eq!(ids(&table, &groups.retain), retain, "retain {retain_share}");
            assert_eq!(ids(&table, &groups.grow), grow, "grow {from}–{to}");
        }
        let losing = table_of(&[("a", 5.0, 1.0), ("b", -5.0, 1.0)]);
        let groups = customer_groups(&losing, &GroupConfig::default()).unwrap();
        assert_eq!(
            (groups.status.retain, groups.status.grow),
            (GroupStatus::NoPositiveSales, GroupStatus::NoPositiveSales)
        );
        assert!(groups.retain.is_empty() && groups.grow.is_empty());
    }

    /// A dated customer: `(month index, sales, profit)` buckets.
    fn dated(id: &str, months: &[(i32, f64, f64)]) -> Customer {
        let month_totals: Vec<MonthTotal> = months
            .iter()
            .map(|&(month, sales, profit)| MonthTotal {
                month,
                sales,
                profit,
            })
            .collect();
        let first = months
            .iter()
            .map(|m| first_day_of_month(m.0).unwrap())
            .min();
        let last = months
            .iter()
            .map(|m| first_day_of_month(m.0).unwrap() + 9)
            .max();
        Customer {
            id: id.into(),
            rows: months.len() as u32,
            orders: months.len() as u32,
            sales: months.iter().map(|m| m.1).sum(),
            profit: months.iter().map(|m| m.2).sum(),
            first,
            last,
            months: month_totals,
            ..Default::default()
        }
    }

    #[test]
    fn declining_compares_whole_month_periods() {
        let month = |year: i32, month: i32| year * 12 + month - 1;
        let customers = vec![
            // 100 → 70: down exactly 30 %, still profitable → declining.
            dated(
                "a",
                &[(month(2023, 3), 100.0, 10.0), (month(2024, 3), 70.0, 5.0)],
            ),
            // 100 → 71: down 29 %.
            dated(
                "b",
                &[(month(2023, 3), 100.0, 10.0), (month(2024, 3), 71.0, 5.0)],
            ),
            // 100 → 50 but a loss in the latest period.
            dated(
                "c",
                &[(month(2023, 3), 100.0, 10.0), (month(2024, 3), 50.0, -1.0)],
            ),
            // Stopped buying: lost, not declining.
            dated("d", &[(month(2023, 3), 100.0, 10.0)]),
            // New customer: nothing in the previous period.
            dated("e", &[(month(2024, 3), 100.0, 10.0)]),
            // Older than both periods: ignored; 0 → 10.
            dated(
                "f",
                &[(month(2021, 1), 900.0, 90.0), (month(2024, 12), 10.0, 1.0)],
            ),
            // Net returns in the latest period: down more than 100 %, but a profit: declining.
            dated(
                "g",
                &[
                    (month(2023, 1), 40.0, 4.0),
                    (month(2024, 1), 50.0, 5.0),
                    (month(2024, 2), -60.0, -1.0),
                ],
            ),
        ];
        let table = CustomerTable {
            customers,
            columns: ALL_COLUMNS,
        };
        let groups = customer_groups(&table, &GroupConfig::default()).unwrap();
        assert_eq!(ids(&table, &groups.declining), ["a", "g"]);
        // Latest purchase 2024-12-10 → analysis day 2024-12-11; periods 2024 and 2023.
        let periods = groups.periods.unwrap();
        let analysis_day = days_from_civil(2024, 12, 11).unwrap();
        assert_eq!(groups.config.analysis_day, Some(analysis_day));
        assert_eq!(periods.analysis_day, analysis_day);
        assert_eq!(
            (periods.latest.first_day, periods.latest.last_day),
            (
                days_from_civil(2024, 1, 1).unwrap(),
                days_from_civil(2024, 12, 31).unwrap()
            )
        );
        assert_eq!(
            (periods.previous.first_day, periods.previous.last_day),
            (
                days_from_civil(2023, 1, 1).unwrap(),
                days_from_civil(2023, 12, 31).unwrap()
            )
        );
        assert_eq!(
            (periods.latest.first_month, periods.latest.last_month),
            (month(2024, 1), month(2024, 12))
        );

        // An analysis day on the first of a month ends the latest period with the month before;
        // 6-month periods: latest 2024-01 … 2024-06 (a's 70), previous 2023-07 … 2023-12 (none).
        let config = GroupConfig {
            analysis_day: days_from_civil(2024, 7, 1),
            period_months: 6,
            ..Default::default()
        };
        let groups = customer_groups(&table, &config).unwrap();
        let periods = groups.periods.unwrap();
        assert_eq!(
            (
                periods.latest.first_day,
                periods.latest.last_day,
                periods.previous.first_day
            ),
            (
                days_from_civil(2024, 1, 1).unwrap(),
                days_from_civil(2024, 6, 30).unwrap(),
                days_from_civil(2023, 7, 1).unwrap()
            )
        );
        assert!(groups.declining.is_empty());
        let a = period_sales(&table.customers[0], &periods);
        assert_eq!(
            (a.previous_sales, a.latest_sales, a.change()),
            (0.0, 70.0, None)
        );

        // Without dates or without profit, declining is not computed.
        for (columns, status) in [
            (
                Columns {
                    date: false,
                    ..ALL_COLUMNS
                },
                GroupStatus::NoDateColumn,
            ),
            (
                Columns {
                    profit: false,
                    ..ALL_COLUMNS
                },
                GroupStatus::NoProfitColumn,
            ),
        ] {
            let table = CustomerTable {
                customers: table.customers.clone(),
                columns,
            };
            let groups = customer_groups(&table, &GroupConfig::default()).unwrap();
            assert_eq!(
                (groups.status.declining, groups.declining.len()),
                (status, 0)
            );
        }
    }

    #[test]
    fn transaction_customers_are_low_margin_and_low_frequency() {
        // 13 customers with positive sales (neg and zero are not): margins 0.01 (four, tied), 0.05,
        // 0.20 … 0.27; margin deciles of 2, 2, 2, 1 …; the bottom decile ends at 0.01 and the
        // whole tie at 0.01 is low margin.
        let mut rows: Vec<(String, f64, f64, u32)> = vec![
            ("low1".into(), 100.0, 1.0, 1),
            ("low2".into(), 200.0, 2.0, 1),
            ("low3".into(), 300.0, 3.0, 1),
            ("lowmany".into(), 100.0, 1.0, 5),
            ("mid".into(), 100.0, 5.0, 1),
            ("neg".into(), -50.0, -40.0, 1),
            ("zero".into(), 0.0, -3.0, 1),
        ];
        for i in 0..8 {
            rows.push((format!("z{i}"), 100.0, 20.0 + i as f64, 1));
        }
        let mut customers: Vec<Customer> = rows
            .iter()
            .map(|(id, s, p, o)| customer(id, *s, *p, *o))
            .collect();
        customers.sort_by(|a, b| a.id.cmp(&b.id));
        let table = CustomerTable {
            customers,
            columns: ALL_COLUMNS,
        };
        // (margin deciles, max orders, members, limit)
        let cases: [(u8, u32, &[&str], f64); 5] = [
            (1, 1, &["low3", "low2", "low1"], 0.01),
            (1, 5, &["low3", "low2", "low1", "lowmany"], 0.01),
            // The four customers at 0.01 fill the two lowest deciles.
            (2, 1, &["low3", "low2", "low1"], 0.01),
            (3, 1, &["low3", "low2", "low1", "mid", "z0"], 0.20),
            (
                10,
                1,
                &[
                    "low3", "low2", "low1", "mid", "z0", "z1", "z2", "z3", "z4", "z5", "z6", "z7",
                ],
                0.27,
            ),
        ];
        for (deciles, max_orders, expected, limit) in cases {
            let config = GroupConfig {
                transaction_margin_decile: deciles,
                transaction_max_orders: max_orders,
                ..Default::default()
            };
            let groups = customer_groups(&table, &config).unwrap();
            assert_eq!(
                ids(&table, &groups.transaction),
                expected,
                "{deciles} deciles, {max_orders} orders"
            );
            assert!(close_opt(groups.transaction_margin_limit, Some(limit)));
            assert_eq!(groups.status.transaction, GroupStatus::Computed);
        }
        let no_profit = CustomerTable {
            customers: table.customers.clone(),
            columns: Columns {
                profit: false,
                ..ALL_COLUMNS
            },
        };
        let groups = customer_groups(&no_profit, &GroupConfig::default()).unwrap();
        assert_eq!(
            (groups.status.transaction, groups.transaction_margin_limit),
            (GroupStatus::NoProfitColumn, None)
        );
        // All margins equal: the bottom decile's margin is everyone's margin.
        let equal = numbered(20, |_| 10.0);
        let groups = customer_groups(&equal, &GroupConfig::default()).unwrap();
        assert_eq!(groups.transaction.len(), 20);
    }

    #[test]
    fn group_csv_columns_and_injection() {
        let mut table = table_of(&[("=cmd()", 100.0, 25.0), ("b", 50.0, 5.0)]);
        table.customers[0].orders = 4;
        table.columns.date = false;
        let config = GroupConfig {
            retain_sales_share: 1.0,
            ..Default::default()
        };
        let groups = customer_groups(&table, &config).unwrap();
        let csv = group_csv(
            &table,
            &groups,
            GroupKind::Retain,
            &GroupCsvLabels::default(),
        );
        assert_eq!(
            csv,
            "\u{feff}customer,orders,sales,profit,margin,average order value\r\n\
             '=cmd(),4,100,25,0.25,25\r\n\
             b,1,50,5,0.1,50\r\n"
        );

        let month = |year: i32, month: i32| year * 12 + month - 1;
        let table = CustomerTable {
            customers: vec![dated(
                "a",
                &[(month(2023, 3), 100.0, 10.0), (month(2024, 3), 65.0, 5.0)],
            )],
            columns: ALL_COLUMNS,
        };
        let groups = customer_groups(&table, &GroupConfig::default()).unwrap();
        let csv = group_csv(
            &table,
            &groups,
            GroupKind::Declining,
            &GroupCsvLabels::default(),
        );
        assert_eq!(
            csv,
            "\u{feff}customer,orders,sales,profit,margin,average order value,first purchase,\
             last purchase,previous period sales,latest period sales,change\r\n\
             a,2,165,15,0.0909,82.5,2023-03-01,2024-03-10,100,65,-0.35\r\n"
        );
    }

    #[test]
    fn analysis_figures_are_named_and_complete() {
        let table = numbered(20, |i| (i + 1) as f64);
        let analysis = analyse_deciles(&table, &GroupConfig::default()).unwrap();
        let figures = analysis.figures();
        let names: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names.len(), 26);
        assert_eq!(
            &names[..3],
            ["gini", "pareto80_customer_share", "decile_sales_share_1"]
        );
        assert_eq!(names[11], "decile_sales_share_10");
        assert_eq!(names[12], "decile_profit_share_1");
        assert_eq!(
            &names[22..],
            [
                "group_retain",
                "group_grow",
                "group_declining",
                "group_transaction"
            ]
        );
        // Sales 1 … 20 (total 210): decile 1 is 20 + 19.
        assert!(close_opt(figures[2].value, Some(39.0 / 210.0)));
        assert!(close_opt(figures[12].value, Some(39.0 / 210.0)));
        // No dated customers: declining was not computed.
        assert_eq!(figures[24].value, None);
        // Retain: 20 < 21 (10 % of 210), 20 + 19 reaches it.
        assert_eq!(figures[22].value, Some(2.0));
        // The analysis agrees with the separate functions.
        assert_eq!(
            analysis.by_sales,
            customer_deciles(&table, DecileBasis::Sales).unwrap()
        );
        assert_eq!(
            analysis.lorenz_profit,
            Some(lorenz(&table, DecileBasis::Profit).unwrap())
        );
        assert_eq!(
            analysis.groups,
            customer_groups(&table, &GroupConfig::default()).unwrap()
        );
    }
}
