//! The customer master file's input (客户主数据, issue 20): a second file next to the orders,
//! read on the page and joined onto the loaded orders' customers; its column guesses (the id
//! column and each attribute's kind, editable: the file is read again with the choice), the
//! join's figures, the duplicate warning, the rows not read, and the lists of unmatched
//! customers and prospects with their CSVs. Its attributes reach the breakdowns through
//! [`AppState::customer_attributes`].

use std::cell::Cell;
use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

use super::chart::CsvLaterButton;
use super::drop_zone::DropZone;
use super::metric::MetricCard;
use crate::display::{isolated, CELL_CHARS};
use crate::engine::dimensions::AttributeKind;
use crate::engine::error::Error;
use crate::engine::ingest::TextOptions;
use crate::engine::master::{
    CustomerMaster, JoinSteps, MasterOptions, MasterReading, JOIN_PIECE_CUSTOMERS,
    MASTER_PIECE_BYTES,
};
use crate::i18n::{attribute_kind_text, error_text, Text};
use crate::present::master::{
    duplicate_warning, figures, prospect_header, prospect_rows, prospects_csv, rejected_messages,
    unmatched_csv, unmatched_ids, MASTER_INPUT, PROSPECTS_CSV, UNMATCHED_CSV,
};
use crate::present::sentence;
use crate::present::Csv;
use crate::protocol::RestoredMaster;
use crate::ui::analyst::{read_text, TextReader};
use crate::ui::browser;
use crate::ui::state::{AppState, LoadedData, LoadedMaster, MasterProblem};

/// The largest master file read (bytes).
pub const MASTER_MAX_BYTES: f64 = crate::engine::master::MAX_MASTER_BYTES as f64;

/// Reads `bytes` with `options` and joins it onto the loaded orders, or says why not: a piece
/// of the file decoded and read, then a slice of the customers, a task ([`MasterJob`]; a
/// million-row file read at once held the page for over a second). A file in a legacy encoding
/// is decoded by the analysis worker first ([`MasterJob::decode_elsewhere`]).
fn read(state: AppState, file_name: String, bytes: Arc<Vec<u8>>, options: &MasterOptions) {
    let Some(data) = state.data.get_untracked() else {
        state.master_problem.set(Some(MasterProblem::NoOrders));
        return;
    };
    state.master_problem.set(None);
    MasterJob {
        state,
        mine: next_job(),
        file_name,
        options: options.clone(),
        bytes,
        data,
        stage: Stage::Done,
        onto: Onto::Page,
    }
    .start();
}

/// Reads the master file kept with a workspace being restored (`kept`) and joins it onto
/// `data`, the workspace's orders, not on the page yet, as a picked file is read (a piece a
/// task); `then` gets the master or why not, and puts both on the page.
pub(crate) fn read_restored(
    state: AppState,
    kept: RestoredMaster,
    data: Arc<LoadedData>,
    then: impl FnOnce(Result<LoadedMaster, Error>) + 'static,
) {
    MasterJob {
        state,
        mine: 0,
        file_name: kept.file_name,
        options: kept.options,
        bytes: Arc::new(kept.bytes),
        data,
        stage: Stage::Done,
        onto: Onto::Restored(Some(Box::new(then))),
    }
    .start();
}

thread_local! {
    /// The number of the last master reading or join started: an older one stops.
    static JOB: Cell<u64> = const { Cell::new(0) };
}

/// A new number for a reading or join, which stops the ones before.
fn next_job() -> u64 {
    JOB.with(|job| {
        job.set(job.get() + 1);
        job.get()
    })
}

/// A master file read, then joined onto the orders, a piece a task.
struct MasterJob {
    state: AppState,
    mine: u64,
    file_name: String,
    options: MasterOptions,
    bytes: Arc<Vec<u8>>,
    /// The orders it is joined onto.
    data: Arc<LoadedData>,
    stage: Stage,
    onto: Onto,
}

/// Where a [`MasterJob`]'s master goes.
enum Onto {
    /// Onto the page's orders (onto new ones when they load meanwhile); a newer job stops it.
    Page,
    /// To a workspace being restored, which puts it on the page with its orders.
    Restored(Option<ThenMaster>),
}

/// What a restored workspace does with its master file, once read (or why not).
type ThenMaster = Box<dyn FnOnce(Result<LoadedMaster, Error>)>;

enum Stage {
    Reading(Box<MasterReading>),
    Joining(Arc<CustomerMaster>, JoinSteps),
    Done,
}

impl MasterJob {
    /// Reads the file a piece a task, or has the analysis worker decode it first.
    fn start(mut self) {
        self.state.master_reading.set(Some(0.0));
        match MasterReading::of_bytes(self.bytes.clone(), &self.options) {
            Ok(reading) => self.reading(reading).run(),
            Err(Error::LegacyEncoding { .. }) => self.decode_elsewhere(),
            Err(error) => self.end(Err(error)),
        }
    }

    /// This job reading with `reading`.
    fn reading(self, reading: MasterReading) -> MasterJob {
        MasterJob {
            stage: Stage::Reading(Box::new(reading)),
            ..self
        }
    }

    /// The file decoded by the analysis worker (its encoding is a legacy one, which the page
    /// cannot decode), then read a piece a task.
    fn decode_elsewhere(mut self) {
        let decoding = TextOptions::of(&self.options.file);
        let bytes = self.bytes.clone();
        read_text(TextReader::Master, &bytes, decoding, move |text| match text
            .and_then(|decoded| MasterReading::new(decoded, &self.options))
        {
            Ok(reading) => self.reading(reading).run(),
            Err(error) => self.end(Err(error)),
        });
    }

    /// A job of its own, to go on where this one stops.
    fn handed_on(&mut self) -> MasterJob {
        MasterJob {
            state: self.state,
            mine: self.mine,
            file_name: std::mem::take(&mut self.file_name),
            options: self.options.clone(),
            bytes: self.bytes.clone(),
            data: self.data.clone(),
            stage: Stage::Done,
            onto: std::mem::replace(&mut self.onto, Onto::Restored(None)),
        }
    }

    /// The master, or why not, where it goes (unless a newer job took over the page's).
    fn end(&mut self, master: Result<LoadedMaster, Error>) {
        let state = self.state;
        match &mut self.onto {
            Onto::Page if JOB.with(Cell::get) != self.mine => {}
            Onto::Page => {
                state.master_reading.set(None);
                match master {
                    Ok(master) => {
                        state.master_problem.set(None);
                        state.master.set(Some(Arc::new(master)));
                    }
                    Err(error) => state.master_problem.set(Some(MasterProblem::Import(error))),
                }
            }
            Onto::Restored(then) => {
                state.master_reading.set(None);
                // In a task of its own: the workspace put on the page renders every view
                // (25 ms at 967,209 customers, a task of 51 ms with the join's last slice).
                if let Some(then) = then.take() {
                    leptos::prelude::set_timeout(move || then(master), std::time::Duration::ZERO);
                }
            }
        }
    }

    /// Takes the next pieces from the next task on, as many a task as
    /// [`TASK_BUDGET_MS`](super::view_parts::TASK_BUDGET_MS) allows, until the master is on the
    /// page or a newer job took over; the progress is shown between tasks.
    fn run(self) {
        super::view_parts::in_budget(self, MasterJob::advance, |job| {
            job.state.master_reading.set(Some(job.fraction()));
        });
    }

    /// One piece, and what it leads to; false once nothing is left to do.
    fn advance(&mut self) -> bool {
        if let Onto::Page = self.onto {
            if JOB.with(Cell::get) != self.mine {
                return false;
            }
            // Other orders came meanwhile: the master goes onto them (joined anew).
            match self.state.data.get_untracked() {
                None => {
                    self.state.master_reading.set(None);
                    return false;
                }
                Some(data) if !Arc::ptr_eq(&data, &self.data) => {
                    self.data = data;
                    if let Stage::Joining(master, join) = &mut self.stage {
                        *join = JoinSteps::new(master);
                    }
                }
                Some(_) => {}
            }
        }
        match self.step() {
            Ok(None) => return true,
            // Its head is UTF-8 but not the rest: the worker decodes it as a whole file.
            Err(Error::LegacyEncoding { .. }) => self.handed_on().decode_elsewhere(),
            Ok(Some(done)) => self.end(Ok(done)),
            Err(error) => self.end(Err(error)),
        }
        false
    }

    /// One piece; the master joined once all are done.
    fn step(&mut self) -> Result<Option<LoadedMaster>, Error> {
        let table = &self.data.outcome.table;
        match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Reading(mut reading) => {
                self.stage = match reading.step(MASTER_PIECE_BYTES) {
                    true => {
                        let master = Arc::new(reading.finish()?);
                        let join = JoinSteps::new(&master);
                        Stage::Joining(master, join)
                    }
                    false => Stage::Reading(reading),
                };
                Ok(None)
            }
            Stage::Joining(master, mut join) => {
                if !join.step(&master, table, JOIN_PIECE_CUSTOMERS) {
                    self.stage = Stage::Joining(master, join);
                    return Ok(None);
                }
                let join = join.finish(&master);
                Ok(Some(LoadedMaster::joined(
                    std::mem::take(&mut self.file_name),
                    master,
                    self.options.clone(),
                    &self.data,
                    self.bytes.clone(),
                    join,
                )))
            }
            Stage::Done => Ok(None),
        }
    }

    /// How far, 0 to 1: reading is most of the work.
    fn fraction(&self) -> f64 {
        match &self.stage {
            Stage::Reading(reading) => 0.8 * reading.fraction(),
            Stage::Joining(_, join) => {
                let customers = self.data.outcome.table.customers.len().max(1);
                0.8 + 0.2 * join.joined() as f64 / customers as f64
            }
            Stage::Done => 1.0,
        }
    }
}

/// Reads a picked master file.
fn open(state: AppState, file: gloo_file::File) {
    if file.size() as f64 > MASTER_MAX_BYTES {
        state.master_problem.set(Some(MasterProblem::TooLarge));
        return;
    }
    let name = file.name();
    leptos::task::spawn_local(async move {
        match gloo_file::futures::read_as_bytes(&file).await {
            Ok(bytes) => read(state, name, Arc::new(bytes), &MasterOptions::default()),
            Err(_) => state.master_problem.set(Some(MasterProblem::Unreadable)),
        }
    });
}

/// The loaded master read again with another id column (`id`, the kinds guessed again) or
/// another kind for one attribute column (`kind`).
fn reread(state: AppState, id: Option<usize>, kind: Option<(usize, AttributeKind)>) {
    let Some(loaded) = state.master.get_untracked() else {
        return;
    };
    let master = &loaded.master;
    let options = match (id, kind) {
        (Some(id), _) => MasterOptions {
            id_column: Some(id),
            ..MasterOptions::default()
        },
        (None, Some((column, kind))) => MasterOptions {
            id_column: Some(master.id_column),
            kinds: master
                .columns
                .iter()
                .map(|c| (c.column, if c.column == column { kind } else { c.kind }))
                .collect(),
            ..MasterOptions::default()
        },
        (None, None) => return,
    };
    read(
        state,
        loaded.file_name.clone(),
        loaded.bytes.clone(),
        &options,
    );
}

/// Joins the master onto other orders when they load (a corrected export, a monthly table read
/// back, a workspace), so it is not lost; forgets it when the orders are gone.
pub fn follow_new_orders(state: AppState) {
    Effect::new(move |_| {
        let data = state.data.get();
        let Some(master) = state.master.get_untracked() else {
            return;
        };
        match data {
            Some(data) if master.joined_onto(&data) => {}
            Some(data) => {
                // Joined again a slice of customers a task (a newer reading stops it).
                state.master_reading.set(Some(0.8));
                let join = JoinSteps::new(&master.master);
                MasterJob {
                    state,
                    mine: next_job(),
                    file_name: master.file_name.clone(),
                    options: master.options.clone(),
                    bytes: master.bytes.clone(),
                    data,
                    stage: Stage::Joining(master.master.clone(), join),
                    onto: Onto::Page,
                }
                .run();
            }
            None => {
                next_job();
                state.master_reading.set(None);
                state.master.set(None);
                state.master_problem.set(None);
            }
        }
    });
}

/// The master's file input (`data-input="master-file"`) and, once read, its columns and facts.
#[component]
pub fn MasterPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move |text: Text| state.t(text);
    let on_change = move |event: ev::Event| {
        let input: HtmlInputElement = event_target(&event);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            open(state, gloo_file::File::from(file));
        }
        input.set_value("");
    };
    let problem = move || {
        let lang = state.lang.get();
        state.master_problem.get().map(|p| {
            let words = match p {
                MasterProblem::TooLarge => Text::MasterTooLarge.get(lang).to_string(),
                MasterProblem::Unreadable => Text::MasterUnreadable.get(lang).to_string(),
                MasterProblem::NoOrders => Text::MasterNeedsOrders.get(lang).to_string(),
                MasterProblem::Import(error) => error_text(&error, lang),
            };
            view! { <p class="vl-status vl-status--error" role="alert" data-master-error="">{words}</p> }
        })
    };
    let facts = move || {
        let lang = state.lang.get();
        let data = state.data.get()?;
        let loaded = state.master.get()?;
        if !loaded.joined_onto(&data) {
            return None;
        }
        let master = loaded.master.clone();
        let join = loaded.join.clone();
        let table = &data.outcome.table;
        let cards = figures(&master, &join, lang)
            .into_iter()
            .map(|m| view! { <MetricCard metric=m /> })
            .collect_view();
        let id_now = master.id_column;
        let id_options = master
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| view! { <option value=i.to_string() selected=i == id_now>{isolated(h, CELL_CHARS)}</option> })
            .collect_view();
        let on_id = move |event: ev::Event| {
            let value = event_target::<HtmlSelectElement>(&event).value();
            if let Ok(id) = value.parse::<usize>() {
                reread(state, Some(id), None);
            }
        };
        let kind_rows = master
            .columns
            .iter()
            .map(|c| {
                let column = c.column;
                let now = c.kind;
                let options = AttributeKind::ALL
                    .into_iter()
                    .map(|k| view! { <option value=k.as_str() selected=k == now>{attribute_kind_text(k).get(lang)}</option> })
                    .collect_view();
                let on_kind = move |event: ev::Event| {
                    let value = event_target::<HtmlSelectElement>(&event).value();
                    if let Some(kind) = AttributeKind::from_name(&value) {
                        reread(state, None, Some((column, kind)));
                    }
                };
                let name = isolated(&c.name, CELL_CHARS);
                let param = format!("master-kind:{column}");
                view! {
                    <tr>
                        <th scope="row">{name.clone()}</th>
                        <td>
                            <select class="vl-select" data-param=param aria-label=name on:change=on_kind>{options}</select>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let warning = duplicate_warning(&master, lang).map(|w| {
            view! { <p class="vl-note" role="note" data-note="master-duplicates">"⚠ "{w}</p> }
        });
        let rejected = rejected_messages(&master, lang);
        let rejected_view = (!rejected.is_empty()).then(|| {
            let items = rejected
                .into_iter()
                .map(|m| view! { <li>{m}</li> })
                .collect_view();
            view! {
                <h4 class="vl-panel__subtitle">{Text::MasterRejected.get(lang)}</h4>
                <ul class="vl-list" data-list="master-rejected">{items}</ul>
            }
        });
        let more = move |n: usize| {
            (n > 0).then(|| {
                view! { <p class="vl-note">{sentence(Text::MasterListMore.get(lang), &[n.to_string()])}</p> }
            })
        };
        let (ids, more_ids) = unmatched_ids(&join, table);
        let unmatched_view = if ids.is_empty() {
            view! { <p class="vl-note" data-note="master-all-matched">{Text::MasterAllMatched.get(lang)}</p> }.into_any()
        } else {
            let items = ids
                .into_iter()
                .map(|id| view! { <li>{id}</li> })
                .collect_view();
            let make: Arc<dyn Fn() -> Option<Csv> + Send + Sync> = {
                let (join, data) = (join.clone(), data.clone());
                Arc::new(move || Some(unmatched_csv(&join, &data.outcome.table, lang)))
            };
            view! {
                <ul class="vl-list" data-list="master-unmatched">{items}</ul>
                {more(more_ids)}
                <CsvLaterButton file=UNMATCHED_CSV.to_string() make=make />
            }
            .into_any()
        };
        let (rows, more_rows) = prospect_rows(&master, &join);
        let prospects_view = if rows.is_empty() {
            view! { <p class="vl-note" data-note="master-no-prospects">{Text::MasterNoProspects.get(lang)}</p> }.into_any()
        } else {
            let head = prospect_header(&master)
                .into_iter()
                .map(|h| view! { <th scope="col">{isolated(&h, CELL_CHARS)}</th> })
                .collect_view();
            let body = rows
                .into_iter()
                .map(|r| {
                    view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }
                })
                .collect_view();
            let make: Arc<dyn Fn() -> Option<Csv> + Send + Sync> = {
                let (master, join) = (master.clone(), join.clone());
                Arc::new(move || Some(prospects_csv(&master, &join)))
            };
            view! {
                <div class="vl-table-wrap" tabindex="0" role="region" aria-label=Text::MasterProspectsTitle.get(lang) data-table="master-prospects">
                    <table class="vl-table vl-table--compact">
                        <thead><tr>{head}</tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                {more(more_rows)}
                <CsvLaterButton file=PROSPECTS_CSV.to_string() make=make />
            }
            .into_any()
        };
        Some(view! {
            <p class="vl-facts-line" data-facts="master">
                {sentence(Text::MasterLoaded.get(lang), std::slice::from_ref(&loaded.file_name))}
            </p>
            <div class="vl-figures">{cards}</div>
            {warning}
            <h4 class="vl-panel__subtitle">{Text::MasterColumnsTitle.get(lang)}</h4>
            <div class="vl-params__grid">
                <label class="vl-field">
                    <span class="vl-field__label">{Text::MasterIdColumn.get(lang)}</span>
                    <select class="vl-select" data-param="master-id" on:change=on_id>{id_options}</select>
                </label>
            </div>
            <div class="vl-table-wrap" tabindex="0" role="region" aria-label=Text::MasterColumnsTitle.get(lang) data-table="master-columns">
                <table class="vl-table vl-table--compact"><tbody>{kind_rows}</tbody></table>
            </div>
            <p class="vl-note" data-note="master-joined">{Text::MasterJoined.get(lang)}</p>
            {rejected_view}
            <h4 class="vl-panel__subtitle">{Text::MasterUnmatchedTitle.get(lang)}</h4>
            {unmatched_view}
            <h4 class="vl-panel__subtitle">{Text::MasterProspectsTitle.get(lang)}</h4>
            {prospects_view}
            <button class="vl-button vl-button--small" type="button" data-action="remove-master"
                on:click=move |_| {
                    state.master.set(None);
                    state.master_problem.set(None);
                    crate::ui::analyst::forget_text(TextReader::Master);
                }>
                {Text::MasterRemove.get(lang)}
            </button>
        })
    };
    view! {
        <section class="vl-panel" data-panel="master" aria-labelledby="vl-master-title">
            <h3 class="vl-panel__title" id="vl-master-title">{move || t(Text::MasterFile)}</h3>
            <p class="vl-note">{move || t(Text::MasterHint)}</p>
            {move || state.data.with(Option::is_none).then(|| view! { <p class="vl-note">{t(Text::MasterNeedsOrders)}</p> })}
            <DropZone name="master" on_file=move |file| open(state, file)>
                <button
                    class="vl-button"
                    type="button"
                    data-action="choose-master"
                    disabled=move || state.data.with(Option::is_none)
                    on:click=move |_| browser::click(r#"[data-input="master-file"]"#)
                >
                    {move || t(Text::MasterChoose)}
                </button>
                " "
                <span class="vl-note">{move || t(Text::MasterDrop)}</span>
                <input
                    class="vl-upload__input"
                    type="file"
                    tabindex="-1"
                    aria-label=move || t(Text::MasterFile)
                    accept=".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values"
                    data-input=MASTER_INPUT
                    on:change=on_change
                />
            </DropZone>
            {move || state.master_reading.get().map(|fraction| view! {
                <p class="vl-status" role="status" aria-live="polite" data-master-reading=format!("{fraction:.2}")>
                    {t(Text::MasterReading)} " "
                    <progress max="1" value=fraction.to_string()></progress>
                </p>
            })}
            {problem}
            {facts}
        </section>
    }
}
