//! The strip under the header on every view: which file is loaded, rows read and rows rejected.

use leptos::prelude::*;

use super::metric::Metric;
use super::user_text::UserText;
use crate::display::FILE_NAME_CHARS;
use crate::i18n::{format_date, format_number, Text};
use crate::ui::state::AppState;

/// The loaded file and its row counts, on every view.
#[component]
pub fn DataStrip() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let lang = state.lang.get();
        state.data.get().map(|data| {
            let summary = &data.summary;
            let period = match (summary.first_day, summary.last_day) {
                (Some(first), Some(last)) => format!("{} – {}", format_date(first, lang), format_date(last, lang)),
                _ => "–".to_string(),
            };
            let rejected_tone = (summary.rows_rejected > 0).then_some("warn");
            view! {
                <section class="vl-strip" aria-label=Text::CurrentData.get(lang)>
                    <div class="vl-strip__file">
                        <span class="vl-strip__label">{Text::File.get(lang)}</span>
                        <span class="vl-strip__name" data-file-name=""><UserText text=data.file_name.clone() max=FILE_NAME_CHARS /></span>
                        <span class="vl-strip__period">{period}</span>
                    </div>
                    <Metric
                        name="rows_read"
                        label=Text::RowsRead.get(lang)
                        value=summary.rows_read as f64
                        display=format_number(summary.rows_read as f64, 0)
                    />
                    <Metric
                        name="rows_rejected"
                        label=Text::RowsRejected.get(lang)
                        value=summary.rows_rejected as f64
                        display=format_number(summary.rows_rejected as f64, 0)
                        tone=rejected_tone.unwrap_or("plain")
                    />
                </section>
            }
        })
    }
}
