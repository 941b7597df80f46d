//! The page's side of the import worker: spawn it, send requests with the file beside them,
//! route its answers to a callback, and kill it to cancel.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, ErrorEvent, MessageEvent, Worker};

use crate::engine::error::Error;
use crate::protocol::{Request, Response};

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
    queue: Rc<RefCell<Vec<JsValue>>>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(ErrorEvent)>,
}

impl WorkerClient {
    /// Starts a worker; every answer goes to `on_response`.
    pub fn spawn(on_response: Rc<dyn Fn(Response)>) -> Result<Self, JsValue> {
        let url = super::browser::single_file_worker_url();
        let worker = Worker::new(url.as_deref().unwrap_or(WORKER_URL))?;
        let ready = Rc::new(Cell::new(false));
        let alive = Rc::new(Cell::new(true));
        let queue: Rc<RefCell<Vec<JsValue>>> = Rc::new(RefCell::new(Vec::new()));
        let on_message = {
            let ready = ready.clone();
            let alive = alive.clone();
            let queue = queue.clone();
            let worker = worker.clone();
            let on_response = on_response.clone();
            Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                let data = js_sys::Uint8Array::new(&event.data());
                if data.length() > 0 && data.get_index(0) == crate::protocol::DONE_TAG {
                    // The finished import: the worker has ended itself, but its memory is only
                    // returned once this thread lets the event loop run. End it for sure, and
                    // decode in a later task, so the two peaks do not add up.
                    alive.set(false);
                    worker.terminate();
                    let on_response = on_response.clone();
                    let later = Closure::once_into_js(move || {
                        let bytes = data.to_vec();
                        on_response(Response::from_bytes(&bytes).unwrap_or_else(Response::Failed));
                    });
                    if let Some(window) = web_sys::window() {
                        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                            later.unchecked_ref(),
                            50,
                        );
                    }
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
                on_response(response);
            })
        };
        let on_error = {
            let on_response = on_response.clone();
            Closure::<dyn Fn(ErrorEvent)>::new(move |event: ErrorEvent| {
                event.prevent_default();
                // A crash in the worker (out of memory, a bug) must not take the page down.
                on_response(Response::Failed(Error::Format {
                    what: "the file".into(),
                    reason: format!("the background worker stopped: {}", event.message()),
                }));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(WorkerClient {
            worker,
            ready,
            alive,
            queue,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends `request` with `file` beside it.
    pub fn send(&self, request: &Request, file: &Blob) {
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
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
