//! Net sales per month (每月净销售额): bars, negative months in red.

use plotters::prelude::*;

use super::{
    chart_error, check_finite, compact_number, palette, sanitize_label, ChartStyle, Svg,
    FONT_FAMILY,
};
use crate::engine::error::{Error, Result};
use crate::engine::monthly::MonthlySales;
use crate::i18n::{format_month_short, Lang, Text};

/// Draws the monthly series as an SVG bar chart.
pub fn render_monthly_sales_svg(series: &[MonthlySales], style: &ChartStyle) -> Result<String> {
    const NAME: &str = "monthly-sales";
    if series.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, series.iter().map(|m| m.sales))?;
    let lang = style.lang;
    let max = series.iter().map(|m| m.sales).fold(0.0_f64, f64::max);
    let min = series.iter().map(|m| m.sales).fold(0.0_f64, f64::min);
    let pad = ((max - min) * 0.08).max(1.0);
    let (y_low, y_high) = (if min < 0.0 { min - pad } else { 0.0 }, max + pad);
    let count = series.len();
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (style.width, style.height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let title = sanitize_label(Text::MonthlySalesTitle.get(lang), 60);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT_FAMILY, 17).into_font().color(&palette::INK))
            .margin(12)
            .x_label_area_size(34)
            .y_label_area_size(58)
            .build_cartesian_2d(0..count, y_low..y_high)
            .map_err(chart_error(NAME))?;
        let label_step = count.div_ceil(12).max(1);
        let month_label = |index: &usize| -> String {
            if !index.is_multiple_of(label_step) {
                return String::new();
            }
            series
                .get(*index)
                .map(|m| format_month_short(m.month, lang))
                .unwrap_or_default()
        };
        let value_label = |value: &f64| compact_number(*value, lang);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(palette::GRID.mix(0.6))
            .bold_line_style(palette::GRID)
            .axis_style(palette::INK.mix(0.7))
            .x_labels(count.min(24))
            .x_label_formatter(&month_label)
            .y_labels(6)
            .y_label_formatter(&value_label)
            .label_style((FONT_FAMILY, 12).into_font().color(&palette::INK))
            .draw()
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(series.iter().enumerate().map(|(i, m)| {
                let color = if m.sales < 0.0 {
                    palette::NEGATIVE
                } else {
                    palette::PRIMARY
                };
                let mut bar = Rectangle::new([(i, 0.0), (i + 1, m.sales)], color.filled());
                bar.set_margin(0, 0, 2, 2);
                bar
            }))
            .map_err(chart_error(NAME))?;
        root.present().map_err(chart_error(NAME))?;
    }
    Ok(svg)
}

/// The chart's title in `lang` (for figure captions and file names).
pub fn monthly_sales_title(lang: Lang) -> &'static str {
    Text::MonthlySalesTitle.get(lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calendar::Month;

    #[test]
    fn draws_bars_and_chinese_title() {
        let series: Vec<MonthlySales> = (0..24)
            .map(|i| MonthlySales {
                month: Month::from_index(2023 * 12 + i),
                sales: if i == 5 { -50.0 } else { 100.0 + i as f64 },
            })
            .collect();
        let svg = render_monthly_sales_svg(&series, &ChartStyle::new(Lang::Zh)).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("每月净销售额"));
        assert!(svg.matches("<rect").count() >= 24);
        assert!(svg.contains("23/1"));
    }

    #[test]
    fn refuses_nan_and_empty() {
        let series = [MonthlySales {
            month: Month::from_index(0),
            sales: f64::NAN,
        }];
        assert!(render_monthly_sales_svg(&series, &ChartStyle::new(Lang::En)).is_err());
        assert!(render_monthly_sales_svg(&[], &ChartStyle::new(Lang::En)).is_err());
    }
}
