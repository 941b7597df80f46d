//! The RFM view (RFM 分析): scoring parameters, segment summary with suggested actions, the R×F
//! heatmap, segment bars and treemap, histograms, value tiers, the thresholds actually used, the
//! editable rule table with its coverage check, and the scored customers with CSV export. The
//! engine (`engine::rfm`) computes everything and `present::rfm` words it; this file lays it out,
//! one memo per section, so that editing a rule redraws the segments and not the heatmap.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

use super::chart::{CsvButton, FigureView};
use super::metric::MetricCard;
use super::placeholder::analysis_error;
use super::user_text::UserText;
use super::view_parts::{when, Staged, PREPARED_FROM};
use crate::charts::ChartStyle;
use crate::display::{ID_CHARS, ITEM_CHARS, SEGMENT_CHARS};
use crate::engine::calendar::Day;
use crate::engine::error::Error;
use crate::engine::rfm::{
    rule_coverage, Axis, Monetary, RfmAnalysis, RfmConfig, SegmentRule, SegmentRules, BIN_CHOICES,
};
use crate::i18n::{Lang, Text};
use crate::present::rfm::{
    bin_warnings, coverage_note, facts, heatmap, histogram, new_rule, rule_field_label,
    rule_range_label, rules_problem, scored_customers, scored_page, segment_bars, segment_csv,
    segment_rows, threshold_rows, tier_metrics, treemap, unlisted_counts, Listing, ScoredQuery,
};
use crate::ui::browser;
use crate::ui::state::{Analyses, AppState, LoadedData};

/// The RFM analysis memo of [`Analyses`].
type Analysis = Memo<Option<Result<Arc<RfmAnalysis>, Error>>>;

/// One part of the view: recomputed when the analysis or the language changes, and laid out
/// again only when it came out different (`None` without an analysis).
fn part<T>(
    analysis: Analysis,
    lang: RwSignal<Lang>,
    make: impl Fn(&RfmAnalysis, Lang) -> T + Send + Sync + 'static,
) -> Memo<Option<T>>
where
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| {
        let lang = lang.get();
        analysis.with(|a| match a {
            Some(Ok(a)) => Some(make(a, lang)),
            _ => None,
        })
    })
}

thread_local! {
    /// The number of the last edit of the scoring parameters, and of the segment rules
    /// ([`super::view_parts::edit_in_pieces`]).
    static CONFIG_EDITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static RULE_EDITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Whether the data set is large enough for its analyses to be computed in pieces.
fn big(state: AppState) -> bool {
    let customers = state
        .data
        .with_untracked(|d| d.as_ref().map_or(0, |d| d.outcome.table.customers.len()));
    customers >= PREPARED_FROM
}

/// Applies `change` to the scoring parameters, for a large data set once the analysis with
/// them is computed in pieces ([`super::view_parts::edit_in_pieces`]).
fn edit_config(state: AppState, analyses: Analyses, change: impl FnOnce(&mut RfmConfig)) {
    let step = move |next: &RfmConfig| {
        let rules = state.rfm_rules.get_untracked();
        analyses.step_rfm(state, next, &rules) == Some(true)
    };
    super::view_parts::edit_in_pieces(state.rfm_config, &CONFIG_EDITS, big(state), change, step);
}

/// Applies `change` to the segment rules, as [`edit_config`] the parameters.
fn edit_rules(state: AppState, analyses: Analyses, change: impl FnOnce(&mut SegmentRules)) {
    let step = move |next: &SegmentRules| {
        let config = state.rfm_config.get_untracked();
        analyses.step_rfm(state, &config, next) == Some(true)
    };
    super::view_parts::edit_in_pieces(state.rfm_rules, &RULE_EDITS, big(state), change, step);
}

/// Scoring parameters: bins, analysis date, monetary basis.
#[component]
fn RfmParameters() -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    let config = state.rfm_config;
    let on_bins = move |event: ev::Event| {
        if let Ok(bins) = event_target::<HtmlSelectElement>(&event)
            .value()
            .parse::<u8>()
        {
            edit_config(state, analyses, |c| c.bins = bins);
        }
    };
    let on_monetary = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        edit_config(state, analyses, |c| {
            c.monetary = if value == "aov" {
                Monetary::AverageOrderValue
            } else {
                Monetary::Total
            }
        });
    };
    let on_date = move |event: ev::Event| {
        let value = event_target::<HtmlInputElement>(&event).value();
        let day = Day::parse_iso(&value);
        edit_config(state, analyses, |c| c.analysis_day = day);
    };
    let date_value = move || config.with(|c| c.analysis_day.map(Day::iso).unwrap_or_default());
    view! {
        <details class="vl-panel vl-params" open data-panel="rfm-parameters">
            <summary class="vl-panel__title">{move || state.t(Text::Parameters)}</summary>
            <div class="vl-params__grid">
                <label class="vl-field">
                    <span class="vl-field__label">{move || state.t(Text::Bins)}</span>
                    <select class="vl-select" data-param="bins" on:change=on_bins>
                        {BIN_CHOICES.into_iter().map(|b| view! {
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
            <button class="vl-button vl-button--small" type="button" data-action="reset-rfm-parameters" on:click=move |_| edit_config(state, analyses, |c| *c = RfmConfig::default())>
                {move || state.t(Text::ResetDefaults)}
            </button>
        </details>
    }
}

/// The editable rule table with its coverage check.
#[component]
fn RulesEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    let rules = state.rfm_rules;
    let edit = move |index: usize, change: Box<dyn Fn(&mut SegmentRule)>| {
        edit_rules(state, analyses, |r| {
            if let Some(rule) = r.rules.get_mut(index) {
                change(rule);
            }
        })
    };
    move || {
        let lang = state.lang.get();
        let current = rules.get();
        let bins = state.rfm_config.with(|c| c.bins);
        let coverage = coverage_note(&rule_coverage(&current, bins), lang);
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
            view! {
                <td class="vl-rules__range">
                    <input class="vl-select vl-rules__score" type="number" min="1" max=scale.to_string() aria-label=rule_range_label(index, axis, Text::RangeFrom, lang) prop:value=low.to_string() on:change=set(0) />
                    "–"
                    <input class="vl-select vl-rules__score" type="number" min="1" max=scale.to_string() aria-label=rule_range_label(index, axis, Text::RangeTo, lang) prop:value=high.to_string() on:change=set(1) />
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
                        <td><input class="vl-select" type="text" data-rule-name="zh" aria-label=rule_field_label(index, Text::NameZh.get(lang), lang) prop:value=name_zh on:change=move |e: ev::Event| {
                            let v = event_target::<HtmlInputElement>(&e).value();
                            edit(index, Box::new(move |r: &mut SegmentRule| r.name_zh = v.clone()))
                        } /></td>
                        <td><input class="vl-select" type="text" data-rule-name="en" aria-label=rule_field_label(index, Text::NameEn.get(lang), lang) prop:value=name_en on:change=move |e: ev::Event| {
                            let v = event_target::<HtmlInputElement>(&e).value();
                            edit(index, Box::new(move |r: &mut SegmentRule| r.name_en = v.clone()))
                        } /></td>
                        {range_inputs(index, 0, rule.r)}
                        {range_inputs(index, 1, rule.f)}
                        {range_inputs(index, 2, rule.m)}
                        <td class="vl-rules__buttons">
                            <button class="vl-button vl-button--small" type="button" title="↑" disabled=index == 0 on:click=move |_| edit_rules(state, analyses, |r| r.rules.swap(index, index - 1))>"↑"</button>
                            <button class="vl-button vl-button--small" type="button" title="↓" disabled=last on:click=move |_| edit_rules(state, analyses, |r| r.rules.swap(index, index + 1))>"↓"</button>
                            <button class="vl-button vl-button--small" type="button" data-action="delete-rule" title="×" on:click=move |_| edit_rules(state, analyses, |r| { r.rules.remove(index); })>"×"</button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let add = move |_| {
            edit_rules(state, analyses, |r| {
                let rule = new_rule(r.rules.len() + 1, r.scale);
                r.rules.push(rule)
            })
        };
        let validation = rules_problem(&current, lang)
            .map(|text| view! { <p class="vl-note" data-note="rules-invalid">{text}</p> });
        let coverage_note = if coverage.partition {
            view! { <p class="vl-panel__hint" data-coverage="ok">{coverage.lines}</p> }.into_any()
        } else {
            view! {
                <div class="vl-note" data-coverage="problems" data-overlaps=coverage.overlaps.to_string() data-gaps=coverage.gaps.to_string()>
                    {coverage.lines.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
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
                    <button class="vl-button vl-button--small" type="button" data-action="reset-rules" on:click=move |_| edit_rules(state, analyses, |r| *r = SegmentRules::default())>{Text::ResetDefaults.get(lang)}</button>
                </div>
            </details>
        }
    }
}

/// The scored customers, searchable, sortable by R, F or M and paged.
#[component]
fn ScoredTable(data: Arc<LoadedData>, analysis: Analysis) -> impl IntoView {
    let state = expect_context::<AppState>();
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let sort = RwSignal::new(Axis::Monetary);
    let shown = {
        let data = data.clone();
        Memo::new(move |_| {
            let lang = state.lang.get();
            let query = ScoredQuery {
                search: search.get(),
                sort: sort.get(),
                page: page.get(),
            };
            analysis.with(|a| match a {
                Some(Ok(a)) => Some(scored_page(&data.outcome.table, a, &query, lang)),
                _ => None,
            })
        })
    };
    let rows = move || {
        let lang = state.lang.get();
        let result = shown.get()?;
        let body = result
            .rows
            .iter()
            .map(|row| {
                view! {
                    <tr>
                        <td><UserText text=row.id.clone() max=ID_CHARS /></td>
                        <td class="vl-table__num">{row.recency.clone()}</td>
                        <td class="vl-table__num">{row.frequency.clone()}</td>
                        <td class="vl-table__num">{row.monetary.clone()}</td>
                        <td class="vl-table__num"><code>{row.code.clone()}</code></td>
                        <td><UserText text=row.segment.clone() max=SEGMENT_CHARS /></td>
                        <td>{row.tier.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        let sort_by = move |axis: Axis| {
            move |_| {
                sort.set(axis);
                page.set(0)
            }
        };
        Some(view! {
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label=Text::ScoredCustomersTitle.get(lang)>
                <table class="vl-table">
                    <thead><tr>
                        <th>{Text::CustomerId.get(lang)}</th>
                        <th class="vl-table__num"><button class="vl-table__sort" type="button" data-sort="recency" on:click=sort_by(Axis::Recency)>"R"</button></th>
                        <th class="vl-table__num"><button class="vl-table__sort" type="button" data-sort="frequency" on:click=sort_by(Axis::Frequency)>"F"</button></th>
                        <th class="vl-table__num"><button class="vl-table__sort" type="button" data-sort="monetary" on:click=sort_by(Axis::Monetary)>"M"</button></th>
                        <th class="vl-table__num">"RFM"</th>
                        <th>{Text::Segment.get(lang)}</th>
                        <th>{Text::ValueTiers.get(lang)}</th>
                    </tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <div class="vl-pager">
                <button class="vl-button vl-button--small" type="button" disabled=!result.has_previous() on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>{Text::PagePrev.get(lang)}</button>
                <span class="vl-pager__info" data-matches=result.matches.to_string()>{result.info.clone()}</span>
                <button class="vl-button vl-button--small" type="button" disabled=!result.has_next() on:click=move |_| page.update(|p| *p += 1)>{Text::PageNext.get(lang)}</button>
            </div>
        })
    };
    let export = move |_| {
        let lang = state.lang.get_untracked();
        analysis.with_untracked(|a| {
            if let Some(Ok(a)) = a {
                let file = scored_customers(&data.outcome.table, a, lang);
                let _ = browser::download(&file.file, "text/csv;charset=utf-8", &file.text);
            }
        });
    };
    view! {
        <section class="vl-panel" data-table="rfm-customers">
            <div class="vl-panel__head">
                <h3 class="vl-panel__title">{move || state.t(Text::ScoredCustomersTitle)}</h3>
                <div class="vl-rules__actions">
                    <input class="vl-search" type="search" data-input="rfm-search" placeholder=move || state.t(Text::Search) on:input=move |e: ev::Event| { search.set(event_target::<HtmlInputElement>(&e).value()); page.set(0) } />
                    <button class="vl-button vl-button--small" type="button" data-action="export-rfm" on:click=export>{move || state.t(Text::ExportCsv)}</button>
                </div>
            </div>
            {rows}
        </section>
    }
}

/// The segment table: name, customers (the `segment_count:` figures), shares, means, action.
#[component]
fn SegmentTable(analysis: Analysis) -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = part(analysis, state.lang, |a, lang| {
        segment_rows(a, Listing::EveryRule, lang)
    });
    let unlisted = part(analysis, state.lang, |a, _| {
        unlisted_counts(a, Listing::EveryRule)
    });
    let csv = part(analysis, state.lang, segment_csv);
    let body = move || {
        rows.get()
            .unwrap_or_default()
            .into_iter()
            .map(|row| {
                let raw = row.count.raw();
                view! {
                    <tr>
                        <td><strong><UserText text=row.name max=SEGMENT_CHARS /></strong></td>
                        <td class="vl-table__num" data-metric=row.count.metric data-value=raw>{row.count.display}</td>
                        <td class="vl-table__num">{row.customer_share}</td>
                        <td class="vl-table__num">{row.revenue}</td>
                        <td class="vl-table__num">{row.revenue_share}</td>
                        <td class="vl-table__num">{row.mean_recency}</td>
                        <td class="vl-table__num">{row.mean_frequency}</td>
                        <td class="vl-table__num">{row.mean_monetary}</td>
                        <td class="vl-rfm__action"><UserText text=row.action max=ITEM_CHARS /></td>
                    </tr>
                }
            })
            .collect_view()
    };
    // A segment left out of the table (an empty "Other") still has its figure on the page.
    let hidden = move || {
        unlisted
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|c| view! { <span data-metric=c.metric.clone() data-value=c.raw() hidden=true></span> })
            .collect_view()
    };
    let t = move |text: Text| move || state.t(text);
    view! {
        <section class="vl-panel" data-table="rfm-segments">
            <div class="vl-panel__head">
                <h3 class="vl-panel__title">{t(Text::SegmentSummaryTitle)}</h3>
                {move || csv.get().map(|csv| view! { <CsvButton csv=csv /> })}
            </div>
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label=t(Text::SegmentSummaryTitle)>
                <table class="vl-table">
                    <thead><tr>
                        <th>{t(Text::Segment)}</th>
                        <th class="vl-table__num">{t(Text::Customers)}</th>
                        <th class="vl-table__num">{t(Text::CustomerShare)}</th>
                        <th class="vl-table__num">{t(Text::Revenue)}</th>
                        <th class="vl-table__num">{t(Text::RevenueShare)}</th>
                        <th class="vl-table__num">{t(Text::MeanR)}</th>
                        <th class="vl-table__num">{t(Text::MeanF)}</th>
                        <th class="vl-table__num">{t(Text::MeanM)}</th>
                        <th>{t(Text::SuggestedAction)}</th>
                    </tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {hidden}
        </section>
    }
}

/// The thresholds actually used, with the tie warnings.
#[component]
fn ThresholdTable(analysis: Analysis) -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = part(analysis, state.lang, threshold_rows);
    let warnings = part(analysis, state.lang, bin_warnings);
    let body = move || {
        rows.get()
            .unwrap_or_default()
            .into_iter()
            .map(|row| {
                let span = row.ranges.len().to_string();
                let ranges = row
                    .ranges
                    .into_iter()
                    .map(|r| view! { <td class="vl-table__num"><span class="vl-score">{r.score}</span>" "{r.range}" · "{r.customers}</td> })
                    .collect_view();
                let cuts = row
                    .cuts
                    .into_iter()
                    .map(|c| {
                        let raw = c.raw();
                        view! { <span class="vl-cut" data-metric=c.metric data-value=raw>{c.display}</span> }
                    })
                    .collect_view();
                view! {
                    <tr><th>{row.letter}</th>{ranges}</tr>
                    <tr class="vl-cuts-row"><td></td><td colspan=span>{cuts}</td></tr>
                }
            })
            .collect_view()
    };
    let notes = move || {
        warnings
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|w| view! { <p class="vl-note" data-note="uneven-bins">{w}</p> })
            .collect_view()
    };
    view! {
        <section class="vl-panel" data-table="rfm-thresholds">
            <h3 class="vl-panel__title">{move || state.t(Text::ThresholdsTitle)}</h3>
            {notes}
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label=move || state.t(Text::ThresholdsTitle)>
                <table class="vl-table vl-table--compact"><tbody>{body}</tbody></table>
            </div>
        </section>
    }
}

/// The treemap's size: drawn at about the size it is shown in its column, so its labels read
/// at their font size.
const TREEMAP: (u32, u32) = (420, 360);

/// The results of an analysis: facts, tiers, segments, charts, thresholds, scored customers.
#[component]
fn RfmResults(data: Arc<LoadedData>, analysis: Analysis) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let facts = part(analysis, lang, facts);
    let tiers = part(analysis, lang, tier_metrics);
    let heat = part(analysis, lang, |a, lang| {
        heatmap(a, "rf-heatmap", &ChartStyle::new(lang))
    });
    let tree = part(analysis, lang, |a, lang| {
        let (width, height) = TREEMAP;
        treemap(
            a,
            "segment-treemap",
            &ChartStyle {
                lang,
                width,
                height,
            },
        )
    });
    let bars = part(analysis, lang, |a, lang| {
        segment_bars(a, "segment-bars", &ChartStyle::new(lang))
    });
    let histograms = part(analysis, lang, |a, lang| {
        let style = ChartStyle::new(lang);
        [
            histogram(a, Axis::Recency, "histogram-r", &style),
            histogram(a, Axis::Frequency, "histogram-f", &style),
            histogram(a, Axis::Monetary, "histogram-m", &style),
        ]
    });
    let figure = |memo: Memo<Option<crate::present::Figure>>| {
        move || {
            memo.get()
                .map(|figure| view! { <FigureView figure=figure /> })
        }
    };
    // Of many customers, the parts a task each (together one task of about 60 ms at 967,209
    // customers: the scored customers' first page, the charts); of few, at once.
    let staged = Staged::new(5, data.outcome.table.customers.len() < PREPARED_FROM);
    let histograms = move || {
        view! {
            <section class="vl-panel">
                <h3 class="vl-panel__title">{move || state.t(Text::Histograms)}</h3>
                <div class="vl-three-columns">
                    {move || histograms.get().map(|all| all.into_iter().map(|figure| view! { <FigureView figure=figure /> }).collect_view())}
                </div>
            </section>
        }
    };
    view! {
        <p class="vl-facts-line">{move || facts.get()}</p>
        <div class="vl-figures">
            {move || tiers.get().unwrap_or_default().into_iter().map(|m| view! { <MetricCard metric=m /> }).collect_view()}
        </div>
        <SegmentTable analysis=analysis />
        {when(staged.shown(1), move || view! {
            <div class="vl-two-columns">
                <div class="vl-panel">{figure(heat)}</div>
                <div class="vl-panel">{figure(tree)}</div>
            </div>
        })}
        {when(staged.shown(2), move || view! { <div class="vl-panel">{figure(bars)}</div> })}
        {when(staged.shown(2), histograms)}
        {when(staged.shown(3), move || view! { <ThresholdTable analysis=analysis /> })}
        {when(staged.shown(4), move || view! { <ScoredTable data=data.clone() analysis=analysis /> })}
    }
}

/// The RFM view of a loaded data set.
#[component]
pub fn RfmView(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let cluster_data = data.clone();
    let breakdown_data = data.clone();
    let mix_data = data.clone();
    let analysis = expect_context::<Analyses>().rfm;
    let computed = Memo::new(move |_| analysis.with(|a| matches!(a, Some(Ok(_)))));
    let problem = move || {
        let lang = state.lang.get();
        analysis.with(|a| match a {
            Some(Err(error)) => Some(analysis_error(
                error,
                "rfm-no-date",
                Text::RfmNeedsDates,
                lang,
            )),
            _ => None,
        })
    };
    view! {
        <section class="vl-section vl-rfm" data-view-content="rfm">
            <h2 class="vl-section-title">{move || state.t(Text::RfmTitle)}</h2>
            <p class="vl-section-intro">{move || state.t(Text::RfmIntro)}</p>
            <div class="vl-deciles__layout">
                <div class="vl-deciles__main">
                    {problem}
                    <Show when=move || computed.get()>
                        <RfmResults data=data.clone() analysis=analysis />
                    </Show>
                    <Show when=move || computed.get()>
                        <super::breakdown::BreakdownPanel data=breakdown_data.clone() part=super::breakdown::BreakdownPart::Segments />
                    </Show>
                    <Show when=move || computed.get()>
                        <super::mix::MixPanel data=mix_data.clone() part=super::mix::MixPart::Segments />
                    </Show>
                    <RulesEditor />
                    <Show when=move || computed.get()>
                        <super::clusters::ClustersSection data=cluster_data.clone() rfm=analysis />
                    </Show>
                </div>
                <aside class="vl-deciles__aside"><RfmParameters /></aside>
            </div>
        </section>
    }
}
