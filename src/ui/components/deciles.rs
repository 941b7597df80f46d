//! The purchase decile view (购买十分位分析): Gini and Pareto point, decile bars with the
//! cumulative line, the Lorenz curve, customer and value deciles, and the four customer groups
//! with their editable thresholds, tables and CSV exports. `engine::deciles` computes it,
//! `present::deciles` words and formats it; this file lays it out and sends edits back.
//!
//! Derived state is kept at the grain of what changes: one memo per part of the analysis (the
//! deciles of the chosen basis, the Lorenz curve, the value slices, the group facts) and one per
//! figure or section on top. Switching the basis redraws the decile chart and table only;
//! switching the group, the group's panel only; a new threshold, what depends on the groups.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::chart::{CsvButton, FigureView};
use super::customer_table::CustomerTable;
use super::metric::MetricCard;
use super::table::{notices, DataTable};
use super::view_parts::{when, Staged, PREPARED_FROM};
use crate::charts::ChartStyle;
use crate::engine::calendar::Day;
use crate::engine::deciles::{DecileAnalysis, DecileBasis, GroupConfig, GroupKind, ValueSlice};
use crate::i18n::{error_text, group_text, Text};
use crate::present::deciles::{
    analysis_day_note, basis_text, chosen, decile_csv, decile_table, exact_figures, group_csv,
    group_facts, group_panel, groups_figure, headline, lorenz_figure, overshoot_notes,
    shares_figure, value_csv, value_table, DecileColumn,
};
use crate::ui::browser;
use crate::ui::state::{arc_changed, Analyses, AppState, LoadedData};

/// One numeric parameter input (percent or plain number).
#[component]
fn ParamInput(
    label: Text,
    name: &'static str,
    value: Signal<f64>,
    on_value: Callback<f64>,
    #[prop(default = 1.0)] step: f64,
    #[prop(default = 0.0)] min: f64,
    #[prop(default = 100.0)] max: f64,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_change = move |event: ev::Event| {
        let input: HtmlInputElement = event_target(&event);
        if let Ok(v) = input.value().trim().parse::<f64>() {
            if v.is_finite() {
                on_value.run(v);
            }
        }
    };
    view! {
        <label class="vl-field">
            <span class="vl-field__label">{move || state.t(label)}</span>
            <input
                class="vl-select vl-input--number"
                type="number"
                data-param=name
                step=step.to_string()
                min=min.to_string()
                max=max.to_string()
                prop:value=move || format!("{}", (value.get() * 1000.0).round() / 1000.0)
                on:change=on_change
            />
        </label>
    }
}

thread_local! {
    /// The number of the last edit of the decile parameters ([`edit`]).
    static EDITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Applies `change` to the decile parameters, for a large data set once the analysis with them
/// is computed in pieces ([`super::view_parts::edit_in_pieces`]).
fn edit(state: AppState, analyses: Analyses, big: bool, change: impl FnOnce(&mut GroupConfig)) {
    super::view_parts::edit_in_pieces(state.decile_config, &EDITS, big, change, move |next| {
        analyses.step_deciles(state, next) == Some(true)
    });
}

/// The group thresholds, shown beside the results and editable ([`edit`]).
#[component]
fn Parameters(
    config: RwSignal<GroupConfig>,
    has_dates: bool,
    has_profit: bool,
    customers: usize,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    let big = customers >= super::view_parts::PREPARED_FROM;
    let update = move |change: fn(&mut GroupConfig, f64), v: f64| {
        edit(state, analyses, big, |c| change(c, v));
    };
    let percent =
        move |get: fn(&GroupConfig) -> f64| Signal::derive(move || config.with(|c| get(c) * 100.0));
    let set_percent =
        move |set: fn(&mut GroupConfig, f64)| Callback::new(move |v: f64| update(set, v / 100.0));
    let on_date = move |event: ev::Event| {
        let value = event_target::<HtmlInputElement>(&event).value();
        let day = Day::parse_iso(&value);
        edit(state, analyses, big, |c| c.analysis_day = day);
    };
    let date_value = move || config.with(|c| c.analysis_day.map(Day::iso).unwrap_or_default());
    view! {
        <details class="vl-panel vl-params" open data-panel="decile-parameters">
            <summary class="vl-panel__title">{move || state.t(Text::Parameters)}</summary>
            <p class="vl-panel__hint">{move || state.t(Text::ParametersNote)}</p>
            <div class="vl-params__grid">
                <ParamInput label=Text::ParamRetain name="retain_sales_share" value=percent(|c| c.retain_sales_share) on_value=set_percent(|c, v| c.retain_sales_share = v) />
                <ParamInput label=Text::ParamGrowFrom name="grow_from_share" value=percent(|c| c.grow_from_share) on_value=set_percent(|c, v| c.grow_from_share = v) />
                <ParamInput label=Text::ParamGrowTo name="grow_to_share" value=percent(|c| c.grow_to_share) on_value=set_percent(|c, v| c.grow_to_share = v) />
                {has_dates.then(|| view! {
                    <label class="vl-field">
                        <span class="vl-field__label">{move || state.t(Text::ParamAnalysisDate)}</span>
                        <input class="vl-select" type="date" data-param="analysis_day" prop:value=date_value on:change=on_date />
                    </label>
                    <ParamInput label=Text::ParamPeriod name="period_months" value=Signal::derive(move || config.with(|c| c.period_months as f64)) on_value=Callback::new(move |v: f64| update(|c, v| c.period_months = v.round().clamp(0.0, 1000.0) as u32, v)) min=1.0 max=120.0 />
                    <ParamInput label=Text::ParamDecline name="decline_threshold" value=percent(|c| c.decline_threshold) on_value=set_percent(|c, v| c.decline_threshold = v) />
                })}
                {has_profit.then(|| view! {
                    <ParamInput label=Text::ParamMarginDeciles name="transaction_margin_decile" value=Signal::derive(move || config.with(|c| c.transaction_margin_decile as f64)) on_value=Callback::new(move |v: f64| update(|c, v| c.transaction_margin_decile = v.round().clamp(0.0, 255.0) as u8, v)) min=1.0 max=10.0 />
                    <ParamInput label=Text::ParamMaxOrders name="transaction_max_orders" value=Signal::derive(move || config.with(|c| c.transaction_max_orders as f64)) on_value=Callback::new(move |v: f64| update(|c, v| c.transaction_max_orders = v.round().clamp(0.0, 1e9) as u32, v)) min=1.0 max=1000.0 />
                })}
            </div>
            <button class="vl-button vl-button--small" type="button" data-action="reset-decile-parameters" on:click=move |_| edit(state, analyses, big, |c| *c = GroupConfig::default())>
                {move || state.t(Text::ResetDefaults)}
            </button>
        </details>
    }
}

/// The decile view of a loaded data set.
#[component]
pub fn DecilesView(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let config = state.decile_config;
    let columns = data.outcome.table.columns;
    let customers = data.outcome.table.customers.len();
    let analyses = expect_context::<Analyses>();
    let analysis: Memo<Option<Arc<DecileAnalysis>>> = Memo::new_with_compare(
        move |_| analyses.deciles.get().and_then(Result::ok),
        arc_changed,
    );
    let ready = Memo::new(move |_| analysis.with(Option::is_some));
    let error = move || {
        let lang = lang.get();
        analyses.deciles.with(|result| match result {
            Some(Err(error)) => Some(view! { <p class="vl-status vl-status--error" role="alert">{error_text(error, lang)}</p> }),
            _ => None,
        })
    };
    // Built in three tasks for many customers (at ten million rows, at once, 70–105 ms of the
    // page's thread on a slow machine): the figures, the decile chart and table first; the
    // Lorenz curve and the value deciles a task later; the groups (their facts and customer
    // table) and the breakdown and product mix panels a task after that.
    let staged = Staged::new(3, customers < PREPARED_FROM);
    let (second, third) = (staged.shown(1), staged.shown(2));
    let panels = {
        let data = data.clone();
        move || {
            view! {
                <super::breakdown::BreakdownPanel data=data.clone() part=super::breakdown::BreakdownPart::Deciles />
                <super::mix::MixPanel data=data.clone() part=super::mix::MixPart::Deciles />
            }
        }
    };
    let body = move || {
        ready
            .get()
            .then(|| analysis_body(data.clone(), analysis, second, third))
    };
    view! {
        <section class="vl-section vl-deciles" data-view-content="deciles">
            <h2 class="vl-section-title">{move || state.t(Text::DecilesTitle)}</h2>
            <p class="vl-section-intro">{move || state.t(Text::DecilesIntro)}</p>
            <div class="vl-deciles__layout">
                <div class="vl-deciles__main">
                    {error}{body}
                    {when(third, panels)}
                </div>
                <aside class="vl-deciles__aside">
                    <Parameters config=config has_dates=columns.date has_profit=columns.profit customers=customers />
                </aside>
            </div>
        </section>
    }
}

/// The value deciles of sales and of profit.
type ValueParts = (Vec<ValueSlice>, Option<Vec<ValueSlice>>);

/// The results, while there is an analysis. Built once; each part below follows its own memo.
fn analysis_body(
    data: Arc<LoadedData>,
    analysis: Memo<Option<Arc<DecileAnalysis>>>,
    second: Memo<bool>,
    third: Memo<bool>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let has_profit = data.outcome.table.columns.profit;
    let basis = RwSignal::new(DecileBasis::Sales);
    let group = RwSignal::new(GroupKind::Retain);
    let style = move || ChartStyle::new(lang.get());

    // The parts of the analysis, compared by value: a new threshold changes the groups, not
    // the deciles or the Lorenz curve, so their charts are not drawn again.
    let shown = Memo::new(move |_| {
        let basis = basis.get();
        analysis.with(|a| {
            a.as_ref().map(|a| {
                let (basis, deciles) = chosen(a, basis);
                (basis, deciles.to_vec())
            })
        })
    });
    let lorenz = Memo::new(move |_| analysis.with(|a| a.as_ref().map(|a| a.lorenz_sales.clone())));
    let slices = Memo::new(move |_| {
        analysis.with(|a| {
            a.as_ref()
                .map(|a| (a.value_by_sales.clone(), a.value_by_profit.clone()))
        })
    });
    let facts = {
        let data = data.clone();
        Memo::new(move |_| {
            analysis.with(|a| {
                a.as_ref()
                    .map(|a| group_facts(&a.groups, &data.outcome.table.customers))
            })
        })
    };

    // One memo per figure and section.
    let metrics = Memo::new(move |_| {
        let lang = lang.get();
        lorenz.with(|l| {
            facts.with(|f| match (l, f) {
                (Some(l), Some(f)) => headline(l, f, lang),
                _ => Vec::new(),
            })
        })
    });
    let day_note = Memo::new(move |_| {
        let lang = lang.get();
        analysis.with(|a| a.as_ref().and_then(|a| analysis_day_note(&a.groups, lang)))
    });
    let shares_chart = Memo::new(move |_| {
        let style = style();
        shown.with(|s| {
            s.as_ref()
                .map(|(basis, deciles)| shares_figure(deciles, *basis, has_profit, &style))
        })
    });
    let lorenz_chart = Memo::new(move |_| {
        let style = style();
        lorenz.with(|l| l.as_ref().and_then(|l| lorenz_figure(l, &style)))
    });
    let groups_chart = Memo::new(move |_| {
        let style = style();
        facts.with(|f| f.as_ref().and_then(|f| groups_figure(f, &style)))
    });
    let decile_section = Memo::new(move |_| {
        let lang = lang.get();
        shown.with(|s| {
            s.as_ref().map(|(basis, deciles)| {
                (
                    decile_table(deciles, &DecileColumn::ALL, has_profit, lang),
                    decile_csv(deciles, *basis, lang),
                    overshoot_notes(deciles, *basis, lang),
                )
            })
        })
    });
    let panel = Memo::new(move |_| {
        let lang = lang.get();
        let kind = group.get();
        analysis.with(|a| {
            a.as_ref().map(|a| {
                (
                    kind,
                    group_panel(&a.groups, kind, lang),
                    Arc::new(a.groups.members(kind).to_vec()),
                )
            })
        })
    });
    let figures = Memo::new(move |_| {
        analysis.with(|a| a.as_ref().map(|a| exact_figures(a)).unwrap_or_default())
    });

    // A value decile table with its CSV, of the slices `pick` takes (shown when there are any).
    let value_part = move |title: Text,
                           name: &'static str,
                           pick: fn(&ValueParts) -> Option<&Vec<ValueSlice>>| {
        let part = Memo::new(move |_| {
            let lang = lang.get();
            slices.with(|s| {
                s.as_ref()
                    .and_then(pick)
                    .filter(|v| !v.is_empty())
                    .map(|v| (value_table(v, lang), value_csv(v, name, lang)))
            })
        });
        move || {
            part.get().map(|(table, csv)| {
                view! {
                    <section class="vl-panel" data-table=name>
                        <div class="vl-panel__head">
                            <h3 class="vl-panel__title">{move || state.t(title)}</h3>
                            <CsvButton csv=csv />
                        </div>
                        <div class="vl-table-wrap" tabindex="0" role="region" aria-label=move || state.t(title)>
                            <DataTable table=table class="vl-table" />
                        </div>
                    </section>
                }
            })
        }
    };
    let value_sales = value_part(Text::ValueDecilesTitle, "value-deciles-sales", |s| {
        Some(&s.0)
    });
    let value_profit = value_part(Text::ValueDecilesProfitTitle, "value-deciles-profit", |s| {
        s.1.as_ref()
    });

    let basis_switch = has_profit.then(|| {
        let buttons = DecileBasis::ALL
            .into_iter()
            .map(|b| {
                let active = move || basis.get() == b;
                view! {
                    <button
                        type="button"
                        class=move || if active() { "vl-segmented__item vl-segmented__item--active" } else { "vl-segmented__item" }
                        data-basis=b.as_str()
                        aria-pressed=move || active().to_string()
                        on:click=move |_| basis.set(b)
                    >{move || state.t(basis_text(b))}</button>
                }
            })
            .collect_view();
        view! { <div class="vl-segmented" role="group" aria-label=move || state.t(Text::Basis)>{buttons}</div> }
    });
    let group_tabs = move || {
        GroupKind::ALL
        .into_iter()
        .map(|kind| {
            let active = move || group.get() == kind;
            view! {
                <button
                    type="button"
                    class=move || if active() { "vl-segmented__item vl-segmented__item--active" } else { "vl-segmented__item" }
                    data-group=kind.as_str()
                    aria-pressed=move || active().to_string()
                    on:click=move |_| group.set(kind)
                >{move || state.t(group_text(kind))}</button>
            }
        })
        .collect_view()
    };
    let export = {
        let data = data.clone();
        move |_| {
            let lang = lang.get_untracked();
            let kind = group.get_untracked();
            let csv = analysis.with_untracked(|a| {
                a.as_ref()
                    .map(|a| group_csv(&data.outcome.table, &a.groups, kind, lang))
            });
            if let Some(csv) = csv {
                let _ = browser::download(
                    &format!("{}.csv", csv.file),
                    "text/csv;charset=utf-8",
                    &csv.document(),
                );
            }
        }
    };
    let group_members = move || {
        let data = data.clone();
        let export = export.clone();
        panel.get().map(|(kind, p, members)| {
            view! {
                <p class="vl-panel__hint">{p.note}</p>
                {p.periods.map(|n| view! { <p class="vl-panel__hint" data-note="periods">{n}</p> })}
                {p.limits.map(|n| view! { <p class="vl-panel__hint">{n}</p> })}
                {match p.off {
                    Some(text) => view! { <p class="vl-note" data-note="group-off">{text}</p> }.into_any(),
                    None => view! {
                        <div class="vl-panel__head">
                            <span></span>
                            <button class="vl-button vl-button--small" type="button" data-action="export-group" on:click=export>{move || state.t(Text::ExportCsv)}</button>
                        </div>
                        <CustomerTable data=data subset=members title=group_text(kind).get(lang.get_untracked()).to_string() name="group-customers" no_export=true />
                    }.into_any(),
                }}
            }
        })
    };

    view! {
        <div class="vl-figures">
            {move || metrics.get().into_iter().map(|m| view! { <MetricCard metric=m /> }).collect_view()}
        </div>
        {move || day_note.get().map(|n| view! { <p class="vl-facts-line">{n}</p> })}
        {(!has_profit).then(|| view! { <p class="vl-note" data-note="no-profit">{move || state.t(Text::NoProfitForDeciles)}</p> })}
        <div class="vl-panel">{move || shares_chart.get().map(|f| view! { <FigureView figure=f /> })}</div>
        <section class="vl-panel" data-table="customer-deciles">
            <div class="vl-panel__head">
                <h3 class="vl-panel__title">{move || state.t(Text::CustomerDecilesTitle)}</h3>
                {basis_switch}
                {move || decile_section.with(|s| s.as_ref().map(|(_, csv, _)| view! { <CsvButton csv=csv.clone() /> }))}
            </div>
            {move || decile_section.with(|s| s.as_ref().map(|(_, _, notes)| notices(notes.clone())))}
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label=move || state.t(Text::CustomerDecilesTitle)>
                {move || decile_section.with(|s| s.as_ref().map(|(table, _, _)| view! { <DataTable table=table.clone() class="vl-table" /> }))}
            </div>
        </section>
        {when(second, move || view! {
            <div class="vl-two-columns">
                <div class="vl-panel">{move || lorenz_chart.get().map(|f| view! { <FigureView figure=f /> })}</div>
                <div class="vl-stack">{value_sales}</div>
            </div>
            {value_profit}
        })}
        {when(third, move || view! {
            <section class="vl-panel" data-panel="groups">
                <h3 class="vl-panel__title">{move || state.t(Text::GroupsTitle)}</h3>
                {move || groups_chart.get().map(|f| view! { <FigureView figure=f /> })}
                <div class="vl-segmented vl-segmented--wide" role="group" aria-label=move || state.t(Text::GroupsTitle)>{group_tabs()}</div>
                {group_members.clone()}
            </section>
        })}
        <details class="vl-panel" data-panel="decile-figures">
            <summary class="vl-panel__title">{move || state.t(Text::AllFigures)}</summary>
            <dl class="vl-figure-list">
                {move || figures.get().into_iter().map(|f| {
                    let name = f.name.clone();
                    view! {
                        <div data-metric=name data-value=f.raw>
                            <dt>{f.name}</dt>
                            <dd>{f.shown}</dd>
                        </div>
                    }
                }).collect_view()}
            </dl>
        </details>
    }
}
