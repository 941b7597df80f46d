//! A line attribute's (customer, value) pairs packed as they travel in the import's `Done`
//! frame ([`PackedPairs`]): each customer's pair count, each pair's code and order count as
//! varints, and its net sales and profit as whole cents when that gives the number back to the
//! bit ([`put_sum`]), else as the eight bytes of the `f64`.
//!
//! At ten million rows with a category (8.3 million pairs) the columns of a [`LineAttribute`]
//! are 200 MB and their postcard bytes 170 MB; packed they are about 70 MB. The import worker
//! packs the pairs as it groups them (so the columns are never made there: its memory never
//! shrinks, and the frame is written while it is at its largest), and the page unpacks them
//! into columns a slice at a time.

use super::lines::LineAttribute;

/// The pairs of one line attribute, packed: five byte columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackedPairs {
    /// Customers (one pair count each).
    pub customers: usize,
    /// Pairs (one code, sales, profit and order count each).
    pub pairs: usize,
    /// The largest code plus one (0 without pairs): every code names a value when this is at
    /// most the number of values.
    pub codes_end: usize,
    /// Per customer: its number of pairs (varint).
    pub counts: Vec<u8>,
    /// Per pair: the value's code (varint).
    pub codes: Vec<u8>,
    /// Per pair: net sales ([`put_sum`]).
    pub sales: Vec<u8>,
    /// Per pair: net profit ([`put_sum`]).
    pub profit: Vec<u8>,
    /// Per pair: orders with a matching line (varint).
    pub orders: Vec<u8>,
}

impl PackedPairs {
    /// Empty, with room for about `customers` customers and `pairs` pairs.
    pub fn with_capacity(customers: usize, pairs: usize) -> Self {
        PackedPairs {
            counts: Vec::with_capacity(customers),
            codes: Vec::with_capacity(pairs),
            sales: Vec::with_capacity(3 * pairs),
            profit: Vec::with_capacity(3 * pairs),
            orders: Vec::with_capacity(pairs),
            ..PackedPairs::default()
        }
    }

    /// The pairs of `line`'s columns, packed (`None` when its columns do not agree: a start
    /// past the pairs, or before the one before it).
    pub fn of(line: &LineAttribute) -> Option<Self> {
        let customers = line.starts.len().saturating_sub(1);
        let mut packed = PackedPairs::with_capacity(customers, line.codes.len());
        for bounds in line.starts.windows(2) {
            let (from, to) = (bounds[0] as usize, bounds[1] as usize);
            let codes = line.codes.get(from..to)?;
            let sales = line.sales.get(from..to)?;
            let profit = line.profit.get(from..to)?;
            let orders = line.orders.get(from..to)?;
            for (((&code, &sales), &profit), &orders) in
                codes.iter().zip(sales).zip(profit).zip(orders)
            {
                packed.push_pair(code, sales, profit, orders);
            }
            packed.end_customer(to - from);
        }
        Some(packed)
    }

    /// Adds a pair of the customer being packed.
    pub fn push_pair(&mut self, code: u32, sales: f64, profit: f64, orders: u32) {
        put_varint(&mut self.codes, u64::from(code));
        put_sum(&mut self.sales, sales);
        put_sum(&mut self.profit, profit);
        put_varint(&mut self.orders, u64::from(orders));
        self.pairs += 1;
        self.codes_end = self.codes_end.max(code as usize + 1);
    }

    /// Ends a customer whose `count` pairs were pushed.
    pub fn end_customer(&mut self, count: usize) {
        put_varint(&mut self.counts, count as u64);
        self.customers += 1;
    }

    /// The five columns, in the order they travel.
    pub fn columns(&self) -> [&[u8]; 5] {
        [
            &self.counts,
            &self.codes,
            &self.sales,
            &self.profit,
            &self.orders,
        ]
    }
}

/// Appends `value` as a varint (7 bits a byte, least significant first; the last byte below
/// 128), as postcard writes its integers.
#[inline]
pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads a varint at `*at` of `bytes` (one that `put_varint` wrote: at most ten bytes, a value
/// that fits 64 bits), moving `*at` past it; `None` when the bytes end first or it is too long.
#[inline]
pub fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    // (A plain loop: `step_by` is not inlined in the page's size-optimised build.)
    let mut value = 0u64;
    let mut shift = 0u32;
    loop {
        let byte = *bytes.get(*at)?;
        *at += 1;
        if shift == 63 && byte > 1 {
            return None;
        }
        value |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// Cents that are exact in `f64` (below 2^53 in size).
const CENTS_LIMIT: f64 = 9_007_199_254_740_992.0;

/// Appends a sum: `2 × zigzag(cents)` as a varint when `cents / 100` is `value` to the bit (the
/// division is IEEE's, correctly rounded, so the reading gives the same bits on every
/// machine); otherwise the varint 1 and the eight little-endian bytes of `value` (negative
/// zero, NaN, fractions of a cent, sums whose rounding drifted off the cent).
pub fn put_sum(out: &mut Vec<u8>, value: f64) {
    match tagged_cents(value) {
        Some(tagged) => put_varint(out, tagged),
        None => {
            out.push(1);
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
}

/// The bytes [`put_sum`] writes for `value`.
pub fn sum_len(value: f64) -> usize {
    tagged_cents(value).map_or(SUM_BYTES, varint_len)
}

/// The bytes [`put_varint`] writes for `value`.
pub fn varint_len(value: u64) -> usize {
    (64 - (value | 1).leading_zeros() as usize).div_ceil(7)
}

/// `2 × zigzag(cents)` when `value` is whole cents to the bit ([`put_sum`]).
fn tagged_cents(value: f64) -> Option<u64> {
    let cents = (value * 100.0).round();
    if cents.abs() < CENTS_LIMIT {
        let whole = cents as i64;
        if (whole as f64 / 100.0).to_bits() == value.to_bits() {
            let zigzag = ((whole << 1) ^ (whole >> 63)) as u64;
            return Some(zigzag << 1);
        }
    }
    None
}

/// Reads a sum that [`put_sum`] wrote at `*at` of `bytes`, moving `*at` past it; `None` when the
/// bytes end first or are no such sum.
#[inline]
pub fn get_sum(bytes: &[u8], at: &mut usize) -> Option<f64> {
    // Most sums are three bytes (up to ±5,242.87) or fewer: read in place.
    let tagged = match bytes.get(*at..).unwrap_or_default() {
        [a, ..] if *a < 0x80 => {
            *at += 1;
            u64::from(*a)
        }
        [a, b, ..] if *b < 0x80 => {
            *at += 2;
            u64::from(a & 0x7F) | (u64::from(*b) << 7)
        }
        [a, b, c, ..] if *c < 0x80 => {
            *at += 3;
            u64::from(a & 0x7F) | (u64::from(b & 0x7F) << 7) | (u64::from(*c) << 14)
        }
        _ => get_varint(bytes, at)?,
    };
    if tagged == 1 {
        let raw = bytes.get(*at..*at + 8)?;
        *at += 8;
        let mut eight = [0u8; 8];
        eight.copy_from_slice(raw);
        return Some(f64::from_le_bytes(eight));
    }
    if tagged & 1 == 1 || tagged >> 1 > (1 << 54) {
        return None;
    }
    let zigzag = tagged >> 1;
    let whole = ((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64);
    Some(whole as f64 / 100.0)
}

/// Bytes a sum takes at most.
pub const SUM_BYTES: usize = 9;

/// Bytes a `u32` varint takes at most.
pub const VARINT_BYTES: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_support::xorshift;

    fn round_trip(value: f64) -> (f64, usize) {
        let mut out = Vec::new();
        put_sum(&mut out, value);
        let mut at = 0;
        let back = get_sum(&out, &mut at).unwrap();
        assert_eq!(at, out.len(), "{value:?} read whole");
        (back, out.len())
    }

    /// Every sum comes back to the bit: cents in few bytes, anything else in nine.
    #[test]
    fn sums_come_back_to_the_bit() {
        let mut next = xorshift(11);
        let mut values = vec![
            0.0,
            -0.0,
            0.01,
            -0.01,
            315.45,
            -121.2,
            0.1 + 0.2,
            1e-7,
            123.456,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            // Around the largest whole cents.
            ((1u64 << 53) - 1) as f64 / 100.0,
            (1u64 << 53) as f64 / 100.0,
            -((1u64 << 53) as f64) / 100.0,
            (1u64 << 53) as f64,
        ];
        for _ in 0..20_000 {
            let cents = (next() % 2_000_000) as i64 - 1_000_000;
            values.push(cents as f64 / 100.0);
            values.push(f64::from_bits(next()));
            // Sums of a few cents, as a pair's lines add up (some drift off the cent).
            let sum: f64 = (0..(next() % 5))
                .map(|_| (next() % 100_000) as f64 / 100.0)
                .sum();
            values.push(sum);
        }
        for value in values {
            let (back, len) = round_trip(value);
            assert_eq!(back.to_bits(), value.to_bits(), "{value:?}");
            assert!(len <= SUM_BYTES);
            assert_eq!(sum_len(value), len, "{value:?}");
        }
        assert_eq!(round_trip(315.45).1, 3);
        assert_eq!(round_trip(0.0).1, 1);
        assert_eq!(round_trip(-0.0).1, 9);
        assert_eq!(round_trip(f64::NAN).1, 9);
        assert!(round_trip(f64::NAN).0.is_nan());
    }

    /// Bytes that are no sum are refused, never a panic: an odd tag other than 1, a cut.
    #[test]
    fn bad_sums_are_refused() {
        for bytes in [&[3u8][..], &[1, 0, 0], &[0x80], &[], &[0xFF; 11]] {
            let mut at = 0;
            assert_eq!(get_sum(bytes, &mut at), None, "{bytes:?}");
        }
    }

    /// Varints as postcard writes them.
    #[test]
    fn varints_are_postcards() {
        let mut next = xorshift(5);
        for value in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ]
        .into_iter()
        .chain((0..1000).map(|_| next() >> (next() % 64)))
        {
            let mut ours = Vec::new();
            put_varint(&mut ours, value);
            assert_eq!(ours, postcard::to_allocvec(&value).unwrap());
            let mut at = 0;
            assert_eq!(get_varint(&ours, &mut at), Some(value));
            assert_eq!(at, ours.len());
            assert_eq!(varint_len(value), ours.len());
        }
    }
}
