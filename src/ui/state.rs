//! The app's state: signals shared through context, and the derived data the views read.

use std::sync::{Arc, OnceLock};

use leptos::prelude::*;

use crate::engine::clusters::ClusterAnalysis;
use crate::engine::clv::{ClvAnalysis, ClvConfig};
use crate::engine::deciles::{DecileAnalysis, GroupConfig};
use crate::engine::dimensions::filter::{
    deciles_kept, select, select_lines, Filter, FilterMode, Subset,
};
use crate::engine::dimensions::CustomerAttributes;
use crate::engine::error::Error;
use crate::engine::history::PurchaseHistory;
use crate::engine::ingest::{ImportOutcome, Preview};
use crate::engine::lifecycle::{LifecycleAnalysis, LifecycleConfig};
use crate::engine::loyalty::{analyse_loyalty, LoyaltyAnalysis, LoyaltyConfig};
use crate::engine::master::{CustomerMaster, MasterJoin};
use crate::engine::monthly::{monthly_sales, MonthlySales};
use crate::engine::rfm::{restrict_rfm, RfmAnalysis, RfmConfig, SegmentRules};
use crate::engine::summary::summarize as summarize_table;
use crate::engine::summary::{summarize, Summary};
use crate::engine::survey::{Survey, SurveyOptions};
use crate::engine::swot::Workbench;
use crate::i18n::{Lang, Text};
pub use crate::present::lifecycle::Settings as LifecycleSettings;
use crate::present::lifecycle::{Comparison, MigrationView};
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
    /// Customer profiles and correlations.
    Profiles,
    /// SWOT.
    Swot,
    /// The printable report.
    Report,
}

impl View {
    /// All views, in navigation order.
    pub const ALL: [View; 9] = [
        View::Data,
        View::Deciles,
        View::Rfm,
        View::Lifecycle,
        View::Clv,
        View::Loyalty,
        View::Profiles,
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
            View::Profiles => "profiles",
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
            View::Profiles => Text::NavProfiles,
            View::Swot => Text::NavSwot,
            View::Report => Text::NavReport,
        }
    }
}

/// A loaded data set and everything derived from it once.
#[derive(Debug, Clone)]
pub struct LoadedData {
    /// File name shown to the user.
    pub file_name: String,
    /// Where it came from.
    pub source: Source,
    /// The import's result.
    pub outcome: ImportOutcome,
    /// Headline figures.
    pub summary: Summary,
    /// Net sales per month ([`LoadedData::monthly`]): the import's, or summed from the
    /// customers' months when first read (a filter's chosen customers: their months are read
    /// from their purchase days, 22 ms for 32,000 customers in the page, which a tick of the
    /// filter need not wait for).
    monthly: OnceLock<Vec<MonthlySales>>,
}

impl PartialEq for LoadedData {
    fn eq(&self, other: &Self) -> bool {
        (&self.file_name, self.source, &self.outcome, &self.summary)
            == (
                &other.file_name,
                other.source,
                &other.outcome,
                &other.summary,
            )
            && self.monthly() == other.monthly()
    }
}

impl LoadedData {
    /// Builds the derived figures (the monthly series when first read).
    pub fn new(file_name: String, source: Source, outcome: ImportOutcome) -> Self {
        let summary = summarize(&outcome.table, &outcome.report);
        LoadedData {
            file_name,
            source,
            outcome,
            summary,
            monthly: OnceLock::new(),
        }
    }

    /// Net sales per month of the customers.
    pub fn monthly(&self) -> &[MonthlySales] {
        self.monthly
            .get_or_init(|| monthly_sales(&self.outcome.table))
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
            monthly: OnceLock::from(monthly),
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
    /// What the file was read with (the default for a survey reopened from a workspace).
    pub options: SurveyOptions,
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
    /// The head of a big import whose customers are still being decoded (its headline figures,
    /// monthly sales and report, with no customers): the overview shows it until the whole
    /// result replaces it in `data`. Nothing else reads it.
    pub arriving: RwSignal<Option<Arc<LoadedData>>>,
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
    /// The lifecycle view's analyses: they run in the analysis worker ([`crate::ui::analyst`]).
    pub lifecycle_run: RwSignal<LifecycleRun>,
    /// A view that shows the lifecycle is open (the lifecycle view, the report): the analyses
    /// run only then.
    pub lifecycle_wanted: RwSignal<bool>,
    /// The k-means parameters of the RFM view's clusters.
    pub clusters: RwSignal<crate::engine::clusters::ClusterConfig>,
    /// The user asked for the clusters (nothing runs before).
    pub clusters_wanted: RwSignal<bool>,
    /// The clusters found in the analysis worker ([`crate::ui::run_clusters`]): `None` while
    /// they are found, or not asked for.
    pub clusters_run: RwSignal<ClusterRun>,
    /// The satisfaction survey, if one is loaded (works with or without orders).
    pub survey: RwSignal<Option<Arc<LoadedSurvey>>>,
    /// A survey file is being read (in the analysis worker).
    pub survey_reading: RwSignal<bool>,
    /// Why the last survey file was not read.
    pub survey_problem: RwSignal<Option<SurveyProblem>>,
    /// The loyalty parameters (their `lifecycle` is ignored: the lifecycle view's is used).
    pub loyalty: RwSignal<LoyaltyConfig>,
    /// The last monthly table read next to a per-customer summary (issue 17).
    pub monthly_read: RwSignal<Option<Arc<crate::ui::components::monthly::MonthlyRead>>>,
    /// The filter of the analysis views (`None`: all customers); cleared when the data changes.
    pub filter: RwSignal<Option<Filter>>,
    /// The customer master file joined onto the loaded orders (joined again when other orders
    /// load, forgotten with them).
    pub master: RwSignal<Option<Arc<LoadedMaster>>>,
    /// Why the last customer master file was not read.
    pub master_problem: RwSignal<Option<MasterProblem>>,
    /// A customer master file being read and joined, a piece a task: how far (0 to 1).
    pub master_reading: RwSignal<Option<f64>>,
}

/// A customer master file read on the page and joined onto the loaded orders (issue 20).
#[derive(Debug, Clone)]
pub struct LoadedMaster {
    /// The master file's name.
    pub file_name: String,
    /// What was read from it.
    pub master: Arc<CustomerMaster>,
    /// Its join onto the orders' customer table.
    pub join: Arc<MasterJoin>,
    /// The orders' customer attributes followed by the master's (keys `master_…`), parallel
    /// to the customer table of `data`.
    pub attributes: Arc<CustomerAttributes>,
    /// The orders it was joined onto: its attributes fit their customer table only.
    pub data: std::sync::Weak<LoadedData>,
    /// The file's bytes, to read it again with another id column or attribute kind.
    pub bytes: Arc<Vec<u8>>,
    /// What it was read with (kept in a workspace with the bytes).
    pub options: crate::engine::master::MasterOptions,
}

impl LoadedMaster {
    /// `master` with its `join` onto `data` (made a slice at a time:
    /// [`crate::engine::master::JoinSteps`]).
    pub fn joined(
        file_name: String,
        master: Arc<CustomerMaster>,
        options: crate::engine::master::MasterOptions,
        data: &Arc<LoadedData>,
        bytes: Arc<Vec<u8>>,
        join: MasterJoin,
    ) -> Self {
        let mut attributes = data
            .outcome
            .customer_attributes()
            .map(|a| (**a).clone())
            .unwrap_or_default();
        attributes
            .attributes
            .extend(join.attributes.attributes.iter().cloned());
        LoadedMaster {
            file_name,
            master,
            join: Arc::new(join),
            attributes: Arc::new(attributes),
            data: Arc::downgrade(data),
            bytes,
            options,
        }
    }

    /// True when it was joined onto `data`.
    pub fn joined_onto(&self, data: &LoadedData) -> bool {
        std::ptr::eq(self.data.as_ptr(), data)
    }
}

/// Why a customer master file was not read.
#[derive(Debug, Clone, PartialEq)]
pub enum MasterProblem {
    /// Larger than [`crate::ui::components::master::MASTER_MAX_BYTES`].
    TooLarge,
    /// The browser could not read the file.
    Unreadable,
    /// No orders are loaded to join it onto.
    NoOrders,
    /// The import refused it.
    Import(Error),
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

/// Where the k-means clusters stand.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ClusterRun {
    /// Not asked for, or no RFM analysis.
    #[default]
    Idle,
    /// Being found in the analysis worker, for so many scored customers.
    Running(usize),
    /// The result.
    Done(Result<Arc<ClusterAnalysis>, Error>),
}

/// Where the lifecycle view's analyses stand: each result as the analysis worker sent it
/// (`None`: not yet, or not asked for).
#[derive(Debug, Clone, Default)]
pub struct LifecycleRun {
    /// While the worker runs: since when (ms, `Date.now()`), and for how many customers.
    pub running: Option<(f64, usize)>,
    /// The user stopped the last run.
    pub cancelled: bool,
    /// The analysis.
    pub analysis: Option<Result<Arc<LifecycleAnalysis>, Error>>,
    /// The comparison of the two periods.
    pub comparison: Option<Result<Arc<Comparison>, Error>>,
    /// The segment migration, without its per-customer columns
    /// ([`crate::present::lifecycle::migrate_summary_of`]).
    pub migration: Option<Result<Arc<MigrationView>, Error>>,
}

impl LifecycleRun {
    /// How many of the three results are in.
    pub fn results(&self) -> usize {
        usize::from(self.analysis.is_some())
            + usize::from(self.comparison.is_some())
            + usize::from(self.migration.is_some())
    }
}

/// Customers let go per task by [`release_later`]: about 5 ms of freeing each in the app's build.
const RELEASE_PIECE: usize = 100_000;

/// Lets a replaced data set go without one long task: at ten million rows its ~1 million
/// customers (an id and a months vector each) took 50 ms to free in the task that showed the
/// next import. A task later, when the views' memos have let go of it too, the data set is
/// taken apart if this is the last reference, and its customers freed [`RELEASE_PIECE`] at a
/// time, a task each; otherwise the last holder frees it.
pub fn release_later(data: Option<Arc<LoadedData>>) {
    let Some(data) = data else {
        return;
    };
    gloo_timers::callback::Timeout::new(0, move || {
        if let Ok(mut data) = Arc::try_unwrap(data) {
            let customers = std::mem::take(&mut data.outcome.table.customers);
            drop(data);
            release_customers(customers);
        }
    })
    .forget();
}

/// Frees the last [`RELEASE_PIECE`] customers now and the rest in the next tasks.
fn release_customers(mut customers: Vec<crate::engine::customers::Customer>) {
    customers.truncate(customers.len().saturating_sub(RELEASE_PIECE));
    if !customers.is_empty() {
        gloo_timers::callback::Timeout::new(0, move || release_customers(customers)).forget();
    }
}

/// A memo's comparison of shared values: a new `Arc` is a new value (comparing two analyses or
/// data sets field by field would cost as much as computing one).
pub fn arc_changed<T>(old: Option<&Option<Arc<T>>>, new: Option<&Option<Arc<T>>>) -> bool {
    match (old, new) {
        (Some(Some(a)), Some(Some(b))) => !Arc::ptr_eq(a, b),
        (Some(None), Some(None)) => false,
        _ => true,
    }
}

/// A memo's comparison of analysis results: a new `Arc` is a new result (comparing two
/// analyses field by field would cost as much as computing one), errors by value.
fn changed_result<T>(
    old: Option<&Option<Result<Arc<T>, Error>>>,
    new: Option<&Option<Result<Arc<T>, Error>>>,
) -> bool {
    match (old, new) {
        (Some(Some(Ok(a))), Some(Some(Ok(b)))) => !Arc::ptr_eq(a, b),
        (Some(Some(Err(a))), Some(Some(Err(b)))) => a != b,
        (Some(None), Some(None)) | (None, None) => false,
        _ => true,
    }
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
        let joined = self.master.with(|m| {
            m.as_ref()
                .filter(|m| m.joined_onto(data) && !m.attributes.attributes.is_empty())
                .map(|m| m.attributes.clone())
        });
        joined.or_else(|| data.outcome.customer_attributes().cloned())
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

    /// Asks for the CLV fit (its worker runs once a view that shows it has been opened). Asked
    /// again, a fit running or done is kept (setting the signal again would start it over: the
    /// report opened a second time refitted, and printed without its CLV section meanwhile); one
    /// that failed is tried again.
    pub fn want_clv(&self) {
        let failed = self
            .clv_run
            .with_untracked(|r| matches!(r, ClvRun::Failed(_)));
        want(self.clv_wanted, failed);
    }

    /// Asks for the lifecycle analyses, as [`AppState::want_clv`] does the CLV fit: a run that
    /// ended before its three results came is tried again.
    pub fn want_lifecycle(&self) {
        let ended = self
            .lifecycle_run
            .with_untracked(|r| r.running.is_none() && r.results() < 3);
        want(self.lifecycle_wanted, ended);
    }
}

/// Sets a wish that was not set, or sets it again to start over (a signal set to its own value
/// still wakes its effects).
fn want(wanted: RwSignal<bool>, again: bool) {
    if again || !wanted.get_untracked() {
        wanted.set(true);
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
    /// The lifecycle analysis (`None` without data, until a view asks for it and while the
    /// analysis worker computes it: [`AppState::lifecycle_run`]).
    pub lifecycle: Memo<Option<Result<Arc<LifecycleAnalysis>, Error>>>,
    /// The comparison of two periods (`None` without a lifecycle analysis, and until it comes).
    pub comparison: Memo<Option<Result<Arc<Comparison>, Error>>>,
    /// The RFM segment migration (`None` without a lifecycle analysis, and until it comes).
    pub migration: Memo<Option<Result<Arc<MigrationView>, Error>>>,
    /// What the lifecycle analyses are asked with: the view's settings with the RFM analysis
    /// day (what the cohort cells show left out: it changes no figure).
    pub lifecycle_settings: Memo<LifecycleSettings>,
    /// The k-means clusters of R, F and M (`None` until asked for, or without an RFM analysis).
    pub clusters: Memo<Option<Result<Arc<ClusterAnalysis>, Error>>>,
    /// The loyalty analysis (`None` without a survey; a survey alone without orders).
    pub loyalty: Memo<Option<Result<Arc<LoyaltyAnalysis>, Error>>>,
    /// The customers the filter chose (`None` without data, without a filter or with no value
    /// ticked; a filter that does not fit the data reads as none): which they are, their table,
    /// purchase days and attributes being those of their data set ([`Selection`]).
    pub subset: Memo<Option<Arc<Subset>>>,
    /// The data the analysis views read: the loaded data, or the chosen customers' as data of
    /// their own ([`Selection::data`]); every per-customer index of the analyses above is an
    /// index into its table.
    pub population: Memo<Option<Arc<LoadedData>>>,
    /// The data the decile and RFM analyses score as it is: the population, unless a filter
    /// keeps the global scores (`None` then, and without data).
    pub scored: Memo<Option<Arc<LoadedData>>>,
    /// While a filter keeps the global scores: the sales decile among all customers of every
    /// chosen customer, which the breakdowns cut by ([`crate::engine::dimensions::breakdown_in_deciles`]).
    pub kept_deciles: Memo<Option<Arc<Vec<u8>>>>,
    /// Every customer's sales decile (1 to 10) of the population, which the breakdowns and the
    /// product mix cut by: the kept deciles while a filter keeps the global scores, else cut
    /// from the population's table ([`crate::ui::sliced::sales_deciles`]).
    pub sales_deciles: Memo<Option<Result<Arc<Vec<u8>>, Error>>>,
}

/// A filter's choice: which customers it chose, and they as a data set of their own.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The chosen customers; their table, purchase days and attributes are moved into `data`
    /// (empty here: one copy of the chosen customers, not two).
    pub subset: Arc<Subset>,
    /// The chosen customers as loaded data of their own ([`Selection::new`]).
    pub data: Arc<LoadedData>,
}

impl Selection {
    /// The customers of `data` that `subset` chose as loaded data of their own: their table,
    /// purchase days and attributes (moved out of `subset`), the import's report, their
    /// headline figures and monthly sales; no rejected rows (those are the whole file's, on the
    /// data view).
    pub fn new(data: &LoadedData, mut subset: Subset) -> Self {
        let lines = data
            .outcome
            .line_attributes()
            .map(|lines| Arc::new(lines.subset(&subset.indices)));
        let outcome = ImportOutcome {
            table: std::mem::take(&mut subset.table),
            report: data.outcome.report.clone(),
            rejected: Vec::new(),
            history: subset.history.take().map(Arc::new),
            attributes: Some(Arc::new(std::mem::take(&mut subset.attributes))),
            lines,
        };
        Selection {
            subset: Arc::new(subset),
            data: Arc::new(data_of(data, outcome)),
        }
    }

    /// The chosen customers with their figures on the lines a line attribute's filter matched
    /// ([`Subset::matching`]: what re-scoring reads), their days and attributes shared; `None`
    /// for a customer attribute.
    fn matching(&self) -> Option<LoadedData> {
        let table = self.subset.matching.clone()?;
        let chosen = &self.data.outcome;
        let outcome = ImportOutcome {
            table,
            report: chosen.report.clone(),
            rejected: Vec::new(),
            history: chosen.history.clone(),
            attributes: chosen.attributes.clone(),
            lines: chosen.lines.clone(),
        };
        Some(data_of(&self.data, outcome))
    }
}

/// `outcome` as loaded data named as `data` is.
fn data_of(data: &LoadedData, outcome: ImportOutcome) -> LoadedData {
    let summary = summarize_table(&outcome.table, &outcome.report);
    LoadedData {
        file_name: data.file_name.clone(),
        source: data.source,
        outcome,
        summary,
        monthly: OnceLock::new(),
    }
}

impl Analyses {
    /// Memos over `state`'s data and parameters.
    pub fn new(state: AppState) -> Self {
        // A new result is a new value: comparing two analyses field by field would cost as
        // much as computing one.
        fn changed<T>(old: Option<&T>, new: Option<&T>) -> bool {
            !matches!((old, new), (None, None))
        }
        // The filter without its mode: switching the mode keeps the chosen customers.
        let chosen = Memo::new(move |_| {
            state.filter.with(|f| {
                f.as_ref()
                    .filter(|f| !f.values.is_empty())
                    .map(|f| (f.key.clone(), f.values.clone()))
            })
        });
        let mode = Memo::new(move |_| {
            state
                .filter
                .with(|f| f.as_ref().map_or(FilterMode::Keep, |f| f.mode))
        });
        let selection = Memo::new_with_compare(
            move |_| {
                let data = state.data.get()?;
                let (key, values) = chosen.get()?;
                let attributes = state.customer_attributes(&data).unwrap_or_default();
                let filter = Filter {
                    key,
                    values,
                    mode: FilterMode::Keep,
                };
                let history = data.history().map(|h| h.as_ref());
                let table = &data.outcome.table;
                // A customer attribute, else a line attribute (product, category, SKU).
                let subset = match attributes.get(&filter.key) {
                    Some(_) => select(table, history, &attributes, &filter),
                    None => {
                        let lines = state.line_attributes(&data)?;
                        let line = lines.get(&filter.key)?;
                        select_lines(table, history, &attributes, line, &filter)
                    }
                };
                subset.ok().map(|subset| Selection::new(&data, subset))
            },
            changed,
        );
        let subset = Memo::new_with_compare(
            move |_| selection.with(|s| s.as_ref().map(|s| s.subset.clone())),
            changed,
        );
        // While a filter keeps the global scores the population is the chosen customers' data
        // set, whose table the kept scores are cut for.
        let population = Memo::new_with_compare(
            move |_| {
                let data = state.data.get()?;
                let rescored = mode.get() == FilterMode::Rescore;
                Some(selection.with(|s| match s {
                    // Re-scored on a line attribute: the figures of the matching lines.
                    Some(s) => match rescored.then(|| s.matching()).flatten() {
                        Some(matching) => Arc::new(matching),
                        None => s.data.clone(),
                    },
                    None => data,
                }))
            },
            changed,
        );
        let kept_deciles = Memo::new_with_compare(
            move |_| {
                if mode.get() != FilterMode::Keep {
                    return None;
                }
                let subset = subset.get()?;
                let data = state.data.get()?;
                // The whole table's, kept from the views before the filter (a ranking of every
                // customer at once else).
                let all = crate::ui::sliced::sales_deciles(&data).ok()?;
                Some(Arc::new(deciles_kept(&all, &subset)))
            },
            changed,
        );
        let scored = Memo::new_with_compare(
            move |_| {
                let kept = mode.get() == FilterMode::Keep && subset.get().is_some();
                population.get().filter(|_| !kept)
            },
            |old: Option<&Option<Arc<LoadedData>>>, new| match (old, new) {
                (Some(Some(old)), Some(Some(new))) => !Arc::ptr_eq(old, new),
                (Some(None), Some(None)) => false,
                _ => true,
            },
        );
        // Kept scores read the whole table's analysis; re-scored ones the chosen customers'.
        let deciles = Memo::new_with_compare(
            move |_| {
                let data = state.data.get()?;
                let population = population.get()?;
                let kept = (mode.get() == FilterMode::Keep)
                    .then(|| subset.get())
                    .flatten();
                Some(
                    state
                        .decile_config
                        .with(|c| match &kept {
                            Some(subset) => crate::ui::sliced::deciles_within(
                                &data,
                                subset,
                                &population.outcome.table,
                                c,
                            ),
                            None => crate::ui::sliced::deciles(&population, c),
                        })
                        .map(Arc::new),
                )
            },
            changed,
        );
        let rfm_of = move |data: &Arc<LoadedData>| {
            let config = state.rfm_config.get();
            state
                .rfm_rules
                .with(|rules| crate::ui::sliced::rfm(data, &config, rules))
        };
        // All customers' RFM, read only while a filter keeps the global scores.
        let rfm_all = Memo::new_with_compare(
            move |_| {
                let data = state.data.get()?;
                Some(rfm_of(&data))
            },
            changed,
        );
        let rfm = Memo::new_with_compare(
            move |_| {
                let population = population.get()?;
                let kept = (mode.get() == FilterMode::Keep)
                    .then(|| subset.get())
                    .flatten();
                Some(match kept {
                    Some(subset) => rfm_all.get()?.and_then(|all| {
                        restrict_rfm(&all, &subset.indices, &population.outcome.table).map(Arc::new)
                    }),
                    None => rfm_of(&population),
                })
            },
            changed,
        );
        // The analysis worker computes the lifecycle's three results (`crate::ui::run_lifecycle`)
        // from these settings; what the cohort cells show changes no figure.
        let lifecycle_settings = Memo::new(move |_| {
            let analysis_day = state.rfm_config.with(|c| c.analysis_day);
            state.lifecycle.with(|s| LifecycleSettings {
                config: LifecycleConfig {
                    analysis_day,
                    ..s.config.clone()
                },
                cohort_value: Default::default(),
                ..s.clone()
            })
        });
        let config = Memo::new(move |_| lifecycle_settings.with(|s| s.config.clone()));
        let lifecycle = Memo::new_with_compare(
            move |_| state.lifecycle_run.with(|r| r.analysis.clone()),
            changed_result,
        );
        let comparison = Memo::new_with_compare(
            move |_| state.lifecycle_run.with(|r| r.comparison.clone()),
            changed_result,
        );
        let migration = Memo::new_with_compare(
            move |_| state.lifecycle_run.with(|r| r.migration.clone()),
            changed_result,
        );
        // Found in the analysis worker (`crate::ui::run_clusters`).
        let clusters = Memo::new_with_compare(
            move |_| {
                if !state.clusters_wanted.get() {
                    return None;
                }
                state.clusters_run.with(|r| match r {
                    ClusterRun::Done(result) => Some(result.clone()),
                    _ => None,
                })
            },
            changed,
        );
        // The lapse rule is the lifecycle's; NPS by segment reads the RFM analysis.
        // Finished from the pieces the view's steps computed (`crate::ui::sliced`).
        let loyalty = Memo::new_with_compare(
            move |_| {
                let loaded = state.survey.get()?;
                let config = LoyaltyConfig {
                    lifecycle: config.get(),
                    ..state.loyalty.get()
                };
                let Some(data) = population.get() else {
                    return Some(analyse_loyalty(&loaded.survey, None, &config).map(Arc::new));
                };
                let rfm = rfm.get().and_then(Result::ok);
                let of = crate::ui::sliced::LoyaltyOf {
                    data: &data,
                    survey: &loaded.survey,
                    rfm: rfm.as_ref(),
                    config: &config,
                };
                Some(crate::ui::sliced::loyalty(&of).map(Arc::new))
            },
            changed,
        );
        let sales_deciles = Memo::new_with_compare(
            move |_| {
                if let Some(kept) = kept_deciles.get() {
                    return Some(Ok(kept));
                }
                let population = population.get()?;
                Some(crate::ui::sliced::sales_deciles(&population))
            },
            changed,
        );
        Analyses {
            deciles,
            rfm,
            sales_deciles,
            lifecycle,
            comparison,
            migration,
            clusters,
            loyalty,
            subset,
            population,
            scored,
            kept_deciles,
            lifecycle_settings,
        }
    }

    /// A step of [`crate::ui::components::view_parts::prepared`] that computes the decile
    /// analysis: its next piece ahead of the memo ([`crate::ui::sliced`]), again while pieces
    /// are left, then the memo read (which finishes from them). Under a filter that keeps the
    /// global scores the pieces are the chosen customers' analysis in the whole table's.
    pub fn computing_deciles(self, state: AppState) -> crate::ui::components::view_parts::Step {
        Box::new(move || {
            let piece = state
                .decile_config
                .try_with_untracked(|c| self.step_deciles(state, c));
            piece.flatten().unwrap_or(false) || {
                self.deciles.try_with_untracked(|_| ());
                false
            }
        })
    }

    /// The next piece of the decile analysis with `config` ahead of its memo (the memo, once
    /// the parameters are `config`, finishes from the pieces); `Some(false)` when none is left,
    /// `None` without data.
    pub fn step_deciles(self, state: AppState, config: &GroupConfig) -> Option<bool> {
        let Some(data) = self.scored.try_get_untracked()? else {
            let subset = self.subset.try_get_untracked()??;
            let chosen = self.population.try_get_untracked()??;
            let data = state.data.try_get_untracked()??;
            let table = &chosen.outcome.table;
            return Some(crate::ui::sliced::step_deciles_within(
                &data, &subset, table, config,
            ));
        };
        Some(crate::ui::sliced::step_deciles(&data, config))
    }

    /// [`Analyses::computing_deciles`] for every customer's sales decile ([`Analyses::sales_deciles`];
    /// kept deciles have no pieces).
    pub fn computing_sales_deciles(self) -> crate::ui::components::view_parts::Step {
        Box::new(move || {
            let piece = || {
                if self.kept_deciles.try_with_untracked(Option::is_some)? {
                    return Some(false);
                }
                let data = self.population.try_get_untracked()??;
                Some(crate::ui::sliced::step_sales_deciles(&data))
            };
            piece().unwrap_or(false) || {
                self.sales_deciles.try_with_untracked(|_| ());
                false
            }
        })
    }

    /// [`Analyses::computing_deciles`] for the loyalty analysis of the survey joined to the
    /// orders (after [`Analyses::computing_rfm`]: it reads the RFM segments).
    pub fn computing_loyalty(self, state: AppState) -> crate::ui::components::view_parts::Step {
        Box::new(move || {
            let piece = || {
                let loyalty = state.loyalty.try_get_untracked()?;
                self.step_loyalty(state, &loyalty, None)
            };
            piece().unwrap_or(false) || {
                self.loyalty.try_with_untracked(|_| ());
                false
            }
        })
    }

    /// The next piece of the loyalty analysis with the parameters `loyalty` (and the lapse rule
    /// of `lifecycle`, else of the lifecycle's settings now) ahead of its memo; `Some(false)`
    /// when none is left, `None` without a survey or data.
    pub fn step_loyalty(
        self,
        state: AppState,
        loyalty: &LoyaltyConfig,
        lifecycle: Option<&LifecycleSettings>,
    ) -> Option<bool> {
        let loaded = state.survey.try_get_untracked()??;
        let data = self.population.try_get_untracked()??;
        let lifecycle = match lifecycle {
            Some(settings) => LifecycleConfig {
                analysis_day: state.rfm_config.try_with_untracked(|c| c.analysis_day)?,
                ..settings.config.clone()
            },
            None => self
                .lifecycle_settings
                .try_with_untracked(|s| s.config.clone())?,
        };
        let config = LoyaltyConfig {
            lifecycle,
            ..loyalty.clone()
        };
        let rfm = self.rfm_now();
        let of = crate::ui::sliced::LoyaltyOf {
            data: &data,
            survey: &loaded.survey,
            rfm: rfm.as_ref(),
            config: &config,
        };
        Some(crate::ui::sliced::step_loyalty(&of))
    }

    /// The RFM analysis as its memo holds it now, read without tracking (what the views'
    /// steps compute from); `None` while it is not there or failed.
    pub fn rfm_now(self) -> Option<Arc<RfmAnalysis>> {
        self.rfm.try_get_untracked().flatten().and_then(Result::ok)
    }

    /// Every customer's sales decile as its memo holds it now, read without tracking; `None`
    /// while they are not there or failed.
    pub fn sales_deciles_now(self) -> Option<Arc<Vec<u8>>> {
        self.sales_deciles
            .try_get_untracked()
            .flatten()
            .and_then(Result::ok)
    }

    /// [`Analyses::computing_deciles`] for the RFM analysis. Under a filter that keeps the
    /// global scores the pieces are the whole table's analysis, which the chosen customers'
    /// is cut from ([`restrict_rfm`]).
    pub fn computing_rfm(self, state: AppState) -> crate::ui::components::view_parts::Step {
        Box::new(move || {
            let piece = || {
                let config = state.rfm_config.try_get_untracked()?;
                let rules = state.rfm_rules.try_get_untracked()?;
                self.step_rfm(state, &config, &rules)
            };
            piece().unwrap_or(false) || {
                self.rfm.try_with_untracked(|_| ());
                false
            }
        })
    }

    /// The next piece of the RFM analysis with `config` and `rules` ahead of its memo (the
    /// memo, once the parameters are these, finishes from the pieces); `Some(false)` when none
    /// is left, `None` without data.
    pub fn step_rfm(
        self,
        state: AppState,
        config: &RfmConfig,
        rules: &SegmentRules,
    ) -> Option<bool> {
        let data = match self.scored.try_get_untracked()? {
            Some(data) => data,
            None => state.data.try_get_untracked()??,
        };
        Some(crate::ui::sliced::step_rfm(&data, config, rules))
    }
}
