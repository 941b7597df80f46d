//! Everything at once ([`analyse_lifecycle`]) and the figures tools and tests read.

use super::cohorts::CohortTally;
use super::division::DivisionTally;
use super::gaps::GapTally;
use super::scan::visit_all;
use super::series::SeriesTally;
use super::*;
use crate::engine::deciles::Figure;

/// The lifecycle analysis of one configuration ([`analyse_lifecycle`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LifecycleAnalysis {
    /// The configuration used.
    pub config: LifecycleConfig,
    /// The days covered.
    pub window: Window,
    /// Per-period figures of [`LifecycleConfig::grain`].
    pub series: Series,
    /// The cohort table of [`LifecycleConfig::cohort_grain`].
    pub cohorts: Cohorts,
    /// Inter-purchase times and the lapse rule.
    pub lapse: Lapse,
    /// New / old, key / scattered, one-time / repeat.
    pub divisions: Divisions,
}

/// The period series, cohorts, inter-purchase times with the lapse rule, and the customer
/// division of a table and its purchase days (see the module docs of
/// [`crate::engine::lifecycle`]). Movement between two periods and RFM migration take two
/// periods or days: [`movement()`], [`segment_migration`]; two custom ranges: [`compare_ranges`].
///
/// # Errors
/// [`LifecycleConfig::validate`], [`window`] and [`cohorts()`].
pub fn analyse_lifecycle(
    table: &(impl CustomerDays + ?Sized),
    history: &PurchaseHistory,
    config: &LifecycleConfig,
) -> Result<LifecycleAnalysis> {
    config.validate()?;
    let window = window(table, history, config.analysis_day)?;
    // One pass over the customers' days for all four.
    let periods = Periods::of_grain(config.grain, &window);
    let mut series = SeriesTally::new(periods, config, history.has_quantity());
    let mut cohorts = CohortTally::new(&window, config);
    let mut gaps = GapTally::with_capacity(config, history.len());
    let mut division = DivisionTally::with_capacity(history.len());
    visit_all(
        history,
        &window,
        config.returns_count_as_activity,
        &mut [&mut series, &mut cohorts, &mut gaps, &mut division],
    );
    let series = series.finish();
    let cohorts = cohorts.finish()?;
    let lapse = gaps.finish(history, &window, config);
    let divisions = division.finish(&window, config, history.has_profit());
    Ok(LifecycleAnalysis {
        config: config.clone(),
        window,
        series,
        cohorts,
        lapse,
        divisions,
    })
}

/// The figures of two custom ranges, B compared with A (the same [`PeriodStats`] as a series
/// of two periods).
///
/// # Errors
/// Those of [`LifecycleConfig::validate`], [`window`] and [`Periods::of_ranges`].
pub fn compare_ranges(
    table: &(impl CustomerDays + ?Sized),
    history: &PurchaseHistory,
    a: DateRange,
    b: DateRange,
    config: &LifecycleConfig,
) -> Result<Series> {
    config.validate()?;
    let window = window(table, history, config.analysis_day)?;
    let periods = Periods::of_ranges(a, b, &window)?;
    Ok(period_series(history, periods, &window, config))
}

impl LifecycleAnalysis {
    /// The figures for automation (`data-metric` in the UI), in this order: per period
    /// `lc_active:<period>`, `lc_new:<period>`, `lc_retention:<period>`, `lc_churn:<period>`,
    /// `lc_repeat_rate:<period>` (rates `None` when left out or undefined); per cohort
    /// `cohort_size:<cohort>` and `cohort_retention:<cohort>:<k>` for every k (`None` when not
    /// observed); then `ipt_median_days` and `lapse_threshold_days`. Periods and cohorts are
    /// written `2024-01`, `2024-Q1`, `2024`.
    pub fn figures(&self) -> Vec<Figure> {
        let mut figures = Vec::new();
        let mut push = |name: String, value: Option<f64>| figures.push(Figure { name, value });
        for stats in &self.series.stats {
            let key = stats.period.key;
            push(format!("lc_active:{key}"), Some(stats.active as f64));
            push(format!("lc_new:{key}"), Some(stats.new as f64));
            push(format!("lc_retention:{key}"), stats.retention);
            push(format!("lc_churn:{key}"), stats.churn);
            push(format!("lc_repeat_rate:{key}"), stats.repeat_rate);
        }
        for cohort in &self.cohorts.cohorts {
            let key = cohort.period;
            push(format!("cohort_size:{key}"), Some(cohort.size as f64));
            for cell in &cohort.cells {
                push(format!("cohort_retention:{key}:{}", cell.k), cell.share);
            }
        }
        push("ipt_median_days".into(), self.lapse.inter_purchase.median);
        push(
            "lapse_threshold_days".into(),
            self.lapse.lapse_days.map(f64::from),
        );
        figures
    }
}

impl Movement {
    /// `decile_transition:<from>:<to>` (customers) for every cell, rows then columns.
    pub fn figures(&self) -> Vec<Figure> {
        self.matrix
            .iter()
            .map(|t| Figure {
                name: format!("decile_transition:{}:{}", t.from.name(), t.to.name()),
                value: Some(t.customers as f64),
            })
            .collect()
    }
}

impl Migration {
    /// `segment_migration:<from>:<to>` (customers) for every cell with customers, states named
    /// by [`Migration::state_name`].
    pub fn figures(&self) -> Vec<Figure> {
        self.moves
            .iter()
            .map(|m| Figure {
                name: format!(
                    "segment_migration:{}:{}",
                    self.state_name(m.from),
                    self.state_name(m.to)
                ),
                value: Some(m.customers as f64),
            })
            .collect()
    }
}
