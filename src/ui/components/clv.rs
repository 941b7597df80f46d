//! The CLV and prediction view (客户价值预测): the fit runs in the analysis worker
//! (`crate::ui::analyst`, started by the app whenever this view or the report is open and the
//! data or parameters change); `present::clv` words and draws the result; this file lays it
//! out, one memo per section, and sends the parameters back to state.

use std::sync::Arc;
use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlSelectElement;

use super::chart::{CsvButton, CsvLaterButton, FigureView};
use super::metric::MetricCard;
use super::placeholder::analysis_error;
use super::table::Cells;
use super::view_parts::input_value;
use crate::charts::ChartStyle;
use crate::engine::calendar::Day;
use crate::engine::clv::{ClvAnalysis, ClvConfig, TimeUnit};
use crate::i18n::{format_number, Lang, Text};
use crate::present::clv::{
    backtest_chart, backtest_rows, customer_header, customer_page, facts, fit_notes, fit_rows,
    headline, likely_lost, likely_lost_rows, likely_lost_rule, meanings, p_alive_chart, scores_csv,
    segment_rows, tracking_chart, tracking_csv, unit_word, value_decile_chart, value_decile_rows,
    Query, SortKey,
};
use crate::present::{sentence, Figure};
use crate::ui::state::{arc_changed, Analyses, AppState, ClvRun, LoadedData};

use super::table::notices;

/// File names of the CSVs.
const SCORES_CSV: &str = "clv-customers";
const LOST_CSV: &str = "clv-likely-lost-high-value";

/// The finished analysis, when there is one.
type Result = Memo<Option<Arc<ClvAnalysis>>>;

fn part<T>(
    result: Result,
    lang: RwSignal<Lang>,
    make: impl Fn(&ClvAnalysis, Lang) -> T + Send + Sync + 'static,
) -> Memo<Option<T>>
where
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| {
        let lang = lang.get();
        result.with(|a| a.as_ref().map(|a| make(a, lang)))
    })
}

fn figure(memo: Memo<Option<Figure>>) -> impl IntoView {
    move || {
        memo.get()
            .map(|figure| view! { <FigureView figure=figure /> })
    }
}

/// The parameters: time unit, calibration end, analysis date (shared), horizon, discount rate.
#[component]
fn ClvParameters() -> impl IntoView {
    let state = expect_context::<AppState>();
    let settings = state.clv;
    let t = move |text: Text| state.t(text);
    let units = [TimeUnit::Day, TimeUnit::Week, TimeUnit::Month];
    let unit_name = |u: TimeUnit| match u {
        TimeUnit::Day => "day",
        TimeUnit::Week => "week",
        TimeUnit::Month => "month",
    };
    let on_unit = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        if let Some(unit) = units.into_iter().find(|u| unit_name(*u) == value) {
            // The horizon keeps its length in days as near as whole units allow.
            settings.update(|s| {
                let days = f64::from(s.horizon) * s.unit.days();
                s.horizon = ((days / unit.days()).round() as u32).clamp(1, 10_000);
                s.unit = unit;
            });
        }
    };
    let on_calibration = move |event: ev::Event| {
        let day = Day::parse_iso(&input_value(&event));
        settings.update(|s| s.calibration_end = day);
    };
    let on_analysis_day = move |event: ev::Event| {
        let day = Day::parse_iso(&input_value(&event));
        state.rfm_config.update(|c| c.analysis_day = day);
    };
    let on_horizon = move |event: ev::Event| {
        if let Ok(h) = input_value(&event).trim().parse::<u32>() {
            settings.update(|s| s.horizon = h);
        }
    };
    let on_discount = move |event: ev::Event| {
        if let Ok(percent) = input_value(&event).trim().parse::<f64>() {
            settings.update(|s| s.discount_rate = percent / 100.0);
        }
    };
    let unit_options = move || {
        let lang = state.lang.get();
        units
            .into_iter()
            .map(|u| {
                view! {
                    <option value=unit_name(u) selected=move || settings.with(|s| s.unit == u)>{unit_word(u, lang)}</option>
                }
            })
            .collect_view()
    };
    view! {
        <details class="vl-panel vl-params" open data-panel="clv-parameters">
            <summary class="vl-panel__title">{move || t(Text::Parameters)}</summary>
            <div class="vl-params__grid">
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameCalibrationEnd)}</span>
                    <input class="vl-select" type="date" data-param="calibration_end"
                        prop:value=move || settings.with(|s| s.calibration_end.map(Day::iso).unwrap_or_default())
                        on:change=on_calibration />
                    <span class="vl-field__hint">{move || t(Text::ClvParamCalibrationHint)}</span>
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamAnalysisDate)}</span>
                    <input class="vl-select" type="date" data-param="analysis_day"
                        prop:value=move || state.rfm_config.with(|c| c.analysis_day.map(Day::iso).unwrap_or_default())
                        on:change=on_analysis_day />
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ClvParamUnit)}</span>
                    <select class="vl-select" data-param="time_unit" on:change=on_unit>{unit_options}</select>
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameHorizon)}" ("{move || unit_word(settings.with(|s| s.unit), state.lang.get())}")"</span>
                    <input class="vl-select" type="number" min="1" max="10000" step="1" data-param="horizon"
                        prop:value=move || settings.with(|s| s.horizon.to_string()) on:change=on_horizon />
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameDiscountRate)}" (%)"</span>
                    <input class="vl-select" type="number" min="0" max="100" step="0.5" data-param="discount_rate"
                        prop:value=move || settings.with(|s| format!("{}", (s.discount_rate * 100.0 * 1e6).round() / 1e6))
                        on:change=on_discount />
                </label>
            </div>
            <button class="vl-button vl-button--small" type="button" data-action="reset-clv-parameters"
                on:click=move |_| settings.set(ClvConfig::default())>
                {move || t(Text::ResetDefaults)}
            </button>
        </details>
    }
}

/// Running (with Cancel), cancelled (with Fit again), or why there is no result.
#[component]
fn ClvStatus(has_history: bool, summary_input: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let tick = RwSignal::new(0u32);
    let handle =
        set_interval_with_handle(move || tick.update(|t| *t += 1), Duration::from_secs(1)).ok();
    on_cleanup(move || {
        if let Some(handle) = handle {
            handle.clear();
        }
    });
    move || {
        let lang = state.lang.get();
        // Issue 17: BG/NBD's x, t_x and T could only be approximated from a summary.
        if summary_input {
            return Some(
                view! { <p class="vl-note" data-note="summary-limited">{Text::SumLimitedClv.get(lang)}</p> }
                    .into_any(),
            );
        }
        if !has_history {
            return Some(
                view! { <p class="vl-note" data-note="clv-needs-history">{Text::ClvNeedsHistory.get(lang)}</p> }
                    .into_any(),
            );
        }
        match state.clv_run.get() {
            ClvRun::Running { started, customers } => {
                tick.track();
                let seconds = ((js_sys::Date::now() - started) / 1000.0).max(0.0).floor();
                Some(view! {
                    <div class="vl-status" role="status" data-clv-status="running">
                        <progress class="vl-progress" aria-label=Text::ClvTitle.get(lang)></progress>
                        <p>{sentence(Text::ClvRunning.get(lang), &[format_number(customers as f64, 0), format!("{seconds}")])}</p>
                        <button class="vl-button vl-button--small" type="button" data-action="cancel-clv"
                            on:click=move |_| {
                                state.clv_wanted.set(false);
                                state.clv_run.set(ClvRun::Cancelled);
                            }>
                            {Text::ClvCancel.get(lang)}
                        </button>
                    </div>
                }.into_any())
            }
            ClvRun::Cancelled => Some(view! {
                <div class="vl-status" role="status" data-clv-status="cancelled">
                    <p>{Text::ClvCancelled.get(lang)}</p>
                    <button class="vl-button vl-button--small" type="button" data-action="run-clv"
                        on:click=move |_| state.clv_wanted.set(true)>
                        {Text::ClvRunAgain.get(lang)}
                    </button>
                </div>
            }.into_any()),
            ClvRun::Failed(error) => Some(analysis_error(&error, "clv-no-date", Text::ClvNeedsDates, lang)),
            ClvRun::Idle | ClvRun::Done(_) => None,
        }
    }
}

/// Facts, headline figures, what the parameters mean, the fit.
#[component]
fn FitSection(result: Result) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let facts = part(result, lang, facts);
    let cards = part(result, lang, headline);
    let rows = part(result, lang, fit_rows);
    let notes = part(result, lang, fit_notes);
    let terms = move || {
        meanings(lang.get())
            .into_iter()
            .map(|(term, meaning)| view! { <dt>{term}</dt><dd>{meaning}</dd> })
            .collect_view()
    };
    view! {
        <p class="vl-facts-line" data-facts="clv">{move || facts.get()}</p>
        <div class="vl-figures">
            {move || cards.get().unwrap_or_default().into_iter().map(|m| view! { <MetricCard metric=m /> }).collect_view()}
        </div>
        <details class="vl-panel" data-panel="clv-definitions">
            <summary class="vl-panel__title">{move || state.t(Text::ClvDefinitionsTitle)}</summary>
            <dl class="vl-definitions">{terms}</dl>
        </details>
        <section class="vl-panel" data-section="clv-fit">
            <h3 class="vl-panel__title">{move || state.t(Text::ClvFitTitle)}</h3>
            {move || rows.get().map(|t| view! { <Cells table=t name="clv-fit" label=state.t(Text::ClvFitTitle).to_string() /> })}
            {move || notes.get().map(notices)}
        </section>
    }
}

/// The backtest and the tracking plot.
#[component]
fn BacktestSection(result: Result) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let chart = part(result, lang, |a, lang| {
        backtest_chart(a, "clv-backtest", &ChartStyle::new(lang))
    });
    let rows = part(result, lang, backtest_rows);
    let tracking = part(result, lang, |a, lang| {
        tracking_chart(a, "clv-tracking", &ChartStyle::new(lang))
    });
    let csv = part(result, lang, |a, lang| {
        tracking_csv(a, "clv-tracking", lang)
    });
    let has_holdout = move || result.with(|a| a.as_ref().is_some_and(|a| a.backtest.is_some()));
    view! {
        <section class="vl-panel" data-section="clv-backtest">
            <h3 class="vl-panel__title">{move || state.t(Text::ClvBacktestSection)}</h3>
            {move || (!has_holdout()).then(|| view! { <p class="vl-note" data-note="clv-no-holdout">{state.t(Text::ClvNoHoldoutNote)}</p> })}
            {move || chart.get().flatten().map(|f| view! { <FigureView figure=f /> })}
            {move || rows.get().flatten().map(|t| view! { <Cells table=t name="clv-backtest" label=state.t(Text::ClvBacktestSection).to_string() /> })}
            {figure(tracking)}
            {move || csv.get().map(|csv| view! { <CsvButton csv=csv /> })}
        </section>
    }
}

/// P(alive), CLV deciles, CLV by RFM segment.
#[component]
fn ValueSection(data: Arc<LoadedData>, result: Result) -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    let lang = state.lang;
    let alive = part(result, lang, |a, lang| {
        p_alive_chart(a, "clv-p-alive", &ChartStyle::new(lang))
    });
    let deciles = Memo::new(move |_| result.with(|a| a.as_ref().map(|a| a.deciles.clone())));
    let decile_chart = Memo::new(move |_| {
        let lang = lang.get();
        deciles.with(|d| {
            d.as_ref()
                .map(|d| value_decile_chart(d, "clv-deciles", &ChartStyle::new(lang)))
        })
    });
    let decile_rows = Memo::new(move |_| {
        let lang = lang.get();
        deciles.with(|d| d.as_ref().map(|d| value_decile_rows(d, lang)))
    });
    let segments = Memo::new(move |_| {
        let lang = lang.get();
        result.with(|a| {
            let a = a.as_ref()?;
            analyses.rfm.with(|rfm| match rfm {
                Some(Ok(rfm)) => Some(segment_rows(a, rfm, &data.outcome.table, lang)),
                _ => None,
            })
        })
    });
    view! {
        <section class="vl-panel" data-section="clv-value">
            <h3 class="vl-panel__title">{move || state.t(Text::ClvValueTitle)}</h3>
            {figure(alive)}
            {figure(decile_chart)}
            {move || decile_rows.get().map(|t| view! { <Cells table=t name="clv-deciles" label=state.t(Text::ClvDecilesTitle).to_string() /> })}
            <h4 class="vl-panel__subtitle">{move || state.t(Text::ClvSegmentsTitle)}</h4>
            {move || segments.get().map(|t| view! { <Cells table=t name="clv-segments" label=state.t(Text::ClvSegmentsTitle).to_string() /> })}
        </section>
    }
}

/// Every customer: search, sort by any column, pages; the CSV of all; the likely-lost list.
#[component]
fn CustomersSection(data: Arc<LoadedData>, result: Result, stage: RwSignal<u8>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let query = RwSignal::new(Query::default());
    let page_data = data.clone();
    let page = Memo::new(move |_| {
        let q = query.get();
        result.with(|a| {
            a.as_ref()
                .map(|a| customer_page(a, &page_data.outcome.table, &q))
        })
    });
    let header = move || {
        let lang = lang.get();
        customer_header(lang)
            .into_iter()
            .enumerate()
            .map(|(i, (key, label))| {
                let class = if i == 0 { "" } else { "vl-table__num" };
                let sort = move || {
                    query.with(|q| {
                        if q.sort != key {
                            "none"
                        } else if q.ascending != (key == SortKey::Id) {
                            // The natural order is highest first (ids A→Z): flipped means the other way.
                            if key == SortKey::Id {
                                "descending"
                            } else {
                                "ascending"
                            }
                        } else if key == SortKey::Id {
                            "ascending"
                        } else {
                            "descending"
                        }
                    })
                };
                view! {
                    <th scope="col" class=class aria-sort=sort>
                        <button class="vl-table__sort" type="button" data-sort=key.as_str()
                            title=Text::ClvSortBy.get(lang)
                            on:click=move |_| query.update(|q| {
                                if q.sort == key {
                                    q.ascending = !q.ascending;
                                } else {
                                    q.sort = key;
                                    q.ascending = false;
                                }
                                q.page = 0;
                            })>
                            {label}
                        </button>
                    </th>
                }
            })
            .collect_view()
    };
    let body = move || {
        page.get().map(|(table, _, _)| {
            table
                .rows
                .into_iter()
                .map(|row| {
                    let cells = row
                        .into_iter()
                        .enumerate()
                        .map(|(i, cell)| {
                            let value = match cell.data {
                                Some(data) => {
                                    let raw = data.raw();
                                    view! { <span data-metric=data.metric data-value=raw>{cell.display}</span> }.into_any()
                                }
                                None => view! { <span>{cell.display}</span> }.into_any(),
                            };
                            if i == 0 {
                                view! { <th scope="row">{value}</th> }.into_any()
                            } else {
                                view! { <td class="vl-table__num">{value}</td> }.into_any()
                            }
                        })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view()
        })
    };
    let counts = move || {
        page.get().map(|(_, matches, pages)| {
            let lang = lang.get();
            let current = query.with(|q| q.page.min(pages - 1)) + 1;
            format!(
                "{} · {}",
                sentence(
                    Text::ClvMatches.get(lang),
                    &[format_number(matches as f64, 0)]
                ),
                sentence(
                    Text::ClvPage.get(lang),
                    &[current.to_string(), pages.to_string()]
                )
            )
        })
    };
    let pages = move || page.with(|p| p.as_ref().map_or(1, |p| p.2));
    let csv_data = data.clone();
    let make_csv: Arc<dyn Fn() -> Option<crate::present::Csv> + Send + Sync> =
        Arc::new(move || {
            let lang = lang.get_untracked();
            result.with_untracked(|a| {
                a.as_ref()
                    .map(|a| scores_csv(a, &csv_data.outcome.table, SCORES_CSV, lang))
            })
        });
    let lost_data = data.clone();
    let lost = Memo::new(move |_| {
        result.with(|a| a.as_ref().map(|a| likely_lost(a, &lost_data.outcome.table)))
    });
    let rows_data = data.clone();
    let lost_rows = Memo::new(move |_| {
        lost.with(|l| {
            l.as_ref()
                .map(|l| likely_lost_rows(l, &rows_data.outcome.table))
        })
    });
    let lost_header = move || {
        customer_header(lang.get())
            .into_iter()
            .map(|(_, label)| label)
            .collect::<Vec<_>>()
    };
    let lost_csv_data = data.clone();
    let make_lost_csv: Arc<dyn Fn() -> Option<crate::present::Csv> + Send + Sync> =
        Arc::new(move || {
            let lang = lang.get_untracked();
            result.with_untracked(|a| {
                a.as_ref().map(|a| {
                    let mut csv = scores_csv(a, &lost_csv_data.outcome.table, LOST_CSV, lang);
                    let keep: std::collections::HashSet<String> = lost.with_untracked(|l| {
                        l.as_ref().map_or_else(Default::default, |l| {
                            l.iter()
                                .filter_map(|s| {
                                    lost_csv_data.outcome.table.customers.get(s.index as usize)
                                })
                                .map(|c| c.id.to_string())
                                .collect()
                        })
                    });
                    csv.rows
                        .retain(|r| r.first().is_some_and(|id| keep.contains(id)));
                    csv
                })
            })
        });
    view! {
        <section class="vl-panel" data-section="clv-customers">
            <div class="vl-panel__head">
                <h3 class="vl-panel__title">{move || state.t(Text::ClvCustomersTitle)}</h3>
                <div class="vl-rules__actions">
                    <input class="vl-search" type="search" data-search="clv-customers"
                        placeholder=move || state.t(Text::ClvSearch)
                        aria-label=move || state.t(Text::ClvSearch)
                        prop:value=move || query.with(|q| q.search.clone())
                        on:input=move |e: ev::Event| {
                            let text = input_value(&e);
                            query.update(|q| { q.search = text; q.page = 0; });
                        } />
                </div>
            </div>
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label=move || state.t(Text::ClvCustomersTitle) data-table="clv-customers">
                <table class="vl-table vl-table--compact">
                    <thead><tr>{header}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <div class="vl-pager">
                <button class="vl-button vl-button--small" type="button" data-action="clv-previous"
                    disabled=move || query.with(|q| q.page == 0)
                    on:click=move |_| query.update(|q| q.page = q.page.saturating_sub(1))>
                    {move || state.t(Text::ClvPrevious)}
                </button>
                <span class="vl-pager__info" data-count="clv-customers" aria-live="polite">{counts}</span>
                <button class="vl-button vl-button--small" type="button" data-action="clv-next"
                    disabled=move || query.with(|q| q.page + 1 >= pages())
                    on:click=move |_| query.update(|q| q.page += 1)>
                    {move || state.t(Text::ClvNext)}
                </button>
            </div>
            <CsvLaterButton file=SCORES_CSV.to_string() make=make_csv />
            <h4 class="vl-panel__subtitle">{move || state.t(Text::ClvLostTitle)}</h4>
            <p class="vl-note">{move || likely_lost_rule(lang.get())}</p>
            // The likely-lost list a task after the table (each reads every customer: at ten
            // million rows together one 50–60 ms task).
            {move || (stage.get() >= 3).then(|| lost_rows.get()).flatten().map(|(mut table, more)| {
                table.header = lost_header();
                let empty = table.rows.is_empty();
                view! {
                    {if empty {
                        view! { <p class="vl-note">{state.t(Text::LcNoneListed)}</p> }.into_any()
                    } else {
                        view! { <Cells table=table name="clv-lost" label=state.t(Text::ClvLostTitle).to_string() /> }.into_any()
                    }}
                    {(more > 0).then(|| view! { <p class="vl-note">{sentence(state.t(Text::LcMoreInCsv), &[more.to_string()])}</p> })}
                }
            })}
            <CsvLaterButton file=LOST_CSV.to_string() make=make_lost_csv />
        </section>
    }
}

/// The value sections once `stage` is 1, the customers once it is 2 (their likely-lost list at 3).
#[component]
fn LaterSections(data: Arc<LoadedData>, result: Result, stage: RwSignal<u8>) -> impl IntoView {
    let customers = data.clone();
    view! {
        <Show when=move || { stage.get() >= 1 }>
            <ValueSection data=data.clone() result=result />
        </Show>
        <Show when=move || { stage.get() >= 2 }>
            <CustomersSection data=customers.clone() result=result stage=stage />
        </Show>
    }
}

/// The CLV view of a loaded data set.
#[component]
pub fn ClvView(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let has_history = data.history().is_some();
    // Opening the view asks for the fit (it runs in its own worker).
    state.want_clv();
    let result: Result = Memo::new_with_compare(
        move |_| match state.clv_run.get() {
            ClvRun::Done(a) => Some(a),
            _ => None,
        },
        arc_changed,
    );
    let done = move || result.with(Option::is_some);
    // With a million customers each later section (deciles, segments, the sorted customer
    // table) costs a few hundred milliseconds: they are built in tasks of their own, after the
    // fit and the backtest are on screen.
    let stage = RwSignal::new(0u8);
    Effect::new(move |_| {
        if done() {
            stage.set(0);
            set_timeout(
                move || {
                    stage.set(1);
                    set_timeout(
                        move || {
                            stage.set(2);
                            set_timeout(move || stage.set(3), Duration::ZERO);
                        },
                        Duration::ZERO,
                    );
                },
                Duration::ZERO,
            );
        }
    });
    view! {
        <section class="vl-section vl-clv" data-view-content="clv">
            <h2 class="vl-section-title">{move || state.t(Text::ClvTitle)}</h2>
            <p class="vl-section-intro">{move || state.t(Text::ClvIntro)}</p>
            <div class="vl-deciles__layout">
                <div class="vl-deciles__main">
                    <ClvStatus has_history=has_history summary_input=data.outcome.report.settings.summary.is_some() />
                    <Show when=done>
                        <FitSection result=result />
                        <BacktestSection result=result />
                        <LaterSections data=data.clone() result=result stage=stage />
                    </Show>
                </div>
                <aside class="vl-deciles__aside"><ClvParameters /></aside>
            </div>
        </section>
    }
}
