//! Charts (图表): pure functions from analysis results to SVG strings, drawn with plotters'
//! SVG backend. The same SVG goes to the screen, the printed report and the exports.
//!
//! Every label passes [`sanitize_label`] (plotters escapes `<>&"'` but writes control characters
//! raw, which makes the SVG invalid XML), and every value is checked to be finite before drawing
//! (plotters draws NaN and ∞ silently at the chart's edge).

pub mod clusters;
pub mod clv;
pub mod deciles;
pub mod dimensions;
pub mod lifecycle;
pub mod loyalty;
pub mod monthly;
pub mod profiles;
pub mod rfm;
pub mod swot;

use plotters::style::RGBColor;

use crate::engine::error::{ChartProblem, Error};
use crate::i18n::Lang;

/// Fonts with CJK glyphs first, so Chinese labels render wherever the SVG is shown.
pub const FONT_FAMILY: &str =
    "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif";

/// Size and language of a chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartStyle {
    /// Language of titles and labels.
    pub lang: Lang,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl ChartStyle {
    /// The default on-screen size.
    pub fn new(lang: Lang) -> Self {
        ChartStyle {
            lang,
            width: 760,
            height: 340,
        }
    }
}

/// The palette: dark enough to read in black-and-white print.
pub mod palette {
    use super::RGBColor;
    /// Main series.
    pub const PRIMARY: RGBColor = RGBColor(0x1d, 0x5c, 0x7a);
    /// Second series.
    pub const SECONDARY: RGBColor = RGBColor(0xc4, 0x6a, 0x2f);
    /// Negative values.
    pub const NEGATIVE: RGBColor = RGBColor(0xb0, 0x3a, 0x2e);
    /// Axes and text.
    pub const INK: RGBColor = RGBColor(0x22, 0x2b, 0x33);
    /// Grid lines.
    pub const GRID: RGBColor = RGBColor(0xdd, 0xe3, 0xe8);
}

/// Makes a label safe for SVG: control characters become spaces, and it is cut to `max_chars`.
pub fn sanitize_label(label: &str, max_chars: usize) -> String {
    let cleaned: String = label
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.trim();
    match cleaned.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &cleaned[..i]),
        None => cleaned.to_string(),
    }
}

/// Refuses non-finite values before drawing.
pub fn check_finite(chart: &str, values: impl IntoIterator<Item = f64>) -> Result<(), Error> {
    match values.into_iter().find(|v| !v.is_finite()) {
        Some(bad) => Err(Error::Chart {
            chart: chart.to_string(),
            reason: ChartProblem::NotFinite { value: bad },
        }),
        None => Ok(()),
    }
}

/// Turns any plotters error into an engine error.
pub(crate) fn chart_error<E: std::fmt::Display>(chart: &str) -> impl Fn(E) -> Error + '_ {
    move |error| Error::Chart {
        chart: chart.to_string(),
        reason: ChartProblem::Drawing {
            detail: error.to_string(),
        },
    }
}

/// The mesh of a horizontal bar chart of shares (rows from the top in `labels` order, at
/// y = n … 1): percentages on x with `x_labels` ticks, one label per row, no horizontal grid.
pub(crate) fn draw_share_rows_mesh<DB: plotters::prelude::DrawingBackend>(
    chart: &mut plotters::prelude::ChartContext<
        '_,
        DB,
        plotters::prelude::Cartesian2d<
            plotters::coord::types::RangedCoordf64,
            plotters::coord::types::RangedCoordf64,
        >,
    >,
    labels: &[String],
    x_labels: usize,
    font_size: u32,
    name: &str,
) -> Result<(), Error> {
    use plotters::prelude::*;
    let n = labels.len();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(palette::GRID.mix(0.5))
        .bold_line_style(palette::GRID)
        .axis_style(palette::INK.mix(0.7))
        .x_labels(x_labels)
        .y_labels(n)
        .x_label_formatter(&|v: &f64| crate::i18n::format_percent(*v, 0))
        .y_label_formatter(&|v: &f64| {
            let i = v.round() as usize;
            if (v - v.round()).abs() > 1e-6 || i == 0 || i > n {
                String::new()
            } else {
                labels.get(n - i).cloned().unwrap_or_default()
            }
        })
        .label_style((FONT_FAMILY, font_size).into_font().color(&palette::INK))
        .draw()
        .map_err(chart_error(name))
}

/// A readable axis value: `12.3k`, `4.5M` (en) or `1.2万`, `3.4亿` (zh).
pub fn compact_number(value: f64, lang: Lang) -> String {
    let magnitude = value.abs();
    let (scaled, suffix) = crate::i18n::compact_units(lang)
        .iter()
        .find(|(unit, _)| magnitude >= *unit)
        .map_or((value, ""), |&(unit, suffix)| (value / unit, suffix));
    if suffix.is_empty() {
        if value.fract() == 0.0 {
            format!("{value:.0}")
        } else {
            format!("{value:.1}")
        }
    } else {
        let text = format!("{scaled:.1}");
        format!("{}{suffix}", text.trim_end_matches(".0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_lose_control_characters() {
        assert_eq!(sanitize_label("a\u{1}b\u{b}c\n", 10), "a b c");
        assert_eq!(sanitize_label("客户名称很长很长", 4), "客户名称…");
    }

    #[test]
    fn non_finite_values_are_refused() {
        assert!(check_finite("x", [1.0, 2.0]).is_ok());
        assert!(check_finite("x", [1.0, f64::NAN]).is_err());
        assert!(check_finite("x", [f64::INFINITY]).is_err());
    }

    #[test]
    fn compact_numbers() {
        assert_eq!(compact_number(12_300.0, Lang::En), "12.3k");
        assert_eq!(compact_number(12_300.0, Lang::Zh), "1.2万");
        assert_eq!(compact_number(250_000_000.0, Lang::Zh), "2.5亿");
        assert_eq!(compact_number(2_000_000.0, Lang::En), "2M");
        assert_eq!(compact_number(-500.0, Lang::En), "-500");
    }
}
