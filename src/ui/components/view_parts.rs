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
