//! The presentation layer: from an analysis result and the language, everything a screen or the
//! printed report shows — headline figures with their `data-metric` names, table rows, CSV
//! documents, charts (drawn to SVG by [`crate::charts`], with their title, one-sentence
//! description and data table) and sentences. Pure and tested natively.
//!
//! Imports run one way: `engine` → `charts` → `present` → `ui` (the views) and the report view.
//! A view or the report never computes a share, builds a chart input or a CSV: it asks the
//! module of its analysis here and lays out what it gets, and sends user edits back to state.
//! Every word comes from [`crate::i18n`].
//!
//! # Adding an analysis
//! 1. `src/engine/<analysis>/`: the computation, typed results, typed errors (no sentences).
//! 2. `src/present/<analysis>.rs`: functions of (result, parameters, [`Lang`]) returning the
//!    types below — [`Metric`]s, [`Figure`]s, [`Csv`]s, [`ChartTable`] rows and sentences. Test
//!    them here, natively: labels in both languages, figures against the engine's result.
//! 3. `src/ui/components/<analysis>.rs`: the view. One `Memo` per figure or section, each calling
//!    one function of step 2, so a change redraws only what depends on it; `MetricCard`,
//!    `FigureView` and `CsvButton` lay the types out.
//! 4. A section of the report view built from the same functions (and its sentences in
//!    [`report`]).
//! 5. Browser tests that read `data-metric` values from the page.

pub use crate::a11y::ChartTable;
use crate::a11y::{describe, fill};
use crate::i18n::{format_number, format_percent, Lang};

pub mod clusters;
pub mod clv;
pub mod customers;
pub mod deciles;
pub mod dimensions;
pub mod filter;
pub mod lifecycle;
pub mod loyalty;
pub mod master;
pub mod mix;
pub mod monthly;
pub mod overview;
mod parts;
pub mod profiles;
pub mod report;
pub mod rfm;
pub mod sql;
pub mod swot;

pub use parts::{Cell, CellTable, Notice, Table};

/// A headline figure: shown as a card carrying `data-metric="NAME"` and `data-value="RAW"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// Machine name (`customers`, `gini` …), for `data-metric`.
    pub name: &'static str,
    /// Label in the current language.
    pub label: String,
    /// Raw value (`NaN` when there is none; `data-value` is then empty).
    pub value: f64,
    /// The value as shown.
    pub display: String,
    /// A note under the figure.
    pub note: Option<String>,
    /// Emphasis (`warn`, `good`), when the figure needs the reader's attention.
    pub tone: Option<&'static str>,
}

impl Metric {
    /// A figure without a note or tone.
    pub fn new(name: &'static str, label: &str, value: f64, display: String) -> Self {
        Metric {
            name,
            label: label.to_string(),
            value,
            display,
            note: None,
            tone: None,
        }
    }

    /// A count: the whole number as raw value, grouped in thousands as shown.
    pub fn count(name: &'static str, label: &str, count: u64) -> Self {
        Metric::new(name, label, count as f64, format_number(count as f64, 0))
    }

    /// The same figure with a note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// The same figure with an emphasis.
    pub fn tone(mut self, tone: &'static str) -> Self {
        self.tone = Some(tone);
        self
    }

    /// The figure's raw value for `data-value`.
    pub fn raw(&self) -> String {
        raw_value(self.value)
    }
}

/// A figure inside a table or a line of text: read by tools and tests as `data-metric="NAME"`
/// `data-value="RAW"`, shown as `display`.
#[derive(Debug, Clone, PartialEq)]
pub struct DataCell {
    /// Machine name for `data-metric` (`segment_count:Champions`, `rfm_threshold_r_1` …).
    pub metric: String,
    /// Raw value (`NaN` when there is none).
    pub value: f64,
    /// The value as shown.
    pub display: String,
}

impl DataCell {
    /// The raw value for `data-value` (empty when there is none).
    pub fn raw(&self) -> String {
        raw_value(self.value)
    }
}

/// Formats a raw value for `data-value`: plain digits, `.` decimal, no grouping, no exponent;
/// empty for a missing value.
pub fn raw_value(value: f64) -> String {
    if value.is_finite() {
        // `-0` would read as a different number to strict comparisons.
        format!("{}", value + 0.0)
    } else {
        String::new()
    }
}

/// A chart ready to show: the SVG (or why there is none), its accessible name and description,
/// and the figures it is drawn from as a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Machine name (`data-chart`, file names of downloads).
    pub name: &'static str,
    /// Title, in the current language (the SVG's accessible name).
    pub title: String,
    /// What the chart shows and, when there is one, what it says.
    pub desc: String,
    /// The figures the chart is drawn from.
    pub table: ChartTable,
    /// The SVG markup, or the reason in words why it could not be drawn.
    pub svg: Result<String, String>,
}

impl Figure {
    /// A figure from a drawing result; a drawing error becomes its sentence in `lang`. Tells the
    /// hook of [`on_figure_made`], if any, its name.
    pub fn new(
        name: &'static str,
        title: String,
        what: &str,
        finding: Option<String>,
        table: ChartTable,
        svg: Result<String, crate::engine::Error>,
        lang: Lang,
    ) -> Self {
        if let Some(hook) = FIGURE_HOOK.get() {
            hook(name);
        }
        Figure {
            name,
            title,
            desc: describe(what, finding),
            table,
            svg: svg.map_err(|e| crate::i18n::error_text(&e, lang)),
        }
    }
}

static FIGURE_HOOK: std::sync::OnceLock<fn(&str)> = std::sync::OnceLock::new();

/// Registers `hook`, called with a figure's name each time [`Figure::new`] makes one (a chart
/// was drawn). The UI marks each on the page's performance timeline, so that a browser test can
/// count what a change redraws. The first registration stays.
pub fn on_figure_made(hook: fn(&str)) {
    let _ = FIGURE_HOOK.set(hook);
}

/// A table offered as a CSV download (UTF-8 with BOM, formula-injection safe, numbers raw).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Csv {
    /// File name without extension.
    pub file: String,
    /// Header cells.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

impl Csv {
    /// The CSV file's text.
    pub fn document(&self) -> String {
        let header: Vec<&str> = self.header.iter().map(String::as_str).collect();
        crate::engine::export::csv_document(
            &header,
            self.rows.iter().map(|r| {
                r.iter()
                    .map(|c| std::borrow::Cow::Borrowed(c.as_str()))
                    .collect::<Vec<_>>()
            }),
        )
    }
}

/// A share as shown in tables and notes: one decimal, "–" when there is none.
pub fn share(value: Option<f64>) -> String {
    value
        .map(|v| format_percent(v, 1))
        .unwrap_or_else(|| "–".into())
}

/// A raw number cell for a CSV (six decimals at most, no grouping).
pub fn number(value: f64) -> String {
    crate::engine::export::number_cell(value, 6).into_owned()
}

/// A raw optional number cell for a CSV (empty when there is none).
pub fn optional(value: Option<f64>) -> String {
    value.map(number).unwrap_or_default()
}

/// A sentence from an i18n template and its values (`{0}`, `{1}` …).
pub fn sentence(template: &str, values: &[String]) -> String {
    fill(template, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_values_are_plain_numbers() {
        assert_eq!(raw_value(1234.5), "1234.5");
        assert_eq!(raw_value(-0.0), "0");
        assert_eq!(raw_value(f64::NAN), "");
        assert_eq!(raw_value(1e21), "1000000000000000000000");
    }

    #[test]
    fn a_csv_document_is_safe_and_raw() {
        let csv = Csv {
            file: "x".into(),
            header: vec!["id".into(), "sales".into()],
            rows: vec![vec!["=cmd".into(), number(1234.5)]],
        };
        let text = csv.document();
        assert!(text.contains("'=cmd"), "{text}");
        assert!(text.contains("1234.5"), "{text}");
    }

    #[test]
    fn every_figure_made_is_told_to_the_hook() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static MADE: AtomicUsize = AtomicUsize::new(0);
        on_figure_made(|name| {
            if name == "hook-test" {
                MADE.fetch_add(1, Ordering::SeqCst);
            }
        });
        let table = ChartTable::new(["a"]);
        for _ in 0..2 {
            let figure = Figure::new(
                "hook-test",
                "t".into(),
                "w",
                None,
                table.clone(),
                Ok("<svg/>".into()),
                Lang::En,
            );
            assert_eq!(figure.svg.as_deref(), Ok("<svg/>"));
        }
        assert_eq!(MADE.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_missing_share_is_a_dash() {
        assert_eq!(share(None), "–");
        assert_eq!(share(Some(0.256)), "25.6%");
    }
}
