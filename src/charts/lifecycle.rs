//! Charts of the lifecycle analysis (客户生命周期): active customers per period with the
//! retention rate, the cohort heatmap, retention curves per cohort, the inter-purchase-time
//! histogram with its thresholds, a transition matrix (customer deciles, RFM segments) and a
//! flow chart of who moved where. Plain numbers and ready-made words in, SVG out: every label,
//! title and legend entry arrives translated (from `present::lifecycle`), so this module holds
//! no words of its own.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform};

use super::rfm::{fit_label, heatmap_colors};
use super::text_width;
use super::{
    chart_error, check_finite, compact_number, palette, sanitize_label, ChartStyle, Svg,
    FONT_FAMILY,
};
use crate::engine::error::{ChartProblem, Error, Result};
use crate::i18n::format_percent;

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
///
/// Partial periods are drawn light with an outline and a hollow retention point, and the legend
/// names the mark only when there is one; the right axis and the retention entry are left out
/// when no period has a rate. [`Error::NoData`] for no periods, [`Error::Chart`] for a rate
/// that is not finite.
pub fn render_activity_svg(
    bars: &[PeriodBar],
    words: &ActivityWords,
    style: &ChartStyle,
) -> Result<String> {
    render_activity(bars, words, style)
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
///
/// The colour scale runs from 0 to the largest value after the first period (the first, 100 %
/// for shares, would wash out the rest), shown in a key below with the value's name; small
/// cohorts have their label in italics with ` *`, and `words.small` is written once below.
/// The SVG is `style.width × style.height` and the cells fill it: pass a taller style for many
/// cohorts (about 11 px a row keeps every label). [`Error::NoData`] for no rows,
/// [`Error::Chart`] for a value that is not finite.
pub fn render_cohort_heatmap_svg(
    rows: &[CohortRow],
    scale: CohortScale,
    words: &CohortWords,
    style: &ChartStyle,
) -> Result<String> {
    render_cohort_heatmap(rows, scale, words, style)
}

/// Retention curves: one line per cohort over k (the same rows as the heatmap; a line stops
/// where the cohort is no longer observed), the y axis 0–100 % for [`CohortScale::Share`];
/// a legend names at most a dozen cohorts (the rest drawn thin and grey, with the mean of all
/// cohorts drawn bold).
///
/// With more than a dozen cohorts the named ones are spread evenly from the first to the last.
/// The mean (unweighted, over the cohorts observed at each k) is named with `words.value`; use
/// [`render_retention_curves_with_mean_svg`] to give it its own word. [`Error::NoData`] for no
/// rows, [`Error::Chart`] for a value that is not finite.
pub fn render_retention_curves_svg(
    rows: &[CohortRow],
    scale: CohortScale,
    words: &CohortWords,
    style: &ChartStyle,
) -> Result<String> {
    render_retention_curves_with_mean_svg(rows, scale, words, &words.value, style)
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
///
/// Marker labels stack in lanes above the plot, each right of its line (left of it near the
/// right edge); the days axis reaches the last bin and every marker. [`Error::NoData`] for no
/// bins, [`Error::Chart`] for a marker that is not finite.
pub fn render_gap_histogram_svg(
    bins: &[GapBin],
    markers: &[Marker],
    words: &GapWords,
    style: &ChartStyle,
) -> Result<String> {
    render_gap_histogram(bins, markers, words, style)
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
///
/// Each cell has its count, and its share of the row when the cell is tall enough; empty cells
/// are left blank. Totals are headed `Σ`. Column labels stand upright (in up to two lines) or
/// are turned when too wide. [`Error::NoData`] for no rows or columns, [`Error::Chart`] when
/// `cells` is not `rows × columns`.
pub fn render_matrix_svg(matrix: &Matrix, style: &ChartStyle) -> Result<String> {
    render_matrix(matrix, style)
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
///
/// Both sides share one scale, so each band is as wide at both ends and the bands leaving or
/// entering a box fill it exactly; a state without customers gets no box. A right state named
/// like a left one takes its colour. [`Error::NoData`] when no flow has customers,
/// [`Error::Chart`] for a flow whose state index is out of range.
pub fn render_flow_svg(
    left: &[String],
    right: &[String],
    flows: &[Flow],
    words: &FlowWords,
    style: &ChartStyle,
) -> Result<String> {
    render_flow(left, right, flows, words, style)
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
///
/// Divisions are drawn in the order they first appear, each headed by its name and a legend
/// of its groups; lines between the two bars join the same boundaries. A part too narrow for
/// its group's name shows only its share, or nothing. When any sales share is `None`, the sales
/// bar is an empty outline with "–". The SVG grows taller than `style.height` when needed to
/// keep the bars readable. [`Error::NoData`] for no bars, [`Error::Chart`] for a share that is
/// not finite.
pub fn render_division_svg(
    bars: &[DivisionBar],
    words: &DivisionWords,
    style: &ChartStyle,
) -> Result<String> {
    render_division(bars, words, style)
}

/// Retention curves as [`render_retention_curves_svg`], with the word for the mean line given:
/// `mean` names the bold line of the mean of all cohorts in the legend ([`CohortWords`] has no
/// word of its own for it, so [`render_retention_curves_svg`] names it with `words.value`).
pub fn render_retention_curves_with_mean_svg(
    rows: &[CohortRow],
    scale: CohortScale,
    words: &CohortWords,
    mean: &str,
    style: &ChartStyle,
) -> Result<String> {
    render_retention_curves(rows, scale, words, mean, style)
}

// ---------------------------------------------------------------------------------------------
// Colours.

/// The activity bars: new, returning and reactivated customers (3:1 or more on white).
pub const ACTIVITY_COLORS: [RGBColor; 3] = [
    palette::SECONDARY,
    palette::PRIMARY,
    RGBColor(0x2f, 0x7d, 0x4f),
];

/// The highlighted cohorts' lines, in turn (3:1 or more on white, told apart by hue).
pub const COHORT_COLORS: [RGBColor; 12] = [
    RGBColor(0x1d, 0x5c, 0x7a),
    RGBColor(0xc4, 0x6a, 0x2f),
    RGBColor(0x2f, 0x7d, 0x4f),
    RGBColor(0x6b, 0x4c, 0x9a),
    RGBColor(0xb0, 0x3a, 0x2e),
    RGBColor(0x8a, 0x6d, 0x1f),
    RGBColor(0x1f, 0x7f, 0x7a),
    RGBColor(0xa0, 0x30, 0x6e),
    RGBColor(0x4a, 0x5f, 0xc1),
    RGBColor(0x7a, 0x52, 0x30),
    RGBColor(0x3f, 0x6e, 0x8c),
    RGBColor(0x5c, 0x7a, 0x1d),
];

/// The cohorts beyond the dozen the legend names: thin, light lines behind the others.
const OTHER_COHORT: RGBColor = RGBColor(0xb4, 0xbe, 0xc7);

/// The marker lines of the inter-purchase histogram and their labels, in turn: text colours
/// (4.5:1 or more on white).
pub const MARKER_COLORS: [RGBColor; 4] = [
    palette::INK,
    palette::NEGATIVE,
    RGBColor(0x8e, 0x4a, 0x14),
    RGBColor(0x5b, 0x3f, 0x8a),
];

/// The states of the flow chart and the groups of the division chart, in turn: white text reads
/// on each at 4.5:1 or more (the treemap's colours).
pub const STATE_COLORS: [RGBColor; 8] = super::rfm::TREEMAP_COLORS;

/// Secondary text (notes, the size column's small cohorts): 4.5:1 or more on white.
pub const MUTED_TEXT: RGBColor = RGBColor(0x4f, 0x5b, 0x66);

/// The fill of an observed cohort cell or a matrix cell, and its text (black or white by
/// contrast); `t` is the place on the colour scale, 0..=1.
pub fn cell_colors(t: f64) -> (RGBColor, RGBColor) {
    heatmap_colors(Some(t.clamp(0.0, 1.0)))
}

// ---------------------------------------------------------------------------------------------
// Drawing helpers: pixel coordinates on the root area.

pub(crate) type Area<'a> = DrawingArea<Svg<'a>, plotters::coord::Shift>;

/// Rotation of a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Turn {
    /// Reads left to right.
    None,
    /// Reads bottom to top.
    Up,
    /// Reads top to bottom.
    Down,
}

/// How a text is written: size in px as the SVG says it, colour, anchor, slant, rotation.
#[derive(Clone, Copy)]
pub(crate) struct Font {
    px: f64,
    color: RGBColor,
    h: HPos,
    v: VPos,
    style: FontStyle,
    turn: Turn,
}

impl Font {
    pub(crate) fn new(px: f64) -> Self {
        Font {
            px,
            color: palette::INK,
            h: HPos::Left,
            v: VPos::Center,
            style: FontStyle::Normal,
            turn: Turn::None,
        }
    }
    pub(crate) fn color(self, color: RGBColor) -> Self {
        Font { color, ..self }
    }
    pub(crate) fn at(self, h: HPos, v: VPos) -> Self {
        Font { h, v, ..self }
    }
    pub(crate) fn bold(self) -> Self {
        Font {
            style: FontStyle::Bold,
            ..self
        }
    }
    pub(crate) fn italic(self) -> Self {
        Font {
            style: FontStyle::Italic,
            ..self
        }
    }
    pub(crate) fn turn(self, turn: Turn) -> Self {
        Font { turn, ..self }
    }
}

pub(crate) fn point((x, y): (f64, f64)) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

/// Draws on the root area in pixel coordinates, with the chart's name for errors.
pub(crate) struct Pen<'a, 'b> {
    area: &'b Area<'a>,
    chart: &'static str,
}

impl Pen<'_, '_> {
    pub(crate) fn text(&self, text: &str, at: (f64, f64), font: Font) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        // Plotters' SVG backend writes `font-size = size / 1.24`.
        let mut desc = (FONT_FAMILY, font.px * 1.24).into_font().style(font.style);
        desc = match font.turn {
            Turn::None => desc,
            Turn::Up => desc.transform(FontTransform::Rotate270),
            Turn::Down => desc.transform(FontTransform::Rotate90),
        };
        let style = desc.color(&font.color).pos(Pos::new(font.h, font.v));
        self.area
            .draw(&Text::new(text.to_string(), point(at), style))
            .map_err(chart_error(self.chart))
    }

    pub(crate) fn rect(&self, a: (f64, f64), b: (f64, f64), style: ShapeStyle) -> Result<()> {
        self.area
            .draw(&Rectangle::new([point(a), point(b)], style))
            .map_err(chart_error(self.chart))
    }

    pub(crate) fn path(&self, points: &[(f64, f64)], style: ShapeStyle) -> Result<()> {
        self.area
            .draw(&PathElement::new(
                points.iter().map(|&p| point(p)).collect::<Vec<_>>(),
                style,
            ))
            .map_err(chart_error(self.chart))
    }

    pub(crate) fn polygon(&self, points: &[(f64, f64)], style: ShapeStyle) -> Result<()> {
        self.area
            .draw(&Polygon::new(
                points.iter().map(|&p| point(p)).collect::<Vec<_>>(),
                style,
            ))
            .map_err(chart_error(self.chart))
    }

    pub(crate) fn dot(&self, at: (f64, f64), radius: u32, style: ShapeStyle) -> Result<()> {
        self.area
            .draw(&Circle::new(point(at), radius, style))
            .map_err(chart_error(self.chart))
    }

    /// A dashed line through `points`: dashes of `dash` px, gaps of `gap` px.
    pub(crate) fn dashed_path(
        &self,
        points: &[(f64, f64)],
        (dash, gap): (f64, f64),
        style: ShapeStyle,
    ) -> Result<()> {
        self.area
            .draw(&plotters::element::DashedPathElement::new(
                points.iter().map(|&p| point(p)).collect::<Vec<_>>(),
                dash,
                gap,
                style,
            ))
            .map_err(chart_error(self.chart))
    }

    /// A vertical dashed line from `y0` down to `y1`.
    pub(crate) fn dashed_vertical(
        &self,
        x: f64,
        y0: f64,
        y1: f64,
        style: ShapeStyle,
    ) -> Result<()> {
        let mut y = y0;
        while y < y1 {
            let end = (y + 5.0).min(y1);
            self.path(&[(x, y), (x, end)], style)?;
            y += 9.0;
        }
        Ok(())
    }
}

/// Draws into a fresh SVG of `width × height`, white, and returns it.
pub(crate) fn draw_svg(
    chart: &'static str,
    (width, height): (f64, f64),
    body: impl FnOnce(&Pen) -> Result<()>,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (width.round() as u32, height.round() as u32))
            .into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(chart))?;
        body(&Pen { area: &root, chart })?;
        root.present().map_err(chart_error(chart))?;
    }
    Ok(svg)
}

/// Ticks from `low` to at least `high`, about `target` of them, at 1, 2 or 5 × 10ⁿ (whole numbers
/// when `whole`).
pub(crate) fn nice_ticks(low: f64, high: f64, target: usize, whole: bool) -> Vec<f64> {
    let (low, high) = if high > low {
        (low, high)
    } else {
        (low, low + 1.0)
    };
    let raw = (high - low) / target.max(1) as f64;
    let magnitude = 10_f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * magnitude);
    if whole {
        step = step.max(1.0).round();
    }
    let first = (low / step).floor() as i64;
    let last = (high / step).ceil() as i64;
    (first..=last.max(first + 1))
        .map(|i| i as f64 * step)
        .collect()
}

/// Every how many periods an axis label is written: the smallest of 1, 2, 3, 4, 6, 12, 24 …
/// that leaves each label `needed` px when the periods are `slot` px apart.
pub(crate) fn label_step(slot: f64, needed: f64) -> usize {
    const STEPS: [usize; 12] = [1, 2, 3, 4, 6, 12, 24, 36, 60, 120, 240, 600];
    if slot <= 0.0 {
        return usize::MAX;
    }
    STEPS
        .iter()
        .copied()
        .find(|&s| s as f64 * slot >= needed)
        .unwrap_or_else(|| (needed / slot).ceil() as usize)
        .max(1)
}

/// The widest of `texts` at `px`.
pub(crate) fn widest<'t>(texts: impl IntoIterator<Item = &'t str>, px: f64) -> f64 {
    texts
        .into_iter()
        .map(|t| text_width(t, px))
        .fold(0.0, f64::max)
}

/// An axis number: whole numbers as they are below 10 000 (`800`, `1000`), compact above.
pub(crate) fn axis_number(value: f64, top: f64, lang: crate::i18n::Lang) -> String {
    if top < 10_000.0 && value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        compact_number(value, lang)
    }
}

/// `text` in lines of at most `width` px at `px`, broken at spaces (or anywhere in a word too
/// long for a line); at most `max_lines`, the last cut with "…" when more is left.
fn wrap(text: &str, width: f64, px: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, px) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than a line: broken between characters.
        for c in word.chars() {
            let mut next = line.clone();
            next.push(c);
            if text_width(&next, px) > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                next = c.to_string();
            }
            line = next;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines.max(1) {
        let rest = lines[max_lines.max(1) - 1..].join(" ");
        lines.truncate(max_lines.max(1) - 1);
        lines.push(fit_label(&rest, width, px).unwrap_or_else(|| "…".to_string()));
    }
    lines
}

/// A sum of counts that stops at `usize::MAX` rather than overflowing.
fn sum(counts: impl IntoIterator<Item = usize>) -> usize {
    counts.into_iter().fold(0, usize::saturating_add)
}

pub(crate) fn shape_error(chart: &str, detail: String) -> Error {
    Error::Chart {
        chart: chart.to_string(),
        reason: ChartProblem::Drawing { detail },
    }
}

/// Axis labels and grid: horizontal grid lines at `ticks` (mapped by `y`), labels right-aligned
/// at `x`.
pub(crate) fn y_grid(
    pen: &Pen,
    ticks: &[(f64, String)],
    (left, right): (f64, f64),
    label_x: f64,
) -> Result<()> {
    for (y, label) in ticks {
        pen.path(&[(left, *y), (right, *y)], palette::GRID.stroke_width(1))?;
        pen.text(
            label,
            (label_x, *y),
            Font::new(11.0).at(HPos::Right, VPos::Center),
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Activity.

/// A legend entry's mark.
#[derive(Clone, Copy)]
pub(crate) enum Mark {
    /// A filled box.
    Box(RGBColor),
    /// A light box with a dark outline: the partial periods.
    Partial,
    /// A line with a point.
    Line(RGBColor),
    /// A line, solid or dashed, with a point or without.
    Stroke {
        /// The line's colour.
        color: RGBColor,
        /// Dashed (else solid).
        dashed: bool,
        /// The point in its middle.
        dot: Dot,
    },
}

/// The point on a line (in the legend and on the chart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dot {
    /// No point.
    None,
    /// A filled point.
    Filled,
    /// A hollow point: white inside, outlined.
    Hollow,
}

pub(crate) const LEGEND_FONT: f64 = 12.0;

/// Lays out legend entries in rows from `x0` to `x1`: the (x, row) of each entry.
pub(crate) fn legend_rows(labels: &[String], x0: f64, x1: f64) -> Vec<(f64, usize)> {
    let mut places = Vec::with_capacity(labels.len());
    let (mut x, mut row) = (x0, 0);
    for label in labels {
        let w = 22.0 + text_width(label, LEGEND_FONT);
        if x > x0 && x + w > x1 {
            x = x0;
            row += 1;
        }
        places.push((x, row));
        x += w + 12.0;
    }
    places
}

pub(crate) fn draw_legend_mark(pen: &Pen, mark: Mark, (x, y): (f64, f64)) -> Result<()> {
    match mark {
        Mark::Box(color) => pen.rect((x, y - 5.0), (x + 14.0, y + 5.0), color.filled()),
        Mark::Partial => {
            pen.rect(
                (x, y - 5.0),
                (x + 14.0, y + 5.0),
                palette::PRIMARY.mix(0.3).filled(),
            )?;
            pen.rect(
                (x, y - 5.0),
                (x + 14.0, y + 5.0),
                palette::PRIMARY.stroke_width(1),
            )
        }
        Mark::Line(color) => {
            pen.path(&[(x, y), (x + 16.0, y)], color.stroke_width(2))?;
            pen.dot((x + 8.0, y), 3, color.filled())
        }
        Mark::Stroke { color, dashed, dot } => {
            let line = [(x - 2.0, y), (x + 18.0, y)];
            if dashed {
                pen.dashed_path(&line, (6.0, 3.0), color.stroke_width(2))?;
            } else {
                pen.path(&line, color.stroke_width(2))?;
            }
            match dot {
                Dot::None => Ok(()),
                Dot::Filled => pen.dot((x + 8.0, y), 3, color.filled()),
                Dot::Hollow => {
                    pen.dot((x + 8.0, y), 3, WHITE.filled())?;
                    pen.dot((x + 8.0, y), 3, color.stroke_width(2))
                }
            }
        }
    }
}

fn render_activity(
    bars: &[PeriodBar],
    words: &ActivityWords,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "activity";
    if bars.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, bars.iter().filter_map(|b| b.retention))?;
    let lang = style.lang;
    let (w, h) = (
        f64::from(style.width.max(320)),
        f64::from(style.height.max(200)),
    );
    let n = bars.len();
    let stacks: Vec<[usize; 3]> = bars
        .iter()
        .map(|b| [b.new, b.returning.unwrap_or(0), b.reactivated.unwrap_or(0)])
        .collect();
    let most = stacks
        .iter()
        .map(|s| sum(s.iter().copied()))
        .max()
        .unwrap_or(0) as f64;
    let ticks = nice_ticks(0.0, most.max(1.0), 5, true);
    let top_value = ticks.last().copied().unwrap_or(1.0);
    let tick_labels: Vec<String> = ticks
        .iter()
        .map(|t| axis_number(*t, top_value, lang))
        .collect();
    let has_retention = bars.iter().any(|b| b.retention.is_some());
    let has_partial = bars.iter().any(|b| b.partial);

    let mut legend: Vec<(Mark, String)> = vec![
        (
            Mark::Box(ACTIVITY_COLORS[0]),
            sanitize_label(&words.new, 40),
        ),
        (
            Mark::Box(ACTIVITY_COLORS[1]),
            sanitize_label(&words.returning, 40),
        ),
        (
            Mark::Box(ACTIVITY_COLORS[2]),
            sanitize_label(&words.reactivated, 40),
        ),
    ];
    if has_retention {
        legend.push((
            Mark::Line(palette::INK),
            sanitize_label(&words.retention, 40),
        ));
    }
    if has_partial {
        legend.push((Mark::Partial, sanitize_label(&words.partial, 40)));
    }
    let left = 30.0 + widest(tick_labels.iter().map(String::as_str), 11.0) + 8.0;
    let right = w - if has_retention {
        30.0 + text_width("100%", 11.0) + 8.0
    } else {
        16.0
    };
    let legend_labels: Vec<String> = legend.iter().map(|l| l.1.clone()).collect();
    let places = legend_rows(&legend_labels, left, right);
    let legend_rows_used = places.last().map_or(1, |p| p.1 + 1);
    let top = 12.0 + 20.0 * legend_rows_used as f64 + 8.0;
    let bottom = h - 28.0;
    let plot_h = (bottom - top).max(10.0);
    let slot = (right - left) / n as f64;
    // A bar's edges on whole pixels, so that thin bars keep even gaps.
    let bar_edges = |i: usize| {
        let (a, b) = (
            (left + i as f64 * slot).round(),
            (left + (i + 1) as f64 * slot).round(),
        );
        if slot > 6.0 {
            let inset = (slot * 0.15).round();
            (a + inset, b - inset)
        } else if slot >= 3.0 {
            (a, b - 1.0)
        } else {
            (a, b)
        }
    };
    let x_of = |i: usize| left + (i as f64 + 0.5) * slot;
    let y_of = |v: f64| bottom - v / top_value * plot_h;
    let labels: Vec<String> = bars.iter().map(|b| sanitize_label(&b.label, 16)).collect();
    let step = label_step(slot, widest(labels.iter().map(String::as_str), 11.0) + 10.0);

    draw_svg(NAME, (w, h), |pen| {
        for ((mark, label), &(x, row)) in legend.iter().zip(&places) {
            let y = 14.0 + 20.0 * row as f64;
            draw_legend_mark(pen, *mark, (x, y))?;
            pen.text(label, (x + 22.0, y), Font::new(LEGEND_FONT))?;
        }
        let grid: Vec<(f64, String)> = ticks
            .iter()
            .zip(tick_labels)
            .map(|(t, l)| (y_of(*t), l))
            .collect();
        y_grid(pen, &grid, (left, right), left - 6.0)?;
        // Bars, bottom up: new, returning, reactivated.
        for (i, (stack, bar)) in stacks.iter().zip(bars).enumerate() {
            let (x0, x1) = bar_edges(i);
            let mut base = 0.0;
            for (k, &count) in stack.iter().enumerate() {
                if count == 0 {
                    continue;
                }
                let top_v = base + count as f64;
                let (a, b) = ((x0, y_of(top_v)), (x1, y_of(base)));
                if bar.partial {
                    pen.rect(a, b, ACTIVITY_COLORS[k].mix(0.3).filled())?;
                    pen.rect(a, b, ACTIVITY_COLORS[k].stroke_width(1))?;
                } else {
                    pen.rect(a, b, ACTIVITY_COLORS[k].filled())?;
                }
                base = top_v;
            }
        }
        pen.path(
            &[(left, bottom), (right, bottom)],
            palette::INK.stroke_width(1),
        )?;
        // Period labels, thinned.
        for (i, label) in labels.iter().enumerate() {
            if i % step != 0 {
                continue;
            }
            let x = x_of(i);
            pen.path(
                &[(x, bottom), (x, bottom + 4.0)],
                palette::INK.stroke_width(1),
            )?;
            // A label that would run into the right axis's labels or off the chart is left out
            // (its tick stays).
            let half = text_width(label, 11.0) / 2.0;
            if x - half < 2.0 || x + half > if has_retention { right + 4.0 } else { w - 2.0 } {
                continue;
            }
            pen.text(
                label,
                (x, bottom + 7.0),
                Font::new(11.0).at(HPos::Center, VPos::Top),
            )?;
        }
        let mid = (top + bottom) / 2.0;
        pen.text(
            &sanitize_label(&words.customers, 40),
            (12.0, mid),
            Font::new(12.0)
                .at(HPos::Center, VPos::Center)
                .turn(Turn::Up),
        )?;
        if has_retention {
            let r_of = |v: f64| bottom - v.clamp(0.0, 1.0) * plot_h;
            for k in 0..=4 {
                let v = k as f64 / 4.0;
                let y = r_of(v);
                pen.path(
                    &[(right, y), (right + 4.0, y)],
                    palette::INK.stroke_width(1),
                )?;
                pen.text(
                    &format_percent(v, 0),
                    (right + 7.0, y),
                    Font::new(11.0).at(HPos::Left, VPos::Center),
                )?;
            }
            pen.path(
                &[(right, top), (right, bottom)],
                palette::INK.mix(0.5).stroke_width(1),
            )?;
            pen.text(
                &sanitize_label(&words.retention, 40),
                (w - 12.0, mid),
                Font::new(12.0)
                    .at(HPos::Center, VPos::Center)
                    .turn(Turn::Down),
            )?;
            // The line, broken where a period has no rate; a white halo keeps it apart from
            // the bars.
            let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
            let mut run = Vec::new();
            for (i, bar) in bars.iter().enumerate() {
                match bar.retention {
                    Some(r) => run.push((x_of(i), r_of(r))),
                    None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
                    None => {}
                }
            }
            if !run.is_empty() {
                runs.push(run);
            }
            let (halo, line) = if slot < 4.0 { (3, 1) } else { (4, 2) };
            for run in &runs {
                pen.path(run, WHITE.stroke_width(halo))?;
                pen.path(run, palette::INK.stroke_width(line))?;
            }
            for (i, bar) in bars.iter().enumerate() {
                let Some(r) = bar.retention else { continue };
                let alone = runs.iter().any(|run| run.len() == 1 && run[0].0 == x_of(i));
                if slot < 9.0 && !alone && !bar.partial {
                    continue;
                }
                let at = (x_of(i), r_of(r));
                pen.dot(at, 4, WHITE.filled())?;
                if bar.partial {
                    pen.dot(at, 3, palette::INK.stroke_width(1))?;
                } else {
                    pen.dot(at, 3, palette::INK.filled())?;
                }
            }
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Cohorts.

fn cohort_value(v: f64, scale: CohortScale, lang: crate::i18n::Lang) -> String {
    match scale {
        CohortScale::Share => format_percent(v, 0),
        CohortScale::Money => compact_number(v, lang),
    }
}

/// The label of a cohort as drawn: sanitized, with ` *` when small.
fn cohort_label(row: &CohortRow) -> String {
    let label = sanitize_label(&row.label, 24);
    if row.small {
        format!("{label} *")
    } else {
        label
    }
}

/// The top of the colour scale: the largest value after the first period (the first is 100 %
/// for shares and would wash out the rest), or of all when there is none.
fn cohort_scale_top(rows: &[CohortRow]) -> f64 {
    let later = rows
        .iter()
        .flat_map(|r| r.cells.iter().skip(1).flatten().copied())
        .fold(0.0_f64, f64::max);
    if later > 0.0 {
        later
    } else {
        rows.iter()
            .flat_map(|r| r.cells.iter().flatten().copied())
            .fold(0.0_f64, f64::max)
    }
}

/// The checks and the size every cohort chart starts from: no rows is [`Error::NoData`], a
/// value that is not finite an [`Error::Chart`]; then the drawing's width and height and the
/// number of columns (k = 0, 1, …; at least 1).
fn cohort_frame(name: &str, rows: &[CohortRow], style: &ChartStyle) -> Result<(f64, f64, usize)> {
    if rows.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(
        name,
        rows.iter().flat_map(|r| r.cells.iter().flatten().copied()),
    )?;
    let (w, h) = (
        f64::from(style.width.max(320)),
        f64::from(style.height.max(200)),
    );
    let columns = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0).max(1);
    Ok((w, h, columns))
}

fn render_cohort_heatmap(
    rows: &[CohortRow],
    scale: CohortScale,
    words: &CohortWords,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "cohort-heatmap";
    let (w, h, columns) = cohort_frame(NAME, rows, style)?;
    let lang = style.lang;
    let top_value = cohort_scale_top(rows);
    let above_top = rows
        .iter()
        .flat_map(|r| r.cells.iter().flatten())
        .any(|v| *v > top_value);
    let t_of = |v: f64| if top_value > 0.0 { v / top_value } else { 0.0 };
    let labels: Vec<String> = rows.iter().map(cohort_label).collect();
    let sizes: Vec<String> = rows.iter().map(|r| r.size.to_string()).collect();
    let size_head = sanitize_label(&words.size, 20);
    let label_w = (widest(labels.iter().map(String::as_str), 11.0) + 6.0)
        .max(text_width(&sanitize_label(&words.cohort, 20), 11.0))
        .min(w * 0.22);
    let size_w = widest(
        sizes.iter().map(String::as_str).chain([size_head.as_str()]),
        11.0,
    ) + 12.0;
    let left = 8.0 + label_w + 6.0;
    let right = w - 8.0 - size_w;
    let top = 42.0;
    let bottom = h - 30.0;
    let cell_w = (right - left) / columns as f64;
    let cell_h = (bottom - top) / rows.len() as f64;
    let gap = if cell_w > 6.0 && cell_h > 6.0 {
        1.0
    } else {
        0.0
    };
    let cell_font = (cell_h * 0.6).min(11.0);
    let row_font = (cell_h * 0.85).clamp(8.0, 11.0);
    let row_step = label_step(cell_h, row_font + 1.0);
    let column_step = label_step(cell_w, text_width(&columns.to_string(), 10.0) + 6.0);

    draw_svg(NAME, (w, h), |pen| {
        pen.text(
            &sanitize_label(&words.since, 60),
            ((left + right) / 2.0, 12.0),
            Font::new(12.0).at(HPos::Center, VPos::Center),
        )?;
        pen.text(
            &sanitize_label(&words.cohort, 20),
            (left - 6.0, top - 10.0),
            Font::new(11.0).bold().at(HPos::Right, VPos::Center),
        )?;
        pen.text(
            &size_head,
            (w - 8.0, top - 10.0),
            Font::new(11.0).bold().at(HPos::Right, VPos::Center),
        )?;
        for k in (0..columns).step_by(column_step) {
            pen.text(
                &k.to_string(),
                (left + (k as f64 + 0.5) * cell_w, top - 10.0),
                Font::new(10.0).at(HPos::Center, VPos::Center),
            )?;
        }
        for (r, row) in rows.iter().enumerate() {
            let y0 = top + r as f64 * cell_h;
            let mid = y0 + cell_h / 2.0;
            for (k, cell) in row.cells.iter().enumerate() {
                // Not observed: left blank, never drawn as 0.
                let Some(v) = *cell else { continue };
                let x0 = left + k as f64 * cell_w;
                let (fill, ink) = cell_colors(t_of(v));
                pen.rect(
                    (x0, y0),
                    (x0 + cell_w - gap, y0 + cell_h - gap),
                    fill.filled(),
                )?;
                let text = cohort_value(v, scale, lang);
                if cell_font >= 7.0 && text_width(&text, cell_font) <= cell_w - 2.0 {
                    pen.text(
                        &text,
                        (x0 + (cell_w - gap) / 2.0, y0 + (cell_h - gap) / 2.0),
                        Font::new(cell_font)
                            .color(ink)
                            .at(HPos::Center, VPos::Center),
                    )?;
                }
            }
            if r % row_step == 0 {
                let font = if row.small {
                    Font::new(row_font).italic()
                } else {
                    Font::new(row_font)
                };
                if let Some(label) = fit_label(&labels[r], label_w, row_font) {
                    pen.text(
                        &label,
                        (left - 6.0, mid),
                        font.at(HPos::Right, VPos::Center),
                    )?;
                }
                pen.text(
                    &sizes[r],
                    (w - 8.0, mid),
                    font.color(if row.small { MUTED_TEXT } else { palette::INK })
                        .at(HPos::Right, VPos::Center),
                )?;
            }
        }
        // Below: the small-cohort note on the left, the colour key on the right.
        let y = h - 13.0;
        let (low_text, high_text) = (
            cohort_value(0.0, scale, lang),
            if above_top {
                format!("≥{}", cohort_value(top_value, scale, lang))
            } else {
                cohort_value(top_value, scale, lang)
            },
        );
        let key_end = w - 8.0 - text_width(&high_text, 11.0) - 6.0;
        let key_start = key_end - 5.0 * 16.0;
        for s in 0..5 {
            let x = key_start + s as f64 * 16.0;
            pen.rect(
                (x, y - 6.0),
                (x + 16.0, y + 6.0),
                cell_colors(s as f64 / 4.0).0.filled(),
            )?;
        }
        pen.text(&high_text, (key_end + 6.0, y), Font::new(11.0))?;
        let low_x = key_start - 6.0;
        pen.text(
            &low_text,
            (low_x, y),
            Font::new(11.0).at(HPos::Right, VPos::Center),
        )?;
        let value_x = low_x - text_width(&low_text, 11.0) - 10.0;
        let value_room = value_x
            - 8.0
            - if rows.iter().any(|r| r.small) {
                w * 0.35
            } else {
                0.0
            };
        if let Some(value) = fit_label(&sanitize_label(&words.value, 60), value_room, 11.0) {
            pen.text(
                &value,
                (value_x, y),
                Font::new(11.0).at(HPos::Right, VPos::Center),
            )?;
        }
        if rows.iter().any(|r| r.small) {
            if let Some(note) = fit_label(&sanitize_label(&words.small, 80), w * 0.35 - 8.0, 11.0) {
                pen.text(&note, (8.0, y), Font::new(11.0).italic().color(MUTED_TEXT))?;
            }
        }
        Ok(())
    })
}

/// The cohorts the legend names: all when there are at most a dozen, otherwise a dozen spread
/// evenly from the first to the last.
fn highlighted_cohorts(n: usize) -> Vec<usize> {
    if n <= COHORT_COLORS.len() {
        return (0..n).collect();
    }
    let k = COHORT_COLORS.len();
    let mut picked: Vec<usize> = (0..k)
        .map(|j| ((j * (n - 1)) as f64 / (k - 1) as f64).round() as usize)
        .collect();
    picked.dedup();
    picked
}

/// The runs of a cohort's observed values: `(k, value)` points, broken where not observed.
fn observed_runs(cells: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for (k, cell) in cells.iter().enumerate() {
        match cell {
            Some(v) => run.push((k, *v)),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// The mean of the cohorts observed at each k (`None` where none is).
fn cohort_mean(rows: &[CohortRow], columns: usize) -> Vec<Option<f64>> {
    (0..columns)
        .map(|k| {
            let values: Vec<f64> = rows
                .iter()
                .filter_map(|r| r.cells.get(k).copied().flatten())
                .collect();
            (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
        })
        .collect()
}

fn render_retention_curves(
    rows: &[CohortRow],
    scale: CohortScale,
    words: &CohortWords,
    mean_label: &str,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "retention-curves";
    let (w, h, columns) = cohort_frame(NAME, rows, style)?;
    let lang = style.lang;
    let values = || rows.iter().flat_map(|r| r.cells.iter().flatten().copied());
    let (low, high) = match scale {
        CohortScale::Share => (0.0, 1.0),
        CohortScale::Money => (
            values().fold(0.0_f64, f64::min),
            values().fold(0.0_f64, f64::max),
        ),
    };
    let ticks = match scale {
        CohortScale::Share => (0..=5).map(|i| i as f64 / 5.0).collect(),
        CohortScale::Money => nice_ticks(low, high.max(low + 1.0), 5, false),
    };
    let (y_low, y_high) = (ticks[0], *ticks.last().unwrap_or(&1.0));
    let tick_labels: Vec<String> = ticks
        .iter()
        .map(|t| cohort_value(*t, scale, lang))
        .collect();
    let picked = highlighted_cohorts(rows.len());
    let others = rows.len() > picked.len();
    let mean = cohort_mean(rows, columns);

    // The legend, at the right of the plot.
    let mut entries: Vec<(RGBColor, u32, String)> = picked
        .iter()
        .enumerate()
        .map(|(j, &i)| (COHORT_COLORS[j], 2, cohort_label(&rows[i])))
        .collect();
    // One cohort is its own mean: no mean line, no entry for it.
    if rows.len() > 1 {
        entries.push((palette::INK, 4, sanitize_label(mean_label, 30)));
    }
    if others {
        entries.push((OTHER_COHORT, 1, "…".to_string()));
    }
    let any_small = picked.iter().any(|&i| rows[i].small);
    let small_note = sanitize_label(&words.small, 80);
    let legend_title = sanitize_label(&words.cohort, 30);
    let legend_w = (widest(
        entries
            .iter()
            .map(|e| e.2.as_str())
            .chain([legend_title.as_str()]),
        11.0,
    ) + 30.0)
        .min(w * 0.3);
    let left = 30.0 + widest(tick_labels.iter().map(String::as_str), 11.0) + 8.0;
    let right = w - legend_w - 16.0;
    let top = 14.0;
    let bottom = h - 44.0;
    let plot_h = bottom - top;
    let x_of = |k: usize| {
        if columns > 1 {
            left + k as f64 / (columns - 1) as f64 * (right - left)
        } else {
            (left + right) / 2.0
        }
    };
    let y_of = |v: f64| bottom - (v.clamp(y_low, y_high) - y_low) / (y_high - y_low) * plot_h;
    let slot = if columns > 1 {
        (right - left) / (columns - 1) as f64
    } else {
        right - left
    };
    let step = label_step(slot, text_width(&columns.to_string(), 11.0) + 10.0);
    let entry_h =
        ((bottom - top - 20.0) / (entries.len() + usize::from(any_small)) as f64).clamp(8.0, 18.0);
    let entry_font = (entry_h * 0.75).min(11.0);

    draw_svg(NAME, (w, h), |pen| {
        let grid: Vec<(f64, String)> = ticks
            .iter()
            .zip(&tick_labels)
            .map(|(t, l)| (y_of(*t), l.clone()))
            .collect();
        y_grid(pen, &grid, (left, right), left - 6.0)?;
        pen.path(
            &[(left, bottom), (right, bottom)],
            palette::INK.stroke_width(1),
        )?;
        for k in (0..columns).step_by(step) {
            let x = x_of(k);
            pen.path(
                &[(x, bottom), (x, bottom + 4.0)],
                palette::INK.stroke_width(1),
            )?;
            pen.text(
                &k.to_string(),
                (x, bottom + 7.0),
                Font::new(11.0).at(HPos::Center, VPos::Top),
            )?;
        }
        pen.text(
            &sanitize_label(&words.since, 60),
            ((left + right) / 2.0, h - 10.0),
            Font::new(12.0).at(HPos::Center, VPos::Center),
        )?;
        pen.text(
            &sanitize_label(&words.value, 40),
            (12.0, (top + bottom) / 2.0),
            Font::new(12.0)
                .at(HPos::Center, VPos::Center)
                .turn(Turn::Up),
        )?;
        let line = |run: &[(usize, f64)]| -> Vec<(f64, f64)> {
            run.iter().map(|&(k, v)| (x_of(k), y_of(v))).collect()
        };
        let draw_runs = |cells: &[Option<f64>], style: ShapeStyle, dots: Option<RGBColor>| {
            for run in observed_runs(cells) {
                let points = line(&run);
                if points.len() > 1 {
                    pen.path(&points, style)?;
                }
                if let Some(color) = dots.filter(|_| points.len() == 1 || columns <= 24) {
                    for &p in &points {
                        pen.dot(p, 2, color.filled())?;
                    }
                }
            }
            Ok::<(), Error>(())
        };
        for (i, row) in rows.iter().enumerate() {
            if !picked.contains(&i) {
                draw_runs(&row.cells, OTHER_COHORT.stroke_width(1), None)?;
            }
        }
        for (j, &i) in picked.iter().enumerate() {
            draw_runs(
                &rows[i].cells,
                COHORT_COLORS[j].stroke_width(2),
                Some(COHORT_COLORS[j]),
            )?;
        }
        if rows.len() > 1 {
            for run in observed_runs(&mean) {
                let points = line(&run);
                pen.path(&points, WHITE.stroke_width(6))?;
                pen.path(&points, palette::INK.stroke_width(4))?;
            }
        }
        // Legend.
        let lx = right + 16.0;
        pen.text(&legend_title, (lx, top + 6.0), Font::new(11.0).bold())?;
        for (e, (color, width, label)) in entries.iter().enumerate() {
            let y = top + 22.0 + e as f64 * entry_h;
            pen.path(
                &[(lx, y), (lx + 18.0, y)],
                color.stroke_width((*width).max(3)),
            )?;
            let font = Font::new(entry_font);
            let italic = e < picked.len() && rows[picked[e]].small;
            if let Some(label) = fit_label(label, w - lx - 26.0, entry_font) {
                pen.text(
                    &label,
                    (lx + 24.0, y),
                    if italic { font.italic() } else { font },
                )?;
            }
        }
        if any_small {
            let y = top + 22.0 + entries.len() as f64 * entry_h;
            for (l, line) in wrap(&small_note, w - lx - 4.0, entry_font, 3)
                .iter()
                .enumerate()
            {
                pen.text(
                    line,
                    (lx, y + l as f64 * (entry_font + 3.0)),
                    Font::new(entry_font).italic().color(MUTED_TEXT),
                )?;
            }
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Inter-purchase histogram.

/// Places labels of `widths` px at `anchors` (x, sorted or not) in lanes so that none overlap:
/// each label goes right of its anchor, or left of it when it would pass `right`; the first
/// lane where it clears the others by 6 px. Returns (x of the label's start, lane) per label.
fn place_labels(anchors: &[f64], widths: &[f64], (left, right): (f64, f64)) -> Vec<(f64, usize)> {
    let mut order: Vec<usize> = (0..anchors.len()).collect();
    order.sort_by(|&a, &b| anchors[a].total_cmp(&anchors[b]));
    let mut lanes: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut placed = vec![(0.0, 0); anchors.len()];
    for i in order {
        let (x, w) = (anchors[i], widths[i]);
        let start = if x + 4.0 + w > right {
            (x - 4.0 - w).max(left)
        } else {
            x + 4.0
        };
        let span = (start - 3.0, start + w + 3.0);
        let lane = lanes
            .iter()
            .position(|lane| lane.iter().all(|&(a, b)| span.1 <= a || span.0 >= b))
            .unwrap_or_else(|| {
                lanes.push(Vec::new());
                lanes.len() - 1
            });
        lanes[lane].push(span);
        placed[i] = (start, lane);
    }
    placed
}

fn render_gap_histogram(
    bins: &[GapBin],
    markers: &[Marker],
    words: &GapWords,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "gap-histogram";
    if bins.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, markers.iter().map(|m| m.days))?;
    let lang = style.lang;
    let (w, h) = (
        f64::from(style.width.max(320)),
        f64::from(style.height.max(200)),
    );
    let x_low = bins.iter().map(|b| b.from.min(b.to)).min().unwrap_or(0) as f64;
    let x_low = x_low
        .min(markers.iter().map(|m| m.days).fold(x_low, f64::min))
        .max(0.0);
    let x_high = bins
        .iter()
        .map(|b| f64::from(b.to.max(b.from)) + 1.0)
        .chain(markers.iter().map(|m| m.days * 1.02 + 1.0))
        .fold(x_low + 1.0, f64::max);
    let most = bins.iter().map(|b| b.gaps).max().unwrap_or(0) as f64;
    let ticks = nice_ticks(0.0, most.max(1.0), 5, true);
    let top_value = *ticks.last().unwrap_or(&1.0);
    let tick_labels: Vec<String> = ticks
        .iter()
        .map(|t| axis_number(*t, top_value, lang))
        .collect();
    let left = 30.0 + widest(tick_labels.iter().map(String::as_str), 11.0) + 8.0;
    let right = w - 16.0;
    let x_of = |d: f64| left + (d.clamp(x_low, x_high) - x_low) / (x_high - x_low) * (right - left);
    let marker_labels: Vec<String> = markers
        .iter()
        .map(|m| sanitize_label(&m.label, 40))
        .collect();
    let anchors: Vec<f64> = markers.iter().map(|m| x_of(m.days)).collect();
    let widths: Vec<f64> = marker_labels.iter().map(|l| text_width(l, 11.0)).collect();
    let placed = place_labels(&anchors, &widths, (left, right));
    let lanes = placed.iter().map(|p| p.1 + 1).max().unwrap_or(0);
    let lane_y = |lane: usize| 14.0 + lane as f64 * 16.0;
    let top = lane_y(lanes) + 2.0;
    let bottom = h - 44.0;
    let y_of = |v: f64| bottom - v / top_value * (bottom - top);
    let x_ticks: Vec<f64> = nice_ticks(x_low, x_high, 8, true)
        .into_iter()
        .filter(|t| *t >= x_low && *t <= x_high)
        .collect();

    draw_svg(NAME, (w, h), |pen| {
        let grid: Vec<(f64, String)> = ticks
            .iter()
            .zip(tick_labels)
            .map(|(t, l)| (y_of(*t), l))
            .collect();
        y_grid(pen, &grid, (left, right), left - 6.0)?;
        for bin in bins {
            let (from, to) = (bin.from.min(bin.to), bin.from.max(bin.to));
            let (x0, x1) = (x_of(f64::from(from)), x_of(f64::from(to) + 1.0));
            let gap = if x1 - x0 > 4.0 { 1.0 } else { 0.0 };
            if bin.gaps > 0 {
                pen.rect(
                    (x0 + gap / 2.0, y_of(bin.gaps as f64)),
                    (x1 - gap / 2.0, bottom),
                    palette::PRIMARY.filled(),
                )?;
            }
        }
        pen.path(
            &[(left, bottom), (right, bottom)],
            palette::INK.stroke_width(1),
        )?;
        for t in &x_ticks {
            let x = x_of(*t);
            pen.path(
                &[(x, bottom), (x, bottom + 4.0)],
                palette::INK.stroke_width(1),
            )?;
            pen.text(
                &axis_number(*t, x_high, lang),
                (x, bottom + 7.0),
                Font::new(11.0).at(HPos::Center, VPos::Top),
            )?;
        }
        pen.text(
            &sanitize_label(&words.days, 60),
            ((left + right) / 2.0, h - 10.0),
            Font::new(12.0).at(HPos::Center, VPos::Center),
        )?;
        pen.text(
            &sanitize_label(&words.gaps, 40),
            (12.0, (top + bottom) / 2.0),
            Font::new(12.0)
                .at(HPos::Center, VPos::Center)
                .turn(Turn::Up),
        )?;
        for (i, label) in marker_labels.iter().enumerate() {
            let color = MARKER_COLORS[i % MARKER_COLORS.len()];
            let (start, lane) = placed[i];
            let x = anchors[i];
            let y = lane_y(lane);
            pen.path(&[(x, y - 6.0), (x, bottom)], WHITE.stroke_width(4))?;
            pen.path(&[(x, y - 6.0), (x, top)], color.stroke_width(1))?;
            pen.dashed_vertical(x, top, bottom, color.stroke_width(2))?;
            pen.text(label, (start, y), Font::new(11.0).color(color))?;
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Transition matrix.

fn render_matrix(matrix: &Matrix, style: &ChartStyle) -> Result<String> {
    const NAME: &str = "matrix";
    let (nr, nc) = (matrix.rows.len(), matrix.columns.len());
    if nr == 0 || nc == 0 {
        return Err(Error::NoData);
    }
    if matrix.cells.len() != nr || matrix.cells.iter().any(|row| row.len() != nc) {
        return Err(shape_error(
            NAME,
            format!("the cells are not {nr} rows of {nc} columns"),
        ));
    }
    let (w, h) = (
        f64::from(style.width.max(320)),
        f64::from(style.height.max(200)),
    );
    let row_totals: Vec<usize> = matrix
        .cells
        .iter()
        .map(|r| sum(r.iter().copied()))
        .collect();
    let column_totals: Vec<usize> = (0..nc)
        .map(|c| sum(matrix.cells.iter().map(|r| r[c])))
        .collect();
    let total = sum(row_totals.iter().copied());
    let row_labels: Vec<String> = matrix.rows.iter().map(|l| sanitize_label(l, 30)).collect();
    let column_labels: Vec<String> = matrix
        .columns
        .iter()
        .map(|l| sanitize_label(l, 30))
        .collect();
    let label_w = widest(row_labels.iter().map(String::as_str), 11.0).min(w * 0.25);
    let left = 26.0 + label_w + 8.0;
    let total_w = text_width(&total.to_string(), 11.0).max(text_width("Σ", 11.0)) + 14.0;
    let right = w - 8.0 - total_w;
    let cell_w = (right - left) / nc as f64;
    // Column labels upright in one or two lines when they fit so, otherwise turned.
    let wrapped: Vec<Vec<String>> = column_labels
        .iter()
        .map(|l| wrap(l, cell_w - 4.0, 11.0, 8))
        .collect();
    let header_lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    let upright = header_lines <= 2;
    let header_h = if upright {
        4.0 + 14.0 * header_lines as f64
    } else {
        widest(column_labels.iter().map(String::as_str), 11.0).min(130.0_f64.min(h * 0.3)) + 8.0
    };
    let top = 26.0 + header_h;
    let bottom = h - 26.0;
    let cell_h = (bottom - top) / nr as f64;
    let count_font = (cell_h * 0.42).clamp(6.0, 12.0);
    let share_line = cell_h >= 34.0;

    draw_svg(NAME, (w, h), |pen| {
        pen.text(
            &sanitize_label(&matrix.column_title, 60),
            ((left + right) / 2.0, 12.0),
            Font::new(12.0).bold().at(HPos::Center, VPos::Center),
        )?;
        pen.text(
            &sanitize_label(&matrix.row_title, 60),
            (12.0, (top + bottom) / 2.0),
            Font::new(12.0)
                .bold()
                .at(HPos::Center, VPos::Center)
                .turn(Turn::Up),
        )?;
        for (c, label) in column_labels.iter().enumerate() {
            let x = left + (c as f64 + 0.5) * cell_w;
            if upright {
                let lines = &wrapped[c];
                for (l, line) in lines.iter().enumerate() {
                    let from_bottom = (lines.len() - 1 - l) as f64;
                    pen.text(
                        line,
                        (x, top - 10.0 - 14.0 * from_bottom),
                        Font::new(11.0).at(HPos::Center, VPos::Center),
                    )?;
                }
            } else if let Some(label) = fit_label(label, header_h - 8.0, 11.0) {
                if cell_w >= 10.0 {
                    pen.text(
                        &label,
                        (x, top - 5.0),
                        Font::new(11.0).at(HPos::Left, VPos::Center).turn(Turn::Up),
                    )?;
                }
            }
        }
        let row_font = (cell_h * 0.8).clamp(7.0, 11.0);
        let row_step = label_step(cell_h, row_font + 1.0);
        for (r, label) in row_labels.iter().enumerate() {
            let y0 = top + r as f64 * cell_h;
            let mid = y0 + cell_h / 2.0;
            if r % row_step == 0 {
                if let Some(label) = fit_label(label, label_w, row_font) {
                    pen.text(
                        &label,
                        (left - 8.0, mid),
                        Font::new(row_font).at(HPos::Right, VPos::Center),
                    )?;
                }
            }
            for c in 0..nc {
                let count = matrix.cells[r][c];
                let x0 = left + c as f64 * cell_w;
                let (a, b) = ((x0 + 0.5, y0 + 0.5), (x0 + cell_w - 0.5, y0 + cell_h - 0.5));
                if count == 0 {
                    pen.rect(a, b, heatmap_colors(None).0.filled())?;
                    continue;
                }
                let share = count as f64 / row_totals[r] as f64;
                let (fill, ink) = cell_colors(share);
                pen.rect(a, b, fill.filled())?;
                let count_text = count.to_string();
                let cx = x0 + cell_w / 2.0;
                if text_width(&count_text, count_font) <= cell_w - 3.0 && cell_h >= 8.0 {
                    let share_text = format_percent(share, 0);
                    let with_share = share_line && text_width(&share_text, 10.0) <= cell_w - 3.0;
                    let y = if with_share { mid - 7.0 } else { mid };
                    pen.text(
                        &count_text,
                        (cx, y),
                        Font::new(count_font)
                            .color(ink)
                            .at(HPos::Center, VPos::Center),
                    )?;
                    if with_share {
                        pen.text(
                            &share_text,
                            (cx, mid + 8.0),
                            Font::new(10.0).color(ink).at(HPos::Center, VPos::Center),
                        )?;
                    }
                }
            }
            if r % row_step == 0 {
                pen.text(
                    &row_totals[r].to_string(),
                    (w - 8.0, mid),
                    Font::new(row_font).bold().at(HPos::Right, VPos::Center),
                )?;
            }
        }
        for i in 0..nr.min(nc) {
            let (x0, y0) = (left + i as f64 * cell_w, top + i as f64 * cell_h);
            let (x1, y1) = (x0 + cell_w - 1.5, y0 + cell_h - 1.5);
            let (x0, y0) = (x0 + 1.5, y0 + 1.5);
            // A closed path: plotters' SVG rectangles leave out the stroke width.
            pen.path(
                &[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)],
                palette::INK.stroke_width(2),
            )?;
        }
        // Totals: Σ heads the column at the right and the row below.
        let y = bottom + 13.0;
        pen.text(
            "Σ",
            (w - 8.0, top - 10.0),
            Font::new(12.0).bold().at(HPos::Right, VPos::Center),
        )?;
        pen.text(
            "Σ",
            (left - 8.0, y),
            Font::new(12.0).bold().at(HPos::Right, VPos::Center),
        )?;
        let total_font = 11.0_f64.min(cell_w / 3.6).max(7.0);
        for (c, t) in column_totals.iter().enumerate() {
            let text = t.to_string();
            if text_width(&text, total_font) <= cell_w - 2.0 {
                pen.text(
                    &text,
                    (left + (c as f64 + 0.5) * cell_w, y),
                    Font::new(total_font).bold().at(HPos::Center, VPos::Center),
                )?;
            }
        }
        pen.text(
            &total.to_string(),
            (w - 8.0, y),
            Font::new(11.0).bold().at(HPos::Right, VPos::Center),
        )?;
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Flow (Sankey).

/// A band of the flow chart: its state on each side and where it sits on each box (y from, to).
#[derive(Debug, Clone, PartialEq)]
struct Band {
    from: usize,
    to: usize,
    left: (f64, f64),
    right: (f64, f64),
}

/// The flow chart's geometry between `top` and `bottom` px: each state's box (y from, to; empty
/// for a state without customers) and the bands, on one scale for both sides so that each band
/// is as wide at both ends.
#[derive(Debug, Clone, PartialEq)]
struct FlowLayout {
    left: Vec<(f64, f64)>,
    right: Vec<(f64, f64)>,
    bands: Vec<Band>,
}

fn flow_layout(
    left_n: usize,
    right_n: usize,
    flows: &[Flow],
    (top, bottom): (f64, f64),
) -> FlowLayout {
    let flows: Vec<&Flow> = flows.iter().filter(|f| f.customers > 0).collect();
    let mut left_totals = vec![0usize; left_n];
    let mut right_totals = vec![0usize; right_n];
    for f in &flows {
        left_totals[f.from] = left_totals[f.from].saturating_add(f.customers);
        right_totals[f.to] = right_totals[f.to].saturating_add(f.customers);
    }
    let total = sum(left_totals.iter().copied());
    let span = bottom - top;
    let shown = |totals: &[usize]| totals.iter().filter(|t| **t > 0).count();
    let most = shown(&left_totals).max(shown(&right_totals));
    let gap = if most > 1 {
        (span * 0.3 / (most - 1) as f64).min(10.0)
    } else {
        0.0
    };
    let scale = if total > 0 {
        (span - gap * most.saturating_sub(1) as f64) / total as f64
    } else {
        0.0
    };
    let boxes = |totals: &[usize]| -> Vec<(f64, f64)> {
        let count = shown(totals);
        let used = total as f64 * scale + gap * count.saturating_sub(1) as f64;
        let mut y = top + (span - used) / 2.0;
        totals
            .iter()
            .map(|&t| {
                if t == 0 {
                    return (y, y);
                }
                let b = (y, y + t as f64 * scale);
                y = b.1 + gap;
                b
            })
            .collect()
    };
    let (left, right) = (boxes(&left_totals), boxes(&right_totals));
    let mut bands: Vec<Band> = flows
        .iter()
        .map(|f| Band {
            from: f.from,
            to: f.to,
            left: (0.0, f.customers as f64 * scale),
            right: (0.0, f.customers as f64 * scale),
        })
        .collect();
    // Leaving a left box: ordered by the right state; arriving: ordered by the left state.
    let mut order: Vec<usize> = (0..bands.len()).collect();
    order.sort_by_key(|&i| (bands[i].from, bands[i].to));
    let mut cursor: Vec<f64> = left.iter().map(|b| b.0).collect();
    for &i in &order {
        let b = &mut bands[i];
        let width = b.left.1;
        b.left = (cursor[b.from], cursor[b.from] + width);
        cursor[b.from] += width;
    }
    order.sort_by_key(|&i| (bands[i].to, bands[i].from));
    let mut cursor: Vec<f64> = right.iter().map(|b| b.0).collect();
    for &i in &order {
        let b = &mut bands[i];
        let width = b.right.1;
        b.right = (cursor[b.to], cursor[b.to] + width);
        cursor[b.to] += width;
    }
    FlowLayout { left, right, bands }
}

/// Points along the S-curve from `a` to `b` (horizontal at both ends).
fn s_curve(a: (f64, f64), b: (f64, f64)) -> impl Iterator<Item = (f64, f64)> {
    (0..=24).map(move |i| {
        let t = i as f64 / 24.0;
        let s = t * t * (3.0 - 2.0 * t);
        (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * s)
    })
}

fn render_flow(
    left: &[String],
    right: &[String],
    flows: &[Flow],
    words: &FlowWords,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "flow";
    if let Some(f) = flows
        .iter()
        .find(|f| f.from >= left.len() || f.to >= right.len())
    {
        return Err(shape_error(
            NAME,
            format!(
                "a flow from state {} to state {} of {} left and {} right states",
                f.from,
                f.to,
                left.len(),
                right.len()
            ),
        ));
    }
    if flows.iter().all(|f| f.customers == 0) {
        return Err(Error::NoData);
    }
    let (w, h) = (
        f64::from(style.width.max(320)),
        f64::from(style.height.max(200)),
    );
    let top = 32.0;
    let bottom = h - 10.0;
    let layout = flow_layout(left.len(), right.len(), flows, (top, bottom));
    let mut left_totals = vec![0usize; left.len()];
    let mut right_totals = vec![0usize; right.len()];
    for f in flows {
        left_totals[f.from] = left_totals[f.from].saturating_add(f.customers);
        right_totals[f.to] = right_totals[f.to].saturating_add(f.customers);
    }
    let label = |name: &str, n: usize| format!("{} · {}", sanitize_label(name, 30), n);
    let left_labels: Vec<String> = left
        .iter()
        .zip(&left_totals)
        .map(|(l, &n)| label(l, n))
        .collect();
    let right_labels: Vec<String> = right
        .iter()
        .zip(&right_totals)
        .map(|(l, &n)| label(l, n))
        .collect();
    let left_w = widest(left_labels.iter().map(String::as_str), 11.0).min(w * 0.28);
    let right_w = widest(right_labels.iter().map(String::as_str), 11.0).min(w * 0.28);
    let box_w = 14.0;
    let lx = 8.0 + left_w + 6.0;
    let rx = w - 8.0 - right_w - 6.0 - box_w;
    let left_color = |i: usize| STATE_COLORS[i % STATE_COLORS.len()];
    let right_color = |j: usize| {
        let name = sanitize_label(&right[j], 30);
        left.iter()
            .position(|l| sanitize_label(l, 30) == name)
            .map_or(
                STATE_COLORS[(left.len() + j) % STATE_COLORS.len()],
                left_color,
            )
    };

    draw_svg(NAME, (w, h), |pen| {
        pen.text(
            &sanitize_label(&words.left, 40),
            (lx + box_w, 14.0),
            Font::new(12.0).bold().at(HPos::Right, VPos::Center),
        )?;
        pen.text(
            &sanitize_label(&words.right, 40),
            (rx, 14.0),
            Font::new(12.0).bold().at(HPos::Left, VPos::Center),
        )?;
        for band in &layout.bands {
            let mut outline: Vec<(f64, f64)> =
                s_curve((lx + box_w, band.left.0), (rx, band.right.0)).collect();
            outline.extend(s_curve((rx, band.right.1), (lx + box_w, band.left.1)));
            pen.polygon(&outline, left_color(band.from).mix(0.4).filled())?;
        }
        let draw_side = |boxes: &[(f64, f64)],
                         labels: &[String],
                         x: f64,
                         on_left: bool,
                         color: &dyn Fn(usize) -> RGBColor| {
            for (i, &(y0, y1)) in boxes.iter().enumerate() {
                if y1 - y0 <= 0.0 {
                    continue;
                }
                pen.rect((x, y0), (x + box_w, y1), color(i).filled())?;
                if y1 - y0 >= 11.0 {
                    let room = if on_left { left_w } else { right_w };
                    if let Some(text) = fit_label(&labels[i], room, 11.0) {
                        let (at, anchor) = if on_left {
                            ((x - 6.0, (y0 + y1) / 2.0), HPos::Right)
                        } else {
                            ((x + box_w + 6.0, (y0 + y1) / 2.0), HPos::Left)
                        };
                        pen.text(&text, at, Font::new(11.0).at(anchor, VPos::Center))?;
                    }
                }
            }
            Ok::<(), Error>(())
        };
        draw_side(&layout.left, &left_labels, lx, true, &left_color)?;
        draw_side(&layout.right, &right_labels, rx, false, &right_color)?;
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Divisions.

fn render_division(
    bars: &[DivisionBar],
    words: &DivisionWords,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "division";
    if bars.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(
        NAME,
        bars.iter()
            .flat_map(|b| [Some(b.customers), b.sales])
            .flatten(),
    )?;
    // The divisions in order of first appearance, each with its groups.
    let mut divisions: Vec<(String, Vec<&DivisionBar>)> = Vec::new();
    for bar in bars {
        match divisions.iter_mut().find(|d| d.0 == bar.division) {
            Some(d) => d.1.push(bar),
            None => divisions.push((bar.division.clone(), vec![bar])),
        }
    }
    let w = f64::from(style.width.max(320));
    let n = divisions.len() as f64;
    let heading_h = 24.0;
    let bar_gap = 16.0;
    let block_gap = 12.0;
    let fixed = 8.0 + n * (heading_h + bar_gap + block_gap);
    let bar_h = ((f64::from(style.height) - fixed) / (2.0 * n)).clamp(14.0, 30.0);
    let h = f64::from(style.height.max(200)).max(fixed + 2.0 * n * bar_h);
    let bar_words = [
        sanitize_label(&words.customers, 30),
        sanitize_label(&words.sales, 30),
    ];
    let label_w = widest(bar_words.iter().map(String::as_str), 11.0).min(w * 0.25);
    let x0 = 8.0 + label_w + 10.0;
    let x1 = w - 12.0;
    let bar_font = (bar_h * 0.5).clamp(9.0, 12.0);

    draw_svg(NAME, (w, h), |pen| {
        let mut y = 8.0;
        for (name, groups) in &divisions {
            // Heading: the division's name, then its groups' colours as a legend.
            let title = sanitize_label(name, 40);
            pen.text(&title, (8.0, y + heading_h / 2.0), Font::new(12.0).bold())?;
            let mut lx = 8.0 + text_width(&title, 12.0) + 18.0;
            for (g, group) in groups.iter().enumerate() {
                let label = sanitize_label(&group.group, 30);
                let width = 18.0 + text_width(&label, 11.0);
                if lx + width > x1 {
                    break;
                }
                let cy = y + heading_h / 2.0;
                pen.rect(
                    (lx, cy - 5.0),
                    (lx + 11.0, cy + 5.0),
                    STATE_COLORS[g % STATE_COLORS.len()].filled(),
                )?;
                pen.text(&label, (lx + 16.0, cy), Font::new(11.0))?;
                lx += width + 12.0;
            }
            y += heading_h;
            // Each bar's parts (x from, to per group); `None` when a share is not known.
            let spans: Vec<Option<Vec<(f64, f64)>>> = (0..2)
                .map(|b| {
                    let mut x = x0;
                    groups
                        .iter()
                        .map(|g| {
                            let share = if b == 0 { Some(g.customers) } else { g.sales }?;
                            let end = (x + share.clamp(0.0, 1.0) * (x1 - x0)).min(x1);
                            let span = (x, end);
                            x = end;
                            Some(span)
                        })
                        .collect()
                })
                .collect();
            // Between the bars, a line joins each boundary of the customers bar to the same
            // boundary of the sales bar: "20 % of customers, 80 % of sales" as a slope.
            if let (Some(upper), Some(lower)) = (&spans[0], &spans[1]) {
                let (ya, yb) = (y + bar_h + 1.0, y + bar_h + bar_gap - 1.0);
                for (a, b) in upper.iter().zip(lower).take(groups.len().saturating_sub(1)) {
                    pen.path(&[(a.1, ya), (b.1, yb)], MUTED_TEXT.stroke_width(1))?;
                }
            }
            for (b, word) in bar_words.iter().enumerate() {
                let mid = y + bar_h / 2.0;
                if let Some(word) = fit_label(word, label_w, 11.0) {
                    pen.text(
                        &word,
                        (x0 - 10.0, mid),
                        Font::new(11.0).at(HPos::Right, VPos::Center),
                    )?;
                }
                match &spans[b] {
                    None => {
                        pen.rect((x0, y), (x1, y + bar_h), palette::GRID.stroke_width(1))?;
                        pen.text(
                            "–",
                            ((x0 + x1) / 2.0, mid),
                            Font::new(12.0).at(HPos::Center, VPos::Center),
                        )?;
                    }
                    Some(parts) => {
                        for (g, &(start, end)) in parts.iter().enumerate() {
                            if end <= start {
                                continue;
                            }
                            pen.rect(
                                (start, y),
                                (end, y + bar_h),
                                STATE_COLORS[g % STATE_COLORS.len()].filled(),
                            )?;
                            pen.path(&[(end, y), (end, y + bar_h)], WHITE.stroke_width(1))?;
                            let share = if b == 0 {
                                groups[g].customers
                            } else {
                                groups[g].sales.unwrap_or(0.0)
                            };
                            let share_text = format_percent(share, 0);
                            let full =
                                format!("{} {}", sanitize_label(&groups[g].group, 30), share_text);
                            let room = end - start - 8.0;
                            let text = if text_width(&full, bar_font) <= room {
                                Some(full)
                            } else {
                                (text_width(&share_text, bar_font) <= room).then_some(share_text)
                            };
                            if let Some(text) = text {
                                pen.text(
                                    &text,
                                    (start + 5.0, mid),
                                    Font::new(bar_font).color(WHITE),
                                )?;
                            }
                        }
                    }
                }
                y += bar_h + if b == 0 { bar_gap } else { 0.0 };
            }
            y += block_gap;
        }
        Ok(())
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// Well-formed enough for a browser: tags nest and close, attributes are quoted, no raw `&`
    /// or `<` in text, no control characters but newlines.
    pub(crate) fn assert_well_formed(svg: &str) {
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
        assert!(
            !svg.chars().any(|c| c.is_control() && c != '\n'),
            "a control character"
        );
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            assert!(!text.contains('>'), "a raw > in text: {text}");
            for (i, _) in text.match_indices('&') {
                let entity = &text[i..];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                        .iter()
                        .any(|e| entity.starts_with(e)),
                    "a raw & in {text}"
                );
            }
            let close = rest[open..].find('>').expect("an unclosed tag") + open;
            let tag = &rest[open + 1..close];
            assert!(
                tag.matches('"').count().is_multiple_of(2),
                "unbalanced quotes: {tag}"
            );
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(name.trim()),
                    "mismatched </{name}>"
                );
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().unwrap_or_default();
                stack.push(name.to_string());
            }
            rest = &rest[close + 1..];
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
    }

    /// The words of every `<text>` element.
    pub(crate) fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .map(|part| {
                let body = &part[part.find('>').unwrap() + 1..part.find("</text>").unwrap()];
                body.trim().to_string()
            })
            .collect()
    }

    fn en() -> ChartStyle {
        ChartStyle::new(Lang::En)
    }

    fn tall(height: u32) -> ChartStyle {
        ChartStyle {
            height,
            ..ChartStyle::new(Lang::En)
        }
    }

    fn is_chart_error(result: Result<String>) -> bool {
        matches!(result, Err(Error::Chart { .. }))
    }

    fn activity_words() -> ActivityWords {
        ActivityWords {
            new: "New".into(),
            returning: "Returning".into(),
            reactivated: "Reactivated".into(),
            retention: "Retention rate".into(),
            partial: "Partial period".into(),
            customers: "Customers".into(),
        }
    }

    fn months(n: usize) -> Vec<PeriodBar> {
        (0..n)
            .map(|i| PeriodBar {
                label: format!("{}-{:02}", 2015 + i / 12, i % 12 + 1),
                new: 40 + (i * 7) % 25,
                returning: (i > 0).then_some(120 + (i * 13) % 40),
                reactivated: (i > 0).then_some(10 + (i * 5) % 15),
                retention: (i > 0).then_some(0.45 + ((i * 11) % 20) as f64 / 100.0),
                partial: i + 1 == n,
            })
            .collect()
    }

    fn cohort_words() -> CohortWords {
        CohortWords {
            since: "Months since first purchase".into(),
            cohort: "Cohort".into(),
            size: "Customers".into(),
            value: "Share active".into(),
            small: "* fewer than 30 customers".into(),
        }
    }

    /// A triangle of `n` monthly cohorts observed for `n - i` periods.
    fn triangle(n: usize) -> Vec<CohortRow> {
        (0..n)
            .map(|i| CohortRow {
                label: format!("{}-{:02}", 2020 + i / 12, i % 12 + 1),
                size: if i % 7 == 3 { 12 } else { 80 + i * 3 },
                small: i % 7 == 3,
                cells: (0..n)
                    .map(|k| {
                        (k < n - i).then(|| {
                            if k == 0 {
                                1.0
                            } else {
                                0.5 / (1.0 + k as f64 * 0.3) + (i % 5) as f64 * 0.01
                            }
                        })
                    })
                    .collect(),
            })
            .collect()
    }

    fn gap_words() -> GapWords {
        GapWords {
            days: "Days between purchases".into(),
            gaps: "Repeat purchases".into(),
        }
    }

    fn gap_bins() -> Vec<GapBin> {
        (0..40)
            .map(|i| GapBin {
                from: i * 7,
                to: i * 7 + 6,
                gaps: (900.0 * (-(i as f64) / 8.0).exp() + 20.0 * (i % 3) as f64) as u64,
            })
            .collect()
    }

    fn gap_markers() -> Vec<Marker> {
        vec![
            Marker {
                days: 38.0,
                label: "Median 38 d".into(),
            },
            Marker {
                days: 45.0,
                label: "At risk 45 d".into(),
            },
            Marker {
                days: 112.0,
                label: "Lapsed 112 d".into(),
            },
        ]
    }

    fn deciles_matrix(n: usize) -> Matrix {
        Matrix {
            rows: (1..=n).map(|i| format!("D{i}")).collect(),
            columns: (1..=n).map(|i| format!("D{i}")).collect(),
            cells: (0..n)
                .map(|r| {
                    (0..n)
                        .map(|c| {
                            let d = r.abs_diff(c);
                            match d {
                                0 => 120 - r * 3,
                                1 => 30,
                                2 => 8,
                                _ => usize::from(d < 5),
                            }
                        })
                        .collect()
                })
                .collect(),
            row_title: "Decile in 2023".into(),
            column_title: "Decile in 2024".into(),
        }
    }

    fn segments() -> Vec<String> {
        [
            "Champions",
            "Loyal",
            "Potential",
            "At risk",
            "Hibernating",
            "Lost",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn segment_flows() -> Vec<Flow> {
        let mut flows = Vec::new();
        for from in 0..6_usize {
            for to in 0..6 {
                let customers = match from.abs_diff(to) {
                    0 => 200 - from * 20,
                    1 => 60,
                    2 => 15,
                    _ => 2,
                };
                flows.push(Flow {
                    from,
                    to,
                    customers,
                });
            }
        }
        flows
    }

    fn flow_words() -> FlowWords {
        FlowWords {
            left: "2023-12-31".into(),
            right: "2024-12-31".into(),
        }
    }

    fn division_bars() -> Vec<DivisionBar> {
        let bar = |division: &str, group: &str, customers: f64, sales: Option<f64>| DivisionBar {
            division: division.into(),
            group: group.into(),
            customers,
            sales,
        };
        vec![
            bar("Key vs scattered", "Key", 0.2, Some(0.8)),
            bar("Key vs scattered", "Scattered", 0.8, Some(0.2)),
            bar("New vs old", "New", 0.35, Some(0.15)),
            bar("New vs old", "Old", 0.65, Some(0.85)),
            bar("One-time vs repeat", "One-time", 0.55, Some(0.18)),
            bar("One-time vs repeat", "Repeat", 0.45, Some(0.82)),
        ]
    }

    fn division_words() -> DivisionWords {
        DivisionWords {
            customers: "Customers".into(),
            sales: "Sales".into(),
        }
    }

    #[test]
    fn activity_draws_bars_retention_and_partial_periods() {
        let svg = render_activity_svg(&months(12), &activity_words(), &en()).unwrap();
        assert_well_formed(&svg);
        let words = texts(&svg);
        for word in [
            "New",
            "Returning",
            "Reactivated",
            "Retention rate",
            "Partial period",
            "Customers",
        ] {
            assert!(words.iter().any(|w| w == word), "{word}");
        }
        for label in ["2015-01", "2015-11", "0%", "100%"] {
            assert!(words.iter().any(|w| w == label), "{label}");
        }
        // The partial (last) period is drawn light: its bars are half transparent.
        assert!(svg.contains(r#"opacity="0.3""#));
        // No partial period: no legend entry for it.
        let mut whole = months(6);
        whole[5].partial = false;
        let svg = render_activity_svg(&whole, &activity_words(), &en()).unwrap();
        assert!(!texts(&svg).iter().any(|w| w == "Partial period"));
    }

    #[test]
    fn activity_thins_the_labels_of_many_periods() {
        for n in [120, 400] {
            let svg = render_activity_svg(&months(n), &activity_words(), &en()).unwrap();
            assert_well_formed(&svg);
            let periods = texts(&svg)
                .iter()
                .filter(|w| w.len() == 7 && w.as_bytes()[4] == b'-')
                .count();
            assert!((4..=14).contains(&periods), "{n} periods: {periods} labels");
        }
    }

    #[test]
    fn activity_edge_cases() {
        let words = activity_words();
        assert!(matches!(
            render_activity_svg(&[], &words, &en()),
            Err(Error::NoData)
        ));
        let mut bad = months(3);
        bad[1].retention = Some(f64::NAN);
        assert!(is_chart_error(render_activity_svg(&bad, &words, &en())));
        // One period, all counts zero, no retention anywhere.
        let one = [PeriodBar {
            label: "2024".into(),
            new: 0,
            returning: None,
            reactivated: None,
            retention: None,
            partial: false,
        }];
        let svg = render_activity_svg(&one, &words, &en()).unwrap();
        assert_well_formed(&svg);
        assert!(!texts(&svg).iter().any(|w| w == "Retention rate"));
    }

    #[test]
    fn cohort_heatmap_writes_observed_cells_and_leaves_the_rest_blank() {
        let rows = vec![
            CohortRow {
                label: "2024-01".into(),
                size: 200,
                small: false,
                cells: vec![Some(1.0), Some(0.45), Some(0.3)],
            },
            CohortRow {
                label: "2024-02".into(),
                size: 20,
                small: true,
                cells: vec![Some(1.0), Some(0.0), None],
            },
        ];
        let svg = render_cohort_heatmap_svg(&rows, CohortScale::Share, &cohort_words(), &tall(360))
            .unwrap();
        assert_well_formed(&svg);
        let words = texts(&svg);
        // Five observed cells, the key's two ends (0% and the top of the scale after the first
        // period, ≥45%); the cell not observed has neither a value nor a fill.
        let percents: Vec<&String> = words.iter().filter(|w| w.ends_with('%')).collect();
        assert_eq!(percents.len(), 7, "{percents:?}");
        assert_eq!(words.iter().filter(|w| *w == "45%").count(), 1);
        assert_eq!(words.iter().filter(|w| *w == "≥45%").count(), 1);
        assert_eq!(
            words.iter().filter(|w| *w == "0%").count(),
            2,
            "an observed 0 is written"
        );
        assert_eq!(
            svg.matches("<rect").count(),
            1 + 5 + 5,
            "background, cells, key"
        );
        // Sizes, headings, the small cohort marked and explained.
        for word in [
            "200",
            "20",
            "Customers",
            "Cohort",
            "2024-02 *",
            "* fewer than 30 customers",
        ] {
            assert!(words.iter().any(|w| w == word), "{word}");
        }
        assert!(svg.contains(r#"font-style="italic""#));
        // Money: compact numbers.
        let money = vec![CohortRow {
            label: "2024-Q1".into(),
            size: 50,
            small: false,
            cells: vec![Some(12_300.0), Some(4_500.0)],
        }];
        let svg =
            render_cohort_heatmap_svg(&money, CohortScale::Money, &cohort_words(), &en()).unwrap();
        assert!(texts(&svg).iter().any(|w| w == "12.3k"));
    }

    #[test]
    fn cohort_heatmap_edge_cases() {
        let words = cohort_words();
        let style = tall(900);
        assert!(matches!(
            render_cohort_heatmap_svg(&[], CohortScale::Share, &words, &style),
            Err(Error::NoData)
        ));
        let mut bad = triangle(3);
        bad[0].cells[1] = Some(f64::INFINITY);
        assert!(is_chart_error(render_cohort_heatmap_svg(
            &bad,
            CohortScale::Share,
            &words,
            &style
        )));
        for rows in [triangle(1), triangle(60)] {
            for style in [en(), style] {
                let svg =
                    render_cohort_heatmap_svg(&rows, CohortScale::Share, &words, &style).unwrap();
                assert_well_formed(&svg);
            }
        }
        // A cohort with no cells at all.
        let empty = [CohortRow {
            label: "2024-03".into(),
            size: 0,
            small: true,
            cells: vec![],
        }];
        assert_well_formed(
            &render_cohort_heatmap_svg(&empty, CohortScale::Money, &words, &en()).unwrap(),
        );
    }

    #[test]
    fn retention_curves_stop_where_not_observed() {
        let rows = triangle(4);
        let svg =
            render_retention_curves_svg(&rows, CohortScale::Share, &cohort_words(), &en()).unwrap();
        assert_well_formed(&svg);
        // The first cohort's line has 4 points, the third's 2 (each line in its own colour).
        let points = |color: RGBColor| -> Vec<usize> {
            let stroke = format!(
                r##"stroke="#{:02X}{:02X}{:02X}""##,
                color.0, color.1, color.2
            );
            svg.split("<polyline")
                .skip(1)
                .filter(|p| p[..p.find('>').unwrap()].contains(&stroke))
                .map(|p| {
                    let start = p.find("points=\"").unwrap() + 8;
                    p[start..start + p[start..].find('"').unwrap()]
                        .split_whitespace()
                        .count()
                })
                .collect()
        };
        // (Each colour's last polyline is its legend swatch.)
        assert_eq!(points(COHORT_COLORS[0]), vec![4, 2]);
        assert_eq!(points(COHORT_COLORS[2]), vec![2, 2]);
        assert_eq!(
            points(COHORT_COLORS[3]),
            vec![2],
            "one point is a dot, no line"
        );
        // The mean, bold, named in the legend with the value's word or the given one.
        assert!(texts(&svg).iter().any(|w| w == "Share active"));
        let svg = render_retention_curves_with_mean_svg(
            &rows,
            CohortScale::Share,
            &cohort_words(),
            "Mean",
            &en(),
        )
        .unwrap();
        assert!(texts(&svg).iter().any(|w| w == "Mean"));
        assert!(svg.contains(r#"stroke-width="4""#));
    }

    #[test]
    fn retention_curves_name_at_most_a_dozen_cohorts() {
        let rows = triangle(60);
        let svg =
            render_retention_curves_svg(&rows, CohortScale::Share, &cohort_words(), &tall(420))
                .unwrap();
        assert_well_formed(&svg);
        let words = texts(&svg);
        let named = rows
            .iter()
            .filter(|r| words.iter().any(|w| w.starts_with(&r.label)))
            .count();
        assert_eq!(named, 12);
        assert!(words.iter().any(|w| w.starts_with("2020-01")));
        assert!(
            words.iter().any(|w| w.starts_with("2024-12")),
            "the last cohort"
        );
        let stroke = format!(
            r##"stroke="#{:02X}{:02X}{:02X}""##,
            OTHER_COHORT.0, OTHER_COHORT.1, OTHER_COHORT.2
        );
        assert!(svg.matches(&stroke).count() >= 40, "the rest thin and grey");
        assert_eq!(highlighted_cohorts(5), vec![0, 1, 2, 3, 4]);
        assert_eq!(highlighted_cohorts(13).len(), 12);
    }

    #[test]
    fn retention_curves_edge_cases() {
        let words = cohort_words();
        assert!(matches!(
            render_retention_curves_svg(&[], CohortScale::Share, &words, &en()),
            Err(Error::NoData)
        ));
        let mut bad = triangle(2);
        bad[1].cells[0] = Some(f64::NAN);
        assert!(is_chart_error(render_retention_curves_svg(
            &bad,
            CohortScale::Share,
            &words,
            &en()
        )));
        let money = vec![CohortRow {
            label: "2024-Q1".into(),
            size: 50,
            small: false,
            cells: vec![Some(120.0), Some(-30.0), None, Some(40.0)],
        }];
        let one = render_retention_curves_svg(&triangle(1), CohortScale::Share, &words, &en());
        let named = |svg: &str| texts(svg).iter().filter(|w| *w == "Share active").count();
        assert_eq!(named(&one.unwrap()), 1, "the axis only, no mean");
        let two = render_retention_curves_svg(&triangle(2), CohortScale::Share, &words, &en());
        assert_eq!(named(&two.unwrap()), 2, "the axis and the mean");
        for rows in [triangle(1), money] {
            for scale in [CohortScale::Share, CohortScale::Money] {
                assert_well_formed(
                    &render_retention_curves_svg(&rows, scale, &words, &en()).unwrap(),
                );
            }
        }
        assert_eq!(
            observed_runs(&[Some(1.0), None, Some(2.0), Some(3.0), None]),
            vec![vec![(0, 1.0)], vec![(2, 2.0), (3, 3.0)]]
        );
        assert_eq!(
            cohort_mean(&triangle(2), 2),
            vec![Some(1.0), Some(0.5 / 1.3)]
        );
    }

    #[test]
    fn gap_histogram_labels_markers_without_overlap() {
        let svg =
            render_gap_histogram_svg(&gap_bins(), &gap_markers(), &gap_words(), &en()).unwrap();
        assert_well_formed(&svg);
        let words = texts(&svg);
        for word in [
            "Median 38 d",
            "At risk 45 d",
            "Lapsed 112 d",
            "Days between purchases",
            "Repeat purchases",
        ] {
            assert!(words.iter().any(|w| w == word), "{word}");
        }
        // Labels close together go to different lanes; labels at the right edge turn left.
        let widths = [80.0, 80.0, 80.0, 60.0];
        let placed = place_labels(&[100.0, 110.0, 120.0, 590.0], &widths, (50.0, 600.0));
        for i in 0..4 {
            for j in 0..i {
                let (a, b) = (placed[i], placed[j]);
                let apart = a.1 != b.1 || a.0 + widths[i] <= b.0 || b.0 + widths[j] <= a.0;
                assert!(apart, "{i} and {j} overlap: {placed:?}");
            }
        }
        assert_eq!(placed[0].1, 0);
        assert!(placed[3].0 + widths[3] <= 600.0);
        assert_eq!(placed[3].1, 0, "far from the others: the first lane");
    }

    #[test]
    fn gap_histogram_edge_cases() {
        let words = gap_words();
        assert!(matches!(
            render_gap_histogram_svg(&[], &[], &words, &en()),
            Err(Error::NoData)
        ));
        let nan = [Marker {
            days: f64::NAN,
            label: "x".into(),
        }];
        assert!(is_chart_error(render_gap_histogram_svg(
            &gap_bins(),
            &nan,
            &words,
            &en()
        )));
        let one = [GapBin {
            from: 3,
            to: 3,
            gaps: 0,
        }];
        let far = [Marker {
            days: 400.0,
            label: "Far".into(),
        }];
        assert_well_formed(&render_gap_histogram_svg(&one, &[], &words, &en()).unwrap());
        assert_well_formed(&render_gap_histogram_svg(&one, &far, &words, &en()).unwrap());
    }

    #[test]
    fn matrix_writes_counts_outlines_the_diagonal_and_totals() {
        let matrix = Matrix {
            rows: vec!["A".into(), "B".into()],
            columns: vec!["A".into(), "B".into(), "C".into()],
            cells: vec![vec![8, 2, 0], vec![1, 4, 5]],
            row_title: "Before".into(),
            column_title: "After".into(),
        };
        let svg = render_matrix_svg(&matrix, &en()).unwrap();
        assert_well_formed(&svg);
        let words = texts(&svg);
        for word in [
            "8", "2", "4", "5", "Before", "After", "Σ", "20", "10", "9", "6",
        ] {
            assert!(words.iter().any(|w| w == word), "{word}");
        }
        assert!(!words.iter().any(|w| w == "0"), "empty cells stay blank");
        // The diagonal's two cells outlined in ink.
        assert_eq!(
            svg.matches(r##"stroke="#222B33" stroke-width="2" points"##)
                .count(),
            2
        );
        // Colour by the share of the row: 8 of 10 is darker than 5 of 10.
        assert!(words.iter().any(|w| w == "80%") || cell_colors(0.8).0 != cell_colors(0.5).0);
        let svg = render_matrix_svg(&deciles_matrix(14), &tall(600)).unwrap();
        assert_well_formed(&svg);
    }

    #[test]
    fn matrix_edge_cases() {
        let empty = Matrix {
            rows: vec![],
            columns: vec![],
            cells: vec![],
            row_title: String::new(),
            column_title: String::new(),
        };
        assert!(matches!(
            render_matrix_svg(&empty, &en()),
            Err(Error::NoData)
        ));
        let mut crooked = deciles_matrix(3);
        crooked.cells[1].pop();
        assert!(is_chart_error(render_matrix_svg(&crooked, &en())));
        let zeros = Matrix {
            cells: vec![vec![0]],
            ..deciles_matrix(1)
        };
        assert_well_formed(&render_matrix_svg(&zeros, &en()).unwrap());
        assert_well_formed(&render_matrix_svg(&deciles_matrix(1), &en()).unwrap());
    }

    #[test]
    fn flow_bands_add_up_to_the_boxes() {
        let flows = segment_flows();
        let layout = flow_layout(6, 6, &flows, (30.0, 430.0));
        let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
        for (i, &(y0, y1)) in layout.left.iter().enumerate() {
            let bands: Vec<&Band> = layout.bands.iter().filter(|b| b.from == i).collect();
            let sum: f64 = bands.iter().map(|b| b.left.1 - b.left.0).sum();
            assert!(close(sum, y1 - y0), "left {i}: {sum} vs {}", y1 - y0);
            assert!(bands
                .iter()
                .all(|b| b.left.0 >= y0 - 1e-6 && b.left.1 <= y1 + 1e-6));
        }
        for (j, &(y0, y1)) in layout.right.iter().enumerate() {
            let bands: Vec<&Band> = layout.bands.iter().filter(|b| b.to == j).collect();
            let sum: f64 = bands.iter().map(|b| b.right.1 - b.right.0).sum();
            assert!(close(sum, y1 - y0), "right {j}: {sum} vs {}", y1 - y0);
            assert!(bands
                .iter()
                .all(|b| b.right.0 >= y0 - 1e-6 && b.right.1 <= y1 + 1e-6));
        }
        for band in &layout.bands {
            assert!(close(
                band.left.1 - band.left.0,
                band.right.1 - band.right.0
            ));
        }
        // Boxes in their column, apart and inside the area; heights by customers.
        for side in [&layout.left, &layout.right] {
            assert!(side.windows(2).all(|p| p[0].1 <= p[1].0 + 1e-6));
            assert!(side
                .iter()
                .all(|b| b.0 >= 30.0 - 1e-6 && b.1 <= 430.0 + 1e-6));
        }
        let svg =
            render_flow_svg(&segments(), &segments(), &flows, &flow_words(), &tall(460)).unwrap();
        assert_well_formed(&svg);
        let words = texts(&svg);
        assert!(words.iter().any(|w| w == "Champions · 281"), "{words:?}");
        assert!(words.iter().any(|w| w == "2023-12-31"));
        assert_eq!(svg.matches("<polygon").count(), 36);
    }

    #[test]
    fn flow_leaves_out_labels_of_small_boxes_and_refuses_bad_indices() {
        let left = vec!["Big".to_string(), "Tiny".to_string()];
        let right = vec![
            "Stayed".to_string(),
            "Gone".to_string(),
            "Nobody".to_string(),
        ];
        let flows = [
            Flow {
                from: 0,
                to: 0,
                customers: 5000,
            },
            Flow {
                from: 1,
                to: 1,
                customers: 1,
            },
        ];
        let svg = render_flow_svg(&left, &right, &flows, &flow_words(), &en()).unwrap();
        assert_well_formed(&svg);
        let words = texts(&svg);
        assert!(words.iter().any(|w| w == "Big · 5000"));
        assert!(!words.iter().any(|w| w.starts_with("Tiny")));
        assert!(
            !words.iter().any(|w| w.starts_with("Nobody")),
            "no customers, no box"
        );
        let bad = [Flow {
            from: 2,
            to: 0,
            customers: 1,
        }];
        assert!(is_chart_error(render_flow_svg(
            &left,
            &right,
            &bad,
            &flow_words(),
            &en()
        )));
        assert!(matches!(
            render_flow_svg(&left, &right, &[], &flow_words(), &en()),
            Err(Error::NoData)
        ));
        assert!(matches!(
            render_flow_svg(&[], &[], &[], &flow_words(), &en()),
            Err(Error::NoData)
        ));
        let one = [Flow {
            from: 0,
            to: 0,
            customers: 3,
        }];
        assert_well_formed(
            &render_flow_svg(&left[..1], &right[..1], &one, &flow_words(), &en()).unwrap(),
        );
    }

    #[test]
    fn division_bars_name_groups_and_shares() {
        let svg = render_division_svg(&division_bars(), &division_words(), &en()).unwrap();
        assert_well_formed(&svg);
        let words = texts(&svg);
        for word in [
            "Key vs scattered",
            "Key 20%",
            "Key 80%",
            "Scattered 80%",
            "Customers",
            "Sales",
        ] {
            assert!(words.iter().any(|w| w == word), "{word}: {words:?}");
        }
        // No sales share: the bar is an outline with a dash.
        let mut bars = division_bars();
        bars[2].sales = None;
        let svg = render_division_svg(&bars, &division_words(), &en()).unwrap();
        assert!(texts(&svg).iter().any(|w| w == "–"));
        assert!(matches!(
            render_division_svg(&[], &division_words(), &en()),
            Err(Error::NoData)
        ));
        bars[0].customers = f64::NAN;
        assert!(is_chart_error(render_division_svg(
            &bars,
            &division_words(),
            &en()
        )));
        // A sliver too narrow for its label is drawn without one; one group makes a whole bar.
        let sliver = vec![
            DivisionBar {
                division: "D".into(),
                group: "Most".into(),
                customers: 0.995,
                sales: Some(0.9),
            },
            DivisionBar {
                division: "D".into(),
                group: "Few".into(),
                customers: 0.005,
                sales: Some(0.1),
            },
        ];
        let words = texts(&render_division_svg(&sliver, &division_words(), &en()).unwrap());
        assert!(
            !words
                .iter()
                .any(|w| w.contains("1%") && w.starts_with("Few"))
                && !words.iter().any(|w| w == "1%")
        );
        assert_well_formed(&render_division_svg(&sliver[..1], &division_words(), &en()).unwrap());
    }

    #[test]
    fn hostile_labels_stay_valid_and_short() {
        let hostile = format!("<b>&\"x'\u{1}\u{b}{}\n", "很长的标签".repeat(40));
        let mut bars = months(3);
        bars[0].label = hostile.clone();
        let mut words = activity_words();
        words.new = hostile.clone();
        let mut rows = triangle(3);
        rows[0].label = hostile.clone();
        let mut cw = cohort_words();
        cw.small = hostile.clone();
        cw.since = hostile.clone();
        let markers = [Marker {
            days: 10.0,
            label: hostile.clone(),
        }];
        let mut matrix = deciles_matrix(3);
        matrix.rows[0] = hostile.clone();
        matrix.columns[1] = hostile.clone();
        matrix.row_title = hostile.clone();
        let mut divisions = division_bars();
        divisions[0].group = hostile.clone();
        divisions[0].division = hostile.clone();
        let states = vec![hostile.clone(), "B".into()];
        let flows = [
            Flow {
                from: 0,
                to: 1,
                customers: 10,
            },
            Flow {
                from: 1,
                to: 0,
                customers: 5,
            },
        ];
        let svgs = [
            render_activity_svg(&bars, &words, &en()).unwrap(),
            render_cohort_heatmap_svg(&rows, CohortScale::Share, &cw, &en()).unwrap(),
            render_retention_curves_svg(&rows, CohortScale::Share, &cw, &en()).unwrap(),
            render_gap_histogram_svg(&gap_bins(), &markers, &gap_words(), &en()).unwrap(),
            render_matrix_svg(&matrix, &en()).unwrap(),
            render_flow_svg(&states, &states, &flows, &flow_words(), &en()).unwrap(),
            render_division_svg(&divisions, &division_words(), &en()).unwrap(),
        ];
        for svg in &svgs {
            assert_well_formed(svg);
            assert!(svg.contains("&lt;b&gt;&amp;"), "escaped");
            for text in texts(svg) {
                assert!(text.chars().count() <= 90, "{text}");
            }
        }
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        let mut bars = months(2);
        bars[1].new = usize::MAX;
        bars[1].returning = Some(usize::MAX);
        assert_well_formed(&render_activity_svg(&bars, &activity_words(), &en()).unwrap());
        let mut matrix = deciles_matrix(2);
        matrix.cells = vec![vec![usize::MAX, usize::MAX], vec![1, usize::MAX]];
        assert_well_formed(&render_matrix_svg(&matrix, &en()).unwrap());
        let flows = [
            Flow {
                from: 0,
                to: 0,
                customers: usize::MAX,
            },
            Flow {
                from: 0,
                to: 1,
                customers: usize::MAX,
            },
            Flow {
                from: 1,
                to: 1,
                customers: 1,
            },
        ];
        let states = segments();
        assert_well_formed(
            &render_flow_svg(&states[..2], &states[..2], &flows, &flow_words(), &en()).unwrap(),
        );
        let bins = [GapBin {
            from: 0,
            to: u32::MAX,
            gaps: u64::MAX,
        }];
        assert_well_formed(
            &render_gap_histogram_svg(&bins, &gap_markers(), &gap_words(), &en()).unwrap(),
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(
            nice_ticks(0.0, 87.0, 5, true),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(nice_ticks(0.0, 3.0, 5, true), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(nice_ticks(-30.0, 120.0, 5, false).first(), Some(&-50.0));
        assert_eq!(label_step(40.0, 30.0), 1);
        assert_eq!(label_step(5.0, 56.0), 12);
        assert_eq!(label_step(1.0, 1000.0), 1000);
        assert_eq!(axis_number(1000.0, 1000.0, Lang::En), "1000");
        assert_eq!(axis_number(20_000.0, 20_000.0, Lang::En), "20k");
        // Wrapped at spaces, long words broken, the rest cut with "…".
        assert_eq!(
            wrap("Potential loyalists", 70.0, 11.0, 2),
            ["Potential", "loyalists"]
        );
        assert_eq!(wrap("少于三十位客户的群组", 50.0, 11.0, 8).len(), 3);
        let cut = wrap("a b c d e f g h i j k l m n o p", 20.0, 11.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'), "{cut:?}");
        assert!(wrap("", 20.0, 11.0, 2).is_empty());
    }

    /// Writes every chart to `$VL_CHARTS_PREVIEW/*.svg` when that is set (to look at them).
    #[test]
    fn preview() {
        let Ok(dir) = std::env::var("VL_CHARTS_PREVIEW") else {
            return;
        };
        std::fs::create_dir_all(&dir).unwrap();
        let zh = ChartStyle::new(Lang::Zh);
        let charts = [
            (
                "activity-12",
                render_activity_svg(&months(12), &activity_words(), &en()),
            ),
            (
                "activity-120",
                render_activity_svg(&months(120), &activity_words(), &en()),
            ),
            (
                "activity-400",
                render_activity_svg(&months(400), &activity_words(), &en()),
            ),
            (
                "heatmap-12",
                render_cohort_heatmap_svg(
                    &triangle(12),
                    CohortScale::Share,
                    &cohort_words(),
                    &tall(420),
                ),
            ),
            (
                "heatmap-60",
                render_cohort_heatmap_svg(
                    &triangle(60),
                    CohortScale::Share,
                    &cohort_words(),
                    &tall(700),
                ),
            ),
            (
                "heatmap-60-small",
                render_cohort_heatmap_svg(
                    &triangle(60),
                    CohortScale::Share,
                    &cohort_words(),
                    &en(),
                ),
            ),
            (
                "curves-8",
                render_retention_curves_svg(
                    &triangle(8),
                    CohortScale::Share,
                    &cohort_words(),
                    &en(),
                ),
            ),
            (
                "curves-60",
                render_retention_curves_svg(
                    &triangle(60),
                    CohortScale::Share,
                    &cohort_words(),
                    &tall(420),
                ),
            ),
            (
                "gaps",
                render_gap_histogram_svg(&gap_bins(), &gap_markers(), &gap_words(), &en()),
            ),
            (
                "matrix-10",
                render_matrix_svg(&deciles_matrix(10), &tall(520)),
            ),
            (
                "matrix-14",
                render_matrix_svg(&deciles_matrix(14), &tall(600)),
            ),
            (
                "flow",
                render_flow_svg(
                    &segments(),
                    &segments(),
                    &segment_flows(),
                    &flow_words(),
                    &tall(460),
                ),
            ),
            (
                "division",
                render_division_svg(&division_bars(), &division_words(), &en()),
            ),
            (
                "division-zh",
                render_division_svg(&division_bars(), &division_words(), &zh),
            ),
        ];
        let quarters: Vec<PeriodBar> = months(3)
            .into_iter()
            .enumerate()
            .map(|(i, b)| PeriodBar {
                label: format!("2024-Q{}", i + 1),
                ..b
            })
            .collect();
        let zh_words = ActivityWords {
            new: "新客户".into(),
            returning: "留存客户".into(),
            reactivated: "回流客户".into(),
            retention: "留存率".into(),
            partial: "不完整周期".into(),
            customers: "客户数".into(),
        };
        let money: Vec<CohortRow> = triangle(8)
            .into_iter()
            .map(|r| CohortRow {
                cells: r.cells.iter().map(|c| c.map(|v| v * 23_000.0)).collect(),
                ..r
            })
            .collect();
        let long_names: Vec<String> = [
            "Champions",
            "Loyal customers",
            "Potential loyalists",
            "Need attention",
            "About to sleep",
            "Cannot lose them",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let segment_matrix = Matrix {
            rows: long_names.clone(),
            columns: long_names.clone(),
            cells: deciles_matrix(6).cells,
            row_title: "Segment in 2023".into(),
            column_title: "Segment in 2024".into(),
        };
        let tiny_flows = [
            Flow {
                from: 0,
                to: 0,
                customers: 900,
            },
            Flow {
                from: 0,
                to: 1,
                customers: 40,
            },
            Flow {
                from: 1,
                to: 1,
                customers: 300,
            },
            Flow {
                from: 2,
                to: 2,
                customers: 3,
            },
            Flow {
                from: 3,
                to: 0,
                customers: 1,
            },
        ];
        let close_markers = vec![
            Marker {
                days: 30.0,
                label: "Median 30 d".into(),
            },
            Marker {
                days: 33.0,
                label: "Mean 33 d".into(),
            },
            Marker {
                days: 36.0,
                label: "At risk 36 d".into(),
            },
            Marker {
                days: 275.0,
                label: "Lapsed 275 d".into(),
            },
        ];
        let more = [
            (
                "activity-3-zh",
                render_activity_svg(&quarters, &zh_words, &zh),
            ),
            (
                "heatmap-money",
                render_cohort_heatmap_svg(&money, CohortScale::Money, &cohort_words(), &tall(360)),
            ),
            (
                "curves-money",
                render_retention_curves_svg(&money, CohortScale::Money, &cohort_words(), &en()),
            ),
            (
                "matrix-segments",
                render_matrix_svg(&segment_matrix, &tall(480)),
            ),
            (
                "flow-tiny",
                render_flow_svg(
                    &long_names[..4],
                    &long_names[..3],
                    &tiny_flows,
                    &flow_words(),
                    &en(),
                ),
            ),
            (
                "gaps-close",
                render_gap_histogram_svg(&gap_bins(), &close_markers, &gap_words(), &en()),
            ),
        ];
        for (name, svg) in charts.into_iter().chain(more) {
            std::fs::write(format!("{dir}/{name}.svg"), svg.unwrap()).unwrap();
        }
    }
}
