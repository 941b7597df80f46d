//! The filter bar at the top of the analysis views (筛选, issue 20): the attribute
//! (`data-param="filter-dimension"`, "(all customers)" first), its values as checkboxes with
//! their customers (`data-param="filter-values"`), keep the global scores or re-score
//! (`data-param="filter-mode"`), and the sentence that says which customers the view reads
//! (`data-note="filter"`, with `filter_customers` and `population_customers`). Everything shown
//! comes from `present::filter`; the state is [`AppState::filter`].

use leptos::ev;
use leptos::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

use crate::engine::dimensions::filter::{Filter, FilterMode};
use crate::i18n::Text;
use crate::present::dimensions::attribute_label;
use crate::present::filter::{filter_choices, filter_note, line_filter_choices, Chosen, NotePart};
use crate::present::mix::line_label;
use crate::present::raw_value;
use crate::ui::state::{Analyses, AppState};

/// Clears the filter whenever other data is loaded (or the data is forgotten).
pub fn clear_on_new_data(state: AppState) {
    Effect::new(move |previous: Option<Option<usize>>| {
        let id = state
            .data
            .with(|d| d.as_ref().map(|d| std::sync::Arc::as_ptr(d) as usize));
        if previous.is_some_and(|p| p != id) {
            state.filter.set(None);
        }
        id
    });
}

/// The sentence over the view: all customers, or the filter and its counts.
#[component]
pub fn FilterNote() -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    move || {
        let lang = state.lang.get();
        let data = state.data.get()?;
        let population = data.outcome.table.customers.len();
        let subset = analyses.subset.get();
        let mode = state
            .filter
            .with(|f| f.as_ref().map_or(FilterMode::Keep, |f| f.mode));
        let label = subset.as_ref().and_then(|s| {
            let attribute = state
                .customer_attributes(&data)
                .and_then(|a| a.get(&s.filter.key).map(|a| attribute_label(a, lang)));
            attribute.or_else(|| {
                state
                    .line_attributes(&data)
                    .and_then(|l| l.get(&s.filter.key).map(|l| line_label(l, lang)))
            })
        });
        let chosen = match (&subset, &label) {
            (Some(s), Some(label)) => Some(Chosen {
                label,
                values: &s.filter.values,
                customers: s.indices.len(),
                mode,
                lines: s.matching.is_some(),
            }),
            _ => None,
        };
        let parts = filter_note(population, chosen.as_ref(), lang);
        Some(note_view(parts, chosen.is_some()))
    }
}

fn note_view(parts: Vec<NotePart>, filtered: bool) -> impl IntoView {
    let class = if filtered {
        "vl-note vl-filter__note vl-filter__note--on"
    } else {
        "vl-note vl-filter__note"
    };
    let parts = parts
        .into_iter()
        .map(|part| match part {
            NotePart::Text(text) => view! { <span>{text}</span> }.into_any(),
            NotePart::Figure {
                metric,
                value,
                shown,
                hidden,
            } => view! {
                <span data-metric=metric data-value=raw_value(value as f64) hidden=hidden>{shown}</span>
            }
            .into_any(),
        })
        .collect_view();
    view! { <p class=class data-note="filter" role="status">{parts}</p> }
}

/// The filter controls and the sentence; nothing without data.
#[component]
pub fn FilterBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let on_dimension = move |event: ev::Event| {
        let key = event_target::<HtmlSelectElement>(&event).value();
        state.filter.update(|f| {
            let mode = f.as_ref().map_or(FilterMode::Keep, |f| f.mode);
            *f = (!key.is_empty()).then(|| Filter {
                key,
                values: Vec::new(),
                mode,
            });
        });
    };
    let on_mode = move |event: ev::Event| {
        let mode = FilterMode::from_name(&event_target::<HtmlSelectElement>(&event).value())
            .unwrap_or_default();
        state.filter.update(|f| {
            if let Some(f) = f {
                f.mode = mode;
            }
        });
    };
    // The controls are drawn again only when the attribute changes (or the data, the
    // language): ticking a value or changing the mode updates the boxes in place, so the focus
    // stays on the box a keyboard user just ticked.
    let key = Memo::new(move |_| state.filter.with(|f| f.as_ref().map(|f| f.key.clone())));
    let mode = Memo::new(move |_| state.filter.with(|f| f.as_ref().map(|f| f.mode)));
    let none_chosen = Memo::new(move |_| {
        state
            .filter
            .with(|f| f.as_ref().is_some_and(|f| f.values.is_empty()))
    });
    let controls = move || {
        let lang = lang.get();
        let data = state.data.get()?;
        let attributes = state.customer_attributes(&data).unwrap_or_default();
        let lines = state.line_attributes(&data).unwrap_or_default();
        if attributes.attributes.is_empty() && lines.lines.is_empty() {
            return None;
        }
        let current = key.get().unwrap_or_default();
        let options = attributes
            .attributes
            .iter()
            .map(|a| {
                let key = a.key.clone();
                let selected = key == current;
                view! { <option value=key selected=selected>{attribute_label(a, lang)}</option> }
            })
            .collect_view();
        let line_options = (!lines.lines.is_empty()).then(|| {
            let options = lines
                .lines
                .iter()
                .map(|l| {
                    let key = l.key.clone();
                    let selected = key == current;
                    view! { <option value=key selected=selected>{line_label(l, lang)}</option> }
                })
                .collect_view();
            view! { <optgroup label=Text::FilterLineGroup.get(lang)>{options}</optgroup> }
        });
        let choices = match attributes.get(&current) {
            Some(attribute) => Some(filter_choices(attribute, lang)),
            None => lines.get(&current).map(|l| line_filter_choices(l, lang)),
        };
        let values = choices.map(|choices| {
            let boxes = choices
                .into_iter()
                .map(|choice| {
                    let value = choice.value.clone();
                    let shown = choice.value.clone();
                    let checked = move || {
                        state
                            .filter
                            .with(|f| f.as_ref().is_some_and(|f| f.values.contains(&shown)))
                    };
                    let on_tick = move |event: ev::Event| {
                        let on = event_target::<HtmlInputElement>(&event).checked();
                        let value = value.clone();
                        state.filter.update(|f| {
                            if let Some(f) = f {
                                f.values.retain(|v| *v != value);
                                if on {
                                    f.values.push(value);
                                }
                            }
                        });
                    };
                    view! {
                        <label class="vl-filter__value">
                            <input type="checkbox" value=choice.value.clone() data-value=choice.value prop:checked=checked on:change=on_tick />
                            <span>{choice.label}</span>
                        </label>
                    }
                })
                .collect_view();
            let is = move |m: FilterMode| mode.get().unwrap_or_default() == m;
            view! {
                <fieldset class="vl-filter__values" data-param="filter-values">
                    <legend class="vl-field__label">{Text::FilterValues.get(lang)}</legend>
                    {boxes}
                </fieldset>
                {move || none_chosen.get().then(|| view! { <p class="vl-note">{Text::FilterNoneChosen.get(lang)}</p> })}
                <label class="vl-field">
                    <span class="vl-field__label">{Text::FilterModeLabel.get(lang)}</span>
                    <select class="vl-select" data-param="filter-mode" on:change=on_mode>
                        <option value="keep" prop:selected=move || is(FilterMode::Keep)>{Text::FilterModeKeep.get(lang)}</option>
                        <option value="rescore" prop:selected=move || is(FilterMode::Rescore)>{Text::FilterModeRescore.get(lang)}</option>
                    </select>
                </label>
                <p class="vl-note vl-filter__hint">{Text::FilterKeepHint.get(lang)}</p>
            }
        });
        Some(view! {
            <label class="vl-field">
                <span class="vl-field__label">{Text::FilterBy.get(lang)}</span>
                <select class="vl-select" data-param="filter-dimension" on:change=on_dimension>
                    <option value="" selected=current.is_empty()>{Text::FilterAll.get(lang)}</option>
                    {options}
                    {line_options}
                </select>
            </label>
            {values}
        })
    };
    move || {
        state.data.with(Option::is_some).then(|| {
            view! {
                <section class="vl-filter" data-section="filter">
                    <div class="vl-filter__controls">{controls}</div>
                    <FilterNote />
                </section>
            }
        })
    }
}
