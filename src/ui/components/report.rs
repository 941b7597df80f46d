//! The printable report (分析报告): cover, executive summary, the analysis sections with their
//! charts and tables, and the method notes. Print it (A4, page breaks between sections, no UI
//! chrome) or save it as one self-contained HTML file.
//!
//! The words, figures and charts come from `crate::present` (the same functions as the views').
//! Derived state is kept at the grain of what changes: each cover field, the summary, the notes
//! and every chart has its own memo or closure, so typing on the cover redraws no chart.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::table::DataTable;
use super::user_text::UserText;
use crate::a11y::svg_with_text_alternative;
use crate::charts::rfm::{render_rf_heatmap_svg, render_segment_bars_svg, GridCell, SegmentBar};
use crate::charts::swot::{
    render_swot_comparison_svg, render_swot_position_svg, BoardTotals as ChartTotals, PositionPoint,
};
use crate::charts::ChartStyle;
use crate::display::{FILE_NAME_CHARS, ITEM_CHARS};
use crate::engine::deciles::{DecileAnalysis, DecileBasis};
use crate::engine::rfm::RfmAnalysis;
use crate::engine::swot::{
    board_totals, comparison, position, PositionBasis, Quadrant, Standing, Workbench,
};
use crate::i18n::{
    board_name, format_number, format_percent, quadrant_text, tier_text, Lang, Text,
};
use crate::present::deciles::{
    chosen, decile_table, group_facts, groups_table, lorenz_figure, shares_figure, value_table,
    DecileColumn,
};
use crate::present::overview::{file_stem, key_figures, monthly_figure, rejected_lines};
use crate::present::report::{
    cover_date, cover_title, executive_summary, method_notes, ReportInputs,
};
use crate::present::Figure;
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

/// Memo comparison of shared results: a new `Arc` is a new value.
fn arc_changed<T>(old: Option<&Option<Arc<T>>>, new: Option<&Option<Arc<T>>>) -> bool {
    match (old, new) {
        (Some(Some(a)), Some(Some(b))) => !Arc::ptr_eq(a, b),
        (Some(None), Some(None)) => false,
        _ => true,
    }
}

/// A chart of the presentation layer on paper, under the report's own name: the SVG with its
/// text alternative (`role="img"`, `<title>`, `<desc>`); its figures sit in the report's
/// tables. Nothing when it could not be drawn.
fn paper_figure(figure: Figure, name: &'static str) -> impl IntoView {
    let Figure {
        title, desc, svg, ..
    } = figure;
    svg.ok().map(|svg| {
        let svg = svg_with_text_alternative(&svg, name, &title, &desc);
        view! { <figure class="vl-report__figure" data-chart=name inner_html=svg></figure> }
    })
}

/// What the report's text is made from (the SWOT boards only when ours has items).
fn inputs<'a>(
    data: &'a LoadedData,
    deciles: Option<&'a DecileAnalysis>,
    rfm: Option<&'a RfmAnalysis>,
    swot: &'a Workbench,
) -> ReportInputs<'a> {
    ReportInputs {
        file_name: &data.file_name,
        summary: &data.summary,
        import: &data.outcome.report,
        deciles,
        rfm,
        swot: (!swot.us.is_empty()).then_some(swot),
    }
}

/// A cover field as shown: the text typed, or "–".
fn cover_text(cover: RwSignal<Cover>, get: fn(&Cover) -> &String) -> Memo<String> {
    Memo::new(move |_| {
        cover.with(|c| {
            let text = get(c);
            if text.is_empty() {
                "–".to_string()
            } else {
                text.clone()
            }
        })
    })
}

/// The report of a loaded data set.
#[component]
pub fn ReportView(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let stem = file_stem(&data.file_name).to_string();
    let analyses = expect_context::<Analyses>();
    let deciles: Memo<Option<Arc<DecileAnalysis>>> = Memo::new_with_compare(
        move |_| analyses.deciles.get().and_then(Result::ok),
        arc_changed,
    );
    let rfm: Memo<Option<Arc<RfmAnalysis>>> = Memo::new_with_compare(
        move |_| analyses.rfm.get().and_then(Result::ok),
        arc_changed,
    );
    // The report's text follows the analyses and the language, not the cover.
    let sentences = {
        let data = data.clone();
        Memo::new(move |_| {
            let (lang, d, r) = (lang.get(), deciles.get(), rfm.get());
            state
                .swot
                .with(|w| executive_summary(&inputs(&data, d.as_deref(), r.as_deref(), w), lang))
        })
    };
    let notes = {
        let data = data.clone();
        Memo::new(move |_| {
            let (lang, d, r) = (lang.get(), deciles.get(), rfm.get());
            state
                .swot
                .with(|w| method_notes(&inputs(&data, d.as_deref(), r.as_deref(), w), lang))
        })
    };

    // The cover: each field follows its own text only.
    let cover = state.cover;
    let title = Memo::new(move |_| cover.with(|c| cover_title(&c.title, lang.get())));
    let client = cover_text(cover, |c| &c.client);
    let analyst = cover_text(cover, |c| &c.analyst);
    let date = Memo::new(move |_| cover.with(|c| cover_date(&c.date, &today_iso(), lang.get())));

    let style = move |width, height| ChartStyle {
        lang: lang.get(),
        width,
        height,
    };
    let monthly = {
        let data = data.clone();
        Memo::new(move |_| monthly_figure(&data.monthly, &style(680, 300)))
    };
    let key = {
        let data = data.clone();
        move || {
            key_figures(&data.summary, lang.get())
                .into_iter()
                .map(|m| view! { <tr><th>{m.label}</th><td class="vl-table__num">{m.display}</td></tr> })
                .collect_view()
        }
    };
    let has_deciles = Memo::new(move |_| deciles.with(Option::is_some));
    let deciles_section = {
        let data = data.clone();
        move || {
            has_deciles
                .get()
                .then(|| decile_section(data.clone(), deciles))
        }
    };
    let rfm_part = move || {
        let lang = lang.get();
        rfm.get().map(|a| rfm_section(&a, lang))
    };
    let swot_part = move || {
        let lang = lang.get();
        state
            .swot
            .with(|w| (!w.us.is_empty()).then(|| swot_section(w, lang)))
    };
    let rejected = {
        let data = data.clone();
        move || {
            let lang = lang.get();
            (data.outcome.report.rows_rejected > 0).then(|| {
                let lines = rejected_lines(&data.outcome.report, 20, lang)
                    .into_iter()
                    .map(|l| view! { <li>{l.sentence}</li> })
                    .collect_view();
                view! {
                    <h3>{Text::RejectedTitle.get(lang)}</h3>
                    <ul class="vl-report__rejected">{lines}</ul>
                }
            })
        }
    };
    let t = move |text: Text| move || state.t(text);
    let paper = view! {
        <article class="vl-report__paper" id="vl-report" lang=move || lang.get().tag()>
            <header class="vl-report__cover" data-report-section="cover">
                <p class="vl-report__brand">{t(Text::AppName)}" · ValueLens"</p>
                <h1 class="vl-report__title" data-report-title="">{move || title.get()}</h1>
                <dl class="vl-report__cover-facts">
                    <div><dt>{t(Text::ReportClient)}</dt><dd data-report-client="">{move || view! { <UserText text=client.get() max=ITEM_CHARS /> }}</dd></div>
                    <div><dt>{t(Text::ReportAnalyst)}</dt><dd>{move || view! { <UserText text=analyst.get() max=ITEM_CHARS /> }}</dd></div>
                    <div><dt>{t(Text::ReportDate)}</dt><dd>{move || date.get()}</dd></div>
                    <div><dt>{t(Text::File)}</dt><dd data-report-file=""><UserText text=data.file_name.clone() max=FILE_NAME_CHARS /></dd></div>
                </dl>
                <p class="vl-report__privacy">{t(Text::PrivacyFooter)}</p>
            </header>
            <section class="vl-report__section" data-report-section="summary">
                <h2>{t(Text::ExecutiveSummary)}</h2>
                <ul class="vl-report__sentences">{move || sentences.get().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                <table class="vl-table vl-report__table vl-report__keyfigures">
                    <tbody>{key}</tbody>
                </table>
                {move || monthly.get().map(|f| paper_figure(f, "report-monthly"))}
            </section>
            {deciles_section}
            {rfm_part}
            {swot_part}
            <section class="vl-report__section" data-report-section="methods">
                <h2>{t(Text::MethodNotes)}</h2>
                <table class="vl-table vl-report__table vl-report__notes">
                    <tbody>{move || notes.get().into_iter().map(|n| view! { <tr><th>{n.label}</th><td>{n.value}</td></tr> }).collect_view()}</tbody>
                </table>
                {rejected}
            </section>
        </article>
    };
    view! {
        <section class="vl-report" data-view-content="report">
            <Toolbar file_stem=stem />
            {paper}
        </section>
    }
}

/// The decile section, while there is an analysis: each chart and table follows its memo.
fn decile_section(
    data: Arc<LoadedData>,
    analysis: Memo<Option<Arc<DecileAnalysis>>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let has_profit = data.outcome.table.columns.profit;
    let style = move |width, height| ChartStyle {
        lang: lang.get(),
        width,
        height,
    };
    // The parts, compared by value: a new threshold changes the groups only.
    let by_sales = Memo::new(move |_| {
        analysis.with(|a| a.as_ref().map(|a| chosen(a, DecileBasis::Sales).1.to_vec()))
    });
    let lorenz = Memo::new(move |_| analysis.with(|a| a.as_ref().map(|a| a.lorenz_sales.clone())));
    let slices =
        Memo::new(move |_| analysis.with(|a| a.as_ref().map(|a| a.value_by_sales.clone())));
    let facts = Memo::new(move |_| {
        analysis.with(|a| {
            a.as_ref()
                .map(|a| group_facts(&a.groups, &data.outcome.table.customers))
        })
    });

    let shares_chart = Memo::new(move |_| {
        let style = style(680, 300);
        by_sales.with(|d| {
            d.as_ref()
                .map(|d| shares_figure(d, DecileBasis::Sales, has_profit, &style))
        })
    });
    let lorenz_chart = Memo::new(move |_| {
        let style = style(560, 360);
        lorenz.with(|l| l.as_ref().and_then(|l| lorenz_figure(l, &style)))
    });
    let decile_rows = Memo::new(move |_| {
        let lang = lang.get();
        by_sales.with(|d| {
            d.as_ref()
                .map(|d| decile_table(d, &DecileColumn::REPORT, has_profit, lang))
        })
    });
    let slice_rows = Memo::new(move |_| {
        let lang = lang.get();
        slices.with(|s| s.as_ref().map(|s| value_table(s, lang)))
    });
    let group_rows = Memo::new(move |_| {
        let lang = lang.get();
        facts.with(|f| f.as_ref().map(|f| groups_table(f, lang)))
    });
    let table = |table: Memo<Option<crate::present::Table>>| {
        move || {
            table
                .get()
                .map(|t| view! { <DataTable table=t class="vl-table vl-report__table" /> })
        }
    };
    let t = move |text: Text| move || state.t(text);
    view! {
        <section class="vl-report__section" data-report-section="deciles">
            <h2>{t(Text::DecilesTitle)}</h2>
            <p class="vl-report__lead">{t(Text::DecilesIntro)}</p>
            {move || shares_chart.get().map(|f| paper_figure(f, "report-decile-shares"))}
            {table(decile_rows)}
            {move || lorenz_chart.get().map(|f| paper_figure(f, "report-lorenz"))}
            <h3>{t(Text::ValueDecilesTitle)}</h3>
            {table(slice_rows)}
            <h3>{t(Text::GroupsTitle)}</h3>
            {table(group_rows)}
        </section>
    }
}

fn rfm_section(a: &RfmAnalysis, lang: Lang) -> impl IntoView {
    let style = ChartStyle {
        lang,
        width: 680,
        height: 300,
    };
    let segments = &a.segmentation.segments;
    let name = |s: &crate::engine::rfm::SegmentSummary| match lang {
        Lang::Zh if !s.name_zh.is_empty() => s.name_zh.clone(),
        _ => s.name_en.clone(),
    };
    let rows = segments
        .iter()
        .filter(|s| s.customers > 0)
        .map(|s| {
            let action = match lang {
                Lang::Zh => s.action_zh.clone(),
                Lang::En => s.action_en.clone(),
            };
            view! {
                <tr>
                    <td>{name(s)}</td>
                    <td class="vl-table__num">{format_number(s.customers as f64, 0)}</td>
                    <td class="vl-table__num">{format_percent(s.customer_share, 1)}</td>
                    <td class="vl-table__num">{share(s.revenue_share)}</td>
                    <td>{action}</td>
                </tr>
            }
        })
        .collect_view();
    let cells: Vec<GridCell> = a
        .scores
        .grid
        .iter()
        .map(|c| GridCell {
            r: c.r,
            f: c.f,
            customers: c.customers,
            mean_m: c.mean_monetary,
        })
        .collect();
    let bars: Vec<SegmentBar> = segments
        .iter()
        .filter(|s| s.customers > 0)
        .map(|s| SegmentBar {
            label: name(s),
            customers: s.customers,
            customer_share: s.customer_share,
            revenue_share: s.revenue_share.unwrap_or(0.0),
        })
        .collect();
    let tiers = a
        .scores
        .tiers
        .iter()
        .map(|t| {
            let label = tier_text(t.tier);
            view! {
                <tr>
                    <td>{label.get(lang)}</td>
                    <td class="vl-table__num">{format_number(t.customers as f64, 0)}</td>
                    <td class="vl-table__num">{format_percent(t.customer_share, 1)}</td>
                    <td class="vl-table__num">{share(t.revenue_share)}</td>
                </tr>
            }
        })
        .collect_view();
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
            {figure(render_segment_bars_svg(&bars, &style), "report-segment-bars", lang)}
            {figure(render_rf_heatmap_svg(&cells, a.scores.config.bins, &ChartStyle { lang, width: 560, height: 380 }), "report-rf-heatmap", lang)}
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
    let rows = comparison(w);
    let table = rows
        .iter()
        .filter(|r| r.is_us || r.items.iter().any(|&n| n > 0))
        .map(|r| {
            let cells = Quadrant::ALL
                .into_iter()
                .enumerate()
                .map(|(k, q)| {
                    let mark = if r.standing[k] == Standing::Stronger { " ▲" } else { "" };
                    view! { <td class="vl-table__num">{format!("{}{mark}", format_number(r.total(q), 1))}</td> }
                })
                .collect_view();
            view! { <tr><th><UserText text=board_name(&r.name, r.is_us, lang) max=ITEM_CHARS /></th>{cells}</tr> }
        })
        .collect_view();
    let totals = board_totals(&w.us);
    let quadrants = Quadrant::ALL
        .into_iter()
        .map(|q| {
            let items = w
                .us
                .items_in(q)
                .map(|i| view! { <li><UserText text=i.text.clone() max=ITEM_CHARS />{format!(" — {}", i.score().map(|v| format_number(v, 1)).unwrap_or_default())}</li> })
                .collect_view();
            view! {
                <div class="vl-report__quadrant">
                    <h3>{format!("{} · {} {}", quadrant_text(q).get(lang), Text::Total.get(lang), format_number(totals.get(q).total, 1))}</h3>
                    <ol>{items}</ol>
                </div>
            }
        })
        .collect_view();
    let chart_rows: Vec<ChartTotals> = rows
        .iter()
        .filter(|r| r.is_us || r.items.iter().any(|&n| n > 0))
        .map(|r| ChartTotals {
            name: board_name(&r.name, r.is_us, lang),
            totals: [r.s, r.w, r.o, r.t],
            is_us: r.is_us,
        })
        .collect();
    let points: Vec<PositionPoint> = w
        .boards()
        .filter_map(|b| {
            position(b, PositionBasis::Totals).map(|p| PositionPoint {
                name: board_name(&b.name, b.id == w.us.id, lang),
                x: p.x,
                y: p.y,
                is_us: b.id == w.us.id,
            })
        })
        .collect();
    let ours = position(&w.us, PositionBasis::Totals).map(|p| match lang {
        Lang::Zh => format!(
            "{} · {}：{}",
            p.tows.as_str(),
            crate::i18n::tows_strategy(p.tows, lang),
            crate::i18n::tows_meaning(p.tows, lang)
        ),
        Lang::En => format!(
            "{} · {}: {}",
            p.tows.as_str(),
            crate::i18n::tows_strategy(p.tows, lang),
            crate::i18n::tows_meaning(p.tows, lang)
        ),
    });
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
            {figure(render_swot_comparison_svg(&chart_rows, &ChartStyle { lang, width: 680, height: 300 }), "report-swot-comparison", lang)}
            {(!points.is_empty()).then(|| figure(render_swot_position_svg(&points, &ChartStyle { lang, width: 460, height: 400 }), "report-swot-position", lang))}
            {ours.map(|t| view! { <p><strong>{Text::PositionTitle.get(lang)}": "</strong>{t}</p> })}
        </section>
    }
}
