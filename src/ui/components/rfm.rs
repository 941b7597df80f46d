//! The RFM view (RFM 分析): scoring parameters, segment summary with suggested actions, the R×F
//! heatmap, segment bars and treemap, histograms, value tiers, the thresholds actually used, the
//! editable rule table with its coverage check, and the scored customers with CSV export. The
//! engine (`engine::rfm`) computes everything; this file shows it.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

use super::chart::{CsvButton, SvgChart};
use super::metric::{raw_value, Metric};
use super::user_text::UserText;
use crate::a11y::{describe, fill, ChartTable};
use crate::charts::rfm::{
    render_histogram_svg, render_rf_heatmap_svg, render_segment_bars_svg,
    render_segment_treemap_svg, GridCell, HistogramBar, SegmentBar,
};
use crate::charts::ChartStyle;
use crate::display::ID_CHARS;
use crate::engine::ingest::values::{format_day, parse_iso_day};
use crate::engine::rfm::{
    rule_coverage, scored_customers_csv, Axis, Histogram, Monetary, RfmAnalysis, SegmentRule,
    SegmentRules, ValueTier,
};
use crate::engine::table::page_by;
use crate::i18n::{error_text, format_money, format_number, format_percent, tier_text, Lang, Text};
use crate::ui::browser;
use crate::ui::state::{Analyses, AppState, LoadedData};

fn axis_value(axis: Axis, value: f64, lang: Lang) -> String {
    match axis {
        Axis::Recency => format!("{} {}", format_number(value, 0), Text::Days.get(lang)),
        Axis::Frequency => format_number(value, 0),
        Axis::Monetary => format_money(value),
    }
}

fn histogram_bars(histogram: &Histogram, axis: Axis) -> Vec<HistogramBar> {
    let label = |from: f64, to: f64| match axis {
        Axis::Frequency if (to - from - 1.0).abs() < 1e-9 => format!("{from:.0}"),
        Axis::Monetary => format!(
            "{}–{}",
            crate::charts::compact_number(from, Lang::En),
            crate::charts::compact_number(to, Lang::En)
        ),
        _ => format!("{from:.0}–{to:.0}"),
    };
    let mut bars: Vec<HistogramBar> = histogram
        .buckets
        .iter()
        .map(|b| HistogramBar {
            label: label(b.from, b.to),
            count: b.customers,
        })
        .collect();
    if let Some(overflow) = &histogram.overflow {
        bars.push(HistogramBar {
            label: format!(
                "≥{}",
                crate::charts::compact_number(overflow.from, Lang::En)
            ),
            count: overflow.customers,
        });
    }
    bars
}

/// Scoring parameters: bins, analysis date, monetary basis.
#[component]
fn RfmParameters() -> impl IntoView {
    let state = expect_context::<AppState>();
    let config = state.rfm_config;
    let on_bins = move |event: ev::Event| {
        if let Ok(bins) = event_target::<HtmlSelectElement>(&event)
            .value()
            .parse::<u8>()
        {
            config.update(|c| c.bins = bins);
        }
    };
    let on_monetary = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        config.update(|c| {
            c.monetary = if value == "aov" {
                Monetary::AverageOrderValue
            } else {
                Monetary::Total
            }
        });
    };
    let on_date = move |event: ev::Event| {
        let value = event_target::<HtmlInputElement>(&event).value();
        let day = parse_iso_day(&value);
        config.update(|c| c.analysis_day = day);
    };
    let date_value = move || config.with(|c| c.analysis_day.map(format_day).unwrap_or_default());
    view! {
        <details class="vl-panel vl-params" open data-panel="rfm-parameters">
            <summary class="vl-panel__title">{move || state.t(Text::Parameters)}</summary>
            <div class="vl-params__grid">
                <label class="vl-field">
                    <span class="vl-field__label">{move || state.t(Text::Bins)}</span>
                    <select class="vl-select" data-param="bins" on:change=on_bins>
                        {[3u8, 4, 5, 10].into_iter().map(|b| view! {
                            <option value=b.to_string() selected=move || config.with(|c| c.bins == b)>{b.to_string()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || state.t(Text::ParamAnalysisDate)}</span>
                    <input class="vl-select" type="date" data-param="rfm_analysis_day" prop:value=date_value on:change=on_date />
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || state.t(Text::MonetaryBasis)}</span>
                    <select class="vl-select" data-param="monetary" on:change=on_monetary>
                        <option value="total" selected=move || config.with(|c| c.monetary == Monetary::Total)>{move || state.t(Text::MonetaryTotal)}</option>
                        <option value="aov" selected=move || config.with(|c| c.monetary == Monetary::AverageOrderValue)>{move || state.t(Text::MonetaryAov)}</option>
                    </select>
                </label>
            </div>
            <button class="vl-button vl-button--small" type="button" data-action="reset-rfm-parameters" on:click=move |_| config.set(Default::default())>
                {move || state.t(Text::ResetDefaults)}
            </button>
        </details>
    }
}

/// The editable rule table with its coverage check.
#[component]
fn RulesEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rules = state.rfm_rules;
    let edit = move |index: usize, change: Box<dyn Fn(&mut SegmentRule)>| {
        rules.update(|r| {
            if let Some(rule) = r.rules.get_mut(index) {
                change(rule);
            }
        })
    };
    move || {
        let lang = state.lang.get();
        let current = rules.get();
        let bins = state.rfm_config.with(|c| c.bins);
        let coverage = rule_coverage(&current, bins);
        let scale = current.scale;
        let range_inputs = move |index: usize, axis: usize, (low, high): (u8, u8)| {
            let set = move |which: usize| {
                move |event: ev::Event| {
                    if let Ok(v) = event_target::<HtmlInputElement>(&event)
                        .value()
                        .parse::<u8>()
                    {
                        edit(
                            index,
                            Box::new(move |rule: &mut SegmentRule| {
                                let range = match axis {
                                    0 => &mut rule.r,
                                    1 => &mut rule.f,
                                    _ => &mut rule.m,
                                };
                                if which == 0 {
                                    range.0 = v
                                } else {
                                    range.1 = v
                                }
                            }),
                        )
                    }
                }
            };
            // "Rule 2 · F lowest score": which field this is, read out.
            let field = |end: Text| {
                format!(
                    "{} {} · {} {}",
                    Text::RuleNumber.get(lang),
                    index + 1,
                    ["R", "F", "M"][axis.min(2)],
                    end.get(lang)
                )
            };
            view! {
                <td class="vl-rules__range">
                    <input class="vl-select vl-rules__score" type="number" min="1" max=scale.to_string() aria-label=field(Text::RangeFrom) prop:value=low.to_string() on:change=set(0) />
                    "–"
                    <input class="vl-select vl-rules__score" type="number" min="1" max=scale.to_string() aria-label=field(Text::RangeTo) prop:value=high.to_string() on:change=set(1) />
                </td>
            }
        };
        let rows = current
            .rules
            .iter()
            .enumerate()
            .map(|(index, rule)| {
                let last = index + 1 == current.rules.len();
                let name_zh = rule.name_zh.clone();
                let name_en = rule.name_en.clone();
                view! {
                    <tr data-rule=index.to_string()>
                        <td><input class="vl-select" type="text" data-rule-name="zh" aria-label=format!("{} {} · {}", Text::RuleNumber.get(lang), index + 1, Text::NameZh.get(lang)) prop:value=name_zh on:change=move |e: ev::Event| {
                            let v = event_target::<HtmlInputElement>(&e).value();
                            edit(index, Box::new(move |r: &mut SegmentRule| r.name_zh = v.clone()))
                        } /></td>
                        <td><input class="vl-select" type="text" data-rule-name="en" aria-label=format!("{} {} · {}", Text::RuleNumber.get(lang), index + 1, Text::NameEn.get(lang)) prop:value=name_en on:change=move |e: ev::Event| {
                            let v = event_target::<HtmlInputElement>(&e).value();
                            edit(index, Box::new(move |r: &mut SegmentRule| r.name_en = v.clone()))
                        } /></td>
                        {range_inputs(index, 0, rule.r)}
                        {range_inputs(index, 1, rule.f)}
                        {range_inputs(index, 2, rule.m)}
                        <td class="vl-rules__buttons">
                            <button class="vl-button vl-button--small" type="button" title="↑" disabled=index == 0 on:click=move |_| rules.update(|r| r.rules.swap(index, index - 1))>"↑"</button>
                            <button class="vl-button vl-button--small" type="button" title="↓" disabled=last on:click=move |_| rules.update(|r| r.rules.swap(index, index + 1))>"↓"</button>
                            <button class="vl-button vl-button--small" type="button" data-action="delete-rule" title="×" on:click=move |_| rules.update(|r| { r.rules.remove(index); })>"×"</button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let add = move |_| {
            rules.update(|r| {
                let n = r.rules.len() + 1;
                let scale = r.scale;
                r.rules.push(SegmentRule {
                    name_en: format!("Segment {n}"),
                    name_zh: format!("分群 {n}"),
                    r: (1, scale),
                    f: (1, scale),
                    m: (1, scale),
                    action_en: String::new(),
                    action_zh: String::new(),
                })
            })
        };
        let validation = current.validate().err().map(
            |e| view! { <p class="vl-note" data-note="rules-invalid">{error_text(&e, lang)}</p> },
        );
        let cell = |c: &(u8, u8, u8)| format!("({},{},{})", c.0, c.1, c.2);
        let coverage_note = if coverage.is_partition() {
            view! { <p class="vl-panel__hint" data-coverage="ok">{Text::RulesCoverageOk.get(lang)}</p> }.into_any()
        } else {
            let overlaps: Vec<String> = coverage
                .overlaps
                .iter()
                .take(12)
                .map(|o| cell(&o.cell))
                .collect();
            let gaps: Vec<String> = coverage.gaps.iter().take(12).map(cell).collect();
            view! {
                <div class="vl-note" data-coverage="problems" data-overlaps=coverage.overlaps.len().to_string() data-gaps=coverage.gaps.len().to_string()>
                    {(!coverage.overlaps.is_empty()).then(|| view! { <p>{format!("{} ({}): {}{}", Text::RulesOverlaps.get(lang), coverage.overlaps.len(), overlaps.join(" "), if coverage.overlaps.len() > 12 { " …" } else { "" })}</p> })}
                    {(!coverage.gaps.is_empty()).then(|| view! { <p>{format!("{} ({}): {}{}", Text::RulesGaps.get(lang), coverage.gaps.len(), gaps.join(" "), if coverage.gaps.len() > 12 { " …" } else { "" })}</p> })}
                </div>
            }
            .into_any()
        };
        view! {
            <details class="vl-panel" data-panel="rfm-rules">
                <summary class="vl-panel__title">{Text::RulesTitle.get(lang)}</summary>
                <p class="vl-panel__hint">{Text::RulesNote.get(lang)}</p>
                {validation}
                {coverage_note}
                <div class="vl-table-wrap" tabindex="0" role="region" aria-label=Text::RulesTitle.get(lang)>
                    <table class="vl-table vl-rules">
                        <thead><tr>
                            <th>{Text::NameZh.get(lang)}</th>
                            <th>{Text::NameEn.get(lang)}</th>
                            <th>"R"</th><th>"F"</th><th>"M"</th><th><span class="vl-visually-hidden">{Text::RowActions.get(lang)}</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <div class="vl-rules__actions">
                    <button class="vl-button vl-button--small" type="button" data-action="add-rule" on:click=add>{Text::AddRule.get(lang)}</button>
                    <button class="vl-button vl-button--small" type="button" data-action="reset-rules" on:click=move |_| rules.set(SegmentRules::default())>{Text::ResetDefaults.get(lang)}</button>
                </div>
            </details>
        }
    }
}

/// The scored customers, searchable, sortable by monetary value and paged.
#[component]
fn ScoredTable(data: Arc<LoadedData>, analysis: Arc<RfmAnalysis>, lang: Lang) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let sort = RwSignal::new(Axis::Monetary);
    let bins = analysis.scores.config.bins;
    let rows = {
        let data = data.clone();
        let analysis = analysis.clone();
        move || {
            let needle = search.get().to_lowercase();
            let axis = sort.get();
            let customers = &data.outcome.table.customers;
            let scored = &analysis.scores.customers;
            let result = page_by(
                scored,
                |c| needle.is_empty() || customers[c.index].id.to_lowercase().contains(&needle),
                |c| match axis {
                    Axis::Recency => -(c.recency_days as f64),
                    _ => c.value(axis),
                },
                |a, b| customers[a.index].id.cmp(&customers[b.index].id),
                true,
                page.get(),
                25,
            );
            let body = result
                .rows
                .iter()
                .map(|&k| {
                    let c = &scored[k];
                    let segment = match (
                        analysis.segmentation.assignments.get(k).copied().flatten(),
                        lang,
                    ) {
                        (Some(rule), Lang::Zh) => analysis
                            .segmentation
                            .rules
                            .rules
                            .get(rule as usize)
                            .map(|r| r.display_zh().to_string()),
                        (Some(rule), Lang::En) => analysis
                            .segmentation
                            .rules
                            .rules
                            .get(rule as usize)
                            .map(|r| r.name_en.clone()),
                        (None, Lang::Zh) => Some("其他".to_string()),
                        (None, Lang::En) => Some("Other".to_string()),
                    }
                    .unwrap_or_default();
                    view! {
                        <tr>
                            <td><UserText text=customers[c.index].id.clone() max=ID_CHARS /></td>
                            <td class="vl-table__num">{format_number(c.recency_days as f64, 0)}</td>
                            <td class="vl-table__num">{format_number(c.frequency as f64, 0)}</td>
                            <td class="vl-table__num">{format_money(c.monetary)}</td>
                            <td class="vl-table__num"><code>{c.code(bins).to_string()}</code></td>
                            <td>{segment}</td>
                            <td>{tier_text(c.tier).get(lang)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let info = match lang {
                Lang::Zh => format!(
                    "第 {} / {} 页 · {} 位客户",
                    result.page + 1,
                    result.pages,
                    format_number(result.matches as f64, 0)
                ),
                Lang::En => format!(
                    "Page {} of {} · {} customers",
                    result.page + 1,
                    result.pages,
                    format_number(result.matches as f64, 0)
                ),
            };
            let (prev_disabled, next_disabled) =
                (result.page == 0, result.page + 1 >= result.pages);
            view! {
                <div class="vl-table-wrap" tabindex="0" role="region" aria-label=Text::ScoredCustomersTitle.get(lang)>
                    <table class="vl-table">
                        <thead><tr>
                            <th>{Text::CustomerId.get(lang)}</th>
                            <th class="vl-table__num"><button class="vl-table__sort" type="button" data-sort="recency" on:click=move |_| { sort.set(Axis::Recency); page.set(0) }>"R"</button></th>
                            <th class="vl-table__num"><button class="vl-table__sort" type="button" data-sort="frequency" on:click=move |_| { sort.set(Axis::Frequency); page.set(0) }>"F"</button></th>
                            <th class="vl-table__num"><button class="vl-table__sort" type="button" data-sort="monetary" on:click=move |_| { sort.set(Axis::Monetary); page.set(0) }>"M"</button></th>
                            <th class="vl-table__num">"RFM"</th>
                            <th>{Text::Segment.get(lang)}</th>
                            <th>{Text::ValueTiers.get(lang)}</th>
                        </tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <div class="vl-pager">
                    <button class="vl-button vl-button--small" type="button" disabled=prev_disabled on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>{Text::PagePrev.get(lang)}</button>
                    <span class="vl-pager__info" data-matches=result.matches.to_string()>{info}</span>
                    <button class="vl-button vl-button--small" type="button" disabled=next_disabled on:click=move |_| page.update(|p| *p += 1)>{Text::PageNext.get(lang)}</button>
                </div>
            }
        }
    };
    let export = move |_| {
        let labels = crate::i18n::rfm_csv_labels(lang);
        let csv = scored_customers_csv(&data.outcome.table, &analysis, &labels);
        let _ = browser::download(
            &format!(
                "rfm-{}.csv",
                if lang == Lang::Zh {
                    "客户评分"
                } else {
                    "scored-customers"
                }
            ),
            "text/csv;charset=utf-8",
            &csv,
        );
    };
    view! {
        <section class="vl-panel" data-table="rfm-customers">
            <div class="vl-panel__head">
                <h3 class="vl-panel__title">{Text::ScoredCustomersTitle.get(lang)}</h3>
                <div class="vl-rules__actions">
                    <input class="vl-search" type="search" data-input="rfm-search" placeholder=Text::Search.get(lang) on:input=move |e: ev::Event| { search.set(event_target::<HtmlInputElement>(&e).value()); page.set(0) } />
                    <button class="vl-button vl-button--small" type="button" data-action="export-rfm" on:click=export>{Text::ExportCsv.get(lang)}</button>
                </div>
            </div>
            {rows}
        </section>
    }
}

fn analysis_body(a: &Arc<RfmAnalysis>, data: &Arc<LoadedData>, lang: Lang) -> impl IntoView {
    let scores = &a.scores;
    let bins = scores.config.bins;
    let style = ChartStyle::new(lang);
    let segments = &a.segmentation.segments;
    let name = |s: &crate::engine::rfm::SegmentSummary| match lang {
        Lang::Zh if !s.name_zh.is_empty() => s.name_zh.clone(),
        _ => s.name_en.clone(),
    };
    let action = |s: &crate::engine::rfm::SegmentSummary| match lang {
        Lang::Zh => s.action_zh.clone(),
        Lang::En => s.action_en.clone(),
    };
    let figures = a.figures();
    let figure_of = |key: &str| figures.iter().find(|f| f.name == key).and_then(|f| f.value);

    let tiers = scores
        .tiers
        .iter()
        .map(|t| {
            let metric = match t.tier {
                ValueTier::High => "tier_high",
                ValueTier::Medium => "tier_medium",
                ValueTier::Low => "tier_low",
            };
            view! {
                <Metric name=metric label=tier_text(t.tier).get(lang) value=t.customers as f64 display=format_number(t.customers as f64, 0)
                    note=format!("{} · {} {}", format_percent(t.customer_share, 1), Text::RevenueShare.get(lang), t.revenue_share.map(|s| format_percent(s, 1)).unwrap_or_else(|| "–".into())) />
            }
        })
        .collect_view();

    let segment_rows = segments
        .iter()
        .filter(|s| s.rule.is_some() || s.customers > 0)
        .map(|s| {
            let key = format!("segment_count:{}", s.name_en);
            let count = figure_of(&key).unwrap_or(s.customers as f64);
            view! {
                <tr>
                    <td><strong>{name(s)}</strong></td>
                    <td class="vl-table__num" data-metric=key.clone() data-value=raw_value(count)>{format_number(s.customers as f64, 0)}</td>
                    <td class="vl-table__num">{format_percent(s.customer_share, 1)}</td>
                    <td class="vl-table__num">{format_money(s.revenue)}</td>
                    <td class="vl-table__num">{s.revenue_share.map(|v| format_percent(v, 1)).unwrap_or_else(|| "–".into())}</td>
                    <td class="vl-table__num">{s.mean_recency_days.map(|v| format_number(v, 0)).unwrap_or_else(|| "–".into())}</td>
                    <td class="vl-table__num">{s.mean_frequency.map(|v| format_number(v, 1)).unwrap_or_else(|| "–".into())}</td>
                    <td class="vl-table__num">{s.mean_monetary.map(format_money).unwrap_or_else(|| "–".into())}</td>
                    <td class="vl-rfm__action">{action(s)}</td>
                </tr>
            }
        })
        .collect_view();

    let number = |v: f64| crate::engine::export::number_cell(v, 6).into_owned();
    let optional = |v: Option<f64>| v.map(number).unwrap_or_default();
    let segment_header: Vec<String> = [
        Text::Segment,
        Text::Customers,
        Text::CustomerShare,
        Text::Revenue,
        Text::RevenueShare,
        Text::MeanR,
        Text::MeanF,
        Text::MeanM,
        Text::SuggestedAction,
    ]
    .iter()
    .map(|t| t.get(lang).to_string())
    .collect();
    let segment_csv_rows: Vec<Vec<String>> = segments
        .iter()
        .map(|s| {
            vec![
                name(s),
                s.customers.to_string(),
                number(s.customer_share),
                number(s.revenue),
                optional(s.revenue_share),
                optional(s.mean_recency_days),
                optional(s.mean_frequency),
                optional(s.mean_monetary),
                action(s),
            ]
        })
        .collect();
    let cells: Vec<GridCell> = scores
        .grid
        .iter()
        .map(|c| GridCell {
            r: c.r,
            f: c.f,
            customers: c.customers,
            mean_m: c.mean_monetary,
        })
        .collect();
    let heatmap_table = cells.iter().filter(|c| c.customers > 0).fold(
        ChartTable::new(["R", "F", Text::Customers.get(lang), Text::MeanM.get(lang)]),
        |t, c| {
            t.row([
                c.r.to_string(),
                c.f.to_string(),
                format_number(c.customers as f64, 0),
                c.mean_m
                    .map(|m| format_number(m, 2))
                    .unwrap_or_else(|| "–".into()),
            ])
        },
    );
    let heatmap = render_rf_heatmap_svg(&cells, bins, &style)
        .ok()
        .map(|svg| view! { <SvgChart svg=svg label="R × F".to_string() desc=Text::DescRfHeatmap.get(lang).to_string() table=heatmap_table name="rf-heatmap" /> });
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
    let segment_table = bars.iter().fold(
        ChartTable::new([
            Text::Segment.get(lang),
            Text::Customers.get(lang),
            Text::CustomerShare.get(lang),
            Text::RevenueShare.get(lang),
        ]),
        |t, b| {
            t.row([
                b.label.clone(),
                format_number(b.customers as f64, 0),
                format_percent(b.customer_share, 1),
                format_percent(b.revenue_share, 1),
            ])
        },
    );
    let top_segment = bars
        .iter()
        .max_by(|a, b| a.revenue_share.total_cmp(&b.revenue_share))
        .map(|b| {
            fill(
                Text::FindingSegments.get(lang),
                &[
                    b.label.clone(),
                    format_percent(b.customer_share, 1),
                    format_percent(b.revenue_share, 1),
                ],
            )
        });
    let segment_bars = render_segment_bars_svg(&bars, &style).ok().map(|svg| {
        let table = segment_table.clone();
        let desc = describe(Text::DescSegmentBars.get(lang), top_segment.clone());
        view! { <SvgChart svg=svg label=Text::SegmentSummaryTitle.get(lang).to_string() desc=desc table=table name="segment-bars" /> }
    });
    let treemap = render_segment_treemap_svg(&bars, &style).ok().map(|svg| {
        let desc = describe(Text::DescSegmentTreemap.get(lang), top_segment);
        view! { <SvgChart svg=svg label=Text::SegmentSummaryTitle.get(lang).to_string() desc=desc table=segment_table name="segment-treemap" /> }
    });
    let histogram = |axis: Axis, histogram: &Histogram, name: &'static str| {
        let (title, desc) = match (axis, lang) {
            (Axis::Recency, Lang::Zh) => ("R：距最近一次消费的天数", "天数"),
            (Axis::Recency, Lang::En) => ("R: days since the last purchase", "days"),
            (Axis::Frequency, Lang::Zh) => ("F：订单数", "订单数"),
            (Axis::Frequency, Lang::En) => ("F: orders", "orders"),
            (Axis::Monetary, Lang::Zh) => ("M：消费金额", "金额"),
            (Axis::Monetary, Lang::En) => ("M: money spent", "amount"),
        };
        let bars = histogram_bars(histogram, axis);
        let table = bars.iter().fold(
            ChartTable::new([Text::RangeLabel.get(lang), Text::Customers.get(lang)]),
            |t, b| t.row([b.label.clone(), format_number(b.count as f64, 0)]),
        );
        render_histogram_svg(&bars, title, desc, &style)
            .ok()
            .map(|svg| view! { <SvgChart svg=svg label=title.to_string() desc=Text::DescHistogram.get(lang).to_string() table=table name=name /> })
    };
    let histograms = view! {
        <div class="vl-three-columns">
            {histogram(Axis::Recency, &scores.histograms.recency, "histogram-r")}
            {histogram(Axis::Frequency, &scores.histograms.frequency, "histogram-f")}
            {histogram(Axis::Monetary, &scores.histograms.monetary, "histogram-m")}
        </div>
    };

    let thresholds = [Axis::Recency, Axis::Frequency, Axis::Monetary]
        .into_iter()
        .map(|axis| {
            let t = scores.thresholds.axis(axis);
            let letter = match axis {
                Axis::Recency => "r",
                Axis::Frequency => "f",
                Axis::Monetary => "m",
            };
            let ranges = t
                .ranges
                .iter()
                .map(|r| {
                    let range = match (r.min, r.max) {
                        (Some(lo), Some(hi)) if (lo - hi).abs() < 1e-9 => axis_value(axis, lo, lang),
                        (Some(lo), Some(hi)) => format!("{} – {}", axis_value(axis, lo, lang), axis_value(axis, hi, lang)),
                        _ => "–".into(),
                    };
                    view! { <td class="vl-table__num"><span class="vl-score">{r.score.to_string()}</span>" "{range}" · "{r.customers.to_string()}</td> }
                })
                .collect_view();
            let cuts = t
                .cuts
                .iter()
                .enumerate()
                .map(|(k, cut)| {
                    let key = format!("rfm_threshold_{letter}_{}", k + 1);
                    view! { <span class="vl-cut" data-metric=key data-value=cut.map(raw_value).unwrap_or_default()>{format!("{}→{}: {}", k + 1, k + 2, cut.map(|v| axis_value(axis, v, lang)).unwrap_or_else(|| "–".into()))}</span> }
                })
                .collect_view();
            view! {
                <tr>
                    <th>{letter.to_uppercase()}</th>
                    {ranges}
                </tr>
                <tr class="vl-cuts-row"><td></td><td colspan=t.ranges.len().to_string()>{cuts}</td></tr>
            }
        })
        .collect_view();
    let warnings = scores
        .warnings
        .iter()
        .map(|w| {
            let letter = match w.axis {
                Axis::Recency => "R",
                Axis::Frequency => "F",
                Axis::Monetary => "M",
            };
            let sizes: Vec<String> = w.sizes.iter().enumerate().map(|(i, s)| format!("{}={}", i + 1, s)).collect();
            view! { <p class="vl-note" data-note="uneven-bins">{format!("{}{letter}: {}", Text::UnevenBins.get(lang), sizes.join(", "))}</p> }
        })
        .collect_view();
    let other = a.segmentation.other_customers();
    // "Other" is listed when customers fall into it; its figure is always there.
    let other_metric = (!segments.iter().any(|s| s.rule.is_none() && s.customers > 0)).then(|| {
        view! { <span data-metric="segment_count:Other" data-value=raw_value(other as f64) hidden=true></span> }
    });
    let analysis_day = crate::i18n::format_date(scores.analysis_day, lang);

    view! {
        <p class="vl-facts-line">{format!("{}: {} · {}: {} · {}: {}",
            Text::ParamAnalysisDate.get(lang), analysis_day,
            Text::Bins.get(lang), bins,
            Text::MonetaryBasis.get(lang), if scores.config.monetary == Monetary::Total { Text::MonetaryTotal.get(lang) } else { Text::MonetaryAov.get(lang) })}</p>
        <div class="vl-figures">{tiers}</div>
        <section class="vl-panel" data-table="rfm-segments">
            <div class="vl-panel__head">
                <h3 class="vl-panel__title">{Text::SegmentSummaryTitle.get(lang)}</h3>
                <CsvButton csv={crate::present::Csv { file: "rfm-segments".to_string(), header: segment_header, rows: segment_csv_rows }} />
            </div>
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label=Text::SegmentSummaryTitle.get(lang)>
                <table class="vl-table">
                    <thead><tr>
                        <th>{Text::Segment.get(lang)}</th>
                        <th class="vl-table__num">{Text::Customers.get(lang)}</th>
                        <th class="vl-table__num">{Text::CustomerShare.get(lang)}</th>
                        <th class="vl-table__num">{Text::Revenue.get(lang)}</th>
                        <th class="vl-table__num">{Text::RevenueShare.get(lang)}</th>
                        <th class="vl-table__num">{Text::MeanR.get(lang)}</th>
                        <th class="vl-table__num">{Text::MeanF.get(lang)}</th>
                        <th class="vl-table__num">{Text::MeanM.get(lang)}</th>
                        <th>{Text::SuggestedAction.get(lang)}</th>
                    </tr></thead>
                    <tbody>{segment_rows}</tbody>
                </table>
            </div>
            {other_metric}
        </section>
        <div class="vl-two-columns">
            <div class="vl-panel">{heatmap}</div>
            <div class="vl-panel">{treemap}</div>
        </div>
        <div class="vl-panel">{segment_bars}</div>
        <section class="vl-panel">
            <h3 class="vl-panel__title">{Text::Histograms.get(lang)}</h3>
            {histograms}
        </section>
        <section class="vl-panel" data-table="rfm-thresholds">
            <h3 class="vl-panel__title">{Text::ThresholdsTitle.get(lang)}</h3>
            {warnings}
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label=Text::ThresholdsTitle.get(lang)>
                <table class="vl-table vl-table--compact"><tbody>{thresholds}</tbody></table>
            </div>
        </section>
        <ScoredTable data=data.clone() analysis=a.clone() lang=lang />
    }
}

/// The RFM view of a loaded data set.
#[component]
pub fn RfmView(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let analysis = expect_context::<Analyses>().rfm;
    let body = {
        let data = data.clone();
        move || {
            let lang = state.lang.get();
            match analysis.get() {
                None => ().into_any(),
                Some(Ok(a)) => analysis_body(&a, &data, lang).into_any(),
                Some(Err(crate::engine::Error::Parameter {
                    reason: crate::engine::ParameterProblem::NoPurchaseDates,
                    ..
                })) => {
                    view! { <p class="vl-note" data-note="rfm-no-date">{Text::RfmNeedsDates.get(lang)}</p> }.into_any()
                }
                Some(Err(error)) => view! { <p class="vl-status vl-status--error" role="alert">{error_text(&error, lang)}</p> }.into_any(),
            }
        }
    };
    view! {
        <section class="vl-section vl-rfm" data-view-content="rfm">
            <h2 class="vl-section-title">{move || state.t(Text::RfmTitle)}</h2>
            <p class="vl-section-intro">{move || state.t(Text::RfmIntro)}</p>
            <div class="vl-deciles__layout">
                <div class="vl-deciles__main">
                    {body}
                    <RulesEditor />
                </div>
                <aside class="vl-deciles__aside"><RfmParameters /></aside>
            </div>
        </section>
    }
}
