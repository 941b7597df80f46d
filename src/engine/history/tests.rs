//! The history against the rows it came from: by hand, merged from two halves at every cut, and
//! against a plain reference on random rows.

use std::collections::BTreeMap;

use super::*;
use crate::engine::customers::{Aggregator, Columns, CustomerTable, Transaction};

const ALL: Columns = Columns {
    order: true,
    date: true,
    profit: true,
    quantity: true,
};

/// (customer, order id or "", day since 1970, amount); profit a tenth of the amount, quantity 1.
type Row = (&'static str, &'static str, i32, f64);

fn transaction(row: &Row) -> Transaction<'static> {
    let (customer, order, day, amount) = *row;
    Transaction {
        customer,
        order: (!order.is_empty()).then_some(order),
        day: Some(Day::from_epoch_days(day)),
        amount,
        profit: Some(amount / 10.0),
        quantity: Some(1.0),
    }
}

fn build(rows: &[Row], columns: Columns) -> (CustomerTable, PurchaseHistory) {
    let mut aggregator = Aggregator::new(columns);
    rows.iter().for_each(|r| aggregator.add(&transaction(r)));
    aggregator.finish_with_history()
}

/// (day since 1970, orders, purchase, sales) of every day of every customer.
fn summary(history: &PurchaseHistory) -> Vec<Vec<(i32, u32, bool, f64)>> {
    (0..history.len())
        .map(|i| {
            history
                .days(i)
                .map(|d| (d.day.epoch_days(), d.orders, d.purchase, d.sales))
                .collect()
        })
        .collect()
}

#[test]
fn days_by_hand() {
    let rows: [Row; 9] = [
        ("b", "o1", 10, 100.0),
        ("a", "o2", 40, 30.0),
        ("b", "o1", 10, 50.0),
        // An order whose lines lie on two days counts on the first.
        ("b", "o3", 5, 20.0),
        ("b", "o3", 6, 5.0),
        // A return on a day of its own: not a purchase day.
        ("b", "o1", 12, -50.0),
        // Back to day 10 after other days.
        ("b", "o4", 10, 1.0),
        // A customer whose only order is a return.
        ("c", "r1", 41, -9.5),
        ("a", "o5", 40, 2.25),
    ];
    let (table, history) = build(&rows, ALL);
    assert_eq!(history.len(), 3);
    assert!(history.check());
    assert_eq!(
        summary(&history),
        [
            vec![(40, 2, true, 32.25)],
            vec![
                (5, 1, true, 20.0),
                (6, 0, true, 5.0),
                (10, 2, true, 151.0),
                (12, 0, false, -50.0)
            ],
            vec![(41, 1, false, -9.5)],
        ]
    );
    for (i, customer) in table.customers.iter().enumerate() {
        let orders: u32 = history.days(i).map(|d| d.orders).sum();
        assert_eq!(orders, customer.orders, "{}", customer.id);
        let profit: f64 = history.days(i).map(|d| d.profit).sum();
        assert!((profit - customer.profit).abs() < 1e-9);
        let quantity: f64 = history.days(i).map(|d| d.quantity).sum();
        assert_eq!(quantity, customer.quantity);
    }
    assert_eq!(history.day_count(), 6);
}

#[test]
fn without_an_order_column_every_row_is_an_order_and_without_dates_there_are_no_days() {
    let rows: [Row; 3] = [("a", "", 3, 1.0), ("a", "", 3, 2.0), ("a", "", 4, 3.0)];
    let columns = Columns {
        order: false,
        profit: false,
        quantity: false,
        ..ALL
    };
    let (_, history) = build(&rows, columns);
    assert_eq!(
        summary(&history),
        [vec![(3, 2, true, 3.0), (4, 1, true, 3.0)]]
    );
    assert!(!history.has_profit() && !history.has_quantity());
    assert_eq!(history.days(0).map(|d| d.profit).sum::<f64>(), 0.0);

    let mut aggregator = Aggregator::new(Columns::default());
    aggregator.add(&Transaction {
        day: None,
        ..transaction(&rows[0])
    });
    let (table, history) = aggregator.finish_with_history();
    assert_eq!((table.customers.len(), history.len()), (1, 1));
    assert_eq!(history.days(0).count(), 0);
    assert_eq!(history.days(7).count(), 0);
}

#[test]
fn two_halves_merge_to_the_whole() {
    // A customer in both halves, the same day in both halves, an order in both halves.
    let rows: [Row; 10] = [
        ("b", "o1", 10, 100.0),
        ("a", "o2", 40, 30.0),
        ("b", "o1", 10, 50.0),
        ("c", "o9", 400, 5.0),
        ("b", "o3", 5, 20.0),
        ("a", "o2", 41, -10.0),
        ("b", "o1", 12, -50.0),
        ("a", "o5", 40, 0.5),
        ("b", "o1", 10, 0.25),
        ("c", "o8", 399, 1.0),
    ];
    // (The import requires an order id in every row when the column is mapped.)
    let no_ids = rows.map(|(c, _, d, a)| (c, "", d, a));
    for (columns, rows) in [
        (ALL, rows),
        (
            Columns {
                order: false,
                ..ALL
            },
            no_ids,
        ),
    ] {
        let (whole_table, whole) = build(&rows, columns);
        for cut in 0..=rows.len() {
            let (mut first, mut second) = (Aggregator::new(columns), Aggregator::new(columns));
            rows[..cut].iter().for_each(|r| first.add(&transaction(r)));
            rows[cut..].iter().for_each(|r| second.add(&transaction(r)));
            let part = second.into_part();
            // The part travels as bytes between workers.
            let part = postcard::from_bytes(&postcard::to_stdvec(&part).unwrap()).unwrap();
            first.absorb(part);
            let (table, history) = first.finish_with_history();
            assert_eq!(table, whole_table, "cut after {cut}");
            assert_eq!(history, whole, "cut after {cut}");
        }
    }
}

#[test]
fn malformed_bytes_end_early_and_fail_the_check() {
    let day = PurchaseDay {
        day: Day::from_epoch_days(19_000),
        orders: 3,
        purchase: true,
        sales: 0.1 + 0.2,
        profit: -1.0,
        quantity: 2.0,
    };
    let good = PurchaseHistory::from_days(true, true, &[vec![day], vec![]]);
    assert!(good.check());
    assert_eq!(good.days(0).collect::<Vec<_>>(), [day]);
    let mut cut = good.clone();
    cut.bytes.pop();
    cut.starts[1] -= 1;
    cut.starts[2] -= 1;
    assert!(!cut.check());
    assert_eq!(cut.days(0).count(), 0);
    let mut bad_offsets = good.clone();
    bad_offsets.starts[1] = 1_000;
    assert!(!bad_offsets.check());
    assert_eq!(bad_offsets.days(0).count(), 0);
    let twice = PurchaseHistory::from_days(true, true, &[vec![day, day]]);
    assert!(!twice.check());
    assert!(PurchaseHistory::undated(2).check());
    let (profit, quantity, starts, bytes) = good.parts();
    let back = PurchaseHistory::from_parts(profit, quantity, starts.to_vec(), bytes.to_vec());
    assert_eq!(back.as_ref(), Some(&good));
    let (_, _, starts, bytes) = cut.parts();
    assert_eq!(
        PurchaseHistory::from_parts(true, true, starts.to_vec(), bytes.to_vec()),
        None
    );
}

#[cfg(not(target_arch = "wasm32"))]
/// The plain reference: per customer and day, sums in row order; each order counted once, on
/// the day of its first row.
fn reference(rows: &[(u8, Option<u8>, i32, f64)]) -> BTreeMap<String, Vec<(i32, u32, bool, f64)>> {
    let mut days: BTreeMap<(String, i32), (u32, bool, f64)> = BTreeMap::new();
    let mut first_day: BTreeMap<(String, u8), i32> = BTreeMap::new();
    for &(customer, order, day, amount) in rows {
        let id = format!("c{customer}");
        let entry = days.entry((id.clone(), day)).or_insert((0, false, 0.0));
        entry.1 |= amount >= 0.0;
        entry.2 += amount;
        match order {
            None => entry.0 += 1,
            Some(order) => {
                first_day.entry((id, order)).or_insert(day);
            }
        }
    }
    for ((id, _), day) in first_day {
        if let Some(entry) = days.get_mut(&(id, day)) {
            entry.0 += 1;
        }
    }
    let mut customers: BTreeMap<String, Vec<(i32, u32, bool, f64)>> = BTreeMap::new();
    for ((id, day), (orders, purchase, sales)) in days {
        customers
            .entry(id)
            .or_default()
            .push((day, orders, purchase, sales));
    }
    customers
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;

    fn rows() -> impl Strategy<Value = Vec<(u8, Option<u8>, i32, f64)>> {
        vec(
            (
                0u8..6,
                proptest::option::weighted(0.8, 0u8..5),
                19_000i32..19_012,
                -8i32..40,
            )
                .prop_map(|(c, o, d, quarters)| (c, o, d, f64::from(quarters) / 4.0)),
            0..120,
        )
    }

    proptest! {
        #[test]
        fn the_history_is_the_reference_whole_and_from_two_halves(
            rows in rows(),
            cut in 0usize..120,
            ids_mapped in any::<bool>(),
        ) {
            // With an order column every row has an id (the import requires it); without, none.
            let rows: Vec<_> = rows
                .into_iter()
                .map(|(c, o, d, a)| (c, o.filter(|_| ids_mapped).or(ids_mapped.then_some(0)), d, a))
                .collect();
            let columns = Columns { order: ids_mapped, ..ALL };
            let ids: Vec<String> = rows.iter().map(|r| format!("c{}", r.0)).collect();
            let orders: Vec<Option<String>> =
                rows.iter().map(|r| r.1.map(|o| format!("o{o}"))).collect();
            let transaction = |i: usize| Transaction {
                customer: &ids[i],
                order: orders[i].as_deref(),
                day: Some(Day::from_epoch_days(rows[i].2)),
                amount: rows[i].3,
                profit: Some(rows[i].3 * 2.0),
                quantity: Some(1.0),
            };
            let expected: Vec<Vec<(i32, u32, bool, f64)>> =
                reference(&rows).into_values().collect();
            let cut = cut.min(rows.len());
            let mut whole = Aggregator::new(columns);
            (0..rows.len()).for_each(|i| whole.add(&transaction(i)));
            let (table, history) = whole.finish_with_history();
            prop_assert!(history.check());
            prop_assert_eq!(&summary(&history), &expected);
            for (i, customer) in table.customers.iter().enumerate() {
                let orders: u32 = history.days(i).map(|d| d.orders).sum();
                prop_assert_eq!(orders, customer.orders);
            }
            let (mut first, mut second) = (Aggregator::new(columns), Aggregator::new(columns));
            (0..cut).for_each(|i| first.add(&transaction(i)));
            (cut..rows.len()).for_each(|i| second.add(&transaction(i)));
            first.absorb(second.into_part());
            let (_, merged) = first.finish_with_history();
            prop_assert_eq!(merged, history);
        }

        /// The check that walks the records without decoding their amounts says what decoding
        /// every day says, on one customer's records as written and damaged anyhow: bytes
        /// flipped, cut short, or bytes of nothing at all.
        #[test]
        fn the_quick_check_is_the_decoding_check(
            days in vec((1i32..400, 1u32..300, any::<bool>(), any::<f64>(), -5_000i64..5_000), 0..12),
            first in -720_000i32..2_933_000,
            columns in 0u8..4,
            damage in vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
            cut in any::<prop::sample::Index>(),
            noise in vec(any::<u8>(), 0..40),
        ) {
            let (profit, quantity) = (columns & 1 != 0, columns & 2 != 0);
            let mut day = first;
            let written: Vec<PurchaseDay> = days
                .iter()
                .map(|&(gap, orders, purchase, raw, cents)| {
                    day += gap;
                    // Amounts of every kind: whole, cents, cents off by some units in the last
                    // place, any bits at all.
                    let sales = match cents.rem_euclid(4) {
                        0 => cents as f64,
                        1 => cents as f64 / 100.0,
                        2 => 0.1 * cents as f64 + 0.2,
                        _ => raw,
                    };
                    PurchaseDay {
                        day: Day::from_epoch_days(day),
                        orders,
                        purchase,
                        sales,
                        profit: if profit { sales * 0.3 } else { 0.0 },
                        quantity: if quantity { f64::from(orders) } else { 0.0 },
                    }
                })
                .collect();
            let history = PurchaseHistory::from_days(profit, quantity, &[written]);
            let bytes = history.parts().3.to_vec();
            // The check as it was: decode every day, then compare.
            let decoding = |bytes: &[u8]| {
                let mut days = Days::of_records(bytes, profit, quantity);
                let mut previous: Option<Day> = None;
                for day in days.by_ref() {
                    if !day.day.in_range() || previous.is_some_and(|p| p >= day.day) {
                        return false;
                    }
                    previous = Some(day.day);
                }
                days.at == bytes.len()
            };
            let quick = |bytes: &[u8]| Days::of_records(bytes, profit, quantity).check_to_end();
            prop_assert_eq!(quick(&bytes), decoding(&bytes));
            // Days rise: the first and the last are the ones that may leave the range.
            let lowest = first + days.first().map_or(0, |d| d.0);
            let in_range = Day::from_epoch_days(lowest).in_range()
                && Day::from_epoch_days(day).in_range();
            prop_assert_eq!(quick(&bytes), in_range || days.is_empty());
            let mut damaged = bytes.clone();
            if !damaged.is_empty() {
                for (at, byte) in &damage {
                    let at = at.index(damaged.len());
                    damaged[at] = *byte;
                }
                prop_assert_eq!(quick(&damaged), decoding(&damaged));
                let short = &bytes[..cut.index(bytes.len())];
                prop_assert_eq!(quick(short), decoding(short));
            }
            prop_assert_eq!(quick(&noise), decoding(&noise));
        }
    }
}

#[test]
fn thousands_of_customers_in_a_scrambled_order_group_exactly() {
    // 3,000 customers (the grouping's two steps then use 256 buckets), rows in a scrambled
    // order: every customer's days are the reference's.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let ids: Vec<String> = (0..3_000).map(|i| format!("c{i:05}")).collect();
    let orders: Vec<String> = (0..40_000).map(|i| format!("o{i}")).collect();
    let mut aggregator = Aggregator::new(ALL);
    let mut expected: BTreeMap<(usize, Day), (u32, f64)> = BTreeMap::new();
    let mut first_line: BTreeMap<(usize, usize), Day> = BTreeMap::new();
    for _ in 0..40_000 {
        let (customer, order) = (next(3_000) as usize, next(40_000) as usize);
        let day = Day::from_epoch_days(19_000 + next(500) as i32);
        let amount = next(4_000) as f64 / 4.0 - 100.0;
        aggregator.add(&Transaction {
            customer: &ids[customer],
            order: Some(&orders[order]),
            day: Some(day),
            amount,
            profit: None,
            quantity: None,
        });
        expected.entry((customer, day)).or_default().1 += amount;
        first_line.entry((customer, order)).or_insert(day);
    }
    for ((customer, _), day) in first_line {
        if let Some(entry) = expected.get_mut(&(customer, day)) {
            entry.0 += 1;
        }
    }
    let (table, history) = aggregator.finish_with_history();
    assert!(history.check());
    let got: BTreeMap<(usize, Day), (u32, f64)> = table
        .customers
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            let customer: usize = c.id[1..].parse().unwrap();
            history
                .days(i)
                .map(move |d| ((customer, d.day), (d.orders, d.sales)))
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn pieces_by_bytes_cover_every_customer_once() {
    use crate::engine::test_support::aggregate;
    let mut text = String::from("customer,order,date,amount\n");
    // Customer A buys on many days, the others on one or two.
    for day in 1..=28 {
        text.push_str(&format!("A,a{day},2024-02-{day:02},5\n"));
    }
    for n in 0..40 {
        text.push_str(&format!("C{n:02},c{n},2024-03-0{},7\n", 1 + n % 9));
    }
    let (_, history) = aggregate(&text, false);
    let total = history.record_bytes() as u64;
    for bytes in [0, 1, 10, 100, total / 3, total, u64::MAX] {
        let mut from = 0;
        let mut pieces = 0;
        while from < history.len() {
            let to = history.piece_end(from, bytes);
            assert!(
                to > from && to <= history.len(),
                "bytes {bytes}: {from} → {to}"
            );
            // A piece is as small as it can be: without its last customer it holds less.
            if to - from > 1 {
                let held: usize = (from..to - 1).map(|i| history.days(i).count()).sum();
                assert!(held > 0 || bytes <= 1);
            }
            from = to;
            pieces += 1;
        }
        assert_eq!(from, history.len());
        if bytes >= total {
            assert_eq!(pieces, 1, "one piece holds everything");
        }
    }
    assert_eq!(history.piece_end(history.len(), 10), history.len());
    assert_eq!(history.piece_end(usize::MAX, 10), history.len());
    // The first customer (A, 28 days) is a piece alone for any size under its records.
    assert_eq!(history.piece_end(0, 2), 1);
}
