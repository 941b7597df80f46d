//! Text from the user's files on the page: cut to a bounded length with the full text on hover
//! ([`crate::display::clip`]), inside a `<bdi>` so that right-to-left text (or an override such
//! as U+202E) stays in its own box and cannot reorder what is around it.

use leptos::prelude::*;

use crate::display::clip;

/// `text` cut to `max` characters, isolated, with the full text as its `title` when cut.
#[component]
pub fn UserText(
    /// The text as it came from the file.
    #[prop(into)]
    text: String,
    /// Characters shown at most.
    max: usize,
) -> impl IntoView {
    let clipped = clip(&text, max);
    view! { <bdi class="vl-user-text" title=clipped.title>{clipped.shown}</bdi> }
}
