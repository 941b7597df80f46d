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

use serde::{Deserialize, Serialize};

use super::calendar::{Day, Month, DAY_RANGE};
use super::customers::{Customer, CustomerTable};
use super::error::{CountUnit, Error, FractionOf, ParameterProblem, Result};
use super::export::csv_document;
use super::numeric::{ascending_bits, parameter, snapped, Sum, AMOUNT_STEPS, ZERO_TOLERANCE};

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

mod analysis;
mod export;
mod groups;
mod ranking;
mod shares;

pub use analysis::*;
pub use export::*;
pub use groups::*;
use ranking::*;
pub use shares::*;

#[cfg(test)]
mod tests;
