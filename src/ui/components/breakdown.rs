//! The "Breakdown by" part of the deciles and RFM views (分维度查看, issue 20): a choice of
//! customer attribute (`data-param="breakdown"`), then the attribute's values table and the
//! decile × value (deciles view) or segment × value (RFM view) table, with their notes and CSV.
//! Everything shown comes from `present::dimensions`.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlSelectElement;

use crate::charts::ChartStyle;
use crate::engine::error::Error;
use crate::i18n::Text;
use crate::present::dimensions::{
    attribute_label, breakdown_csv, breakdown_multiples, breakdown_shown, BreakdownShown,
    MultiplesOf,
};
use crate::present::{Csv, Figure};
use crate::ui::components::chart::CsvButton;
use crate::ui::components::chart::FigureView;
use crate::ui::components::table::Cells;
use crate::ui::components::view_parts::{ready_after, Step};
use crate::ui::state::{Analyses, AppState, LoadedData};

/// A breakdown as shown, its CSV and its small multiples.
type Made = (BreakdownShown, Csv, Option<Figure>);

/// Which cross table a view shows beside the values table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakdownPart {
    /// Sales decile × value.
    Deciles,
    /// RFM segment × value.
    Segments,
}

/// The breakdown choice and tables of a view.
#[component]
pub fn BreakdownPanel(
    /// The loaded data (its customer attributes).
    data: Arc<LoadedData>,
    /// The cross table to show.
    part: BreakdownPart,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    let lang = state.lang;
    // Read in a reactive scope: a master file joined while the view is open adds its columns.
    let attributes = {
        let data = data.clone();
        Signal::derive(move || state.customer_attributes(&data))
    };
    let chosen = RwSignal::new(String::new());
    let rfm_of = move || match part {
        BreakdownPart::Segments => analyses.rfm.get().and_then(Result::ok),
        BreakdownPart::Deciles => None,
    };
    // Every customer's sales decile is cut over the next tasks (a ranking of all of them), then
    // the breakdown of a choice shown. A filter that keeps the global scores gives the global
    // deciles.
    let ready = RwSignal::new(false);
    // The breakdown of the choice, over the tasks after the deciles (three passes over every
    // customer), kept for the memo.
    {
        let data = data.clone();
        Effect::new(move |_| {
            let key = chosen.get();
            analyses.population.track();
            analyses.kept_deciles.track();
            let steps = match key.is_empty() {
                false => {
                    let data = data.clone();
                    let step: Step = Box::new(move || {
                        let step = crate::ui::sliced::step_breakdown;
                        breakdown_of(state, analyses, &data, part, &key, step) == Some(Ok(true))
                    });
                    vec![analyses.computing_sales_deciles(), step]
                }
                true => Vec::new(),
            };
            ready_after(steps, ready);
        });
    }
    let result = {
        let data = data.clone();
        Memo::new(move |_| -> Option<Result<Made, String>> {
            if !ready.get() {
                return None;
            }
            let lang = lang.get();
            // Read as the last run of the steps left them (they run again when these change).
            let key = chosen.get_untracked();
            let attributes = attributes.get()?;
            let attribute = attributes.get(&key)?;
            let rfm = rfm_of();
            let table = &data.outcome.table;
            let made = breakdown_of(state, analyses, &data, part, &key, |of| {
                crate::ui::sliced::breakdown(of)
            })?;
            Some(match made.and_then(|made| made) {
                Ok(b) => {
                    let label = attribute_label(attribute, lang);
                    let shown =
                        breakdown_shown(&b, &label, rfm.as_deref(), table.columns.profit, lang);
                    let of = match part {
                        BreakdownPart::Deciles => MultiplesOf::Deciles,
                        BreakdownPart::Segments => MultiplesOf::Segments,
                    };
                    let figure =
                        breakdown_multiples(&b, &label, rfm.as_deref(), of, &ChartStyle::new(lang));
                    Ok((shown, breakdown_csv(&b, rfm.as_deref(), lang), figure))
                }
                Err(error) => Err(crate::i18n::error_text(&error, lang)),
            })
        })
    };
    let on_choice = move |event: ev::Event| {
        chosen.set(event_target::<HtmlSelectElement>(&event).value());
    };
    let choice = move || {
        let lang = lang.get();
        let Some(attributes) = attributes.get() else {
            return view! { <p class="vl-note" data-note="no-attributes">{Text::DimNoAttributes.get(lang)}</p> }.into_any();
        };
        let current = chosen.get_untracked();
        let options = attributes
            .attributes
            .iter()
            .map(|a| {
                let key = a.key.clone();
                let selected = key == current;
                view! { <option value=key selected=selected>{attribute_label(a, lang)}</option> }
            })
            .collect_view();
        view! {
            <label class="vl-field">
                <span class="vl-field__label">{Text::DimBreakdownBy.get(lang)}</span>
                <select class="vl-select" data-param="breakdown" on:change=on_choice>
                    <option value="" selected=current.is_empty()>{Text::DimNoBreakdown.get(lang)}</option>
                    {options}
                </select>
            </label>
        }
        .into_any()
    };
    let tables = move || {
        result.get().map(|made| match made {
            Err(text) => view! { <p class="vl-status vl-status--error" role="alert">{text}</p> }.into_any(),
            Ok((shown, csv, figure)) => {
                let cross = match part {
                    BreakdownPart::Deciles => Some((shown.deciles_title.clone(), shown.deciles.clone(), "dim-deciles")),
                    BreakdownPart::Segments => shown.segments.clone().map(|t| (shown.segments_title.clone(), t, "dim-segments")),
                };
                view! {
                    <h4 class="vl-panel__subtitle">{shown.values_title.clone()}</h4>
                    <Cells table=shown.values.clone() name="dim-values" label=shown.values_title.clone() />
                    {cross.map(|(title, table, name)| view! {
                        <h4 class="vl-panel__subtitle">{title.clone()}</h4>
                        <Cells table=table name=name label=title />
                    })}
                    {figure.map(|f| view! { <FigureView figure=f /> })}
                    {shown.notes.iter().map(|n| view! { <p class="vl-note" data-note="breakdown">{n.clone()}</p> }).collect_view()}
                    <CsvButton csv=csv />
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="vl-panel vl-breakdown" data-section="breakdown">
            <h3 class="vl-panel__title">{move || state.t(Text::DimBreakdownBy)}</h3>
            {choice}
            {tables}
        </section>
    }
}

/// `f` of the breakdown of `data` by the attribute `key` for `part` (with the segments of the
/// RFM analysis for the segment part), on every customer's sales decile as the view's steps
/// left them: `None` while they are not there, their error when they failed.
fn breakdown_of<R>(
    state: AppState,
    analyses: Analyses,
    data: &Arc<LoadedData>,
    part: BreakdownPart,
    key: &str,
    f: impl FnOnce(&crate::ui::sliced::BreakdownOf<'_>) -> R,
) -> Option<Result<R, Error>> {
    let attributes = untrack(|| state.customer_attributes(data))?;
    let deciles = match analyses.sales_deciles.try_get_untracked()?? {
        Ok(deciles) => deciles,
        Err(error) => return Some(Err(error)),
    };
    let rfm = match part {
        BreakdownPart::Segments => analyses.rfm_now(),
        BreakdownPart::Deciles => None,
    };
    let of = crate::ui::sliced::BreakdownOf {
        data,
        attributes: &attributes,
        key,
        rfm: rfm.as_ref(),
        deciles: Some(&deciles),
    };
    Some(Ok(f(&of)))
}
