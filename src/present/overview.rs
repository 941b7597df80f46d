//! The data overview (数据概览) as shown, on screen and in the report: the headline figures, the
//! row counts of the strip under the header, how the file was read, the runaway-quote notice,
//! the rejected rows (the first ones listed, all of them as CSV) and the monthly sales chart.

use super::{sentence, share, ChartTable, Csv, Figure, Metric, Notice};
use crate::charts::monthly::render_monthly_sales_svg;
use crate::charts::ChartStyle;
use crate::display::shown_row_error;
use crate::engine::customers::Columns;
use crate::engine::ingest::dialect::Delimiter;
use crate::engine::ingest::values::{DateOrder, DecimalSeparator};
use crate::engine::ingest::{ImportOutcome, ImportReport, ImportSettings, TableSource};
use crate::engine::monthly::MonthlySales;
use crate::engine::summary::Summary;
use crate::engine::Error;
use crate::i18n::{
    format_date, format_money, format_month, format_number, format_percent, row_error_text,
    row_problem_text, Lang, Text,
};

/// The file name without its extension (`orders.csv` → `orders`), for the names of downloads.
pub fn file_stem(file_name: &str) -> &str {
    file_name
        .rsplit_once('.')
        .map(|(stem, _)| stem)
        .unwrap_or(file_name)
}

/// The headline figures: customers, orders, total sales, [total profit, margin], average order
/// value, repeat-purchase rate, return rows.
pub fn headline(s: &Summary, lang: Lang) -> Vec<Metric> {
    let mut metrics = vec![
        Metric::count("customers", Text::Customers.get(lang), s.customers as u64),
        Metric::count("orders", Text::Orders.get(lang), s.orders),
        Metric::new(
            "total_sales",
            Text::TotalSales.get(lang),
            s.total_sales,
            format_money(s.total_sales),
        ),
    ];
    if let Some(profit) = s.total_profit {
        metrics.push(Metric::new(
            "total_profit",
            Text::TotalProfit.get(lang),
            profit,
            format_money(profit),
        ));
        metrics.push(Metric::new(
            "margin",
            Text::Margin.get(lang),
            s.margin().unwrap_or(f64::NAN),
            share(s.margin()),
        ));
    }
    metrics.extend([
        Metric::new(
            "average_order_value",
            Text::AverageOrderValue.get(lang),
            s.average_order_value(),
            format_money(s.average_order_value()),
        ),
        Metric::new(
            "repeat_rate",
            Text::RepeatRate.get(lang),
            s.repeat_rate(),
            format_percent(s.repeat_rate(), 1),
        ),
        Metric::count("return_rows", Text::ReturnRows.get(lang), s.return_rows),
    ]);
    metrics
}

/// The row counts shown on every view: rows read, rows rejected (in the warning tone when
/// there are any).
pub fn row_counts(s: &Summary, lang: Lang) -> Vec<Metric> {
    vec![
        Metric::count("rows_read", Text::RowsRead.get(lang), s.rows_read),
        Metric::count(
            "rows_rejected",
            Text::RowsRejected.get(lang),
            s.rows_rejected,
        )
        .tone(if s.rows_rejected > 0 { "warn" } else { "plain" }),
    ]
}

/// The report's key figures: the headline figures and the row counts.
pub fn key_figures(s: &Summary, lang: Lang) -> Vec<Metric> {
    let mut figures = headline(s, lang);
    figures.extend(row_counts(s, lang));
    figures
}

/// The first and the last day of the data (`–` without dates).
pub fn period(s: &Summary, lang: Lang) -> String {
    match (s.first_day, s.last_day) {
        (Some(first), Some(last)) => sentence(
            Text::DateSpan.get(lang),
            &[format_date(first, lang), format_date(last, lang)],
        ),
        _ => "–".to_string(),
    }
}

/// The name of a delimiter.
pub fn delimiter_text(delimiter: Delimiter) -> Text {
    match delimiter {
        Delimiter::Comma => Text::Comma,
        Delimiter::Semicolon => Text::Semicolon,
        Delimiter::Tab => Text::Tab,
        Delimiter::Pipe => Text::Pipe,
        Delimiter::Whitespace => Text::Whitespace,
    }
}

/// The name of a decimal separator.
pub fn decimal_text(decimal: DecimalSeparator) -> Text {
    match decimal {
        DecimalSeparator::Point => Text::PointDecimal,
        DecimalSeparator::Comma => Text::CommaDecimal,
    }
}

/// The name of a date order.
pub fn date_order_text(order: DateOrder) -> Text {
    match order {
        DateOrder::DayFirst => Text::DayFirst,
        DateOrder::MonthFirst => Text::MonthFirst,
    }
}

/// Yes or no.
pub fn yes_no(value: bool) -> Text {
    if value {
        Text::Yes
    } else {
        Text::No
    }
}

/// One fact of how the file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// Machine name (`data-fact`), for the facts tests read.
    pub name: Option<&'static str>,
    /// What.
    pub label: &'static str,
    /// The value.
    pub value: String,
}

/// How the file was read: encoding, delimiter, header row, decimal separator, and the date order
/// when there are dates.
pub fn reading_facts(report: &ImportReport, columns: Columns, lang: Lang) -> Vec<Fact> {
    let settings = &report.settings;
    let fact = |name, label: Text, value: String| Fact {
        name,
        label: label.get(lang),
        value,
    };
    let mut facts = match &settings.source {
        TableSource::Text => text_facts(settings, lang),
        TableSource::Xlsx { sheet } => vec![
            fact(
                Some("format"),
                Text::FileFormat,
                Text::FormatExcel.get(lang).into(),
            ),
            fact(Some("sheet"), Text::SheetName, sheet.clone()),
        ],
        TableSource::Parquet => vec![fact(
            Some("format"),
            Text::FileFormat,
            Text::FormatParquet.get(lang).into(),
        )],
    };
    facts.push(fact(
        None,
        Text::DecimalSeparator,
        decimal_text(settings.decimal).get(lang).to_string(),
    ));
    if columns.date {
        facts.push(fact(
            None,
            Text::DateOrder,
            date_order_text(settings.date_order).get(lang).to_string(),
        ));
    }
    if report.blank_rows > 0 {
        facts.push(fact(
            Some("blank-rows"),
            Text::BlankRowsSkipped,
            format_number(report.blank_rows as f64, 0),
        ));
    }
    facts
}

/// How a text file was read: its encoding, delimiter and header row.
fn text_facts(settings: &ImportSettings, lang: Lang) -> Vec<Fact> {
    let fact = |name, label: Text, value: String| Fact {
        name,
        label: label.get(lang),
        value,
    };
    vec![
        fact(Some("encoding"), Text::Encoding, settings.encoding.clone()),
        fact(
            Some("delimiter"),
            Text::Delimiter,
            delimiter_text(settings.delimiter).get(lang).to_string(),
        ),
        fact(
            None,
            Text::HeaderRow,
            yes_no(settings.has_header).get(lang).to_string(),
        ),
    ]
}

/// What is off for lack of a column: profit, dates.
pub fn column_notices(columns: Columns, lang: Lang) -> Vec<Notice> {
    let mut notes = Vec::new();
    if !columns.profit {
        notes.push(Notice::new("no-profit", Text::NoProfitColumn.get(lang)));
    }
    if !columns.date {
        notes.push(Notice::new("no-date", Text::NoDateColumn.get(lang)));
    }
    notes
}

/// Quoted fields that ran over many lines (a quote left open): the notice, and the lines they
/// held (`runaway_quote_lines`). `None` when there are none.
pub fn runaway_notice(report: &ImportReport, lang: Lang) -> Option<(String, u64)> {
    let runaways = report.runaway_quotes;
    let first_line = runaways.first_line.filter(|_| runaways.count > 0)?;
    let template = if runaways.count == 1 {
        Text::RunawayQuoteOne
    } else {
        Text::RunawayQuotesMany
    };
    let text = sentence(
        template.get(lang),
        &[
            first_line.to_string(),
            format_number(runaways.lines as f64, 0),
            format_number(runaways.count as f64, 0),
        ],
    );
    Some((text, runaways.lines))
}

/// The rejected rows panel's title, with the count.
pub fn rejected_title(report: &ImportReport, lang: Lang) -> String {
    sentence(
        Text::RejectedTitleCount.get(lang),
        &[format_number(report.rows_rejected as f64, 0)],
    )
}

/// One of the first rejected rows as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedLine {
    /// The line number.
    pub line: String,
    /// The column as written in the file (the view cuts and isolates it).
    pub column: String,
    /// The value as written in the file (idem).
    pub value: String,
    /// Why it was rejected.
    pub reason: String,
    /// The whole error in a sentence (user text cut and isolated).
    pub sentence: String,
}

/// The first rejected rows the import kept, at most `max` of them.
pub fn rejected_lines(report: &ImportReport, max: usize, lang: Lang) -> Vec<RejectedLine> {
    report
        .first_errors
        .iter()
        .take(max)
        .map(|e| RejectedLine {
            line: e.line.to_string(),
            column: e.column.clone(),
            value: e.value.clone(),
            reason: row_problem_text(e.problem, lang),
            sentence: row_error_text(&shown_row_error(e), lang),
        })
        .collect()
}

/// Every rejected row the import kept, as `STEM-rejected.csv`: line, column, reason, then the
/// row's cells under the file's own headers.
pub fn rejected_csv(outcome: &ImportOutcome, file_name: &str, lang: Lang) -> Csv {
    let mut header: Vec<String> = [Text::Line, Text::Column, Text::Reason]
        .iter()
        .map(|t| t.get(lang).to_string())
        .collect();
    header.extend(outcome.report.settings.headers.iter().cloned());
    Csv {
        file: format!("{}-rejected", file_stem(file_name)),
        header,
        rows: outcome
            .rejected
            .iter()
            .map(|row| {
                let mut cells = vec![
                    row.error.line.to_string(),
                    row.error.column.clone(),
                    row_problem_text(row.error.problem, lang),
                ];
                cells.extend(row.cells.iter().cloned());
                cells
            })
            .collect(),
    }
}

/// Net sales per month: the chart, its table and the finding (months, the best one). `None`
/// without dated sales.
pub fn monthly_figure(monthly: &[MonthlySales], style: &ChartStyle) -> Option<Figure> {
    let lang = style.lang;
    let svg = match render_monthly_sales_svg(monthly, style) {
        Err(Error::NoData) => return None,
        svg => svg,
    };
    let table = monthly.iter().fold(
        ChartTable::new([Text::Month.get(lang), Text::Sales.get(lang)]),
        |t, m| t.row([format_month(m.month, lang), format_money(m.sales)]),
    );
    let finding = monthly
        .iter()
        .max_by(|a, b| a.sales.total_cmp(&b.sales))
        .map(|m| {
            sentence(
                Text::FindingMonthly.get(lang),
                &[
                    format_number(monthly.len() as f64, 0),
                    format_month(m.month, lang),
                    format_money(m.sales),
                ],
            )
        });
    Some(Figure::new(
        "monthly-sales",
        Text::MonthlySalesTitle.get(lang).to_string(),
        Text::DescMonthlySales.get(lang),
        finding,
        table,
        svg,
        lang,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::monthly::monthly_sales;
    use crate::engine::summary::summarize;

    const CSV: &str = "客户编号,订单号,订单日期,金额,利润\nA,1,2024-01-05,100,20\nA,2,2024-02-05,-50,-5\nB,3,2024-03-01,30,3\nC,4,2024-03-02,x,1\n";

    fn outcome() -> ImportOutcome {
        import_bytes(CSV.as_bytes(), &InspectOptions::default()).unwrap()
    }

    #[test]
    fn headline_figures_in_both_languages() {
        let outcome = outcome();
        let summary = summarize(&outcome.table, &outcome.report);
        for lang in [Lang::Zh, Lang::En] {
            let metrics = headline(&summary, lang);
            let names: Vec<&str> = metrics.iter().map(|m| m.name).collect();
            assert_eq!(
                names,
                [
                    "customers",
                    "orders",
                    "total_sales",
                    "total_profit",
                    "margin",
                    "average_order_value",
                    "repeat_rate",
                    "return_rows"
                ]
            );
            assert_eq!(metrics[0].label, Text::Customers.get(lang));
            assert_eq!(metrics[0].raw(), "2");
            assert_eq!(metrics[2].raw(), "80");
            assert_eq!(metrics[7].raw(), "1");
            let counts = row_counts(&summary, lang);
            assert_eq!(
                (counts[1].name, counts[1].raw(), counts[1].tone),
                ("rows_rejected", "1".to_string(), Some("warn"))
            );
            assert_eq!(key_figures(&summary, lang).len(), 10);
        }
        assert_eq!(period(&summary, Lang::En), "5 Jan 2024 – 1 Mar 2024");
    }

    #[test]
    fn how_the_file_was_read() {
        let outcome = outcome();
        let facts = reading_facts(&outcome.report, outcome.table.columns, Lang::Zh);
        assert_eq!(facts[0].name, Some("encoding"));
        assert_eq!(facts[0].value, "UTF-8");
        assert_eq!(facts[1].value, Text::Comma.get(Lang::Zh));
        assert_eq!(facts.len(), 5);
        assert!(column_notices(outcome.table.columns, Lang::En).is_empty());
        let none = column_notices(Columns::default(), Lang::Zh);
        assert_eq!(
            none.iter().map(|n| n.name).collect::<Vec<_>>(),
            ["no-profit", "no-date"]
        );
        assert_eq!(none[0].text, Text::NoProfitColumn.get(Lang::Zh));
    }

    #[test]
    fn rejected_rows_listed_and_as_csv() {
        let outcome = outcome();
        assert_eq!(rejected_title(&outcome.report, Lang::Zh), "被拒绝的行（1）");
        assert_eq!(
            rejected_title(&outcome.report, Lang::En),
            "Rejected rows (1)"
        );
        let lines = rejected_lines(&outcome.report, 20, Lang::Zh);
        assert_eq!(lines.len(), 1);
        assert_eq!(
            (lines[0].line.as_str(), lines[0].value.as_str()),
            ("5", "x")
        );
        assert!(
            lines[0].sentence.starts_with("第 5 行"),
            "{}",
            lines[0].sentence
        );
        let csv = rejected_csv(&outcome, "orders.v2.csv", Lang::En);
        assert_eq!(csv.file, "orders.v2-rejected");
        assert_eq!(csv.header[..4], ["Line", "Column", "Reason", "客户编号"]);
        assert_eq!(csv.rows.len(), 1);
        assert_eq!(csv.rows[0][..2], ["5", "金额"]);
        assert_eq!(csv.rows[0][3..], ["C", "4", "2024-03-02", "x", "1"]);
    }

    #[test]
    fn runaway_quotes_in_both_languages() {
        let mut report = outcome().report;
        assert_eq!(runaway_notice(&report, Lang::En), None);
        report.runaway_quotes.count = 1;
        report.runaway_quotes.lines = 1200;
        report.runaway_quotes.first_line = Some(7);
        let (en, lines) = runaway_notice(&report, Lang::En).unwrap();
        assert_eq!(lines, 1200);
        assert!(
            en.starts_with("A quote opened on line 7 ") && en.contains("1,200 lines"),
            "{en}"
        );
        report.runaway_quotes.count = 3;
        let (zh, _) = runaway_notice(&report, Lang::Zh).unwrap();
        assert!(
            zh.starts_with("有 3 处引号没有闭合（第一处在第 7 行），共 1,200 行"),
            "{zh}"
        );
    }

    #[test]
    fn the_monthly_chart_is_the_engines_series() {
        let outcome = outcome();
        let monthly = monthly_sales(&outcome.table);
        for lang in [Lang::Zh, Lang::En] {
            let figure = monthly_figure(&monthly, &ChartStyle::new(lang)).unwrap();
            assert_eq!(figure.name, "monthly-sales");
            assert_eq!(figure.title, Text::MonthlySalesTitle.get(lang));
            assert!(figure.svg.is_ok());
            assert_eq!(figure.table.rows.len(), monthly.len());
            assert_eq!(figure.table.rows[0][1], format_money(monthly[0].sales));
            assert!(
                figure.desc.contains(&format_money(100.0)),
                "{}",
                figure.desc
            );
        }
        assert_eq!(monthly_figure(&[], &ChartStyle::new(Lang::En)), None);
    }
}
