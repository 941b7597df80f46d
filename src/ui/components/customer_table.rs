//! The per-customer table: search, sort by any column, one page at a time; its columns, cells,
//! pager line and CSV come from `present::customers`.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::user_text::UserText;
use crate::display::ID_CHARS;
use crate::engine::table::{query_subset, SortKey, TableQuery};
use crate::i18n::Text;
use crate::present::customers::{
    customers_csv, page_status, row_cells, table_columns, TableColumn,
};
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
    let columns = data.outcome.table.columns;
    // Every customer the search matches, in the table's order, as CSV (not just the page shown).
    let export = {
        let data = data.clone();
        let subset = subset.clone();
        let file = name.unwrap_or("customers");
        move |_| {
            let lang = state.lang.get_untracked();
            let all = query.with_untracked(|q| TableQuery {
                page: 0,
                page_size: usize::MAX,
                ..q.clone()
            });
            let table = &data.outcome.table;
            let rows = query_subset(
                &table.customers,
                subset.as_deref().map(|s| s.as_slice()),
                &all,
            )
            .rows;
            let csv = customers_csv(file, table, &rows, None, lang);
            let _ = crate::ui::browser::download(
                &format!("{}.csv", csv.file),
                "text/csv;charset=utf-8",
                &csv.document(),
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
    let header = move |TableColumn {
                           sort: key,
                           text,
                           numeric,
                       }: TableColumn| {
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
            let numeric: Vec<bool> = table_columns(columns).iter().map(|c| c.numeric).collect();
            page.with(|p| {
                p.rows
                    .iter()
                    .filter_map(|&i| customers.get(i))
                    .map(|c| {
                        let mut cells = row_cells(c, columns, lang).into_iter();
                        let id = cells.next().unwrap_or_default();
                        let rest = cells
                            .zip(numeric.iter().skip(1))
                            .map(|(cell, &n)| view! { <td class=if n { "vl-table__num" } else { "" }>{cell}</td> })
                            .collect_view();
                        view! { <tr><td><UserText text=id max=ID_CHARS /></td>{rest}</tr> }
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
                            {table_columns(columns).into_iter().map(header).collect_view()}
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
                        page.with(|p| page_status(p, lang))
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
