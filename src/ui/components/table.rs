//! A table of the presentation layer ([`crate::present::Table`]): header cells with `scope`,
//! number columns right-aligned. The surrounding wrapper (scrolling region, caption) is the
//! caller's.

use leptos::prelude::*;

use crate::present::{CellTable, Notice, Table};

/// The table's `<thead>` and `<tbody>` inside a `<table class=class>`.
#[component]
pub fn DataTable(
    /// The table, from `crate::present`.
    table: Table,
    /// CSS classes of the `<table>`.
    class: &'static str,
) -> impl IntoView {
    let num = |numeric: bool| if numeric { "vl-table__num" } else { "" };
    let head = table
        .header
        .iter()
        .enumerate()
        .map(|(i, h)| view! { <th scope="col" class=num(table.is_numeric(i))>{h.clone()}</th> })
        .collect_view();
    let body = table
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .iter()
                .enumerate()
                .map(|(i, c)| view! { <td class=num(table.is_numeric(i))>{c.clone()}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class=class>
            <thead><tr>{head}</tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
}

/// Notes, each a `<p class="vl-note" data-note=NAME>`.
pub fn notices(notes: Vec<Notice>) -> impl IntoView {
    notes
        .into_iter()
        .map(|n| view! { <p class="vl-note" data-note=n.name>{n.text}</p> })
        .collect_view()
}

/// A table of the presentation layer's cells: figures carry `data-metric` and `data-value`,
/// counts beside rates go on a second line, marked rows are dimmed.
#[component]
pub fn Cells(
    /// The table.
    table: CellTable,
    /// `data-table` name.
    name: &'static str,
    /// Accessible name of the scrolling region.
    label: String,
) -> impl IntoView {
    let head = table
        .header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let class = if i == 0 { "" } else { "vl-table__num" };
            view! { <th scope="col" class=class>{h.clone()}</th> }
        })
        .collect_view();
    let body = table
        .rows
        .into_iter()
        .zip(table.marked)
        .map(|(row, marked)| {
            let cells = row
                .into_iter()
                .enumerate()
                .map(|(i, cell)| {
                    let detail = cell
                        .detail
                        .map(|d| view! { <span class="vl-cell-detail">{d}</span> });
                    let value = match cell.data {
                        Some(data) => {
                            let raw = data.raw();
                            view! { <span data-metric=data.metric data-value=raw>{cell.display}</span> }.into_any()
                        }
                        None => view! { <span>{cell.display}</span> }.into_any(),
                    };
                    if i == 0 {
                        view! { <th scope="row">{value}{detail}</th> }.into_any()
                    } else {
                        view! { <td class="vl-table__num">{value}{detail}</td> }.into_any()
                    }
                })
                .collect_view();
            let class = if marked { "vl-row--marked" } else { "" };
            view! { <tr class=class>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="vl-table-wrap" tabindex="0" role="region" aria-label=label data-table=name>
            <table class="vl-table vl-table--compact">
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
