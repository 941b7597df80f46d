//! Customer profile charts (客户画像图, issue 20): the bars of one attribute's distribution
//! (share of customers and share of sales per value or age band) and the correlation heat map.
//! Plain numbers in, SVG out.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    chart_error, check_finite, draw_share_rows_mesh, palette, sanitize_label, ChartStyle, Svg,
    FONT_FAMILY,
};
use crate::engine::error::{Error, Result};

/// One bar pair: a value's label, its share of customers and its share of sales.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareBar {
    /// The value, as shown.
    pub label: String,
    /// Share of customers (0..=1).
    pub customers: f64,
    /// Share of net sales (may be negative or above 1 with returns).
    pub sales: f64,
}

/// Horizontal bars, two per value (customers dark, sales light), values top to bottom in
/// `bars` order, from 0 (or the lowest negative share) to the largest share.
///
/// # Errors
/// [`Error::NoData`] without bars; a chart error for a share that is not finite.
pub fn render_share_bars_svg(title: &str, bars: &[ShareBar], style: &ChartStyle) -> Result<String> {
    const NAME: &str = "profile-bars";
    if bars.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, bars.iter().flat_map(|b| [b.customers, b.sales]))?;
    let n = bars.len();
    let high = bars
        .iter()
        .flat_map(|b| [b.customers, b.sales])
        .fold(0.05_f64, f64::max)
        * 1.1;
    let low = bars
        .iter()
        .flat_map(|b| [b.customers, b.sales])
        .fold(0.0_f64, f64::min)
        * 1.1;
    let height = 70 + 26 * n as u32;
    let labels: Vec<String> = bars.iter().map(|b| sanitize_label(&b.label, 14)).collect();
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (style.width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                sanitize_label(title, 80),
                (FONT_FAMILY, 16).into_font().color(&palette::INK),
            )
            .margin(8)
            .x_label_area_size(22)
            .y_label_area_size(110)
            .build_cartesian_2d(low..high, 0.5..(n as f64 + 0.5))
            .map_err(chart_error(NAME))?;
        draw_share_rows_mesh(&mut chart, &labels, 5, 11, NAME)?;
        chart
            .draw_series(bars.iter().enumerate().flat_map(|(i, b)| {
                let y = (n - i) as f64;
                [
                    Rectangle::new(
                        [(0.0, y), (b.customers, y + 0.38)],
                        palette::PRIMARY.filled(),
                    ),
                    Rectangle::new(
                        [(0.0, y - 0.38), (b.sales, y)],
                        palette::SECONDARY.mix(0.75).filled(),
                    ),
                ]
            }))
            .map_err(chart_error(NAME))?;
        root.present().map_err(chart_error(NAME))?;
    }
    Ok(svg)
}

/// The correlation heat map: `labels` on both axes, `values[row][column]` in −1..=1 (`None`:
/// undefined or the diagonal, left white), blue for positive, orange for negative, darker for
/// stronger, the value written in each cell.
///
/// # Errors
/// [`Error::NoData`] with fewer than 2 variables; a chart error for a value that is not finite.
pub fn render_correlation_heatmap_svg(
    title: &str,
    labels: &[String],
    values: &[Vec<Option<f64>>],
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "profile-heatmap";
    let n = labels.len();
    if n < 2 || values.len() != n {
        return Err(Error::NoData);
    }
    check_finite(NAME, values.iter().flatten().flatten().copied())?;
    let cell = 56u32;
    let left = 130u32;
    let top = 40u32;
    let width = (left + cell * n as u32 + 20).max(style.width.min(500));
    let height = top + cell * n as u32 + 120;
    let names: Vec<String> = labels.iter().map(|l| sanitize_label(l, 16)).collect();
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let ink = (FONT_FAMILY, 11).into_font().color(&palette::INK);
        root.draw(&Text::new(
            sanitize_label(title, 80),
            (10, 8),
            (FONT_FAMILY, 16).into_font().color(&palette::INK),
        ))
        .map_err(chart_error(NAME))?;
        for (r, row) in values.iter().enumerate() {
            let y = (top + cell * r as u32) as i32;
            let name = names.get(r).cloned().unwrap_or_default();
            root.draw(&Text::new(
                name,
                (left as i32 - 6, y + cell as i32 / 2),
                ink.clone().pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(chart_error(NAME))?;
            for c in 0..n {
                let x = (left + cell * c as u32) as i32;
                let value = row.get(c).copied().flatten();
                let colour = match value {
                    Some(v) if v < 0.0 => palette::SECONDARY.mix(v.abs().min(1.0) * 0.85 + 0.05),
                    Some(v) => palette::PRIMARY.mix(v.min(1.0) * 0.85 + 0.05),
                    None => WHITE.mix(1.0),
                };
                root.draw(&Rectangle::new(
                    [(x, y), (x + cell as i32 - 2, y + cell as i32 - 2)],
                    colour.filled(),
                ))
                .map_err(chart_error(NAME))?;
                let text = value.map_or_else(|| "–".to_string(), |v| format!("{v:.2}"));
                let strong = value.is_some_and(|v| v.abs() >= 0.5);
                let colour = if strong { WHITE } else { palette::INK };
                root.draw(&Text::new(
                    text,
                    (x + cell as i32 / 2 - 1, y + cell as i32 / 2 - 1),
                    (FONT_FAMILY, 12)
                        .into_font()
                        .color(&colour)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ))
                .map_err(chart_error(NAME))?;
            }
        }
        // Column names, turned, under the grid.
        for (c, name) in names.iter().enumerate() {
            let x = (left + cell * c as u32 + cell / 2) as i32;
            let y = (top + cell * n as u32 + 6) as i32;
            root.draw(&Text::new(
                name.clone(),
                (x, y),
                ink.clone()
                    .transform(FontTransform::Rotate90)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(chart_error(NAME))?;
        }
        root.present().map_err(chart_error(NAME))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn draws_bars_and_a_heat_map_and_refuses_nothing_or_nan() {
        let style = ChartStyle::new(Lang::Zh);
        let bars = vec![
            ShareBar {
                label: "华东".into(),
                customers: 0.5,
                sales: 0.6,
            },
            ShareBar {
                label: "<x>".into(),
                customers: 0.5,
                sales: -0.1,
            },
        ];
        let svg = render_share_bars_svg("按地区", &bars, &style).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("华东") && svg.contains("&lt;x&gt;"));
        assert_eq!(render_share_bars_svg("t", &[], &style), Err(Error::NoData));
        let labels = vec!["地区".to_string(), "年龄".into(), "R".into()];
        let values = vec![
            vec![None, Some(0.3), Some(0.1)],
            vec![Some(0.3), None, Some(-0.6)],
            vec![Some(0.1), Some(-0.6), None],
        ];
        let svg = render_correlation_heatmap_svg("相关性", &labels, &values, &style).unwrap();
        assert!(svg.contains("-0.60") && svg.contains("年龄"));
        let bad = vec![vec![Some(f64::NAN), None], vec![None, None]];
        assert!(render_correlation_heatmap_svg("t", &labels[..2], &bad, &style).is_err());
        assert!(render_correlation_heatmap_svg("t", &labels[..1], &bad[..1], &style).is_err());
    }
}
