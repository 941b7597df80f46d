//! Synthetic order lines (合成订单数据): the import benchmark's data (`bench/generate.rs`) and the
//! import worker's warm-up, from a seed, the same bytes on every platform.
//!
//! `customer_id,order_id,order_date,amount,profit,quantity` (UTF-8, `\n`, a header row), about 43
//! bytes a line, shaped like a shop's order-line export:
//! - customers drawn with a Zipf-like skew from an id space of the given size, so a few customers
//!   place many orders and the tail one or two, and not every id occurs;
//! - orders of 1–3 lines in file order, order ids increasing, dates rising over two years
//!   (2023-01-01 to 2024-12-30), ISO format;
//! - amounts log-normal around 40 with cents, profit 5–35 % of the amount, quantity 1–9;
//! - about 3 % of the lines are returns: negative amount and profit.
//!
//! With [`OrderShape::WithDimensions`] two more columns follow (`region,category`): a customer
//! attribute of 30 values, the same for every line of a customer (a hash of its id), and a line
//! attribute of 50 values drawn per line from a generator of its own, so the first six columns
//! are the same bytes as without them.

use std::io::{self, Write};

use super::SplitMix64;

/// The header row.
pub const ORDER_COLUMNS: &str = "customer_id,order_id,order_date,amount,profit,quantity";
/// The two columns [`OrderShape::WithDimensions`] adds after [`ORDER_COLUMNS`].
pub const DIMENSION_COLUMNS: &str = "region,category";
/// Values of the `region` column (a customer attribute).
const REGIONS: u64 = 30;
/// Values of the `category` column (a line attribute).
const CATEGORIES: u64 = 50;

/// Which columns the lines have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderShape {
    /// [`ORDER_COLUMNS`] only.
    Plain,
    /// [`ORDER_COLUMNS`], then [`DIMENSION_COLUMNS`].
    WithDimensions,
}
/// Days the order dates span.
const DAYS: u64 = 730;
/// The largest line amount, in cents (99,999.99).
const MAX_LINE_CENTS: i64 = 9_999_999;
/// Share of lines that are returns.
const RETURN_SHARE: f64 = 0.03;

/// Uniform in `0..n` (`n > 0`).
fn below(rng: &mut SplitMix64, n: u64) -> u64 {
    ((u128::from(rng.next_u64()) * u128::from(n)) >> 64) as u64
}

/// Standard normal (Box–Muller, one of the pair).
fn standard_normal(rng: &mut SplitMix64) -> f64 {
    let u1 = 1.0 - rng.unit();
    let u2 = rng.unit();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// `YYYY-MM-DD` for each day from 2023-01-01 on.
fn date_texts() -> Vec<String> {
    let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    (0..DAYS)
        .map(|d| {
            (start + chrono::Duration::days(d as i64))
                .format("%Y-%m-%d")
                .to_string()
        })
        .collect()
}

/// Cents as `-12.34`.
fn write_money(out: &mut impl Write, cents: i64) -> io::Result<()> {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    write!(out, "{sign}{}.{:02}", cents / 100, cents % 100)
}

/// Writes `rows` order lines (after the header) of customers drawn from `customers` ids;
/// returns how many distinct customers occur.
///
/// # Examples
/// ```
/// use valuelens::engine::sample::write_orders;
/// let mut csv = Vec::new();
/// let customers = write_orders(&mut csv, 100, 10, 7)?;
/// assert_eq!(csv.iter().filter(|&&b| b == b'\n').count(), 101);
/// assert!((1..=10).contains(&customers));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_orders(out: &mut impl Write, rows: u64, customers: u64, seed: u64) -> io::Result<u64> {
    write_orders_shaped(out, rows, customers, seed, OrderShape::Plain)
}

/// [`write_orders`] with the columns of `shape`: the same first six columns for the same
/// arguments, whatever the shape.
pub fn write_orders_shaped(
    out: &mut impl Write,
    rows: u64,
    customers: u64,
    seed: u64,
    shape: OrderShape,
) -> io::Result<u64> {
    let mut rng = SplitMix64(seed);
    let mut categories = SplitMix64(seed ^ 0x00CA_7E60_21E5);
    let dates = date_texts();
    let customers = customers.max(1);
    let id_width = customers.saturating_sub(1).to_string().len().max(6);
    let order_width = (rows / 2).to_string().len().max(7);
    let mut seen = vec![false; usize::try_from(customers).unwrap_or(usize::MAX)];
    let mut distinct = 0u64;

    match shape {
        OrderShape::Plain => writeln!(out, "{ORDER_COLUMNS}")?,
        OrderShape::WithDimensions => writeln!(out, "{ORDER_COLUMNS},{DIMENSION_COLUMNS}")?,
    }
    let mut written = 0u64;
    let mut order = 0u64;
    while written < rows {
        order += 1;
        // Zipf-like: index = C·u² puts density ∝ 1/√x on the ids, heavy at the front.
        let u = rng.unit();
        let customer = ((customers as f64 * u * u) as u64).min(customers - 1);
        if let Some(seen) = seen.get_mut(customer as usize).filter(|seen| !**seen) {
            *seen = true;
            distinct += 1;
        }
        let day = (written * DAYS / rows).min(DAYS - 1);
        let date = dates.get(day as usize).map_or("", String::as_str);
        let lines = 1 + below(&mut rng, 3);
        for _ in 0..lines.min(rows - written) {
            let unit_cents = ((3.7 + 0.8 * standard_normal(&mut rng)).exp() * 100.0).round() as i64;
            let quantity = 1 + below(&mut rng, 9) as i64;
            let mut amount = (unit_cents.max(1) * quantity).min(MAX_LINE_CENTS);
            let margin = 0.05 + 0.30 * rng.unit();
            let mut profit = (amount as f64 * margin).round() as i64;
            if rng.unit() < RETURN_SHARE {
                amount = -amount;
                profit = -profit;
            }
            write!(out, "C{customer:0id_width$},O{order:0order_width$},{date},")?;
            write_money(out, amount)?;
            out.write_all(b",")?;
            write_money(out, profit)?;
            match shape {
                OrderShape::Plain => writeln!(out, ",{quantity}")?,
                OrderShape::WithDimensions => {
                    let region = 1 + SplitMix64(customer).next_u64() % REGIONS;
                    let category = 1 + below(&mut categories, CATEGORIES);
                    writeln!(out, ",{quantity},Region {region:02},Category {category:02}")?;
                }
            }
            written += 1;
        }
    }
    Ok(distinct)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, InspectOptions};

    #[test]
    fn the_lines_import_without_a_reject_and_as_many_customers_as_said() {
        let mut csv = Vec::new();
        let customers = write_orders(&mut csv, 5_000, 800, 11).unwrap();
        let outcome = import_bytes(&csv, &InspectOptions::default()).unwrap();
        assert_eq!(outcome.report.rows_read, 5_000);
        assert_eq!(outcome.report.rows_rejected, 0);
        assert_eq!(outcome.table.customers.len() as u64, customers);
        assert!(
            outcome.report.return_rows > 50,
            "{}",
            outcome.report.return_rows
        );
        let mut again = Vec::new();
        write_orders(&mut again, 5_000, 800, 11).unwrap();
        assert_eq!(csv, again);
    }

    #[test]
    fn the_dimensions_are_guessed_and_keep_the_other_columns() {
        let mut plain = Vec::new();
        write_orders(&mut plain, 5_000, 800, 11).unwrap();
        let mut shaped = Vec::new();
        write_orders_shaped(&mut shaped, 5_000, 800, 11, OrderShape::WithDimensions).unwrap();
        let plain = String::from_utf8(plain).unwrap();
        let shaped = String::from_utf8(shaped).unwrap();
        for (a, b) in plain.lines().zip(shaped.lines()).skip(1) {
            assert_eq!(b.rsplitn(3, ',').nth(2), Some(a));
        }
        let outcome = import_bytes(shaped.as_bytes(), &InspectOptions::default()).unwrap();
        assert_eq!(outcome.report.rows_rejected, 0);
        let attributes = outcome.attributes.as_deref().unwrap();
        assert_eq!(attributes.attributes.len(), 1);
        assert_eq!(attributes.attributes[0].values.len(), REGIONS as usize);
        let lines = outcome.lines.as_deref().unwrap();
        assert_eq!(lines.lines.len(), 1);
        assert_eq!(lines.lines[0].values.len(), CATEGORIES as usize);
    }
}
