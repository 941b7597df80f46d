//! Charts of the loyalty analysis (忠诚度): churn by satisfaction level, a bar per level with its
//! 95 % interval as a whisker; the satisfaction × loyalty matrix as `001` draws it (four
//! quadrants, the two extremes in their corners). Plain numbers and ready-made words in (from `present::loyalty`),
//! SVG out; this module holds no words of its own.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform};

use super::{chart_error, check_finite, palette, sanitize_label, ChartStyle, Svg, FONT_FAMILY};
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
        let root = Svg::with_string(&mut svg, (style.width, style.height)).into_drawing_area();
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

/// One cell of the satisfaction × loyalty matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixCell {
    /// The type's name (忠诚者 / Loyalist …).
    pub label: String,
    /// Customers of the type.
    pub customers: usize,
    /// Their share of the customers in the matrix (0..=1).
    pub share: f64,
    /// A second line (their sales, written by the caller).
    pub detail: String,
}

/// The matrix's six cells and its axis words.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixWords {
    /// The horizontal axis (satisfaction, low → high).
    pub satisfaction: String,
    /// The vertical axis (loyalty, low → high).
    pub loyalty: String,
    /// "low" and "high" at the axes' ends.
    pub low: String,
    /// See `low`.
    pub high: String,
}

/// The matrix as drawn in `001`: satisfaction across (low left, high right), loyalty up (not
/// loyal below, loyal above); hostages top left, loyalists top right, defectors bottom left,
/// mercenaries bottom right, the apostles in a box in the top-right corner and the terrorists
/// in the bottom-left one. Each box gives the type, its customers with their share, and the
/// caller's detail; its shade grows with the share. `cells` are in the order apostle,
/// loyalist, hostage, mercenary, defector, terrorist.
///
/// # Errors
/// [`Error::NoData`] without six cells; [`Error::Chart`] for a share that is not finite.
pub fn render_matrix_svg(
    cells: &[MatrixCell],
    words: &MatrixWords,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "loyalty-matrix";
    let [apostle, loyalist, hostage, mercenary, defector, terrorist] = cells else {
        return Err(Error::NoData);
    };
    check_finite(NAME, cells.iter().map(|c| c.share))?;
    let (w, h) = (style.width as i32, style.height as i32);
    let (left, right, top, bottom) = (64, w - 16, 16, h - 48);
    let (mid_x, mid_y) = ((left + right) / 2, (top + bottom) / 2);
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (style.width, style.height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let ink = palette::INK;
        let font = |size: i32| (FONT_FAMILY, size).into_font().color(&ink);
        let shade = |share: f64| palette::PRIMARY.mix(0.08 + 0.5 * share.clamp(0.0, 1.0));
        // `text_x`: where the words are centred across (the middle of the box, or of the part
        // of a quadrant its corner box leaves free).
        let draw_box = |(x0, y0, x1, y1): (i32, i32, i32, i32),
                        cell: &MatrixCell,
                        corner: bool,
                        text_x: Option<i32>|
         -> Result<()> {
            root.draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                shade(cell.share).filled(),
            ))
            .map_err(chart_error(NAME))?;
            let border = if corner {
                ink.stroke_width(2)
            } else {
                ink.mix(0.4).stroke_width(1)
            };
            root.draw(&Rectangle::new([(x0, y0), (x1, y1)], border))
                .map_err(chart_error(NAME))?;
            let (cx, cy) = (text_x.unwrap_or((x0 + x1) / 2), (y0 + y1) / 2);
            let centre = |y: i32, text: String, size: i32, bold: bool| {
                let f = if bold {
                    (FONT_FAMILY, size, FontStyle::Bold).into_font().color(&ink)
                } else {
                    font(size)
                };
                root.draw(&Text::new(
                    text,
                    (cx, y),
                    f.pos(Pos::new(HPos::Center, VPos::Center)),
                ))
                .map_err(chart_error(NAME))
            };
            centre(cy - 16, sanitize_label(&cell.label, 16), 14, true)?;
            centre(
                cy + 2,
                format!("{} · {}", cell.customers, format_percent(cell.share, 1)),
                13,
                false,
            )?;
            centre(cy + 19, sanitize_label(&cell.detail, 24), 11, false)?;
            Ok(())
        };
        // The extremes sit in the outer corners of their quadrants; the quadrant's own words
        // are centred in the part the corner box leaves free.
        let (bw, bh) = (((right - left) / 4).max(90), ((bottom - top) / 4).max(64));
        draw_box((left, top, mid_x, mid_y), hostage, false, None)?;
        draw_box(
            (mid_x, top, right, mid_y),
            loyalist,
            false,
            Some((mid_x + right - bw) / 2),
        )?;
        draw_box(
            (left, mid_y, mid_x, bottom),
            defector,
            false,
            Some((left + bw + mid_x) / 2),
        )?;
        draw_box((mid_x, mid_y, right, bottom), mercenary, false, None)?;
        draw_box((right - bw, top, right, top + bh), apostle, true, None)?;
        draw_box(
            (left, bottom - bh, left + bw, bottom),
            terrorist,
            true,
            None,
        )?;
        // Axes: satisfaction across, loyalty up.
        let axis = ink.stroke_width(2);
        root.draw(&PathElement::new(
            vec![(left, bottom), (right, bottom)],
            axis,
        ))
        .map_err(chart_error(NAME))?;
        root.draw(&PathElement::new(vec![(left, bottom), (left, top)], axis))
            .map_err(chart_error(NAME))?;
        let end = |text: &str, at: (i32, i32), pos: Pos| {
            root.draw(&Text::new(sanitize_label(text, 12), at, font(11).pos(pos)))
                .map_err(chart_error(NAME))
        };
        end(
            &words.low,
            (left, bottom + 6),
            Pos::new(HPos::Left, VPos::Top),
        )?;
        end(
            &words.high,
            (right, bottom + 6),
            Pos::new(HPos::Right, VPos::Top),
        )?;
        root.draw(&Text::new(
            sanitize_label(&words.satisfaction, 40),
            (mid_x, bottom + 26),
            font(12).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(chart_error(NAME))?;
        let turned = |size: i32| font(size).transform(FontTransform::Rotate270);
        root.draw(&Text::new(
            sanitize_label(&words.loyalty, 40),
            (18, mid_y),
            turned(12).pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(chart_error(NAME))?;
        root.draw(&Text::new(
            sanitize_label(&words.high, 12),
            (40, top),
            turned(11).pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(chart_error(NAME))?;
        root.draw(&Text::new(
            sanitize_label(&words.low, 12),
            (40, bottom),
            turned(11).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
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
    fn the_matrix_draws_six_boxes_with_their_words() {
        let names = [
            "热心追随者",
            "忠诚者",
            "不自主者",
            "唯利是图者",
            "背叛者",
            "恐惧分子<x>",
        ];
        let cells: Vec<MatrixCell> = names
            .iter()
            .enumerate()
            .map(|(i, n)| MatrixCell {
                label: n.to_string(),
                customers: i * 10,
                share: i as f64 / 15.0,
                detail: format!("¥{i}00"),
            })
            .collect();
        let words = MatrixWords {
            satisfaction: "满意度".into(),
            loyalty: "忠诚度".into(),
            low: "低".into(),
            high: "高".into(),
        };
        let svg = render_matrix_svg(&cells, &words, &ChartStyle::new(Lang::Zh)).unwrap();
        for text in [
            "热心追随者",
            "忠诚者",
            "不自主者",
            "唯利是图者",
            "背叛者",
            "满意度",
            "忠诚度",
            "¥300",
        ] {
            assert!(svg.contains(text), "{text}");
        }
        assert!(svg.contains("恐惧分子&lt;x&gt;"));
        assert!(!svg.contains("<x>"));
        assert_eq!(svg.matches("<rect").count(), 1 + 2 * 6);
        assert!(matches!(
            render_matrix_svg(&cells[..5], &words, &ChartStyle::new(Lang::En)),
            Err(Error::NoData)
        ));
        let mut bad = cells.clone();
        bad[2].share = f64::NAN;
        assert!(render_matrix_svg(&bad, &words, &ChartStyle::new(Lang::En)).is_err());
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
