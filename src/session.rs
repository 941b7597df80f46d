//! The import session (导入会话): everything the page decides between a dropped file and the
//! data on screen, as one pure state machine — a [`Session`] takes an [`Event`] (a user's
//! action, a worker's answer, a timer) and returns the [`Command`]s to carry out (start or end
//! a worker, send it a request, show a preview, apply a result, schedule a timer). It touches
//! nothing itself: `ui::controller` keeps it and runs its commands with web-sys and gloo, and
//! the tests below run every path natively.
//!
//! The rules it keeps:
//! - **One import at a time.** A file that comes (dropped, picked, pasted, the sample) while
//!   another is being read is refused, and the refusal names both files ([`Refusal`]); the
//!   running import goes on untouched. Changing the settings of the open file
//!   ([`Event::Reinspect`]) starts its reading over (what ran is ended); importing it again
//!   ([`Event::Import`]) is ignored while an import runs (its settings may be those of the data
//!   on screen, not of the file being read).
//! - **Every import has a number** (its generation). Every request carries it, the worker
//!   answers with the number of the request it answers, and an answer with any other number is
//!   dropped — in every phase, so nothing of an import that was cancelled or superseded ever
//!   reaches the page.
//! - **A worker is never given a second job.** A new import reuses a worker only when it is
//!   idle; a busy one is ended and a fresh one started.
//! - **A big file may be read in two halves** by two workers (see [`SPLIT_MIN_CORES`],
//!   [`SPLIT_MIN_BYTES`], [`SPLIT_MAX_BYTES`]): the first worker names the split
//!   ([`Answer::SplitAt`]), the second reads from there and answers with its part
//!   ([`Answer::Part`]), which goes to the first to merge ([`Command::Absorb`]); if the second
//!   fails, the first reads the rest itself. Only the first worker's `Done` (the merged result)
//!   ends the import.
//! - **A result is applied in the task after it was decoded** ([`Command::ApplyLater`] →
//!   [`Event::ApplyDue`]), and only if its import is still the current one.

use crate::engine::error::{Error, FormatProblem, FormatSubject};
use crate::engine::ingest::encoding::LanguageHint;
use crate::engine::ingest::{ImportSettings, InspectOptions, Preview};
use crate::protocol::Request;

pub mod join;

/// Two workers only with at least this many logical processors: with two, the page and two
/// workers share them, and on the 2-core machine of BENCHMARKS.md two threads of the import ran
/// each at about 0.6 of the speed of one alone, so two halves plus the merge took longer than
/// one worker.
pub const SPLIT_MIN_CORES: u32 = 4;
/// Files from this size on are imported by two workers, one half each.
pub const SPLIT_MIN_BYTES: u64 = 8 * 1024 * 1024;
/// … up to this size: beyond it, two workers would hold two sets of nearly all customers at
/// once (a 430 MB file has a million of them), so one worker keeps the tab's memory low.
pub const SPLIT_MAX_BYTES: u64 = 256 * 1024 * 1024;
/// After a result is on screen, the next worker is started this much later
/// ([`Command::PrewarmLater`]).
pub const PREWARM_DELAY_MS: u32 = 500;

/// The encoding detector's prior for a file opened on this page: Traditional Chinese when the
/// browser prefers zh-TW, zh-HK or zh-Hant (Big5 files), else Simplified Chinese in the Chinese
/// UI (GBK files), else none. `languages` are the browser's preferred languages, in order.
pub fn language_hint(languages: &[String], lang: crate::i18n::Lang) -> LanguageHint {
    let traditional = languages.iter().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("zh-tw") || l.starts_with("zh-hk") || l.starts_with("zh-hant")
    });
    match (traditional, lang) {
        (true, _) => LanguageHint::TraditionalChinese,
        (false, crate::i18n::Lang::Zh) => LanguageHint::SimplifiedChinese,
        (false, crate::i18n::Lang::En) => LanguageHint::Other,
    }
}

/// The things a session passes around without looking into them: the file (a `Blob` on the
/// page), the second worker's part (a received buffer) and the decoded result.
pub trait Platform {
    /// The file being imported.
    type File: Clone + std::fmt::Debug;
    /// A second worker's partial aggregates, as received.
    type Part: std::fmt::Debug;
    /// A finished import, decoded.
    type Finished: std::fmt::Debug;
}

/// Which of the import workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Inspects, imports (the first half, when split) and merges.
    First,
    /// Imports the second half of a big file.
    Second,
    /// Reads a table file (an Excel workbook, a Parquet file: `src/bin/reader.rs`), in place of
    /// the first: started on demand, never split.
    Reader,
}

impl Role {
    fn index(self) -> usize {
        match self {
            Role::First => 0,
            Role::Second => 1,
            Role::Reader => 2,
        }
    }
}

/// What the session knows of a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Worker {
    /// None is running (never started, ended, or ended itself).
    #[default]
    Absent,
    /// Started (perhaps still loading) and free for a request.
    Idle,
    /// Working on a request of the current import.
    Busy,
}

/// Where the data came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A file the user dropped or picked.
    File,
    /// The built-in sample.
    Sample,
    /// Cells pasted from a spreadsheet.
    Paste,
}

/// A file that was not opened because another import was running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The file being imported.
    pub running: String,
    /// The file that was not opened.
    pub refused: String,
}

/// Progress of a running import.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Progress {
    /// Bytes read.
    pub bytes: u64,
    /// File size.
    pub total: u64,
    /// Rows read.
    pub rows: u64,
    /// Milliseconds since the import started.
    pub elapsed_ms: f64,
}

impl Progress {
    /// 0..=1.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (self.bytes as f64 / self.total as f64).clamp(0.0, 1.0)
        }
    }

    /// Rows per second so far.
    pub fn rows_per_second(&self) -> f64 {
        if self.elapsed_ms <= 0.0 {
            0.0
        } else {
            self.rows as f64 / (self.elapsed_ms / 1000.0)
        }
    }
}

/// What the import machinery is doing, as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// Nothing.
    Idle,
    /// Reading the head of a file.
    Inspecting {
        /// File name.
        file_name: String,
    },
    /// Waiting for the user to confirm the import settings.
    Mapping {
        /// File name.
        file_name: String,
    },
    /// Importing.
    Importing {
        /// File name.
        file_name: String,
        /// How far.
        progress: Progress,
    },
    /// The last attempt failed; the data loaded before is unchanged.
    Failed {
        /// File name.
        file_name: String,
        /// Why.
        error: Error,
    },
    /// The user cancelled.
    Cancelled,
}

impl Job {
    /// True while the worker is busy.
    pub fn is_busy(&self) -> bool {
        matches!(self, Job::Inspecting { .. } | Job::Importing { .. })
    }

    /// The phase, as far as keyboard focus cares (`crate::a11y::focus_after`).
    pub fn phase(&self) -> crate::a11y::JobPhase {
        use crate::a11y::JobPhase;
        match self {
            Job::Idle => JobPhase::Idle,
            Job::Inspecting { .. } => JobPhase::Inspecting,
            Job::Mapping { .. } => JobPhase::Mapping,
            Job::Importing { .. } => JobPhase::Importing,
            Job::Failed { .. } => JobPhase::Failed,
            Job::Cancelled => JobPhase::Cancelled,
        }
    }
}

/// What happens to a session.
#[derive(Debug)]
pub enum Event<P: Platform> {
    /// A file to import: dropped, picked, pasted or the sample.
    Open {
        /// The file.
        file: P::File,
        /// Its name as shown.
        name: String,
        /// Its size in bytes.
        size: u64,
        /// Where it came from.
        source: Source,
        /// How to read its head (the language hint).
        options: InspectOptions,
    },
    /// Read the head of the open file again with these overrides, then wait for the user.
    Reinspect(InspectOptions),
    /// Import the open file with these settings.
    Import(ImportSettings),
    /// Stop the running import; the data loaded before stays.
    Cancel,
    /// Hide the refusal.
    DismissRefusal,
    /// Have workers ready ahead of the next file.
    Prewarm,
    /// A worker could not be started ([`Command::Start`]).
    StartFailed {
        /// Which.
        role: Role,
        /// The browser's message.
        detail: String,
    },
    /// A worker answered.
    Answer {
        /// Which worker.
        from: Role,
        /// The import the answer belongs to.
        generation: u64,
        /// The answer.
        answer: Answer<P>,
    },
    /// The task after a result was decoded ([`Command::ApplyLater`]).
    ApplyDue {
        /// The import whose result waits.
        generation: u64,
    },
}

/// A worker's answer, as the session sees it.
#[derive(Debug)]
pub enum Answer<P: Platform> {
    /// What the head of the file looks like.
    Preview(Box<Preview>),
    /// How far the worker has read.
    Progress {
        /// Bytes read (the second worker counts from its start).
        bytes: u64,
        /// Data rows read.
        rows: u64,
    },
    /// The first worker splits the file: the second half starts at `start`.
    SplitAt {
        /// Where the second half starts.
        start: u64,
        /// The import's settings.
        settings: Box<ImportSettings>,
    },
    /// The second worker's partial aggregates.
    Part(P::Part),
    /// The head of a big finished import, before its customers are decoded: the headline
    /// figures, the monthly sales and the report, with no customers (the page paints them
    /// while the customers arrive; [`Answer::Done`] follows).
    Head(P::Finished),
    /// The finished import (decoded).
    Done(P::Finished),
    /// The small part of a saved workspace read in a worker (`Request::Restore`, which is not
    /// the session's: the workspace panel keeps the worker it asked).
    Restored(Box<crate::protocol::Restored>),
    /// The request failed; the worker takes requests again.
    Failed(Error),
    /// The worker itself stopped (out of memory, a bug): it is gone.
    Crashed(Error),
}

/// What the session asks its runner to do, in order.
#[derive(Debug)]
pub enum Command<P: Platform> {
    /// Start a worker (answer [`Event::StartFailed`] when it cannot be).
    Start(Role),
    /// End a worker at once and forget it (whatever it still sends is lost).
    Terminate(Role),
    /// Send `request` with the file to a worker.
    Send {
        /// Which worker.
        to: Role,
        /// The import the request belongs to.
        generation: u64,
        /// The request (boxed: import settings are large beside the other commands).
        request: Box<Request>,
        /// The file.
        file: P::File,
    },
    /// Send the first worker the second worker's part to merge, or (`None`) the word to read
    /// the rest itself.
    Absorb {
        /// The import.
        generation: u64,
        /// The part.
        part: Option<P::Part>,
    },
    /// Mark the start of an analysis (the performance measure's start).
    MarkStart,
    /// Show this preview of the file (or none).
    SetPreview(Option<Box<Preview>>),
    /// Show the head of the result (no customers yet) while the customers are decoded; the
    /// [`Command::Apply`] that follows replaces it.
    ShowHead {
        /// The head ([`Answer::Head`]).
        head: P::Finished,
        /// The file's name.
        file_name: String,
        /// Where it came from.
        source: Source,
    },
    /// Send [`Event::ApplyDue`] with this generation in the next task.
    ApplyLater {
        /// The import.
        generation: u64,
    },
    /// Put the result on screen, then measure the analysis once it is painted.
    Apply {
        /// The result.
        finished: P::Finished,
        /// The file's name.
        file_name: String,
        /// Where it came from.
        source: Source,
    },
    /// Send [`Event::Prewarm`] after [`PREWARM_DELAY_MS`].
    PrewarmLater,
}

/// The file the session is about.
#[derive(Debug, Clone)]
struct Opened<F> {
    file: F,
    name: String,
    size: u64,
    source: Source,
    /// Read by the reader worker (a table file, by its name or, once the import worker found
    /// it no text, by its first bytes; text in a legacy encoding, once the import worker found
    /// it not UTF-8 or was asked for another encoding).
    reader: bool,
    /// The options of the last inspection (sent again when the file goes to the reader).
    options: InspectOptions,
}

/// How the work on a file is shared between the workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Halves {
    /// The first worker reads it all.
    One,
    /// The first worker may split it (the second is held ready) and has not said yet.
    Offered,
    /// The second worker reads the second half.
    Second,
    /// The second half (or the word that it failed) has gone to the first worker.
    Merging,
}

/// A running import.
#[derive(Debug, Clone, Copy)]
struct Import {
    halves: Halves,
    /// Bytes and rows of each worker.
    read: [(u64, u64); 2],
    started_ms: f64,
    progress: Progress,
}

#[derive(Debug)]
enum Phase<P: Platform> {
    Idle,
    Inspecting {
        auto: bool,
        split: bool,
    },
    Mapping,
    Importing(Import),
    /// Decoded, to be applied in the next task.
    Finishing {
        finished: P::Finished,
        progress: Progress,
    },
    Failed(Error),
    Cancelled,
}

/// The state of the import machinery of a page (see the module doc).
#[derive(Debug)]
pub struct Session<P: Platform> {
    /// Logical processors of the machine.
    cores: u32,
    generation: u64,
    phase: Phase<P>,
    workers: [Worker; 3],
    opened: Option<Opened<P::File>>,
    refused: Option<Refusal>,
    /// The reader worker has read a file in this tab (a table file, or text in a legacy
    /// encoding, which the import worker is built without): it is then kept ready like the
    /// import worker, so the next such file does not wait for its start.
    reader_wanted: bool,
}

impl<P: Platform> Session<P> {
    /// A session on a machine with `cores` logical processors.
    pub fn new(cores: u32) -> Self {
        Session {
            cores,
            generation: 0,
            phase: Phase::Idle,
            workers: [Worker::Absent; 3],
            opened: None,
            refused: None,
            reader_wanted: false,
        }
    }

    /// The number of the current import.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// What the page shows of the session.
    pub fn job(&self) -> Job {
        let file_name = || {
            self.opened
                .as_ref()
                .map_or_else(String::new, |o| o.name.clone())
        };
        match &self.phase {
            Phase::Idle => Job::Idle,
            Phase::Inspecting { .. } => Job::Inspecting {
                file_name: file_name(),
            },
            Phase::Mapping => Job::Mapping {
                file_name: file_name(),
            },
            Phase::Importing(Import { progress, .. }) | Phase::Finishing { progress, .. } => {
                Job::Importing {
                    file_name: file_name(),
                    progress: *progress,
                }
            }
            Phase::Failed(error) => Job::Failed {
                file_name: file_name(),
                error: error.clone(),
            },
            Phase::Cancelled => Job::Cancelled,
        }
    }

    /// The last file refused because another import was running (shown until the next file
    /// opens or the user dismisses it).
    pub fn refused(&self) -> Option<&Refusal> {
        self.refused.as_ref()
    }

    /// True when a file is open (its settings can be changed and it imported again).
    pub fn has_file(&self) -> bool {
        self.opened.is_some()
    }

    /// What the session knows of a worker.
    pub fn worker(&self, role: Role) -> Worker {
        self.workers[role.index()]
    }

    /// How the running import is shared between the workers (`None` when none runs).
    pub fn halves(&self) -> Option<Halves> {
        match &self.phase {
            Phase::Importing(import) => Some(import.halves),
            _ => None,
        }
    }

    /// True while a file is being read (or its result applied): a new file is refused.
    pub fn is_busy(&self) -> bool {
        matches!(
            self.phase,
            Phase::Inspecting { .. } | Phase::Importing(_) | Phase::Finishing { .. }
        )
    }

    /// Takes `event` at `now_ms` (the page's clock, for the progress's speed) and returns what
    /// to do.
    pub fn step(&mut self, event: Event<P>, now_ms: f64) -> Vec<Command<P>> {
        let mut out = Vec::new();
        match event {
            Event::Open {
                file,
                name,
                size,
                source,
                options,
            } => self.open(
                Opened {
                    reader: crate::engine::formats::kind_by_name(&name).is_table(),
                    file,
                    name,
                    size,
                    source,
                    options: options.clone(),
                },
                options,
                &mut out,
            ),
            Event::Reinspect(options) => self.reinspect(options, &mut out),
            Event::Import(settings) => self.import(settings, now_ms, &mut out),
            Event::Cancel => self.cancel(&mut out),
            Event::DismissRefusal => self.refused = None,
            Event::Prewarm => self.prewarm(&mut out),
            Event::StartFailed { role, detail } => self.start_failed(role, detail),
            Event::Answer {
                from,
                generation,
                answer,
            } => self.answer(from, generation, answer, now_ms, &mut out),
            Event::ApplyDue { generation } => self.apply_due(generation, &mut out),
        }
        out
    }

    fn set_worker(&mut self, role: Role, worker: Worker) {
        self.workers[role.index()] = worker;
    }

    /// A worker free for a new request: the idle one, or a fresh one.
    fn claim(&mut self, role: Role, out: &mut Vec<Command<P>>) {
        match self.worker(role) {
            Worker::Idle => {}
            Worker::Busy => {
                out.push(Command::Terminate(role));
                out.push(Command::Start(role));
            }
            Worker::Absent => out.push(Command::Start(role)),
        }
        self.set_worker(role, Worker::Idle);
    }

    /// Ends `role` when it works on something (which is then no one's).
    fn end_busy(&mut self, role: Role, out: &mut Vec<Command<P>>) {
        if self.worker(role) == Worker::Busy {
            out.push(Command::Terminate(role));
            self.set_worker(role, Worker::Absent);
        }
    }

    /// Whether a file of `size` bytes is read in two halves on this machine.
    fn splits(&self, size: u64) -> bool {
        self.cores >= SPLIT_MIN_CORES && (SPLIT_MIN_BYTES..=SPLIT_MAX_BYTES).contains(&size)
    }

    /// The worker that inspects and imports the open file: the reader for a table file, else
    /// the first.
    fn lead(&self) -> Role {
        match &self.opened {
            Some(opened) if opened.reader => Role::Reader,
            _ => Role::First,
        }
    }

    /// Sends `request` to the lead worker (claimed) with the open file.
    fn send_first(&mut self, request: Request, out: &mut Vec<Command<P>>) {
        let Some(opened) = &self.opened else {
            return;
        };
        let file = opened.file.clone();
        let lead = self.lead();
        self.reader_wanted |= lead == Role::Reader;
        self.claim(lead, out);
        self.set_worker(lead, Worker::Busy);
        out.push(Command::Send {
            to: lead,
            generation: self.generation,
            request: Box::new(request),
            file,
        });
    }

    /// The second worker held ready for a split import of a file of `size`: whether it is.
    fn offer_split(&mut self, size: u64, out: &mut Vec<Command<P>>) -> bool {
        let split = self.splits(size) && self.lead() == Role::First;
        if split {
            self.claim(Role::Second, out);
        }
        split
    }

    fn open(
        &mut self,
        opened: Opened<P::File>,
        options: InspectOptions,
        out: &mut Vec<Command<P>>,
    ) {
        if self.is_busy() {
            let running = self
                .opened
                .as_ref()
                .map_or_else(String::new, |o| o.name.clone());
            self.refused = Some(Refusal {
                running,
                refused: opened.name,
            });
            return;
        }
        self.refused = None;
        self.generation += 1;
        out.push(Command::MarkStart);
        out.push(Command::SetPreview(None));
        let size = opened.size;
        self.opened = Some(opened);
        let split = self.offer_split(size, out);
        self.send_first(
            Request::Inspect {
                options,
                auto: true,
                split,
            },
            out,
        );
        self.phase = Phase::Inspecting { auto: true, split };
    }

    fn reinspect(&mut self, options: InspectOptions, out: &mut Vec<Command<P>>) {
        let Some(opened) = &mut self.opened else {
            return;
        };
        opened.options = options.clone();
        // The settings of the file being read changed: what runs is for the old ones.
        self.generation += 1;
        self.end_busy(Role::Second, out);
        self.send_first(
            Request::Inspect {
                options,
                auto: false,
                split: false,
            },
            out,
        );
        self.phase = Phase::Inspecting {
            auto: false,
            split: false,
        };
    }

    fn import(&mut self, settings: ImportSettings, now_ms: f64, out: &mut Vec<Command<P>>) {
        let Some(size) = self.opened.as_ref().map(|o| o.size) else {
            return;
        };
        if self.is_busy() {
            return;
        }
        self.generation += 1;
        out.push(Command::MarkStart);
        let split = self.offer_split(size, out);
        self.send_first(Request::Import { settings, split }, out);
        self.phase = Phase::Importing(self.started(split, now_ms));
    }

    /// A new running import of the open file.
    fn started(&self, split: bool, now_ms: f64) -> Import {
        Import {
            halves: if split { Halves::Offered } else { Halves::One },
            read: [(0, 0); 2],
            started_ms: now_ms,
            progress: Progress {
                total: self.opened.as_ref().map_or(0, |o| o.size),
                ..Progress::default()
            },
        }
    }

    fn cancel(&mut self, out: &mut Vec<Command<P>>) {
        if !self.is_busy() {
            return;
        }
        // Whatever the ended workers had still on the way belongs to no import now.
        self.generation += 1;
        self.end_busy(Role::First, out);
        self.end_busy(Role::Second, out);
        self.end_busy(Role::Reader, out);
        self.phase = Phase::Cancelled;
    }

    fn prewarm(&mut self, out: &mut Vec<Command<P>>) {
        if self.is_busy() {
            return;
        }
        if self.worker(Role::First) == Worker::Absent {
            self.claim(Role::First, out);
        }
        if self.cores >= SPLIT_MIN_CORES && self.worker(Role::Second) == Worker::Absent {
            self.claim(Role::Second, out);
        }
        if self.reader_wanted && self.worker(Role::Reader) == Worker::Absent {
            self.claim(Role::Reader, out);
        }
    }

    fn start_failed(&mut self, role: Role, detail: String) {
        self.set_worker(role, Worker::Absent);
        let reading = matches!(self.phase, Phase::Inspecting { .. } | Phase::Importing(_));
        if role == self.lead() && reading {
            self.phase = Phase::Failed(Error::Format {
                what: FormatSubject::File,
                reason: FormatProblem::WorkerFailed { detail },
            });
        }
    }

    fn answer(
        &mut self,
        from: Role,
        generation: u64,
        answer: Answer<P>,
        now_ms: f64,
        out: &mut Vec<Command<P>>,
    ) {
        if let Answer::Crashed(_) = answer {
            // Gone, whichever import it worked for.
            if self.worker(from) != Worker::Absent {
                out.push(Command::Terminate(from));
                self.set_worker(from, Worker::Absent);
            }
        }
        if generation != self.generation {
            return;
        }
        match from {
            Role::Second => self.second_answer(answer, now_ms, out),
            lead if lead == self.lead() => self.first_answer(answer, now_ms, out),
            // The import worker of a file that went to the reader since.
            _ => {}
        }
    }

    fn first_answer(&mut self, answer: Answer<P>, now_ms: f64, out: &mut Vec<Command<P>>) {
        let lead = self.lead();
        match (answer, &mut self.phase) {
            (Answer::Failed(error), &mut Phase::Inspecting { auto, .. })
                if lead == Role::First && for_the_reader(&error) =>
            {
                // The import worker found a workbook or a Parquet file under another name, or
                // text in an encoding it is built without: the reader reads it.
                self.set_worker(Role::First, Worker::Idle);
                let Some(opened) = &mut self.opened else {
                    return;
                };
                opened.reader = true;
                let options = opened.options.clone();
                self.end_busy(Role::Second, out);
                self.send_first(
                    Request::Inspect {
                        options,
                        auto,
                        split: false,
                    },
                    out,
                );
                self.phase = Phase::Inspecting { auto, split: false };
            }
            (Answer::Preview(preview), &mut Phase::Inspecting { auto, split }) => {
                // The worker's own rule (see `Request::Inspect`): it is importing already.
                let going_on = auto && preview.concerns().is_empty();
                out.push(Command::SetPreview(Some(preview)));
                if going_on {
                    self.phase = Phase::Importing(self.started(split, now_ms));
                } else {
                    self.set_worker(lead, Worker::Idle);
                    self.phase = Phase::Mapping;
                }
            }
            (Answer::Progress { bytes, rows }, Phase::Importing(import)) => {
                import.read[0] = (bytes, rows);
                import.update(now_ms);
            }
            (Answer::SplitAt { start, settings }, Phase::Importing(import))
                if import.halves == Halves::Offered =>
            {
                let file = self.opened.as_ref().map(|o| o.file.clone());
                match (self.workers[Role::Second.index()], file) {
                    (Worker::Idle, Some(file)) => {
                        import.halves = Halves::Second;
                        self.workers[Role::Second.index()] = Worker::Busy;
                        out.push(Command::Send {
                            to: Role::Second,
                            generation: self.generation,
                            request: Box::new(Request::ImportPart { settings, start }),
                            file,
                        });
                    }
                    _ => {
                        // No second worker after all: the first reads on.
                        import.halves = Halves::Merging;
                        out.push(Command::Absorb {
                            generation: self.generation,
                            part: None,
                        });
                    }
                }
            }
            (Answer::Head(head), Phase::Importing(_)) => {
                let (file_name, source) = self.file_name_and_source();
                out.push(Command::ShowHead {
                    head,
                    file_name,
                    source,
                });
            }
            (Answer::Done(finished), Phase::Importing(import)) => {
                let progress = import.progress;
                // The first worker was ended by its client when its frame came
                // (`ui::worker::done_timing`); a second one still reading lost the race (a
                // quoted line break at the split).
                out.push(Command::Terminate(lead));
                self.set_worker(lead, Worker::Absent);
                self.end_busy(Role::Second, out);
                self.phase = Phase::Finishing { finished, progress };
                out.push(Command::ApplyLater {
                    generation: self.generation,
                });
            }
            (
                Answer::Failed(error) | Answer::Crashed(error),
                Phase::Inspecting { .. } | Phase::Importing(_),
            ) => {
                if self.worker(lead) == Worker::Busy {
                    self.set_worker(lead, Worker::Idle);
                }
                self.end_busy(Role::Second, out);
                self.phase = Phase::Failed(error);
            }
            _ => {}
        }
    }

    fn second_answer(&mut self, answer: Answer<P>, now_ms: f64, out: &mut Vec<Command<P>>) {
        let Phase::Importing(import) = &mut self.phase else {
            return;
        };
        if import.halves != Halves::Second {
            return;
        }
        match answer {
            Answer::Progress { bytes, rows } => {
                import.read[1] = (bytes, rows);
                import.update(now_ms);
            }
            Answer::Part(part) => {
                // The second worker has ended itself; its half goes to the first to merge.
                import.halves = Halves::Merging;
                out.push(Command::Terminate(Role::Second));
                self.workers[Role::Second.index()] = Worker::Absent;
                out.push(Command::Absorb {
                    generation: self.generation,
                    part: Some(part),
                });
            }
            Answer::Failed(_) | Answer::Crashed(_) => {
                // The first worker reads the second half itself.
                import.halves = Halves::Merging;
                import.read[1] = (0, 0);
                import.update(now_ms);
                if self.workers[Role::Second.index()] != Worker::Absent {
                    out.push(Command::Terminate(Role::Second));
                    self.workers[Role::Second.index()] = Worker::Absent;
                }
                out.push(Command::Absorb {
                    generation: self.generation,
                    part: None,
                });
            }
            // Only the first worker's result (the merged one) ends the import.
            Answer::Done(_)
            | Answer::Head(_)
            | Answer::Preview(_)
            | Answer::SplitAt { .. }
            | Answer::Restored(_) => {}
        }
    }

    /// The open file's name and where it came from.
    fn file_name_and_source(&self) -> (String, Source) {
        self.opened
            .as_ref()
            .map_or((String::new(), Source::File), |o| {
                (o.name.clone(), o.source)
            })
    }

    fn apply_due(&mut self, generation: u64, out: &mut Vec<Command<P>>) {
        if generation != self.generation || !matches!(self.phase, Phase::Finishing { .. }) {
            return;
        }
        let Phase::Finishing { finished, .. } = std::mem::replace(&mut self.phase, Phase::Idle)
        else {
            return;
        };
        let (file_name, source) = self.file_name_and_source();
        out.push(Command::Apply {
            finished,
            file_name,
            source,
        });
        // A wasm instance never gives memory back: the worker that held the aggregation has
        // ended; have the next one ready once the results are on screen.
        out.push(Command::PrewarmLater);
    }
}

/// True when the import worker's refusal means the reader is to read the file: binary data that
/// names a table file the reader reads (or refuses with a better word: an old `.xls`), or text in
/// a legacy encoding (GBK, Big5 …), which the import worker is built without
/// (`legacy-encodings`).
fn for_the_reader(error: &Error) -> bool {
    use crate::engine::BinaryKind;
    match error {
        Error::Binary { what } => matches!(
            what,
            BinaryKind::ZipOrXlsx | BinaryKind::XlsOrOffice | BinaryKind::Parquet
        ),
        Error::LegacyEncoding { .. } => true,
        _ => false,
    }
}

impl Import {
    /// The progress of both workers together at `now_ms`.
    fn update(&mut self, now_ms: f64) {
        let [(bytes_a, rows_a), (bytes_b, rows_b)] = self.read;
        self.progress = Progress {
            bytes: bytes_a + bytes_b,
            rows: rows_a + rows_b,
            total: self.progress.total,
            elapsed_ms: now_ms - self.started_ms,
        };
    }
}

#[cfg(test)]
mod tests;
