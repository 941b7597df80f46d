//! The choice of k in the cluster analysis (聚类分析): the elbow of the inertia and the mean
//! silhouette width for every k tried, side by side on a shared horizontal axis, the suggested
//! k marked in both. Plain numbers and ready-made words in, SVG out.

use plotters::prelude::*;

use super::FONT_FAMILY;
use super::{chart_error, check_finite, compact_number, palette, sanitize_label, ChartStyle, Svg};
use crate::engine::error::{Error, Result};

/// One k tried.
#[derive(Debug, Clone, PartialEq)]
pub struct KPoint {
    /// Clusters.
    pub k: usize,
    /// Within-cluster sum of squares (falls as k grows).
    pub inertia: f64,
    /// Mean silhouette width (−1 to 1), when defined.
    pub silhouette: Option<f64>,
}

/// The words of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct KWords {
    /// Title of the left panel (inertia, the elbow).
    pub inertia: String,
    /// Title of the right panel (mean silhouette width).
    pub silhouette: String,
    /// Horizontal axis: number of clusters.
    pub x_axis: String,
    /// The mark's label for the suggested k (`suggested`).
    pub suggested: String,
}

/// Two panels: inertia by k (look for the elbow) and mean silhouette by k (higher is better),
/// each a line with points; the suggested k is a larger point in the second colour, labelled,
/// and a dashed line in both panels. [`Error::NoData`] for no points, [`Error::Chart`] for a
/// value that is not finite.
pub fn render_k_choice_svg(
    points: &[KPoint],
    suggested: usize,
    words: &KWords,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "cluster-k-choice";
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Err(Error::NoData);
    };
    check_finite(NAME, points.iter().map(|p| p.inertia))?;
    check_finite(NAME, points.iter().filter_map(|p| p.silhouette))?;
    let lang = style.lang;
    let inertia_high = points.iter().map(|p| p.inertia).fold(0.0_f64, f64::max) * 1.08;
    let inertia_high = if inertia_high > 0.0 {
        inertia_high
    } else {
        1.0
    };
    let silhouettes: Vec<(usize, f64)> = points
        .iter()
        .filter_map(|p| p.silhouette.map(|s| (p.k, s)))
        .collect();
    let s_low = silhouettes.iter().map(|s| s.1).fold(0.0_f64, f64::min);
    let s_high = silhouettes.iter().map(|s| s.1).fold(0.0_f64, f64::max);
    let pad = ((s_high - s_low) * 0.12).max(0.05);
    let (s_low, s_high) = (if s_low < 0.0 { s_low - pad } else { 0.0 }, s_high + pad);

    let inertia: Vec<(usize, f64)> = points.iter().map(|p| (p.k, p.inertia)).collect();
    let ks = (first.k, last.k);
    let mut svg = String::new();
    {
        let width = style.width.max(360);
        let height = style.height.max(220);
        let root = Svg::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error(NAME))?;
        let (left, right) = root.split_horizontally(width / 2);
        let inertia_panel = Panel {
            title: &words.inertia,
            x_axis: &words.x_axis,
            y: (0.0, inertia_high),
            y_label_width: 54,
            y_label: &|v: &f64| compact_number(*v, lang),
        };
        inertia_panel.draw(&left, &inertia, ks, suggested, None)?;
        let silhouette_panel = Panel {
            title: &words.silhouette,
            x_axis: &words.x_axis,
            y: (s_low, s_high),
            y_label_width: 48,
            y_label: &|v: &f64| format!("{v:.2}"),
        };
        silhouette_panel.draw(&right, &silhouettes, ks, suggested, Some(&words.suggested))?;
        root.present().map_err(chart_error(NAME))?;
    }
    Ok(svg)
}

/// One panel: a value by k as a line with points, the suggested k a larger point in the second
/// colour on a dashed line (labelled when `mark` is given).
struct Panel<'a> {
    title: &'a str,
    x_axis: &'a str,
    y: (f64, f64),
    y_label_width: u32,
    y_label: &'a dyn Fn(&f64) -> String,
}

impl Panel<'_> {
    fn draw(
        &self,
        area: &DrawingArea<Svg<'_>, plotters::coord::Shift>,
        values: &[(usize, f64)],
        (first, last): (usize, usize),
        suggested: usize,
        mark: Option<&str>,
    ) -> Result<()> {
        const NAME: &str = "cluster-k-choice";
        let label_font = (FONT_FAMILY, 12).into_font().color(&palette::INK);
        let (low, high) = self.y;
        let mut chart = ChartBuilder::on(area)
            .caption(
                sanitize_label(self.title, 48),
                (FONT_FAMILY, 15).into_font().color(&palette::INK),
            )
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(self.y_label_width)
            .build_cartesian_2d(first as f64 - 0.5..last as f64 + 0.5, low..high)
            .map_err(chart_error(NAME))?;
        let k_label = |k: &f64| {
            let r = k.round();
            match (k - r).abs() < 1e-9 && r >= first as f64 && r <= last as f64 {
                true => format!("{r:.0}"),
                false => String::new(),
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(palette::GRID)
            .axis_style(palette::INK.mix(0.7))
            .x_labels(last - first + 1)
            .x_label_formatter(&k_label)
            .x_desc(sanitize_label(self.x_axis, 40))
            .y_labels(5)
            .y_label_formatter(self.y_label)
            .label_style(label_font.clone())
            .axis_desc_style(label_font.clone())
            .draw()
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(DashedLineSeries::new(
                [(suggested as f64, low), (suggested as f64, high)],
                4,
                4,
                palette::SECONDARY.mix(0.7).stroke_width(1),
            ))
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(LineSeries::new(
                values.iter().map(|&(k, v)| (k as f64, v)),
                palette::PRIMARY.stroke_width(2),
            ))
            .map_err(chart_error(NAME))?;
        chart
            .draw_series(values.iter().map(|&(k, v)| {
                let (size, colour) = match k == suggested {
                    true => (6, palette::SECONDARY.filled()),
                    false => (4, palette::PRIMARY.filled()),
                };
                Circle::new((k as f64, v), size, colour)
            }))
            .map_err(chart_error(NAME))?;
        if let (Some(words), Some(&(k, v))) = (mark, values.iter().find(|p| p.0 == suggested)) {
            chart
                .draw_series(std::iter::once(Text::new(
                    sanitize_label(words, 24),
                    (k as f64 + 0.12, v + (high - low) * 0.06),
                    label_font,
                )))
                .map_err(chart_error(NAME))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn words() -> KWords {
        KWords {
            inertia: "Inertia <elbow>".into(),
            silhouette: "Silhouette".into(),
            x_axis: "k".into(),
            suggested: "suggested".into(),
        }
    }

    #[test]
    fn draws_both_panels_and_marks_the_suggested_k() {
        let points: Vec<KPoint> = (2..=8)
            .map(|k| KPoint {
                k,
                inertia: 1000.0 / k as f64,
                silhouette: Some(if k == 4 { 0.61 } else { 0.4 - 0.01 * k as f64 }),
            })
            .collect();
        let svg = render_k_choice_svg(&points, 4, &words(), &ChartStyle::new(Lang::En)).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Inertia &lt;elbow&gt;"));
        assert!(svg.contains("Silhouette"));
        assert!(svg.contains("suggested"));
        // Seven points in each panel.
        assert_eq!(svg.matches("<circle").count(), 14);
    }

    #[test]
    fn refuses_nothing_and_non_finite_values() {
        let style = ChartStyle::new(Lang::Zh);
        assert!(matches!(
            render_k_choice_svg(&[], 2, &words(), &style),
            Err(Error::NoData)
        ));
        let bad = [KPoint {
            k: 2,
            inertia: f64::NAN,
            silhouette: None,
        }];
        assert!(render_k_choice_svg(&bad, 2, &words(), &style).is_err());
        // A k without a silhouette is left out of the right panel only.
        let partial = [
            KPoint {
                k: 2,
                inertia: 10.0,
                silhouette: None,
            },
            KPoint {
                k: 3,
                inertia: 5.0,
                silhouette: Some(0.3),
            },
        ];
        let svg = render_k_choice_svg(&partial, 3, &words(), &style).unwrap();
        assert_eq!(svg.matches("<circle").count(), 3);
    }
}
