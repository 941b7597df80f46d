//! The RFM analysis as shown (RFM 分析): the facts line, value tiers, the segment table and its
//! CSV, the R×F heatmap, segment bars and treemap, the R, F and M histograms, the thresholds and
//! tie warnings, the scored customers page by page, the rule editor's words, and the report's
//! sentence and method note. The RFM view (`ui/components/rfm.rs`) and the report's RFM section
//! both call these functions, so a figure reads the same on screen and on paper.
//!
//! Segment names and actions come from the rule table, which the user edits: they are shown
//! whole in CSVs, cut and isolated ([`crate::display::isolated`]) in sentences, chart labels and
//! chart tables, and handed raw to the views, which show them through `UserText`.

use crate::a11y::ChartTable;
use crate::charts::rfm::{
    render_histogram_svg, render_rf_heatmap_svg, render_segment_bars_svg,
    render_segment_treemap_svg, GridCell, HistogramBar, SegmentBar,
};
use crate::charts::{compact_number, ChartStyle};
use crate::display::{isolated, SEGMENT_CHARS};
use crate::engine::customers::CustomerTable;
use crate::engine::error::{Error, ParameterProblem};
use crate::engine::rfm::{
    scored_customers_csv, Axis, Coverage, Histogram, Monetary, RfmAnalysis, SegmentRule,
    SegmentRules, SegmentSummary, ValueTier,
};
use crate::engine::table::page_by;
use crate::i18n::{
    error_text, format_date, format_money, format_number, format_percent, rfm_csv_labels,
    tier_text, Lang, Text,
};

use super::report::Note;
use super::{number, optional, sentence, share, Csv, DataCell, Figure, Metric};

/// Cells of the rule coverage listed at most (the rest is "…").
const LISTED_CELLS: usize = 12;
/// Scored customers per page.
pub const PAGE_SIZE: usize = 25;

/// A segment's name in `lang`, whole, as the user wrote it: the Chinese name in Chinese when the
/// rule has one, else the English name; "Other" for customers no rule matched.
pub fn segment_name(segment: &SegmentSummary, lang: Lang) -> String {
    match (segment.rule, lang) {
        (None, _) => Text::SegmentOther.get(lang).to_string(),
        (Some(_), Lang::Zh) if !segment.name_zh.trim().is_empty() => segment.name_zh.clone(),
        (Some(_), _) => segment.name_en.clone(),
    }
}

/// A segment's name for a sentence, a chart label or a chart table: cut and isolated.
fn shown_name(segment: &SegmentSummary, lang: Lang) -> String {
    isolated(&segment_name(segment, lang), SEGMENT_CHARS)
}

/// A segment's suggested action in `lang`.
pub fn segment_action(segment: &SegmentSummary, lang: Lang) -> String {
    match lang {
        Lang::Zh => segment.action_zh.clone(),
        Lang::En => segment.action_en.clone(),
    }
}

/// The name of rule `assigned` of `rules` in `lang` ("Other" for `None`), whole.
pub fn rule_name(rules: &SegmentRules, assigned: Option<u16>, lang: Lang) -> String {
    match assigned.and_then(|rule| rules.rules.get(usize::from(rule))) {
        None => Text::SegmentOther.get(lang).to_string(),
        Some(rule) => match lang {
            Lang::Zh => rule.display_zh().to_string(),
            Lang::En => rule.name_en.clone(),
        },
    }
}

/// True when the analysis could not run because the data has no purchase dates (the view then
/// explains how to map a date column instead of showing the bare error).
pub fn needs_dates(error: &Error) -> bool {
    matches!(
        error,
        Error::Parameter {
            reason: ParameterProblem::NoPurchaseDates,
            ..
        }
    )
}

/// The parameters the figures were computed with, in one line.
pub fn facts(analysis: &RfmAnalysis, lang: Lang) -> String {
    let scores = &analysis.scores;
    sentence(
        Text::RfmFacts.get(lang),
        &[
            format_date(scores.analysis_day, lang),
            scores.config.bins.to_string(),
            monetary_text(scores.config.monetary).get(lang).to_string(),
        ],
    )
}

fn monetary_text(monetary: Monetary) -> Text {
    match monetary {
        Monetary::Total => Text::MonetaryTotal,
        Monetary::AverageOrderValue => Text::MonetaryAov,
    }
}

fn tier_metric_name(tier: ValueTier) -> &'static str {
    match tier {
        ValueTier::High => "tier_high",
        ValueTier::Medium => "tier_medium",
        ValueTier::Low => "tier_low",
    }
}

/// The value tiers as headline figures `tier_high`, `tier_medium`, `tier_low` (customers), each
/// with its share of the customers and of the revenue.
pub fn tier_metrics(analysis: &RfmAnalysis, lang: Lang) -> Vec<Metric> {
    analysis
        .scores
        .tiers
        .iter()
        .map(|t| {
            Metric::new(
                tier_metric_name(t.tier),
                tier_text(t.tier).get(lang),
                t.customers as f64,
                format_number(t.customers as f64, 0),
            )
            .note(sentence(
                Text::TierNote.get(lang),
                &[format_percent(t.customer_share, 1), share(t.revenue_share)],
            ))
        })
        .collect()
}

/// One row of the value-tier table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierRow {
    /// 高价值客户 …
    pub label: String,
    /// Customers.
    pub customers: String,
    /// Share of the customers.
    pub customer_share: String,
    /// Share of the revenue ("–" without one).
    pub revenue_share: String,
}

/// The value tiers as table rows: high, medium, low.
pub fn tier_rows(analysis: &RfmAnalysis, lang: Lang) -> Vec<TierRow> {
    analysis
        .scores
        .tiers
        .iter()
        .map(|t| TierRow {
            label: tier_text(t.tier).get(lang).to_string(),
            customers: format_number(t.customers as f64, 0),
            customer_share: format_percent(t.customer_share, 1),
            revenue_share: share(t.revenue_share),
        })
        .collect()
}

/// Which segments a segment table lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Every rule, empty or not, and "Other" when customers fall into it (the view: a rule that
    /// catches nobody is worth seeing).
    EveryRule,
    /// Only segments with customers (the report).
    Populated,
}

/// One row of the segment table.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentRow {
    /// The segment's customers as a figure, `segment_count:<English name>`.
    pub count: DataCell,
    /// The name in the UI language, whole (shown through `UserText`).
    pub name: String,
    /// Share of the scored customers.
    pub customer_share: String,
    /// Net sales.
    pub revenue: String,
    /// Share of the net sales ("–" when the total is zero).
    pub revenue_share: String,
    /// Mean R in days.
    pub mean_recency: String,
    /// Mean F.
    pub mean_frequency: String,
    /// Mean M.
    pub mean_monetary: String,
    /// Suggested action, whole.
    pub action: String,
}

fn listed(segment: &SegmentSummary, listing: Listing) -> bool {
    match listing {
        Listing::EveryRule => segment.rule.is_some() || segment.customers > 0,
        Listing::Populated => segment.customers > 0,
    }
}

fn count_cell(segment: &SegmentSummary) -> DataCell {
    DataCell {
        metric: format!("segment_count:{}", segment.name_en),
        value: segment.customers as f64,
        display: format_number(segment.customers as f64, 0),
    }
}

/// The segment table: one row per listed segment, in rule order, "Other" last.
pub fn segment_rows(analysis: &RfmAnalysis, listing: Listing, lang: Lang) -> Vec<SegmentRow> {
    let dash = || "–".to_string();
    analysis
        .segmentation
        .segments
        .iter()
        .filter(|s| listed(s, listing))
        .map(|s| SegmentRow {
            count: count_cell(s),
            name: segment_name(s, lang),
            customer_share: format_percent(s.customer_share, 1),
            revenue: format_money(s.revenue),
            revenue_share: share(s.revenue_share),
            mean_recency: s
                .mean_recency_days
                .map_or_else(dash, |v| format_number(v, 0)),
            mean_frequency: s.mean_frequency.map_or_else(dash, |v| format_number(v, 1)),
            mean_monetary: s.mean_monetary.map_or_else(dash, format_money),
            action: segment_action(s, lang),
        })
        .collect()
}

/// The segment counts a table of `listing` leaves out (an empty "Other"), so that every
/// `segment_count:` figure is on the page even when its row is not.
pub fn unlisted_counts(analysis: &RfmAnalysis, listing: Listing) -> Vec<DataCell> {
    analysis
        .segmentation
        .segments
        .iter()
        .filter(|s| !listed(s, listing))
        .map(count_cell)
        .collect()
}

/// The segment table as CSV (`rfm-segments`): every segment, "Other" included, raw numbers.
pub fn segment_csv(analysis: &RfmAnalysis, lang: Lang) -> Csv {
    let header = [
        Text::Segment,
        Text::Customers,
        Text::CustomerShare,
        Text::Revenue,
        Text::RevenueShare,
        Text::MeanR,
        Text::MeanF,
        Text::MeanM,
        Text::SuggestedAction,
    ];
    Csv {
        file: "rfm-segments".into(),
        header: header.iter().map(|t| t.get(lang).to_string()).collect(),
        rows: analysis
            .segmentation
            .segments
            .iter()
            .map(|s| {
                vec![
                    segment_name(s, lang),
                    s.customers.to_string(),
                    number(s.customer_share),
                    number(s.revenue),
                    optional(s.revenue_share),
                    optional(s.mean_recency_days),
                    optional(s.mean_frequency),
                    optional(s.mean_monetary),
                    segment_action(s, lang),
                ]
            })
            .collect(),
    }
}

/// The R×F heatmap: mean M and customers per cell.
pub fn heatmap(analysis: &RfmAnalysis, name: &'static str, style: &ChartStyle) -> Figure {
    let lang = style.lang;
    let cells: Vec<GridCell> = analysis
        .scores
        .grid
        .iter()
        .map(|c| GridCell {
            r: c.r,
            f: c.f,
            customers: c.customers,
            mean_m: c.mean_monetary,
        })
        .collect();
    let table = cells.iter().filter(|c| c.customers > 0).fold(
        ChartTable::new(["R", "F", Text::Customers.get(lang), Text::MeanM.get(lang)]),
        |t, c| {
            t.row([
                c.r.to_string(),
                c.f.to_string(),
                format_number(c.customers as f64, 0),
                c.mean_m.map_or_else(|| "–".into(), |m| format_number(m, 2)),
            ])
        },
    );
    Figure::new(
        name,
        Text::ChartHeatmapTitle.get(lang).to_string(),
        Text::DescRfHeatmap.get(lang),
        None,
        table,
        render_rf_heatmap_svg(&cells, analysis.scores.config.bins, style),
        lang,
    )
}

/// The segments with customers, as chart bars and tiles (names cut and isolated).
fn segment_bars_of(analysis: &RfmAnalysis, lang: Lang) -> Vec<SegmentBar> {
    analysis
        .segmentation
        .segments
        .iter()
        .filter(|s| s.customers > 0)
        .map(|s| SegmentBar {
            label: shown_name(s, lang),
            customers: s.customers,
            customer_share: s.customer_share,
            revenue_share: s.revenue_share.unwrap_or(0.0),
        })
        .collect()
}

fn segment_table(bars: &[SegmentBar], lang: Lang) -> ChartTable {
    bars.iter().fold(
        ChartTable::new([
            Text::Segment.get(lang),
            Text::Customers.get(lang),
            Text::CustomerShare.get(lang),
            Text::RevenueShare.get(lang),
        ]),
        |t, b| {
            t.row([
                b.label.clone(),
                format_number(b.customers as f64, 0),
                format_percent(b.customer_share, 1),
                format_percent(b.revenue_share, 1),
            ])
        },
    )
}

/// What the segment charts say: the segment with the most revenue, and its shares.
fn top_segment(bars: &[SegmentBar], lang: Lang) -> Option<String> {
    bars.iter()
        .max_by(|a, b| a.revenue_share.total_cmp(&b.revenue_share))
        .map(|b| {
            sentence(
                Text::FindingSegments.get(lang),
                &[
                    b.label.clone(),
                    format_percent(b.customer_share, 1),
                    format_percent(b.revenue_share, 1),
                ],
            )
        })
}

/// Bars of each segment's share of the customers and of the revenue.
pub fn segment_bars(analysis: &RfmAnalysis, name: &'static str, style: &ChartStyle) -> Figure {
    segment_figure(
        analysis,
        name,
        (Text::SegmentSummaryTitle, Text::DescSegmentBars),
        render_segment_bars_svg,
        style,
    )
}

/// The segments as a treemap, areas by customers.
pub fn treemap(analysis: &RfmAnalysis, name: &'static str, style: &ChartStyle) -> Figure {
    segment_figure(
        analysis,
        name,
        (Text::ChartTreemapTitle, Text::DescSegmentTreemap),
        render_segment_treemap_svg,
        style,
    )
}

/// A chart of the segments' bars (its title and description, and how it is drawn), with the
/// segment table and the largest segment as its finding.
fn segment_figure(
    analysis: &RfmAnalysis,
    name: &'static str,
    (title, what): (Text, Text),
    render: fn(&[SegmentBar], &ChartStyle) -> crate::engine::Result<String>,
    style: &ChartStyle,
) -> Figure {
    let lang = style.lang;
    let bars = segment_bars_of(analysis, lang);
    Figure::new(
        name,
        title.get(lang).to_string(),
        what.get(lang),
        top_segment(&bars, lang),
        segment_table(&bars, lang),
        render(&bars, style),
        lang,
    )
}

/// A histogram's bars: one per bucket, labelled with its range, and the long tail last.
fn histogram_bars(histogram: &Histogram) -> Vec<HistogramBar> {
    let axis = histogram.axis;
    let compact = |v: f64| compact_number(v, Lang::En);
    let label = |from: f64, to: f64| match axis {
        Axis::Frequency if (to - from - 1.0).abs() < 1e-9 => format!("{from:.0}"),
        Axis::Monetary => format!("{}–{}", compact(from), compact(to)),
        _ => format!("{from:.0}–{to:.0}"),
    };
    histogram
        .buckets
        .iter()
        .map(|b| HistogramBar {
            label: label(b.from, b.to),
            count: b.customers,
        })
        .chain(histogram.overflow.iter().map(|o| HistogramBar {
            label: format!("≥{}", compact(o.from)),
            count: o.customers,
        }))
        .collect()
}

/// The distribution of one axis: customers per range of days, orders or money.
pub fn histogram(
    analysis: &RfmAnalysis,
    axis: Axis,
    name: &'static str,
    style: &ChartStyle,
) -> Figure {
    let lang = style.lang;
    let histograms = &analysis.scores.histograms;
    let (histogram, title, x_desc) = match axis {
        Axis::Recency => (
            &histograms.recency,
            Text::HistogramRTitle,
            Text::HistogramRAxis,
        ),
        Axis::Frequency => (
            &histograms.frequency,
            Text::HistogramFTitle,
            Text::HistogramFAxis,
        ),
        Axis::Monetary => (
            &histograms.monetary,
            Text::HistogramMTitle,
            Text::HistogramMAxis,
        ),
    };
    let bars = histogram_bars(histogram);
    let table = bars.iter().fold(
        ChartTable::new([Text::RangeLabel.get(lang), Text::Customers.get(lang)]),
        |t, b| t.row([b.label.clone(), format_number(b.count as f64, 0)]),
    );
    Figure::new(
        name,
        title.get(lang).to_string(),
        Text::DescHistogram.get(lang),
        None,
        table,
        render_histogram_svg(&bars, title.get(lang), x_desc.get(lang), style),
        lang,
    )
}

fn axis_letter(axis: Axis) -> &'static str {
    match axis {
        Axis::Recency => "R",
        Axis::Frequency => "F",
        Axis::Monetary => "M",
    }
}

/// A raw value of an axis as shown: days, orders or money.
fn axis_value(axis: Axis, value: f64, lang: Lang) -> String {
    match axis {
        Axis::Recency => format!("{} {}", format_number(value, 0), Text::Days.get(lang)),
        Axis::Frequency => format_number(value, 0),
        Axis::Monetary => format_money(value),
    }
}

/// The customers one score stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRangeText {
    /// The score.
    pub score: String,
    /// The smallest to the largest raw value with it ("–" when nobody has it).
    pub range: String,
    /// Customers with it.
    pub customers: String,
}

/// One axis of the thresholds table.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdRow {
    /// R, F or M.
    pub letter: &'static str,
    /// One range per score, 1 to bins.
    pub ranges: Vec<ScoreRangeText>,
    /// The cut points as figures `rfm_threshold_<r|f|m>_<k>`, shown as `k→k+1: value`.
    pub cuts: Vec<DataCell>,
}

/// The thresholds actually used, R, F and M.
pub fn threshold_rows(analysis: &RfmAnalysis, lang: Lang) -> Vec<ThresholdRow> {
    Axis::ALL
        .into_iter()
        .map(|axis| {
            let t = analysis.scores.thresholds.axis(axis);
            let ranges = t
                .ranges
                .iter()
                .map(|r| ScoreRangeText {
                    score: r.score.to_string(),
                    range: match (r.min, r.max) {
                        (Some(lo), Some(hi)) if (lo - hi).abs() < 1e-9 => {
                            axis_value(axis, lo, lang)
                        }
                        (Some(lo), Some(hi)) => format!(
                            "{} – {}",
                            axis_value(axis, lo, lang),
                            axis_value(axis, hi, lang)
                        ),
                        _ => "–".into(),
                    },
                    customers: r.customers.to_string(),
                })
                .collect();
            let cuts = t
                .cuts
                .iter()
                .enumerate()
                .map(|(k, cut)| DataCell {
                    metric: format!("rfm_threshold_{}_{}", axis.as_str(), k + 1),
                    value: cut.unwrap_or(f64::NAN),
                    display: format!(
                        "{}→{}: {}",
                        k + 1,
                        k + 2,
                        cut.map_or_else(|| "–".into(), |v| axis_value(axis, v, lang))
                    ),
                })
                .collect();
            ThresholdRow {
                letter: axis_letter(axis),
                ranges,
                cuts,
            }
        })
        .collect()
}

/// One sentence per axis whose bins ties made uneven, with the customers per score.
pub fn bin_warnings(analysis: &RfmAnalysis, lang: Lang) -> Vec<String> {
    analysis
        .scores
        .warnings
        .iter()
        .map(|w| {
            let sizes: Vec<String> = w
                .sizes
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}={s}", i + 1))
                .collect();
            sentence(
                Text::UnevenBins.get(lang),
                &[axis_letter(w.axis).to_string(), sizes.join(", ")],
            )
        })
        .collect()
}

/// What the scored-customer table shows: a search, a sort axis and a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredQuery {
    /// Part of a customer id (case-insensitive); empty for everyone.
    pub search: String,
    /// Sorted by this axis, best first (R: most recent first).
    pub sort: Axis,
    /// Page, from 0 (clamped to the last page).
    pub page: usize,
}

/// One scored customer as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredRow {
    /// Customer id, whole (shown through `UserText`).
    pub id: String,
    /// R in days.
    pub recency: String,
    /// F.
    pub frequency: String,
    /// M.
    pub monetary: String,
    /// The RFM code.
    pub code: String,
    /// The segment's name, whole.
    pub segment: String,
    /// The value tier.
    pub tier: String,
}

/// One page of the scored customers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredPage {
    /// The rows.
    pub rows: Vec<ScoredRow>,
    /// "Page 1 of 24 · 600 customers".
    pub info: String,
    /// The page shown (from 0).
    pub page: usize,
    /// Pages.
    pub pages: usize,
    /// Customers matching the search.
    pub matches: usize,
}

impl ScoredPage {
    /// Whether there is a page before this one.
    pub fn has_previous(&self) -> bool {
        self.page > 0
    }

    /// Whether there is a page after this one.
    pub fn has_next(&self) -> bool {
        self.page + 1 < self.pages
    }
}

/// A page of the scored customers: filtered by id, sorted by `query.sort` (best first, equal
/// values by id), [`PAGE_SIZE`] rows.
pub fn scored_page(
    table: &CustomerTable,
    analysis: &RfmAnalysis,
    query: &ScoredQuery,
    lang: Lang,
) -> ScoredPage {
    let needle = query.search.to_lowercase();
    let customers = &table.customers;
    let scored = &analysis.scores.customers;
    let id = |index: usize| customers.get(index).map_or("", |c| c.id.as_str());
    let page = page_by(
        scored,
        |c| needle.is_empty() || id(c.index).to_lowercase().contains(&needle),
        |c| match query.sort {
            Axis::Recency => -f64::from(c.recency_days),
            axis => c.value(axis),
        },
        |a, b| id(a.index).cmp(id(b.index)),
        true,
        query.page,
        PAGE_SIZE,
    );
    let bins = analysis.scores.config.bins;
    let segmentation = &analysis.segmentation;
    let rows = page
        .rows
        .iter()
        .map(|&k| {
            let c = &scored[k];
            ScoredRow {
                id: id(c.index).to_string(),
                recency: format_number(f64::from(c.recency_days), 0),
                frequency: format_number(f64::from(c.frequency), 0),
                monetary: format_money(c.monetary),
                code: c.code(bins).to_string(),
                segment: rule_name(
                    &segmentation.rules,
                    segmentation.assignments.get(k).copied().flatten(),
                    lang,
                ),
                tier: tier_text(c.tier).get(lang).to_string(),
            }
        })
        .collect();
    ScoredPage {
        rows,
        info: sentence(
            Text::PageStatus.get(lang),
            &[
                (page.page + 1).to_string(),
                page.pages.to_string(),
                format_number(page.matches as f64, 0),
            ],
        ),
        page: page.page,
        pages: page.pages,
        matches: page.matches,
    }
}

/// A file to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// File name with its extension.
    pub file: String,
    /// Its text.
    pub text: String,
}

/// Every scored customer as CSV, headers and names in `lang` (`engine::rfm::scored_customers_csv`).
pub fn scored_customers(table: &CustomerTable, analysis: &RfmAnalysis, lang: Lang) -> Download {
    Download {
        file: format!("{}.csv", Text::ScoredCustomersFile.get(lang)),
        text: scored_customers_csv(table, analysis, &rfm_csv_labels(lang)),
    }
}

/// A new rule for the editor: "Segment n" / "分群 n", every score, no action.
pub fn new_rule(n: usize, scale: u8) -> SegmentRule {
    let name = |lang| sentence(Text::NewSegmentName.get(lang), &[n.to_string()]);
    SegmentRule {
        name_en: name(Lang::En),
        name_zh: name(Lang::Zh),
        r: (1, scale),
        f: (1, scale),
        m: (1, scale),
        action_en: String::new(),
        action_zh: String::new(),
    }
}

/// The accessible name of a field of rule `index` (from 0): "Rule 2 · F lowest score".
pub fn rule_field_label(index: usize, field: &str, lang: Lang) -> String {
    sentence(
        Text::RuleNumber.get(lang),
        &[(index + 1).to_string(), field.to_string()],
    )
}

/// The accessible name of a score field: `axis` 0, 1, 2 for R, F, M; `end` the lowest or highest.
pub fn rule_range_label(index: usize, axis: usize, end: Text, lang: Lang) -> String {
    let letter = ["R", "F", "M"][axis.min(2)];
    rule_field_label(index, &format!("{letter} {}", end.get(lang)), lang)
}

/// What the rule editor says about the table's coverage of the score cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageNote {
    /// Every cell in exactly one segment.
    pub partition: bool,
    /// Cells in more than one rule.
    pub overlaps: usize,
    /// Cells in none.
    pub gaps: usize,
    /// The sentence(s): all is well, or the overlapping and uncovered cells (the first few).
    pub lines: Vec<String>,
}

/// The coverage check in words.
pub fn coverage_note(coverage: &Coverage, lang: Lang) -> CoverageNote {
    let list = |cells: Vec<(u8, u8, u8)>, total: usize, text: Text| {
        let mut shown: Vec<String> = cells
            .iter()
            .take(LISTED_CELLS)
            .map(|c| format!("({},{},{})", c.0, c.1, c.2))
            .collect();
        if total > LISTED_CELLS {
            shown.push("…".into());
        }
        sentence(text.get(lang), &[total.to_string(), shown.join(" ")])
    };
    let mut lines = Vec::new();
    if coverage.is_partition() {
        lines.push(Text::RulesCoverageOk.get(lang).to_string());
    }
    if !coverage.overlaps.is_empty() {
        let cells = coverage.overlaps.iter().map(|o| o.cell).collect();
        lines.push(list(cells, coverage.overlaps.len(), Text::RulesOverlaps));
    }
    if !coverage.gaps.is_empty() {
        lines.push(list(
            coverage.gaps.clone(),
            coverage.gaps.len(),
            Text::RulesGaps,
        ));
    }
    CoverageNote {
        partition: coverage.is_partition(),
        overlaps: coverage.overlaps.len(),
        gaps: coverage.gaps.len(),
        lines,
    }
}

/// Why the rule table cannot be used, in `lang`; `None` when it can.
pub fn rules_problem(rules: &SegmentRules, lang: Lang) -> Option<String> {
    rules.validate().err().map(|e| error_text(&e, lang))
}

/// The report's sentence on RFM: the (up to) three segments with the most revenue.
pub fn report_sentences(analysis: &RfmAnalysis, lang: Lang) -> Vec<String> {
    let mut largest: Vec<&SegmentSummary> = analysis
        .segmentation
        .segments
        .iter()
        .filter(|s| s.customers > 0)
        .collect();
    largest.sort_by(|a, b| b.revenue.total_cmp(&a.revenue));
    let parts: Vec<String> = largest
        .iter()
        .take(3)
        .map(|s| {
            sentence(
                Text::ReportRfmSegment.get(lang),
                &[
                    shown_name(s, lang),
                    format_number(s.customers as f64, 0),
                    s.revenue_share
                        .map(|v| format_percent(v, 1))
                        .unwrap_or_default(),
                ],
            )
        })
        .collect();
    if parts.is_empty() {
        return Vec::new();
    }
    vec![sentence(
        Text::ReportRfmSegments.get(lang),
        &[parts.join(Text::ListSeparator.get(lang))],
    )]
}

/// The report's method note on RFM: analysis date, bins, what F and M measure, the rule table.
pub fn method_note(analysis: &RfmAnalysis, lang: Lang) -> Note {
    let scores = &analysis.scores;
    let segmentation = &analysis.segmentation;
    let coverage = if segmentation.coverage.is_partition() {
        Text::NoteRfmPartition
    } else {
        Text::NoteRfmGaps
    };
    Note {
        label: "RFM".into(),
        value: sentence(
            Text::NoteRfm.get(lang),
            &[
                format_date(scores.analysis_day, lang),
                scores.config.bins.to_string(),
                monetary_text(scores.config.monetary).get(lang).to_string(),
                segmentation.rules.rules.len().to_string(),
                coverage.get(lang).to_string(),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::rfm::{analyse_rfm, RfmConfig};
    use crate::engine::sample::{sample_csv, SampleLanguage};

    fn sample() -> (CustomerTable, RfmAnalysis) {
        let csv = sample_csv(SampleLanguage::English);
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let analysis = analyse_rfm(
            &outcome.table,
            &RfmConfig::default(),
            &SegmentRules::default(),
        )
        .unwrap();
        (outcome.table, analysis)
    }

    /// A small table whose one rule has a hostile name: a right-to-left override.
    fn hostile() -> (CustomerTable, RfmAnalysis) {
        let csv = "customer,order,date,amount\nA,1,2024-01-05,100\nA,2,2024-02-05,50\nB,3,2024-03-01,30\nC,4,2024-03-02,10\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let mut rules = SegmentRules::default();
        rules.rules.truncate(1);
        let rule = &mut rules.rules[0];
        rule.name_en = "\u{202E}gnp.exe".into();
        rule.name_zh = String::new();
        (rule.r, rule.f, rule.m) = ((1, 5), (1, 5), (1, 5));
        let analysis = analyse_rfm(&outcome.table, &RfmConfig::default(), &rules).unwrap();
        (outcome.table, analysis)
    }

    fn engine_figure(analysis: &RfmAnalysis, name: &str) -> Option<f64> {
        analysis
            .figures()
            .into_iter()
            .find(|f| f.name == name)
            .and_then(|f| f.value)
    }

    #[test]
    fn segment_counts_and_thresholds_are_the_engines_figures() {
        let (_, a) = sample();
        let rows = segment_rows(&a, Listing::EveryRule, Lang::En);
        assert_eq!(rows.len(), 11, "every default rule, no empty Other");
        for row in &rows {
            assert_eq!(Some(row.count.value), engine_figure(&a, &row.count.metric));
        }
        let hidden = unlisted_counts(&a, Listing::EveryRule);
        assert_eq!(hidden.len(), 1);
        assert_eq!(hidden[0].metric, "segment_count:Other");
        assert_eq!(hidden[0].value, 0.0);
        let total: f64 = rows.iter().map(|r| r.count.value).sum();
        assert_eq!(total as usize, a.scores.customers.len());
        let cuts: Vec<DataCell> = threshold_rows(&a, Lang::En)
            .into_iter()
            .flat_map(|r| r.cuts)
            .collect();
        assert_eq!(cuts.len(), 12, "four cuts on each of three axes");
        for cut in cuts {
            let engine = engine_figure(&a, &cut.metric);
            match engine {
                Some(v) => assert_eq!(cut.value, v, "{}", cut.metric),
                None => assert!(cut.value.is_nan() && cut.raw().is_empty()),
            }
        }
        let populated = segment_rows(&a, Listing::Populated, Lang::En);
        assert!(populated.iter().all(|r| r.count.value > 0.0));
    }

    #[test]
    fn labels_in_both_languages() {
        let (table, a) = sample();
        let zh = segment_rows(&a, Listing::EveryRule, Lang::Zh);
        let en = segment_rows(&a, Listing::EveryRule, Lang::En);
        assert_eq!(zh[0].name, "冠军客户");
        assert_eq!(en[0].name, "Champions");
        assert_eq!(zh[0].count.metric, en[0].count.metric, "names are English");
        assert!(!zh[0].action.is_empty() && zh[0].action != en[0].action);
        let tiers = tier_metrics(&a, Lang::Zh);
        assert_eq!(
            tiers.iter().map(|m| m.name).collect::<Vec<_>>(),
            ["tier_high", "tier_medium", "tier_low"]
        );
        assert_eq!(tiers[0].label, "高价值客户");
        assert!(tiers[0].note.as_deref().unwrap().contains("收入占比"));
        assert_eq!(tier_metrics(&a, Lang::En)[2].label, "Low value");
        assert!(facts(&a, Lang::Zh).starts_with("分析日期："));
        assert!(facts(&a, Lang::En).contains("Score bins: 5 · Monetary M: total net sales"));
        let page = scored_page(
            &table,
            &a,
            &ScoredQuery {
                search: String::new(),
                sort: Axis::Monetary,
                page: 0,
            },
            Lang::En,
        );
        assert_eq!(page.rows.len(), PAGE_SIZE);
        assert!(page.info.starts_with("Page 1 of "), "{}", page.info);
        assert!(!page.has_previous() && page.has_next());
        let zh_page = scored_page(
            &table,
            &a,
            &ScoredQuery {
                search: String::new(),
                sort: Axis::Monetary,
                page: 1_000,
            },
            Lang::Zh,
        );
        assert_eq!(zh_page.page + 1, zh_page.pages, "clamped to the last page");
        assert!(zh_page.info.starts_with("第 "), "{}", zh_page.info);
        assert_eq!(
            scored_customers(&table, &a, Lang::Zh).file,
            "rfm-客户评分.csv"
        );
        assert_eq!(
            scored_customers(&table, &a, Lang::En).file,
            "rfm-scored-customers.csv"
        );
        let warnings = bin_warnings(&a, Lang::En);
        assert!(warnings
            .iter()
            .all(|w| w.starts_with("Ties make the bins uneven: ")));
    }

    #[test]
    fn the_largest_monetary_customers_come_first() {
        let (table, a) = sample();
        let page = scored_page(
            &table,
            &a,
            &ScoredQuery {
                search: String::new(),
                sort: Axis::Monetary,
                page: 0,
            },
            Lang::En,
        );
        let top = a
            .scores
            .customers
            .iter()
            .map(|c| c.monetary)
            .fold(f64::MIN, f64::max);
        assert_eq!(page.rows[0].monetary, format_money(top));
        let one = scored_page(
            &table,
            &a,
            &ScoredQuery {
                search: table.customers[0].id.to_lowercase().to_string(),
                sort: Axis::Recency,
                page: 0,
            },
            Lang::En,
        );
        assert!(one.matches >= 1 && one.rows[0].id.contains(table.customers[0].id.as_str()));
    }

    #[test]
    fn the_segment_csv_has_a_header_and_every_segment() {
        let (_, a) = sample();
        let en = segment_csv(&a, Lang::En);
        assert_eq!(en.file, "rfm-segments");
        assert_eq!(en.header[0], "Segment");
        assert_eq!(en.header.len(), 9);
        assert_eq!(en.rows.len(), a.segmentation.segments.len());
        let champions = &a.segmentation.segments[0];
        assert_eq!(en.rows[0][0], "Champions");
        assert_eq!(en.rows[0][1], champions.customers.to_string());
        assert_eq!(en.rows[0][2], number(champions.customer_share));
        assert_eq!(en.rows.last().unwrap()[0], "Other");
        let zh = segment_csv(&a, Lang::Zh);
        assert_eq!(zh.header[0], "分群");
        assert_eq!(zh.rows.last().unwrap()[0], "其他");
        assert!(zh.document().starts_with('\u{feff}'));
    }

    #[test]
    fn figures_are_drawn_from_the_analysis() {
        let (_, a) = sample();
        for lang in [Lang::Zh, Lang::En] {
            let style = ChartStyle::new(lang);
            let heat = heatmap(&a, "rf-heatmap", &style);
            assert!(heat.svg.is_ok());
            let populated = a.scores.grid.iter().filter(|c| c.customers > 0).count();
            assert_eq!(heat.table.rows.len(), populated);
            let bars = segment_bars(&a, "segment-bars", &style);
            let with_customers = a
                .segmentation
                .segments
                .iter()
                .filter(|s| s.customers > 0)
                .count();
            assert_eq!(bars.table.rows.len(), with_customers);
            assert!(
                bars.desc.chars().any(|c| c.is_ascii_digit()),
                "{}",
                bars.desc
            );
            let tree = treemap(&a, "segment-treemap", &style);
            assert_eq!(tree.table, bars.table);
            assert!(tree.svg.is_ok());
            for (axis, name) in [
                (Axis::Recency, "histogram-r"),
                (Axis::Frequency, "histogram-f"),
                (Axis::Monetary, "histogram-m"),
            ] {
                let h = histogram(&a, axis, name, &style);
                assert!(h.svg.as_ref().unwrap().contains(&h.title), "{}", h.title);
                let customers: usize = h
                    .table
                    .rows
                    .iter()
                    .map(|r| r[1].replace(',', "").parse::<usize>().unwrap())
                    .sum();
                assert_eq!(customers, a.scores.customers.len(), "{name}");
            }
        }
        let zh = histogram(&a, Axis::Recency, "histogram-r", &ChartStyle::new(Lang::Zh));
        assert_eq!(zh.title, "R：距最近一次消费的天数");
        let en = histogram(
            &a,
            Axis::Monetary,
            "histogram-m",
            &ChartStyle::new(Lang::En),
        );
        assert_eq!(en.title, "M: money spent");
    }

    #[test]
    fn user_made_names_are_cut_and_isolated_where_they_meet_other_text() {
        let (_, a) = hostile();
        let rows = segment_rows(&a, Listing::EveryRule, Lang::Zh);
        assert_eq!(rows[0].name, "\u{202E}gnp.exe", "whole for UserText");
        let bars = segment_bars(&a, "segment-bars", &ChartStyle::new(Lang::En));
        assert_eq!(bars.table.rows[0][0], "\u{2068}\u{202E}gnp.exe\u{2069}");
        assert!(bars.desc.contains("“\u{2068}\u{202E}gnp.exe\u{2069}”"));
        let sentences = report_sentences(&a, Lang::En);
        assert!(sentences[0].contains("\u{2068}\u{202E}gnp.exe\u{2069}: "));
        let csv = segment_csv(&a, Lang::En);
        assert_eq!(csv.rows[0][0], "\u{202E}gnp.exe", "whole in the CSV");
    }

    #[test]
    fn report_sentence_and_note_in_both_languages() {
        let (_, a) = sample();
        let zh = report_sentences(&a, Lang::Zh);
        assert!(zh[0].starts_with("RFM 分群中收入最多的是："), "{zh:?}");
        assert_eq!(zh[0].matches('；').count(), 2, "{zh:?}");
        let en = report_sentences(&a, Lang::En);
        assert!(en[0].starts_with("The RFM segments with the most revenue: "));
        assert!(en[0].contains(" customers (") && en[0].ends_with(")."));
        let note = method_note(&a, Lang::En);
        assert_eq!(note.label, "RFM");
        assert!(note.value.contains("5 quantile bins"));
        assert!(note.value.contains("M = total net sales"));
        assert!(note
            .value
            .ends_with("11 segment rules matched in order, every cell in exactly one segment"));
        let zh = method_note(&a, Lang::Zh);
        assert!(zh
            .value
            .contains("分群规则 11 条，按顺序匹配，每个组合恰好属于一个分群"));
        let (table, _) = sample();
        let mut rules = SegmentRules::default();
        rules.rules.pop();
        let gaps = analyse_rfm(&table, &RfmConfig::default(), &rules).unwrap();
        assert!(method_note(&gaps, Lang::En)
            .value
            .ends_with("10 segment rules matched in order, with overlaps or gaps (customers in none count as Other)"));
    }

    #[test]
    fn the_rule_editor_in_words() {
        let rule = new_rule(12, 5);
        assert_eq!(
            (rule.name_en.as_str(), rule.name_zh.as_str()),
            ("Segment 12", "分群 12")
        );
        assert_eq!(rule.m, (1, 5));
        assert_eq!(
            rule_range_label(1, 1, Text::RangeFrom, Lang::En),
            "Rule 2 · F lowest score"
        );
        assert_eq!(rule_field_label(0, "中文名", Lang::Zh), "规则 1 · 中文名");
        let ok = coverage_note(
            &crate::engine::rfm::rule_coverage(&SegmentRules::default(), 5),
            Lang::En,
        );
        assert!(ok.partition && ok.lines == [Text::RulesCoverageOk.get(Lang::En)]);
        let mut rules = SegmentRules::default();
        rules.rules.truncate(rules.rules.len() - 3);
        let gaps = coverage_note(&crate::engine::rfm::rule_coverage(&rules, 5), Lang::Zh);
        assert!(!gaps.partition && gaps.gaps > LISTED_CELLS);
        assert!(
            gaps.lines[0].starts_with(&format!("未覆盖的格子（{}，", gaps.gaps)),
            "{:?}",
            gaps.lines
        );
        assert!(gaps.lines[0].ends_with(" …"));
        assert_eq!(rules_problem(&rules, Lang::En), None);
        rules.rules[0].name_en = String::new();
        assert!(rules_problem(&rules, Lang::Zh)
            .unwrap()
            .contains("英文名称为空"));
    }

    #[test]
    fn a_missing_date_is_recognised_by_its_reason() {
        let csv = "customer,amount\nA,100\nB,30\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let error = analyse_rfm(
            &outcome.table,
            &RfmConfig::default(),
            &SegmentRules::default(),
        )
        .unwrap_err();
        assert!(needs_dates(&error), "{error:?}");
        assert!(!needs_dates(&Error::NoData));
    }
}
