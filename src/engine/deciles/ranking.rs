//! Internals: the ranking, the cuts and the sums behind every share (the zero rule is
//! `engine::numeric`).

use super::*;
use crate::engine::numeric::{step_count_key, KeyPacker, Packed, StableSort};

pub(super) fn check_basis(table: &CustomerTable, basis: DecileBasis) -> Result<()> {
    if table.customers.is_empty() {
        return Err(Error::NoData);
    }
    if basis == DecileBasis::Profit && !table.columns.profit {
        return Err(parameter("basis", ParameterProblem::NoProfitColumn));
    }
    Ok(())
}

/// Indices ranked by `basis` descending, ties by id ascending (then by index, for duplicate ids).
pub(super) fn ranking(customers: &[Customer], basis: DecileBasis) -> Vec<usize> {
    Ranked::new(customers, basis).order
}

/// True when the customers' ids ascend (as tables come): then the index already orders ties.
pub(super) fn sorted_by_id(customers: &[Customer]) -> bool {
    customers.windows(2).all(|w| w[0].id <= w[1].id)
}

/// Neighbouring customers' ids compared per step of [`ById::step`] (comparing the ids of a
/// million customers, records far apart in memory, took 60–70 ms of the page's thread at once;
/// a piece of 131,072 took 16 ms on a slow machine, so a quarter of that now).
const BY_ID_PIECE: usize = if cfg!(test) { 3 } else { 1 << 15 };

/// Customers whose values a piece of [`Ranking::advance`] reads, and values it gathers in the
/// ranking's order: each a pass over a million customers of 30–65 ms at once on a slow machine,
/// an eighth of that a piece. The unit tests take 4 a piece, so that the pieces' joins are
/// checked.
const COLUMN_PIECE: usize = if cfg!(test) { 4 } else { 1 << 17 };

/// [`sorted_by_id`] a piece at a time.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ById {
    /// The next customer to compare with the one before.
    next: usize,
    /// The answer, once known.
    done: Option<bool>,
}

impl ById {
    /// The answer once known (nothing is compared then); else compares the next piece and
    /// gives `None`. The same customers at every call.
    pub(super) fn step(&mut self, customers: &[Customer]) -> Option<bool> {
        if self.done.is_some() {
            return self.done;
        }
        let from = self.next.max(1);
        let to = (from + BY_ID_PIECE).min(customers.len());
        let sorted = customers
            .get(from.saturating_sub(1)..to)
            .unwrap_or_default()
            .windows(2)
            .all(|w| w[0].id <= w[1].id);
        self.next = to;
        if !sorted {
            self.done = Some(false);
        } else if to >= customers.len() {
            self.done = Some(true);
        }
        None
    }
}

/// Maps a float to an integer that orders like [`f64::total_cmp`] reversed (largest first).
pub(super) fn descending_bits(value: f64) -> u64 {
    !ascending_bits(value)
}

/// One basis, ranked: the order, the values in that order, and their total.
pub(super) struct Ranked {
    pub(super) order: Vec<usize>,
    pub(super) values: Vec<f64>,
    pub(super) total: Sum,
}

/// A [`Ranked`] computed in pieces, each a pass over every customer or a byte of the sort
/// ([`Ranking::advance`]), so that a caller can do other work between them (the page's thread
/// at a million customers: each piece 5–25 ms, the whole ranking 60–100 ms).
pub(super) enum Ranking {
    /// Nothing computed yet.
    Start(DecileBasis),
    /// The values being read in the table's order, a [`COLUMN_PIECE`] of customers a piece
    /// (their records one after the other; the whole pass took 30–65 ms of the page's thread at
    /// ten million rows on a slow machine).
    Reading {
        basis: DecileBasis,
        column: Vec<f64>,
    },
    /// The values' counts of steps being packed with their indices, a [`COLUMN_PIECE`] a piece
    /// (tables sorted by id).
    Packing {
        column: Vec<f64>,
        packer: KeyPacker,
    },
    /// The values read once in the table's order (the records one after the other), and their
    /// keys paired with their indices.
    Keyed {
        column: Vec<f64>,
        keyed: Vec<(u64, usize)>,
    },
    /// The pairs being sorted, a byte of the keys a piece (tables sorted by id).
    Sorting {
        column: Vec<f64>,
        sort: StableSort<usize>,
    },
    /// Keys and indices packed into one integer each ([`KeyPacker`]: half the memory of the
    /// pairs) being sorted, a byte a piece (tables sorted by id whose values span few enough
    /// steps).
    PackedSorting {
        column: Vec<f64>,
        sort: StableSort<()>,
        index_bits: u32,
    },
    /// The pairs sorted.
    Sorted {
        column: Vec<f64>,
        keyed: Vec<(u64, usize)>,
    },
    /// The order known; the values being taken from the column in that order, a
    /// [`COLUMN_PIECE`] a piece (each a read far from the last), and summed as they come.
    Gathering {
        column: Vec<f64>,
        order: Vec<usize>,
        values: Vec<f64>,
        total: Sum,
    },
    Done(Ranked),
    /// Done, and dropped: every piece computed from it is kept elsewhere.
    Spent,
}

impl Ranking {
    /// Computes the next piece; false (and nothing computed) once [`Ranking::Done`]. `by_id` is
    /// [`sorted_by_id`] of `customers`, which must be the same customers at every call.
    pub(super) fn advance(&mut self, customers: &[Customer], by_id: bool) -> bool {
        if matches!(self, Ranking::Done(_) | Ranking::Spent) {
            return false;
        }
        let next = match std::mem::replace(self, Ranking::Start(DecileBasis::Sales)) {
            Ranking::Start(basis) => Ranking::Reading {
                basis,
                column: read_values(Vec::with_capacity(customers.len()), customers, basis),
            },
            Ranking::Reading { basis, column } if column.len() < customers.len() => {
                Ranking::Reading {
                    basis,
                    column: read_values(column, customers, basis),
                }
            }
            // Largest first: the counts' keys flipped. Ties by index, so only for tables sorted
            // by id.
            Ranking::Reading { column, .. } if by_id => Ranking::Packing {
                packer: KeyPacker::with_capacity(column.len()),
                column,
            },
            Ranking::Reading { column, .. } => keyed(column),
            Ranking::Packing { column, mut packer } => {
                let piece = column.get(packer.len()..).unwrap_or_default();
                for &value in piece.iter().take(COLUMN_PIECE) {
                    match step_count_key(value) {
                        Some(key) => packer.push(!key),
                        // A value without a count of steps: the pairs of the values' bits.
                        None => {
                            *self = keyed(column);
                            return true;
                        }
                    }
                }
                if packer.len() < column.len() {
                    Ranking::Packing { column, packer }
                } else {
                    match packer.finish() {
                        Some(packed) => Ranking::PackedSorting {
                            column,
                            sort: StableSort::new(packed.items),
                            index_bits: packed.index_bits,
                        },
                        None => keyed(column),
                    }
                }
            }
            Ranking::Keyed { column, mut keyed } => {
                // Tables come sorted by id: then the index already orders ties, and the pairs
                // sort as plain integers (a radix sort, stable, of pairs whose indices rise,
                // a byte a piece), without comparing text. (Checking only the tied customers'
                // ids after the radix sort was tried: it reads their records in the ranking's
                // order, and was slower at a million customers.)
                if by_id {
                    let mut sort = StableSort::new(keyed);
                    match sort.pass() {
                        true => Ranking::Sorting { column, sort },
                        false => Ranking::Sorted {
                            column,
                            keyed: sort.into_sorted(),
                        },
                    }
                } else {
                    keyed.sort_unstable_by(|a, b| {
                        a.0.cmp(&b.0)
                            .then_with(|| customers[a.1].id.cmp(&customers[b.1].id))
                            .then(a.1.cmp(&b.1))
                    });
                    Ranking::Sorted { column, keyed }
                }
            }
            Ranking::Sorting { column, mut sort } => match sort.pass() {
                true => Ranking::Sorting { column, sort },
                // Sorted: the values are gathered next.
                false => gathered(column, sort.into_sorted()),
            },
            Ranking::PackedSorting {
                column,
                mut sort,
                index_bits,
            } => match sort.pass() {
                true => Ranking::PackedSorting {
                    column,
                    sort,
                    index_bits,
                },
                false => {
                    let order = (sort.into_sorted().into_iter())
                        .map(|(item, ())| Packed::index(item, index_bits));
                    gathered_order(column, order.collect())
                }
            },
            Ranking::Sorted { column, keyed } => gathered(column, keyed),
            Ranking::Gathering {
                column,
                order,
                mut values,
                mut total,
            } => {
                let from = values.len();
                let piece = order.get(from..).unwrap_or_default();
                for &i in piece.iter().take(COLUMN_PIECE) {
                    let value = column.get(i).copied().unwrap_or(0.0);
                    values.push(value);
                    total.add(value);
                }
                if values.len() < order.len() {
                    Ranking::Gathering {
                        column,
                        order,
                        values,
                        total,
                    }
                } else {
                    Ranking::Done(Ranked {
                        order,
                        values,
                        total,
                    })
                }
            }
            done @ (Ranking::Done(_) | Ranking::Spent) => done,
        };
        *self = next;
        true
    }

    /// The ranking, once [`Ranking::advance`] has returned false.
    pub(super) fn ranked(&self) -> Option<&Ranked> {
        match self {
            Ranking::Done(ranked) => Some(ranked),
            _ => None,
        }
    }
}

/// The ranking of `keyed` (sorted pairs of keys and indices into `column`): the values taken in
/// the ranking's order from the compact column, not from the records.
fn gathered(column: Vec<f64>, keyed: Vec<(u64, usize)>) -> Ranking {
    gathered_order(column, keyed.into_iter().map(|(_, i)| i).collect())
}

/// The values of `column` paired with their indices, keyed by their bits (largest first).
fn keyed(column: Vec<f64>) -> Ranking {
    let key = |value: f64| descending_bits(snapped(value, AMOUNT_STEPS));
    let keyed = (0..).zip(&column).map(|(i, &v)| (key(v), i)).collect();
    Ranking::Keyed { column, keyed }
}

/// The ranking of the indices `order` into `column`, its values to be gathered
/// ([`Ranking::Gathering`]).
fn gathered_order(column: Vec<f64>, order: Vec<usize>) -> Ranking {
    Ranking::Gathering {
        values: Vec::with_capacity(order.len()),
        column,
        order,
        total: Sum::default(),
    }
}

/// `column` with the values by `basis` of the next [`COLUMN_PIECE`] of `customers` after those
/// it holds.
fn read_values(mut column: Vec<f64>, customers: &[Customer], basis: DecileBasis) -> Vec<f64> {
    let piece = customers.get(column.len()..).unwrap_or_default();
    column.extend(piece.iter().take(COLUMN_PIECE).map(|c| basis.value(c)));
    column
}

impl Ranked {
    pub(super) fn new(customers: &[Customer], basis: DecileBasis) -> Ranked {
        let by_id = sorted_by_id(customers);
        let mut ranking = Ranking::Start(basis);
        while ranking.advance(customers, by_id) {}
        match ranking {
            Ranking::Done(ranked) => ranked,
            // `advance` returns false only once done.
            _ => Ranked {
                order: Vec::new(),
                values: Vec::new(),
                total: Sum::default(),
            },
        }
    }

    pub(super) fn total_is_positive(&self) -> bool {
        self.total.value > 0.0 && !self.total.is_zero()
    }

    /// How many customers, largest first, have a cumulative value of at most `share × total`
    /// (within the tolerance): none of their value lies above that cut.
    pub(super) fn below_count(&self, share: f64) -> usize {
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
    pub(super) fn reach_counts(&self, shares: &[f64]) -> Vec<usize> {
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

pub(super) fn deciles_of(table: &CustomerTable, order: &[usize]) -> Vec<Decile> {
    deciles_sized(table, order, decile_sizes(order.len()))
}

/// The deciles of `order` cut into groups of `sizes` (which add up to `order.len()`; a group
/// past the end is empty).
pub(super) fn deciles_sized(
    table: &CustomerTable,
    order: &[usize],
    sizes: [usize; DECILES],
) -> Vec<Decile> {
    DecileCut::new(sizes).finish(table, order)
}

/// Customers a piece of [`DecileCut::step`] sums (read in the ranking's order, far apart in
/// memory: the whole table took 50–55 ms of the page's thread at ten million rows on a slow
/// machine). The unit tests sum 3 a piece, so that the pieces' joins are checked.
const CUT_PIECE: usize = if cfg!(test) { 3 } else { 1 << 17 };

/// One decile's sums.
struct Part {
    customers: usize,
    sales: Sum,
    profit: Sum,
    orders: u64,
}

/// [`deciles_sized`] a piece at a time: the groups' sums, each customer added in the order of
/// `order` as at once, then the deciles.
pub(super) struct DecileCut {
    sizes: [usize; DECILES],
    /// The groups begun.
    parts: Vec<Part>,
    /// Where the group being summed begins in `order`, and the next of its customers.
    start: usize,
    at: usize,
}

impl DecileCut {
    pub(super) fn new(sizes: [usize; DECILES]) -> DecileCut {
        DecileCut {
            sizes,
            parts: Vec::with_capacity(DECILES),
            start: 0,
            at: 0,
        }
    }

    /// Sums the next piece of the customers of `order` (the same at every call); false (and
    /// nothing summed) once every group is.
    pub(super) fn step(&mut self, table: &CustomerTable, order: &[usize]) -> bool {
        let customers = &table.customers;
        let mut budget = CUT_PIECE;
        // The group being summed: the last begun while its customers are not all summed.
        let group = match self.at > self.start {
            true => self.parts.len().saturating_sub(1),
            false => self.parts.len(),
        };
        let Some(&size) = self.sizes.get(group) else {
            return false;
        };
        let mut size = size;
        loop {
            if self.at == self.start {
                self.parts.push(Part {
                    customers: size,
                    sales: Sum::default(),
                    profit: Sum::default(),
                    orders: 0,
                });
            }
            let end = self.start.saturating_add(size);
            // A group past the end of `order` is empty.
            let members = match order.get(self.start..end) {
                Some(_) => order.get(self.at..end).unwrap_or_default(),
                None => &[],
            };
            let take = members.len().min(budget);
            if let Some(part) = self.parts.last_mut() {
                for customer in members[..take].iter().filter_map(|&i| customers.get(i)) {
                    part.sales.add(customer.sales);
                    part.profit.add(customer.profit);
                    part.orders += u64::from(customer.orders);
                }
            }
            budget -= take;
            if take < members.len() {
                self.at += take;
                return true;
            }
            // This group is summed: the next begins.
            (self.start, self.at) = (end, end);
            match self.sizes.get(self.parts.len()) {
                Some(&next) if budget > 0 => size = next,
                _ => return true,
            }
        }
    }

    /// The deciles of `order` (the same as at every step): the groups not summed yet are
    /// summed now.
    pub(super) fn finish(mut self, table: &CustomerTable, order: &[usize]) -> Vec<Decile> {
        while self.step(table, order) {}
        deciles_of_parts(table, self.parts, order.len())
    }
}

/// The deciles from their groups' sums, `n` customers in all.
fn deciles_of_parts(table: &CustomerTable, parts: Vec<Part>, n: usize) -> Vec<Decile> {
    let has_profit = table.columns.profit;
    // Totals summed in the same order as the cumulative sums, so the last share is exactly 1.
    let (mut total_sales, mut total_profit) = (Sum::default(), Sum::default());
    for part in &parts {
        total_sales.value += part.sales.value;
        total_sales.magnitude += part.sales.magnitude;
        total_profit.value += part.profit.value;
        total_profit.magnitude += part.profit.magnitude;
    }
    let n = n as f64;
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

pub(super) fn value_slices(ranked: &Ranked) -> Vec<ValueSlice> {
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

pub(super) fn lorenz_of(ranked: &Ranked, basis: DecileBasis) -> Lorenz {
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
