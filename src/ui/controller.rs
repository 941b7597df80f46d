//! The import controller: one place that turns user actions (drop, pick, paste, sample, cancel,
//! re-import) into worker requests, and worker answers into state.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use web_sys::Blob;

use super::browser;
use super::state::{AppState, Job, LoadedData, Progress, Source};
use super::worker::WorkerClient;
use crate::engine::ingest::encoding::LanguageHint;
use crate::engine::ingest::{ImportSettings, InspectOptions};
use crate::engine::sample::{sample_csv, sample_file_name, SampleLanguage};
use crate::i18n::Lang;
use crate::protocol::{Request, Response};

/// Name of the performance mark at the start of an analysis.
pub const ANALYSIS_START_MARK: &str = "valuelens:analysis-start";
/// Name of the measure from the file input's change (or the sample click) to results on screen.
pub const ANALYSIS_MEASURE: &str = "valuelens:analysis";

/// Handles for the import machinery; `Copy`, provided through context.
#[derive(Clone, Copy)]
pub struct Controller {
    state: AppState,
    worker: StoredValue<Option<WorkerClient>, LocalStorage>,
    file: StoredValue<Option<Blob>, LocalStorage>,
    file_name: StoredValue<String>,
    auto_import: StoredValue<bool>,
    started_at: StoredValue<f64>,
    /// Counts started imports, so a late step of an old one cannot touch a new one.
    generation: StoredValue<u64>,
}

impl Controller {
    /// A controller for `state`.
    pub fn new(state: AppState) -> Self {
        Controller {
            state,
            worker: StoredValue::new_local(None),
            file: StoredValue::new_local(None),
            file_name: StoredValue::new(String::new()),
            auto_import: StoredValue::new(true),
            started_at: StoredValue::new(0.0),
            generation: StoredValue::new(0),
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
        let on_response: Rc<dyn Fn(Response)> =
            Rc::new(move |response| controller.on_response(response));
        match WorkerClient::spawn(on_response) {
            Ok(client) => {
                self.worker.set_value(Some(client));
                true
            }
            Err(error) => {
                self.state.job.set(Job::Failed {
                    file_name: self.file_name.get_value(),
                    error: crate::engine::Error::Format {
                        what: "the file".into(),
                        reason: format!("the background worker could not start: {error:?}"),
                    },
                });
                false
            }
        }
    }

    fn send(&self, request: Request) {
        if !self.ensure_worker() {
            return;
        }
        self.file.with_value(|file| {
            if let Some(file) = file {
                self.worker.with_value(|worker| {
                    if let Some(worker) = worker {
                        worker.send(&request, file);
                    }
                });
            }
        });
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
    pub fn open(&self, file: Blob, file_name: String, source: Source) {
        browser::mark(ANALYSIS_START_MARK);
        self.started_at.set_value(browser::now_ms());
        self.generation.update_value(|g| *g += 1);
        self.file.set_value(Some(file));
        self.file_name.set_value(file_name.clone());
        self.auto_import.set_value(true);
        self.state.pending_source.set(source);
        self.state.preview.set(None);
        self.state.job.set(Job::Inspecting { file_name });
        let options = InspectOptions {
            hint: self.hint(),
            ..Default::default()
        };
        self.send(Request::Inspect { options });
    }

    /// Opens the built-in sample, through the same path as a dropped file.
    pub fn open_sample(&self) {
        let language = match self.state.lang.get_untracked() {
            Lang::Zh => SampleLanguage::Chinese,
            Lang::En => SampleLanguage::English,
        };
        let name = sample_file_name(language);
        // Mark before generating, so the measure covers everything from the click.
        browser::mark(ANALYSIS_START_MARK);
        match browser::text_file(name, &sample_csv(language)) {
            Ok(file) => self.open(file.into(), name.to_string(), Source::Sample),
            Err(error) => web_sys::console::error_1(&error),
        }
    }

    /// Opens cells pasted from a spreadsheet.
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
        });
    }

    /// Imports the current file with `settings`.
    pub fn import(&self, settings: ImportSettings) {
        if self.file.with_value(Option::is_none) {
            return;
        }
        if self.auto_import.get_value() {
            // Keep the mark from the file's change event.
        } else {
            browser::mark(ANALYSIS_START_MARK);
        }
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
        self.send(Request::Import { settings });
    }

    /// Stops the running import; the data loaded before stays.
    pub fn cancel(&self) {
        self.worker.set_value(None);
        self.state.job.set(Job::Cancelled);
    }

    /// True when a file is open (so its settings can be changed and it re-imported).
    pub fn has_file(&self) -> bool {
        self.file.with_value(Option::is_some)
    }

    fn on_response(&self, response: Response) {
        let file_name = self.file_name.get_value();
        match response {
            Response::Ready => {}
            Response::Preview(preview) => {
                let preview = *preview;
                let go = self.auto_import.get_value() && preview.concerns().is_empty();
                let settings = preview.settings();
                self.state.preview.set(Some(preview));
                if go {
                    self.import(settings);
                } else {
                    self.state.job.set(Job::Mapping { file_name });
                }
            }
            Response::Progress {
                bytes, total, rows, ..
            } => {
                let elapsed_ms = browser::now_ms() - self.started_at.get_value();
                self.state.job.set(Job::Importing {
                    file_name,
                    progress: Progress {
                        bytes,
                        total,
                        rows,
                        elapsed_ms,
                    },
                });
            }
            Response::Done(finished) => match finished.into_parts() {
                Ok((outcome, summary, monthly)) => {
                    let source = self.state.pending_source.get_untracked();
                    let data = LoadedData::from_parts(file_name, source, outcome, summary, monthly);
                    // Decoding was this task; showing the results is the next one, so neither
                    // blocks the page for long.
                    let (state, worker, generation) = (self.state, self.worker, self.generation);
                    let started = generation.get_value();
                    set_timeout(
                        move || {
                            state.data.set(Some(Arc::new(data)));
                            if generation.get_value() != started {
                                // Another file was opened meanwhile: leave its job and worker alone.
                                return;
                            }
                            state.job.set(Job::Idle);
                            // A wasm instance never gives memory back: drop the worker that held
                            // the aggregation of a big file; the next import starts a fresh one.
                            // (Not in the message handler above: that runs inside the worker's
                            // own callback.)
                            worker.set_value(None);
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
                Err(error) => self.state.job.set(Job::Failed { file_name, error }),
            },
            Response::Failed(error) => {
                self.state.job.set(Job::Failed { file_name, error });
            }
        }
    }
}
