//! Deciles, value slices and the Lorenz curve (十分位, 价值切片, 洛伦兹曲线): customers ranked by a basis and
//! cut into ten.

use super::*;

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
