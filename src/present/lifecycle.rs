//! The lifecycle analysis as shown (客户生命周期): the facts line, the KPIs of the latest whole
//! period with their one-sentence meanings, the period table and its chart, the cohort
//! heatmap, curves and table, inter-purchase times with the lapse rule and the customers past
//! it, the customer division, the comparison of two periods (decile transitions and the
//! valuable customers lost) and the RFM segment migration — with their CSVs and the report's
//! sentences. The lifecycle view (`ui/components/lifecycle.rs`) and the report both call these.
//!
//! Figures the page carries for automation: `lc_active:<period>`, `lc_new:<period>`,
//! `lc_retention:<period>`, `lc_churn:<period>`, `lc_repeat_rate:<period>` (the period table),
//! `cohort_size:<cohort>`, `cohort_retention:<cohort>:<k>` (the cohort table; empty when not
//! observed), `ipt_median_days`, `lapse_threshold_days`, `decile_transition:<from>:<to>`,
//! `segment_migration:<from>:<to>`; names as in [`LifecycleAnalysis::figures`].

use crate::a11y::ChartTable;
use crate::charts::lifecycle::{
    render_activity_svg, render_cohort_heatmap_svg, render_division_svg, render_flow_svg,
    render_gap_histogram_svg, render_matrix_svg, render_retention_curves_with_mean_svg,
    ActivityWords, CohortRow, CohortScale, CohortWords, DivisionBar, DivisionWords, Flow,
    FlowWords, GapBin, GapWords, Marker, Matrix, PeriodBar,
};
use crate::charts::ChartStyle;
use crate::display::{isolated, ID_CHARS, SEGMENT_CHARS};
use crate::engine::calendar::Day;
use crate::engine::customers::CustomerTable;
use crate::engine::error::{Error, ParameterProblem};
use crate::engine::history::PurchaseHistory;
use crate::engine::lifecycle::{
    compare_ranges, movement, segment_migration, segment_migration_summary_of, CohortGrain,
    CustomerDays, DateRange, DivisionGroup, DivisionKind, From, Grain, LapseStatus,
    LapsingCustomer, LifecycleAnalysis, LifecycleConfig, Migration, MigrationStates, Movement,
    PeriodStats, SegmentState, Series, ThresholdSource, To, SMALL_COHORT,
};
use crate::engine::rfm::{RfmConfig, SegmentRules};
use crate::i18n::{format_date, format_money, format_number, format_percent, Lang, Text};

use super::report::Note;
use super::{number, optional, raw_value, sentence, share, Csv, DataCell, Figure, Metric};
pub use super::{Cell, CellTable};
use serde::{Deserialize, Serialize};

/// Customers listed on screen per list (the CSV has them all).
pub const LISTED: usize = 25;

/// What the cohort cells show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CohortValue {
    /// Share of the cohort active (default).
    #[default]
    Share,
    /// Net sales per original customer.
    Sales,
}

impl CohortValue {
    /// Machine name: `share`, `sales` (the `cohort_value` parameter).
    pub fn as_str(self) -> &'static str {
        match self {
            CohortValue::Share => "share",
            CohortValue::Sales => "sales",
        }
    }

    fn scale(self) -> CohortScale {
        match self {
            CohortValue::Share => CohortScale::Share,
            CohortValue::Sales => CohortScale::Money,
        }
    }
}

/// Everything the user sets in the lifecycle view besides the analysis day (shared with RFM).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The analysis's parameters (its `analysis_day` is taken from the RFM parameters).
    pub config: LifecycleConfig,
    /// What the cohort cells show.
    pub cohort_value: CohortValue,
    /// Period A of the comparison; `None`: the second-last whole period.
    pub period_a: Option<DateRange>,
    /// Period B; `None`: the last whole period.
    pub period_b: Option<DateRange>,
    /// Which deciles of A count as the valuable customers (1–10, default 2: the top fifth).
    pub top_deciles: u8,
    /// The first analysis day of the segment migration; `None`: the first day of period B.
    pub migration_first: Option<Day>,
    /// The second; `None`: the analysis day.
    pub migration_second: Option<Day>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            config: LifecycleConfig::default(),
            cohort_value: CohortValue::Share,
            period_a: None,
            period_b: None,
            top_deciles: 2,
            migration_first: None,
            migration_second: None,
        }
    }
}

/// The comparison of two periods: their figures, the decile movement and the valuable
/// customers lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Period A.
    pub a: DateRange,
    /// Period B.
    pub b: DateRange,
    /// The two periods' figures (B compared with A).
    pub series: Series,
    /// Decile movement and the valuable customers of A lapsed in B.
    pub movement: Movement,
}

/// The two periods compared: those of `settings`, else the last two whole periods of the
/// analysis's grain (`None` when there are fewer and none are given). Cheap: the parameter
/// inputs show them without computing the comparison.
pub fn ranges(analysis: &LifecycleAnalysis, settings: &Settings) -> Option<(DateRange, DateRange)> {
    let defaults = analysis.series.last_two_whole();
    Some((
        settings.period_a.or(defaults.map(|d| d.0))?,
        settings.period_b.or(defaults.map(|d| d.1))?,
    ))
}

/// The two analysis days of the segment migration: those of `settings`, else the first day of
/// period B (given, or the last whole period) and the analysis day.
pub fn migration_days(analysis: &LifecycleAnalysis, settings: &Settings) -> (Day, Day) {
    let second = settings
        .migration_second
        .unwrap_or(analysis.window.analysis_day);
    let first = settings
        .migration_first
        .or(settings.period_b.map(|b| b.first))
        .or(analysis.series.last_two_whole().map(|(_, b)| b.first))
        .unwrap_or(analysis.window.first_day.plus_days(1));
    (first, second)
}

/// Compares the two periods of `settings` (by default the last two whole periods of the
/// analysis's grain).
///
/// # Errors
/// [`Error::Parameter`] (`period_a_start`) when the data has fewer than two whole periods and
/// no dates are given; those of [`compare_ranges`] and [`movement`].
pub fn compare(
    table: &(impl CustomerDays + ?Sized),
    history: &PurchaseHistory,
    analysis: &LifecycleAnalysis,
    settings: &Settings,
) -> Result<Comparison, Error> {
    let Some((a, b)) = ranges(analysis, settings) else {
        let whole = analysis
            .series
            .stats
            .iter()
            .filter(|s| !s.period.partial)
            .count();
        return Err(Error::Parameter {
            name: "period_a_start".into(),
            reason: ParameterProblem::TooFewWholePeriods { whole },
        });
    };
    let config = &analysis.config;
    let series = compare_ranges(table, history, a, b, config)?;
    let movement = movement(
        history,
        &analysis.window,
        a,
        b,
        settings.top_deciles,
        config,
    )?;
    Ok(Comparison {
        a,
        b,
        series,
        movement,
    })
}

/// The RFM segment migration between the two analysis days of `settings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MigrationView {
    /// The first analysis day.
    pub first: Day,
    /// The second.
    pub second: Day,
    /// Who moved where.
    pub migration: Migration,
}

/// The segment migration of `settings` (by default from the first day of period B — of the
/// comparison, or the last whole period — to the analysis day).
///
/// # Errors
/// Those of [`segment_migration`].
pub fn migrate(
    table: &(impl CustomerDays + ?Sized),
    history: &PurchaseHistory,
    analysis: &LifecycleAnalysis,
    settings: &Settings,
    rfm: &RfmConfig,
    rules: &SegmentRules,
) -> Result<MigrationView, Error> {
    let (first, second) = migration_days(analysis, settings);
    let migration = segment_migration(table, history, first, second, rfm, rules)?;
    Ok(MigrationView {
        first,
        second,
        migration,
    })
}

/// The two days of a migration ([`migration_days`]) and the customers' states on each, made
/// before either is scored ([`migrate_summary_of`]), so that the history and the table can be
/// let go of first.
///
/// # Errors
/// [`Error::Parameter`] (`migration_second_day`) when the days are not in order.
pub fn migration_day_states(
    table: &(impl CustomerDays + ?Sized),
    history: &PurchaseHistory,
    analysis: &LifecycleAnalysis,
    settings: &Settings,
) -> Result<((Day, Day), MigrationStates), Error> {
    let (first, second) = migration_days(analysis, settings);
    Ok((
        (first, second),
        MigrationStates::new(table, history, first, second)?,
    ))
}

/// [`migrate`] without the per-customer columns no view reads (the two analyses' scores and
/// assignments, the indexes), from the states [`migration_day_states`] made: what the analysis
/// worker sends the page, made in about half the working memory
/// ([`segment_migration_summary_of`]).
///
/// # Errors
/// Those of [`segment_migration`] after the states.
pub fn migrate_summary_of(
    (first, second): (Day, Day),
    states: MigrationStates,
    rfm: &RfmConfig,
    rules: &SegmentRules,
) -> Result<MigrationView, Error> {
    Ok(MigrationView {
        first,
        second,
        migration: segment_migration_summary_of(states, rfm, rules)?,
    })
}

/// The name of a period grain.
pub fn grain_text(grain: Grain) -> Text {
    match grain {
        Grain::Month => Text::LcGrainMonth,
        Grain::Quarter => Text::LcGrainQuarter,
        Grain::Year => Text::LcGrainYear,
    }
}

/// The name of a cohort grain.
pub fn cohort_grain_text(grain: CohortGrain) -> Text {
    grain_text(grain.grain())
}

/// The parameters the figures were computed with, in one line, with the rule for partial
/// periods.
pub fn facts(analysis: &LifecycleAnalysis, lang: Lang) -> String {
    let window = &analysis.window;
    let config = &analysis.config;
    let partial = if config.include_partial {
        Text::LcPartialIncluded
    } else {
        Text::LcPartialLeftOut
    };
    let returns = if config.returns_count_as_activity {
        Text::LcReturnsCount
    } else {
        Text::LcReturnsDoNotCount
    };
    sentence(
        Text::LcFacts.get(lang),
        &[
            format_date(window.first_day, lang),
            format_date(window.last_day(), lang),
            format_date(window.analysis_day, lang),
            grain_text(config.grain).get(lang).to_string(),
            partial.get(lang).to_string(),
            returns.get(lang).to_string(),
        ],
    )
}

/// The latest period whose own rates are computed (the latest whole period by default).
fn latest_rated(series: &Series) -> Option<&PeriodStats> {
    series
        .stats
        .iter()
        .rev()
        .find(|s| !s.own_rates_left_out && !s.comparison_rates_left_out && s.retention.is_some())
}

fn of(part: Option<usize>, whole: Option<usize>, lang: Lang) -> Option<String> {
    match (part, whole) {
        (Some(part), Some(whole)) => Some(sentence(
            Text::LcOf.get(lang),
            &[
                format_number(part as f64, 0),
                format_number(whole as f64, 0),
            ],
        )),
        _ => None,
    }
}

/// The headline figures of the latest rated period: `lc_latest_active`, `lc_latest_new`,
/// `lc_latest_retention`, `lc_latest_churn`, `lc_latest_revenue_retention`,
/// `lc_latest_repeat_rate`, each with its counts; empty when no period has rates.
pub fn headline(analysis: &LifecycleAnalysis, lang: Lang) -> Vec<Metric> {
    let Some(s) = latest_rated(&analysis.series) else {
        return Vec::new();
    };
    let period = s.period.key.to_string();
    let rate = |name: &'static str, label: Text, value: Option<f64>, note: Option<String>| {
        let metric = Metric::new(
            name,
            label.get(lang),
            value.unwrap_or(f64::NAN),
            share(value),
        );
        match note {
            Some(note) => metric.note(note),
            None => metric,
        }
    };
    let in_period = sentence(Text::LcInPeriod.get(lang), std::slice::from_ref(&period));
    vec![
        Metric::count(
            "lc_latest_active",
            Text::LcActive.get(lang),
            s.active as u64,
        )
        .note(in_period.clone()),
        Metric::count("lc_latest_new", Text::LcNew.get(lang), s.new as u64).note(in_period),
        rate(
            "lc_latest_retention",
            Text::LcRetention,
            s.retention,
            of(s.returning, s.previous_active, lang),
        ),
        rate(
            "lc_latest_churn",
            Text::LcChurn,
            s.churn,
            of(s.lost, s.previous_active, lang),
        )
        .tone("warn"),
        rate(
            "lc_latest_revenue_retention",
            Text::LcRevenueRetention,
            s.revenue_retention,
            Some(sentence(
                Text::LcOf.get(lang),
                &[
                    format_money(s.retained_sales),
                    format_money(s.previous_sales),
                ],
            )),
        ),
        rate(
            "lc_latest_repeat_rate",
            Text::LcRepeatRate,
            s.repeat_rate,
            of(Some(s.repeat), Some(s.active), lang),
        ),
    ]
}

/// Each KPI with its meaning in one sentence (METHODS §5, §7), in the order of the table.
pub fn definitions(lang: Lang) -> Vec<(String, String)> {
    [
        (Text::LcActive, Text::LcDefActive),
        (Text::LcNew, Text::LcDefNew),
        (Text::LcReturning, Text::LcDefReturning),
        (Text::LcReactivated, Text::LcDefReactivated),
        (Text::LcLost, Text::LcDefLost),
        (Text::LcRetention, Text::LcDefRetention),
        (Text::LcChurn, Text::LcDefChurn),
        (Text::LcRevenueRetention, Text::LcDefRevenueRetention),
        (Text::LcRepeatRate, Text::LcDefRepeatRate),
        (Text::LcPerActive, Text::LcDefPerActive),
        (Text::LcAddon, Text::LcDefAddon),
    ]
    .into_iter()
    .map(|(term, meaning)| (term.get(lang).to_string(), meaning.get(lang).to_string()))
    .collect()
}

/// The period table's column headers.
fn period_header(lang: Lang) -> Vec<String> {
    [
        Text::LcPeriod,
        Text::LcActive,
        Text::LcNew,
        Text::LcReturning,
        Text::LcReactivated,
        Text::LcLost,
        Text::LcRetention,
        Text::LcChurn,
        Text::LcRevenueRetention,
        Text::LcRepeatRate,
        Text::LcOrdersPerActive,
        Text::LcSalesPerActive,
        Text::LcAddonSales,
        Text::LcAddonQuantity,
    ]
    .into_iter()
    .map(|t| t.get(lang).to_string())
    .collect()
}

/// A period as written in tables: `2024-01`, with a mark when partial.
fn period_label(stats: &PeriodStats) -> String {
    if stats.period.partial {
        format!("{} *", stats.period.key)
    } else {
        stats.period.key.to_string()
    }
}

fn count_text(count: Option<usize>) -> String {
    count.map_or_else(|| "–".into(), |c| format_number(c as f64, 0))
}

/// The period table: one row per period with every KPI and its counts; the contract's figures
/// carry `lc_active`, `lc_new`, `lc_retention`, `lc_churn`, `lc_repeat_rate` with `:<period>`
/// when `named` (the comparison's two periods are shown unnamed).
pub fn period_rows(series: &Series, named: bool, lang: Lang) -> CellTable {
    let mut table = CellTable {
        header: period_header(lang),
        ..CellTable::default()
    };
    for s in &series.stats {
        let key = s.period.key.to_string();
        let figure = |name: &str, value: Option<f64>, display: String| {
            if named {
                Cell::figure(format!("{name}:{key}"), value, display)
            } else {
                Cell::text(display)
            }
        };
        let growth = |g: Option<&crate::engine::lifecycle::Growth>| match g {
            Some(g) => Cell::text(share(g.share)).detail(of(Some(g.grown), Some(g.base), lang)),
            None => Cell::text("–".into()),
        };
        table.rows.push(vec![
            Cell::text(period_label(s)),
            figure(
                "lc_active",
                Some(s.active as f64),
                format_number(s.active as f64, 0),
            ),
            figure("lc_new", Some(s.new as f64), format_number(s.new as f64, 0)),
            Cell::text(count_text(s.returning)),
            Cell::text(count_text(s.reactivated)),
            Cell::text(count_text(s.lost)),
            figure("lc_retention", s.retention, share(s.retention)).detail(of(
                s.returning,
                s.previous_active,
                lang,
            )),
            figure("lc_churn", s.churn, share(s.churn)).detail(of(s.lost, s.previous_active, lang)),
            Cell::text(share(s.revenue_retention)),
            figure("lc_repeat_rate", s.repeat_rate, share(s.repeat_rate)).detail(of(
                Some(s.repeat),
                Some(s.active),
                lang,
            )),
            Cell::text(
                s.orders_per_active
                    .map_or_else(|| "–".into(), |v| format_number(v, 2)),
            ),
            Cell::text(s.sales_per_active.map_or_else(|| "–".into(), format_money)),
            growth(Some(&s.addon_sales)),
            growth(s.addon_quantity.as_ref()),
        ]);
        table.marked.push(s.period.partial);
    }
    table
}

/// The period table as a CSV (raw numbers, every count and rate).
pub fn period_csv(series: &Series, file: &str, lang: Lang) -> Csv {
    let mut header = period_header(lang);
    header.insert(1, Text::LcPartialColumn.get(lang).to_string());
    header.extend(
        [
            Text::LcPreviousActive,
            Text::Orders,
            Text::Sales,
            Text::LcRetainedSales,
            Text::LcPreviousSales,
        ]
        .into_iter()
        .map(|t| t.get(lang).to_string()),
    );
    let count = |c: Option<usize>| c.map(|c| c.to_string()).unwrap_or_default();
    let rows = series
        .stats
        .iter()
        .map(|s| {
            vec![
                s.period.key.to_string(),
                if s.period.partial { "1" } else { "0" }.into(),
                s.active.to_string(),
                s.new.to_string(),
                count(s.returning),
                count(s.reactivated),
                count(s.lost),
                optional(s.retention),
                optional(s.churn),
                optional(s.revenue_retention),
                optional(s.repeat_rate),
                optional(s.orders_per_active),
                optional(s.sales_per_active),
                optional(s.addon_sales.share),
                optional(s.addon_quantity.as_ref().and_then(|g| g.share)),
                count(s.previous_active),
                s.orders.to_string(),
                number(s.sales),
                number(s.retained_sales),
                number(s.previous_sales),
            ]
        })
        .collect();
    Csv {
        file: file.into(),
        header,
        rows,
    }
}

/// Active customers per period (new, returning, reactivated) with the retention rate.
pub fn activity(analysis: &LifecycleAnalysis, name: &'static str, style: &ChartStyle) -> Figure {
    let lang = style.lang;
    let stats = &analysis.series.stats;
    let bars: Vec<PeriodBar> = stats
        .iter()
        .map(|s| PeriodBar {
            label: s.period.key.to_string(),
            new: s.new,
            returning: s.returning,
            reactivated: s.reactivated,
            retention: s.retention,
            partial: s.period.partial,
        })
        .collect();
    let words = ActivityWords {
        new: Text::LcNew.get(lang).into(),
        returning: Text::LcReturning.get(lang).into(),
        reactivated: Text::LcReactivated.get(lang).into(),
        retention: Text::LcRetention.get(lang).into(),
        partial: Text::LcPartialMark.get(lang).into(),
        customers: Text::Customers.get(lang).into(),
    };
    let table = stats.iter().fold(
        ChartTable::new([
            Text::LcPeriod.get(lang),
            Text::LcActive.get(lang),
            Text::LcNew.get(lang),
            Text::LcReturning.get(lang),
            Text::LcReactivated.get(lang),
            Text::LcRetention.get(lang),
        ]),
        |t, s| {
            t.row([
                period_label(s),
                format_number(s.active as f64, 0),
                format_number(s.new as f64, 0),
                count_text(s.returning),
                count_text(s.reactivated),
                share(s.retention),
            ])
        },
    );
    let finding = latest_rated(&analysis.series).map(|s| {
        sentence(
            Text::FindingLcActivity.get(lang),
            &[
                s.period.key.to_string(),
                format_number(s.active as f64, 0),
                share(s.retention),
                format_number(s.new as f64, 0),
            ],
        )
    });
    Figure::new(
        name,
        Text::LcActivityTitle.get(lang).into(),
        Text::DescLcActivity.get(lang),
        finding,
        table,
        render_activity_svg(&bars, &words, style),
        lang,
    )
}

fn cohort_rows_of(analysis: &LifecycleAnalysis, value: CohortValue) -> Vec<CohortRow> {
    analysis
        .cohorts
        .cohorts
        .iter()
        .map(|c| CohortRow {
            label: c.period.to_string(),
            size: c.size,
            small: c.small,
            cells: c
                .cells
                .iter()
                .map(|cell| match value {
                    CohortValue::Share => cell.share,
                    CohortValue::Sales => cell.sales_per_customer,
                })
                .collect(),
        })
        .collect()
}

fn cohort_words(analysis: &LifecycleAnalysis, value: CohortValue, lang: Lang) -> CohortWords {
    CohortWords {
        since: sentence(
            Text::LcSince.get(lang),
            &[cohort_grain_text(analysis.cohorts.grain)
                .get(lang)
                .to_string()],
        ),
        cohort: Text::LcCohortAxis.get(lang).into(),
        size: Text::LcCohortSize.get(lang).into(),
        value: cohort_value_text(value).get(lang).into(),
        small: sentence(Text::LcSmallCohort.get(lang), &[SMALL_COHORT.to_string()]),
    }
}

/// The name of what cohort cells show.
pub fn cohort_value_text(value: CohortValue) -> Text {
    match value {
        CohortValue::Share => Text::LcCohortShare,
        CohortValue::Sales => Text::LcCohortSales,
    }
}

fn cohort_value_display(value: CohortValue, v: Option<f64>) -> String {
    match (value, v) {
        (_, None) => String::new(),
        (CohortValue::Share, Some(v)) => format_percent(v, 1),
        (CohortValue::Sales, Some(v)) => format_money(v),
    }
}

fn cohort_chart_table(rows: &[CohortRow], value: CohortValue, lang: Lang) -> ChartTable {
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut header = vec![
        Text::LcCohortAxis.get(lang).to_string(),
        Text::LcCohortSize.get(lang).to_string(),
    ];
    header.extend((0..width).map(|k| k.to_string()));
    rows.iter().fold(ChartTable::new(header), |t, r| {
        let mut cells = vec![r.label.clone(), format_number(r.size as f64, 0)];
        cells.extend(r.cells.iter().map(|&v| cohort_value_display(value, v)));
        t.row(cells)
    })
}

/// The cohort heatmap.
pub fn cohort_heatmap(
    analysis: &LifecycleAnalysis,
    value: CohortValue,
    name: &'static str,
    style: &ChartStyle,
) -> Figure {
    let lang = style.lang;
    let rows = cohort_rows_of(analysis, value);
    let finding = cohort_finding(analysis, lang);
    Figure::new(
        name,
        Text::LcCohortTitle.get(lang).into(),
        Text::DescLcCohort.get(lang),
        finding,
        cohort_chart_table(&rows, value, lang),
        render_cohort_heatmap_svg(
            &rows,
            value.scale(),
            &cohort_words(analysis, value, lang),
            style,
        ),
        lang,
    )
}

/// Of the cohorts observed one period after their first, the mean share active then.
fn cohort_finding(analysis: &LifecycleAnalysis, lang: Lang) -> Option<String> {
    let second: Vec<f64> = analysis
        .cohorts
        .cohorts
        .iter()
        .filter_map(|c| c.cells.get(1).and_then(|cell| cell.share))
        .collect();
    if second.is_empty() {
        return None;
    }
    let mean = second.iter().sum::<f64>() / second.len() as f64;
    Some(sentence(
        Text::FindingLcCohort.get(lang),
        &[second.len().to_string(), format_percent(mean, 1)],
    ))
}

/// The retention curves, one per cohort.
pub fn cohort_curves(
    analysis: &LifecycleAnalysis,
    value: CohortValue,
    name: &'static str,
    style: &ChartStyle,
) -> Figure {
    let lang = style.lang;
    let rows = cohort_rows_of(analysis, value);
    Figure::new(
        name,
        Text::LcCurvesTitle.get(lang).into(),
        Text::DescLcCurves.get(lang),
        None,
        cohort_chart_table(&rows, value, lang),
        render_retention_curves_with_mean_svg(
            &rows,
            value.scale(),
            &cohort_words(analysis, value, lang),
            Text::LcMeanOfCohorts.get(lang),
            style,
        ),
        lang,
    )
}

/// The cohort table: a row per cohort (`cohort_size:<cohort>`), a cell per k
/// (`cohort_retention:<cohort>:<k>`, the share active — empty when not observed — or, showing
/// sales, `cohort_sales_per_customer:<cohort>:<k>`); small cohorts marked.
pub fn cohort_table(analysis: &LifecycleAnalysis, value: CohortValue, lang: Lang) -> CellTable {
    let cohorts = &analysis.cohorts.cohorts;
    let width = cohorts.iter().map(|c| c.cells.len()).max().unwrap_or(0);
    let mut header = vec![
        Text::LcCohortAxis.get(lang).to_string(),
        Text::LcCohortSize.get(lang).to_string(),
    ];
    header.extend((0..width).map(|k| k.to_string()));
    let mut table = CellTable {
        header,
        ..CellTable::default()
    };
    for c in cohorts {
        let key = c.period.to_string();
        let label = if c.small {
            format!("{key} *")
        } else {
            key.clone()
        };
        let mut row = vec![
            Cell::text(label),
            Cell::figure(
                format!("cohort_size:{key}"),
                Some(c.size as f64),
                format_number(c.size as f64, 0),
            ),
        ];
        row.extend(c.cells.iter().map(|cell| {
            let (name, v) = match value {
                CohortValue::Share => ("cohort_retention", cell.share),
                CohortValue::Sales => ("cohort_sales_per_customer", cell.sales_per_customer),
            };
            Cell::figure(
                format!("{name}:{key}:{}", cell.k),
                v,
                cohort_value_display(value, v),
            )
        }));
        table.rows.push(row);
        table.marked.push(c.small);
    }
    table
}

/// The cohort table as a long CSV: a row per cohort and k, with every figure.
pub fn cohort_csv(analysis: &LifecycleAnalysis, file: &str, lang: Lang) -> Csv {
    let header = [
        Text::LcCohortAxis,
        Text::LcCohortSize,
        Text::LcSmallColumn,
        Text::LcK,
        Text::LcPeriod,
        Text::LcObserved,
        Text::LcActive,
        Text::LcCohortShare,
        Text::Sales,
        Text::LcCohortSales,
    ]
    .into_iter()
    .map(|t| t.get(lang).to_string())
    .collect();
    let mut rows = Vec::new();
    for c in &analysis.cohorts.cohorts {
        for cell in &c.cells {
            use crate::engine::lifecycle::Observation;
            rows.push(vec![
                c.period.to_string(),
                c.size.to_string(),
                if c.small { "1" } else { "0" }.into(),
                cell.k.to_string(),
                cell.period.to_string(),
                match cell.observation {
                    Observation::Full => "full",
                    Observation::Partial => "partial",
                    Observation::NotObserved => "not_observed",
                }
                .into(),
                cell.active.map(|a| a.to_string()).unwrap_or_default(),
                optional(cell.share),
                optional(cell.sales),
                optional(cell.sales_per_customer),
            ]);
        }
    }
    Csv {
        file: file.into(),
        header,
        rows,
    }
}

fn days_text(days: Option<f64>, lang: Lang) -> String {
    days.map_or_else(
        || "–".into(),
        // Whole days as whole numbers (thresholds), interpolated quantiles with one decimal.
        |d| {
            let decimals = if d.fract() == 0.0 { 0 } else { 1 };
            sentence(Text::LcDays.get(lang), &[format_number(d, decimals)])
        },
    )
}

fn source_note(source: ThresholdSource, suggested: Option<u32>, lang: Lang) -> String {
    match (source, suggested) {
        (ThresholdSource::Suggested, _) => Text::LcSuggestedNote.get(lang).to_string(),
        (ThresholdSource::Given, Some(s)) => {
            sentence(Text::LcGivenNote.get(lang), &[s.to_string()])
        }
        (ThresholdSource::Given, None) => Text::LcGivenNoSuggestion.get(lang).to_string(),
    }
}

/// Inter-purchase figures: `ipt_median_days`, `ipt_q1_days`, `ipt_q3_days`, `ipt_p90_days`,
/// `lapse_threshold_days`, `at_risk_days`, `ipt_repeat_customers`.
pub fn gap_metrics(analysis: &LifecycleAnalysis, lang: Lang) -> Vec<Metric> {
    let lapse = &analysis.lapse;
    let ip = &lapse.inter_purchase;
    let days = |name: &'static str, label: Text, value: Option<f64>| {
        Metric::new(
            name,
            label.get(lang),
            value.unwrap_or(f64::NAN),
            days_text(value, lang),
        )
    };
    vec![
        days("ipt_median_days", Text::LcMedianGap, ip.median).note(sentence(
            Text::LcGapCount.get(lang),
            &[
                format_number(ip.gaps as f64, 0),
                format_number(ip.repeat_customers as f64, 0),
            ],
        )),
        days("ipt_q1_days", Text::LcQ1, ip.q1),
        days("ipt_q3_days", Text::LcQ3, ip.q3),
        days("ipt_p90_days", Text::LcP90, ip.p90),
        days(
            "lapse_threshold_days",
            Text::LcLapseThreshold,
            lapse.lapse_days.map(f64::from),
        )
        .note(source_note(
            lapse.lapse_source,
            lapse.suggested_lapse_days,
            lang,
        )),
        days(
            "at_risk_days",
            Text::LcAtRiskThreshold,
            lapse.at_risk_days.map(f64::from),
        )
        .note(match lapse.at_risk_source {
            ThresholdSource::Suggested => Text::LcAtRiskSuggestedNote.get(lang).to_string(),
            ThresholdSource::Given => Text::LcGivenNoSuggestion.get(lang).to_string(),
        }),
    ]
}

/// Bins of the inter-purchase histogram: about 40 of equal width up to the 99th percentile,
/// and one last bin for the rest.
fn gap_bins(analysis: &LifecycleAnalysis) -> Vec<GapBin> {
    let ip = &analysis.lapse.inter_purchase;
    let Some(&(max, _)) = ip.counts.last() else {
        return Vec::new();
    };
    let top = ip.quantile(0.99).map_or(max, |q| q.ceil() as u32).max(1);
    let width = top.div_ceil(40).max(1);
    let mut bins: Vec<GapBin> = Vec::new();
    for &(days, count) in &ip.counts {
        let index = (days.min(top.saturating_add(width)) / width) as usize;
        let bin_from = index as u32 * width;
        match bins.last_mut() {
            Some(last) if last.from == bin_from => last.gaps += count,
            _ => bins.push(GapBin {
                from: bin_from,
                to: bin_from + width - 1,
                gaps: count,
            }),
        }
    }
    if let Some(last) = bins.last_mut() {
        if last.to < max {
            last.to = max;
        }
    }
    bins
}

/// The inter-purchase histogram with the median and the two thresholds.
pub fn gap_histogram(
    analysis: &LifecycleAnalysis,
    name: &'static str,
    style: &ChartStyle,
) -> Figure {
    let lang = style.lang;
    let lapse = &analysis.lapse;
    let bins = gap_bins(analysis);
    let mut markers = Vec::new();
    if let Some(median) = lapse.inter_purchase.median {
        markers.push(Marker {
            days: median,
            label: Text::LcMedianGap.get(lang).into(),
        });
    }
    if let Some(days) = lapse.at_risk_days {
        markers.push(Marker {
            days: f64::from(days),
            label: Text::LcAtRiskThreshold.get(lang).into(),
        });
    }
    if let Some(days) = lapse.lapse_days {
        markers.push(Marker {
            days: f64::from(days),
            label: Text::LcLapseThreshold.get(lang).into(),
        });
    }
    let table = bins.iter().fold(
        ChartTable::new([Text::LcGapDays.get(lang), Text::LcGaps.get(lang)]),
        |t, b| {
            t.row([
                format!("{}–{}", b.from, b.to),
                format_number(b.gaps as f64, 0),
            ])
        },
    );
    let finding = match (lapse.inter_purchase.median, lapse.lapse_days) {
        (Some(median), Some(days)) => Some(sentence(
            Text::FindingLcGaps.get(lang),
            &[format_number(median, 1), days.to_string()],
        )),
        _ => None,
    };
    Figure::new(
        name,
        Text::LcGapTitle.get(lang).into(),
        Text::DescLcGap.get(lang),
        finding,
        table,
        render_gap_histogram_svg(
            &bins,
            &markers,
            &GapWords {
                days: Text::LcGapDays.get(lang).into(),
                gaps: Text::LcGaps.get(lang).into(),
            },
            style,
        ),
        lang,
    )
}

/// The name of a lapse status.
pub fn status_text(status: LapseStatus) -> Text {
    match status {
        LapseStatus::Active => Text::LcStatusActive,
        LapseStatus::AtRisk => Text::LcStatusAtRisk,
        LapseStatus::Lapsed => Text::LcStatusLapsed,
    }
}

/// Customers, sales and profit per lapse status: `lapse_customers:<status>`.
pub fn status_rows(analysis: &LifecycleAnalysis, lang: Lang) -> CellTable {
    let total: usize = analysis.lapse.summary.iter().map(|s| s.customers).sum();
    let mut table = CellTable {
        header: [
            Text::LcStatus,
            Text::Customers,
            Text::CustomerShare,
            Text::Sales,
            Text::Profit,
        ]
        .into_iter()
        .map(|t| t.get(lang).to_string())
        .collect(),
        ..CellTable::default()
    };
    for s in &analysis.lapse.summary {
        let part = (total > 0).then(|| s.customers as f64 / total as f64);
        table.rows.push(vec![
            Cell::text(status_text(s.status).get(lang).into()),
            Cell::figure(
                format!("lapse_customers:{}", s.status.as_str()),
                Some(s.customers as f64),
                format_number(s.customers as f64, 0),
            ),
            Cell::text(share(part)),
            Cell::text(format_money(s.sales)),
            Cell::text(format_money(s.profit)),
        ]);
        table.marked.push(false);
    }
    table
}

fn lapsing_header(lang: Lang) -> Vec<String> {
    [
        Text::CustomerId,
        Text::LcRecency,
        Text::LcLastPurchase,
        Text::Orders,
        Text::Sales,
        Text::Profit,
    ]
    .into_iter()
    .map(|t| t.get(lang).to_string())
    .collect()
}

fn customer_id(table: &CustomerTable, index: usize) -> &str {
    table.customers.get(index).map_or("", |c| c.id.as_str())
}

/// The customers of `status` (at risk or lapsed), most valuable first: the first [`LISTED`]
/// as a table (ids cut and isolated) and the count of the rest.
pub fn lapsing_rows(
    analysis: &LifecycleAnalysis,
    table: &CustomerTable,
    status: LapseStatus,
    lang: Lang,
) -> (CellTable, usize) {
    let list = lapsing_of(analysis, status);
    let mut out = CellTable {
        header: lapsing_header(lang),
        ..CellTable::default()
    };
    for c in list.iter().take(LISTED) {
        out.rows.push(vec![
            Cell::text(isolated(customer_id(table, c.index), ID_CHARS)),
            Cell::text(format_number(f64::from(c.recency_days), 0)),
            Cell::text(format_date(c.last_purchase, lang)),
            Cell::text(format_number(c.orders as f64, 0)),
            Cell::text(format_money(c.sales)),
            Cell::text(format_money(c.profit)),
        ]);
        out.marked.push(false);
    }
    (out, list.len().saturating_sub(LISTED))
}

fn lapsing_of(analysis: &LifecycleAnalysis, status: LapseStatus) -> &[LapsingCustomer] {
    match status {
        LapseStatus::AtRisk => &analysis.lapse.at_risk,
        LapseStatus::Lapsed => &analysis.lapse.lapsed,
        LapseStatus::Active => &[],
    }
}

/// Every at-risk and lapsed customer with its status and value, as a CSV.
pub fn lapsing_csv(
    analysis: &LifecycleAnalysis,
    table: &CustomerTable,
    file: &str,
    lang: Lang,
) -> Csv {
    let mut header = lapsing_header(lang);
    header.insert(1, Text::LcStatus.get(lang).to_string());
    let mut rows = Vec::new();
    for status in [LapseStatus::AtRisk, LapseStatus::Lapsed] {
        for c in lapsing_of(analysis, status) {
            rows.push(vec![
                customer_id(table, c.index).to_string(),
                status.as_str().to_string(),
                c.recency_days.to_string(),
                c.last_purchase.iso(),
                c.orders.to_string(),
                number(c.sales),
                number(c.profit),
            ]);
        }
    }
    Csv {
        file: file.into(),
        header,
        rows,
    }
}

/// The name of a division.
pub fn division_text(kind: DivisionKind) -> Text {
    match kind {
        DivisionKind::NewOld => Text::LcDivNewOld,
        DivisionKind::KeyScattered => Text::LcDivKeyScattered,
        DivisionKind::OneTimeRepeat => Text::LcDivOneTimeRepeat,
    }
}

/// The name of a division group.
pub fn group_text(group: DivisionGroup) -> Text {
    match group {
        DivisionGroup::New => Text::LcGroupNew,
        DivisionGroup::Old => Text::LcGroupOld,
        DivisionGroup::Key => Text::LcGroupKey,
        DivisionGroup::Scattered => Text::LcGroupScattered,
        DivisionGroup::OneTime => Text::LcGroupOneTime,
        DivisionGroup::Repeat => Text::LcGroupRepeat,
        DivisionGroup::NoPurchase => Text::LcGroupNoPurchase,
    }
}

/// The division table: `division_customers:<division>:<group>` per group, with shares of
/// customers, sales and profit.
pub fn division_rows(analysis: &LifecycleAnalysis, lang: Lang) -> CellTable {
    let mut table = CellTable {
        header: [
            Text::LcDivision,
            Text::LcGroup,
            Text::Customers,
            Text::CustomerShare,
            Text::Sales,
            Text::RevenueShare,
            Text::Profit,
            Text::LcProfitShare,
        ]
        .into_iter()
        .map(|t| t.get(lang).to_string())
        .collect(),
        ..CellTable::default()
    };
    for d in &analysis.divisions.divisions {
        for g in &d.groups {
            table.rows.push(vec![
                Cell::text(division_text(d.kind).get(lang).into()),
                Cell::text(group_text(g.group).get(lang).into()),
                Cell::figure(
                    format!(
                        "division_customers:{}:{}",
                        d.kind.as_str(),
                        g.group.as_str()
                    ),
                    Some(g.customers as f64),
                    format_number(g.customers as f64, 0),
                ),
                Cell::text(share(g.customer_share)),
                Cell::text(format_money(g.sales)),
                Cell::text(share(g.sales_share)),
                Cell::text(g.profit.map_or_else(|| "–".into(), format_money)),
                Cell::text(share(g.profit_share)),
            ]);
            table.marked.push(false);
        }
    }
    table
}

/// The division chart: customers against sales for each division.
pub fn division_chart(
    analysis: &LifecycleAnalysis,
    name: &'static str,
    style: &ChartStyle,
) -> Figure {
    let lang = style.lang;
    let mut bars = Vec::new();
    let mut table = ChartTable::new([
        Text::LcDivision.get(lang),
        Text::LcGroup.get(lang),
        Text::CustomerShare.get(lang),
        Text::RevenueShare.get(lang),
    ]);
    for d in &analysis.divisions.divisions {
        for g in d
            .groups
            .iter()
            .filter(|g| g.group != DivisionGroup::NoPurchase)
        {
            let division = division_text(d.kind).get(lang).to_string();
            let group = group_text(g.group).get(lang).to_string();
            table = table.row([
                division.clone(),
                group.clone(),
                share(g.customer_share),
                share(g.sales_share),
            ]);
            bars.push(DivisionBar {
                division,
                group,
                customers: g.customer_share.unwrap_or(0.0),
                sales: g.sales_share,
            });
        }
    }
    let key = analysis
        .divisions
        .divisions
        .iter()
        .find(|d| d.kind == DivisionKind::KeyScattered)
        .and_then(|d| d.groups.iter().find(|g| g.group == DivisionGroup::Key));
    let finding = key.and_then(|g| {
        Some(sentence(
            Text::FindingLcDivision.get(lang),
            &[share(g.customer_share), share(Some(g.sales_share?))],
        ))
    });
    Figure::new(
        name,
        Text::LcDivisionTitle.get(lang).into(),
        Text::DescLcDivision.get(lang),
        finding,
        table,
        render_division_svg(
            &bars,
            &DivisionWords {
                customers: Text::CustomerShare.get(lang).into(),
                sales: Text::RevenueShare.get(lang).into(),
            },
            style,
        ),
        lang,
    )
}

/// A date range as written: `2024-01-01 – 2024-01-31`.
pub fn range_text(range: DateRange, lang: Lang) -> String {
    format!(
        "{} – {}",
        format_date(range.first, lang),
        format_date(range.last, lang)
    )
}

/// The two periods of a comparison, in one line.
pub fn comparison_facts(a: DateRange, b: DateRange, top_deciles: u8, lang: Lang) -> String {
    sentence(
        Text::LcComparisonFacts.get(lang),
        &[
            range_text(a, lang),
            range_text(b, lang),
            top_deciles.to_string(),
        ],
    )
}

fn from_label(from: From, lang: Lang) -> String {
    match from {
        From::Decile(d) => sentence(Text::LcDecileN.get(lang), &[d.to_string()]),
        From::New => Text::LcNewInB.get(lang).into(),
    }
}

fn to_label(to: To, lang: Lang) -> String {
    match to {
        To::Decile(d) => sentence(Text::LcDecileN.get(lang), &[d.to_string()]),
        To::Lapsed => Text::LcLapsedInB.get(lang).into(),
    }
}

const ROWS: [From; 11] = [
    From::Decile(1),
    From::Decile(2),
    From::Decile(3),
    From::Decile(4),
    From::Decile(5),
    From::Decile(6),
    From::Decile(7),
    From::Decile(8),
    From::Decile(9),
    From::Decile(10),
    From::New,
];
const COLUMNS: [To; 11] = [
    To::Decile(1),
    To::Decile(2),
    To::Decile(3),
    To::Decile(4),
    To::Decile(5),
    To::Decile(6),
    To::Decile(7),
    To::Decile(8),
    To::Decile(9),
    To::Decile(10),
    To::Lapsed,
];

/// The decile transition matrix as a table: `decile_transition:<from>:<to>` in every cell
/// (customers; the cell "new → lapsed" does not exist and is left blank).
pub fn transition_table(movement: &Movement, lang: Lang) -> CellTable {
    let mut header = vec![format!(
        "{} \\ {}",
        Text::LcPeriodA.get(lang),
        Text::LcPeriodB.get(lang)
    )];
    header.extend(COLUMNS.iter().map(|&to| to_label(to, lang)));
    let mut table = CellTable {
        header,
        ..CellTable::default()
    };
    for from in ROWS {
        let mut row = vec![Cell::text(from_label(from, lang))];
        for to in COLUMNS {
            if from == From::New && to == To::Lapsed {
                row.push(Cell::text(String::new()));
                continue;
            }
            let count = movement.cell(from, to).map_or(0, |t| t.customers);
            row.push(Cell::figure(
                format!("decile_transition:{}:{}", from.name(), to.name()),
                Some(count as f64),
                format_number(count as f64, 0),
            ));
        }
        table.rows.push(row);
        table.marked.push(false);
    }
    table
}

/// The decile transition matrix drawn as a heatmap.
pub fn transition_chart(movement: &Movement, name: &'static str, style: &ChartStyle) -> Figure {
    let lang = style.lang;
    let matrix = Matrix {
        rows: ROWS.iter().map(|&f| from_label(f, lang)).collect(),
        columns: COLUMNS.iter().map(|&t| to_label(t, lang)).collect(),
        cells: ROWS
            .iter()
            .map(|&from| {
                COLUMNS
                    .iter()
                    .map(|&to| movement.cell(from, to).map_or(0, |t| t.customers))
                    .collect()
            })
            .collect(),
        row_title: Text::LcDecileInA.get(lang).into(),
        column_title: Text::LcDecileInB.get(lang).into(),
    };
    let mut table = ChartTable::new([
        Text::LcDecileInA.get(lang),
        Text::LcDecileInB.get(lang),
        Text::Customers.get(lang),
    ]);
    for t in movement.matrix.iter().filter(|t| t.customers > 0) {
        table = table.row([
            from_label(t.from, lang),
            to_label(t.to, lang),
            format_number(t.customers as f64, 0),
        ]);
    }
    let stayed: usize = movement
        .matrix
        .iter()
        .filter(|t| matches!((t.from, t.to), (From::Decile(a), To::Decile(b)) if a == b))
        .map(|t| t.customers)
        .sum();
    let lapsed: usize = movement
        .matrix
        .iter()
        .filter(|t| t.to == To::Lapsed)
        .map(|t| t.customers)
        .sum();
    let finding = Some(sentence(
        Text::FindingLcTransition.get(lang),
        &[
            format_number(movement.active_a as f64, 0),
            format_number(stayed as f64, 0),
            format_number(lapsed as f64, 0),
        ],
    ));
    Figure::new(
        name,
        Text::LcTransitionTitle.get(lang).into(),
        Text::DescLcTransition.get(lang),
        finding,
        table,
        render_matrix_svg(&matrix, style),
        lang,
    )
}

fn lost_header(lang: Lang) -> Vec<String> {
    [
        Text::CustomerId,
        Text::LcDecileA,
        Text::LcSalesA,
        Text::LcOrdersA,
        Text::LcProfitA,
        Text::LcSalesB,
    ]
    .into_iter()
    .map(|t| t.get(lang).to_string())
    .collect()
}

/// The valuable customers of A lapsed in B, most valuable first: the first [`LISTED`] and how
/// many more.
pub fn lost_top_rows(movement: &Movement, table: &CustomerTable, lang: Lang) -> (CellTable, usize) {
    let mut out = CellTable {
        header: lost_header(lang),
        ..CellTable::default()
    };
    for c in movement.lost_top.iter().take(LISTED) {
        out.rows.push(vec![
            Cell::text(isolated(customer_id(table, c.index), ID_CHARS)),
            Cell::text(c.decile_a.to_string()),
            Cell::text(format_money(c.sales_a)),
            Cell::text(format_number(f64::from(c.orders_a), 0)),
            Cell::text(format_money(c.profit_a)),
            Cell::text(format_money(c.sales_b)),
        ]);
        out.marked.push(false);
    }
    (out, movement.lost_top.len().saturating_sub(LISTED))
}

/// The headline of the valuable customers lost: `lost_top_customers` and their sales in A
/// (`lost_top_sales_a`).
pub fn lost_top_metrics(movement: &Movement, lang: Lang) -> Vec<Metric> {
    let sales: f64 = movement.lost_top.iter().map(|c| c.sales_a).sum();
    vec![
        Metric::count(
            "lost_top_customers",
            &sentence(
                Text::LcLostTopCount.get(lang),
                &[movement.top_deciles.to_string()],
            ),
            movement.lost_top.len() as u64,
        )
        .tone("warn"),
        Metric::new(
            "lost_top_sales_a",
            Text::LcLostTopSales.get(lang),
            sales,
            format_money(sales),
        ),
    ]
}

/// Every valuable customer of A lapsed in B, as a CSV.
pub fn lost_top_csv(movement: &Movement, table: &CustomerTable, file: &str, lang: Lang) -> Csv {
    Csv {
        file: file.into(),
        header: lost_header(lang),
        rows: movement
            .lost_top
            .iter()
            .map(|c| {
                vec![
                    customer_id(table, c.index).to_string(),
                    c.decile_a.to_string(),
                    number(c.sales_a),
                    c.orders_a.to_string(),
                    number(c.profit_a),
                    number(c.sales_b),
                ]
            })
            .collect(),
    }
}

/// The states of a migration in matrix order: not yet, the rules in table order, Other.
fn migration_states(migration: &Migration) -> Vec<SegmentState> {
    let rules = migration.after.segmentation.rules.rules.len();
    let mut states = vec![SegmentState::NotYet];
    states.extend((0..rules).map(|r| SegmentState::Segment(u16::try_from(r).ok())));
    states.push(SegmentState::Segment(None));
    states
}

/// A migration state as shown: a segment's name in `lang` (cut and isolated), "not yet a
/// customer", or "Other".
pub fn state_label(migration: &Migration, state: SegmentState, lang: Lang) -> String {
    match state {
        SegmentState::NotYet => Text::LcNotYet.get(lang).into(),
        SegmentState::Segment(rule) => isolated(
            &super::rfm::rule_name(&migration.after.segmentation.rules, rule, lang),
            SEGMENT_CHARS,
        ),
    }
}

fn migration_count(migration: &Migration, from: SegmentState, to: SegmentState) -> usize {
    migration
        .moves
        .iter()
        .find(|m| m.from == from && m.to == to)
        .map_or(0, |m| m.customers)
}

/// The segment migration as a table: `segment_migration:<from>:<to>` in every cell (the
/// English names of the segments, `not_yet`, `Other`); columns are the segments of the second
/// day (nobody is "not yet" then).
pub fn migration_table(migration: &Migration, lang: Lang) -> CellTable {
    let states = migration_states(migration);
    let columns: Vec<SegmentState> = states
        .iter()
        .copied()
        .filter(|s| *s != SegmentState::NotYet)
        .collect();
    let mut header = vec![Text::LcMigrationCorner.get(lang).to_string()];
    header.extend(columns.iter().map(|&s| state_label(migration, s, lang)));
    let mut table = CellTable {
        header,
        ..CellTable::default()
    };
    for &from in &states {
        let mut row = vec![Cell::text(state_label(migration, from, lang))];
        for &to in &columns {
            let count = migration_count(migration, from, to);
            row.push(Cell::figure(
                format!(
                    "segment_migration:{}:{}",
                    migration.state_name(from),
                    migration.state_name(to)
                ),
                Some(count as f64),
                format_number(count as f64, 0),
            ));
        }
        table.rows.push(row);
        table.marked.push(false);
    }
    table
}

/// The migration as a flow chart (states with customers only).
pub fn migration_flow(
    migration: &Migration,
    first: Day,
    second: Day,
    name: &'static str,
    style: &ChartStyle,
) -> Figure {
    let lang = style.lang;
    let states = migration_states(migration);
    let used = |left: bool| -> Vec<SegmentState> {
        states
            .iter()
            .copied()
            .filter(|&s| {
                migration
                    .moves
                    .iter()
                    .any(|m| (if left { m.from } else { m.to }) == s && m.customers > 0)
            })
            .collect()
    };
    let (left, right) = (used(true), used(false));
    let flows: Vec<Flow> = migration
        .moves
        .iter()
        .filter_map(|m| {
            Some(Flow {
                from: left.iter().position(|&s| s == m.from)?,
                to: right.iter().position(|&s| s == m.to)?,
                customers: m.customers,
            })
        })
        .collect();
    let mut table = ChartTable::new([
        sentence(Text::LcOnDay.get(lang), &[format_date(first, lang)]),
        sentence(Text::LcOnDay.get(lang), &[format_date(second, lang)]),
        Text::Customers.get(lang).to_string(),
        Text::LcSalesBefore.get(lang).to_string(),
        Text::LcSalesAfter.get(lang).to_string(),
    ]);
    for m in &migration.moves {
        table = table.row([
            state_label(migration, m.from, lang),
            state_label(migration, m.to, lang),
            format_number(m.customers as f64, 0),
            format_money(m.sales_before),
            format_money(m.sales_after),
        ]);
    }
    let moved: usize = migration
        .moves
        .iter()
        .filter(|m| m.from != m.to && m.from != SegmentState::NotYet)
        .map(|m| m.customers)
        .sum();
    let scored_before: usize = migration
        .moves
        .iter()
        .filter(|m| m.from != SegmentState::NotYet)
        .map(|m| m.customers)
        .sum();
    let finding = Some(sentence(
        Text::FindingLcMigration.get(lang),
        &[
            format_number(moved as f64, 0),
            format_number(scored_before as f64, 0),
        ],
    ));
    Figure::new(
        name,
        Text::LcMigrationTitle.get(lang).into(),
        Text::DescLcMigration.get(lang),
        finding,
        table,
        render_flow_svg(
            &left
                .iter()
                .map(|&s| state_label(migration, s, lang))
                .collect::<Vec<_>>(),
            &right
                .iter()
                .map(|&s| state_label(migration, s, lang))
                .collect::<Vec<_>>(),
            &flows,
            &FlowWords {
                left: format_date(first, lang),
                right: format_date(second, lang),
            },
            style,
        ),
        lang,
    )
}

/// Every cell of the migration with customers, as a CSV (segment names whole).
pub fn migration_csv(migration: &Migration, file: &str, lang: Lang) -> Csv {
    let whole = |state: SegmentState| match state {
        SegmentState::NotYet => Text::LcNotYet.get(lang).to_string(),
        SegmentState::Segment(rule) => {
            super::rfm::rule_name(&migration.after.segmentation.rules, rule, lang)
        }
    };
    Csv {
        file: file.into(),
        header: [
            Text::LcFromSegment,
            Text::LcToSegment,
            Text::Customers,
            Text::LcSalesBefore,
            Text::LcSalesAfter,
        ]
        .into_iter()
        .map(|t| t.get(lang).to_string())
        .collect(),
        rows: migration
            .moves
            .iter()
            .map(|m| {
                vec![
                    whole(m.from),
                    whole(m.to),
                    m.customers.to_string(),
                    number(m.sales_before),
                    number(m.sales_after),
                ]
            })
            .collect(),
    }
}

/// The report's sentence about the lifecycle: the latest whole period's retention and churn,
/// the median inter-purchase time and the customers lapsed.
pub fn report_summary(analysis: &LifecycleAnalysis, lang: Lang) -> Option<String> {
    let s = latest_rated(&analysis.series)?;
    let lapsed = analysis
        .lapse
        .summary
        .iter()
        .find(|x| x.status == LapseStatus::Lapsed)
        .map_or(0, |x| x.customers);
    Some(sentence(
        Text::LcReportSummary.get(lang),
        &[
            s.period.key.to_string(),
            share(s.retention),
            count_text(s.returning),
            count_text(s.previous_active),
            share(s.churn),
            days_text(analysis.lapse.inter_purchase.median, lang),
            format_number(lapsed as f64, 0),
            analysis
                .lapse
                .lapse_days
                .map_or_else(|| "–".into(), |d| d.to_string()),
        ],
    ))
}

/// The report's method note: the definitions and the parameters chosen.
pub fn method_note(analysis: &LifecycleAnalysis, lang: Lang) -> Note {
    let config = &analysis.config;
    Note {
        label: Text::LcTitle.get(lang).to_string(),
        value: sentence(
            Text::LcReportNote.get(lang),
            &[
                facts(analysis, lang),
                cohort_grain_text(config.cohort_grain).get(lang).to_string(),
                format_percent(config.addon_threshold, 0),
                analysis
                    .lapse
                    .lapse_days
                    .map_or_else(|| "–".into(), |d| d.to_string()),
            ],
        ),
    }
}

/// The value of a `data-value` attribute for a cell (empty when there is none).
pub fn cell_raw(cell: &DataCell) -> String {
    raw_value(cell.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lifecycle::{analyse_lifecycle, window};

    const HAND: &str = include_str!("../../tests/fixtures/lifecycle/hand.csv");

    /// `customer,order,date,amount,quantity` through the aggregator the import uses.
    fn load(text: &str) -> (CustomerTable, PurchaseHistory) {
        crate::engine::test_support::aggregate(text, true)
    }

    fn analysis() -> (CustomerTable, PurchaseHistory, LifecycleAnalysis) {
        let (table, history) = load(HAND);
        let analysis = analyse_lifecycle(&table, &history, &LifecycleConfig::default()).unwrap();
        (table, history, analysis)
    }

    fn cells(table: &CellTable) -> Vec<&DataCell> {
        table
            .rows
            .iter()
            .flatten()
            .filter_map(|c| c.data.as_ref())
            .collect()
    }

    #[test]
    fn the_tables_carry_every_figure_of_the_contract() {
        let (_, _, a) = analysis();
        let mut shown: Vec<(String, String)> = cells(&period_rows(&a.series, true, Lang::En))
            .into_iter()
            .chain(cells(&cohort_table(&a, CohortValue::Share, Lang::En)))
            .map(|c| (c.metric.clone(), c.raw()))
            .collect();
        shown.extend(
            gap_metrics(&a, Lang::En)
                .iter()
                .filter(|m| m.name == "ipt_median_days" || m.name == "lapse_threshold_days")
                .map(|m| (m.name.to_string(), m.raw())),
        );
        let mut expected: Vec<(String, String)> = a
            .figures()
            .into_iter()
            .map(|f| (f.name, raw_value(f.value.unwrap_or(f64::NAN))))
            .collect();
        shown.sort();
        expected.sort();
        assert_eq!(shown, expected);
    }

    #[test]
    fn hand_answers_as_shown() {
        let (_, _, a) = analysis();
        let rows = period_rows(&a.series, true, Lang::En);
        let find = |name: &str| {
            cells(&rows)
                .into_iter()
                .find(|c| c.metric == name)
                .map(|c| c.display.clone())
        };
        // February: A and B active in January, A returns: 1 of 2.
        assert_eq!(find("lc_retention:2024-02").as_deref(), Some("50.0%"));
        assert_eq!(find("lc_active:2024-03").as_deref(), Some("3"));
        let retention_row = &rows.rows[1];
        assert_eq!(retention_row[6].detail.as_deref(), Some("1 of 2"));
        // Cohorts after the data ends are blank, never 0 %.
        let cohorts = cohort_table(&a, CohortValue::Share, Lang::En);
        let unobserved = cells(&cohorts)
            .into_iter()
            .find(|c| c.metric == "cohort_retention:2024-03:2")
            .unwrap();
        assert_eq!(unobserved.raw(), "");
        assert_eq!(unobserved.display, "");
    }

    #[test]
    fn words_in_both_languages() {
        let (_, _, a) = analysis();
        for lang in [Lang::Zh, Lang::En] {
            let facts = facts(&a, lang);
            assert!(!facts.contains('{'), "{facts}");
            let definitions = definitions(lang);
            assert_eq!(definitions.len(), 11);
            assert!(definitions
                .iter()
                .all(|(t, d)| !t.is_empty() && !d.is_empty()));
            let headline = headline(&a, lang);
            assert!(headline.iter().any(|m| m.name == "lc_latest_retention"));
            assert!(report_summary(&a, lang).is_some_and(|s| !s.contains('{')));
            assert!(!method_note(&a, lang).value.contains('{'));
        }
        assert!(facts(&a, Lang::Zh).contains("分析日期"));
        assert_eq!(days_text(Some(113.0), Lang::En), "113 days");
        assert_eq!(days_text(Some(22.5), Lang::Zh), "22.5 天");
    }

    #[test]
    fn csvs_hold_every_row() {
        let (table, _, a) = analysis();
        let periods = period_csv(&a.series, "periods", Lang::En);
        assert_eq!(periods.rows.len(), a.series.stats.len());
        assert!(periods.rows.iter().all(|r| r.len() == periods.header.len()));
        let cohorts = cohort_csv(&a, "cohorts", Lang::En);
        let cells: usize = a.cohorts.cohorts.iter().map(|c| c.cells.len()).sum();
        assert_eq!(cohorts.rows.len(), cells);
        assert!(cohorts.document().contains("not_observed"));
        let lapsing = lapsing_csv(&a, &table, "lapsing", Lang::En);
        assert_eq!(
            lapsing.rows.len(),
            a.lapse.at_risk.len() + a.lapse.lapsed.len()
        );
    }

    #[test]
    fn movement_and_migration_tables() {
        let (table, history, a) = analysis();
        let (pa, pb) = a.series.last_two_whole().unwrap();
        let w = window(&table, &history, None).unwrap();
        let m = movement(&history, &w, pa, pb, 2, &a.config).unwrap();
        let t = transition_table(&m, Lang::En);
        assert_eq!(t.rows.len(), 11);
        let shown: Vec<(String, String)> = cells(&t)
            .into_iter()
            .filter(|c| c.value > 0.0)
            .map(|c| (c.metric.clone(), c.raw()))
            .collect();
        let expected: Vec<(String, String)> = m
            .figures()
            .into_iter()
            .filter(|f| f.value.is_some_and(|v| v > 0.0))
            .map(|f| (f.name, raw_value(f.value.unwrap())))
            .collect();
        let (mut shown, mut expected) = (shown, expected);
        shown.sort();
        expected.sort();
        assert_eq!(shown, expected);
        let series = compare_ranges(&table, &history, pa, pb, &a.config).unwrap();
        assert_eq!(period_rows(&series, false, Lang::En).rows.len(), 2);
        let migration = crate::engine::lifecycle::segment_migration(
            &table,
            &history,
            pb.first,
            w.analysis_day,
            &RfmConfig::default(),
            &SegmentRules::default(),
        )
        .unwrap();
        let t = migration_table(&migration, Lang::En);
        let total: f64 = cells(&t).iter().map(|c| c.value).sum();
        assert_eq!(total as usize, migration.after.scores.customers.len());
        let csv = migration_csv(&migration, "m", Lang::Zh);
        assert_eq!(csv.rows.len(), migration.moves.len());
    }

    #[test]
    fn every_chart_is_drawn_in_both_languages() {
        let (table, history, a) = analysis();
        let settings = Settings::default();
        let comparison = compare(&table, &history, &a, &settings).unwrap();
        let migration = migrate(
            &table,
            &history,
            &a,
            &settings,
            &RfmConfig::default(),
            &SegmentRules::default(),
        )
        .unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let style = ChartStyle::new(lang);
            let figures = [
                activity(&a, "a", &style),
                cohort_heatmap(&a, CohortValue::Share, "h", &style),
                cohort_heatmap(&a, CohortValue::Sales, "hs", &style),
                cohort_curves(&a, CohortValue::Share, "c", &style),
                gap_histogram(&a, "g", &style),
                division_chart(&a, "d", &style),
                transition_chart(&comparison.movement, "t", &style),
                migration_flow(
                    &migration.migration,
                    migration.first,
                    migration.second,
                    "m",
                    &style,
                ),
            ];
            for figure in figures {
                let svg = figure
                    .svg
                    .as_ref()
                    .unwrap_or_else(|e| panic!("{}: {e}", figure.name));
                assert!(svg.starts_with("<svg"), "{}", figure.name);
                assert!(!figure.title.is_empty() && !figure.desc.contains('{'));
                assert!(!figure.table.rows.is_empty(), "{}", figure.name);
            }
        }
    }

    #[test]
    fn too_few_whole_periods_to_compare_is_a_typed_error() {
        let (table, history, _) = analysis();
        let config = LifecycleConfig {
            grain: Grain::Year,
            ..LifecycleConfig::default()
        };
        let a = analyse_lifecycle(&table, &history, &config).unwrap();
        let settings = Settings {
            config,
            ..Settings::default()
        };
        assert!(matches!(
            compare(&table, &history, &a, &settings),
            Err(Error::Parameter {
                reason: ParameterProblem::TooFewWholePeriods { whole: 0 },
                ..
            })
        ));
    }
}
