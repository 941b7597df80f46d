//! The product mix part of the RFM and deciles views (产品结构, issue 20): a choice of line
//! attribute (`data-param="mix"`), then its values in the whole base and each value's share of
//! every segment's (RFM view) or sales decile's (deciles view) revenue with its index. Nothing
//! is shown without line attributes. Everything shown comes from `present::mix`.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlSelectElement;

use crate::i18n::Text;
use crate::present::mix::{line_label, mix_shown, MixShown};
use crate::ui::components::table::Cells;
use crate::ui::components::view_parts::{ready_after, Step};
use crate::ui::sliced::MixOf;
use crate::ui::state::{Analyses, AppState, LoadedData};

/// Which groups a view shows the mix of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MixPart {
    /// Sales deciles.
    Deciles,
    /// RFM segments.
    Segments,
}

/// The product mix choice and tables of a view.
#[component]
pub fn MixPanel(
    /// The loaded data (its line attributes).
    data: Arc<LoadedData>,
    /// The groups to show.
    part: MixPart,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    let lang = state.lang;
    let lines = state.line_attributes(&data);
    let first = lines
        .as_ref()
        .and_then(|l| l.lines.first())
        .map(|l| l.key.clone())
        .unwrap_or_default();
    let chosen = RwSignal::new(first);
    let rfm_of = move || match part {
        MixPart::Segments => analyses.rfm.get().and_then(Result::ok),
        MixPart::Deciles => None,
    };
    // The mix of a choice is computed over the next tasks (every pair of every customer: 8
    // million at a million customers), then shown.
    let ready = RwSignal::new(false);
    {
        let (data, lines) = (data.clone(), lines.clone());
        Effect::new(move |_| {
            let key = chosen.get();
            let rfm = rfm_of();
            analyses.population.track();
            analyses.kept_deciles.track();
            let (data, lines) = (data.clone(), lines.clone());
            let mix_step: Step = Box::new(move || {
                let Some(line) = lines.as_ref().and_then(|l| l.get(&key)) else {
                    return false;
                };
                let Some(Some(Ok(deciles))) = analyses.sales_deciles.try_get_untracked() else {
                    return false;
                };
                let of = MixOf {
                    data: &data,
                    line,
                    rfm: rfm.as_ref(),
                    deciles: &deciles,
                };
                crate::ui::sliced::step_mix(&of)
            });
            ready_after(vec![analyses.computing_sales_deciles(), mix_step], ready);
        });
    }
    let result = {
        let data = data.clone();
        let lines = lines.clone();
        Memo::new(move |_| -> Option<Result<MixShown, String>> {
            if !ready.get() {
                return None;
            }
            let lang = lang.get();
            // Read as the last run of the steps left them (they run again when these change).
            let key = chosen.get_untracked();
            let line = lines.as_ref()?.get(&key)?;
            let rfm = untrack(rfm_of);
            let deciles = match analyses.sales_deciles.get_untracked()? {
                Ok(deciles) => deciles,
                Err(error) => return Some(Err(crate::i18n::error_text(&error, lang))),
            };
            let of = MixOf {
                data: &data,
                line,
                rfm: rfm.as_ref(),
                deciles: &deciles,
            };
            Some(match crate::ui::sliced::mix(&of) {
                Ok(mix) => Ok(mix_shown(
                    &mix,
                    &line_label(line, lang),
                    rfm.as_deref(),
                    lang,
                )),
                Err(error) => Err(crate::i18n::error_text(&error, lang)),
            })
        })
    };
    let on_choice = move |event: ev::Event| {
        chosen.set(event_target::<HtmlSelectElement>(&event).value());
    };
    let choice = {
        let lines = lines.clone();
        move || {
            let lang = lang.get();
            let lines = lines.clone()?;
            let current = chosen.get_untracked();
            let options = lines
                .lines
                .iter()
                .map(|l| {
                    let key = l.key.clone();
                    let selected = key == current;
                    view! { <option value=key selected=selected>{line_label(l, lang)}</option> }
                })
                .collect_view();
            Some(view! {
                <label class="vl-field">
                    <span class="vl-field__label">{Text::MixChoose.get(lang)}</span>
                    <select class="vl-select" data-param="mix" on:change=on_choice>
                        {options}
                    </select>
                </label>
            })
        }
    };
    let tables = move || {
        result.get().map(|made| match made {
            Err(text) => view! { <p class="vl-status vl-status--error" role="alert">{text}</p> }.into_any(),
            Ok(shown) => {
                let cross = match part {
                    MixPart::Deciles => Some(shown.deciles.clone()),
                    MixPart::Segments => shown.segments.clone(),
                };
                let title = match part {
                    MixPart::Deciles => shown.deciles_title.clone(),
                    MixPart::Segments => shown.segments_title.clone(),
                };
                view! {
                    <h4 class="vl-panel__subtitle">{shown.base_title.clone()}</h4>
                    <Cells table=shown.base.clone() name="mix-values" label=shown.base_title.clone() />
                    {cross.map(|(shares, indices)| view! {
                        <h4 class="vl-panel__subtitle">{title.clone()}</h4>
                        <Cells table=shares name="mix-shares" label=title.clone() />
                        <Cells table=indices name="mix-indices" label=title.clone() />
                    })}
                    {shown.notes.iter().map(|n| view! { <p class="vl-note" data-note="mix">{n.clone()}</p> }).collect_view()}
                }
                .into_any()
            }
        })
    };
    lines.is_some().then(|| {
        view! {
            <section class="vl-panel vl-mix" data-section="mix">
                <h3 class="vl-panel__title">{move || state.t(Text::MixReportTitle)}</h3>
                {choice}
                {tables}
            </section>
        }
    })
}
