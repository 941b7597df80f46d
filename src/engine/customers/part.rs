//! What one importer's aggregator hands to another when a file is read in two halves
//! ([`crate::engine::ingest::Part`]): its customers as they stand, with the keys of their
//! distinct order ids, so that an order met in both halves still counts once. Packed keys mean
//! the same in every aggregator; numbered ones are numbered by the part's aggregator, so the
//! part carries the text of those ids.

use serde::{Deserialize, Serialize};

use super::{order_log, orders_of, Aggregator, CustomerColumns, Gathered, Ids, Months, OrderKeys};
use crate::engine::calendar::Day;
use crate::engine::history::PurchaseHistory;

/// An aggregator's customers with their order ids, to merge into another aggregator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AggregatePart {
    /// The customers in order of appearance (the shape customers travel in); with a date
    /// column without their sums, first and last day and months, which are their days'.
    customers: CustomerColumns,
    /// Per customer (same order), the keys ([`OrderKeys`]) of its distinct order ids with the
    /// day of each one's first line (empty without an order column).
    order_keys: Vec<Vec<(u64, Day)>>,
    /// The ids the part's aggregator numbered, by number.
    numbered: Vec<String>,
    /// The customers' purchase days (same order), with the rows without an order id as orders.
    history: PurchaseHistory,
    /// The customers' attribute codes (same order; none without attribute columns).
    #[serde(default)]
    attributes: crate::engine::dimensions::AttributeBuilder,
    /// The customers' line attribute sums by slot (none without line attribute columns).
    #[serde(default)]
    lines: crate::engine::dimensions::LineBuilder,
    /// With a date column, the sums of rows without a day, by customer (same order; which no
    /// import gives).
    #[serde(default)]
    undated: Vec<(u32, [f64; 3])>,
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

impl Aggregator {
    /// Everything gathered so far, for [`Aggregator::absorb`] in another aggregator.
    pub fn into_part(mut self) -> AggregatePart {
        let (columns, dated) = (self.columns, self.history.is_dated());
        // Every row applied first: the undated rows' sums are then all there.
        self.flush();
        let mut undated: Vec<(u32, [f64; 3])> =
            std::mem::take(&mut self.undated).into_iter().collect();
        undated.sort_unstable_by_key(|&(slot, _)| slot);
        let mut finished = self.into_parts();
        let (starts, hashes, order_days) = order_log::grouped(
            std::mem::take(&mut finished.order_log),
            finished.customers.len(),
            dated,
        );
        let ids = Ids {
            text: &finished.ids,
            ends: &finished.id_ends,
        };
        let mut part = AggregatePart {
            customers: CustomerColumns::with_capacity(columns, finished.customers.len()),
            history: finished.history.into_part(finished.customers.len()),
            attributes: finished.attributes,
            lines: finished.lines,
            ..AggregatePart::default()
        };
        // In order of appearance, as the rows came.
        for (slot, hot) in (0u32..).zip(finished.customers) {
            let days = orders_of(&starts, &order_days, slot);
            let mut keys: Vec<(u64, Day)> = orders_of(&starts, &hashes, slot)
                .iter()
                .zip(
                    days.iter()
                        .chain(std::iter::repeat(&crate::engine::calendar::NO_DAY)),
                )
                .map(|(&key, &day)| (key, day))
                .collect();
            keys.dedup_by_key(|(key, _)| *key);
            let count = u32::try_from(keys.len()).unwrap_or(u32::MAX);
            let id = ids.get(slot).to_string();
            // With dates, its sums, span and months travel as its purchase days only (and the
            // sums of its rows without a day in `undated`): the aggregator that absorbs the part
            // takes them from there, so they are not gathered here.
            let gathered = match dated {
                true => Gathered::default(),
                false => Gathered::of_record(&hot),
            };
            part.customers
                .push(hot.customer_with(id, count, &gathered, Months::default()));
            part.order_keys.push(keys);
        }
        part.numbered = finished.order_keys.numbered_ids();
        part.undated = undated;
        part
    }

    /// Adds the customers of `part` (gathered from rows after this aggregator's rows).
    pub fn absorb(&mut self, part: AggregatePart) {
        // This aggregator's own rows come first.
        self.flush();
        self.close_days();
        let mut order_keys = part.order_keys.into_iter();
        let count_orders = self.columns.order;
        // Columns that disagree in length come from no aggregator: nothing to absorb.
        let Ok(customers) = part.customers.into_rows() else {
            return;
        };
        let dated = self.history.is_dated();
        let mut slots = Vec::new();
        for (index, customer) in customers.enumerate() {
            let keys = order_keys.next().unwrap_or_default();
            let slot = self.slot(&customer.id);
            slots.push(slot);
            self.history.absorb_customer(slot, &part.history, index);
            self.attributes
                .absorb_customer(slot, &part.attributes, index);
            let Some(into) = self.customers.get_mut(slot as usize) else {
                continue;
            };
            into.rows += customer.rows;
            into.returns += customer.returns;
            // With dates, its sums, span and months come with its purchase days, absorbed above
            // (and those of its rows without a day apart).
            match dated {
                true => {
                    let sums = u32::try_from(index)
                        .ok()
                        .and_then(|at| part.undated.binary_search_by_key(&at, |&(s, _)| s).ok())
                        .and_then(|i| part.undated.get(i))
                        .map(|&(_, sums)| sums);
                    if let Some([sales, profit, quantity]) = sums {
                        let into = self.undated.entry(slot).or_insert([0.0; 3]);
                        into[0] += sales;
                        into[1] += profit;
                        into[2] += quantity;
                    }
                }
                false => into.day.add_to_sums(
                    customer.sales,
                    Some(customer.profit),
                    Some(customer.quantity),
                ),
            }
            if count_orders {
                // Counted with this aggregator's own orders at the end: an order met in both
                // halves counts once.
                for (key, day) in keys {
                    let key = match OrderKeys::numbered(key) {
                        // Numbered by the part: numbered here too (found, or added).
                        Some(number) => {
                            let id = part
                                .numbered
                                .get(number as usize)
                                .map_or("", String::as_str);
                            self.order_keys.key(id)
                        }
                        None => key,
                    };
                    self.order_log.push((slot, day, key));
                }
            } else {
                into.orders += customer.orders;
            }
        }
        // The line attributes' (customer, value) pairs, their orders keyed as above.
        let (numbered, order_keys) = (&part.numbered, &mut self.order_keys);
        self.lines
            .absorb(&part.lines, &slots, |key| match OrderKeys::numbered(key) {
                Some(number) => {
                    let id = numbered.get(number as usize).map_or("", String::as_str);
                    order_keys.key(id)
                }
                None => key,
            });
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::tx;
    use super::super::Columns;
    use super::*;

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
        let (whole, whole_history) = whole.finish_with_history();
        assert_eq!(whole_history.day_count(), 6);
        for cut in 0..=rows.len() {
            let (mut first, mut second) = (Aggregator::new(columns), Aggregator::new(columns));
            rows[..cut].iter().for_each(|r| first.add(r));
            rows[cut..].iter().for_each(|r| second.add(r));
            // As between two workers: the part as bytes.
            let part = postcard::to_stdvec(&second.into_part()).unwrap();
            first.absorb(postcard::from_bytes(&part).unwrap());
            let (table, history) = first.finish_with_history();
            assert_eq!(table, whole, "cut after {cut} rows");
            assert_eq!(history, whole_history, "cut after {cut} rows");
        }
    }
}
