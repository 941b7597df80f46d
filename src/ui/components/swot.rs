//! The SWOT workbench (SWOT 分析打分): our board and the competitors' boards with scored items,
//! quadrant totals, means and weights, the comparison table and chart, the strategic position,
//! CSV import and export, hints from the customer data, saved in the browser. The rules live in
//! `engine::swot`; this file shows them and forwards edits.

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::chart::{CsvButton, SvgChart};
use super::metric::raw_value;
use super::user_text::UserText;
use crate::a11y::ChartTable;
use crate::charts::swot::{
    render_swot_comparison_svg, render_swot_position_svg, BoardTotals as ChartTotals, PositionPoint,
};
use crate::charts::ChartStyle;
use crate::display::{shown_row_error, ID_CHARS};
use crate::engine::error::Error;
use crate::engine::swot::{
    board_totals, comparison, figures, hints_from_customers, import_swot_csv, position,
    workbench_csv, HintConfig, MoveDirection, PositionBasis, Quadrant, Standing, SwotImport,
    Weighting, Workbench,
};
use crate::i18n::{
    board_name, error_text, format_number, quadrant_text, row_error_text, Lang, Text,
};
use crate::ui::browser;
use crate::ui::state::{Analyses, AppState};

fn score_text(v: f64) -> String {
    // An empty sum is −0.0 in Rust; show it as 0.
    let v = v + 0.0;
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format_number(v, 2)
    }
}

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
        let totals = board_totals(b);
        let qt = totals.get(quadrant).clone();
        let shares = qt.shares.clone();
        let items = b
            .items_in(quadrant)
            .map(|item| {
                let id = item.id;
                let share = shares.iter().find(|s| s.item == id).map(|s| s.share);
                let spread = item.spread().filter(|_| item.scores.len() > 1).map(|s| {
                    format!("{} {} · {}–{} · σ {}", item.scores.len(), Text::Respondents.get(lang), score_text(s.min), score_text(s.max), format_number(s.std_dev, 2))
                });
                let single = item.scores.len() == 1;
                view! {
                    <li class="vl-swot__item" data-item=id.to_string()>
                        <input class="vl-select vl-swot__text" type="text" aria-label=Text::Item.get(lang) prop:value=item.text.clone()
                            on:change=move |e: ev::Event| { let v = event_target::<HtmlInputElement>(&e).value(); apply(state, error, |w| w.set_text(id, &v)) } />
                        <input class="vl-select vl-swot__score" type="number" min="1" max="10" step="0.5" aria-label=Text::Score.get(lang)
                            data-score=id.to_string() prop:value=item.score().map(score_text).unwrap_or_default() disabled=!single
                            on:change=move |e: ev::Event| {
                                let v = event_target::<HtmlInputElement>(&e).value().trim().replace(',', ".").parse::<f64>().unwrap_or(f64::NAN);
                                apply(state, error, |w| w.set_score(id, v))
                            } />
                        <input class="vl-select vl-swot__weight" type="number" min="0" step="any" placeholder=Text::Weight.get(lang) aria-label=Text::Weight.get(lang)
                            prop:value=item.weight.map(score_text).unwrap_or_default()
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
                        {(spread.is_some() || share.is_some()).then(|| view! {
                            <span class="vl-swot__meta">
                                {spread}
                                {share.filter(|_| item.weight.is_some()).map(|s| format!(" · {} {}", Text::Weight.get(lang), crate::i18n::format_percent(s, 0)))}
                            </span>
                        })}
                    </li>
                }
            })
            .collect_view();
        let weighted = match qt.weighting {
            Weighting::Partial { .. } | Weighting::ZeroSum => "–".to_string(),
            _ => qt
                .weighted_total
                .map(score_text)
                .unwrap_or_else(|| "–".into()),
        };
        view! {
            <section class=format!("vl-panel vl-swot__quadrant vl-swot__quadrant--{}", letter.to_lowercase()) data-quadrant=letter>
                <header class="vl-swot__head">
                    <h3 class="vl-panel__title">{quadrant_text(quadrant).get(lang)}</h3>
                    <span class="vl-swot__totals">
                        <span data-quadrant-total=letter>{format!("{} {}", Text::Total.get(lang), score_text(qt.total))}</span>
                        {format!(" · {} {} · {} {}", Text::Mean.get(lang), qt.mean.map(score_text).unwrap_or_else(|| "–".into()), Text::WeightedTotal.get(lang), weighted)}
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
        let hint = match state.lang.get_untracked() {
            Lang::Zh => crate::engine::ingest::encoding::LanguageHint::SimplifiedChinese,
            Lang::En => crate::engine::ingest::encoding::LanguageHint::Other,
        };
        leptos::task::spawn_local(async move {
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => return,
            };
            match import_swot_csv(&bytes, hint) {
                Ok(result) => {
                    error.set(None);
                    state.swot.set(result.workbench.clone());
                    imported.set(Some(result));
                }
                Err(e) => error.set(Some(e)),
            }
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
        let w = state.swot.get();
        w.boards()
            .map(|b| {
                let id = b.id;
                let class = if selected.get() == id { "vl-segmented__item vl-segmented__item--active" } else { "vl-segmented__item" };
                let name = board_name(&b.name, id == w.us.id, lang);
                view! { <button type="button" class=class data-board=b.name.clone() aria-pressed=(selected.get() == id).to_string() on:click=move |_| selected.set(id)><UserText text=name max=ID_CHARS /></button> }
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
    let hints = move || {
        let lang = state.lang.get();
        let data = state.data.get()?;
        let top10 = analyses.deciles.with(|d| {
            d.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|a| a.by_sales.first())
                .and_then(|d| d.sales_share)
        });
        let hints = hints_from_customers(&data.summary, top10, &HintConfig::default()).ok()?;
        if hints.is_empty() {
            return None;
        }
        let items = hints
            .into_iter()
            .map(|h| {
                let text = crate::i18n::swot_hint_text(&h, lang);
                let add_text = text.clone();
                let (quadrant, score) = (h.quadrant, h.suggested_score);
                view! {
                    <li class="vl-swot__hint" data-hint=h.kind.as_str()>
                        <span class="vl-badge vl-badge--mid">{quadrant_text(quadrant).get(lang)}</span>
                        " "{text}" "
                        <button class="vl-button vl-button--small" type="button" data-action="add-hint"
                            on:click=move |_| apply(state, error, |w| { let us = w.us.id; w.add_item(us, quadrant, &add_text, score).map(|_| ()) })>
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

    let results = move || {
        let lang = state.lang.get();
        let w = state.swot.get();
        let basis_value = basis.get();
        let rows = comparison(&w);
        let figs = figures(&w, basis_value);
        let fig = |name: &str| figs.iter().find(|f| f.name == name).and_then(|f| f.value);
        let table_rows = rows
            .iter()
            .map(|row| {
                let cells = Quadrant::ALL
                    .into_iter()
                    .enumerate()
                    .map(|(k, q)| {
                        let metric = if row.is_us { format!("swot_total_{}", q.letter()) } else { format!("swot_total_{}:{}", q.letter(), row.name) };
                        let value = fig(&metric).unwrap_or(row.total(q));
                        let stronger = row.standing[k] == Standing::Stronger;
                        let class = if stronger { "vl-table__num vl-swot__stronger" } else { "vl-table__num" };
                        view! { <td class=class data-metric=metric data-value=raw_value(value) data-stronger=stronger.to_string()>{score_text(row.total(q))}</td> }
                    })
                    .collect_view();
                view! { <tr><th><UserText text=board_name(&row.name, row.is_us, lang) max=ID_CHARS /></th>{cells}</tr> }
            })
            .collect_view();
        let comparison_header: Vec<String> = std::iter::once(Text::BoardName.get(lang).to_string())
            .chain(
                Quadrant::ALL
                    .into_iter()
                    .map(|q| quadrant_text(q).get(lang).to_string()),
            )
            .collect();
        let comparison_rows: Vec<Vec<String>> =
            rows.iter()
                .map(|r| {
                    std::iter::once(board_name(&r.name, r.is_us, lang))
                        .chain(Quadrant::ALL.into_iter().map(|q| {
                            crate::engine::export::number_cell(r.total(q), 6).into_owned()
                        }))
                        .collect()
                })
                .collect();
        let style = ChartStyle::new(lang);
        let chart_rows: Vec<ChartTotals> = rows
            .iter()
            .map(|r| ChartTotals {
                name: board_name(&r.name, r.is_us, lang),
                totals: [r.s, r.w, r.o, r.t],
                is_us: r.is_us,
            })
            .collect();
        let comparison_table = chart_rows.iter().fold(
            ChartTable::new([
                Text::SwotBoards.get(lang),
                Text::Strengths.get(lang),
                Text::Weaknesses.get(lang),
                Text::Opportunities.get(lang),
                Text::Threats.get(lang),
            ]),
            |t, r| {
                t.row(
                    std::iter::once(r.name.clone()).chain(r.totals.iter().map(|v| score_text(*v))),
                )
            },
        );
        // Nothing scored yet: say so instead of drawing an empty 0–1 chart.
        let nothing_scored = rows
            .iter()
            .all(|row| Quadrant::ALL.into_iter().all(|q| row.total(q) == 0.0));
        let empty_note = nothing_scored.then(|| view! { <p class="vl-note" data-empty="swot-comparison">{Text::SwotComparisonEmpty.get(lang)}</p> });
        let comparison_chart = (!nothing_scored)
            .then(|| render_swot_comparison_svg(&chart_rows, &style).ok())
            .flatten()
            .map(|svg| view! { <SvgChart svg=svg label=Text::ComparisonTitle.get(lang).to_string() desc=Text::DescSwotComparison.get(lang).to_string() table=comparison_table name="swot-comparison" /> });
        let points: Vec<PositionPoint> = w
            .boards()
            .filter_map(|b| {
                position(b, basis_value).map(|p| PositionPoint {
                    name: board_name(&b.name, b.id == w.us.id, lang),
                    x: p.x,
                    y: p.y,
                    is_us: b.id == w.us.id,
                })
            })
            .collect();
        let position_table = points.iter().fold(
            ChartTable::new([Text::SwotBoards.get(lang), "S − W", "O − T"]),
            |t, p| t.row([p.name.clone(), score_text(p.x), score_text(p.y)]),
        );
        let ours = position(&w.us, basis_value);
        let position_chart = (!points.is_empty())
            .then(|| render_swot_position_svg(&points, &ChartStyle { lang, width: 520, height: 420 }).ok())
            .flatten()
            .map(|svg| view! { <SvgChart svg=svg label=Text::PositionTitle.get(lang).to_string() desc=Text::DescSwotPosition.get(lang).to_string() table=position_table name="swot-position" /> });
        let position_text = match ours {
            Some(p) => {
                let (strategy, meaning) = (
                    crate::i18n::tows_strategy(p.tows, lang),
                    crate::i18n::tows_meaning(p.tows, lang),
                );
                view! {
                    <div class="vl-swot__tows" data-tows=p.tows.as_str()>
                        <p><strong>{format!("{} · {}", p.tows.as_str(), strategy)}</strong></p>
                        <p>{meaning}</p>
                        <p class="vl-facts-line">
                            <span data-metric="swot_position_x" data-value=raw_value(p.x)>{format!("S − W = {}", score_text(p.x))}</span>
                            " · "
                            <span data-metric="swot_position_y" data-value=raw_value(p.y)>{format!("O − T = {}", score_text(p.y))}</span>
                        </p>
                    </div>
                }
                .into_any()
            }
            None => view! { <p class="vl-note" data-note="no-position">{Text::PositionNone.get(lang)}</p> }.into_any(),
        };
        let basis_switch = [PositionBasis::Totals, PositionBasis::Weighted]
            .into_iter()
            .map(|b| {
                let class = if b == basis_value { "vl-segmented__item vl-segmented__item--active" } else { "vl-segmented__item" };
                let label = if b == PositionBasis::Totals { Text::PositionBasisTotals } else { Text::PositionBasisWeighted };
                view! { <button type="button" class=class data-basis=format!("{b:?}").to_lowercase() on:click=move |_| basis.set(b)>{label.get(lang)}</button> }
            })
            .collect_view();
        view! {
            <section class="vl-panel" data-table="swot-comparison">
                <div class="vl-panel__head">
                    <h3 class="vl-panel__title">{Text::ComparisonTitle.get(lang)}</h3>
                    <CsvButton csv={crate::present::Csv { file: "swot-comparison".to_string(), header: comparison_header, rows: comparison_rows }} />
                </div>
                <p class="vl-panel__hint">{Text::StrongerNote.get(lang)}</p>
                <div class="vl-table-wrap" tabindex="0" role="region" aria-label=Text::ComparisonTitle.get(lang)>
                    <table class="vl-table">
                        <thead><tr>
                            <th>{Text::BoardName.get(lang)}</th>
                            {Quadrant::ALL.into_iter().map(|q| view! { <th class="vl-table__num">{quadrant_text(q).get(lang)}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>{table_rows}</tbody>
                    </table>
                </div>
                {empty_note}
                {comparison_chart}
            </section>
            <section class="vl-panel" data-panel="swot-position">
                <div class="vl-panel__head">
                    <h3 class="vl-panel__title">{Text::PositionTitle.get(lang)}</h3>
                    <div class="vl-segmented" role="group">{basis_switch}</div>
                </div>
                <div class="vl-two-columns">
                    <div>{position_chart}</div>
                    {position_text}
                </div>
            </section>
        }
    };

    let import_report = move || {
        let lang = state.lang.get();
        imported.get().map(|r| {
            let errors = r.errors.iter().take(100).map(|e| view! { <li>{row_error_text(&shown_row_error(e), lang)}</li> }).collect_view();
            view! {
                <div class="vl-note" data-swot-import="" data-rows-read=r.rows_read.to_string() data-rows-rejected=r.rows_rejected.to_string()>
                    <p>{format!("{}: {} {}, {} {} · {} {}", Text::SwotImported.get(lang), format_number(r.rows_read as f64, 0), Text::RowsRead.get(lang), format_number(r.rows_rejected as f64, 0), Text::RowsRejected.get(lang), Text::Encoding.get(lang), r.encoding.name)}</p>
                    {(!r.errors.is_empty()).then(|| view! { <ul class="vl-swot__errors">{errors}</ul> })}
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
            {hints}
            {results}
        </section>
    }
}
