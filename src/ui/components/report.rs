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

use super::chart::PrintedFigure;
use super::table::DataTable;
use super::user_text::UserText;
use super::view_parts::{when, PartStep, Staged};
use crate::charts::ChartStyle;
use crate::display::{FILE_NAME_CHARS, ITEM_CHARS, SEGMENT_CHARS};
use crate::engine::clusters::ClusterAnalysis;
use crate::engine::clv::ClvAnalysis;
use crate::engine::deciles::{DecileAnalysis, DecileBasis};
use crate::engine::dimensions::CustomerAttributes;
use crate::engine::lifecycle::LifecycleAnalysis;
use crate::engine::loyalty::LoyaltyAnalysis;
use crate::engine::rfm::RfmAnalysis;
use crate::engine::survey::Survey;
use crate::engine::swot::{PositionBasis, Quadrant, Workbench};
use crate::i18n::{quadrant_text, Lang, Text};
use crate::present::deciles::{
    chosen, decile_table, group_facts, groups_table, lorenz_figure, shares_figure, value_table,
    DecileColumn,
};
use crate::present::overview::{file_stem, key_figures, monthly_figure, rejected_lines};
use crate::present::report::{
    cover_date, cover_title, executive_summary, method_notes, ReportInputs,
};
use crate::present::rfm::{heatmap, segment_bars, segment_rows, tier_rows, Listing};
use crate::present::swot::{
    comparison_figure, comparison_lines, position_figure, position_text, report_quadrants, Boards,
};
use crate::ui::browser;
use crate::ui::state::{arc_changed, Analyses, AppState, ClvRun, Cover, LoadedData};

/// The cover fields and the print / save buttons (screen only).
#[component]
fn Toolbar(file_stem: String, staged: Staged) -> impl IntoView {
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
    // A section still to come is built first: printed or saved, the report is whole.
    let print = move |_| {
        staged.finish();
        set_timeout(
            || {
                if let Some(window) = web_sys::window() {
                    let _ = window.print();
                }
            },
            std::time::Duration::ZERO,
        );
    };
    let save_html = move |_| {
        staged.finish();
        let file_stem = file_stem.clone();
        set_timeout(
            move || {
                let lang = state.lang.get_untracked();
                if let Some(html) = browser::self_contained_html(
                    "vl-report",
                    Text::ReportTitle.get(lang),
                    lang.tag(),
                ) {
                    let _ = browser::download(
                        &format!("{file_stem}-report.html"),
                        "text/html;charset=utf-8",
                        &html,
                    );
                }
            },
            std::time::Duration::ZERO,
        );
    };
    // Printed from the browser's menu: the event comes before the page is laid out for print.
    let before_print =
        window_event_listener(ev::Custom::<ev::Event>::new("beforeprint"), move |_| {
            staged.finish();
        });
    on_cleanup(move || before_print.remove());
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

/// What the report's text is made from (the SWOT boards only when ours has items).
#[allow(clippy::too_many_arguments)] // one per analysis, all of the same kind
fn inputs<'a>(
    data: &'a LoadedData,
    deciles: Option<&'a DecileAnalysis>,
    rfm: Option<&'a RfmAnalysis>,
    lifecycle: Option<&'a LifecycleAnalysis>,
    clv: Option<&'a ClvAnalysis>,
    clusters: Option<&'a ClusterAnalysis>,
    swot: &'a Workbench,
    loyalty: Option<(&'a LoyaltyAnalysis, &'a Survey)>,
) -> ReportInputs<'a> {
    ReportInputs {
        file_name: &data.file_name,
        summary: &data.summary,
        import: &data.outcome.report,
        deciles,
        rfm,
        lifecycle,
        clv,
        clusters,
        swot: (!swot.us.is_empty()).then_some(swot),
        loyalty,
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
    // The lifecycle is computed in the analysis worker too; the report asks for it.
    state.want_lifecycle();
    let lifecycle: Memo<Option<Arc<LifecycleAnalysis>>> = Memo::new_with_compare(
        move |_| analyses.lifecycle.get().and_then(Result::ok),
        arc_changed,
    );
    // The CLV is fitted in its own worker; the report asks for it too.
    state.want_clv();
    let clv: Memo<Option<Arc<ClvAnalysis>>> = Memo::new_with_compare(
        move |_| match state.clv_run.get() {
            ClvRun::Done(a) => Some(a),
            _ => None,
        },
        arc_changed,
    );
    let clusters: Memo<Option<Arc<ClusterAnalysis>>> = Memo::new_with_compare(
        move |_| analyses.clusters.get().and_then(Result::ok),
        arc_changed,
    );
    // The loyalty analysis, with the survey it was made from, while a survey is loaded.
    let loyalty: Memo<Option<Arc<LoyaltyAnalysis>>> = Memo::new_with_compare(
        move |_| analyses.loyalty.get().and_then(Result::ok),
        arc_changed,
    );
    let survey: Memo<Option<Arc<Survey>>> = Memo::new_with_compare(
        move |_| state.survey.get().map(|s| s.survey.clone()),
        arc_changed,
    );
    // The report's text follows the analyses and the language, not the cover.
    let sentences = {
        let data = data.clone();
        Memo::new(move |_| {
            let (lang, d, r, l) = (lang.get(), deciles.get(), rfm.get(), lifecycle.get());
            let (c, k) = (clv.get(), clusters.get());
            let (y, v) = (loyalty.get(), survey.get());
            let kept = y.as_deref().zip(v.as_deref());
            state.swot.with(|w| {
                executive_summary(
                    &inputs(
                        &data,
                        d.as_deref(),
                        r.as_deref(),
                        l.as_deref(),
                        c.as_deref(),
                        k.as_deref(),
                        w,
                        kept,
                    ),
                    lang,
                )
            })
        })
    };
    let notes = {
        let data = data.clone();
        Memo::new(move |_| {
            let (lang, d, r, l) = (lang.get(), deciles.get(), rfm.get(), lifecycle.get());
            let (c, k) = (clv.get(), clusters.get());
            let (y, v) = (loyalty.get(), survey.get());
            let kept = y.as_deref().zip(v.as_deref());
            state.swot.with(|w| {
                method_notes(
                    &inputs(
                        &data,
                        d.as_deref(),
                        r.as_deref(),
                        l.as_deref(),
                        c.as_deref(),
                        k.as_deref(),
                        w,
                        kept,
                    ),
                    lang,
                )
            })
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
        Memo::new(move |_| monthly_figure(data.monthly(), &style(680, 300)))
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
    // A section computed in a worker says so until it comes (nothing is left out unsaid, in
    // print too).
    let pending = move |title: Text, key: &'static str, lang: Lang| {
        view! {
            <p class="vl-note" role="status" data-report-pending=key>
                {crate::present::sentence(Text::ReportPending.get(lang), &[title.get(lang).to_string()])}
            </p>
        }
    };
    let lifecycle_part = move || {
        let lang = lang.get();
        match lifecycle.get() {
            Some(a) => Some(lifecycle_section(&a, lang).into_any()),
            None => state
                .lifecycle_run
                .with(|r| r.running.is_some())
                .then(|| pending(Text::NavLifecycle, "lifecycle", lang).into_any()),
        }
    };
    let clv_part = {
        let data = data.clone();
        move || {
            let lang = lang.get();
            match clv.get() {
                Some(a) => Some(clv_section(&a, &data, lang).into_any()),
                None => matches!(state.clv_run.get(), ClvRun::Running { .. })
                    .then(|| pending(Text::NavClv, "clv", lang).into_any()),
            }
        }
    };
    let loyalty_part = move || {
        let lang = lang.get();
        loyalty.get().map(|a| loyalty_section(&a, lang))
    };
    let dimensions_part = {
        let data = data.clone();
        move || {
            let lang = lang.get();
            let r = rfm.get();
            let attributes = state.customer_attributes(&data)?;
            // Cut over the tasks before this part (its steps), or given by a filter.
            let deciles = analyses.sales_deciles.get()?.ok()?;
            dimensions_section(&data, &attributes, r.as_ref(), &deciles, lang)
        }
    };
    let profiles_part = {
        let data = data.clone();
        move || {
            let (lang, r, k) = (lang.get(), rfm.get(), clusters.get());
            let attributes = state.customer_attributes(&data);
            super::profiles::report_section(
                &data,
                attributes.as_ref(),
                r.as_deref(),
                k.as_deref(),
                lang,
            )
        }
    };
    let mix_part = {
        let data = data.clone();
        move || {
            let lang = lang.get();
            let r = rfm.get();
            let lines = state.line_attributes(&data)?;
            let deciles = analyses.sales_deciles.get()?.ok()?;
            mix_section(&data, &lines, r.as_ref(), &deciles, lang)
        }
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
    // The customer master file joined onto these orders (issue 20): its match rate and prospects.
    let master_note = {
        let data = data.clone();
        move || {
            let lang = lang.get();
            let loaded = state.master.get().filter(|m| m.joined_onto(&data))?;
            let n = crate::present::master::report_note(
                &loaded.file_name,
                &loaded.master,
                &loaded.join,
                lang,
            );
            Some(view! { <tr data-report-master=""><th>{n.label}</th><td>{n.value}</td></tr> })
        }
    };
    let t = move |text: Text| move || state.t(text);
    // The sections after the summary come one task after another, each built once: together
    // they are one task of 70–100 ms (9,660 or 96,813 customers alike: the charts and tables of
    // a few years of months and cohorts).
    // The dimension sections' breakdowns and product mixes are computed over the tasks before
    // their parts (every customer's sales decile, then every pair of every customer).
    let mut steps: Vec<PartStep> = Vec::new();
    let lines = state.line_attributes(&data);
    if untrack(|| state.customer_attributes(&data)).is_some() || lines.is_some() {
        steps.push((6, analyses.computing_sales_deciles()));
    }
    if let Some(attributes) = untrack(|| state.customer_attributes(&data)) {
        for key in attributes.attributes.iter().map(|a| a.key.clone()) {
            let (data, attributes) = (data.clone(), attributes.clone());
            steps.push((
                6,
                Box::new(move || {
                    let Some(deciles) = analyses.sales_deciles_now() else {
                        return false;
                    };
                    let rfm = analyses.rfm_now();
                    let of = crate::ui::sliced::BreakdownOf {
                        data: &data,
                        attributes: &attributes,
                        key: &key,
                        rfm: rfm.as_ref(),
                        deciles: Some(&deciles),
                    };
                    crate::ui::sliced::step_breakdown(&of)
                }),
            ));
        }
    }
    if let Some(attributes) = untrack(|| state.customer_attributes(&data)) {
        let data = data.clone();
        steps.push((
            7,
            Box::new(move || {
                // As the section reads them: recency to the RFM analysis's day.
                let rfm = analyses.rfm_now();
                let config = crate::engine::profiles::ProfileConfig {
                    analysis_day: rfm.map(|r| r.scores.analysis_day),
                    ..Default::default()
                };
                crate::ui::sliced::step_profiles(&data, &attributes, &config)
            }),
        ));
    }
    for key in lines
        .iter()
        .flat_map(|l| l.lines.iter().map(|l| l.key.clone()))
    {
        let (data, lines) = (data.clone(), lines.clone());
        steps.push((
            8,
            Box::new(move || {
                let Some(line) = lines.as_ref().and_then(|l| l.get(&key)) else {
                    return false;
                };
                let Some(deciles) = analyses.sales_deciles_now() else {
                    return false;
                };
                let rfm = analyses.rfm_now();
                let of = crate::ui::sliced::MixOf {
                    data: &data,
                    line,
                    rfm: rfm.as_ref(),
                    deciles: &deciles,
                };
                crate::ui::sliced::step_mix(&of)
            }),
        ));
    }
    let staged = Staged::with_steps(10, false, steps);
    let built = staged.done();
    let paper = view! {
        <article class="vl-report__paper" id="vl-report" lang=move || lang.get().tag() aria-busy=move || (!built.get()).to_string()>
            <header class="vl-report__cover" data-report-section="cover">
                <p class="vl-report__brand">{t(Text::AppName)}" · ValueLens"</p>
                <h1 class="vl-report__title" data-report-title="">{move || title.get()}</h1>
                <dl class="vl-report__cover-facts">
                    <div><dt>{t(Text::ReportClient)}</dt><dd data-report-client="">{move || view! { <UserText text=client.get() max=ITEM_CHARS /> }}</dd></div>
                    <div><dt>{t(Text::ReportAnalyst)}</dt><dd>{move || view! { <UserText text=analyst.get() max=ITEM_CHARS /> }}</dd></div>
                    <div><dt>{t(Text::ReportDate)}</dt><dd>{move || date.get()}</dd></div>
                    <div><dt>{t(Text::File)}</dt><dd data-report-file=""><UserText text=data.file_name.clone() max=FILE_NAME_CHARS /></dd></div>
                </dl>
                <super::filter::FilterNote />
                <p class="vl-report__privacy">{t(Text::PrivacyFooter)}</p>
            </header>
            <section class="vl-report__section" data-report-section="summary">
                <h2>{t(Text::ExecutiveSummary)}</h2>
                <ul class="vl-report__sentences">{move || sentences.get().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                <table class="vl-table vl-report__table vl-report__keyfigures">
                    <tbody>{key}</tbody>
                </table>
                {move || monthly.get().map(|f| view! { <PrintedFigure figure=f name="report-monthly" /> })}
            </section>
            {when(staged.shown(1), deciles_section)}
            {when(staged.shown(2), rfm_part)}
            {when(staged.shown(3), lifecycle_part)}
            {when(staged.shown(4), clv_part)}
            {when(staged.shown(5), loyalty_part)}
            {when(staged.shown(6), dimensions_part)}
            {when(staged.shown(7), profiles_part)}
            {when(staged.shown(8), mix_part)}
            {when(staged.shown(9), swot_part)}
            <section class="vl-report__section" data-report-section="methods">
                <h2>{t(Text::MethodNotes)}</h2>
                <table class="vl-table vl-report__table vl-report__notes">
                    <tbody>
                        {move || notes.get().into_iter().map(|n| view! { <tr><th>{n.label}</th><td>{n.value}</td></tr> }).collect_view()}
                        {master_note}
                    </tbody>
                </table>
                {rejected}
            </section>
        </article>
    };
    view! {
        <section class="vl-report" data-view-content="report">
            <Toolbar file_stem=stem staged=staged />
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
            {move || shares_chart.get().map(|f| view! { <PrintedFigure figure=f name="report-decile-shares" /> })}
            {table(decile_rows)}
            {move || lorenz_chart.get().map(|f| view! { <PrintedFigure figure=f name="report-lorenz" /> })}
            <h3>{t(Text::ValueDecilesTitle)}</h3>
            {table(slice_rows)}
            <h3>{t(Text::GroupsTitle)}</h3>
            {table(group_rows)}
        </section>
    }
}

/// A table of presentation cells as printed (no `data-metric`: the views carry those); the first
/// `text_columns` columns are text, the rest numbers.
pub(crate) fn printed_cells(
    table: crate::present::CellTable,
    text_columns: usize,
) -> impl IntoView {
    let header = table
        .header
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let class = if i < text_columns {
                ""
            } else {
                "vl-table__num"
            };
            view! { <th class=class>{h}</th> }
        })
        .collect_view();
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let class = if i < text_columns {
                        ""
                    } else {
                        "vl-table__num"
                    };
                    let detail = c
                        .detail
                        .map(|d| view! { <span class="vl-cell-detail">{d}</span> });
                    view! { <td class=class>{c.display}{detail}</td> }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="vl-table vl-report__table">
            <thead><tr>{header}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The CLV section: the sentence, the fit, the backtest, the top customers.
fn clv_section(a: &ClvAnalysis, data: &LoadedData, lang: Lang) -> impl IntoView {
    use crate::present::clv::{
        backtest_chart, customer_header, facts, fit_rows, report_summary, top_customers,
        tracking_chart,
    };
    let style = ChartStyle {
        lang,
        width: 680,
        height: 300,
    };
    let backtest = backtest_chart(a, "report-clv-backtest", &style);
    let tracking = tracking_chart(a, "report-clv-tracking", &style);
    let mut top = top_customers(a, &data.outcome.table, 10);
    top.header = customer_header(lang).into_iter().map(|(_, h)| h).collect();
    view! {
        <section class="vl-report__section" data-report-section="clv">
            <h2>{Text::ClvTitle.get(lang)}</h2>
            <p class="vl-report__lead">{report_summary(a, lang)}</p>
            <p>{facts(a, lang)}</p>
            <h3>{Text::ClvFitTitle.get(lang)}</h3>
            {printed_cells(fit_rows(a, lang), 1)}
            {backtest.map(|f| view! { <PrintedFigure figure=f /> })}
            <PrintedFigure figure=tracking />
            <h3>{Text::ClvCustomersTitle.get(lang)}</h3>
            {printed_cells(top, 1)}
        </section>
    }
}

/// The breakdowns (issue 20), one per customer attribute: the values table, decile × value and
/// segment × value, with their notes; nothing without attribute columns.
fn dimensions_section(
    data: &Arc<LoadedData>,
    attributes: &Arc<CustomerAttributes>,
    rfm: Option<&Arc<RfmAnalysis>>,
    deciles: &Arc<Vec<u8>>,
    lang: Lang,
) -> Option<impl IntoView> {
    use crate::present::dimensions::{attribute_label, breakdown_shown};
    let table = &data.outcome.table;
    let parts = attributes
        .attributes
        .iter()
        .filter_map(|a| {
            // Computed over the tasks before this part (its steps), and kept.
            let of = crate::ui::sliced::BreakdownOf {
                data,
                attributes,
                key: &a.key,
                rfm,
                deciles: Some(deciles),
            };
            let b = crate::ui::sliced::breakdown(&of).ok()?;
            let label = attribute_label(a, lang);
            let rfm = rfm.map(Arc::as_ref);
            let shown = breakdown_shown(&b, &label, rfm, table.columns.profit, lang);
            let segments = shown.segments.map(|t| {
                view! {
                    <h3>{shown.segments_title.clone()}</h3>
                    {printed_cells(t, 1)}
                }
            });
            Some(view! {
                <h3>{shown.values_title}</h3>
                {printed_cells(shown.values, 1)}
                <h3>{shown.deciles_title}</h3>
                {printed_cells(shown.deciles, 1)}
                {segments}
                {shown.notes.into_iter().map(|n| view! { <p class="vl-note">{n}</p> }).collect_view()}
            })
        })
        .collect_view();
    Some(view! {
        <section class="vl-report__section" data-report-section="dimensions">
            <h2>{Text::DimReportTitle.get(lang)}</h2>
            {parts}
        </section>
    })
}

/// The product mix (issue 20), one per line attribute: the values in the whole base, then each
/// value's share of every segment's (and decile's) sales with its index, and the notes; nothing
/// without line attribute columns.
fn mix_section(
    data: &Arc<LoadedData>,
    lines: &crate::engine::dimensions::LineAttributes,
    rfm: Option<&Arc<RfmAnalysis>>,
    deciles: &Arc<Vec<u8>>,
    lang: Lang,
) -> Option<impl IntoView> {
    use crate::present::mix::{line_label, mix_shown};
    let parts = lines
        .lines
        .iter()
        .filter_map(|line| {
            // Computed over the tasks before this part (its steps), and kept.
            let of = crate::ui::sliced::MixOf {
                data,
                line,
                rfm,
                deciles,
            };
            let mix = crate::ui::sliced::mix(&of).ok()?;
            let shown = mix_shown(&mix, &line_label(line, lang), rfm.map(Arc::as_ref), lang);
            let segments = shown.segments.map(|(shares, indices)| {
                view! {
                    <h3>{shown.segments_title.clone()}</h3>
                    {printed_cells(shares, 1)}
                    {printed_cells(indices, 1)}
                }
            });
            let (shares, indices) = shown.deciles;
            Some(view! {
                <h3>{shown.base_title}</h3>
                {printed_cells(shown.base, 1)}
                {segments}
                <h3>{shown.deciles_title}</h3>
                {printed_cells(shares, 1)}
                {printed_cells(indices, 1)}
                {shown.notes.into_iter().map(|n| view! { <p class="vl-note">{n}</p> }).collect_view()}
            })
        })
        .collect_view();
    Some(view! {
        <section class="vl-report__section" data-report-section="mix">
            <h2>{Text::MixReportTitle.get(lang)}</h2>
            {parts}
        </section>
    })
}

/// The loyalty section: the sentence, churn by satisfaction, the matrix.
fn loyalty_section(a: &LoyaltyAnalysis, lang: Lang) -> impl IntoView {
    use crate::present::loyalty::{
        churn_chart, match_sentence, matrix_chart, matrix_rows, report_summary,
    };
    let style = ChartStyle {
        lang,
        width: 680,
        height: 300,
    };
    let chart = churn_chart(a, "report-loyalty-churn", &style);
    let matrix = a.behaviour.is_some().then(|| matrix_rows(a, lang));
    let drawn = matrix_chart(
        a,
        "report-loyalty-matrix",
        &ChartStyle {
            lang,
            width: 680,
            height: 380,
        },
    );
    view! {
        <section class="vl-report__section" data-report-section="loyalty">
            <h2>{Text::LyTitle.get(lang)}</h2>
            <p class="vl-report__lead">{report_summary(a, lang)}</p>
            {match_sentence(a, lang).map(|s| view! { <p>{s}</p> })}
            {chart.map(|f| view! { <PrintedFigure figure=f /> })}
            {drawn.map(|f| view! { <PrintedFigure figure=f /> })}
            {matrix.map(|m| view! {
                <h3>{Text::LyMatrixTitle.get(lang)}</h3>
                {printed_cells(m, 1)}
            })}
        </section>
    }
}

fn lifecycle_section(a: &LifecycleAnalysis, lang: Lang) -> impl IntoView {
    use crate::present::lifecycle::{
        activity, cohort_heatmap, definitions, division_rows, report_summary, CohortValue,
    };
    let style = |height| ChartStyle {
        lang,
        width: 680,
        height,
    };
    let chart = activity(a, "report-lc-activity", &style(300));
    let cohorts = a.cohorts.cohorts.len() as u32;
    let heat = cohort_heatmap(
        a,
        CohortValue::Share,
        "report-lc-cohorts",
        &style((110 + 20 * cohorts).clamp(280, 900)),
    );
    let division = printed_cells(division_rows(a, lang), 2);
    let meanings = definitions(lang)
        .into_iter()
        .map(|(term, meaning)| view! { <dt>{term}</dt><dd>{meaning}</dd> })
        .collect_view();
    view! {
        <section class="vl-report__section" data-report-section="lifecycle">
            <h2>{Text::LcTitle.get(lang)}</h2>
            <p class="vl-report__lead">{report_summary(a, lang).unwrap_or_else(|| Text::LcNoRates.get(lang).to_string())}</p>
            <PrintedFigure figure=chart />
            <PrintedFigure figure=heat />
            <h3>{Text::LcDivisionTitle.get(lang)}</h3>
            {division}
            <h3>{Text::LcDefinitionsTitle.get(lang)}</h3>
            <dl class="vl-definitions">{meanings}</dl>
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
