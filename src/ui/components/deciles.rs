//! The purchase decile view (购买十分位分析): Gini and Pareto point, decile bars with the
//! cumulative line, the Lorenz curve, customer and value deciles, and the four customer groups
//! with their editable thresholds, tables and CSV exports. Everything is computed by
//! `engine::deciles`; this file only shows it.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::chart::{CsvButton, SvgChart};
use super::customer_table::CustomerTable;
use super::metric::{raw_value, Metric};
use crate::a11y::{describe, fill, ChartTable};
use crate::charts::deciles::{
    render_decile_shares_svg, render_groups_svg, render_lorenz_svg, DecileShares, GroupBar,
};
use crate::charts::ChartStyle;
use crate::engine::deciles::{
    group_csv, Decile, DecileAnalysis, DecileBasis, GroupConfig, GroupCsvLabels, GroupKind,
    GroupStatus, Overshoot, ValueSlice,
};
use crate::engine::ingest::values::{format_day, parse_iso_day};
use crate::engine::table::sales_share_of;
use crate::i18n::{
    decile_label, error_text, format_date, format_money, format_number, format_percent, group_text,
    periods_text, slice_label, Lang, Text,
};
use crate::ui::browser;
use crate::ui::state::{Analyses, AppState, LoadedData};

fn group_note(kind: GroupKind) -> Text {
    match kind {
        GroupKind::Retain => Text::GroupRetainNote,
        GroupKind::Grow => Text::GroupGrowNote,
        GroupKind::Declining => Text::GroupDecliningNote,
        GroupKind::Transaction => Text::GroupTransactionNote,
    }
}

fn status_text(status: GroupStatus) -> Option<Text> {
    match status {
        GroupStatus::Computed => None,
        GroupStatus::NoDateColumn => Some(Text::GroupNoDate),
        GroupStatus::NoProfitColumn => Some(Text::GroupNoProfit),
        GroupStatus::NoPositiveSales => Some(Text::GroupNoPositiveSales),
    }
}

fn share(value: Option<f64>) -> String {
    value
        .map(|v| format_percent(v, 1))
        .unwrap_or_else(|| "–".into())
}

fn overshoot_notes(overshoot: Overshoot, lang: Lang) -> impl IntoView {
    view! {
        {overshoot.above_full.then(|| view! { <p class="vl-note" data-note="overshoot">{Text::Overshoot.get(lang)}</p> })}
        {overshoot.below_zero.then(|| view! { <p class="vl-note" data-note="below-zero">{Text::BelowZero.get(lang)}</p> })}
    }
}

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

/// The group thresholds, shown beside the results and editable.
#[component]
fn Parameters(config: RwSignal<GroupConfig>, has_dates: bool, has_profit: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let percent =
        move |get: fn(&GroupConfig) -> f64| Signal::derive(move || config.with(|c| get(c) * 100.0));
    let set_percent = move |set: fn(&mut GroupConfig, f64)| {
        Callback::new(move |v: f64| config.update(|c| set(c, v / 100.0)))
    };
    let on_date = move |event: ev::Event| {
        let value = event_target::<HtmlInputElement>(&event).value();
        let day = parse_iso_day(&value);
        config.update(|c| c.analysis_day = day);
    };
    let date_value = move || config.with(|c| c.analysis_day.map(format_day).unwrap_or_default());
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
                    <ParamInput label=Text::ParamPeriod name="period_months" value=Signal::derive(move || config.with(|c| c.period_months as f64)) on_value=Callback::new(move |v: f64| config.update(|c| c.period_months = v.round().clamp(0.0, 1000.0) as u32)) min=1.0 max=120.0 />
                    <ParamInput label=Text::ParamDecline name="decline_threshold" value=percent(|c| c.decline_threshold) on_value=set_percent(|c, v| c.decline_threshold = v) />
                })}
                {has_profit.then(|| view! {
                    <ParamInput label=Text::ParamMarginDeciles name="transaction_margin_decile" value=Signal::derive(move || config.with(|c| c.transaction_margin_decile as f64)) on_value=Callback::new(move |v: f64| config.update(|c| c.transaction_margin_decile = v.round().clamp(0.0, 255.0) as u8)) min=1.0 max=10.0 />
                    <ParamInput label=Text::ParamMaxOrders name="transaction_max_orders" value=Signal::derive(move || config.with(|c| c.transaction_max_orders as f64)) on_value=Callback::new(move |v: f64| config.update(|c| c.transaction_max_orders = v.round().clamp(0.0, 1e9) as u32)) min=1.0 max=1000.0 />
                })}
            </div>
            <button class="vl-button vl-button--small" type="button" data-action="reset-decile-parameters" on:click=move |_| config.set(GroupConfig::default())>
                {move || state.t(Text::ResetDefaults)}
            </button>
        </details>
    }
}

fn decile_rows(deciles: &[Decile], has_profit: bool, lang: Lang) -> impl IntoView {
    deciles
        .iter()
        .map(|d| {
            view! {
                <tr>
                    <td>{decile_label(d.index, lang)}</td>
                    <td class="vl-table__num">{format_number(d.customers as f64, 0)}</td>
                    <td class="vl-table__num">{format_money(d.sales)}</td>
                    <td class="vl-table__num">{share(d.sales_share)}</td>
                    <td class="vl-table__num">{share(d.cumulative_sales_share)}</td>
                    {has_profit.then(|| view! {
                        <td class="vl-table__num">{format_money(d.profit)}</td>
                        <td class="vl-table__num">{share(d.profit_share)}</td>
                        <td class="vl-table__num">{share(d.cumulative_profit_share)}</td>
                    })}
                    <td class="vl-table__num">{format_money(d.average_order_value)}</td>
                    {has_profit.then(|| view! { <td class="vl-table__num">{share(d.margin)}</td> })}
                </tr>
            }
        })
        .collect_view()
}

fn value_rows(slices: &[ValueSlice]) -> impl IntoView {
    slices
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{slice_label(s.index)}</td>
                    <td class="vl-table__num">{format_number(s.customers as f64, 0)}</td>
                    <td class="vl-table__num">{format_number(s.cumulative_customers as f64, 0)}</td>
                    <td class="vl-table__num">{format_percent(s.cumulative_customer_share, 1)}</td>
                    <td class="vl-table__num">{format_money(s.value)}</td>
                </tr>
            }
        })
        .collect_view()
}

/// The decile view of a loaded data set.
#[component]
pub fn DecilesView(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let config = state.decile_config;
    let basis = RwSignal::new(DecileBasis::Sales);
    let group = RwSignal::new(GroupKind::Retain);
    let columns = data.outcome.table.columns;
    let analysis = expect_context::<Analyses>().deciles;

    let body = {
        let data = data.clone();
        move || {
            let lang = state.lang.get();
            basis.track();
            group.track();
            analysis.with(|result| match result {
                None => ().into_any(),
                Some(Err(error)) => view! { <p class="vl-status vl-status--error" role="alert">{error_text(error, lang)}</p> }.into_any(),
                Some(Ok(a)) => analysis_body(a, &data, lang, basis, group).into_any(),
            })
        }
    };
    view! {
        <section class="vl-section vl-deciles" data-view-content="deciles">
            <h2 class="vl-section-title">{move || state.t(Text::DecilesTitle)}</h2>
            <p class="vl-section-intro">{move || state.t(Text::DecilesIntro)}</p>
            <div class="vl-deciles__layout">
                <div class="vl-deciles__main">{body}</div>
                <aside class="vl-deciles__aside">
                    <Parameters config=config has_dates=columns.date has_profit=columns.profit />
                </aside>
            </div>
        </section>
    }
}

fn analysis_body(
    a: &DecileAnalysis,
    data: &Arc<LoadedData>,
    lang: Lang,
    basis: RwSignal<DecileBasis>,
    group: RwSignal<GroupKind>,
) -> impl IntoView {
    let table = &data.outcome.table;
    let has_profit = table.columns.profit;
    let style = ChartStyle::new(lang);
    // The shares per decile; gini, the Pareto point and the group counts are the cards above.
    let figures: Vec<_> = a
        .figures()
        .into_iter()
        .filter(|f| f.name.starts_with("decile_"))
        .collect();

    // Headline figures.
    let gini = a.lorenz_sales.gini;
    let pareto = a.lorenz_sales.pareto80_customer_share;
    let group_metrics = GroupKind::ALL
        .into_iter()
        .map(|kind| {
            let status = a.groups.status_of(kind);
            let count = a.groups.members(kind).len();
            let computed = status == GroupStatus::Computed;
            view! {
                <Metric
                    name=match kind { GroupKind::Retain => "group_retain", GroupKind::Grow => "group_grow", GroupKind::Declining => "group_declining", GroupKind::Transaction => "group_transaction" }
                    label=group_text(kind).get(lang)
                    value=if computed { count as f64 } else { f64::NAN }
                    display=if computed { format_number(count as f64, 0) } else { "–".into() }
                    note=status_text(status).map(|t| t.get(lang).to_string()).unwrap_or_else(|| share(sales_share_of(&table.customers, a.groups.members(kind))))
                />
            }
        })
        .collect_view();

    // Charts.
    let chosen = basis.get_untracked();
    let deciles: &[Decile] = match (chosen, &a.by_profit) {
        (DecileBasis::Profit, Some(by_profit)) => by_profit,
        _ => &a.by_sales,
    };
    let shares = DecileShares {
        sales: deciles
            .iter()
            .map(|d| d.sales_share.unwrap_or(0.0))
            .collect(),
        profit: has_profit.then(|| {
            deciles
                .iter()
                .map(|d| d.profit_share.unwrap_or(0.0))
                .collect()
        }),
        cumulative_sales: deciles
            .iter()
            .map(|d| d.cumulative_sales_share.unwrap_or(0.0))
            .collect(),
    };
    let title = format!(
        "{} ({})",
        Text::DecileChartTitle.get(lang),
        if chosen == DecileBasis::Profit && has_profit {
            Text::ByProfit.get(lang)
        } else {
            Text::BySales.get(lang)
        }
    );
    let mut header = vec![Text::DecileColumn.get(lang), Text::SalesShare.get(lang)];
    if has_profit {
        header.push(Text::ProfitShare.get(lang));
    }
    header.push(Text::CumulativeShare.get(lang));
    let decile_table = deciles.iter().fold(ChartTable::new(header), |t, d| {
        let mut row = vec![decile_label(d.index, lang), share(d.sales_share)];
        if has_profit {
            row.push(share(d.profit_share));
        }
        row.push(share(d.cumulative_sales_share));
        t.row(row)
    });
    let decile_chart = match render_decile_shares_svg(&shares, &title, &style) {
        Ok(svg) => {
            let finding = match (deciles.first(), deciles.get(1)) {
                (Some(first), Some(second)) => Some(fill(
                    Text::FindingDeciles.get(lang),
                    &[
                        share(first.sales_share),
                        share(second.cumulative_sales_share),
                    ],
                )),
                _ => None,
            };
            let desc = describe(Text::DescDecileShares.get(lang), finding);
            view! { <SvgChart svg=svg label=title.clone() desc=desc table=decile_table name="decile-shares" /> }.into_any()
        }
        Err(error) => view! { <p class="vl-note">{error_text(&error, lang)}</p> }.into_any(),
    };
    let lorenz_points: Vec<(f64, f64)> = a
        .lorenz_sales
        .points
        .iter()
        .map(|p| (p.customer_share, p.value_share))
        .collect();
    // The curve's points, at most 21 of them (every 5% of customers) in the table.
    let step = (lorenz_points.len() / 20).max(1);
    let lorenz_table = lorenz_points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0 || *i + 1 == lorenz_points.len())
        .fold(
            ChartTable::new([
                Text::CustomerShareShort.get(lang),
                Text::ValueShareShort.get(lang),
            ]),
            |t, (_, &(x, y))| t.row([format_percent(x, 1), format_percent(y, 1)]),
        );
    let lorenz_chart = match (
        gini,
        render_lorenz_svg(&lorenz_points, gini.unwrap_or(0.0), pareto, &style),
    ) {
        (Some(g), Ok(svg)) => {
            let finding = pareto.map(|p| {
                fill(
                    Text::FindingLorenz.get(lang),
                    &[format_percent(p, 1), format!("{g:.2}")],
                )
            });
            let desc = describe(Text::DescLorenz.get(lang), finding);
            view! { <SvgChart svg=svg label=Text::LorenzTitle.get(lang).to_string() desc=desc table=lorenz_table name="lorenz" /> }.into_any()
        }
        (_, Err(error)) => view! { <p class="vl-note">{error_text(&error, lang)}</p> }.into_any(),
        _ => ().into_any(),
    };
    let bars: Vec<GroupBar> = GroupKind::ALL
        .into_iter()
        .filter(|&k| a.groups.status_of(k) == GroupStatus::Computed)
        .map(|k| GroupBar {
            label: group_text(k).get(lang).to_string(),
            customers: a.groups.members(k).len(),
            sales_share: sales_share_of(&table.customers, a.groups.members(k)).unwrap_or(0.0),
        })
        .collect();
    let groups_table = bars.iter().fold(
        ChartTable::new([
            Text::GroupsTitle.get(lang),
            Text::Customers.get(lang),
            Text::SalesShare.get(lang),
        ]),
        |t, b| {
            t.row([
                b.label.clone(),
                format_number(b.customers as f64, 0),
                format_percent(b.sales_share, 1),
            ])
        },
    );
    let groups_chart = render_groups_svg(&bars, &style)
        .map(|svg| view! { <SvgChart svg=svg label=Text::GroupsChartTitle.get(lang).to_string() desc=Text::DescGroups.get(lang).to_string() table=groups_table name="decile-groups" /> });

    // Tables.
    let basis_switch = has_profit.then(|| {
        view! {
            <div class="vl-segmented" role="group" aria-label=Text::Basis.get(lang)>
                {DecileBasis::ALL.into_iter().map(|b| {
                    let class = if b == chosen { "vl-segmented__item vl-segmented__item--active" } else { "vl-segmented__item" };
                    let label = if b == DecileBasis::Sales { Text::BySales } else { Text::ByProfit };
                    view! { <button type="button" class=class data-basis=b.as_str() aria-pressed=(b == chosen).to_string() on:click=move |_| basis.set(b)>{label.get(lang)}</button> }
                }).collect_view()}
            </div>
        }
    });
    let overshoot = match (chosen, &a.by_profit) {
        (DecileBasis::Profit, Some(d)) => {
            crate::engine::deciles::overshoot(d.iter().map(|d| d.cumulative_profit_share))
        }
        _ => crate::engine::deciles::overshoot(a.by_sales.iter().map(|d| d.cumulative_sales_share)),
    };
    let number = |v: f64| crate::engine::export::number_cell(v, 6).into_owned();
    let optional = |v: Option<f64>| v.map(number).unwrap_or_default();
    let decile_header: Vec<String> = [
        Text::DecileColumn,
        Text::Customers,
        Text::Sales,
        Text::SalesShare,
        Text::CumulativeShare,
        Text::Profit,
        Text::ProfitShare,
        Text::CumulativeShare,
        Text::AverageOrderValue,
        Text::Margin,
    ]
    .iter()
    .map(|t| t.get(lang).to_string())
    .collect();
    let decile_csv_rows: Vec<Vec<String>> = deciles
        .iter()
        .map(|d| {
            vec![
                d.index.to_string(),
                d.customers.to_string(),
                number(d.sales),
                optional(d.sales_share),
                optional(d.cumulative_sales_share),
                number(d.profit),
                optional(d.profit_share),
                optional(d.cumulative_profit_share),
                number(d.average_order_value),
                optional(d.margin),
            ]
        })
        .collect();
    let profit_headers = has_profit.then(|| {
        view! {
            <th scope="col" class="vl-table__num">{Text::Profit.get(lang)}</th>
            <th scope="col" class="vl-table__num">{Text::ProfitShare.get(lang)}</th>
            <th scope="col" class="vl-table__num">{Text::CumulativeShare.get(lang)}</th>
        }
    });
    let value_table = |title: Text, slices: &[ValueSlice], name: &'static str| {
        let header: Vec<String> = [
            Text::Slice,
            Text::Customers,
            Text::CumulativeCustomers,
            Text::CustomerShare,
            Text::Value,
        ]
        .iter()
        .map(|t| t.get(lang).to_string())
        .collect();
        let rows: Vec<Vec<String>> = slices
            .iter()
            .map(|v| {
                vec![
                    slice_label(v.index),
                    v.customers.to_string(),
                    v.cumulative_customers.to_string(),
                    crate::engine::export::number_cell(v.cumulative_customer_share, 6).into_owned(),
                    crate::engine::export::number_cell(v.value, 6).into_owned(),
                ]
            })
            .collect();
        view! {
            <section class="vl-panel" data-table=name>
                <div class="vl-panel__head">
                    <h3 class="vl-panel__title">{title.get(lang)}</h3>
                    <CsvButton csv={crate::present::Csv { file: name.to_string(), header, rows }} />
                </div>
                <div class="vl-table-wrap" tabindex="0" role="region" aria-label=title.get(lang)>
                    <table class="vl-table">
                        <thead><tr>
                            <th scope="col">{Text::Slice.get(lang)}</th>
                            <th scope="col" class="vl-table__num">{Text::Customers.get(lang)}</th>
                            <th scope="col" class="vl-table__num">{Text::CumulativeCustomers.get(lang)}</th>
                            <th scope="col" class="vl-table__num">{Text::CustomerShare.get(lang)}</th>
                            <th scope="col" class="vl-table__num">{Text::Value.get(lang)}</th>
                        </tr></thead>
                        <tbody>{value_rows(slices)}</tbody>
                    </table>
                </div>
            </section>
        }
    };
    let value_sales = (!a.value_by_sales.is_empty()).then(|| {
        value_table(
            Text::ValueDecilesTitle,
            &a.value_by_sales,
            "value-deciles-sales",
        )
    });
    let value_profit = a
        .value_by_profit
        .as_ref()
        .filter(|v| !v.is_empty())
        .map(|v| value_table(Text::ValueDecilesProfitTitle, v, "value-deciles-profit"));

    // Groups.
    let chosen_group = group.get_untracked();
    let group_tabs = GroupKind::ALL
        .into_iter()
        .map(|kind| {
            let class = if kind == chosen_group { "vl-segmented__item vl-segmented__item--active" } else { "vl-segmented__item" };
            view! { <button type="button" class=class data-group=kind.as_str() aria-pressed=(kind == chosen_group).to_string() on:click=move |_| group.set(kind)>{group_text(kind).get(lang)}</button> }
        })
        .collect_view();
    let members = Arc::new(a.groups.members(chosen_group).to_vec());
    let status = a.groups.status_of(chosen_group);
    let periods_note = (chosen_group == GroupKind::Declining)
        .then(|| {
            a.groups.periods.map(|p| {
                periods_text(
                    (p.latest.first_day, p.latest.last_day),
                    (p.previous.first_day, p.previous.last_day),
                    lang,
                )
            })
        })
        .flatten();
    let margin_note = (chosen_group == GroupKind::Transaction)
        .then_some(a.groups.transaction_margin_limit)
        .flatten()
        .map(|limit| match lang {
            Lang::Zh => format!(
                "利润率不高于 {} 且订单数不超过 {}。",
                format_percent(limit, 1),
                a.groups.config.transaction_max_orders
            ),
            Lang::En => format!(
                "Margin at most {} and at most {} orders.",
                format_percent(limit, 1),
                a.groups.config.transaction_max_orders
            ),
        });
    let export = {
        let data = data.clone();
        let groups = a.groups.clone();
        move |_| {
            let labels = GroupCsvLabels {
                customer: Text::CustomerId.get(lang),
                orders: Text::Orders.get(lang),
                sales: Text::Sales.get(lang),
                profit: Text::Profit.get(lang),
                margin: Text::Margin.get(lang),
                average_order_value: Text::AverageOrderValue.get(lang),
                first_purchase: Text::FirstPurchase.get(lang),
                last_purchase: Text::LastPurchase.get(lang),
                ..GroupCsvLabels::default()
            };
            let csv = group_csv(&data.outcome.table, &groups, chosen_group, &labels);
            let name = format!(
                "{}-{}.csv",
                group_text(chosen_group).get(lang),
                chosen_group.as_str()
            );
            let _ = browser::download(&name, "text/csv;charset=utf-8", &csv);
        }
    };
    let analysis_day_note = a.groups.periods.map(|p| {
        format!(
            "{}: {}",
            Text::ParamAnalysisDate.get(lang),
            format_date(p.analysis_day, lang)
        )
    });

    view! {
        <div class="vl-figures">
            <Metric name="gini" label=Text::Gini.get(lang) value=gini.unwrap_or(f64::NAN) display=gini.map(|g| format!("{g:.3}")).unwrap_or_else(|| "–".into()) note=Text::GiniNote.get(lang).to_string() />
            <Metric name="pareto80_customer_share" label=Text::Pareto80.get(lang) value=pareto.unwrap_or(f64::NAN) display=share(pareto) />
            {group_metrics}
        </div>
        {analysis_day_note.map(|n| view! { <p class="vl-facts-line">{n}</p> })}
        {(!has_profit).then(|| view! { <p class="vl-note" data-note="no-profit">{Text::NoProfitForDeciles.get(lang)}</p> })}
        <div class="vl-panel">{decile_chart}</div>
        <section class="vl-panel" data-table="customer-deciles">
            <div class="vl-panel__head">
                <h3 class="vl-panel__title">{Text::CustomerDecilesTitle.get(lang)}</h3>
                {basis_switch}
                <CsvButton csv={crate::present::Csv { file: format!("deciles-{}", chosen.as_str()), header: decile_header.clone(), rows: decile_csv_rows.clone() }} />
            </div>
            {overshoot_notes(overshoot, lang)}
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label=Text::CustomerDecilesTitle.get(lang)>
                <table class="vl-table">
                    <thead><tr>
                        <th scope="col">{Text::DecileColumn.get(lang)}</th>
                        <th scope="col" class="vl-table__num">{Text::Customers.get(lang)}</th>
                        <th scope="col" class="vl-table__num">{Text::Sales.get(lang)}</th>
                        <th scope="col" class="vl-table__num">{Text::SalesShare.get(lang)}</th>
                        <th scope="col" class="vl-table__num">{Text::CumulativeShare.get(lang)}</th>
                        {profit_headers}
                        <th scope="col" class="vl-table__num">{Text::AverageOrderValue.get(lang)}</th>
                        {has_profit.then(|| view! { <th scope="col" class="vl-table__num">{Text::Margin.get(lang)}</th> })}
                    </tr></thead>
                    <tbody>{decile_rows(deciles, has_profit, lang)}</tbody>
                </table>
            </div>
        </section>
        <div class="vl-two-columns">
            <div class="vl-panel">{lorenz_chart}</div>
            <div class="vl-stack">{value_sales}</div>
        </div>
        {value_profit}
        <section class="vl-panel" data-panel="groups">
            <h3 class="vl-panel__title">{Text::GroupsTitle.get(lang)}</h3>
            {groups_chart.ok()}
            <div class="vl-segmented vl-segmented--wide" role="group" aria-label=Text::GroupsTitle.get(lang)>{group_tabs}</div>
            <p class="vl-panel__hint">{group_note(chosen_group).get(lang)}</p>
            {periods_note.map(|n| view! { <p class="vl-panel__hint" data-note="periods">{n}</p> })}
            {margin_note.map(|n| view! { <p class="vl-panel__hint">{n}</p> })}
            {match status_text(status) {
                Some(text) => view! { <p class="vl-note" data-note="group-off">{text.get(lang)}</p> }.into_any(),
                None => view! {
                    <div class="vl-panel__head">
                        <span></span>
                        <button class="vl-button vl-button--small" type="button" data-action="export-group" on:click=export>{Text::ExportCsv.get(lang)}</button>
                    </div>
                    <CustomerTable data=data.clone() subset=members title=group_text(chosen_group).get(lang).to_string() name="group-customers"
                            no_export=true />
                }.into_any(),
            }}
        </section>
        <details class="vl-panel" data-panel="decile-figures">
            <summary class="vl-panel__title">{Text::AllFigures.get(lang)}</summary>
            <dl class="vl-figure-list">
                {figures.into_iter().map(|f| view! {
                    <div data-metric=f.name.clone() data-value=f.value.map(raw_value).unwrap_or_default()>
                        <dt>{f.name.clone()}</dt>
                        <dd>{f.value.map(|v| format!("{v:.6}")).unwrap_or_else(|| "–".into())}</dd>
                    </div>
                }).collect_view()}
            </dl>
        </details>
    }
}
