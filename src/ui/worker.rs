//! The page's side of the import worker: spawn it, send requests with the file beside them,
//! route its answers to a callback, and kill it to cancel.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, ErrorEvent, MessageEvent, Worker};

use crate::engine::error::Error;
use crate::jobs::Stamped;
use crate::protocol::{Bytes, DoneDecoder, Request, Response, PART_TAG};

/// Customers decoded per task from the finished import (about 10–20 ms of work each), so the
/// page stays responsive while a million customers arrive.
const DECODE_SLICE: usize = 65_536;

/// The received `Done` message, read through typed-array views of its buffer: each slice of
/// customers is copied straight into wasm vectors, never the whole message at once.
struct JsBytes<'a>(&'a Uint8Array);

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

/// Decodes the next slice of a `Done` message in a later task (`delay_ms`), then schedules the
/// next one, and hands the whole result to `on_response` at the end, stamped with `generation`
/// (the import that asked for it). Stops when `stopped` is set (the client was dropped:
/// cancelled, or another file opened).
fn decode_later(
    data: Uint8Array,
    decoder: Option<DoneDecoder>,
    on_response: Rc<dyn Fn(Stamped<Response>)>,
    stopped: Rc<Cell<bool>>,
    delay_ms: i32,
    generation: u64,
) {
    let stamp = move |message| Stamped {
        generation,
        message,
    };
    let later = Closure::once_into_js(move || {
        if stopped.get() {
            return;
        }
        let source = JsBytes(&data);
        let step = decoder
            .map_or_else(|| DoneDecoder::new(&source), Ok)
            .and_then(|mut decoder| {
                let done = decoder.step(&source, DECODE_SLICE)?;
                Ok((decoder, done))
            });
        match step {
            Ok((decoder, true)) => {
                drop(data);
                on_response(stamp(Response::Done(Box::new(decoder.finish()))));
            }
            Ok((decoder, false)) => {
                decode_later(data, Some(decoder), on_response, stopped, 0, generation)
            }
            Err(error) => on_response(stamp(Response::Failed(error))),
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), delay_ms);
    }
}

/// URL of the worker script that Trunk's loader shim produces (relative: works from any sub-path).
/// The single-file build (`make single`) has no such file: it puts the Blob URL of its inlined
/// worker in `window.__VALUELENS_WORKER_URL__`, which is used instead when it is a string.
const WORKER_URL: &str = "./worker_loader.js";

/// A running import worker.
pub struct WorkerClient {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    /// False once the worker has ended itself (it does after every finished import).
    alive: Rc<Cell<bool>>,
    /// Set when this client is dropped: a result still being decoded is then dropped too.
    stopped: Rc<Cell<bool>>,
    /// The import (generation) of the last request sent: every answer is stamped with it.
    owner: Rc<Cell<u64>>,
    queue: Rc<RefCell<Vec<JsValue>>>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(ErrorEvent)>,
}

impl WorkerClient {
    /// Starts a worker; every answer goes to `on_response`, stamped with the generation of the
    /// request that it answers (see [`WorkerClient::send`]). A second worker's partial
    /// aggregates (a message starting with [`PART_TAG`]) go to `on_part` as they are, tag
    /// included, with that generation.
    pub fn spawn(
        on_response: Rc<dyn Fn(Stamped<Response>)>,
        on_part: Rc<dyn Fn(u64, Uint8Array)>,
    ) -> Result<Self, JsValue> {
        let url = super::browser::single_file_worker_url();
        let worker = Worker::new(url.as_deref().unwrap_or(WORKER_URL))?;
        let ready = Rc::new(Cell::new(false));
        let alive = Rc::new(Cell::new(true));
        let stopped = Rc::new(Cell::new(false));
        let owner = Rc::new(Cell::new(0));
        let queue: Rc<RefCell<Vec<JsValue>>> = Rc::new(RefCell::new(Vec::new()));
        let on_message = {
            let ready = ready.clone();
            let alive = alive.clone();
            let stopped = stopped.clone();
            let owner = owner.clone();
            let queue = queue.clone();
            let worker = worker.clone();
            let on_response = on_response.clone();
            Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                let generation = owner.get();
                // The posted Uint8Array itself (`new Uint8Array(x)` would copy it).
                let data: Uint8Array = event.data().unchecked_into();
                if data.length() > 0 && data.get_index(0) == crate::protocol::DONE_TAG {
                    // The finished import: the worker has ended itself, but its memory is only
                    // returned once this thread lets the event loop run. End it for sure, and
                    // decode in later tasks, so the two peaks do not add up.
                    alive.set(false);
                    worker.terminate();
                    // A big result: give the worker's memory a moment to go before decoding.
                    let delay = if data.length() > 64 << 20 { 50 } else { 0 };
                    decode_later(
                        data,
                        None,
                        on_response.clone(),
                        stopped.clone(),
                        delay,
                        generation,
                    );
                    return;
                }
                if data.length() > 0 && data.get_index(0) == PART_TAG {
                    alive.set(false);
                    on_part(generation, data);
                    return;
                }
                let bytes = data.to_vec();
                let response = Response::from_bytes(&bytes).unwrap_or_else(Response::Failed);
                if response == Response::Ready {
                    ready.set(true);
                    for message in queue.borrow_mut().drain(..) {
                        let _ = worker.post_message(&message);
                    }
                    return;
                }
                if matches!(response, Response::Done(_)) {
                    alive.set(false);
                }
                on_response(Stamped {
                    generation,
                    message: response,
                });
            })
        };
        let on_error = {
            let on_response = on_response.clone();
            let owner = owner.clone();
            Closure::<dyn Fn(ErrorEvent)>::new(move |event: ErrorEvent| {
                event.prevent_default();
                // A crash in the worker (out of memory, a bug) must not take the page down.
                on_response(Stamped {
                    generation: owner.get(),
                    message: Response::Failed(Error::Format {
                        what: crate::engine::FormatSubject::File,
                        reason: crate::engine::FormatProblem::WorkerStopped {
                            detail: event.message(),
                        },
                    }),
                });
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(WorkerClient {
            worker,
            ready,
            alive,
            stopped,
            owner,
            queue,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends `request` of import `generation` with `file` beside it; the answers from now on are
    /// stamped with `generation`.
    pub fn send(&self, generation: u64, request: &Request, file: &Blob) {
        self.owner.set(generation);
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(
            &message,
            &"request".into(),
            &JsValue::from_str(&request.to_json()),
        );
        let _ = js_sys::Reflect::set(&message, &"file".into(), file);
        if self.ready.get() {
            let _ = self.worker.post_message(&message);
        } else {
            self.queue.borrow_mut().push(message.into());
        }
    }

    /// Passes a second worker's part (tag first, as received) to this worker, which stopped at
    /// the split, or tells it to read the rest itself (`None`).
    pub fn send_absorb(&self, part: Option<&Uint8Array>) {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(
            &message,
            &"request".into(),
            &JsValue::from_str(&Request::Absorb.to_json()),
        );
        let transfer = js_sys::Array::new();
        if let Some(part) = part {
            let _ =
                js_sys::Reflect::set(&message, &"part".into(), &part.subarray(1, part.length()));
            transfer.push(&part.buffer());
        }
        if self.ready.get() {
            let _ = self.worker.post_message_with_transfer(&message, &transfer);
        } else {
            self.queue.borrow_mut().push(message.into());
        }
    }

    /// False once the worker has ended itself after a finished import.
    pub fn is_alive(&self) -> bool {
        self.alive.get()
    }

    /// Stops the worker at once (used to cancel).
    pub fn terminate(&self) {
        self.worker.terminate();
    }
}

impl Drop for WorkerClient {
    fn drop(&mut self) {
        self.stopped.set(true);
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
