//! Breakdowns as shown (分维度分析, issue 20): the table of an attribute's values (customers,
//! sales, profit and their shares), the sales decile × value and RFM segment × value tables, the
//! notes that go with them (top values and "Other", small cells, customers that changed value,
//! unscored customers) and the CSV. The deciles and RFM views and the report call these.
//!
//! Figures the page carries for automation (`<dimension>` is the attribute's machine name such
//! as `region`, `<value>` the value as written, `(blank)` or `(other)`):
//! `dim_customers:<dimension>:<value>`, `dim_sales:<dimension>:<value>`,
//! `dim_profit:<dimension>:<value>`, `dim_customer_share:<dimension>:<value>`,
//! `dim_sales_share:<dimension>:<value>`, `dim_decile_customers:<dimension>:<decile>:<value>`,
//! `dim_segment_customers:<dimension>:<segment English name>:<value>`.

use crate::a11y::ChartTable;
use crate::charts::dimensions::{render_small_multiples_svg, Panel};
use crate::charts::ChartStyle;
use crate::display::{isolated, ID_CHARS, SEGMENT_CHARS};
use crate::engine::dimensions::{Attribute, Breakdown, Cell as Counts, ValueLabel};
use crate::engine::rfm::RfmAnalysis;
use crate::i18n::format_percent;
use crate::i18n::{attribute_kind_text, format_money, format_number, Lang, Text};

use super::rfm::segment_name;
use super::{number, optional, sentence, share, Cell, CellTable, Csv, Figure};

/// Marks a small cell's figure.
const SMALL_MARK: &str = " *";

/// A breakdown ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownShown {
    /// The attribute's name for titles (its header, cut and isolated).
    pub label: String,
    /// Title of the values table.
    pub values_title: String,
    /// One row per value, then the total.
    pub values: CellTable,
    /// Title of the decile table.
    pub deciles_title: String,
    /// Decile rows × value columns.
    pub deciles: CellTable,
    /// Title of the segment table.
    pub segments_title: String,
    /// Segment rows × value columns (without an RFM result: `None`).
    pub segments: Option<CellTable>,
    /// Sentences under the tables.
    pub notes: Vec<String>,
}

/// The name of an attribute for the "Breakdown by" choice and titles: its header, and the kind
/// when the header says nothing (`column 5`).
pub fn attribute_label(attribute: &Attribute, lang: Lang) -> String {
    let kind = attribute
        .kind
        .map(|k| attribute_kind_text(k).get(lang).to_string());
    match (attribute.name.trim(), kind) {
        ("", Some(kind)) => kind,
        (name, Some(kind)) if name.starts_with("column ") => format!("{kind} ({name})"),
        (name, _) => isolated(name, ID_CHARS),
    }
}

/// A value's label in `lang` (the value itself cut and isolated, "(blank)", "Other (n values)").
pub fn value_label(label: &ValueLabel, distinct: usize, lang: Lang) -> String {
    match label {
        ValueLabel::Value(v) => isolated(v, ID_CHARS),
        ValueLabel::Blank => Text::DimBlank.get(lang).to_string(),
        ValueLabel::Other => sentence(Text::DimOtherValues.get(lang), &[distinct.to_string()]),
    }
}

fn count_text(cell: &Counts) -> String {
    let mark = if cell.small { SMALL_MARK } else { "" };
    format!("{}{mark}", format_number(cell.customers as f64, 0))
}

/// Everything shown of `breakdown`; `rfm` names the segment rows (the same analysis the
/// breakdown's segment table came from).
pub fn breakdown_shown(
    breakdown: &Breakdown,
    label: &str,
    rfm: Option<&RfmAnalysis>,
    profit: bool,
    lang: Lang,
) -> BreakdownShown {
    let key = &breakdown.key;
    let labels: Vec<String> = breakdown
        .values
        .iter()
        .map(|v| value_label(&v.label, v.distinct, lang))
        .collect();
    // The values table.
    let mut header = vec![
        Text::DimValue.get(lang).to_string(),
        Text::DimCustomers.get(lang).to_string(),
        Text::DimCustomerShare.get(lang).to_string(),
        Text::DimSales.get(lang).to_string(),
        Text::DimSalesShare.get(lang).to_string(),
    ];
    if profit {
        header.push(Text::DimProfit.get(lang).to_string());
        header.push(Text::DimProfitShare.get(lang).to_string());
    }
    let mut rows = Vec::new();
    let mut marked = Vec::new();
    for (value, shown) in breakdown.values.iter().zip(&labels) {
        let v = value.label.key();
        let t = &value.total;
        let mut row = vec![
            Cell::text(shown.clone()),
            Cell::figure(
                format!("dim_customers:{key}:{v}"),
                Some(t.customers as f64),
                count_text(t),
            ),
            Cell::figure(
                format!("dim_customer_share:{key}:{v}"),
                value.customer_share,
                share(value.customer_share),
            ),
            Cell::figure(
                format!("dim_sales:{key}:{v}"),
                Some(t.sales),
                format_money(t.sales),
            ),
            Cell::figure(
                format!("dim_sales_share:{key}:{v}"),
                value.sales_share,
                share(value.sales_share),
            ),
        ];
        if profit {
            row.push(Cell::figure(
                format!("dim_profit:{key}:{v}"),
                Some(t.profit),
                format_money(t.profit),
            ));
            row.push(Cell::text(share(value.profit_share)));
        }
        rows.push(row);
        marked.push(t.small);
    }
    let total = &breakdown.total;
    let mut row = vec![
        Cell::text(Text::DimTotal.get(lang).to_string()),
        Cell::text(format_number(total.customers as f64, 0)),
        Cell::text(share(Some(1.0))),
        Cell::text(format_money(total.sales)),
        Cell::text(String::new()),
    ];
    if profit {
        row.push(Cell::text(format_money(total.profit)));
        row.push(Cell::text(String::new()));
    }
    rows.push(row);
    marked.push(false);
    let values = CellTable {
        header,
        rows,
        marked,
    };
    // The cross tables: customers per cell, the row's total last.
    let cross = |first: &str, names: Vec<(String, String)>, cells: &[Vec<Counts>], metric: &str| {
        let mut header = vec![first.to_string()];
        header.extend(labels.iter().cloned());
        header.push(Text::DimTotal.get(lang).to_string());
        let rows = names
            .into_iter()
            .zip(cells)
            .map(|((name, row_key), row)| {
                let mut out = vec![Cell::text(name)];
                for (cell, value) in row.iter().zip(&breakdown.values) {
                    out.push(Cell::figure(
                        format!("{metric}:{key}:{row_key}:{}", value.label.key()),
                        Some(cell.customers as f64),
                        count_text(cell),
                    ));
                }
                let sum: usize = row.iter().map(|c| c.customers).sum();
                out.push(Cell::text(format_number(sum as f64, 0)));
                out
            })
            .collect::<Vec<_>>();
        let marked = vec![false; rows.len()];
        CellTable {
            header,
            rows,
            marked,
        }
    };
    let decile_names = (1..=breakdown.deciles.len())
        .map(|d| (d.to_string(), d.to_string()))
        .collect();
    let deciles = cross(
        Text::DimDecile.get(lang),
        decile_names,
        &breakdown.deciles,
        "dim_decile_customers",
    );
    let segments = match (&breakdown.segments, rfm) {
        (Some(cells), Some(rfm)) => {
            let names = segment_names(rfm, lang);
            Some(cross(
                Text::DimSegment.get(lang),
                names,
                cells,
                "dim_segment_customers",
            ))
        }
        _ => None,
    };
    let mut notes = vec![sentence(Text::DimWholeNote.get(lang), &[label.to_string()])];
    let shown = breakdown
        .values
        .iter()
        .filter(|v| v.label != ValueLabel::Other)
        .count();
    if shown < breakdown.distinct {
        notes.push(sentence(
            Text::DimTopNote.get(lang),
            &[shown.to_string(), (breakdown.distinct - shown).to_string()],
        ));
    }
    notes.push(sentence(
        Text::DimSmallNote.get(lang),
        &[breakdown.config.small_cell.to_string()],
    ));
    if breakdown.changed > 0 {
        notes.push(sentence(
            Text::DimChangedNote.get(lang),
            &[
                format_number(breakdown.changed as f64, 0),
                label.to_string(),
            ],
        ));
    }
    if segments.is_some() && breakdown.unscored > 0 {
        notes.push(sentence(
            Text::DimUnscoredNote.get(lang),
            &[format_number(breakdown.unscored as f64, 0)],
        ));
    }
    let title = |text: Text| sentence(text.get(lang), &[label.to_string()]);
    BreakdownShown {
        label: label.to_string(),
        values_title: title(Text::DimValuesTitle),
        values,
        deciles_title: title(Text::DimDecileTitle),
        deciles,
        segments_title: title(Text::DimSegmentTitle),
        segments,
        notes,
    }
}

/// Which cross table a small-multiples chart draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MultiplesOf {
    /// Sales deciles.
    Deciles,
    /// RFM segments (needs the RFM result).
    Segments,
}

/// Small multiples of a breakdown: one panel per value, the share of its customers per decile
/// or segment, one scale and one row order for all; `None` when the cross table is not there.
pub fn breakdown_multiples(
    breakdown: &Breakdown,
    label: &str,
    rfm: Option<&RfmAnalysis>,
    of: MultiplesOf,
    style: &ChartStyle,
) -> Option<Figure> {
    let lang = style.lang;
    let (rows, cells, title, what, name): (
        Vec<String>,
        &Vec<Vec<Counts>>,
        Text,
        Text,
        &'static str,
    ) = match of {
        MultiplesOf::Deciles => (
            (1..=breakdown.deciles.len())
                .map(|d| d.to_string())
                .collect(),
            &breakdown.deciles,
            Text::DimDecileTitle,
            Text::DimMultiplesDeciles,
            "dim-multiples-deciles",
        ),
        MultiplesOf::Segments => (
            rfm?.segmentation
                .segments
                .iter()
                .map(|s| isolated(&segment_name(s, lang), SEGMENT_CHARS))
                .collect(),
            breakdown.segments.as_ref()?,
            Text::DimSegmentTitle,
            Text::DimMultiplesSegments,
            "dim-multiples-segments",
        ),
    };
    let panels: Vec<Panel> = breakdown
        .values
        .iter()
        .enumerate()
        .map(|(column, value)| {
            let in_rows: usize = cells
                .iter()
                .filter_map(|r| r.get(column))
                .map(|c| c.customers)
                .sum();
            Panel {
                title: value_label(&value.label, value.distinct, lang),
                shares: cells
                    .iter()
                    .map(|r| match (r.get(column), in_rows) {
                        (Some(c), n) if n > 0 => c.customers as f64 / n as f64,
                        _ => 0.0,
                    })
                    .collect(),
            }
        })
        .collect();
    let mut table = ChartTable::new(
        std::iter::once(Text::DimValue.get(lang).to_string()).chain(rows.iter().cloned()),
    );
    for panel in &panels {
        table = table.row(
            std::iter::once(panel.title.clone())
                .chain(panel.shares.iter().map(|s| format_percent(*s, 1))),
        );
    }
    let title = sentence(title.get(lang), &[label.to_string()]);
    let svg = render_small_multiples_svg(&title, &rows, &panels, style);
    Some(Figure::new(
        name,
        title,
        &sentence(what.get(lang), &[label.to_string()]),
        None,
        table,
        svg,
        lang,
    ))
}

/// The breakdown as one CSV in long form: one line per table cell (`values`, `decile`,
/// `segment`), with the row (decile number or segment's English name), the value as written
/// (`(blank)`, `(other)`), customers, sales, profit and whether the cell is small.
pub fn breakdown_csv(breakdown: &Breakdown, rfm: Option<&RfmAnalysis>, lang: Lang) -> Csv {
    let header = [
        "table",
        "row",
        "value",
        Text::DimCustomers.get(lang),
        Text::DimSales.get(lang),
        Text::DimProfit.get(lang),
        Text::DimCustomerShare.get(lang),
        Text::DimSalesShare.get(lang),
        "small",
    ]
    .map(String::from)
    .to_vec();
    let line = |table: &str, row: String, value: &str, cell: &Counts, shares: [Option<f64>; 2]| {
        vec![
            table.to_string(),
            row,
            value.to_string(),
            cell.customers.to_string(),
            number(cell.sales),
            number(cell.profit),
            optional(shares[0]),
            optional(shares[1]),
            u8::from(cell.small).to_string(),
        ]
    };
    let mut rows = Vec::new();
    for value in &breakdown.values {
        rows.push(line(
            "values",
            String::new(),
            value.label.key(),
            &value.total,
            [value.customer_share, value.sales_share],
        ));
    }
    for (d, row) in breakdown.deciles.iter().enumerate() {
        for (cell, value) in row.iter().zip(&breakdown.values) {
            rows.push(line(
                "decile",
                (d + 1).to_string(),
                value.label.key(),
                cell,
                [None, None],
            ));
        }
    }
    if let (Some(cells), Some(rfm)) = (&breakdown.segments, rfm) {
        for (row, segment) in cells.iter().zip(&rfm.segmentation.segments) {
            for (cell, value) in row.iter().zip(&breakdown.values) {
                rows.push(line(
                    "segment",
                    segment.name_en.clone(),
                    value.label.key(),
                    cell,
                    [None, None],
                ));
            }
        }
    }
    Csv {
        file: format!("breakdown_{}", breakdown.key),
        header,
        rows,
    }
}

/// Every segment of `rfm` in its rule order: the name shown (isolated, cut) and the English
/// name the `data-metric` names use.
pub(crate) fn segment_names(rfm: &RfmAnalysis, lang: Lang) -> Vec<(String, String)> {
    rfm.segmentation
        .segments
        .iter()
        .map(|s| {
            (
                isolated(&segment_name(s, lang), SEGMENT_CHARS),
                s.name_en.clone(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dimensions::{breakdown, BreakdownConfig};
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};

    #[test]
    fn figures_notes_and_csv_in_both_languages() {
        let csv = "customer,date,amount,profit,region\nc1,2024-01-05,100,10,north\nc2,2024-01-06,50,5,\nc1,2024-02-01,30,3,south\nc3,2024-03-01,20,2,north\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let attribute = outcome
            .customer_attributes()
            .unwrap()
            .get("region")
            .unwrap()
            .clone();
        let rfm = analyse_rfm(
            &outcome.table,
            &RfmConfig::default(),
            &SegmentRules::default(),
        )
        .unwrap();
        let b = breakdown(
            &outcome.table,
            &attribute,
            Some((&rfm.scores, &rfm.segmentation)),
            BreakdownConfig::default(),
        )
        .unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let label = attribute_label(&attribute, lang);
            assert_eq!(label, "region");
            let shown = breakdown_shown(&b, &label, Some(&rfm), true, lang);
            let figures: Vec<(String, f64)> = shown
                .values
                .rows
                .iter()
                .flatten()
                .filter_map(|c| c.data.as_ref().map(|d| (d.metric.clone(), d.value)))
                .collect();
            let get = |name: &str| figures.iter().find(|(m, _)| m == name).map(|(_, v)| *v);
            assert_eq!(get("dim_customers:region:north"), Some(1.0));
            assert_eq!(get("dim_customers:region:south"), Some(1.0));
            assert_eq!(get("dim_customers:region:(blank)"), Some(1.0));
            assert_eq!(get("dim_sales:region:south"), Some(130.0));
            assert_eq!(shown.values.rows.len(), 4);
            assert!(shown.segments.is_some());
            // c1 went from north to south.
            assert!(shown.notes.iter().any(|n| n.contains('1')));
            assert!(shown.values.rows[0][1].display.ends_with(SMALL_MARK));
            let style = ChartStyle::new(lang);
            for of in [MultiplesOf::Deciles, MultiplesOf::Segments] {
                let figure = breakdown_multiples(&b, &label, Some(&rfm), of, &style).unwrap();
                assert!(figure.svg.is_ok(), "{:?}", figure.svg);
                assert_eq!(figure.table.rows.len(), 3);
            }
            let csv = breakdown_csv(&b, Some(&rfm), lang);
            assert_eq!(csv.rows.len(), 3 + 30 + 3 * rfm.segmentation.segments.len());
            assert!(csv.document().contains("decile"));
        }
    }
}
