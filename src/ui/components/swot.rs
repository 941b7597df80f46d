//! The SWOT workbench (SWOT 分析打分): our board and the competitors' boards with scored items,
//! quadrant totals, means and weights, the comparison table and chart, the strategic position,
//! CSV import and export, hints from the customer data, saved in the browser. The rules live in
//! `engine::swot` and `present::swot` words them; this file lays them out and forwards edits.

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::chart::{CsvButton, FigureView};
use super::user_text::UserText;
use crate::charts::ChartStyle;
use crate::display::ID_CHARS;
use crate::engine::error::Error;
use crate::engine::swot::{
    import_swot_text, swot_text_options, workbench_csv, MoveDirection, PositionBasis, Quadrant,
    SwotImport, Workbench,
};
use crate::i18n::{error_text, Text};
use crate::present::swot::{
    board_tabs, comparison_csv, comparison_figure, comparison_lines, hints, import_errors,
    import_summary, position_figure, position_text, quadrant_card, Boards,
};
use crate::ui::analyst::{read_text, TextReader};
use crate::ui::browser;
use crate::ui::state::{Analyses, AppState};

/// Applies an edit to the workbench; shows the error instead when the engine refuses it.
fn apply(
    state: AppState,
    error: RwSignal<Option<Error>>,
    edit: impl FnOnce(&mut Workbench) -> Result<(), Error>,
) {
    let mut next = state.swot.get_untracked();
    match edit(&mut next) {
        Ok(()) => {
            error.set(None);
            state.swot.set(next);
        }
        Err(e) => error.set(Some(e)),
    }
}

/// One quadrant of the board being edited.
#[component]
fn QuadrantCard(board: u64, quadrant: Quadrant, error: RwSignal<Option<Error>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let new_text = RwSignal::new(String::new());
    let new_score = RwSignal::new(String::from("5"));
    let add = move || {
        let text = new_text.get_untracked();
        let score = new_score
            .get_untracked()
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .unwrap_or(f64::NAN);
        apply(state, error, |w| {
            w.add_item(board, quadrant, &text, score).map(|_| ())
        });
        if error.with_untracked(Option::is_none) {
            new_text.set(String::new());
        }
    };
    let letter = quadrant.letter();
    move || {
        let lang = state.lang.get();
        let workbench = state.swot.get();
        let Some(b) = workbench.board(board) else {
            return ().into_any();
        };
        let card = quadrant_card(b, quadrant, lang);
        let items = card
            .items
            .into_iter()
            .map(|item| {
                let id = item.id;
                view! {
                    <li class="vl-swot__item" data-item=id.to_string()>
                        <input class="vl-select vl-swot__text" type="text" aria-label=Text::Item.get(lang) prop:value=item.text
                            on:change=move |e: ev::Event| { let v = event_target::<HtmlInputElement>(&e).value(); apply(state, error, |w| w.set_text(id, &v)) } />
                        <input class="vl-select vl-swot__score" type="number" min="1" max="10" step="0.5" aria-label=Text::Score.get(lang)
                            data-score=id.to_string() prop:value=item.score disabled=!item.editable
                            on:change=move |e: ev::Event| {
                                let v = event_target::<HtmlInputElement>(&e).value().trim().replace(',', ".").parse::<f64>().unwrap_or(f64::NAN);
                                apply(state, error, |w| w.set_score(id, v))
                            } />
                        <input class="vl-select vl-swot__weight" type="number" min="0" step="any" placeholder=Text::Weight.get(lang) aria-label=Text::Weight.get(lang)
                            prop:value=item.weight
                            on:change=move |e: ev::Event| {
                                let raw = event_target::<HtmlInputElement>(&e).value();
                                let v = if raw.trim().is_empty() { None } else { Some(raw.trim().parse::<f64>().unwrap_or(f64::NAN)) };
                                apply(state, error, |w| w.set_weight(id, v))
                            } />
                        <span class="vl-swot__buttons">
                            <button class="vl-button vl-button--small" type="button" title="↑" on:click=move |_| apply(state, error, |w| w.move_item(id, MoveDirection::Up).map(|_| ()))>"↑"</button>
                            <button class="vl-button vl-button--small" type="button" title="↓" on:click=move |_| apply(state, error, |w| w.move_item(id, MoveDirection::Down).map(|_| ()))>"↓"</button>
                            <button class="vl-button vl-button--small" type="button" title="×" data-action="delete-item" on:click=move |_| apply(state, error, |w| w.delete_item(id).map(|_| ()))>"×"</button>
                        </span>
                        {item.meta.map(|meta| view! { <span class="vl-swot__meta">{meta}</span> })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class=format!("vl-panel vl-swot__quadrant vl-swot__quadrant--{}", letter.to_lowercase()) data-quadrant=letter>
                <header class="vl-swot__head">
                    <h3 class="vl-panel__title">{card.title}</h3>
                    <span class="vl-swot__totals">
                        <span data-quadrant-total=letter>{card.total}</span>
                        {card.means}
                    </span>
                </header>
                <ol class="vl-swot__items">{items}</ol>
                <form class="vl-swot__add" novalidate=true on:submit=move |e: ev::SubmitEvent| { e.prevent_default(); add() }>
                    <input class="vl-select vl-swot__text" type="text" placeholder=Text::NewItemPlaceholder.get(lang) aria-label=Text::NewItemPlaceholder.get(lang) data-new-item=letter
                        prop:value=move || new_text.get() on:input=move |e: ev::Event| new_text.set(event_target::<HtmlInputElement>(&e).value()) />
                    <input class="vl-select vl-swot__score" type="number" min="1" max="10" step="0.5" aria-label=Text::NewItemScore.get(lang) data-new-score=letter
                        prop:value=move || new_score.get() on:input=move |e: ev::Event| new_score.set(event_target::<HtmlInputElement>(&e).value()) />
                    <button class="vl-button vl-button--small" type="submit" data-action="add-item">{Text::AddItem.get(lang)}</button>
                </form>
            </section>
        }
        .into_any()
    }
}

/// The SWOT workbench view (works with or without customer data).
#[component]
pub fn SwotView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let selected = RwSignal::new(state.swot.with_untracked(|w| w.us.id));
    let error = RwSignal::new(None::<Error>);
    let basis = RwSignal::new(PositionBasis::Totals);
    let imported = RwSignal::new(None::<SwotImport>);
    let new_competitor = RwSignal::new(String::new());

    // The selected board may disappear (import, clear, removal): fall back to ours.
    Effect::new(move |_| {
        let w = state.swot.get();
        if w.board(selected.get_untracked()).is_none() {
            selected.set(w.us.id);
        }
    });

    // The example board, in the language of the UI (offered while the workbench is empty).
    let load_example =
        move |_| match crate::swot_example::example_workbench(state.lang.get_untracked()) {
            Ok(workbench) => {
                error.set(None);
                selected.set(workbench.us.id);
                state.swot.set(workbench);
            }
            Err(e) => error.set(Some(e)),
        };

    let on_import = move |event: ev::Event| {
        let input: HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let hint = crate::session::language_hint(
            &browser::preferred_languages(),
            state.lang.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => return,
            };
            read_text(
                TextReader::Swot,
                &bytes,
                swot_text_options(hint),
                move |text| match text.and_then(import_swot_text) {
                    Ok(result) => {
                        error.set(None);
                        state.swot.set(result.workbench.clone());
                        imported.set(Some(result));
                    }
                    Err(e) => error.set(Some(e)),
                },
            );
        });
    };
    let export = move |_| {
        let lang = state.lang.get_untracked();
        let labels = crate::i18n::swot_csv_labels(lang);
        let csv = state.swot.with_untracked(|w| workbench_csv(w, &labels));
        let _ = browser::download("swot.csv", "text/csv;charset=utf-8", &csv);
    };
    let clear = move |_| {
        state.swot.set(Workbench::default());
        imported.set(None);
        error.set(None);
        crate::ui::analyst::forget_text(TextReader::Swot);
    };
    let add_competitor = move || {
        let name = new_competitor.get_untracked();
        let mut next = state.swot.get_untracked();
        match next.add_competitor(&name) {
            Ok(id) => {
                state.swot.set(next);
                selected.set(id);
                new_competitor.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };

    let tabs = move || {
        let lang = state.lang.get();
        state.swot.with(|w| board_tabs(w, lang))
            .into_iter()
            .map(|tab| {
                let id = tab.id;
                let active = move || selected.get() == id;
                let class = move || if active() { "vl-segmented__item vl-segmented__item--active" } else { "vl-segmented__item" };
                view! { <button type="button" class=class data-board=tab.key aria-pressed=move || active().to_string() on:click=move |_| selected.set(id)><UserText text=tab.name max=ID_CHARS /></button> }
            })
            .collect_view()
    };
    let board_tools = move || {
        let lang = state.lang.get();
        let id = selected.get();
        let w = state.swot.get();
        let is_us = id == w.us.id;
        let name = w.board(id).map(|b| b.name.clone()).unwrap_or_default();
        view! {
            <div class="vl-swot__boardtools">
                <label class="vl-field">
                    <span class="vl-field__label">{Text::BoardName.get(lang)}</span>
                    <input class="vl-select" type="text" data-board-name="" prop:value=name
                        on:change=move |e: ev::Event| { let v = event_target::<HtmlInputElement>(&e).value(); apply(state, error, |w| w.rename_board(id, &v)) } />
                </label>
                {(!is_us).then(|| view! {
                    <button class="vl-button vl-button--small" type="button" data-action="remove-competitor"
                        on:click=move |_| apply(state, error, |w| w.remove_competitor(id).map(|_| ()))>{Text::RemoveBoard.get(lang)}</button>
                })}
            </div>
        }
    };
    let quadrants = move || {
        let board = selected.get();
        Quadrant::ALL
            .into_iter()
            .map(|q| view! { <QuadrantCard board=board quadrant=q error=error /> })
            .collect_view()
    };

    let analyses = expect_context::<Analyses>();
    // The hints read the decile analysis: for many customers it is computed in pieces first,
    // a task each, and the hints shown after.
    let deciles_ready = RwSignal::new(false);
    Effect::new(move |_| {
        let customers =
            (state.data).with(|d| d.as_ref().map_or(0, |d| d.outcome.table.customers.len()));
        if customers < super::view_parts::PREPARED_FROM {
            deciles_ready.set(true);
        } else {
            deciles_ready.set(false);
            let steps = vec![analyses.computing_deciles(state)];
            super::view_parts::in_tasks(steps, deciles_ready);
        }
    });
    let hint_panel = move || {
        let lang = state.lang.get();
        let data = state.data.get()?;
        if !deciles_ready.get() {
            return None;
        }
        let hints = analyses.deciles.with(|d| {
            let deciles = d.as_ref().and_then(|r| r.as_ref().ok());
            hints(&data.summary, deciles.map(|d| d.as_ref()), lang)
        });
        if hints.is_empty() {
            return None;
        }
        let items = hints
            .into_iter()
            .map(|h| {
                let (quadrant, score, text) = (h.quadrant, h.score, h.text.clone());
                view! {
                    <li class="vl-swot__hint" data-hint=h.kind>
                        <span class="vl-badge vl-badge--mid">{h.badge}</span>
                        " "{h.text}" "
                        <button class="vl-button vl-button--small" type="button" data-action="add-hint"
                            on:click=move |_| apply(state, error, |w| { let us = w.us.id; w.add_item(us, quadrant, &text, score).map(|_| ()) })>
                            {Text::AddItem.get(lang)}
                        </button>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="vl-panel" data-panel="swot-hints">
                <h3 class="vl-panel__title">{Text::HintsTitle.get(lang)}</h3>
                <p class="vl-panel__hint">{Text::HintsNote.get(lang)}</p>
                <ul class="vl-swot__hints">{items}</ul>
            </section>
        })
    };

    // One memo per part: a chart is drawn again only when what it shows changed.
    let comparison_table = Memo::new(move |_| {
        let lang = state.lang.get();
        state
            .swot
            .with(|w| comparison_lines(w, Boards::Every, lang))
    });
    let comparison_file = Memo::new(move |_| {
        let lang = state.lang.get();
        state.swot.with(|w| comparison_csv(w, lang))
    });
    let comparison_chart = Memo::new(move |_| {
        let style = ChartStyle::new(state.lang.get());
        state
            .swot
            .with(|w| comparison_figure(w, "swot-comparison", &style))
    });
    let position_chart = Memo::new(move |_| {
        let style = ChartStyle {
            lang: state.lang.get(),
            width: 520,
            height: 420,
        };
        let basis = basis.get();
        state
            .swot
            .with(|w| position_figure(w, basis, "swot-position", &style))
    });
    let ours = Memo::new(move |_| {
        let (lang, basis) = (state.lang.get(), basis.get());
        state.swot.with(|w| position_text(w, basis, lang))
    });

    let comparison_rows = move || {
        comparison_table
            .get()
            .into_iter()
            .map(|line| {
                let cells = line
                    .cells
                    .into_iter()
                    .map(|cell| {
                        let class = if cell.stronger { "vl-table__num vl-swot__stronger" } else { "vl-table__num" };
                        let raw = cell.total.raw();
                        view! { <td class=class data-metric=cell.total.metric data-value=raw data-stronger=cell.stronger.to_string()>{cell.total.display}</td> }
                    })
                    .collect_view();
                view! { <tr><th><UserText text=line.name max=ID_CHARS /></th>{cells}</tr> }
            })
            .collect_view()
    };
    let comparison_chart_view = move || {
        match comparison_chart.get() {
        Some(figure) => view! { <FigureView figure=figure /> }.into_any(),
        // Nothing scored yet: say so instead of drawing an empty 0–1 chart.
        None => view! { <p class="vl-note" data-empty="swot-comparison">{state.t(Text::SwotComparisonEmpty)}</p> }.into_any(),
    }
    };
    let position_view = move || match ours.get() {
        Some(p) => {
            let (x, y) = (p.x.raw(), p.y.raw());
            view! {
                <div class="vl-swot__tows" data-tows=p.tows>
                    <p><strong>{p.heading}</strong></p>
                    <p>{p.meaning}</p>
                    <p class="vl-facts-line">
                        <span data-metric=p.x.metric data-value=x>{p.x.display}</span>
                        " · "
                        <span data-metric=p.y.metric data-value=y>{p.y.display}</span>
                    </p>
                </div>
            }
            .into_any()
        }
        None => {
            view! { <p class="vl-note" data-note="no-position">{state.t(Text::PositionNone)}</p> }
                .into_any()
        }
    };
    let basis_switch = move || {
        let lang = state.lang.get();
        [PositionBasis::Totals, PositionBasis::Weighted]
            .into_iter()
            .map(|b| {
                let class = move || if basis.get() == b { "vl-segmented__item vl-segmented__item--active" } else { "vl-segmented__item" };
                let label = if b == PositionBasis::Totals { Text::PositionBasisTotals } else { Text::PositionBasisWeighted };
                view! { <button type="button" class=class data-basis=format!("{b:?}").to_lowercase() on:click=move |_| basis.set(b)>{label.get(lang)}</button> }
            })
            .collect_view()
    };
    let t = move |text: Text| move || state.t(text);
    let results = view! {
        <section class="vl-panel" data-table="swot-comparison">
            <div class="vl-panel__head">
                <h3 class="vl-panel__title">{t(Text::ComparisonTitle)}</h3>
                {move || view! { <CsvButton csv=comparison_file.get() /> }}
            </div>
            <p class="vl-panel__hint">{t(Text::StrongerNote)}</p>
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label=t(Text::ComparisonTitle)>
                <table class="vl-table">
                    <thead><tr>
                        <th>{t(Text::BoardName)}</th>
                        {Quadrant::ALL.into_iter().map(|q| view! { <th class="vl-table__num">{move || state.t(crate::i18n::quadrant_text(q))}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{comparison_rows}</tbody>
                </table>
            </div>
            {comparison_chart_view}
        </section>
        <section class="vl-panel" data-panel="swot-position">
            <div class="vl-panel__head">
                <h3 class="vl-panel__title">{t(Text::PositionTitle)}</h3>
                <div class="vl-segmented" role="group">{basis_switch}</div>
            </div>
            <div class="vl-two-columns">
                <div>{move || position_chart.get().map(|figure| view! { <FigureView figure=figure /> })}</div>
                {position_view}
            </div>
        </section>
    };

    let import_report = move || {
        let lang = state.lang.get();
        imported.get().map(|r| {
            let errors = import_errors(&r, lang);
            view! {
                <div class="vl-note" data-swot-import="" data-rows-read=r.rows_read.to_string() data-rows-rejected=r.rows_rejected.to_string()>
                    <p>{import_summary(&r, lang)}</p>
                    {(!errors.is_empty()).then(|| view! { <ul class="vl-swot__errors">{errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul> })}
                </div>
            }
        })
    };

    view! {
        <section class="vl-section vl-swot" data-view-content="swot">
            <h2 class="vl-section-title">{move || state.t(Text::SwotTitle)}</h2>
            <p class="vl-section-intro">{move || state.t(Text::SwotIntro)}</p>
            <div class="vl-panel vl-swot__toolbar">
                <button class="vl-button vl-upload__pick" type="button" data-action="choose-swot-file"
                    on:click=move |_| crate::ui::browser::click(r#"[data-input="swot-file"]"#)>
                    {move || state.t(Text::SwotImportCsv)}
                </button>
                <input class="vl-upload__input" type="file" tabindex="-1" accept=".csv,.tsv,.txt,text/csv" data-input="swot-file" on:change=on_import />
                <button class="vl-button" type="button" data-action="export-swot" on:click=export>{move || state.t(Text::SwotExportCsv)}</button>
                <button class="vl-button" type="button" data-action="clear-swot" on:click=clear>{move || state.t(Text::SwotClear)}</button>
                {move || state.swot.with(|w| *w == Workbench::default()).then(|| view! {
                    <button class="vl-button vl-button--primary" type="button" data-action="load-swot-example" on:click=load_example>
                        {state.t(Text::SwotLoadExample)}
                    </button>
                })}
                <p class="vl-panel__hint vl-swot__help">{move || state.t(Text::SwotCsvHelp)}" "{move || state.t(Text::SavedInBrowser)}</p>
            </div>
            {import_report}
            <div class="vl-live" role="alert" aria-live="assertive">
                {move || error.get().map(|e| view! { <p class="vl-status vl-status--error" data-swot-error="">{error_text(&e, state.lang.get())}</p> })}
            </div>
            <div class="vl-swot__tabs">
                <div class="vl-segmented" role="group" aria-label=move || state.t(Text::SwotBoards)>{tabs}</div>
                <form class="vl-swot__newboard" on:submit=move |e: ev::SubmitEvent| { e.prevent_default(); add_competitor() }>
                    <input class="vl-select" type="text" placeholder=move || state.t(Text::AddCompetitor) aria-label=move || state.t(Text::AddCompetitor) data-new-competitor=""
                        prop:value=move || new_competitor.get() on:input=move |e: ev::Event| new_competitor.set(event_target::<HtmlInputElement>(&e).value()) />
                    <button class="vl-button vl-button--small" type="submit" data-action="add-competitor"
                        disabled=move || state.swot.with(|w| w.competitors.len() >= crate::engine::swot::MAX_COMPETITORS)>"+"</button>
                </form>
            </div>
            {board_tools}
            <div class="vl-swot__grid">{quadrants}</div>
            {hint_panel}
            {results}
        </section>
    }
}
