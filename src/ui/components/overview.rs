//! The data overview (数据概览): headline figures, net sales per month, how the file was read,
//! the rejected rows, and the customer table.

use std::sync::Arc;

use leptos::prelude::*;

use super::chart::SvgChart;
use super::customer_table::CustomerTable;
use super::metric::Metric;
use super::user_text::UserText;
use crate::a11y::{describe, fill, ChartTable};
use crate::charts::monthly::render_monthly_sales_svg;
use crate::charts::ChartStyle;
use crate::display::{shown_row_error, CELL_CHARS};
use crate::engine::export::rejected_rows_csv;
use crate::engine::ingest::dialect::Quotes;
use crate::engine::ingest::values::DecimalSeparator;
use crate::engine::ingest::ImportSettings;
use crate::i18n::{
    error_text, format_money, format_month, format_number, format_percent, row_error_text,
    row_problem_text, runaway_quotes_text, Lang, Text,
};
use crate::ui::browser;
use crate::ui::controller::Controller;
use crate::ui::state::{AppState, LoadedData};

fn delimiter_name(data: &LoadedData, lang: Lang) -> &'static str {
    use crate::engine::ingest::dialect::Delimiter;
    let text = match data.outcome.report.settings.delimiter {
        Delimiter::Comma => Text::Comma,
        Delimiter::Semicolon => Text::Semicolon,
        Delimiter::Tab => Text::Tab,
        Delimiter::Pipe => Text::Pipe,
        Delimiter::Whitespace => Text::Whitespace,
    };
    text.get(lang)
}

/// The headline figure cards.
#[component]
fn Figures(data: Arc<LoadedData>, lang: Lang) -> impl IntoView {
    let s = &data.summary;
    let profit = s.total_profit.map(|profit| {
        view! {
            <Metric name="total_profit" label=Text::TotalProfit.get(lang) value=profit display=format_money(profit) />
            <Metric
                name="margin"
                label=Text::Margin.get(lang)
                value=s.margin().unwrap_or(f64::NAN)
                display=s.margin().map(|m| format_percent(m, 1)).unwrap_or_else(|| "–".into())
            />
        }
    });
    view! {
        <div class="vl-figures">
            <Metric name="customers" label=Text::Customers.get(lang) value=s.customers as f64 display=format_number(s.customers as f64, 0) />
            <Metric name="orders" label=Text::Orders.get(lang) value=s.orders as f64 display=format_number(s.orders as f64, 0) />
            <Metric name="total_sales" label=Text::TotalSales.get(lang) value=s.total_sales display=format_money(s.total_sales) />
            {profit}
            <Metric
                name="average_order_value"
                label=Text::AverageOrderValue.get(lang)
                value=s.average_order_value()
                display=format_money(s.average_order_value())
            />
            <Metric
                name="repeat_rate"
                label=Text::RepeatRate.get(lang)
                value=s.repeat_rate()
                display=format_percent(s.repeat_rate(), 1)
            />
            <Metric
                name="return_rows"
                label=Text::ReturnRows.get(lang)
                value=s.return_rows as f64
                display=format_number(s.return_rows as f64, 0)
            />
        </div>
    }
}

/// How the file was read: encoding, delimiter, header, decimal separator, date order.
#[component]
fn ReadingNotes(data: Arc<LoadedData>, lang: Lang) -> impl IntoView {
    let settings = &data.outcome.report.settings;
    let columns = data.outcome.table.columns;
    let decimal = match settings.decimal {
        DecimalSeparator::Point => Text::PointDecimal,
        DecimalSeparator::Comma => Text::CommaDecimal,
    };
    let date_order = match settings.date_order {
        crate::engine::ingest::values::DateOrder::DayFirst => Text::DayFirst,
        crate::engine::ingest::values::DateOrder::MonthFirst => Text::MonthFirst,
    };
    let yes_no = |b: bool| {
        if b {
            Text::Yes.get(lang)
        } else {
            Text::No.get(lang)
        }
    };
    view! {
        <dl class="vl-facts" data-facts="import">
            <div><dt>{Text::Encoding.get(lang)}</dt><dd data-fact="encoding">{settings.encoding.clone()}</dd></div>
            <div><dt>{Text::Delimiter.get(lang)}</dt><dd data-fact="delimiter">{delimiter_name(&data, lang)}</dd></div>
            <div><dt>{Text::HeaderRow.get(lang)}</dt><dd>{yes_no(settings.has_header)}</dd></div>
            <div><dt>{Text::DecimalSeparator.get(lang)}</dt><dd>{decimal.get(lang)}</dd></div>
            {columns.date.then(|| view! { <div><dt>{Text::DateOrder.get(lang)}</dt><dd>{date_order.get(lang)}</dd></div> })}
        </dl>
        {(!columns.profit).then(|| view! { <p class="vl-note" data-note="no-profit">{Text::NoProfitColumn.get(lang)}</p> })}
        {(!columns.date).then(|| view! { <p class="vl-note" data-note="no-date">{Text::NoDateColumn.get(lang)}</p> })}
    }
}

/// Quoted fields that ran over many lines (a quote left open): what happened to those lines,
/// and the offer to read the same file again with quotes as plain characters.
#[component]
fn RunawayQuotes(data: Arc<LoadedData>, lang: Lang) -> impl IntoView {
    let report = &data.outcome.report;
    let runaways = report.runaway_quotes;
    let Some(first_line) = runaways.first_line.filter(|_| runaways.count > 0) else {
        return ().into_any();
    };
    let controller = expect_context::<Controller>();
    let settings = report.settings.clone();
    let reread = move |_| {
        controller.import(ImportSettings {
            quotes: Quotes::Literal,
            ..settings.clone()
        });
    };
    view! {
        <section class="vl-panel vl-panel--warn" data-panel="runaway-quotes" role="alert">
            <p data-metric="runaway_quote_lines" data-value=runaways.lines.to_string()>
                {runaway_quotes_text(runaways.count, first_line, runaways.lines, lang)}
            </p>
            <button class="vl-button" type="button" data-action="read-quotes-literally" on:click=reread>
                {Text::ReadQuotesLiterally.get(lang)}
            </button>
        </section>
    }
    .into_any()
}

/// The rejected rows: the first 100 with line, column and reason, and a download of all.
#[component]
fn RejectedRows(data: Arc<LoadedData>, lang: Lang) -> impl IntoView {
    let report = &data.outcome.report;
    if report.rows_rejected == 0 {
        return ().into_any();
    }
    let download = {
        let data = data.clone();
        move |_| {
            let labels = [
                Text::Line.get(lang),
                Text::Column.get(lang),
                Text::Reason.get(lang),
            ];
            let describe =
                |e: &crate::engine::RowError| row_problem_text(e.problem, lang).to_string();
            let csv = rejected_rows_csv(
                &data.outcome.rejected,
                &data.outcome.report.settings.headers,
                labels,
                &describe,
            );
            let stem = data
                .file_name
                .rsplit_once('.')
                .map(|(s, _)| s)
                .unwrap_or(&data.file_name)
                .to_string();
            let _ = browser::download(
                &format!("{stem}-rejected.csv"),
                "text/csv;charset=utf-8",
                &csv,
            );
        }
    };
    let rows = report
        .first_errors
        .iter()
        .map(|e| {
            view! {
                <tr title=row_error_text(&shown_row_error(e), lang)>
                    <td class="vl-table__num">{e.line.to_string()}</td>
                    <td><UserText text=e.column.clone() max=CELL_CHARS /></td>
                    <td><code><UserText text=e.value.clone() max=CELL_CHARS /></code></td>
                    <td>{row_problem_text(e.problem, lang)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="vl-panel vl-panel--warn" data-panel="rejected">
            <div class="vl-panel__head">
                <h2 class="vl-panel__title">{format!("{} ({})", Text::RejectedTitle.get(lang), format_number(report.rows_rejected as f64, 0))}</h2>
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
    }
    .into_any()
}

/// The monthly chart in words: what it shows, how many months, and the best one.
fn monthly_desc(monthly: &[crate::engine::monthly::MonthlySales], lang: Lang) -> String {
    let best = monthly
        .iter()
        .max_by(|a, b| a.sales.total_cmp(&b.sales))
        .map(|m| {
            fill(
                Text::FindingMonthly.get(lang),
                &[
                    format_number(monthly.len() as f64, 0),
                    format_month(m.month, lang),
                    format_money(m.sales),
                ],
            )
        });
    describe(Text::DescMonthlySales.get(lang), best)
}

/// The overview of the loaded data set.
#[component]
pub fn Overview(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let chart = {
        let data = data.clone();
        move || {
            let lang = state.lang.get();
            let table = data.monthly.iter().fold(
                ChartTable::new([Text::Month.get(lang), Text::Sales.get(lang)]),
                |t, m| t.row([format_month(m.month, lang), format_money(m.sales)]),
            );
            match render_monthly_sales_svg(&data.monthly, &ChartStyle::new(lang)) {
                Ok(svg) => view! {
                    <SvgChart svg=svg label=Text::MonthlySalesTitle.get(lang).to_string() desc=monthly_desc(&data.monthly, lang) table=table name="monthly-sales" />
                }
                .into_any(),
                Err(crate::engine::Error::NoData) => ().into_any(),
                Err(error) => view! { <p class="vl-note">{error_text(&error, lang)}</p> }.into_any(),
            }
        }
    };
    let body = {
        let data = data.clone();
        move || {
            let lang = state.lang.get();
            view! {
                <Figures data=data.clone() lang=lang />
                <ReadingNotes data=data.clone() lang=lang />
                <RunawayQuotes data=data.clone() lang=lang />
                <RejectedRows data=data.clone() lang=lang />
            }
        }
    };
    view! {
        <section class="vl-overview" data-view-content="overview">
            // Focus comes here when an import finishes (see `crate::a11y::focus_after`).
            <h2 class="vl-section-title" tabindex="-1" data-focus="results">{move || state.t(Text::OverviewTitle)}</h2>
            {body}
            <div class="vl-panel">{chart}</div>
            <CustomerTable data=data.clone() />
        </section>
    }
}
