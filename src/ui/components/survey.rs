//! The satisfaction survey's input (issue 16): a second file next to the orders, read in the
//! analysis worker (its decoding, its guesses, its rows and their combination: a quarter of a
//! second of the page's thread at 200,000 responses) and read back a slice a task, its column
//! mapping with the confidence of each guess, the rows not read, and the scale and the
//! combination of several responses, each editable (the file is read again with the choice).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

use super::drop_zone::DropZone;
use super::table::DataTable;
use crate::engine::loyalty::LoyaltyConfig;
use crate::engine::survey::{combine, Combine, Scale, Survey, SurveyOptions};
use crate::i18n::{error_text, Text};
use crate::present::loyalty::{
    combine_text, mapping_rows, rejected_messages, scale_facts, scale_text, SURVEY_INPUT,
};
use crate::present::sentence;
use crate::ui::analyst::{read_survey, SurveyJob};
use crate::ui::browser;
use crate::ui::state::{AppState, LoadedSurvey, SurveyProblem};

/// The largest survey file read (bytes): a survey is a few thousand rows.
pub const SURVEY_MAX_BYTES: f64 = 50.0 * 1024.0 * 1024.0;

thread_local! {
    /// The survey file being read in the analysis worker: a newer read, the survey removed or
    /// "forget everything" ends it.
    static READING: RefCell<Option<SurveyJob>> = const { RefCell::new(None) };
}

/// Ends the survey's reading, if one runs.
pub fn stop_reading(state: AppState) {
    READING.with(|r| r.borrow_mut().take());
    state.survey_reading.try_set(false);
}

/// What runs once a survey is read ([`read`]): `true` when it is in the state.
pub type Then = Box<dyn FnOnce(bool)>;

/// Reads `bytes` with `options` into the state (in the analysis worker), or says why not;
/// `then` runs once it is in the state (`true`) or was refused (`false`), not when it was
/// overtaken. (Not generic: each caller's closure made a copy of the reading in the bundle.)
pub fn read(
    state: AppState,
    file_name: String,
    bytes: Arc<Vec<u8>>,
    options: &SurveyOptions,
    then: Then,
) {
    stop_reading(state);
    state.survey_reading.set(true);
    let (source, kept_options) = (bytes.clone(), options.clone());
    let then = Rc::new(RefCell::new(Some(then)));
    let job = {
        let then = then.clone();
        read_survey(&bytes, options, move |read| {
            state.survey_reading.try_set(false);
            let read = match read {
                Ok(survey) => {
                    state.survey_problem.set(None);
                    state.survey.set(Some(Arc::new(LoadedSurvey {
                        file_name,
                        survey: Arc::new(survey),
                        bytes: Some(source),
                        options: kept_options,
                    })));
                    true
                }
                Err(error) => {
                    state.survey_problem.set(Some(SurveyProblem::Import(error)));
                    false
                }
            };
            if let Some(then) = then.borrow_mut().take() {
                then(read);
            }
        })
    };
    match job {
        Ok(job) => READING.with(|r| *r.borrow_mut() = Some(job)),
        Err(_) => {
            state.survey_reading.set(false);
            state.survey_problem.set(Some(SurveyProblem::Unreadable));
            if let Some(then) = then.borrow_mut().take() {
                then(false);
            }
        }
    }
}

/// Reads a kept survey file again (a workspace's, the last session's) with the `options` it was
/// read with, then puts its loyalty parameters `config` back when they hold on its scale;
/// `then` as [`read`]'s.
pub fn read_kept(
    state: AppState,
    file_name: String,
    bytes: Arc<Vec<u8>>,
    options: &SurveyOptions,
    config: LoyaltyConfig,
    then: Then,
) {
    let then = move |read: bool| {
        let scale = state
            .survey
            .with_untracked(|s| s.as_ref().map(|s| s.survey.scale));
        if read && scale.is_some_and(|scale| config.validate(scale).is_ok()) {
            state.loyalty.set(config);
        }
        then(read);
    };
    read(state, file_name, bytes, options, Box::new(then));
}

/// Reads a picked or dropped survey file.
fn open(state: AppState, file: gloo_file::File) {
    if file.size() as f64 > SURVEY_MAX_BYTES {
        state.survey_problem.set(Some(SurveyProblem::TooLarge));
        return;
    }
    let name = file.name();
    leptos::task::spawn_local(async move {
        match gloo_file::futures::read_as_bytes(&file).await {
            Ok(bytes) => read(
                state,
                name,
                Arc::new(bytes),
                &SurveyOptions::default(),
                Box::new(|_| ()),
            ),
            Err(_) => state.survey_problem.set(Some(SurveyProblem::Unreadable)),
        }
    });
}

/// The loaded survey read again with another scale or combination; without the file (a
/// survey reopened from a workspace) only the combination changes.
fn reread(state: AppState, scale: Option<Scale>, how: Combine) {
    let Some(loaded) = state.survey.get_untracked() else {
        return;
    };
    match &loaded.bytes {
        Some(bytes) => {
            let options = SurveyOptions {
                scale,
                combine: how,
                ..loaded.options.clone()
            };
            read(
                state,
                loaded.file_name.clone(),
                bytes.clone(),
                &options,
                Box::new(|_| ()),
            );
        }
        None => {
            let survey = Survey {
                respondents: combine(&loaded.survey.responses, how),
                combine: how,
                ..(*loaded.survey).clone()
            };
            state.survey.set(Some(Arc::new(LoadedSurvey {
                file_name: loaded.file_name.clone(),
                survey: Arc::new(survey),
                bytes: None,
                options: SurveyOptions::default(),
            })));
        }
    }
}

/// The survey's file input (`data-input="survey-file"`), drop zone and, once read, its facts.
#[component]
pub fn SurveyPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move |text: Text| state.t(text);
    let on_change = move |event: ev::Event| {
        let input: HtmlInputElement = event_target(&event);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            open(state, gloo_file::File::from(file));
        }
        input.set_value("");
    };
    let on_scale = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        if let Some(scale) = Scale::from_name(&value) {
            let how = state
                .survey
                .with_untracked(|s| s.as_ref().map_or(Combine::Latest, |s| s.survey.combine));
            reread(state, Some(scale), how);
        }
    };
    let on_combine = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        let how = if value == Combine::Mean.as_str() {
            Combine::Mean
        } else {
            Combine::Latest
        };
        // The scale as it was chosen (detected stays detected).
        let scale = state
            .survey
            .with_untracked(|s| s.as_ref().and_then(|s| s.options.scale));
        reread(state, scale, how);
    };
    let problem = move || {
        let lang = state.lang.get();
        state.survey_problem.get().map(|p| {
            let words = match p {
                SurveyProblem::TooLarge => Text::LySurveyTooLarge.get(lang).to_string(),
                SurveyProblem::Unreadable => Text::LySurveyUnreadable.get(lang).to_string(),
                SurveyProblem::Import(error) => error_text(&error, lang),
            };
            view! { <p class="vl-status vl-status--error" role="alert" data-survey-error="">{words}</p> }
        })
    };
    let reading = move || {
        state.survey_reading.get().then(|| {
            view! { <p class="vl-status" role="status" aria-live="polite" data-survey-reading="">{t(Text::LySurveyReading)}</p> }
        })
    };
    let facts = move || {
        let lang = state.lang.get();
        state.survey.get().map(|loaded| {
            let survey = &loaded.survey;
            let scale_now = survey.scale;
            let combine_now = survey.combine;
            let has_bytes = loaded.bytes.is_some();
            let scales = Scale::ALL
                .into_iter()
                .map(|s| view! { <option value=s.as_str() selected=s == scale_now>{scale_text(s).get(lang)}</option> })
                .collect_view();
            let combines = [Combine::Latest, Combine::Mean]
                .into_iter()
                .map(|c| view! { <option value=c.as_str() selected=c == combine_now>{combine_text(c).get(lang)}</option> })
                .collect_view();
            let rejected = rejected_messages(survey, lang);
            let rejected_view = if rejected.is_empty() {
                view! { <p class="vl-note" data-note="survey-all-read">{Text::LyNoRejected.get(lang)}</p> }.into_any()
            } else {
                let items = rejected
                    .into_iter()
                    .map(|m| view! { <li>{m}</li> })
                    .collect_view();
                view! {
                    <h4 class="vl-panel__subtitle">{Text::LyRejectedTitle.get(lang)}</h4>
                    <ul class="vl-list" data-list="survey-rejected">{items}</ul>
                }
                .into_any()
            };
            view! {
                <p class="vl-facts-line" data-facts="survey">
                    {sentence(Text::LySurveyLoaded.get(lang), std::slice::from_ref(&loaded.file_name))}
                    " · "
                    {scale_facts(survey, lang)}
                </p>
                <div class="vl-params__grid">
                    <label class="vl-field">
                        <span class="vl-field__label">{Text::ParamNameScale.get(lang)}</span>
                        <select class="vl-select" data-param="scale" disabled=!has_bytes on:change=on_scale>{scales}</select>
                    </label>
                    <label class="vl-field">
                        <span class="vl-field__label">{Text::ParamNameCombine.get(lang)}</span>
                        <select class="vl-select" data-param="combine" on:change=on_combine>{combines}</select>
                    </label>
                </div>
                {(!has_bytes).then(|| view! { <p class="vl-note">{Text::LyScaleNeedsFile.get(lang)}</p> })}
                <h4 class="vl-panel__subtitle">{Text::LyMappingTitle.get(lang)}</h4>
                <div class="vl-table-wrap" tabindex="0" role="region" aria-label=Text::LyMappingTitle.get(lang) data-table="survey-mapping">
                    <DataTable table=mapping_rows(survey, lang) class="vl-table vl-table--compact" />
                </div>
                {rejected_view}
                <button class="vl-button vl-button--small" type="button" data-action="remove-survey"
                    on:click=move |_| {
                        stop_reading(state);
                        state.survey.set(None);
                        state.survey_problem.set(None);
                    }>
                    {Text::LyRemoveSurvey.get(lang)}
                </button>
            }
        })
    };
    view! {
        <section class="vl-panel" data-panel="survey" aria-labelledby="vl-survey-title">
            <h3 class="vl-panel__title" id="vl-survey-title">{move || t(Text::LySurveyFile)}</h3>
            <DropZone name="survey" on_file=move |file| open(state, file)>
                <p class="vl-note">{move || t(Text::LySurveyHint)}</p>
                <p class="vl-note">{move || t(Text::LyDropSurvey)}</p>
                <button
                    class="vl-button"
                    type="button"
                    data-action="choose-survey"
                    on:click=move |_| browser::click(r#"[data-input="survey-file"]"#)
                >
                    {move || t(Text::LyChooseSurvey)}
                </button>
                <input
                    class="vl-upload__input"
                    type="file"
                    tabindex="-1"
                    aria-label=move || t(Text::LySurveyFile)
                    accept=".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values"
                    data-input=SURVEY_INPUT
                    on:change=on_change
                />
            </DropZone>
            {reading}
            {problem}
            {facts}
        </section>
    }
}
