//! The page's side of the analysis worker (`src/bin/analyst.rs`): one worker per CLV fit, per
//! run of the lifecycle view's analyses ([`start_lifecycle`]), per monthly table file read to
//! its rows ([`read_table_rows`]) or per small text file in a legacy encoding decoded
//! ([`read_text`]). It is sent the purchase history and the parameters, answers
//! (the lifecycle three times, as each result is ready), and ends itself; dropping the
//! [`ClvJob`] before that (new parameters, new data, Cancel) terminates it mid-way.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;

use gloo_events::EventListener;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use super::browser::{now_ms, single_file_url, SINGLE_FILE_ANALYST_URL};
use super::components::view_parts::TASK_BUDGET_MS;
use super::state::LoadedData;
use super::worker::{on_crash, JsBytes};
use crate::engine::clusters::{ClusterAnalysis, ClusterConfig};
use crate::engine::clv::{ClvAnalysis, ClvConfig};
use crate::engine::error::{Error, FormatProblem, FormatSubject};
use crate::engine::history::PurchaseHistory;
use crate::engine::ingest::{decode_text, DecodedText, TextOptions};
use crate::engine::monthly::readback::Lines;
use crate::engine::rfm::{RfmAnalysis, RfmConfig, SegmentRules};
use crate::engine::survey::{Survey, SurveyOptions};
use crate::present::lifecycle::Settings;
use crate::protocol::analysis::{
    cluster_features_bytes, customer_days_bytes, decode_clusters, decode_table_rows,
    decode_text_answer, keys, offsets_bytes, AnalysisRequest, ClvDecoder, LifecycleAnswer,
    LifecycleDecoder, SliceDecode, SurveyDecoder, FEATURE_BYTES,
};
use crate::protocol::frame::{self, Kind};
use crate::protocol::Response;

/// Trunk's loader of the analysis worker (the single-file build names a Blob URL instead).
const ANALYST_URL: &str = "./analyst_loader.js";

/// A running CLV fit; dropping it ends the worker.
pub struct ClvJob {
    worker: Worker,
    /// The request while its fields are filled or the worker loads (emptied when the job ends,
    /// which stops the filling).
    pending: Rc<RefCell<Option<Pending>>>,
    _on_message: EventListener,
    _on_error: EventListener,
}

/// A field of a request to the analysis worker: its bytes, or what they are copied from into
/// the JavaScript array a slice at a time ([`Pending::fill`]), so that a history of ten million
/// rows (tens of megabytes) does not hold the page's thread for a tenth of a second.
enum Source {
    /// Bytes made now (the request's frame, a file).
    Bytes(Vec<u8>),
    /// The purchase history's records, of this data set.
    Records(Arc<LoadedData>),
    /// The purchase history's offsets ([`offsets_bytes`]).
    Offsets(Arc<LoadedData>),
    /// The customers' first and last days ([`crate::protocol::analysis::days_bytes`]).
    Days(Arc<LoadedData>),
    /// The scored customers' features ([`cluster_features_bytes`]) of an RFM analysis of this
    /// data set.
    Features(Arc<LoadedData>, Arc<RfmAnalysis>),
}

impl Source {
    /// The length of the field's bytes.
    fn len(&self) -> usize {
        match self {
            Source::Bytes(bytes) => bytes.len(),
            Source::Records(data) => data.history().map_or(0, |h| h.parts().3.len()),
            Source::Offsets(data) => data.history().map_or(0, |h| h.parts().2.len() * 8),
            Source::Days(data) => data.outcome.table.customers.len() * 8,
            Source::Features(_, rfm) => rfm.scores.customers.len() * FEATURE_BYTES,
        }
    }

    /// Copies the field's bytes `at..at + len` (within [`Source::len`]) into `target` (of
    /// `len` bytes: a piece).
    fn copy(&self, at: usize, len: usize, target: &Uint8Array) {
        match self {
            Source::Bytes(bytes) => {
                if let Some(piece) = bytes.get(at..at + len) {
                    target.copy_from(piece);
                }
            }
            Source::Records(data) => {
                let records = data.history().map(|h| h.parts().3).unwrap_or_default();
                if let Some(piece) = records.get(at..at + len) {
                    target.copy_from(piece);
                }
            }
            // Whole values: `at` and `len` are multiples of 8 ([`SLICE_BYTES`] is).
            Source::Offsets(data) => {
                let starts = data.history().map(|h| h.parts().2).unwrap_or_default();
                if let Some(piece) = starts.get(at / 8..(at + len) / 8) {
                    target.copy_from(&offsets_bytes(piece));
                }
            }
            Source::Days(data) => {
                let customers = &data.outcome.table.customers;
                if let Some(piece) = customers.get(at / 8..(at + len) / 8) {
                    target.copy_from(&customer_days_bytes(piece));
                }
            }
            // Whole customers: [`SLICE_BYTES`] is a multiple of [`FEATURE_BYTES`].
            Source::Features(data, rfm) => {
                let rows = at / FEATURE_BYTES..(at + len) / FEATURE_BYTES;
                target.copy_from(&cluster_features_bytes(&data.outcome.table, rfm, rows));
            }
        }
    }
}

/// Bytes copied into a request's fields per step of [`Pending::fill`] (a multiple of 8 and of
/// [`FEATURE_BYTES`]). The first writes to a fresh array's pages are what cost here: at ten
/// million rows a slice of 4 MiB took 54 ms in `Uint8Array.set` (a task just after the click
/// that opened the lifecycle view), so slices are 1 MiB.
const SLICE_BYTES: usize = 1 << 20;

/// Bytes of pieces made before the worker is ready (its module loading), then posted at once:
/// the rest is made once it is, a piece at a time, each posted as it is made.
const AHEAD_BYTES: usize = 8 << 20;

/// A request being sent: its fields a piece at a time ([`SLICE_BYTES`]), each piece posted
/// as it is made, its buffer transferred, and copied by the worker into the field it grows
/// (`src/bin/analyst.rs`); then the request's frame, which sets it to work.
///
/// Before, every field was filled into an array of its own and all were posted at once: at
/// ten million rows the lifecycle and CLV requests (62 MB) were then held whole by the page,
/// then by the worker while it copied them into its memory, beside the page's memory and the
/// worker's, which set the tab's peak.
struct Pending {
    worker: Worker,
    /// The request's frame, posted last.
    frame: Vec<u8>,
    fields: Vec<(&'static str, Source)>,
    /// The field being sent, and how far.
    field: usize,
    at: usize,
    ready: bool,
    /// Pieces made before the worker was ready, in order, with their bytes.
    waiting: Vec<(Object, Uint8Array)>,
    waiting_bytes: usize,
    /// A task of [`fill_in_tasks`] is to come.
    filling: bool,
}

/// How far [`Pending::fill`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Pieces are left: another task.
    More,
    /// [`AHEAD_BYTES`] wait for the worker to be ready.
    Waiting,
    /// Every piece made (and posted, when the worker is ready).
    Done,
}

impl Pending {
    /// Makes pieces for a few milliseconds, posting each when the worker is ready.
    fn fill(&mut self) -> Fill {
        let started = super::browser::now_ms();
        while let Some((key, source)) = self.fields.get(self.field) {
            if !self.ready && self.waiting_bytes >= AHEAD_BYTES {
                return Fill::Waiting;
            }
            let total = source.len();
            let len = total.saturating_sub(self.at).min(SLICE_BYTES);
            // An empty field is one empty piece (the worker then knows it).
            if len > 0 || self.at == 0 {
                let array = Uint8Array::new_with_length(len as u32);
                source.copy(self.at, len, &array);
                let piece = Object::new();
                let _ = Reflect::set(&piece, &keys::PIECE.into(), &(*key).into());
                let _ = Reflect::set(&piece, &keys::TOTAL.into(), &(total as f64).into());
                let _ = Reflect::set(&piece, &keys::BYTES.into(), &array);
                if self.ready {
                    post_piece(&self.worker, &piece, &array);
                } else {
                    self.waiting.push((piece, array));
                    self.waiting_bytes += len;
                }
            }
            self.at += len;
            if self.at >= total {
                self.field += 1;
                self.at = 0;
            }
            if super::browser::now_ms() - started >= 12.0 {
                return if self.field >= self.fields.len() {
                    Fill::Done
                } else {
                    Fill::More
                };
            }
        }
        Fill::Done
    }

    /// The worker is ready: posts the pieces made so far.
    fn start(&mut self) {
        self.ready = true;
        for (piece, array) in self.waiting.drain(..) {
            post_piece(&self.worker, &piece, &array);
        }
        self.waiting_bytes = 0;
    }

    /// Posts the request's frame (once every piece is posted).
    fn post(self) {
        let message = Object::new();
        let frame = Uint8Array::from(self.frame.as_slice());
        let _ = Reflect::set(&message, &keys::FRAME.into(), &frame);
        let _ = self
            .worker
            .post_message_with_transfer(&message, &Array::of1(&frame.buffer()));
    }
}

/// Posts a piece of a field (its bytes, `array`, transferred).
fn post_piece(worker: &Worker, piece: &Object, array: &Uint8Array) {
    let _ = worker.post_message_with_transfer(piece, &Array::of1(&array.buffer()));
}

/// Makes the pieces of the request in `pending` a few milliseconds a task, and posts its frame
/// once every piece is made and the worker ready; stops when the job has ended, or until the
/// worker is ready when [`AHEAD_BYTES`] wait for it (its `Ready` starts this again).
fn fill_in_tasks(pending: Rc<RefCell<Option<Pending>>>) {
    let fill = match pending.borrow_mut().as_mut() {
        Some(request) => request.fill(),
        None => return,
    };
    if fill == Fill::More {
        gloo_timers::callback::Timeout::new(0, move || fill_in_tasks(pending)).forget();
        return;
    }
    let ready = match pending.borrow_mut().as_mut() {
        Some(request) => {
            request.filling = false;
            request.ready
        }
        None => return,
    };
    if fill == Fill::Done && ready {
        if let Some(request) = pending.borrow_mut().take() {
            request.post();
        }
    }
}

fn stopped(detail: String) -> Error {
    Error::Format {
        what: FormatSubject::Response,
        reason: FormatProblem::WorkerStopped { detail },
    }
}

impl ClvJob {
    /// Starts a worker and sends it `history` and `config`; `on_result` gets the answer once
    /// (unless the job is dropped first).
    ///
    /// # Errors
    /// The browser's, when it cannot start a worker.
    pub fn start(
        data: &Arc<LoadedData>,
        history: &PurchaseHistory,
        config: &ClvConfig,
        generation: u64,
        on_result: impl FnOnce(Result<ClvAnalysis, Error>) + 'static,
    ) -> Result<Self, JsValue> {
        let (profit, quantity, _, _) = history.parts();
        let request = AnalysisRequest::Clv {
            config: config.clone(),
            profit,
            quantity,
        };
        // Copied from `data` (which the job keeps) over the next tasks, sent on `Ready`.
        start_sliced::<_, ClvDecoder>(
            request.to_frame(generation),
            vec![
                (keys::OFFSETS, Source::Offsets(data.clone())),
                (keys::RECORDS, Source::Records(data.clone())),
            ],
            generation,
            Kind::Clv,
            on_result,
        )
    }
}

/// Starts a worker ([`start_worker`]) whose one answer, of `kind`, is read by `D`: its head in
/// its message's task, its items over the next tasks ([`decode_in_tasks`]); `on_result` gets
/// what was read, or the failure, once; nothing more once the job is dropped (the handler,
/// with `alive`, goes with it).
fn start_sliced<T: 'static, D: SliceDecode<Output = Result<T, Error>> + 'static>(
    frame: Vec<u8>,
    fields: Vec<(&'static str, Source)>,
    generation: u64,
    kind: Kind,
    on_result: impl FnOnce(Result<T, Error>) + 'static,
) -> Result<ClvJob, JsValue> {
    let alive = Rc::new(());
    let job = Rc::downgrade(&alive);
    let mut on_result = Some(on_result);
    start_worker(
        frame,
        fields,
        generation,
        kind,
        |data| D::begin(&JsBytes(data)).map(|decoder| (decoder, data.clone())),
        move |result: Result<(D, Uint8Array), Error>| {
            let _held = &alive;
            let Some(done) = on_result.take() else {
                return;
            };
            match result {
                Ok((decoder, data)) => {
                    // A large answer: its worker (ended as the answer came) is given a moment
                    // to let go of its memory before the page's grows with the answer.
                    let delay = if data.length() > LARGE_ANSWER_BYTES {
                        50
                    } else {
                        0
                    };
                    decode_in_tasks(decoder, data, job.clone(), delay, done)
                }
                Err(error) => done(Err(error)),
            }
        },
    )
}

/// Items (customers) of an answer read per step of [`decode_in_tasks`] (4 MiB of records).
const ANSWER_SLICE: usize = 65_536;

/// An answer this large (the CLV's at ten million rows: 62 MB) is read 50 ms after it came.
const LARGE_ANSWER_BYTES: u32 = 16 << 20;

/// Reads the items of the answer in `data` from a task `delay_ms` later on, as many slices a task as
/// [`TASK_BUDGET_MS`] allows, and hands what was read to `done` in a task of its own (the views
/// then built from it); stops when `job` has ended. At ten million rows (967,209 customers) the
/// CLV answer's whole read was one 119 ms task, the lifecycle analysis's about 50 ms.
fn decode_in_tasks<D: SliceDecode + 'static>(
    mut decoder: D,
    data: Uint8Array,
    job: Weak<()>,
    delay_ms: u32,
    done: impl FnOnce(D::Output) + 'static,
) {
    gloo_timers::callback::Timeout::new(delay_ms, move || {
        if job.upgrade().is_none() {
            return;
        }
        let start = now_ms();
        loop {
            let before = now_ms();
            if !decoder.step_slice(&JsBytes(&data), ANSWER_SLICE) {
                let output = decoder.output();
                gloo_timers::callback::Timeout::new(0, move || {
                    if job.upgrade().is_some() {
                        done(output);
                    }
                })
                .forget();
                return;
            }
            let now = now_ms();
            if (now - start) + (now - before) >= TASK_BUDGET_MS {
                return decode_in_tasks(decoder, data, job, 0, done);
            }
        }
    })
    .forget();
}

/// `on_result` as the handler of a worker that answers once.
fn once<T>(on_result: impl FnOnce(T) + 'static) -> impl FnMut(T) + 'static {
    let mut on_result = Some(on_result);
    move |result| {
        if let Some(done) = on_result.take() {
            done(result);
        }
    }
}

/// The lifecycle view's analyses running in a worker ([`AnalysisRequest::Lifecycle`]);
/// dropping it ends the worker.
pub type LifecycleJob = ClvJob;

/// Starts a worker that runs the lifecycle view's analyses of `table` and `history` with
/// `settings` (the analysis day in `settings.config`), and the segment migration with `rfm` and
/// `rules`; `on_answer` gets each of the three results as it comes, or the worker's failure
/// (after which nothing more comes).
///
/// # Errors
/// The browser's, when it cannot start a worker.
pub fn start_lifecycle(
    data: &Arc<LoadedData>,
    history: &PurchaseHistory,
    settings: &Settings,
    rfm: &RfmConfig,
    rules: &SegmentRules,
    generation: u64,
    on_answer: impl FnMut(Result<LifecycleAnswer, Error>) + 'static,
) -> Result<LifecycleJob, JsValue> {
    let (profit, quantity, _, _) = history.parts();
    let request = AnalysisRequest::Lifecycle {
        settings: settings.clone(),
        rfm: rfm.clone(),
        rules: rules.clone(),
        columns: data.outcome.table.columns,
        profit,
        quantity,
    };
    // An analysis's lapsing customers are read over the next tasks (the answers without them at
    // once); nothing more once the job is dropped (the handler, with `alive`, goes with it).
    let alive = Rc::new(());
    let job = Rc::downgrade(&alive);
    let on_answer = Rc::new(RefCell::new(on_answer));
    start_worker(
        request.to_frame(generation),
        vec![
            (keys::OFFSETS, Source::Offsets(data.clone())),
            (keys::RECORDS, Source::Records(data.clone())),
            (keys::DAYS, Source::Days(data.clone())),
        ],
        generation,
        Kind::Lifecycle,
        |data| LifecycleDecoder::new(&JsBytes(data)).map(|decoder| (decoder, data.clone())),
        move |result: Result<(LifecycleDecoder, Uint8Array), Error>| {
            let _held = &alive;
            match result {
                Ok((decoder, data)) if decoder.has_items() => {
                    let on_answer = on_answer.clone();
                    decode_in_tasks(decoder, data, job.clone(), 0, move |answer| {
                        (on_answer.borrow_mut())(answer);
                    });
                }
                // Handed over a task later, as the answers with items are: the section built
                // from it shared this task with the answer's reading (at ten million rows
                // 56–72 ms together).
                Ok((decoder, _)) => {
                    let (answer, on_answer, job) =
                        (decoder.finish(), on_answer.clone(), job.clone());
                    gloo_timers::callback::Timeout::new(0, move || {
                        if job.upgrade().is_some() {
                            (on_answer.borrow_mut())(answer);
                        }
                    })
                    .forget();
                }
                Err(error) => (on_answer.borrow_mut())(Err(error)),
            }
        },
    )
}

/// The k-means clusters being found in the analysis worker ([`AnalysisRequest::Clusters`]);
/// dropping it ends the worker.
pub type ClusterJob = ClvJob;

/// Starts a worker that finds the k-means clusters of the scored customers of `rfm` (an
/// analysis of `data`) with `config`; `on_result` gets them once (unless the job is dropped
/// first). The customers' features are copied over the next tasks.
///
/// # Errors
/// The browser's, when it cannot start a worker.
pub fn start_clusters(
    data: &Arc<LoadedData>,
    rfm: &Arc<RfmAnalysis>,
    config: &ClusterConfig,
    generation: u64,
    on_result: impl FnOnce(Result<ClusterAnalysis, Error>) + 'static,
) -> Result<ClusterJob, JsValue> {
    let segments = rfm
        .segmentation
        .segments
        .iter()
        .map(|s| s.name_en.clone())
        .collect();
    let request = AnalysisRequest::Clusters {
        config: config.clone(),
        segments,
    };
    start_worker(
        request.to_frame(generation),
        vec![(keys::FEATURES, Source::Features(data.clone(), rfm.clone()))],
        generation,
        Kind::Clusters,
        |data| decode_clusters(&data.to_vec()),
        once(on_result),
    )
}

/// A table file being read to its rows in the analysis worker
/// ([`AnalysisRequest::TableRows`]); dropping it ends the worker.
pub type TableJob = ClvJob;

/// Starts a worker that reads the table file `bytes` (an `.xlsx` workbook, a Parquet file) to
/// its header and rows; `on_result` gets them once (unless the job is dropped first).
///
/// # Errors
/// The browser's, when it cannot start a worker.
pub fn read_table_rows(
    bytes: &[u8],
    generation: u64,
    on_result: impl FnOnce(Result<(Vec<String>, Lines), Error>) + 'static,
) -> Result<TableJob, JsValue> {
    let frame = AnalysisRequest::TableRows.to_frame(generation);
    start_worker(
        frame,
        vec![(keys::FILE, Source::Bytes(bytes.to_vec()))],
        generation,
        Kind::TableRows,
        |data| decode_table_rows(&data.to_vec()),
        once(on_result),
    )
}

/// A survey file being read in the analysis worker ([`AnalysisRequest::Survey`]); dropping it
/// ends the worker.
pub type SurveyJob = ClvJob;

/// Starts a worker that reads the survey file `bytes` with `options`; `on_result` gets the
/// survey (read from the answer a slice a task) or why not, once (unless the job is dropped
/// first).
///
/// # Errors
/// The browser's, when it cannot start a worker.
pub fn read_survey(
    bytes: &[u8],
    options: &SurveyOptions,
    on_result: impl FnOnce(Result<Survey, Error>) + 'static,
) -> Result<SurveyJob, JsValue> {
    let request = AnalysisRequest::Survey(options.clone());
    start_sliced::<_, SurveyDecoder>(
        request.to_frame(0),
        vec![(keys::FILE, Source::Bytes(bytes.to_vec()))],
        0,
        Kind::Survey,
        on_result,
    )
}

/// A small text file being decoded in the analysis worker ([`AnalysisRequest::DecodeText`]);
/// dropping it ends the worker.
pub type TextJob = ClvJob;

/// Starts a worker that decodes the small text file `bytes` with `options`; `on_result` gets
/// its text once (unless the job is dropped first).
///
/// # Errors
/// The browser's, when it cannot start a worker.
pub fn decode_text_file(
    bytes: &[u8],
    options: &TextOptions,
    on_result: impl FnOnce(Result<DecodedText, Error>) + 'static,
) -> Result<TextJob, JsValue> {
    let request = AnalysisRequest::DecodeText(options.clone());
    start_worker(
        request.to_frame(0),
        vec![(keys::FILE, Source::Bytes(bytes.to_vec()))],
        0,
        Kind::Text,
        |data| decode_text_answer(&data.to_vec()),
        once(on_result),
    )
}

/// The readers of a small text file on the page: each has at most one decoding running and one
/// decoded text kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextReader {
    /// The customer master.
    Master,
    /// The SWOT table.
    Swot,
    /// The monthly table read back against a summary.
    Monthly,
}

/// A small file decoded by the worker, kept for the next read of the same bytes with the same
/// options (a master read again with another id column).
struct DecodedFile {
    purpose: TextReader,
    options: TextOptions,
    bytes: Vec<u8>,
    decoded: DecodedText,
}

thread_local! {
    /// The decodings running in the analysis worker, one per purpose (a new read of a purpose
    /// ends the one before).
    static TEXT_JOBS: RefCell<Vec<(TextReader, TextJob)>> = const { RefCell::new(Vec::new()) };
    /// The last file each purpose had decoded by the worker.
    static DECODED: RefCell<Vec<DecodedFile>> = const { RefCell::new(Vec::new()) };
}

/// Decodes a small text file read on the page (a master, a SWOT or monthly table)
/// and passes its text or why not to `on_text`: at once for UTF-8 and UTF-16 (and every
/// failure but a legacy encoding), else when the analysis worker has decoded it (the page's
/// bundle has no legacy decoders). `purpose` names the reader: its decoding still running is
/// ended by this one.
pub fn read_text(
    purpose: TextReader,
    bytes: &[u8],
    options: TextOptions,
    on_text: impl FnOnce(Result<DecodedText, Error>) + 'static,
) {
    TEXT_JOBS.with(|jobs| jobs.borrow_mut().retain(|(p, _)| *p != purpose));
    match decode_text(bytes, &options) {
        Err(Error::LegacyEncoding { .. }) => {}
        read => return on_text(read),
    }
    let kept = DECODED.with(|kept| {
        kept.borrow()
            .iter()
            .find(|k| k.purpose == purpose && k.options == options && k.bytes == bytes)
            .map(|k| k.decoded.clone())
    });
    if let Some(decoded) = kept {
        return on_text(Ok(decoded));
    }
    let on_text = Rc::new(RefCell::new(Some(on_text)));
    let answer = {
        let (on_text, options, bytes) = (on_text.clone(), options.clone(), bytes.to_vec());
        move |result: Result<DecodedText, Error>| {
            if let Ok(decoded) = &result {
                DECODED.with(|kept| {
                    let mut kept = kept.borrow_mut();
                    kept.retain(|k| k.purpose != purpose);
                    kept.push(DecodedFile {
                        purpose,
                        options,
                        bytes,
                        decoded: decoded.clone(),
                    });
                });
            }
            if let Some(done) = on_text.borrow_mut().take() {
                done(result);
            }
        }
    };
    match decode_text_file(bytes, &options, answer) {
        Ok(job) => TEXT_JOBS.with(|jobs| jobs.borrow_mut().push((purpose, job))),
        Err(_) => {
            if let Some(done) = on_text.borrow_mut().take() {
                done(Err(stopped("the analysis worker did not start".into())));
            }
        }
    }
}

/// Drops what the worker decoded for `purpose` (its file removed), and its decoding if running.
pub fn forget_text(purpose: TextReader) {
    TEXT_JOBS.with(|jobs| jobs.borrow_mut().retain(|(p, _)| *p != purpose));
    DECODED.with(|kept| kept.borrow_mut().retain(|k| k.purpose != purpose));
}

/// Drops every text the worker decoded, and every decoding running ("forget everything").
pub fn forget_texts() {
    TEXT_JOBS.with(|jobs| jobs.borrow_mut().clear());
    DECODED.with(|kept| kept.borrow_mut().clear());
}

/// Starts an analysis worker, sends it the fields of `fields` in pieces over the next tasks
/// ([`Pending`]) and then the request's `frame`, and passes each answer of kind
/// `kind` for `generation`, read by `decode`, or its failure to `on_result` (nothing after a
/// failure).
fn start_worker<T: 'static>(
    frame: Vec<u8>,
    fields: Vec<(&'static str, Source)>,
    generation: u64,
    kind: Kind,
    decode: fn(&Uint8Array) -> Result<T, Error>,
    on_result: impl FnMut(Result<T, Error>) + 'static,
) -> Result<ClvJob, JsValue> {
    let url = single_file_url(SINGLE_FILE_ANALYST_URL);
    let worker = Worker::new(url.as_deref().unwrap_or(ANALYST_URL))?;
    let pending = Rc::new(RefCell::new(Some(Pending {
        worker: worker.clone(),
        frame,
        fields,
        field: 0,
        at: 0,
        ready: false,
        waiting: Vec::new(),
        waiting_bytes: 0,
        filling: true,
    })));
    {
        let pending = pending.clone();
        gloo_timers::callback::Timeout::new(0, move || fill_in_tasks(pending)).forget();
    }
    type Handler<T> = Box<dyn FnMut(Result<T, Error>)>;
    let on_result: Rc<RefCell<Option<Handler<T>>>> =
        Rc::new(RefCell::new(Some(Box::new(on_result))));
    let answer = {
        let on_result = on_result.clone();
        move |result: Result<T, Error>| {
            // Taken while it runs (it may drop this job), put back unless it failed.
            let Some(mut handler) = on_result.borrow_mut().take() else {
                return;
            };
            let failed = result.is_err();
            handler(result);
            if !failed {
                let mut slot = on_result.borrow_mut();
                if slot.is_none() {
                    *slot = Some(handler);
                }
            }
        }
    };
    // A worker whose answer is its last is ended as the answer comes, before the answer is
    // read. It ends itself after posting, but its memory (the CLV fit's 190 MiB of WebAssembly
    // memory at ten million rows) is unmapped only some time later, while the page's memory
    // grows with the answer.
    let once = kind.is_last_answer();
    let on_message = {
        let (pending, answer) = (pending.clone(), answer.clone());
        let ended = worker.clone();
        EventListener::new(&worker.clone(), "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            let data: Uint8Array = event.data().unchecked_into();
            match frame::peek(&JsBytes(&data)) {
                Ok((Kind::Ready, _)) => {
                    let (made, filling) = match pending.borrow_mut().as_mut() {
                        Some(request) => {
                            request.start();
                            (request.field >= request.fields.len(), request.filling)
                        }
                        None => return,
                    };
                    if made {
                        if let Some(request) = pending.borrow_mut().take() {
                            request.post();
                        }
                    } else if !filling {
                        // The filling waited for the worker: it goes on.
                        if let Some(request) = pending.borrow_mut().as_mut() {
                            request.filling = true;
                        }
                        fill_in_tasks(pending.clone());
                    }
                }
                Ok((k, g)) if k == kind && g == generation => {
                    if once {
                        ended.terminate();
                    }
                    answer(decode(&data))
                }
                Ok((_, g)) if g == generation => {
                    let error = match Response::from_frame(&data.to_vec()) {
                        Ok(stamped) => match stamped.message {
                            Response::Failed(error) => error,
                            _ => stopped("an unexpected answer".into()),
                        },
                        Err(error) => error,
                    };
                    answer(Err(error));
                }
                Ok(_) => {}
                Err(error) => answer(Err(error)),
            }
        })
    };
    let on_error = on_crash(&worker, move |detail| answer(Err(stopped(detail))));
    Ok(ClvJob {
        worker,
        pending,
        _on_message: on_message,
        _on_error: on_error,
    })
}

impl Drop for ClvJob {
    fn drop(&mut self) {
        // Stops the filling (and lets go of the data it copies from).
        if let Ok(mut pending) = self.pending.try_borrow_mut() {
            pending.take();
        }
        self.worker.terminate();
    }
}
