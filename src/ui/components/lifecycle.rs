//! The lifecycle view (客户生命周期): the relationship KPIs per period with their meanings, the
//! cohorts, the time between purchases with the lapse rule and the customers past it, the
//! customer division, two periods compared (decile movement, valuable customers lost) and the
//! RFM segment migration. `engine::lifecycle` computes, `present::lifecycle` words and draws;
//! this file lays it out, one memo per section, and sends the parameters back to state.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

use super::chart::{CsvButton, CsvLaterButton, FigureView};
use super::metric::MetricCard;
use super::placeholder::analysis_error;
use super::table::Cells;
use super::view_parts::{input_value, part, when, Analysis, Staged};
use crate::charts::ChartStyle;
use crate::engine::calendar::Day;
use crate::engine::lifecycle::{CohortGrain, DateRange, Grain, LapseStatus, LifecycleAnalysis};
use crate::i18n::{error_text, format_number, Lang, Text};
use crate::present::lifecycle::{
    activity, cohort_csv, cohort_curves, cohort_grain_text, cohort_heatmap, cohort_table,
    cohort_value_text, comparison_facts, definitions, division_chart, division_rows, facts,
    gap_histogram, gap_metrics, grain_text, headline, lapsing_csv, lapsing_rows, lost_top_csv,
    lost_top_metrics, lost_top_rows, migration_csv, migration_days, migration_flow,
    migration_table, period_csv, period_rows, ranges, status_rows, transition_chart,
    transition_table, CohortValue, Comparison, MigrationView,
};
use crate::present::{sentence, Figure};
use crate::ui::state::{Analyses, AppState, LifecycleSettings, LoadedData};

/// File names of the CSVs made on click.
const LAPSING_CSV: &str = "lifecycle-at-risk-and-lapsed";
const LOST_CSV: &str = "lifecycle-valuable-customers-lost";
const COHORTS_CSV: &str = "lifecycle-cohorts";

fn figure(memo: Memo<Option<Figure>>) -> impl IntoView {
    move || {
        memo.get()
            .map(|figure| view! { <FigureView figure=figure /> })
    }
}

fn day_value(day: Option<Day>) -> String {
    day.map(Day::iso).unwrap_or_default()
}

/// The parameters: grain, cohorts, partial periods, returns, add-on threshold, lapse and
/// at-risk days, the analysis date, the two periods, the top deciles and the migration days.
#[component]
fn LifecycleParameters() -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    let settings = state.lifecycle;
    let t = move |text: Text| state.t(text);
    let set = move |change: Box<dyn Fn(&mut LifecycleSettings)>| settings.update(|s| change(s));
    let on_grain = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        if let Some(grain) = Grain::ALL.into_iter().find(|g| g.as_str() == value) {
            // The default periods follow the grain.
            set(Box::new(move |s| {
                s.config.grain = grain;
                s.period_a = None;
                s.period_b = None;
            }));
        }
    };
    let on_cohort_grain = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        let grain = if value == "quarter" {
            CohortGrain::Quarter
        } else {
            CohortGrain::Month
        };
        set(Box::new(move |s| s.config.cohort_grain = grain));
    };
    let on_cohort_value = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        let shown = if value == "sales" {
            CohortValue::Sales
        } else {
            CohortValue::Share
        };
        set(Box::new(move |s| s.cohort_value = shown));
    };
    let days = |value: &str| value.trim().parse::<u32>().ok().filter(|&d| d >= 1);
    let on_lapse = move |event: ev::Event| {
        let value = days(&input_value(&event));
        set(Box::new(move |s| s.config.lapse_days = value));
    };
    let on_at_risk = move |event: ev::Event| {
        let value = days(&input_value(&event));
        set(Box::new(move |s| s.config.at_risk_days = value));
    };
    let on_addon = move |event: ev::Event| {
        if let Ok(percent) = input_value(&event).trim().parse::<f64>() {
            set(Box::new(move |s| {
                s.config.addon_threshold = percent / 100.0
            }));
        }
    };
    let on_analysis_day = move |event: ev::Event| {
        let day = Day::parse_iso(&input_value(&event));
        state.rfm_config.update(|c| c.analysis_day = day);
    };
    let on_top = move |event: ev::Event| {
        if let Ok(top) = input_value(&event).trim().parse::<u8>() {
            set(Box::new(move |s| s.top_deciles = top));
        }
    };
    // The two periods as they are used (the defaults until the user changes one date).
    let compared = Memo::new(move |_| {
        let given = settings.get();
        analyses.lifecycle.with(|a| match a {
            Some(Ok(a)) => ranges(a, &given),
            _ => None,
        })
    });
    let effective = move || {
        settings.with(|s| match (s.period_a, s.period_b) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => compared.get(),
        })
    };
    let range_input = move |which: usize| {
        move |event: ev::Event| {
            let Some(day) = Day::parse_iso(&input_value(&event)) else {
                return;
            };
            let Some((mut a, mut b)) = effective() else {
                let range = DateRange {
                    first: day,
                    last: day,
                };
                set(Box::new(move |s| {
                    s.period_a = Some(range);
                    s.period_b = Some(range);
                }));
                return;
            };
            match which {
                0 => a.first = day,
                1 => a.last = day,
                2 => b.first = day,
                _ => b.last = day,
            }
            set(Box::new(move |s| {
                s.period_a = Some(a);
                s.period_b = Some(b);
            }));
        }
    };
    let range_value = move |which: usize| {
        move || {
            effective()
                .map(|(a, b)| match which {
                    0 => a.first,
                    1 => a.last,
                    2 => b.first,
                    _ => b.last,
                })
                .map(Day::iso)
                .unwrap_or_default()
        }
    };
    let migration_on = Memo::new(move |_| {
        let given = settings.get();
        analyses.lifecycle.with(|a| match a {
            Some(Ok(a)) => Some(migration_days(a, &given)),
            _ => None,
        })
    });
    let on_migration = move |which: usize| {
        move |event: ev::Event| {
            let day = Day::parse_iso(&input_value(&event));
            set(Box::new(move |s| {
                if which == 0 {
                    s.migration_first = day
                } else {
                    s.migration_second = day
                }
            }));
        }
    };
    let migration_value = move |which: usize| {
        move || {
            let given = settings.with(|s| {
                if which == 0 {
                    s.migration_first
                } else {
                    s.migration_second
                }
            });
            day_value(given.or_else(|| {
                migration_on
                    .get()
                    .map(|(a, b)| if which == 0 { a } else { b })
            }))
        }
    };
    let suggested = Memo::new(move |_| {
        analyses.lifecycle.with(|a| match a {
            Some(Ok(a)) => (
                a.lapse.suggested_lapse_days,
                a.lapse.inter_purchase.q3.map(|q| q.ceil() as u32),
            ),
            _ => (None, None),
        })
    });
    let placeholder = move |days: Option<u32>| {
        days.map(|d| sentence(state.t(Text::LcSuggestedPlaceholder), &[d.to_string()]))
            .unwrap_or_default()
    };
    let grain_options = move || {
        let lang = state.lang.get();
        Grain::ALL
            .into_iter()
            .map(|g| {
                view! {
                    <option value=g.as_str() selected=move || settings.with(|s| s.config.grain == g)>{grain_text(g).get(lang)}</option>
                }
            })
            .collect_view()
    };
    view! {
        <details class="vl-panel vl-params" open data-panel="lifecycle-parameters">
            <summary class="vl-panel__title">{move || t(Text::Parameters)}</summary>
            <div class="vl-params__grid">
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::LcParamGrain)}</span>
                    <select class="vl-select" data-param="period_grain" on:change=on_grain>{grain_options}</select>
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamAnalysisDate)}</span>
                    <input class="vl-select" type="date" data-param="analysis_day"
                        prop:value=move || state.rfm_config.with(|c| day_value(c.analysis_day)) on:change=on_analysis_day />
                </label>
                <label class="vl-field vl-field--check">
                    <input type="checkbox" data-param="include_partial"
                        prop:checked=move || settings.with(|s| s.config.include_partial)
                        on:change=move |e: ev::Event| {
                            let on = event_target::<HtmlInputElement>(&e).checked();
                            set(Box::new(move |s| s.config.include_partial = on));
                        } />
                    <span>{move || t(Text::LcParamIncludePartial)}</span>
                </label>
                <label class="vl-field vl-field--check">
                    <input type="checkbox" data-param="returns_count_as_activity"
                        prop:checked=move || settings.with(|s| s.config.returns_count_as_activity)
                        on:change=move |e: ev::Event| {
                            let on = event_target::<HtmlInputElement>(&e).checked();
                            set(Box::new(move |s| s.config.returns_count_as_activity = on));
                        } />
                    <span>{move || t(Text::LcParamReturnsActivity)}</span>
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameCohortGrain)}</span>
                    <select class="vl-select" data-param="cohort_grain" on:change=on_cohort_grain>
                        <option value="month" selected=move || settings.with(|s| s.config.cohort_grain == CohortGrain::Month)>{move || cohort_grain_text(CohortGrain::Month).get(state.lang.get())}</option>
                        <option value="quarter" selected=move || settings.with(|s| s.config.cohort_grain == CohortGrain::Quarter)>{move || cohort_grain_text(CohortGrain::Quarter).get(state.lang.get())}</option>
                    </select>
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::LcParamCohortValue)}</span>
                    <select class="vl-select" data-param="cohort_value" on:change=on_cohort_value>
                        <option value="share" selected=move || settings.with(|s| s.cohort_value == CohortValue::Share)>{move || t(cohort_value_text(CohortValue::Share))}</option>
                        <option value="sales" selected=move || settings.with(|s| s.cohort_value == CohortValue::Sales)>{move || t(cohort_value_text(CohortValue::Sales))}</option>
                    </select>
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameAddonThreshold)}" (%)"</span>
                    <input class="vl-select" type="number" min="1" max="1000" step="1" data-param="addon_threshold"
                        prop:value=move || settings.with(|s| format!("{}", (s.config.addon_threshold * 100.0 * 1e6).round() / 1e6))
                        on:change=on_addon />
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameLapseDays)}</span>
                    <input class="vl-select" type="number" min="1" step="1" data-param="lapse_days"
                        placeholder=move || placeholder(suggested.get().0)
                        prop:value=move || settings.with(|s| s.config.lapse_days.map(|d| d.to_string()).unwrap_or_default())
                        on:change=on_lapse />
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameAtRiskDays)}</span>
                    <input class="vl-select" type="number" min="1" step="1" data-param="at_risk_days"
                        placeholder=move || placeholder(suggested.get().1)
                        prop:value=move || settings.with(|s| s.config.at_risk_days.map(|d| d.to_string()).unwrap_or_default())
                        on:change=on_at_risk />
                </label>
            </div>
            <h4 class="vl-params__heading">{move || t(Text::LcComparisonTitle)}</h4>
            <p class="vl-note">{move || t(Text::LcComparisonDefault)}</p>
            <div class="vl-params__grid">
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNamePeriodAStart)}</span>
                    <input class="vl-select" type="date" data-param="period_a_start" prop:value=range_value(0) on:change=range_input(0) />
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNamePeriodAEnd)}</span>
                    <input class="vl-select" type="date" data-param="period_a_end" prop:value=range_value(1) on:change=range_input(1) />
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNamePeriodBStart)}</span>
                    <input class="vl-select" type="date" data-param="period_b_start" prop:value=range_value(2) on:change=range_input(2) />
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNamePeriodBEnd)}</span>
                    <input class="vl-select" type="date" data-param="period_b_end" prop:value=range_value(3) on:change=range_input(3) />
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameTopDeciles)}</span>
                    <input class="vl-select" type="number" min="1" max="10" step="1" data-param="top_deciles"
                        prop:value=move || settings.with(|s| s.top_deciles.to_string()) on:change=on_top />
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameMigrationFirstDay)}</span>
                    <input class="vl-select" type="date" data-param="migration_first_day" prop:value=migration_value(0) on:change=on_migration(0) />
                </label>
                <label class="vl-field">
                    <span class="vl-field__label">{move || t(Text::ParamNameMigrationSecondDay)}</span>
                    <input class="vl-select" type="date" data-param="migration_second_day" prop:value=migration_value(1) on:change=on_migration(1) />
                </label>
            </div>
            <button class="vl-button vl-button--small" type="button" data-action="reset-lifecycle-parameters"
                on:click=move |_| {
                    settings.set(LifecycleSettings::default());
                    state.rfm_config.update(|c| c.analysis_day = None);
                }>
                {move || t(Text::ResetDefaults)}
            </button>
        </details>
    }
}

/// An error of one section, worded.
fn problem<T: Send + Sync + 'static>(analysis: Analysis<T>, lang: RwSignal<Lang>) -> impl IntoView {
    move || {
        let lang = lang.get();
        analysis.with(|a| match a {
            Some(Err(error)) => Some(view! {
                <p class="vl-status vl-status--error" role="alert">{error_text(error, lang)}</p>
            }),
            _ => None,
        })
    }
}

/// Heights of the taller charts: the cohort heatmap grows with its cohorts.
fn cohort_style(analysis: &LifecycleAnalysis, lang: Lang) -> ChartStyle {
    let rows = analysis.cohorts.cohorts.len() as u32;
    ChartStyle {
        lang,
        width: 760,
        height: (110 + 22 * rows).clamp(300, 1_400),
    }
}

fn tall(lang: Lang, height: u32) -> ChartStyle {
    ChartStyle {
        lang,
        width: 760,
        height,
    }
}

/// KPIs, the period table and chart.
#[component]
fn PeriodsSection(analysis: Analysis<LifecycleAnalysis>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let facts = part(analysis, lang, facts);
    let cards = part(analysis, lang, headline);
    let chart = part(analysis, lang, |a, lang| {
        activity(a, "lc-activity", &ChartStyle::new(lang))
    });
    let table = part(analysis, lang, |a, lang| period_rows(&a.series, true, lang));
    let csv = part(analysis, lang, |a, lang| {
        period_csv(&a.series, "lifecycle-periods", lang)
    });
    let meanings = move || {
        definitions(lang.get())
            .into_iter()
            .map(|(term, meaning)| view! { <dt>{term}</dt><dd>{meaning}</dd> })
            .collect_view()
    };
    view! {
        <p class="vl-facts-line" data-facts="lifecycle">{move || facts.get()}</p>
        <div class="vl-figures">
            {move || {
                let cards = cards.get().unwrap_or_default();
                if cards.is_empty() {
                    view! { <p class="vl-note" data-note="lc-no-rates">{state.t(Text::LcNoRates)}</p> }.into_any()
                } else {
                    cards.into_iter().map(|m| view! { <MetricCard metric=m /> }).collect_view().into_any()
                }
            }}
        </div>
        <details class="vl-panel" open data-panel="lc-definitions">
            <summary class="vl-panel__title">{move || state.t(Text::LcDefinitionsTitle)}</summary>
            <dl class="vl-definitions">{meanings}</dl>
        </details>
        <section class="vl-panel" data-section="lc-periods">
            <h3 class="vl-panel__title">{move || state.t(Text::LcPeriodsTitle)}</h3>
            {figure(chart)}
            {move || table.get().map(|t| view! { <Cells table=t name="lc-periods" label=state.t(Text::LcPeriodsTitle).to_string() /> })}
            {move || csv.get().map(|csv| view! { <CsvButton csv=csv /> })}
        </section>
    }
}

/// The cohort heatmap, curves and table.
#[component]
fn CohortsSection(analysis: Analysis<LifecycleAnalysis>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let value = Memo::new(move |_| state.lifecycle.with(|s| s.cohort_value));
    let with_value = move |make: fn(&LifecycleAnalysis, CohortValue, Lang) -> Figure| {
        Memo::new(move |_| {
            let (lang, value) = (lang.get(), value.get());
            analysis.with(|a| match a {
                Some(Ok(a)) => Some(make(a, value, lang)),
                _ => None,
            })
        })
    };
    let heat = with_value(|a, v, lang| cohort_heatmap(a, v, "lc-cohorts", &cohort_style(a, lang)));
    let curves = with_value(|a, v, lang| cohort_curves(a, v, "lc-curves", &ChartStyle::new(lang)));
    let table = Memo::new(move |_| {
        let (lang, value) = (lang.get(), value.get());
        analysis.with(|a| match a {
            Some(Ok(a)) => Some(cohort_table(a, value, lang)),
            _ => None,
        })
    });
    // The CSV (every cell's figures, formatted) is made when it is asked for.
    let make_csv: Arc<dyn Fn() -> Option<crate::present::Csv> + Send + Sync> =
        Arc::new(move || {
            let lang = lang.get_untracked();
            analysis.with_untracked(|a| match a {
                Some(Ok(a)) => Some(cohort_csv(a, COHORTS_CSV, lang)),
                _ => None,
            })
        });
    // The heat map, the curves and the table (a cell with its figure for every cohort and
    // period) are each a task of 15–40 ms from a few years of cohorts: one after the other, the
    // first a task after the section's own (at ten million rows, with the other sections of
    // the analysis, one task of 70 ms).
    let staged = Staged::new(4, false);
    let cells = move || {
        table.get().map(|t| view! { <Cells table=t name="lc-cohorts" label=state.t(Text::LcCohortsTitle).to_string() /> })
    };
    view! {
        <section class="vl-panel" data-section="lc-cohorts">
            <h3 class="vl-panel__title">{move || state.t(Text::LcCohortsTitle)}</h3>
            {when(staged.shown(1), move || figure(heat))}
            {when(staged.shown(2), move || figure(curves))}
            {when(staged.shown(3), cells)}
            <CsvLaterButton file=COHORTS_CSV.to_string() make=make_csv />
        </section>
    }
}

/// Inter-purchase times, the lapse rule and the customers past it.
#[component]
fn LapseSection(data: Arc<LoadedData>, analysis: Analysis<LifecycleAnalysis>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let metrics = part(analysis, lang, gap_metrics);
    let chart = part(analysis, lang, |a, lang| {
        gap_histogram(a, "lc-gaps", &ChartStyle::new(lang))
    });
    let statuses = part(analysis, lang, status_rows);
    let list = |status: LapseStatus, title: Text, name: &'static str| {
        let data = data.clone();
        let rows = part(analysis, lang, move |a, lang| {
            lapsing_rows(a, &data.outcome.table, status, lang)
        });
        move || {
            rows.get().map(|(table, more)| {
                let empty = table.rows.is_empty();
                view! {
                    <h4 class="vl-panel__subtitle">{state.t(title)}</h4>
                    {if empty {
                        view! { <p class="vl-note">{state.t(Text::LcNoneListed)}</p> }.into_any()
                    } else {
                        view! { <Cells table=table name=name label=state.t(title).to_string() /> }.into_any()
                    }}
                    {(more > 0).then(|| view! { <p class="vl-note">{sentence(state.t(Text::LcMoreInCsv), &[more.to_string()])}</p> })}
                }
            })
        }
    };
    let at_risk = list(LapseStatus::AtRisk, Text::LcAtRiskList, "lc-at-risk");
    let lapsed = list(LapseStatus::Lapsed, Text::LcLapsedList, "lc-lapsed");
    let csv_data = data.clone();
    let make_csv: Arc<dyn Fn() -> Option<crate::present::Csv> + Send + Sync> =
        Arc::new(move || {
            let lang = lang.get_untracked();
            analysis.with_untracked(|a| match a {
                Some(Ok(a)) => Some(lapsing_csv(a, &csv_data.outcome.table, LAPSING_CSV, lang)),
                _ => None,
            })
        });
    view! {
        <section class="vl-panel" data-section="lc-lapse">
            <h3 class="vl-panel__title">{move || state.t(Text::LcLapseTitle)}</h3>
            <div class="vl-figures">
                {move || metrics.get().unwrap_or_default().into_iter().map(|m| view! { <MetricCard metric=m /> }).collect_view()}
            </div>
            {figure(chart)}
            {move || statuses.get().map(|t| view! { <Cells table=t name="lc-status" label=state.t(Text::LcLapseTitle).to_string() /> })}
            {at_risk}
            {lapsed}
            <CsvLaterButton file=LAPSING_CSV.to_string() make=make_csv />
        </section>
    }
}

/// New/old, key/scattered, one-time/repeat.
#[component]
fn DivisionSection(analysis: Analysis<LifecycleAnalysis>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let chart = part(analysis, lang, |a, lang| {
        division_chart(a, "lc-division", &tall(lang, 300))
    });
    let table = part(analysis, lang, division_rows);
    view! {
        <section class="vl-panel" data-section="lc-division">
            <h3 class="vl-panel__title">{move || state.t(Text::LcDivisionTitle)}</h3>
            {figure(chart)}
            {move || table.get().map(|t| view! { <Cells table=t name="lc-division" label=state.t(Text::LcDivisionTitle).to_string() /> })}
        </section>
    }
}

/// Two periods compared: their figures, the decile movement, the valuable customers lost.
#[component]
fn ComparisonSection(data: Arc<LoadedData>, comparison: Analysis<Comparison>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let facts = part(comparison, lang, |c, lang| {
        comparison_facts(c.a, c.b, c.movement.top_deciles, lang)
    });
    let periods = part(comparison, lang, |c, lang| {
        period_rows(&c.series, false, lang)
    });
    let chart = part(comparison, lang, |c, lang| {
        transition_chart(&c.movement, "lc-transition", &tall(lang, 520))
    });
    let matrix = part(comparison, lang, |c, lang| {
        transition_table(&c.movement, lang)
    });
    let lost_metrics = part(comparison, lang, |c, lang| {
        lost_top_metrics(&c.movement, lang)
    });
    let rows_data = data.clone();
    let lost = part(comparison, lang, move |c, lang| {
        lost_top_rows(&c.movement, &rows_data.outcome.table, lang)
    });
    let make_csv: Arc<dyn Fn() -> Option<crate::present::Csv> + Send + Sync> =
        Arc::new(move || {
            let lang = lang.get_untracked();
            comparison.with_untracked(|c| match c {
                Some(Ok(c)) => Some(lost_top_csv(
                    &c.movement,
                    &data.outcome.table,
                    LOST_CSV,
                    lang,
                )),
                _ => None,
            })
        });
    // The periods, the transition (its chart and matrix) and the lost top customers, one task
    // after another: together, with the answer's arrival, one task of 50–60 ms at ten million
    // rows.
    let staged = Staged::new(3, false);
    let transition = staged.shown(1);
    let lost_part = move || {
        view! {
            <div class="vl-figures">
                {move || lost_metrics.get().unwrap_or_default().into_iter().map(|m| view! { <MetricCard metric=m /> }).collect_view()}
            </div>
            {move || lost.get().map(|(table, more)| view! {
                <Cells table=table name="lc-lost-top" label=state.t(Text::LcLostTopTitle).to_string() />
                {(more > 0).then(|| view! { <p class="vl-note">{sentence(state.t(Text::LcMoreInCsv), &[more.to_string()])}</p> })}
            })}
        }
    };
    view! {
        <section class="vl-panel" data-section="lc-comparison">
            <h3 class="vl-panel__title">{move || state.t(Text::LcComparisonTitle)}</h3>
            {problem(comparison, lang)}
            <p class="vl-facts-line">{move || facts.get()}</p>
            {move || periods.get().map(|t| view! { <Cells table=t name="lc-comparison" label=state.t(Text::LcComparisonTitle).to_string() /> })}
            {when(transition, move || figure(chart))}
            {when(transition, move || matrix.get().map(|t| view! { <Cells table=t name="lc-transition" label=state.t(Text::LcTransitionTitle).to_string() /> }))}
            <h4 class="vl-panel__subtitle">{move || state.t(Text::LcLostTopTitle)}</h4>
            {when(staged.shown(2), lost_part)}
            <CsvLaterButton file=LOST_CSV.to_string() make=make_csv />
        </section>
    }
}

/// The RFM segment migration between two analysis dates.
#[component]
fn MigrationSection(migration: Analysis<MigrationView>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let chart = part(migration, lang, |m, lang| {
        migration_flow(
            &m.migration,
            m.first,
            m.second,
            "lc-migration",
            &tall(lang, 460),
        )
    });
    let table = part(migration, lang, |m, lang| {
        migration_table(&m.migration, lang)
    });
    let csv = part(migration, lang, |m, lang| {
        migration_csv(&m.migration, "lifecycle-segment-migration", lang)
    });
    view! {
        <section class="vl-panel" data-section="lc-migration">
            <h3 class="vl-panel__title">{move || state.t(Text::LcMigrationTitle)}</h3>
            <p class="vl-note">{move || state.t(Text::LcMigrationFacts)}</p>
            {problem(migration, lang)}
            {figure(chart)}
            {move || table.get().map(|t| view! { <Cells table=t name="lc-migration" label=state.t(Text::LcMigrationTitle).to_string() /> })}
            {move || csv.get().map(|csv| view! { <CsvButton csv=csv /> })}
        </section>
    }
}

/// The view's sections, one task after another (all of them together are one task of
/// 70–140 ms from a few years of monthly cohorts, whatever the number of customers), each built
/// once.
#[component]
fn Sections(data: Arc<LoadedData>, analysis: Analysis<LifecycleAnalysis>) -> impl IntoView {
    let staged = Staged::new(5, false);
    let lapse = {
        let data = data.clone();
        move || view! { <LapseSection data=data.clone() analysis=analysis /> }
    };
    view! {
        <PeriodsSection analysis=analysis />
        {when(staged.shown(1), move || view! { <CohortsSection analysis=analysis /> })}
        {when(staged.shown(2), lapse)}
        {when(staged.shown(3), move || view! { <DivisionSection analysis=analysis /> })}
        {when(staged.shown(4), move || view! { <LaterSections data=data.clone() /> })}
    }
}

/// The comparison and the migration, each once the analysis worker has sent it.
#[component]
fn LaterSections(data: Arc<LoadedData>) -> impl IntoView {
    let analyses = expect_context::<Analyses>();
    let (comparison, migration) = (analyses.comparison, analyses.migration);
    // The two come in one answer; the migration (a flow chart and its table) a task later.
    let migration_shown = Staged::new(2, false).shown(1);
    view! {
        <Show when=move || comparison.with(Option::is_some)>
            <ComparisonSection data=data.clone() comparison=comparison />
        </Show>
        <Show when=move || migration_shown.get() && migration.with(Option::is_some)>
            <MigrationSection migration=migration />
        </Show>
    }
}

/// While the analysis worker computes: a progress bar, how far it is, and Cancel; after a
/// Cancel: Compute again.
#[component]
fn LifecycleStatus() -> impl IntoView {
    let state = expect_context::<AppState>();
    let tick = RwSignal::new(0u32);
    let handle = set_interval_with_handle(
        move || tick.update(|t| *t += 1),
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(handle) = handle {
            handle.clear();
        }
    });
    move || {
        let lang = state.lang.get();
        let (running, cancelled, done) = state
            .lifecycle_run
            .with(|r| (r.running, r.cancelled, r.results()));
        if let Some((started, customers)) = running {
            tick.track();
            let seconds = ((js_sys::Date::now() - started) / 1000.0).max(0.0).floor();
            return Some(view! {
                <div class="vl-status" role="status" data-lc-status="running">
                    <progress class="vl-progress" max="3" value=done.to_string()
                        aria-label=Text::LcTitle.get(lang)></progress>
                    <p>{sentence(Text::LcRunning.get(lang), &[format_number(customers as f64, 0), done.to_string(), format!("{seconds}")])}</p>
                    <button class="vl-button vl-button--small" type="button" data-action="cancel-lifecycle"
                        on:click=move |_| {
                            state.lifecycle_run.update(|r| r.cancelled = true);
                            state.lifecycle_wanted.set(false);
                        }>
                        {Text::LcCancel.get(lang)}
                    </button>
                </div>
            }.into_any());
        }
        cancelled.then(|| {
            view! {
            <div class="vl-status" role="status" data-lc-status="cancelled">
                <p>{Text::LcCancelled.get(lang)}</p>
                <button class="vl-button vl-button--small" type="button" data-action="run-lifecycle"
                    on:click=move |_| state.lifecycle_wanted.set(true)>
                    {Text::LcRunAgain.get(lang)}
                </button>
            </div>
        }.into_any()
        })
    }
}

/// The lifecycle view of a loaded data set.
#[component]
pub fn LifecycleView(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let analyses = expect_context::<Analyses>();
    let analysis = analyses.lifecycle;
    let has_history = data.history().is_some();
    let computed = Memo::new(move |_| analysis.with(|a| matches!(a, Some(Ok(_)))));
    // The analyses run in the analysis worker while this view (or the report) is open.
    state.want_lifecycle();
    let summary_input = data.outcome.report.settings.summary.is_some();
    let trouble = move || {
        let lang = state.lang.get();
        // Issue 17: a per-customer summary has the first and last purchase, not the days between.
        if summary_input {
            return Some(
                view! { <p class="vl-note" data-note="summary-limited">{Text::SumLimitedLifecycle.get(lang)}</p> }
                    .into_any(),
            );
        }
        if !has_history {
            return Some(
                view! { <p class="vl-note" data-note="lc-needs-history">{Text::LcNeedsHistory.get(lang)}</p> }
                    .into_any(),
            );
        }
        analysis.with(|a| match a {
            Some(Err(error)) => Some(analysis_error(
                error,
                "lc-no-date",
                Text::LcNeedsDates,
                lang,
            )),
            _ => None,
        })
    };
    view! {
        <section class="vl-section vl-lifecycle" data-view-content="lifecycle">
            <h2 class="vl-section-title">{move || state.t(Text::LcTitle)}</h2>
            <p class="vl-section-intro">{move || state.t(Text::LcIntro)}</p>
            <div class="vl-deciles__layout">
                <div class="vl-deciles__main"
                    aria-busy=move || state.lifecycle_run.with(|r| r.running.is_some()).to_string()>
                    {trouble}
                    <LifecycleStatus />
                    <Show when=move || computed.get()>
                        <Sections data=data.clone() analysis=analysis />
                    </Show>
                </div>
                <aside class="vl-deciles__aside"><LifecycleParameters /></aside>
            </div>
        </section>
    }
}
