//! The Leptos single-page app (wasm32 only): state, controller, components. Thin by design: the
//! engine decides, the charts draw, the UI shows and forwards what the user does.

pub mod analyst;
pub mod browser;
pub mod components;
pub mod controller;
pub mod idb;
pub mod sliced;
pub mod state;
pub mod worker;

use leptos::ev;
use leptos::prelude::*;

use crate::a11y::{focus_after, FocusTarget, JobPhase};
use crate::i18n::{Lang, Text};
use components::data_strip::DataStrip;
use components::header::Header;
use components::job_status::JobStatus;
use components::mapping::MappingPanel;
use components::overview::Overview;
use components::placeholder::NoData;
use components::upload::{DropOverlay, Upload};
use controller::Controller;
use state::{AppState, Job, View};

/// localStorage key of the chosen language.
const LANG_KEY: &str = "valuelens.lang";
/// localStorage key of the RFM segment rules.
const RULES_KEY: &str = "valuelens.rfm-rules";
/// localStorage key of the SWOT boards.
const SWOT_KEY: &str = "valuelens.swot";

/// Starts the app: panic hook, then mount into `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    crate::expose_memory();
    if let Some(loading) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("vl-loading"))
    {
        loading.remove();
    }
    leptos::mount::mount_to_body(App);
    browser::register_service_worker();
}

fn initial_language() -> Lang {
    browser::storage_get(LANG_KEY)
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_else(|| {
            Lang::from_preferences(browser::preferred_languages().iter().map(String::as_str))
        })
}

/// The data view: import, status, mapping, overview.
#[component]
fn DataView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let Notice(notice) = expect_context::<Notice>();
    // The head of a big import first (its customers still being decoded), then the data; the
    // overview stays mounted from one to the other.
    let arriving = Memo::new(move |_| state.arriving.with(Option::is_some));
    let shown = Memo::new_with_compare(
        move |_| state.arriving.get().or_else(|| state.data.get()),
        state::arc_changed,
    );
    let has_overview = Memo::new(move |_| shown.with(Option::is_some));
    view! {
        <Upload />
        // A live region present before its message, so screen readers announce the message.
        <div class="vl-live" role="status" aria-live="polite" data-live="notice">
            {move || notice.get().map(|text| view! { <p class="vl-status" data-notice="">{state.t(text)}</p> })}
        </div>
        <JobStatus />
        <MappingPanel />
        <components::survey::SurveyPanel />
        <components::master::MasterPanel />
        <components::workspace::WorkspacePanel notice=notice />
        {move || has_overview.get().then(|| view! { <Overview shown=shown arriving=arriving /> })}
        {move || state.data.get().filter(|_| !arriving.get()).map(|data| view! { <components::sql::SqlPanel data=data /> })}
    }
}

/// The decile view, or the no-data state.
#[component]
fn DecilesPage() -> impl IntoView {
    let analyses = expect_context::<state::Analyses>();
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let page = move || match analyses.population.get() {
        Some(data) => components::view_parts::prepared(
            data.outcome.table.customers.len(),
            lang,
            vec![analyses.computing_deciles(state)],
            move || view! { <components::deciles::DecilesView data=data.clone() /> }.into_any(),
        ),
        None => view! { <NoData /> }.into_any(),
    };
    view! { <components::filter::FilterBar />{page} }
}

/// The RFM view, or the no-data state.
#[component]
fn RfmPage() -> impl IntoView {
    let analyses = expect_context::<state::Analyses>();
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let page = move || match analyses.population.get() {
        Some(data) => components::view_parts::prepared(
            data.outcome.table.customers.len(),
            lang,
            vec![analyses.computing_rfm(state)],
            move || view! { <components::rfm::RfmView data=data.clone() /> }.into_any(),
        ),
        None => view! { <NoData /> }.into_any(),
    };
    view! { <components::filter::FilterBar />{page} }
}

/// The lifecycle view, or the no-data state.
#[component]
fn LifecyclePage() -> impl IntoView {
    let analyses = expect_context::<state::Analyses>();
    let page = move || match analyses.population.get() {
        Some(data) => view! { <components::lifecycle::LifecycleView data=data /> }.into_any(),
        None => view! { <NoData /> }.into_any(),
    };
    view! { <components::filter::FilterBar />{page} }
}

/// The CLV view, or the no-data state.
#[component]
fn ClvPage() -> impl IntoView {
    let analyses = expect_context::<state::Analyses>();
    let state = expect_context::<AppState>();
    let page = move || match analyses.population.get() {
        Some(data) => {
            // The RFM analysis the view shows beside the CLV (its segments' values) is computed
            // in pieces, a task each, while the worker fits, not in the task of the fit's answer.
            components::view_parts::in_tasks(
                vec![analyses.computing_rfm(state)],
                RwSignal::new(false),
            );
            view! { <components::clv::ClvView data=data /> }.into_any()
        }
        None => view! { <NoData /> }.into_any(),
    };
    view! { <components::filter::FilterBar />{page} }
}

/// The profiles view, or the no-data state.
#[component]
fn ProfilesPage() -> impl IntoView {
    let analyses = expect_context::<state::Analyses>();
    let page = move || match analyses.population.get() {
        Some(data) => view! { <components::profiles::ProfilesView data=data /> }.into_any(),
        None => view! { <NoData /> }.into_any(),
    };
    view! { <components::filter::FilterBar />{page} }
}

/// The loyalty view (a survey alone is enough), or the no-survey state.
#[component]
fn LoyaltyPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<state::Analyses>();
    let page = move || match state.survey.get() {
        Some(survey) => {
            // The view is laid out again when orders (or the filtered customers) arrive or go.
            state.data.track();
            let customers = analyses
                .population
                .with(|p| p.as_ref().map_or(0, |p| p.outcome.table.customers.len()));
            // With orders, the analysis reads the RFM segments: computed in pieces first, then
            // the analysis itself.
            components::view_parts::prepared(
                customers,
                state.lang,
                vec![
                    analyses.computing_rfm(state),
                    analyses.computing_loyalty(state),
                ],
                move || {
                    let survey = survey.clone();
                    view! { <components::loyalty::LoyaltyView survey=survey /> }.into_any()
                },
            )
        }
        None => view! { <components::loyalty::NoSurvey /> }.into_any(),
    };
    view! { <components::filter::FilterBar />{page} }
}

/// Fits the CLV models in the analysis worker whenever the data or the parameters change while
/// a view that shows them is open; a fit still running is ended first.
fn run_clv(state: AppState) {
    let job = StoredValue::new_local(None::<analyst::ClvJob>);
    let generation = StoredValue::new_local(0u64);
    let analyses = expect_context::<state::Analyses>();
    Effect::new(move |_| {
        let wanted = state.clv_wanted.get();
        // The chosen customers' purchase days when a filter is set.
        let data = analyses.population.get();
        let analysis_day = state.rfm_config.with(|c| c.analysis_day);
        let config = crate::engine::clv::ClvConfig {
            analysis_day,
            ..state.clv.get()
        };
        // Ends the running fit, if any.
        job.set_value(None);
        if !wanted {
            return;
        }
        let Some(data) = data else {
            state.clv_run.set(state::ClvRun::Idle);
            return;
        };
        let Some(history) = data.history() else {
            state.clv_run.set(state::ClvRun::Failed(
                crate::engine::error::Error::Parameter {
                    name: "history".into(),
                    reason: crate::engine::error::ParameterProblem::NoPurchaseDates,
                },
            ));
            return;
        };
        if let Err(error) = config.validate() {
            state.clv_run.set(state::ClvRun::Failed(error));
            return;
        }
        let this = generation.get_value() + 1;
        generation.set_value(this);
        state.clv_run.set(state::ClvRun::Running {
            started: js_sys::Date::now(),
            customers: history.len(),
        });
        let started = analyst::ClvJob::start(&data, history, &config, this, move |result| {
            if generation.get_value() == this {
                state.clv_run.set(match result {
                    Ok(analysis) => state::ClvRun::Done(std::sync::Arc::new(analysis)),
                    Err(error) => state::ClvRun::Failed(error),
                });
            }
        });
        match started {
            Ok(started) => job.set_value(Some(started)),
            Err(_) => {
                state
                    .clv_run
                    .set(state::ClvRun::Failed(crate::engine::error::Error::Format {
                        what: crate::engine::error::FormatSubject::Response,
                        reason: crate::engine::error::FormatProblem::WorkerStopped {
                            detail: String::new(),
                        },
                    }))
            }
        }
    });
}

/// Finds the k-means clusters in the analysis worker once the user asked for them, and again
/// whenever the RFM analysis (its data, filter or parameters) or the clusters' parameters
/// change; a run still going is ended first (seconds of k-means at any size, which the page's
/// thread once ran at once).
pub fn run_clusters(state: AppState) {
    let job = StoredValue::new_local(None::<analyst::ClusterJob>);
    let generation = StoredValue::new_local(0u64);
    let analyses = expect_context::<state::Analyses>();
    Effect::new(move |_| {
        let wanted = state.clusters_wanted.get();
        // Ends the running search, if any; answers of an older one are ignored.
        job.set_value(None);
        let this = generation.get_value() + 1;
        generation.set_value(this);
        if !wanted {
            state.clusters_run.set(state::ClusterRun::Idle);
            return;
        }
        let config = state.clusters.get();
        let (Some(data), Some(Ok(rfm))) = (analyses.population.get(), analyses.rfm.get()) else {
            state.clusters_run.set(state::ClusterRun::Idle);
            return;
        };
        if let Err(error) = config.validate() {
            state.clusters_run.set(state::ClusterRun::Done(Err(error)));
            return;
        }
        state
            .clusters_run
            .set(state::ClusterRun::Running(rfm.scores.customers.len()));
        let started = analyst::start_clusters(&data, &rfm, &config, this, move |result| {
            if generation.get_value() == this {
                state
                    .clusters_run
                    .set(state::ClusterRun::Done(result.map(std::sync::Arc::new)));
            }
        });
        match started {
            Ok(started) => job.set_value(Some(started)),
            Err(_) => state.clusters_run.set(state::ClusterRun::Done(Err(
                crate::engine::error::Error::Format {
                    what: crate::engine::error::FormatSubject::Response,
                    reason: crate::engine::error::FormatProblem::WorkerStopped {
                        detail: String::new(),
                    },
                },
            ))),
        }
    });
}

/// Runs the lifecycle view's analyses in the analysis worker whenever the data (or the filtered
/// customers) or the settings change while a view that shows them is open; a run still going is
/// ended first. Each result is shown as it comes.
fn run_lifecycle(state: AppState) {
    use crate::engine::error::{Error, FormatProblem, FormatSubject, ParameterProblem};
    use crate::protocol::analysis::LifecycleAnswer;
    use state::LifecycleRun;
    use std::sync::Arc;
    let job = StoredValue::new_local(None::<analyst::LifecycleJob>);
    let generation = StoredValue::new_local(0u64);
    // The customers whose results are on screen.
    let shown = StoredValue::new_local(None::<Arc<state::LoadedData>>);
    let analyses = expect_context::<state::Analyses>();
    Effect::new(move |_| {
        let wanted = state.lifecycle_wanted.get();
        let data = analyses.population.get();
        let settings = analyses.lifecycle_settings.get();
        let rfm = state.rfm_config.get();
        let rules = state.rfm_rules.get();
        // Ends the running analyses, if any; answers of an older run are ignored.
        job.set_value(None);
        let this = generation.get_value() + 1;
        generation.set_value(this);
        let cancelled = state.lifecycle_run.with_untracked(|r| r.cancelled);
        if !wanted {
            shown.set_value(None);
            state.lifecycle_run.set(LifecycleRun {
                cancelled,
                ..LifecycleRun::default()
            });
            return;
        }
        let Some(data) = data else {
            shown.set_value(None);
            state.lifecycle_run.set(LifecycleRun::default());
            return;
        };
        let Some(history) = data.history() else {
            shown.set_value(None);
            state.lifecycle_run.set(LifecycleRun {
                analysis: Some(Err(Error::Parameter {
                    name: "history".into(),
                    reason: ParameterProblem::NoPurchaseDates,
                })),
                ..LifecycleRun::default()
            });
            return;
        };
        // New settings for the same customers keep the results on screen until the new ones
        // come (the periods' inputs read the analysis); other customers' results go at once.
        let same = shown.with_value(|s| s.as_ref().is_some_and(|s| Arc::ptr_eq(s, &data)));
        shown.set_value(Some(data.clone()));
        let running = Some((js_sys::Date::now(), history.len()));
        state.lifecycle_run.update(|run| match same {
            true => {
                run.running = running;
                run.cancelled = false;
            }
            false => {
                *run = LifecycleRun {
                    running,
                    ..LifecycleRun::default()
                }
            }
        });
        let on_answer = move |answer: Result<LifecycleAnswer, Error>| {
            if generation.get_value() != this {
                return;
            }
            state.lifecycle_run.update(|run| {
                match answer {
                    Ok(LifecycleAnswer::Analysis(result)) => {
                        let failed = result.is_err();
                        run.analysis = Some(result.map(Arc::from));
                        if failed {
                            run.running = None;
                        }
                    }
                    Ok(LifecycleAnswer::Comparison(result)) => {
                        run.comparison = Some(result.map(Arc::from));
                    }
                    Ok(LifecycleAnswer::Migration(result)) => {
                        run.migration = Some(result.map(Arc::from));
                    }
                    Err(error) => {
                        // The worker stopped: what has not come yet fails with its reason.
                        run.analysis.get_or_insert_with(|| Err(error.clone()));
                        run.comparison.get_or_insert_with(|| Err(error.clone()));
                        run.migration.get_or_insert(Err(error));
                        run.running = None;
                    }
                }
                // The last answer in (the analysis's customers are read over a few tasks, so
                // it can come after the migration).
                if run.results() == 3 {
                    run.running = None;
                }
            });
        };
        match analyst::start_lifecycle(&data, history, &settings, &rfm, &rules, this, on_answer) {
            Ok(started) => job.set_value(Some(started)),
            Err(_) => state.lifecycle_run.set(LifecycleRun {
                analysis: Some(Err(Error::Format {
                    what: FormatSubject::Response,
                    reason: FormatProblem::WorkerStopped {
                        detail: String::new(),
                    },
                })),
                ..LifecycleRun::default()
            }),
        }
    });
}

/// The report, or the no-data state.
#[component]
fn ReportPage() -> impl IntoView {
    let analyses = expect_context::<state::Analyses>();
    let state = expect_context::<AppState>();
    let lang = state.lang;
    // The page's own analyses the report shows, in pieces of a task each at scale.
    let page = move || match analyses.population.get() {
        Some(data) => components::view_parts::prepared(
            data.outcome.table.customers.len(),
            lang,
            vec![
                analyses.computing_deciles(state),
                analyses.computing_rfm(state),
                analyses.computing_loyalty(state),
            ],
            move || view! { <components::report::ReportView data=data.clone() /> }.into_any(),
        ),
        None => view! { <NoData /> }.into_any(),
    };
    view! { <components::filter::FilterBar />{page} }
}

/// A short message for the data view (session restored, workspace opened, data forgotten).
#[derive(Clone, Copy)]
pub struct Notice(pub RwSignal<Option<Text>>);

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState {
        lang: RwSignal::new(initial_language()),
        view: RwSignal::new(View::from_hash(&browser::location_hash())),
        data: RwSignal::new(None),
        arriving: RwSignal::new(None),
        job: RwSignal::new(Job::Idle),
        preview: RwSignal::new(None),
        decile_config: RwSignal::new(Default::default()),
        cover: RwSignal::new(Default::default()),
        rfm_config: RwSignal::new(Default::default()),
        lifecycle: RwSignal::new(Default::default()),
        clv: RwSignal::new(Default::default()),
        clv_run: RwSignal::new(state::ClvRun::Idle),
        clv_wanted: RwSignal::new(false),
        lifecycle_run: RwSignal::new(Default::default()),
        lifecycle_wanted: RwSignal::new(false),
        clusters: RwSignal::new(Default::default()),
        clusters_wanted: RwSignal::new(false),
        clusters_run: RwSignal::new(Default::default()),
        survey: RwSignal::new(None),
        survey_reading: RwSignal::new(false),
        survey_problem: RwSignal::new(None),
        loyalty: RwSignal::new(Default::default()),
        master: RwSignal::new(None),
        master_problem: RwSignal::new(None),
        master_reading: RwSignal::new(None),
        filter: RwSignal::new(None),
        monthly_read: RwSignal::new(None),
        rfm_rules: RwSignal::new(
            browser::storage_get(RULES_KEY)
                .and_then(|json| {
                    serde_json::from_str::<crate::engine::rfm::SegmentRules>(&json).ok()
                })
                .filter(|rules| rules.validate().is_ok())
                .unwrap_or_default(),
        ),
        swot: RwSignal::new(
            browser::storage_get(SWOT_KEY)
                .and_then(|json| crate::engine::swot::Workbench::from_json(&json).ok())
                .filter(|workbench| workbench.check_limits().is_ok())
                .unwrap_or_default(),
        ),
    };
    provide_context(state);
    provide_context(state::Analyses::new(state));
    crate::present::on_figure_made(components::chart::mark_figure);
    let notice = RwSignal::new(None::<Text>);
    provide_context(Notice(notice));
    components::workspace::keep_session(state, notice);
    let controller = Controller::new(state);
    provide_context(controller);
    run_clv(state);
    run_clusters(state);
    // A replaced data set's kept analyses go with it (a task later: the views let go of it).
    Effect::new(move |_| {
        state.data.track();
        set_timeout(crate::ui::sliced::forget_gone, std::time::Duration::ZERO);
    });
    run_lifecycle(state);
    components::master::follow_new_orders(state);
    components::filter::clear_on_new_data(state);
    // The import worker loads while the user picks a file, not after.
    set_timeout(move || controller.prewarm(), std::time::Duration::ZERO);

    Effect::new(move |_| {
        let lang = state.lang.get();
        browser::storage_set(LANG_KEY, lang.tag());
        browser::set_document_lang(lang.tag());
        browser::set_title(&format!("{} · ValueLens", Text::AppName.get(Lang::Zh)));
    });
    Effect::new(move |_| {
        let rules = state.rfm_rules.get();
        // Defaults are not stored: after "forget everything" nothing is left behind.
        if rules == crate::engine::rfm::SegmentRules::default() {
            browser::storage_remove(RULES_KEY);
        } else if let Ok(json) = serde_json::to_string(&rules) {
            browser::storage_set(RULES_KEY, &json);
        }
    });
    Effect::new(move |_| {
        if state
            .swot
            .with(|w| *w == crate::engine::swot::Workbench::default())
        {
            browser::storage_remove(SWOT_KEY);
        } else if let Ok(json) = state.swot.with(|w| w.to_json()) {
            browser::storage_set(SWOT_KEY, &json);
        }
    });
    // Keyboard focus follows the import: to the results when it finishes, to the mapping step
    // when it stops there, to the error when it fails.
    Effect::new(move |previous: Option<JobPhase>| {
        let next = state.job.with(Job::phase);
        if let Some(target) = previous.and_then(|previous| focus_after(previous, next)) {
            let selector = match target {
                FocusTarget::Results => r#"[data-focus="results"]"#,
                FocusTarget::Mapping => r#"[data-panel="mapping"] > summary"#,
                FocusTarget::Error => r#"[data-focus="error"]"#,
            };
            // Once the new state is on screen.
            request_animation_frame(move || {
                browser::focus(selector);
            });
        }
        next
    });
    let hash = window_event_listener(ev::hashchange, move |_| {
        let view = View::from_hash(&browser::location_hash());
        // A click on the navigation has already shown it.
        if state.view.get_untracked() != view {
            state.view.set(view);
        }
    });
    on_cleanup(move || hash.remove());

    let main = move || {
        let view = state.view.get();
        // The view's content is replaced (not the data strip above it): focus in it goes to the
        // page first (see `blur_within`).
        browser::blur_within("main.vl-main", "main.vl-main > .vl-strip");
        match view {
            View::Data => view! { <DataView /> }.into_any(),
            View::Deciles => view! { <DecilesPage /> }.into_any(),
            View::Rfm => view! { <RfmPage /> }.into_any(),
            View::Lifecycle => view! { <LifecyclePage /> }.into_any(),
            View::Clv => view! { <ClvPage /> }.into_any(),
            View::Loyalty => view! { <LoyaltyPage /> }.into_any(),
            View::Profiles => view! { <ProfilesPage /> }.into_any(),
            View::Swot => view! { <components::swot::SwotView /> }.into_any(),
            View::Report => view! { <ReportPage /> }.into_any(),
        }
    };
    view! {
        <DropOverlay />
        <Header />
        <main class="vl-main" data-view=move || state.view.get().slug()>
            <DataStrip />
            {main}
        </main>
        <footer class="vl-footer">
            <p class="vl-footer__promise" data-privacy="">
                <span class="vl-footer__lock" aria-hidden="true"></span>
                {move || state.t(Text::PrivacyFooter)}
            </p>
            <p class="vl-footer__detail">{move || state.t(Text::PrivacyDetail)}</p>
            <button
                class="vl-button vl-button--small vl-footer__forget"
                type="button"
                data-action="forget-everything"
                on:click=move |_| {
                    components::workspace::forget_everything(state);
                    notice.set(Some(Text::Forgotten));
                }
            >
                {move || state.t(Text::ForgetEverything)}
            </button>
        </footer>
    }
}
