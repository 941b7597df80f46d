//! The numeric kernel every analysis shares (数值规则): the zero rule behind every share, the
//! keys amounts are ranked and compared by, and the small text helpers of error reporting (the
//! range of days an analysis may take is [`super::calendar::DAY_RANGE`]).
//!
//! # The zero rule
//! A total counts as zero when its magnitude is below [`ZERO_TOLERANCE`] (10⁻⁹ currency units),
//! or below 10⁻⁹ of the sum of the magnitudes that were added into it: `0.1 + 0.2 − 0.3` is
//! zero, and so is `1e12 − 1e12 + 1e-4` (noise of the summation), so a share of such a total is
//! `None`, never a huge or a signed-flipped ratio. [`Sum`] keeps both figures; [`ratio`] applies
//! the absolute half of the rule where only the total is known.

use super::Error;
use super::ParameterProblem;

/// A total counts as zero below this magnitude, or below this fraction of the sum of magnitudes.
pub const ZERO_TOLERANCE: f64 = 1e-9;

/// 2^53: every integer up to it is exact in `f64`, and above it [`snapped`] leaves values as
/// they are.
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// Amounts are ranked and compared rounded to this many steps per currency unit (a millionth).
pub const AMOUNT_STEPS: f64 = 1e6;

/// `value × steps` rounded to an integer, as a sort key: values equal up to floating-point
/// summation noise get equal keys. Beyond 2⁵³ (amounts above about 9 × 10⁹ with 10⁶ steps) the
/// scaled value is used as is; `-0.0` becomes `0.0`.
pub fn snapped(value: f64, steps: f64) -> f64 {
    let scaled = value * steps;
    let key = if scaled.abs() < EXACT_INTEGERS {
        scaled.round()
    } else {
        scaled
    };
    key + 0.0
}

/// Maps a float to an integer that orders like [`f64::total_cmp`]: equal integers exactly for
/// floats that order as equal, so rankings sort plain integers (`!` of it orders largest first).
pub fn ascending_bits(value: f64) -> u64 {
    let bits = value.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// Sorts `pairs` by their keys, keeping the order of pairs with equal keys (a stable sort):
/// pairs made with rising indices (`zip(0..)`, `enumerate`) come out as `sort_unstable` orders
/// `(key, index)` tuples. A least-significant-digit radix sort, a byte a pass, that skips the
/// bytes every key shares: plain loops that stay fast in the app's size-optimised build, where
/// a comparison sort calls its comparison for every step (RFM and deciles rank every customer
/// with it on the page). It needs a second buffer as long as `pairs` while it runs.
pub fn sort_by_key_stable<T: Copy>(pairs: &mut Vec<(u64, T)>) {
    let mut sort = StableSort::new(std::mem::take(pairs));
    while sort.pass() {}
    *pairs = sort.into_sorted();
}

/// [`sort_by_key_stable`] a pass at a time ([`StableSort::pass`]), so that a caller can do other
/// work between the passes (the page's thread, where a sort of a million pairs takes 30–70 ms).
#[derive(Debug)]
pub struct StableSort<T> {
    /// The pairs as sorted so far.
    from: Vec<(u64, T)>,
    /// The second buffer (empty until the first pass).
    to: Vec<(u64, T)>,
    /// The key bits that differ between pairs.
    varying: u64,
    /// The next byte to sort by.
    shift: u32,
}

impl<T: Copy> StableSort<T> {
    /// The sort of `pairs`; a short vector is sorted at once.
    pub fn new(mut pairs: Vec<(u64, T)>) -> Self {
        const SMALL: usize = 64;
        if pairs.len() <= SMALL {
            pairs.sort_by_key(|&(key, _)| key);
            return StableSort {
                from: pairs,
                to: Vec::new(),
                varying: 0,
                shift: 64,
            };
        }
        let (all, any) = pairs
            .iter()
            .fold((u64::MAX, 0u64), |(all, any), &(key, _)| {
                (all & key, any | key)
            });
        StableSort {
            from: pairs,
            to: Vec::new(),
            varying: all ^ any,
            shift: 0,
        }
    }

    /// Sorts by the next byte that varies; false (nothing done) once the pairs are sorted.
    /// (Counting every byte in one first pass was tried: slower in wasm, above all for keys
    /// where only a byte or two vary, as the RFM axes' do.)
    pub fn pass(&mut self) -> bool {
        while self.shift < 64 && (self.varying >> self.shift) & 0xff == 0 {
            self.shift += 8;
        }
        if self.shift >= 64 {
            return false;
        }
        let shift = self.shift;
        if self.to.len() != self.from.len() {
            self.to = self.from.clone();
        }
        let mut starts = [0usize; 256];
        for &(key, _) in &self.from {
            starts[((key >> shift) & 0xff) as usize] += 1;
        }
        let mut next = 0;
        for start in starts.iter_mut() {
            let count = *start;
            *start = next;
            next += count;
        }
        for &pair in &self.from {
            let digit = ((pair.0 >> shift) & 0xff) as usize;
            if let Some(cell) = self.to.get_mut(starts[digit]) {
                *cell = pair;
            }
            starts[digit] += 1;
        }
        std::mem::swap(&mut self.from, &mut self.to);
        self.shift += 8;
        true
    }

    /// The pairs sorted (by the passes taken so far: all of them once [`StableSort::pass`]
    /// has returned false).
    pub fn into_sorted(self) -> Vec<(u64, T)> {
        self.from
    }
}

/// `value`'s whole count of [`AMOUNT_STEPS`] ([`snapped`]) as an integer that orders as the
/// counts do (and so as `ascending_bits(snapped(value, AMOUNT_STEPS))` orders: whole floats,
/// `-0` made `+0`, order as their integers); `None` when the count is not below 2^53 in
/// magnitude (or not a number), where the float is not a whole count.
pub fn step_count_key(value: f64) -> Option<u64> {
    let steps = snapped(value, AMOUNT_STEPS);
    // The cast is exact for a whole float below 2^53; the flipped sign bit orders i64 as u64.
    (steps.abs() < EXACT_INTEGERS).then_some((steps as i64 as u64) ^ (1 << 63))
}

/// Keys packed with their indices into one integer each, `(key − least) << b | index` where `b`
/// is the bits of the largest index, for a sort that needs no pairs ([`StableSort`] of `(u64,
/// ())`: 8 bytes an item where `(u64, usize)` pairs take 16): sorted, they order as the pairs
/// `(key, index)` do, so a stable sort of pairs made with rising indices gives the same order.
/// [`Packed::key`] and [`Packed::index`] read them back (the key less the least). `None` when a
/// key is `None`, or the keys span more than the bits the indices leave.
pub fn packed_keys(keys: impl Iterator<Item = Option<u64>>) -> Option<Packed> {
    let mut packer = KeyPacker::default();
    for key in keys {
        packer.push(key?);
    }
    packer.finish()
}

/// [`packed_keys`] a key at a time, so that a caller can compute the keys in pieces: the keys
/// kept as they come (8 bytes each), packed in place at the end.
#[derive(Debug)]
pub struct KeyPacker {
    keys: Vec<u64>,
    least: u64,
    most: u64,
}

impl Default for KeyPacker {
    fn default() -> Self {
        KeyPacker::with_capacity(0)
    }
}

impl KeyPacker {
    /// A packer with room for `count` keys.
    pub fn with_capacity(count: usize) -> Self {
        KeyPacker {
            keys: Vec::with_capacity(count),
            least: u64::MAX,
            most: 0,
        }
    }

    /// The keys pushed so far.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True before the first key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The next item's key (items are numbered as they are pushed).
    pub fn push(&mut self, key: u64) {
        self.least = self.least.min(key);
        self.most = self.most.max(key);
        self.keys.push(key);
    }

    /// The keys packed with their items' numbers; `None` when they span more than the bits the
    /// numbers leave (or there are none).
    pub fn finish(self) -> Option<Packed> {
        let KeyPacker { keys, least, most } = self;
        let count = keys.len() as u64;
        let index_bits = u64::BITS - count.saturating_sub(1).leading_zeros();
        let span = most.checked_sub(least)?;
        if index_bits >= u64::BITS || span.checked_shr(u64::BITS - index_bits).unwrap_or(0) != 0 {
            return None;
        }
        // The same size and alignment: collected in place.
        let items = keys
            .into_iter()
            .zip(0u64..)
            .map(|(key, index)| {
                // Every key is at least the least, so nothing saturates.
                let rank = key.saturating_sub(least);
                ((rank << index_bits) | index, ())
            })
            .collect();
        Some(Packed { items, index_bits })
    }
}

/// Keys and indices packed by [`packed_keys`].
#[derive(Debug)]
pub struct Packed {
    /// The packed integers (with a unit, for [`StableSort`]).
    pub items: Vec<(u64, ())>,
    /// The bits of an item that hold its index.
    pub index_bits: u32,
}

impl Packed {
    /// The key of `item` less the least key.
    pub fn key(item: u64, index_bits: u32) -> u64 {
        item.checked_shr(index_bits).unwrap_or(0)
    }

    /// The index of `item`.
    pub fn index(item: u64, index_bits: u32) -> usize {
        let mask = 1u64.checked_shl(index_bits).map_or(u64::MAX, |bit| bit - 1);
        (item & mask) as usize
    }
}

/// The float whose [`ascending_bits`] are `key` (its inverse, to the bit).
pub fn from_ascending_bits(key: u64) -> f64 {
    if key >> 63 == 1 {
        f64::from_bits(key & !(1 << 63))
    } else {
        f64::from_bits(!key)
    }
}

/// 0 for values within [`ZERO_TOLERANCE`] of 0 (and for −0), the value otherwise.
pub fn snap_to_zero(value: f64) -> f64 {
    if value.abs() <= ZERO_TOLERANCE {
        0.0
    } else {
        value
    }
}

/// `part / whole`, `None` when `whole` is zero by the absolute half of the zero rule (its
/// magnitude below [`ZERO_TOLERANCE`]).
pub fn ratio(part: f64, whole: f64) -> Option<f64> {
    (whole.abs() >= ZERO_TOLERANCE).then(|| part / whole)
}

/// A signed sum with the sum of magnitudes of what was added, for the zero rule of shares.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sum {
    /// The sum.
    pub value: f64,
    /// The sum of the magnitudes added.
    pub magnitude: f64,
}

/// The same type under the name the RFM code knew it by: a sum whose terms may be negative.
pub type SignedSum = Sum;

impl Sum {
    /// Adds one term.
    pub fn add(&mut self, value: f64) {
        self.value += value;
        self.magnitude += value.abs();
    }

    /// True when the sum is zero by the zero rule (see the module docs).
    pub fn is_zero(self) -> bool {
        self.value.abs() < ZERO_TOLERANCE || self.value.abs() <= ZERO_TOLERANCE * self.magnitude
    }

    /// `part / self`, `None` for a zero total.
    pub fn share(self, part: f64) -> Option<f64> {
        (!self.is_zero()).then(|| part / self.value)
    }
}

/// An [`Error::Parameter`] naming the parameter and what is wrong with it.
pub fn parameter(name: &str, reason: ParameterProblem) -> Error {
    Error::Parameter {
        name: name.into(),
        reason,
    }
}

/// `text` cut to `max` characters, with `…` where it was cut.
pub fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Ranks 1 … n of `values` in ascending order, ties at their average rank (what Spearman's ρ
/// and the clusters' percentile-rank scaling read): [`RankSteps`] at once.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut steps = RankSteps::new(values);
    while steps.step() {}
    steps.finish()
}

/// [`average_ranks`] a byte of the sort a step ([`RankSteps::step`]), so that a caller can do
/// other work between them (the page's thread, where ranking a million values takes about
/// 120 ms). The values' order is a stable radix sort of their bits, which order as
/// [`f64::total_cmp`] (a sort calling a comparison of two values read through their indices
/// took 200 ms a column in the app's build); equal values (`==`) share their average rank.
pub struct RankSteps {
    sort: StableSort<u32>,
}

impl RankSteps {
    /// The steps of the ranks of `values` (read now, in one pass).
    pub fn new(values: &[f64]) -> Self {
        let keyed: Vec<(u64, u32)> = (0u32..)
            .zip(values)
            .map(|(i, &v)| (ascending_bits(v), i))
            .collect();
        RankSteps {
            sort: StableSort::new(keyed),
        }
    }

    /// Sorts by the next byte; false once sorted.
    pub fn step(&mut self) -> bool {
        self.sort.pass()
    }

    /// The ranks, in the values' order (the sort's passes not taken yet are taken now).
    pub fn finish(mut self) -> Vec<f64> {
        while self.sort.pass() {}
        let keyed = self.sort.into_sorted();
        let value = |at: usize| {
            keyed
                .get(at)
                .map_or(f64::NAN, |&(key, _)| from_ascending_bits(key))
        };
        let mut ranks = vec![0.0; keyed.len()];
        let mut start = 0;
        while start < keyed.len() {
            let first = value(start);
            let mut end = start + 1;
            while end < keyed.len() && value(end) == first {
                end += 1;
            }
            // Positions start … end − 1 hold ranks start + 1 … end.
            let rank = (start + 1 + end) as f64 / 2.0;
            for &(_, i) in keyed.get(start..end).unwrap_or_default() {
                if let Some(r) = ranks.get_mut(i as usize) {
                    *r = rank;
                }
            }
            start = end;
        }
        ranks
    }
}

/// The `k`-th smallest of `keys` (1 for the smallest); `None` for `k` 0 or beyond the keys. A
/// radix selection, 16 bits at a time: a count of each key's top bits finds the bucket that
/// holds it, and only that bucket's keys are looked at again (for a fifth of a million keys,
/// where a heap of the `k` smallest or a selection calling a comparison at every step take tens
/// of milliseconds in the app's size-optimised build).
pub fn kth_smallest(keys: &[u64], k: usize) -> Option<u64> {
    if k == 0 || k > keys.len() {
        return None;
    }
    // The keys sharing the bits chosen so far (all of them at first), and the rank among them.
    let mut left: Option<Vec<u64>> = None;
    let mut rank = k;
    for level in 0..4u32 {
        let shift = 48 - 16 * level;
        let mut counts = vec![0usize; 1 << 16];
        let candidates = left.as_deref().unwrap_or(keys);
        for &key in candidates {
            counts[((key >> shift) & 0xFFFF) as usize] += 1;
        }
        let mut below = 0;
        let mut bucket = 0;
        for (b, &count) in counts.iter().enumerate() {
            if below + count >= rank {
                bucket = b as u64;
                break;
            }
            below += count;
        }
        rank -= below;
        let chosen: Vec<u64> = candidates
            .iter()
            .copied()
            .filter(|&key| (key >> shift) & 0xFFFF == bucket)
            .collect();
        // Every key left equal (the last level), or few enough to sort.
        if level == 3 || chosen.len() <= 64 {
            let mut chosen = chosen;
            chosen.sort_unstable();
            return chosen.get(rank - 1).copied();
        }
        left = Some(chosen);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zero_rule() {
        let sum = |terms: &[f64]| {
            let mut s = Sum::default();
            terms.iter().for_each(|&t| s.add(t));
            s
        };
        let cases: [(&[f64], bool); 5] = [
            (&[], true),
            (&[0.1, 0.2, -0.3], true),
            (&[1e12, -1e12, 1e-4], true),
            (&[1e-6], false),
            (&[5.0, -2.0], false),
        ];
        for (terms, zero) in cases {
            assert_eq!(sum(terms).is_zero(), zero, "{terms:?}");
        }
        assert_eq!(sum(&[2.0, 2.0]).share(1.0), Some(0.25));
        assert_eq!(sum(&[1.0, -1.0]).share(1.0), None);
        assert_eq!(ratio(1.0, 1e-12), None);
        assert_eq!(ratio(1.0, 4.0), Some(0.25));
    }

    /// The radix sort orders as `sort_unstable` orders `(key, index)` pairs made with rising
    /// indices: keys of every width, many ties, all equal, negative amounts as keys, short and
    /// long inputs.
    #[test]
    fn the_radix_sort_is_the_pairs_sort() {
        let mut random = crate::engine::test_support::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let shapes: [fn(u64) -> u64; 6] = [
            |r| r,
            |r| r % 7,
            |r| r & 0xff00_0000_0000_00ff,
            |_| 42,
            |r| ascending_bits((r % 20_001) as f64 / 100.0 - 100.0),
            |r| u64::MAX - (r % 3_650),
        ];
        for shape in shapes {
            for n in [0, 1, 2, 63, 64, 65, 1_000, 20_000] {
                let keys: Vec<u64> = (0..n).map(|_| shape(random())).collect();
                let mut expected: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
                expected.sort_unstable();
                let mut sorted: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
                sort_by_key_stable(&mut sorted);
                assert_eq!(sorted, expected, "{n}");
                // A pass a byte that varies, taken one at a time.
                let pairs: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
                let varying = (keys.iter().fold(0, |a, &k| a | k))
                    ^ (keys.iter().fold(u64::MAX, |a, &k| a & k));
                let bytes = (0..8).filter(|b| (varying >> (8 * b)) & 0xff != 0).count();
                let mut sort = StableSort::new(pairs);
                let mut passes = 0;
                while sort.pass() {
                    passes += 1;
                }
                assert_eq!(passes, if n > 64 { bytes } else { 0 }, "{n}");
                assert_eq!(sort.into_sorted(), expected, "{n}");
            }
        }
    }

    /// Packed keys sort as their `(key, index)` pairs, read back to the key less the least and
    /// the index; keys spanning more bits than the indices leave, or a missing key, are `None`.
    #[test]
    fn packed_keys_sort_as_their_pairs() {
        let mut random = crate::engine::test_support::xorshift(0x5eed);
        let shapes: [fn(u64) -> u64; 5] = [
            |r| r % 7,
            |r| u64::MAX - (r % 3_650),
            |r| (r >> 24) + (1 << 40),
            |_| 42,
            |r| r >> 20,
        ];
        for shape in shapes {
            for n in [1usize, 2, 63, 64, 65, 1_000, 20_000] {
                let keys: Vec<u64> = (0..n).map(|_| shape(random())).collect();
                let mut expected: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
                expected.sort_unstable();
                let Some(packed) = packed_keys(keys.iter().map(|&k| Some(k))) else {
                    // Only the widest keys leave too few bits for the indices.
                    let bits = u64::BITS - (n as u64 - 1).leading_zeros();
                    let span = keys.iter().max().unwrap() - keys.iter().min().unwrap();
                    assert!(span >> (64 - bits) != 0, "{n}");
                    continue;
                };
                let bits = packed.index_bits;
                let mut sort = StableSort::new(packed.items);
                while sort.pass() {}
                let least = keys.iter().min().copied().unwrap_or(0);
                let sorted: Vec<(u64, usize)> = (sort.into_sorted().into_iter())
                    .map(|(item, ())| (Packed::key(item, bits) + least, Packed::index(item, bits)))
                    .collect();
                assert_eq!(sorted, expected, "{n}");
            }
        }
        assert!(packed_keys([Some(0), Some(u64::MAX)].into_iter()).is_none());
        assert!(packed_keys([Some(0), None].into_iter()).is_none());
        // Three indices take 2 bits: a span below 2^62 fits, 2^62 does not.
        let span = |most: u64| packed_keys([Some(5), Some(5 + most), Some(6)].into_iter());
        assert!(span((1 << 62) - 1).is_some());
        assert!(span(1 << 62).is_none());
    }

    /// Step-count keys order as the snapped floats' ascending bits, equal for equal counts
    /// (-0 and summation noise included); `None` beyond 2^53 steps and for NaN.
    #[test]
    fn step_count_keys_order_as_the_snapped_values() {
        let values = [-2.5, -0.0, 0.0, 0.1 + 0.2, 0.3, 1e-7, 7.25, 9.0e9, -9.0e9];
        for a in values {
            for b in values {
                let (sa, sb) = (snapped(a, AMOUNT_STEPS), snapped(b, AMOUNT_STEPS));
                let bits = ascending_bits(sa).cmp(&ascending_bits(sb));
                assert_eq!(step_count_key(a).cmp(&step_count_key(b)), bits, "{a} {b}");
            }
        }
        assert_eq!(step_count_key(1e10), None);
        assert_eq!(step_count_key(-1e10), None);
        assert_eq!(step_count_key(f64::NAN), None);
    }

    #[test]
    fn ascending_keys_come_back_to_the_bit() {
        for value in [
            0.0,
            -0.0,
            1.5,
            -1.5,
            f64::MIN,
            f64::MAX,
            f64::INFINITY,
            -f64::NAN,
            5e-324,
        ] {
            let back = from_ascending_bits(ascending_bits(value));
            assert_eq!(back.to_bits(), value.to_bits(), "{value:?}");
        }
        assert!(ascending_bits(-0.0) < ascending_bits(0.0));
        assert!(ascending_bits(-2.0) < ascending_bits(-1.0));
    }

    #[test]
    fn keys_and_cuts() {
        assert_eq!(snapped(0.1 + 0.2, AMOUNT_STEPS), snapped(0.3, AMOUNT_STEPS));
        assert_eq!(snapped(-0.0, AMOUNT_STEPS).to_bits(), 0.0f64.to_bits());
        assert_eq!(snap_to_zero(1.1 + 2.2 - 3.3), 0.0);
        assert_eq!(truncate_chars("优势明显", 2), "优势…");
        assert_eq!(truncate_chars("ab", 2), "ab");
    }

    /// The radix selection is the sorted keys' k-th, on keys of many shapes and every rank
    /// at the edges.
    #[test]
    fn kth_smallest_is_the_sorted_keys_kth() {
        let mut next = crate::engine::test_support::xorshift(5);
        let shapes: [fn(u64) -> u64; 6] = [
            |r| r,
            |r| r % 7,
            |r| r << 40,
            |_| 42,
            |r| ascending_bits((r % 1_000_000) as f64 / 100.0),
            |r| !ascending_bits((r % 5_000) as f64 - 2_500.0),
        ];
        for shape in shapes {
            for n in [0usize, 1, 2, 63, 64, 65, 1_000, 30_000] {
                let keys: Vec<u64> = (0..n).map(|_| shape(next())).collect();
                let mut sorted = keys.clone();
                sorted.sort_unstable();
                assert_eq!(kth_smallest(&keys, 0), None);
                assert_eq!(kth_smallest(&keys, n + 1), None);
                let ranks = [1, 2, n / 5, n / 2, n.saturating_sub(1), n];
                for k in ranks.into_iter().filter(|&k| (1..=n).contains(&k)) {
                    assert_eq!(kth_smallest(&keys, k), Some(sorted[k - 1]), "n {n}, k {k}");
                }
            }
        }
    }
}
