//! The monthly table's input next to a per-customer summary (issue 17,
//! `data-input="monthly-file"`): read on the page against the summary; when every row is read
//! and every customer adds up, the data set is replaced by the same customers with their months
//! (so the sales per month and the declining group follow), else nothing changes and the data
//! view says why. What it says comes from `present::monthly`.

use std::cell::RefCell;
use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use crate::engine::error::{Error, FormatProblem, FormatSubject};
use crate::engine::formats::{self, FileKind};
use crate::engine::ingest::encoding::LanguageHint;
use crate::engine::monthly::monthly_sales;
use crate::engine::monthly::readback::{
    check_monthly, monthly_text_options, read_monthly_decoded, MonthlyError, MonthlyReadBack,
};
use crate::i18n::{Lang, Text};
use crate::present::monthly::monthly_notice;
use crate::ui::analyst::{read_table_rows, read_text, TableJob, TextReader};
use crate::ui::browser;
use crate::ui::state::{AppState, LoadedData};

/// The value of the input's `data-input`.
pub const MONTHLY_INPUT: &str = "monthly-file";

/// The largest monthly table read on the page (bytes).
pub const MONTHLY_MAX_BYTES: f64 = 200.0 * 1024.0 * 1024.0;

/// A monthly table read against a data set: the file's name, what reading it gave, and the data
/// set it belongs to (the summary it was refused for, or the summary with its months), so a new
/// import hides it.
#[derive(Debug, Clone)]
pub struct MonthlyRead {
    /// The file's name.
    pub file_name: String,
    /// What reading it gave.
    pub read: Result<MonthlyReadBack, MonthlyError>,
    /// The data set shown with it.
    pub data: Arc<LoadedData>,
}

impl PartialEq for MonthlyRead {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.data, &other.data)
            && self.file_name == other.file_name
            && self.read == other.read
    }
}

fn hint(lang: Lang) -> LanguageHint {
    match lang {
        Lang::Zh => LanguageHint::SimplifiedChinese,
        Lang::En => LanguageHint::Other,
    }
}

thread_local! {
    /// The analysis worker reading the last workbook or Parquet file given (kept until the next
    /// one: it ends itself once it has answered, and dropping it ends it before).
    static TABLE_JOB: RefCell<Option<TableJob>> = const { RefCell::new(None) };
}

/// Reads `bytes` against the summary `data` and shows what came of it: a text file on the page,
/// a workbook or a Parquet file read to its rows by the analysis worker first (the table readers
/// are not in the page's bundle).
fn read(state: AppState, data: Arc<LoadedData>, file_name: String, bytes: &[u8]) {
    if formats::sniff(bytes) == FileKind::Text {
        let decoding = monthly_text_options(hint(state.lang.get_untracked()));
        read_text(TextReader::Monthly, bytes, decoding, move |text| {
            let read = text.map_err(MonthlyError::Read).and_then(|decoded| {
                read_monthly_decoded(&decoded, &file_name, &data.outcome.table)
            });
            apply(state, data, file_name, read);
        });
        return;
    }
    let job = {
        let (data, file_name) = (data.clone(), file_name.clone());
        read_table_rows(bytes, 0, move |rows| {
            let read = rows.map_err(MonthlyError::Read).and_then(|(names, rows)| {
                check_monthly(&names, rows, &file_name, &data.outcome.table)
            });
            apply(state, data, file_name, read);
        })
    };
    match job {
        Ok(job) => TABLE_JOB.with(|slot| *slot.borrow_mut() = Some(job)),
        Err(_) => {
            let error = Error::Format {
                what: FormatSubject::Response,
                reason: FormatProblem::WorkerStopped {
                    detail: "the analysis worker did not start".into(),
                },
            };
            apply(state, data, file_name, Err(MonthlyError::Read(error)));
        }
    }
}

/// Shows what reading a monthly table against the summary `data` gave and, when it is
/// accepted, the summary with its months.
fn apply(
    state: AppState,
    data: Arc<LoadedData>,
    file_name: String,
    read: Result<MonthlyReadBack, MonthlyError>,
) {
    let applied = read
        .as_ref()
        .ok()
        .and_then(|r| r.apply(&data.outcome.table));
    let shown = match applied {
        Some(table) => {
            let mut outcome = data.outcome.clone();
            outcome.table = table;
            let monthly = monthly_sales(&outcome.table);
            let next = Arc::new(LoadedData::from_parts(
                data.file_name.clone(),
                data.source,
                outcome,
                data.summary.clone(),
                monthly,
            ));
            state.data.set(Some(next.clone()));
            next
        }
        None => data,
    };
    state.monthly_read.set(Some(Arc::new(MonthlyRead {
        file_name,
        read,
        data: shown,
    })));
}

/// The monthly table's input and, once one was read, what came of it.
#[component]
pub fn MonthlyPanel(data: Arc<LoadedData>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move |text: Text| state.t(text);
    let on_change = {
        let data = data.clone();
        move |event: ev::Event| {
            let input: HtmlInputElement = event_target(&event);
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                let file = gloo_file::File::from(file);
                let name = file.name();
                let data = data.clone();
                if file.size() as f64 > MONTHLY_MAX_BYTES {
                    let error = crate::engine::formats::table_error(
                        crate::engine::formats::kind_by_name(&name),
                        crate::engine::formats::TableProblem::TooLarge {
                            bytes: file.size(),
                            limit: MONTHLY_MAX_BYTES as u64,
                        },
                    );
                    state.monthly_read.set(Some(Arc::new(MonthlyRead {
                        file_name: name,
                        read: Err(MonthlyError::Read(error)),
                        data,
                    })));
                } else {
                    leptos::task::spawn_local(async move {
                        let bytes = gloo_file::futures::read_as_bytes(&file).await;
                        let bytes = bytes.unwrap_or_default();
                        read(state, data, name, &bytes);
                    });
                }
            }
            input.set_value("");
        }
    };
    let shown = {
        let data = data.clone();
        move || {
            let lang = state.lang.get();
            let read = state.monthly_read.get()?;
            if !Arc::ptr_eq(&read.data, &data) {
                return None;
            }
            let notice = monthly_notice(&read.file_name, &read.read, lang);
            let metrics = notice
                .metrics
                .into_iter()
                .map(|m| view! { <span hidden data-metric=m.name data-value=m.value.to_string()>{m.display}</span> })
                .collect_view();
            let problems = (!notice.problems.is_empty()).then(|| {
                let items = notice
                    .problems
                    .into_iter()
                    .map(|p| view! { <li>{p}</li> })
                    .collect_view();
                view! { <ul class="vl-list" data-list="monthly-problems">{items}</ul> }
            });
            let (class, note) = if notice.applied {
                ("vl-note", "monthly-applied")
            } else {
                ("vl-status vl-status--error", "monthly-refused")
            };
            Some(view! {
                <p class=class role=(!notice.applied).then_some("alert") data-note=note>{notice.sentence}</p>
                {metrics}
                {problems}
            })
        }
    };
    // Once the months are there, the input is no longer offered.
    let has_months = !data.monthly().is_empty();
    view! {
        <div class="vl-monthly" data-panel="monthly-readback">
            {(!has_months).then(|| view! {
                <h3 class="vl-panel__subtitle">{move || t(Text::MonthlyTitle)}</h3>
                <p class="vl-note">{move || t(Text::MonthlyHint)}</p>
                <button
                    class="vl-button vl-button--small"
                    type="button"
                    data-action="choose-monthly"
                    on:click=move |_| browser::click(r#"[data-input="monthly-file"]"#)
                >
                    {move || t(Text::MonthlyChoose)}
                </button>
                <input
                    class="vl-upload__input"
                    type="file"
                    tabindex="-1"
                    aria-label=move || t(Text::MonthlyTitle)
                    accept=".csv,.tsv,.txt,.xlsx,.parquet,text/csv,text/plain"
                    data-input=MONTHLY_INPUT
                    on:change=on_change
                />
            })}
            {shown}
        </div>
    }
}
