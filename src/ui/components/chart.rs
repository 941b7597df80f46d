//! Shows an SVG string made by `crate::charts`, with its title for screen readers.

use leptos::prelude::*;

/// A chart figure.
#[component]
pub fn SvgChart(
    /// The SVG markup (made by plotters; labels sanitised).
    svg: String,
    /// Accessible description.
    label: String,
    /// Machine name, for tests and exports (`data-chart`).
    name: &'static str,
) -> impl IntoView {
    view! {
        <figure class="vl-chart" data-chart=name role="img" aria-label=label>
            <div class="vl-chart__svg" inner_html=svg></div>
        </figure>
    }
}
