//! Empty states: no data loaded yet, or an analysis that could not run.

use leptos::prelude::*;

use crate::engine::error::Error;
use crate::i18n::{error_text, Lang, Text};
use crate::present::rfm::needs_dates;
use crate::ui::state::AppState;

/// Why an analysis could not run, as an analysis view shows it: without purchase dates, a note
/// (`data-note=dates_note`) saying how to map a date column (`dates_text`); any other error, its
/// words as an alert.
pub fn analysis_error(
    error: &Error,
    dates_note: &'static str,
    dates_text: Text,
    lang: Lang,
) -> AnyView {
    if needs_dates(error) {
        view! { <p class="vl-note" data-note=dates_note>{dates_text.get(lang)}</p> }.into_any()
    } else {
        view! { <p class="vl-status vl-status--error" role="alert">{error_text(error, lang)}</p> }
            .into_any()
    }
}

/// Shown in an analysis view when no data is loaded.
#[component]
pub fn NoData() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="vl-empty" data-empty="no-data">
            <h2 class="vl-empty__title">{move || state.t(Text::NoDataTitle)}</h2>
            <p class="vl-empty__text">{move || state.t(Text::NoDataHint)}</p>
            <a class="vl-button vl-button--primary" href="#/data">{move || state.t(Text::GoToData)}</a>
        </section>
    }
}
