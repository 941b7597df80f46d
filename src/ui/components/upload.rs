//! Getting data in: the drop zone with a real `<input type="file">`, the sample button, and the
//! page-wide drag-and-drop and paste handlers (all feed the same controller path).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use crate::i18n::Text;
use crate::ui::browser;
use crate::ui::controller::Controller;
use crate::ui::state::{AppState, Source};

/// The drop zone, file picker and sample button.
#[component]
pub fn Upload() -> impl IntoView {
    let state = expect_context::<AppState>();
    let controller = expect_context::<Controller>();
    let on_change = move |event: ev::Event| {
        let input: HtmlInputElement = event_target(&event);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            let file = gloo_file::File::from(file);
            controller.open(file.clone(), file.name(), Source::File);
        }
        // Let the same file be picked again after a change of settings.
        input.set_value("");
    };
    view! {
        <section class="vl-upload" aria-labelledby="vl-upload-title">
            <div class="vl-upload__zone">
                <div class="vl-upload__icon" aria-hidden="true"></div>
                <h2 class="vl-upload__title" id="vl-upload-title">{move || state.t(Text::DropTitle)}</h2>
                <p class="vl-upload__hint">{move || state.t(Text::DropHint)}</p>
                <div class="vl-upload__actions">
                    // A real button (focusable, Enter and Space) that opens the hidden input.
                    <button
                        class="vl-button vl-button--primary vl-upload__pick"
                        type="button"
                        data-action="choose-file"
                        on:click=move |_| browser::click(r#"[data-input="file"]"#)
                    >
                        {move || state.t(Text::ChooseFile)}
                    </button>
                    <input
                        class="vl-upload__input"
                        type="file"
                        tabindex="-1"
                        accept=".csv,.tsv,.txt,.xlsx,.parquet,text/csv,text/plain,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        data-input="file"
                        on:change=on_change
                    />
                    <button
                        class="vl-button"
                        type="button"
                        data-action="load-sample"
                        disabled=move || state.job.get().is_busy()
                        on:click=move |_| controller.open_sample()
                    >
                        {move || state.t(Text::LoadSample)}
                    </button>
                </div>
                <p class="vl-upload__note">{move || state.t(Text::SampleNote)}</p>
            </div>
        </section>
    }
}

/// Page-wide drop target and paste handler, with an overlay while a file is dragged over.
#[component]
pub fn DropOverlay() -> impl IntoView {
    let state = expect_context::<AppState>();
    let controller = expect_context::<Controller>();
    let dragging = RwSignal::new(false);

    let over = window_event_listener(ev::dragover, move |event: ev::DragEvent| {
        event.prevent_default();
        if let Some(transfer) = event.data_transfer() {
            transfer.set_drop_effect("copy");
        }
        dragging.set(true);
    });
    let leave = window_event_listener(ev::dragleave, move |event: ev::DragEvent| {
        // Only when the pointer leaves the window (no element it enters).
        if event.related_target().is_none() {
            dragging.set(false);
        }
    });
    let drop = window_event_listener(ev::drop, move |event: ev::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        // A file dropped on a panel's own zone (the survey's, the master's) is the panel's
        // (`drop_zone::DropZone` reads it).
        let on_zone = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-drop]").ok().flatten())
            .is_some();
        if on_zone {
            return;
        }
        let file = event
            .data_transfer()
            .and_then(|t| t.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file.map(gloo_file::File::from) {
            // Opened, or refused while another import runs (the session decides, for a drop as
            // for a pick or a paste): either way the data view says so.
            controller.open(file.clone(), file.name(), Source::File);
            state.view.set(crate::ui::state::View::Data);
        }
    });
    let paste = window_event_listener(ev::paste, move |event: ev::ClipboardEvent| {
        // Pasting into a text field is ordinary typing, not an import.
        let in_field = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        // While an import runs, a pasted table is refused like a dropped file, visibly.
        if in_field {
            return;
        }
        let Some(text) = event
            .clipboard_data()
            .and_then(|d| d.get_data("text/plain").ok())
        else {
            return;
        };
        if text.contains('\n') && (text.contains('\t') || text.contains(',')) {
            event.prevent_default();
            let name = state.t(Text::PasteDetected).to_string();
            controller.open_pasted(&text, name);
            state.view.set(crate::ui::state::View::Data);
        }
    });
    on_cleanup(move || {
        over.remove();
        leave.remove();
        drop.remove();
        paste.remove();
    });
    view! {
        <Show when=move || dragging.get()>
            <div class="vl-drop-overlay" aria-hidden="true">
                <div class="vl-drop-overlay__box">{move || state.t(Text::DropAnywhere)}</div>
            </div>
        </Show>
    }
}
