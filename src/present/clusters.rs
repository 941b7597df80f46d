//! What the cluster view (聚类分析) and its report section show, from a [`ClusterAnalysis`] and
//! the language: the headline (`cluster_k`), the k-choice table (inertia, silhouette,
//! Calinski-Harabasz), the cluster descriptions (`cluster_size:<n>`), the cluster × RFM segment
//! table, the CSV of every customer's cluster, the report sentence and the method note. Pure:
//! the view and the report only lay it out.

use crate::a11y::ChartTable;
use crate::charts::clusters::{render_k_choice_svg, KPoint, KWords};
use crate::charts::ChartStyle;
use crate::display::{isolated, SEGMENT_CHARS};
use crate::engine::clusters::{ClusterAnalysis, KRule, Scaling, Stability};
use crate::engine::customers::CustomerTable;
use crate::engine::rfm::RfmAnalysis;
use crate::i18n::{format_money, format_number, format_percent, Lang, Text};

use super::report::Note;
use super::rfm::segment_name;
use super::{number, optional, sentence, share, Cell, CellTable, Csv, Figure, Metric};

fn t(text: Text, lang: Lang) -> String {
    text.get(lang).to_string()
}

/// The words of a scaling ("log(1 + x), then z-scores").
pub fn scaling_words(scaling: Scaling, lang: Lang) -> &'static str {
    match scaling {
        Scaling::LogZ => Text::ClusterScalingLogZ,
        Scaling::Robust => Text::ClusterScalingRobust,
        Scaling::PercentRank => Text::ClusterScalingRank,
    }
    .get(lang)
}

/// The words of a stability band ("highly stable").
pub fn stability_words(stability: Stability, lang: Lang) -> &'static str {
    match stability {
        Stability::HighlyStable => Text::ClusterHighlyStable,
        Stability::Stable => Text::ClusterStable,
        Stability::Weak => Text::ClusterWeak,
        Stability::Unstable => Text::ClusterUnstable,
    }
    .get(lang)
}

fn rule_words(a: &ClusterAnalysis, lang: Lang) -> String {
    match a.rule {
        KRule::Silhouette => t(Text::ClusterRuleSilhouette, lang),
        KRule::Chosen => sentence(
            Text::ClusterRuleChosen.get(lang),
            &[a.suggested_k.to_string()],
        ),
    }
}

fn decimal(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "–".into(), |v| format_number(v, decimals))
}

/// The headline: `cluster_k` (the k shown), with how it was chosen.
pub fn headline(a: &ClusterAnalysis, lang: Lang) -> Vec<Metric> {
    vec![
        Metric::count("cluster_k", Text::ClusterK.get(lang), a.k as u64).note(rule_words(a, lang)),
        Metric::count(
            "cluster_customers",
            Text::ClusterCustomers.get(lang),
            a.customers as u64,
        ),
    ]
}

/// The k-choice table: k, inertia, silhouette, Calinski-Harabasz; the suggested k marked.
/// Figures `cluster_inertia:<k>`, `cluster_silhouette:<k>`, `cluster_ch:<k>`.
pub fn k_choice_table(a: &ClusterAnalysis, lang: Lang) -> CellTable {
    let mut out = CellTable {
        header: [
            Text::ClusterKShort,
            Text::ClusterInertia,
            Text::ClusterSilhouette,
            Text::ClusterCalinski,
        ]
        .into_iter()
        .map(|h| t(h, lang))
        .collect(),
        ..CellTable::default()
    };
    for c in &a.choices {
        let suggested = c.k == a.suggested_k;
        let label = if suggested {
            format!("{} ({})", c.k, Text::ClusterSuggested.get(lang))
        } else {
            c.k.to_string()
        };
        out.rows.push(vec![
            Cell::text(label),
            Cell::figure(
                format!("cluster_inertia:{}", c.k),
                Some(c.inertia),
                format_number(c.inertia, 1),
            ),
            Cell::figure(
                format!("cluster_silhouette:{}", c.k),
                c.silhouette,
                decimal(c.silhouette, 3),
            ),
            Cell::figure(
                format!("cluster_ch:{}", c.k),
                c.calinski_harabasz,
                decimal(c.calinski_harabasz, 0),
            ),
        ]);
        out.marked.push(suggested);
    }
    out
}

/// The k choice drawn: inertia by k (the elbow) beside the mean silhouette by k, the
/// suggested k marked; its table holds the same figures as [`k_choice_table`].
pub fn k_choice_chart(a: &ClusterAnalysis, name: &'static str, style: &ChartStyle) -> Figure {
    let lang = style.lang;
    let points: Vec<KPoint> = a
        .choices
        .iter()
        .map(|c| KPoint {
            k: c.k,
            inertia: c.inertia,
            silhouette: c.silhouette,
        })
        .collect();
    let table = a.choices.iter().fold(
        ChartTable::new([
            t(Text::ClusterKShort, lang),
            t(Text::ClusterInertia, lang),
            t(Text::ClusterSilhouette, lang),
        ]),
        |table, c| {
            table.row([
                c.k.to_string(),
                format_number(c.inertia, 1),
                decimal(c.silhouette, 3),
            ])
        },
    );
    let words = KWords {
        inertia: t(Text::ClusterInertiaPanel, lang),
        silhouette: t(Text::ClusterSilhouettePanel, lang),
        x_axis: t(Text::ClusterKAxis, lang),
        suggested: format!("k = {} {}", a.suggested_k, Text::ClusterSuggested.get(lang)),
    };
    Figure::new(
        name,
        t(Text::ClusterKChartTitle, lang),
        Text::DescClusterKChoice.get(lang),
        None,
        table,
        render_k_choice_svg(&points, a.suggested_k, &words, style),
        lang,
    )
}

/// The cluster descriptions, number 1 (highest mean M) first: customers (`cluster_size:<n>`)
/// and their share, share of net sales, median R (days), F (orders), M (money), stability.
pub fn cluster_table(a: &ClusterAnalysis, lang: Lang) -> CellTable {
    let mut out = CellTable {
        header: [
            Text::ClusterNumber,
            Text::ClusterCustomers,
            Text::ClusterCustomerShare,
            Text::ClusterSalesShare,
            Text::ClusterMedianR,
            Text::ClusterMedianF,
            Text::ClusterMedianM,
            Text::ClusterStability,
        ]
        .into_iter()
        .map(|h| t(h, lang))
        .collect(),
        ..CellTable::default()
    };
    for c in &a.clusters {
        let stability = match (c.jaccard, c.stability) {
            (Some(j), Some(s)) => Cell::figure(
                format!("cluster_jaccard:{}", c.number),
                Some(j),
                format_number(j, 2),
            )
            .detail(Some(stability_words(s, lang).into())),
            _ => Cell::text("–".into()),
        };
        out.rows.push(vec![
            Cell::text(c.number.to_string()),
            Cell::figure(
                format!("cluster_size:{}", c.number),
                Some(c.customers as f64),
                format_number(c.customers as f64, 0),
            ),
            Cell::text(format_percent(c.customer_share, 1)),
            Cell::text(share(c.sales_share)),
            Cell::text(format_number(c.median_recency, 0)),
            Cell::text(format_number(c.median_frequency, 1)),
            Cell::text(format_money(c.median_monetary)),
            stability,
        ]);
        out.marked.push(c.stability == Some(Stability::Unstable));
    }
    out
}

/// The cluster × RFM segment table: customers of each cluster (rows) in each segment that has
/// any (columns, the rule table's order, "Other" last). Figures
/// `cluster_segment:<n>:<segment_en>`.
pub fn segment_table(a: &ClusterAnalysis, rfm: &RfmAnalysis, lang: Lang) -> CellTable {
    let used: Vec<usize> = (0..a.segments.len())
        .filter(|&s| {
            a.segment_counts
                .iter()
                .any(|row| row.get(s).is_some_and(|&c| c > 0))
        })
        .collect();
    let mut header = vec![t(Text::ClusterNumber, lang)];
    header.extend(used.iter().map(|&s| {
        rfm.segmentation
            .segments
            .get(s)
            .map_or_else(String::new, |seg| {
                isolated(&segment_name(seg, lang), SEGMENT_CHARS)
            })
    }));
    let mut out = CellTable {
        header,
        ..CellTable::default()
    };
    for (c, counts) in a.clusters.iter().zip(&a.segment_counts) {
        let mut row = vec![Cell::text(c.number.to_string())];
        for &s in &used {
            let count = counts.get(s).copied().unwrap_or(0);
            row.push(Cell::figure(
                format!("cluster_segment:{}:{}", c.number, a.segments[s]),
                Some(count as f64),
                format_number(count as f64, 0),
            ));
        }
        out.rows.push(row);
        out.marked.push(false);
    }
    out
}

/// Every scored customer's cluster: id, cluster, R (days), F (orders), M, RFM segment.
pub fn assignments_csv(
    a: &ClusterAnalysis,
    rfm: &RfmAnalysis,
    table: &CustomerTable,
    file: &str,
    lang: Lang,
) -> Csv {
    let segments = &rfm.segmentation.segments;
    Csv {
        file: file.into(),
        header: vec![
            t(Text::ClusterCustomerId, lang),
            t(Text::ClusterNumber, lang),
            t(Text::ClusterRDays, lang),
            t(Text::ClusterFOrders, lang),
            t(Text::ClusterM, lang),
            t(Text::ClusterSegment, lang),
        ],
        rows: rfm
            .scores
            .customers
            .iter()
            .enumerate()
            .map(|(row, s)| {
                let segment = match rfm.segmentation.assignments.get(row).copied().flatten() {
                    Some(rule) => segments.get(usize::from(rule)),
                    None => segments.last(),
                };
                vec![
                    table
                        .customers
                        .get(s.index)
                        .map_or_else(String::new, |c| c.id.to_string()),
                    a.cluster_of(row)
                        .map_or_else(String::new, |c| c.to_string()),
                    s.recency_days.to_string(),
                    s.frequency.to_string(),
                    number(s.monetary),
                    segment.map_or_else(String::new, |seg| segment_name(seg, lang)),
                ]
            })
            .collect(),
    }
}

/// The k-choice table as a CSV: k, inertia, silhouette, Calinski-Harabasz.
pub fn k_choice_csv(a: &ClusterAnalysis, file: &str, lang: Lang) -> Csv {
    Csv {
        file: file.into(),
        header: [
            Text::ClusterKShort,
            Text::ClusterInertia,
            Text::ClusterSilhouette,
            Text::ClusterCalinski,
        ]
        .into_iter()
        .map(|h| t(h, lang))
        .collect(),
        rows: a
            .choices
            .iter()
            .map(|c| {
                vec![
                    c.k.to_string(),
                    number(c.inertia),
                    optional(c.silhouette),
                    optional(c.calinski_harabasz),
                ]
            })
            .collect(),
    }
}

/// The report sentence: k, how chosen, the top cluster's size and share of sales, stability.
pub fn report_sentence(a: &ClusterAnalysis, lang: Lang) -> String {
    let Some(top) = a.clusters.first() else {
        return String::new();
    };
    let stable = a
        .clusters
        .iter()
        .filter(|c| {
            matches!(
                c.stability,
                Some(Stability::HighlyStable | Stability::Stable)
            )
        })
        .count();
    sentence(
        Text::ClusterReportSummary.get(lang),
        &[
            format_number(a.customers as f64, 0),
            a.k.to_string(),
            rule_words(a, lang),
            format_percent(top.customer_share, 1),
            share(top.sales_share),
            format_money(top.median_monetary),
            stable.to_string(),
        ],
    )
}

/// The report's method note: scaling, k-means++ starts, the k rule, samples, bootstrap, seed.
pub fn method_note(a: &ClusterAnalysis, lang: Lang) -> Note {
    let c = &a.config;
    Note {
        label: t(Text::ClusterTitle, lang),
        value: sentence(
            Text::ClusterReportNote.get(lang),
            &[
                scaling_words(c.scaling, lang).into(),
                c.starts.to_string(),
                format_number(a.fit_customers as f64, 0),
                rule_words(a, lang),
                format_number(c.silhouette_sample as f64, 0),
                c.resamples.to_string(),
                c.seed.to_string(),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calendar::Day;
    use crate::engine::clusters::{analyse_clusters, ClusterConfig};
    use crate::engine::customers::{Columns, Customer};
    use crate::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};

    fn data() -> (CustomerTable, RfmAnalysis, ClusterAnalysis) {
        let mut customers = Vec::new();
        for i in 0..60u32 {
            let (last, orders, sales) = match i % 3 {
                0 => (1_000 - (i % 4) as i32, 20 + i % 5, 5_000.0 + f64::from(i)),
                1 => (900 - (i % 6) as i32, 5 + i % 2, 500.0 + f64::from(i)),
                _ => (300 - (i % 9) as i32, 1, 20.0 + f64::from(i % 7)),
            };
            let day = Day::from_epoch_days(last);
            customers.push(Customer {
                id: format!("c{i:03}").into(),
                rows: orders,
                orders,
                sales,
                first: Some(day),
                last: Some(day),
                ..Default::default()
            });
        }
        let table = CustomerTable {
            customers,
            columns: Columns {
                order: true,
                date: true,
                ..Default::default()
            },
        };
        let rfm = analyse_rfm(&table, &RfmConfig::default(), &SegmentRules::default()).unwrap();
        let a = analyse_clusters(&table, &rfm, &ClusterConfig::default()).unwrap();
        (table, rfm, a)
    }

    #[test]
    fn the_k_choice_is_drawn_in_both_languages() {
        let (_, _, a) = data();
        for lang in [Lang::Zh, Lang::En] {
            let figure = k_choice_chart(&a, "k", &ChartStyle::new(lang));
            let svg = figure.svg.expect("drawn");
            // One point per k with a silhouette, one per k for the inertia.
            let with_silhouette = a.choices.iter().filter(|c| c.silhouette.is_some()).count();
            assert_eq!(
                svg.matches("<circle").count(),
                a.choices.len() + with_silhouette
            );
            assert!(svg.contains(Text::ClusterInertiaPanel.get(lang)));
            assert_eq!(figure.table.rows.len(), a.choices.len());
            assert!(figure.desc.contains(Text::DescClusterKChoice.get(lang)));
        }
    }

    #[test]
    fn the_figures_of_the_contract_are_named() {
        let (_, rfm, a) = data();
        assert_eq!(a.k, 3);
        let head = headline(&a, Lang::En);
        assert_eq!((head[0].name, head[0].value), ("cluster_k", 3.0));
        let clusters = cluster_table(&a, Lang::En);
        let sizes: Vec<(String, f64)> = clusters
            .rows
            .iter()
            .map(|r| {
                let d = r[1].data.as_ref().unwrap();
                (d.metric.clone(), d.value)
            })
            .collect();
        assert_eq!(
            sizes,
            [
                ("cluster_size:1".to_string(), 20.0),
                ("cluster_size:2".to_string(), 20.0),
                ("cluster_size:3".to_string(), 20.0)
            ]
        );
        let k_table = k_choice_table(&a, Lang::Zh);
        assert_eq!(k_table.rows.len(), a.choices.len());
        assert_eq!(k_table.marked.iter().filter(|&&m| m).count(), 1);
        let seg = segment_table(&a, &rfm, Lang::En);
        let total: f64 = seg
            .rows
            .iter()
            .flat_map(|r| r.iter().filter_map(|c| c.data.as_ref().map(|d| d.value)))
            .sum();
        assert_eq!(total, 60.0);
        assert_eq!(seg.header.len(), seg.rows[0].len());
    }

    #[test]
    fn the_csv_sentence_and_note_in_both_languages() {
        let (table, rfm, a) = data();
        let csv = assignments_csv(&a, &rfm, &table, "clusters", Lang::En);
        assert_eq!(csv.rows.len(), 60);
        assert_eq!(csv.rows[0][0], "c000");
        assert_eq!(csv.rows[0][1], "1");
        assert_eq!(csv.rows[2][1], "3");
        assert_eq!(k_choice_csv(&a, "k", Lang::Zh).rows.len(), a.choices.len());
        for lang in [Lang::Zh, Lang::En] {
            let s = report_sentence(&a, lang);
            assert!(s.contains("60") && !s.contains('{'), "{s}");
            let note = method_note(&a, lang);
            assert!(note.value.contains("20240601"), "{}", note.value);
            assert!(!note.value.contains('{'), "{}", note.value);
        }
        assert!(method_note(&a, Lang::En).value.contains("log(1 + x)"));
        assert!(report_sentence(&a, Lang::Zh).contains("个客户群"));
    }
}
