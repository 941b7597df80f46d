//! Charts of the loyalty analysis (忠诚度): churn by satisfaction level, a bar per level with its
//! 95 % interval as a whisker. Plain numbers and ready-made words in (from `present::loyalty`),
//! SVG out; this module holds no words of its own.

use plotters::prelude::*;

use super::{chart_error, check_finite, palette, sanitize_label, ChartStyle, FONT_FAMILY};
use crate::engine::error::{Error, Result};
use crate::i18n::format_percent;

/// One satisfaction level of the churn chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChurnBar {
    /// The level as the user knows it (非常满意, or the number).
    pub label: String,
    /// Churn rate, 0..=1.
    pub rate: f64,
    /// Low end of the 95 % interval.
    pub low: f64,
    /// High end.
    pub high: f64,
}

/// The words of the churn chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChurnWords {
    /// The title.
    pub title: String,
    /// The y axis (churn rate).
    pub rate: String,
    /// The x axis (satisfaction).
    pub level: String,
}

/// Bars of the churn rate per satisfaction level, lowest level on the left, each with a
/// whisker from the low to the high end of its interval; the y axis runs from 0 to 100 %.
///
/// # Errors
/// [`Error::NoData`] without a bar; [`Error::Chart`] for a value that is not finite or a
/// drawing failure.
pub fn render_churn_svg(
    bars: &[ChurnBar],
    words: &ChurnWords,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "churn-by-satisfaction";
    if bars.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, bars.iter().flat_map(|b| [b.rate, b.low, b.high]))?;
    let n = bars.len();
    let labels: Vec<String> = bars.iter().map(|b| sanitize_label(&b.label, 14)).collect();
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (style.width, style.height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                sanitize_label(&words.title, 60),
                (FONT_FAMILY, 16).into_font().color(&palette::INK),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(0.5..(n as f64 + 0.5), 0.0..1.0)
            .map_err(chart_error(NAME))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(palette::GRID.mix(0.5))
            .bold_line_style(palette::GRID)
            .axis_style(palette::INK.mix(0.7))
            .x_labels(n)
            .y_labels(6)
            .x_desc(sanitize_label(&words.level, 40))
            .y_desc(sanitize_label(&words.rate, 40))
            .y_label_formatter(&|v: &f64| format_percent(*v, 0))
            .x_label_formatter(&|v: &f64| {
                let i = v.round() as usize;
                if (v - v.round()).abs() > 1e-6 || i == 0 || i > n {
                    String::new()
                } else {
                    labels[i - 1].clone()
                }
            })
            .label_style((FONT_FAMILY, 12).into_font().color(&palette::INK))
            .draw()
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                let x = (i + 1) as f64;
                Rectangle::new(
                    [(x - 0.3, 0.0), (x + 0.3, b.rate.clamp(0.0, 1.0))],
                    palette::PRIMARY.filled(),
                )
            }))
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(bars.iter().enumerate().flat_map(|(i, b)| {
                let x = (i + 1) as f64;
                let (low, high) = (b.low.clamp(0.0, 1.0), b.high.clamp(0.0, 1.0));
                let ink = palette::SECONDARY.stroke_width(2);
                [
                    PathElement::new(vec![(x, low), (x, high)], ink),
                    PathElement::new(vec![(x - 0.08, low), (x + 0.08, low)], ink),
                    PathElement::new(vec![(x - 0.08, high), (x + 0.08, high)], ink),
                ]
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

    fn words() -> ChurnWords {
        ChurnWords {
            title: "t".into(),
            rate: "r".into(),
            level: "l".into(),
        }
    }

    #[test]
    fn bars_with_whiskers_are_drawn_and_bad_values_refused() {
        let bars = vec![
            ChurnBar {
                label: "一般\u{1}".into(),
                rate: 0.42,
                low: 0.3,
                high: 0.5,
            },
            ChurnBar {
                label: "非常满意".into(),
                rate: 0.2,
                low: 0.1,
                high: 0.3,
            },
        ];
        let svg = render_churn_svg(&bars, &words(), &ChartStyle::new(Lang::Zh)).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("非常满意"));
        assert!(!svg.contains('\u{1}'));
        let mut bad = bars.clone();
        bad[0].rate = f64::NAN;
        assert!(render_churn_svg(&bad, &words(), &ChartStyle::new(Lang::En)).is_err());
        assert_eq!(
            render_churn_svg(&[], &words(), &ChartStyle::new(Lang::En)),
            Err(Error::NoData)
        );
    }
}
