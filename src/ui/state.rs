//! The app's state: signals shared through context, and the derived data the views read.

use std::sync::Arc;

use leptos::prelude::*;

use crate::engine::clusters::{analyse_clusters, ClusterAnalysis};
use crate::engine::clv::{ClvAnalysis, ClvConfig};
use crate::engine::deciles::{analyse_deciles, DecileAnalysis, GroupConfig};
use crate::engine::dimensions::CustomerAttributes;
use crate::engine::error::Error;
use crate::engine::history::PurchaseHistory;
use crate::engine::ingest::{ImportOutcome, Preview};
use crate::engine::lifecycle::{analyse_lifecycle, LifecycleAnalysis, LifecycleConfig};
use crate::engine::loyalty::{analyse_loyalty, LoyaltyAnalysis, LoyaltyConfig, Orders};
use crate::engine::monthly::{monthly_sales, MonthlySales};
use crate::engine::rfm::{analyse_rfm, RfmAnalysis, RfmConfig, SegmentRules};
use crate::engine::summary::{summarize, Summary};
use crate::engine::survey::Survey;
use crate::engine::swot::Workbench;
use crate::i18n::{Lang, Text};
pub use crate::present::lifecycle::Settings as LifecycleSettings;
use crate::present::lifecycle::{compare, migrate, Comparison, MigrationView};
pub use crate::session::{Job, Progress, Source};

/// The views in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Import and overview.
    Data,
    /// Purchase deciles.
    Deciles,
    /// RFM.
    Rfm,
    /// Customer lifecycle.
    Lifecycle,
    /// CLV and prediction.
    Clv,
    /// Loyalty and satisfaction.
    Loyalty,
    /// SWOT.
    Swot,
    /// The printable report.
    Report,
}

impl View {
    /// All views, in navigation order.
    pub const ALL: [View; 8] = [
        View::Data,
        View::Deciles,
        View::Rfm,
        View::Lifecycle,
        View::Clv,
        View::Loyalty,
        View::Swot,
        View::Report,
    ];

    /// The URL fragment (`#/deciles`).
    pub fn slug(self) -> &'static str {
        match self {
            View::Data => "data",
            View::Deciles => "deciles",
            View::Rfm => "rfm",
            View::Lifecycle => "lifecycle",
            View::Clv => "clv",
            View::Loyalty => "loyalty",
            View::Swot => "swot",
            View::Report => "report",
        }
    }

    /// The view of a URL fragment.
    pub fn from_hash(hash: &str) -> View {
        let slug = hash.trim_start_matches('#').trim_start_matches('/');
        View::ALL
            .into_iter()
            .find(|v| v.slug() == slug)
            .unwrap_or(View::Data)
    }

    /// The navigation label.
    pub fn label(self) -> Text {
        match self {
            View::Data => Text::NavData,
            View::Deciles => Text::NavDeciles,
            View::Rfm => Text::NavRfm,
            View::Lifecycle => Text::NavLifecycle,
            View::Clv => Text::NavClv,
            View::Loyalty => Text::NavLoyalty,
            View::Swot => Text::NavSwot,
            View::Report => Text::NavReport,
        }
    }
}

/// A loaded data set and everything derived from it once.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedData {
    /// File name shown to the user.
    pub file_name: String,
    /// Where it came from.
    pub source: Source,
    /// The import's result.
    pub outcome: ImportOutcome,
    /// Headline figures.
    pub summary: Summary,
    /// Net sales per month.
    pub monthly: Vec<MonthlySales>,
}

impl LoadedData {
    /// Builds the derived figures.
    pub fn new(file_name: String, source: Source, outcome: ImportOutcome) -> Self {
        let summary = summarize(&outcome.table, &outcome.report);
        let monthly = monthly_sales(&outcome.table);
        LoadedData {
            file_name,
            source,
            outcome,
            summary,
            monthly,
        }
    }
}

impl LoadedData {
    /// Every customer's purchase days, in the order of `outcome.table` (what the lifecycle
    /// analysis reads, [`crate::engine::lifecycle::analyse_lifecycle`]); shared, so a memo may
    /// keep a clone. `None` for data reopened from a workspace saved without them: the lifecycle
    /// view then asks for the file again.
    pub fn history(&self) -> Option<&Arc<PurchaseHistory>> {
        self.outcome.purchase_history()
    }

    /// Takes figures the worker already derived.
    pub fn from_parts(
        file_name: String,
        source: Source,
        outcome: ImportOutcome,
        summary: Summary,
        monthly: Vec<MonthlySales>,
    ) -> Self {
        LoadedData {
            file_name,
            source,
            outcome,
            summary,
            monthly,
        }
    }
}

/// A satisfaction survey read on the page (issue 16).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedSurvey {
    /// The survey file's name.
    pub file_name: String,
    /// What was read from it.
    pub survey: Arc<Survey>,
    /// The file's bytes, to read it again with another scale or combination; `None` for a
    /// survey reopened from a workspace.
    pub bytes: Option<Arc<Vec<u8>>>,
}

/// Why a survey file was not read.
#[derive(Debug, Clone, PartialEq)]
pub enum SurveyProblem {
    /// Larger than [`crate::ui::components::survey::SURVEY_MAX_BYTES`].
    TooLarge,
    /// The browser could not read the file.
    Unreadable,
    /// The import refused it.
    Import(Error),
}

/// Signals shared by every component (`expect_context::<AppState>()`).
#[derive(Clone, Copy)]
pub struct AppState {
    /// UI language.
    pub lang: RwSignal<Lang>,
    /// Current view.
    pub view: RwSignal<View>,
    /// The loaded data set, if any.
    pub data: RwSignal<Option<Arc<LoadedData>>>,
    /// The import machinery.
    pub job: RwSignal<Job>,
    /// The preview of the file being imported (or last imported), with the user's edits.
    pub preview: RwSignal<Option<Preview>>,
    /// Thresholds of the decile groups (shared by the decile view and the report).
    pub decile_config: RwSignal<GroupConfig>,
    /// The report's cover.
    pub cover: RwSignal<Cover>,
    /// RFM scoring parameters.
    pub rfm_config: RwSignal<RfmConfig>,
    /// RFM segment rules (saved in the browser).
    pub rfm_rules: RwSignal<SegmentRules>,
    /// The SWOT boards (saved in the browser).
    pub swot: RwSignal<Workbench>,
    /// The lifecycle view's settings (its analysis day is the RFM one).
    pub lifecycle: RwSignal<LifecycleSettings>,
    /// The CLV parameters (their `analysis_day` is ignored: the RFM one is used).
    pub clv: RwSignal<ClvConfig>,
    /// The CLV fit: it runs in a worker of its own ([`crate::ui::analyst`]).
    pub clv_run: RwSignal<ClvRun>,
    /// A view that shows the CLV is open (the CLV view, the report): the fit runs only then.
    pub clv_wanted: RwSignal<bool>,
    /// The k-means parameters of the RFM view's clusters.
    pub clusters: RwSignal<crate::engine::clusters::ClusterConfig>,
    /// The user asked for the clusters (they run on this thread: not before they are asked for).
    pub clusters_wanted: RwSignal<bool>,
    /// The satisfaction survey, if one is loaded (works with or without orders).
    pub survey: RwSignal<Option<Arc<LoadedSurvey>>>,
    /// Why the last survey file was not read.
    pub survey_problem: RwSignal<Option<SurveyProblem>>,
    /// The loyalty parameters (their `lifecycle` is ignored: the lifecycle view's is used).
    pub loyalty: RwSignal<LoyaltyConfig>,
}

/// Where the CLV fit stands.
#[derive(Debug, Clone, PartialEq)]
pub enum ClvRun {
    /// Not asked for, or no data.
    Idle,
    /// Fitting in the analysis worker, since `started` (ms, `Date.now()`), for `customers`.
    Running {
        /// When it started.
        started: f64,
        /// Customers in the history.
        customers: usize,
    },
    /// Stopped by the user.
    Cancelled,
    /// The result.
    Done(Arc<ClvAnalysis>),
    /// Why there is none.
    Failed(Error),
}

/// The editable cover of the printed report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cover {
    /// Title; the default title in the UI language when empty.
    pub title: String,
    /// The client the report is for.
    pub client: String,
    /// Who made it.
    pub analyst: String,
    /// The report date as typed (ISO `YYYY-MM-DD` from the date input); today when empty.
    pub date: String,
}

impl AppState {
    /// Every customer attribute of `data` that the views break down, filter or profile by,
    /// parallel to `data.outcome.table`: the order file's attribute columns (a customer master
    /// file's attributes join them here). The one place views read attributes from.
    pub fn customer_attributes(&self, data: &LoadedData) -> Option<Arc<CustomerAttributes>> {
        data.outcome.customer_attributes().cloned()
    }

    /// The line attributes of `data` (product, category, SKU: issue 20), grouped parallel to
    /// `data.outcome.table`, when they are there and fit it.
    pub fn line_attributes(
        &self,
        data: &LoadedData,
    ) -> Option<Arc<crate::engine::dimensions::LineAttributes>> {
        data.outcome.line_attributes().cloned()
    }

    /// A text in the current language (reactive).
    pub fn t(&self, text: Text) -> &'static str {
        text.get(self.lang.get())
    }
}

/// The analyses of the loaded data, computed once per change of the data or the parameters and
/// shared by the analysis views and the report (each costs about a second at a million
/// customers, so no view computes its own). Lazy: nothing runs until a view reads it.
#[derive(Clone, Copy)]
pub struct Analyses {
    /// The decile analysis (`None` without data).
    pub deciles: Memo<Option<Result<Arc<DecileAnalysis>, Error>>>,
    /// The RFM analysis (`None` without data).
    pub rfm: Memo<Option<Result<Arc<RfmAnalysis>, Error>>>,
    /// The lifecycle analysis (`None` without data).
    pub lifecycle: Memo<Option<Result<Arc<LifecycleAnalysis>, Error>>>,
    /// The comparison of two periods (`None` without a lifecycle analysis).
    pub comparison: Memo<Option<Result<Arc<Comparison>, Error>>>,
    /// The RFM segment migration (`None` without a lifecycle analysis).
    pub migration: Memo<Option<Result<Arc<MigrationView>, Error>>>,
    /// The k-means clusters of R, F and M (`None` until asked for, or without an RFM analysis).
    pub clusters: Memo<Option<Result<Arc<ClusterAnalysis>, Error>>>,
    /// The loyalty analysis (`None` without a survey; a survey alone without orders).
    pub loyalty: Memo<Option<Result<Arc<LoyaltyAnalysis>, Error>>>,
}

impl Analyses {
    /// Memos over `state`'s data and parameters.
    pub fn new(state: AppState) -> Self {
        // A new result is a new value: comparing two analyses field by field would cost as
        // much as computing one.
        fn changed<T>(old: Option<&T>, new: Option<&T>) -> bool {
            !matches!((old, new), (None, None))
        }
        let deciles = Memo::new_with_compare(
            move |_| {
                let data = state.data.get()?;
                Some(
                    state
                        .decile_config
                        .with(|c| analyse_deciles(&data.outcome.table, c))
                        .map(Arc::new),
                )
            },
            changed,
        );
        let rfm = Memo::new_with_compare(
            move |_| {
                let data = state.data.get()?;
                let config = state.rfm_config.get();
                Some(
                    state
                        .rfm_rules
                        .with(|rules| analyse_rfm(&data.outcome.table, &config, rules))
                        .map(Arc::new),
                )
            },
            changed,
        );
        // Each analysis reads only its own settings, so switching what the cohort cells show
        // or the periods compared does not run the whole analysis again.
        let config = Memo::new(move |_| {
            let analysis_day = state.rfm_config.with(|c| c.analysis_day);
            state.lifecycle.with(|s| LifecycleConfig {
                analysis_day,
                ..s.config.clone()
            })
        });
        let periods = Memo::new(move |_| {
            state.lifecycle.with(|s| LifecycleSettings {
                period_a: s.period_a,
                period_b: s.period_b,
                top_deciles: s.top_deciles,
                migration_first: s.migration_first,
                migration_second: s.migration_second,
                ..LifecycleSettings::default()
            })
        });
        let lifecycle = Memo::new_with_compare(
            move |_| {
                let data = state.data.get()?;
                let config = config.get();
                Some(match data.history() {
                    Some(history) => {
                        analyse_lifecycle(&data.outcome.table, history, &config).map(Arc::new)
                    }
                    None => Err(Error::Parameter {
                        name: "history".into(),
                        reason: crate::engine::error::ParameterProblem::NoPurchaseDates,
                    }),
                })
            },
            changed,
        );
        let comparison = Memo::new_with_compare(
            move |_| {
                let data = state.data.get()?;
                let analysis = lifecycle.with(|a| a.as_ref().and_then(|a| a.clone().ok()))?;
                let history = data.history()?;
                Some(
                    periods
                        .with(|s| compare(&data.outcome.table, history, &analysis, s))
                        .map(Arc::new),
                )
            },
            changed,
        );
        let migration = Memo::new_with_compare(
            move |_| {
                let data = state.data.get()?;
                let analysis = lifecycle.with(|a| a.as_ref().and_then(|a| a.clone().ok()))?;
                let history = data.history()?;
                let config = state.rfm_config.get();
                Some(
                    periods
                        .with(|s| {
                            state.rfm_rules.with(|rules| {
                                migrate(&data.outcome.table, history, &analysis, s, &config, rules)
                            })
                        })
                        .map(Arc::new),
                )
            },
            changed,
        );
        let clusters = Memo::new_with_compare(
            move |_| {
                if !state.clusters_wanted.get() {
                    return None;
                }
                let data = state.data.get()?;
                let config = state.clusters.get();
                rfm.with(|r| match r {
                    Some(Ok(rfm)) => {
                        Some(analyse_clusters(&data.outcome.table, rfm, &config).map(Arc::new))
                    }
                    _ => None,
                })
            },
            changed,
        );
        // The lapse rule is the lifecycle's; NPS by segment reads the RFM analysis.
        let loyalty = Memo::new_with_compare(
            move |_| {
                let loaded = state.survey.get()?;
                let config = LoyaltyConfig {
                    lifecycle: config.get(),
                    ..state.loyalty.get()
                };
                let data = state.data.get();
                let rfm = match &data {
                    Some(_) => rfm.get().and_then(Result::ok),
                    None => None,
                };
                let orders = data.as_ref().and_then(|d| {
                    d.history().map(|history| Orders {
                        table: &d.outcome.table,
                        history,
                        rfm: rfm.as_deref(),
                    })
                });
                Some(analyse_loyalty(&loaded.survey, orders, &config).map(Arc::new))
            },
            changed,
        );
        Analyses {
            deciles,
            rfm,
            lifecycle,
            comparison,
            migration,
            clusters,
            loyalty,
        }
    }
}
