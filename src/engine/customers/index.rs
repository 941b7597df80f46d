//! The customer look-up of the aggregation (客户索引): customer id → slot, the hot loop's one
//! random memory access before the customer's record.
//!
//! Two ways, chosen per id, never both for one id:
//! - **Dense**: ids of the shape of the first id met, when that is a few non-digit bytes and
//!   then digits (`C000012`, `VIP-0042`, `12345`): same leading bytes, same length, digits after
//!   them, and a value below [`DENSE_VALUES`]. Such an id is its value; its slot is read from a
//!   vector by that value, with no hashing and no comparison (the shape and the value give back
//!   the whole id).
//! - **Table**: any other id, in an open-addressing table of 16-byte entries (linear probing,
//!   at most half full) holding the id's first 8 bytes and length with the slot, so that one
//!   cache line finds and checks a customer; an id longer than 8 bytes is compared in full
//!   with the text of the ids ([`Ids`]).
//!
//! Which way an id goes depends on the id alone (once the first id has fixed the shape), so an
//! id is always found where it was put.

use super::Ids;

/// Dense values are below this (4 Mi): the vector of slots grows with the largest value met,
/// up to 16 MiB, so that a file of a few customers with large numbers stays small.
const DENSE_VALUES: u64 = 1 << 22;

/// At most this many leading non-digit bytes in a dense id.
const DENSE_HEAD_BYTES: usize = 8;

/// At most this many digits in a dense id (their value stays below 10^9).
const DENSE_DIGITS: usize = 9;

/// The first table: 2^12 entries (64 KiB).
const FIRST_TABLE_BITS: u32 = 12;

/// Customer id → slot (the customer's place in order of appearance).
#[derive(Debug, Default)]
pub(super) struct CustomerIndex {
    /// The shape of the first id, when it has one ([`Shape::of`]); fixed after the first id.
    shape: Option<Shape>,
    /// Whether the shape has been looked for (the first id came).
    shaped: bool,
    /// Slot + 1 by value of a dense id (0: none yet).
    dense: Vec<u32>,
    /// The table; empty until the first id that is not dense.
    table: Vec<Entry>,
    /// Entries in the table.
    filled: usize,
}

/// Leading non-digit bytes and the length of dense ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    /// The leading bytes, big-endian in the high bytes (as [`super::id_prefix`] puts them).
    head: u64,
    head_len: usize,
    len: usize,
}

impl Shape {
    /// The shape of `id`: up to [`DENSE_HEAD_BYTES`] bytes that are no ASCII digits, then 1 to
    /// [`DENSE_DIGITS`] ASCII digits to the end.
    fn of(id: &str) -> Option<Shape> {
        let bytes = id.as_bytes();
        let head_len = bytes.iter().take_while(|b| !b.is_ascii_digit()).count();
        let digits = bytes.len() - head_len;
        if head_len > DENSE_HEAD_BYTES || digits == 0 || digits > DENSE_DIGITS {
            return None;
        }
        if !bytes.get(head_len..)?.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(Shape {
            head: head_of(bytes, head_len),
            head_len,
            len: bytes.len(),
        })
    }

    /// The value of `id` when it has this shape and a dense value.
    fn value(&self, id: &str) -> Option<usize> {
        let bytes = id.as_bytes();
        if bytes.len() != self.len {
            return None;
        }
        let (head, digits) = bytes.split_at_checked(self.head_len)?;
        if head_of(head, head.len()) != self.head {
            return None;
        }
        let mut value = 0u64;
        for &b in digits {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                return None;
            }
            value = value * 10 + u64::from(digit);
        }
        (value < DENSE_VALUES).then_some(value as usize)
    }
}

/// The first `len` (≤ 8) bytes of `bytes`, big-endian in the high bytes of a word.
fn head_of(bytes: &[u8], len: usize) -> u64 {
    let mut head = [0u8; 8];
    head.iter_mut()
        .zip(bytes.iter().take(len))
        .for_each(|(h, &b)| *h = b);
    u64::from_be_bytes(head)
}

/// One entry of the table.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    /// The id's first 8 bytes ([`super::id_prefix`]).
    prefix: u64,
    /// The id's length (saturated).
    len: u32,
    /// The slot + 1; 0 marks an empty entry.
    slot_plus_one: u32,
}

impl Entry {
    fn is_empty(&self) -> bool {
        self.slot_plus_one == 0
    }

    fn slot(&self) -> u32 {
        self.slot_plus_one.wrapping_sub(1)
    }
}

/// Where the table's probe for `hash` starts (the hash's high bits: Fibonacci hashing mixes
/// every bit of the id's hash into them).
fn home(hash: u64, mask: usize) -> usize {
    let bits = (mask + 1).trailing_zeros();
    (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
}

/// A length as the table keeps it.
fn length(id: &str) -> u32 {
    u32::try_from(id.len()).unwrap_or(u32::MAX)
}

impl CustomerIndex {
    /// The slot of `id` (whose hash is `hash` and [`super::id_prefix`] is `prefix`), when known.
    /// `ids` are the ids of the slots.
    pub(super) fn find(&self, id: &str, hash: u64, prefix: u64, ids: &Ids) -> Option<u32> {
        match self.dense_value(id) {
            Some(value) => self.find_dense(value),
            None => self.probe(id, hash, prefix, ids).ok(),
        }
    }

    /// [`CustomerIndex::find`] of an id whose dense value ([`CustomerIndex::dense_value`]) is
    /// `value`.
    pub(super) fn find_dense(&self, value: usize) -> Option<u32> {
        match self.dense.get(value).copied() {
            Some(plus_one) if plus_one > 0 => Some(plus_one - 1),
            _ => None,
        }
    }

    /// The dense vector's cell of `value` (0 beyond it), read for nothing but to have it
    /// fetched: a batch's cells are read in a loop of their own before the batch's ids are
    /// found, so that at a million customers the processor waits for their cache misses side by
    /// side, not one after the other (the look-up's one random access).
    pub(super) fn dense_cell(&self, value: usize) -> u32 {
        self.dense.get(value).copied().unwrap_or(0)
    }

    /// The table's entry where the probe for an id of `hash` starts (0 without a table), and
    /// the id it holds when it is longer than 8 bytes (the probe compares such ids in full),
    /// read for nothing but to have them fetched, as [`CustomerIndex::dense_cell`].
    pub(super) fn table_cell(&self, hash: u64, ids: &Ids) -> u32 {
        let mask = self.table.len().wrapping_sub(1);
        let entry = match self.table.is_empty() {
            true => None,
            false => self.table.get(home(hash, mask)),
        };
        match entry {
            Some(entry) if entry.len > 8 && !entry.is_empty() => {
                let first = ids.get(entry.slot()).as_bytes().first().copied();
                entry.slot_plus_one.wrapping_add(first.map_or(0, u32::from))
            }
            Some(entry) => entry.slot_plus_one,
            None => 0,
        }
    }

    /// Adds `id`, which [`CustomerIndex::find`] did not find, as customer `slot`; `ids` hold
    /// it already (as `slot`'s).
    pub(super) fn insert(&mut self, id: &str, hash: u64, prefix: u64, slot: u32, ids: &Ids) {
        if !self.shaped {
            self.shaped = true;
            self.shape = Shape::of(id);
        }
        if let Some(value) = self.dense_value(id) {
            if value >= self.dense.len() {
                let len = (value + 1).next_power_of_two().max(1024);
                self.dense.resize(len, 0);
            }
            if let Some(cell) = self.dense.get_mut(value) {
                *cell = slot.saturating_add(1);
            }
            return;
        }
        if self.table.is_empty() {
            self.table = vec![Entry::default(); 1 << FIRST_TABLE_BITS];
        }
        if let Err(at) = self.probe(id, hash, prefix, ids) {
            if let Some(entry) = self.table.get_mut(at) {
                *entry = Entry {
                    prefix,
                    len: length(id),
                    slot_plus_one: slot.saturating_add(1),
                };
            }
            self.filled += 1;
            if self.filled * 2 > self.table.len() {
                self.grow(ids);
            }
        }
    }

    /// The value of `id` when it goes to the dense vector (always the same once the first id
    /// has come; `None` before).
    pub(super) fn dense_value(&self, id: &str) -> Option<usize> {
        self.shape.as_ref()?.value(id)
    }

    /// The slot of `id` in the table (`Ok`), or the empty entry where it would go (`Err`).
    fn probe(&self, id: &str, hash: u64, prefix: u64, ids: &Ids) -> Result<u32, usize> {
        let mask = self.table.len().wrapping_sub(1);
        if self.table.is_empty() {
            return Err(0);
        }
        let len = length(id);
        let mut at = home(hash, mask);
        // At most half full: an empty entry comes.
        for _ in 0..self.table.len() {
            let Some(entry) = self.table.get(at) else {
                break;
            };
            if entry.is_empty() {
                return Err(at);
            }
            if entry.len == len
                && entry.prefix == prefix
                && (id.len() <= 8 || ids.get(entry.slot()) == id)
            {
                return Ok(entry.slot());
            }
            at = (at + 1) & mask;
        }
        Err(at)
    }

    /// Doubles the table (every id in it is in `ids`).
    fn grow(&mut self, ids: &Ids) {
        let doubled = vec![Entry::default(); self.table.len() * 2];
        let old = std::mem::replace(&mut self.table, doubled);
        let mask = self.table.len() - 1;
        for entry in old.into_iter().filter(|e| !e.is_empty()) {
            let mut at = home(id_hash(ids.get(entry.slot())), mask);
            while self.table.get(at).is_some_and(|e| !e.is_empty()) {
                at = (at + 1) & mask;
            }
            if let Some(cell) = self.table.get_mut(at) {
                *cell = entry;
            }
        }
    }
}

/// The hash of a customer id for [`CustomerIndex`]: its bytes 8 at a time (little-endian
/// words), each mixed in with a rotation and a multiplication, and its length.
pub(super) fn id_hash(id: &str) -> u64 {
    const K: u64 = 0xF135_7AEA_2E62_A9C5;
    let mut hash = id.len() as u64;
    for word in id.as_bytes().chunks(8) {
        let mut bytes = [0u8; 8];
        bytes.iter_mut().zip(word).for_each(|(b, &w)| *b = w);
        hash = (hash.rotate_left(26) ^ u64::from_le_bytes(bytes)).wrapping_mul(K);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::customers::id_prefix;

    /// Ids kept as the aggregator keeps them, indexed, against a plain map.
    #[derive(Default)]
    struct Indexed {
        index: CustomerIndex,
        text: String,
        ends: Vec<usize>,
        plain: std::collections::HashMap<String, u32>,
    }

    impl Indexed {
        fn ids(&self) -> Ids<'_> {
            Ids {
                text: &self.text,
                ends: &self.ends,
            }
        }

        fn find(&self, id: &str) -> Option<u32> {
            self.index.find(id, id_hash(id), id_prefix(id), &self.ids())
        }

        /// Finds or adds `id`, checking the index against the map.
        fn slot(&mut self, id: &str) -> u32 {
            let found = self.find(id);
            assert_eq!(found, self.plain.get(id).copied(), "{id:?}");
            if let Some(slot) = found {
                return slot;
            }
            let slot = self.ends.len() as u32;
            self.text.push_str(id);
            self.ends.push(self.text.len());
            self.plain.insert(id.to_string(), slot);
            let (hash, prefix) = (id_hash(id), id_prefix(id));
            let ids = Ids {
                text: &self.text,
                ends: &self.ends,
            };
            self.index.insert(id, hash, prefix, slot, &ids);
            assert_eq!(self.find(id), Some(slot), "{id:?} just added");
            slot
        }
    }

    #[test]
    fn shapes_of_ids() {
        let dense = |id: &str| Shape::of(id).map(|s| (s.head_len, s.len));
        assert_eq!(dense("C000012"), Some((1, 7)));
        assert_eq!(dense("VIP-0042"), Some((4, 8)));
        assert_eq!(dense("12345"), Some((0, 5)));
        assert_eq!(
            dense("客户12"),
            Some((6, 8)),
            "6 bytes before the digits are fine"
        );
        assert_eq!(dense("客户甲1"), None, "9 are not");
        assert_eq!(dense("C12X"), None);
        assert_eq!(dense("C"), None);
        assert_eq!(dense(""), None);
        assert_eq!(dense("C1234567890"), None, "10 digits");
        let shape = Shape::of("C000012").unwrap();
        assert_eq!(shape.value("C000013"), Some(13));
        assert_eq!(shape.value("D000013"), None);
        assert_eq!(shape.value("C00013"), None);
        assert_eq!(shape.value("C0000X3"), None);
        assert_eq!(shape.value("C4194304"), None, "another length");
        let wide = Shape::of("C0000000").unwrap();
        assert_eq!(wide.value("C4194303"), Some((1 << 22) - 1));
        assert_eq!(wide.value("C4194304"), None, "beyond the dense values");
    }

    #[test]
    fn every_id_is_found_where_it_was_put() {
        // Dense ids of the first id's shape, ids of other shapes, long ids sharing their first
        // 8 bytes, ids past the dense values, non-ASCII and empty ids, in two rounds.
        let mut ids: Vec<String> = Vec::new();
        for n in 0..3000 {
            ids.push(format!("C{n:06}"));
            ids.push(format!("C{n:07}"));
            ids.push(format!("D{n:06}"));
            ids.push(format!("customer-{n:020}"));
            ids.push(format!("客户{n}"));
        }
        ids.push("C9999999".into());
        ids.push("C0".into());
        ids.push(String::new());
        let mut indexed = Indexed::default();
        let first: Vec<u32> = ids.iter().map(|id| indexed.slot(id)).collect();
        let again: Vec<u32> = ids.iter().map(|id| indexed.slot(id)).collect();
        assert_eq!(first, again);
        assert_eq!(first, (0..ids.len() as u32).collect::<Vec<_>>());
        assert!(
            indexed.index.dense.len() >= 3000,
            "the C000000 ids are dense"
        );
        assert!(indexed.index.filled > 12_000, "the others are in the table");
    }

    #[test]
    fn without_a_dense_shape_everything_goes_to_the_table() {
        let mut indexed = Indexed::default();
        for id in ["", "a", "C1", "C2", "customer-with-a-long-id", "C1", ""] {
            indexed.slot(id);
        }
        assert!(indexed.index.shape.is_none());
        assert_eq!(indexed.ends.len(), 5);
    }

    /// The index against a map on random ids of a few shapes, dense ones among them.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]
            #[test]
            fn finds_what_a_map_finds(ids in proptest::collection::vec("(C|D|CC|客)?[0-9]{0,9}|[a-c]{1,12}", 0..400)) {
                let mut indexed = super::Indexed::default();
                for id in ids.iter().chain(&ids) {
                    indexed.slot(id);
                }
            }
        }
    }
}
