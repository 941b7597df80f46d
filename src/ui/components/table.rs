//! A table of the presentation layer ([`crate::present::Table`]): header cells with `scope`,
//! number columns right-aligned. The surrounding wrapper (scrolling region, caption) is the
//! caller's.

use leptos::prelude::*;

use crate::present::{Notice, Table};

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
