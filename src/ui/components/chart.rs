//! Shows an SVG string made by `crate::charts`, with its title and description for screen readers
//! and its figures as a table, and offers it as an SVG file or a PNG rendered in the browser from
//! the same SVG. The data-table toggle and the download buttons share a bar under the drawing,
//! never over it (a chart's title is part of its SVG, so buttons laid over the SVG covered it).

use leptos::prelude::*;

use crate::a11y::{svg_with_text_alternative, ChartTable};
use crate::i18n::Text;
use crate::present::{Csv, Figure};
use crate::ui::browser;
use crate::ui::state::AppState;

/// A file-name-safe stem from a chart title.
fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A chart figure: the SVG with its text alternative (`role="img"`, a `<title>` and a one-sentence
/// `<desc>`), its download buttons, and the figures it is drawn from in a table one click away.
#[component]
pub fn SvgChart(
    /// The SVG markup (made by plotters; labels sanitised).
    svg: String,
    /// The chart's title (its accessible name).
    label: String,
    /// What the chart shows, in a sentence (its accessible description).
    desc: String,
    /// The figures the chart is drawn from.
    table: ChartTable,
    /// Machine name, for tests and exports (`data-chart`).
    name: &'static str,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let svg = svg_with_text_alternative(&svg, name, &label, &desc);
    let svg_for_file = svg.clone();
    let svg_for_png = svg.clone();
    let download_svg = move |_| {
        let _ = browser::download(
            &format!("{}.svg", file_stem(name)),
            "image/svg+xml",
            &svg_for_file,
        );
    };
    let download_png = move |_| {
        let svg = svg_for_png.clone();
        leptos::task::spawn_local(async move {
            match browser::svg_to_png(&svg, 2.0).await {
                Ok(blob) => {
                    let _ = browser::download_blob(&format!("{}.png", file_stem(name)), &blob);
                }
                Err(error) => web_sys::console::error_1(&error),
            }
        });
    };
    let ChartTable { header, rows } = table;
    let region_label = label.clone();
    let head = header
        .into_iter()
        .map(|h| view! { <th scope="col">{h}</th> })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|row| {
            let mut cells = row.into_iter();
            let first = cells.next().unwrap_or_default();
            view! {
                <tr>
                    <th scope="row">{first}</th>
                    {cells.map(|c| view! { <td class="vl-table__num">{c}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="vl-chart" data-chart=name>
            <div class="vl-chart__svg" inner_html=svg></div>
            <div class="vl-chart__foot">
                <details class="vl-chart__data" data-chart-table=name>
                    <summary class="vl-chart__data-toggle">{move || state.t(Text::ChartDataTable)}</summary>
                    <div class="vl-table-wrap" tabindex="0" role="region" aria-label=move || format!("{} · {}", region_label, state.t(Text::DataTableName))>
                        <table class="vl-table vl-table--compact">
                            <caption class="vl-visually-hidden">{label.clone()}</caption>
                            <thead><tr>{head}</tr></thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                </details>
                <div class="vl-chart__actions">
                    <button class="vl-chart__button" type="button" data-action="chart-svg" title=move || state.t(Text::DownloadSvg) aria-label=move || state.t(Text::DownloadSvg) on:click=download_svg>"SVG"</button>
                    <button class="vl-chart__button" type="button" data-action="chart-png" title=move || state.t(Text::DownloadPng) aria-label=move || state.t(Text::DownloadPng) on:click=download_png>"PNG"</button>
                </div>
            </div>
        </figure>
    }
}

/// `performance.mark("valuelens:figure:NAME")`, one entry per figure made (none cleared): the
/// hook `crate::present::on_figure_made` calls, so browser tests count what a change redraws.
pub fn mark_figure(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(&format!("valuelens:figure:{name}"));
    }
}

/// A chart of the presentation layer: the SVG with its text alternative, download buttons and
/// data table ([`SvgChart`]), or, when it could not be drawn, the reason as a note.
#[component]
pub fn FigureView(
    /// The figure, from `crate::present`.
    figure: Figure,
) -> impl IntoView {
    let Figure {
        name,
        title,
        desc,
        table,
        svg,
    } = figure;
    match svg {
        Ok(svg) => {
            view! { <SvgChart svg=svg label=title desc=desc table=table name=name /> }.into_any()
        }
        Err(reason) => view! { <p class="vl-note" data-chart-missing=name>{reason}</p> }.into_any(),
    }
}

/// A chart of the presentation layer as the printed report shows it: the SVG with its text
/// alternative, no buttons and no data table (the report's own tables carry the figures); when
/// it could not be drawn, the reason as a note.
#[component]
pub fn PrintedFigure(
    /// The figure, from `crate::present`.
    figure: Figure,
    /// The report's own name for it (`data-chart`), when it differs from the screen's.
    #[prop(optional)]
    name: Option<&'static str>,
) -> impl IntoView {
    let name = name.unwrap_or(figure.name);
    let Figure {
        title, desc, svg, ..
    } = figure;
    match svg {
        Ok(svg) => {
            let svg = svg_with_text_alternative(&svg, name, &title, &desc);
            view! { <figure class="vl-report__figure" data-chart=name inner_html=svg></figure> }
                .into_any()
        }
        Err(reason) => view! { <p class="vl-note" data-chart-missing=name>{reason}</p> }.into_any(),
    }
}

/// Offers `csv` as a download named after its file.
fn download_csv(csv: &Csv) {
    let _ = browser::download(
        &format!("{}.csv", file_stem(&csv.file)),
        "text/csv;charset=utf-8",
        &csv.document(),
    );
}

/// A button that downloads a table as CSV (UTF-8 with BOM, formula-injection safe, numbers raw).
#[component]
pub fn CsvButton(
    /// The table, from `crate::present`.
    csv: Csv,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = csv.file.clone();
    let download = move |_| download_csv(&csv);
    view! {
        <button class="vl-button vl-button--small" type="button" data-action="table-csv" data-table-csv=name on:click=download>
            {move || state.t(Text::ExportCsv)}
        </button>
    }
}

/// A button that downloads a table as CSV, made only when it is clicked: for tables too large
/// to build on every change (every at-risk or lapsed customer of a million).
#[component]
pub fn CsvLaterButton(
    /// The file name without extension (as [`Csv::file`]).
    file: String,
    /// Makes the table.
    make: std::sync::Arc<dyn Fn() -> Option<Csv> + Send + Sync>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = file;
    let download = move |_| {
        if let Some(csv) = make() {
            download_csv(&csv);
        }
    };
    view! {
        <button class="vl-button vl-button--small" type="button" data-action="table-csv" data-table-csv=name on:click=download>
            {move || state.t(Text::ExportCsv)}
        </button>
    }
}
