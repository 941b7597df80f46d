//! The clusters section of the RFM view (聚类分析, issue 20): k-means on every customer's R, F
//! and M, run when the user asks (about a second per million customers, on this thread), with
//! its parameters (`data-param`: `cluster_k`, `cluster_scaling`, `cluster_seed`), the k choice,
//! the clusters described in original units, the cluster × segment table and the CSV of every
//! customer's cluster. `engine::clusters` computes, `present::clusters` words it.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

use super::chart::{CsvLaterButton, FigureView};
use super::metric::MetricCard;
use super::table::Cells;
use crate::charts::ChartStyle;
use crate::engine::clusters::{ClusterAnalysis, Scaling, K_MAX, K_MIN};
use crate::engine::error::Error;
use crate::engine::rfm::RfmAnalysis;
use crate::i18n::{error_text, Text};
use crate::present::clusters::{
    assignments_csv, cluster_table, headline, k_choice_chart, k_choice_table, report_sentence,
    scaling_words, segment_table,
};
use crate::ui::state::{Analyses, AppState, LoadedData};

/// The CSV of every customer's cluster.
const ASSIGNMENTS_CSV: &str = "rfm-clusters";

/// The section, under the RFM results.
#[component]
pub fn ClustersSection(
    data: Arc<LoadedData>,
    rfm: Memo<Option<Result<Arc<RfmAnalysis>, Error>>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let config = state.clusters;
    // Nothing runs until the user asks (`Analyses::clusters`).
    let asked = state.clusters_wanted;
    let result = expect_context::<Analyses>().clusters;
    let ok = move || result.with(|r| matches!(r, Some(Ok(_))));
    let with_ok = move |make: fn(
        &ClusterAnalysis,
        &RfmAnalysis,
        crate::i18n::Lang,
    ) -> crate::present::CellTable| {
        Memo::new(move |_| {
            let lang = lang.get();
            result.with(|r| match r {
                Some(Ok(a)) => rfm.with(|x| match x {
                    Some(Ok(rfm)) => Some(make(a, rfm, lang)),
                    _ => None,
                }),
                _ => None,
            })
        })
    };
    let choices = with_ok(|a, _, lang| k_choice_table(a, lang));
    let clusters = with_ok(|a, _, lang| cluster_table(a, lang));
    let k_chart = Memo::new(move |_| {
        let lang = lang.get();
        result.with(|r| match r {
            Some(Ok(a)) => Some(k_choice_chart(
                a,
                "rfm-cluster-k-chart",
                &ChartStyle::new(lang),
            )),
            _ => None,
        })
    });
    let segments = with_ok(segment_table);
    // Clusters × every customer attribute (issue 20).
    let by_attribute = {
        let data = data.clone();
        Memo::new(move |_| {
            let lang = lang.get();
            let attributes = state.customer_attributes(&data)?;
            result.with(|r| match r {
                Some(Ok(a)) => rfm.with(|x| match x {
                    Some(Ok(rfm)) => Some(super::profiles::cluster_tables(
                        &data.outcome.table,
                        a,
                        rfm,
                        &attributes,
                        lang,
                    )),
                    _ => None,
                }),
                _ => None,
            })
        })
    };
    let cards = Memo::new(move |_| {
        let lang = lang.get();
        result.with(|r| match r {
            Some(Ok(a)) => headline(a, lang),
            _ => Vec::new(),
        })
    });
    let summary = Memo::new(move |_| {
        let lang = lang.get();
        result.with(|r| match r {
            Some(Ok(a)) => Some(report_sentence(a, lang)),
            _ => None,
        })
    });
    let problem = move || {
        let lang = lang.get();
        result.with(|r| match r {
            Some(Err(error)) => Some(view! { <p class="vl-status vl-status--error" role="alert">{error_text(error, lang)}</p> }),
            _ => None,
        })
    };
    let running = move || {
        let lang = lang.get();
        match state.clusters_run.get() {
            crate::ui::state::ClusterRun::Running(customers) => Some(view! {
                <div class="vl-status" role="status" aria-busy="true" data-note="clusters-running">
                    <progress class="vl-progress" aria-label=Text::ClusterTitle.get(lang)></progress>
                    <p>{crate::present::sentence(Text::ClusterRunning.get(lang), &[crate::i18n::format_number(customers as f64, 0)])}</p>
                </div>
            }),
            _ => None,
        }
    };
    let csv_data = data.clone();
    let make_csv: Arc<dyn Fn() -> Option<crate::present::Csv> + Send + Sync> =
        Arc::new(move || {
            let lang = lang.get_untracked();
            result.with_untracked(|r| match r {
                Some(Ok(a)) => rfm.with_untracked(|x| match x {
                    Some(Ok(rfm)) => Some(assignments_csv(
                        a,
                        rfm,
                        &csv_data.outcome.table,
                        ASSIGNMENTS_CSV,
                        lang,
                    )),
                    _ => None,
                }),
                _ => None,
            })
        });
    let on_k = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        let k = value.parse::<u8>().ok();
        config.update(|c| c.k = k);
    };
    let on_scaling = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        if let Some(scaling) = Scaling::ALL.into_iter().find(|s| s.as_str() == value) {
            config.update(|c| c.scaling = scaling);
        }
    };
    let on_seed = move |event: ev::Event| {
        if let Ok(seed) = event_target::<HtmlInputElement>(&event)
            .value()
            .trim()
            .parse::<u64>()
        {
            config.update(|c| c.seed = seed);
        }
    };
    let k_options = move || {
        let lang = lang.get();
        let suggested = view! { <option value="" selected=move || config.with(|c| c.k.is_none())>{Text::ClusterSuggested.get(lang)}</option> };
        let fixed = (K_MIN..=K_MAX)
            .map(|k| {
                let k = k as u8;
                view! { <option value=k.to_string() selected=move || config.with(|c| c.k == Some(k))>{k.to_string()}</option> }
            })
            .collect_view();
        view! { {suggested}{fixed} }
    };
    let scaling_options = move || {
        let lang = lang.get();
        Scaling::ALL
            .into_iter()
            .map(|s| view! { <option value=s.as_str() selected=move || config.with(|c| c.scaling == s)>{scaling_words(s, lang)}</option> })
            .collect_view()
    };
    view! {
        <section class="vl-panel" data-section="rfm-clusters">
            <h3 class="vl-panel__title">{move || state.t(Text::ClusterTitle)}</h3>
            <p class="vl-note">{move || state.t(Text::ClusterIntro)}</p>
            <div class="vl-params__grid">
                <label class="vl-field">
                    <span class="vl-field__label">{move || state.t(Text::ParamNameClusterK)}</span>
                    <select class="vl-select" data-param="cluster_k" on:change=on_k>{k_options}</select>
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || state.t(Text::ClusterScaling)}</span>
                    <select class="vl-select" data-param="cluster_scaling" on:change=on_scaling>{scaling_options}</select>
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || state.t(Text::ClusterSeed)}</span>
                    <input class="vl-select" type="number" min="0" step="1" data-param="cluster_seed"
                        prop:value=move || config.with(|c| c.seed.to_string()) on:change=on_seed />
                </label>
            </div>
            <Show when=move || !asked.get()>
                <button class="vl-button" type="button" data-action="find-clusters" on:click=move |_| asked.set(true)>
                    {move || state.t(Text::ClusterFind)}
                </button>
            </Show>
            {running}
            {problem}
            <Show when=ok>
                <p class="vl-facts-line" data-facts="clusters">{move || summary.get()}</p>
                <div class="vl-figures">
                    {move || cards.get().into_iter().map(|m| view! { <MetricCard metric=m /> }).collect_view()}
                </div>
                {move || clusters.get().map(|t| view! { <Cells table=t name="rfm-clusters" label=state.t(Text::ClusterTitle).to_string() /> })}
                <h4 class="vl-panel__subtitle">{move || state.t(Text::ClusterChoiceTitle)}</h4>
                {move || k_chart.get().map(|f| view! { <FigureView figure=f /> })}
                {move || choices.get().map(|t| view! { <Cells table=t name="rfm-cluster-k" label=state.t(Text::ClusterChoiceTitle).to_string() /> })}
                <h4 class="vl-panel__subtitle">{move || state.t(Text::ClusterSegmentsTitle)}</h4>
                {move || segments.get().map(|t| view! { <Cells table=t name="rfm-cluster-segments" label=state.t(Text::ClusterSegmentsTitle).to_string() /> })}
                {move || by_attribute.get().map(|tables| tables.into_iter().map(|(title, table, note)| view! {
                    <h4 class="vl-panel__subtitle">{title.clone()}</h4>
                    <Cells table=table name="rfm-cluster-dimension" label=title />
                    <p class="vl-note" data-note="cluster-dimension">{note}</p>
                }).collect_view())}
                <CsvLaterButton file=ASSIGNMENTS_CSV.to_string() make=make_csv.clone() />
            </Show>
        </section>
    }
}
