//! The printable report (分析报告): cover, executive summary, the analysis sections with their
//! charts and tables, and the method notes. Print it (A4, page breaks between sections, no UI
//! chrome) or save it as one self-contained HTML file.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::chart::PrintedFigure;
use super::user_text::UserText;
use crate::a11y::svg_with_text_alternative;
use crate::charts::deciles::{render_decile_shares_svg, render_lorenz_svg, DecileShares};
use crate::charts::monthly::render_monthly_sales_svg;
use crate::charts::ChartStyle;
use crate::display::{shown_row_error, FILE_NAME_CHARS, ITEM_CHARS, SEGMENT_CHARS};
use crate::engine::deciles::{GroupKind, GroupStatus};
use crate::engine::rfm::RfmAnalysis;
use crate::engine::swot::{PositionBasis, Quadrant, Workbench};
use crate::i18n::{
    decile_label, format_date, format_money, format_number, format_percent, group_text,
    quadrant_text, row_error_text, slice_label, Lang, Text,
};
use crate::present::report::{executive_summary, method_notes, ReportInputs};
use crate::present::rfm::{heatmap, segment_bars, segment_rows, tier_rows, Listing};
use crate::present::swot::{
    comparison_figure, comparison_lines, position_figure, position_text, report_quadrants, Boards,
};
use crate::ui::browser;
use crate::ui::state::{Analyses, AppState, Cover, LoadedData};

fn share(value: Option<f64>) -> String {
    value
        .map(|v| format_percent(v, 1))
        .unwrap_or_else(|| "–".into())
}

/// A report chart with its text alternative (`role="img"`, `<title>`, `<desc>`); the figures sit
/// in the report's tables next to it.
fn figure(
    svg: Result<String, crate::engine::Error>,
    name: &'static str,
    lang: Lang,
) -> impl IntoView {
    let (title, desc) = match name {
        "report-decile-shares" => (Text::DecileChartTitle, Text::DescDecileShares),
        "report-lorenz" => (Text::LorenzTitle, Text::DescLorenz),
        "report-monthly" => (Text::MonthlySalesTitle, Text::DescMonthlySales),
        "report-segment-bars" => (Text::SegmentSummaryTitle, Text::DescSegmentBars),
        "report-rf-heatmap" => (Text::RfmTitle, Text::DescRfHeatmap),
        "report-swot-comparison" => (Text::ComparisonTitle, Text::DescSwotComparison),
        _ => (Text::PositionTitle, Text::DescSwotPosition),
    };
    svg.ok().map(|svg| {
        let svg = svg_with_text_alternative(&svg, name, title.get(lang), desc.get(lang));
        view! { <figure class="vl-report__figure" data-chart=name inner_html=svg></figure> }
    })
}

/// The cover fields and the print / save buttons (screen only).
#[component]
fn Toolbar(file_stem: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let field = move |label: Text,
                      name: &'static str,
                      kind: &'static str,
                      get: fn(&Cover) -> String,
                      set: fn(&mut Cover, String)| {
        view! {
            <label class="vl-field">
                <span class="vl-field__label">{move || state.t(label)}</span>
                <input
                    class="vl-select"
                    type=kind
                    data-cover=name
                    prop:value=move || state.cover.with(get)
                    on:input=move |event: ev::Event| {
                        let value = event_target::<HtmlInputElement>(&event).value();
                        state.cover.update(|c| set(c, value));
                    }
                />
            </label>
        }
    };
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let save_html = move |_| {
        let lang = state.lang.get_untracked();
        if let Some(html) =
            browser::self_contained_html("vl-report", Text::ReportTitle.get(lang), lang.tag())
        {
            let _ = browser::download(
                &format!("{file_stem}-report.html"),
                "text/html;charset=utf-8",
                &html,
            );
        }
    };
    view! {
        <div class="vl-panel vl-report__toolbar vl-screen-only">
            <div class="vl-report__fields">
                {field(Text::ReportCoverTitle, "title", "text", |c| c.title.clone(), |c, v| c.title = v)}
                {field(Text::ReportClient, "client", "text", |c| c.client.clone(), |c, v| c.client = v)}
                {field(Text::ReportAnalyst, "analyst", "text", |c| c.analyst.clone(), |c, v| c.analyst = v)}
                {field(Text::ReportDate, "date", "date", |c| c.date.clone(), |c, v| c.date = v)}
            </div>
            <div class="vl-report__actions">
                <button class="vl-button vl-button--primary" type="button" data-action="print-report" on:click=print>{move || state.t(Text::PrintReport)}</button>
                <button class="vl-button" type="button" data-action="save-report-html" on:click=save_html>{move || state.t(Text::SaveReportHtml)}</button>
            </div>
        </div>
    }
}

fn today_iso() -> String {
    let date = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}

fn cover_date(cover: &Cover, lang: Lang) -> String {
    let text = if cover.date.is_empty() {
        today_iso()
    } else {
        cover.date.clone()
    };
    crate::engine::ingest::values::parse_iso_day(&text)
        .map(|day| format_date(day, lang))
        .unwrap_or(text)
}

/// The report of a loaded data set.
#[component]
pub fn ReportView(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let stem = data
        .file_name
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(&data.file_name)
        .to_string();
    let analyses = expect_context::<Analyses>();
    let paper = move || {
        let lang = state.lang.get();
        let cover = state.cover.get();
        let deciles = analyses.deciles.get().and_then(Result::ok);
        let rfm = analyses.rfm.get().and_then(Result::ok);
        let swot = state.swot.get();
        let has_swot = !swot.us.is_empty();
        let inputs = ReportInputs {
            file_name: &data.file_name,
            summary: &data.summary,
            import: &data.outcome.report,
            deciles: deciles.as_deref(),
            rfm: rfm.as_deref(),
            swot: has_swot.then_some(&swot),
        };
        let sentences = executive_summary(&inputs, lang);
        let notes = method_notes(&inputs, lang);
        let style = ChartStyle {
            lang,
            width: 680,
            height: 300,
        };
        let s = &data.summary;
        let title = if cover.title.trim().is_empty() {
            Text::ReportTitle.get(lang).to_string()
        } else {
            cover.title.clone()
        };
        let key_figures = vec![
            (Text::Customers, format_number(s.customers as f64, 0)),
            (Text::Orders, format_number(s.orders as f64, 0)),
            (Text::TotalSales, format_money(s.total_sales)),
            (
                Text::TotalProfit,
                s.total_profit
                    .map(format_money)
                    .unwrap_or_else(|| "–".into()),
            ),
            (Text::Margin, share(s.margin())),
            (
                Text::AverageOrderValue,
                format_money(s.average_order_value()),
            ),
            (Text::RepeatRate, format_percent(s.repeat_rate(), 1)),
            (Text::RowsRead, format_number(s.rows_read as f64, 0)),
            (Text::RowsRejected, format_number(s.rows_rejected as f64, 0)),
        ];
        let deciles_section = deciles.as_ref().map(|d| {
            let has_profit = data.outcome.table.columns.profit;
            let shares = DecileShares {
                sales: d.by_sales.iter().map(|x| x.sales_share.unwrap_or(0.0)).collect(),
                profit: has_profit.then(|| d.by_sales.iter().map(|x| x.profit_share.unwrap_or(0.0)).collect()),
                cumulative_sales: d.by_sales.iter().map(|x| x.cumulative_sales_share.unwrap_or(0.0)).collect(),
            };
            let points: Vec<(f64, f64)> = d.lorenz_sales.points.iter().map(|p| (p.customer_share, p.value_share)).collect();
            let lorenz = d
                .lorenz_sales
                .gini
                .map(|g| render_lorenz_svg(&points, g, d.lorenz_sales.pareto80_customer_share, &ChartStyle { lang, width: 560, height: 360 }));
            let rows = d
                .by_sales
                .iter()
                .map(|x| {
                    view! {
                        <tr>
                            <td>{decile_label(x.index, lang)}</td>
                            <td class="vl-table__num">{format_number(x.customers as f64, 0)}</td>
                            <td class="vl-table__num">{format_money(x.sales)}</td>
                            <td class="vl-table__num">{share(x.sales_share)}</td>
                            <td class="vl-table__num">{share(x.cumulative_sales_share)}</td>
                            <td class="vl-table__num">{share(x.profit_share)}</td>
                            <td class="vl-table__num">{share(x.margin)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let slices = d
                .value_by_sales
                .iter()
                .map(|v| {
                    view! {
                        <tr>
                            <td>{slice_label(v.index)}</td>
                            <td class="vl-table__num">{format_number(v.customers as f64, 0)}</td>
                            <td class="vl-table__num">{format_number(v.cumulative_customers as f64, 0)}</td>
                            <td class="vl-table__num">{format_percent(v.cumulative_customer_share, 1)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let groups = GroupKind::ALL
                .into_iter()
                .map(|kind| {
                    let name = group_text(kind);
                    let computed = d.groups.status_of(kind) == GroupStatus::Computed;
                    let members = d.groups.members(kind);
                    let share_of_sales = crate::engine::table::sales_share_of(&data.outcome.table.customers, members);
                    view! {
                        <tr>
                            <td>{name.get(lang)}</td>
                            <td class="vl-table__num">{if computed { format_number(members.len() as f64, 0) } else { "–".into() }}</td>
                            <td class="vl-table__num">{if computed { share(share_of_sales) } else { "–".into() }}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="vl-report__section" data-report-section="deciles">
                    <h2>{Text::DecilesTitle.get(lang)}</h2>
                    <p class="vl-report__lead">{Text::DecilesIntro.get(lang)}</p>
                    {figure(render_decile_shares_svg(&shares, Text::DecileChartTitle.get(lang), &style), "report-decile-shares", lang)}
                    <table class="vl-table vl-report__table">
                        <thead><tr>
                            <th>{Text::DecileColumn.get(lang)}</th>
                            <th class="vl-table__num">{Text::Customers.get(lang)}</th>
                            <th class="vl-table__num">{Text::Sales.get(lang)}</th>
                            <th class="vl-table__num">{Text::SalesShare.get(lang)}</th>
                            <th class="vl-table__num">{Text::CumulativeShare.get(lang)}</th>
                            <th class="vl-table__num">{Text::ProfitShare.get(lang)}</th>
                            <th class="vl-table__num">{Text::Margin.get(lang)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    {lorenz.map(|svg| figure(svg, "report-lorenz", lang))}
                    <h3>{Text::ValueDecilesTitle.get(lang)}</h3>
                    <table class="vl-table vl-report__table">
                        <thead><tr>
                            <th>{Text::Slice.get(lang)}</th>
                            <th class="vl-table__num">{Text::Customers.get(lang)}</th>
                            <th class="vl-table__num">{Text::CumulativeCustomers.get(lang)}</th>
                            <th class="vl-table__num">{Text::CustomerShare.get(lang)}</th>
                        </tr></thead>
                        <tbody>{slices}</tbody>
                    </table>
                    <h3>{Text::GroupsTitle.get(lang)}</h3>
                    <table class="vl-table vl-report__table">
                        <thead><tr>
                            <th>{Text::GroupsTitle.get(lang)}</th>
                            <th class="vl-table__num">{Text::Customers.get(lang)}</th>
                            <th class="vl-table__num">{Text::SalesShare.get(lang)}</th>
                        </tr></thead>
                        <tbody>{groups}</tbody>
                    </table>
                </section>
            }
        });
        let rfm_section = rfm.as_ref().map(|a| rfm_section(a, lang));
        let swot_section = has_swot.then(|| swot_section(&swot, lang));
        let rejected = data
            .outcome
            .report
            .first_errors
            .iter()
            .take(20)
            .map(|e| view! { <li>{row_error_text(&shown_row_error(e), lang)}</li> })
            .collect_view();
        view! {
            <article class="vl-report__paper" id="vl-report" lang=lang.tag()>
                <header class="vl-report__cover" data-report-section="cover">
                    <p class="vl-report__brand">{Text::AppName.get(lang)}" · ValueLens"</p>
                    <h1 class="vl-report__title" data-report-title="">{title}</h1>
                    <dl class="vl-report__cover-facts">
                        <div><dt>{Text::ReportClient.get(lang)}</dt><dd data-report-client=""><UserText text=if cover.client.is_empty() { "–".to_string() } else { cover.client.clone() } max=ITEM_CHARS /></dd></div>
                        <div><dt>{Text::ReportAnalyst.get(lang)}</dt><dd><UserText text=if cover.analyst.is_empty() { "–".to_string() } else { cover.analyst.clone() } max=ITEM_CHARS /></dd></div>
                        <div><dt>{Text::ReportDate.get(lang)}</dt><dd>{cover_date(&cover, lang)}</dd></div>
                        <div><dt>{Text::File.get(lang)}</dt><dd data-report-file=""><UserText text=data.file_name.clone() max=FILE_NAME_CHARS /></dd></div>
                    </dl>
                    <p class="vl-report__privacy">{Text::PrivacyFooter.get(lang)}</p>
                </header>
                <section class="vl-report__section" data-report-section="summary">
                    <h2>{Text::ExecutiveSummary.get(lang)}</h2>
                    <ul class="vl-report__sentences">{sentences.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                    <table class="vl-table vl-report__table vl-report__keyfigures">
                        <tbody>{key_figures.into_iter().map(|(label, value)| view! { <tr><th>{label.get(lang)}</th><td class="vl-table__num">{value}</td></tr> }).collect_view()}</tbody>
                    </table>
                    {figure(render_monthly_sales_svg(&data.monthly, &style), "report-monthly", lang)}
                </section>
                {deciles_section}
                {rfm_section}
                {swot_section}
                <section class="vl-report__section" data-report-section="methods">
                    <h2>{Text::MethodNotes.get(lang)}</h2>
                    <table class="vl-table vl-report__table vl-report__notes">
                        <tbody>{notes.into_iter().map(|n| view! { <tr><th>{n.label}</th><td>{n.value}</td></tr> }).collect_view()}</tbody>
                    </table>
                    {(data.outcome.report.rows_rejected > 0).then(|| view! {
                        <h3>{Text::RejectedTitle.get(lang)}</h3>
                        <ul class="vl-report__rejected">{rejected}</ul>
                    })}
                </section>
            </article>
        }
    };
    view! {
        <section class="vl-report" data-view-content="report">
            <Toolbar file_stem=stem />
            {paper}
        </section>
    }
}

fn rfm_section(a: &RfmAnalysis, lang: Lang) -> impl IntoView {
    let rows = segment_rows(a, Listing::Populated, lang)
        .into_iter()
        .map(|row| {
            view! {
                <tr>
                    <td><UserText text=row.name max=SEGMENT_CHARS /></td>
                    <td class="vl-table__num">{row.count.display}</td>
                    <td class="vl-table__num">{row.customer_share}</td>
                    <td class="vl-table__num">{row.revenue_share}</td>
                    <td><UserText text=row.action max=ITEM_CHARS /></td>
                </tr>
            }
        })
        .collect_view();
    let tiers = tier_rows(a, lang)
        .into_iter()
        .map(|t| {
            view! {
                <tr>
                    <td>{t.label}</td>
                    <td class="vl-table__num">{t.customers}</td>
                    <td class="vl-table__num">{t.customer_share}</td>
                    <td class="vl-table__num">{t.revenue_share}</td>
                </tr>
            }
        })
        .collect_view();
    let bars = segment_bars(
        a,
        "report-segment-bars",
        &ChartStyle {
            lang,
            width: 680,
            height: 300,
        },
    );
    let heat = heatmap(
        a,
        "report-rf-heatmap",
        &ChartStyle {
            lang,
            width: 560,
            height: 380,
        },
    );
    view! {
        <section class="vl-report__section" data-report-section="rfm">
            <h2>{Text::RfmTitle.get(lang)}</h2>
            <p class="vl-report__lead">{Text::RfmIntro.get(lang)}</p>
            <table class="vl-table vl-report__table">
                <thead><tr>
                    <th>{Text::Segment.get(lang)}</th>
                    <th class="vl-table__num">{Text::Customers.get(lang)}</th>
                    <th class="vl-table__num">{Text::CustomerShare.get(lang)}</th>
                    <th class="vl-table__num">{Text::RevenueShare.get(lang)}</th>
                    <th>{Text::SuggestedAction.get(lang)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <PrintedFigure figure=bars />
            <PrintedFigure figure=heat />
            <h3>{Text::ValueTiers.get(lang)}</h3>
            <table class="vl-table vl-report__table">
                <thead><tr>
                    <th>{Text::ValueTiers.get(lang)}</th>
                    <th class="vl-table__num">{Text::Customers.get(lang)}</th>
                    <th class="vl-table__num">{Text::CustomerShare.get(lang)}</th>
                    <th class="vl-table__num">{Text::RevenueShare.get(lang)}</th>
                </tr></thead>
                <tbody>{tiers}</tbody>
            </table>
        </section>
    }
}

fn swot_section(w: &Workbench, lang: Lang) -> impl IntoView {
    let table = comparison_lines(w, Boards::Scored, lang)
        .into_iter()
        .map(|line| {
            let cells = line
                .cells
                .into_iter()
                .map(|cell| {
                    let mark = if cell.stronger { " ▲" } else { "" };
                    view! { <td class="vl-table__num">{cell.total.display}{mark}</td> }
                })
                .collect_view();
            view! { <tr><th><UserText text=line.name max=ITEM_CHARS /></th>{cells}</tr> }
        })
        .collect_view();
    let quadrants = report_quadrants(w, lang)
        .into_iter()
        .map(|q| {
            let items = q
                .items
                .into_iter()
                .map(|(text, score)| view! { <li><UserText text=text max=ITEM_CHARS />" — "{score}</li> })
                .collect_view();
            view! {
                <div class="vl-report__quadrant">
                    <h3>{q.heading}</h3>
                    <ol>{items}</ol>
                </div>
            }
        })
        .collect_view();
    let comparison = comparison_figure(
        w,
        "report-swot-comparison",
        &ChartStyle {
            lang,
            width: 680,
            height: 300,
        },
    );
    let position = position_figure(
        w,
        PositionBasis::Totals,
        "report-swot-position",
        &ChartStyle {
            lang,
            width: 460,
            height: 400,
        },
    );
    let ours = position_text(w, PositionBasis::Totals, lang);
    view! {
        <section class="vl-report__section" data-report-section="swot">
            <h2>{Text::SwotTitle.get(lang)}</h2>
            <div class="vl-report__quadrants">{quadrants}</div>
            <h3>{Text::ComparisonTitle.get(lang)}</h3>
            <table class="vl-table vl-report__table">
                <thead><tr>
                    <th>{Text::BoardName.get(lang)}</th>
                    {Quadrant::ALL.into_iter().map(|q| view! { <th class="vl-table__num">{quadrant_text(q).get(lang)}</th> }).collect_view()}
                </tr></thead>
                <tbody>{table}</tbody>
            </table>
            <p class="vl-report__lead">{Text::StrongerNote.get(lang)}" ▲"</p>
            {comparison.map(|figure| view! { <PrintedFigure figure=figure /> })}
            {position.map(|figure| view! { <PrintedFigure figure=figure /> })}
            {ours.map(|p| view! { <p><strong>{Text::PositionTitle.get(lang)}": "</strong>{p.line}</p> })}
        </section>
    }
}
