//! The per-customer table: search, sort by any column, one page at a time.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::user_text::UserText;
use crate::display::ID_CHARS;
use crate::engine::table::{query_subset, SortKey, TableQuery};
use crate::i18n::{format_date, format_money, format_number, Text};
use crate::ui::state::{AppState, LoadedData};

/// The customer table of a data set, or of a subset of its customers.
#[component]
pub fn CustomerTable(
    /// The data set.
    data: Arc<LoadedData>,
    /// Only these customers (indices into the data set's customers); all when absent.
    #[prop(optional)]
    subset: Option<Arc<Vec<usize>>>,
    /// Heading; "Customers" when absent.
    #[prop(optional)]
    title: Option<String>,
    /// `data-table` name for tests; `customers` when absent.
    #[prop(optional)]
    name: Option<&'static str>,
    /// Hide the CSV button (when the surrounding view offers a richer export).
    #[prop(optional)]
    no_export: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(TableQuery::default());
    let has_profit = data.outcome.table.columns.profit;
    let has_dates = data.outcome.table.columns.date;
    // Every customer the search matches, in the table's order, as CSV (not just the page shown).
    let export = {
        let data = data.clone();
        let subset = subset.clone();
        let file = name.unwrap_or("customers");
        move |_| {
            let lang = state.lang.get_untracked();
            let customers = &data.outcome.table.customers;
            let columns = data.outcome.table.columns;
            let all = query.with_untracked(|q| TableQuery {
                page: 0,
                page_size: usize::MAX,
                ..q.clone()
            });
            let rows = query_subset(customers, subset.as_deref().map(|s| s.as_slice()), &all).rows;
            let number = |v: f64| crate::engine::export::number_cell(v, 2).into_owned();
            let day = |d: Option<i32>| {
                d.map(crate::engine::ingest::values::format_day)
                    .unwrap_or_default()
            };
            let mut header = vec![
                Text::CustomerId.get(lang),
                Text::Orders.get(lang),
                Text::Sales.get(lang),
            ];
            if columns.profit {
                header.push(Text::Profit.get(lang));
            }
            if columns.date {
                header.extend([Text::FirstPurchase.get(lang), Text::LastPurchase.get(lang)]);
            }
            let body = rows.iter().map(|&i| {
                let c = &customers[i];
                let mut cells: Vec<std::borrow::Cow<'_, str>> = vec![
                    c.id.as_str().into(),
                    c.orders.to_string().into(),
                    number(c.sales).into(),
                ];
                if columns.profit {
                    cells.push(number(c.profit).into());
                }
                if columns.date {
                    cells.push(day(c.first).into());
                    cells.push(day(c.last).into());
                }
                cells
            });
            let csv = crate::engine::export::csv_document(&header, body);
            let _ = crate::ui::browser::download(
                &format!("{file}.csv"),
                "text/csv;charset=utf-8",
                &csv,
            );
        }
    };
    let page = {
        let data = data.clone();
        let subset = subset.clone();
        Memo::new(move |_| {
            query.with(|q| {
                query_subset(
                    &data.outcome.table.customers,
                    subset.as_deref().map(|s| s.as_slice()),
                    q,
                )
            })
        })
    };
    let sort_by = move |key: SortKey| {
        query.update(|q| {
            if q.sort == key {
                q.descending = !q.descending;
            } else {
                q.sort = key;
                q.descending = key != SortKey::Id;
            }
            q.page = 0;
        })
    };
    let header = move |key: SortKey, text: Text, numeric: bool| {
        let aria = move || {
            query.with(|q| {
                if q.sort != key {
                    "none"
                } else if q.descending {
                    "descending"
                } else {
                    "ascending"
                }
            })
        };
        let class = if numeric { "vl-table__num" } else { "" };
        view! {
            <th scope="col" class=class aria-sort=aria>
                <button class="vl-table__sort" type="button" data-sort=format!("{key:?}").to_lowercase() on:click=move |_| sort_by(key)>
                    {move || state.t(text)}
                </button>
            </th>
        }
    };
    let on_search = move |event: ev::Event| {
        let value = event_target::<HtmlInputElement>(&event).value();
        query.update(|q| {
            q.search = value;
            q.page = 0;
        });
    };
    let rows = {
        let data = data.clone();
        move || {
            let lang = state.lang.get();
            let customers = &data.outcome.table.customers;
            page.with(|p| {
                p.rows
                    .iter()
                    .map(|&i| {
                        let c = &customers[i];
                        let date = |d: Option<i32>| d.map(|d| format_date(d, lang)).unwrap_or_else(|| "–".into());
                        view! {
                            <tr>
                                <td><UserText text=c.id.clone() max=ID_CHARS /></td>
                                <td class="vl-table__num">{format_number(c.orders as f64, 0)}</td>
                                <td class="vl-table__num">{format_money(c.sales)}</td>
                                {has_profit.then(|| view! { <td class="vl-table__num">{format_money(c.profit)}</td> })}
                                {has_dates.then(|| view! { <td>{date(c.first)}</td><td>{date(c.last)}</td> })}
                            </tr>
                        }
                    })
                    .collect_view()
            })
        }
    };
    view! {
        <section class="vl-panel" data-table=name.unwrap_or("customers")>
            <div class="vl-panel__head">
                <h2 class="vl-panel__title">{
                    let title = title.clone();
                    move || title.clone().unwrap_or_else(|| state.t(Text::CustomersTitle).to_string())
                }</h2>
                <div class="vl-rules__actions">
                    <input
                        class="vl-search"
                        type="search"
                        data-input="customer-search"
                        placeholder=move || state.t(Text::Search)
                        on:input=on_search
                    />
                    {(!no_export).then(|| view! {
                        <button class="vl-button vl-button--small" type="button" data-action="customers-csv" on:click=export.clone()>
                            {move || state.t(Text::ExportCsv)}
                        </button>
                    })}
                </div>
            </div>
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label={
                let title = title.clone();
                move || title.clone().unwrap_or_else(|| state.t(Text::CustomersTitle).to_string())
            }>
                <table class="vl-table">
                    <thead>
                        <tr>
                            {header(SortKey::Id, Text::CustomerId, false)}
                            {header(SortKey::Orders, Text::Orders, true)}
                            {header(SortKey::Sales, Text::Sales, true)}
                            {has_profit.then(|| header(SortKey::Profit, Text::Profit, true))}
                            {has_dates.then(|| view! {
                                {header(SortKey::First, Text::FirstPurchase, false)}
                                {header(SortKey::Last, Text::LastPurchase, false)}
                            })}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="vl-pager">
                <button
                    class="vl-button vl-button--small"
                    type="button"
                    data-action="page-prev"
                    disabled=move || page.with(|p| p.page == 0)
                    on:click=move |_| query.update(|q| q.page = q.page.saturating_sub(1))
                >
                    {move || state.t(Text::PagePrev)}
                </button>
                <span class="vl-pager__info" data-matches=move || page.with(|p| p.matches.to_string())>
                    {move || {
                        let lang = state.lang.get();
                        page.with(|p| match lang {
                            crate::i18n::Lang::Zh => format!("第 {} / {} 页 · {} 位客户", p.page + 1, p.pages, format_number(p.matches as f64, 0)),
                            crate::i18n::Lang::En => format!("Page {} of {} · {} customers", p.page + 1, p.pages, format_number(p.matches as f64, 0)),
                        })
                    }}
                </span>
                <button
                    class="vl-button vl-button--small"
                    type="button"
                    data-action="page-next"
                    disabled=move || page.with(|p| p.page + 1 >= p.pages)
                    on:click=move |_| {
                        let pages = page.with_untracked(|p| p.pages);
                        query.update(|q| q.page = (q.page + 1).min(pages - 1))
                    }
                >
                    {move || state.t(Text::PageNext)}
                </button>
            </div>
        </section>
    }
}
