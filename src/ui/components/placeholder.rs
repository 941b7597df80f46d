//! Empty states: no data loaded yet.

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
