//! The filter (筛选, issue 20): the analyses restricted to the customers with chosen values of
//! one customer attribute, next to the breakdown ([`super::breakdown`]), which keeps every
//! customer and cuts the results by the attribute.
//!
//! A [`Filter`] names the attribute by its key and the chosen values by their text (the blank
//! value is `""`), so it survives a re-import that interns the values in another order. It
//! selects the customers whose value is one of the chosen ([`Filter::mask`]); [`select`] makes
//! of them a [`Subset`]: their table, purchase days and attributes, in table order (by id).
//!
//! # The two modes
//! - **Keep the global scores** ([`FilterMode::Keep`], the default): the analyses run on all
//!   customers and their per-customer results are restricted to the chosen ones.
//!   - *Deciles* ([`crate::engine::deciles::analyse_deciles_within`]): every chosen customer
//!     keeps the decile it has among all customers; the decile table shows, per global decile,
//!     the chosen customers' count, sales, profit and orders, with shares of the chosen
//!     customers' totals (a decile may hold none). The groups (retain, grow, declining,
//!     transaction) are those of all customers, keeping their chosen members. The value
//!     deciles and the Lorenz curve describe the chosen customers' own spread.
//!   - *RFM* ([`crate::engine::rfm::restrict_rfm`]): scores, tiers, thresholds and bin
//!     warnings of all customers; the segment, tier, grid and histogram counts are of the
//!     chosen customers.
//! - **Re-score within the filter** ([`FilterMode::Rescore`]): the analyses run on the
//!   sub-table as if it were the whole data (deciles of equal size within the filter, RFM
//!   quantiles of the chosen customers).
//!
//! In both modes the analyses that follow customers through time (lifecycle, cohorts, CLV) and
//! the clusters run on the chosen customers' table and purchase days: there is no "global
//! score" to keep for them.
//!
//! # A filter on a line attribute (product, category, SKU)
//! [`select_lines`] chooses the customers having at least one order line with a chosen value.
//! Keeping the global scores reads their whole purchases, as above; **re-scoring** reads
//! [`Subset::matching`]: M is the net spend on matching lines and F the orders having a
//! matching line (with several values chosen, an order with lines of two of them counts once
//! for each). Recency and the months stay the customer's own: the import keeps no day per line.
//!
//! # Rules
//! - A chosen value that no customer has is ignored; a filter that chooses no customer gives an
//!   empty subset (the analyses then say there are no data).
//! - An attribute key the data does not have, or attributes that do not fit the table, is an
//!   [`Error::Format`]: the UI clears the filter when the data changes, so this only happens
//!   for a filter made for other data.
//!
//! # Example
//! ```
//! use valuelens::engine::customers::{Columns, Customer, CustomerTable};
//! use valuelens::engine::dimensions::{Attribute, CustomerAttributes};
//! use valuelens::engine::dimensions::filter::{select, Filter, FilterMode};
//!
//! let customers = ["a", "b", "c"]
//!     .into_iter()
//!     .map(|id| Customer { id: id.into(), sales: 1.0, orders: 1, ..Default::default() })
//!     .collect();
//! let table = CustomerTable { customers, columns: Columns::default() };
//! let region = Attribute {
//!     key: "region".into(),
//!     values: vec!["North".into(), "South".into()],
//!     codes: vec![0, 1, 0],
//!     ..Default::default()
//! };
//! let attributes = CustomerAttributes { attributes: vec![region] };
//! let filter = Filter { key: "region".into(), values: vec!["North".into()], mode: FilterMode::Keep };
//! let subset = select(&table, None, &attributes, &filter)?;
//! assert_eq!(subset.indices, [0, 2]);
//! assert_eq!(subset.table.customers[1].id, "c");
//! assert_eq!(subset.population, 3);
//! # Ok::<(), valuelens::engine::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::{Attribute, CustomerAttributes};
use crate::engine::customers::CustomerTable;
use crate::engine::error::{Error, FormatProblem, FormatSubject, Result};
use crate::engine::history::PurchaseHistory;

/// Whether a filter keeps the scores of all customers or scores the chosen ones anew.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FilterMode {
    /// Deciles, RFM scores and segments of all customers, restricted to the chosen ones.
    #[default]
    Keep,
    /// Deciles, RFM scores and segments computed among the chosen customers only.
    Rescore,
}

impl FilterMode {
    /// Both modes, the default first.
    pub const ALL: [FilterMode; 2] = [FilterMode::Keep, FilterMode::Rescore];

    /// A stable machine name: `keep` or `rescore`.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterMode::Keep => "keep",
            FilterMode::Rescore => "rescore",
        }
    }

    /// The mode whose [`FilterMode::as_str`] is `name`.
    pub fn from_name(name: &str) -> Option<FilterMode> {
        FilterMode::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

/// The customers with chosen values of one attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Filter {
    /// The attribute's key ([`Attribute::key`]).
    pub key: String,
    /// The chosen values, by their text (`""` for blank cells).
    pub values: Vec<String>,
    /// Keep the global scores or re-score.
    pub mode: FilterMode,
}

fn mismatch(detail: &str) -> Error {
    Error::Format {
        what: FormatSubject::ImportResult,
        reason: FormatProblem::Handoff {
            detail: detail.into(),
        },
    }
}

impl Filter {
    /// The attribute the filter reads, checked against a table of `customers` customers.
    ///
    /// # Errors
    /// [`Error::Format`] when `attributes` has no attribute of this key or it does not fit.
    pub fn attribute<'a>(
        &self,
        attributes: &'a CustomerAttributes,
        customers: usize,
    ) -> Result<&'a Attribute> {
        attributes
            .get(&self.key)
            .filter(|a| a.codes.len() == customers && a.check())
            .ok_or_else(|| mismatch("filter attribute does not match the customers"))
    }

    /// The attribute filtered on, and the customers of a table of `customers` customers whose
    /// value is chosen (their indices, ascending), found in one pass over the codes.
    ///
    /// # Errors
    /// Those of [`Filter::attribute`].
    pub fn chosen<'a>(
        &self,
        attributes: &'a CustomerAttributes,
        customers: usize,
    ) -> Result<(&'a Attribute, Vec<usize>)> {
        let attribute = self.attribute(attributes, customers)?;
        let chosen: Vec<bool> = attribute
            .values
            .iter()
            .map(|value| self.values.iter().any(|v| v == value))
            .collect();
        let indices = attribute
            .codes
            .iter()
            .enumerate()
            .filter(|&(_, &code)| chosen.get(code as usize).copied().unwrap_or(false))
            .map(|(i, _)| i)
            .collect();
        Ok((attribute, indices))
    }
}

/// The values of `attribute` that some customer has, with their customers: the most customers
/// first, ties by the value's text in byte order (what a filter offers to choose from).
pub fn value_counts(attribute: &Attribute) -> Vec<(String, usize)> {
    counted_values(&attribute.values, &attribute.codes)
}

/// How many of `codes` name each of `values`, for the values named at least once: the most
/// first, ties by the value's text in byte order.
fn counted_values(values: &[String], codes: &[u32]) -> Vec<(String, usize)> {
    let mut counts = vec![0usize; values.len()];
    for &code in codes {
        if let Some(count) = counts.get_mut(code as usize) {
            *count += 1;
        }
    }
    let mut named: Vec<(String, usize)> = values
        .iter()
        .zip(counts)
        .filter(|&(_, count)| count > 0)
        .map(|(value, count)| (value.clone(), count))
        .collect();
    named.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    named
}

/// The sales decile (1 to 10) among all customers of `table` of every customer of `subset`
/// (chosen from `table`), in the subset's order: what a breakdown of a filter that keeps the
/// global scores cuts by ([`super::breakdown_in_deciles`]).
///
/// # Errors
/// [`Error::NoData`] without customers.
pub fn kept_deciles(table: &CustomerTable, subset: &Subset) -> Result<Vec<u8>> {
    Ok(deciles_kept(&super::sales_deciles(table)?, subset))
}

/// [`kept_deciles`] given the sales deciles of every customer of the table (`all`, from
/// [`super::sales_deciles`]); 0 for an index past them.
pub fn deciles_kept(all: &[u8], subset: &Subset) -> Vec<u8> {
    subset
        .indices
        .iter()
        .map(|&i| all.get(i).copied().unwrap_or(0))
        .collect()
}

/// The chosen customers, as data of their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subset {
    /// The filter.
    pub filter: Filter,
    /// The attribute's header (for "Filtered: region = …").
    pub name: String,
    /// The chosen customers' indices into the whole table, ascending.
    pub indices: Vec<usize>,
    /// Their table, in the same order.
    pub table: CustomerTable,
    /// Their purchase days (when the whole data has them).
    pub history: Option<PurchaseHistory>,
    /// Their attributes.
    pub attributes: CustomerAttributes,
    /// Customers of the whole table.
    pub population: usize,
    /// For a filter on a line attribute ([`select_lines`]): the chosen customers, in the same
    /// order, with sales, profit and orders of their matching lines only — what re-scoring
    /// reads (M is the spend on matching lines, F the orders with a matching line). `None` for
    /// a customer attribute.
    #[serde(default)]
    pub matching: Option<CustomerTable>,
}

/// The customers of `table` that `filter` chooses, with their purchase days (`history`,
/// parallel to `table`) and their attributes.
///
/// # Errors
/// Those of [`Filter::mask`].
pub fn select(
    table: &CustomerTable,
    history: Option<&PurchaseHistory>,
    attributes: &CustomerAttributes,
    filter: &Filter,
) -> Result<Subset> {
    let (attribute, indices) = filter.chosen(attributes, table.customers.len())?;
    let name = attribute.name.clone();
    Ok(subset_of(table, history, attributes, filter, name, indices))
}

/// The customers of `table` having at least one order line whose value of the line attribute
/// `line` is chosen by `filter` (whose key names `line`), with their purchase days, their
/// customer attributes and, for re-scoring, their figures on the matching lines only
/// ([`Subset::matching`], from [`super::LineAttribute::matching`]). A customer counts once
/// however many chosen values its lines carry.
///
/// # Errors
/// [`Error::Format`] when `line` does not fit `table` or the filter names another attribute.
pub fn select_lines(
    table: &CustomerTable,
    history: Option<&PurchaseHistory>,
    attributes: &CustomerAttributes,
    line: &super::LineAttribute,
    filter: &Filter,
) -> Result<Subset> {
    if line.key != filter.key {
        return Err(mismatch("filter names another line attribute"));
    }
    let codes: Vec<u32> = filter
        .values
        .iter()
        .filter_map(|v| line.code_of(v))
        .collect();
    let matching = line.matching(table, &codes)?;
    let mut subset = subset_of(
        table,
        history,
        attributes,
        filter,
        line.name.clone(),
        matching.indices,
    );
    subset.matching = Some(matching.table);
    Ok(subset)
}

/// The values of the line attribute `line` that some customer bought, with the customers
/// having a line of each: the most customers first, ties by the value's text (what a filter
/// on it offers). A customer buying several values counts in each.
pub fn line_value_counts(line: &super::LineAttribute) -> Vec<(String, usize)> {
    // A line attribute holds one pair per customer and value: its codes count customers.
    counted_values(&line.values, &line.codes)
}

/// The customers of `table` at `indices` (ascending) as a [`Subset`].
fn subset_of(
    table: &CustomerTable,
    history: Option<&PurchaseHistory>,
    attributes: &CustomerAttributes,
    filter: &Filter,
    name: String,
    indices: Vec<usize>,
) -> Subset {
    let population = table.customers.len();
    let customers = indices
        .iter()
        .filter_map(|&i| table.customers.get(i).cloned())
        .collect();
    let attributes = CustomerAttributes {
        attributes: attributes
            .attributes
            .iter()
            .map(|a| Attribute {
                key: a.key.clone(),
                kind: a.kind,
                name: a.name.clone(),
                values: a.values.clone(),
                codes: indices
                    .iter()
                    .map(|&i| a.codes.get(i).copied().unwrap_or(0))
                    .collect(),
                changed: a.changed,
            })
            .collect(),
    };
    Subset {
        filter: filter.clone(),
        name,
        table: CustomerTable {
            customers,
            columns: table.columns,
        },
        history: history
            .filter(|h| h.len() == population)
            .map(|h| h.subset(&indices)),
        attributes,
        indices,
        population,
        matching: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::deciles::{analyse_deciles, analyse_deciles_within, GroupConfig};
    use crate::engine::ingest::{import_bytes, ImportOutcome, InspectOptions};
    use crate::engine::rfm::{analyse_rfm, restrict_rfm, RfmConfig, SegmentRules};

    /// 20 customers c01…c20, customer *i* buying 10 × (21 − i) on day *i* of January (two
    /// rows for the even ones); c01–c04 and c20 are in "N", c05–c18 in "S", c19 blank.
    fn outcome() -> ImportOutcome {
        let mut csv = String::from("customer,date,amount,region\n");
        for i in 1..=20 {
            let region = match i {
                1..=4 | 20 => "N",
                19 => "",
                _ => "S",
            };
            let sales = 10 * (21 - i);
            if i % 2 == 0 {
                csv += &format!("c{i:02},2024-01-{i:02},{},{region}\n", sales - 1);
                csv += &format!("c{i:02},2024-02-{i:02},1,{region}\n");
            } else {
                csv += &format!("c{i:02},2024-01-{i:02},{sales},{region}\n");
            }
        }
        import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap()
    }

    /// A line filter chooses the customers with a matching line; re-scoring reads their M and
    /// F on those lines, keeping reads their whole purchases.
    #[test]
    fn a_line_filter_reads_the_matching_lines() {
        let csv = "customer,order,date,amount,category\n\
                   a,1,2024-01-01,10,tea\n\
                   a,1,2024-01-01,5,cake\n\
                   a,2,2024-01-05,3,tea\n\
                   b,3,2024-01-02,7,cake\n\
                   c,4,2024-01-03,2,tea\n\
                   c,5,2024-01-04,-1,tea\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let lines = outcome.line_attributes().unwrap();
        let line = lines.get("category").unwrap();
        let filter = Filter {
            key: "category".into(),
            values: vec!["tea".into()],
            mode: FilterMode::Rescore,
        };
        let attributes = CustomerAttributes::default();
        let subset = select_lines(&outcome.table, None, &attributes, line, &filter).unwrap();
        let ids: Vec<&str> = subset
            .table
            .customers
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(subset.population, 3);
        // Kept: their whole purchases.
        assert_eq!(subset.table.customers[0].sales, 18.0);
        assert_eq!(subset.table.customers[0].orders, 2);
        // Re-scored: the tea lines only.
        let matching = subset.matching.as_ref().unwrap();
        assert_eq!(matching.customers[0].sales, 13.0);
        assert_eq!(matching.customers[0].orders, 2);
        assert_eq!(matching.customers[1].sales, 1.0);
        assert_eq!(matching.customers[1].orders, 2);
        // Customers per value, a customer in each value it bought.
        assert_eq!(
            line_value_counts(line),
            [("cake".to_string(), 2), ("tea".to_string(), 2)]
        );
        // A filter naming another attribute is refused.
        let other = Filter {
            key: "region".into(),
            ..filter
        };
        assert!(select_lines(&outcome.table, None, &attributes, line, &other).is_err());
    }

    fn filter(values: &[&str], mode: FilterMode) -> Filter {
        Filter {
            key: "region".into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            mode,
        }
    }

    fn subset_of(outcome: &ImportOutcome, values: &[&str]) -> Subset {
        let attributes = outcome.customer_attributes().unwrap();
        select(
            &outcome.table,
            outcome.purchase_history().map(|h| h.as_ref()),
            attributes,
            &filter(values, FilterMode::Keep),
        )
        .unwrap()
    }

    #[test]
    fn select_takes_the_chosen_values_in_table_order() {
        let outcome = outcome();
        let cases: [(&[&str], &[usize]); 5] = [
            (&["N"], &[0, 1, 2, 3, 19]),
            (&[""], &[18]),
            (&["N", ""], &[0, 1, 2, 3, 18, 19]),
            (&["nowhere"], &[]),
            (&[], &[]),
        ];
        for (values, indices) in cases {
            let subset = subset_of(&outcome, values);
            assert_eq!(subset.indices, indices, "{values:?}");
            assert_eq!(subset.population, 20);
            let ids: Vec<&str> = subset
                .table
                .customers
                .iter()
                .map(|c| c.id.as_str())
                .collect();
            let expected: Vec<&str> = indices
                .iter()
                .map(|&i| outcome.table.customers[i].id.as_str())
                .collect();
            assert_eq!(ids, expected);
            assert!(subset.attributes.fits(indices.len()));
        }
    }

    #[test]
    fn the_history_follows_the_chosen_customers() {
        let outcome = outcome();
        let full = outcome.purchase_history().unwrap();
        let subset = subset_of(&outcome, &["N"]);
        let history = subset.history.as_ref().unwrap();
        assert!(history.check());
        assert_eq!(history.len(), 5);
        for (k, &i) in subset.indices.iter().enumerate() {
            assert!(history.days(k).eq(full.days(i)));
        }
        // c02 has two days, c01 one.
        assert_eq!(history.days(1).count(), 2);
        assert_eq!(history.days(0).count(), 1);
    }

    #[test]
    fn values_are_offered_by_customers() {
        let outcome = outcome();
        let region = outcome
            .customer_attributes()
            .unwrap()
            .get("region")
            .unwrap();
        assert_eq!(
            value_counts(region),
            [
                ("S".to_string(), 14),
                ("N".to_string(), 5),
                (String::new(), 1)
            ]
        );
    }

    #[test]
    fn an_unknown_attribute_is_an_error() {
        let outcome = outcome();
        let attributes = outcome.customer_attributes().unwrap();
        let unknown = Filter {
            key: "industry".into(),
            ..filter(&["N"], FilterMode::Keep)
        };
        assert!(select(&outcome.table, None, attributes, &unknown).is_err());
        assert!(unknown.chosen(attributes, 19).is_err());
        assert!(filter(&["N"], FilterMode::Keep)
            .chosen(attributes, 19)
            .is_err());
    }

    /// Customers of "N" per global decile.
    fn counts_kept() -> Vec<usize> {
        vec![2, 2, 0, 0, 0, 0, 0, 0, 0, 1]
    }

    #[test]
    fn kept_deciles_are_the_global_ones() {
        let outcome = outcome();
        let subset = subset_of(&outcome, &["N"]);
        let config = GroupConfig::default();
        let kept = analyse_deciles_within(&outcome.table, &subset.indices, &subset.table, &config)
            .unwrap();
        // Globally 2 customers a decile: c01 c02 | c03 c04 | … | c19 c20.
        let counts: Vec<usize> = kept.by_sales.iter().map(|d| d.customers).collect();
        assert_eq!(counts, counts_kept());
        let sales: Vec<f64> = kept.by_sales.iter().map(|d| d.sales).collect();
        assert_eq!(
            sales,
            [390.0, 350.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0]
        );
        assert_eq!(kept.by_sales[0].sales_share, Some(390.0 / 750.0));
        assert_eq!(kept.by_sales[9].cumulative_sales_share, Some(1.0));
        assert_eq!(kept.by_sales[9].cumulative_customers, 5);
        // Re-scored: five customers, one a decile.
        let rescored = analyse_deciles(&subset.table, &config).unwrap();
        let counts: Vec<usize> = rescored.by_sales.iter().map(|d| d.customers).collect();
        assert_eq!(counts, [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
        // The curve is the chosen customers' own in both modes.
        assert_eq!(kept.lorenz_sales, rescored.lorenz_sales);
        // The breakdown of the kept deciles cuts by the same deciles.
        let deciles = kept_deciles(&outcome.table, &subset).unwrap();
        assert_eq!(deciles, [1, 1, 2, 2, 10]);
        let region = subset.attributes.get("region").unwrap();
        let b = crate::engine::dimensions::breakdown_in_deciles(
            &subset.table,
            region,
            None,
            Some(&deciles),
            Default::default(),
        )
        .unwrap();
        let per_decile: Vec<usize> = b
            .deciles
            .iter()
            .map(|row| row.iter().map(|c| c.customers).sum())
            .collect();
        assert_eq!(per_decile, counts_kept());
        // Group members are indices into the sub-table.
        for kind in crate::engine::deciles::GroupKind::ALL {
            assert!(kept.groups.members(kind).iter().all(|&i| i < 5));
        }
    }

    #[test]
    fn nothing_chosen_is_no_data() {
        let outcome = outcome();
        let subset = subset_of(&outcome, &["nowhere"]);
        let config = GroupConfig::default();
        assert_eq!(
            analyse_deciles_within(&outcome.table, &subset.indices, &subset.table, &config),
            Err(Error::NoData)
        );
        let global = analyse_rfm(
            &outcome.table,
            &RfmConfig::default(),
            &SegmentRules::default(),
        )
        .unwrap();
        assert_eq!(
            restrict_rfm(&global, &subset.indices, &subset.table),
            Err(Error::NoData)
        );
    }

    #[test]
    fn kept_rfm_scores_are_the_global_ones() {
        let outcome = outcome();
        let subset = subset_of(&outcome, &["N"]);
        let rules = SegmentRules::default();
        let global = analyse_rfm(&outcome.table, &RfmConfig::default(), &rules).unwrap();
        let kept = restrict_rfm(&global, &subset.indices, &subset.table).unwrap();
        assert_eq!(kept.scores.customers.len(), 5);
        assert_eq!(kept.scores.thresholds, global.scores.thresholds);
        for (k, score) in kept.scores.customers.iter().enumerate() {
            assert_eq!(score.index, k);
            let global_score = global
                .scores
                .customers
                .iter()
                .find(|s| s.index == subset.indices[k])
                .unwrap();
            assert_eq!(
                (score.r, score.f, score.m),
                (global_score.r, global_score.f, global_score.m)
            );
            assert_eq!(
                kept.segment_name_of(k),
                global.segment_name_of(subset.indices[k])
            );
        }
        let in_segments: usize = kept.segmentation.segments.iter().map(|s| s.customers).sum();
        assert_eq!(in_segments, 5);
        let in_tiers: usize = kept.scores.tiers.iter().map(|t| t.customers).sum();
        assert_eq!(in_tiers, 5);
        let in_grid: usize = kept.scores.grid.iter().map(|c| c.customers).sum();
        assert_eq!(in_grid, 5);
        assert_eq!(kept.scores.total_revenue, 750.0);
        // Re-scored, c01 (largest M among five) still scores top M, c20 the lowest.
        let rescored = analyse_rfm(&subset.table, &RfmConfig::default(), &rules).unwrap();
        assert_eq!(rescored.scores.customers[0].m, 5);
        assert_eq!(rescored.scores.customers[4].m, 1);
    }
}
