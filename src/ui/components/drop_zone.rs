//! A panel's own drop zone (the survey's, the customer master's): a file dropped on it is the
//! panel's. The page-wide drop handler (`upload::DropOverlay`) leaves files dropped on any
//! `[data-drop]` zone to it, so no order import starts.

use leptos::ev;
use leptos::prelude::*;

/// A zone named `name` (`data-drop`) around `children`; the first file dropped on it goes to
/// `on_file`. Marked while a file is dragged over it.
#[component]
pub fn DropZone<F>(name: &'static str, on_file: F, children: Children) -> impl IntoView
where
    F: Fn(gloo_file::File) + 'static,
{
    let dragging = RwSignal::new(false);
    let on_drop = move |event: ev::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        let file = event
            .data_transfer()
            .and_then(|t| t.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            on_file(gloo_file::File::from(file));
        }
    };
    view! {
        <div
            class=move || if dragging.get() { "vl-drop-zone vl-drop-zone--over" } else { "vl-drop-zone" }
            data-drop=name
            on:dragover=move |event: ev::DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            {children()}
        </div>
    }
}
