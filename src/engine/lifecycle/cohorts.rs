//! Cohorts (同期群): customers by the month or quarter of their first purchase, and what share
//! of each cohort is active, and how much it spends per original customer, in each period since.

use super::scan::{visit_all, Seen, Visitor};
use super::*;
use crate::engine::numeric::Sum;

/// Whether a cohort cell's period lies in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Observation {
    /// The window covers the whole period.
    Full,
    /// The window covers part of it (the data ends inside it).
    Partial,
    /// The period starts on or after the analysis day: nothing is known (blank, never 0 %).
    NotObserved,
}

/// One cell: a cohort in its k-th period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CohortCell {
    /// Periods since the cohort's own (0 = the period of the first purchase).
    pub k: usize,
    /// The period.
    pub period: PeriodKey,
    /// Whether it is observed.
    pub observation: Observation,
    /// Customers of the cohort active in the period (`None` when not observed).
    pub active: Option<usize>,
    /// `active / cohort size`; `None` when not observed, or partial and partial periods are
    /// not included.
    pub share: Option<f64>,
    /// Net sales of the cohort's customers in the period (`None` when not observed).
    pub sales: Option<f64>,
    /// `sales / cohort size`; `None` as `share`.
    pub sales_per_customer: Option<f64>,
}

/// One cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    /// The period of the first purchase.
    pub period: PeriodKey,
    /// Customers whose first activity lies in it.
    pub size: usize,
    /// Fewer than [`SMALL_COHORT`] customers: its shares are shaky.
    pub small: bool,
    /// Cells k = 0, 1, … up to the last period of the window for the oldest cohort (the same
    /// number for every cohort; the later ones end in cells that are not observed).
    pub cells: Vec<CohortCell>,
}

/// The cohort table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohorts {
    /// Month or quarter.
    pub grain: CohortGrain,
    /// The cohorts, oldest first (periods without new customers have no cohort).
    pub cohorts: Vec<Cohort>,
}

/// The most cells a cohort table may have (cohorts × periods): dates spread over centuries
/// would otherwise ask for more memory than there is.
pub const MAX_COHORT_CELLS: usize = 4_000_000;

/// The cohort table (see the module docs of [`crate::engine::lifecycle`]). O(days).
///
/// # Errors
/// [`Error::Parameter`] (`cohort_grain`) when the table would have more than
/// [`MAX_COHORT_CELLS`] cells.
pub fn cohorts(
    history: &PurchaseHistory,
    window: &Window,
    config: &LifecycleConfig,
) -> Result<Cohorts> {
    let mut tally = CohortTally::new(window, config);
    visit_all(
        history,
        window,
        config.returns_count_as_activity,
        &mut [&mut tally],
    );
    tally.finish()
}

/// One cohort while the customers are scanned: its size, and per k its active customers and
/// net sales.
#[derive(Debug, Clone, Default)]
struct Row {
    size: usize,
    active: Vec<usize>,
    sales: Vec<Sum>,
}

/// [`cohorts()`] one customer at a time.
pub(crate) struct CohortTally {
    grain: Grain,
    cohort_grain: CohortGrain,
    window: Window,
    /// Periods from the first period of the window to its last.
    span: usize,
    rows: std::collections::BTreeMap<i32, Row>,
    returns_count: bool,
    include_partial: bool,
    /// The table outgrew [`MAX_COHORT_CELLS`].
    too_many: bool,
}

impl CohortTally {
    pub(crate) fn new(window: &Window, config: &LifecycleConfig) -> Self {
        let grain = config.cohort_grain.grain();
        let first = grain.index_of(window.first_day);
        let last = grain.index_of(window.last_day());
        CohortTally {
            grain,
            cohort_grain: config.cohort_grain,
            window: *window,
            span: usize::try_from(last - first + 1).unwrap_or(0),
            rows: Default::default(),
            returns_count: config.returns_count_as_activity,
            include_partial: config.include_partial,
            too_many: false,
        }
    }

    pub(crate) fn finish(self) -> Result<Cohorts> {
        if self.too_many {
            let cells = self.rows.len().saturating_add(1).saturating_mul(self.span);
            return Err(parameter(
                "cohort_grain",
                ParameterProblem::NotBetween {
                    value: i64::try_from(cells).unwrap_or(i64::MAX),
                    min: 0,
                    max: MAX_COHORT_CELLS as i64,
                    unit: None,
                },
            ));
        }
        let (grain, window) = (self.grain, self.window);
        let cohorts = self
            .rows
            .iter()
            .map(|(&cohort_index, row)| {
                let size = row.size;
                let cells = (0..self.span)
                    .map(|k| {
                        let index = cohort_index + k as i32;
                        let (start, end) = (grain.start_of(index), grain.start_of(index + 1));
                        let observation = if start >= window.analysis_day {
                            Observation::NotObserved
                        } else if end > window.analysis_day || start < window.first_day {
                            Observation::Partial
                        } else {
                            Observation::Full
                        };
                        let observed = observation != Observation::NotObserved;
                        let rated = match observation {
                            Observation::Full => true,
                            Observation::Partial => self.include_partial,
                            Observation::NotObserved => false,
                        };
                        let count = row.active.get(k).copied().unwrap_or(0);
                        let sum = row.sales.get(k).map_or(0.0, |s| s.value);
                        CohortCell {
                            k,
                            period: grain.key_of(index),
                            observation,
                            active: observed.then_some(count),
                            share: rated.then(|| count as f64 / size as f64),
                            sales: observed.then_some(sum),
                            sales_per_customer: rated.then(|| sum / size as f64),
                        }
                    })
                    .collect();
                Cohort {
                    period: grain.key_of(cohort_index),
                    size,
                    small: size < SMALL_COHORT,
                    cells,
                }
            })
            .collect();
        Ok(Cohorts {
            grain: self.cohort_grain,
            cohorts,
        })
    }
}

impl Visitor for CohortTally {
    fn visit(&mut self, customer: &Seen<'_>) {
        let Some(first_active) = customer.facts.first_active else {
            return;
        };
        if self.too_many {
            return;
        }
        let grain = self.grain;
        let cohort_index = grain.index_of(first_active);
        if !self.rows.contains_key(&cohort_index)
            && (self.rows.len() + 1).saturating_mul(self.span) > MAX_COHORT_CELLS
        {
            self.too_many = true;
            return;
        }
        let span = self.span;
        let row = self.rows.entry(cohort_index).or_insert_with(|| Row {
            size: 0,
            active: vec![0; span],
            sales: vec![Sum::default(); span],
        });
        row.size += 1;
        let mut counted_k = None;
        for day in customer.days {
            // Days before the first activity (returns only) belong to no cell.
            let Ok(k) = usize::try_from(grain.index_of(day.day) - cohort_index) else {
                continue;
            };
            if let Some(sum) = row.sales.get_mut(k) {
                sum.add(day.sales);
            }
            if is_activity(day, self.returns_count) && counted_k != Some(k) {
                counted_k = Some(k);
                if let Some(count) = row.active.get_mut(k) {
                    *count += 1;
                }
            }
        }
    }
}
