//! The order log grouped by customer (订单日志分组), with little memory beside the log.
//!
//! The aggregator writes down (customer slot, day, order key) each time a customer's order id
//! changes from its previous row ([`super::Aggregator`]); distinct orders are counted, and each
//! order's first day found, by grouping that log by customer. At ten million rows the log holds
//! about five million entries (80 MB); grouping it into two arrays of the whole log's length
//! (keys and days, 60 MB) beside it was the largest step in the import worker's memory, in the
//! finish and again at each compaction while the rows came (WebAssembly memory never shrinks).
//!
//! [`group_by_slot`] moves the log's chunks into a few buckets by slot range instead (each
//! chunk freed once read, so the memory stays that of the log), then groups one bucket at a
//! time in arrays of the bucket's size. Within a bucket the entries keep the log's order, so a
//! key's first entry is still its first in the file.

use crate::engine::calendar::{Day, NO_DAY};
use crate::engine::chunked::Chunked;

/// One entry: (customer slot, day or [`NO_DAY`], order key).
pub(super) type Entry = (u32, Day, u64);

/// Entries a bucket holds on average, as long as there are at most [`MAX_BUCKETS`]: its grouped
/// arrays are then 12 MiB.
const BUCKET_ENTRIES: usize = 1 << 20;

/// The most buckets: each holds up to a chunk of room beyond its entries (1 MiB), so past this
/// the buckets grow instead (a log of 100 million entries: at most 32 buckets of 3 million).
const MAX_BUCKETS: usize = 32;

/// Consumes `log`, whose entries have slots below `slots`, and calls `each(slot, keys, days)`
/// for every slot from 0 to `slots - 1` in order: the keys logged for the slot sorted (repeats
/// kept), and with `dated` the day each was logged on beside it (sorted with its key, stably:
/// the first day of a key is its first entry's); without, `days` is empty. An entry whose slot
/// is `slots` or more is dropped.
pub(super) fn group_by_slot(
    log: Chunked<Entry>,
    slots: usize,
    dated: bool,
    mut each: impl FnMut(u32, &[u64], &[Day]),
) {
    if slots == 0 {
        return;
    }
    // Slots per bucket: a power of two, so that an entry's bucket is its slot shifted.
    let wanted = log.len().div_ceil(BUCKET_ENTRIES).clamp(1, MAX_BUCKETS);
    let per_bucket = slots.div_ceil(wanted).next_power_of_two();
    let shift = per_bucket.trailing_zeros();
    let bucket_count = slots.div_ceil(per_bucket);
    let buckets: Vec<Chunked<Entry>> = if bucket_count == 1 {
        vec![log]
    } else {
        let mut buckets: Vec<Chunked<Entry>> =
            (0..bucket_count).map(|_| Chunked::default()).collect();
        // Each chunk of the log goes once its entries are moved.
        for chunk in log.into_chunks() {
            for entry in chunk {
                if let Some(bucket) = buckets.get_mut((entry.0 >> shift) as usize) {
                    bucket.push(entry);
                }
            }
        }
        buckets
    };
    // Reused from bucket to bucket.
    let (mut starts, mut next) = (Vec::<usize>::new(), Vec::<usize>::new());
    let (mut keys, mut days) = (Vec::<u64>::new(), Vec::<Day>::new());
    let mut pairs: Vec<(u64, Day)> = Vec::new();
    for (index, bucket) in buckets.into_iter().enumerate() {
        let first = index << shift;
        let end = ((index + 1) << shift).min(slots);
        // A counting sort by slot: count, then place each entry after its slot's start.
        starts.clear();
        starts.resize(end - first + 1, 0);
        for &(slot, _, _) in bucket.iter() {
            if let Some(count) = (slot as usize)
                .checked_sub(first)
                .and_then(|local| starts.get_mut(local + 1))
            {
                *count += 1;
            }
        }
        let mut total = 0;
        for start in starts.iter_mut() {
            total += *start;
            *start = total;
        }
        keys.clear();
        keys.resize(total, 0);
        days.clear();
        days.resize(if dated { total } else { 0 }, NO_DAY);
        next.clear();
        next.extend_from_slice(&starts);
        // Each chunk of the bucket goes once placed.
        for (slot, day, key) in bucket.into_chunks().flatten() {
            let Some(at) = (slot as usize)
                .checked_sub(first)
                .and_then(|local| next.get_mut(local))
            else {
                continue;
            };
            if let Some(cell) = keys.get_mut(*at) {
                *cell = key;
            }
            if let Some(cell) = days.get_mut(*at) {
                *cell = day;
            }
            *at += 1;
        }
        for (slot, bounds) in (first..end).zip(starts.windows(2)) {
            let range = bounds[0]..bounds[1];
            let Some(group) = keys.get_mut(range.clone()) else {
                continue;
            };
            let group_days = match days.get_mut(range) {
                Some(group_days) if dated => group_days,
                _ => {
                    group.sort_unstable();
                    each(slot as u32, group, &[]);
                    continue;
                }
            };
            if group.len() > 1 {
                // Stably by key, each day moving with its key.
                pairs.clear();
                pairs.extend(group.iter().copied().zip(group_days.iter().copied()));
                pairs.sort_by_key(|&(key, _)| key);
                for ((key, day), &(k, d)) in group.iter_mut().zip(group_days.iter_mut()).zip(&pairs)
                {
                    (*key, *day) = (k, d);
                }
            }
            each(slot as u32, group, group_days);
        }
    }
}

/// The log grouped at once: `(starts, keys, days)`, the keys of slot `s` at
/// `keys[starts[s]..starts[s + 1]]` as [`group_by_slot`] gives them, their days beside them
/// (none without `dated`). For a part of a split import, which sends every key.
pub(super) fn grouped(
    log: Chunked<Entry>,
    slots: usize,
    dated: bool,
) -> (Vec<usize>, Vec<u64>, Vec<Day>) {
    let length = log.len();
    let mut starts = Vec::with_capacity(slots + 1);
    let mut keys = Vec::with_capacity(length);
    let mut days = Vec::with_capacity(if dated { length } else { 0 });
    starts.push(0);
    group_by_slot(log, slots, dated, |_, group, group_days| {
        keys.extend_from_slice(group);
        days.extend_from_slice(group_days);
        starts.push(keys.len());
    });
    (starts, keys, days)
}

/// The first day of each customer's distinct orders with an id, by slot, sorted, without the
/// orders logged without a day.
#[derive(Debug, Default)]
pub(crate) struct OrderFirsts {
    /// Where the days of slot `s` start in `days`, and one more.
    starts: Vec<usize>,
    days: Vec<Day>,
}

impl OrderFirsts {
    /// The first days of the orders of the customer in `slot`.
    pub(crate) fn of(&self, slot: u32) -> &[Day] {
        let slot = slot as usize;
        match (self.starts.get(slot), self.starts.get(slot + 1)) {
            (Some(&start), Some(&end)) => self.days.get(start..end).unwrap_or_default(),
            _ => &[],
        }
    }
}

/// Distinct orders per slot and, with `dated`, each order's first day, from the log (one pass
/// of [`group_by_slot`]).
pub(super) fn distinct_orders(
    log: Chunked<Entry>,
    slots: usize,
    dated: bool,
) -> (Vec<u32>, OrderFirsts) {
    let mut distinct = Vec::with_capacity(slots);
    let mut firsts = OrderFirsts::default();
    if dated {
        firsts.starts.reserve_exact(slots + 1);
        // At most one day per entry; the room never written is never touched.
        firsts.days.reserve_exact(log.len());
        firsts.starts.push(0);
    }
    group_by_slot(log, slots, dated, |_, keys, days| {
        // Keys are equal exactly when the ids are ([`super::OrderKeys`]).
        let changes = keys.windows(2).filter(|pair| pair[0] != pair[1]).count();
        let count = changes + usize::from(!keys.is_empty());
        distinct.push(u32::try_from(count).unwrap_or(u32::MAX));
        if dated {
            let from = firsts.days.len();
            let mut previous = None;
            for (&key, &day) in keys.iter().zip(days) {
                if previous != Some(key) && day != NO_DAY {
                    firsts.days.push(day);
                }
                previous = Some(key);
            }
            if let Some(mine) = firsts.days.get_mut(from..) {
                mine.sort_unstable();
            }
            firsts.starts.push(firsts.days.len());
        }
    });
    (distinct, firsts)
}

/// The log without repeats: each slot's distinct keys once, with the day of the key's first
/// entry, slot by slot (later entries go after it, so a key's first entry stays its first).
pub(super) fn compacted(log: Chunked<Entry>, slots: usize, dated: bool) -> Chunked<Entry> {
    let mut out = Chunked::default();
    group_by_slot(log, slots, dated, |slot, keys, days| {
        let mut previous = None;
        for (at, &key) in keys.iter().enumerate() {
            if previous != Some(key) {
                out.push((slot, days.get(at).copied().unwrap_or(NO_DAY), key));
                previous = Some(key);
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A log of `n` entries over `slots` slots, keys repeating, days out of order.
    fn log_of(n: usize, slots: u32, seed: u64) -> Vec<Entry> {
        let mut state = seed;
        let mut draw = move |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % bound
        };
        (0..n)
            .map(|_| {
                let slot = draw(u64::from(slots)) as u32;
                let day = if draw(10) == 0 {
                    NO_DAY
                } else {
                    Day::from_epoch_days(draw(400) as i32)
                };
                (slot, day, draw(30))
            })
            .collect()
    }

    /// What the grouping must give, written plainly: per slot, the (key, day) pairs in log
    /// order, then sorted stably by key.
    fn plainly(log: &[Entry], slots: usize) -> Vec<Vec<(u64, Day)>> {
        let mut by_slot: BTreeMap<u32, Vec<(u64, Day)>> = BTreeMap::new();
        for &(slot, day, key) in log {
            by_slot.entry(slot).or_default().push((key, day));
        }
        (0..slots as u32)
            .map(|slot| {
                let mut pairs = by_slot.remove(&slot).unwrap_or_default();
                pairs.sort_by_key(|&(key, _)| key);
                pairs
            })
            .collect()
    }

    fn chunked(log: &[Entry]) -> Chunked<Entry> {
        let mut out = Chunked::default();
        for &entry in log {
            out.push(entry);
        }
        out
    }

    #[test]
    fn groups_every_slot_stably_in_buckets_or_not() {
        // Logs below and above a bucket's size, with few and many slots.
        for (n, slots, seed) in [
            (0, 5, 1),
            (17, 1, 2),
            (1_000, 7, 3),
            (BUCKET_ENTRIES * 3 + 123, 1_000, 4),
            (BUCKET_ENTRIES + 5, 3, 5),
            (BUCKET_ENTRIES * 2, 200_001, 6),
        ] {
            let log = log_of(n, slots, seed);
            let expected = plainly(&log, slots as usize);
            for dated in [true, false] {
                let mut seen = Vec::new();
                group_by_slot(chunked(&log), slots as usize, dated, |slot, keys, days| {
                    assert_eq!(slot as usize, seen.len());
                    assert_eq!(days.len(), if dated { keys.len() } else { 0 });
                    let pairs: Vec<(u64, Day)> = keys
                        .iter()
                        .enumerate()
                        .map(|(at, &key)| (key, days.get(at).copied().unwrap_or(NO_DAY)))
                        .collect();
                    seen.push(pairs);
                });
                assert_eq!(seen.len(), slots as usize);
                for (slot, (got, want)) in seen.iter().zip(&expected).enumerate() {
                    let want: Vec<(u64, Day)> = want
                        .iter()
                        .map(|&(key, day)| (key, if dated { day } else { NO_DAY }))
                        .collect();
                    assert_eq!(got, &want, "n {n}, slot {slot}, dated {dated}");
                }
                let (starts, keys, days) = grouped(chunked(&log), slots as usize, dated);
                assert_eq!(starts.len(), slots as usize + 1);
                assert_eq!(keys.len(), n);
                for (slot, want) in expected.iter().enumerate() {
                    let got = &keys[starts[slot]..starts[slot + 1]];
                    assert!(got.iter().copied().eq(want.iter().map(|&(k, _)| k)));
                    if dated {
                        let got = &days[starts[slot]..starts[slot + 1]];
                        assert!(got.iter().copied().eq(want.iter().map(|&(_, d)| d)));
                    }
                }
            }
        }
    }

    #[test]
    fn counts_distinct_orders_and_their_first_days() {
        for (n, slots, seed) in [(0, 3, 7), (5_000, 40, 8), (BUCKET_ENTRIES + 99, 70_000, 9)] {
            let log = log_of(n, slots, seed);
            let (distinct, firsts) = distinct_orders(chunked(&log), slots as usize, true);
            let (undated, none) = distinct_orders(chunked(&log), slots as usize, false);
            assert_eq!(distinct, undated);
            // Per slot, plainly: the first day each key was logged on, in log order.
            let mut first_day: BTreeMap<(u32, u64), Day> = BTreeMap::new();
            for &(slot, day, key) in &log {
                first_day.entry((slot, key)).or_insert(day);
            }
            for slot in 0..slots {
                let mine: Vec<Day> = first_day
                    .range((slot, 0)..=(slot, u64::MAX))
                    .map(|(_, &day)| day)
                    .collect();
                assert_eq!(distinct[slot as usize] as usize, mine.len());
                let mut days: Vec<Day> = mine.into_iter().filter(|&d| d != NO_DAY).collect();
                days.sort_unstable();
                assert_eq!(firsts.of(slot), days.as_slice());
                assert_eq!(none.of(slot), &[] as &[Day]);
            }
            // Compacted: each (slot, key) once, with its first day, and grouping it again
            // gives the same counts and days.
            let compact = compacted(chunked(&log), slots as usize, true);
            assert_eq!(compact.len(), first_day.len());
            for &(slot, day, key) in compact.iter() {
                assert_eq!(first_day.get(&(slot, key)), Some(&day));
            }
            let (again, firsts_again) = distinct_orders(compact, slots as usize, true);
            assert_eq!(again, distinct);
            for slot in 0..slots {
                assert_eq!(firsts_again.of(slot), firsts.of(slot));
            }
        }
    }
}
