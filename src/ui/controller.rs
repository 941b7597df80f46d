//! The import controller: one place that turns user actions (drop, pick, paste, sample, cancel,
//! re-import) into worker requests, and worker answers into state.

use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use web_sys::Blob;

use super::browser;
use super::state::{AppState, Job, LoadedData, Progress, Source};
use super::worker::WorkerClient;
use crate::engine::ingest::encoding::LanguageHint;
use crate::engine::ingest::{ImportSettings, InspectOptions};
use crate::engine::sample::{sample_csv, SampleLanguage};
use crate::i18n::Lang;
use crate::jobs::{admit, Refusal, Stamped};
use crate::protocol::{Request, Response};

/// Two workers only with at least this many logical processors: with two, the page and two
/// workers share them, and on the 2-core machine of BENCHMARKS.md two threads of the import ran
/// each at about 0.6 of the speed of one alone, so two halves plus the merge took longer than
/// one worker.
const SPLIT_MIN_CORES: u32 = 4;
/// Files from this size on are imported by two workers, one half each.
const SPLIT_MIN_BYTES: f64 = 8.0 * 1024.0 * 1024.0;
/// … up to this size: beyond it, two workers would hold two sets of nearly all customers at
/// once (a 430 MB file has a million of them), so one worker keeps the tab's memory low.
const SPLIT_MAX_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

/// Name of the performance mark at the start of an analysis.
pub const ANALYSIS_START_MARK: &str = "valuelens:analysis-start";
/// Name of the measure from the file input's change (or the sample click) to results on screen.
pub const ANALYSIS_MEASURE: &str = "valuelens:analysis";

/// Handles for the import machinery; `Copy`, provided through context.
#[derive(Clone, Copy)]
pub struct Controller {
    state: AppState,
    worker: StoredValue<Option<WorkerClient>, LocalStorage>,
    /// The second worker, which imports the second half of a big file.
    second: StoredValue<Option<WorkerClient>, LocalStorage>,
    /// Progress of the first and of the second worker (bytes, rows).
    halves: StoredValue<[(u64, u64); 2]>,
    file: StoredValue<Option<Blob>, LocalStorage>,
    file_name: StoredValue<String>,
    auto_import: StoredValue<bool>,
    started_at: StoredValue<f64>,
    /// Counts started imports, so a late step of an old one cannot touch a new one: every
    /// request carries it, every answer comes back stamped with it (see [`WorkerClient::send`]),
    /// and an answer stamped with another is dropped.
    generation: StoredValue<u64>,
    /// The last file refused because another import was running (shown until the next file).
    refused: RwSignal<Option<Refusal>>,
}

impl Controller {
    /// A controller for `state`.
    pub fn new(state: AppState) -> Self {
        Controller {
            state,
            worker: StoredValue::new_local(None),
            second: StoredValue::new_local(None),
            halves: StoredValue::new([(0, 0); 2]),
            file: StoredValue::new_local(None),
            file_name: StoredValue::new(String::new()),
            auto_import: StoredValue::new(true),
            started_at: StoredValue::new(0.0),
            generation: StoredValue::new(0),
            refused: RwSignal::new(None),
        }
    }

    /// The last file refused because another import was running, if any (reactive).
    pub fn refused(&self) -> Option<Refusal> {
        self.refused.get()
    }

    /// Hides the refusal message.
    pub fn dismiss_refusal(&self) {
        self.refused.set(None);
    }

    /// An answer of the first worker: applied only when it belongs to the current import.
    fn on_stamped(&self, stamped: Stamped<Response>) {
        if let Some(response) = stamped.for_current(self.generation.get_value()) {
            self.on_response(response);
        }
    }

    fn ensure_worker(&self) -> bool {
        if self
            .worker
            .with_value(|w| w.as_ref().is_some_and(WorkerClient::is_alive))
        {
            return true;
        }
        let controller = *self;
        let on_response: Rc<dyn Fn(Stamped<Response>)> =
            Rc::new(move |stamped| controller.on_stamped(stamped));
        match WorkerClient::spawn(on_response, Rc::new(|_, _| {})) {
            Ok(client) => {
                self.worker.set_value(Some(client));
                true
            }
            Err(error) => {
                self.state.job.set(Job::Failed {
                    file_name: self.file_name.get_value(),
                    error: crate::engine::Error::Format {
                        what: crate::engine::FormatSubject::File,
                        reason: crate::engine::FormatProblem::WorkerFailed {
                            detail: format!("{error:?}"),
                        },
                    },
                });
                false
            }
        }
    }

    /// Starts the second worker when the machine has the cores for it; false when not.
    fn ensure_second(&self) -> bool {
        if self
            .second
            .with_value(|w| w.as_ref().is_some_and(WorkerClient::is_alive))
        {
            return true;
        }
        if browser::hardware_concurrency() < SPLIT_MIN_CORES {
            return false;
        }
        let controller = *self;
        let on_response: Rc<dyn Fn(Stamped<Response>)> = Rc::new(move |stamped| {
            if let Some(response) = stamped.for_current(controller.generation.get_value()) {
                controller.on_second_response(response);
            }
        });
        let on_part: Rc<dyn Fn(u64, js_sys::Uint8Array)> = Rc::new(move |generation, part| {
            if generation != controller.generation.get_value() {
                return;
            }
            // The second half is done: hand it to the first worker, which merges it.
            controller.second.set_value(None);
            controller
                .worker
                .with_value(|w| w.as_ref().map(|w| w.send_absorb(Some(&part))));
        });
        match WorkerClient::spawn(on_response, on_part) {
            Ok(client) => {
                self.second.set_value(Some(client));
                true
            }
            Err(_) => false,
        }
    }

    /// Whether `file` is imported in two halves: big enough to gain from it, small enough that
    /// two workers' aggregates stay well inside the memory a tab may use.
    fn split(&self) -> bool {
        let size = self
            .file
            .with_value(|f| f.as_ref().map_or(0.0, |f| f.size()));
        (SPLIT_MIN_BYTES..=SPLIT_MAX_BYTES).contains(&size) && self.ensure_second()
    }

    /// Sends `request` with the current file to the first worker; false when no worker could
    /// be started (the job then says so).
    fn send(&self, request: Request) -> bool {
        if !self.ensure_worker() {
            return false;
        }
        self.halves.set_value([(0, 0); 2]);
        let generation = self.generation.get_value();
        self.file.with_value(|file| {
            if let Some(file) = file {
                self.worker.with_value(|worker| {
                    if let Some(worker) = worker {
                        worker.send(generation, &request, file);
                    }
                });
            }
        });
        true
    }

    fn hint(&self) -> LanguageHint {
        let languages = browser::preferred_languages();
        if languages.iter().any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("zh-tw") || l.starts_with("zh-hk") || l.starts_with("zh-hant")
        }) {
            LanguageHint::TraditionalChinese
        } else if self.state.lang.get_untracked() == Lang::Zh {
            LanguageHint::SimplifiedChinese
        } else {
            LanguageHint::Other
        }
    }

    /// Starts on a new file: read its head, guess, and import at once when nothing is unclear.
    /// Refused (and the refusal shown) while another file is being read: false then.
    pub fn open(&self, file: Blob, file_name: String, source: Source) -> bool {
        let running = self.state.job.with_untracked(|job| match job {
            Job::Inspecting { file_name } | Job::Importing { file_name, .. } => {
                Some(file_name.clone())
            }
            _ => None,
        });
        if let Err(refusal) = admit(running.as_deref(), &file_name) {
            self.refused.set(Some(refusal));
            return false;
        }
        self.refused.set(None);
        browser::mark(ANALYSIS_START_MARK);
        self.started_at.set_value(browser::now_ms());
        self.generation.update_value(|g| *g += 1);
        self.file.set_value(Some(file));
        self.file_name.set_value(file_name.clone());
        self.auto_import.set_value(true);
        let options = InspectOptions {
            hint: self.hint(),
            ..Default::default()
        };
        // The worker starts before the page re-renders for the new state (its answers come in
        // later tasks, after this one has set that state).
        let sent = self.send(Request::Inspect {
            options,
            auto: true,
            split: self.split(),
        });
        self.state.pending_source.set(source);
        self.state.preview.set(None);
        if sent {
            self.state.job.set(Job::Inspecting { file_name });
        }
        true
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
        match browser::text_file(name, &sample_csv(language)) {
            Ok(file) => {
                self.open(file.into(), name.to_string(), Source::Sample);
            }
            Err(error) => web_sys::console::error_1(&error),
        }
    }

    /// Opens cells pasted from a spreadsheet (refused like a file while another is read).
    pub fn open_pasted(&self, text: &str, name: String) {
        if let Ok(file) = browser::text_file(&name, text) {
            self.open(file.into(), name, Source::Paste);
        }
    }

    /// Reads the head again with overrides (encoding, delimiter, header), then waits for the user.
    pub fn reinspect(&self, options: InspectOptions) {
        if self.file.with_value(Option::is_none) {
            return;
        }
        self.auto_import.set_value(false);
        self.state.job.set(Job::Inspecting {
            file_name: self.file_name.get_value(),
        });
        self.send(Request::Inspect {
            options: InspectOptions {
                hint: self.hint(),
                ..options
            },
            auto: false,
            split: false,
        });
    }

    /// Starts a worker ahead of the first file, so a drop does not wait for the worker's wasm
    /// to load and compile. Called when the app has painted, and after every finished import
    /// (the worker that held a big aggregation is ended, see [`WorkerClient`]).
    pub fn prewarm(&self) {
        if self.state.job.with_untracked(Job::is_busy) {
            return;
        }
        self.ensure_worker();
        self.ensure_second();
    }

    /// Imports the current file with `settings`.
    pub fn import(&self, settings: ImportSettings) {
        if self.file.with_value(Option::is_none) {
            return;
        }
        browser::mark(ANALYSIS_START_MARK);
        self.show_importing();
        self.send(Request::Import {
            settings,
            split: self.split(),
        });
    }

    /// The job becomes "importing" (the worker has been told, or goes on by itself).
    fn show_importing(&self) {
        self.started_at.set_value(browser::now_ms());
        let total = self
            .file
            .with_value(|f| f.as_ref().map(|f| f.size() as u64).unwrap_or(0));
        self.state.job.set(Job::Importing {
            file_name: self.file_name.get_value(),
            progress: Progress {
                total,
                ..Default::default()
            },
        });
    }

    /// Stops the running import; the data loaded before stays.
    pub fn cancel(&self) {
        // Whatever the dropped workers had still on the way belongs to no import now.
        self.generation.update_value(|g| *g += 1);
        self.worker.set_value(None);
        self.second.set_value(None);
        self.state.job.set(Job::Cancelled);
    }

    /// True when a file is open (so its settings can be changed and it re-imported).
    pub fn has_file(&self) -> bool {
        self.file.with_value(Option::is_some)
    }

    /// Shows the progress of both halves together.
    fn progress(&self, response: Response) {
        let Response::Progress {
            bytes,
            total,
            rows,
            part,
            ..
        } = response
        else {
            return;
        };
        self.halves
            .update_value(|halves| halves[usize::from(part)] = (bytes, rows));
        let [(bytes_a, rows_a), (bytes_b, rows_b)] = self.halves.get_value();
        let elapsed_ms = browser::now_ms() - self.started_at.get_value();
        self.state.job.set(Job::Importing {
            file_name: self.file_name.get_value(),
            progress: Progress {
                bytes: bytes_a + bytes_b,
                total,
                rows: rows_a + rows_b,
                elapsed_ms,
            },
        });
    }

    /// Answers of the second worker: its progress, or its failure (then the first worker reads
    /// the second half itself). Its result arrives as a part, see [`Controller::ensure_second`].
    fn on_second_response(&self, response: Response) {
        match response {
            Response::Progress { .. } => self.progress(response),
            Response::Failed(_) => {
                self.second.set_value(None);
                self.halves.update_value(|halves| halves[1] = (0, 0));
                self.worker
                    .with_value(|w| w.as_ref().map(|w| w.send_absorb(None)));
            }
            _ => {}
        }
    }

    fn on_response(&self, response: Response) {
        let file_name = self.file_name.get_value();
        match response {
            Response::Ready => {}
            Response::Preview(preview) => {
                let preview = *preview;
                // The worker's own rule (see `Request::Inspect`): it is importing already.
                let going_on = self.auto_import.get_value() && preview.concerns().is_empty();
                self.state.preview.set(Some(preview));
                if going_on {
                    self.show_importing();
                } else {
                    self.state.job.set(Job::Mapping { file_name });
                }
            }
            Response::Progress { .. } => self.progress(response),
            Response::SplitAt { start, settings } => {
                let request = Request::ImportPart { settings, start };
                let generation = self.generation.get_value();
                self.file.with_value(|file| {
                    self.second.with_value(|second| {
                        if let (Some(file), Some(second)) = (file, second) {
                            second.send(generation, &request, file);
                        }
                    })
                });
            }
            Response::Done(finished) => {
                // The first worker read on alone (a quoted line break at the split), or merged.
                self.second.set_value(None);
                let (outcome, summary, monthly) = finished.into_parts();
                {
                    let source = self.state.pending_source.get_untracked();
                    let data = LoadedData::from_parts(file_name, source, outcome, summary, monthly);
                    // Decoding was this task; showing the results is the next one, so neither
                    // blocks the page for long.
                    let (state, worker, generation) = (self.state, self.worker, self.generation);
                    let controller = *self;
                    let started = generation.get_value();
                    set_timeout(
                        move || {
                            if generation.get_value() != started {
                                // Cancelled, or another file opened meanwhile: this result is
                                // not theirs; leave their job and worker alone.
                                return;
                            }
                            state.data.set(Some(Arc::new(data)));
                            state.job.set(Job::Idle);
                            // A wasm instance never gives memory back: drop the worker that held
                            // the aggregation of a big file; the next import starts a fresh one.
                            // (Not in the message handler above: that runs inside the worker's
                            // own callback.)
                            worker.set_value(None);
                            // … and have the next one ready, once the results are on screen.
                            set_timeout(move || controller.prewarm(), Duration::from_millis(500));
                            // Measure once the results have been painted: two animation frames later.
                            request_animation_frame(move || {
                                request_animation_frame(move || {
                                    browser::measure(ANALYSIS_MEASURE, ANALYSIS_START_MARK)
                                })
                            });
                        },
                        std::time::Duration::ZERO,
                    );
                }
            }
            Response::Failed(error) => {
                self.second.set_value(None);
                self.state.job.set(Job::Failed { file_name, error });
            }
        }
    }
}
