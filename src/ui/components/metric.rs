//! A headline figure. The element carries `data-metric="NAME"` and `data-value="RAW"` (a plain
//! number, `.` decimal, no grouping) so tools and tests can read figures without parsing text.

use leptos::prelude::*;

pub use crate::present::raw_value;

/// One headline figure.
#[component]
pub fn Metric(
    /// Machine name (`customers`, `total_sales` …).
    name: &'static str,
    /// Label in the current language.
    label: &'static str,
    /// Raw value.
    value: f64,
    /// Formatted value.
    display: String,
    /// Optional note under the figure.
    #[prop(optional)]
    note: Option<String>,
    /// Emphasis modifier (`warn` when non-zero rejected rows, for instance).
    #[prop(optional)]
    tone: Option<&'static str>,
) -> impl IntoView {
    let class = match tone {
        Some(tone) => format!("vl-metric vl-metric--{tone}"),
        None => "vl-metric".to_string(),
    };
    view! {
        <div class=class data-metric=name data-value=raw_value(value)>
            <div class="vl-metric__label">{label}</div>
            <div class="vl-metric__value">{display}</div>
            {note.map(|n| view! { <div class="vl-metric__note">{n}</div> })}
        </div>
    }
}

/// A headline figure of the presentation layer.
#[component]
pub fn MetricCard(
    /// The figure, from `crate::present`.
    metric: crate::present::Metric,
) -> impl IntoView {
    let class = match metric.tone {
        Some(tone) => format!("vl-metric vl-metric--{tone}"),
        None => "vl-metric".to_string(),
    };
    let raw = metric.raw();
    view! {
        <div class=class data-metric=metric.name data-value=raw>
            <div class="vl-metric__label">{metric.label}</div>
            <div class="vl-metric__value">{metric.display}</div>
            {metric.note.map(|n| view! { <div class="vl-metric__note">{n}</div> })}
        </div>
    }
}
