//! The product mix as shown (产品结构, issue 20): a line attribute's values with their customers
//! and sales in the whole base, then each value's share of every RFM segment's (or sales
//! decile's) revenue and its index against the whole base, with the notes that go with them
//! (top values and "Other", customers counted in several values). The RFM and deciles views and
//! the report call these.
//!
//! Figures the page carries for automation (`<value>` is the value as written, `(blank)` or
//! `(other)`; `<segment>` the segment's English name, or `decile_<n>` for a sales decile):
//! `mix_customers:<value>`, `mix_sales:<value>`, `mix_share:<segment>:<value>`,
//! `mix_index:<segment>:<value>`.

use crate::display::{isolated, ID_CHARS};
use crate::engine::dimensions::{LineAttribute, MixRow, ProductMix, ValueLabel};
use crate::engine::rfm::RfmAnalysis;
use crate::i18n::{format_money, format_number, line_kind_text, Lang, Text};

use super::dimensions::value_label;
use super::{sentence, share, Cell, CellTable};

/// A product mix ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct MixShown {
    /// The line attribute's name for titles.
    pub label: String,
    /// Title of the values table.
    pub base_title: String,
    /// One row per value: customers, sales and share of the whole base.
    pub base: CellTable,
    /// Title of the segment tables.
    pub segments_title: String,
    /// Segment rows × value columns: shares of the segment's sales, then the indices (`None`
    /// without an RFM result).
    pub segments: Option<(CellTable, CellTable)>,
    /// Title of the decile tables.
    pub deciles_title: String,
    /// Decile rows × value columns: shares, then indices.
    pub deciles: (CellTable, CellTable),
    /// Sentences under the tables.
    pub notes: Vec<String>,
}

/// The name of a line attribute for choices and titles: its header, and the kind when the
/// header says nothing.
pub fn line_label(line: &LineAttribute, lang: Lang) -> String {
    let name = isolated(&line.name, ID_CHARS);
    match line.kind {
        Some(kind) if line.name.trim().is_empty() || line.name.starts_with("column ") => {
            format!("{} ({name})", line_kind_text(kind).get(lang))
        }
        _ => name,
    }
}

/// An index as shown: a whole number (`–` when there is none).
fn index_text(value: Option<f64>) -> String {
    value.map_or_else(|| "–".into(), |v| format_number(v, 0))
}

/// The share and index tables of `rows` (named by `names`: shown name and machine key).
fn cross(
    mix: &ProductMix,
    labels: &[String],
    first: &str,
    names: &[(String, String)],
    rows: &[MixRow],
    lang: Lang,
) -> (CellTable, CellTable) {
    let mut header = vec![first.to_string()];
    header.extend(labels.iter().cloned());
    header.push(Text::DimSales.get(lang).to_string());
    let table = |metric: &str, index: bool| {
        let rows: Vec<Vec<Cell>> = names
            .iter()
            .zip(rows)
            .map(|((name, key), row)| {
                let mut out = vec![Cell::text(name.clone())];
                for (cell, value) in row.cells.iter().zip(&mix.values) {
                    let (raw, shown) = match index {
                        false => (cell.share, share(cell.share)),
                        true => (cell.index, index_text(cell.index)),
                    };
                    out.push(Cell::figure(
                        format!("{metric}:{key}:{}", value.label.key()),
                        raw,
                        shown,
                    ));
                }
                out.push(Cell::text(format_money(row.sales)));
                out
            })
            .collect();
        CellTable {
            header: header.clone(),
            marked: vec![false; rows.len()],
            rows,
        }
    };
    (table("mix_share", false), table("mix_index", true))
}

/// The product mix `mix` of the line attribute named `label`, with the segment names of `rfm`
/// (the RFM result the mix was computed with).
pub fn mix_shown(mix: &ProductMix, label: &str, rfm: Option<&RfmAnalysis>, lang: Lang) -> MixShown {
    let labels: Vec<String> = mix
        .values
        .iter()
        .map(|v| value_label(&v.label, v.distinct, lang))
        .collect();
    let header = vec![
        Text::DimValue.get(lang).to_string(),
        Text::DimCustomers.get(lang).to_string(),
        Text::DimSales.get(lang).to_string(),
        Text::MixShare.get(lang).to_string(),
    ];
    let mut rows: Vec<Vec<Cell>> = mix
        .values
        .iter()
        .zip(&labels)
        .map(|(value, shown)| {
            let v = value.label.key();
            vec![
                Cell::text(shown.clone()),
                Cell::figure(
                    format!("mix_customers:{v}"),
                    Some(value.customers as f64),
                    format_number(value.customers as f64, 0),
                ),
                Cell::figure(
                    format!("mix_sales:{v}"),
                    Some(value.sales),
                    format_money(value.sales),
                ),
                Cell::text(share(value.share)),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::text(Text::DimTotal.get(lang).to_string()),
        Cell::text(String::new()),
        Cell::text(format_money(mix.sales)),
        Cell::text(share(Some(1.0))),
    ]);
    let base = CellTable {
        header,
        marked: vec![false; rows.len()],
        rows,
    };
    let decile_names: Vec<(String, String)> = (1..=mix.deciles.len())
        .map(|d| (d.to_string(), format!("decile_{d}")))
        .collect();
    let deciles = cross(
        mix,
        &labels,
        Text::DimDecile.get(lang),
        &decile_names,
        &mix.deciles,
        lang,
    );
    let segments = match (&mix.segments, rfm) {
        (Some(rows), Some(rfm)) => {
            let names = super::dimensions::segment_names(rfm, lang);
            Some(cross(
                mix,
                &labels,
                Text::DimSegment.get(lang),
                &names,
                rows,
                lang,
            ))
        }
        _ => None,
    };
    let mut notes = vec![
        sentence(Text::MixIndexNote.get(lang), &[label.to_string()]),
        sentence(Text::MixOverlapNote.get(lang), &[label.to_string()]),
    ];
    let shown = mix
        .values
        .iter()
        .filter(|v| v.label != ValueLabel::Other)
        .count();
    if shown < mix.distinct {
        notes.push(sentence(
            Text::MixTopNote.get(lang),
            &[shown.to_string(), (mix.distinct - shown).to_string()],
        ));
    }
    let title = |text: Text| sentence(text.get(lang), &[label.to_string()]);
    MixShown {
        label: label.to_string(),
        base_title: title(Text::MixBaseTitle),
        base,
        segments_title: title(Text::MixTitle),
        segments,
        deciles_title: title(Text::MixDecileTitle),
        deciles,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dimensions::product_mix;
    use crate::engine::ingest::{import_bytes, InspectOptions};

    /// Every figure of the contract is there, named as documented, and the overlap note is said
    /// in both languages.
    #[test]
    fn figures_and_notes() {
        let csv =
            "客户编号,订单编号,金额,品类\nC1,O1,10,茶\nC1,O1,4,点心\nC2,O2,8,点心\nC3,O3,5,茶\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let lines = outcome.line_attributes().unwrap();
        let line = lines.get("category").unwrap();
        let mix = product_mix(&outcome.table, line, None).unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let shown = mix_shown(&mix, &line_label(line, lang), None, lang);
            let metrics: Vec<String> = shown
                .base
                .rows
                .iter()
                .chain(&shown.deciles.0.rows)
                .chain(&shown.deciles.1.rows)
                .flatten()
                .filter_map(|c| c.data.as_ref().map(|d| d.metric.clone()))
                .collect();
            for name in [
                "mix_customers:茶",
                "mix_sales:点心",
                "mix_share:decile_1:茶",
                "mix_index:decile_1:点心",
            ] {
                assert!(metrics.iter().any(|m| m == name), "{name} in {metrics:?}");
            }
            assert!(shown.segments.is_none());
            assert_eq!(shown.notes.len(), 2);
            assert!(shown.notes[1].contains("品类"), "{}", shown.notes[1]);
        }
    }
}
