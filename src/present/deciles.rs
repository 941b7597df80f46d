//! The purchase decile analysis (购买十分位分析) as shown, on screen and in the report: the
//! headline figures (Gini, Pareto point, group counts), the decile chart with its table, the
//! Lorenz curve, the groups chart, the customer and value decile tables and their CSVs, the
//! overshoot notes, and each group's notes and CSV. All of it is computed by
//! [`crate::engine::deciles`]; this module words and formats it.
//!
//! The functions take the part of the analysis they show (the deciles of one basis, the Lorenz
//! curve, the groups), so a view can keep one memo per part and redraw a chart only when its
//! part changes.

use super::customers::customers_csv;
use super::{number, optional, raw_value, sentence, share, ChartTable, Csv, Figure, Metric};
use super::{Notice, Table};
use crate::charts::deciles::{
    render_decile_shares_svg, render_groups_svg, render_lorenz_svg, DecileShares, GroupBar,
};
use crate::charts::ChartStyle;
use crate::engine::customers::{Customer, CustomerTable};
use crate::engine::deciles::{
    group_periods, overshoot, Decile, DecileAnalysis, DecileBasis, GroupKind, GroupStatus, Groups,
    Lorenz, ValueSlice,
};
use crate::engine::table::{sales_shares_of, sales_shares_of_sums};
use crate::i18n::{
    format_date, format_money, format_number, format_percent, group_text, slice_label, Lang, Text,
};

/// The label of customer decile `index` (1..=10): `第 1 组` / `D1`.
pub fn decile_label(index: u8, lang: Lang) -> String {
    sentence(Text::DecileLabel.get(lang), &[index.to_string()])
}

/// The name of a basis in the basis switch and the chart title: by sales, by profit.
pub fn basis_text(basis: DecileBasis) -> Text {
    match basis {
        DecileBasis::Sales => Text::BySales,
        DecileBasis::Profit => Text::ByProfit,
    }
}

/// The deciles shown for `basis`, with the basis they are by: by profit when asked for and the
/// data has a profit column, else by sales.
pub fn chosen(analysis: &DecileAnalysis, basis: DecileBasis) -> (DecileBasis, &[Decile]) {
    match (basis, &analysis.by_profit) {
        (DecileBasis::Profit, Some(by_profit)) => (DecileBasis::Profit, by_profit),
        _ => (DecileBasis::Sales, &analysis.by_sales),
    }
}

/// One of the four customer groups as counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupFact {
    /// Which group.
    pub kind: GroupKind,
    /// Whether it could be computed.
    pub status: GroupStatus,
    /// Its customers (0 when not computed).
    pub customers: usize,
    /// Their share of total net sales; `None` when the group was not computed or total sales
    /// are not positive.
    pub sales_share: Option<f64>,
}

impl GroupFact {
    /// Whether the group was computed.
    pub fn computed(&self) -> bool {
        self.status == GroupStatus::Computed
    }
}

/// The four groups, in [`GroupKind::ALL`] order, with their size and share of sales.
pub fn group_facts(groups: &Groups, customers: &[Customer]) -> Vec<GroupFact> {
    let computed = |kind| groups.status_of(kind) == GroupStatus::Computed;
    // The groups' sales found with them, else their members' read again.
    let shares = match groups.member_sales {
        Some(sums) => sales_shares_of_sums(customers, sums),
        None => sales_shares_of(
            customers,
            GroupKind::ALL.into_iter().map(|kind| groups.members(kind)),
        ),
    };
    GroupKind::ALL
        .into_iter()
        .zip(shares)
        .map(|(kind, share)| GroupFact {
            kind,
            status: groups.status_of(kind),
            customers: if computed(kind) {
                groups.members(kind).len()
            } else {
                0
            },
            sales_share: share.filter(|_| computed(kind)),
        })
        .collect()
}

/// The `data-metric` name of a group's count: `group_retain` …
pub fn group_metric_name(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Retain => "group_retain",
        GroupKind::Grow => "group_grow",
        GroupKind::Declining => "group_declining",
        GroupKind::Transaction => "group_transaction",
    }
}

/// What a group is, in a sentence.
pub fn group_note(kind: GroupKind) -> Text {
    match kind {
        GroupKind::Retain => Text::GroupRetainNote,
        GroupKind::Grow => Text::GroupGrowNote,
        GroupKind::Declining => Text::GroupDecliningNote,
        GroupKind::Transaction => Text::GroupTransactionNote,
    }
}

/// Why a group was not computed (`None` when it was).
pub fn status_text(status: GroupStatus) -> Option<Text> {
    match status {
        GroupStatus::Computed => None,
        GroupStatus::NoDateColumn => Some(Text::GroupNoDate),
        GroupStatus::NoProfitColumn => Some(Text::GroupNoProfit),
        GroupStatus::NoPositiveSales => Some(Text::GroupNoPositiveSales),
        GroupStatus::NoMonthlySales => Some(Text::SumLimitedMonthly),
    }
}

/// The headline figures: `gini`, `pareto80_customer_share` (of sales) and the four group counts
/// (with their share of sales, or why they are off, as the note).
pub fn headline(lorenz: &Lorenz, facts: &[GroupFact], lang: Lang) -> Vec<Metric> {
    let gini = lorenz.gini;
    let pareto = lorenz.pareto80_customer_share;
    let mut metrics = vec![
        Metric::new(
            "gini",
            Text::Gini.get(lang),
            gini.unwrap_or(f64::NAN),
            gini.map(|g| format!("{g:.3}"))
                .unwrap_or_else(|| "–".into()),
        )
        .note(Text::GiniNote.get(lang)),
        Metric::new(
            "pareto80_customer_share",
            Text::Pareto80.get(lang),
            pareto.unwrap_or(f64::NAN),
            share(pareto),
        ),
    ];
    metrics.extend(facts.iter().map(|f| {
        let (value, display) = if f.computed() {
            (f.customers as f64, format_number(f.customers as f64, 0))
        } else {
            (f64::NAN, "–".into())
        };
        let note = match status_text(f.status) {
            Some(text) => text.get(lang).to_string(),
            None => share(f.sales_share),
        };
        Metric::new(
            group_metric_name(f.kind),
            group_text(f.kind).get(lang),
            value,
            display,
        )
        .note(note)
    }));
    metrics
}

/// The analysis day the groups were found with, as a line under the figures (`None` without
/// dates).
pub fn analysis_day_note(groups: &Groups, lang: Lang) -> Option<String> {
    groups.periods.map(|p| {
        sentence(
            Text::AnalysisDateNote.get(lang),
            &[format_date(p.analysis_day, lang)],
        )
    })
}

/// The decile chart: bars of the share of sales (and of profit) per decile with the cumulative
/// sales line, its table, and the finding (the first decile's share, the first two together).
/// `deciles` are by `basis` (see [`chosen`]).
pub fn shares_figure(
    deciles: &[Decile],
    basis: DecileBasis,
    has_profit: bool,
    style: &ChartStyle,
) -> Figure {
    let lang = style.lang;
    let shares = DecileShares {
        sales: deciles
            .iter()
            .map(|d| d.sales_share.unwrap_or(0.0))
            .collect(),
        profit: has_profit.then(|| {
            deciles
                .iter()
                .map(|d| d.profit_share.unwrap_or(0.0))
                .collect()
        }),
        cumulative_sales: deciles
            .iter()
            .map(|d| d.cumulative_sales_share.unwrap_or(0.0))
            .collect(),
    };
    let title = sentence(
        Text::DecileChartTitleBasis.get(lang),
        &[
            Text::DecileChartTitle.get(lang).to_string(),
            basis_text(basis).get(lang).to_string(),
        ],
    );
    let mut header = vec![Text::DecileColumn.get(lang), Text::SalesShare.get(lang)];
    if has_profit {
        header.push(Text::ProfitShare.get(lang));
    }
    header.push(Text::CumulativeShare.get(lang));
    let table = deciles.iter().fold(ChartTable::new(header), |t, d| {
        let mut row = vec![decile_label(d.index, lang), share(d.sales_share)];
        if has_profit {
            row.push(share(d.profit_share));
        }
        row.push(share(d.cumulative_sales_share));
        t.row(row)
    });
    let finding = match (deciles.first(), deciles.get(1)) {
        (Some(first), Some(second)) => Some(sentence(
            Text::FindingDeciles.get(lang),
            &[
                share(first.sales_share),
                share(second.cumulative_sales_share),
            ],
        )),
        _ => None,
    };
    let svg = render_decile_shares_svg(&shares, &title, style);
    Figure::new(
        "decile-shares",
        title,
        Text::DescDecileShares.get(lang),
        finding,
        table,
        svg,
        lang,
    )
}

/// The Lorenz curve with the Gini coefficient and the Pareto point, its table (at most 21
/// points, every 5 % of customers) and the finding. `None` when there is no curve to draw (total
/// not positive) and nothing went wrong drawing it.
pub fn lorenz_figure(lorenz: &Lorenz, style: &ChartStyle) -> Option<Figure> {
    let lang = style.lang;
    let points: Vec<(f64, f64)> = lorenz
        .points
        .iter()
        .map(|p| (p.customer_share, p.value_share))
        .collect();
    let gini = lorenz.gini;
    let pareto = lorenz.pareto80_customer_share;
    let svg = render_lorenz_svg(&points, gini.unwrap_or(0.0), pareto, style);
    if gini.is_none() && svg.is_ok() {
        return None;
    }
    let step = (points.len() / 20).max(1);
    let table = points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0 || *i + 1 == points.len())
        .fold(
            ChartTable::new([
                Text::CustomerShareShort.get(lang),
                Text::ValueShareShort.get(lang),
            ]),
            |t, (_, &(x, y))| t.row([format_percent(x, 1), format_percent(y, 1)]),
        );
    let finding = match (pareto, gini) {
        (Some(p), Some(g)) => Some(sentence(
            Text::FindingLorenz.get(lang),
            &[format_percent(p, 1), format!("{g:.2}")],
        )),
        _ => None,
    };
    Some(Figure::new(
        "lorenz",
        Text::LorenzTitle.get(lang).to_string(),
        Text::DescLorenz.get(lang),
        finding,
        table,
        svg,
        lang,
    ))
}

/// The groups at a glance: one bar per computed group (share of sales, customers beside), and
/// its table. `None` when no group was computed.
pub fn groups_figure(facts: &[GroupFact], style: &ChartStyle) -> Option<Figure> {
    let lang = style.lang;
    let bars: Vec<GroupBar> = facts
        .iter()
        .filter(|f| f.computed())
        .map(|f| GroupBar {
            label: group_text(f.kind).get(lang).to_string(),
            customers: f.customers,
            sales_share: f.sales_share.unwrap_or(0.0),
        })
        .collect();
    if bars.is_empty() {
        return None;
    }
    let table = bars.iter().fold(
        ChartTable::new([
            Text::GroupsTitle.get(lang),
            Text::Customers.get(lang),
            Text::SalesShare.get(lang),
        ]),
        |t, b| {
            t.row([
                b.label.clone(),
                format_number(b.customers as f64, 0),
                format_percent(b.sales_share, 1),
            ])
        },
    );
    let svg = render_groups_svg(&bars, style);
    Some(Figure::new(
        "decile-groups",
        Text::GroupsChartTitle.get(lang).to_string(),
        Text::DescGroups.get(lang),
        None,
        table,
        svg,
        lang,
    ))
}

/// A column of the customer decile table and its CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecileColumn {
    /// The decile (1 = the customers with the largest values).
    Decile,
    /// Customers in the decile.
    Customers,
    /// Their net sales.
    Sales,
    /// Their share of total sales.
    SalesShare,
    /// Cumulative share of sales.
    CumulativeSales,
    /// Their net profit (profit column only).
    Profit,
    /// Their share of total profit (profit column only).
    ProfitShare,
    /// Cumulative share of profit (profit column only).
    CumulativeProfit,
    /// Sales per order.
    AverageOrderValue,
    /// Profit / sales (profit column only).
    Margin,
}

impl DecileColumn {
    /// Every column: the view's table and the CSV.
    pub const ALL: [DecileColumn; 10] = [
        DecileColumn::Decile,
        DecileColumn::Customers,
        DecileColumn::Sales,
        DecileColumn::SalesShare,
        DecileColumn::CumulativeSales,
        DecileColumn::Profit,
        DecileColumn::ProfitShare,
        DecileColumn::CumulativeProfit,
        DecileColumn::AverageOrderValue,
        DecileColumn::Margin,
    ];

    /// The report's narrower table.
    pub const REPORT: [DecileColumn; 7] = [
        DecileColumn::Decile,
        DecileColumn::Customers,
        DecileColumn::Sales,
        DecileColumn::SalesShare,
        DecileColumn::CumulativeSales,
        DecileColumn::ProfitShare,
        DecileColumn::Margin,
    ];

    /// The header.
    pub fn text(self) -> Text {
        match self {
            DecileColumn::Decile => Text::DecileColumn,
            DecileColumn::Customers => Text::Customers,
            DecileColumn::Sales => Text::Sales,
            DecileColumn::SalesShare => Text::SalesShare,
            DecileColumn::CumulativeSales | DecileColumn::CumulativeProfit => Text::CumulativeShare,
            DecileColumn::Profit => Text::Profit,
            DecileColumn::ProfitShare => Text::ProfitShare,
            DecileColumn::AverageOrderValue => Text::AverageOrderValue,
            DecileColumn::Margin => Text::Margin,
        }
    }

    /// Whether the column needs a profit column in the data.
    pub fn needs_profit(self) -> bool {
        matches!(
            self,
            DecileColumn::Profit
                | DecileColumn::ProfitShare
                | DecileColumn::CumulativeProfit
                | DecileColumn::Margin
        )
    }

    /// The cell as shown.
    pub fn shown(self, d: &Decile, lang: Lang) -> String {
        match self {
            DecileColumn::Decile => decile_label(d.index, lang),
            DecileColumn::Customers => format_number(d.customers as f64, 0),
            DecileColumn::Sales => format_money(d.sales),
            DecileColumn::SalesShare => share(d.sales_share),
            DecileColumn::CumulativeSales => share(d.cumulative_sales_share),
            DecileColumn::Profit => format_money(d.profit),
            DecileColumn::ProfitShare => share(d.profit_share),
            DecileColumn::CumulativeProfit => share(d.cumulative_profit_share),
            DecileColumn::AverageOrderValue => format_money(d.average_order_value),
            DecileColumn::Margin => share(d.margin),
        }
    }

    /// The cell as a raw CSV number.
    pub fn raw(self, d: &Decile) -> String {
        match self {
            DecileColumn::Decile => d.index.to_string(),
            DecileColumn::Customers => d.customers.to_string(),
            DecileColumn::Sales => number(d.sales),
            DecileColumn::SalesShare => optional(d.sales_share),
            DecileColumn::CumulativeSales => optional(d.cumulative_sales_share),
            DecileColumn::Profit => number(d.profit),
            DecileColumn::ProfitShare => optional(d.profit_share),
            DecileColumn::CumulativeProfit => optional(d.cumulative_profit_share),
            DecileColumn::AverageOrderValue => number(d.average_order_value),
            DecileColumn::Margin => optional(d.margin),
        }
    }
}

/// The customer decile table in `columns` (those that need profit left out without a profit
/// column).
pub fn decile_table(
    deciles: &[Decile],
    columns: &[DecileColumn],
    has_profit: bool,
    lang: Lang,
) -> Table {
    let columns: Vec<DecileColumn> = columns
        .iter()
        .copied()
        .filter(|c| has_profit || !c.needs_profit())
        .collect();
    let mut table = Table::new(
        columns
            .iter()
            .map(|c| (c.text().get(lang).to_string(), *c != DecileColumn::Decile)),
    );
    for d in deciles {
        table.push(columns.iter().map(|c| c.shown(d, lang)));
    }
    table
}

/// The customer deciles by `basis` as CSV (`deciles-sales.csv`, `deciles-profit.csv`): every
/// column, numbers raw.
pub fn decile_csv(deciles: &[Decile], basis: DecileBasis, lang: Lang) -> Csv {
    Csv {
        file: format!("deciles-{}", basis.as_str()),
        header: DecileColumn::ALL
            .iter()
            .map(|c| c.text().get(lang).to_string())
            .collect(),
        rows: deciles
            .iter()
            .map(|d| DecileColumn::ALL.iter().map(|c| c.raw(d)).collect())
            .collect(),
    }
}

/// Notes when the cumulative curve of `basis` leaves the 0–100 % band (losses or returns).
pub fn overshoot_notes(deciles: &[Decile], basis: DecileBasis, lang: Lang) -> Vec<Notice> {
    let found = match basis {
        DecileBasis::Profit => overshoot(deciles.iter().map(|d| d.cumulative_profit_share)),
        DecileBasis::Sales => overshoot(deciles.iter().map(|d| d.cumulative_sales_share)),
    };
    let mut notes = Vec::new();
    if found.above_full {
        notes.push(Notice::new("overshoot", Text::Overshoot.get(lang)));
    }
    if found.below_zero {
        notes.push(Notice::new("below-zero", Text::BelowZero.get(lang)));
    }
    notes
}

const VALUE_COLUMNS: [(Text, bool); 5] = [
    (Text::Slice, false),
    (Text::Customers, true),
    (Text::CumulativeCustomers, true),
    (Text::CustomerShare, true),
    (Text::Value, true),
];

/// A value decile table: per 10 % slice of the total, the customers it takes.
pub fn value_table(slices: &[ValueSlice], lang: Lang) -> Table {
    let mut table = Table::new(
        VALUE_COLUMNS
            .iter()
            .map(|&(t, numeric)| (t.get(lang).to_string(), numeric)),
    );
    for s in slices {
        table.push([
            slice_label(s.index),
            format_number(s.customers as f64, 0),
            format_number(s.cumulative_customers as f64, 0),
            format_percent(s.cumulative_customer_share, 1),
            format_money(s.value),
        ]);
    }
    table
}

/// A value decile table as the CSV file `file`, numbers raw.
pub fn value_csv(slices: &[ValueSlice], file: &str, lang: Lang) -> Csv {
    Csv {
        file: file.to_string(),
        header: VALUE_COLUMNS
            .iter()
            .map(|(t, _)| t.get(lang).to_string())
            .collect(),
        rows: slices
            .iter()
            .map(|v| {
                vec![
                    slice_label(v.index),
                    v.customers.to_string(),
                    v.cumulative_customers.to_string(),
                    number(v.cumulative_customer_share),
                    number(v.value),
                ]
            })
            .collect(),
    }
}

/// The groups as a table: customers and share of sales of each ("–" when not computed).
pub fn groups_table(facts: &[GroupFact], lang: Lang) -> Table {
    let mut table = Table::new([
        (Text::GroupsTitle.get(lang).to_string(), false),
        (Text::Customers.get(lang).to_string(), true),
        (Text::SalesShare.get(lang).to_string(), true),
    ]);
    for f in facts {
        let (customers, sales) = if f.computed() {
            (format_number(f.customers as f64, 0), share(f.sales_share))
        } else {
            ("–".into(), "–".into())
        };
        table.push([group_text(f.kind).get(lang).to_string(), customers, sales]);
    }
    table
}

/// What the view says about one group above its customers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPanel {
    /// The group's name.
    pub name: String,
    /// What the group is.
    pub note: String,
    /// The compared periods (declining, with dates).
    pub periods: Option<String>,
    /// The margin limit found and the order limit (transaction customers).
    pub limits: Option<String>,
    /// Why the group is off (`None` when it was computed).
    pub off: Option<String>,
}

/// The notes of group `kind`.
pub fn group_panel(groups: &Groups, kind: GroupKind, lang: Lang) -> GroupPanel {
    let span = |first, last| {
        sentence(
            Text::DateSpan.get(lang),
            &[format_date(first, lang), format_date(last, lang)],
        )
    };
    let periods = groups
        .periods
        .filter(|_| kind == GroupKind::Declining)
        .map(|p| {
            sentence(
                Text::GroupPeriods.get(lang),
                &[
                    span(p.latest.first_day, p.latest.last_day),
                    span(p.previous.first_day, p.previous.last_day),
                ],
            )
        });
    let limits = groups
        .transaction_margin_limit
        .filter(|_| kind == GroupKind::Transaction)
        .map(|limit| {
            sentence(
                Text::GroupMarginLimit.get(lang),
                &[
                    format_percent(limit, 1),
                    groups.config.transaction_max_orders.to_string(),
                ],
            )
        });
    GroupPanel {
        name: group_text(kind).get(lang).to_string(),
        note: group_note(kind).get(lang).to_string(),
        periods,
        limits,
        off: status_text(groups.status_of(kind)).map(|t| t.get(lang).to_string()),
    }
}

/// Group `kind`'s customers as CSV (`保持客户-retain.csv`): the customer CSV of
/// [`customers_csv`], with the compared periods for the declining group.
pub fn group_csv(table: &CustomerTable, groups: &Groups, kind: GroupKind, lang: Lang) -> Csv {
    customers_csv(
        format!("{}-{}", group_text(kind).get(lang), kind.as_str()),
        table,
        groups.members(kind),
        group_periods(groups, kind),
        lang,
    )
}

/// One exact figure of the "every decile share" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactFigure {
    /// Machine name (`decile_sales_share_1` …), for `data-metric`.
    pub name: String,
    /// Raw value for `data-value` (empty when undefined).
    pub raw: String,
    /// Six decimals, or "–".
    pub shown: String,
}

/// The decile shares of [`DecileAnalysis::figures`] (the others are the headline cards).
pub fn exact_figures(analysis: &DecileAnalysis) -> Vec<ExactFigure> {
    analysis
        .figures()
        .into_iter()
        .filter(|f| f.name.starts_with("decile_"))
        .map(|f| ExactFigure {
            raw: f.value.map(raw_value).unwrap_or_default(),
            shown: f
                .value
                .map(|v| format!("{v:.6}"))
                .unwrap_or_else(|| "–".into()),
            name: f.name,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calendar::{Day, Month};
    use crate::engine::customers::{Columns, MonthTotal};
    use crate::engine::deciles::{analyse_deciles, customer_deciles, GroupConfig};

    /// 20 customers with sales 1 … 20, profit a tenth, dated in two years.
    fn table() -> CustomerTable {
        let customers = (1..=20)
            .map(|i| {
                let sales = i as f64;
                let month = Month::from_index(if i % 3 == 0 {
                    2023 * 12 + 2
                } else {
                    2024 * 12 + 2
                });
                Customer {
                    id: format!("c{i:02}").into(),
                    sales,
                    profit: sales / 10.0,
                    orders: (i % 4 + 1) as u32,
                    first: Some(Day::from_epoch_days(19_000)),
                    last: Some(Day::from_epoch_days(19_700)),
                    months: vec![MonthTotal {
                        month,
                        sales,
                        profit: sales / 10.0,
                    }]
                    .into(),
                    ..Default::default()
                }
            })
            .collect();
        CustomerTable {
            customers,
            columns: Columns {
                order: true,
                date: true,
                profit: true,
                quantity: false,
            },
        }
    }

    fn analysis(table: &CustomerTable) -> DecileAnalysis {
        analyse_deciles(table, &GroupConfig::default()).unwrap()
    }

    #[test]
    fn headline_figures_are_the_engines_in_both_languages() {
        let table = table();
        let a = analysis(&table);
        let facts = group_facts(&a.groups, &table.customers);
        for lang in [Lang::Zh, Lang::En] {
            let metrics = headline(&a.lorenz_sales, &facts, lang);
            let names: Vec<&str> = metrics.iter().map(|m| m.name).collect();
            assert_eq!(
                names,
                [
                    "gini",
                    "pareto80_customer_share",
                    "group_retain",
                    "group_grow",
                    "group_declining",
                    "group_transaction"
                ]
            );
            // Every headline figure is the engine's figure of the same name.
            for figure in a.figures() {
                if let Some(m) = metrics.iter().find(|m| m.name == figure.name) {
                    assert_eq!(m.raw(), figure.value.map(raw_value).unwrap_or_default());
                }
            }
            assert_eq!(metrics[0].label, Text::Gini.get(lang));
            assert_eq!(metrics[2].label, Text::GroupRetain.get(lang));
        }
        // Retain: 20 + 19 reach 10 % of 210; their share of sales is the note.
        assert_eq!(facts[0].customers, 2);
        let zh = headline(&a.lorenz_sales, &facts, Lang::Zh);
        assert_eq!(zh[2].note.as_deref(), Some("18.6%"));
    }

    #[test]
    fn groups_that_are_off_say_why() {
        let mut table = table();
        table.columns.profit = false;
        table.columns.date = false;
        let a = analysis(&table);
        let facts = group_facts(&a.groups, &table.customers);
        let en = headline(&a.lorenz_sales, &facts, Lang::En);
        let declining = &en[4];
        assert_eq!(
            (declining.raw(), declining.display.as_str()),
            (String::new(), "–")
        );
        assert_eq!(
            declining.note.as_deref(),
            Some(Text::GroupNoDate.get(Lang::En))
        );
        let panel = group_panel(&a.groups, GroupKind::Transaction, Lang::Zh);
        assert_eq!(
            panel.off.as_deref(),
            Some(Text::GroupNoProfit.get(Lang::Zh))
        );
        let groups = groups_table(&facts, Lang::En);
        assert_eq!(groups.rows[2], ["Declining", "–", "–"]);
        assert_eq!(groups.rows[0][1], "2");
    }

    #[test]
    fn figures_are_drawn_from_the_engines_numbers() {
        let table = table();
        let a = analysis(&table);
        for lang in [Lang::Zh, Lang::En] {
            let style = ChartStyle::new(lang);
            let (basis, deciles) = chosen(&a, DecileBasis::Profit);
            assert_eq!(basis, DecileBasis::Profit);
            assert_eq!(
                deciles,
                customer_deciles(&table, DecileBasis::Profit).unwrap()
            );
            let figure = shares_figure(deciles, basis, true, &style);
            assert_eq!(figure.name, "decile-shares");
            assert!(figure.svg.is_ok());
            assert!(
                figure.title.contains(Text::ByProfit.get(lang)),
                "{}",
                figure.title
            );
            assert_eq!(figure.table.rows.len(), 10);
            assert_eq!(figure.table.rows[0][0], decile_label(1, lang));
            assert_eq!(figure.table.rows[0][1], share(deciles[0].sales_share));
            assert!(figure.desc.contains(&share(deciles[0].sales_share)));

            let lorenz = lorenz_figure(&a.lorenz_sales, &style).unwrap();
            assert!(lorenz.svg.is_ok());
            assert!(lorenz.table.rows.len() <= 21);
            assert!(lorenz
                .desc
                .contains(&format!("{:.2}", a.lorenz_sales.gini.unwrap())));

            let facts = group_facts(&a.groups, &table.customers);
            let groups = groups_figure(&facts, &style).unwrap();
            assert_eq!(groups.table.rows[0][0], Text::GroupRetain.get(lang));
            assert_eq!(
                groups.table.rows.len(),
                facts.iter().filter(|f| f.computed()).count()
            );
        }
        // Without profit the basis falls back to sales.
        let mut no_profit = table.clone();
        no_profit.columns.profit = false;
        let b = analysis(&no_profit);
        let (basis, deciles) = chosen(&b, DecileBasis::Profit);
        assert_eq!(
            (basis, deciles),
            (DecileBasis::Sales, b.by_sales.as_slice())
        );
    }

    #[test]
    fn no_lorenz_curve_without_positive_sales() {
        let mut table = table();
        for c in &mut table.customers {
            c.sales = -c.sales;
        }
        let a = analysis(&table);
        let style = ChartStyle::new(Lang::En);
        match lorenz_figure(&a.lorenz_sales, &style) {
            None => {}
            Some(figure) => assert!(figure.svg.is_err()),
        }
        let facts = group_facts(&a.groups, &table.customers);
        assert!(facts[0].sales_share.is_none());
    }

    #[test]
    fn decile_tables_and_csv() {
        let table = table();
        let a = analysis(&table);
        let view = decile_table(&a.by_sales, &DecileColumn::ALL, true, Lang::En);
        assert_eq!(view.header.len(), 10);
        assert_eq!(view.rows[0][0], "D1");
        assert_eq!(view.rows[0][2], "39.00");
        assert!(!view.is_numeric(0) && view.is_numeric(1));
        let report = decile_table(&a.by_sales, &DecileColumn::REPORT, false, Lang::Zh);
        assert_eq!(
            report.header,
            ["组别", "客户数", "销售额", "销售额占比", "累计占比"]
        );
        assert_eq!(report.rows[0][0], "第 1 组");

        let csv = decile_csv(&a.by_sales, DecileBasis::Sales, Lang::En);
        assert_eq!(csv.file, "deciles-sales");
        assert_eq!(csv.header[0], "Decile");
        assert_eq!(csv.rows.len(), 10);
        assert_eq!(csv.rows[0][..4], ["1", "2", "39", "0.185714"]);
        let text = csv.document();
        assert_eq!(text.trim().split("\r\n").count(), 11);

        let values = value_table(&a.value_by_sales, Lang::Zh);
        assert_eq!(values.header[0], "区间");
        assert_eq!(values.rows[0][0], "0–10%");
        let csv = value_csv(&a.value_by_sales, "value-deciles-sales", Lang::En);
        assert_eq!(csv.header.last().map(String::as_str), Some("Value"));
        assert_eq!(csv.rows[9][2], "20");
    }

    #[test]
    fn overshoot_is_noted() {
        let mut table = table();
        table.customers[0].profit = -3.0;
        let a = analysis(&table);
        let (basis, deciles) = chosen(&a, DecileBasis::Profit);
        let notes = overshoot_notes(deciles, basis, Lang::En);
        assert_eq!(
            notes.iter().map(|n| n.name).collect::<Vec<_>>(),
            ["overshoot"]
        );
        assert!(overshoot_notes(&a.by_sales, DecileBasis::Sales, Lang::En).is_empty());
    }

    #[test]
    fn group_notes_and_csv_in_both_languages() {
        let table = table();
        let a = analysis(&table);
        let declining = group_panel(&a.groups, GroupKind::Declining, Lang::En);
        assert!(declining
            .periods
            .as_deref()
            .unwrap()
            .starts_with("Latest period "));
        let zh = group_panel(&a.groups, GroupKind::Declining, Lang::Zh);
        assert!(zh.periods.as_deref().unwrap().starts_with("最近一期 "));
        let transaction = group_panel(&a.groups, GroupKind::Transaction, Lang::En);
        assert!(transaction.limits.is_some());
        assert!(group_panel(&a.groups, GroupKind::Retain, Lang::En)
            .limits
            .is_none());
        assert_eq!(
            analysis_day_note(&a.groups, Lang::En).unwrap(),
            format!(
                "Analysis date: {}",
                format_date(a.groups.periods.unwrap().analysis_day, Lang::En)
            )
        );

        let csv = group_csv(&table, &a.groups, GroupKind::Declining, Lang::Zh);
        assert_eq!(csv.file, "衰退客户-declining");
        assert_eq!(
            csv.header[csv.header.len() - 3..],
            ["上一期销售额", "最近一期销售额", "变化"]
        );
        assert_eq!(csv.rows.len(), a.groups.declining.len());
        let retain = group_csv(&table, &a.groups, GroupKind::Retain, Lang::En);
        assert_eq!(retain.header.len(), 8);
        assert_eq!(retain.rows[0][0], "c20");
        // The same cells as the engine's group CSV.
        let engine = crate::engine::deciles::group_csv(
            &table,
            &a.groups,
            GroupKind::Retain,
            &crate::engine::deciles::GroupCsvLabels::default(),
        );
        for row in &retain.rows {
            assert!(
                engine.contains(&format!("\r\n{}\r\n", row.join(","))),
                "{engine}"
            );
        }
    }

    #[test]
    fn exact_figures_are_the_decile_shares() {
        let table = table();
        let a = analysis(&table);
        let figures = exact_figures(&a);
        assert_eq!(figures.len(), 20);
        assert_eq!(figures[0].name, "decile_sales_share_1");
        assert_eq!(figures[0].raw, raw_value(39.0 / 210.0));
        assert_eq!(figures[0].shown, "0.185714");
    }
}
