//! Charts of the SWOT workbench (SWOT 分析打分): the comparison of quadrant totals between us and
//! the competitors, and the strategic position (S − W, O − T) on the TOWS plane.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    chart_error, check_finite, draw_legend, palette, sanitize_label, ChartStyle, Corner, Svg,
    Swatch, FONT_FAMILY,
};
use crate::engine::error::{Error, Result};
use crate::i18n::Text as Words;

/// One board's quadrant totals, in S, W, O, T order.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardTotals {
    /// Board name (us or a competitor).
    pub name: String,
    /// Totals of S, W, O, T.
    pub totals: [f64; 4],
    /// True for our own board.
    pub is_us: bool,
}

const QUADRANT_COLORS: [RGBColor; 4] = [
    RGBColor(0x2f, 0x7d, 0x4f), // strengths
    RGBColor(0xb0, 0x3a, 0x2e), // weaknesses
    RGBColor(0x1d, 0x5c, 0x7a), // opportunities
    RGBColor(0xc4, 0x6a, 0x2f), // threats
];

/// Grouped bars: for each board, the totals of S, W, O and T.
pub fn render_swot_comparison_svg(boards: &[BoardTotals], style: &ChartStyle) -> Result<String> {
    const NAME: &str = "swot-comparison";
    if boards.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, boards.iter().flat_map(|b| b.totals))?;
    let lang = style.lang;
    let n = boards.len();
    let high = boards.iter().flat_map(|b| b.totals).fold(1.0_f64, f64::max) * 1.15;
    let names: Vec<String> = boards.iter().map(|b| sanitize_label(&b.name, 16)).collect();
    let quadrant_names = [
        Words::ChartSwotQuadrantS,
        Words::ChartSwotQuadrantW,
        Words::ChartSwotQuadrantO,
        Words::ChartSwotQuadrantT,
    ]
    .map(|t| t.get(lang));
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (style.width, style.height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                Words::ChartSwotTotalsTitle.get(lang),
                (FONT_FAMILY, 16).into_font().color(&palette::INK),
            )
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(44)
            .build_cartesian_2d(0.5..(n as f64 + 0.5), 0.0..high)
            .map_err(chart_error(NAME))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(palette::GRID.mix(0.5))
            .bold_line_style(palette::GRID)
            .axis_style(palette::INK.mix(0.7))
            .x_labels(n)
            .y_labels(6)
            .x_label_formatter(&|v: &f64| {
                let i = v.round() as usize;
                if (v - v.round()).abs() > 1e-6 || i == 0 || i > n {
                    String::new()
                } else {
                    names[i - 1].clone()
                }
            })
            .y_label_formatter(&|v: &f64| {
                if high < 10.0 {
                    format!("{v:.1}")
                } else {
                    format!("{v:.0}")
                }
            })
            .label_style((FONT_FAMILY, 12).into_font().color(&palette::INK))
            .draw()
            .map_err(chart_error(NAME))?;
        let mut legend = Vec::new();
        for (q, (&color, name)) in QUADRANT_COLORS.iter().zip(quadrant_names).enumerate() {
            // Alternate solid and light fills so the four bars stay apart in black-and-white print.
            let fill = if q % 2 == 0 {
                color.filled()
            } else {
                color.mix(0.45).filled()
            };
            chart
                .draw_series(boards.iter().enumerate().flat_map(|(i, b)| {
                    let x = i as f64 + 1.0 - 0.36 + 0.18 * q as f64;
                    let corners = [(x, 0.0), (x + 0.16, b.totals[q])];
                    [
                        Rectangle::new(corners, fill),
                        Rectangle::new(corners, color.stroke_width(1)),
                    ]
                }))
                .map_err(chart_error(NAME))?;
            legend.push((name, Swatch::Bar(fill)));
        }
        let plot = chart.plotting_area().strip_coord_spec();
        draw_legend(&plot, &legend, Corner::UpperRight).map_err(chart_error(NAME))?;
        root.present().map_err(chart_error(NAME))?;
    }
    Ok(svg)
}

/// A point on the TOWS plane.
#[derive(Debug, Clone, PartialEq)]
pub struct PositionPoint {
    /// Board name.
    pub name: String,
    /// Internal: S − W.
    pub x: f64,
    /// External: O − T.
    pub y: f64,
    /// True for our own board.
    pub is_us: bool,
}

/// The strategic position: internal (S − W) against external (O − T), with the four TOWS
/// quadrants labelled.
pub fn render_swot_position_svg(points: &[PositionPoint], style: &ChartStyle) -> Result<String> {
    const NAME: &str = "swot-position";
    if points.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, points.iter().flat_map(|p| [p.x, p.y]))?;
    let lang = style.lang;
    let reach = points
        .iter()
        .flat_map(|p| [p.x.abs(), p.y.abs()])
        .fold(5.0_f64, f64::max)
        * 1.25;
    let side = style.height.max(360);
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (side + 40, side)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                Words::ChartPositionTitle.get(lang),
                (FONT_FAMILY, 16).into_font().color(&palette::INK),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(44)
            .build_cartesian_2d(-reach..reach, -reach..reach)
            .map_err(chart_error(NAME))?;
        chart
            .configure_mesh()
            .light_line_style(palette::GRID.mix(0.4))
            .bold_line_style(palette::GRID)
            .axis_style(palette::INK.mix(0.7))
            .x_labels(7)
            .y_labels(7)
            .x_label_formatter(&|v: &f64| format!("{v:.0}"))
            .y_label_formatter(&|v: &f64| format!("{v:.0}"))
            .label_style((FONT_FAMILY, 11).into_font().color(&palette::INK))
            .x_desc(Words::ChartInternalAxis.get(lang))
            .y_desc(Words::ChartExternalAxis.get(lang))
            .draw()
            .map_err(chart_error(NAME))?;
        let shades = [
            ((0.0, 0.0), (reach, reach), RGBColor(0xe2, 0xf3, 0xe8)),
            ((0.0, -reach), (reach, 0.0), RGBColor(0xe3, 0xee, 0xf4)),
            ((-reach, 0.0), (0.0, reach), RGBColor(0xfb, 0xee, 0xe4)),
            ((-reach, -reach), (0.0, 0.0), RGBColor(0xfd, 0xec, 0xea)),
        ];
        chart
            .draw_series(
                shades
                    .iter()
                    .map(|&(a, b, c)| Rectangle::new([a, b], c.filled())),
            )
            .map_err(chart_error(NAME))?;
        chart
            .draw_series([
                PathElement::new(
                    vec![(-reach, 0.0), (reach, 0.0)],
                    palette::INK.stroke_width(1),
                ),
                PathElement::new(
                    vec![(0.0, -reach), (0.0, reach)],
                    palette::INK.stroke_width(1),
                ),
            ])
            .map_err(chart_error(NAME))?;
        let corner = reach * 0.95;
        let labels = [
            Words::ChartTowsSO,
            Words::ChartTowsST,
            Words::ChartTowsWO,
            Words::ChartTowsWT,
        ]
        .map(|t| t.get(lang));
        let anchors = [
            ((corner, corner), HPos::Right, VPos::Top),
            ((corner, -corner), HPos::Right, VPos::Bottom),
            ((-corner, corner), HPos::Left, VPos::Top),
            ((-corner, -corner), HPos::Left, VPos::Bottom),
        ];
        chart
            .draw_series(anchors.iter().zip(labels).map(|(&(p, h, v), label)| {
                Text::new(
                    label,
                    p,
                    (FONT_FAMILY, 13)
                        .into_font()
                        .color(&palette::INK.mix(0.75))
                        .pos(Pos::new(h, v)),
                )
            }))
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(points.iter().map(|p| {
                let size = if p.is_us { 8 } else { 5 };
                let color = if p.is_us {
                    palette::PRIMARY
                } else {
                    palette::SECONDARY
                };
                EmptyElement::at((p.x, p.y))
                    + Circle::new((0, 0), size, color.filled())
                    + Text::new(
                        sanitize_label(&p.name, 16),
                        (10, -4),
                        (FONT_FAMILY, if p.is_us { 14 } else { 12 })
                            .into_font()
                            .color(&palette::INK),
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

    #[test]
    fn comparison_and_position() {
        let boards = vec![
            BoardTotals {
                name: "我方".into(),
                totals: [24.0, 12.0, 18.0, 9.0],
                is_us: true,
            },
            BoardTotals {
                name: "A".into(),
                totals: [20.0, 15.0, 10.0, 12.0],
                is_us: false,
            },
        ];
        let svg = render_swot_comparison_svg(&boards, &ChartStyle::new(Lang::Zh)).unwrap();
        assert!(svg.contains("我方") && svg.contains("优势 S"));
        let points = vec![
            PositionPoint {
                name: "我方".into(),
                x: 12.0,
                y: 9.0,
                is_us: true,
            },
            PositionPoint {
                name: "A".into(),
                x: -5.0,
                y: -2.0,
                is_us: false,
            },
        ];
        let svg = render_swot_position_svg(&points, &ChartStyle::new(Lang::En)).unwrap();
        assert!(svg.contains("SO aggressive") && svg.contains("WT defensive"));
        assert!(render_swot_position_svg(&[], &ChartStyle::new(Lang::En)).is_err());
    }
}
