//! Empty states: no data yet, and views whose analysis is not built yet.

use leptos::prelude::*;

use crate::i18n::Text;
use crate::ui::state::AppState;

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

/// Shown in a view whose analysis is not built yet: says what it will hold.
#[component]
pub fn NotYet(
    /// What the view will contain.
    planned: Text,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="vl-empty" data-empty="not-built">
            <h2 class="vl-empty__title">{move || state.t(Text::NotYetTitle)}</h2>
            <p class="vl-empty__text">{move || state.t(planned)}</p>
        </section>
    }
}
