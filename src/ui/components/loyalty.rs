//! The loyalty view (忠诚度, issue 16): the match rate up front, the headline figures, the
//! satisfaction distribution, the satisfaction × loyalty matrix with its customers, the six
//! loyalty classes with their rules, churn by satisfaction, NPS by RFM segment and by decile,
//! and the respondents not found in the orders. `engine::loyalty` computes,
//! `present::loyalty` words and draws; this file lays it out and sends the parameters back.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;

use super::chart::{CsvButton, CsvLaterButton, FigureView};
use super::metric::MetricCard;
use super::table::{notices, Cells, DataTable};
use super::view_parts::{input_value, part};
use crate::charts::ChartStyle;
use crate::engine::error::Error;
use crate::engine::loyalty::{LoyaltyAnalysis, LoyaltyConfig, LoyaltyType, SatisfactionCuts};
use crate::i18n::{error_text, Text};
use crate::present::loyalty::{
    churn_chart, churn_csv, churn_rows, churn_rule, churn_sentence, class_rows, classes_note,
    customers_csv, distribution_rows, group_rows, headline, match_sentence, matrix_chart,
    matrix_facts, matrix_rows, matrix_uncounted, notices as loyalty_notices, segment_rows,
    type_members, type_text, unmatched_csv, unmatched_ids, GroupBy,
};
use crate::present::{sentence, Csv};
use crate::ui::state::{Analyses, AppState, LoadedData, LoadedSurvey};

type Result<T> = std::result::Result<T, Error>;
type Analysis = super::view_parts::Analysis<LoyaltyAnalysis>;

const CUSTOMERS_CSV: &str = "loyalty-customers";
const UNMATCHED_CSV: &str = "loyalty-unmatched-respondents";

thread_local! {
    /// The number of the last edit of the loyalty rules, and of the lapse threshold
    /// ([`super::view_parts::edit_in_pieces`]).
    static EDITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static LAPSE_EDITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Whether the customers joined are many enough for the analysis to be computed in pieces.
fn big(analyses: Analyses) -> bool {
    let customers = analyses
        .population
        .with_untracked(|p| p.as_ref().map_or(0, |p| p.outcome.table.customers.len()));
    customers >= super::view_parts::PREPARED_FROM
}

/// Applies `change` to the loyalty rules, for many customers once the analysis with them is
/// computed in pieces ([`super::view_parts::edit_in_pieces`]: from the base kept, a few tasks).
fn edit(state: AppState, analyses: Analyses, change: impl FnOnce(&mut LoyaltyConfig)) {
    let step = move |next: &LoyaltyConfig| analyses.step_loyalty(state, next, None) == Some(true);
    super::view_parts::edit_in_pieces(state.loyalty, &EDITS, big(analyses), change, step);
}

/// Sets the lapse threshold (the lifecycle's too) as [`edit`] sets a rule.
fn edit_lapse(state: AppState, analyses: Analyses, days: Option<u32>) {
    let step = move |next: &crate::ui::state::LifecycleSettings| {
        let rules = state.loyalty.get_untracked();
        analyses.step_loyalty(state, &rules, Some(next)) == Some(true)
    };
    let change = |s: &mut crate::ui::state::LifecycleSettings| s.config.lapse_days = days;
    super::view_parts::edit_in_pieces(state.lifecycle, &LAPSE_EDITS, big(analyses), change, step);
}

/// A whole-number parameter of the loyalty rules.
fn number_field(
    label: Text,
    name: &'static str,
    min: u32,
    get: fn(&LoyaltyConfig) -> u32,
    set: fn(&mut LoyaltyConfig, u32),
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    view! {
        <label class="vl-field">
            <span class="vl-field__label">{move || state.t(label)}</span>
            <input class="vl-select" type="number" min=min step="1" data-param=name
                prop:value=move || state.loyalty.with(|c| get(c).to_string())
                on:change=move |event: ev::Event| {
                    if let Ok(value) = input_value(&event).trim().parse::<u32>() {
                        edit(state, analyses, |c| set(c, value));
                    }
                } />
        </label>
    }
}

/// The rules: lapse days (shared with the lifecycle), the behavioural loyalty, the long-term
/// customers, the high-value deciles and the satisfaction cuts.
#[component]
fn LoyaltyParameters(analysis: Analysis) -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    let t = move |text: Text| state.t(text);
    let cuts_now = Memo::new(move |_| {
        analysis.with(|a| match a {
            Some(Ok(a)) => Some(a.cuts),
            _ => None,
        })
    });
    let cuts_value = move || {
        state
            .loyalty
            .with(|c| c.cuts)
            .or_else(|| cuts_now.get())
            .map(|c| format!("{}, {}, {}", c.bottom, c.satisfied, c.top))
            .unwrap_or_default()
    };
    let cuts_invalid = RwSignal::new(false);
    let on_cuts = move |event: ev::Event| {
        let value = input_value(&event);
        let numbers: Vec<u8> = value
            .split([',', '，', ' ', '/'])
            .filter(|p| !p.trim().is_empty())
            .filter_map(|p| p.trim().parse::<u8>().ok())
            .collect();
        let parts = value
            .split([',', '，', ' ', '/'])
            .filter(|p| !p.trim().is_empty())
            .count();
        let cuts = match numbers.as_slice() {
            // Empty: the scale's defaults.
            [] if parts == 0 => None,
            [bottom, satisfied, top] if parts == 3 => Some(SatisfactionCuts {
                bottom: *bottom,
                satisfied: *satisfied,
                top: *top,
            }),
            // Anything else is said, and the cuts in use are kept.
            _ => {
                cuts_invalid.set(true);
                return;
            }
        };
        cuts_invalid.set(false);
        edit(state, analyses, |c| c.cuts = cuts);
    };
    let on_lapse = move |event: ev::Event| {
        let days = input_value(&event)
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|&d| d >= 1);
        edit_lapse(state, analyses, days);
    };
    view! {
        <details class="vl-panel vl-params" open data-panel="loyalty-parameters">
            <summary class="vl-panel__title">{move || t(Text::Parameters)}</summary>
            <div class="vl-params__grid">
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameLapseDays)}</span>
                    <input class="vl-select" type="number" min="1" step="1" data-param="lapse_days"
                        prop:value=move || state.lifecycle.with(|s| s.config.lapse_days.map(|d| d.to_string()).unwrap_or_default())
                        on:change=on_lapse />
                </label>
                {number_field(Text::ParamNameLoyalMinOrders, "loyal_min_orders", 1, |c| c.loyal_min_orders, |c, v| c.loyal_min_orders = v)}
                {number_field(Text::ParamNameLoyalMinTenure, "loyal_min_tenure_days", 0, |c| c.loyal_min_tenure_days, |c, v| c.loyal_min_tenure_days = v)}
                {number_field(Text::ParamNameLongTermDays, "long_term_days", 0, |c| c.long_term_days, |c, v| c.long_term_days = v)}
                {number_field(Text::ParamNameLongTermMinOrders, "long_term_min_orders", 1, |c| c.long_term_min_orders, |c, v| c.long_term_min_orders = v)}
                {number_field(Text::ParamNameHighValueDeciles, "high_value_deciles", 1, |c| u32::from(c.high_value_deciles), |c, v| c.high_value_deciles = u8::try_from(v).unwrap_or(u8::MAX))}
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameSatisfactionCuts)}</span>
                    <input class="vl-select" type="text" inputmode="numeric" data-param="satisfaction_cuts"
                        title=move || t(Text::LyCutsHint)
                        prop:value=cuts_value on:change=on_cuts />
                    <span class="vl-note">{move || t(Text::LyCutsHint)}</span>
                    {move || cuts_invalid.get().then(|| view! {
                        <span class="vl-status vl-status--error" role="alert" data-note="cuts-invalid">{t(Text::LyCutsInvalid)}</span>
                    })}
                </label>
            </div>
            <button class="vl-button vl-button--small" type="button" data-action="reset-loyalty-parameters"
                on:click=move |_| edit(state, analyses, |c| *c = LoyaltyConfig::default())>
                {move || t(Text::ResetDefaults)}
            </button>
        </details>
    }
}

/// The customers of each matrix type (the first ones; the CSV has them all).
fn members(analysis: Analysis, data: Option<Arc<LoadedData>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let lang = state.lang.get();
        let data = data.clone()?;
        analysis.with(|a| {
            let a = a.as_ref()?.as_ref().ok()?;
            a.behaviour.as_ref()?;
            let items = LoyaltyType::ALL
                .into_iter()
                .map(|kind| {
                    let (ids, more) = type_members(a, &data.outcome.table, kind);
                    let listed = if ids.is_empty() {
                        Text::LcNoneListed.get(lang).to_string()
                    } else {
                        ids.join(", ")
                    };
                    view! {
                        <dt>{type_text(kind).get(lang)}</dt>
                        <dd data-members=kind.as_str()>
                            {listed}
                            {(more > 0).then(|| view! { <span class="vl-note">" "{sentence(Text::LcMoreInCsv.get(lang), &[more.to_string()])}</span> })}
                        </dd>
                    }
                })
                .collect_view();
            Some(view! {
                <h4 class="vl-panel__subtitle">{Text::LyMembersTitle.get(lang)}</h4>
                <dl class="vl-definitions">{items}</dl>
            })
        })
    }
}

/// The loyalty view of a loaded survey (with the orders when they are loaded).
#[component]
pub fn LoyaltyView(survey: Arc<LoadedSurvey>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    let analysis = analyses.loyalty;
    let lang = state.lang;
    let data = analyses.population.get_untracked();
    let cards = part(analysis, lang, headline);
    let matched = part(analysis, lang, match_sentence);
    let notes = part(analysis, lang, loyalty_notices);
    let distribution = part(analysis, lang, distribution_rows);
    let has_behaviour =
        Memo::new(move |_| analysis.with(|a| matches!(a, Some(Ok(a)) if a.behaviour.is_some())));
    let facts = part(analysis, lang, matrix_facts);
    let matrix = part(analysis, lang, matrix_rows);
    let matrix_figure = part(analysis, lang, |a, lang| {
        matrix_chart(
            a,
            "ly-matrix",
            &ChartStyle {
                lang,
                width: 760,
                height: 420,
            },
        )
    });
    let uncounted = part(analysis, lang, matrix_uncounted);
    let classes = part(analysis, lang, class_rows);
    let classes_text = part(analysis, lang, classes_note);
    let rule = part(analysis, lang, churn_rule);
    let chart = part(analysis, lang, |a, lang| {
        churn_chart(a, "ly-churn", &ChartStyle::new(lang))
    });
    let churn = part(analysis, lang, churn_rows);
    let churn_words = part(analysis, lang, churn_sentence);
    let churn_file = part(analysis, lang, |a, lang| {
        churn_csv(a, "loyalty-churn-by-satisfaction", lang)
    });
    let by_decile = part(analysis, lang, |a, lang| {
        a.behaviour
            .as_ref()
            .map(|b| group_rows(&b.by_decile, GroupBy::Decile, lang))
    });
    let by_segment = Memo::new(move |_| {
        let lang = lang.get();
        let rfm = analyses.rfm.get().and_then(Result::ok)?;
        analysis.with(|a| match a {
            Some(Ok(a)) if a.behaviour.is_some() => Some(segment_rows(a, &rfm, lang)),
            _ => None,
        })
    });
    let unmatched = {
        let survey = survey.clone();
        part(analysis, lang, move |a, _| unmatched_ids(a, &survey.survey))
    };
    let has_join =
        Memo::new(move |_| analysis.with(|a| matches!(a, Some(Ok(a)) if a.join.is_some())));
    let customers_file: Arc<dyn Fn() -> Option<Csv> + Send + Sync> = {
        let data = data.clone();
        Arc::new(move || {
            let data = data.as_ref()?;
            let lang = lang.get_untracked();
            analysis.with_untracked(|a| match a {
                Some(Ok(a)) => Some(customers_csv(a, &data.outcome.table, CUSTOMERS_CSV, lang)),
                _ => None,
            })
        })
    };
    let unmatched_file: Arc<dyn Fn() -> Option<Csv> + Send + Sync> = {
        let survey = survey.clone();
        Arc::new(move || {
            let lang = lang.get_untracked();
            analysis.with_untracked(|a| match a {
                Some(Ok(a)) => Some(unmatched_csv(a, &survey.survey, UNMATCHED_CSV, lang)),
                _ => None,
            })
        })
    };
    let error = move || {
        let lang = lang.get();
        analysis.with(|a| match a {
            Some(Err(error)) => Some(view! {
                <p class="vl-status vl-status--error" role="alert" data-loyalty-error="">{error_text(error, lang)}</p>
            }),
            _ => None,
        })
    };
    let label = move |text: Text| state.t(text).to_string();
    view! {
        <section class="vl-section vl-loyalty" data-view-content="loyalty">
            <h2 class="vl-section-title">{move || state.t(Text::LyTitle)}</h2>
            <p class="vl-section-intro">{move || state.t(Text::LyIntro)}</p>
            <div class="vl-deciles__layout">
                <div class="vl-deciles__main">
                    {move || matched.get().flatten().map(|s| view! { <p class="vl-facts-line" data-facts="loyalty-match">{s}</p> })}
                    {error}
                    {move || notes.get().map(notices)}
                    <div class="vl-figures">
                        {move || cards.get().unwrap_or_default().into_iter().map(|m| view! { <MetricCard metric=m /> }).collect_view()}
                    </div>
                    <section class="vl-panel" data-section="ly-distribution">
                        <h3 class="vl-panel__title">{move || state.t(Text::LyDistributionTitle)}</h3>
                        {move || distribution.get().map(|t| view! { <Cells table=t name="ly-distribution" label=label(Text::LyDistributionTitle) /> })}
                    </section>
                    <Show when=move || has_behaviour.get()>
                        <section class="vl-panel" data-section="ly-matrix">
                            <h3 class="vl-panel__title">{move || state.t(Text::LyMatrixTitle)}</h3>
                            <p class="vl-facts-line">{move || facts.get()}</p>
                            {move || matrix_figure.get().flatten().map(|f| view! { <FigureView figure=f /> })}
                            {move || matrix.get().map(|t| view! { <Cells table=t name="ly-matrix" label=label(Text::LyMatrixTitle) /> })}
                            {move || uncounted.get().flatten().map(|s| view! { <p class="vl-note" data-note="ly-uncounted">{s}</p> })}
                            {members(analysis, data.clone())}
                            <p class="vl-note">{move || state.t(Text::LyCustomersCsvNote)}</p>
                            <CsvLaterButton file=CUSTOMERS_CSV.to_string() make=customers_file.clone() />
                        </section>
                        <section class="vl-panel" data-section="ly-classes">
                            <h3 class="vl-panel__title">{move || state.t(Text::LyClassesTitle)}</h3>
                            {move || classes.get().map(|t| view! { <Cells table=t name="ly-classes" label=label(Text::LyClassesTitle) /> })}
                            {move || classes_text.get().flatten().map(|s| view! { <p class="vl-note" data-note="ly-unclassified">{s}</p> })}
                        </section>
                        <section class="vl-panel" data-section="ly-churn">
                            <h3 class="vl-panel__title">{move || state.t(Text::LyChurnTitle)}</h3>
                            {move || churn_words.get().flatten().map(|s| view! { <p class="vl-facts-line" data-sentence="churn">{s}</p> })}
                            {move || rule.get().flatten().map(|s| view! { <p class="vl-note">{s}</p> })}
                            {move || chart.get().flatten().map(|f| view! { <FigureView figure=f /> })}
                            {move || churn.get().map(|t| view! { <Cells table=t name="ly-churn" label=label(Text::LyChurnTitle) /> })}
                            {move || churn_file.get().map(|csv| view! { <CsvButton csv=csv /> })}
                        </section>
                        <section class="vl-panel" data-section="ly-by-segment">
                            <h3 class="vl-panel__title">{move || state.t(Text::LyBySegmentTitle)}</h3>
                            {move || by_segment.get().map(|t| view! {
                                <div class="vl-table-wrap" tabindex="0" role="region" aria-label=label(Text::LyBySegmentTitle) data-table="ly-by-segment">
                                    <DataTable table=t class="vl-table vl-table--compact" />
                                </div>
                            })}
                        </section>
                        <section class="vl-panel" data-section="ly-by-decile">
                            <h3 class="vl-panel__title">{move || state.t(Text::LyByDecileTitle)}</h3>
                            {move || by_decile.get().flatten().map(|t| view! {
                                <div class="vl-table-wrap" tabindex="0" role="region" aria-label=label(Text::LyByDecileTitle) data-table="ly-by-decile">
                                    <DataTable table=t class="vl-table vl-table--compact" />
                                </div>
                            })}
                        </section>
                    </Show>
                    <Show when=move || has_join.get()>
                        <section class="vl-panel" data-section="ly-unmatched">
                            <h3 class="vl-panel__title">{move || state.t(Text::LyUnmatchedTitle)}</h3>
                            {move || unmatched.get().map(|(ids, more)| {
                                let lang = lang.get();
                                if ids.is_empty() {
                                    view! { <p class="vl-note">{Text::LyNoUnmatched.get(lang)}</p> }.into_any()
                                } else {
                                    let items = ids.into_iter().map(|id| view! { <li>{id}</li> }).collect_view();
                                    view! {
                                        <ul class="vl-list" data-list="ly-unmatched">{items}</ul>
                                        {(more > 0).then(|| view! { <p class="vl-note">{sentence(Text::LcMoreInCsv.get(lang), &[more.to_string()])}</p> })}
                                    }.into_any()
                                }
                            })}
                            <CsvLaterButton file=UNMATCHED_CSV.to_string() make=unmatched_file.clone() />
                        </section>
                    </Show>
                </div>
                <aside class="vl-deciles__aside"><LoyaltyParameters analysis=analysis /></aside>
            </div>
        </section>
    }
}

/// Shown in the loyalty view when no survey is loaded.
#[component]
pub fn NoSurvey() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="vl-empty" data-empty="no-survey">
            <h2 class="vl-empty__title">{move || state.t(Text::LyNoSurveyTitle)}</h2>
            <p class="vl-empty__text">{move || state.t(Text::LyNoSurveyHint)}</p>
            <a class="vl-button vl-button--primary" href="#/data" data-action="go-to-survey">{move || state.t(Text::LyGoToSurvey)}</a>
        </section>
    }
}
