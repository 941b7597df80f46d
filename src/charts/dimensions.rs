//! Small multiples of a breakdown (分维度小图, issue 20): one panel per value of a customer
//! attribute, each with the same rows (deciles or RFM segments) in the same order and colour,
//! bars on one shared scale, so the panels compare at a glance. Plain numbers in, SVG out.

use plotters::prelude::*;

use super::{
    chart_error, check_finite, draw_share_rows_mesh, palette, sanitize_label, ChartStyle, Svg,
    FONT_FAMILY,
};
use crate::engine::error::{Error, Result};

/// One panel: a value's name and, per row, the share of the value's customers in that row.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// The value, as shown.
    pub title: String,
    /// Per row (same order in every panel), a share in 0..=1.
    pub shares: Vec<f64>,
}

/// Panels per line of the grid.
const COLUMNS: usize = 3;

/// The panels of `panels` in a grid of [`COLUMNS`], rows named `rows` (the same in every
/// panel), bars from 0 to the largest share of any panel.
///
/// # Errors
/// [`Error::NoData`] without panels or rows; a chart error for a value that is not finite.
pub fn render_small_multiples_svg(
    title: &str,
    rows: &[String],
    panels: &[Panel],
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "dim-multiples";
    if panels.is_empty() || rows.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, panels.iter().flat_map(|p| p.shares.iter().copied()))?;
    let n = rows.len();
    let high = panels
        .iter()
        .flat_map(|p| p.shares.iter().copied())
        .fold(0.05_f64, f64::max)
        * 1.1;
    let lines = panels.len().div_ceil(COLUMNS);
    let panel_height = 44 + 16 * n as u32;
    let height = 36 + panel_height * lines as u32;
    let labels: Vec<String> = rows.iter().map(|r| sanitize_label(r, 12)).collect();
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (style.width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let root = root
            .titled(
                &sanitize_label(title, 80),
                (FONT_FAMILY, 16).into_font().color(&palette::INK),
            )
            .map_err(chart_error(NAME))?;
        let areas = root.split_evenly((lines, COLUMNS));
        for (panel, area) in panels.iter().zip(areas) {
            let mut chart = ChartBuilder::on(&area)
                .caption(
                    sanitize_label(&panel.title, 24),
                    (FONT_FAMILY, 13).into_font().color(&palette::INK),
                )
                .margin(6)
                .x_label_area_size(18)
                .y_label_area_size(84)
                .build_cartesian_2d(0.0..high, 0.5..(n as f64 + 0.5))
                .map_err(chart_error(NAME))?;
            draw_share_rows_mesh(&mut chart, &labels, 3, 10, NAME)?;
            chart
                .draw_series(panel.shares.iter().take(n).enumerate().map(|(i, &share)| {
                    let y = (n - i) as f64;
                    Rectangle::new(
                        [(0.0, y - 0.35), (share.max(0.0), y + 0.35)],
                        palette::PRIMARY.filled(),
                    )
                }))
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
    fn draws_a_panel_per_value_and_refuses_nothing_or_nan() {
        let rows: Vec<String> = (1..=10).map(|d| d.to_string()).collect();
        let panels: Vec<Panel> = ["华东", "华北", "(blank)", "Other <x>"]
            .iter()
            .map(|t| Panel {
                title: t.to_string(),
                shares: (0..10).map(|i| f64::from(i) / 45.0).collect(),
            })
            .collect();
        let style = ChartStyle::new(Lang::Zh);
        let svg = render_small_multiples_svg("十分位 × 地区", &rows, &panels, &style).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("华北") && svg.contains("&lt;x&gt;"));
        assert_eq!(
            render_small_multiples_svg("t", &rows, &[], &style),
            Err(Error::NoData)
        );
        let bad = [Panel {
            title: "x".into(),
            shares: vec![f64::NAN],
        }];
        assert!(render_small_multiples_svg("t", &rows, &bad, &style).is_err());
    }
}
