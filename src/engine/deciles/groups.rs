//! The document's customer groups (客户分组): retain, grow, declining and transaction customers, over
//! two periods.

use super::*;
use crate::engine::customers::{MonthTotal, Months};
use crate::engine::history::Days;

/// The thresholds of the customer groups ([`customer_groups`]); every field is shown beside the
/// result and can be edited.
///
/// Shares are fractions of total net sales (0.1 = 10 %), with customers ranked by sales, largest
/// first, ties by id. Each customer covers the stretch of cumulative sales from the cumulative
/// sales before it to the cumulative sales including it; a customer is in a band of cumulative
/// sales when part of its stretch lies inside the band (so the customer that straddles either
/// end of a band is in it). A field missing from JSON takes its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
        let is_fraction = |value: f64, zero_allowed: bool| {
            value.is_finite() && value <= 1.0 && (value > 0.0 || (zero_allowed && value == 0.0))
        };
        let fraction = |name: &str, value: f64, zero_allowed: bool, of: FractionOf| {
            if is_fraction(value, zero_allowed) {
                return Ok(());
            }
            let problem = ParameterProblem::NotAFraction {
                value,
                zero_allowed,
                of,
            };
            Err(parameter(name, problem))
        };
        if let Some(day) = self.analysis_day {
            if !day.in_range() {
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
                    unit: Some(CountUnit::Months),
                },
            ));
        }
        let (previous, total) = (FractionOf::PreviousSales, FractionOf::TotalSales);
        fraction("decline_threshold", self.decline_threshold, false, previous)?;
        fraction("retain_sales_share", self.retain_sales_share, false, total)?;
        fraction("grow_from_share", self.grow_from_share, true, total)?;
        if !is_fraction(self.grow_to_share, false) || self.grow_to_share <= self.grow_from_share {
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
                    unit: None,
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
    /// Declining compares the sales of two periods, and the data has dates but no sales per
    /// month (a per-customer summary, issue 17).
    NoMonthlySales,
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
    /// First month, as `year * 12 + month - 1` (like [`MonthTotal::month`](crate::engine::customers::MonthTotal::month)).
    pub first_month: Month,
    /// Last month (inclusive).
    pub last_month: Month,
    /// First day of the first month.
    pub first_day: Day,
    /// Last day of the last month (inclusive).
    pub last_day: Day,
}

impl MonthSpan {
    fn new(first_month: Month, last_month: Month) -> Option<MonthSpan> {
        Some(MonthSpan {
            first_month,
            last_month,
            first_day: first_month.first_day()?,
            last_day: last_month
                .checked_plus_months(1)?
                .first_day()?
                .plus_days(-1),
        })
    }

    /// Whether `month` (`year * 12 + month - 1`) lies in the span.
    pub fn contains(&self, month: Month) -> bool {
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
    /// Each group's sales in [`GroupKind::ALL`] order, its members' summed in its order (0 for a
    /// group not computed), read from the sales ranking as the groups were found, so that their
    /// shares need not read every member's record again; `None` when not known (groups read
    /// back, or cut to a filter's chosen customers).
    #[serde(skip)]
    pub member_sales: Option<[f64; 4]>,
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
/// buckets (months outside both periods are ignored). For many customers, [`PeriodSums`].
pub fn period_sales(customer: &Customer, periods: &Periods) -> PeriodSales {
    PeriodSums::new(periods).of(customer)
}

/// [`period_sales`] of customer after customer, the periods' bounds worked out once.
pub struct PeriodSums<'a> {
    periods: &'a Periods,
    days: Option<PeriodDays>,
}

impl<'a> PeriodSums<'a> {
    /// The sums of `periods`.
    pub fn new(periods: &'a Periods) -> Self {
        PeriodSums {
            periods,
            days: PeriodDays::new(periods),
        }
    }

    /// False when `customer`'s months are read from its purchase days and those days (from its
    /// first to its last) do not reach into both periods: then it has no sales in one of them,
    /// which its first and last day say without reading a day.
    pub fn may_have_both(&self, customer: &Customer) -> bool {
        let Months::Days { .. } = customer.months else {
            return true;
        };
        let (Some(first), Some(last)) = (customer.first, customer.last) else {
            return false;
        };
        let reaches = |span: &MonthSpan| first <= span.last_day && last >= span.first_day;
        reaches(&self.periods.previous) && reaches(&self.periods.latest)
    }

    /// [`period_sales`] of `customer`.
    pub fn of(&self, customer: &Customer) -> PeriodSales {
        match (&customer.months, &self.days) {
            (Months::Days { history, index }, Some(bounds)) => {
                bounds.sales_of(history.days(*index).without_quantity(), self.periods)
            }
            (months, _) => period_sales_of(months.iter(), self.periods),
        }
    }
}

/// [`period_sales`] of the months `months`.
fn period_sales_of(months: impl Iterator<Item = MonthTotal>, periods: &Periods) -> PeriodSales {
    let mut result = PeriodSales::default();
    for month in months {
        add_month(&mut result, periods, month);
    }
    result
}

/// Adds `month` to the period it lies in, if any.
fn add_month(result: &mut PeriodSales, periods: &Periods, month: MonthTotal) {
    if periods.latest.contains(month.month) {
        result.latest_sales += month.sales;
        result.latest_profit += month.profit;
    } else if periods.previous.contains(month.month) {
        result.previous_sales += month.sales;
    }
}

/// The first day of every month from the first month of the two periods to the month after
/// the last: a customer's purchase days are summed into those months by comparing days, with
/// no calendar conversion, and the days outside them are passed over (those after, not even
/// read). The same sums to the bit as summing its months
/// ([`MonthsOfDays`](crate::engine::customers::MonthsOfDays)).
struct PeriodDays {
    first_month: Month,
    /// `starts[k]` is the first day of month `first_month + k`; the last is the end.
    starts: Vec<Day>,
}

impl PeriodDays {
    /// `None` when a month's first day lies past the calendar (the months are summed then).
    fn new(periods: &Periods) -> Option<PeriodDays> {
        let first_month = periods.previous.first_month.min(periods.latest.first_month);
        let last_month = periods.previous.last_month.max(periods.latest.last_month);
        let months = last_month.months_since(first_month);
        let starts = (0..=months.checked_add(1)?)
            .map(|k| first_month.checked_plus_months(k)?.first_day())
            .collect::<Option<Vec<Day>>>()?;
        Some(PeriodDays {
            first_month,
            starts,
        })
    }

    /// [`period_sales`] of a customer's purchase days `days` (oldest first).
    fn sales_of(&self, days: Days<'_>, periods: &Periods) -> PeriodSales {
        let mut result = PeriodSales::default();
        let (Some(&start), Some(&end)) = (self.starts.first(), self.starts.last()) else {
            return result;
        };
        // The month being summed: its index in `starts`, and its sums so far.
        let mut open: Option<(usize, f64, f64)> = None;
        let mut slot = 0usize;
        for day in days {
            if day.day < start {
                continue;
            }
            if day.day >= end {
                break;
            }
            while self
                .starts
                .get(slot + 1)
                .is_some_and(|&next| day.day >= next)
            {
                slot += 1;
            }
            open = Some(match open {
                Some((at, sales, profit)) if at == slot => {
                    (at, sales + day.sales, profit + day.profit)
                }
                done => {
                    if let Some(done) = done {
                        self.add(&mut result, periods, done);
                    }
                    (slot, day.sales, day.profit)
                }
            });
        }
        if let Some(done) = open {
            self.add(&mut result, periods, done);
        }
        result
    }

    fn add(
        &self,
        result: &mut PeriodSales,
        periods: &Periods,
        (slot, sales, profit): (usize, f64, f64),
    ) {
        let month = self
            .first_month
            .plus_months(i32::try_from(slot).unwrap_or(i32::MAX));
        add_month(
            result,
            periods,
            MonthTotal {
                month,
                sales,
                profit,
            },
        );
    }
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

pub(super) fn groups_of(
    table: &CustomerTable,
    config: &GroupConfig,
    ranked: &Ranked,
) -> Result<Groups> {
    let mut steps = GroupSteps::default();
    while steps.step(table, config, ranked) {}
    steps.finish()
}

/// Customers whose months a piece of [`GroupSteps`] reads for the declining group: a piece of
/// 16,384 took 45–58 ms of the page's thread at ten million rows on a slow machine, so about
/// 12–15 ms at this size; the page runs as many pieces a task as its budget allows. The unit
/// tests read 5 a piece, so that their hand-computed groups check the pieces' joins.
const DECLINE_PIECE: usize = if cfg!(test) { 5 } else { 1 << 12 };

/// Customers whose margins a piece of [`GroupSteps`] reads (a pass over ten million rows'
/// customers took 39 ms of the page's thread at once on a slow machine). The unit tests read 5
/// a piece.
const MARGIN_PIECE: usize = if cfg!(test) { 5 } else { 1 << 17 };

/// [`groups_of`] in pieces of a pass over the customers (or part of one) each: the retain and
/// grow groups with the periods, the declining flags a [`DECLINE_PIECE`] of customers at a time,
/// the declining group, the margins, the transaction group.
#[derive(Default)]
pub(super) struct GroupSteps {
    head: Option<Result<Head>>,
    /// Whether each customer is declining, in the table's order (as far as read).
    declining_flags: Vec<bool>,
    declining: Option<(Vec<usize>, f64)>,
    /// Each customer's margin, NaN where it cannot be a transaction customer; and the margins
    /// of the customers that have one.
    margins: Option<(Vec<f64>, Vec<f64>)>,
    /// The low-margin limit, once found (a piece of its own: at a million customers the
    /// selection and the group's filter took 41 ms of the page's thread together).
    limit: Option<Option<f64>>,
    transaction: Option<(Vec<usize>, Option<f64>, f64)>,
}

/// The first piece of [`GroupSteps`].
struct Head {
    retain: Vec<usize>,
    grow: Vec<usize>,
    /// The retain and grow groups' sales, summed in their order.
    retain_sales: f64,
    grow_sales: f64,
    status: GroupStatuses,
    used: GroupConfig,
    periods: Option<Periods>,
    /// The declining flags are read (dates, months and a profit column).
    declining: bool,
}

impl GroupSteps {
    /// Computes the next piece for `table`, `config` and the sales ranking `ranked` (the same at
    /// every call); false when none is left.
    pub(super) fn step(
        &mut self,
        table: &CustomerTable,
        config: &GroupConfig,
        ranked: &Ranked,
    ) -> bool {
        let customers = &table.customers;
        let Some(head) = &self.head else {
            self.head = Some(head_of(table, config, ranked));
            return true;
        };
        let Ok(head) = head else {
            return false;
        };
        if head.declining && self.declining.is_none() {
            let Some(periods) = &head.periods else {
                return false;
            };
            let keep = 1.0 - config.decline_threshold;
            let sums = PeriodSums::new(periods);
            let read = self.declining_flags.len();
            if read < customers.len() {
                // Each customer's months read in the table's order (where they lie in memory one
                // after the other), then kept in the ranking's order: reading them in the
                // ranking's order cost a cache miss or two per customer.
                let piece = customers.get(read..).unwrap_or_default();
                self.declining_flags
                    .extend(piece.iter().take(DECLINE_PIECE).map(|customer| {
                        // Without sales in both periods, a customer is not declining.
                        if !sums.may_have_both(customer) {
                            return false;
                        }
                        let sales = sums.of(customer);
                        let tolerance = RELATIVE_TOLERANCE * sales.previous_sales.abs();
                        sales.previous_sales > AMOUNT_TOLERANCE
                            && sales.latest_profit > AMOUNT_TOLERANCE
                            && sales.latest_sales <= keep * sales.previous_sales + tolerance
                    }));
                return true;
            }
            let flags = &self.declining_flags;
            self.declining = Some(members_where(ranked, |i| {
                flags.get(i).copied().unwrap_or(false)
            }));
            self.declining_flags = Vec::new();
            return true;
        }
        if !table.columns.profit || self.transaction.is_some() {
            return false;
        }
        // Each customer's margin read in the table's order, with NaN for a customer that cannot
        // be in the group (no margin, or too many orders), a [`MARGIN_PIECE`] of customers a
        // piece; then the group kept in the ranking's order from this column: reading the
        // records in the ranking's order cost a cache miss or two per customer.
        let (candidates, margins) =
            (self.margins).get_or_insert_with(|| (Vec::with_capacity(customers.len()), Vec::new()));
        if candidates.len() < customers.len() {
            let piece = customers.get(candidates.len()..).unwrap_or_default();
            for customer in piece.iter().take(MARGIN_PIECE) {
                candidates.push(match customer_margin(customer) {
                    Some(margin) => {
                        margins.push(margin);
                        if customer.orders <= config.transaction_max_orders {
                            margin
                        } else {
                            f64::NAN
                        }
                    }
                    None => f64::NAN,
                });
            }
            return true;
        }
        let Some(limit) = self.limit else {
            let mut limit = None;
            if !margins.is_empty() {
                let sizes = decile_sizes(margins.len());
                let count: usize = sizes[..usize::from(config.transaction_margin_decile)]
                    .iter()
                    .sum();
                let (_, nth, _) = margins.select_nth_unstable_by(count - 1, f64::total_cmp);
                limit = Some(*nth);
            }
            self.limit = Some(limit);
            return true;
        };
        self.transaction = Some(match limit {
            Some(limit) => {
                // NaN is never at or below the limit.
                let (members, sales) =
                    members_where(ranked, |i| candidates.get(i).is_some_and(|&m| m <= limit));
                (members, Some(limit / MARGIN_STEPS), sales)
            }
            None => (Vec::new(), None, 0.0),
        });
        self.margins = None;
        true
    }

    /// The groups, once [`GroupSteps::step`] has returned false.
    pub(super) fn finish(self) -> Result<Groups> {
        let head = self.head.ok_or(Error::NoData)??;
        let (transaction, transaction_margin_limit, transaction_sales) =
            self.transaction.unwrap_or_default();
        let (declining, declining_sales) = self.declining.unwrap_or_default();
        Ok(Groups {
            retain: head.retain,
            grow: head.grow,
            declining,
            transaction,
            status: head.status,
            config: head.used,
            periods: head.periods,
            transaction_margin_limit,
            member_sales: Some([
                head.retain_sales,
                head.grow_sales,
                declining_sales,
                transaction_sales,
            ]),
        })
    }
}

/// The customers of the sales ranking `ranked` for whom `keep` is true, in its order, and their
/// sales summed in that order.
fn members_where(ranked: &Ranked, keep: impl Fn(usize) -> bool) -> (Vec<usize>, f64) {
    let mut members = Vec::new();
    // As `Iterator::sum` begins.
    let mut sales = -0.0;
    for (&i, &value) in ranked.order.iter().zip(&ranked.values) {
        if keep(i) {
            members.push(i);
            sales += value;
        }
    }
    (members, sales)
}

/// The retain and grow groups, the periods and which groups can be computed.
fn head_of(table: &CustomerTable, config: &GroupConfig, ranked: &Ranked) -> Result<Head> {
    let customers = &table.customers;
    let mut status = GroupStatuses::default();
    let (mut retain, mut grow) = (Vec::new(), Vec::new());
    let (mut retain_sales, mut grow_sales) = (0.0, 0.0);
    if ranked.total_is_positive() {
        let retain_end = ranked.reach_counts(&[config.retain_sales_share])[0];
        retain = ranked.order.get(..retain_end).unwrap_or_default().to_vec();
        retain_sales = ranked
            .values
            .get(..retain_end)
            .unwrap_or_default()
            .iter()
            .sum();
        let end = ranked.reach_counts(&[config.grow_to_share])[0];
        let start = ranked.below_count(config.grow_from_share).min(end);
        grow = ranked.order.get(start..end).unwrap_or_default().to_vec();
        grow_sales = ranked
            .values
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .sum();
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
                .map(|day| day.saturating_plus_days(1)),
        };
        used.analysis_day = analysis_day;
        analysis_day
            .map(|day| periods_for(day, config.period_months))
            .transpose()?
    } else {
        None
    };

    // Dated customers without a single month: a per-customer summary, which has no periods.
    let no_months = !customers.is_empty() && customers.iter().all(|c| c.months.is_empty());
    let mut declining = false;
    match (&periods, table.columns.profit) {
        (None, _) => status.declining = GroupStatus::NoDateColumn,
        (Some(_), _) if no_months => status.declining = GroupStatus::NoMonthlySales,
        (Some(_), false) => status.declining = GroupStatus::NoProfitColumn,
        (Some(_), true) => declining = true,
    }
    if !table.columns.profit {
        status.transaction = GroupStatus::NoProfitColumn;
    }
    Ok(Head {
        retain,
        grow,
        retain_sales,
        grow_sales,
        status,
        used,
        periods,
        declining,
    })
}

/// Margin of a customer with positive sales, rounded to [`MARGIN_STEPS`] (scaled).
pub(super) fn customer_margin(customer: &Customer) -> Option<f64> {
    (customer.sales >= AMOUNT_TOLERANCE)
        .then(|| snapped(customer.profit / customer.sales, MARGIN_STEPS))
        .filter(|m| !m.is_nan())
}

pub(super) fn periods_for(analysis_day: Day, months: u32) -> Result<Periods> {
    let out_of_range = || parameter("analysis_day", ParameterProblem::DayOutOfRange);
    if !(DAY_RANGE.0..=DAY_RANGE.1.plus_days(1)).contains(&analysis_day) {
        return Err(out_of_range());
    }
    let months = months as i32;
    let last = analysis_day.plus_days(-1).month();
    let latest = MonthSpan::new(last.plus_months(1 - months), last);
    let previous = MonthSpan::new(last.plus_months(1 - 2 * months), last.plus_months(-months));
    match (latest, previous) {
        (Some(latest), Some(previous)) => Ok(Periods {
            analysis_day,
            latest,
            previous,
        }),
        _ => Err(out_of_range()),
    }
}
