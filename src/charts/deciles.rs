//! Charts of the purchase decile analysis (购买十分位分析): decile bars of sales and profit share
//! with the cumulative sales line, the Lorenz curve against the line of equality with the Gini
//! coefficient, and the customer groups at a glance. The functions take plain numbers, so they do
//! not depend on how the engine computed them.

use plotters::prelude::*;
use plotters::series::DashedLineSeries;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    chart_error, check_finite, compact_number, draw_legend, palette, sanitize_label, ChartStyle,
    Corner, Svg, Swatch, FONT_FAMILY,
};
use crate::engine::error::{Error, Result};
use crate::i18n::{
    chart_decile_tick, format_percent, group_note, lorenz_title, pareto_note, Text as Words,
};

/// Shares per decile (decile 1 = top customers), as fractions of the signed totals.
#[derive(Debug, Clone, PartialEq)]
pub struct DecileShares {
    /// Share of total sales of each decile (10 values).
    pub sales: Vec<f64>,
    /// Share of total profit of each decile, when profit is known.
    pub profit: Option<Vec<f64>>,
    /// Cumulative share of sales after each decile.
    pub cumulative_sales: Vec<f64>,
}

/// Bars of sales share (and profit share) per decile, with the cumulative sales line.
pub fn render_decile_shares_svg(
    shares: &DecileShares,
    title: &str,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "decile-shares";
    let n = shares.sales.len();
    if n == 0 {
        return Err(Error::NoData);
    }
    check_finite(
        NAME,
        shares
            .sales
            .iter()
            .chain(shares.cumulative_sales.iter())
            .copied(),
    )?;
    if let Some(profit) = &shares.profit {
        check_finite(NAME, profit.iter().copied())?;
    }
    let lang = style.lang;
    let all = shares
        .sales
        .iter()
        .chain(shares.cumulative_sales.iter())
        .chain(shares.profit.iter().flatten())
        .copied();
    let (low, high) = all.fold((0.0_f64, 1.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let y_range = (if low < 0.0 { low - 0.05 } else { 0.0 })..(high + 0.05);
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (style.width, style.height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                sanitize_label(title, 80),
                (FONT_FAMILY, 17).into_font().color(&palette::INK),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(52)
            .build_cartesian_2d(0.5..(n as f64 + 0.5), y_range)
            .map_err(chart_error(NAME))?;
        let decile_label = |x: &f64| -> String {
            let i = x.round();
            if (x - i).abs() > 1e-6 || i < 1.0 || i > n as f64 {
                return String::new();
            }
            chart_decile_tick(i as usize, lang)
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(palette::GRID.mix(0.6))
            .bold_line_style(palette::GRID)
            .axis_style(palette::INK.mix(0.7))
            .x_labels(n)
            .x_label_formatter(&decile_label)
            .y_labels(6)
            .y_label_formatter(&|v: &f64| format_percent(*v, 0))
            .label_style((FONT_FAMILY, 12).into_font().color(&palette::INK))
            .x_desc(Words::ChartDecileAxis.get(lang))
            .draw()
            .map_err(chart_error(NAME))?;
        let width = if shares.profit.is_some() { 0.36 } else { 0.6 };
        let sales_offset = if shares.profit.is_some() { -0.19 } else { 0.0 };
        chart
            .draw_series(shares.sales.iter().enumerate().map(|(i, &v)| {
                let x = i as f64 + 1.0 + sales_offset;
                Rectangle::new(
                    [(x - width / 2.0, 0.0), (x + width / 2.0, v)],
                    palette::PRIMARY.filled(),
                )
            }))
            .map_err(chart_error(NAME))?;
        let mut legend = vec![(
            Words::ChartShareOfSales.get(lang),
            Swatch::Bar(palette::PRIMARY.filled()),
        )];
        if let Some(profit) = &shares.profit {
            // Light fill with a dark outline: tells apart from the sales bars in black-and-white print.
            let fill = palette::SECONDARY.mix(0.35);
            chart
                .draw_series(profit.iter().enumerate().flat_map(|(i, &v)| {
                    let x = i as f64 + 1.0 + 0.19;
                    let corners = [(x - width / 2.0, 0.0), (x + width / 2.0, v)];
                    [
                        Rectangle::new(corners, fill.filled()),
                        Rectangle::new(corners, palette::SECONDARY.stroke_width(1)),
                    ]
                }))
                .map_err(chart_error(NAME))?;
            legend.push((
                Words::ChartShareOfProfit.get(lang),
                Swatch::Bar(fill.filled()),
            ));
        }
        let points: Vec<(f64, f64)> = shares
            .cumulative_sales
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64 + 1.0, v))
            .collect();
        chart
            .draw_series(LineSeries::new(
                points.clone(),
                palette::INK.stroke_width(2),
            ))
            .map_err(chart_error(NAME))?;
        legend.push((
            Words::ChartCumulativeSales.get(lang),
            Swatch::Line(palette::INK.stroke_width(2)),
        ));
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&p| Circle::new(p, 3, palette::INK.filled())),
            )
            .map_err(chart_error(NAME))?;
        let plot = chart.plotting_area().strip_coord_spec();
        draw_legend(&plot, &legend, Corner::MiddleRight).map_err(chart_error(NAME))?;
        root.present().map_err(chart_error(NAME))?;
    }
    Ok(svg)
}

/// The Lorenz curve (customers sorted from smallest to largest) against the line of equality,
/// with the Gini coefficient, and the Pareto point when known (`pareto80`: the share of top
/// customers that makes 80 % of sales, drawn at `(1 − pareto80, 0.2)`).
pub fn render_lorenz_svg(
    points: &[(f64, f64)],
    gini: f64,
    pareto80: Option<f64>,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "lorenz";
    if points.len() < 2 {
        return Err(Error::NoData);
    }
    check_finite(NAME, points.iter().flat_map(|&(x, y)| [x, y]).chain([gini]))?;
    let lang = style.lang;
    let low = points.iter().map(|p| p.1).fold(0.0_f64, f64::min);
    let high = points.iter().map(|p| p.1).fold(1.0_f64, f64::max);
    let title = lorenz_title(gini, lang);
    let size = style.height.max(320);
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (size + 60, size)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT_FAMILY, 17).into_font().color(&palette::INK))
            .margin(14)
            .x_label_area_size(42)
            .y_label_area_size(52)
            .build_cartesian_2d(
                0.0..1.0,
                (if low < 0.0 { low - 0.02 } else { 0.0 })..(high + 0.0001),
            )
            .map_err(chart_error(NAME))?;
        chart
            .configure_mesh()
            .light_line_style(palette::GRID.mix(0.5))
            .bold_line_style(palette::GRID)
            .axis_style(palette::INK.mix(0.7))
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|v: &f64| format_percent(*v, 0))
            .y_label_formatter(&|v: &f64| format_percent(*v, 0))
            .label_style((FONT_FAMILY, 12).into_font().color(&palette::INK))
            .x_desc(Words::ChartCumulativeCustomers.get(lang))
            .y_desc(Words::ChartCumulativeSalesAxis.get(lang))
            .draw()
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(DashedLineSeries::new(
                vec![(0.0, 0.0), (1.0, 1.0)],
                6,
                5,
                palette::INK.mix(0.6).stroke_width(1),
            ))
            .map_err(chart_error(NAME))?;
        let mut area: Vec<(f64, f64)> = points.to_vec();
        area.extend(points.iter().rev().map(|&(x, _)| (x, x)));
        chart
            .draw_series(std::iter::once(Polygon::new(
                area,
                palette::PRIMARY.mix(0.12).filled(),
            )))
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(LineSeries::new(
                points.to_vec(),
                palette::PRIMARY.stroke_width(3),
            ))
            .map_err(chart_error(NAME))?;
        if let Some(share) = pareto80.filter(|s| s.is_finite()) {
            let point = (1.0 - share, 0.2);
            let label = pareto_note(share, lang);
            chart
                .draw_series([
                    EmptyElement::at(point) + Circle::new((0, 0), 5, palette::SECONDARY.filled())
                ])
                .map_err(chart_error(NAME))?;
            let anchor = if point.0 > 0.55 {
                (point.0 - 0.02, 0.27)
            } else {
                (point.0 + 0.02, 0.27)
            };
            let position = if point.0 > 0.55 {
                HPos::Right
            } else {
                HPos::Left
            };
            chart
                .draw_series(std::iter::once(Text::new(
                    label,
                    anchor,
                    (FONT_FAMILY, 13)
                        .into_font()
                        .color(&palette::INK)
                        .pos(Pos::new(position, VPos::Center)),
                )))
                .map_err(chart_error(NAME))?;
        }
        let legend = [
            (
                Words::ChartEquality.get(lang),
                Swatch::Line(palette::INK.mix(0.6).into()),
            ),
            (
                Words::ChartLorenzCurve.get(lang),
                Swatch::Line(palette::PRIMARY.stroke_width(3)),
            ),
        ];
        let plot = chart.plotting_area().strip_coord_spec();
        draw_legend(&plot, &legend, Corner::UpperLeft).map_err(chart_error(NAME))?;
        root.present().map_err(chart_error(NAME))?;
    }
    Ok(svg)
}

/// One bar of the groups chart.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupBar {
    /// Group name in the UI language.
    pub label: String,
    /// Customers in the group.
    pub customers: usize,
    /// The group's share of total sales.
    pub sales_share: f64,
}

/// Customer groups at a glance: horizontal bars of each group's share of sales, with the
/// customer count written beside the bar.
pub fn render_groups_svg(groups: &[GroupBar], style: &ChartStyle) -> Result<String> {
    const NAME: &str = "decile-groups";
    if groups.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, groups.iter().map(|g| g.sales_share))?;
    let lang = style.lang;
    let n = groups.len();
    let high = groups.iter().map(|g| g.sales_share).fold(0.1_f64, f64::max) * 1.35;
    let low = groups.iter().map(|g| g.sales_share).fold(0.0_f64, f64::min);
    let height = (90 + 52 * n as u32).max(220);
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (style.width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let labels: Vec<String> = groups
            .iter()
            .map(|g| sanitize_label(&g.label, 24))
            .collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(
                Words::ChartGroupsTitle.get(lang),
                (FONT_FAMILY, 17).into_font().color(&palette::INK),
            )
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(150)
            .build_cartesian_2d(low.min(0.0)..high, 0.5..(n as f64 + 0.5))
            .map_err(chart_error(NAME))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(palette::GRID.mix(0.5))
            .bold_line_style(palette::GRID)
            .axis_style(palette::INK.mix(0.7))
            .x_labels(6)
            .y_labels(n)
            .x_label_formatter(&|v: &f64| format_percent(*v, 0))
            .y_label_formatter(&|v: &f64| {
                let i = v.round() as usize;
                if (v - v.round()).abs() > 1e-6 {
                    return String::new();
                }
                if (1..=n).contains(&i) {
                    labels[n - i].clone()
                } else {
                    String::new()
                }
            })
            .label_style((FONT_FAMILY, 13).into_font().color(&palette::INK))
            .draw()
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(groups.iter().enumerate().map(|(i, g)| {
                let y = (n - i) as f64;
                Rectangle::new(
                    [(0.0, y - 0.3), (g.sales_share, y + 0.3)],
                    palette::PRIMARY.filled(),
                )
            }))
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(groups.iter().enumerate().map(|(i, g)| {
                let y = (n - i) as f64;
                let note = group_note(
                    g.sales_share,
                    &compact_number(g.customers as f64, lang),
                    lang,
                );
                Text::new(
                    note,
                    (g.sales_share.max(0.0) + high * 0.01, y),
                    (FONT_FAMILY, 13)
                        .into_font()
                        .color(&palette::INK)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                )
            }))
            .map_err(chart_error(NAME))?;
        root.present().map_err(chart_error(NAME))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn shares() -> DecileShares {
        let sales = vec![0.4, 0.2, 0.1, 0.08, 0.07, 0.05, 0.04, 0.03, 0.02, 0.01];
        let mut cumulative = Vec::new();
        let mut total = 0.0;
        for s in &sales {
            total += s;
            cumulative.push(total);
        }
        DecileShares {
            profit: Some(sales.iter().map(|s| s * 0.9).collect()),
            sales,
            cumulative_sales: cumulative,
        }
    }

    #[test]
    fn decile_bars_in_both_languages() {
        let zh = render_decile_shares_svg(&shares(), "十分位", &ChartStyle::new(Lang::Zh)).unwrap();
        assert!(zh.contains("第1组") && zh.contains("第10组") && zh.contains("累计销售额占比"));
        assert!(zh.matches("<rect").count() >= 30);
        let en =
            render_decile_shares_svg(&shares(), "Deciles", &ChartStyle::new(Lang::En)).unwrap();
        assert!(en.contains("D10") && en.contains("Share of profit"));
    }

    #[test]
    fn negative_shares_and_non_finite_values() {
        let mut s = shares();
        s.sales[9] = -0.2;
        assert!(render_decile_shares_svg(&s, "x", &ChartStyle::new(Lang::En)).is_ok());
        s.sales[0] = f64::NAN;
        assert!(render_decile_shares_svg(&s, "x", &ChartStyle::new(Lang::En)).is_err());
    }

    #[test]
    fn lorenz_with_gini_and_pareto_point() {
        let points: Vec<(f64, f64)> = (0..=10)
            .map(|i| (i as f64 / 10.0, (i as f64 / 10.0).powi(3)))
            .collect();
        let svg = render_lorenz_svg(&points, 0.5, Some(0.2), &ChartStyle::new(Lang::Zh)).unwrap();
        assert!(svg.contains("基尼系数 0.500"));
        assert!(svg.contains("前 20.0% 的客户贡献 80% 销售额"));
        assert!(render_lorenz_svg(&points[..1], 0.5, None, &ChartStyle::new(Lang::Zh)).is_err());
    }

    #[test]
    fn groups_with_hostile_labels_stay_valid() {
        let groups = vec![
            GroupBar {
                label: "保持 <b>&\u{1}".into(),
                customers: 60,
                sales_share: 0.1,
            },
            GroupBar {
                label: "Grow".into(),
                customers: 120,
                sales_share: 0.4,
            },
        ];
        let svg = render_groups_svg(&groups, &ChartStyle::new(Lang::En)).unwrap();
        assert!(svg.contains("&lt;b&gt;&amp;"));
        assert!(!svg.contains('\u{1}'));
    }
}
