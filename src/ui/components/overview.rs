//! The data overview (数据概览): headline figures, net sales per month, how the file was read,
//! the rejected rows, and the customer table. What it shows comes from `present::overview`;
//! each part follows the language alone (the data set is fixed for the view's life).

use std::sync::Arc;

use leptos::prelude::*;

use super::chart::FigureView;
use super::customer_table::CustomerTable;
use super::metric::MetricCard;
use super::table::notices;
use super::user_text::UserText;
use crate::charts::ChartStyle;
use crate::display::CELL_CHARS;
use crate::engine::ingest::dialect::Quotes;
use crate::engine::ingest::ImportSettings;
use crate::i18n::{Lang, Text};
use crate::present::overview::{
    column_notices, headline, monthly_figure, reading_facts, rejected_csv, rejected_lines,
    rejected_title, runaway_notice,
};
use crate::ui::browser;
use crate::ui::controller::Controller;
use crate::ui::state::{AppState, LoadedData};

/// How the file was read: encoding, delimiter, header, decimal separator, date order.
fn reading_notes(data: &LoadedData, lang: Lang) -> impl IntoView {
    let facts = reading_facts(&data.outcome.report, data.outcome.table.columns, lang)
        .into_iter()
        .map(|f| view! { <div><dt>{f.label}</dt><dd data-fact=f.name>{f.value}</dd></div> })
        .collect_view();
    view! {
        <dl class="vl-facts" data-facts="import">{facts}</dl>
        {notices(column_notices(data.outcome.table.columns, lang))}
    }
}

/// The nested Parquet columns not read (issue 17), named here too: an import that needed no
/// mapping step shows them nowhere else. From the preview of the file, which the page keeps.
fn skipped_columns(lang: Lang) -> impl IntoView {
    let state = expect_context::<AppState>();
    let names = state.preview.with_untracked(|p| {
        p.as_ref()
            .and_then(|p| p.layout.as_ref())
            .map(|l| l.skipped_columns.clone())
            .unwrap_or_default()
    });
    (!names.is_empty()).then(|| {
        view! { <p class="vl-note" data-note="skipped-columns" data-value=names.join(",")>{crate::i18n::skipped_columns_text(&names, lang)}</p> }
    })
}

/// Quoted fields that ran over many lines (a quote left open): what happened to those lines,
/// and the offer to read the same file again with quotes as plain characters.
fn runaway_quotes(data: &LoadedData, lang: Lang) -> impl IntoView {
    let report = &data.outcome.report;
    let (text, lines) = runaway_notice(report, lang)?;
    let controller = expect_context::<Controller>();
    let settings = report.settings.clone();
    let reread = move |_| {
        controller.import(ImportSettings {
            quotes: Quotes::Literal,
            ..settings.clone()
        });
    };
    Some(view! {
        <section class="vl-panel vl-panel--warn" data-panel="runaway-quotes" role="alert">
            <p data-metric="runaway_quote_lines" data-value=lines.to_string()>{text}</p>
            <button class="vl-button" type="button" data-action="read-quotes-literally" on:click=reread>
                {Text::ReadQuotesLiterally.get(lang)}
            </button>
        </section>
    })
}

/// The rejected rows: the first 100 with line, column and reason, and a download of all.
fn rejected_rows(data: Arc<LoadedData>, lang: Lang) -> impl IntoView {
    let report = &data.outcome.report;
    if report.rows_rejected == 0 {
        return None;
    }
    let rows = rejected_lines(report, usize::MAX, lang)
        .into_iter()
        .map(|r| {
            view! {
                <tr title=r.sentence>
                    <td class="vl-table__num">{r.line}</td>
                    <td><UserText text=r.column max=CELL_CHARS /></td>
                    <td><code><UserText text=r.value max=CELL_CHARS /></code></td>
                    <td>{r.reason}</td>
                </tr>
            }
        })
        .collect_view();
    let title = rejected_title(report, lang);
    let download = move |_| {
        let csv = rejected_csv(&data.outcome, &data.file_name, lang);
        let _ = browser::download(
            &format!("{}.csv", csv.file),
            "text/csv;charset=utf-8",
            &csv.document(),
        );
    };
    Some(view! {
        <section class="vl-panel vl-panel--warn" data-panel="rejected">
            <div class="vl-panel__head">
                <h2 class="vl-panel__title">{title}</h2>
                <button class="vl-button vl-button--small" type="button" data-action="download-rejected" on:click=download>
                    {Text::DownloadRejected.get(lang)}
                </button>
            </div>
            <p class="vl-panel__hint">{Text::RejectedHint.get(lang)}</p>
            <div class="vl-table-wrap vl-table-wrap--short" tabindex="0" role="region" aria-label=Text::RejectedTitle.get(lang)>
                <table class="vl-table vl-table--compact">
                    <thead>
                        <tr>
                            <th scope="col">{Text::Line.get(lang)}</th>
                            <th scope="col">{Text::Column.get(lang)}</th>
                            <th scope="col">{Text::Value.get(lang)}</th>
                            <th scope="col">{Text::Reason.get(lang)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    })
}

/// The overview of `shown`: the loaded data set, or the head of a big import whose customers
/// are still being read into the page (`arriving`: no customer table yet, the section busy).
/// It stays mounted while `shown` changes (the head, then the whole result; another file): its
/// parts are rebuilt from the new data, and the monthly chart only when the months differ, so
/// the whole result's arrival draws no chart again.
#[component]
pub fn Overview(shown: Memo<Option<Arc<LoadedData>>>, arriving: Memo<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let monthly = Memo::new(move |_| {
        shown.with(|d| d.as_ref().map(|d| d.monthly().to_vec()).unwrap_or_default())
    });
    let chart =
        Memo::new(move |_| monthly.with(|m| monthly_figure(m, &ChartStyle::new(lang.get()))));
    let body = move || {
        let data = shown.get()?;
        let lang = lang.get();
        let figures = headline(&data.summary, lang)
            .into_iter()
            .map(|m| view! { <MetricCard metric=m /> })
            .collect_view();
        Some(view! {
            <div class="vl-figures">{figures}</div>
            {reading_notes(&data, lang)}
            {skipped_columns(lang)}
            {runaway_quotes(&data, lang)}
            {rejected_rows(data.clone(), lang)}
        })
    };
    let monthly_notes = move || {
        let data = shown.get()?;
        let summary_input = data.outcome.report.settings.summary.is_some();
        Some(view! {
            // Issue 17: a per-customer summary has no sales per month.
            {(summary_input && data.monthly().is_empty()).then(|| view! { <p class="vl-note" data-note="summary-limited">{move || state.t(Text::SumLimitedMonthly)}</p> })}
            // Issue 17: the summary's monthly table, read back.
            {summary_input.then(|| view! { <super::monthly::MonthlyPanel data=data.clone() /> })}
        })
    };
    let customers = move || {
        let data = shown.get()?;
        Some(if arriving.get() {
            let customers = data.summary.customers;
            view! { <p class="vl-note" data-note="customers-arriving" data-value=customers.to_string()>{move || crate::i18n::customers_arriving_text(customers, lang.get())}</p> }.into_any()
        } else {
            view! { <CustomerTable data=data /> }.into_any()
        })
    };
    view! {
        <section class="vl-overview" data-view-content="overview" aria-busy=move || arriving.get().then_some("true")>
            // Focus comes here when an import finishes (see `crate::a11y::focus_after`).
            <h2 class="vl-section-title" tabindex="-1" data-focus="results">{move || state.t(Text::OverviewTitle)}</h2>
            {body}
            <div class="vl-panel">
                {move || chart.get().map(|f| view! { <FigureView figure=f /> })}
                {monthly_notes}
            </div>
            {customers}
        </section>
    }
}
