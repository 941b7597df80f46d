//! Small pieces the analysis views share: a section's memo over an analysis and the language,
//! and the value of an input's change event.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use crate::engine::error::Error;
use crate::i18n::Lang;

/// A memo of [`crate::ui::state::Analyses`].
pub type Analysis<T> = Memo<Option<Result<Arc<T>, Error>>>;

/// One part of a view: recomputed when its analysis or the language changes (`None` without a
/// result).
pub fn part<A, T>(
    analysis: Analysis<A>,
    lang: RwSignal<Lang>,
    make: impl Fn(&A, Lang) -> T + Send + Sync + 'static,
) -> Memo<Option<T>>
where
    A: Send + Sync + 'static,
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| {
        let lang = lang.get();
        analysis.with(|a| match a {
            Some(Ok(a)) => Some(make(a, lang)),
            _ => None,
        })
    })
}

/// The value of the input an event came from.
pub fn input_value(event: &ev::Event) -> String {
    event_target::<HtmlInputElement>(event).value()
}

/// From how many customers a heavy view (deciles, RFM) is built over three tasks instead of one:
/// the one that opens it shows a note, the next computes its analysis, the one after that builds
/// it, so that no task of the page's thread takes much over the analysis or the building alone
/// (at 96,813 customers each is 25–40 ms, together 70–80 ms).
pub const PREPARED_FROM: usize = 20_000;

/// Below a computation this short (ms), the view is built in the same task (the analysis was
/// already computed: the view shown again).
const PREPARED_AT_ONCE_MS: f64 = 8.0;

/// `content`, at once for fewer than [`PREPARED_FROM`] `customers`; else a note first
/// (`data-note="view-preparing"`, `aria-busy`), `prepare` (what computes the view's analyses:
/// their memos read) in the next task, and `content` in the task after it — or in the same one
/// when `prepare` was quick. Nothing runs for a view closed in the meantime.
pub fn prepared(
    customers: usize,
    lang: RwSignal<Lang>,
    prepare: impl FnOnce() + 'static,
    content: impl Fn() -> AnyView + Send + Sync + 'static,
) -> AnyView {
    if customers < PREPARED_FROM {
        return content();
    }
    let shown = RwSignal::new(false);
    set_timeout(
        move || {
            // The view was closed (or its data replaced) before this task.
            if shown.try_get_untracked().is_none() {
                return;
            }
            let start = crate::ui::browser::now_ms();
            prepare();
            if crate::ui::browser::now_ms() - start < PREPARED_AT_ONCE_MS {
                shown.try_set(true);
            } else {
                set_timeout(
                    move || {
                        shown.try_set(true);
                    },
                    std::time::Duration::ZERO,
                );
            }
        },
        std::time::Duration::ZERO,
    );
    let note = move || {
        view! {
            <p class="vl-note" role="status" aria-busy="true" data-note="view-preparing" data-value=customers.to_string()>
                {move || crate::i18n::view_preparing_text(customers, lang.get())}
            </p>
        }
    };
    (move || {
        if shown.get() {
            content()
        } else {
            note().into_any()
        }
    })
    .into_any()
}
