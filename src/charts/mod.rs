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

use plotters::prelude::SVGBackend;
use plotters::style::RGBColor;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use crate::engine::error::{ChartProblem, Error};
use crate::i18n::Lang;

/// Fonts with CJK glyphs first, so Chinese labels render wherever the SVG is shown.
pub const FONT_FAMILY: &str =
    "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif";

/// True for characters drawn one em wide: CJK, Hangul, full-width forms, the ellipsis.
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}' | '\u{2026}' | '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}' | '\u{20000}'..='\u{3FFFD}')
}

/// A generous estimate of the width of `text` at `size` px: wide characters one em, others
/// 0.6 em (the sans-serif fonts of [`FONT_FAMILY`] average about 0.55 em for Latin text).
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if is_wide(c) { 1.0 } else { 0.6 })
        .sum::<f64>()
        * size
}

/// The height of a line of text at `size` px, as the charts lay it out.
pub fn text_height(size: f64) -> f64 {
    1.2 * size
}

/// plotters' SVG backend with a text measure of its own ([`text_width`], [`text_height`]). In a browser plotters measures text by adding a `span` to the page and reading its
/// size, which makes the browser lay out the whole page for every title and axis label measured,
/// in the middle of building a view (on the decile view of 100k customers, the forced layouts
/// were about a third of the click's task); natively it guesses from the byte length. This
/// estimate is the same everywhere, so a chart's SVG no longer depends on where it was drawn,
/// and drawing one never touches the page. Every other call goes to the SVG backend.
pub struct Svg<'a>(SVGBackend<'a>);

impl<'a> Svg<'a> {
    /// An SVG of `size` px written into `buffer` (when the backend is dropped).
    pub fn with_string(buffer: &'a mut String, size: (u32, u32)) -> Self {
        Svg(SVGBackend::with_string(buffer, size))
    }
}

type SvgError<'a> = DrawingErrorKind<<SVGBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for Svg<'a> {
    type ErrorType = <SVGBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), SvgError<'a>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), SvgError<'a>> {
        self.0.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), SvgError<'a>> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), SvgError<'a>> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), SvgError<'a>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), SvgError<'a>> {
        self.0.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), SvgError<'a>> {
        self.0.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), SvgError<'a>> {
        self.0.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), SvgError<'a>> {
        self.0.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), SvgError<'a>> {
        let size = style.size();
        Ok((
            text_width(text, size).ceil() as u32,
            text_height(size).ceil() as u32,
        ))
    }
}

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

/// Where a legend sits in a chart's plotting area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Corner {
    UpperLeft,
    UpperRight,
    MiddleRight,
    LowerRight,
}

/// How a legend entry shows its series: a filled box (bars) or a line.
pub(crate) enum Swatch {
    Bar(plotters::style::ShapeStyle),
    Line(plotters::style::ShapeStyle),
}

/// A legend at `corner` of `area` (a chart's plotting area, in pixels): a swatch and a label
/// per series, in a white box with a grid-coloured border, laid out as plotters' series labels
/// (12 px labels 1.25 lines apart, a 30 px swatch column, 10 px margins, 5 px from the edges).
/// Drawn here because plotters' series labels measure their text through the page in a
/// browser, past the backend's own measure ([`Svg`]).
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(&str, Swatch)],
    corner: Corner,
) -> Result<(), plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>> {
    use plotters::prelude::*;
    const SIZE: f64 = 12.0;
    const SWATCHES: i32 = 30;
    const MARGIN: i32 = 10;
    if entries.is_empty() {
        return Ok(());
    }
    let line_height = SIZE * 1.25;
    let text_height = text_height(SIZE).ceil() as i32;
    let top = |i: usize| (i as f64 * line_height) as i32;
    let label_width = entries
        .iter()
        // plotters' SVG writes text at size / 1.24.
        .map(|(label, _)| text_width(label, SIZE / 1.24).ceil() as i32)
        .max()
        .unwrap_or(0);
    let w = label_width + SWATCHES + 2 * MARGIN;
    let h = top(entries.len() - 1) + text_height + 2 * MARGIN;
    let (area_w, area_h) = area.dim_in_pixel();
    let (area_w, area_h) = (area_w as i32, area_h as i32);
    let x = match corner {
        Corner::UpperLeft => 5,
        Corner::UpperRight | Corner::MiddleRight | Corner::LowerRight => area_w - w - 5,
    };
    let y = match corner {
        Corner::UpperLeft | Corner::UpperRight => 5,
        Corner::MiddleRight => (area_h - h) / 2,
        Corner::LowerRight => area_h - h - 5,
    };
    area.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        WHITE.mix(0.9).filled(),
    ))?;
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], palette::GRID))?;
    let font = (FONT_FAMILY, SIZE).into_font().color(&palette::INK);
    for (i, (label, swatch)) in entries.iter().enumerate() {
        let line = y + MARGIN + top(i);
        area.draw(&Text::new(
            *label,
            (x + MARGIN + SWATCHES, line),
            font.clone(),
        ))?;
        let (sx, sy) = (x + MARGIN, line + text_height / 2);
        match swatch {
            Swatch::Bar(style) => {
                area.draw(&Rectangle::new([(sx, sy - 5), (sx + 12, sy + 5)], *style))?
            }
            Swatch::Line(style) => {
                area.draw(&PathElement::new(vec![(sx, sy), (sx + 14, sy)], *style))?
            }
        }
    }
    Ok(())
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

    /// Draws the same shapes and text with `area`'s backend (no text measured).
    fn shapes<DB: DrawingBackend>(
        area: &plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    ) {
        use plotters::prelude::*;
        area.fill(&WHITE).unwrap();
        area.draw(&PathElement::new(
            vec![(1, 2), (30, 40), (50, 9)],
            plotters::style::Color::stroke_width(&palette::PRIMARY, 2),
        ))
        .unwrap();
        area.draw(&Rectangle::new(
            [(3, 4), (20, 25)],
            palette::SECONDARY.filled(),
        ))
        .unwrap();
        area.draw(&Rectangle::new(
            [(5, 6), (22, 27)],
            plotters::style::Color::stroke_width(&palette::INK, 1),
        ))
        .unwrap();
        area.draw(&Circle::new((40, 40), 7, palette::NEGATIVE.filled()))
            .unwrap();
        area.draw(&Polygon::new(
            vec![(60, 60), (70, 80), (50, 75)],
            palette::PRIMARY.mix(0.5),
        ))
        .unwrap();
        area.draw_pixel((90, 90), &palette::INK).unwrap();
        area.draw(&Text::new(
            "客户 <&> R",
            (10, 70),
            (FONT_FAMILY, 14).into_font(),
        ))
        .unwrap();
    }

    #[test]
    fn the_svg_backend_draws_what_plotters_svg_draws() {
        let (mut ours, mut theirs) = (String::new(), String::new());
        {
            use plotters::prelude::IntoDrawingArea;
            shapes(&Svg::with_string(&mut ours, (120, 100)).into_drawing_area());
            shapes(&SVGBackend::with_string(&mut theirs, (120, 100)).into_drawing_area());
        }
        assert!(ours.contains("<circle") && ours.contains("<polygon") && ours.contains("客户"));
        assert_eq!(ours, theirs);
    }

    #[test]
    fn text_is_measured_without_the_page() {
        use plotters::prelude::*;
        let mut svg = String::new();
        let backend = Svg::with_string(&mut svg, (200, 100));
        let style = TextStyle::from((FONT_FAMILY, 20).into_font());
        // Wide characters one em, others 0.6 em; 1.2 em high.
        assert_eq!(
            backend.estimate_text_size("客户", &style).unwrap(),
            (40, 24)
        );
        assert_eq!(
            backend.estimate_text_size("R 12", &style).unwrap(),
            (48, 24)
        );
        assert_eq!(backend.estimate_text_size("", &style).unwrap(), (0, 24));
        // A caption takes that height (and its margin) off the top of the area.
        let root = backend.into_drawing_area();
        let plot = root.titled("标题", (FONT_FAMILY, 20)).unwrap();
        assert_eq!(root.dim_in_pixel().1 - plot.dim_in_pixel().1, 24 + 10);
    }

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
