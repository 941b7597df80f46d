//! What one importer's aggregator hands to another when a file is read in two halves
//! ([`crate::engine::ingest::Part`]): its customers as they stand, with the hashes of their
//! order ids, so that an order met in both halves still counts once.

use serde::{Deserialize, Serialize};

use super::{Accumulator, Aggregator, Customer, MonthTotal};

/// An aggregator's customers with their order-id hashes, to merge into another aggregator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AggregatePart {
    customers: Vec<Customer>,
    /// Per customer (same order), the hashes of its distinct order ids (empty without an order
    /// column).
    order_hashes: Vec<Vec<u64>>,
}

impl AggregatePart {
    /// Number of customers in the part.
    pub fn len(&self) -> usize {
        self.customers.len()
    }

    /// True when the part has no customer.
    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }
}

fn add_months(into: &mut Vec<MonthTotal>, months: &[MonthTotal]) {
    for m in months {
        match into.iter_mut().rev().find(|t| t.month == m.month) {
            Some(total) => {
                total.sales += m.sales;
                total.profit += m.profit;
            }
            None => into.push(*m),
        }
    }
}

impl Aggregator {
    /// The slot of customer `id`, added (empty) when new.
    fn slot(&mut self, id: &str) -> usize {
        if let Some(&slot) = self.index.get(id) {
            return slot;
        }
        let slot = self.accumulators.len();
        self.index.insert(id.into(), slot);
        self.accumulators.push(Accumulator {
            customer: Customer {
                id: id.to_string(),
                ..Default::default()
            },
            ..Default::default()
        });
        slot
    }

    /// Everything gathered so far, for [`Aggregator::absorb`] in another aggregator.
    pub fn into_part(self) -> AggregatePart {
        let mut part = AggregatePart::default();
        for acc in self.accumulators {
            part.customers.push(acc.customer);
            part.order_hashes
                .push(acc.order_hashes.into_iter().collect());
        }
        part
    }

    /// Adds the customers of `part` (gathered from rows after this aggregator's rows).
    pub fn absorb(&mut self, part: AggregatePart) {
        let mut hashes = part.order_hashes.into_iter();
        for customer in part.customers {
            let order_hashes = hashes.next().unwrap_or_default();
            let slot = self.slot(&customer.id);
            let Accumulator {
                customer: into,
                order_hashes: known,
                ..
            } = &mut self.accumulators[slot];
            into.rows += customer.rows;
            into.returns += customer.returns;
            into.sales += customer.sales;
            into.profit += customer.profit;
            into.quantity += customer.quantity;
            into.first = match (into.first, customer.first) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            into.last = match (into.last, customer.last) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            add_months(&mut into.months, &customer.months);
            if self.columns.order {
                for hash in order_hashes {
                    if known.insert(hash) {
                        into.orders += 1;
                    }
                }
            } else {
                into.orders += customer.orders;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Columns, Transaction};
    use super::*;

    fn tx<'a>(customer: &'a str, order: &'a str, day: i32, amount: f64) -> Transaction<'a> {
        Transaction {
            customer,
            order: Some(order),
            day: Some(day),
            amount,
            profit: Some(amount / 10.0),
            quantity: Some(1.0),
        }
    }

    #[test]
    fn two_halves_merge_to_the_whole() {
        let columns = Columns {
            order: true,
            date: true,
            profit: true,
            quantity: true,
        };
        let rows = [
            tx("b", "o1", 10, 100.0),
            tx("a", "o2", 40, 30.0),
            tx("b", "o1", 10, 50.0),
            tx("c", "o9", 400, 5.0),
            tx("b", "o3", 5, 20.0),
            tx("a", "o2", 41, -10.0),
            tx("b", "o1", 12, -50.0),
        ];
        let mut whole = Aggregator::new(columns);
        rows.iter().for_each(|r| whole.add(r));
        let whole = whole.finish();
        for cut in 0..=rows.len() {
            let (mut first, mut second) = (Aggregator::new(columns), Aggregator::new(columns));
            rows[..cut].iter().for_each(|r| first.add(r));
            rows[cut..].iter().for_each(|r| second.add(r));
            first.absorb(second.into_part());
            assert_eq!(first.finish(), whole, "cut after {cut} rows");
        }
    }
}
