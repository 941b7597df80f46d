//! Charts of the RFM analysis (RFM 分析): the R×F heatmap with mean M per cell, segment bars, a
//! segment treemap, and histograms of R, F and M. Plain numbers in, SVG out.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    chart_error, check_finite, compact_number, draw_legend, draw_share_rows_mesh, palette,
    sanitize_label, text_width, ChartStyle, Corner, Svg, Swatch, FONT_FAMILY,
};
use crate::engine::error::{Error, Result};
use crate::i18n::{format_percent, Text as Words};

/// One cell of the R×F grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridCell {
    /// R score (1..=bins).
    pub r: u8,
    /// F score (1..=bins).
    pub f: u8,
    /// Customers in the cell.
    pub customers: usize,
    /// Mean monetary value of the cell's customers (`None` when empty).
    pub mean_m: Option<f64>,
}

/// Blends white into the primary colour: `t` = 0 → almost white, 1 → full colour.
fn shade(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |c: u8| (255.0 - (255.0 - c as f64) * (0.08 + 0.92 * t)).round() as u8;
    RGBColor(
        mix(palette::PRIMARY.0),
        mix(palette::PRIMARY.1),
        mix(palette::PRIMARY.2),
    )
}

/// The fill of an empty heatmap cell.
const EMPTY_CELL: RGBColor = RGBColor(0xf4, 0xf6, 0xf8);
/// Dark text on light cells. Black rather than the ink colour: between light and dark cells
/// there are shades on which neither the ink (#222b33) nor white reaches 4.5:1, but black or
/// white always does.
const DARK_TEXT: RGBColor = RGBColor(0, 0, 0);

fn luminance(c: RGBColor) -> f64 {
    crate::a11y::relative_luminance([c.0, c.1, c.2])
}

/// A heatmap cell's fill and the colour of its text: `t` is the cell's mean M on the scale of
/// the grid (0 = smallest, 1 = largest), `None` for an empty cell. The text is black or white,
/// whichever stands out more from the fill (at least 4.58:1 on any fill).
pub fn heatmap_colors(t: Option<f64>) -> (RGBColor, RGBColor) {
    let fill = t.map_or(EMPTY_CELL, shade);
    // Black and white contrast equally with a luminance of √(1.05 × 0.05) − 0.05.
    let ink = if luminance(fill) > (1.05_f64 * 0.05).sqrt() - 0.05 {
        DARK_TEXT
    } else {
        WHITE
    };
    (fill, ink)
}

/// The R×F heatmap: colour = mean M of the cell, text = mean M and customer count.
pub fn render_rf_heatmap_svg(cells: &[GridCell], bins: u8, style: &ChartStyle) -> Result<String> {
    const NAME: &str = "rf-heatmap";
    if cells.is_empty() || bins == 0 {
        return Err(Error::NoData);
    }
    check_finite(NAME, cells.iter().filter_map(|c| c.mean_m))?;
    let lang = style.lang;
    let max_m = cells
        .iter()
        .filter_map(|c| c.mean_m)
        .fold(0.0_f64, f64::max);
    let min_m = cells.iter().filter_map(|c| c.mean_m).fold(max_m, f64::min);
    let n = bins as f64;
    let side = style.height.max(360);
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (side + 80, side)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                Words::ChartHeatmapTitle.get(lang),
                (FONT_FAMILY, 16).into_font().color(&palette::INK),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(0.5..(n + 0.5), 0.5..(n + 0.5))
            .map_err(chart_error(NAME))?;
        let score_label = |v: &f64| {
            if (v - v.round()).abs() < 1e-6 {
                format!("{}", v.round() as i64)
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .axis_style(palette::INK.mix(0.7))
            .x_labels(bins as usize)
            .y_labels(bins as usize)
            .x_label_formatter(&score_label)
            .y_label_formatter(&score_label)
            .label_style((FONT_FAMILY, 12).into_font().color(&palette::INK))
            .x_desc(Words::ChartFScoreAxis.get(lang))
            .y_desc(Words::ChartRScoreAxis.get(lang))
            .draw()
            .map_err(chart_error(NAME))?;
        // A cell's place on the colour scale: its mean M between the grid's smallest and largest.
        let scale = |c: &GridCell| {
            c.mean_m.map(|m| {
                if max_m > min_m {
                    (m - min_m) / (max_m - min_m)
                } else {
                    0.6
                }
            })
        };
        chart
            .draw_series(cells.iter().map(|c| {
                let (fill, _) = heatmap_colors(scale(c));
                let (x, y) = (c.f as f64, c.r as f64);
                Rectangle::new([(x - 0.48, y - 0.48), (x + 0.48, y + 0.48)], fill.filled())
            }))
            .map_err(chart_error(NAME))?;
        let font_size = if bins > 6 { 9 } else { 12 };
        chart
            .draw_series(cells.iter().filter(|c| c.customers > 0).map(|c| {
                let (_, ink) = heatmap_colors(scale(c));
                let label = format!(
                    "{} / {}",
                    compact_number(c.mean_m.unwrap_or(0.0), lang),
                    c.customers
                );
                Text::new(
                    label,
                    (c.f as f64, c.r as f64),
                    (FONT_FAMILY, font_size)
                        .into_font()
                        .color(&ink)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )
            }))
            .map_err(chart_error(NAME))?;
        root.present().map_err(chart_error(NAME))?;
    }
    Ok(svg)
}

/// One segment's bar or tile.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentBar {
    /// Segment name in the UI language.
    pub label: String,
    /// Customers.
    pub customers: usize,
    /// Share of customers.
    pub customer_share: f64,
    /// Share of revenue.
    pub revenue_share: f64,
}

/// The colours of the segment bars: share of customers, share of revenue. Solid, so each
/// stands out from the white plot (3:1 or more, WCAG 1.4.11).
pub const SEGMENT_BAR_COLORS: [RGBColor; 2] = [palette::SECONDARY, palette::PRIMARY];

/// Horizontal bars: share of customers and share of revenue per segment.
pub fn render_segment_bars_svg(segments: &[SegmentBar], style: &ChartStyle) -> Result<String> {
    const NAME: &str = "segment-bars";
    if segments.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(
        NAME,
        segments
            .iter()
            .flat_map(|s| [s.customer_share, s.revenue_share]),
    )?;
    let lang = style.lang;
    let n = segments.len();
    let high = segments
        .iter()
        .flat_map(|s| [s.customer_share, s.revenue_share])
        .fold(0.05_f64, f64::max)
        * 1.25;
    let low = segments
        .iter()
        .map(|s| s.revenue_share)
        .fold(0.0_f64, f64::min);
    let height = (70 + 34 * n as u32).max(240);
    let labels: Vec<String> = segments
        .iter()
        .map(|s| sanitize_label(&s.label, 20))
        .collect();
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (style.width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                Words::ChartSegmentSharesTitle.get(lang),
                (FONT_FAMILY, 16).into_font().color(&palette::INK),
            )
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(150)
            .build_cartesian_2d(low.min(0.0)..high, 0.5..(n as f64 + 0.5))
            .map_err(chart_error(NAME))?;
        draw_share_rows_mesh(&mut chart, &labels, 6, 12, NAME)?;
        chart
            .draw_series(segments.iter().enumerate().map(|(i, s)| {
                let y = (n - i) as f64;
                Rectangle::new(
                    [(0.0, y + 0.02), (s.customer_share, y + 0.34)],
                    SEGMENT_BAR_COLORS[0].filled(),
                )
            }))
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(segments.iter().enumerate().map(|(i, s)| {
                let y = (n - i) as f64;
                Rectangle::new(
                    [(0.0, y - 0.34), (s.revenue_share, y - 0.02)],
                    SEGMENT_BAR_COLORS[1].filled(),
                )
            }))
            .map_err(chart_error(NAME))?;
        let legend = [
            (
                Words::ChartShareOfCustomers.get(lang),
                Swatch::Bar(SEGMENT_BAR_COLORS[0].filled()),
            ),
            (
                Words::ChartShareOfRevenue.get(lang),
                Swatch::Bar(SEGMENT_BAR_COLORS[1].filled()),
            ),
        ];
        let plot = chart.plotting_area().strip_coord_spec();
        draw_legend(&plot, &legend, Corner::LowerRight).map_err(chart_error(NAME))?;
        root.present().map_err(chart_error(NAME))?;
    }
    Ok(svg)
}

/// A rectangle of a treemap, in 0..1 coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tile {
    /// Index of the item.
    pub index: usize,
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// Squarified treemap layout (Bruls, Huizing and van Wijk) of positive `values` in a
/// `width × height` rectangle; values ≤ 0 or non-finite get no tile. Tiles keep the input order
/// within each row; the areas are proportional to the values.
pub fn squarify(values: &[f64], width: f64, height: f64) -> Vec<Tile> {
    let mut items: Vec<(usize, f64)> = values
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, v)| v.is_finite() && *v > 0.0)
        .collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let total: f64 = items.iter().map(|i| i.1).sum();
    if total <= 0.0 || width <= 0.0 || height <= 0.0 {
        return Vec::new();
    }
    let scale = width * height / total;
    let areas: Vec<(usize, f64)> = items.into_iter().map(|(i, v)| (i, v * scale)).collect();
    let mut tiles = Vec::with_capacity(areas.len());
    let (mut x, mut y, mut w, mut h) = (0.0, 0.0, width, height);
    let mut start = 0;
    let worst = |row: &[(usize, f64)], side: f64| -> f64 {
        let sum: f64 = row.iter().map(|r| r.1).sum();
        let max = row.iter().map(|r| r.1).fold(0.0, f64::max);
        let min = row.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
        (side * side * max / (sum * sum)).max(sum * sum / (side * side * min))
    };
    while start < areas.len() {
        let side = w.min(h);
        let mut end = start + 1;
        while end < areas.len()
            && worst(&areas[start..=end], side) <= worst(&areas[start..end], side)
        {
            end += 1;
        }
        let row = &areas[start..end];
        let sum: f64 = row.iter().map(|r| r.1).sum();
        if w >= h {
            let row_w = sum / h;
            let mut cy = y;
            for &(index, area) in row {
                let th = area / row_w;
                tiles.push(Tile {
                    index,
                    x,
                    y: cy,
                    w: row_w,
                    h: th,
                });
                cy += th;
            }
            x += row_w;
            w -= row_w;
        } else {
            let row_h = sum / w;
            let mut cx = x;
            for &(index, area) in row {
                let tw = area / row_h;
                tiles.push(Tile {
                    index,
                    x: cx,
                    y,
                    w: tw,
                    h: row_h,
                });
                cx += tw;
            }
            y += row_h;
            h -= row_h;
        }
        start = end;
    }
    tiles
}

/// The colours of the treemap's tiles, in turn: white text reads on each at 4.5:1 or more
/// (WCAG AA for normal text).
pub const TREEMAP_COLORS: [RGBColor; 8] = [
    RGBColor(0x1d, 0x5c, 0x7a),
    RGBColor(0x2f, 0x7d, 0x4f),
    RGBColor(0xb0, 0x5a, 0x22),
    RGBColor(0x6b, 0x4c, 0x9a),
    RGBColor(0x8a, 0x6d, 0x1f),
    RGBColor(0xb0, 0x3a, 0x2e),
    RGBColor(0x3f, 0x6e, 0x8c),
    RGBColor(0x55, 0x63, 0x6f),
];

/// Font size (px) of a segment's name on its tile.
pub const TREEMAP_NAME_FONT: u32 = 16;
/// Font size (px) of a segment's figures on its tile.
pub const TREEMAP_DETAIL_FONT: u32 = 14;
/// Space between a tile's edge and its labels (px).
const TILE_PADDING: f64 = 6.0;

/// The size to ask plotters for so that the SVG says `px`: its SVG backend writes
/// `font-size = size / 1.24`.
fn svg_font(px: u32) -> f64 {
    f64::from(px) * 1.24
}

/// `label` as it fits in `width` px at `size`: whole, or its first characters and "…"; `None`
/// when not even two characters and the ellipsis fit (the tile then shows no label; the chart's
/// data table has every figure).
pub fn fit_label(label: &str, width: f64, size: f64) -> Option<String> {
    if text_width(label, size) <= width {
        return Some(label.to_string());
    }
    let room = width - text_width("…", size);
    let mut used = 0.0;
    let kept: String = label
        .chars()
        .take_while(|&c| {
            used += text_width(c.encode_utf8(&mut [0; 4]), size);
            used <= room
        })
        .collect();
    (kept.chars().count() >= 2).then(|| format!("{}…", kept.trim_end()))
}

/// The labels a tile of `w × h` px can hold: the name (cut to fit, with its font size) when a
/// line of it fits, and the figures line under it when that fits whole too.
fn tile_labels(name: &str, figures: &str, w: f64, h: f64) -> (Option<String>, Option<String>) {
    let (name_font, detail_font) = (TREEMAP_NAME_FONT as f64, TREEMAP_DETAIL_FONT as f64);
    let inner = w - 2.0 * TILE_PADDING;
    if h < 2.0 * TILE_PADDING + name_font {
        return (None, None);
    }
    let Some(name) = fit_label(name, inner, name_font) else {
        return (None, None);
    };
    let figures = (h >= 2.0 * TILE_PADDING + name_font * 1.25 + detail_font
        && text_width(figures, detail_font) <= inner)
        .then(|| figures.to_string());
    (Some(name), figures)
}

/// A treemap of segments sized by customers; each tile is labelled with the segment's name and
/// its customers and share, in [`TREEMAP_NAME_FONT`] and [`TREEMAP_DETAIL_FONT`] px, as far as
/// the tile holds them: a name that does not fit is cut, and a tile too small for two
/// characters of it has no label (the data table has every figure). Draw it at about the size
/// it is shown, so the labels read at their font size.
pub fn render_segment_treemap_svg(segments: &[SegmentBar], style: &ChartStyle) -> Result<String> {
    const NAME: &str = "segment-treemap";
    if segments.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, segments.iter().map(|s| s.customer_share))?;
    let lang = style.lang;
    let (width, height) = (style.width as f64, style.height.max(300) as f64);
    let top = 34.0;
    let tiles = squarify(
        &segments
            .iter()
            .map(|s| s.customers as f64)
            .collect::<Vec<_>>(),
        width - 4.0,
        height - top - 4.0,
    );
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        root.draw(&Text::new(
            Words::ChartTreemapTitle.get(lang).to_string(),
            ((width / 2.0) as i32, 18),
            (FONT_FAMILY, 16)
                .into_font()
                .color(&palette::INK)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(chart_error(NAME))?;
        for tile in &tiles {
            let segment = &segments[tile.index];
            let color = TREEMAP_COLORS[tile.index % TREEMAP_COLORS.len()];
            let (x0, y0) = ((2.0 + tile.x) as i32, (top + 2.0 + tile.y) as i32);
            let (x1, y1) = (
                (2.0 + tile.x + tile.w) as i32,
                (top + 2.0 + tile.y + tile.h) as i32,
            );
            root.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))
                .map_err(chart_error(NAME))?;
            root.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.stroke_width(2)))
                .map_err(chart_error(NAME))?;
            let figures = format!(
                "{} · {}",
                segment.customers,
                format_percent(segment.customer_share, 1)
            );
            let (name, figures) = tile_labels(
                &sanitize_label(&segment.label, 60),
                &figures,
                f64::from(x1 - x0),
                f64::from(y1 - y0),
            );
            let pad = TILE_PADDING as i32;
            if let Some(name) = name {
                root.draw(&Text::new(
                    name,
                    (x0 + pad, y0 + pad),
                    (FONT_FAMILY, svg_font(TREEMAP_NAME_FONT))
                        .into_font()
                        .color(&WHITE)
                        .pos(Pos::new(HPos::Left, VPos::Top)),
                ))
                .map_err(chart_error(NAME))?;
            }
            if let Some(figures) = figures {
                root.draw(&Text::new(
                    figures,
                    (
                        x0 + pad,
                        y0 + pad + (f64::from(TREEMAP_NAME_FONT) * 1.25) as i32,
                    ),
                    (FONT_FAMILY, svg_font(TREEMAP_DETAIL_FONT))
                        .into_font()
                        .color(&WHITE)
                        .pos(Pos::new(HPos::Left, VPos::Top)),
                ))
                .map_err(chart_error(NAME))?;
            }
        }
        root.present().map_err(chart_error(NAME))?;
    }
    Ok(svg)
}

/// One bar of a histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramBar {
    /// Label of the bucket (e.g. `0–30`).
    pub label: String,
    /// Customers in the bucket.
    pub count: usize,
}

/// A histogram of customers per bucket.
pub fn render_histogram_svg(
    bars: &[HistogramBar],
    title: &str,
    x_desc: &str,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "histogram";
    if bars.is_empty() {
        return Err(Error::NoData);
    }
    let lang = style.lang;
    let n = bars.len();
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let labels: Vec<String> = bars.iter().map(|b| sanitize_label(&b.label, 14)).collect();
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (style.width / 2 + 60, 280)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                sanitize_label(title, 60),
                (FONT_FAMILY, 15).into_font().color(&palette::INK),
            )
            .margin(10)
            .x_label_area_size(44)
            .y_label_area_size(44)
            .build_cartesian_2d(0.5..(n as f64 + 0.5), 0.0..(max * 1.1))
            .map_err(chart_error(NAME))?;
        let step = n.div_ceil(8).max(1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(palette::GRID.mix(0.5))
            .bold_line_style(palette::GRID)
            .axis_style(palette::INK.mix(0.7))
            .x_labels(n)
            .y_labels(5)
            .x_label_formatter(&|v: &f64| {
                let i = v.round() as usize;
                if (v - v.round()).abs() > 1e-6 || i == 0 || i > n || !(i - 1).is_multiple_of(step)
                {
                    String::new()
                } else {
                    labels[i - 1].clone()
                }
            })
            .y_label_formatter(&|v: &f64| compact_number(*v, lang))
            .label_style((FONT_FAMILY, 11).into_font().color(&palette::INK))
            .x_desc(sanitize_label(x_desc, 60))
            .y_desc(Words::ChartCustomers.get(lang))
            .draw()
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                let x = i as f64 + 1.0;
                Rectangle::new(
                    [(x - 0.42, 0.0), (x + 0.42, b.count as f64)],
                    palette::PRIMARY.filled(),
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
    fn heatmap_has_every_cell() {
        let cells: Vec<GridCell> = (1..=5)
            .flat_map(|r| {
                (1..=5).map(move |f| GridCell {
                    r,
                    f,
                    customers: (r * f) as usize,
                    mean_m: Some((r + f) as f64 * 10.0),
                })
            })
            .collect();
        let svg = render_rf_heatmap_svg(&cells, 5, &ChartStyle::new(Lang::Zh)).unwrap();
        assert!(svg.matches("<rect").count() >= 25);
        assert!(svg.contains("R×F 热力图"));
    }

    #[test]
    fn squarified_tiles_cover_the_area() {
        let values = [6.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.0, 0.0, -1.0];
        let tiles = squarify(&values, 6.0, 4.0);
        assert_eq!(tiles.len(), 7);
        let area: f64 = tiles.iter().map(|t| t.w * t.h).sum();
        assert!((area - 24.0).abs() < 1e-9);
        for t in &tiles {
            assert!((t.w * t.h - values[t.index]).abs() < 1e-9, "{t:?}");
            assert!(
                t.x >= -1e-9 && t.y >= -1e-9 && t.x + t.w <= 6.0 + 1e-9 && t.y + t.h <= 4.0 + 1e-9
            );
        }
        assert!(squarify(&[], 1.0, 1.0).is_empty());
        assert!(squarify(&[f64::NAN], 1.0, 1.0).is_empty());
    }

    #[test]
    fn treemap_labels_fit_their_tiles_or_are_left_out() {
        assert_eq!(
            fit_label("Champions", 200.0, 16.0).as_deref(),
            Some("Champions")
        );
        let cut = fit_label("Potential Loyalist", 80.0, 16.0).unwrap();
        assert!(
            cut.ends_with('…') && text_width(&cut, 16.0) <= 80.0,
            "{cut}"
        );
        assert_eq!(
            fit_label("流失客户", 40.0, 16.0),
            None,
            "two wide characters and … need 48 px"
        );
        assert_eq!(fit_label("流失客户", 48.0, 16.0).as_deref(), Some("流失…"));
        // A roomy tile has both lines, a low one only the name, a tiny one nothing.
        assert_eq!(
            tile_labels("Lost", "52 · 8.7%", 200.0, 80.0),
            (Some("Lost".into()), Some("52 · 8.7%".into()))
        );
        assert_eq!(
            tile_labels("Lost", "52 · 8.7%", 200.0, 30.0),
            (Some("Lost".into()), None)
        );
        assert_eq!(tile_labels("Lost", "52 · 8.7%", 200.0, 20.0), (None, None));
        assert_eq!(tile_labels("Lost", "52 · 8.7%", 30.0, 80.0), (None, None));
        // Drawn: no label wider than its tile, fonts as declared.
        let segments: Vec<SegmentBar> = [500, 300, 120, 40, 12, 3, 1]
            .iter()
            .enumerate()
            .map(|(i, &n)| SegmentBar {
                label: format!("Segment {i}"),
                customers: n,
                customer_share: n as f64 / 976.0,
                revenue_share: 0.1,
            })
            .collect();
        let svg = render_segment_treemap_svg(
            &segments,
            &ChartStyle {
                lang: Lang::En,
                width: 480,
                height: 360,
            },
        )
        .unwrap();
        // Every label is 16 or 14 px in the SVG; only the title is drawn smaller.
        let sizes: Vec<f64> = svg
            .split(r#"font-size=""#)
            .skip(2)
            .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
            .collect();
        assert!(sizes.len() >= 4, "{svg}");
        for size in sizes {
            assert!(
                (size - 16.0).abs() < 1e-9 || (size - 14.0).abs() < 1e-9,
                "{size}"
            );
        }
        assert!(
            svg.contains("\nSegment 0\n"),
            "the largest tile has its whole name"
        );
        assert!(!svg.contains("Segment 6"), "the smallest tile has none");
    }

    #[test]
    fn heatmap_text_is_black_or_white_by_contrast() {
        let (fill, ink) = heatmap_colors(Some(1.0));
        assert_eq!((fill, ink), (palette::PRIMARY, WHITE));
        assert_eq!(heatmap_colors(Some(0.0)).1, DARK_TEXT);
        assert_eq!(heatmap_colors(None).0, EMPTY_CELL);
    }

    #[test]
    fn bars_treemap_histogram() {
        let segments = vec![
            SegmentBar {
                label: "Champions".into(),
                customers: 50,
                customer_share: 0.25,
                revenue_share: 0.5,
            },
            SegmentBar {
                label: "流失客户".into(),
                customers: 150,
                customer_share: 0.75,
                revenue_share: 0.5,
            },
        ];
        let style = ChartStyle::new(Lang::En);
        assert!(render_segment_bars_svg(&segments, &style)
            .unwrap()
            .contains("Champions"));
        assert!(render_segment_treemap_svg(&segments, &style)
            .unwrap()
            .contains("流失客户"));
        let bars = vec![
            HistogramBar {
                label: "0–30".into(),
                count: 4,
            },
            HistogramBar {
                label: "30–60".into(),
                count: 9,
            },
        ];
        assert!(render_histogram_svg(&bars, "R", "days", &style)
            .unwrap()
            .contains("0–30"));
    }
}
