//! "Run this on DuckDB / Spark" (在 DuckDB / Spark 上运行): the SQL pack of the loaded data's
//! mapping and the current parameters (`engine::sql`), with its how-to (`present::sql`), offered
//! as two downloads. Nothing leaves the browser: the file is written here and saved by the user.

use std::sync::Arc;

use leptos::prelude::*;

use crate::engine::sql::{write_sql, Dialect, SqlParams, SqlSource};
use crate::i18n::{error_text, Text};
use crate::present::sql::sql_how_to;
use crate::ui::browser;
use crate::ui::state::{AppState, LoadedData};

/// The source table's placeholder name written into the files (the user names theirs).
const SOURCE_TABLE: &str = "orders";

/// The panel of the data view, below the overview.
#[component]
pub fn SqlPanel(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    // Issue 17: the pack's input is order lines, which a per-customer summary is not.
    if data.outcome.report.settings.summary.is_some() {
        return view! {
            <details class="vl-panel" data-panel="sql">
                <summary class="vl-panel__title">{move || state.t(Text::SqlTitle)}</summary>
                <p class="vl-note" data-note="summary-limited">{move || state.t(Text::SumLimitedSql)}</p>
            </details>
        }
        .into_any();
    }
    let packs = Memo::new(move |_| {
        let source = SqlSource::from_settings(SOURCE_TABLE, &data.outcome.report.settings);
        let params = SqlParams {
            groups: state.decile_config.get(),
            rfm: state.rfm_config.get(),
            segments: state.rfm_rules.get(),
        };
        [Dialect::DuckDb, Dialect::Spark]
            .map(|dialect| write_sql(&source, &params, dialect).map(Arc::new))
    });
    let part = move |k: usize| {
        move || {
            let lang = state.lang.get();
            packs.with(|packs| match &packs[k] {
                Ok(pack) => {
                    let how = sql_how_to(pack, lang);
                    let steps = how
                        .steps
                        .into_iter()
                        .map(|s| view! { <li>{s}</li> })
                        .collect_view();
                    let text = pack.clone();
                    let name = how.file_name.clone();
                    let action = format!("sql-{}", pack.dialect.as_str());
                    view! {
                        <div class="vl-sql" data-sql=pack.dialect.as_str()>
                            <p>{how.intro}</p>
                            <ol class="vl-steps">{steps}</ol>
                            {how.note.map(|n| view! { <p class="vl-note">{n}</p> })}
                            <button class="vl-button vl-button--small" type="button" data-action=action
                                on:click=move |_| {
                                    let _ = browser::download(&name, "application/sql", &text.text);
                                }>
                                {how.download}
                            </button>
                        </div>
                    }
                    .into_any()
                }
                Err(error) => view! {
                    <p class="vl-status vl-status--error" role="alert">{error_text(error, lang)}</p>
                }
                .into_any(),
            })
        }
    };
    view! {
        <details class="vl-panel" data-panel="sql">
            <summary class="vl-panel__title">{move || state.t(Text::SqlTitle)}</summary>
            {part(0)}
            {part(1)}
        </details>
    }
    .into_any()
}
