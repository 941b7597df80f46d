//! The profiles view (客户画像, issue 20): per customer attribute its distribution or age bands
//! with bars, then the correlation matrix (measure, strength and n in every cell) and its heat
//! map. `engine::profiles` computes, `present::profiles` words it; attributes come only from
//! [`AppState::customer_attributes`].

use std::sync::Arc;

use leptos::prelude::*;

use super::chart::{CsvButton, FigureView, PrintedFigure};
use super::report::printed_cells;
use super::table::Cells;
use crate::engine::clusters::ClusterAnalysis;
use crate::engine::customers::CustomerTable;
use crate::engine::dimensions::{BreakdownConfig, CustomerAttributes};
use crate::engine::error::Error;
use crate::engine::profiles::{cluster_dimension, ProfileConfig, Profiles};
use crate::engine::rfm::RfmAnalysis;
use crate::i18n::{error_text, Lang, Text};
use crate::present::dimensions::attribute_label;
use crate::present::profiles::{
    attribute_shown, cluster_dimension_shown, correlation_shown, correlation_table, profiles_csv,
    CorrelationShown,
};
use crate::present::CellTable;
use crate::ui::components::view_parts::{ready_after, Step};
use crate::ui::state::{AppState, LoadedData};

/// The profiles and the attributes they were made from.
type Made = Result<(Arc<Profiles>, Arc<CustomerAttributes>), Error>;

/// The view.
#[component]
pub fn ProfilesView(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    // Recency counts to the RFM analysis day the user set, if any.
    let config = move || ProfileConfig {
        analysis_day: state.rfm_config.with(|c| c.analysis_day),
        ..ProfileConfig::default()
    };
    // Computed over the next tasks (at a million customers most of a second at once), then
    // shown.
    let ready = RwSignal::new(false);
    {
        let data = data.clone();
        Effect::new(move |_| {
            let attributes = state.customer_attributes(&data);
            let config = config();
            let data = data.clone();
            let step: Step = Box::new(move || {
                attributes
                    .as_ref()
                    .is_some_and(|a| crate::ui::sliced::step_profiles(&data, a, &config))
            });
            ready_after(vec![step], ready);
        });
    }
    let profiles = Memo::new_with_compare(
        move |_| -> Option<Made> {
            if !ready.get() {
                return None;
            }
            // Read as the last run of the steps left them (they run again when these change).
            let attributes = untrack(|| state.customer_attributes(&data))?;
            let config = untrack(config);
            Some(crate::ui::sliced::profiles(&data, &attributes, &config).map(|p| (p, attributes)))
        },
        |old, new| old != new,
    );
    let attributes_part = move || {
        let lang = lang.get();
        match profiles.get() {
            None => view! { <p class="vl-note" data-note="no-attributes">{Text::ProfNoAttributes.get(lang)}</p> }.into_any(),
            Some(Err(error)) => view! { <p class="vl-status vl-status--error" role="alert">{error_text(&error, lang)}</p> }.into_any(),
            Some(Ok((p, attributes))) => p
                .profiles
                .iter()
                .zip(&attributes.attributes)
                .enumerate()
                .map(|(i, (profile, attribute))| {
                    let shown = attribute_shown(profile, attribute, i, lang);
                    view! {
                        <section class="vl-panel" data-section="profile" data-attribute=shown.key.clone()>
                            <h3 class="vl-panel__title">{shown.title.clone()}</h3>
                            <Cells table=shown.table name="profile" label=shown.title.clone() />
                            {shown.chart.map(|f| view! { <FigureView figure=f /> })}
                            {shown.notes.into_iter().map(|n| view! { <p class="vl-note" data-note="profile">{n}</p> }).collect_view()}
                        </section>
                    }
                })
                .collect_view()
                .into_any(),
        }
    };
    let correlation = Memo::new(move |_| {
        let lang = lang.get();
        profiles.with(|p| match p {
            Some(Ok((p, attributes))) => {
                Some(correlation_shown(&p.correlations, Some(attributes), lang))
            }
            _ => None,
        })
    });
    view! {
        <section class="vl-section vl-profiles" data-view-content="profiles">
            <h2 class="vl-section-title">{move || state.t(Text::ProfTitle)}</h2>
            <p class="vl-note">{move || state.t(Text::ProfIntro)}</p>
            {attributes_part}
            {move || correlation.get().map(correlation_panel)}
            {move || profiles.with(|p| match p {
                Some(Ok((p, _))) => Some(view! { <CsvButton csv=profiles_csv(p, lang.get()) /> }),
                _ => None,
            })}
        </section>
    }
}

/// The correlation matrix: every cell carries `data-metric="corr:<a>:<b>"` with `data-measure`,
/// and its n as `corr_n:<a>:<b>`.
pub fn correlation_panel(c: CorrelationShown) -> impl IntoView {
    let head = c
        .header
        .iter()
        .map(|h| view! { <th scope="col" class="vl-table__num">{h.clone()}</th> })
        .collect_view();
    let body = c
        .rows
        .into_iter()
        .map(|(name, cells)| {
            let cells = cells
                .into_iter()
                .map(|cell| match cell {
                    None => view! { <td class="vl-table__num">"–"</td> }.into_any(),
                    Some(cell) => {
                        let raw = cell.raw();
                        view! {
                            <td class="vl-table__num" data-measure=cell.measure>
                                <span data-metric=cell.metric data-measure=cell.measure data-value=raw>{cell.display}</span>
                                <span class="vl-cell-detail">{cell.strength}</span>
                                <span class="vl-cell-detail" data-metric=cell.n_metric data-value=cell.n.to_string()>{cell.n_display}</span>
                            </td>
                        }
                        .into_any()
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{name}</th>{cells}</tr> }
        })
        .collect_view();
    let title = c.title.clone();
    let corner = c.corner.clone();
    view! {
        <section class="vl-panel" data-section="correlations">
            <h3 class="vl-panel__title">{c.title}</h3>
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label=title data-table="correlations">
                <table class="vl-table vl-table--compact">
                    <thead><tr><th scope="col">{corner}</th>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {c.notes.into_iter().map(|n| view! { <p class="vl-note" data-note="correlation">{n}</p> }).collect_view()}
            <FigureView figure=c.heatmap />
        </section>
    }
}

/// The cluster × attribute tables of the RFM view's clusters section (and the report): title,
/// table and note per attribute.
pub fn cluster_tables(
    table: &CustomerTable,
    clusters: &ClusterAnalysis,
    rfm: &RfmAnalysis,
    attributes: &CustomerAttributes,
    lang: Lang,
) -> Vec<(String, CellTable, String)> {
    attributes
        .attributes
        .iter()
        .filter_map(|attribute| {
            let d = cluster_dimension(
                table,
                clusters,
                &rfm.scores,
                attribute,
                BreakdownConfig::default(),
            )
            .ok()?;
            Some(cluster_dimension_shown(
                &d,
                &attribute_label(attribute, lang),
                lang,
            ))
        })
        .collect()
}

/// The report's profiles section: each attribute's table, the correlation matrix with its notes
/// and heat map, and the cluster × attribute tables when clusters were found; `None` without
/// attributes.
pub fn report_section(
    data: &Arc<LoadedData>,
    attributes: Option<&Arc<CustomerAttributes>>,
    rfm: Option<&RfmAnalysis>,
    clusters: Option<&ClusterAnalysis>,
    lang: Lang,
) -> Option<impl IntoView> {
    let attributes = attributes?;
    let table = &data.outcome.table;
    let config = ProfileConfig {
        analysis_day: rfm.map(|r| r.scores.analysis_day),
        ..ProfileConfig::default()
    };
    // Computed over the tasks before this part (its steps), and kept.
    let p = crate::ui::sliced::profiles(data, attributes, &config).ok()?;
    let parts = p
        .profiles
        .iter()
        .zip(&attributes.attributes)
        .enumerate()
        .map(|(i, (profile, attribute))| {
            let shown = attribute_shown(profile, attribute, i, lang);
            view! {
                <h3>{shown.title}</h3>
                {printed_cells(shown.table, 1)}
                {shown.notes.into_iter().map(|n| view! { <p class="vl-note">{n}</p> }).collect_view()}
            }
        })
        .collect_view();
    let c = correlation_shown(&p.correlations, Some(attributes), lang);
    let matrix = correlation_table(&c);
    let clustered = clusters.zip(rfm).map(|(k, r)| {
        cluster_tables(table, k, r, attributes, lang)
            .into_iter()
            .map(|(title, t, note)| {
                view! {
                    <h3>{title}</h3>
                    {printed_cells(t, 1)}
                    <p class="vl-note">{note}</p>
                }
            })
            .collect_view()
    });
    Some(view! {
        <section class="vl-report__section" data-report-section="profiles">
            <h2>{Text::ProfReportTitle.get(lang)}</h2>
            {parts}
            <h3>{c.title}</h3>
            {printed_cells(matrix, 1)}
            {c.notes.into_iter().map(|n| view! { <p class="vl-note">{n}</p> }).collect_view()}
            <PrintedFigure figure=c.heatmap name="report-profile-heatmap" />
            {clustered}
        </section>
    })
}
