//! The workspace (工作区): save and open a `.valuelens.json` project file, keep the last session in
//! IndexedDB (restored after a reload), and forget everything stored on this computer.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::{Arc, Weak};

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use crate::engine::error::{Error, FormatProblem, FormatSubject};
use crate::engine::loyalty::LoyaltyConfig;
use crate::engine::survey::SurveyOptions;
use crate::engine::workspace::{
    DataJson, GatherData, Workspace, WorkspaceCover, WorkspaceMaster, WorkspaceSurvey,
    WorkspaceSurveyFile, WORKSPACE_EXTENSION,
};
use crate::i18n::{error_text, Text};
use crate::protocol::{Finished, Request, RestoreFrom, Restored, RestoredMaster, RestoredSurvey};
use crate::session::Answer;
use crate::ui::browser;
use crate::ui::components::master::read_restored;
use crate::ui::idb;
use crate::ui::state::{
    release_later, AppState, Cover, Job, LoadedData, LoadedMaster, LoadedSurvey, Source,
    SurveyProblem,
};
use crate::ui::worker::{OnAnswer, Script, WorkerClient};

/// IndexedDB key of the last session.
const SESSION_KEY: &str = "last-session";

/// IndexedDB key of the last session's data set (its JSON as UTF-8 bytes; none for none).
const SESSION_DATA_KEY: &str = "last-session-data";

/// The IndexedDB record of the last session's survey (a workspace with only its survey, as
/// JSON; empty without one), apart from the parameters' record: that one is written at every
/// change of any parameter, and with a 200,000-response survey in it each write took a task of
/// 540–570 ms. This one is written when the survey or its loyalty parameters change.
const SESSION_SURVEY_KEY: &str = "last-session-survey";

/// The IndexedDB record of the last session's survey file, when the survey was read from one
/// (its bytes, in pieces: [`idb::put_pieces`]); the survey record then holds a
/// [`SurveyFileRecord`], and the restore reads the file again in the analysis worker. The
/// survey as JSON was 37 MB at 200,000 responses: a third of a second to write, more to read.
const SESSION_SURVEY_FILE_KEY: &str = "last-session-survey-file";

/// The survey record of a survey read from a file whose bytes are in
/// [`SESSION_SURVEY_FILE_KEY`]: its name, what it was read with, and the loyalty parameters.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SurveyFileRecord {
    file_name: String,
    options: SurveyOptions,
    config: LoyaltyConfig,
}

/// The most customers whose figures the automatic session keeps (a workspace file keeps any
/// number).
pub const SESSION_MAX_CUSTOMERS: usize = 200_000;

/// The largest customer master file the automatic session keeps with the data (a workspace
/// file keeps any the page read).
const SESSION_MAX_MASTER_BYTES: usize = 8 * 1024 * 1024;

/// localStorage keys this app writes (cleared by "forget everything").
const STORAGE_KEYS: [&str; 3] = ["valuelens.lang", "valuelens.rfm-rules", "valuelens.swot"];

fn now_iso() -> String {
    js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}

/// The current state as a workspace, without the data set's figures (the session keeps them in
/// a record of their own, a file writes them a piece at a time: [`SaveFile`]).
fn current(state: AppState, with_survey: bool) -> Workspace {
    let data = state.data.get_untracked();
    let cover = state.cover.get_untracked();
    Workspace {
        saved_at: now_iso(),
        settings: data.as_ref().map(|d| d.outcome.report.settings.clone()),
        decile_config: state.decile_config.get_untracked(),
        rfm_config: state.rfm_config.get_untracked(),
        rfm_rules: state.rfm_rules.get_untracked(),
        swot: state.swot.get_untracked(),
        cover: WorkspaceCover {
            title: cover.title,
            client: cover.client,
            analyst: cover.analyst,
            date: cover.date,
        },
        survey: with_survey.then(|| kept_survey(state)).flatten(),
        ..Workspace::default()
    }
}

/// The survey and its loyalty parameters, as a workspace keeps them: its file when it was read
/// from one, else (reopened from a workspace of version 1) the survey as read.
fn kept_survey(state: AppState) -> Option<WorkspaceSurvey> {
    state.survey.get_untracked().map(|s| {
        let file = s
            .bytes
            .as_ref()
            .map(|bytes| WorkspaceSurveyFile::new(&s.options, bytes));
        WorkspaceSurvey {
            file_name: s.file_name.clone(),
            survey: file.is_none().then(|| (*s.survey).clone()),
            config: state.loyalty.get_untracked(),
            file,
        }
    })
}

/// The master file, which goes with the orders it was joined onto, bytes and all (the session
/// keeps it only up to `max_bytes`, a size that saves in a moment).
fn kept_master(state: AppState, data: &LoadedData, max_bytes: usize) -> Option<WorkspaceMaster> {
    state.master.get_untracked().and_then(|m| {
        let fits = m.joined_onto(data) && m.bytes.len() <= max_bytes;
        fits.then(|| WorkspaceMaster::new(&m.file_name, &m.options, &m.bytes))
    })
}

/// A workspace's data set as the page keeps it, with the master file saved with it.
struct DataBack {
    data: Arc<LoadedData>,
    master: Option<RestoredMaster>,
}

/// A saved workspace read in a worker ([`read_in_worker`]): its small part and, with a data
/// set, the customers decoded.
struct ReadBack {
    restored: Restored,
    finished: Option<Finished>,
}

impl ReadBack {
    /// The data set as the page keeps it, if there is one.
    fn data(&mut self) -> Result<Option<DataBack>, Error> {
        let (Some(file_name), Some(finished)) =
            (self.restored.file_name.take(), self.finished.take())
        else {
            return Ok(None);
        };
        let master = self.restored.master.take();
        let data = crate::ui::controller::loaded(finished, file_name, Source::File);
        Ok(Some(DataBack { data, master }))
    }
}

/// Reads `file`, a saved workspace (`from` says which kind), in a restore worker
/// (`Request::Restore`, `src/bin/restorer.rs`): the text parsed, checked and made customers
/// there, the customers decoded here a slice a task as an import's are, the head of a large
/// data set shown first (`AppState::arriving`) as an import's is, unless an import runs. A
/// large workspace parsed on the page was one task of hundreds of milliseconds (449 ms for
/// 193,457 customers, 3.9 s for 967,209). `then` gets the result, and applies it a task later;
/// the worker ends after it.
fn read_in_worker(
    state: AppState,
    file: gloo_file::Blob,
    from: RestoreFrom,
    then: impl FnOnce(Result<ReadBack, Error>) + 'static,
) -> Reading {
    let client: Rc<RefCell<Option<WorkerClient>>> = Rc::default();
    let then: Rc<RefCell<Option<Then>>> = Rc::new(RefCell::new(Some(Box::new(then))));
    // The head shown while the customers arrive.
    let shown = Rc::new(Cell::new(false));
    let reading = Reading {
        then: then.clone(),
        client: client.clone(),
        shown: shown.clone(),
    };
    let end = {
        let (client, shown) = (client.clone(), shown.clone());
        move |result: Result<ReadBack, Error>| {
            let Some(then) = then.borrow_mut().take() else {
                return;
            };
            // Ended in a task of its own: this may run in the client's own listener.
            let client = client.clone();
            set_timeout(
                move || drop(client.borrow_mut().take()),
                std::time::Duration::ZERO,
            );
            let shown = shown.take();
            // `then` applies the result a task later; the head stays on screen until then (a
            // task queued after its own).
            then(result);
            if shown {
                set_timeout(move || state.arriving.set(None), std::time::Duration::ZERO);
            }
        }
    };
    let head: RefCell<Option<Restored>> = RefCell::new(None);
    let on_answer: OnAnswer = {
        let end = end.clone();
        Rc::new(move |_, answer| match answer {
            Answer::Restored(restored) if restored.file_name.is_none() => end(Ok(ReadBack {
                restored: *restored,
                finished: None,
            })),
            Answer::Restored(restored) => *head.borrow_mut() = Some(*restored),
            Answer::Done(finished) => {
                let restored = head.borrow_mut().take();
                end(restored.map_or_else(
                    || Err(unexpected("customers without their workspace")),
                    |restored| {
                        Ok(ReadBack {
                            restored,
                            finished: Some(finished),
                        })
                    },
                ))
            }
            Answer::Head(finished) if !state.job.get_untracked().is_busy() => {
                if let Some(file_name) = head.borrow().as_ref().and_then(|r| r.file_name.clone()) {
                    let data = crate::ui::controller::loaded(finished, file_name, Source::File);
                    state.arriving.set(Some(data));
                    shown.set(true);
                }
            }
            Answer::Failed(error) | Answer::Crashed(error) => end(Err(error)),
            _ => {}
        })
    };
    // A worker of its own kind: the import worker's bundle links no workspace reader.
    match WorkerClient::spawn(Script::Restorer, on_answer) {
        Ok(worker) => {
            worker.send(1, &Request::Restore(from), &file);
            *client.borrow_mut() = Some(worker);
        }
        Err(error) => end(Err(Error::Format {
            what: FormatSubject::File,
            reason: FormatProblem::WorkerFailed {
                detail: format!("{error:?}"),
            },
        })),
    }
    reading
}

/// What a [`read_in_worker`] is given to call with its result.
type Then = Box<dyn FnOnce(Result<ReadBack, Error>)>;

/// A workspace being read in a worker ([`read_in_worker`]).
struct Reading {
    then: Rc<RefCell<Option<Then>>>,
    client: Rc<RefCell<Option<WorkerClient>>>,
    shown: Rc<Cell<bool>>,
}

impl Reading {
    /// Stops it (a file picked while another is read replaces it): its result never comes,
    /// its worker ends, the head it showed goes.
    fn cancel(&self, state: AppState) {
        if self.then.borrow_mut().take().is_some() && self.shown.take() {
            state.arriving.set(None);
        }
        drop(self.client.borrow_mut().take());
    }
}

/// The error of a worker's answer out of turn.
fn unexpected(detail: &str) -> Error {
    Error::Format {
        what: FormatSubject::Response,
        reason: FormatProblem::Parser {
            detail: detail.into(),
        },
    }
}

thread_local! {
    /// The number of the last workspace applied: one whose master file is still being read
    /// when another is applied is dropped.
    static APPLYING: Cell<u64> = const { Cell::new(0) };
}

/// Puts a workspace into the state, with `data` (its data set, read apart) when there is one;
/// a workspace that carries its data set (a session saved in the old form) with that. A master
/// file kept with the data is read first, a piece a task, as a picked one is: one that does
/// not read leaves the page as it was, and so does a workspace overtaken meanwhile (another
/// one applied, other orders loaded). `then` is told whether it was put on the page, or why
/// not.
fn apply(
    state: AppState,
    mut workspace: Workspace,
    data: Option<DataBack>,
    survey: Option<RestoredSurvey>,
    then: impl FnOnce(Result<bool, Error>) + 'static,
) {
    let mine = APPLYING.with(|a| {
        a.set(a.get() + 1);
        a.get()
    });
    let data = match (data, workspace.data.take()) {
        (Some(data), _) => Ok(Some(data)),
        (None, Some(mut kept)) => (|| {
            let master = kept.master.take().map(RestoredMaster::of).transpose()?;
            let (file_name, outcome) = kept.into_outcome()?;
            let data = Arc::new(LoadedData::new(file_name, Source::File, outcome));
            Ok(Some(DataBack { data, master }))
        })(),
        (None, None) => Ok(None),
    };
    match data {
        Err(error) => then(Err(error)),
        Ok(Some(DataBack {
            data,
            master: Some(kept),
        })) => {
            let before = state.data.get_untracked();
            read_restored(state, kept, data.clone(), move |master| {
                let now = state.data.get_untracked();
                let overtaken = APPLYING.with(Cell::get) != mine
                    || match (&now, &before) {
                        (Some(now), Some(before)) => !Arc::ptr_eq(now, before),
                        (now, before) => now.is_some() != before.is_some(),
                    };
                then(master.map(|master| {
                    !overtaken && {
                        put(state, workspace, Some((data, Some(master))), survey);
                        true
                    }
                }));
            });
        }
        Ok(data) => {
            put(
                state,
                workspace,
                data.map(|DataBack { data, .. }| (data, None)),
                survey,
            );
            then(Ok(true));
        }
    }
}

/// Puts a workspace into the state, with its data set and master file if it has them.
fn put(
    state: AppState,
    workspace: Workspace,
    data: Option<(Arc<LoadedData>, Option<LoadedMaster>)>,
    survey_file: Option<RestoredSurvey>,
) {
    state.decile_config.set(workspace.decile_config);
    state.rfm_config.set(workspace.rfm_config);
    state.rfm_rules.set(workspace.rfm_rules);
    state.swot.set(workspace.swot);
    let c = workspace.cover;
    state.cover.set(Cover {
        title: c.title,
        client: c.client,
        analyst: c.analyst,
        date: c.date,
    });
    if let Some((data, master)) = data {
        let replaced = state.data.get_untracked();
        state.data.set(Some(data));
        release_later(replaced);
        state.master_problem.set(None);
        state.master.set(master.map(Arc::new));
    }
    if let Some(kept) = survey_file {
        // Its file, taken out of the workspace by the worker, read again as it was.
        crate::ui::components::survey::stop_reading(state);
        state.survey_problem.set(None);
        let bytes = Arc::new(kept.bytes);
        let options = &kept.options;
        crate::ui::components::survey::read_kept(
            state,
            kept.file_name,
            bytes,
            options,
            kept.config,
            Box::new(|_| ()),
        );
    } else if let Some(kept) = workspace.survey {
        crate::ui::components::survey::stop_reading(state);
        state.survey_problem.set(None);
        match (kept.survey, kept.file) {
            // Its file, read again as it was (in the analysis worker).
            (None, Some(file)) => match file.file_bytes() {
                Ok(bytes) => crate::ui::components::survey::read_kept(
                    state,
                    kept.file_name,
                    Arc::new(bytes),
                    &file.options,
                    kept.config,
                    Box::new(|_| ()),
                ),
                Err(error) => state.survey_problem.set(Some(SurveyProblem::Import(error))),
            },
            // The survey as read (a workspace of version 1), without its file.
            (Some(survey), _) => {
                state.loyalty.set(kept.config);
                state.survey.set(Some(Arc::new(LoadedSurvey {
                    file_name: kept.file_name,
                    survey: Arc::new(survey),
                    bytes: None,
                    options: Default::default(),
                })));
            }
            (None, None) => {}
        }
    }
}

/// Restores the last session from IndexedDB (once, at start), then keeps it saved there a
/// moment after every change: the parameters, boards and survey in one record at every change,
/// the data set (up to [`SESSION_MAX_CUSTOMERS`]) in a record of its own when it changes, its
/// JSON written a slice of its columns a task ([`DataJson`]) so that no task of the page takes
/// long (a hundred thousand customers are ~15 MB of JSON).
pub fn keep_session(state: AppState, notice: RwSignal<Option<Text>>) {
    let restored = RwSignal::new(false);
    // The data set and master file the data record holds (or is being written for), not kept
    // alive by it (a weak reference also keeps their addresses from being reused).
    let kept: StoredValue<Option<Kept>> = StoredValue::new(None);
    // The survey and loyalty parameters the survey record holds (or is being written with).
    let kept_survey_record: StoredValue<Option<KeptSurvey>> = StoredValue::new(None);
    leptos::task::spawn_local(async move {
        let workspace = match idb::get(SESSION_KEY).await {
            Ok(Some(json)) => Workspace::from_json(&json).ok(),
            _ => None,
        };
        // Read first: a survey record left unrestored (a file opened meanwhile) is cleared.
        let recorded_survey = match idb::get(SESSION_SURVEY_KEY).await {
            Ok(Some(json)) if !json.is_empty() => Some(json),
            _ => None,
        };
        SURVEY_RECORDED.with(|r| r.set(recorded_survey.is_some()));
        // A file the user opened meanwhile wins over the stored session.
        let Some(mut workspace) = workspace.filter(|_| state.data.with_untracked(Option::is_none))
        else {
            return restored.set(true);
        };
        // The segment rules and the SWOT boards are stored in localStorage at once, the session
        // 0.8 s after the last change: what the page started with is never older than the
        // session's (a reload right after an edit kept the edit in localStorage only, and the
        // restore used to undo it).
        if browser::storage_works() {
            workspace.rfm_rules = state.rfm_rules.get_untracked();
            workspace.swot = state.swot.get_untracked();
        }
        // The survey, from its own record (a session saved before it had one holds it in the
        // parameters' record: it is then written into its own after the restore): its file
        // read again, or the survey as it was kept.
        let survey_from_record = workspace.survey.is_none();
        let mut survey_file = None;
        if survey_from_record {
            match recorded_survey
                .as_deref()
                .and_then(|json| serde_json::from_str::<SurveyFileRecord>(json).ok())
            {
                Some(record) => {
                    survey_file = survey_file_bytes().await.map(|bytes| (record, bytes));
                }
                None => {
                    workspace.survey = recorded_survey
                        .and_then(|json| Workspace::from_json(&json).ok())
                        .and_then(|w| w.survey);
                }
            }
        }
        // A session saved before the data had a record of its own holds it; the record belongs
        // to the session only while it names an import (after the data was removed it does
        // not, and the record may be the old data's).
        let record = match workspace.data.is_none() && workspace.settings.is_some() {
            true => idb::get_blob(SESSION_DATA_KEY).await.ok().flatten(),
            false => None,
        };
        let finish = move |workspace: Workspace, data: Option<DataBack>| {
            // Restored from its record: it needs no writing again (a session of the old form,
            // one record with the data, is written the new way).
            let from_record = data.is_some();
            if state.data.with_untracked(Option::is_some) {
                return restored.set(true);
            }
            apply(state, workspace, data, None, move |applied| {
                if applied == Ok(true) && survey_from_record {
                    kept_survey_record.set_value(Some(KeptSurvey::now(state)));
                    if let Some((record, bytes)) = survey_file {
                        restore_survey_file(state, record, bytes, kept_survey_record);
                    }
                }
                if applied == Ok(true) && state.data.with_untracked(Option::is_some) {
                    if from_record {
                        kept.set_value(Kept::now(state));
                    }
                    notice.set(Some(Text::SessionRestored));
                }
                restored.set(true);
            });
        };
        match record.filter(|blob| blob.size() > 0.0) {
            // Read in a worker; data that does not read back is left out, the rest restored.
            Some(blob) => {
                read_in_worker(state, blob.into(), RestoreFrom::SessionData, move |read| {
                    // The data set made in this task, applied in the next (as a workspace
                    // file's is).
                    let data = read.and_then(|mut read| read.data()).unwrap_or(None);
                    set_timeout(move || finish(workspace, data), std::time::Duration::ZERO);
                });
            }
            None => finish(workspace, None),
        }
    });
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        // Everything a session holds but the data's figures; reading them subscribes this effect.
        state.data.track();
        state.decile_config.track();
        state.rfm_config.track();
        state.rfm_rules.track();
        state.swot.track();
        state.cover.track();
        state.survey.track();
        if !restored.get() {
            return;
        }
        after_pause(generation, move || {
            if state.job.get_untracked().is_busy() {
                return;
            }
            // The survey is kept in a record of its own (below).
            let workspace = current(state, false);
            let blank = Workspace {
                saved_at: workspace.saved_at.clone(),
                ..Workspace::default()
            };
            if workspace == blank
                && state.data.with_untracked(Option::is_none)
                && state.survey.with_untracked(Option::is_none)
            {
                // Nothing worth keeping (a fresh start, or just after "forget everything").
                return;
            }
            if let Ok(json) = workspace.to_json() {
                leptos::task::spawn_local(async move {
                    let _ = idb::put(SESSION_KEY, &json).await;
                });
            }
        });
    });
    let survey_generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        state.survey.track();
        state.loyalty.track();
        if !restored.get() {
            return;
        }
        let unchanged = move || {
            let now = KeptSurvey::now(state);
            match now.survey {
                // Nothing to write, unless the record may hold a survey to clear.
                None => !SURVEY_RECORDED.with(Cell::get),
                Some(_) => kept_survey_record.with_value(|k| k.as_ref() == Some(&now)),
            }
        };
        if unchanged() {
            return;
        }
        after_pause(survey_generation, move || {
            // A survey being read (a new one, or the last session's) is written once it is in;
            // one restored meanwhile needs no writing.
            if state.survey_reading.get_untracked() || unchanged() {
                return;
            }
            let loaded = state.survey.get_untracked();
            if loaded.is_none() && !SURVEY_RECORDED.with(Cell::get) {
                return;
            }
            let config = state.loyalty.get_untracked();
            // The file's bytes, with a record naming it; else the survey as JSON (a survey
            // reopened from a workspace file has no file); nothing without a survey.
            let (json, file) = match loaded.as_deref() {
                Some(LoadedSurvey {
                    file_name,
                    bytes: Some(bytes),
                    options,
                    ..
                }) => {
                    let record = SurveyFileRecord {
                        file_name: file_name.clone(),
                        options: options.clone(),
                        config,
                    };
                    (serde_json::to_string(&record).ok(), Some(bytes.clone()))
                }
                Some(_) => (
                    Workspace {
                        survey: kept_survey(state),
                        ..Workspace::default()
                    }
                    .to_json()
                    .ok(),
                    None,
                ),
                None => (Some(String::new()), None),
            };
            let Some(json) = json else {
                return;
            };
            kept_survey_record.set_value(Some(KeptSurvey::now(state)));
            SURVEY_RECORDED.with(|r| r.set(!json.is_empty()));
            let mine = survey_generation.get_value();
            let wanted = move || survey_generation.try_get_value() == Some(mine);
            leptos::task::spawn_local(async move {
                // The record naming a file is written after the file (a reload meanwhile finds
                // no survey rather than another's record with this file).
                let _ = idb::put(SESSION_SURVEY_KEY, "").await;
                let bytes = file.as_deref().map_or(&[][..], Vec::as_slice);
                let _ = idb::put_pieces(SESSION_SURVEY_FILE_KEY, bytes, wanted).await;
                if wanted() {
                    let _ = idb::put(SESSION_SURVEY_KEY, &json).await;
                }
            });
        });
    });
    let data_generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        state.data.track();
        state.master.track();
        if !restored.get() {
            return;
        }
        let now = Kept::now(state);
        if kept.with_value(|k| match (k, &now) {
            (Some(k), Some(now)) => k.same(now),
            _ => false,
        }) {
            return;
        }
        data_generation.update_value(|g| *g += 1);
        let mine = data_generation.get_value();
        kept.set_value(None);
        if now.is_none() {
            // No data: the parameters' record names no import, so the data record is not read
            // back (and "forget everything" deletes it; writing here would recreate the store).
            return;
        }
        // The record of the data before goes at once: a reload before the new one is written
        // restores the parameters without data, never with another data set's.
        leptos::task::spawn_local(async move {
            let _ = idb::put_bytes(SESSION_DATA_KEY, &[]).await;
        });
        set_timeout(
            move || {
                if data_generation.get_value() != mine || state.job.get_untracked().is_busy() {
                    return;
                }
                let Some(data) = state.data.get_untracked() else {
                    return;
                };
                if data.outcome.table.customers.len() > SESSION_MAX_CUSTOMERS {
                    return;
                }
                kept.set_value(Kept::now(state));
                let record = SessionRecord {
                    text: String::new(),
                    generation: data_generation,
                    mine,
                };
                DataWriter::new(state, data, SESSION_MAX_MASTER_BYTES).run(record);
            },
            SESSION_PAUSE,
        );
    });
}

/// The last session's survey file's bytes ([`SESSION_SURVEY_FILE_KEY`]), if they read.
async fn survey_file_bytes() -> Option<Vec<u8>> {
    let blob = idb::get_blob(SESSION_SURVEY_FILE_KEY)
        .await
        .ok()
        .flatten()?;
    let bytes = gloo_file::futures::read_as_bytes(&gloo_file::Blob::from(blob)).await;
    bytes.ok().filter(|b| !b.is_empty())
}

/// Reads the last session's survey file again (in the analysis worker) with its loyalty
/// parameters; the record is left as it is, unless the file no longer reads: then it is
/// cleared.
fn restore_survey_file(
    state: AppState,
    record: SurveyFileRecord,
    bytes: Vec<u8>,
    kept_survey_record: StoredValue<Option<KeptSurvey>>,
) {
    let SurveyFileRecord {
        file_name,
        options,
        config,
    } = record;
    let then = move |read: bool| {
        // Written as it is now: the same survey and parameters need no writing; a file that
        // no longer reads leaves no survey, and its record is cleared.
        kept_survey_record.set_value(read.then(|| KeptSurvey::now(state)));
        if !read {
            state.survey.set(None);
        }
    };
    let bytes = Arc::new(bytes);
    let then = Box::new(then);
    crate::ui::components::survey::read_kept(state, file_name, bytes, &options, config, then);
}

/// How long after the last change the session is written.
const SESSION_PAUSE: std::time::Duration = std::time::Duration::from_millis(800);

/// Runs `write` once changes pause: [`SESSION_PAUSE`] from now, unless another change came
/// meanwhile (`generation` moved on).
fn after_pause(generation: StoredValue<u64>, write: impl FnOnce() + 'static) {
    generation.update_value(|g| *g += 1);
    let mine = generation.get_value();
    set_timeout(
        move || {
            if generation.get_value() == mine {
                write();
            }
        },
        SESSION_PAUSE,
    );
}

/// Customers gathered a piece (their months are read from their purchase days: 16,384 of them
/// took up to 50 ms in the page at ten million rows).
const CUSTOMERS_PER_PIECE: usize = 8_192;

/// Values of the data's columns written a piece.
const VALUES_PER_PIECE: usize = 16_384;

/// A data set's JSON, for the session's record or a workspace file, made a piece at a time over
/// the page's tasks: its customers gathered ([`GatherData`]), then its text ([`DataJson`], the
/// purchase days' base64 among the pieces), each piece of text handed to a [`Sink`]. A million
/// customers are some 150 MB of JSON, seconds of work at once.
struct DataWriter {
    state: AppState,
    data: Arc<LoadedData>,
    /// The largest master file kept with the data.
    max_master_bytes: usize,
    stage: Stage,
}

enum Stage {
    Gathering(GatherData),
    Writing(DataJson),
    Done,
}

/// Where a [`DataWriter`]'s text goes.
trait Sink: 'static {
    /// False once the text is no longer wanted (the writer stops, handing on nothing more).
    fn wanted(&self) -> bool {
        true
    }
    /// The next piece of the text.
    fn piece(&mut self, text: String) -> Result<(), Error>;
    /// Every piece was handed on (`Ok`), or the text could not be made.
    fn end(self, result: Result<(), Error>);
}

impl DataWriter {
    fn new(state: AppState, data: Arc<LoadedData>, max_master_bytes: usize) -> Self {
        DataWriter {
            state,
            stage: Stage::Gathering(GatherData::new(&data.outcome)),
            data,
            max_master_bytes,
        }
    }

    /// Takes the next pieces (from the next task on, as many a task as
    /// [`TASK_BUDGET_MS`](super::view_parts::TASK_BUDGET_MS) allows: a task of one piece each
    /// would wait for the browser's 4 ms floor between timers more than it works), handing
    /// their text to `sink`.
    fn run(self, sink: impl Sink) {
        super::view_parts::in_budget(
            Some((self, sink)),
            |work| {
                let Some((writer, sink)) = work else {
                    return false;
                };
                if !sink.wanted() {
                    return false;
                }
                let end = match writer
                    .step()
                    .and_then(|text| text.map(|t| sink.piece(t)).transpose())
                {
                    Ok(Some(())) => return true,
                    Ok(None) => Ok(()),
                    Err(e) => Err(e),
                };
                if let Some((_, sink)) = work.take() {
                    sink.end(end);
                }
                false
            },
            |_| {},
        );
    }

    /// One piece: its text (none while the customers are gathered), `None` once all is written.
    fn step(&mut self) -> Result<Option<String>, Error> {
        self.stage = match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Gathering(mut gather) => {
                if gather.step(&self.data.outcome, CUSTOMERS_PER_PIECE) {
                    Stage::Gathering(gather)
                } else {
                    let master = kept_master(self.state, &self.data, self.max_master_bytes);
                    let outcome = &self.data.outcome;
                    Stage::Writing(gather.finish_json(&self.data.file_name, outcome, master)?)
                }
            }
            Stage::Writing(mut json) => {
                let done = json.step(VALUES_PER_PIECE)?;
                let text = json.take_written();
                if !done {
                    self.stage = Stage::Writing(json);
                }
                return Ok(Some(text));
            }
            Stage::Done => return Ok(None),
        };
        Ok(Some(String::new()))
    }
}

/// The session's record: the data's text gathered, then stored in pieces ([`idb::put_pieces`]);
/// nothing once the data changed again (a newer record is on its way).
struct SessionRecord {
    text: String,
    generation: StoredValue<u64>,
    mine: u64,
}

impl Sink for SessionRecord {
    fn wanted(&self) -> bool {
        self.generation.try_get_value() == Some(self.mine)
    }

    fn piece(&mut self, text: String) -> Result<(), Error> {
        self.text.push_str(&text);
        Ok(())
    }

    fn end(self, result: Result<(), Error>) {
        if result.is_err() {
            return;
        }
        let SessionRecord {
            text,
            generation,
            mine,
        } = self;
        let wanted = move || generation.try_get_value() == Some(mine);
        leptos::task::spawn_local(async move {
            let _ = idb::put_pieces(SESSION_DATA_KEY, text.as_bytes(), wanted).await;
        });
    }
}

/// A workspace file with its data set: the rest of the workspace's text around the data's
/// ([`Workspace::json_around_data`]) in a `Blob` that grows by reference (a piece is copied
/// once; no task holds the whole text), downloaded at the end; `saving` while it is written.
struct SaveFile {
    name: String,
    /// The file so far.
    blob: web_sys::Blob,
    /// What follows the data's text.
    tail: String,
    saving: RwSignal<bool>,
    error: RwSignal<Option<Error>>,
}

impl SaveFile {
    fn new(
        state: AppState,
        name: String,
        saving: RwSignal<bool>,
        error: RwSignal<Option<Error>>,
    ) -> Result<Self, Error> {
        let (head, tail) = current(state, true).json_around_data()?;
        let blob = appended(None, &head).ok_or_else(unwritable)?;
        Ok(SaveFile {
            name,
            blob,
            tail,
            saving,
            error,
        })
    }
}

impl Sink for SaveFile {
    fn piece(&mut self, text: String) -> Result<(), Error> {
        if !text.is_empty() {
            self.blob = appended(Some(&self.blob), &text).ok_or_else(unwritable)?;
        }
        Ok(())
    }

    fn end(mut self, result: Result<(), Error>) {
        let tail = std::mem::take(&mut self.tail);
        let result = result.and_then(|()| self.piece(tail)).and_then(|()| {
            browser::download_blob(&self.name, &self.blob).map_err(|_| unwritable())
        });
        self.saving.try_set(false);
        if let Err(e) = result {
            self.error.try_set(Some(e));
        }
    }
}

/// `blob` with `text` after it, as JSON (the blob's bytes are referred to, not copied).
fn appended(blob: Option<&web_sys::Blob>, text: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::new();
    if let Some(blob) = blob {
        parts.push(blob);
    }
    parts.push(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    web_sys::Blob::new_with_blob_sequence_and_options(&parts, &options).ok()
}

/// The error of a file the browser would not build.
fn unwritable() -> Error {
    Error::Format {
        what: crate::engine::workspace::WORKSPACE_FILE,
        reason: crate::engine::error::FormatProblem::Unwritable {
            detail: "the browser could not build the file".into(),
        },
    }
}

/// What a session's data record was written from: the data set and the master file.
struct Kept {
    data: Weak<LoadedData>,
    master: Option<Weak<LoadedMaster>>,
}

impl Kept {
    /// The state's data set and master file (`None` without data).
    fn now(state: AppState) -> Option<Kept> {
        let data = state
            .data
            .with_untracked(|d| d.as_ref().map(Arc::downgrade))?;
        let master = state
            .master
            .with_untracked(|m| m.as_ref().map(Arc::downgrade));
        Some(Kept { data, master })
    }

    fn same(&self, other: &Kept) -> bool {
        let master = match (&self.master, &other.master) {
            (Some(a), Some(b)) => a.ptr_eq(b),
            (None, None) => true,
            _ => false,
        };
        self.data.ptr_eq(&other.data) && master
    }
}

thread_local! {
    /// Whether the session's survey record may hold a survey (one to clear when the survey
    /// goes); "forget everything" deletes it.
    static SURVEY_RECORDED: Cell<bool> = const { Cell::new(false) };
}

/// What a session's survey record was written from: the survey (not kept alive by it) and the
/// loyalty parameters.
struct KeptSurvey {
    survey: Option<Weak<LoadedSurvey>>,
    config: crate::engine::loyalty::LoyaltyConfig,
}

impl KeptSurvey {
    /// The state's survey and loyalty parameters.
    fn now(state: AppState) -> KeptSurvey {
        KeptSurvey {
            survey: state
                .survey
                .with_untracked(|s| s.as_ref().map(Arc::downgrade)),
            config: state.loyalty.get_untracked(),
        }
    }
}

impl PartialEq for KeptSurvey {
    fn eq(&self, other: &KeptSurvey) -> bool {
        let survey = match (&self.survey, &other.survey) {
            (Some(a), Some(b)) => a.ptr_eq(b),
            (None, None) => true,
            _ => false,
        };
        survey && self.config == other.config
    }
}

/// Deletes everything this app stored in the browser and resets the state.
pub fn forget_everything(state: AppState) {
    SURVEY_RECORDED.with(|r| r.set(false));
    for key in STORAGE_KEYS {
        if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
            let _ = storage.remove_item(key);
        }
    }
    let replaced = state.data.get_untracked();
    state.data.set(None);
    release_later(replaced);
    state.preview.set(None);
    state.job.set(Job::Idle);
    state.decile_config.set(Default::default());
    state.rfm_config.set(Default::default());
    state.rfm_rules.set(Default::default());
    state.swot.set(Default::default());
    state.cover.set(Default::default());
    crate::ui::components::survey::stop_reading(state);
    state.survey.set(None);
    state.survey_problem.set(None);
    state.master.set(None);
    state.master_problem.set(None);
    state.loyalty.set(Default::default());
    crate::ui::analyst::forget_texts();
    leptos::task::spawn_local(async move {
        let _ = idb::clear_all().await;
        // The reset above may have saved an empty session meanwhile: delete again.
        let _ = idb::clear_all().await;
        for key in STORAGE_KEYS {
            if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
                let _ = storage.remove_item(key);
            }
        }
    });
}

/// Save / open a workspace file.
#[component]
pub fn WorkspacePanel(notice: RwSignal<Option<Text>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let include_data = RwSignal::new(true);
    let error = RwSignal::new(None::<Error>);
    // A file with data is being written, a piece a task ([`SaveFile`]).
    let saving = RwSignal::new(false);
    // A file is being read in a worker ([`read_in_worker`]): the last one picked.
    let opening = RwSignal::new(false);
    let reading: StoredValue<Option<Reading>, LocalStorage> = StoredValue::new_local(None);
    let save = move |_| {
        let stem = state
            .data
            .with_untracked(|d| {
                d.as_ref().map(|d| {
                    d.file_name
                        .rsplit_once('.')
                        .map(|(s, _)| s.to_string())
                        .unwrap_or_else(|| d.file_name.clone())
                })
            })
            .unwrap_or_else(|| "valuelens".into());
        let name = format!("{stem}{WORKSPACE_EXTENSION}");
        let data = state
            .data
            .get_untracked()
            .filter(|_| include_data.get_untracked());
        // Without data the file is small: written at once.
        let Some(data) = data else {
            match current(state, true).to_json() {
                Ok(json) => {
                    let _ = browser::download(&name, "application/json", &json);
                }
                Err(e) => error.set(Some(e)),
            }
            return;
        };
        if saving.get_untracked() {
            return;
        }
        match SaveFile::new(state, name, saving, error) {
            Ok(file) => {
                saving.set(true);
                error.set(None);
                DataWriter::new(state, data, usize::MAX).run(file);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let open = move |event: ev::Event| {
        let input: HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        // The last file picked wins: one picked while another is read replaces it.
        reading.with_value(|r| r.as_ref().map(|r| r.cancel(state)));
        opening.set(true);
        let file: web_sys::Blob = file.into();
        let read = read_in_worker(
            state,
            file.into(),
            RestoreFrom::WorkspaceFile,
            move |read| {
                let done = move |applied: Result<bool, Error>| {
                    opening.try_set(false);
                    match applied {
                        Ok(true) => {
                            error.set(None);
                            notice.set(Some(Text::WorkspaceOpened));
                        }
                        Ok(false) => {}
                        Err(e) => error.set(Some(e)),
                    }
                };
                let read = read.and_then(|mut read| {
                    let text = read.restored.workspace.take().unwrap_or_default();
                    let survey = read.restored.survey.take();
                    Ok((Workspace::from_json(&text)?, read.data()?, survey))
                });
                match read {
                    // Read and made into a data set in this task, applied in the next: the two
                    // together were one task of up to 55–80 ms at a million rows.
                    Ok((workspace, data, survey)) => set_timeout(
                        move || apply(state, workspace, data, survey, done),
                        std::time::Duration::ZERO,
                    ),
                    Err(e) => done(Err(e)),
                }
            },
        );
        reading.set_value(Some(read));
    };
    view! {
        <details class="vl-panel" data-panel="workspace">
            <summary class="vl-panel__title">{move || state.t(Text::WorkspaceTitle)}</summary>
            <p class="vl-panel__hint">{move || state.t(Text::WorkspaceNote)}</p>
            <div class="vl-rules__actions">
                <button class="vl-button vl-button--small" type="button" data-action="save-workspace" on:click=save
                    disabled=move || saving.get() aria-busy=move || saving.get().to_string()>{move || state.t(Text::SaveWorkspace)}</button>
                <label class="vl-field vl-field--check">
                    <input type="checkbox" data-setting="include-data" prop:checked=move || include_data.get()
                        on:change=move |e: ev::Event| include_data.set(event_target::<HtmlInputElement>(&e).checked()) />
                    <span class="vl-field__label">{move || state.t(Text::IncludeData)}</span>
                </label>
                <button class="vl-button vl-button--small vl-upload__pick" type="button" data-action="choose-workspace-file"
                    aria-busy=move || opening.get().to_string()
                    on:click=move |_| browser::click(r#"[data-input="workspace-file"]"#)>
                    {move || state.t(Text::OpenWorkspace)}
                </button>
                <input class="vl-upload__input" type="file" tabindex="-1" accept=".json,application/json" data-input="workspace-file" on:change=open />
            </div>
            <div class="vl-live" role="alert" aria-live="assertive">
                {move || error.get().map(|e| view! { <p class="vl-status vl-status--error" data-workspace-error="">{error_text(&e, state.lang.get())}</p> })}
            </div>
        </details>
    }
}
