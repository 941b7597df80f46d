//! The printed report (分析报告): the executive summary in sentences and the method notes, in
//! Chinese or English. Pure functions of the analysis results, so they are tested natively and the
//! report view only lays them out.

use crate::display::{isolated, CELL_CHARS, FILE_NAME_CHARS};
use crate::engine::calendar::Day;
use crate::engine::clusters::ClusterAnalysis;
use crate::engine::clv::ClvAnalysis;
use crate::engine::deciles::{DecileAnalysis, GroupKind, GroupStatus};
use crate::engine::ingest::values::DecimalSeparator;
use crate::engine::ingest::ImportReport;
use crate::engine::lifecycle::LifecycleAnalysis;
use crate::engine::loyalty::LoyaltyAnalysis;
use crate::engine::rfm::RfmAnalysis;
use crate::engine::summary::Summary;
use crate::engine::survey::Survey;
use crate::engine::swot::Workbench;
use crate::i18n::{format_date, format_money, format_number, format_percent, Lang, Text};
use crate::present::overview::{date_order_text, delimiter_text, yes_no};
use crate::present::sentence;

/// Everything the report's text is made from.
#[derive(Debug, Clone, Copy)]
pub struct ReportInputs<'a> {
    /// The analysed file's name.
    pub file_name: &'a str,
    /// Headline figures.
    pub summary: &'a Summary,
    /// How the file was read.
    pub import: &'a ImportReport,
    /// The decile analysis, when it could be computed.
    pub deciles: Option<&'a DecileAnalysis>,
    /// The RFM analysis, when it could be computed.
    pub rfm: Option<&'a RfmAnalysis>,
    /// The lifecycle analysis, when it could be computed.
    pub lifecycle: Option<&'a LifecycleAnalysis>,
    /// The CLV analysis, when it has been fitted.
    pub clv: Option<&'a ClvAnalysis>,
    /// The k-means clusters, when the user asked for them.
    pub clusters: Option<&'a ClusterAnalysis>,
    /// The SWOT boards, when our board has items.
    pub swot: Option<&'a Workbench>,
    /// The loyalty analysis and its survey, when a survey is loaded.
    pub loyalty: Option<(&'a LoyaltyAnalysis, &'a Survey)>,
}

/// The executive summary: the key numbers, one sentence each.
pub fn executive_summary(inputs: &ReportInputs<'_>, lang: Lang) -> Vec<String> {
    let s = inputs.summary;
    let text = |t: Text, values: &[String]| sentence(t.get(lang), values);
    let mut sentences = Vec::new();
    let customers = format_number(s.customers as f64, 0);
    let orders = format_number(s.orders as f64, 0);
    // The user's file name inside a sentence: cut, and isolated from the text around it.
    let file_name = isolated(inputs.file_name, FILE_NAME_CHARS);
    let sales = format_money(s.total_sales);
    sentences.push(match (s.first_day, s.last_day) {
        (Some(a), Some(b)) => text(
            Text::SummaryIntroPeriod,
            &[
                file_name,
                format_date(a, lang),
                format_date(b, lang),
                customers,
                orders,
                sales,
            ],
        ),
        _ => text(Text::SummaryIntro, &[file_name, customers, orders, sales]),
    });
    if let (Some(profit), Some(margin)) = (s.total_profit, s.margin()) {
        sentences.push(text(
            Text::SummaryProfit,
            &[format_money(profit), format_percent(margin, 1)],
        ));
    }
    if let Some(d) = inputs.deciles {
        sentences.extend(decile_sentences(d, lang));
    }
    if let Some(rfm) = inputs.rfm {
        sentences.extend(super::rfm::report_sentences(rfm, lang));
    }
    if let Some(summary) = inputs
        .lifecycle
        .and_then(|l| super::lifecycle::report_summary(l, lang))
    {
        sentences.push(summary);
    }
    if let Some(clv) = inputs.clv {
        sentences.push(super::clv::report_summary(clv, lang));
    }
    if let Some(clusters) = inputs.clusters {
        sentences.push(super::clusters::report_sentence(clusters, lang));
    }
    if let Some((loyalty, _)) = inputs.loyalty {
        sentences.push(super::loyalty::report_summary(loyalty, lang));
    }
    if let Some(swot) = inputs.swot {
        sentences.extend(super::swot::report_sentences(swot, lang));
    }
    sentences.push(text(
        Text::SummaryRepeatRate,
        &[format_percent(s.repeat_rate(), 1)],
    ));
    let (read, returns) = (
        format_number(s.rows_read as f64, 0),
        format_number(s.return_rows as f64, 0),
    );
    sentences.push(match inputs.import.rows_rejected {
        0 => text(Text::SummaryAllRows, &[read, returns]),
        n => text(
            Text::SummaryRejectedRows,
            &[read, format_number(n as f64, 0), returns],
        ),
    });
    sentences
}

/// The summary's sentences on the deciles: concentration, and the groups in one sentence.
fn decile_sentences(d: &DecileAnalysis, lang: Lang) -> Vec<String> {
    let text = |t: Text, values: &[String]| sentence(t.get(lang), values);
    let mut sentences = Vec::new();
    let top = d.by_sales.first().and_then(|d| d.sales_share);
    if let (Some(top), Some(p80), Some(gini)) = (
        top,
        d.lorenz_sales.pareto80_customer_share,
        d.lorenz_sales.gini,
    ) {
        sentences.push(text(
            Text::SummaryConcentration,
            &[
                format_percent(top, 1),
                format_percent(p80, 1),
                format!("{gini:.2}"),
            ],
        ));
    }
    let config = &d.groups.config;
    let whole = |v: f64| format_percent(v, 0);
    let parts: Vec<String> = GroupKind::ALL
        .into_iter()
        .filter(|&kind| d.groups.status_of(kind) == GroupStatus::Computed)
        .map(|kind| {
            let n = format_number(d.groups.members(kind).len() as f64, 0);
            match kind {
                GroupKind::Retain => text(
                    Text::SummaryGroupRetain,
                    &[n, whole(config.retain_sales_share)],
                ),
                GroupKind::Grow => text(
                    Text::SummaryGroupGrow,
                    &[
                        n,
                        whole(config.grow_from_share),
                        whole(config.grow_to_share),
                    ],
                ),
                GroupKind::Declining => text(
                    Text::SummaryGroupDeclining,
                    &[n, whole(config.decline_threshold)],
                ),
                GroupKind::Transaction => text(Text::SummaryGroupTransaction, &[n]),
            }
        })
        .collect();
    if !parts.is_empty() {
        sentences.push(text(
            Text::SummaryGroups,
            &[parts.join(Text::ListSeparator.get(lang))],
        ));
    }
    sentences
}

/// One line of the method notes: a label and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What.
    pub label: String,
    /// The value used.
    pub value: String,
}

impl Note {
    fn new(label: Text, value: String, lang: Lang) -> Self {
        Note {
            label: label.get(lang).to_string(),
            value,
        }
    }
}

/// Every parameter and fact the figures depend on.
pub fn method_notes(inputs: &ReportInputs<'_>, lang: Lang) -> Vec<Note> {
    let note = |label: Text, value: String| Note::new(label, value, lang);
    let word = |t: Text| t.get(lang).to_string();
    let count = |n: u64| format_number(n as f64, 0);
    let settings = &inputs.import.settings;
    let mut notes = vec![
        note(Text::File, isolated(inputs.file_name, FILE_NAME_CHARS)),
        note(Text::Encoding, settings.encoding.clone()),
        note(Text::Delimiter, word(delimiter_text(settings.delimiter))),
        note(Text::NoteHeaderRow, word(yes_no(settings.has_header))),
        note(
            Text::DecimalSeparator,
            match settings.decimal {
                DecimalSeparator::Point => ".".into(),
                DecimalSeparator::Comma => ",".into(),
            },
        ),
        note(Text::DateOrder, word(date_order_text(settings.date_order))),
        note(Text::RowsRead, count(inputs.import.rows_read)),
        note(Text::NoteRowsRejected, count(inputs.import.rows_rejected)),
        note(Text::ReturnRows, count(inputs.import.return_rows)),
    ];
    let header = |index: Option<usize>| {
        index
            .and_then(|i| settings.headers.get(i))
            .map(|h| isolated(h, CELL_CHARS))
            .unwrap_or_else(|| "–".into())
    };
    let mapping = &settings.mapping;
    notes.push(note(
        Text::NoteMapping,
        sentence(
            Text::NoteMappingValue.get(lang),
            &[
                header(mapping.customer),
                header(mapping.order),
                header(mapping.date),
                header(mapping.amount),
                header(mapping.profit),
            ],
        ),
    ));
    if settings.summary.is_some() {
        // Issue 17: the figures come from one row per customer, not from order lines.
        notes.push(note(Text::SumInputFact, word(Text::SumInputSummary)));
    }
    if let Some(d) = inputs.deciles {
        notes.extend(decile_notes(d, lang));
    }
    notes.extend(inputs.rfm.map(|rfm| super::rfm::method_note(rfm, lang)));
    notes.extend(
        inputs
            .lifecycle
            .map(|l| super::lifecycle::method_note(l, lang)),
    );
    notes.extend(inputs.clv.map(|c| super::clv::method_note(c, lang)));
    notes.extend(
        inputs
            .clusters
            .map(|c| super::clusters::method_note(c, lang)),
    );
    notes.extend(
        inputs
            .loyalty
            .map(|(a, survey)| super::loyalty::method_note(a, survey, lang)),
    );
    notes.extend(inputs.swot.map(|_| super::swot::method_note(lang)));
    notes.push(note(Text::NotePrivacy, word(Text::NotePrivacyValue)));
    notes
}

/// The method notes of the deciles: the analysis day and periods, the ranking, each group's
/// definition with its thresholds.
fn decile_notes(d: &DecileAnalysis, lang: Lang) -> Vec<Note> {
    let note = |label: Text, template: Text, values: &[String]| {
        Note::new(label, sentence(template.get(lang), values), lang)
    };
    let whole = |v: f64| format_percent(v, 0);
    let c = &d.groups.config;
    let mut notes = Vec::new();
    if let Some(periods) = d.groups.periods {
        let span = |first, last| {
            sentence(
                Text::DateSpan.get(lang),
                &[format_date(first, lang), format_date(last, lang)],
            )
        };
        notes.push(Note::new(
            Text::ParamAnalysisDate,
            format_date(periods.analysis_day, lang),
            lang,
        ));
        notes.push(note(
            Text::NotePeriods,
            Text::NotePeriodsValue,
            &[
                c.period_months.to_string(),
                span(periods.latest.first_day, periods.latest.last_day),
                span(periods.previous.first_day, periods.previous.last_day),
            ],
        ));
    }
    notes.push(note(Text::NoteDeciles, Text::NoteDecilesValue, &[]));
    notes.push(note(
        Text::GroupRetain,
        Text::NoteRetainValue,
        &[whole(c.retain_sales_share)],
    ));
    notes.push(note(
        Text::GroupGrow,
        Text::NoteGrowValue,
        &[whole(c.grow_from_share), whole(c.grow_to_share)],
    ));
    notes.push(note(
        Text::GroupDeclining,
        Text::NoteDecliningValue,
        &[whole(c.decline_threshold)],
    ));
    notes.push(note(
        Text::GroupTransaction,
        Text::NoteTransactionValue,
        &[
            c.transaction_margin_decile.to_string(),
            c.transaction_max_orders.to_string(),
        ],
    ));
    notes
}

/// The cover's date: the ISO date typed (`YYYY-MM-DD`), or `today` when none was, formatted in
/// `lang`; text that is not a date is shown as typed.
pub fn cover_date(typed: &str, today: &str, lang: Lang) -> String {
    let text = if typed.is_empty() { today } else { typed };
    Day::parse_iso(text)
        .map(|day| format_date(day, lang))
        .unwrap_or_else(|| text.to_string())
}

/// The report's title: the one typed on the cover, or the default title in `lang`.
pub fn cover_title(typed: &str, lang: Lang) -> String {
    if typed.trim().is_empty() {
        Text::ReportTitle.get(lang).to_string()
    } else {
        typed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::deciles::{analyse_deciles, GroupConfig};
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::summary::summarize;

    #[test]
    fn summary_sentences_state_the_numbers() {
        let csv = "客户编号,订单号,订单日期,金额,利润\nA,1,2024-01-05,100,20\nA,2,2024-02-05,50,5\nB,3,2024-03-01,30,3\nC,4,2024-03-02,x,1\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let summary = summarize(&outcome.table, &outcome.report);
        let deciles = analyse_deciles(&outcome.table, &GroupConfig::default()).unwrap();
        let inputs = ReportInputs {
            file_name: "订单.csv",
            summary: &summary,
            import: &outcome.report,
            deciles: Some(&deciles),
            rfm: None,
            lifecycle: None,
            clv: None,
            clusters: None,
            swot: None,
            loyalty: None,
        };
        let zh = executive_summary(&inputs, Lang::Zh);
        assert!(
            zh[0].contains("2 位客户的 3 笔订单") && zh[0].contains("180.00"),
            "{zh:?}"
        );
        assert!(
            zh.iter().any(|s| s.contains("其中 1 行因数据问题未计入")),
            "{zh:?}"
        );
        assert!(zh[0].contains("“订单.csv”"), "{zh:?}");
        let spoof = ReportInputs {
            file_name: "x\u{202E}gnp.exe",
            ..inputs
        };
        let en = executive_summary(&spoof, Lang::En);
        assert!(
            en[0].contains("“\u{2068}x\u{202E}gnp.exe\u{2069}”"),
            "{en:?}"
        );
        let en = executive_summary(&inputs, Lang::En);
        assert!(en[0].contains("3 orders of 2 customers"), "{en:?}");
        assert!(
            en.iter().any(|s| s.starts_with("Groups: 1 retain")),
            "{en:?}"
        );
        let notes = method_notes(&inputs, Lang::En);
        assert!(notes
            .iter()
            .any(|n| n.label == "Rows rejected (not in any figure)" && n.value == "1"));
        assert!(notes
            .iter()
            .any(|n| n.label == "Encoding" && n.value == "UTF-8"));
    }

    #[test]
    fn every_sentence_and_note_in_both_languages() {
        let csv = "客户编号,订单号,订单日期,金额,利润\nA,1,2023-01-05,100,20\nA,2,2024-02-05,50,5\nB,3,2024-03-01,30,3\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let summary = summarize(&outcome.table, &outcome.report);
        let deciles = analyse_deciles(&outcome.table, &GroupConfig::default()).unwrap();
        let inputs = ReportInputs {
            file_name: "orders.csv",
            summary: &summary,
            import: &outcome.report,
            deciles: Some(&deciles),
            rfm: None,
            lifecycle: None,
            clv: None,
            clusters: None,
            swot: None,
            loyalty: None,
        };
        let zh = executive_summary(&inputs, Lang::Zh);
        let en = executive_summary(&inputs, Lang::En);
        assert_eq!(zh.len(), en.len());
        assert!(zh[0].contains("2023年1月5日至2024年3月1日期间"), "{zh:?}");
        assert!(zh
            .iter()
            .any(|s| s.starts_with("销售额集中度：") && s.contains("基尼系数为")));
        assert!(zh
            .iter()
            .any(|s| s.starts_with("客户分组：") && s.contains("位保持客户") && s.contains("；")));
        assert!(zh.iter().any(|s| s.contains("全部计入分析")));
        assert!(en
            .iter()
            .any(|s| s.starts_with("Concentration: the top 10 % of customers make")));
        assert!(en.iter().any(|s| s.starts_with("All 3 data rows")));
        // No English sentence in the Chinese summary, no Chinese one in the English summary
        // (the file name aside).
        for s in &zh {
            assert!(
                s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{s}"
            );
        }
        for s in &en {
            assert!(
                !s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{s}"
            );
        }

        let zh = method_notes(&inputs, Lang::Zh);
        let en = method_notes(&inputs, Lang::En);
        assert_eq!(zh.len(), en.len());
        let value = |notes: &[Note], label: &str| {
            notes
                .iter()
                .find(|n| n.label == label)
                .map(|n| n.value.clone())
                .unwrap_or_else(|| panic!("no note {label}: {notes:?}"))
        };
        assert_eq!(value(&zh, "分隔符"), Text::Comma.get(Lang::Zh));
        assert_eq!(value(&zh, "表头"), "是");
        assert!(value(&zh, "列映射").starts_with("客户 = 客户编号；订单 = 订单号"));
        assert!(value(&zh, "比较期（衰退）").starts_with("最近 12 个月（"));
        assert_eq!(value(&en, "Header row"), "yes");
        assert!(value(&en, "Retain").starts_with("customers making the first 10%"));
        assert!(value(&en, "Transaction customers")
            .contains("lowest 1 margin decile(s) and at most 1 order(s)"));
        assert_eq!(value(&en, "Privacy"), Text::NotePrivacyValue.get(Lang::En));
        for n in &en {
            let both = format!("{}{}", n.label, n.value);
            assert!(
                !both.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                    || n.label == "Column mapping",
                "{n:?}"
            );
        }
    }

    #[test]
    fn the_cover_falls_back_to_today_and_the_default_title() {
        assert_eq!(cover_date("", "2024-01-05", Lang::Zh), "2024年1月5日");
        assert_eq!(
            cover_date("2023-12-31", "2024-01-05", Lang::En),
            "31 Dec 2023"
        );
        assert_eq!(cover_date("soon", "2024-01-05", Lang::En), "soon");
        assert_eq!(cover_title("  ", Lang::En), Text::ReportTitle.get(Lang::En));
        assert_eq!(cover_title("Q3", Lang::Zh), "Q3");
    }
}
