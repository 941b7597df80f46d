//! Charts of the lifecycle analysis (客户生命周期): active customers per period with the
//! retention rate, the cohort heatmap, retention curves per cohort, the inter-purchase-time
//! histogram with its thresholds, a transition matrix (customer deciles, RFM segments) and a
//! flow chart of who moved where. Plain numbers and ready-made words in, SVG out: every label,
//! title and legend entry arrives translated (from `present::lifecycle`), so this module holds
//! no words of its own.

use super::ChartStyle;
use crate::engine::error::Result;

/// One period of the activity chart.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodBar {
    /// The period as written on the axis (`2024-01`, `2024-Q1`, `2024`).
    pub label: String,
    /// New customers (first purchase in the period).
    pub new: usize,
    /// Returning customers (active in the previous period too); `None` for the first period.
    pub returning: Option<usize>,
    /// Reactivated customers (back after a gap); `None` for the first period.
    pub reactivated: Option<usize>,
    /// Retention rate (0–1), `None` when left out or undefined (no point drawn).
    pub retention: Option<f64>,
    /// The data covers the period only in part (drawn hatched or lighter, and said in the
    /// legend).
    pub partial: bool,
}

/// The words of the activity chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityWords {
    /// Legend: new customers.
    pub new: String,
    /// Legend: returning customers.
    pub returning: String,
    /// Legend: reactivated customers.
    pub reactivated: String,
    /// Legend and right axis: retention rate.
    pub retention: String,
    /// Legend: the mark of a partial period.
    pub partial: String,
    /// Left axis: customers.
    pub customers: String,
}

/// Stacked bars of new / returning / reactivated customers per period (left axis: customers)
/// with the retention rate as a line with points (right axis: 0–100 %). Many periods (up to a
/// few hundred) stay legible: axis labels are thinned.
pub fn render_activity_svg(
    bars: &[PeriodBar],
    words: &ActivityWords,
    style: &ChartStyle,
) -> Result<String> {
    let _ = (bars, words, style);
    Err(not_drawn("activity"))
}

/// What a cohort cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CohortScale {
    /// Share of the cohort active (0–1), written as a percentage.
    Share,
    /// Money per original customer, written compactly (`12.3k`, `1.2万`).
    Money,
}

/// One cohort (a row of the heatmap).
#[derive(Debug, Clone, PartialEq)]
pub struct CohortRow {
    /// The cohort as written (`2024-01`, `2024-Q1`).
    pub label: String,
    /// Customers in the cohort (written beside the row).
    pub size: usize,
    /// Fewer than 30 customers: the row is marked (e.g. its label in italics with a mark).
    pub small: bool,
    /// The value for k = 0, 1, 2 … periods after the first; `None` = not observed (after the
    /// data ends): drawn blank, never as 0.
    pub cells: Vec<Option<f64>>,
}

/// The words of the cohort heatmap and the retention curves.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortWords {
    /// Horizontal axis: periods since the first purchase.
    pub since: String,
    /// Vertical axis: the cohort (month or quarter of the first purchase).
    pub cohort: String,
    /// Heading of the size column.
    pub size: String,
    /// The value's name (share active, or sales per customer).
    pub value: String,
    /// The mark of a small cohort, explained once (e.g. "* fewer than 30 customers").
    pub small: String,
}

/// The cohort triangle: one row per cohort, one column per k, cell colour by value with its
/// value written (black or white text by contrast, as [`super::rfm::heatmap_colors`]), cohort
/// sizes at the right; blank cells where not observed. Up to ~60 cohorts × 60 columns stay
/// legible (text left out of cells too small for it).
pub fn render_cohort_heatmap_svg(
    rows: &[CohortRow],
    scale: CohortScale,
    words: &CohortWords,
    style: &ChartStyle,
) -> Result<String> {
    let _ = (rows, scale, words, style);
    Err(not_drawn("cohort_heatmap"))
}

/// Retention curves: one line per cohort over k (the same rows as the heatmap; a line stops
/// where the cohort is no longer observed), the y axis 0–100 % for [`CohortScale::Share`];
/// a legend names at most a dozen cohorts (the rest drawn thin and grey, with the mean of all
/// cohorts drawn bold).
pub fn render_retention_curves_svg(
    rows: &[CohortRow],
    scale: CohortScale,
    words: &CohortWords,
    style: &ChartStyle,
) -> Result<String> {
    let _ = (rows, scale, words, style);
    Err(not_drawn("retention_curves"))
}

/// One bar of the inter-purchase histogram: the days `from..=to` and how many gaps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GapBin {
    /// First day of the bin.
    pub from: u32,
    /// Last day of the bin.
    pub to: u32,
    /// Gaps in the bin.
    pub gaps: u64,
}

/// A vertical line on the histogram (median, at-risk and lapse thresholds).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Days.
    pub days: f64,
    /// Its label, written beside the line.
    pub label: String,
}

/// The words of the inter-purchase histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct GapWords {
    /// Horizontal axis: days between purchases.
    pub days: String,
    /// Vertical axis: gaps.
    pub gaps: String,
}

/// Histogram of the days between consecutive purchases, with marker lines. Labels of markers
/// close together do not overlap.
pub fn render_gap_histogram_svg(
    bins: &[GapBin],
    markers: &[Marker],
    words: &GapWords,
    style: &ChartStyle,
) -> Result<String> {
    let _ = (bins, markers, words, style);
    Err(not_drawn("gap_histogram"))
}

/// A matrix of customers moving from a row state to a column state.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Row labels (the states in period A / before).
    pub rows: Vec<String>,
    /// Column labels (the states in period B / after).
    pub columns: Vec<String>,
    /// Customers, row-major: `cells[row][column]`.
    pub cells: Vec<Vec<usize>>,
    /// Title of the rows (e.g. "Decile in A").
    pub row_title: String,
    /// Title of the columns (e.g. "Decile in B").
    pub column_title: String,
}

/// The transition matrix as a heatmap with counts in the cells (colour by the share of the
/// row; the diagonal outlined), row and column labels and totals. Up to 14 × 14 states.
pub fn render_matrix_svg(matrix: &Matrix, style: &ChartStyle) -> Result<String> {
    let _ = (matrix, style);
    Err(not_drawn("matrix"))
}

/// A flow from a state on the left to a state on the right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flow {
    /// Index into the left states.
    pub from: usize,
    /// Index into the right states.
    pub to: usize,
    /// Customers (the band's width).
    pub customers: usize,
}

/// The words of the flow chart.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowWords {
    /// Heading of the left column (e.g. the earlier analysis date).
    pub left: String,
    /// Heading of the right column.
    pub right: String,
}

/// A flow (Sankey) chart: states as stacked boxes on the left and on the right, heights by
/// customers, bands between them with widths by customers (coloured by the left state, half
/// transparent), labels with counts beside the boxes (left out when the box is too small).
pub fn render_flow_svg(
    left: &[String],
    right: &[String],
    flows: &[Flow],
    words: &FlowWords,
    style: &ChartStyle,
) -> Result<String> {
    let _ = (left, right, flows, words, style);
    Err(not_drawn("flow"))
}

/// One group of a customer division (new/old, key/scattered, one-time/repeat).
#[derive(Debug, Clone, PartialEq)]
pub struct DivisionBar {
    /// The division's name (the row, e.g. "New vs old").
    pub division: String,
    /// The group's name (e.g. "New").
    pub group: String,
    /// Share of the customers (0–1).
    pub customers: f64,
    /// Share of the sales (0–1); `None` when total sales are not positive.
    pub sales: Option<f64>,
}

/// The words of the division chart.
#[derive(Debug, Clone, PartialEq)]
pub struct DivisionWords {
    /// Legend / bar label: share of customers.
    pub customers: String,
    /// Legend / bar label: share of sales.
    pub sales: String,
}

/// For each division, two 100 % bars (customers, sales) split into its groups, each part
/// labelled with its group and share, so "20 % of customers make 80 % of sales" is seen at a
/// glance.
pub fn render_division_svg(
    bars: &[DivisionBar],
    words: &DivisionWords,
    style: &ChartStyle,
) -> Result<String> {
    let _ = (bars, words, style);
    Err(not_drawn("division"))
}

fn not_drawn(chart: &str) -> crate::engine::error::Error {
    crate::engine::error::Error::Chart {
        chart: chart.to_string(),
        reason: crate::engine::error::ChartProblem::Drawing {
            detail: String::new(),
        },
    }
}
