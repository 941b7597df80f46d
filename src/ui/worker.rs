//! The page's side of an import worker: spawn it, send it requests (a frame, the file beside
//! it), turn what it sends into the session's [`Answer`]s, and end it.
//!
//! It decides nothing: which worker gets which request, and which answers count, is the
//! session's business (`crate::session`); this only carries messages.
//!
//! gloo where it fits: the worker's `message` and `error` listeners are `gloo_events`
//! listeners (removed when the client is dropped), and the finished import is decoded in slices
//! on `gloo_timers` timeouts. The worker itself stays a `web_sys::Worker`, and `gloo-worker` is
//! not used, because its bridge fits none of what this needs: it sends every message through a
//! serde codec (so no `File` can go to the worker, and the finished import would be copied whole
//! into wasm memory instead of read a slice at a time through typed-array views of the
//! transferred buffer), it posts no transferables, it loads its own script (not Trunk's worker
//! loader, nor the single-file build's inlined worker), and it stops a worker with a message,
//! which a worker busy in an import reads only when it is done — cancelling needs
//! `Worker::terminate`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::engine::error::{Error, FormatProblem, FormatSubject};
use crate::protocol::frame::{self, Kind};
use crate::protocol::{keys, Bytes, DoneDecoder, Finished, Request, Response, Restored};
use crate::session::{Answer, Platform};

/// What the page's session passes around: the file, a second worker's part frame (passed on
/// unread), and the decoded result.
#[derive(Debug)]
pub struct Page;

impl Platform for Page {
    type File = gloo_file::Blob;
    type Part = Uint8Array;
    type Finished = Finished;
}

/// Where a client's answers go: the import (generation) they belong to, and the answer.
pub type OnAnswer = Rc<dyn Fn(u64, Answer<Page>)>;

/// Customers decoded per step of the finished import: a few milliseconds of work, so that a
/// task can stop soon after its budget is spent.
const DECODE_SLICE: usize = 2_048;

/// Milliseconds of decoding per task: steps follow one another until this is spent, then the
/// page gets the event loop back (no task near the 50 ms of a long task, while a million
/// customers arrive).
const DECODE_BUDGET_MS: f64 = 24.0;

/// From this many customers on, the head of a finished import (headline figures, monthly sales,
/// the report) is shown before its customers are decoded (~0.5–0.6 µs each with their purchase
/// days in the app's build, so from about 10 ms of decoding); smaller results are decoded and
/// shown at once.
const HEAD_FIRST_CUSTOMERS: usize = 20_000;

/// A `Done` frame this large comes from a worker of a few hundred MB, whose memory takes a
/// while to unmap; while it is being unmapped, the page's own memory cannot grow, and the first
/// task that needs more memory waits (a 55–65 ms head task at 10M rows, when the frame was read
/// at once). And the frame's arrival starts a major garbage collection at once, whose evacuation
/// stalled the same way (35–36 ms at 10M rows; 72–96 ms, traced in 4 imports of 4, at 10M
/// rows with a line attribute: a 260 MB frame from a worker of 677 MiB). So such a worker,
/// which no longer ends itself, is ended [`FRAME_END_MS`] after its frame came, once that
/// collection is over, and the frame is read a moment after that ([`done_timing`]).
const BIG_FRAME_BYTES: u32 = 64 << 20;

/// A `Done` frame this large (the 260 MB above) is read [`HUGE_FRAME_READ_MS`] after it came,
/// its worker's unmapping having taken longer than 50 ms (no task over 41 ms in 5 imports;
/// BENCHMARKS.md, 2026-12-07 18:00 UTC).
const HUGE_FRAME_BYTES: u32 = 128 << 20;

/// See [`BIG_FRAME_BYTES`].
const FRAME_END_MS: u32 = 100;

/// See [`HUGE_FRAME_BYTES`].
const HUGE_FRAME_READ_MS: u32 = 400;

/// When the worker that sent a `Done` frame of `bytes` is ended and when the frame is read, in
/// ms after it came: a small frame at once, a big one after the collection its arrival starts
/// and a moment after its worker's end ([`BIG_FRAME_BYTES`], [`HUGE_FRAME_BYTES`]).
fn done_timing(bytes: u32) -> (u32, u32) {
    if bytes > HUGE_FRAME_BYTES {
        (FRAME_END_MS, HUGE_FRAME_READ_MS)
    } else if bytes > BIG_FRAME_BYTES {
        (FRAME_END_MS, FRAME_END_MS + 50)
    } else {
        (0, 0)
    }
}

/// Runs `then` in a task after the next frame (so what this task built is painted first); a
/// hidden tab runs no frames, so after `fallback_ms` at the latest.
fn after_next_frame(then: impl FnOnce() + 'static, fallback_ms: u32) {
    let then = Rc::new(Cell::new(Some(Box::new(then) as Box<dyn FnOnce()>)));
    let run = {
        let then = then.clone();
        move || {
            if let Some(then) = then.take() {
                then();
            }
        }
    };
    let on_frame = run.clone();
    leptos::prelude::request_animation_frame(move || {
        Timeout::new(0, on_frame).forget();
    });
    Timeout::new(fallback_ms, run).forget();
}

/// A received frame, read through typed-array views of its buffer: each slice of customers is
/// copied straight into wasm vectors, never the whole message at once.
pub(crate) struct JsBytes<'a>(pub(crate) &'a Uint8Array);

impl JsBytes<'_> {
    fn at(&self, offset: usize) -> u32 {
        self.0.byte_offset() + offset as u32
    }
}

impl Bytes for JsBytes<'_> {
    fn byte_len(&self) -> usize {
        self.0.length() as usize
    }
    fn read_u8(&self, offset: usize, out: &mut [u8]) {
        self.0
            .subarray(offset as u32, (offset + out.len()) as u32)
            .copy_to(out);
    }
    fn read_u32(&self, offset: usize, out: &mut [u32]) {
        js_sys::Uint32Array::new_with_byte_offset_and_length(
            &self.0.buffer(),
            self.at(offset),
            out.len() as u32,
        )
        .copy_to(out);
    }
    fn read_i32(&self, offset: usize, out: &mut [i32]) {
        js_sys::Int32Array::new_with_byte_offset_and_length(
            &self.0.buffer(),
            self.at(offset),
            out.len() as u32,
        )
        .copy_to(out);
    }
    fn read_f64(&self, offset: usize, out: &mut [f64]) {
        js_sys::Float64Array::new_with_byte_offset_and_length(
            &self.0.buffer(),
            self.at(offset),
            out.len() as u32,
        )
        .copy_to(out);
    }
}

/// Decodes the next slices of a `Done` frame in a later task (`delay_ms`), for about
/// [`DECODE_BUDGET_MS`], then schedules the next task, and hands the whole result to
/// `on_answer` in a task of its own at the end. The first task reads the head: of a big
/// result it hands the head to `on_answer` ([`Answer::Head`]) and decodes the customers from
/// the task after the next frame, so the head is painted first. Stops when `stopped` is set
/// (the client was dropped: cancelled, or the import superseded).
fn decode_later(
    data: Uint8Array,
    decoder: Option<DoneDecoder>,
    on_answer: OnAnswer,
    stopped: Rc<Cell<bool>>,
    delay_ms: u32,
    generation: u64,
) {
    Timeout::new(delay_ms, move || {
        if stopped.get() {
            return;
        }
        let started = js_sys::Date::now();
        let decoder = match decoder {
            Some(decoder) => decoder,
            None => match DoneDecoder::new(&JsBytes(&data)) {
                Ok(decoder) if decoder.total() >= HEAD_FIRST_CUSTOMERS => {
                    on_answer(generation, Answer::Head(decoder.head()));
                    let go_on = move || {
                        decode_later(data, Some(decoder), on_answer, stopped, 0, generation)
                    };
                    after_next_frame(go_on, 100);
                    return;
                }
                Ok(decoder) => decoder,
                Err(error) => return on_answer(generation, Answer::Failed(error)),
            },
        };
        let source = JsBytes(&data);
        let mut decoder = decoder;
        let step = loop {
            match decoder.step(&source, DECODE_SLICE) {
                Ok(true) => break Ok((decoder, true)),
                Err(error) => break Err(error),
                Ok(false) if js_sys::Date::now() - started >= DECODE_BUDGET_MS => {
                    break Ok((decoder, false))
                }
                Ok(false) => {}
            }
        };
        match step {
            Ok((decoder, true)) => {
                drop(data);
                Timeout::new(0, move || {
                    if !stopped.get() {
                        on_answer(generation, Answer::Done(decoder.finish()));
                    }
                })
                .forget();
            }
            Ok((decoder, false)) => {
                decode_later(data, Some(decoder), on_answer, stopped, 0, generation)
            }
            Err(error) => on_answer(generation, Answer::Failed(error)),
        }
    })
    .forget();
}

/// Listens for `worker` crashing (out of memory, a bug) and tells `on_crash` the browser's
/// message. The default is prevented: a crash in a worker must not take the page down, nor
/// reach the console as an uncaught error.
pub(crate) fn on_crash(worker: &Worker, on_crash: impl Fn(String) + 'static) -> EventListener {
    let options = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(worker, "error", options, move |event| {
        event.prevent_default();
        let detail = event
            .dyn_ref::<ErrorEvent>()
            .map(ErrorEvent::message)
            .unwrap_or_default();
        on_crash(detail);
    })
}

/// A small answer as the session sees it.
fn answer_of(response: Response) -> Answer<Page> {
    match response {
        Response::Preview(preview) => Answer::Preview(preview),
        Response::Progress { bytes, rows, .. } => Answer::Progress { bytes, rows },
        Response::SplitAt { start, settings } => Answer::SplitAt { start, settings },
        Response::Restored(restored) => Answer::Restored(restored),
        Response::Failed(error) => Answer::Failed(error),
        // Read from their frames elsewhere (`Ready` never reaches the session).
        Response::Ready | Response::Done(_) | Response::Part(_) => Answer::Failed(Error::Format {
            what: FormatSubject::Response,
            reason: FormatProblem::Parser {
                detail: "an unexpected answer".into(),
            },
        }),
    }
}

/// URL of the worker script that Trunk's loader shim produces (relative: works from any sub-path).
/// The single-file build (`make single`) has no such file: it puts the Blob URL of its inlined
/// worker in `window.__VALUELENS_WORKER_URL__`, which is used instead when it is a string.
const WORKER_URL: &str = "./worker_loader.js";
/// The same for the reader worker of table files (`src/bin/reader.rs`; in the single-file
/// build, `window.__VALUELENS_READER_URL__`).
const READER_URL: &str = "./reader_loader.js";
/// The same for the restore worker of saved workspaces (`src/bin/restorer.rs`; in the
/// single-file build, `window.__VALUELENS_RESTORER_URL__`).
const RESTORER_URL: &str = "./restorer_loader.js";

/// Which script a worker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// The import worker of text files (`src/bin/worker.rs`).
    Import,
    /// The reader worker of table files (`src/bin/reader.rs`).
    Reader,
    /// The restore worker of saved workspaces (`src/bin/restorer.rs`).
    Restorer,
}

/// A message waiting for the worker to be ready, with its transfer list.
type Queued = (JsValue, Array);

/// A running import worker.
pub struct WorkerClient {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    /// Set when this client is dropped: a result still being decoded is then dropped too.
    stopped: Rc<Cell<bool>>,
    /// The import of the last request sent (a crash is reported as that import's).
    owner: Rc<Cell<u64>>,
    queue: Rc<RefCell<Vec<Queued>>>,
    _on_message: EventListener,
    _on_error: EventListener,
}

impl WorkerClient {
    /// Starts a worker running `script`; everything it answers goes to `on_answer` with the
    /// import it belongs to.
    pub fn spawn(script: Script, on_answer: OnAnswer) -> Result<Self, JsValue> {
        let (global, own) = match script {
            Script::Import => (super::browser::SINGLE_FILE_WORKER_URL, WORKER_URL),
            Script::Reader => (super::browser::SINGLE_FILE_READER_URL, READER_URL),
            Script::Restorer => (super::browser::SINGLE_FILE_RESTORER_URL, RESTORER_URL),
        };
        let url = super::browser::single_file_url(global);
        let worker = Worker::new(url.as_deref().unwrap_or(own))?;
        let ready = Rc::new(Cell::new(false));
        let stopped = Rc::new(Cell::new(false));
        let owner = Rc::new(Cell::new(0));
        let queue: Rc<RefCell<Vec<Queued>>> = Rc::new(RefCell::new(Vec::new()));
        let on_message = {
            let (ready, stopped, queue) = (ready.clone(), stopped.clone(), queue.clone());
            let (worker, on_answer, owner) = (worker.clone(), on_answer.clone(), owner.clone());
            EventListener::new(&worker.clone(), "message", move |event| {
                let Some(event) = event.dyn_ref::<MessageEvent>() else {
                    return;
                };
                // The posted Uint8Array itself (`new Uint8Array(x)` would copy it).
                let data: Uint8Array = event.data().unchecked_into();
                let (kind, generation) = match frame::peek(&JsBytes(&data)) {
                    Ok(peeked) => peeked,
                    Err(error) => return on_answer(owner.get(), Answer::Failed(error)),
                };
                match kind {
                    Kind::Ready => {
                        ready.set(true);
                        for (message, transfer) in queue.borrow_mut().drain(..) {
                            let _ = worker.post_message_with_transfer(&message, &transfer);
                        }
                    }
                    Kind::Done => {
                        // The finished import: its worker is ended here (not by itself), and
                        // the frame decoded in later tasks once the worker's memory is gone,
                        // so the two peaks do not add up ([`done_timing`]).
                        let (end_ms, delay) = done_timing(data.length());
                        if end_ms == 0 {
                            worker.terminate();
                        } else {
                            let worker = worker.clone();
                            Timeout::new(end_ms, move || worker.terminate()).forget();
                        }
                        let (on_answer, stopped) = (on_answer.clone(), stopped.clone());
                        decode_later(data, None, on_answer, stopped, delay, generation);
                    }
                    Kind::Part => on_answer(generation, Answer::Part(data)),
                    // The master file kept with the workspace is the body: copied once.
                    Kind::Restored => {
                        let answer = Restored::from_frame(&JsBytes(&data))
                            .map_or_else(Answer::Failed, |restored| {
                                answer_of(Response::Restored(Box::new(restored)))
                            });
                        on_answer(generation, answer);
                    }
                    _ => {
                        let answer = Response::from_frame(&data.to_vec())
                            .map_or_else(Answer::Failed, |stamped| answer_of(stamped.message));
                        on_answer(generation, answer);
                    }
                }
            })
        };
        let on_error = {
            let owner = owner.clone();
            on_crash(&worker, move |detail| {
                on_answer(
                    owner.get(),
                    Answer::Crashed(Error::Format {
                        what: FormatSubject::File,
                        reason: FormatProblem::WorkerStopped { detail },
                    }),
                );
            })
        };
        Ok(WorkerClient {
            worker,
            ready,
            stopped,
            owner,
            queue,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Posts `message` with `transfer` now, or once the worker is ready.
    fn post(&self, message: Object, transfer: Array) {
        if self.ready.get() {
            let _ = self.worker.post_message_with_transfer(&message, &transfer);
        } else {
            self.queue.borrow_mut().push((message.into(), transfer));
        }
    }

    /// Sends `request` of import `generation` with `file` beside it.
    pub fn send(&self, generation: u64, request: &Request, file: &gloo_file::Blob) {
        self.owner.set(generation);
        let frame = Uint8Array::from(request.to_frame(generation).as_slice());
        let message = Object::new();
        let _ = Reflect::set(&message, &keys::FRAME.into(), &frame);
        let _ = Reflect::set(&message, &keys::FILE.into(), file.as_ref());
        self.post(message, Array::of1(&frame.buffer()));
    }

    /// Passes a second worker's part frame (as received, transferred) to this worker, which
    /// stopped at the split, or tells it to read the rest itself (`None`).
    pub fn send_absorb(&self, generation: u64, part: Option<&Uint8Array>) {
        self.owner.set(generation);
        let frame = Uint8Array::from(Request::Absorb.to_frame(generation).as_slice());
        let message = Object::new();
        let _ = Reflect::set(&message, &keys::FRAME.into(), &frame);
        let transfer = Array::of1(&frame.buffer());
        if let Some(part) = part {
            let _ = Reflect::set(&message, &keys::PART.into(), part);
            transfer.push(&part.buffer());
        }
        self.post(message, transfer);
    }
}

impl Drop for WorkerClient {
    fn drop(&mut self) {
        self.stopped.set(true);
        self.worker.terminate();
    }
}
