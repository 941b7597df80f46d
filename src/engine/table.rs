//! Customer tables (客户列表): search, sort and page a list of customers so 100,000+ rows stay
//! smooth in the browser: only one page is ever rendered.

use serde::{Deserialize, Serialize};

use super::customers::Customer;
use super::numeric::ascending_bits;

/// A sortable column of the customer table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SortKey {
    /// Customer id (text order).
    Id,
    /// Orders.
    Orders,
    /// Net sales.
    #[default]
    Sales,
    /// Net profit.
    Profit,
    /// First purchase.
    First,
    /// Last purchase.
    Last,
}

/// What the user asked the table for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableQuery {
    /// Case-insensitive substring of the customer id; empty for all.
    pub search: String,
    /// Sort column.
    pub sort: SortKey,
    /// Largest first.
    pub descending: bool,
    /// Zero-based page.
    pub page: usize,
    /// Rows per page (at least 1).
    pub page_size: usize,
}

impl Default for TableQuery {
    fn default() -> Self {
        TableQuery {
            search: String::new(),
            sort: SortKey::Sales,
            descending: true,
            page: 0,
            page_size: 25,
        }
    }
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TablePage {
    /// Indices into the customer slice, in display order.
    pub rows: Vec<usize>,
    /// Customers matching the search.
    pub matches: usize,
    /// Number of pages (at least 1).
    pub pages: usize,
    /// The page shown (clamped).
    pub page: usize,
}

/// Filters, sorts and pages `customers`. Ties are broken by customer id, so the order is stable.
pub fn query_customers(customers: &[Customer], query: &TableQuery) -> TablePage {
    query_subset(customers, None, query)
}

/// Like [`query_customers`], over the customers at `subset` (indices into `customers`; indices
/// out of range are skipped) or over all of them when `subset` is `None`.
pub fn query_subset(
    customers: &[Customer],
    subset: Option<&[usize]>,
    query: &TableQuery,
) -> TablePage {
    let needle = query.search.trim().to_lowercase();
    let matches = |i: usize| needle.is_empty() || customers[i].id.to_lowercase().contains(&needle);
    let indices: Vec<usize> = match subset {
        Some(subset) => subset
            .iter()
            .copied()
            .filter(|&i| i < customers.len() && matches(i))
            .collect(),
        None if needle.is_empty() => (0..customers.len()).collect(),
        None => (0..customers.len()).filter(|&i| matches(i)).collect(),
    };
    let key = |c: &Customer| -> f64 {
        match query.sort {
            SortKey::Id => 0.0,
            SortKey::Orders => c.orders as f64,
            SortKey::Sales => c.sales,
            SortKey::Profit => c.profit,
            SortKey::First => c
                .first
                .map_or(f64::NEG_INFINITY, |d| f64::from(d.epoch_days())),
            SortKey::Last => c
                .last
                .map_or(f64::NEG_INFINITY, |d| f64::from(d.epoch_days())),
        }
    };
    page_of(
        indices,
        |i| key(&customers[i]),
        |a, b| customers[a].id.cmp(&customers[b].id),
        query.descending,
        query.page,
        query.page_size,
    )
}

/// One page of `indices`, ordered by `key` (then `tie`, so the order is total), without sorting
/// more than the pages up to the one shown: a million customers' first page is one pass that
/// finds the cut (the key of the last item of that page) and a sort of the few items at or
/// before it. Keys are compared as the integers of [`ascending_bits`] (the order of
/// [`f64::total_cmp`]), in plain loops: the app's size-optimised build calls a comparison
/// sort's comparison at every step, which made the overview's first page of ten million rows'
/// customers a 40 ms part of the hand-off's one long task.
pub fn page_of(
    indices: Vec<usize>,
    key: impl Fn(usize) -> f64,
    tie: impl Fn(usize, usize) -> std::cmp::Ordering,
    descending: bool,
    page: usize,
    page_size: usize,
) -> TablePage {
    let page_size = page_size.max(1);
    let matches = indices.len();
    let pages = matches.div_ceil(page_size).max(1);
    let page = page.min(pages - 1);
    let end = ((page + 1) * page_size).min(matches);
    // Each item's place: smaller comes first.
    let places: Vec<u64> = indices
        .iter()
        .map(|&i| {
            let bits = ascending_bits(key(i));
            if descending {
                !bits
            } else {
                bits
            }
        })
        .collect();
    let rows = match smallest_kth(&places, end) {
        None => Vec::new(),
        Some(cut) => {
            let mut chosen: Vec<(u64, usize)> = places
                .iter()
                .zip(&indices)
                .filter(|&(&place, _)| place <= cut)
                .map(|(&place, &i)| (place, i))
                .collect();
            let order =
                |a: &(u64, usize), b: &(u64, usize)| a.0.cmp(&b.0).then_with(|| tie(a.1, b.1));
            // Many items tied at the cut (every key equal when sorting by id): the tie decides
            // which of them reach the page, and only those are sorted.
            if chosen.len() > end {
                chosen.select_nth_unstable_by(end - 1, order);
                chosen.truncate(end);
            }
            chosen.sort_by(order);
            chosen
                .into_iter()
                .skip(page * page_size)
                .take(page_size)
                .map(|(_, i)| i)
                .collect()
        }
    };
    TablePage {
        rows,
        matches,
        pages,
        page,
    }
}

/// The `k`-th smallest of `values` (1 for the smallest); `None` for `k` 0 or beyond the values.
/// A heap of the `k` smallest so far, touched only by a value below its largest.
fn smallest_kth(values: &[u64], k: usize) -> Option<u64> {
    if k == 0 || k > values.len() {
        return None;
    }
    let mut heap = std::collections::BinaryHeap::with_capacity(k);
    let mut largest = u64::MAX;
    for &value in values {
        if heap.len() < k {
            heap.push(value);
            if heap.len() == k {
                largest = heap.peek().copied().unwrap_or(u64::MAX);
            }
        } else if value < largest {
            heap.pop();
            heap.push(value);
            largest = heap.peek().copied().unwrap_or(u64::MAX);
        }
    }
    heap.peek().copied()
}

/// Filters, sorts and pages any list: `matches` filters, `key` sorts (ties by `tie`), and one
/// page of indices into `items` comes back. `tie` should tell any two items apart (an id), so
/// that every item has one place and the pages neither repeat nor skip one.
pub fn page_by<T>(
    items: &[T],
    matches: impl Fn(&T) -> bool,
    key: impl Fn(&T) -> f64,
    tie: impl Fn(&T, &T) -> std::cmp::Ordering,
    descending: bool,
    page: usize,
    page_size: usize,
) -> TablePage {
    let indices: Vec<usize> = (0..items.len()).filter(|&i| matches(&items[i])).collect();
    page_of(
        indices,
        |i| key(&items[i]),
        |a, b| tie(&items[a], &items[b]),
        descending,
        page,
        page_size,
    )
}

/// Net sales of the customers at `subset` as a share of the net sales of all customers; `None`
/// when total sales are not positive.
pub fn sales_share_of(customers: &[Customer], subset: &[usize]) -> Option<f64> {
    sales_shares_of(customers, [subset]).pop().flatten()
}

/// [`sales_share_of`] each of `subsets`, the customers' total summed once (a million customers'
/// records read once, not once a subset).
pub fn sales_shares_of<'a>(
    customers: &[Customer],
    subsets: impl IntoIterator<Item = &'a [usize]>,
) -> Vec<Option<f64>> {
    let sums = subsets.into_iter().map(|subset| {
        subset
            .iter()
            .filter_map(|&i| customers.get(i))
            .map(|c| c.sales)
            .sum::<f64>()
    });
    sales_shares_of_sums(customers, sums)
}

/// [`sales_shares_of`] for subsets whose sales are known (`sums`, each summed in its subset's
/// order): the total is still read from `customers`.
pub fn sales_shares_of_sums(
    customers: &[Customer],
    sums: impl IntoIterator<Item = f64>,
) -> Vec<Option<f64>> {
    let total: f64 = customers.iter().map(|c| c.sales).sum();
    sums.into_iter()
        .map(|part| (total > 0.0).then(|| part / total))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(id: &str, sales: f64) -> Customer {
        Customer {
            id: id.into(),
            sales,
            orders: 1,
            ..Default::default()
        }
    }

    #[test]
    fn the_pages_together_are_the_fully_sorted_list() {
        // Many equal keys: only the tie orders them.
        let items: Vec<(f64, usize)> = (0..1000).map(|i| (((i * 7919) % 13) as f64, i)).collect();
        let mut sorted: Vec<usize> = (0..items.len()).collect();
        sorted.sort_by(|&a, &b| items[b].0.total_cmp(&items[a].0).then(a.cmp(&b)));
        for size in [1, 7, 25, 1000] {
            let pages = 1000usize.div_ceil(size);
            let all: Vec<usize> = (0..pages)
                .flat_map(|page| {
                    page_by(
                        &items,
                        |_| true,
                        |x| x.0,
                        |a, b| a.1.cmp(&b.1),
                        true,
                        page,
                        size,
                    )
                    .rows
                })
                .collect();
            assert_eq!(all, sorted, "pages of {size}");
        }
    }

    /// The page without a full sort is the page of the full sort: random keys with many ties,
    /// -0.0 and 0.0, both directions, every page of several sizes, and a subset of the items.
    #[test]
    fn a_page_is_the_fully_sorted_lists_page() {
        let mut random = crate::engine::test_support::xorshift(0x2545_f491_4f6c_dd1du64);
        let items: Vec<(f64, usize)> = (0..2_000)
            .map(|i| {
                let key = match random() % 5 {
                    0 => -0.0,
                    1 => 0.0,
                    _ => (random() % 50) as f64 - 20.5,
                };
                (key, i)
            })
            .collect();
        for descending in [true, false] {
            let mut sorted: Vec<usize> = (0..items.len()).filter(|i| i % 3 != 1).collect();
            sorted.sort_by(|&a, &b| {
                let primary = items[a].0.total_cmp(&items[b].0);
                let primary = if descending {
                    primary.reverse()
                } else {
                    primary
                };
                primary.then(a.cmp(&b))
            });
            for size in [1, 25, 333, 5_000] {
                for page in 0..sorted.len().div_ceil(size) + 1 {
                    let shown = page_by(
                        &items,
                        |x| x.1 % 3 != 1,
                        |x| x.0,
                        |a, b| a.1.cmp(&b.1),
                        descending,
                        page,
                        size,
                    );
                    let from = shown.page * size;
                    let expected = &sorted[from..(from + size).min(sorted.len())];
                    assert_eq!(shown.rows, expected, "{descending} {size} {page}");
                }
            }
        }
        // Every key equal (the id column's sort): the tie alone orders the pages.
        let tied: Vec<(f64, usize)> = (0..500).map(|i| (0.0, (i * 7_919) % 500)).collect();
        let mut by_tie: Vec<usize> = (0..tied.len()).collect();
        by_tie.sort_by_key(|&i| tied[i].1);
        for (size, page) in [(25, 0), (25, 3), (333, 1), (500, 0)] {
            let shown = page_by(
                &tied,
                |_| true,
                |x| x.0,
                |a, b| a.1.cmp(&b.1),
                true,
                page,
                size,
            );
            let from = page * size;
            assert_eq!(
                shown.rows,
                &by_tie[from..(from + size).min(500)],
                "{size} {page}"
            );
        }
        assert_eq!(smallest_kth(&[5, 1, 4, 1], 2), Some(1));
        assert_eq!(smallest_kth(&[5, 1, 4, 1], 3), Some(4));
        assert_eq!(smallest_kth(&[5, 1], 0), None);
        assert_eq!(smallest_kth(&[5, 1], 3), None);
    }

    #[test]
    fn search_sort_page() {
        let customers = vec![
            customer("b", 5.0),
            customer("a", 5.0),
            customer("c", 9.0),
            customer("ab", 1.0),
        ];
        let page = query_customers(
            &customers,
            &TableQuery {
                page_size: 2,
                ..Default::default()
            },
        );
        assert_eq!(
            (page.rows.clone(), page.matches, page.pages),
            (vec![2, 1], 4, 2)
        );
        let second = query_customers(
            &customers,
            &TableQuery {
                page_size: 2,
                page: 9,
                ..Default::default()
            },
        );
        assert_eq!((second.rows, second.page), (vec![0, 3], 1));
        let search = query_customers(
            &customers,
            &TableQuery {
                search: "A".into(),
                sort: SortKey::Id,
                descending: false,
                ..Default::default()
            },
        );
        assert_eq!(search.rows, vec![1, 3]);
        let subset = query_subset(&customers, Some(&[3, 0, 99]), &TableQuery::default());
        assert_eq!((subset.rows, subset.matches), (vec![0, 3], 2));
        assert_eq!(sales_share_of(&customers, &[2, 3]), Some(0.5));
        // Several subsets at once: each as alone, an index out of range passed over.
        let subsets: [&[usize]; 4] = [&[2, 3], &[], &[0, 1, 2, 3], &[1, 99]];
        let alone: Vec<Option<f64>> = subsets
            .iter()
            .map(|s| sales_share_of(&customers, s))
            .collect();
        assert_eq!(sales_shares_of(&customers, subsets), alone);
        assert_eq!(alone[2], Some(1.0));
        let numbers = [3.0, 1.0, 2.0, 1.0];
        let paged = page_by(
            &numbers,
            |v| *v < 3.0,
            |v| *v,
            |_, _| std::cmp::Ordering::Equal,
            false,
            0,
            2,
        );
        assert_eq!((paged.rows, paged.matches, paged.pages), (vec![1, 3], 3, 2));
        assert_eq!(sales_share_of(&[], &[]), None);
        let empty = query_customers(&[], &TableQuery::default());
        assert_eq!((empty.rows.len(), empty.pages, empty.page), (0, 1, 0));
    }
}
