//! What the CLV and prediction view (客户价值预测) and its report section show, from a
//! [`ClvAnalysis`] and the language: the facts line, the headline figures, the fitted
//! parameters with their meaning and standard errors, convergence and the Gamma-Gamma
//! assumption, the backtest (per calibration-frequency group and the weekly tracking), the
//! P(alive) distribution, CLV deciles, CLV by RFM segment, the customers (sortable,
//! searchable, `p_alive:<id>` on screen), the likely-lost high-value customers, CSVs, the report
//! sentence and the method note. Pure: the view and the report only lay it out.

use crate::a11y::ChartTable;
use crate::charts::clv::{
    render_backtest_svg, render_p_alive_svg, render_tracking_svg, render_value_deciles_svg,
    AliveWords, BacktestWords, FrequencyBar, TrackingPoint, TrackingWords, ValueBar, ValueWords,
};
use crate::charts::ChartStyle;
use crate::display::{isolated, ID_CHARS, SEGMENT_CHARS};
use crate::engine::clv::{
    ranked_by_clv, ClvAnalysis, CustomerScore, TimeUnit, ValueBasis, ValueDecile, LAST_GROUP,
};
use crate::engine::customers::CustomerTable;
use crate::engine::numeric::{ascending_bits, from_ascending_bits, kth_smallest};
use crate::engine::rfm::RfmAnalysis;
use crate::engine::table::page_of;
use crate::i18n::{format_date, format_money, format_number, format_percent, Lang, Text};

use super::report::Note;
use super::rfm::segment_name;
use super::{number, sentence, Cell, CellTable, Csv, Figure, Metric, Notice};

/// Customers listed on screen in the likely-lost list (the CSV has them all).
pub const LISTED: usize = 25;
/// Customers per page of the customer table.
pub const PAGE_SIZE: usize = 25;
/// "Likely lost": P(alive) below this.
pub const LOST_P_ALIVE: f64 = 0.5;
/// "High value": past net sales in the top fifth of the model's customers.
pub const HIGH_VALUE_SHARE: f64 = 0.2;

fn t(text: Text, lang: Lang) -> String {
    text.get(lang).to_string()
}

fn unit_text(unit: TimeUnit) -> Text {
    match unit {
        TimeUnit::Day => Text::ClvUnitDay,
        TimeUnit::Week => Text::ClvUnitWeek,
        TimeUnit::Month => Text::ClvUnitMonth,
    }
}

/// The word of a time unit ("week").
pub fn unit_word(unit: TimeUnit, lang: Lang) -> &'static str {
    unit_text(unit).get(lang)
}

fn basis_text(basis: ValueBasis) -> Text {
    match basis {
        ValueBasis::Sales => Text::ClvBasisSales,
        ValueBasis::Margin => Text::ClvBasisMargin,
    }
}

fn customer_id(table: &CustomerTable, index: u32) -> &str {
    table
        .customers
        .get(index as usize)
        .map_or("", |c| c.id.as_str())
}

fn sales_of(table: &CustomerTable, index: u32) -> f64 {
    table.customers.get(index as usize).map_or(0.0, |c| c.sales)
}

fn probability(p: f64) -> String {
    if p.is_finite() {
        format_percent(p, 1)
    } else {
        "–".into()
    }
}

fn decimal(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format_number(v, decimals)
    } else {
        "–".into()
    }
}

fn money(v: f64) -> String {
    if v.is_finite() {
        format_money(v)
    } else {
        "–".into()
    }
}

/// The facts line: calibration and holdout, unit, value basis, what a purchase is, who is in
/// the model.
pub fn facts(a: &ClvAnalysis, lang: Lang) -> String {
    let holdout = match &a.backtest {
        Some(b) => sentence(
            Text::ClvFactsHoldout.get(lang),
            &[
                format_date(a.calibration_end, lang),
                format_date(a.analysis_day, lang),
                decimal(b.holdout_length, 1),
                unit_word(a.config.unit, lang).into(),
            ],
        ),
        None => t(Text::ClvFactsNoHoldout, lang),
    };
    sentence(
        Text::ClvFacts.get(lang),
        &[
            format_date(a.calibration_end, lang),
            holdout,
            unit_word(a.config.unit, lang).into(),
            t(basis_text(a.basis), lang),
            format_number(a.customers as f64, 0),
            format_number(a.bgnbd.repeaters as f64, 0),
            format_number(a.returns_only as f64, 0),
            format_number(a.later as f64, 0),
        ],
    )
}

/// The headline figures: `clv_total`, `clv_expected_purchases`, `clv_customers`,
/// `p_alive_mean`, and with a holdout `holdout_actual`, `holdout_predicted`,
/// `holdout_error`.
pub fn headline(a: &ClvAnalysis, lang: Lang) -> Vec<Metric> {
    let horizon = sentence(
        Text::ClvOverHorizon.get(lang),
        &[
            a.config.horizon.to_string(),
            unit_word(a.config.unit, lang).into(),
        ],
    );
    let mean_alive = if a.scores.is_empty() {
        f64::NAN
    } else {
        a.scores.iter().map(|s| s.p_alive).sum::<f64>() / a.scores.len() as f64
    };
    let mut cards = vec![
        Metric::new(
            "clv_total",
            Text::ClvTotal.get(lang),
            a.clv_total,
            money(a.clv_total),
        )
        .note(sentence(
            Text::ClvTotalNote.get(lang),
            &[
                horizon.clone(),
                format_percent(a.config.discount_rate, 1),
                t(basis_text(a.basis), lang),
            ],
        )),
        Metric::new(
            "clv_expected_purchases",
            Text::ClvExpectedPurchasesTotal.get(lang),
            a.expected_purchases_total,
            decimal(a.expected_purchases_total, 0),
        )
        .note(horizon),
        Metric::count(
            "clv_customers",
            Text::ClvCustomers.get(lang),
            a.customers as u64,
        ),
        Metric::new(
            "p_alive_mean",
            Text::ClvMeanPAlive.get(lang),
            mean_alive,
            probability(mean_alive),
        ),
    ];
    if let Some(b) = &a.backtest {
        let error = b.percent_error.unwrap_or(f64::NAN);
        cards.push(Metric::new(
            "holdout_actual",
            Text::ClvHoldoutActual.get(lang),
            b.actual,
            decimal(b.actual, 0),
        ));
        cards.push(
            Metric::new(
                "holdout_predicted",
                Text::ClvHoldoutPredicted.get(lang),
                b.predicted,
                decimal(b.predicted, 1),
            )
            .note(sentence(
                Text::ClvHoldoutErrorNote.get(lang),
                &[
                    if error.is_finite() {
                        format!(
                            "{}{}",
                            if error > 0.0 { "+" } else { "" },
                            format_percent(error, 1)
                        )
                    } else {
                        "–".into()
                    },
                    decimal(b.mae, 2),
                ],
            )),
        );
        let tone = if error.abs() > 0.2 {
            Some("warn")
        } else {
            None
        };
        let mut card = Metric::new(
            "holdout_error",
            Text::ClvHoldoutError.get(lang),
            error,
            if error.is_finite() {
                format_percent(error, 1)
            } else {
                "–".into()
            },
        );
        if let Some(tone) = tone {
            card = card.tone(tone).note(t(Text::ClvHoldoutErrorWarn, lang));
        }
        cards.push(card);
    }
    cards
}

/// The parameters in plain words: (term, meaning).
pub fn meanings(lang: Lang) -> Vec<(String, String)> {
    [
        (Text::ClvTermPurchase, Text::ClvDefPurchase),
        (Text::ClvTermR, Text::ClvDefR),
        (Text::ClvTermAB, Text::ClvDefAB),
        (Text::ClvTermGg, Text::ClvDefGg),
        (Text::ClvTermPAlive, Text::ClvDefPAlive),
        (Text::ClvTermClv, Text::ClvDefClv),
    ]
    .into_iter()
    .map(|(term, meaning)| (t(term, lang), t(meaning, lang)))
    .collect()
}

fn se(errors: Option<&[f64]>, k: usize) -> String {
    errors
        .and_then(|e| e.get(k))
        .filter(|v| v.is_finite())
        .map_or_else(|| "–".into(), |v| format_number(*v, 4))
}

/// The fitted parameters: model, parameter, estimate (`bgnbd_*`, `gg_*`), standard error, what
/// it means.
pub fn fit_rows(a: &ClvAnalysis, lang: Lang) -> CellTable {
    let b = &a.bgnbd.params;
    let g = &a.gamma_gamma.params;
    let bse = a.bgnbd.standard_errors.as_ref().map(|e| e.as_slice());
    let gse = a.gamma_gamma.standard_errors.as_ref().map(|e| e.as_slice());
    let rows: [(&str, &str, &'static str, f64, String, Text); 9] = [
        ("BG/NBD", "r", "bgnbd_r", b.r, se(bse, 0), Text::ClvParamR),
        (
            "BG/NBD",
            "α",
            "bgnbd_alpha",
            b.alpha,
            se(bse, 1),
            Text::ClvParamAlpha,
        ),
        ("BG/NBD", "a", "bgnbd_a", b.a, se(bse, 2), Text::ClvParamA),
        ("BG/NBD", "b", "bgnbd_b", b.b, se(bse, 3), Text::ClvParamB),
        (
            "BG/NBD",
            "LL",
            "bgnbd_ll",
            a.bgnbd.log_likelihood,
            "".into(),
            Text::ClvParamLl,
        ),
        ("Gamma-Gamma", "p", "gg_p", g.p, se(gse, 0), Text::ClvParamP),
        ("Gamma-Gamma", "q", "gg_q", g.q, se(gse, 1), Text::ClvParamQ),
        (
            "Gamma-Gamma",
            "γ",
            "gg_v",
            g.gamma,
            se(gse, 2),
            Text::ClvParamV,
        ),
        (
            "Gamma-Gamma",
            "LL",
            "gg_ll",
            a.gamma_gamma.log_likelihood,
            "".into(),
            Text::ClvParamLl,
        ),
    ];
    let mut out = CellTable {
        header: [
            Text::ClvParameter,
            Text::ClvEstimate,
            Text::ClvStandardError,
        ]
        .into_iter()
        .map(|h| t(h, lang))
        .collect(),
        ..CellTable::default()
    };
    for (model, name, metric, value, error, meaning) in rows {
        out.rows.push(vec![
            Cell::text(format!("{model} {name}")).detail(Some(t(meaning, lang))),
            Cell::figure(metric.into(), Some(value), decimal(value, 4)),
            Cell::text(error),
        ]);
        out.marked.push(false);
    }
    out
}

/// Convergence, the standard errors, the Gamma-Gamma assumption, customers left out.
pub fn fit_notes(a: &ClvAnalysis, lang: Lang) -> Vec<Notice> {
    let mut notes = vec![Notice::new(
        "clv-convergence",
        sentence(
            Text::ClvConverged.get(lang),
            &[
                a.bgnbd.starts_agreeing.to_string(),
                a.bgnbd.starts.to_string(),
                format_number(a.bgnbd.tuples as f64, 0),
                format_number(a.bgnbd.customers as f64, 0),
                a.gamma_gamma.starts_agreeing.to_string(),
                a.gamma_gamma.starts.to_string(),
            ],
        ),
    )];
    if let Some(q) = a.bgnbd.common_dropout {
        notes.push(Notice::new(
            "clv-common-dropout",
            sentence(Text::ClvCommonDropout.get(lang), &[format_percent(q, 2)]),
        ));
    } else if a.bgnbd.standard_errors.is_none() || a.gamma_gamma.standard_errors.is_none() {
        notes.push(Notice::new("clv-no-se", t(Text::ClvNoStandardErrors, lang)));
    }
    let gg = &a.gamma_gamma;
    let correlation = gg
        .correlation
        .map_or_else(|| "–".into(), |r| format_number(r, 3));
    let text = if gg.correlation_warning {
        Text::ClvCorrelationWarn
    } else {
        Text::ClvCorrelationOk
    };
    notes.push(Notice::new(
        if gg.correlation_warning {
            "clv-correlation-warning"
        } else {
            "clv-correlation"
        },
        sentence(
            text.get(lang),
            &[correlation, format_number(gg.customers as f64, 0)],
        ),
    ));
    if gg.non_positive > 0 {
        notes.push(Notice::new(
            "clv-non-positive",
            sentence(
                Text::ClvNonPositive.get(lang),
                &[format_number(gg.non_positive as f64, 0)],
            ),
        ));
    }
    notes
}

fn group_label(frequency: u32) -> String {
    if frequency >= LAST_GROUP {
        format!("{LAST_GROUP}+")
    } else {
        frequency.to_string()
    }
}

/// The backtest per calibration-frequency group: customers, actual and predicted repeat
/// purchases in the holdout (totals and per customer), the mean absolute error. `None`
/// without a holdout.
pub fn backtest_rows(a: &ClvAnalysis, lang: Lang) -> Option<CellTable> {
    let b = a.backtest.as_ref()?;
    let mut out = CellTable {
        header: [
            Text::ClvGroup,
            Text::ClvCustomersShort,
            Text::ClvActual,
            Text::ClvPredicted,
            Text::ClvActualPer,
            Text::ClvPredictedPer,
            Text::ClvMae,
        ]
        .into_iter()
        .map(|h| t(h, lang))
        .collect(),
        ..CellTable::default()
    };
    for g in &b.groups {
        let n = g.customers.max(1) as f64;
        let label = group_label(g.frequency);
        out.rows.push(vec![
            Cell::text(label.clone()),
            Cell::text(format_number(g.customers as f64, 0)),
            Cell::figure(
                format!("holdout_actual:{label}"),
                Some(g.actual),
                decimal(g.actual, 0),
            ),
            Cell::figure(
                format!("holdout_predicted:{label}"),
                Some(g.predicted),
                decimal(g.predicted, 1),
            ),
            Cell::text(decimal(g.actual / n, 3)),
            Cell::text(decimal(g.predicted / n, 3)),
            Cell::text(decimal(g.mae, 3)),
        ]);
        out.marked.push(false);
    }
    out.rows.push(vec![
        Cell::text(t(Text::ClvAll, lang)),
        Cell::text(format_number(a.customers as f64, 0)),
        Cell::text(decimal(b.actual, 0)),
        Cell::text(decimal(b.predicted, 1)),
        Cell::text(decimal(b.actual / a.customers.max(1) as f64, 3)),
        Cell::text(decimal(b.predicted / a.customers.max(1) as f64, 3)),
        Cell::text(decimal(b.mae, 3)),
    ]);
    out.marked.push(false);
    Some(out)
}

/// The paper's conditional-expectation chart: mean holdout repeat purchases per calibration
/// frequency, actual against predicted. `None` without a holdout.
pub fn backtest_chart(a: &ClvAnalysis, name: &'static str, style: &ChartStyle) -> Option<Figure> {
    let lang = style.lang;
    let b = a.backtest.as_ref()?;
    let bars: Vec<FrequencyBar> = b
        .groups
        .iter()
        .map(|g| {
            let n = g.customers.max(1) as f64;
            FrequencyBar {
                label: group_label(g.frequency),
                customers: g.customers,
                actual: g.actual / n,
                predicted: g.predicted / n,
            }
        })
        .collect();
    let table = bars.iter().fold(
        ChartTable::new([
            t(Text::ClvGroup, lang),
            t(Text::ClvCustomersShort, lang),
            t(Text::ClvActualPer, lang),
            t(Text::ClvPredictedPer, lang),
        ]),
        |table, bar| {
            table.row([
                bar.label.clone(),
                format_number(bar.customers as f64, 0),
                decimal(bar.actual, 3),
                decimal(bar.predicted, 3),
            ])
        },
    );
    let finding = b.percent_error.map(|e| {
        sentence(
            Text::FindingClvBacktest.get(lang),
            &[
                decimal(b.predicted, 0),
                decimal(b.actual, 0),
                format_percent(e.abs(), 1),
            ],
        )
    });
    let words = BacktestWords {
        actual: t(Text::ClvActual, lang),
        predicted: t(Text::ClvPredictedBgnbd, lang),
        x_axis: t(Text::ClvGroupAxis, lang),
        y_axis: t(Text::ClvPerCustomerAxis, lang),
        customers: t(Text::ClvCustomersShort, lang),
    };
    Some(Figure::new(
        name,
        t(Text::ClvBacktestTitle, lang),
        Text::DescClvBacktest.get(lang),
        finding,
        table,
        render_backtest_svg(&bars, &words, style),
        lang,
    ))
}

/// The weekly cumulative repeat purchases, actual against predicted, with the holdout marked.
pub fn tracking_chart(a: &ClvAnalysis, name: &'static str, style: &ChartStyle) -> Figure {
    let lang = style.lang;
    let points: Vec<TrackingPoint> = a
        .tracking
        .iter()
        .map(|w| TrackingPoint {
            week: w.week,
            actual: w.actual,
            predicted: w.predicted,
        })
        .collect();
    let holdout_from = a
        .backtest
        .as_ref()
        .and_then(|_| a.tracking.iter().position(|w| w.holdout));
    let table = a.tracking.iter().fold(
        ChartTable::new([
            t(Text::ClvWeek, lang),
            t(Text::ClvActual, lang),
            t(Text::ClvPredicted, lang),
        ]),
        |table, w| {
            table.row([
                w.week.to_string(),
                decimal(w.actual, 0),
                decimal(w.predicted, 1),
            ])
        },
    );
    let words = TrackingWords {
        actual: t(Text::ClvActual, lang),
        predicted: t(Text::ClvPredictedBgnbd, lang),
        x_axis: t(Text::ClvWeekAxis, lang),
        y_axis: t(Text::ClvCumulativeAxis, lang),
        holdout: t(Text::ClvHoldoutStarts, lang),
    };
    Figure::new(
        name,
        t(Text::ClvTrackingTitle, lang),
        Text::DescClvTracking.get(lang),
        None,
        table,
        render_tracking_svg(&points, holdout_from, &words, style),
        lang,
    )
}

/// The weekly tracking as a CSV.
pub fn tracking_csv(a: &ClvAnalysis, file: &str, lang: Lang) -> Csv {
    Csv {
        file: file.into(),
        header: vec![
            t(Text::ClvWeek, lang),
            t(Text::ClvHoldout, lang),
            t(Text::ClvActual, lang),
            t(Text::ClvPredicted, lang),
        ],
        rows: a
            .tracking
            .iter()
            .map(|w| {
                vec![
                    w.week.to_string(),
                    if w.holdout { "1".into() } else { "0".into() },
                    number(w.actual),
                    number(w.predicted),
                ]
            })
            .collect(),
    }
}

/// Customers per tenth of P(alive).
pub fn p_alive_counts(a: &ClvAnalysis) -> [usize; 10] {
    let mut counts = [0usize; 10];
    for s in &a.scores {
        if s.p_alive.is_finite() {
            let k = ((s.p_alive * 10.0).floor().max(0.0) as usize).min(9);
            counts[k] += 1;
        }
    }
    counts
}

/// The distribution of P(alive).
pub fn p_alive_chart(a: &ClvAnalysis, name: &'static str, style: &ChartStyle) -> Figure {
    let lang = style.lang;
    let counts = p_alive_counts(a);
    let table = counts.iter().enumerate().fold(
        ChartTable::new([t(Text::ClvPAlive, lang), t(Text::ClvCustomersShort, lang)]),
        |table, (k, n)| {
            table.row([
                format!("{}–{} %", k * 10, (k + 1) * 10),
                format_number(*n as f64, 0),
            ])
        },
    );
    let low: usize = counts[..5].iter().sum();
    let finding = (!a.scores.is_empty()).then(|| {
        sentence(
            Text::FindingClvAlive.get(lang),
            &[format_percent(low as f64 / a.scores.len() as f64, 1)],
        )
    });
    Figure::new(
        name,
        t(Text::ClvAliveTitle, lang),
        Text::DescClvAlive.get(lang),
        finding,
        table,
        render_p_alive_svg(
            &counts,
            &AliveWords {
                x_axis: t(Text::ClvPAlive, lang),
                y_axis: t(Text::ClvCustomersShort, lang),
            },
            style,
        ),
        lang,
    )
}

/// The CLV deciles as a table (`clv_decile:<k>` = the decile's CLV).
pub fn value_decile_rows(deciles: &[ValueDecile], lang: Lang) -> CellTable {
    let mut out = CellTable {
        header: [
            Text::ClvDecile,
            Text::ClvCustomersShort,
            Text::ClvValue,
            Text::ClvShare,
            Text::ClvCumulativeShare,
            Text::ClvMeanPAlive,
            Text::ClvExpectedPurchasesTotal,
        ]
        .into_iter()
        .map(|h| t(h, lang))
        .collect(),
        ..CellTable::default()
    };
    for d in deciles {
        out.rows.push(vec![
            Cell::text(format!("D{}", d.decile)),
            Cell::text(format_number(d.customers as f64, 0)),
            Cell::figure(
                format!("clv_decile:{}", d.decile),
                Some(d.clv),
                money(d.clv),
            ),
            Cell::text(super::share(d.share)),
            Cell::text(super::share(d.cumulative)),
            Cell::text(probability(d.p_alive)),
            Cell::text(decimal(d.expected_purchases, 0)),
        ]);
        out.marked.push(false);
    }
    out
}

/// The CLV deciles' shares with the cumulative line.
pub fn value_decile_chart(
    deciles: &[ValueDecile],
    name: &'static str,
    style: &ChartStyle,
) -> Figure {
    let lang = style.lang;
    let bars: Vec<ValueBar> = deciles
        .iter()
        .map(|d| ValueBar {
            label: format!("D{}", d.decile),
            value: d.clv,
            share: d.share.unwrap_or(0.0),
        })
        .collect();
    let table = deciles.iter().fold(
        ChartTable::new([
            t(Text::ClvDecile, lang),
            t(Text::ClvValue, lang),
            t(Text::ClvShare, lang),
        ]),
        |table, d| {
            table.row([
                format!("D{}", d.decile),
                money(d.clv),
                super::share(d.share),
            ])
        },
    );
    let finding = deciles.get(1).and_then(|d| d.cumulative).map(|top2| {
        sentence(
            Text::FindingClvDeciles.get(lang),
            &[format_percent(top2, 1)],
        )
    });
    Figure::new(
        name,
        t(Text::ClvDecilesTitle, lang),
        Text::DescClvDeciles.get(lang),
        finding,
        table,
        render_value_deciles_svg(
            &bars,
            &ValueWords {
                share: t(Text::ClvShare, lang),
                cumulative: t(Text::ClvCumulativeShare, lang),
                x_axis: t(Text::ClvDecileAxis, lang),
            },
            style,
        ),
        lang,
    )
}

/// CLV by RFM segment: customers, CLV, share, mean CLV, mean P(alive), expected purchases;
/// segments in the rule table's order ("Other" last), those without a model customer left out.
/// `clv_segment:<name_en>` = the segment's CLV.
pub fn segment_rows(
    a: &ClvAnalysis,
    rfm: &RfmAnalysis,
    table: &CustomerTable,
    lang: Lang,
) -> CellTable {
    let segments = &rfm.segmentation.segments;
    let other = segments.len().saturating_sub(1);
    // The segment of every table index.
    let mut of = vec![usize::MAX; table.customers.len()];
    for (k, scored) in rfm.scores.customers.iter().enumerate() {
        let segment = rfm
            .segmentation
            .assignments
            .get(k)
            .copied()
            .flatten()
            .map_or(other, usize::from);
        if let Some(slot) = of.get_mut(scored.index) {
            *slot = segment;
        }
    }
    // (customers, clv, p_alive sum, expected purchases) per segment.
    let mut sums = vec![(0usize, 0.0f64, 0.0f64, 0.0f64); segments.len()];
    for s in &a.scores {
        let Some(&k) = of.get(s.index as usize) else {
            continue;
        };
        if let Some(sum) = sums.get_mut(k) {
            sum.0 += 1;
            if s.clv.is_finite() {
                sum.1 += s.clv;
            }
            sum.2 += s.p_alive;
            sum.3 += s.expected_purchases;
        }
    }
    let total: f64 = sums.iter().map(|s| s.1).sum();
    let mut out = CellTable {
        header: [
            Text::ClvSegment,
            Text::ClvCustomersShort,
            Text::ClvValue,
            Text::ClvShare,
            Text::ClvMeanValue,
            Text::ClvMeanPAlive,
            Text::ClvExpectedPurchasesTotal,
        ]
        .into_iter()
        .map(|h| t(h, lang))
        .collect(),
        ..CellTable::default()
    };
    for (segment, (n, clv, alive, expected)) in segments.iter().zip(sums) {
        if n == 0 {
            continue;
        }
        let m = n as f64;
        out.rows.push(vec![
            Cell::text(isolated(&segment_name(segment, lang), SEGMENT_CHARS)),
            Cell::text(format_number(m, 0)),
            Cell::figure(
                format!("clv_segment:{}", segment.name_en),
                Some(clv),
                money(clv),
            ),
            Cell::text(super::share((total > 0.0).then(|| clv / total))),
            Cell::text(money(clv / m)),
            Cell::text(probability(alive / m)),
            Cell::text(decimal(expected, 0)),
        ]);
        out.marked.push(false);
    }
    out
}

/// The column the customer table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// CLV (the default, highest first).
    #[default]
    Clv,
    /// P(alive).
    PAlive,
    /// Expected purchases over the horizon.
    Expected,
    /// Expected value per purchase.
    Value,
    /// Repeat purchases x.
    Frequency,
    /// Past net sales.
    Sales,
    /// Customer id.
    Id,
}

impl SortKey {
    /// Every key, in column order.
    pub const ALL: [SortKey; 7] = [
        SortKey::Id,
        SortKey::Clv,
        SortKey::PAlive,
        SortKey::Expected,
        SortKey::Value,
        SortKey::Frequency,
        SortKey::Sales,
    ];

    /// The key's name (`data-sort`).
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Clv => "clv",
            SortKey::PAlive => "p_alive",
            SortKey::Expected => "expected_purchases",
            SortKey::Value => "expected_value",
            SortKey::Frequency => "frequency",
            SortKey::Sales => "sales",
            SortKey::Id => "id",
        }
    }

    fn header(self) -> Text {
        match self {
            SortKey::Clv => Text::ClvValue,
            SortKey::PAlive => Text::ClvPAlive,
            SortKey::Expected => Text::ClvExpectedPurchases,
            SortKey::Value => Text::ClvExpectedValue,
            SortKey::Frequency => Text::ClvFrequency,
            SortKey::Sales => Text::ClvPastSales,
            SortKey::Id => Text::ClvCustomerId,
        }
    }
}

/// What the customer table shows: search, sort, page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Part of a customer id (case-insensitive); empty = every customer.
    pub search: String,
    /// The sort column.
    pub sort: SortKey,
    /// Ascending instead of the column's natural order (highest first, ids A→Z).
    pub ascending: bool,
    /// 0-based page.
    pub page: usize,
}

/// The customer table's header.
pub fn customer_header(lang: Lang) -> Vec<(SortKey, String)> {
    SortKey::ALL
        .into_iter()
        .map(|k| (k, t(k.header(), lang)))
        .collect()
}

fn customer_row(s: &CustomerScore, table: &CustomerTable) -> Vec<Cell> {
    let id = customer_id(table, s.index);
    vec![
        Cell::text(isolated(id, ID_CHARS)),
        Cell::figure(format!("clv:{id}"), Some(s.clv), money(s.clv)),
        Cell::figure(
            format!("p_alive:{id}"),
            Some(s.p_alive),
            probability(s.p_alive),
        ),
        Cell::figure(
            format!("expected_purchases:{id}"),
            Some(s.expected_purchases),
            decimal(s.expected_purchases, 2),
        ),
        Cell::text(money(s.expected_value)),
        Cell::text(format_number(f64::from(s.frequency), 0)),
        Cell::text(money(sales_of(table, s.index))),
    ]
}

/// One page of the customers: rows (`p_alive:<id>`, `expected_purchases:<id>`, `clv:<id>`),
/// how many match the search, how many pages.
pub fn customer_page(
    a: &ClvAnalysis,
    table: &CustomerTable,
    query: &Query,
) -> (CellTable, usize, usize) {
    let needle = query.search.trim().to_lowercase();
    let positions: Vec<usize> = if needle.is_empty() {
        (0..a.scores.len()).collect()
    } else {
        (0..a.scores.len())
            .filter(|&p| {
                a.scores
                    .get(p)
                    .is_some_and(|s| customer_id(table, s.index).to_lowercase().contains(&needle))
            })
            .collect()
    };
    let key = |p: usize| {
        a.scores.get(p).map_or(f64::NAN, |s| match query.sort {
            SortKey::Clv => s.clv,
            SortKey::PAlive => s.p_alive,
            SortKey::Expected => s.expected_purchases,
            SortKey::Value => s.expected_value,
            SortKey::Frequency => f64::from(s.frequency),
            SortKey::Sales => sales_of(table, s.index),
            SortKey::Id => f64::from(s.index),
        })
    };
    let index = |p: usize| a.scores.get(p).map_or(u32::MAX, |s| s.index);
    // Numbers highest first, ids in table (id) order; ties by id: a total order. Only the rows
    // up to the page's end are put in order (one pass finds the cut: at ten million rows a
    // selection calling a comparison at every step was most of a 63 ms task).
    let natural_ascending = query.sort == SortKey::Id;
    let ascending = natural_ascending != query.ascending;
    let shown = page_of(
        positions,
        key,
        |x, y| index(x).cmp(&index(y)),
        !ascending,
        query.page,
        PAGE_SIZE,
    );
    let (matches, pages) = (shown.matches, shown.pages);
    let rows: Vec<&CustomerScore> = shown.rows.iter().filter_map(|&p| a.scores.get(p)).collect();
    let mut out = CellTable {
        header: Vec::new(),
        ..CellTable::default()
    };
    for s in rows {
        out.rows.push(customer_row(s, table));
        out.marked.push(false);
    }
    (out, matches, pages)
}

/// The likely-lost high-value customers: P(alive) below [`LOST_P_ALIVE`] and past net sales in
/// the top [`HIGH_VALUE_SHARE`] of the model's customers, highest past sales first.
pub fn likely_lost(a: &ClvAnalysis, table: &CustomerTable) -> Vec<CustomerScore> {
    let sales: Vec<f64> = a.scores.iter().map(|s| sales_of(table, s.index)).collect();
    let top = ((sales.len() as f64 * HIGH_VALUE_SHARE).ceil() as usize).max(1);
    // The top-th largest past sales: the top-th smallest of the keys of the inverted order (a
    // selection by the keys' bits, not a sort: a million customers).
    let keys: Vec<u64> = sales.iter().map(|&v| !ascending_bits(v)).collect();
    let Some(cut) = kth_smallest(&keys, top) else {
        return Vec::new();
    };
    let floor = from_ascending_bits(!cut);
    let mut lost: Vec<(f64, CustomerScore)> = a
        .scores
        .iter()
        .zip(&sales)
        .filter(|&(s, &v)| s.p_alive < LOST_P_ALIVE && v >= floor)
        .map(|(s, &v)| (v, *s))
        .collect();
    lost.sort_by(|(v, x), (w, y)| w.total_cmp(v).then_with(|| x.index.cmp(&y.index)));
    lost.into_iter().map(|(_, s)| s).collect()
}

/// The rule of the likely-lost list, in words.
pub fn likely_lost_rule(lang: Lang) -> String {
    sentence(
        Text::ClvLostRule.get(lang),
        &[
            format_percent(LOST_P_ALIVE, 0),
            format_percent(HIGH_VALUE_SHARE, 0),
        ],
    )
}

/// The first [`LISTED`] of the likely-lost customers, and how many more the CSV has.
pub fn likely_lost_rows(lost: &[CustomerScore], table: &CustomerTable) -> (CellTable, usize) {
    let mut out = CellTable::default();
    for s in lost.iter().take(LISTED) {
        out.rows.push(customer_row(s, table));
        out.marked.push(false);
    }
    (out, lost.len().saturating_sub(LISTED))
}

/// Every customer's scores as a CSV (id, x, t_x, T, m, past sales, P(alive), expected
/// purchases, expected value, CLV, CLV decile).
pub fn scores_csv(a: &ClvAnalysis, table: &CustomerTable, file: &str, lang: Lang) -> Csv {
    let ranked = ranked_by_clv(&a.scores);
    let n = ranked.len();
    let mut decile = vec![0u8; table.customers.len()];
    let mut start = 0;
    for k in 0..10usize {
        let size = n / 10 + usize::from(k < n % 10);
        for s in ranked[start..start + size]
            .iter()
            .filter_map(|&position| a.scores.get(position))
        {
            if let Some(slot) = decile.get_mut(s.index as usize) {
                *slot = k as u8 + 1;
            }
        }
        start += size;
    }
    let unit = unit_word(a.config.unit, lang);
    Csv {
        file: file.into(),
        header: vec![
            t(Text::ClvCustomerId, lang),
            "x".into(),
            format!("t_x ({unit})"),
            format!("T ({unit})"),
            "m".into(),
            t(Text::ClvPastSales, lang),
            t(Text::ClvPAlive, lang),
            t(Text::ClvExpectedPurchases, lang),
            t(Text::ClvExpectedValue, lang),
            t(Text::ClvValue, lang),
            t(Text::ClvDecile, lang),
        ],
        rows: a
            .scores
            .iter()
            .map(|s| {
                vec![
                    customer_id(table, s.index).to_string(),
                    s.frequency.to_string(),
                    number(s.recency),
                    number(s.age),
                    number(s.monetary),
                    number(sales_of(table, s.index)),
                    number(s.p_alive),
                    number(s.expected_purchases),
                    number(s.expected_value),
                    number(s.clv),
                    decile.get(s.index as usize).map_or(0, |d| *d).to_string(),
                ]
            })
            .collect(),
    }
}

/// The top customers by CLV, for the report: id, P(alive), expected purchases, CLV.
pub fn top_customers(a: &ClvAnalysis, table: &CustomerTable, count: usize) -> CellTable {
    let mut out = CellTable::default();
    if count == 0 {
        return out;
    }
    // The first `count` of the ranking (highest CLV, equal values by customer order), without
    // ranking the rest.
    let top = page_of(
        (0..a.scores.len()).collect(),
        |p| a.scores.get(p).map_or(f64::NAN, |s| s.clv),
        |x, y| {
            let index = |p: usize| a.scores.get(p).map_or(u32::MAX, |s| s.index);
            index(x).cmp(&index(y))
        },
        true,
        0,
        count,
    );
    for s in top
        .rows
        .into_iter()
        .filter_map(|position| a.scores.get(position))
    {
        out.rows.push(customer_row(s, table));
        out.marked.push(false);
    }
    out
}

/// The report's sentence on the CLV.
pub fn report_summary(a: &ClvAnalysis, lang: Lang) -> String {
    let top2 = a
        .deciles
        .get(1)
        .and_then(|d| d.cumulative)
        .map_or_else(|| "–".into(), |s| format_percent(s, 1));
    let holdout = a.backtest.as_ref().map_or_else(String::new, |b| {
        sentence(
            Text::ClvReportHoldout.get(lang),
            &[
                decimal(b.predicted, 0),
                decimal(b.actual, 0),
                b.percent_error
                    .map_or_else(|| "–".into(), |e| format_percent(e.abs(), 1)),
            ],
        )
    });
    sentence(
        Text::ClvReportSummary.get(lang),
        &[
            money(a.clv_total),
            a.config.horizon.to_string(),
            unit_word(a.config.unit, lang).into(),
            top2,
            holdout,
        ],
    )
}

/// The report's method note: models, definitions, parameters used.
pub fn method_note(a: &ClvAnalysis, lang: Lang) -> Note {
    Note {
        label: t(Text::ClvTitle, lang),
        value: sentence(
            Text::ClvReportNote.get(lang),
            &[
                facts(a, lang),
                a.config.horizon.to_string(),
                unit_word(a.config.unit, lang).into(),
                format_percent(a.config.discount_rate, 1),
            ],
        ),
    }
}

#[cfg(test)]
mod tests;
