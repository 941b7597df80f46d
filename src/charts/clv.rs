//! Charts of the customer-lifetime-value analysis (客户终身价值, BG/NBD with Gamma-Gamma): the
//! backtest's conditional expectations per calibration-frequency group and the weekly tracking
//! of cumulative repeat purchases (Fader, Hardie & Lee 2005, figures 2–4), the share of the
//! total CLV by decile of CLV (Pareto style) and the distribution of P(alive). Plain numbers and
//! ready-made words in, SVG out: every word arrives translated, so this module holds none of
//! its own (percent ranges and numbers are not words).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::lifecycle::{
    axis_number, draw_legend_mark, draw_svg, label_step, legend_rows, nice_ticks, shape_error,
    widest, y_grid, Dot, Font, Mark, Pen, Turn, LEGEND_FONT, MUTED_TEXT,
};
use super::rfm::fit_label;
use super::text_width;
use super::{check_finite, palette, sanitize_label, ChartStyle};
use crate::engine::error::{Error, Result};
use crate::i18n::{format_percent, Lang};

/// One calibration-frequency group: x = 0..6 and "7+".
#[derive(Debug, Clone, PartialEq)]
pub struct FrequencyBar {
    /// The group as written on the axis (`0`, `1`, … `7+`).
    pub label: String,
    /// Customers in the group (written under the axis label).
    pub customers: usize,
    /// Mean actual repeat purchases per customer of the group in the holdout.
    pub actual: f64,
    /// Mean predicted (BG/NBD conditional expectation) repeat purchases per customer of the
    /// group in the holdout.
    pub predicted: f64,
}

/// The words of the backtest chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestWords {
    /// Legend: actual (the bars).
    pub actual: String,
    /// Legend: predicted by the model (the dashed line).
    pub predicted: String,
    /// Horizontal axis: repeat purchases in the calibration period.
    pub x_axis: String,
    /// Vertical axis: mean repeat purchases per customer in the holdout.
    pub y_axis: String,
    /// Heading of the row of customer counts under the axis labels.
    pub customers: String,
}

/// The paper's conditional-expectation chart (Fader, Hardie & Lee 2005, fig. 4): for each
/// calibration-frequency group, the mean repeat purchases per customer in the holdout, actual
/// as bars and predicted as a dashed line with hollow points; the customers of each group are
/// written under its axis label, in a row headed `words.customers`.
///
/// The vertical axis starts at 0 (lower when a mean is negative). Many groups stay legible:
/// axis labels and counts are thinned together. [`Error::NoData`] for no groups,
/// [`Error::Chart`] for a mean that is not finite.
pub fn render_backtest_svg(
    bars: &[FrequencyBar],
    words: &BacktestWords,
    style: &ChartStyle,
) -> Result<String> {
    render_backtest(bars, words, style)
}

/// One week of the tracking plot.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackingPoint {
    /// Week number (1 for the first week); the point is drawn at the week's end.
    pub week: u32,
    /// Cumulative actual repeat purchases up to the end of the week.
    pub actual: f64,
    /// Cumulative predicted repeat purchases up to the end of the week.
    pub predicted: f64,
}

/// The words of the tracking plot.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackingWords {
    /// Legend: actual (the solid line).
    pub actual: String,
    /// Legend: predicted (the dashed line).
    pub predicted: String,
    /// Horizontal axis: week.
    pub x_axis: String,
    /// Vertical axis: cumulative repeat purchases.
    pub y_axis: String,
    /// The label of the line where the holdout starts.
    pub holdout: String,
}

/// The paper's tracking plot (Fader, Hardie & Lee 2005, fig. 2/3): cumulative repeat purchases
/// per week, actual as a solid line and predicted as a dashed one (with filled and hollow points
/// when the weeks are far enough apart), with a vertical dashed line labelled
/// `words.holdout` where the holdout starts and the holdout lightly shaded.
///
/// `points` in week order; a week's point sits at its end, so the horizontal axis runs from the
/// first week − 1 to the last, and the holdout line (`holdout_from`: the index into `points` of
/// the first holdout week, `None` = no holdout) is drawn at the start of that week. Up to ~600
/// weeks stay legible: the week labels are thinned to round numbers. [`Error::NoData`] for no
/// points, [`Error::Chart`] for a value that is not finite or a `holdout_from` out of range.
pub fn render_tracking_svg(
    points: &[TrackingPoint],
    holdout_from: Option<usize>,
    words: &TrackingWords,
    style: &ChartStyle,
) -> Result<String> {
    render_tracking(points, holdout_from, words, style)
}

/// One decile of CLV (decile 1 = the top 10 % of customers by CLV).
#[derive(Debug, Clone, PartialEq)]
pub struct ValueBar {
    /// The decile as written on the axis (e.g. `D1`).
    pub label: String,
    /// The decile's total CLV (money); checked to be finite, not drawn (the chart shows
    /// shares; the amounts belong in the table beside it).
    pub value: f64,
    /// The decile's share of the total CLV (0–1).
    pub share: f64,
}

/// The words of the CLV decile chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueWords {
    /// Legend: each decile's share of the total CLV (the bars).
    pub share: String,
    /// Legend: the cumulative share (the line).
    pub cumulative: String,
    /// Horizontal axis: decile of CLV.
    pub x_axis: String,
}

/// CLV by decile of CLV, Pareto style: bars of each decile's share of the total CLV, each
/// labelled with its share, and the cumulative share as a line with points, on one percent
/// axis (both are shares of the same total).
///
/// The cumulative line's point after decile k sits at the right edge of bar k, so it reads "the
/// top k deciles hold this much", and each point after the first (which repeats the first
/// bar's share) is labelled with its percentage. Labels that do not fit a narrow chart are left
/// out. [`Error::NoData`] for no bars, [`Error::Chart`] for
/// a value or share that is not finite.
pub fn render_value_deciles_svg(
    bars: &[ValueBar],
    words: &ValueWords,
    style: &ChartStyle,
) -> Result<String> {
    render_value_deciles(bars, words, style)
}

/// The words of the P(alive) distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct AliveWords {
    /// Horizontal axis: probability of being alive.
    pub x_axis: String,
    /// Vertical axis: customers.
    pub y_axis: String,
}

/// The distribution of P(alive): `counts[k]` customers with P(alive) in [k/10, (k+1)/10) (the
/// last bin includes 1.0), as bars with their counts written above, labelled `0–10%` …
/// `90–100%` (made here from k). [`Error::NoData`] when every count is 0.
pub fn render_p_alive_svg(
    counts: &[usize; 10],
    words: &AliveWords,
    style: &ChartStyle,
) -> Result<String> {
    render_p_alive(counts, words, style)
}

// ---------------------------------------------------------------------------------------------
// Shared layout.

/// Axis labels and numbers.
const AXIS_FONT: f64 = 11.0;
/// Axis titles.
const TITLE_FONT: f64 = 12.0;
/// Where the holdout is: a light shade (a pale grey in black-and-white print).
const HOLDOUT_SHADE: RGBColor = RGBColor(0xf1, 0xf4, 0xf7);

/// The drawing's width and height (at least 320 × 200).
fn size(style: &ChartStyle) -> (f64, f64) {
    (
        f64::from(style.width.max(320)),
        f64::from(style.height.max(200)),
    )
}

/// Legend entries laid out in rows above the plot.
struct Legend {
    entries: Vec<(Mark, String)>,
    places: Vec<(f64, usize)>,
}

impl Legend {
    fn new(entries: Vec<(Mark, String)>, (left, right): (f64, f64)) -> Self {
        let labels: Vec<String> = entries.iter().map(|e| e.1.clone()).collect();
        let places = legend_rows(&labels, left, right);
        Legend { entries, places }
    }

    /// The y below the legend, where the plot may start.
    fn bottom(&self) -> f64 {
        let rows = self.places.last().map_or(1, |p| p.1 + 1);
        12.0 + 20.0 * rows as f64 + 8.0
    }

    fn draw(&self, pen: &Pen) -> Result<()> {
        for ((mark, label), &(x, row)) in self.entries.iter().zip(&self.places) {
            let y = 14.0 + 20.0 * row as f64;
            draw_legend_mark(pen, *mark, (x, y))?;
            pen.text(label, (x + 22.0, y), Font::new(LEGEND_FONT))?;
        }
        Ok(())
    }
}

/// A value axis: ticks from `low` to `high` and where they are drawn.
struct ValueAxis {
    ticks: Vec<f64>,
    labels: Vec<String>,
}

impl ValueAxis {
    /// About five ticks at 1, 2 or 5 × 10ⁿ apart, written with as many decimals as the step
    /// needs (`0.5`, `0.05`), compact when large (`40k`, `4万`).
    fn numbers(low: f64, high: f64, whole: bool, lang: Lang) -> Self {
        let ticks = nice_ticks(low, high, 5, whole);
        let step = ticks.get(1).zip(ticks.first()).map_or(1.0, |(b, a)| b - a);
        let top = ticks.iter().fold(0.0_f64, |m, t| m.max(t.abs()));
        let labels = ticks
            .iter()
            .map(|&t| tick_text(t, step, top, lang))
            .collect();
        ValueAxis { ticks, labels }
    }

    /// Ticks written as percentages.
    fn percents(low: f64, high: f64) -> Self {
        let ticks = nice_ticks(low, high, 5, false);
        let labels = ticks.iter().map(|&t| format_percent(t, 0)).collect();
        ValueAxis { ticks, labels }
    }

    fn low(&self) -> f64 {
        self.ticks.first().copied().unwrap_or(0.0)
    }

    fn high(&self) -> f64 {
        self.ticks.last().copied().unwrap_or(1.0)
    }

    /// The space its labels need left of the plot, with the axis title beside them.
    fn margin(&self) -> f64 {
        30.0 + widest(self.labels.iter().map(String::as_str), AXIS_FONT) + 8.0
    }

    /// The y in px of `value` on a plot from `top` to `bottom`.
    fn y(&self, value: f64, (top, bottom): (f64, f64)) -> f64 {
        let span = (self.high() - self.low()).max(f64::MIN_POSITIVE);
        bottom - (value - self.low()) / span * (bottom - top)
    }

    /// Grid lines and labels.
    fn draw(&self, pen: &Pen, (left, right): (f64, f64), (top, bottom): (f64, f64)) -> Result<()> {
        let grid: Vec<(f64, String)> = self
            .ticks
            .iter()
            .zip(&self.labels)
            .map(|(&t, l)| (self.y(t, (top, bottom)), l.clone()))
            .collect();
        y_grid(pen, &grid, (left, right), left - 6.0)
    }
}

/// A tick's number: whole steps as [`axis_number`] writes them, smaller steps with the decimals
/// they need (`0.5`, `0.05`), 0 as `0`.
fn tick_text(value: f64, step: f64, top: f64, lang: Lang) -> String {
    if step >= 1.0 || value == 0.0 {
        return axis_number(value, top, lang);
    }
    let decimals = (-step.log10().floor()).clamp(0.0, 9.0) as usize;
    format!("{value:.decimals$}")
}

/// A count as written above a bar or under an axis label: whole below 10 000, compact above.
fn count_text(count: usize, lang: Lang) -> String {
    axis_number(count as f64, count as f64, lang)
}

/// The vertical axis's title, turned, left of the numbers: smaller when long (down to 10 px),
/// then cut with "…"; left out when not even that fits.
fn y_title(pen: &Pen, title: &str, (top, bottom): (f64, f64)) -> Result<()> {
    let title = sanitize_label(title, 80);
    let room = bottom - top;
    let px = [TITLE_FONT, 11.0, 10.0]
        .into_iter()
        .find(|&px| text_width(&title, px) <= room)
        .unwrap_or(10.0);
    let Some(title) = fit_label(&title, room, px) else {
        return Ok(());
    };
    pen.text(
        &title,
        (12.0, (top + bottom) / 2.0),
        Font::new(px).at(HPos::Center, VPos::Center).turn(Turn::Up),
    )
}

/// The horizontal axis's title, centred under the plot at `y` (its middle).
fn x_title(pen: &Pen, title: &str, (left, right): (f64, f64), y: f64) -> Result<()> {
    let Some(title) = fit_label(&sanitize_label(title, 80), right - left, TITLE_FONT) else {
        return Ok(());
    };
    pen.text(
        &title,
        ((left + right) / 2.0, y),
        Font::new(TITLE_FONT).at(HPos::Center, VPos::Center),
    )
}

/// Categories side by side from `left`, `slot` px each: a bar's edges on whole pixels with a
/// gap, and its middle.
struct Slots {
    left: f64,
    slot: f64,
}

impl Slots {
    fn middle(&self, i: usize) -> f64 {
        self.left + (i as f64 + 0.5) * self.slot
    }

    fn edges(&self, i: usize, fill: f64) -> (f64, f64) {
        let inset = (self.slot * (1.0 - fill) / 2.0).max(if self.slot > 3.0 { 0.5 } else { 0.0 });
        (
            (self.left + i as f64 * self.slot + inset).round(),
            (self.left + (i + 1) as f64 * self.slot - inset).round(),
        )
    }

    /// How the labels `texts` are written under the categories: all of them, at 11 px or
    /// smaller down to 9 px when that makes them fit; else at 11 px, every so many.
    fn thinning<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> Thinning {
        let wide = widest(texts, AXIS_FONT);
        match fitting_px(wide, self.slot - 6.0) {
            Some(px) => Thinning { step: 1, px },
            None => Thinning {
                step: label_step(self.slot, wide + 8.0),
                px: AXIS_FONT,
            },
        }
    }

    /// Writes `texts` under the categories as `thinning` says, from `y` down.
    fn labels(
        &self,
        pen: &Pen,
        texts: &[String],
        thinning: Thinning,
        y: f64,
        color: RGBColor,
    ) -> Result<()> {
        let font = Font::new(thinning.px)
            .color(color)
            .at(HPos::Center, VPos::Top);
        for (i, text) in texts.iter().enumerate() {
            if i % thinning.step == 0 {
                pen.text(text, (self.middle(i), y), font)?;
            }
        }
        Ok(())
    }
}

/// Category labels: every `step`th written, at `px`.
#[derive(Clone, Copy)]
struct Thinning {
    step: usize,
    px: f64,
}

/// The largest of 11, 10 and 9 px at which a text `wide` px wide at 11 px fits in `room` px.
fn fitting_px(wide: f64, room: f64) -> Option<f64> {
    [AXIS_FONT, 10.0, 9.0]
        .into_iter()
        .find(|&px| wide * px / AXIS_FONT <= room)
}

/// A white band under a line that keeps it apart from the bars behind it.
fn halo(pen: &Pen, points: &[(f64, f64)]) -> Result<()> {
    if points.len() < 2 {
        return Ok(());
    }
    pen.path(points, WHITE.stroke_width(5))
}

/// A line through `points`, solid or dashed.
fn series_line(pen: &Pen, points: &[(f64, f64)], color: RGBColor, dashed: bool) -> Result<()> {
    if points.len() < 2 {
        return Ok(());
    }
    if dashed {
        pen.dashed_path(points, (7.0, 4.0), color.stroke_width(2))
    } else {
        pen.path(points, color.stroke_width(2))
    }
}

/// The points of a line: filled or hollow, with a white rim.
fn series_dots(pen: &Pen, points: &[(f64, f64)], color: RGBColor, dot: Dot) -> Result<()> {
    for &at in points {
        match dot {
            Dot::None => {}
            Dot::Filled => {
                pen.dot(at, 5, WHITE.filled())?;
                pen.dot(at, 3, color.filled())?;
            }
            Dot::Hollow => {
                pen.dot(at, 4, WHITE.filled())?;
                pen.dot(at, 4, color.stroke_width(2))?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Backtest.

fn render_backtest(
    bars: &[FrequencyBar],
    words: &BacktestWords,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "clv-backtest";
    if bars.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, bars.iter().flat_map(|b| [b.actual, b.predicted]))?;
    let lang = style.lang;
    let (w, h) = size(style);
    let (low, high) = bars
        .iter()
        .flat_map(|b| [b.actual, b.predicted])
        .fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let axis = ValueAxis::numbers(low, high, false, lang);
    let customers_word = sanitize_label(&words.customers, 24);
    let customers_word = fit_label(&customers_word, w * 0.2, AXIS_FONT).unwrap_or_default();
    let left = axis
        .margin()
        .max(8.0 + text_width(&customers_word, AXIS_FONT) + 8.0);
    let right = w - 16.0;
    let legend = Legend::new(
        vec![
            (
                Mark::Box(palette::PRIMARY),
                sanitize_label(&words.actual, 40),
            ),
            (
                Mark::Stroke {
                    color: palette::SECONDARY,
                    dashed: true,
                    dot: Dot::Hollow,
                },
                sanitize_label(&words.predicted, 40),
            ),
        ],
        (left, right),
    );
    let top = legend.bottom();
    // Under the plot: group labels, customer counts, the axis title.
    let bottom = h - 62.0;
    let plot = (top, bottom.max(top + 10.0));
    let slots = Slots {
        left,
        slot: (right - left) / bars.len() as f64,
    };
    let labels: Vec<String> = bars.iter().map(|b| sanitize_label(&b.label, 12)).collect();
    let counts: Vec<String> = bars.iter().map(|b| count_text(b.customers, lang)).collect();
    let thinning = slots.thinning(labels.iter().chain(&counts).map(String::as_str));
    let zero = axis.y(0.0, plot);

    draw_svg(NAME, (w, h), |pen| {
        legend.draw(pen)?;
        axis.draw(pen, (left, right), plot)?;
        for (i, bar) in bars.iter().enumerate() {
            let (x0, x1) = slots.edges(i, 0.56);
            let y = axis.y(bar.actual, plot);
            if (y - zero).abs() >= 0.5 {
                pen.rect(
                    (x0, y.min(zero)),
                    (x1, y.max(zero)),
                    palette::PRIMARY.filled(),
                )?;
            }
        }
        pen.path(&[(left, zero), (right, zero)], palette::INK.stroke_width(1))?;
        let predicted: Vec<(f64, f64)> = bars
            .iter()
            .enumerate()
            .map(|(i, b)| (slots.middle(i), axis.y(b.predicted, plot)))
            .collect();
        halo(pen, &predicted)?;
        series_line(pen, &predicted, palette::SECONDARY, true)?;
        series_dots(pen, &predicted, palette::SECONDARY, Dot::Hollow)?;
        let (_, bottom) = plot;
        slots.labels(pen, &labels, thinning, bottom + 7.0, palette::INK)?;
        let counts_y = bottom + 24.0;
        slots.labels(pen, &counts, thinning, counts_y, MUTED_TEXT)?;
        pen.text(
            &customers_word,
            (left - 8.0, counts_y),
            Font::new(AXIS_FONT)
                .color(MUTED_TEXT)
                .at(HPos::Right, VPos::Top),
        )?;
        x_title(pen, &words.x_axis, (left, right), h - 12.0)?;
        y_title(pen, &words.y_axis, plot)
    })
}

// ---------------------------------------------------------------------------------------------
// Tracking.

fn render_tracking(
    points: &[TrackingPoint],
    holdout_from: Option<usize>,
    words: &TrackingWords,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "clv-tracking";
    if points.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, points.iter().flat_map(|p| [p.actual, p.predicted]))?;
    if let Some(i) = holdout_from.filter(|&i| i >= points.len()) {
        return Err(shape_error(
            NAME,
            format!("the holdout starts at point {i} of {}", points.len()),
        ));
    }
    let lang = style.lang;
    let (w, h) = size(style);
    let first = points.iter().map(|p| p.week).min().unwrap_or(1);
    let last = points.iter().map(|p| p.week).max().unwrap_or(1);
    let (x_low, x_high) = (
        f64::from(first) - 1.0,
        f64::from(last).max(f64::from(first)),
    );
    let (low, high) = points
        .iter()
        .flat_map(|p| [p.actual, p.predicted])
        .fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let axis = ValueAxis::numbers(low, high, false, lang);
    let left = axis.margin();
    let right = w - 20.0;
    // Points when the weeks are far enough apart to tell them.
    let spacing = (right - left) / (x_high - x_low).max(1.0);
    let dots = spacing >= 10.0 || points.len() == 1;
    let (actual_dot, predicted_dot) = if dots {
        (Dot::Filled, Dot::Hollow)
    } else {
        (Dot::None, Dot::None)
    };
    let legend = Legend::new(
        vec![
            (
                Mark::Stroke {
                    color: palette::PRIMARY,
                    dashed: false,
                    dot: actual_dot,
                },
                sanitize_label(&words.actual, 40),
            ),
            (
                Mark::Stroke {
                    color: palette::SECONDARY,
                    dashed: true,
                    dot: predicted_dot,
                },
                sanitize_label(&words.predicted, 40),
            ),
        ],
        (left, right),
    );
    let top = legend.bottom();
    let bottom = h - 46.0;
    let plot = (top, bottom.max(top + 10.0));
    let x_of = |week: f64| left + (week - x_low) / (x_high - x_low).max(1.0) * (right - left);
    // Week labels at round numbers, as many as fit.
    let label_w = text_width(&last.to_string(), AXIS_FONT) + 28.0;
    let target = ((right - left) / label_w).floor().clamp(2.0, 10.0) as usize;
    let week_ticks: Vec<f64> = nice_ticks(x_low, x_high, target, true)
        .into_iter()
        .filter(|t| (x_low..=x_high).contains(t))
        .collect();
    let holdout = holdout_from.map(|i| x_of(f64::from(points[i].week) - 1.0));
    let holdout_word = sanitize_label(&words.holdout, 40);

    draw_svg(NAME, (w, h), |pen| {
        legend.draw(pen)?;
        let (top, bottom) = plot;
        if let Some(x) = holdout {
            pen.rect((x, top), (right, bottom), HOLDOUT_SHADE.filled())?;
        }
        axis.draw(pen, (left, right), plot)?;
        let zero = axis.y(0.0, plot);
        pen.path(&[(left, zero), (right, zero)], palette::INK.stroke_width(1))?;
        for &week in &week_ticks {
            let x = x_of(week);
            pen.path(
                &[(x, bottom), (x, bottom + 4.0)],
                palette::INK.stroke_width(1),
            )?;
            pen.text(
                &format!("{week:.0}"),
                (x, bottom + 7.0),
                Font::new(AXIS_FONT).at(HPos::Center, VPos::Top),
            )?;
        }
        if let Some(x) = holdout {
            pen.dashed_vertical(x, top, bottom, palette::INK.stroke_width(1))?;
            let room = text_width(&holdout_word, AXIS_FONT);
            let (at, h_pos) = if x + 6.0 + room <= right - 2.0 {
                (x + 6.0, HPos::Left)
            } else {
                (x - 6.0, HPos::Right)
            };
            pen.text(
                &holdout_word,
                (at, top + 4.0),
                Font::new(AXIS_FONT).bold().at(h_pos, VPos::Top),
            )?;
        }
        let line = |value: fn(&TrackingPoint) -> f64| -> Vec<(f64, f64)> {
            points
                .iter()
                .map(|p| (x_of(f64::from(p.week)), axis.y(value(p), plot)))
                .collect()
        };
        let actual = line(|p| p.actual);
        let predicted = line(|p| p.predicted);
        series_line(pen, &actual, palette::PRIMARY, false)?;
        series_line(pen, &predicted, palette::SECONDARY, true)?;
        series_dots(pen, &actual, palette::PRIMARY, actual_dot)?;
        series_dots(pen, &predicted, palette::SECONDARY, predicted_dot)?;
        x_title(pen, &words.x_axis, (left, right), h - 12.0)?;
        y_title(pen, &words.y_axis, plot)
    })
}

// ---------------------------------------------------------------------------------------------
// Value by decile.

/// A share as written on its bar: whole percents from 10 %, one decimal below.
fn share_text(share: f64) -> String {
    if share.abs() >= 0.1 || share == 0.0 {
        format_percent(share, 0)
    } else {
        format_percent(share, 1)
    }
}

fn render_value_deciles(
    bars: &[ValueBar],
    words: &ValueWords,
    style: &ChartStyle,
) -> Result<String> {
    const NAME: &str = "clv-deciles";
    if bars.is_empty() {
        return Err(Error::NoData);
    }
    check_finite(NAME, bars.iter().flat_map(|b| [b.value, b.share]))?;
    let (w, h) = size(style);
    let cumulative: Vec<f64> = bars
        .iter()
        .scan(0.0, |total, b| {
            *total += b.share;
            Some(*total)
        })
        .collect();
    let (low, high) = bars
        .iter()
        .map(|b| b.share)
        .chain(cumulative.iter().copied())
        .fold((0.0_f64, 1.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    // A total a rounding above 100 % keeps the axis at 100 %.
    let high = if high < 1.0 + 1e-6 { 1.0 } else { high };
    let axis = ValueAxis::percents(low, high);
    let left = axis.margin();
    let right = w - 20.0;
    let legend = Legend::new(
        vec![
            (
                Mark::Box(palette::PRIMARY),
                sanitize_label(&words.share, 40),
            ),
            (
                Mark::Stroke {
                    color: palette::INK,
                    dashed: false,
                    dot: Dot::Filled,
                },
                sanitize_label(&words.cumulative, 40),
            ),
        ],
        (left, right),
    );
    // Room above 100 % for the cumulative labels.
    let top = legend.bottom() + 12.0;
    let bottom = h - 46.0;
    let plot = (top, bottom.max(top + 10.0));
    let slots = Slots {
        left,
        slot: (right - left) / bars.len() as f64,
    };
    let labels: Vec<String> = bars.iter().map(|b| sanitize_label(&b.label, 12)).collect();
    let thinning = slots.thinning(labels.iter().map(String::as_str));
    let shares: Vec<String> = bars.iter().map(|b| share_text(b.share)).collect();
    let share_px = fitting_px(
        widest(shares.iter().map(String::as_str), AXIS_FONT),
        slots.slot - 2.0,
    );
    let totals: Vec<String> = cumulative.iter().map(|&c| format_percent(c, 0)).collect();
    let totals_fit =
        widest(totals.iter().map(String::as_str), 10.0) + 10.0 <= slots.slot && bars.len() > 1;

    draw_svg(NAME, (w, h), |pen| {
        legend.draw(pen)?;
        axis.draw(pen, (left, right), plot)?;
        let zero = axis.y(0.0, plot);
        for (i, bar) in bars.iter().enumerate() {
            let (x0, x1) = slots.edges(i, 0.7);
            let y = axis.y(bar.share, plot);
            if (y - zero).abs() >= 0.5 {
                pen.rect(
                    (x0, y.min(zero)),
                    (x1, y.max(zero)),
                    palette::PRIMARY.filled(),
                )?;
            }
            if let Some(px) = share_px {
                let (at, v) = if bar.share < 0.0 {
                    (y + 3.0, VPos::Top)
                } else {
                    (y - 3.0, VPos::Bottom)
                };
                pen.text(
                    &shares[i],
                    (slots.middle(i), at),
                    Font::new(px).bold().at(HPos::Center, v),
                )?;
            }
        }
        pen.path(&[(left, zero), (right, zero)], palette::INK.stroke_width(1))?;
        // The cumulative share after decile k at the right edge of bar k; its first point
        // repeats the first bar's share, so only the later ones are written.
        let line: Vec<(f64, f64)> = cumulative
            .iter()
            .enumerate()
            .map(|(i, &c)| (left + (i + 1) as f64 * slots.slot, axis.y(c, plot)))
            .collect();
        halo(pen, &line)?;
        series_line(pen, &line, palette::INK, false)?;
        series_dots(pen, &line, palette::INK, Dot::Filled)?;
        if totals_fit {
            for (&(x, y), total) in line.iter().zip(&totals).skip(1) {
                pen.text(
                    total,
                    (x - 5.0, y - 5.0),
                    Font::new(10.0)
                        .color(MUTED_TEXT)
                        .at(HPos::Right, VPos::Bottom),
                )?;
            }
        }
        let (_, bottom) = plot;
        slots.labels(pen, &labels, thinning, bottom + 7.0, palette::INK)?;
        x_title(pen, &words.x_axis, (left, right), h - 12.0)
    })
}

// ---------------------------------------------------------------------------------------------
// P(alive).

/// The label of P(alive) bin k: `0–10%` … `90–100%`.
fn alive_bin(k: usize) -> String {
    format!("{}–{}", k * 10, format_percent((k + 1) as f64 / 10.0, 0))
}

fn render_p_alive(counts: &[usize; 10], words: &AliveWords, style: &ChartStyle) -> Result<String> {
    const NAME: &str = "clv-p-alive";
    if counts.iter().all(|&c| c == 0) {
        return Err(Error::NoData);
    }
    let lang = style.lang;
    let (w, h) = size(style);
    let most = counts.iter().copied().max().unwrap_or(0) as f64;
    let axis = ValueAxis::numbers(0.0, most, true, lang);
    let left = axis.margin();
    let right = w - 16.0;
    // Room above the tallest bar for its count.
    let top = 24.0;
    let bottom = h - 46.0;
    let plot = (top, bottom.max(top + 10.0));
    let slots = Slots {
        left,
        slot: (right - left) / counts.len() as f64,
    };
    let labels: Vec<String> = (0..counts.len()).map(alive_bin).collect();
    let thinning = slots.thinning(labels.iter().map(String::as_str));
    let numbers: Vec<String> = counts.iter().map(|&c| count_text(c, lang)).collect();
    let number_px = fitting_px(
        widest(numbers.iter().map(String::as_str), AXIS_FONT),
        slots.slot - 2.0,
    );

    draw_svg(NAME, (w, h), |pen| {
        axis.draw(pen, (left, right), plot)?;
        let zero = axis.y(0.0, plot);
        for (i, &count) in counts.iter().enumerate() {
            let (x0, x1) = slots.edges(i, 0.8);
            let y = axis.y(count as f64, plot);
            if count > 0 {
                pen.rect(
                    (x0, y.min(zero - 1.0)),
                    (x1, zero),
                    palette::PRIMARY.filled(),
                )?;
            }
            if let Some(px) = number_px {
                pen.text(
                    &numbers[i],
                    (slots.middle(i), y - 3.0),
                    Font::new(px).at(HPos::Center, VPos::Bottom),
                )?;
            }
        }
        pen.path(&[(left, zero), (right, zero)], palette::INK.stroke_width(1))?;
        let (_, bottom) = plot;
        slots.labels(pen, &labels, thinning, bottom + 7.0, palette::INK)?;
        x_title(pen, &words.x_axis, (left, right), h - 12.0)?;
        y_title(pen, &words.y_axis, plot)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::lifecycle::tests::{assert_well_formed, texts};

    fn en() -> ChartStyle {
        ChartStyle::new(Lang::En)
    }

    fn zh() -> ChartStyle {
        ChartStyle::new(Lang::Zh)
    }

    fn is_chart_error(result: Result<String>) -> bool {
        matches!(result, Err(Error::Chart { .. }))
    }

    fn has(svg: &str, word: &str) -> bool {
        texts(svg).iter().any(|t| t == word)
    }

    /// The CDNOW backtest's shape: means rising with x, the model close to the actual.
    fn frequency_bars() -> Vec<FrequencyBar> {
        let customers = [1411, 439, 214, 100, 62, 38, 29, 64];
        let actual = [0.23, 0.64, 1.29, 1.74, 2.36, 2.97, 3.24, 5.14];
        let predicted = [0.23, 0.70, 1.25, 1.77, 2.43, 2.89, 3.56, 5.76];
        (0..8)
            .map(|i| FrequencyBar {
                label: if i == 7 { "7+".into() } else { i.to_string() },
                customers: customers[i],
                actual: actual[i],
                predicted: predicted[i],
            })
            .collect()
    }

    fn backtest_words(lang: Lang) -> BacktestWords {
        match lang {
            Lang::En => BacktestWords {
                actual: "Actual".into(),
                predicted: "BG/NBD".into(),
                x_axis: "Repeat purchases in the calibration period".into(),
                y_axis: "Mean repeat purchases in the holdout".into(),
                customers: "Customers".into(),
            },
            Lang::Zh => BacktestWords {
                actual: "实际".into(),
                predicted: "模型预测".into(),
                x_axis: "校准期重复购买次数".into(),
                y_axis: "验证期人均重复购买".into(),
                customers: "客户数".into(),
            },
        }
    }

    /// `n` weeks of cumulative purchases, the holdout from week `n / 2 + 1`.
    fn weeks(n: u32) -> Vec<TrackingPoint> {
        let mut actual = 0.0;
        (1..=n)
            .map(|week| {
                let rate = 60.0 * (1.0 - (-(f64::from(week)) / 12.0).exp()) + 10.0;
                actual += rate * (1.0 + 0.25 * (f64::from(week) * 1.7).sin());
                TrackingPoint {
                    week,
                    actual,
                    predicted: rate * f64::from(week) * 0.93,
                }
            })
            .collect()
    }

    fn tracking_words(lang: Lang) -> TrackingWords {
        match lang {
            Lang::En => TrackingWords {
                actual: "Actual".into(),
                predicted: "BG/NBD".into(),
                x_axis: "Week".into(),
                y_axis: "Cumulative repeat purchases".into(),
                holdout: "Holdout".into(),
            },
            Lang::Zh => TrackingWords {
                actual: "实际".into(),
                predicted: "模型预测".into(),
                x_axis: "周".into(),
                y_axis: "累计重复购买".into(),
                holdout: "验证期".into(),
            },
        }
    }

    fn value_bars() -> Vec<ValueBar> {
        let shares = [
            0.52, 0.17, 0.1, 0.07, 0.05, 0.035, 0.025, 0.015, 0.01, 0.005,
        ];
        shares
            .iter()
            .enumerate()
            .map(|(i, &share)| ValueBar {
                label: format!("D{}", i + 1),
                value: share * 1_234_567.0,
                share,
            })
            .collect()
    }

    fn value_words(lang: Lang) -> ValueWords {
        match lang {
            Lang::En => ValueWords {
                share: "Share of total CLV".into(),
                cumulative: "Cumulative share".into(),
                x_axis: "Decile of CLV".into(),
            },
            Lang::Zh => ValueWords {
                share: "占总CLV比例".into(),
                cumulative: "累计占比".into(),
                x_axis: "CLV十分位".into(),
            },
        }
    }

    const ALIVE: [usize; 10] = [412, 180, 95, 80, 77, 90, 130, 210, 520, 1306];

    fn alive_words(lang: Lang) -> AliveWords {
        match lang {
            Lang::En => AliveWords {
                x_axis: "Probability of being alive".into(),
                y_axis: "Customers".into(),
            },
            Lang::Zh => AliveWords {
                x_axis: "存活概率".into(),
                y_axis: "客户数".into(),
            },
        }
    }

    #[test]
    fn backtest_has_bars_line_counts_and_words() {
        for lang in [Lang::En, Lang::Zh] {
            let words = backtest_words(lang);
            let svg =
                render_backtest_svg(&frequency_bars(), &words, &ChartStyle::new(lang)).unwrap();
            assert_well_formed(&svg);
            for word in [
                &words.actual,
                &words.predicted,
                &words.x_axis,
                &words.y_axis,
                &words.customers,
            ] {
                assert!(has(&svg, word), "{lang:?}: {word}");
            }
            for label in ["0", "6", "7+", "1411", "64"] {
                assert!(has(&svg, label), "{lang:?}: {label}");
            }
            // Eight bars, background and legend swatch; the predicted points are hollow.
            assert_eq!(svg.matches("<rect").count(), 1 + 1 + 8, "{lang:?}");
            assert!(svg.matches("<circle").count() >= 8 * 2);
        }
        // Fractional ticks keep their decimals.
        let small: Vec<FrequencyBar> = frequency_bars()
            .into_iter()
            .map(|b| FrequencyBar {
                actual: b.actual / 40.0,
                predicted: b.predicted / 40.0,
                ..b
            })
            .collect();
        let svg = render_backtest_svg(&small, &backtest_words(Lang::En), &en()).unwrap();
        assert!(has(&svg, "0.05") && has(&svg, "0.15"), "{:?}", texts(&svg));
    }

    #[test]
    fn tracking_draws_lines_and_the_holdout() {
        for lang in [Lang::En, Lang::Zh] {
            let words = tracking_words(lang);
            let svg =
                render_tracking_svg(&weeks(78), Some(39), &words, &ChartStyle::new(lang)).unwrap();
            assert_well_formed(&svg);
            for word in [
                &words.actual,
                &words.predicted,
                &words.x_axis,
                &words.y_axis,
                &words.holdout,
            ] {
                assert!(has(&svg, word), "{lang:?}: {word}");
            }
            // The holdout shaded, its line dashed (many short segments), week labels round.
            assert!(svg.contains(r##"fill="#F1F4F7""##));
            assert!(has(&svg, "0") && has(&svg, "70"));
            assert!(svg.matches("<polyline").count() > 40);
        }
        // No holdout: neither the word nor the shade.
        let words = tracking_words(Lang::En);
        let svg = render_tracking_svg(&weeks(78), None, &words, &en()).unwrap();
        assert_well_formed(&svg);
        assert!(!has(&svg, "Holdout") && !svg.contains(r##"fill="#F1F4F7""##));
        // Few weeks: points on the lines; one week alone is a point.
        let svg = render_tracking_svg(&weeks(10), Some(5), &words, &en()).unwrap();
        assert!(svg.matches("<circle").count() >= 20);
        let svg = render_tracking_svg(&weeks(1), Some(0), &words, &en()).unwrap();
        assert_well_formed(&svg);
        assert!(svg.contains("<circle"));
    }

    #[test]
    fn tracking_thins_the_labels_of_600_weeks() {
        for style in [en(), zh(), ChartStyle { width: 320, ..en() }] {
            let svg =
                render_tracking_svg(&weeks(600), Some(400), &tracking_words(style.lang), &style)
                    .unwrap();
            assert_well_formed(&svg);
            let words = texts(&svg);
            let labels: Vec<&String> = words
                .iter()
                .filter(|w| {
                    w.parse::<u32>()
                        .is_ok_and(|n| n % 50 == 0 && n > 0 && n <= 600)
                })
                .collect();
            assert!((2..=10).contains(&labels.len()), "{labels:?}");
            assert!(words.iter().any(|w| w == "600" || w == "500"));
        }
    }

    #[test]
    fn value_deciles_label_shares_and_the_cumulative_line() {
        for lang in [Lang::En, Lang::Zh] {
            let words = value_words(lang);
            let svg =
                render_value_deciles_svg(&value_bars(), &words, &ChartStyle::new(lang)).unwrap();
            assert_well_formed(&svg);
            for word in [&words.share, &words.cumulative, &words.x_axis] {
                assert!(has(&svg, word), "{lang:?}: {word}");
            }
            // Labels, shares (whole from 10 %, one decimal below), cumulative shares, the axis.
            for label in [
                "D1", "D10", "52%", "17%", "3.5%", "0.5%", "69%", "100%", "0%",
            ] {
                assert!(has(&svg, label), "{lang:?}: {label}");
            }
            assert_eq!(svg.matches("<rect").count(), 1 + 1 + 10);
        }
        // A narrow chart leaves out what does not fit, and stays valid.
        let narrow = ChartStyle { width: 320, ..en() };
        let bars: Vec<ValueBar> = (0..40)
            .map(|i| ValueBar {
                label: format!("P{i}"),
                value: 1.0,
                share: 0.025,
            })
            .collect();
        let svg = render_value_deciles_svg(&bars, &value_words(Lang::En), &narrow).unwrap();
        assert_well_formed(&svg);
        assert!(!has(&svg, "2.5%"));
    }

    #[test]
    fn p_alive_makes_its_bin_labels() {
        for lang in [Lang::En, Lang::Zh] {
            let words = alive_words(lang);
            let svg = render_p_alive_svg(&ALIVE, &words, &ChartStyle::new(lang)).unwrap();
            assert_well_formed(&svg);
            for word in [&words.x_axis, &words.y_axis] {
                assert!(has(&svg, word), "{lang:?}: {word}");
            }
            for label in ["0–10%", "50–60%", "90–100%", "412", "1306"] {
                assert!(has(&svg, label), "{lang:?}: {label}");
            }
            assert_eq!(svg.matches("<rect").count(), 1 + 10);
        }
        // An empty bin has no bar but its count 0.
        let mut counts = ALIVE;
        counts[3] = 0;
        let svg = render_p_alive_svg(&counts, &alive_words(Lang::En), &en()).unwrap();
        assert_eq!(svg.matches("<rect").count(), 1 + 9);
        // Large counts are compact.
        let svg = render_p_alive_svg(&[25_000; 10], &alive_words(Lang::Zh), &zh()).unwrap();
        assert!(has(&svg, "2.5万"), "{:?}", texts(&svg));
    }

    #[test]
    fn no_data_and_values_that_are_not_finite() {
        let style = en();
        assert!(matches!(
            render_backtest_svg(&[], &backtest_words(Lang::En), &style),
            Err(Error::NoData)
        ));
        assert!(matches!(
            render_tracking_svg(&[], None, &tracking_words(Lang::En), &style),
            Err(Error::NoData)
        ));
        assert!(matches!(
            render_value_deciles_svg(&[], &value_words(Lang::En), &style),
            Err(Error::NoData)
        ));
        assert!(matches!(
            render_p_alive_svg(&[0; 10], &alive_words(Lang::En), &style),
            Err(Error::NoData)
        ));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut bars = frequency_bars();
            bars[2].predicted = bad;
            assert!(is_chart_error(render_backtest_svg(
                &bars,
                &backtest_words(Lang::En),
                &style
            )));
            let mut points = weeks(20);
            points[7].actual = bad;
            assert!(is_chart_error(render_tracking_svg(
                &points,
                Some(10),
                &tracking_words(Lang::En),
                &style
            )));
            let mut values = value_bars();
            values[0].share = bad;
            assert!(is_chart_error(render_value_deciles_svg(
                &values,
                &value_words(Lang::En),
                &style
            )));
            let mut values = value_bars();
            values[9].value = bad;
            assert!(is_chart_error(render_value_deciles_svg(
                &values,
                &value_words(Lang::En),
                &style
            )));
        }
        // A holdout past the last week.
        assert!(is_chart_error(render_tracking_svg(
            &weeks(20),
            Some(20),
            &tracking_words(Lang::En),
            &style
        )));
    }

    #[test]
    fn odd_values_stay_valid() {
        // All zero, negative means, one group; weeks not starting at 1, a flat zero line.
        let zero = [FrequencyBar {
            label: "0".into(),
            customers: 0,
            actual: 0.0,
            predicted: 0.0,
        }];
        let mut negative = frequency_bars();
        negative[0].actual = -0.5;
        let flat: Vec<TrackingPoint> = (30..40)
            .map(|week| TrackingPoint {
                week,
                actual: 0.0,
                predicted: 0.0,
            })
            .collect();
        let mut over = value_bars();
        over[0].share += 1e-9;
        let svgs = [
            render_backtest_svg(&zero, &backtest_words(Lang::En), &en()).unwrap(),
            render_backtest_svg(&negative, &backtest_words(Lang::En), &en()).unwrap(),
            render_tracking_svg(&flat, Some(9), &tracking_words(Lang::En), &en()).unwrap(),
            render_value_deciles_svg(&over, &value_words(Lang::En), &en()).unwrap(),
            render_p_alive_svg(
                &[0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                &alive_words(Lang::En),
                &en(),
            )
            .unwrap(),
        ];
        for svg in &svgs {
            assert_well_formed(svg);
        }
        assert!(texts(&svgs[1]).iter().any(|t| t.starts_with('-')));
        // A share a rounding over 100 % keeps the axis at 100 %.
        assert!(has(&svgs[3], "100%") && !has(&svgs[3], "120%"));
    }

    #[test]
    fn hostile_labels_are_escaped_and_cleaned() {
        let hostile = format!(
            "<script>alert('x')</script>&\u{1}\u{b}\n{}",
            "很长".repeat(50)
        );
        let mut bars = frequency_bars();
        bars[0].label = hostile.clone();
        let mut bw = backtest_words(Lang::En);
        bw.actual = hostile.clone();
        bw.customers = hostile.clone();
        bw.y_axis = hostile.clone();
        let tw = TrackingWords {
            holdout: hostile.clone(),
            x_axis: hostile.clone(),
            ..tracking_words(Lang::Zh)
        };
        let mut values = value_bars();
        values[0].label = hostile.clone();
        let vw = ValueWords {
            share: hostile.clone(),
            ..value_words(Lang::En)
        };
        let aw = AliveWords {
            x_axis: hostile.clone(),
            y_axis: hostile.clone(),
        };
        let svgs = [
            render_backtest_svg(&bars, &bw, &en()).unwrap(),
            render_tracking_svg(&weeks(30), Some(20), &tw, &zh()).unwrap(),
            render_value_deciles_svg(&values, &vw, &en()).unwrap(),
            render_p_alive_svg(&ALIVE, &aw, &en()).unwrap(),
        ];
        for svg in &svgs {
            assert_well_formed(svg);
            assert!(!svg.contains("<script"), "not escaped");
            assert!(svg.contains("&lt;script&gt;"), "left out: {:?}", texts(svg));
            for text in texts(svg) {
                let plain = ["&lt;", "&gt;", "&amp;", "&apos;", "&quot;"]
                    .iter()
                    .fold(text.clone(), |t, e| t.replace(e, "_"));
                assert!(plain.chars().count() <= 81, "{text}");
            }
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(tick_text(0.0, 0.05, 0.3, Lang::En), "0");
        assert_eq!(tick_text(0.15, 0.05, 0.3, Lang::En), "0.15");
        assert_eq!(tick_text(1.5, 0.5, 2.0, Lang::En), "1.5");
        assert_eq!(tick_text(2000.0, 500.0, 2000.0, Lang::En), "2000");
        assert_eq!(tick_text(40_000.0, 10_000.0, 40_000.0, Lang::Zh), "4万");
        assert_eq!(share_text(0.52), "52%");
        assert_eq!(share_text(0.035), "3.5%");
        assert_eq!(share_text(0.0), "0%");
        assert_eq!(alive_bin(0), "0–10%");
        assert_eq!(alive_bin(9), "90–100%");
    }

    /// Writes every chart to `$VL_CHARTS_PREVIEW/clv-*.svg` when that is set (to look at them).
    #[test]
    fn preview() {
        let Ok(dir) = std::env::var("VL_CHARTS_PREVIEW") else {
            return;
        };
        std::fs::create_dir_all(&dir).unwrap();
        let charts = [
            (
                "backtest-en",
                render_backtest_svg(&frequency_bars(), &backtest_words(Lang::En), &en()),
            ),
            (
                "backtest-zh",
                render_backtest_svg(&frequency_bars(), &backtest_words(Lang::Zh), &zh()),
            ),
            (
                "tracking-78",
                render_tracking_svg(&weeks(78), Some(39), &tracking_words(Lang::En), &en()),
            ),
            (
                "tracking-12-zh",
                render_tracking_svg(&weeks(12), Some(8), &tracking_words(Lang::Zh), &zh()),
            ),
            (
                "tracking-600",
                render_tracking_svg(&weeks(600), Some(500), &tracking_words(Lang::En), &en()),
            ),
            (
                "deciles-en",
                render_value_deciles_svg(&value_bars(), &value_words(Lang::En), &en()),
            ),
            (
                "deciles-zh",
                render_value_deciles_svg(&value_bars(), &value_words(Lang::Zh), &zh()),
            ),
            (
                "backtest-narrow",
                render_backtest_svg(
                    &frequency_bars(),
                    &backtest_words(Lang::En),
                    &ChartStyle {
                        width: 320,
                        height: 240,
                        ..en()
                    },
                ),
            ),
            (
                "deciles-narrow",
                render_value_deciles_svg(
                    &value_bars(),
                    &value_words(Lang::En),
                    &ChartStyle {
                        width: 360,
                        height: 240,
                        ..en()
                    },
                ),
            ),
            (
                "alive-en",
                render_p_alive_svg(&ALIVE, &alive_words(Lang::En), &en()),
            ),
            (
                "alive-zh-narrow",
                render_p_alive_svg(
                    &ALIVE,
                    &alive_words(Lang::Zh),
                    &ChartStyle { width: 360, ..zh() },
                ),
            ),
        ];
        for (name, svg) in charts {
            std::fs::write(format!("{dir}/clv-{name}.svg"), svg.unwrap()).unwrap();
        }
    }
}
