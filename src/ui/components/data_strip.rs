//! The strip under the header on every view: which file is loaded, its period, rows read and
//! rows rejected (from `present::overview`).

use leptos::prelude::*;

use super::metric::MetricCard;
use super::user_text::UserText;
use crate::display::FILE_NAME_CHARS;
use crate::i18n::Text;
use crate::present::overview::{period, row_counts};
use crate::ui::state::{arc_changed, AppState, View};

/// The loaded file and its row counts, on every view; on the data view, the file whose head is
/// shown while its customers arrive (`AppState::arriving`), as the overview below shows it.
#[component]
pub fn DataStrip() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Compared by pointer: switching views does not rebuild the strip.
    let shown = Memo::new_with_compare(
        move |_| {
            let arriving = match state.view.get() {
                View::Data => state.arriving.get(),
                _ => None,
            };
            arriving.or_else(|| state.data.get())
        },
        arc_changed,
    );
    move || {
        let lang = state.lang.get();
        shown.get().map(|data| {
            let summary = &data.summary;
            let counts = row_counts(summary, lang)
                .into_iter()
                .map(|m| view! { <MetricCard metric=m /> })
                .collect_view();
            view! {
                <section class="vl-strip" aria-label=Text::CurrentData.get(lang)>
                    <div class="vl-strip__file">
                        <span class="vl-strip__label">{Text::File.get(lang)}</span>
                        <span class="vl-strip__name" data-file-name=""><UserText text=data.file_name.clone() max=FILE_NAME_CHARS /></span>
                        <span class="vl-strip__period">{period(summary, lang)}</span>
                    </div>
                    {counts}
                </section>
            }
        })
    }
}
