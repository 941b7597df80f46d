//! The top bar: name, navigation between the views, and the language switch.

use leptos::ev;
use leptos::prelude::*;

use crate::i18n::Text;
use crate::ui::state::{AppState, View};

/// The top bar.
#[component]
pub fn Header() -> impl IntoView {
    let state = expect_context::<AppState>();
    let switch_language = move |_| state.lang.update(|lang| *lang = lang.other());
    view! {
        <header class="vl-header">
            <div class="vl-header__brand">
                <span class="vl-header__logo" aria-hidden="true"></span>
                <h1 class="vl-header__name">{move || state.t(Text::AppName)}</h1>
            </div>
            <nav class="vl-nav" aria-label=move || state.t(Text::MainNavigation)>
                {View::ALL
                    .into_iter()
                    .map(|view| {
                        let class = move || {
                            if state.view.get() == view { "vl-nav__item vl-nav__item--active" } else { "vl-nav__item" }
                        };
                        let current = move || (state.view.get() == view).then_some("page");
                        // The view changes in the click's own task; the link still sets the
                        // fragment (history, reload), and its `hashchange` then finds the view
                        // already shown. A click that opens a new tab or window changes nothing.
                        let open = move |event: ev::MouseEvent| {
                            let plain = event.button() == 0
                                && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key());
                            if plain && state.view.get_untracked() != view {
                                state.view.set(view);
                            }
                        };
                        view! {
                            <a class=class href=format!("#/{}", view.slug()) data-view=view.slug() aria-current=current on:click=open>
                                {move || state.t(view.label())}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <button
                class="vl-lang"
                type="button"
                data-action="switch-language"
                title=move || state.t(Text::LanguageSwitch)
                on:click=switch_language
            >
                {move || state.lang.get().other().native_name()}
            </button>
        </header>
    }
}
