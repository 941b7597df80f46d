//! The printed report (分析报告): the executive summary in sentences and the method notes, in
//! Chinese or English. Pure functions of the analysis results, so they are tested natively and the
//! report view only lays them out.

use crate::display::{isolated, CELL_CHARS, FILE_NAME_CHARS};
use crate::engine::deciles::{DecileAnalysis, GroupKind, GroupStatus};
use crate::engine::ingest::dialect::Delimiter;
use crate::engine::ingest::values::{DateOrder, DecimalSeparator};
use crate::engine::ingest::ImportReport;
use crate::engine::rfm::RfmAnalysis;
use crate::engine::summary::Summary;
use crate::engine::swot::Workbench;
use crate::i18n::{format_date, format_money, format_number, format_percent, Lang};

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
    /// The SWOT boards, when our board has items.
    pub swot: Option<&'a Workbench>,
}

fn pick(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The executive summary: the key numbers, one sentence each.
pub fn executive_summary(inputs: &ReportInputs<'_>, lang: Lang) -> Vec<String> {
    let s = inputs.summary;
    let mut sentences = Vec::new();
    let period = match (s.first_day, s.last_day) {
        (Some(a), Some(b)) => Some((format_date(a, lang), format_date(b, lang))),
        _ => None,
    };
    let customers = format_number(s.customers as f64, 0);
    let orders = format_number(s.orders as f64, 0);
    // The user's file name inside a sentence: cut, and isolated from the text around it.
    let file_name = isolated(inputs.file_name, FILE_NAME_CHARS);
    let sales = format_money(s.total_sales);
    sentences.push(match (&period, lang) {
        (Some((a, b)), Lang::Zh) => format!("本报告分析了“{}”：{a}至{b}期间 {customers} 位客户的 {orders} 笔订单，净销售额 {sales}。", file_name),
        (None, Lang::Zh) => format!("本报告分析了“{}”：{customers} 位客户的 {orders} 笔订单，净销售额 {sales}。", file_name),
        (Some((a, b)), Lang::En) => format!("This report analyses “{}”: {orders} orders of {customers} customers from {a} to {b}, with net sales of {sales}.", file_name),
        (None, Lang::En) => format!("This report analyses “{}”: {orders} orders of {customers} customers, with net sales of {sales}.", file_name),
    });
    if let (Some(profit), Some(margin)) = (s.total_profit, s.margin()) {
        sentences.push(pick(
            lang,
            format!(
                "利润合计 {}，利润率 {}。",
                format_money(profit),
                format_percent(margin, 1)
            ),
            format!(
                "Profit totals {}, a margin of {}.",
                format_money(profit),
                format_percent(margin, 1)
            ),
        ));
    }
    if let Some(d) = inputs.deciles {
        let top = d.by_sales.first().and_then(|d| d.sales_share);
        if let (Some(top), Some(p80), Some(gini)) = (
            top,
            d.lorenz_sales.pareto80_customer_share,
            d.lorenz_sales.gini,
        ) {
            sentences.push(pick(
                lang,
                format!(
                    "销售额集中度：销售额最高的 10% 客户贡献了 {} 的销售额；{} 的客户贡献了 80% 的销售额；基尼系数为 {gini:.2}。",
                    format_percent(top, 1),
                    format_percent(p80, 1)
                ),
                format!(
                    "Concentration: the top 10 % of customers make {} of sales; {} of customers make 80 % of sales; the Gini coefficient is {gini:.2}.",
                    format_percent(top, 1),
                    format_percent(p80, 1)
                ),
            ));
        }
        let count = |kind: GroupKind| {
            (d.groups.status_of(kind) == GroupStatus::Computed)
                .then(|| format_number(d.groups.members(kind).len() as f64, 0))
        };
        let config = &d.groups.config;
        let mut parts = Vec::new();
        if let Some(n) = count(GroupKind::Retain) {
            parts.push(pick(
                lang,
                format!(
                    "{n} 位保持客户贡献了前 {} 的销售额",
                    format_percent(config.retain_sales_share, 0)
                ),
                format!(
                    "{n} retain customers make the first {} of sales",
                    format_percent(config.retain_sales_share, 0)
                ),
            ));
        }
        if let Some(n) = count(GroupKind::Grow) {
            parts.push(pick(
                lang,
                format!(
                    "{n} 位发展客户构成 {}–{} 的销售额区间",
                    format_percent(config.grow_from_share, 0),
                    format_percent(config.grow_to_share, 0)
                ),
                format!(
                    "{n} grow customers make up the {}–{} slice",
                    format_percent(config.grow_from_share, 0),
                    format_percent(config.grow_to_share, 0)
                ),
            ));
        }
        if let Some(n) = count(GroupKind::Declining) {
            parts.push(pick(
                lang,
                format!(
                    "{n} 位客户仍盈利但销售额下降至少 {}（衰退）",
                    format_percent(config.decline_threshold, 0)
                ),
                format!(
                    "{n} still profitable customers are down at least {} (declining)",
                    format_percent(config.decline_threshold, 0)
                ),
            ));
        }
        if let Some(n) = count(GroupKind::Transaction) {
            parts.push(pick(
                lang,
                format!("{n} 位是交易客户"),
                format!("{n} are transaction customers"),
            ));
        }
        if !parts.is_empty() {
            sentences.push(match lang {
                Lang::Zh => format!("客户分组：{}。", parts.join("；")),
                Lang::En => {
                    let mut text = format!("Groups: {}.", parts.join("; "));
                    if let Some(first) = text.get_mut(8..9) {
                        first.make_ascii_uppercase();
                    }
                    text
                }
            });
        }
    }
    if let Some(rfm) = inputs.rfm {
        sentences.extend(super::rfm::report_sentences(rfm, lang));
    }
    if let Some(swot) = inputs.swot {
        sentences.extend(super::swot::report_sentences(swot, lang));
    }
    sentences.push(pick(
        lang,
        format!(
            "复购率（两笔及以上订单的客户占比）为 {}。",
            format_percent(s.repeat_rate(), 1)
        ),
        format!(
            "The repeat-purchase rate (customers with two or more orders) is {}.",
            format_percent(s.repeat_rate(), 1)
        ),
    ));
    let rejected = inputs.import.rows_rejected;
    sentences.push(match (rejected, lang) {
        (0, Lang::Zh) => format!("文件的 {} 行数据全部计入分析；{} 行退货已按客户冲减。", format_number(s.rows_read as f64, 0), format_number(s.return_rows as f64, 0)),
        (0, Lang::En) => format!("All {} data rows of the file are in the analysis; {} return rows are netted per customer.", format_number(s.rows_read as f64, 0), format_number(s.return_rows as f64, 0)),
        (n, Lang::Zh) => format!("文件共 {} 行数据，其中 {} 行因数据问题未计入（见方法说明）；{} 行退货已按客户冲减。", format_number(s.rows_read as f64, 0), format_number(n as f64, 0), format_number(s.return_rows as f64, 0)),
        (n, Lang::En) => format!("Of the file's {} data rows, {} were left out for data problems (see the method notes); {} return rows are netted per customer.", format_number(s.rows_read as f64, 0), format_number(n as f64, 0), format_number(s.return_rows as f64, 0)),
    });
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

/// Every parameter and fact the figures depend on.
pub fn method_notes(inputs: &ReportInputs<'_>, lang: Lang) -> Vec<Note> {
    let note = |zh: &str, en: &str, value: String| Note {
        label: pick(lang, zh.into(), en.into()),
        value,
    };
    let settings = &inputs.import.settings;
    let delimiter = match (settings.delimiter, lang) {
        (Delimiter::Comma, Lang::Zh) => "逗号",
        (Delimiter::Semicolon, Lang::Zh) => "分号",
        (Delimiter::Tab, Lang::Zh) => "制表符",
        (Delimiter::Pipe, Lang::Zh) => "竖线",
        (Delimiter::Whitespace, Lang::Zh) => "空格对齐",
        (d, Lang::En) => d.as_str(),
    };
    let mut notes = vec![
        note("文件", "File", isolated(inputs.file_name, FILE_NAME_CHARS)),
        note("编码", "Encoding", settings.encoding.clone()),
        note("分隔符", "Delimiter", delimiter.to_string()),
        note(
            "表头",
            "Header row",
            pick(
                lang,
                if settings.has_header { "有" } else { "无" }.into(),
                if settings.has_header { "yes" } else { "no" }.into(),
            ),
        ),
        note(
            "小数点",
            "Decimal separator",
            match settings.decimal {
                DecimalSeparator::Point => ".".into(),
                DecimalSeparator::Comma => ",".into(),
            },
        ),
        note(
            "日期顺序",
            "Date order",
            match (settings.date_order, lang) {
                (DateOrder::DayFirst, Lang::Zh) => "日/月/年".into(),
                (DateOrder::MonthFirst, Lang::Zh) => "月/日/年".into(),
                (DateOrder::DayFirst, Lang::En) => "day/month/year".into(),
                (DateOrder::MonthFirst, Lang::En) => "month/day/year".into(),
            },
        ),
        note(
            "读取行数",
            "Rows read",
            format_number(inputs.import.rows_read as f64, 0),
        ),
        note(
            "拒绝行数（未计入分析）",
            "Rows rejected (not in any figure)",
            format_number(inputs.import.rows_rejected as f64, 0),
        ),
        note(
            "退货行（已冲减）",
            "Return rows (netted)",
            format_number(inputs.import.return_rows as f64, 0),
        ),
    ];
    let header = |index: Option<usize>| {
        index
            .and_then(|i| settings.headers.get(i))
            .map(|h| isolated(h, CELL_CHARS))
            .unwrap_or_else(|| "–".into())
    };
    notes.push(note(
        "列映射",
        "Column mapping",
        pick(
            lang,
            format!(
                "客户 = {}；订单 = {}；日期 = {}；金额 = {}；利润 = {}",
                header(settings.mapping.customer),
                header(settings.mapping.order),
                header(settings.mapping.date),
                header(settings.mapping.amount),
                header(settings.mapping.profit)
            ),
            format!(
                "customer = {}; order = {}; date = {}; amount = {}; profit = {}",
                header(settings.mapping.customer),
                header(settings.mapping.order),
                header(settings.mapping.date),
                header(settings.mapping.amount),
                header(settings.mapping.profit)
            ),
        ),
    ));
    if let Some(d) = inputs.deciles {
        let c = &d.groups.config;
        if let Some(periods) = d.groups.periods {
            notes.push(note(
                "分析日期",
                "Analysis date",
                format_date(periods.analysis_day, lang),
            ));
            notes.push(note(
                "比较期（衰退）",
                "Compared periods (declining)",
                pick(
                    lang,
                    format!(
                        "最近 {} 个月（{} – {}）对比上 {} 个月（{} – {}），按整月",
                        c.period_months,
                        format_date(periods.latest.first_day, lang),
                        format_date(periods.latest.last_day, lang),
                        c.period_months,
                        format_date(periods.previous.first_day, lang),
                        format_date(periods.previous.last_day, lang)
                    ),
                    format!(
                        "latest {} months ({} – {}) against the {} months before ({} – {}), whole months",
                        c.period_months,
                        format_date(periods.latest.first_day, lang),
                        format_date(periods.latest.last_day, lang),
                        c.period_months,
                        format_date(periods.previous.first_day, lang),
                        format_date(periods.previous.last_day, lang)
                    ),
                ),
            ));
        }
        notes.push(note(
            "十分位",
            "Deciles",
            pick(
                lang,
                "客户按销售额（或利润）从高到低排序，金额相同按客户编号排序；十组人数相等（最多相差一人，多出的在前）；占比按带符号的合计计算".into(),
                "customers ranked by sales (or profit), largest first, equal values by customer id; ten groups of equal size (differing by at most one, larger groups first); shares of the signed totals".into(),
            ),
        ));
        notes.push(note(
            "保持客户",
            "Retain",
            pick(
                lang,
                format!(
                    "累计贡献前 {} 销售额的客户（跨过分界的客户计入）",
                    format_percent(c.retain_sales_share, 0)
                ),
                format!(
                    "customers making the first {} of sales (the one crossing the cut included)",
                    format_percent(c.retain_sales_share, 0)
                ),
            ),
        ));
        notes.push(note(
            "发展客户",
            "Grow",
            pick(
                lang,
                format!(
                    "累计销售额落在 {}–{} 区间的客户",
                    format_percent(c.grow_from_share, 0),
                    format_percent(c.grow_to_share, 0)
                ),
                format!(
                    "customers whose cumulative sales fall in the {}–{} band",
                    format_percent(c.grow_from_share, 0),
                    format_percent(c.grow_to_share, 0)
                ),
            ),
        ));
        notes.push(note(
            "衰退客户",
            "Declining",
            pick(
                lang,
                format!("最近一期仍盈利，且销售额比上一期下降至少 {}", format_percent(c.decline_threshold, 0)),
                format!("profitable in the latest period and sales down at least {} on the previous period", format_percent(c.decline_threshold, 0)),
            ),
        ));
        notes.push(note(
            "交易客户",
            "Transaction customers",
            pick(
                lang,
                format!(
                    "利润率在最低的 {} 个十分位内，且订单数不超过 {}",
                    c.transaction_margin_decile, c.transaction_max_orders
                ),
                format!(
                    "margin in the lowest {} margin decile(s) and at most {} order(s)",
                    c.transaction_margin_decile, c.transaction_max_orders
                ),
            ),
        ));
    }
    notes.extend(inputs.rfm.map(|rfm| super::rfm::method_note(rfm, lang)));
    notes.extend(inputs.swot.map(|_| super::swot::method_note(lang)));
    notes.push(note(
        "隐私",
        "Privacy",
        pick(
            lang,
            "全部计算在本机浏览器中完成，数据没有发送到任何服务器。".into(),
            "Every figure was computed in the browser on this computer; no data was sent to any server.".into(),
        ),
    ));
    notes
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
            swot: None,
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
}
