//! Customer profiles as shown (客户画像, issue 20): per attribute the distribution table and its
//! bars, the age bands of an age or a birth/founding year, the correlation matrix with the
//! measure, strength in words and n of every cell, its heat map, and the cluster × attribute
//! tables of the RFM view. The profiles view and the report call these.
//!
//! Figures the page carries for automation (`<attr>` is the attribute's machine name, `<value>`
//! the value as written, `(blank)` or `(other)`, `<band>` an [`AgeBand::as_str`], `<a>`/`<b>` a
//! variable's key: an attribute's, `recency`, `frequency`, `monetary` or `profit`):
//! `profile_customers:<attr>:<value>`, `profile_customer_share:<attr>:<value>`,
//! `profile_sales_share:<attr>:<value>`, `age_band_customers:<attr>:<band>`,
//! `age_band_customer_share:<attr>:<band>`, `age_band_sales_share:<attr>:<band>`,
//! `corr:<a>:<b>` (with `data-measure` = `spearman`, `cramers_v` or `eta`) and `corr_n:<a>:<b>`
//! for both orders of every pair, `cluster_dim_customers:<attr>:<cluster>:<value or band>`.

use crate::a11y::ChartTable;
use crate::charts::profiles::{render_correlation_heatmap_svg, render_share_bars_svg, ShareBar};
use crate::charts::ChartStyle;
use crate::engine::dimensions::{Attribute, CustomerAttributes};
use crate::engine::profiles::{
    AgeBand, AgeBands, AgeBasis, ClusterDimension, Correlations, Group, Measure, Profile, Profiles,
};
use crate::i18n::{format_number, format_percent, Lang, Text};

use super::dimensions::{attribute_label, value_label};
use super::{number, optional, raw_value, sentence, share, Cell, CellTable, Csv, Figure};

/// Chart names of the attributes' bars, in order (attributes after these have no chart).
const BAR_CHARTS: [&str; 12] = [
    "profile-bars-1",
    "profile-bars-2",
    "profile-bars-3",
    "profile-bars-4",
    "profile-bars-5",
    "profile-bars-6",
    "profile-bars-7",
    "profile-bars-8",
    "profile-bars-9",
    "profile-bars-10",
    "profile-bars-11",
    "profile-bars-12",
];

/// An age band's label in `lang` (`Under 25`, `25–34` …, `Unknown`).
pub fn band_label(band: AgeBand, lang: Lang) -> String {
    match band {
        AgeBand::Under25 => Text::ProfBandUnder25.get(lang).into(),
        AgeBand::From25To34 => "25–34".into(),
        AgeBand::From35To44 => "35–44".into(),
        AgeBand::From45To54 => "45–54".into(),
        AgeBand::From55To64 => "55–64".into(),
        AgeBand::From65 => Text::ProfBand65.get(lang).into(),
        AgeBand::Unknown => Text::ProfBandUnknown.get(lang).into(),
    }
}

/// One attribute's profile ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeShown {
    /// The attribute's machine name.
    pub key: String,
    /// Its name for titles.
    pub label: String,
    /// The title of its table.
    pub title: String,
    /// The age bands (an age or a year with a reference year), else the values: customers,
    /// their share and the share of sales, then the total with n.
    pub table: CellTable,
    /// The bars of the same rows.
    pub chart: Option<Figure>,
    /// Sentences under the table.
    pub notes: Vec<String>,
}

fn count(n: usize) -> String {
    format_number(n as f64, 0)
}

/// Everything shown of `profile` (the `index`-th attribute, `attribute`).
pub fn attribute_shown(
    profile: &Profile,
    attribute: &Attribute,
    index: usize,
    lang: Lang,
) -> AttributeShown {
    let label = attribute_label(attribute, lang);
    let d = &profile.distribution;
    let key = &d.key;
    let mut header = vec![
        Text::DimValue.get(lang).to_string(),
        Text::DimCustomers.get(lang).to_string(),
        Text::DimCustomerShare.get(lang).to_string(),
        Text::DimSalesShare.get(lang).to_string(),
    ];
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let mut notes = Vec::new();
    let title;
    match &profile.ages {
        Some(ages) => {
            header[0] = Text::ProfBand.get(lang).to_string();
            title = band_title(ages, &label, lang);
            for row in &ages.rows {
                let band = row.band.as_str();
                let name = band_label(row.band, lang);
                rows.push(vec![
                    Cell::text(name.clone()),
                    Cell::figure(
                        format!("age_band_customers:{key}:{band}"),
                        Some(row.customers as f64),
                        count(row.customers),
                    ),
                    Cell::figure(
                        format!("age_band_customer_share:{key}:{band}"),
                        row.customer_share,
                        share(row.customer_share),
                    ),
                    Cell::figure(
                        format!("age_band_sales_share:{key}:{band}"),
                        row.sales_share,
                        share(row.sales_share),
                    ),
                ]);
                bars.push(ShareBar {
                    label: name,
                    customers: row.customer_share.unwrap_or(0.0),
                    sales: row.sales_share.unwrap_or(0.0),
                });
            }
            let unknown = ages.rows.last().map_or(0, |r| r.customers);
            notes.push(sentence(Text::ProfUnknownNote.get(lang), &[count(unknown)]));
            if let AgeBasis::BirthYear { reference_year } = ages.basis {
                notes.push(sentence(
                    Text::ProfYearNote.get(lang),
                    &[reference_year.to_string()],
                ));
            }
        }
        None => {
            title = sentence(
                Text::ProfDistributionTitle.get(lang),
                std::slice::from_ref(&label),
            );
            for value in &d.values {
                let v = value.label.key();
                let name = value_label(&value.label, value.distinct, lang);
                rows.push(vec![
                    Cell::text(name.clone()),
                    Cell::figure(
                        format!("profile_customers:{key}:{v}"),
                        Some(value.total.customers as f64),
                        count(value.total.customers),
                    ),
                    Cell::figure(
                        format!("profile_customer_share:{key}:{v}"),
                        value.customer_share,
                        share(value.customer_share),
                    ),
                    Cell::figure(
                        format!("profile_sales_share:{key}:{v}"),
                        value.sales_share,
                        share(value.sales_share),
                    ),
                ]);
                bars.push(ShareBar {
                    label: name,
                    customers: value.customer_share.unwrap_or(0.0),
                    sales: value.sales_share.unwrap_or(0.0),
                });
            }
            if profile.numeric {
                notes.push(sentence(
                    Text::ProfNoYearNote.get(lang),
                    std::slice::from_ref(&label),
                ));
            }
            let shown = d
                .values
                .iter()
                .filter(|v| v.label != crate::engine::dimensions::ValueLabel::Other)
                .count();
            if shown < d.distinct {
                notes.push(sentence(
                    Text::DimTopNote.get(lang),
                    &[shown.to_string(), (d.distinct - shown).to_string()],
                ));
            }
        }
    }
    rows.push(vec![
        Cell::text(Text::DimTotal.get(lang).to_string()),
        Cell::text(format!("n = {}", count(d.total.customers))),
        Cell::text(share(Some(1.0))),
        Cell::text(share(Some(1.0))),
    ]);
    let marked = vec![false; rows.len()];
    let chart = BAR_CHARTS.get(index).map(|&name| {
        let mut table = ChartTable::new(header.iter().take(1).cloned().chain([
            Text::DimCustomerShare.get(lang).to_string(),
            Text::DimSalesShare.get(lang).to_string(),
        ]));
        for b in &bars {
            table = table.row([
                b.label.clone(),
                format_percent(b.customers, 1),
                format_percent(b.sales, 1),
            ]);
        }
        let style = ChartStyle::new(lang);
        Figure::new(
            name,
            title.clone(),
            &sentence(Text::ProfChartDesc.get(lang), std::slice::from_ref(&label)),
            None,
            table,
            render_share_bars_svg(&title, &bars, &style),
            lang,
        )
    });
    AttributeShown {
        key: key.clone(),
        label,
        title,
        table: CellTable {
            header,
            rows,
            marked,
        },
        chart,
        notes,
    }
}

fn band_title(ages: &AgeBands, label: &str, lang: Lang) -> String {
    match ages.basis {
        AgeBasis::Age => sentence(Text::ProfAgeTitle.get(lang), &[label.to_string()]),
        AgeBasis::BirthYear { reference_year } => sentence(
            Text::ProfYearTitle.get(lang),
            &[label.to_string(), reference_year.to_string()],
        ),
    }
}

/// A correlation in plain words (by absolute value: < 0.1 negligible, < 0.3 weak, < 0.5
/// moderate, else strong).
pub fn strength_words(value: f64, lang: Lang) -> &'static str {
    let a = value.abs();
    let text = if a < 0.1 {
        Text::ProfStrengthNone
    } else if a < 0.3 {
        Text::ProfStrengthWeak
    } else if a < 0.5 {
        Text::ProfStrengthModerate
    } else {
        Text::ProfStrengthStrong
    };
    text.get(lang)
}

/// The symbol of a measure.
pub fn measure_symbol(measure: Measure) -> &'static str {
    match measure {
        Measure::Spearman => "ρ",
        Measure::CramersV => "V",
        Measure::Eta => "η",
    }
}

/// The profiles as one CSV (`profiles.csv`): per attribute its values (`table` = `value`) or
/// age bands (`age_band`) with customers, the share of customers and of net sales; then every
/// pair of the correlation matrix once (`correlation`: the two variables' keys, the measure,
/// its value — empty when undefined — and n). Values as written, `(blank)` and `(other)` as in
/// the page's metric names.
pub fn profiles_csv(profiles: &Profiles, lang: Lang) -> Csv {
    let header = vec![
        "table".to_string(),
        "attribute".to_string(),
        "value".to_string(),
        Text::DimCustomers.get(lang).to_string(),
        Text::DimCustomerShare.get(lang).to_string(),
        Text::DimSalesShare.get(lang).to_string(),
        "measure".to_string(),
        "correlation".to_string(),
        "n".to_string(),
    ];
    let mut rows = Vec::new();
    let blank = || [String::new(), String::new(), String::new()];
    for profile in &profiles.profiles {
        let key = &profile.distribution.key;
        match &profile.ages {
            Some(ages) => {
                for row in &ages.rows {
                    let mut line = vec![
                        "age_band".to_string(),
                        key.clone(),
                        row.band.as_str().to_string(),
                        row.customers.to_string(),
                        optional(row.customer_share),
                        optional(row.sales_share),
                    ];
                    line.extend(blank());
                    rows.push(line);
                }
            }
            None => {
                for value in &profile.distribution.values {
                    let mut line = vec![
                        "value".to_string(),
                        key.clone(),
                        value.label.key().to_string(),
                        value.total.customers.to_string(),
                        optional(value.customer_share),
                        optional(value.sales_share),
                    ];
                    line.extend(blank());
                    rows.push(line);
                }
            }
        }
    }
    let c = &profiles.correlations;
    for pair in &c.pairs {
        let (Some(a), Some(b)) = (c.variables.get(pair.a), c.variables.get(pair.b)) else {
            continue;
        };
        let mut line = vec!["correlation".to_string(), a.key.clone(), b.key.clone()];
        line.extend(blank());
        line.extend([
            pair.measure.as_str().to_string(),
            pair.value.map(number).unwrap_or_default(),
            pair.n.to_string(),
        ]);
        rows.push(line);
    }
    Csv {
        file: "profiles".into(),
        header,
        rows,
    }
}

/// One cell of the correlation matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrCell {
    /// `corr:<row>:<column>`.
    pub metric: String,
    /// `corr_n:<row>:<column>`.
    pub n_metric: String,
    /// [`Measure::as_str`], for `data-measure`.
    pub measure: &'static str,
    /// The value (`NaN` when undefined).
    pub value: f64,
    /// As shown: the symbol and the value, or "undefined".
    pub display: String,
    /// The strength in words (empty when undefined).
    pub strength: String,
    /// Customers the pair was computed on.
    pub n: usize,
    /// `n = …` as shown.
    pub n_display: String,
}

impl CorrCell {
    /// The value for `data-value`.
    pub fn raw(&self) -> String {
        raw_value(self.value)
    }
}

/// The correlation matrix ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationShown {
    /// Title.
    pub title: String,
    /// The first column's header ("Variable").
    pub corner: String,
    /// The variables' names (the columns after the first).
    pub header: Vec<String>,
    /// One row per variable: its name, then a cell per variable (`None` on the diagonal).
    pub rows: Vec<(String, Vec<Option<CorrCell>>)>,
    /// The measures, the strength bands and that correlation is not cause.
    pub notes: Vec<String>,
    /// The heat map.
    pub heatmap: Figure,
}

/// A variable's name: the attribute's label, or recency, frequency, monetary, profit.
pub fn variable_label(key: &str, attributes: Option<&CustomerAttributes>, lang: Lang) -> String {
    let text = match key {
        "recency" => Some(Text::ProfRecency),
        "frequency" => Some(Text::ProfFrequency),
        "monetary" => Some(Text::ProfMonetary),
        "profit" => Some(Text::ProfProfit),
        _ => None,
    };
    match (attributes.and_then(|a| a.get(key)), text) {
        (Some(attribute), _) => attribute_label(attribute, lang),
        (None, Some(text)) => text.get(lang).to_string(),
        (None, None) => key.to_string(),
    }
}

/// The correlation matrix of `c`, both halves filled (so `corr:a:b` and `corr:b:a` are both on
/// the page), with its notes and heat map.
pub fn correlation_shown(
    c: &Correlations,
    attributes: Option<&CustomerAttributes>,
    lang: Lang,
) -> CorrelationShown {
    let names: Vec<String> = c
        .variables
        .iter()
        .map(|v| variable_label(&v.key, attributes, lang))
        .collect();
    let mut rows = Vec::with_capacity(names.len());
    let mut values = Vec::with_capacity(names.len());
    let mut strongest: Option<(f64, usize, usize)> = None;
    for (i, row_var) in c.variables.iter().enumerate() {
        let mut cells = Vec::with_capacity(names.len());
        let mut row_values = Vec::with_capacity(names.len());
        for (j, col_var) in c.variables.iter().enumerate() {
            let Some(pair) = c.pair(i, j) else {
                cells.push(None);
                row_values.push(None);
                continue;
            };
            let symbol = measure_symbol(pair.measure);
            let (display, strength) = match pair.value {
                Some(v) => (
                    format!("{symbol} {}", format_number(v, 2)),
                    strength_words(v, lang).to_string(),
                ),
                None => (
                    format!("{symbol} {}", Text::ProfUndefined.get(lang)),
                    String::new(),
                ),
            };
            if let Some(v) = pair.value {
                if i < j && strongest.is_none_or(|(s, _, _)| v.abs() > s) {
                    strongest = Some((v.abs(), i, j));
                }
            }
            cells.push(Some(CorrCell {
                metric: format!("corr:{}:{}", row_var.key, col_var.key),
                n_metric: format!("corr_n:{}:{}", row_var.key, col_var.key),
                measure: pair.measure.as_str(),
                value: pair.value.unwrap_or(f64::NAN),
                display,
                strength,
                n: pair.n,
                n_display: format!("n = {}", count(pair.n)),
            }));
            row_values.push(pair.value);
        }
        rows.push((names.get(i).cloned().unwrap_or_default(), cells));
        values.push(row_values);
    }
    let title = Text::ProfCorrTitle.get(lang).to_string();
    let heat_title = Text::ProfHeatmapTitle.get(lang).to_string();
    let finding = strongest.map_or_else(
        || "–".to_string(),
        |(v, i, j)| {
            format!(
                "{} × {} ({})",
                names.get(i).cloned().unwrap_or_default(),
                names.get(j).cloned().unwrap_or_default(),
                format_number(v, 2)
            )
        },
    );
    let mut table = ChartTable::new(
        std::iter::once(Text::ProfVariable.get(lang).to_string()).chain(names.iter().cloned()),
    );
    for ((name, _), row) in rows.iter().zip(&values) {
        table = table.row(
            std::iter::once(name.clone()).chain(
                row.iter()
                    .map(|v| v.map_or_else(|| "–".to_string(), |v| format_number(v, 2))),
            ),
        );
    }
    let heatmap = Figure::new(
        "profile-correlation-heatmap",
        heat_title.clone(),
        &sentence(Text::ProfHeatmapDesc.get(lang), &[finding]),
        None,
        table,
        render_correlation_heatmap_svg(&heat_title, &names, &values, &ChartStyle::new(lang)),
        lang,
    );
    CorrelationShown {
        title,
        corner: Text::ProfVariable.get(lang).to_string(),
        header: names,
        rows,
        notes: vec![
            Text::ProfCorrIntro.get(lang).to_string(),
            Text::ProfStrengthNote.get(lang).to_string(),
            Text::ProfCorrCause.get(lang).to_string(),
        ],
        heatmap,
    }
}

/// The correlation matrix as a plain table for the printed report: per cell the measure and
/// value, the strength and n.
pub fn correlation_table(c: &CorrelationShown) -> CellTable {
    let mut header = vec![c.corner.clone()];
    header.extend(c.header.iter().cloned());
    let rows: Vec<Vec<Cell>> = c
        .rows
        .iter()
        .map(|(name, cells)| {
            std::iter::once(Cell::text(name.clone()))
                .chain(cells.iter().map(|cell| {
                    match cell {
                        Some(cell) => Cell::text(cell.display.clone()).detail(Some(
                            [cell.strength.as_str(), cell.n_display.as_str()]
                                .iter()
                                .filter(|t| !t.is_empty())
                                .copied()
                                .collect::<Vec<_>>()
                                .join(" · "),
                        )),
                        None => Cell::text("–".into()),
                    }
                }))
                .collect()
        })
        .collect();
    let marked = vec![false; rows.len()];
    CellTable {
        header,
        rows,
        marked,
    }
}

/// A cluster × attribute table ready to show: title, the table (cluster rows, a column per
/// value or band, the row's total last) and its note.
pub fn cluster_dimension_shown(
    d: &ClusterDimension,
    label: &str,
    lang: Lang,
) -> (String, CellTable, String) {
    let key = &d.key;
    let mut header = vec![Text::ClusterNumber.get(lang).to_string()];
    header.extend(d.groups.iter().map(|g| match g {
        Group::Value { label, distinct } => value_label(label, *distinct, lang),
        Group::Band(band) => band_label(*band, lang),
    }));
    header.push(Text::DimTotal.get(lang).to_string());
    let rows: Vec<Vec<Cell>> = d
        .counts
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let cluster = i + 1;
            let mut cells = vec![Cell::text(cluster.to_string())];
            for (n, group) in row.iter().zip(&d.groups) {
                cells.push(Cell::figure(
                    format!("cluster_dim_customers:{key}:{cluster}:{}", group.key()),
                    Some(*n as f64),
                    count(*n),
                ));
            }
            cells.push(Cell::text(count(row.iter().sum())));
            cells
        })
        .collect();
    let marked = vec![false; rows.len()];
    (
        sentence(Text::ClusterDimTitle.get(lang), &[label.to_string()]),
        CellTable {
            header,
            rows,
            marked,
        },
        sentence(Text::ClusterDimNote.get(lang), &[label.to_string()]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::profiles::{analyse_profiles, ProfileConfig};

    #[test]
    fn the_csv_has_every_value_band_and_pair_once() {
        // Customers by hand: north a, b; south c, e; blank d. Ages 30, blank, "abc", 70, 22.
        let csv = "customer,date,amount,region,年龄\na,2024-01-05,100,north,30\nb,2024-01-06,50,north,\nc,2024-02-01,30,south,abc\nd,2024-03-01,20,,70\ne,2024-03-02,80,south,22\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let attributes = outcome.customer_attributes().unwrap();
        let p = analyse_profiles(&outcome.table, attributes, &ProfileConfig::default()).unwrap();
        let out = profiles_csv(&p, Lang::En);
        let find = |table: &str, attribute: &str, value: &str| {
            out.rows
                .iter()
                .find(|r| r[0] == table && r[1] == attribute && r[2] == value)
                .cloned()
        };
        let north = find("value", "region", "north").unwrap();
        assert_eq!(north[3], "2");
        assert_eq!(north[4], "0.4");
        // (100 + 50) of 280.
        assert_eq!(north[5], number(150.0 / 280.0));
        assert_eq!(find("value", "region", "(blank)").unwrap()[3], "1");
        assert_eq!(find("age_band", "age", "unknown").unwrap()[3], "2");
        assert_eq!(find("age_band", "age", "under_25").unwrap()[3], "1");
        let pairs = out.rows.iter().filter(|r| r[0] == "correlation").count();
        assert_eq!(pairs, p.correlations.pairs.len());
        assert!(out.rows.iter().all(|r| r.len() == out.header.len()));
        assert!(out.document().contains("correlation"));
    }

    #[test]
    fn tables_matrix_and_charts_in_both_languages() {
        let csv = "customer,date,amount,region,年龄\na,2024-01-05,100,north,30\nb,2024-01-06,50,north,\nc,2024-02-01,30,south,abc\nd,2024-03-01,20,,70\ne,2024-03-02,80,south,22\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let attributes = outcome.customer_attributes().unwrap();
        let p = analyse_profiles(&outcome.table, attributes, &ProfileConfig::default()).unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let region = attribute_shown(&p.profiles[0], &attributes.attributes[0], 0, lang);
            let figure = |t: &CellTable, name: &str| {
                t.rows
                    .iter()
                    .flatten()
                    .filter_map(|c| c.data.as_ref())
                    .find(|d| d.metric == name)
                    .map(|d| d.value)
            };
            assert_eq!(
                figure(&region.table, "profile_customers:region:north"),
                Some(2.0)
            );
            assert_eq!(
                figure(&region.table, "profile_customers:region:(blank)"),
                Some(1.0)
            );
            assert!(region.chart.as_ref().unwrap().svg.is_ok());
            let age = attribute_shown(&p.profiles[1], &attributes.attributes[1], 1, lang);
            assert_eq!(
                figure(&age.table, "age_band_customers:age:unknown"),
                Some(2.0)
            );
            assert_eq!(
                figure(&age.table, "age_band_customers:age:65_plus"),
                Some(1.0)
            );
            assert_eq!(age.table.rows.len(), 8);
            let c = correlation_shown(&p.correlations, Some(attributes), lang);
            assert_eq!(c.rows.len(), 5);
            let cell = c.rows[1].1[0].as_ref().unwrap();
            assert_eq!(
                (cell.metric.as_str(), cell.measure, cell.n),
                ("corr:age:region", "eta", 3)
            );
            let mirror = c.rows[0].1[1].as_ref().unwrap();
            assert_eq!(mirror.metric, "corr:region:age");
            assert_eq!(mirror.raw(), cell.raw());
            assert!(c.rows[2].1[2].is_none());
            assert!(c.heatmap.svg.is_ok(), "{:?}", c.heatmap.svg);
            assert_eq!(c.notes.len(), 3);
        }
        assert_eq!(strength_words(-0.55, Lang::En), "strong");
        assert_eq!(strength_words(0.05, Lang::En), "negligible");
        assert_eq!(strength_words(0.3, Lang::Zh), "中等");
    }
}
