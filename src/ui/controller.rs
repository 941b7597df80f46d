//! The import controller: turns user actions (drop, pick, paste, sample, cancel, re-import)
//! and worker answers into events of the import session (`crate::session`), and carries out the
//! session's commands — start and end workers, send requests, show the preview and the result.
//! It keeps the session and the handles of the running workers, and decides nothing itself.
//!
//! gloo where it fits: the file is a `gloo_file::Blob` (the sample and a paste become
//! `gloo_file::File`s), and the session's timers (apply in the next task, start the next worker
//! later) are `gloo_timers` timeouts.

use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use gloo_timers::callback::Timeout;
use leptos::prelude::*;

use super::browser;
use super::state::{release_later, AppState, LoadedData, Source};
use super::worker::{OnAnswer, Page, Script, WorkerClient};
use crate::engine::ingest::encoding::LanguageHint;
use crate::engine::ingest::{ImportSettings, InspectOptions};
use crate::engine::sample::{sample_csv, SampleLanguage};
use crate::i18n::Lang;
use crate::session::{language_hint, Command, Event, Refusal, Role, Session, PREWARM_DELAY_MS};

/// Name of the performance mark at the start of an analysis.
pub const ANALYSIS_START_MARK: &str = "valuelens:analysis-start";
/// Name of the measure from the file input's change (or the sample click) to results on screen.
pub const ANALYSIS_MEASURE: &str = "valuelens:analysis";
/// Marks inside the hand-off, for the benchmark's account of where its time goes: the finished
/// import decoded (the worker's `Done` frame read into the customer table), and the results set
/// and their views built (at the next animation frame, before the browser lays them out and
/// paints them).
const DECODED_MARK: &str = "valuelens:decoded";
const RENDERED_MARK: &str = "valuelens:rendered";
/// Name of the mark once the head of a big import (headline figures, monthly sales, report) is
/// painted, before its customers are decoded: the hand-off's first paint.
const HEAD_PAINTED_MARK: &str = "valuelens:head-painted";

/// The running workers, by [`Role`].
type Workers = [Option<WorkerClient>; 3];

/// Handles for the import machinery; `Copy`, provided through context.
#[derive(Clone, Copy)]
pub struct Controller {
    state: AppState,
    session: StoredValue<Session<Page>, LocalStorage>,
    workers: StoredValue<Workers, LocalStorage>,
    /// The session's refusal, as a signal for the view.
    refused: RwSignal<Option<Refusal>>,
}

impl Controller {
    /// A controller for `state`.
    pub fn new(state: AppState) -> Self {
        Controller {
            state,
            session: StoredValue::new_local(Session::new(browser::hardware_concurrency())),
            workers: StoredValue::new_local([None, None, None]),
            refused: RwSignal::new(None),
        }
    }

    /// The last file refused because another import was running, if any (reactive).
    pub fn refused(&self) -> Option<Refusal> {
        self.refused.get()
    }

    /// Hides the refusal message.
    pub fn dismiss_refusal(&self) {
        self.dispatch(Event::DismissRefusal);
    }

    /// True when a file is open (so its settings can be changed and it re-imported).
    pub fn has_file(&self) -> bool {
        self.session.with_value(Session::has_file)
    }

    /// Starts on a new file: read its head, guess, and import at once when nothing is unclear.
    /// Refused (and the refusal shown) while another file is being read: false then.
    pub fn open(
        &self,
        file: impl Into<gloo_file::Blob>,
        file_name: String,
        source: Source,
    ) -> bool {
        let file = file.into();
        let size = file.size();
        let options = InspectOptions {
            hint: self.hint(),
            ..Default::default()
        };
        self.dispatch(Event::Open {
            file,
            name: file_name,
            size,
            source,
            options,
        });
        self.refused.with_untracked(Option::is_none)
    }

    /// Opens the built-in sample, through the same path as a dropped file.
    pub fn open_sample(&self) {
        let lang = self.state.lang.get_untracked();
        let language = match lang {
            Lang::Zh => SampleLanguage::Chinese,
            Lang::En => SampleLanguage::English,
        };
        let name = crate::i18n::sample_file_name(lang);
        // Mark before generating, so the measure covers everything from the click.
        browser::mark(ANALYSIS_START_MARK);
        let file =
            gloo_file::File::new_with_options(name, &*sample_csv(language), Some("text/csv"), None);
        self.open(file, name.to_string(), Source::Sample);
    }

    /// Opens cells pasted from a spreadsheet (refused like a file while another is read).
    pub fn open_pasted(&self, text: &str, name: String) {
        let file = gloo_file::File::new_with_options(&name, text, Some("text/csv"), None);
        self.open(file, name, Source::Paste);
    }

    /// Reads the head again with overrides (encoding, delimiter, header), then waits for the user.
    pub fn reinspect(&self, options: InspectOptions) {
        let options = InspectOptions {
            hint: self.hint(),
            ..options
        };
        self.dispatch(Event::Reinspect(options));
    }

    /// Starts workers ahead of the first file, so a drop does not wait for the worker's wasm
    /// to load and compile. Called when the app has painted; the session asks for it again
    /// after every finished import (the worker that held a big aggregation has ended).
    pub fn prewarm(&self) {
        self.dispatch(Event::Prewarm);
    }

    /// Imports the current file with `settings`.
    pub fn import(&self, settings: ImportSettings) {
        self.dispatch(Event::Import(settings));
    }

    /// Stops the running import; the data loaded before stays.
    pub fn cancel(&self) {
        self.dispatch(Event::Cancel);
    }

    fn hint(&self) -> LanguageHint {
        language_hint(
            &browser::preferred_languages(),
            self.state.lang.get_untracked(),
        )
    }

    /// Steps the session with `event` and every event its commands give, then shows the job.
    fn dispatch(&self, event: Event<Page>) {
        let mut events = VecDeque::from([event]);
        while let Some(event) = events.pop_front() {
            let now = browser::now_ms();
            let Some(commands) = self.session.try_update_value(|s| s.step(event, now)) else {
                return;
            };
            for command in commands {
                self.run(command, &mut events);
            }
        }
        let (job, refused) = self.session.with_value(|s| (s.job(), s.refused().cloned()));
        // A head shown while its customers arrive goes with its import (cancelled, failed).
        if !matches!(job, crate::session::Job::Importing { .. })
            && self.state.arriving.with_untracked(Option::is_some)
        {
            self.state.arriving.set(None);
        }
        if self.state.job.with_untracked(|current| *current != job) {
            self.state.job.set(job);
        }
        if self.refused.with_untracked(|current| *current != refused) {
            self.refused.set(refused);
        }
    }

    /// Carries out one command; events it gives at once go to `events`.
    fn run(&self, command: Command<Page>, events: &mut VecDeque<Event<Page>>) {
        let workers = self.workers;
        match command {
            Command::Start(role) => match WorkerClient::spawn(script(role), self.on_answer(role)) {
                Ok(client) => workers.update_value(|w| w[slot(role)] = Some(client)),
                Err(error) => events.push_back(Event::StartFailed {
                    role,
                    detail: format!("{error:?}"),
                }),
            },
            Command::Terminate(role) => {
                // A client's drop ends its worker.
                workers.update_value(|w| w[slot(role)] = None);
            }
            Command::Send {
                to,
                generation,
                request,
                file,
            } => {
                workers.with_value(|w| {
                    if let Some(client) = &w[slot(to)] {
                        client.send(generation, &request, &file);
                    }
                });
            }
            Command::Absorb { generation, part } => {
                workers.with_value(|w| {
                    if let Some(client) = &w[slot(Role::First)] {
                        client.send_absorb(generation, part.as_ref());
                    }
                });
            }
            Command::MarkStart => browser::mark(ANALYSIS_START_MARK),
            Command::SetPreview(preview) => self.state.preview.set(preview.map(|p| *p)),
            Command::ShowHead {
                head,
                file_name,
                source,
            } => {
                let head = loaded(head, file_name, source);
                self.state.arriving.set(Some(head));
                // Marked once painted, as the measure below.
                request_animation_frame(move || {
                    request_animation_frame(move || browser::mark(HEAD_PAINTED_MARK))
                });
            }
            Command::ApplyLater { generation } => {
                browser::mark(DECODED_MARK);
                // Decoding was this task; showing the results is the next one, so neither
                // blocks the page for long.
                let controller = *self;
                Timeout::new(0, move || {
                    controller.dispatch(Event::ApplyDue { generation })
                })
                .forget();
            }
            Command::Apply {
                finished,
                file_name,
                source,
            } => {
                let data = loaded(finished, file_name, source);
                self.state.arriving.set(None);
                let replaced = self.state.data.get_untracked();
                self.state.data.set(Some(data));
                release_later(replaced);
                // Measure once the results have been painted: two animation frames later. (The
                // views are built in this task's microtasks, so by the first frame.)
                request_animation_frame(move || {
                    browser::mark(RENDERED_MARK);
                    request_animation_frame(move || {
                        browser::measure(ANALYSIS_MEASURE, ANALYSIS_START_MARK)
                    })
                });
            }
            Command::PrewarmLater => {
                let controller = *self;
                Timeout::new(PREWARM_DELAY_MS, move || controller.prewarm()).forget();
            }
        }
    }

    /// Where the answers of the worker in `role` go.
    fn on_answer(&self, role: Role) -> OnAnswer {
        let controller = *self;
        Rc::new(move |generation, answer| {
            controller.dispatch(Event::Answer {
                from: role,
                generation,
                answer,
            })
        })
    }
}

/// A decoded result (or the head of one) as the page keeps it.
pub(crate) fn loaded(
    finished: crate::protocol::Finished,
    file_name: String,
    source: Source,
) -> Arc<LoadedData> {
    let (outcome, summary, monthly) = finished.into_parts();
    Arc::new(LoadedData::from_parts(
        file_name, source, outcome, summary, monthly,
    ))
}

/// The index of `role` in [`Workers`].
fn slot(role: Role) -> usize {
    match role {
        Role::First => 0,
        Role::Second => 1,
        Role::Reader => 2,
    }
}

/// The script the worker in `role` runs.
fn script(role: Role) -> Script {
    match role {
        Role::First | Role::Second => Script::Import,
        Role::Reader => Script::Reader,
    }
}
