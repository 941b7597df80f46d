//! What the import is doing: reading, progress with rows per second and a Cancel button,
//! a failure (the data loaded before stays), or a cancellation.

use leptos::prelude::*;

use crate::display::{isolated, FILE_NAME_CHARS};
use crate::i18n::{error_text, format_number, refusal_text, Text};
use crate::ui::controller::Controller;
use crate::ui::state::{AppState, Job};

/// The import's status line, and the refusal of a file that came while another was read.
#[component]
pub fn JobStatus() -> impl IntoView {
    let state = expect_context::<AppState>();
    let controller = expect_context::<Controller>();
    let refusal = move || {
        let lang = state.lang.get();
        controller.refused().map(|r| {
            let running = isolated(&r.running, FILE_NAME_CHARS);
            let refused = isolated(&r.refused, FILE_NAME_CHARS);
            view! {
                <div class="vl-status vl-status--refused" data-refused=r.refused.clone() data-running=r.running.clone()>
                    <p class="vl-status__message vl-user-text">{refusal_text(&running, &refused, lang)}</p>
                    <button class="vl-button vl-button--small" type="button" data-action="dismiss-refusal" on:click=move |_| controller.dismiss_refusal()>
                        {Text::DismissNotice.get(lang)}
                    </button>
                </div>
            }
        })
    };
    let status = move |alert: bool| {
        let lang = state.lang.get();
        let has_data = state.data.with(Option::is_some);
        let job = state.job.get();
        // Failures go to the assertive region, everything else to the polite one.
        if alert != matches!(job, Job::Failed { .. }) {
            return ().into_any();
        }
        // The file name as shown: cut, and isolated from the sentence around it.
        let shown = |name: &str| isolated(name, FILE_NAME_CHARS);
        match job {
            Job::Idle | Job::Mapping { .. } => ().into_any(),
            Job::Inspecting { file_name } => view! {
                <div class="vl-status" data-status="inspecting">
                    <span class="vl-spinner" aria-hidden="true"></span>
                    <span>{format!("{} {}…", Text::Reading.get(lang), shown(&file_name))}</span>
                </div>
            }
            .into_any(),
            Job::Importing { file_name, progress } => {
                let percent = progress.fraction() * 100.0;
                let speed = format!(
                    "{} · {} {} · {} {}",
                    crate::i18n::format_percent(progress.fraction(), 0),
                    format_number(progress.rows as f64, 0),
                    if lang == crate::i18n::Lang::Zh { "行" } else { "rows" },
                    format_number(progress.rows_per_second(), 0),
                    Text::RowsPerSecond.get(lang),
                );
                view! {
                    <div class="vl-status vl-status--progress" data-status="importing">
                        <div class="vl-status__line">
                            <span class="vl-status__file">{format!("{} {}", Text::Working.get(lang), shown(&file_name))}</span>
                            <span class="vl-status__speed" aria-live="off" data-progress=format!("{percent:.1}")>{speed}</span>
                            <button
                                class="vl-button vl-button--small"
                                type="button"
                                data-action="cancel-import"
                                on:click=move |_| controller.cancel()
                            >
                                {Text::Cancel.get(lang)}
                            </button>
                        </div>
                        <progress class="vl-progress" max="100" value=format!("{percent:.1}") aria-label=Text::Working.get(lang)></progress>
                    </div>
                }
                .into_any()
            }
            Job::Failed { file_name, error } => view! {
                <div class="vl-status vl-status--error" tabindex="-1" data-focus="error" data-status="failed" data-error=format!("{:?}", error.kind())>
                    <strong>{format!("{} {}", Text::ImportFailed.get(lang), shown(&file_name))}</strong>
                    <p class="vl-status__message">{error_text(&error, lang)}</p>
                    {has_data.then(|| view! { <p class="vl-status__kept">{Text::PreviousDataKept.get(lang)}</p> })}
                </div>
            }
            .into_any(),
            Job::Cancelled => view! {
                <div class="vl-status" data-status="cancelled">{Text::Cancelled.get(lang)}</div>
            }
            .into_any(),
        }
    };
    // Live regions are in the page before anything is said in them, as screen readers need:
    // progress politely, failures and refusals assertively.
    view! {
        <div class="vl-live" role="status" aria-live="polite" data-live="status">{move || status(false)}</div>
        <div class="vl-live" role="alert" aria-live="assertive" data-live="alert">
            {move || status(true)}
            {refusal}
        </div>
    }
}
