//! RFM scores (评分): recency, frequency and monetary per customer, thresholds, the R×F grid,
//! histograms and value tiers.

use super::*;
use crate::engine::numeric::{
    from_ascending_bits, packed_keys, step_count_key, Packed, StableSort,
};

/// One of the three axes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Axis {
    /// R: days since the last purchase (fewer is better).
    Recency,
    /// F: orders (more is better).
    Frequency,
    /// M: money (more is better).
    Monetary,
}

impl Axis {
    /// R, F, M.
    pub const ALL: [Axis; 3] = [Axis::Recency, Axis::Frequency, Axis::Monetary];

    /// Machine name: `r`, `f` or `m` (as in `rfm_threshold_r_1`).
    pub fn as_str(self) -> &'static str {
        match self {
            Axis::Recency => "r",
            Axis::Frequency => "f",
            Axis::Monetary => "m",
        }
    }
}

/// What RFM scoring reads of a customer ([`Scorable`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredCustomer {
    /// The last purchase day (`None`: not scored).
    pub last: Option<Day>,
    /// Orders (or rows).
    pub orders: u32,
    /// Net sales.
    pub sales: f64,
}

impl ScoredCustomer {
    /// What scoring reads of `customer`.
    pub fn of(customer: &Customer) -> ScoredCustomer {
        ScoredCustomer {
            last: customer.last,
            orders: customer.orders,
            sales: customer.sales,
        }
    }

    /// The customer's M on `basis` in currency units; `-0.0` reads as `0.0`.
    pub fn monetary(self, basis: Monetary) -> f64 {
        let value = match basis {
            Monetary::Total => self.sales,
            Monetary::AverageOrderValue if self.orders == 0 => 0.0,
            Monetary::AverageOrderValue => self.sales / self.orders as f64,
        };
        value + 0.0
    }
}

/// The customers RFM scoring reads: a customer table, or (the lifecycle's segment migration)
/// each customer's state on a day ([`crate::engine::lifecycle::DayStates`]: 20 bytes a
/// customer in wasm32 instead of a whole record).
pub trait Scorable {
    /// How many customers.
    fn scorable_count(&self) -> usize;
    /// What scoring reads of customer `i` (`None` past the end).
    fn scorable(&self, i: usize) -> Option<ScoredCustomer>;
    /// Which optional columns the data had.
    fn scorable_columns(&self) -> crate::engine::customers::Columns;
}

impl Scorable for CustomerTable {
    fn scorable_count(&self) -> usize {
        self.customers.len()
    }

    fn scorable(&self, i: usize) -> Option<ScoredCustomer> {
        self.customers.get(i).map(ScoredCustomer::of)
    }

    fn scorable_columns(&self) -> crate::engine::customers::Columns {
        self.columns
    }
}

/// What F counts, from the columns the data had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FrequencyBasis {
    /// Distinct order ids (an order column was mapped).
    Orders,
    /// Rows, i.e. order lines (no order column).
    Rows,
}

/// Value tier 价值分层, from the total score `S = R + F + M` ([`tier_bounds`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueTier {
    /// 高价值客户: the mean of the three scores lies in the top third of the scale.
    High,
    /// 中价值客户: in between.
    Medium,
    /// 低价值客户: the mean of the three scores lies in the bottom third of the scale.
    Low,
}

impl ValueTier {
    /// High, medium, low (in the order of their discriminants, which index arrays by tier).
    pub const ALL: [ValueTier; 3] = [ValueTier::High, ValueTier::Medium, ValueTier::Low];

    /// Machine name: `high`, `medium`, `low`.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueTier::High => "high",
            ValueTier::Medium => "medium",
            ValueTier::Low => "low",
        }
    }

    /// The tier of a total score `r + f + m` with `bins` scores per axis ([`tier_bounds`]).
    pub fn of(total: u16, bins: u8) -> ValueTier {
        let bounds = tier_bounds(bins);
        if total >= bounds.high_from {
            ValueTier::High
        } else if total <= bounds.low_to {
            ValueTier::Low
        } else {
            ValueTier::Medium
        }
    }
}

/// The total scores (`R + F + M`, from 3 to `3 × bins`) that make a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierBounds {
    /// Low value: a total of at most this.
    pub low_to: u16,
    /// High value: a total of at least this; medium lies between.
    pub high_from: u16,
}

/// The value tier bounds for `bins` scores per axis.
///
/// A score *s* stands for the percentile band around `(2s − 1) / (2 × bins)`; a customer is high
/// value when the mean of its three bands is at least 2/3, low value when it is below 1/3,
/// medium otherwise. In totals: low `S ≤ bins + 1`, high `S ≥ 2 × bins + 2`. With 5 bins: low
/// 3–6, medium 7–11, high 12–15 (20, 85 and 20 of the 125 cells); with 3 bins 3–4, 5–7, 8–9;
/// with 4 bins 3–5, 6–9, 10–12; with 10 bins 3–11, 12–21, 22–30.
///
/// Recency counts as one of the three: document `002` ranks customers by purchase amount,
/// frequency and profit, and RFM adds recency; the total score is the usual RFM "value".
///
/// ```
/// use valuelens::engine::rfm::tier_bounds;
/// let b = tier_bounds(5);
/// assert_eq!((b.low_to, b.high_from), (6, 12));
/// ```
pub fn tier_bounds(bins: u8) -> TierBounds {
    let bins = u16::from(bins);
    TierBounds {
        low_to: bins + 1,
        high_from: 2 * bins + 2,
    }
}

/// One scored customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerScore {
    /// Index into `table.customers`.
    pub index: usize,
    /// Whole days from the last purchase to the analysis day (0 when the customer bought on
    /// the analysis day; never negative).
    pub recency_days: i32,
    /// Orders (or rows without an order column).
    pub frequency: u32,
    /// M in currency units ([`Monetary`]).
    pub monetary: f64,
    /// R score, 1 (longest ago) to `bins` (most recent).
    pub r: u8,
    /// F score, 1 (fewest orders) to `bins`.
    pub f: u8,
    /// M score, 1 (least money) to `bins`.
    pub m: u8,
    /// Value tier from `r + f + m`.
    pub tier: ValueTier,
}

impl CustomerScore {
    /// The score on one axis.
    pub fn score(&self, axis: Axis) -> u8 {
        match axis {
            Axis::Recency => self.r,
            Axis::Frequency => self.f,
            Axis::Monetary => self.m,
        }
    }

    /// The raw value on one axis (days, orders, money).
    pub fn value(&self, axis: Axis) -> f64 {
        match axis {
            Axis::Recency => f64::from(self.recency_days),
            Axis::Frequency => f64::from(self.frequency),
            Axis::Monetary => self.monetary,
        }
    }

    /// The RFM code as a number: `R×100 + F×10 + M` ("545") with 3, 4 or 5 bins, as the R
    /// package `rfm` writes it; `R×10000 + F×100 + M` with 10 bins (two digits each: 10, 3, 7
    /// is 100307), so codes stay unambiguous.
    pub fn code(&self, bins: u8) -> u32 {
        let base = if bins >= 10 { 100 } else { 10 };
        (u32::from(self.r) * base + u32::from(self.f)) * base + u32::from(self.m)
    }
}

/// The customers who got one score on one axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRange {
    /// The score, 1 to `bins`.
    pub score: u8,
    /// Customers with this score (0 when ties left it empty).
    pub customers: usize,
    /// Smallest raw value among them (days, orders or money); `None` when empty.
    pub min: Option<f64>,
    /// Largest raw value among them; `None` when empty.
    pub max: Option<f64>,
}

/// The thresholds of one axis, as they came out of the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AxisThresholds {
    /// The axis.
    pub axis: Axis,
    /// One range per score, 1 to `bins`.
    pub ranges: Vec<ScoreRange>,
    /// The cut points `k = 1 … bins − 1` (index `k − 1`), as defined in the module docs: the
    /// smallest value scoring above *k* for F and M, the largest number of days scoring above
    /// *k* for R; `None` when no customer scores above *k*.
    pub cuts: Vec<Option<f64>>,
    /// The bin sizes the same number of customers would give without ties (the rule applied to
    /// positions 0 … n − 1).
    pub tie_free_sizes: Vec<usize>,
    /// Number of distinct values on the axis.
    pub distinct_values: usize,
}

impl AxisThresholds {
    /// The customers per score, 1 to `bins`.
    pub fn sizes(&self) -> Vec<usize> {
        self.ranges.iter().map(|r| r.customers).collect()
    }
}

/// The thresholds of all three axes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// R (days).
    pub r: AxisThresholds,
    /// F (orders).
    pub f: AxisThresholds,
    /// M (money).
    pub m: AxisThresholds,
}

impl Thresholds {
    /// The thresholds of one axis.
    pub fn axis(&self, axis: Axis) -> &AxisThresholds {
        match axis {
            Axis::Recency => &self.r,
            Axis::Frequency => &self.f,
            Axis::Monetary => &self.m,
        }
    }
}

/// Ties made the bins of an axis uneven.
///
/// Raised when some score that would hold customers without ties is empty, or when some score's
/// size differs from its tie-free size by more than 20 % of `n / bins` (`|size − tie_free| × 5 ×
/// bins > n`). With few customers (`n / bins` below 5) any tie that moves a customer across a
/// bin boundary raises it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BinWarning {
    /// The axis.
    pub axis: Axis,
    /// Customers per score, 1 to `bins`.
    pub sizes: Vec<usize>,
    /// Customers per score without ties.
    pub tie_free_sizes: Vec<usize>,
    /// Number of distinct values (1: every customer has the same value).
    pub distinct_values: usize,
}

/// One cell of the R×F grid (the heatmap of mean M).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfCell {
    /// R score.
    pub r: u8,
    /// F score.
    pub f: u8,
    /// Customers in the cell.
    pub customers: usize,
    /// Mean M of the cell's customers (currency units); `None` for an empty cell.
    pub mean_monetary: Option<f64>,
    /// Net sales of the cell's customers.
    pub revenue: f64,
    /// Customers per M score (index `m − 1`), for the R×F×M bar chart.
    pub m_scores: Vec<usize>,
}

/// A histogram bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Lower bound (see [`Histogram`] for which bounds are inclusive).
    pub from: f64,
    /// Upper bound.
    pub to: f64,
    /// Customers in the bucket.
    pub customers: usize,
}

/// The distribution of one axis over the scored customers.
///
/// - **R**: at most [`HISTOGRAM_BUCKETS`] buckets of whole days, equal width
///   `⌈(max − min + 1) / 20⌉`, each from `from` to `to` days inclusive; no overflow.
/// - **F**: one bucket per order count from the smallest F upwards (`from == to`), at most 20;
///   larger counts go to `overflow` (`from` = min + 20 to `to` = max, inclusive).
/// - **M**: 20 buckets of equal width from the smallest M to the 99th percentile (the value at
///   rank ⌈0.99 n⌉, ascending), each `[from, to)`, the last one `[from, to]`; the customers above
///   the 99th percentile go to `overflow` (`(from, to]`, to = max), so one very large customer
///   does not squeeze everyone else into the first bar. When every value is equal there is one
///   bucket `[v, v]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// The axis.
    pub axis: Axis,
    /// The buckets, ascending.
    pub buckets: Vec<Bucket>,
    /// The long tail beyond the last bucket (F and M only).
    pub overflow: Option<Bucket>,
}

/// Histograms of the three axes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histograms {
    /// R (days).
    pub recency: Histogram,
    /// F (orders).
    pub frequency: Histogram,
    /// M (money).
    pub monetary: Histogram,
}

/// Customers and revenue of one value tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierSummary {
    /// The tier.
    pub tier: ValueTier,
    /// Customers in the tier.
    pub customers: usize,
    /// Their share of the scored customers.
    pub customer_share: f64,
    /// Their net sales.
    pub revenue: f64,
    /// Their share of the scored customers' net sales; `None` when that total is zero. Shares
    /// are of the signed total, so with negative customers they can pass 1 or be negative.
    pub revenue_share: Option<f64>,
}

/// The scoring of a table ([`score_rfm`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmScores {
    /// The configuration used, with `analysis_day` filled in.
    pub config: RfmConfig,
    /// The day R is counted to.
    pub analysis_day: Day,
    /// The latest purchase of any scored customer.
    pub latest_purchase: Day,
    /// What F counts.
    pub frequency_basis: FrequencyBasis,
    /// One entry per scored customer, in table order (by id).
    pub customers: Vec<CustomerScore>,
    /// Customers without any dated row (indices into `table.customers`): not scored.
    pub undated: Vec<usize>,
    /// What every score stands for.
    pub thresholds: Thresholds,
    /// Axes whose bins ties made uneven.
    pub warnings: Vec<BinWarning>,
    /// The R×F grid, `bins × bins` cells, R ascending then F ascending ([`RfmScores::cell`]).
    pub grid: Vec<RfCell>,
    /// Histograms of R, F and M.
    pub histograms: Histograms,
    /// High, medium and low value, in that order.
    pub tiers: Vec<TierSummary>,
    /// Net sales of the scored customers.
    pub total_revenue: f64,
}

impl RfmScores {
    /// The R×F cell with scores `r` and `f` (1-based); `None` outside `1..=bins`.
    pub fn cell(&self, r: u8, f: u8) -> Option<&RfCell> {
        let bins = usize::from(self.config.bins);
        let (r, f) = (usize::from(r), usize::from(f));
        if !(1..=bins).contains(&r) || !(1..=bins).contains(&f) {
            return None;
        }
        self.grid.get((r - 1) * bins + (f - 1))
    }
}

/// Scores every customer of a table (R, F, M values and scores, thresholds, warnings, grid,
/// histograms, tiers); see the module docs for every rule. O(n log n).
///
/// # Errors
/// [`Error::Parameter`] from [`RfmConfig::validate`]; [`Error::NoData`] without customers;
/// [`Error::Parameter`] (`date`) when the data has no date column or no dated customer;
/// [`Error::Parameter`] (`analysis_day`) when the given analysis day lies before the latest
/// purchase.
pub fn score_rfm(table: &(impl Scorable + ?Sized), config: &RfmConfig) -> Result<RfmScores> {
    ScoreSteps::new(table, config)?.finish(table)
}

/// [`score_rfm`] in pieces of one or two passes (or a sort) over the customers each
/// ([`ScoreSteps::step`]), so that the page's thread can do other work between them;
/// [`ScoreSteps::finish`] computes what is left: the same scores to the bit (`score_rfm` is this
/// with no step taken before the finish).
///
/// Every call must be given the same table, unchanged (the pieces computed so far are of it).
pub struct ScoreSteps {
    config: RfmConfig,
    /// The table's size when the steps began (a guard: a step on another table does nothing).
    size: usize,
    analysis_day: Day,
    latest: Day,
    /// The dated customers' indices, in the table's order.
    dated: Vec<usize>,
    undated: Vec<usize>,
    /// R, F, M values of the dated customers (`None` until all are read).
    values: Option<AxisValues>,
    /// The values read so far, [`VALUES_PIECE`] customers a step.
    reading: AxisValues,
    /// The sort of the keys of the axis being scored, paired with the customers' places (see
    /// [`ScoreSteps::step`]).
    sorting: Option<AxisSort>,
    /// Each axis's scores (in the dated customers' order) and its number of distinct values.
    r: Option<(Vec<u8>, usize)>,
    f: Option<(Vec<u8>, usize)>,
    m: Option<(Vec<u8>, usize)>,
    customers: Option<Vec<CustomerScore>>,
    /// The axes' thresholds found so far (an axis a piece: the three at once took 41 ms of the
    /// page's thread at ten million rows on a slow machine).
    axes: Vec<AxisThresholds>,
    thresholds: Option<Thresholds>,
    /// The scored customers' sales read so far from their records, [`VALUES_PIECE`] a step.
    sales: Vec<f64>,
    grid: Option<(Vec<RfCell>, Vec<TierSummary>, f64)>,
    /// The R, F and M histograms.
    histograms: (Option<Histogram>, Option<Histogram>, Option<Histogram>),
    /// The values of the axis whose histogram is next, once read.
    column: Option<HistogramColumn>,
}

/// The sort of an axis's keys: packed with the customers' places ([`packed_keys`]: 8 bytes a
/// customer), or paired with them where the keys span too much for that.
enum AxisSort {
    Packed(StableSort<()>, u32),
    Pairs(StableSort<usize>),
}

impl AxisSort {
    fn pass(&mut self) -> bool {
        match self {
            AxisSort::Packed(sort, _) => sort.pass(),
            AxisSort::Pairs(sort) => sort.pass(),
        }
    }

    /// The scores ([`scores_of_sorted`]) once sorted.
    fn scores(self, bins: u8) -> (Vec<u8>, usize) {
        match self {
            AxisSort::Packed(sort, bits) => {
                let sorted = sort.into_sorted();
                let pair =
                    |&(item, ()): &(u64, ())| (Packed::key(item, bits), Packed::index(item, bits));
                scores_of_sorted(&sorted, pair, bins)
            }
            AxisSort::Pairs(sort) => scores_of_sorted(&sort.into_sorted(), |&pair| pair, bins),
        }
    }
}

/// Dated customers whose R, F and M values one step reads (one pass over their records: at
/// 967,209 customers the three passes of one step were a 75 ms task of the page). The unit
/// tests read 5 a step, so that their tables' hand-computed scores check the pieces' joins.
const VALUES_PIECE: usize = if cfg!(test) { 5 } else { 1 << 18 };

/// The three axes' values of the dated customers.
#[derive(Default)]
struct AxisValues {
    recency: Vec<i32>,
    frequency: Vec<u32>,
    monetary: Vec<f64>,
}

impl ScoreSteps {
    /// The steps of scoring `table` with `config`: checks the parameters and finds the dated
    /// customers (one pass); nothing scored yet.
    ///
    /// # Errors
    /// Those of [`score_rfm`].
    pub fn new(table: &(impl Scorable + ?Sized), config: &RfmConfig) -> Result<ScoreSteps> {
        config.validate()?;
        let count = table.scorable_count();
        if count == 0 {
            return Err(Error::NoData);
        }
        let no_dates = || parameter("date", ParameterProblem::NoPurchaseDates);
        if !table.scorable_columns().date {
            return Err(no_dates());
        }
        let mut undated = Vec::new();
        let mut dated = Vec::with_capacity(count);
        let mut latest = None;
        for i in 0..count {
            match table.scorable(i).and_then(|c| c.last) {
                Some(day) => {
                    dated.push(i);
                    latest = Some(latest.map_or(day, |l: Day| l.max(day)));
                }
                None => undated.push(i),
            }
        }
        let latest = latest.ok_or_else(no_dates)?;
        let analysis_day = match config.analysis_day {
            Some(day) if day < latest => {
                return Err(parameter(
                    "analysis_day",
                    ParameterProblem::BeforeLatestPurchase { latest },
                ))
            }
            Some(day) => day,
            None => latest.saturating_plus_days(1),
        };
        Ok(ScoreSteps {
            config: config.clone(),
            size: count,
            analysis_day,
            latest,
            dated,
            undated,
            values: None,
            reading: AxisValues::default(),
            sorting: None,
            r: None,
            f: None,
            m: None,
            customers: None,
            axes: Vec::new(),
            thresholds: None,
            sales: Vec::new(),
            grid: None,
            histograms: (None, None, None),
            column: None,
        })
    }

    /// Computes the next piece; false when none is left (or `table` is not the table the
    /// steps began with: [`ScoreSteps::finish`] then fails).
    pub fn step(&mut self, table: &(impl Scorable + ?Sized)) -> bool {
        if table.scorable_count() != self.size {
            return false;
        }
        let bins = self.config.bins;
        let Some(values) = &self.values else {
            let (n, read) = (self.dated.len(), &mut self.reading);
            if read.recency.is_empty() {
                read.recency.reserve_exact(n);
                read.frequency.reserve_exact(n);
                read.monetary.reserve_exact(n);
            }
            let from = read.recency.len();
            let to = n.min(from + VALUES_PIECE);
            let analysis_day = self.analysis_day;
            for &i in self.dated.get(from..to).unwrap_or_default() {
                // (Every index is in the table: its size was checked.)
                let (recency, orders, money) = table.scorable(i).map_or((0, 0, 0.0), |c| {
                    (
                        c.last
                            .map_or(0, |last| analysis_day.saturating_days_since(last)),
                        c.orders,
                        c.monetary(self.config.monetary),
                    )
                });
                read.recency.push(recency);
                read.frequency.push(orders);
                read.monetary.push(money);
            }
            if to == n {
                self.values = Some(std::mem::take(&mut self.reading));
            }
            return true;
        };
        // Each axis as integer keys that order like its values, worst first (the longest
        // recency, the fewest orders, the least money): a sort of integers, not of comparisons.
        // The keys in one piece, their sort a byte a piece, then the scores.
        let axis = [
            (&self.r, Axis::Recency),
            (&self.f, Axis::Frequency),
            (&self.m, Axis::Monetary),
        ]
        .into_iter()
        .find_map(|(scores, axis)| scores.is_none().then_some(axis));
        if let Some(axis) = axis {
            let Some(mut sort) = self.sorting.take() else {
                // Worst first, as integer keys (the pairs' keys); packed with the places where
                // the keys allow (R and F always; M by its whole step counts, which order as
                // its keys, when they span few enough bits), else paired.
                let key = |k: usize| -> u64 {
                    match axis {
                        Axis::Recency => values.recency.get(k).map_or(0, |&days| {
                            u64::MAX - (i64::from(days) - i64::from(i32::MIN)) as u64
                        }),
                        Axis::Frequency => values.frequency.get(k).map_or(0, |&o| u64::from(o)),
                        Axis::Monetary => values
                            .monetary
                            .get(k)
                            .map_or(0, |&v| ascending_bits(snapped(v, AMOUNT_STEPS))),
                    }
                };
                let n = values.recency.len();
                let packed = match axis {
                    Axis::Monetary => {
                        packed_keys(values.monetary.iter().map(|&v| step_count_key(v)))
                    }
                    _ => packed_keys((0..n).map(|k| Some(key(k)))),
                };
                self.sorting = Some(match packed {
                    Some(packed) => {
                        AxisSort::Packed(StableSort::new(packed.items), packed.index_bits)
                    }
                    None => AxisSort::Pairs(StableSort::new((0..n).map(|k| (key(k), k)).collect())),
                });
                return true;
            };
            if sort.pass() {
                self.sorting = Some(sort);
                return true;
            }
            let ranked = Some(sort.scores(bins));
            match axis {
                Axis::Recency => self.r = ranked,
                Axis::Frequency => self.f = ranked,
                Axis::Monetary => self.m = ranked,
            }
            return true;
        }
        let (Some((r, r_distinct)), Some((f, f_distinct)), Some((m, m_distinct))) =
            (&self.r, &self.f, &self.m)
        else {
            return false;
        };
        let Some(customers) = &self.customers else {
            let customers = (self.dated.iter().enumerate())
                .map(|(k, &index)| {
                    let (r, f, m) = (r[k], f[k], m[k]);
                    let total = u16::from(r) + u16::from(f) + u16::from(m);
                    CustomerScore {
                        index,
                        recency_days: values.recency[k],
                        frequency: values.frequency[k],
                        monetary: values.monetary[k],
                        r,
                        f,
                        m,
                        tier: ValueTier::of(total, bins),
                    }
                })
                .collect();
            self.customers = Some(customers);
            // Each customer's values and place are in its score now: what held them goes
            // (20 bytes a customer in the page's memory, which the histograms' sorts reuse),
            // the values' vectors left empty so that they are not read again.
            self.values = Some(AxisValues::default());
            self.dated = Vec::new();
            for (scores, _) in [&mut self.r, &mut self.f, &mut self.m]
                .into_iter()
                .flatten()
            {
                *scores = Vec::new();
            }
            return true;
        };
        if self.thresholds.is_none() {
            let (axis, distinct) = match self.axes.len() {
                0 => (Axis::Recency, *r_distinct),
                1 => (Axis::Frequency, *f_distinct),
                _ => (Axis::Monetary, *m_distinct),
            };
            self.axes
                .push(axis_thresholds(customers, axis, bins, distinct));
            if let [_, _, _] = self.axes.as_slice() {
                let mut axes = std::mem::take(&mut self.axes).into_iter();
                if let (Some(r), Some(f), Some(m)) = (axes.next(), axes.next(), axes.next()) {
                    self.thresholds = Some(Thresholds { r, f, m });
                }
            }
            return true;
        }
        if self.grid.is_none() {
            // Each customer's sales read from its record a piece at a time (far apart in
            // memory: 30 ms of the page's thread at once at ten million rows), then the grid.
            if self.sales.len() < customers.len() {
                let piece = customers.get(self.sales.len()..).unwrap_or_default();
                self.sales
                    .extend(piece.iter().take(VALUES_PIECE).map(|s| sales_of(table, s)));
                return true;
            }
            let sales = std::mem::take(&mut self.sales);
            self.grid = Some(grid_and_tiers_of(customers, bins, sales));
            return true;
        }
        // A histogram in two pieces: its values read from the scores, then counted (together
        // 42–56 ms of the page's thread at ten million rows on a slow machine).
        let (recency, frequency, monetary) = &mut self.histograms;
        for (histogram, axis) in [
            (recency, Axis::Recency),
            (frequency, Axis::Frequency),
            (monetary, Axis::Monetary),
        ] {
            if histogram.is_none() {
                match self.column.take() {
                    Some(column) => *histogram = Some(column.histogram(axis)),
                    None => self.column = Some(HistogramColumn::of(customers, axis)),
                }
                return true;
            }
        }
        false
    }

    /// The scores: the pieces not computed yet are computed now.
    ///
    /// # Errors
    /// [`Error::NoData`] when `table` is not the table the steps began with.
    pub fn finish(mut self, table: &(impl Scorable + ?Sized)) -> Result<RfmScores> {
        while self.step(table) {}
        let (Some(customers), Some(thresholds), Some((grid, tiers, total_revenue))) =
            (self.customers, self.thresholds, self.grid)
        else {
            return Err(Error::NoData);
        };
        let (Some(recency), Some(frequency), Some(monetary)) = self.histograms else {
            return Err(Error::NoData);
        };
        let histograms = Histograms {
            recency,
            frequency,
            monetary,
        };
        let bins = self.config.bins;
        let n = customers.len();
        let warnings = Axis::ALL
            .iter()
            .filter_map(|&axis| bin_warning(thresholds.axis(axis), n, bins))
            .collect();
        Ok(RfmScores {
            config: RfmConfig {
                analysis_day: Some(self.analysis_day),
                ..self.config
            },
            analysis_day: self.analysis_day,
            latest_purchase: self.latest,
            frequency_basis: if table.scorable_columns().order {
                FrequencyBasis::Orders
            } else {
                FrequencyBasis::Rows
            },
            customers,
            undated: self.undated,
            thresholds,
            warnings,
            grid,
            histograms,
            tiers,
            total_revenue,
        })
    }
}

/// The R×F grid, histograms, tiers and net sales of `customers` (scores of customers of
/// `table`): the parts of [`RfmScores`] that follow from its customer list.
fn summaries(
    table: &(impl Scorable + ?Sized),
    customers: &[CustomerScore],
    bins: u8,
) -> (Vec<RfCell>, Histograms, Vec<TierSummary>, f64) {
    let (grid, tiers, total) = grid_and_tiers(table, customers, bins);
    (grid, histograms(customers), tiers, total)
}

/// The R×F grid, tiers and net sales of `customers` (scores of customers of `table`).
fn grid_and_tiers(
    table: &(impl Scorable + ?Sized),
    customers: &[CustomerScore],
    bins: u8,
) -> (Vec<RfCell>, Vec<TierSummary>, f64) {
    // Each customer's sales read once from its record (the passes below read this column).
    let sales: Vec<f64> = customers.iter().map(|s| sales_of(table, s)).collect();
    grid_and_tiers_of(customers, bins, sales)
}

/// The sales of the scored customer `score` in `table`.
fn sales_of(table: &(impl Scorable + ?Sized), score: &CustomerScore) -> f64 {
    table.scorable(score.index).map_or(0.0, |c| c.sales)
}

/// [`grid_and_tiers`] with each customer's `sales` read (in the customers' order).
fn grid_and_tiers_of(
    customers: &[CustomerScore],
    bins: u8,
    sales: Vec<f64>,
) -> (Vec<RfCell>, Vec<TierSummary>, f64) {
    let n = customers.len();
    let mut total = SignedSum::default();
    for &value in &sales {
        total.add(value);
    }
    let grid = rf_grid(customers, bins, &sales);
    // One pass for the three tiers (each tier's sales added in the customers' order, as a
    // pass per tier would add them).
    let mut per_tier = [(0usize, 0.0f64); ValueTier::ALL.len()];
    for (score, &value) in customers.iter().zip(&sales) {
        let slot = &mut per_tier[score.tier as usize];
        slot.0 += 1;
        slot.1 += value;
    }
    drop(sales);
    let tiers = ValueTier::ALL
        .iter()
        .map(|&tier| {
            let (count, revenue) = per_tier[tier as usize];
            TierSummary {
                tier,
                customers: count,
                customer_share: if n == 0 { 0.0 } else { count as f64 / n as f64 },
                revenue,
                revenue_share: total.share(revenue),
            }
        })
        .collect();
    (grid, tiers, total.value)
}

/// The R, F and M histograms of `customers`.
fn histograms(customers: &[CustomerScore]) -> Histograms {
    Histograms {
        recency: histogram_of(customers, Axis::Recency),
        frequency: histogram_of(customers, Axis::Frequency),
        monetary: histogram_of(customers, Axis::Monetary),
    }
}

/// The histogram of one axis of `customers`.
fn histogram_of(customers: &[CustomerScore], axis: Axis) -> Histogram {
    HistogramColumn::of(customers, axis).histogram(axis)
}

/// The values of one axis that its histogram counts, read from the scores.
enum HistogramColumn {
    /// Days since the last purchase, or orders.
    Integers(Vec<i64>),
    Money(Vec<f64>),
}

impl HistogramColumn {
    fn of(customers: &[CustomerScore], axis: Axis) -> Self {
        match axis {
            Axis::Recency => HistogramColumn::Integers(
                customers
                    .iter()
                    .map(|s| i64::from(s.recency_days))
                    .collect(),
            ),
            Axis::Frequency => HistogramColumn::Integers(
                customers.iter().map(|s| i64::from(s.frequency)).collect(),
            ),
            Axis::Monetary => {
                HistogramColumn::Money(customers.iter().map(|s| s.monetary).collect())
            }
        }
    }

    fn histogram(self, axis: Axis) -> Histogram {
        match self {
            HistogramColumn::Integers(values) => integer_histogram(axis, &values),
            HistogramColumn::Money(values) => money_histogram(&values),
        }
    }
}

/// The scores of `global` (a scoring of a whole table) kept for the customers `chosen`
/// (ascending indices into that table), as a scoring of `sub`, the table of the chosen
/// customers in the same order: every chosen customer keeps its scores and tier, the thresholds,
/// warnings and analysis day stay those of the whole table, and the grid, histograms, tiers and
/// net sales count the chosen customers only. Indices become positions in `sub`.
///
/// # Errors
/// [`Error::NoData`] when no customer is chosen; [`Error::Parameter`] (`date`) when none of
/// them is dated (as [`score_rfm`] for a table without dated customers).
pub fn restrict_scores(
    global: &RfmScores,
    chosen: &[usize],
    sub: &CustomerTable,
) -> Result<RfmScores> {
    if chosen.is_empty() || sub.customers.len() != chosen.len() {
        return Err(Error::NoData);
    }
    let position = |index: usize| chosen.binary_search(&index).ok();
    let customers: Vec<CustomerScore> = global
        .customers
        .iter()
        .filter_map(|s| position(s.index).map(|index| CustomerScore { index, ..s.clone() }))
        .collect();
    if customers.is_empty() {
        return Err(parameter("date", ParameterProblem::NoPurchaseDates));
    }
    let undated = global.undated.iter().filter_map(|&i| position(i)).collect();
    let (grid, histograms, tiers, total_revenue) = summaries(sub, &customers, global.config.bins);
    Ok(RfmScores {
        config: global.config.clone(),
        analysis_day: global.analysis_day,
        latest_purchase: global.latest_purchase,
        frequency_basis: global.frequency_basis,
        customers,
        undated,
        thresholds: global.thresholds.clone(),
        warnings: global.warnings.clone(),
        grid,
        histograms,
        tiers,
        total_revenue,
    })
}

/// The score of a value with `worse` customers strictly worse than it, among `n`:
/// `min(bins, 1 + bins × worse div (n − 1))`, 1 for a single customer.
///
/// ```
/// use valuelens::engine::rfm::score_of_rank;
/// // 5 bins, 11 customers: ranks 0…10 → 1 1 2 2 3 3 4 4 5 5 5
/// let scores: Vec<u8> = (0..11).map(|w| score_of_rank(w, 11, 5)).collect();
/// assert_eq!(scores, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5]);
/// assert_eq!(score_of_rank(0, 1, 5), 1);
/// ```
pub fn score_of_rank(worse: usize, n: usize, bins: u8) -> u8 {
    if n <= 1 {
        return 1;
    }
    let score = 1 + u128::from(bins) * worse as u128 / (n as u128 - 1);
    score.min(u128::from(bins)) as u8
}

/// Scores by the rule of the module docs from an axis's keys (which order its values from
/// worst to best, equal keys for equal values) paired with their indices and sorted by key (ties
/// by index: a tie's members and where it starts do not depend on that): the scores in the
/// keys' order and the number of distinct values.
/// `pair` reads an item of `order` as its (key, index).
pub(super) fn scores_of_sorted<T>(
    order: &[T],
    pair: impl Fn(&T) -> (u64, usize),
    bins: u8,
) -> (Vec<u8>, usize) {
    let n = order.len();
    let mut scores = vec![1; n];
    let mut distinct = 0;
    let mut start = 0;
    let key = |at: usize| order.get(at).map(|item| pair(item).0);
    while start < n {
        let first = key(start);
        let mut end = start + 1;
        while end < n && key(end) == first {
            end += 1;
        }
        let score = score_of_rank(start, n, bins);
        for item in order.get(start..end).unwrap_or_default() {
            if let Some(cell) = scores.get_mut(pair(item).1) {
                *cell = score;
            }
        }
        distinct += 1;
        start = end;
    }
    (scores, distinct)
}

pub(super) fn axis_thresholds(
    customers: &[CustomerScore],
    axis: Axis,
    bins: u8,
    distinct_values: usize,
) -> AxisThresholds {
    let mut ranges: Vec<ScoreRange> = (1..=bins)
        .map(|score| ScoreRange {
            score,
            customers: 0,
            min: None,
            max: None,
        })
        .collect();
    for customer in customers {
        let value = customer.value(axis);
        let range = &mut ranges[usize::from(customer.score(axis)) - 1];
        range.customers += 1;
        range.min = Some(range.min.map_or(value, |m| m.min(value)));
        range.max = Some(range.max.map_or(value, |m| m.max(value)));
    }
    let cuts = (1..usize::from(bins))
        .map(|k| {
            let above = ranges[k..].iter();
            match axis {
                Axis::Recency => above.filter_map(|r| r.max).max_by(f64::total_cmp),
                _ => above.filter_map(|r| r.min).min_by(f64::total_cmp),
            }
        })
        .collect();
    let n = customers.len();
    let mut tie_free_sizes = vec![0; usize::from(bins)];
    // Positions with one score form a run: count the runs without visiting every position.
    let mut position = 0;
    while position < n {
        let score = score_of_rank(position, n, bins);
        let mut end = position + 1;
        // The last position of this score: the largest w with bins·w div (n − 1) = score − 1.
        if n > 1 && score < bins {
            let limit = (u128::from(score) * (n as u128 - 1)).div_ceil(u128::from(bins));
            end = end.max(limit as usize);
        } else {
            end = n;
        }
        tie_free_sizes[usize::from(score) - 1] += end - position;
        position = end;
    }
    AxisThresholds {
        axis,
        ranges,
        cuts,
        tie_free_sizes,
        distinct_values,
    }
}

pub(super) fn bin_warning(thresholds: &AxisThresholds, n: usize, bins: u8) -> Option<BinWarning> {
    let sizes = thresholds.sizes();
    let uneven = sizes
        .iter()
        .zip(&thresholds.tie_free_sizes)
        .any(|(&size, &free)| {
            (free > 0 && size == 0) || size.abs_diff(free) * 5 * usize::from(bins) > n
        });
    uneven.then(|| BinWarning {
        axis: thresholds.axis,
        sizes,
        tie_free_sizes: thresholds.tie_free_sizes.clone(),
        distinct_values: thresholds.distinct_values,
    })
}

/// The R×F cells of `customers`, with `sales` each one's net sales (parallel to `customers`).
pub(super) fn rf_grid(customers: &[CustomerScore], bins: u8, sales: &[f64]) -> Vec<RfCell> {
    let b = usize::from(bins);
    let mut grid: Vec<RfCell> = (1..=bins)
        .flat_map(|r| {
            (1..=bins).map(move |f| RfCell {
                r,
                f,
                customers: 0,
                mean_monetary: None,
                revenue: 0.0,
                m_scores: vec![0; b],
            })
        })
        .collect();
    let mut sums = vec![0.0; b * b];
    for (customer, &sales) in customers.iter().zip(sales) {
        let k = (usize::from(customer.r) - 1) * b + usize::from(customer.f) - 1;
        let cell = &mut grid[k];
        cell.customers += 1;
        cell.revenue += sales;
        cell.m_scores[usize::from(customer.m) - 1] += 1;
        sums[k] += customer.monetary;
    }
    for (cell, sum) in grid.iter_mut().zip(sums) {
        cell.mean_monetary = (cell.customers > 0).then(|| sum / cell.customers as f64);
    }
    grid
}

/// R and F histograms: whole-number buckets; F one count per bucket with an overflow, R equal
/// widths (see [`Histogram`]).
pub(super) fn integer_histogram(axis: Axis, values: &[i64]) -> Histogram {
    let (Some(&min), Some(&max)) = (values.iter().min(), values.iter().max()) else {
        return Histogram {
            axis,
            buckets: Vec::new(),
            overflow: None,
        };
    };
    let span = max - min + 1;
    let buckets_wanted = HISTOGRAM_BUCKETS as i64;
    let (width, count, top) = if axis == Axis::Frequency {
        // One order count per bucket; the rest beyond 20 counts overflow.
        (1, span.min(buckets_wanted), min + buckets_wanted - 1)
    } else {
        let width = (span + buckets_wanted - 1) / buckets_wanted;
        (width, (span + width - 1) / width, max)
    };
    let mut buckets: Vec<Bucket> = (0..count)
        .map(|i| Bucket {
            from: (min + i * width) as f64,
            to: (min + (i + 1) * width - 1).min(max) as f64,
            customers: 0,
        })
        .collect();
    let mut tail = Bucket {
        from: (top + 1) as f64,
        to: max as f64,
        customers: 0,
    };
    for &value in values {
        if value > top {
            tail.customers += 1;
        } else {
            buckets[((value - min) / width) as usize].customers += 1;
        }
    }
    Histogram {
        axis,
        buckets,
        overflow: (tail.customers > 0).then_some(tail),
    }
}

/// M histogram: equal width up to the 99th percentile, the tail as overflow (see [`Histogram`]).
pub(super) fn money_histogram(values: &[f64]) -> Histogram {
    let axis = Axis::Monetary;
    if values.is_empty() {
        return Histogram {
            axis,
            buckets: Vec::new(),
            overflow: None,
        };
    }
    // In `f64::total_cmp`'s order, as integer keys: the least, the greatest and the 99th
    // percentile are all that is needed of the order, so the percentile is selected, not sorted
    // for (equal keys are equal values, so any selection gives the sorted list's value).
    let mut keys: Vec<u64> = values.iter().map(|&v| ascending_bits(v)).collect();
    let n = keys.len();
    let (Some(&least), Some(&greatest)) = (keys.iter().min(), keys.iter().max()) else {
        return Histogram {
            axis,
            buckets: Vec::new(),
            overflow: None,
        };
    };
    let (min, max) = (from_ascending_bits(least), from_ascending_bits(greatest));
    let rank = (99 * n).div_ceil(100).max(1);
    let upper = from_ascending_bits(*keys.select_nth_unstable(rank - 1).1);
    drop(keys);
    if upper <= min {
        // The values at or below the least: those at the head of the sorted list that compare
        // `<= min` (none when the least is a NaN, which compares with nothing).
        let at_min = if min.is_nan() {
            0
        } else {
            values.iter().filter(|&&v| v <= min).count()
        };
        let tail = n - at_min;
        return Histogram {
            axis,
            buckets: vec![Bucket {
                from: min,
                to: min,
                customers: at_min,
            }],
            overflow: (tail > 0).then_some(Bucket {
                from: min,
                to: max,
                customers: tail,
            }),
        };
    }
    let width = (upper - min) / HISTOGRAM_BUCKETS as f64;
    let mut buckets: Vec<Bucket> = (0..HISTOGRAM_BUCKETS)
        .map(|i| Bucket {
            from: min + i as f64 * width,
            to: if i + 1 == HISTOGRAM_BUCKETS {
                upper
            } else {
                min + (i + 1) as f64 * width
            },
            customers: 0,
        })
        .collect();
    let mut tail = Bucket {
        from: upper,
        to: max,
        customers: 0,
    };
    for &value in values {
        if value > upper {
            tail.customers += 1;
        } else {
            // Bucket i holds [from_i, from_{i+1}); compare with the stored bounds so that a value
            // on a boundary lands where the bounds say, whatever the division rounds to.
            let guess = (((value - min) / width) as usize).min(HISTOGRAM_BUCKETS - 1);
            let mut k = guess;
            while k > 0 && value < buckets[k].from {
                k -= 1;
            }
            while k + 1 < HISTOGRAM_BUCKETS && value >= buckets[k + 1].from {
                k += 1;
            }
            buckets[k].customers += 1;
        }
    }
    Histogram {
        axis,
        buckets,
        overflow: (tail.customers > 0).then_some(tail),
    }
}
